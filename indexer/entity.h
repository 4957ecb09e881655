/*
 * entity.h - HTML character references ("&amp;", "&#8217;", "&#x2014;"),
 * decoded for the HTML and Markdown readers.
 */
#ifndef QUIRE_ENTITY_H
#define QUIRE_ENTITY_H

#include <stddef.h>

/* Decodes the character reference at s[0..n) (s[0] is '&') into out (at
 * least 8 bytes) as UTF-8. Returns the bytes of s it consumed and sets
 * *out_len, or returns 0 when s does not open a known reference (the '&'
 * is then text). */
size_t qi_entity_decode(const char *s, size_t n, char *out, size_t *out_len);

#endif
