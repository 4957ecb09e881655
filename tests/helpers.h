/*
 * helpers.h - shared test utilities: scratch directories, files, running
 * bin/quire and capturing what it prints.
 */
#ifndef QUIRE_TEST_HELPERS_H
#define QUIRE_TEST_HELPERS_H

#include <stddef.h>

/* The bundled corpus ($QUIRE_CORPUS, else ./corpus) and the CLI binary
 * ($QUIRE_BIN, else ./bin/quire), as absolute paths. */
const char *th_corpus(void);
const char *th_bin(void);

/* The repository's tests/data/NAME (the corpus's sibling tests/ folder), as an
 * absolute path (static buffer, overwritten by the next call): what the suite
 * reads ships with the repository. */
const char *th_data(const char *name);

/* The repository's file REL (the corpus's parent folder), as an absolute
 * path (static buffer, overwritten by the next call). */
const char *th_repo(const char *rel);

/* A fresh scratch directory under $TMPDIR; removed by th_cleanup(). */
const char *th_tmpdir(void);
void th_cleanup(void);

/* Writes n bytes to dir/name (creating parent dirs). Returns the full path
 * (static buffer, overwritten by the next call). */
const char *th_write(const char *dir, const char *name, const char *data, size_t n);

/* Reads a whole file; caller frees. NULL on failure. */
char *th_read(const char *path, size_t *len);

/* Indexes the files under path into <scratch>/index with quire's indexer;
 * returns the index directory (static buffer), or NULL after printing why. */
const char *th_index(const char *path);

/* Runs a shell command line; captures stdout and stderr (caller frees
 * both) and returns the exit status (-1 if it did not exit normally). */
int th_run(const char *cmdline, char **out, char **err);

/* Runs a shell command line and returns the number it prints (0 if none). */
int th_run_count(const char *cmdline);

/* 1 when hay contains needle, ignoring ASCII case. */
int th_icontains(const char *hay, const char *needle);

/* Counts lines in s. */
size_t th_count_lines(const char *s);

/* The texts of a search's first 16 hits (each cut to 255 bytes), in order. */
typedef struct th_found {
    char texts[16][256];
    size_t n;
} th_found_t;

/* Searches index with the default options, aliases (a file, or NULL)
 * added; asserts that the search succeeds. */
th_found_t th_search_texts(const char *index, const char *query, const char *aliases);

#endif
