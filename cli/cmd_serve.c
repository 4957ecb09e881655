/*
 * cmd_serve.c - `quire serve`: makes one index (one shard) searchable from
 * other machines with Xapian's own remote protocol, read-only.
 *
 * quire serve owns the listening socket and runs Debian's xapian-progsrv
 * for each connection it accepts, with the connection as the server's
 * standard input and output (the protocol is the same as xapian-tcpsrv's),
 * on the generation current at that moment: a new connection always sees
 * the newest published index, an open one finishes on the generation it
 * opened. Because it accepts the connections itself it can keep them in
 * bounds: at most --max-connections at once (more are closed at once, and
 * the first refusal of a burst is logged), idle ones closed after
 * --idle-timeout. The protocol has no authentication and no encryption, so
 * it listens on loopback unless --public says otherwise. It logs to
 * stderr; -q keeps only errors.
 */
#include "cli.h"
#include "http.h"

#include "quire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char serve_usage[] =
    "usage: quire serve [--index DIR] [--host ADDR] --port PORT [OPTIONS]\n"
    "       quire serve --http [--index DIR] [--host ADDR] --port PORT [OPTIONS]\n"
    "\n"
    "  --http        serve the JSON API instead (GET /api/search, /api/show,\n"
    "                /api/stats, /api/suggest, /healthz; docs/HTTP.md), read-only,\n"
    "                each worker thread with its own handle on the index, a newly\n"
    "                published generation picked up without a restart\n"
    "  --token TOKEN requests must send Authorization: Bearer TOKEN (also\n"
    "                $QUIRE_TOKEN); required with a non-loopback --host unless --public\n"
    "  --cors ORIGIN let pages from ORIGIN (https://example.org) read the responses\n"
    "  --threads N   worker threads (default 2 per CPU, at most 64)\n"
    "  --index DIR   (repeated) more indexes searched as one with the first: shards,\n"
    "                tcp://HOST:PORT; /api/show and /api/stats read the first\n"
    "  --time-limit SECONDS  a search stops matching after this long and ranks what\n"
    "                it found (default 2; 0: no limit)\n"
    "  (--port 0 picks a free port; the log line says which)\n"
    "\n"
    "Without --http:\n"
    "Serves the index in DIR to `quire search --index tcp://HOST:PORT` on other\n"
    "machines, read-only, through xapian-progsrv (Debian package xapian-tools),\n"
    "one process per connection, each on the index current when it connected.\n"
    "\n"
    "  --index DIR   index directory (default: $QUIRE_INDEX, else ./.quire)\n"
    "  --host ADDR   address to listen on (default 127.0.0.1: this machine only)\n"
    "  --port PORT   TCP port to listen on\n"
    "  --public      allow a --host that is not a loopback address\n"
    "  --max-connections N  connections served at once (default 16 per CPU, at\n"
    "                most 256; --http: default 512, at most 4096); more are closed at\n"
    "                once (--http: wait until one ends)\n"
    "  --idle-timeout SECONDS  close a connection idle this long (default 60)\n"
    "  -q, --quiet   log only errors (the log is on stderr)\n"
    "  -h, --help    this help\n"
    "\n"
    "SECURITY: Xapian's remote protocol has no authentication and no encryption.\n"
    "Anyone who can reach the port can read the whole index. Keep the default\n"
    "loopback address and reach it through SSH (ssh -N -L 7001:127.0.0.1:7001\n"
    "shard1) or bind only to a private network you trust (--public).\n"
    "\n"
    "Exit status: 0 stopped by a signal, 2 error (no index, the port in use).\n";

#define MAX_CONNECTIONS 256
/* --http: each connection is a socket, not a process. Past the limit
 * connections wait in the listen queue until one ends or idles out (the
 * tests send 1,000 requests at once to the default). */
#define HTTP_MAX_CONNECTIONS 4096
#define HTTP_DEFAULT_CONNECTIONS 512

