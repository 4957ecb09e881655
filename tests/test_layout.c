/*
 * test_layout.c - the codec of the on-disk layout (lib/layout.c): every
 * kind of term, key and value round-trips from hostile input, terms stay
 * within Xapian's limit and unique, and - through bin/quire - a file whose
 * path makes a term too long to store whole is updated like any other
 * (regression: the builder cut such a term and the updater did not, so an
 * edit left the old passages beside the new).
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "layout.h"
#include "manifest.h"
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(layout, .fini = teardown);

/* A pseudo-random path of n bytes drawn from bytes that break naive codecs:
 * NUL, newline, tab, ':', '#', invalid UTF-8. */
static void hostile_path(char *out, size_t n, unsigned long *seed)
{
    static const char pool[] = {'a',        'b',        '/',        ':', '#', '\n', '\t', '\0',
                                (char)0xff, (char)0xc3, (char)0xa9, ' ', '.', 'Z',  '9'};
    for (size_t i = 0; i < n; i++) {
        *seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
        out[i] = pool[(*seed >> 33) % sizeof pool];
    }
}

Test(layout, terms_round_trip_and_stay_within_the_limit_and_unique)
{
    static char path[4096], seen[600][QL_MAX_TERM_BYTES + 1];
    unsigned long seed = 7;
    size_t nseen = 0;
    for (size_t n = 1; n <= 4000; n += 7) {
        hostile_path(path, n, &seed);
        if (n > 300) memset(path, 'p', 300); /* long ones share their first 300 bytes */
        ql_buf_t t = {0};
        ql_term_path(&t, 3, path, n);
        cr_assert(!t.oom);
        cr_expect_leq(t.len, QL_MAX_TERM_BYTES, "a path of %zu bytes gives a %zu-byte term", n,
                      t.len);
        cr_expect_eq(memcmp(t.data, "P3:", 3), 0);
        if (3 + n <= QL_MAX_TERM_BYTES) { /* short: the path itself, byte for byte */
            cr_expect_eq(t.len, 3 + n);
            cr_expect_eq(memcmp(t.data + 3, path, n), 0);
        } else if (nseen < 600) { /* long: cut, and distinct from every other */
            cr_expect_eq(t.data[t.len - 17], '#');
            for (size_t k = 0; k < nseen; k++)
                cr_expect(memcmp(seen[k], t.data, t.len) != 0, "two long paths share a term");
            memcpy(seen[nseen++], t.data, t.len);
        }
        /* the same path gives the same term, whoever spells it */
        ql_buf_t again = {0};
        ql_term_path(&again, 3, path, n);
        cr_expect(again.len == t.len && memcmp(again.data, t.data, t.len) == 0);
        ql_buf_free(&t);
        ql_buf_free(&again);
    }
    cr_expect_gt(nseen, 400);
}

Test(layout, keys_and_signatures_round_trip)
{
    static const uint64_t keys[] = {0, 1, 0xff, 0x0123456789abcdefULL, UINT64_MAX};
    for (size_t i = 0; i < 5; i++) {
        unsigned char v[8];
        uint64_t back = 42;
        ql_key_encode(keys[i], v);
        cr_expect_eq(ql_key_decode((const char *)v, 8, &back), 1);
        cr_expect_eq(back, keys[i]);
        char term[QL_GROUP_TERM_SIZE];
        ql_term_group(term, keys[i]);
        cr_expect_eq(strlen(term), QL_GROUP_TERM_SIZE - 1);
        cr_expect_eq(strtoull(term + 1, NULL, 16), keys[i]);
    }
    uint64_t k = 7;
    cr_expect_eq(ql_key_decode("short", 5, &k), 0, "not a key");
    cr_expect_eq(k, 0);
    ql_sig_t s = {0xfeedfacecafebeefULL, {0}}, back;
    for (size_t i = 0; i < QL_MINHASHES; i++) s.mins[i] = (uint32_t)(0x9e3779b9u * (i + 1));
    unsigned char v[QL_SIG_BYTES];
    ql_sig_encode(&s, v);
    cr_assert_eq(ql_sig_decode((const char *)v, sizeof v, &back), 1);
    cr_expect_eq(back.own, s.own);
    cr_expect_eq(memcmp(back.mins, s.mins, sizeof s.mins), 0);
    cr_expect_eq(ql_sig_agree(s.mins, back.mins), QL_MINHASHES);
    cr_expect(ql_sig_similar(s.mins, back.mins));
    back.mins[0]++, back.mins[1]++, back.mins[2]++, back.mins[3]++, back.mins[4]++;
    cr_expect(!ql_sig_similar(s.mins, back.mins), "11 of 16 is not near-identical");
    cr_expect_eq(ql_sig_decode((const char *)v, sizeof v - 1, &back), 0, "not a signature");
}

