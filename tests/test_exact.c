/*
 * test_exact.c - search means what the user typed, through bin/quire: an
 * explicit operator reaches every passage that satisfies it, pasted text is
 * searched rather than refused, options go anywhere, prefixes and NEAR work
 * and fail clearly, citations point at the word in the file's own bytes for
 * every format, ranks follow printed scores, counts are given, and usage
 * errors are one line and a pointer to --help.
 */
#include <criterion/criterion.h>

#include "helpers.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char index_dir[4096];

static void setup(void)
{
    snprintf(index_dir, sizeof index_dir, "%s/index", th_tmpdir());
}

static void teardown(void)
{
    th_cleanup();
}

TestSuite(exact, .init = setup, .fini = teardown);

/* Runs `quire ARGS` in the scratch directory on the test index. */
static int quire(const char *args, char **out, char **err)
{
    char cmd[40000];
    snprintf(cmd, sizeof cmd, "cd '%s' && QUIRE_INDEX='%s' '%s' %s", th_tmpdir(), index_dir,
             th_bin(), args);
    return th_run(cmd, out, err);
}

/* quire ARGS, expecting status; returns stdout (caller frees). */
static char *run(const char *args, int status)
{
    char *out = NULL, *err = NULL;
    const int rc = quire(args, &out, &err);
    cr_assert_eq(rc, status, "quire %s: status %d\n%s%s", args, rc, out, err);
    free(err);
    return out;
}

static void index_corpus(void)
{
    char args[8192];
    snprintf(args, sizeof args, "index -q '%s'", th_corpus());
    free(run(args, 0));
}

/* Indexes files[0..n) (name, text pairs) written under <tmp>/docs. */
static void index_files(const char *const (*files)[2], size_t n)
{
    char docs[4096], args[8192];
    snprintf(docs, sizeof docs, "%s/docs", th_tmpdir());
    for (size_t i = 0; i < n; i++) th_write(docs, files[i][0], files[i][1], strlen(files[i][1]));
    snprintf(args, sizeof args, "index -q '%s'", docs);
    free(run(args, 0));
}

/* The hits of `quire search --json ARGS` (status 0 or 1), parsed; a summary
 * line (no hits) gives an empty array. */
static json_t *hits_of(const char *args)
{
    char a[8192], *out = NULL, *err = NULL;
    snprintf(a, sizeof a, "search --json %s", args);
    const int rc = quire(a, &out, &err);
    cr_assert(rc == 0 || rc == 1, "quire %s: %d %s", a, rc, err);
    json_t *v = json_array();
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        json_error_t je;
        json_t *h = json_loads(line, 0, &je);
        cr_assert_not_null(h, "%s: %s", line, je.text);
        if (json_object_get(h, "rank"))
            json_array_append_new(v, h);
        else
            json_decref(h);
    }
    free(out);
    free(err);
    return v;
}

/* "file@byte_start" of each hit, newline-separated; with copies, each copy
 * listed under a hit too (a passage is reached when a copy of it is). */
static void keys_of(json_t *hits, int copies, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < json_array_size(hits); i++) {
        json_t *h = json_array_get(hits, i), *c = json_object_get(h, "copies");
        n += (size_t)snprintf(out + n, cap - n, "\n%s@%lld\n",
                              json_string_value(json_object_get(h, "file")),
                              (long long)json_integer_value(json_object_get(h, "byte_start")));
        for (size_t k = 0; copies && k < json_array_size(c); k++)
            n += (size_t)snprintf(
                out + n, cap - n, "\n%s@%lld\n",
                json_string_value(json_object_get(json_array_get(c, k), "file")),
                (long long)json_integer_value(json_object_get(json_array_get(c, k), "byte_start")));
    }
}

