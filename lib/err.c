/*
 * err.c - filling in a ql_err_t.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int ql_errf(ql_err_t *e, enum ql_code code, const char *fmt, ...)
{
    if (!e) return -1;
    va_list ap;
    va_start(ap, fmt);
    e->code = code;
    e->cause = 0;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}
