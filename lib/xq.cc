/*
 * xq.cc - the Xapian wrapper: the only C++ in Quire.
 *
 * Each exported function is a try block around a few Xapian calls; every
 * exception, of any type, is caught by xq_fail(), which maps it to an
 * xq_status_t and stores its text in the handle the call was made on. The
 * mapping is by class, most specific first: a missing, locked, corrupt or
 * wrong-version database, a stale reader and a bad query each get their own
 * status so the CLI can say the right thing.
 */
#include "xq.h"

#include <xapian.h>

#include <algorithm>
#include <map>
#include <set>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <exception>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

struct xq_wdb {
    Xapian::WritableDatabase db;
    std::string err;
    bool open = false;
};

struct xq_doc {
    Xapian::Document doc;
    std::string err;
};

struct xq_db {
    Xapian::Database db;
    std::string err;
    bool remote = false; /* holds a remote database */
    /* remote: frequencies already asked (each costs a round trip to every
     * shard); the databases are snapshots until reopened, which clears it */
    std::unordered_map<std::string, Xapian::doccount> freqs;
    /* combined: the databases combined, sharing their internals with db */
    std::vector<Xapian::Database> parts;
};

struct xq_query {
    Xapian::Query q;
};

struct xq_mset {
    Xapian::Enquire enq;
    Xapian::MSet mset;
    std::string err;
    explicit xq_mset(const Xapian::Database &d) : enq(d) {}
};

namespace
{

void set_err(std::string *err, const char *what, const std::string &detail) noexcept
{
    if (!err) return;
    try {
        *err = what;
        if (!detail.empty()) {
            *err += ": ";
            *err += detail;
        }
    } catch (...) {
        err->clear(); /* out of memory while reporting: the status still says it */
    }
}

/* Xapian's message, and the system's reason when it has one ("No space
 * left on device"). */
std::string detail_of(const Xapian::Error &e)
{
    std::string d = e.get_msg();
    const char *why = e.get_error_string();
    if (why && *why) {
        d += " (";
        d += why;
        d += ")";
    }
    return d;
}

/* Must be called from inside a catch block: rethrows and classifies. */
xq_status_t xq_fail(std::string *err) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        set_err(err, "no database", detail_of(e));
        return XQ_NOT_FOUND;
    } catch (const Xapian::DatabaseLockError &e) {
        set_err(err, "database is locked", detail_of(e));
        return XQ_LOCKED;
    } catch (const Xapian::DatabaseVersionError &e) {
        set_err(err, "unsupported database version", detail_of(e));
        return XQ_VERSION;
    } catch (const Xapian::DatabaseCorruptError &e) {
        set_err(err, "database is corrupt", detail_of(e));
        return XQ_CORRUPT;
    } catch (const Xapian::DatabaseOpeningError &e) {
        set_err(err, "cannot open database", detail_of(e));
        return XQ_CORRUPT;
    } catch (const Xapian::DatabaseModifiedError &e) {
        set_err(err, "database was modified", detail_of(e));
        return XQ_MODIFIED;
    } catch (const Xapian::DatabaseError &e) {
        /* A table shorter than its own block index says: truncated files,
         * which Xapian reports as a plain DatabaseError. */
        if (e.get_msg().rfind("EOF reading block", 0) == 0) {
            set_err(err, "database is corrupt", detail_of(e));
            return XQ_CORRUPT;
        }
        set_err(err, "database error", detail_of(e));
        return XQ_IO;
    } catch (const Xapian::NetworkError &e) {
        set_err(err, "network error", detail_of(e));
        return XQ_NETWORK;
    } catch (const Xapian::QueryParserError &e) {
        set_err(err, "bad query", detail_of(e));
        return XQ_BAD_QUERY;
    } catch (const Xapian::WildcardError &e) {
        set_err(err, "bad query", detail_of(e));
        return XQ_BAD_QUERY;
    } catch (const Xapian::InvalidArgumentError &e) {
        set_err(err, "invalid argument", detail_of(e));
        return XQ_INVALID;
    } catch (const Xapian::InvalidOperationError &e) {
        set_err(err, "invalid operation", detail_of(e));
        return XQ_INVALID;
    } catch (const Xapian::Error &e) {
        set_err(err, e.get_type(), e.get_msg());
        return XQ_INTERNAL;
    } catch (const std::bad_alloc &) {
        set_err(err, "out of memory", std::string());
        return XQ_NOMEM;
    } catch (const std::exception &e) {
        set_err(err, "internal error", e.what());
        return XQ_INTERNAL;
    } catch (...) {
        set_err(err, "internal error", "unknown exception");
        return XQ_INTERNAL;
    }
}

std::string *err_of(xq_wdb *h)
{
    return h ? &h->err : nullptr;
}
std::string *err_of(xq_db *h)
{
    return h ? &h->err : nullptr;
}
std::string *err_of(xq_doc *h)
{
    return h ? &h->err : nullptr;
}
std::string *err_of(xq_mset *h)
{
    return h ? &h->err : nullptr;
}

