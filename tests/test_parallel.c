/*
 * test_parallel.c - the index does not depend on how many workers built it:
 * the same files indexed with 1, 2 and 3 threads answer every query with the
 * same passages, scores, order and copies, near-duplicates that straddle
 * the shard boundaries included (the files are of equal size, so shards cut
 * them evenly). A progress line is drawn on a terminal, never on a pipe or
 * with --quiet.
 */
#include <criterion/criterion.h>

#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(parallel, .fini = teardown);

/* Twelve articles; article i repeats article i-6's long paragraph with a
 * word changed and an emoji added, so with 2 or 3 shards every such pair of
 * near-duplicates has its halves in different shards. The long paragraphs
 * of different articles share few word pairs. */
static const char *fixture(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/docs", th_tmpdir());
    static const char *const words[] = {
        "delegation", "republic", "talks",     "Geneva",    "draft",     "verification",
        "monitoring", "schedule", "measures",  "partners",  "regional",  "proposals",
        "envoy",      "council",  "quota",     "reserves",  "grain",     "corridor",
        "harbour",    "customs",  "frontier",  "observers", "mission",   "budget",
        "assembly",   "statute",  "tribunal",  "embassy",   "consulate", "protocol",
        "amendment",  "ballot",   "coalition", "pipeline",  "refinery",  "shipping"};
    const size_t nw = sizeof words / sizeof *words;
    for (int i = 0; i < 12; i++) {
        char text[4096], name[64];
        const size_t src = (size_t)(i >= 6 ? i - 6 : i);
        int n = snprintf(text, sizeof text, "Article %d\n\nA short paragraph number %d.\n\n%s", i,
                         i, i >= 6 ? "🔥 " : "");
        for (size_t j = 0; j < 80; j++) {
            static const size_t step[] = {5, 7, 11, 13, 17, 19}; /* prime to nw */
            const char *w = words[(src * 7 + j * step[src]) % nw];
            if (i >= 6 && j == 40) w = "announced";
            n += snprintf(text + n, sizeof text - (size_t)n, "%s%s", j ? " " : "", w);
        }
        n += snprintf(text + n, sizeof text - (size_t)n, ".\n");
        snprintf(name, sizeof name, "a%02d.txt", i);
        th_write(dir, name, text, (size_t)n);
    }
    return dir;
}

static void build(const char *docs, int jobs, char *index, size_t cap)
{
    snprintf(index, cap, "%s/index-j%d", th_tmpdir(), jobs);
    char cmd[16384], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "'%s' index -j %d --index '%s' '%s'", th_bin(), jobs, index, docs);
    cr_assert_eq(th_run(cmd, &out, &err), 0, "stderr: %s", err);
    cr_expect_eq(th_count_lines(out), 1, "one summary line, no progress on a pipe: %s", out);
    cr_expect(err[0] == '\0', "nothing on stderr: %s", err);
    free(out);
    free(err);
}

static char *search(const char *index, const char *q)
{
    char cmd[16384], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "'%s' search --json -n 100 --index '%s' '%s'", th_bin(), index, q);
    const int rc = th_run(cmd, &out, &err);
    cr_assert(rc == 0 || rc == 1, "search %s: %d %s", q, rc, err);
    free(err);
    return out;
}

Test(parallel, one_two_or_three_workers_build_the_same_index)
{
    const char *docs = fixture();
    char j1[4096], j2[4096], j3[4096];
    build(docs, 1, j1, sizeof j1);
    build(docs, 2, j2, sizeof j2);
    build(docs, 3, j3, sizeof j3);
    static const char *const queries[] = {"delegation republic talks Geneva",
                                          "\"verification monitoring\"", "grain corridor",
                                          "paragraph number", "ballot -assembly"};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        char *a = search(j1, queries[q]), *b = search(j2, queries[q]), *c = search(j3, queries[q]);
        cr_expect_str_eq(a, b, "%s: 1 vs 2 workers", queries[q]);
        cr_expect_str_eq(a, c, "%s: 1 vs 3 workers", queries[q]);
        if (q == 0) { /* the six near-duplicate pairs are found, each shown once */
            size_t shown = 0, copies = 0;
            for (const char *p = a; (p = strstr(p, "\"path\":\"a")); p++) shown++;
            for (const char *p = a; (p = strstr(p, "\"copies\":[{\"file\"")); p++) copies++;
            cr_expect_eq(shown, 6, "%s", a);
            cr_expect_geq(copies, 6, "%s", a);
        }
        free(a);
        free(b);
        free(c);
    }
}

Test(parallel, progress_line_on_a_terminal_only)
{
    const char *docs = fixture();
    char cmd[16384], *out = NULL, *err = NULL;
    /* script(1) gives quire a pseudo-terminal; its output is the terminal's */
    snprintf(cmd, sizeof cmd, "script -qec \"'%s' index --index '%s/tty' '%s'\" /dev/null",
             th_bin(), th_tmpdir(), docs);
    cr_assert_eq(th_run(cmd, &out, &err), 0, "%s %s", out, err);
    cr_expect(strstr(out, "files, ") && strstr(out, "B/s"), "a progress line: %s", out);
    cr_expect(strstr(out, "\r\033[K"), "drawn in place and cleared: %s", out);
    cr_expect(strstr(out, "indexed 12 files"), "then the summary: %s", out);
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd,
             "script -qec \"'%s' index -q --full --index '%s/tty' '%s'\" /dev/null", th_bin(),
             th_tmpdir(), docs);
    cr_assert_eq(th_run(cmd, &out, &err), 0, "%s %s", out, err);
    cr_expect(!strstr(out, "B/s"), "--quiet: no progress: %s", out);
    free(out);
    free(err);
}
