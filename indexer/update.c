/*
 * update.c - incremental indexing (update.h).
 *
 * Change detection is the manifest's: a file whose size and mtime match its
 * record is unchanged; otherwise its bytes are hashed, and a file that was
 * only touched is unchanged too. The copy of the current generation is made
 * with copy_file_range(), which filesystems with reflinks do without copying
 * data. Files are deleted through their P term; group keys are replayed over
 * every stored signature in file order (neardup.h), exactly as a full build
 * assigns them, and only documents whose key changes are rewritten.
 */
#include "update.h"

#include "file.h"

#include "index.h"
#include "integrity.h"
#include "layout.h"
#include "manifest.h"
#include "neardup.h"
#include "xq.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SAME, CHANGED, ADDED };

typedef struct {
    qi_manifest_rec_t r;
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

/* Copies the regular files of generation dir from into the new dir to. */
static int copy_generation(const char *from, const char *to, ql_err_t *e)
{
    if (mkdir(to, 0777) != 0 && errno != EEXIST)
        return ql_errf(e, QL_E_IO, "%s: %s", to, strerror(errno));
    DIR *d = opendir(from);
    if (!d) return ql_errf(e, QL_E_IO, "%s: %s", from, strerror(errno));
    int rc = 0;
    const struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "flintlock") == 0) continue;
        char a[8192], b[8192];
        snprintf(a, sizeof a, "%s/%s", from, de->d_name);
        snprintf(b, sizeof b, "%s/%s", to, de->d_name);
        if (ql_file_copy(a, b) != 0) rc = ql_errf(e, QL_E_IO, "%s: %s", b, strerror(errno));
    }
    closedir(d);
    return rc;
}

static void path_term(ql_buf_t *t, uint32_t root, const char *relpath, size_t len)
{
    ql_buf_reset(t);
    ql_term_path(t, root, relpath, len);
}

/* Deletes a file's passages; *had says whether it had any. */
static int delete_file(xq_wdb_t *db, ql_buf_t *t, int *had, ql_err_t *e)
{
    xq_docid_t *ids = NULL;
    size_t n = 0;
    xq_status_t st = xq_wdb_postings(db, t->data, t->len, &ids, &n);
    free(ids);
    *had = n > 0;
    if (st == XQ_OK && n) st = xq_wdb_delete_term(db, t->data, t->len);
    return st == XQ_OK ? 0 : ql_errf(e, QL_E_IO, "writing the index: %s", xq_wdb_error(db));
}

/* Every document's group key (slot 0) and stored signature (slot 2), read
 * in two sequential passes over the value streams, indexed by docid. */
typedef struct {
    uint64_t *key;       /* by docid; 0: no document */
    uint32_t *sig_at;    /* by docid: 1 + index into sigs; 0: none */
    unsigned char *sigs; /* QL_SIG_BYTES each */
    size_t nsigs, capsigs;
    xq_docid_t last;
    int oom;
} values_t;

static int take_key(void *ctx, xq_docid_t docid, const char *v, size_t len)
{
    values_t *vs = ctx;
    uint64_t k = 0;
    if (docid > vs->last || !ql_key_decode(v, len, &k)) return 0;
    vs->key[docid] = k;
    return 0;
}

static int take_sig(void *ctx, xq_docid_t docid, const char *v, size_t len)
{
    values_t *vs = ctx;
    if (docid > vs->last || len != QL_SIG_BYTES) return 0;
    if (vs->nsigs == vs->capsigs) {
        const size_t cap = vs->capsigs ? vs->capsigs * 2 : 4096;
        unsigned char *p = realloc(vs->sigs, cap * QL_SIG_BYTES);
        if (!p) {
            vs->oom = 1;
            return -1;
        }
        vs->sigs = p;
        vs->capsigs = cap;
    }
    memcpy(vs->sigs + vs->nsigs * QL_SIG_BYTES, v, QL_SIG_BYTES);
    vs->sig_at[docid] = (uint32_t)++vs->nsigs;
    return 0;
}

/* Recomputes every group key in file order from the stored signatures and
 * rewrites the documents whose key changes. */
