/*
 * pdf.c - a PDF's text, page by page, through poppler's GLib interface
 * (document.h). Each page's text is poppler's, in reading order (columns
 * one after the other), turned into lines that read as prose:
 *
 *   - a blank line where the gap to the next line is larger than a line's
 *     height, or where the next line starts above it (a new column), so
 *     paragraphs are passages;
 *   - a word hyphenated across a line end ("interna-" / "tional law") is
 *     joined on the first line ("international" / "law"), so the page keeps
 *     its number of lines and a citation's lines stay the page's;
 *   - a table, which poppler gives a column after another (blocks of
 *     short lines at the same heights), is written a row per line;
 *   - the first and last lines that repeat on at least half of the pages
 *     (digits aside: "Page 3 of 9") are counted as the part's head and
 *     foot (boilerplate the indexer leaves out).
 *
 * The document's title as printed is the first page's line set in the
 * largest type, when that is larger than most of the page's text.
 *
 * Poppler is loaded when the first PDF is read (dlopen), not when quire
 * starts: with its 50 libraries (cairo, NSS, fonts) it took 19 ms of every
 * run's start-up, `quire search` included. Without it, PDFs are skipped as
 * unreadable with a warning saying so.
 */
#include "document.h"

#include <dlfcn.h>
#include <glib.h>
#include <poppler.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

/* The functions of libpoppler-glib (and of the GLib it loads) that this
 * file calls, found by dlsym; each name below stands for its pointer. */
#define POPPLER_FUNCTIONS(X)                                                                       \
    X(poppler_document_new_from_bytes)                                                             \
    X(poppler_document_get_n_pages)                                                                \
    X(poppler_document_get_page)                                                                   \
    X(poppler_document_get_title)                                                                  \
    X(poppler_document_get_creation_date)                                                          \
    X(poppler_page_get_text)                                                                       \
    X(poppler_page_get_text_layout)                                                                \
    X(poppler_page_get_text_attributes)                                                            \
    X(poppler_page_free_text_attributes)                                                           \
    X(poppler_error_quark)                                                                         \
    X(g_bytes_new_static)                                                                          \
    X(g_bytes_unref)                                                                               \
    X(g_error_free)                                                                                \
    X(g_object_unref)                                                                              \
    X(g_free)                                                                                      \
    X(g_log_set_handler)

/* NOLINTBEGIN(bugprone-macro-parentheses): names pasted as declarators and members */
#define MEMBER(name) __typeof__(&name) name;
static struct {
    POPPLER_FUNCTIONS(MEMBER)
} P;
/* NOLINTEND(bugprone-macro-parentheses) */
static int loaded; /* 1: every function found */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data);

/* Loads poppler once; its complaints are ours to report, so they are
 * silenced. The library stays loaded for the process. */
static void load(void)
{
    void *h = dlopen("libpoppler-glib.so.8", RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libpoppler-glib.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    int all = 1;
/* NOLINTBEGIN(bugprone-macro-parentheses): names pasted as declarators and members */
#define FIND(name)                                                                                 \
    *(void **)&P.name = dlsym(h, #name);                                                           \
    all &= P.name != NULL;
    POPPLER_FUNCTIONS(FIND)
#undef FIND
    /* NOLINTEND(bugprone-macro-parentheses) */
    if (all) P.g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, quiet, NULL);
    loaded = all;
}

#define poppler_document_new_from_bytes P.poppler_document_new_from_bytes
#define poppler_document_get_n_pages P.poppler_document_get_n_pages
#define poppler_document_get_page P.poppler_document_get_page
#define poppler_document_get_title P.poppler_document_get_title
#define poppler_document_get_creation_date P.poppler_document_get_creation_date
#define poppler_page_get_text P.poppler_page_get_text
#define poppler_page_get_text_layout P.poppler_page_get_text_layout
#define poppler_page_get_text_attributes P.poppler_page_get_text_attributes
#define poppler_page_free_text_attributes P.poppler_page_free_text_attributes
#define poppler_error_quark P.poppler_error_quark
#define g_bytes_new_static P.g_bytes_new_static
#define g_bytes_unref P.g_bytes_unref
#define g_error_free P.g_error_free
#define g_object_unref P.g_object_unref
#define g_free P.g_free
#define g_log_set_handler P.g_log_set_handler

/* UTF-8 helpers (GLib's would need GLib loaded before poppler is). */
static size_t char_len(const char *s)
{
    const unsigned char c = (unsigned char)*s;
    return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i += char_len(s + i)) n++;
    return n;
}