/* Every document indexed by t, ascending, into a malloc'd array. */
void postings_of(const Xapian::Database &db, const std::string &t, xq_docid_t **docids, size_t *n)
{
    std::vector<xq_docid_t> ids;
    for (Xapian::PostingIterator it = db.postlist_begin(t); it != db.postlist_end(t); ++it)
        ids.push_back(*it);
    if (!ids.empty()) {
        void *p = std::malloc(ids.size() * sizeof(xq_docid_t));
        if (!p) throw std::bad_alloc();
        std::memcpy(p, ids.data(), ids.size() * sizeof(xq_docid_t));
        *docids = static_cast<xq_docid_t *>(p);
        *n = ids.size();
    }
}

/* Copies document docid's value in slot into out[0..cap); *len is its
 * length (0: none), which may exceed cap (then nothing is copied). */
void value_of(const Xapian::Database &db, Xapian::docid docid, unsigned slot, char *out, size_t cap,
              size_t *len)
{
    const std::string v = db.get_document(docid).get_value(slot);
    *len = v.size();
    if (v.size() <= cap) std::memcpy(out, v.data(), v.size());
}

char *dup_bytes(const std::string &s, size_t *len)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    if (len) *len = s.size();
    return p;
}

} // namespace

#define XQ_TRY(h)                                                                                  \
    try {                                                                                          \
        if (h) (h)->err.clear();
#define XQ_CATCH(h)                                                                                \
    }                                                                                              \
    catch (...)                                                                                    \
    {                                                                                              \
        return xq_fail(err_of(h));                                                                 \
    }                                                                                              \
    return XQ_OK;

/* Runs job(k) for each k of ks, each on a thread of its own (here, when no
 * thread can be had), and waits for them all: for remote databases, whose
 * round trips then overlap. job must not throw, and each k's job touches
 * only what is its own. */
template <class Job> static void on_threads(const std::vector<size_t> &ks, const Job &job)
{
    std::vector<std::thread> threads;
    try {
        threads.reserve(ks.size()); /* no reallocation once a thread runs */
    } catch (...) {
    }
    for (size_t k : ks) {
        if (threads.size() < threads.capacity()) {
            try {
                threads.emplace_back(job, k);
                continue;
            } catch (...) {
            }
        }
        job(k);
    }
    for (std::thread &t : threads) t.join();
}

extern "C" {

const char *xq_status_text(xq_status_t st)
{
    switch (st) {
    case XQ_OK:
        return "ok";
    case XQ_NOMEM:
        return "out of memory";
    case XQ_NOT_FOUND:
        return "no database";
    case XQ_LOCKED:
        return "database is locked";
    case XQ_CORRUPT:
        return "database is corrupt";
    case XQ_VERSION:
        return "unsupported database version";
    case XQ_MODIFIED:
        return "database was modified";
    case XQ_BAD_QUERY:
        return "bad query";
    case XQ_IO:
        return "database error";
    case XQ_NETWORK:
        return "network error";
    case XQ_INVALID:
        return "invalid argument";
    case XQ_INTERNAL:
        break;
    }
    return "internal error";
}

/* ------------------------------------------------------------ compaction */

xq_status_t xq_check(const char *path, size_t *errors, char *err, size_t cap)
{
    std::string msg;
    xq_status_t st = XQ_OK;
    *errors = 0;
    try {
        *errors = Xapian::Database::check(path, 0, nullptr);
    } catch (...) {
        st = xq_fail(&msg);
        if (st == XQ_INTERNAL || st == XQ_IO) st = XQ_CORRUPT;
    }
    if (err && cap) std::snprintf(err, cap, "%s", msg.c_str());
    return st;
}

xq_status_t xq_compact(const char *const *srcs, size_t n, const char *dest, char *err, size_t cap)
{
    std::string msg;
    xq_status_t st = XQ_OK;
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) all.add_database(Xapian::Database(srcs[i]));
        all.compact(dest, Xapian::Compactor::FULL);
    } catch (...) {
        st = xq_fail(&msg);
    }
    if (err && cap) std::snprintf(err, cap, "%s", msg.c_str());
    return st;
}

/* ------------------------------------------------------------ writing */

/* Creates (DB_CREATE_OR_OVERWRITE) or opens (DB_OPEN) a glass database for
 * writing; the handle is stored even on failure, as xq.h promises. */
static xq_status_t open_writable(const char *path, int action, int flags, xq_wdb_t **out)
{
    xq_wdb *h = nullptr;
    try {
        h = new xq_wdb;
    } catch (...) {
        *out = nullptr;
        return XQ_NOMEM;
    }
    *out = h;
    XQ_TRY(h)
    int xf = action | Xapian::DB_BACKEND_GLASS;
    if (flags & XQ_WDB_NOSYNC) xf |= Xapian::DB_NO_SYNC;
    h->db = Xapian::WritableDatabase(path, xf);
    h->open = true;
    XQ_CATCH(h)
}

xq_status_t xq_wdb_create(const char *path, int flags, xq_wdb_t **out)
{
    return open_writable(path, Xapian::DB_CREATE_OR_OVERWRITE, flags, out);
}

xq_status_t xq_wdb_open(const char *path, int flags, xq_wdb_t **out)
{
    return open_writable(path, Xapian::DB_OPEN, flags, out);
}

xq_status_t xq_wdb_delete_term(xq_wdb_t *db, const char *term, size_t len)
{
    XQ_TRY(db)
    db->db.delete_document(std::string(term, len));
    XQ_CATCH(db)
}

