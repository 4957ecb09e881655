/*
 * test_documents.c - PDF, DOCX, ODT and EPUB (issue 19 items 1, 2 and 6),
 * on the fixtures tools/gen-doc-fixtures.py writes (tests/fixtures/docs):
 * the extracted text of each part asserted byte for byte (reading order,
 * joined hyphenation, a table a row per line, running headers marked,
 * paragraphs a line each, chapters in spine order), titles and dates, the
 * bad ones (encrypted, truncated, image-only, a looping page tree, HTML
 * named .pdf, malformed XML, a zip bomb) each one warning and counted, and
 * citations end to end: search prints report.pdf:p1:7-10, JSON carries the
 * page, and show opens the same lines.
 */
#include <criterion/criterion.h>

#include "document.h"
#include "helpers.h"
#include "quire.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(documents, .fini = teardown, .timeout = 120);

#define MAX ((size_t)64 << 20)

/* Extracts the fixture name into *d; returns ql_doc_extract's result. */
static int extract(const char *name, ql_doc_t *d, ql_err_t *e)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/fixtures/docs/%s", name);
    size_t n = 0;
    char *data = th_read(th_repo(rel), &n);
    cr_assert(data, "%s", rel);
    const int rc = ql_doc_extract(ql_doc_kind(name), data, n, MAX, d, e);
    free(data);
    return rc;
}

/* Part number's text, NUL-terminated (static buffer). */
static const char *part_text(const ql_doc_t *d, uint32_t number)
{
    static char buf[4096];
    const ql_doc_part_t *p = ql_doc_part(d, number);
    cr_assert(p, "part %u", number);
    cr_assert_lt(p->len, sizeof buf);
    memcpy(buf, d->text.data + p->start, p->len);
    buf[p->len] = '\0';
    return buf;
}

Test(documents, pdf_pages_read_as_prose)
{
    ql_doc_t d;
    ql_err_t e = {0};
    cr_assert_eq(extract("report.pdf", &d, &e), 0, "%s", e.msg);
    cr_expect_eq(d.part_kind, QL_PART_PAGE);
    cr_assert_eq(d.nparts, 3);
    cr_expect_str_eq(part_text(&d, 1),
                     "UN Security Council - Report S/2023/123\n\n"
                     "Unilateral Sanctions and the Charter\n\n"
                     "New York, 12 May 2023\n\n"
                     "The Group of Friends in Defence of the Charter of the United\n"
                     "Nations met to discuss unilateral coercive measures and their\n"
                     "effect on development. Members said such measures violate international\n"
                     "law and the sovereign equality of States.\n\n"
                     "A second paragraph notes that humanitarian exemptions rarely work\n"
                     "in practice, as banks refuse transfers to sanctioned countries.\n\n"
                     "Page 1 of 3\n",
                     "paragraphs apart, 'interna-' joined on its line, lines kept");
    cr_expect_str_eq(part_text(&d, 2),
                     "UN Security Council - Report S/2023/123\n\n"
                     "Delegations from the Non-Aligned\n"
                     "Movement called for dialogue and\n"
                     "restraint in the region.\n\n"
                     "Observers from civil society\n"
                     "asked for monitoring of food\n"
                     "and medicine supplies.\n\n"
                     "Table 1. Votes on draft resolution A/78/L.5\n"
                     "Region  In favour  Against\n"
                     "Africa  51  0\n"
                     "Europe  2  40\n\n"
                     "Page 2 of 3\n",
                     "columns one after the other; the table a row per line");
    cr_expect_str_eq(part_text(&d, 3),
                     "UN Security Council - Report S/2023/123\n\n"
                     "Заявление Министерства иностранных дел\n\n"
                     "Односторонние санкции противоречат Уставу ООН\n"
                     "и подрывают международное право.\n\n"
                     "Page 3 of 3\n",
                     "a CID font's text through its ToUnicode map");
    for (size_t i = 0; i < d.nparts; i++) {
        cr_expect_eq(d.parts[i].head, 1, "the running header, page %zu", i + 1);
        cr_expect_eq(d.parts[i].foot, 1, "the page-number footer, page %zu", i + 1);
    }
    cr_expect_eq(d.big.len, strlen("Unilateral Sanctions and the Charter"));
    cr_expect(d.big.data && !memcmp(d.big.data, "Unilateral Sanctions and the Charter", d.big.len));
    cr_expect(d.title.data &&
              !strncmp(d.title.data, "Report of the Secretary-General", d.title.len));
    cr_expect_eq(d.date, 20230515u, "CreationDate");
    ql_doc_free(&d);
}

