/*
 * test_reliability.c - a build that dies at any step of building or
 * publishing leaves the published index whole: $QUIRE_ABORT_AT makes the
 * indexer exit at each named step (generation.h), and after each such crash
 * the current index answers exactly as the last published generation did,
 * and the next run succeeds and cleans up. Random SIGKILLs are exercised by
 * `make check-reliability` (tools/reliability/).
 */
#include <criterion/criterion.h>

#include "generation.h"
#include "hash.h"
#include "helpers.h"
#include "search.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(reliability, .fini = teardown);

static char *search(const char *index)
{
    char cmd[16384], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "'%s' search --json -n 50 --index '%s' UN Charter sanctions zebra",
             th_bin(), index);
    const int rc = th_run(cmd, &out, &err);
    cr_assert_eq(rc, 0, "search after a crash: %d %s", rc, err);
    free(err);
    return out;
}

static int index_run(const char *env, const char *flags, const char *index, const char *docs)
{
    char cmd[16384], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "%s '%s' index -q %s --index '%s' '%s'", env, th_bin(), flags, index,
             docs);
    const int rc = th_run(cmd, &out, &err);
    free(out);
    free(err);
    return rc;
}

static int leftovers(const char *index)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -c 'tmp' || true", index);
    return th_run_count(cmd);
}

Test(reliability, a_crash_at_any_step_leaves_the_published_index)
{
    static const char *const steps[] = {"shards", "compacted", "synced", "renamed",
                                        "linked", "switched",  "copied"};
    char docs[4096], index[4096], fresh[4096], cmd[16384];
    snprintf(docs, sizeof docs, "%s/docs", th_tmpdir());
    snprintf(index, sizeof index, "%s/index", th_tmpdir());
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s'/*.txt '%s'", docs, th_corpus(), docs);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(index_run("", "", index, docs), 0);

    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        char *before = search(index);
        /* a change, so there is something new to publish */
        char name[64], text[256];
        snprintf(name, sizeof name, "new-%zu.txt", i);
        const int n =
            snprintf(text, sizeof text, "Step %s\n\nA zebra at step %s.\n", steps[i], steps[i]);
        th_write(docs, name, text, (size_t)n);
        char env[128];
        snprintf(env, sizeof env, "QUIRE_ABORT_AT=%s", steps[i]);
        const int incremental = strcmp(steps[i], "copied") == 0;
        cr_expect_eq(index_run(env, incremental ? "" : "--full", index, docs), QL_ABORT_STATUS,
                     "%s: the run died there", steps[i]);

        /* the answer after the crash is the last published one: the old one,
         * or the new one once `current` was switched */
        snprintf(fresh, sizeof fresh, "%s/fresh-%zu", th_tmpdir(), i);
        cr_assert_eq(index_run("", "", fresh, docs), 0);
        char *after = search(index), *want_new = search(fresh);
        const int switched = strcmp(steps[i], "switched") == 0;
        cr_expect_str_eq(after, switched ? want_new : before, "%s", steps[i]);
        free(after);

        /* the next run succeeds, publishes the new content, leaves nothing */
        cr_expect_eq(index_run("", "", index, docs), 0, "%s: the next run", steps[i]);
        after = search(index);
        cr_expect_str_eq(after, want_new, "%s: after the next run", steps[i]);
        cr_expect_eq(leftovers(index), 0, "%s: temporaries cleaned", steps[i]);
        free(after);
        free(want_new);
        free(before);
    }
}

static int count_hit(void *ctx, const qs_hit_t *h)
{
    (void)h;
    ++*(unsigned *)ctx;
    return 0;
}

static unsigned hits(qs_searcher_t *s, const char *q)
{
    qs_options_t o;
    qs_options_default(&o);
    qs_result_t res;
    ql_err_t e = {0};
    unsigned n = 0;
    cr_assert_eq(qs_search(s, q, strlen(q), &o, count_hit, &n, &res, &e), 0, "%s", e.msg);
    return n;
}

/* Regression: a long-lived searcher (quire search --batch) kept the
 * generation it opened, which the writer deletes two publishes later. */
/* An index of one file, a.txt holding text, under the test's directory
 * (docs and index get their paths), and a searcher open on it. */
static qs_searcher_t *searcher_over(char docs[4096], char index[4096], const char *text)
{
    snprintf(docs, 4096, "%s/docs", th_tmpdir());
    snprintf(index, 4096, "%s/index", th_tmpdir());
    th_write(docs, "a.txt", text, strlen(text));
    cr_assert_eq(index_run("", "", index, docs), 0);
    qs_searcher_t *s = NULL;
    ql_err_t e = {0};
    cr_assert_eq(qs_open(index, &s, &e), 0, "%s", e.msg);
    return s;
}

