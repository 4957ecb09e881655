/*
 * zipfile.h - members of a zip archive held in memory (DOCX, ODT and EPUB
 * are zips), read through libzip within bounds: a member is inflated to at
 * most the caller's limit, and to at most QL_DZ_MAX_RATIO times its
 * compressed size once past QL_DZ_RATIO_FROM (compressed.h), whatever its
 * header claims, so a zip bomb costs at most the bound.
 */
#ifndef QUIRE_ZIPFILE_H
#define QUIRE_ZIPFILE_H

#include "err.h"

#include <stddef.h>

typedef struct ql_zip ql_zip_t;

/* Opens the archive data[0..len) (borrowed: kept alive by the caller while
 * the handle is open). NULL when it is not a zip, or out of memory (*nomem). */
ql_zip_t *ql_zip_open(const char *data, size_t len, int *nomem);
void ql_zip_close(ql_zip_t *z);

/* A document's zip (a DOCX, ODT or EPUB: what names it in messages), the
 * libraries loaded first (doclibs.h). Returns 0 with *out set, or
 * document.h's QL_DOC_NO_READER, QL_DOC_DAMAGED (not a zip) or
 * QL_DOC_NOMEM, with why in e. */
int ql_zip_open_doc(const char *data, size_t len, const char *what, ql_zip_t **out, ql_err_t *e);

/* What ql_zip_read() returns besides 0 (as document.h's QL_DOC_*). */
#define QL_ZIP_NOMEM (-1)
#define QL_ZIP_MISSING (-3)   /* no such member, or it cannot be inflated */
#define QL_ZIP_TOO_LARGE (-5) /* over max, or over the ratio */

/* The member called name (exact, '/'-separated) into *out (malloc'd,
 * NUL-terminated; caller frees) and *n. why is set when it fails. */
int ql_zip_read(ql_zip_t *z, const char *name, size_t max, char **out, size_t *n, ql_err_t *e);

#endif
