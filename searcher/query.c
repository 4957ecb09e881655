/*
 * query.c - lexer, recursive-descent parser and compiler for Quire's query
 * syntax (query.h). The parser builds a small tree; the compiler turns each
 * word and phrase into terms with the one text pipeline and the tree into
 * Xapian queries through xq.h. Syntax errors name the column where they are.
 */
#include "query.h"
#include "readings.h"

#include "buf.h"
#include "date.h"
#include "hash.h"
#include "layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ term lists */

/* Term lists are searched for every word a query adds (its terms, each
 * alias name's, each prefix expansion's): past INDEX_FROM terms a hash
 * index keeps that constant, not linear (a 999-word query of aliases was
 * quadratic). */
#define INDEX_FROM 16

static size_t slot_of(const qs_termlist_t *l, const char *s, size_t n)
{
    size_t h = (size_t)ql_fnv1a(QL_FNV_OFFSET, s, n) & (l->nslots - 1);
    while (l->slots[h]) {
        const char *t = l->terms[l->slots[h] - 1];
        if (strlen(t) == n && memcmp(t, s, n) == 0) break;
        h = (h + 1) & (l->nslots - 1);
    }
    return h;
}

static int reindex(qs_termlist_t *l)
{
    size_t cap = 64;
    while (cap < 4 * (l->n + 1)) cap *= 2;
    size_t *v = calloc(cap, sizeof *v);
    if (!v) return -1;
    free(l->slots);
    l->slots = v;
    l->nslots = cap;
    for (size_t i = 0; i < l->n; i++)
        l->slots[slot_of(l, l->terms[i], strlen(l->terms[i]))] = i + 1;
    return 0;
}

size_t qs_termlist_find(const qs_termlist_t *l, const char *s, size_t n)
{
    if (l->slots) return l->slots[slot_of(l, s, n)] - 1; /* 0 - 1: SIZE_MAX */
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->terms[i]) == n && memcmp(l->terms[i], s, n) == 0) return i;
    return SIZE_MAX;
}

int qs_termlist_has(const qs_termlist_t *l, const char *s, size_t n)
{
    return qs_termlist_find(l, s, n) != SIZE_MAX;
}

int qs_termlist_add(qs_termlist_t *l, const char *s, size_t n)
{
    if (qs_termlist_has(l, s, n)) return 0;
    if (l->n == l->cap) {
        const size_t cap = l->cap ? l->cap * 2 : 8;
        char **t = realloc(l->terms, cap * sizeof *t);
        if (!t) return -1;
        l->terms = t;
        l->cap = cap;
    }
    char *c = malloc(n + 1);
    if (!c) return -1;
    memcpy(c, s, n);
    c[n] = '\0';
    l->terms[l->n++] = c;
    if (l->slots && 2 * l->n < l->nslots) {
        l->slots[slot_of(l, c, n)] = l->n;
        return 0;
    }
    return l->n >= INDEX_FROM ? reindex(l) : 0;
}

void qs_termlist_free(qs_termlist_t *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->terms[i]);
    free(l->terms);
    free(l->slots);
    memset(l, 0, sizeof *l);
}

/* What became of a sequence's item before it is compiled (compile_seq's
 * consumed[]): still to compile, part of an alias run, or a stopword left
 * out. */
enum { ITEM_OWN = 0, ITEM_IN_ALIAS = 1, ITEM_STOPWORD = 2 };

typedef struct {
    const char *s; /* the query text */
    const qs_tree_t *tree;
    ql_err_t *e;
    qs_perr_t kind; /* of the error, when compiling fails */
    qt_pipeline_t *pipe;
    qs_query_t *out;
    qs_query_opts_t opts;
    const qs_node_t *root;
    /* words compiled to their own body term (and the title match), so any
     * passage holding the term matches them: their pairs can be a bonus on
     * the candidates alone (q->near); only the first few are kept */
    const qs_node_t *plain[16];
    size_t nplain;
    unsigned nstopped;     /* stopwords left out */
    const char *langs[16]; /* the other languages each word is read in (readings.h) */
    size_t nlangs;
    int langs_stop;  /* their stopwords are left out of loose words too */
    const char *own; /* the query's language, said (--language): read in it alone */
} parser_t;

/* An operator the compiler cannot build as written (a prefix too wide, NEAR
 * on a title): always an error; returns -1. */
static int op_error(parser_t *ps, size_t at, const char *what)
{
    ps->kind = QS_PERR_OPERATOR;
    return qs_tree_error(ps->tree, at, what, ps->e);
}

/* ------------------------------------------------------------ compiler */

int qs_query_add_origin(qs_query_t *q, const char *term, size_t tlen, const char *from, size_t flen,
                        qs_from_t kind, double scale)
{
    if (qs_termlist_has(&q->origins.terms, term, tlen)) return 0;
    if (qs_termlist_add(&q->origins.terms, term, tlen)) return -1;
    qs_origin_t *v = realloc(q->origins.v, (q->origins.n + 1) * sizeof *v);
    if (!v) return -1;
    q->origins.v = v;
    qs_origin_t *o = &v[q->origins.n];
    o->term = strndup(term, tlen);
    o->from = strndup(from, flen);
    o->kind = kind;
    o->scale = scale;
    if (!o->term || !o->from) {
        free(o->term);
        free(o->from);
        return -1;
    }
    q->origins.n++;
    return 0;
}

/* Adds a term whose coverage ranks hits, in the given group, at weight. */
static int add_scored_as(qs_query_t *q, const char *t, size_t n, unsigned group, const char *lang,
                         size_t lang_len, double weight)
{
    if (qs_termlist_has(&q->cover.terms, t, n)) return 0;
    unsigned *g = realloc(q->cover.group, (q->cover.terms.n + 1) * sizeof *g);
    if (!g) return -1;
    q->cover.group = g;
    char(*r)[8] = realloc(q->cover.reading, (q->cover.terms.n + 1) * sizeof *r);
    if (!r) return -1;
    q->cover.reading = r;
    double *w = realloc(q->cover.weight, (q->cover.terms.n + 1) * sizeof *w);
    if (!w) return -1;
    q->cover.weight = w;
    if (qs_termlist_add(&q->cover.terms, t, n)) return -1;
    const size_t at = q->cover.terms.n - 1;
    q->cover.group[at] = group;
    q->cover.weight[at] = weight;
    const size_t k = lang_len < sizeof *r ? lang_len : 0;
    memcpy(q->cover.reading[at], lang, k);
    q->cover.reading[at][k] = '\0';
    return 0;
}

static int add_scored(qs_query_t *q, const char *t, size_t n, unsigned group)
{
    return add_scored_as(q, t, n, group, "", 0, 1.0);
}

/* A word's stem in another language (readings.h): of its word's group,
 * covering passages of that language. */
static int add_reading_scored(qs_query_t *q, const char *t, size_t n, unsigned group,
                              const qs_reading_t *r)
{
    return add_scored_as(q, t, n, group, r->lang, r->lang_len, 1.0);
}

typedef struct {
    parser_t *ps;
    const char *prefix;
    xq_query_t **terms;
    char **stems;           /* parallel to terms */
    qs_alias_word_t *words; /* parallel to terms: for alias matching */
    size_t *starts;         /* parallel to terms: where each word starts in the text */
    char **alts;            /* parallel to terms: the stems' other readings, or NULL */
    size_t nalts;           /* entries of alts */
    size_t ncjk;            /* of the words, pairs of CJK characters (QT_TOK_CJK) */
    size_t n, cap;
    size_t base; /* where the tokenized text starts in the query */
    int record;  /* add stems to the highlight and scoring lists */
    int failed;
} collect_t;

static int collect_token(void *ctx, const qt_token_t *t)
{
    collect_t *c = ctx;
    /* a hashtag is searched as the phrase of its parts, which follow */
    if (t->flags & (QT_TOK_TOOLONG | QT_TOK_TAG)) return 0;
    ql_buf_t term = {0};
    ql_buf_adds(&term, c->prefix);
    ql_buf_add(&term, t->stem, t->stem_len);
    xq_query_t *q = NULL;
    int rc = term.oom ? -1 : 0;
    if (rc == 0 && c->n == c->cap) {
        const size_t cap = c->cap ? c->cap * 2 : 8;
        xq_query_t **a = realloc(c->terms, cap * sizeof *a);
        if (a) c->terms = a;
        char **s = a ? realloc(c->stems, cap * sizeof *s) : NULL;
        if (s) c->stems = s;
        qs_alias_word_t *w = s ? realloc(c->words, cap * sizeof *w) : NULL;
        if (w) c->words = w;
        size_t *at = w ? realloc(c->starts, cap * sizeof *at) : NULL;
        if (at) c->starts = at;
        if (a && s && w && at)
            c->cap = cap;
        else
            rc = -1;
    }
    if (rc == 0 && xq_query_term(term.data, term.len, 1, t->pos, &q) != XQ_OK) rc = -1;
    char *norm = NULL;
    if (rc == 0 && (!(c->stems[c->n] = strndup(t->stem, t->stem_len)) ||
                    !(norm = strndup(t->norm, t->norm_len)))) {
        if (c->stems[c->n]) free(c->stems[c->n]);
        xq_query_free(q);
        rc = -1;
    }
    if (rc == 0) {
        c->words[c->n] = (qs_alias_word_t){c->stems[c->n], norm, (t->flags & QT_TOK_UPPER) != 0};
        c->starts[c->n] = t->start;
        c->terms[c->n++] = q;
        c->ncjk += (t->flags & QT_TOK_CJK) != 0;
    }

    if (rc == 0 && c->record &&
        qs_query_add_origin(c->ps->out, term.data, term.len, c->ps->s + c->base + t->start,
                            t->end - t->start, QS_FROM_WORD, 1.0))
        rc = -1;
    if (rc == 0 && c->record) { /* remember the word for did-you-mean */
        qs_query_t *out = c->ps->out;
        qs_word_t *w = realloc(out->typed.words, (out->typed.nwords + 1) * sizeof *w);
        if (!w) {
            rc = -1;
        } else {
            out->typed.words = w;
            w[out->typed.nwords] =
                (qs_word_t){c->base + t->start, c->base + t->end, strndup(t->stem, t->stem_len),
                            NULL, (t->flags & QT_TOK_CJK) != 0};
            if (!w[out->typed.nwords].stem)
                rc = -1;
            else
                out->typed.nwords++;
        }
    }
    ql_buf_free(&term);
    if (rc) c->failed = 1;
    return rc;
}

