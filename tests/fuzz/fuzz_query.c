/*
 * fuzz_query.c - libFuzzer target for the query compiler (qs_query_parse)
 * with the shipped aliases. Any bytes must give either a query or a
 * QL_E_QUERY error whose message is one line of valid UTF-8; never a crash,
 * a leak or another error.
 */
#include "aliases.h"
#include "query.h"
#include "qt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    const qs_query_opts_t o = {
        .prox = 1.0, .prox_max = 5, .title = 0.3, .aliases = &aliases, .prox_apart = 1};
    qs_query_t q;
    if (qs_query_parse(p, (const char *)data, size, &o, &q, &e) == 0) {
        qs_query_free(&q);
        return 0;
    }
    if (e.code != QL_E_QUERY) abort();
    if (strchr(e.msg, '\n') || qt_utf8_check(e.msg, strlen(e.msg)) != strlen(e.msg)) abort();
    return 0;
}