Test(reliability, a_long_lived_searcher_follows_new_generations)
{
    char docs[4096], index[4096];
    qs_searcher_t *s = searcher_over(docs, index, "A\n\nThe first zebra.\n");
    cr_expect_eq(hits(s, "zebra"), 1);
    for (int i = 0; i < 3; i++) { /* the first generation is long gone after this */
        char name[32], text[64];
        snprintf(name, sizeof name, "b%d.txt", i);
        const int n = snprintf(text, sizeof text, "B%d\n\nAnother zebra, number %d.\n", i, i);
        th_write(docs, name, text, (size_t)n);
        cr_assert_eq(index_run("", "--full", index, docs), 0);
    }
    cr_expect_eq(hits(s, "zebra"), 4, "the searcher sees the newest generation");
    qs_close(s);
}

/* The index's languages are read once per opened generation: a searcher
 * that outlives a build which added French passages reads its queries in
 * French from then on (chevaux is indexed as the French stem cheval). */
Test(reliability, a_long_lived_searcher_reads_the_languages_of_new_generations)
{
    char docs[4096], index[4096];
    qs_searcher_t *s = searcher_over(docs, index, "A\n\nThe first zebra of the English article.\n");
    cr_expect_eq(hits(s, "chevaux matin"), 0);
    static const char fr[] = "Les chevaux\n\nLes chevaux sont dans le pré depuis le matin, et "
                             "les enfants les regardent manger avec beaucoup de plaisir.\n";
    th_write(docs, "b.txt", fr, sizeof fr - 1);
    cr_assert_eq(index_run("", "--full", index, docs), 0);
    /* read in English alone, chevaux would match neither passage (the
     * paragraph would still be found by matin) */
    cr_expect_eq(hits(s, "chevaux matin"), 2, "the searcher reads the query in French now");
    qs_close(s);
}

/* One byte of the published generation's table changed: cmd (--verify)
 * fails with one line naming the table. */
static void expect_checksum_differs(const char *index, const char *cmd, const char *table)
{
    char damage[16384], *out = NULL, *err = NULL, want[256];
    snprintf(damage, sizeof damage,
             "printf 'X' | dd of='%s/current/%s' bs=1 seek=3000 conv=notrunc 2>/dev/null", index,
             table);
    cr_assert_eq(system(damage), 0);
    cr_expect_eq(th_run(cmd, &out, &err), 2);
    snprintf(want, sizeof want, "%s: checksum differs", table);
    cr_expect(strstr(err, want) != NULL, "%s", err);
    cr_expect_eq(th_count_lines(err), 1, "%s", err);
    free(out);
    free(err);
}

Test(reliability, verify_names_a_damaged_file)
{
    char index[4096], cmd[16384], *out = NULL, *err = NULL;
    snprintf(index, sizeof index, "%s/index", th_tmpdir());
    cr_assert_eq(index_run("", "", index, th_corpus()), 0);
    snprintf(cmd, sizeof cmd, "'%s' index --verify --index '%s'", th_bin(), index);
    cr_expect_eq(th_run(cmd, &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "index verified: ") != NULL, "%s", out);
    free(out);
    free(err);
    /* one byte changed inside the term list: its checksum no longer matches */
    expect_checksum_differs(index, cmd, "termlist.glass");
    /* a truncated table: its size differs */
    char damage[16384];
    snprintf(damage, sizeof damage, "truncate -s 8192 '%s/current/position.glass'", index);
    cr_assert_eq(system(damage), 0);
    cr_expect_eq(th_run(cmd, &out, &err), 2);
    cr_expect(strstr(err, ".glass: ") != NULL, "%s", err);
    free(out);
    free(err);
}

/* The generation's checksums are XXH64 as published (`xxhsum -H1` printed
 * these), whole and read from a file in pieces: lengths around one 32-byte
 * stripe and one that spans two 64 KB reads with a tail. */
Test(reliability, checksums_are_xxh64)
{
    cr_expect_eq(ql_xxh64("", 0), 0xef46db3751d8e999ULL);
    cr_expect_eq(ql_xxh64("a", 1), 0xd24ec4f1a98c6e5bULL);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    cr_expect_eq(ql_xxh64(fox, strlen(fox)), 0x0b242d361fda71bcULL);
    static const struct {
        size_t n;
        uint64_t h;
    } want[] = {{31, 0x0f187c62b1e722b7ULL},
                {32, 0x91b0cb0931a8c629ULL},
                {33, 0x931b043cf8d65b94ULL},
                {100003, 0x1d0edb76d73b0886ULL}};
    static unsigned char pat[100003];
    for (size_t i = 0; i < sizeof pat; i++) pat[i] = (unsigned char)(i * 7 % 251);
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        cr_expect_eq(ql_xxh64(pat, want[k].n), want[k].h, "%zu bytes", want[k].n);
        const char *path = th_write(th_tmpdir(), "pattern", (const char *)pat, want[k].n);
        const int fd = open(path, O_RDONLY);
        cr_assert_geq(fd, 0);
        uint64_t size = 0;
        int ok = 0;
        cr_expect_eq(ql_xxh64_fd(fd, &size, &ok), want[k].h, "%zu bytes from a file", want[k].n);
        cr_expect(ok && size == want[k].n);
        close(fd);
    }
}

