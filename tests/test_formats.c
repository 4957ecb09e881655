/*
 * test_formats.c - the input formats, read straight through their readers
 * (reader.h) from the fixtures in tests/fixtures/formats/: titles, dates,
 * sources, urls and record numbers found; markup, scripts and JSON syntax
 * gone from the text; every passage's byte span slicing the original file
 * where its text came from, and its lines counting to those bytes; bad
 * records warned about by number and line while the rest is read. Also the
 * date parser every reader and the searcher share (date.h).
 */
#include <criterion/criterion.h>

#include "charset.h"
#include "date.h"
#include "entity.h"
#include "helpers.h"
#include "reader.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXP 256

typedef struct {
    char *title, *source, *url;
    uint32_t date, record;
} art_t;

typedef struct {
    char *data; /* the file */
    size_t len;
    art_t art[MAXP];
    size_t nart;
    char *text[MAXP];
    qi_span_t span[MAXP];
    size_t of[MAXP]; /* its article */
    size_t n;
    char warn[8][400];
    size_t nwarn;
} got_t;

static char *dup_n(const char *s, size_t n)
{
    return s ? strndup(s, n) : strdup("");
}

static int on_article(void *ctx, const qi_article_t *a)
{
    got_t *g = ctx;
    cr_assert_lt(g->nart, MAXP);
    art_t *t = &g->art[g->nart++];
    t->title = dup_n(a->title, a->title_len);
    t->source = dup_n(a->source, a->source_len);
    t->url = dup_n(a->url, a->url_len);
    t->date = a->date;
    t->record = a->record;
    return 0;
}

static int on_passage(void *ctx, const qi_span_t *sp, const char *text, size_t n, const size_t *src)
{
    got_t *g = ctx;
    cr_assert_lt(g->n, MAXP);
    cr_assert_gt(g->nart, 0, "a passage before any article");
    if (!text) {
        text = g->data + sp->byte_start;
        n = sp->byte_end - sp->byte_start;
    }
    for (size_t i = 0; src && i < n; i++)
        cr_assert(src[i] >= sp->byte_start && src[i] < sp->byte_end,
                  "text byte %zu stands for file byte %zu, outside the span %zu-%zu", i, src[i],
                  (size_t)sp->byte_start, (size_t)sp->byte_end);
    g->text[g->n] = strndup(text, n);
    g->span[g->n] = *sp;
    g->of[g->n] = g->nart - 1;
    g->n++;
    return 0;
}

static void on_warn(void *ctx, const char *msg)
{
    got_t *g = ctx;
    if (g->nwarn < 8) snprintf(g->warn[g->nwarn++], sizeof g->warn[0], "%s", msg);
}

static const char *fixture(const char *name)
{
    static char path[PATH_MAX];
    char corpus[PATH_MAX];
    snprintf(corpus, sizeof corpus, "%s", th_corpus());
    snprintf(path, sizeof path, "%s/tests/fixtures/formats/%s", dirname(corpus), name);
    return path;
}

/* Reads fixture name as quire index would (reader by extension, refined by
 * content, or cfg's format). */
static got_t *read_fixture(const char *name, const qi_read_cfg_t *cfg)
{
    got_t *g = calloc(1, sizeof *g);
    const char *path = fixture(name);
    g->data = th_read(path, &g->len);
    cr_assert_not_null(g->data, "%s", path);
    const qi_reader_t *r = qi_reader_for(path, cfg);
    cr_assert_not_null(r, "no reader for %s", path);
    r = qi_reader_refine(r, cfg, g->data, g->len);
    const qi_sink_t sink = {on_article, on_passage, on_warn, g, NULL, NULL};
    cr_assert_eq(r->read(g->data, g->len, cfg, &sink), 0);
    return g;
}

static void free_got(got_t *g)
{
    for (size_t i = 0; i < g->nart; i++) {
        free(g->art[i].title);
        free(g->art[i].source);
        free(g->art[i].url);
    }
    for (size_t i = 0; i < g->n; i++) free(g->text[i]);
    free(g->data);
    free(g);
}

/* The passage whose text contains needle; -1 if none. */
static int find(const got_t *g, const char *needle)
{
    for (size_t i = 0; i < g->n; i++)
        if (strstr(g->text[i], needle)) return (int)i;
    return -1;
}

static int any_has(const got_t *g, const char *needle)
{
    return find(g, needle) >= 0;
}

/* The file's bytes of passage i. */
static char *slice(const got_t *g, size_t i)
{
    return strndup(g->data + g->span[i].byte_start, g->span[i].byte_end - g->span[i].byte_start);
}

static unsigned line_of(const got_t *g, size_t off)
{
    unsigned line = 1;
    for (size_t k = 0; k < off; k++) line += g->data[k] == '\n';
    return line;
}

