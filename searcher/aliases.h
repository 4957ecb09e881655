/*
 * aliases.h - names that mean the same thing (UN | United Nations), read
 * from plain-text files through the text pipeline and expanded at search
 * time by the query compiler, so phrases keep working ("UN Charter" also
 * finds "United Nations Charter").
 *
 * File format: one group per line, names separated by '|', '#' starts a
 * comment. A one-word name written in capitals (UN, U.S., DPRK) only matches
 * words written in capitals, through the index's A<word> terms.
 */
#ifndef QUIRE_ALIASES_H
#define QUIRE_ALIASES_H

#include "err.h"
#include "qt.h"

#include <stddef.h>

typedef struct qs_alt {
    char **stems; /* the name's words, stemmed; owned */
    char **caps;  /* per word: the folded word when written in capitals, else NULL */
    size_t n;
} qs_alt_t;

typedef struct qs_alias_group {
    qs_alt_t *alts; /* owned */
    size_t n;
} qs_alias_group_t;

typedef struct qs_aliases {
    qs_alias_group_t *groups; /* owned */
    size_t n;
} qs_aliases_t;

/* One query word as the matcher sees it. */
typedef struct qs_alias_word {
    const char *stem;
    const char *norm;
    int upper; /* written in capitals */
} qs_alias_word_t;

/* Adds the groups in text[0..len) (from source, named in errors). */
int qs_aliases_parse(qs_aliases_t *a, qt_pipeline_t *p, const char *text, size_t len,
                     const char *source, ql_err_t *e);

/* Adds the groups of the file at path; a missing file is an error only when
 * must_exist. */
int qs_aliases_load(qs_aliases_t *a, qt_pipeline_t *p, const char *path, int must_exist,
                    ql_err_t *e);

/* The longest name matching words[at..n): sets *group and *len (words
 * matched) and returns 1, or returns 0 when none matches there. */
int qs_aliases_match(const qs_aliases_t *a, const qs_alias_word_t *words, size_t n, size_t at,
                     size_t *group, size_t *len);

/* Frees what a owns. Accepts a zeroed a. */
void qs_aliases_free(qs_aliases_t *a);

/* The aliases shipped with Quire (searcher/aliases.txt, built in). */
extern const char qs_default_aliases[];

#endif
