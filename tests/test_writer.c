/*
 * test_writer.c - the one generation writer (indexer/writer.h) used
 * directly: a run abandoned after its files were added leaves the published
 * generation as it was (same number, same answers, no temporary left), a
 * second writer finds the lock held, and calls out of order are refused
 * with a usage error instead of writing anything.
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "writer.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(writer, .fini = teardown);

/* How many entries of dir end in ".tmp". */
static int temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    cr_assert_not_null(d, "%s", dir);
    for (const struct dirent *de; (de = readdir(d)) != NULL;) {
        const size_t len = strlen(de->d_name);
        n += len > 4 && strcmp(de->d_name + len - 4, ".tmp") == 0;
    }
    closedir(d);
    return n;
}

static qi_file_t one_file(const char *dir, char *path, size_t cap)
{
    const char *text = "Sanctions\n\nA paragraph about unilateral sanctions and the Charter.\n";
    th_write(dir, "new.txt", text, strlen(text));
    snprintf(path, cap, "%s/new.txt", dir);
    return (qi_file_t){.path = path, .relpath = "new.txt", .size = strlen(text)};
}

Test(writer, an_abandoned_run_leaves_the_published_generation_as_it_was)
{
    const char *idx = th_index(th_corpus());
    char cmd[PATH_MAX * 2], *before = NULL, *after = NULL, path[PATH_MAX];
    snprintf(cmd, sizeof cmd, "%s search --index %s --json -n 20 'unilateral sanctions'", th_bin(),
             idx);
    cr_assert_eq(th_run(cmd, &before, NULL), 0);
    char cur_before[PATH_MAX], cur_after[PATH_MAX];
    char link[PATH_MAX + 16];
    snprintf(link, sizeof link, "%s/current", idx);
    const ssize_t n1 = readlink(link, cur_before, sizeof cur_before - 1);
    cr_assert_gt(n1, 0);
    cur_before[n1] = 0;

    const qi_options_t o = {.index_dir = idx, .jobs = 1};
    qi_stats_t st;
    qi_writer_t *w = NULL;
    ql_err_t e = {0};
    cr_assert_eq(qi_writer_begin(&o, NULL, NULL, &st, &w, &e), 0, "%s", e.msg);
    const qi_file_t f = one_file(th_tmpdir(), path, sizeof path);
    cr_assert_eq(qi_writer_add(w, &f, 1, &e), 0, "%s", e.msg);
    cr_assert_eq(st.files, 1, "the added file is counted before finish");
    cr_assert_gt(temporaries(idx), 0, "the run writes in a temporary");
    qi_writer_abort(w);

    cr_assert_eq(temporaries(idx), 0, "abort removes the temporary");
    const ssize_t n2 = readlink(link, cur_after, sizeof cur_after - 1);
    cr_assert_gt(n2, 0);
    cur_after[n2] = 0;
    cr_assert_str_eq(cur_after, cur_before);
    cr_assert_eq(th_run(cmd, &after, NULL), 0);
    cr_assert_str_eq(after, before);
    free(before);
    free(after);
    /* and the lock was released: a new writer may begin */
    cr_assert_eq(qi_writer_begin(&o, NULL, NULL, &st, &w, &e), 0, "%s", e.msg);
    qi_writer_abort(w);
}

Test(writer, a_second_writer_finds_the_lock_held)
{
    const char *idx = th_index(th_corpus());
    const qi_options_t o = {.index_dir = idx};
    qi_stats_t st1, st2;
    qi_writer_t *w1 = NULL, *w2 = NULL;
    ql_err_t e = {0};
    cr_assert_eq(qi_writer_begin(&o, NULL, NULL, &st1, &w1, &e), 0, "%s", e.msg);
    cr_assert_neq(qi_writer_begin(&o, NULL, NULL, &st2, &w2, &e), 0);
    cr_assert_eq(e.code, QL_E_LOCKED, "%s", e.msg);
    cr_assert_null(w2);
    qi_writer_abort(w1);
}

Test(writer, calls_out_of_order_are_refused)
{
    char idx[PATH_MAX], path[PATH_MAX];
    snprintf(idx, sizeof idx, "%s/idx", th_tmpdir());
    const qi_options_t o = {.index_dir = idx, .jobs = 1};
    qi_stats_t st;
    qi_writer_t *w = NULL;
    ql_err_t e = {0};
    cr_assert_eq(qi_writer_begin(&o, NULL, NULL, &st, &w, &e), 0, "%s", e.msg);
    const qi_meta_t m = {0};
    cr_assert_neq(qi_writer_finish(w, &m, &e), 0, "finish before any file was added");
    cr_assert_eq(e.code, QL_E_USAGE);
    cr_assert_neq(qi_writer_remove(w, 0, "a.txt", 5, &e), 0, "remove from a fresh generation");
    cr_assert_eq(e.code, QL_E_USAGE);
    const qi_file_t f = one_file(th_tmpdir(), path, sizeof path);
    cr_assert_eq(qi_writer_add(w, &f, 1, &e), 0, "%s", e.msg);
    cr_assert_neq(qi_writer_add(w, &f, 1, &e), 0, "files added twice");
    cr_assert_eq(e.code, QL_E_USAGE);
    qi_writer_abort(w);
    qi_writer_abort(NULL); /* accepted */
}
