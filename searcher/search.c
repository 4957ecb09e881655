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

#include "generation.h"
#include "index.h"
#include "layout.h"
#include "query.h"
#include "suggest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qs_searcher {
    char dir[4096]; /* the index directory; idx is its current generation */
    ql_index_t idx;
    qt_pipeline_t *pipe;
    qs_snippet_t snip;
    ql_buf_t suggestion;
    qs_termlist_t typos; /* terms of the query's words that did-you-mean corrected */
    qs_feedback_t fb;    /* the current search's feedback terms, for --explain */
    qs_explain_t explain;
    qs_aliases_t aliases;
};

typedef struct {
    size_t i; /* index in the mset */
    unsigned docid;
    double score;
    int furniture; /* boilerplate: ranks after every real paragraph */
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
    o->k1 = 1.2;
    o->b = 0.75;
    o->title = 0.3;
    o->prf_docs = 10;
    o->prf_terms = 20;
    o->prf_weight = 1.0;
    o->snippet_width = 200;
    o->suggest = 1;
    o->prox = 1.0;
}

int qs_open(const char *dir, qs_searcher_t **out, ql_err_t *e)
{
    *out = NULL;
    qs_searcher_t *s = calloc(1, sizeof *s);
    if (!s) return ql_errf(e, QL_E_NOMEM, "out of memory");
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    if (ql_index_open(dir, &s->idx, e) != 0) {
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

int qs_add_aliases(qs_searcher_t *s, const char *path, ql_err_t *e)
{
    return qs_aliases_load(&s->aliases, s->pipe, path, 1, e);
}

void qs_close(qs_searcher_t *s)
{
    if (!s) return;
    ql_index_close(&s->idx);
    qt_pipeline_free(s->pipe);
    qs_snippet_free(&s->snip);
    ql_buf_free(&s->suggestion);
    qs_termlist_free(&s->typos);
    qs_termlist_free(&s->fb.terms);
    free(s->fb.scale);
    qs_explain_free(&s->explain);
    qs_aliases_free(&s->aliases);
    free(s);
}

static int by_score(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    if (x->furniture != y->furniture) return x->furniture - y->furniture;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->docid < y->docid ? -1 : x->docid > y->docid;
}

static const char *root_of(const qs_searcher_t *s, uint32_t id)
{
    return id < s->idx.nroots ? s->idx.roots[id] : "";
}

static int xq_err(qs_searcher_t *s, xq_status_t st, ql_err_t *e)
{
    return ql_errf(e, ql_code_of(st), "%s: %s", s->idx.path,
                   *xq_db_error(s->idx.db) ? xq_db_error(s->idx.db) : xq_status_text(st));
}

/* Lists the other passages with hit i's text into *copies. */
static int find_copies(qs_searcher_t *s, xq_mset_t *m, size_t i, unsigned self, qs_copy_t **copies,
                       size_t *n, ql_err_t *e)
{
    *copies = NULL;
    *n = 0;
    char key[16];
    size_t klen = 0;
    xq_status_t st = xq_mset_collapse_key(m, i, key, sizeof key, &klen);
    if (st != XQ_OK) return ql_errf(e, ql_code_of(st), "%s", xq_mset_error(m));
    if (klen != 8) return 0;
    char term[24];
    snprintf(term, sizeof term, "%s", QL_PREFIX_DUP);
    for (size_t k = 0; k < 8; k++)
        snprintf(term + 1 + 2 * k, sizeof term - 1 - 2 * k, "%02x", (unsigned char)key[k]);
    xq_docid_t *ids = NULL;
    size_t nids = 0;
    st = xq_db_postings(s->idx.db, term, strlen(term), &ids, &nids);
    if (st != XQ_OK) return xq_err(s, st, e);
    int rc = 0;
    if (nids > 1 && !(*copies = calloc(nids - 1, sizeof **copies)))
        rc = ql_errf(e, QL_E_NOMEM, "out of memory");
    for (size_t k = 0; k < nids && rc == 0; k++) {
        if (ids[k] == self) continue;
        char *data = NULL;
        size_t len = 0;
        ql_passage_t p;
        st = xq_db_get_data(s->idx.db, ids[k], &data, &len);
        if (st != XQ_OK)
            rc = xq_err(s, st, e);
        else if (ql_record_decode(data, len, &p) != 0)
            rc = ql_errf(e, QL_E_CORRUPT, "%s: passage %u has a malformed record", s->idx.path,
                         ids[k]);
        else {
            qs_copy_t *c = &(*copies)[*n];
            c->root = root_of(s, p.root);
            c->path = strndup(p.path, p.path_len);
            c->line_start = p.line_start;
            c->line_end = p.line_end;
            c->byte_start = p.byte_start;
            c->byte_end = p.byte_end;
            if (!c->path)
                rc = ql_errf(e, QL_E_NOMEM, "out of memory");
            else
                (*n)++;
        }
        free(data);
    }
    free(ids);
    return rc;
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

/* Pseudo-relevance feedback: the query, re-weighted by the terms that best
 * characterise its top passages. AND_MAYBE keeps the match set the user's
 * words chose; feedback only reorders it. *out is NULL when there is nothing
 * to add. */
static xq_status_t expand_query(qs_searcher_t *s, const qs_query_t *q, const qs_options_t *o,
                                xq_query_t **out)
{
    *out = NULL;
    xq_search_opts_t fo = {0, o->prf_docs, 0, QL_SLOT_DUP, o->k1, o->b};
    xq_mset_t *m = NULL;
    xq_status_t st = xq_db_search(s->idx.db, q->xq, &fo, &m);
    xq_docid_t *docs = NULL;
    prf_t p = {NULL, 0, 0, 0, o->prf_weight, 0, &s->fb};
    const size_t n = st == XQ_OK ? xq_mset_size(m) : 0;
    if (n && !(docs = malloc(n * sizeof *docs))) st = XQ_NOMEM;
    for (size_t i = 0; st == XQ_OK && i < n; i++) docs[i] = xq_mset_docid(m, i);
    if (st == XQ_OK && n)
        st = xq_db_expand(s->idx.db, q->xq, docs, n, o->prf_terms, QL_PREFIX_BODY, prf_term, &p);
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
    free(docs);
    xq_mset_free(m);
    return st;
}

static int by_docid(const void *a, const void *b)
{
    const xq_docid_t x = ((const cand_t *)a)->docid, y = ((const cand_t *)b)->docid;
    return x < y ? -1 : x > y;
}

/* Coverage: a group (a word, or all names of an alias) counts with the IDF
 * of its rarest term, and is covered by its rarest matching term.
 *
 * Sets each candidate's boilerplate flag and, when total_idf > 0, scales its
 * score by the share of the query's groups it holds (coverage^coord), the
 * best share going to res. Leaves cands in docid order. */
static xq_status_t mark_candidates(qs_searcher_t *s, const qs_query_t *q, const qs_options_t *o,
                                   cand_t *cands, size_t n, const double *idf, double total_idf,
                                   qs_result_t *res)
{
    if (n == 0) return XQ_OK;
    qsort(cands, n, sizeof *cands, by_docid);
    xq_docid_t *ids = malloc(n * sizeof *ids);
    int *prior = malloc(n * sizeof *prior);
    unsigned char *has = malloc(n);
    const size_t ng = total_idf > 0 ? q->ngroups : 0;
    double *got = calloc(n * (ng ? ng : 1), sizeof *got);
    xq_status_t st = ids && prior && has && got ? XQ_OK : XQ_NOMEM;
    for (size_t i = 0; st == XQ_OK && i < n; i++) ids[i] = cands[i].docid;
    if (st == XQ_OK) st = xq_db_value_byte(s->idx.db, QL_SLOT_PRIOR, ids, n, prior);
    for (size_t i = 0; st == XQ_OK && i < n; i++)
        cands[i].furniture = prior[i] >= 0 && prior[i] < 100;
    for (size_t k = 0; st == XQ_OK && ng && k < q->scored.n; k++) {
        const char *t = q->scored.terms[k];
        st = xq_db_has_term(s->idx.db, t, strlen(t), ids, n, has);
        for (size_t i = 0; st == XQ_OK && i < n; i++) {
            double *g = &got[i * ng + q->group[k]];
            if (has[i] && idf[k] > *g) *g = idf[k];
        }
    }
    for (size_t i = 0; st == XQ_OK && ng && i < n; i++) {
        double covered = 0;
        for (size_t g = 0; g < ng; g++) covered += got[i * ng + g];
        cands[i].score *= pow(covered / total_idf, o->coord);
        if (covered / total_idf > res->best_coverage) res->best_coverage = covered / total_idf;
    }
    free(ids);
    free(prior);
    free(has);
    free(got);
    return st;
}

/* One attempt; returns the xq status when the failure is XQ_MODIFIED so the
 * caller can reopen and retry, else 0 / -1. */
static int run(qs_searcher_t *s, const qs_query_t *q, const qs_options_t *o, qs_hit_fn fn,
               void *ctx, qs_result_t *res, ql_err_t *e, int *modified)
{
    xq_mset_t *m = NULL;
    cand_t *cands = NULL;
    double *idf = NULL, *group_idf = NULL;
    int rc = -1;
    *modified = 0;

    const unsigned want = o->offset + o->limit;
    xq_search_opts_t so = {0, want > o->depth ? want : o->depth, 0, QL_SLOT_DUP, o->k1, o->b};
    xq_query_t *expanded = NULL;
    xq_status_t st = XQ_OK;
    /* Feedback helps long questions; on a few keywords it drifts off topic. */
    if (o->prf_docs && o->prf_terms && o->prf_weight > 0 && q->ngroups > o->coord_max)
        st = expand_query(s, q, o, &expanded);
    if (st == XQ_OK) st = xq_db_search(s->idx.db, expanded ? expanded : q->xq, &so, &m);
    xq_query_free(expanded);
    if (st != XQ_OK) {
        *modified = st == XQ_MODIFIED;
        xq_err(s, st, e);
        goto done;
    }
    const size_t n = xq_mset_size(m);
    res->estimated = xq_mset_estimate(m);
    if (!(cands = calloc(n ? n : 1, sizeof *cands)) ||
        !(idf = calloc(q->scored.n ? q->scored.n : 1, sizeof *idf))) {
        ql_errf(e, QL_E_NOMEM, "out of memory");
        goto done;
    }

    /* Query coverage needs each scored term's IDF, and each group's. */
    double total_idf = 0;
    unsigned ndocs = 0;
    if (o->coord > 0 && q->ngroups > 1 && q->ngroups <= o->coord_max) {
        group_idf = calloc(q->ngroups, sizeof *group_idf);
        st = group_idf ? xq_db_doccount(s->idx.db, &ndocs) : XQ_NOMEM;
        for (size_t k = 0; k < q->scored.n && st == XQ_OK; k++) {
            unsigned df = 0;
            st = xq_db_termfreq(s->idx.db, q->scored.terms[k], strlen(q->scored.terms[k]), &df);
            /* a word no passage has counts as the rarest possible, unless it
             * looks like a typo of one (did-you-mean says so) */
            idf[k] = df == 0 && qs_termlist_has(&s->typos, q->scored.terms[k],
                                                strlen(q->scored.terms[k]))
                         ? 0
                         : log(1.0 + (ndocs - df + 0.5) / (df + 0.5));
            if (idf[k] > group_idf[q->group[k]]) group_idf[q->group[k]] = idf[k];
        }
        for (unsigned g = 0; st == XQ_OK && g < q->ngroups; g++) total_idf += group_idf[g];
        if (st != XQ_OK) {
            *modified = st == XQ_MODIFIED;
            xq_err(s, st, e);
            goto done;
        }
    }
    for (size_t i = 0; i < n; i++) {
        cands[i].i = i;
        cands[i].docid = xq_mset_docid(m, i);
        cands[i].score = xq_mset_weight(m, i);
    }
    /* The boilerplate mark and query coverage of every candidate, read in
     * docid order: one pass over a value stream and over each query term's
     * postings, not a document and term list per candidate. */
    st = mark_candidates(s, q, o, cands, n, idf, total_idf, res);
    if (st != XQ_OK) {
        *modified = st == XQ_MODIFIED;
        xq_err(s, st, e);
        goto done;
    }
    qsort(cands, n, sizeof *cands, by_score);
    /* No passage holds even half of a short query: nothing is relevant, so
     * say so rather than list passages that each hold one word of it. */
    if (total_idf > 0 && res->best_coverage < o->min_share) {
        res->too_weak = 1;
        rc = 0;
        goto done;
    }

    for (size_t r = o->offset; r < n && r < want; r++) {
        char *data = NULL;
        size_t len = 0;
        ql_passage_t p;
        qs_copy_t *copies = NULL;
        size_t ncopies = 0;
        st = xq_db_get_data(s->idx.db, cands[r].docid, &data, &len);
        if (st != XQ_OK) {
            *modified = st == XQ_MODIFIED;
            xq_err(s, st, e);
            goto done;
        }
        if (ql_record_decode(data, len, &p) != 0) {
            free(data);
            ql_errf(e, QL_E_CORRUPT, "%s: passage %u has a malformed record", s->idx.path,
                    cands[r].docid);
            goto done;
        }
        int hrc = find_copies(s, m, cands[r].i, cands[r].docid, &copies, &ncopies, e);
        ql_buf_reset(&s->snip.text);
        s->snip.nhl = 0;
        if (hrc == 0 && o->snippet_width &&
            qs_snippet_make(s->pipe, p.text, p.text_len, q, o->snippet_width, &s->snip) != 0)
            hrc = ql_errf(e, QL_E_NOMEM, "out of memory");
        if (hrc == 0 && o->explain)
            hrc = qs_explain_hit(s->idx.db, s->pipe, q, &s->fb, m, cands[r].i, cands[r].docid, &p,
                                 o->k1, o->b, &s->explain, e);
        if (hrc == 0) {
            const qs_hit_t hit = {(unsigned)(r + 1),
                                  cands[r].score,
                                  cands[r].docid,
                                  &p,
                                  root_of(s, p.root),
                                  &s->snip,
                                  copies,
                                  ncopies,
                                  res->did_you_mean,
                                  o->explain ? &s->explain : NULL};
            res->hits++;
            hrc = fn(ctx, &hit) ? 1 : 0;
        }
        free_copies(copies, ncopies);
        free(data);
        if (hrc < 0) goto done;
        if (hrc > 0) break;
    }
    rc = 0;
done:
    free(idf);
    free(group_idf);
    free(cands);
    xq_mset_free(m);
    return rc;
}

/* A long-lived searcher follows publishing: when `current` names another
 * generation than the one open, that one is opened and the old one closed
 * (the writer deletes it after the next publish). If the new one cannot be
 * opened yet, the old one serves this search. */
static void follow_current(qs_searcher_t *s)
{
    char now[sizeof s->idx.path];
    ql_err_t ignored = {0};
    if (ql_gen_current(s->dir, now, sizeof now, &ignored) != 0 || strcmp(now, s->idx.path) == 0)
        return;
    ql_index_t fresh;
    if (ql_index_open(s->dir, &fresh, &ignored) != 0) return;
    ql_index_close(&s->idx);
    s->idx = fresh;
}

int qs_search(qs_searcher_t *s, const char *query, size_t len, const qs_options_t *o, qs_hit_fn fn,
              void *ctx, qs_result_t *res, ql_err_t *e)
{
    follow_current(s);
    qs_query_t q;
    memset(res, 0, sizeof *res);
    const qs_query_opts_t qo = {o->prox, o->coord_max, o->title, &s->aliases};
    if (qs_query_parse(s->pipe, query, len, &qo, &q, e) != 0) return -1;
    qs_termlist_free(&s->typos);
    qs_termlist_free(&s->fb.terms);
    if (o->suggest) {
        const int found =
            qs_suggest(s->idx.db, s->pipe, &q, query, len, &s->suggestion, &s->typos, e);
        if (found < 0) {
            qs_query_free(&q);
            return -1;
        }
        if (found) res->did_you_mean = s->suggestion.data;
    }
    int modified = 0;
    int rc = run(s, &q, o, fn, ctx, res, e, &modified);
    if (rc != 0 && modified && res->hits == 0 && xq_db_reopen(s->idx.db) == XQ_OK) {
        rc = run(s, &q, o, fn, ctx, res, e, &modified);
        /* Published generations are never written in place, so a reader that
         * still sees a "newer revision" right after reopening is reading
         * damaged blocks. */
        if (rc != 0 && modified)
            ql_errf(e, QL_E_CORRUPT, "%s: index is corrupt (%s); rebuild it with: quire index",
                    s->idx.path, xq_db_error(s->idx.db));
    }
    qs_query_free(&q);
    return rc;
}
