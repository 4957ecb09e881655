/*
 * test_pipeline.c - the text pipeline (stemmer/): Unicode folding, word
 * segmentation, British/American spelling, Snowball stemming, and never
 * failing on malformed input.
 */
#include <criterion/criterion.h>

#include "buf.h"
#include "qt.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    ql_buf_t norms, stems;
    size_t n;
    size_t last_end, tag_start, tag_end;
    uint32_t last_pos;
    const char *text;
    size_t len;
    int spans_ok;
} collected_t;

static int collect(void *ctx, const qt_token_t *t)
{
    collected_t *c = ctx;
    if (c->n) {
        ql_buf_addc(&c->norms, ' ');
        ql_buf_addc(&c->stems, ' ');
    }
    ql_buf_add(&c->norms, t->norm, t->norm_len);
    ql_buf_add(&c->stems, t->stem, t->stem_len);
    /* spans are in order, inside the input, and non-empty; a hashtag's parts
     * lie inside the tag, the first sharing its position */
    if (t->end <= t->start || t->end > c->len) c->spans_ok = 0;
    if (t->flags & QT_TOK_PART) {
        if (t->start < c->tag_start || t->end > c->tag_end || t->pos < c->last_pos ||
            t->pos > c->last_pos + 1)
            c->spans_ok = 0;
    } else if (t->flags & QT_TOK_CJK) { /* pairs overlap the one before by a character */
        if (t->start < c->tag_start || t->pos != c->last_pos + 1) c->spans_ok = 0;
        c->last_end = t->end;
        c->tag_start = t->start;
        c->tag_end = t->end;
    } else {
        if (t->start < c->last_end || t->pos != c->last_pos + 1) c->spans_ok = 0;
        c->last_end = t->end;
        c->tag_start = t->start;
        c->tag_end = t->end;
    }
    c->last_pos = t->pos;
    c->n++;
    return 0;
}

static collected_t run(const char *text, size_t len)
{
    collected_t c = {{0}, {0}, 0, 0, 0, 0, 0, text, len, 1};
    qt_pipeline_t *p = qt_pipeline_new();
    cr_assert_not_null(p);
    cr_assert_eq(qt_tokenize(p, text, len, collect, &c), 0);
    qt_pipeline_free(p);
    ql_buf_addc(&c.norms, '\0');
    ql_buf_addc(&c.stems, '\0');
    return c;
}

static void free_collected(collected_t *c)
{
    ql_buf_free(&c->norms);
    ql_buf_free(&c->stems);
}

static void expect_norms(const char *in, const char *want)
{
    collected_t c = run(in, strlen(in));
    cr_expect_str_eq(c.norms.data, want, "folding %s", in);
    cr_expect(c.spans_ok, "spans of %s", in);
    free_collected(&c);
}

static void expect_stems(const char *in, const char *want)
{
    collected_t c = run(in, strlen(in));
    cr_expect_str_eq(c.stems.data, want, "stemming %s", in);
    free_collected(&c);
}

Test(fold, strips_marks_and_case)
{
    expect_norms("Guaidó café NAÏVE Zürich", "guaido cafe naive zurich");
    expect_norms("Straße", "strasse");
}

Test(fold, nfkc_compatibility_forms)
{
    expect_norms("ﬁnance", "finance");                 /* ligature */
    expect_norms("ＵＮ Ｃｈａｒｔｅｒ", "un charter"); /* full width */
    expect_norms("x²", "x2");
}

Test(fold, keycap_digits_are_a_number)
{
    expect_norms("1️⃣9️⃣3️⃣ Member States", "193 member states");
    expect_norms("7️⃣9️⃣ years ago", "79 years ago");
}

Test(fold, ignorables_do_not_split_words)
{
    expect_norms("inter\xc2\xadnational", "international");   /* soft hyphen */
    expect_norms("multi\xe2\x80\x8blateral", "multilateral"); /* zero-width space */
    expect_norms("❗️ Comment", "comment");                /* emoji + VS16 */
}

Test(fold, emoji_and_flags_separate_words)
{
    expect_norms("🇷🇺Russia🇺🇳UN", "russia un");
    expect_norms("🔹 In effect", "in effect");
}

