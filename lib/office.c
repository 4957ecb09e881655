/*
 * office.c - the text of Word (.docx, Office Open XML) and OpenDocument
 * (.odt) files (document.h): one part, one line per paragraph, in document
 * order (table cells and list items are paragraphs too), so line N is
 * paragraph N as a word processor numbers them, empty ones included.
 * Headings (DOCX: a Title or Heading style or an outline level; ODT: text:h)
 * are listed in doc->headings. Title and creation date come from the
 * document's properties (docProps/core.xml, meta.xml).
 *
 * The XML is read with libxml2's streaming reader: no tree is built, no
 * entity is expanded, no network is touched. Deleted text of tracked
 * changes, field codes and footnotes are left out.
 */
#include "document.h"

#include "date.h"
#include "doclibs.h"
#include "zipfile.h"

#include <stdlib.h>
#include <string.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define TEXT_NS "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

typedef struct {
    ql_doc_t *doc;
    int odt;
    int depth;     /* paragraphs open (a text box's inside a paragraph's) */
    int heading;   /* the open paragraph is a heading */
    int in_text;   /* inside a w:t */
    uint32_t line; /* paragraphs so far */
    size_t cap;    /* of doc->headings */
} office_t;

static int is(const xmlChar *a, const char *b)
{
    return a && strcmp((const char *)a, b) == 0;
}

/* Appends s as one line's text: line breaks and tabs become spaces. */
static void add_text(ql_doc_t *doc, const xmlChar *s)
{
    for (const unsigned char *p = s; p && *p; p++)
        ql_buf_addc(&doc->text, *p == '\n' || *p == '\r' || *p == '\t' ? ' ' : (char)*p);
}

static int end_paragraph(office_t *o)
{
    ql_buf_addc(&o->doc->text, '\n');
    o->line++;
    if (o->heading) {
        if (o->doc->nheadings == o->cap) {
            const size_t cap = o->cap ? o->cap * 2 : 16;
            uint32_t *h = realloc(o->doc->headings, cap * sizeof *h);
            if (!h) return -1;
            o->doc->headings = h;
            o->cap = cap;
        }
        o->doc->headings[o->doc->nheadings++] = o->line;
    }
    o->heading = 0;
    return 0;
}

/* A DOCX paragraph style that makes a heading. */
static int heading_style(const xmlChar *v)
{
    if (!v) return 0;
    return strncasecmp((const char *)v, "heading", 7) == 0 ||
           strncasecmp((const char *)v, "title", 5) == 0;
}

/* One element start in a DOCX's document.xml. Returns 1 to skip its
 * subtree, 0 to go on. */
static int docx_open(office_t *o, xmlTextReaderPtr r, const xmlChar *name)
{
    if (is(name, "p")) {
        o->depth++;
    } else if (is(name, "t")) {
        o->in_text = !xmlTextReaderIsEmptyElement(r);
    } else if (is(name, "tab") || is(name, "br") || is(name, "cr")) {
        ql_buf_addc(&o->doc->text, ' ');
    } else if (is(name, "pStyle")) {
        xmlChar *v = xmlTextReaderGetAttributeNs(r, BAD_CAST "val", BAD_CAST W_NS);
        if (heading_style(v)) o->heading = 1;
        xmlFree(v);
    } else if (is(name, "outlineLvl")) {
        o->heading = 1;
    } else if (is(name, "del") || is(name, "instrText") || is(name, "delText")) {
        return 1;
    }
    return 0;
}

/* One element start in an ODT's content.xml (as docx_open). */
static int odt_open(office_t *o, xmlTextReaderPtr r, const xmlChar *name)
{
    if (is(name, "p") || is(name, "h")) {
        if (o->depth++ == 0 && is(name, "h")) o->heading = 1;
    } else if (is(name, "s")) {
        xmlChar *c = xmlTextReaderGetAttributeNs(r, BAD_CAST "c", BAD_CAST TEXT_NS);
        long k = c ? strtol((const char *)c, NULL, 10) : 1;
        xmlFree(c);
        for (long i = 0; i < (k < 1 ? 1 : k > 64 ? 64 : k); i++) ql_buf_addc(&o->doc->text, ' ');
    } else if (is(name, "tab") || is(name, "line-break")) {
        ql_buf_addc(&o->doc->text, ' ');
    } else if (is(name, "note") || is(name, "tracked-changes")) {
        return 1;
    }
    return 0;
}

/* Reads the body XML xml[0..n) into doc's one part. 0, -1 (out of memory),
 * or QL_DOC_DAMAGED with why in e. */
