/*
 * test_readme.c - the README's examples, run. Every `quire` (or
 * `bin/quire`) command in a code block of README.md runs, in order, in a
 * scratch folder holding a copy of corpus/, with the binary under test as
 * bin/quire and on PATH:
 *
 *   - in a ```text block, "$ COMMAND" lines are followed by what it prints,
 *     which must be what it prints now: ranks, citations, titles and
 *     snippets exact; scores to one decimal; timings, build times and sizes
 *     masked; /home/me/quire standing for the scratch folder;
 *   - in a ```sh block each command must succeed (status 0) and, when it
 *     searches, print something: an example that finds nothing shows nothing.
 *
 * A command ending in '&' (quire serve) runs in the background until the
 * end; the port it names is replaced by a free one everywhere.
 */
#include <criterion/criterion.h>

#include "helpers.h"

#include <netinet/in.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(readme, .fini = teardown, .timeout = 180);

#define MAX_BG 8

typedef struct {
    char dir[4096];
    char port_from[16], port_to[16]; /* the README's port and the free one used */
    char bg[MAX_BG][64];             /* pids of background commands */
    size_t nbg;
} scratch_t;

static unsigned free_port(void)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    cr_assert(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
              getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
    close(fd);
    return ntohs(sa.sin_port);
}

/* Replaces every `from` in s (cap bytes) by `to`. */
static void replace_all(char *s, size_t cap, const char *from, const char *to)
{
    static char tmp[1 << 17];
    const size_t fl = strlen(from);
    if (!fl) return;
    size_t n = 0;
    for (const char *p = s; *p && n + strlen(to) + 1 < sizeof tmp;) {
        if (strncmp(p, from, fl) == 0) {
            n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%s", to);
            p += fl;
        } else {
            tmp[n++] = *p++;
        }
    }
    tmp[n] = '\0';
    snprintf(s, cap, "%s", tmp);
}

/* One regex substitution over s, every match. */
static void resub(char *s, size_t cap, const char *pattern, const char *with, int round_num)
{
    regex_t re;
    cr_assert_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NEWLINE), 0, "%s", pattern);
    static char tmp[1 << 17];
    size_t n = 0;
    const char *p = s;
    regmatch_t m[2];
    while (regexec(&re, p, 2, m, p == s ? 0 : REG_NOTBOL) == 0 && m[0].rm_eo > 0) {
        n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%.*s", (int)m[0].rm_so, p);
        if (round_num && m[1].rm_so >= 0) { /* the number in group 1, to one decimal */
            const double v = strtod(p + m[1].rm_so, NULL);
            n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%.*s%.1f%.*s",
                                  (int)(m[1].rm_so - m[0].rm_so), p + m[0].rm_so, v,
                                  (int)(m[0].rm_eo - m[1].rm_eo), p + m[1].rm_eo);
        } else {
            n += (size_t)snprintf(tmp + n, sizeof tmp - n, "%s", with);
        }
        p += m[0].rm_eo;
    }
    snprintf(tmp + n, sizeof tmp - n, "%s", p);
    regfree(&re);
    snprintf(s, cap, "%s", tmp);
}

/* What may differ between two runs of an example. */
static void normalize(char *s, size_t cap, const scratch_t *sc)
{
    replace_all(s, cap, "/home/me/quire", sc->dir);
    resub(s, cap, "[ \t]+$", "", 0);
    resub(s, cap, " in [0-9.]+ s ", " in N s ", 0);
    resub(s, cap, "score ([0-9.]+)", NULL, 1);
    resub(s, cap, "\"score\":([0-9.]+)", NULL, 1);
    resub(s, cap, "^built .*$", "built (time)", 0);
    resub(s, cap, "^size .*$", "size (bytes)", 0);
}

/* Waits up to 20 s for a server to accept connections on port (under the
 * sanitizers a server takes a while to start). */
static void await_port(unsigned port)
{
    for (int i = 0; i < 400; i++) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const int up = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
        if (fd >= 0) close(fd);
        if (up) return;
        usleep(50000);
    }
}

/* Runs cmd in the scratch folder; returns its status; *out gets stdout. */
static int run_example(scratch_t *sc, const char *cmd, char **out)
{
    char line[8192], *err = NULL;
    snprintf(line, sizeof line, "%s", cmd);
    if (sc->port_from[0]) replace_all(line, sizeof line, sc->port_from, sc->port_to);
    size_t n = strlen(line);
    char sh[16384];
    const char *env = "COLUMNS=100 NO_COLOR=1 HOME=\"$PWD\" XDG_CONFIG_HOME=\"$PWD/.config\" "
                      "PATH=\"$PWD/bin:$PATH\"";
    if (n && line[n - 1] == '&') { /* a server: in the background, until the end */
        line[n - 1] = '\0';
        cr_assert_lt(sc->nbg, MAX_BG);
        snprintf(sh, sizeof sh,
                 "cd '%s' && unset QUIRE_INDEX && export %s && { %s >/dev/null 2>&1 & echo $!; }",
                 sc->dir, env, line);
        char *pid = NULL;
        const int rc = th_run(sh, &pid, &err);
        await_port((unsigned)strtoul(sc->port_to, NULL, 10)); /* sh has no /dev/tcp */
        snprintf(sc->bg[sc->nbg++], sizeof sc->bg[0], "%s", pid ? pid : "");
        free(pid);
        free(err);
        *out = strdup("");
        return rc;
    }
    snprintf(sh, sizeof sh, "cd '%s' && unset QUIRE_INDEX && export %s && %s", sc->dir, env, line);
    const int rc = th_run(sh, out, &err);
    free(err);
    return rc;
}

