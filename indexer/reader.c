/*
 * reader.c - the registry of input formats (reader.h): which reader reads a
 * file, by extension, by content, or as forced by --format; how the reading
 * configuration is stored in the index; and the helpers every reader of
 * plain prose shares (the title line, the date at the top).
 */
#include "reader.h"

#include "compressed.h"

#include "date.h"

#include <string.h>

extern const qi_reader_t qi_txt_reader, qi_html_reader, qi_md_reader, qi_json_reader,
    qi_telegram_reader, qi_pdf_reader, qi_docx_reader, qi_odt_reader, qi_epub_reader;

static const qi_reader_t *const readers[] = {&qi_txt_reader,  &qi_html_reader,     &qi_md_reader,
                                             &qi_json_reader, &qi_telegram_reader, &qi_pdf_reader,
                                             &qi_docx_reader, &qi_odt_reader,      &qi_epub_reader};
#define NREADERS (sizeof readers / sizeof readers[0])

const qi_reader_t *qi_reader_named(const char *name)
{
    for (size_t r = 0; r < NREADERS; r++)
        if (!strcmp(readers[r]->name, name)) return readers[r];
    return NULL;
}

const qi_reader_t *qi_reader_for(const char *path, const qi_read_cfg_t *cfg)
{
    if (cfg && cfg->format && *cfg->format) return qi_reader_named(cfg->format);
    const size_t n = ql_compressed_inner_len(path); /* a.html.gz: by the inner name */
    for (size_t r = 0; r < NREADERS; r++)
        for (const char *const *e = readers[r]->extensions; *e; e++)
            if (ql_name_has_ext(path, n, *e)) return readers[r];
    return NULL;
}

/* Whether data opens (after white space and a byte-order mark) with an
 * HTML doctype or <html> tag. */
static int looks_like_html(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    static const char *const opens[] = {"<!doctype html", "<html"};
    for (size_t k = 0; k < 2; k++) {
        const size_t n = strlen(opens[k]);
        if (len - i < n) continue;
        size_t j = 0;
        while (j < n) {
            char c = data[i + j];
            if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
            if (c != opens[k][j]) break;
            j++;
        }
        if (j == n) return 1;
    }
    return 0;
}

const qi_reader_t *qi_reader_refine(const qi_reader_t *r, const qi_read_cfg_t *cfg,
                                    const char *data, size_t len)
{
    if (cfg && cfg->format && *cfg->format) return r;
    if (r == &qi_txt_reader && looks_like_html(data, len)) return &qi_html_reader;
    /* a "report.pdf" that is a saved web page: read as what it is */
    if (r->document && !ql_doc_sniff((ql_doc_kind_t)r->document, data, len) &&
        looks_like_html(data, len))
        return &qi_html_reader;
    return r;
}

/* The configuration's keys, in the order they are stored. */
static const char *const keys[] = {"format", "title",    "text",    "date",       "url",
                                   "source", "encoding", "follow",  "date-order", "exclude",
                                   "ignore", "hidden",   "language"};

static const char **field_of(qi_read_cfg_t *c, size_t k)
{
    const char **f[] = {&c->format,     &c->title_fields,  &c->text_fields,  &c->date_fields,
                        &c->url_fields, &c->source_fields, &c->encoding,     &c->follow,
                        &c->date_order, &c->exclude,       &c->ignore_files, &c->hidden,
                        &c->language};
    return f[k];
}

ql_date_order_t qi_date_order(const qi_read_cfg_t *cfg)
{
    return cfg && cfg->date_order && strcmp(cfg->date_order, "mdy") == 0 ? QL_DATE_MDY
                                                                         : QL_DATE_DMY;
}

void qi_walk_settings(const qi_read_cfg_t *cfg, qi_walk_opts_t *o)
{
    o->follow_outside = qi_follows_outside(cfg);
    o->exclude = cfg && cfg->exclude && *cfg->exclude ? cfg->exclude : NULL;
    o->no_ignore = cfg && cfg->ignore_files && !strcmp(cfg->ignore_files, "no");
    o->hidden = cfg && cfg->hidden && !strcmp(cfg->hidden, "yes");
}

int qi_follows_outside(const qi_read_cfg_t *cfg)
{
    return cfg && cfg->follow && strcmp(cfg->follow, "outside") == 0;
}

/* Appends one path's settings, one "key=value" line each. */
static void format_one(const qi_read_cfg_t *cfg, ql_buf_t *out)
{
    qi_read_cfg_t c = *cfg;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const char *v = *field_of(&c, k);
        if (v && *v) ql_buf_printf(out, "%s=%s\n", keys[k], v);
    }
}

void qi_read_cfgs_format(const qi_read_cfg_t *cfgs, size_t n, ql_buf_t *out)
{
    if (!cfgs || n == 0) return;
    const size_t start = out->len;
    format_one(&cfgs[0], out);
    const size_t first = out->len - start;
    ql_buf_t one = {0};
    int alike = 1;
    for (size_t i = 1; alike && i < n; i++) {
        ql_buf_reset(&one);
        format_one(&cfgs[i], &one);
        alike = one.len == first && (first == 0 || !memcmp(one.data, out->data + start, first));
    }
    ql_buf_free(&one);
    if (alike) return;
    ql_buf_adds(out, QI_READ_CFG_END "\n");
    for (size_t i = 1; i < n; i++) {
        format_one(&cfgs[i], out);
        ql_buf_adds(out, QI_READ_CFG_END "\n");
    }
}

