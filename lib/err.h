/*
 * err.h - how Quire's C code reports failure: a code the CLI turns into an
 * exit status, and one line of text naming the file and what is wrong.
 */
#ifndef QUIRE_ERR_H
#define QUIRE_ERR_H

enum ql_code {
    QL_OK = 0,
    QL_E_IO,      /* a file or directory could not be read or written */
    QL_E_NOMEM,   /* out of memory */
    QL_E_NOINDEX, /* no index where one was expected */
    QL_E_CORRUPT, /* the index is damaged */
    QL_E_VERSION, /* the index has another format version */
    QL_E_LOCKED,  /* another quire index is writing this index */
    QL_E_QUERY,   /* the query cannot be parsed */
    QL_E_NETWORK, /* a remote shard is down, or did not answer in time */
    QL_E_USAGE,   /* bad command-line arguments */
    QL_E_STOPPED, /* a caller's callback asked to stop (a cancelled build) */
    QL_E_INTERNAL /* anything else */
};

typedef struct ql_err {
    enum ql_code code;
    int cause; /* the xq_status_t of the Xapian call that failed (ql_err_xq, index.h);
                * 0 (XQ_OK) when the failure was not Xapian's */
    char msg[1024];
} ql_err_t;

/* Sets e's code and message (printf-style), no cause; returns -1 so callers
 * can write `return ql_errf(e, ...)`. e may be NULL. */
int ql_errf(ql_err_t *e, enum ql_code code, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
