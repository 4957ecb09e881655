/*
 * cmd_search.c - `quire search [OPTIONS] QUERY...`: runs the query through the
 * search core and prints each hit with the text or JSON printer.
 */
#include "cli.h"
#include "printer.h"

#include "date.h"
#include "search.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const char search_usage[] =
    "usage: quire search [OPTIONS] QUERY...\n"
    "\n"
    "Ranks passages by how well they match QUERY; prints each with its citation\n"
    "(file:line, byte range), article title and a highlighted snippet.\n"
    "\n"
    "  --index DIR          index directory (default: $QUIRE_INDEX, else ./.quire);\n"
    "                       repeat it to search several shards as one index, each\n"
    "                       a directory, tcp://HOST:PORT (quire serve) or a file\n"
    "                       listing them one per line (cluster.conf)\n"
    "  --timeout SECONDS    give up on a remote shard after this long (default 5)\n"
    "  --allow-partial      answer from the shards that answer, with a warning naming\n"
    "                       the others, instead of failing\n"
    "  -n, --limit N        show N hits (default 10)\n"
    "  --offset N           skip the first N hits\n"
    "  --json               one JSON object per hit, per line (--format=json)\n"
    "  --format=FMT         text (default), json, or vimgrep: path:line:col:snippet\n"
    "  -l, --files-with-matches\n"
    "                       print only the files with matching passages, best first\n"
    "  --since DATE, --until DATE\n"
    "                       only articles dated from / up to DATE (2023, 2023-05,\n"
    "                       2023-05-05, May 5 2023; inclusive); undated ones are left out\n"
    "  --sort=ORDER         relevance (default) or date: newest first\n"
    "  --brief              with --json or --batch: citations and scores only (no\n"
    "                       title, snippet or text)\n"
    "  --batch              read one query per line from stdin; print one JSON object\n"
    "                       per query: {\"query\",\"estimated\",\"hits\":[...]} or\n"
    "                       {\"query\",\"error\"} for a query that cannot be parsed\n"
    "  --explain            show, for each hit, which query words matched it (and as\n"
    "                       which word of the passage, alias or title) and each one's\n"
    "                       share of its score\n"
    "  --all-words          search common words too (which, the, of); by default they\n"
    "                       count only in phrases and aliases, or when the query has\n"
    "                       nothing else\n"
    "  --aliases FILE       more aliases (one group per line, names separated by |),\n"
    "                       besides the built-in ones and ~/.config/quire/aliases.txt\n"
    "  --color=WHEN         auto (default; off when NO_COLOR is set), always, never\n"
    "  --k1 X, --b X        BM25 parameters (default 1.6, 0.6)\n"
    "  --coord X            weight of query coverage (default 2; 0 = plain BM25)\n"
    "  --prox X             bonus for adjacent query words found near each other\n"
    "  --title-weight X     weight of query words found in the article title\n"
    "  --prf D,T,W          feedback: re-rank by the T terms best describing the top D\n"
    "                       passages, weighted W (0,0,0 turns it off)\n"
    "\n"
    "query syntax (operators in capitals):\n"
    "  sanctions russia     passages with more of the words rank first\n"
    "  '\"Group of Friends\"' a phrase (quote it from the shell)\n"
    "  a AND b, a OR b, a NOT b, -word, +word, ( ... )\n"
    "  title:word, file:name   only passages whose title has the word / whose\n"
    "                       file path has a component starting with name\n"
    "  date:2023, date:2021..2023-06, date:..2022   only articles dated then\n"
    "  source:tass, source:\"Russian MFA\"           only articles from that source\n"
    "\n"
    "Exit status: 0 hits found, 1 no hits, 2 error.\n";

enum format { F_TEXT, F_JSON, F_VIMGREP, F_FILES };

typedef struct {
    qc_printer_t pr;
    int json;
    int failed;
    ql_buf_t *batch; /* --batch: hits are gathered here */
    enum format format;
    ql_buf_t files; /* -l: the files printed, NUL-separated */
    unsigned nfiles;
} print_ctx_t;

