/*
 * stats.h - what a published index holds, read from the index itself
 * (metadata, the article counters' term frequencies, the date slot's
 * bounds), so the counts are exact after incremental updates: the facts
 * `quire stats` and quire_db_stats() report.
 */
#ifndef QUIRE_STATS_H
#define QUIRE_STATS_H

#include "err.h"
#include "layout.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ql_stats {
    char path[4200]; /* the generation directory */
    unsigned generation;
    int format;
    char *from;                           /* the paths it was built from, one per line; owned */
    char *reader;                         /* how each was read (QL_META_READER's text); owned */
    unsigned long skipped[QL_SKIP_KINDS]; /* files passed over with a warning, by reason */
    ql_passed_t passed;                   /* files the walk passed over (QL_META_PASSED) */
    unsigned long files, articles, undated, passages, dated;
    unsigned long long words; /* distinct stems */
    uint32_t date_first, date_last;
    unsigned long long bytes; /* on disk */
    int64_t built;            /* the generation's mtime, seconds since the epoch */
    ql_buf_t languages;       /* passages by language: "en 18269\nru 12\n" (L terms), most first */
} ql_stats_t;

/* Reads the statistics of dir's published index into out. Errors as
 * ql_index_open(), and QL_E_IO. The caller frees out with ql_stats_free(). */
int ql_stats_read(const char *dir, ql_stats_t *out, ql_err_t *e);

void ql_stats_free(ql_stats_t *s);

#endif