xq_status_t xq_wdb_postings(xq_wdb_t *db, const char *term, size_t len, xq_docid_t **docids,
                            size_t *n)
{
    *docids = nullptr;
    *n = 0;
    XQ_TRY(db)
    postings_of(db->db, std::string(term, len), docids, n);
    XQ_CATCH(db)
}

xq_status_t xq_wdb_value(xq_wdb_t *db, xq_docid_t docid, unsigned slot, char *out, size_t cap,
                         size_t *len)
{
    *len = 0;
    XQ_TRY(db)
    value_of(db->db, docid, slot, out, cap, len);
    XQ_CATCH(db)
}

xq_status_t xq_wdb_value_stream(xq_wdb_t *db, unsigned slot, xq_value_fn fn, void *ctx)
{
    XQ_TRY(db)
    for (Xapian::ValueIterator it = db->db.valuestream_begin(slot);
         it != db->db.valuestream_end(slot); ++it) {
        const std::string v = *it;
        if (fn(ctx, it.get_docid(), v.data(), v.size()) != 0) {
            db->err = "stopped by the caller";
            return XQ_INVALID;
        }
    }
    XQ_CATCH(db)
}

xq_status_t xq_wdb_value_pairs(xq_wdb_t *db, unsigned slot_a, unsigned slot_b, xq_value2_fn fn,
                               void *ctx)
{
    XQ_TRY(db)
    Xapian::ValueIterator b = db->db.valuestream_begin(slot_b);
    const Xapian::ValueIterator b_end = db->db.valuestream_end(slot_b);
    for (Xapian::ValueIterator a = db->db.valuestream_begin(slot_a);
         a != db->db.valuestream_end(slot_a); ++a) {
        const Xapian::docid d = a.get_docid();
        if (b != b_end && b.get_docid() < d) b.skip_to(d);
        std::string bv;
        if (b != b_end && b.get_docid() == d) bv = *b;
        const std::string av = *a;
        if (fn(ctx, d, av.data(), av.size(), bv.data(), bv.size()) != 0) {
            db->err = "stopped by the caller";
            return XQ_INVALID;
        }
    }
    XQ_CATCH(db)
}

xq_status_t xq_wdb_last_docid(xq_wdb_t *db, xq_docid_t *last)
{
    *last = 0;
    XQ_TRY(db)
    *last = db->db.get_lastdocid();
    XQ_CATCH(db)
}

xq_status_t xq_wdb_doccount(xq_wdb_t *db, size_t *n)
{
    *n = 0;
    XQ_TRY(db)
    *n = db->db.get_doccount();
    XQ_CATCH(db)
}

xq_status_t xq_wdb_termfreq(xq_wdb_t *db, const char *term, size_t len, unsigned *freq)
{
    *freq = 0;
    XQ_TRY(db)
    *freq = db->db.get_termfreq(std::string(term, len));
    XQ_CATCH(db)
}

const char *xq_wdb_error(const xq_wdb_t *db)
{
    return db ? db->err.c_str() : "";
}

xq_status_t xq_wdb_add(xq_wdb_t *db, const xq_doc_t *doc, xq_docid_t *docid)
{
    XQ_TRY(db)
    Xapian::docid id = db->db.add_document(doc->doc);
    if (docid) *docid = id;
    XQ_CATCH(db)
}

xq_status_t xq_wdb_set_metadata(xq_wdb_t *db, const char *key, const char *value, size_t len)
{
    XQ_TRY(db)
    db->db.set_metadata(key, std::string(value, len));
    XQ_CATCH(db)
}

xq_status_t xq_wdb_regroup(xq_wdb_t *db, xq_docid_t docid, const char *old_term, size_t old_len,
                           const char *new_term, size_t new_len, unsigned slot, const char *val,
                           size_t val_len)
{
    XQ_TRY(db)
    Xapian::Document doc = db->db.get_document(docid);
    doc.remove_term(std::string(old_term, old_len));
    doc.add_boolean_term(std::string(new_term, new_len));
    doc.add_value(slot, std::string(val, val_len));
    db->db.replace_document(docid, doc);
    XQ_CATCH(db)
}

xq_status_t xq_wdb_commit(xq_wdb_t *db)
{
    XQ_TRY(db)
    db->db.commit();
    XQ_CATCH(db)
}

xq_status_t xq_wdb_close(xq_wdb_t *db)
{
    if (!db || !db->open) return XQ_OK;
    XQ_TRY(db)
    db->open = false;
    db->db.close();
    XQ_CATCH(db)
}

void xq_wdb_free(xq_wdb_t *db)
{
    if (!db) return;
    try {
        if (db->open) db->db.close();
    } catch (...) {
        /* documented: freeing an unclosed database reports nothing */
    }
    delete db;
}

xq_doc_t *xq_doc_new(void)
{
    try {
        return new xq_doc;
    } catch (...) {
        return nullptr;
    }
}

const char *xq_doc_error(const xq_doc_t *doc)
{
    return doc ? doc->err.c_str() : "";
}

xq_status_t xq_doc_add_posting(xq_doc_t *doc, const char *term, size_t len, unsigned pos)
{
    XQ_TRY(doc)
    doc->doc.add_posting(std::string(term, len), pos);
    XQ_CATCH(doc)
}

xq_status_t xq_doc_add_term(xq_doc_t *doc, const char *term, size_t len, unsigned wdf_inc)
{
    XQ_TRY(doc)
    doc->doc.add_term(std::string(term, len), wdf_inc);
    XQ_CATCH(doc)
}

