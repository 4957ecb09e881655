/*
 * indexer.c - builds one index generation from files (indexer.h).
 *
 * The walk lists every file first, in its deterministic order. The list is
 * cut into contiguous runs of about equal bytes, one per worker thread
 * (shard.c), each building its own database in the generation's temporary
 * directory while this thread reports progress. Near-duplicate grouping is
 * order-dependent (a passage joins the group of the first similar passage
 * before it), so after the workers finish, the stored signatures of each
 * later shard are replayed, in file order, against the table of the shards
 * before it, and the few whose group changes are rewritten. The shards are
 * then compacted into one database, documents numbered in file order; the
 * index is the same whatever the number of workers. Metadata (format,
 * roots, manifest) is written once, and the generation published. When
 * the index was built from the same paths, update.c redoes only what
 * changed instead.
 */
#include "indexer.h"

#include "buf.h"
#include "generation.h"
#include "integrity.h"
#include "manifest.h"
#include "neardup.h"
#include "layout.h"
#include "reader.h"
#include "shard.h"
#include "update.h"
#include "walk.h"
#include "xq.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 64
#define MIN_SHARD_BYTES (1u << 20) /* less than this per worker: fewer workers */

typedef struct {
    qi_file_t *files;
    size_t n, cap;
    uint64_t bytes;
    ql_buf_t roots; /* root paths, one per line; a file's root is its line */
    ql_buf_t paths; /* the run's arguments, resolved, one per line */
    uint32_t root;
    qi_slice_t slice;
    qi_warn_fn warn;
    void *warn_ctx;
    qi_stats_t *st;
    const qi_read_cfg_t *cfg;
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
    if (!qi_reader_for(f->path, l->cfg)) return 0; /* not a format Quire reads: silently not ours */
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

/* A symlink leading outside, a system filesystem: counted as skipped. */
static void walk_skip(void *ctx, const char *path, const char *msg)
{
    file_list_t *l = ctx;
    l->st->warnings++;
    l->st->skipped++;
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
        const qi_walk_opts_t wo = {
            skip->st_dev, skip->st_ino, add_file, walk_warn, l, qi_follows_outside(l->cfg),
            walk_skip};
        return qi_walk(arg, &wo) ? ql_errf(e, QL_E_NOMEM, "%s: out of memory", arg) : 0;
    }
    if (!S_ISREG(st.st_mode))
        return ql_errf(e, QL_E_USAGE, "%s: not a regular file or directory", arg);
    if (!qi_reader_for(arg, l->cfg))
        return ql_errf(e, QL_E_USAGE,
                       "%s: not a format quire reads (.txt, .html, .md, .json, .jsonl; or "
                       "--format)",
                       arg);
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", real);
    l->root = root_id(l, dirname(dir));
    const qi_walk_file_t f = {arg, strrchr(real, '/') + 1, st.st_size,
                              (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
    return add_file(l, &f) ? ql_errf(e, QL_E_NOMEM, "%s: out of memory", arg) : 0;
}

static size_t default_jobs(void)
{
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (size_t)n;
}

static void *shard_thread(void *arg)
{
    qi_shard_run(arg);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const qi_options_t *o, const file_list_t *l, qi_progress_counters_t *pc,
                   const char *phase, double t0)
{
    if (!o->progress) return;
    const qi_progress_t p = {
        phase, atomic_load(&pc->files), l->n, atomic_load(&pc->bytes), l->bytes, now_s() - t0};
    o->progress(o->progress_ctx, &p);
}

/* Cuts files into at most jobs contiguous runs of about equal bytes; fills
 * start[0..k] and returns k. */
static size_t partition(const file_list_t *l, size_t jobs, int forced, size_t *start)
{
    if (jobs > l->n) jobs = l->n ? l->n : 1;
    while (!forced && jobs > 1 && l->bytes / jobs < MIN_SHARD_BYTES) jobs--;
    size_t k = 0, i = 0;
    uint64_t acc = 0;
    start[0] = 0;
    for (k = 1; k < jobs; k++) {
        const uint64_t goal = l->bytes * k / jobs;
        while (i < l->n && acc + l->files[i].size / 2 < goal) acc += l->files[i++].size;
        start[k] = i;
    }
    start[jobs] = l->n;
    return jobs;
}

static int set_meta(xq_wdb_t *db, const char *key, const ql_buf_t *v, ql_err_t *e)
{
    if (v->oom) return ql_errf(e, QL_E_NOMEM, "out of memory");
    const xq_status_t st = xq_wdb_set_metadata(db, key, v->data ? v->data : "", v->len);
    return st == XQ_OK ? 0 : ql_errf(e, QL_E_IO, "writing the index: %s", xq_wdb_error(db));
}

static int set_meta_num(xq_wdb_t *db, const char *key, size_t v, ql_err_t *e)
{
    ql_buf_t b = {0};
    ql_buf_printf(&b, "%zu", v);
    const int rc = set_meta(db, key, &b, e);
    ql_buf_free(&b);
    return rc;
}

typedef struct {
    qi_neardup_t *table;
    xq_wdb_t *db;
    ql_err_t *e;
} replay_t;

/* One stored passage of a later shard, in docid (= file) order: the key a
 * single worker would have given it, rewritten if the shard gave another. */
static int replay_one(void *ctx, xq_docid_t docid, const char *sig, size_t slen,
                      const char *cur_key, size_t clen)
{
    replay_t *r = ctx;
    uint64_t cur = 0;
    if (slen != QL_SIG_BYTES || !ql_key_decode(cur_key, clen, &cur)) return 0;
    return qi_regroup_replay(r->table, r->db, docid, (const unsigned char *)sig, cur, r->e);
}

/* Gives each grouped passage of shards 1..k the group a single worker would
 * have given it: their stored signatures (value slot 2) are replayed in
 * file order against the first shard's table, and the few passages whose
 * group changes are rewritten. Shards must be committed. */
static int regroup(qi_shard_t *sh, size_t k, ql_err_t *e)
{
    for (size_t s = 1; s < k; s++) { /* later shards' own tables are done with */
        qi_neardup_free(sh[s].neardup);
        sh[s].neardup = NULL;
    }
    for (size_t s = 1; s < k; s++) {
        ql_err_t why = {0};
        replay_t r = {sh[0].neardup, sh[s].db, &why};
        const xq_status_t st =
            xq_wdb_value_pairs(sh[s].db, QL_SLOT_SIG, QL_SLOT_DUP, replay_one, &r);
        if (st == XQ_INVALID && why.code) {
            *e = why;
            return -1;
        }
        if (st != XQ_OK)
            return ql_errf(e, st == XQ_NOMEM ? QL_E_NOMEM : QL_E_IO, "%s: %s", sh[s].db_path,
                           xq_wdb_error(sh[s].db));
    }
    return 0;
}

/* Writes the run's metadata into the first shard (compaction keeps it). */
static int write_metadata(xq_wdb_t *db, const file_list_t *l, const ql_buf_t *manifest,
                          const qi_stats_t *st, ql_err_t *e)
{
    ql_buf_t ver = {0}, slice = {0}, reader = {0};
    char sl[32];
    qi_read_cfg_format(l->cfg, &reader);
    qi_slice_format(&l->slice, sl, sizeof sl);
    ql_buf_printf(&ver, "%d", QL_FORMAT_VERSION);
    ql_buf_adds(&slice, sl);
    const int rc = set_meta(db, QL_META_FORMAT, &ver, e) ||
                   (sl[0] && set_meta(db, QL_META_SLICE, &slice, e)) ||
                   (reader.len && set_meta(db, QL_META_READER, &reader, e)) ||
                   set_meta(db, QL_META_ROOTS, &l->roots, e) ||
                   set_meta(db, QL_META_MANIFEST, manifest, e) ||
                   set_meta(db, QL_META_PATHS, &l->paths, e) ||
                   set_meta_num(db, QL_META_FILES, st->files, e) ||
                   set_meta_num(db, QL_META_PASSAGES, st->passages, e);
    ql_buf_free(&ver);
    ql_buf_free(&slice);
    ql_buf_free(&reader);
    return rc ? -1 : 0;
}

int qi_build(const qi_options_t *o, qi_warn_fn warn, void *warn_ctx, qi_stats_t *st, ql_err_t *e)
{
    file_list_t l = {0};
    ql_buf_t manifest = {0}; /* every shard's file records, in file order */
    ql_gen_t gen;
    qi_shard_t *sh = NULL;
    pthread_t *tid = NULL;
    size_t k = 0, started = 0;
    int rc = -1, have_gen = 0;
    char **srcs = NULL;
    qi_progress_counters_t pc;
    atomic_init(&pc.files, 0);
    atomic_init(&pc.bytes, 0);
    atomic_init(&pc.stop, 0);
    memset(st, 0, sizeof *st);
    l.slice = o->slice;
    l.warn = warn;
    l.warn_ctx = warn_ctx;
    l.st = st;
    l.cfg = &o->read;
    const double t0 = now_s();

    if (ql_gen_begin(o->index_dir, &gen, e) != 0) goto done;
    have_gen = 1;
    if (ql_gen_make_room(&gen, o->keep_previous) && warn)
        warn(warn_ctx, o->index_dir,
             "little free space: the previous generation was removed before building "
             "(--keep-previous keeps it)");
    struct stat skip;
    if (stat(o->index_dir, &skip) != 0) memset(&skip, 0, sizeof skip);
    for (size_t i = 0; i < o->npaths; i++)
        if (list_path(&l, o->paths[i], &skip, e) != 0) goto done;
    if (l.roots.oom || l.paths.oom) {
        ql_errf(e, QL_E_NOMEM, "out of memory");
        goto done;
    }

    if (!o->full) {
        const int u = qi_update(o, &gen, l.files, l.n, &l.roots, &l.paths, warn, warn_ctx, st, e);
        if (u == QI_UPDATE_DONE || u == QI_UPDATE_NOTHING) {
            have_gen = 0; /* published, or released */
            st->incremental = 1;
            rc = 0;
            goto done;
        }
        if (u != QI_UPDATE_FULL) goto done;
    }

    size_t start[MAX_JOBS + 1];
    const size_t jobs = o->jobs ? (o->jobs > MAX_JOBS ? MAX_JOBS : o->jobs) : default_jobs();
    k = partition(&l, jobs, o->jobs != 0, start);
    if (mkdir(gen.tmp, 0777) != 0 && errno != EEXIST) {
        ql_errf(e, QL_E_IO, "%s: %s", gen.tmp, strerror(errno));
        goto done;
    }
    sh = calloc(k, sizeof *sh);
    tid = calloc(k, sizeof *tid);
    srcs = calloc(k, sizeof *srcs);
    if (!sh || !tid || !srcs) {
        ql_errf(e, QL_E_NOMEM, "out of memory");
        goto done;
    }
    for (size_t s = 0; s < k; s++) {
        ql_buf_t p = {0};
        ql_buf_printf(&p, "%s/shard-%zu", gen.tmp, s);
        if (p.oom) {
            ql_errf(e, QL_E_NOMEM, "out of memory");
            goto done;
        }
        srcs[s] = p.data;
        sh[s].db_path = srcs[s];
        sh[s].files = l.files + start[s];
        sh[s].nfiles = start[s + 1] - start[s];
        sh[s].progress = &pc;
        sh[s].cfg = &o->read;
    }
    for (; started < k; started++) {
        if (pthread_create(&tid[started], NULL, shard_thread, &sh[started]) != 0) {
            atomic_store(&pc.stop, 1);
            ql_errf(e, QL_E_NOMEM, "cannot start an indexing thread");
            break;
        }
    }
    while (started == k && atomic_load(&pc.files) < l.n && !atomic_load(&pc.stop)) {
        report(o, &l, &pc, "indexing", t0);
        const struct timespec tick = {0, 200000000L};
        nanosleep(&tick, NULL);
    }
    for (size_t s = 0; s < started; s++) pthread_join(tid[s], NULL);
    if (started < k) goto done;

    /* warnings and counts, in file order whatever finished first */
    for (size_t s = 0; s < k; s++) {
        for (size_t i = 0; i < sh[s].warnings.len;) {
            const char *path = sh[s].warnings.data + i;
            const char *msg = path + strlen(path) + 1;
            if (warn) warn(warn_ctx, path, msg);
            i = (size_t)(msg + strlen(msg) + 1 - sh[s].warnings.data);
        }
        st->files += sh[s].st.files;
        st->passages += sh[s].st.passages;
        st->articles += sh[s].st.articles;
        st->undated += sh[s].st.undated;
        st->skipped += sh[s].st.skipped;
        st->warnings += sh[s].st.warnings;
        st->bytes += sh[s].st.bytes;
    }
    for (size_t s = 0; s < k; s++) {
        if (sh[s].failed) {
            *e = sh[s].e;
            goto done;
        }
    }
    report(o, &l, &pc, "merging", t0);
    ql_abort_point("shards");
    for (size_t s = 0; s < k; s++) ql_buf_add(&manifest, sh[s].manifest.data, sh[s].manifest.len);
    if (write_metadata(sh[0].db, &l, &manifest, st, e) != 0) goto done;
    for (int pass = 0; pass < 2; pass++) { /* commit; regroup; commit and close */
        for (size_t s = 0; s < k; s++) {
            xq_status_t xs = xq_wdb_commit(sh[s].db);
            if (xs == XQ_OK && pass == 1) xs = xq_wdb_close(sh[s].db);
            if (xs != XQ_OK) {
                ql_errf(e, xs == XQ_NOMEM ? QL_E_NOMEM : QL_E_IO, "%s: cannot commit the index: %s",
                        o->index_dir, xq_wdb_error(sh[s].db));
                goto done;
            }
        }
        if (pass == 0 && regroup(sh, k, e) != 0) goto done;
    }
    char why[512];
    const xq_status_t xs = xq_compact((const char *const *)srcs, k, gen.tmp, why, sizeof why);
    if (xs != XQ_OK) {
        ql_errf(e, xs == XQ_NOMEM ? QL_E_NOMEM : QL_E_IO, "%s: cannot merge the index: %s",
                o->index_dir, why);
        goto done;
    }
    ql_abort_point("compacted");
    for (size_t s = 0; s < k; s++) {
        if (ql_rmtree(srcs[s]) != 0) {
            ql_errf(e, QL_E_IO, "%s: %s", srcs[s], strerror(errno));
            goto done;
        }
    }
    if (ql_integrity_write(gen.tmp, st->passages, st->files,
                           qi_content_hash(manifest.data, manifest.len), 1, e) != 0)
        goto done;
    have_gen = 0;
    if (ql_gen_publish(&gen, e) != 0) goto done;
    st->generation = gen.number;
    st->jobs = k;
    rc = 0;
done:
    for (size_t s = 0; sh && s < k; s++) qi_shard_free(&sh[s]);
    if (have_gen) ql_gen_abort(&gen);
    for (size_t s = 0; srcs && s < k; s++) free(srcs[s]);
    free(srcs);
    free(sh);
    free(tid);
    free_files(&l);
    ql_buf_free(&manifest);
    return rc;
}
