/*
 * explain.h - why a passage matched: for each query term that matched it,
 * what the user typed that it stands for (a word, an alias, the title,
 * feedback), the word as the passage writes it (so "defense" shows it matched
 * "Defence"), and its share of the passage's BM25 weight.
 */
#ifndef QUIRE_EXPLAIN_H
#define QUIRE_EXPLAIN_H

#include "err.h"
#include "query.h"
#include "record.h"
#include "xq.h"

typedef struct qs_explain_item {
    char term[80];    /* the indexed term, prefix included */
    char from[128];   /* what the user typed it stands for */
    char matched[96]; /* the word as the passage (or its title) writes it */
    qs_from_t kind;
    size_t at, end; /* where matched is in the passage text (end 0: not there) */
    double weight;  /* BM25 weight, times the query's factor for the term */
    double share;   /* of the sum over the passage's matched terms */
} qs_explain_item_t;

typedef struct qs_explain {
    qs_explain_item_t *v; /* owned; largest share first */
    size_t n, cap;
} qs_explain_t;

/* Feedback terms of the current search and their factors (search.c). */
typedef struct qs_feedback {
    qs_termlist_t terms;
    double *scale;
} qs_feedback_t;

/* Explains hit i (document docid, record pass) of m into out, naming
 * each matching term's origin in the query. */
int qs_explain_hit(xq_db_t *db, qt_pipeline_t *p, const qs_origins_t *origins,
                   const qs_feedback_t *fb, xq_mset_t *m, size_t i, xq_docid_t docid,
                   const ql_passage_t *pass, double k1, double b, qs_explain_t *out, ql_err_t *e);

void qs_explain_free(qs_explain_t *x);

#endif
