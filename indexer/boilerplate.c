/*
 * boilerplate.c - the passage classifier (boilerplate.h). Rules, each for a
 * kind of furniture seen in news dumps and channel exports, all limited to
 * short passages so a real paragraph is never demoted:
 *   - every word is part of a #hashtag;
 *   - a tag line: at most 12 words, no sentence punctuation, and either
 *     commas between most words or no capital letter at all;
 *   - a photo credit: at most 12 words with " / " and an agency name or
 *     capitals throughout;
 *   - chrome: at most 4 words and no sentence punctuation ("Read in full",
 *     "Forwarded from Russian MFA").
 * A passage that is nothing but its article's title, within the same
 * bounds (at most 12 words, no sentence punctuation: "📰 Article by FM
 * Sergey Lavrov (October 10, 2023)"), is a heading, a milder mark
 * (boilerplate.h); a title written as a sentence is a paragraph.
 */
#include "boilerplate.h"

#include <string.h>

void qi_boilerplate_count(qi_word_counts_t *c, const qt_token_t *t)
{
    if (t->flags & QT_TOK_PART) return; /* the tag itself was counted */
    c->words++;
    c->caps_words += (t->flags & QT_TOK_UPPER) != 0;
}

static int has(const char *s, size_t n, const char *needle)
{
    const size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0) return 1;
    return 0;
}

static int hashtag_at(const char *s, size_t n, size_t i)
{
    return s[i] == '#' && i + 1 < n && s[i + 1] != ' ' && (i == 0 || s[i - 1] == ' ');
}

/* s[0..n) without the white space around it. */
static const char *trimmed(const char *s, size_t *n)
{
    while (*n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) s++, (*n)--;
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\n' || s[*n - 1] == '\r'))
        (*n)--;
    return s;
}

unsigned qi_boilerplate_prior(const char *text, size_t len, const qi_word_counts_t *wc,
                              const char *title, size_t title_len)
{
    const qi_word_counts_t c = *wc;
    if (c.words == 0) return QI_PRIOR_TEXT;
    size_t tn = len, hn = title ? title_len : 0;
    const char *t = trimmed(text, &tn), *h = title ? trimmed(title, &hn) : NULL;
    const int heading = hn && tn == hn && memcmp(t, h, tn) == 0;
    size_t commas = 0, hashes = 0;
    int sentence = 0, upper_letters = 0;
    for (size_t i = 0; i < len; i++) {
        const char ch = text[i];
        commas += ch == ',';
        hashes += hashtag_at(text, len, i);
        sentence |= ch == '.' || ch == '!' || ch == '?' || ch == ':' || ch == ';';
        upper_letters |= ch >= 'A' && ch <= 'Z';
    }

    if (hashes && hashes >= c.words) return QI_PRIOR_BOILERPLATE; /* only hashtags */
    if (c.words <= 12 && !sentence) {
        if (c.words >= 3 && (commas + 1 >= c.words / 2 + 1 || !upper_letters))
            return QI_PRIOR_BOILERPLATE; /* a keyword-tag line */
        if (has(text, len, " / ") &&
            (has(text, len, "AFP") || has(text, len, "Getty") || has(text, len, "Reuters") ||
             has(text, len, "AP Photo") || c.caps_words * 2 >= c.words))
            return QI_PRIOR_BOILERPLATE;               /* a photo credit */
        if (c.words <= 4) return QI_PRIOR_BOILERPLATE; /* chrome: "Read in full" */
        if (heading) return QI_PRIOR_HEADING;          /* a title that is no sentence */
    }
    return QI_PRIOR_TEXT;
}
