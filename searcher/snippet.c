/*
 * snippet.c - choosing and marking the snippet window (snippet.h).
 *
 * One pass collects the tokens and whether each matched (a query word, a
 * word starting with one of its prefixes, a whole phrase); a two-pointer sweep
 * finds the window of at most `width` characters with the most distinct
 * matched stems (ties: more matches, then earlier). The window is then grown
 * to use the whole width when the matches alone are shorter.
 */
#include "snippet.h"
#include "readings.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t start, end;
    size_t cstart, cend; /* the same span in characters from the passage start */
    int word;            /* index in the vocabulary, or -1 */
    int hit;             /* what it matched: a single word i, or phrase j as nsingles + j; -1 */
} stok_t;

/* The query's distinct stems: single words first, then phrase words; and
 * its prefixes, matched by any stem that starts with one. A token's hit id
 * is a single word's index, nsingles + a prefix's index, or nsingles +
 * npre + a phrase's index. */
typedef struct {
    const char **v;
    size_t n, nsingles;
    const qs_termlist_t *pre;
    char *own; /* the phrases' words, each reading NUL-terminated: v points into it */
} vocab_t;

typedef struct {
    stok_t *v;
    size_t n, cap;
    const vocab_t *vocab;
    int oom;
    const char *text;
    size_t at, chars; /* characters counted up to byte `at` */
} stoks_t;

static size_t count_chars(stoks_t *s, size_t upto)
{
    for (; s->at < upto; s->at++) s->chars += ((unsigned char)s->text[s->at] & 0xC0) != 0x80;
    return s->chars;
}

static int vocab_id(const vocab_t *vo, const char *s, size_t n)
{
    for (size_t i = 0; i < vo->n; i++)
        if (strlen(vo->v[i]) == n && memcmp(vo->v[i], s, n) == 0) return (int)i;
    return -1;
}

/* The prefix a stem starts with, as a hit id; -1 when none. */
static int prefix_id(const vocab_t *vo, const char *s, size_t n)
{
    for (size_t i = 0; i < vo->pre->n; i++) {
        const size_t k = strlen(vo->pre->terms[i]);
        if (k <= n && memcmp(vo->pre->terms[i], s, k) == 0) return (int)(vo->nsingles + i);
    }
    return -1;
}

/* A phrase's word may have several readings (readings.h): each is a
 * vocabulary word, and a token matches the phrase word when it is any. */
static int build_vocab(const qs_marks_t *q, vocab_t *vo)
{
    vo->pre = &q->prefixes;
    size_t cap = q->words.n, bytes = 1;
    for (size_t i = 0; i < q->nphrases; i++)
        for (size_t k = 0; k < q->phrases[i].n; k++) {
            const char *w = q->phrases[i].stems[k];
            bytes += strlen(w) + 1;
            for (cap++; (w = strchr(w, QS_ALT_SEP)) != NULL; w++) cap++;
        }
    vo->v = calloc(cap ? cap : 1, sizeof *vo->v);
    char *at = vo->own = malloc(bytes);
    if (!vo->v || !vo->own) return -1;
    for (size_t i = 0; i < q->words.n; i++) vo->v[vo->n++] = q->words.terms[i];
    vo->nsingles = vo->n;
    for (size_t i = 0; i < q->nphrases; i++)
        for (size_t k = 0; k < q->phrases[i].n; k++) {
            qs_reading_t r;
            for (const char *w = q->phrases[i].stems[k]; qs_reading_next(&w, &r);) {
                memcpy(at, r.stem, r.len); /* the stem of "lang:stem" */
                at[r.len] = '\0';
                if (vocab_id(vo, at, r.len) < 0) vo->v[vo->n++] = at;
                at += r.len + 1;
            }
        }
    return 0;
}

