/*
 * hash.h - the hashes Quire stores. FNV-1a 64: passage and group keys and
 * the manifest's content fingerprints; changing it changes what existing
 * indexes mean (layout.h). XXH64 (Yann Collet's published algorithm, the
 * value `xxhsum -H1` prints): the generation's file checksums, which read
 * every byte of the index on each publish, eight bytes at a time in four
 * independent lanes where FNV-1a takes one byte per multiply.
 */
#ifndef QUIRE_HASH_H
#define QUIRE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define QL_FNV_OFFSET 0xcbf29ce484222325ULL

/* Continues hash h over p[0..n); start with QL_FNV_OFFSET. */
static inline uint64_t ql_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* The hash of everything read from fd to its end; *size gets the byte
 * count, *ok is 0 when a read failed. */
uint64_t ql_fnv1a_fd(int fd, uint64_t *size, int *ok);

/* XXH64 with seed 0 of p[0..n). */
uint64_t ql_xxh64(const void *p, size_t n);

/* XXH64 with seed 0 of everything read from fd to its end; *size and *ok
 * as ql_fnv1a_fd's. */
uint64_t ql_xxh64_fd(int fd, uint64_t *size, int *ok);

#endif
