/*
 * cmd_search.c - `quire search [OPTIONS] QUERY...`: runs the query through the
 * search core and prints each hit with the text or JSON printer.
 */
#include "cli.h"
#include "printer.h"

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
    "  --index DIR          index directory (default: $QUIRE_INDEX, else ./.quire)\n"
    "  -n, --limit N        show N hits (default 10)\n"
    "  --offset N           skip the first N hits\n"
    "  --json               one JSON object per hit, per line\n"
    "  --color=WHEN         auto (default; off when NO_COLOR is set), always, never\n"
    "  --k1 X, --b X        BM25 parameters (default 1.2, 0.75)\n"
    "  --coord X            weight of query coverage (default 2; 0 = plain BM25)\n"
    "\n"
    "query syntax (operators in capitals):\n"
    "  sanctions russia     passages with more of the words rank first\n"
    "  '\"Group of Friends\"' a phrase (quote it from the shell)\n"
    "  a AND b, a OR b, a NOT b, -word, +word, ( ... )\n"
    "  title:word, file:name   only passages whose title has the word / whose\n"
    "                       file path has a component starting with name\n"
    "\n"
    "Exit status: 0 hits found, 1 no hits, 2 error.\n";

typedef struct {
    qc_printer_t pr;
    int json;
    int failed;
} print_ctx_t;

static int on_hit(void *ctx, const qs_hit_t *hit)
{
    print_ctx_t *pc = ctx;
    const int rc = pc->json ? qc_print_json(&pc->pr, hit) : qc_print_text(&pc->pr, hit);
    if (rc) pc->failed = 1;
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
    enum { O_INDEX = 256, O_JSON, O_COLOR, O_OFFSET, O_K1, O_B, O_COORD };
    static const struct option longopts[] = {{"index", required_argument, NULL, O_INDEX},
                                             {"limit", required_argument, NULL, 'n'},
                                             {"offset", required_argument, NULL, O_OFFSET},
                                             {"json", no_argument, NULL, O_JSON},
                                             {"color", required_argument, NULL, O_COLOR},
                                             {"colour", required_argument, NULL, O_COLOR},
                                             {"k1", required_argument, NULL, O_K1},
                                             {"b", required_argument, NULL, O_B},
                                             {"coord", required_argument, NULL, O_COORD},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    qs_options_t o;
    qs_options_default(&o);
    const char *index_flag = NULL, *color = "auto";
    int json = 0, c;
    double num = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+n:h", longopts, NULL)) != -1) {
        switch (c) {
        case O_INDEX:
            index_flag = optarg;
            break;
        case O_JSON:
            json = 1;
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
            if (parse_num(optarg, &num) != 0 || ((c == 'n' || c == O_OFFSET) && num > 100000)) {
                fprintf(stderr, "quire: search: bad number '%s'\n", optarg);
                return QC_EXIT_ERROR;
            }
            if (c == 'n')
                o.limit = (unsigned)num;
            else if (c == O_OFFSET)
                o.offset = (unsigned)num;
            else if (c == O_K1)
                o.k1 = num;
            else if (c == O_B)
                o.b = num > 1 ? 1 : num;
            else
                o.coord = num;
            break;
        default:
            fputs(search_usage, stderr);
            return QC_EXIT_ERROR;
        }
    }
    if (strcmp(color, "auto") != 0 && strcmp(color, "always") != 0 && strcmp(color, "never") != 0) {
        fprintf(stderr, "quire: search: --color takes auto, always or never, not '%s'\n", color);
        return QC_EXIT_ERROR;
    }
    if (optind >= argc) {
        fputs(search_usage, stderr);
        return QC_EXIT_ERROR;
    }

    ql_buf_t query = {0};
    for (int i = optind; i < argc; i++) {
        if (i > optind) ql_buf_addc(&query, ' ');
        ql_buf_adds(&query, argv[i]);
    }
    print_ctx_t pc = {{stdout, 0, terminal_width(), {0}}, json, 0};
    const char *no_color = getenv("NO_COLOR");
    pc.pr.color = !strcmp(color, "always") ||
                  (!strcmp(color, "auto") && isatty(STDOUT_FILENO) && !(no_color && *no_color));

    ql_err_t e = {0};
    qs_searcher_t *s = NULL;
    qs_result_t res = {0};
    int status = QC_EXIT_ERROR;
    if (query.oom) {
        ql_errf(&e, QL_E_NOMEM, "out of memory");
        status = qc_fail(&e);
    } else if (qs_open(qc_index_dir(index_flag), &s, &e) != 0 ||
               qs_search(s, query.data, query.len, &o, on_hit, &pc, &res, &e) != 0) {
        status = pc.failed ? QC_EXIT_ERROR : qc_fail(&e);
    } else if (fflush(stdout) != 0 || pc.failed) {
        status = QC_EXIT_ERROR;
    } else {
        status = res.hits ? QC_EXIT_OK : QC_EXIT_NONE;
        if (!res.hits && !json && isatty(STDOUT_FILENO))
            fputs("quire: no passages match\n", stderr);
    }
    qs_close(s);
    ql_buf_free(&query);
    ql_buf_free(&pc.pr.buf);
    return status;
}
