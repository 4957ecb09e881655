/*
 * aliases.h - names that mean the same thing (UN | United Nations), read
 * from plain-text files through the text pipeline and expanded at search
 * time by the query compiler, so phrases keep working ("UN Charter" also
 * finds "United Nations Charter").
 *
 * File format: one group per line, names separated by '|', '#' starts a
 * comment. A one-word name written in capitals (UN, U.S., DPRK) only matches
 * words written in capitals, through the index's A<word> terms.
 *
 * A line may have two sides, split by '~' (Iran | Islamic Republic of Iran
 * ~ Iranian: searcher/demonyms.txt): the names on one side are aliases of
 * each other, those on the other side related names, which a query word
 * finds at QS_RELATED_WEIGHT of its own weight - in the match and in the
 * coverage ranking - so a passage that says what was typed ranks first.
 */
#ifndef QUIRE_ALIASES_H
#define QUIRE_ALIASES_H

#include "err.h"
#include "qt.h"

#include <stddef.h>
#include <stdint.h>

typedef struct qs_alt {
    char **stems; /* the name's words, stemmed; owned */
    char **caps;  /* per word: the folded word when written in capitals, else NULL */
    size_t n;
    unsigned side; /* 0 or 1: which side of the '~' (0 when the line has none) */
} qs_alt_t;

/* What a related name weighs against the name typed: a fixed half, not a
 * tuned value (docs/RELEVANCE.md, issue 22). */
#define QS_RELATED_WEIGHT 0.5

typedef struct qs_alias_group {
    qs_alt_t *alts; /* owned */
    size_t n;
} qs_alias_group_t;

typedef struct qs_aliases_slot {
    uint64_t hash; /* of a name (alt_hash) */
    size_t group;  /* 1 + the group holding it; 0: empty */
} qs_aliases_slot_t;

typedef struct qs_aliases {
    qs_alias_group_t *groups; /* owned */
    size_t n;
    qs_aliases_slot_t *slots; /* every name's group, by hash: merging a line costs */
    size_t nslots, nnames;    /* ... its names, not a scan (nslots a power of two) */
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

/* The longest name matching words[at..n): sets *group, *len (words
 * matched) and *side (the name's side of its group) and returns 1, or
 * returns 0 when none matches there. */
int qs_aliases_match(const qs_aliases_t *a, const qs_alias_word_t *words, size_t n, size_t at,
                     size_t *group, size_t *len, unsigned *side);

/* Frees what a owns. Accepts a zeroed a. */
void qs_aliases_free(qs_aliases_t *a);

/* The aliases shipped with Quire (searcher/aliases.txt, built in). */
extern const char qs_default_aliases[];

#endif
