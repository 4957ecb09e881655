/*
 * split.h - cutting plain text into passages with exact line and byte spans.
 *
 * A passage is a paragraph: lines separated by blank lines. A block of lines
 * in which any line but the last is longer than a hard-wrap width is written
 * one paragraph per line (channel exports, news dumps), so each line is a
 * passage; otherwise the block is a hard-wrapped paragraph and stays whole.
 * A paragraph of more than QI_MAX_WORDS words is cut at sentence ends into
 * windows of at most QI_MAX_WORDS words (a sentence longer than that is cut at
 * word boundaries), each citing its own span.
 */
#ifndef QUIRE_SPLIT_H
#define QUIRE_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#define QI_MAX_WORDS 150  /* words in one passage */
#define QI_WRAP_WIDTH 100 /* characters: longer lines are not hard-wrapped text */

typedef struct qi_span {
    size_t byte_start, byte_end;   /* [start, end) in the input; no edge whitespace */
    uint32_t line_start, line_end; /* 1-based, inclusive */
} qi_span_t;

/* Called for each passage in order; return non-zero to stop. */
typedef int (*qi_span_fn)(void *ctx, const qi_span_t *sp);

/* Splits data[0..len) into passages. Returns 0, fn's non-zero value if it
 * stopped early, or -1 when out of memory. */
int qi_split_text(const char *data, size_t len, qi_span_fn fn, void *ctx);

#endif
