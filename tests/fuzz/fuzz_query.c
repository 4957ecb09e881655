/*
 * fuzz_query.c - libFuzzer target for the query compiler (qs_query_compile)
 * with the shipped aliases and a made-up vocabulary for prefixes (a prefix
 * of n bytes stands for 40 - 6n words, and for more than the limit when it
 * starts with "zz"). Any bytes must give either a query or a QL_E_QUERY
 * error whose message is one line of valid UTF-8; a structural error is
 * then read plainly, as the searcher does. Never a crash, a leak or another
 * error.
 */
#include "aliases.h"
#include "query.h"
#include "qt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fake_terms(void *ctx, const char *prefix, size_t len, size_t max, qs_termlist_t *out,
                      ql_err_t *e)
{
    (void)ctx;
    (void)e;
    const size_t n = len > 2 && prefix[1] == 'z' && prefix[2] == 'z' ? max + 1
                     : len < 7                                       ? 40 - 6 * len
                                                                     : 1;
    char t[300];
    for (size_t i = 0; i < n && len < 200; i++) {
        const int k = snprintf(t, sizeof t, "%.*s%05zu", (int)len, prefix, i);
        if (qs_termlist_add(out, t, (size_t)k)) return -1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static qt_pipeline_t *p;
    static qs_aliases_t aliases;
    static int ready;
    ql_err_t e = {0};
    if (!ready) {
        if (!(p = qt_pipeline_new())) abort();
        if (qs_aliases_parse(&aliases, p, qs_default_aliases, strlen(qs_default_aliases),
                             "built-in aliases", &e) != 0)
            abort();
        ready = 1;
    }
    qs_query_opts_t o = {.prox = 1.0,
                         .prox_max = 5,
                         .title = 0.3,
                         .aliases = &aliases,
                         .prox_apart = 1,
                         .prefix_terms = fake_terms};
    qs_query_t q;
    qs_perr_t kind = QS_PERR_NONE;
    for (int reading = 0; reading < 2; reading++) {
        o.reading = reading ? QS_PARSE_PLAIN : QS_PARSE_SYNTAX;
        if (qs_query_compile(p, (const char *)data, size, &o, &q, &kind, &e) == 0) {
            qs_query_free(&q);
            return 0;
        }
        if (e.code != QL_E_QUERY) abort();
        if (strchr(e.msg, '\n') || qt_utf8_check(e.msg, strlen(e.msg)) != strlen(e.msg)) abort();
        if (kind == QS_PERR_STRUCTURE && reading) abort(); /* the plain reading has no structure */
        if (kind != QS_PERR_STRUCTURE) break;
    }
    return 0;
}
