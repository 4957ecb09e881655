/*
 * test_roots.c - the index follows the user (issue 18): it is found from
 * any folder below the one that holds it, as git finds .git; citations are
 * shown relative to where the user stands and `show` opens them from
 * there; `quire index` with no path updates the index's own folders (a new
 * index: the current folder); --add, --remove and --replace change the
 * set, and other paths are refused rather than silently replacing it; the
 * reader settings are remembered; bad places give one line and exit 2.
 * Every run is `cd DIR && quire ...` with no --index and no QUIRE_INDEX.
 */
#include <criterion/criterion.h>

#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(roots, .fini = teardown, .timeout = 120);

/* Runs `quire ARGS` in th_tmpdir()/dir; returns the status. */
static int in(const char *dir, const char *args, char **out, char **err)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s/%s' && unset QUIRE_INDEX && HOME='%s' '%s' %s", th_tmpdir(),
             dir, th_tmpdir(), th_bin(), args);
    return th_run(cmd, out, err);
}

/* Runs it and expects status; returns stdout, stderr in *err (both freed by the caller). */
static char *expect(const char *dir, const char *args, int status, char **err)
{
    char *out = NULL;
    const int rc = in(dir, args, &out, err);
    cr_assert_eq(rc, status, "in %s: quire %s: status %d\n%s%s", dir, args, rc, out, *err);
    return out;
}

static void articles(void)
{
    th_write(th_tmpdir(), "news/a.txt", "Sanctions\n\nUnilateral sanctions were imposed.\n", 46);
    th_write(th_tmpdir(), "news/sub/b.md", "# Guaido\n\nGuaido met the envoy.\n", 32);
    th_write(th_tmpdir(), "news/sub/deep/.keep", "", 0);
    th_write(th_tmpdir(), "other/c.txt", "Charter\n\nThe Charter of the United Nations.\n", 43);
}

Test(roots, a_new_folder_is_indexed_and_found_from_below)
{
    articles();
    char *err = NULL, *out = expect("news", "index", 0, &err);
    cr_expect(strstr(out, "indexed 2 files") != NULL, "%s", out);
    free(out);
    free(err);
    /* from a subfolder: the index above, citations relative to here */
    out = expect("news/sub", "search -l sanctions OR Guaido", 0, &err);
    cr_expect(strstr(out, "../a.txt\n") && strstr(out, "b.md\n") && th_count_lines(out) == 2, "%s",
              out);
    free(out);
    free(err);
    out = expect("news/sub/deep", "search --format=vimgrep Unilateral", 0, &err);
    cr_expect(strncmp(out, "../../a.txt:3:", 14) == 0, "%s", out);
    free(out);
    free(err);
    out = expect("news/sub/deep", "show ../../a.txt:3", 0, &err);
    cr_expect(strstr(out, "3:Unilateral sanctions") != NULL, "%s", out);
    free(out);
    free(err);
    /* no path: the index's own folders, unchanged */
    out = expect("news/sub", "index", 0, &err);
    cr_expect(strstr(out, "up to date (2 files") != NULL, "%s", out);
    free(out);
    free(err);
    /* a folder already inside the index's: an update, not a refusal */
    out = expect("news/sub", "index .", 0, &err);
    cr_expect(strstr(out, "up to date (2 files") != NULL, "%s", out);
    free(out);
    free(err);
}

