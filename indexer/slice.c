/*
 * slice.c - stable assignment of files to shards by path (slice.h).
 */
#include "slice.h"

#include "hash.h"

#include <stdio.h>
#include <stdlib.h>

int qi_slice_parse(const char *s, qi_slice_t *out)
{
    char *end = NULL;
    if (*s < '1' || *s > '9') return -1;
    const unsigned long i = strtoul(s, &end, 10);
    if (*end != '/' || end[1] < '1' || end[1] > '9') return -1;
    const unsigned long n = strtoul(end + 1, &end, 10);
    if (*end || i > n || n > 65536) return -1;
    out->i = (unsigned)i;
    out->n = (unsigned)n;
    return 0;
}

void qi_slice_format(const qi_slice_t *s, char *out, size_t cap)
{
    if (s->n == 0)
        snprintf(out, cap, "%s", "");
    else
        snprintf(out, cap, "%u/%u", s->i, s->n);
}

int qi_slice_has(const qi_slice_t *s, const char *relpath, size_t len)
{
    if (s->n <= 1) return 1;
    return ql_fnv1a(QL_FNV_OFFSET, relpath, len) % s->n == s->i - 1;
}
