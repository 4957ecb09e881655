/*
 * test_stemming.c - words in each article's language (issue 20 items 2
 * and 3, and its bad input): Latin-script words stemmed in their
 * article's language (French elisions, Turkish dotless i, German ß), a
 * query read in every language the index holds or only the one lang:
 * names, the stopword lists, Chinese typed without spaces searched as its
 * words, a headline taking the language of the article it heads, and the
 * inputs the issue lists as bad: no crash, a clear outcome.
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "qt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(stemming, .fini = teardown, .timeout = 180);

/* Runs `quire ARGS` in th_tmpdir()/s; returns its output (caller frees);
 * asserts the status is want. */
static char *quire(const char *args, int want)
{
    char cmd[8192], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s/s' && unset QUIRE_INDEX && HOME='%s' '%s' %s", th_tmpdir(),
             th_tmpdir(), th_bin(), args);
    const int rc = th_run(cmd, &out, &err);
    cr_assert_eq(rc, want, "quire %s: status %d\n%s%s", args, rc, out, err);
    free(err);
    return out;
}

static void put(const char *name, const char *text, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "s/%s", name);
    th_write(th_tmpdir(), path, text, len);
}

typedef struct {
    char stem[8][80];
    size_t n;
} stems_t;

static int keep(void *ctx, const qt_token_t *t)
{
    stems_t *s = ctx;
    if (s->n < 8) snprintf(s->stem[s->n++], sizeof s->stem[0], "%s", t->stem);
    return 0;
}

/* The stems of text read in lang (NULL: English). */
static stems_t stems(const char *lang, const char *text)
{
    qt_pipeline_t *p = qt_pipeline_new();
    cr_assert_not_null(p);
    qt_pipeline_set_lang(p, lang);
    stems_t s = {.n = 0};
    cr_assert_eq(qt_tokenize(p, text, strlen(text), keep, &s), 0);
    qt_pipeline_free(p);
    return s;
}

Test(stemming, latin_words_take_their_languages_stemmer)
{
    cr_expect(qt_lang_stems("fr") && qt_lang_stems("de") && qt_lang_stems("tr"));
    cr_expect(qt_lang_stems("nb"), "Bokmål is Norwegian's stemmer");
    cr_expect(!qt_lang_stems("en") && !qt_lang_stems("ru") && !qt_lang_stems("xx") &&
              !qt_lang_stems("") && !qt_lang_stems(NULL));

    /* French: elided articles come off, only in French */
    stems_t s = stems("fr", "l'ONU d'Iran qu'il aujourd'hui");
    cr_assert_eq(s.n, 4);
    cr_expect_str_eq(s.stem[0], "onu");
    cr_expect_str_eq(s.stem[1], "iran");
    cr_expect_str_eq(s.stem[2], "il");
    cr_expect_str_eq(s.stem[3], "aujourd'hui", "not an elision: aujourd is no article");
    s = stems(NULL, "l'ONU O'Brien");
    cr_expect_str_eq(s.stem[0], "l'onu", "English keeps the word whole");
    cr_expect_str_eq(s.stem[1], "o'brien");
    s = stems("it", "dell'Europa");
    cr_expect_str_eq(s.stem[0], "europ");

    /* the stemmer is the language's: French "nationales" and English
     * "nationals" end differently */
    s = stems("fr", "nationales nationale");
    cr_expect_str_eq(s.stem[0], s.stem[1]);
    s = stems(NULL, "nationales");
    cr_expect_str_eq(s.stem[0], "national");

    /* Turkish: I is dotless in Turkish only, and ı is found as i */
    s = stems("tr", "Istanbul İstanbul ıstanbul istanbul");
    for (size_t i = 1; i < 4; i++) cr_expect_str_eq(s.stem[i], s.stem[0], "%zu", i);
    s = stems(NULL, "ılık Istanbul");
    cr_expect(strstr(s.stem[0], "\xc4\xb1") != NULL, "English keeps ı: %s", s.stem[0]);
    cr_expect_str_eq(s.stem[1], "istanbul");

    /* German ß is ss, in German and elsewhere */
    s = stems("de", "Straße Strasse");
    cr_expect_str_eq(s.stem[0], s.stem[1]);
    s = stems(NULL, "Straße");
    cr_expect_str_eq(s.stem[0], "strass");

    /* other scripts are stemmed by script whatever the language set */
    stems_t ru = stems("fr", "санкциями");
    s = stems(NULL, "санкциями");
    cr_expect_str_eq(ru.stem[0], s.stem[0]);
}