Test(roots, other_paths_are_refused_and_add_remove_replace_change_the_set)
{
    articles();
    char *err = NULL, *out = expect("news", "index", 0, &err);
    free(out);
    free(err);
    out = expect("news", "index ../other", 2, &err);
    cr_expect(strstr(err, "--add") && strstr(err, "--replace"), "%s", err);
    cr_expect_eq(th_count_lines(err), 1, "%s", err);
    free(out);
    free(err);
    out = expect("news", "stats", 0, &err);
    cr_expect(strstr(out, "files      2") != NULL, "refused: the index unchanged\n%s", out);
    free(out);
    free(err);
    out = expect("news", "index --add ../other", 0, &err);
    cr_expect(strstr(out, "3 files") || strstr(out, "1 new"), "%s", out);
    free(out);
    free(err);
    out = expect("news", "search -l Charter", 0, &err);
    cr_expect(strstr(out, "/other/c.txt\n") && out[0] == '/', "outside the tree: absolute\n%s",
              out);
    free(out);
    free(err);
    out = expect("news", "stats", 0, &err);
    cr_expect(strstr(out, "/news\n           /") && strstr(out, "/other\n"), "every folder: %s",
              out);
    free(out);
    free(err);
    out = expect("news", "stats --json", 0, &err);
    cr_expect(strstr(out, "\"roots\":[\"") && strstr(out, "/other\"]"), "%s", out);
    free(out);
    free(err);
    /* a folder already inside one of the index's: its files would count twice */
    out = expect("news", "index --add sub", 2, &err);
    cr_expect(strstr(err, "inside") != NULL, "%s", err);
    free(out);
    free(err);
    out = expect("news", "index --remove ../other", 0, &err);
    free(out);
    free(err);
    out = expect("news", "search -l Charter", 1, &err);
    free(out);
    free(err);
    out = expect("news", "index --remove .", 2, &err);
    cr_expect(strstr(err, "no folder") != NULL, "%s", err);
    free(out);
    free(err);
    out = expect("news", "index --replace ../other", 0, &err);
    free(out);
    free(err);
    out = expect("news", "search -l Charter OR sanctions", 0, &err);
    cr_expect(strstr(out, "/other/c.txt\n") && th_count_lines(out) == 1, "%s", out);
    free(out);
    free(err);
    out = expect("news", "index --add", 2, &err);
    cr_expect(strstr(err, "needs a PATH") != NULL, "%s", err);
    free(out);
    free(err);
}

Test(roots, reader_settings_are_remembered)
{
    /* "санкции" in windows-1251 */
    static const char cp1251[] = "Title\n\n\xf1\xe0\xed\xea\xf6\xe8\xe8 today\n";
    th_write(th_tmpdir(), "ru/a.txt", cp1251, sizeof cp1251 - 1);
    char *err = NULL, *out = expect("ru", "index --encoding windows-1251", 0, &err);
    free(out);
    free(err);
    out = expect("ru", "index", 0, &err);
    cr_expect(strstr(out, "up to date") != NULL, "the same settings: %s", out);
    free(out);
    free(err);
    out = expect("ru", "index --full", 0, &err);
    free(out);
    free(err);
    out =
        expect("ru", "search -l \xd1\x81\xd0\xb0\xd0\xbd\xd0\xba\xd1\x86\xd0\xb8\xd0\xb8", 0, &err);
    cr_expect_str_eq(out, "a.txt\n", "still read as windows-1251 after a plain rebuild");
    free(out);
    free(err);
}

/* Each folder keeps its own reader settings: the Russian folder is read as
 * windows-1251 and the French one as latin1, through --add, plain updates
 * and a full rebuild; --format auto given for one folder resets only it. */
Test(roots, reader_settings_belong_to_each_folder)
{
    static const char ru[] = "Title\n\n\xf1\xe0\xed\xea\xf6\xe8\xe8 today\n"; /* санкции */
    static const char fr[] = "Titre\n\nLe caf\xe9 du matin\n";                /* café */
    th_write(th_tmpdir(), "w/ru/a.txt", ru, sizeof ru - 1);
    th_write(th_tmpdir(), "w/fr/b.txt", fr, sizeof fr - 1);
    const char *runs[] = {"index --encoding windows-1251 ru", "index --add fr --encoding latin1",
                          "index", "index --full"};
    char *err = NULL, *out = NULL;
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        free(expect("w", runs[i], 0, &err));
        free(err);
        out = expect("w", "search -l \xd1\x81\xd0\xb0\xd0\xbd\xd0\xba\xd1\x86\xd0\xb8\xd0\xb8", 0,
                     &err);
        cr_expect_str_eq(out, "ru/a.txt\n", "after '%s': ru read as windows-1251", runs[i]);
        free(out);
        free(err);
        if (i == 0) continue;
        out = expect("w", "search -l caf\xc3\xa9", 0, &err);
        cr_expect_str_eq(out, "fr/b.txt\n", "after '%s': fr read as latin1", runs[i]);
        free(out);
        free(err);
    }
    free(expect("w", "index fr --format auto", 0, &err)); /* fr alone back to the defaults */
    free(err);
    out = expect("w", "stats --json", 0, &err);
    cr_expect(strstr(out, "\"read_as\":[\"encoding=windows-1251\",\"\"]") != NULL,
              "fr alone reset: %s", out);
    free(out);
    free(err);
    out =
        expect("w", "search -l \xd1\x81\xd0\xb0\xd0\xbd\xd0\xba\xd1\x86\xd0\xb8\xd0\xb8", 0, &err);
    cr_expect_str_eq(out, "ru/a.txt\n", "ru keeps windows-1251 when fr is reset");
    free(out);
    free(err);
    out = expect("w", "index --remove fr --encoding latin1", 2, &err);
    cr_expect(strstr(err, "--remove takes no reader settings") != NULL, "%s", err);
    free(out);
    free(err);
}

