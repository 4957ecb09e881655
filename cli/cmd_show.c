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

int qc_cmd_show(int argc, char **argv)
{
    static const struct option longopts[] = {{"index", required_argument, NULL, 'i'},
                                             {"context", required_argument, NULL, 'C'},
                                             {"color", required_argument, NULL, 'c'},
                                             {"colour", required_argument, NULL, 'c'},
                                             {"query", required_argument, NULL, 'q'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *index_flag = NULL, *color = "auto", *query = NULL;
    long context = 2;
    int c;
    optind = 1;
    while ((c = qc_getopt("show", argc, argv, "C:q:h", longopts)) != -1) {
        unsigned long n = 0;
        switch (c) {
        case 'i':
            index_flag = optarg;
            break;
        case 'C':
            if (qc_parse_count("show", "-C", optarg, 0, 100000, &n)) return QC_EXIT_ERROR;
            context = (long)n;
            break;
        case 'c':
            color = optarg;
            break;
        case 'q':
            query = optarg;
            break;
        case 'h':
            fputs(show_usage, stdout);
            return QC_EXIT_OK;
        default:
            return QC_EXIT_ERROR;
        }
    }
    if (optind >= argc) return qc_usage("show", "no citation given (try: quire show FILE:LINE)");
    if (optind + 1 != argc)
        return qc_usage("show", "one citation at a time, not '%s'", argv[optind + 1]);
    cite_t cite;
    if (parse_citation(argv[optind], &cite) != 0) {
        qc_say("show: '%s' is not a citation (PATH:LINE or PATH:FIRST-LAST)", argv[optind]);
        return QC_EXIT_ERROR;
    }
    const char *no_color = getenv("NO_COLOR");
    const int use_color =
        !strcmp(color, "always") ||
        (!strcmp(color, "auto") && isatty(STDOUT_FILENO) && !(no_color && *no_color));
    qt_pipeline_t *pipe = qt_pipeline_new();
    qs_termlist_t words = {0};
    ql_err_t qe = {0};
    if (!pipe || (query && query_words(pipe, query, &words, &qe) != 0)) {
        if (!pipe) ql_errf(&qe, QL_E_NOMEM, "out of memory");
        qt_pipeline_free(pipe);
        qs_termlist_free(&words);
        return qc_fail(&qe);
    }
    char abs[PATH_MAX];
    char *text = NULL, *rec = NULL;
    size_t len = 0;
    ql_err_t fe = {0};
    if (!realpath(cite.path, abs)) ql_errf(&fe, QL_E_IO, "%s: %s", cite.path, strerror(errno));
    if (fe.msg[0] || ql_file_read(abs, (size_t)1 << 30, &text, &len, &fe) != 0) {
        qc_say("show: %s", fe.msg);
        qt_pipeline_free(pipe);
        qs_termlist_free(&words);
        return QC_EXIT_ERROR;
    }
    ql_index_t idx;
    ql_err_t e = {0};
    if (ql_index_open(qc_index_dir(index_flag), &idx, &e) != 0) {
        free(text);
        qt_pipeline_free(pipe);
        qs_termlist_free(&words);
        return qc_fail(&e);
    }
    /* which root the file is under, and its path there */
    uint32_t root = UINT32_MAX;
    const char *rel = NULL;
    for (size_t r = 0; r < idx.nroots; r++) {
        const size_t rl = strlen(idx.roots[r]);
        if (!strncmp(abs, idx.roots[r], rl) && abs[rl] == '/' && (!rel || abs + rl + 1 < rel)) {
            root = (uint32_t)r;
            rel = abs + rl + 1;
        }
    }
    ql_passage_t p;
    memset(&p, 0, sizeof p);
    int have = rel && find_passage(idx.db, root, rel, &cite, &p, &rec) == 0;
    int listed = 0, status = QC_EXIT_OK;
    const uint64_t was = rel ? indexed_hash(idx.db, root, rel, &listed) : 0;
    size_t bs = 0, be = 0;
    unsigned first = cite.first, last = cite.last;
    if (!listed) {
        qc_say("warning: %s is not in the index %s", cite.path, idx.path);
    } else if (was != qi_content_hash(text, len)) {
        /* find the passage's text in the file as it is now */
        const char *at = NULL;
        if (have && p.text_len && p.byte_end - p.byte_start == p.text_len)
            for (size_t i = 0; !at && i + p.text_len <= len; i++)
                if (!memcmp(text + i, p.text, p.text_len)) at = text + i;
        if (at) {
            bs = (size_t)(at - text);
            be = bs + p.text_len;
            first = line_of(text, bs);
            last = first;
            for (size_t i = bs; i < be; i++) last += text[i] == '\n';
            qc_say("warning: %s changed since it was indexed; the passage is now at lines %u-%u",
                   cite.path, first, last);
        } else {
            qc_say("warning: %s changed since it was indexed; the lines shown may not be the "
                   "passage",
                   cite.path);
            have = 0;
        }
    } else if (have) {
        bs = p.byte_start;
        be = p.byte_end;
        first = p.line_start;
        last = p.line_end;
    }
    if (!have && listed) {
        qc_say("no indexed passage at %s:%u", cite.path, cite.first);
        status = 1;
    }
    /* the lines, with context */
    ql_buf_t b = {0};
    if (have) {
        if (use_color) ql_buf_adds(&b, C_DIM);
        qc_sanitize_str(&b, cite.path);
        ql_buf_printf(&b, ":%u", first);
        if (last > first) ql_buf_printf(&b, "-%u", last);
        ql_buf_printf(&b, "  bytes %zu-%zu  ", bs, be);
        qc_sanitize(&b, p.title, p.title_len, 0);
        if (use_color) ql_buf_adds(&b, C_RESET);
        ql_buf_addc(&b, '\n');
    }
    const unsigned from = first > (unsigned)context ? first - (unsigned)context : 1;
    const unsigned to = last + (unsigned)context;
    unsigned line = 1;
    for (size_t i = 0; i <= len && line <= to;) {
        const char *nl = memchr(text + i, '\n', len - i);
        const size_t end = nl ? (size_t)(nl - text) : len;
        if (!nl && i == len && line > 1) break; /* no line after a final newline */
        if (line >= from) {
            const int in = line >= first && line <= last;
            if (use_color) ql_buf_adds(&b, C_LINE);
            ql_buf_printf(&b, "%u%c", line, in ? ':' : '-');
            if (use_color) ql_buf_adds(&b, C_RESET);
            marks_t mk = {NULL, 0, 0, &words, i};
            if (use_color && words.n) qt_tokenize(pipe, text + i, end - i, mark_word, &mk);
            int style = 0;            /* 0 plain, 1 the passage, 2 a query word */
            size_t next = 0, run = i; /* the run of one style being gathered */
            for (size_t k = i; k <= end; k++) {
                while (next < mk.n && mk.v[2 * next + 1] <= k) next++;
                const int want = k == end || !use_color               ? 0
                                 : next < mk.n && mk.v[2 * next] <= k ? 2
                                 : have && k >= bs && k < be          ? 1
                                                                      : 0;
                if (want == style && k < end) continue;
                qc_sanitize(&b, text + run, k - run, 0); /* the file's text is shown, not obeyed */
                run = k;
                if (want != style) {
                    if (style) ql_buf_adds(&b, C_RESET);
                    if (want) ql_buf_adds(&b, want == 2 || !words.n ? C_MATCH : C_BOLD);
                }
                style = want;
            }
            free(mk.v);
            ql_buf_addc(&b, '\n');
        }
        line++;
        i = end + 1;
    }
    if (b.oom || fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
        status = QC_EXIT_ERROR;
    ql_buf_free(&b);
    free(text);
    free(rec);
    qt_pipeline_free(pipe);
    qs_termlist_free(&words);
    ql_index_close(&idx);
    return status;
}