/* -l: the hit's file, once. */
static int print_file(print_ctx_t *pc, const qs_hit_t *hit)
{
    ql_buf_t f = {0};
    qc_display_path(&f, hit->root, hit->p->path, hit->p->path_len);
    ql_buf_addc(&f, '\0');
    int seen = 0;
    for (size_t i = 0; !f.oom && i < pc->files.len; i += strlen(pc->files.data + i) + 1)
        if (!strcmp(pc->files.data + i, f.data)) seen = 1;
    int rc = f.oom ? -1 : 0;
    if (rc == 0 && !seen) {
        ql_buf_add(&pc->files, f.data, f.len);
        pc->nfiles++;
        rc = pc->files.oom || printf("%s\n", f.data) < 0 ? -1 : 0;
    }
    ql_buf_free(&f);
    return rc;
}

static int on_hit(void *ctx, const qs_hit_t *hit)
{
    print_ctx_t *pc = ctx;
    if (pc->batch) {
        if (hit->rank > 1) ql_buf_addc(pc->batch, ',');
        qc_json_hit(pc->batch, hit, pc->pr.brief);
        return pc->batch->oom ? -1 : 0;
    }
    int rc;
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
    default:
        rc = qc_print_text(&pc->pr, hit);
    }
    if (rc) pc->failed = 1;
    return rc;
}

/* --since / --until: a date, as its first or last day. */
static int parse_date_flag(const char *flag, const char *s, int last, uint32_t *out)
{
    uint32_t lo = 0, hi = 0;
    if (ql_date_span(s, strlen(s), &lo, &hi) != 0) {
        fprintf(stderr, "quire: search: %s wants a date (2023, 2023-05, 2023-05-05), not '%s'\n",
                flag, s);
        return -1;
    }
    *out = last ? hi : lo;
    return 0;
}

/* --batch: one query per input line, one JSON object per query. A query that
 * cannot be parsed gets an "error" member; any other failure stops the run. */
