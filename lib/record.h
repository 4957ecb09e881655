/*
 * record.h - the passage record stored as each Xapian document's data: where
 * the passage comes from (root, path, line and byte spans), its article's
 * title and its text, so a hit can be printed and cited without re-reading
 * the file (and from a remote shard that has no files at all).
 *
 * Encoding: a version byte, then tag-varint-length-value fields; a decoder
 * skips tags it does not know, so fields can be added without breaking old
 * readers. Date, source, url and record number are written only when set.
 */
#ifndef QUIRE_RECORD_H
#define QUIRE_RECORD_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ql_passage {
    uint32_t root;    /* index into the index's root list */
    const char *path; /* relative to the root, '/'-separated */
    size_t path_len;
    const char *title; /* the article's title */
    size_t title_len;
    const char *text; /* the passage text, valid UTF-8 */
    size_t text_len;
    uint32_t line_start, line_end; /* 1-based, inclusive, as cat -n counts */
    uint64_t byte_start, byte_end; /* [start, end) byte offsets in the file */
    uint32_t seq;                  /* 0-based passage number within its file */
    /* the article's metadata, each optional (0 / empty when unknown) */
    uint32_t date;      /* yyyymmdd (date.h) */
    const char *source; /* who published it: site, channel, forwarded-from */
    size_t source_len;
    const char *url;
    size_t url_len;
    uint32_t record; /* 1-based record number in a JSON file or export; 0: none */
} ql_passage_t;

/* Appends the encoding of p to out. Returns 0, or -1 when out of memory. */
int ql_record_encode(const ql_passage_t *p, ql_buf_t *out);

/* Decodes data[0..len) into p, whose string fields then point into data
 * (borrowed: valid while data is). Returns 0, or -1 when the record is
 * malformed or of an unknown version. */
int ql_record_decode(const char *data, size_t len, ql_passage_t *p);

#endif
