/*
 * hash.c - hashing a whole file (hash.h), in 64 KB reads.
 */
#include "hash.h"

#include <errno.h>
#include <unistd.h>

uint64_t ql_fnv1a_fd(int fd, uint64_t *size, int *ok)
{
    uint64_t h = QL_FNV_OFFSET, n = 0;
    char buf[1 << 16];
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) != 0) {
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) break;
        h = ql_fnv1a(h, buf, (size_t)r);
        n += (uint64_t)r;
    }
    *ok = r == 0;
    *size = n;
    return h;
}
