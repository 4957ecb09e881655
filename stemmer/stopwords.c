/*
 * stopwords.c - the English function words a query need not search for.
 *
 * Every word is indexed, so phrases ("Group of Friends in Defense of the
 * Charter") and names with "of" in them keep working; this list only tells
 * the query builder which loose words of a question ("which countries signed
 * the letter") carry no topic. It holds articles, pronouns, auxiliaries, the
 * commonest prepositions and conjunctions and the question words, and leaves
 * out words that carry meaning in this kind of news: "against", "over",
 * "under", "may" (the month), "will" (political will), "us" (the country
 * typed in lower case). Entries are folded spellings (qt_tokenize's norm),
 * kept sorted for bsearch.
 */
#include "qt.h"

#include <stdlib.h>
#include <string.h>

static const char *const words[] = {
    "a",       "about",      "above",     "after",   "again",   "all",      "also",   "am",
    "an",      "and",        "any",       "are",     "as",      "at",       "be",     "because",
    "been",    "before",     "being",     "below",   "between", "both",     "but",    "by",
    "can",     "could",      "did",       "do",      "does",    "doing",    "during", "each",
    "few",     "for",        "from",      "had",     "has",     "have",     "having", "he",
    "her",     "here",       "hers",      "herself", "him",     "himself",  "his",    "how",
    "i",       "if",         "in",        "into",    "is",      "it",       "its",    "itself",
    "me",      "might",      "more",      "most",    "must",    "my",       "myself", "no",
    "nor",     "not",        "of",        "on",      "once",    "only",     "or",     "other",
    "our",     "ours",       "ourselves", "own",     "same",    "shall",    "she",    "should",
    "so",      "some",       "such",      "than",    "that",    "the",      "their",  "theirs",
    "them",    "themselves", "then",      "there",   "these",   "they",     "this",   "those",
    "through", "to",         "too",       "very",    "was",     "we",       "were",   "what",
    "when",    "where",      "which",     "while",   "who",     "whom",     "whose",  "why",
    "with",    "would",      "you",       "your",    "yours",   "yourself",
};

#define NWORDS (sizeof words / sizeof *words)

typedef struct {
    const char *s;
    size_t n;
} word_key_t;

static int cmp_key(const void *k, const void *e)
{
    const word_key_t *a = k;
    const char *b = *(const char *const *)e;
    const size_t bn = strlen(b);
    const int c = memcmp(a->s, b, a->n < bn ? a->n : bn);
    return c ? c : (a->n > bn) - (a->n < bn);
}

int qt_stopword(const char *norm, size_t len)
{
    const word_key_t k = {norm, len};
    return bsearch(&k, words, NWORDS, sizeof *words, cmp_key) != NULL;
}

size_t qt_stopword_count(void)
{
    return NWORDS;
}

const char *qt_stopword_at(size_t i)
{
    return i < NWORDS ? words[i] : NULL;
}
