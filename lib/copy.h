/*
 * copy.h - copying a generation's files into a new generation directory.
 * An update starts from a copy of the published generation (never written
 * in place); on filesystems without reflinks the kernel copies every byte,
 * which is CPU-bound (page-cache allocation and memcpy), so several threads
 * copy, a file each.
 */
#ifndef QUIRE_COPY_H
#define QUIRE_COPY_H

#include "err.h"

#include <stddef.h>

/* Copies every entry of directory from (except names starting with '.' and
 * those skip accepts; skip may be NULL) into directory to, which exists,
 * each as a new file, with up to threads threads (0: one). Only regular
 * files are copied: anything else there is damage (QL_E_CORRUPT). 0, or -1
 * with e naming the file that failed; files already made stay for the
 * caller to remove with the directory. */
int ql_copy_dir(const char *from, const char *to, int (*skip)(const char *name), unsigned threads,
                ql_err_t *e);

#endif
