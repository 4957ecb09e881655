/*
 * test_everyday.c - bin/quire on a folder of mixed formats (corpus/ plus the
 * fixtures of every reader), as a user runs it day to day: date filters
 * (--since, --until, date:) and --sort=date, source:, JSON fields for
 * records, quire stats, quire show (context, markers, a file changed since
 * indexing), --format=vimgrep and -l, and --format forced at index time.
 */
#include <criterion/criterion.h>

#include "helpers.h"

#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char index_dir[PATH_MAX], folder[PATH_MAX];

/* Runs `quire ARGS` in the scratch directory with the test index. */
static int quire(const char *args, char **out, char **err)
{
    char cmd[40000];
    snprintf(cmd, sizeof cmd, "cd '%s' && QUIRE_INDEX='%s' '%s' %s", th_tmpdir(), index_dir,
             th_bin(), args);
    return th_run(cmd, out, err);
}

/* c/ holds corpus/ and tests/fixtures/formats/, indexed. */
static void setup(void)
{
    snprintf(index_dir, sizeof index_dir, "%s/index", th_tmpdir());
    snprintf(folder, sizeof folder, "%s/c", th_tmpdir());
    char corpus[PATH_MAX], cmd[3 * PATH_MAX + 100];
    snprintf(corpus, sizeof corpus, "%s", th_corpus());
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s'/*.txt '%s'/tests/fixtures/formats/* '%s'",
             folder, th_corpus(), dirname(corpus), folder);
    cr_assert_eq(system(cmd), 0);
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("index -q c", &out, &err), 0, "%s", err);
    free(out);
    free(err);
}

static void teardown(void)
{
    th_cleanup();
}

TestSuite(everyday, .init = setup, .fini = teardown);

typedef struct {
    json_t *hits[200];
    size_t n;
} results_t;

/* `quire search --json ARGS`, each line parsed. */
static results_t *search_json(const char *args)
{
    char cmd[4096], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "search --json %s", args);
    const int rc = quire(cmd, &out, &err);
    cr_assert(rc == 0 || rc == 1, "%s: %s", args, err);
    results_t *r = calloc(1, sizeof *r);
    for (char *line = strtok(out, "\n"); line && r->n < 200; line = strtok(NULL, "\n")) {
        json_error_t je;
        json_t *h = json_loads(line, 0, &je);
        cr_assert_not_null(h, "%s: %s", je.text, line);
        r->hits[r->n++] = h;
    }
    free(out);
    free(err);
    return r;
}

static void free_results(results_t *r)
{
    for (size_t i = 0; i < r->n; i++) json_decref(r->hits[i]);
    free(r);
}