Test(stemming, stopword_lists_are_sorted_and_folded)
{
    static const char *const langs[] = {"", "ar", "de", "es", "fr", "it", "nl", "pt", "ru"};
    qt_pipeline_t *p = qt_pipeline_new();
    cr_assert_not_null(p);
    for (size_t l = 0; l < sizeof langs / sizeof *langs; l++) {
        const size_t n = qt_stopword_count_in(langs[l]);
        cr_expect_gt(n, 40, "%s has a list", langs[l]);
        for (size_t i = 0; i < n; i++) {
            const char *w = qt_stopword_at_in(langs[l], i);
            cr_assert(qt_stopword_in(langs[l], w, strlen(w)), "%s: %s", langs[l], w);
            if (i) cr_expect_lt(strcmp(qt_stopword_at_in(langs[l], i - 1), w), 0, "%s", w);
            stems_t s = {.n = 0};
            cr_assert_eq(qt_tokenize(p, w, strlen(w), keep, &s), 0);
            cr_expect_eq(s.n, 1, "%s: %s is one word", langs[l], w);
        }
        cr_expect_null(qt_stopword_at_in(langs[l], n));
    }
    cr_expect_eq(qt_stopword_count_in("zz"), 0);
    cr_expect(!qt_stopword_in("zz", "the", 3));
    cr_expect(qt_stopword_in("fr", "les", 3) && !qt_stopword("les", 3));
    cr_expect(qt_stopword_in("ru", "\xd0\xb8", 2), "и");
    qt_pipeline_free(p);
}

/* A folded list word tokenizes to itself: its norm is the entry. */
static int norm_is(void *ctx, const qt_token_t *t)
{
    const char *w = ctx;
    cr_expect_str_eq(t->norm, w);
    return 0;
}

Test(stemming, stopword_entries_are_their_own_folded_form)
{
    static const char *const langs[] = {"ar", "de", "es", "fr", "it", "nl", "pt", "ru"};
    qt_pipeline_t *p = qt_pipeline_new();
    cr_assert_not_null(p);
    for (size_t l = 0; l < sizeof langs / sizeof *langs; l++)
        for (size_t i = 0; i < qt_stopword_count_in(langs[l]); i++) {
            const char *w = qt_stopword_at_in(langs[l], i);
            cr_assert_eq(qt_tokenize(p, w, strlen(w), norm_is, (void *)w), 0);
        }
    qt_pipeline_free(p);
}

static const char fr_text[] =
    "Élections\n\nLe Conseil de sécurité de l'ONU a salué les élections législatives, "
    "dont les résultats ont été publiés par la commission électorale nationale.\n";
static const char en_text[] = "Elections\n\nThe Security Council welcomed the parliamentary "
                              "elections, whose results the national electoral commission "
                              "published on Monday.\n";

Test(stemming, a_query_is_read_in_the_languages_the_index_holds)
{
    put("fr.txt", fr_text, strlen(fr_text));
    put("en.txt", en_text, strlen(en_text));
    free(quire("index", 0));
    char *out = quire("stats", 0);
    cr_expect(strstr(out, "fr 2") && strstr(out, "en 2"), "the headlines too: %s", out);
    free(out);

    /* l'ONU is ONU in a French article, found by either spelling */
    out = quire("search -l ONU", 0);
    cr_expect_str_eq(out, "fr.txt\n");
    free(out);
    out = quire("search -l \"l'ONU\"", 0);
    cr_expect_str_eq(out, "fr.txt\n");
    free(out);
    /* the highlight is the word as written */
    out = quire("search --json -n 1 ONU", 0);
    const char *snip = strstr(out, "\"snippet\":\"");
    const char *hl = strstr(out, "\"highlights\":[[");
    cr_assert(snip && hl, "%s", out);
    unsigned a = 0, b = 0;
    cr_assert_eq(sscanf(hl, "\"highlights\":[[%u,%u]]", &a, &b), 2);
    cr_expect_eq(memcmp(snip + 11 + a, "l'ONU", b - a), 0, "%.*s", (int)(b - a), snip + 11 + a);
    free(out);

    /* a French phrase, its words stemmed the French way */
    out = quire("search -l '\"élections législatives\"'", 0);
    cr_expect_str_eq(out, "fr.txt\n");
    free(out);
    /* a phrase or NEAR whose word has another stem in French (publiés:
     * publi in English, publ in French) - Xapian takes no synonym inside a
     * phrase, and these once failed as "out of memory compiling the query" */
    out = quire("search -l '\"résultats ont été publiés\"'", 0);
    cr_expect_str_eq(out, "fr.txt\n");
    free(out);
    out = quire("search -l 'publiés NEAR/4 commission'", 0);
    cr_expect_str_eq(out, "fr.txt\n");
    free(out);
    free(quire("search -l '\"federal publiés\"'", 1));
    /* lang: narrows both the passages and the readings */
    free(quire("search -l 'ONU lang:en'", 1));
    out = quire("search -l 'elections lang:fr'", 0);
    cr_expect_str_eq(out, "fr.txt\n");
    free(out);
    /* French stopwords are left out of a loose query over an index that
     * holds French: "les" and "de" do not make every passage match */
    out = quire("search --json 'les résultats de la commission'", 0);
    cr_expect(strstr(out, "\"ignored\"") || strstr(out, "les"), "%s", out);
    free(out);
}