/* --date-order is a reader setting of the folder it is given with. */
Test(roots, the_date_order_belongs_to_its_folder)
{
    static const char text[] = "Report\n\n05/06/2023\n\nSanctions were extended today.\n";
    th_write(th_tmpdir(), "d/us/a.txt", text, sizeof text - 1);
    th_write(th_tmpdir(), "d/eu/b.txt", text, sizeof text - 1);
    char *err = NULL;
    free(expect("d", "index --date-order mdy us", 0, &err));
    free(err);
    free(expect("d", "index --add eu", 0, &err));
    free(err);
    char *out = expect("d", "search -l --since 2023-05-06 --until 2023-05-06 sanctions", 0, &err);
    cr_expect_str_eq(out, "us/a.txt\n", "us reads May 6");
    free(out);
    free(err);
    out = expect("d", "search -l --since 2023-06-05 --until 2023-06-05 sanctions", 0, &err);
    cr_expect_str_eq(out, "eu/b.txt\n", "eu reads 5 June");
    free(out);
    free(err);
    out = expect("d", "index --date-order ymd", 2, &err);
    cr_expect(strstr(err, "--date-order takes dmy or mdy") != NULL, "%s", err);
    free(out);
    free(err);
}

Test(roots, bad_places_get_one_line_and_leave_nothing_behind)
{
    articles();
    char *err = NULL, *out = expect("news", "index missing-folder", 2, &err);
    cr_expect(strstr(err, "missing-folder") != NULL, "%s", err);
    free(out);
    free(err);
    struct stat st;
    char path[4096];
    snprintf(path, sizeof path, "%s/news/.quire", th_tmpdir());
    cr_expect(stat(path, &st) != 0, "a failed first run leaves no .quire (nor its lock)");
    /* a .quire that is a file */
    th_write(th_tmpdir(), "other/.quire", "not an index", 12);
    out = expect("other", "search charter", 2, &err);
    cr_expect(strstr(err, "not a directory") != NULL, "%s", err);
    cr_expect_eq(th_count_lines(err), 1, "%s", err);
    free(out);
    free(err);
    /* QUIRE_INDEX naming nothing */
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s/news' && QUIRE_INDEX='%s/none' '%s' search x", th_tmpdir(),
             th_tmpdir(), th_bin());
    cr_expect_eq(th_run(cmd, &out, &err), 2);
    cr_expect(strstr(err, "no index at") != NULL, "%s", err);
    free(out);
    free(err);
}

/* A folder of the index that went away (deleted, a mount gone) or turned
 * into a file is named in one line with the way to drop it, the index is
 * kept as it was, and --remove takes the path though it no longer exists. */
Test(roots, a_folder_that_went_or_became_a_file_is_named)
{
    th_write(th_tmpdir(), "g/a/x.txt", "A\n\nalpha words\n", 15);
    th_write(th_tmpdir(), "g/b/y.txt", "B\n\nbeta words\n", 14);
    char *err = NULL;
    free(expect("g", "index a", 0, &err));
    free(err);
    free(expect("g", "index --add b", 0, &err));
    free(err);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/g/b'", th_tmpdir());
    cr_assert_eq(system(cmd), 0);
    char *out = expect("g", "index", 2, &err);
    cr_expect(strstr(err, "/g/b, a folder of .quire, is gone") && strstr(err, "--remove"), "%s",
              err);
    cr_expect_eq(th_count_lines(err), 1, "%s", err);
    free(out);
    free(err);
    out = expect("g", "search -l alpha OR beta", 0, &err);
    cr_expect_str_eq(out, "a/x.txt\nb/y.txt\n", "the index is as it was");
    free(out);
    free(err);
    th_write(th_tmpdir(), "g/b", "now a file", 10);
    out = expect("g", "index", 2, &err);
    cr_expect(strstr(err, "/g/b, a folder of .quire, is now a file") != NULL, "%s", err);
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "rm -f '%s/g/b'", th_tmpdir());
    cr_assert_eq(system(cmd), 0);
    free(expect("g", "index --remove b", 0, &err));
    free(err);
    out = expect("g", "search -l alpha OR beta", 0, &err);
    cr_expect_str_eq(out, "a/x.txt\n");
    free(out);
    free(err);
}

