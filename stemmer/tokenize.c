/*
 * tokenize.c - the pipeline object and word segmentation.
 *
 * A word is a run of letters, marks and numbers (Unicode categories L, M, N).
 * Inside a word, default-ignorable code points (variation selectors, ZWJ,
 * soft hyphen) are skipped without breaking it, so the keycap digits
 * "1U+FE0FU+20E3 9U+FE0FU+20E3 3U+FE0FU+20E3" are one word that folds to
 * "193". An apostrophe between letters stays in the word (Washington's, in
 * either quote style); a comma or dot between digits joins a number (1,000 ->
 * 1000; 3.5); single letters separated by dots form an acronym (U.N. -> un).
 * Everything else - spaces, punctuation, symbols, emoji, U+FFFD - separates.
 * Chinese, Japanese and Korean are written without spaces between words: a
 * run of their characters becomes overlapping pairs (联合国宪章: 联合 合国
 * 国宪 宪章, at consecutive positions, as Lucene's CJK analyzer does), so a
 * word of two or more characters is found inside a sentence as a phrase of
 * its pairs; a character standing alone is a word of one.
 * Each word is then folded (fold.c), spelt the American way (spelling.c) and
 * stemmed with Snowball: by its script (below), and a word in Latin script
 * in the language the pipeline is set to (qt_pipeline_set_lang: French,
 * German, Spanish ... English by default).
 */
#include "qt.h"
#include "fold.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Code points collected for one word before it is declared too long. */
#define MAX_WORD_CPS ((size_t)QT_MAX_TERM * 4)
#define SCRATCH_CPS (MAX_WORD_CPS * 8)
#define NORM_CAP (QT_MAX_TERM + 8)

/* Words are stemmed by their script, the same way in documents and
 * queries, so neither needs to know the other's language: Cyrillic with
 * Snowball's Russian stemmer (Ukrainian, Bulgarian and Serbian words share
 * it: better than none, and alike on both sides), Greek with Greek, Arabic
 * script with Arabic unless the word has a letter only Persian writes
 * (then unstemmed). Latin script, which many languages share, is stemmed in
 * the language set (ST_LATIN): English unless qt_pipeline_set_lang says. */
enum stemmer_kind { ST_LATIN, ST_RUSSIAN, ST_GREEK, ST_ARABIC, ST_NONE, ST_KINDS };

/* Latin-script languages with a Snowball stemmer of their own, by ISO 639-1
 * code as libstemmer names them (sorted: bsearch). */
static const char *const latin_langs[] = {"ca", "da", "de", "es", "eu", "fi", "fr", "ga", "hu",
                                          "id", "it", "lt", "nl", "no", "pt", "ro", "sv", "tr"};
#define NLATIN (sizeof latin_langs / sizeof *latin_langs)

struct qt_pipeline {
    struct sb_stemmer *sb;              /* English, always there */
    struct sb_stemmer *other[ST_KINDS]; /* the others, made on first use */
    int tried[ST_KINDS];
    struct sb_stemmer *latin_sb[NLATIN]; /* Latin-script languages', made on first use */
    int latin_tried[NLATIN];
    int lang;    /* the language set: an index into latin_langs, or -1 (English) */
    int turkish; /* the language set is Turkish: I is dotless ı (turkish_word) */
    int32_t cased[MAX_WORD_CPS];
    int32_t cps[MAX_WORD_CPS];
    size_t offs[MAX_WORD_CPS];  /* byte offset of each code point in the input */
    size_t parts[MAX_WORD_CPS]; /* CamelCase part starts, as indices into cps */
    int32_t scratch[SCRATCH_CPS];
    char norm[NORM_CAP];
    char stem[NORM_CAP];
};

qt_pipeline_t *qt_pipeline_new(void)
{
    qt_pipeline_t *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->lang = -1;
    p->sb = sb_stemmer_new("english", "UTF_8");
    if (!p->sb) {
        free(p);
        return NULL;
    }
    return p;
}

void qt_pipeline_free(qt_pipeline_t *p)
{
    if (!p) return;
    sb_stemmer_delete(p->sb);
    for (int k = 0; k < ST_KINDS; k++)
        if (p->other[k]) sb_stemmer_delete(p->other[k]);
    for (size_t k = 0; k < NLATIN; k++)
        if (p->latin_sb[k]) sb_stemmer_delete(p->latin_sb[k]);
    free(p);
}

