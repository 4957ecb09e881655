/*
 * test_neardup.c - near-identical passages (a repost with a word changed)
 * are shown once with the other listed as a copy; different paragraphs and
 * short lines that differ by a word stay apart.
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "indexer.h"
#include "layout.h"
#include "neardup.h"
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char index_dir[4096];

static void build(void)
{
    const char *dir = th_tmpdir();
    char docs[4096];
    snprintf(docs, sizeof docs, "%s/docs", dir);
    static const char a[] =
        "Channel\n\n"
        "The foreign ministers of Russia and China met in Guilin on Monday and agreed to "
        "coordinate their positions on the situation in the Middle East and on sanctions.\n\n"
        "Wang Yi said Beijing would remain committed to bringing all sides to a consensus on "
        "the nuclear talks with Iran and the other parties to the agreement.\n\n"
        "Zebra short line here today.\n";
    static const char b[] =
        "Repost\n\n"
        "🔥 The foreign ministers of Russia and China met in Guilin on Monday and agreed to "
        "coordinate their positions on the situation in the Middle East and also on sanctions.\n\n"
        "Zebra short line there today.\n";
    th_write(docs, "a.txt", a, sizeof a - 1);
    th_write(docs, "b.txt", b, sizeof b - 1);
    const char *index = th_index(docs);
    cr_assert_not_null(index);
    snprintf(index_dir, sizeof index_dir, "%s", index);
}

static void teardown(void)
{
    th_cleanup();
}

TestSuite(neardup, .init = build, .fini = teardown);

typedef struct {
    size_t n, copies[8];
} seen_t;

static int keep(void *ctx, const qs_hit_t *h)
{
    seen_t *s = ctx;
    if (s->n < 8) s->copies[s->n++] = h->ncopies;
    return 0;
}

static seen_t search(const char *query)
{
    qs_searcher_t *s = NULL;
    ql_err_t e = {0};
    cr_assert_eq(qs_open(index_dir, &s, &e), 0, "%s", e.msg);
    qs_options_t o;
    qs_options_default(&o);
    seen_t seen = {0};
    qs_result_t res;
    cr_assert_eq(qs_search(s, query, strlen(query), &o, keep, &seen, &res, &e), 0, "%s", e.msg);
    qs_close(s);
    return seen;
}

Test(neardup, a_repost_with_a_word_changed_is_one_hit_with_a_copy)
{
    seen_t s = search("Guilin coordinate positions");
    cr_expect_eq(s.n, 1, "one hit, not two");
    cr_expect_eq(s.copies[0], 1, "the other listed as a copy");
}

Test(neardup, different_paragraphs_and_short_lines_stay_apart)
{
    seen_t s = search("Wang Yi consensus");
    cr_expect_eq(s.n, 1);
    cr_expect_eq(s.copies[0], 0);
    s = search("zebra short line");
    cr_expect_eq(s.n, 2, "short lines differing by a word are not merged");
}

Test(neardup, signatures_agree_with_similarity)
{
    static const char *const w[] = {"the",        "foreign", "ministers", "of",     "russia",
                                    "and",        "china",   "met",       "in",     "guilin",
                                    "on",         "monday",  "and",       "agreed", "to",
                                    "coordinate", "their",   "positions", "on",     "sanctions"};
    const size_t n = sizeof w / sizeof *w;
    qi_minhash_t same, edited, reversed, again;
    qi_minhash_init(&same);
    qi_minhash_init(&edited);
    qi_minhash_init(&reversed);
    qi_minhash_init(&again);
    for (size_t i = 0; i < n; i++) {
        qi_minhash_add(&same, w[i], strlen(w[i]));
        qi_minhash_add(&again, w[i], strlen(w[i]));
        qi_minhash_add(&edited, i == 10 ? "late" : w[i], strlen(i == 10 ? "late" : w[i]));
        qi_minhash_add(&reversed, w[n - 1 - i], strlen(w[n - 1 - i]));
    }
    cr_expect_eq(qi_minhash_agree(&same, &again), QI_MINHASHES, "deterministic");
    cr_expect_geq(qi_minhash_agree(&same, &edited), 10, "one word changed: still alike");
    cr_expect_leq(qi_minhash_agree(&same, &reversed), 4, "same words, other pairs: different");
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The key a passage gets is the first earlier group found like it, band by
 * band: it must not depend on how large the table is (a replay reserves
 * room for every stored signature at once, a build grows as it goes), or an
 * update would group differently from a full build. 4,000 edited copies of
 * 150 texts, keyed by a table that grows and by one made large at once. */
