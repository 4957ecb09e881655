/*
 * writer.c - the one generation writer (writer.h).
 *
 * A run holds the index's writer lock from begin to publish or abort. Added
 * files are cut into contiguous runs of about equal bytes, one per worker
 * thread (shard.c), each writing its own database in the generation's
 * temporary directory while this thread reports progress; a copied
 * generation gets one worker writing into the copy. Warnings are replayed
 * and counts summed in file order, whatever finished first. Finish makes
 * near-duplicate groups what one pass over the corpus gives (regroup.c),
 * writes the metadata once (format, slice, reader, roots, paths, manifest,
 * counts), compacts a fresh generation's shards into one database with
 * documents numbered in file order (the index is the same whatever the
 * number of workers), and writes the integrity manifest.
 */
#include "writer.h"

#include "copy.h"
#include "file.h"
#include "generation.h"
#include "integrity.h"
#include "layout.h"
#include "manifest.h"
#include "regroup.h"
#include "xq.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 64
#define MIN_SHARD_BYTES (1u << 20) /* less than this per worker: fewer workers */

struct qi_writer {
    const qi_options_t *o;
    qi_warn_fn warn;
    void *warn_ctx;
    qi_stats_t *st;
    ql_gen_t gen;
    xq_wdb_t *copy; /* the copied generation's database, open (qi_writer_copy) */
    size_t files_before, files_gone;
    xq_docid_t first_new; /* the copy's passages added by this run: from here on */
    uint64_t *gone;       /* the group keys of the passages removed from the copy */
    size_t ngone, capgone;
    qi_shard_t *sh; /* the workers of the add run */
    char **srcs;    /* their databases' paths (a fresh generation) */
    size_t k;
    qi_progress_counters_t pc;
    size_t nfiles; /* the add run's files and bytes, for progress */
    uint64_t bytes;
    double t0;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Tells the caller where the run is; non-zero when it asks to cancel. */
static int report(const qi_writer_t *w, const char *phase)
{
    if (!w->o->progress) return 0;
    const qi_progress_t p = {phase,     atomic_load(&w->pc.files),
                             w->nfiles, atomic_load(&w->pc.bytes),
                             w->bytes,  now_s() - w->t0};
    return w->o->progress(w->o->progress_ctx, &p);
}

static int xq_fail(ql_err_t *e, xq_status_t st, const char *what, const char *path, const char *why)
{
    return ql_errf(e, st == XQ_NOMEM ? QL_E_NOMEM : QL_E_IO, "%s: %s: %s", path, what, why);
}

int qi_writer_begin(const qi_options_t *o, qi_warn_fn warn, void *warn_ctx, qi_stats_t *st,
                    qi_writer_t **out, ql_err_t *e)
{
    qi_writer_t *w = calloc(1, sizeof *w);
    *out = NULL;
    if (!w) return ql_errf(e, QL_E_NOMEM, "out of memory");
    memset(st, 0, sizeof *st);
    w->o = o;
    w->warn = warn;
    w->warn_ctx = warn_ctx;
    w->st = st;
    w->t0 = now_s();
    atomic_init(&w->pc.files, 0);
    atomic_init(&w->pc.bytes, 0);
    atomic_init(&w->pc.stop, 0);
    if (ql_gen_begin(o->index_dir, &w->gen, e) != 0) {
        free(w);
        return -1;
    }
    if (ql_gen_make_room(&w->gen, o->keep_previous) && warn)
        warn(warn_ctx, o->index_dir,
             "little free space: the previous generation was removed before building "
             "(--keep-previous keeps it)");
    *out = w;
    return 0;
}

static size_t default_jobs(void)
{
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (size_t)n;
}

static int is_lock(const char *name)
{
    return strcmp(name, "flintlock") == 0;
}

int qi_writer_copy(qi_writer_t *w, const char *gen_dir, size_t files_before, ql_err_t *e)
{
    const char *to = w->gen.tmp;
    if (mkdir(to, 0777) != 0 && errno != EEXIST)
        return ql_errf(e, QL_E_IO, "%s: %s", to, strerror(errno));
    const size_t jobs = w->o->jobs ? w->o->jobs : default_jobs();
    if (ql_copy_dir(gen_dir, to, is_lock, (unsigned)jobs, e) != 0) return -1;
    ql_abort_point("copied");
    const xq_status_t xs = xq_wdb_open(to, XQ_WDB_NOSYNC, &w->copy);
    if (xs != XQ_OK)
        return xq_fail(e, xs, "cannot open the copy", to,
                       w->copy ? xq_wdb_error(w->copy) : xq_status_text(xs));
    xq_docid_t last = 0;
    if (xq_wdb_last_docid(w->copy, &last) != XQ_OK)
        return xq_fail(e, XQ_IO, "cannot read the copy", to, xq_wdb_error(w->copy));
    w->first_new = last + 1;
    w->files_before = files_before;
    return 0;
}

/* Keeps the group keys of docids[0..n), about to be removed (regroup.h). */
static int keep_gone_keys(qi_writer_t *w, const xq_docid_t *docids, size_t n, ql_err_t *e)
{
    for (size_t i = 0; i < n; i++) {
        char v[8];
        size_t len = 0;
        uint64_t key = 0;
        const xq_status_t st = xq_wdb_value(w->copy, docids[i], QL_SLOT_DUP, v, sizeof v, &len);
        if (st != XQ_OK)
            return xq_fail(e, st, "reading the index", w->o->index_dir, xq_wdb_error(w->copy));
        if (!ql_key_decode(v, len, &key)) continue; /* no key: never grouped */
        if (w->ngone == w->capgone) {
            const size_t cap = w->capgone ? 2 * w->capgone : 64;
            uint64_t *g = realloc(w->gone, cap * sizeof *g);
            if (!g) return ql_errf(e, QL_E_NOMEM, "out of memory");
            w->gone = g;
            w->capgone = cap;
        }
        w->gone[w->ngone++] = key;
    }
    return 0;
}

int qi_writer_remove(qi_writer_t *w, uint32_t root, const char *relpath, size_t len, ql_err_t *e)
{
    ql_buf_t t = {0};
    xq_docid_t *ids = NULL;
    size_t n = 0;
    if (!w->copy) return ql_errf(e, QL_E_USAGE, "removing a file from an empty generation");
    ql_term_path(&t, root, relpath, len);
    if (t.oom) return ql_errf(e, QL_E_NOMEM, "out of memory");
    xq_status_t st = xq_wdb_postings(w->copy, t.data, t.len, &ids, &n);
    const int failed = st == XQ_OK && keep_gone_keys(w, ids, n, e) != 0;
    free(ids);
    if (st == XQ_OK && !failed && n) st = xq_wdb_delete_term(w->copy, t.data, t.len);
    ql_buf_free(&t);
    if (failed) return -1;
    if (st != XQ_OK)
        return xq_fail(e, st, "writing the index", w->o->index_dir, xq_wdb_error(w->copy));
    w->files_gone += n > 0;
    return 0;
}

/* Cuts files into at most jobs contiguous runs of about equal bytes; fills
 * start[0..k] and returns k. */
static size_t partition(const qi_file_t *f, size_t n, uint64_t bytes, size_t jobs, int forced,
                        size_t *start)
{
    if (jobs > n) jobs = n ? n : 1;
    while (!forced && jobs > 1 && bytes / jobs < MIN_SHARD_BYTES) jobs--;
    size_t i = 0;
    uint64_t acc = 0;
    start[0] = 0;
    for (size_t k = 1; k < jobs; k++) {
        const uint64_t goal = bytes * k / jobs;
        while (i < n && acc + f[i].size / 2 < goal) acc += f[i++].size;
        start[k] = i;
    }
    start[jobs] = n;
    return jobs;
}

/* Sets up w->sh: one worker into the copy, or one database per run of
 * files in the temporary directory. */
static int plan(qi_writer_t *w, const qi_file_t *files, size_t n, ql_err_t *e)
{
    size_t start[MAX_JOBS + 1] = {0, n};
    const qi_options_t *o = w->o;
    const size_t jobs = o->jobs ? (o->jobs > MAX_JOBS ? MAX_JOBS : o->jobs) : default_jobs();
    w->k = w->copy ? 1 : partition(files, n, w->bytes, jobs, o->jobs != 0, start);
    if (!w->copy && mkdir(w->gen.tmp, 0777) != 0 && errno != EEXIST)
        return ql_errf(e, QL_E_IO, "%s: %s", w->gen.tmp, strerror(errno));
    w->sh = calloc(w->k, sizeof *w->sh);
    w->srcs = calloc(w->k, sizeof *w->srcs);
    if (!w->sh || !w->srcs) return ql_errf(e, QL_E_NOMEM, "out of memory");
    for (size_t s = 0; s < w->k; s++) {
        qi_shard_t *sh = &w->sh[s];
        if (w->copy) {
            sh->into = w->copy;
            sh->db_path = w->gen.tmp;
        } else {
            ql_buf_t p = {0};
            ql_buf_printf(&p, "%s/shard-%zu", w->gen.tmp, s);
            if (p.oom) return ql_errf(e, QL_E_NOMEM, "out of memory");
            sh->db_path = w->srcs[s] = p.data;
        }
        sh->files = files + start[s];
        sh->nfiles = start[s + 1] - start[s];
        sh->progress = &w->pc;
        sh->cfgs = o->reads;
    }
    return 0;
}

static void *shard_thread(void *arg)
{
    qi_shard_run(arg);
    return NULL;
}

/* Runs the workers to the end, reporting progress meanwhile; stops them
 * early when the caller cancels. */
static int run_workers(qi_writer_t *w, ql_err_t *e)
{
    pthread_t tid[MAX_JOBS];
    size_t started = 0;
    int cancelled = report(w, "indexing");
    for (; !cancelled && started < w->k; started++) {
        if (pthread_create(&tid[started], NULL, shard_thread, &w->sh[started]) != 0) {
            atomic_store(&w->pc.stop, 1);
            ql_errf(e, QL_E_NOMEM, "cannot start an indexing thread");
            break;
        }
    }
    while (!cancelled && started == w->k && atomic_load(&w->pc.files) < w->nfiles &&
           !atomic_load(&w->pc.stop)) {
        const struct timespec tick = {0, 200000000L};
        nanosleep(&tick, NULL);
        cancelled = report(w, "indexing");
    }
    if (cancelled) atomic_store(&w->pc.stop, 1);
    for (size_t s = 0; s < started; s++) pthread_join(tid[s], NULL);
    if (cancelled) return ql_errf(e, QL_E_STOPPED, "%s: indexing cancelled", w->o->index_dir);
    return started == w->k ? 0 : -1;
}

/* Warnings and counts, in file order; the first failed worker's error. */
static int collect(qi_writer_t *w, ql_err_t *e)
{
    qi_stats_t *st = w->st;
    for (size_t s = 0; s < w->k; s++) {
        const qi_shard_t *sh = &w->sh[s];
        for (size_t i = 0; i < sh->warnings.len;) {
            const char *path = sh->warnings.data + i;
            const char *msg = path + strlen(path) + 1;
            if (w->warn) w->warn(w->warn_ctx, path, msg);
            i = (size_t)(msg + strlen(msg) + 1 - sh->warnings.data);
        }
        st->files += sh->st.files;
        st->passages += sh->st.passages;
        st->articles += sh->st.articles;
        st->undated += sh->st.undated;
        st->skipped += sh->st.skipped;
        st->binary += sh->st.binary;
        st->unreadable += sh->st.unreadable;
        st->too_large += sh->st.too_large;
        st->encrypted += sh->st.encrypted;
        st->damaged += sh->st.damaged;
        st->no_text += sh->st.no_text;
        st->warnings += sh->st.warnings;
        st->bytes += sh->st.bytes;
    }
    for (size_t s = 0; s < w->k; s++) {
        if (w->sh[s].failed) {
            *e = w->sh[s].e;
            return -1;
        }
    }
    return 0;
}

int qi_writer_add(qi_writer_t *w, const qi_file_t *files, size_t n, ql_err_t *e)
{
    if (w->sh) return ql_errf(e, QL_E_USAGE, "files added twice to one generation");
    w->nfiles = n;
    for (size_t i = 0; i < n; i++) w->bytes += files[i].size;
    if (plan(w, files, n, e) != 0 || run_workers(w, e) != 0) return -1;
    return collect(w, e);
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

/* QL_META_NEWEST: the newest modification time the file list records. */
static int set_newest(xq_wdb_t *db, const ql_buf_t *manifest, ql_err_t *e)
{
    int64_t newest = 0;
    qi_manifest_rec_t r;
    for (const char *p = manifest->data ? manifest->data : ""; qi_manifest_next(&p, &r) == 1;)
        if (r.mtime_ns > newest) newest = r.mtime_ns;
    ql_buf_t b = {0};
    ql_buf_printf(&b, "%lld", (long long)newest);
    const int rc = set_meta(db, QL_META_NEWEST, &b, e);
    ql_buf_free(&b);
    return rc;
}

/* QL_META_SKIPPED and QL_META_PASSED: the files passed over, those an
 * update kept first, then the added files', in file order. */
static int set_passed_over(const qi_writer_t *w, xq_wdb_t *db, const qi_meta_t *m, ql_err_t *e)
{
    ql_buf_t skipped = {0}, passed = {0};
    if (m->skipped) ql_buf_add(&skipped, m->skipped->data, m->skipped->len);
    for (size_t s = 0; s < w->k; s++)
        ql_buf_add(&skipped, w->sh[s].skipped.data, w->sh[s].skipped.len);
    const ql_passed_t counts = {w->st->unsupported, w->st->outside, w->st->excluded};
    ql_passed_format(&passed, &counts);
    const int rc =
        set_meta(db, QL_META_SKIPPED, &skipped, e) || set_meta(db, QL_META_PASSED, &passed, e);
    ql_buf_free(&skipped);
    ql_buf_free(&passed);
    return rc ? -1 : 0;
}

/* Every metadata key the index has, written once per run (layout.h). */
static int write_metadata(const qi_writer_t *w, xq_wdb_t *db, const qi_meta_t *m,
                          const ql_buf_t *manifest, ql_err_t *e)
{
    ql_buf_t ver = {0}, slice = {0}, reader = {0};
    char sl[32];
    qi_read_cfgs_format(w->o->reads, w->o->npaths, &reader);
    qi_slice_format(&w->o->slice, sl, sizeof sl);
    ql_buf_printf(&ver, "%d", QL_FORMAT_VERSION);
    ql_buf_adds(&slice, sl);
    const int rc = set_meta(db, QL_META_FORMAT, &ver, e) ||
                   (sl[0] && set_meta(db, QL_META_SLICE, &slice, e)) ||
                   (reader.len && set_meta(db, QL_META_READER, &reader, e)) ||
                   set_meta(db, QL_META_ROOTS, m->roots, e) ||
                   set_meta(db, QL_META_MANIFEST, manifest, e) ||
                   set_meta(db, QL_META_PATHS, m->paths, e) ||
                   set_meta_num(db, QL_META_FILES, w->st->files, e) ||
                   set_meta_num(db, QL_META_PASSAGES, w->st->passages, e) ||
                   set_newest(db, manifest, e) || set_passed_over(w, db, m, e);
    ql_buf_free(&ver);
    ql_buf_free(&slice);
    ql_buf_free(&reader);
    return rc ? -1 : 0;
}

static int commit(const qi_writer_t *w, xq_wdb_t *db, int close, ql_err_t *e)
{
    xq_status_t xs = xq_wdb_commit(db);
    if (xs == XQ_OK && close) xs = xq_wdb_close(db);
    return xs == XQ_OK
               ? 0
               : xq_fail(e, xs, "cannot commit the index", w->o->index_dir, xq_wdb_error(db));
}

/* QL_META_ORDER: where every file's passages are, for the next update; an
 * order that could not be kept is removed (the copy holds the previous). */
static int set_order(xq_wdb_t *db, const qi_meta_t *m, const ql_span_t *spans, int ok, ql_err_t *e)
{
    ql_buf_t b = {0};
    if (ok)
        ql_order_encode(&b, qi_content_hash(m->manifest->data, m->manifest->len), spans, m->nall);
    const int rc = set_meta(db, QL_META_ORDER, &b, e);
    ql_buf_free(&b);
    return rc;
}

/* An updated copy: groups over every file, counts from the copy. */
static int finish_copy(qi_writer_t *w, const qi_meta_t *m, ql_err_t *e)
{
    qi_stats_t *st = w->st;
    const size_t gone = w->files_gone < w->files_before ? w->files_gone : w->files_before;
    ql_span_t *spans = malloc((m->nall ? m->nall : 1) * sizeof *spans);
    if (!spans) return ql_errf(e, QL_E_NOMEM, "out of memory");
    for (size_t i = 0; i < m->nall; i++)
        spans[i] = m->spans ? m->spans[i] : (ql_span_t){0, QI_SPAN_UNKNOWN};
    int ok = 0, rc = -1;
    const qi_regroup_change_t change = {w->first_new, w->gone, w->ngone};
    if (qi_regroup_files(w->copy, m->all, m->nall, spans, &change, &ok, e) != 0) goto done;
    st->files = w->files_before + st->files - gone;
    unsigned articles = 0, undated = 0; /* the whole index's, as files and passages */
    if (xq_wdb_doccount(w->copy, &st->passages) != XQ_OK ||
        xq_wdb_termfreq(w->copy, QL_TERM_ARTICLE, strlen(QL_TERM_ARTICLE), &articles) != XQ_OK ||
        xq_wdb_termfreq(w->copy, QL_TERM_UNDATED, strlen(QL_TERM_UNDATED), &undated) != XQ_OK) {
        ql_errf(e, QL_E_IO, "reading the index: %s", xq_wdb_error(w->copy));
        goto done;
    }
    st->articles = articles;
    st->undated = undated;
    if (write_metadata(w, w->copy, m, m->manifest, e) != 0 ||
        set_order(w->copy, m, spans, ok, e) != 0 || commit(w, w->copy, 1, e) != 0)
        goto done;
    rc = ql_integrity_write(w->gen.tmp, st->passages, st->files,
                            qi_content_hash(m->manifest->data, m->manifest->len), 0, e);
done:
    free(spans);
    return rc;
}

/* A fresh generation: shards regrouped in file order and compacted. */
static int finish_fresh(qi_writer_t *w, const qi_meta_t *m, ql_err_t *e)
{
    ql_buf_t manifest = {0}; /* every shard's file records, in file order */
    int rc = -1;
    for (size_t s = 0; s < w->k; s++)
        ql_buf_add(&manifest, w->sh[s].manifest.data, w->sh[s].manifest.len);
    if (write_metadata(w, w->sh[0].db, m, m->manifest ? m->manifest : &manifest, e) != 0) goto done;
    for (int pass = 0; pass < 2; pass++) { /* commit; regroup; commit and close */
        for (size_t s = 0; s < w->k; s++)
            if (commit(w, w->sh[s].db, pass, e) != 0) goto done;
        if (pass == 0 && qi_regroup_shards(w->sh, w->k, e) != 0) goto done;
    }
    char why[512];
    const xq_status_t xs =
        xq_compact((const char *const *)w->srcs, w->k, w->gen.tmp, why, sizeof why);
    if (xs != XQ_OK) {
        xq_fail(e, xs, "cannot merge the index", w->o->index_dir, why);
        goto done;
    }
    ql_abort_point("compacted");
    for (size_t s = 0; s < w->k; s++) {
        if (ql_rmtree(w->srcs[s]) != 0) {
            ql_errf(e, QL_E_IO, "%s: %s", w->srcs[s], strerror(errno));
            goto done;
        }
    }
    rc = ql_integrity_write(w->gen.tmp, w->st->passages, w->st->files,
                            qi_content_hash(manifest.data, manifest.len), 1, e);
done:
    ql_buf_free(&manifest);
    return rc;
}

int qi_writer_finish(qi_writer_t *w, const qi_meta_t *m, ql_err_t *e)
{
    if (!w->sh) return ql_errf(e, QL_E_USAGE, "finishing a generation before adding files");
    if (w->copy && !m->manifest)
        return ql_errf(e, QL_E_USAGE, "an updated generation needs its file list");
    if (report(w, "merging"))
        return ql_errf(e, QL_E_STOPPED, "%s: indexing cancelled", w->o->index_dir);
    ql_abort_point("shards");
    return w->copy ? finish_copy(w, m, e) : finish_fresh(w, m, e);
}

static void writer_free(qi_writer_t *w)
{
    for (size_t s = 0; w->sh && s < w->k; s++) qi_shard_free(&w->sh[s]);
    for (size_t s = 0; w->srcs && s < w->k; s++) free(w->srcs[s]);
    xq_wdb_free(w->copy);
    free(w->sh);
    free(w->srcs);
    free(w->gone);
    free(w);
}

int qi_writer_publish(qi_writer_t *w, ql_err_t *e)
{
    const int rc = ql_gen_publish(&w->gen, e); /* releases the lock either way */
    if (rc == 0) {
        w->st->generation = w->gen.number;
        w->st->jobs = w->k;
    }
    writer_free(w);
    return rc;
}

void qi_writer_abort(qi_writer_t *w)
{
    if (!w) return;
    for (size_t s = 0; w->sh && s < w->k; s++) qi_shard_free(&w->sh[s]); /* before rmtree */
    xq_wdb_free(w->copy);
    w->copy = NULL;
    ql_gen_abort(&w->gen);
    writer_free(w);
}
