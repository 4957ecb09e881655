/*
 * fold.c - Unicode folding of one word: NFKC, case fold, marks stripped,
 * look-alike punctuation lumped (curly apostrophes become '), and the
 * Arabic-script letters that are written interchangeably made one, as
 * Lucene's Arabic and Persian normalizers do: teh marbuta as heh, alef
 * maksura and Farsi yeh as yeh, keheh as kaf, the tatweel (a stretch, not a
 * letter) dropped; alef with hamza or madda is already alef once its mark is
 * stripped.
 *
 * ASCII words, by far the most common, take a fast path that lowercases in
 * place. Everything else goes through utf8proc with no allocation: each code
 * point is decomposed into caller scratch, normalized and re-encoded.
 */
#include "fold.h"

#include <string.h>
#include <utf8proc.h>

#define FOLD_OPTS                                                                                  \
    (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |                    \
     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE | UTF8PROC_LUMP)

/* c as the folded word spells it; -1 to drop it. */
static int32_t arabic_letter(int32_t c)
{
    switch (c) {
    case 0x2019: /* curly apostrophes; LUMP misses U+02BC */
    case 0x2018:
    case 0x02BC:
        return '\'';
    case 0x0629: /* teh marbuta */
        return 0x0647;
    case 0x0649: /* alef maksura */
    case 0x06CC: /* Farsi yeh */
        return 0x064A;
    case 0x06A9: /* keheh */
        return 0x0643;
    case 0x0640: /* tatweel */
        return -1;
    default:
        return c;
    }
}

size_t qt_fold_word(const int32_t *cps, size_t n, char *out, size_t cap, int32_t *scratch,
                    size_t scratch_cap)
{
    int ascii = 1;
    for (size_t i = 0; i < n && ascii; i++) ascii = cps[i] < 0x80;
    if (ascii) {
        if (n + 1 > cap) return (size_t)-1;
        for (size_t i = 0; i < n; i++) {
            const int32_t c = cps[i];
            out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        out[n] = '\0';
        return n;
    }

    size_t used = 0;
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    for (size_t i = 0; i < n; i++) {
        if (cps[i] == 0x0439 || cps[i] == 0x0419) { /* й is a letter of its own, not и with a */
            if (used == scratch_cap) return (size_t)-1; /* mark (ё is е with one: folded) */
            scratch[used++] = 0x0439;
            continue;
        }
        utf8proc_ssize_t k =
            utf8proc_decompose_char(cps[i], scratch + used, (utf8proc_ssize_t)(scratch_cap - used),
                                    (utf8proc_option_t)FOLD_OPTS, &boundclass);
        if (k < 0 || (size_t)k > scratch_cap - used) return (size_t)-1;
        used += (size_t)k;
    }
    utf8proc_ssize_t m =
        utf8proc_normalize_utf32(scratch, (utf8proc_ssize_t)used, (utf8proc_option_t)FOLD_OPTS);
    if (m < 0) return (size_t)-1;

    size_t len = 0;
    for (utf8proc_ssize_t i = 0; i < m; i++) {
        utf8proc_uint8_t enc[4];
        const int32_t c = arabic_letter(scratch[i]);
        if (c < 0) continue;
        const utf8proc_ssize_t k = utf8proc_encode_char(c, enc);
        if (len + (size_t)k + 1 > cap) return (size_t)-1;
        memcpy(out + len, enc, (size_t)k);
        len += (size_t)k;
    }
    out[len] = '\0';
    return len;
}
