/*
 * neardup.c - MinHash signatures and the LSH index that finds
 * near-duplicates (neardup.h). Eight tables, one per band of two signature
 * values, map a band to the passages that have it; two passages with word
 * pair similarity 0.9 share some band with probability ~1, passages with
 * similarity 0.3 about half the time, and those candidates are then checked
 * on the whole signature. Tables are open-addressed arrays of passage
 * numbers, probed linearly and never deleted from, so the passages sharing
 * a band are met in the order they were added whatever the table's size:
 * the key found does not depend on how the table grew. A lookup walks only
 * the five of its eight bands with the fewest passages: two near-identical
 * signatures share at least four bands whole, so any five hold every
 * passage like it, and the common band values whose passages grow with the
 * corpus are passed over (find()).
 */
#include "neardup.h"

#include "layout.h"

#include "hash.h"

#include <stdlib.h>
#include <string.h>

#define BANDS 8
#define ROWS (QI_MINHASHES / BANDS)

typedef struct {
    uint32_t mins[QI_MINHASHES];
    uint64_t key;
} entry_t;

struct qi_neardup {
    entry_t *e;
    size_t n, cap;
    /* Per band: tag << ibits | (passage number + 1); 0 is empty. The tag,
     * bits of the band's hash the slot number does not use, turns away most
     * other bands met while probing without reading their passage. */
    uint32_t *slots[BANDS];
    size_t nslots; /* 2^ibits, at least twice n */
    unsigned ibits;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

void qi_minhash_init(qi_minhash_t *m)
{
    for (int k = 0; k < QI_MINHASHES; k++) m->mins[k] = UINT32_MAX;
    m->prev = 0;
    m->words = 0;
}

void qi_minhash_add(qi_minhash_t *m, const char *word, size_t len)
{
    const uint64_t h = ql_fnv1a(QL_FNV_OFFSET, word, len);
    if (m->words >= 1) {
        const uint64_t pair = mix(m->prev * 0x9e3779b97f4a7c15ULL + h);
        for (int k = 0; k < QI_MINHASHES; k++) {
            const uint32_t v = (uint32_t)mix(pair ^ (0x51ed27ULL * (uint64_t)(k + 1)));
            if (v < m->mins[k]) m->mins[k] = v;
        }
    }
    m->prev = h;
    m->words++;
}

int qi_minhash_agree(const qi_minhash_t *a, const qi_minhash_t *b)
{
    return ql_sig_agree(a->mins, b->mins);
}

qi_neardup_t *qi_neardup_new(void)
{
    return calloc(1, sizeof(qi_neardup_t));
}

void qi_neardup_free(qi_neardup_t *nd)
{
    if (!nd) return;
    for (int b = 0; b < BANDS; b++) free(nd->slots[b]);
    free(nd->e);
    free(nd);
}

static uint64_t band_hash(const uint32_t *mins, int b)
{
    uint64_t h = (uint64_t)b + 1;
    for (int r = 0; r < ROWS; r++) h = mix(h * 31 + mins[(size_t)b * ROWS + (size_t)r]);
    return h;
}

static uint32_t tag_of(const qi_neardup_t *nd, uint64_t h)
{
    return nd->ibits >= 32 ? 0 : (uint32_t)(h >> 32) >> nd->ibits << nd->ibits;
}

static int same_band(const uint32_t *a, const uint32_t *b, int band)
{
    return memcmp(a + (size_t)band * ROWS, b + (size_t)band * ROWS, ROWS * sizeof *a) == 0;
}

static void insert(qi_neardup_t *nd, size_t idx)
{
    for (int b = 0; b < BANDS; b++) {
        const uint64_t h = band_hash(nd->e[idx].mins, b);
        size_t at = h & (nd->nslots - 1);
        while (nd->slots[b][at]) at = (at + 1) & (nd->nslots - 1);
        nd->slots[b][at] = tag_of(nd, h) | (uint32_t)(idx + 1);
    }
}

/* Room for n passages: slots at least twice n, entries for n. */
static int grow(qi_neardup_t *nd, size_t n)
{
    size_t slots = nd->nslots ? nd->nslots : 1024;
    unsigned bits = nd->nslots ? nd->ibits : 10;
    while (slots < 2 * n) slots *= 2, bits++;
    if (n > nd->cap) {
        entry_t *e = realloc(nd->e, n * sizeof *e);
        if (!e) return -1;
        nd->e = e;
        nd->cap = n;
    }
    if (slots == nd->nslots) return 0;
    for (int b = 0; b < BANDS; b++) {
        free(nd->slots[b]);
        if (!(nd->slots[b] = calloc(slots, sizeof(uint32_t)))) return -1;
    }
    nd->nslots = slots;
    nd->ibits = bits;
    for (size_t i = 0; i < nd->n; i++) insert(nd, i);
    return 0;
}

int qi_neardup_reserve(qi_neardup_t *nd, size_t n)
{
    return n > nd->cap ? grow(nd, n) : 0;
}

/* Two near-identical signatures differ in at most this many values, which
 * break at most as many bands: they share each of the others whole. Any
 * SCAN of a passage's bands therefore hold every passage like it. */
#define BROKEN (QI_MINHASHES - QL_SIG_AGREE)
#define SCAN (BROKEN + 1)
#define COUNT_CAP 64 /* a band's passages counted up to this: enough to rank */
_Static_assert(SCAN <= BANDS && BANDS * ROWS == QI_MINHASHES, "bands cover the signature");

/* The passages of band b's run from hash h whose tag is h's: those that may
 * share the band (a few with another band whose hash has the same bits
 * too), counted up to COUNT_CAP. */
static size_t tagged(const qi_neardup_t *nd, int b, uint64_t h, uint32_t idx_mask)
{
    const uint32_t tag = tag_of(nd, h);
    size_t n = 0;
    for (size_t at = h & (nd->nslots - 1); nd->slots[b][at] && n < COUNT_CAP;
         at = (at + 1) & (nd->nslots - 1))
        n += (nd->slots[b][at] & ~idx_mask) == tag;
    return n;
}

/* The first band a and b share whole; BANDS when none. */
static int first_shared(const uint32_t *a, const uint32_t *b)
{
    int band = 0;
    while (band < BANDS && !same_band(a, b, band)) band++;
    return band;
}

/* The key of the passage qi_neardup_key's definition picks: band by band,
 * each band's passages in the order they were added, the first sharing the
 * band with mins and near-identical on the whole signature; 0 when none
 * (*key untouched). h[] gets the band hashes. Walking the bands in that
 * order meets every passage of a band value many passages share (a common
 * word pair at the minimum of both its hashes: their number grows with the
 * corpus); so only the SCAN bands with the fewest passages are walked, which
 * hold every near-identical one, and of those found the one met first in
 * that order is kept: the lowest band it shares, then the earliest added. */
static int find(const qi_neardup_t *nd, const uint32_t *mins, uint64_t h[BANDS], uint64_t *key)
{
    for (int b = 0; b < BANDS; b++) { /* the eight slots are fetched at once */
        h[b] = band_hash(mins, b);
        if (nd->nslots) __builtin_prefetch(&nd->slots[b][h[b] & (nd->nslots - 1)]);
    }
    if (!nd->nslots) return 0;
    const uint32_t idx_mask = nd->ibits >= 32 ? UINT32_MAX : (1u << nd->ibits) - 1;
    size_t len[BANDS];
    int order[BANDS] = {0};
    for (int b = 0; b < BANDS; b++) { /* the bands by their passages, fewest first */
        len[b] = tagged(nd, b, h[b], idx_mask);
        int k = b;
        for (; k > 0 && len[order[k - 1]] > len[b]; k--) order[k] = order[k - 1];
        order[k] = b;
    }
    int best_band = BANDS;
    size_t best = SIZE_MAX;
    for (int k = 0; k < SCAN; k++) {
        const int b = order[k];
        const uint32_t tag = tag_of(nd, h[b]);
        for (size_t at = h[b] & (nd->nslots - 1); nd->slots[b][at];
             at = (at + 1) & (nd->nslots - 1)) {
            const uint32_t slot = nd->slots[b][at];
            if ((slot & ~idx_mask) != tag) continue;
            const size_t i = (slot & idx_mask) - 1;
            const entry_t *c = &nd->e[i];
            if (!same_band(c->mins, mins, b)) continue;
            const int first = first_shared(c->mins, mins);
            if ((first < best_band || (first == best_band && i < best)) &&
                ql_sig_similar(c->mins, mins))
                best_band = first, best = i;
        }
    }
    if (best_band == BANDS) return 0;
    *key = nd->e[best].key;
    return 1;
}

int qi_neardup_add(qi_neardup_t *nd, const uint32_t mins[QI_MINHASHES], uint64_t key)
{
    if (nd->n == nd->cap && grow(nd, nd->cap ? nd->cap * 2 : 512) != 0) return -1;
    entry_t *e = &nd->e[nd->n++];
    memcpy(e->mins, mins, sizeof e->mins);
    e->key = key;
    insert(nd, nd->n - 1);
    return 0;
}

int qi_neardup_key(qi_neardup_t *nd, const qi_minhash_t *m, uint64_t own, uint64_t *key)
{
    *key = own;
    if (m->words < QI_NEARDUP_MIN_WORDS) return 0;
    uint64_t h[BANDS];
    return find(nd, m->mins, h, key) ? 0 : qi_neardup_add(nd, m->mins, own);
}

int qi_neardup_joins(const qi_neardup_t *nd, const uint32_t mins[QI_MINHASHES])
{
    uint64_t h[BANDS], key = 0;
    return find(nd, mins, h, &key);
}