static int cmp_code(const void *k, const void *e)
{
    return strcmp(k, *(const char *const *)e);
}

/* The index of code in latin_langs, or -1. */
static int latin_index(const char *code)
{
    if (!code || !code[0]) return -1;
    if (!strcmp(code, "nb") || !strcmp(code, "nn")) code = "no"; /* Bokmål, Nynorsk */
    const char *const *at = bsearch(code, latin_langs, NLATIN, sizeof *latin_langs, cmp_code);
    return at ? (int)(at - latin_langs) : -1;
}

int qt_lang_stems(const char *code)
{
    return latin_index(code) >= 0;
}

int qt_pipeline_set_lang(qt_pipeline_t *p, const char *code)
{
    p->lang = latin_index(code);
    p->turkish = p->lang >= 0 && !strcmp(latin_langs[p->lang], "tr");
    return p->lang >= 0;
}

/* Turkish writes two i's: dotted i/İ and dotless ı/I, so its capital I
 * lowers to ı, which its stemmer's vowel harmony needs (Lucene's
 * TurkishLowerCaseFilter). Only a Turkish article's words and a query's
 * Turkish reading get this; other languages keep I -> i. */
static const int32_t *turkish_case(qt_pipeline_t *p, const int32_t *cps, size_t n)
{
    for (size_t i = 0; i < n; i++) p->cased[i] = cps[i] == 'I' ? 0x131 : cps[i];
    return p->cased;
}

/* ... and after stemming ı is written i (in place, s[0..*len)), so a
 * reader who types Istanbul, İstanbul or ıstanbul on any keyboard finds
 * the same word. */
static void turkish_undot(char *s, size_t *len)
{
    size_t k = 0;
    for (size_t i = 0; i < *len; i++) {
        if ((unsigned char)s[i] == 0xC4 && i + 1 < *len && (unsigned char)s[i + 1] == 0xB1) {
            s[k++] = 'i';
            i++;
        } else {
            s[k++] = s[i];
        }
    }
    *len = k;
    s[k] = '\0';
}

enum cls { C_SEP, C_WORD, C_LETTER, C_IGNORE, C_APOS, C_DOT, C_COMMA };

static enum cls classify(int32_t cp)
{
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return C_LETTER;
        if (cp >= '0' && cp <= '9') return C_WORD;
        if (cp == '\'') return C_APOS;
        if (cp == '.') return C_DOT;
        if (cp == ',') return C_COMMA;
        return C_SEP;
    }
    if (cp == 0x2019 || cp == 0x02BC) return C_APOS;
    const utf8proc_property_t *pr = utf8proc_get_property(cp);
    if (pr->ignorable) return C_IGNORE;
    switch (pr->category) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return C_LETTER;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return C_WORD;
    default:
        return C_SEP;
    }
}

static int is_wordish(enum cls c)
{
    return c == C_WORD || c == C_LETTER;
}

static int is_digit_cp(int32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* Class of the code point at s[i], C_SEP past the end. */
static enum cls class_at(const char *s, size_t len, size_t i, int32_t *cp_out, size_t *adv)
{
    size_t a = 0;
    if (i >= len) {
        if (adv) *adv = 0;
        if (cp_out) *cp_out = -1;
        return C_SEP;
    }
    const int32_t cp = qt_utf8_decode(s + i, len - i, &a);
    if (adv) *adv = a;
    if (cp_out) *cp_out = cp;
    return classify(cp);
}

/* Han, kana and Hangul: scripts written without spaces between words. */
static int is_cjk(int32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) || /* Hangul Jamo */
           (cp >= 0x3040 && cp <= 0x30FF) || /* Hiragana, Katakana */
           (cp >= 0x3130 && cp <= 0x318F) || /* Hangul compatibility Jamo */
           (cp >= 0x31F0 && cp <= 0x31FF) || /* Katakana phonetic extensions */
           (cp >= 0x3400 && cp <= 0x4DBF) || /* CJK extension A */
           (cp >= 0x4E00 && cp <= 0x9FFF) || /* CJK unified ideographs */
           (cp >= 0xAC00 && cp <= 0xD7AF) || /* Hangul syllables */
           (cp >= 0xF900 && cp <= 0xFAFF) || /* CJK compatibility ideographs */
           (cp >= 0xFF66 && cp <= 0xFF9F) || /* halfwidth Katakana */
           (cp >= 0x20000 && cp <= 0x3134F); /* CJK extensions B to G */
}

