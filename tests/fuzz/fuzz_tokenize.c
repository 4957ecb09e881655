/*
 * fuzz_tokenize.c - libFuzzer target for the text pipeline (qt_tokenize).
 * Invariants on any input bytes: tokens come in order, each span lies
 * inside the input, does not overlap the previous word (a hashtag's parts
 * lie inside the tag's span; a CJK pair overlaps the pair before it, and
 * starts after that pair's start) and starts and ends on a character boundary
 * of valid input; positions never decrease; folded forms
 * and stems are valid UTF-8 of bounded length; a second run gives the same
 * tokens (no hidden state); and the words start at the same bytes whatever
 * language the pipeline is set to (French elisions, Turkish casing, German):
 * the query's readings in other languages (searcher/readings.c) are matched
 * to its words by where they start.
 */
#include "qt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const char *text;
    size_t len, last_end, n;
    size_t tag_start, tag_end; /* the last QT_TOK_TAG's span */
    size_t last_start;         /* the last token's start */
    uint32_t last_pos;
    uint64_t digest;
    uint64_t starts; /* where the words (not whole tags) start, hashed */
} check_t;

static int is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

static int on_token(void *ctx, const qt_token_t *t)
{
    check_t *c = ctx;
    if (t->start > t->end || t->end > c->len) abort();
    if (t->flags & QT_TOK_PART) {
        if (t->start < c->tag_start || t->end > c->tag_end) abort();
    } else if (t->flags & QT_TOK_CJK) {
        if (c->n && t->start <= c->last_start) abort();
    } else if (t->start < c->last_end) {
        abort();
    }
    c->last_start = t->start;
    if (t->flags & QT_TOK_TAG) {
        c->tag_start = t->start;
        c->tag_end = t->end;
    }
    if (t->pos < c->last_pos) abort();
    if (qt_utf8_check(c->text, c->len) == c->len &&
        ((t->start < c->len && is_cont((unsigned char)c->text[t->start])) ||
         (t->end < c->len && is_cont((unsigned char)c->text[t->end]))))
        abort(); /* a span cutting a character of valid input */
    if (qt_utf8_check(t->norm, t->norm_len) != t->norm_len) abort();
    if (qt_utf8_check(t->stem, t->stem_len) != t->stem_len) abort();
    if (strlen(t->norm) != t->norm_len || strlen(t->stem) != t->stem_len) abort();
    if (t->end > c->last_end) c->last_end = t->end;
    c->last_pos = t->pos;
    c->n++;
    for (size_t i = 0; i < t->stem_len; i++)
        c->digest = c->digest * 131 + (unsigned char)t->stem[i];
    c->digest = c->digest * 131 + t->start + t->pos;
    if (!(t->flags & QT_TOK_TAG)) c->starts = c->starts * 1000003u + t->start;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static qt_pipeline_t *p;
    if (!p && !(p = qt_pipeline_new())) abort();
    static const char *const langs[] = {"fr", "tr", "de"};
    const check_t zero = {(const char *)data, size, 0, 0, 0, 0, 0, 0, 0, 0};
    check_t a = zero, b = zero;
    qt_pipeline_set_lang(p, NULL);
    if (qt_tokenize(p, (const char *)data, size, on_token, &a) != 0) abort();
    if (qt_tokenize(p, (const char *)data, size, on_token, &b) != 0) abort();
    if (a.n != b.n || a.digest != b.digest) abort();
    for (size_t l = 0; l < sizeof langs / sizeof *langs; l++) {
        check_t c = zero;
        qt_pipeline_set_lang(p, langs[l]);
        if (qt_tokenize(p, (const char *)data, size, on_token, &c) != 0) abort();
        if (c.starts != a.starts) abort();
    }
    qt_pipeline_set_lang(p, NULL);
    return 0;
}
