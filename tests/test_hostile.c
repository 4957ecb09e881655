/*
 * test_hostile.c - nothing hostile gets through (issue 16), through
 * bin/quire: query shapes that used to crash, files that are FIFOs or
 * devices, control characters in documents and file names, symlinks out of
 * the indexed folder, odd file names, files that cannot be read yet, broken
 * JSON records, damaged indexes, and quire serve's limits. A hang fails a
 * test through the suite's timeout; nothing asserts a time.
 */
#include <criterion/criterion.h>

#include "file.h"
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char index_dir[4096], docs[4096];

static void setup(void)
{
    snprintf(index_dir, sizeof index_dir, "%s/index", th_tmpdir());
    snprintf(docs, sizeof docs, "%s/docs", th_tmpdir());
}

static void teardown(void)
{
    th_cleanup();
}

TestSuite(hostile, .init = setup, .fini = teardown, .timeout = 120);

static int quire(const char *args, char **out, char **err)
{
    char cmd[40000];
    snprintf(cmd, sizeof cmd, "cd '%s' && HOME='%s' QUIRE_INDEX='%s' '%s' %s", th_tmpdir(),
             th_tmpdir(), index_dir, th_bin(), args);
    return th_run(cmd, out, err);
}

static char *run(const char *args, int status)
{
    char *out = NULL, *err = NULL;
    const int rc = quire(args, &out, &err);
    cr_assert_eq(rc, status, "quire %s: status %d\n%s%s", args, rc, out, err);
    free(err);
    return out;
}

static void index_docs(const char *extra)
{
    char args[8192];
    snprintf(args, sizeof args, "index -q %s '%s'", extra, docs);
    free(run(args, 0));
}

Test(hostile, long_operator_chains_are_refused_in_one_line_not_a_crash)
{
    th_write(docs, "a.txt", "Title\n\ncharter words here\n", 26);
    index_docs("");
    /* 50,000 ANDs in a batch: that line is refused, the next one answered */
    static char q[1 << 20];
    size_t n = 0;
    for (int i = 0; i < 50000; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "%scharter", i ? " AND " : "");
    n += (size_t)snprintf(q + n, sizeof q - n, "\ncharter\n");
    char args[8192];
    snprintf(args, sizeof args, "search --batch --brief < '%s'",
             th_write(th_tmpdir(), "q.txt", q, n));
    char *out = run(args, 0);
    char *second = strchr(out, '\n');
    cr_assert_not_null(second, "%s", out);
    cr_expect(strstr(out, "\"error\":\"bad query: the query has more than 1000 words and "
                          "operators") != NULL,
              "%.300s", out);
    cr_expect(strstr(second, "\"hits\":[{") != NULL, "the next query is answered: %.300s", second);
    free(out);
    /* 30,000 ORs as arguments: exit 2, one line */
    n = 0;
    for (int i = 0; i < 30000; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "%sw%d", i ? " OR " : "'", i);
    char *sout = NULL, *err = NULL;
    snprintf(args, sizeof args, "search $(cat '%s')", /* 60,000 arguments */
             th_write(th_tmpdir(), "or.txt", q + 1, n - 1));
    cr_expect_eq(quire(args, &sout, &err), 2);
    cr_expect(strstr(err, "more than 1000 words and operators") != NULL, "%.300s", err);
    free(sout);
    free(err);
}