xq_status_t xq_doc_add_boolean(xq_doc_t *doc, const char *term, size_t len)
{
    XQ_TRY(doc)
    doc->doc.add_boolean_term(std::string(term, len));
    XQ_CATCH(doc)
}

xq_status_t xq_doc_set_value(xq_doc_t *doc, unsigned slot, const char *val, size_t len)
{
    XQ_TRY(doc)
    doc->doc.add_value(slot, std::string(val, len));
    XQ_CATCH(doc)
}

xq_status_t xq_doc_set_data(xq_doc_t *doc, const char *data, size_t len)
{
    XQ_TRY(doc)
    doc->doc.set_data(std::string(data, len));
    XQ_CATCH(doc)
}

void xq_doc_clear(xq_doc_t *doc)
{
    if (!doc) return;
    try {
        doc->doc = Xapian::Document();
        doc->err.clear();
    } catch (...) {
        /* a default Document allocates nothing that can fail in practice */
    }
}

void xq_doc_free(xq_doc_t *doc)
{
    delete doc;
}

/* ------------------------------------------------------------ reading */

/* A new, empty reading handle stored in *out (NULL when out of memory). */
static xq_db *new_db(xq_db_t **out)
{
    try {
        *out = new xq_db;
    } catch (...) {
        *out = nullptr;
    }
    return *out;
}

xq_status_t xq_db_open(const char *path, xq_db_t **out)
{
    xq_db *h = new_db(out);
    if (!h) return XQ_NOMEM;
    XQ_TRY(h)
    h->db = Xapian::Database(path, Xapian::DB_BACKEND_GLASS);
    XQ_CATCH(h)
}

xq_status_t xq_db_open_remote(const char *host, unsigned port, unsigned timeout_ms, xq_db_t **out)
{
    xq_db *h = new_db(out);
    if (!h) return XQ_NOMEM;
    h->remote = true;
    XQ_TRY(h)
    h->db = Xapian::Remote::open(host, port, timeout_ms, timeout_ms);
    XQ_CATCH(h)
}

xq_status_t xq_db_combine(xq_db_t *const *subs, size_t n, xq_db_t **out)
{
    xq_db *h = new_db(out);
    if (!h) return XQ_NOMEM;
    XQ_TRY(h)
    for (size_t i = 0; i < n; i++) {
        h->db.add_database(subs[i]->db);
        h->parts.push_back(subs[i]->db);
        h->remote = h->remote || subs[i]->remote;
    }
    XQ_CATCH(h)
}

int xq_db_is_remote(const xq_db_t *db)
{
    return db && db->remote;
}

const char *xq_db_error(const xq_db_t *db)
{
    return db ? db->err.c_str() : "";
}

xq_status_t xq_db_reopen(xq_db_t *db)
{
    XQ_TRY(db)
    db->freqs.clear();
    db->db.reopen();
    XQ_CATCH(db)
}

xq_status_t xq_db_get_metadata(xq_db_t *db, const char *key, char **value, size_t *len)
{
    *value = nullptr;
    XQ_TRY(db)
    *value = dup_bytes(db->db.get_metadata(key), len);
    XQ_CATCH(db)
}

xq_status_t xq_db_doccount(xq_db_t *db, unsigned *count)
{
    XQ_TRY(db)
    *count = db->db.get_doccount();
    XQ_CATCH(db)
}

xq_status_t xq_db_value_bounds(xq_db_t *db, unsigned slot, unsigned *freq, char *lo, char *hi,
                               size_t cap)
{
    XQ_TRY(db)
    const Xapian::valueno v = (Xapian::valueno)slot;
    *freq = db->db.get_value_freq(v);
    const std::string l = *freq ? db->db.get_value_lower_bound(v) : std::string();
    const std::string h = *freq ? db->db.get_value_upper_bound(v) : std::string();
    if (cap) {
        snprintf(lo, cap, "%.*s", (int)l.size(), l.data());
        snprintf(hi, cap, "%.*s", (int)h.size(), h.data());
    }
    XQ_CATCH(db)
}

xq_status_t xq_db_termfreq(xq_db_t *db, const char *term, size_t len, unsigned *freq)
{
    XQ_TRY(db)
    const std::string t(term, len);
    if (!db->remote) {
        *freq = db->db.get_termfreq(t);
        return XQ_OK;
    }
    const auto known = db->freqs.find(t);
    if (known != db->freqs.end()) {
        *freq = known->second;
        return XQ_OK;
    }
    *freq = db->db.get_termfreq(t);
    if (db->freqs.size() >= 4096) db->freqs.clear(); /* bounded, for long-lived servers */
    db->freqs.emplace(t, *freq);
    XQ_CATCH(db)
}

xq_status_t xq_db_prefetch_freqs(xq_db_t *db, const char *const *terms, size_t n)
{
    if (!db->remote || n == 0) return XQ_OK;
    XQ_TRY(db)
    std::vector<Xapian::Query> asked;
    for (size_t i = 0; i < n; i++)
        if (!db->freqs.count(terms[i])) asked.emplace_back(terms[i]);
    if (asked.empty()) return XQ_OK;
    Xapian::Enquire enq(db->db);
    enq.set_query(Xapian::Query(Xapian::Query::OP_OR, asked.begin(), asked.end()));
    const Xapian::MSet stats = enq.get_mset(0, 0);
    if (db->freqs.size() + asked.size() > 4096) db->freqs.clear();
    for (const Xapian::Query &q : asked) {
        const std::string t = *q.get_terms_begin();
        db->freqs.emplace(t, stats.get_termfreq(t));
    }
    XQ_CATCH(db)
}

