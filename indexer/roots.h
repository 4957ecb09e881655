/*
 * roots.h - which folders a `quire index` run indexes, and how. An index
 * remembers the paths it was built from, how it read each one's files
 * (reader.h) and its shard (slice.h). A run given no paths updates exactly those; one
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
    qi_read_cfg_t *reads; /* [n]: how each path is read; owned, its strings borrowed from
                           * the caller's or from store */
    qi_slice_t slice;
    ql_buf_t store; /* the remembered reader settings' text */
} qi_run_paths_t;

/* Resolves the paths given[0..n) (relative to the working directory) and
 * mode against the index in index_dir into *out (freed with
 * qi_run_paths_free, also on failure). With no index there yet, the paths
 * are the given ones, or "." when none is given. read and slice are the
 * caller's settings. Reader settings belong to paths: when read_set, read
 * is how the paths this run names are read (with none named in the same
 * mode: all of the index's; a path inside one of the index's: that one);
 * every other path keeps its remembered settings, and a path new to the
 * index without read_set is read the defaults' way. The shard belongs to
 * the index: the remembered one unless slice->n != 0. Errors: QL_E_IO for a
 * path that does not exist, QL_E_USAGE for paths that would change the
 * index's set without --add, --remove or --replace, leave it empty, or
 * --remove with reader settings; e says what to do in one line. */
int qi_roots_resolve(const char *index_dir, const char *const *given, size_t n,
                     qi_paths_mode_t mode, const qi_read_cfg_t *read, int read_set,
                     const qi_slice_t *slice, qi_run_paths_t *out, ql_err_t *e);

void qi_run_paths_free(qi_run_paths_t *p);

#endif
