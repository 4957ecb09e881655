/*
 * reader.h - input formats behind one interface.
 *
 * A reader turns the bytes of one file into articles and passages. It reports
 * each article (its title and, in later formats, date and source) and then the
 * passages that belong to it, each as a span of the file's bytes, so
 * citations always point into the original file whatever the format. Plain
 * text is the only reader today; HTML, Markdown and JSON Lines readers will
 * register here and extract text whose spans still map back to the file.
 */
#ifndef QUIRE_READER_H
#define QUIRE_READER_H

#include "split.h"

#include <stddef.h>

typedef struct qi_article {
    const char *title; /* borrowed, valid UTF-8 */
    size_t title_len;
} qi_article_t;

typedef struct qi_sink {
    /* Starts an article; the passages that follow belong to it. */
    int (*article)(void *ctx, const qi_article_t *a);
    /* One passage: sp is a span of the file; text is its text when the reader
     * extracted it (markup removed), or NULL for the span's own bytes. */
    int (*passage)(void *ctx, const qi_span_t *sp, const char *text, size_t text_len);
    void *ctx;
} qi_sink_t;

typedef struct qi_reader {
    const char *name;              /* "txt" */
    const char *const *extensions; /* lower-case, with the dot; NULL-terminated */
    /* Reads data[0..len) (any bytes; the caller has checked it is not binary).
     * Returns 0, a sink callback's non-zero value, or -1 when out of memory. */
    int (*read)(const char *data, size_t len, const qi_sink_t *sink);
} qi_reader_t;

/* The reader for path, chosen by extension; NULL when Quire does not read it. */
const qi_reader_t *qi_reader_for(const char *path);

/* Title of a plain-text article: its first non-empty line, trimmed and cut
 * to at most max bytes on a character boundary. Sets *len; returns a pointer
 * into data. */
const char *qi_first_line_title(const char *data, size_t len, size_t max, size_t *out_len);

#endif