/* A generation published before the checksums were XXH64 has a manifest
 * with FNV-1a 64 and no `checksum` line: it still verifies, and a damaged
 * file in it is still named. */
Test(reliability, verify_reads_a_manifest_of_fnv1a_checksums)
{
    char index[4096], cmd[16384], path[8192], *out = NULL, *err = NULL;
    snprintf(index, sizeof index, "%s/index", th_tmpdir());
    cr_assert_eq(index_run("", "", index, th_corpus()), 0);
    snprintf(path, sizeof path, "%s/current/quire-manifest", index);
    FILE *in = fopen(path, "r");
    cr_assert(in);
    char line[1024], name[256];
    char *old = NULL;
    size_t oldlen = 0;
    FILE *o = open_memstream(&old, &oldlen);
    uint64_t size = 0, hash = 0;
    int files = 0;
    while (fgets(line, sizeof line, in)) {
        if (!strncmp(line, "checksum ", 9)) continue;
        if (sscanf(line, "file %255s %" SCNu64 " %" SCNx64, name, &size, &hash) != 3) {
            fputs(line, o);
            continue;
        }
        char f[8192];
        snprintf(f, sizeof f, "%s/current/%s", index, name);
        const int fd = open(f, O_RDONLY);
        int ok = 0;
        uint64_t n = 0;
        fprintf(o, "file %s %" PRIu64 " %016" PRIx64 "\n", name, size, ql_fnv1a_fd(fd, &n, &ok));
        close(fd);
        files++;
    }
    fclose(in);
    fclose(o);
    cr_assert_gt(files, 3);
    in = fopen(path, "w");
    fwrite(old, 1, oldlen, in);
    fclose(in);
    free(old);
    snprintf(cmd, sizeof cmd, "'%s' index --verify --index '%s'", th_bin(), index);
    cr_expect_eq(th_run(cmd, &out, &err), 0, "%s", err);
    free(out);
    free(err);
    expect_checksum_differs(index, cmd, "postlist.glass");
}

/* Names the world sends: not UTF-8, 255 bytes long, 60 directories deep.
 * Each file is indexed and found, and its citation is printable JSON. */
Test(reliability, hostile_file_names_and_deep_nesting)
{
    char docs[4096], index[4096], cmd[16384], *out = NULL, *err = NULL;
    snprintf(docs, sizeof docs, "%s/docs", th_tmpdir());
    snprintf(index, sizeof index, "%s/index", th_tmpdir());
    th_write(docs, "caf\xe9-latin1.txt", "Latin1\n\nA quokka in a latin-1 name.\n", 35);
    char longname[300];
    memset(longname, 'n', 251);
    memcpy(longname + 251, ".txt", 5); /* 255 bytes: the longest name ext4 allows */
    th_write(docs, longname, "Long\n\nA quokka with a long name.\n", 33);
    char deep[4096] = "";
    for (int i = 0; i < 60; i++) strcat(deep, "d/");
    strcat(deep, "deep.txt");
    th_write(docs, deep, "Deep\n\nA quokka far down.\n", 25);
    cr_assert_eq(index_run("", "", index, docs), 0);
    snprintf(cmd, sizeof cmd, "'%s' search --json -n 10 --index '%s' quokka", th_bin(), index);
    cr_assert_eq(th_run(cmd, &out, &err), 0, "%s", err);
    cr_expect_eq(th_count_lines(out), 3, "%s", out);
    cr_expect(strstr(out, "caf\xef\xbf\xbd-latin1.txt") != NULL, "bad byte as U+FFFD: %s", out);
    cr_expect(strstr(out, longname) != NULL, "%s", out);
    cr_expect(strstr(out, "d/d/d/deep.txt") != NULL, "%s", out);
    free(out);
    free(err);
    /* text mode prints the name's own bytes, so the citation opens the file */
    snprintf(cmd, sizeof cmd, "'%s' search -n 10 --color=never --index '%s' latin", th_bin(),
             index);
    cr_assert_eq(th_run(cmd, &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "caf\xe9-latin1.txt:3") != NULL, "%s", out);
    free(out);
    free(err);
}