Test(hostile, fifos_and_devices_are_refused_not_read)
{
    char fifo[4200];
    snprintf(fifo, sizeof fifo, "%s/pipe.txt", th_tmpdir());
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    char *data = NULL;
    size_t len = 0;
    ql_err_t e = {0};
    /* what the indexer does with a file that became a FIFO after the walk */
    cr_expect_neq(ql_file_read(fifo, 1 << 20, &data, &len, &e), 0);
    cr_expect(strstr(e.msg, "not a regular file (a FIFO)") != NULL, "%s", e.msg);
    cr_expect_neq(ql_file_read("/dev/zero", 1 << 20, &data, &len, &e), 0);
    cr_expect(strstr(e.msg, "a character device") != NULL, "%s", e.msg);
    /* quire show on them: an error, not a hang */
    th_write(docs, "a.txt", "Title\n\ncharter words here\n", 26);
    index_docs("");
    char args[8192], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "show '%s:1'", fifo);
    cr_expect_eq(quire(args, &out, &err), 2);
    cr_expect(strstr(err, "not a regular file") != NULL, "%s", err);
    free(out);
    free(err);
    cr_expect_eq(quire("show /dev/zero:1", &out, &err), 2);
    free(out);
    free(err);
    /* a FIFO in the folder is passed over */
    char f2[4200];
    snprintf(f2, sizeof f2, "%s/news.txt", docs);
    cr_assert_eq(mkfifo(f2, 0644), 0);
    index_docs("--full");
    /* a table of the published generation replaced by a FIFO: every command
     * answers at once, and quire index rebuilds */
    char table[4400];
    snprintf(table, sizeof table, "%s/current/postlist.glass", index_dir);
    cr_assert_eq(unlink(table), 0);
    cr_assert_eq(mkfifo(table, 0644), 0);
    char show[4400];
    snprintf(show, sizeof show, "show '%s/a.txt:3'", docs);
    const char *const cmds[] = {"search charter", "stats", "index --verify", "index --check", show};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        cr_expect_eq(quire(cmds[i], &out, &err), 2, "quire %s", cmds[i]);
        cr_expect(strstr(err, "a FIFO") != NULL, "quire %s: %s", cmds[i], err);
        free(out);
        free(err);
    }
    snprintf(args, sizeof args, "index '%s'", docs);
    cr_expect_eq(quire(args, &out, &err), 0);
    cr_expect(strstr(err, "damaged") && strstr(err, "rebuilding it whole"), "%s", err);
    free(out);
    free(err);
    out = run("search -c charter", 0);
    cr_expect_str_eq(out, "1\n");
    free(out);
}

/* Whether s (n bytes) holds a control character a terminal would obey:
 * C0 but newline and tab, DEL, C1 (as UTF-8 or as a lone byte), or bytes
 * that are not UTF-8. */
static const char *obeyed_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return s + i;
        if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] < 0xa0)
            return s + i;
        if (c >= 0x80 && c < 0xc0 && (i == 0 || (unsigned char)s[i - 1] < 0x80)) return s + i;
    }
    return NULL;
}

static void expect_inert(const char *what, const char *s)
{
    const char *bad = obeyed_control(s, strlen(s));
    cr_expect_null(bad, "%s: byte 0x%02x at %zu", what, bad ? (unsigned char)*bad : 0,
                   bad ? (size_t)(bad - s) : 0);
}

