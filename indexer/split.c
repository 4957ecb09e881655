/*
 * split.c - the plain-text passage splitter (rules in split.h).
 *
 * Works on raw bytes in one pass over lines; every span it reports is a
 * slice of the input, so citations are exact by construction. Word counts
 * and sentence ends look only at ASCII bytes, which UTF-8 never uses inside
 * a multi-byte character, so cuts always fall on character boundaries.
 */
#include "split.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *data;
    size_t len;
    const size_t *line_starts; /* byte offset of each line's first byte */
    size_t nlines;
    qi_span_fn fn;
    void *ctx;
} splitter_t;

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* 1-based line holding byte offset off. */
static uint32_t line_of(const splitter_t *s, size_t off)
{
    size_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        const size_t mid = (lo + hi) / 2;
        if (s->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (uint32_t)(lo + 1);
}

static int emit(const splitter_t *s, size_t start, size_t end)
{
    while (start < end && is_space((unsigned char)s->data[start])) start++;
    while (end > start && is_space((unsigned char)s->data[end - 1])) end--;
    if (start == end) return 0;
    qi_span_t sp = {start, end, line_of(s, start), line_of(s, end - 1)};
    return s->fn(s->ctx, &sp);
}

static size_t count_words(const char *p, size_t n)
{
    size_t words = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        const int sp = is_space((unsigned char)p[i]);
        if (!sp && !in) words++;
        in = !sp;
    }
    return words;
}

/* Abbreviations after which a period does not end a sentence. */
static int is_abbreviation(const char *w, size_t n)
{
    static const char *const abbr[] = {"mr",  "mrs",    "ms",   "dr",  "st",   "jr",  "sr",   "no",
                                       "gen", "col",    "lt",   "sen", "rep",  "gov", "prof", "vs",
                                       "etc", "inc",    "ltd",  "co",  "jan",  "feb", "mar",  "apr",
                                       "jun", "jul",    "aug",  "sep", "sept", "oct", "nov",  "dec",
                                       "fig", "approx", "dept", "est", "st"};
    if (n == 1) return 1;            /* an initial: J. Biden */
    if (memchr(w, '.', n)) return 1; /* U.S., e.g. */
    for (size_t i = 0; i < sizeof abbr / sizeof abbr[0]; i++) {
        if (strlen(abbr[i]) != n) continue;
        size_t k = 0;
        while (k < n && (w[k] | 0x20) == abbr[i][k]) k++;
        if (k == n) return 1;
    }
    return 0;
}

/* If a sentence ends at p[i] (a '.', '!' or '?'), returns the offset just
 * past its closing quotes or brackets; otherwise 0. */
static size_t sentence_end(const char *p, size_t n, size_t i)
{
    const char c = p[i];
    if (c != '.' && c != '!' && c != '?') return 0;
    size_t j = i + 1;
    for (;;) { /* closing punctuation: " ' ) ] and the UTF-8 of ” ’ » */
        if (j < n && (p[j] == '"' || p[j] == '\'' || p[j] == ')' || p[j] == ']')) {
            j++;
        } else if (j + 2 < n && (unsigned char)p[j] == 0xE2 && (unsigned char)p[j + 1] == 0x80 &&
                   ((unsigned char)p[j + 2] == 0x9D || (unsigned char)p[j + 2] == 0x99)) {
            j += 3;
        } else if (j + 1 < n && (unsigned char)p[j] == 0xC2 && (unsigned char)p[j + 1] == 0xBB) {
            j += 2;
        } else {
            break;
        }
    }
    if (j >= n || !is_space((unsigned char)p[j])) return 0;
    size_t k = j;
    while (k < n && is_space((unsigned char)p[k])) k++;
    if (k < n && p[k] >= 'a' && p[k] <= 'z') return 0; /* "e.g. the" */
    if (c == '.') {
        size_t w = i;
        while (w > 0 && !is_space((unsigned char)p[w - 1])) w--;
        if (is_abbreviation(p + w, i - w)) return 0;
    }
    return j;
}

/* Emits [start, end) as windows of at most QI_MAX_WORDS words, preferring to
 * cut after a sentence end. */
static int emit_windows(const splitter_t *s, size_t start, size_t end)
{
    const char *p = s->data;
    size_t win = start, words = 0, last_cut = 0, words_at_cut = 0;
    int in = 0;
    for (size_t i = start; i < end; i++) {
        const int sp = is_space((unsigned char)p[i]);
        if (!sp && !in) {
            if (words == QI_MAX_WORDS) { /* this word would overflow the window */
                size_t cut = last_cut ? last_cut : i;
                const int rc = emit(s, win, cut);
                if (rc) return rc;
                win = cut;
                words = last_cut ? words - words_at_cut : 0;
                last_cut = 0;
            }
            words++;
        }
        in = !sp;
        if (!sp) {
            const size_t e = sentence_end(p + start, end - start, i - start);
            if (e) {
                last_cut = start + e;
                words_at_cut = words;
            }
        }
    }
    return emit(s, win, end);
}

static int emit_paragraph(const splitter_t *s, size_t start, size_t end)
{
    if (count_words(s->data + start, end - start) <= QI_MAX_WORDS) return emit(s, start, end);
    return emit_windows(s, start, end);
}

static size_t line_end_of(const splitter_t *s, size_t line)
{
    return line + 1 < s->nlines ? s->line_starts[line + 1] : s->len;
}

static int is_blank_line(const splitter_t *s, size_t line)
{
    const size_t a = s->line_starts[line], b = line_end_of(s, line);
    for (size_t i = a; i < b; i++)
        if (!is_space((unsigned char)s->data[i])) return 0;
    return 1;
}

static size_t chars_in(const char *p, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += ((unsigned char)p[i] & 0xC0) != 0x80;
    return c;
}

/* Lines [first, last] are non-blank. */
static int emit_block(const splitter_t *s, size_t first, size_t last)
{
    int per_line = 0;
    for (size_t l = first; l < last && !per_line; l++) {
        const size_t a = s->line_starts[l];
        per_line = chars_in(s->data + a, line_end_of(s, l) - a) > QI_WRAP_WIDTH;
    }
    if (!per_line) return emit_paragraph(s, s->line_starts[first], line_end_of(s, last));
    for (size_t l = first; l <= last; l++) {
        const int rc = emit_paragraph(s, s->line_starts[l], line_end_of(s, l));
        if (rc) return rc;
    }
    return 0;
}

int qi_split_text(const char *data, size_t len, qi_span_fn fn, void *ctx)
{
    size_t nlines = 1;
    for (size_t i = 0; i < len; i++) nlines += data[i] == '\n' && i + 1 < len;
    size_t *starts = malloc(nlines * sizeof *starts);
    if (!starts) return -1;
    size_t k = 0;
    starts[k++] = 0;
    for (size_t i = 0; i < len; i++)
        if (data[i] == '\n' && i + 1 < len) starts[k++] = i + 1;

    splitter_t s = {data, len, starts, nlines, fn, ctx};
    int rc = 0;
    size_t l = 0;
    while (l < nlines && rc == 0) {
        if (is_blank_line(&s, l)) {
            l++;
            continue;
        }
        size_t last = l;
        while (last + 1 < nlines && !is_blank_line(&s, last + 1)) last++;
        rc = emit_block(&s, l, last);
        l = last + 1;
    }
    free(starts);
    return rc;
}