static void free_queries(xq_query_t **qs, size_t n)
{
    for (size_t i = 0; i < n; i++) xq_query_free(qs[i]);
}

/* Frees what a collector holds: its norms and stems for the first nstems
 * words (stems may have been handed to a phrase: c->stems is then NULL),
 * and its remaining term queries. */
static void collect_free(collect_t *c, size_t nstems)
{
    for (size_t i = 0; c->words && i < nstems; i++) free((char *)c->words[i].norm);
    free(c->words);
    for (size_t i = 0; c->stems && i < nstems; i++) free(c->stems[i]);
    free(c->stems);
    free(c->starts);
    for (size_t i = 0; c->alts && i < c->nalts; i++) free(c->alts[i]);
    free(c->alts);
    free_queries(c->terms, c->n);
    free(c->terms);
}

static int combine2(xq_op_t op, xq_query_t *a, xq_query_t *b, xq_query_t **out);

/* A run of CJK pairs (borrowed) as words: any of them, as BM25 weighs
 * them (Lucene's CJK analyzer searches its bigrams so), with the run as a
 * phrase adding weight where it is whole. */
static int cjk_loosely(xq_query_t *const *pairs, size_t n, xq_query_t **out)
{
    xq_query_t *any = NULL, *whole = NULL;
    int rc = xq_query_combine(XQ_OP_OR, pairs, n, 0, &any) != XQ_OK ||
                     xq_query_combine(XQ_OP_PHRASE, pairs, n, 0, &whole) != XQ_OK
                 ? -1
                 : 0;
    if (rc == 0) rc = combine2(XQ_OP_AND_MAYBE, any, whole, out);
    xq_query_free(any);
    xq_query_free(whole);
    return rc;
}

/* The term a name's word k is searched as: A<word> when written in capitals. */
static int alt_term(const qs_alt_t *alt, size_t k, xq_query_t **out)
{
    ql_buf_t t = {0};
    ql_buf_adds(&t, alt->caps[k] ? QL_PREFIX_CAPS : QL_PREFIX_BODY);
    ql_buf_adds(&t, alt->caps[k] ? alt->caps[k] : alt->stems[k]);
    const int rc = t.oom || xq_query_term(t.data, t.len, 1, 0, out) != XQ_OK ? -1 : 0;
    ql_buf_free(&t);
    return rc;
}

/* Notes that the scored term t[0..n) is a word of alias name number name. */
static int add_name_word(qs_query_t *q, const char *t, size_t n, unsigned name, double weight)
{
    const size_t k = qs_termlist_find(&q->cover.terms, t, n);
    if (k == SIZE_MAX) return 0;
    struct qs_name_word *v = realloc(q->cover.name_words, (q->cover.nname_words + 1) * sizeof *v);
    if (!v) return -1;
    q->cover.name_words = v;
    v[q->cover.nname_words++] = (struct qs_name_word){k, name, weight};
    return 0;
}

/* Records the variant's words for highlighting and its name's terms for
 * coverage (all names of the alias in one group). */
static int record_variant(parser_t *ps, char **stems, size_t n, size_t k, size_t len,
                          const qs_alt_t *alt, unsigned group, double weight)
{
    qs_query_t *q = ps->out;
    const size_t m = n - len + alt->n;
    const unsigned name = ++q->cover.nnames;
    for (size_t i = 0; i < alt->n; i++) {
        ql_buf_t t = {0};
        ql_buf_adds(&t, alt->caps[i] ? QL_PREFIX_CAPS : QL_PREFIX_BODY);
        ql_buf_adds(&t, alt->caps[i] ? alt->caps[i] : alt->stems[i]);
        /* a long name covers the query by its words, not its "of" and "the":
         * every passage holds those (State of Kuwait) */
        const int filler =
            alt->n > 1 && !alt->caps[i] && qt_stopword(alt->stems[i], strlen(alt->stems[i]));
        int rc = t.oom || (!filler && (add_scored_as(q, t.data, t.len, group, "", 0, weight) ||
                                       add_name_word(q, t.data, t.len, name, weight)))
                     ? -1
                     : 0;
        if (rc == 0 && !filler) { /* stands for the words the user typed that named the alias */
            ql_buf_t from = {0};
            for (size_t j = k; j < k + len; j++) {
                if (j > k) ql_buf_addc(&from, ' ');
                ql_buf_adds(&from, stems[j]);
            }
            rc = from.oom ||
                         qs_query_add_origin(q, t.data, t.len, from.data, from.len,
                                             weight < 1 ? QS_FROM_RELATED : QS_FROM_ALIAS, weight)
                     ? -1
                     : 0;
            ql_buf_free(&from);
        }
        ql_buf_free(&t);
        if (rc) return -1;
    }
    if (m == 1) return qs_termlist_add(&q->marks.words, alt->stems[0], strlen(alt->stems[0]));
    qs_phrase_t ph = {calloc(m, sizeof(char *)), m};
    if (!ph.stems) return -1;
    int rc = 0;
    for (size_t i = 0; i < m && rc == 0; i++) {
        const char *s = i < k            ? stems[i]
                        : i < k + alt->n ? alt->stems[i - k]
                                         : stems[i - alt->n + len];
        if (!(ph.stems[i] = strdup(s))) rc = -1;
    }
    qs_phrase_t *v = rc ? NULL : realloc(q->marks.phrases, (q->marks.nphrases + 1) * sizeof *v);
    if (!v) {
        for (size_t i = 0; i < m; i++) free(ph.stems[i]);
        free(ph.stems);
        return -1;
    }
    q->marks.phrases = v;
    q->marks.phrases[q->marks.nphrases++] = ph;
    return 0;
}

/* Whether two names of an alias index as the same terms ("US" and "U.S."
 * both look for A"us"): a synonym listing a term twice is weighted
 * differently by each database it is searched in, so a sharded index
 * would score it unlike a single one. */
static int same_terms(const qs_alt_t *a, const qs_alt_t *b)
{
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++) {
        if (!a->caps[i] != !b->caps[i]) return 0;
        const char *x = a->caps[i] ? a->caps[i] : a->stems[i];
        const char *y = b->caps[i] ? b->caps[i] : b->stems[i];
        if (strcmp(x, y) != 0) return 0;
    }
    return 1;
}

/* The n queries (borrowed) as one synonym, built two at a time:
 * v[0] SYNONYM (v[1] SYNONYM (... v[n-1])). Xapian estimates a synonym's
 * frequency by combining its parts' frequencies pairwise, rounding each
 * step to a whole number, in an order it picks from the database it
 * searches; over several shards each picks its own order, so a synonym of
 * three or more parts weighs differently than in one index. Nested pairs
 * fix the order (and score the same on one index). */
static int synonym_chain(xq_query_t *const *v, size_t n, xq_query_t **out)
{
    xq_query_t *acc = NULL;
    if (xq_query_combine(XQ_OP_SYNONYM, n ? &v[n - 1] : v, n ? 1 : 0, 0, &acc) != XQ_OK) return -1;
    for (size_t i = n - 1; i-- > 0;) {
        xq_query_t *pair[2] = {v[i], acc}, *next = NULL;
        const xq_status_t st = xq_query_combine(XQ_OP_SYNONYM, pair, 2, 0, &next);
        xq_query_free(acc);
        if (st != XQ_OK) return -1;
        acc = next;
    }
    *out = acc;
    return 0;
}

/* The next entry of alternatives at *at (readings.h) into r, and its term,
 * prefix + stem, into t. Returns 1, 0 past the last, -1 when out of memory. */
static int next_alt(const char **at, const char *prefix, ql_buf_t *t, qs_reading_t *r)
{
    if (!qs_reading_next(at, r)) return 0;
    ql_buf_reset(t);
    ql_buf_adds(t, prefix);
    ql_buf_add(t, r->stem, r->len);
    return t->oom ? -1 : 1;
}

