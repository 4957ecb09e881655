/*
 * test_cjk.c - Chinese, Japanese and Korean end to end (issue 20 item 3):
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