Test(hostile, no_control_character_reaches_the_terminal)
{
    /* every C0 control but NUL and newline, DEL, and C1 (as UTF-8 and raw)
     * in a plain text file; the same through HTML references and JSON
     * escapes; and in file names */
    static char txt[4096];
    size_t n = (size_t)snprintf(txt, sizeof txt, "Title\x1b]0;T\x07\n\nkeyword");
    for (int c = 1; c < 32; c++)
        if (c != '\n') txt[n++] = (char)c, txt[n++] = 'x';
    txt[n++] = 0x7f;
    for (int c = 0x80; c < 0xa0; c++) txt[n++] = (char)0xc2, txt[n++] = (char)c, txt[n++] = ' ';
    for (int c = 0x80; c < 0xa0; c++) txt[n++] = (char)c, txt[n++] = ' ';
    n += (size_t)snprintf(txt + n, sizeof txt - n, " \x1b[2J\x1b]52;c;ZXZpbA==\x07 end\n");
    th_write(docs, "plain.txt", txt, n);
    static char html[8192];
    n = (size_t)snprintf(html, sizeof html, "<title>T&#27;[31m</title><p>keyword");
    for (int c = 1; c < 160; c++)
        if (c < 32 || c >= 127) n += (size_t)snprintf(html + n, sizeof html - n, " &#%d;x", c);
    n += (size_t)snprintf(html + n, sizeof html - n, "</p>\n");
    th_write(docs, "page.html", html, n);
    static char json[4096];
    n = (size_t)snprintf(json, sizeof json,
                         "{\"title\":\"J\\u001b]0;x\\u0007\",\"text\":\"keyword");
    for (int c = 1; c < 32; c++) n += (size_t)snprintf(json + n, sizeof json - n, " \\u%04x", c);
    n += (size_t)snprintf(json + n, sizeof json - n, " \\u009b2J\"}\n");
    th_write(docs, "wire.jsonl", json, n);
    th_write(docs, "evil\x1b[2J\x01\t\r.txt", "Title\n\nkeyword in a name\n", 24);
    char args[8192], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "index '%s'", docs);
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    expect_inert("index", out);
    expect_inert("index warnings", err);
    free(out);
    free(err);
    static const char *const printers[] = {"search -n 20 keyword --color=never",
                                           "search -n 20 keyword --format=vimgrep",
                                           "search -n 20 keyword -l",
                                           "search -n 20 keyword --explain --color=never",
                                           "search -n 20 --partial-matches 'keyword \"unclosed'",
                                           "stats"};
    for (size_t i = 0; i < sizeof printers / sizeof *printers; i++) {
        cr_assert_eq(quire(printers[i], &out, &err), 0, "%s: %s", printers[i], err);
        cr_expect_gt(strlen(out), 10, "%s", printers[i]);
        expect_inert(printers[i], out);
        expect_inert(printers[i], err);
        free(out);
        free(err);
    }
    snprintf(args, sizeof args, "show -C 3 --color=never '%s/plain.txt:3'", docs);
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    expect_inert("show", out);
    free(out);
    free(err);
    /* --json was always safe, and stays so */
    cr_assert_eq(quire("search -n 20 --json keyword", &out, &err), 0);
    expect_inert("json", out);
    free(out);
    free(err);
}

Test(hostile, symlinks_out_of_the_folder_are_skipped_and_counted)
{
    th_write(docs, "sub/a.txt", "Title\n\ninside words\n", 20);
    char outside[4200], link[4200];
    snprintf(outside, sizeof outside, "%s/elsewhere", th_tmpdir());
    th_write(outside, "b.txt", "Title\n\noutside words\n", 21);
    snprintf(link, sizeof link, "%s/leak.txt", docs);
    cr_assert_eq(symlink("/etc/passwd", link), 0);
    snprintf(link, sizeof link, "%s/root", docs);
    cr_assert_eq(symlink("/", link), 0);
    snprintf(link, sizeof link, "%s/out", docs);
    cr_assert_eq(symlink(outside, link), 0);
    snprintf(link, sizeof link, "%s/in.txt", docs);
    cr_assert_eq(symlink("sub/a.txt", link), 0);
    char args[8192], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "index '%s'", docs);
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "(3 skipped: 3 outside the folder)") != NULL, "%s", out);
    cr_expect(strstr(err, "leak.txt: a symlink to /etc/passwd, outside") != NULL, "%s", err);
    cr_expect(strstr(err, "/root: a symlink to /, outside") != NULL, "%s", err);
    free(out);
    free(err);
    out = run("search -c 'inside OR outside OR root'", 0);
    cr_expect_str_eq(out, "1\n", "only the folder's own text");
    free(out);
    /* --follow-outside follows them (but never into /proc) */
    snprintf(args, sizeof args, "index --replace --follow-outside '%.4000s/out' '%.4000s/sub'",
             docs, docs);
    free(run(args, 0));
    out = run("search -c outside", 0);
    cr_expect_str_eq(out, "1\n");
    free(out);
}