xq_status_t xq_db_postings(xq_db_t *db, const char *term, size_t len, xq_docid_t **docids,
                           size_t *n)
{
    *docids = nullptr;
    *n = 0;
    XQ_TRY(db)
    postings_of(db->db, std::string(term, len), docids, n);
    XQ_CATCH(db)
}

xq_status_t xq_db_has_term(xq_db_t *db, const char *term, size_t len, const xq_docid_t *docids,
                           size_t n, unsigned char *out)
{
    std::memset(out, 0, n);
    XQ_TRY(db)
    const std::string t(term, len);
    Xapian::PostingIterator it = db->db.postlist_begin(t);
    const Xapian::PostingIterator end = db->db.postlist_end(t);
    for (size_t i = 0; i < n && it != end; i++) {
        it.skip_to(docids[i]);
        if (it == end) break;
        out[i] = *it == docids[i];
    }
    XQ_CATCH(db)
}

xq_status_t xq_db_value_byte(xq_db_t *db, unsigned slot, const xq_docid_t *docids, size_t n,
                             int *out)
{
    for (size_t i = 0; i < n; i++) out[i] = -1;
    XQ_TRY(db)
    Xapian::ValueIterator it = db->db.valuestream_begin(slot);
    const Xapian::ValueIterator end = db->db.valuestream_end(slot);
    for (size_t i = 0; i < n && it != end; i++) {
        it.skip_to(docids[i]);
        if (it == end) break;
        if (it.get_docid() == docids[i]) {
            const std::string v = *it;
            if (!v.empty()) out[i] = static_cast<unsigned char>(v[0]);
        }
    }
    XQ_CATCH(db)
}

/* xq_db_mark's search: the passages matching within. Term k weighs 2^k
 * under CoordWeight (1 per matching term, scaled), so a passage's weight is
 * the set of terms it holds, exactly: sums of distinct powers of two below
 * 2^53 are exact in any order. Sorting by slot1 makes each item carry that
 * value as its sort key; collapsing on slot2 at most doccount per value
 * collapses nothing and makes it carry that value as its collapse key. */
static Xapian::MSet mark_mset(const Xapian::Database &db, const Xapian::Query &within,
                              const char *const *terms, const size_t *lens, size_t nterms,
                              int slot1, int slot2)
{
    std::vector<Xapian::Query> parts;
    for (size_t k = 0; k < nterms; k++)
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                           Xapian::Query(std::string(terms[k], lens[k])),
                           std::ldexp(1.0, static_cast<int>(k)));
    Xapian::Query q(Xapian::Query::OP_SCALE_WEIGHT, within, 0.0);
    if (!parts.empty())
        q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                          Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()));
    Xapian::Enquire enq(db);
    enq.set_query(q);
    enq.set_weighting_scheme(Xapian::CoordWeight());
    enq.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::doccount all = db.get_doccount();
    if (slot1 >= 0)
        enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(slot1), false);
    if (slot2 >= 0) enq.set_collapse_key(static_cast<Xapian::valueno>(slot2), all);
    return enq.get_mset(0, all);
}

/* Hands each passage of a mark_mset to fn, until it returns non-zero. */
static void deliver_marks(const Xapian::MSet &m, int slot1, int slot2, xq_mark_fn fn, void *ctx)
{
    for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it) {
        const std::string v1 = slot1 >= 0 ? it.get_sort_key() : std::string();
        const std::string v2 = slot2 >= 0 ? it.get_collapse_key() : std::string();
        if (fn(ctx, *it, static_cast<uint64_t>(it.get_weight()), v1.data(), v1.size(), v2.data(),
               v2.size()))
            break;
    }
}

xq_status_t xq_db_mark(xq_db_t *db, const xq_query_t *within, const char *const *terms,
                       const size_t *lens, size_t nterms, int slot1, int slot2, xq_mark_fn fn,
                       void *ctx)
{
    if (nterms > XQ_MARK_MAX) return XQ_INVALID;
    XQ_TRY(db)
    deliver_marks(mark_mset(db->db, within->q, terms, lens, nterms, slot1, slot2), slot1, slot2, fn,
                  ctx);
    XQ_CATCH(db)
}

xq_status_t xq_db_mark_each(xq_db_t *const *dbs, const xq_query_t *const *withins, size_t n,
                            const char *const *terms, const size_t *lens, size_t nterms, int slot1,
                            int slot2, xq_mark_fn fn, void *const *ctxs)
{
    if (nterms > XQ_MARK_MAX) return XQ_INVALID;
    std::vector<Xapian::MSet> msets;
    std::vector<std::exception_ptr> fail;
    std::vector<size_t> asked;
    try {
        msets.resize(n);
        fail.resize(n);
        for (size_t k = 0; k < n; k++)
            if (withins[k]) asked.push_back(k);
    } catch (...) {
        return xq_fail(nullptr); /* out of memory before any search */
    }
    on_threads(asked, [&](size_t k) {
        try {
            dbs[k]->err.clear();
            msets[k] = mark_mset(dbs[k]->db, withins[k]->q, terms, lens, nterms, slot1, slot2);
        } catch (...) {
            fail[k] = std::current_exception();
        }
    });
    for (size_t k : asked) {
        try {
            if (fail[k]) std::rethrow_exception(fail[k]);
            deliver_marks(msets[k], slot1, slot2, fn, ctxs[k]);
        } catch (...) {
            return xq_fail(&dbs[k]->err);
        }
    }
    return XQ_OK;
}