static int regroup_all(xq_wdb_t *db, const qi_file_t *files, size_t n, ql_err_t *e)
{
    values_t vs = {0};
    qi_neardup_t *table = qi_neardup_new();
    ql_buf_t t = {0};
    int rc = -1;
    if (!table || xq_wdb_last_docid(db, &vs.last) != XQ_OK) goto fail;
    vs.key = calloc((size_t)vs.last + 1, sizeof *vs.key);
    vs.sig_at = calloc((size_t)vs.last + 1, sizeof *vs.sig_at);
    if (!vs.key || !vs.sig_at) goto fail;
    if (xq_wdb_value_stream(db, QL_SLOT_DUP, take_key, &vs) != XQ_OK ||
        xq_wdb_value_stream(db, QL_SLOT_SIG, take_sig, &vs) != XQ_OK)
        goto fail;
    rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        path_term(&t, files[i].root, files[i].relpath, strlen(files[i].relpath));
        xq_docid_t *ids = NULL;
        size_t nids = 0;
        if (t.oom || xq_wdb_postings(db, t.data, t.len, &ids, &nids) != XQ_OK) goto fail;
        for (size_t j = 0; rc == 0 && j < nids; j++) {
            const xq_docid_t d = ids[j];
            if (d > vs.last || !vs.sig_at[d]) continue; /* too short to group */
            rc = qi_regroup_replay(
                table, db, d, vs.sigs + (size_t)(vs.sig_at[d] - 1) * QL_SIG_BYTES, vs.key[d], e);
        }
        free(ids);
    }
    goto done;
fail:
    rc = ql_errf(e, t.oom || !table || !vs.key || !vs.sig_at || vs.oom ? QL_E_NOMEM : QL_E_IO,
                 "reading the index: %s", xq_wdb_error(db));
done:
    free(vs.key);
    free(vs.sig_at);
    free(vs.sigs);
    ql_buf_free(&t);
    qi_neardup_free(table);
    return rc;
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

