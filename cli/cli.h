/*
 * cli.h - the command-line front end: subcommands, and the helpers they
 * share (where the index is, how paths are shown, exit statuses). The CLI is
 * the only part of Quire that prints.
 */
#ifndef QUIRE_CLI_H
#define QUIRE_CLI_H

#include "text.h"
#include "quire.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* "N skipped: 1 binary, ...; M files of other types passed over" into
 * out[0..cap) (cut to fit): the files a run or an index passed over. */
typedef struct qc_skips {
    unsigned long binary, unreadable, too_large, outside, encrypted, damaged, no_text;
    unsigned long unsupported, excluded;
} qc_skips_t;
void qc_skips(const qc_skips_t *s, char *out, size_t cap);

/* Exit statuses (like grep for search). */
#define QC_EXIT_OK 0        /* search: hits found; other commands: success */
#define QC_EXIT_NONE 1      /* search: no hits */
#define QC_EXIT_ERROR 2     /* any error: usage, index, query, I/O */
#define QC_EXIT_LOCKED 3    /* index: another quire index holds the index */
#define QC_MAX_INDEXES 256  /* search: --index given at most this often */
#define QC_MAX_EXCLUDES 256 /* index: --exclude given at most this often */

int qc_cmd_index(int argc, char **argv);
int qc_cmd_search(int argc, char **argv);
int qc_cmd_stem(int argc, char **argv);
int qc_cmd_serve(int argc, char **argv);
int qc_cmd_show(int argc, char **argv);
int qc_cmd_stats(int argc, char **argv);
int qc_cmd_config(int argc, char **argv);

/* Reads the settings file (config.c) once; 0, or -1 after saying, in one
 * line naming file:line, what is wrong with it. */
int qc_config_load(void);

/* A setting's value from the settings file, or NULL when it sets none
 * (then *from is "default"); *from (may be NULL) is "FILE:LINE". */
const char *qc_config(const char *key, const char **from);

/* The index to use when none is named, and why (*why: "$QUIRE_INDEX",
 * "the nearest .quire", the config file's line, or "default"); NULL after
 * saying why there is none to use. */
const char *qc_index_where(const char **why);

struct option;

/* getopt_long with GNU argument permutation (options anywhere among the
 * arguments; "--" ends them, so `quire search -- -foo` searches -foo) and
 * no messages of its own: an unknown option or a missing value gets one
 * line naming it, a line pointing at `quire CMD --help`, and '?'. Reset
 * optind to 1 before the first call. */
int qc_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
              const struct option *longopts);

/* Prints "quire: MSG" and a newline on stderr, MSG passed through
 * qc_sanitize: messages echo file names, queries and document text. */
void qc_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A usage error: "quire: CMD: MSG" and "Try 'quire CMD --help'." on
 * stderr. Returns QC_EXIT_ERROR. */
int qc_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The whole number s in [lo, hi] into *out: 0, or a usage error naming
 * flag (returns QC_EXIT_ERROR). */
int qc_parse_count(const char *cmd, const char *flag, const char *s, unsigned long lo,
                   unsigned long hi, unsigned long *out);

/* The index directory: --index if given, else quire_find_index()'s
 * ($QUIRE_INDEX, else the nearest .quire here or above), else .quire
 * here. NULL, after saying why, when the nearest .quire is not a
 * directory. Valid until the next call. */
const char *qc_index_dir(const char *flag);

/* Installs handler for SIGINT and SIGTERM (and SIGHUP with hup), without
 * SA_RESTART, so a blocking call returns EINTR and the loop sees the flag
 * the handler sets. */
void qc_on_stop_signals(void (*handler)(int), int hup);

/* bytes as people read sizes: "512 B", "33.1 kB", "53.2 MB", "1.07 GB"
 * (decimal units). */
void qc_size(unsigned long long bytes, char out[32]);

/* one when n is 1, else many ("article", "articles"). */
const char *qc_plural(unsigned long n, const char *one, const char *many);

/* Prints "quire: MSG" on stderr for a call on db that returned st (MSG is
 * db's error text); returns the exit status for it (QC_EXIT_LOCKED for
 * QUIRE_LOCKED). db may be NULL. */
int qc_fail_db(const quire_db_t *db, quire_status_t st);

/* The same for a call that reports its error as text (msg; NULL or "":
 * the status's name). */
int qc_fail_text(quire_status_t st, const char *msg);

/* Appends the path to show for root/relpath: relative to the working
 * directory when under it, else absolute. */
void qc_display_path(qc_text_t *out, const char *root, const char *relpath, size_t relpath_len);

/* qc_display_path made safe for a terminal (qc_sanitize). */
void qc_show_path(qc_text_t *out, const char *root, const char *relpath, size_t relpath_len);

/* Appends s[0..n) made safe to print on a terminal (sanitize.c): control
 * characters (C0 but tab, and newline when keep_newlines; DEL; C1) and
 * invalid UTF-8 become visible stand-ins, so no escape sequence in a
 * document, file name or query is ever obeyed. */
void qc_sanitize(qc_text_t *out, const char *s, size_t n, int keep_newlines);
void qc_sanitize_str(qc_text_t *out, const char *s);

/* The code point at s[0..n) (n > 0) and its length in *adv: U+FFFD and 1
 * for a byte that does not start valid UTF-8. */
int32_t qc_utf8_next(const char *s, size_t n, size_t *adv);

/* Appends s[0..n) as a JSON string (quoted; control characters, C0 and C1,
 * escaped; invalid UTF-8 replaced by U+FFFD). */
void qc_json_string(qc_text_t *out, const char *s, size_t n);

#endif
