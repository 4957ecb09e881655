/*
 * textmap.c - extracted text with the file bytes behind each of its bytes,
 * cut into passages with exact spans (textmap.h).
 */
#include "textmap.h"

#include <stdlib.h>
#include <string.h>

void qi_lines_init(qi_lines_t *l, const char *data, size_t len)
{
    l->data = data;
    l->len = len;
    l->off = 0;
    l->line = 1;
}

uint32_t qi_line_at(qi_lines_t *l, size_t off)
{
    if (off > l->len) off = l->len;
    if (off < l->off) { /* backwards: count again from the start */
        l->off = 0;
        l->line = 1;
    }
    while (l->off < off) {
        const char *nl = memchr(l->data + l->off, '\n', off - l->off);
        if (!nl) {
            l->off = off;
            break;
        }
        l->line++;
        l->off = (size_t)(nl - l->data) + 1;
    }
    return l->line;
}

void qi_tm_free(qi_textmap_t *t)
{
    ql_buf_free(&t->text);
    free(t->runs);
    free(t->src);
    memset(t, 0, sizeof *t);
}

void qi_tm_reset(qi_textmap_t *t)
{
    ql_buf_reset(&t->text);
    t->nruns = 0;
    t->pending = 0;
}

/* Appends s[0..n), standing for [raw_start, raw_end), as a run, or as more
 * of the last run when it goes on from it byte for byte. */
static void put(qi_textmap_t *t, const char *s, size_t n, size_t raw_start, size_t raw_end)
{
    if (n == 0 || t->oom) return;
    const int exact = raw_end - raw_start == n;
    qi_tm_run_t *last = t->nruns ? &t->runs[t->nruns - 1] : NULL;
    if (ql_buf_add(&t->text, s, n) != 0) {
        t->oom = 1;
        return;
    }
    if (exact && last && last->exact && last->raw_end == raw_start) {
        last->raw_end = raw_end;
        return;
    }
    if (t->nruns == t->capruns) {
        const size_t cap = t->capruns ? t->capruns * 2 : 64;
        qi_tm_run_t *r = realloc(t->runs, cap * sizeof *r);
        if (!r) {
            t->oom = 1;
            return;
        }
        t->runs = r;
        t->capruns = cap;
    }
    t->runs[t->nruns++] = (qi_tm_run_t){t->text.len - n, raw_start, raw_end, exact};
}

/* The run holding text byte off (binary search; runs are in text order). */
static size_t run_of(const qi_textmap_t *t, size_t off)
{
    size_t lo = 0, hi = t->nruns;
    while (hi - lo > 1) {
        const size_t mid = lo + (hi - lo) / 2;
        if (t->runs[mid].at <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Where text byte off's source starts (end: and ends) in the file. */
static size_t raw_at(const qi_textmap_t *t, size_t off, int end)
{
    const qi_tm_run_t *r = &t->runs[run_of(t, off)];
    if (!r->exact) return end ? r->raw_end : r->raw_start;
    return r->raw_start + (off - r->at) + (end ? 1 : 0);
}

void qi_tm_add(qi_textmap_t *t, const char *s, size_t n, size_t raw_start, size_t raw_end)
{
    if (n == 0) return;
    if (t->pending && t->text.len) put(t, " ", 1, t->pend_at, t->pend_at + 1);
    t->pending = 0;
    put(t, s, n, raw_start, raw_end);
}

void qi_tm_space(qi_textmap_t *t, size_t raw)
{
    if (t->pending || t->text.len == 0) return;
    const char last = t->text.data[t->text.len - 1];
    if (last == ' ' || last == '\n') return;
    t->pending = 1;
    t->pend_at = raw;
}

void qi_tm_newline(qi_textmap_t *t, size_t raw)
{
    t->pending = 0;
    if (t->text.len == 0 || t->text.data[t->text.len - 1] == '\n') return;
    put(t, "\n", 1, raw, raw + 1);
}

typedef struct {
    qi_textmap_t *t;
    qi_lines_t *l;
    const qi_sink_t *sink;
} emit_t;

static int on_span(void *ctx, const qi_span_t *sp)
{
    const emit_t *em = ctx;
    qi_textmap_t *t = em->t;
    if (sp->byte_end <= sp->byte_start) return 0;
    const size_t n = sp->byte_end - sp->byte_start;
    if (n > t->capsrc) { /* the passage's bytes' file offsets, from the runs */
        size_t *v = realloc(t->src, n * sizeof *v);
        if (!v) return -1;
        t->src = v;
        t->capsrc = n;
    }
    size_t r = run_of(t, sp->byte_start);
    for (size_t i = 0; i < n; i++) {
        const size_t off = sp->byte_start + i;
        while (r + 1 < t->nruns && t->runs[r + 1].at <= off) r++;
        const qi_tm_run_t *run = &t->runs[r];
        t->src[i] = run->exact ? run->raw_start + (off - run->at) : run->raw_start;
    }
    qi_span_t raw;
    raw.byte_start = raw_at(t, sp->byte_start, 0);
    raw.byte_end = raw_at(t, sp->byte_end - 1, 1);
    if (raw.byte_end < raw.byte_start) raw.byte_end = raw.byte_start;
    raw.line_start = qi_line_at(em->l, raw.byte_start);
    raw.line_end =
        qi_line_at(em->l, raw.byte_end > raw.byte_start ? raw.byte_end - 1 : raw.byte_end);
    return em->sink->passage(em->sink->ctx, &raw, t->text.data + sp->byte_start, n, t->src);
}

int qi_tm_emit(qi_textmap_t *t, qi_lines_t *l, const qi_sink_t *sink)
{
    if (t->oom) return -1;
    int rc = 0;
    if (t->text.len) {
        emit_t em = {t, l, sink};
        rc = qi_split_text(t->text.data, t->text.len, on_span, &em);
    }
    qi_tm_reset(t);
    return rc;
}
