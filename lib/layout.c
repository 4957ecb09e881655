/*
 * layout.c - the codec of the on-disk layout (layout.h). Every term, key
 * and value Quire writes into an index is spelled by a function here and
 * read back by its pair, so the indexer, the updater, the searcher and the
 * CLI cannot disagree on a byte (an update once missed a long path's
 * passages: the builder cut the term, the updater did not).
 */
#include "layout.h"

#include "hash.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ql_term(ql_buf_t *t, const char *prefix, const char *s, size_t n)
{
    const size_t p = strlen(prefix);
    ql_buf_add(t, prefix, p);
    if (p + n <= QL_MAX_TERM_BYTES) {
        ql_buf_add(t, s, n);
        return;
    }
    char h[20];
    snprintf(h, sizeof h, "#%016llx", (unsigned long long)ql_fnv1a(QL_FNV_OFFSET, s, n));
    ql_buf_add(t, s, QL_MAX_TERM_BYTES - p - 17);
    ql_buf_add(t, h, 17);
}

void ql_term_path(ql_buf_t *t, uint32_t root, const char *relpath, size_t n)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%s%u:", QL_PREFIX_PATH, (unsigned)root);
    ql_term(t, prefix, relpath, n);
}

void ql_term_lang(ql_buf_t *t, const char *code, size_t n)
{
    ql_buf_adds(t, QL_PREFIX_LANG);
    for (size_t i = 0; i < n && i < 16; i++)
        ql_buf_addc(t, code[i] >= 'A' && code[i] <= 'Z' ? (char)(code[i] + 32) : code[i]);
}

void ql_term_group(char out[QL_GROUP_TERM_SIZE], uint64_t key)
{
    snprintf(out, QL_GROUP_TERM_SIZE, QL_PREFIX_DUP "%016llx", (unsigned long long)key);
}

static void put_be(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8) p[i] = (unsigned char)v;
}

static uint64_t get_be(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v = v << 8 | p[i];
    return v;
}

void ql_key_encode(uint64_t key, unsigned char out[8])
{
    put_be(out, key, 8);
}

int ql_key_decode(const char *v, size_t len, uint64_t *key)
{
    *key = len == 8 ? get_be((const unsigned char *)v, 8) : 0;
    return len == 8;
}

void ql_sig_encode(const ql_sig_t *s, unsigned char out[QL_SIG_BYTES])
{
    put_be(out, s->own, 8);
    for (size_t k = 0; k < QL_MINHASHES; k++) put_be(out + 8 + 4 * k, s->mins[k], 4);
}

int ql_sig_decode(const char *v, size_t len, ql_sig_t *s)
{
    if (len != QL_SIG_BYTES) return 0;
    const unsigned char *in = (const unsigned char *)v;
    s->own = get_be(in, 8);
    for (size_t k = 0; k < QL_MINHASHES; k++) s->mins[k] = (uint32_t)get_be(in + 8 + 4 * k, 4);
    return 1;
}

int ql_sig_agree(const uint32_t *a, const uint32_t *b)
{
    int n = 0;
    for (size_t k = 0; k < QL_MINHASHES; k++) n += a[k] == b[k];
    return n;
}

int ql_sig_similar(const uint32_t *a, const uint32_t *b)
{
    return ql_sig_agree(a, b) >= QL_SIG_AGREE;
}

/* ------------------------------------------------------------ skipped files */

static const char *const skip_names[QL_SKIP_KINDS] = {"binary",    "unreadable", "too-large",
                                                      "encrypted", "damaged",    "no-text"};

void ql_skipped_add(ql_buf_t *b, ql_skip_t why, uint32_t root, const char *relpath, size_t n)
{
    /* the path length-prefixed, as in the manifest: a name may hold any byte */
    ql_buf_printf(b, "%s\t%" PRIu32 "\t%zu:", skip_names[why], root, n);
    ql_buf_add(b, relpath, n);
    ql_buf_addc(b, '\n');
}

