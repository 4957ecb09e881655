/*
 * gunzip.h - compressed files read as the text they hold: a file named
 * *.gz is inflated (zlib; several members in a row, as `cat a.gz b.gz`
 * makes, are read one after another) within bounds, so that a
 * decompression bomb costs at most the bound in memory and time. The
 * indexer and `quire show` both read a .gz through here, so a citation's
 * lines and bytes count the decompressed text the same way for both.
 */
#ifndef QUIRE_GUNZIP_H
#define QUIRE_GUNZIP_H

#include "err.h"

#include <stddef.h>

/* Compressed text at most this many times its size (deflate itself tops
 * out near 1,032:1, which only runs of one byte reach; real text is 3 to
 * 12:1) once it is over QL_GZ_RATIO_FROM bytes. */
#define QL_GZ_MAX_RATIO 200
#define QL_GZ_RATIO_FROM ((size_t)1 << 20)

/* Whether path names a gzip file (ends in ".gz", any case). */
int ql_gz_named(const char *path);

/* The length of path's name without its ".gz" (strlen(path) when it has
 * none): the inner name's extension chooses the reader (a.html.gz: html). */
size_t ql_gz_inner_len(const char *path);

/* What ql_gunzip() returns besides 0. */
#define QL_GZ_NOMEM (-1)
#define QL_GZ_TOO_LARGE (-2) /* over max, or over the ratio: a decompression bomb */
#define QL_GZ_BAD (-3)       /* not gzip data, damaged or cut short */

/* Inflates data[0..len) into *out (malloc'd, NUL-terminated; caller frees)
 * and *outlen: at most max bytes of output, and at most QL_GZ_MAX_RATIO
 * times len once past QL_GZ_RATIO_FROM. Returns 0 or one of the above with
 * why (a phrase, no path: "decompresses to over 64 MB") in e. */
int ql_gunzip(const char *data, size_t len, size_t max, char **out, size_t *outlen, ql_err_t *e);

#endif
