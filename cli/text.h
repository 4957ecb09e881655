/*
 * text.h - the command line's output text: a growable string that printers
 * and subcommands build a line or a record in before writing it. The CLI's
 * own, so that it includes no header of the core but quire.h.
 */
#ifndef QUIRE_CLI_TEXT_H
#define QUIRE_CLI_TEXT_H

#include <stddef.h>

typedef struct qc_text {
    char *data; /* owned; NUL-terminated once anything was added */
    size_t len;
    size_t cap;
    int oom; /* set once an append failed; later appends are no-ops */
} qc_text_t;

/* An empty text needs no allocation: qc_text_t t = {0}. */
void qc_text_free(qc_text_t *t);                        /* frees data; t may be reused */
void qc_text_reset(qc_text_t *t);                       /* len = 0, keeps the memory */
int qc_text_add(qc_text_t *t, const void *p, size_t n); /* 0, or -1 on OOM */
int qc_text_addc(qc_text_t *t, char c);
int qc_text_adds(qc_text_t *t, const char *s);
int qc_text_printf(qc_text_t *t, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
