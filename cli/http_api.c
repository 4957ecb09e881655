/*
 * http_api.c - the endpoints of the JSON API (http.h; the schema is
 * docs/HTTP.md): /healthz, /api/search, /api/show, /api/stats and
 * /api/suggest. Each checks its parameters (unknown ones are an error, so
 * a typo is not silently ignored), calls libquire and writes one JSON
 * object; hits are the objects `quire search --json` prints. Every
 * response carries "version" (QC_HTTP_VERSION); an error is
 * {"version":1,"error":"..."} with a 4xx or 5xx status.
 */
#include "http.h"

#include "cli.h"
#include "printer.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qc_http_error(qc_http_reply_t *r, unsigned status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->status = status;
    r->type = "application/json";
    qc_text_reset(&r->body);
    qc_text_printf(&r->body, "{\"version\":%d,\"error\":", QC_HTTP_VERSION);
    qc_json_string(&r->body, msg, strlen(msg));
    qc_text_adds(&r->body, "}\n");
}

/* ------------------------------------------------------------ parameters */

const qc_http_param_t *qc_http_param(const qc_http_req_t *q, const char *name)
{
    for (size_t i = 0; i < q->nparams; i++)
        if (!strcmp(q->params[i].name, name)) return &q->params[i];
    return NULL;
}

/* 0 when every parameter is one of names (NULL-terminated); else a 400. */
int qc_http_only(const qc_http_req_t *q, qc_http_reply_t *r, const char *const *names)
{
    for (size_t i = 0; i < q->nparams; i++) {
        size_t k = 0;
        while (names[k] && strcmp(names[k], q->params[i].name) != 0) k++;
        if (!names[k]) {
            qc_http_error(r, 400, "unknown parameter '%.64s' for %s", q->params[i].name, q->path);
            return -1;
        }
    }
    return 0;
}

