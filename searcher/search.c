/*
 * search.c - runs a query against an open index and hands back ranked,
 * snippeted, de-duplicated hits (search.h).
 *
 * Steps: parse (query.c) -> Xapian BM25 with identical passages collapsed ->
 * coverage re-rank of the top `depth` candidates -> for each hit in the
 * requested window: decode its record, build its snippet, list the other
 * places its text appears (postings of its H<hash> term) -> callback.
 * A reader that falls behind a writer (XQ_MODIFIED) reopens and retries once.
 */
#include "search.h"

#include "date.h"
#include "index.h"
#include "layout.h"
#include "query.h"
#include "shards.h"
#include "suggest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* Relative difference below which two scores are a tie (see tied()). */
#define QS_TIE_EPSILON 1e-9

struct qs_searcher {
    qs_shards_t set; /* the indexes searched, as one database */
    qt_pipeline_t *pipe;
    qs_snippet_t snip;
    ql_buf_t suggestion;
    qs_termlist_t asked;   /* terms whose frequencies to fetch at once (prefetch_freqs) */
    int correcting;        /* the current search is of suggestion (search_corrected) */
    ql_buf_t warning;      /* why the current query was read plainly */
    qs_termlist_t ignored; /* the current query's stopwords left out */
    qs_termlist_t typos;   /* terms of the query's words that did-you-mean corrected */
    qs_feedback_t fb;      /* the current search's feedback terms, for --explain */
    qs_explain_t explain;
    qs_aliases_t aliases;
    char lang_codes[16][8]; /* the index's languages with a stemmer of their own ... */
    const char *langs[16];  /* ... as qs_query_opts_t.langs */
    size_t nlangs;
    int english;        /* the index holds English passages */
    unsigned langs_for; /* set.combined + 1 when they were read; 0: not read */
};

typedef struct {
    size_t i; /* index in the mset */
    unsigned docid;
    double score;
    uint64_t key;  /* collapse key: orders ties before their places are read */
    int furniture; /* boilerplate: ranks after every real paragraph */
    int heading;   /* its article's title alone: below paragraphs covering as much */
    double share;  /* short queries: the share of the query it covers */
    /* where the passage is, read only for tied candidates (place_ties) */
    uint32_t root;
    char *path;
    uint64_t byte;
    char *rec; /* its record, when read for that (malloc'd) */
    size_t rec_len;
} cand_t;

void qs_options_default(qs_options_t *o)
{
    memset(o, 0, sizeof *o);
    o->limit = 10;
    /* 1000 re-ranked no differently from 100 or 300 (top 10 of 240 SOTU
     * and 30 corpus queries, docs/BENCHMARKS.md) and cost 1.5x the time */
    o->depth = 200;
    /* Chosen by 5-fold cross-validation on Cranfield (docs/RELEVANCE.md). */
    o->coord = 2.0;
    o->coord_max = 5;
    o->min_share = 0.5;
    o->k1 = 1.6;
    o->b = 0.6;
    o->title = 0.3;
    o->prf_docs = 10;
    o->prf_terms = 20;
    o->prf_weight = 1.4;
    o->snippet_width = 200;
    o->suggest = 1;
    o->prox = 1.0;
    o->prox_apart = -1;
}

int qs_open(const char *dir, qs_searcher_t **out, ql_err_t *e)
{
    return qs_open_many(&dir, 1, NULL, out, e);
}

int qs_open_many(const char *const *specs, size_t n, const qs_open_opts_t *oo, qs_searcher_t **out,
                 ql_err_t *e)
{
    *out = NULL;
    qs_searcher_t *s = calloc(1, sizeof *s);
    if (!s) return ql_errf(e, QL_E_NOMEM, "out of memory");
    const unsigned timeout = oo && oo->timeout_ms ? oo->timeout_ms : QS_DEFAULT_TIMEOUT_MS;
    if (qs_shards_open(&s->set, specs, n, timeout, oo && oo->allow_partial, e) != 0) {
        free(s);
        return -1;
    }
    if (!(s->pipe = qt_pipeline_new())) {
        qs_close(s);
        return ql_errf(e, QL_E_NOMEM, "out of memory");
    }
    /* The shipped aliases, then the user's own. */
    char user[4096];
    const char *cfg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (cfg && *cfg)
        snprintf(user, sizeof user, "%s/quire/aliases.txt", cfg);
    else if (home && *home)
        snprintf(user, sizeof user, "%s/.config/quire/aliases.txt", home);
    else
        user[0] = '\0';
    if (qs_aliases_parse(&s->aliases, s->pipe, qs_default_aliases, strlen(qs_default_aliases),
                         "built-in aliases", e) != 0 ||
        (user[0] && qs_aliases_load(&s->aliases, s->pipe, user, 0, e) != 0)) {
        qs_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

int qs_searcher_complete(qs_searcher_t *s, const char *text, size_t len, size_t max, qs_word_fn fn,
                         void *ctx, ql_err_t *e)
{
    return qs_complete(s->set.db, s->pipe, text, len, max, fn, ctx, e);
}

int qs_add_aliases(qs_searcher_t *s, const char *path, ql_err_t *e)
{
    return qs_aliases_load(&s->aliases, s->pipe, path, 1, e);
}

void qs_close(qs_searcher_t *s)
{
    if (!s) return;
    qs_shards_close(&s->set);
    qt_pipeline_free(s->pipe);
    qs_snippet_free(&s->snip);
    ql_buf_free(&s->suggestion);
    ql_buf_free(&s->warning);
    qs_termlist_free(&s->ignored);
    qs_termlist_free(&s->typos);
    qs_termlist_free(&s->fb.terms);
    free(s->fb.scale);
    qs_explain_free(&s->explain);
    qs_aliases_free(&s->aliases);
    free(s);
}

/* Two places in corpus order: root, then path component by component (as
 * the walk sorts a folder's names), then byte offset. */
static int by_place_in_corpus(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    if (x->root != y->root) return x->root < y->root ? -1 : 1;
    const char *p = x->path, *q = y->path;
    for (;;) {
        const size_t n = strcspn(p, "/"), m = strcspn(q, "/");
        const int c = strncmp(p, q, n < m ? n : m);
        if (c) return c;
        if (n != m) return n < m ? -1 : 1;
        if (!p[n] || !q[m]) {
            if (p[n] != q[m]) return p[n] ? 1 : -1;
            break;
        }
        p += n + 1;
        q += m + 1;
    }
    return x->byte < y->byte ? -1 : x->byte > y->byte;
}

/* The local index a docid is from; NULL when its shard is remote. */
static const ql_index_t *local_of(const qs_searcher_t *s, xq_docid_t docid)
{
    const qs_shard_t *sh = qs_shards_of(&s->set, docid);
    return sh->host ? NULL : &sh->idx;
}

static int xq_err(qs_searcher_t *s, xq_status_t st, ql_err_t *e);

/* Whether two scores are equal but for rounding: one index and the same
 * passages over several shards add up the same weights in other orders,
 * so an exact tie in one may differ in the last bits in the other. */
static int tied(double a, double b)
{
    return fabs(a - b) <= QS_TIE_EPSILON * fmax(1.0, fabs(a));
}

/* Frees what each of c[0..n) holds (its place and record), not c. */
static void clear_cands(cand_t *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++) {
        free(c[i].path);
        free(c[i].rec);
    }
}

/* Sets where c is (root, path, byte) from its record c->rec; c->path is
 * malloc'd. XQ_CORRUPT: the record is malformed. */
static xq_status_t read_place(cand_t *c)
{
    ql_passage_t p;
    if (ql_record_decode(c->rec, c->rec_len, &p) != 0) return XQ_CORRUPT;
    free(c->path);
    c->path = strndup(p.path, p.path_len);
    c->root = p.root;
    c->byte = p.byte_start;
    return c->path ? XQ_OK : XQ_NOMEM;
}

/* Reads the records of the n candidates whose pick[] is set (pick NULL:
 * all) into their rec, all at once (over remote shards, every shard asked
 * side by side). */
static xq_status_t read_recs(qs_searcher_t *s, cand_t *c, size_t n, const unsigned char *pick)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) m += !pick || pick[i];
    if (!m) return XQ_OK;
    xq_docid_t *ids = calloc(m ? m : 1, sizeof *ids);
    char **data = calloc(m ? m : 1, sizeof *data);
    size_t *lens = calloc(m ? m : 1, sizeof *lens);
    xq_status_t st = ids && data && lens ? XQ_OK : XQ_NOMEM;
    for (size_t i = 0, k = 0; st == XQ_OK && i < n; i++)
        if (!pick || pick[i]) ids[k++] = c[i].docid;
    if (st == XQ_OK) st = xq_db_get_data_many(s->set.db, ids, m, data, lens);
    for (size_t i = 0, k = 0; data && lens && i < n; i++) {
        if (pick && !pick[i]) continue;
        free(c[i].rec);
        c[i].rec = data[k];
        c[i].rec_len = lens[k++];
    }
    free(ids);
    free(data);
    free(lens);
    return st;
}

/* The end of the run of candidates from c[i] on tied with it (as score
 * and furniture order them). */
static size_t tie_run_end(const cand_t *c, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && tied(c[j].score, c[i].score) && c[j].furniture == c[i].furniture) j++;
    return j;
}

/* Candidates of equal score are put in corpus order (by_place_in_corpus):
 * what one index's docid order gives after a full build, and the same
 * however the corpus is sharded. Only the runs of ties among the first
 * `want` are read, and their records kept for read_hits. XQ_CORRUPT:
 * passage *bad has a malformed record. */
static xq_status_t place_ties(qs_searcher_t *s, cand_t *c, size_t n, size_t want, xq_docid_t *bad)
{
    unsigned char *pick = calloc(n ? n : 1, 1);
    xq_status_t st = pick ? XQ_OK : XQ_NOMEM;
    for (size_t i = 0; st == XQ_OK && i < n && i < want;) {
        const size_t j = tie_run_end(c, n, i);
        if (j - i > 1) memset(pick + i, 1, j - i);
        i = j;
    }
    if (st == XQ_OK) st = read_recs(s, c, n, pick);
    for (size_t k = 0; st == XQ_OK && k < n; k++)
        if (pick[k] && (st = read_place(&c[k])) == XQ_CORRUPT) *bad = c[k].docid;
    /* the same runs: reading places changes no score */
    for (size_t i = 0; st == XQ_OK && i < n && i < want;) {
        const size_t j = tie_run_end(c, n, i);
        if (j - i > 1) qsort(c + i, j - i, sizeof *c, by_place_in_corpus);
        i = j;
    }
    free(pick);
    return st;
}

/* --sort=date: the MSet's own order (date, then relevance), boilerplate
 * included: the order is the calendar's. */