/* The byte offset of character k of s[0..len) (len when past the end). */
static size_t char_offset(const char *s, size_t len, long k)
{
    size_t i = 0;
    for (long c = 0; c < k && i < len; c++) i += char_len(s + i);
    return i < len ? i : len;
}

#define BIG_TYPE 1.15      /* times the body's size: a title's type */
#define TABLE_CELL_WORDS 3 /* words at most in each line of a column read as a table's */

/* A line of a page's text as poppler gives it, and where it is drawn. */
typedef struct {
    size_t start, end; /* bytes of the page text, without the '\n' */
    double top, bottom;
    int inked; /* has a character with a box */
} pline_t;

static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)domain, (void)level, (void)msg, (void)data;
}

/* Splits text into lines with their vertical extent from rects (one per
 * character of text, as poppler_page_get_text_layout gives them; when the
 * counts disagree the lines have no extent). */
static pline_t *page_lines(const char *text, const PopplerRectangle *rects, guint nrects,
                           size_t *nlines)
{
    size_t cap = 16, n = 0, ch = 0;
    pline_t *v = malloc(cap * sizeof *v);
    if (!v) return NULL;
    const size_t len = strlen(text);
    const int usable = utf8_chars(text, len) == nrects;
    size_t i = 0;
    while (i <= len) {
        if (n == cap) {
            pline_t *p = realloc(v, (cap *= 2) * sizeof *p);
            if (!p) return free(v), NULL;
            v = p;
        }
        pline_t *l = &v[n++];
        *l = (pline_t){i, i, 0, 0, 0};
        while (i < len && text[i] != '\n') {
            const unsigned char c = (unsigned char)text[i];
            if (usable && c != ' ' && c != '\t' && ch < nrects) {
                const PopplerRectangle *r = &rects[ch];
                if (!l->inked || r->y1 < l->top) l->top = r->y1;
                if (!l->inked || r->y2 > l->bottom) l->bottom = r->y2;
                l->inked = 1;
            }
            i += char_len(text + i);
            ch++;
        }
        l->end = i;
        i++;
        ch++; /* the '\n' has a box too */
        if (i > len) break;
    }
    *nlines = n;
    return v;
}

/* Whether the gap after line a makes line b start a new paragraph. */
static int breaks(const pline_t *a, const pline_t *b)
{
    if (!a->inked || !b->inked) return 0;
    const double h = a->bottom - a->top;
    return b->top < a->top || b->top - a->bottom > (h > 0 ? h : 1);
}

/* The first character of s[0..n) is a lower-case letter. */
static int starts_lower(const char *s, size_t n)
{
    utf8proc_int32_t c;
    if (n == 0 || utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c) <= 0)
        return 0;
    return utf8proc_category(c) == UTF8PROC_CATEGORY_LL;
}

