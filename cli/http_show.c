/*
 * http_show.c - GET /api/show?cite=PATH:PLACE&context=N&q=QUERY
 * (docs/HTTP.md): a cited passage in its context, as `quire show` gives
 * it. PATH is a hit's "show" path, relative to one of the index's roots.
 *
 * Only what the index holds is ever read: PATH must be relative, without
 * "..", and must resolve (symbolic links followed) inside the root it is
 * joined to; the file is read only then, and its text is sent only when
 * the index holds that file. Anything else is a 404 that says no more than
 * that, so the API cannot be used to probe the disk.
 */
#include "http.h"

#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_CONTEXT 50

/* A path inside a root: relative, no "." or ".." component, no NUL. */
static int safe_relative(const char *p)
{
    if (!*p || *p == '/') return 0;
    for (const char *c = p; c && *c;) {
        const char *slash = strchr(c, '/');
        const size_t n = slash ? (size_t)(slash - c) : strlen(c);
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')) return 0;
        c = slash ? slash + 1 : NULL;
    }
    return 1;
}

/* root/rel into out when it resolves inside root; 0 when it does not. */
static int inside(const char *root, size_t rn, const char *rel, char out[PATH_MAX])
{
    char joined[PATH_MAX], real_root[PATH_MAX], want[PATH_MAX];
    if ((size_t)snprintf(want, sizeof want, "%.*s", (int)rn, root) >= sizeof want ||
        (size_t)snprintf(joined, sizeof joined, "%s/%s", want, rel) >= sizeof joined)
        return 0;
    if (!realpath(want, real_root) || !realpath(joined, out)) return 0;
    const size_t k = strlen(real_root);
    return !strncmp(out, real_root, k) && (out[k] == '/' || k == 1)
               ? (snprintf(out, PATH_MAX, "%s", joined), 1)
               : 0;
}

/* The shown lines [from, to] of sh->text (whose first line is
 * sh->text_line) as [*a, *b) bytes. */
static void line_span(const quire_shown_t *sh, unsigned from, unsigned to, size_t *a, size_t *b)
{
    unsigned line = sh->text_line;
    size_t i = 0;
    while (i < sh->text_len && line < from)
        if (sh->text[i++] == '\n') line++;
    *a = i;
    while (i < sh->text_len && line <= to)
        if (sh->text[i++] == '\n') line++;
    *b = i;
}

static void shown_json(qc_text_t *b, const char *cite, const char *rel, const char *root, size_t rn,
                       const quire_shown_t *sh, unsigned context)
{
    const unsigned from = sh->line_start > context ? sh->line_start - context : 1;
    size_t a = 0, e = 0;
    line_span(sh, from, sh->line_end + context, &a, &e);
    qc_text_printf(b, "{\"version\":%d,\"cite\":", QC_HTTP_VERSION);
    qc_json_string(b, cite, strlen(cite));
    qc_text_adds(b, ",\"path\":");
    qc_json_string(b, rel, strlen(rel));
    qc_text_adds(b, ",\"root\":");
    qc_json_string(b, root, rn);
    qc_text_adds(b, ",\"title\":");
    qc_json_string(b, sh->title ? sh->title : "", sh->title ? sh->title_len : 0);
    qc_text_printf(b,
                   ",\"found\":%s,\"changed\":%s,\"removed\":%s,\"line_start\":%u,"
                   "\"line_end\":%u,\"first_line\":%u,\"text\":",
                   sh->found ? "true" : "false", sh->changed ? "true" : "false",
                   sh->removed ? "true" : "false", sh->line_start, sh->line_end,
                   from > sh->text_line ? from : sh->text_line);
    qc_json_string(b, sh->text + a, e - a);
    if (sh->found && sh->text_start >= a && sh->text_end <= e)
        qc_text_printf(b, ",\"passage\":[%llu,%llu]", (unsigned long long)(sh->text_start - a),
                       (unsigned long long)(sh->text_end - a));
    qc_text_adds(b, ",\"marks\":[");
    size_t n = 0;
    for (size_t i = 0; i < sh->nmarks; i++) {
        if (sh->marks[i].start < a || sh->marks[i].end > e) continue;
        qc_text_printf(b, "%s[%zu,%zu]", n++ ? "," : "", sh->marks[i].start - a,
                       sh->marks[i].end - a);
    }
    qc_text_adds(b, "]}\n");
}

typedef struct {
    const char *rel, *cite, *query;
    unsigned part, first, last, context;
} want_t;

/* Looks for the citation in db's roots; 1 when answered into r, 0 when db
 * does not hold it, -1 after an error reply. */
static int try_index(quire_db_t *db, const want_t *w, qc_http_reply_t *r)
{
    char full[PATH_MAX];
    quire_stats_t s;
    const quire_status_t st = quire_db_stats(db, &s);
    if (st != QUIRE_OK) {
        qc_http_failed(r, db, st);
        return -1;
    }
    for (const char *root = s.from; root && *root;) {
        const char *nl = strchr(root, '\n');
        const size_t rn = nl ? (size_t)(nl - root) : strlen(root);
        quire_shown_t sh;
        if (inside(root, rn, w->rel, full) &&
            quire_show_part(db, full, w->part, w->first, w->last, w->context, w->query, &sh) ==
                QUIRE_OK &&
            sh.indexed) {
            shown_json(&r->body, w->cite, w->rel, root, rn, &sh, w->context);
            return 1;
        }
        root = nl ? nl + 1 : NULL;
    }
    return 0;
}

/* 1 when spec names a local index directory (not tcp://, not a list). */
static int local_index(const char *spec)
{
    struct stat st;
    return strncmp(spec, "tcp://", 6) != 0 && stat(spec, &st) == 0 && S_ISDIR(st.st_mode);
}

void qc_http_show(const qc_http_req_t *q, qc_http_reply_t *r)
{
    static const char *const names[] = {"cite", "context", "q", NULL};
    qc_text_t cite = {0}, query = {0};
    unsigned long context = 0;
    char rel[PATH_MAX];
    want_t w = {rel, NULL, NULL, 0, 0, 0, 0};
    if (qc_http_only(q, r, names) || qc_http_number(q, r, "context", 0, MAX_CONTEXT, 3, &context) ||
        qc_http_text(q, r, "cite", 1, QC_HTTP_MAX_QUERY, &cite) < 0 ||
        qc_http_text(q, r, "q", 0, QC_HTTP_MAX_QUERY, &query) < 0)
        goto done;
    const qc_http_param_t *raw = qc_http_param(q, "cite");
    if (memchr(raw->value, '\0', raw->len) ||
        quire_cite_parse(cite.data, rel, sizeof rel, &w.part, &w.first, &w.last) != 0) {
        qc_http_error(r, 400, "cite is PATH:LINE, PATH:LINE-LINE or PATH:p12:5-9 (a hit's show)");
        goto done;
    }
    w.cite = cite.data;
    w.query = query.len ? query.data : NULL;
    w.context = (unsigned)context;
    int got = safe_relative(rel) ? try_index(q->local, &w, r) : 0;
    /* shards: the file is in one of them; each local one is looked in */
    for (size_t i = 0; got == 0 && safe_relative(rel) && i < q->o->nmore; i++) {
        if (!local_index(q->o->more[i])) continue;
        quire_db_t *db = NULL;
        const char *spec[1] = {q->o->more[i]};
        if (quire_db_open(spec, 1, NULL, &db) == QUIRE_OK) got = try_index(db, &w, r);
        quire_db_close(db);
    }
    if (got == 0) qc_http_error(r, 404, "no indexed file holds that citation");
done:
    qc_text_free(&cite);
    qc_text_free(&query);
}
