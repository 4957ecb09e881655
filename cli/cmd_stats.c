/*
 * cmd_stats.c - `quire stats [--index DIR] [--json]`: what an index holds:
 * files, articles (and how many have no date), passages, distinct words,
 * the dates it covers, its size on disk, its generation, when it was built
 * and from which paths. Counts come from the index itself (metadata, term
 * frequencies of the article counters, the date slot's bounds), so they
 * are exact after incremental updates.
 */
#include "cli.h"
#include "printer.h"

#include "quire.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Languages the text lists before "N more". */
#define QC_STATS_LANGS 12
#include <stdio.h>
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

/* yyyymmdd as 2023-05-05. */
static void show_date(uint32_t d, char out[16])
{
    snprintf(out, 16, "%04u-%02u-%02u", (unsigned)(d / 10000 % 10000), (unsigned)(d / 100 % 100),
             (unsigned)(d % 100));
}

/* The paths it was built from, one per line, as "a;b". */
static void from_line(qc_text_t *out, const char *from)
{
    for (const char *p = from; *p; p++)
        if (*p != '\n')
            qc_text_addc(out, *p);
        else if (p[1])
            qc_text_addc(out, ';');
}

static void as_json(qc_text_t *b, const quire_stats_t *s, const char *from, const char *built,
                    const char *dlo, const char *dhi)
{
    const char *gen = strrchr(s->path, '/') ? strrchr(s->path, '/') + 1 : s->path;
    qc_text_adds(b, "{\"index\":");
    qc_json_string(b, s->path, strlen(s->path));
    qc_text_adds(b, ",\"generation\":");
    qc_json_string(b, gen, strlen(gen));
    qc_text_printf(b, ",\"format\":%d,\"built\":", s->format);
    qc_json_string(b, built, strlen(built));
    qc_text_adds(b, ",\"from\":");
    qc_json_string(b, from, strlen(from));
    qc_text_adds(b, ",\"roots\":[");
    for (const char *p = s->from; p && *p;) { /* the folders, one per line */
        const char *nl = strchr(p, '\n');
        const size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (p != s->from) qc_text_addc(b, ',');
        qc_json_string(b, p, n);
        p += n + (nl != NULL);
    }
    qc_text_adds(b, "],\"languages\":{");
    for (const char *p = s->languages; p && *p;) { /* "en 18269\n" lines */
        const char *sp = strchr(p, ' '), *nl = strchr(p, '\n');
        if (!sp || !nl || sp > nl) break;
        if (p != s->languages) qc_text_addc(b, ',');
        qc_json_string(b, p, (size_t)(sp - p));
        qc_text_printf(b, ":%lu", strtoul(sp + 1, NULL, 10));
        p = nl + 1;
    }
    qc_text_adds(b, "},\"read_as\":[");
    for (const char *p = s->read_as; p && *p;) { /* one line per root */
        const char *nl = strchr(p, '\n');
        const size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (p != s->read_as) qc_text_addc(b, ',');
        qc_json_string(b, p, n);
        p += n + (nl != NULL);
    }
    qc_text_printf(b,
                   "],\"skipped\":{\"binary\":%lu,\"unreadable\":%lu,\"too_large\":%lu,"
                   "\"encrypted\":%lu,\"damaged\":%lu,\"no_text\":%lu,"
                   "\"outside\":%lu,\"unsupported\":%lu,\"excluded\":%lu}",
                   s->binary, s->unreadable, s->too_large, s->encrypted, s->damaged, s->no_text,
                   s->outside, s->unsupported, s->excluded);
    qc_text_printf(b,
                   ",\"files\":%lu,\"articles\":%lu,\"undated\":%lu,\"passages\":%lu,"
                   "\"words\":%llu,\"dated_passages\":%lu",
                   s->files, s->articles, s->undated, s->passages, s->words, s->dated_passages);
    if (s->dated_passages)
        qc_text_printf(b, ",\"date_first\":\"%s\",\"date_last\":\"%s\"", dlo, dhi);
    qc_text_printf(b, ",\"bytes\":%llu}\n", s->bytes);
}

/* When it was built, and its first and last dates, as printed. */
static void dates(const quire_stats_t *s, char built[64], char dlo[16], char dhi[16])
{
    struct tm tm;
    const time_t t = (time_t)s->built;
    snprintf(built, 64, "unknown");
    if (s->built && gmtime_r(&t, &tm)) strftime(built, 64, "%Y-%m-%d %H:%M:%S UTC", &tm);
    dlo[0] = dhi[0] = '\0';
    show_date(s->date_first, dlo);
    show_date(s->date_last, dhi);
}

