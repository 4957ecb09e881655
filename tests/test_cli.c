/*
 * test_cli.c - bin/quire end to end, as a user or a script runs it: exit
 * statuses, one-line errors, JSON Lines that parse for any content, citations
 * whose byte and line spans slice the cited text out of the original file,
 * warnings for bad files, colour, determinism and the writer lock.
 */
#include <criterion/criterion.h>

#include "generation.h"
#include "helpers.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char index_dir[4096];

static void setup(void)
{
    snprintf(index_dir, sizeof index_dir, "%s/index", th_tmpdir());
}

static void teardown(void)
{
    th_cleanup();
}

TestSuite(cli, .init = setup, .fini = teardown);

/* Runs `quire ARGS` with the test index; returns the exit status. */
static int quire(const char *args, char **out, char **err)
{
    char cmd[40000];
    snprintf(cmd, sizeof cmd, "cd '%s' && QUIRE_INDEX='%s' '%s' %s", th_tmpdir(), index_dir,
             th_bin(), args);
    return th_run(cmd, out, err);
}

static void index_corpus(void)
{
    char args[8192], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "index '%s'", th_corpus());
    cr_assert_eq(quire(args, &out, &err), 0, "stderr: %s", err);
    cr_expect(strstr(out, "indexed 5 files") != NULL, "summary: %s", out);
    cr_expect_eq(th_count_lines(out), 1, "one summary line");
    free(out);
    free(err);
}

Test(cli, exit_statuses_are_like_grep)
{
    char *out = NULL, *err = NULL;
    cr_expect_eq(quire("search sanctions", &out, &err), 2, "no index yet");
    cr_expect(strstr(err, "no index at") && strstr(err, "run: quire index"), "%s", err);
    cr_expect_eq(th_count_lines(err), 1, "one line: %s", err);
    free(out);
    free(err);
    index_corpus();
    cr_expect_eq(quire("search sanctions", &out, &err), 0);
    cr_expect(strlen(out) > 0);
    free(out);
    free(err);
    cr_expect_eq(quire("search xylophonequartz", &out, &err), 1);
    cr_expect_str_eq(out, "");
    free(out);
    free(err);
    cr_expect_eq(quire("search --strict '\"Group of'", &out, &err), 2);
    cr_expect(strstr(err, "unterminated quote at column 1") != NULL, "%s", err);
    cr_expect_eq(th_count_lines(err), 1);
    free(out);
    free(err);
    cr_expect_eq(quire("search --color=purple x", &out, &err), 2);
    free(out);
    free(err);
    cr_expect_eq(quire("frobnicate", &out, &err), 2);
    free(out);
    free(err);
}

/* Checks one JSON hit against the file it cites. */
static void check_citation(json_t *hit, const char *query)
{
    const char *root = json_string_value(json_object_get(hit, "root"));
    const char *path = json_string_value(json_object_get(hit, "path"));
    const char *text = json_string_value(json_object_get(hit, "text"));
    const char *snippet = json_string_value(json_object_get(hit, "snippet"));
    cr_assert(root && path && text && snippet, "fields present (%s)", query);
    cr_assert(json_is_string(json_object_get(hit, "file")));
    cr_assert(json_is_string(json_object_get(hit, "title")));
    cr_assert(json_is_real(json_object_get(hit, "score")) ||
              json_is_integer(json_object_get(hit, "score")));
    cr_assert(json_is_array(json_object_get(hit, "copies")));
    const json_int_t bs = json_integer_value(json_object_get(hit, "byte_start"));
    const json_int_t be = json_integer_value(json_object_get(hit, "byte_end"));
    const json_int_t ls = json_integer_value(json_object_get(hit, "line_start"));
    const json_int_t le = json_integer_value(json_object_get(hit, "line_end"));
    char file[8192];
    snprintf(file, sizeof file, "%s/%s", root, path);
    size_t len = 0;
    char *data = th_read(file, &len);
    cr_assert_not_null(data, "%s", file);
    cr_assert(bs >= 0 && bs < be && (size_t)be <= len, "%s: bytes %lld-%lld", file, (long long)bs,
              (long long)be);
    cr_expect_eq((size_t)(be - bs), strlen(text), "%s: span length", file);
    cr_expect(memcmp(data + bs, text, strlen(text)) == 0, "%s: bytes slice the text", file);
    json_int_t line = 1, last = 1;
    for (json_int_t i = 0; i < be; i++) {
        if (i == bs) cr_expect_eq(line, ls, "%s: line_start", file);
        last = line;
        line += data[i] == '\n';
    }
    cr_expect_eq(last, le, "%s: line_end", file);
    /* every highlighted word is in the cited bytes */
    json_t *hl = json_object_get(hit, "highlights");
    cr_expect_gt(json_array_size(hl), 0, "%s: some word matched", query);
    for (size_t i = 0; i < json_array_size(hl); i++) {
        const json_int_t a = json_integer_value(json_array_get(json_array_get(hl, i), 0));
        const json_int_t b = json_integer_value(json_array_get(json_array_get(hl, i), 1));
        cr_assert(a >= 0 && a < b && (size_t)b <= strlen(snippet));
        char word[256];
        snprintf(word, sizeof word, "%.*s", (int)(b - a), snippet + a);
        char *slice = strndup(data + bs, (size_t)(be - bs));
        cr_expect(strstr(slice, word) != NULL, "'%s' is in the cited text", word);
        free(slice);
    }
    free(data);
}

