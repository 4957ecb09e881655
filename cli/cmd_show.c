/*
 * cmd_show.c - `quire show CITATION [-C N]`: the cited passage as it stands
 * in the original file, with N lines of context and the passage's bytes
 * highlighted.
 *
 * CITATION is what search prints: PATH:LINE, PATH:FIRST-LAST, or vimgrep's
 * PATH:LINE:COL. quire_show() finds the passage and, when the file changed
 * since it was indexed, where its text is now; this file says what it
 * found and prints the lines.
 */
#include "cli.h"

#include "quire.h"

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
    "PATH:LINE:COL, as quire search prints them; in a document, PATH:pPAGE:LINE\n"
    "(PDF), PATH:chN:LINE (EPUB) or PATH:\xc2\xb6N (DOCX, ODT paragraph N), the\n"
    "part's extracted text shown. Warns when the file changed since it was indexed.\n"
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
    unsigned part, first, last;
} cite_t;

typedef struct {
    const char *index_flag, *color, *query;
    unsigned context;
    cite_t cite;
    int color_on;
    quire_shown_t v; /* what quire_show found */
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
    cite_t *ct = &sh->cite;
    if (quire_cite_parse(argv[optind], ct->path, sizeof ct->path, &ct->part, &ct->first,
                         &ct->last) != 0) {
        qc_say("show: '%s' is not a citation (PATH:LINE, PATH:FIRST-LAST, PATH:pPAGE:LINE, "
               "PATH:chN:LINE or PATH:\xc2\xb6N)",
               argv[optind]);
        return -1;
    }
    const char *no_color = getenv("NO_COLOR");
    sh->color_on =
        !strcmp(sh->color, "always") ||
        (!strcmp(sh->color, "auto") && isatty(STDOUT_FILENO) && !(no_color && *no_color));
    return 0;
}

/* Says on stderr what quire_show found; returns the exit status. */
static int report(const show_t *sh)
{
    const quire_shown_t *v = &sh->v;
    if (v->removed) {
        qc_say("warning: %s was removed since it was indexed; this is the indexed passage",
               sh->cite.path);
        return QC_EXIT_OK;
    }
    if (!v->indexed) {
        qc_say("warning: %s is not in the index %s", sh->cite.path, v->index_path);
        return QC_EXIT_OK;
    }
    if (v->changed && !v->found)
        qc_say("warning: %s changed since it was indexed; the lines shown may not be the passage",
               sh->cite.path);
    if (!v->found) {
        qc_say("no indexed passage at %s:%u", sh->cite.path, sh->cite.first);
        return QC_EXIT_NONE;
    }
    if (v->changed)
        qc_say("warning: %s changed since it was indexed; the passage is now at lines %u-%u",
               sh->cite.path, v->line_start, v->line_end);
    return QC_EXIT_OK;
}

/* One line of the file, text[i..end), numbered, its passage bytes and query
 * words styled when colour is on. */
static void print_line(const show_t *sh, qc_text_t *b, unsigned line, size_t i, size_t end)
{
    const quire_shown_t *v = &sh->v;
    const int in = line >= v->line_start && line <= v->line_end;
    if (sh->color_on) qc_text_adds(b, C_LINE);
    qc_text_printf(b, "%u%c", line, in ? ':' : '-');
    if (sh->color_on) qc_text_adds(b, C_RESET);
    const int query = sh->query != NULL;
    size_t m = 0;
    while (m < v->nmarks && v->marks[m].start < i) m++; /* the line's first mark */
    int style = 0;                                      /* 0 plain, 1 the passage, 2 a query word */
    size_t next = m, run = i;                           /* the run of one style being gathered */
    for (size_t k = i; k <= end; k++) {
        while (next < v->nmarks && v->marks[next].end <= k) next++;
        const int want = k == end || !sh->color_on                                             ? 0
                         : next < v->nmarks && v->marks[next].start <= k                       ? 2
                         : v->found && (v->removed || (k >= v->text_start && k < v->text_end)) ? 1
                                                                                               : 0;
        if (want == style && k < end) continue;
        qc_sanitize(b, v->text + run, k - run, 0); /* the file's text is shown, not obeyed */
        run = k;
        if (want != style) {
            if (style) qc_text_adds(b, C_RESET);
            if (want) qc_text_adds(b, want == 2 || !query ? C_MATCH : C_BOLD);
        }
        style = want;
    }
    qc_text_addc(b, '\n');
}

/* The header and the lines, with context. */
static int print_passage(const show_t *sh)
{
    const quire_shown_t *v = &sh->v;
    qc_text_t b = {0};
    if (v->found) {
        if (sh->color_on) qc_text_adds(&b, C_DIM);
        qc_sanitize_str(&b, sh->cite.path);
        char place[64];
        quire_cite_place(v->part_kind, v->part, v->line_start, v->line_end, place, sizeof place);
        qc_text_printf(&b, ":%s", place);
        qc_text_printf(&b, "  bytes %llu-%llu  ", (unsigned long long)v->byte_start,
                       (unsigned long long)v->byte_end);
        qc_sanitize(&b, v->title, v->title_len, 0);
        if (sh->color_on) qc_text_adds(&b, C_RESET);
        qc_text_addc(&b, '\n');
    }
    const unsigned from = v->line_start > sh->context ? v->line_start - sh->context : 1;
    const unsigned to = v->line_end + sh->context;
    unsigned line = v->text_line;
    const char *text = v->text ? v->text : "";
    for (size_t i = 0; i <= v->text_len && line <= to; line++) {
        const char *nl = memchr(text + i, '\n', v->text_len - i);
        const size_t end = nl ? (size_t)(nl - text) : v->text_len;
        if (!nl && i == v->text_len && line > v->text_line) break; /* none after a final newline */
        if (line >= from) print_line(sh, &b, line, i, end);
        i = end + 1;
    }
    const int rc = b.oom || fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0;
    qc_text_free(&b);
    return rc ? -1 : 0;
}

int qc_cmd_show(int argc, char **argv)
{
    show_t sh;
    memset(&sh, 0, sizeof sh);
    int status = QC_EXIT_ERROR;
    if (parse_show(argc, argv, &sh, &status) != 0) return status;
    const char *dir = qc_index_dir(sh.index_flag);
    if (!dir) return QC_EXIT_ERROR;
    quire_db_t *db = NULL;
    quire_status_t st = quire_db_open(&dir, 1, NULL, &db);
    if (st == QUIRE_OK)
        st = quire_show_part(db, sh.cite.path, sh.cite.part, sh.cite.first, sh.cite.last,
                             sh.context, sh.query, &sh.v);
    if (st != QUIRE_OK) {
        status = qc_fail_db(db, st);
    } else {
        status = report(&sh);
        if (print_passage(&sh) != 0) status = QC_EXIT_ERROR;
    }
    quire_db_close(db);
    return status;
}
