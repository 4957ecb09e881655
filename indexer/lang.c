/*
 * lang.c - language detection through libexttextcat (lang.h). The
 * classifier is given its own configuration, naming only the profiles of
 * QI_LANGS, through a pipe (/dev/fd/N), so nothing is written to disk and
 * the system's list of 160 languages is not searched for every passage.
 */
#include "lang.h"

#include <libexttextcat/textcat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROFILES "/usr/share/libexttextcat/"
#define SAMPLE 2048 /* bytes of a passage classified: enough, and bounded */

/* Profile file, and the code a guess is stored as. */
static const char *const langs[][2] = {
    {"en.lm", "en"}, {"ru.lm", "ru"}, {"fr.lm", "fr"},      {"de.lm", "de"},      {"es.lm", "es"},
    {"ar.lm", "ar"}, {"fa.lm", "fa"}, {"zh-Hans.lm", "zh"}, {"zh-Hant.lm", "zh"}, {"ja.lm", "ja"},
    {"ko.lm", "ko"}, {"uk.lm", "uk"}, {"it.lm", "it"},      {"pt.lm", "pt"},      {"nl.lm", "nl"},
    {"pl.lm", "pl"}, {"tr.lm", "tr"}, {"he.lm", "he"},      {"el.lm", "el"},      {"hi.lm", "hi"},
    {"sv.lm", "sv"}};
#define NLANGS (sizeof langs / sizeof langs[0])

struct qi_lang {
    void *tc;
};

/* The configuration text: "PROFILE CODE" per line. */
static size_t conf_text(char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < NLANGS && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s %s\n", langs[i][0], langs[i][1]);
    return n < cap ? n : cap;
}

qi_lang_t *qi_lang_new(void)
{
    qi_lang_t *l = calloc(1, sizeof *l);
    int fds[2] = {-1, -1};
    if (!l || pipe(fds) != 0) {
        free(l);
        return NULL;
    }
    char conf[1024], path[32];
    const size_t n = conf_text(conf, sizeof conf);
    const int wrote = write(fds[1], conf, n) == (ssize_t)n; /* < PIPE_BUF: never blocks */
    close(fds[1]);
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    if (wrote) l->tc = special_textcat_Init(path, PROFILES);
    close(fds[0]);
    if (!l->tc) {
        free(l);
        return NULL;
    }
    return l;
}

void qi_lang_free(qi_lang_t *l)
{
    if (!l) return;
    textcat_Done(l->tc);
    free(l);
}

/* Letters in text[0..len): bytes that start a character and are not ASCII
 * punctuation, digits or space. A Chinese, Japanese or Korean character
 * (three bytes from U+3000) counts three: it carries about a short word,
 * and textcat's n-grams are of bytes, so 14 of them tell as much as 40
 * Latin letters. */
static size_t letters(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        const unsigned char c = (unsigned char)text[i];
        n += c >= 0xe3 && c <= 0xed ? 3
                                    : (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xc0;
    }
    return n;
}

/* Whether text[0..len) holds any of the UTF-8 sequences in marks. */
static int has_any(const char *text, size_t len, const char *const *marks)
{
    for (const char *const *m = marks; *m; m++) {
        const size_t k = strlen(*m);
        for (size_t i = 0; i + k <= len; i++)
            if (text[i] == (*m)[0] && memcmp(text + i, *m, k) == 0) return 1;
    }
    return 0;
}

/* Whether the text rules language code out by its letters: Ukrainian
 * without і ї є ґ, Japanese without kana (the pairs n-grams confuse). */
static int ruled_out(const char *code, const char *text, size_t len)
{
    static const char *const uk[] = {"\xd1\x96", "\xd1\x97", "\xd1\x94", "\xd2\x91", "\xd0\x86",
                                     "\xd0\x87", "\xd0\x84", "\xd2\x90", NULL};
    if (!strcmp(code, "uk")) return !has_any(text, len, uk);
    if (!strcmp(code, "ja")) { /* hiragana and katakana: U+3040-30FF, E3 81 80 - E3 83 BF */
        for (size_t i = 0; i + 2 < len; i++)
            if ((unsigned char)text[i] == 0xe3 && (unsigned char)text[i + 1] >= 0x81 &&
                (unsigned char)text[i + 1] <= 0x83)
                return 0;
        return 1;
    }
    return 0;
}

