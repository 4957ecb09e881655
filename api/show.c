/*
 * show.c - quire_show() (quire.h): a citation back to the file. Finds the
 * indexed passage of a file holding a line (the file's P term lists its
 * passages), tells whether the file changed since it was indexed (its
 * checksum in the manifest), finds the passage's text again when it only
 * moved, and marks a query's words, as search matches them, in the lines
 * around it. Printing the lines is the caller's.
 */
#include "api.h"
#include "readings.h"

#include "charset.h"
#include "compressed.h"
#include "document.h"

#include "file.h"
#include "index.h"
#include "layout.h"
#include "manifest.h"
#include "qt.h"
#include "query.h"
#include "record.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FILE ((size_t)1 << 30)

/* The passage of (root, rel) holding line `line` (the one starting there
 * when several do), decoded into *p over *data (caller frees); 0 when found. */
static int find_passage(xq_db_t *db, uint32_t root, const char *rel, uint32_t part, unsigned line,
                        ql_passage_t *p, char **data)
{
    ql_buf_t term = {0};
    ql_term_path(&term, root, rel, strlen(rel));
    xq_docid_t *ids = NULL;
    size_t n = 0;
    int found = -1;
    if (!term.oom && term.len <= QL_MAX_TERM_BYTES &&
        xq_db_postings(db, term.data, term.len, &ids, &n) == XQ_OK) {
        for (size_t i = 0; i < n; i++) {
            char *d = NULL;
            size_t len = 0;
            ql_passage_t q;
            if (xq_db_get_data(db, ids[i], &d, &len) != XQ_OK || ql_record_decode(d, len, &q)) {
                free(d);
                continue;
            }
            const int holds = q.part == part && q.line_start <= line && line <= q.line_end;
            /* the first that holds the line, unless a later one starts there */
            if (holds && (found != 0 || (q.line_start == line && p->line_start != line))) {
                free(*data);
                *data = d;
                *p = q;
                found = 0;
            } else {
                free(d);
            }
        }
    }
    free(ids);
    ql_buf_free(&term);
    return found;
}

/* The manifest's checksum of (root, rel); *listed 0 when it is not listed. */
static uint64_t indexed_hash(xq_db_t *db, uint32_t root, const char *rel, int *listed)
{
    char *m = NULL;
    uint64_t h = 0;
    *listed = 0;
    if (xq_db_get_metadata(db, QL_META_MANIFEST, &m, NULL) == XQ_OK && m) {
        qi_manifest_rec_t r;
        for (const char *p = m; qi_manifest_next(&p, &r) == 1;)
            if (r.root == root && r.relpath_len == strlen(rel) &&
                !memcmp(r.relpath, rel, r.relpath_len)) {
                h = r.hash;
                *listed = 1;
                break;
            }
    }
    free(m);
    return h;
}

/* The stems of the words a query names (its words and phrases' words). */
/* The stems of the words a query names (its words and phrases' words),
 * read also in lang (the shown passage's language: readings.h), as a
 * search over an index holding it reads them. */
static int query_words(qt_pipeline_t *pipe, const char *query, const char *lang, qs_termlist_t *out,
                       ql_err_t *e)
{
    qs_query_t q;
    const char *langs[1] = {lang};
    const qs_query_opts_t opts = {.langs = langs, .nlangs = lang && lang[0] ? 1 : 0};
    if (qs_query_parse(pipe, query, strlen(query), &opts, &q, e) != 0) return -1;
    int rc = 0;
    for (size_t i = 0; i < q.marks.words.n && rc == 0; i++)
        rc = qs_termlist_add(out, q.marks.words.terms[i], strlen(q.marks.words.terms[i]));
    for (size_t i = 0; i < q.marks.nphrases && rc == 0; i++)
        for (size_t k = 0; k < q.marks.phrases[i].n && rc == 0; k++) {
            qs_reading_t r; /* a phrase word: its stem, and its other readings' */
            for (const char *at = q.marks.phrases[i].stems[k]; rc == 0 && qs_reading_next(&at, &r);)
                rc = qs_termlist_add(out, r.stem, r.len);
        }
    qs_query_free(&q);
    return rc ? ql_errf(e, QL_E_NOMEM, "out of memory") : 0;
}

typedef struct {
    quire_db_t *db;
    size_t n;
    const qs_termlist_t *words;
    size_t base; /* where the tokenized line starts */
    int oom;
} marks_t;