/* A whole number in [lo, hi] (def when absent) into *out; else a 400. */
int qc_http_number(const qc_http_req_t *q, qc_http_reply_t *r, const char *name, unsigned long lo,
                   unsigned long hi, unsigned long def, unsigned long *out)
{
    const qc_http_param_t *p = qc_http_param(q, name);
    *out = def;
    if (!p) return 0;
    unsigned long v = 0;
    size_t i = 0;
    for (; i < p->len && p->value[i] >= '0' && p->value[i] <= '9' && v <= hi; i++)
        v = v * 10 + (unsigned long)(p->value[i] - '0');
    if (i == 0 || i < p->len || v < lo || v > hi) {
        qc_http_error(r, 400, "%s is a whole number from %lu to %lu", name, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* The text parameter name (required when need) into *s, NULs made spaces
 * (pasted text never fails); its length past max is a 413. 1 when absent. */
int qc_http_text(const qc_http_req_t *q, qc_http_reply_t *r, const char *name, int need, size_t max,
                 qc_text_t *s)
{
    const qc_http_param_t *p = qc_http_param(q, name);
    if (!p && need) {
        qc_http_error(r, 400, "%s is required", name);
        return -1;
    }
    if (!p) return 1;
    if (p->len > max) {
        qc_http_error(r, 413, "%s is longer than %zu bytes", name, max);
        return -1;
    }
    for (size_t i = 0; i < p->len; i++) qc_text_addc(s, p->value[i] ? p->value[i] : ' ');
    qc_text_addc(s, '\0');
    s->len--;
    return s->oom ? qc_http_error(r, 503, "out of memory"), -1 : 0;
}

int qc_http_flag(const qc_http_req_t *q, const char *name)
{
    const qc_http_param_t *p = qc_http_param(q, name);
    return p && (!strcmp(p->value, "1") || !strcmp(p->value, "true") || !strcmp(p->value, "yes"));
}

/* A libquire failure as a status: the query's fault 400, the index's 503. */
void qc_http_failed(qc_http_reply_t *r, quire_db_t *db, quire_status_t st)
{
    const char *why = quire_db_error(db);
    qc_http_error(r, st == QUIRE_BAD_QUERY || st == QUIRE_BAD_ARGUMENT ? 400 : 503, "%s",
                  why && *why ? why : quire_status_to_string(st));
}

/* ------------------------------------------------------------ endpoints */

static void healthz(const qc_http_req_t *q, qc_http_reply_t *r)
{
    char *gen = NULL, *err = NULL;
    const quire_status_t st = quire_published(q->o->dir, &gen, &err);
    if (st != QUIRE_OK || !q->db) {
        qc_http_error(r, 503, "%s", st != QUIRE_OK && err ? err : q->dberr ? q->dberr : "");
    } else {
        const char *base = strrchr(gen, '/') ? strrchr(gen, '/') + 1 : gen;
        qc_text_printf(&r->body, "{\"version\":%d,\"status\":\"ok\",\"quire\":", QC_HTTP_VERSION);
        qc_json_string(&r->body, quire_version(), strlen(quire_version()));
        qc_text_adds(&r->body, ",\"generation\":");
        qc_json_string(&r->body, base, strlen(base));
        qc_text_adds(&r->body, "}\n");
    }
    free(gen);
    free(err);
}

static void stats(const qc_http_req_t *q, qc_http_reply_t *r)
{
    static const char *const names[] = {NULL};
    if (qc_http_only(q, r, names)) return;
    quire_stats_t s;
    const quire_status_t st = quire_db_stats(q->local, &s);
    if (st != QUIRE_OK) {
        qc_http_failed(r, q->local, st);
        return;
    }
    qc_text_t one = {0};
    qc_json_stats(&one, &s);
    qc_text_printf(&r->body, "{\"version\":%d,", QC_HTTP_VERSION);
    if (one.len > 1) qc_text_add(&r->body, one.data + 1, one.len - 1);
    qc_text_free(&one);
}

typedef struct {
    qc_text_t *b;
    unsigned n;
} words_t;

static int add_word(void *ctx, const char *word, size_t len, unsigned long passages)
{
    words_t *w = ctx;
    qc_text_adds(w->b, w->n++ ? ",{\"word\":" : "{\"word\":");
    qc_json_string(w->b, word, len);
    qc_text_printf(w->b, ",\"passages\":%lu}", passages);
    return QUIRE_CONTINUE;
}

static void suggest(const qc_http_req_t *q, qc_http_reply_t *r)
{
    static const char *const names[] = {"q", "n", NULL};
    qc_text_t s = {0};
    unsigned long n = 0;
    if (qc_http_only(q, r, names) || qc_http_number(q, r, "n", 1, 50, 10, &n) ||
        qc_http_text(q, r, "q", 1, QC_HTTP_MAX_QUERY, &s) != 0)
        goto done;
    qc_text_printf(&r->body, "{\"version\":%d,\"query\":", QC_HTTP_VERSION);
    qc_json_string(&r->body, s.data, s.len);
    qc_text_adds(&r->body, ",\"completions\":[");
    words_t w = {&r->body, 0};
    const quire_status_t st = quire_suggest(q->db, s.data, s.len, (unsigned)n, add_word, &w);
    if (st != QUIRE_OK)
        qc_http_failed(r, q->db, st);
    else
        qc_text_adds(&r->body, "]}\n");
done:
    qc_text_free(&s);
}

void qc_http_answer(const qc_http_req_t *q, qc_http_reply_t *r)
{
    r->status = 200;
    r->type = "application/json";
    const int api = !strcmp(q->path, "/api/search") || !strcmp(q->path, "/api/show") ||
                    !strcmp(q->path, "/api/stats") || !strcmp(q->path, "/api/suggest");
    if (!strcmp(q->path, "/healthz"))
        healthz(q, r);
    else if (!api)
        qc_http_error(r, 404, "no such endpoint: %.200s", q->path);
    else if (!q->db || !q->local)
        qc_http_error(r, 503, "%s", q->dberr ? q->dberr : "no index");
    else if (!strcmp(q->path, "/api/search"))
        qc_http_search(q, r);
    else if (!strcmp(q->path, "/api/show"))
        qc_http_show(q, r);
    else if (!strcmp(q->path, "/api/stats"))
        stats(q, r);
    else
        suggest(q, r);
}
