/*
 * http.h - `quire serve --http`: the JSON API over HTTP (docs/HTTP.md).
 *
 * http.c owns the server: libmicrohttpd (loaded with dlopen when --http
 * starts, so no other command pays for it), the worker threads and their
 * index handles, the limits, the bearer token and the headers every
 * response carries. http_api.c answers one request: it reads the
 * parameters through qc_http_req_t and writes a qc_http_reply_t; it never
 * sees a socket. Both are clients of quire.h alone.
 */
#ifndef QUIRE_HTTP_H
#define QUIRE_HTTP_H

#include "quire.h"
#include "text.h"

#include <stddef.h>
#include <sys/socket.h>

/* What the server is asked to do. */
typedef struct qc_http_opts {
    const char *dir;         /* the index directory served (/healthz, /api/show, /api/stats) */
    const char *const *more; /* ... searched as one with these (shards: directories,
                              * tcp://HOST:PORT, list files) */
    size_t nmore;
    const char *host;             /* the address listened on, as given (for the log) */
    struct sockaddr_storage addr; /* ... resolved, with the port (0: any free port) */
    socklen_t addrlen;
    const char *token; /* requests must carry Authorization: Bearer TOKEN; NULL: none */
    const char *cors;  /* the one origin allowed to read responses from a page; NULL: none */
    unsigned threads;  /* worker threads, each with its own index handle */
    unsigned max_conn; /* connections at once */
    unsigned idle_s;   /* an idle connection is closed after this long */
    unsigned time_ms;  /* a search stops after this long (its hits so far are kept) */
    int quiet;         /* log only errors */
} qc_http_opts_t;

/* Serves o until SIGINT or SIGTERM. Returns the exit status. */
int qc_http_serve(const qc_http_opts_t *o);

/* One query parameter, as decoded from the URL (value may hold NULs). */
typedef struct qc_http_param {
    const char *name;
    const char *value;
    size_t len;
} qc_http_param_t;

/* A request as the API sees it. */
typedef struct qc_http_req {
    const char *path; /* the URL's path, decoded ("/api/search") */
    const qc_http_param_t *params;
    size_t nparams;
    quire_db_t *db;    /* this thread's handle on the index; NULL when it cannot be opened */
    const char *dberr; /* ... and then why */
    quire_db_t *local; /* ... on the first index alone (show, stats); db when there is one */
    const qc_http_opts_t *o;
} qc_http_req_t;

/* What to send back. */
typedef struct qc_http_reply {
    unsigned status;  /* 200, 400, 404, 413, 503 ... */
    const char *type; /* Content-Type (static) */
    qc_text_t body;
    const char *csp; /* Content-Security-Policy (static); NULL: the API's, default-src 'none' */
} qc_http_reply_t;

/* The search page (cli/page/: index.html, app.js, app.css, built into the
 * binary by the Makefile as $(BUILD)/gen/page.c): when path is one of its
 * files, fills r with it and returns 1; else 0 (http_page.c). */
int qc_http_page(const char *path, qc_http_reply_t *r);

/* Answers req into r (r->body empty on entry). */
void qc_http_answer(const qc_http_req_t *req, qc_http_reply_t *r);

/* The JSON error body {"version":1,"error":MSG} with status. */
void qc_http_error(qc_http_reply_t *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The API's schema version, in every JSON response. */
#define QC_HTTP_VERSION 1
#define QC_HTTP_MAX_QUERY 4096 /* bytes of q: more is 413 */

/* The endpoints (http_search.c, http_show.c). */
void qc_http_search(const qc_http_req_t *q, qc_http_reply_t *r);
void qc_http_show(const qc_http_req_t *q, qc_http_reply_t *r);

/* Parameter helpers (http_api.c). Each that can fail writes the error
 * reply and returns -1. */
const qc_http_param_t *qc_http_param(const qc_http_req_t *q, const char *name); /* or NULL */
/* Every parameter is one of names (NULL-terminated): 0; else 400. */
int qc_http_only(const qc_http_req_t *q, qc_http_reply_t *r, const char *const *names);
/* A whole number in [lo, hi], def when absent: 0; else 400. */
int qc_http_number(const qc_http_req_t *q, qc_http_reply_t *r, const char *name, unsigned long lo,
                   unsigned long hi, unsigned long def, unsigned long *out);
/* Text into *s (NUL-terminated, NULs made spaces): 0; 1 when absent and not
 * need; -1 after a 400 (absent, needed) or 413 (longer than max). */
int qc_http_text(const qc_http_req_t *q, qc_http_reply_t *r, const char *name, int need, size_t max,
                 qc_text_t *s);
/* 1 for name=1, true or yes. */
int qc_http_flag(const qc_http_req_t *q, const char *name);
/* A libquire failure as 400 (the query's fault) or 503 (the index's). */
void qc_http_failed(qc_http_reply_t *r, quire_db_t *db, quire_status_t st);

#endif
