/*
 * reader_html.c - HTML pages: their text, without markup, scripts or styles.
 *
 * A forgiving scanner, not a validating parser: tags, comments, doctypes and
 * character references are recognised; anything else is text, so broken
 * pages (unclosed tags, a stray '<') still give their words. Two passes over
 * the page: the first reads the metadata - title from <title> (else the
 * first <h1>), date from <meta> (article:published_time, date, pubdate, ...)
 * or the first <time datetime>, source from og:site_name, url from the
 * canonical link - and the second reports the article and its passages.
 * Block elements (p, div, li, h1-h6, blockquote, tr, ...) end a block of
 * text; white space collapses as a browser shows it; the content of
 * <script>, <style>, <noscript>, <template>, <svg>, <nav> and <head> is not
 * text. Every byte of text maps back to the bytes of the page (textmap.h),
 * so a passage cites the lines and bytes of the original file.
 */
#include "reader.h"

#include "date.h"
#include "entity.h"
#include "textmap.h"

#include <string.h>
#include <strings.h>

#define TITLE_MAX 300

typedef struct {
    const char *data;
    size_t len;
    const qi_sink_t *sink;
    qi_textmap_t tm;
    qi_lines_t lines;
    /* metadata, from the first pass */
    ql_buf_t title, h1, source, url, lang;
    uint32_t date, time_date;
    int pre;               /* inside <pre>: line breaks are kept */
    ql_date_order_t order; /* of ambiguous numeric dates */
} html_t;

typedef struct {
    char name[16]; /* lower-cased; "" when too long to be one Quire cares about */
    int closing;   /* </name> */
    size_t end;    /* just past the '>' */
    size_t attrs;  /* where the attributes start */
} tag_t;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads the tag opening at data[i] ('<'); 0 when it is not one (text). */
static int read_tag(const html_t *h, size_t i, tag_t *t)
{
    size_t j = i + 1;
    memset(t, 0, sizeof *t);
    if (j < h->len && h->data[j] == '/') {
        t->closing = 1;
        j++;
    }
    if (j >= h->len || !is_alpha(h->data[j])) return 0;
    size_t k = 0;
    while (j < h->len && !is_space(h->data[j]) && h->data[j] != '>' && h->data[j] != '/') {
        char c = h->data[j++];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if (k < sizeof t->name - 1) t->name[k] = c;
        k++;
    }
    if (k >= sizeof t->name) t->name[0] = '\0';
    t->attrs = j;
    char quote = 0;
    while (j < h->len) { /* to the '>' outside quotes */
        const char c = h->data[j++];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            break;
        }
    }
    t->end = j;
    return 1;
}

/* The value of attribute name in tag t, as a span of the page; 0 if absent. */
static int attr(const html_t *h, const tag_t *t, const char *name, const char **v, size_t *vn)
{
    const size_t nl = strlen(name);
    size_t j = t->attrs;
    const size_t end = t->end > 0 ? t->end - 1 : t->end;
    while (j < end) {
        while (j < end && (is_space(h->data[j]) || h->data[j] == '/')) j++;
        const size_t a = j;
        while (j < end && !is_space(h->data[j]) && h->data[j] != '=' && h->data[j] != '>') j++;
        const size_t an = j - a;
        while (j < end && is_space(h->data[j])) j++;
        const char *val = "";
        size_t vl = 0;
        if (j < end && h->data[j] == '=') {
            j++;
            while (j < end && is_space(h->data[j])) j++;
            if (j < end && (h->data[j] == '"' || h->data[j] == '\'')) {
                const char q = h->data[j++];
                const size_t s = j;
                while (j < end && h->data[j] != q) j++;
                val = h->data + s;
                vl = j - s;
                if (j < end) j++;
            } else {
                const size_t s = j;
                while (j < end && !is_space(h->data[j])) j++;
                val = h->data + s;
                vl = j - s;
            }
        }
        if (an == nl && strncasecmp(h->data + a, name, nl) == 0) {
            *v = val;
            *vn = vl;
            return 1;
        }
        if (an == 0) j++;
    }
    return 0;
}

