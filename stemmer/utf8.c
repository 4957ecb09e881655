/*
 * utf8.c - tolerant UTF-8 decoding for the text pipeline.
 *
 * Quire never refuses text for its encoding: an invalid or truncated sequence
 * decodes as U+FFFD one byte at a time, so every later offset still points
 * into the original bytes. Validation itself is utf8proc's (it rejects
 * overlongs, surrogates and code points past U+10FFFF).
 */
#include "qt.h"

#include <string.h>
#include <utf8proc.h>

int32_t qt_utf8_decode(const char *s, size_t len, size_t *adv)
{
    const unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        *adv = 1;
        return c;
    }
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n =
        utf8proc_iterate((const utf8proc_uint8_t *)s, len > 4 ? 4 : (utf8proc_ssize_t)len, &cp);
    if (n <= 0 || cp < 0) {
        *adv = 1;
        return 0xFFFD;
    }
    *adv = (size_t)n;
    return cp;
}

size_t qt_utf8_check(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp = 0;
        size_t rest = len - i;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              rest > 4 ? 4 : (utf8proc_ssize_t)rest, &cp);
        if (n <= 0 || cp < 0) return i;
        i += (size_t)n;
    }
    return len;
}

size_t qt_utf8_repair(const char *s, size_t len, char *out)
{
    size_t i = 0, o = 0;
    while (i < len) {
        size_t good = qt_utf8_check(s + i, len - i);
        memcpy(out + o, s + i, good);
        o += good;
        i += good;
        if (i < len) {
            memcpy(out + o, "\xEF\xBF\xBD", 3); /* U+FFFD */
            o += 3;
            i++;
        }
    }
    return o;
}

size_t qt_utf8_encode(uint32_t cp, char *out)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
}
