/*
 * hash.c - hashing a whole file (hash.h), in 64 KB reads, and XXH64.
 *
 * XXH64 follows its published specification (xxhash.com, "xxHash
 * fast digest algorithm", XXH64): 32-byte stripes into four accumulators,
 * then the tail in 8-, 4- and 1-byte steps, then the avalanche. Words are
 * read little-endian whatever the machine, so a checksum written on one
 * machine verifies on another.
 */
#include "hash.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

typedef struct {
    uint64_t v[4];
    uint64_t total;
    unsigned char tail[32]; /* bytes not yet a whole stripe */
    size_t ntail;
} xxh_t;

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* Written out so compilers make each one load (a loop they leave a loop). */
static inline uint64_t le32(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

static inline uint64_t le64(const unsigned char *p)
{
    return le32(p) | le32(p + 4) << 32;
}

static inline uint64_t xround(uint64_t acc, uint64_t lane)
{
    return rotl(acc + lane * P2, 31) * P1;
}

static uint64_t xmerge(uint64_t acc, uint64_t v)
{
    return (acc ^ xround(0, v)) * P1 + P4;
}

static void xxh_init(xxh_t *x)
{
    memset(x, 0, sizeof *x);
    x->v[0] = P1 + P2;
    x->v[1] = P2;
    x->v[2] = 0;
    x->v[3] = 0 - P1;
}

/* Whole stripes of p[0..n), n a multiple of 32. */
static void stripes(xxh_t *x, const unsigned char *p, size_t n)
{
    uint64_t a = x->v[0], b = x->v[1], c = x->v[2], d = x->v[3];
    for (size_t i = 0; i < n; i += 32) {
        a = xround(a, le64(p + i));
        b = xround(b, le64(p + i + 8));
        c = xround(c, le64(p + i + 16));
        d = xround(d, le64(p + i + 24));
    }
    x->v[0] = a, x->v[1] = b, x->v[2] = c, x->v[3] = d;
}

static void xxh_add(xxh_t *x, const unsigned char *p, size_t n)
{
    x->total += n;
    if (x->ntail) {
        const size_t take = n < 32 - x->ntail ? n : 32 - x->ntail;
        memcpy(x->tail + x->ntail, p, take);
        x->ntail += take, p += take, n -= take;
        if (x->ntail < 32) return;
        stripes(x, x->tail, 32);
        x->ntail = 0;
    }
    const size_t whole = n & ~(size_t)31;
    stripes(x, p, whole);
    memcpy(x->tail, p + whole, n - whole);
    x->ntail = n - whole;
}

static uint64_t xxh_end(const xxh_t *x)
{
    uint64_t h;
    if (x->total >= 32) {
        h = rotl(x->v[0], 1) + rotl(x->v[1], 7) + rotl(x->v[2], 12) + rotl(x->v[3], 18);
        for (int i = 0; i < 4; i++) h = xmerge(h, x->v[i]);
    } else {
        h = P5;
    }
    h += x->total;
    const unsigned char *p = x->tail, *end = x->tail + x->ntail;
    for (; p + 8 <= end; p += 8) h = rotl(h ^ xround(0, le64(p)), 27) * P1 + P4;
    if (p + 4 <= end) h = rotl(h ^ le32(p) * P1, 23) * P2 + P3, p += 4;
    for (; p < end; p++) h = rotl(h ^ *p * P5, 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    return h ^ (h >> 32);
}

uint64_t ql_xxh64(const void *p, size_t n)
{
    xxh_t x;
    xxh_init(&x);
    xxh_add(&x, p, n);
    return xxh_end(&x);
}

/* Hands everything read from fd to its end to eat, 64 KB at a time; 1 when
 * it read to the end, 0 when a read failed. */
static int read_all(int fd, void (*eat)(void *ctx, const unsigned char *p, size_t n), void *ctx)
{
    unsigned char buf[1 << 16];
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) != 0) {
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return 0;
        eat(ctx, buf, (size_t)r);
    }
    return 1;
}

typedef struct {
    uint64_t h, n;
} fnv_t;

static void eat_fnv(void *ctx, const unsigned char *p, size_t n)
{
    fnv_t *f = ctx;
    f->h = ql_fnv1a(f->h, p, n);
    f->n += n;
}

uint64_t ql_fnv1a_fd(int fd, uint64_t *size, int *ok)
{
    fnv_t f = {QL_FNV_OFFSET, 0};
    *ok = read_all(fd, eat_fnv, &f);
    *size = f.n;
    return f.h;
}

static void eat_xxh(void *ctx, const unsigned char *p, size_t n)
{
    xxh_add(ctx, p, n);
}

uint64_t ql_xxh64_fd(int fd, uint64_t *size, int *ok)
{
    xxh_t x;
    xxh_init(&x);
    *ok = read_all(fd, eat_xxh, &x);
    *size = x.total;
    return xxh_end(&x);
}