/* A command of a ```sh block, its comment cut off; NULL if it is not quire. */
static const char *sh_command(char *line)
{
    char *hash = strstr(line, " # ");
    if (hash) *hash = '\0';
    resub(line, strlen(line) + 1, "[ \t]+$", "", 0);
    if (strncmp(line, "quire ", 6) == 0 || strncmp(line, "bin/quire ", 10) == 0) return line;
    return NULL;
}

/* Checks one "$ command" of a ```text block against the lines after it. */
static void check_text_example(scratch_t *sc, const char *cmd, char *expected, size_t *examples)
{
    char *out = NULL;
    const int rc = run_example(sc, cmd, &out);
    cr_expect(rc == 0 || rc == 1, "README: %s: status %d", cmd, rc);
    static char want[1 << 17], got[1 << 17];
    snprintf(want, sizeof want, "%s", expected);
    snprintf(got, sizeof got, "%s", out ? out : "");
    normalize(want, sizeof want, sc);
    normalize(got, sizeof got, sc);
    resub(want, sizeof want, "\n+$", "", 0);
    resub(got, sizeof got, "\n+$", "", 0);
    cr_expect_str_eq(got, want, "README: %s\n--- the README says:\n%s\n--- it prints:\n%s", cmd,
                     want, got);
    (*examples)++;
    free(out);
}

/* Sets up the scratch folder: corpus/, bin/quire, the README's port. */
static void scratch_init(scratch_t *sc, const char *readme)
{
    memset(sc, 0, sizeof *sc);
    snprintf(sc->dir, sizeof sc->dir, "%s/readme", th_tmpdir());
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/bin' && cp -r '%s' '%s/corpus' && ln -s '%s' '%s/bin/quire'", sc->dir,
             th_corpus(), sc->dir, th_bin(), sc->dir);
    cr_assert_eq(system(cmd), 0);
    const char *p = strstr(readme, "--port ");
    while (p && strspn(p + 7, "0123456789") == 0) /* "--port P" in the command list */
        p = strstr(p + 7, "--port ");
    if (p) {
        snprintf(sc->port_from, sizeof sc->port_from, "%.*s", (int)strspn(p + 7, "0123456789"),
                 p + 7);
        snprintf(sc->port_to, sizeof sc->port_to, "%u", free_port());
    }
}

Test(readme, every_example_shows_what_the_readme_says)
{
    char *readme = th_read(th_repo("README.md"), NULL);
    cr_assert_not_null(readme);
    static scratch_t sc;
    scratch_init(&sc, readme);
    size_t examples = 0, commands = 0;
    enum { NONE, TEXT, SH, OTHER } block = NONE;
    static char expected[1 << 17];
    char cmd[4096] = "";
    size_t elen = 0;
    char *save = NULL;
    for (char *line = strtok_r(readme, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "```", 3) == 0) {
            if (block == TEXT && cmd[0]) check_text_example(&sc, cmd, expected, &examples);
            cmd[0] = '\0';
            block = block != NONE              ? NONE
                    : !strcmp(line, "```text") ? TEXT
                    : !strcmp(line, "```sh")   ? SH
                                               : OTHER;
            continue;
        }
        if (block == TEXT && strncmp(line, "$ ", 2) == 0) {
            if (cmd[0]) check_text_example(&sc, cmd, expected, &examples);
            snprintf(cmd, sizeof cmd, "%s", line + 2);
            elen = 0;
            expected[0] = '\0';
        } else if (block == TEXT && cmd[0]) {
            elen += (size_t)snprintf(expected + elen, sizeof expected - elen, "%s\n", line);
        } else if (block == SH && sh_command(line)) {
            char *out = NULL;
            const int rc = run_example(&sc, line, &out);
            cr_expect_eq(rc, 0, "README: %s: status %d", line, rc);
            if (strstr(line, " search "))
                cr_expect(out && out[0], "README: %s finds nothing", line);
            commands++;
            free(out);
        }
    }
    for (size_t i = 0; i < sc.nbg; i++) {
        char kill_cmd[128];
        snprintf(kill_cmd, sizeof kill_cmd, "kill %s 2>/dev/null", sc.bg[i]);
        cr_expect_eq(system(kill_cmd), 0, "a background example had died");
    }
    cr_expect_geq(examples, 8, "examples with output checked");
    cr_expect_geq(commands, 6, "commands run");
    free(readme);
}
