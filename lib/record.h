/*
 * record.h - the passage record stored as each Xapian document's data: where
 * the passage comes from (root, path, line and byte spans), its article's
 * title and its text, so a hit can be printed and cited without re-reading
 * the file (and from a remote shard that has no files at all).
 *
 * Encoding: a version byte, then tag-varint-length-value fields; a decoder
 * skips tags it does not know, so fields can be added without breaking old
 * readers. Date, source, url and record number are written only when set.
 *
 * Where each byte of the text is in the file (for citations of a word: a
 * line and a byte column, as editors and ripgrep count them): the text of a
 * plain-text passage is the file's bytes, so a word's place follows from the
 * text itself and the column of the passage's first byte. Text extracted
 * from markup or converted from another encoding also carries a map - the
 * places where a text byte is not the file byte after the previous one's -
 * and the file's line breaks inside the span.
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
    uint32_t record;    /* 1-based record number in a JSON file or export; 0: none */
    uint32_t col_start; /* 1-based byte column of byte_start in line_start (0 read as 1) */
    /* in a document (document.h): lines and bytes count in the text of its
     * part numbered part (a page, a chapter), of kind part_kind; 0: a file */
    uint8_t part_kind;
    uint32_t part;
    const char *lang; /* its language, ISO 639-1 ("en"); lang_len 0: not known */
    size_t lang_len;
    /* the text-to-file map and the span's line breaks (encoded, see
     * ql_record_map); map NULL: the text is the span's own bytes */
    const char *map;
    size_t map_len;
    const char *nl;
    size_t nl_len;
} ql_passage_t;

/* A place in the file. */
typedef struct ql_place {
    uint32_t line;   /* 1-based */
    uint32_t column; /* 1-based, in bytes from the start of the line */
    uint64_t byte;   /* offset in the file */
} ql_place_t;

/* Appends the encoding of p to out. Returns 0, or -1 when out of memory. */
int ql_record_encode(const ql_passage_t *p, ql_buf_t *out);

/* How a file's bytes end a line: '\n', or a UTF-16 line feed (after a
 * 2-byte byte-order mark, so every unit starts at an even offset). */
typedef enum ql_newlines { QL_NL_BYTES = 0, QL_NL_UTF16LE, QL_NL_UTF16BE } ql_newlines_t;

/* Whether file[k] is the last byte of a line feed. */
int ql_newline_end(const char *file, uint64_t k, ql_newlines_t how);

/* Encodes where each of text's n bytes comes from, for a passage whose
 * text is not the file's bytes [byte_start, ...) as they are: src[i] is the
 * file offset of text byte i (NULL: byte_start + i, the text is the file's
 * bytes). Appends the map to *map and the offsets of the file's line breaks
 * (the last byte of each, as `how` reads them) in [byte_start, byte_end)
 * (file[0..] is the whole file) to *nl, and
 * returns 1; or returns 0, appending nothing, when the text is the span's
 * bytes. -1: out of memory. */
int ql_record_map(const size_t *src, size_t n, const char *file, ql_newlines_t how,
                  uint64_t byte_start, uint64_t byte_end, ql_buf_t *map, ql_buf_t *nl);

/* The file place of byte off of p's text (off <= text_len). Returns 0, or
 * -1 when p's map is malformed (out then holds the passage's start). */
int ql_passage_locate(const ql_passage_t *p, size_t off, ql_place_t *out);

/* Decodes data[0..len) into p, whose string fields then point into data
 * (borrowed: valid while data is). Returns 0, or -1 when the record is
 * malformed or of an unknown version. */
int ql_record_decode(const char *data, size_t len, ql_passage_t *p);

#endif
