/*
 * search.h - the search core: a query in, ranked passages out through a
 * callback. It never prints; the CLI's printers turn hits into text or JSON.
 *
 * Ranking: Xapian's BM25 over passages finds candidates (identical passages
 * collapsed to one), with a title-match weight and pseudo-relevance feedback
 * re-weighting them; for short queries (at most coord_max words) each
 * candidate's score is then multiplied by the share of the query it covers -
 * the IDF-weighted fraction of the query's words it contains - raised to
 * `coord`, so passages holding more of a few keywords come first, while a
 * long question is not punished for words a relevant passage puts otherwise.
 */
#ifndef QUIRE_SEARCH_H
#define QUIRE_SEARCH_H

#include "err.h"
#include "explain.h"
#include "index.h"
#include "record.h"
#include "snippet.h"
#include "suggest.h"

#include <stddef.h>
#include <stdint.h>

typedef struct qs_searcher qs_searcher_t;

typedef struct qs_options {
    unsigned offset;        /* hits to skip */
    unsigned limit;         /* hits to return */
    unsigned depth;         /* candidates re-ranked (at least offset + limit) */
    double coord;           /* exponent on query coverage; 0 = plain BM25 */
    unsigned coord_max;     /* ... applied to queries of at most this many words */
    double min_share;       /* such a query returns nothing when no passage covers
                             * this share of it (0: always return what matched) */
    double k1, b;           /* BM25 parameters */
    double prox;            /* weight of the bonus for adjacent words in order (0: off);
                             * like coord, only for queries of at most coord_max words */
    double prox_apart;      /* a pair of plain words estimated to be together in more
                             * passages than this is weighed on the candidates alone
                             * (same weights, cheaper); < 0: 4 x depth; 0: every pair */
    double title;           /* weight of a word matching the article title (0: off) */
    int all_words;          /* search loose stopwords too ("which", "the"; query.h) */
    char language[8];       /* the query's language ("fr"): read in it alone; "": in every
                             * language the index holds (readings.h) */
    unsigned time_limit_ms; /* the match stops after this long with the candidates it has
                             * (a server's per-request bound); 0: none */
    unsigned prf_docs;      /* pseudo-relevance feedback from the top N passages (0: off),
                             * for queries of more than coord_max words */
    unsigned prf_terms;     /* ... adding this many expansion terms */
    double prf_weight;      /* ... whose total weight is this share of the query's */
    size_t snippet_width;   /* characters; 0: no snippets (hit->snippet is empty) */
    int suggest;            /* look for did-you-mean corrections of unknown words */
    int explain;            /* fill hit->explain */
    uint32_t since, until;  /* only passages of articles dated in [since, until]
                             * (yyyymmdd, date.h; 0 leaves that end open) */
    int sort_date;          /* newest article first, relevance breaking ties;
                             * undated ones last */
    int strict;             /* a query that does not parse is an error; else (the
                             * default) a structural error - an unclosed quote or
                             * parenthesis, a dangling AND - searches the text's words
                             * plainly and says so in qs_result_t.warning */
    int count;              /* count matches exactly (checking up to QS_COUNT_CHECK
                             * of them), for qs_result_t.total */
} qs_options_t;

/* With qs_options_t.count, matches are checked up to this many: the total
 * is exact below it. */
#define QS_COUNT_CHECK 1000000u

/* Another place holding the same passage text. */
typedef struct qs_copy {
    const char *root; /* absolute root of path */
    char *path;       /* relative to root; owned by the searcher */
    uint32_t line_start, line_end;
    uint64_t byte_start, byte_end;
    uint8_t part_kind; /* as in the record (record.h) */
    uint32_t part;
} qs_copy_t;

