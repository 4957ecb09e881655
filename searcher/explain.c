/*
 * explain.c - per-term shares of a hit's score (explain.h).
 *
 * Each matched term's weight is recomputed with the BM25 formula Xapian uses
 * (k1, b; passage length normalised by the average, at least 0.5) from
 * Xapian's own statistics, times the factor the query gave the term (title
 * 0.3, feedback terms their expansion weight). Shares are of the sum; the
 * coverage factor and boilerplate tiers then order passages, and are the
 * same for every term of one passage.
 */
#include "explain.h"

#include "index.h"
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    qs_explain_t *x;
    int oom;
} gather_t;

static int gather(void *ctx, const char *term, size_t len)
{
    gather_t *g = ctx;
    qs_explain_t *x = g->x;
    if (len >= sizeof x->v[0].term) return 0;
    if (x->n == x->cap) {
        const size_t cap = x->cap ? x->cap * 2 : 16;
        qs_explain_item_t *v = realloc(x->v, cap * sizeof *v);
        if (!v) return g->oom = 1;
        x->v = v;
        x->cap = cap;
    }
    qs_explain_item_t *it = &x->v[x->n++];
    memset(it, 0, sizeof *it);
    memcpy(it->term, term, len);
    return 0;
}

typedef struct {
    qs_explain_t *x;
    const char *prefix; /* which items this text can show: Z and A, or S */
} surface_t;

/* Finds, for each item, the first word of a text that it matched. */
typedef struct {
    surface_t s;
    const char *text;
} surface_ctx_t;

static int surface_text(void *ctx, const qt_token_t *t)
{
    surface_ctx_t *c = ctx;
    if (t->flags & (QT_TOK_TOOLONG | QT_TOK_TAG)) return 0;
    for (size_t i = 0; i < c->s.x->n; i++) {
        qs_explain_item_t *it = &c->s.x->v[i];
        if (it->matched[0]) continue;
        const char *body = it->term + 1;
        int hit = 0;
        if (it->term[0] == QL_PREFIX_CAPS[0] && c->s.prefix[0] == QL_PREFIX_BODY[0])
            hit = (t->flags & QT_TOK_UPPER) && strlen(body) == t->norm_len &&
                  memcmp(body, t->norm, t->norm_len) == 0;
        else if (it->term[0] == c->s.prefix[0])
            hit = strlen(body) == t->stem_len && memcmp(body, t->stem, t->stem_len) == 0;
        if (hit) {
            snprintf(it->matched, sizeof it->matched, "%.*s", (int)(t->end - t->start),
                     c->text + t->start);
            if (c->s.prefix[0] == QL_PREFIX_BODY[0]) {
                it->at = t->start;
                it->end = t->end;
            }
        }
    }
    return 0;
}

