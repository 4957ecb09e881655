/*
 * test_cjk.c - scripts other than Latin end to end (issue 20 items 3 and 4):
 * Chinese, Japanese and Korean:
 * a word of two or more characters is found inside a sentence written
 * without spaces, a longer one as a phrase of its pairs (so 宪章 does not
 * match 章宪), and the snippet marks exactly the matched characters, the
 * overlapping pairs merged into one highlight.
 */
#include <criterion/criterion.h>

#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(cjk, .fini = teardown, .timeout = 120);

static char *quire(const char *args, int want)
{
    char cmd[8192], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "cd '%s/c' && unset QUIRE_INDEX && '%s' %s", th_tmpdir(), th_bin(),
             args);
    const int rc = th_run(cmd, &out, &err);
    cr_assert_eq(rc, want, "quire %s: status %d\n%s%s", args, rc, out, err);
    free(err);
    return out;
}

static void put(const char *name, const char *text)
{
    th_write(th_tmpdir(), name, text, strlen(text));
}

Test(cjk, words_inside_sentences_are_found_and_marked_exactly)
{
    put("c/zh.txt", "联合国宪章\n\n各国应当遵守联合国宪章的宗旨和原则。单方面制裁违反国际法。\n");
    put("c/other.txt", "章宪\n\n这是章宪两个字倒过来的句子。\n");
    put("c/ja.txt", "外務省\n\nラブロフ外相は国連憲章を守ると述べた。\n");
    char *out = quire("index", 0);
    free(out);
    out = quire("search -l 单方面制裁", 0);
    cr_expect_str_eq(out, "zh.txt\n");
    free(out);
    out = quire("search -l 宪章", 0);
    cr_expect_str_eq(out, "zh.txt\n", "宪章 is not 章宪");
    free(out);
    out = quire("search -l 国連憲章", 0);
    cr_expect_str_eq(out, "ja.txt\n");
    free(out);
    out = quire("search --json -n 1 单方面制裁", 0);
    const char *s = "各国应当遵守联合国宪章的宗旨和原则。";
    char want[64];
    snprintf(want, sizeof want, "\"highlights\":[[%zu,%zu]]", strlen(s), strlen(s) + 15);
    cr_expect(strstr(out, want) != NULL, "one highlight over the five characters: %s in %s", want,
              out);
    free(out);
    out = quire("search --json -n 1 联合国", 0);
    cr_expect(strstr(out, "\"title_highlights\":[[0,9]]") != NULL, "%s", out);
    free(out);
    out = quire("search 国", 1); /* one character: a word only where it stands alone */
    free(out);
}

/* Right-to-left text and combining marks come out as they went in: the
 * JSON text is the file's bytes, a highlight covers a word's diacritics
 * (it ends before the next letter, never between a letter and its marks),
 * and a letter under hundreds of combining marks (Zalgo) leaves the rest
 * of its passage searchable. */
Test(cjk, rtl_text_and_combining_marks_come_out_intact)
{
    static const char ar[] = "بيان\n\nأكد الوزير أن العقوبات الأحادية تنتهك الميثاق. وَقَّعَ "
                             "الوَفْدُ على البيان.\n";
    put("c/ar.txt", ar);
    char zalgo[2048] = "Zalgo\n\nZ";
    size_t at = strlen(zalgo);
    for (int i = 0; i < 300; i++) { /* U+0300..U+036F, two bytes each */
        zalgo[at++] = (char)0xcc + (char)((i % 112) >= 64);
        zalgo[at++] = (char)(0x80 + (i % 112) % 64);
    }
    snprintf(zalgo + at, sizeof zalgo - at, "algo and the embargo here\n");
    put("c/zalgo.txt", zalgo);
    char *out = quire("index", 0);
    free(out);
    out = quire("search --json الوفد", 0);
    const char *text = strstr(ar, "أكد");
    char want[512];
    snprintf(want, sizeof want, "\"text\":\"%.*s\"", (int)(strchr(text, '\n') - text), text);
    cr_expect(strstr(out, want) != NULL, "the bytes as they were: %s", out);
    const char *hl = strstr(out, "\"highlights\":[[");
    cr_assert_not_null(hl, "%s", out);
    unsigned a = 0, b = 0;
    cr_assert_eq(sscanf(hl, "\"highlights\":[[%u,%u]]", &a, &b), 2);
    const char *snip = strstr(out, "\"snippet\":\"") + 11;
    cr_expect_eq(b - a, strlen("الوَفْدُ"), "the word with its marks");
    cr_expect_eq(memcmp(snip + a, "الوَفْدُ", b - a), 0);
    free(out);
    out = quire("search -l embargo", 0);
    cr_expect_str_eq(out, "zalgo.txt\n");
    free(out);
    /* --color marks the same span: the word with its diacritics, the
     * colour never ending between a letter and its marks */
    out = quire("search --color=always الوفد", 0);
    cr_expect(strstr(out, "الوَفْدُ\033["), "the colour ends after the marks: %s", out);
    cr_expect_null(strstr(out, "الو\033["), "%s", out);
    free(out);
}