/* The term t[0..n) in passages of language lang[0..len) only. */
static int only_in_lang(const char *t, size_t n, const char *lang, size_t len, xq_query_t **out)
{
    xq_query_t *term = NULL, *in = NULL;
    ql_buf_t l = {0};
    ql_term_lang(&l, lang, len);
    int rc = l.oom || xq_query_term(t, n, 1, 0, &term) != XQ_OK ||
                     xq_query_term(l.data, l.len, 1, 0, &in) != XQ_OK
                 ? -1
                 : 0;
    if (rc == 0) rc = combine2(XQ_OP_FILTER, term, in, out);
    xq_query_free(term);
    xq_query_free(in);
    ql_buf_free(&l);
    return rc;
}

/* q (borrowed: a word's term) as the synonym of it and prefix + each of
 * its other readings alts (readings.h), each in its language's passages:
 * one word however many stems. In a phrase (in_phrase), whose words Xapian
 * takes only as terms or OR of terms, the OR of the terms alone (a phrase
 * of them rarely happens in another language by chance). */
static int with_alts(const char *prefix, xq_query_t *q, const char *alts, int in_phrase,
                     xq_query_t **out)
{
    xq_query_t *v[1 + 24];
    size_t n = 0;
    v[n++] = q;
    ql_buf_t t = {0};
    qs_reading_t r;
    int rc = 0;
    for (const char *at = alts; n < sizeof v / sizeof *v && rc == 0;) {
        const int got = next_alt(&at, prefix, &t, &r);
        if (got <= 0) {
            rc = got;
            break;
        }
        if (in_phrase || !r.lang_len)
            rc = xq_query_term(t.data, t.len, 1, 0, &v[n]) == XQ_OK ? 0 : -1;
        else
            rc = only_in_lang(t.data, t.len, r.lang, r.lang_len, &v[n]);
        n += rc == 0;
    }
    if (rc == 0 && in_phrase)
        rc = xq_query_combine(XQ_OP_OR, v, n, 0, out) == XQ_OK ? 0 : -1;
    else if (rc == 0)
        rc = synonym_chain(v, n, out);
    for (size_t i = 1; i < n; i++) xq_query_free(v[i]);
    ql_buf_free(&t);
    return rc ? -1 : 0;
}

typedef int (*alt_fn)(qs_query_t *q, const char *term, size_t n, unsigned group,
                      const qs_reading_t *r);

/* Calls add(q, prefix + stem, group, entry) for each entry of alts (NULL:
 * none). */
static int each_alt(qs_query_t *q, const char *prefix, const char *alts, unsigned group, alt_fn add)
{
    ql_buf_t t = {0};
    qs_reading_t r;
    int rc = 0, got = 0;
    for (const char *at = alts; rc == 0 && (got = next_alt(&at, prefix, &t, &r)) > 0;)
        rc = add(q, t.data, t.len, group, &r);
    ql_buf_free(&t);
    return rc || got < 0 ? -1 : 0;
}

static int add_mark(qs_query_t *q, const char *stem, size_t n, unsigned group,
                    const qs_reading_t *r)
{
    (void)group;
    (void)r;
    return qs_termlist_add(&q->marks.words, stem, n);
}

static int add_alt_origin(qs_query_t *q, const char *term, size_t n, unsigned group,
                          const qs_reading_t *r)
{
    (void)group; /* from: the stems' first reading, in q->origins already */
    (void)r;
    const qs_origin_t *first = q->origins.n ? &q->origins.v[q->origins.n - 1] : NULL;
    return first ? qs_query_add_origin(q, term, n, first->from, strlen(first->from), QS_FROM_WORD,
                                       1.0)
                 : 0;
}

/* Reads the collected words in the index's other languages (readings.h):
 * c->alts, and each word's term becomes the synonym of its stems (their OR
 * in_phrase). */
static int add_readings(parser_t *ps, const char *text, size_t len, int in_phrase, collect_t *c)
{
    if (!ps->nlangs || !c->n) return 0;
    if (!(c->alts = calloc(c->n, sizeof *c->alts))) return -1;
    c->nalts = c->n;
    if (qs_readings(ps->pipe, text, len, ps->langs, ps->nlangs, c->stems, c->starts, c->n, c->alts))
        return -1;
    qs_typed_t *typed = &ps->out->typed;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->alts[i]) continue;
        xq_query_t *syn = NULL;
        if (with_alts(c->prefix, c->terms[i], c->alts[i], in_phrase, &syn)) return -1;
        xq_query_free(c->terms[i]);
        c->terms[i] = syn;
        if (!c->record) continue;
        qs_word_t *w = &typed->words[typed->nwords - c->n + i];
        if (!(w->alts = strdup(c->alts[i])) ||
            each_alt(ps->out, c->prefix, c->alts[i], 0, add_alt_origin))
            return -1;
    }
    return 0;
}

/* The stems of c's word i as a phrase word: "stem" or "stem<SEP>alts". */
static int join_alts(collect_t *c, size_t i)
{
    if (!c->alts || !c->alts[i]) return 0;
    const size_t a = strlen(c->stems[i]), b = strlen(c->alts[i]);
    char *s = realloc(c->stems[i], a + b + 2);
    if (!s) return -1;
    s[a] = QS_ALT_SEP;
    memcpy(s + a + 1, c->alts[i], b + 1);
    c->stems[i] = s;
    return 0;
}

/* The names of grp on one side, each in place of words[k..k+len) of the
 * n-word text whose terms are terms[], as one synonym (*out; NULL when the
 * side names nothing). Recorded for coverage and highlights at weight. */
static int expand_side(parser_t *ps, xq_query_t **terms, char **stems, size_t n, size_t k,
                       size_t len, const qs_alias_group_t *grp, unsigned side, unsigned group,
                       int record, double weight, xq_query_t **out)
{
    *out = NULL;
    xq_query_t **variants = calloc(grp->n, sizeof *variants);
    size_t nv = 0;
    int rc = variants ? 0 : -1;
    for (size_t a = 0; a < grp->n && rc == 0; a++) {
        const qs_alt_t *alt = &grp->alts[a];
        int seen = alt->side != side;
        for (size_t b = 0; b < a && !seen; b++)
            seen = grp->alts[b].side == side && same_terms(alt, &grp->alts[b]);
        if (seen) continue;
        const size_t m = n - len + alt->n;
        xq_query_t **seq = calloc(m, sizeof *seq), **own = calloc(alt->n, sizeof *own);
        if (!seq || !own) rc = -1;
        for (size_t i = 0; i < alt->n && rc == 0; i++) rc = alt_term(alt, i, &own[i]);
        for (size_t i = 0; i < m && rc == 0; i++)
            seq[i] = i < k ? terms[i] : i < k + alt->n ? own[i - k] : terms[i - alt->n + len];
        if (rc == 0)
            rc = xq_query_combine(m == 1 ? XQ_OP_OR : XQ_OP_PHRASE, seq, m, 0, &variants[nv]) ==
                         XQ_OK
                     ? 0
                     : -1;
        if (rc == 0) nv++;
        if (rc == 0 && record) rc = record_variant(ps, stems, n, k, len, alt, group, weight);
        if (own) free_queries(own, alt->n);
        free(own);
        free(seq);
    }
    if (rc == 0 && nv) rc = synonym_chain(variants, nv, out);
    free_queries(variants, nv);
    free(variants);
    return rc;
}

/* words[k..k+len) of the n-word text whose terms are terms[] name alias
 * group g on side: the text with each of the side's names in their place,
 * as one synonym (the names weigh as a single word), OR the other side's
 * names the same way at QS_RELATED_WEIGHT (aliases.h). */
static int expand_alias(parser_t *ps, xq_query_t **terms, char **stems, size_t n, size_t k,
                        size_t len, size_t g, unsigned side, int record, xq_query_t **out)
{
    const qs_alias_group_t *grp = &ps->opts.aliases->groups[g];
    const unsigned group = record ? ps->out->cover.ngroups++ : 0;
    xq_query_t *own = NULL, *related = NULL, *scaled = NULL;
    int rc = expand_side(ps, terms, stems, n, k, len, grp, side, group, record, 1.0, &own);
    if (rc == 0)
        rc = expand_side(ps, terms, stems, n, k, len, grp, !side, group, record, QS_RELATED_WEIGHT,
                         &related);
    if (rc == 0 && related)
        rc = xq_query_scale(related, QS_RELATED_WEIGHT, &scaled) == XQ_OK ? 0 : -1;
    if (rc == 0 && scaled) {
        xq_query_t *both[2] = {own, scaled};
        rc = xq_query_combine(XQ_OP_OR, both, 2, 0, out) == XQ_OK ? 0 : -1;
    } else if (rc == 0) {
        *out = own;
        own = NULL;
    }
    xq_query_free(own);
    xq_query_free(related);
    xq_query_free(scaled);
    return rc;
}

/* date:SPEC - a day, month or year, or a range A..B of them (either end
 * may be left open) - as a filter on the date slot. */
