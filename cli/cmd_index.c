/*
 * cmd_index.c - `quire index [OPTIONS] [PATH...]`: builds or updates an
 * index through quire_index() with a progress line on a terminal and
 * warnings on stderr; `--check` and `--verify` through quire_check() and
 * quire_verify().
 */
#include "cli.h"

#include "quire.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static const char index_usage[] =
    "usage: quire index [--index DIR] [-q|--quiet] [--json] [-j N] [--full] [--shard I/N]\n"
    "                   [--format FMT] [--title-field F,...] [--text-field F,...]\n"
    "                   [--date-field F,...] [--url-field F,...] [--source-field F,...]\n"
    "                   [--encoding ENC] [--date-order dmy|mdy] [--exclude GLOB]...\n"
    "                   [--no-ignore] [--hidden] [--watch]\n"
    "                   [--add|--remove|--replace] [--check|--verify] [PATH...]\n"
    "\n"
    "Indexes the articles under the index's folders into a new generation of\n"
    "the index and publishes it atomically. With no PATH: the folders the index\n"
    "was built from (a new index: the current folder). An index remembers its\n"
    "folders, how it read them (--format, --encoding, fields) and its shard. A\n"
    "file that cannot be indexed gets a warning and is skipped; the run still\n"
    "succeeds. On any error the previous index stays.\n"
    "\n"
    "  --index DIR   index directory (default: $QUIRE_INDEX, else the nearest\n"
    "                .quire here or in a folder above, else ./.quire)\n"
    "  --add         index PATH as well as the index's folders\n"
    "  --remove      leave PATH out of the index's folders\n"
    "  --replace     index PATH alone, dropping the index's other folders (other\n"
    "                PATHs without one of these are refused, never dropped silently)\n"
    "  --watch       then keep the index current: update it a second after files\n"
    "                change (inotify), until interrupted (Ctrl-C, SIGTERM)\n"
    "  -q, --quiet   no progress or summary line (warnings still go to stderr)\n"
    "  --json        the summary as one JSON object: counts, files passed over by\n"
    "                reason, seconds, generation (with --watch, one per update)\n"
    "  -j, --jobs N  worker threads (default: one per CPU); the index is the same\n"
    "  --full        rebuild everything; by default, when the index was built from\n"
    "                the same PATHs, only changed, new and removed files are redone\n"
    "                (the result is the same) and an unchanged corpus writes nothing\n"
    "  --shard I/N   index only shard I of N: the files whose path (relative to\n"
    "                PATH) hashes to it; each shard is a complete index, and\n"
    "                `quire search --index A --index B ...` searches them as one\n"
    "  --check       build nothing: compare the index with the files under PATH\n"
    "                (default: the paths it was built from); exit 1 if it is stale\n"
    "  --verify      build nothing: recompute the published index's checksums and\n"
    "                rerun Xapian's check; exit 2 if anything differs\n"
    "  --format FMT  read every file as FMT: txt, html, md, json (JSON Lines, JSON\n"
    "                arrays of articles) or telegram (Telegram Desktop result.json);\n"
    "                auto (the default): the extension decides (.txt .html .htm .md\n"
    "                .jsonl .json) and the content refines it (HTML in a .txt, an\n"
    "                export in a .json)\n"
    "  --encoding ENC  read files that are not valid UTF-8 as ENC, a single-byte\n"
    "                encoding (windows-1251, windows-1252, iso-8859-2, koi8-r, ...);\n"
    "                by default only an HTML page's declared charset is honoured\n"
    "  --date-order ORDER  how a numeric date both of whose numbers could be the\n"
    "                month is read: dmy (05/06/2023 is 5 June; the default) or mdy\n"
    "                (May 6); a number over 12 is the day either way\n"
    "  --language TAG  the folder's articles are in TAG (en, ru, fr-CA), unless one\n"
    "                declares its own (<html lang>, JSON language); by default each\n"
    "                article's language is detected from its text (lang: searches it)\n";

