/*
 * snippet.h - the few lines of a passage shown under a hit, with the words
 * that matched the query marked.
 *
 * The passage is tokenized by the same pipeline that indexed it and parsed
 * the query, so a word is highlighted exactly when it matched (Defence when
 * the query said Defense, Guaidó for Guaido). The window of about `width`
 * characters holding the most distinct matched words is chosen; runs of
 * white space (line breaks of hard-wrapped text) become single spaces, and
 * an ellipsis marks text cut off at either end.
 */
#ifndef QUIRE_SNIPPET_H
#define QUIRE_SNIPPET_H

#include "buf.h"
#include "query.h"
#include "qt.h"

#include <stddef.h>

typedef struct qs_span {
    size_t start, end; /* [start, end) bytes in the snippet text (title spans: in the title) */
    size_t at;         /* where the word starts in the passage text (or the title) */
} qs_span_t;

typedef struct qs_snippet {
    ql_buf_t text; /* valid UTF-8 when the passage is */
    qs_span_t *hl; /* highlighted words, in order; owned */
    size_t nhl, caphl;
    size_t body_hits;    /* matched words in the whole passage, not only the window */
    qs_span_t *title_hl; /* matched words of the article title, in order; owned */
    size_t ntitle_hl, captitle_hl;
} qs_snippet_t;

/* Builds the snippet of text[0..len) for a query's marks into out (reusing
 * its memory): the single words and prefixes are marked wherever they occur,
 * its phrases only where all their words occur in order. The title
 * (title[0..tlen)) is marked the same way into out->title_hl. Returns 0, or
 * -1 when out of memory. */
int qs_snippet_make(qt_pipeline_t *p, const char *text, size_t len, const char *title, size_t tlen,
                    const qs_marks_t *marks, size_t width, qs_snippet_t *out);

/* Frees what s owns. Accepts a zeroed s. */
void qs_snippet_free(qs_snippet_t *s);

#endif
