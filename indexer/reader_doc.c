/*
 * reader_doc.c - documents whose text is extracted first (lib/document.h):
 * PDF, DOCX, ODT and EPUB, behind the one reader interface. Each part's
 * text is handed to the sink (sink->part) before its passages, whose spans
 * are in that text:
 *
 *   PDF   one article; its title the line the first page prints in the
 *         largest type, else the Title property, else the first line; its
 *         date the first date at the top of the first page, else the
 *         CreationDate. Each page is cut into passages by split.c (so a
 *         passage never spans pages), its running header and footer lines
 *         left out.
 *   DOCX, ODT  each paragraph (a line of the text) is cut by split.c on its
 *         own, so a passage is one paragraph or a window of a long one; a
 *         heading starts an article titled by it (the text before the first
 *         heading is an article titled by the document's title property).
 *   EPUB  each chapter is read by the HTML reader (each an article); the
 *         book's date where a chapter has none.
 *
 * A document that cannot be read (encrypted, damaged, no text, a zip bomb)
 * is passed over through sink->skip, with its reason.
 */
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 200
#define DATE_LINES 3
#define MAX_TEXT ((size_t)256 << 20) /* extracted text of one document */

extern const qi_reader_t qi_html_reader;

typedef struct {
    const qi_sink_t *sink;
    size_t base;   /* offset of the text split.c sees in the part's text */
    uint32_t line; /* the paragraph number its line 1 stands for (0: as split.c says) */
} cut_t;

static int on_span(void *ctx, const qi_span_t *sp)
{
    const cut_t *c = ctx;
    qi_span_t s = *sp;
    s.byte_start += c->base;
    s.byte_end += c->base;
    if (c->line) s.line_start = s.line_end = c->line;
    return c->sink->passage(c->sink->ctx, &s, NULL, 0, NULL);
}

/* The part's text with its first head and last foot lines blanked (spaces
 * in place of their bytes, so spans stay the text's). malloc'd, or NULL. */
static char *blank_running(const char *s, size_t n, uint32_t head, uint32_t foot)
{
    char *t = malloc(n ? n : 1);
    if (!t) return NULL;
    memcpy(t, s, n);
    size_t i = 0;
    for (uint32_t k = 0; k < head && i < n; i++) {
        if (t[i] == '\n')
            k++;
        else
            t[i] = ' ';
    }
    size_t j = n;
    while (j > 0 && t[j - 1] == '\n') j--;
    for (uint32_t k = 0; k < foot && j > i; j--) {
        if (t[j - 1] == '\n')
            k++;
        else
            t[j - 1] = ' ';
    }
    return t;
}

/* The text of a part after its running header. */
static const char *after_head(const ql_doc_t *d, const ql_doc_part_t *p, size_t *n)
{
    const char *s = d->text.data + p->start;
    size_t i = 0;
    for (uint32_t k = 0; k < p->head && i < p->len; i++)
        if (s[i] == '\n') k++;
    *n = p->len - i;
    return s + i;
}

static int read_pdf(const ql_doc_t *d, const qi_read_cfg_t *cfg, const qi_sink_t *sink)
{
    size_t n = 0;
    const char *top = d->nparts ? after_head(d, &d->parts[0], &n) : "";
    qi_article_t a = {0};
    if (d->big.len) {
        a.title = d->big.data;
        a.title_len = d->big.len;
    } else if (d->title.len) {
        a.title = d->title.data;
        a.title_len = d->title.len;
    } else {
        a.title = qi_first_line_title(top, n, TITLE_MAX, &a.title_len);
    }
    a.date = qi_top_date(top, n, DATE_LINES, qi_date_order(cfg));
    if (!a.date) a.date = d->date;
    int rc = sink->article(sink->ctx, &a);
    for (size_t i = 0; i < d->nparts && rc == 0; i++) {
        const ql_doc_part_t *p = &d->parts[i];
        const char *text = d->text.data + p->start;
        if ((rc = sink->part(sink->ctx, QL_PART_PAGE, p->number, text, p->len)) != 0) break;
        char *blank = blank_running(text, p->len, p->head, p->foot);
        if (!blank) return -1;
        cut_t c = {sink, 0, 0};
        rc = qi_split_text(blank, p->len, on_span, &c);
        free(blank);
    }
    return rc;
}

static int is_heading(const ql_doc_t *d, uint32_t line)
{
    for (size_t i = 0; i < d->nheadings; i++)
        if (d->headings[i] == line) return 1;
    return 0;
}

static int read_office(const ql_doc_t *d, const qi_read_cfg_t *cfg, const qi_sink_t *sink)
{
    if (d->nparts == 0) return 0;
    const ql_doc_part_t *p = &d->parts[0];
    const char *s = d->text.data + p->start;
    int rc = sink->part(sink->ctx, QL_PART_PARAGRAPHS, p->number, s, p->len);
    const uint32_t date =
        d->date ? d->date : qi_top_date(s, p->len, DATE_LINES, qi_date_order(cfg));
    int started = 0;
    uint32_t line = 0;
    for (size_t i = 0; i < p->len && rc == 0;) {
        const char *nl = memchr(s + i, '\n', p->len - i);
        const size_t end = nl ? (size_t)(nl - s) : p->len;
        line++;
        const int head = is_heading(d, line);
        if (head || !started) {
            qi_article_t a = {0};
            a.date = date;
            if (head)
                a.title = qi_first_line_title(s + i, end - i, TITLE_MAX, &a.title_len);
            else if (d->title.len)
                a.title = d->title.data, a.title_len = d->title.len;
            else
                a.title = qi_first_line_title(s, p->len, TITLE_MAX, &a.title_len);
            rc = sink->article(sink->ctx, &a);
            started = 1;
        }
        cut_t c = {sink, i, line};
        if (rc == 0 && end > i) rc = qi_split_text(s + i, end - i, on_span, &c);
        i = end + 1;
    }
    return rc;
}

