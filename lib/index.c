/*
 * index.c - opening a published index (index.h).
 */
#include "index.h"

#include "file.h"
#include "integrity.h"

#include "generation.h"
#include "layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ql_err_xq(ql_err_t *e, xq_status_t st, const char *fmt, ...)
{
    if (!e) return -1;
    va_list ap;
    va_start(ap, fmt);
    e->code = ql_code_of(st);
    e->cause = (int)st;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

enum ql_code ql_code_of(xq_status_t st)
{
    switch (st) {
    case XQ_OK:
        return QL_OK;
    case XQ_NOMEM:
        return QL_E_NOMEM;
    case XQ_NOT_FOUND:
        return QL_E_NOINDEX;
    case XQ_CORRUPT:
        return QL_E_CORRUPT;
    case XQ_VERSION:
        return QL_E_VERSION;
    case XQ_LOCKED:
        return QL_E_LOCKED;
    case XQ_BAD_QUERY:
        return QL_E_QUERY;
    case XQ_NETWORK:
        return QL_E_NETWORK;
    default:
        return QL_E_IO;
    }
}

static int split_roots(ql_index_t *idx, const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++) n += *p == '\n';
    idx->roots = calloc(n ? n : 1, sizeof *idx->roots);
    if (!idx->roots) return -1;
    for (const char *p = s; *p;) {
        const char *nl = strchr(p, '\n');
        const size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *r = malloc(len + 1);
        if (!r) return -1;
        memcpy(r, p, len);
        r[len] = '\0';
        idx->roots[idx->nroots++] = r;
        p += len + (nl ? 1 : 0);
    }
    return 0;
}

/* Checks the format of the database open in idx->db and reads its roots;
 * name (a directory, or tcp://HOST:PORT) is what errors call it. */
static int adopt(ql_index_t *idx, const char *name, ql_err_t *e)
{
    char *ver = NULL, *roots = NULL;
    int rc = -1;
    xq_status_t st = xq_db_get_metadata(idx->db, QL_META_FORMAT, &ver, NULL);
    if (st == XQ_OK) st = xq_db_get_metadata(idx->db, QL_META_ROOTS, &roots, NULL);
    if (st != XQ_OK) {
        ql_err_xq(e, st, "%s: index cannot be read (%s)%s", name, xq_db_error(idx->db),
                  st == XQ_NETWORK ? "" : "; rebuild it with: quire index");
        goto done;
    }
    if (atoi(ver) != QL_FORMAT_VERSION) {
        ql_errf(e, QL_E_VERSION,
                "%s: index has format version %s but this quire reads version %d; rebuild it "
                "with: quire index",
                name, *ver ? ver : "(none)", QL_FORMAT_VERSION);
        goto done;
    }
    if (split_roots(idx, roots) != 0) {
        ql_errf(e, QL_E_NOMEM, "out of memory");
        goto done;
    }
    rc = 0;
done:
    free(ver);
    free(roots);
    return rc;
}

/* A damaged generation, said with the way out. Returns -1. */
static int damaged(const char *dir, ql_err_t *e)
{
    char why[sizeof e->msg];
    snprintf(why, sizeof why, "%s", e->msg);
    return ql_errf(e, QL_E_CORRUPT,
                   "%s: index is damaged (%s); rebuild it with: quire index --full", dir, why);
}

int ql_index_open(const char *dir, ql_index_t *idx, ql_err_t *e)
{
    memset(idx, 0, sizeof *idx);
    if (ql_gen_current(dir, idx->path, sizeof idx->path, e) != 0) return -1;
    /* a FIFO in place of a table would hang Xapian's open */
    if (ql_file_check_dir(idx->path, e) != 0) return damaged(dir, e);
    const xq_status_t st = xq_db_open(idx->path, &idx->db);
    if (st != XQ_OK) {
        ql_err_t why = {0}; /* the files tell more than Xapian, when they are the cause */
        if (ql_integrity_quick(idx->path, &why) != 0) {
            *e = why;
            damaged(dir, e);
        } else {
            ql_errf(e, st == XQ_NOT_FOUND ? QL_E_CORRUPT : ql_code_of(st),
                    "%s: index cannot be opened (%s); rebuild it with: quire index", dir,
                    idx->db ? xq_db_error(idx->db) : xq_status_text(st));
        }
        ql_index_close(idx);
        return -1;
    }
    /* the format first (an index of another version is not damaged), then
     * the generation's files against what was published */
    if (adopt(idx, dir, e) != 0 || (ql_integrity_quick(idx->path, e) != 0 && damaged(dir, e))) {
        ql_index_close(idx);
        return -1;
    }
    return 0;
}

int ql_index_open_remote(const char *host, unsigned port, unsigned timeout_ms, ql_index_t *idx,
                         ql_err_t *e)
{
    memset(idx, 0, sizeof *idx);
    snprintf(idx->path, sizeof idx->path, "tcp://%s:%u", host, port);
    const xq_status_t st = xq_db_open_remote(host, port, timeout_ms, &idx->db);
    if (st != XQ_OK) {
        ql_err_xq(e, st, "%s: shard not answering (%s)", idx->path,
                  idx->db ? xq_db_error(idx->db) : xq_status_text(st));
        ql_index_close(idx);
        return -1;
    }
    if (adopt(idx, idx->path, e) != 0) {
        ql_index_close(idx);
        return -1;
    }
    return 0;
}

void ql_index_close(ql_index_t *idx)
{
    xq_db_free(idx->db);
    for (size_t i = 0; i < idx->nroots; i++) free(idx->roots[i]);
    free(idx->roots);
    memset(idx, 0, sizeof *idx);
}
