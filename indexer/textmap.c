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
    free(t->start);
    free(t->end);
    memset(t, 0, sizeof *t);
}

void qi_tm_reset(qi_textmap_t *t)
{
    ql_buf_reset(&t->text);
    t->pending = 0;
}

static int grow(qi_textmap_t *t, size_t extra)
{
    if (t->oom) return -1;
    const size_t need = t->text.len + extra;
    if (need > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < need) cap *= 2;
        size_t *s = realloc(t->start, cap * sizeof *s);
        if (s) t->start = s;
        size_t *e = s ? realloc(t->end, cap * sizeof *e) : NULL;
        if (!s || !e) {
            t->oom = 1;
            return -1;
        }
        t->end = e;
        t->cap = cap;
    }
    return 0;
}

static void put(qi_textmap_t *t, const char *s, size_t n, size_t raw_start, size_t raw_end)
{
    if (n == 0 || grow(t, n) != 0) return;
    const size_t at = t->text.len;
    if (ql_buf_add(&t->text, s, n) != 0) {
        t->oom = 1;
        return;
    }
    const int exact = raw_end - raw_start == n;
    for (size_t i = 0; i < n; i++) {
        t->start[at + i] = exact ? raw_start + i : raw_start;
        t->end[at + i] = exact ? raw_start + i + 1 : raw_end;
    }
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
    const qi_textmap_t *t = em->t;
    if (sp->byte_end <= sp->byte_start) return 0;
    qi_span_t raw;
    raw.byte_start = t->start[sp->byte_start];
    raw.byte_end = t->end[sp->byte_end - 1];
    if (raw.byte_end < raw.byte_start) raw.byte_end = raw.byte_start;
    raw.line_start = qi_line_at(em->l, raw.byte_start);
    raw.line_end =
        qi_line_at(em->l, raw.byte_end > raw.byte_start ? raw.byte_end - 1 : raw.byte_end);
    return em->sink->passage(em->sink->ctx, &raw, t->text.data + sp->byte_start,
                             sp->byte_end - sp->byte_start, t->start + sp->byte_start);
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
