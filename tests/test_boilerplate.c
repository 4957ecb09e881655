/*
 * test_boilerplate.c - the passage classifier on the furniture found in
 * corpus/ (tag lines, photo credits, hashtags, channel chrome) and on real
 * paragraphs and titles that must keep their full weight.
 */
#include <criterion/criterion.h>

#include "boilerplate.h"

#include <string.h>

static int count(void *ctx, const qt_token_t *t)
{
    qi_boilerplate_count(ctx, t);
    return 0;
}

static unsigned prior(const char *text)
{
    qt_pipeline_t *p = qt_pipeline_new();
    qi_word_counts_t c = {0, 0};
    cr_assert_eq(qt_tokenize(p, text, strlen(text), count, &c), 0);
    qt_pipeline_free(p);
    return qi_boilerplate_prior(text, strlen(text), &c, NULL, 0);
}

Test(boilerplate, furniture_is_demoted)
{
    static const char *const furniture[] = {
        "#UNCharterIsOurRules",
        "#RussiaHungary",
        "group, friends, defense, letter, united, nations",
        "North Korea, Russia, Iran, China, Military",
        "group of friends defending letter un new york",
        "LAURA BONILLA CAL / AFP / Getty Images",
        "ED JONES / AFP / Getty Images",
        "Read in full",
        "Source",
        "Forwarded from Russian MFA 🇷🇺",
        "📍 NYC, July 15, 2024",
    };
    for (size_t i = 0; i < sizeof furniture / sizeof *furniture; i++)
        cr_expect_eq(prior(furniture[i]), QI_PRIOR_BOILERPLATE, "%s", furniture[i]);
}

Test(boilerplate, paragraphs_and_titles_keep_their_weight)
{
    static const char *const text[] = {
        "China, Iran and others seek UN support to push for unilateral power",
        "Group of Friends in Defense of the United Nations Charter",
        "Moscow has long been unilaterally pushing for such a summit.",
        "Key talking points:",
        "She said Beijing would remain committed to bringing all sides to a consensus.",
        "🔹 We highly value the position of member states of the Group of Friends in Defence "
        "of the Charter of the United Nations, which did not support the document.",
    };
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        cr_expect_eq(prior(text[i]), QI_PRIOR_TEXT, "%s", text[i]);
}

/* The classifier given the article's title too. */
static unsigned prior_titled(const char *text, const char *title)
{
    qt_pipeline_t *p = qt_pipeline_new();
    qi_word_counts_t c = {0, 0};
    cr_assert_eq(qt_tokenize(p, text, strlen(text), count, &c), 0);
    qt_pipeline_free(p);
    return qi_boilerplate_prior(text, strlen(text), &c, title, strlen(title));
}

Test(boilerplate, a_title_alone_is_a_heading_unless_it_is_a_sentence)
{
    static const char banner[] = "\xf0\x9f\x93\xb0 Article by FM Sergey Lavrov (October 10, 2023)";
    cr_expect_eq(prior_titled(banner, banner), QI_PRIOR_HEADING);
    cr_expect_eq(prior_titled("  Sanctions and the Charter of the United Nations\n",
                              "Sanctions and the Charter of the United Nations"),
                 QI_PRIOR_HEADING, "white space around it");
    cr_expect_eq(prior_titled(banner, "Another title"), QI_PRIOR_TEXT, "not its article's title");
    /* written as a sentence, a title is what a reader looks for (corpus c16) */
    static const char sentence[] = "On June 26, 1945, the United Nations Charter was signed.";
    cr_expect_eq(prior_titled(sentence, sentence), QI_PRIOR_TEXT);
    static const char longer[] = "Comment by Foreign Ministry Spokeswoman Maria Zakharova on the "
                                 "adoption of UN General Assembly Resolution on Remedy";
    cr_expect_eq(prior_titled(longer, longer), QI_PRIOR_TEXT, "more than 12 words (c12)");
}
