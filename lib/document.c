/*
 * document.c - the one entry to document extraction (document.h): which
 * extractor reads a file by its name, and the list of parts every
 * extractor fills in the same way.
 */
#include "document.h"

#include "compressed.h"

#include <stdlib.h>
#include <string.h>

ql_doc_kind_t ql_doc_kind(const char *path)
{
    const size_t n = ql_compressed_inner_len(path);
    if (ql_name_has_ext(path, n, ".pdf")) return QL_DOC_PDF;
    if (ql_name_has_ext(path, n, ".docx")) return QL_DOC_DOCX;
    if (ql_name_has_ext(path, n, ".odt")) return QL_DOC_ODT;
    if (ql_name_has_ext(path, n, ".epub")) return QL_DOC_EPUB;
    return QL_DOC_NONE;
}

int ql_doc_sniff(ql_doc_kind_t kind, const char *data, size_t len)
{
    if (kind == QL_DOC_NONE) return 0;
    if (kind != QL_DOC_PDF) return len >= 4 && memcmp(data, "PK\3\4", 4) == 0;
    const size_t n = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 5 <= n; i++)
        if (data[i] == '%' && memcmp(data + i, "%PDF-", 5) == 0) return 1;
    return 0;
}

ql_part_kind_t ql_doc_part_kind(ql_doc_kind_t kind)
{
    switch (kind) {
    case QL_DOC_PDF:
        return QL_PART_PAGE;
    case QL_DOC_EPUB:
        return QL_PART_CHAPTER;
    case QL_DOC_DOCX:
    case QL_DOC_ODT:
        return QL_PART_PARAGRAPHS;
    case QL_DOC_NONE:
        break;
    }
    return QL_PART_NONE;
}

int ql_doc_extract(ql_doc_kind_t kind, const char *data, size_t len, size_t max, ql_doc_t *doc,
                   ql_err_t *e)
{
    memset(doc, 0, sizeof *doc);
    doc->kind = kind;
    doc->part_kind = ql_doc_part_kind(kind);
    int rc = QL_DOC_DAMAGED;
    switch (kind) {
    case QL_DOC_PDF:
        rc = ql_pdf_extract(data, len, max, doc, e);
        break;
    case QL_DOC_DOCX:
    case QL_DOC_ODT:
        rc = ql_office_extract(kind, data, len, max, doc, e);
        break;
    case QL_DOC_EPUB:
        rc = ql_epub_extract(data, len, max, doc, e);
        break;
    case QL_DOC_NONE:
        ql_errf(e, QL_E_IO, "not a document format");
        break;
    }
    if (rc == 0 && (doc->text.oom || doc->title.oom || doc->big.oom))
        rc = ql_errf(e, QL_E_NOMEM, "out of memory");
    if (rc == -1) e->code = QL_E_NOMEM;
    return rc;
}

int ql_doc_part_begin(ql_doc_t *doc, uint32_t number)
{
    ql_doc_part_end(doc);
    if (doc->nparts == doc->cap) {
        const size_t cap = doc->cap ? doc->cap * 2 : 16;
        ql_doc_part_t *p = realloc(doc->parts, cap * sizeof *p);
        if (!p) return -1;
        doc->parts = p;
        doc->cap = cap;
    }
    doc->parts[doc->nparts++] = (ql_doc_part_t){number, doc->text.len, 0, 0, 0};
    return 0;
}

void ql_doc_part_end(ql_doc_t *doc)
{
    if (doc->nparts == 0) return;
    ql_doc_part_t *p = &doc->parts[doc->nparts - 1];
    p->len = doc->text.len - p->start;
}

const ql_doc_part_t *ql_doc_part(const ql_doc_t *doc, uint32_t number)
{
    for (size_t i = 0; i < doc->nparts; i++)
        if (doc->parts[i].number == number) return &doc->parts[i];
    return NULL;
}

void ql_doc_free(ql_doc_t *doc)
{
    ql_buf_free(&doc->text);
    ql_buf_free(&doc->title);
    ql_buf_free(&doc->big);
    free(doc->parts);
    free(doc->headings);
    memset(doc, 0, sizeof *doc);
}
