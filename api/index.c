/*
 * index.c - quire_index() and quire_verify() (quire.h): the public build
 * options to the indexer's, the caller's progress and warning callbacks
 * behind the indexer's (a progress answer of QUIRE_STOP cancels the run,
 * leaving the published index as it was), counts back into the public
 * struct, and an error line the caller owns.
 */
#include "api.h"

#include "generation.h"
#include "indexer.h"
#include "integrity.h"

#include <limits.h>
#include <string.h>

typedef struct {
    const quire_index_opts_t *o;
} relay_t;

static int relay_progress(void *ctx, const qi_progress_t *p)
{
    const relay_t *r = ctx;
    const quire_progress_t q = {p->phase,      p->files_done,  p->files_total,
                                p->bytes_done, p->bytes_total, p->elapsed_s};
    return r->o->progress(r->o->ctx, &q) != QUIRE_CONTINUE;
}

static void relay_warning(void *ctx, const char *path, const char *msg)
{
    const relay_t *r = ctx;
    r->o->warning(r->o->ctx, path, msg);
}

static quire_status_t refuse(char **error, const char *msg)
{
    api_error_out(error, msg);
    return QUIRE_BAD_ARGUMENT;
}

quire_status_t quire_index(const quire_index_opts_t *o, quire_index_stats_t *st, char **error)
{
    if (error) *error = NULL;
    if (!o || !o->index_dir) return refuse(error, "no index directory (NULL)");
    if (!o->paths || o->npaths == 0) return refuse(error, "nothing to index (no paths)");
    for (size_t i = 0; i < o->npaths; i++)
        if (!o->paths[i]) return refuse(error, "a path to index is NULL");
    relay_t r = {o};
    const qi_options_t io = {.index_dir = o->index_dir,
                             .paths = o->paths,
                             .npaths = o->npaths,
                             .jobs = o->jobs,
                             .full = o->full,
                             .keep_previous = o->keep_previous,
                             .progress = o->progress ? relay_progress : NULL,
                             .progress_ctx = &r};
    qi_stats_t s;
    ql_err_t e = {0};
    if (qi_build(&io, o->warning ? relay_warning : NULL, &r, &s, &e) != 0) {
        api_error_out(error, e.msg);
        return api_status(e.code);
    }
    if (st)
        *st = (quire_index_stats_t){.files = s.files,
                                    .passages = s.passages,
                                    .articles = s.articles,
                                    .undated = s.undated,
                                    .skipped = s.skipped,
                                    .warnings = s.warnings,
                                    .bytes = s.bytes,
                                    .generation = s.generation,
                                    .incremental = s.incremental,
                                    .unchanged = s.unchanged,
                                    .changed = s.changed,
                                    .added = s.added,
                                    .removed = s.removed};
    return QUIRE_OK;
}

quire_status_t quire_verify(const char *index_dir, char **error)
{
    if (error) *error = NULL;
    if (!index_dir) return refuse(error, "no index directory (NULL)");
    char gen[PATH_MAX + 64];
    ql_err_t e = {0};
    if (ql_gen_current(index_dir, gen, sizeof gen, &e) != 0 || ql_integrity_verify(gen, &e) != 0) {
        api_error_out(error, e.msg);
        return api_status(e.code);
    }
    return QUIRE_OK;
}