Test(cli, json_lines_parse_and_citations_slice_the_files)
{
    index_corpus();
    static const char *const queries[] = {
        "unilateral sanctions",    "'\"Group of Friends in Defense of the Charter\"'",
        "193 member states",       "Guaido",
        "Lavrov Szijjarto",        "multilateralism UN Charter",
        "Joint Global Action Plan"};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        char args[1024], *out = NULL, *err = NULL;
        snprintf(args, sizeof args, "search --json -n 10 %s", queries[q]);
        cr_assert_eq(quire(args, &out, &err), 0, "%s: %s", queries[q], err);
        size_t lines = 0;
        for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
            json_error_t je;
            json_t *hit = json_loads(line, 0, &je);
            cr_assert_not_null(hit, "%s: invalid JSON: %s in %s", queries[q], je.text, line);
            cr_expect_eq(json_integer_value(json_object_get(hit, "rank")), (json_int_t)++lines);
            check_citation(hit, queries[q]);
            json_decref(hit);
        }
        cr_expect_gt(lines, 0);
        free(out);
        free(err);
    }
}

Test(cli, json_is_valid_for_hostile_content)
{
    const char *dir = th_tmpdir();
    char docs[4096], args[8192], *out = NULL, *err = NULL;
    snprintf(docs, sizeof docs, "%s/docs", dir);
    static const char text[] = "Quotes \"zeppelin\" and back\\slash\n"
                               "\n"
                               "Control \x01\x02\x1f zeppelin tab\there\r\n"
                               "\n"
                               "Emoji 🇺🇳 zeppelin 1️⃣ \xe2\x80\xa8 separator\n"
                               "\n"
                               "Broken \xff\xfe zeppelin bytes\n";
    th_write(docs, "hostile.txt", text, sizeof text - 1);
    snprintf(args, sizeof args, "index '%s'", docs);
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    cr_expect(strstr(err, "hostile.txt: not valid UTF-8 (first bad byte at offset") != NULL, "%s",
              err);
    free(out);
    free(err);
    cr_assert_eq(quire("search --json -n 50 zeppelin", &out, &err), 0, "%s", err);
    size_t lines = 0;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        json_error_t je;
        json_t *hit = json_loads(line, 0, &je);
        cr_assert_not_null(hit, "invalid JSON: %s in %s", je.text, line);
        cr_expect(strstr(json_string_value(json_object_get(hit, "text")), "zeppelin"));
        json_decref(hit);
        lines++;
    }
    cr_expect_eq(lines, 4, "all four passages, the broken one included");
    free(out);
    free(err);
}

