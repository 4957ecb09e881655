/*
 * suggest.c - did-you-mean and completion from the index's vocabulary
 * (suggest.h).
 *
 * No spelling data is built at index time (Xapian's spelling table cost 19%
 * of indexing time on Cranfield); instead, only when a query word is
 * unknown, the body terms are scanned once and compared with a banded
 * Damerau-Levenshtein distance that gives up past 2 edits (1 for words of up
 * to 4 letters, where 2 edits reach almost anything). Stems are short and
 * a misspelt word's stem is a guess, so the nearest few are kept and the one
 * whose written form is nearest what was typed wins ("Unted": the stems un
 * and unit are one edit from unt, the words "united" and "UN" one and three
 * from it). Stems that begin the typed word within an edit are kept too, for
 * a misspelling the stemmer cuts elsewhere ("Secuirty"), and taken only when
 * a passage writes them within the edits allowed.
 */
#include "suggest.h"
#include "readings.h"

#include "index.h"
#include "layout.h"
#include "record.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 8 /* unknown words corrected per query, at most */
#define MAX_EDITS 2
#define MAX_LEN 64
#define MAX_NEAR 4         /* stems kept per unknown word, compared by their written forms */
#define SURFACE_PASSAGES 8 /* passages read for a stem's written form nearest the typed word */

typedef struct {
    char stem[MAX_LEN + 1]; /* then the word a passage writes it with */
    int dist;               /* of the stems; of the stem from the typed word's prefix, + 1 */
    int by_prefix;          /* near the typed word's beginning, not its stem: taken only when
                             * a passage writes it near the typed word */
    unsigned freq;
} near_t;

typedef struct {
    const char *stem; /* unknown stem (no prefix) */
    size_t len;
    char typed[MAX_LEN + 1]; /* the word as typed, folded ("" when not known) */
    size_t typed_len;
    int max_dist;          /* 1 for words of up to 4 letters, which must also keep their
                            * first letter ("oil" is not "il"); else 2 */
    near_t near[MAX_NEAR]; /* nearest first, then most frequent */
    size_t nnear;
    const near_t *best; /* the pick, or NULL */
} want_t;

typedef struct {
    want_t *w;
    size_t n;
} scan_t;

/* Optimal-string-alignment distance of a from b, or, with prefix, from the
 * nearest beginning of b; max + 1 when it is larger than max. */
static int osa(const char *a, size_t na, const char *b, size_t nb, int max, int prefix)
{
    if (na > MAX_LEN || nb > MAX_LEN) return max + 1;
    if (!prefix && (int)(na > nb ? na - nb : nb - na) > max) return max + 1;
    int d[MAX_LEN + 1][MAX_LEN + 1];
    for (size_t i = 0; i <= na; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= nb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        int row_min = max + 1;
        for (size_t j = 1; j <= nb; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < row_min) row_min = v;
        }
        if (row_min > max) return max + 1;
    }
    if (!prefix) return d[na][nb];
    int best = d[na][0];
    for (size_t j = 1; j <= nb; j++)
        if (d[na][j] < best) best = d[na][j];
    return best;
}

static int distance(const char *a, size_t na, const char *b, size_t nb, int max)
{
    return osa(a, na, b, nb, max, 0);
}

typedef struct {
    const char *stem;
    const char *like; /* with it: the token nearest this word wins; NULL: the first */
    size_t like_len;
    char *word; /* out: a token with that stem */
    size_t cap;
    int dist; /* of word from like */
} surface_t;

static int find_surface(void *ctx, const qt_token_t *t)
{
    surface_t *s = ctx;
    if (strlen(s->stem) != t->stem_len || memcmp(s->stem, t->stem, t->stem_len) != 0) return 0;
    if (t->norm_len >= s->cap) return 0;
    const int d = s->like ? distance(s->like, s->like_len, t->norm, t->norm_len, MAX_LEN) : 0;
    if (s->word[0] && d >= s->dist) return 0;
    memcpy(s->word, t->norm, t->norm_len + 1);
    s->dist = d;
    return s->like && d > 0 ? 0 : 1; /* an exact spelling ends the walk */
}