/* Every passage: its span lies in the file, its lines are those of its
 * bytes, and where its text starts and ends with plain ASCII words the
 * file's bytes start and end with them too. */
static void spans_hold(const got_t *g)
{
    for (size_t i = 0; i < g->n; i++) {
        const qi_span_t *s = &g->span[i];
        cr_assert_lt(s->byte_start, s->byte_end, "passage %zu is empty", i);
        cr_assert_leq(s->byte_end, g->len);
        cr_expect_eq(s->line_start, line_of(g, s->byte_start), "passage %zu: %s", i, g->text[i]);
        cr_expect_eq(s->line_end, line_of(g, s->byte_end - 1), "passage %zu: %s", i, g->text[i]);
        const char *t = g->text[i];
        const size_t n = strlen(t);
        char *raw = slice(g, i);
        const size_t rn = strlen(raw);
        size_t k = 0;
        while (k < n && k < 4 && ((t[k] >= 'A' && t[k] <= 'Z') || (t[k] >= 'a' && t[k] <= 'z')))
            k++;
        if (k == 4) cr_expect(!strncmp(raw, t, 4), "passage %zu starts '%s', file '%s'", i, t, raw);
        if (n >= 2 && rn >= 2 && t[n - 1] == '.' && t[n - 2] >= 'a' && t[n - 2] <= 'z')
            cr_expect_eq(raw[rn - 1], '.', "passage %zu ends '%s', file '%s'", i, t, raw);
        free(raw);
    }
}

Test(formats, html_text_metadata_and_spans)
{
    got_t *g = read_fixture("article.html", NULL);
    cr_assert_eq(g->nart, 1);
    cr_expect_str_eq(g->art[0].title, "UN Security Council & the Charter \xe2\x80\x93 Reuters");
    cr_expect_eq(g->art[0].date, 20210311);
    cr_expect_str_eq(g->art[0].source, "Reuters");
    cr_expect_str_eq(g->art[0].url, "https://example.org/world/un-charter-group");
    /* no script, style, navigation, comment or head text */
    cr_expect(!any_has(g, "not text") && !any_has(g, "var ") && !any_has(g, "color"));
    cr_expect(!any_has(g, "Home") && !any_has(g, "editor") && !any_has(g, "Reuters"));
    const int h1 = find(g, "Group of Friends");
    cr_assert_geq(h1, 0);
    cr_expect_str_eq(g->text[h1], "Group of Friends in Defense of the UN Charter");
    const int p1 = find(g, "NEW YORK");
    cr_assert_geq(p1, 0);
    cr_expect_str_eq(g->text[p1], "NEW YORK \xe2\x80\x93 China, Russia and fifteen other states "
                                  "formed a group to defend the United Nations Charter, "
                                  "diplomats said.");
    cr_expect_eq(g->span[p1].line_start, 16);
    cr_expect_eq(g->span[p1].line_end, 18);
    const int p2 = find(g, "coercive");
    cr_assert_geq(p2, 0);
    cr_expect_str_eq(g->text[p2], "The letter opposes \xe2\x80\x9cunilateral coercive measures"
                                  "\xe2\x80\x9d, Caf\xc3\xa9 owners & others said.\n"
                                  "It was signed on Thursday.");
    char *raw = slice(g, (size_t)p2);
    cr_expect_str_eq(raw, "The letter opposes &ldquo;unilateral coercive measures&rdquo;, "
                          "Caf&eacute; owners &amp; others said.<br>\nIt was signed on Thursday.");
    free(raw);
    /* list items and table rows are passages of their own */
    cr_expect(any_has(g, "Venezuela") && find(g, "Venezuela") != find(g, "Nicaragua & Cuba"));
    cr_expect_geq(find(g, "Signatories 17"), 0);
    spans_hold(g);
    free_got(g);
}

Test(formats, broken_html_still_gives_its_words)
{
    got_t *g = read_fixture("broken.html", NULL);
    cr_assert_eq(g->nart, 1);
    cr_expect_str_eq(g->art[0].title, "Lavrov meets Szijjarto", "an unclosed <h1> ends at a block");
    cr_expect_eq(g->art[0].date, 20240716, "from <time datetime>");
    cr_expect_geq(find(g, "3 < 5 and AT&T stayed."), 0, "a stray '<' and '&' are text");
    cr_expect_geq(find(g, "Unclosed bold text about the embargo"), 0);
    cr_expect_geq(find(g, "Quoted attribute with a greater-than sign inside."), 0);
    cr_expect(!any_has(g, "never ends"), "an unterminated comment hides the rest");
    cr_expect(!any_has(g, "data-note"));
    spans_hold(g);
    free_got(g);
}

