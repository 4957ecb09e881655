/*
 * test_languages.c - the language of each passage (issue 20 item 1):
 * detected from the text by libexttextcat among the languages Quire
 * names, only when confident (Russian told from Ukrainian and Chinese from
 * Japanese by their letters; too short: not told); a declared language
 * (<html lang>, JSON "language", --language for a folder) wins over
 * detection; a short article takes its file's language; stored per passage
 * and searched with lang:, printed in JSON and counted by quire stats.
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "lang.h"
#include "qt.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(languages, .fini = teardown, .timeout = 120);

static int quire(const char *args, char **out, char **err);

static const char ru[] = "Министр иностранных дел России Сергей Лавров заявил, что "
                         "односторонние санкции противоречат Уставу ООН.";
static const char uk[] = "Міністр закордонних справ України заявив, що санкції мають бути "
                         "посилені і розширені.";
static const char zh[] =
    "中国和俄罗斯呼吁召开联合国安理会峰会，以恢复国际信任并维护联合国宪章的宗旨和原则。";
static const char ar[] =
    "العقوبات الأحادية الجانب تتعارض مع ميثاق الأمم المتحدة وتقوض القانون الدولي.";
static const char fr[] = "Les sanctions unilatérales sont contraires à la Charte des Nations unies "
                         "et au droit international.";
static const char en[] = "Unilateral sanctions violate the Charter of the United Nations and "
                         "international law, members said.";

Test(languages, detected_only_when_confident)
{
    qi_lang_t *l = qi_lang_new();
    cr_assert(l, "the profiles of libexttextcat-data");
    static const struct {
        const char *text, *code;
    } cases[] = {{ru, "ru"}, {uk, "uk"}, {zh, "zh"}, {ar, "ar"}, {fr, "fr"}, {en, "en"}};
    char out[QI_LANG_MAX];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_expect_eq(qi_lang_detect(l, cases[i].text, strlen(cases[i].text), out), 0, "%s",
                     cases[i].code);
        cr_expect_str_eq(out, cases[i].code);
    }
    cr_expect_eq(qi_lang_detect(l, "UN Charter", 10, out), 1, "too short to tell");
    cr_expect_str_eq(out, "");
    static const char digits[] = "2023 2024 2025 1945 1991 2001 2011 2021 2022 2023 2024 2025 19";
    cr_expect_eq(qi_lang_detect(l, digits, strlen(digits), out), 1, "no letters");
    static const char emoji[] = "🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺🇷🇺";
    qi_lang_detect(l, emoji, strlen(emoji), out); /* no crash; whatever textcat makes of it */
    static const char bad[] =
        "\xff\xfe\xe4\xb8\xad\xe5\x9b\xbd\xff\xe5\x92\x8c\xe4\xbf\x84\xe7\xbd";
    qi_lang_detect(l, bad, sizeof bad - 1, out);
    qi_lang_free(l);
}

Test(languages, an_index_with_no_language_says_none)
{
    const char *d = th_tmpdir();
    th_write(d, "n/a.txt", "2023\n\n1945 1991\n", 16);
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("index n", &out, &err), 0, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(quire("stats", &out, &err), 0, "%s", err);
    cr_expect(!strstr(out, "languages"), "no line for no language (was: bytes never written): %s",
              out);
    free(out);
    free(err);
    cr_assert_eq(quire("stats --json", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "\"languages\":{}"), "%s", out);
    free(out);
    free(err);
}

Test(languages, declared_tags_read_as_their_primary_subtag)
{
    char out[QI_LANG_MAX];
    cr_expect(qi_lang_tag("en-US", 5, out) == 0 && !strcmp(out, "en"));
    cr_expect(qi_lang_tag("zh-Hans", 7, out) == 0 && !strcmp(out, "zh"));
    cr_expect(qi_lang_tag("ru_RU", 5, out) == 0 && !strcmp(out, "ru"));
    cr_expect(qi_lang_tag(" FR", 3, out) == 0 && !strcmp(out, "fr"));
    cr_expect(qi_lang_tag("tlh", 3, out) == 0 && !strcmp(out, "tlh"), "unknown but well formed");
    /* three-letter codes of languages with a two-letter one, as UDHR files write them */
    cr_expect(qi_lang_tag("rus", 3, out) == 0 && !strcmp(out, "ru"), "%s", out);
    cr_expect(qi_lang_tag("cmn-Hans", 8, out) == 0 && !strcmp(out, "zh"), "%s", out);
    cr_expect(qi_lang_tag("FRA", 3, out) == 0 && !strcmp(out, "fr"), "%s", out);
    cr_expect(qi_lang_tag("zul", 3, out) == 0 && !strcmp(out, "zul"), "no two-letter mapping kept");
    cr_expect_eq(qi_lang_tag("und", 3, out), -1, "undetermined is no language");
    cr_expect_eq(qi_lang_tag("zxx", 3, out), -1);
    cr_expect_eq(qi_lang_tag("x", 1, out), -1);
    cr_expect_eq(qi_lang_tag("klingon", 7, out), -1, "not a tag");
    cr_expect_eq(qi_lang_tag("12", 2, out), -1);
    cr_expect_eq(qi_lang_tag("", 0, out), -1);
}

