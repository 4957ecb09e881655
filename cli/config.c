/*
 * config.c - the user's settings file, $XDG_CONFIG_HOME/quire/config (else
 * ~/.config/quire/config): one `key = value` per line, `#` comments. It
 * sets what a command uses when its options do not: the default index
 * (after $QUIRE_INDEX and the nearest .quire), the result count, colour,
 * an aliases file, and the reader settings of a new index. A line that is
 * not a known setting with a valid value is an error naming file:line, so
 * a typo never passes silently. `quire config` prints every setting, its
 * value and where it came from.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    const char *key;
    const char *help; /* what it sets, for `quire config` */
    char value[1024];
    char from[PATH_MAX + 32]; /* "" : the default */
} setting_t;

static setting_t settings[] = {
    {"index", "the index when none is named and none is found upward", "", ""},
    {"limit", "hits shown by quire search (1 to 100000)", "10", ""},
    {"color", "auto, always or never", "auto", ""},
    {"aliases", "a file of more aliases for quire search", "", ""},
    {"format", "how a new index reads files: auto, txt, html, md, json, telegram", "auto", ""},
    {"encoding", "the single-byte encoding a new index reads non-UTF-8 files in", "", ""},
    {"date-order", "how a new index reads 05/06/2023: dmy (5 June) or mdy (May 6)", "dmy", ""},
    {"language", "the language of a new index's articles (en, ru); unset: detected", "", ""},
};
#define NSETTINGS (sizeof settings / sizeof settings[0])

static char path[PATH_MAX];
static int loaded; /* 0 not yet, 1 done, -1 failed */

/* Where the file is; "" when neither XDG_CONFIG_HOME nor HOME is set. */
static const char *config_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(path, sizeof path, "%s/quire/config", xdg);
    else if (home && *home)
        snprintf(path, sizeof path, "%s/.config/quire/config", home);
    else
        path[0] = '\0';
    return path;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
    return s;
}

static int valid_utf8(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t adv = 0;
        if (qc_utf8_next(s + i, n - i, &adv) == 0xFFFD && adv == 1) return 0;
        i += adv;
    }
    return 1;
}

/* Why value is not valid for key, or NULL. */
static const char *invalid(const char *key, const char *value)
{
    char *end = NULL;
    if (!strcmp(key, "limit")) {
        const unsigned long n = strtoul(value, &end, 10);
        return *value && !*end && n >= 1 && n <= 100000 ? NULL : "a number from 1 to 100000";
    }
    if (!strcmp(key, "color"))
        return !strcmp(value, "auto") || !strcmp(value, "always") || !strcmp(value, "never")
                   ? NULL
                   : "auto, always or never";
    if (!strcmp(key, "format")) return quire_format_known(value) ? NULL : "a format quire reads";
    if (!strcmp(key, "encoding"))
        return quire_encoding_known(value) ? NULL : "a single-byte encoding iconv knows";
    if (!strcmp(key, "language"))
        return quire_language_tag(value) ? NULL : "a language tag (en, ru, zh-Hans, fr-CA)";
    if (!strcmp(key, "date-order"))
        return !strcmp(value, "dmy") || !strcmp(value, "mdy") ? NULL : "dmy or mdy";
    return *value ? NULL : "a value";
}

/* One line; 0, or -1 after saying what is wrong with it. */
static int parse_line(char *line, unsigned no)
{
    char *s = trim(line);
    if (!*s || *s == '#') return 0;
    char *eq = strchr(s, '=');
    if (!eq) {
        qc_say("%s:%u: not a setting (key = value)", path, no);
        return -1;
    }
    *eq = '\0';
    const char *key = trim(s), *value = trim(eq + 1);
    for (size_t i = 0; i < NSETTINGS; i++) {
        if (strcmp(settings[i].key, key) != 0) continue;
        const char *why = invalid(key, value);
        if (why) {
            qc_say("%s:%u: %s takes %s, not '%s'", path, no, key, why, value);
            return -1;
        }
        snprintf(settings[i].value, sizeof settings[i].value, "%s", value);
        snprintf(settings[i].from, sizeof settings[i].from, "%s:%u", path, no);
        return 0;
    }
    qc_say("%s:%u: unknown setting '%s' (index, limit, color, aliases, format, encoding, "
           "date-order, language)",
           path, no, key);
    return -1;
}

int qc_config_load(void)
{
    if (loaded) return loaded > 0 ? 0 : -1;
    loaded = -1;
    if (!*config_path()) return loaded = 1, 0;
    struct stat st;
    if (stat(path, &st) != 0)
        return errno == ENOENT ? (loaded = 1, 0) : (qc_say("%s: %s", path, strerror(errno)), -1);
    if (!S_ISREG(st.st_mode)) {
        qc_say("%s: not a regular file", path);
        return -1;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        qc_say("%s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    for (unsigned no = 1; rc == 0 && (n = getline(&line, &cap, f)) >= 0; no++) {
        if (!valid_utf8(line, (size_t)n)) {
            qc_say("%s:%u: not valid UTF-8", path, no);
            rc = -1;
        } else if (n && line[n - 1] == '\n') {
            line[n - 1] = '\0';
        }
        if (rc == 0) rc = parse_line(line, no);
    }
    free(line);
    fclose(f);
    if (rc == 0) loaded = 1;
    return rc;
}

const char *qc_config(const char *key, const char **from)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (!strcmp(settings[i].key, key)) {
            if (from) *from = settings[i].from[0] ? settings[i].from : "default";
            return settings[i].value[0] ? settings[i].value : NULL;
        }
    return NULL;
}

int qc_cmd_config(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        printf("usage: quire config\n"
               "\n"
               "Prints each setting, its value, and where it comes from: the config file\n"
               "(%s: key = value lines) or the default.\n"
               "\n"
               "  -h, --help    this help\n",
               *config_path() ? path : "$XDG_CONFIG_HOME/quire/config");
        return QC_EXIT_OK;
    }
    if (argc > 1)
        return qc_usage("config", "%s '%s'",
                        argv[1][0] == '-' ? "unknown option" : "unexpected argument", argv[1]);
    if (qc_config_load() != 0) return QC_EXIT_ERROR;
    struct stat st;
    printf("%-9s %s%s\n", "file", *path ? path : "(no HOME)",
           *path && stat(path, &st) != 0 ? " (not present)" : "");
    for (size_t i = 0; i < NSETTINGS; i++) {
        const char *from = NULL, *v = qc_config(settings[i].key, &from);
        printf("%-9s %-24s %s  # %s\n", settings[i].key, v ? v : "-", from, settings[i].help);
    }
    const char *where = NULL, *dir = qc_index_where(&where);
    if (!dir) return QC_EXIT_ERROR;
    printf("%-9s %-24s %s\n", "-> index", dir, where);
    return QC_EXIT_OK;
}