typedef struct {
    const char *dir, *host, *port;
    unsigned max_conn, idle_s;
    int quiet, public_ok;
    int http;             /* --http: the JSON API */
    const char *more[63]; /* ... over these too (more --index: shards, tcp://) */
    size_t nmore;
    int max_conn_set;         /* --max-connections given */
    const char *token, *cors; /* ... its bearer token and CORS origin */
    unsigned threads;         /* ... its worker threads */
    unsigned time_ms;         /* ... its per-search time limit */
    int time_set;             /* --time-limit given */
    int lfd;
    pid_t kids[MAX_CONNECTIONS];
    size_t nkids;
    int refusing; /* the cap was reached, and the refusal logged */
    char gen[PATH_MAX + 256];
} server_t;

static volatile sig_atomic_t stop_signal = 0;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* Whether a is a loopback address (127.0.0.0/8, ::1). */
static int is_loopback(const struct sockaddr *a)
{
    if (a->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >> 24) == 127;
    if (a->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)a)->sin6_addr);
    return 0;
}

/* Resolves --host (a numeric address or a name such as localhost) to *ai;
 * every address it names must be loopback unless open (--public, or a
 * --token for --http): 0, or the exit status after saying why. */
static int resolve_host(const server_t *s, int open, struct addrinfo **ai)
{
    struct addrinfo hints = {0};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    *ai = NULL;
    const int gai = getaddrinfo(s->host, s->port, &hints, ai);
    if (gai != 0) return qc_usage("serve", "--host %s: %s", s->host, gai_strerror(gai));
    for (const struct addrinfo *p = *ai; p && !open; p = p->ai_next)
        if (!is_loopback(p->ai_addr)) {
            freeaddrinfo(*ai);
            *ai = NULL;
            return qc_usage("serve",
                            "--host %s is not a loopback address: anyone who reaches it could "
                            "read the whole index, unauthenticated; %s",
                            s->host,
                            s->http ? "give a --token the clients must send, or --public to "
                                      "serve anyone who reaches it"
                                    : "add --public if that is meant");
        }
    return 0;
}

/* Binds and listens on host:port. 0, or the exit status after saying why. */
static int listen_on(server_t *s)
{
    struct addrinfo *ai = NULL;
    int rc = resolve_host(s, s->public_ok, &ai);
    s->lfd = rc || !ai ? -1 : socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    if (rc == 0 &&
        (!ai || s->lfd < 0 || setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
         bind(s->lfd, ai->ai_addr, ai->ai_addrlen) || listen(s->lfd, 64))) {
        qc_say("serve: cannot listen on %s:%s: %s", s->host, s->port, strerror(errno));
        rc = QC_EXIT_ERROR;
    }
    freeaddrinfo(ai);
    return rc;
}

/* Collects the connection servers that ended. */
static void reap(server_t *s)
{
    pid_t pid;
    while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
        for (size_t i = 0; i < s->nkids; i++)
            if (s->kids[i] == pid) {
                s->kids[i] = s->kids[--s->nkids];
                break;
            }
    if (s->refusing && s->nkids < s->max_conn) {
        s->refusing = 0;
        if (!s->quiet) qc_say("serve: accepting connections again");
    }
}

/* Follows publishing: new connections get the current generation. */
static void follow(server_t *s)
{
    char *gen = NULL, *error = NULL;
    if (quire_published(s->dir, &gen, &error) == QUIRE_OK && strcmp(gen, s->gen) != 0) {
        snprintf(s->gen, sizeof s->gen, "%s", gen);
        if (!s->quiet) qc_say("serve: new connections get %s", s->gen);
    } /* else keep serving the last good one */
    free(gen);
    free(error);
}

/* Serves one accepted connection in a child running xapian-progsrv. */
static void serve_one(server_t *s, int conn)
{
    if (s->nkids >= s->max_conn) {
        close(conn);
        if (!s->refusing && !s->quiet)
            qc_say("serve: %zu connections open (--max-connections %u): refusing more", s->nkids,
                   s->max_conn);
        s->refusing = 1;
        return;
    }
    follow(s);
    /* the protocol is many small exchanges: without TCP_NODELAY each waits
     * for a delayed ACK (xapian-tcpsrv sets it; progsrv expects pipes) -
     * 28 s instead of 0.11 s for one query with feedback */
    const int one = 1;
    setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const char *bin = getenv("QUIRE_PROGSRV");
    if (!bin || !*bin) bin = "xapian-progsrv";
    char timeout[32];
    snprintf(timeout, sizeof timeout, "%u", s->idle_s * 1000);
    const pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        const int null = open("/dev/null", O_WRONLY);
        if (dup2(conn, 0) < 0 || dup2(conn, 1) < 0 || (null >= 0 && dup2(null, 2) < 0)) _exit(127);
        execlp(bin, bin, "--timeout", timeout, s->gen, (char *)NULL);
        _exit(127);
    }
    close(conn);
    if (pid < 0)
        qc_say("serve: cannot start %s: %s", bin, strerror(errno));
    else
        s->kids[s->nkids++] = pid;
}