static const char *field(json_t *h, const char *name)
{
    const json_t *v = json_object_get(h, name);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

Test(everyday, date_filters_keep_only_dated_articles_in_range)
{
    results_t *r = search_json("-n 100 --since 2023 --until 2023-12 charter");
    cr_assert_gt(r->n, 0);
    for (size_t i = 0; i < r->n; i++) {
        const char *d = field(r->hits[i], "date");
        cr_assert_not_null(d, "an undated passage passed a date filter");
        cr_expect(!strncmp(d, "2023-", 5), "%s", d);
    }
    free_results(r);

    r = search_json("-n 100 'date:2024 Lavrov'");
    cr_assert_gt(r->n, 0);
    for (size_t i = 0; i < r->n; i++)
        cr_expect(field(r->hits[i], "date") && !strncmp(field(r->hits[i], "date"), "2024-", 5));
    free_results(r);

    r = search_json("-n 100 'date:..2021-12-31 charter'");
    cr_assert_gt(r->n, 0, "the HTML article of 2021");
    for (size_t i = 0; i < r->n; i++)
        cr_expect(field(r->hits[i], "date") && strcmp(field(r->hits[i], "date"), "2022") < 0);
    free_results(r);

    /* the same query unfiltered finds undated passages too */
    r = search_json("-n 100 charter");
    size_t undated = 0;
    for (size_t i = 0; i < r->n; i++) undated += field(r->hits[i], "date") == NULL;
    cr_expect_gt(undated, 0);
    free_results(r);

    char *out = NULL, *err = NULL;
    cr_expect_eq(quire("search 'date:2023-02-30 x'", &out, &err), 2);
    cr_expect(strstr(err, "not a date") != NULL, "%s", err);
    free(out);
    free(err);
    cr_expect_eq(quire("search --since 2024 --until 2023 x", &out, &err), 2);
    free(out);
    free(err);
}

Test(everyday, sort_by_date_newest_first_undated_last)
{
    results_t *r = search_json("-n 100 --sort=date charter");
    cr_assert_gt(r->n, 3);
    const char *prev = "9999-99-99";
    int seen_undated = 0;
    for (size_t i = 0; i < r->n; i++) {
        const char *d = field(r->hits[i], "date");
        if (!d) {
            seen_undated = 1;
            continue;
        }
        cr_expect(!seen_undated, "a dated passage after an undated one");
        cr_expect_leq(strcmp(d, prev), 0, "%s after %s", d, prev);
        prev = d;
    }
    free_results(r);
}

Test(everyday, source_filter_and_record_fields)
{
    results_t *r = search_json("-n 50 'source:reuters charter'");
    cr_assert_gt(r->n, 0);
    for (size_t i = 0; i < r->n; i++) cr_expect_str_eq(field(r->hits[i], "source"), "Reuters");
    free_results(r);

    r = search_json("-n 50 'source:\"Russian MFA\" Lavrov'");
    cr_assert_gt(r->n, 0);
    for (size_t i = 0; i < r->n; i++)
        cr_expect(strstr(field(r->hits[i], "source"), "Russian MFA") != NULL);
    free_results(r);

    r = search_json("-n 5 'Café diplomacy'");
    cr_assert_gt(r->n, 0);
    cr_expect_str_eq(field(r->hits[0], "path"), "articles.jsonl");
    cr_expect_eq(json_integer_value(json_object_get(r->hits[0], "record")), 2);
    cr_expect_eq(json_integer_value(json_object_get(r->hits[0], "line_start")), 3);
    free_results(r);

    char *out = NULL, *err = NULL;
    cr_expect_eq(quire("search --color=never -n 1 'Café diplomacy'", &out, &err), 0);
    cr_expect(strstr(out, "articles.jsonl:3  record 2  bytes") != NULL, "%s", out);
    cr_expect(strstr(out, "2023-07-16") != NULL, "the date by the title: %s", out);
    free(out);
    free(err);
}

Test(everyday, stats_counts_files_articles_undated_and_dates)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("stats --json", &out, &err), 0, "%s", err);
    json_error_t je;
    json_t *s = json_loads(out, 0, &je);
    cr_assert_not_null(s, "%s: %s", je.text, out);
    cr_expect_eq(json_integer_value(json_object_get(s, "files")), 13, "5 corpus files, 8 fixtures");
    /* 24 in corpus/ (4 articles and 20 posts), 13 in the fixtures */
    cr_expect_eq(json_integer_value(json_object_get(s, "articles")), 37);
    cr_expect_eq(json_integer_value(json_object_get(s, "undated")), 19);
    cr_expect_str_eq(field(s, "date_first"), "2021-03-11");
    cr_expect_str_eq(field(s, "date_last"), "2024-07-16");
    cr_expect_gt(json_integer_value(json_object_get(s, "passages")), 228);
    cr_expect_gt(json_integer_value(json_object_get(s, "bytes")), 0);
    json_decref(s);
    free(out);
    free(err);
    cr_assert_eq(quire("stats", &out, &err), 0);
    cr_expect(strstr(out, "articles   37 (19 without a date)") != NULL, "%s", out);
    cr_expect(strstr(out, "dates      2021-03-11 to 2024-07-16") != NULL, "%s", out);
    free(out);
    free(err);
}

