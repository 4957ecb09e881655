/*
 * printer.h - how `quire search` shows hits: a text printer for people (a
 * citation, the title, a wrapped snippet with matches highlighted, where the
 * copies are) and a JSON Lines printer for programs.
 */
#ifndef QUIRE_PRINTER_H
#define QUIRE_PRINTER_H

#include "text.h"
#include "quire.h"

#include <stdio.h>

typedef struct qc_printer {
    FILE *out;
    int color;           /* ANSI colour and bold */
    int width;           /* columns to wrap snippets at */
    int brief;           /* JSON: citations and scores only */
    unsigned first_rank; /* the rank of the first hit printed (--offset + 1) */
    qc_text_t buf;
} qc_printer_t;

/* Each returns 0, or -1 when writing failed (e.g. a closed pipe). */
int qc_print_text(qc_printer_t *pr, const quire_hit_t *hit);
int qc_print_json(qc_printer_t *pr, const quire_hit_t *hit);
/* path:line:column:text - the first matched word's place and the snippet,
 * on one line, for editors' quickfix lists (vim's grepformat %f:%l:%c:%m). */
int qc_print_vimgrep(qc_printer_t *pr, const quire_hit_t *hit);

/* Appends hit as one JSON object (no newline) to b; brief leaves out the
 * title, snippet, highlights and text. */
void qc_json_hit(qc_text_t *b, const quire_hit_t *hit, int brief);

/* Appends what a search said besides its hits, as JSON members (each
 * starting with ','): total, total_exact, estimated, and when there is
 * something to say missing, did_you_mean, ignored, warning, abstained. */
void qc_json_result(qc_text_t *b, const quire_result_t *res);

/* Appends an index's statistics as one JSON object and a newline (quire
 * stats --json, the HTTP API's /api/stats). */
void qc_json_stats(qc_text_t *b, const quire_stats_t *s);

/* "path:LINE" or "path:LINE-LINE" for a passage ("path:p12:5-9" in a
 * document's part: quire_cite_place), appended to out. */
void qc_citation(qc_text_t *out, const char *root, const char *path, size_t path_len,
                 unsigned part_kind, unsigned part, unsigned line_start, unsigned line_end);

#endif
