/*
 * regroup.c - replays stored near-duplicate signatures in file order
 * (regroup.h). Two shapes of the same replay: across the shards a full
 * build's workers wrote (each later shard's signatures against the first
 * shard's table, in docid order), and over a whole copied generation (every
 * file's passages, in the walk's order, against a fresh table). Either way a
 * document is rewritten only when its group key changes.
 *
 * An update whose passages stand apart from the kept ones replays only its
 * own. A passage joins the group of the first earlier one like it and takes
 * its key, so a kept passage that holds no removed passage's key was never
 * joined to one, and removing them changes no kept group; and when no kept
 * passage is like any of the update's passages (sharing a band and
 * near-identical, a symmetric relation), adding them changes none either.
 * The update's passages then group among themselves, in file order, as the
 * whole replay would group them; anything else falls back to the whole
 * replay.
 */
#include "regroup.h"

#include "buf.h"
#include "layout.h"
#include "neardup.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    qi_neardup_t *table;
    xq_wdb_t *db;
    ql_err_t *e;
} replay_t;

/* One stored passage of a later shard, in docid (= file) order. */
static int replay_one(void *ctx, xq_docid_t docid, const char *sig, size_t slen,
                      const char *cur_key, size_t clen)
{
    replay_t *r = ctx;
    uint64_t cur = 0;
    if (slen != QL_SIG_BYTES || !ql_key_decode(cur_key, clen, &cur)) return 0;
    return qi_regroup_replay(r->table, r->db, docid, (const unsigned char *)sig, cur, r->e);
}

int qi_regroup_shards(qi_shard_t *sh, size_t k, ql_err_t *e)
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

/* Every document's group key (slot QL_SLOT_DUP) and stored signature (slot
 * QL_SLOT_SIG), read in two sequential passes over the value streams,
 * indexed by docid. */
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

static int read_values(xq_wdb_t *db, values_t *vs)
{
    if (xq_wdb_last_docid(db, &vs->last) != XQ_OK) return -1;
    vs->key = calloc((size_t)vs->last + 1, sizeof *vs->key);
    vs->sig_at = calloc((size_t)vs->last + 1, sizeof *vs->sig_at);
    if (!vs->key || !vs->sig_at) {
        vs->oom = 1;
        return -1;
    }
    if (xq_wdb_value_stream(db, QL_SLOT_DUP, take_key, vs) != XQ_OK ||
        xq_wdb_value_stream(db, QL_SLOT_SIG, take_sig, vs) != XQ_OK)
        return -1;
    return 0;
}

/* Fills the spans of files[0..n) not known yet (count QI_SPAN_UNKNOWN)
 * from their path terms; 1 when every file's docids follow on, 0 when one
 * file's do not (the order is then not kept), -1 on error. */
static int look_up_spans(xq_wdb_t *db, const qi_file_t *files, size_t n, ql_span_t *spans,
                         ql_buf_t *t)
{
    int contiguous = 1;
    for (size_t i = 0; i < n; i++) {
        if (spans[i].count != QI_SPAN_UNKNOWN) continue;
        ql_buf_reset(t);
        ql_term_path(t, files[i].root, files[i].relpath, strlen(files[i].relpath));
        xq_docid_t *ids = NULL;
        size_t nids = 0;
        if (t->oom || xq_wdb_postings(db, t->data, t->len, &ids, &nids) != XQ_OK) {
            free(ids);
            return -1;
        }
        spans[i].first = nids ? ids[0] : 0;
        spans[i].count = (uint32_t)nids;
        for (size_t j = 1; j < nids; j++) contiguous &= ids[j] == ids[0] + j;
        free(ids);
    }
    return contiguous;
}

/* Whether the spans add up to the documents of db: a guard against an
 * order that is not this generation's (its fingerprint is the real check). */
static int spans_cover(xq_wdb_t *db, const ql_span_t *spans, size_t n)
{
    size_t docs = 0;
    uint64_t sum = 0;
    if (xq_wdb_doccount(db, &docs) != XQ_OK) return 0;
    for (size_t i = 0; i < n; i++) sum += spans[i].count;
    return sum == docs;
}

