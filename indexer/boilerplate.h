/*
 * boilerplate.h - telling the paragraphs people write from the furniture
 * around them: lone hashtags, keyword-tag lines ("group, friends, defense,
 * letter, un"), photo credits ("ED JONES / AFP / Getty Images") and short
 * channel chrome ("Read in full", "Source"). Such passages stay searchable
 * but rank below every real paragraph that matches: the indexer marks them
 * in value slot QL_SLOT_PRIOR and the searcher sorts them last. A passage
 * that is its article's title alone (a heading, a post's banner line) is
 * marked too, more mildly: it ranks below the paragraphs that cover as much
 * of the query, and above them when the query matches titles only.
 */
#ifndef QUIRE_BOILERPLATE_H
#define QUIRE_BOILERPLATE_H

#include "layout.h"
#include "qt.h"

#include <stddef.h>

/* The marks: a percentage, leaving room for graded priors later. */
#define QI_PRIOR_TEXT 100
#define QI_PRIOR_HEADING QL_PRIOR_HEADING /* the title alone ("📰 Article by FM Sergey Lavrov") */
#define QI_PRIOR_BOILERPLATE 25

/* What the classifier needs from the passage's words, gathered while the
 * indexer tokenizes it anyway: call qi_boilerplate_count for every token. */
typedef struct qi_word_counts {
    size_t words, caps_words;
} qi_word_counts_t;

void qi_boilerplate_count(qi_word_counts_t *c, const qt_token_t *t);

/* Classifies the passage text[0..len) whose tokens were counted into c,
 * of the article titled title[0..title_len). */
unsigned qi_boilerplate_prior(const char *text, size_t len, const qi_word_counts_t *c,
                              const char *title, size_t title_len);

#endif
