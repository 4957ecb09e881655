/*
 * cmd_search.c - `quire search [OPTIONS] QUERY...`: reads the options (GNU
 * style: anywhere among the query words, "--" ending them), runs the query
 * through the search core and prints each hit with the text, JSON, vimgrep
 * or file-list printer, or only their number (-c).
 */
#include "cli.h"
#include "printer.h"

#include "quire.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char search_usage[] =
    "usage: quire search [OPTIONS] QUERY...\n"
    "\n"
    "Ranks passages by how well they match QUERY; prints each with its citation\n"
    "(file:line, byte range), article title and a highlighted snippet. Options may\n"
    "come before, between or after the query's words; after -- everything is query\n"
    "(quire search -- -foo).\n"
    "\n"
    "  --index DIR          index directory (default: $QUIRE_INDEX, else ./.quire);\n"
    "                       repeat it to search several shards as one index, each\n"
    "                       a directory, tcp://HOST:PORT (quire serve) or a file\n"
    "                       listing them one per line (cluster.conf)\n"
    "  --timeout SECONDS    give up on a remote shard after this long (default 5)\n"
    "  --allow-partial      answer from the shards that answer, with a warning naming\n"
    "                       the others, instead of failing\n"
    "  -n, --limit N        show N hits (default 10; 1 to 100000)\n"
    "  --offset N           skip the first N hits\n"
    "  -c, --count          print only how many passages match (\"about N\" when\n"
    "                       more than a million must be counted)\n"
    "  --json               one JSON object per hit, per line (--format=json)\n"
    "  --format=FMT         text (default), json, or vimgrep: path:line:col:snippet\n"
    "  -l, --files-with-matches\n"
    "                       print only the files with matching passages, best first\n"
    "  --since DATE, --until DATE\n"
    "                       only articles dated from / up to DATE (2023, 2023-05,\n"
    "                       2023-05-05, May 5 2023; inclusive); undated ones are left out\n"
    "  --sort=ORDER         relevance (default) or date: newest first\n";

/* The rest of --help (C11 promises string literals of 4095 bytes). */
static const char search_usage_more[] =
    "  --brief              with --json or --batch: citations and scores only (no\n"
    "                       title, snippet or text)\n"
    "  --batch              read one query per line from stdin; print one JSON object\n"
    "                       per query: {\"query\",\"total\",\"hits\":[...]} or\n"
    "                       {\"query\",\"error\"} for a query that cannot be searched\n"
    "  --explain            show, for each hit, which query words matched it (and as\n"
    "                       which word of the passage, alias or title) and each one's\n"
    "                       share of its score\n"
    "  --language LANG      the query is in LANG (fr, de, ru ...): its words are stemmed\n"
    "                       as LANG's alone; by default each is looked up in every\n"
    "                       language the index holds (lang:LANG also keeps only\n"
    "                       passages in LANG)\n"
    "  --all-words          search common words too (which, the, of); by default they\n"
    "                       count only in phrases and aliases, or when the query has\n"
    "                       nothing else\n"
    "  --partial-matches    list the best partial matches of a short query even when\n"
    "                       no passage holds half of it\n"
    "  --strict             a query that does not parse is an error (by default its\n"
    "                       words are searched as plain text, with a warning), and a\n"
    "                       query nothing matches is not searched as corrected\n"
    "  --aliases FILE       more aliases (one group per line, names separated by |),\n"
    "                       besides the built-in ones and ~/.config/quire/aliases.txt\n"
    "  --color=WHEN         auto (default; off when NO_COLOR is set), always, never\n"
    "  --k1 X, --b X        BM25 parameters (default 1.6, 0.6)\n"
    "  --coord X            weight of query coverage (default 2; 0 = plain BM25)\n"
    "  --prox X             bonus for adjacent query words found near each other\n"
    "  --title-weight X     weight of query words found in the article title\n"
    "  --prf D,T,W          feedback: re-rank by the T terms best describing the top D\n"
    "                       passages, weighted W (0,0,0 turns it off)\n"
    "  -h, --help           this help\n"
    "\n"
    "query syntax (operators in capitals):\n"
    "  sanctions russia     passages with more of the words rank first\n"
    "  '\"Group of Friends\"' a phrase (quote it from the shell)\n"
    "  sanct*               words starting with sanct (2 letters at least)\n"
    "  a NEAR b, a NEAR/5 b the words or phrases at most 5 words apart (NEAR: 10)\n"
    "  a AND b, a OR b, a NOT b, -word, +word, ( ... )\n"
    "  title:word, file:name   only passages whose title has the word / whose\n"
    "                       file path has a component starting with name\n"
    "  date:2023, date:2021..2023-06, date:..2022   only articles dated then\n"
    "  source:tass, source:\"Russian MFA\"           only articles from that source\n"
    "\n"
    "Exit status: 0 hits found, 1 no hits, 2 error.\n";

