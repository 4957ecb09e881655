/*
 * stats.c - an index's statistics (stats.h), read in one pass: counters
 * from metadata and term frequencies, the dates from the date slot's
 * bounds, distinct words by walking the body terms, the size from the
 * generation directory's files.
 */
#include "stats.h"

#include "index.h"
#include "layout.h"
#include "xq.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int count_term(void *ctx, const char *term, size_t len, unsigned freq)
{
    (void)term;
    (void)len;
    (void)freq;
    ++*(unsigned long long *)ctx;
    return 0;
}

/* Bytes of the regular files directly in dir. */
static unsigned long long dir_size(const char *dir)
{
    DIR *d = opendir(dir);
    unsigned long long total = 0;
    if (!d) return 0;
    const struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char p[8192];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) total += (unsigned long long)st.st_size;
    }
    closedir(d);
    return total;
}

static unsigned long meta_num(xq_db_t *db, const char *key)
{
    char *v = NULL;
    unsigned long n = 0;
    if (xq_db_get_metadata(db, key, &v, NULL) == XQ_OK && v) n = strtoul(v, NULL, 10);
    free(v);
    return n;
}

static uint32_t date_of(const char *key)
{
    char *end = NULL;
    const unsigned long v = strtoul(key, &end, 10);
    return strlen(key) == 8 && end && *end == '\0' ? (uint32_t)v : 0;
}

/* The files the index passed over, by reason (QL_META_SKIPPED, _PASSED). */
static int passed_over(xq_db_t *db, ql_stats_t *out)
{
    char *skipped = NULL, *passed = NULL;
    if (xq_db_get_metadata(db, QL_META_SKIPPED, &skipped, NULL) != XQ_OK ||
        xq_db_get_metadata(db, QL_META_PASSED, &passed, NULL) != XQ_OK) {
        free(skipped);
        return -1;
    }
    ql_skipped_t r;
    for (const char *p = skipped; ql_skipped_next(&p, &r) == 1;) out->skipped[r.why]++;
    if (ql_passed_parse(passed, &out->passed) != 0)
        memset(&out->passed, 0, sizeof out->passed); /* counts only: a bad one is none */
    free(skipped);
    free(passed);
    return 0;
}

typedef struct {
    char code[16];
    unsigned n;
} lang_count_t;

typedef struct {
    lang_count_t *v; /* every language (a UDHR collection holds 400) */
    size_t n, cap;
    int oom;
} langs_t;

static int add_lang(void *ctx, const char *term, size_t len, unsigned freq)
{
    langs_t *l = ctx;
    const size_t p = strlen(QL_PREFIX_LANG);
    if (len <= p || len - p >= sizeof l->v[0].code) return 0;
    if (l->n == l->cap) {
        const size_t cap = l->cap ? 2 * l->cap : 32;
        lang_count_t *v = realloc(l->v, cap * sizeof *v);
        if (!v) return l->oom = 1;
        l->v = v;
        l->cap = cap;
    }
    memcpy(l->v[l->n].code, term + p, len - p);
    l->v[l->n].code[len - p] = '\0';
    l->v[l->n++].n = freq;
    return 0;
}

static int by_count(const void *a, const void *b)
{
    const lang_count_t *x = a, *y = b;
    return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->code, y->code);
}

/* Passages by language, from the L terms' frequencies, most first. */
static int languages(xq_db_t *db, ql_buf_t *out)
{
    langs_t l = {0};
    int rc = xq_db_terms(db, QL_PREFIX_LANG, add_lang, &l) != XQ_OK || l.oom ? -1 : 0;
    if (l.n) qsort(l.v, l.n, sizeof l.v[0], by_count);
    for (size_t i = 0; rc == 0 && i < l.n; i++)
        ql_buf_printf(out, "%s %u\n", l.v[i].code, l.v[i].n);
    free(l.v);
    if (rc == 0 && ql_buf_reserve(out, 1) != 0) rc = -1;
    if (rc == 0) out->data[out->len] = '\0'; /* "" when no passage has a language */
    return rc;
}

int ql_stats_read(const char *dir, ql_stats_t *out, ql_err_t *e)
{
    ql_index_t idx;
    memset(out, 0, sizeof *out);
    if (ql_index_open(dir, &idx, e) != 0) return -1;
    unsigned passages = 0, articles = 0, undated = 0, dated = 0;
    char lo[16] = "", hi[16] = "";
    const xq_status_t st =
        xq_db_doccount(idx.db, &passages) != XQ_OK ? XQ_IO
        : xq_db_termfreq(idx.db, QL_TERM_ARTICLE, strlen(QL_TERM_ARTICLE), &articles) != XQ_OK
            ? XQ_IO
        : xq_db_termfreq(idx.db, QL_TERM_UNDATED, strlen(QL_TERM_UNDATED), &undated) != XQ_OK
            ? XQ_IO
        : xq_db_value_bounds(idx.db, QL_SLOT_DATE, &dated, lo, hi, sizeof lo) != XQ_OK ? XQ_IO
        : xq_db_terms(idx.db, QL_PREFIX_BODY, count_term, &out->words) != XQ_OK        ? XQ_IO
        : xq_db_get_metadata(idx.db, QL_META_PATHS, &out->from, NULL) != XQ_OK         ? XQ_IO
        : xq_db_get_metadata(idx.db, QL_META_READER, &out->reader, NULL) != XQ_OK      ? XQ_IO
        : passed_over(idx.db, out) != 0                                                ? XQ_IO
        : languages(idx.db, &out->languages) != 0                                      ? XQ_IO
                                                                                       : XQ_OK;
    if (st != XQ_OK) {
        ql_errf(e, QL_E_IO, "%s: %s", idx.path, xq_db_error(idx.db));
        ql_index_close(&idx);
        ql_stats_free(out);
        return -1;
    }
    snprintf(out->path, sizeof out->path, "%s", idx.path);
    const char *base = strrchr(idx.path, '/');
    if (!base || sscanf(base + 1, "gen-%u", &out->generation) != 1) out->generation = 0;
    out->format = QL_FORMAT_VERSION; /* ql_index_open refuses any other */
    out->files = meta_num(idx.db, QL_META_FILES);
    out->articles = articles;
    out->undated = undated;
    out->passages = passages;
    out->dated = dated;
    out->date_first = dated ? date_of(lo) : 0;
    out->date_last = dated ? date_of(hi) : 0;
    struct stat gs;
    if (stat(idx.path, &gs) == 0) out->built = (int64_t)gs.st_mtim.tv_sec;
    out->bytes = dir_size(idx.path);
    ql_index_close(&idx);
    return 0;
}

void ql_stats_free(ql_stats_t *s)
{
    free(s->from);
    free(s->reader);
    ql_buf_free(&s->languages);
    s->from = s->reader = NULL;
}