Test(exact, an_explicit_or_reaches_every_passage_of_each_word)
{
    index_corpus();
    static char all[200000], one[200000];
    static const char *const sorts[] = {"", "--sort=date"};
    for (size_t s = 0; s < 2; s++) {
        char args[512];
        snprintf(args, sizeof args, "-n 1000 %s 'Guaido OR Szijjarto OR Bahrain'", sorts[s]);
        json_t *any = hits_of(args);
        cr_assert_gt(json_array_size(any), 3, "%s", args);
        keys_of(any, 1, all, sizeof all);
        static const char *const words[] = {"Guaido", "Szijjarto", "Bahrain"};
        for (size_t w = 0; w < 3; w++) {
            snprintf(args, sizeof args, "-n 1000 %s %s", sorts[s], words[w]);
            json_t *h = hits_of(args);
            cr_assert_gt(json_array_size(h), 0, "%s", words[w]);
            keys_of(h, 0, one, sizeof one);
            for (char *k = strtok(one, "\n"); k; k = strtok(NULL, "\n")) {
                char key[1024];
                snprintf(key, sizeof key, "\n%s\n", k);
                cr_expect(strstr(all, key) != NULL, "%s %s: %s is not reached", words[w], sorts[s],
                          k);
            }
            json_decref(h);
        }
        json_decref(any);
    }
    /* -l lists each of their files, and says nothing about a rule */
    char *out = NULL, *err = NULL;
    cr_expect_eq(quire("search -l 'Guaido OR Szijjarto OR Bahrain'", &out, &err), 0);
    cr_expect_eq(th_count_lines(out), 2, "%s", out);
    cr_expect_str_eq(err, "");
    free(out);
    free(err);
}

Test(exact, the_no_answer_rule_is_visible_and_only_for_plain_queries)
{
    index_corpus();
    char *out = NULL, *err = NULL;
    cr_expect_eq(quire("search Kuwait oil prices", &out, &err), 1);
    cr_expect_str_eq(out, "");
    cr_expect(strstr(err, "no passage holds half of the query") &&
                  strstr(err, "--partial-matches lists the best partial matches"),
              "%s", err);
    cr_expect_eq(th_count_lines(err), 1, "%s", err);
    free(out);
    free(err);
    /* JSON says so in a field */
    cr_expect_eq(quire("search --json Kuwait oil prices", &out, &err), 1);
    json_error_t je;
    json_t *sum = json_loads(out, 0, &je);
    cr_assert_not_null(sum, "%s", out);
    json_t *why = json_object_get(sum, "abstained");
    cr_assert(json_is_object(why), "%s", out);
    cr_expect_lt(json_real_value(json_object_get(why, "best_share")), 0.5);
    cr_expect_eq(json_integer_value(json_object_get(sum, "total")), 0);
    json_decref(sum);
    free(out);
    free(err);
    /* what the line says to do works */
    json_t *h = hits_of("--partial-matches Kuwait oil prices");
    cr_expect_gt(json_array_size(h), 0);
    json_decref(h);
    /* operators, fields and signs mean what they say: no rule hides them */
    static const char *const explicit_queries[] = {
        "'Kuwait OR oil OR prices'", "'+Kuwait oil prices'", "'Kuwait oil prices -xylophone'",
        "'(Kuwait oil prices)'"};
    for (size_t i = 0; i < sizeof explicit_queries / sizeof *explicit_queries; i++) {
        h = hits_of(explicit_queries[i]);
        cr_expect_gt(json_array_size(h), 0, "%s", explicit_queries[i]);
        json_decref(h);
    }
}

Test(exact, pasted_text_is_searched_with_a_warning)
{
    index_corpus();
    char *out = NULL, *err = NULL;
    const char *pasted = "search -n 2 'UN Charter (EL1 may be given as EL/1; I dont remember'";
    cr_expect_eq(quire(pasted, &out, &err), 0, "%s", err);
    cr_expect(strncmp(out, "1  ", 3) == 0, "%s", out);
    const char *w = strstr(err, "quire: warning: bad query: unclosed '(' at column 12; searched "
                                "its words as plain text (--strict refuses it)\n");
    cr_expect(w != NULL, "%s", err);
    cr_expect(w && strstr(w + 1, "quire: warning") == NULL, "one warning line: %s", err);
    free(out);
    free(err);
    cr_expect_eq(quire("search -n 1 --json '\"The rotation of the Charter:, SIAM J.'", &out, &err),
                 0);
    cr_expect(strstr(out, "\"warning\":\"bad query: unterminated quote at column 1;") != NULL, "%s",
              out);
    free(out);
    free(err);
    /* --strict keeps the error and its column */
    cr_expect_eq(quire("search --strict 'UN Charter (EL1 may be given'", &out, &err), 2);
    cr_expect(strstr(err, "unclosed '(' at column 12") != NULL, "%s", err);
    free(out);
    free(err);
    /* an operator with a bad argument is never read plainly */
    cr_expect_eq(quire("search 'Lavrov NEAR/0 Hungary'", &out, &err), 2);
    free(out);
    free(err);
}

