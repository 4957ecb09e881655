/*
 * gunzip.c - inflating a .gz file's bytes with zlib (gunzip.h), one member
 * after another, into a buffer that grows by doubling but never past the
 * caller's bound or the ratio bound: the output is checked before each
 * growth, so a bomb stops at the bound, not after it.
 */
#include "gunzip.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#define ZLIB_CONST /* next_in points to const bytes */
#include <zlib.h>

int ql_gz_named(const char *path)
{
    const size_t n = strlen(path);
    return n > 3 && strcasecmp(path + n - 3, ".gz") == 0;
}

size_t ql_gz_inner_len(const char *path)
{
    const size_t n = strlen(path);
    return ql_gz_named(path) ? n - 3 : n;
}

/* The output bound for len input bytes under max and the ratio. */
static size_t bound(size_t len, size_t max)
{
    const size_t ratio = len > SIZE_MAX / QL_GZ_MAX_RATIO ? SIZE_MAX : len * QL_GZ_MAX_RATIO;
    const size_t by_ratio = ratio < QL_GZ_RATIO_FROM ? QL_GZ_RATIO_FROM : ratio;
    return by_ratio < max ? by_ratio : max;
}

/* Room for more output in *out, within limit; 0, or a QL_GZ_ code. */
static int grow(char **out, size_t *cap, size_t limit)
{
    if (*cap >= limit + 1) return QL_GZ_TOO_LARGE;
    size_t want = *cap < 65536 ? 65536 : *cap * 2;
    if (want > limit + 1) want = limit + 1; /* one byte past: so going over is seen */
    char *p = realloc(*out, want);
    if (!p) return QL_GZ_NOMEM;
    *out = p;
    *cap = want;
    return 0;
}

static int fail(int rc, size_t len, size_t max, size_t limit, ql_err_t *e)
{
    if (rc == QL_GZ_NOMEM) return ql_errf(e, QL_E_NOMEM, "out of memory decompressing"), rc;
    if (rc == QL_GZ_TOO_LARGE && limit < max)
        ql_errf(e, QL_E_IO, "decompresses to over %d times its %zu bytes (a decompression bomb?)",
                QL_GZ_MAX_RATIO, len);
    else if (rc == QL_GZ_TOO_LARGE)
        ql_errf(e, QL_E_IO, "too large once decompressed (over %zu MB)", max >> 20);
    return rc;
}

int ql_gunzip(const char *data, size_t len, size_t max, char **out, size_t *outlen, ql_err_t *e)
{
    *out = NULL;
    *outlen = 0;
    const size_t limit = bound(len, max);
    if (len > UINT_MAX) return fail(QL_GZ_TOO_LARGE, len, max, max, e);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return fail(QL_GZ_NOMEM, len, max, limit, e);
    char *buf = NULL;
    size_t cap = 0, used = 0;
    int rc = 0, zr = Z_OK;
    z.next_in = (const Bytef *)data;
    z.avail_in = (uInt)len;
    while (rc == 0) {
        if (used == cap && (rc = grow(&buf, &cap, limit)) != 0) break;
        z.next_out = (Bytef *)buf + used;
        z.avail_out = (uInt)(cap - used);
        zr = inflate(&z, Z_NO_FLUSH);
        used = cap - z.avail_out;
        if (used > limit)
            rc = QL_GZ_TOO_LARGE;
        else if (zr == Z_STREAM_END && z.avail_in == 0)
            break;
        else if (zr == Z_STREAM_END)
            rc = inflateReset(&z) == Z_OK ? 0 : QL_GZ_BAD; /* next member */
        else if (zr == Z_MEM_ERROR)
            rc = QL_GZ_NOMEM;
        else if ((zr != Z_OK && zr != Z_BUF_ERROR) || (zr == Z_BUF_ERROR && z.avail_out > 0))
            rc = QL_GZ_BAD; /* damaged, or the input ran out */
    }
    const char *why = zr == Z_DATA_ERROR ? "not gzip data, or damaged" : "truncated gzip data";
    inflateEnd(&z);
    if (rc == QL_GZ_BAD) ql_errf(e, QL_E_IO, "%s", why);
    if (rc != 0) {
        free(buf);
        return fail(rc, len, max, limit, e);
    }
    if (used == cap && grow(&buf, &cap, limit + 1) != 0) { /* the terminator */
        free(buf);
        return fail(QL_GZ_NOMEM, len, max, limit, e);
    }
    buf[used] = '\0';
    *out = buf;
    *outlen = used;
    return 0;
}