static int finish_word(qt_pipeline_t *p, const int32_t *cps, size_t n, int toolong,
                       qt_token_t *tok);

int qt_is_cjk_word(const char *s, size_t len)
{
    size_t adv = 0;
    return len > 0 && is_cjk(qt_utf8_decode(s, len, &adv));
}

/* The alphabet a letter belongs to, for the scripts a word does not run
 * across (ICU's word breaker splits them too): "sanctionsсанкции", two
 * texts run together, is two words, each stemmed by its script. 0 for the
 * rest (digits, marks, other scripts): they never split a word. */
static int alphabet(int32_t cp)
{
    if (cp < 0x250 || (cp >= 0x1E00 && cp <= 0x1EFF)) return 1;                   /* Latin */
    if ((cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x1F00 && cp <= 0x1FFF)) return 2; /* Greek */
    if (cp >= 0x400 && cp <= 0x52F) return 3;                                     /* Cyrillic */
    if (cp >= 0x590 && cp <= 0x5FF) return 4;                                     /* Hebrew */
    if ((cp >= 0x600 && cp <= 0x6FF) || (cp >= 0x750 && cp <= 0x77F) ||
        (cp >= 0x8A0 && cp <= 0x8FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
        (cp >= 0xFE70 && cp <= 0xFEFF))
        return 5; /* Arabic */
    return 0;
}

/* The run of CJK characters at text[*i] as overlapping pairs (one
 * character alone: itself), each a token at the next position; *i moves
 * past the run. Returns fn's non-zero value, or 0. */
static int cjk_run(qt_pipeline_t *p, const char *text, size_t len, size_t *i, uint32_t *pos,
                   qt_token_fn fn, void *ctx)
{
    size_t n = 0, end = *i, resume = 0;
    for (;;) {
        int32_t cp = 0;
        size_t adv = 0;
        const enum cls c = class_at(text, len, end, &cp, &adv);
        if (c == C_IGNORE) {
            end += adv;
            continue;
        }
        if (!is_wordish(c) || !is_cjk(cp)) break;
        if (n == MAX_WORD_CPS) {     /* a long run goes on from its last character, so the */
            resume = p->offs[n - 1]; /* pair across the cut is made too */
            break;
        }
        p->offs[n] = end;
        p->cps[n++] = cp;
        end += adv;
    }
    *i = resume ? resume : end;
    for (size_t k = 0; k + (n > 1) < n; k++) {
        const size_t w = n > 1 ? 2 : 1;
        qt_token_t tok;
        int32_t pair[2] = {p->cps[k], n > 1 ? p->cps[k + 1] : 0};
        if (!finish_word(p, pair, w, 0, &tok)) continue;
        tok.start = p->offs[k];
        tok.end = k + w < n ? p->offs[k + w] : end;
        tok.pos = ++*pos;
        tok.flags |= QT_TOK_CJK;
        const int rc = fn(ctx, &tok);
        if (rc) return rc;
    }
    return 0;
}

/* Acronym at s[i]: letter '.' letter ('.' letter)* with each letter standing
 * alone. On success stores the letters in cps, sets *end past the last dot
 * (or letter) and returns how many letters; returns 0 when it is not one. */
static size_t scan_acronym(const char *s, size_t len, size_t i, int32_t *cps, size_t *end)
{
    size_t n = 0, at = i;
    for (;;) {
        int32_t cp = 0;
        size_t adv = 0;
        if (class_at(s, len, at, &cp, &adv) != C_LETTER || n == MAX_WORD_CPS) break;
        size_t after = at + adv;
        if (is_wordish(class_at(s, len, after, NULL, NULL))) break; /* not a lone letter */
        cps[n++] = cp;
        at = after;
        if (after < len && s[after] == '.') {
            at = after + 1;
            if (class_at(s, len, at, NULL, NULL) != C_LETTER) break;
        } else {
            break;
        }
    }
    *end = at;
    return n >= 2 ? n : 0;
}

/* 1 when cps[0..n) has two or more letters and no lower-case one. */
static int all_caps(const int32_t *cps, size_t n)
{
    size_t letters = 0;
    for (size_t i = 0; i < n; i++) {
        const int32_t c = cps[i];
        if (c < 0x80) {
            if (c >= 'a' && c <= 'z') return 0;
            letters += c >= 'A' && c <= 'Z';
            continue;
        }
        const utf8proc_category_t cat = utf8proc_category(c);
        if (cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT) return 0;
        letters += cat == UTF8PROC_CATEGORY_LU;
    }
    return letters >= 2;
}

/* Which stemmer the word cps[0..n) takes, by its first letter's script. */
static enum stemmer_kind stemmer_for(const int32_t *cps, size_t n)
{
    const int32_t c = n ? cps[0] : 0;
    if (c < 0x370) return ST_LATIN;
    if (c >= 0x400 && c <= 0x52f) return ST_RUSSIAN;
    if (c >= 0x370 && c <= 0x3ff) return ST_GREEK;
    if ((c >= 0x600 && c <= 0x6ff) || (c >= 0x750 && c <= 0x77f)) {
        for (size_t i = 0; i < n; i++) /* peh, tcheh, jeh, gaf: Persian */
            if (cps[i] == 0x67e || cps[i] == 0x686 || cps[i] == 0x698 || cps[i] == 0x6af)
                return ST_NONE;
        return ST_ARABIC;
    }
    return ST_LATIN;
}

/* The Snowball stemmer of kind, or NULL (no stemming). */
static struct sb_stemmer *stemmer(qt_pipeline_t *p, enum stemmer_kind k)
{
    static const char *const names[ST_KINDS] = {"english", "russian", "greek", "arabic", NULL};
    if (k == ST_LATIN && p->lang >= 0) {
        if (!p->latin_tried[p->lang]) {
            p->latin_tried[p->lang] = 1;
            p->latin_sb[p->lang] = sb_stemmer_new(latin_langs[p->lang], "UTF_8");
        }
        return p->latin_sb[p->lang] ? p->latin_sb[p->lang] : p->sb;
    }
    if (k == ST_LATIN) return p->sb;
    if (!names[k]) return NULL;
    if (!p->tried[k]) {
        p->tried[k] = 1;
        p->other[k] = sb_stemmer_new(names[k], "UTF_8");
    }
    return p->other[k];
}

/* French, Italian and Catalan elide an article, pronoun or conjunction
 * before a vowel: l'ONU, d'Iran, qu'il, dell'Europa. In those languages the
 * elided word is dropped from the folded word w[0..len) (in place), as
 * Lucene's ElisionFilter does, so l'ONU is found as ONU. Returns the new
 * length. */
static size_t elide(const char *code, char *w, size_t len)
{
    static const char *const fr[] = {"c", "d",  "j",     "l",      "m",      "n",      "s",
                                     "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", NULL};
    static const char *const it[] = {"c",  "d",     "l",     "m",    "n",    "s",    "t",
                                     "v",  "all",   "dall",  "dell", "nell", "sull", "coll",
                                     "un", "quest", "quell", "tutt", NULL};
    static const char *const ca[] = {"d", "l", "m", "n", "s", "t", NULL};
    const char *const *v = !strcmp(code, "fr")   ? fr
                           : !strcmp(code, "it") ? it
                           : !strcmp(code, "ca") ? ca
                                                 : NULL;
    const char *apos = v ? memchr(w, '\'', len < 8 ? len : 8) : NULL;
    if (!apos || apos == w || (size_t)(apos - w) + 1 == len) return len;
    const size_t k = (size_t)(apos - w);
    for (size_t i = 0; v[i]; i++)
        if (strlen(v[i]) == k && !memcmp(v[i], w, k)) {
            memmove(w, apos + 1, len - k - 1);
            w[len - k - 1] = '\0';
            return len - k - 1;
        }
    return len;
}

/* Arabic writes the article ال (al-), alone or after و ب ك ف (and, with,
 * like, so) or as لل, joined to its noun. Snowball's Arabic stemmer strips
 * it or a suffix but not always both (العقوبات -> عقوب, عقوبات -> عقوبا),
 * so it is removed first, when two letters or more remain, as Larkey's
 * light10 stemmer does. Returns the bytes of w[0..len) to skip. */
static size_t arabic_article(const char *w, size_t len)
{
    static const char *const arts[] = {"\xd9\x88\xd8\xa7\xd9\x84", /* وال */
                                       "\xd8\xa8\xd8\xa7\xd9\x84", /* بال */
                                       "\xd9\x83\xd8\xa7\xd9\x84", /* كال */
                                       "\xd9\x81\xd8\xa7\xd9\x84", /* فال */
                                       "\xd8\xa7\xd9\x84",         /* ال */
                                       "\xd9\x84\xd9\x84",         /* لل */
                                       NULL};
    for (size_t i = 0; arts[i]; i++) {
        const size_t k = strlen(arts[i]);
        if (len >= k + 4 && !memcmp(w, arts[i], k)) return k; /* 4 bytes: two letters */
    }
    return 0;
}

/* Folds, spells and stems the collected word; fills tok. Returns 0 when the
 * word folded to nothing (only marks) and should be dropped. */
static int finish_word(qt_pipeline_t *p, const int32_t *cps, size_t n, int toolong, qt_token_t *tok)
{
    tok->flags = !toolong && all_caps(cps, n) ? QT_TOK_UPPER : 0;
    const enum stemmer_kind kind = stemmer_for(cps, n);
    const int turkish = p->turkish && kind == ST_LATIN && !toolong;
    if (turkish) cps = turkish_case(p, cps, n);
    tok->norm = p->norm;
    tok->stem = p->stem;
    size_t nl = toolong ? (size_t)-1
                        : qt_fold_word(cps, n, p->norm, QT_MAX_TERM + 1, p->scratch, SCRATCH_CPS);
    if (nl == (size_t)-1 || nl > QT_MAX_TERM) {
        p->norm[0] = p->stem[0] = '\0';
        tok->norm_len = tok->stem_len = 0;
        tok->flags = QT_TOK_TOOLONG; /* and not UPPER: there is no term */
        return 1;
    }
    if (nl == 0) return 0;
    if (kind == ST_LATIN && p->lang >= 0) nl = elide(latin_langs[p->lang], p->norm, nl);
    nl = qt_spelling_us(p->norm, nl, NORM_CAP - 1);
    p->norm[nl] = '\0';
    tok->norm_len = nl;

    struct sb_stemmer *sb = stemmer(p, kind);
    const size_t art = kind == ST_ARABIC ? arabic_article(p->norm, nl) : 0;
    const sb_symbol *st =
        sb ? sb_stemmer_stem(sb, (const sb_symbol *)p->norm + art, (int)(nl - art)) : NULL;
    size_t sl = st ? (size_t)sb_stemmer_length(sb) : 0;
    if (!st || sl == 0 || sl >= NORM_CAP) { /* OOM in Snowball: index the unstemmed word */
        st = (const sb_symbol *)p->norm;
        sl = nl;
    }
    memcpy(p->stem, st, sl);
    p->stem[sl] = '\0';
    if (turkish) {
        turkish_undot(p->stem, &sl);
        turkish_undot(p->norm, &tok->norm_len);
    }
    tok->stem_len = sl;
    return 1;
}

enum casing { K_OTHER, K_UPPER, K_LOWER, K_DIGIT };

static enum casing casing_of(int32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z'   ? K_UPPER
               : c >= 'a' && c <= 'z' ? K_LOWER
               : c >= '0' && c <= '9' ? K_DIGIT
                                      : K_OTHER;
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
        return K_UPPER;
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_LM:
        return K_LOWER;
    case UTF8PROC_CATEGORY_ND:
        return K_DIGIT;
    default:
        return K_OTHER;
    }
}