static int by_date(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int by_score(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    if (x->furniture != y->furniture) return x->furniture - y->furniture;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->docid < y->docid ? -1 : x->docid > y->docid;
}

/* The absolute root of root id `id` in the shard holding docid. */
static const char *root_of(const qs_searcher_t *s, xq_docid_t docid, uint32_t id)
{
    const ql_index_t *idx = &qs_shards_of(&s->set, docid)->idx;
    return id < idx->nroots ? idx->roots[id] : "";
}

static int xq_err(qs_searcher_t *s, xq_status_t st, ql_err_t *e)
{
    return ql_err_xq(e, st, "%s: %s", qs_shards_name(&s->set),
                     *xq_db_error(s->set.db) ? xq_db_error(s->set.db) : xq_status_text(st));
}

/* Mset item i's group key (value slot 0); *has is 0 when it has none. */
static xq_status_t mset_key(xq_mset_t *m, size_t i, uint64_t *key, int *has)
{
    char v[16];
    size_t len = 0;
    const xq_status_t st = xq_mset_collapse_key(m, i, v, sizeof v, &len);
    *has = ql_key_decode(v, st == XQ_OK ? len : 0, key);
    return st;
}

/* The passages of some groups, read in one search (a remote index): in
 * order of key, then docid. */
typedef struct {
    uint64_t key;
    xq_docid_t docid;
} member_t;

typedef struct {
    member_t *v;
    size_t n, cap;
    int oom;
} members_t;

static int take_member(void *ctx, xq_docid_t docid, uint64_t bits, const char *v, size_t len,
                       const char *v2, size_t len2)
{
    (void)bits, (void)v2, (void)len2;
    members_t *g = ctx;
    uint64_t key = 0;
    if (!ql_key_decode(v, len, &key)) return 0;
    if (g->n == g->cap) {
        const size_t cap = g->cap ? 2 * g->cap : 64;
        member_t *t = realloc(g->v, cap * sizeof *t);
        if (!t) return g->oom = 1;
        g->v = t;
        g->cap = cap;
    }
    g->v[g->n++] = (member_t){key, docid};
    return 0;
}

/* The first of base[0..n) (sorted by cmp) not before key. */
static size_t lower_bound(const void *base, size_t n, size_t size, const void *key,
                          int (*cmp)(const void *, const void *))
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (cmp((const char *)base + mid * size, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int by_member(const void *a, const void *b)
{
    const member_t *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->docid < y->docid ? -1 : x->docid > y->docid;
}

/* The members of group key in g, as a posting list of its H term gives
 * them (docid order): *got is malloc'd, NULL when *ngot is 0. */
static xq_status_t members_of(const members_t *g, uint64_t key, xq_docid_t **got, size_t *ngot)
{
    const member_t want = {key, 0}; /* docid 0 sorts before every member */
    const size_t lo = lower_bound(g->v, g->n, sizeof *g->v, &want, by_member);
    size_t end = lo;
    while (end < g->n && g->v[end].key == key) end++;
    *ngot = end - lo;
    *got = NULL;
    if (*ngot == 0) return XQ_OK;
    xq_docid_t *ids = malloc(*ngot * sizeof *ids);
    if (!ids) return XQ_NOMEM;
    for (size_t k = lo; k < end; k++) ids[k - lo] = g->v[k].docid;
    *got = ids;
    return XQ_OK;
}

/* Appends the passages of mset item i's group (postings of its H term, or
 * its members in g when g is set) to *ids (*n of them). */
static int add_group(qs_searcher_t *s, xq_mset_t *m, size_t i, const members_t *g, xq_docid_t **ids,
                     size_t *n, ql_err_t *e)
{
    uint64_t key = 0;
    int has = 0;
    xq_status_t st = mset_key(m, i, &key, &has);
    if (st != XQ_OK) return ql_err_xq(e, st, "%s", xq_mset_error(m));
    if (!has) return 0;
    char term[QL_GROUP_TERM_SIZE];
    ql_term_group(term, key);
    xq_docid_t *got = NULL;
    size_t ngot = 0;
    st = g ? members_of(g, key, &got, &ngot)
           : xq_db_postings(s->set.db, term, strlen(term), &got, &ngot);
    if (st != XQ_OK) return xq_err(s, st, e);
    xq_docid_t *all = ngot ? realloc(*ids, (*n + ngot) * sizeof *all) : *ids;
    if (ngot && !all) {
        free(got);
        return ql_errf(e, QL_E_NOMEM, "out of memory");
    }
    if (ngot) memcpy(all + *n, got, ngot * sizeof *got);
    *ids = all;
    *n += ngot;
    free(got);
    return 0;
}

static int by_place(const void *a, const void *b)
{
    const qs_copy_t *x = a, *y = b;
    int c = strcmp(x->root, y->root);
    if (c == 0) c = strcmp(x->path, y->path);
    if (c == 0) c = x->byte_start < y->byte_start ? -1 : x->byte_start > y->byte_start;
    return c;
}

/* The passages of the groups of mset items[0..nitems) but self: the
 * hit's copies, into *ids (malloc'd) and *n. g: the groups listed in one
 * search (remote), else each group's posting list. */
static int copy_ids(qs_searcher_t *s, xq_mset_t *m, const size_t *items, size_t nitems,
                    const members_t *g, xq_docid_t self, xq_docid_t **ids, size_t *n, ql_err_t *e)
{
    *ids = NULL;
    *n = 0;
    int rc = 0;
    for (size_t k = 0; k < nitems && rc == 0; k++) rc = add_group(s, m, items[k], g, ids, n, e);
    size_t kept = 0;
    for (size_t k = 0; rc == 0 && k < *n; k++)
        if ((*ids)[k] != self) (*ids)[kept++] = (*ids)[k];
    *n = kept;
    return rc;
}

/* A copy's place, from its record data[0..len) (passage docid). */
static int fill_copy(qs_searcher_t *s, xq_docid_t docid, const char *data, size_t len, qs_copy_t *c,
                     ql_err_t *e)
{
    ql_passage_t p;
    if (ql_record_decode(data, len, &p) != 0)
        return ql_errf(e, QL_E_CORRUPT, "%s: passage %u has a malformed record",
                       qs_shards_name(&s->set), docid);
    c->root = root_of(s, docid, p.root);
    c->path = strndup(p.path, p.path_len);
    c->line_start = p.line_start;
    c->line_end = p.line_end;
    c->byte_start = p.byte_start;
    c->byte_end = p.byte_end;
    c->part_kind = p.part_kind;
    c->part = p.part;
    return c->path ? 0 : ql_errf(e, QL_E_NOMEM, "out of memory");
}

/* The passages of the groups (H terms) of c[i] with pick[i] set (pick
 * NULL: all): an OR of their terms into *out (NULL when none is picked),
 * *nkeys of them. */
static xq_status_t groups_of(const cand_t *c, size_t n, const unsigned char *pick, xq_query_t **out,
                             size_t *nkeys)
{
    *out = NULL;
    *nkeys = 0;
    xq_query_t **keys = calloc(n ? n : 1, sizeof *keys);
    xq_status_t st = keys ? XQ_OK : XQ_NOMEM;
    for (size_t i = 0; st == XQ_OK && i < n; i++) {
        if (pick && !pick[i]) continue;
        char t[QL_GROUP_TERM_SIZE];
        ql_term_group(t, c[i].key);
        st = xq_query_term(t, strlen(t), 1, 0, &keys[*nkeys]);
        if (st == XQ_OK) ++*nkeys;
    }
    if (st == XQ_OK && *nkeys) st = xq_query_combine(XQ_OP_OR, keys, *nkeys, 0, out);
    for (size_t i = 0; keys && i < *nkeys; i++) xq_query_free(keys[i]);
    free(keys);
    return st;
}

static int by_docid(const void *a, const void *b)
{
    const xq_docid_t x = ((const cand_t *)a)->docid, y = ((const cand_t *)b)->docid;
    return x < y ? -1 : x > y;
}

/* Over a remote index, where each posting list or document comes whole
 * over the network, what the ranking needs to know of the passages of the
 * match's groups is asked once per query (take_notes): each passage's
 * prior and signature, and which of the query's coverage terms (and of
 * their readings' language terms) it holds. */
typedef struct {
    xq_docid_t docid;
    int prior; /* -1: none */
    int has_sig;
    ql_sig_t sig;
    size_t row; /* its bits: bits[row * nchunks ...] */
} note_t;

typedef struct {
    note_t *v; /* docid order, once taken */
    uint64_t *bits;
    size_t n, cap, nchunks, chunk;
    size_t nterms;   /* coverage terms asked: the first nterms of the list */
    size_t *lang_of; /* per coverage term, its language term's place, or SIZE_MAX */
    int oom;
} notes_t;

static void free_notes(notes_t *g)
{
    free(g->v);
    free(g->bits);
    free(g->lang_of);
    memset(g, 0, sizeof *g);
}

/* Where one shard's answers go (add_note, add_bits): its docids are
 * mapped to the combined database's. */
typedef struct {
    notes_t *g;
    size_t shard, nshards;
} note_sink_t;

static xq_docid_t combined_docid(const note_sink_t *to, xq_docid_t docid)
{
    return (docid - 1) * (xq_docid_t)to->nshards + (xq_docid_t)to->shard + 1;
}

static int add_note(void *ctx, xq_docid_t docid, uint64_t bits, const char *v1, size_t len1,
                    const char *v2, size_t len2)
{
    const note_sink_t *to = ctx;
    notes_t *g = to->g;
    docid = combined_docid(to, docid);
    if (g->n == g->cap) {
        const size_t cap = g->cap ? 2 * g->cap : 256;
        note_t *v = realloc(g->v, cap * sizeof *v);
        if (v) g->v = v;
        uint64_t *b = v ? realloc(g->bits, cap * g->nchunks * sizeof *b) : NULL;
        if (!b) return g->oom = 1;
        g->bits = b;
        g->cap = cap;
    }
    note_t *e = &g->v[g->n];
    *e = (note_t){.docid = docid, .prior = len2 ? (unsigned char)v2[0] : -1, .row = g->n};
    e->has_sig = ql_sig_decode(v1, len1, &e->sig) != 0;
    for (size_t c = 0; c < g->nchunks; c++) g->bits[g->n * g->nchunks + c] = 0;
    g->bits[g->n++ * g->nchunks] = bits;
    return 0;
}

static int by_note_docid(const void *a, const void *b)
{
    const xq_docid_t x = ((const note_t *)a)->docid, y = ((const note_t *)b)->docid;
    return x < y ? -1 : x > y;
}

static const note_t *note_of(const notes_t *g, xq_docid_t docid)
{
    const note_t want = {.docid = docid};
    const size_t lo = lower_bound(g->v, g->n, sizeof *g->v, &want, by_note_docid);
    return lo < g->n && g->v[lo].docid == docid ? &g->v[lo] : NULL;
}

static int add_bits(void *ctx, xq_docid_t docid, uint64_t bits, const char *v1, size_t len1,
                    const char *v2, size_t len2)
{
    (void)v1, (void)len1, (void)v2, (void)len2;
    const note_sink_t *to = ctx;
    notes_t *g = to->g;
    const note_t *e = note_of(g, combined_docid(to, docid));
    if (e) g->bits[e->row * g->nchunks + g->chunk] = bits;
    return 0;
}

/* Term j of the list asked, held by e. */
static int note_bit(const notes_t *g, const note_t *e, size_t j)
{
    return (int)(g->bits[e->row * g->nchunks + j / XQ_MARK_MAX] >> (j % XQ_MARK_MAX) & 1);
}

/* Whether e holds coverage term k (in its reading's language). */
static int note_has(const notes_t *g, const note_t *e, size_t k)
{
    return note_bit(g, e, k) && (g->lang_of[k] == SIZE_MAX || note_bit(g, e, g->lang_of[k]));
}

/* The terms asked of the notes: q's coverage terms, then the language
 * terms of other languages' readings (into lt), each once. */
static xq_status_t note_terms(const qs_query_t *q, notes_t *g, const char **t, size_t *len,
                              ql_buf_t *lt, size_t *nt)
{
    const size_t nterms = g->nterms;
    *nt = 0;
    for (size_t k = 0; k < nterms; k++) {
        t[*nt] = q->cover.terms.terms[k];
        len[(*nt)++] = strlen(t[k]);
    }
    for (size_t k = 0; k < nterms; k++) {
        g->lang_of[k] = SIZE_MAX;
        if (!q->cover.reading[k][0]) continue;
        ql_term_lang(&lt[k], q->cover.reading[k], strlen(q->cover.reading[k]));
        if (lt[k].oom) return XQ_NOMEM;
        for (size_t j = nterms; j < *nt && g->lang_of[k] == SIZE_MAX; j++)
            if (len[j] == lt[k].len && memcmp(t[j], lt[k].data, len[j]) == 0) g->lang_of[k] = j;
        if (g->lang_of[k] == SIZE_MAX) {
            t[*nt] = lt[k].data;
            len[*nt] = lt[k].len;
            g->lang_of[k] = (*nt)++;
        }
    }
    return XQ_OK;
}

/* The groups of those of c[0..n) that shard k of the set holds, as one
 * query into *out (NULL: none). pick is scratch room for n flags. */
static xq_status_t shard_groups(const qs_searcher_t *s, const cand_t *c, size_t n,
                                unsigned char *pick, size_t k, xq_query_t **out)
{
    size_t picked = 0, nkeys = 0;
    for (size_t i = 0; i < n; i++) picked += pick[i] = (c[i].docid - 1) % s->set.nlive == k;
    *out = NULL;
    xq_status_t st = picked ? groups_of(c, n, pick, out, &nkeys) : XQ_OK;
    if (st == XQ_OK && !nkeys) {
        xq_query_free(*out);
        *out = NULL;
    }
    return st;
}

/* Takes the notes of the groups of c[0..n) (docid and key set). Each shard
 * is asked about its own passages only: asked of the combined database,
 * every shard would unpack and look up every group's term (the cost is
 * linear in them). The shards are asked side by side (xq_db_mark_each),
 * once for the first XQ_MARK_MAX terms, with the signature as each
 * passage's sort key and the prior as its collapse key, and once more per
 * XQ_MARK_MAX terms past them. q NULL: the signatures and priors alone. */
static xq_status_t take_notes_of(qs_searcher_t *s, const cand_t *c, size_t n, const qs_query_t *q,
                                 notes_t *g)
{
    memset(g, 0, sizeof *g);
    g->nterms = q ? q->cover.terms.n : 0;
    const size_t cap = 2 * g->nterms + 1, ns = s->set.nlive;
    const char **t = calloc(cap, sizeof *t);
    size_t *len = calloc(cap, sizeof *len), nt = 0;
    ql_buf_t *lt = calloc(g->nterms + 1, sizeof *lt);
    unsigned char *pick = calloc(n ? n : 1, 1);
    g->lang_of = calloc(g->nterms + 1, sizeof *g->lang_of);
    xq_db_t **dbs = calloc(ns ? ns : 1, sizeof *dbs);
    xq_query_t **within = calloc(ns ? ns : 1, sizeof *within);
    note_sink_t *to = calloc(ns ? ns : 1, sizeof *to);
    void **ctxs = calloc(ns ? ns : 1, sizeof *ctxs);
    xq_status_t st =
        t && len && lt && pick && g->lang_of && dbs && within && to && ctxs ? XQ_OK : XQ_NOMEM;
    if (st == XQ_OK && q) st = note_terms(q, g, t, len, lt, &nt);
    for (size_t k = 0; st == XQ_OK && k < ns; k++) {
        dbs[k] = s->set.v[s->set.live[k]].idx.db;
        to[k] = (note_sink_t){.g = g, .shard = k, .nshards = ns};
        ctxs[k] = &to[k];
        st = shard_groups(s, c, n, pick, k, &within[k]);
    }
    g->nchunks = nt ? (nt + XQ_MARK_MAX - 1) / XQ_MARK_MAX : 1;
    for (g->chunk = 0; st == XQ_OK && g->chunk < g->nchunks; g->chunk++) {
        const size_t from = g->chunk * XQ_MARK_MAX;
        const size_t m = nt > from ? (nt - from < XQ_MARK_MAX ? nt - from : XQ_MARK_MAX) : 0;
        st = g->chunk ? xq_db_mark_each(dbs, (const xq_query_t *const *)within, ns, t + from,
                                        len + from, m, -1, -1, add_bits, ctxs)
                      : xq_db_mark_each(dbs, (const xq_query_t *const *)within, ns, t, len, m,
                                        QL_SLOT_SIG, QL_SLOT_PRIOR, add_note, ctxs);
        if (st == XQ_OK && g->oom) st = XQ_NOMEM;
        if (st == XQ_OK && g->chunk == 0 && g->n) qsort(g->v, g->n, sizeof *g->v, by_note_docid);
    }
    for (size_t k = 0; within && k < ns; k++) xq_query_free(within[k]);
    for (size_t k = 0; lt && k < g->nterms; k++) ql_buf_free(&lt[k]);
    free(ctxs);
    free(to);
    free(within);
    free(dbs);
    free(lt);
    free(pick);
    free(len);
    free(t);
    return st;
}

/* The notes of mset items [0, n)'s groups. */
static xq_status_t take_notes(qs_searcher_t *s, xq_mset_t *m, size_t n, const qs_query_t *q,
                              notes_t *g)
{
    cand_t *c = calloc(n ? n : 1, sizeof *c);
    xq_status_t st = c ? XQ_OK : XQ_NOMEM;
    for (size_t i = 0; st == XQ_OK && i < n; i++) {
        int has = 0;
        c[i] = (cand_t){.i = i, .docid = xq_mset_docid(m, i)};
        st = mset_key(m, i, &c[i].key, &has);
    }
    if (st == XQ_OK) st = take_notes_of(s, c, n, q, g);
    free(c);
    return st;
}

/* The near-duplicate signatures (slot 2) of mset items [0, n) into sig[i]
 * (has[i] set): from the notes over a remote index, else from the items'
 * documents. */
static xq_status_t read_sigs(xq_mset_t *m, size_t n, const notes_t *notes, ql_sig_t *sig,
                             unsigned char *has)
{
    if (notes) {
        for (size_t i = 0; i < n; i++) {
            const note_t *e = note_of(notes, xq_mset_docid(m, i));
            has[i] = e && e->has_sig;
            if (has[i]) sig[i] = e->sig;
        }
        return XQ_OK;
    }
    xq_status_t st = xq_mset_fetch(m, n);
    for (size_t i = 0; st == XQ_OK && i < n; i++) {
        char v[QL_SIG_BYTES];
        size_t len = 0;
        st = xq_mset_value(m, i, QL_SLOT_SIG, v, sizeof v, &len);
        if (st == XQ_INVALID) st = XQ_OK; /* not a signature */
        has[i] = st == XQ_OK && ql_sig_decode(v, len, &sig[i]);
    }
    return st;
}

/* Near-identical passages are grouped when their shard is indexed, so
 * across shards Xapian's collapse leaves one of each group per shard.
 * Among mset items [0, n): an item whose signature is near-identical to a
 * better-weighted kept item's from another shard is merged into it, as one
 * index over every shard would have grouped them. into[i] is the item i was
 * merged into, or SIZE_MAX when kept. Nothing to do for one shard. */
static xq_status_t merge_across_shards(qs_searcher_t *s, xq_mset_t *m, size_t n,
                                       const notes_t *notes, size_t *into)
{
    for (size_t i = 0; i < n; i++) into[i] = SIZE_MAX;
    const size_t ns = s->set.nlive;
    if (ns < 2 || n < 2) return XQ_OK;
    ql_sig_t *sig = calloc(n, sizeof *sig);
    unsigned char *has = calloc(n, 1);
    notes_t own = {0};
    xq_status_t st = sig && has ? XQ_OK : XQ_NOMEM;
    if (st == XQ_OK && !notes && xq_db_is_remote(s->set.db)) {
        st = take_notes(s, m, n, NULL, &own);
        notes = &own;
    }
    if (st == XQ_OK) st = read_sigs(m, n, notes, sig, has);
    for (size_t i = 0; st == XQ_OK && i < n; i++) {
        if (!has[i]) continue;
        const xq_docid_t di = xq_mset_docid(m, i);
        for (size_t j = 0; j < i; j++) {
            if (!has[j] || into[j] != SIZE_MAX) continue;
            if ((xq_mset_docid(m, j) - 1) % ns == (di - 1) % ns) continue; /* same shard */
            if (ql_sig_similar(sig[i].mins, sig[j].mins)) {
                into[i] = j;
                break;
            }
        }
    }
    free_notes(&own);
    free(sig);
    free(has);
    return st;
}

static void free_copies(qs_copy_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++) free(c[i].path);
    free(c);
}

typedef struct {
    xq_query_t **terms;
    size_t n, cap;
    double max_weight, scale;
    int failed;
    qs_feedback_t *fb; /* records each term's factor */
} prf_t;

static int prf_term(void *ctx, const char *term, size_t len, double weight)
{
    prf_t *p = ctx;
    if (p->n == p->cap) {
        const size_t cap = p->cap ? p->cap * 2 : 16;
        xq_query_t **t = realloc(p->terms, cap * sizeof *t);
        if (!t) return p->failed = 1;
        p->terms = t;
        p->cap = cap;
    }
    if (p->max_weight <= 0) p->max_weight = weight; /* the first is the best */
    xq_query_t *tq = NULL;
    const double factor = p->scale * weight / p->max_weight;
    double *sc = realloc(p->fb->scale, (p->fb->terms.n + 1) * sizeof *sc);
    if (!sc) return p->failed = 1;
    p->fb->scale = sc;
    if (!qs_termlist_has(&p->fb->terms, term, len)) {
        if (qs_termlist_add(&p->fb->terms, term, len)) return p->failed = 1;
        sc[p->fb->terms.n - 1] = factor;
    }
    if (xq_query_term(term, len, 1, 0, &tq) != XQ_OK ||
        xq_query_scale(tq, p->scale * weight / p->max_weight, &p->terms[p->n]) != XQ_OK) {
        xq_query_free(tq);
        return p->failed = 1;
    }
    xq_query_free(tq);
    p->n++;
    return 0;
}

/* Searches query restricted to the groups (H terms) of the candidates
 * c[i] with pick[i] set (pick NULL: all), without collapsing, and deep
 * enough that every passage of those groups it matches is in *out (NULL
 * when none is picked). keyed: each passage's group key is its collapse
 * key (a collapse that keeps every passage), so that reading it fetches no
 * document from a remote shard. */
static xq_status_t search_groups(qs_searcher_t *s, const xq_query_t *query, const qs_options_t *o,
                                 const cand_t *c, size_t n, const unsigned char *pick, int keyed,
                                 xq_mset_t **out)
{
    *out = NULL;
    xq_query_t *groups = NULL, *restricted = NULL;
    size_t nkeys = 0;
    xq_status_t st = groups_of(c, n, pick, &groups, &nkeys);
    xq_query_t *pair[2] = {(xq_query_t *)query, groups};
    if (st == XQ_OK && nkeys) st = xq_query_combine(XQ_OP_FILTER, pair, 2, 0, &restricted);
    /* a group's copies match too: ask again, deeper, until nothing is cut */
    for (unsigned max = (unsigned)nkeys * 4 + 64; st == XQ_OK && nkeys; max *= 4) {
        const xq_search_opts_t so = {.max = max,
                                     .collapse_slot = keyed ? QL_SLOT_DUP : -1,
                                     .collapse_max = max,
                                     .k1 = o->k1,
                                     .b = o->b,
                                     .tie_slot = -1};
        xq_mset_free(*out);
        *out = NULL;
        st = xq_db_search(s->set.db, restricted, &so, out);
        if (st != XQ_OK || xq_mset_size(*out) < max) break;
    }
    xq_query_free(restricted);
    xq_query_free(groups);
    return st;
}

typedef struct {
    uint64_t key;
    size_t j; /* its item in the groups' MSet */
} keyed_t;

static int by_key_then_item(const void *a, const void *b)
{
    const keyed_t *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

/* The items of g by group key (then MSet order) into *out, *n of them. */
static xq_status_t keyed_items(xq_mset_t *g, keyed_t **out, size_t *n)
{
    const size_t ng = g ? xq_mset_size(g) : 0;
    *n = 0;
    *out = calloc(ng ? ng : 1, sizeof **out);
    xq_status_t st = *out ? XQ_OK : XQ_NOMEM;
    for (size_t j = 0; j < ng && st == XQ_OK; j++) {
        char kv[8];
        size_t len = 0;
        st = xq_mset_collapse_key(g, j, kv, sizeof kv, &len);
        if (st == XQ_OK && ql_key_decode(kv, len, &(*out)[*n].key)) (*out)[(*n)++].j = j;
    }
    if (st == XQ_OK && *n) qsort(*out, *n, sizeof **out, by_key_then_item);
    return st;
}

/* Near-identical passages are collapsed to one per group, but over shards
 * a group's members can tie on weight except in the last bits, and which
 * of them leads then depends on how the index is sharded. For each of
 * c[0..n) (keys set, items of m) that had copies collapsed into it, the
 * group's members are weighed again without collapsing (search_groups),
 * and the candidate becomes the first in corpus order among itself and
 * the members tied with the group's best. Every place compared is read in
 * one exchange (read_recs). */
static xq_status_t group_leaders(qs_searcher_t *s, const xq_query_t *query, const qs_options_t *o,
                                 xq_mset_t *m, cand_t *c, size_t n)
{
    if (s->set.nlive < 2 || !n) return XQ_OK;
    unsigned char *pick = calloc(n, 1);
    size_t npick = 0, nk = 0, nw = 0;
    for (size_t i = 0; pick && i < n; i++) npick += pick[i] = xq_mset_collapse_count(m, c[i].i) > 0;
    xq_mset_t *g = NULL;
    keyed_t *ks = NULL;
    xq_status_t st = !pick   ? XQ_NOMEM
                     : npick ? search_groups(s, query, o, c, n, pick, 1, &g)
                             : XQ_OK;
    if (st == XQ_OK && g) st = keyed_items(g, &ks, &nk);
    /* per picked candidate: itself, then its group's members tied with the best */
    cand_t *who = NULL;
    size_t *from = nk ? calloc(n + 1, sizeof *from) : NULL, cap = 0;
    if (st == XQ_OK && nk && !from) st = XQ_NOMEM;
    for (size_t i = 0; st == XQ_OK && nk && i < n; i++) {
        from[i] = nw;
        if (!pick[i]) continue;
        const keyed_t want = {c[i].key, 0};
        const size_t lo = lower_bound(ks, nk, sizeof *ks, &want, by_key_then_item);
        size_t hi = lo;
        while (hi < nk && ks[hi].key == c[i].key) hi++;
        if (!who || nw + 1 + (hi - lo) > cap) {
            cap = 2 * (nw + 1 + (hi - lo));
            cand_t *t = realloc(who, cap * sizeof *t);
            if (!t) {
                st = XQ_NOMEM;
                break;
            }
            who = t;
        }
        who[nw++] = (cand_t){.docid = c[i].docid};
        const double top = hi > lo ? xq_mset_weight(g, ks[lo].j) : 0;
        for (size_t k = lo; k < hi && tied(xq_mset_weight(g, ks[k].j), top); k++)
            if (xq_mset_docid(g, ks[k].j) != c[i].docid)
                who[nw++] = (cand_t){.docid = xq_mset_docid(g, ks[k].j)};
        if (nw - from[i] == 1) nw = from[i]; /* alone: nothing to compare */
    }
    if (from) from[n] = nw;
    if (st == XQ_OK) st = read_recs(s, who, nw, NULL);
    for (size_t k = 0; st == XQ_OK && k < nw; k++) st = read_place(&who[k]);
    for (size_t i = 0; st == XQ_OK && nk && i < n; i++) {
        const cand_t *best = NULL; /* from[n] is nw: every candidate's list is set */
        for (size_t k = from[i]; k < from[i + 1]; k++)
            if (!best || by_place_in_corpus(&who[k], best) < 0) best = &who[k];
        if (best) c[i].docid = best->docid;
    }
    clear_cands(who, nw);
    free(who);
    free(from);
    free(ks);
    xq_mset_free(g);
    free(pick);
    return st;
}

/* Pseudo-relevance feedback: the query, re-weighted by the terms that best
 * characterise its top passages. AND_MAYBE keeps the match set the user's
 * words chose; feedback only reorders it. *out is NULL when there is nothing
 * to add. */
static xq_status_t expand_query(qs_searcher_t *s, const qs_query_t *q, const qs_options_t *o,
                                xq_query_t **out)
{
    *out = NULL;
    /* over several shards, near-identical passages merged across them
     * count once, so look a little deeper; and past the last passage taken,
     * for passages tied with it */
    const unsigned want = s->set.nlive > 1 ? 3 * o->prf_docs : o->prf_docs + o->prf_docs / 2 + 4;
    xq_search_opts_t fo = {
        .max = want, .collapse_slot = QL_SLOT_DUP, .k1 = o->k1, .b = o->b, .tie_slot = QL_SLOT_DUP};
    xq_mset_t *m = NULL;
    xq_status_t st = xq_db_search(s->set.db, q->xq, &fo, &m);
    xq_docid_t *docs = NULL;
    size_t *into = NULL;
    cand_t *kept = NULL;
    prf_t p = {NULL, 0, 0, 0, o->prf_weight, 0, &s->fb};
    const size_t nitems = st == XQ_OK ? xq_mset_size(m) : 0;
    size_t n = 0, nkept = 0;
    if (nitems &&
        (!(docs = malloc(nitems * sizeof *docs)) || !(into = malloc(nitems * sizeof *into)) ||
         !(kept = calloc(nitems, sizeof *kept))))
        st = XQ_NOMEM;
    if (st == XQ_OK) st = merge_across_shards(s, m, nitems, NULL, into);
    for (size_t i = 0; st == XQ_OK && i < nitems; i++)
        if (into[i] == SIZE_MAX) {
            int has = 0;
            kept[nkept] =
                (cand_t){.i = i, .docid = xq_mset_docid(m, i), .score = xq_mset_weight(m, i)};
            st = mset_key(m, i, &kept[nkept++].key, &has);
        }
    if (st == XQ_OK) st = group_leaders(s, q->xq, o, m, kept, nkept);
    xq_docid_t bad = 0;
    /* ties exact on one index may differ in the last bits over shards */
    if (st == XQ_OK) st = place_ties(s, kept, nkept, o->prf_docs, &bad);
    for (size_t i = 0; st == XQ_OK && i < nkept && n < o->prf_docs; i++) docs[n++] = kept[i].docid;
    if (st == XQ_OK && n)
        st = xq_db_expand(s->set.db, q->xq, docs, n, o->prf_terms, QL_PREFIX_BODY, prf_term, &p);
    if (st == XQ_OK && p.failed) st = XQ_NOMEM;
    xq_query_t *extra = NULL;
    if (st == XQ_OK && p.n && xq_query_combine(XQ_OP_OR, p.terms, p.n, 0, &extra) != XQ_OK)
        st = XQ_NOMEM;
    xq_query_t *v[2] = {q->xq, extra};
    if (st == XQ_OK && extra && xq_query_combine(XQ_OP_AND_MAYBE, v, 2, 0, out) != XQ_OK)
        st = XQ_NOMEM;
    xq_query_free(extra);
    for (size_t i = 0; i < p.n; i++) xq_query_free(p.terms[i]);
    free(p.terms);
    clear_cands(kept, nkept);
    free(docs);
    free(into);
    free(kept);
    xq_mset_free(m);
    return st;
}

/* Coverage: a group (a word, or all names of an alias) counts with the IDF
 * of its rarest term, and is covered by its rarest matching term.
 *
 * Sets each candidate's boilerplate flag and, when total_idf > 0, scales its
 * score by the share of the query's groups it holds (coverage^coord), the
 * best share going to res. Leaves cands in docid order. */
typedef struct {
    xq_docid_t docid;
    double weight;
} bonus_t;

static int by_bonus_docid(const void *a, const void *b)
{
    const bonus_t *x = a, *y = b;
    return x->docid < y->docid ? -1 : x->docid > y->docid;
}

/* Adds the adjacency bonus (q->near: pairs of query words side by side) to
 * each candidate's score. Searched over the whole index, those phrase pairs
 * are checked on the positions of every passage holding both words, which
 * for a pair with a common word is most of the index (synth-100M: 35 ms of
 * a 4-word query, docs/BENCHMARKS.md); here they are restricted to the
 * candidates' groups (their H terms), so only candidates are checked. The
 * weights are Xapian's, from the same statistics: a candidate's score is
 * what the bonus inside the query gave it. */
static xq_status_t add_nearness(qs_searcher_t *s, const qs_query_t *q, const qs_options_t *o,
                                cand_t *cands, size_t n)
{
    bonus_t *b = NULL;
    xq_mset_t *m = NULL;
    xq_status_t st = search_groups(s, q->near, o, cands, n, NULL, 0, &m);
    const size_t nb = st == XQ_OK && m ? xq_mset_size(m) : 0;
    if (st == XQ_OK && nb && !(b = malloc(nb * sizeof *b))) st = XQ_NOMEM;
    for (size_t i = 0; st == XQ_OK && i < nb; i++) {
        b[i].docid = xq_mset_docid(m, i);
        b[i].weight = xq_mset_weight(m, i);
    }
    if (st == XQ_OK && nb) {
        qsort(b, nb, sizeof *b, by_bonus_docid);
        for (size_t i = 0; i < n; i++) {
            const bonus_t k = {cands[i].docid, 0};
            const bonus_t *hit = bsearch(&k, b, nb, sizeof *b, by_bonus_docid);
            if (hit) cands[i].score += hit->weight;
        }
    }
    xq_mset_free(m);
    free(b);
    return st;
}

/* Clears has[i] for the passages ids[0..n) not in language lang. */
static xq_status_t only_in_language(qs_searcher_t *s, const char *lang, const xq_docid_t *ids,
                                    size_t n, unsigned char *has)
{
    ql_buf_t t = {0};
    ql_term_lang(&t, lang, strlen(lang));
    unsigned char *in = malloc(n ? n : 1);
    xq_status_t st = t.oom || !in ? XQ_NOMEM : xq_db_has_term(s->set.db, t.data, t.len, ids, n, in);
    for (size_t i = 0; st == XQ_OK && i < n; i++) has[i] = has[i] && in[i];
    free(in);
    ql_buf_free(&t);
    return st;
}

/* Locally: each candidate's prior (slot 1's first byte, -1: none) from the
 * slot's value stream, and for each of the query's first nterms coverage
 * terms which candidates hold it (has[k * n + i]), from its posting list.
 * ids: the candidates' docids, ascending. */
static xq_status_t marks_local(qs_searcher_t *s, const qs_query_t *q, const xq_docid_t *ids,
                               size_t n, size_t nterms, int *prior, unsigned char *has)
{
    xq_status_t st = xq_db_value_byte(s->set.db, QL_SLOT_PRIOR, ids, n, prior);
    for (size_t k = 0; st == XQ_OK && k < nterms; k++) {
        const char *t = q->cover.terms.terms[k];
        st = xq_db_has_term(s->set.db, t, strlen(t), ids, n, has + k * n);
        if (st == XQ_OK && q->cover.reading[k][0]) /* another language's stem: in its passages */
            st = only_in_language(s, q->cover.reading[k], ids, n, has + k * n);
    }
    return st;
}

/* The same from the notes (a remote index). A candidate the notes do not
 * hold - over shards its group's leader can be a copy in another shard
 * (group_leaders) - is asked about on its own. */
static xq_status_t marks_noted(qs_searcher_t *s, const notes_t *g, const qs_query_t *q,
                               const cand_t *cands, size_t n, size_t nterms, int *prior,
                               unsigned char *has)
{
    cand_t *missing = calloc(n ? n : 1, sizeof *missing);
    notes_t more = {0};
    size_t nmissing = 0;
    xq_status_t st = missing ? XQ_OK : XQ_NOMEM;
    for (size_t i = 0; st == XQ_OK && i < n; i++)
        if (!note_of(g, cands[i].docid)) missing[nmissing++] = cands[i];
    if (st == XQ_OK && nmissing) st = take_notes_of(s, missing, nmissing, q, &more);
    for (size_t i = 0; st == XQ_OK && i < n; i++) {
        const notes_t *from = g;
        const note_t *e = note_of(g, cands[i].docid);
        if (!e) e = note_of(from = &more, cands[i].docid);
        prior[i] = e ? e->prior : -1;
        for (size_t k = 0; k < nterms; k++)
            has[k * n + i] = e && k < from->nterms && note_has(from, e, k);
    }
    free_notes(&more);
    free(missing);
    return st;
}

static xq_status_t mark_candidates(qs_searcher_t *s, const qs_query_t *q, const qs_options_t *o,
                                   const notes_t *notes, cand_t *cands, size_t n, const double *idf,
                                   double total_idf, qs_result_t *res)
{
    if (n == 0) return XQ_OK;
    qsort(cands, n, sizeof *cands, by_docid);
    xq_docid_t *ids = malloc(n * sizeof *ids);
    int *prior = malloc(n * sizeof *prior);
    const size_t ng = total_idf > 0 ? q->cover.ngroups : 0, nterms = ng ? q->cover.terms.n : 0;
    unsigned char *has = malloc(n * (nterms ? nterms : 1));
    double *got = calloc(n * (ng ? ng : 1), sizeof *got);
    xq_status_t st = ids && prior && has && got ? XQ_OK : XQ_NOMEM;
    for (size_t i = 0; st == XQ_OK && i < n; i++) ids[i] = cands[i].docid;
    if (st == XQ_OK && notes)
        st = marks_noted(s, notes, q, cands, n, nterms, prior, has);
    else if (st == XQ_OK)
        st = marks_local(s, q, ids, n, nterms, prior, has);
    for (size_t i = 0; st == XQ_OK && i < n; i++) {
        cands[i].furniture = prior[i] >= 0 && prior[i] < QL_PRIOR_HEADING;
        cands[i].heading = prior[i] == QL_PRIOR_HEADING;
    }
    for (size_t k = 0; st == XQ_OK && k < nterms; k++)
        for (size_t i = 0; i < n; i++) {
            double *g = &got[i * ng + q->cover.group[k]];
            if (has[k * n + i] && idf[k] > *g) *g = idf[k];
        }
    for (size_t i = 0; st == XQ_OK && ng && i < n; i++) {
        double covered = 0;
        for (size_t g = 0; g < ng; g++) covered += got[i * ng + g];
        cands[i].share = covered / total_idf;
        cands[i].score *= pow(covered / total_idf, o->coord);
        if (covered / total_idf > res->best_coverage) res->best_coverage = covered / total_idf;
    }
    free(ids);
    free(prior);
    free(has);
    free(got);
    return st;
}

/* A hit read from the index before any is delivered. */
typedef struct {
    char *data; /* the stored record; p points into it */
    size_t len;
    ql_passage_t p;
    qs_copy_t *copies;
    size_t ncopies;
    xq_docid_t *copy_ids; /* the copies', until read (copy_ids) */
    size_t ncopy_ids;
} pending_t;

static void free_pending(pending_t *h, size_t n)
{
    for (size_t i = 0; h && i < n; i++) {
        free(h[i].data);
        free(h[i].copy_ids);
        free_copies(h[i].copies, h[i].ncopies);
    }
    free(h);
}

/* The number of passages holding term (qs_query_opts_t.termfreq); 0 when
 * it cannot be read. */
static double termfreq_of(void *ctx, const char *term)
{
    const qs_searcher_t *s = ctx;
    unsigned df = 0;
    return xq_db_termfreq(s->set.db, term, strlen(term), &df) == XQ_OK ? (double)df : 0;
}

typedef struct {
    qs_termlist_t *out;
    size_t max;
    int oom;
} prefix_ctx_t;

static int add_prefix_term(void *ctx, const char *term, size_t len, unsigned freq)
{
    prefix_ctx_t *p = ctx;
    (void)freq;
    if (qs_termlist_add(p->out, term, len)) return p->oom = 1;
    return p->out->n > p->max; /* one past the limit says "too many" */
}

/* The index's terms starting with prefix (qs_query_opts_t.prefix_terms):
 * over every shard, local or remote, as one vocabulary. */
static int prefix_terms_of(void *ctx, const char *prefix, size_t len, size_t max,
                           qs_termlist_t *out, ql_err_t *e)
{
    qs_searcher_t *s = ctx;
    char *z = strndup(prefix, len);
    prefix_ctx_t p = {out, max, 0};
    const xq_status_t st = z ? xq_db_terms(s->set.db, z, add_prefix_term, &p) : XQ_NOMEM;
    free(z);
    if (st == XQ_NOMEM || p.oom) return ql_errf(e, QL_E_NOMEM, "out of memory");
    return st == XQ_OK ? 0 : xq_err(s, st, e);
}

static int add_index_lang(void *ctx, const char *term, size_t len, unsigned freq)
{
    qs_searcher_t *s = ctx;
    const size_t p = strlen(QL_PREFIX_LANG);
    (void)freq;
    if (len == p + 2 && !memcmp(term + p, "en", 2)) s->english = 1;
    if (s->nlangs == 16 || len <= p || len - p >= sizeof s->lang_codes[0]) return 0;
    char *code = s->lang_codes[s->nlangs];
    memcpy(code, term + p, len - p);
    code[len - p] = '\0';
    if (qt_lang_stems(code)) s->langs[s->nlangs] = code, s->nlangs++;
    return 0;
}

/* The languages of the index (its L terms) whose Latin-script words were
 * stemmed with their own stemmer: the query reads its words in each. Read
 * once per database handle (a new generation, a renewed connection or a
 * shard left out or back makes a new one): over remote shards a listing is
 * a round trip to each. */
static int index_langs(qs_searcher_t *s, ql_err_t *e)
{
    if (s->langs_for == s->set.combined + 1) return 0;
    s->nlangs = 0;
    s->english = 0;
    const xq_status_t st = xq_db_terms(s->set.db, QL_PREFIX_LANG, add_index_lang, s);
    if (st != XQ_OK) return xq_err(s, st, e);
    s->langs_for = s->set.combined + 1;
    return 0;
}

/* A heading (a passage that is its article's title alone) ranks just below
 * the weakest real paragraph covering at least as much of the query; when
 * none does - the query matches titles only - it keeps its place. Scores
 * are moved, not just the order, so the printed order is the scores'. */
static void lower_headings(cand_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!c[i].heading) continue;
        double floor = -1;
        for (size_t j = 0; j < n; j++)
            if (!c[j].heading && !c[j].furniture && c[j].share >= c[i].share - 1e-9 &&
                (floor < 0 || c[j].score < floor))
                floor = c[j].score;
        if (floor >= 0 && c[i].score >= floor) c[i].score = floor * (1 - 1e-6);
    }
}

/* Boilerplate is listed after every real paragraph; so that the printed
 * order is the order of the printed scores, its scores are scaled (order
 * kept) to below the weakest real candidate's. */
static void scale_furniture(cand_t *c, size_t n)
{
    double weakest = -1, strongest = 0;
    for (size_t i = 0; i < n; i++) {
        if (!c[i].furniture && (weakest < 0 || c[i].score < weakest)) weakest = c[i].score;
        if (c[i].furniture && c[i].score > strongest) strongest = c[i].score;
    }
    if (weakest < 0 || strongest < weakest) return;
    const double f = strongest > 0 ? 0.5 * weakest / strongest : 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].furniture) c[i].score *= f;
}

