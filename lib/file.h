/*
 * file.h - opening files Quire did not make: a corpus file, a cited file, a
 * table of a generation that may have been tampered with. Only regular files
 * are read. They are opened non-blocking, so a FIFO put where a file was
 * cannot stall the open, and then refused, as are devices (/dev/zero would
 * read forever), sockets and directories; a read stops at a size limit.
 */
#ifndef QUIRE_FILE_H
#define QUIRE_FILE_H

#include "err.h"

#include <stddef.h>
#include <sys/stat.h>

/* Opens path read-only if it is a regular file (following symlinks): the
 * descriptor into *fd (caller closes), its status into *st (may be NULL).
 * On failure returns -1 with e (QL_E_IO: "PATH: not a regular file (a
 * FIFO)", or the system's reason) and errno set. */
int ql_file_open(const char *path, int *fd, struct stat *st, ql_err_t *e);

/* Reads the regular file path whole into *out (malloc'd, NUL-terminated;
 * caller frees) and its length into *len. A file larger than max bytes is
 * not read: QL_E_IO "PATH: too large (N MB; at most M MB)". QL_E_NOMEM when
 * out of memory; QL_E_IO otherwise, as ql_file_open. */
int ql_file_read(const char *path, size_t max, char **out, size_t *len, ql_err_t *e);

/* Whether every entry of directory dir (a generation) is a regular file,
 * not a symlink, FIFO or device: Xapian opens its tables with blocking
 * reads, so a FIFO in place of a table would hang any reader. 0, or -1
 * with e (QL_E_CORRUPT naming the entry). */
int ql_file_check_dir(const char *dir, ql_err_t *e);

/* The kind of file st is, for messages: "a FIFO", "a directory", ... */
const char *ql_file_kind(const struct stat *st);

#endif