Test(hostile, any_file_name_round_trips)
{
    static const char *const names[] = {"a\tb.txt", "new\nline.txt", "cr\r.txt", "back\\slash.txt",
                                        "12:34.txt"};
    for (size_t i = 0; i < 5; i++) {
        char text[128];
        const int n = snprintf(text, sizeof text, "Title\n\nmarmot number %zu\n", i);
        th_write(docs, names[i], text, (size_t)n);
    }
    for (int round = 0; round < 3; round++) index_docs(round == 1 ? "--full" : "");
    char *out = run("stats --json", 0);
    cr_expect(strstr(out, "\"files\":5") != NULL, "%s", out);
    free(out);
    char args[8192];
    snprintf(args, sizeof args, "index --check '%s'", docs);
    free(run(args, 0));
    json_t *hits = json_array();
    out = run("search --json -n 20 marmot", 0);
    size_t lines = 0;
    for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"), lines++)
        json_array_append_new(hits, json_loads(l, 0, NULL));
    cr_expect_eq(lines, 5, "each file once");
    for (size_t i = 0; i < json_array_size(hits); i++) {
        const char *path = json_string_value(json_object_get(json_array_get(hits, i), "path"));
        int known = 0;
        for (size_t k = 0; k < 5; k++) known |= path && !strcmp(path, names[k]);
        cr_expect(known, "path %s round-trips", path);
    }
    json_decref(hits);
    free(out);
    out = run("search -n 20 --format=vimgrep marmot", 0);
    cr_expect_eq(th_count_lines(out), 5, "one line per hit: %s", out);
    free(out);
}

Test(hostile, a_file_skipped_as_unreadable_is_tried_again)
{
    /* root reads anything: the test runs quire as nobody when it is root */
    const char *as = "";
    if (geteuid() == 0) {
        if (system("command -v setpriv >/dev/null") != 0) cr_skip_test("root, and no setpriv");
        as = "setpriv --reuid=65534 --regid=65534 --clear-groups";
    }
    th_write(docs, "a.txt", "Title\n\nzebra one\n", 17);
    const char *b = th_write(docs, "b.txt", "Title\n\nyak two\n", 15);
    char pb[8192], cmd[16384], *out = NULL, *err = NULL;
    snprintf(pb, sizeof pb, "%s", b);
    cr_assert_eq(chmod(pb, 0), 0);
    snprintf(cmd, sizeof cmd, "chmod -R a+rwX '%s' && mkdir -p '%s' && chmod 777 '%s'", th_tmpdir(),
             index_dir, index_dir);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(chmod(pb, 0), 0);
    const char *steps[] = {"index", "index --check", "index"};
    const int want[] = {0, 1, 0};
    for (int s = 0; s < 3; s++) {
        if (s == 1) cr_assert_eq(chmod(pb, 0644), 0);
        snprintf(cmd, sizeof cmd, "cd '%s' && HOME='%s' %s '%s' %s --index '%s' '%s'", th_tmpdir(),
                 th_tmpdir(), as, th_bin(), steps[s], index_dir, docs);
        cr_expect_eq(th_run(cmd, &out, &err), want[s], "%s: %s", steps[s], err);
        if (s == 0) cr_expect(strstr(err, "b.txt: unreadable, skipped") != NULL, "%s", err);
        if (s == 1) cr_expect(strstr(out, "readable now") != NULL, "%s", out);
        free(out);
        free(err);
    }
    out = run("search -c yak", 0);
    cr_expect_str_eq(out, "1\n", "indexed once readable, without --full");
    free(out);
}

Test(hostile, a_bad_json_record_loses_only_itself)
{
    const char arr[] = "[\n {\"title\":\"A\",\"text\":\"alpha one\"},\n"
                       " {\"title\":\"B\",\"text\":\"bravo two\",\"date\":1e400},\n"
                       " {\"title\":\"C\",\"text\":\"charlie three\"},\n"
                       " {\"title\":\"D\",\"text\":\"delta \"broken, \"x\": [1,2},\n"
                       " {\"title\":\"E\",\"text\":\"echo five\"}\n]\n";
    th_write(docs, "a.json", arr, strlen(arr));
    char args[8192], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "index '%s'", docs);
    cr_assert_eq(quire(args, &out, &err), 0);
    cr_expect(strstr(err, "record 2 (line 3)") && strstr(err, "record 4 (line 5)"), "%s", err);
    free(out);
    free(err);
    out = run("search -c 'alpha OR charlie OR echo'", 0);
    cr_expect_str_eq(out, "3\n", "the records after the bad ones are read");
    free(out);
}

