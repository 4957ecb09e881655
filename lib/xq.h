/*
 * xq.h - the thin C interface to Xapian. lib/xq.cc, behind it, is the only
 * C++ file in Quire and the only place that includes <xapian.h>.
 *
 * Conventions (after notmuch's lib/notmuch.h):
 *  - Handles are opaque. Every fallible call returns an xq_status_t; no C++
 *    exception ever crosses into C (each entry point catches everything,
 *    std::bad_alloc included).
 *  - Error text is owned by the handle the call was made on and stays valid
 *    until the next call on that handle (xq_wdb_error, xq_db_error). Calls
 *    that create a handle store it even on failure, like sqlite3_open(), so
 *    its error text can be read; the caller frees it either way.
 *  - Query handles are values: combining queries copies them, so the caller
 *    keeps ownership of its inputs and frees each handle it created.
 *  - Every free/close function accepts NULL.
 *  - Commits are explicit and their failure is reported by xq_wdb_commit()
 *    and xq_wdb_close(); xq_wdb_free() on a handle with uncommitted changes
 *    discards whatever Xapian lets it discard and reports nothing, so callers
 *    only free without closing when the database is being thrown away.
 */
#ifndef QUIRE_XQ_H
#define QUIRE_XQ_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xq_status {
    XQ_OK = 0,
    XQ_NOMEM,     /* out of memory */
    XQ_NOT_FOUND, /* no database at that path */
    XQ_LOCKED,    /* another writer holds the database's lock */
    XQ_CORRUPT,   /* damaged files, or not a database at all */
    XQ_VERSION,   /* a backend format this Xapian cannot read */
    XQ_MODIFIED,  /* a reader fell behind a writer: reopen and retry */
    XQ_BAD_QUERY, /* a query that cannot be run */
    XQ_IO,        /* any other database error: I/O, disk full, closed */
    XQ_NETWORK,   /* a remote backend failed or timed out */
    XQ_INVALID,   /* an invalid argument or operation (a bug in the caller) */
    XQ_INTERNAL   /* anything else */
} xq_status_t;

/* A short, static, human name for a status ("database is locked"). */
const char *xq_status_text(xq_status_t st);

typedef unsigned xq_docid_t;

/* ---------------------------------------------------------------- writing */

typedef struct xq_wdb xq_wdb_t;
typedef struct xq_doc xq_doc_t;

/* Flags for xq_wdb_create. */
#define XQ_WDB_NOSYNC 0x1 /* no fsync on commit: the caller syncs at publish */

/* Creates (or overwrites) a database at path. *out receives a handle even on
 * failure (NULL only when out of memory); caller frees it with xq_wdb_free(). */
xq_status_t xq_wdb_create(const char *path, int flags, xq_wdb_t **out);

/* Opens the existing database at path for writing (an incremental update).
 * Handle and freeing as for xq_wdb_create(). */
xq_status_t xq_wdb_open(const char *path, int flags, xq_wdb_t **out);

/* Deletes every document indexed by term. */
xq_status_t xq_wdb_delete_term(xq_wdb_t *db, const char *term, size_t len);

/* The documents indexed by term, ascending: *docids is malloc'd (caller
 * frees; NULL when *n is 0). Sees uncommitted changes. */
xq_status_t xq_wdb_postings(xq_wdb_t *db, const char *term, size_t len, xq_docid_t **docids,
                            size_t *n);

/* Copies document docid's value in slot into out[0..cap); *len is its length
 * (0: no value), and when it exceeds cap nothing is copied. */
xq_status_t xq_wdb_value(xq_wdb_t *db, xq_docid_t docid, unsigned slot, char *out, size_t cap,
                         size_t *len);

/* Calls fn(ctx, docid, value, len) for every document with a value in
 * slot, in docid order: one sequential pass over the slot's value stream.
 * fn returns non-zero to stop (then XQ_INVALID is returned). */
typedef int (*xq_value_fn)(void *ctx, xq_docid_t docid, const char *value, size_t len);
xq_status_t xq_wdb_value_stream(xq_wdb_t *db, unsigned slot, xq_value_fn fn, void *ctx);

/* Calls fn(ctx, docid, a, alen, b, blen) for every document with a value in
 * slot_a, in docid order, with its value in slot_b (blen 0: none): two value
 * streams read in step. fn returns non-zero to stop (XQ_INVALID). */