static int by_value(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Whether a kept passage (docid before first_new) holds one of the removed
 * passages' group keys (1), or not (0); -1 when out of memory. Identical
 * short passages share a key without being grouped: they only cost the
 * shortcut. */
static int gone_key_kept(const values_t *vs, const qi_regroup_change_t *c)
{
    if (!c->ngone) return 0;
    uint64_t *g = malloc(c->ngone * sizeof *g);
    if (!g) return -1;
    memcpy(g, c->gone, c->ngone * sizeof *g);
    qsort(g, c->ngone, sizeof *g, by_value);
    int found = 0;
    for (xq_docid_t d = 1; !found && d < c->first_new && d <= vs->last; d++)
        found = vs->key[d] && bsearch(&vs->key[d], g, c->ngone, sizeof *g, by_value) != NULL;
    free(g);
    return found;
}

static int sig_of(const values_t *vs, xq_docid_t d, ql_sig_t *s)
{
    return d <= vs->last && vs->sig_at[d] &&
           ql_sig_decode((const char *)vs->sigs + (size_t)(vs->sig_at[d] - 1) * QL_SIG_BYTES,
                         QL_SIG_BYTES, s);
}

/* The shortcut: the update's passages grouped alone, in file order, into
 * table; 1 when that is every group's answer (the changed keys are then
 * written), 0 when a kept passage is involved (nothing written), -1 on
 * error. A kept passage is asked against every one of the update's
 * passages, not only the first of each group: in the whole replay a later
 * one may join a kept passage it is like before the update's own group. */
static int regroup_own(xq_wdb_t *db, const values_t *vs, const ql_span_t *spans, size_t n,
                       const qi_regroup_change_t *c, qi_neardup_t *table, ql_err_t *e)
{
    const int kept = gone_key_kept(vs, c);
    if (kept != 0) return kept < 0 ? ql_errf(e, QL_E_NOMEM, "out of memory") : 0;
    if (c->first_new > vs->last) return 1; /* nothing added */
    uint64_t *want = calloc((size_t)(vs->last - c->first_new) + 1, sizeof *want);
    qi_neardup_t *every = qi_neardup_new();
    int rc = 1;
    ql_sig_t s;
    if (!want || !every) {
        rc = ql_errf(e, QL_E_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; rc == 1 && i < n; i++)
        for (uint32_t j = 0; rc == 1 && j < spans[i].count; j++) {
            const xq_docid_t d = spans[i].first + j;
            if (d < c->first_new || !sig_of(vs, d, &s)) continue;
            qi_minhash_t m = {{0}, 0, QI_NEARDUP_MIN_WORDS}; /* stored: long enough */
            memcpy(m.mins, s.mins, sizeof m.mins);
            if (qi_neardup_key(table, &m, s.own, &want[d - c->first_new]) != 0 ||
                qi_neardup_add(every, s.mins, s.own) != 0)
                rc = ql_errf(e, QL_E_NOMEM, "out of memory");
        }
    for (xq_docid_t d = 1; rc == 1 && d < c->first_new && d <= vs->last; d++)
        if (sig_of(vs, d, &s) && qi_neardup_joins(every, s.mins)) rc = 0;
    for (xq_docid_t d = c->first_new; rc == 1 && d <= vs->last; d++) {
        const uint64_t k = want[d - c->first_new];
        if (k && vs->sig_at[d] && k != vs->key[d] && qi_regroup_doc(db, d, vs->key[d], k, e) != 0)
            rc = -1;
    }
done:
    qi_neardup_free(every);
    free(want);
    return rc;
}

int qi_regroup_files(xq_wdb_t *db, const qi_file_t *files, size_t n, ql_span_t *spans,
                     const qi_regroup_change_t *change, int *order_ok, ql_err_t *e)
{
    values_t vs = {0};
    qi_neardup_t *table = qi_neardup_new();
    ql_buf_t t = {0};
    int rc = -1;
    *order_ok = 0;
    if (!table || read_values(db, &vs) != 0) goto fail;
    int given = 0;
    for (size_t i = 0; i < n; i++) given |= spans[i].count != QI_SPAN_UNKNOWN;
    int ok = look_up_spans(db, files, n, spans, &t);
    int cover = ok >= 0 && spans_cover(db, spans, n);
    if (ok >= 0 && given && !cover) { /* the order given was wrong: ask every file */
        for (size_t i = 0; i < n; i++) spans[i].count = QI_SPAN_UNKNOWN;
        ok = look_up_spans(db, files, n, spans, &t);
        cover = ok >= 0 && spans_cover(db, spans, n);
    }
    if (ok < 0) goto fail;
    *order_ok = ok == 1 && cover;
    if (change && *order_ok) {
        rc = regroup_own(db, &vs, spans, n, change, table, e);
        if (rc != 0) goto done; /* done, or failed */
        qi_neardup_free(table); /* a kept passage is involved: the whole replay */
        if (!(table = qi_neardup_new())) goto fail;
    }
    if (qi_neardup_reserve(table, vs.nsigs) != 0) {
        vs.oom = 1;
        goto fail;
    }
    rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        for (uint32_t j = 0; rc == 0 && j < spans[i].count; j++) {
            const xq_docid_t d = spans[i].first + j;
            if (d > vs.last || !vs.sig_at[d]) continue; /* too short to group */
            rc = qi_regroup_replay(
                table, db, d, vs.sigs + (size_t)(vs.sig_at[d] - 1) * QL_SIG_BYTES, vs.key[d], e);
        }
    }
    goto done;
fail:
    rc = ql_errf(e, t.oom || !table || vs.oom ? QL_E_NOMEM : QL_E_IO, "reading the index: %s",
                 xq_wdb_error(db));
done:
    rc = rc < 0 ? -1 : 0;
    free(vs.key);
    free(vs.sig_at);
    free(vs.sigs);
    ql_buf_free(&t);
    qi_neardup_free(table);
    return rc;
}