Test(cli, bad_files_get_one_warning_each_and_the_run_goes_on)
{
    const char *dir = th_tmpdir();
    char docs[4096], args[8192], *out = NULL, *err = NULL;
    snprintf(docs, sizeof docs, "%s/docs", dir);
    th_write(docs, "good.txt", "Good\n\nThe quokka is here.\n", 26);
    th_write(docs, "binary.txt", "PK\x03\x04\0\0quokka", 12);
    th_write(docs, "empty.txt", "", 0);
    th_write(docs, ".hidden.txt", "Hidden quokka\n", 14);
    th_write(docs, "notes.png", "quokka", 6);
    th_write(docs, "sub/deeper/more.txt", "More\n\nAnother quokka.\n", 22);
    char loop[8192], target[8192];
    snprintf(loop, sizeof loop, "%s/sub/deeper/up", docs);
    snprintf(target, sizeof target, "%s", docs);
    cr_assert_eq(symlink(target, loop), 0, "a link to an ancestor");
    snprintf(args, sizeof args, "index '%s'", docs);
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    cr_expect(strstr(err, "binary.txt: binary file (NUL byte at offset 4), skipped") != NULL, "%s",
              err);
    cr_expect_eq(th_count_lines(err), 1, "one warning, for the binary: %s", err);
    cr_expect(strstr(out, "indexed 3 files") != NULL, "good, empty, more: %s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("search --json -n 50 quokka", &out, &err), 0);
    cr_expect_eq(th_count_lines(out), 2, "hidden, binary and .png not indexed: %s", out);
    cr_expect(strstr(out, "sub/deeper/more.txt") != NULL);
    free(out);
    free(err);
}

Test(cli, unreadable_file_is_warned_and_skipped)
{
    if (geteuid() == 0) cr_skip_test("root reads any file; this needs an unprivileged user");
    const char *dir = th_tmpdir();
    char docs[4096], args[8192], *out = NULL, *err = NULL;
    snprintf(docs, sizeof docs, "%s/docs", dir);
    const char *p = th_write(docs, "secret.txt", "Secret\n", 7);
    chmod(p, 0);
    th_write(docs, "open.txt", "Open\n", 5);
    snprintf(args, sizeof args, "index '%s'", docs);
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    cr_expect(strstr(err, "secret.txt: unreadable, skipped: Permission denied") != NULL, "%s", err);
    free(out);
    free(err);
}

Test(cli, duplicates_are_listed_once_with_where_the_copies_are)
{
    index_corpus();
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("search --color=never -n 1 Monroe Doctrine", &out, &err), 0);
    cr_expect(strstr(out, "copies also at ") != NULL, "%s", out);
    cr_expect(strstr(out, "004_e24faed82d9ddb80.txt:") != NULL, "%s", out);
    free(out);
    free(err);
}

Test(cli, colour_only_when_asked_or_on_a_terminal)
{
    index_corpus();
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("search --color=always -n 1 Guaido", &out, &err), 0);
    cr_expect(strstr(out, "\033[1;31mGuaidó\033[0m") != NULL, "highlighted: %s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("search -n 1 Guaido", &out, &err), 0);
    cr_expect(strchr(out, '\033') == NULL, "plain on a pipe");
    free(out);
    free(err);
    cr_assert_eq(quire("search --color=never -n 1 Guaido", &out, &err), 0);
    cr_expect(strchr(out, '\033') == NULL);
    free(out);
    free(err);
}

Test(cli, same_corpus_same_results)
{
    index_corpus();
    char first[sizeof index_dir];
    snprintf(first, sizeof first, "%s", index_dir);
    char *a = NULL, *b = NULL, *err = NULL;
    cr_assert_eq(quire("search --json -n 30 UN Charter sanctions", &a, &err), 0);
    free(err);
    snprintf(index_dir, sizeof index_dir, "%s/index2", th_tmpdir());
    index_corpus();
    cr_assert_eq(quire("search --json -n 30 UN Charter sanctions", &b, &err), 0);
    cr_expect_str_eq(a, b);
    free(a);
    free(b);
    free(err);
    snprintf(index_dir, sizeof index_dir, "%s", first);
}

Test(cli, second_indexer_exits_at_once_with_its_own_status)
{
    ql_gen_t held;
    ql_err_t e = {0};
    cr_assert_eq(ql_gen_begin(index_dir, &held, &e), 0, "%s", e.msg);
    char args[8192], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "index '%s'", th_corpus());
    cr_expect_eq(quire(args, &out, &err), 3);
    cr_expect(strstr(err, "another quire index") != NULL, "%s", err);
    free(out);
    free(err);
    ql_gen_abort(&held);
}