/* The help's second half (one literal would pass C's 4095-byte limit). */
static const char index_usage_more[] =
    "  --keep-previous  keep the previous generation even when free space is short (by\n"
    "                default it is removed before building when the disk could not hold\n"
    "                the current generation again)\n"
    "  --exclude GLOB  leave out the files and folders GLOB matches (gitignore's\n"
    "                syntax: node_modules/, *.log, /drafts, a/**/b); repeatable.\n"
    "                .quireignore files, and .gitignore ones inside a git work tree,\n"
    "                are read too. Remembered with the folder, as --encoding\n"
    "  --no-ignore   read no .quireignore or .gitignore file\n"
    "  --hidden      walk hidden files and folders too (never .git or .quire)\n"
    "  --follow-outside  follow symlinks that lead outside the folder being indexed\n"
    "                (by default they are skipped with a warning; system filesystems\n"
    "                such as /proc are never walked)\n"
    "  --title-field, --text-field, --date-field, --url-field, --source-field F,...\n"
    "                JSON member names to take each field from, first found wins\n"
    "                (defaults: title,headline,...; text,body,content,...;\n"
    "                date,published,...; url,link,...; source,site,publisher,...)\n"
    "  -h, --help    this help\n"
    "\n"
    "Exit status: 0 published (with --check: up to date), 1 (--check) stale,\n"
    "2 error (nothing changed), 3 another quire index is writing this index.\n";

/* The progress line: on a terminal only, redrawn in place on stderr. */
typedef struct {
    int shown; /* a line is on screen */
} progress_t;

static void clear_progress(progress_t *pr)
{
    if (pr->shown) fputs("\r\033[K", stderr);
    pr->shown = 0;
}

static int on_progress(void *ctx, const quire_progress_t *p)
{
    progress_t *pr = ctx;
    /* the rate is the run's average so far (bytes are counted as passages
     * come, so one large file moves it too): smooth, and an ETA from it
     * shrinks as the run goes */
    const double rate = p->elapsed_s > 0 ? (double)p->bytes_done / p->elapsed_s : 0;
    char eta[32] = "", done[32], total[32], per_s[32];
    if (rate > 0 && p->bytes_done < p->bytes_total && p->elapsed_s >= 1)
        snprintf(eta, sizeof eta, ", ETA %.0f s", (double)(p->bytes_total - p->bytes_done) / rate);
    qc_size(p->bytes_done, done);
    qc_size(p->bytes_total, total);
    qc_size((unsigned long long)rate, per_s);
    fprintf(stderr, "\r\033[K%s: %zu/%zu files, %s of %s, %s/s%s", p->phase, p->files_done,
            p->files_total, done, total, per_s, eta);
    fflush(stderr);
    pr->shown = 1;
    return QUIRE_CONTINUE;
}

static void on_warning(void *ctx, const char *path, const char *msg)
{
    clear_progress(ctx);
    qc_say("warning: %s: %s", path, msg);
}

typedef struct {
    const char *index_flag;
    int quiet, check, verify, watch, json;
    const char *mode_flag;                 /* --add, --remove or --replace, once */
    const char *excludes[QC_MAX_EXCLUDES]; /* --exclude's globs */
    quire_index_opts_t o;                  /* what is read and how the run goes */
} index_args_t;

/* "I/N" with 1 <= I <= N <= 65536 into *i, *n; -1 when malformed. */
static int parse_shard(const char *s, unsigned *i, unsigned *n)
{
    char *end = NULL;
    if (*s < '1' || *s > '9') return -1;
    const unsigned long a = strtoul(s, &end, 10);
    if (*end != '/' || end[1] < '1' || end[1] > '9') return -1;
    const unsigned long b = strtoul(end + 1, &end, 10);
    if (*end || a > b || b > 65536) return -1;
    *i = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}

/* How files are read: --format, --encoding, the JSON field lists. 1: not one of these. */
static int read_option(index_args_t *a, int c, const char *arg)
{
    switch (c) {
    case 'F':
        if (!quire_format_known(arg))
            return qc_usage("index",
                            "--format takes auto, txt, html, md, json, telegram, pdf, docx, odt "
                            "or epub, not '%s'",
                            arg);
        a->o.format = arg;
        return 0;
    case 'O':
        a->o.follow_outside = 1;
        return 0;
    case 'N':
        a->o.no_ignore = 1;
        return 0;
    case 'H':
        a->o.hidden = 1;
        return 0;
    case 'x':
        if (!*arg || strpbrk(arg, "\t\n"))
            return qc_usage("index", "--exclude takes a glob with no tab or line break");
        if (a->o.nexcludes == QC_MAX_EXCLUDES)
            return qc_usage("index", "--exclude given more than %d times", QC_MAX_EXCLUDES);
        a->excludes[a->o.nexcludes++] = arg;
        a->o.excludes = a->excludes;
        return 0;
    case 'L':
        if (!quire_language_tag(arg))
            return qc_usage(
                "index", "--language takes a language tag (en, ru, zh-Hans, fr-CA), not '%s'", arg);
        a->o.language = arg;
        return 0;
    case 'Y':
        if (strcmp(arg, "dmy") != 0 && strcmp(arg, "mdy") != 0)
            return qc_usage("index", "--date-order takes dmy or mdy, not '%s'", arg);
        a->o.date_order = arg;
        return 0;
    case 'E': {
        if (!quire_encoding_known(arg))
            return qc_usage("index",
                            "--encoding takes a single-byte encoding iconv knows "
                            "(windows-1251, iso-8859-1, koi8-r, ...), not '%s'",
                            arg);
        a->o.encoding = arg;
        return 0;
    }
    case 'T':
    case 'X':
    case 'D':
    case 'U':
    case 'S':
        if (!*arg || strchr(arg, '\n') || strchr(arg, '='))
            return qc_usage("index", "a field list is names separated by ',', not '%s'", arg);
        *(c == 'T'   ? &a->o.title_fields
          : c == 'X' ? &a->o.text_fields
          : c == 'D' ? &a->o.date_fields
          : c == 'U' ? &a->o.url_fields
                     : &a->o.source_fields) = arg;
        return 0;
    }
    return 1;
}

