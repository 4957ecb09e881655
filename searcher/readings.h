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
 * than the first reading's, separated by QS_ALT_SEP.
 */
#ifndef QUIRE_READINGS_H
#define QUIRE_READINGS_H

#include "qt.h"

#include <stddef.h>

#define QS_ALT_SEP '\x1f' /* never in a term: a control character separates words */

/* Reads text[0..len) in each of langs[0..nlangs) (ISO 639-1 codes with a
 * stemmer, qt_lang_stems) and sets alts[i] to the stems of the word that
 * starts at byte starts[i] (the first reading's words, ascending) that
 * differ from primary[i], QS_ALT_SEP-separated, or NULL when there are
 * none. Words are matched by where they start, not by count: a word can be
 * too long to index in one reading and not in another (Turkish ı is two
 * bytes where I was one). The pipeline is left set to English. Caller owns
 * alts[i] (free). Returns 0, or -1 when out of memory (alts then all NULL). */
int qs_readings(qt_pipeline_t *p, const char *text, size_t len, const char *const *langs,
                size_t nlangs, char *const *primary, const size_t *starts, size_t n, char **alts);

/* 1 when stem[0..len) is word (a stem) or one of its alternatives: words
 * is "stem" or "stem<SEP>alt<SEP>alt" (a phrase's word, qs_phrase_t). */
int qs_alt_has(const char *words, const char *stem, size_t len);

#endif