xq_status_t xq_db_term_stats(xq_db_t *db, const char *term, size_t len, xq_docid_t docid,
                             unsigned *wdf, unsigned *doclen, double *avlen)
{
    *wdf = 0;
    XQ_TRY(db)
    const std::string t(term, len);
    Xapian::PostingIterator it = db->db.postlist_begin(t);
    if (it != db->db.postlist_end(t)) {
        it.skip_to(docid);
        if (it != db->db.postlist_end(t) && *it == docid) *wdf = it.get_wdf();
    }
    *doclen = db->db.get_doclength(docid);
    *avlen = db->db.get_avlength();
    XQ_CATCH(db)
}

xq_status_t xq_db_first_postings(xq_db_t *db, const char *term, size_t len, size_t max,
                                 xq_docid_t *docids, size_t *n)
{
    *n = 0;
    XQ_TRY(db)
    const std::string t(term, len);
    for (Xapian::PostingIterator it = db->db.postlist_begin(t);
         *n < max && it != db->db.postlist_end(t); ++it)
        docids[(*n)++] = *it;
    XQ_CATCH(db)
}

xq_status_t xq_db_get_data(xq_db_t *db, xq_docid_t docid, char **data, size_t *len)
{
    *data = nullptr;
    XQ_TRY(db)
    *data = dup_bytes(db->db.get_document(docid).get_data(), len);
    XQ_CATCH(db)
}

xq_status_t xq_db_get_data_many(xq_db_t *db, const xq_docid_t *docids, size_t n, char **data,
                                size_t *len)
{
    for (size_t i = 0; i < n; i++) data[i] = nullptr;
    XQ_TRY(db)
    const size_t nparts = db->parts.size();
    if (!db->remote || nparts < 2 || nparts != db->db.size()) {
        for (size_t i = 0; i < n; i++)
            data[i] = dup_bytes(db->db.get_document(docids[i]).get_data(), &len[i]);
        return XQ_OK;
    }
    /* each remote sub-database's documents on a thread of its own: its own
     * connection, so the requests to different shards wait side by side */
    std::vector<std::vector<size_t>> at(nparts);
    std::vector<size_t> asked;
    for (size_t i = 0; i < n; i++) at[(docids[i] - 1) % nparts].push_back(i);
    for (size_t k = 0; k < nparts; k++)
        if (!at[k].empty()) asked.push_back(k);
    std::vector<std::exception_ptr> fail(nparts);
    on_threads(asked, [&](size_t k) {
        try {
            for (size_t i : at[k])
                data[i] = dup_bytes(
                    db->parts[k].get_document((docids[i] - 1) / nparts + 1).get_data(), &len[i]);
        } catch (...) {
            fail[k] = std::current_exception();
        }
    });
    for (const std::exception_ptr &f : fail)
        if (f) std::rethrow_exception(f);
    XQ_CATCH(db)
}

xq_status_t xq_db_terms(xq_db_t *db, const char *prefix, xq_termfreq_fn fn, void *ctx)
{
    XQ_TRY(db)
    for (Xapian::TermIterator t = db->db.allterms_begin(prefix); t != db->db.allterms_end(prefix);
         ++t) {
        const std::string term = *t;
        if (fn(ctx, term.data(), term.size(), t.get_termfreq())) break;
    }
    XQ_CATCH(db)
}

void xq_db_free(xq_db_t *db)
{
    delete db;
}

/* ------------------------------------------------------------ queries */

static xq_status_t new_query(const Xapian::Query &q, xq_query_t **out)
{
    *out = new xq_query{q};
    return XQ_OK;
}

/* Query constructors: an invalid argument here is a query that cannot be
 * built (a negative weight, a bad operator), so it is reported as such. */
static xq_status_t query_fail() noexcept
{
    const xq_status_t st = xq_fail(nullptr);
    return st == XQ_INVALID ? XQ_BAD_QUERY : st;
}

xq_status_t xq_query_term(const char *term, size_t len, unsigned wqf, unsigned pos,
                          xq_query_t **out)
{
    *out = nullptr;
    try {
        return new_query(Xapian::Query(std::string(term, len), wqf, pos), out);
    } catch (...) {
        return query_fail();
    }
}

xq_status_t xq_query_wildcard(const char *prefix, size_t len, xq_query_t **out)
{
    *out = nullptr;
    try {
        return new_query(Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(prefix, len)), out);
    } catch (...) {
        return query_fail();
    }
}

