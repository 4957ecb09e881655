/*
 * fuzz_split.c - libFuzzer target for the passage splitter (qi_split_text).
 * Invariants on any input: passages come in order without overlap, each
 * span lies inside the input and has no whitespace at its edges, its line
 * numbers are the lines its bytes are on, and every non-whitespace byte of
 * the input belongs to some passage (no text lost).
 */
#include "split.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const char *d;
    size_t len, covered_to;
    unsigned char *covered;
} check_t;

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static uint32_t line_of(const char *d, size_t at)
{
    uint32_t line = 1;
    for (size_t i = 0; i < at; i++) line += d[i] == '\n';
    return line;
}

static int on_span(void *ctx, const qi_span_t *sp)
{
    check_t *c = ctx;
    if (sp->byte_start >= sp->byte_end || sp->byte_end > c->len) abort();
    if (sp->byte_start < c->covered_to) abort(); /* out of order or overlapping */
    if (is_ws((unsigned char)c->d[sp->byte_start]) || is_ws((unsigned char)c->d[sp->byte_end - 1]))
        abort();
    if (sp->line_start != line_of(c->d, sp->byte_start) ||
        sp->line_end != line_of(c->d, sp->byte_end - 1))
        abort();
    for (size_t i = sp->byte_start; i < sp->byte_end; i++) c->covered[i] = 1;
    c->covered_to = sp->byte_end;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_t c = {(const char *)data, size, 0, calloc(size + 1, 1)};
    if (!c.covered) return 0;
    if (qi_split_text((const char *)data, size, on_span, &c) != 0) abort();
    for (size_t i = 0; i < size; i++)
        if (!c.covered[i] && !is_ws(data[i])) abort(); /* text lost */
    free(c.covered);
    return 0;
}
