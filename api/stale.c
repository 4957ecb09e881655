/*
 * stale.c - whether the file a hit cites is still as it was indexed
 * (quire_hit_t.stale). A stat() per hit: a file that is gone is removed;
 * one not modified after the newest modification time the index recorded
 * (QL_META_NEWEST, one small metadata read per generation) is as indexed.
 * Only a file newer than that is compared with the index's file list
 * (manifest.h: size and mtime, then a hash of its bytes), which is loaded
 * then, once per generation, and kept.
 */
#include "api.h"

#include "layout.h"
#include "manifest.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct api_known {
    char gen[4200]; /* the generation the list is of */
    int64_t newest; /* QL_META_NEWEST; INT64_MIN when absent (every file is compared) */
    int loaded;     /* files was loaded (or failed to) */
    qi_known_t *files;
};

void api_known_free(quire_db_t *db)
{
    for (size_t i = 0; i < db->nknown; i++) qi_known_free(db->known[i].files);
    free(db->known);
    db->known = NULL;
    db->nknown = 0;
}

/* idx's generation's entry, made at first use. */
static struct api_known *known_of(quire_db_t *db, const ql_index_t *idx)
{
    for (size_t i = 0; i < db->nknown; i++)
        if (!strcmp(db->known[i].gen, idx->path)) return &db->known[i];
    struct api_known *v = realloc(db->known, (db->nknown + 1) * sizeof *v);
    if (!v) return NULL;
    db->known = v;
    struct api_known *k = &v[db->nknown++];
    memset(k, 0, sizeof *k);
    snprintf(k->gen, sizeof k->gen, "%s", idx->path);
    char *newest = NULL;
    k->newest = INT64_MIN;
    if (xq_db_get_metadata(idx->db, QL_META_NEWEST, &newest, NULL) == XQ_OK && newest && *newest)
        k->newest = strtoll(newest, NULL, 10);
    free(newest);
    return k;
}

int api_stale(quire_db_t *db, const qs_hit_t *hit)
{
    if (!hit->index) return QUIRE_FRESH;
    char abs[PATH_MAX * 2];
    const int n =
        snprintf(abs, sizeof abs, "%s/%.*s", hit->root, (int)hit->p->path_len, hit->p->path);
    if (n < 0 || (size_t)n >= sizeof abs) return QUIRE_FRESH;
    struct stat st;
    if (stat(abs, &st) != 0)
        return errno == ENOENT || errno == ENOTDIR ? QUIRE_REMOVED : QUIRE_FRESH;
    struct api_known *k = known_of(db, hit->index);
    if (!k) return QUIRE_FRESH;
    const int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    if (mtime < k->newest) return QUIRE_FRESH;
    if (!k->loaded) {
        ql_err_t e = {0};
        if (qi_known_load(hit->index, &k->files, &e) != 0) k->files = NULL;
        k->loaded = 1;
    }
    switch (k->files ? qi_known_state(k->files, abs) : QI_FILE_SAME) {
    case QI_FILE_CHANGED:
        return QUIRE_CHANGED;
    case QI_FILE_REMOVED:
        return QUIRE_REMOVED;
    default:
        return QUIRE_FRESH;
    }
}
