/*
 * test_generation.c - building and publishing index generations: the switch
 * is atomic, a failed build leaves the previous index current and no
 * temporary behind, a second writer is refused at once, leftovers of a
 * crashed writer are cleaned, other format versions are refused, and an
 * index holds exactly the files of its last run.
 */
#include <criterion/criterion.h>

#include "generation.h"
#include "helpers.h"
#include "index.h"
#include "indexer.h"
#include "layout.h"
#include "search.h"
#include "xq.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(generation, .fini = teardown);

static int build(const char *index, const char *path, ql_err_t *e)
{
    const char *paths[] = {path};
    qi_options_t o = {.index_dir = index, .paths = paths, .npaths = 1, .full = 1};
    qi_stats_t st;
    return qi_build(&o, NULL, NULL, &st, e);
}

static int count(void *ctx, const qs_hit_t *h)
{
    (void)h;
    ++*(unsigned *)ctx;
    return 0;
}

static unsigned count_hits(const char *index, const char *query)
{
    qs_searcher_t *s = NULL;
    ql_err_t e = {0};
    cr_assert_eq(qs_open(index, &s, &e), 0, "%s", e.msg);
    qs_options_t o;
    qs_options_default(&o);
    o.limit = 1000;
    qs_result_t res;
    unsigned n = 0;
    cr_assert_eq(qs_search(s, query, strlen(query), &o, count, &n, &res, &e), 0, "%s", e.msg);
    cr_expect_eq(n, res.hits);
    qs_close(s);
    return n;
}

static int exists(const char *dir, const char *name)
{
    char p[8192];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return lstat(p, &st) == 0;
}

static size_t count_entries(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    const struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        const size_t l = strlen(de->d_name), s = strlen(suffix);
        n += strncmp(de->d_name, "gen-", 4) == 0 && l >= s && !strcmp(de->d_name + l - s, suffix);
    }
    if (d) closedir(d);
    return n;
}

Test(generation, publish_keeps_current_and_previous)
{
    char index[4096];
    snprintf(index, sizeof index, "%s/idx", th_tmpdir());
    ql_err_t e = {0};
    for (int i = 1; i <= 3; i++) cr_assert_eq(build(index, th_corpus(), &e), 0, "%s", e.msg);
    char cur[8192];
    cr_assert_eq(ql_gen_current(index, cur, sizeof cur, &e), 0);
    cr_expect(strstr(cur, "gen-000003") != NULL, "%s", cur);
    cr_expect(exists(index, "gen-000002"), "previous generation kept");
    cr_expect(!exists(index, "gen-000001"), "older generations pruned");
    cr_expect_eq(count_entries(index, ".tmp"), 0);
}

Test(generation, failed_build_leaves_previous_index)
{
    char index[4096], missing[4096];
    snprintf(index, sizeof index, "%s/idx", th_tmpdir());
    snprintf(missing, sizeof missing, "%s/no-such-folder", th_tmpdir());
    ql_err_t e = {0};
    cr_assert_eq(build(index, th_corpus(), &e), 0, "%s", e.msg);
    char before[8192], after[8192];
    cr_assert_eq(ql_gen_current(index, before, sizeof before, &e), 0);
    cr_expect_neq(build(index, missing, &e), 0);
    cr_expect(strstr(e.msg, "no-such-folder") != NULL, "names the path: %s", e.msg);
    cr_assert_eq(ql_gen_current(index, after, sizeof after, &e), 0);
    cr_expect_str_eq(before, after);
    cr_expect_eq(count_entries(index, ".tmp"), 0, "temporary removed");
    qs_searcher_t *s = NULL;
    cr_expect_eq(qs_open(index, &s, &e), 0, "previous index still opens: %s", e.msg);
    qs_close(s);
}

Test(generation, second_writer_is_refused_at_once)
{
    char index[4096];
    snprintf(index, sizeof index, "%s/idx", th_tmpdir());
    ql_gen_t held;
    ql_err_t e = {0};
    cr_assert_eq(ql_gen_begin(index, &held, &e), 0, "%s", e.msg);
    cr_expect_neq(build(index, th_corpus(), &e), 0);
    cr_expect_eq(e.code, QL_E_LOCKED);
    cr_expect(strstr(e.msg, "another quire index") != NULL, "%s", e.msg);
    ql_gen_abort(&held);
    cr_expect_eq(build(index, th_corpus(), &e), 0, "after release: %s", e.msg);
}

