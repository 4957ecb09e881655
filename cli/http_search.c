/*
 * http_search.c - GET /api/search (docs/HTTP.md): one page of ranked hits,
 * what the search said about the query, and facets - the matching
 * passages counted by source and by month over the first
 * QC_HTTP_FACET_DEPTH of them (a second, snippet-free pass: its cost is
 * bounded whatever the query matches; "complete" says whether it saw them
 * all). source= and lang= add source: and lang: to the query, as a search
 * page's facet lists and language menu do.
 */
#include "http.h"

#include "cli.h"
#include "printer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_N 100
#define MAX_OFFSET 10000
/* Facets count the first this many matches: a pass over 1,000 took 40 ms
 * on SOTU against 2 ms for a page of ten (tools/bench/httpload.py). */
#define QC_HTTP_FACET_DEPTH 200
#define FACET_KEYS 200 /* distinct sources or months kept; the rest counted as "other" */

typedef struct {
    char key[64];
    unsigned n;
} facet_t;

typedef struct {
    facet_t v[FACET_KEYS];
    size_t n;
    unsigned other;
} facet_list_t;

typedef struct {
    facet_list_t source, month;
    unsigned counted;
} facets_t;

static void count(facet_list_t *l, const char *key, size_t len)
{
    if (len >= sizeof l->v[0].key) len = sizeof l->v[0].key - 1;
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i].key) == len && !memcmp(l->v[i].key, key, len)) {
            l->v[i].n++;
            return;
        }
    if (l->n == FACET_KEYS) {
        l->other++;
        return;
    }
    memcpy(l->v[l->n].key, key, len);
    l->v[l->n].key[len] = '\0';
    l->v[l->n++].n = 1;
}

static int on_facet_hit(void *ctx, const quire_hit_t *h)
{
    facets_t *f = ctx;
    f->counted++;
    if (h->source_len) count(&f->source, h->source, h->source_len);
    if (h->date) {
        char m[16];
        snprintf(m, sizeof m, "%04u-%02u", (unsigned)(h->date / 10000),
                 (unsigned)(h->date / 100 % 100));
        count(&f->month, m, strlen(m));
    }
    return QUIRE_CONTINUE;
}

static int by_count(const void *a, const void *b)
{
    const facet_t *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const facet_t *)a)->key, ((const facet_t *)b)->key);
}

static void facet_json(qc_text_t *b, const char *name, facet_list_t *l,
                       int (*order)(const void *, const void *))
{
    qsort(l->v, l->n, sizeof l->v[0], order);
    qc_text_printf(b, "\"%s\":[", name);
    for (size_t i = 0; i < l->n; i++) {
        qc_text_adds(b, i ? ",{\"value\":" : "{\"value\":");
        qc_json_string(b, l->v[i].key, strlen(l->v[i].key));
        qc_text_printf(b, ",\"count\":%u}", l->v[i].n);
    }
    qc_text_printf(b, "],\"%s_other\":%u", name, l->other);
}

typedef struct {
    qc_text_t *b;
    unsigned n;
} hits_t;

/* A hit as `quire search --json` prints it, plus "show": the citation
 * /api/show takes (the path in its root, and the place). */
static int on_hit(void *ctx, const quire_hit_t *h)
{
    hits_t *x = ctx;
    if (x->n++) qc_text_addc(x->b, ',');
    const size_t at = x->b->len;
    qc_json_hit(x->b, h, 0);
    if (x->b->len > at) x->b->len--; /* its closing brace */
    char place[64];
    quire_cite_place(h->part_kind, h->part, h->line_start, h->line_end, place, sizeof place);
    qc_text_t show = {0};
    qc_text_add(&show, h->path, h->path_len);
    qc_text_addc(&show, ':');
    qc_text_adds(&show, place);
    qc_text_adds(x->b, ",\"show\":");
    qc_json_string(x->b, show.data ? show.data : "", show.len);
    qc_text_addc(x->b, '}');
    qc_text_free(&show);
    return x->b->oom ? -1 : QUIRE_CONTINUE;
}

/* The query with the facet filters source= and lang= added; -1 after a 400. */
static int full_query(const qc_http_req_t *q, qc_http_reply_t *r, qc_text_t *s)
{
    if (qc_http_text(q, r, "q", 1, QC_HTTP_MAX_QUERY, s) < 0) return -1;
    const qc_http_param_t *src = qc_http_param(q, "source"), *lang = qc_http_param(q, "lang");
    if (src) {
        qc_text_adds(s, " source:\"");
        for (size_t i = 0; i < src->len && i < 256; i++)
            if (src->value[i] != '"' && src->value[i] != '\0') qc_text_addc(s, src->value[i]);
        qc_text_addc(s, '"');
    }
    if (lang && !quire_language_tag(lang->value)) {
        qc_http_error(r, 400, "lang is a language tag (en, ru, zh-Hans)");
        return -1;
    }
    if (lang) {
        qc_text_adds(s, " lang:");
        qc_text_adds(s, lang->value);
    }
    qc_text_addc(s, '\0');
    s->len--;
    return 0;
}

