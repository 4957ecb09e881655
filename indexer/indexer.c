/*
 * indexer.c - `quire index` as one run (indexer.h): lists every file under
 * the run's paths, in the walk's deterministic order, with the roots and
 * arguments the index records; then either updates the current generation
 * (update.c: only what changed is redone, and nothing when nothing changed)
 * or writes a fresh one, both through the one generation writer (writer.c),
 * and publishes it.
 */
#include "indexer.h"

#include "buf.h"
#include "reader.h"
#include "shard.h"
#include "update.h"
#include "walk.h"
#include "writer.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    qi_file_t *files;
    size_t n, cap;
    uint64_t bytes;
    ql_buf_t roots; /* root paths, one per line; a file's root is its line */
    ql_buf_t paths; /* the run's arguments, resolved, one per line */
    uint32_t root;
    uint32_t arg; /* the path being listed: qi_options_t.paths[arg] */
    qi_slice_t slice;
    qi_warn_fn warn;
    void *warn_ctx;
    qi_stats_t *st;
    const qi_read_cfg_t *cfg; /* how the path being listed is read */
} file_list_t;

static void free_files(file_list_t *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->files[i].path);
        free(l->files[i].relpath);
    }
    free(l->files);
    ql_buf_free(&l->roots);
    ql_buf_free(&l->paths);
}

static int add_file(void *ctx, const qi_walk_file_t *f)
{
    file_list_t *l = ctx;
    if (!qi_reader_for(f->path, l->cfg)) { /* not a format Quire reads: counted, not warned */
        l->st->unsupported++;
        return 0;
    }
    if (!qi_slice_has(&l->slice, f->relpath, strlen(f->relpath))) return 0; /* another shard's */
    if (l->n == l->cap) {
        const size_t cap = l->cap ? l->cap * 2 : 256;
        qi_file_t *p = realloc(l->files, cap * sizeof *p);
        if (!p) return -1;
        l->files = p;
        l->cap = cap;
    }
    qi_file_t *nf = &l->files[l->n];
    nf->path = strdup(f->path);
    nf->relpath = strdup(f->relpath);
    if (!nf->path || !nf->relpath) {
        free(nf->path);
        free(nf->relpath);
        return -1;
    }
    nf->root = l->root;
    nf->arg = l->arg;
    nf->size = f->size > 0 ? (uint64_t)f->size : 0;
    nf->mtime_ns = f->mtime_ns;
    l->bytes += nf->size;
    l->n++;
    return 0;
}

static void walk_warn(void *ctx, const char *path, const char *msg)
{
    file_list_t *l = ctx;
    char line[600];
    snprintf(line, sizeof line, "cannot read: %s", msg);
    l->st->warnings++;
    if (l->warn) l->warn(l->warn_ctx, path, line);
}

/* A file or folder the ignore rules leave out: counted, not warned. */
static void walk_excluded(void *ctx, const char *path, const char *msg)
{
    (void)path, (void)msg;
    file_list_t *l = ctx;
    l->st->excluded++;
}

/* A symlink leading outside, a system filesystem: counted as skipped. */
static void walk_skip(void *ctx, const char *path, const char *msg)
{
    file_list_t *l = ctx;
    l->st->warnings++;
    l->st->skipped++;
    l->st->outside++;
    if (l->warn) l->warn(l->warn_ctx, path, msg);
}

/* Adds root to the root list unless present; returns its id. */
static uint32_t root_id(file_list_t *l, const char *root)
{
    uint32_t id = 0;
    const size_t n = strlen(root);
    for (size_t i = 0; i < l->roots.len; id++) {
        const char *nl = memchr(l->roots.data + i, '\n', l->roots.len - i);
        const size_t len = (size_t)(nl - (l->roots.data + i));
        if (len == n && memcmp(l->roots.data + i, root, n) == 0) return id;
        i += len + 1;
    }
    ql_buf_adds(&l->roots, root);
    ql_buf_addc(&l->roots, '\n');
    return id;
}