Test(roots, hits_from_changed_or_removed_files_are_marked_and_show_keeps_the_text)
{
    articles();
    char *err = NULL, *out = expect("news", "index", 0, &err);
    free(out);
    free(err);
    out = expect("news", "index --add ../other", 0, &err);
    free(out);
    free(err);
    out = expect("news", "search Unilateral OR Charter OR Guaido", 0, &err);
    cr_expect(strstr(out, "(file") == NULL, "all fresh: %s", out);
    cr_expect(strstr(err, "since indexing") == NULL, "%s", err);
    free(out);
    free(err);
    /* a.txt edited, c.txt removed (two hits: its title and its text), b.md only
     * touched (the same bytes: fresh) */
    th_write(th_tmpdir(), "news/a.txt", "Sanctions\n\nUnilateral sanctions were lifted.\n", 45);
    char path[4096];
    snprintf(path, sizeof path, "%s/other/c.txt", th_tmpdir());
    cr_assert_eq(unlink(path), 0);
    snprintf(path, sizeof path, "%s/news/sub/b.md", th_tmpdir());
    cr_assert_eq(utimes(path, NULL), 0);
    out = expect("news", "search Unilateral OR Charter OR Guaido", 0, &err);
    cr_expect(strstr(out, "a.txt:3") && strstr(out, "(file changed since indexing)"), "%s", out);
    cr_expect(strstr(out, "(file removed)") != NULL, "%s", out);
    cr_expect(strstr(err, "3 of these hits cite a file changed or removed") != NULL, "%s", err);
    free(out);
    free(err);
    out = expect("news", "search --json Guaido OR Charter OR Unilateral", 0, &err);
    cr_expect(strstr(out, "\"stale\":\"removed\"") && strstr(out, "\"stale\":\"changed\""), "%s",
              out);
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
        if (strstr(line, "\"path\":\"sub/b.md\""))
            cr_expect(strstr(line, "\"stale\"") == NULL, "touched, not changed: %s", line);
    free(out);
    free(err);
    /* show on the removed file: the indexed passage, with its lines */
    out = expect("news", "show ../other/c.txt:3", 0, &err);
    cr_expect(strstr(out, "3:The Charter of the United Nations.") != NULL, "%s", out);
    cr_expect(strstr(err, "removed") != NULL, "%s", err);
    free(out);
    free(err);
    out = expect("news", "show ../other/never.txt:3", 2, &err);
    free(out);
    free(err);
}

Test(roots, counts_are_honest_plurals_sizes_and_every_file_passed_over)
{
    th_write(th_tmpdir(), "mixed/a.txt", "Title\n\nSome words about sanctions.\n", 35);
    th_write(th_tmpdir(), "mixed/bin.txt", "ab\0cd", 5);
    th_write(th_tmpdir(), "mixed/data.csv", "a,b\n", 4);
    th_write(th_tmpdir(), "mixed/README", "read me\n", 8);
    char *err = NULL, *out = expect("mixed", "index", 0, &err);
    cr_expect(strstr(out, "indexed 1 file, 1 article (1 undated), 2 passages") != NULL, "%s", out);
    cr_expect(strstr(out, "(1 skipped: 1 binary; 2 files of other types passed over)") != NULL,
              "%s", out);
    free(out);
    free(err);
    out = expect("mixed", "stats", 0, &err);
    cr_expect(strstr(out, " kB\n") != NULL, "a small index in kB: %s", out);
    cr_expect(
        strstr(out, "files      1 (1 skipped: 1 binary; 2 files of other types passed over)") !=
            NULL,
        "%s", out);
    free(out);
    free(err);
    /* an update that redoes another file keeps the binary file's count */
    th_write(th_tmpdir(), "mixed/b.txt", "Other\n\nMore words.\n", 19);
    out = expect("mixed", "index --json", 0, &err);
    cr_expect(strstr(out, "\"incremental\":true") && strstr(out, "\"added\":1") &&
                  strstr(out, "\"unsupported\":2"),
              "%s", out);
    free(out);
    free(err);
    out = expect("mixed", "stats --json", 0, &err);
    cr_expect(strstr(out, "\"skipped\":{\"binary\":1,\"unreadable\":0,\"too_large\":0,"
                          "\"encrypted\":0,\"damaged\":0,\"no_text\":0,"
                          "\"outside\":0,\"unsupported\":2,\"excluded\":0}") != NULL,
              "%s", out);
    free(out);
    free(err);
    th_write(th_tmpdir(), "empty/.keep", "", 0);
    out = expect("empty", "index", 0, &err);
    cr_expect(strstr(err, "nothing indexed") != NULL, "an empty folder is a warning: %s", err);
    free(out);
    free(err);
}

