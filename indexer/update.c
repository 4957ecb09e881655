/*
 * update.c - incremental indexing (update.h).
 *
 * Change detection is the manifest's: a file whose size and mtime match its
 * record is unchanged; otherwise its bytes are hashed, and a file that was
 * only touched is unchanged too. The copy of the current generation is made
 * by the generation writer (writer.h), which also deletes the passages of
 * changed and removed files, indexes changed and added ones, and replays
 * near-duplicate groups over every stored signature in file order, exactly
 * as a full build assigns them.
 */
#include "update.h"

#include "file.h"
#include "generation.h"
#include "index.h"
#include "integrity.h"
#include "layout.h"
#include "manifest.h"
#include "regroup.h"
#include "writer.h"
#include "xq.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SAME, CHANGED, ADDED };

typedef struct {
    qi_manifest_rec_t r;
    size_t at; /* its place in the old manifest (and so in its QL_META_ORDER) */
    int seen;
} old_t;

static int cmp_key(uint32_t ra, const char *pa, size_t la, uint32_t rb, const char *pb, size_t lb)
{
    if (ra != rb) return ra < rb ? -1 : 1;
    const int c = memcmp(pa, pb, la < lb ? la : lb);
    return c ? c : la < lb ? -1 : la > lb;
}

static int by_key(const void *a, const void *b)
{
    const qi_manifest_rec_t *x = &((const old_t *)a)->r, *y = &((const old_t *)b)->r;
    return cmp_key(x->root, x->relpath, x->relpath_len, y->root, y->relpath, y->relpath_len);
}

