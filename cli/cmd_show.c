/*
 * cmd_show.c - `quire show CITATION [-C N]`: the cited passage as it stands
 * in the original file, with N lines of context and the passage's bytes
 * highlighted.
 *
 * CITATION is what search prints: PATH:LINE, PATH:FIRST-LAST, or vimgrep's
 * PATH:LINE:COL. The passage is looked up in the index (its P term lists
 * the file's passages); its stored byte span is what gets highlighted.
 * When the file changed since it was indexed (its checksum in the manifest
 * differs) a warning says so, and the passage is looked for in the new text
 * so the right lines are still shown when it only moved.
 */
#include "cli.h"

#include "file.h"

#include "index.h"
#include "layout.h"
#include "manifest.h"
#include "qt.h"
#include "query.h"
#include "record.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define C_MATCH "\033[1;31m"
#define C_LINE "\033[32m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

static const char show_usage[] =
    "usage: quire show [--index DIR] [-C N] [-q QUERY] [--color=WHEN] CITATION\n"
    "\n"
    "Prints the cited passage from the original file with N lines of context\n"
    "(default 2), its bytes highlighted (with -q, the passage in bold and the\n"
    "query's words, as search matched them, in red); passage lines are numbered 'N:',\n"
    "context lines 'N-' (as grep -n). CITATION is PATH:LINE, PATH:FIRST-LAST or\n"
    "PATH:LINE:COL, as quire search prints them. Warns when the file changed\n"
    "since it was indexed.\n"
    "\n"
    "  --index DIR          index directory (default: $QUIRE_INDEX, else ./.quire)\n"
    "  -C, --context N      lines of context before and after (default 2)\n"
    "  -q, --query QUERY    mark QUERY's words in the passage, as search matches them\n"
    "  --color=WHEN         auto (default; off when NO_COLOR is set), always, never\n"
    "  -h, --help           this help\n"
    "\n"
    "Exit status: 0 shown, 1 no indexed passage at that line (the lines are\n"
    "still shown), 2 error.\n";

typedef struct {
    char path[PATH_MAX];
    unsigned first, last;
} cite_t;

static int all_digits(const char *s, size_t n)
{
    if (n == 0 || n > 9) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* PATH:LINE, PATH:FIRST-LAST, PATH:LINE:COL (a path may hold ':'). */
static int parse_citation(const char *s, cite_t *c)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s) return -1;
    const char *tail = colon + 1;
    const char *prev = NULL;
    for (const char *p = colon - 1; p > s; p--)
        if (*p == ':') {
            prev = p;
            break;
        }
    /* PATH:LINE:COL: the column is dropped */
    if (prev && all_digits(tail, strlen(tail)) &&
        all_digits(prev + 1, (size_t)(colon - prev - 1))) {
        tail = prev + 1;
        colon = prev;
    }
    const char *dash = strchr(tail, '-');
    const size_t n1 = dash ? (size_t)(dash - tail) : strcspn(tail, ":");
    if (!all_digits(tail, n1)) return -1;
    c->first = c->last = (unsigned)strtoul(tail, NULL, 10);
    if (dash) {
        if (!all_digits(dash + 1, strcspn(dash + 1, ":"))) return -1;
        c->last = (unsigned)strtoul(dash + 1, NULL, 10);
    }
    if (c->first == 0 || c->last < c->first) return -1;
    const size_t plen = (size_t)(colon - s);
    if (plen >= sizeof c->path) return -1;
    memcpy(c->path, s, plen);
    c->path[plen] = '\0';
    return 0;
}

/* The passage of the file (root id, relpath) holding line c->first (the one
 * starting there when several do), decoded into *p over *data (caller
 * frees); 0 when found. */