typedef int (*xq_value2_fn)(void *ctx, xq_docid_t docid, const char *a, size_t alen, const char *b,
                            size_t blen);
xq_status_t xq_wdb_value_pairs(xq_wdb_t *db, unsigned slot_a, unsigned slot_b, xq_value2_fn fn,
                               void *ctx);

/* The highest docid in use (0: none), uncommitted changes included. */
xq_status_t xq_wdb_last_docid(xq_wdb_t *db, xq_docid_t *last);

/* The number of documents, uncommitted changes included. */
xq_status_t xq_wdb_doccount(xq_wdb_t *db, size_t *n);

/* The number of documents indexed by term, uncommitted changes included. */
xq_status_t xq_wdb_termfreq(xq_wdb_t *db, const char *term, size_t len, unsigned *freq);

/* Error text of the last failed call on db; "" when none. Owned by db. */
const char *xq_wdb_error(const xq_wdb_t *db);

/* Adds doc (borrowed; may be cleared and reused afterwards). *docid may be NULL. */
xq_status_t xq_wdb_add(xq_wdb_t *db, const xq_doc_t *doc, xq_docid_t *docid);

/* Sets user metadata key to value[0..len). key and value are borrowed. */
xq_status_t xq_wdb_set_metadata(xq_wdb_t *db, const char *key, const char *value, size_t len);

/* Replaces, in document docid, the boolean term old_term with new_term and
 * value slot's value with val[0..val_len): a document moved to another group
 * after it was added. Everything else in the document is kept. */
xq_status_t xq_wdb_regroup(xq_wdb_t *db, xq_docid_t docid, const char *old_term, size_t old_len,
                           const char *new_term, size_t new_len, unsigned slot, const char *val,
                           size_t val_len);

/* Makes everything added so far durable (subject to XQ_WDB_NOSYNC). */
xq_status_t xq_wdb_commit(xq_wdb_t *db);

/* Commits pending changes, releases the lock and closes the files; reports
 * any failure. The handle must still be freed. */
xq_status_t xq_wdb_close(xq_wdb_t *db);

/* Frees the handle. Accepts NULL. */
void xq_wdb_free(xq_wdb_t *db);

/* Returns a new empty document, or NULL when out of memory. Caller owns it. */
xq_doc_t *xq_doc_new(void);

/* Error text of the last failed call on doc; "" when none. Owned by doc. */
const char *xq_doc_error(const xq_doc_t *doc);

/* Adds term[0..len) at position pos (1-based), incrementing its wdf. */
xq_status_t xq_doc_add_posting(xq_doc_t *doc, const char *term, size_t len, unsigned pos);

/* Adds term with wdf increased by wdf_inc and no position (counted for
 * weighting, not for phrases). */
xq_status_t xq_doc_add_term(xq_doc_t *doc, const char *term, size_t len, unsigned wdf_inc);

/* Adds term[0..len) with no position and no wdf (a boolean filter term). */
xq_status_t xq_doc_add_boolean(xq_doc_t *doc, const char *term, size_t len);

/* Sets value slot to val[0..len). */
xq_status_t xq_doc_set_value(xq_doc_t *doc, unsigned slot, const char *val, size_t len);

/* Sets the document data (the stored record) to data[0..len). */
xq_status_t xq_doc_set_data(xq_doc_t *doc, const char *data, size_t len);

/* Empties doc for reuse. */
void xq_doc_clear(xq_doc_t *doc);

/* Frees doc. Accepts NULL. */
void xq_doc_free(xq_doc_t *doc);

/* Runs Xapian's consistency check over every table of the closed database
 * at path; *errors counts the inconsistencies found (0: sound). A database
 * too damaged to check returns XQ_CORRUPT. err (cap bytes) says why. */
xq_status_t xq_check(const char *path, size_t *errors, char *err, size_t cap);

/* Merges the closed databases srcs[0..n) into a new, compacted database at
 * dest, documents renumbered in order (srcs[0]'s first). Metadata comes from
 * the first source that has each key. On failure err (cap bytes, may be
 * NULL) says why. */
xq_status_t xq_compact(const char *const *srcs, size_t n, const char *dest, char *err, size_t cap);

/* ---------------------------------------------------------------- reading */

typedef struct xq_db xq_db_t;

/* Opens the database at path read-only. *out receives a handle even on
 * failure (NULL only when out of memory); caller frees it with xq_db_free(). */
