/*
 * http.c - the HTTP server of `quire serve --http` (http.h): libmicrohttpd
 * with a pool of worker threads, each answering its connections with its
 * own index handle (a quire_db_t belongs to one thread), opened on the
 * thread's first request and closed when the server stops. A handle sees
 * each newly published generation on its next search (quire_search
 * reopens), so an update needs no restart and a request in flight finishes
 * on the generation it started on.
 *
 * What every request meets here, before the API sees it: GET and HEAD only
 * (405 otherwise; OPTIONS answers a --cors preflight), the bearer token
 * when one is set (compared in constant time; /healthz is open), at most
 * QC_HTTP_MAX_PARAMS parameters, and headers that keep a browser from
 * treating a response as anything but data (nosniff, a Content-Security-
 * Policy of default-src 'none', no referrer, no caching, no CORS unless
 * --cors names the origin). libmicrohttpd bounds the rest: a request's
 * header and URL size (QC_HTTP_MEMORY: 414 or 431 past it), connections at
 * once (more wait in the listen queue for their turn), and idle connections
 * (closed after --idle-timeout). Its timeout counts inactivity only, so a
 * client trickling a byte at a time (slowloris) would keep its connection;
 * here a request must also arrive whole within --idle-timeout of the
 * connection opening or of the previous answer (close_late).
 *
 * libmicrohttpd is loaded with dlopen when the server starts, as lib/pdf.c
 * loads poppler: linked, it would cost every quire command its start-up.
 */
#include "http.h"

#include "cli.h"

#include <dlfcn.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define QC_HTTP_MAX_PARAMS 32
#define QC_HTTP_MEMORY (64 * 1024) /* a request's URL and headers, per connection */

/* The libmicrohttpd functions this file calls, found by dlsym; each name
 * below stands for its pointer. */
#define MHD_FUNCTIONS(X)                                                                           \
    X(MHD_start_daemon)                                                                            \
    X(MHD_stop_daemon)                                                                             \
    X(MHD_get_daemon_info)                                                                         \
    X(MHD_create_response_from_buffer)                                                             \
    X(MHD_add_response_header)                                                                     \
    X(MHD_queue_response)                                                                          \
    X(MHD_destroy_response)                                                                        \
    X(MHD_lookup_connection_value)                                                                 \
    X(MHD_get_connection_values_n)                                                                 \
    X(MHD_get_connection_info)

/* NOLINTBEGIN(bugprone-macro-parentheses): names pasted as declarators and members */
#define MEMBER(name) __typeof__(&name) name;
static struct {
    MHD_FUNCTIONS(MEMBER)
} M;
#undef MEMBER
/* NOLINTEND(bugprone-macro-parentheses) */

/* Loads libmicrohttpd; 0, or -1 after saying why. */
static int load_mhd(void)
{
    void *h = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        qc_say("serve --http needs libmicrohttpd (Debian: libmicrohttpd12): %s", dlerror());
        return -1;
    }