/* Splits cps[0..n) at CamelCase boundaries (aB, ABc -> A|Bc, letter|digit)
 * into p->parts; returns how many parts. */
static size_t camel_parts(qt_pipeline_t *p, size_t n)
{
    size_t k = 0;
    p->parts[k++] = 0;
    for (size_t i = 1; i < n; i++) {
        const enum casing a = casing_of(p->cps[i - 1]), b = casing_of(p->cps[i]);
        const enum casing c = i + 1 < n ? casing_of(p->cps[i + 1]) : K_OTHER;
        if ((a == K_LOWER && b == K_UPPER) || (a == K_UPPER && b == K_UPPER && c == K_LOWER) ||
            (a != K_DIGIT && a != K_OTHER && b == K_DIGIT) ||
            (a == K_DIGIT && (b == K_UPPER || b == K_LOWER)))
            p->parts[k++] = i;
    }
    return k;
}

/* 1 when the word starting at text[start] follows a '#' that itself starts
 * a word (so "C#" or "a#b" are not hashtags). */
static int is_hashtag(const char *text, size_t start)
{
    if (start == 0 || text[start - 1] != '#') return 0;
    if (start == 1) return 1;
    const unsigned char before = (unsigned char)text[start - 2];
    return !(before >= 0x80 || (before >= '0' && before <= '9') ||
             ((before | 0x20) >= 'a' && (before | 0x20) <= 'z'));
}

