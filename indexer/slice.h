/*
 * slice.h - which files belong to one shard of a collection indexed on
 * several machines (`quire index --shard I/N`). A file belongs to slice
 * I of N when the FNV-1a 64 hash of its path relative to its root, mod N,
 * is I - 1: the assignment depends on nothing but that path, so N machines
 * (or N CI jobs) that each see the same tree agree on it without talking,
 * and a file keeps its shard as others come and go.
 */
#ifndef QUIRE_SLICE_H
#define QUIRE_SLICE_H

#include <stddef.h>

typedef struct qi_slice {
    unsigned i, n; /* slice i of n, 1 <= i <= n; n == 0: every file */
} qi_slice_t;

/* Parses "I/N" (1 <= I <= N <= 65536) into *out; returns -1 when malformed. */
int qi_slice_parse(const char *s, qi_slice_t *out);

/* Writes "I/N", or "" for every file, into out (cap >= 16). */
void qi_slice_format(const qi_slice_t *s, char *out, size_t cap);

/* Whether the file at relpath[0..len) (relative to its root) is in s. */
int qi_slice_has(const qi_slice_t *s, const char *relpath, size_t len);

#endif