/* Appends s[0..n) to out with character references decoded, tags dropped
 * and white space collapsed (a title, an attribute value). */
static void plain_text(const char *s, size_t n, ql_buf_t *out, size_t max)
{
    int space = 0;
    for (size_t i = 0; i < n && out->len < max;) {
        if (s[i] == '<') { /* a tag inside <h1>: dropped */
            const char *gt = memchr(s + i, '>', n - i);
            i = gt ? (size_t)(gt - s) + 1 : n;
            continue;
        }
        if (is_space(s[i])) {
            space = out->len > 0;
            i++;
            continue;
        }
        if (space) ql_buf_addc(out, ' ');
        space = 0;
        char dec[8];
        size_t dn = 0;
        const size_t used = s[i] == '&' ? qi_entity_decode(s + i, n - i, dec, &dn) : 0;
        if (used) {
            ql_buf_add(out, dec, dn);
            i += used;
        } else {
            ql_buf_addc(out, s[i++]);
        }
    }
}

/* Where the element name's closing tag starts at or after i (len if none). */
static size_t find_close(const html_t *h, size_t i, const char *name)
{
    const size_t nl = strlen(name);
    for (; i + 2 + nl <= h->len; i++) {
        const char *lt = memchr(h->data + i, '<', h->len - i);
        if (!lt) break;
        i = (size_t)(lt - h->data);
        if (i + 2 + nl <= h->len && h->data[i + 1] == '/' &&
            strncasecmp(h->data + i + 2, name, nl) == 0 &&
            (i + 2 + nl == h->len || !is_alpha(h->data[i + 2 + nl])))
            return i;
    }
    return h->len;
}

/* Past the "-->" closing the comment opened at i ("<!--"); len if none. */
static size_t comment_end(const html_t *h, size_t i)
{
    for (i += 4; i + 3 <= h->len; i++) {
        const char *dash = memchr(h->data + i, '-', h->len - i);
        if (!dash) break;
        i = (size_t)(dash - h->data);
        if (i + 3 <= h->len && h->data[i + 1] == '-' && h->data[i + 2] == '>') return i + 3;
    }
    return h->len;
}

static int in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(name, *list)) return 1;
    return 0;
}

/* Elements whose content is not text: skipped to their closing tag. */
static const char *const skipped[] = {"script", "style",  "noscript", "template", "svg",
                                      "math",   "iframe", "nav",      "select",   NULL};

/* Elements that end a block of text (a passage boundary). */
static const char *const blocks[] = {
    "address", "article", "aside",   "blockquote", "body",  "caption",  "center",     "dd",
    "details", "dialog",  "div",     "dl",         "dt",    "fieldset", "figcaption", "figure",
    "footer",  "form",    "h1",      "h2",         "h3",    "h4",       "h5",         "h6",
    "header",  "hgroup",  "hr",      "html",       "li",    "main",     "menu",       "ol",
    "p",       "pre",     "section", "summary",    "table", "tbody",    "tfoot",      "thead",
    "tr",      "ul",      "legend",  "option",     NULL};

static const char *const date_metas[] = {"article:published_time",
                                         "og:article:published_time",
                                         "date",
                                         "pubdate",
                                         "publishdate",
                                         "publish-date",
                                         "dc.date",
                                         "dc.date.issued",
                                         "dcterms.date",
                                         "dcterms.created",
                                         "datepublished",
                                         "parsely-pub-date",
                                         "sailthru.date",
                                         NULL};