int qt_tokenize(qt_pipeline_t *p, const char *text, size_t len, qt_token_fn fn, void *ctx)
{
    size_t i = 0;
    uint32_t pos = 0;
    while (i < len) {
        int32_t cp = 0;
        size_t adv = 0;
        enum cls c = class_at(text, len, i, &cp, &adv);
        if (!is_wordish(c)) {
            i += adv;
            continue;
        }
        if (is_cjk(cp)) {
            const int rc = cjk_run(p, text, len, &i, &pos, fn, ctx);
            if (rc) return rc;
            continue;
        }
        const size_t start = i;
        size_t end = i, n = 0;
        int toolong = 0;

        int acronym = 0;
        if (c == C_LETTER && (n = scan_acronym(text, len, i, p->cps, &end)) > 0) {
            i = end;
            acronym = 1;
        } else {
            int32_t last = -1;
            int script = 0; /* the alphabet of the word's letters so far */
            while (i < len) {
                c = class_at(text, len, i, &cp, &adv);
                if (c == C_IGNORE) {
                    i += adv;
                    continue;
                }
                if (c == C_APOS || c == C_DOT || c == C_COMMA) {
                    int32_t next = 0;
                    enum cls nc = class_at(text, len, i + adv, &next, NULL);
                    int join = 0;
                    if (c == C_APOS)
                        join = classify(last) == C_LETTER && nc == C_LETTER;
                    else
                        join = is_digit_cp(last) && is_digit_cp(next);
                    if (!join) break;
                    if (c != C_COMMA)
                        cp = c == C_APOS ? '\'' : '.';
                    else
                        cp = -1; /* 1,000 -> 1000 */
                } else if (!is_wordish(c) || is_cjk(cp)) {
                    break; /* a CJK run is its own words */
                } else if (c == C_LETTER) {
                    const int a = alphabet(cp);
                    if (a && script && a != script) break;
                    if (a) script = a;
                }
                if (cp >= 0) {
                    if (n < MAX_WORD_CPS) {
                        p->offs[n] = i;
                        p->cps[n++] = cp;
                    } else {
                        toolong = 1;
                    }
                    last = cp;
                }
                i += adv;
                end = i;
            }
        }

        const int hashtag = !acronym && !toolong && is_hashtag(text, start);
        const size_t nparts = hashtag ? camel_parts(p, n) : 1;
        qt_token_t tok;
        if (!finish_word(p, p->cps, n, toolong, &tok)) continue;
        tok.start = start;
        tok.end = end;
        tok.pos = ++pos;
        if (nparts > 1) tok.flags |= QT_TOK_TAG;
        if (hashtag) tok.flags |= QT_TOK_HASHTAG;
        int rc = fn(ctx, &tok);
        if (rc != 0) return rc;
        for (size_t k = 0; nparts > 1 && k < nparts; k++) {
            const size_t a = p->parts[k], b = k + 1 < nparts ? p->parts[k + 1] : n;
            if (!finish_word(p, p->cps + a, b - a, 0, &tok)) continue;
            tok.start = p->offs[a];
            tok.end = b < n ? p->offs[b] : end;
            tok.pos = k == 0 ? pos : ++pos;
            tok.flags = (tok.flags & ~QT_TOK_HASHTAG) | QT_TOK_PART;
            if ((rc = fn(ctx, &tok)) != 0) return rc;
        }
    }
    return 0;
}