/* quire ARGS on the index in <tmp>/index. */
/* The order an update keeps (QL_META_ORDER): spans that follow on, jump
 * back (a file redone by an update comes last), jump forward, and files
 * without passages round-trip; another manifest's order, a wrong count and
 * every truncation are refused. */
Test(layout, file_order_round_trips_and_belongs_to_one_manifest)
{
    const ql_span_t spans[] = {{1, 3}, {4, 2}, {0, 0}, {900, 4}, {6, 1}, {7, 0}, {4000000000u, 2}};
    const size_t n = sizeof spans / sizeof *spans;
    ql_buf_t b = {0};
    ql_order_encode(&b, 0x1234abcdULL, spans, n);
    cr_assert(!b.oom);
    ql_span_t got[sizeof spans / sizeof *spans];
    cr_assert_eq(ql_order_decode(b.data, b.len, 0x1234abcdULL, got, n), 0);
    for (size_t i = 0; i < n; i++) {
        cr_expect_eq(got[i].count, spans[i].count, "file %zu", i);
        if (spans[i].count) cr_expect_eq(got[i].first, spans[i].first, "file %zu", i);
    }
    cr_expect_eq(ql_order_decode(b.data, b.len, 0x1234abceULL, got, n), -1, "another manifest");
    cr_expect_eq(ql_order_decode(b.data, b.len, 0x1234abcdULL, got, n - 1), -1, "other files");
    for (size_t cut = 0; cut < b.len; cut++)
        cr_expect_eq(ql_order_decode(b.data, cut, 0x1234abcdULL, got, n), -1, "cut at %zu", cut);
    ql_buf_free(&b);
}

Test(layout, skipped_file_records_round_trip_and_bad_ones_are_refused)
{
    static char path[4096];
    unsigned long seed = 11;
    ql_buf_t b = {0};
    for (size_t n = 1; n <= 4000; n += 97) { /* any byte a file name may hold */
        hostile_path(path, n, &seed);
        for (size_t i = 0; i < n; i++) path[i] = path[i] ? path[i] : 'x';
        ql_skipped_add(&b, (ql_skip_t)(n % QL_SKIP_KINDS), (uint32_t)n, path, n);
    }
    seed = 11;
    const char *p = b.data;
    ql_skipped_t r;
    for (size_t n = 1; n <= 4000; n += 97) {
        hostile_path(path, n, &seed);
        for (size_t i = 0; i < n; i++) path[i] = path[i] ? path[i] : 'x';
        cr_assert_eq(ql_skipped_next(&p, &r), 1, "record of %zu bytes", n);
        cr_expect_eq(r.why, (ql_skip_t)(n % QL_SKIP_KINDS));
        cr_expect_eq(r.root, n);
        cr_expect(r.relpath_len == n && memcmp(r.relpath, path, n) == 0);
    }
    cr_expect_eq(ql_skipped_next(&p, &r), 0, "the end");
    ql_buf_free(&b);
    static const char *const bad[] = {"binary\t0\t9:short\n", "odd\t0\t1:a\n", "binary\t-1\t1:a\n",
                                      "binary\t0\t1:ab\n", "binary 0 1:a\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        p = bad[i];
        cr_expect_eq(ql_skipped_next(&p, &r), -1, "'%s' is malformed", bad[i]);
    }
    const ql_passed_t counts = {9, 9, 9};
    ql_passed_t back;
    ql_buf_reset(&b);
    ql_passed_format(&b, &counts);
    cr_expect_eq(ql_passed_parse(b.data, &back), 0);
    cr_expect(back.unsupported == 9 && back.outside == 9 && back.excluded == 9);
    cr_expect_eq(ql_passed_parse("unsupported=3 outside=4", &back), 0, "written before stop 26");
    cr_expect(back.unsupported == 3 && back.outside == 4 && back.excluded == 0);
    cr_expect_eq(ql_passed_parse("", &back), 0);
    cr_expect(back.unsupported == 0 && back.outside == 0);
    cr_expect_eq(ql_passed_parse("unsupported=x", &back), -1);
    ql_buf_free(&b);
}

