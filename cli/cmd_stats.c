/*
 * cmd_stats.c - `quire stats [--index DIR] [--json]`: what an index holds:
 * files, articles (and how many have no date), passages, distinct words,
 * the dates it covers, its size on disk, its generation, when it was built
 * and from which paths. Counts come from the index itself (metadata, term
 * frequencies of the article counters, the date slot's bounds), so they
 * are exact after incremental updates.
 */
#include "cli.h"

#include "date.h"
#include "index.h"
#include "layout.h"

#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char stats_usage[] = "usage: quire stats [--index DIR] [--json]\n"
                                  "\n"
                                  "Says what the index holds: files, articles (and how many have "
                                  "no date),\n"
                                  "passages, distinct words, the dates covered, its size, "
                                  "generation, when it\n"
                                  "was built and from which paths.\n"
                                  "\n"
                                  "  --index DIR   index directory (default: $QUIRE_INDEX, "
                                  "else ./.quire)\n"
                                  "  --json        the same as one JSON object\n"
                                  "  -h, --help    this help\n";

typedef struct {
    unsigned long long words;
} count_t;

static int count_term(void *ctx, const char *term, size_t len, unsigned freq)
{
    (void)term;
    (void)len;
    (void)freq;
    ((count_t *)ctx)->words++;
    return 0;
}

/* Bytes of the regular files directly in dir. */
static unsigned long long dir_size(const char *dir)
{
    DIR *d = opendir(dir);
    unsigned long long total = 0;
    if (!d) return 0;
    const struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char p[8192];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) total += (unsigned long long)st.st_size;
    }
    closedir(d);
    return total;
}

static unsigned long meta_num(xq_db_t *db, const char *key)
{
    char *v = NULL;
    unsigned long n = 0;
    if (xq_db_get_metadata(db, key, &v, NULL) == XQ_OK && v) n = strtoul(v, NULL, 10);
    free(v);
    return n;
}

/* "20230505" to "2023-05-05" (anything else as it is). */
static void show_date(const char *key, char out[11])
{
    char *end = NULL;
    const unsigned long v = strtoul(key, &end, 10);
    if (strlen(key) == 8 && end && *end == '\0')
        ql_date_format((uint32_t)v, out);
    else
        snprintf(out, 11, "%s", key);
}