/* A <meta>: date, source or url, from its name, property or itemprop. */
static void read_meta(html_t *h, const tag_t *t)
{
    const char *key = NULL, *val = NULL;
    size_t kn = 0, vn = 0;
    if (!attr(h, t, "content", &val, &vn)) return;
    static const char *const keys[] = {"property", "name", "itemprop"};
    for (size_t k = 0; k < 3; k++) {
        if (!attr(h, t, keys[k], &key, &kn) || kn >= 40) continue;
        char lk[40];
        for (size_t i = 0; i < kn; i++)
            lk[i] = key[i] >= 'A' && key[i] <= 'Z' ? (char)(key[i] + 32) : key[i];
        lk[kn] = '\0';
        uint32_t d = 0;
        if (!h->date && in_list(lk, date_metas) && ql_date_parse_in(val, vn, h->order, &d) == 0)
            h->date = d;
        if (!h->source.len &&
            (!strcmp(lk, "og:site_name") || !strcmp(lk, "publisher") || !strcmp(lk, "source")))
            plain_text(val, vn, &h->source, TITLE_MAX);
        if (!h->url.len && !strcmp(lk, "og:url")) plain_text(val, vn, &h->url, 2048);
    }
}

/* Where the first block element's tag starts in [i, limit) - an unclosed
 * <h1> ends there - or limit. */
static size_t next_block(const html_t *h, size_t i, size_t limit)
{
    while (i < limit) {
        const char *lt = memchr(h->data + i, '<', limit - i);
        if (!lt) break;
        i = (size_t)(lt - h->data);
        tag_t t;
        if (read_tag(h, i, &t) && in_list(t.name, blocks)) return i;
        i++;
    }
    return limit;
}

/* The first pass: metadata only. */
static void scan_metadata(html_t *h)
{
    for (size_t i = 0; i < h->len;) {
        const char *lt = memchr(h->data + i, '<', h->len - i);
        if (!lt) break;
        i = (size_t)(lt - h->data);
        if (i + 3 < h->len && !memcmp(h->data + i, "<!--", 4)) {
            i = comment_end(h, i);
            continue;
        }
        tag_t t;
        if (!read_tag(h, i, &t)) {
            i++;
            continue;
        }
        i = t.end;
        if (t.closing) continue;
        if (!strcmp(t.name, "html") && !h->lang.len) {
            const char *v = NULL;
            size_t vn = 0;
            if (attr(h, &t, "lang", &v, &vn)) plain_text(v, vn, &h->lang, 32);
        } else if (!strcmp(t.name, "title") && !h->title.len) {
            const size_t close = find_close(h, i, "title");
            plain_text(h->data + i, close - i, &h->title, TITLE_MAX);
        } else if (!strcmp(t.name, "h1") && !h->h1.len) {
            const size_t close = next_block(h, i, find_close(h, i, "h1"));
            plain_text(h->data + i, close - i, &h->h1, TITLE_MAX);
        } else if (!strcmp(t.name, "meta")) {
            read_meta(h, &t);
        } else if (!strcmp(t.name, "time") && !h->time_date) {
            const char *v = NULL;
            size_t vn = 0;
            uint32_t d = 0;
            if (attr(h, &t, "datetime", &v, &vn) && ql_date_parse_in(v, vn, h->order, &d) == 0)
                h->time_date = d;
        } else if (!strcmp(t.name, "link") && !h->url.len) {
            const char *rel = NULL, *href = NULL;
            size_t rn = 0, hn = 0;
            if (attr(h, &t, "rel", &rel, &rn) && rn == 9 && !strncasecmp(rel, "canonical", 9) &&
                attr(h, &t, "href", &href, &hn))
                plain_text(href, hn, &h->url, 2048);
        } else if (in_list(t.name, skipped)) {
            i = find_close(h, i, t.name);
        }
    }
}

/* Text from i up to the next '<' or '&' or white space. */
static size_t text_run(const html_t *h, size_t i)
{
    size_t j = i;
    while (j < h->len && h->data[j] != '<' && h->data[j] != '&' && !is_space(h->data[j])) j++;
    return j;
}