/* NOLINTBEGIN(bugprone-macro-parentheses): names pasted as declarators and members */
#define LOAD(name)                                                                                 \
    *(void **)&M.name = dlsym(h, #name);                                                           \
    if (!M.name) {                                                                                 \
        qc_say("libmicrohttpd lacks %s: too old (0.9.71 or later needed)", #name);                 \
        return -1;                                                                                 \
    }
    MHD_FUNCTIONS(LOAD)
#undef LOAD
    /* NOLINTEND(bugprone-macro-parentheses) */
    return 0;
}

/* ------------------------------------------------------------ handles */

static pthread_key_t db_key, local_key;
static const qc_http_opts_t *opts;

static void close_db(void *db)
{
    quire_db_close(db);
}

/* This thread's handle on specs[0..n) under key, opened on its first
 * request; NULL with *why set when it cannot be opened (tried again on the
 * next request). */
static quire_db_t *thread_handle(pthread_key_t key, const char *const *specs, size_t n,
                                 const char **why)
{
    static _Thread_local char err[512];
    quire_db_t *db = pthread_getspecific(key);
    if (db) return db;
    const quire_status_t st = quire_db_open(specs, n, NULL, &db);
    if (st != QUIRE_OK || pthread_setspecific(key, db) != 0) {
        snprintf(err, sizeof err, "%s", db ? quire_db_error(db) : "out of memory");
        quire_db_close(db);
        *why = err;
        return NULL;
    }
    return db;
}

/* The handle searches use (every index served, as one), and the one on
 * the first index alone that /api/show and /api/stats read (the same
 * handle when there is one index). */
static void thread_dbs(qc_http_req_t *req)
{
    const char *specs[64] = {opts->dir};
    for (size_t i = 0; i < opts->nmore && i < 63; i++) specs[i + 1] = opts->more[i];
    req->db = thread_handle(db_key, specs, 1 + opts->nmore, &req->dberr);
    req->local =
        !req->db || !opts->nmore ? req->db : thread_handle(local_key, specs, 1, &req->dberr);
}

/* ------------------------------------------------------------ slow senders */

typedef struct {
    int fd;
    time_t since; /* waiting for a request since */
} waiting_t;

static pthread_mutex_t waiting_mu = PTHREAD_MUTEX_INITIALIZER;
static waiting_t *waiting; /* the connections waiting for a whole request */
static size_t nwaiting, capwaiting;

/* Starts (on) or stops the clock of connection fd's next request. */
static void wait_for(int fd, int on)
{
    if (fd < 0) return;
    pthread_mutex_lock(&waiting_mu);
    size_t i = 0;
    while (i < nwaiting && waiting[i].fd != fd) i++;
    if (!on && i < nwaiting) {
        waiting[i] = waiting[--nwaiting];
    } else if (on && i == nwaiting && nwaiting == capwaiting) {
        const size_t cap = capwaiting ? 2 * capwaiting : 64;
        waiting_t *v = realloc(waiting, cap * sizeof *v);
        if (v) { /* out of memory: this connection goes without a deadline */
            waiting = v;
            capwaiting = cap;
        }
    }
    if (on && i < capwaiting) {
        waiting[i] = (waiting_t){fd, time(NULL)};
        if (i == nwaiting) nwaiting++;
    }
    pthread_mutex_unlock(&waiting_mu);
}

/* Ends the connections whose request has not arrived whole in time: the
 * shut-down socket is then closed by libmicrohttpd like any other. */
static void close_late(unsigned deadline_s)
{
    const time_t now = time(NULL);
    pthread_mutex_lock(&waiting_mu);
    for (size_t i = 0; i < nwaiting;) {
        if (now - waiting[i].since <= (time_t)deadline_s) {
            i++;
            continue;
        }
        shutdown(waiting[i].fd, SHUT_RDWR);
        waiting[i] = waiting[--nwaiting];
    }
    pthread_mutex_unlock(&waiting_mu);
}

static int connection_fd(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *i =
        M.MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    return i ? (int)i->connect_fd : -1;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    (void)socket_context;
    wait_for(connection_fd(c), toe == MHD_CONNECTION_NOTIFY_STARTED);
}

/* An answer is sent: the clock runs for the connection's next request. */
static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)state;
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK) wait_for(connection_fd(c), 1);
}

/* ------------------------------------------------------------ requests */

typedef struct {
    qc_http_param_t v[QC_HTTP_MAX_PARAMS];
    size_t n;
    int too_many;
} params_t;

static enum MHD_Result add_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_size, const char *value, size_t value_size)
{
    params_t *p = cls;
    (void)kind;
    (void)key_size;
    if (p->n == QC_HTTP_MAX_PARAMS) {
        p->too_many = 1;
        return MHD_NO;
    }
    p->v[p->n++] = (qc_http_param_t){key, value ? value : "", value ? value_size : 0};
    return MHD_YES;
}

/* a and b compared in time that depends on their lengths only. */
static int same_secret(const char *a, const char *b)
{
    const size_t n = strlen(a), m = strlen(b);
    unsigned char diff = n != m;
    for (size_t i = 0; i < n; i++) diff |= (unsigned char)(a[i] ^ b[i % (m ? m : 1)]);
    return diff == 0;
}

static int authorized(struct MHD_Connection *c, const char *path)
{
    if (!opts->token || !strcmp(path, "/healthz")) return 1;
    const char *h = M.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    return h && !strncmp(h, "Bearer ", 7) && same_secret(h + 7, opts->token);
}

