/*
 * hash.h - FNV-1a 64, the one hash Quire stores: passage and group keys,
 * the manifest's content fingerprints, the generation's file checksums.
 * Changing it changes what existing indexes mean (layout.h).
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

#endif
