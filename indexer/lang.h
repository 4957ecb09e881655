/*
 * lang.h - which language a passage is written in, from its text, through
 * libexttextcat (n-gram profiles, Cavnar & Trenkle 1994, as LibreOffice
 * uses it), restricted to the languages in QI_LANGS: a guess among fewer
 * profiles is both faster and more often right. A guess is kept only when
 * textcat names one language (it names several when their scores are
 * close: not confident) and the text has at least QI_LANG_MIN_LETTERS
 * letters; otherwise the caller falls back (the article's language so far,
 * then its file's, then the folder's --language).
 *
 * Languages are named by their ISO 639-1 code, lower case ("en", "ru",
 * "zh"): the value of the L term, the record and JSON's "lang".
 */
#ifndef QUIRE_LANG_H
#define QUIRE_LANG_H

#include <stddef.h>

#define QI_LANG_MIN_LETTERS 40 /* fewer: too short to tell */
#define QI_LANG_MAX 16         /* bytes of a code, its NUL included */

typedef struct qi_lang qi_lang_t;

/* A detector (one per thread: textcat keeps its scratch in the handle).
 * NULL when out of memory or the profiles cannot be read. */
qi_lang_t *qi_lang_new(void);
void qi_lang_free(qi_lang_t *l);

/* The language of text[0..len) into out: 0 when confident, 1 when too
 * short or not confident (out then ""). */
int qi_lang_detect(qi_lang_t *l, const char *text, size_t len, char out[QI_LANG_MAX]);

/* A declared language tag (HTML lang, JSON "language", --language:
 * "en-US", "ru_RU", "zh-Hans", "FR", "rus") as its lower-case primary
 * subtag into out, a three-letter code of a language with a two-letter one
 * as that ("rus" -> "ru", "cmn" -> "zh"): 0, or -1 when it is not a
 * language tag (out then ""). */
int qi_lang_tag(const char *tag, size_t n, char out[QI_LANG_MAX]);

#endif
