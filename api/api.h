/*
 * api.h - what the files of libquire's public API (include/quire.h) share:
 * the database handle's insides, the registry of live handles that lets a
 * closed or foreign handle be refused instead of followed, and the mapping
 * from the core's error codes to quire_status_t. Internal to api/.
 */
#ifndef QUIRE_API_H
#define QUIRE_API_H

#include "quire.h"

#include "buf.h"
#include "err.h"
#include "search.h"
#include "stats.h"

#include <pthread.h>

struct quire_db {
    pthread_t owner;  /* the thread that opened it */
    qs_searcher_t *s; /* NULL when opening failed */
    char *local;      /* the one index directory it was opened on, else NULL */
    char error[1024]; /* the last call's error text */
    ql_stats_t stats; /* the last quire_db_stats() */
    char *read_as;    /* ... its quire_stats_t.read_as */
    /* the last search's hit, rebuilt per hit */
    quire_range_t *hl, *title_hl;
    size_t caphl, captitle_hl;
    quire_copy_t *copies;
    size_t capcopies;
    quire_explain_t *explain;
    size_t capexplain;
    /* the files each local index was built from, for quire_hit_t.stale:
     * one list per generation seen (shards), loaded at its first hit */
    struct api_known *known;
    size_t nknown;
    /* the last quire_show() */
    char *shown_text, *shown_record;
    char shown_lang[8];  /* the shown passage's language, "" when not known */
    uint64_t shown_hash; /* FNV-1a 64 of the file's bytes (before any inflating) */
    char shown_index[4200];
    quire_range_t *marks;
    size_t capmarks;
};

/* The status for a core error code. */
quire_status_t api_status(enum ql_code code);

/* Checks db before a call: live (opened and not closed) and used by the
 * thread that opened it; clears its error text. */
quire_status_t api_enter(quire_db_t *db);

/* Records e's text on db and returns its status. */
quire_status_t api_fail(quire_db_t *db, const ql_err_t *e);

/* Records a status with its text on db; returns it. */
quire_status_t api_failf(quire_db_t *db, quire_status_t st, const char *msg);

/* A malloc()ed copy of e's text into *error (when error is not NULL). */
void api_error_out(char **error, const char *msg);

/* The state of hit's file (QUIRE_FRESH, QUIRE_CHANGED, QUIRE_REMOVED)
 * against the file list of the local index it is from (stale.c). */
int api_stale(quire_db_t *db, const qs_hit_t *hit);

/* Frees db's file lists. */
void api_known_free(quire_db_t *db);

/* Registers / unregisters a live handle. */
int api_register(quire_db_t *db);
int api_unregister(quire_db_t *db);

#endif