static int run_batch(qs_searcher_t *s, const qs_options_t *o, print_ctx_t *pc, ql_err_t *e)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    ql_buf_t out = {0};
    int rc = 0;
    pc->batch = &out;
    while (rc == 0 && (n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        ql_buf_reset(&out);
        ql_buf_adds(&out, "{\"query\":");
        qc_json_string(&out, line, (size_t)n);
        const size_t mark = out.len;
        ql_buf_adds(&out, ",\"hits\":[");
        qs_result_t res;
        if (qs_search(s, line, (size_t)n, o, on_hit, pc, &res, e) == 0) {
            ql_buf_printf(&out, "],\"estimated\":%u", res.estimated);
            if (res.missing) {
                ql_buf_adds(&out, ",\"missing\":");
                qc_json_string(&out, res.missing, strlen(res.missing));
            }
            if (res.did_you_mean) {
                ql_buf_adds(&out, ",\"did_you_mean\":");
                qc_json_string(&out, res.did_you_mean, strlen(res.did_you_mean));
            }
            for (size_t i = 0; i < res.nignored; i++) {
                ql_buf_adds(&out, i ? "," : ",\"ignored\":[");
                qc_json_string(&out, res.ignored[i], strlen(res.ignored[i]));
                if (i + 1 == res.nignored) ql_buf_addc(&out, ']');
            }
            ql_buf_adds(&out, "}\n");
        } else if (e->code == QL_E_QUERY) {
            out.len = mark;
            ql_buf_adds(&out, ",\"error\":");
            qc_json_string(&out, e->msg, strlen(e->msg));
            ql_buf_adds(&out, "}\n");
        } else {
            rc = -1;
            break;
        }
        /* flushed per query, so a script can drive one process line by line */
        if (out.oom || fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
            rc = ql_errf(e, QL_E_IO, "cannot write the results");
            pc->failed = 1;
        }
    }
    free(line);
    ql_buf_free(&out);
    pc->batch = NULL;
    return rc;
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

static int parse_num(const char *s, double *out)
{
    char *end = NULL;
    *out = strtod(s, &end);
    return end != s && *end == '\0' && *out >= 0 ? 0 : -1;
}

int qc_cmd_search(int argc, char **argv)
{
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
        O_ALLWORDS
    };
    static const struct option longopts[] = {{"index", required_argument, NULL, O_INDEX},
                                             {"limit", required_argument, NULL, 'n'},
                                             {"offset", required_argument, NULL, O_OFFSET},
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
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    qs_options_t o;
    qs_options_default(&o);
    const char *indexes[QC_MAX_INDEXES], *color = "auto", *aliases = NULL;
    size_t nindexes = 0;
    qs_open_opts_t oo = {0, 0};
    int json = 0, batch = 0, c, limit_set = 0;
    enum format format = F_TEXT;
    double num = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+n:hl", longopts, NULL)) != -1) {
        switch (c) {
        case O_FORMAT:
            if (!strcmp(optarg, "text"))
                format = F_TEXT;
            else if (!strcmp(optarg, "json"))
                format = F_JSON;
            else if (!strcmp(optarg, "vimgrep"))
                format = F_VIMGREP;
            else {
                fprintf(stderr, "quire: search: --format takes text, json or vimgrep, not '%s'\n",
                        optarg);
                return QC_EXIT_ERROR;
            }
            break;
        case 'l':
            format = F_FILES;
            break;
        case O_SINCE:
        case O_UNTIL:
            if (parse_date_flag(c == O_SINCE ? "--since" : "--until", optarg, c == O_UNTIL,
                                c == O_SINCE ? &o.since : &o.until) != 0)
                return QC_EXIT_ERROR;
            break;
        case O_SORT:
            if (strcmp(optarg, "date") != 0 && strcmp(optarg, "relevance") != 0) {
                fprintf(stderr, "quire: search: --sort takes relevance or date, not '%s'\n",
                        optarg);
                return QC_EXIT_ERROR;
            }
            o.sort_date = !strcmp(optarg, "date");
            break;
        case O_INDEX:
            if (nindexes == QC_MAX_INDEXES) {
                fprintf(stderr, "quire: search: at most %d --index (list more in a file)\n",
                        QC_MAX_INDEXES);
                return QC_EXIT_ERROR;
            }
            indexes[nindexes++] = optarg;
            break;
        case O_PARTIAL:
            oo.allow_partial = 1;
            break;
        case O_TIMEOUT:
            if (parse_num(optarg, &num) != 0 || num < 0.001 || num > 3600) {
                fprintf(stderr,
                        "quire: search: --timeout wants seconds (0.001 to 3600), not '%s'\n",
                        optarg);
                return QC_EXIT_ERROR;
            }
            oo.timeout_ms = (unsigned)(num * 1000 + 0.5);
            break;
        case O_JSON:
            json = 1;
            break;
        case O_BATCH:
            batch = 1;
            break;
        case O_BRIEF:
            o.snippet_width = 0;
            break;
        case O_ALLWORDS:
            o.all_words = 1;
            break;
        case O_ALIASES:
            aliases = optarg;
            break;
        case O_EXPLAIN:
            o.explain = 1;
            break;
        case O_COLOR:
            color = optarg;
            break;
        case 'h':
            fputs(search_usage, stdout);
            return QC_EXIT_OK;
        case 'n':
        case O_OFFSET:
        case O_K1:
        case O_B:
        case O_COORD:
        case O_PROX:
        case O_TITLEW:
            if (parse_num(optarg, &num) != 0 || ((c == 'n' || c == O_OFFSET) && num > 100000)) {
                fprintf(stderr, "quire: search: bad number '%s'\n", optarg);
                return QC_EXIT_ERROR;
            }
            if (c == 'n') {
                o.limit = (unsigned)num;
                limit_set = 1;
            } else if (c == O_OFFSET)
                o.offset = (unsigned)num;
            else if (c == O_K1)
                o.k1 = num;
            else if (c == O_B)
                o.b = num > 1 ? 1 : num;
            else if (c == O_PROX)
                o.prox = num;
            else if (c == O_TITLEW)
                o.title = num;
            else
                o.coord = num;
            break;
        case O_PRF: {
            double d = 0, t = 0, w = 0;
            if (sscanf(optarg, "%lf,%lf,%lf", &d, &t, &w) != 3 || d < 0 || t < 0 || w < 0 ||
                d > 1000 || t > 1000) {
                fprintf(stderr, "quire: search: --prf takes DOCS,TERMS,WEIGHT, not '%s'\n", optarg);
                return QC_EXIT_ERROR;
            }
            o.prf_docs = (unsigned)d;
            o.prf_terms = (unsigned)t;
            o.prf_weight = w;
            break;
        }
        default:
            fputs(search_usage, stderr);
            return QC_EXIT_ERROR;
        }
    }
    if (json) format = F_JSON;
    json = format == F_JSON;
    if (format == F_FILES) {
        o.snippet_width = 0;              /* only file names are printed */
        if (!limit_set) o.limit = 100000; /* every file, as grep -l */
    }
    if (o.since && o.until && o.since > o.until) {
        fputs("quire: search: --since is later than --until\n", stderr);
        return QC_EXIT_ERROR;
    }
    if (strcmp(color, "auto") != 0 && strcmp(color, "always") != 0 && strcmp(color, "never") != 0) {
        fprintf(stderr, "quire: search: --color takes auto, always or never, not '%s'\n", color);
        return QC_EXIT_ERROR;
    }
    if ((optind >= argc) != batch) {
        fputs(batch ? "quire: search: --batch reads queries from stdin, not arguments\n"
                    : search_usage,
              stderr);
        return QC_EXIT_ERROR;
    }

    ql_buf_t query = {0};
    for (int i = optind; i < argc; i++) {
        if (i > optind) ql_buf_addc(&query, ' ');
        ql_buf_adds(&query, argv[i]);
    }
    print_ctx_t pc = {
        {stdout, 0, terminal_width(), o.snippet_width == 0, {0}}, json, 0, NULL, format, {0}, 0};
    const char *no_color = getenv("NO_COLOR");
    pc.pr.color = !strcmp(color, "always") ||
                  (!strcmp(color, "auto") && isatty(STDOUT_FILENO) && !(no_color && *no_color));

    if (nindexes == 0) indexes[nindexes++] = qc_index_dir(NULL);
    ql_err_t e = {0};
    qs_searcher_t *s = NULL;
    qs_result_t res = {0};
    int status = QC_EXIT_ERROR;
    if (query.oom) {
        ql_errf(&e, QL_E_NOMEM, "out of memory");
        status = qc_fail(&e);
    } else if (batch) {
        if (qs_open_many(indexes, nindexes, &oo, &s, &e) != 0 ||
            (aliases && qs_add_aliases(s, aliases, &e) != 0) || run_batch(s, &o, &pc, &e) != 0)
            status = qc_fail(&e);
        else
            status = fflush(stdout) == 0 ? QC_EXIT_OK : QC_EXIT_ERROR;
    } else if (qs_open_many(indexes, nindexes, &oo, &s, &e) != 0 ||
               (aliases && qs_add_aliases(s, aliases, &e) != 0) ||
               qs_search(s, query.data, query.len, &o, on_hit, &pc, &res, &e) != 0) {
        status = pc.failed ? QC_EXIT_ERROR : qc_fail(&e);
    } else if (fflush(stdout) != 0 || pc.failed) {
        status = QC_EXIT_ERROR;
    } else {
        status = res.hits ? QC_EXIT_OK : QC_EXIT_NONE;
        if (res.missing) fprintf(stderr, "quire: warning: searched without %s\n", res.missing);
        if (res.too_weak && !json)
            fprintf(stderr,
                    "quire: no passage holds enough of the query (the best holds %.0f%% of its "
                    "weight; the rule is %.0f%%): try fewer or other words\n",
                    100 * res.best_coverage, 100 * o.min_share);
        else if (!res.hits && !json && isatty(STDOUT_FILENO))
            fputs("quire: no passages match\n", stderr);
        if (res.did_you_mean && !json)
            fprintf(stderr, "quire: did you mean: %s\n", res.did_you_mean);
        if (res.nignored && o.explain && !json) {
            fputs("quire: not searched, too common: ", stderr);
            for (size_t i = 0; i < res.nignored; i++)
                fprintf(stderr, "%s%s", i ? ", " : "", res.ignored[i]);
            fputs(" (--all-words searches them)\n", stderr);
        }
        if (res.did_you_mean && json && !res.hits) { /* no hit line to carry it */
            ql_buf_t b = {0};
            ql_buf_adds(&b, "{\"hits\":0,\"did_you_mean\":");
            qc_json_string(&b, res.did_you_mean, strlen(res.did_you_mean));
            ql_buf_adds(&b, "}\n");
            if (b.oom || fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0)
                status = QC_EXIT_ERROR;
            ql_buf_free(&b);
        }
    }
    qs_close(s);
    ql_buf_free(&query);
    ql_buf_free(&pc.pr.buf);
    ql_buf_free(&pc.files);
    return status;
}
