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

#endif