typedef struct qs_hit {
    unsigned rank; /* 1-based */
    double score;
    unsigned docid;
    const ql_passage_t *p;   /* the passage (borrowed, valid during the callback) */
    const char *root;        /* absolute root of p->path */
    const ql_index_t *index; /* the local index (shard) it is from; NULL: a remote one */
    const qs_snippet_t *snippet;
    const qs_copy_t *copies; /* other places with the same text */
    size_t ncopies;
    const char *did_you_mean;    /* the query with unknown words corrected, or NULL */
    int corrected;               /* the hit is did_you_mean's (qs_result_t.corrected) */
    const qs_explain_t *explain; /* with opts.explain: why it matched; else NULL */
    int title_only;              /* no query word is in the passage: it matched through its
                                  * article's title (snippet->title_hl marks where) */
    unsigned total;              /* as qs_result_t.total and total_exact, for printers that */
    int total_exact;             /* put them on every hit */
    const char *warning;         /* as qs_result_t.warning */
} qs_hit_t;

/* Return non-zero to stop. */
typedef int (*qs_hit_fn)(void *ctx, const qs_hit_t *hit);

typedef struct qs_result {
    unsigned hits;              /* hits delivered */
    unsigned estimated;         /* estimated matching passages (after collapsing) */
    const char *did_you_mean;   /* the query with unknown words corrected, or NULL;
                                 * owned by the searcher, valid until its next search */
    const char *const *ignored; /* the stopwords the query left out, as typed
                                 * ("which", "the"); nignored of them; owned by
                                 * the searcher, valid until its next search */
    size_t nignored;
    unsigned total;       /* passages the query lists (copies counted once): 0 when
                           * too_weak, else the matches, exact when total_exact */
    int total_exact;      /* Xapian's bounds on the matches met */
    double best_coverage; /* short queries: the largest share any passage covers */
    int too_weak;         /* passages matched, but none covered min_share: the
                           * no-answer rule, applied only to plain queries (a list
                           * of words and phrases, query.h) */
    const char *warning;  /* the query did not parse and its words were searched
                           * plainly: why, or NULL; owned by the searcher */
    const char *missing;  /* shards left out of this search (allow_partial), as
                           * "NAME (why); ...", or NULL; owned by the searcher */
    int corrected;        /* nothing matched the query as typed: the hits are
                           * did_you_mean's (not with strict, an offset, or when
                           * the correction finds nothing either) */
} qs_result_t;

/* Fills o with the defaults (10 hits, coord 2, BM25 k1 1.6 b 0.6, 200 chars). */
void qs_options_default(qs_options_t *o);

/* Opens the index in dir. Caller frees *out with qs_close(). */
int qs_open(const char *dir, qs_searcher_t **out, ql_err_t *e);

#define QS_DEFAULT_TIMEOUT_MS 5000

typedef struct qs_open_opts {
    unsigned timeout_ms; /* per remote exchange (0: QS_DEFAULT_TIMEOUT_MS) */
    int allow_partial;   /* search the shards that answer, naming the others in
                          * qs_result_t.missing, instead of failing */
} qs_open_opts_t;

/* Opens specs[0..n) - index directories, tcp://HOST:PORT servers, cluster
 * files listing them (shards.h) - to be searched as one index: results and
 * scores are those of one index over all their passages. o may be NULL.
 * Caller frees *out with qs_close(). */
int qs_open_many(const char *const *specs, size_t n, const qs_open_opts_t *o, qs_searcher_t **out,
                 ql_err_t *e);

/* Adds the aliases in the file at path to those s expands (aliases.h). */
int qs_add_aliases(qs_searcher_t *s, const char *path, ql_err_t *e);

/* qs_complete (suggest.h) over s's indexes. */
int qs_searcher_complete(qs_searcher_t *s, const char *text, size_t len, size_t max, qs_word_fn fn,
                         void *ctx, ql_err_t *e);

/* Closes s. Accepts NULL. */
void qs_close(qs_searcher_t *s);

/* Runs query[0..len) and calls fn for each hit, best first. */
int qs_search(qs_searcher_t *s, const char *query, size_t len, const qs_options_t *o, qs_hit_fn fn,
              void *ctx, qs_result_t *res, ql_err_t *e);

#endif