void qc_json_stats(qc_text_t *b, const quire_stats_t *s)
{
    char built[64], dlo[16], dhi[16];
    dates(s, built, dlo, dhi);
    qc_text_t from = {0};
    from_line(&from, s->from);
    qc_text_addc(&from, '\0');
    as_json(b, s, from.oom ? "" : from.data, built, dlo, dhi);
    qc_text_free(&from);
}

static void as_text(qc_text_t *b, const quire_stats_t *s, const char *built, const char *dlo,
                    const char *dhi)
{
    qc_text_adds(b, "index      ");
    qc_sanitize_str(b, s->path);
    qc_text_printf(b, " (format %d)\n", s->format);
    qc_text_printf(b, "built      %s\n", built);
    qc_text_adds(b, "from       "); /* each folder on its own line */
    if (!s->from || !*s->from) qc_text_adds(b, "-\n");
    const char *how = s->read_as; /* each folder's reader settings, line by line */
    for (const char *p = s->from; p && *p;) {
        const char *nl = strchr(p, '\n');
        const size_t n = nl ? (size_t)(nl - p) : strlen(p);
        const char *hnl = how ? strchr(how, '\n') : NULL;
        const size_t hn = hnl ? (size_t)(hnl - how) : how ? strlen(how) : 0;
        if (p != s->from) qc_text_adds(b, "           ");
        qc_sanitize(b, p, n, 0);
        if (hn) {
            qc_text_adds(b, "  (read with ");
            qc_sanitize(b, how, hn, 0);
            qc_text_addc(b, ')');
        }
        qc_text_addc(b, '\n');
        p += n + (nl != NULL);
        how = hnl ? hnl + 1 : NULL;
    }
    qc_text_printf(b, "files      %lu", s->files);
    if (s->skipped || s->unsupported || s->excluded) { /* what the index passed over, and why */
        char skip[256];
        const qc_skips_t k = {s->binary,  s->unreadable, s->too_large,   s->outside, s->encrypted,
                              s->damaged, s->no_text,    s->unsupported, s->excluded};
        qc_skips(&k, skip, sizeof skip);
        qc_text_printf(b, " (%s)", skip);
    }
    qc_text_addc(b, '\n');
    qc_text_printf(b, "articles   %lu (%lu without a date)\n", s->articles, s->undated);
    qc_text_printf(b, "passages   %lu\n", s->passages);
    if (s->languages && *s->languages) { /* "en 18269 · ru 12", the first few */
        qc_text_adds(b, "languages  ");
        size_t shown = 0, more = 0;
        for (const char *p = s->languages; *p;) {
            const char *nl = strchr(p, '\n');
            const size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if (shown == QC_STATS_LANGS) {
                more++;
            } else {
                if (shown++) qc_text_adds(b, " \xc2\xb7 ");
                qc_sanitize(b, p, n, 0);
            }
            p += n + (nl != NULL);
        }
        if (more) qc_text_printf(b, " \xc2\xb7 %zu more (--json lists all)", more);
        qc_text_addc(b, '\n');
    }
    qc_text_printf(b, "words      %llu distinct stems\n", s->words);
    if (s->dated_passages)
        qc_text_printf(b, "dates      %s to %s (%lu passages dated)\n", dlo, dhi,
                       s->dated_passages);
    else
        qc_text_adds(b, "dates      none found\n");
    char size[32];
    qc_size(s->bytes, size);
    qc_text_printf(b, "size       %s\n", size);
}

/* Prints the statistics of the index in dir. */
static int print_stats(const char *dir, int json)
{
    quire_db_t *db = NULL;
    quire_stats_t s;
    if (quire_db_open(&dir, 1, NULL, &db) != QUIRE_OK || quire_db_stats(db, &s) != QUIRE_OK) {
        qc_say("%s", db ? quire_db_error(db) : "out of memory");
        quire_db_close(db);
        return QC_EXIT_ERROR;
    }
    qc_text_t b = {0};
    if (json) {
        qc_json_stats(&b, &s);
    } else {
        char built[64], dlo[16], dhi[16];
        dates(&s, built, dlo, dhi);
        as_text(&b, &s, built, dlo, dhi);
    }
    const int ok = !b.oom && fwrite(b.data, 1, b.len, stdout) == b.len && fflush(stdout) == 0;
    qc_text_free(&b);
    quire_db_close(db);
    return ok ? QC_EXIT_OK : QC_EXIT_ERROR;
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
    const char *dir = qc_index_dir(index_flag);
    return dir ? print_stats(dir, json) : QC_EXIT_ERROR;
}