Test(documents, office_paragraphs_are_lines)
{
    ql_doc_t d;
    ql_err_t e = {0};
    cr_assert_eq(extract("memo.docx", &d, &e), 0, "%s", e.msg);
    cr_expect_eq(d.part_kind, QL_PART_PARAGRAPHS);
    cr_expect_str_eq(
        part_text(&d, 1),
        "Memo on unilateral sanctions\nBackground\n"
        "The Charter of the United Nations gives the Security Council alone the power to impose "
        "binding measures.\n"
        "Unilateral coercive measures are sanctions imposed without a mandate.\n\n"
        "Votes\nAfrica\n51 in favour\n"
        "The Group of Friends in Defence of the Charter will meet again in September.\n",
        "runs joined, the tab a space, the deletion left out, table cells paragraphs");
    cr_assert_eq(d.nheadings, 3);
    cr_expect(d.headings[0] == 1 && d.headings[1] == 2 && d.headings[2] == 6);
    cr_expect(d.title.data && !strncmp(d.title.data, "Memo on the Charter", d.title.len));
    cr_expect_eq(d.date, 20230602u);
    ql_doc_free(&d);

    cr_assert_eq(extract("notes.odt", &d, &e), 0, "%s", e.msg);
    cr_expect_str_eq(part_text(&d, 1),
                     "Notes from the summit\n"
                     "Leaders of Russia and China called for a summit of the Security Council "
                     "to restore trust.\nSanctions\nBoth sides rejected unilateral   sanctions.\n",
                     "spans kept, text:s spaces, the footnote left out");
    cr_assert_eq(d.nheadings, 2);
    cr_expect(d.headings[0] == 1 && d.headings[1] == 3);
    cr_expect_eq(d.date, 20230920u);
    ql_doc_free(&d);
}

Test(documents, epub_chapters_in_spine_order)
{
    ql_doc_t d;
    ql_err_t e = {0};
    cr_assert_eq(extract("book.epub", &d, &e), 0, "%s", e.msg);
    cr_expect_eq(d.part_kind, QL_PART_CHAPTER);
    cr_assert_eq(d.nparts, 3);
    cr_expect(strstr(part_text(&d, 1), "<h1>San Francisco, 1945</h1>"), "the spine's first");
    cr_expect(strstr(part_text(&d, 3), "<h1>Sanctions</h1>"), "chapter%%203.xhtml, decoded");
    cr_expect(d.title.data && !strncmp(d.title.data, "A History of the Charter", d.title.len));
    cr_expect_eq(d.date, 20201024u);
    ql_doc_free(&d);
}

Test(documents, bad_documents_say_why)
{
    static const struct {
        const char *name;
        int rc;
        const char *says;
    } cases[] = {
        {"encrypted.pdf", QL_DOC_ENCRYPTED, "needs a password"},
        {"truncated.pdf", QL_DOC_DAMAGED, "damaged"},
        {"scanned.pdf", QL_DOC_NO_TEXT, "no text"},
        {"fake.pdf", QL_DOC_DAMAGED, "not a PDF"},
        {"broken.docx", QL_DOC_DAMAGED, "not well-formed XML"},
        {"bomb.docx", QL_DOC_TOO_LARGE, "zip bomb"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ql_doc_t d;
        ql_err_t e = {0};
        cr_expect_eq(extract(cases[i].name, &d, &e), cases[i].rc, "%s: %s", cases[i].name, e.msg);
        cr_expect(strstr(e.msg, cases[i].says), "%s: %s", cases[i].name, e.msg);
        ql_doc_free(&d);
    }
    ql_doc_t d;
    ql_err_t e = {0};
    cr_expect_eq(extract("loop.pdf", &d, &e), 0, "poppler breaks the loop: %s", e.msg);
    cr_expect_eq(d.nparts, 1);
    ql_doc_free(&d);
}

/* Runs `quire ARGS` in th_tmpdir(); returns the status. */
static int quire(const char *args, char **out, char **err)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && unset QUIRE_INDEX && HOME='%s' '%s' %s", th_tmpdir(),
             th_tmpdir(), th_bin(), args);
    return th_run(cmd, out, err);
}