/* Runs `quire ARGS` in th_tmpdir(); returns the status. */
static int quire(const char *args, char **out, char **err)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "cd '%s' && unset QUIRE_INDEX && HOME='%s' '%s' %s", th_tmpdir(),
             th_tmpdir(), th_bin(), args);
    return th_run(cmd, out, err);
}

/* The "lang" of the first hit of query, or "" (static). */
static const char *first_lang(const char *query)
{
    static char lang[16];
    char args[512], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "search --json -n 1 '%s'", query);
    lang[0] = '\0';
    if (quire(args, &out, &err) == 0) {
        json_t *h = json_loads(out, JSON_DISABLE_EOF_CHECK, NULL);
        const char *l = json_string_value(json_object_get(h, "lang"));
        snprintf(lang, sizeof lang, "%s", l ? l : "");
        json_decref(h);
    }
    free(out);
    free(err);
    return lang;
}

Test(languages, stored_per_passage_searched_and_counted)
{
    const char *d = th_tmpdir();
    char body[1024];
    th_write(d, "news/ru.txt", ru, strlen(ru));
    th_write(d, "news/zh.txt", zh, strlen(zh));
    snprintf(body, sizeof body, "<html lang=\"fr-FR\"><body><p>%s</p></body></html>", fr);
    th_write(d, "news/fr.html", body, strlen(body));
    /* English words, declared German: the declaration wins */
    snprintf(body, sizeof body, "{\"title\":\"Declared\",\"language\":\"de\",\"text\":\"%s\"}\n",
             en);
    th_write(d, "news/declared.jsonl", body, strlen(body));
    /* a long Arabic article, then a short one: it takes the file's language */
    snprintf(body, sizeof body, "{\"text\":\"%s\"}\n{\"text\":\"الأمم المتحدة\"}\n", ar);
    th_write(d, "news/ar.jsonl", body, strlen(body));
    th_write(d, "other/en.txt", en, strlen(en));
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("index news", &out, &err), 0, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(quire("index --add --language ru other", &out, &err), 0, "%s", err);
    free(out);
    free(err);

    cr_expect_str_eq(first_lang("Лавров"), "ru");
    cr_expect_str_eq(first_lang("联合国"), "zh");
    cr_expect_str_eq(first_lang("contraires"), "fr", "<html lang>");
    cr_expect_str_eq(first_lang("title:declared"), "de", "JSON language wins over detection");
    cr_expect_str_eq(first_lang("المتحدة"), "ar");
    cr_expect_str_eq(first_lang("file:en.txt members"), "ru", "--language for the folder");

    cr_assert_eq(quire("search -l 'lang:ar'", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "news/ar.jsonl"), "both Arabic records, the short one too: %s", out);
    free(out);
    free(err);
    cr_expect_eq(quire("search 'lang:fr Лавров'", &out, &err), 1, "lang: filters: %s", out);
    free(out);
    free(err);
    cr_assert_eq(quire("search -n 5 'lang:ru members'", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "other/en.txt"), "%s", out);
    free(out);
    free(err);

    cr_assert_eq(quire("stats --json", &out, &err), 0, "%s", err);
    json_t *s = json_loads(out, 0, NULL), *l = json_object_get(s, "languages");
    cr_expect_eq(json_integer_value(json_object_get(l, "ar")), 2);
    cr_expect_eq(json_integer_value(json_object_get(l, "ru")), 2, "ru.txt and the folder's");
    cr_expect_eq(json_integer_value(json_object_get(l, "zh")), 1);
    cr_expect_eq(json_integer_value(json_object_get(l, "fr")), 1);
    cr_expect_eq(json_integer_value(json_object_get(l, "de")), 1);
    json_decref(s);
    free(out);
    free(err);
    cr_assert_eq(quire("stats", &out, &err), 0, "%s", err);
    cr_expect(
        strstr(out, "languages  ar 2 \xc2\xb7 ru 2 \xc2\xb7 de 1 \xc2\xb7 fr 1 \xc2\xb7 zh 1\n"),
        "%s", out);
    cr_expect(strstr(out, "language=ru"), "the folder's setting shown: %s", out);
    free(out);
    free(err);
    cr_expect_eq(quire("index --language 12 news", &out, &err), 2, "%s", err);
    cr_expect(strstr(err, "language"), "%s", err);
    free(out);
    free(err);
}