Test(layout, reader_settings_per_path_round_trip)
{
    const qi_read_cfg_t same[3] = {
        {.encoding = "latin1"}, {.encoding = "latin1"}, {.encoding = "latin1"}};
    const qi_read_cfg_t mixed[3] = {
        {.encoding = "windows-1251"}, {0}, {.format = "json", .title_fields = "headline"}};
    qi_read_cfg_t back[3];
    ql_buf_t text = {0}, store = {0};
    qi_read_cfgs_format(same, 3, &text);
    cr_expect_str_eq(text.data, "encoding=latin1\n", "alike: one section, as one path has");
    cr_assert_eq(qi_read_cfgs_parse(text.data, back, 3, &store), 0);
    for (size_t i = 0; i < 3; i++) cr_expect_str_eq(back[i].encoding, "latin1");
    ql_buf_reset(&text);
    qi_read_cfgs_format(mixed, 3, &text);
    cr_assert_eq(qi_read_cfgs_parse(text.data, back, 3, &store), 0, "%s", text.data);
    cr_expect_str_eq(back[0].encoding, "windows-1251");
    cr_expect(back[1].encoding == NULL && back[1].format == NULL, "the defaults");
    cr_expect_str_eq(back[2].format, "json");
    cr_expect_str_eq(back[2].title_fields, "headline");
    cr_expect_eq(qi_read_cfgs_parse(text.data, back, 2, &store), -1, "three sections, two paths");
    cr_expect_eq(qi_read_cfgs_parse("nonsense\n", back, 1, &store), -1);
    ql_buf_free(&text);
    ql_buf_free(&store);
}

static int quire(const char *args, char **out, char **err)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s --index '%s/index'", th_tmpdir(), th_bin(), args,
             th_tmpdir()); /* --index last: options go anywhere */
    return th_run(cmd, out, err);
}

static char *run(const char *args, int status)
{
    char *out = NULL, *err = NULL;
    const int rc = quire(args, &out, &err);
    cr_assert_eq(rc, status, "quire %s: %d\n%s%s", args, rc, out, err);
    free(err);
    return out;
}

Test(layout, a_file_whose_path_makes_a_long_term_is_updated_like_any_other)
{
    char docs[4096];
    snprintf(docs, sizeof docs, "%s/docs", th_tmpdir());
    /* 252 bytes of relative path (the case), and 4,000 */
    static const size_t lengths[] = {252, 4000};
    for (size_t l = 0; l < 2; l++) {
        char rel[4200] = "";
        size_t n = 0;
        while (n + 201 < lengths[l] - 20)
            n += (size_t)snprintf(rel + n, sizeof rel - n, "%0200d/", (int)l);
        while (n < lengths[l] - 4) rel[n++] = 'x';
        snprintf(rel + n, sizeof rel - n, ".txt");
        cr_assert_eq(strlen(rel), lengths[l]);
        th_write(docs, rel, "Title\n\nokapi first version\n", 27);
        char args[8400];
        snprintf(args, sizeof args, "index '%s'", docs);
        free(run(args, 0));
        th_write(docs, rel, "Title\n\npangolin second version\n", 31);
        char *out = run(args, 0);
        cr_expect(strstr(out, "updated 1 changed") != NULL, "%s", out);
        free(out);
        out = run("stats --json", 0);
        char want[32];
        snprintf(want, sizeof want, "\"files\":%zu", l + 1);
        cr_expect(strstr(out, want) != NULL, "%s", out);
        free(out);
        out = run("search -c okapi", 1);
        cr_expect_str_eq(out, "0\n", "the old text is gone (%zu-byte path)", lengths[l]);
        free(out);
        out = run("search -c pangolin", 0);
        cr_expect_str_eq(out, "1\n");
        free(out);
        char show[8400];
        snprintf(show, sizeof show, "show '%s/%s:3' -C 0 --color=never", docs, rel);
        out = run(show, 0);
        cr_expect(strstr(out, "pangolin second version") != NULL, "%s", out);
        free(out);
    }
}

/* Regression (found by fuzz_manifest in CI): a file-list record whose path
 * length is the largest number made len + 1 wrap to 0, and the parser read
 * before the text. Refused now, as is any length past the text. */
Test(layout, a_file_list_length_that_would_wrap_is_refused)
{
    static const char *const bad[] = {"0\t18446744073709551615:\t1\t1\t00\n",
                                      "0\t18446744073709551614:\t1\t1\t00\n",
                                      "0\t99:a.txt\t1\t1\t00\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *p = bad[i];
        qi_manifest_rec_t r;
        cr_expect_eq(qi_manifest_next(&p, &r), -1, "'%s'", bad[i]);
    }
    const char *ok = "0\t5:a.txt\t1\t1\t00\n";
    qi_manifest_rec_t r;
    cr_expect_eq(qi_manifest_next(&ok, &r), 1);
    cr_expect(r.relpath_len == 5 && !memcmp(r.relpath, "a.txt", 5));
}