/* Whether line s[0..n) ends in a letter and a hyphen. */
static int ends_hyphenated(const char *s, size_t n)
{
    if (n < 2 || s[n - 1] != '-') return 0;
    const unsigned char c = (unsigned char)s[n - 2];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Words in line l (runs of non-spaces). */
static size_t words(const char *text, const pline_t *l)
{
    size_t w = 0;
    for (size_t i = l->start; i < l->end; i++)
        w += text[i] != ' ' && (i == l->start || text[i - 1] == ' ');
    return w;
}

/* The end of the block of lines starting at k: the first line after it
 * that starts a paragraph (n at the end). */
static size_t block_end(const pline_t *l, size_t n, size_t k)
{
    size_t e = k + 1;
    while (e < n && !breaks(&l[e - 1], &l[e])) e++;
    return e;
}

/* Whether the block [a, a + m) is a table column beside the one at
 * [b, b + m): the same number of short lines (cells), row by row at the
 * same height. */
static int beside(const char *text, const pline_t *l, size_t a, size_t b, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        const pline_t *x = &l[a + i], *y = &l[b + i];
        const double h = x->bottom - x->top;
        if (!x->inked || !y->inked || words(text, x) > TABLE_CELL_WORDS ||
            words(text, y) > TABLE_CELL_WORDS || y->top - x->top > h / 2 || x->top - y->top > h / 2)
            return 0;
    }
    return 1;
}

/* The columns of a table poppler gives one after another (blocks of m
 * lines; the first may open with a caption's lines), written a row per
 * line, cells apart by two spaces. Returns the number of lines written
 * (0: no table at k). */
static size_t table_at(ql_buf_t *out, const char *text, const pline_t *l, size_t n, size_t k)
{
    const size_t big = block_end(l, n, k) - k;
    if (k + big >= n) return 0;
    const size_t m = block_end(l, n, k + big) - (k + big);
    if (m < 2 || m > big) return 0;
    const size_t s = k + big - m; /* the first column: the last m lines of the block at k */
    size_t cols = 1;
    while (s + (cols + 1) * m <= n && block_end(l, n, s + cols * m) == s + (cols + 1) * m &&
           beside(text, l, s, s + cols * m, m))
        cols++;
    if (cols < 2) return 0;
    for (size_t i = k; i < s; i++) { /* the caption */
        ql_buf_add(out, text + l[i].start, l[i].end - l[i].start);
        ql_buf_addc(out, '\n');
    }
    for (size_t i = 0; i < m; i++) {
        for (size_t c = 0; c < cols; c++) {
            const pline_t *x = &l[s + c * m + i];
            if (c) ql_buf_add(out, "  ", 2);
            ql_buf_add(out, text + x->start, x->end - x->start);
        }
        ql_buf_addc(out, '\n');
    }
    return s - k + cols * m;
}

/* Appends the page's lines to doc->text, prose-shaped (see the top). */
static int append_page(ql_doc_t *doc, const char *text, const pline_t *l, size_t n)
{
    ql_buf_t *out = &doc->text;
    size_t carry = 0; /* bytes of this line already moved up to the line before */
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && breaks(&l[k - 1], &l[k]) && l[k - 1].end > l[k - 1].start)
            ql_buf_addc(out, '\n'); /* a blank line between paragraphs */
        if ((k == 0 || breaks(&l[k - 1], &l[k])) && !carry) {
            const size_t used = table_at(out, text, l, n, k);
            if (used) {
                k += used - 1;
                continue;
            }
        }
        const char *s = text + l[k].start + carry;
        size_t len = l[k].end - l[k].start - carry;
        carry = 0;
        if (k + 1 < n && ends_hyphenated(s, len) && !breaks(&l[k], &l[k + 1])) {
            const char *t = text + l[k + 1].start;
            const size_t tn = l[k + 1].end - l[k + 1].start;
            if (starts_lower(t, tn)) {
                size_t w = 0; /* the word's rest, and the space after it */
                while (w < tn && t[w] != ' ') w++;
                ql_buf_add(out, s, len - 1);
                ql_buf_add(out, t, w);
                ql_buf_addc(out, '\n');
                while (w < tn && t[w] == ' ') w++;
                carry = w;
                continue;
            }
        }
        ql_buf_add(out, s, len);
        ql_buf_addc(out, '\n');
    }
    return out->oom ? -1 : 0;
}

/* The line set in the largest type on the page, when larger than most of
 * its text, into doc->big. */