Test(formats, html_in_a_txt_file_is_read_as_html)
{
    const char page[] = "<!DOCTYPE html><html><head><title>Page</title></head>"
                        "<body><p>Sanctions &amp; the embargo.</p></body></html>";
    const qi_reader_t *r = qi_reader_refine(qi_reader_for("x.txt", NULL), NULL, page, strlen(page));
    cr_assert_not_null(r);
    cr_expect_str_eq(r->name, "html");
    const qi_read_cfg_t forced = {.format = "txt"};
    r = qi_reader_refine(qi_reader_for("x.html", &forced), &forced, page, strlen(page));
    cr_expect_str_eq(r->name, "txt", "--format wins");
}

Test(formats, markdown_blocks_and_inline_markup)
{
    got_t *g = read_fixture("article.md", NULL);
    cr_assert_eq(g->nart, 1);
    cr_expect_str_eq(g->art[0].title, "Sanctions and the Charter", "front matter's title");
    cr_expect_eq(g->art[0].date, 20230505);
    cr_expect_str_eq(g->art[0].source, "Russia in Global Affairs");
    cr_expect_str_eq(g->art[0].url, "https://example.org/lavrov-article");
    cr_expect(!any_has(g, "title:") && !any_has(g, "---"), "front matter is not text");
    const int p = find(g, "UN-centric");
    cr_assert_geq(p, 0);
    cr_expect_str_eq(g->text[p], "The UN-centric system is undergoing a deep crisis, according to "
                                 "the minister, who wrote about unilateral sanctions.");
    cr_expect_eq(g->span[p].line_start, 10);
    cr_expect_eq(g->span[p].line_end, 11);
    const int list = find(g, "double standards \xe2\x80\x94 none.");
    cr_assert_geq(list, 0, "emphasis and &mdash; in a list item");
    cr_expect(strstr(g->text[list], "Security Council reform is imperative.") != NULL);
    cr_expect_geq(find(g, "The key to success lies in working together, renouncing claims on "
                          "exceptionalism."),
                  0, "a quote, its markers removed");
    cr_expect_geq(find(g, "code_block_with_snake_case = 1"), 0, "fenced code, verbatim");
    cr_expect_geq(find(g, "Hungary abstained"), 0, "a table row");
    cr_expect_geq(find(g, "Photo of the UN building"), 0, "an image's alt text");
    cr_expect(!any_has(g, "https://") && !any_has(g, "**") && !any_has(g, "]("),
              "link targets, reference definitions and markers are gone");
    cr_expect_geq(find(g, "Key points"), 0, "a heading is a passage");
    spans_hold(g);
    free_got(g);

    g = read_fixture("setext.md", NULL);
    cr_assert_eq(g->nart, 1);
    cr_expect_str_eq(g->art[0].title, "Summit in Guilin", "a setext heading");
    cr_expect_eq(g->art[0].date, 20210323, "the date in its first lines");
    cr_expect(!any_has(g, "==="));
    spans_hold(g);
    free_got(g);
}

Test(formats, markdown_digest_is_one_article_per_level_one_heading)
{
    got_t *g = read_fixture("digest.md", NULL);
    cr_assert_eq(g->nart, 2, "an ATX and a setext level-1 heading after passages");
    cr_expect_str_eq(g->art[0].title, "Summit in Guilin");
    cr_expect_eq(g->art[0].date, 20210323);
    cr_expect_str_eq(g->art[1].title, "Group of Friends formed");
    cr_expect_eq(g->art[1].date, 20210312, "its own dateline");
    const int bg = find(g, "Background"), sev = find(g, "Seventeen states");
    cr_assert(bg >= 0 && sev >= 0);
    cr_expect_eq(g->of[bg], 0, "a level-2 heading stays in its article");
    cr_expect_eq(g->of[sev], 1);
    cr_expect_str_eq(g->text[sev], "Seventeen states announced a group to defend the UN Charter.");
    spans_hold(g);
    free_got(g);
}

