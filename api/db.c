/*
 * db.c - libquire's handles and statuses (quire.h): the version, status
 * names, opening and closing a database handle, its error text, aliases
 * and statistics. Live handles are kept in a registry, so a call on a
 * closed handle is refused by looking its address up, never by reading
 * freed memory; each handle remembers the thread that opened it.
 */
#include "api.h"

#include "date.h"
#include "layout.h"
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static quire_db_t **live;
static size_t nlive, caplive;

int api_register(quire_db_t *db)
{
    int rc = 0;
    pthread_mutex_lock(&live_lock);
    if (nlive == caplive) {
        const size_t cap = caplive ? caplive * 2 : 16;
        quire_db_t **p = realloc(live, cap * sizeof *p);
        if (p) {
            live = p;
            caplive = cap;
        }
    }
    if (nlive < caplive)
        live[nlive++] = db;
    else
        rc = -1;
    pthread_mutex_unlock(&live_lock);
    return rc;
}

/* 0 when db was live (and is no longer), -1 when it was not. */
int api_unregister(quire_db_t *db)
{
    int rc = -1;
    pthread_mutex_lock(&live_lock);
    for (size_t i = 0; i < nlive; i++) {
        if (live[i] == db) {
            live[i] = live[--nlive];
            rc = 0;
            break;
        }
    }
    pthread_mutex_unlock(&live_lock);
    return rc;
}

static int is_live(const quire_db_t *db)
{
    int found = 0;
    pthread_mutex_lock(&live_lock);
    for (size_t i = 0; i < nlive && !found; i++) found = live[i] == db;
    pthread_mutex_unlock(&live_lock);
    return found;
}

const char *quire_version(void)
{
    return QUIRE_VERSION_STRING;
}

int quire_format_version(void)
{
    return QL_FORMAT_VERSION;
}

const char *quire_status_to_string(quire_status_t status)
{
    static const char *const names[] = {
        "success",
        "bad argument",
        "handle used from another thread",
        "out of memory",
        "input/output error",
        "no index",
        "the index is damaged",
        "the index has another format version",
        "the index is locked by another writer",
        "the query does not parse",
        "a remote shard failed",
        "stopped",
        "a callback failed",
        "internal error",
    };
    const unsigned i = (unsigned)status;
    return i < sizeof names / sizeof *names ? names[i] : "unknown status";
}

quire_status_t api_status(enum ql_code code)
{
    switch (code) {
    case QL_OK:
        return QUIRE_OK;
    case QL_E_IO:
        return QUIRE_IO;
    case QL_E_NOMEM:
        return QUIRE_NO_MEMORY;
    case QL_E_NOINDEX:
        return QUIRE_NO_INDEX;
    case QL_E_CORRUPT:
        return QUIRE_CORRUPT;
    case QL_E_VERSION:
        return QUIRE_FORMAT;
    case QL_E_LOCKED:
        return QUIRE_LOCKED;
    case QL_E_QUERY:
        return QUIRE_BAD_QUERY;
    case QL_E_NETWORK:
        return QUIRE_NETWORK;
    case QL_E_USAGE:
        return QUIRE_BAD_ARGUMENT;
    case QL_E_STOPPED:
        return QUIRE_STOPPED;
    case QL_E_INTERNAL:
        break;
    }
    return QUIRE_INTERNAL;
}

quire_status_t api_enter(quire_db_t *db)
{
    if (!db || !is_live(db)) return QUIRE_BAD_ARGUMENT;
    if (!pthread_equal(db->owner, pthread_self())) return QUIRE_WRONG_THREAD;
    db->error[0] = '\0';
    return QUIRE_OK;
}

quire_status_t api_failf(quire_db_t *db, quire_status_t st, const char *msg)
{
    snprintf(db->error, sizeof db->error, "%s", msg);
    return st;
}

quire_status_t api_fail(quire_db_t *db, const ql_err_t *e)
{
    const quire_status_t st = api_status(e->code);
    return api_failf(db, st, e->msg[0] ? e->msg : quire_status_to_string(st));
}

void api_error_out(char **error, const char *msg)
{
    if (error) *error = strdup(msg);
}

quire_status_t quire_db_open(const char *const *specs, size_t n, const quire_open_opts_t *opts,
                             quire_db_t **out)
{
    if (!out) return QUIRE_BAD_ARGUMENT;
    quire_db_t *db = *out = calloc(1, sizeof *db);
    if (!db) return QUIRE_NO_MEMORY;
    db->owner = pthread_self();
    if (api_register(db) != 0) {
        free(db);
        *out = NULL;
        return QUIRE_NO_MEMORY;
    }
    if (!specs || n == 0) return api_failf(db, QUIRE_BAD_ARGUMENT, "no index to open");
    for (size_t i = 0; i < n; i++)
        if (!specs[i]) return api_failf(db, QUIRE_BAD_ARGUMENT, "an index spec is NULL");
    const qs_open_opts_t oo = {.timeout_ms = opts ? opts->timeout_ms : 0,
                               .allow_partial = opts ? opts->allow_partial : 0};
    ql_err_t e = {0};
    if (qs_open_many(specs, n, &oo, &db->s, &e) != 0) return api_fail(db, &e);
    if (n == 1 && !strstr(specs[0], "://") && !(db->local = strdup(specs[0])))
        return api_failf(db, QUIRE_NO_MEMORY, "out of memory");
    return QUIRE_OK;
}