static int compile_date(parser_t *ps, const qs_node_t *n, xq_query_t **out)
{
    const char *text = ps->s + n->start;
    size_t dots = 0;
    while (dots + 1 < n->len && !(text[dots] == '.' && text[dots + 1] == '.')) dots++;
    const int range = dots + 1 < n->len;
    uint32_t lo = 0, hi = 0, lo2 = 0, hi2 = 0;
    const size_t alen = range ? dots : n->len;
    const char *b = text + dots + 2;
    const size_t blen = range ? n->len - dots - 2 : 0;
    if ((alen && ql_date_span(text, alen, &lo, &hi) != 0) ||
        (blen && ql_date_span(b, blen, &lo2, &hi2) != 0) || (!alen && !blen) ||
        (range && alen && blen && hi2 < lo)) {
        /* the value as typed, made one line of valid UTF-8 for the message */
        char shown[3 * 60 + 4], what[300];
        const size_t cut = n->len > 60 ? 60 : n->len;
        size_t k = qt_utf8_repair(text, cut, shown);
        for (size_t i = 0; i < k; i++)
            if ((unsigned char)shown[i] < 0x20 || shown[i] == 0x7f) shown[i] = '?';
        shown[k] = '\0';
        snprintf(what, sizeof what,
                 "date:%s is not a date or range (try date:2023, date:2023-05, "
                 "date:2021..2023-06-30)",
                 shown);
        return op_error(ps, n->at, what);
    }
    if (range) hi = blen ? hi2 : 0;
    char l[9] = "", h[9] = "";
    if (alen) ql_date_key(lo, l);
    if (hi) ql_date_key(hi, h);
    return xq_query_value_range(QL_SLOT_DATE, l, strlen(l), h, strlen(h), out) == XQ_OK ? 0 : -1;
}

/* The term prefix a field's words are indexed under. */
static const char *field_prefix(qs_field_t f)
{
    return f == QS_F_TITLE ? QL_PREFIX_TITLE : f == QS_F_SOURCE ? QL_PREFIX_SOURCE : QL_PREFIX_BODY;
}

/* The n queries (borrowed) as one synonym, a balanced tree of pairs in the
 * order given: as synonym_chain, a fixed shape, so every database (shard)
 * weighs it alike, and no deeper than log2(n) for the thousand words a
 * prefix can stand for. */
static int synonym_tree(xq_query_t *const *v, size_t n, xq_query_t **out)
{
    *out = NULL;
    xq_query_t **level = calloc(n ? (n + 1) / 2 : 1, sizeof *level);
    size_t m = 0;
    int rc = level && n ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i += 2, m++)
        rc = xq_query_combine(XQ_OP_SYNONYM, v + i, n - i >= 2 ? 2 : 1, 0, &level[m]) == XQ_OK ? 0
                                                                                               : -1;
    while (rc == 0 && m > 1) {
        size_t k = 0;
        for (size_t i = 0; i < m; i += 2) {
            xq_query_t *pair = NULL;
            if (i + 1 == m) {
                pair = level[i];
            } else {
                if (rc == 0 && xq_query_combine(XQ_OP_SYNONYM, level + i, 2, 0, &pair) != XQ_OK)
                    rc = -1;
                xq_query_free(level[i]);
                xq_query_free(level[i + 1]);
            }
            level[k++] = pair;
        }
        m = k;
    }
    if (rc == 0) {
        *out = level[0];
        m = 0;
    }
    for (size_t i = 0; level && i < m; i++) xq_query_free(level[i]);
    free(level);
    return rc;
}

/* The index's words prefix node n stands for: its text folded by the
 * pipeline (cut to its own stem when that is shorter, so sanctions* finds
 * what sanctions finds), under the field's term prefix, expanded against
 * the index's terms into *terms (byte order). *fold receives the folded
 * prefix (malloc'd). */
static int expand_prefix(parser_t *ps, const qs_node_t *n, const char *tprefix,
                         qs_termlist_t *terms, char **fold)
{
    *fold = NULL;
    collect_t c = {0};
    c.ps = ps;
    c.prefix = tprefix;
    int rc = qt_tokenize(ps->pipe, ps->s + n->start, n->len, collect_token, &c);
    if (rc == 0 && c.failed) rc = -1;
    if (rc == 0 && c.n != 1)
        rc = op_error(ps, n->at, "a prefix is one word followed by '*' (try: sanct*)");
    if (rc == 0) {
        const char *norm = c.words[0].norm, *stem = c.stems[0];
        const size_t sl = strlen(stem);
        *fold = strdup(sl && strncmp(norm, stem, sl) == 0 ? stem : norm);
        if (!*fold) rc = -1;
    }
    ql_buf_t t = {0};
    if (rc == 0) {
        ql_buf_adds(&t, tprefix);
        ql_buf_adds(&t, *fold);
        if (t.oom) rc = -1;
    }
    if (rc == 0 && ps->opts.prefix_terms &&
        ps->opts.prefix_terms(ps->opts.termfreq_ctx, t.data, t.len, QS_PREFIX_MAX_TERMS, terms,
                              ps->e) != 0)
        rc = -1;
    if (rc == 0 && terms->n > QS_PREFIX_MAX_TERMS) {
        char what[160];
        snprintf(what, sizeof what, "%.40s* matches more than %d words; make the prefix longer",
                 *fold, QS_PREFIX_MAX_TERMS);
        rc = op_error(ps, n->at, what);
    }
    /* no word starts with it: a term no passage has (it would have been listed) */
    if (rc == 0 && terms->n == 0 && qs_termlist_add(terms, t.data, t.len)) rc = -1;
    ql_buf_free(&t);
    collect_free(&c, c.n);
    return rc;
}

/* Records a body prefix's words: one coverage group, what each term stands
 * for (--explain), and the prefix to highlight. */
static int record_prefix(parser_t *ps, const qs_node_t *n, const qs_termlist_t *terms,
                         const char *fold)
{
    qs_query_t *q = ps->out;
    const unsigned group = q->cover.ngroups++;
    for (size_t i = 0; i < terms->n; i++) {
        const char *t = terms->terms[i];
        if (add_scored(q, t, strlen(t), group) ||
            qs_query_add_origin(q, t, strlen(t), ps->s + n->start, n->len + 1, QS_FROM_WORD, 1.0))
            return -1;
    }
    return qs_termlist_add(&q->marks.prefixes, fold, strlen(fold));
}

/* A prefix (sanct*): a synonym of the words it stands for, or for NEAR
 * (as_or), their OR, which is what Xapian's positional operators take. */
static int compile_prefix(parser_t *ps, const qs_node_t *n, int record, int as_or, xq_query_t **out)
{
    *out = NULL;
    if (n->field == QS_F_DATE) return op_error(ps, n->at, "date: takes a date, not a prefix");
    qs_termlist_t terms = {0};
    char *fold = NULL;
    int rc = expand_prefix(ps, n, field_prefix(n->field), &terms, &fold);
    xq_query_t **v = rc == 0 ? calloc(terms.n, sizeof *v) : NULL;
    size_t nv = 0;
    if (rc == 0 && !v) rc = -1;
    for (; rc == 0 && nv < terms.n; nv++)
        if (xq_query_term(terms.terms[nv], strlen(terms.terms[nv]), 1, 0, &v[nv]) != XQ_OK) rc = -1;
    if (rc == 0 && as_or)
        rc = xq_query_combine(XQ_OP_OR, v, nv, 0, out) == XQ_OK ? 0 : -1;
    else if (rc == 0)
        rc = synonym_tree(v, nv, out);
    if (rc == 0 && record && n->field == QS_F_BODY) rc = record_prefix(ps, n, &terms, fold);
    if (v) free_queries(v, nv);
    free(v);
    free(fold);
    qs_termlist_free(&terms);
    return rc;
}

/* lang:ru, lang:en-GB: the passages whose language is the tag's primary
 * subtag. */
static int compile_lang(const char *text, size_t len, xq_query_t **out)
{
    size_t k = 0;
    while (k < len && text[k] != '-' && text[k] != '_') k++;
    ql_buf_t t = {0};
    ql_term_lang(&t, text, k);
    const int rc = t.oom || xq_query_term(t.data, t.len, 1, 0, out) != XQ_OK ? -1 : 0;
    ql_buf_free(&t);
    return rc;
}

/* file:a/b, a path fragment: matched by prefix per component. */
static int compile_file(const char *text, size_t len, xq_query_t **out)
{
    xq_query_t *parts[32];
    size_t np = 0;
    size_t i = 0;
    int rc = 0;
    while (i < len && np < 32 && rc == 0) {
        size_t j = i;
        while (j < len && text[j] != '/') j++;
        if (j > i) {
            ql_buf_t t = {0};
            ql_buf_adds(&t, QL_PREFIX_FILE);
            for (size_t k = i; k < j; k++)
                ql_buf_addc(&t, text[k] >= 'A' && text[k] <= 'Z' ? (char)(text[k] + 32) : text[k]);
            if (t.oom || xq_query_wildcard(t.data, t.len, &parts[np]) != XQ_OK)
                rc = -1;
            else
                np++;
            ql_buf_free(&t);
        }
        i = j + 1;
    }
    if (rc == 0 && np) rc = xq_query_combine(XQ_OP_AND, parts, np, 0, out) == XQ_OK ? 0 : -1;
    free_queries(parts, np);
    return rc;
}

