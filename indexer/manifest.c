/*
 * manifest.c - recording and checking what an index was built from
 * (manifest.h). Checking re-walks the run's paths with the indexer's own
 * walk and reader rules, so "a file the indexer would read" means the same
 * thing in both; the recorded files are sorted by absolute path for binary
 * search.
 */
#include "manifest.h"

#include "file.h"
#include "hash.h"

#include "index.h"
#include "layout.h"
#include "reader.h"
#include "slice.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

uint64_t qi_content_hash(const char *data, size_t len)
{
    return ql_fnv1a(QL_FNV_OFFSET, data, len);
}

void qi_manifest_add(ql_buf_t *m, uint32_t root, const char *relpath, uint64_t size,
                     int64_t mtime_ns, uint64_t hash)
{
    /* the path length-prefixed, so a name may hold tabs and line breaks */
    ql_buf_printf(m, "%" PRIu32 "\t%zu:", root, strlen(relpath));
    ql_buf_adds(m, relpath);
    ql_buf_printf(m, "\t%" PRIu64 "\t%" PRId64 "\t%016" PRIx64 "\n", size, mtime_ns, hash);
}

/* A decimal number at *s followed by `sep`; moves *s past the separator. */
static int field(const char **s, char sep, int base, unsigned long long *v)
{
    char *end = NULL;
    if (!(**s >= '0' && **s <= '9') && !(base == 16 && **s >= 'a' && **s <= 'f')) return -1;
    errno = 0;
    *v = strtoull(*s, &end, base);
    if (errno || *end != sep) return -1;
    *s = end + 1;
    return 0;
}

int qi_manifest_next(const char **p, qi_manifest_rec_t *r)
{
    const char *s = *p;
    if (!*s) return 0;
    unsigned long long root = 0, len = 0, size = 0, hash = 0;
    if (field(&s, '\t', 10, &root) || root > UINT32_MAX || field(&s, ':', 10, &len) ||
        len >= SIZE_MAX || strnlen(s, len + 1) < len + 1 || s[len] != '\t')
        return -1; /* len + 1 must not wrap (found by fuzz_manifest) */
    r->root = (uint32_t)root;
    r->relpath = s;
    r->relpath_len = (size_t)len;
    s += len + 1;
    if (field(&s, '\t', 10, &size)) return -1;
    const int neg = *s == '-'; /* a file dated before 1970 */
    unsigned long long mtime = 0;
    s += neg;
    if (field(&s, '\t', 10, &mtime) || mtime > (unsigned long long)INT64_MAX ||
        field(&s, '\n', 16, &hash))
        return -1;
    r->size = size;
    r->mtime_ns = neg ? -(int64_t)mtime : (int64_t)mtime;
    r->hash = hash;
    *p = s;
    return 1;
}

typedef struct {
    char *path; /* absolute: root/relpath */
    uint64_t size, hash;
    int64_t mtime;
    int seen;
} rec_t;

typedef struct {
    rec_t *v;
    size_t n;
    qi_check_t *res;
    ql_err_t *e;
    int failed;
    qi_slice_t slice;         /* the index's shard: files of other shards are not its business */
    const qi_read_cfg_t *cfg; /* how the index read the path being checked: which files
                               * are candidates */
} checker_t;

static int by_path(const void *a, const void *b)
{
    return strcmp(((const rec_t *)a)->path, ((const rec_t *)b)->path);
}

static void note(checker_t *c, const char *what, const char *path)
{
    if (!c->res->first[0]) snprintf(c->res->first, sizeof c->res->first, "%s: %s", path, what);
}

uint64_t qi_hash_file(const char *path, int *ok)
{
    *ok = 0;
    int fd = -1;
    if (ql_file_open(path, &fd, NULL, NULL) != 0) return 0;
    uint64_t size;
    const uint64_t h = ql_fnv1a_fd(fd, &size, ok);
    close(fd);
    return h;
}

/* Whether the file at abs (size and mtime now) is still what r records:
 * QI_FILE_SAME (also when only touched: its bytes hash the same) or
 * QI_FILE_CHANGED (also when it was unreadable then and is readable now). */
static int compare(const rec_t *r, const char *abs, uint64_t size, int64_t mtime)
{
    int ok = 0;
    if (r->hash == QI_HASH_UNREAD) { /* unreadable when indexed: stale once readable */
        qi_hash_file(abs, &ok);
        return ok ? QI_FILE_CHANGED : QI_FILE_SAME;
    }
    if (r->size == size && r->mtime == mtime) return QI_FILE_SAME;
    const uint64_t h = qi_hash_file(abs, &ok);
    return ok && h == r->hash ? QI_FILE_SAME : QI_FILE_CHANGED;
}