/* The stem of the one word w, by the pipeline (static). */
static const char *stem_of(qt_pipeline_t *p, const char *w);

static int keep_stem(void *ctx, const qt_token_t *t)
{
    snprintf(ctx, 64, "%s", t->stem);
    return 0;
}

static const char *stem_of(qt_pipeline_t *p, const char *w)
{
    static char out[64];
    out[0] = '\0';
    cr_assert_eq(qt_tokenize(p, w, strlen(w), keep_stem, out), 0);
    return out;
}

Test(languages, words_are_stemmed_by_their_script)
{
    qt_pipeline_t *p = qt_pipeline_new();
    cr_assert(p);
    /* Russian: the forms of "sanctions" are one stem; й stays a letter */
    static const char *const forms[] = {"санкции", "санкций", "санкциями", "санкциях", "Санкция"};
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++)
        cr_expect_str_eq(stem_of(p, forms[i]), "санкц", "%s", forms[i]);
    char first[64]; /* stem_of's buffer is reused: keep one before the next */
    snprintf(first, sizeof first, "%s", stem_of(p, "новый"));
    cr_expect_str_eq(first, stem_of(p, "новые"), "-ый and -ые end one word");
    cr_expect_str_eq(stem_of(p, "ёлка"), "елк", "ё is е");
    /* Greek, accents and final sigma folded first */
    cr_expect_str_eq(stem_of(p, "πόλεμος"), "πολεμ");
    cr_expect_str_eq(stem_of(p, "πολέμου"), "πολεμ");
    /* Arabic: the article comes off before Snowball, which alone stemmed
     * العقوبات to عقوب but عقوبات to عقوبا */
    static const char *const ar_forms[] = {"العقوبات", "عقوبات", "والعقوبات", "بالعقوبات"};
    for (size_t i = 0; i < sizeof ar_forms / sizeof *ar_forms; i++)
        cr_expect_str_eq(stem_of(p, ar_forms[i]), "عقوبا", "%s", ar_forms[i]);
    snprintf(first, sizeof first, "%s", stem_of(p, "الدول"));
    cr_expect_str_eq(first, stem_of(p, "دول"), "the states, states");
    cr_expect_str_eq(stem_of(p, "الى"), "ال", "too short to lose an article: Snowball's");
    /* a word with a letter only Persian writes is left as folded */
    cr_expect_str_eq(stem_of(p, "پاکستان"), "پاكستان");
    /* English as before */
    cr_expect_str_eq(stem_of(p, "sanctions"), "sanction");
    cr_expect_str_eq(stem_of(p, "Defence"), "defens");
    qt_pipeline_free(p);
}

Test(languages, a_russian_query_finds_other_forms)
{
    const char *d = th_tmpdir();
    th_write(d, "ru/a.txt", ru, strlen(ru));
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("index ru", &out, &err), 0, "%s", err);
    free(out);
    free(err);
    /* the article says "санкции"; the query asks for the genitive plural */
    cr_assert_eq(quire("search 'санкциями'", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "ru/a.txt:1"), "%s", out);
    cr_expect(strstr(out, "\033") == NULL);
    free(out);
    free(err);
}

/* A collection in hundreds of languages (the UDHR's 500 pages) is counted
 * whole: stats once kept the first 64 codes in byte order, so en, ru and
 * zh went missing from it. */
Test(languages, stats_count_every_language_however_many)
{
    const char *d = th_tmpdir();
    char name[64], body[256], tag[4] = "aaa";
    for (int i = 0; i < 70; i++) {
        tag[1] = (char)('a' + i / 26);
        tag[2] = (char)('a' + i % 26);
        snprintf(name, sizeof name, "many/%s.html", tag);
        snprintf(body, sizeof body, "<html lang=\"%s\"><body><p>Article %d.</p></body></html>", tag,
                 i);
        th_write(d, name, body, strlen(body));
    }
    th_write(d, "many/zz.txt", en, strlen(en));
    char *out = NULL, *err = NULL;
    cr_assert_eq(quire("index many", &out, &err), 0, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(quire("stats --json", &out, &err), 0, "%s", err);
    json_t *s = json_loads(out, 0, NULL);
    json_t *langs = json_object_get(s, "languages");
    cr_expect_eq(json_object_size(langs), 71, "%s", out);
    cr_expect_eq(json_integer_value(json_object_get(langs, "en")), 1, "%s", out);
    json_decref(s);
    free(out);
    free(err);
    cr_assert_eq(quire("stats", &out, &err), 0, "%s", err);
    cr_expect(strstr(out, "59 more (--json lists all)"), "%s", out);
    free(out);
    free(err);
}
