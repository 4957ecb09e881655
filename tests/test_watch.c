/*
 * test_watch.c - `quire index --watch` keeps the index current (issue 18
 * item 5): a new file, an editor's save (a temporary file renamed over the
 * old), a removed file, a new folder, a moved file and a burst of 10,000
 * files all become searchable; a second watcher is refused with the
 * first's pid; the kernel's watch limit (simulated) falls back to rescans;
 * a million events overflowing the kernel's queue lose nothing; SIGTERM
 * stops it with the index intact. Every wait is a poll with a
 * generous deadline: no time is ever asserted.
 */
#include <criterion/criterion.h>

#include "helpers.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEADLINE_S 90

static pid_t watcher = -1;

static void teardown(void)
{
    if (watcher > 0) {
        kill(watcher, SIGKILL);
        waitpid(watcher, NULL, 0);
    }
    watcher = -1;
    th_cleanup();
}

TestSuite(watch, .fini = teardown, .timeout = 300);

static char dir[4096];

/* Starts `quire index --watch` in dir, env (may be "") before it. */
static pid_t start(const char *env)
{
    const pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        static char cmd[16384];
        snprintf(cmd, sizeof cmd,
                 "cd '%s' && unset QUIRE_INDEX && %s exec '%s' index --watch >'%s/../watch.out' "
                 "2>'%s/../watch.err'",
                 dir, env, th_bin(), dir, dir);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Runs `quire ARGS` in dir; its stdout (caller frees). */
static char *q(const char *args, int *status)
{
    char cmd[8192], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s' && unset QUIRE_INDEX && '%s' %s", dir, th_bin(), args);
    const int rc = th_run(cmd, &out, &err);
    if (status) *status = rc;
    free(err);
    return out;
}

/* Waits until `quire ARGS` prints a line equal to want (want NULL: until it
 * finds nothing); 1 when it did before the deadline. */
static int eventually(const char *args, const char *want)
{
    const time_t end = time(NULL) + DEADLINE_S;
    while (time(NULL) < end) {
        int rc = 0;
        char *out = q(args, &rc);
        char line[4200];
        snprintf(line, sizeof line, "\n%s", out ? out : "");
        char key[4200];
        snprintf(key, sizeof key, "\n%s\n", want ? want : "");
        const int ok = want ? strstr(line, key) != NULL : rc == 1;
        free(out);
        if (ok) return 1;
        usleep(100 * 1000);
    }
    return 0;
}

static void put(const char *rel, const char *text)
{
    th_write(dir, rel, text, strlen(text));
}

Test(watch, changes_become_searchable_and_sigterm_leaves_the_index_intact)
{
    snprintf(dir, sizeof dir, "%s/w", th_tmpdir());
    put("a.txt", "Alpha\n\nalpha words here\n");
    watcher = start("");
    cr_assert(eventually("search -l alpha", "a.txt"), "the first update");
    put("b.txt", "Bravo\n\nbravo words here\n");
    cr_expect(eventually("search -l bravo", "b.txt"), "a new file");
    /* an editor's save: write a temporary file, rename it over the old */
    put(".a.txt.swp", "Alpha\n\nalpha delta words\n");
    char from[8192], to[8192];
    snprintf(from, sizeof from, "%s/.a.txt.swp", dir);
    snprintf(to, sizeof to, "%s/a.txt", dir);
    cr_assert_eq(rename(from, to), 0);
    cr_expect(eventually("search -l delta", "a.txt"), "saved by rename");
    snprintf(to, sizeof to, "%s/b.txt", dir);
    cr_assert_eq(unlink(to), 0);
    cr_expect(eventually("search -l bravo", NULL), "a removed file");
    put("new/deeper/c.txt", "Charlie\n\ncharlie words here\n");
    cr_expect(eventually("search -l charlie", "new/deeper/c.txt"), "a new folder");
    snprintf(from, sizeof from, "%s/new/deeper/c.txt", dir);
    snprintf(to, sizeof to, "%s/new/c-moved.txt", dir);
    cr_assert_eq(rename(from, to), 0);
    cr_expect(eventually("search -l charlie", "new/c-moved.txt"), "a moved file");
    /* a second watcher is refused, naming the first */
    int rc = 0;
    char cmd[8192], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' index --watch", dir, th_bin());
    rc = th_run(cmd, &out, &err);
    cr_expect_eq(rc, 3, "%s", err);
    char pid[32];
    snprintf(pid, sizeof pid, "(pid %d)", (int)watcher);
    cr_expect(strstr(err, pid) != NULL, "%s", err);
    free(out);
    free(err);
    /* SIGTERM: a clean stop, the index intact */
    cr_assert_eq(kill(watcher, SIGTERM), 0);
    int ws = 0;
    cr_assert_eq(waitpid(watcher, &ws, 0), watcher);
    watcher = -1;
    cr_expect(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "exit status %d", ws);
    free(q("index --verify", &rc));
    cr_expect_eq(rc, 0, "verified after the stop");
}

Test(watch, a_burst_of_ten_thousand_files)
{
    snprintf(dir, sizeof dir, "%s/burst", th_tmpdir());
    put("seed.txt", "Seed\n\nseed words\n");
    watcher = start("");
    cr_assert(eventually("search -l seed", "seed.txt"));
    char name[64], text[96];
    for (int i = 0; i < 10000; i++) {
        snprintf(name, sizeof name, "b%02d/f%05d.txt", i / 500, i);
        snprintf(text, sizeof text, "File %d\n\nburstword number %d\n", i, i);
        put(name, text);
    }
    const time_t end = time(NULL) + DEADLINE_S;
    int all = 0;
    while (!all && time(NULL) < end) {
        char *out = q("stats", NULL);
        all = out && strstr(out, "files      10001\n") != NULL;
        free(out);
        if (!all) usleep(200 * 1000);
    }
    cr_expect(all, "every file of the burst indexed");
}

Test(watch, the_watch_limit_falls_back_to_rescans)
{
    snprintf(dir, sizeof dir, "%s/limited", th_tmpdir());
    put("a.txt", "Alpha\n\nalpha words here\n");
    put("sub/b.txt", "Bravo\n\nbravo words here\n");
    /* one watch only: the root's; sub/ is found by rescans every second */
    watcher = start("QUIRE_TEST_WATCH_LIMIT=1 QUIRE_TEST_WATCH_RESCAN=1");
    cr_assert(eventually("search -l alpha", "a.txt"));
    put("sub/c.txt", "Charlie\n\ncharlie words here\n");
    cr_expect(eventually("search -l charlie", "sub/c.txt"), "found by a rescan");
    char path[8192];
    snprintf(path, sizeof path, "%s/../watch.err", dir);
    char *err = th_read(path, NULL);
    cr_expect(err && strstr(err, "watch limit") != NULL, "said once: %s", err ? err : "");
    cr_expect(err && strstr(strstr(err, "watch limit") + 1, "watch limit") == NULL, "once: %s",
              err ? err : "");
    free(err);
}

/* A million events while the watcher is held (SIGSTOP) overflow the
 * kernel's queue (16,384 by default): the watcher updates from a walk, and
 * watches the folder made during the burst, whose own event was lost. */
Test(watch, a_million_events_overflow_the_queue_and_nothing_is_lost)
{
    snprintf(dir, sizeof dir, "%s/flood", th_tmpdir());
    put("seed.txt", "Seed\n\nseed words\n");
    put("hot1.txt", "x");
    put("hot2.txt", "y");
    watcher = start("");
    cr_assert(eventually("search -l seed", "seed.txt"));
    char p1[4200], p2[4200], sub[4200];
    snprintf(p1, sizeof p1, "%s/hot1.txt", dir);
    snprintf(p2, sizeof p2, "%s/hot2.txt", dir);
    snprintf(sub, sizeof sub, "%s/made-in-the-flood", dir);
    const int f1 = open(p1, O_WRONLY), f2 = open(p2, O_WRONLY);
    cr_assert(f1 >= 0 && f2 >= 0);
    cr_assert_eq(kill(watcher, SIGSTOP), 0);
    for (int i = 0; i < 500000; i++) { /* alternating, so the kernel merges none */
        cr_assert_eq(pwrite(f1, "x", 1, 0), 1);
        cr_assert_eq(pwrite(f2, "y", 1, 0), 1);
        if (i == 250000) cr_assert_eq(mkdir(sub, 0755), 0);
    }
    close(f1);
    close(f2);
    put("made-in-the-flood/during.txt", "During\n\nduringword here\n");
    cr_assert_eq(kill(watcher, SIGCONT), 0);
    cr_expect(eventually("search -l duringword", "made-in-the-flood/during.txt"));
    put("made-in-the-flood/later.txt", "Later\n\nlaterword here\n");
    cr_expect(eventually("search -l laterword", "made-in-the-flood/later.txt"),
              "the folder made during the overflow is watched");
    cr_expect_eq(kill(watcher, 0), 0, "the watcher is still running");
}
