/*
 * jsonwalk.c - JSON values and their spans, parsed by jansson (jsonwalk.h).
 */
#include "jsonwalk.h"

#include "qt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOAD_FLAGS (JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL)

size_t qi_json_skip_ws(const char *d, size_t len, size_t i)
{
    while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r')) i++;
    return i;
}

int qi_json_value(const char *d, size_t len, size_t at, qi_jvalue_t *out, json_error_t *err)
{
    out->v = NULL;
    out->start = out->end = at;
    if (at >= len) {
        snprintf(err->text, sizeof err->text, "a value was expected");
        return -1;
    }
    json_t *v = json_loadb(d + at, len - at, LOAD_FLAGS, err);
    if (!v) return -1;
    out->v = v;
    out->end = at + (size_t)err->position;
    return 0;
}

static void punct_error(json_error_t *err, const char *what)
{
    snprintf(err->text, sizeof err->text, "%s", what);
}

/* Steps over an array's elements, each skipped with qi_json_value. */
static int skip_array(const char *d, size_t len, size_t at, size_t *end, json_error_t *err)
{
    size_t i = qi_json_skip_ws(d, len, at + 1);
    if (i < len && d[i] == ']') {
        *end = i + 1;
        return 0;
    }
    for (;;) {
        qi_jvalue_t v;
        if (qi_json_value(d, len, i, &v, err) != 0) return -1;
        json_decref(v.v);
        i = qi_json_skip_ws(d, len, v.end);
        if (i < len && d[i] == ',') {
            i = qi_json_skip_ws(d, len, i + 1);
        } else if (i < len && d[i] == ']') {
            *end = i + 1;
            return 0;
        } else {
            punct_error(err, "',' or ']' expected in an array");
            return -1;
        }
    }
}

int qi_json_skip(const char *d, size_t len, size_t at, size_t *end, json_error_t *err)
{
    at = qi_json_skip_ws(d, len, at);
    if (at < len && d[at] == '[') return skip_array(d, len, at, end, err);
    if (at < len && d[at] == '{') return qi_json_members(d, len, at, NULL, NULL, end, err);
    qi_jvalue_t v;
    if (qi_json_value(d, len, at, &v, err) != 0) return -1;
    json_decref(v.v);
    *end = v.end;
    return 0;
}

int qi_json_members(const char *d, size_t len, size_t at, qi_jmember_fn fn, void *ctx, size_t *end,
                    json_error_t *err)
{
    size_t i = qi_json_skip_ws(d, len, at);
    if (i >= len || d[i] != '{') {
        punct_error(err, "not an object");
        return -1;
    }
    i = qi_json_skip_ws(d, len, i + 1);
    if (i < len && d[i] == '}') {
        *end = i + 1;
        return 0;
    }
    for (;;) {
        qi_jvalue_t key;
        if (qi_json_value(d, len, i, &key, err) != 0) return -1;
        if (!json_is_string(key.v)) {
            json_decref(key.v);
            punct_error(err, "an object key is not a string");
            return -1;
        }
        i = qi_json_skip_ws(d, len, key.end);
        if (i >= len || d[i] != ':') {
            json_decref(key.v);
            punct_error(err, "':' expected after an object key");
            return -1;
        }
        const size_t vstart = qi_json_skip_ws(d, len, i + 1);
        size_t vend = 0;
        const int rc = fn ? fn(ctx, json_string_value(key.v), vstart, &vend) : 0;
        json_decref(key.v);
        if (rc) return rc;
        if (!vend) {
            /* a member's value is parsed whole unless it is an array */
            if (vstart < len && d[vstart] == '[') {
                if (skip_array(d, len, vstart, &vend, err) != 0) return -1;
            } else {
                qi_jvalue_t v;
                if (qi_json_value(d, len, vstart, &v, err) != 0) return -1;
                json_decref(v.v);
                vend = v.end;
            }
        }
        i = qi_json_skip_ws(d, len, vend);
        if (i < len && d[i] == ',') {
            i = qi_json_skip_ws(d, len, i + 1);
        } else if (i < len && d[i] == '}') {
            *end = i + 1;
            return 0;
        } else {
            punct_error(err, "',' or '}' expected in an object");
            return -1;
        }
    }
}

typedef struct {
    const char *d;
    size_t len;
    qi_jobject_t *o;
    json_error_t *err;
} collect_t;

/* qi_json_object's walk: each member parsed whole and kept. */
static int collect_member(void *ctx, const char *key, size_t vstart, size_t *vend)
{
    collect_t *c = ctx;
    qi_jobject_t *o = c->o;
    qi_jvalue_t val;
    if (qi_json_value(c->d, c->len, vstart, &val, c->err) != 0) return -1;
    char *k = strdup(key);
    if (o->n == o->cap && k) {
        const size_t cap = o->cap ? o->cap * 2 : 16;
        qi_jmember_t *m = realloc(o->m, cap * sizeof *m);
        if (m) {
            o->m = m;
            o->cap = cap;
        }
    }
    if (!k || o->n == o->cap) {
        free(k);
        json_decref(val.v);
        punct_error(c->err, "out of memory");
        return -1;
    }
    o->m[o->n].key = k;
    o->m[o->n].val = val;
    o->n++;
    *vend = val.end;
    return 0;
}