/* Compiles a word or phrase; *out is NULL when it holds no words. */
typedef struct {
    char term[QT_MAX_TERM + 8];
    int found;
} tag_t;

static int first_tag(void *ctx, const qt_token_t *t)
{
    tag_t *g = ctx;
    if (!(t->flags & QT_TOK_HASHTAG) || g->found) return 1;
    snprintf(g->term, sizeof g->term, "%s%.*s", QL_PREFIX_TAG, (int)t->norm_len, t->norm);
    g->found = 1;
    return 0; /* its parts may follow; a second word means it was not a tag alone */
}

/* A word typed as a #hashtag, when passages carry it as a tag (K term):
 * the tag itself, so a post is found once, by its paragraph, not by its
 * line of tags (layout.h). 1 with *out set; 0 when the word is no tag or no
 * passage carries it (then it is searched by its words), -1 on error. */
static int compile_tag(parser_t *ps, const qs_node_t *n, int record, xq_query_t **out)
{
    const char *text = ps->s + n->start;
    if (n->kind != QS_N_WORD || n->field != QS_F_BODY || n->len < 2 || text[0] != '#' ||
        !ps->opts.termfreq)
        return 0;
    tag_t g = {{0}, 0};
    if (qt_tokenize(ps->pipe, text, n->len, first_tag, &g) < 0 || !g.found) return 0;
    if (ps->opts.termfreq(ps->opts.termfreq_ctx, g.term) <= 0) return 0;
    const size_t len = strlen(g.term);
    if (record && (add_scored(ps->out, g.term, len, ps->out->cover.ngroups++) ||
                   qs_query_add_origin(ps->out, g.term, len, text, n->len, QS_FROM_WORD, 1.0)))
        return -1;
    return xq_query_term(g.term, len, 1, 0, out) == XQ_OK ? 1 : -1;
}

/* The one word of c matched in the article title (its S term, and its
 * other readings'), scaled by opts.title, into *out; recorded for
 * --explain as typed (text[0..len)). 0, or -1 when out of memory. */
static int title_match(parser_t *ps, const collect_t *c, const char *text, size_t len,
                       xq_query_t **out)
{
    ql_buf_t t = {0};
    ql_buf_adds(&t, QL_PREFIX_TITLE);
    ql_buf_adds(&t, c->stems[0]);
    xq_query_t *tq = NULL, *one = NULL;
    const int rc =
        t.oom ||
                qs_query_add_origin(ps->out, t.data, t.len, text, len, QS_FROM_TITLE,
                                    ps->opts.title) ||
                xq_query_term(t.data, t.len, 1, 0, &one) != XQ_OK ||
                (c->alts && c->alts[0] ? with_alts(QL_PREFIX_TITLE, one, c->alts[0], 0, &tq)
                                       : xq_query_combine(XQ_OP_OR, &one, 1, 0, &tq) != XQ_OK) ||
                xq_query_scale(tq, ps->opts.title, out) != XQ_OK
            ? -1
            : 0;
    xq_query_free(one);
    xq_query_free(tq);
    ql_buf_free(&t);
    return rc;
}

static int compile_text(parser_t *ps, const qs_node_t *n, int record, xq_query_t **out)
{
    *out = NULL;
    const char *text = ps->s + n->start;
    if (n->field == QS_F_DATE && n->prefix)
        return op_error(ps, n->at, "date: takes a date, not a prefix");
    if (n->field == QS_F_DATE) return compile_date(ps, n, out);
    if (n->field == QS_F_LANG) return compile_lang(text, n->len, out);
    if (n->field == QS_F_FILE) return compile_file(text, n->len, out);
    if (n->prefix) return compile_prefix(ps, n, record, 0, out);
    const int tag = compile_tag(ps, n, record, out);
    if (tag) return tag < 0 ? -1 : 0;
    collect_t c = {0};
    c.ps = ps;
    c.prefix = field_prefix(n->field);
    c.record = record && n->field == QS_F_BODY;
    c.base = n->start;
    int rc = qt_tokenize(ps->pipe, text, n->len, collect_token, &c);
    if (rc == 0 && c.failed) rc = -1;
    const int want_title = c.n == 1 && c.record && ps->opts.title > 0; /* before aliases clear it */
    /* Chinese, Japanese or Korean typed without spaces (金砖国家扩员) is
     * several words run together, not a phrase: its pairs are searched as
     * words, the whole run ranking above them (cjk_loosely); in quotes it is
     * a phrase */
    const int loose = n->kind == QS_N_WORD && n->field == QS_F_BODY && c.n > 1 && c.ncjk == c.n;
    const int in_phrase = c.n > 1 && n->field == QS_F_BODY; /* a loose run too: cjk_loosely */
    if (rc == 0) rc = add_readings(ps, text, n->len, in_phrase, &c);
    size_t at = 0, alen = 0, g = 0;
    unsigned side = 0;
    int aliased = 0;
    if (rc == 0 && n->field == QS_F_BODY && ps->opts.aliases)
        for (at = 0; at < c.n && !aliased; at++)
            aliased = qs_aliases_match(ps->opts.aliases, c.words, c.n, at, &g, &alen, &side);
    if (aliased) at--;
    for (size_t i = 0; rc == 0 && c.record && i < c.n; i++) { /* words outside the alias */
        if (aliased && i >= at && i < at + alen) continue;
        char term[QT_MAX_TERM + 8];
        snprintf(term, sizeof term, "%s%s", QL_PREFIX_BODY, c.stems[i]);
        const unsigned group = ps->out->cover.ngroups++;
        rc = add_scored(ps->out, term, strlen(term), group);
        if (rc == 0 && c.alts)
            rc = each_alt(ps->out, QL_PREFIX_BODY, c.alts[i], group, add_reading_scored);
    }
    if (rc == 0 && aliased) {
        rc = expand_alias(ps, c.terms, c.stems, c.n, at, alen, g, side, c.record, out);
        c.record = 0; /* expand_alias recorded the highlights */
    }
    if (rc == 0 && !c.failed && c.record && c.n == 1 &&
        (qs_termlist_add(&ps->out->marks.words, c.stems[0], strlen(c.stems[0])) ||
         (c.alts && each_alt(ps->out, "", c.alts[0], 0, add_mark))))
        rc = -1;
    for (size_t i = 0; rc == 0 && !c.failed && c.record && loose && i < c.n; i++)
        rc = qs_termlist_add(&ps->out->marks.words, c.stems[i], strlen(c.stems[i]));
    for (size_t i = 0; rc == 0 && !c.failed && c.record && c.n > 1 && i < c.n; i++)
        rc = join_alts(&c, i);
    if (rc == 0 && !c.failed && c.record && c.n > 1 && !loose) { /* the phrase takes the stems */
        qs_phrase_t *ph =
            realloc(ps->out->marks.phrases, (ps->out->marks.nphrases + 1) * sizeof *ph);
        if (!ph) {
            rc = -1;
        } else {
            ps->out->marks.phrases = ph;
            ph[ps->out->marks.nphrases++] = (qs_phrase_t){c.stems, c.n};
            c.stems = NULL;
        }
    }
    const size_t nstems = c.n;
    if (rc == 0 && !aliased && !c.failed && c.n == 1 && n->kind == QS_N_WORD &&
        n->field == QS_F_BODY && ps->nplain < sizeof ps->plain / sizeof *ps->plain)
        ps->plain[ps->nplain++] = n;
    const int titled = rc == 0 && !c.failed && want_title;
    if (aliased && titled && *out) {
        /* one word naming an alias: the names, plus the word in the title,
         * as a word that is no alias gets (Kuwait is one since stop 29) */
        xq_query_t *names = *out, *scaled = NULL;
        *out = NULL;
        rc = title_match(ps, &c, text, n->len, &scaled) || combine2(XQ_OP_OR, names, scaled, out);
        xq_query_free(names);
        xq_query_free(scaled);
    } else if (aliased) {
        /* *out is set (or rc says why not) */
    } else if (titled) {
        /* the word, plus a scaled match in the article title */
        xq_query_t *scaled = NULL;
        rc = title_match(ps, &c, text, n->len, &scaled) ||
                     combine2(XQ_OP_OR, c.terms[0], scaled, out) != 0
                 ? -1
                 : 0;
        xq_query_free(scaled);
    } else if (rc == 0 && !c.failed && c.n == 1) {
        *out = c.terms[0];
        c.n = 0;
    } else if (rc == 0 && !c.failed && loose) {
        rc = cjk_loosely(c.terms, c.n, out);
    } else if (rc == 0 && !c.failed && c.n > 1) {
        /* title and source words have no positions (shard.c): a phrase there
         * is all its words */
        rc = xq_query_combine(n->field == QS_F_BODY ? XQ_OP_PHRASE : XQ_OP_AND, c.terms, c.n, 0,
                              out) == XQ_OK
                 ? 0
                 : -1;
    }
    collect_free(&c, nstems);
    return rc || c.failed ? -1 : 0;
}

