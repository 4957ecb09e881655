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
 * invalid ones replaced, as for any file that is not UTF-8.
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

/* A sink that hands sink the reader's articles and passages with every span
 * moved from the converted text to the original file (lines counted in
 * data) and the passage's UTF-8 text always given. */
typedef struct qi_recode_sink {
    qi_sink_t sink;         /* give this one to the reader */
    const qi_sink_t *inner; /* the real sink */
    const qi_recoded_t *r;
    qi_lines_t lines; /* over the original bytes */
    size_t *src;      /* the file offset of each byte of the passage being passed on */
    size_t cap;
} qi_recode_sink_t;

void qi_recode_sink_init(qi_recode_sink_t *rs, const qi_recoded_t *r, const char *data, size_t len,
                         const qi_sink_t *inner);

/* Frees what rs holds (not r or inner). */
void qi_recode_sink_free(qi_recode_sink_t *rs);

#endif