/* The options from n, offset, since, until, sort and explain; -1 after a 400. */
static int options(const qc_http_req_t *q, qc_http_reply_t *r, quire_search_opts_t *o)
{
    unsigned long n = 0, offset = 0;
    quire_search_opts_init(o);
    if (qc_http_number(q, r, "n", 1, MAX_N, 10, &n) ||
        qc_http_number(q, r, "offset", 0, MAX_OFFSET, 0, &offset))
        return -1;
    o->limit = (unsigned)n;
    o->offset = (unsigned)offset;
    o->explain = qc_http_flag(q, "explain");
    o->time_limit_ms = q->o->time_ms; /* --time-limit: no request holds a worker for long */
    static const char *const ends[2] = {"since", "until"};
    for (int i = 0; i < 2; i++) {
        const qc_http_param_t *p = qc_http_param(q, ends[i]);
        uint32_t first = 0, last = 0;
        if (p && quire_date_span(p->value, strlen(p->value), &first, &last) != QUIRE_OK) {
            qc_http_error(r, 400, "%s takes a date (2023, 2023-05, 2023-05-05)", ends[i]);
            return -1;
        }
        if (p) *(i ? &o->until : &o->since) = i ? last : first;
    }
    const qc_http_param_t *sort = qc_http_param(q, "sort");
    if (sort && strcmp(sort->value, "relevance") != 0 && strcmp(sort->value, "date") != 0) {
        qc_http_error(r, 400, "sort is relevance or date");
        return -1;
    }
    o->sort_by_date = sort && !strcmp(sort->value, "date");
    return 0;
}

static void null_or_string(qc_text_t *b, const char *name, const char *s)
{
    qc_text_printf(b, ",\"%s\":", name);
    if (s)
        qc_json_string(b, s, strlen(s));
    else
        qc_text_adds(b, "null");
}

/* What the search said, every member always there. */
static void result_json(qc_text_t *b, const quire_result_t *res, const quire_search_opts_t *o)
{
    qc_text_printf(b, ",\"total\":%u,\"total_exact\":%s,\"offset\":%u,\"limit\":%u", res->total,
                   res->total_exact ? "true" : "false", o->offset, o->limit);
    null_or_string(b, "did_you_mean", res->did_you_mean);
    qc_text_printf(b, ",\"corrected\":%s", res->corrected ? "true" : "false");
    null_or_string(b, "warning", res->warning);
    qc_text_adds(b, ",\"ignored\":[");
    for (size_t i = 0; i < res->nignored; i++) {
        if (i) qc_text_addc(b, ',');
        qc_json_string(b, res->ignored[i], strlen(res->ignored[i]));
    }
    qc_text_printf(b, "],\"abstained\":%s", res->abstained ? "true" : "false");
}

void qc_http_search(const qc_http_req_t *q, qc_http_reply_t *r)
{
    static const char *const names[] = {"q",      "n",    "offset",  "since",  "until", "sort",
                                        "source", "lang", "explain", "facets", NULL};
    qc_text_t s = {0}, hits = {0};
    quire_search_opts_t o;
    facets_t *f = NULL;
    if (qc_http_only(q, r, names) || full_query(q, r, &s) || options(q, r, &o)) goto done;
    hits_t x = {&hits, 0};
    quire_result_t res;
    quire_status_t st = quire_search(q->db, s.data, s.len, &o, on_hit, &x, &res);
    if (st != QUIRE_OK && st != QUIRE_STOPPED) {
        qc_http_failed(r, q->db, st);
        goto done;
    }
    qc_text_printf(&r->body, "{\"version\":%d,\"query\":", QC_HTTP_VERSION);
    qc_json_string(&r->body, s.data, s.len);
    result_json(&r->body, &res, &o); /* before the next search: res is the handle's */
    qc_text_adds(&r->body, ",\"hits\":[");
    qc_text_add(&r->body, hits.data ? hits.data : "", hits.len);
    qc_text_addc(&r->body, ']');
    if (qc_http_param(q, "facets") && !qc_http_flag(q, "facets")) { /* facets=0: none wanted */
        qc_text_adds(&r->body, "}\n");
        goto done;
    }
    /* facets: the first QC_HTTP_FACET_DEPTH matches, no snippets */
    quire_search_opts_t fo = o;
    fo.offset = 0;
    fo.limit = QC_HTTP_FACET_DEPTH;
    fo.snippet_width = 0;
    fo.explain = 0;
    f = calloc(1, sizeof *f);
    st = f ? quire_search(q->db, s.data, s.len, &fo, on_facet_hit, f, &res) : QUIRE_NO_MEMORY;
    if (st != QUIRE_OK && st != QUIRE_STOPPED) {
        qc_http_failed(r, q->db, st);
        goto done;
    }
    qc_text_printf(&r->body, ",\"facets\":{\"counted\":%u,\"complete\":%s,", f->counted,
                   f->counted < QC_HTTP_FACET_DEPTH ? "true" : "false");
    facet_json(&r->body, "source", &f->source, by_count);
    qc_text_addc(&r->body, ',');
    facet_json(&r->body, "month", &f->month, by_key);
    qc_text_adds(&r->body, "}}\n");
done:
    free(f);
    qc_text_free(&s);
    qc_text_free(&hits);
}