static void big_type(ql_doc_t *doc, PopplerPage *page, const char *text)
{
    GList *attrs = poppler_page_get_text_attributes(page);
    double body = 0, best = 0;
    long most = 0;
    for (GList *a = attrs; a; a = a->next) { /* the size most characters have */
        const PopplerTextAttributes *t = a->data;
        long chars = 0;
        for (GList *b = attrs; b; b = b->next) {
            const PopplerTextAttributes *u = b->data;
            if (u->font_size == t->font_size) chars += u->end_index - u->start_index + 1;
        }
        if (chars > most) most = chars, body = t->font_size;
        if (t->font_size > best) best = t->font_size;
    }
    const size_t tlen = strlen(text);
    const long clen = (long)utf8_chars(text, tlen);
    for (GList *a = attrs; a && best > body * BIG_TYPE; a = a->next) {
        const PopplerTextAttributes *t = a->data;
        if (t->font_size != best || t->start_index >= clen) continue;
        const char *s = text + char_offset(text, tlen, t->start_index);
        const long end = t->end_index + 1 < clen ? t->end_index + 1 : clen;
        const char *e = text + char_offset(text, tlen, end);
        while (s < e && (*s == ' ' || *s == '\n')) s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\n')) e--;
        for (const char *p = s; p < e; p++) ql_buf_addc(&doc->big, *p == '\n' ? ' ' : *p);
        if (doc->big.len) break;
    }
    poppler_page_free_text_attributes(attrs);
}

/* Counts, for the part of page k, its first and last lines that are on
 * most pages (same text but for digits). */
static void mark_running(ql_doc_t *doc);

/* One page into a part of doc. Returns 0 or -1 (out of memory). */
static int read_page(ql_doc_t *doc, PopplerPage *page, uint32_t number)
{
    char *text = poppler_page_get_text(page);
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    if (text && !poppler_page_get_text_layout(page, &rects, &nrects)) nrects = 0;
    int rc = ql_doc_part_begin(doc, number);
    size_t n = 0;
    pline_t *lines = text && rc == 0 ? page_lines(text, rects, nrects, &n) : NULL;
    if (text && *text && !lines) rc = -1;
    if (rc == 0 && lines) rc = append_page(doc, text, lines, n);
    if (rc == 0 && number == 1 && text) big_type(doc, page, text);
    ql_doc_part_end(doc);
    free(lines);
    g_free(rects);
    g_free(text);
    return rc;
}

static int open_failed(GError *err, ql_err_t *e)
{
    const int enc = err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED;
    if (enc) {
        ql_errf(e, QL_E_IO, "encrypted (needs a password)");
    } else {
        ql_errf(e, QL_E_IO, "damaged or not a PDF (%s)",
                err && err->message ? err->message : "poppler cannot open it");
    }
    if (err) g_error_free(err);
    return enc ? QL_DOC_ENCRYPTED : QL_DOC_DAMAGED;
}

/* The document's Title and CreationDate into doc. */
static void properties(ql_doc_t *doc, PopplerDocument *pd)
{
    gchar *title = poppler_document_get_title(pd);
    if (title) ql_buf_adds(&doc->title, title);
    g_free(title);
    const time_t made = poppler_document_get_creation_date(pd);
    if (made > 0) {
        struct tm d;
        if (gmtime_r(&made, &d))
            doc->date = (uint32_t)((d.tm_year + 1900) * 10000 + (d.tm_mon + 1) * 100 + d.tm_mday);
    }
}