Test(generation, leftovers_of_a_crashed_writer_are_removed)
{
    char index[4096], stale[8192];
    snprintf(index, sizeof index, "%s/idx", th_tmpdir());
    ql_err_t e = {0};
    cr_assert_eq(build(index, th_corpus(), &e), 0);
    snprintf(stale, sizeof stale, "%s/gen-000009.tmp", index);
    cr_assert_eq(mkdir(stale, 0777), 0);
    th_write(stale, "postlist.glass", "junk", 4);
    cr_assert_eq(build(index, th_corpus(), &e), 0, "%s", e.msg);
    cr_expect(!exists(index, "gen-000009.tmp"));
    char cur[8192];
    cr_assert_eq(ql_gen_current(index, cur, sizeof cur, &e), 0);
    cr_expect(strstr(cur, "gen-000010") != NULL, "numbers never go back: %s", cur);
}

Test(generation, other_format_versions_are_refused)
{
    char index[4096];
    snprintf(index, sizeof index, "%s/idx", th_tmpdir());
    ql_gen_t g;
    ql_err_t e = {0};
    cr_assert_eq(ql_gen_begin(index, &g, &e), 0);
    xq_wdb_t *w = NULL;
    cr_assert_eq(xq_wdb_create(g.tmp, 0, &w), XQ_OK);
    cr_assert_eq(xq_wdb_set_metadata(w, QL_META_FORMAT, "999", 3), XQ_OK);
    cr_assert_eq(xq_wdb_commit(w), XQ_OK);
    cr_assert_eq(xq_wdb_close(w), XQ_OK);
    xq_wdb_free(w);
    cr_assert_eq(ql_gen_publish(&g, &e), 0, "%s", e.msg);
    ql_index_t idx;
    cr_expect_neq(ql_index_open(index, &idx, &e), 0);
    cr_expect_eq(e.code, QL_E_VERSION);
    cr_expect(strstr(e.msg, "format version 999") && strstr(e.msg, "quire index"), "%s", e.msg);
}

Test(generation, missing_index_says_how_to_build_one)
{
    char index[4096];
    snprintf(index, sizeof index, "%s/nothing-here", th_tmpdir());
    ql_index_t idx;
    ql_err_t e = {0};
    cr_expect_neq(ql_index_open(index, &idx, &e), 0);
    cr_expect_eq(e.code, QL_E_NOINDEX);
    cr_expect(strstr(e.msg, "no index at") && strstr(e.msg, "run: quire index"), "%s", e.msg);
}

Test(generation, refuses_to_write_into_a_foreign_directory)
{
    const char *dir = th_tmpdir();
    char notes[4096];
    snprintf(notes, sizeof notes, "%s/notes", dir);
    th_write(notes, "mine.txt", "my own notes", 12);
    ql_err_t e = {0};
    cr_expect_neq(build(notes, th_corpus(), &e), 0);
    cr_expect(strstr(e.msg, "not a quire index") != NULL, "%s", e.msg);
    cr_expect(!exists(notes, "lock"), "nothing written there");
}

Test(generation, index_holds_exactly_the_files_of_its_last_run)
{
    const char *dir = th_tmpdir();
    char docs[4096], index[4096];
    snprintf(docs, sizeof docs, "%s/docs", dir);
    snprintf(index, sizeof index, "%s/idx", dir);
    th_write(docs, "a.txt", "Alpha\n\nThe zeppelin report.\n", 28);
    th_write(docs, "b.txt", "Beta\n\nThe zeppelin sequel.\n", 27);
    ql_err_t e = {0};
    cr_assert_eq(build(index, docs, &e), 0, "%s", e.msg);
    cr_expect_eq(count_hits(index, "zeppelin"), 2);
    char b[8192];
    snprintf(b, sizeof b, "%s/b.txt", docs);
    cr_assert_eq(unlink(b), 0);
    cr_assert_eq(build(index, docs, &e), 0, "%s", e.msg);
    cr_expect_eq(count_hits(index, "zeppelin"), 1, "the deleted file is gone from the index");
}
