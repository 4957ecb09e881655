/*
 * index.c - quire_index() and quire_verify() (quire.h): the public build
 * options to the indexer's, the caller's progress and warning callbacks
 * behind the indexer's (a progress answer of QUIRE_STOP cancels the run,
 * leaving the published index as it was), counts back into the public
 * struct, and an error line the caller owns.
 */
#include "api.h"

#include "charset.h"
#include "lang.h"
#include "generation.h"
#include "index.h"
#include "indexer.h"
#include "integrity.h"
#include "manifest.h"
#include "roots.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int quire_format_known(const char *name)
{
    return name && (!strcmp(name, "auto") || qi_reader_named(name) != NULL);
}

int quire_language_tag(const char *tag)
{
    char code[QI_LANG_MAX];
    return tag && !strchr(tag, '\n') && qi_lang_tag(tag, strlen(tag), code) == 0;
}

int quire_encoding_known(const char *name)
{
    if (!name || strchr(name, '\n') || !qi_charset_single_byte(name)) return 0;
    qi_recoded_t probe;
    if (qi_recode("", 0, name, &probe) != 0) return 0;
    qi_recoded_free(&probe);
    return 1;
}

static int bad_fields(const char *f)
{
    return f && (!*f || strchr(f, '\n') || strchr(f, '='));
}

/* Why o cannot be run, or NULL. */
static const char *invalid(const quire_index_opts_t *o)
{
    if (!o || !o->index_dir) return "no index directory (NULL)";
    if (o->npaths && !o->paths) return "no paths (NULL)";
    if ((unsigned)o->paths_mode > QUIRE_PATHS_REPLACE) return "unknown paths mode";
    for (size_t i = 0; i < o->npaths; i++)
        if (!o->paths[i]) return "a path to index is NULL";
    if (o->nshards > 65536 || (o->nshards && (o->shard < 1 || o->shard > o->nshards)))
        return "shard is 1 to nshards, nshards at most 65536";
    if (o->format && !quire_format_known(o->format)) return "unknown format";
    if (o->encoding && !quire_encoding_known(o->encoding)) return "unknown single-byte encoding";
    if (o->date_order && strcmp(o->date_order, "dmy") != 0 && strcmp(o->date_order, "mdy") != 0)
        return "a date order is dmy or mdy";
    if (o->language && !quire_language_tag(o->language))
        return "a language is a tag: en, ru, zh-Hans, fr-CA";
    if (o->nexcludes && !o->excludes) return "no excludes (NULL)";
    for (size_t i = 0; i < o->nexcludes; i++)
        if (!o->excludes[i] || !*o->excludes[i] || strpbrk(o->excludes[i], "\t\n"))
            return "an exclude is a glob with no tab or line break";
    if (bad_fields(o->title_fields) || bad_fields(o->text_fields) || bad_fields(o->date_fields) ||
        bad_fields(o->url_fields) || bad_fields(o->source_fields))
        return "a field list is names separated by ','";
    return NULL;
}

/* How o says files are read and walked, into *read (its strings o's or
 * in *excl); whether o sets any of it. */
static int reader_settings(const quire_index_opts_t *o, qi_read_cfg_t *read, ql_buf_t *excl)
{
    for (size_t i = 0; i < o->nexcludes; i++) {
        if (i) ql_buf_addc(excl, '\t');
        ql_buf_adds(excl, o->excludes[i]);
    }
    const int chosen = o->format && strcmp(o->format, "auto") != 0;
    *read =
        (qi_read_cfg_t){.format = chosen ? o->format : NULL,
                        .title_fields = o->title_fields,
                        .text_fields = o->text_fields,
                        .date_fields = o->date_fields,
                        .url_fields = o->url_fields,
                        .source_fields = o->source_fields,
                        .encoding = o->encoding,
                        .follow = o->follow_outside ? "outside" : NULL,
                        .date_order = o->date_order && !strcmp(o->date_order, "mdy") ? "mdy" : NULL,
                        .exclude = excl->len ? excl->data : NULL,
                        .ignore_files = o->no_ignore ? "no" : NULL,
                        .hidden = o->hidden ? "yes" : NULL,
                        .language = o->language};
    return o->format || o->title_fields || o->text_fields || o->date_fields || o->url_fields ||
           o->source_fields || o->encoding || o->follow_outside || o->date_order || o->nexcludes ||
           o->no_ignore || o->hidden || o->language;
}