static old_t *find(old_t *v, size_t n, const qi_file_t *f)
{
    const size_t len = strlen(f->relpath);
    size_t lo = 0, hi = n;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        const int c = cmp_key(v[mid].r.root, v[mid].r.relpath, v[mid].r.relpath_len, f->root,
                              f->relpath, len);
        if (c == 0) return &v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int meta_equal(xq_db_t *db, const char *key, const ql_buf_t *want)
{
    char *v = NULL;
    size_t len = 0;
    if (xq_db_get_metadata(db, key, &v, &len) != XQ_OK) return 0;
    const int eq = len == want->len && (len == 0 || memcmp(v, want->data, len) == 0);
    free(v);
    return eq;
}

static unsigned generation_of(const char *path)
{
    const char *base = strrchr(path, '/');
    unsigned n = 0;
    return base && sscanf(base + 1, "gen-%u", &n) == 1 ? n : 0;
}

/* One update's plan: the old manifest and what became of each file. */
typedef struct {
    ql_index_t idx;
    int have_idx;
    char *manifest, *count;
    old_t *old;
    size_t nold, files_before;
    unsigned char *state; /* SAME, CHANGED, ADDED, by file */
    uint64_t *hash;       /* by file */
    size_t *was;          /* by file: its old_t.at, or SIZE_MAX for a file not in it */
    ql_span_t *spans;     /* by file: where a kept file's passages are (QL_META_ORDER) */
    qi_file_t *redo;      /* the files to index */
    size_t nredo;
} plan_t;

static void plan_free(plan_t *p)
{
    if (p->have_idx) ql_index_close(&p->idx);
    p->have_idx = 0;
    free(p->manifest);
    free(p->count);
    free(p->old);
    free(p->state);
    free(p->hash);
    free(p->was);
    free(p->spans);
    free(p->redo);
}

/* Whether the index was built as this run would build it: the same slice,
 * the same reading of files, the same roots and paths. */
static int same_build(const qi_options_t *o, xq_db_t *db, const ql_buf_t *roots,
                      const ql_buf_t *paths)
{
    char sl[32];
    ql_buf_t v = {0};
    qi_slice_format(&o->slice, sl, sizeof sl);
    ql_buf_adds(&v, sl);
    int same = meta_equal(db, QL_META_SLICE, &v);
    ql_buf_reset(&v);
    qi_read_cfgs_format(o->reads, o->npaths, &v); /* files read another way: rebuild */
    same = same && meta_equal(db, QL_META_READER, &v);
    ql_buf_free(&v);
    return same && meta_equal(db, QL_META_ROOTS, roots) && meta_equal(db, QL_META_PATHS, paths);
}

/* Whether the manifest parses to its end. One that does not (damaged, or
 * written in another layout) cannot say which passages are whose: an
 * update from it would add every file again beside the old passages. */
static int manifest_whole(const char *m)
{
    qi_manifest_rec_t r;
    int more;
    const char *c = m ? m : "";
    while ((more = qi_manifest_next(&c, &r)) == 1) {
    }
    return more == 0;
}

/* Classifies files[0..n) against the old manifest, filling st's counts. */
static int classify(plan_t *p, const qi_file_t *files, size_t n, qi_stats_t *st, ql_err_t *e)
{
    for (const char *c = p->manifest; *c; c++) p->nold += *c == '\n';
    p->old = calloc(p->nold + 1, sizeof *p->old);
    p->state = calloc(n + 1, 1);
    p->hash = calloc(n + 1, sizeof *p->hash);
    p->redo = calloc(n + 1, sizeof *p->redo);
    p->was = calloc(n + 1, sizeof *p->was);
    if (!p->old || !p->state || !p->hash || !p->redo || !p->was)
        return ql_errf(e, QL_E_NOMEM, "out of memory");
    p->nold = 0;
    for (const char *c = p->manifest; qi_manifest_next(&c, &p->old[p->nold].r) == 1;)
        p->old[p->nold].at = p->nold, p->nold++;
    qsort(p->old, p->nold, sizeof *p->old, by_key);
    for (size_t i = 0; i < n; i++) {
        old_t *r = find(p->old, p->nold, &files[i]);
        if (r) r->seen = 1;
        p->was[i] = r ? r->at : SIZE_MAX;
        if (r && r->r.size == files[i].size && r->r.mtime_ns == files[i].mtime_ns &&
            r->r.hash != QI_HASH_UNREAD) {
            p->hash[i] = r->r.hash;
            continue;
        }
        int ok = 0;
        p->hash[i] = qi_hash_file(files[i].path, &ok);
        if (r && ok && p->hash[i] == r->r.hash) continue; /* touched, not changed */
        p->state[i] = r ? CHANGED : ADDED;
        st->changed += p->state[i] == CHANGED;
        st->added += p->state[i] == ADDED;
        p->redo[p->nredo++] = files[i];
    }
    for (size_t i = 0; i < p->nold; i++) st->removed += !p->old[i].seen;
    st->unchanged = n - st->changed - st->added;
    return 0;
}

static int skipped_by_key(const void *a, const void *b)
{
    const ql_skipped_t *x = a, *y = b;
    return cmp_key(x->root, x->relpath, x->relpath_len, y->root, y->relpath, y->relpath_len);
}

/* The old index's records of skipped files (QL_META_SKIPPED) for the files
 * this update keeps as they were, into out. A malformed list is dropped: it
 * only feeds counts, and the files it named are counted again when redone. */
static int kept_skipped(plan_t *p, const qi_file_t *files, size_t n, ql_buf_t *out, ql_err_t *e)
{
    char *text = NULL;
    if (xq_db_get_metadata(p->idx.db, QL_META_SKIPPED, &text, NULL) != XQ_OK)
        return ql_errf(e, QL_E_IO, "reading the index: %s", xq_db_error(p->idx.db));
    size_t k = 0, cap = 0;
    for (const char *c = text; c && *c; c++) cap += *c == '\n';
    ql_skipped_t *v = calloc(cap + 1, sizeof *v);
    if (!v) {
        free(text);
        return ql_errf(e, QL_E_NOMEM, "out of memory");
    }
    int rc = 0;
    for (const char *c = text; rc == 0 && k < cap && ql_skipped_next(&c, &v[k]) == 1;) k++;
    qsort(v, k, sizeof *v, skipped_by_key);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (p->state[i] != SAME) continue;
        const ql_skipped_t key = {.root = files[i].root,
                                  .relpath = files[i].relpath,
                                  .relpath_len = strlen(files[i].relpath)};
        const ql_skipped_t *r = bsearch(&key, v, k, sizeof *v, skipped_by_key);
        if (r) ql_skipped_add(out, r->why, r->root, r->relpath, r->relpath_len);
    }
    if (rc == 0 && out->oom) rc = ql_errf(e, QL_E_NOMEM, "out of memory");
    free(v);
    free(text);
    return rc;
}

/* Where the kept files' passages are in the copy, from the old generation's
 * QL_META_ORDER (docids survive the copy); the files redone are looked up
 * after they are written. No order, or another manifest's: NULL, all are. */
static int kept_spans(plan_t *p, size_t n, ql_err_t *e)
{
    char *v = NULL;
    size_t len = 0;
    if (xq_db_get_metadata(p->idx.db, QL_META_ORDER, &v, &len) != XQ_OK)
        return ql_errf(e, QL_E_IO, "reading the index: %s", xq_db_error(p->idx.db));
    int rc = 0;
    ql_span_t *old = NULL, *spans = NULL;
    if (!len) goto done; /* none recorded */
    old = calloc(p->nold + 1, sizeof *old);
    spans = calloc(n + 1, sizeof *spans);
    if (!old || !spans) {
        rc = ql_errf(e, QL_E_NOMEM, "out of memory");
        goto done;
    }
    if (ql_order_decode(v, len, qi_content_hash(p->manifest, strlen(p->manifest)), old, p->nold))
        goto done; /* another manifest's */
    for (size_t i = 0; i < n; i++)
        spans[i] = p->state[i] == SAME && p->was[i] != SIZE_MAX ? old[p->was[i]]
                                                                : (ql_span_t){0, QI_SPAN_UNKNOWN};
    p->spans = spans;
    spans = NULL;
done:
    free(spans);
    free(old);
    free(v);
    return rc;
}