Test(everyday, show_prints_the_cited_lines_with_context)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("show --color=never -C 1 c/004_e24faed82d9ddb80.txt:16", &out, &err), 0,
                 "%s", err);
    cr_expect(strstr(out, "\n15-Forwarded from Russian MFA") != NULL, "%s", out);
    cr_expect(strstr(out, "\n16:\xf0\x9f\x93\xb0 Foreign Minister Sergey Lavrov") != NULL, "%s",
              out);
    cr_expect(strstr(out, "\n17-Read in full") != NULL, "%s", out);
    cr_expect(strstr(out, "\n18") == NULL, "one line of context: %s", out);
    cr_expect(strstr(out, "bytes 2055-2154") != NULL, "%s", out);
    cr_expect_str_eq(err, "");
    free(out);
    free(err);

    /* vimgrep's PATH:LINE:COL and a passage of several lines */
    cr_assert_eq(quire("show --color=never -C 0 c/article.html:17:4", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "\n16:<p>NEW YORK") && strstr(out, "\n18:") && !strstr(out, "\n19"), "%s",
              out);
    free(out);
    free(err);

    cr_expect_eq(quire("show --color=always c/article.html:16", &out, &err), 0);
    cr_expect(strstr(out, "\033[1;31m<p>NEW YORK") == NULL &&
                  strstr(out, "\033[1;31mNEW YORK") != NULL,
              "the passage's bytes, not the tag, are highlighted: %s", out);
    free(out);
    free(err);

    /* -q: the query's words as search matches them (stems: "sanction"
     * marks "sanctions"), red inside the bold passage */
    cr_expect_eq(quire("show --color=always -C 0 -q 'sanction unilateral' "
                       "c/003_28d1eb4e5542eb3f.txt:11",
                       &out, &err),
                 0, "%s", err);
    cr_expect(strstr(out, "\033[1;31munilateral\033[0m\033[1m \033[0m\033[1;31msanctions\033[0m") !=
                  NULL,
              "%s", out);
    cr_expect(strstr(out, "\033[1m\xe2\x80\x9c"
                          "Countries") != NULL,
              "%s", out);
    free(out);
    free(err);
    cr_expect_eq(quire("show -q '\"open' c/003_28d1eb4e5542eb3f.txt:11", &out, &err), 2);
    cr_expect(strstr(err, "unterminated quote") != NULL, "%s", err);
    free(out);
    free(err);

    /* the file changes: a warning, and the passage found where it moved */
    char cmd[2 * PATH_MAX];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && { printf 'New first line\\n\\n'; cat 003_*.txt; } > t && mv t "
             "003_28d1eb4e5542eb3f.txt",
             folder);
    cr_assert_eq(system(cmd), 0);
    cr_expect_eq(quire("show --color=never -C 0 c/003_28d1eb4e5542eb3f.txt:11", &out, &err), 0);
    cr_expect(strstr(err, "changed since it was indexed") && strstr(err, "now at lines 13-13"),
              "%s", err);
    cr_expect(strstr(out, "13:\xe2\x80\x9c"
                          "Countries should stand together") != NULL,
              "%s", out);
    free(out);
    free(err);

    cr_expect_eq(quire("show c/article.html", &out, &err), 2, "not a citation");
    cr_expect(strstr(err, "not a citation") != NULL, "%s", err);
    free(out);
    free(err);
    cr_expect_eq(quire("show c/missing.txt:3", &out, &err), 2);
    cr_expect(strstr(err, "missing.txt") != NULL, "%s", err);
    free(out);
    free(err);
}

Test(everyday, vimgrep_points_at_the_first_match)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("search --format=vimgrep -n 20 Szijjarto", &out, &err), 0, "%s", err);
    size_t lines = 0, checked = 0;
    for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"), lines++) {
        char path[1024];
        unsigned line = 0, col = 0;
        cr_assert_eq(sscanf(l, "%1023[^:]:%u:%u:", path, &line, &col), 3, "%s", l);
        /* plain text whose snippet shows the word (not a title-only match) */
        if (!strstr(path, ".txt") || !strstr(strchr(strchr(l, ':') + 1, ':'), "Szijjarto"))
            continue;
        /* the file's text at line:col starts with the word */
        char full[PATH_MAX], *data = NULL;
        snprintf(full, sizeof full, "%s/%s", th_tmpdir(), path);
        size_t len = 0;
        data = th_read(full, &len);
        cr_assert_not_null(data, "%s", full);
        const char *p = data;
        for (unsigned k = 1; k < line && p; k++) p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
        cr_assert_not_null(p);
        cr_expect(!strncmp(p + col - 1, "Szijjarto", 9), "%s -> %.20s", l, p + col - 1);
        checked++;
        free(data);
    }
    cr_expect_gt(lines, 0);
    cr_expect_gt(checked, 0);
    free(out);
    free(err);
}