static void index_docs(char **out, char **err)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/docs' && cp '%s'/* '%s/docs'", th_tmpdir(),
             th_repo("tests/fixtures/docs"), th_tmpdir());
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(quire("index docs", out, err), 0, "%s", *err);
}

Test(documents, indexed_with_one_warning_each_and_counted)
{
    char *out = NULL, *err = NULL;
    index_docs(&out, &err);
    static const char *const warned[] = {
        "encrypted.pdf: encrypted (needs a password), skipped",
        "truncated.pdf: damaged or not a PDF",
        "scanned.pdf: no text in its 1 pages (scanned images?), skipped",
        "broken.docx: damaged: word/document.xml is not well-formed XML (line 1), skipped",
        "bomb.docx: word/document.xml inflates past",
    };
    for (size_t i = 0; i < sizeof warned / sizeof warned[0]; i++)
        cr_expect(strstr(err, warned[i]), "%s in:\n%s", warned[i], err);
    cr_expect_eq(th_count_lines(err), 5, "one warning each, nothing for the good ones: %s", err);
    cr_expect(strstr(out, "5 skipped: 1 too large, 1 encrypted, 2 damaged, 1 without text"), "%s",
              out);
    free(out);
    free(err);
    cr_assert_eq(quire("stats --json", &out, &err), 0, "%s", err);
    json_t *s = json_loads(out, 0, NULL), *k = json_object_get(s, "skipped");
    cr_expect_eq(json_integer_value(json_object_get(k, "encrypted")), 1);
    cr_expect_eq(json_integer_value(json_object_get(k, "damaged")), 2);
    cr_expect_eq(json_integer_value(json_object_get(k, "no_text")), 1);
    cr_expect_eq(json_integer_value(json_object_get(k, "too_large")), 1);
    cr_expect_eq(json_integer_value(json_object_get(s, "files")), 6,
                 "report, loop, memo, notes, book, and fake.pdf read as the HTML it is");
    json_decref(s);
    free(out);
    free(err);
    cr_assert_eq(quire("search 'Not a PDF at all'", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "docs/fake.pdf:1"), "an HTML page named .pdf, cited as a file: %s", out);
    free(out);
    free(err);
}