static int collect(void *ctx, const qt_token_t *t)
{
    stoks_t *s = ctx;
    if (t->flags & QT_TOK_TAG) return 0; /* its parts follow, and are what is marked */
    if (s->n == s->cap) {
        const size_t cap = s->cap ? s->cap * 2 : 64;
        stok_t *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            s->oom = 1;
            return -1;
        }
        s->v = v;
        s->cap = cap;
    }
    const int word = t->flags & QT_TOK_TOOLONG ? -1 : vocab_id(s->vocab, t->stem, t->stem_len);
    int hit = word >= 0 && (size_t)word < s->vocab->nsingles ? word : -1;
    if (hit < 0 && !(t->flags & QT_TOK_TOOLONG)) hit = prefix_id(s->vocab, t->stem, t->stem_len);
    const size_t cstart = count_chars(s, t->start);
    s->v[s->n++] = (stok_t){t->start, t->end, cstart, count_chars(s, t->end), word, hit};
    return 0;
}

/* Marks the tokens of every whole occurrence of each phrase. */
static void mark_phrases(stoks_t *st, const qs_marks_t *q, const vocab_t *vo)
{
    for (size_t p = 0; p < q->nphrases; p++) {
        const qs_phrase_t *ph = &q->phrases[p];
        for (size_t k = 0; k + ph->n <= st->n; k++) {
            size_t m = 0;
            while (m < ph->n && st->v[k + m].word >= 0 &&
                   qs_alt_has(ph->stems[m], vo->v[st->v[k + m].word],
                              strlen(vo->v[st->v[k + m].word])))
                m++;
            if (m < ph->n) continue;
            for (m = 0; m < ph->n; m++) st->v[k + m].hit = (int)(vo->nsingles + vo->pre->n + p);
        }
    }
}

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Appends text[a..b) with white-space runs folded to one space. */
static void add_folded(ql_buf_t *out, const char *text, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        if (is_ws((unsigned char)text[i])) {
            while (i + 1 < b && is_ws((unsigned char)text[i + 1])) i++;
            ql_buf_addc(out, ' ');
        } else {
            ql_buf_addc(out, text[i]);
        }
    }
}

/* Appends a span to *v (*n of *cap); one that overlaps or touches the last
 * (the pairs of CJK text: 联合 合国) extends it instead. */
static int add_span(qs_span_t **v, size_t *n, size_t *cap, size_t start, size_t end, size_t at)
{
    if (*n && start <= (*v)[*n - 1].end) {
        if (end > (*v)[*n - 1].end) (*v)[*n - 1].end = end;
        return 0;
    }
    if (*n == *cap) {
        const size_t c = *cap ? *cap * 2 : 16;
        qs_span_t *w = realloc(*v, c * sizeof *w);
        if (!w) return -1;
        *v = w;
        *cap = c;
    }
    (*v)[(*n)++] = (qs_span_t){start, end, at};
    return 0;
}

/* Tokenizes text[0..len) into st (st->vocab set) and marks what matched. */
static int scan(qt_pipeline_t *p, const char *text, size_t len, const qs_marks_t *q, stoks_t *st)
{
    st->text = text;
    st->at = st->chars = 0;
    st->n = 0;
    if (qt_tokenize(p, text, len, collect, st) != 0 || st->oom) return -1;
    mark_phrases(st, q, st->vocab);
    return 0;
}

/* Marks the title's matched words into out->title_hl. */
static int mark_title(qt_pipeline_t *p, const char *title, size_t tlen, const qs_marks_t *q,
                      stoks_t *st, qs_snippet_t *out)
{
    out->ntitle_hl = 0;
    if (!tlen) return 0;
    if (scan(p, title, tlen, q, st) != 0) return -1;
    for (size_t k = 0; k < st->n; k++)
        if (st->v[k].hit >= 0 && add_span(&out->title_hl, &out->ntitle_hl, &out->captitle_hl,
                                          st->v[k].start, st->v[k].end, st->v[k].start))
            return -1;
    return 0;
}