int qi_update(const qi_options_t *o, ql_gen_t *gen, const qi_file_t *files, size_t n,
              const ql_buf_t *roots, const ql_buf_t *paths, qi_warn_fn warn, void *warn_ctx,
              qi_stats_t *st, ql_err_t *e)
{
    ql_index_t idx;
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
    if (ql_index_open(o->index_dir, &idx, &why) != 0) return QI_UPDATE_FULL;
    int rc = QI_UPDATE_FULL, have_idx = 1;
    char *manifest = NULL, *count = NULL;
    old_t *old = NULL;
    unsigned char *state = NULL;
    uint64_t *hash = NULL;
    qi_file_t *redo = NULL;
    xq_wdb_t *db = NULL;
    qi_shard_t sh = {0};
    ql_buf_t t = {0}, m = {0};
    size_t nold = 0, nredo = 0, changed = 0, added = 0, removed = 0, files_before = 0;

    char sl[32];
    ql_buf_t slice = {0};
    qi_slice_format(&o->slice, sl, sizeof sl);
    ql_buf_adds(&slice, sl);
    int same_slice = meta_equal(idx.db, QL_META_SLICE, &slice);
    ql_buf_reset(&slice);
    qi_read_cfg_format(&o->read, &slice); /* files read another way: rebuild */
    same_slice = same_slice && meta_equal(idx.db, QL_META_READER, &slice);
    ql_buf_free(&slice);
    if (!same_slice || !meta_equal(idx.db, QL_META_ROOTS, roots) ||
        !meta_equal(idx.db, QL_META_PATHS, paths) ||
        xq_db_get_metadata(idx.db, QL_META_MANIFEST, &manifest, NULL) != XQ_OK ||
        xq_db_get_metadata(idx.db, QL_META_FILES, &count, NULL) != XQ_OK)
        goto done;
    files_before = count ? strtoul(count, NULL, 10) : 0;
    for (const char *p = manifest; *p; p++) nold += *p == '\n';
    old = calloc(nold + 1, sizeof *old);
    state = calloc(n + 1, 1);
    hash = calloc(n + 1, sizeof *hash);
    redo = calloc(n + 1, sizeof *redo);
    if (!old || !state || !hash || !redo) {
        rc = ql_errf(e, QL_E_NOMEM, "out of memory");
        goto done;
    }
    nold = 0;
    for (const char *p = manifest; qi_manifest_next(&p, &old[nold].r) == 1;) nold++;
    qsort(old, nold, sizeof *old, by_key);

    for (size_t i = 0; i < n; i++) {
        old_t *r = find(old, nold, &files[i]);
        if (r) r->seen = 1;
        if (r && r->r.size == files[i].size && r->r.mtime_ns == files[i].mtime_ns &&
            r->r.hash != QI_HASH_UNREAD) {
            hash[i] = r->r.hash;
            continue;
        }
        int ok = 0;
        hash[i] = qi_hash_file(files[i].path, &ok);
        if (r && ok && hash[i] == r->r.hash) continue; /* touched, not changed */
        state[i] = r ? CHANGED : ADDED;
        changed += state[i] == CHANGED;
        added += state[i] == ADDED;
        redo[nredo++] = files[i];
    }
    for (size_t i = 0; i < nold; i++) removed += !old[i].seen;
    st->changed = changed;
    st->added = added;
    st->removed = removed;
    st->unchanged = n - changed - added;
    if (!changed && !added && !removed) {
        st->files = files_before;
        st->generation = generation_of(idx.path);
        ql_gen_abort(gen);
        rc = QI_UPDATE_NOTHING;
        goto done;
    }

    rc = -1;
    if (copy_generation(idx.path, gen->tmp, e) != 0) goto done;
    ql_abort_point("copied");
    ql_index_close(&idx);
    have_idx = 0;
    const xq_status_t xs = xq_wdb_open(gen->tmp, XQ_WDB_NOSYNC, &db);
    if (xs != XQ_OK) {
        ql_errf(e, QL_E_IO, "%s: cannot open the copy: %s", gen->tmp,
                db ? xq_wdb_error(db) : xq_status_text(xs));
        goto done;
    }
    size_t files_gone = 0;
    for (size_t i = 0; i < nold; i++) {
        if (old[i].seen) continue;
        int had = 0;
        path_term(&t, old[i].r.root, old[i].r.relpath, old[i].r.relpath_len);
        if (t.oom || delete_file(db, &t, &had, e) != 0) goto done;
        files_gone += had;
    }
    for (size_t i = 0; i < n; i++) {
        if (state[i] != CHANGED) continue;
        int had = 0;
        path_term(&t, files[i].root, files[i].relpath, strlen(files[i].relpath));
        if (t.oom || delete_file(db, &t, &had, e) != 0) goto done;
        files_gone += had;
    }

    qi_progress_counters_t pc;
    atomic_init(&pc.files, 0);
    atomic_init(&pc.bytes, 0);
    atomic_init(&pc.stop, 0);
    sh.db = db;
    sh.db_path = gen->tmp;
    sh.files = redo;
    sh.nfiles = nredo;
    sh.progress = &pc;
    sh.cfg = &o->read;
    const int srun = qi_shard_run(&sh);
    sh.db = NULL; /* still ours */
    for (size_t i = 0; i < sh.warnings.len;) {
        const char *path = sh.warnings.data + i;
        const char *msg = path + strlen(path) + 1;
        if (warn) warn(warn_ctx, path, msg);
        i = (size_t)(msg + strlen(msg) + 1 - sh.warnings.data);
    }
    st->warnings += sh.st.warnings;
    st->skipped += sh.st.skipped;
    st->bytes += sh.st.bytes;
    st->articles += sh.st.articles;
    st->undated += sh.st.undated;
    if (srun != 0) {
        *e = sh.e;
        goto done;
    }
    if (regroup_all(db, files, n, e) != 0) goto done;

    for (size_t i = 0; i < n; i++)
        qi_manifest_add(&m, files[i].root, files[i].relpath, files[i].size, files[i].mtime_ns,
                        hash[i]);
    size_t passages = 0;
    st->files =
        files_before + sh.st.files - (files_gone < files_before ? files_gone : files_before);
    char num[2][32];
    if (m.oom || xq_wdb_doccount(db, &passages) != XQ_OK) {
        ql_errf(e, QL_E_NOMEM, "out of memory");
        goto done;
    }
    st->passages = passages;
    snprintf(num[0], sizeof num[0], "%zu", st->files);
    snprintf(num[1], sizeof num[1], "%zu", passages);
    if (xq_wdb_set_metadata(db, QL_META_MANIFEST, m.data ? m.data : "", m.len) != XQ_OK ||
        xq_wdb_set_metadata(db, QL_META_FILES, num[0], strlen(num[0])) != XQ_OK ||
        xq_wdb_set_metadata(db, QL_META_PASSAGES, num[1], strlen(num[1])) != XQ_OK ||
        xq_wdb_commit(db) != XQ_OK || xq_wdb_close(db) != XQ_OK) {
        ql_errf(e, QL_E_IO, "%s: cannot commit the index: %s", o->index_dir, xq_wdb_error(db));
        goto done;
    }
    if (ql_integrity_write(gen->tmp, st->passages, st->files, qi_content_hash(m.data, m.len), 0,
                           e) != 0 ||
        ql_gen_publish(gen, e) != 0)
        goto done;
    st->generation = gen->number;
    st->jobs = 1;
    rc = QI_UPDATE_DONE;
done:
    if (have_idx) ql_index_close(&idx);
    xq_wdb_free(db);
    qi_shard_free(&sh);
    ql_buf_free(&t);
    ql_buf_free(&m);
    free(manifest);
    free(count);
    free(old);
    free(state);
    free(hash);
    free(redo);
    return rc;
}