static int check_file(checker_t *c, const char *abs, const char *shown, uint64_t size,
                      int64_t mtime)
{
    rec_t key = {(char *)abs, 0, 0, 0, 0};
    rec_t *r = c->n ? bsearch(&key, c->v, c->n, sizeof *c->v, by_path) : NULL;
    if (!r) {
        c->res->added++;
        note(c, "new since the index was built", shown);
        return 0;
    }
    r->seen = 1;
    const int state = compare(r, abs, size, mtime);
    if (state == QI_FILE_SAME) {
        c->res->same++;
        return 0;
    }
    c->res->changed++;
    note(c,
         r->hash == QI_HASH_UNREAD ? "readable now, unreadable when indexed"
                                   : "changed since the index was built",
         shown);
    return 0;
}

typedef struct {
    checker_t *c;
    const char *root; /* absolute */
} walk_ctx_t;

static int on_file(void *ctx, const qi_walk_file_t *f)
{
    walk_ctx_t *w = ctx;
    if (!qi_reader_for(f->path, w->c->cfg) ||
        !qi_slice_has(&w->c->slice, f->relpath, strlen(f->relpath)))
        return 0;
    char abs[PATH_MAX * 2];
    snprintf(abs, sizeof abs, "%s/%s", w->root, f->relpath);
    return check_file(w->c, abs, f->path, (uint64_t)f->size, f->mtime_ns);
}

/* Parses the manifest against the roots into c->v, sorted. */
static int load(checker_t *c, const ql_index_t *idx, const char *text)
{
    size_t lines = 0;
    for (const char *p = text; *p; p++) lines += *p == '\n';
    c->v = calloc(lines ? lines : 1, sizeof *c->v);
    if (!c->v) return ql_errf(c->e, QL_E_NOMEM, "out of memory");
    qi_manifest_rec_t m;
    int more;
    for (const char *p = text; (more = qi_manifest_next(&p, &m)) != 0;) {
        if (more < 0 || m.root >= idx->nroots)
            return ql_errf(c->e, QL_E_CORRUPT, "%s: malformed file list in the index", idx->path);
        rec_t *r = &c->v[c->n];
        const size_t rl = strlen(idx->roots[m.root]);
        if (!(r->path = malloc(rl + m.relpath_len + 2)))
            return ql_errf(c->e, QL_E_NOMEM, "out of memory");
        memcpy(r->path, idx->roots[m.root], rl);
        r->path[rl] = '/';
        memcpy(r->path + rl + 1, m.relpath, m.relpath_len);
        r->path[rl + 1 + m.relpath_len] = '\0';
        r->size = m.size;
        r->mtime = m.mtime_ns;
        r->hash = m.hash;
        c->n++;
    }
    qsort(c->v, c->n, sizeof *c->v, by_path);
    return 0;
}

