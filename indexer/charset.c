/*
 * charset.c - single-byte legacy encodings to UTF-8 with a byte map, and
 * the sink that moves spans back to the original bytes (charset.h).
 */
#include "charset.h"

#include "qt.h"

#include <iconv.h>
#include <stdio.h>
#include <uchardet/uchardet.h>
#include <utf8proc.h>
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

const char *qi_charset_whatwg(const char *label)
{
    /* the WHATWG Encoding Standard's labels whose encoding is another
     * than their name says: what a browser reads those pages as */
    static const struct {
        const char *label, *encoding;
    } map[] = {
        {"ansi_x3.4-1968", "windows-1252"},
        {"ascii", "windows-1252"},
        {"cp1252", "windows-1252"},
        {"cp819", "windows-1252"},
        {"csisolatin1", "windows-1252"},
        {"ibm819", "windows-1252"},
        {"iso-8859-1", "windows-1252"},
        {"iso-ir-100", "windows-1252"},
        {"iso8859-1", "windows-1252"},
        {"iso88591", "windows-1252"},
        {"iso_8859-1", "windows-1252"},
        {"iso_8859-1:1987", "windows-1252"},
        {"l1", "windows-1252"},
        {"latin1", "windows-1252"},
        {"us-ascii", "windows-1252"},
        {"x-cp1252", "windows-1252"},
        {"csisolatin5", "windows-1254"},
        {"iso-8859-9", "windows-1254"},
        {"iso-ir-148", "windows-1254"},
        {"iso8859-9", "windows-1254"},
        {"iso88599", "windows-1254"},
        {"iso_8859-9", "windows-1254"},
        {"iso_8859-9:1989", "windows-1254"},
        {"l5", "windows-1254"},
        {"latin5", "windows-1254"},
        {"x-cp1254", "windows-1254"},
        {"dos-874", "windows-874"},
        {"iso-8859-11", "windows-874"},
        {"iso8859-11", "windows-874"},
        {"iso885911", "windows-874"},
        {"tis-620", "windows-874"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcasecmp(label, map[i].label)) return map[i].encoding;
    return label;
}

int qi_charset_single_byte(const char *name)
{
    static const char *const prefixes[] = {"windows-125", "cp125",     "iso-8859-", "iso8859-",
                                           "iso_8859-",   "latin",     "koi8-",     "cp866",
                                           "ibm866",      "macintosh", NULL};
    name = qi_charset_whatwg(name);
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
    iconv_t cd = iconv_open("UTF-8", qi_charset_whatwg(name));
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
    /* the span ends where the next character's bytes begin (a UTF-16
     * character has two or four); lines are counted in the text, which has
     * the file's line breaks one for one */
    raw.byte_start = r->origin[sp->byte_start];
    raw.byte_end = sp->byte_end < r->len ? r->origin[sp->byte_end] : rs->len;
    raw.line_start = qi_line_at(&rs->lines, sp->byte_start);
    raw.line_end = qi_line_at(&rs->lines, sp->byte_end - 1);
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
    rs->sink = (qi_sink_t){rs_article, rs_passage, rs_warn, rs, NULL, NULL};
    rs->inner = inner;
    rs->r = r;
    rs->src = NULL;
    rs->cap = 0;
    rs->len = len;
    (void)data;
    qi_lines_init(&rs->lines, r->text, r->len);
}

void qi_recode_sink_free(qi_recode_sink_t *rs)
{
    free(rs->src);
    rs->src = NULL;
    rs->cap = 0;
}

/* ------------------------------------------------------------ UTF-16 */

int qi_utf16_bom(const char *data, size_t len)
{
    if (len < 2) return 0;
    const unsigned char a = (unsigned char)data[0], b = (unsigned char)data[1];
    return a == 0xFF && b == 0xFE ? 1 : a == 0xFE && b == 0xFF ? 2 : 0;
}

/* The 16-bit unit at data[i], in the byte order of bom. */
static unsigned unit(const char *data, size_t i, int bom)
{
    const unsigned a = (unsigned char)data[i], b = (unsigned char)data[i + 1];
    return bom == 1 ? a | b << 8 : a << 8 | b;
}

int qi_recode_utf16(const char *data, size_t len, qi_recoded_t *out)
{
    memset(out, 0, sizeof *out);
    const int bom = qi_utf16_bom(data, len);
    if (!bom) return -2;
    const size_t cap = len / 2 * 3 + 4; /* 3 bytes per unit at most (a pair: 4 per 2) */
    out->text = malloc(cap + 1);
    out->origin = malloc(cap * sizeof *out->origin);
    if (!out->text || !out->origin) {
        qi_recoded_free(out);
        return -1;
    }
    size_t o = 0;
    for (size_t i = 2; i < len;) {
        const size_t at = i;
        uint32_t cp = 0xFFFD;
        if (i + 1 < len) {
            const unsigned u = unit(data, i, bom);
            i += 2;
            if (u < 0xD800 || u > 0xDFFF) {
                cp = u;
            } else if (u <= 0xDBFF && i + 1 < len) { /* a high surrogate: its low one next */
                const unsigned lo = unit(data, i, bom);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    i += 2;
                }
            }
        } else {
            i++; /* an odd last byte */
        }
        const size_t n = qt_utf8_encode(cp, out->text + o);
        for (size_t k = 0; k < n; k++) out->origin[o + k] = at;
        o += n;
    }
    out->text[o] = '\0';
    out->len = o;
    return 0;
}

