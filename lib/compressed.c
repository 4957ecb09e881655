/*
 * compressed.c - decompressing a .gz (zlib) or .zst (libzstd) file's bytes
 * (compressed.h), member after member or frame after frame, into a buffer
 * that grows by doubling but never past the caller's bound or the ratio
 * bound: the output is checked before each growth, so a bomb stops at the
 * bound, not after it.
 */
#include "compressed.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#define ZLIB_CONST /* next_in points to const bytes */
#include <zlib.h>
#include <zstd.h>

int ql_name_has_ext(const char *path, size_t n, const char *ext)
{
    const size_t e = strlen(ext);
    return n > e && strncasecmp(path + n - e, ext, e) == 0;
}

ql_compressed_t ql_compressed_kind(const char *path)
{
    const size_t n = strlen(path);
    return ql_name_has_ext(path, n, ".gz")    ? QL_GZIP
           : ql_name_has_ext(path, n, ".zst") ? QL_ZSTD
                                              : QL_PLAIN;
}

size_t ql_compressed_inner_len(const char *path)
{
    const ql_compressed_t k = ql_compressed_kind(path);
    return strlen(path) - (k == QL_GZIP ? 3 : k == QL_ZSTD ? 4 : 0);
}

/* The output bound for len input bytes under max and the ratio. */
static size_t bound(size_t len, size_t max)
{
    const size_t ratio = len > SIZE_MAX / QL_DZ_MAX_RATIO ? SIZE_MAX : len * QL_DZ_MAX_RATIO;
    const size_t by_ratio = ratio < QL_DZ_RATIO_FROM ? QL_DZ_RATIO_FROM : ratio;
    return by_ratio < max ? by_ratio : max;
}

/* The output so far: grows within limit (+1, so going over is seen). */
typedef struct {
    char *data;
    size_t cap, used, limit;
} out_t;

/* Room for more output; 0, or a QL_DZ_ code. */
static int grow(out_t *o)
{
    if (o->cap >= o->limit + 1) return QL_DZ_TOO_LARGE;
    size_t want = o->cap < 65536 ? 65536 : o->cap * 2;
    if (want > o->limit + 1) want = o->limit + 1;
    char *p = realloc(o->data, want + 1); /* + 1: the terminator */
    if (!p) return QL_DZ_NOMEM;
    o->data = p;
    o->cap = want;
    return 0;
}

/* gzip members, one after another. */
static int gunzip(const char *data, size_t len, out_t *o, const char **why)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return QL_DZ_NOMEM;
    z.next_in = (const Bytef *)data;
    z.avail_in = (uInt)len;
    int rc = 0, zr = Z_OK;
    while (rc == 0) {
        if (o->used == o->cap && (rc = grow(o)) != 0) break;
        z.next_out = (Bytef *)o->data + o->used;
        z.avail_out = (uInt)(o->cap - o->used);
        zr = inflate(&z, Z_NO_FLUSH);
        o->used = o->cap - z.avail_out;
        if (o->used > o->limit)
            rc = QL_DZ_TOO_LARGE;
        else if (zr == Z_STREAM_END && z.avail_in == 0)
            break;
        else if (zr == Z_STREAM_END)
            rc = inflateReset(&z) == Z_OK ? 0 : QL_DZ_BAD; /* the next member */
        else if (zr == Z_MEM_ERROR)
            rc = QL_DZ_NOMEM;
        else if ((zr != Z_OK && zr != Z_BUF_ERROR) || (zr == Z_BUF_ERROR && z.avail_out > 0))
            rc = QL_DZ_BAD; /* damaged, or the input ran out */
    }
    *why = zr == Z_DATA_ERROR ? "not gzip data, or damaged" : "truncated gzip data";
    inflateEnd(&z);
    return rc;
}

/* zstd frames, one after another. */
static int unzstd(const char *data, size_t len, out_t *o, const char **why)
{
    ZSTD_DStream *z = ZSTD_createDStream();
    if (!z) return QL_DZ_NOMEM;
    ZSTD_inBuffer in = {data, len, 0};
    size_t zr = 1; /* 0 once a frame is whole */
    int rc = 0;
    *why = "truncated zstd data";
    while (rc == 0 && (in.pos < in.size || zr != 0)) {
        if (o->used == o->cap && (rc = grow(o)) != 0) break;
        ZSTD_outBuffer out = {o->data, o->cap, o->used};
        const size_t before = in.pos;
        zr = ZSTD_decompressStream(z, &out, &in);
        o->used = out.pos;
        if (ZSTD_isError(zr)) {
            *why = "not zstd data, or damaged";
            rc = QL_DZ_BAD;
        } else if (o->used > o->limit) {
            rc = QL_DZ_TOO_LARGE;
        } else if (zr != 0 && in.pos == in.size && in.pos == before && out.pos < out.size) {
            rc = QL_DZ_BAD; /* wants more input than there is */
        }
    }
    ZSTD_freeDStream(z);
    return rc;
}

int ql_decompress(ql_compressed_t kind, const char *data, size_t len, size_t max, char **out,
                  size_t *outlen, ql_err_t *e)
{
    *out = NULL;
    *outlen = 0;
    out_t o = {NULL, 0, 0, bound(len, max)};
    const char *why = "";
    int rc = len > UINT_MAX    ? QL_DZ_TOO_LARGE
             : kind == QL_GZIP ? gunzip(data, len, &o, &why)
             : kind == QL_ZSTD ? unzstd(data, len, &o, &why)
                               : QL_DZ_BAD;
    if (rc == 0 && !o.data) rc = grow(&o); /* an empty stream: still a buffer */
    if (rc != 0) {
        free(o.data);
        if (rc == QL_DZ_NOMEM)
            ql_errf(e, QL_E_NOMEM, "out of memory decompressing");
        else if (rc == QL_DZ_TOO_LARGE && o.limit < max)
            ql_errf(e, QL_E_IO,
                    "decompresses to over %d times its %zu bytes (a decompression bomb?)",
                    QL_DZ_MAX_RATIO, len);
        else if (rc == QL_DZ_TOO_LARGE)
            ql_errf(e, QL_E_IO, "too large once decompressed (over %zu MB)", max >> 20);
        else
            ql_errf(e, QL_E_IO, "%s", why);
        return rc;
    }
    o.data[o.used] = '\0';
    *out = o.data;
    *outlen = o.used;
    return 0;
}