/* How many of the MSet's items are candidates: the first depth, and past
 * them every one tied (tied()) with the last. Xapian orders equal weights by
 * the collapse key, but weights equal on one index can differ in the last
 * bits over shards, so a cut among them would pick other passages; the MSet
 * is fetched a quarter deeper to see them. By date, the first depth. */
static size_t candidates_cut(const xq_mset_t *m, size_t depth, int sort_date)
{
    const size_t n = xq_mset_size(m);
    if (n <= depth || depth == 0) return n;
    if (sort_date) return depth;
    const double last = xq_mset_weight(m, depth - 1);
    size_t cut = depth;
    while (cut < n && tied(xq_mset_weight(m, cut), last)) cut++;
    return cut;
}

/* One search in progress (run()): what each of its steps hands the next. */
typedef struct {
    qs_searcher_t *s;
    const qs_query_t *q;
    const qs_options_t *o;
    qs_result_t *res;
    ql_err_t *e;
    xq_status_t failed;   /* the database's failure, when that is the cause */
    unsigned want, depth; /* offset + limit; candidates re-ranked */
    xq_query_t *expanded; /* with feedback, the query searched; owned */
    xq_mset_t *m;         /* the match; owned */
    size_t nitems;        /* items of m that are candidates (the cut) */
    size_t *into;         /* per item: merged into this item across shards, or SIZE_MAX */
    cand_t *cands;        /* the candidates, n of them (ncands allocated) */
    size_t n, ncands;
    double *idf, *group_idf; /* per scored term, per group */
    double total_idf;        /* 0: no coverage rule */
    notes_t notes;           /* over a remote index: what the ranking reads of the match */
    int remote;
    pending_t *hits; /* the window's hits, read before any is delivered */
    size_t nhits, first;
} run_t;