static int combine2(xq_op_t op, xq_query_t *a, xq_query_t *b, xq_query_t **out)
{
    xq_query_t *v[2] = {a, b};
    return xq_query_combine(op, v, 2, 0, out) == XQ_OK ? 0 : -1;
}

static int compile(parser_t *ps, const qs_node_t *n, int record, xq_query_t **out);

/* One plain one-word item as the alias matcher sees it; a sentinel that
 * matches nothing otherwise. Strings in *w are malloc'd ("" for sentinels). */
static int item_word(parser_t *ps, const qs_node_t *it, qs_alias_word_t *w)
{
    *w = (qs_alias_word_t){NULL, NULL, 0};
    collect_t c = {0};
    c.ps = ps;
    c.prefix = QL_PREFIX_BODY;
    int rc = 0;
    if (it->kind == QS_N_WORD && it->field == QS_F_BODY && it->sign == 0 && !it->prefix)
        rc = qt_tokenize(ps->pipe, ps->s + it->start, it->len, collect_token, &c);
    if (rc == 0 && !c.failed && c.n == 1) {
        w->stem = strdup(c.stems[0]);
        w->norm = strdup(c.words[0].norm);
        w->upper = c.words[0].upper;
    } else {
        w->stem = strdup("");
        w->norm = strdup("");
    }
    collect_free(&c, c.n);
    return rc || c.failed || !w->stem || !w->norm ? -1 : 0;
}

/* The single body term a plain one-word item compiles to ("Z" + stem), or
 * NULL (written to *term) when the item is anything else. */
static int item_term(parser_t *ps, const qs_node_t *it, char **term)
{
    *term = NULL;
    qs_alias_word_t w;
    int rc = item_word(ps, it, &w);
    if (rc == 0 && w.stem[0]) {
        *term = malloc(strlen(w.stem) + 2);
        if (*term)
            sprintf(*term, "%s%s", QL_PREFIX_BODY, w.stem);
        else
            rc = -1;
    }
    free((char *)w.stem);
    free((char *)w.norm);
    return rc;
}

static int is_plain(const parser_t *ps, const qs_node_t *n)
{
    for (size_t i = 0; i < ps->nplain; i++)
        if (ps->plain[i] == n) return 1;
    return 0;
}

/* Whether terms a and b are estimated to be together in more passages than
 * opts.apart_docs (independence: tf(a) tf(b) / N). */
static int many_together(const parser_t *ps, const char *a, const char *b)
{
    const qs_query_opts_t *o = &ps->opts;
    if (!o->termfreq || o->ndocs <= 0 || o->apart_docs <= 0) return 1;
    return o->termfreq(o->termfreq_ctx, a) * o->termfreq(o->termfreq_ctx, b) / o->ndocs >
           o->apart_docs;
}

/* The OR of pairs[0..n) scaled by opts.prox into *out (NULL when n is 0). */
static int scaled_or(parser_t *ps, xq_query_t **pairs, size_t n, xq_query_t **out)
{
    *out = NULL;
    if (!n) return 0;
    xq_query_t *any = NULL;
    int rc = xq_query_combine(XQ_OP_OR, pairs, n, 0, &any) == XQ_OK ? 0 : -1;
    if (rc == 0) rc = xq_query_scale(any, ps->opts.prox, out) == XQ_OK ? 0 : -1;
    xq_query_free(any);
    return rc;
}

/* A bonus for adjacent plain words of a short top-level query that occur in
 * the same order side by side ("Korea North" over "North Korea"): OR of
 * PHRASE(a, b) pairs, scaled by opts.prox. A pair of two plain words
 * (ITEM_OWN, compiled to their own terms) only adds to passages the
 * words match anyway: it goes to *bonus. A pair with a word of an alias
 * also matches passages the alias does not (the query "Iran nuclear deal",
 * a passage with "nuclear deal" and "Iran" apart): it goes to *clause, part
 * of the query. Each is NULL when it has no pair or the query is long. */
static int proximity(parser_t *ps, const qs_node_t *seq, const char *consumed, xq_query_t **clause,
                     xq_query_t **bonus)
{
    *clause = *bonus = NULL;
    if (seq->nitems > ps->opts.prox_max) return 0;
    char *prev = NULL;
    size_t pi = 0; /* prev's item */
    xq_query_t **pairs = calloc(seq->nitems ? 2 * seq->nitems : 1, sizeof *pairs);
    xq_query_t **loose = pairs ? pairs + seq->nitems : NULL; /* the bonus-only ones */
    size_t np = 0, nl = 0;
    int rc = pairs ? 0 : -1;
    for (size_t i = 0; i < seq->nitems && rc == 0; i++) {
        if (consumed[i] == ITEM_STOPWORD) continue; /* left out: the pair spans it */
        char *t = NULL;
        rc = item_term(ps, seq->items[i], &t);
        if (rc == 0 && t && prev && strcmp(t, prev) != 0) {
            const int apart = ps->opts.prox_apart && consumed[pi] == ITEM_OWN &&
                              consumed[i] == ITEM_OWN && is_plain(ps, seq->items[pi]) &&
                              is_plain(ps, seq->items[i]) && many_together(ps, prev, t);
            xq_query_t *a = NULL, *b = NULL, **to = apart ? &loose[nl] : &pairs[np];
            if (xq_query_term(prev, strlen(prev), 1, 1, &a) != XQ_OK ||
                xq_query_term(t, strlen(t), 1, 2, &b) != XQ_OK) {
                rc = -1;
            } else {
                xq_query_t *v[2] = {a, b};
                const unsigned window = (unsigned)(i - pi) + 1; /* in order, the gap kept */
                rc = xq_query_combine(XQ_OP_PHRASE, v, 2, window, to) == XQ_OK ? 0 : -1;
                if (rc == 0 && apart)
                    nl++;
                else if (rc == 0)
                    np++;
            }
            xq_query_free(a);
            xq_query_free(b);
        }
        free(prev);
        prev = t;
        pi = i;
    }
    free(prev);
    if (rc == 0) rc = scaled_or(ps, pairs, np, clause);
    if (rc == 0) rc = scaled_or(ps, loose, nl, bonus);
    if (pairs) {
        free_queries(pairs, np);
        free_queries(loose, nl);
    }
    free(pairs);
    return rc;
}

/* Runs of two or more plain words naming an alias ("North Korea sanctions")
 * compile to one expanded unit; consumed[i] marks the items it replaces.
 * Single words are expanded by compile_text. */
static int alias_runs(parser_t *ps, const qs_node_t *n, int record, char *consumed,
                      xq_query_t **units, size_t *nunits)
{
    *nunits = 0;
    if (!ps->opts.aliases || !ps->opts.aliases->n || n->nitems < 2) return 0;
    qs_alias_word_t *w = calloc(n->nitems, sizeof *w);
    int rc = w ? 0 : -1;
    for (size_t i = 0; i < n->nitems && rc == 0; i++) rc = item_word(ps, n->items[i], &w[i]);
    for (size_t i = 0; i < n->nitems && rc == 0;) {
        size_t g = 0, len = 0;
        unsigned side = 0;
        if (!qs_aliases_match(ps->opts.aliases, w, n->nitems, i, &g, &len, &side) || len < 2) {
            i++;
            continue;
        }
        xq_query_t **terms = calloc(len, sizeof *terms);
        char **stems = calloc(len, sizeof *stems);
        if (!terms || !stems) rc = -1;
        for (size_t k = 0; k < len && rc == 0; k++) {
            char term[QT_MAX_TERM + 8];
            snprintf(term, sizeof term, "%s%s", QL_PREFIX_BODY, w[i + k].stem);
            stems[k] = (char *)w[i + k].stem;
            rc = xq_query_term(term, strlen(term), 1, 0, &terms[k]) == XQ_OK ? 0 : -1;
        }
        if (rc == 0)
            rc = expand_alias(ps, terms, stems, len, 0, len, g, side, record, &units[*nunits]);
        if (rc == 0) (*nunits)++;
        if (terms) free_queries(terms, len);
        free(terms);
        free(stems);
        for (size_t k = 0; k < len; k++) consumed[i + k] = ITEM_IN_ALIAS;
        i += len;
    }
    for (size_t i = 0; w && i < n->nitems; i++) {
        free((char *)w[i].stem);
        free((char *)w[i].norm);
    }
    free(w);
    return rc;
}

/* Whether a folded word is a stopword: of English, of Russian or Arabic
 * (their scripts are theirs), or of a language the words are read in. */
static int stopword(const parser_t *ps, const char *norm, size_t len)
{
    if (qt_stopword(norm, len) || qt_stopword_in("ru", norm, len) ||
        qt_stopword_in("ar", norm, len))
        return 1;
    for (size_t i = 0; ps->langs_stop && i < ps->nlangs; i++)
        if (qt_stopword_in(ps->langs[i], norm, len)) return 1;
    return ps->own && qt_stopword_in(ps->own, norm, len);
}

/* A plain one-word item that is a stopword, not typed in capitals ("the",
 * "which"; not "WHO" or "IT"). */
