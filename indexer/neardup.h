/*
 * neardup.h - finding near-identical passages while indexing: the same post
 * re-translated or re-forwarded with a word changed. Each passage gets a
 * MinHash signature of its word pairs; a passage whose signature agrees with
 * an earlier one's on at least 12 of 16 values (estimated Jaccard similarity
 * of their word pairs >= 0.75) joins that one's group, whose key becomes its
 * collapse key and H term, so search shows the group once and lists the
 * others as copies.
 */
#ifndef QUIRE_NEARDUP_H
#define QUIRE_NEARDUP_H

#include <stddef.h>
#include <stdint.h>

/* Passages shorter than this many words are grouped only when identical:
 * a few word pairs are too few to estimate similarity from. */
#define QI_NEARDUP_MIN_WORDS 25
#define QI_MINHASHES 16 /* = QL_MINHASHES: the stored signature (layout.h) */

/* Signature of one passage's word pairs, built word by word. */
typedef struct qi_minhash {
    uint32_t mins[QI_MINHASHES];
    uint64_t prev; /* hash of the previous word */
    size_t words;
} qi_minhash_t;

void qi_minhash_init(qi_minhash_t *m);
void qi_minhash_add(qi_minhash_t *m, const char *word, size_t len);
/* How many of the signatures' values agree (0..QI_MINHASHES). */
int qi_minhash_agree(const qi_minhash_t *a, const qi_minhash_t *b);

/* The stored form of a signature is layout.h's ql_sig_t (QL_SLOT_SIG); a
 * stored one read back counts as long enough for grouping. */

typedef struct qi_neardup qi_neardup_t;

/* NULL when out of memory. Caller frees with qi_neardup_free(). */
qi_neardup_t *qi_neardup_new(void);
void qi_neardup_free(qi_neardup_t *nd);

/* Makes room for n passages at once (a replay that knows how many it
 * holds grows the table once). Returns 0, or -1 when out of memory. */
int qi_neardup_reserve(qi_neardup_t *nd, size_t n);

/* The group key for a passage with signature m whose exact-text key is own:
 * the key of an earlier near-identical passage, else own (and the passage is
 * remembered). Returns 0, or -1 when out of memory. */
int qi_neardup_key(qi_neardup_t *nd, const qi_minhash_t *m, uint64_t own, uint64_t *key);

/* Remembers a passage with signature mins under key, whether or not it is
 * like one already there. Returns 0, or -1 when out of memory. */
int qi_neardup_add(qi_neardup_t *nd, const uint32_t mins[QI_MINHASHES], uint64_t key);

/* Whether a passage with signature mins (long enough to group) shares a
 * band with a passage of nd and is near-identical to it: whether
 * qi_neardup_key would give it that one's key. nd is not changed. */
int qi_neardup_joins(const qi_neardup_t *nd, const uint32_t mins[QI_MINHASHES]);

#endif