Test(cli, corrupt_index_is_one_line_and_status_2)
{
    index_corpus();
    char cur[8192], file[8400];
    ql_err_t e = {0};
    cr_assert_eq(ql_gen_current(index_dir, cur, sizeof cur, &e), 0);
    snprintf(file, sizeof file, "%s/postlist.glass", cur);
    cr_assert_eq(truncate(file, 100), 0);
    char *out = NULL, *err = NULL;
    cr_expect_eq(quire("search sanctions", &out, &err), 2);
    cr_expect(strstr(err, "index is damaged") && strstr(err, "100 bytes, published with") &&
                  strstr(err, "quire index --full"),
              "%s", err);
    cr_expect_eq(th_count_lines(err), 1, "%s", err);
    free(out);
    free(err);
}

Test(cli, stem_shows_folding_and_stems)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("stem Defence Guaidó 1️⃣9️⃣3️⃣ organisations", &out, &err), 0);
    cr_expect(strstr(out, "Defence\tdefense\tdefens\n") != NULL, "%s", out);
    cr_expect(strstr(out, "Guaidó\tguaido\tguaido\n") != NULL, "%s", out);
    cr_expect(strstr(out, "\t193\t193\n") != NULL, "%s", out);
    cr_expect(strstr(out, "organisations\torganizations\torgan\n") != NULL, "%s", out);
    free(out);
    free(err);
}

/* Runs `quire search --batch FLAGS` on input's lines; parses exactly n
 * result lines into r. Returns the output, which r's strings do not need. */
static char *batch(const char *flags, const char *input, json_t **r, size_t n)
{
    char *out = NULL, *err = NULL, args[8192];
    snprintf(args, sizeof args, "search --batch %s < '%s'", flags,
             th_write(th_tmpdir(), "queries.txt", input, strlen(input)));
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    free(err);
    char *line = strtok(out, "\n");
    for (size_t i = 0; i < n; i++, line = strtok(NULL, "\n")) {
        json_error_t je;
        cr_assert_not_null(line, "%zu JSON lines, not %zu", n, i);
        r[i] = json_loads(line, 0, &je);
        cr_assert_not_null(r[i], "%s: %s", line, je.text);
    }
    cr_expect_null(line, "nothing else");
    return out;
}

Test(cli, batch_answers_each_query_on_its_own_line)
{
    index_corpus();
    json_t *r[3];
    char *out = batch("-n 3 --strict", "unilateral sanctions\n\"unclosed\nxylophonequartz\n", r, 3);
    json_t *a = r[0], *b = r[1], *c = r[2];
    cr_expect_str_eq(json_string_value(json_object_get(a, "query")), "unilateral sanctions");
    cr_expect_eq(json_array_size(json_object_get(a, "hits")), 3);
    cr_expect_gt(json_integer_value(json_object_get(a, "total")), 3);
    cr_assert_not_null(json_object_get(b, "error"));
    cr_expect(strstr(json_string_value(json_object_get(b, "error")), "unterminated quote") != NULL);
    cr_expect_null(json_object_get(b, "hits"));
    cr_expect_eq(json_array_size(json_object_get(c, "hits")), 0);
    cr_expect_eq(json_integer_value(json_object_get(c, "total")), 0);
    json_decref(a);
    json_decref(b);
    json_decref(c);
    free(out);
    /* without --strict the unclosed quote's words are searched, with a warning */
    out = batch("-n 3", "\"unilateral sanctions\n", r, 1);
    cr_expect_eq(json_array_size(json_object_get(r[0], "hits")), 3);
    cr_expect(strstr(json_string_value(json_object_get(r[0], "warning")),
                     "unterminated quote at column 1") != NULL);
    json_decref(r[0]);
    free(out);
}

/* The stopwords a query left out: an array in --batch, a line on stderr
 * with --explain, nothing otherwise. */
