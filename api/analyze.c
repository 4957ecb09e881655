/*
 * analyze.c - quire_analyze() (quire.h): the text pipeline's words as
 * public tokens, for `quire stem` and for programs that highlight or count
 * words as Quire does.
 */
#include "api.h"

#include "qt.h"

typedef struct {
    quire_token_fn fn;
    void *ctx;
    int answer;
} adapter_t;

static int on_token(void *ctx, const qt_token_t *t)
{
    adapter_t *a = ctx;
    const int toolong = (t->flags & QT_TOK_TOOLONG) != 0;
    const quire_token_t q = {.start = t->start,
                             .end = t->end,
                             .position = t->pos,
                             .folded = toolong ? NULL : t->norm,
                             .stem = toolong ? NULL : t->stem,
                             .upper = (t->flags & QT_TOK_UPPER) != 0,
                             .tag = (t->flags & QT_TOK_TAG) != 0,
                             .tag_part = (t->flags & QT_TOK_PART) != 0};
    a->answer = a->fn(a->ctx, &q);
    return a->answer != QUIRE_CONTINUE;
}

quire_status_t quire_analyze(const char *text, size_t len, quire_token_fn fn, void *ctx)
{
    return quire_analyze_lang(NULL, text, len, fn, ctx);
}

quire_status_t quire_analyze_lang(const char *lang, const char *text, size_t len, quire_token_fn fn,
                                  void *ctx)
{
    if ((!text && len) || !fn) return QUIRE_BAD_ARGUMENT;
    qt_pipeline_t *p = qt_pipeline_new();
    if (!p) return QUIRE_NO_MEMORY;
    qt_pipeline_set_lang(p, lang);
    adapter_t a = {fn, ctx, QUIRE_CONTINUE};
    qt_tokenize(p, text ? text : "", len, on_token, &a);
    qt_pipeline_free(p);
    return a.answer == QUIRE_CONTINUE ? QUIRE_OK : QUIRE_STOPPED;
}