/* Replaces stem (in a buffer of MAX_LEN + 1) by a word a passage holding it
 * spells it with: the first passage's first when like is NULL; else the
 * nearest like in the first SURFACE_PASSAGES passages (read in one call),
 * as the first may write "secured" where another writes "security". Keeps
 * the stem when anything fails, as it is still a fair word. Returns the
 * word's distance from like (0 without like). */
static int surface_form(xq_db_t *db, qt_pipeline_t *p, char *stem, const char *like,
                        size_t like_len)
{
    char term[MAX_LEN + 2], word[MAX_LEN + 1] = "";
    xq_docid_t ids[SURFACE_PASSAGES];
    char *data[SURFACE_PASSAGES] = {0};
    size_t lens[SURFACE_PASSAGES], n = 0;
    snprintf(term, sizeof term, "%s%s", QL_PREFIX_BODY, stem);
    if (xq_db_first_postings(db, term, strlen(term), like ? SURFACE_PASSAGES : 1, ids, &n) != XQ_OK)
        n = 0;
    surface_t s = {stem, like, like_len, word, sizeof word, 0};
    if (n && xq_db_get_data_many(db, ids, n, data, lens) == XQ_OK) {
        ql_passage_t rec;
        for (size_t i = 0; i < n && !(word[0] && s.dist <= 1); i++)
            if (ql_record_decode(data[i], lens[i], &rec) == 0)
                qt_tokenize(p, rec.text, rec.text_len, find_surface, &s);
        if (word[0]) memcpy(stem, word, strlen(word) + 1);
    }
    for (size_t i = 0; i < n; i++) free(data[i]);
    if (!like) return 0;
    return word[0] ? s.dist : distance(like, like_len, stem, strlen(stem), MAX_LEN);
}

/* How near term t[0..n) is w's unknown word: its stems' distance, else one
 * more than its distance from the typed word's beginning (for a stem of 4+
 * letters, with the same first letter, at most 4 shorter than the typed
 * word), else max_dist + 1. */
static int nearness(const want_t *w, const char *t, size_t n, int *by_prefix)
{
    *by_prefix = 0;
    const int d = distance(w->stem, w->len, t, n, w->max_dist);
    if (d <= w->max_dist) return d;
    const size_t m = w->typed_len;
    if (n < 4 || n > m || m - n > 4 || t[0] != w->typed[0]) return d;
    /* the stemmer cuts a misspelt word where it would not cut the word
     * (Secuirty's stem is secuirti, three edits from secur), but the stem
     * still begins it */
    const int pd = osa(t, n, w->typed, m, w->max_dist - 1, 1);
    *by_prefix = 1;
    return pd + 1;
}

static int consider(void *ctx, const char *term, size_t len, unsigned freq)
{
    scan_t *s = ctx;
    const char *t = term + 1; /* skip the prefix */
    const size_t n = len - 1;
    if (n > MAX_LEN) return 0; /* no correction is that long */
    for (size_t i = 0; i < s->n; i++) {
        want_t *w = &s->w[i];
        if (w->len <= 4 && (n == 0 || t[0] != w->stem[0])) continue; /* oil is not il */
        int by_prefix = 0;
        const int d = nearness(w, t, n, &by_prefix);
        if (d > w->max_dist || d == 0) continue;
        size_t at = w->nnear; /* sorted insert: nearer, then more frequent, first */
        while (at > 0 && (d < w->near[at - 1].dist ||
                          (d == w->near[at - 1].dist && freq > w->near[at - 1].freq)))
            at--;
        if (at == MAX_NEAR) continue;
        if (w->nnear == MAX_NEAR) w->nnear--;
        memmove(w->near + at + 1, w->near + at, (w->nnear - at) * sizeof *w->near);
        memcpy(w->near[at].stem, t, n);
        w->near[at].stem[n] = '\0';
        w->near[at].dist = d;
        w->near[at].by_prefix = by_prefix;
        w->near[at].freq = freq;
        w->nnear++;
    }
    return 0;
}