enum format { F_TEXT, F_JSON, F_VIMGREP, F_FILES, F_COUNT };

static const char *const format_flag[] = {"--format=text", "--json", "--format=vimgrep", "-l",
                                          "-c"};

typedef struct {
    quire_search_opts_t o;
    quire_open_opts_t oo;
    const char *indexes[QC_MAX_INDEXES];
    size_t nindexes;
    const char *color, *aliases;
    enum format format;
    int format_set; /* an output mode was chosen (two different ones conflict) */
    int batch, limit_set;
} args_t;

typedef struct {
    qc_printer_t pr;
    int failed;
    qc_text_t *batch; /* --batch: hits are gathered here */
    enum format format;
    qc_text_t files; /* -l: the files printed, NUL-separated */
    unsigned nfiles;
    unsigned stale; /* hits whose file changed or went since indexing */
} print_ctx_t;

/* -l: the hit's file, once. */
static int print_file(print_ctx_t *pc, const quire_hit_t *hit)
{
    qc_text_t f = {0};
    qc_display_path(&f, hit->root, hit->path, hit->path_len);
    qc_text_addc(&f, '\0');
    int seen = 0;
    for (size_t i = 0; !f.oom && i < pc->files.len; i += strlen(pc->files.data + i) + 1)
        if (!strcmp(pc->files.data + i, f.data)) seen = 1;
    int rc = f.oom ? -1 : 0;
    if (rc == 0 && !seen) {
        qc_text_add(&pc->files, f.data, f.len);
        pc->nfiles++;
        qc_text_reset(&pc->pr.buf);
        qc_sanitize(&pc->pr.buf, f.data, f.len - 1, 0);
        qc_text_addc(&pc->pr.buf, '\n');
        rc = pc->files.oom || pc->pr.buf.oom ||
                     fwrite(pc->pr.buf.data, 1, pc->pr.buf.len, stdout) != pc->pr.buf.len
                 ? -1
                 : 0;
    }
    qc_text_free(&f);
    return rc;
}

static int on_hit(void *ctx, const quire_hit_t *hit)
{
    print_ctx_t *pc = ctx;
    pc->stale += hit->stale != QUIRE_FRESH;
    if (pc->batch) {
        if (hit->rank > pc->pr.first_rank) qc_text_addc(pc->batch, ',');
        qc_json_hit(pc->batch, hit, pc->pr.brief);
        return pc->batch->oom ? -1 : 0;
    }
    int rc = 0;
    switch (pc->format) {
    case F_JSON:
        rc = qc_print_json(&pc->pr, hit);
        break;
    case F_VIMGREP:
        rc = qc_print_vimgrep(&pc->pr, hit);
        break;
    case F_FILES:
        rc = print_file(pc, hit);
        break;
    case F_COUNT:
        break;
    default:
        rc = qc_print_text(&pc->pr, hit);
    }
    if (rc) pc->failed = 1;
    return rc;
}

/* --batch: one query per input line, one JSON object per query. A query that
 * cannot be searched gets an "error" member; any other failure stops the run. */