Test(exact, options_go_before_between_and_after_the_words)
{
    index_corpus();
    char *a = run("search -n 2 unilateral sanctions", 0);
    char *b = run("search unilateral -n 2 sanctions", 0);
    char *c = run("search unilateral sanctions -n 2", 0);
    char *d = run("search unilateral sanctions --limit=2", 0);
    cr_expect_str_eq(a, b);
    cr_expect_str_eq(a, c);
    cr_expect_str_eq(a, d);
    cr_expect(strstr(a, "\n2  ") != NULL && strstr(a, "\n3  ") == NULL, "%s", a);
    free(b);
    free(c);
    free(d);
    /* the old pitfalls: no "did you mean: Guaido -n 16", no digit searched */
    char *out = NULL, *err = NULL;
    cr_expect_eq(quire("search Guaido -n 1", &out, &err), 0);
    cr_expect_str_eq(err, "");
    cr_expect(strncmp(out, "1  ", 3) == 0 && strstr(out, "\n2  ") == NULL, "%s", out);
    free(out);
    free(err);
    b = run("search 'sanctions -Lavrov' -l", 0);
    c = run("search -l -- sanctions -Lavrov", 0);
    cr_expect_str_eq(b, c);
    cr_expect(strstr(b, "bytes") == NULL && strstr(b, ".txt\n") != NULL, "files only: %s", b);
    free(b);
    free(c);
    /* a word that looks like an option is refused, with the way out */
    cr_expect_eq(quire("search sanctions -Lavrov", &out, &err), 2);
    cr_expect(strstr(err, "unknown option '-L' in '-Lavrov'") && strstr(err, "goes after --"), "%s",
              err);
    free(out);
    free(err);
    /* other commands too */
    char args[8192];
    snprintf(args, sizeof args, "index '%s' -q --full", th_corpus());
    char *quiet = run(args, 0);
    cr_expect_str_eq(quiet, "");
    free(quiet);
    free(a);
    snprintf(args, sizeof args, "show %s/000_7a6acfea8e07a11b.txt:5 -C 0 --color=never",
             th_corpus());
    a = run(args, 0);
    snprintf(args, sizeof args, "show -C 0 --color=never %s/000_7a6acfea8e07a11b.txt:5",
             th_corpus());
    b = run(args, 0);
    cr_expect_str_eq(a, b);
    free(a);
    free(b);
}