/* The second pass: the article's passages. */
static int emit_text(html_t *h)
{
    int in_head = 0, rc = 0;
    for (size_t i = 0; i < h->len && rc == 0;) {
        const char c = h->data[i];
        if (c == '<') {
            if (i + 3 < h->len && !memcmp(h->data + i, "<!--", 4)) {
                i = comment_end(h, i);
                continue;
            }
            if (i + 1 < h->len && (h->data[i + 1] == '!' || h->data[i + 1] == '?')) {
                const char *gt = memchr(h->data + i, '>', h->len - i);
                i = gt ? (size_t)(gt - h->data) + 1 : h->len;
                continue;
            }
            tag_t t;
            if (read_tag(h, i, &t)) {
                const size_t at = i;
                i = t.end;
                if (!strcmp(t.name, "head")) in_head = !t.closing;
                if (!strcmp(t.name, "body")) in_head = 0;
                if (!strcmp(t.name, "pre")) h->pre = !t.closing;
                if (!t.closing && (in_list(t.name, skipped) || !strcmp(t.name, "title"))) {
                    const size_t close = find_close(h, i, t.name);
                    const char *gt = memchr(h->data + close, '>', h->len - close);
                    i = gt ? (size_t)(gt - h->data) + 1 : h->len;
                } else if (!strcmp(t.name, "br")) {
                    qi_tm_newline(&h->tm, at);
                } else if (in_list(t.name, blocks)) {
                    rc = qi_tm_emit(&h->tm, &h->lines, h->sink);
                } else if (!strcmp(t.name, "td") || !strcmp(t.name, "th")) {
                    qi_tm_space(&h->tm, at);
                }
                continue;
            }
        }
        if (in_head) {
            i++;
            continue;
        }
        if (is_space(c)) {
            if (h->pre && c == '\n')
                qi_tm_newline(&h->tm, i);
            else
                qi_tm_space(&h->tm, i);
            i++;
        } else if (c == '&') {
            char dec[8];
            size_t dn = 0;
            const size_t used = qi_entity_decode(h->data + i, h->len - i, dec, &dn);
            if (used && dn == 2 && !memcmp(dec, "\xc2\xa0", 2)) { /* &nbsp;: a space */
                qi_tm_space(&h->tm, i);
            } else if (used) {
                qi_tm_add(&h->tm, dec, dn, i, i + used);
            } else {
                qi_tm_add(&h->tm, "&", 1, i, i + 1);
            }
            i += used ? used : 1;
        } else {
            const size_t j = c == '<' ? i + 1 : text_run(h, i);
            qi_tm_add(&h->tm, h->data + i, j - i, i, j);
            i = j;
        }
    }
    if (rc == 0) rc = qi_tm_emit(&h->tm, &h->lines, h->sink);
    return h->tm.oom ? -1 : rc;
}

static int read_html(const char *data, size_t len, const qi_read_cfg_t *cfg, const qi_sink_t *sink)
{
    html_t h;
    memset(&h, 0, sizeof h);
    h.order = qi_date_order(cfg);
    h.data = data;
    h.len = len;
    h.sink = sink;
    qi_lines_init(&h.lines, data, len);
    scan_metadata(&h);
    qi_article_t a = {0};
    const ql_buf_t *title = h.title.len ? &h.title : &h.h1;
    a.title = title->data;
    a.title_len = title->len;
    a.date = h.date ? h.date : h.time_date;
    a.source = h.source.data;
    a.source_len = h.source.len;
    a.url = h.url.data;
    a.url_len = h.url.len;
    a.lang = h.lang.data;
    a.lang_len = h.lang.len;
    int rc =
        h.title.oom || h.h1.oom || h.source.oom || h.url.oom ? -1 : sink->article(sink->ctx, &a);
    if (rc == 0) rc = emit_text(&h);
    qi_tm_free(&h.tm);
    ql_buf_free(&h.title);
    ql_buf_free(&h.h1);
    ql_buf_free(&h.source);
    ql_buf_free(&h.lang);
    ql_buf_free(&h.url);
    return rc;
}

static const char *const html_ext[] = {".html", ".htm", ".xhtml", NULL};
const qi_reader_t qi_html_reader = {"html", html_ext, read_html, 0};