Test(documents, citations_name_the_part_and_show_opens_them)
{
    char *out = NULL, *err = NULL;
    index_docs(&out, &err);
    free(out);
    free(err);
    cr_assert_eq(quire("search --json -n 1 'sovereign equality'", &out, &err), 0, "%s", err);
    json_t *h = json_loads(out, 0, NULL);
    cr_assert(h, "%s", out);
    cr_expect_str_eq(json_string_value(json_object_get(h, "cite")), "docs/report.pdf:p1:7-10");
    cr_expect_eq(json_integer_value(json_object_get(h, "page")), 1);
    cr_expect_eq(json_integer_value(json_object_get(h, "line_start")), 7);
    cr_expect_str_eq(json_string_value(json_object_get(h, "title")),
                     "Unilateral Sanctions and the Charter", "the title as printed, largest type");
    cr_expect_str_eq(json_string_value(json_object_get(h, "date")), "2023-05-12",
                     "the dateline on the page before the CreationDate");
    cr_expect(strstr(json_string_value(json_object_get(h, "text")), "violate international\nlaw"),
              "the hyphenated word joined");
    json_decref(h);
    free(out);
    free(err);
    /* the running header is on every page but in no passage */
    cr_expect_eq(quire("search 'S/2023/123'", &out, &err), 1, "%s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("search -n 1 'Africa'", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "docs/report.pdf:p2:11-14") || strstr(out, "docs/memo.docx:\xc2\xb6"),
              "%s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("search -n 1 'binding measures'", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "docs/memo.docx:\xc2\xb6"
                          "3 "),
              "paragraph 3: %s", out);
    cr_expect(strstr(out, "Background"), "titled by its heading: %s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("search -n 1 'veto'", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "docs/book.epub:ch2:6 "), "%s", out);
    cr_expect(strstr(out, "The Security Council  2020-10-24"), "the book's date: %s", out);
    free(out);
    free(err);

    cr_assert_eq(quire("show -C 1 docs/report.pdf:p1:8", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "docs/report.pdf:p1:7-10  bytes 102-338"), "%s", out);
    cr_expect(strstr(out, "9:effect on development. Members said such measures violate "
                          "international\n10:law and"),
              "%s", out);
    cr_expect(strstr(out, "11-\n"), "context: %s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("show -C 0 'docs/memo.docx:\xc2\xb6"
                       "4'",
                       &out, &err),
                 0, "%s", err);
    cr_expect_str_eq(out,
                     "docs/memo.docx:\xc2\xb6"
                     "4  bytes 145-214  Background\n"
                     "4:Unilateral coercive measures are sanctions imposed without a mandate.\n");
    free(out);
    free(err);
    cr_assert_eq(quire("show -C 0 docs/book.epub:ch3:7", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "7:<p>Unilateral sanctions have no such basis in the Charter.</p>"), "%s",
              out);
    free(out);
    free(err);
    cr_expect_eq(quire("show docs/report.pdf:p9:1", &out, &err), 2);
    cr_expect(strstr(err, "it has no page 9 (it has 3)"), "%s", err);
    free(out);
    free(err);
    cr_expect_eq(quire("show docs/report.pdf:3", &out, &err), 2);
    cr_expect(strstr(err, "name the page"), "%s", err);
    free(out);
    free(err);
}

Test(documents, citations_read_back)
{
    char path[64];
    unsigned part = 9, first = 0, last = 0;
    cr_assert_eq(quire_cite_parse("a/report.pdf:p12:5-9", path, sizeof path, &part, &first, &last),
                 0);
    cr_expect(!strcmp(path, "a/report.pdf") && part == 12 && first == 5 && last == 9);
    cr_assert_eq(quire_cite_parse("book.epub:ch3:12", path, sizeof path, &part, &first, &last), 0);
    cr_expect(!strcmp(path, "book.epub") && part == 3 && first == 12 && last == 12);
    cr_assert_eq(quire_cite_parse("memo.docx:\xc2\xb6"
                                  "27",
                                  path, sizeof path, &part, &first, &last),
                 0);
    cr_expect(!strcmp(path, "memo.docx") && part == 0 && first == 27);
    cr_assert_eq(quire_cite_parse("x:y.txt:11:52", path, sizeof path, &part, &first, &last), 0);
    cr_expect(!strcmp(path, "x:y.txt") && first == 11 && last == 11, "vimgrep's column dropped");
    cr_expect_eq(quire_cite_parse("report.pdf:p0:5", path, sizeof path, &part, &first, &last), 0);
    cr_expect_str_eq(path, "report.pdf:p0", "page 0 is no page: part of the path");
    cr_expect_eq(quire_cite_parse("report.pdf:9-5", path, sizeof path, &part, &first, &last), -1);
    cr_expect_eq(quire_cite_parse(":5", path, sizeof path, &part, &first, &last), -1);
    char place[32];
    quire_cite_place(QUIRE_PART_PAGE, 12, 5, 9, place, sizeof place);
    cr_expect_str_eq(place, "p12:5-9");
    quire_cite_place(QUIRE_PART_PARAGRAPHS, 1, 27, 27, place, sizeof place);
    cr_expect_str_eq(place, "\xc2\xb6"
                            "27");
}

