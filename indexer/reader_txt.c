/*
 * reader_txt.c - plain text, cut into passages by split.c.
 *
 * A file is one article titled by its first non-empty line, unless it is a
 * copy of channel posts: then each post is an article. A post starts at a
 * "Forwarded from NAME" line (NAME becomes its source) or after a line of
 * hashtags alone, which is how channel posts end. A file is taken as such
 * a copy when it has a "Forwarded from" line or at least two lines of
 * hashtags followed by more text: one tag line inside an ordinary article
 * does not cut it in two. Each article's date is
 * the first date written in its first lines ("(May 5, 2023)", "14 February
 * 2019"): a dateline, not a date mentioned further down.
 */
#include "reader.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 200
#define DATE_LINES 3 /* non-empty lines at the top of an article searched for its date */

static const char forwarded[] = "Forwarded from ";

typedef struct {
    size_t start;  /* the article's first byte */
    int forwarded; /* it opens with a "Forwarded from" line */
} start_t;

typedef struct {
    const char *data;
    size_t len;
    const qi_sink_t *sink;
    start_t *starts;
    size_t nstarts, next;
    ql_date_order_t order; /* of ambiguous numeric dates */
} txt_ctx_t;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* A line of hashtags alone: "#UNCharterIsOurRules", "#Russia #Hungary". */
static int hashtag_line(const char *s, size_t n)
{
    size_t i = 0, tags = 0;
    while (i < n) {
        while (i < n && is_space(s[i])) i++;
        if (i == n) break;
        if (s[i] != '#' || i + 1 == n || is_space(s[i + 1])) return 0;
        while (i < n && !is_space(s[i])) i++;
        tags++;
    }
    return tags > 0;
}

#define POST_TAG_LINES 2 /* tag lines followed by text that make a copy of posts */

/* Finds where articles start; starts[0] is always the file's start. With
 * count set, only counts into *breaks the places a post could start
 * ("Forwarded from" lines count as POST_TAG_LINES), recording nothing. */
static int scan_starts(txt_ctx_t *t, int count, int split_tags, size_t *breaks)
{
    size_t cap = 8;
    if (!count && !(t->starts = malloc(cap * sizeof *t->starts))) return -1;
    if (!count) t->starts[t->nstarts++] = (start_t){0, 0};
    int after_tags = 0, seen_text = 0;
    for (size_t i = 0; i < t->len;) {
        const char *nl = memchr(t->data + i, '\n', t->len - i);
        const size_t end = nl ? (size_t)(nl - t->data) : t->len;
        size_t k = i;
        while (k < end && is_space(t->data[k])) k++;
        const size_t n = end - k;
        if (n) {
            const int fwd =
                n > sizeof forwarded - 1 && !memcmp(t->data + k, forwarded, sizeof forwarded - 1);
            const int tags = hashtag_line(t->data + k, n);
            if (count) {
                *breaks += fwd ? POST_TAG_LINES : after_tags && !tags && seen_text;
            } else if ((fwd || (split_tags && after_tags && !tags)) && seen_text) {
                if (t->nstarts == cap) {
                    start_t *p = realloc(t->starts, (cap *= 2) * sizeof *p);
                    if (!p) return -1;
                    t->starts = p;
                }
                t->starts[t->nstarts++] = (start_t){i, fwd};
            } else if (fwd && !seen_text) {
                t->starts[0].forwarded = 1;
            }
            if (!tags) seen_text = 1;
            after_tags = tags;
        }
        i = end + 1;
    }
    return 0;
}

static int find_starts(txt_ctx_t *t)
{
    size_t breaks = 0;
    scan_starts(t, 1, 1, &breaks);
    return scan_starts(t, 0, breaks >= POST_TAG_LINES, &breaks);
}

/* Channel chrome that opens a repost ("Read in full"): at most four words,
 * no digits, no sentence punctuation. */