/* A word of a shown line whose stem the query names: marked. */
static int mark_word(void *ctx, const qt_token_t *t)
{
    marks_t *m = ctx;
    if (!qs_termlist_has(m->words, t->stem, t->stem_len)) return 0;
    if (m->n == m->db->capmarks) {
        const size_t cap = m->n ? m->n * 2 : 16;
        quire_range_t *v = realloc(m->db->marks, cap * sizeof *v);
        if (!v) return m->oom = 1;
        m->db->marks = v;
        m->db->capmarks = cap;
    }
    m->db->marks[m->n++] = (quire_range_t){m->base + t->start, m->base + t->end};
    return 0;
}

/* Marks the query's words, line by line, in lines [from, to] of the text. */
static int mark_lines(quire_db_t *db, qt_pipeline_t *pipe, const qs_termlist_t *words,
                      unsigned from, unsigned to, quire_shown_t *out)
{
    marks_t mk = {db, 0, words, 0, 0};
    const char *t = out->text;
    unsigned line = out->text_line;
    for (size_t i = 0; i <= out->text_len && line <= to && !mk.oom; line++) {
        const char *nl = memchr(t + i, '\n', out->text_len - i);
        const size_t end = nl ? (size_t)(nl - t) : out->text_len;
        if (line >= from) {
            mk.base = i;
            qt_tokenize(pipe, t + i, end - i, mark_word, &mk);
        }
        i = end + 1;
    }
    out->marks = db->marks;
    out->nmarks = mk.n;
    return mk.oom ? -1 : 0;
}

/* Line number (1-based) of byte off of data. */
static unsigned line_of(const char *data, size_t off)
{
    unsigned line = 1;
    for (size_t i = 0; i < off; i++) line += data[i] == '\n';
    return line;
}

/* Where the passage p of the indexed file is in the file as it is now
 * (same: its bytes are the ones indexed). */
static void place(const ql_passage_t *p, int found, int same, quire_shown_t *out)
{
    const char *t = out->text;
    if (same) {
        if (!found) return;
        out->found = 1;
        out->byte_start = p->byte_start;
        out->byte_end = p->byte_end;
        out->line_start = p->line_start;
        out->line_end = p->line_end;
        return;
    }
    out->changed = 1;
    const char *at = NULL;
    if (found && p->text_len && p->byte_end - p->byte_start == p->text_len)
        for (size_t i = 0; !at && i + p->text_len <= out->text_len; i++)
            if (!memcmp(t + i, p->text, p->text_len)) at = t + i;
    if (!at) return;
    out->found = 1;
    out->byte_start = (uint64_t)(at - t);
    out->byte_end = out->byte_start + p->text_len;
    out->line_start = out->line_end = line_of(t, (size_t)out->byte_start);
    for (size_t i = (size_t)out->byte_start; i < out->byte_end; i++) out->line_end += t[i] == '\n';
}

/* Finds the passage of the file at abs in idx into *out; gone: the file
 * is no longer there, and the passage's indexed text is given instead. */
static void locate(quire_db_t *db, const ql_index_t *idx, const char *abs, uint32_t part,
                   unsigned first, quire_shown_t *out, int gone)
{
    uint32_t root = UINT32_MAX; /* which root the file is under, and its path there */
    const char *rel = NULL;
    for (size_t r = 0; r < idx->nroots; r++) {
        const size_t rl = strlen(idx->roots[r]);
        if (!strncmp(abs, idx->roots[r], rl) && abs[rl] == '/' && (!rel || abs + rl + 1 < rel)) {
            root = (uint32_t)r;
            rel = abs + rl + 1;
        }
    }
    ql_passage_t p;
    memset(&p, 0, sizeof p);
    const int found =
        rel && find_passage(idx->db, root, rel, part, first, &p, &db->shown_record) == 0;
    const uint64_t was = rel ? indexed_hash(idx->db, root, rel, &out->indexed) : 0;
    if (gone) {
        out->removed = 1;
        out->found = found;
        if (found) {
            out->text = p.text;
            out->text_len = p.text_len;
            out->text_line = out->line_start = p.line_start;
            out->line_end = p.line_end;
            out->byte_start = p.byte_start;
            out->byte_end = p.byte_end;
        }
    } else if (out->indexed) {
        place(&p, found, was == db->shown_hash, out);
    }
    if (out->found) {
        out->title = p.title;
        out->title_len = p.title_len;
    }
    const size_t ll = found && p.lang && p.lang_len < sizeof db->shown_lang ? p.lang_len : 0;
    if (ll) memcpy(db->shown_lang, p.lang, ll);
    db->shown_lang[ll] = '\0';
}