const char *quire_db_error(const quire_db_t *db)
{
    if (!db) return "no database handle (NULL)";
    if (!is_live(db)) return "not an open database handle";
    return db->error;
}

quire_status_t quire_db_add_aliases(quire_db_t *db, const char *path)
{
    quire_status_t st = api_enter(db);
    if (st != QUIRE_OK) return st;
    if (!path) return api_failf(db, QUIRE_BAD_ARGUMENT, "no aliases file (NULL)");
    if (!db->s) return api_failf(db, QUIRE_BAD_ARGUMENT, "the index did not open");
    ql_err_t e = {0};
    return qs_add_aliases(db->s, path, &e) == 0 ? QUIRE_OK : api_fail(db, &e);
}

quire_status_t quire_db_close(quire_db_t *db)
{
    if (!db) return QUIRE_OK;
    if (!is_live(db)) return QUIRE_BAD_ARGUMENT;
    if (!pthread_equal(db->owner, pthread_self())) return QUIRE_WRONG_THREAD;
    api_unregister(db);
    qs_close(db->s);
    ql_stats_free(&db->stats);
    free(db->read_as);
    free(db->local);
    free(db->hl);
    free(db->title_hl);
    free(db->copies);
    free(db->explain);
    api_known_free(db);
    free(db->shown_text);
    free(db->shown_record);
    free(db->marks);
    free(db);
    return QUIRE_OK;
}

/* quire_stats_t.read_as of s: each path's reader settings on one line. */
static char *read_as(const ql_stats_t *s)
{
    size_t n = 0;
    for (const char *p = s->from; p && *p; p++) n += *p == '\n' || p[1] == '\0';
    qi_read_cfg_t *cfgs = calloc(n + 1, sizeof *cfgs);
    ql_buf_t store = {0}, out = {0};
    if (cfgs && qi_read_cfgs_parse(s->reader, cfgs, n, &store) == 0) {
        for (size_t i = 0; i < n; i++) {
            const size_t at = out.len;
            qi_read_cfgs_format(&cfgs[i], 1, &out);
            if (out.len > at) out.len--;          /* the last line's end */
            for (size_t k = at; k < out.len; k++) /* one line: settings by spaces, globs by ',' */
                if (out.data[k] == '\n' || out.data[k] == '\t')
                    out.data[k] = out.data[k] == '\n' ? ' ' : ',';
            ql_buf_addc(&out, '\n');
        }
    }
    free(cfgs);
    ql_buf_free(&store);
    if (out.oom) ql_buf_free(&out);
    return out.data ? out.data : strdup("");
}

quire_status_t quire_db_stats(quire_db_t *db, quire_stats_t *out)
{
    quire_status_t st = api_enter(db);
    if (st != QUIRE_OK) return st;
    if (!out) return api_failf(db, QUIRE_BAD_ARGUMENT, "no place for the statistics (NULL)");
    if (!db->local)
        return api_failf(db, QUIRE_BAD_ARGUMENT,
                         "statistics are read from one local index, not shards or servers");
    ql_err_t e = {0};
    ql_stats_free(&db->stats);
    if (ql_stats_read(db->local, &db->stats, &e) != 0) return api_fail(db, &e);
    const ql_stats_t *s = &db->stats;
    *out = (quire_stats_t){.path = s->path,
                           .from = s->from ? s->from : "",
                           .format = s->format,
                           .generation = s->generation,
                           .files = s->files,
                           .articles = s->articles,
                           .undated = s->undated,
                           .passages = s->passages,
                           .words = s->words,
                           .dated_passages = s->dated,
                           .date_first = s->date_first,
                           .date_last = s->date_last,
                           .bytes = s->bytes,
                           .built = s->built,
                           .binary = s->skipped[QL_SKIP_BINARY],
                           .unreadable = s->skipped[QL_SKIP_UNREADABLE],
                           .too_large = s->skipped[QL_SKIP_TOO_LARGE],
                           .outside = s->passed.outside,
                           .unsupported = s->passed.unsupported,
                           .excluded = s->passed.excluded,
                           .encrypted = s->skipped[QL_SKIP_ENCRYPTED],
                           .damaged = s->skipped[QL_SKIP_DAMAGED],
                           .no_text = s->skipped[QL_SKIP_NO_TEXT],
                           .languages = s->languages.data ? s->languages.data : ""};
    out->skipped = out->binary + out->unreadable + out->too_large + out->outside + out->encrypted +
                   out->damaged + out->no_text;
    free(db->read_as);
    out->read_as = db->read_as = read_as(s);
    if (!db->read_as) return api_failf(db, QUIRE_NO_MEMORY, "out of memory");
    return QUIRE_OK;
}

quire_status_t quire_date_span(const char *text, size_t len, uint32_t *first, uint32_t *last)
{
    if (!text || !first || !last) return QUIRE_BAD_ARGUMENT;
    return ql_date_span(text, len, first, last) == 0 ? QUIRE_OK : QUIRE_BAD_ARGUMENT;
}

void quire_date_format(uint32_t yyyymmdd, char out[11])
{
    if (out) ql_date_format(yyyymmdd, out);
}