static int read_body(office_t *o, const char *xml, size_t n, const char *member, ql_err_t *e)
{
    const char *ns = o->odt ? TEXT_NS : W_NS;
    xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)n, member, NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
    if (!r) return -1;
    int rc = 0, more = 1, here = 0; /* here: Next left the reader on a node not yet seen */
    while (rc == 0 && (more = here ? 1 : xmlTextReaderRead(r)) == 1) {
        here = 0;
        const int type = xmlTextReaderNodeType(r);
        const xmlChar *uri = xmlTextReaderConstNamespaceUri(r);
        const xmlChar *name = xmlTextReaderConstLocalName(r);
        const int ours = is(uri, ns);
        if (type == XML_READER_TYPE_ELEMENT && ours) {
            const int empty = xmlTextReaderIsEmptyElement(r);
            if (o->odt ? odt_open(o, r, name) : docx_open(o, r, name)) {
                if (empty) continue;
                if ((more = xmlTextReaderNext(r)) != 1) break;
                here = 1;
                continue;
            }
            if (empty && (is(name, "p") || is(name, "h")) && --o->depth == 0) rc = end_paragraph(o);
        } else if (type == XML_READER_TYPE_END_ELEMENT && ours) {
            if ((is(name, "p") || is(name, "h")) && o->depth > 0 && --o->depth == 0)
                rc = end_paragraph(o);
            if (is(name, "t")) o->in_text = 0;
        } else if ((type == XML_READER_TYPE_TEXT ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                    type == XML_READER_TYPE_CDATA) &&
                   o->depth > 0 && (o->odt || o->in_text)) {
            add_text(o->doc, xmlTextReaderConstValue(r));
        }
        if (o->doc->text.oom) rc = -1;
    }
    if (rc == 0 && more == -1) {
        ql_errf(e, QL_E_IO, "damaged: %s is not well-formed XML (line %d)", member,
                xmlTextReaderGetParserLineNumber(r));
        rc = QL_DOC_DAMAGED;
    }
    xmlFreeTextReader(r);
    return rc;
}

/* The title and creation date in a properties file (docProps/core.xml,
 * meta.xml): dc:title, and dcterms:created, meta:creation-date or dc:date. */
static void read_properties(ql_doc_t *doc, const char *xml, size_t n)
{
    xmlTextReaderPtr r = xmlReaderForMemory(
        xml, (int)n, "properties", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r) return;
    const xmlChar *open = NULL;
    while (xmlTextReaderRead(r) == 1) {
        const int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            open = xmlTextReaderConstLocalName(r);
        } else if (type == XML_READER_TYPE_TEXT && open) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            uint32_t ymd = 0;
            if (is(open, "title") && doc->title.len == 0) {
                ql_buf_adds(&doc->title, v);
            } else if ((is(open, "created") || is(open, "creation-date") || is(open, "date")) &&
                       !doc->date && ql_date_parse(v, strlen(v), &ymd) == 0) {
                doc->date = ymd;
            }
        } else {
            open = NULL;
        }
    }
    xmlFreeTextReader(r);
}

int ql_office_extract(ql_doc_kind_t kind, const char *data, size_t len, size_t max, ql_doc_t *doc,
                      ql_err_t *e)
{
    ql_zip_t *z = NULL;
    const int opened = ql_zip_open_doc(data, len, kind == QL_DOC_ODT ? "an ODT" : "a DOCX", &z, e);
    if (opened != 0) return opened;
    office_t o = {doc, kind == QL_DOC_ODT, 0, 0, 0, 0, 0};
    const char *body = o.odt ? "content.xml" : "word/document.xml";
    char *xml = NULL;
    size_t n = 0;
    int rc = ql_zip_read(z, body, max, &xml, &n, e);
    if (rc == QL_ZIP_MISSING) {
        ql_errf(e, QL_E_IO, "damaged: it has no %s", body);
        rc = QL_DOC_DAMAGED;
    } else if (rc == 0 && n > (size_t)INT32_MAX) {
        ql_errf(e, QL_E_IO, "%s is over 2 GB", body);
        rc = QL_DOC_TOO_LARGE;
    }
    if (rc == 0) rc = ql_doc_part_begin(doc, 1);
    if (rc == 0) rc = read_body(&o, xml, n, body, e);
    ql_doc_part_end(doc);
    free(xml);
    xml = NULL;
    if (rc == 0 && ql_zip_read(z, o.odt ? "meta.xml" : "docProps/core.xml", (size_t)1 << 20, &xml,
                               &n, &(ql_err_t){0}) == 0)
        read_properties(doc, xml, n);
    free(xml);
    ql_zip_close(z);
    return rc;
}