xq_status_t xq_query_value_range(unsigned slot, const char *lo, size_t lo_len, const char *hi,
                                 size_t hi_len, xq_query_t **out)
{
    *out = nullptr;
    try {
        const std::string l(lo, lo_len), h(hi, hi_len);
        const Xapian::valueno v = (Xapian::valueno)slot;
        if (lo_len && hi_len)
            return new_query(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, v, l, h), out);
        if (lo_len) return new_query(Xapian::Query(Xapian::Query::OP_VALUE_GE, v, l), out);
        return new_query(Xapian::Query(Xapian::Query::OP_VALUE_LE, v, h), out);
    } catch (...) {
        return query_fail();
    }
}

xq_status_t xq_query_all(xq_query_t **out)
{
    *out = nullptr;
    try {
        return new_query(Xapian::Query::MatchAll, out);
    } catch (...) {
        return query_fail();
    }
}

xq_status_t xq_query_combine(xq_op_t op, xq_query_t *const *subs, size_t n, unsigned window,
                             xq_query_t **out)
{
    *out = nullptr;
    try {
        Xapian::Query::op xop = Xapian::Query::OP_OR;
        switch (op) {
        case XQ_OP_AND:
            xop = Xapian::Query::OP_AND;
            break;
        case XQ_OP_OR:
            xop = Xapian::Query::OP_OR;
            break;
        case XQ_OP_AND_NOT:
            xop = Xapian::Query::OP_AND_NOT;
            break;
        case XQ_OP_FILTER:
            xop = Xapian::Query::OP_FILTER;
            break;
        case XQ_OP_AND_MAYBE:
            xop = Xapian::Query::OP_AND_MAYBE;
            break;
        case XQ_OP_PHRASE:
            xop = Xapian::Query::OP_PHRASE;
            break;
        case XQ_OP_SYNONYM:
            xop = Xapian::Query::OP_SYNONYM;
            break;
        case XQ_OP_NEAR:
            xop = Xapian::Query::OP_NEAR;
            break;
        }
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) v.push_back(subs[i]->q);
        if ((op == XQ_OP_AND_NOT || op == XQ_OP_FILTER || op == XQ_OP_AND_MAYBE) && n > 2) {
            /* Xapian's left-nested reading: a AND_NOT (b OR c ...). */
            Xapian::Query rest(Xapian::Query::OP_OR, v.begin() + 1, v.end());
            return new_query(Xapian::Query(xop, v[0], rest), out);
        }
        return new_query(Xapian::Query(xop, v.begin(), v.end(), window), out);
    } catch (...) {
        return query_fail();
    }
}

xq_status_t xq_query_scale(const xq_query_t *q, double factor, xq_query_t **out)
{
    *out = nullptr;
    try {
        return new_query(Xapian::Query(factor, q->q), out);
    } catch (...) {
        return query_fail();
    }
}

char *xq_query_describe(const xq_query_t *q)
{
    try {
        return dup_bytes(q->q.get_description(), nullptr);
    } catch (...) {
        return nullptr;
    }
}

void xq_query_free(xq_query_t *q)
{
    delete q;
}

/* The expand set, weighed as Xapian's default expansion scheme weighs it
 * (TradEWeight: the Robertson/Sparck Jones relevance weight of a term times
 * the sum, over the feedback passages holding it, of (k+1)wdf/(k len/avlen +
 * wdf), k = 1; ties to the lexically smaller term), computed here because
 * Xapian's get_eset asks each shard for each candidate term's frequency in
 * turn - 85 ms of a Cranfield query over three served shards. Here the
 * frequencies come from the statistics of one search, and each term's sum
 * is taken in ascending order, so that one index and any sharding of it add
 * the same numbers in the same order. */
xq_status_t xq_db_expand(xq_db_t *db, const xq_query_t *q, const xq_docid_t *docs, size_t n,
                         unsigned k, const char *prefix, xq_eterm_fn fn, void *ctx)
{
    XQ_TRY(db)
    const Xapian::Database &d = db->db;
    const std::string pre(prefix);
    const std::set<std::string> asked(q->q.get_unique_terms_begin(), q->q.get_unique_terms_end());
    std::map<std::string, std::vector<double>> parts; /* term -> one part per passage */
    const double avlen = d.get_avlength();
    for (size_t i = 0; i < n; i++) {
        const double len = d.get_doclength(docs[i]);
        Xapian::TermIterator t = d.termlist_begin(docs[i]);
        for (t.skip_to(pre); t != d.termlist_end(docs[i]); ++t) {
            const std::string term = *t;
            if (term.compare(0, pre.size(), pre) != 0) break;
            if (asked.count(term)) continue;
            Xapian::termcount wdf = t.get_wdf();
            if (wdf == 0) wdf = 1;
            parts[term].push_back((1.0 + 1) * wdf / (1.0 * len / avlen + wdf));
        }
    }
    if (parts.empty()) return XQ_OK;
    /* remotely, all frequencies in one exchange per shard; locally a
     * lookup each is cheaper than a search's set-up */
    Xapian::MSet stats;
    if (db->remote) {
        std::vector<Xapian::Query> terms;
        terms.reserve(parts.size());
        for (const auto &p : parts) terms.emplace_back(p.first);
        Xapian::Enquire enq(d);
        enq.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
        stats = enq.get_mset(0, 0);
    }
    const double N = d.get_doccount(), R = static_cast<double>(n);
    std::vector<std::pair<double, std::string>> eset;
    for (auto &p : parts) {
        std::sort(p.second.begin(), p.second.end());
        double multiplier = 0;
        for (const double part : p.second) multiplier += part;
        const double r = static_cast<double>(p.second.size());
        const double tf = db->remote ? stats.get_termfreq(p.first) : d.get_termfreq(p.first);
        const double without = R - r;
        const double num = (r + 0.5) * (N - tf - without + 0.5);
        const double denom = (tf - r + 0.5) * (without + 0.5);
        const double w = multiplier * std::log(num / denom);
        if (w > 0) eset.emplace_back(-w, p.first);
    }
    std::sort(eset.begin(), eset.end()); /* heaviest first, then the smaller term */
    for (size_t i = 0; i < eset.size() && i < k; i++)
        if (fn(ctx, eset[i].second.data(), eset[i].second.size(), -eset[i].first)) break;
    XQ_CATCH(db)
}