Test(neardup, keys_do_not_depend_on_the_table_size)
{
    enum { TEXTS = 150, PASSAGES = 4000, WORDS = 40 };
    static char vocab[400][16];
    static unsigned base[TEXTS][WORDS];
    for (int i = 0; i < 400; i++) snprintf(vocab[i], sizeof vocab[i], "w%d", i);
    uint64_t s = 88172645463325252ULL;
    for (int t = 0; t < TEXTS; t++)
        for (int k = 0; k < WORDS; k++) base[t][k] = (unsigned)(next_rand(&s) % 400);
    qi_neardup_t *grown = qi_neardup_new(), *large = qi_neardup_new();
    cr_assert(grown && large);
    cr_assert_eq(qi_neardup_reserve(large, 100000), 0);
    size_t joined = 0;
    for (int p = 0; p < PASSAGES; p++) {
        const unsigned t = (unsigned)(next_rand(&s) % TEXTS), edits = (unsigned)(next_rand(&s) % 8);
        unsigned words[WORDS];
        memcpy(words, base[t], sizeof words);
        for (unsigned k = 0; k < edits; k++) words[next_rand(&s) % WORDS] = next_rand(&s) % 400;
        qi_minhash_t m;
        qi_minhash_init(&m);
        for (int k = 0; k < WORDS; k++)
            qi_minhash_add(&m, vocab[words[k]], strlen(vocab[words[k]]));
        uint64_t a = 0, b = 0;
        cr_assert_eq(qi_neardup_key(grown, &m, (uint64_t)p + 1, &a), 0);
        cr_assert_eq(qi_neardup_key(large, &m, (uint64_t)p + 1, &b), 0);
        cr_assert_eq(a, b, "passage %d", p);
        joined += a != (uint64_t)p + 1;
    }
    cr_expect_gt(joined, PASSAGES / 4, "many passages join a group (%zu)", joined);
    qi_neardup_free(grown);
    qi_neardup_free(large);
}

/* What qi_neardup_key's key is, by brute force over the passages kept
 * (those that joined no earlier one), in the order they were added: band by
 * band, the first sharing the band and near-identical. */
static uint64_t by_definition(uint32_t (*kept)[QI_MINHASHES], const uint64_t *keys, size_t n,
                              const uint32_t *mins, uint64_t own, int *joined)
{
    *joined = 1;
    for (int b = 0; b < QI_MINHASHES / 2; b++)
        for (size_t i = 0; i < n; i++)
            if (memcmp(kept[i] + 2 * b, mins + 2 * b, 2 * sizeof *mins) == 0 &&
                ql_sig_similar(kept[i], mins))
                return keys[i];
    *joined = 0;
    return own;
}

/* The table walks only the bands with the fewest passages; the key must be
 * the one the definition gives. Signatures whose values are mostly one of
 * two per position (so a few band values are shared by most passages, as a
 * common word pair makes them) and edited copies of earlier ones, some
 * still near-identical (up to four values changed), some not. */
Test(neardup, keys_follow_the_definition_when_band_values_are_common)
{
    enum { N = 3000 };
    static uint32_t kept[N][QI_MINHASHES];
    static uint64_t keys[N];
    static uint32_t all[N][QI_MINHASHES];
    size_t nkept = 0, joined = 0;
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    qi_neardup_t *nd = qi_neardup_new();
    cr_assert_not_null(nd);
    for (size_t p = 0; p < N; p++) {
        qi_minhash_t m = {{0}, 0, QI_NEARDUP_MIN_WORDS};
        if (p > 0 && next_rand(&s) % 10 < 4) { /* an edited copy */
            memcpy(m.mins, all[next_rand(&s) % p], sizeof m.mins);
            for (unsigned k = (unsigned)(next_rand(&s) % 7); k > 0; k--)
                m.mins[next_rand(&s) % QI_MINHASHES] = (uint32_t)next_rand(&s);
        } else {
            for (int k = 0; k < QI_MINHASHES; k++)
                m.mins[k] = next_rand(&s) % 10 < 7 ? (uint32_t)(k * 10 + next_rand(&s) % 2)
                                                   : (uint32_t)next_rand(&s);
        }
        memcpy(all[p], m.mins, sizeof m.mins);
        int was = 0;
        const uint64_t want = by_definition(kept, keys, nkept, m.mins, p + 1, &was);
        uint64_t got = 0;
        cr_assert_eq(qi_neardup_key(nd, &m, p + 1, &got), 0);
        cr_assert_eq(got, want, "passage %zu: key %llu, the definition's %llu", p,
                     (unsigned long long)got, (unsigned long long)want);
        if (was) {
            joined++;
            continue;
        }
        memcpy(kept[nkept], m.mins, sizeof m.mins);
        keys[nkept++] = p + 1;
    }
    qi_neardup_free(nd);
    cr_expect_gt(joined, N / 5, "many join a group (%zu)", joined);
    cr_expect_gt(nkept, N / 3, "many start one (%zu)", nkept);
}
