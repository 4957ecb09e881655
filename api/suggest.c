/*
 * suggest.c - quire_suggest() (quire.h): completion of the word being
 * typed from the index's vocabulary, the searcher's qs_complete behind the
 * public callback.
 */
#include "api.h"

#define MAX_COMPLETIONS 1000u

typedef struct {
    quire_word_fn fn;
    void *ctx;
    int answer;
} relay_t;

static int relay(void *ctx, const char *word, size_t len, unsigned passages)
{
    relay_t *r = ctx;
    r->answer = r->fn(r->ctx, word, len, passages);
    return r->answer != QUIRE_CONTINUE;
}

quire_status_t quire_suggest(quire_db_t *db, const char *text, size_t len, unsigned max,
                             quire_word_fn fn, void *ctx)
{
    quire_status_t st = api_enter(db);
    if (st != QUIRE_OK) return st;
    if ((!text && len) || !fn)
        return api_failf(db, QUIRE_BAD_ARGUMENT, "no text or callback (NULL)");
    if (max > MAX_COMPLETIONS) return api_failf(db, QUIRE_BAD_ARGUMENT, "max is at most 1000");
    if (!db->s) return api_failf(db, QUIRE_BAD_ARGUMENT, "the index did not open");
    relay_t r = {fn, ctx, QUIRE_CONTINUE};
    ql_err_t e = {0};
    if (qs_searcher_complete(db->s, text ? text : "", len, max, relay, &r, &e) < 0)
        return api_fail(db, &e);
    if (r.answer == QUIRE_STOP) return api_failf(db, QUIRE_STOPPED, "the word callback stopped");
    if (r.answer != QUIRE_CONTINUE)
        return api_failf(db, QUIRE_CALLBACK_FAILED, "the word callback failed");
    return QUIRE_OK;
}