static int first_norm(void *ctx, const qt_token_t *t)
{
    char *typed = ctx;
    if (t->norm_len <= MAX_LEN) memcpy(typed, t->norm, t->norm_len + 1);
    return 1;
}

/* Picks w's correction: the kept stem whose written form is nearest the word
 * as typed; stems nearer each other, then more frequent, break ties. A stem
 * kept for its nearness to the typed word's beginning must be written within
 * the edits allowed. */
static void pick(xq_db_t *db, qt_pipeline_t *p, want_t *w)
{
    int best = MAX_LEN + 1;
    for (size_t i = 0; i < w->nnear; i++) {
        near_t *c = &w->near[i];
        const int d = surface_form(db, p, c->stem, w->typed_len ? w->typed : NULL, w->typed_len);
        if (c->by_prefix && d > w->max_dist) continue;
        if (d < best) {
            best = d;
            w->best = c;
        }
    }
}

int qs_suggest(xq_db_t *db, qt_pipeline_t *p, const qs_typed_t *typed, const char *text, size_t len,
               ql_buf_t *out, qs_termlist_t *typos, ql_err_t *e)
{
    want_t *w = calloc(typed->nwords ? typed->nwords : 1, sizeof *w);
    if (!w) return ql_errf(e, QL_E_NOMEM, "out of memory");
    size_t nw = 0;
    int rc = 0;
    xq_status_t st = XQ_OK;
    for (size_t i = 0; i < typed->nwords && st == XQ_OK; i++) {
        const qs_word_t *qw = &typed->words[i];
        if (qw->pair) continue; /* 言论自由's 论自 is in no index, and no typo */
        ql_buf_t term = {0};
        ql_buf_adds(&term, QL_PREFIX_BODY);
        ql_buf_adds(&term, qw->stem);
        unsigned df = 1;
        if (term.oom)
            st = XQ_NOMEM;
        else
            st = xq_db_termfreq(db, term.data, term.len, &df);
        /* a word the index holds in another language's reading is known */
        qs_reading_t r;
        for (const char *at = qw->alts; st == XQ_OK && df == 0 && qs_reading_next(&at, &r);) {
            ql_buf_reset(&term);
            ql_buf_adds(&term, QL_PREFIX_BODY);
            ql_buf_add(&term, r.stem, r.len);
            st = term.oom ? XQ_NOMEM : xq_db_termfreq(db, term.data, term.len, &df);
        }
        ql_buf_free(&term);
        /* a number or a code (1, EL1, A320) is not a misspelt word: the
         * nearest term would be another number ("1" -> "16") */
        const int digits = strpbrk(qw->stem, "0123456789") != NULL;
        /* a suggestion is for a few typos: past MAX_WORDS unknown words
         * (a pasted page, a word list) the scan would only cost time */
        if (st == XQ_OK && df == 0 && !digits && strlen(qw->stem) <= MAX_LEN && nw < MAX_WORDS) {
            w[nw].stem = qw->stem;
            w[nw].len = strlen(qw->stem);
            w[nw].max_dist = w[nw].len <= 4 ? 1 : MAX_EDITS;
            qt_tokenize(p, text + qw->start, qw->end - qw->start, first_norm, w[nw].typed);
            w[nw].typed_len = strlen(w[nw].typed);
            nw++;
        }
    }
    if (st == XQ_OK && nw) {
        scan_t s = {w, nw};
        st = xq_db_terms(db, QL_PREFIX_BODY, consider, &s);
    }
    if (st != XQ_OK) {
        rc = ql_err_xq(e, st, "looking for spelling suggestions: %s", xq_db_error(db));
        goto done;
    }
    for (size_t j = 0; j < nw; j++) pick(db, p, &w[j]);
    /* Splice the corrections into the query text, left to right. */
    ql_buf_reset(out);
    size_t at = 0;
    int oom = 0;
    for (size_t i = 0; i < typed->nwords; i++) {
        const qs_word_t *qw = &typed->words[i];
        const want_t *hit = NULL;
        for (size_t j = 0; j < nw; j++)
            if (w[j].stem == qw->stem && w[j].best) hit = &w[j];
        if (!hit || qw->start < at) continue;
        char term[MAX_LEN + 2];
        snprintf(term, sizeof term, "%s%s", QL_PREFIX_BODY, qw->stem);
        oom |= qs_termlist_add(typos, term, strlen(term)) != 0;
        ql_buf_add(out, text + at, qw->start - at);
        const char *fix = hit->best->stem;
        /* "Unted" -> "United": a capital typed is kept (ASCII letters) */
        if (isupper((unsigned char)text[qw->start]) && islower((unsigned char)fix[0])) {
            ql_buf_addc(out, (char)toupper((unsigned char)fix[0]));
            fix++;
        }
        ql_buf_adds(out, fix);
        at = qw->end;
        rc = 1;
    }
    ql_buf_add(out, text + at, len - at);
    if (out->oom || oom) rc = ql_errf(e, QL_E_NOMEM, "out of memory");
done:
    free(w);
    return rc;
}