static int run_batch(quire_db_t *db, const quire_search_opts_t *o, print_ctx_t *pc)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    qc_text_t out = {0};
    quire_status_t st = QUIRE_OK;
    pc->batch = &out;
    while (st == QUIRE_OK && (n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        qc_text_reset(&out);
        qc_text_adds(&out, "{\"query\":");
        qc_json_string(&out, line, (size_t)n);
        const size_t mark = out.len;
        qc_text_adds(&out, ",\"hits\":[");
        quire_result_t res;
        st = quire_search(db, line, (size_t)n, o, on_hit, pc, &res);
        if (st == QUIRE_OK) {
            qc_text_addc(&out, ']');
            qc_json_result(&out, &res);
            qc_text_adds(&out, "}\n");
        } else if (st == QUIRE_BAD_QUERY) {
            st = QUIRE_OK;
            out.len = mark;
            qc_text_adds(&out, ",\"error\":");
            qc_json_string(&out, quire_db_error(db), strlen(quire_db_error(db)));
            qc_text_adds(&out, "}\n");
        } else {
            break;
        }
        /* flushed per query, so a script can drive one process line by line */
        if (out.oom || fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
            qc_say("cannot write the results");
            pc->failed = 1;
            break;
        }
    }
    free(line);
    qc_text_free(&out);
    pc->batch = NULL;
    if (pc->failed) return QC_EXIT_ERROR;
    return st == QUIRE_OK ? QC_EXIT_OK : qc_fail_db(db, st);
}

static int terminal_width(void)
{
    struct winsize ws;
    int w = 0;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) w = ws.ws_col;
    const char *columns = getenv("COLUMNS");
    if (w <= 0 && columns) w = atoi(columns);
    if (w <= 0) w = 100;
    return w < 40 ? 40 : w > 120 ? 120 : w;
}

/* ------------------------------------------------------------ options */

enum {
    O_INDEX = 256,
    O_JSON,
    O_BATCH,
    O_COLOR,
    O_OFFSET,
    O_K1,
    O_B,
    O_COORD,
    O_PROX,
    O_TITLEW,
    O_PRF,
    O_BRIEF,
    O_ALIASES,
    O_EXPLAIN,
    O_TIMEOUT,
    O_PARTIAL,
    O_FORMAT,
    O_SINCE,
    O_UNTIL,
    O_SORT,
    O_ALLWORDS,
    O_LANGUAGE,
    O_STRICT,
    O_WEAK
};

static const struct option longopts[] = {{"index", required_argument, NULL, O_INDEX},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"offset", required_argument, NULL, O_OFFSET},
                                         {"count", no_argument, NULL, 'c'},
                                         {"json", no_argument, NULL, O_JSON},
                                         {"batch", no_argument, NULL, O_BATCH},
                                         {"color", required_argument, NULL, O_COLOR},
                                         {"colour", required_argument, NULL, O_COLOR},
                                         {"k1", required_argument, NULL, O_K1},
                                         {"b", required_argument, NULL, O_B},
                                         {"coord", required_argument, NULL, O_COORD},
                                         {"prox", required_argument, NULL, O_PROX},
                                         {"title-weight", required_argument, NULL, O_TITLEW},
                                         {"prf", required_argument, NULL, O_PRF},
                                         {"brief", no_argument, NULL, O_BRIEF},
                                         {"aliases", required_argument, NULL, O_ALIASES},
                                         {"explain", no_argument, NULL, O_EXPLAIN},
                                         {"timeout", required_argument, NULL, O_TIMEOUT},
                                         {"allow-partial", no_argument, NULL, O_PARTIAL},
                                         {"format", required_argument, NULL, O_FORMAT},
                                         {"files-with-matches", no_argument, NULL, 'l'},
                                         {"since", required_argument, NULL, O_SINCE},
                                         {"until", required_argument, NULL, O_UNTIL},
                                         {"sort", required_argument, NULL, O_SORT},
                                         {"all-words", no_argument, NULL, O_ALLWORDS},
                                         {"language", required_argument, NULL, O_LANGUAGE},
                                         {"strict", no_argument, NULL, O_STRICT},
                                         {"partial-matches", no_argument, NULL, O_WEAK},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};