/* A decimal number at *s ended by sep, which *s is moved past. */
static int decimal(const char **s, char sep, unsigned long long max, unsigned long long *v)
{
    char *end = NULL;
    if (**s < '0' || **s > '9') return -1;
    errno = 0;
    *v = strtoull(*s, &end, 10);
    if (errno || *end != sep || *v > max) return -1;
    *s = end + 1;
    return 0;
}

int ql_skipped_next(const char **p, ql_skipped_t *r)
{
    const char *s = *p;
    if (!s || !*s) return 0;
    const char *tab = strchr(s, '\t');
    if (!tab) return -1;
    size_t k = 0;
    while (k < QL_SKIP_KINDS && (strlen(skip_names[k]) != (size_t)(tab - s) ||
                                 strncmp(skip_names[k], s, (size_t)(tab - s)) != 0))
        k++;
    unsigned long long root = 0, len = 0;
    s = tab + 1;
    if (k == QL_SKIP_KINDS || decimal(&s, '\t', UINT32_MAX, &root) ||
        decimal(&s, ':', SIZE_MAX - 1, &len) || strnlen(s, len + 1) < len + 1 || s[len] != '\n')
        return -1;
    *r = (ql_skipped_t){(ql_skip_t)k, (uint32_t)root, s, (size_t)len};
    *p = s + len + 1;
    return 1;
}

void ql_passed_format(ql_buf_t *b, const ql_passed_t *p)
{
    ql_buf_printf(b, "unsupported=%zu outside=%zu excluded=%zu", p->unsupported, p->outside,
                  p->excluded);
}

int ql_passed_parse(const char *s, ql_passed_t *p)
{
    memset(p, 0, sizeof *p);
    if (!s || !*s) return 0;
    const int n = sscanf(s, "unsupported=%zu outside=%zu excluded=%zu", &p->unsupported,
                         &p->outside, &p->excluded);
    return n >= 2 ? 0 : -1;
}

/* The order: fp (8 bytes, big-endian), the file count, then per file its
 * passage count and, when not 0, how far its first docid is from where the
 * previous span ended (zigzag): 0 for files written one after the other. */
void ql_order_encode(ql_buf_t *b, uint64_t fp, const ql_span_t *spans, size_t n)
{
    unsigned char head[8];
    put_be(head, fp, 8);
    ql_buf_add(b, (const char *)head, sizeof head);
    ql_buf_add_varint(b, n);
    uint64_t next = 1;
    for (size_t i = 0; i < n; i++) {
        ql_buf_add_varint(b, spans[i].count);
        if (!spans[i].count) continue;
        ql_buf_add_varint(b, ql_zigzag((int64_t)spans[i].first - (int64_t)next));
        next = (uint64_t)spans[i].first + spans[i].count;
    }
}

int ql_order_decode(const char *v, size_t len, uint64_t fp, ql_span_t *spans, size_t n)
{
    const unsigned char *p = (const unsigned char *)v, *end = p + len;
    uint64_t files = 0, next = 1;
    if (len < 8 || get_be(p, 8) != fp) return -1;
    p += 8;
    if (ql_varint_get(&p, end, &files) != 0 || files != n) return -1;
    for (size_t i = 0; i < n; i++) {
        uint64_t count = 0, z = 0;
        if (ql_varint_get(&p, end, &count) != 0 || count > UINT32_MAX) return -1;
        spans[i].count = (uint32_t)count;
        spans[i].first = 0;
        if (!count) continue;
        if (ql_varint_get(&p, end, &z) != 0) return -1;
        const int64_t first =
            (int64_t)next + ((z & 1) ? -(int64_t)((z + 1) >> 1) : (int64_t)(z >> 1));
        if (first < 1 || first + (int64_t)count - 1 > (int64_t)UINT32_MAX) return -1;
        spans[i].first = (uint32_t)first;
        next = (uint64_t)first + count;
    }
    return p == end ? 0 : -1;
}
