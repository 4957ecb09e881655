/*
 * shards.h - the indexes one search runs over, as one database: local index
 * directories (each following its own `current`), shards served by
 * `quire serve` / xapian-tcpsrv (tcp://HOST:PORT), and cluster files that
 * list either. Xapian combines the databases, so term statistics - and so
 * every score - are those of a single index holding all their passages.
 *
 * Faults: a remote shard gets timeout_ms for connecting and for each
 * exchange. When a search fails on the network, every remote shard is
 * probed on a fresh connection to name the one that failed; without
 * allow_partial that is the error, with it the shard is left out (named in
 * `missing`, retried a few seconds later) and the search is run again on
 * the others.
 */
#ifndef QUIRE_SHARDS_H
#define QUIRE_SHARDS_H

#include "buf.h"
#include "err.h"
#include "index.h"

#include <stddef.h>

typedef struct qs_shard {
    char *name;    /* as the user gave it: a directory or tcp://HOST:PORT; owned */
    char *host;    /* remote: host; NULL for a local directory; owned */
    unsigned port; /* remote: port */
    ql_index_t idx;
    int open;       /* idx is open and part of the set */
    ql_err_t err;   /* why it is not, when it is not */
    double touched; /* when it was last opened or tried, monotonic seconds */
} qs_shard_t;

typedef struct qs_shards {
    qs_shard_t *v;
    size_t n;
    size_t *live; /* indexes into v of the shards in db, in combining order */
    size_t nlive;
    xq_db_t *db;       /* the live shards as one database; owned */
    unsigned combined; /* counts the times db was made: what was read from it is as old */
    unsigned timeout_ms;
    int allow_partial;
    ql_buf_t missing; /* "NAME (why); ..." for the shards left out; "" when none */
    char label[512];  /* qs_shards_name() */
} qs_shards_t;

/* Opens specs[0..n) into s: each a directory, tcp://HOST:PORT, or a file
 * listing such specs one per line (# comments; relative directories are
 * relative to the file). Fails naming the first shard that cannot be
 * opened, unless allow_partial (then only when none can). */
int qs_shards_open(qs_shards_t *s, const char *const *specs, size_t n, unsigned timeout_ms,
                   int allow_partial, ql_err_t *e);

/* Closes everything s owns. Accepts a zeroed s. */
void qs_shards_close(qs_shards_t *s);

/* Before each search: a local shard whose `current` names a newer
 * generation is reopened; remote connections older than a second are
 * renewed (so a long-lived searcher follows what the server publishes);
 * shards left out are retried every few seconds. */
int qs_shards_refresh(qs_shards_t *s, ql_err_t *e);

/* After a search failed with status st (error text why): finds the shard at
 * fault. Returns 1 when the search should be run again (the failing shard
 * was left out under allow_partial, or every shard answers again), else -1
 * with e naming the shard. */
int qs_shards_failed(qs_shards_t *s, xq_status_t st, const char *why, ql_err_t *e);

/* The shard holding combined document docid. */
const qs_shard_t *qs_shards_of(const qs_shards_t *s, xq_docid_t docid);

/* What errors call the set: the one live index's generation, else the names
 * of the live shards (truncated to fit). Owned by s until the next call. */
const char *qs_shards_name(qs_shards_t *s);

#endif
