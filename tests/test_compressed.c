/*
 * test_compressed.c - .gz files (issue 19 item 3): inflated within bounds
 * (ql_gunzip: members in a row, a cut-short or damaged stream, a bomb over
 * the size or the ratio bound), read by the reader of the inner name, cited
 * in the decompressed text's lines and bytes by search and by show alike,
 * and, when passed over, counted by reason with the rest still indexed.
 */
#include <criterion/criterion.h>

#include "compressed.h"
#include "helpers.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(gz, .fini = teardown, .timeout = 120);

/* text[0..n) as one gzip member, appended to *out (*len grows). */
static void gzip_into(const char *text, size_t n, unsigned char **out, size_t *len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    const size_t cap = deflateBound(&z, (uLong)n);
    *out = realloc(*out, *len + cap);
    cr_assert(*out);
    z.next_in = (Bytef *)(uintptr_t)text;
    z.avail_in = (uInt)n;
    z.next_out = *out + *len;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *len += cap - z.avail_out;
    deflateEnd(&z);
}

Test(gz, members_in_a_row_are_read_and_bad_streams_refused)
{
    unsigned char *gz = NULL;
    size_t n = 0;
    gzip_into("first member\n", 13, &gz, &n);
    gzip_into("second member\n", 14, &gz, &n);
    char *text = NULL;
    size_t len = 0;
    ql_err_t e = {0};
    cr_assert_eq(ql_decompress(QL_GZIP, (const char *)gz, n, 1 << 20, &text, &len, &e), 0, "%s",
                 e.msg);
    cr_expect_eq(len, 27);
    cr_expect_str_eq(text, "first member\nsecond member\n");
    free(text);
    cr_expect_eq(ql_decompress(QL_GZIP, (const char *)gz, n - 5, 1 << 20, &text, &len, &e),
                 QL_DZ_BAD, "cut short");
    cr_expect(strstr(e.msg, "truncated") != NULL, "%s", e.msg);
    cr_expect_eq(ql_decompress(QL_GZIP, "plain text", 10, 1 << 20, &text, &len, &e), QL_DZ_BAD);
    cr_expect(text == NULL && len == 0);
    free(gz);
}

Test(gz, bombs_stop_at_the_bounds)
{
    const size_t big = (size_t)8 << 20; /* 8 MB of one byte: ~1000:1 */
    char *zeros = calloc(big, 1);
    unsigned char *gz = NULL;
    size_t n = 0;
    gzip_into(zeros, big, &gz, &n);
    free(zeros);
    char *text = NULL;
    size_t len = 0;
    ql_err_t e = {0};
    cr_expect_eq(ql_decompress(QL_GZIP, (const char *)gz, n, (size_t)64 << 20, &text, &len, &e),
                 QL_DZ_TOO_LARGE, "over the ratio");
    cr_expect(strstr(e.msg, "times its") != NULL, "%s", e.msg);
    static char words[3 << 20]; /* words in no pattern: compresses as text does */
    static const char *const vocab[] = {"sanctions ", "Charter ", "the ", "of ", "summit ",
                                        "Lavrov ",    "Geneva ",  "on ",  "\n",  "unilateral "};
    unsigned long seed = 1;
    for (size_t i = 0; i < sizeof words;) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        const char *w = vocab[(seed >> 33) % 10];
        for (size_t k = 0; w[k] && i < sizeof words; k++) words[i++] = w[k];
    }
    free(gz);
    gz = NULL;
    n = 0;
    gzip_into(words, sizeof words, &gz, &n);
    cr_expect_eq(ql_decompress(QL_GZIP, (const char *)gz, n, (size_t)2 << 20, &text, &len, &e),
                 QL_DZ_TOO_LARGE);
    cr_expect(strstr(e.msg, "too large once decompressed") != NULL, "%s", e.msg);
    cr_expect_eq(ql_decompress(QL_GZIP, (const char *)gz, n, (size_t)4 << 20, &text, &len, &e), 0,
                 "%s", e.msg);
    cr_expect_eq(len, sizeof words);
    free(text);
    free(gz);
}

/* Writes text gzipped as dir/name. */
static void put_gz(const char *name, const char *text)
{
    unsigned char *gz = NULL;
    size_t n = 0;
    gzip_into(text, strlen(text), &gz, &n);
    th_write(th_tmpdir(), name, (const char *)gz, n);
    free(gz);
}

static char *quire(const char *args, int want)
{
    char cmd[8192], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s/g' && unset QUIRE_INDEX && '%s' %s", th_tmpdir(), th_bin(),
             args);
    const int rc = th_run(cmd, &out, &err);
    cr_assert_eq(rc, want, "quire %s: status %d\n%s%s", args, rc, out, err);
    free(err);
    return out;
}

