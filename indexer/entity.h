/*
 * entity.h - HTML character references ("&amp;", "&#8217;", "&#x2014;"),
 * decoded for the HTML and Markdown readers.
 */
#ifndef QUIRE_ENTITY_H
#define QUIRE_ENTITY_H

#include <stddef.h>

/* HTML5's named references (entity_table.c, generated): sorted by name. */
typedef struct qi_entity {
    const char *name; /* without '&' and ';' */
    const char *text; /* UTF-8: one or two characters */
    int legacy;       /* also read without the ';' ("&copy 2024") */
} qi_entity_t;
extern const qi_entity_t qi_entities[];
extern const size_t qi_nentities;

/* Decodes the character reference at s[0..n) (s[0] is '&') into out (at
 * least 8 bytes) as UTF-8, as HTML5 does: any of its named references with
 * a ';', the legacy ones without it too (the longest that fits), numeric
 * ones with or without it. Returns the bytes of s it consumed and sets
 * *out_len, or returns 0 when s does not open a known reference (the '&'
 * is then text). */
size_t qi_entity_decode(const char *s, size_t n, char *out, size_t *out_len);

#endif
