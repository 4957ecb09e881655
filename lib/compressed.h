/*
 * compressed.h - compressed files read as the text they hold: a file named
 * *.gz (zlib; members in a row, as `cat a.gz b.gz` makes, read one after
 * another) or *.zst (libzstd; frames in a row likewise) is decompressed
 * within bounds, so that a decompression bomb costs at most the bound in
 * memory and time. The indexer and `quire show` both read a compressed file
 * through here, so a citation's lines and bytes count the decompressed text
 * the same way for both.
 */
#ifndef QUIRE_COMPRESSED_H
#define QUIRE_COMPRESSED_H

#include "err.h"

#include <stddef.h>

/* How a file is compressed, by its name. */
typedef enum ql_compressed { QL_PLAIN = 0, QL_GZIP, QL_ZSTD } ql_compressed_t;

/* Compressed text at most this many times its size (deflate tops out near
 * 1,032:1, zstd far higher, on runs of one byte; real text is 3 to 12:1)
 * once it is over QL_DZ_RATIO_FROM bytes. */
#define QL_DZ_MAX_RATIO 200
#define QL_DZ_RATIO_FROM ((size_t)1 << 20)

/* Whether the name path[0..n) ends in ext (".pdf"), in any case, with a
 * name before it. The one test of a file name's extension (readers,
 * documents, compressed files). */
int ql_name_has_ext(const char *path, size_t n, const char *ext);

/* What path's name says (".gz", ".zst", any case; else QL_PLAIN). */
ql_compressed_t ql_compressed_kind(const char *path);

/* The length of path's name without its ".gz" or ".zst" (strlen(path) when
 * it has neither): the inner name's extension chooses the reader
 * (a.html.gz: html). */
size_t ql_compressed_inner_len(const char *path);

/* What ql_decompress() returns besides 0. */
#define QL_DZ_NOMEM (-1)
#define QL_DZ_TOO_LARGE (-2) /* over max, or over the ratio: a decompression bomb */
#define QL_DZ_BAD (-3)       /* not data of that kind, damaged or cut short */

/* Decompresses data[0..len), compressed as kind says (not QL_PLAIN), into
 * *out (malloc'd, NUL-terminated; caller frees) and *outlen: at most max
 * bytes of output, and at most QL_DZ_MAX_RATIO times len once past
 * QL_DZ_RATIO_FROM. Returns 0 or one of the above with why (a phrase, no
 * path: "decompresses to over 64 MB") in e. */
int ql_decompress(ql_compressed_t kind, const char *data, size_t len, size_t max, char **out,
                  size_t *outlen, ql_err_t *e);

#endif