/* Writes the update through w: the copy, its removals and additions. */
static int apply(plan_t *p, qi_writer_t *w, const qi_file_t *files, size_t n, const qi_meta_t *meta,
                 ql_err_t *e)
{
    if (qi_writer_copy(w, p->idx.path, p->files_before, e) != 0) return -1;
    ql_index_close(&p->idx);
    p->have_idx = 0;
    for (size_t i = 0; i < p->nold; i++)
        if (!p->old[i].seen && qi_writer_remove(w, p->old[i].r.root, p->old[i].r.relpath,
                                                p->old[i].r.relpath_len, e) != 0)
            return -1;
    for (size_t i = 0; i < n; i++)
        if (p->state[i] == CHANGED &&
            qi_writer_remove(w, files[i].root, files[i].relpath, strlen(files[i].relpath), e) != 0)
            return -1;
    if (qi_writer_add(w, p->redo, p->nredo, e) != 0) return -1;
    return qi_writer_finish(w, meta, e);
}

/* The published index, when it can be trusted and updated; else a warning
 * for a damaged one and QI_UPDATE_FULL. */
static int open_current(const qi_options_t *o, plan_t *p, qi_warn_fn warn, void *warn_ctx)
{
    ql_err_t why = {0};
    char cur[PATH_MAX];
    if (ql_gen_current(o->index_dir, cur, sizeof cur, &why) == 0 &&
        (ql_file_check_dir(cur, &why) != 0 || ql_integrity_quick(cur, &why) != 0)) {
        /* noticed: rebuilt whole, not trusted */
        char msg[sizeof why.msg + 64];
        snprintf(msg, sizeof msg, "the published index is damaged (%s); rebuilding it whole",
                 why.msg);
        if (warn) warn(warn_ctx, o->index_dir, msg);
        return QI_UPDATE_FULL;
    }
    if (ql_index_open(o->index_dir, &p->idx, &why) != 0) return QI_UPDATE_FULL;
    p->have_idx = 1;
    return 0;
}

/* What an index that stays as it is holds, as an update reports it. */
static int totals(xq_db_t *db, qi_stats_t *st, ql_err_t *e)
{
    unsigned passages = 0, articles = 0, undated = 0;
    if (xq_db_doccount(db, &passages) != XQ_OK ||
        xq_db_termfreq(db, QL_TERM_ARTICLE, strlen(QL_TERM_ARTICLE), &articles) != XQ_OK ||
        xq_db_termfreq(db, QL_TERM_UNDATED, strlen(QL_TERM_UNDATED), &undated) != XQ_OK)
        return ql_errf(e, QL_E_IO, "reading the index: %s", xq_db_error(db));
    st->passages = passages;
    st->articles = articles;
    st->undated = undated;
    return 0;
}

int qi_update(const qi_options_t *o, qi_writer_t *w, const qi_file_t *files, size_t n,
              const ql_buf_t *roots, const ql_buf_t *paths, qi_warn_fn warn, void *warn_ctx,
              qi_stats_t *st, ql_err_t *e)
{
    plan_t p = {0};
    ql_buf_t m = {0}, kept = {0};
    int rc = open_current(o, &p, warn, warn_ctx);
    if (rc != 0) return rc;
    rc = QI_UPDATE_FULL;
    if (!same_build(o, p.idx.db, roots, paths) ||
        xq_db_get_metadata(p.idx.db, QL_META_MANIFEST, &p.manifest, NULL) != XQ_OK ||
        xq_db_get_metadata(p.idx.db, QL_META_FILES, &p.count, NULL) != XQ_OK)
        goto done;
    p.files_before = p.count ? strtoul(p.count, NULL, 10) : 0;
    if (!manifest_whole(p.manifest)) goto done; /* unreadable: rebuilt whole, never doubled */
    rc = -1;
    if (classify(&p, files, n, st, e) != 0) goto done;
    if (!st->changed && !st->added && !st->removed) {
        st->files = p.files_before;
        st->generation = generation_of(p.idx.path);
        rc = totals(p.idx.db, st, e) == 0 ? QI_UPDATE_NOTHING : -1;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        qi_manifest_add(&m, files[i].root, files[i].relpath, files[i].size, files[i].mtime_ns,
                        p.hash[i]);
    if (m.oom) {
        ql_errf(e, QL_E_NOMEM, "out of memory");
        goto done;
    }
    if (kept_skipped(&p, files, n, &kept, e) != 0 || kept_spans(&p, n, e) != 0) goto done;
    const qi_meta_t meta = {.roots = roots,
                            .paths = paths,
                            .manifest = &m,
                            .skipped = &kept,
                            .all = files,
                            .nall = n,
                            .spans = p.spans};
    if (apply(&p, w, files, n, &meta, e) == 0) rc = QI_UPDATE_DONE;
done:
    plan_free(&p);
    ql_buf_free(&m);
    ql_buf_free(&kept);
    return rc;
}