Test(everyday, files_with_matches_lists_each_file_once)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("search -l Lavrov", &out, &err), 0, "%s", err);
    char *seen[64];
    size_t n = 0;
    for (char *l = strtok(out, "\n"); l && n < 64; l = strtok(NULL, "\n")) {
        for (size_t i = 0; i < n; i++) cr_expect_str_neq(seen[i], l, "listed twice");
        cr_expect(!strncmp(l, "c/", 2), "%s", l);
        seen[n++] = l;
    }
    /* corpus 003 and 004, article.md, broken.html, result.json, ... */
    cr_expect_geq(n, 5);
    free(out);
    free(err);
}

Test(everyday, format_forced_at_index_time_and_stored)
{
    char *out = NULL, *err = NULL;
    th_write(th_tmpdir(), "md/notes.txt", "# Notes\n\nThe **embargo** on [Cuba](https://x).\n", 46);
    cr_assert_eq(quire("index --index md-index --format md md", &out, &err), 0, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(quire("search --index md-index --json embargo", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "\"text\":\"The embargo on Cuba.\"") != NULL, "%s", out);
    cr_expect(strstr(out, "\"title\":\"Notes\"") != NULL, "%s", out);
    free(out);
    free(err);
    /* the same paths and format: nothing to do; the format is remembered
     * (no --format: still md); another format, or auto: rebuilt */
    cr_assert_eq(quire("index --index md-index --format md md", &out, &err), 0);
    cr_expect(strstr(out, "up to date") != NULL, "%s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("index --index md-index", &out, &err), 0);
    cr_expect(strstr(out, "up to date") != NULL, "remembered: %s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("index --index md-index --format auto md", &out, &err), 0);
    cr_expect(strstr(out, "indexed 1 file") != NULL, "read as text now: %s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("search --index md-index --json embargo", &out, &err), 0);
    cr_expect(strstr(out, "**embargo**") != NULL, "%s", out);
    free(out);
    free(err);
    cr_expect_eq(quire("index --index md-index --format docbook md", &out, &err), 2);
    cr_expect(strstr(err, "--format takes") != NULL, "%s", err);
    free(out);
    free(err);
}

Test(everyday, legacy_encodings_are_read_and_cited_in_the_original_bytes)
{
    char corpus[PATH_MAX], cmd[2 * PATH_MAX + 64], *out = NULL, *err = NULL;
    snprintf(corpus, sizeof corpus, "%s", th_corpus());
    snprintf(cmd, sizeof cmd, "cp -r '%s/tests/fixtures/charset' '%s/cs'", dirname(corpus),
             th_tmpdir());
    cr_assert_eq(system(cmd), 0);
    /* the page declares windows-1251: no warning, Cyrillic found */
    cr_assert_eq(quire("index --index cs-index cs", &out, &err), 0, "%s", err);
    cr_expect(strstr(err, "mfa.html") == NULL, "no warning for a declared charset: %s", err);
    cr_expect(strstr(err, "zurich.txt") == NULL, "undeclared latin-1, detected: %s", err);
    free(out);
    free(err);
    cr_assert_eq(quire("search --index cs-index -l Zürich", &out, &err), 0, "%s", err);
    cr_expect_str_eq(out, "cs/zurich.txt\n");
    free(out);
    free(err);
    cr_assert_eq(quire("search --index cs-index --json Лавров", &out, &err), 0, "%s", err);
    json_error_t je;
    json_t *h = json_loads(strtok(out, "\n"), 0, &je);
    cr_assert_not_null(h, "%s", je.text);
    cr_expect(strstr(field(h, "text"), "Сергей Лавров заявил, что Устав ООН — основа") != NULL,
              "%s", field(h, "text"));
    cr_expect_str_eq(field(h, "title"), "Лавров о Уставе ООН");
    /* the span cites the file's windows-1251 bytes: one byte a letter */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/cs/mfa.html", th_tmpdir());
    size_t len = 0;
    char *data = th_read(path, &len);
    cr_assert_not_null(data);
    const size_t bs = (size_t)json_integer_value(json_object_get(h, "byte_start"));
    const size_t be = (size_t)json_integer_value(json_object_get(h, "byte_end"));
    cr_assert_leq(be, len);
    cr_expect(!memcmp(data + bs, "\xcc\xe8\xed\xe8\xf1\xf2\xf0", 7), "starts with Министр");
    cr_expect(!memcmp(data + be - 3, "\xea\xe0.", 3), "ends with ...ка.");
    cr_expect_eq(json_integer_value(json_object_get(h, "line_start")), 5);
    free(data);
    json_decref(h);
    free(out);
    free(err);
    /* --encoding for files that declare nothing */
    cr_assert_eq(quire("index --index cs-index --encoding windows-1252 cs", &out, &err), 0, "%s",
                 err);
    cr_expect_str_eq(err, "");
    free(out);
    free(err);
    cr_assert_eq(quire("search --index cs-index --json naïve", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "café in Zürich") != NULL, "%s", out);
    free(out);
    free(err);
    cr_expect_eq(quire("index --index cs-index --encoding utf-16 cs", &out, &err), 2);
    cr_expect(strstr(err, "single-byte") != NULL, "%s", err);
    free(out);
    free(err);
}

Test(everyday, long_titles_are_cut_to_the_width_keeping_date_and_source)
{
    char *out = NULL, *err = NULL;
    /* a paragraph of the article whose title is Zakharova's long headline
     * (the headline's own passage is shown without its title line) */
    cr_assert_eq(quire("search --color=never -n 1 'resolution no weight whatsoever international "
                       "law'",
                       &out, &err),
                 0, "%s", err);
    /* not a terminal: 100 columns; the title line is the second */
    const char *l2 = strchr(out, '\n');
    cr_assert_not_null(l2);
    const char *end = strchr(l2 + 1, '\n');
    cr_assert_not_null(end);
    const char *ell = strstr(l2, "\xe2\x80\xa6  Russian MFA");
    cr_expect(ell && ell < end, "cut with an ellipsis before the source: %.*s", (int)(end - l2),
              l2);
    size_t cols = 0;
    for (const char *p = l2 + 1; p < end; p++) cols += ((unsigned char)*p & 0xC0) != 0x80;
    cr_expect_leq(cols, 100, "%zu characters", cols);
    free(out);
    free(err);
}

Test(everyday, equal_scores_are_listed_in_corpus_order_however_sharded)
{
    /* four passages that score alike: the walk's order is a-d.txt, a.txt,
     * b/c.txt (the folder b sorts before b-x.txt), b-x.txt */
    th_write(th_tmpdir(), "ties/b-x.txt", "Cuba embargo ten.\n", 18);
    th_write(th_tmpdir(), "ties/b/c.txt", "Cuba embargo six.\n", 18);
    th_write(th_tmpdir(), "ties/a.txt", "Cuba embargo two.\n", 18);
    th_write(th_tmpdir(), "ties/a-d.txt", "Cuba embargo one.\n", 18);
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("index -q --index ties-1 ties", &out, &err), 0, "%s", err);
    free(out);
    free(err);
    for (int i = 1; i <= 2; i++) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "index -q --shard %d/2 --index ties-s%d ties", i, i);
        cr_assert_eq(quire(cmd, &out, &err), 0, "%s", err);
        free(out);
        free(err);
    }
    static const char *const want[] = {"a-d.txt", "a.txt", "b/c.txt", "b-x.txt"};
    static const char *const how[] = {"--index ties-1", "--index ties-s1 --index ties-s2",
                                      "--index ties-s2 --index ties-s1"};
    for (size_t h = 0; h < 3; h++) {
        char args[256];
        snprintf(args, sizeof args, "%s -n 10 embargo", how[h]);
        results_t *r = search_json(args);
        cr_assert_eq(r->n, 4, "%s", how[h]);
        for (size_t i = 0; i < 4; i++) {
            cr_expect_str_eq(field(r->hits[i], "path"), want[i], "%s: rank %zu", how[h], i + 1);
            cr_expect_float_eq(json_real_value(json_object_get(r->hits[i], "score")),
                               json_real_value(json_object_get(r->hits[0], "score")), 1e-9);
        }
        free_results(r);
    }
}
