/*
 * fuzz_documents.c - libFuzzer target for the document readers (PDF, DOCX,
 * ODT, EPUB: reader_doc.c over lib/document.h). Input that opens as a PDF
 * is read as one; anything else as each of the zip formats in turn.
 * Invariants on any input: a reader returns 0 (a document it cannot read
 * is passed over through the sink's skip, with a reason and a message);
 * nothing comes after a skip; every passage comes after an article and a
 * part; its span lies inside that part's text and is not empty, its lines
 * are the lines of its first and last bytes there (a DOCX's or ODT's: the
 * paragraph, one line); and the part's text is readable to its end.
 */
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const char *text; /* the current part's */
    size_t len;
    ql_part_kind_t kind;
    int articles, skipped;
} check_t;

static uint32_t line_of(const char *d, size_t at)
{
    uint32_t line = 1;
    for (size_t i = 0; i < at; i++) line += d[i] == '\n';
    return line;
}

static int on_article(void *ctx, const qi_article_t *a)
{
    check_t *c = ctx;
    if ((a->title_len && !a->title) || c->skipped) abort();
    if (a->date && (a->date < 10000101 || a->date > 99991231)) abort();
    c->articles++;
    return 0;
}

static int on_part(void *ctx, ql_part_kind_t kind, uint32_t number, const char *text, size_t len)
{
    check_t *c = ctx;
    if (kind == QL_PART_NONE || number == 0 || (len && !text) || c->skipped) abort();
    volatile char sink = 0;
    for (size_t i = 0; i < len; i++) sink ^= text[i]; /* readable to its end */
    (void)sink;
    *c = (check_t){text, len, kind, c->articles, 0};
    return 0;
}

static int on_passage(void *ctx, const qi_span_t *sp, const char *text, size_t n, const size_t *src)
{
    const check_t *c = ctx;
    if (!c->articles || !c->text || c->skipped) abort();
    if (sp->byte_start >= sp->byte_end || sp->byte_end > c->len) abort();
    for (size_t i = 0; src && i < n; i++)
        if (src[i] < sp->byte_start || src[i] >= sp->byte_end) abort();
    const uint32_t first = line_of(c->text, sp->byte_start),
                   last = line_of(c->text, sp->byte_end - 1);
    if (sp->line_start != first || sp->line_end != last) abort();
    (void)text;
    return 0;
}

static void on_warn(void *ctx, const char *msg)
{
    (void)ctx;
    if (!msg || !*msg) abort();
}

static void on_skip(void *ctx, ql_skip_t why, const char *msg)
{
    check_t *c = ctx;
    if (why >= QL_SKIP_KINDS || !msg || !*msg || c->skipped) abort();
    c->skipped = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const zips[] = {"docx", "odt", "epub"};
    char *copy = malloc(size ? size : 1); /* no NUL after it: over-reads are caught */
    if (!copy) return 0;
    memcpy(copy, data, size);
    const int pdf = ql_doc_sniff(QL_DOC_PDF, copy, size);
    for (size_t k = 0; k < (pdf ? 1 : 3); k++) {
        const qi_reader_t *r = qi_reader_named(pdf ? "pdf" : zips[k]);
        check_t c = {0};
        const qi_sink_t sink = {on_article, on_passage, on_warn, &c, on_part, on_skip};
        if (!r || r->read(copy, size, NULL, &sink) != 0) abort();
    }
    free(copy);
    return 0;
}