/* path made absolute without the file: the working directory's real path
 * joined to it, "." and ".." folded; -1 when too long. */
static int absolute(const char *path, char *out, size_t cap)
{
    char cwd[PATH_MAX], joined[2 * PATH_MAX + 2];
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd)) return -1;
    snprintf(joined, sizeof joined, "%s/%s", path[0] == '/' ? "" : cwd, path);
    size_t n = 0;
    out[0] = '\0';
    for (char *save = NULL, *c = strtok_r(joined, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (!strcmp(c, ".")) continue;
        if (!strcmp(c, "..")) {
            while (n > 0 && out[--n] != '/') {
            }
            out[n] = '\0';
            continue;
        }
        const size_t cl = strlen(c);
        if (n + cl + 2 > cap) return -1;
        out[n++] = '/';
        memcpy(out + n, c, cl + 1);
        n += cl;
    }
    if (n == 0) snprintf(out, cap, "/");
    return 0;
}

/* The first offset of r's text whose bytes come from file offset at or
 * after it (r->len when none). */
static uint64_t text_offset(const qi_recoded_t *r, uint64_t at)
{
    size_t lo = 0, hi = r->len;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (r->origin[mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A UTF-16 file is shown as UTF-8: its text replaces the bytes, and the
 * passage's offsets move into it (its lines are the same). */
static int show_utf16(quire_db_t *db, quire_shown_t *out, ql_err_t *e)
{
    qi_recoded_t r;
    if (qi_recode_utf16(out->text, out->text_len, &r) != 0)
        return ql_errf(e, QL_E_NOMEM, "show: out of memory");
    out->text_start = text_offset(&r, out->byte_start);
    out->text_end = text_offset(&r, out->byte_end);
    free(db->shown_text);
    db->shown_text = r.text;
    out->text = r.text;
    out->text_len = r.len;
    free(r.origin);
    return 0;
}

/* A document's part numbered *part (document.h) in place of its bytes, as
 * the indexer read it; *part 0 names a DOCX's or ODT's one part. */
static int show_part(quire_db_t *db, const char *path, size_t *len, uint32_t *part, ql_err_t *e)
{
    ql_doc_t d;
    ql_err_t why = {0};
    const ql_doc_kind_t kind = ql_doc_kind(path);
    int rc = ql_doc_extract(kind, db->shown_text, *len, MAX_FILE, &d, &why);
    if (rc != 0) {
        ql_doc_free(&d);
        return ql_errf(e, rc == QL_DOC_NOMEM ? QL_E_NOMEM : QL_E_IO, "show: %s: %s", path, why.msg);
    }
    if (*part == 0 && d.part_kind == QL_PART_PARAGRAPHS) *part = 1;
    const ql_doc_part_t *p = ql_doc_part(&d, *part);
    const char *what = d.part_kind == QL_PART_PAGE ? "page" : "chapter";
    char *text = NULL;
    if (!p && *part == 0) {
        rc = ql_errf(e, QL_E_USAGE, "show: %s: name the %s (%s:%s1:LINE)", path, what, path,
                     d.part_kind == QL_PART_PAGE ? "p" : "ch");
    } else if (!p) {
        rc = ql_errf(e, QL_E_IO, "show: %s: it has no %s %u (it has %zu)", path, what, *part,
                     d.nparts);
    } else if (!(text = malloc(p->len + 1))) {
        rc = ql_errf(e, QL_E_NOMEM, "out of memory");
    } else {
        memcpy(text, d.text.data + p->start, p->len);
        text[p->len] = '\0';
        free(db->shown_text);
        db->shown_text = text;
        *len = p->len;
    }
    ql_doc_free(&d);
    return rc;
}

/* Reads the file, opens the index, finds the passage; *e says why not. */
static int look_up(quire_db_t *db, const char *path, uint32_t part, unsigned first,
                   quire_shown_t *out, ql_err_t *e)
{
    char abs[PATH_MAX];
    const int gone = !realpath(path, abs) && (errno == ENOENT || errno == ENOTDIR);
    if (gone && absolute(path, abs, sizeof abs) != 0)
        return ql_errf(e, QL_E_IO, "show: %s: path too long", path);
    if (!gone && !realpath(path, abs))
        return ql_errf(e, QL_E_IO, "show: %s: %s", path, strerror(errno));
    size_t len = 0;
    if (!gone && ql_file_read(abs, MAX_FILE, &db->shown_text, &len, e) != 0) return -1;
    db->shown_hash = qi_content_hash(db->shown_text, len); /* the file's own bytes */
    if (!gone && ql_compressed_kind(abs) != QL_PLAIN) {    /* its text, as the indexer read it */
        char *text = NULL;
        ql_err_t why = {0};
        if (ql_decompress(ql_compressed_kind(abs), db->shown_text, len, MAX_FILE, &text, &len,
                          &why) != 0)
            return ql_errf(e, why.code, "show: %s: %s", path, why.msg);
        free(db->shown_text);
        db->shown_text = text;
    }
    if (!gone && ql_doc_kind(abs) != QL_DOC_NONE &&
        ql_doc_sniff(ql_doc_kind(abs), db->shown_text, len)) {
        if (show_part(db, path, &len, &part, e) != 0) return -1;
        out->part_kind = ql_doc_part_kind(ql_doc_kind(abs));
        out->part = part;
    }
    out->text = db->shown_text ? db->shown_text : "";
    out->text_len = len;
    ql_index_t idx;
    memset(&idx, 0, sizeof idx);
    if (ql_index_open(db->local, &idx, e) != 0) return -1;
    snprintf(db->shown_index, sizeof db->shown_index, "%s", idx.path);
    out->index_path = db->shown_index;
    locate(db, &idx, abs, part, first, out, gone);
    ql_index_close(&idx);
    out->text_start = out->byte_start;
    out->text_end = out->byte_end;
    if (!gone && qi_utf16_bom(out->text, out->text_len) && show_utf16(db, out, e) != 0) return -1;
    if (gone && !out->found)
        return ql_errf(e, QL_E_IO, "show: %s: No such file or directory (nor in the index)", path);
    return 0;
}

quire_status_t quire_show(quire_db_t *db, const char *path, unsigned first, unsigned last,
                          unsigned context, const char *query, quire_shown_t *out)
{
    return quire_show_part(db, path, 0, first, last, context, query, out);
}

quire_status_t quire_show_part(quire_db_t *db, const char *path, unsigned part, unsigned first,
                               unsigned last, unsigned context, const char *query,
                               quire_shown_t *out)
{
    quire_status_t st = api_enter(db);
    if (st != QUIRE_OK) return st;
    if (!path || !out) return api_failf(db, QUIRE_BAD_ARGUMENT, "no path or no result (NULL)");
    if (first == 0 || last < first)
        return api_failf(db, QUIRE_BAD_ARGUMENT, "lines are 1-based, first <= last");
    if (!db->local)
        return api_failf(db, QUIRE_BAD_ARGUMENT, "show reads one local index, not shards");
    *out = (quire_shown_t){.line_start = first, .line_end = last, .index_path = "", .text_line = 1};
    free(db->shown_text);
    free(db->shown_record);
    db->shown_text = db->shown_record = NULL;
    db->shown_lang[0] = '\0';
    ql_err_t e = {0};
    qs_termlist_t words = {0};
    qt_pipeline_t *pipe = qt_pipeline_new();
    int rc = -1;
    if (!pipe)
        ql_errf(&e, QL_E_NOMEM, "out of memory");
    else if (look_up(db, path, part, first, out, &e) == 0 &&
             (!query || query_words(pipe, query, db->shown_lang, &words, &e) == 0))
        rc = 0;
    if (pipe) qt_pipeline_set_lang(pipe, db->shown_lang); /* as the indexer stemmed its words */
    if (rc == 0 && words.n) {
        const unsigned a = out->line_start, from = a > context ? a - context : 1;
        if (mark_lines(db, pipe, &words, from, out->line_end + context, out) != 0)
            rc = ql_errf(&e, QL_E_NOMEM, "out of memory");
    }
    qs_termlist_free(&words);
    qt_pipeline_free(pipe);
    return rc == 0 ? QUIRE_OK : api_fail(db, &e);
}