Test(formats, json_lines_records_fields_and_bad_lines)
{
    got_t *g = read_fixture("articles.jsonl", NULL);
    cr_assert_eq(g->nart, 3, "records 1, 2 and 4; 3, 5 and 6 skipped");
    cr_expect_eq(g->art[0].record, 1);
    cr_expect_str_eq(g->art[0].title, "Russia and China call for a summit");
    cr_expect_eq(g->art[0].date, 20210323);
    cr_expect_str_eq(g->art[0].source, "Dawn", "an object's name");
    cr_expect_str_eq(g->art[0].url, "https://example.org/a");
    cr_expect_eq(g->art[1].record, 2);
    cr_expect_str_eq(g->art[1].title, "Caf\xc3\xa9 diplomacy \xf0\x9f\x87\xba\xf0\x9f\x87\xb3",
                     "escaped Unicode, a surrogate pair");
    cr_expect_eq(g->art[1].date, 20230716, "a Unix time");
    cr_expect_eq(g->art[2].record, 4);
    cr_expect_eq(g->art[2].date, 0, "kept without a date");
    /* the text field's paragraphs are passages citing the JSON string */
    const int a = find(g, "BEIJING"), b = find(g, "The call came after talks in Guilin.");
    cr_assert(a >= 0 && b >= 0 && a != b);
    cr_expect_eq(g->span[a].line_start, 1);
    const int c = find(g, "Diplomats met");
    cr_assert_geq(c, 0);
    cr_expect_str_eq(g->text[c], "Diplomats met at a caf\xc3\xa9 to discuss the \"rules-based "
                                 "order\" and sanctions.");
    char *raw = slice(g, (size_t)c);
    cr_expect_str_eq(raw, "Diplomats met at a caf\\u00e9 to discuss the \\\"rules-based order\\\" "
                          "and sanctions.");
    free(raw);
    cr_expect_eq(g->span[c].line_start, 3);
    cr_assert_eq(g->nwarn, 3);
    cr_expect(strstr(g->warn[0], "record 3 (line 4)") && strstr(g->warn[0], "not valid JSON"), "%s",
              g->warn[0]);
    cr_expect(strstr(g->warn[1], "record 5 (line 6)") && strstr(g->warn[1], "not an object"), "%s",
              g->warn[1]);
    cr_expect(strstr(g->warn[2], "record 6 (line 7)") && strstr(g->warn[2], "no text"), "%s",
              g->warn[2]);
    spans_hold(g);
    free_got(g);
}

Test(formats, json_array_and_configured_fields)
{
    got_t *g = read_fixture("articles.json", NULL);
    cr_assert_eq(g->nart, 2);
    cr_expect_eq(g->art[0].date, 20230505, "May 5, 2023");
    cr_expect_eq(g->art[1].date, 20240716, "ISO with a time zone");
    cr_expect_str_eq(g->art[1].source, "MFA");
    cr_expect_eq(g->art[1].record, 2);
    const int a = find(g, "Hungary and Russia"), b = find(g, "praised the dialogue");
    cr_assert(a >= 0 && b >= 0 && a != b, "two paragraphs, two passages");
    cr_expect_eq(g->span[a].line_start, 4);
    cr_expect_lt(g->span[a].byte_end, g->span[b].byte_start);
    spans_hold(g);
    free_got(g);

    /* --title-field / --text-field: the record's other members */
    const qi_read_cfg_t cfg = {.title_fields = "date", .text_fields = "title"};
    g = read_fixture("articles.json", &cfg);
    cr_assert_eq(g->nart, 2);
    cr_expect_str_eq(g->art[0].title, "May 5, 2023");
    cr_expect_str_eq(g->text[0], "First record");
    free_got(g);
}

Test(formats, telegram_export_messages)
{
    got_t *g = read_fixture("result.json", NULL);
    cr_assert_eq(g->nart, 2, "the service message and the photo alone give nothing");
    cr_expect_eq(g->art[0].record, 2);
    cr_expect_eq(g->art[0].date, 20230505);
    cr_expect_str_eq(g->art[0].source, "Russian Mission to the UN", "forwarded from");
    cr_expect_str_eq(g->art[0].url, "tg://message?id=2");
    cr_expect_str_eq(g->art[0].title,
                     "\xf0\x9f\x93\xb0 Lavrov's article on the UN Charter and multilateralism.");
    cr_expect_geq(find(g, "Read in full: https://example.org/article #UNCharterIsOurRules"), 0,
                  "entities flattened in order");
    cr_expect_eq(g->art[1].date, 20240716, "date_unixtime");
    cr_expect_str_eq(g->art[1].source, "Russian MFA");
    const int m = find(g, "Szijjarto");
    cr_assert_geq(m, 0);
    cr_expect_eq(g->span[m].line_start, 43);
    cr_expect_eq(g->of[m], 1);
    spans_hold(g);
    free_got(g);
}

