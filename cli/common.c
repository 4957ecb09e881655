/*
 * common.c - helpers shared by the subcommands: the index location, error
 * exit statuses, how paths are displayed, and JSON string escaping.
 */
#include "cli.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say(const char *cmd, const char *fmt, va_list ap)
{
    char msg[4096];
    vsnprintf(msg, sizeof msg, fmt, ap);
    qc_text_t b = {0};
    qc_text_adds(&b, "quire: ");
    if (cmd) {
        qc_text_adds(&b, cmd);
        qc_text_adds(&b, ": ");
    }
    qc_sanitize_str(&b, msg);
    qc_text_addc(&b, '\n');
    if (!b.oom) fwrite(b.data, 1, b.len, stderr);
    qc_text_free(&b);
}

void qc_say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(NULL, fmt, ap);
    va_end(ap);
}

int qc_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(cmd, fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'quire %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return QC_EXIT_ERROR;
}

/* The argument that holds short option c (for messages): the first one
 * before "--" that is a cluster of short options containing it. */
static const char *short_arg(int argc, char **argv, int c)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (argv[i][0] == '-' && argv[i][1] && argv[i][1] != '-' && strchr(argv[i] + 1, c))
            return argv[i];
    return NULL;
}

int qc_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
              const struct option *longopts)
{
    char opts[64];
    snprintf(opts, sizeof opts, ":%s", shortopts); /* ':' reports a missing value apart */
    opterr = 0;
    const int seen = optind;
    const int c = getopt_long(argc, argv, opts, longopts, NULL);
    if (c != '?' && c != ':') return c;
    /* the argument getopt stopped at: a long option was consumed whole */
    const char *arg = optind > seen && optind - 1 < argc ? argv[optind - 1] : NULL;
    if (c == ':' && optopt && !(arg && arg[0] == '-' && arg[1] == '-'))
        qc_usage(cmd, "option '-%c' needs a value", optopt);
    else if (c == ':')
        qc_usage(cmd, "option '%s' needs a value", arg ? arg : "?");
    else if (optopt == 0)
        qc_usage(cmd, "unknown option '%s'", arg ? arg : "?");
    else {
        const char *word = short_arg(argc, argv, optopt);
        if (word && strlen(word) > 2)
            qc_usage(cmd,
                     "unknown option '-%c' in '%s' (a query word starting with '-' goes after --: "
                     "quire %s -- ... %s)",
                     optopt, word, cmd, word);
        else
            qc_usage(cmd, "unknown option '-%c'", optopt);
    }
    return '?';
}

int qc_parse_count(const char *cmd, const char *flag, const char *s, unsigned long lo,
                   unsigned long hi, unsigned long *out)
{
    unsigned long n = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9' && n <= hi; i++) n = n * 10 + (unsigned long)(s[i] - '0');
    if (i == 0 || s[i] || n < lo || n > hi)
        return qc_usage(cmd, "%s takes a whole number from %lu to %lu, not '%s'", flag, lo, hi, s);
    *out = n;
    return 0;
}

/* The folder holding an index found above the working directory: paths in
 * it are shown relative to where the user stands, with ../ (as git does). */
static char tree[PATH_MAX];

const char *qc_index_where(const char **why)
{
    static char *found;
    free(found);
    found = NULL;
    char *error = NULL;
    const char *from = NULL, *env = getenv("QUIRE_INDEX");
    const quire_status_t st = quire_find_index(&found, &error);
    if (st == QUIRE_OK && !strncmp(found, "../", 3)) {
        char up[PATH_MAX];
        snprintf(up, sizeof up, "%s/..", found);
        if (!realpath(up, tree)) tree[0] = '\0';
    }
    if (why) *why = env && *env ? "$QUIRE_INDEX" : "the nearest .quire here or above";
    if (st == QUIRE_OK) return found;
    const char *configured = qc_config("index", &from);
    if (st == QUIRE_NO_INDEX && configured) {
        if (why) *why = from;
        return configured;
    }
    if (why) *why = "default: none found here or above (a new index goes here)";
    if (st == QUIRE_NO_INDEX) return ".quire"; /* where `quire index` would make one */
    qc_fail_text(st, error);
    free(error);
    return NULL;
}

const char *qc_index_dir(const char *flag)
{
    if (flag && *flag) return flag;
    return qc_index_where(NULL);
}

void qc_on_stop_signals(void (*handler)(int), int hup)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (hup) sigaction(SIGHUP, &sa, NULL);
}

void qc_size(unsigned long long bytes, char out[32])
{
    if (bytes < 1000)
        snprintf(out, 32, "%llu B", bytes);
    else if (bytes < 1000000)
        snprintf(out, 32, "%.1f kB", (double)bytes / 1e3);
    else if (bytes < 1000000000)
        snprintf(out, 32, "%.1f MB", (double)bytes / 1e6);
    else
        snprintf(out, 32, "%.2f GB", (double)bytes / 1e9);
}