Test(fold, curly_and_straight_apostrophes_agree)
{
    collected_t a = run("Washington’s", strlen("Washington’s"));
    collected_t b = run("Washington's", strlen("Washington's"));
    cr_expect_str_eq(a.norms.data, "washington's");
    cr_expect_str_eq(a.stems.data, b.stems.data);
    cr_expect_str_eq(a.stems.data, "washington");
    free_collected(&a);
    free_collected(&b);
}

Test(fold, quotes_and_dashes_separate)
{
    expect_norms("“rules-based” order", "rules based order");
    expect_norms("2023−2024 – 2025—2026", "2023 2024 2025 2026"); /* minus, en, em dash */
    expect_norms("‘in defense’", "in defense");
}

Test(segment, acronyms_and_numbers)
{
    expect_norms("U.N. and U.S.-led", "un and us led");
    expect_norms("1,000 troops, 3.5 percent.", "1000 troops 3.5 percent");
    expect_norms("end. Next", "end next");
}

Test(spelling, british_to_american)
{
    expect_norms("Defence defences offence licence", "defense defenses offense license");
    expect_norms("organisation recognised civilisation democratisation",
                 "organization recognized civilization democratization");
    expect_norms("colour honoured favourite behavioural", "color honored favorite behavioral");
    expect_norms("centre centres centred kilometres theatre",
                 "center centers centered kilometers theater");
    expect_norms("analyse paralysed", "analyze paralyzed");
    expect_norms("programme programmes catalogue", "program programs catalog");
    expect_norms("travelled modelling jeweller", "traveled modeling jeweler");
    expect_norms("grey judgement whilst", "gray judgment while");
}

Test(spelling, exceptions_are_left_alone)
{
    expect_norms("tour hours four your flour detour contour devour",
                 "tour hours four your flour detour contour devour");
    expect_norms("premise promise surprise exercise advise expertise otherwise rise",
                 "premise promise surprise exercise advise expertise otherwise rise");
    expect_norms("acre genre massacre crises analysis", "acre genre massacre crises analysis");
    expect_norms("killed called filled", "killed called filled");
}

Test(spelling, both_spellings_stem_alike)
{
    const char *pairs[][2] = {{"Defence", "Defense"},       {"organisations", "organizations"},
                              {"emphasised", "emphasized"}, {"behaviour", "behavior"},
                              {"centre", "center"},         {"programme", "program"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        collected_t a = run(pairs[i][0], strlen(pairs[i][0]));
        collected_t b = run(pairs[i][1], strlen(pairs[i][1]));
        cr_expect_str_eq(a.stems.data, b.stems.data, "%s vs %s", pairs[i][0], pairs[i][1]);
        free_collected(&a);
        free_collected(&b);
    }
}

Test(stem, snowball_english)
{
    expect_stems("sanctions sanctioned sanctioning", "sanction sanction sanction");
    expect_stems("multilateralism unilateral", "multilater unilater");
    expect_stems("running states", "run state");
}

/* bsearch needs the list sorted; every entry is a folded word, so a token's
 * norm is what gets looked up. */
Test(stopwords, sorted_folded_and_looked_up_by_norm)
{
    const size_t n = qt_stopword_count();
    cr_assert_gt(n, 50);
    for (size_t i = 0; i < n; i++) {
        const char *w = qt_stopword_at(i);
        cr_assert(qt_stopword(w, strlen(w)), "%s is not found", w);
        if (i) cr_assert_lt(strcmp(qt_stopword_at(i - 1), w), 0, "%s out of order", w);
        collected_t c = run(w, strlen(w));
        cr_expect_str_eq(c.norms.data, w, "%s is not its own fold", w);
        free_collected(&c);
    }
    cr_expect_null(qt_stopword_at(n));
    static const char *const not_stop[] = {"against",   "under", "may",       "will", "us",
                                           "sanctions", "th",    "whichever", ""};
    for (size_t i = 0; i < sizeof not_stop / sizeof *not_stop; i++)
        cr_expect_not(qt_stopword(not_stop[i], strlen(not_stop[i])), "%s", not_stop[i]);
    cr_expect(qt_stopword("the", 3));
    cr_expect(qt_stopword("which", 5));
}

Test(robust, invalid_utf8_is_replaced_not_fatal)
{
    /* bad lead byte, truncated sequence, overlong '/', surrogate, > U+10FFFF */
    const char in[] = "ok \xff bad\xe2\x80 x \xc0\xaf y \xed\xa0\x80 z \xf4\x90\x80\x80 end";
    collected_t c = run(in, sizeof in - 1);
    cr_expect_str_eq(c.norms.data, "ok bad x y z end");
    cr_expect(c.spans_ok);
    free_collected(&c);
}

Test(robust, every_byte_sequence_tokenizes)
{
    /* deterministic pseudo-random bytes: no crash, spans in order and in bounds */
    unsigned x = 12345;
    char buf[4096];
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = (char)(x >> 16);
        }
        collected_t c = run(buf, sizeof buf);
        cr_assert(c.spans_ok, "round %d", round);
        free_collected(&c);
    }
}

