/*
 * test_tags.c - hashtags as tags (issue 22 item 3): a #tag finds the posts
 * that end with it, each once, by their first paragraph, never by the line
 * of tags alone while the post has a paragraph; a hashtag written inside a
 * paragraph tags that paragraph; a tag no passage carries is searched by
 * its words; the words of a tag still find the line of tags.
 */
#include <criterion/criterion.h>

#include "helpers.h"
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
    static const char posts[] = "Forwarded from Channel One\n\n"
                                "Sanctions renewed for a year\n\n"
                                "The council renewed the sanctions on Tuesday.\n\n"
                                "#SanctionsWatch #Iran\n\n"
                                "Forwarded from Channel One\n\n"
                                "Talks in Geneva\n\n"
                                "Delegates met in Geneva on Monday to talk about the sanctions.\n\n"
                                "#SanctionsWatch\n\n"
                                "Forwarded from Channel One\n\n"
                                "Only a banner\n\n"
                                "#LonelyTag\n";
    th_write(docs, "posts.txt", posts, sizeof posts - 1);
    static const char notes[] = "Notes from Geneva\n\n"
                                "A paragraph that writes #GenevaTalks inside its sentence.\n";
    th_write(docs, "notes.txt", notes, sizeof notes - 1);
    const char *index = th_index(docs);
    cr_assert_not_null(index);
    snprintf(index_dir, sizeof index_dir, "%s", index);
}

static void teardown(void)
{
    th_cleanup();
}

TestSuite(tags, .init = build, .fini = teardown);

static th_found_t search(const char *query)
{
    return th_search_texts(index_dir, query, NULL);
}

Test(tags, a_tag_finds_each_post_by_its_paragraph)
{
    th_found_t f = search("#SanctionsWatch");
    cr_expect_eq(f.n, 2, "two posts, %zu hits", f.n);
    for (size_t i = 0; i < f.n; i++)
        cr_expect(f.texts[i][0] != '#', "a line of tags: %s", f.texts[i]);
    cr_expect(f.n == 2 && strstr(f.texts[0], "The council renewed") &&
                  strstr(f.texts[1], "Delegates met"),
              "%s | %s", f.texts[0], f.n > 1 ? f.texts[1] : "");
    f = search("#iran"); /* one word, any case */
    cr_expect(f.n == 1 && strstr(f.texts[0], "The council renewed"), "%zu: %s", f.n, f.texts[0]);
    f = search("#SanctionsWatch Geneva"); /* more words rank the tagged posts */
    cr_expect(f.n >= 1 && strstr(f.texts[0], "Delegates met"), "%s", f.texts[0]);
}

Test(tags, a_post_with_no_paragraph_is_found_by_its_line_of_tags)
{
    th_found_t f = search("#LonelyTag");
    cr_expect(f.n == 1 && !strcmp(f.texts[0], "#LonelyTag"), "%zu: %s", f.n, f.texts[0]);
}

Test(tags, a_hashtag_inside_a_paragraph_tags_it)
{
    th_found_t f = search("#GenevaTalks");
    cr_expect(f.n == 1 && strstr(f.texts[0], "writes #GenevaTalks"), "%zu", f.n);
}

Test(tags, words_still_find_the_line_of_tags_and_unknown_tags_their_words)
{
    th_found_t f = search("\"Sanctions Watch\"");
    int line = 0;
    for (size_t i = 0; i < f.n; i++) line |= strstr(f.texts[i], "#SanctionsWatch") != NULL;
    cr_expect(line, "the words of the tag find the line of tags");
    f = search("#DelegatesMet"); /* no passage carries it: its words, as a phrase */
    cr_expect(f.n == 1 && strstr(f.texts[0], "Delegates met"), "%zu", f.n);
}