/* An output mode; a second, different one is a usage error. */
static int set_format(args_t *a, enum format f)
{
    if (a->format_set && a->format != f)
        return qc_usage("search", "%s and %s cannot be combined", format_flag[a->format],
                        format_flag[f]);
    a->format = f;
    a->format_set = 1;
    return 0;
}

/* A real number >= 0 for a ranking knob. */
static int parse_real(const char *flag, const char *s, double hi, double *out)
{
    char *end = NULL;
    const double v = strtod(s, &end);
    if (end == s || *end || !(v >= 0 && v <= hi))
        return qc_usage("search", "%s takes a number from 0 to %g, not '%s'", flag, hi, s);
    *out = v;
    return 0;
}

/* --since / --until: a date, as its first or last day. */
static int parse_date_flag(const char *flag, const char *s, int last, uint32_t *out)
{
    uint32_t lo = 0, hi = 0;
    if (quire_date_span(s, strlen(s), &lo, &hi) != QUIRE_OK)
        return qc_usage("search", "%s takes a date (2023, 2023-05, 2023-05-05), not '%s'", flag, s);
    *out = last ? hi : lo;
    return 0;
}

/* Options that choose what is printed. 1: not one of them. */
static int output_option(args_t *a, int c, const char *arg)
{
    switch (c) {
    case O_FORMAT:
        if (!strcmp(arg, "text")) return set_format(a, F_TEXT);
        if (!strcmp(arg, "json")) return set_format(a, F_JSON);
        if (!strcmp(arg, "vimgrep")) return set_format(a, F_VIMGREP);
        return qc_usage("search", "--format takes text, json or vimgrep, not '%s'", arg);
    case O_JSON:
        return set_format(a, F_JSON);
    case 'l':
        return set_format(a, F_FILES);
    case 'c':
        return set_format(a, F_COUNT);
    case O_BATCH:
        a->batch = 1;
        return 0;
    case O_BRIEF:
        a->o.snippet_width = 0;
        return 0;
    case O_EXPLAIN:
        a->o.explain = 1;
        return 0;
    case O_COLOR:
        if (strcmp(arg, "auto") != 0 && strcmp(arg, "always") != 0 && strcmp(arg, "never") != 0)
            return qc_usage("search", "--color takes auto, always or never, not '%s'", arg);
        a->color = arg;
        return 0;
    }
    return 1;
}

/* Options that choose what is searched and how it is ranked. 1: not one. */
static int search_option(args_t *a, int c, const char *arg)
{
    unsigned long n = 0;
    switch (c) {
    case 'n':
        a->limit_set = 1;
        if (qc_parse_count("search", "-n", arg, 1, 100000, &n)) return QC_EXIT_ERROR;
        a->o.limit = (unsigned)n;
        return 0;
    case O_OFFSET:
        if (qc_parse_count("search", "--offset", arg, 0, 100000, &n)) return QC_EXIT_ERROR;
        a->o.offset = (unsigned)n;
        return 0;
    case O_SINCE:
    case O_UNTIL:
        return parse_date_flag(c == O_SINCE ? "--since" : "--until", arg, c == O_UNTIL,
                               c == O_SINCE ? &a->o.since : &a->o.until);
    case O_SORT:
        if (strcmp(arg, "date") != 0 && strcmp(arg, "relevance") != 0)
            return qc_usage("search", "--sort takes relevance or date, not '%s'", arg);
        a->o.sort_by_date = !strcmp(arg, "date");
        return 0;
    case O_ALLWORDS:
        a->o.all_words = 1;
        return 0;
    case O_LANGUAGE:
        if (!quire_language_tag(arg))
            return qc_usage("search",
                            "--language takes a language tag (en, ru, zh-Hans, fr-CA), not '%s'",
                            arg);
        a->o.language = arg;
        return 0;
    case O_STRICT:
        a->o.strict = 1;
        return 0;
    case O_WEAK:
        a->o.partial_matches = 1;
        return 0;
    case O_ALIASES:
        a->aliases = arg;
        return 0;
    case O_K1:
        return parse_real("--k1", arg, 100, &a->o.k1);
    case O_B:
        return parse_real("--b", arg, 1, &a->o.b);
    case O_COORD:
        return parse_real("--coord", arg, 100, &a->o.coord);
    case O_PROX:
        return parse_real("--prox", arg, 1000, &a->o.prox);
    case O_TITLEW:
        return parse_real("--title-weight", arg, 1000, &a->o.title);
    case O_PRF: {
        double d = 0, t = 0, w = 0;
        char tail = 0;
        if (sscanf(arg, "%lf,%lf,%lf%c", &d, &t, &w, &tail) != 3 || !(d >= 0 && d <= 1000) ||
            !(t >= 0 && t <= 1000) || !(w >= 0 && w <= 100))
            return qc_usage("search", "--prf takes DOCS,TERMS,WEIGHT (10,20,1.4), not '%s'", arg);
        a->o.prf_docs = (unsigned)d;
        a->o.prf_terms = (unsigned)t;
        a->o.prf_weight = w;
        return 0;
    }
    }
    return 1;
}