quire_status_t quire_index(const quire_index_opts_t *o, quire_index_stats_t *st, char **error)
{
    if (error) *error = NULL;
    const char *why = invalid(o);
    if (why) return refuse(error, why);
    ql_buf_t excl = {0};
    qi_read_cfg_t read;
    const int read_set = reader_settings(o, &read, &excl);
    if (excl.oom) return refuse(error, "out of memory");
    const qi_slice_t slice = {o->shard, o->nshards};
    qi_run_paths_t run;
    ql_err_t e = {0};
    if (qi_roots_resolve(o->index_dir, o->paths, o->npaths, (qi_paths_mode_t)o->paths_mode, &read,
                         read_set, &slice, &run, &e) != 0) {
        qi_run_paths_free(&run);
        ql_buf_free(&excl);
        api_error_out(error, e.msg);
        return api_status(e.code);
    }
    relay_t r = {o};
    const qi_options_t io = {.index_dir = o->index_dir,
                             .paths = (const char *const *)run.paths,
                             .npaths = run.n,
                             .jobs = o->jobs,
                             .full = o->full,
                             .keep_previous = o->keep_previous,
                             .slice = run.slice,
                             .reads = run.reads,
                             .progress = o->progress ? relay_progress : NULL,
                             .progress_ctx = &r};
    qi_stats_t s;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const int rc = qi_build(&io, o->warning ? relay_warning : NULL, &r, &s, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    qi_run_paths_free(&run);
    ql_buf_free(&excl);
    if (rc != 0) {
        api_error_out(error, e.msg);
        return api_status(e.code);
    }
    if (st)
        *st = (quire_index_stats_t){.files = s.files,
                                    .passages = s.passages,
                                    .articles = s.articles,
                                    .undated = s.undated,
                                    .skipped = s.skipped,
                                    .binary = s.binary,
                                    .unreadable = s.unreadable,
                                    .too_large = s.too_large,
                                    .outside = s.outside,
                                    .unsupported = s.unsupported,
                                    .excluded = s.excluded,
                                    .encrypted = s.encrypted,
                                    .damaged = s.damaged,
                                    .no_text = s.no_text,
                                    .warnings = s.warnings,
                                    .bytes = s.bytes,
                                    .generation = s.generation,
                                    .incremental = s.incremental,
                                    .unchanged = s.unchanged,
                                    .changed = s.changed,
                                    .added = s.added,
                                    .removed = s.removed,
                                    .seconds = (double)(t1.tv_sec - t0.tv_sec) +
                                               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9};
    return QUIRE_OK;
}

quire_status_t quire_published(const char *index_dir, char **generation, char **error)
{
    if (error) *error = NULL;
    if (generation) *generation = NULL;
    if (!index_dir || !generation) return refuse(error, "no index directory or result (NULL)");
    ql_index_t idx;
    ql_err_t e = {0};
    if (ql_index_open(index_dir, &idx, &e) != 0) {
        api_error_out(error, e.msg);
        return api_status(e.code);
    }
    *generation = strdup(idx.path);
    ql_index_close(&idx);
    if (*generation) return QUIRE_OK;
    api_error_out(error, "out of memory");
    return QUIRE_NO_MEMORY;
}

quire_status_t quire_verify(const char *index_dir, char **generation, char **error)
{
    if (error) *error = NULL;
    if (generation) *generation = NULL;
    if (!index_dir) return refuse(error, "no index directory (NULL)");
    char gen[PATH_MAX + 64];
    ql_err_t e = {0};
    if (ql_gen_current(index_dir, gen, sizeof gen, &e) != 0 || ql_integrity_verify(gen, &e) != 0) {
        api_error_out(error, e.msg);
        return api_status(e.code);
    }
    if (generation && !(*generation = strdup(gen))) {
        api_error_out(error, "out of memory");
        return QUIRE_NO_MEMORY;
    }
    return QUIRE_OK;
}

quire_status_t quire_check(const char *index_dir, const char *const *paths, size_t npaths,
                           quire_check_t *out, char **error)
{
    if (error) *error = NULL;
    if (!index_dir || !out || (npaths && !paths))
        return refuse(error, "no index directory, paths or result (NULL)");
    for (size_t i = 0; i < npaths; i++)
        if (!paths[i]) return refuse(error, "a path to compare is NULL");
    qi_check_t r;
    ql_err_t e = {0};
    if (qi_check(index_dir, paths, npaths, &r, &e) != 0) {
        api_error_out(error, e.msg);
        return api_status(e.code);
    }
    *out = (quire_check_t){
        .same = r.same, .changed = r.changed, .added = r.added, .removed = r.removed};
    snprintf(out->first, sizeof out->first, "%s", r.first);
    return QUIRE_OK;
}
