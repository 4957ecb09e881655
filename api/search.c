/*
 * search.c - quire_search() (quire.h): options from the public struct to
 * the search core's, each core hit turned into a quire_hit_t (its place in
 * the file, the snippet's highlight ranges, copies and explanation in
 * arrays the handle keeps and reuses), and the callback's answer turned
 * into a status: stop, fail, or go on.
 */
#include "api.h"

#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIMIT 100000u

void quire_search_opts_init(quire_search_opts_t *o)
{
    if (!o) return;
    qs_options_t d;
    qs_options_default(&d);
    *o = (quire_search_opts_t){.offset = d.offset,
                               .limit = d.limit,
                               .snippet_width = (unsigned)d.snippet_width,
                               .k1 = d.k1,
                               .b = d.b,
                               .coord = d.coord,
                               .prox = d.prox,
                               .title = d.title,
                               .prf_docs = d.prf_docs,
                               .prf_terms = d.prf_terms,
                               .prf_weight = d.prf_weight};
}

/* The core's options for o; NULL when o is out of range (why in *why). */
static int core_options(const quire_search_opts_t *o, qs_options_t *c, const char **why)
{
    qs_options_default(c);
    if (!o) return 0;
    if (o->limit > MAX_LIMIT || o->offset > MAX_LIMIT) {
        *why = "limit and offset are at most 100000";
        return -1;
    }
    if (!(o->k1 >= 0 && o->b >= 0 && o->b <= 1 && o->coord >= 0 && o->prox >= 0 && o->title >= 0 &&
          o->prf_weight >= 0)) {
        *why = "a ranking parameter is negative or not a number (b is at most 1)";
        return -1;
    }
    if (o->since && o->until && o->since > o->until) {
        *why = "since is later than until";
        return -1;
    }
    c->offset = o->offset;
    c->limit = o->limit;
    c->since = o->since;
    c->until = o->until;
    c->sort_date = o->sort_by_date;
    c->strict = o->strict;
    c->all_words = o->all_words;
    char code[8] = "";
    if (o->language && !quire_language_tag(o->language)) {
        *why = "language is not a language tag (en, ru, zh-Hans, fr-CA)";
        return -1;
    }
    if (o->language) {
        size_t k = 0;
        while (k < 3 && o->language[k] && o->language[k] != '-' && o->language[k] != '_') {
            const char ch = o->language[k];
            code[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        }
        code[k] = '\0';
    }
    memcpy(c->language, code, sizeof code);
    c->time_limit_ms = o->time_limit_ms;
    if (o->partial_matches) c->min_share = 0;
    c->count = o->count;
    c->explain = o->explain;
    c->snippet_width = o->snippet_width;
    c->k1 = o->k1;
    c->b = o->b;
    c->coord = o->coord;
    c->prox = o->prox;
    c->title = o->title;
    c->prf_docs = o->prf_docs;
    c->prf_terms = o->prf_terms;
    c->prf_weight = o->prf_weight;
    return 0;
}

typedef struct {
    quire_db_t *db;
    quire_hit_fn fn;
    void *ctx;
    int with_text; /* snippet_width is not 0 */
    int answer;    /* the callback's last answer */
    int oom;
} adapter_t;

/* Grows *v (of *cap elements of size sz) to hold n. */
static int reserve(void **v, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap) return 0;
    const size_t want = n < 16 ? 16 : n;
    void *p = realloc(*v, want * sz);
    if (!p) return -1;
    *v = p;
    *cap = want;
    return 0;
}

static int ranges(quire_range_t **v, size_t *cap, const qs_span_t *sp, size_t n)
{
    if (reserve((void **)v, cap, n, sizeof **v) != 0) return -1;
    for (size_t i = 0; i < n; i++) (*v)[i] = (quire_range_t){sp[i].start, sp[i].end};
    return 0;
}

