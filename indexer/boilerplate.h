/*
 * boilerplate.h - telling the paragraphs people write from the furniture
 * around them: lone hashtags, keyword-tag lines ("group, friends, defense,
 * letter, un"), photo credits ("ED JONES / AFP / Getty Images") and short
 * channel chrome ("Read in full", "Source"). Such passages stay searchable
 * but rank below every real paragraph that matches: the indexer marks them
 * in value slot QL_SLOT_PRIOR and the searcher sorts them last.
 */
#ifndef QUIRE_BOILERPLATE_H
#define QUIRE_BOILERPLATE_H

#include "qt.h"

#include <stddef.h>

/* The marks: a percentage, leaving room for graded priors later. */
#define QI_PRIOR_TEXT 100
#define QI_PRIOR_BOILERPLATE 25

/* Classifies the passage text[0..len), tokenized by p. */
unsigned qi_boilerplate_prior(qt_pipeline_t *p, const char *text, size_t len);

#endif
