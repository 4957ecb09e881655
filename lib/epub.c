/*
 * epub.c - the chapters of an EPUB (document.h): META-INF/container.xml
 * names the package document (OPF), whose spine lists the chapters in
 * reading order; each chapter's XHTML, as it is, is one part numbered by
 * its place in the spine (the HTML reader reads it, so a citation's lines
 * are the chapter file's). The package's dc:title and dc:date are the
 * book's title and date.
 */
#include "document.h"

#include "date.h"
#include "doclibs.h"
#include "zipfile.h"

#include <stdlib.h>
#include <string.h>

#define OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
#define MAX_CHAPTERS 10000

typedef struct {
    char *id, *href;
} item_t;

typedef struct {
    item_t *items;
    size_t nitems, cap;
    char **spine; /* idrefs, in order */
    size_t nspine, capspine;
} package_t;

static int is(const xmlChar *a, const char *b)
{
    return a && strcmp((const char *)a, b) == 0;
}

/* container.xml's first rootfile full-path (malloc'd), or NULL. */
static char *rootfile(const char *xml, size_t n)
{
    xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)n, "container.xml", NULL, OPTS);
    char *path = NULL;
    while (r && !path && xmlTextReaderRead(r) == 1)
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
            is(xmlTextReaderConstLocalName(r), "rootfile")) {
            xmlChar *v = xmlTextReaderGetAttribute(r, BAD_CAST "full-path");
            if (v) path = strdup((const char *)v);
            xmlFree(v);
        }
    if (r) xmlFreeTextReader(r);
    return path;
}

static int push_item(package_t *p, xmlChar *id, xmlChar *href)
{
    if (p->nitems == p->cap) {
        const size_t cap = p->cap ? p->cap * 2 : 32;
        item_t *v = realloc(p->items, cap * sizeof *v);
        if (!v) return -1;
        p->items = v;
        p->cap = cap;
    }
    item_t *it = &p->items[p->nitems];
    it->id = strdup((const char *)id);
    it->href = strdup((const char *)href);
    if (!it->id || !it->href) {
        free(it->id);
        free(it->href);
        return -1;
    }
    p->nitems++;
    return 0;
}

static int push_spine(package_t *p, xmlChar *idref)
{
    if (p->nspine == MAX_CHAPTERS) return 0;
    if (p->nspine == p->capspine) {
        const size_t cap = p->capspine ? p->capspine * 2 : 32;
        char **v = realloc(p->spine, cap * sizeof *v);
        if (!v) return -1;
        p->spine = v;
        p->capspine = cap;
    }
    return (p->spine[p->nspine++] = strdup((const char *)idref)) ? 0 : -1;
}

/* The OPF's manifest, spine, title and date. Returns 0 or -1 (OOM). */
static int read_package(const char *xml, size_t n, package_t *p, ql_doc_t *doc)
{
    xmlTextReaderPtr r = xmlReaderForMemory(xml, (int)n, "package", NULL, OPTS);
    if (!r) return -1;
    int rc = 0;
    const xmlChar *open = NULL;
    while (rc == 0 && xmlTextReaderRead(r) == 1) {
        const int type = xmlTextReaderNodeType(r);
        const xmlChar *name = xmlTextReaderConstLocalName(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            open = name;
            xmlChar *a = NULL, *b = NULL;
            if (is(name, "item")) {
                a = xmlTextReaderGetAttribute(r, BAD_CAST "id");
                b = xmlTextReaderGetAttribute(r, BAD_CAST "href");
                if (a && b) rc = push_item(p, a, b);
            } else if (is(name, "itemref")) {
                a = xmlTextReaderGetAttribute(r, BAD_CAST "idref");
                if (a) rc = push_spine(p, a);
            }
            xmlFree(a);
            xmlFree(b);
        } else if (type == XML_READER_TYPE_TEXT && open) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            uint32_t ymd = 0;
            if (is(open, "title") && doc->title.len == 0) ql_buf_adds(&doc->title, v);
            if (is(open, "date") && !doc->date && ql_date_parse(v, strlen(v), &ymd) == 0)
                doc->date = ymd;
        } else {
            open = NULL;
        }
    }
    xmlFreeTextReader(r);
    return rc;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* The member name of href, relative to the package at opf: its folder,
 * then href without a #fragment, %-escapes decoded. */