Test(formats, channel_copy_in_plain_text_is_cut_into_posts)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/004_e24faed82d9ddb80.txt", th_corpus());
    got_t *g = calloc(1, sizeof *g);
    g->data = th_read(path, &g->len);
    cr_assert_not_null(g->data);
    const qi_sink_t sink = {on_article, on_passage, on_warn, g, NULL, NULL};
    cr_assert_eq(qi_reader_for(path, NULL)->read(g->data, g->len, NULL, &sink), 0);
    cr_expect_gt(g->nart, 5, "posts, not one article");
    int may5 = -1, oct10 = -1;
    for (size_t i = 0; i < g->nart; i++) {
        if (g->art[i].date == 20230505) may5 = (int)i;
        if (g->art[i].date == 20231010) oct10 = (int)i;
        cr_expect_neq(g->art[i].date, 19450626, "a date mentioned in prose is not the post's");
        cr_expect_str_neq(g->art[i].title, "Read in full", "a repost is titled past its chrome");
    }
    cr_assert(may5 >= 0 && oct10 >= 0, "the datelines (May 5, 2023) and (October 10, 2023)");
    cr_expect_str_eq(g->art[may5].source, "Russian MFA \xf0\x9f\x87\xb7\xf0\x9f\x87\xba");
    cr_expect(strstr(g->art[may5].title, "Global Affairs magazine") != NULL, "%s",
              g->art[may5].title);
    free_got(g);
}

/* Reads text as a .txt file would be. */
static got_t *read_txt(const char *text)
{
    got_t *g = calloc(1, sizeof *g);
    g->data = strdup(text);
    g->len = strlen(text);
    const qi_sink_t sink = {on_article, on_passage, on_warn, g, NULL, NULL};
    cr_assert_eq(qi_reader_named("txt")->read(g->data, g->len, NULL, &sink), 0);
    return g;
}

Test(formats, a_tag_line_inside_an_article_does_not_cut_it)
{
    /* regression: the paragraph after the tags became an "article" titled
     * by its own first words */
    got_t *g = read_txt("Sanctions on Iran extended\n\nThe EU extended its sanctions.\n\n"
                        "#Iran #Sanctions\n\nThe measures run until July.\n");
    cr_expect_eq(g->nart, 1, "one article");
    cr_expect_str_eq(g->art[0].title, "Sanctions on Iran extended");
    const int after = find(g, "The measures run until July.");
    cr_assert_geq(after, 0);
    cr_expect_eq(g->of[after], 0, "the paragraph after the tags keeps the article");
    free_got(g);
    /* two posts each ending in tags: a copy of channel posts, cut there */
    g = read_txt("The first post of the channel\n\nBody one.\n#One\n\n"
                 "The second post of the channel\n\nBody two.\n#Two\n\n"
                 "The third post of the channel\n\nBody three.\n");
    cr_expect_eq(g->nart, 3, "posts");
    cr_expect_str_eq(g->art[1].title, "The second post of the channel");
    cr_expect_str_eq(g->art[2].title, "The third post of the channel");
    free_got(g);
}

Test(dates, parse_find_and_span)
{
    uint32_t d = 0, lo = 0, hi = 0;
    cr_expect(ql_date_parse("2023-05-05", 10, &d) == 0 && d == 20230505);
    cr_expect(ql_date_parse(" 2023-05-05T10:00:00+03:00 ", 27, &d) == 0 && d == 20230505);
    cr_expect(ql_date_parse("2023/05/05", 10, &d) == 0 && d == 20230505);
    const char *rfc = "Fri, 05 May 2023 10:00:00 +0000";
    cr_expect(ql_date_parse(rfc, strlen(rfc), &d) == 0 && d == 20230505, "%u", d);
    cr_expect(ql_date_parse("May 5, 2023", 11, &d) == 0 && d == 20230505);
    cr_expect(ql_date_parse("Sept. 5, 2023", 13, &d) == 0 && d == 20230905);
    cr_expect(ql_date_parse("14 February 2019", 16, &d) == 0 && d == 20190214);
    cr_expect(ql_date_parse("1721120400", 10, &d) == 0 && d == 20240716);
    cr_expect(ql_date_parse("February 29, 2024", 17, &d) == 0 && d == 20240229);
    cr_expect_neq(ql_date_parse("February 29, 2023", 17, &d), 0, "not a leap year");
    cr_expect_neq(ql_date_parse("2023-13-01", 10, &d), 0);
    cr_expect_neq(ql_date_parse("May 5", 5, &d), 0);
    cr_expect_neq(ql_date_parse("2023-05-05 and more words", 25, &d), 0);
    cr_expect_neq(ql_date_parse("Mayday 5, 2023", 14, &d), 0);

    const char *line = "Press release (New York, July 16, 2024)";
    size_t s = 0, e = 0;
    cr_expect(ql_date_find(line, strlen(line), &d, &s, &e) == 0 && d == 20240716);
    cr_expect_eq(e - s, strlen("July 16, 2024"));
    cr_expect_neq(ql_date_find("in 2019 and 12345", 17, &d, NULL, NULL), 0, "a year alone");
    cr_expect_neq(ql_date_find("Remay 5, 2023", 13, &d, NULL, NULL), 0, "inside a word");

    cr_expect(ql_date_span("2023", 4, &lo, &hi) == 0 && lo == 20230101 && hi == 20231231);
    cr_expect(ql_date_span("2024-02", 7, &lo, &hi) == 0 && lo == 20240201 && hi == 20240229);
    cr_expect(ql_date_span("2023-05-05", 10, &lo, &hi) == 0 && lo == 20230505 && hi == lo);
    cr_expect_neq(ql_date_span("soon", 4, &lo, &hi), 0);
    char out[11];
    ql_date_format(20230505, out);
    cr_expect_str_eq(out, "2023-05-05");
}