/* Options that choose which index is searched. 1: not one of them. */
static int index_option(args_t *a, int c, const char *arg)
{
    double secs = 0;
    switch (c) {
    case O_INDEX:
        if (a->nindexes == QC_MAX_INDEXES)
            return qc_usage("search", "at most %d --index (list more in a file)", QC_MAX_INDEXES);
        a->indexes[a->nindexes++] = arg;
        return 0;
    case O_PARTIAL:
        a->oo.allow_partial = 1;
        return 0;
    case O_TIMEOUT:
        if (parse_real("--timeout", arg, 3600, &secs)) return QC_EXIT_ERROR;
        if (secs < 0.001) return qc_usage("search", "--timeout takes 0.001 to 3600 seconds");
        a->oo.timeout_ms = (unsigned)(secs * 1000 + 0.5);
        return 0;
    }
    return 1;
}

/* Reads argv into a and the query words into query. Returns -1 when the
 * run is over: *status says how (help printed, or a usage error). */
static int parse_args(int argc, char **argv, args_t *a, qc_text_t *query, int *status)
{
    quire_search_opts_init(&a->o);
    const char *limit = qc_config("limit", NULL);
    if (limit) a->o.limit = (unsigned)strtoul(limit, NULL, 10);
    a->color = qc_config("color", NULL) ? qc_config("color", NULL) : "auto";
    a->aliases = qc_config("aliases", NULL);
    optind = 1;
    int c, rc = 0;
    *status = QC_EXIT_ERROR;
    while (rc == 0 && (c = qc_getopt("search", argc, argv, "n:hlc", longopts)) != -1) {
        if (c == '?') return -1;
        if (c == 'h') {
            fputs(search_usage, stdout);
            fputs(search_usage_more, stdout);
            *status = QC_EXIT_OK;
            return -1;
        }
        rc = output_option(a, c, optarg);
        if (rc == 1) rc = search_option(a, c, optarg);
        if (rc == 1) rc = index_option(a, c, optarg);
    }
    if (rc) return -1;
    if (a->o.since && a->o.until && a->o.since > a->o.until) {
        qc_usage("search", "--since is later than --until");
        return -1;
    }
    if (a->batch && a->format != F_TEXT && a->format != F_JSON) {
        qc_usage("search", "--batch prints JSON; it cannot be combined with %s",
                 format_flag[a->format]);
        return -1;
    }
    if (a->batch && optind < argc) {
        qc_usage("search", "--batch reads queries from stdin, not arguments");
        return -1;
    }
    if (!a->batch && optind >= argc) {
        qc_usage("search", "no query given (try: quire search unilateral sanctions)");
        return -1;
    }
    for (int i = optind; i < argc; i++) {
        if (i > optind) qc_text_addc(query, ' ');
        qc_text_adds(query, argv[i]);
    }
    if (a->format == F_FILES) {
        a->o.snippet_width = 0;                 /* only file names are printed */
        if (!a->limit_set) a->o.limit = 100000; /* every file, as grep -l */
    }
    if (a->format == F_COUNT) {
        a->o.snippet_width = 0;
        a->o.limit = 0;
        a->o.count = 1;
    }
    return 0;
}