/* A database failure: its status kept for the caller, e set. -1. */
static int db_failed(run_t *r, xq_status_t st)
{
    r->failed = st;
    return xq_err(r->s, st, r->e);
}

/* Feedback (long queries), the match, its totals, and the candidates' room. */
static int match(run_t *r)
{
    const qs_options_t *o = r->o;
    xq_search_opts_t so = {.max = r->depth + r->depth / 4 + 8, /* room for ties at the cut */
                           .check_at_least = o->count ? QS_COUNT_CHECK : 0,
                           .collapse_slot = QL_SLOT_DUP,
                           .k1 = o->k1,
                           .b = o->b,
                           .sort = o->sort_date,
                           .sort_slot = QL_SLOT_DATE,
                           .tie_slot = QL_SLOT_DUP,
                           .time_limit = o->time_limit_ms / 1000.0};
    xq_status_t st = XQ_OK;
    /* Feedback helps long questions; on a few keywords it drifts off topic. */
    if (o->prf_docs && o->prf_terms && o->prf_weight > 0 && r->q->cover.length > o->coord_max)
        st = expand_query(r->s, r->q, o, &r->expanded);
    if (st == XQ_OK)
        st = xq_db_search(r->s->set.db, r->expanded ? r->expanded : r->q->xq, &so, &r->m);
    if (st != XQ_OK) return db_failed(r, st);
    r->nitems = candidates_cut(r->m, r->depth, o->sort_date);
    unsigned lower = 0, upper = 0;
    xq_mset_bounds(r->m, &lower, &upper);
    r->res->estimated = r->res->total = xq_mset_estimate(r->m);
    r->res->total_exact = lower == upper;
    const size_t k = r->nitems ? r->nitems : 1;
    r->ncands = r->nitems;
    if (!(r->cands = calloc(k, sizeof *r->cands)) || !(r->into = calloc(k, sizeof *r->into)) ||
        !(r->idf = calloc(r->q->cover.terms.n ? r->q->cover.terms.n : 1, sizeof *r->idf)))
        return ql_errf(r->e, QL_E_NOMEM, "out of memory");
    r->remote = xq_db_is_remote(r->s->set.db);
    if (r->remote) st = take_notes(r->s, r->m, r->nitems, r->q, &r->notes);
    if (st == XQ_OK)
        st = merge_across_shards(r->s, r->m, r->nitems, r->remote ? &r->notes : NULL, r->into);
    return st == XQ_OK ? 0 : db_failed(r, st);
}

