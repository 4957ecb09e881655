/*
 * test_ignore.c - what a walk leaves out (issue 19 item 5): gitignore's
 * glob syntax, rules from .quireignore files, .gitignore files inside a git
 * work tree (those above the indexed folder too), --exclude, --no-ignore
 * and --hidden, the count of what was left out, and the settings kept with
 * the folder so an update and --check walk the same way.
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "ignore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(ignore, .fini = teardown, .timeout = 120);

static void put(const char *name, const char *text)
{
    th_write(th_tmpdir(), name, text, strlen(text));
}

Test(ignore, globs_match_as_gitignore_does)
{
    static const struct {
        const char *glob, *s;
        int want;
    } t[] = {
        {"*.log", "run.log", 1},
        {"*.log", "a/run.log", 0},
        {"a/*.txt", "a/b.txt", 1},
        {"a/*.txt", "a/c/b.txt", 0},
        {"a/**/b.txt", "a/b.txt", 1},
        {"a/**/b.txt", "a/x/y/b.txt", 1},
        {"**/x", "x", 1},
        {"**/x", "p/q/x", 1},
        {"**/x", "p/qx", 0},
        {"drafts/**", "drafts/a/b", 1},
        {"d?t", "dot", 1},
        {"d?t", "d/t", 0},
        {"[a-c]x", "bx", 1},
        {"[!a-c]x", "bx", 0},
        {"[!a-c]x", "dx", 1},
        {"\\*star", "*star", 1},
        {"\\*star", "xstar", 0},
        {"[unclosed", "[unclosed", 1},
        {"a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        cr_expect_eq(qi_glob_match(t[i].glob, t[i].s), t[i].want, "'%s' on '%s'", t[i].glob,
                     t[i].s);
}

Test(ignore, rules_stack_by_folder_and_the_last_match_decides)
{
    put("r/.quireignore", "# comment\n*.tmp.txt\n!keep.tmp.txt\n/top.txt\nbuild/\n");
    put("r/sub/.quireignore", "!again.tmp.txt\n");
    char root[4200], sub[4200];
    snprintf(root, sizeof root, "%s/r", th_tmpdir());
    snprintf(sub, sizeof sub, "%s/r/sub", th_tmpdir());
    qi_ignore_t *ig = qi_ignore_new(root, "secret*\t/only-here.txt", 1);
    cr_assert_not_null(ig);
    cr_assert_eq(qi_ignore_enter(ig, root, ""), 0);
    cr_expect(qi_ignore_match(ig, "x.tmp.txt", 0));
    cr_expect(!qi_ignore_match(ig, "keep.tmp.txt", 0), "taken back by !");
    cr_expect(qi_ignore_match(ig, "top.txt", 0));
    cr_expect(qi_ignore_match(ig, "build", 1));
    cr_expect(!qi_ignore_match(ig, "build", 0), "build/ is for folders only");
    cr_expect(qi_ignore_match(ig, "secret-plan.txt", 0), "--exclude");
    cr_expect(qi_ignore_match(ig, "only-here.txt", 0));
    cr_assert_eq(qi_ignore_enter(ig, sub, "sub/"), 0);
    cr_expect(!qi_ignore_match(ig, "sub/top.txt", 0), "/top.txt is anchored to its folder");
    cr_expect(!qi_ignore_match(ig, "sub/only-here.txt", 0));
    cr_expect(qi_ignore_match(ig, "sub/y.tmp.txt", 0), "a parent's rule holds below");
    cr_expect(!qi_ignore_match(ig, "sub/again.tmp.txt", 0), "the deeper file wins");
    qi_ignore_leave(ig);
    cr_expect(qi_ignore_match(ig, "again.tmp.txt", 0), "sub's rules are gone when it is left");
    qi_ignore_leave(ig);
    qi_ignore_free(ig);
    ig = qi_ignore_new(root, NULL, 0); /* --no-ignore */
    cr_assert_eq(qi_ignore_enter(ig, root, ""), 0);
    cr_expect(!qi_ignore_match(ig, "x.tmp.txt", 0));
    qi_ignore_leave(ig);
    qi_ignore_free(ig);
}

static char *quire(const char *dir, const char *args, int want)
{
    char cmd[8192], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s/%s' && unset QUIRE_INDEX && '%s' %s", th_tmpdir(), dir,
             th_bin(), args);
    const int rc = th_run(cmd, &out, &err);
    cr_assert_eq(rc, want, "quire %s: status %d\n%s%s", args, rc, out, err);
    free(err);
    return out;
}

Test(ignore, a_git_work_tree_excludes_and_the_index_remembers)
{
    put("w/.git/HEAD", "ref: refs/heads/main\n"); /* a work tree as git marks one */
    put("w/.gitignore", "node_modules/\n*.out.txt\n");
    put("w/news/a.txt", "Kept\n\nkeptword here\n");
    put("w/news/node_modules/pkg/readme.txt", "Pkg\n\npkgword here\n");
    put("w/news/run.out.txt", "Out\n\noutword here\n");
    put("w/news/drafts/d.txt", "Draft\n\ndraftword here\n");
    put("w/news/.hidden/h.txt", "Hidden\n\nhiddenword here\n");
    put("w/news/.quireignore", "drafts/\n");
    char *out = quire("w/news", "index", 0);
    cr_expect(strstr(out, "indexed 1 file") && strstr(out, "3 excluded by ignore rules"), "%s",
              out);
    free(out);
    out = quire("w/news", "search -l keptword OR pkgword OR outword OR draftword OR hiddenword", 0);
    cr_expect_str_eq(out, "a.txt\n", "the .gitignore above the folder counts too");
    free(out);
    out = quire("w/news", "index --check", 0);
    cr_expect(strstr(out, "up to date") != NULL, "--check walks the same way: %s", out);
    free(out);
    out = quire("w/news", "index --no-ignore --hidden --exclude 'run.*'", 0);
    cr_expect(strstr(out, "indexed 4 files") != NULL, "%s", out);
    free(out);
    put("w/news/b.txt", "New\n\nnewword here\n");
    out = quire("w/news", "index", 0);
    cr_expect(strstr(out, "updated 0 changed, 1 new") != NULL, "settings kept: %s", out);
    free(out);
    out = quire("w/news", "search -l pkgword OR hiddenword OR outword", 0);
    cr_expect_str_eq(out, ".hidden/h.txt\nnode_modules/pkg/readme.txt\n");
    free(out);
    out = quire("w/news", "stats --json", 0);
    cr_expect(strstr(out, "\"excluded\":1}") != NULL, "%s", out);
    free(out);
    out = quire("w/news", "index --exclude 'a\tb'", 2);
    free(out);
}