int qi_lang_detect(qi_lang_t *l, const char *text, size_t len, char out[QI_LANG_MAX])
{
    out[0] = '\0';
    if (!l || letters(text, len) < QI_LANG_MIN_LETTERS) return 1;
    size_t n = len < SAMPLE ? len : SAMPLE;
    while (n > 0 && n < len && ((unsigned char)text[n] & 0xc0) == 0x80) n--; /* whole characters */
    const char *guess = textcat_Classify(l->tc, text, n);
    /* "[ru]" is confident; so is "[zh][ja][zh]" when the text has no kana,
     * or "[ru][uk]" without Ukrainian letters: every candidate left names
     * one language. "[fr][it]", "SHORT" and "UNKNOWN" are not. */
    if (!guess || guess[0] != '[') return 1;
    for (const char *g = guess; *g == '[';) {
        const char *end = strchr(g, ']');
        if (!end || (size_t)(end - g - 1) >= QI_LANG_MAX) return out[0] = '\0', 1;
        char code[QI_LANG_MAX];
        memcpy(code, g + 1, (size_t)(end - g - 1));
        code[end - g - 1] = '\0';
        g = end + 1;
        if (ruled_out(code, text, n)) continue;
        if (out[0] && strcmp(out, code) != 0) return out[0] = '\0', 1;
        memcpy(out, code, sizeof code);
    }
    return out[0] ? 0 : 1;
}

/* ISO 639-2 and -3 codes of languages that have an ISO 639-1 code, for
 * the ones Quire detects or stems (UDHR files, EPUBs and library records
 * write "rus", "fra", "cmn"): each as its two-letter code, so lang:ru
 * finds them and their words get their stemmer. Sorted for bsearch. */
static const char *const three[][2] = {
    {"ara", "ar"}, {"arb", "ar"}, {"baq", "eu"}, {"cat", "ca"}, {"chi", "zh"}, {"cmn", "zh"},
    {"dan", "da"}, {"deu", "de"}, {"dut", "nl"}, {"ell", "el"}, {"eng", "en"}, {"eus", "eu"},
    {"fas", "fa"}, {"fin", "fi"}, {"fra", "fr"}, {"fre", "fr"}, {"ger", "de"}, {"gle", "ga"},
    {"gre", "el"}, {"heb", "he"}, {"hin", "hi"}, {"hun", "hu"}, {"ind", "id"}, {"ita", "it"},
    {"jpn", "ja"}, {"kor", "ko"}, {"lit", "lt"}, {"nld", "nl"}, {"nob", "nb"}, {"nno", "nn"},
    {"nor", "no"}, {"per", "fa"}, {"pes", "fa"}, {"pol", "pl"}, {"por", "pt"}, {"ron", "ro"},
    {"rum", "ro"}, {"rus", "ru"}, {"spa", "es"}, {"swe", "sv"}, {"tur", "tr"}, {"ukr", "uk"},
    {"zho", "zh"}};

static int cmp_three(const void *k, const void *e)
{
    return strcmp(k, *(const char *const *)e);
}

int qi_lang_tag(const char *tag, size_t n, char out[QI_LANG_MAX])
{
    out[0] = '\0';
    size_t i = 0;
    while (i < n && (tag[i] == ' ' || tag[i] == '\t')) i++;
    size_t k = 0;
    for (; i < n && k < 3; i++, k++) {
        const char c = tag[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) break;
        out[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    const int ends = i == n || tag[i] == '-' || tag[i] == '_' || tag[i] == ' ' || tag[i] == ';';
    if (k < 2 || !ends) {
        out[0] = '\0';
        return -1;
    }
    out[k] = '\0';
    /* BCP 47's undetermined, no linguistic content, multiple, uncoded:
     * no language (detection then tells) */
    if (!strcmp(out, "und") || !strcmp(out, "zxx") || !strcmp(out, "mul") || !strcmp(out, "mis")) {
        out[0] = '\0';
        return -1;
    }
    const char *const(*two)[2] =
        k == 3 ? bsearch(out, three, sizeof three / sizeof *three, sizeof *three, cmp_three) : NULL;
    if (two) memcpy(out, (*two)[1], 3);
    return 0;
}