static int list_path(file_list_t *l, const char *arg, const struct stat *skip, ql_err_t *e)
{
    char real[PATH_MAX];
    struct stat st;
    if (stat(arg, &st) != 0 || !realpath(arg, real))
        return ql_errf(e, QL_E_IO, "%s: %s", arg, strerror(errno));
    ql_buf_adds(&l->paths, real);
    ql_buf_addc(&l->paths, '\n');
    if (S_ISDIR(st.st_mode)) {
        l->root = root_id(l, real);
        qi_walk_opts_t wo = {.skip_dev = skip->st_dev,
                             .skip_ino = skip->st_ino,
                             .file = add_file,
                             .warn = walk_warn,
                             .ctx = l,
                             .skip = walk_skip,
                             .excluded = walk_excluded};
        qi_walk_settings(l->cfg, &wo);
        return qi_walk(arg, &wo) ? ql_errf(e, QL_E_NOMEM, "%s: out of memory", arg) : 0;
    }
    if (!S_ISREG(st.st_mode))
        return ql_errf(e, QL_E_USAGE, "%s: not a regular file or directory", arg);
    if (!qi_reader_for(arg, l->cfg))
        return ql_errf(e, QL_E_USAGE,
                       "%s: not a format quire reads (.txt, .html, .md, .json, .jsonl, each also "
                       ".gz or .zst; or "
                       "--format)",
                       arg);
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", real);
    l->root = root_id(l, dirname(dir));
    const qi_walk_file_t f = {arg, strrchr(real, '/') + 1, st.st_size,
                              (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
    return add_file(l, &f) ? ql_errf(e, QL_E_NOMEM, "%s: out of memory", arg) : 0;
}

/* Lists every file under o->paths into l, in the walk's order. */
static int list_files(const qi_options_t *o, file_list_t *l, ql_err_t *e)
{
    struct stat skip; /* the index itself is never read as an article */
    if (stat(o->index_dir, &skip) != 0) memset(&skip, 0, sizeof skip);
    for (size_t i = 0; i < o->npaths; i++) {
        l->arg = (uint32_t)i;
        l->cfg = o->reads ? &o->reads[i] : NULL;
        if (list_path(l, o->paths[i], &skip, e) != 0) return -1;
    }
    if (l->roots.oom || l->paths.oom) return ql_errf(e, QL_E_NOMEM, "out of memory");
    return 0;
}

int qi_build(const qi_options_t *o, qi_warn_fn warn, void *warn_ctx, qi_stats_t *st, ql_err_t *e)
{
    file_list_t l = {0};
    qi_writer_t *w = NULL;
    int rc = -1;
    if (qi_writer_begin(o, warn, warn_ctx, st, &w, e) != 0) return -1;
    l.slice = o->slice;
    l.warn = warn;
    l.warn_ctx = warn_ctx;
    l.st = st;
    if (list_files(o, &l, e) != 0) goto done;
    const qi_meta_t meta = {.roots = &l.roots, .paths = &l.paths, .all = l.files, .nall = l.n};
    const int u = o->full
                      ? QI_UPDATE_FULL
                      : qi_update(o, w, l.files, l.n, &l.roots, &l.paths, warn, warn_ctx, st, e);
    st->incremental = u == QI_UPDATE_DONE || u == QI_UPDATE_NOTHING;
    if (u == QI_UPDATE_NOTHING) {
        rc = 0; /* nothing written; the writer is abandoned below */
        goto done;
    }
    if (u == QI_UPDATE_FULL &&
        (qi_writer_add(w, l.files, l.n, e) != 0 || qi_writer_finish(w, &meta, e) != 0))
        goto done;
    if (u != QI_UPDATE_FULL && u != QI_UPDATE_DONE) goto done;
    rc = qi_writer_publish(w, e);
    w = NULL;
done:
    qi_writer_abort(w);
    free_files(&l);
    return rc;
}
