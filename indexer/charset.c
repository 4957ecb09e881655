/*
 * charset.c - single-byte legacy encodings to UTF-8 with a byte map, and
 * the sink that moves spans back to the original bytes (charset.h).
 */
#include "charset.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SNIFF 4096

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int qi_charset_declared(const char *data, size_t len, char *name, size_t cap)
{
    const size_t n = len < SNIFF ? len : SNIFF;
    static const char *const keys[] = {"charset=", "encoding="};
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < 2; k++) {
            const size_t kl = strlen(keys[k]);
            if (i + kl > n) continue;
            size_t j = 0;
            while (j < kl && lower((unsigned char)data[i + j]) == keys[k][j]) j++;
            if (j < kl) continue;
            size_t v = i + kl;
            if (v < n && (data[v] == '"' || data[v] == '\'')) v++;
            size_t w = 0;
            while (v + w < n && w + 1 < cap &&
                   ((data[v + w] >= 'a' && data[v + w] <= 'z') ||
                    (data[v + w] >= 'A' && data[v + w] <= 'Z') ||
                    (data[v + w] >= '0' && data[v + w] <= '9') || data[v + w] == '-' ||
                    data[v + w] == '_' || data[v + w] == '.' || data[v + w] == ':')) {
                name[w] = (char)lower((unsigned char)data[v + w]);
                w++;
            }
            if (w == 0) continue;
            name[w] = '\0';
            return 0;
        }
    }
    return -1;
}

int qi_charset_single_byte(const char *name)
{
    static const char *const prefixes[] = {"windows-125", "cp125",     "iso-8859-", "iso8859-",
                                           "iso_8859-",   "latin",     "koi8-",     "cp866",
                                           "ibm866",      "macintosh", NULL};
    for (const char *const *p = prefixes; *p; p++)
        if (!strncasecmp(name, *p, strlen(*p))) return 1;
    return 0;
}

void qi_recoded_free(qi_recoded_t *r)
{
    free(r->text);
    free(r->origin);
    memset(r, 0, sizeof *r);
}

int qi_recode(const char *data, size_t len, const char *name, qi_recoded_t *out)
{
    memset(out, 0, sizeof *out);
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) return -2; /* NOLINT(performance-no-int-to-ptr): iconv's error value */
    /* each of the 256 bytes, converted once */
    char table[256][4];
    unsigned char tlen[256];
    for (unsigned b = 0; b < 256; b++) {
        char in = (char)b, *ip = &in, *op = table[b];
        size_t il = 1, ol = sizeof table[b];
        iconv(cd, NULL, NULL, NULL, NULL);
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0) {
            memcpy(table[b], "\xef\xbf\xbd", 3); /* undefined in this encoding */
            tlen[b] = 3;
        } else {
            tlen[b] = (unsigned char)(sizeof table[b] - ol);
        }
    }
    iconv_close(cd);
    size_t total = 0;
    for (size_t i = 0; i < len; i++) total += tlen[(unsigned char)data[i]];
    out->text = malloc(total + 1);
    out->origin = malloc((total ? total : 1) * sizeof *out->origin);
    if (!out->text || !out->origin) {
        qi_recoded_free(out);
        return -1;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        const unsigned char b = (unsigned char)data[i];
        memcpy(out->text + o, table[b], tlen[b]);
        for (unsigned k = 0; k < tlen[b]; k++) out->origin[o + k] = i;
        o += tlen[b];
    }
    out->text[o] = '\0';
    out->len = o;
    return 0;
}

static int rs_article(void *ctx, const qi_article_t *a)
{
    const qi_recode_sink_t *rs = ctx;
    return rs->inner->article(rs->inner->ctx, a);
}

static int rs_passage(void *ctx, const qi_span_t *sp, const char *text, size_t n, const size_t *src)
{
    qi_recode_sink_t *rs = ctx;
    const qi_recoded_t *r = rs->r;
    if (sp->byte_end <= sp->byte_start || sp->byte_end > r->len) return 0;
    if (!text) { /* the span's own bytes, in UTF-8 */
        text = r->text + sp->byte_start;
        n = sp->byte_end - sp->byte_start;
    }
    if (n > rs->cap) { /* each text byte's file offset: through the converted text */
        size_t *v = realloc(rs->src, n * sizeof *v);
        if (!v) return -1;
        rs->src = v;
        rs->cap = n;
    }
    for (size_t i = 0; i < n; i++) {
        const size_t at = src ? src[i] : sp->byte_start + i;
        rs->src[i] = r->origin[at < r->len ? at : r->len - 1];
    }
    qi_span_t raw;
    raw.byte_start = r->origin[sp->byte_start];
    raw.byte_end = r->origin[sp->byte_end - 1] + 1;
    raw.line_start = qi_line_at(&rs->lines, raw.byte_start);
    raw.line_end = qi_line_at(&rs->lines, raw.byte_end - 1);
    return rs->inner->passage(rs->inner->ctx, &raw, text, n, rs->src);
}

static void rs_warn(void *ctx, const char *msg)
{
    const qi_recode_sink_t *rs = ctx;
    rs->inner->warn(rs->inner->ctx, msg);
}

void qi_recode_sink_init(qi_recode_sink_t *rs, const qi_recoded_t *r, const char *data, size_t len,
                         const qi_sink_t *inner)
{
    rs->sink = (qi_sink_t){rs_article, rs_passage, rs_warn, rs};
    rs->inner = inner;
    rs->r = r;
    rs->src = NULL;
    rs->cap = 0;
    qi_lines_init(&rs->lines, data, len);
}

void qi_recode_sink_free(qi_recode_sink_t *rs)
{
    free(rs->src);
    rs->src = NULL;
    rs->cap = 0;
}
