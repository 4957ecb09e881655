/*
 * cli.h - the command-line front end: subcommands, and the helpers they
 * share (where the index is, how paths are shown, exit statuses). The CLI is
 * the only part of Quire that prints.
 */
#ifndef QUIRE_CLI_H
#define QUIRE_CLI_H

#include "buf.h"
#include "err.h"

#include <stddef.h>
#include <stdio.h>

/* Exit statuses (like grep for search). */
#define QC_EXIT_OK 0       /* search: hits found; other commands: success */
#define QC_EXIT_NONE 1     /* search: no hits */
#define QC_EXIT_ERROR 2    /* any error: usage, index, query, I/O */
#define QC_EXIT_LOCKED 3   /* index: another quire index holds the index */
#define QC_MAX_INDEXES 256 /* search: --index given at most this often */

int qc_cmd_index(int argc, char **argv);
int qc_cmd_search(int argc, char **argv);
int qc_cmd_stem(int argc, char **argv);
int qc_cmd_serve(int argc, char **argv);
int qc_cmd_show(int argc, char **argv);
int qc_cmd_stats(int argc, char **argv);

/* The index directory: --index if given, else $QUIRE_INDEX, else .quire. */
const char *qc_index_dir(const char *flag);

/* Prints "quire: MSG" for e on stderr; returns the exit status for it. */
int qc_fail(const ql_err_t *e);

/* Appends the path to show for root/relpath: relative to the working
 * directory when under it, else absolute. */
void qc_display_path(ql_buf_t *out, const char *root, const char *relpath, size_t relpath_len);

/* Appends s[0..n) as a JSON string (quoted; control characters escaped;
 * invalid UTF-8 replaced by U+FFFD). */
void qc_json_string(ql_buf_t *out, const char *s, size_t n);

#endif
