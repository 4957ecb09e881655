/*
 * shards.c - a set of local and remote indexes searched as one (shards.h).
 */
#include "shards.h"

#include "generation.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define REMOTE_RENEW_S 1.0 /* a remote connection older than this is renewed */
#define RETRY_S 3.0        /* a shard left out is tried again after this long */
#define MAX_CLUSTER_LINE 4096

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int is_remote(const char *spec)
{
    return strncmp(spec, "tcp://", 6) == 0;
}

/* Parses "tcp://HOST:PORT" into sh->host and sh->port; 0 when spec is not
 * a tcp:// address, 1 when it is, -1 (e set) when it is one but malformed. */
static int parse_remote(qs_shard_t *sh, const char *spec, ql_err_t *e)
{
    if (!is_remote(spec)) return 0;
    const char *hp = spec + 6, *colon = strrchr(hp, ':');
    char *end = NULL;
    const unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
    if (!colon || colon == hp || colon[1] < '0' || colon[1] > '9' || *end || port == 0 ||
        port > 65535)
        return ql_errf(e, QL_E_USAGE, "%s: a remote index is tcp://HOST:PORT", spec);
    if (!(sh->host = strndup(hp, (size_t)(colon - hp))))
        return ql_errf(e, QL_E_NOMEM, "out of memory");
    sh->port = (unsigned)port;
    return 1;
}

static int add_shard(qs_shards_t *s, const char *spec, ql_err_t *e)
{
    qs_shard_t *v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v) return ql_errf(e, QL_E_NOMEM, "out of memory");
    s->v = v;
    qs_shard_t *sh = memset(&v[s->n], 0, sizeof *sh);
    if (!(sh->name = strdup(spec))) return ql_errf(e, QL_E_NOMEM, "out of memory");
    s->n++;
    return parse_remote(sh, spec, e) < 0 ? -1 : 0;
}

/* A cluster file: one spec per line; blank lines and # comments skipped. */
static int add_cluster(qs_shards_t *s, const char *path, ql_err_t *e)
{
    FILE *f = fopen(path, "r");
    if (!f) return ql_errf(e, QL_E_IO, "%s: %s", path, strerror(errno));
    char base[PATH_MAX], line[MAX_CLUSTER_LINE], spec[PATH_MAX + MAX_CLUSTER_LINE];
    snprintf(base, sizeof base, "%s", path);
    const char *dir = dirname(base);
    int rc = 0;
    size_t lineno = 0, before = s->n;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *p = line, *q = line + strcspn(line, "#\r\n");
        *q = '\0';
        while (*p == ' ' || *p == '\t') p++;
        while (q > p && (q[-1] == ' ' || q[-1] == '\t')) *--q = '\0';
        if (!*p) continue;
        struct stat st;
        if (*p == '/' || is_remote(p))
            snprintf(spec, sizeof spec, "%s", p);
        else
            snprintf(spec, sizeof spec, "%s/%s", dir, p);
        if (!is_remote(spec) && stat(spec, &st) == 0 && !S_ISDIR(st.st_mode))
            rc = ql_errf(e, QL_E_USAGE, "%s:%zu: '%s' is not an index directory or tcp://HOST:PORT",
                         path, lineno, p);
        else
            rc = add_shard(s, spec, e);
    }
    if (rc == 0 && ferror(f)) rc = ql_errf(e, QL_E_IO, "%s: %s", path, strerror(errno));
    if (rc == 0 && s->n == before) rc = ql_errf(e, QL_E_USAGE, "%s: lists no index", path);
    fclose(f);
    return rc;
}

static int open_into(const qs_shards_t *s, const qs_shard_t *sh, ql_index_t *idx, ql_err_t *e)
{
    if (!sh->host) return ql_index_open(sh->name, idx, e);
    const double t0 = now_s();
    if (ql_index_open_remote(sh->host, sh->port, s->timeout_ms, idx, e) == 0) return 0;
    /* Refused at once: `quire serve` may be handing its port to a server on
     * a new generation, which takes a few milliseconds. One more try. */
    if (e->code != QL_E_NETWORK || now_s() - t0 > 0.05) return -1;
    const struct timespec pause = {0, 100000000L};
    nanosleep(&pause, NULL);
    return ql_index_open_remote(sh->host, sh->port, s->timeout_ms, idx, e);
}

/* (Re)opens sh; on failure it is left out with its error. */
static int open_shard(const qs_shards_t *s, qs_shard_t *sh)
{
    ql_index_t fresh;
    sh->touched = now_s();
    if (open_into(s, sh, &fresh, &sh->err) != 0) {
        ql_index_close(&sh->idx);
        sh->open = 0;
        return -1;
    }
    ql_index_close(&sh->idx);
    sh->idx = fresh;
    sh->open = 1;
    return 0;
}