Test(gz, read_by_the_inner_name_and_cited_in_the_text)
{
    static const char page[] = "<html><head><title>Gz page</title></head><body>\n"
                               "<p>Intro.</p>\n<p>Compressed sanctions text.</p>\n</body></html>\n";
    put_gz("g/a.html.gz", page);
    put_gz("g/notes.txt.gz", "Notes\n\nzipped report words\n");
    th_write(th_tmpdir(), "g/bad.txt.gz", "not gzip at all", 15);
    th_write(th_tmpdir(), "g/plain.txt", "Plain\n\nplain sanctions too\n", 27);
    unsigned char *gz = NULL; /* a .gz of a binary file */
    size_t gn = 0;
    gzip_into("\x7f"
              "ELF\0\0\0binary",
              13, &gz, &gn);
    th_write(th_tmpdir(), "g/prog.txt.gz", (const char *)gz, gn);
    free(gz);
    char *out = quire("index", 0);
    cr_expect(strstr(out, "indexed 3 files") && strstr(out, "2 skipped: 1 binary, 1 unreadable"),
              "%s", out);
    free(out);
    out = quire("search --json -n 1 compressed", 0);
    const char *at = strstr(page, "Compressed sanctions text.");
    char want[160];
    snprintf(want, sizeof want,
             "\"line_start\":3,\"line_end\":3,\"byte_start\":%zu,\"byte_end\":%zu",
             (size_t)(at - page), (size_t)(at - page) + 26);
    cr_expect(strstr(out, "\"path\":\"a.html.gz\"") && strstr(out, want), "want %s in %s", want,
              out);
    free(out);
    out = quire("show a.html.gz:3", 0);
    cr_expect(strstr(out, "3:<p>Compressed sanctions text.</p>") != NULL, "%s", out);
    cr_expect(strstr(out, "changed") == NULL, "the file is as indexed: %s", out);
    free(out);
    out = quire("search -l zipped", 0);
    cr_expect_str_eq(out, "notes.txt.gz\n");
    free(out);
    out = quire("index", 0);
    cr_expect(strstr(out, "up to date") != NULL, "the raw bytes' hash is kept: %s", out);
    free(out);
}

/* text[0..n) as one zstd frame, appended to *out (*len grows). */
static void zstd_into(const char *text, size_t n, unsigned char **out, size_t *len)
{
    const size_t cap = ZSTD_compressBound(n);
    *out = realloc(*out, *len + cap);
    cr_assert(*out);
    const size_t got = ZSTD_compress(*out + *len, cap, text, n, 3);
    cr_assert(!ZSTD_isError(got));
    *len += got;
}

Test(gz, zstd_frames_in_a_row_bombs_and_damage)
{
    unsigned char *z = NULL;
    size_t n = 0;
    zstd_into("first frame\n", 12, &z, &n);
    zstd_into("second frame\n", 13, &z, &n);
    char *text = NULL;
    size_t len = 0;
    ql_err_t e = {0};
    cr_assert_eq(ql_decompress(QL_ZSTD, (const char *)z, n, 1 << 20, &text, &len, &e), 0, "%s",
                 e.msg);
    cr_expect_str_eq(text, "first frame\nsecond frame\n");
    free(text);
    cr_expect_eq(ql_decompress(QL_ZSTD, (const char *)z, n - 3, 1 << 20, &text, &len, &e),
                 QL_DZ_BAD, "cut short");
    cr_expect(strstr(e.msg, "truncated") != NULL, "%s", e.msg);
    cr_expect_eq(ql_decompress(QL_ZSTD, "plain text", 10, 1 << 20, &text, &len, &e), QL_DZ_BAD);
    cr_expect(strstr(e.msg, "not zstd") != NULL, "%s", e.msg);
    free(z);
    z = NULL;
    n = 0;
    char *zeros = calloc((size_t)32 << 20, 1); /* 32 MB of one byte: a few kB of zstd */
    zstd_into(zeros, (size_t)32 << 20, &z, &n);
    free(zeros);
    cr_expect_eq(ql_decompress(QL_ZSTD, (const char *)z, n, (size_t)256 << 20, &text, &len, &e),
                 QL_DZ_TOO_LARGE, "%zu bytes in", n);
    cr_expect(strstr(e.msg, "times its") != NULL, "%s", e.msg);
    free(z);
    cr_expect_eq(ql_compressed_kind("a/b.MD.ZST"), QL_ZSTD);
    cr_expect_eq(ql_compressed_inner_len("a/b.md.zst"), 6);
    cr_expect_eq(ql_compressed_kind("notes.zstd"), QL_PLAIN);
}

Test(gz, a_zstd_file_is_indexed_and_shown_as_its_text)
{
    static const char md[] = "# Memo\n\nThe zstandard memo on sanctions.\n";
    unsigned char *z = NULL;
    size_t n = 0;
    zstd_into(md, sizeof md - 1, &z, &n);
    th_write(th_tmpdir(), "g/memo.md.zst", (const char *)z, n);
    free(z);
    char *out = quire("index", 0);
    cr_expect(strstr(out, "indexed 1 file") != NULL, "%s", out);
    free(out);
    out = quire("search --json zstandard", 0);
    cr_expect(strstr(out, "\"title\":\"Memo\"") && strstr(out, "\"line_start\":3"), "%s", out);
    free(out);
    out = quire("show memo.md.zst:3", 0);
    cr_expect(strstr(out, "3:The zstandard memo on sanctions.") != NULL, "%s", out);
    free(out);
}
