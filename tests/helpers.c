/*
 * helpers.c - test utilities (helpers.h).
 */
#include "helpers.h"

#include <criterion/criterion.h>

#include "generation.h"
#include "indexer.h"
#include "search.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[PATH_MAX];

static const char *absolute(const char *env, const char *fallback, char *buf, size_t cap)
{
    const char *p = getenv(env);
    if (!p || !*p) p = fallback;
    if (!realpath(p, buf)) snprintf(buf, cap, "%s", p);
    return buf;
}

const char *th_corpus(void)
{
    static char buf[PATH_MAX];
    return absolute("QUIRE_CORPUS", "corpus", buf, sizeof buf);
}

const char *th_bin(void)
{
    static char buf[PATH_MAX];
    return absolute("QUIRE_BIN", "bin/quire", buf, sizeof buf);
}

const char *th_data(const char *name)
{
    static char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%.3900s/../tests/data/%.150s", th_corpus(), name);
    return buf;
}

const char *th_repo(const char *rel)
{
    static char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%.3900s/../%.150s", th_corpus(), rel);
    return buf;
}

const char *th_tmpdir(void)
{
    if (tmpdir[0]) return tmpdir;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/quire-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        abort();
    }
    return tmpdir;
}

void th_cleanup(void)
{
    if (tmpdir[0] && getenv("QUIRE_KEEP_TMP"))
        fprintf(stderr, "kept %s\n", tmpdir);
    else if (tmpdir[0]) {
        chmod(tmpdir, 0700);
        ql_rmtree(tmpdir);
    }
    tmpdir[0] = '\0';
}

const char *th_write(const char *dir, const char *name, const char *data, size_t n)
{
    static char path[PATH_MAX * 2];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        mkdir(path, 0777);
        *p = '/';
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

char *th_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *p = realloc(buf, cap * 2 + 1);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) return NULL;
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

int th_run(const char *cmdline, char **out, char **err)
{
    char outp[PATH_MAX], errp[PATH_MAX], cmd[16384];
    snprintf(outp, sizeof outp, "%s/.stdout", th_tmpdir());
    snprintf(errp, sizeof errp, "%s/.stderr", th_tmpdir());
    snprintf(cmd, sizeof cmd, "(%s) >'%s' 2>'%s' </dev/null", cmdline, outp, errp);
    const int st = system(cmd);
    if (out) *out = th_read(outp, NULL);
    if (err) *err = th_read(errp, NULL);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

size_t th_count_lines(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++) n += *s == '\n';
    return n;
}

int th_icontains(const char *hay, const char *needle)
{
    const size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0) return 1;
    return n == 0;
}

const char *th_index(const char *path)
{
    static char index[PATH_MAX];
    snprintf(index, sizeof index, "%s/index", th_tmpdir());
    const char *paths[] = {path};
    qi_options_t o = {.index_dir = index, .paths = paths, .npaths = 1};
    qi_stats_t st;
    ql_err_t e = {0};
    if (qi_build(&o, NULL, NULL, &st, &e) != 0) {
        fprintf(stderr, "indexing %s: %s\n", path, e.msg);
        return NULL;
    }
    return index;
}

int th_run_count(const char *cmdline)
{
    char *out = NULL, *err = NULL;
    th_run(cmdline, &out, &err);
    const int n = out ? atoi(out) : 0;
    free(out);
    free(err);
    return n;
}

static int keep_text(void *ctx, const qs_hit_t *h)
{
    th_found_t *f = ctx;
    if (f->n < 16) snprintf(f->texts[f->n++], 256, "%.*s", (int)h->p->text_len, h->p->text);
    return 0;
}

th_found_t th_search_texts(const char *index, const char *query, const char *aliases)
{
    qs_searcher_t *s = NULL;
    ql_err_t e = {0};
    th_found_t f = {{{0}}, 0};
    cr_assert_eq(qs_open(index, &s, &e), 0, "%s", e.msg);
    if (aliases) cr_assert_eq(qs_add_aliases(s, aliases, &e), 0, "%s", e.msg);
    qs_options_t o;
    qs_options_default(&o);
    qs_result_t res;
    cr_assert_eq(qs_search(s, query, strlen(query), &o, keep_text, &f, &res, &e), 0, "%s: %s",
                 query, e.msg);
    qs_close(s);
    return f;
}
