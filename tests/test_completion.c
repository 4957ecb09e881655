/*
 * test_completion.c - the bash completion (tools/completion/quire.bash) as
 * bash runs it: COMP_WORDS and COMP_CWORD set as bash sets them, _quire
 * called, COMPREPLY read back. Values complete after `--opt ` and after
 * `--opt=` (which bash splits at '='), short options are offered, folders
 * end in '/', and the options offered for each subcommand are exactly those
 * its --help lists.
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

TestSuite(completion, .fini = teardown);

/* The completions bash would offer for the words of line, the last one
 * being completed ("" for a new word); one per line, sorted. Caller frees. */
static char *complete(const char *const *words, size_t n)
{
    char cmd[8192], *out = NULL, *err = NULL;
    int at = snprintf(cmd, sizeof cmd, "cd '%s' && bash -c 'source \"%s\"; COMP_WORDS=(",
                      th_tmpdir(), th_repo("tools/completion/quire.bash"));
    for (size_t i = 0; i < n; i++) at += snprintf(cmd + at, sizeof cmd - at, " \"%s\"", words[i]);
    snprintf(cmd + at, sizeof cmd - at,
             "); COMP_CWORD=%zu; _quire; printf \"%%s\\n\" \"${COMPREPLY[@]}\" | sort'", n - 1);
    cr_assert_eq(th_run(cmd, &out, &err), 0, "%s", err);
    free(err);
    return out;
}

#define COMPLETE(...)                                                                              \
    complete((const char *const[]){__VA_ARGS__},                                                   \
             sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void expect(char *got, const char *want)
{
    cr_expect_str_eq(got, want);
    free(got);
}

Test(completion, values_after_a_space_and_after_an_equals_sign)
{
    expect(COMPLETE("quire", "search", "--sort", ""), "date\nrelevance\n");
    expect(COMPLETE("quire", "search", "--sort", "=", ""), "date\nrelevance\n");
    expect(COMPLETE("quire", "search", "--sort", "="), "date\nrelevance\n");
    expect(COMPLETE("quire", "search", "--color", "=", "al"), "always\n");
    expect(COMPLETE("quire", "search", "--format", "=", "v"), "vimgrep\n");
    expect(COMPLETE("quire", "search", "--format=j"), "--format=json\n");
    expect(COMPLETE("quire", "index", "--format", ""), "auto\nhtml\njson\nmd\ntelegram\ntxt\n");
    expect(COMPLETE("quire", "search", "-n", ""), "\n"); /* a number: nothing to offer */
}

Test(completion, commands_and_options)
{
    expect(COMPLETE("quire", "se"), "search\nserve\n");
    expect(COMPLETE("quire", "search", "--so"), "--sort\n");
    expect(COMPLETE("quire", "show", "--q"), "--query\n");
    char *s = COMPLETE("quire", "search", "-");
    cr_expect(strstr(s, "\n-n\n") && strstr(s, "\n-l\n") && strstr(s, "\n-c\n"), "%s", s);
    free(s);
    /* option words after the query (options go anywhere) */
    expect(COMPLETE("quire", "search", "unilateral", "sanctions", "--par"), "--partial-matches\n");
}

Test(completion, files_and_folders_with_a_slash)
{
    th_write(th_tmpdir(), "articles/a.txt", "x", 1);
    th_write(th_tmpdir(), "art.md", "x", 1);
    expect(COMPLETE("quire", "index", "art"), "art.md\narticles/\n");
    expect(COMPLETE("quire", "index", "--index", "arti"), "articles/\n");
    expect(COMPLETE("quire", "show", "articles/"), "articles/a.txt\n");
}

/* The long and short options listed at the start of --help's lines. */
static void help_options(const char *cmd, char *out, size_t cap)
{
    char run[4096], *help = NULL, *err = NULL;
    snprintf(run, sizeof run, "'%s' %s --help", th_bin(), cmd);
    cr_assert_eq(th_run(run, &help, &err), 0, "%s", err);
    size_t n = 0;
    out[0] = '\0';
    for (char *line = strtok(help, "\n"); line; line = strtok(NULL, "\n")) {
        const char *p = line;
        while (*p == ' ') p++;
        if (p == line || *p != '-') continue; /* option lines are indented */
        for (const char *q = p; *q; q++) {
            if (*q != '-' || (q > p && q[-1] != ' ' && q[-1] != ',')) continue;
            size_t k = 1;
            while (q[k] == '-' || (q[k] >= 'a' && q[k] <= 'z') || (q[k] >= 'A' && q[k] <= 'Z') ||
                   (q[k] >= '0' && q[k] <= '9'))
                k++;
            if (k > 1) n += (size_t)snprintf(out + n, cap - n, " %.*s ", (int)k, q);
            q += k - 1;
        }
    }
    free(help);
    free(err);
}

Test(completion, each_command_offers_exactly_the_options_its_help_lists)
{
    static const char *const cmds[] = {"index", "search", "show",  "stats",
                                       "serve", "stem",   "config"};
    for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++) {
        static char listed[16384];
        help_options(cmds[c], listed, sizeof listed);
        char *offered = COMPLETE("quire", cmds[c], "-");
        size_t noffered = 0;
        for (char *o = strtok(offered, "\n"); o; o = strtok(NULL, "\n"), noffered++) {
            char key[128];
            snprintf(key, sizeof key, " %s ", o);
            cr_expect(strstr(listed, key) != NULL,
                      "quire %s: completion offers %s, --help lacks it", cmds[c], o);
        }
        free(offered);
        offered = COMPLETE("quire", cmds[c], "-");
        for (char *o = strtok(listed, " "); o; o = strtok(NULL, " ")) {
            char key[128];
            snprintf(key, sizeof key, "\n%s\n", o);
            char padded[8192];
            snprintf(padded, sizeof padded, "\n%s", offered);
            cr_expect(strstr(padded, key) != NULL, "quire %s: --help lists %s, completion lacks it",
                      cmds[c], o);
        }
        cr_expect_gt(noffered, 1, "quire %s", cmds[c]);
        free(offered);
    }
}
