/*
 * suggest.h - "did you mean": a correction for query words the index has
 * never seen, taken from the index's own vocabulary and shown as the word is
 * written in a passage (folded: lower case, no accents).
 */
#ifndef QUIRE_SUGGEST_H
#define QUIRE_SUGGEST_H

#include "buf.h"
#include "err.h"
#include "query.h"
#include "xq.h"

/* When some plain word typed (parsed from text[0..len)) has a stem no passage
 * contains, writes text with each such word replaced by the nearest indexed
 * stem (at most 2 edits, a transposition counting as one; the stem indexing
 * most passages on ties) to out, adds each corrected word's term
 * ("Z" + stem) to typos, and returns 1. Returns 0 when every word is
 * known or nothing is near, -1 on failure (e set). */
int qs_suggest(xq_db_t *db, qt_pipeline_t *p, const qs_typed_t *typed, const char *text, size_t len,
               ql_buf_t *out, qs_termlist_t *typos, ql_err_t *e);

/* Called with each completion: a word as a passage spells it (folded) and
 * how many passages hold it. Non-zero stops. */
typedef int (*qs_word_fn)(void *ctx, const char *word, size_t len, unsigned passages);

/* Completes the last word of text[0..len) (nothing when the text ends
 * with a space or a sign) from the index's body terms: the max most
 * frequent terms starting with the word's folded form (or its stem, when
 * shorter), most passages first, each shown as a passage spells it.
 * Returns 0, 1 when fn stopped, or -1 with e set. */
int qs_complete(xq_db_t *db, qt_pipeline_t *p, const char *text, size_t len, size_t max,
                qs_word_fn fn, void *ctx, ql_err_t *e);

#endif
