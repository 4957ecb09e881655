/*
 * test_aliases.c - alias files and their expansion at search time: names
 * in a group find each other, inside phrases too; capitalised acronyms only
 * match capitals; a user's file extends the built-in one; bad files are
 * refused with the file and line. Related names (a place and its
 * demonym, searcher/demonyms.txt) find each other below the name typed.
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
    static const char b[] = "Visits\n\nIran's foreign minister visited Moscow on Monday.\n\n"
                            "The Iranian foreign minister spoke in Geneva.\n";
    th_write(docs, "b.txt", b, sizeof b - 1);
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

typedef th_found_t found_t;

static found_t search(const char *query, const char *extra_aliases)
{
    return th_search_texts(index_dir, query, extra_aliases);
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

/* The rank (1-based) of the first hit holding text, 0 when none does. */
static size_t rank_of(const found_t *f, const char *text)
{
    for (size_t i = 0; i < f->n; i++)
        if (strstr(f->texts[i], text)) return i + 1;
    return 0;
}

Test(aliases, related_names_find_each_other_below_the_name_typed)
{
    found_t f = search("Iranian minister", NULL);
    const size_t said = rank_of(&f, "The Iranian foreign"), related = rank_of(&f, "Iran's foreign");
    cr_expect(said == 1 && related == 2, "Iranian first (%zu), Iran's found after (%zu)", said,
              related);
    f = search("Iran minister", NULL);
    cr_expect(rank_of(&f, "Iran's foreign") == 1 && rank_of(&f, "The Iranian foreign") == 2,
              "the other way round");
}

typedef struct {
    char stem[64], norm[64];
    int upper;
} one_word_t;

static int first_word(void *ctx, const qt_token_t *t)
{
    one_word_t *w = ctx;
    snprintf(w->stem, sizeof w->stem, "%.*s", (int)t->stem_len, t->stem);
    snprintf(w->norm, sizeof w->norm, "%.*s", (int)t->norm_len, t->norm);
    w->upper = (t->flags & QT_TOK_UPPER) != 0;
    return 1; /* the first word only */
}

/* The group and side the one-word name matches in a, as "g:side". */
static void matched(const qs_aliases_t *a, qt_pipeline_t *p, const char *word, char *out)
{
    one_word_t one = {{0}, {0}, 0};
    qt_tokenize(p, word, strlen(word), first_word, &one);
    const qs_alias_word_t w = {one.stem, one.norm, one.upper};
    size_t g = 0, len = 0;
    unsigned side = 9;
    if (qs_aliases_match(a, &w, 1, 0, &g, &len, &side))
        sprintf(out, "%zu:%u", g, side);
    else
        strcpy(out, "none");
}

Test(aliases, sides_line_up_when_groups_merge)
{
    qt_pipeline_t *p = qt_pipeline_new();
    qs_aliases_t a = {0};
    ql_err_t e = {0};
    static const char text[] = "Zorblax | Kessel\n"
                               "Kessel ~ Kesselian\n"    /* joins the group, Kesselian across */
                               "Kesselian ~ Kessland\n"; /* Kessland on Kessel's side */
    cr_assert_eq(qs_aliases_parse(&a, p, text, sizeof text - 1, "x.txt", &e), 0, "%s", e.msg);
    cr_expect_eq(a.n, 1, "one group");
    char got[4][32];
    matched(&a, p, "zorblax", got[0]);
    matched(&a, p, "kesselian", got[1]);
    matched(&a, p, "kessland", got[2]);
    matched(&a, p, "geneva", got[3]);
    cr_expect_str_eq(got[0], "0:0");
    cr_expect_str_eq(got[1], "0:1");
    cr_expect_str_eq(got[2], "0:0");
    cr_expect_str_eq(got[3], "none");
    qs_aliases_free(&a);
    static const char two[] = "UN | United Nations\nA ~ B ~ C\n";
    cr_expect_neq(qs_aliases_parse(&a, p, two, sizeof two - 1, "y.txt", &e), 0);
    cr_expect(strstr(e.msg, "y.txt:2:") && strstr(e.msg, "'~'"), "%s", e.msg);
    qs_aliases_free(&a);
    qt_pipeline_free(p);
}

Test(aliases, built_in_names_parse_and_demonyms_join_their_groups)
{
    qt_pipeline_t *p = qt_pipeline_new();
    qs_aliases_t a = {0};
    ql_err_t e = {0};
    cr_assert_eq(
        qs_aliases_parse(&a, p, qs_default_aliases, strlen(qs_default_aliases), "built-in", &e), 0,
        "%s", e.msg);
    cr_expect_geq(a.n, 200, "aliases and every country: %zu groups", a.n);
    char us[32], american[32], iranian[32], iran[32];
    matched(&a, p, "US", us);
    matched(&a, p, "American", american);
    matched(&a, p, "Iranian", iranian);
    matched(&a, p, "Iran", iran);
    cr_expect(strcmp(us, "none") && strchr(us, ':'), "%s", us);
    cr_expect_eq(strncmp(us, american, strcspn(us, ":")), 0, "one group: %s %s", us, american);
    cr_expect_neq(strcmp(us, american), 0, "on two sides: %s %s", us, american);
    cr_expect(strcmp(iran, "none") && strcmp(iranian, "none") && strcmp(iran, iranian), "%s %s",
              iran, iranian);
    qs_aliases_free(&a);
    qt_pipeline_free(p);
}