/* One "key=value" line (NUL-terminated, changed in place) into cfg. */
static int parse_line(char *line, qi_read_cfg_t *cfg)
{
    char *eq = strchr(line, '=');
    if (!eq) return -1;
    *eq = '\0';
    size_t k = 0;
    while (k < sizeof keys / sizeof keys[0] && strcmp(keys[k], line) != 0) k++;
    if (k == sizeof keys / sizeof keys[0]) return -1;
    *field_of(cfg, k) = eq + 1;
    return 0;
}

int qi_read_cfgs_parse(const char *text, qi_read_cfg_t *cfgs, size_t n, ql_buf_t *store)
{
    for (size_t i = 0; i < n; i++) memset(&cfgs[i], 0, sizeof cfgs[i]);
    ql_buf_reset(store);
    if (!text || !*text) return 0;
    ql_buf_adds(store, text);
    if (store->oom) return -1;
    qi_read_cfg_t one = {0};
    size_t section = 0; /* sections ended so far */
    int pending = 0;    /* lines read since the last end */
    for (char *p = store->data; *p;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        if (!strcmp(p, QI_READ_CFG_END)) {
            if (section == n) return -1; /* more sections than paths */
            cfgs[section++] = one;
            memset(&one, 0, sizeof one);
            pending = 0;
        } else if (parse_line(p, &one) != 0) {
            return -1;
        } else {
            pending = 1;
        }
        p = nl ? nl + 1 : p + strlen(p);
    }
    if (section == 0) { /* one section: every path is read alike */
        for (size_t i = 0; i < n; i++) cfgs[i] = one;
        return 0;
    }
    return section == n && !pending ? 0 : -1;
}

const char *qi_first_line_title(const char *data, size_t len, size_t max, size_t *out_len)
{
    size_t i = 0;
    for (;;) {
        while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
            i++;
        size_t end = i;
        while (end < len && data[end] != '\n') end++;
        size_t e = end;
        while (e > i && (data[e - 1] == ' ' || data[e - 1] == '\t' || data[e - 1] == '\r')) e--;
        if (e > i || end >= len) {
            if (e - i > max) {
                e = i + max;
                while (e > i && ((unsigned char)data[e] & 0xC0) == 0x80) e--;
            }
            *out_len = e - i;
            return data + i;
        }
        i = end;
    }
}

/* Whether line[k..n) goes on as a wire dateline after its date: an
 * optional "(Agency)", then a dash: "(Reuters) - ", " - ", " — ". */
static int wire_after(const char *line, size_t n, size_t k)
{
    while (k < n && line[k] == ' ') k++;
    if (k < n && line[k] == '(') {
        const char *close = memchr(line + k, ')', n - k < 48 ? n - k : 48);
        if (!close) return 0;
        k = (size_t)(close - line) + 1;
        while (k < n && line[k] == ' ') k++;
    }
    return k < n && (line[k] == '-' ||
                     (k + 2 < n && !memcmp(line + k, "\xe2\x80", 2) &&
                      ((unsigned char)line[k + 2] == 0x93 || (unsigned char)line[k + 2] == 0x94)));
}

/* Whether the date at line[ds..de) dates the article rather than being
 * mentioned in it: the line is short ("NYC, July 15, 2024"), the date ends
 * it ("... magazine (May 5, 2023)") or opens it, or it is a wire dateline
 * at any length ("PARIS, March 3, 2024 (Reuters) - French President ..."). */
static int dateline(const char *line, size_t n, size_t ds, size_t de)
{
    if (n <= 80) return 1;
    if (ds <= 40 && wire_after(line, n, de)) return 1;
    size_t k = de;
    while (k < n && (line[k] == ')' || line[k] == '.' || line[k] == ' ' || line[k] == '\r' ||
                     line[k] == ']'))
        k++;
    if (k == n) return 1;
    for (size_t i = 0; i < ds; i++) /* only punctuation, marks or emoji before it */
        if ((line[i] >= 'a' && line[i] <= 'z') || (line[i] >= 'A' && line[i] <= 'Z')) return 0;
    return 1;
}

uint32_t qi_top_date(const char *data, size_t len, unsigned lines, ql_date_order_t order)
{
    size_t i = 0;
    for (unsigned seen = 0; i < len && seen < lines;) {
        const char *nl = memchr(data + i, '\n', len - i);
        const size_t end = nl ? (size_t)(nl - data) : len;
        uint32_t ymd = 0;
        size_t k = i;
        while (k < end && (data[k] == ' ' || data[k] == '\t' || data[k] == '\r')) k++;
        if (k < end) {
            seen++;
            size_t ds = 0, de = 0;
            if (ql_date_find_in(data + k, end - k, order, &ymd, &ds, &de) == 0 &&
                dateline(data + k, end - k, ds, de))
                return ymd;
        }
        i = end + 1;
    }
    return 0;
}
