/*
 * buf.h - a growable byte buffer (pointer plus length), used to build stored
 * records, snippets and JSON without fixed limits.
 */
#ifndef QUIRE_BUF_H
#define QUIRE_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct ql_buf {
    char *data; /* owned; NUL-terminated when len < cap */
    size_t len;
    size_t cap;
    int oom; /* set once an append failed; later appends are no-ops */
} ql_buf_t;

/* An empty buffer needs no allocation: ql_buf_t b = {0}. */
void ql_buf_free(ql_buf_t *b);  /* frees data; b may be reused */
void ql_buf_reset(ql_buf_t *b); /* len = 0, keeps the memory */
int ql_buf_reserve(ql_buf_t *b, size_t extra);
int ql_buf_add(ql_buf_t *b, const void *p, size_t n); /* 0, or -1 on OOM */
int ql_buf_addc(ql_buf_t *b, char c);
int ql_buf_adds(ql_buf_t *b, const char *s);
int ql_buf_printf(ql_buf_t *b, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int ql_buf_add_varint(ql_buf_t *b, uint64_t v);

/* Reads the varint ql_buf_add_varint wrote at *p (before end) into *v and
 * moves *p past it: 0, or -1 when it is cut short or too long. */
int ql_varint_get(const unsigned char **p, const unsigned char *end, uint64_t *v);

/* A signed number as an unsigned one small when it is near 0 (0, -1, 1, -2
 * ... as 0, 1, 2, 3 ...), for a varint; and back. */
static inline uint64_t ql_zigzag(int64_t v)
{
    return v < 0 ? ((uint64_t)(-(v + 1)) << 1) | 1 : (uint64_t)v << 1;
}

static inline int64_t ql_unzigzag(uint64_t v)
{
    return v & 1 ? -(int64_t)(v >> 1) - 1 : (int64_t)(v >> 1);
}

#endif
