/*
 * index.h - opening a published index for reading: resolve the current
 * generation (or connect to a remote one), open it, refuse another format
 * version, and read the list of corpus roots that stored paths are
 * relative to.
 */
#ifndef QUIRE_INDEX_H
#define QUIRE_INDEX_H

#include "err.h"
#include "xq.h"

#include <stddef.h>

typedef struct ql_index {
    xq_db_t *db;  /* owned */
    char **roots; /* absolute corpus roots by id; owned */
    size_t nroots;
    char path[4200]; /* the generation opened, or tcp://HOST:PORT */
} ql_index_t;

/* Opens dir's current generation into idx. Errors: QL_E_NOINDEX (nothing
 * published), QL_E_CORRUPT, QL_E_VERSION (another format), QL_E_IO. */
int ql_index_open(const char *dir, ql_index_t *idx, ql_err_t *e);

/* Opens the index served by xapian-tcpsrv (quire serve) at host:port into
 * idx; timeout_ms bounds connecting and every exchange. Errors as
 * ql_index_open(), and QL_E_NETWORK when the server does not answer. */
int ql_index_open_remote(const char *host, unsigned port, unsigned timeout_ms, ql_index_t *idx,
                         ql_err_t *e);

/* Closes what idx owns. Accepts a zeroed idx. */
void ql_index_close(ql_index_t *idx);

/* Maps an xq status from a failed read to a ql code. */
enum ql_code ql_code_of(xq_status_t st);

/* Sets e for a failed Xapian call: ql_code_of(st), st as the cause, and the
 * message (printf-style); returns -1. The cause is what lets a caller tell
 * a remote shard that went away (XQ_NETWORK) from an index that changed
 * under it (XQ_MODIFIED) without guessing from the code. */
int ql_err_xq(ql_err_t *e, xq_status_t st, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
