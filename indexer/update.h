/*
 * update.h - incremental indexing, internal to the indexer. When the index
 * was built from the same paths, only what changed is redone: a new
 * generation starts as a copy of the current one, the passages of changed
 * and removed files are deleted, changed and added files are indexed, and
 * near-duplicate groups are recomputed in file order from the signatures
 * stored with each passage, so the result answers every query as a full
 * rebuild would. Nothing changed: nothing is written.
 */
#ifndef QUIRE_UPDATE_H
#define QUIRE_UPDATE_H

#include "buf.h"
#include "indexer.h"
#include "shard.h"
#include "writer.h"

enum {
    QI_UPDATE_DONE = 0,    /* w holds the finished update, ready to publish */
    QI_UPDATE_FULL = 1,    /* no usable index, or other paths: build in full */
    QI_UPDATE_NOTHING = 2, /* the index is up to date: abort w, nothing is written */
};

/* Tries to bring the index up to date with files[0..n) (the walk's list,
 * with the run's roots and paths as the indexer would store them), writing
 * through w (begun, nothing added yet). Returns a QI_UPDATE_ value, or -1
 * with e set (the caller aborts w). Fills st's unchanged/changed/added/
 * removed counts. Warnings as for qi_build. */
int qi_update(const qi_options_t *o, qi_writer_t *w, const qi_file_t *files, size_t n,
              const ql_buf_t *roots, const ql_buf_t *paths, qi_warn_fn warn, void *warn_ctx,
              qi_stats_t *st, ql_err_t *e);

#endif