/* ------------------------------------------------------------ results */

/* The next space-separated piece of *at (ending at end): its start, *n its
 * length, *at past it; NULL when only spaces are left. */
static const char *next_piece(const char **at, const char *end, size_t *n)
{
    const char *p = *at;
    while (p < end && isspace((unsigned char)*p)) p++;
    if (p == end) return NULL;
    const char *q = p;
    while (q < end && !isspace((unsigned char)*q)) q++;
    *n = (size_t)(q - p);
    *at = q;
    return p;
}

/* Adds to w "new (for old)" for each piece of fixed that differs from
 * typed's. Returns 0 when the pieces do not pair up (then w is not used). */
static int changed_words(const char *typed, size_t tlen, const char *fixed, qc_text_t *w)
{
    const char *t = typed, *tend = typed + tlen, *f = fixed, *fend = fixed + strlen(fixed);
    size_t tn = 0, fn = 0;
    for (;;) {
        const char *tp = next_piece(&t, tend, &tn), *fp = next_piece(&f, fend, &fn);
        if (!tp || !fp) return !tp && !fp && w->len > 0;
        if (tn == fn && !memcmp(tp, fp, tn)) continue;
        if (w->len) qc_text_adds(w, ", ");
        qc_text_add(w, fp, fn);
        qc_text_adds(w, " (for ");
        qc_text_add(w, tp, tn);
        qc_text_adds(w, ")");
    }
}

/* Says lead and the corrected query; a long one (a pasted paragraph) by the
 * words it changed, as the whole would repeat the paragraph. Did-you-mean
 * replaces words where they stand, so the two texts pair up piece by piece. */
static void say_corrected(const char *lead, const char *typed, size_t tlen, const char *fixed)
{
    enum { WHOLE_UP_TO = 60 }; /* bytes: a query that reads at a glance */
    qc_text_t w = {0};
    if (strlen(fixed) > WHOLE_UP_TO && changed_words(typed, tlen, fixed, &w) && !w.oom)
        qc_say("%s%s", lead, w.data);
    else
        qc_say("%s%s", lead, fixed);
    qc_text_free(&w);
}

/* What the search said besides its hits, on stderr (and, for text on a
 * terminal, the count line on stdout). */
static int report(const args_t *a, const qc_text_t *query, const quire_result_t *res, int tty,
                  unsigned stale)
{
    const char *typed = query->data ? query->data : "";
    const int json = a->format == F_JSON;
    if (res->warning) qc_say("warning: %s", res->warning);
    if (res->missing) qc_say("warning: searched without %s", res->missing);
    if (res->abstained && !json)
        fprintf(stderr,
                "quire: no passage holds half of the query (the best holds %.0f%% of its "
                "weight); --partial-matches lists the best partial matches\n",
                100 * res->best_coverage);
    else if (!res->hits && !json && a->format != F_COUNT && tty)
        fputs("quire: no passages match\n", stderr);
    if (res->corrected && !json)
        say_corrected("nothing matches the query as typed; showing results for: ", typed,
                      query->len, res->did_you_mean);
    else if (res->did_you_mean && !json)
        say_corrected("did you mean: ", typed, query->len, res->did_you_mean);
    if (stale)
        qc_say("%u of these hits cite%s a file changed or removed since indexing; to update the "
               "index: quire index",
               stale, stale == 1 ? "s" : "");
    if (res->nignored && a->o.explain && !json) {
        qc_text_t w = {0};
        for (size_t i = 0; i < res->nignored; i++) {
            if (i) qc_text_adds(&w, ", ");
            qc_text_adds(&w, res->ignored[i]);
        }
        qc_say("not searched, too common: %s (--all-words searches them)", w.data ? w.data : "");
        qc_text_free(&w);
    }
    if (a->format == F_COUNT)
        return printf("%s%u\n", res->total_exact ? "" : "about ", res->total) < 0 ? -1 : 0;
    if (json && !res->hits) { /* no hit line to carry what the search said */
        qc_text_t b = {0};
        qc_text_adds(&b, "{\"hits\":0");
        qc_json_result(&b, res);
        qc_text_adds(&b, "}\n");
        const int rc = b.oom || fwrite(b.data, 1, b.len, stdout) != b.len ? -1 : 0;
        qc_text_free(&b);
        return rc;
    }
    if (a->format == F_TEXT && tty && res->hits) {
        const unsigned first = a->o.offset + 1, last = a->o.offset + res->hits;
        char range[48];
        if (first == 1)
            snprintf(range, sizeof range, "%u", last);
        else
            snprintf(range, sizeof range, "%u-%u", first, last);
        return printf("%s of %s%u passage%s\n", range, res->total_exact ? "" : "about ", res->total,
                      res->total == 1 ? "" : "s") < 0
                   ? -1
                   : 0;
    }
    return 0;
}

