/*
 * record.c - encoding and decoding the stored passage record (record.h).
 */
#include "record.h"

#include <string.h>

#define RECORD_VERSION 1

enum tag {
    T_ROOT = 1,
    T_PATH = 2,
    T_TITLE = 3,
    T_TEXT = 4,
    T_LINES = 5, /* two varints: start, end */
    T_BYTES = 6, /* two varints: start, end */
    T_SEQ = 7,
    T_DATE = 8, /* varint yyyymmdd */
    T_SOURCE = 9,
    T_URL = 10,
    T_RECORD = 11 /* varint */
};

static int put_bytes(ql_buf_t *b, enum tag t, const char *p, size_t n)
{
    ql_buf_add_varint(b, t);
    ql_buf_add_varint(b, n);
    return ql_buf_add(b, p, n);
}

/* A field holding one or two varints. */
static int put_nums(ql_buf_t *b, enum tag t, uint64_t x, uint64_t y, int two)
{
    unsigned char raw[20];
    size_t n = 0;
    uint64_t v[2] = {x, y};
    for (int k = 0; k < (two ? 2 : 1); k++) {
        do {
            raw[n] = (unsigned char)(v[k] & 0x7f);
            v[k] >>= 7;
            if (v[k]) raw[n] |= 0x80;
            n++;
        } while (v[k]);
    }
    return put_bytes(b, t, (const char *)raw, n);
}

int ql_record_encode(const ql_passage_t *p, ql_buf_t *out)
{
    ql_buf_addc(out, RECORD_VERSION);
    put_nums(out, T_ROOT, p->root, 0, 0);
    put_bytes(out, T_PATH, p->path, p->path_len);
    put_bytes(out, T_TITLE, p->title, p->title_len);
    put_nums(out, T_LINES, p->line_start, p->line_end, 1);
    put_nums(out, T_BYTES, p->byte_start, p->byte_end, 1);
    put_nums(out, T_SEQ, p->seq, 0, 0);
    if (p->date) put_nums(out, T_DATE, p->date, 0, 0);
    if (p->source_len) put_bytes(out, T_SOURCE, p->source, p->source_len);
    if (p->url_len) put_bytes(out, T_URL, p->url, p->url_len);
    if (p->record) put_nums(out, T_RECORD, p->record, 0, 0);
    put_bytes(out, T_TEXT, p->text, p->text_len);
    return out->oom ? -1 : 0;
}

static int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    uint64_t r = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*p >= end) return -1;
        const unsigned char c = *(*p)++;
        r |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return -1;
}

int ql_record_decode(const char *data, size_t len, ql_passage_t *p)
{
    const unsigned char *s = (const unsigned char *)data, *end = s + len;
    memset(p, 0, sizeof *p);
    p->path = p->title = p->text = p->source = p->url = "";
    if (len < 1 || *s++ != RECORD_VERSION) return -1;
    unsigned seen = 0;
    while (s < end) {
        uint64_t tag = 0, n = 0, a = 0, b = 0;
        if (get_varint(&s, end, &tag) || get_varint(&s, end, &n) || n > (uint64_t)(end - s))
            return -1;
        const unsigned char *field = s, *fend = s + n;
        s = fend;
        if (tag < 32) seen |= 1u << tag;
        switch (tag) {
        case T_PATH:
            p->path = (const char *)field;
            p->path_len = n;
            break;
        case T_TITLE:
            p->title = (const char *)field;
            p->title_len = n;
            break;
        case T_TEXT:
            p->text = (const char *)field;
            p->text_len = n;
            break;
        case T_SOURCE:
            p->source = (const char *)field;
            p->source_len = n;
            break;
        case T_URL:
            p->url = (const char *)field;
            p->url_len = n;
            break;
        case T_ROOT:
        case T_SEQ:
        case T_DATE:
        case T_RECORD:
            if (get_varint(&field, fend, &a)) return -1;
            if (tag == T_ROOT)
                p->root = (uint32_t)a;
            else if (tag == T_SEQ)
                p->seq = (uint32_t)a;
            else if (tag == T_DATE)
                p->date = (uint32_t)a;
            else
                p->record = (uint32_t)a;
            break;
        case T_LINES:
        case T_BYTES:
            if (get_varint(&field, fend, &a) || get_varint(&field, fend, &b)) return -1;
            if (tag == T_LINES) {
                p->line_start = (uint32_t)a;
                p->line_end = (uint32_t)b;
            } else {
                p->byte_start = a;
                p->byte_end = b;
            }
            break;
        default:
            break; /* a newer field: skip it */
        }
    }
    const unsigned required = 1u << T_PATH | 1u << T_TEXT | 1u << T_LINES | 1u << T_BYTES;
    return (seen & required) == required ? 0 : -1;
}