Test(hostile, files_with_no_passages_or_too_large_are_warned)
{
    static char word[1 << 20];
    memset(word, 'q', sizeof word);
    th_write(docs, "word.txt", word, sizeof word);
    th_write(docs, "ok.txt", "Title\n\nsome words\n", 18);
    char big[4200];
    snprintf(big, sizeof big, "%s/big.txt", docs);
    const int fd = open(big, O_WRONLY | O_CREAT, 0644);
    cr_assert(fd >= 0 && ftruncate(fd, (off_t)300 << 20) == 0); /* sparse: no disk used */
    close(fd);
    char args[8192], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "index '%s'", docs);
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    cr_expect(strstr(err, "word.txt: no passages") != NULL, "%s", err);
    cr_expect(strstr(err, "big.txt: skipped: too large (300 MB; at most 256 MB)") != NULL, "%s",
              err);
    free(out);
    free(err);
}

Test(hostile, a_damaged_index_is_noticed_and_rebuilt)
{
    th_write(docs, "a.txt", "Title\n\ncharter words\n", 21);
    index_docs("");
    char path[4400], args[8192], *out = NULL, *err = NULL;
    static const char *const damage[] = {"rm", "junk", "pad"};
    for (size_t d = 0; d < 3; d++) {
        if (d == 0) {
            snprintf(path, sizeof path, "%s/current/docdata.glass", index_dir);
            cr_assert_eq(unlink(path), 0);
        } else if (d == 1) {
            snprintf(path, sizeof path, "%s/current/quire-manifest", index_dir);
            th_write(index_dir, "current/quire-manifest", "junk\n", 5);
        } else {
            snprintf(path, sizeof path, "%s/current/termlist.glass", index_dir);
            cr_assert_eq(truncate(path, (off_t)1 << 30), 0);
        }
        cr_expect_eq(quire("search charter", &out, &err), 2, "%s", damage[d]);
        cr_expect(strstr(err, "index is damaged") && strstr(err, "quire index --full"), "%s: %s",
                  damage[d], err);
        free(out);
        free(err);
        snprintf(args, sizeof args, "index '%s'", docs);
        cr_expect_eq(quire(args, &out, &err), 0, "%s", damage[d]);
        cr_expect(strstr(err, "rebuilding it whole") != NULL, "%s: %s", damage[d], err);
        cr_expect(strstr(out, "indexed 1 file") != NULL, "%s: %s", damage[d], out);
        free(out);
        free(err);
        out = run("search -c charter", 0);
        cr_expect_str_eq(out, "1\n");
        free(out);
    }
}

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

static int connect_to(unsigned port)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) return fd;
    if (fd >= 0) close(fd);
    return -1;
}

/* The number of processes whose parent is pid. */
static int children_of(pid_t pid)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "pgrep -c -P %d", (int)pid);
    return th_run_count(cmd);
}

