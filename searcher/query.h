/*
 * query.h - parsing what the user types into a Xapian query, through the
 * same text pipeline the indexer used.
 *
 * Syntax (operators are upper case; lower-case and/or/not/near are words):
 *   words ...            passages with more of the words rank first
 *   "a phrase"           the words in order (also “curly quotes”)
 *   sanct*               words starting with sanct (folded as words are; at
 *                        least two letters; not inside a phrase)
 *   a NEAR b, a NEAR/n b the words (or phrases) within n words of each other,
 *                        in either order (NEAR alone: 10)
 *   a AND b, a OR b      both / either; NEAR binds tighter than AND, AND than OR
 *   a NOT b, a AND NOT b a but not b
 *   -word, NOT word      exclude (at the start of an item)
 *   +word                require
 *   ( ... )              grouping
 *   title:word           only passages whose article title has the word
 *   title:"a phrase"     ... or the phrase
 *   file:name            only passages from files whose path has a
 *                        component starting with name (case-insensitive)
 *   date:2023, date:2023-05, date:2023-05-05, date:2021..2023, date:..2022-06
 *                        only passages of articles dated then (inclusive;
 *                        undated articles never match a date filter)
 *   source:word, source:"Russian MFA"
 *                        only passages of articles whose source has the words
 * A word the pipeline splits into several (anti-Russia, U.S.-led) is
 * searched as a phrase of its parts. Loose stopwords ("which", "the", "of";
 * not in a phrase or an alias, not typed in capitals) are left out of a
 * sequence that has other words to search for.
 */
#ifndef QUIRE_QUERY_H
#define QUIRE_QUERY_H

#include "aliases.h"
#include "err.h"
#include "qparse.h"
#include "qt.h"
#include "xq.h"

#include <stddef.h>
#include <stdint.h>

typedef struct qs_termlist {
    char **terms; /* owned, NUL-terminated, distinct */
    size_t n, cap;
    size_t *slots; /* past a few terms, a hash index: 1 + index into terms, 0 empty */
    size_t nslots; /* a power of two, at least twice n */
} qs_termlist_t;

/* A phrase to highlight: stems in order (repeats allowed). */
typedef struct qs_phrase {
    char **stems; /* owned */
    size_t n;
} qs_phrase_t;

/* Where a query term came from, for --explain. */
typedef enum qs_from {
    QS_FROM_WORD,
    QS_FROM_ALIAS,
    QS_FROM_RELATED, /* a related name (aliases.h: Iran for Iranian) */
    QS_FROM_TITLE,
    QS_FROM_FEEDBACK
} qs_from_t;

typedef struct qs_origin {
    char *term; /* the indexed term, prefix included; owned */
    char *from; /* what the user typed that it stands for; owned */
    qs_from_t kind;
    double scale; /* the weight factor the query gives it */
} qs_origin_t;

/* A word the user typed, for did-you-mean. */
typedef struct qs_word {
    size_t start, end; /* byte span in the query text */
    char *stem;        /* its stem, no prefix; owned */
    char *alts;        /* its other readings' stems (readings.h), or NULL; owned */
    int pair;          /* a pair of CJK characters (QT_TOK_CJK): no word to correct; a
                        * pair across two words is in no index */
} qs_word_t;

/* What snippets mark in a hit's text and title. */
typedef struct qs_marks {
    qs_termlist_t words;  /* single body stems, marked wherever they occur */
    qs_phrase_t *phrases; /* body phrases, marked only where they occur whole */
    size_t nphrases;
    qs_termlist_t prefixes; /* body prefixes (sanct*, as the stem prefix "sanct"): every
                             * word whose stem starts with one is marked */
} qs_marks_t;

/* What ranks hits by how much of the query they hold. */
typedef struct qs_coverage {
    qs_termlist_t terms; /* terms whose coverage ranks hits ... */
    unsigned *group;     /* ... each in a group (a word, or all names of an alias) */
    char (*reading)[8];  /* ... "" or, for a word's stem in another language (readings.h),
                          * that language: it covers passages in it, its group is one
                          * word weighed as a synonym */
    double *weight;      /* ... 1, or QS_RELATED_WEIGHT for a related name's term */
    /* The words of alias names (term index, name number from 1): a group of
     * names weighs as its most common full-weight name, each name as its
     * rarest word - not as the rarest word of any (Bolivarian) */
    struct qs_name_word {
        size_t term;
        unsigned name;
        double weight;
    } * name_words;
    size_t nname_words;
    unsigned nnames;
    unsigned ngroups; /* groups in terms */
    unsigned length;  /* words typed, stopwords left out included: what the
                       * short/long rules count ("members of the Group of
                       * Friends" is a long query with three groups) */
    int plain;        /* a list of words, phrases and prefixes: no operator, field,
                       * sign or group (the no-answer rule applies only to these) */
} qs_coverage_t;

/* Where each term came from (--explain). */
typedef struct qs_origins {
    qs_origin_t *v; /* the first origin of each term */
    size_t n;
    qs_termlist_t terms; /* the terms of v, to find one at once */
} qs_origins_t;