static int find_passage(xq_db_t *db, uint32_t root, const char *rel, const cite_t *c,
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
            const int holds = q.line_start <= c->first && c->first <= q.line_end;
            /* the first that holds the line, unless a later one starts there */
            const int take =
                holds && (found != 0 || (q.line_start == c->first && p->line_start != c->first));
            if (take) {
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

/* The manifest's checksum of (root, rel), or 0 when it is not listed. */
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

/* The stems of the words a --query names (its words and phrases' words). */
static int query_words(qt_pipeline_t *pipe, const char *query, qs_termlist_t *out, ql_err_t *e)
{
    qs_query_t q;
    if (qs_query_parse(pipe, query, strlen(query), NULL, &q, e) != 0) return -1;
    int rc = 0;
    for (size_t i = 0; i < q.hl.n && rc == 0; i++)
        rc = qs_termlist_add(out, q.hl.terms[i], strlen(q.hl.terms[i]));
    for (size_t i = 0; i < q.nphrases && rc == 0; i++)
        for (size_t k = 0; k < q.phrases[i].n && rc == 0; k++)
            rc = qs_termlist_add(out, q.phrases[i].stems[k], strlen(q.phrases[i].stems[k]));
    qs_query_free(&q);
    return rc ? ql_errf(e, QL_E_NOMEM, "out of memory") : 0;
}

typedef struct {
    size_t *v; /* [start, end) pairs, absolute offsets in the file */
    size_t n, cap;
    const qs_termlist_t *words;
    size_t base; /* where the tokenized line starts */
} marks_t;

/* A word of the shown line whose stem the query names: marked. */
static int mark_word(void *ctx, const qt_token_t *t)
{
    marks_t *m = ctx;
    if (!qs_termlist_has(m->words, t->stem, t->stem_len)) return 0;
    if (m->n == m->cap) {
        const size_t cap = m->cap ? m->cap * 2 : 16;
        size_t *v = realloc(m->v, 2 * cap * sizeof *v);
        if (!v) return 0; /* fewer marks, not a failure */
        m->v = v;
        m->cap = cap;
    }
    m->v[2 * m->n] = m->base + t->start;
    m->v[2 * m->n + 1] = m->base + t->end;
    m->n++;
    return 0;
}

/* Line number (1-based) of byte off of data. */
static unsigned line_of(const char *data, size_t off)
{
    unsigned line = 1;
    for (size_t i = 0; i < off; i++) line += data[i] == '\n';
    return line;
}

typedef struct {
    const char *index_flag, *color, *query;
    unsigned context;
    cite_t cite;
    int color_on;
    qt_pipeline_t *pipe;
    qs_termlist_t words; /* the query's stems, to mark */
    char *text;          /* the cited file */
    size_t len;
    ql_passage_t p; /* the indexed passage, when have */
    char *rec;      /* p's record */
    int have;
    size_t bs, be;        /* the passage's bytes in the file as it is now */
    unsigned first, last; /* ... and its lines (else the cited ones) */
} show_t;

/* Options and the citation. -1: the run is over, *status says how. */
static int parse_show(int argc, char **argv, show_t *sh, int *status)
{
    static const struct option longopts[] = {{"index", required_argument, NULL, 'i'},
                                             {"context", required_argument, NULL, 'C'},
                                             {"color", required_argument, NULL, 'c'},
                                             {"colour", required_argument, NULL, 'c'},
                                             {"query", required_argument, NULL, 'q'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    sh->color = "auto";
    sh->context = 2;
    *status = QC_EXIT_ERROR;
    optind = 1;
    int c;
    unsigned long n = 0;
    while ((c = qc_getopt("show", argc, argv, "C:q:h", longopts)) != -1) {
        if (c == 'i')
            sh->index_flag = optarg;
        else if (c == 'c')
            sh->color = optarg;
        else if (c == 'q')
            sh->query = optarg;
        else if (c == 'C' && qc_parse_count("show", "-C", optarg, 0, 100000, &n) == 0)
            sh->context = (unsigned)n;
        else if (c == 'h') {
            fputs(show_usage, stdout);
            *status = QC_EXIT_OK;
            return -1;
        } else
            return -1;
    }
    if (optind >= argc)
        return qc_usage("show", "no citation given (try: quire show FILE:LINE)"), -1;
    if (optind + 1 != argc)
        return qc_usage("show", "one citation at a time, not '%s'", argv[optind + 1]), -1;
    if (parse_citation(argv[optind], &sh->cite) != 0) {
        qc_say("show: '%s' is not a citation (PATH:LINE or PATH:FIRST-LAST)", argv[optind]);
        return -1;
    }
    const char *no_color = getenv("NO_COLOR");
    sh->color_on =
        !strcmp(sh->color, "always") ||
        (!strcmp(sh->color, "auto") && isatty(STDOUT_FILENO) && !(no_color && *no_color));
    return 0;
}

/* Finds the cited passage in the index and, when the file changed since,
 * where its text is now; says what it finds on stderr. Returns the exit
 * status so far. */
static int place(show_t *sh, const ql_index_t *idx, const char *abs)
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
    sh->have = rel && find_passage(idx->db, root, rel, &sh->cite, &sh->p, &sh->rec) == 0;
    int listed = 0;
    const uint64_t was = rel ? indexed_hash(idx->db, root, rel, &listed) : 0;
    const ql_passage_t *p = &sh->p;
    sh->first = sh->cite.first;
    sh->last = sh->cite.last;
    if (!listed) {
        qc_say("warning: %s is not in the index %s", sh->cite.path, idx->path);
        return QC_EXIT_OK;
    }
    if (was == qi_content_hash(sh->text, sh->len)) {
        if (!sh->have) {
            qc_say("no indexed passage at %s:%u", sh->cite.path, sh->cite.first);
            return QC_EXIT_NONE;
        }
        sh->bs = p->byte_start;
        sh->be = p->byte_end;
        sh->first = p->line_start;
        sh->last = p->line_end;
        return QC_EXIT_OK;
    }
    /* the file changed: find the passage's text in it as it is now */
    const char *at = NULL;
    if (sh->have && p->text_len && p->byte_end - p->byte_start == p->text_len)
        for (size_t i = 0; !at && i + p->text_len <= sh->len; i++)
            if (!memcmp(sh->text + i, p->text, p->text_len)) at = sh->text + i;
    if (!at) {
        qc_say("warning: %s changed since it was indexed; the lines shown may not be the passage",
               sh->cite.path);
        sh->have = 0;
        qc_say("no indexed passage at %s:%u", sh->cite.path, sh->cite.first);
        return QC_EXIT_NONE;
    }
    sh->bs = (size_t)(at - sh->text);
    sh->be = sh->bs + p->text_len;
    sh->first = line_of(sh->text, sh->bs);
    sh->last = sh->first;
    for (size_t i = sh->bs; i < sh->be; i++) sh->last += sh->text[i] == '\n';
    qc_say("warning: %s changed since it was indexed; the passage is now at lines %u-%u",
           sh->cite.path, sh->first, sh->last);
    return QC_EXIT_OK;
}

/* One line of the file, text[i..end), numbered, its passage bytes and query
 * words styled when colour is on. */
static void print_line(const show_t *sh, ql_buf_t *b, unsigned line, size_t i, size_t end)
{
    const int in = line >= sh->first && line <= sh->last;
    if (sh->color_on) ql_buf_adds(b, C_LINE);
    ql_buf_printf(b, "%u%c", line, in ? ':' : '-');
    if (sh->color_on) ql_buf_adds(b, C_RESET);
    marks_t mk = {NULL, 0, 0, &sh->words, i};
    if (sh->color_on && sh->words.n) qt_tokenize(sh->pipe, sh->text + i, end - i, mark_word, &mk);
    int style = 0;            /* 0 plain, 1 the passage, 2 a query word */
    size_t next = 0, run = i; /* the run of one style being gathered */
    for (size_t k = i; k <= end; k++) {
        while (next < mk.n && mk.v[2 * next + 1] <= k) next++;
        const int want = k == end || !sh->color_on               ? 0
                         : next < mk.n && mk.v[2 * next] <= k    ? 2
                         : sh->have && k >= sh->bs && k < sh->be ? 1
                                                                 : 0;
        if (want == style && k < end) continue;
        qc_sanitize(b, sh->text + run, k - run, 0); /* the file's text is shown, not obeyed */
        run = k;
        if (want != style) {
            if (style) ql_buf_adds(b, C_RESET);
            if (want) ql_buf_adds(b, want == 2 || !sh->words.n ? C_MATCH : C_BOLD);
        }
        style = want;
    }
    free(mk.v);
    ql_buf_addc(b, '\n');
}

/* The header and the lines, with context. */
static int print_passage(const show_t *sh)
{
    ql_buf_t b = {0};
    if (sh->have) {
        if (sh->color_on) ql_buf_adds(&b, C_DIM);
        qc_sanitize_str(&b, sh->cite.path);
        ql_buf_printf(&b, ":%u", sh->first);
        if (sh->last > sh->first) ql_buf_printf(&b, "-%u", sh->last);
        ql_buf_printf(&b, "  bytes %zu-%zu  ", sh->bs, sh->be);
        qc_sanitize(&b, sh->p.title, sh->p.title_len, 0);
        if (sh->color_on) ql_buf_adds(&b, C_RESET);
        ql_buf_addc(&b, '\n');
    }
    const unsigned from = sh->first > sh->context ? sh->first - sh->context : 1;
    const unsigned to = sh->last + sh->context;
    unsigned line = 1;
    for (size_t i = 0; i <= sh->len && line <= to; line++) {
        const char *nl = memchr(sh->text + i, '\n', sh->len - i);
        const size_t end = nl ? (size_t)(nl - sh->text) : sh->len;
        if (!nl && i == sh->len && line > 1) break; /* no line after a final newline */
        if (line >= from) print_line(sh, &b, line, i, end);
        i = end + 1;
    }
    const int rc = b.oom || fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0;
    ql_buf_free(&b);
    return rc ? -1 : 0;
}

int qc_cmd_show(int argc, char **argv)
{
    show_t sh;
    memset(&sh, 0, sizeof sh);
    int status = QC_EXIT_ERROR;
    if (parse_show(argc, argv, &sh, &status) != 0) return status;
    ql_err_t e = {0};
    ql_index_t idx;
    memset(&idx, 0, sizeof idx);
    char abs[PATH_MAX];
    if (!(sh.pipe = qt_pipeline_new())) {
        ql_errf(&e, QL_E_NOMEM, "out of memory");
    } else if (sh.query && query_words(sh.pipe, sh.query, &sh.words, &e) != 0) {
        /* e says why */
    } else if (!realpath(sh.cite.path, abs)) {
        ql_errf(&e, QL_E_IO, "show: %s: %s", sh.cite.path, strerror(errno));
    } else if (ql_file_read(abs, (size_t)1 << 30, &sh.text, &sh.len, &e) == 0 &&
               ql_index_open(qc_index_dir(sh.index_flag), &idx, &e) == 0) {
        status = place(&sh, &idx, abs);
        if (print_passage(&sh) != 0) status = QC_EXIT_ERROR;
        e.msg[0] = '\0';
    }
    if (e.msg[0]) status = qc_fail(&e);
    free(sh.text);
    free(sh.rec);
    qt_pipeline_free(sh.pipe);
    qs_termlist_free(&sh.words);
    if (idx.db) ql_index_close(&idx);
    return status;
}