/* A PDF of n pages, the first saying text, written to path. */
static void many_pages(const char *path, unsigned n, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    unsigned long *off = malloc((n + 8) * sizeof *off);
    cr_assert(off);
    unsigned obj = 0;
    fputs("%PDF-1.4\n", f);
    off[++obj] = (unsigned long)ftell(f);
    fprintf(f, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    off[++obj] = (unsigned long)ftell(f);
    fprintf(f, "2 0 obj << /Type /Pages /Count %u /Kids [", n);
    for (unsigned i = 0; i < n; i++) fprintf(f, "%u 0 R ", 5 + i);
    fputs("] >> endobj\n", f);
    off[++obj] = (unsigned long)ftell(f);
    fputs("3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n", f);
    off[++obj] = (unsigned long)ftell(f);
    fprintf(
        f,
        "4 0 obj << /Length %zu >> stream\nBT /F1 12 Tf 72 700 Td (%s) Tj ET\nendstream endobj\n",
        strlen(text) + 31, text);
    for (unsigned i = 0; i < n; i++) {
        off[++obj] = (unsigned long)ftell(f);
        fprintf(f, "%u 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]", 5 + i);
        if (i == 0) fputs(" /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R", f);
        fputs(" >> endobj\n", f);
    }
    const long xref = ftell(f);
    fprintf(f, "xref\n0 %u\n0000000000 65535 f \n", obj + 1);
    for (unsigned i = 1; i <= obj; i++) fprintf(f, "%010lu 00000 n \n", off[i]);
    fprintf(f, "trailer << /Size %u /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", obj + 1, xref);
    free(off);
    cr_assert_eq(fclose(f), 0);
}

Test(documents, a_hundred_thousand_pages_are_read_to_the_bound)
{
    char path[4096], *out = NULL, *err = NULL;
    snprintf(path, sizeof path, "%s/big/pages.pdf", th_tmpdir());
    th_write(th_tmpdir(), "big/.keep", "", 0);
    many_pages(path, 100000, "Quokka census of the first page");
    cr_assert_eq(quire("index big", &out, &err), 0, "%s", err);
    cr_expect(strstr(err, "pages.pdf: only its first 20000 pages are read; 80000 more left out"),
              "%s", err);
    cr_expect(strstr(out, "indexed 1 file"), "%s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("search quokka", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "big/pages.pdf:p1:1"), "%s", out);
    free(out);
    free(err);
}

Test(documents, a_gzipped_pdf_is_read_and_shown_as_the_pdf)
{
    char cmd[8192], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/gz' && gzip -c '%s' > '%s/gz/report.pdf.gz'",
             th_tmpdir(), th_repo("tests/fixtures/docs/report.pdf"), th_tmpdir());
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(quire("index gz", &out, &err), 0, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(quire("search -n 1 sovereign", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "gz/report.pdf.gz:p1:7-10"), "%s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("show -C 0 gz/report.pdf.gz:p1:10", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "10:law and the sovereign equality of States.\n"), "%s", out);
    free(out);
    free(err);
}

Test(documents, the_fixtures_are_what_their_script_writes)
{
    char cmd[16384], script[4096], fixtures[4096]; /* th_repo's buffer is reused */
    snprintf(script, sizeof script, "%s", th_repo("tools/gen-doc-fixtures.py"));
    snprintf(fixtures, sizeof fixtures, "%s", th_repo("tests/fixtures/docs"));
    snprintf(cmd, sizeof cmd,
             "python3 '%s' '%s/regen' >/dev/null && cd '%s/regen' && for f in *; do "
             "cmp \"$f\" '%s'/\"$f\" >&2 || exit 1; done",
             script, th_tmpdir(), th_tmpdir(), fixtures);
    char *out = NULL, *err = NULL;
    cr_expect_eq(th_run(cmd, &out, &err), 0, "re-run tools/gen-doc-fixtures.py: %s", err);
    free(out);
    free(err);
}
