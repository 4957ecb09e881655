/*
 * sanitize.c - text from documents, file names and queries made safe to show
 * on a terminal (cli.h: qc_sanitize). A terminal obeys control characters:
 * ESC starts sequences that set the window title, write the clipboard
 * (OSC 52) or clear the screen, and C1's CSI (U+009B, or a lone byte 0x9B in
 * an 8-bit terminal) does the same in one byte. Every such character is
 * replaced by a visible stand-in, so what a document says is shown and
 * nothing it contains is obeyed:
 *
 *   C0 controls (but tab, and newline when kept)  U+2400 + c: ␀ ... ␛ ... ␟
 *   DEL                                            U+2421 ␡
 *   C1 controls U+0080..U+009F                     U+FFFD
 *   a lone byte 0x80..0x9F (C1 in 8-bit mode)      U+FFFD
 *
 * Other bytes that are not UTF-8 (a Latin-1 file name's 0xE9) are kept as
 * they are: no terminal obeys them, and a citation must open its file.
 */
#include "cli.h"

#include <string.h>
#include <utf8proc.h>

int32_t qc_utf8_next(const char *s, size_t n, size_t *adv)
{
    utf8proc_int32_t cp = -1;
    const utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s, n > 4 ? 4 : (utf8proc_ssize_t)n, &cp);
    *adv = k > 0 ? (size_t)k : 1;
    return k > 0 && cp >= 0 ? cp : 0xFFFD;
}

void qc_sanitize(qc_text_t *out, const char *s, size_t n, int keep_newlines)
{
    size_t i = 0;
    while (i < n) {
        const unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f) { /* a run of printable ASCII, copied whole */
            size_t j = i + 1;
            while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7f) j++;
            qc_text_add(out, s + i, j - i);
            i = j;
        } else if (c == '\t' || (c == '\n' && keep_newlines)) {
            qc_text_addc(out, (char)c);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            const unsigned cp = c == 0x7f ? 0x2421 : 0x2400 + c;
            const char pic[3] = {(char)0xe2, (char)(0x80 | (cp >> 6 & 0x3f)),
                                 (char)(0x80 | (cp & 0x3f))};
            qc_text_add(out, pic, 3);
            i++;
        } else {
            size_t adv = 0;
            const int32_t cp = qc_utf8_next(s + i, n - i, &adv);
            if ((cp == 0xFFFD && adv == 1 && c < 0xA0) || (cp >= 0x80 && cp < 0xA0))
                qc_text_adds(out, "\xef\xbf\xbd"); /* a C1 control, as a byte or UTF-8 */
            else
                qc_text_add(out, s + i, adv);
            i += adv;
        }
    }
}

void qc_sanitize_str(qc_text_t *out, const char *s)
{
    qc_sanitize(out, s, strlen(s), 0);
}