static int is_stop_item(parser_t *ps, const qs_node_t *it, int *stop)
{
    *stop = 0;
    if (it->kind != QS_N_WORD || it->field != QS_F_BODY || it->sign != 0 || it->prefix) return 0;
    qs_alias_word_t w;
    const int rc = item_word(ps, it, &w);
    if (rc == 0 && w.stem[0]) *stop = !w.upper && stopword(ps, w.norm, strlen(w.norm));
    free((char *)w.stem);
    free((char *)w.norm);
    return rc;
}

/* Marks as ITEM_STOPWORD the stopwords of a sequence that also has a
 * word to search for (a plain or required item that is not one, an alias
 * or a phrase), and records them in q->typed.ignored. A query of stopwords alone
 * ("to be or not to be") searches them all. */
static int drop_stopwords(parser_t *ps, const qs_node_t *n, char *consumed)
{
    if (ps->opts.keep_stopwords) return 0;
    size_t content = 0, nstop = 0;
    int rc = 0;
    for (size_t i = 0; i < n->nitems && rc == 0; i++) {
        const qs_node_t *it = n->items[i];
        int stop = 0;
        if (consumed[i] == ITEM_OWN) rc = is_stop_item(ps, it, &stop);
        if (stop) {
            consumed[i] = ITEM_STOPWORD;
            nstop++;
        } else if (it->sign >= 0 &&
                   ((it->kind != QS_N_WORD && it->kind != QS_N_PHRASE) || it->field == QS_F_BODY)) {
            content++;
        }
    }
    for (size_t i = 0; i < n->nitems && nstop; i++) {
        if (consumed[i] != ITEM_STOPWORD) continue;
        if (!content) {
            consumed[i] = ITEM_OWN;
        } else if (rc == 0) {
            const qs_node_t *it = n->items[i];
            rc = qs_termlist_add(&ps->out->typed.ignored, ps->s + it->start, it->len);
            ps->nstopped++;
        }
    }
    return rc;
}

/* Items of a sequence: plain ones rank (more of them first), + ones are
 * required, - ones excluded, and file:/title: ones filter without weight.
 * Stopwords are left out when there is something else to search for. */
static int compile_seq(parser_t *ps, const qs_node_t *n, int record, xq_query_t **out)
{
    *out = NULL;
    enum { PLAIN, REQ, EXCL, FILT, NKINDS };
    xq_query_t **lists[NKINDS] = {0};
    size_t counts[NKINDS] = {0};
    int rc = 0;
    for (size_t k = 0; k < NKINDS && rc == 0; k++)
        if (n->nitems && !(lists[k] = calloc(n->nitems, sizeof *lists[k]))) rc = -1;
    char *consumed = calloc(n->nitems ? n->nitems : 1, 1);
    if (!consumed) rc = -1;
    if (rc == 0) rc = alias_runs(ps, n, record, consumed, lists[PLAIN], &counts[PLAIN]);
    if (rc == 0 && record) rc = drop_stopwords(ps, n, consumed);
    for (size_t i = 0; i < n->nitems && rc == 0; i++) {
        const qs_node_t *it = n->items[i];
        if (consumed[i]) continue;
        const int is_filter =
            (it->kind == QS_N_WORD || it->kind == QS_N_PHRASE) && it->field != QS_F_BODY;
        const int kind = it->sign < 0 ? EXCL : is_filter ? FILT : it->sign > 0 ? REQ : PLAIN;
        xq_query_t *q = NULL;
        rc = compile(ps, it, record && kind != EXCL && kind != FILT, &q);
        if (rc == 0 && q) lists[kind][counts[kind]++] = q;
    }
    xq_query_t *cur = NULL, *tmp = NULL;
    if (rc == 0 && counts[PLAIN])
        rc = xq_query_combine(XQ_OP_OR, lists[PLAIN], counts[PLAIN], 0, &cur) == XQ_OK ? 0 : -1;
    if (rc == 0 && cur && n == ps->root && ps->opts.prox > 0) {
        xq_query_t *near = NULL, *bonus = NULL;
        rc = proximity(ps, n, consumed, &near, &bonus);
        if (rc == 0 && near) {
            rc = combine2(XQ_OP_OR, cur, near, &tmp);
            xq_query_free(cur);
            cur = tmp;
        }
        xq_query_free(near);
        if (rc == 0)
            ps->out->near = bonus; /* the searcher weighs it on its candidates only */
        else
            xq_query_free(bonus);
    }
    if (rc == 0 && counts[REQ]) {
        xq_query_t *req = NULL;
        rc = xq_query_combine(XQ_OP_AND, lists[REQ], counts[REQ], 0, &req) == XQ_OK ? 0 : -1;
        if (rc == 0 && cur) {
            rc = combine2(XQ_OP_AND_MAYBE, req, cur, &tmp);
            xq_query_free(cur);
            xq_query_free(req);
            cur = tmp;
        } else if (rc == 0) {
            cur = req;
        }
    }
    if (rc == 0 && counts[FILT]) {
        xq_query_t *filt = NULL;
        rc = xq_query_combine(XQ_OP_AND, lists[FILT], counts[FILT], 0, &filt) == XQ_OK ? 0 : -1;
        if (rc == 0 && !cur) rc = xq_query_all(&cur) == XQ_OK ? 0 : -1;
        if (rc == 0) rc = combine2(XQ_OP_FILTER, cur, filt, &tmp);
        xq_query_free(filt);
        if (rc == 0) {
            xq_query_free(cur);
            cur = tmp;
        }
    }
    if (rc == 0 && counts[EXCL] && cur) {
        xq_query_t *excl = NULL;
        rc = xq_query_combine(XQ_OP_OR, lists[EXCL], counts[EXCL], 0, &excl) == XQ_OK ? 0 : -1;
        if (rc == 0) rc = combine2(XQ_OP_AND_NOT, cur, excl, &tmp);
        xq_query_free(excl);
        if (rc == 0) {
            xq_query_free(cur);
            cur = tmp;
        }
    } else if (rc == 0 && counts[EXCL] && !cur) {
        rc = op_error(ps, n->at, "it only excludes; add a word to search for");
    }
    for (size_t k = 0; k < NKINDS; k++) {
        free_queries(lists[k], counts[k]);
        free(lists[k]);
    }
    free(consumed);
    if (rc) {
        xq_query_free(cur);
        return -1;
    }
    *out = cur;
    return 0;
}

/* Records a NEAR operand's words as a plain word or phrase records them:
 * coverage (each word its own group), highlighting. Takes c->stems for a
 * phrase. */
static int record_operand(parser_t *ps, collect_t *c)
{
    qs_query_t *q = ps->out;
    for (size_t i = 0; i < c->n; i++) {
        char term[QT_MAX_TERM + 8];
        snprintf(term, sizeof term, "%s%s", QL_PREFIX_BODY, c->stems[i]);
        const unsigned group = q->cover.ngroups++;
        if (add_scored(q, term, strlen(term), group) ||
            (c->alts && each_alt(q, QL_PREFIX_BODY, c->alts[i], group, add_reading_scored)) ||
            join_alts(c, i))
            return -1;
    }
    if (c->n == 1)
        return qs_termlist_add(&q->marks.words, c->stems[0], strlen(c->stems[0])) ||
                       (c->alts && each_alt(q, "", c->alts[0], 0, add_mark))
                   ? -1
                   : 0;
    qs_phrase_t *ph = realloc(q->marks.phrases, (q->marks.nphrases + 1) * sizeof *ph);
    if (!ph) return -1;
    q->marks.phrases = ph;
    ph[q->marks.nphrases++] = (qs_phrase_t){c->stems, c->n};
    c->stems = NULL;
    return 0;
}

/* a NEAR/n b NEAR/n "c d": every word (a prefix: any of its words) within a
 * stretch of its own length plus n other words, in any order, as Xapian's
 * OP_NEAR; a phrase's words are also required to be the phrase (OP_PHRASE),
 * since OP_NEAR takes terms only. Words are not alias-expanded here, and
 * stopwords are kept: NEAR says which words to look for. */