Test(roots, one_large_file_moves_the_progress_line)
{
    /* 24 MB in one file: the bytes done are counted as its passages come,
     * so some progress line shows a part of it done (no time is asserted) */
    static char para[400];
    memset(para, 'w', sizeof para);
    for (size_t i = 6; i < sizeof para - 2; i += 7) para[i] = ' ';
    para[sizeof para - 2] = '\n';
    para[sizeof para - 1] = '\n';
    char path[4096];
    snprintf(path, sizeof path, "%s/big", th_tmpdir());
    th_write(path, "one.txt", "Big\n\n", 5);
    snprintf(path, sizeof path, "%s/big/one.txt", th_tmpdir());
    FILE *f = fopen(path, "a");
    cr_assert_not_null(f);
    for (int i = 0; i < 60000; i++) fwrite(para, 1, sizeof para, f);
    fclose(f);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s/big' && script -qec \"'%s' index -j1\" /dev/null",
             th_tmpdir(), th_bin());
    char *out = NULL, *err = NULL;
    cr_assert_eq(th_run(cmd, &out, &err), 0, "%s%s", out, err);
    int partial = 0;
    for (const char *p = strstr(out, "0/1 files, "); p; p = strstr(p + 1, "0/1 files, ")) {
        double v = 0;
        char unit[3] = "";
        partial |= sscanf(p + 11, "%lf %2s of", &v, unit) == 2 && v > 0 && unit[0] != 'o';
    }
    cr_expect(partial, "a line with part of the file done: %s", out);
    free(out);
    free(err);
}

/* Runs `quire ARGS` in th_tmpdir()/dir with XDG_CONFIG_HOME at th_tmpdir()/cfg. */
static int with_config(const char *dir, const char *args, char **out, char **err)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "cd '%s/%s' && unset QUIRE_INDEX && XDG_CONFIG_HOME='%s/cfg' HOME='%s' '%s' %s",
             th_tmpdir(), dir, th_tmpdir(), th_tmpdir(), th_bin(), args);
    return th_run(cmd, out, err);
}

Test(roots, the_config_file_sets_defaults_and_names_a_bad_line)
{
    articles();
    char *err = NULL, *out = expect("news", "index", 0, &err);
    free(out);
    free(err);
    char where[4096];
    snprintf(where, sizeof where, "index = %s/news/.quire\n# a comment\nlimit = 1\n", th_tmpdir());
    th_write(th_tmpdir(), "cfg/quire/config", where, strlen(where));
    /* from a folder with no index above it: the config's index, one hit */
    cr_assert_eq(with_config("other", "search -- Unilateral OR Guaido", &out, &err), 0, "%s", err);
    cr_expect_eq(th_count_lines(out) > 0 && strstr(out, "2  ") == NULL, 1, "limit = 1: %s", out);
    free(out);
    free(err);
    cr_assert_eq(with_config("other", "config", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "limit     1") && strstr(out, "quire/config:3"), "%s", out);
    cr_expect(strstr(out, "quire/config:1") != NULL, "the index's line: %s", out);
    free(out);
    free(err);
    /* a bad line: one line naming file:line, exit 2, for every command */
    th_write(th_tmpdir(), "cfg/quire/config", "limit = 1\ncolour = red\n", 23);
    cr_expect_eq(with_config("news", "search x", &out, &err), 2);
    cr_expect(strstr(err, "quire/config:2: unknown setting 'colour'") != NULL, "%s", err);
    cr_expect_eq(th_count_lines(err), 1, "%s", err);
    free(out);
    free(err);
    th_write(th_tmpdir(), "cfg/quire/config", "limit = \xff\n", 10);
    cr_expect_eq(with_config("news", "stats", &out, &err), 2);
    cr_expect(strstr(err, "config:1: not valid UTF-8") != NULL, "%s", err);
    free(out);
    free(err);
}