/* What the user typed, as the searcher reports back on it. */
typedef struct qs_typed {
    qs_word_t *words; /* the searched (not excluded) body words, in order (did-you-mean) */
    size_t nwords;
    qs_termlist_t ignored; /* stopwords left out, as typed ("which", "the") */
} qs_typed_t;

/* What the compiler makes of a parsed query (qparse.h's tree): the Xapian
 * query to run, and one part for each reader of it - snippets, the
 * coverage ranking, --explain, and the reports on what was typed. */
typedef struct qs_query {
    xq_query_t *xq;       /* the compiled query; owned */
    xq_query_t *near;     /* with opts.prox_apart: the adjacency bonus, left out of xq for
                           * the searcher to add to its candidates; owned, NULL: none */
    qs_marks_t marks;     /* snippet.c */
    qs_coverage_t cover;  /* search.c's ranking */
    qs_origins_t origins; /* explain.c */
    qs_typed_t typed;     /* suggest.c, and the words left out */
} qs_query_t;

/* Ranking features the compiler can add to a query. */
typedef struct qs_query_opts {
    double prox;                 /* weight of the bonus for adjacent query words found in
                                  * the same order next to each other; 0: none */
    unsigned prox_max;           /* ... given to queries of at most this many words */
    double title;                /* weight of a word's match in the article title; 0: none */
    const qs_aliases_t *aliases; /* names to expand (borrowed); NULL: none */
    int keep_stopwords;          /* 1: search loose stopwords too (qt_stopword) */
    int prox_apart;              /* 1: the bonus goes to q->near, not into q->xq ... */
    /* ... for a pair whose words are together in more than apart_docs
     * passages (estimated as tf(a) tf(b) / ndocs, tf from termfreq): fewer
     * are cheaper to check in the query. NULL termfreq: every such pair. */
    double (*termfreq)(void *ctx, const char *term);
    void *termfreq_ctx;
    double ndocs, apart_docs;
    /* The index's terms starting with prefix[0..len) (the term prefix included,
     * "Zsanct"), in byte order, added to out; at most max + 1 of them, so more
     * than max says the prefix is too wide. Returns 0, or -1 with e set. NULL:
     * prefixes match nothing. termfreq_ctx is its ctx. */
    int (*prefix_terms)(void *ctx, const char *prefix, size_t len, size_t max, qs_termlist_t *out,
                        ql_err_t *e);
    int reading; /* QS_PARSE_SYNTAX, or QS_PARSE_PLAIN: the text's words only (qparse.h) */
    /* Languages besides English whose Latin-script words the index stems
     * with their own stemmer (qt_lang_stems): each word is also searched by
     * its stem in each (readings.h); lang: in the query narrows them to the
     * languages it names. Borrowed; at most 16 are used. */
    const char *const *langs;
    size_t nlangs;
    /* 1: loose words that are stopwords of langs are left out too (an index
     * without English: "war" is German's "was" but English's war). lang:
     * naming a language always leaves its stopwords out. */
    int langs_stopwords;
    /* 1: langs is the query's own language: its words are stemmed in it
     * alone (no first, English reading), and its stopwords left out */
    int only_langs;
} qs_query_opts_t;

/* A prefix (sanct*) expands to at most this many of the index's words. */
#define QS_PREFIX_MAX_TERMS 1000

/* Parses text[0..len) with opts (NULL: no extra features). On success fills
 * q (caller frees with qs_query_free). On failure returns -1 with e->code
 * QL_E_QUERY and a message giving the column (1-based, in characters) where
 * the problem is, and *kind (may be NULL) saying whether reading the text
 * plainly could help (QS_PERR_STRUCTURE, qparse.h). */
int qs_query_compile(qt_pipeline_t *p, const char *text, size_t len, const qs_query_opts_t *opts,
                     qs_query_t *q, qs_perr_t *kind, ql_err_t *e);

/* qs_query_compile without the kind of error. */
int qs_query_parse(qt_pipeline_t *p, const char *text, size_t len, const qs_query_opts_t *opts,
                   qs_query_t *q, ql_err_t *e);

/* Records that term[0..tlen) stands for from[0..flen) (kept only the first
 * time a term is recorded). Returns 0, or -1 when out of memory. */
int qs_query_add_origin(qs_query_t *q, const char *term, size_t tlen, const char *from, size_t flen,
                        qs_from_t kind, double scale);

/* Frees what q owns. Accepts a zeroed q. */
void qs_query_free(qs_query_t *q);

/* Adds a copy of s[0..n) to l unless present. Returns 0, or -1 when out of memory. */
int qs_termlist_add(qs_termlist_t *l, const char *s, size_t n);
/* 1 when l holds s[0..n). */
int qs_termlist_has(const qs_termlist_t *l, const char *s, size_t n);
/* The index of s[0..n) in l->terms, or SIZE_MAX. */
size_t qs_termlist_find(const qs_termlist_t *l, const char *s, size_t n);
void qs_termlist_free(qs_termlist_t *l);

#endif