Test(stemming, chinese_typed_without_spaces_is_searched_as_its_words)
{
    static const char zh[] =
        "会晤\n\n金砖国家领导人会晤在约翰内斯堡举行，与会领导人讨论了扩员问题。\n"
        "\n"
        "另一段落谈到金砖国家扩员的前景和意义。\n\n第三段谈国家人民。\n"; /* 家人: one edit from
                                                                             家扩 */
    put("zh.txt", zh, strlen(zh));
    free(quire("index", 0));
    /* the words apart in one passage, together in the other: both found,
     * the whole run first */
    char *out = quire("search --json 金砖国家扩员", 0);
    const char *first = strstr(out, "\"line_start\":");
    cr_assert_not_null(first, "%s", out);
    cr_expect_eq(atoi(first + 13), 5, "the run whole ranks first: %s", out);
    cr_expect_not_null(strstr(first + 1, "\"line_start\":3"), "the words apart too: %s", out);
    free(out);
    /* quoted, it is a phrase */
    out = quire("search -n 5 --json '\"金砖国家扩员\"'", 0);
    cr_expect_null(strstr(out, "\"line_start\":3"), "%s", out);
    free(out);
    /* 家扩, the pair across two words, is in no index: no did-you-mean for
     * it (a scan of the whole vocabulary), and not the rarest word of the
     * query either, which made the no-answer rule refuse such runs */
    char cmd[512], *err = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s/s' && '%s' search -l 金砖国家扩员", th_tmpdir(), th_bin());
    cr_expect_eq(th_run(cmd, &out, &err), 0, "%s", err);
    cr_expect_null(strstr(err, "did you mean"), "%s", err);
    free(out);
    free(err);
    out = quire("search -l 领导扩员", 0); /* 导扩 is in no text */
    cr_expect_str_eq(out, "zh.txt\n");
    free(out);
}

/* The bad input issue 20 lists: each indexes and searches, nothing crashes,
 * the rest of the file stays searchable. */
Test(stemming, bad_input_is_indexed_and_searchable)
{
    static const char flip[] = "Flip\n\nsanctionsсанкции制裁 wordsмир mixedΑλφα end\n";
    put("flip.txt", flip, strlen(flip));
    static const char emoji[] = "🇷🇺🇨🇳🇺🇳🔥🔥🔥👍🏽👨‍👩‍👧\n";
    put("emoji.txt", emoji, strlen(emoji));
    static const char digits[] = "2024 2025 1,000,000 3.14159\n";
    put("digits.txt", digits, strlen(digits));
    /* a megabyte of Chinese on one line, no punctuation, a word in the middle */
    const size_t big = 1u << 20;
    char *cjk = malloc(big + 64);
    cr_assert_not_null(cjk);
    size_t at = 0;
    static const char *const chars[] = {"中", "国", "俄", "罗", "斯", "联", "合"};
    for (unsigned i = 0; at < big / 2; i++) {
        memcpy(cjk + at, chars[(i * 7 + i / 3) % 7], 3);
        at += 3;
    }
    memcpy(cjk + at, "宪章", 6);
    at += 6;
    while (at < big) {
        memcpy(cjk + at, chars[at % 7], 3);
        at += 3;
    }
    cjk[at++] = '\n';
    put("long.txt", cjk, at);
    free(cjk);
    /* invalid UTF-8 inside Chinese text */
    static const char broken[] = "破损\n\n联合国\xff\xfe宪章\xe4\xb8规定\xc0\x80制裁\n";
    put("broken.txt", broken, sizeof broken - 1);

    char *out = quire("index", 0);
    free(out);
    out = quire("search -l 制裁", 0);
    cr_expect(strstr(out, "flip.txt") && strstr(out, "broken.txt"), "%s", out);
    free(out);
    out = quire("search -l sanctions", 0);
    cr_expect_str_eq(out, "flip.txt\n", "the Latin part of a word that flips script");
    free(out);
    out = quire("search -l 宪章", 0);
    cr_expect(strstr(out, "long.txt") && strstr(out, "broken.txt"), "%s", out);
    free(out);
    out = quire("search -l 1000000", 0);
    cr_expect_str_eq(out, "digits.txt\n");
    free(out);
    /* a language tag that names no language Quire knows: stored as given,
     * stemmed as English, searchable by it */
    static const char tagged[] = "Tagged\n\nWords in a language nobody declared before.\n";
    th_write(th_tmpdir(), "t/x.txt", tagged, strlen(tagged));
    out = quire("index --add --language qq-ZZ ../t", 0);
    free(out);
    out = quire("search -l 'declared lang:qq'", 0);
    cr_expect(strstr(out, "t/x.txt\n") && th_count_lines(out) == 1, "%s", out);
    free(out);
    char cmd[512], *err = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s/s' && '%s' index --add --language 12 ../t", th_tmpdir(),
             th_bin());
    cr_expect_eq(th_run(cmd, &out, &err), 2);
    cr_expect(strstr(err, "--language") && strstr(err, "'12'") && th_count_lines(err) <= 2,
              "names the option and the value: %s", err);
    free(out);
    free(err);
}