/* Real-world date strings: 'p' as metadata (the whole string is one date),
 * 'f' found in prose (the first date in the text), 't' as the dateline of an
 * article's first lines; 0: no date must be taken from it. */
static const struct {
    char how;
    const char *text;
    uint32_t want;
} date_table[] = {
    {'p', "2023-05-05", 20230505},
    {'p', "2023-05-05T10:00:00Z", 20230505},
    {'p', "2023-05-05T10:00:00.123+03:00", 20230505},
    {'p', "2023/05/05", 20230505},
    {'p', "Fri, 05 May 2023 10:00:00 +0000", 20230505},
    {'p', "Fri, 5 May 2023 10:00:00 GMT", 20230505},
    {'p', "May 5, 2023", 20230505},
    {'p', "May 5 2023", 20230505},
    {'p', "May 5th, 2023", 20230505},
    {'p', "5th May 2023", 20230505},
    {'p', "1st June 2022", 20220601},
    {'p', "June 2nd, 2022", 20220602},
    {'p', "March 3rd 2024", 20240303},
    {'p', "Sept. 5, 2023", 20230905},
    {'p', "Sep 5, 2023", 20230905},
    {'p', "14 February 2019", 20190214},
    {'p', "05.05.2023", 20230505},
    {'p', "5.5.2023", 20230505},
    {'p', "31.12.2023", 20231231},
    {'p', "05/06/2023", 20230605}, /* ambiguous: day first */
    {'p', "13/06/2023", 20230613},
    {'p', "06/13/2023", 20230613}, /* the second cannot be a month: US order */
    {'p', "05-06-2023", 20230605},
    {'p', "1721120400", 20240716},
    {'p', "1721120400000", 20240716}, /* milliseconds */
    {'p', "1683244800", 20230505},
    {'p', "5 \xd0\xbc\xd0\xb0\xd1\x8f 2023", 20230505}, /* 5 мая 2023 */
    {'p', "5 \xd0\x9c\xd0\x90\xd0\xaf 2023", 20230505}, /* 5 МАЯ 2023 */
    {'p', "12 \xd0\xb4\xd0\xb5\xd0\xba\xd0\xb0\xd0\xb1\xd1\x80\xd1\x8f 2022",
     20221212}, /* декабря */
    {'p', "23 \xd1\x84\xd0\xb5\xd0\xb2\xd1\x80\xd0\xb0\xd0\xbb\xd1\x8f 2022", 20220223},
    {'p', "5 mai 2023", 20230505},
    {'p', "1er mai 2023", 20230501},
    {'p', "14 f\xc3\xa9vrier 2019", 20190214},
    {'p', "15 ao\xc3\xbbt 2021", 20210815},
    {'p', "3 d\xc3\xa9\x63\x65mbre 2020", 20201203},
    {'p', "5. Mai 2023", 20230505},
    {'p', "3. M\xc3\xa4rz 2024", 20240303},
    {'p', "24. Dezember 2023", 20231224},
    {'p', "5 de mayo de 2023", 20230505},
    {'p', "12 de octubre de 2022", 20221012},
    {'p', "1 de enero de 2024", 20240101},
    {'p', "February 29, 2024", 20240229},
    {'p', "February 29, 2023", 0}, /* not a leap year */
    {'p', "31.04.2023", 0},        /* April has 30 days */
    {'p', "2023-13-01", 0},
    {'p', "13/13/2023", 0},
    {'p', "May 5", 0},
    {'p', "2023", 0},
    {'p', "12/2023", 0},
    {'p', "10:30", 0},
    {'p', "Mayday 5, 2023", 0},
    {'p', "123456789012", 0}, /* 12 digits: neither seconds nor ms */
    {'f', "Press release (New York, July 16, 2024)", 20240716},
    {'f', "Moscow, 05.05.2023. The Foreign Ministry said", 20230505},
    {'f',
     "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0, 5 \xd0\xbc\xd0\xb0\xd1\x8f 2023 \xd0\xb3.",
     20230505},
    {'f', "Paris, le 1er mai 2023", 20230501},
    {'f', "in 2019 and 12345", 0},
    {'f', "Remay 5, 2023", 0},
    {'f', "Resolution 2231 (2015) of 20 July", 0},
    {'f', "call +7 495 123 45 67", 0},
    {'f', "ISBN 978-3-16-148410-0", 0},
    {'f', "version 1.05.05.2023", 0},
    {'f', "scored 3.5 out of 10", 0},
    {'f', "1,000,000 people", 0},
    {'t',
     "PARIS, March 3, 2024 (Reuters) - French President Emmanuel Macron said on Sunday that "
     "Europe must be ready to defend Ukraine for years\n\nMore text.\n",
     20240303},
    {'t',
     "WASHINGTON, May 5th, 2023 (AP) \xe2\x80\x94 The United States announced new sanctions "
     "on Tuesday against a network that it said helped Moscow\n",
     20230505},
    {'t',
     "The conference in Geneva on May 5, 2023 was attended by delegates of many states who "
     "spoke about the Charter\n",
     0},
};

