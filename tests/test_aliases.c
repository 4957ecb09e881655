/*
 * test_aliases.c - alias files and their expansion at search time: names
 * in a group find each other, inside phrases too; capitalised acronyms only
 * match capitals; a user's file extends the built-in one; bad files are
 * refused with the file and line.
 */
#include <criterion/criterion.h>

#include "aliases.h"
#include "helpers.h"
#include "indexer.h"
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char index_dir[4096];

static void build(void)
{
    const char *dir = th_tmpdir();
    char docs[4096];
    snprintf(docs, sizeof docs, "%s/docs", dir);
    static const char a[] = "Korea\n\nThe DPRK tested a missile.\n\n"
                            "North Korea said the test was routine.\n\n"
                            "Let us talk about weather.\n\n"
                            "The United Nations Charter was signed in 1945.\n\n"
                            "The zorblax treaty was signed.\n";
    th_write(docs, "a.txt", a, sizeof a - 1);
    const char *index = th_index(docs);
    cr_assert_not_null(index);
    snprintf(index_dir, sizeof index_dir, "%s", index);
}

static void teardown(void)
{
    th_cleanup();
}

TestSuite(aliases, .init = build, .fini = teardown);

typedef struct {
    char texts[16][256];
    size_t n;
} found_t;

static int keep(void *ctx, const qs_hit_t *h)
{
    found_t *f = ctx;
    if (f->n < 16) snprintf(f->texts[f->n++], 256, "%.*s", (int)h->p->text_len, h->p->text);
    return 0;
}

static found_t search(const char *query, const char *extra_aliases)
{
    qs_searcher_t *s = NULL;
    ql_err_t e = {0};
    cr_assert_eq(qs_open(index_dir, &s, &e), 0, "%s", e.msg);
    if (extra_aliases) cr_assert_eq(qs_add_aliases(s, extra_aliases, &e), 0, "%s", e.msg);
    qs_options_t o;
    qs_options_default(&o);
    found_t f = {0};
    qs_result_t res;
    cr_assert_eq(qs_search(s, query, strlen(query), &o, keep, &f, &res, &e), 0, "%s", e.msg);
    qs_close(s);
    return f;
}

static int has(const found_t *f, const char *text)
{
    for (size_t i = 0; i < f->n; i++)
        if (strstr(f->texts[i], text)) return 1;
    return 0;
}

Test(aliases, names_of_a_group_find_each_other)
{
    found_t f = search("DPRK", NULL);
    cr_expect(has(&f, "The DPRK tested") && has(&f, "North Korea said"), "%zu hits", f.n);
    f = search("North Korea", NULL);
    cr_expect(has(&f, "The DPRK tested"), "the acronym found from the unquoted name");
}

Test(aliases, phrases_keep_working)
{
    found_t f = search("\"UN Charter was signed\"", NULL);
    cr_expect(has(&f, "United Nations Charter was signed"), "%zu hits", f.n);
}

Test(aliases, acronyms_match_only_capitals)
{
    found_t f = search("United States", NULL);
    cr_expect(!has(&f, "Let us talk"), "'us' is not the United States");
}

Test(aliases, user_file_extends_the_built_in_ones)
{
    const char *p = th_write(th_tmpdir(), "mine.txt", "# mine\nZorblax | Kessel Accord\n", 31);
    char path[4096];
    snprintf(path, sizeof path, "%s", p);
    found_t f = search("Kessel Accord", NULL);
    cr_expect(!has(&f, "zorblax treaty"), "not without the file");
    f = search("Kessel Accord", path);
    cr_expect(has(&f, "zorblax treaty"), "with the file");
    f = search("DPRK", path);
    cr_expect(has(&f, "North Korea said"), "built-in ones still there");
}

Test(aliases, bad_files_name_the_line)
{
    qt_pipeline_t *p = qt_pipeline_new();
    qs_aliases_t a = {0};
    ql_err_t e = {0};
    static const char text[] = "UN | United Nations\nlonely name\n";
    cr_expect_neq(qs_aliases_parse(&a, p, text, sizeof text - 1, "x.txt", &e), 0);
    cr_expect(strstr(e.msg, "x.txt:2:") != NULL, "%s", e.msg);
    qs_aliases_free(&a);
    cr_expect_neq(qs_aliases_load(&a, p, "/nonexistent/aliases.txt", 1, &e), 0);
    cr_expect(strstr(e.msg, "/nonexistent/aliases.txt") != NULL, "%s", e.msg);
    cr_expect_eq(qs_aliases_load(&a, p, "/nonexistent/aliases.txt", 0, &e), 0, "optional");
    qs_aliases_free(&a);
    qt_pipeline_free(p);
}

Test(aliases, built_in_file_parses)
{
    qt_pipeline_t *p = qt_pipeline_new();
    qs_aliases_t a = {0};
    ql_err_t e = {0};
    cr_assert_eq(
        qs_aliases_parse(&a, p, qs_default_aliases, strlen(qs_default_aliases), "built-in", &e), 0,
        "%s", e.msg);
    cr_expect_geq(a.n, 10);
    qs_aliases_free(&a);
    qt_pipeline_free(p);
}