Test(robust, overlong_words_are_flagged_not_indexed)
{
    char word[400];
    memset(word, 'a', sizeof word - 1);
    word[sizeof word - 1] = '\0';
    qt_pipeline_t *p = qt_pipeline_new();
    collected_t c = {{0}, {0}, 0, 0, 0, 0, 0, word, strlen(word), 1};
    cr_assert_eq(qt_tokenize(p, word, strlen(word), collect, &c), 0);
    cr_expect_eq(c.n, 1);
    cr_expect_eq(c.stems.len, 0, "no term for a %zu-byte word", strlen(word));
    qt_pipeline_free(p);
    free_collected(&c);
}

Test(utf8, check_and_repair)
{
    const char good[] = "Guaidó 🇺🇳";
    cr_expect_eq(qt_utf8_check(good, sizeof good - 1), sizeof good - 1);
    const char bad[] = "ab\xffz";
    cr_expect_eq(qt_utf8_check(bad, 4), 2);
    char out[16];
    const size_t n = qt_utf8_repair(bad, 4, out);
    cr_expect_eq(n, 6);
    cr_expect(memcmp(out, "ab\xef\xbf\xbdz", 6) == 0);
}

Test(segment, hashtags_split_at_camel_case)
{
    expect_norms("#UNCharterIsOurRules", "uncharterisourrules un charter is our rules");
    expect_norms("#RussiaHungary #COVID19", "russiahungary russia hungary covid19 covid 19");
    expect_norms("C# a#b #lower", "c a b lower"); /* not hashtags, or one part */
}

/* Chinese, Japanese and Korean run into overlapping pairs; other scripts
 * beside them stay words of their own; a lone character is itself. */
Test(segment, cjk_runs_become_overlapping_pairs)
{
    expect_norms("联合国宪章", "联合 合国 国宪 宪章");
    expect_norms("UN联合国 charter", "un 联合 合国 charter");
    expect_norms("第1章", "第 1 章");
    expect_norms("ロシア外務省", "ロシ シア ア外 外務 務省");
    expect_norms("유엔 헌장을", "유엔 헌장 장을");
    expect_norms("ｶﾀｶﾅ", "カタ タカ カナ"); /* halfwidth katakana folded (NFKC) */
    collected_t c = run("各国遵守", 12);
    cr_expect_eq(c.n, 3);
    cr_expect(c.spans_ok);
    free_collected(&c);
}

/* A run longer than the tokenizer holds at once (a 1 MB line of Chinese
 * without punctuation) still gives every pair, in order, none lost at a cut. */
Test(segment, a_long_cjk_run_loses_no_pair)
{
    const size_t chars = 3000;
    char *text = malloc(chars * 3 + 1);
    cr_assert_not_null(text);
    for (size_t i = 0; i < chars; i++) /* 一丁七... : 3000 distinct-enough characters */
        memcpy(text + 3 * i,
               (const char[]){(char)0xe4, (char)(0xb8 + (i / 64) % 4), (char)(0x80 + i % 64)}, 3);
    text[chars * 3] = '\0';
    collected_t c = run(text, chars * 3);
    cr_expect_eq(c.n, chars - 1, "every pair of %zu characters", chars);
    cr_expect(c.spans_ok);
    free_collected(&c);
    free(text);
}

/* Arabic-script letters written interchangeably fold to one; diacritics and
 * the tatweel go; Turkish dotless i is left as it is. */
Test(fold, arabic_and_persian_letter_variants)
{
    expect_norms("الأمم إلى آخر", "الامم الي اخر");
    expect_norms("مدرسة على", "مدرسه علي");
    expect_norms("العـــقوبات وَقَّعَ", "العقوبات وقع");
    expect_norms("کتاب ایران", "كتاب ايران"); /* Persian keheh and yeh */
    expect_norms("ılık İstanbul", "ılık istanbul");
}