int ql_pdf_extract(const char *data, size_t len, size_t max, ql_doc_t *doc, ql_err_t *e)
{
    pthread_once(&load_once, load);
    if (!loaded) {
        ql_errf(e, QL_E_IO, "cannot be read: PDF support (libpoppler-glib.so.8) is not installed");
        return QL_DOC_NO_READER;
    }
    if (!ql_doc_sniff(QL_DOC_PDF, data, len)) {
        ql_errf(e, QL_E_IO, "not a PDF (it does not start with %%PDF-)");
        return QL_DOC_DAMAGED;
    }
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *err = NULL;
    PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, &err);
    if (!pd) {
        g_bytes_unref(bytes);
        return open_failed(err, e);
    }
    properties(doc, pd);
    const int pages = poppler_document_get_n_pages(pd);
    int rc = 0;
    for (int i = 0; i < pages && rc == 0; i++) {
        if (i == QL_DOC_MAX_PAGES) {
            doc->pages_left = (unsigned)(pages - i);
            break;
        }
        PopplerPage *page = poppler_document_get_page(pd, i);
        if (!page) continue;
        rc = read_page(doc, page, (uint32_t)i + 1);
        g_object_unref(page);
        if (doc->text.len > max) {
            ql_errf(e, QL_E_IO, "its text is over %zu MB", max >> 20);
            rc = QL_DOC_TOO_LARGE;
        }
    }
    g_object_unref(pd);
    g_bytes_unref(bytes);
    if (rc == -1) return ql_errf(e, QL_E_NOMEM, "out of memory");
    if (rc) return rc;
    size_t inked = 0;
    for (size_t i = 0; i < doc->text.len; i++)
        inked += doc->text.data[i] != '\n' && doc->text.data[i] != ' ';
    if (inked == 0) {
        ql_errf(e, QL_E_IO, "no text in its %d pages (scanned images?)", pages);
        return QL_DOC_NO_TEXT;
    }
    mark_running(doc);
    return 0;
}

/* ------------------------------------------------------------ running heads */

/* The line of part p at its top (from_end 0) or bottom, as a hash of its
 * text with digits skipped; 0 when the part has no such line. */
static uint64_t edge_line(const ql_doc_t *doc, const ql_doc_part_t *p, int from_end,
                          uint32_t *lines)
{
    const char *s = doc->text.data + p->start;
    size_t a = 0, b = p->len;
    uint32_t count = 0;
    while (b > a && s[b - 1] == '\n') b--;
    if (from_end) { /* the last line: back to the '\n' before it */
        size_t k = b;
        while (k > a && s[k - 1] != '\n') k--;
        a = k;
        count = 1; /* the part's last line, trailing line ends aside */
    } else {
        while (a < b && s[a] == '\n') a++, count++;
        size_t k = a;
        while (k < b && s[k] != '\n') k++;
        b = k;
        count++;
    }
    uint64_t h = 1469598103934665603ULL;
    int any = 0;
    for (size_t i = a; i < b; i++) {
        const unsigned char c = (unsigned char)s[i];
        if ((c >= '0' && c <= '9') || c == ' ') continue;
        h = (h ^ c) * 1099511628211ULL;
        any = 1;
    }
    *lines = count;
    return any || b > a ? h : 0;
}

static int cmp_u64(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* How many of sorted[0..n) are h. */
static size_t count_of(const uint64_t *sorted, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first >= h */
        const size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < n && sorted[k] == h) k++;
    return k - lo;
}

static void mark_running(ql_doc_t *doc)
{
    const size_t n = doc->nparts;
    if (n < 3) return;
    uint64_t *h = malloc(2 * n * sizeof *h);
    uint32_t *lines = malloc(n * sizeof *lines);
    if (!h || !lines) goto done; /* no marks: the headers are indexed */
    for (int end = 0; end < 2; end++) {
        for (size_t i = 0; i < n; i++)
            h[i] = h[n + i] = edge_line(doc, &doc->parts[i], end, &lines[i]);
        qsort(h + n, n, sizeof *h, cmp_u64);
        for (size_t i = 0; i < n; i++) {
            if (!h[i] || count_of(h + n, n, h[i]) * 2 < n) continue;
            *(end ? &doc->parts[i].foot : &doc->parts[i].head) = lines[i];
        }
    }
done:
    free(h);
    free(lines);
}