/* A group of alias names weighs as its most common name typed at full
 * weight (a name weighing as its rarest word): each of its terms' IDF is
 * capped there, then scaled by the term's weight (a related name's half). */
static int cap_alias_groups(const qs_query_t *q, double *idf)
{
    const size_t nn = q->cover.nnames + 1;
    double *name_idf = calloc(nn, sizeof *name_idf), *cap = calloc(q->cover.ngroups, sizeof *cap);
    if (!name_idf || !cap) {
        free(name_idf);
        free(cap);
        return -1;
    }
    const size_t n = q->cover.terms.n;
    for (size_t i = 0; i < q->cover.nname_words; i++) {
        const struct qs_name_word *w = &q->cover.name_words[i];
        if (idf[w->term] > name_idf[w->name]) name_idf[w->name] = idf[w->term];
    }
    for (unsigned g = 0; g < q->cover.ngroups; g++) cap[g] = HUGE_VAL;
    for (size_t i = 0; i < q->cover.nname_words; i++) {
        const struct qs_name_word *w = &q->cover.name_words[i];
        const unsigned g = q->cover.group[w->term];
        if (w->weight >= 1 && name_idf[w->name] < cap[g]) cap[g] = name_idf[w->name];
    }
    for (size_t k = 0; k < n; k++)
        idf[k] = fmin(idf[k], cap[q->cover.group[k]]) * q->cover.weight[k];
    free(name_idf);
    free(cap);
    return 0;
}