xq_status_t xq_db_open(const char *path, xq_db_t **out);

/* Connects to a database served by xapian-tcpsrv at host:port (read-only).
 * timeout_ms bounds the connection and every later exchange: a server that
 * is down, stopped or too slow fails with XQ_NETWORK, never a hang. Handle
 * and freeing as for xq_db_open(). */
xq_status_t xq_db_open_remote(const char *host, unsigned port, unsigned timeout_ms, xq_db_t **out);

/* A database searching subs[0..n) as one: Xapian combines their statistics,
 * so weights are those of a single database holding every document.
 * Combined docid d is document (d - 1) / n + 1 of subs[(d - 1) % n]. The
 * subs are borrowed; the result shares their files and connections and
 * stays usable after they are freed. Handle and freeing as xq_db_open(). */
xq_status_t xq_db_combine(xq_db_t *const *subs, size_t n, xq_db_t **out);

/* Whether db (or any database combined into it) is remote. */
int xq_db_is_remote(const xq_db_t *db);

/* Error text of the last failed call on db; "" when none. Owned by db. */
const char *xq_db_error(const xq_db_t *db);

/* Brings db up to the latest committed revision. */
xq_status_t xq_db_reopen(xq_db_t *db);

/* Reads metadata key into *value (malloc'd, NUL-terminated, caller frees;
 * "" when the key is unset) and its length into *len (may be NULL). */
xq_status_t xq_db_get_metadata(xq_db_t *db, const char *key, char **value, size_t *len);

/* Number of documents. */
xq_status_t xq_db_doccount(xq_db_t *db, unsigned *count);

/* How many documents have a value in slot (*freq), and bounds on those
 * values: the lowest and highest (exact when nothing was deleted), as
 * NUL-terminated text cut to cap bytes, into lo and hi. */
xq_status_t xq_db_value_bounds(xq_db_t *db, unsigned slot, unsigned *freq, char *lo, char *hi,
                               size_t cap);

/* Number of documents indexed by term[0..len). */
xq_status_t xq_db_termfreq(xq_db_t *db, const char *term, size_t len, unsigned *freq);

/* The documents indexed by term[0..len), ascending: *docids is malloc'd
 * (caller frees; NULL when *n is 0). */
xq_status_t xq_db_postings(xq_db_t *db, const char *term, size_t len, xq_docid_t **docids,
                           size_t *n);

/* For each of docids[0..n) (ascending), whether it is indexed by term:
 * out[i] = 1 or 0. One pass over the posting list, skipping ahead: far
 * cheaper than reading each document's term list. */
xq_status_t xq_db_has_term(xq_db_t *db, const char *term, size_t len, const xq_docid_t *docids,
                           size_t n, unsigned char *out);

/* For each of docids[0..n) (ascending), the first byte of its value in
 * slot, or -1 when it has none: one pass over the slot's value stream. */
xq_status_t xq_db_value_byte(xq_db_t *db, unsigned slot, const xq_docid_t *docids, size_t n,
                             int *out);

/* The statistics BM25 weighs a term in a document with: how often term
 * occurs in docid (*wdf, 0 when not at all), the document's length and the
 * database's average document length. */
xq_status_t xq_db_term_stats(xq_db_t *db, const char *term, size_t len, xq_docid_t docid,
                             unsigned *wdf, unsigned *doclen, double *avlen);

/* The first max documents indexed by term[0..len), in docid order, into
 * docids[0..*n) (caller's array of max; *n is 0 when none). */
xq_status_t xq_db_first_postings(xq_db_t *db, const char *term, size_t len, size_t max,
                                 xq_docid_t *docids, size_t *n);

/* Reads a document's data into *data (malloc'd, caller frees) and *len. */
xq_status_t xq_db_get_data(xq_db_t *db, xq_docid_t docid, char **data, size_t *len);

/* Reads the data of docids[0..n) into data[i] (malloc'd) and len[i]. Over
 * remote shards each shard's documents are asked for by a thread of their
 * own, so the round trips to different shards overlap. Whatever the
 * status, each data[i] is NULL or malloc'd, and the caller frees them. */
xq_status_t xq_db_get_data_many(xq_db_t *db, const xq_docid_t *docids, size_t n, char **data,
                                size_t *len);