Test(cli, words_left_out_are_reported)
{
    index_corpus();
    json_t *r[2];
    char *out = batch("--brief -n 1", "when was the UN Charter signed\nUN Charter signed\n", r, 2);
    char *err = NULL;
    json_t *a = r[0], *b = r[1];
    const json_t *ig = json_object_get(a, "ignored");
    cr_assert_eq(json_array_size(ig), 3);
    cr_expect_str_eq(json_string_value(json_array_get(ig, 0)), "when");
    cr_expect_str_eq(json_string_value(json_array_get(ig, 1)), "was");
    cr_expect_str_eq(json_string_value(json_array_get(ig, 2)), "the");
    cr_expect_null(json_object_get(b, "ignored"));
    json_decref(a);
    json_decref(b);
    free(out);

    cr_assert_eq(quire("search -n 1 --explain when was the UN Charter signed", &out, &err), 0);
    cr_expect(strstr(err, "not searched, too common: when, was, the") != NULL, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(quire("search -n 1 when was the UN Charter signed", &out, &err), 0);
    cr_expect_null(strstr(err, "not searched"), "%s", err);
    free(out);
    free(err);
}

Test(cli, brief_json_carries_citations_only)
{
    index_corpus();
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("search --json --brief -n 2 Guaido", &out, &err), 0);
    json_error_t je;
    json_t *hit = json_loads(strtok(out, "\n"), 0, &je);
    cr_assert_not_null(hit);
    cr_expect(json_is_string(json_object_get(hit, "file")));
    cr_expect(json_is_integer(json_object_get(hit, "byte_start")));
    cr_expect_null(json_object_get(hit, "text"));
    cr_expect_null(json_object_get(hit, "snippet"));
    json_decref(hit);
    free(out);
    free(err);
}

Test(cli, did_you_mean_on_stderr_and_in_json)
{
    index_corpus();
    char *out = NULL, *err = NULL;
    cr_expect_eq(quire("search --strict sanctoins", &out, &err), 1);
    cr_expect(strstr(err, "quire: did you mean: sanctions\n") != NULL, "%s", err);
    cr_expect_str_eq(out, "");
    free(out);
    free(err);
    /* nothing matches as typed: the correction is searched, and said so */
    cr_expect_eq(quire("search -n 1 sanctoins", &out, &err), 0);
    cr_expect(strstr(err, "showing results for: sanctions\n") && strstr(out, "sanction"), "%s%s",
              err, out);
    free(out);
    free(err);
    cr_expect_eq(quire("search --json -n 1 sanctoins", &out, &err), 0);
    cr_expect(strstr(out, "\"did_you_mean\":\"sanctions\",\"corrected\":true,"), "%s", out);
    free(out);
    free(err);
    cr_expect_eq(quire("search --strict --json sanctoins", &out, &err), 1);
    cr_expect_str_eq(out, "{\"hits\":0,\"total\":0,\"total_exact\":true,\"estimated\":0,"
                          "\"did_you_mean\":\"sanctions\"}\n");
    free(out);
    free(err);
    cr_expect_eq(quire("search --json -n 1 Lavorv Hungary", &out, &err), 0);
    json_error_t je;
    json_t *hit = json_loads(out, 0, &je);
    cr_assert_not_null(hit, "%s", out);
    cr_expect_str_eq(json_string_value(json_object_get(hit, "did_you_mean")), "Lavrov Hungary");
    json_decref(hit);
    free(out);
    free(err);
}

/* A pasted paragraph with typos: the line names the words changed, not the
 * paragraph again; JSON still carries the whole corrected query (a page
 * offers it as a link). */
Test(cli, did_you_mean_for_a_long_query_names_the_words_it_changed)
{
    index_corpus();
    char *out = NULL, *err = NULL;
    const char *q = "search -n 1 The Group of Friends in Defence of the Charter of the Unted "
                    "Nations rejects unilateral sanctons imposed without the Security Council";
    cr_expect_eq(quire(q, &out, &err), 0);
    cr_expect(strstr(err, "quire: did you mean: United (for Unted), sanctions (for sanctons)\n"),
              "%s", err);
    cr_expect_null(strstr(err, "Defence"), "the paragraph repeated: %s", err);
    free(out);
    free(err);
    cr_expect_eq(quire("search --json -n 1 --offset 0 The Group of Friends in Defence of the "
                       "Charter of the Unted Nations rejects unilateral sanctons imposed",
                       &out, &err),
                 0);
    json_error_t je;
    json_t *hit = json_loads(out, 0, &je);
    cr_assert_not_null(hit, "%s", out);
    cr_expect_str_eq(json_string_value(json_object_get(hit, "did_you_mean")),
                     "The Group of Friends in Defence of the Charter of the United Nations "
                     "rejects unilateral sanctions imposed");
    json_decref(hit);
    free(out);
    free(err);
}

