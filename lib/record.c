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
    T_RECORD = 11, /* varint */
    T_COL = 12,    /* varint: byte column of byte_start, when not 1 */
    T_MAP = 13,    /* breaks: (text gap, zigzag file jump) varint pairs */
    T_NL = 14,     /* line breaks in the span: varint gaps from byte_start */
    T_PART = 15,   /* two varints: part kind, number (document.h), when not a plain file */
    T_LANG = 16    /* the passage's language (ISO 639-1), when known */
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
    if (p->col_start > 1) put_nums(out, T_COL, p->col_start, 0, 0);
    if (p->part_kind) put_nums(out, T_PART, p->part_kind, p->part, 1);
    if (p->lang_len) put_bytes(out, T_LANG, p->lang, p->lang_len);
    if (p->map) {
        put_bytes(out, T_MAP, p->map, p->map_len);
        put_bytes(out, T_NL, p->nl ? p->nl : "", p->nl_len);
    }
    put_bytes(out, T_TEXT, p->text, p->text_len);
    return out->oom ? -1 : 0;
}

int ql_record_decode(const char *data, size_t len, ql_passage_t *p)
{
    const unsigned char *s = (const unsigned char *)data, *end = s + len;
    memset(p, 0, sizeof *p);
    p->path = p->title = p->text = p->source = p->url = p->lang = "";
    if (len < 1 || *s++ != RECORD_VERSION) return -1;
    unsigned seen = 0;
    while (s < end) {
        uint64_t tag = 0, n = 0, a = 0, b = 0;
        if (ql_varint_get(&s, end, &tag) || ql_varint_get(&s, end, &n) || n > (uint64_t)(end - s))
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
        case T_LANG:
            p->lang = (const char *)field;
            p->lang_len = n;
            break;
        case T_MAP:
            p->map = (const char *)field;
            p->map_len = n;
            break;
        case T_NL:
            p->nl = (const char *)field;
            p->nl_len = n;
            break;
        case T_ROOT:
        case T_SEQ:
        case T_DATE:
        case T_RECORD:
        case T_COL:
            if (ql_varint_get(&field, fend, &a)) return -1;
            if (tag == T_ROOT)
                p->root = (uint32_t)a;
            else if (tag == T_SEQ)
                p->seq = (uint32_t)a;
            else if (tag == T_DATE)
                p->date = (uint32_t)a;
            else if (tag == T_COL)
                p->col_start = (uint32_t)a;
            else
                p->record = (uint32_t)a;
            break;
        case T_LINES:
        case T_BYTES:
        case T_PART:
            if (ql_varint_get(&field, fend, &a) || ql_varint_get(&field, fend, &b)) return -1;
            if (tag == T_PART) {
                p->part_kind = a < 256 ? (uint8_t)a : 0;
                p->part = (uint32_t)b;
            } else if (tag == T_LINES) {
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

/* ------------------------------------------------------------ places */

int ql_newline_end(const char *file, uint64_t k, ql_newlines_t how)
{
    if (how == QL_NL_BYTES) return file[k] == '\n';
    if (k % 2 == 0) return 0; /* units start at even offsets: a unit's last byte is odd */
    return how == QL_NL_UTF16LE ? file[k - 1] == '\n' && file[k] == '\0'
                                : file[k - 1] == '\0' && file[k] == '\n';
}

int ql_record_map(const size_t *src, size_t n, const char *file, ql_newlines_t how,
                  uint64_t byte_start, uint64_t byte_end, ql_buf_t *map, ql_buf_t *nl)
{
    int identity = !src || n == 0 || src[0] == byte_start;
    for (size_t i = 1; src && identity && i < n; i++) identity = src[i] == src[i - 1] + 1;
    if (identity && byte_end - byte_start == n) return 0;
    /* a break wherever a text byte is not the file byte after the previous
     * text byte's; the first byte is expected at byte_start */
    uint64_t t = 0, f = byte_start;
    for (size_t i = 0; i < n; i++) {
        const uint64_t at = src ? src[i] : byte_start + i;
        const uint64_t expected = f + (i - t);
        if (at == expected) continue;
        ql_buf_add_varint(map, i - t);
        ql_buf_add_varint(map, ql_zigzag((int64_t)(at - expected)));
        t = i;
        f = at;
    }
    uint64_t last = byte_start;
    for (uint64_t k = byte_start; file && k < byte_end; k++)
        if (ql_newline_end(file, k, how)) {
            ql_buf_add_varint(nl, k - last);
            last = k;
        }
    return map->oom || nl->oom ? -1 : 1;
}

int ql_passage_locate(const ql_passage_t *p, size_t off, ql_place_t *out)
{
    const uint32_t col0 = p->col_start ? p->col_start : 1;
    *out = (ql_place_t){p->line_start, col0, p->byte_start};
    if (off > p->text_len) off = p->text_len;
    if (!p->map) { /* the text is the file's bytes */
        uint64_t line_at = 0;
        int broke = 0;
        for (size_t i = 0; i < off; i++)
            if (p->text[i] == '\n') {
                out->line++;
                line_at = i + 1;
                broke = 1;
            }
        out->byte = p->byte_start + off;
        out->column = broke ? (uint32_t)(off - line_at + 1) : col0 + (uint32_t)off;
        return 0;
    }
    const unsigned char *m = (const unsigned char *)p->map, *mend = m + p->map_len;
    uint64_t t = 0, f = p->byte_start;
    while (m < mend) {
        uint64_t dt = 0, dz = 0;
        const unsigned char *save = m;
        if (ql_varint_get(&m, mend, &dt) || ql_varint_get(&m, mend, &dz)) return -1;
        if (t + dt > off) {
            m = save;
            break;
        }
        f = (uint64_t)((int64_t)(f + dt) + ql_unzigzag(dz));
        t += dt;
    }
    const uint64_t byte = f + (off - t);
    const unsigned char *nl = (const unsigned char *)p->nl, *nlend = nl + p->nl_len;
    uint64_t at = p->byte_start, last_nl = 0;
    int broke = 0;
    while (nl && nl < nlend) {
        uint64_t gap = 0;
        if (ql_varint_get(&nl, nlend, &gap)) return -1;
        if (at + gap >= byte) break;
        at += gap;
        last_nl = at;
        broke = 1;
        out->line++;
    }
    out->byte = byte;
    out->column = broke ? (uint32_t)(byte - last_nl) : col0 + (uint32_t)(byte - p->byte_start);
    return 0;
}
