/*
 * textmap.h - extracted text that remembers where each byte came from.
 *
 * Readers that remove markup (HTML, Markdown, JSON) build each block's text
 * here piece by piece, giving for every piece the bytes of the file it
 * stands for: "&amp;" becomes "&" standing for five bytes, a JSON "\u00e9"
 * becomes "é" standing for six. qi_tm_emit() then cuts the block into
 * passages with the plain-text splitter (split.h) and reports each with the
 * exact byte span and lines of the file it came from, so citations slice
 * the original file whatever its format.
 */
#ifndef QUIRE_TEXTMAP_H
#define QUIRE_TEXTMAP_H

#include "buf.h"
#include "reader.h"

#include <stddef.h>
#include <stdint.h>

/* Line numbers of byte offsets in one file, for offsets asked in mostly
 * increasing order (a cursor that counts newlines from the last answer). */
typedef struct qi_lines {
    const char *data;
    size_t len;
    size_t off;    /* the cursor: bytes before it are counted */
    uint32_t line; /* 1-based line of off */
} qi_lines_t;

/* A cursor at the start of data[0..len) (borrowed). */
void qi_lines_init(qi_lines_t *l, const char *data, size_t len);

/* The 1-based line holding byte off. */
uint32_t qi_line_at(qi_lines_t *l, size_t off);

/* A stretch of the text that stands for one stretch of the file: byte for
 * byte (exact), or every byte for the whole of it (an entity, an escape).
 * Runs, not a file offset per byte: a 26 MB JSON string kept 416 MB of
 * offsets, its runs a few MB. */
typedef struct qi_tm_run {
    size_t at;                 /* its first byte in the text (it ends where the next starts) */
    size_t raw_start, raw_end; /* the file bytes it stands for */
    int exact;
} qi_tm_run_t;

typedef struct qi_textmap {
    ql_buf_t text;     /* the block's text */
    qi_tm_run_t *runs; /* where the text comes from, in text order */
    size_t nruns, capruns;
    size_t *src; /* qi_tm_emit's scratch: one passage's bytes' file offsets */
    size_t capsrc;
    int pending;    /* a collapsed space is due before the next text */
    size_t pend_at; /* ... standing for the byte there */
    int oom;
} qi_textmap_t;

/* An empty map needs no allocation: qi_textmap_t t = {0}. */
void qi_tm_free(qi_textmap_t *t);

/* Empties the block, keeping the memory. */
void qi_tm_reset(qi_textmap_t *t);

/* Appends s[0..n), which stands for the file's bytes [raw_start, raw_end):
 * byte for byte when the lengths agree, else every byte for the whole
 * range. A pending space goes first. */
void qi_tm_add(qi_textmap_t *t, const char *s, size_t n, size_t raw_start, size_t raw_end);

/* White space at raw: at most one space between words, none at the start. */
void qi_tm_space(qi_textmap_t *t, size_t raw);

/* A line break at raw (a list item, <br>): the splitter's line rules apply. */
void qi_tm_newline(qi_textmap_t *t, size_t raw);

/* Cuts the block into passages (split.h) and reports each to sink with its
 * span in the file (lines through l) and its text; then empties the block.
 * Returns 0, the sink's non-zero value, or -1 when out of memory. */
int qi_tm_emit(qi_textmap_t *t, qi_lines_t *l, const qi_sink_t *sink);

#endif
