/*
 * manifest.h - what an index was built from, and whether that is still what
 * is on disk. The indexer records every candidate file (size, modification
 * time, a hash of its bytes) and the paths of the run in the index metadata;
 * `quire index --check` walks the same paths and compares, so CI can rebuild
 * only when something changed. The same records will let incremental
 * indexing find what to redo, and `quire show` warn about an edited file.
 */
#ifndef QUIRE_MANIFEST_H
#define QUIRE_MANIFEST_H

#include "buf.h"
#include "err.h"
#include "index.h"

#include <stddef.h>
#include <stdint.h>

/* FNV-1a 64 of data[0..len): the content fingerprint. */
uint64_t qi_content_hash(const char *data, size_t len);

/* qi_content_hash() of the file at path; *ok is 0 when it cannot be read. */
uint64_t qi_hash_file(const char *path, int *ok);

/* The hash recorded for a file that could not be read: an update reads it
 * again, and --check calls it stale once it can be read. */
#define QI_HASH_UNREAD 0

/* Appends one file's record to m (the QL_META_MANIFEST format). */
void qi_manifest_add(ql_buf_t *m, uint32_t root, const char *relpath, uint64_t size,
                     int64_t mtime_ns, uint64_t hash);

/* One parsed record; relpath points into the manifest text. */
typedef struct qi_manifest_rec {
    uint32_t root;
    const char *relpath;
    size_t relpath_len;
    uint64_t size;
    int64_t mtime_ns;
    uint64_t hash;
} qi_manifest_rec_t;

/* Parses the record at *p and moves *p past it: 1 for a record, 0 at the
 * end of the text, -1 when the text is malformed. */
int qi_manifest_next(const char **p, qi_manifest_rec_t *r);

typedef struct qi_check {
    size_t same, changed, added, removed;
    char first[1024]; /* the first difference found, for the message */
} qi_check_t;

/* Compares the index in index_dir with the files under paths[0..npaths)
 * (none: the paths of the run that built it). A file whose size and mtime
 * match is taken as unchanged; otherwise its bytes are hashed. */
int qi_check(const char *index_dir, const char *const *paths, size_t npaths, qi_check_t *res,
             ql_err_t *e);

/* The files an index was built from, by absolute path, to tell whether a
 * file a hit cites is still as it was indexed. */
typedef struct qi_known qi_known_t;

/* Reads idx's file list into *out (freed with qi_known_free). */
int qi_known_load(const ql_index_t *idx, qi_known_t **out, ql_err_t *e);

#define QI_FILE_SAME 0    /* as indexed (also when only touched) */
#define QI_FILE_CHANGED 1 /* its bytes differ from those indexed */
#define QI_FILE_REMOVED 2 /* no longer there */
#define QI_FILE_UNKNOWN 3 /* not in the list */

/* The state of the file at abs against k: stat, and the bytes hashed only
 * when its size or modification time differ. */
int qi_known_state(const qi_known_t *k, const char *abs);

void qi_known_free(qi_known_t *k);

#endif