Test(cli, explain_in_text_and_json)
{
    index_corpus();
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("search --color=never --explain -n 1 DPRK sanctions", &out, &err), 0);
    cr_expect(strstr(out, "why: dprk \xe2\x86\x92 North Korea (alias)") != NULL, "%s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("search --json --explain -n 1 Guaido", &out, &err), 0);
    json_error_t je;
    json_t *hit = json_loads(out, 0, &je);
    cr_assert_not_null(hit);
    json_t *x = json_array_get(json_object_get(hit, "explain"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(x, "matched")), "Guaidó");
    cr_expect_str_eq(json_string_value(json_object_get(x, "kind")), "word");
    json_decref(hit);
    free(out);
    free(err);
}

Test(cli, index_check_says_when_the_index_is_stale)
{
    const char *dir = th_tmpdir();
    char docs[4096], a[4200], args[8192], *out = NULL, *err = NULL;
    snprintf(docs, sizeof docs, "%s/docs", dir);
    th_write(docs, "a.txt", "A\n\nalpha text\n", 14);
    th_write(docs, "b.txt", "B\n\nbeta text\n", 13);
    snprintf(a, sizeof a, "%s/a.txt", docs);
    snprintf(args, sizeof args, "index -q '%s'", docs);
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    free(out);
    free(err);

    cr_expect_eq(quire("index --check", &out, &err), 0, "fresh: %s%s", out, err);
    cr_expect(strstr(out, "up to date (2 files)") != NULL, "%s", out);
    free(out);
    free(err);

    th_write(docs, "a.txt", "A\n\nalpha text\n", 14); /* rewritten, same bytes */
    cr_expect_eq(quire("index --check", &out, &err), 0, "same content is not stale: %s", out);
    free(out);
    free(err);

    th_write(docs, "a.txt", "A\n\nalpha edited\n", 16);
    th_write(docs, "c.txt", "C\n", 2);
    snprintf(args, sizeof args, "%s/b.txt", docs);
    cr_assert_eq(unlink(args), 0);
    cr_expect_eq(quire("index --check", &out, &err), 1);
    cr_expect(strstr(out, "stale: 1 changed, 1 new, 1 gone") != NULL, "%s", out);
    free(out);
    free(err);

    snprintf(args, sizeof args, "index -q '%s'", docs);
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    free(out);
    free(err);
    cr_expect_eq(quire("index --check", &out, &err), 0, "rebuilt: %s", out);
    free(out);
    free(err);
}

/* The block of hit `rank` in text output: from its "RANK  " line to the
 * blank line after it (malloc'd). */
static char *hit_block(const char *out, unsigned rank)
{
    char head[16];
    snprintf(head, sizeof head, "%-2u ", rank);
    for (const char *line = out; line && *line;) {
        const char *end = strstr(line, "\n\n");
        const size_t len = end ? (size_t)(end - line) : strlen(line);
        if (strncmp(line, head, strlen(head)) == 0) return strndup(line, len);
        line = end ? end + 2 : NULL;
    }
    return NULL;
}

/* Regression: a passage that is its article's title alone (a post's
 * headline) was printed twice, the title line above its own text. */
Test(cli, a_headline_passage_is_not_shown_under_itself)
{
    index_corpus();
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("search --json -n 20 Charter", &out, &err), 0, "%s", err);
    unsigned ranks[20];
    char *titles[20];
    size_t n = 0;
    for (const char *line = out; line && *line && n < 20;) {
        const char *nl = strchr(line, '\n');
        json_t *hit = json_loadb(line, nl ? (size_t)(nl - line) : strlen(line), 0, NULL);
        cr_assert_not_null(hit);
        const char *title = json_string_value(json_object_get(hit, "title"));
        const char *text = json_string_value(json_object_get(hit, "text"));
        if (title && text && *title && strcmp(title, text) == 0) {
            ranks[n] = (unsigned)json_integer_value(json_object_get(hit, "rank"));
            titles[n++] = strndup(title, 30); /* within the snippet's first line */
        }
        json_decref(hit);
        line = nl ? nl + 1 : NULL;
    }
    free(out);
    free(err);
    cr_assert_gt(n, 0, "a hit that is its article's title");
    cr_assert_eq(quire("search --color=never -n 20 Charter", &out, &err), 0, "%s", err);
    for (size_t i = 0; i < n; i++) {
        char *block = hit_block(out, ranks[i]);
        cr_assert_not_null(block, "hit %u in:\n%s", ranks[i], out);
        const char *first = strstr(block, titles[i]);
        cr_expect(first && !strstr(first + 1, titles[i]), "said once:\n%s", block);
        free(block);
        free(titles[i]);
    }
    free(out);
    free(err);
}
