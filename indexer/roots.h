/*
 * roots.h - which folders a `quire index` run indexes, and how. An index
 * remembers the paths it was built from, how it read their files (reader.h)
 * and its shard (slice.h). A run given no paths updates exactly those; one
 * given paths adds them (--add), drops them (--remove) or makes them the
 * only ones (--replace). Paths that differ from the index's own, with none
 * of those, are refused with a line saying which to use, so that no folder
 * ever leaves an index silently.
 */
#ifndef QUIRE_ROOTS_H
#define QUIRE_ROOTS_H

#include "buf.h"
#include "err.h"
#include "reader.h"
#include "slice.h"

#include <stddef.h>

typedef enum qi_paths_mode {
    QI_PATHS_SAME,   /* the index's own paths (none given), or exactly them */
    QI_PATHS_ADD,    /* the index's paths and these */
    QI_PATHS_REMOVE, /* the index's paths but these */
    QI_PATHS_REPLACE /* these alone */
} qi_paths_mode_t;

/* What a run indexes. */
typedef struct qi_run_paths {
    char **paths; /* absolute; owned */
    size_t n;
    qi_read_cfg_t read; /* its strings borrowed from the caller's or from store */
    qi_slice_t slice;
    ql_buf_t store; /* the remembered reader settings' text */
} qi_run_paths_t;

/* Resolves the paths given[0..n) (relative to the working directory) and
 * mode against the index in index_dir into *out (freed with
 * qi_run_paths_free, also on failure). With no index there yet, the paths
 * are the given ones, or "." when none is given. read and slice are the
 * caller's settings; when the caller set none (read_set, slice->n == 0),
 * the index's remembered ones are used. Errors: QL_E_IO for a path that
 * does not exist, QL_E_USAGE for paths that would change the index's set
 * without --add, --remove or --replace, or leave it empty; e says what to
 * do in one line. */
int qi_roots_resolve(const char *index_dir, const char *const *given, size_t n,
                     qi_paths_mode_t mode, const qi_read_cfg_t *read, int read_set,
                     const qi_slice_t *slice, qi_run_paths_t *out, ql_err_t *e);

void qi_run_paths_free(qi_run_paths_t *p);

#endif