int qi_json_object(const char *d, size_t len, size_t at, qi_jobject_t *o, size_t *end,
                   json_error_t *err)
{
    memset(o, 0, sizeof *o);
    collect_t c = {d, len, o, err};
    return qi_json_members(d, len, at, collect_member, &c, end, err) == 0 ? 0 : -1;
}

void qi_jobject_free(qi_jobject_t *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->m[i].key);
        json_decref(o->m[i].val.v);
    }
    free(o->m);
    memset(o, 0, sizeof *o);
}

static int usable(const json_t *v)
{
    if (json_is_string(v)) return json_string_length(v) > 0;
    if (json_is_array(v)) return json_array_size(v) > 0;
    return json_is_number(v) || json_is_object(v);
}

const qi_jmember_t *qi_jobject_pick(const qi_jobject_t *o, const char *list)
{
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        const size_t n = comma ? (size_t)(comma - p) : strlen(p);
        for (size_t i = 0; i < o->n; i++)
            if (strlen(o->m[i].key) == n && !memcmp(o->m[i].key, p, n) && usable(o->m[i].val.v))
                return &o->m[i];
        p = comma ? comma + 1 : p + n;
    }
    return NULL;
}

const char *qi_json_str(const qi_jvalue_t *jv, size_t *n)
{
    if (!json_is_string(jv->v)) return NULL;
    *n = json_string_length(jv->v);
    return json_string_value(jv->v);
}

static int hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        const char c = s[i];
        const int x = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
        if (x < 0) return -1;
        *v = *v << 4 | (unsigned)x;
    }
    return 0;
}

/* Decodes the literal d[s+1 .. e-1) into tm, escape by escape. Returns the
 * bytes added, or (size_t)-1 on an escape jansson would not have taken. */
static size_t decode_literal(qi_textmap_t *tm, const char *d, size_t s, size_t e)
{
    const size_t before = tm->text.len;
    for (size_t i = s + 1; i < e - 1;) {
        if (d[i] != '\\') {
            size_t j = i;
            while (j < e - 1 && d[j] != '\\') j++;
            qi_tm_add(tm, d + i, j - i, i, j);
            i = j;
            continue;
        }
        if (i + 1 >= e - 1) return (size_t)-1;
        const char c = d[i + 1];
        char out[8];
        size_t n = 1, used = 2;
        switch (c) {
        case 'n':
            out[0] = '\n';
            break;
        case 't':
            out[0] = '\t';
            break;
        case 'r':
            out[0] = '\r';
            break;
        case 'b':
            out[0] = '\b';
            break;
        case 'f':
            out[0] = '\f';
            break;
        case '/':
        case '\\':
        case '"':
            out[0] = c;
            break;
        case 'u': {
            unsigned cp = 0, lo = 0;
            if (i + 6 > e - 1 || hex4(d + i + 2, &cp) != 0) return (size_t)-1;
            used = 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 12 <= e - 1 && d[i + 6] == '\\' &&
                d[i + 7] == 'u' && hex4(d + i + 8, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                used = 12;
            }
            n = qt_utf8_encode(cp, out);
            break;
        }
        default:
            return (size_t)-1;
        }
        qi_tm_add(tm, out, n, i, i + used);
        i += used;
    }
    return tm->text.len - before;
}

void qi_json_add_string(qi_textmap_t *tm, const char *d, const qi_jvalue_t *jv)
{
    size_t wn = 0;
    const char *want = qi_json_str(jv, &wn);
    if (!want || jv->end < jv->start + 2) return;
    const size_t mark = tm->text.len;
    const int pending = tm->pending;
    const size_t got = decode_literal(tm, d, jv->start, jv->end);
    /* got may count a pending space that went first */
    if (got != (size_t)-1 && got >= wn && got - wn <= 1 && !tm->oom &&
        memcmp(tm->text.data + tm->text.len - wn, want, wn) == 0)
        return;
    /* not what jansson read: the whole text stands for the whole literal */
    tm->text.len = mark;
    tm->pending = pending;
    qi_tm_add(tm, want, wn, jv->start, jv->end);
}

void qi_json_add_text(qi_textmap_t *tm, const char *d, size_t len, const qi_jvalue_t *jv)
{
    if (json_is_string(jv->v)) {
        qi_json_add_string(tm, d, jv);
        return;
    }
    if (!json_is_array(jv->v)) return;
    size_t i = qi_json_skip_ws(d, len, jv->start + 1);
    while (i < jv->end && d[i] != ']') {
        qi_jvalue_t el;
        json_error_t err;
        if (qi_json_value(d, len, i, &el, &err) != 0) return;
        if (json_is_string(el.v)) {
            qi_json_add_string(tm, d, &el);
        } else if (json_is_object(el.v)) {
            qi_jobject_t o;
            size_t end = 0;
            if (qi_json_object(d, len, i, &o, &end, &err) == 0) {
                const qi_jmember_t *t = qi_jobject_pick(&o, "text");
                if (t && json_is_string(t->val.v)) qi_json_add_string(tm, d, &t->val);
            }
            qi_jobject_free(&o);
        }
        i = qi_json_skip_ws(d, len, el.end);
        json_decref(el.v);
        if (i < jv->end && d[i] == ',') i = qi_json_skip_ws(d, len, i + 1);
    }
}