Test(exact, usage_errors_are_one_line_and_where_help_is)
{
    index_corpus();
    static const struct {
        const char *args, *says, *help;
    } cases[] = {
        {"search", "quire: search: no query given", "Try 'quire search --help'."},
        {"search --bogus x", "unknown option '--bogus'", "Try 'quire search --help'."},
        {"search -n 0 x", "-n takes a whole number from 1 to 100000, not '0'", "search --help"},
        {"search -n -3 x", "not '-3'", "search --help"},
        {"search -n 999999999999 x", "not '999999999999'", "search --help"},
        {"search -n", "option '-n' needs a value", "search --help"},
        {"search --limit", "option '--limit' needs a value", "search --help"},
        {"search --json -l x", "--json and -l cannot be combined", "search --help"},
        {"search -c --format=vimgrep x", "-c and --format=vimgrep cannot be combined",
         "search --help"},
        {"search --sort=newest x", "--sort takes relevance or date, not 'newest'", "search --help"},
        {"serve", "quire: serve: --port is required", "Try 'quire serve --help'."},
        {"serve --port 99999", "--port takes a whole number from 1 to 65535", "serve --help"},
        {"show", "quire: show: no citation given", "Try 'quire show --help'."},
        {"stats extra", "unexpected argument 'extra'", "stats --help"},
        {"index -j 0", "--jobs takes a whole number from 1 to 64", "index --help"},
        {"", "quire: no command given", "Try 'quire --help'."},
        {"frobnicate", "unknown command 'frobnicate'", "Try 'quire --help'."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *out = NULL, *err = NULL;
        cr_expect_eq(quire(cases[i].args, &out, &err), 2, "quire %s", cases[i].args);
        cr_expect(strstr(err, cases[i].says) != NULL, "quire %s: %s", cases[i].args, err);
        cr_expect(strstr(err, cases[i].help) != NULL, "quire %s: %s", cases[i].args, err);
        cr_expect_eq(th_count_lines(err), 2, "quire %s: two lines: %s", cases[i].args, err);
        cr_expect_str_eq(out, "", "quire %s", cases[i].args);
        free(out);
        free(err);
    }
}

/* Every highlighted word of every hit starts with prefix (any case). */
static void expect_prefix_highlights(json_t *hits, const char *prefix)
{
    for (size_t i = 0; i < json_array_size(hits); i++) {
        json_t *h = json_array_get(hits, i);
        const char *sn = json_string_value(json_object_get(h, "snippet"));
        json_t *hl = json_object_get(h, "highlights");
        cr_expect_gt(json_array_size(hl), 0, "rank %zu: %s", i + 1, sn);
        for (size_t k = 0; k < json_array_size(hl); k++) {
            const json_int_t a = json_integer_value(json_array_get(json_array_get(hl, k), 0));
            cr_expect(strncasecmp(sn + a, prefix, strlen(prefix)) == 0, "highlight %.12s in %s",
                      sn + a, sn);
        }
    }
}

Test(exact, prefixes_expand_against_the_index_and_are_highlighted)
{
    index_corpus();
    json_t *h = hits_of("-n 50 'sanct*'");
    cr_assert_gt(json_array_size(h), 10);
    expect_prefix_highlights(h, "sanct");
    json_decref(h);
    /* a prefix longer than its stem still finds what the word finds */
    json_t *word = hits_of("-n 100 sanctions"), *pre = hits_of("-n 100 'sanctions*'");
    cr_expect_geq(json_array_size(pre), json_array_size(word));
    json_decref(word);
    json_decref(pre);
    /* folded as words are: accents and case */
    h = hits_of("'GUAIDÓ*'");
    cr_expect_gt(json_array_size(h), 0);
    json_decref(h);
    /* explain names the prefix */
    char *out = run("search -n 1 --json --explain 'sanct*'", 0);
    cr_expect(strstr(out, "\"from\":\"sanct*\"") != NULL, "%s", out);
    free(out);
    /* a prefix no word has matches nothing, and suggests nothing */
    char *err = NULL;
    cr_expect_eq(quire("search 'xylophq*'", &out, &err), 1);
    cr_expect(strstr(err, "did you mean") == NULL, "%s", err);
    free(out);
    free(err);
}

Test(exact, a_prefix_too_wide_or_misplaced_is_an_error_with_its_column)
{
    /* 1,001 distinct words starting with zq */
    static char text[40000];
    size_t n = (size_t)snprintf(text, sizeof text, "Title\n\n");
    for (int i = 0; i < 1001; i++) {
        const char a = (char)('a' + i % 26), b = (char)('a' + i / 26 % 26),
                   c = (char)('a' + i / 676);
        n += (size_t)snprintf(text + n, sizeof text - n, "zq%c%c%c%s", a, b, c,
                              i % 12 == 11 ? "\n\n" : " ");
    }
    const char *const files[][2] = {{"zq.txt", text}};
    index_files(files, 1);
    static const struct {
        const char *query, *says;
    } cases[] = {
        {"'zq*'", "zq* matches more than 1000 words; make the prefix longer at column 1"},
        {"'charter a*'", "a prefix needs at least 2 letters before '*' at column 9"},
        {"'sanct**'", "a prefix ends in one '*' (try: sanct*) at column 6"},
        {"'*'", "'*' needs a word before it (try: sanct*) at column 1"},
        {"'**'", "'*' needs a word before it (try: sanct*) at column 1"},
        {"'\"the sanct* regime\"'", "a prefix (word*) cannot be inside a phrase at column 6"},
        {"'date:20*'", "date: takes a date, not a prefix"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char args[512], *out = NULL, *err = NULL;
        snprintf(args, sizeof args, "search %s", cases[i].query);
        cr_expect_eq(quire(args, &out, &err), 2, "%s", cases[i].query);
        cr_expect(strstr(err, cases[i].says) != NULL, "%s: %s", cases[i].query, err);
        cr_expect_eq(th_count_lines(err), 1, "%s: %s", cases[i].query, err);
        free(out);
        free(err);
    }
    /* one letter more and it is fine */
    json_t *h = hits_of("-n 3 'zqa*'");
    cr_expect_gt(json_array_size(h), 0);
    json_decref(h);
}

Test(exact, near_finds_words_and_phrases_within_n_words)
{
    index_corpus();
    /* "Lavrov had a meeting with Minister of Foreign Affairs and Trade of
     * Hungary": 11 words between them */
    json_t *h = hits_of("'Lavrov NEAR/11 Hungary'");
    cr_expect_gt(json_array_size(h), 0);
    json_decref(h);
    h = hits_of("'Hungary NEAR/11 Lavrov'"); /* either order */
    cr_expect_gt(json_array_size(h), 0);
    json_decref(h);
    char args[256];
    snprintf(args, sizeof args, "'Lavrov NEAR/10 Hungary' 'Szijjarto NEAR/2 Putin'");
    h = hits_of(args);
    cr_expect_eq(json_array_size(h), 0, "not within 10 words");
    json_decref(h);
    /* a phrase with a word, and NEAR alone (10 words) */
    h = hits_of("'\"Group of Friends\" NEAR/5 letter'");
    cr_assert_gt(json_array_size(h), 0);
    const char *text = json_string_value(json_object_get(json_array_get(h, 0), "text"));
    cr_expect(th_icontains(text, "group of friends") && th_icontains(text, "letter"), "%s", text);
    json_decref(h);
    h = hits_of("'Szijjarto NEAR Hungary'");
    cr_expect_gt(json_array_size(h), 0);
    json_decref(h);
    static const struct {
        const char *query, *says;
    } bad[] = {
        {"'a NEAR/0 b'", "NEAR/n takes a number of words from 1 to 100 at column 3"},
        {"'a NEAR/100000 b'", "NEAR/n takes a number of words from 1 to 100 at column 3"},
        {"'a NEAR/x b'", "NEAR/n takes a number"},
        {"'NEAR Lavrov'", "'NEAR' needs a word or phrase before it at column 1"},
        {"'Lavrov NEAR'", "'NEAR' needs a word or phrase after it at column 8"},
        {"'title:Iran NEAR Lavrov'", "NEAR joins words and phrases of the text"},
        {"'a NEAR/3 b NEAR/5 c'", "one NEAR chain takes one distance"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char a[512], *out = NULL, *err = NULL;
        snprintf(a, sizeof a, "search %s", bad[i].query);
        cr_expect_eq(quire(a, &out, &err), 2, "%s", bad[i].query);
        cr_expect(strstr(err, bad[i].says) != NULL, "%s: %s", bad[i].query, err);
        free(out);
        free(err);
    }
}

/* The 1-based line and byte column of the first occurrence of word in the
 * file's bytes. */
static void place_of(const char *file, const char *word, long *line, long *col, long *byte)
{
    size_t len = 0;
    char *data = th_read(file, &len);
    cr_assert_not_null(data, "%s", file);
    const char *at = strstr(data, word);
    cr_assert_not_null(at, "%s has %s", file, word);
    *line = 1;
    const char *bol = data;
    for (const char *p = data; p < at; p++)
        if (*p == '\n') {
            (*line)++;
            bol = p + 1;
        }
    *col = at - bol + 1;
    *byte = at - data;
    free(data);
}

Test(exact, vimgrep_and_json_cite_the_word_in_the_file_for_every_format)
{
    /* each file holds the word zebrafinch once, where the extracted text and
     * the file's bytes disagree before it: markup, entities, escapes, folded
     * line breaks, a windows-1251 byte */
    static const char html[] =
        "<html><head><title>Page</title></head><body>\n<p>Intro &amp; more.</p>\n"
        "<p>The <b>Group</b> of &eacute;lite\n   friends and   the    zebrafinch matters.</p>\n"
        "</body></html>\n";
    static const char md[] =
        "# Notes\n\nSome **bold** and `code` then\n*more* text on a zebrafinch "
        "line.\n";
    static const char jsonl[] = "{\"title\":\"A\",\"text\":\"caf\\u00e9 first\"}\n"
                                "{\"title\":\"B\",\"text\":\"Line\\none \\\"q\\\" zebrafinch\"}\n";
    static const char json[] = "[\n  {\"title\": \"T\",\n   \"text\": \"\\u00e9\\u00e9 and the "
                               "zebrafinch\"}\n]\n";
    static const char tg[] = "{\"name\":\"Chan\",\"type\":\"public_channel\",\"messages\":[\n"
                             " {\"id\":1,\"type\":\"message\",\"date\":\"2024-01-02T10:00:00\",\n"
                             "  \"text\":[\"Look \",{\"type\":\"bold\",\"text\":\"here\"},\" at "
                             "the zebrafinch\"]}\n]}\n";
    static const char txt[] = "Title\n\nA long first paragraph that goes on. Then the zebrafinch "
                              "appears\nhere.\n";
    static const char cp1251[] = "Title\n\n\xcf\xf0\xe8\xe2\xe5\xf2 and the zebrafinch\n";
    const char *const files[][2] = {
        {"page.html", html}, {"notes.md", md},   {"wire.jsonl", jsonl}, {"arr.json", json},
        {"result.json", tg}, {"plain.txt", txt}, {"legacy.txt", cp1251}};
    char docs[4096], args[8192];
    snprintf(docs, sizeof docs, "%s/docs", th_tmpdir());
    for (size_t i = 0; i < 7; i++) th_write(docs, files[i][0], files[i][1], strlen(files[i][1]));
    snprintf(args, sizeof args, "index -q --encoding windows-1251 '%s'", docs);
    free(run(args, 0));
    char *vim = run("search -n 20 --format=vimgrep zebrafinch", 0);
    json_t *hits = hits_of("-n 20 zebrafinch");
    cr_assert_eq(json_array_size(hits), 7, "one hit per file");
    for (size_t i = 0; i < 7; i++) {
        json_t *h = json_array_get(hits, i);
        const char *path = json_string_value(json_object_get(h, "path"));
        char file[8192];
        snprintf(file, sizeof file, "%s/%s", docs, path);
        long line = 0, col = 0, byte = 0;
        place_of(file, "zebrafinch", &line, &col, &byte);
        json_t *m = json_object_get(h, "match");
        cr_assert(json_is_object(m), "%s", path);
        cr_expect_eq(json_integer_value(json_object_get(m, "line")), line, "%s line", path);
        cr_expect_eq(json_integer_value(json_object_get(m, "column")), col, "%s column", path);
        cr_expect_eq(json_integer_value(json_object_get(m, "byte")), byte, "%s byte", path);
        char want[512];
        snprintf(want, sizeof want, "docs/%s:%ld:%ld:", path, line, col);
        cr_expect(strstr(vim, want) != NULL, "%s in\n%s", want, vim);
    }
    json_decref(hits);
    free(vim);
}

/* Scores of `quire search --json ARGS` never rise from one rank to the next. */
static void expect_scores_fall(const char *args)
{
    json_t *h = hits_of(args);
    cr_assert_gt(json_array_size(h), 1, "%s", args);
    for (size_t i = 1; i < json_array_size(h); i++) {
        const double a = json_number_value(json_object_get(json_array_get(h, i - 1), "score"));
        const double b = json_number_value(json_object_get(json_array_get(h, i), "score"));
        cr_expect_geq(a, b, "%s: rank %zu scores %g after %g", args, i + 1, b, a);
    }
    json_decref(h);
}

Test(exact, ranks_follow_the_printed_scores)
{
    index_corpus();
    /* queries whose hits include boilerplate (tag lines, lone hashtags) */
    expect_scores_fall("-n 60 'UN Charter rules'");
    expect_scores_fall("-n 60 'Russian MFA'");
    expect_scores_fall("-n 60 'group friends defense letter'");
    expect_scores_fall("-n 60 charter");
    /* and in text, as printed */
    char *out = run("search -n 40 charter", 0);
    double last = 1e300;
    for (const char *p = strstr(out, "score "); p; p = strstr(p + 1, "score ")) {
        const double s = strtod(p + 6, NULL);
        cr_expect_leq(s, last, "%.40s", p);
        last = s;
    }
    free(out);
}

Test(exact, a_hit_matched_only_through_its_title_says_so)
{
    const char *const files[][2] = {
        {"a.txt", "Defense pact signed\n\nThe ministers met in Geneva on Tuesday.\n"},
        {"b.txt", "Other news\n\nThe defense budget grew by five percent.\n"}};
    index_files(files, 2);
    json_t *h = hits_of("defense");
    size_t title_only = 0;
    for (size_t i = 0; i < json_array_size(h); i++) {
        json_t *x = json_array_get(h, i);
        const char *text = json_string_value(json_object_get(x, "text"));
        const int only = json_is_true(json_object_get(x, "title_only"));
        cr_expect_eq(only, !th_icontains(text, "defense"), "%s", text);
        title_only += only;
        /* the title's word is marked where it is */
        json_t *th = json_object_get(x, "title_highlights");
        cr_assert_eq(json_array_size(th),
                     strncmp(json_string_value(json_object_get(x, "title")), "Defense", 7) == 0);
    }
    cr_expect_eq(title_only, 1);
    json_decref(h);
    char *out = run("search defense", 0);
    cr_expect(strstr(out, "(matched in the title)") != NULL, "%s", out);
    free(out);
}

Test(exact, counts_are_exact_and_said)
{
    index_corpus();
    char *out = run("search -c sanctions", 0);
    json_t *h = hits_of("-n 100000 sanctions");
    char want[32];
    snprintf(want, sizeof want, "%zu\n", json_array_size(h));
    cr_expect_str_eq(out, want);
    cr_expect_eq(json_integer_value(json_object_get(json_array_get(h, 0), "total")),
                 (json_int_t)json_array_size(h));
    cr_expect(json_is_true(json_object_get(json_array_get(h, 0), "total_exact")));
    json_decref(h);
    free(out);
    out = run("search -c xylophonequartz", 1);
    cr_expect_str_eq(out, "0\n");
    free(out);
    out = run("search -c 'Guaido OR Szijjarto'", 0);
    cr_expect_gt(atoi(out), 2);
    free(out);
    /* on a terminal, text ends with how many of how many */
    char args[8192], *err = NULL;
    snprintf(args, sizeof args,
             "cd '%s' && QUIRE_INDEX='%s' script -qec \"'%s' search -n 2 sanctions\" /dev/null",
             th_tmpdir(), index_dir, th_bin());
    cr_assert_eq(th_run(args, &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "2 of ") != NULL && strstr(out, " passages") != NULL, "%s", out);
    free(out);
    free(err);
    /* and in a batch */
    snprintf(args, sizeof args, "search --batch --offset 2 -n 2 --brief < '%s'",
             th_write(th_tmpdir(), "q.txt", "sanctions\n", 10));
    out = run(args, 0);
    json_error_t je;
    json_t *b = json_loads(out, 0, &je);
    cr_assert_not_null(b, "regression: --offset made \"hits\":[, - %s: %s", out, je.text);
    cr_expect_eq(json_array_size(json_object_get(b, "hits")), 2);
    cr_expect_eq(
        json_integer_value(json_object_get(json_array_get(json_object_get(b, "hits"), 0), "rank")),
        3);
    cr_expect_gt(json_integer_value(json_object_get(b, "total")), 4);
    json_decref(b);
    free(out);
}

Test(exact, numbers_and_codes_are_not_corrected)
{
    index_corpus();
    char *out = NULL, *err = NULL;
    cr_expect_eq(quire("search -n 1 --partial-matches Charter EL1 7", &out, &err), 0);
    cr_expect(strstr(err, "did you mean") == NULL, "regression: 1 -> 16: %s", err);
    free(out);
    free(err);
}

/* Regression (found by make check-reliability's one-line file): a long line
 * is cut into windows, each citing its start column in that line; the
 * column is found once per file, in order, not by scanning back. */
Test(exact, windows_of_a_long_line_cite_their_start_columns)
{
    static char text[200000];
    size_t n = (size_t)snprintf(text, sizeof text, "Title\n\nintro line\n");
    for (int i = 0; i < 2000; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "word%d gecko%s", i,
                              i % 9 == 8 ? ". " : " ");
    n += (size_t)snprintf(text + n, sizeof text - n, "\nlast line\n");
    const char *const files[][2] = {{"long.txt", text}};
    index_files(files, 1);
    json_t *h = hits_of("-n 100 gecko");
    cr_assert_gt(json_array_size(h), 5, "the line is cut into windows");
    size_t mid = 0;
    for (size_t i = 0; i < json_array_size(h); i++) {
        json_t *x = json_array_get(h, i);
        const json_int_t bs = json_integer_value(json_object_get(x, "byte_start"));
        json_int_t bol = bs;
        while (bol > 0 && text[bol - 1] != '\n') bol--;
        cr_expect_eq(json_integer_value(json_object_get(x, "column_start")), bs - bol + 1,
                     "window at byte %lld", (long long)bs);
        mid += bs - bol > 0;
    }
    cr_expect_gt(mid, 3, "windows start in the middle of the line");
    json_decref(h);
}