/* Query coverage needs each scored term's IDF, and each group's. */
static int coverage_idf(run_t *r)
{
    const qs_query_t *q = r->q;
    if (!(r->o->coord > 0 && q->cover.ngroups > 1 && q->cover.length <= r->o->coord_max)) return 0;
    unsigned ndocs = 0;
    r->group_idf = calloc(q->cover.ngroups, sizeof *r->group_idf);
    /* a word read in several languages is one word: its stems' passages
     * together, as the synonym searched weighs them (readings.h) */
    double *read_df = calloc(q->cover.ngroups, sizeof *read_df);
    xq_status_t st = r->group_idf && read_df ? xq_db_doccount(r->s->set.db, &ndocs) : XQ_NOMEM;
    for (size_t k = 0; k < q->cover.terms.n && st == XQ_OK; k++)
        if (q->cover.reading[k][0]) read_df[q->cover.group[k]] = -1; /* a group of readings */
    for (size_t k = 0; k < q->cover.terms.n && st == XQ_OK; k++) {
        unsigned df = 0;
        const char *t = q->cover.terms.terms[k];
        st = xq_db_termfreq(r->s->set.db, t, strlen(t), &df);
        /* a word no passage has counts as the rarest possible, unless it
         * looks like a typo of one (did-you-mean says so), is a pair of
         * CJK characters typed without spaces (法律面前平等's 律面 and 前平
         * straddle words, and are in no index) or is a number: `sanctions
         * 2021` asks about sanctions, and no passage need write the year */
        const size_t pl = strlen(QL_PREFIX_BODY);
        const int body = !strncmp(t, QL_PREFIX_BODY, pl);
        r->idf[k] = df == 0 && (qs_termlist_has(&r->s->typos, t, strlen(t)) ||
                                (body && (qt_is_cjk_word(t + pl, strlen(t) - pl) ||
                                          t[pl + strspn(t + pl, "0123456789")] == '\0')))
                        ? 0
                        : log(1.0 + (ndocs - df + 0.5) / (df + 0.5));
        if (read_df[q->cover.group[k]] < 0) read_df[q->cover.group[k]] -= df;
    }
    for (size_t k = 0; k < q->cover.terms.n && st == XQ_OK; k++) {
        const unsigned g = q->cover.group[k];
        if (read_df[g] >= 0) continue;
        const double df = fmin(-read_df[g] - 1, ndocs); /* any of its stems holds it */
        r->idf[k] = log(1.0 + (ndocs - df + 0.5) / (df + 0.5));
    }
    free(read_df);
    if (st == XQ_OK && cap_alias_groups(q, r->idf) != 0) st = XQ_NOMEM;
    for (size_t k = 0; k < q->cover.terms.n && st == XQ_OK; k++)
        if (r->idf[k] > r->group_idf[q->cover.group[k]])
            r->group_idf[q->cover.group[k]] = r->idf[k];
    for (unsigned g = 0; st == XQ_OK && g < q->cover.ngroups; g++) r->total_idf += r->group_idf[g];
    return st == XQ_OK ? 0 : db_failed(r, st);
}

/* The candidates, their group leaders over shards, the nearness bonus, and
 * (in docid order: one pass over a value stream and over each query term's
 * postings) their boilerplate marks and coverage. */
static int candidates(run_t *r)
{
    xq_status_t st = XQ_OK;
    for (size_t i = 0; i < r->nitems && st == XQ_OK; i++) {
        if (r->into[i] != SIZE_MAX) continue; /* merged into a better item */
        cand_t *c = &r->cands[r->n++];
        int has = 0;
        c->i = i;
        c->docid = xq_mset_docid(r->m, i);
        c->score = xq_mset_weight(r->m, i);
        st = mset_key(r->m, i, &c->key, &has);
    }
    const xq_query_t *searched = r->expanded ? r->expanded : r->q->xq;
    if (st == XQ_OK && !r->o->sort_date)
        st = group_leaders(r->s, searched, r->o, r->m, r->cands, r->n);
    if (st == XQ_OK && r->q->near && r->n) st = add_nearness(r->s, r->q, r->o, r->cands, r->n);
    if (st == XQ_OK)
        st = mark_candidates(r->s, r->q, r->o, r->remote ? &r->notes : NULL, r->cands, r->n, r->idf,
                             r->total_idf, r->res);
    return st == XQ_OK ? 0 : db_failed(r, st);
}

/* The no-answer rule, then the order: by date, or by score with ties in
 * corpus order. 1: nothing is to be listed (the rule). */
static int order(run_t *r)
{
    const qs_options_t *o = r->o;
    /* No passage holds even half of a short plain query: nothing is
     * relevant, so say so rather than list passages that each hold one word
     * of it. A query with operators or fields means what it says, and gets
     * every passage it matches. When none matches, there is nothing to hold
     * back. */
    if (r->n && r->q->cover.plain && r->total_idf > 0 && r->res->best_coverage < o->min_share) {
        r->res->too_weak = 1;
        r->res->total = 0;
        r->res->total_exact = 1;
        return 1;
    }
    if (o->sort_date) { /* newest first among those a short plain query keeps */
        size_t kept = 0;
        for (size_t i = 0; i < r->n; i++)
            if (r->total_idf <= 0 || !r->q->cover.plain || r->cands[i].share >= o->min_share)
                r->cands[kept++] = r->cands[i];
        r->n = kept;
        qsort(r->cands, r->n, sizeof *r->cands, by_date);
        return 0;
    }
    lower_headings(r->cands, r->n);
    scale_furniture(r->cands, r->n);
    qsort(r->cands, r->n, sizeof *r->cands, by_score);
    xq_docid_t bad = 0;
    const xq_status_t st = place_ties(r->s, r->cands, r->n, r->want, &bad);
    if (st == XQ_CORRUPT)
        return ql_errf(r->e, QL_E_CORRUPT, "%s: passage %u has a malformed record",
                       qs_shards_name(&r->s->set), bad);
    return st == XQ_OK ? 0 : db_failed(r, st);
}

