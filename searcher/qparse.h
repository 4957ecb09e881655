/*
 * qparse.h - what the user typed, as a tree: the lexer and parser of Quire's
 * query syntax (the syntax is listed in query.h). The compiler (query.c)
 * turns the tree into Xapian queries; nothing here knows about terms.
 *
 * Operator chains are n-ary nodes (a AND b AND c is one AND of three
 * items), so the tree is only as deep as its parentheses, which are
 * bounded (QS_MAX_DEPTH), and a query holds at most QS_MAX_ITEMS words,
 * phrases and operators: no query shape recurses deeply or grows without
 * bound.
 *
 * Errors come in two kinds. A structural error - a quote or parenthesis
 * that does not close, an AND/OR/NOT with nothing on one side, a field with
 * no value - is what pasted prose produces; the caller may then read the
 * same text plainly (QS_PARSE_PLAIN: every run of non-space characters is a
 * word; quotes, parentheses and operators are ignored). An operator given a
 * bad argument - NEAR/0, a one-letter prefix, a prefix inside a phrase, a
 * date that is not one - can only have been typed as an operator, and is
 * always an error.
 */
#ifndef QUIRE_QPARSE_H
#define QUIRE_QPARSE_H

#include "err.h"

#include <stddef.h>

#define QS_MAX_DEPTH 64       /* nested parentheses */
#define QS_MAX_ITEMS 1000     /* words, phrases and operators in one query */
#define QS_NEAR_DEFAULT 10    /* NEAR alone: at most this many words apart */
#define QS_NEAR_MAX 100       /* NEAR/n: n from 1 to this */
#define QS_PREFIX_MIN_CHARS 2 /* a prefix (sanct*) has at least this many characters */

typedef enum qs_field {
    QS_F_BODY,
    QS_F_TITLE,
    QS_F_FILE,
    QS_F_DATE,
    QS_F_SOURCE,
    QS_F_LANG
} qs_field_t;

typedef enum qs_nkind {
    QS_N_WORD,   /* start/len: the word (for a prefix, without its '*') */
    QS_N_PHRASE, /* start/len: the text inside the quotes */
    QS_N_AND,    /* items: all of them, except the last nexcl, which are excluded */
    QS_N_OR,     /* items: any of them */
    QS_N_NEAR,   /* items (words, prefixes, phrases): within `near` words of each other */
    QS_N_SEQ     /* items with signs: plain ones rank, + ones are required, - excluded */
} qs_nkind_t;

typedef struct qs_node {
    qs_nkind_t kind;
    qs_field_t field;
    int sign;          /* as an item of a SEQ: -1 exclude, +1 require, 0 plain */
    int prefix;        /* QS_N_WORD: written with a trailing '*' */
    size_t start, len; /* the node's text in the query */
    size_t at;         /* where it starts in the query, for messages */
    struct qs_node **items;
    size_t nitems;
    size_t nexcl;  /* QS_N_AND: the last nexcl items are excluded */
    unsigned near; /* QS_N_NEAR: the most words between items */
} qs_node_t;

typedef struct qs_tree {
    const char *text; /* the query (borrowed) */
    size_t len;
    qs_node_t *root; /* a QS_N_SEQ */
    qs_node_t **all; /* every node, for freeing; owned */
    size_t nall, capall;
    int plain; /* no operator, field, sign or parenthesis: a list of words, phrases and prefixes */
} qs_tree_t;

/* How the text is read. */
enum { QS_PARSE_SYNTAX = 0, QS_PARSE_PLAIN = 1 };

/* What a failed parse was. */
typedef enum qs_perr {
    QS_PERR_NONE,
    QS_PERR_STRUCTURE, /* unbalanced or dangling: reading it plainly may help */
    QS_PERR_OPERATOR,  /* an operator with a bad argument, or nothing to search */
    QS_PERR_NOMEM
} qs_perr_t;

/* Parses text[0..len) (borrowed by the tree) into t (caller frees with
 * qs_tree_free, also after a failure). On failure returns -1, sets *kind
 * (may be NULL) and e (QL_E_QUERY with the column, 1-based in characters,
 * where the problem is; QL_E_NOMEM). */
int qs_tree_parse(const char *text, size_t len, int mode, qs_tree_t *t, qs_perr_t *kind,
                  ql_err_t *e);

void qs_tree_free(qs_tree_t *t);

/* Records a QL_E_QUERY error "bad query: WHAT at column N" for byte `at` of
 * t's text; returns -1. */
int qs_tree_error(const qs_tree_t *t, size_t at, const char *what, ql_err_t *e);

#endif