const char *qc_plural(unsigned long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

int qc_fail_text(quire_status_t st, const char *msg)
{
    qc_say("%s", msg && msg[0] ? msg : quire_status_to_string(st));
    return st == QUIRE_LOCKED ? QC_EXIT_LOCKED : QC_EXIT_ERROR;
}

int qc_fail_db(const quire_db_t *db, quire_status_t st)
{
    return qc_fail_text(st, db ? quire_db_error(db) : NULL);
}

/* Whether path a is b or inside it. */
static int within(const char *a, const char *b)
{
    const size_t n = strlen(b);
    return !strncmp(a, b, n) && (a[n] == '/' || a[n] == '\0');
}

/* The file root/relpath seen from cwd, both inside the same tree:
 * "../../dir/file". */
static void climb(qc_text_t *out, const char *cwd, const char *root, const char *relpath,
                  size_t relpath_len)
{
    qc_text_t full = {0};
    qc_text_adds(&full, root);
    qc_text_addc(&full, '/');
    qc_text_add(&full, relpath, relpath_len);
    const char *f = full.data ? full.data : "";
    size_t common = 0; /* the longest shared run of whole components */
    for (size_t i = 0;; i++) {
        const int end_c = cwd[i] == '/' || cwd[i] == '\0', end_f = f[i] == '/' || f[i] == '\0';
        if (end_c && end_f) common = i;
        if (cwd[i] != f[i] || !cwd[i]) break;
    }
    for (const char *p = cwd + common; *p; p++)
        if (*p == '/') qc_text_adds(out, "../");
    if (f[common] == '/') common++;
    qc_text_add(out, f + common, full.len > common ? full.len - common : 0);
    qc_text_free(&full);
}

void qc_display_path(qc_text_t *out, const char *root, const char *relpath, size_t relpath_len)
{
    static char cwd[PATH_MAX];
    static int have_cwd = -1;
    if (have_cwd < 0) have_cwd = getcwd(cwd, sizeof cwd) != NULL;
    const size_t cl = have_cwd ? strlen(cwd) : 0;
    if (have_cwd && tree[0] && !within(root, cwd) && within(cwd, tree) && within(root, tree)) {
        climb(out, cwd, root, relpath, relpath_len);
        return;
    }
    if (have_cwd && strncmp(root, cwd, cl) == 0 && (root[cl] == '/' || root[cl] == '\0')) {
        const char *rest = root + cl + (root[cl] == '/');
        if (*rest) {
            qc_text_adds(out, rest);
            qc_text_addc(out, '/');
        }
    } else if (*root) {
        qc_text_adds(out, root);
        if (strcmp(root, "/") != 0) qc_text_addc(out, '/');
    }
    qc_text_add(out, relpath, relpath_len);
}

void qc_json_string(qc_text_t *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    qc_text_addc(out, '"');
    size_t i = 0;
    while (i < n) {
        const unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) { /* one character: copied, escaped (C1) or replaced (invalid) */
            size_t adv = 0;
            const int32_t cp = qc_utf8_next(s + i, n - i, &adv);
            if (cp == 0xFFFD && adv == 1) {
                qc_text_adds(out, "\xef\xbf\xbd");
            } else if (cp < 0xa0) {
                const char u[7] = {'\\', 'u', '0', '0', hex[cp >> 4 & 15], hex[cp & 15], 0};
                qc_text_adds(out, u);
            } else {
                qc_text_add(out, s + i, adv);
            }
            i += adv;
            continue;
        }
        switch (c) {
        case '"':
            qc_text_adds(out, "\\\"");
            break;
        case '\\':
            qc_text_adds(out, "\\\\");
            break;
        case '\n':
            qc_text_adds(out, "\\n");
            break;
        case '\r':
            qc_text_adds(out, "\\r");
            break;
        case '\t':
            qc_text_adds(out, "\\t");
            break;
        case '\b':
            qc_text_adds(out, "\\b");
            break;
        case '\f':
            qc_text_adds(out, "\\f");
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
                qc_text_adds(out, u);
            } else {
                qc_text_addc(out, (char)c);
            }
        }
        i++;
    }
    qc_text_addc(out, '"');
}

void qc_show_path(qc_text_t *out, const char *root, const char *relpath, size_t relpath_len)
{
    qc_text_t p = {0};
    qc_display_path(&p, root, relpath, relpath_len);
    qc_sanitize(out, p.data ? p.data : "", p.len, 0);
    qc_text_free(&p);
}

void qc_skips(const qc_skips_t *s, char *out, size_t cap)
{
    const unsigned long n[] = {s->binary,    s->unreadable, s->too_large, s->outside,
                               s->encrypted, s->damaged,    s->no_text};
    static const char *const why[] = {
        "binary",    "unreadable", "too large",   "outside the folder",
        "encrypted", "damaged",    "without text"};
    unsigned long total = 0;
    for (size_t i = 0; i < 7; i++) total += n[i];
    size_t at = (size_t)snprintf(out, cap, "%lu skipped", total);
    for (size_t i = 0, k = 0; i < 7 && at < cap; i++)
        if (n[i])
            at += (size_t)snprintf(out + at, cap - at, "%s%lu %s", k++ ? ", " : ": ", n[i], why[i]);
    if (s->unsupported && at < cap)
        at += (size_t)snprintf(out + at, cap - at, "; %lu %s of other types passed over",
                               s->unsupported, qc_plural(s->unsupported, "file", "files"));
    if (s->excluded && at < cap)
        snprintf(out + at, cap - at, "; %lu excluded by ignore rules", s->excluded);
}