/* A word read in another language is searched in that language's passages
 * only: Catalan stems "canal" to "can", which English is full of. Once the
 * synonym took every English "can" for "canal" (and the no-answer rule,
 * counting a reading no passage held, hid answers). --language reads the
 * query in one language alone. */
Test(stemming, a_reading_counts_only_in_its_language)
{
    static const char en[] = "Notes\n\nWe can build it and you can see that they can win.\n\n"
                             "The Panama canal opened in 1914.\n";
    static const char ca[] = "{\"language\":\"ca\",\"title\":\"Canal\",\"text\":\"El canal de "
                             "Panamà es va obrir el 1914 i el canal és llarg.\"}\n";
    put("en.txt", en, strlen(en));
    put("ca.jsonl", ca, strlen(ca));
    free(quire("index", 0));
    char *out = quire("search --json canal", 0);
    cr_expect(strstr(out, "\"line_start\":5") && strstr(out, "ca.jsonl"), "%s", out);
    cr_expect_null(strstr(out, "\"line_start\":3"), "the can passage is no canal: %s", out);
    free(out);
    out = quire("search -l --language ca canal", 0);
    cr_expect(strstr(out, "ca.jsonl"), "%s", out);
    free(out);
    out = quire("search -l --language en 'canal opened'", 0);
    cr_expect_str_eq(out, "en.txt\n", "English alone: no Catalan reading");
    free(out);
    /* an English query with no other word is answered as before */
    out = quire("search -l 'Panama canal'", 0);
    cr_expect(strstr(out, "en.txt"), "%s", out);
    free(out);
    free(quire("search --language 12 canal", 2));
}

/* Aliases may name another language's forms: a group "ООН | UN | United
 * Nations" finds each from the others, the Cyrillic name stemmed by its
 * script as the Russian article's words are. */
Test(stemming, aliases_may_name_other_languages_forms)
{
    static const char ru[] = "Заявление\n\nГенеральный секретарь ООН призвал стороны к миру.\n";
    static const char en[] = "Statement\n\nThe Secretary-General of the United Nations called for "
                             "peace.\n";
    put("ru.txt", ru, strlen(ru));
    put("en.txt", en, strlen(en));
    th_write(th_tmpdir(), "aliases.txt", "ООН | UN | United Nations\n",
             strlen("ООН | UN | United Nations\n"));
    free(quire("index", 0));
    char *out = quire("search -l --aliases ../aliases.txt UN", 0);
    cr_expect(strstr(out, "ru.txt") && strstr(out, "en.txt"), "%s", out);
    free(out);
    out = quire("search -l --aliases ../aliases.txt ООН", 0);
    cr_expect(strstr(out, "ru.txt") && strstr(out, "en.txt"), "%s", out);
    free(out);
    out = quire("search -l ООН", 0); /* the shipped list has no Russian names */
    cr_expect_str_eq(out, "ru.txt\n");
    free(out);
}

/* quire show -q marks a passage's words as its language stems them: in a
 * French passage l'ONU is the word ONU (the English reading keeps l'onu
 * whole, and show marked nothing). */
Test(stemming, show_marks_words_in_the_passages_language)
{
    put("fr.txt", fr_text, strlen(fr_text));
    put("en.txt", en_text, strlen(en_text));
    free(quire("index", 0));
    char *out = quire("show -q ONU --color=always fr.txt:3", 0);
    cr_expect(strstr(out, "\033[1;31ml'ONU\033[0m"), "l'ONU marked: %s", out);
    free(out);
}

/* quire stem takes its option before or after the words (it once stemmed
 * "--language" and "fr" as words when they came last). */
Test(stemming, stem_takes_the_language_anywhere)
{
    char cmd[1024], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "'%s' stem \"l'ONU\" --language fr", th_bin());
    cr_assert_eq(th_run(cmd, &out, &err), 0, "%s", err);
    cr_expect_str_eq(out, "l'ONU\tonu\tonu\n");
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "'%s' stem -l 12 word", th_bin());
    cr_expect_eq(th_run(cmd, &out, &err), 2);
    cr_expect(strstr(err, "'12'"), "%s", err);
    free(out);
    free(err);
}