/* Called with each term and the number of documents it indexes; return
 * non-zero to stop. */
typedef int (*xq_termfreq_fn)(void *ctx, const char *term, size_t len, unsigned freq);

/* Calls fn for every term of db starting with prefix, in byte order. */
xq_status_t xq_db_terms(xq_db_t *db, const char *prefix, xq_termfreq_fn fn, void *ctx);

/* Frees db. Accepts NULL. */
void xq_db_free(xq_db_t *db);

/* ---------------------------------------------------------------- queries */

typedef struct xq_query xq_query_t;

typedef enum xq_op {
    XQ_OP_AND,
    XQ_OP_OR,
    XQ_OP_AND_NOT,   /* first AND NOT (any of the rest) */
    XQ_OP_FILTER,    /* first, restricted to the rest, which add no weight */
    XQ_OP_AND_MAYBE, /* first, with weight added by the rest where they match */
    XQ_OP_PHRASE,    /* the subqueries in order, within window positions */
    XQ_OP_SYNONYM,   /* the subqueries weighted as one term */
    XQ_OP_NEAR       /* the subqueries in any order, within window positions (each a
                      * term or an OR of terms) */
} xq_op_t;

/* A query for term[0..len) with query-term frequency wqf (usually 1) at query
 * position pos (0 when unused). Caller owns *out. */
xq_status_t xq_query_term(const char *term, size_t len, unsigned wqf, unsigned pos,
                          xq_query_t **out);

/* A query matching every term that starts with prefix[0..len), as OR. */
xq_status_t xq_query_wildcard(const char *prefix, size_t len, xq_query_t **out);

/* Documents whose value in slot lies in [lo, hi] (byte order), no weight;
 * an empty lo or hi leaves that end open (not both). */
xq_status_t xq_query_value_range(unsigned slot, const char *lo, size_t lo_len, const char *hi,
                                 size_t hi_len, xq_query_t **out);

/* A query matching every document, with no weight. */
xq_status_t xq_query_all(xq_query_t **out);

/* Combines subs[0..n) (borrowed) with op. window is for XQ_OP_PHRASE and
 * XQ_OP_NEAR (0: the number of subqueries). Caller owns *out. */
xq_status_t xq_query_combine(xq_op_t op, xq_query_t *const *subs, size_t n, unsigned window,
                             xq_query_t **out);

/* q (borrowed) with its weight multiplied by factor (>= 0). */
xq_status_t xq_query_scale(const xq_query_t *q, double factor, xq_query_t **out);

/* Xapian's description of q, malloc'd (caller frees), NULL when out of memory. */
char *xq_query_describe(const xq_query_t *q);

/* Frees q. Accepts NULL. */
void xq_query_free(xq_query_t *q);

/* Called with each expansion term and its weight, best first; return
 * non-zero to stop. */
typedef int (*xq_eterm_fn)(void *ctx, const char *term, size_t len, double weight);

/* Pseudo-relevance feedback: the k terms starting with prefix that best
 * distinguish docs[0..n) from the rest of db (Xapian's expand set), leaving
 * out the terms of q (borrowed). */
xq_status_t xq_db_expand(xq_db_t *db, const xq_query_t *q, const xq_docid_t *docs, size_t n,
                         unsigned k, const char *prefix, xq_eterm_fn fn, void *ctx);

/* ---------------------------------------------------------------- search */

typedef struct xq_mset xq_mset_t;

typedef struct xq_search_opts {
    unsigned first;          /* rank of the first result to return (0-based) */
    unsigned max;            /* how many results at most */
    unsigned check_at_least; /* documents to check for accurate estimates */
    int collapse_slot;       /* value slot whose equal values collapse to one hit; -1: none */
    unsigned collapse_max;   /* with collapse_slot, hits kept per value (0: 1); a bound above
                              * any group's size collapses nothing, and each hit's value is
                              * then read as its collapse key, with no document fetched */
    double k1, b;            /* BM25 parameters; k1 < 0 for Xapian's defaults */
    int sort;                /* 0: by relevance; 1: by the value in sort_slot, highest
                              * first, relevance breaking ties */
    unsigned sort_slot;
    int tie_slot;      /* sorting by relevance, equal weights in the order of this slot's
                        * values (not of docids, which depend on how the index is
                        * sharded); -1: docid order */
    double time_limit; /* seconds after which the match stops with what it has (Xapian's
                        * Enquire::set_time_limit); 0: none */
} xq_search_opts_t;