static int compile_near(parser_t *ps, const qs_node_t *n, int record, xq_query_t **out)
{
    *out = NULL;
    size_t cap = 0, nall = 0, nph = 0;
    xq_query_t **all = NULL, **phr = calloc(n->nitems + 1, sizeof *phr);
    int rc = phr ? 0 : -1;
    for (size_t i = 0; i < n->nitems && rc == 0; i++) {
        const qs_node_t *it = n->items[i];
        collect_t c = {0};
        c.ps = ps;
        c.prefix = QL_PREFIX_BODY;
        c.record = record;
        c.base = it->start;
        xq_query_t *pq = NULL;
        if (it->prefix)
            rc = compile_prefix(ps, it, record, 1, &pq);
        else if (qt_tokenize(ps->pipe, ps->s + it->start, it->len, collect_token, &c) || c.failed ||
                 add_readings(ps, ps->s + it->start, it->len, 1, &c))
            rc = -1;
        else if (c.n == 0)
            rc = op_error(ps, it->at, "NEAR needs words on each side");
        const size_t more = pq ? 1 : c.n;
        if (rc == 0 && nall + more > cap) {
            cap = 2 * (nall + more);
            xq_query_t **v = realloc(all, cap * sizeof *v);
            if (v)
                all = v;
            else
                rc = -1;
        }
        if (rc == 0 && c.n > 1 &&
            xq_query_combine(XQ_OP_PHRASE, c.terms, c.n, 0, &phr[nph++]) != XQ_OK)
            rc = -1;
        const size_t nstems = c.n;
        if (rc == 0 && record && c.n) rc = record_operand(ps, &c);
        if (rc == 0 && pq) all[nall++] = pq;
        for (size_t k = 0; rc == 0 && k < c.n; k++) {
            all[nall++] = c.terms[k];
            c.terms[k] = NULL;
        }
        if (rc && pq) xq_query_free(pq);
        collect_free(&c, nstems);
    }
    xq_query_t *near = NULL;
    if (rc == 0)
        rc = xq_query_combine(XQ_OP_NEAR, all, nall, (unsigned)nall + n->near, &near) == XQ_OK ? 0
                                                                                               : -1;
    if (rc == 0 && nph) {
        phr[nph] = near;
        rc = xq_query_combine(XQ_OP_AND, phr, nph + 1, 0, out) == XQ_OK ? 0 : -1;
        xq_query_free(near);
    } else if (rc == 0) {
        *out = near;
    }
    if (all) free_queries(all, nall);
    if (phr) free_queries(phr, nph);
    free(all);
    free(phr);
    return rc;
}

/* AND / OR of a node's items; an AND's last nexcl items are excluded. An
 * item with no words (a lone emoji) drops out. */
static int compile_boolean(parser_t *ps, const qs_node_t *n, int record, xq_query_t **out)
{
    *out = NULL;
    const size_t npos = n->nitems - n->nexcl;
    xq_query_t **v = calloc(n->nitems ? n->nitems : 1, sizeof *v);
    size_t kp = 0, kx = 0;
    int rc = v ? 0 : -1;
    for (size_t i = 0; i < n->nitems && rc == 0; i++) {
        xq_query_t *q = NULL;
        rc = compile(ps, n->items[i], record && i < npos, &q);
        if (rc == 0 && q && i < npos)
            v[kp++] = q;
        else if (rc == 0 && q)
            v[npos + kx++] = q;
    }
    xq_query_t *cur = NULL, *excl = NULL;
    if (rc == 0 && kp)
        rc = xq_query_combine(n->kind == QS_N_OR ? XQ_OP_OR : XQ_OP_AND, v, kp, 0, &cur) == XQ_OK
                 ? 0
                 : -1;
    if (rc == 0 && cur && kx) {
        rc = xq_query_combine(XQ_OP_OR, v + npos, kx, 0, &excl) == XQ_OK ? 0 : -1;
        xq_query_t *both = NULL;
        if (rc == 0) rc = combine2(XQ_OP_AND_NOT, cur, excl, &both);
        xq_query_free(cur);
        cur = both;
    }
    if (rc == 0) {
        *out = cur;
        cur = NULL;
    }
    xq_query_free(cur);
    xq_query_free(excl);
    if (v) {
        free_queries(v, kp);
        free_queries(v + npos, kx);
    }
    free(v);
    return rc;
}

static int compile(parser_t *ps, const qs_node_t *n, int record, xq_query_t **out)
{
    *out = NULL;
    switch (n->kind) {
    case QS_N_WORD:
    case QS_N_PHRASE:
        return compile_text(ps, n, record, out);
    case QS_N_SEQ:
        return compile_seq(ps, n, record, out);
    case QS_N_NEAR:
        return compile_near(ps, n, record, out);
    case QS_N_AND:
    case QS_N_OR:
        return compile_boolean(ps, n, record, out);
    }
    return -1;
}

/* The lang: codes of the tree under n that are not excluded, with a
 * stemmer of their own, into ps->langs (at most 16; buf holds them).
 * Returns how many lang: filters there were (whatever their language). */
static size_t lang_filters(parser_t *ps, const qs_node_t *n, char (*buf)[8])
{
    size_t found = 0;
    if (n->field == QS_F_LANG && n->sign >= 0 && n->kind == QS_N_WORD) {
        const char *t = ps->s + n->start;
        size_t k = 0;
        while (k < n->len && k < 7 && t[k] != '-' && t[k] != '_') {
            buf[ps->nlangs][k] = (char)(t[k] >= 'A' && t[k] <= 'Z' ? t[k] + 32 : t[k]);
            k++;
        }
        buf[ps->nlangs][k] = '\0';
        if (ps->nlangs < 16 && qt_lang_stems(buf[ps->nlangs])) {
            ps->langs[ps->nlangs] = buf[ps->nlangs];
            ps->nlangs++;
        }
        return 1;
    }
    for (size_t i = 0; i < n->nitems; i++)
        if (!(n->kind == QS_N_AND && i >= n->nitems - n->nexcl))
            found += lang_filters(ps, n->items[i], buf);
    return found;
}

/* The languages the query's words are read in besides the first reading:
 * those lang: names, or else every one the index holds (opts). */
static void choose_langs(parser_t *ps, char (*buf)[8])
{
    if (ps->opts.only_langs && ps->opts.nlangs) {
        ps->own = ps->opts.langs[0];
        return;
    }
    ps->langs_stop = 1;
    if (lang_filters(ps, ps->root, buf)) return;
    ps->langs_stop = ps->opts.langs_stopwords;
    for (size_t i = 0; i < ps->opts.nlangs && ps->nlangs < 16; i++)
        if (qt_lang_stems(ps->opts.langs[i])) ps->langs[ps->nlangs++] = ps->opts.langs[i];
}

int qs_query_compile(qt_pipeline_t *p, const char *text, size_t len, const qs_query_opts_t *opts,
                     qs_query_t *q, qs_perr_t *kind, ql_err_t *e)
{
    char langbuf[16][8];
    memset(q, 0, sizeof *q);
    e->msg[0] = '\0';
    qs_tree_t tree;
    parser_t ps = {.s = text, .tree = &tree, .e = e, .pipe = p, .out = q};
    if (opts) ps.opts = *opts;
    int rc = -1;
    if (qs_tree_parse(text, len, ps.opts.reading, &tree, &ps.kind, e) != 0) goto done;
    ps.root = tree.root;
    choose_langs(&ps, langbuf);
    qt_pipeline_set_lang(p, ps.own); /* NULL: English, the first reading */
    q->cover.plain = tree.plain;
    if (compile(&ps, tree.root, 1, &q->xq) != 0) {
        if (!e->msg[0]) {
            ps.kind = QS_PERR_NOMEM;
            ql_errf(e, QL_E_NOMEM, "out of memory compiling the query");
        }
        if (ps.kind == QS_PERR_NONE) ps.kind = QS_PERR_OPERATOR;
        goto done;
    }
    if (!q->xq) {
        ps.kind = QS_PERR_OPERATOR;
        ql_errf(e, QL_E_QUERY, "bad query: it has no words to search for");
        goto done;
    }
    q->cover.length = q->cover.ngroups + ps.nstopped;
    rc = 0;
done:
    qt_pipeline_set_lang(p, NULL);
    qs_tree_free(&tree);
    if (rc) qs_query_free(q);
    if (kind) *kind = rc ? ps.kind : QS_PERR_NONE;
    return rc;
}

int qs_query_parse(qt_pipeline_t *p, const char *text, size_t len, const qs_query_opts_t *opts,
                   qs_query_t *q, ql_err_t *e)
{
    return qs_query_compile(p, text, len, opts, q, NULL, e);
}

void qs_query_free(qs_query_t *q)
{
    xq_query_free(q->xq);
    q->xq = NULL;
    xq_query_free(q->near);
    q->near = NULL;
    qs_termlist_free(&q->marks.words);
    qs_termlist_free(&q->cover.terms);
    qs_termlist_free(&q->typed.ignored);
    qs_termlist_free(&q->marks.prefixes);
    qs_termlist_free(&q->origins.terms);
    free(q->cover.group);
    free(q->cover.weight);
    q->cover.weight = NULL;
    free(q->cover.name_words);
    q->cover.name_words = NULL;
    q->cover.nname_words = 0;
    q->cover.group = NULL;
    free(q->cover.reading);
    q->cover.reading = NULL;
    q->cover.ngroups = 0;
    q->cover.length = 0;
    for (size_t i = 0; i < q->marks.nphrases; i++) {
        for (size_t k = 0; k < q->marks.phrases[i].n; k++) free(q->marks.phrases[i].stems[k]);
        free(q->marks.phrases[i].stems);
    }
    free(q->marks.phrases);
    q->marks.phrases = NULL;
    q->marks.nphrases = 0;
    for (size_t i = 0; i < q->typed.nwords; i++) {
        free(q->typed.words[i].stem);
        free(q->typed.words[i].alts);
    }
    free(q->typed.words);
    q->typed.words = NULL;
    q->typed.nwords = 0;
    for (size_t i = 0; i < q->origins.n; i++) {
        free(q->origins.v[i].term);
        free(q->origins.v[i].from);
    }
    free(q->origins.v);
    q->origins.v = NULL;
    q->origins.n = 0;
}