/* The run's own options. 1: not one of these. */
static int run_option(index_args_t *a, int c, const char *arg)
{
    unsigned long n = 0;
    switch (c) {
    case 'i':
        a->index_flag = arg;
        return 0;
    case 'q':
    case 'c':
    case 'f':
    case 'v':
    case 'K':
    case 'W':
    case 'J':
        *(c == 'q'   ? &a->quiet
          : c == 'J' ? &a->json
          : c == 'c' ? &a->check
          : c == 'f' ? &a->o.full
          : c == 'v' ? &a->verify
          : c == 'W' ? &a->watch
                     : &a->o.keep_previous) = 1;
        return 0;
    case 'j':
        if (qc_parse_count("index", "--jobs", arg, 1, 64, &n)) return QC_EXIT_ERROR;
        a->o.jobs = (unsigned)n;
        return 0;
    case 'A':
    case 'R':
    case 'P': {
        const char *flag = c == 'A' ? "--add" : c == 'R' ? "--remove" : "--replace";
        if (a->mode_flag && strcmp(a->mode_flag, flag) != 0)
            return qc_usage("index", "%s and %s cannot be combined", a->mode_flag, flag);
        a->mode_flag = flag;
        a->o.paths_mode = c == 'A'   ? QUIRE_PATHS_ADD
                          : c == 'R' ? QUIRE_PATHS_REMOVE
                                     : QUIRE_PATHS_REPLACE;
        return 0;
    }
    case 's':
        if (parse_shard(arg, &a->o.shard, &a->o.nshards) != 0)
            return qc_usage("index", "--shard wants I/N with 1 <= I <= N <= 65536, not '%s'", arg);
        return 0;
    }
    return 1;
}

