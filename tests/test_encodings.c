/*
 * test_encodings.c - text that is not UTF-8 (issue 19 item 4): UTF-16
 * with a byte-order mark (either order) is read with citations in the
 * file's own bytes; an undeclared single-byte encoding is detected when the
 * result reads as prose (a Russian windows-1251 article, a French latin-1
 * one), else read as windows-1252 with a warning; a UTF-8 file with a stray
 * byte stays UTF-8. Every file is indexed end to end by bin/quire.
 */
#include <criterion/criterion.h>

#include "charset.h"
#include "helpers.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(encodings, .fini = teardown, .timeout = 120);

static const char ru[] =
    "Заявление МИД\n\nМинистр иностранных дел России Сергей Лавров заявил, что "
    "односторонние санкции противоречат Уставу Организации Объединённых Наций. Москва "
    "призывает партнёров к диалогу и уважению международного права.\n";
static const char fr[] =
    "Déclaration\n\nLe ministre a rappelé que les sanctions unilatérales sont contraires à la "
    "Charte des Nations unies. La délégation française a présenté un projet de résolution "
    "élaboré avec ses partenaires européens, après une journée très chargée\nà Genève.\n";

/* text (UTF-8) in encoding `to`, malloc'd; *n its length. */
static char *convert(const char *text, const char *to, size_t *n)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    cr_assert(cd != (iconv_t)-1);
    size_t il = strlen(text), cap = il * 4 + 4, ol = cap;
    char *out = malloc(cap), *ip = (char *)text, *op = out;
    cr_assert(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    *n = cap - ol;
    return out;
}

Test(encodings, detected_when_it_reads_as_prose)
{
    size_t n = 0;
    char name[48];
    char *cp = convert(ru, "WINDOWS-1251", &n);
    cr_expect_eq(qi_charset_detect(cp, n, name, sizeof name), 0);
    cr_expect_str_eq(name, "windows-1251");
    free(cp);
    char *latin = convert(fr, "ISO-8859-1", &n);
    cr_expect_eq(qi_charset_detect(latin, n, name, sizeof name), 0);
    cr_expect_str_eq(name, "windows-1252", "latin-1, read as browsers read it");
    free(latin);
    static const char noise[] = "\x81\x8d\x8f\x90\x9d\x81\x8d\x8f\x90\x9d\x01\x02\x03\x81\x8d";
    cr_expect_eq(qi_charset_detect(noise, sizeof noise - 1, name, sizeof name), 1);
    cr_expect_str_eq(name, "windows-1252", "not confident: windows-1252");
    cr_expect(qi_charset_mostly_utf8("caf\xc3\xa9 na\xc3\xafve \xff", 13));
    cr_expect(!qi_charset_mostly_utf8("caf\xe9 na\xefve", 9));
}

Test(encodings, utf16_is_read_with_a_map_to_its_bytes)
{
    static const char le[] = "\xff\xfe"
                             "A\0\xe9\0\x3d\xd8\x00\xde"
                             "B\0"; /* Aé😀B */
    qi_recoded_t r;
    cr_assert_eq(qi_recode_utf16(le, sizeof le - 1, &r), 0);
    cr_expect_str_eq(r.text, "A\xc3\xa9\xf0\x9f\x98\x80"
                             "B");
    cr_expect(r.origin[0] == 2 && r.origin[1] == 4 && r.origin[3] == 6 && r.origin[7] == 10);
    qi_recoded_free(&r);
    static const char be[] = "\xfe\xff\0A\xd8\x3d"; /* an unpaired high surrogate at the end */
    cr_assert_eq(qi_recode_utf16(be, sizeof be - 1, &r), 0);
    cr_expect_str_eq(r.text, "A\xef\xbf\xbd");
    qi_recoded_free(&r);
    cr_expect_eq(qi_recode_utf16("AB", 2, &r), -2);
}

static char *quire(const char *args, int want, char **err)
{
    char cmd[8192], *out = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s/e' && unset QUIRE_INDEX && '%s' %s", th_tmpdir(), th_bin(),
             args);
    const int rc = th_run(cmd, &out, err);
    cr_assert_eq(rc, want, "quire %s: status %d\n%s%s", args, rc, out, *err);
    return out;
}

Test(encodings, files_in_any_encoding_are_indexed_and_cited_in_their_bytes)
{
    size_t n = 0;
    char *cp = convert(ru, "WINDOWS-1251", &n);
    th_write(th_tmpdir(), "e/ru.txt", cp, n);
    free(cp);
    char *u16 = convert(fr, "UTF-16", &n); /* glibc writes a byte-order mark */
    th_write(th_tmpdir(), "e/fr16.txt", u16, n);
    free(u16);
    th_write(th_tmpdir(), "e/stray.txt", "Note\n\nna\xc3\xafve r\xc3\xa9sum\xc3\xa9 \xff here\n",
             27);
    char *err = NULL, *out = quire("index", 0, &err);
    cr_expect(strstr(out, "indexed 3 files") != NULL, "%s", out);
    cr_expect(strstr(err, "ru.txt") == NULL, "detected, no warning: %s", err);
    cr_expect(strstr(err, "stray.txt: not valid UTF-8 (first bad byte at offset 22); bad bytes "
                          "replaced") != NULL,
              "%s", err);
    free(out);
    free(err);
    out = quire("search -l санкции", 0, &err);
    cr_expect_str_eq(out, "ru.txt\n");
    free(out);
    free(err);
    out = quire("search --json -n 1 Genève", 0, &err);
    /* in UTF-16 "à Genève" is line 4, and "Genève" starts 2 units into it */
    const char *nl = strstr(fr, "\nà Genève");
    size_t units = 0; /* of fr up to that line's start */
    for (const char *p = fr; p <= nl; p++) units += ((unsigned char)*p & 0xC0) != 0x80;
    char want[96];
    snprintf(want, sizeof want, "\"match\":{\"line\":4,\"column\":5,\"byte\":%zu}",
             2 + 2 * units + 4);
    cr_expect(strstr(out, "\"path\":\"fr16.txt\"") && strstr(out, want), "want %s in %s", want,
              out);
    free(out);
    free(err);
    out = quire("show fr16.txt:4", 0, &err);
    cr_expect(strstr(out, "\n4:à Genève.") != NULL, "shown as UTF-8, its lines kept: %s", out);
    free(out);
    free(err);
    out = quire("search -l résumé", 0, &err);
    cr_expect_str_eq(out, "stray.txt\n", "a stray byte does not turn UTF-8 into mojibake");
    free(out);
    free(err);
}

/* A page's references decode as a browser's would, so their words are
 * found: Vu&ccaron;i&cacute; is Vučić, &#146; a quote. */
Test(encodings, html_references_become_searchable_words)
{
    static const char page[] = "<html><head><title>Belgrade</title></head><body>\n"
                               "<p>President Vu&ccaron;i&cacute; met the envoy&#146;s team.</p>\n"
                               "</body></html>\n";
    th_write(th_tmpdir(), "e/vucic.html", page, sizeof page - 1);
    char *err = NULL, *out = quire("index", 0, &err);
    free(out);
    free(err);
    out = quire("search --json Vučić", 0, &err);
    cr_expect(strstr(out, "\"text\":\"President Vučić met the envoy’s team.\"") != NULL, "%s", out);
    free(out);
    free(err);
}