static int run(server_t *s)
{
    if (!s->quiet)
        qc_say("serve: %s on tcp://%s:%s, read-only, unauthenticated; at most %u connections, "
               "idle ones closed after %u s",
               s->gen, s->host, s->port, s->max_conn, s->idle_s);
    while (!stop_signal) {
        struct pollfd p = {s->lfd, POLLIN, 0};
        const int n = poll(&p, 1, 1000);
        reap(s);
        if (n <= 0) {
            if (n == 0) follow(s);
            continue;
        }
        const int conn = accept(s->lfd, NULL, NULL);
        if (conn >= 0 && fcntl(conn, F_SETFD, FD_CLOEXEC) == 0)
            serve_one(s, conn);
        else if (conn >= 0)
            close(conn);
    }
    for (size_t i = 0; i < s->nkids; i++) kill(s->kids[i], SIGTERM);
    while (s->nkids) {
        const pid_t pid = waitpid(-1, NULL, 0);
        if (pid < 0) break;
        reap(s);
    }
    close(s->lfd);
    return QC_EXIT_OK;
}

static int parse(int argc, char **argv, server_t *s)
{
    static const struct option longopts[] = {{"index", required_argument, NULL, 'i'},
                                             {"host", required_argument, NULL, 'H'},
                                             {"port", required_argument, NULL, 'p'},
                                             {"public", no_argument, NULL, 'P'},
                                             {"max-connections", required_argument, NULL, 'M'},
                                             {"idle-timeout", required_argument, NULL, 'T'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"http", no_argument, NULL, 'W'},
                                             {"token", required_argument, NULL, 'K'},
                                             {"cors", required_argument, NULL, 'C'},
                                             {"threads", required_argument, NULL, 'N'},
                                             {"time-limit", required_argument, NULL, 'L'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    s->max_conn = cpus > 0 && cpus < MAX_CONNECTIONS / 16 ? 16 * (unsigned)cpus : MAX_CONNECTIONS;
    s->idle_s = 60;
    s->host = "127.0.0.1";
    optind = 1;
    int c;
    unsigned long n = 0;
    while ((c = qc_getopt("serve", argc, argv, "qh", longopts)) != -1) {
        if (c == 'i' && !s->dir)
            s->dir = optarg;
        else if (c == 'i' && s->nmore < sizeof s->more / sizeof *s->more)
            s->more[s->nmore++] = optarg;
        else if (c == 'i')
            return qc_usage("serve", "--index given more than %zu times",
                            1 + sizeof s->more / sizeof *s->more),
                   -1;
        else if (c == 'H')
            s->host = optarg;
        else if (c == 'p')
            s->port = optarg;
        else if (c == 'P')
            s->public_ok = 1;
        else if (c == 'q')
            s->quiet = 1;
        else if (c == 'W')
            s->http = 1;
        else if (c == 'K')
            s->token = optarg;
        else if (c == 'C')
            s->cors = optarg;
        else if (c == 'L') {
            const char *arg = optarg ? optarg : "";
            char *end = NULL;
            const double secs = strtod(arg, &end);
            if (end == arg || *end || !(secs >= 0 && secs <= 3600))
                return qc_usage("serve", "--time-limit takes 0 to 3600 seconds, not '%s'", arg), -1;
            s->time_ms = (unsigned)(secs * 1000 + 0.5);
            s->time_set = 1;
        } else if (c == 'N') {
            if (qc_parse_count("serve", "--threads", optarg, 1, 64, &n)) return -1;
            s->threads = (unsigned)n;
        } else if (c == 'M' || c == 'T') {
            if (qc_parse_count("serve", c == 'M' ? "--max-connections" : "--idle-timeout", optarg,
                               1, c == 'M' ? HTTP_MAX_CONNECTIONS : 86400, &n))
                return -1;
            *(c == 'M' ? &s->max_conn : &s->idle_s) = (unsigned)n;
            if (c == 'M') s->max_conn_set = 1;
        } else if (c == 'h') {
            fputs(serve_usage, stdout);
            return 1;
        } else
            return -1;
    }
    if (optind < argc) return qc_usage("serve", "unexpected argument '%s'", argv[optind]), -1;
    if (!s->port) return qc_usage("serve", "--port is required (e.g. --port 7000)"), -1;
    if (qc_parse_count("serve", "--port", s->port, s->http ? 0 : 1, 65535, &n)) return -1;
    if (!s->http && s->nmore)
        return qc_usage("serve", "serve serves one index; --http can serve several (shards)"), -1;
    if (!s->http && (s->token || s->cors || s->threads || s->time_set))
        return qc_usage("serve", "--token, --cors, --threads and --time-limit go with --http"), -1;
    if (!s->time_set) s->time_ms = 2000;
    if (!s->token) s->token = getenv("QUIRE_TOKEN");
    if (s->token && (strlen(s->token) < 16 || strpbrk(s->token, " \t\r\n")))
        return qc_usage("serve", "a --token is 16 characters or more, no spaces"), -1;
    if (!s->threads) s->threads = cpus > 0 && cpus < 32 ? 2 * (unsigned)cpus : 64;
    if (!s->http && s->max_conn > MAX_CONNECTIONS)
        return qc_usage("serve", "--max-connections is at most %d without --http", MAX_CONNECTIONS),
               -1;
    if (s->http && !s->max_conn_set) s->max_conn = HTTP_DEFAULT_CONNECTIONS;
    if (!*s->host)
        return qc_usage("serve", "--host is empty (the default is 127.0.0.1; --public to listen "
                                 "beyond this machine)"),
               -1;
    return 0;
}

/* --http: loopback unless a token or --public says otherwise. */
static int serve_http(const server_t *s)
{
    struct addrinfo *ai = NULL;
    const int rc = resolve_host(s, s->public_ok || s->token, &ai);
    if (rc != 0) return rc;
    if (!ai) return qc_usage("serve", "--host %s names no address", s->host);
    qc_http_opts_t o = {.dir = s->dir,
                        .more = s->more,
                        .nmore = s->nmore,
                        .host = s->host,
                        .addrlen = ai->ai_addrlen,
                        .token = s->token,
                        .cors = s->cors,
                        .threads = s->threads,
                        .max_conn = s->max_conn,
                        .idle_s = s->idle_s,
                        .time_ms = s->time_ms,
                        .quiet = s->quiet};
    memcpy(&o.addr, ai->ai_addr, ai->ai_addrlen < sizeof o.addr ? ai->ai_addrlen : sizeof o.addr);
    freeaddrinfo(ai);
    return qc_http_serve(&o);
}

int qc_cmd_serve(int argc, char **argv)
{
    static server_t s;
    memset(&s, 0, sizeof s);
    const int p = parse(argc, argv, &s);
    if (p != 0) return p > 0 ? QC_EXIT_OK : QC_EXIT_ERROR;
    if (s.dir && !strncmp(s.dir, "tcp://", 6))
        return qc_usage("serve",
                        "the first --index must be an index directory on this machine "
                        "(%s, another server's, may come after one)",
                        s.dir),
               QC_EXIT_ERROR;
    if (!(s.dir = qc_index_dir(s.dir))) return QC_EXIT_ERROR;
    char *gen = NULL, *error = NULL;
    const quire_status_t st = quire_published(s.dir, &gen, &error);
    if (st != QUIRE_OK) {
        const int status = qc_fail_text(st, error);
        free(error);
        return status;
    }
    snprintf(s.gen, sizeof s.gen, "%s", gen);
    free(gen);
    if (s.http) return serve_http(&s);
    const int status = listen_on(&s);
    if (status != 0) {
        if (s.lfd >= 0) close(s.lfd);
        return status;
    }
    qc_on_stop_signals(on_signal, 1);
    signal(SIGPIPE, SIG_IGN);
    return run(&s);
}
