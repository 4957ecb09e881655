/*
 * shard.h - one indexing worker: turns a contiguous run of the corpus's
 * files into one Xapian database (a shard of the generation being built).
 * Internal to the indexer: the generation writer (writer.c) cuts the file
 * list into shards, runs one worker per core, replays near-duplicate
 * grouping across shards in file order (regroup.c), and compacts the shards
 * into the published database, so the result does not depend on how many
 * workers built it.
 */
#ifndef QUIRE_SHARD_H
#define QUIRE_SHARD_H

#include "buf.h"
#include "err.h"
#include "indexer.h"
#include "neardup.h"
#include "reader.h"
#include "xq.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* A file found by the walk, to be indexed. Strings owned by the file list. */
typedef struct qi_file {
    char *path;    /* openable from the working directory */
    char *relpath; /* relative to its root */
    uint32_t root; /* index into the run's root list */
    uint32_t arg;  /* index into the run's paths (qi_options_t.paths) */
    uint64_t size;
    int64_t mtime_ns;
} qi_file_t;

/* Progress shared by the workers, read by the thread that reports it. */
typedef struct qi_progress_counters {
    atomic_size_t files;
    atomic_uint_fast64_t bytes;
    atomic_int stop; /* set by a failing worker: the others stop early */
} qi_progress_counters_t;

typedef struct qi_shard {
    /* in: set by the caller */
    const char *db_path;
    xq_wdb_t *into; /* borrowed: an open database to add to (an update's copy);
                     * NULL: a new one is created at db_path, owned in db */
    const qi_file_t *files;
    size_t nfiles;
    qi_progress_counters_t *progress;
    const qi_read_cfg_t *cfgs; /* how files are read, by qi_file_t.arg (reader.h); NULL:
                                * the defaults */
    /* out: owned by the shard, released by qi_shard_free() */
    xq_wdb_t *db;          /* open, all documents added, not committed */
    qi_neardup_t *neardup; /* the shard's near-duplicate table */
    qi_stats_t st;         /* files, passages, skipped, warnings, bytes */
    ql_buf_t warnings;     /* path NUL message NUL, in file order */
    ql_buf_t manifest;     /* QL_META_MANIFEST records, in file order */
    ql_buf_t skipped;      /* QL_META_SKIPPED records of the files passed over */
    int failed;            /* e says why */
    ql_err_t e;
} qi_shard_t;

/* Indexes s->files into a new database at s->db_path. A thread body: uses
 * nothing shared but s->progress. Returns 0 or -1 (s->failed, s->e). */
int qi_shard_run(qi_shard_t *s);

/* Moves document docid of db from group old_key to group new_key (its H term
 * and collapse value). */
int qi_regroup_doc(xq_wdb_t *db, xq_docid_t docid, uint64_t old_key, uint64_t new_key, ql_err_t *e);

/* Replays one stored passage (its QL_SIG_BYTES signature value, and cur,
 * the group key it has now) against table, in file order: inserts it, and
 * moves the document to the group a single pass over the corpus gives it
 * when that differs from cur. */
int qi_regroup_replay(qi_neardup_t *table, xq_wdb_t *db, xq_docid_t docid, const unsigned char *sig,
                      uint64_t cur, ql_err_t *e);

/* Frees what qi_shard_run() left in s (the database handle included, which
 * discards uncommitted work); s itself is the caller's. */
void qi_shard_free(qi_shard_t *s);

#endif