/* Opens the indexes a names, and its aliases file; a status, the error
 * text on *db. */
static quire_status_t open_db(const args_t *a, quire_db_t **db)
{
    quire_status_t st = quire_db_open(a->indexes, a->nindexes, &a->oo, db);
    if (st == QUIRE_OK && a->aliases) st = quire_db_add_aliases(*db, a->aliases);
    return st;
}

/* One query from the arguments: its hits, then what the search said. */
static int run_one(const args_t *a, quire_db_t *db, const qc_text_t *query, print_ctx_t *pc,
                   int tty)
{
    quire_result_t res;
    const quire_status_t st =
        quire_search(db, query->data ? query->data : "", query->len, &a->o, on_hit, pc, &res);
    if (pc->failed) return QC_EXIT_ERROR;
    if (st != QUIRE_OK) return qc_fail_db(db, st);
    if (report(a, query, &res, tty, pc->stale) != 0 || fflush(stdout) != 0) return QC_EXIT_ERROR;
    return (a->format == F_COUNT ? res.total : res.hits) ? QC_EXIT_OK : QC_EXIT_NONE;
}

int qc_cmd_search(int argc, char **argv)
{
    static args_t a; /* QC_MAX_INDEXES pointers: not on the stack */
    memset(&a, 0, sizeof a);
    qc_text_t query = {0};
    int status = QC_EXIT_ERROR;
    if (parse_args(argc, argv, &a, &query, &status) != 0) {
        qc_text_free(&query);
        return status;
    }
    const int tty = isatty(STDOUT_FILENO);
    print_ctx_t pc = {.pr = {.out = stdout,
                             .width = terminal_width(),
                             .brief = a.o.snippet_width == 0,
                             .first_rank = a.o.offset + 1},
                      .format = a.format};
    const char *no_color = getenv("NO_COLOR");
    pc.pr.color =
        !strcmp(a.color, "always") || (!strcmp(a.color, "auto") && tty && !(no_color && *no_color));
    if (a.nindexes == 0 && !(a.indexes[a.nindexes++] = qc_index_dir(NULL))) {
        qc_text_free(&query);
        return QC_EXIT_ERROR;
    }
    quire_db_t *db = NULL;
    quire_status_t st = QUIRE_OK;
    if (query.oom) {
        qc_say("out of memory");
    } else if ((st = open_db(&a, &db)) != QUIRE_OK) {
        status = qc_fail_db(db, st);
    } else if (a.batch) {
        status = run_batch(db, &a.o, &pc);
        if (status == QC_EXIT_OK && fflush(stdout) != 0) status = QC_EXIT_ERROR;
    } else {
        status = run_one(&a, db, &query, &pc, tty);
    }
    quire_db_close(db);
    qc_text_free(&query);
    qc_text_free(&pc.pr.buf);
    qc_text_free(&pc.files);
    return status;
}
