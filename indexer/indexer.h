/*
 * indexer.h - `quire index`: from folders of articles to a published index
 * generation. The core never prints: per-file warnings go to a callback, and
 * counts come back in qi_stats_t for the CLI to report.
 */
#ifndef QUIRE_INDEXER_H
#define QUIRE_INDEXER_H

#include "err.h"
#include "reader.h"
#include "slice.h"

#include <stddef.h>
#include <stdint.h>

/* Where a build is, for a progress line. */
typedef struct qi_progress {
    const char *phase; /* "indexing", then "merging" */
    size_t files_done, files_total;
    uint64_t bytes_done, bytes_total;
    double elapsed_s;
} qi_progress_t;

/* Called once before files are indexed and then about five times a second,
 * from the thread that called qi_build(). Returns non-zero to cancel the
 * build: nothing is published, and qi_build fails with QL_E_STOPPED. */
typedef int (*qi_progress_fn)(void *ctx, const qi_progress_t *p);

typedef struct qi_options {
    const char *index_dir;    /* the index directory (generation.h) */
    const char *const *paths; /* files or directories to index; borrowed */
    size_t npaths;
    size_t jobs;                /* worker threads; 0: one per online CPU */
    int full;                   /* rebuild everything even when the index could be updated */
    qi_slice_t slice;           /* only the files of this shard (slice.h); {0, 0}: all */
    const qi_read_cfg_t *reads; /* [npaths]: how each path's files are read (formats, JSON
                                 * fields: reader.h); NULL: the defaults; borrowed */
    int keep_previous;          /* keep the previous generation even when space is short
                                 * (generation.h: ql_gen_make_room) */
    qi_progress_fn progress;    /* may be NULL */
    void *progress_ctx;
} qi_options_t;

typedef struct qi_stats {
    /* what the published index holds (after an update too, or when nothing
     * changed): */
    size_t files;    /* files indexed */
    size_t passages; /* passages */
    size_t articles; /* articles (files, records, posts) */
    size_t undated;  /* ... of which without a date */
    /* what this run did: */
    size_t skipped;      /* files skipped with a warning: the sum of */
    size_t binary;       /* ... binary files (a NUL byte near the start), */
    size_t unreadable;   /* ... files that could not be read, */
    size_t too_large;    /* ... files over QI_MAX_FILE_BYTES, */
    size_t outside;      /* ... symlinks out of the folder, system filesystems */
    size_t encrypted;    /* ... documents that need a password, */
    size_t damaged;      /* ... documents their reader cannot read, */
    size_t no_text;      /* ... documents with no text (scanned pages), */
    size_t unsupported;  /* files passed over silently: not a format Quire reads */
    size_t excluded;     /* files and folders the ignore rules left out (ignore.h) */
    size_t warnings;     /* warnings issued (a file may be indexed with one) */
    uint64_t bytes;      /* bytes of the files indexed */
    unsigned generation; /* the generation published */
    size_t jobs;         /* worker threads used */
    int incremental;     /* 1: an update of the previous generation (or nothing to do) */
    size_t unchanged, changed, added, removed; /* files, when incremental */
} qi_stats_t;

/* A file that was skipped or indexed with a caveat; msg says which. */
typedef void (*qi_warn_fn)(void *ctx, const char *path, const char *msg);

/* Indexes every file under o->paths into a new generation of o->index_dir and
 * publishes it; when the current index was built from the same paths (and
 * !o->full), only changed, added and removed files are redone, and when
 * nothing changed nothing is written (st->incremental). On failure nothing
 * is published and the previous index stays current; e says why
 * (QL_E_LOCKED when another writer holds the index). */
int qi_build(const qi_options_t *o, qi_warn_fn warn, void *warn_ctx, qi_stats_t *st, ql_err_t *e);

#endif