static int chrome_line(const char *s, size_t n)
{
    size_t words = 0;
    for (size_t i = 0; i < n; i++) {
        const char c = s[i];
        if ((c >= '0' && c <= '9') || c == '.' || c == '!' || c == '?' || c == ':' || c == ',')
            return 0;
        if (!is_space(c) && (i == 0 || is_space(s[i - 1]))) words++;
    }
    return words <= 4;
}

/* The lines of hashtags alone that p[0..n) ends with (blank lines between
 * them allowed), or NULL. */
static const char *closing_tags(const char *p, size_t n, size_t *len)
{
    size_t end = n, from = n;
    while (end > 0) {
        size_t start = end;
        while (start > 0 && p[start - 1] != '\n') start--;
        size_t k = start, e = end;
        while (k < e && is_space(p[k])) k++;
        while (e > k && (is_space(p[e - 1]) || p[e - 1] == '\n')) e--;
        if (k < e && !hashtag_line(p + k, e - k)) break;
        if (k < e) from = start;
        end = start ? start - 1 : 0;
        if (start == 0) break;
    }
    *len = n - from;
    return from < n ? p + from : NULL;
}

/* Reports article k: its title, source and date from its first lines, and
 * the tags it ends with. */
static int report_article(txt_ctx_t *t, size_t k)
{
    const size_t start = t->starts[k].start;
    const size_t end = k + 1 < t->nstarts ? t->starts[k + 1].start : t->len;
    const char *p = t->data + start;
    size_t n = end - start;
    qi_article_t a = {0};
    if (t->starts[k].forwarded) {
        size_t line = 0;
        const char *first = qi_first_line_title(p, n, n, &line);
        a.source = first + (sizeof forwarded - 1);
        a.source_len = line - (sizeof forwarded - 1);
        const size_t rest = (size_t)(first - p) + line;
        if (rest < n) { /* the headline follows the forwarded line */
            size_t tl = 0;
            const char *title = qi_first_line_title(p + rest, n - rest, TITLE_MAX, &tl);
            if (tl) {
                a.title = title;
                a.title_len = tl;
            }
        }
    }
    if (!a.title_len) a.title = qi_first_line_title(p, n, TITLE_MAX, &a.title_len);
    /* a post that opens with chrome is titled by the line after it */
    for (int skip = 0; k > 0 && skip < 2 && a.title_len && chrome_line(a.title, a.title_len);
         skip++) {
        const size_t rest = (size_t)(a.title - p) + a.title_len;
        size_t tl = 0;
        const char *next =
            rest < n ? qi_first_line_title(p + rest, n - rest, TITLE_MAX, &tl) : NULL;
        if (!tl) break;
        a.title = next;
        a.title_len = tl;
    }
    a.date = qi_top_date(p, n, DATE_LINES + (t->starts[k].forwarded ? 1 : 0), t->order);
    a.tags = closing_tags(p, n, &a.tags_len);
    return t->sink->article(t->sink->ctx, &a);
}

static int txt_span(void *ctx, const qi_span_t *sp)
{
    txt_ctx_t *t = ctx;
    while (t->next < t->nstarts && t->starts[t->next].start <= sp->byte_start) {
        const int rc = report_article(t, t->next++);
        if (rc) return rc;
    }
    return t->sink->passage(t->sink->ctx, sp, NULL, 0, NULL);
}

static int read_txt(const char *data, size_t len, const qi_read_cfg_t *cfg, const qi_sink_t *sink)
{
    txt_ctx_t t = {data, len, sink, NULL, 0, 0, qi_date_order(cfg)};
    int rc = find_starts(&t) != 0 ? -1 : report_article(&t, t.next++);
    if (rc == 0) rc = qi_split_text(data, len, txt_span, &t);
    free(t.starts);
    return rc;
}

static const char *const txt_ext[] = {".txt", ".text", NULL};
const qi_reader_t qi_txt_reader = {"txt", txt_ext, read_txt, 0};
