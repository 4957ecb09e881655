/*
 * generation.h - the index directory: generations built beside the current
 * one and published atomically, so a reader never sees a half-built index and
 * a failed build leaves the previous index in place.
 *
 *   DIR/current          symlink to the published generation (gen-000007)
 *   DIR/gen-000007/      a complete Xapian glass database
 *   DIR/gen-000006/      the previous generation, kept for readers in flight
 *   DIR/gen-000008.tmp/  a generation being built; removed on failure, and
 *                        by the next writer if a crash left it behind
 *   DIR/lock             flock()ed by the single writer; holds its pid
 *   DIR/watch            flock()ed by quire index --watch while it runs; holds its pid
 *
 * Publishing: fsync every file of the new generation, rename gen-N.tmp to
 * gen-N, fsync DIR, point a fresh symlink at gen-N, rename it over
 * DIR/current (atomic), fsync DIR, then delete generations older than the
 * previous one. Readers resolve DIR/current once and open gen-N by name, so
 * the files they read all belong to one generation.
 */
#ifndef QUIRE_GENERATION_H
#define QUIRE_GENERATION_H

#include "err.h"

#include <limits.h>
#include <stddef.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

typedef struct ql_gen {
    char dir[PATH_MAX];   /* the index directory */
    char tmp[PATH_MAX];   /* DIR/gen-N.tmp: where the caller builds */
    char final[PATH_MAX]; /* DIR/gen-N */
    unsigned number;      /* N */
    unsigned previous;    /* generation current pointed at, 0 if none */
    int lock_fd;
} ql_gen_t;

/* Takes the writer lock on dir (creating dir if needed; never waits: a held
 * lock is QL_E_LOCKED), removes temporaries left by crashed writers and
 * chooses the next generation number. On success g->tmp names a directory
 * that does not exist yet, for the caller to build the database in. */
int ql_gen_begin(const char *dir, ql_gen_t *g, ql_err_t *e);

/* Disk: while a generation is built the directory holds the previous one
 * (for readers in flight), the current one, and the new one, whose build
 * needs about 2.5 times the index's size at its peak (shard databases and
 * the merged one). When the filesystem has less free space than that, this
 * removes the generations other than the current one before the build,
 * unless keep_previous, and returns how many it removed (0 when there was
 * room, or nothing to remove). */
int ql_gen_make_room(ql_gen_t *g, int keep_previous);

/* Makes g->tmp durable and current (see above), prunes old generations and
 * releases the lock. On failure the previous generation stays current and the
 * temporary is removed. */
int ql_gen_publish(ql_gen_t *g, ql_err_t *e);

/* Abandons the build: removes g->tmp and releases the lock. */
void ql_gen_abort(ql_gen_t *g);

/* Writes the path of dir's current generation to out (cap bytes). Fails with
 * QL_E_NOINDEX when dir holds no published index. */
int ql_gen_current(const char *dir, char *out, size_t cap, ql_err_t *e);

/* Removes path and everything below it, without following symlinks. */
int ql_rmtree(const char *path);

/* Crash testing: when $QUIRE_ABORT_AT names this step, the process exits
 * at once with status QL_ABORT_STATUS, as if killed there. Steps, in order:
 * "shards" (workers done, nothing merged), "compacted" (merged, not
 * synced), "copied" (update: generation copied, nothing changed),
 * "synced", "renamed" (gen-N exists, current not switched), "linked" (new
 * link made, not switched), "switched" (current switched, not synced). */
#define QL_ABORT_STATUS 86
void ql_abort_point(const char *step);

#endif
