/*
 * fold.h - internal: turning one word's code points into its folded form.
 * Shared by the tokenizer only; not part of the pipeline's public API.
 */
#ifndef QUIRE_FOLD_H
#define QUIRE_FOLD_H

#include <stddef.h>
#include <stdint.h>

/* Folds cps[0..n) (one word, ignorables already dropped) to NFKC, case-folded,
 * mark-stripped, lumped UTF-8 in out (cap bytes, NUL-terminated). scratch is
 * a caller-owned buffer of scratch_cap code points for utf8proc's work.
 * Returns the folded length, or (size_t)-1 when the result would not fit in
 * cap (the word is too long to be a term). */
size_t qt_fold_word(const int32_t *cps, size_t n, char *out, size_t cap, int32_t *scratch,
                    size_t scratch_cap);

#endif