/* ------------------------------------------------------------ detection */

int qi_charset_mostly_utf8(const char *data, size_t len)
{
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < len;) {
        const size_t n = qt_utf8_check(data + i, len - i);
        for (size_t k = i; k < i + n; k++) good += (unsigned char)data[k] >= 0xC0;
        i += n;
        if (i < len) bad++, i++;
    }
    return good > bad;
}

/* How plausible text is as prose: of its characters past ASCII, the share
 * that are letters or marks (a wrong single-byte guess turns letters into
 * symbols, box drawing and control characters). 1.0 when all are. */
static double letter_share(const char *text, size_t len)
{
    size_t other = 0, letters = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp = 0;
        const utf8proc_ssize_t n =
            utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) {
            i++;
            other++;
            continue;
        }
        i += (size_t)n;
        if (cp < 0x80) continue;
        const utf8proc_category_t c = utf8proc_category(cp);
        if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME)
            letters++;
        else if (cp != 0xA0 && !(cp >= 0x2010 && cp <= 0x206F) && cp != 0x20AC)
            other++; /* punctuation such as quotes, dashes and the euro sign count as fine */
    }
    return letters + other ? (double)letters / (double)(letters + other) : 1.0;
}

int qi_charset_detect(const char *data, size_t len, char *name, size_t cap)
{
    snprintf(name, cap, "windows-1252");
    uchardet_t ud = uchardet_new();
    if (!ud) return -1;
    const size_t probe = len < QI_DETECT_PROBE ? len : QI_DETECT_PROBE;
    int rc = uchardet_handle_data(ud, data, probe) == 0 ? 0 : -1;
    uchardet_data_end(ud);
    const char *guess = rc == 0 ? uchardet_get_charset(ud) : "";
    char lower[48];
    size_t k = 0;
    for (; guess && guess[k] && k + 1 < sizeof lower; k++)
        lower[k] = (char)((guess[k] >= 'A' && guess[k] <= 'Z') ? guess[k] + 32 : guess[k]);
    lower[k] = '\0';
    uchardet_delete(ud);
    rc = 1; /* not confident, until the guess reads as prose */
    if (*lower && qi_charset_single_byte(lower)) {
        qi_recoded_t r;
        const int ok = qi_recode(data, probe, lower, &r);
        if (ok == -1) return -1;
        if (ok == 0 && letter_share(r.text, r.len) >= QI_DETECT_FLOOR) {
            snprintf(name, cap, "%s", qi_charset_whatwg(lower));
            rc = 0;
        }
        qi_recoded_free(&r);
    }
    return rc;
}
