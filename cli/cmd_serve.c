/*
 * cmd_serve.c - `quire serve`: makes one index (one shard) searchable from
 * other machines with Xapian's own remote protocol. It runs Debian's
 * xapian-tcpsrv, read-only, on the index's current generation, and follows
 * publishing: when `current` names a new generation, a new xapian-tcpsrv
 * takes over the port (connections already open finish on the generation
 * they opened; `quire search` renews its connections every second). The
 * protocol has no authentication and no encryption, so it listens on
 * loopback unless told otherwise.
 */
#include "cli.h"

#include "generation.h"
#include "index.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char serve_usage[] =
    "usage: quire serve [--index DIR] [--host ADDR] --port PORT [-q]\n"
    "\n"
    "Serves the index in DIR to `quire search --index tcp://HOST:PORT` on other\n"
    "machines, through xapian-tcpsrv (Debian package xapian-tools), read-only,\n"
    "following each newly published generation. Runs until interrupted.\n"
    "\n"
    "  --index DIR   index directory (default: $QUIRE_INDEX, else ./.quire)\n"
    "  --host ADDR   address to listen on (default 127.0.0.1: this machine only)\n"
    "  --port PORT   TCP port to listen on\n"
    "  -q, --quiet   no start-up or generation-change lines\n"
    "  -h, --help    this help\n"
    "\n"
    "SECURITY: Xapian's remote protocol has no authentication and no encryption.\n"
    "Anyone who can reach the port can read the whole index. Keep the default\n"
    "loopback address and reach it through SSH (ssh -N -L 7001:127.0.0.1:7001\n"
    "shard1) or bind only to a private network you trust.\n"
    "\n"
    "Exit status: 0 stopped by a signal, 2 error (no index, xapian-tcpsrv failed).\n";

static volatile sig_atomic_t stop_signal = 0;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* Starts xapian-tcpsrv on gen; returns its pid, or -1. */
static pid_t start_server(const char *host, const char *port, const char *gen)
{
    const char *bin = getenv("QUIRE_TCPSRV");
    if (!bin || !*bin) bin = "xapian-tcpsrv";
    const pid_t pid = fork();
    if (pid != 0) return pid;
    /* the child: its own process group (see stop_group); quiet, read-only,
     * one forked process per connection */
    setpgid(0, 0);
    execlp(bin, bin, "--interface", host, "--port", port, "--quiet", gen, (char *)NULL);
    fprintf(stderr, "quire: serve: cannot run %s: %s (install xapian-tools)\n", bin,
            strerror(errno));
    _exit(127);
}

/* xapian-tcpsrv answers SIGTERM by signalling its whole process group, so
 * each runs in a group of its own: the listener plus one process per open
 * connection. */
static void stop_group(pid_t pid, int connections_too)
{
    if (pid <= 0) return;
    /* SIGKILL to the listener alone frees the port while the processes
     * serving open connections finish on the generation they opened */
    kill(connections_too ? -pid : pid, connections_too ? SIGTERM : SIGKILL);
    for (int i = 0; i < 100; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid) return;
        const struct timespec tick = {0, 20000000L};
        nanosleep(&tick, NULL);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* The current generation, checked to open as a Quire index. */
static int current_generation(const char *dir, char *gen, size_t cap, ql_err_t *e)
{
    ql_index_t idx;
    if (ql_index_open(dir, &idx, e) != 0) return -1;
    snprintf(gen, cap, "%s", idx.path);
    ql_index_close(&idx);
    return 0;
}

int qc_cmd_serve(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"host", required_argument, NULL, 'H'},
        {"port", required_argument, NULL, 'p'},  {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    const char *index_flag = NULL, *host = "127.0.0.1", *port = NULL;
    int quiet = 0, c;
    optind = 1;
    while ((c = qc_getopt("serve", argc, argv, "qh", longopts)) != -1) {
        switch (c) {
        case 'i':
            index_flag = optarg;
            break;
        case 'H':
            host = optarg;
            break;
        case 'p':
            port = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(serve_usage, stdout);
            return QC_EXIT_OK;
        default:
            return QC_EXIT_ERROR;
        }
    }
    unsigned long pn = 0;
    if (optind < argc) return qc_usage("serve", "unexpected argument '%s'", argv[optind]);
    if (!port) return qc_usage("serve", "--port is required (e.g. --port 7000)");
    if (qc_parse_count("serve", "--port", port, 1, 65535, &pn)) return QC_EXIT_ERROR;
    const char *dir = qc_index_dir(index_flag);
    char gen[PATH_MAX + 256], now[PATH_MAX + 256];
    ql_err_t e = {0};
    if (current_generation(dir, gen, sizeof gen, &e) != 0) return qc_fail(&e);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    pid_t pid = start_server(host, port, gen);
    if (pid < 0) {
        fprintf(stderr, "quire: serve: cannot start xapian-tcpsrv: %s\n", strerror(errno));
        return QC_EXIT_ERROR;
    }
    if (!quiet) {
        printf("serving %s on tcp://%s:%s (read-only; no authentication or encryption)\n", gen,
               host, port);
        fflush(stdout);
    }
    int status = QC_EXIT_OK;
    while (!stop_signal) {
        const struct timespec tick = {0, 250000000L};
        nanosleep(&tick, NULL);
        int ws = 0;
        if (waitpid(pid, &ws, WNOHANG) == pid) {
            fprintf(stderr,
                    "quire: serve: xapian-tcpsrv on %s:%s exited (%s %d); is the port in use?\n",
                    host, port, WIFEXITED(ws) ? "status" : "signal",
                    WIFEXITED(ws) ? WEXITSTATUS(ws) : WTERMSIG(ws));
            pid = -1;
            status = QC_EXIT_ERROR;
            break;
        }
        ql_err_t ignored = {0};
        if (ql_gen_current(dir, now, sizeof now, &ignored) != 0 || strcmp(now, gen) == 0 ||
            current_generation(dir, now, sizeof now, &ignored) != 0)
            continue;
        /* a new generation: hand the port to a server on it */
        stop_group(pid, 0);
        snprintf(gen, sizeof gen, "%s", now);
        pid = start_server(host, port, gen);
        if (pid < 0) {
            fprintf(stderr, "quire: serve: cannot restart xapian-tcpsrv: %s\n", strerror(errno));
            status = QC_EXIT_ERROR;
            break;
        }
        if (!quiet) {
            printf("serving %s\n", gen);
            fflush(stdout);
        }
    }
    stop_group(pid, 1);
    return status;
}