/* Combines the open shards into s->db and lists the others in s->missing. */
static int combine(qs_shards_t *s, ql_err_t *e)
{
    xq_db_free(s->db);
    s->db = NULL;
    s->combined++;
    s->nlive = 0;
    ql_buf_reset(&s->missing);
    xq_db_t **subs = calloc(s->n, sizeof *subs);
    if (!subs) return ql_errf(e, QL_E_NOMEM, "out of memory");
    const qs_shard_t *first_down = NULL;
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].open) {
            s->live[s->nlive] = i;
            subs[s->nlive++] = s->v[i].idx.db;
            continue;
        }
        if (!first_down) first_down = &s->v[i];
        if (s->missing.len) ql_buf_adds(&s->missing, "; ");
        ql_buf_adds(&s->missing, s->v[i].err.msg);
    }
    int rc = 0;
    if (s->nlive == 0 && first_down) {
        *e = first_down->err;
        rc = -1;
    } else if (s->nlive == 0) {
        rc = ql_errf(e, QL_E_USAGE, "no index to search");
    } else {
        const xq_status_t st = xq_db_combine(subs, s->nlive, &s->db);
        if (st != XQ_OK || s->missing.oom) rc = ql_errf(e, QL_E_NOMEM, "out of memory");
    }
    free(subs);
    return rc;
}

int qs_shards_open(qs_shards_t *s, const char *const *specs, size_t n, unsigned timeout_ms,
                   int allow_partial, ql_err_t *e)
{
    memset(s, 0, sizeof *s);
    s->timeout_ms = timeout_ms;
    s->allow_partial = allow_partial;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        const int cluster = !is_remote(specs[i]) && stat(specs[i], &st) == 0 && S_ISREG(st.st_mode);
        if ((cluster ? add_cluster(s, specs[i], e) : add_shard(s, specs[i], e)) != 0) goto fail;
    }
    if (!(s->live = calloc(s->n ? s->n : 1, sizeof *s->live))) {
        ql_errf(e, QL_E_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < s->n; i++) {
        if (open_shard(s, &s->v[i]) != 0 && !allow_partial) {
            *e = s->v[i].err;
            goto fail;
        }
    }
    if (combine(s, e) == 0) return 0;
fail:
    qs_shards_close(s);
    return -1;
}

void qs_shards_close(qs_shards_t *s)
{
    for (size_t i = 0; i < s->n; i++) {
        ql_index_close(&s->v[i].idx);
        free(s->v[i].name);
        free(s->v[i].host);
    }
    free(s->v);
    free(s->live);
    xq_db_free(s->db);
    ql_buf_free(&s->missing);
    memset(s, 0, sizeof *s);
}

int qs_shards_refresh(qs_shards_t *s, ql_err_t *e)
{
    int changed = 0;
    const double now = now_s();
    for (size_t i = 0; i < s->n; i++) {
        qs_shard_t *sh = &s->v[i];
        if (!sh->open) {
            /* left out: retried every few seconds under allow_partial; without
             * it every search needs every shard */
            if (s->allow_partial && now - sh->touched < RETRY_S) continue;
            if (open_shard(s, sh) == 0) {
                changed = 1;
            } else if (!s->allow_partial) {
                *e = sh->err;
                return -1;
            }
        } else if (sh->host) {
            if (now - sh->touched < REMOTE_RENEW_S) continue;
            changed = 1;
            if (open_shard(s, sh) != 0 && !s->allow_partial) {
                *e = sh->err;
                return -1;
            }
        } else {
            /* A new generation was published: open it, and close the old one
             * (the writer deletes it after the next publish). If it cannot
             * be opened yet, the old one serves this search. */
            char now_path[sizeof sh->idx.path];
            ql_err_t ignored = {0};
            ql_index_t fresh;
            if (ql_gen_current(sh->name, now_path, sizeof now_path, &ignored) != 0 ||
                strcmp(now_path, sh->idx.path) == 0 || ql_index_open(sh->name, &fresh, &ignored))
                continue;
            ql_index_close(&sh->idx);
            sh->idx = fresh;
            changed = 1;
        }
    }
    return changed ? combine(s, e) : 0;
}

int qs_shards_failed(qs_shards_t *s, xq_status_t st, const char *why, ql_err_t *e)
{
    if (st != XQ_NETWORK || !xq_db_is_remote(s->db))
        return ql_err_xq(e, st, "%s: %s", qs_shards_name(s), why);
    /* Which one? Each remote shard gets a fresh connection (the old ones may
     * be mid-exchange); those that cannot answer are at fault. */
    const qs_shard_t *culprit = NULL;
    for (size_t k = 0; k < s->nlive; k++) {
        qs_shard_t *sh = &s->v[s->live[k]];
        if (sh->host && open_shard(s, sh) != 0 && !culprit) culprit = sh;
    }
    if (culprit && !s->allow_partial) {
        *e = culprit->err;
        return -1;
    }
    return combine(s, e) == 0 ? 1 : -1;
}

const qs_shard_t *qs_shards_of(const qs_shards_t *s, xq_docid_t docid)
{
    return &s->v[s->live[(docid - 1) % s->nlive]];
}

const char *qs_shards_name(qs_shards_t *s)
{
    if (s->nlive == 1) return s->v[s->live[0]].idx.path;
    size_t at = 0;
    s->label[0] = '\0';
    for (size_t k = 0; k < s->nlive && at < sizeof s->label; k++) {
        const int w = snprintf(s->label + at, sizeof s->label - at, "%s%s", k ? ", " : "",
                               s->v[s->live[k]].name);
        if (w < 0) break;
        at += (size_t)w;
    }
    return s->label;
}
