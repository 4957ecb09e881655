/*
 * readings.c - a query's words read in the languages an index holds
 * (readings.h): one more pass of the text pipeline per language, the
 * stems that differ from the first reading's collected per word.
 */
#include "readings.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *const *primary;
    const size_t *starts;
    char **alts;
    size_t n, i;
    const char *lang; /* of this pass */
    int oom;
} pass_t;

/* Adds "lang:stem" to word i's alternatives unless stem is its first
 * reading's. */
static int add_alt(pass_t *a, size_t i, const char *stem, size_t len)
{
    if (strlen(a->primary[i]) == len && !memcmp(a->primary[i], stem, len)) return 0;
    const size_t old = a->alts[i] ? strlen(a->alts[i]) : 0, ll = strlen(a->lang);
    char *s = realloc(a->alts[i], old + ll + len + 3);
    if (!s) return a->oom = 1;
    char *at = s + old;
    if (old) *at++ = QS_ALT_SEP;
    memcpy(at, a->lang, ll);
    at[ll] = ':';
    memcpy(at + ll + 1, stem, len);
    at[ll + 1 + len] = '\0';
    a->alts[i] = s;
    return 0;
}

static int on_token(void *ctx, const qt_token_t *t)
{
    pass_t *a = ctx;
    if (t->flags & (QT_TOK_TOOLONG | QT_TOK_TAG)) return 0;
    while (a->i < a->n && a->starts[a->i] < t->start) a->i++;
    if (a->i == a->n || a->starts[a->i] != t->start) return 0; /* too long at first */
    return add_alt(a, a->i++, t->stem, t->stem_len);
}

int qs_readings(qt_pipeline_t *p, const char *text, size_t len, const char *const *langs,
                size_t nlangs, char *const *primary, const size_t *starts, size_t n, char **alts)
{
    pass_t a = {primary, starts, alts, n, 0, NULL, 0};
    for (size_t i = 0; i < n; i++) alts[i] = NULL;
    int rc = 0;
    for (size_t l = 0; l < nlangs && rc == 0; l++) {
        qt_pipeline_set_lang(p, langs[l]);
        a.i = 0;
        a.lang = langs[l];
        rc = qt_tokenize(p, text, len, on_token, &a) != 0 || a.oom ? -1 : 0;
    }
    qt_pipeline_set_lang(p, NULL);
    if (rc == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        free(alts[i]);
        alts[i] = NULL;
    }
    return -1;
}

int qs_reading_next(const char **at, qs_reading_t *r)
{
    if (!*at || !**at) return 0;
    const char *end = strchr(*at, QS_ALT_SEP);
    const size_t k = end ? (size_t)(end - *at) : strlen(*at);
    const char *colon = memchr(*at, ':', k);
    r->lang = *at;
    r->lang_len = colon ? (size_t)(colon - *at) : 0;
    r->stem = colon ? colon + 1 : *at;
    r->len = k - (size_t)(r->stem - *at);
    *at = end ? end + 1 : NULL;
    return 1;
}

int qs_alt_has(const char *words, const char *stem, size_t len)
{
    qs_reading_t r;
    for (const char *at = words; qs_reading_next(&at, &r);)
        if (r.len == len && !memcmp(r.stem, stem, len)) return 1;
    return 0;
}
