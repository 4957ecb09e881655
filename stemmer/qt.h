/*
 * qt.h - Quire's one text pipeline (pure C on utf8proc and Snowball).
 *
 * Every piece of text Quire looks at - documents at index time, queries at
 * search time, passages when a snippet is highlighted - goes through
 * qt_tokenize(). It splits text into words, folds each word (NFKC, case fold,
 * marks stripped, quotes and dashes lumped, default-ignorables dropped,
 * British spellings folded to American) and stems it with Snowball: English,
 * or by the word's script Russian (Cyrillic), Greek, or Arabic (Arabic
 * script, unless the word has a letter only Persian writes) - the same in
 * documents and queries, so neither needs to know the other's language.
 * Because the indexer, the query builder and the highlighter all call this one
 * function, they cannot disagree about what a word is.
 *
 * Chinese, Japanese and Korean text, written without spaces, is indexed as
 * overlapping pairs of characters (QT_TOK_CJK), so that any word of two or
 * more characters is found inside a sentence as a phrase of its pairs.
 *
 * A word right after '#' (a hashtag) is also split at case and letter/digit
 * boundaries: #UNCharterIsOurRules gives the whole tag, then un, charter, is,
 * our, rules at consecutive positions, so both the tag and the words find it.
 *
 * Input may be any byte sequence: invalid UTF-8 is decoded as U+FFFD (a word
 * separator) one byte at a time, so nothing fails and byte offsets still point
 * into the original input.
 */
#ifndef QUIRE_QT_H
#define QUIRE_QT_H

#include <stddef.h>
#include <stdint.h>

/* Longest folded word, in bytes, that becomes a term. Longer tokens (URLs,
 * base64 runs) keep their position but are flagged QT_TOK_TOOLONG and carry no
 * term, so no over-long term ever reaches the index. */
#define QT_MAX_TERM 64

/* Token flags. */
#define QT_TOK_TOOLONG 0x1u /* norm/stem are empty: the word was too long */
#define QT_TOK_UPPER 0x2u   /* written in capitals, two letters or more (UN, U.S., DPRK) */
#define QT_TOK_TAG 0x4u     /* a whole #hashtag whose parts follow as QT_TOK_PART tokens */
#define QT_TOK_HASHTAG                                                                             \
    0x20u /* written as a #hashtag (one word or CamelCase parts): the whole tag */
#define QT_TOK_CJK                                                                                 \
    0x10u /* a pair of Chinese, Japanese or Korean characters (or one alone):                      \
           * consecutive pairs overlap by a character */
#define QT_TOK_PART                                                                                \
    0x8u /* one CamelCase part of the hashtag before it; the first part                            \
          * shares the tag's position, the others follow in order */

typedef struct qt_token {
    size_t start, end; /* byte span [start, end) of the word in the input */
    uint32_t pos;      /* 1-based position of the word within this call */
    unsigned flags;    /* QT_TOK_* */
    const char *norm;  /* folded spelling, NUL-terminated (borrowed) */
    size_t norm_len;   /* bytes in norm */
    const char *stem;  /* Snowball stem of norm: the indexed term (borrowed) */
    size_t stem_len;   /* bytes in stem */
} qt_token_t;

/* Called for each token in order. The token and its strings are valid only
 * during the call. Return 0 to go on; anything else stops qt_tokenize(),
 * which returns that value. */
typedef int (*qt_token_fn)(void *ctx, const qt_token_t *tok);

typedef struct qt_pipeline qt_pipeline_t;

/* A pipeline holds the Snowball stemmer and scratch buffers; it is not
 * thread-safe, so use one per thread. Returns NULL when out of memory.
 * Caller owns the result and frees it with qt_pipeline_free(). */
qt_pipeline_t *qt_pipeline_new(void);

/* Frees a pipeline. Accepts NULL. */
void qt_pipeline_free(qt_pipeline_t *p);

/* From now on, words in Latin script are stemmed as words of the language
 * code (ISO 639-1: "fr", "de", "es", "tr" ...) when Snowball has a stemmer
 * for it (qt_lang_stems), else in English; NULL or "" is English, the
 * default. Other scripts are stemmed by script whatever the setting.
 * The indexer sets each article's language; the query builder reads a
 * query once per language the index holds. Returns 1 when code has a
 * stemmer of its own, 0 when English is used. */
int qt_pipeline_set_lang(qt_pipeline_t *p, const char *code);

/* 1 when Latin-script words of language code stem with their own Snowball
 * stemmer (not English's). */
int qt_lang_stems(const char *code);

/* Splits text[0..len) into tokens and calls fn for each. Returns 0 when all
 * tokens were delivered, fn's non-zero return value when it stopped early, or
 * -1 when out of memory. Never fails on malformed input. */
int qt_tokenize(qt_pipeline_t *p, const char *text, size_t len, qt_token_fn fn, void *ctx);

/* Folds one British spelling to its American form in place (defence ->
 * defense, organisation -> organization, colour -> color, centre -> center,
 * programme -> program ...), leaving listed exceptions (tour, premise,
 * promise ...) alone. word holds len bytes of a lower-case word in a buffer of
 * cap bytes; the result may grow by up to 2 bytes. Returns the new length,
 * which is len when nothing applies or it would not fit. */
size_t qt_spelling_us(char *word, size_t len, size_t cap);

/* Stopwords: English function words ("the", "of", "which", "was") that a
 * query need not search for when it has other words (stopwords.c).
 * Everything is still indexed.
 * 1 when the folded word norm[0..len) (a token's norm) is one. */
int qt_stopword(const char *norm, size_t len);
/* The number of stopwords, and the i-th (sorted; NULL past the end). */
size_t qt_stopword_count(void);
const char *qt_stopword_at(size_t i);
/* The same for language code ("ru", "fr", "de", "es", "it", "pt", "nl",
 * "ar"; NULL or "": English): 0 and NULL for a language without a list. */
int qt_stopword_in(const char *code, const char *norm, size_t len);
size_t qt_stopword_count_in(const char *code);
const char *qt_stopword_at_in(const char *code, size_t i);

/* 1 when the word (a stem, s[0..len)) is Chinese, Japanese or Korean: one
 * of the pairs QT_TOK_CJK makes, or a character alone. */
int qt_is_cjk_word(const char *s, size_t len);

/* --- UTF-8 helpers shared by the indexer and the printers --- */

/* Decodes one code point from s[0..len) (len > 0). Invalid or truncated
 * sequences decode as U+FFFD with *adv = 1. Always sets *adv >= 1. */
int32_t qt_utf8_decode(const char *s, size_t len, size_t *adv);

/* Returns the offset of the first byte that is not part of valid UTF-8
 * (overlongs, surrogates and code points past U+10FFFF count as invalid), or
 * len when the whole buffer is valid. */
size_t qt_utf8_check(const char *s, size_t len);

/* Writes code point cp as UTF-8 into out (4 bytes at most); a surrogate, 0
 * or anything past U+10FFFF is written as U+FFFD. Returns the bytes written. */
size_t qt_utf8_encode(uint32_t cp, char *out);

/* Writes s[0..len) to out with every invalid byte replaced by U+FFFD.
 * out must hold 3 * len bytes. Returns the number of bytes written. */
size_t qt_utf8_repair(const char *s, size_t len, char *out);

#endif