int qc_cmd_stats(int argc, char **argv)
{
    static const struct option longopts[] = {{"index", required_argument, NULL, 'i'},
                                             {"json", no_argument, NULL, 'J'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *index_flag = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = qc_getopt("stats", argc, argv, "h", longopts)) != -1) {
        if (c == 'i') {
            index_flag = optarg;
        } else if (c == 'J') {
            json = 1;
        } else if (c == 'h') {
            fputs(stats_usage, stdout);
            return QC_EXIT_OK;
        } else {
            return QC_EXIT_ERROR;
        }
    }
    if (optind < argc) return qc_usage("stats", "unexpected argument '%s'", argv[optind]);
    ql_index_t idx;
    ql_err_t e = {0};
    const char *dir = qc_index_dir(index_flag);
    if (ql_index_open(dir, &idx, &e) != 0) return qc_fail(&e);
    unsigned passages = 0, articles = 0, undated = 0, dated = 0;
    char lo[16] = "", hi[16] = "", *paths = NULL;
    count_t words = {0};
    const xq_status_t st =
        xq_db_doccount(idx.db, &passages) != XQ_OK ? XQ_IO
        : xq_db_termfreq(idx.db, QL_TERM_ARTICLE, strlen(QL_TERM_ARTICLE), &articles) != XQ_OK
            ? XQ_IO
        : xq_db_termfreq(idx.db, QL_TERM_UNDATED, strlen(QL_TERM_UNDATED), &undated) != XQ_OK
            ? XQ_IO
        : xq_db_value_bounds(idx.db, QL_SLOT_DATE, &dated, lo, hi, sizeof lo) != XQ_OK ? XQ_IO
        : xq_db_terms(idx.db, QL_PREFIX_BODY, count_term, &words) != XQ_OK             ? XQ_IO
        : xq_db_get_metadata(idx.db, QL_META_PATHS, &paths, NULL) != XQ_OK             ? XQ_IO
                                                                                       : XQ_OK;
    if (st != XQ_OK) {
        ql_errf(&e, QL_E_IO, "%s: %s", idx.path, xq_db_error(idx.db));
        free(paths);
        ql_index_close(&idx);
        return qc_fail(&e);
    }
    const unsigned long files = meta_num(idx.db, QL_META_FILES);
    struct stat gs;
    char built[64] = "unknown";
    if (stat(idx.path, &gs) == 0) {
        struct tm tm;
        const time_t t = gs.st_mtim.tv_sec;
        if (gmtime_r(&t, &tm)) strftime(built, sizeof built, "%Y-%m-%d %H:%M:%S UTC", &tm);
    }
    const unsigned long long size = dir_size(idx.path);
    char dlo[11] = "", dhi[11] = "";
    show_date(lo, dlo);
    show_date(hi, dhi);
    for (char *p = paths; p && *p; p++)
        if (*p == '\n' && p[1]) *p = ';';
    if (paths && *paths && paths[strlen(paths) - 1] == '\n') paths[strlen(paths) - 1] = '\0';
    const char *gen = strrchr(idx.path, '/') ? strrchr(idx.path, '/') + 1 : idx.path;
    ql_buf_t b = {0};
    if (json) {
        ql_buf_adds(&b, "{\"index\":");
        qc_json_string(&b, idx.path, strlen(idx.path));
        ql_buf_adds(&b, ",\"generation\":");
        qc_json_string(&b, gen, strlen(gen));
        ql_buf_printf(&b, ",\"format\":%d,\"built\":", QL_FORMAT_VERSION);
        qc_json_string(&b, built, strlen(built));
        ql_buf_adds(&b, ",\"from\":");
        qc_json_string(&b, paths ? paths : "", paths ? strlen(paths) : 0);
        ql_buf_printf(&b,
                      ",\"files\":%lu,\"articles\":%u,\"undated\":%u,\"passages\":%u,"
                      "\"words\":%llu,\"dated_passages\":%u",
                      files, articles, undated, passages, words.words, dated);
        if (dated) ql_buf_printf(&b, ",\"date_first\":\"%s\",\"date_last\":\"%s\"", dlo, dhi);
        ql_buf_printf(&b, ",\"bytes\":%llu}\n", size);
    } else {
        ql_buf_adds(&b, "index      ");
        qc_sanitize_str(&b, idx.path);
        ql_buf_printf(&b, " (format %d)\n", QL_FORMAT_VERSION);
        ql_buf_printf(&b, "built      %s\n", built);
        ql_buf_adds(&b, "from       ");
        qc_sanitize_str(&b, paths && *paths ? paths : "-");
        ql_buf_addc(&b, '\n');
        ql_buf_printf(&b, "files      %lu\n", files);
        ql_buf_printf(&b, "articles   %u (%u without a date)\n", articles, undated);
        ql_buf_printf(&b, "passages   %u\n", passages);
        ql_buf_printf(&b, "words      %llu distinct stems\n", words.words);
        if (dated)
            ql_buf_printf(&b, "dates      %s to %s (%u passages dated)\n", dlo, dhi, dated);
        else
            ql_buf_adds(&b, "dates      none found\n");
        ql_buf_printf(&b, "size       %.1f MB\n", (double)size / 1e6);
    }
    const int ok = !b.oom && fwrite(b.data, 1, b.len, stdout) == b.len && fflush(stdout) == 0;
    ql_buf_free(&b);
    free(paths);
    ql_index_close(&idx);
    return ok ? QC_EXIT_OK : QC_EXIT_ERROR;
}