static int check_path(checker_t *c, const char *arg, const struct stat *skip)
{
    char real[PATH_MAX];
    struct stat st;
    if (stat(arg, &st) != 0 || !realpath(arg, real))
        return ql_errf(c->e, QL_E_IO, "%s: %s", arg, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        walk_ctx_t w = {c, real};
        qi_walk_opts_t wo = {
            .skip_dev = skip->st_dev, .skip_ino = skip->st_ino, .file = on_file, .ctx = &w};
        qi_walk_settings(c->cfg, &wo);
        return qi_walk(arg, &wo) == 0 ? 0 : ql_errf(c->e, QL_E_NOMEM, "out of memory");
    }
    const char *base = strrchr(real, '/') + 1;
    if (!qi_reader_for(arg, c->cfg) || !qi_slice_has(&c->slice, base, strlen(base))) return 0;
    return check_file(c, real, arg, (uint64_t)st.st_size,
                      (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
}

/* The index's paths (QL_META_PATHS's lines, split in place) and how each
 * was read (QL_META_READER), into *paths and *cfgs (caller frees both). */
static int stored_paths(const char *dir, char *stored, const char *reader, char ***paths,
                        qi_read_cfg_t **cfgs, size_t *n, ql_buf_t *store, ql_err_t *e)
{
    size_t k = 0;
    for (const char *p = stored; p && *p; p++) k += *p == '\n' || p[1] == '\0';
    *paths = calloc(k + 1, sizeof **paths);
    *cfgs = calloc(k + 1, sizeof **cfgs);
    if (!*paths || !*cfgs) return ql_errf(e, QL_E_NOMEM, "out of memory");
    *n = 0;
    for (char *p = stored; p && *p;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        (*paths)[(*n)++] = p;
        p = nl ? nl + 1 : p + strlen(p);
    }
    if (qi_read_cfgs_parse(reader, *cfgs, *n, store) != 0)
        return ql_errf(e, QL_E_CORRUPT, "%s: malformed reader settings in the index", dir);
    return 0;
}

/* How the index read arg: as the stored path that is it or holds it. */
static const qi_read_cfg_t *cfg_for(const char *arg, char **paths, const qi_read_cfg_t *cfgs,
                                    size_t n)
{
    char real[PATH_MAX];
    if (!realpath(arg, real)) return NULL;
    for (size_t i = 0; i < n; i++) {
        const size_t len = strlen(paths[i]);
        if (!strncmp(real, paths[i], len) && (real[len] == '/' || real[len] == '\0'))
            return &cfgs[i];
    }
    return NULL;
}

int qi_check(const char *index_dir, const char *const *paths, size_t npaths, qi_check_t *res,
             ql_err_t *e)
{
    memset(res, 0, sizeof *res);
    ql_index_t idx;
    if (ql_index_open(index_dir, &idx, e) != 0) return -1;
    checker_t c = {.res = res, .e = e};
    char *manifest = NULL, *stored = NULL, *slice = NULL, *reader = NULL, **own = NULL;
    qi_read_cfg_t *cfgs = NULL;
    size_t nown = 0;
    ql_buf_t store = {0};
    int rc = -1;
    if (xq_db_get_metadata(idx.db, QL_META_MANIFEST, &manifest, NULL) != XQ_OK ||
        xq_db_get_metadata(idx.db, QL_META_PATHS, &stored, NULL) != XQ_OK ||
        xq_db_get_metadata(idx.db, QL_META_SLICE, &slice, NULL) != XQ_OK ||
        xq_db_get_metadata(idx.db, QL_META_READER, &reader, NULL) != XQ_OK) {
        ql_errf(e, QL_E_IO, "%s: %s", index_dir, xq_db_error(idx.db));
        goto done;
    }
    if (stored_paths(index_dir, stored, reader, &own, &cfgs, &nown, &store, e) != 0) goto done;
    if (*slice && qi_slice_parse(slice, &c.slice) != 0) {
        ql_errf(e, QL_E_CORRUPT, "%s: malformed shard '%s' in the index", index_dir, slice);
        goto done;
    }
    if (load(&c, &idx, manifest) != 0) goto done;
    struct stat skip;
    if (stat(index_dir, &skip) != 0) memset(&skip, 0, sizeof skip);
    for (size_t i = 0; i < (npaths ? npaths : nown); i++) {
        c.cfg = npaths ? cfg_for(paths[i], own, cfgs, nown) : &cfgs[i];
        if (check_path(&c, npaths ? paths[i] : own[i], &skip) != 0) goto done;
    }
    for (size_t i = 0; i < c.n; i++)
        if (!c.v[i].seen) {
            res->removed++;
            note(&c, "gone since the index was built", c.v[i].path);
        }
    rc = 0;
done:
    for (size_t i = 0; i < c.n; i++) free(c.v[i].path);
    free(c.v);
    free(manifest);
    free(stored);
    free(slice);
    free(reader);
    free(own);
    free(cfgs);
    ql_buf_free(&store);
    ql_index_close(&idx);
    return rc;
}

/* ------------------------------------------------------------ known files */

struct qi_known {
    rec_t *v; /* sorted by path */
    size_t n;
};

int qi_known_load(const ql_index_t *idx, qi_known_t **out, ql_err_t *e)
{
    *out = NULL;
    char *manifest = NULL;
    if (xq_db_get_metadata(idx->db, QL_META_MANIFEST, &manifest, NULL) != XQ_OK)
        return ql_errf(e, QL_E_IO, "%s: %s", idx->path, xq_db_error(idx->db));
    checker_t c = {.e = e};
    qi_known_t *k = calloc(1, sizeof *k);
    int rc = k ? load(&c, idx, manifest ? manifest : "") : ql_errf(e, QL_E_NOMEM, "out of memory");
    free(manifest);
    if (k) {
        k->v = c.v;
        k->n = c.n;
    }
    if (rc != 0) {
        qi_known_free(k);
        return -1;
    }
    *out = k;
    return 0;
}

int qi_known_state(const qi_known_t *k, const char *abs)
{
    rec_t key = {(char *)abs, 0, 0, 0, 0};
    const rec_t *r = k && k->n ? bsearch(&key, k->v, k->n, sizeof *k->v, by_path) : NULL;
    if (!r) return QI_FILE_UNKNOWN;
    struct stat st;
    if (stat(abs, &st) != 0)
        return errno == ENOENT || errno == ENOTDIR ? QI_FILE_REMOVED : QI_FILE_CHANGED;
    return compare(r, abs, (uint64_t)st.st_size,
                   (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
}

void qi_known_free(qi_known_t *k)
{
    if (!k) return;
    for (size_t i = 0; i < k->n; i++) free(k->v[i].path);
    free(k->v);
    free(k);
}