/* EPUB chapters go to the HTML reader through this sink: the book's date
 * for a chapter that has none. */
typedef struct {
    const qi_sink_t *inner;
    uint32_t date;
} book_t;

static int book_article(void *ctx, const qi_article_t *a)
{
    const book_t *b = ctx;
    qi_article_t c = *a;
    if (!c.date) c.date = b->date;
    return b->inner->article(b->inner->ctx, &c);
}

static int book_passage(void *ctx, const qi_span_t *sp, const char *text, size_t len,
                        const size_t *src)
{
    const book_t *b = ctx;
    return b->inner->passage(b->inner->ctx, sp, text, len, src);
}

static void book_warn(void *ctx, const char *msg)
{
    const book_t *b = ctx;
    b->inner->warn(b->inner->ctx, msg);
}

static int read_epub(const ql_doc_t *d, const qi_read_cfg_t *cfg, const qi_sink_t *sink)
{
    book_t b = {sink, d->date};
    const qi_sink_t chapter = {book_article, book_passage, book_warn, &b, NULL, NULL};
    int rc = 0;
    for (size_t i = 0; i < d->nparts && rc == 0; i++) {
        const ql_doc_part_t *p = &d->parts[i];
        const char *text = d->text.data + p->start;
        rc = sink->part(sink->ctx, QL_PART_CHAPTER, p->number, text, p->len);
        if (rc == 0) rc = qi_html_reader.read(text, p->len, cfg, &chapter);
    }
    return rc;
}

static ql_skip_t skip_reason(int rc)
{
    switch (rc) {
    case QL_DOC_ENCRYPTED:
        return QL_SKIP_ENCRYPTED;
    case QL_DOC_NO_TEXT:
        return QL_SKIP_NO_TEXT;
    case QL_DOC_TOO_LARGE:
        return QL_SKIP_TOO_LARGE;
    case QL_DOC_NO_READER:
        return QL_SKIP_UNREADABLE;
    default:
        return QL_SKIP_DAMAGED;
    }
}

static int read_doc(ql_doc_kind_t kind, const char *data, size_t len, const qi_read_cfg_t *cfg,
                    const qi_sink_t *sink)
{
    ql_doc_t d;
    ql_err_t e = {0};
    int rc = ql_doc_extract(kind, data, len, MAX_TEXT, &d, &e);
    if (rc == QL_DOC_NOMEM) {
        ql_doc_free(&d);
        return -1;
    }
    if (rc != 0) {
        sink->skip(sink->ctx, skip_reason(rc), e.msg);
        ql_doc_free(&d);
        return 0;
    }
    if (d.pages_left) {
        char msg[160];
        snprintf(msg, sizeof msg, "only its first %u pages are read; %u more left out",
                 (unsigned)QL_DOC_MAX_PAGES, d.pages_left);
        sink->warn(sink->ctx, msg);
    }
    rc = kind == QL_DOC_PDF    ? read_pdf(&d, cfg, sink)
         : kind == QL_DOC_EPUB ? read_epub(&d, cfg, sink)
                               : read_office(&d, cfg, sink);
    ql_doc_free(&d);
    return rc;
}

static int read_pdf_file(const char *data, size_t len, const qi_read_cfg_t *cfg,
                         const qi_sink_t *sink)
{
    return read_doc(QL_DOC_PDF, data, len, cfg, sink);
}

static int read_docx_file(const char *data, size_t len, const qi_read_cfg_t *cfg,
                          const qi_sink_t *sink)
{
    return read_doc(QL_DOC_DOCX, data, len, cfg, sink);
}

static int read_odt_file(const char *data, size_t len, const qi_read_cfg_t *cfg,
                         const qi_sink_t *sink)
{
    return read_doc(QL_DOC_ODT, data, len, cfg, sink);
}

static int read_epub_file(const char *data, size_t len, const qi_read_cfg_t *cfg,
                          const qi_sink_t *sink)
{
    return read_doc(QL_DOC_EPUB, data, len, cfg, sink);
}

static const char *const pdf_ext[] = {".pdf", NULL};
static const char *const docx_ext[] = {".docx", NULL};
static const char *const odt_ext[] = {".odt", NULL};
static const char *const epub_ext[] = {".epub", NULL};

const qi_reader_t qi_pdf_reader = {"pdf", pdf_ext, read_pdf_file, QL_DOC_PDF};
const qi_reader_t qi_docx_reader = {"docx", docx_ext, read_docx_file, QL_DOC_DOCX};
const qi_reader_t qi_odt_reader = {"odt", odt_ext, read_odt_file, QL_DOC_ODT};
const qi_reader_t qi_epub_reader = {"epub", epub_ext, read_epub_file, QL_DOC_EPUB};