int qs_snippet_make(qt_pipeline_t *p, const char *text, size_t len, const char *title, size_t tlen,
                    const qs_marks_t *q, size_t width, qs_snippet_t *out)
{
    ql_buf_reset(&out->text);
    out->nhl = 0;
    out->body_hits = 0;
    vocab_t vo = {0};
    unsigned *counts = NULL;
    stoks_t st = {NULL, 0, 0, &vo, 0, text, 0, 0};
    int rc = build_vocab(q, &vo);
    if (rc == 0) rc = mark_title(p, title, tlen, q, &st, out);
    if (rc == 0) rc = scan(p, text, len, q, &st);
    if (rc == 0 && !(counts = calloc(vo.nsingles + vo.pre->n + q->nphrases + 1, sizeof *counts)))
        rc = -1;
    if (rc) {
        free(st.v);
        free(vo.v);
        free(vo.own);
        free(counts);
        return -1;
    }
    for (size_t k = 0; k < st.n; k++) out->body_hits += st.v[k].hit >= 0;

    /* Best window of tokens [bi, bj]. */
    size_t bi = 0, bj = 0, best_distinct = 0, best_hits = 0;
    size_t distinct = 0, hits = 0, j = 0;
    for (size_t i = 0; i < st.n; i++) {
        while (j < st.n && (j == i || (st.v[j].cend - st.v[i].cstart) <= width)) {
            if (st.v[j].hit >= 0) {
                hits++;
                if (counts[st.v[j].hit]++ == 0) distinct++;
            }
            j++;
        }
        if (distinct > best_distinct || (distinct == best_distinct && hits > best_hits)) {
            best_distinct = distinct;
            best_hits = hits;
            bi = i;
            bj = j ? j - 1 : 0;
        }
        if (st.v[i].hit >= 0) {
            hits--;
            if (--counts[st.v[i].hit] == 0) distinct--;
        }
    }
    if (best_distinct == 0) { /* no match: the passage's opening */
        bi = 0;
        bj = 0;
        while (bj + 1 < st.n && (st.v[bj + 1].cend - st.v[0].cstart) <= width) bj++;
    }
    /* Use the rest of the width: first forwards, then backwards. */
    if (st.n) {
        while (bj + 1 < st.n && (st.v[bj + 1].cend - st.v[bi].cstart) <= width) bj++;
        while (bi > 0 && (st.v[bj].cend - st.v[bi - 1].cstart) <= width) bi--;
    }

    size_t from = st.n ? st.v[bi].start : 0, to = st.n ? st.v[bj].end : len;
    if (st.n && bi == 0) from = 0;
    if (st.n && bj + 1 == st.n) to = len;
    while (from < to && is_ws((unsigned char)text[from])) from++;
    while (to > from && is_ws((unsigned char)text[to - 1])) to--;
    if (from > 0) ql_buf_adds(&out->text, "\xe2\x80\xa6"); /* … */
    size_t at = from;
    for (size_t k = bi; k <= bj && k < st.n; k++) {
        if (st.v[k].hit < 0 || st.v[k].start < from || st.v[k].end > to || st.v[k].end <= at)
            continue;
        const size_t a = st.v[k].start > at ? st.v[k].start : at; /* CJK pairs overlap */
        add_folded(&out->text, text, at, a);
        const size_t hs = out->text.len;
        ql_buf_add(&out->text, text + a, st.v[k].end - a);
        if (add_span(&out->hl, &out->nhl, &out->caphl, hs, out->text.len, a)) rc = -1;
        at = st.v[k].end;
    }
    add_folded(&out->text, text, at, to);
    if (to < len) ql_buf_adds(&out->text, "\xe2\x80\xa6");
    free(st.v);
    free(vo.v);
    free(vo.own);
    free(counts);
    return rc || out->text.oom ? -1 : 0;
}

void qs_snippet_free(qs_snippet_t *s)
{
    ql_buf_free(&s->text);
    free(s->hl);
    free(s->title_hl);
    memset(s, 0, sizeof *s);
}
