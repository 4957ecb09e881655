/*
 * jsonwalk.h - JSON values with the bytes they occupy in the file, for the
 * JSON readers' citations.
 *
 * jansson parses every value (json_loadb with JSON_DISABLE_EOF_CHECK stops
 * after one value and says how many bytes it read); this module only steps
 * over the punctuation between values ('[', ',', ':', '{'), so the readers
 * know where each record and each member lies without a parser of their
 * own. A string's text is added to a textmap with each decoded byte mapped
 * to the escape or character it came from, checked against jansson's value.
 */
#ifndef QUIRE_JSONWALK_H
#define QUIRE_JSONWALK_H

#include "textmap.h"

#include <jansson.h>
#include <stddef.h>

typedef struct qi_jvalue {
    json_t *v;         /* owned by the walk: freed by qi_jobject_free */
    size_t start, end; /* [start, end) in the file */
} qi_jvalue_t;

typedef struct qi_jmember {
    char *key; /* owned, NUL-terminated */
    qi_jvalue_t val;
} qi_jmember_t;

typedef struct qi_jobject {
    qi_jmember_t *m;
    size_t n, cap;
} qi_jobject_t;

/* Index of the first byte at or after i that is not JSON white space. */
size_t qi_json_skip_ws(const char *d, size_t len, size_t i);

/* Parses one value at d[at..len) into *out (its span included). Returns 0,
 * or -1 with err (jansson's message) when it is not valid JSON. */
int qi_json_value(const char *d, size_t len, size_t at, qi_jvalue_t *out, json_error_t *err);

/* Parses the object at d[at..len) member by member into *o (caller frees
 * with qi_jobject_free, also on failure); *end is past its '}'. Returns 0,
 * or -1 with err set (jansson's message, or what punctuation was wrong). */
int qi_json_object(const char *d, size_t len, size_t at, qi_jobject_t *o, size_t *end,
                   json_error_t *err);

void qi_jobject_free(qi_jobject_t *o);

/* Past the value at d[at..len): an array or object is stepped through one
 * element or member at a time, each parsed by jansson and freed, so a huge
 * array (a channel's messages) costs the memory of its largest element.
 * Returns 0, or -1 with err. */
int qi_json_skip(const char *d, size_t len, size_t at, size_t *end, json_error_t *err);

/* Calls fn for each member of the object at d[at..): its key and where its
 * value starts. fn may consume the value and set *vend past it; otherwise
 * (*vend left 0) the value is skipped with qi_json_skip. fn returns
 * non-zero to stop the walk (then that value is returned). *end is past the
 * object. Returns 0, fn's value, or -1 with err. */
typedef int (*qi_jmember_fn)(void *ctx, const char *key, size_t vstart, size_t *vend);
int qi_json_members(const char *d, size_t len, size_t at, qi_jmember_fn fn, void *ctx, size_t *end,
                    json_error_t *err);

/* The member of o named by the first of the comma-separated names in list
 * that o has with a usable value (a non-empty string, a number, an array,
 * an object), or NULL. */
const qi_jmember_t *qi_jobject_pick(const qi_jobject_t *o, const char *list);

/* Adds the string value jv (its literal in d) to tm, decoded, each byte
 * mapped to the bytes of the literal it came from. */
void qi_json_add_string(qi_textmap_t *tm, const char *d, const qi_jvalue_t *jv);

/* Adds the text of jv to tm: a string; or an array of strings and of
 * objects with a "text" string (Telegram's rich text), concatenated. */
void qi_json_add_text(qi_textmap_t *tm, const char *d, size_t len, const qi_jvalue_t *jv);

/* A string value's text, or NULL (borrowed from jv). */
const char *qi_json_str(const qi_jvalue_t *jv, size_t *n);

#endif