/* -1: the run is over, *status says how. */
static int parse_index(int argc, char **argv, index_args_t *a, int *status)
{
    static const struct option longopts[] = {{"index", required_argument, NULL, 'i'},
                                             {"check", no_argument, NULL, 'c'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"jobs", required_argument, NULL, 'j'},
                                             {"full", no_argument, NULL, 'f'},
                                             {"verify", no_argument, NULL, 'v'},
                                             {"shard", required_argument, NULL, 's'},
                                             {"format", required_argument, NULL, 'F'},
                                             {"title-field", required_argument, NULL, 'T'},
                                             {"text-field", required_argument, NULL, 'X'},
                                             {"date-field", required_argument, NULL, 'D'},
                                             {"url-field", required_argument, NULL, 'U'},
                                             {"source-field", required_argument, NULL, 'S'},
                                             {"encoding", required_argument, NULL, 'E'},
                                             {"follow-outside", no_argument, NULL, 'O'},
                                             {"keep-previous", no_argument, NULL, 'K'},
                                             {"add", no_argument, NULL, 'A'},
                                             {"remove", no_argument, NULL, 'R'},
                                             {"replace", no_argument, NULL, 'P'},
                                             {"watch", no_argument, NULL, 'W'},
                                             {"json", no_argument, NULL, 'J'},
                                             {"date-order", required_argument, NULL, 'Y'},
                                             {"language", required_argument, NULL, 'L'},
                                             {"exclude", required_argument, NULL, 'x'},
                                             {"no-ignore", no_argument, NULL, 'N'},
                                             {"hidden", no_argument, NULL, 'H'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    *status = QC_EXIT_ERROR;
    optind = 1;
    int c, rc = 0;
    while (rc == 0 && (c = qc_getopt("index", argc, argv, "qhj:", longopts)) != -1) {
        if (c == 'h') {
            fputs(index_usage, stdout);
            fputs(index_usage_more, stdout);
            *status = QC_EXIT_OK;
            return -1;
        }
        rc = c == '?' ? -1 : read_option(a, c, optarg);
        if (rc == 1) rc = run_option(a, c, optarg);
        if (rc == 1) rc = -1;
    }
    return rc ? -1 : 0;
}

/* A failed quire_index, quire_check or quire_verify: its line, its status. */
static int fail(quire_status_t st, char *error)
{
    const int status = qc_fail_text(st, error);
    free(error);
    return status;
}

static int verify(const index_args_t *a)
{
    char *gen = NULL, *error = NULL;
    const char *dir = qc_index_dir(a->index_flag);
    if (!dir) return QC_EXIT_ERROR;
    const quire_status_t st = quire_verify(dir, &gen, &error);
    if (st != QUIRE_OK) return fail(st, error);
    if (!a->quiet) printf("index verified: %s\n", gen);
    free(gen);
    return QC_EXIT_OK;
}

static int check(const index_args_t *a, const char *const *paths, size_t n)
{
    quire_check_t r;
    char *error = NULL;
    const char *dir = qc_index_dir(a->index_flag);
    if (!dir) return QC_EXIT_ERROR;
    const quire_status_t st = quire_check(dir, paths, n, &r, &error);
    if (st != QUIRE_OK) return fail(st, error);
    if (!r.changed && !r.added && !r.removed) {
        if (!a->quiet) printf("index is up to date (%lu files)\n", r.same);
        return QC_EXIT_OK;
    }
    if (!a->quiet)
        printf("index is stale: %lu changed, %lu new, %lu gone (%s)\n", r.changed, r.added,
               r.removed, r.first);
    return 1;
}

/* A new index reads files as the settings file says, unless told here. */
static void new_index_settings(quire_index_opts_t *o)
{
    if (o->format || o->encoding || o->title_fields || o->text_fields || o->date_fields ||
        o->url_fields || o->source_fields || o->follow_outside || o->date_order || o->language)
        return;
    char *gen = NULL, *error = NULL;
    if (quire_published(o->index_dir, &gen, &error) == QUIRE_NO_INDEX) {
        o->format = qc_config("format", NULL);
        o->encoding = qc_config("encoding", NULL);
        o->date_order = qc_config("date-order", NULL);
        o->language = qc_config("language", NULL);
    }
    free(gen);
    free(error);
}

static volatile sig_atomic_t stopping;

static void on_stop_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static int should_stop(void *ctx)
{
    (void)ctx;
    return stopping;
}

static void summary(const quire_index_stats_t *st, const char *dir, double secs);
static void summary_json(const quire_index_stats_t *st, const char *dir);

typedef struct {
    progress_t *pr;
    const char *dir;
    int quiet, json, updates;
} watch_ctx_t;

static void on_updated(void *ctx, const quire_index_stats_t *st)
{
    watch_ctx_t *w = ctx;
    clear_progress(w->pr);
    const int nothing = st->incremental && !st->changed && !st->added && !st->removed;
    const int first = w->updates++ == 0;
    if (w->json)
        summary_json(st, w->dir);
    else if (!w->quiet && (!nothing || first))
        summary(st, w->dir, st->seconds);
    fflush(stdout);
}

static void on_note(void *ctx, const char *msg)
{
    watch_ctx_t *w = ctx;
    clear_progress(w->pr);
    qc_say("watch: %s", msg);
}

/* --watch: the update, then updates as files change, until a signal. */
static int watch(index_args_t *a, progress_t *pr)
{
    qc_on_stop_signals(on_stop_signal, 0);
    watch_ctx_t wc = {pr, a->o.index_dir, a->quiet, a->json, 0};
    if (!a->quiet) qc_say("watching the folders of %s (Ctrl-C stops)", a->o.index_dir);
    const quire_watch_opts_t w = {
        .stop = should_stop, .updated = on_updated, .note = on_note, .ctx = &wc};
    char *error = NULL;
    const quire_status_t st = quire_watch(&a->o, &w, &error);
    clear_progress(pr);
    if (st != QUIRE_OK) return fail(st, error);
    if (!a->quiet) qc_say("watch stopped; the index is as last published");
    return QC_EXIT_OK;
}

/* --json: what the run did as one JSON object. */
static void summary_json(const quire_index_stats_t *st, const char *dir)
{
    qc_text_t b = {0};
    qc_text_adds(&b, "{\"index\":");
    qc_json_string(&b, dir, strlen(dir));
    qc_text_printf(&b,
                   ",\"generation\":%u,\"incremental\":%s,\"files\":%lu,\"articles\":%lu,"
                   "\"undated\":%lu,\"passages\":%lu,\"bytes\":%llu,\"warnings\":%lu,"
                   "\"unchanged\":%lu,\"changed\":%lu,\"added\":%lu,\"removed\":%lu,"
                   "\"skipped\":{\"total\":%lu,\"binary\":%lu,\"unreadable\":%lu,"
                   "\"too_large\":%lu,\"encrypted\":%lu,\"damaged\":%lu,\"no_text\":%lu,"
                   "\"outside\":%lu,\"unsupported\":%lu,\"excluded\":%lu},"
                   "\"seconds\":%.3f}\n",
                   st->generation, st->incremental ? "true" : "false", st->files, st->articles,
                   st->undated, st->passages, (unsigned long long)st->bytes, st->warnings,
                   st->unchanged, st->changed, st->added, st->removed, st->skipped, st->binary,
                   st->unreadable, st->too_large, st->encrypted, st->damaged, st->no_text,
                   st->outside, st->unsupported, st->excluded, st->seconds);
    if (!b.oom) fputs(b.data, stdout);
    qc_text_free(&b);
}

/* The one line that says what the run did. */
static void summary(const quire_index_stats_t *st, const char *dir, double secs)
{
    char counts[240], skip[256];
    const qc_skips_t k = {st->binary,  st->unreadable, st->too_large,   st->outside, st->encrypted,
                          st->damaged, st->no_text,    st->unsupported, st->excluded};
    qc_skips(&k, counts, sizeof counts);
    snprintf(skip, sizeof skip, " (%s)", counts);
    if (st->incremental && !st->changed && !st->added && !st->removed)
        printf("index is up to date (%lu %s unchanged) -> %s (generation %u)\n", st->unchanged,
               qc_plural(st->unchanged, "file", "files"), dir, st->generation);
    else if (st->incremental)
        printf("updated %lu changed, %lu new, %lu removed %s (%lu unchanged), %lu %s in "
               "%.2f s -> %s (generation %u)\n",
               st->changed, st->added, st->removed, qc_plural(st->removed, "file", "files"),
               st->unchanged, st->passages, qc_plural(st->passages, "passage", "passages"), secs,
               dir, st->generation);
    else
        printf("indexed %lu %s, %lu %s (%lu undated), %lu %s in %.2f s%s -> %s (generation %u)\n",
               st->files, qc_plural(st->files, "file", "files"), st->articles,
               qc_plural(st->articles, "article", "articles"), st->undated, st->passages,
               qc_plural(st->passages, "passage", "passages"), secs, skip, dir, st->generation);
    if (!st->incremental && st->files == 0 && st->skipped == 0)
        qc_say("warning: nothing indexed: no file of a format quire reads (.txt, .html, .md, "
               ".json, .jsonl, .pdf, .docx, .odt, .epub, or any of them .gz or .zst) was found%s",
               st->unsupported ? " among the files there" : "");
}

int qc_cmd_index(int argc, char **argv)
{
    index_args_t a = {0};
    int status = QC_EXIT_ERROR;
    if (parse_index(argc, argv, &a, &status) != 0) return status;
    const char *const *paths = (const char *const *)(argv + optind);
    const size_t npaths = (size_t)(argc - optind);
    if (a.verify) return verify(&a);
    if (a.check) return check(&a, paths, npaths);
    if (a.mode_flag && npaths == 0) return qc_usage("index", "%s needs a PATH", a.mode_flag);
    progress_t pr = {0};
    if (!(a.o.index_dir = qc_index_dir(a.index_flag))) return QC_EXIT_ERROR;
    new_index_settings(&a.o);
    a.o.paths = paths;
    a.o.npaths = npaths;
    a.o.progress = !a.quiet && isatty(STDERR_FILENO) ? on_progress : NULL;
    a.o.warning = on_warning;
    a.o.ctx = &pr;
    if (a.watch) return watch(&a, &pr);
    quire_index_stats_t st;
    char *error = NULL;
    const quire_status_t rc = quire_index(&a.o, &st, &error);
    clear_progress(&pr);
    if (rc != QUIRE_OK) return fail(rc, error);
    if (a.json)
        summary_json(&st, a.o.index_dir);
    else if (!a.quiet)
        summary(&st, a.o.index_dir, st.seconds);
    return QC_EXIT_OK;
}