static int by_at(const void *a, const void *b)
{
    const qs_explain_item_t *x = *(qs_explain_item_t *const *)a;
    const qs_explain_item_t *y = *(qs_explain_item_t *const *)b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* Folds the terms of each alias (and of its related names) into its first item, weights summed,
 * shown as the longest run of adjacent words the alias matched in the passage. */
static void merge_aliases(qs_explain_t *x, const char *text)
{
    for (size_t i = 0; i < x->n; i++) {
        qs_explain_item_t *a = &x->v[i];
        if ((a->kind != QS_FROM_ALIAS && a->kind != QS_FROM_RELATED) || a->share < 0) continue;
        const qs_explain_item_t *runs[64];
        size_t nr = 0;
        for (size_t k = i; k < x->n; k++) {
            qs_explain_item_t *b = &x->v[k];
            if (b->kind != a->kind || strcmp(b->from, a->from) != 0) continue;
            if (b->end && nr < 64) runs[nr++] = b;
            if (k != i) {
                a->weight += b->weight;
                a->share += b->share;
                b->share = -1; /* folded into a */
            }
        }
        if (nr == 0) continue;
        qsort(runs, nr, sizeof *runs, by_at);
        size_t best_a = runs[0]->at, best_e = runs[0]->end, cur_a = best_a, cur_e = best_e;
        for (size_t k = 1; k < nr; k++) {
            if (runs[k]->at >= cur_e && runs[k]->at - cur_e <= 2) {
                cur_e = runs[k]->end;
            } else {
                cur_a = runs[k]->at;
                cur_e = runs[k]->end;
            }
            if (cur_e - cur_a > best_e - best_a) {
                best_a = cur_a;
                best_e = cur_e;
            }
        }
        snprintf(a->matched, sizeof a->matched, "%.*s", (int)(best_e - best_a), text + best_a);
    }
    size_t w = 0;
    for (size_t i = 0; i < x->n; i++)
        if (x->v[i].share >= 0) x->v[w++] = x->v[i];
    x->n = w;
}

static int by_share(const void *a, const void *b)
{
    const qs_explain_item_t *x = a, *y = b;
    return x->share > y->share ? -1 : x->share < y->share;
}

int qs_explain_hit(xq_db_t *db, qt_pipeline_t *p, const qs_origins_t *origins,
                   const qs_feedback_t *fb, xq_mset_t *m, size_t i, xq_docid_t docid,
                   const ql_passage_t *pass, double k1, double b, qs_explain_t *out, ql_err_t *e)
{
    out->n = 0;
    gather_t g = {out, 0};
    xq_status_t st = xq_mset_matching_terms(m, i, gather, &g);
    if (st != XQ_OK) return ql_err_xq(e, st, "explaining: %s", xq_mset_error(m));
    if (g.oom) return ql_errf(e, QL_E_NOMEM, "out of memory");
    unsigned ndocs = 0;
    st = xq_db_doccount(db, &ndocs);
    double total = 0;
    for (size_t k = 0; k < out->n && st == XQ_OK; k++) {
        qs_explain_item_t *it = &out->v[k];
        const size_t tl = strlen(it->term);
        it->kind = QS_FROM_FEEDBACK;
        double scale = 1.0;
        int known = 0;
        for (size_t j = 0; j < origins->n && !known; j++)
            if (strcmp(origins->v[j].term, it->term) == 0) {
                known = 1;
                it->kind = origins->v[j].kind;
                scale = origins->v[j].scale;
                snprintf(it->from, sizeof it->from, "%s", origins->v[j].from);
            }
        for (size_t j = 0; j < fb->terms.n && !known; j++)
            if (strcmp(fb->terms.terms[j], it->term) == 0) {
                known = 1;
                scale = fb->scale[j];
            }
        if (!known) { /* a stopword of a long alias name ("of" in State of Kuwait):
                       * no weight of its own, only inside the name's phrase */
            it->weight = -1;
            continue;
        }
        if (!it->from[0]) snprintf(it->from, sizeof it->from, "%s", it->term + 1);
        unsigned df = 0, wdf = 0, dl = 0;
        double avlen = 1;
        st = xq_db_termfreq(db, it->term, tl, &df);
        if (st == XQ_OK) st = xq_db_term_stats(db, it->term, tl, docid, &wdf, &dl, &avlen);
        if (st != XQ_OK) break;
        double norm = avlen > 0 ? dl / avlen : 1;
        if (norm < 0.5) norm = 0.5;
        const double idf = log(1.0 + (ndocs - df + 0.5) / (df + 0.5));
        it->weight = scale * idf * (k1 + 1) * wdf / (k1 * ((1 - b) + b * norm) + wdf);
        total += it->weight;
    }
    if (st != XQ_OK) return ql_err_xq(e, st, "explaining: %s", xq_db_error(db));
    size_t kept = 0;
    for (size_t k = 0; k < out->n; k++)
        if (out->v[k].weight >= 0) out->v[kept++] = out->v[k];
    out->n = kept;
    for (size_t k = 0; k < out->n; k++) out->v[k].share = total > 0 ? out->v[k].weight / total : 0;
    surface_ctx_t body = {{out, QL_PREFIX_BODY}, pass->text};
    surface_ctx_t title = {{out, QL_PREFIX_TITLE}, pass->title};
    if (qt_tokenize(p, pass->text, pass->text_len, surface_text, &body) < 0 ||
        qt_tokenize(p, pass->title, pass->title_len, surface_text, &title) < 0)
        return ql_errf(e, QL_E_NOMEM, "out of memory");
    merge_aliases(out, pass->text);
    qsort(out->v, out->n, sizeof *out->v, by_share);
    return 0;
}

void qs_explain_free(qs_explain_t *x)
{
    free(x->v);
    memset(x, 0, sizeof *x);
}