/* Reads every hit of the window: records and copies. */

/* Over remote shards, the groups of the window's hits [first, last) (and
 * of the items merged into them) in one search, rather than one posting
 * list per group from every shard. */
static xq_status_t window_groups(run_t *r, size_t first, size_t last, members_t *g)
{
    cand_t *c = calloc(r->nitems ? r->nitems : 1, sizeof *c);
    size_t nc = 0, nkeys = 0;
    xq_status_t st = c ? XQ_OK : XQ_NOMEM;
    for (size_t j = 0; st == XQ_OK && j < r->nitems; j++) {
        int in = 0, has = 0;
        for (size_t k = first; k < last && !in; k++)
            in = r->cands[k].i == j || r->into[j] == r->cands[k].i;
        if (in) st = mset_key(r->m, j, &c[nc].key, &has);
        if (in && has) nc++;
    }
    xq_query_t *within = NULL;
    if (st == XQ_OK) st = groups_of(c, nc, NULL, &within, &nkeys);
    if (st == XQ_OK && nkeys)
        st = xq_db_mark(r->s->set.db, within, NULL, NULL, 0, QL_SLOT_DUP, -1, take_member, g);
    if (st == XQ_OK && g->oom) st = XQ_NOMEM;
    if (st == XQ_OK && g->n) qsort(g->v, g->n, sizeof *g->v, by_member);
    xq_query_free(within);
    free(c);
    return st;
}

/* The places of hit h's copies, from their records data[0..n) (taken:
 * freed here), in file order. */
static int take_copies(run_t *r, pending_t *h, char **data, const size_t *lens)
{
    if (h->ncopy_ids) h->copies = calloc(h->ncopy_ids, sizeof *h->copies);
    int rc = h->ncopy_ids && !h->copies ? ql_errf(r->e, QL_E_NOMEM, "out of memory") : 0;
    for (size_t j = 0; j < h->ncopy_ids; j++) {
        if (rc == 0 && h->copies)
            rc = fill_copy(r->s, h->copy_ids[j], data[j], lens[j], &h->copies[h->ncopies], r->e);
        if (rc == 0) h->ncopies++;
        free(data[j]);
        data[j] = NULL;
    }
    if (rc == 0 && h->copies && h->ncopies > 1)
        qsort(h->copies, h->ncopies, sizeof *h->copies, by_place);
    return rc;
}

/* Every record the window needs, asked for at once (xq_db_get_data_many:
 * every shard side by side): each hit's own, unless read for its place
 * (then taken over), and its copies'. r->hits then owns the hits'. */
static int read_window(run_t *r, size_t nwin)
{
    size_t total = 0;
    for (size_t k = 0; k < nwin; k++) total += !r->cands[r->first + k].rec + r->hits[k].ncopy_ids;
    const size_t cap = total ? total : 1;
    xq_docid_t *ids = calloc(cap, sizeof *ids);
    char **data = calloc(cap, sizeof *data);
    size_t *lens = calloc(cap, sizeof *lens), m = 0;
    xq_status_t st = ids && data && lens ? XQ_OK : XQ_NOMEM;
    for (size_t k = 0; st == XQ_OK && k < nwin; k++) {
        if (!r->cands[r->first + k].rec) ids[m++] = r->cands[r->first + k].docid;
        for (size_t j = 0; j < r->hits[k].ncopy_ids; j++) ids[m++] = r->hits[k].copy_ids[j];
    }
    if (st == XQ_OK && m) st = xq_db_get_data_many(r->s->set.db, ids, m, data, lens);
    int rc = st == XQ_OK ? 0 : db_failed(r, st);
    for (size_t k = 0, j = 0; data && lens && k < nwin; k++) {
        cand_t *c = &r->cands[r->first + k];
        pending_t *h = &r->hits[k];
        h->data = c->rec ? c->rec : data[j];
        h->len = c->rec ? c->rec_len : lens[j++];
        c->rec = NULL;
        if (rc == 0) rc = take_copies(r, h, data + j, lens + j);
        for (size_t i = 0; i < h->ncopy_ids; i++) free(data[j + i]); /* when not taken */
        j += h->ncopy_ids;
    }
    free(ids);
    free(data);
    free(lens);
    return rc;
}

static int read_hits(run_t *r)
{
    const size_t last = r->want < r->n ? r->want : r->n;
    r->first = r->o->offset < r->n ? r->o->offset : r->n;
    const size_t nwin = last > r->first ? last - r->first : 0;
    size_t *items = calloc(r->nitems ? r->nitems : 1, sizeof *items);
    if (!items || (nwin && !(r->hits = calloc(nwin, sizeof *r->hits)))) {
        free(items);
        return ql_errf(r->e, QL_E_NOMEM, "out of memory");
    }
    r->nhits = nwin; /* freed with their records */
    int rc = 0;
    members_t groups = {0}, *g = NULL;
    if (r->remote && nwin) {
        const xq_status_t st = window_groups(r, r->first, last, &groups);
        if (st != XQ_OK) rc = db_failed(r, st);
        g = &groups;
    }
    for (size_t k = 0; k < nwin && rc == 0; k++) {
        const cand_t *c = &r->cands[r->first + k];
        size_t nit = 0;
        items[nit++] = c->i;
        for (size_t j = 0; j < r->nitems; j++)
            if (r->into[j] == c->i) items[nit++] = j;
        pending_t *h = &r->hits[k];
        if (copy_ids(r->s, r->m, items, nit, g, c->docid, &h->copy_ids, &h->ncopy_ids, r->e) != 0) {
            r->failed = (xq_status_t)r->e->cause; /* XQ_OK: not Xapian's */
            rc = -1;
        }
    }
    if (rc == 0 && nwin) rc = read_window(r, nwin);
    for (size_t k = 0; k < nwin && rc == 0; k++)
        if (ql_record_decode(r->hits[k].data, r->hits[k].len, &r->hits[k].p) != 0)
            rc = ql_errf(r->e, QL_E_CORRUPT, "%s: passage %u has a malformed record",
                         qs_shards_name(&r->s->set), r->cands[r->first + k].docid);
    free(groups.v);
    free(items);
    return rc;
}

/* Hands each hit read to fn, with its snippet and explanation. */
static int deliver(run_t *r, qs_hit_fn fn, void *ctx)
{
    qs_searcher_t *s = r->s;
    const qs_options_t *o = r->o;
    qs_result_t *res = r->res;
    for (size_t k = 0; k < r->nhits; k++) {
        const cand_t *c = &r->cands[r->first + k];
        const pending_t *h = &r->hits[k];
        ql_buf_reset(&s->snip.text);
        s->snip.nhl = s->snip.ntitle_hl = s->snip.body_hits = 0;
        char lang[8] = "";
        if (h->p.lang_len < sizeof lang) memcpy(lang, h->p.lang, h->p.lang_len);
        lang[h->p.lang_len < sizeof lang ? h->p.lang_len : 0] = '\0';
        qt_pipeline_set_lang(s->pipe, lang); /* its words as the indexer stemmed them */
        const int failed =
            o->snippet_width &&
            qs_snippet_make(s->pipe, h->p.text, h->p.text_len, h->p.title, h->p.title_len,
                            &r->q->marks, o->snippet_width, &s->snip);
        if (failed) qt_pipeline_set_lang(s->pipe, NULL);
        if (failed) return ql_errf(r->e, QL_E_NOMEM, "out of memory");
        const int bad =
            o->explain && qs_explain_hit(s->set.db, s->pipe, &r->q->origins, &s->fb, r->m, c->i,
                                         c->docid, &h->p, o->k1, o->b, &s->explain, r->e) != 0;
        qt_pipeline_set_lang(s->pipe, NULL);
        if (bad) return -1;
        const qs_hit_t hit = {
            .rank = (unsigned)(r->first + k + 1),
            .score = c->score,
            .docid = c->docid,
            .p = &h->p,
            .root = root_of(s, c->docid, h->p.root),
            .index = local_of(s, c->docid),
            .snippet = &s->snip,
            .copies = h->copies,
            .ncopies = h->ncopies,
            .did_you_mean = s->correcting ? s->suggestion.data : res->did_you_mean,
            .corrected = s->correcting,
            .explain = o->explain ? &s->explain : NULL,
            .title_only = o->snippet_width && !s->snip.body_hits && s->snip.ntitle_hl,
            .total = res->total,
            .total_exact = res->total_exact,
            .warning = res->warning};
        res->hits++;
        if (fn(ctx, &hit)) break;
    }
    return 0;
}

/* One attempt. On failure *failed is the xq status that caused it (XQ_OK
 * when it was not the database), so the caller can reopen, probe the
 * shards and retry. Every hit is read from the index before the first is
 * delivered, so a shard failing halfway leaves nothing half-delivered. */
static int run(qs_searcher_t *s, const qs_query_t *q, const qs_options_t *o, qs_hit_fn fn,
               void *ctx, qs_result_t *res, ql_err_t *e, xq_status_t *failed)
{
    run_t r = {.s = s, .q = q, .o = o, .res = res, .e = e, .failed = XQ_OK};
    r.want = o->offset + o->limit;
    r.depth = r.want > o->depth ? r.want : o->depth;
    int rc = match(&r);
    if (rc == 0) rc = coverage_idf(&r);
    if (rc == 0) rc = candidates(&r);
    if (rc == 0) rc = order(&r);
    if (rc == 0) rc = read_hits(&r);
    if (rc == 0) rc = deliver(&r, fn, ctx);
    *failed = r.failed;
    xq_query_free(r.expanded);
    clear_cands(r.cands, r.ncands);
    free_pending(r.hits, r.nhits);
    free(r.into);
    free(r.idf);
    free(r.group_idf);
    free(r.cands);
    free_notes(&r.notes);
    xq_mset_free(r.m);
    return rc < 0 ? -1 : 0;
}

/* Restricts q to passages of articles dated in [since, until] (0: open). */
static int restrict_dates(qs_query_t *q, uint32_t since, uint32_t until)
{
    char lo[9] = "", hi[9] = "";
    if (since) ql_date_key(since, lo);
    if (until) ql_date_key(until, hi);
    xq_query_t *range = NULL, *both = NULL;
    int rc = xq_query_value_range(QL_SLOT_DATE, lo, strlen(lo), hi, strlen(hi), &range) == XQ_OK
                 ? 0
                 : -1;
    xq_query_t *v[2] = {q->xq, range};
    if (rc == 0) rc = xq_query_combine(XQ_OP_FILTER, v, 2, 0, &both) == XQ_OK ? 0 : -1;
    xq_query_free(range);
    if (rc == 0) {
        xq_query_free(q->xq);
        q->xq = both;
    }
    return rc;
}