/* At most this many terms per xq_db_mark: a passage's terms are the bits
 * of a double's integer part. */
#define XQ_MARK_MAX 48

/* For a remote database: the frequencies of terms[0..n) (NUL-terminated),
 * asked of every shard in one exchange and kept, so that xq_db_termfreq
 * answers them without a round trip each until the next reopen. Locally
 * nothing to do. */
xq_status_t xq_db_prefetch_freqs(xq_db_t *db, const char *const *terms, size_t n);

/* A passage listed by xq_db_mark: bit k of bits set when it is indexed by
 * terms[k]; its values in the two slots asked for (len 0: none, or not
 * asked). Non-zero stops the listing. */
typedef int (*xq_mark_fn)(void *ctx, xq_docid_t docid, uint64_t bits, const char *v1, size_t len1,
                          const char *v2, size_t len2);

/* What posting lists and value streams tell of a few passages, in one
 * search, for a remote database (where each posting list or document comes
 * whole over the network): every passage matching within, with which of
 * terms[0..nterms) it holds (lens[k] bytes each; nterms <= XQ_MARK_MAX)
 * and its values in slot1 and slot2 (-1: none asked), in order of slot1's
 * value (docid order when slot1 < 0), then docid. */
xq_status_t xq_db_mark(xq_db_t *db, const xq_query_t *within, const char *const *terms,
                       const size_t *lens, size_t nterms, int slot1, int slot2, xq_mark_fn fn,
                       void *ctx);

/* xq_db_mark over n databases at once (the shards of a set, each asked
 * about passages of its own): dbs[k] searched within withins[k] (NULL:
 * not asked), each on a thread of its own so that remote round trips
 * overlap; then fn called with ctxs[k] for each database's passages in
 * turn, k in increasing order. On failure the failing database's handle
 * holds the error text. */
xq_status_t xq_db_mark_each(xq_db_t *const *dbs, const xq_query_t *const *withins, size_t n,
                            const char *const *terms, const size_t *lens, size_t nterms, int slot1,
                            int slot2, xq_mark_fn fn, void *const *ctxs);

/* Runs q (borrowed) on db. Error text goes to db. Caller frees *out. */
xq_status_t xq_db_search(xq_db_t *db, const xq_query_t *q, const xq_search_opts_t *opts,
                         xq_mset_t **out);

size_t xq_mset_size(const xq_mset_t *m);
unsigned xq_mset_estimate(const xq_mset_t *m);
/* Bounds on how many documents match (after collapsing); they meet when
 * the match checked every candidate (check_at_least). */
void xq_mset_bounds(const xq_mset_t *m, unsigned *lower, unsigned *upper);
xq_docid_t xq_mset_docid(const xq_mset_t *m, size_t i);
double xq_mset_weight(const xq_mset_t *m, size_t i);
/* Lower bound on how many other documents were collapsed into hit i. */
unsigned xq_mset_collapse_count(const xq_mset_t *m, size_t i);

/* Copies hit i's collapse key (the value in the collapse slot) to out (cap
 * bytes) and its length to *len; *len is 0 when there is none. */
xq_status_t xq_mset_collapse_key(xq_mset_t *m, size_t i, char *out, size_t cap, size_t *len);

/* Copies hit i's value in slot to out (cap bytes) and its length to *len
 * (0 when the document has none). */
xq_status_t xq_mset_value(xq_mset_t *m, size_t i, unsigned slot, char *out, size_t cap,
                          size_t *len);

/* Error text of the last failed call on m; "" when none. Owned by m. */
const char *xq_mset_error(const xq_mset_t *m);

/* Fetches the documents of m's first n items ahead of use: for a remote
 * database one pipelined exchange instead of a round trip per document. */
xq_status_t xq_mset_fetch(xq_mset_t *m, size_t n);

/* Called with each query term that matches a hit; return non-zero to stop. */
typedef int (*xq_term_fn)(void *ctx, const char *term, size_t len);

/* Calls fn for every term of the query that indexes hit i. */
xq_status_t xq_mset_matching_terms(xq_mset_t *m, size_t i, xq_term_fn fn, void *ctx);

/* Frees m. Accepts NULL. */
void xq_mset_free(xq_mset_t *m);

#ifdef __cplusplus
}
#endif

#endif
