/*
 * charset.h - reading files written in a single-byte legacy encoding
 * (windows-1251, windows-1252, ISO-8859-x, KOI8-R, ...), which older news
 * sites and mail archives still use.
 *
 * The file is converted to UTF-8 through iconv, one byte to one character,
 * keeping for every byte of the UTF-8 text the offset of the byte it came
 * from; a sink wrapper then turns the reader's spans back into spans of the
 * original file, so citations still slice its bytes. Multi-byte encodings
 * (Shift_JIS, GBK, ...) are not converted: their bytes are kept and the
 * invalid ones replaced, as for any file that is not UTF-8. UTF-16 with a
 * byte-order mark is converted the same way, with a map back to its bytes;
 * an undeclared single-byte encoding is detected (uchardet) and checked.
 */
#ifndef QUIRE_CHARSET_H
#define QUIRE_CHARSET_H

#include "reader.h"
#include "textmap.h"

#include <stddef.h>

/* The encoding an HTML or XML file declares in its first 4 KB
 * (<meta charset=...>, content="...; charset=...", <?xml encoding=...?>),
 * lower-cased into name (cap bytes); 0 when found, -1 when not. */
int qi_charset_declared(const char *data, size_t len, char *name, size_t cap);

/* Whether name is a single-byte encoding Quire converts. */
int qi_charset_single_byte(const char *name);

/* The encoding a page labelled label is read in, as the WHATWG Encoding
 * Standard maps labels (browsers do): "iso-8859-1", "latin1" and "ascii"
 * are windows-1252, "iso-8859-9" windows-1254, "tis-620" windows-874;
 * other labels are themselves. Case does not matter. Static or label. */
const char *qi_charset_whatwg(const char *label);

/* data[0..len) converted from the single-byte encoding name. */
typedef struct qi_recoded {
    char *text; /* UTF-8, NUL-terminated; owned */
    size_t len;
    size_t *origin; /* origin[i]: the offset in data of text[i]'s byte; owned */
} qi_recoded_t;

/* Converts data into *out (freed with qi_recoded_free). Bytes the encoding
 * does not define become U+FFFD. Returns 0, -1 when out of memory, or -2
 * when iconv does not know name. */
int qi_recode(const char *data, size_t len, const char *name, qi_recoded_t *out);

void qi_recoded_free(qi_recoded_t *r);

/* 1 when data opens with a UTF-16 little-endian byte-order mark (FF FE), 2
 * for big-endian (FE FF), else 0. */
int qi_utf16_bom(const char *data, size_t len);

/* Converts UTF-16 text with a byte-order mark into *out, the mark dropped;
 * every UTF-8 byte's origin is the offset of its code unit (of the first of
 * a surrogate pair). Unpaired surrogates and an odd last byte become
 * U+FFFD. Returns 0, -1 when out of memory, -2 when there is no mark. */
int qi_recode_utf16(const char *data, size_t len, qi_recoded_t *out);

/* The single-byte encoding of undeclared text that is not UTF-8, detected
 * (uchardet, over the first QI_DETECT_PROBE bytes), into name (cap bytes;
 * a WHATWG name, qi_charset_whatwg). The guess is kept only when the text
 * then reads as prose: at least QI_DETECT_FLOOR of its characters past
 * ASCII are letters. Returns 0 when confident; 1 when not, with name
 * "windows-1252" (what to read it as, with a warning); -1 when out of
 * memory. Multi-byte encodings (Shift_JIS, GBK, ...) are not confident. */
/* Whether text that is not all valid UTF-8 is still mostly UTF-8: more
 * well-formed multi-byte sequences than bad bytes (a UTF-8 file with a
 * stray byte, which is read as UTF-8 with the bad bytes replaced). */
int qi_charset_mostly_utf8(const char *data, size_t len);

#define QI_DETECT_PROBE ((size_t)64 << 10)
#define QI_DETECT_FLOOR 0.9
int qi_charset_detect(const char *data, size_t len, char *name, size_t cap);

/* A sink that hands sink the reader's articles and passages with every span
 * moved from the converted text to the original file (lines counted in
 * data) and the passage's UTF-8 text always given. */
typedef struct qi_recode_sink {
    qi_sink_t sink;         /* give this one to the reader */
    const qi_sink_t *inner; /* the real sink */
    const qi_recoded_t *r;
    qi_lines_t lines; /* over the converted text */
    size_t len;       /* of the original bytes */
    size_t *src;      /* the file offset of each byte of the passage being passed on */
    size_t cap;
} qi_recode_sink_t;

void qi_recode_sink_init(qi_recode_sink_t *rs, const qi_recoded_t *r, const char *data, size_t len,
                         const qi_sink_t *inner);

/* Frees what rs holds (not r or inner). */
void qi_recode_sink_free(qi_recode_sink_t *rs);

#endif