/* Did-you-mean, then the search. Returns as run(). */
static int attempt(qs_searcher_t *s, const qs_query_t *q, const char *query, size_t len,
                   const qs_options_t *o, qs_hit_fn fn, void *ctx, qs_result_t *res, ql_err_t *e,
                   xq_status_t *failed)
{
    memset(res, 0, sizeof *res);
    *failed = XQ_OK;
    if (s->warning.len) res->warning = s->warning.data;
    qs_termlist_free(&s->typos);
    qs_termlist_free(&s->fb.terms);
    if (o->suggest) {
        const int found =
            qs_suggest(s->set.db, s->pipe, &q->typed, query, len, &s->suggestion, &s->typos, e);
        if (found < 0) {
            *failed = (xq_status_t)e->cause;
            return -1;
        }
        if (found) res->did_you_mean = s->suggestion.data;
    }
    qs_termlist_free(&s->ignored);
    for (size_t i = 0; i < q->typed.ignored.n; i++)
        if (qs_termlist_add(&s->ignored, q->typed.ignored.terms[i],
                            strlen(q->typed.ignored.terms[i])))
            return ql_errf(e, QL_E_NOMEM, "out of memory");
    res->ignored = (const char *const *)s->ignored.terms;
    res->nignored = s->ignored.n;
    return run(s, q, o, fn, ctx, res, e, failed);
}

/* Compiles the query; when it does not parse for a reason pasted text
 * has (an unclosed quote or parenthesis, a dangling AND) and o->strict is
 * off, its words are searched plainly and s->warning says why. */
static int parse_or_read_plainly(qs_searcher_t *s, const char *query, size_t len,
                                 const qs_options_t *o, qs_query_opts_t *qo, qs_query_t *q,
                                 ql_err_t *e)
{
    ql_buf_reset(&s->warning);
    qs_perr_t kind = QS_PERR_NONE;
    if (qs_query_compile(s->pipe, query, len, qo, q, &kind, e) == 0) return 0;
    if (kind != QS_PERR_STRUCTURE || o->strict) return -1;
    const ql_err_t why = *e;
    qo->reading = QS_PARSE_PLAIN;
    if (qs_query_compile(s->pipe, query, len, qo, q, NULL, e) != 0) {
        if (e->code == QL_E_QUERY) *e = why; /* say what was wrong as typed */
        return -1;
    }
    ql_buf_printf(&s->warning, "%s; searched its words as plain text (--strict refuses it)",
                  why.msg);
    if (s->warning.oom) {
        qs_query_free(q);
        return ql_errf(e, QL_E_NOMEM, "out of memory");
    }
    return 0;
}

static double record_freq(void *ctx, const char *term)
{
    qs_searcher_t *s = ctx;
    return qs_termlist_add(&s->asked, term, strlen(term)) ? 0 : 1;
}

/* Over remote shards each term frequency the parser asks is a round trip to
 * every shard: a first reading records the terms it asks (and those the
 * coverage rule and did-you-mean will ask: the query's words), and they
 * are asked of every shard in one exchange. Best effort: a term this
 * reading missed is asked on its own later. */
static void prefetch_freqs(qs_searcher_t *s, const char *query, size_t len, const qs_options_t *o,
                           const qs_query_opts_t *qo)
{
    qs_query_opts_t rec = *qo;
    rec.termfreq = record_freq;
    rec.termfreq_ctx = s;
    rec.prefix_terms = NULL; /* a listing of the vocabulary costs more than it saves */
    qs_query_t q;
    ql_err_t ignored = {0};
    if (parse_or_read_plainly(s, query, len, o, &rec, &q, &ignored) == 0) {
        for (size_t k = 0; k < q.cover.terms.n; k++)
            qs_termlist_add(&s->asked, q.cover.terms.terms[k], strlen(q.cover.terms.terms[k]));
        for (size_t i = 0; i < q.typed.nwords; i++) {
            char t[256];
            const int n = snprintf(t, sizeof t, "%s%s", QL_PREFIX_BODY, q.typed.words[i].stem);
            if (n > 0 && (size_t)n < sizeof t) qs_termlist_add(&s->asked, t, (size_t)n);
        }
        qs_query_free(&q);
    }
    xq_db_prefetch_freqs(s->set.db, (const char *const *)s->asked.terms, s->asked.n);
    qs_termlist_free(&s->asked);
}

/* One search of query[0..len) as qs_search runs it (o's dates applied);
 * *failed says why one failed. */
static int search_once(qs_searcher_t *s, const char *query, size_t len, const qs_options_t *o,
                       qs_query_opts_t *qo, qs_hit_fn fn, void *ctx, qs_result_t *res, ql_err_t *e,
                       xq_status_t *failed)
{
    qs_query_t q;
    if (parse_or_read_plainly(s, query, len, o, qo, &q, e) != 0) return -1;
    int rc = 0;
    if ((o->since || o->until) && restrict_dates(&q, o->since, o->until) != 0)
        rc = ql_errf(e, QL_E_NOMEM, "out of memory");
    if (rc == 0) rc = attempt(s, &q, query, len, o, fn, ctx, res, e, failed);
    qs_query_free(&q);
    return rc;
}

/* Nothing matched the query as typed and did-you-mean corrected it: the
 * correction is searched instead, as a web search engine does, and res
 * says so (corrected). When it finds nothing either, the query as typed
 * is searched again, so that res and the searcher's buffers it points
 * into (ignored words, warning) are the typed query's: the correction's
 * search had replaced them. 0, or -1 with e set. */
static int search_corrected(qs_searcher_t *s, const char *query, size_t len, const qs_options_t *o,
                            qs_query_opts_t *qo, qs_hit_fn fn, void *ctx, qs_result_t *res,
                            ql_err_t *e)
{
    if (res->hits || res->too_weak || !res->did_you_mean || o->strict || o->offset) return 0;
    char *fixed = strdup(res->did_you_mean);
    if (!fixed) return ql_errf(e, QL_E_NOMEM, "out of memory");
    qs_options_t plain = *o;
    plain.suggest = 0;
    xq_status_t failed = XQ_OK;
    s->correcting = 1; /* the hits say so */
    int rc = search_once(s, fixed, strlen(fixed), &plain, qo, fn, ctx, res, e, &failed);
    s->correcting = 0;
    if (rc == 0 && res->hits) {
        res->corrected = 1;
        res->did_you_mean = s->suggestion.data; /* untouched: no suggestion was made */
    } else { /* nothing either, or the correction failed: the user's query stands */
        rc = search_once(s, query, len, o, qo, fn, ctx, res, e, &failed);
    }
    free(fixed);
    return rc;
}

/* A step failed with failed (an xq status) on attempt tries (0 first):
 * when a remote shard's network failed, probes the shards and names the
 * one at fault (e) or, under allow_partial, leaves it out; 1 when the step
 * may run again, at most once per shard. */
static int shard_left_out(qs_searcher_t *s, xq_status_t failed, size_t tries, ql_err_t *e)
{
    if (failed != XQ_NETWORK || !xq_db_is_remote(s->set.db) || tries > s->set.n) return 0;
    const ql_err_t why = *e;
    return qs_shards_failed(&s->set, XQ_NETWORK, why.msg, e) > 0;
}

int qs_search(qs_searcher_t *s, const char *query, size_t len, const qs_options_t *o, qs_hit_fn fn,
              void *ctx, qs_result_t *res, ql_err_t *e)
{
    memset(res, 0, sizeof *res);
    if (qs_shards_refresh(&s->set, e) != 0) return -1;
    qs_query_t q;
    /* sorted by date, relevance only breaks ties within the MSet's order, so
     * the adjacency bonus stays in the query; otherwise it is weighed on the
     * candidates alone (add_nearness) */
    unsigned ndocs = 0;
    if (xq_db_doccount(s->set.db, &ndocs) != XQ_OK) ndocs = 0;
    /* by default a pair is checked on the candidates alone when it would be
     * checked on more passages than four times as many (docs/BENCHMARKS.md) */
    const double apart = o->prox_apart < 0 ? 4.0 * o->depth : o->prox_apart;
    qs_query_opts_t qo = {.prox = o->prox,
                          .prox_max = o->coord_max,
                          .title = o->title,
                          .aliases = &s->aliases,
                          .keep_stopwords = o->all_words,
                          .prox_apart = !o->sort_date,
                          .termfreq = termfreq_of,
                          .termfreq_ctx = s,
                          .ndocs = (double)ndocs,
                          .apart_docs = apart,
                          .prefix_terms = prefix_terms_of,
                          .langs = s->langs};
    /* the index's languages are read before the query, so a remote shard
     * that goes away during that exchange is probed and left out here as
     * it is during the search (allow_partial), not a fatal error */
    for (size_t tries = 0; index_langs(s, e) != 0; tries++)
        if (!shard_left_out(s, (xq_status_t)e->cause, tries, e)) return -1;
    qo.nlangs = s->nlangs;
    qo.langs_stopwords = !s->english;
    const char *one[1] = {o->language}; /* the query's language said: read in it alone */
    if (o->language[0]) {
        qo.langs = one;
        qo.nlangs = 1;
        qo.only_langs = 1;
    }
    if (xq_db_is_remote(s->set.db)) prefetch_freqs(s, query, len, o, &qo);
    if (parse_or_read_plainly(s, query, len, o, &qo, &q, e) != 0) return -1;
    if ((o->since || o->until) && restrict_dates(&q, o->since, o->until) != 0) {
        qs_query_free(&q);
        return ql_errf(e, QL_E_NOMEM, "out of memory");
    }
    xq_status_t failed = XQ_OK;
    int rc = attempt(s, &q, query, len, o, fn, ctx, res, e, &failed);
    /* A reader that fell behind a writer reopens and retries once. Published
     * generations are never written in place, so one that still sees a
     * "newer revision" right after reopening is reading damaged blocks. */
    if (rc != 0 && failed == XQ_MODIFIED && res->hits == 0 && xq_db_reopen(s->set.db) == XQ_OK) {
        rc = attempt(s, &q, query, len, o, fn, ctx, res, e, &failed);
        if (rc != 0 && failed == XQ_MODIFIED)
            ql_errf(e, QL_E_CORRUPT, "%s: index is corrupt (%s); rebuild it with: quire index",
                    qs_shards_name(&s->set), xq_db_error(s->set.db));
    }
    /* A remote shard failed: name it, or (allow_partial) leave it out and
     * search the others; at most once per shard. */
    for (size_t tries = 0; rc != 0 && res->hits == 0 && shard_left_out(s, failed, tries, e);
         tries++)
        rc = attempt(s, &q, query, len, o, fn, ctx, res, e, &failed);
    qs_query_free(&q);
    if (rc == 0) rc = search_corrected(s, query, len, o, &qo, fn, ctx, res, e);
    if (rc == 0 && s->set.missing.len) res->missing = s->set.missing.data;
    return rc;
}
