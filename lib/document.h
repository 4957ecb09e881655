/*
 * document.h - documents whose text is not their bytes: PDF (lib/pdf.c,
 * poppler), Word .docx and OpenDocument .odt (lib/office.c, libzip and
 * libxml2's streaming reader) and EPUB (lib/epub.c). Each is turned into
 * parts of UTF-8 text, and a citation counts lines in a part:
 *
 *   PDF   one part per page, its text in reading order, words hyphenated
 *         across a line end joined on the first line (so the page keeps its
 *         number of lines), a blank line between paragraphs;
 *         cited report.pdf:p12:5-9 (page 12, lines 5 to 9 of its text);
 *   DOCX, ODT  one part, one paragraph per line (line N is paragraph N);
 *         cited memo.docx:¶27;
 *   EPUB  one part per chapter in spine order, the chapter's XHTML as it is
 *         (read by the HTML reader); cited book.epub:ch3:12-14.
 *
 * The indexer and `quire show` both extract through here, so a citation
 * means the same text to both. Extraction is bounded: a zip member that
 * inflates past the limits, a PDF with more pages than QL_DOC_MAX_PAGES.
 */
#ifndef QUIRE_DOCUMENT_H
#define QUIRE_DOCUMENT_H

#include "buf.h"
#include "err.h"

#include <stddef.h>
#include <stdint.h>

typedef enum ql_doc_kind {
    QL_DOC_NONE = 0,
    QL_DOC_PDF,
    QL_DOC_DOCX,
    QL_DOC_ODT,
    QL_DOC_EPUB
} ql_doc_kind_t;

/* How a part is numbered in a citation (quire.h's QUIRE_PART_*). */
typedef enum ql_part_kind {
    QL_PART_NONE = 0,  /* a plain file: lines of the file */
    QL_PART_PAGE,      /* "p12:" */
    QL_PART_CHAPTER,   /* "ch3:" */
    QL_PART_PARAGRAPHS /* "¶": lines are paragraphs */
} ql_part_kind_t;

#define QL_DOC_MAX_PAGES 20000 /* pages read of one PDF; the rest warned about */

typedef struct ql_doc_part {
    uint32_t number;     /* 1-based page or chapter; 1 for a DOCX or ODT */
    size_t start, len;   /* its text: text.data[start .. start + len) */
    uint32_t head, foot; /* lines at its top and bottom that repeat on most pages
                          * (running headers, footers, page numbers): boilerplate */
} ql_doc_part_t;

typedef struct ql_doc {
    ql_doc_kind_t kind;
    ql_part_kind_t part_kind;
    ql_buf_t text; /* every part's text, one after another */
    ql_doc_part_t *parts;
    size_t nparts, cap;
    ql_buf_t title;     /* from the document's properties (PDF Title, dc:title); may be empty */
    uint32_t date;      /* yyyymmdd from its properties (CreationDate, dcterms:created); 0 */
    ql_buf_t big;       /* PDF: the first page's line in the largest type, when it is larger
                         * than the page's body text (the title as printed) */
    uint32_t *headings; /* DOCX, ODT: the numbers of the lines that are headings */
    size_t nheadings;
    unsigned pages_left; /* PDF pages over QL_DOC_MAX_PAGES, not read */
} ql_doc_t;

/* What path's name says (".pdf", ".docx", ".odt", ".epub", any case, also
 * inside a ".gz" or ".zst"); QL_DOC_NONE for anything else. */
ql_doc_kind_t ql_doc_kind(const char *path);

/* Whether data[0..len) opens as files of that kind do: "%PDF-" in its
 * first 1024 bytes (as readers allow), or a zip's "PK\3\4". */
int ql_doc_sniff(ql_doc_kind_t kind, const char *data, size_t len);

/* The part kind of a document kind's citations. */
ql_part_kind_t ql_doc_part_kind(ql_doc_kind_t kind);

/* What ql_doc_extract() returns besides 0. */
#define QL_DOC_NOMEM (-1)
#define QL_DOC_ENCRYPTED (-2) /* needs a password */
#define QL_DOC_DAMAGED (-3)   /* not a document of that kind, or damaged */
#define QL_DOC_NO_TEXT (-4)   /* no text at all: scanned pages, say */
#define QL_DOC_TOO_LARGE (-5) /* inflates past max, or past the ratio (a zip bomb) */
#define QL_DOC_NO_READER (-6) /* the library that reads it is not installed */

/* Extracts the document data[0..len) of the given kind into *doc (zeroed
 * first; ql_doc_free it after, whatever the result): at most max bytes of
 * text and of any inflated member. Returns 0, or one of the above with why
 * (a phrase, no path: "encrypted (needs a password)") in e. */
int ql_doc_extract(ql_doc_kind_t kind, const char *data, size_t len, size_t max, ql_doc_t *doc,
                   ql_err_t *e);

/* The part numbered number, or NULL. */
const ql_doc_part_t *ql_doc_part(const ql_doc_t *doc, uint32_t number);

void ql_doc_free(ql_doc_t *doc);

/* For the extractors: starts a new part numbered number (its text is what
 * is appended to doc->text until the next); closes the part before.
 * Returns 0 or -1 (out of memory). */
int ql_doc_part_begin(ql_doc_t *doc, uint32_t number);
void ql_doc_part_end(ql_doc_t *doc);

/* The extractors (lib/pdf.c, lib/office.c, lib/epub.c), as ql_doc_extract. */
int ql_pdf_extract(const char *data, size_t len, size_t max, ql_doc_t *doc, ql_err_t *e);
int ql_office_extract(ql_doc_kind_t kind, const char *data, size_t len, size_t max, ql_doc_t *doc,
                      ql_err_t *e);
int ql_epub_extract(const char *data, size_t len, size_t max, ql_doc_t *doc, ql_err_t *e);

#endif