Test(hostile, serve_stays_in_bounds)
{
    th_write(docs, "a.txt", "Title\n\ncharter words\n", 21);
    index_docs("");
    char *out = NULL, *err = NULL;
    cr_expect_eq(quire("serve --port 7000 --host ''", &out, &err), 2);
    cr_expect(strstr(err, "--host is empty") != NULL, "%s", err);
    free(out);
    free(err);
    cr_expect_eq(quire("serve --port 7000 --host 0.0.0.0", &out, &err), 2);
    cr_expect(strstr(err, "not a loopback address") && strstr(err, "--public"), "%s", err);
    free(out);
    free(err);
    const unsigned port = free_port();
    char portarg[16], log[4200];
    snprintf(portarg, sizeof portarg, "%u", port);
    snprintf(log, sizeof log, "%s/serve.log", th_tmpdir());
    const pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        if (!freopen(log, "w", stderr) || !freopen("/dev/null", "w", stdout)) _exit(127);
        execl(th_bin(), th_bin(), "serve", "--index", index_dir, "--port", portarg,
              "--max-connections", "2", "--idle-timeout", "1", (char *)NULL);
        _exit(127);
    }
    int idle[6];
    for (int i = 0; i < 200 && (idle[0] = connect_to(port)) < 0; i++) usleep(20000);
    cr_assert(idle[0] >= 0, "serve did not start");
    for (int i = 1; i < 6; i++) idle[i] = connect_to(port);
    usleep(300000);
    cr_expect_eq(children_of(pid), 2, "at most --max-connections servers");
    for (int i = 0; i < 200 && children_of(pid) > 0; i++) usleep(20000); /* idle ones close */
    cr_expect_eq(children_of(pid), 0, "idle connections were closed");
    for (int i = 0; i < 6; i++)
        if (idle[i] >= 0) close(idle[i]);
    char args[256];
    snprintf(args, sizeof args, "search -c --index tcp://127.0.0.1:%u charter", port);
    out = run(args, 0);
    cr_expect_str_eq(out, "1\n", "served again once below the limit");
    free(out);
    kill(pid, SIGTERM);
    int ws = 0;
    waitpid(pid, &ws, 0);
    cr_expect(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
    char *l = th_read(log, NULL);
    cr_expect(l && strstr(l, "--max-connections 2): refusing more"), "%s", l);
    free(l);
}

/* Regression (found by fuzz_manifest): a file dated before 1970 has a
 * negative mtime, whose sign the file-list reader looked for in the wrong
 * field: the whole list read as malformed. */
Test(hostile, files_dated_before_1970_keep_the_file_list_readable)
{
    const char *path = th_write(docs, "moon.txt", "Title\n\napollo landing\n", 22);
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "touch -d '1969-07-20 20:17' '%s'", path);
    cr_assert_eq(system(cmd), 0);
    th_write(docs, "b.txt", "Title\n\nother words\n", 19);
    index_docs("");
    char args[8192];
    snprintf(args, sizeof args, "index --check '%s'", docs);
    char *out = run(args, 0);
    cr_expect(strstr(out, "up to date") != NULL, "%s", out);
    free(out);
    th_write(docs, "b.txt", "Title\n\nother words, changed\n", 28);
    snprintf(args, sizeof args, "index '%s'", docs);
    out = run(args, 0);
    cr_expect(strstr(out, "updated 1 changed") != NULL, "an update, not a rebuild: %s", out);
    free(out);
}

/* --verify on a read-only index: Xapian's check opens tables read/write, so
 * it used to call an intact index damaged. Needs a read-only bind mount. */
Test(hostile, verify_works_on_a_read_only_index)
{
    th_write(docs, "a.txt", "Title\n\ncharter words\n", 21);
    index_docs("");
    char ro[4200], cmd[16384], *out = NULL, *err = NULL;
    snprintf(ro, sizeof ro, "%s/ro", th_tmpdir());
    cr_assert_eq(mkdir(ro, 0755), 0);
    snprintf(cmd, sizeof cmd, "mount --bind '%s' '%s' && mount -o remount,bind,ro '%s'", index_dir,
             ro, ro);
    if (system(cmd) != 0) cr_skip_test("cannot make a read-only bind mount (needs root)");
    snprintf(cmd, sizeof cmd, "'%s' index --verify --index '%s'", th_bin(), ro);
    const int rc = th_run(cmd, &out, &err);
    snprintf(cmd, sizeof cmd, "umount '%s'", ro);
    cr_assert_eq(system(cmd), 0);
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "index verified") != NULL, "%s%s", out, err);
    free(out);
    free(err);
}