static void member_name(const char *opf, const char *href, ql_buf_t *out)
{
    ql_buf_reset(out);
    const char *slash = strrchr(opf, '/');
    if (slash) ql_buf_add(out, opf, (size_t)(slash - opf) + 1);
    for (const char *s = href; *s && *s != '#'; s++) {
        if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
            ql_buf_addc(out, (char)(hexval(s[1]) * 16 + hexval(s[2])));
            s += 2;
        } else {
            ql_buf_addc(out, *s);
        }
    }
    ql_buf_addc(out, '\0');
}

static const char *href_of(const package_t *p, const char *id)
{
    for (size_t i = 0; i < p->nitems; i++)
        if (!strcmp(p->items[i].id, id)) return p->items[i].href;
    return NULL;
}

/* Each spine chapter into a part. 0, -1 (OOM) or QL_DOC_TOO_LARGE. */
static int read_chapters(ql_zip_t *z, const char *opf, const package_t *p, size_t max,
                         ql_doc_t *doc, ql_err_t *e)
{
    ql_buf_t name = {0};
    int rc = 0;
    for (size_t k = 0; k < p->nspine && rc == 0; k++) {
        const char *href = href_of(p, p->spine[k]);
        if (!href) continue;
        member_name(opf, href, &name);
        char *x = NULL;
        size_t n = 0;
        ql_err_t why = {0};
        const int got = name.oom ? -1 : ql_zip_read(z, name.data, max, &x, &n, &why);
        if (got == QL_ZIP_MISSING) continue; /* a spine entry the zip lacks */
        if (got == 0 && doc->text.len + n > max) {
            ql_errf(&why, QL_E_IO, "its chapters add up to over %zu MB", max >> 20);
            free(x);
            x = NULL;
            rc = QL_DOC_TOO_LARGE;
        }
        if (got != 0) rc = got;
        if (rc == 0 && (rc = ql_doc_part_begin(doc, (uint32_t)k + 1)) == 0) {
            ql_buf_add(&doc->text, x, n);
            ql_doc_part_end(doc);
        }
        if (rc && rc != -1) *e = why;
        free(x);
    }
    ql_buf_free(&name);
    return rc;
}

static void free_package(package_t *p)
{
    for (size_t i = 0; i < p->nitems; i++) free(p->items[i].id), free(p->items[i].href);
    for (size_t i = 0; i < p->nspine; i++) free(p->spine[i]);
    free(p->items);
    free(p->spine);
}

int ql_epub_extract(const char *data, size_t len, size_t max, ql_doc_t *doc, ql_err_t *e)
{
    ql_zip_t *z = NULL;
    const int opened = ql_zip_open_doc(data, len, "an EPUB", &z, e);
    if (opened != 0) return opened;
    package_t p = {0};
    char *xml = NULL, *opf = NULL;
    size_t n = 0;
    int rc = ql_zip_read(z, "META-INF/container.xml", (size_t)1 << 20, &xml, &n, e);
    if (rc == 0 && !(opf = rootfile(xml, n))) rc = QL_ZIP_MISSING;
    free(xml);
    xml = NULL;
    if (rc == 0) rc = ql_zip_read(z, opf, (size_t)16 << 20, &xml, &n, e);
    if (rc == 0) rc = read_package(xml, n, &p, doc);
    if (rc == QL_ZIP_MISSING) {
        ql_errf(e, QL_E_IO, "damaged: no package document (META-INF/container.xml, OPF)");
        rc = QL_DOC_DAMAGED;
    }
    if (rc == 0) rc = read_chapters(z, opf, &p, max, doc, e);
    if (rc == 0 && doc->nparts == 0) {
        ql_errf(e, QL_E_IO, "no chapters: its spine names no file it holds");
        rc = QL_DOC_NO_TEXT;
    }
    free(xml);
    free(opf);
    free_package(&p);
    ql_zip_close(z);
    if (rc == -1) ql_errf(e, QL_E_NOMEM, "out of memory");
    return rc;
}