/* ------------------------------------------------------------ completion */

typedef struct {
    char word[MAX_LEN + 1]; /* a stem, then its surface form */
    unsigned freq;
} pick_t;

typedef struct {
    pick_t *v;
    size_t n, max;
} picks_t;

/* Keeps the max most frequent terms (ties: the first in byte order). */
static int keep_frequent(void *ctx, const char *term, size_t len, unsigned freq)
{
    picks_t *k = ctx;
    if (len - 1 > MAX_LEN) return 0;
    size_t at = k->n;
    while (at > 0 && k->v[at - 1].freq < freq) at--;
    if (at == k->max) return 0;
    if (k->n == k->max) k->n--;
    memmove(k->v + at + 1, k->v + at, (k->n - at) * sizeof *k->v);
    memcpy(k->v[at].word, term + 1, len - 1);
    k->v[at].word[len - 1] = '\0';
    k->v[at].freq = freq;
    k->n++;
    return 0;
}

typedef struct {
    char prefix[MAX_LEN + 1];
    size_t end; /* where the last word ends in the text */
} last_t;

/* The last word's folded form, or its stem when that is a shorter prefix
 * of it (as sanct* is searched): what the terms to complete start with. */
static int last_word(void *ctx, const qt_token_t *t)
{
    last_t *l = ctx;
    l->end = t->end;
    l->prefix[0] = '\0';
    if (t->flags & QT_TOK_TOOLONG || t->norm_len > MAX_LEN) return 0;
    const int cut = t->stem_len < t->norm_len && !memcmp(t->norm, t->stem, t->stem_len);
    const size_t n = cut ? t->stem_len : t->norm_len;
    memcpy(l->prefix, t->norm, n);
    l->prefix[n] = '\0';
    return 0;
}

int qs_complete(xq_db_t *db, qt_pipeline_t *p, const char *text, size_t len, size_t max,
                qs_word_fn fn, void *ctx, ql_err_t *e)
{
    last_t l = {"", 0};
    qt_tokenize(p, text, len, last_word, &l);
    if (!l.prefix[0] || l.end != len || max == 0) return 0; /* nothing being typed */
    picks_t k = {calloc(max, sizeof *k.v), 0, max};
    if (!k.v) return ql_errf(e, QL_E_NOMEM, "out of memory");
    char prefix[MAX_LEN + 2];
    snprintf(prefix, sizeof prefix, "%s%s", QL_PREFIX_BODY, l.prefix);
    const xq_status_t st = xq_db_terms(db, prefix, keep_frequent, &k);
    int rc = st == XQ_OK ? 0 : ql_err_xq(e, st, "completing: %s", xq_db_error(db));
    for (size_t i = 0; rc == 0 && i < k.n; i++) {
        surface_form(db, p, k.v[i].word, NULL, 0);
        int dup = 0; /* two stems a passage spells alike */
        for (size_t j = 0; j < i; j++) dup |= !strcmp(k.v[j].word, k.v[i].word);
        if (!dup && fn(ctx, k.v[i].word, strlen(k.v[i].word), k.v[i].freq) != 0) rc = 1;
    }
    free(k.v);
    return rc;
}