static const char *kind_name(qs_from_t k)
{
    static const char *const names[] = {"word", "alias", "related", "title", "feedback"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "word";
}

/* Fills h's arrays from the core hit into the handle's buffers. */
static int arrays(quire_db_t *db, const qs_hit_t *c, quire_hit_t *h)
{
    const qs_snippet_t *sn = c->snippet;
    if (ranges(&db->hl, &db->caphl, sn->hl, sn->nhl) != 0 ||
        ranges(&db->title_hl, &db->captitle_hl, sn->title_hl, sn->ntitle_hl) != 0 ||
        reserve((void **)&db->copies, &db->capcopies, c->ncopies, sizeof *db->copies) != 0)
        return -1;
    for (size_t i = 0; i < c->ncopies; i++) {
        const qs_copy_t *k = &c->copies[i];
        db->copies[i] = (quire_copy_t){k->root,       k->path,     k->line_start, k->line_end,
                                       k->byte_start, k->byte_end, k->part_kind,  k->part};
    }
    const size_t nx = c->explain ? c->explain->n : 0;
    if (reserve((void **)&db->explain, &db->capexplain, nx, sizeof *db->explain) != 0) return -1;
    for (size_t i = 0; i < nx; i++) {
        const qs_explain_item_t *it = &c->explain->v[i];
        db->explain[i] = (quire_explain_t){it->term,   it->from, it->matched, kind_name(it->kind),
                                           it->weight, it->share};
    }
    h->highlights = db->hl;
    h->nhighlights = sn->nhl;
    h->title_highlights = db->title_hl;
    h->ntitle_highlights = sn->ntitle_hl;
    h->copies = db->copies;
    h->ncopies = c->ncopies;
    h->explain = c->explain ? db->explain : NULL;
    h->nexplain = nx;
    return 0;
}

static int on_core_hit(void *ctx, const qs_hit_t *c)
{
    adapter_t *a = ctx;
    const ql_passage_t *p = c->p;
    const qs_snippet_t *sn = c->snippet;
    quire_hit_t h = {.rank = c->rank,
                     .score = c->score,
                     .root = c->root,
                     .path = p->path,
                     .path_len = p->path_len,
                     .line_start = p->line_start,
                     .line_end = p->line_end,
                     .column_start = p->col_start ? p->col_start : 1,
                     .byte_start = p->byte_start,
                     .byte_end = p->byte_end,
                     .record = p->record,
                     .part_kind = p->part_kind,
                     .part = p->part,
                     .title = p->title,
                     .title_len = p->title_len,
                     .date = p->date,
                     .source = p->source,
                     .source_len = p->source_len,
                     .url = p->url,
                     .url_len = p->url_len,
                     .snippet = sn->text.data ? sn->text.data : "",
                     .snippet_len = sn->text.len,
                     .title_only = c->title_only,
                     .stale = api_stale(a->db, c),
                     .total = c->total,
                     .total_exact = c->total_exact,
                     .did_you_mean = c->did_you_mean,
                     .corrected = c->corrected,
                     .warning = c->warning};
    char lang[16]; /* NUL-terminated, valid during the callback */
    snprintf(lang, sizeof lang, "%.*s", (int)(p->lang_len < 15 ? p->lang_len : 15), p->lang);
    h.lang = lang;
    if (a->with_text) {
        h.text = p->text;
        h.text_len = p->text_len;
    }
    ql_place_t at;
    const size_t first = sn->nhl ? sn->hl[0].at : 0;
    if (ql_passage_locate(p, first, &at) == 0) {
        h.has_match = sn->nhl > 0;
        h.match_line = at.line;
        h.match_column = at.column;
        h.match_byte = at.byte;
    } else {
        h.match_line = h.line_start;
        h.match_column = h.column_start;
        h.match_byte = h.byte_start;
    }
    if (arrays(a->db, c, &h) != 0) {
        a->oom = 1;
        return 1;
    }
    a->answer = a->fn(a->ctx, &h);
    return a->answer != QUIRE_CONTINUE;
}

/* The core's result into the public one. */
static void result(const qs_result_t *r, const qs_options_t *o, quire_result_t *out)
{
    *out = (quire_result_t){.hits = r->hits,
                            .total = r->total,
                            .total_exact = r->total_exact,
                            .estimated = r->estimated,
                            .did_you_mean = r->did_you_mean,
                            .corrected = r->corrected,
                            .ignored = r->ignored,
                            .nignored = r->nignored,
                            .abstained = r->too_weak,
                            .best_coverage = r->best_coverage,
                            .needed_coverage = o->min_share,
                            .warning = r->warning,
                            .missing = r->missing};
}

quire_status_t quire_search(quire_db_t *db, const char *query, size_t len,
                            const quire_search_opts_t *opts, quire_hit_fn fn, void *ctx,
                            quire_result_t *res)
{
    quire_status_t st = api_enter(db);
    if (st != QUIRE_OK) return st;
    if (res) memset(res, 0, sizeof *res);
    if (!query && len) return api_failf(db, QUIRE_BAD_ARGUMENT, "no query text (NULL)");
    if (!fn) return api_failf(db, QUIRE_BAD_ARGUMENT, "no hit callback (NULL)");
    if (!db->s) return api_failf(db, QUIRE_BAD_ARGUMENT, "the index did not open");
    qs_options_t o;
    const char *why = NULL;
    if (core_options(opts, &o, &why) != 0) return api_failf(db, QUIRE_BAD_ARGUMENT, why);
    adapter_t a = {db, fn, ctx, o.snippet_width != 0, QUIRE_CONTINUE, 0};
    qs_result_t r = {0};
    ql_err_t e = {0};
    if (qs_search(db->s, query ? query : "", len, &o, on_core_hit, &a, &r, &e) != 0)
        return api_fail(db, &e);
    if (res) result(&r, &o, res);
    if (a.oom) return api_failf(db, QUIRE_NO_MEMORY, "out of memory");
    if (a.answer == QUIRE_STOP) return api_failf(db, QUIRE_STOPPED, "the hit callback stopped");
    if (a.answer != QUIRE_CONTINUE)
        return api_failf(db, QUIRE_CALLBACK_FAILED, "the hit callback failed");
    return QUIRE_OK;
}
