/*
 * readings.h - a query's words read in the languages an index holds.
 *
 * The indexer stems each article's Latin-script words in the article's
 * language (qt_pipeline_set_lang), so "élections" is "élect" in a French
 * article and "elect" in an English one. A query does not say its
 * language: the query compiler reads its text once as usual (English for
 * Latin script) and once more in each other language the index holds (or
 * that lang: names), and searches each word as a synonym of its stems -
 * counted as one word, so an English-only index ranks exactly as before.
 * The alternatives of a word are written as one string, its stems other
 * than the first reading's as "lang:stem" entries separated by QS_ALT_SEP
 * (a phrase word's string starts with its first reading's stem, bare). A
 * stem read in another language is searched only in passages of that
 * language: Portuguese reads "canal" as "can", which English passages are
 * full of.
 */
#ifndef QUIRE_READINGS_H
#define QUIRE_READINGS_H

#include "qt.h"

#include <stddef.h>

#define QS_ALT_SEP '\x1f' /* never in a term: a control character separates words */

/* Reads text[0..len) in each of langs[0..nlangs) (ISO 639-1 codes with a
 * stemmer, qt_lang_stems) and sets alts[i] to the stems of the word that
 * starts at byte starts[i] (the first reading's words, ascending) that
 * differ from primary[i], as "lang:stem" entries QS_ALT_SEP-separated, or
 * NULL when there are none. Words are matched by where they start, not by count: a word can be
 * too long to index in one reading and not in another (Turkish ı is two
 * bytes where I was one). The pipeline is left set to English. Caller owns
 * alts[i] (free). Returns 0, or -1 when out of memory (alts then all NULL). */
int qs_readings(qt_pipeline_t *p, const char *text, size_t len, const char *const *langs,
                size_t nlangs, char *const *primary, const size_t *starts, size_t n, char **alts);

/* One entry of an alternatives string: a stem, and the language it was
 * read in (lang_len 0 for a bare first stem). Pointers into the string. */
typedef struct qs_reading {
    const char *stem, *lang;
    size_t len, lang_len;
} qs_reading_t;

/* The entry at *at into r, *at moved to the next (NULL past the last).
 * Returns 0 when *at is NULL or empty (no entry), else 1. */
int qs_reading_next(const char **at, qs_reading_t *r);

/* 1 when stem[0..len) is word (a stem) or one of its alternatives: words
 * is "stem" or "stem<SEP>lang:alt<SEP>..." (a phrase word, qs_phrase_t). */
int qs_alt_has(const char *words, const char *stem, size_t len);

#endif