Test(dates, a_table_of_real_world_strings)
{
    cr_assert_geq(sizeof date_table / sizeof date_table[0], 60);
    for (size_t i = 0; i < sizeof date_table / sizeof date_table[0]; i++) {
        const char *t = date_table[i].text;
        uint32_t d = 0;
        int rc = -1;
        if (date_table[i].how == 'p') rc = ql_date_parse(t, strlen(t), &d);
        if (date_table[i].how == 'f') rc = ql_date_find(t, strlen(t), &d, NULL, NULL);
        if (date_table[i].how == 't') {
            d = qi_top_date(t, strlen(t), 3, QL_DATE_DMY);
            rc = d ? 0 : -1;
        }
        if (date_table[i].want)
            cr_expect(rc == 0 && d == date_table[i].want, "'%s': got %u (rc %d), want %u", t, d, rc,
                      date_table[i].want);
        else
            cr_expect(rc != 0, "'%s' is no date, got %u", t, d);
    }
}

/* --date-order mdy: an ambiguous numeric date is month first; one whose
 * numbers say which is the day reads the same in either order. */
Test(dates, the_date_order_decides_only_ambiguous_numeric_dates)
{
    static const struct {
        const char *text;
        uint32_t dmy, mdy;
    } t[] = {{"05/06/2023", 20230605, 20230506},  {"05.06.2023", 20230605, 20230506},
             {"12-01-2024", 20240112, 20241201},  {"13/06/2023", 20230613, 20230613},
             {"06/13/2023", 20230613, 20230613},  {"2023-05-06", 20230506, 20230506},
             {"May 6, 2023", 20230506, 20230506}, {"6 May 2023", 20230506, 20230506}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint32_t d = 0, m = 0;
        cr_expect(ql_date_parse_in(t[i].text, strlen(t[i].text), QL_DATE_DMY, &d) == 0 &&
                      d == t[i].dmy,
                  "'%s' dmy: %u", t[i].text, d);
        cr_expect(ql_date_parse_in(t[i].text, strlen(t[i].text), QL_DATE_MDY, &m) == 0 &&
                      m == t[i].mdy,
                  "'%s' mdy: %u", t[i].text, m);
        char line[64];
        snprintf(line, sizeof line, "WASHINGTON, %s - Talks", t[i].text);
        cr_expect_eq(qi_top_date(line, strlen(line), 3, QL_DATE_MDY), t[i].mdy, "dateline '%s'",
                     line);
    }
    const qi_read_cfg_t us = {.date_order = "mdy"};
    cr_expect_eq(qi_date_order(&us), QL_DATE_MDY);
    cr_expect_eq(qi_date_order(NULL), QL_DATE_DMY);
}

Test(charset, declared_and_recoded_with_a_byte_map)
{
    char name[48];
    const char page[] = "<html><head><meta http-equiv=\"Content-Type\" "
                        "content=\"text/html; charset=Windows-1251\">";
    cr_assert_eq(qi_charset_declared(page, strlen(page), name, sizeof name), 0);
    cr_expect_str_eq(name, "windows-1251");
    const char xml[] = "<?xml version=\"1.0\" encoding='ISO-8859-2'?>";
    cr_assert_eq(qi_charset_declared(xml, strlen(xml), name, sizeof name), 0);
    cr_expect_str_eq(name, "iso-8859-2");
    cr_expect_neq(qi_charset_declared("<p>no declaration</p>", 21, name, sizeof name), 0);
    cr_expect(qi_charset_single_byte("windows-1252") && qi_charset_single_byte("KOI8-R"));
    cr_expect(!qi_charset_single_byte("utf-8") && !qi_charset_single_byte("shift_jis"));

    /* "Лавров" in windows-1251: six bytes, twelve in UTF-8 */
    const char cp[] = "\xcb\xe0\xe2\xf0\xee\xe2 \x98!";
    qi_recoded_t r;
    cr_assert_eq(qi_recode(cp, strlen(cp), "windows-1251", &r), 0);
    cr_expect_str_eq(r.text, "\xd0\x9b\xd0\xb0\xd0\xb2\xd1\x80\xd0\xbe\xd0\xb2 \xef\xbf\xbd!",
                     "0x98 is undefined in windows-1251");
    cr_expect_eq(r.origin[0], 0);
    cr_expect_eq(r.origin[1], 0);
    cr_expect_eq(r.origin[2], 1);
    cr_expect_eq(r.origin[12], 6, "the space");
    cr_expect_eq(r.origin[r.len - 1], strlen(cp) - 1);
    qi_recoded_free(&r);
    cr_expect_eq(qi_recode(cp, strlen(cp), "no-such-encoding", &r), -2);
}

