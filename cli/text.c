/*
 * text.c - the CLI's growable output string. Room is made by doubling; the
 * contents stay NUL-terminated so a finished line can go to fputs, and the
 * first failed allocation is sticky (t->oom) so a caller checks once, before
 * writing.
 */
#include "text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qc_text_free(qc_text_t *t)
{
    free(t->data);
    memset(t, 0, sizeof *t);
}

void qc_text_reset(qc_text_t *t)
{
    t->len = 0;
    if (t->cap) t->data[0] = '\0';
}

/* Room for n more bytes and the terminator, or -1 (and t->oom). */
static int make_room(qc_text_t *t, size_t n)
{
    if (t->oom || n > SIZE_MAX / 2 - t->len) goto fail;
    if (t->len + n < t->cap) return 0;
    size_t want = t->cap < 128 ? 128 : t->cap;
    while (want <= t->len + n) want *= 2;
    char *grown = realloc(t->data, want);
    if (!grown) goto fail;
    t->data = grown;
    t->cap = want;
    return 0;
fail:
    t->oom = 1;
    return -1;
}

int qc_text_add(qc_text_t *t, const void *p, size_t n)
{
    if (make_room(t, n) != 0) return -1;
    if (n) memcpy(t->data + t->len, p, n);
    t->len += n;
    t->data[t->len] = '\0';
    return 0;
}

int qc_text_addc(qc_text_t *t, char c)
{
    return qc_text_add(t, &c, 1);
}

int qc_text_adds(qc_text_t *t, const char *s)
{
    return qc_text_add(t, s, strlen(s));
}

int qc_text_printf(qc_text_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0 || make_room(t, (size_t)need) != 0) return -1;
    va_start(ap, fmt);
    vsnprintf(t->data + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)need;
    return 0;
}
