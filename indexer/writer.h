/*
 * writer.h - the one generation writer. Every build of an index, full or
 * incremental, is: begin (the writer's lock, room on the disk) -> copy the
 * current generation (incremental only) -> remove files -> add files ->
 * finish (near-duplicate groups as one pass over the corpus gives them,
 * metadata, counts, the integrity manifest) -> publish, or abort at any
 * point with the published index untouched.
 *
 * Added files are indexed by worker threads (shard.c). A fresh generation
 * gets one database per worker, in contiguous runs of files, merged at
 * finish in file order (docids in walk order, whatever the number of
 * workers); a copied one gets one worker writing into the copy. Warnings
 * are replayed in file order and counts summed into the run's qi_stats_t,
 * which the writer owns until publish.
 */
#ifndef QUIRE_WRITER_H
#define QUIRE_WRITER_H

#include "buf.h"
#include "err.h"
#include "indexer.h"
#include "layout.h"
#include "shard.h"

#include <stdint.h>

#include <stddef.h>

typedef struct qi_writer qi_writer_t;

/* Takes o->index_dir's writer lock (QL_E_LOCKED when another writer holds
 * it) and makes room (generation.h, o->keep_previous). st is filled as the
 * run goes; warn (may be NULL) gets every warning. On success the caller
 * ends *out with qi_writer_publish() or qi_writer_abort(). */
int qi_writer_begin(const qi_options_t *o, qi_warn_fn warn, void *warn_ctx, qi_stats_t *st,
                    qi_writer_t **out, ql_err_t *e);

/* The new generation starts as a copy of gen_dir (an update), which holds
 * files_before files; without this call it starts empty. */
int qi_writer_copy(qi_writer_t *w, const char *gen_dir, size_t files_before, ql_err_t *e);

/* Deletes a file's passages from a copied generation (a file gone or to be
 * indexed again). */
int qi_writer_remove(qi_writer_t *w, uint32_t root, const char *relpath, size_t len, ql_err_t *e);

/* Indexes files[0..n) (borrowed until finish), in file order; one call per
 * run. */
int qi_writer_add(qi_writer_t *w, const qi_file_t *files, size_t n, ql_err_t *e);

/* What finish records beside the documents. */
typedef struct qi_meta {
    const ql_buf_t *roots, *paths; /* the run's roots and arguments, one per line */
    const ql_buf_t *manifest;      /* the file list (manifest.h); NULL: the records of the
                                    * files added (a fresh generation) */
    const ql_buf_t *skipped;       /* an update: QL_META_SKIPPED records of the files it
                                    * kept; the added files' own follow. NULL: none */
    const qi_file_t *all;          /* every file of the run, in file order: a copied */
    size_t nall;                   /* generation regroups over them */
    const ql_span_t *spans;        /* an update: where all[i]'s passages are in the copy, as
                                    * the previous generation's QL_META_ORDER says, count
                                    * QI_SPAN_UNKNOWN where it cannot; NULL: none known */
} qi_meta_t;

/* Regroups, writes the metadata and the integrity manifest (with Xapian's
 * check for a fresh generation), and closes the databases. */
int qi_writer_finish(qi_writer_t *w, const qi_meta_t *m, ql_err_t *e);

/* Publishes the finished generation (st->generation) and frees w, which is
 * gone either way. */
int qi_writer_publish(qi_writer_t *w, ql_err_t *e);

/* Abandons the run: the temporary removed, the lock released, w freed.
 * Accepts NULL. */
void qi_writer_abort(qi_writer_t *w);

#endif