/* Labels are read as browsers read them (the WHATWG Encoding Standard): a
 * page labelled iso-8859-1 or ascii is windows-1252, so its curly quotes
 * are quotes, not control characters. */
Test(charset, labels_as_browsers_read_them)
{
    cr_expect_str_eq(qi_charset_whatwg("ISO-8859-1"), "windows-1252");
    cr_expect_str_eq(qi_charset_whatwg("us-ascii"), "windows-1252");
    cr_expect_str_eq(qi_charset_whatwg("latin5"), "windows-1254");
    cr_expect_str_eq(qi_charset_whatwg("TIS-620"), "windows-874");
    cr_expect_str_eq(qi_charset_whatwg("windows-1251"), "windows-1251");
    cr_expect_str_eq(qi_charset_whatwg("iso-8859-2"), "iso-8859-2");
    cr_expect(qi_charset_single_byte("ascii") && qi_charset_single_byte("l1"));
    const char latin[] = "\x93"
                         "Caf\xe9\x94 \x96 50\x80"; /* “Café” – 50€ in windows-1252 */
    qi_recoded_t r;
    cr_assert_eq(qi_recode(latin, strlen(latin), "iso-8859-1", &r), 0);
    cr_expect_str_eq(r.text, "\xe2\x80\x9c"
                             "Caf\xc3\xa9\xe2\x80\x9d \xe2\x80\x93 50\xe2\x82\xac");
    qi_recoded_free(&r);
}

/* Numeric references as HTML5 reads them: 128-159 as windows-1252 (&#146;
 * is a right quote, &#150; an en dash), 0 and surrogates as U+FFFD. */
Test(entity, numeric_references_as_html5_reads_them)
{
    static const struct {
        const char *ref, *utf8;
    } t[] = {
        {"&#146;", "\xe2\x80\x99"},  {"&#150;", "\xe2\x80\x93"},     {"&#x80;", "\xe2\x82\xac"},
        {"&#129;", "\xc2\x81"},      {"&#0;", "\xef\xbf\xbd"},       {"&#xD800;", "\xef\xbf\xbd"},
        {"&#8217;", "\xe2\x80\x99"}, {"&#x110000;", "\xef\xbf\xbd"}, {"&#233;", "\xc3\xa9"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[8];
        size_t n = 0;
        cr_expect_eq(qi_entity_decode(t[i].ref, strlen(t[i].ref), out, &n), strlen(t[i].ref));
        cr_expect(n == strlen(t[i].utf8) && !memcmp(out, t[i].utf8, n), "%s", t[i].ref);
    }
}

/* Every HTML5 name: Vu&ccaron;i&cacute; is Vučić; two-character ones;
 * legacy names without the ';' as browsers read them; unknown ones stay. */
Test(entity, the_whole_html5_table)
{
    cr_expect_eq(qi_nentities, 2125);
    static const struct {
        const char *ref;
        size_t used;
        const char *utf8;
    } t[] = {
        {"&ccaron;i", 8, "\xc4\x8d"},  {"&cacute;", 8, "\xc4\x87"},
        {"&Vcy;", 5, "\xd0\x92"},      {"&NotNestedLessLess;", 19, "\xe2\xaa\xa1\xcc\xb8"},
        {"&copy 2024", 5, "\xc2\xa9"}, {"&amp", 4, "&"},
        {"&notit", 4, "\xc2\xac"},     {"&CounterClockwiseContourIntegral;", 33, "\xe2\x88\xb3"},
        {"&nbsp;", 6, "\xc2\xa0"},     {"&ccaron", 0, ""},
        {"&nosuchname;", 0, ""},       {"&;", 0, ""}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[8];
        size_t n = 0;
        const size_t used = qi_entity_decode(t[i].ref, strlen(t[i].ref), out, &n);
        cr_expect_eq(used, t[i].used, "%s: used %zu", t[i].ref, used);
        if (t[i].used)
            cr_expect(n == strlen(t[i].utf8) && !memcmp(out, t[i].utf8, n), "%s", t[i].ref);
    }
}