/* Sends r with the headers every response carries. */
static enum MHD_Result send_reply(struct MHD_Connection *c, qc_http_reply_t *r, const char *allow)
{
    if (r->body.oom) {
        qc_text_free(&r->body);
        qc_http_error(r, 503, "out of memory");
    }
    struct MHD_Response *resp = M.MHD_create_response_from_buffer(
        r->body.len, r->body.data ? r->body.data : (char *)"", MHD_RESPMEM_MUST_COPY);
    qc_text_free(&r->body);
    if (!resp) return MHD_NO;
    M.MHD_add_response_header(resp, "Content-Type", r->type);
    M.MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    M.MHD_add_response_header(resp, "Content-Security-Policy",
                              r->csp ? r->csp : "default-src 'none'; frame-ancestors 'none'");
    M.MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    M.MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (opts->cors) {
        M.MHD_add_response_header(resp, "Access-Control-Allow-Origin", opts->cors);
        M.MHD_add_response_header(resp, "Vary", "Origin");
    }
    if (allow) M.MHD_add_response_header(resp, "Allow", allow);
    if (r->status == 401) M.MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
    const enum MHD_Result ok = M.MHD_queue_response(c, r->status, resp);
    M.MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    static int seen; /* *state's mark: the headers were seen */
    (void)cls;
    (void)version;
    (void)upload;
    qc_http_reply_t r = {200, "application/json", {0}, NULL};
    const int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    if (!*state) wait_for(connection_fd(c), 0); /* the request is in, in time */
    if (get && !*state) { /* answered on the next call: an answer to the first closes the */
        *state = &seen;   /* connection, which would end a pipelined client's next request */
        return MHD_YES;
    }
    if (!get && opts->cors && !strcmp(method, "OPTIONS")) { /* a preflight */
        r.status = 204;
        return send_reply(c, &r, "GET, HEAD, OPTIONS");
    }
    if (!get) {
        *upload_size = 0; /* a body is read no further: the answer needs none */
        qc_http_error(&r, 405, "%s is not served: the API is read-only (GET)", method);
        return send_reply(c, &r, "GET, HEAD");
    }
    if (qc_http_page(url, &r)) /* the page holds no data: no token needed */
        return send_reply(c, &r, NULL);
    if (!authorized(c, url)) {
        qc_http_error(&r, 401, "this server wants Authorization: Bearer TOKEN");
        return send_reply(c, &r, NULL);
    }
    params_t p = {.n = 0};
    M.MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, add_param, &p);
    if (p.too_many) {
        qc_http_error(&r, 400, "more than %d parameters", QC_HTTP_MAX_PARAMS);
        return send_reply(c, &r, NULL);
    }
    qc_http_req_t req = {url, p.v, p.n, NULL, NULL, NULL, opts};
    thread_dbs(&req);
    qc_http_answer(&req, &r);
    if (r.status >= 500 && !opts->quiet) qc_say("http: %s %s: %u", method, url, r.status);
    return send_reply(c, &r, NULL);
}

/* ------------------------------------------------------------ the server */

static volatile sig_atomic_t stop_signal = 0;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* Room for max_conn connections: the soft limit on open files raised
 * toward the hard one (Debian's soft default, 1,024, would refuse a burst
 * of a thousand clients); the connections that fit, after saying so. */
static unsigned fit_connections(unsigned max_conn, int quiet)
{
    struct rlimit rl;
    const rlim_t want = (rlim_t)max_conn + 64; /* the index's files, the log, the listener */
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want) return max_conn;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0 && getrlimit(RLIMIT_NOFILE, &rl) != 0) return max_conn;
    if (rl.rlim_cur >= want) return max_conn;
    const unsigned fit = rl.rlim_cur > 128 ? (unsigned)(rl.rlim_cur - 64) : 64;
    if (!quiet)
        qc_say("serve --http: %u connections at once, not %u: this process may open %lu files", fit,
               max_conn, (unsigned long)rl.rlim_cur);
    return fit;
}

int qc_http_serve(const qc_http_opts_t *o)
{
    if (load_mhd() != 0 || pthread_key_create(&db_key, close_db) != 0 ||
        pthread_key_create(&local_key, close_db) != 0)
        return QC_EXIT_ERROR;
    opts = o;
    signal(SIGPIPE, SIG_IGN);
    const int v6 = o->addr.ss_family == AF_INET6;
    const unsigned max_conn = fit_connections(o->max_conn, o->quiet);
    /* poll, not epoll: libmicrohttpd 0.9.75's epoll workers, once at the
     * connection limit, left the connections accepted then unanswered until
     * they idled out (256 of 1,000 at --max-connections 512); with poll the
     * ones past the limit wait their turn and are all answered */
    struct MHD_Daemon *d = M.MHD_start_daemon(
        MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&o->addr,
        MHD_OPTION_THREAD_POOL_SIZE, o->threads, MHD_OPTION_CONNECTION_LIMIT, max_conn,
        MHD_OPTION_CONNECTION_TIMEOUT, o->idle_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)QC_HTTP_MEMORY, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        qc_say("serve --http: cannot listen on %s (in use, or not this machine's address)",
               o->host);
        return QC_EXIT_ERROR;
    }
    const union MHD_DaemonInfo *info = M.MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    const unsigned port = info ? info->port : 0;
    fprintf(stderr, "quire: serving %s on http://%s%s%s:%u/ (%u threads)\n", o->dir, v6 ? "[" : "",
            o->host, v6 ? "]" : "", port, o->threads);
    fflush(stderr);
    qc_on_stop_signals(on_signal, 0);
    while (!stop_signal) { /* a signal sets it; pause() could miss one that came first */
        const struct timespec tick = {0, 200L * 1000 * 1000};
        nanosleep(&tick, NULL);
        if (o->idle_s) close_late(o->idle_s);
    }
    M.MHD_stop_daemon(d); /* joins the workers: their handles close as they exit */
    free(waiting);
    waiting = NULL;
    nwaiting = capwaiting = 0;
    if (!o->quiet) fprintf(stderr, "quire: stopped serving (signal %d)\n", (int)stop_signal);
    return QC_EXIT_OK;
}