/* ------------------------------------------------------------ search */

xq_status_t xq_db_search(xq_db_t *db, const xq_query_t *q, const xq_search_opts_t *opts,
                         xq_mset_t **out)
{
    *out = nullptr;
    xq_mset *m = nullptr;
    XQ_TRY(db)
    m = new xq_mset(db->db);
    m->enq.set_query(q->q);
    if (opts->k1 >= 0)
        m->enq.set_weighting_scheme(Xapian::BM25Weight(opts->k1, 0, 1, opts->b, 0.5));
    if (opts->collapse_slot >= 0)
        m->enq.set_collapse_key((Xapian::valueno)opts->collapse_slot,
                                opts->collapse_max ? opts->collapse_max : 1);
    m->enq.set_docid_order(Xapian::Enquire::ASCENDING);
    if (opts->sort)
        m->enq.set_sort_by_value_then_relevance((Xapian::valueno)opts->sort_slot, true);
    else if (opts->tie_slot >= 0)
        m->enq.set_sort_by_relevance_then_value((Xapian::valueno)opts->tie_slot, false);
    if (opts->time_limit > 0) m->enq.set_time_limit(opts->time_limit);
    m->mset = m->enq.get_mset(opts->first, opts->max, opts->check_at_least);
    *out = m;
    m = nullptr;
}
catch (...)
{
    delete m;
    return xq_fail(err_of(db));
}
return XQ_OK;
}

/* The accessors below cannot fail on a local MSet, but a remote one may
 * throw on first access; they answer 0 rather than let anything escape. */
size_t xq_mset_size(const xq_mset_t *m)
{
    return m->mset.size();
}

unsigned xq_mset_estimate(const xq_mset_t *m)
{
    return m->mset.get_matches_estimated();
}

void xq_mset_bounds(const xq_mset_t *m, unsigned *lower, unsigned *upper)
{
    *lower = m->mset.get_matches_lower_bound();
    *upper = m->mset.get_matches_upper_bound();
}

xq_docid_t xq_mset_docid(const xq_mset_t *m, size_t i)
{
    try {
        return *(m->mset[(Xapian::doccount)i]);
    } catch (...) {
        return 0;
    }
}

double xq_mset_weight(const xq_mset_t *m, size_t i)
{
    try {
        return m->mset[(Xapian::doccount)i].get_weight();
    } catch (...) {
        return 0;
    }
}

unsigned xq_mset_collapse_count(const xq_mset_t *m, size_t i)
{
    try {
        return m->mset[(Xapian::doccount)i].get_collapse_count();
    } catch (...) {
        return 0;
    }
}

xq_status_t xq_mset_collapse_key(xq_mset_t *m, size_t i, char *out, size_t cap, size_t *len)
{
    *len = 0;
    XQ_TRY(m)
    const std::string k = m->mset[(Xapian::doccount)i].get_collapse_key();
    if (k.size() > cap) return XQ_INVALID;
    std::memcpy(out, k.data(), k.size());
    *len = k.size();
    XQ_CATCH(m)
}

xq_status_t xq_mset_value(xq_mset_t *m, size_t i, unsigned slot, char *out, size_t cap, size_t *len)
{
    *len = 0;
    XQ_TRY(m)
    const std::string v = m->mset[(Xapian::doccount)i].get_document().get_value(slot);
    if (v.size() > cap) return XQ_INVALID;
    std::memcpy(out, v.data(), v.size());
    *len = v.size();
    XQ_CATCH(m)
}

xq_status_t xq_mset_fetch(xq_mset_t *m, size_t n)
{
    XQ_TRY(m)
    if (n > m->mset.size()) n = m->mset.size();
    if (n)
        m->mset.fetch(m->mset.begin(),
                      n < m->mset.size() ? m->mset[(Xapian::doccount)n] : m->mset.end());
    XQ_CATCH(m)
}

const char *xq_mset_error(const xq_mset_t *m)
{
    return m ? m->err.c_str() : "";
}

xq_status_t xq_mset_matching_terms(xq_mset_t *m, size_t i, xq_term_fn fn, void *ctx)
{
    XQ_TRY(m)
    Xapian::MSetIterator it = m->mset[(Xapian::doccount)i];
    for (Xapian::TermIterator t = m->enq.get_matching_terms_begin(it);
         t != m->enq.get_matching_terms_end(it); ++t) {
        const std::string term = *t;
        if (fn(ctx, term.data(), term.size())) break;
    }
    XQ_CATCH(m)
}

void xq_mset_free(xq_mset_t *m)
{
    delete m;
}

} /* extern "C" */
