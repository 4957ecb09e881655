/*
 * reader_md.c - Markdown: paragraphs, lists, quotes and tables become
 * passages; headings title the article and are passages of their own.
 *
 * A file is one article, unless a level-1 heading follows passages: then
 * each such heading starts another article it titles (a digest of items).
 *
 * Line by line, after CommonMark's block rules in the forms articles use:
 * YAML front matter (title, date, source, url), ATX and setext headings,
 * fenced code (kept verbatim), block quotes, bullet and numbered lists (one
 * item per line of the block, so the splitter's line rules cut long items
 * apart), pipe tables, thematic breaks and link reference definitions
 * (dropped). Inline markup is removed: emphasis, code spans, links and
 * images (their text is kept, their targets are not), autolinks, inline
 * HTML tags, backslash escapes and character references. The article's
 * title is the front matter's, else the first heading; its date the front
 * matter's, else the first date in its first lines. Every byte of text maps
 * back to the file (textmap.h), so citations slice the original bytes.
 */
#include "reader.h"

#include "date.h"
#include "entity.h"
#include "textmap.h"

#include <string.h>
#include <strings.h>

#define DATE_LINES 3

typedef struct {
    const char *data;
    size_t len;
    const qi_sink_t *sink;
    qi_textmap_t tm;
    qi_lines_t lines;
    enum { B_NONE, B_PARA, B_LIST, B_QUOTE, B_TABLE } block;
    size_t block_lines;    /* lines in the current paragraph (setext headings) */
    int has_text;          /* the current article has passages */
    qi_article_t meta;     /* the front matter's date, source and url, for every article */
    int dated;             /* the front matter gave the date */
    ql_date_order_t order; /* of ambiguous numeric dates */
} md_t;

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (unsigned char)c >= 0x80;
}

static int is_punct(char c)
{
    return c > ' ' && c < 0x7f && !is_alnum(c);
}

/* The end of the line starting at i (the '\n' or len), and where the next
 * one starts. */
static size_t line_end(const md_t *m, size_t i, size_t *next)
{
    const char *nl = memchr(m->data + i, '\n', m->len - i);
    size_t e = nl ? (size_t)(nl - m->data) : m->len;
    *next = nl ? e + 1 : m->len;
    if (e > i && m->data[e - 1] == '\r') e--;
    return e;
}

/* s[i..n) closes a bracket opened before i: the index of the matching ']'
 * (nesting counted, escapes skipped), or n. */
static size_t match_bracket(const char *s, size_t i, size_t n)
{
    int depth = 1;
    for (; i < n; i++) {
        if (s[i] == '\\') {
            i++;
        } else if (s[i] == '[') {
            depth++;
        } else if (s[i] == ']' && --depth == 0) {
            return i;
        }
    }
    return n;
}

/* After a link's text: "(target)" or "[ref]"; the index past it, or at. */
static size_t skip_target(const char *s, size_t at, size_t n)
{
    if (at < n && s[at] == '(') {
        int depth = 0;
        for (size_t i = at; i < n; i++) {
            if (s[i] == '\\') {
                i++;
            } else if (s[i] == '(') {
                depth++;
            } else if (s[i] == ')' && --depth == 0) {
                return i + 1;
            }
        }
    } else if (at < n && s[at] == '[') {
        const size_t close = match_bracket(s, at + 1, n);
        if (close < n) return close + 1;
    }
    return at;
}

/* Inline content data[a..b): text with its markup removed. */
static void inline_text(md_t *m, size_t a, size_t b)
{
    const char *s = m->data;
    for (size_t i = a; i < b;) {
        const char c = s[i];
        if (c == '\\' && i + 1 < b && is_punct(s[i + 1])) {
            qi_tm_add(&m->tm, s + i + 1, 1, i, i + 2);
            i += 2;
        } else if (c == '`') { /* a code span: its text verbatim */
            size_t run = 0;
            while (i + run < b && s[i + run] == '`') run++;
            size_t j = i + run, close = b;
            while (j < b) {
                const char *bt = memchr(s + j, '`', b - j);
                if (!bt) break;
                j = (size_t)(bt - s);
                size_t r = 0;
                while (j + r < b && s[j + r] == '`') r++;
                if (r == run) {
                    close = j;
                    break;
                }
                j += r;
            }
            if (close == b) {
                qi_tm_add(&m->tm, s + i, run, i, i + run);
                i += run;
                continue;
            }
            for (size_t k = i + run; k < close;) {
                size_t e = k;
                while (e < close && !is_space(s[e])) e++;
                qi_tm_add(&m->tm, s + k, e - k, k, e);
                while (e < close && is_space(s[e])) qi_tm_space(&m->tm, e++);
                k = e;
            }
            i = close + run;
        } else if (c == '[' || (c == '!' && i + 1 < b && s[i + 1] == '[')) {
            const size_t open = c == '!' ? i + 1 : i;
            const size_t close = match_bracket(s, open + 1, b);
            const size_t past = close < b ? skip_target(s, close + 1, b) : close;
            if (close < b && past > close + 1) { /* [text](url), ![alt](src), [text][ref] */
                inline_text(m, open + 1, close);
                i = past;
            } else {
                qi_tm_add(&m->tm, s + i, 1, i, i + 1);
                i++;
            }
        } else if (c == '<') { /* <https://...>, or an inline HTML tag */
            const char *gt = memchr(s + i, '>', b - i);
            const size_t end = gt ? (size_t)(gt - s) : b;
            const int autolink =
                gt && (end - i > 7) && memchr(s + i, ':', end - i) && !memchr(s + i, ' ', end - i);
            const int tag =
                gt && i + 1 < b &&
                (s[i + 1] == '/' || s[i + 1] == '!' || (s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
                 (s[i + 1] >= 'A' && s[i + 1] <= 'Z'));
            if (autolink) {
                qi_tm_add(&m->tm, s + i + 1, end - i - 1, i + 1, end);
                i = end + 1;
            } else if (tag) {
                if (end - i >= 3 && !strncasecmp(s + i, "<br", 3)) qi_tm_space(&m->tm, i);
                i = end + 1;
            } else {
                qi_tm_add(&m->tm, s + i, 1, i, i + 1);
                i++;
            }
        } else if (c == '&') {
            char dec[8];
            size_t dn = 0;
            const size_t used = qi_entity_decode(s + i, b - i, dec, &dn);
            qi_tm_add(&m->tm, used ? dec : "&", used ? dn : 1, i, i + (used ? used : 1));
            i += used ? used : 1;
        } else if (c == '*' || c == '~' || c == '_') { /* emphasis markers */
            size_t run = 0;
            while (i + run < b && s[i + run] == c) run++;
            const int before = i > a && !is_space(s[i - 1]) && is_alnum(s[i - 1]);
            const int after = i + run < b && is_alnum(s[i + run]);
            const int lone =
                (i == a || is_space(s[i - 1])) && (i + run == b || is_space(s[i + run]));
            if (lone || (c == '_' && before && after) || (c == '~' && run == 1))
                qi_tm_add(&m->tm, s + i, run, i, i + run); /* 2 * 3, snake_case, ~5 */
            i += run;
        } else if (is_space(c) || (c == '|' && m->block == B_TABLE)) { /* cells part words */
            qi_tm_space(&m->tm, i++);
        } else {
            size_t j = i + 1;
            while (j < b && !strchr("\\`[!<&*~_| \t", s[j])) j++;
            qi_tm_add(&m->tm, s + i, j - i, i, j);
            i = j;
        }
    }
}

static int flush(md_t *m)
{
    m->block = B_NONE;
    m->block_lines = 0;
    if (m->tm.text.len) m->has_text = 1;
    return qi_tm_emit(&m->tm, &m->lines, m->sink);
}

/* A level-1 heading after passages starts another article (a digest of
 * items): titled by the heading's text, now in m->tm, and dated by the
 * front matter or its own first lines (from byte at). */
static int next_article(md_t *m, size_t at)
{
    if (!m->has_text) return 0;
    qi_article_t a = m->meta;
    a.title = m->tm.text.data;
    a.title_len = m->tm.text.len;
    if (!m->dated) a.date = qi_top_date(m->data + at, m->len - at, DATE_LINES + 1, m->order);
    m->has_text = 0;
    return m->sink->article(m->sink->ctx, &a);
}

/* A fence opening or closing a code block: ``` or ~~~ (3 or more). */
static size_t fence_len(const char *s, size_t n, char *ch)
{
    size_t k = 0;
    while (k < n && k < 3 && s[k] == ' ') k++;
    if (k >= n || (s[k] != '`' && s[k] != '~')) return 0;
    const char f = s[k];
    size_t r = 0;
    while (k + r < n && s[k + r] == f) r++;
    if (r < 3) return 0;
    *ch = f;
    return r;
}

/* A line of three or more -, * or _ (and spaces): a thematic break. */
static int thematic_break(const char *s, size_t n)
{
    char c = 0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_space(s[i])) continue;
        if (s[i] != '-' && s[i] != '*' && s[i] != '_') return 0;
        if (c && s[i] != c) return 0;
        c = s[i];
        count++;
    }
    return count >= 3;
}

/* A setext underline: = or - alone (spaces around). */
static int setext_line(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ') i++;
    if (i == n || (s[i] != '=' && s[i] != '-')) return 0;
    const char c = s[i];
    while (i < n && s[i] == c) i++;
    while (i < n && is_space(s[i])) i++;
    return i == n;
}

/* The ATX heading level (1-6) of s[0..n), 0 if it is none; *text is where
 * its text starts. */
static int atx_level(const char *s, size_t n, size_t *text)
{
    size_t i = 0;
    while (i < n && i < 3 && s[i] == ' ') i++;
    size_t h = 0;
    while (i + h < n && s[i + h] == '#') h++;
    if (h < 1 || h > 6 || (i + h < n && !is_space(s[i + h]))) return 0;
    *text = i + h;
    return (int)h;
}

/* The width of a list marker at s[0..n) ("- ", "* ", "+ ", "1. ", "2) "),
 * 0 if none. */
static size_t list_marker(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_space(s[i])) i++;
    if (i < n && (s[i] == '-' || s[i] == '*' || s[i] == '+')) {
        i++;
    } else {
        size_t d = 0;
        while (i + d < n && d < 10 && s[i + d] >= '0' && s[i + d] <= '9') d++;
        if (d == 0 || i + d >= n || (s[i + d] != '.' && s[i + d] != ')')) return 0;
        i += d + 1;
    }
    if (i < n && !is_space(s[i])) return 0;
    while (i < n && is_space(s[i])) i++;
    return i;
}

/* Trims a heading's text data[a..b): spaces and closing #s. */
static void heading_span(const char *s, size_t *a, size_t *b)
{
    while (*a < *b && is_space(s[*a])) (*a)++;
    while (*b > *a && is_space(s[*b - 1])) (*b)--;
    size_t e = *b;
    while (e > *a && s[e - 1] == '#') e--;
    if (e == *a || is_space(s[e - 1])) *b = e;
    while (*b > *a && is_space(s[*b - 1])) (*b)--;
}

/* "[label]: target": a link reference definition. */
static int ref_definition(const char *s, size_t n)
{
    const char *close = memchr(s, ']', n);
    return close && (size_t)(close - s) + 1 < n && close[1] == ':';
}

/* YAML front matter at the top: its end (where the body starts), filling
 * the article's fields from title:, date:, source:/publisher:/site:, url:. */
static size_t front_matter(md_t *m, qi_article_t *a, ql_buf_t *title)
{
    size_t next = 0, e = line_end(m, 0, &next);
    if (e != 3 || memcmp(m->data, "---", 3) != 0) return 0;
    for (size_t i = next; i < m->len; i = next) {
        e = line_end(m, i, &next);
        const char *s = m->data + i;
        const size_t n = e - i;
        if ((n == 3 && (!memcmp(s, "---", 3) || !memcmp(s, "...", 3)))) return next;
        const char *colon = memchr(s, ':', n);
        if (!colon) continue;
        const size_t kn = (size_t)(colon - s);
        size_t vs = kn + 1, ve = n;
        while (vs < ve && is_space(s[vs])) vs++;
        while (ve > vs && is_space(s[ve - 1])) ve--;
        if (ve - vs >= 2 && (s[vs] == '"' || s[vs] == '\'') && s[ve - 1] == s[vs]) vs++, ve--;
        const char *v = s + vs;
        const size_t vn = ve - vs;
#define KEY(k) (kn == sizeof(k) - 1 && !strncasecmp(s, (k), kn))
        if (KEY("title") && !title->len) {
            ql_buf_add(title, v, vn);
        } else if (KEY("date") || KEY("published")) {
            uint32_t d = 0;
            if (!a->date && ql_date_parse_in(v, vn, m->order, &d) == 0) a->date = d;
        } else if ((KEY("source") || KEY("publisher") || KEY("site")) && !a->source_len) {
            a->source = v;
            a->source_len = vn;
        } else if ((KEY("url") || KEY("link") || KEY("canonical")) && !a->url_len) {
            a->url = v;
            a->url_len = vn;
        }
#undef KEY
    }
    return 0; /* never closed: not front matter */
}

/* The first heading's text (ATX or setext) from body on, into title. */
static void first_heading(md_t *m, size_t body, ql_buf_t *title)
{
    size_t prev_a = 0, prev_b = 0, next = 0;
    int prev_text = 0;
    for (size_t i = body; i < m->len; i = next) {
        const size_t e = line_end(m, i, &next);
        size_t t = 0;
        if (atx_level(m->data + i, e - i, &t)) {
            size_t a = i + t, b = e;
            heading_span(m->data, &a, &b);
            ql_buf_add(title, m->data + a, b - a);
            return;
        }
        if (prev_text && setext_line(m->data + i, e - i) && !thematic_break(m->data + i, e - i)) {
            ql_buf_add(title, m->data + prev_a, prev_b - prev_a);
            return;
        }
        size_t k = i;
        while (k < e && is_space(m->data[k])) k++;
        prev_text = k < e && !list_marker(m->data + i, e - i) && m->data[k] != '>';
        prev_a = k;
        prev_b = e;
    }
}

static int read_md(const char *data, size_t len, const qi_read_cfg_t *cfg, const qi_sink_t *sink)
{
    md_t m;
    memset(&m, 0, sizeof m);
    m.order = qi_date_order(cfg);
    m.data = data;
    m.len = len;
    m.sink = sink;
    qi_lines_init(&m.lines, data, len);
    qi_article_t a = {0};
    ql_buf_t title = {0};
    const size_t body = front_matter(&m, &a, &title);
    if (!title.len) first_heading(&m, body, &title);
    m.meta = a;
    m.dated = a.date != 0;
    if (!a.date) a.date = qi_top_date(data + body, len - body, DATE_LINES, m.order);
    a.title = title.data;
    a.title_len = title.len;
    int rc = title.oom ? -1 : sink->article(sink->ctx, &a);
    char fence = 0;
    size_t next = 0;
    for (size_t i = body; i < len && rc == 0; i = next) {
        const size_t e = line_end(&m, i, &next);
        const char *s = data + i;
        const size_t n = e - i;
        char ch = 0;
        if (fence) { /* inside fenced code: verbatim until the closing fence */
            if (fence_len(s, n, &ch) && ch == fence) {
                fence = 0;
                rc = flush(&m);
            } else {
                qi_tm_add(&m.tm, s, n, i, e);
                qi_tm_newline(&m.tm, e);
            }
            continue;
        }
        size_t k = 0;
        while (k < n && is_space(s[k])) k++;
        size_t t = 0;
        int level = 0;
        /* a blank line, a setext underline (the paragraph above was a
         * heading) or a thematic break ends the block */
        if (k == n || (m.block == B_PARA && m.block_lines == 1 && setext_line(s, n)) ||
            thematic_break(s, n)) {
            if (k < n && s[k] == '=' && m.block == B_PARA && m.block_lines == 1)
                rc = next_article(&m, i); /* the paragraph above was a level-1 heading */
            if (rc == 0) rc = flush(&m);
        } else if (fence_len(s, n, &ch)) {
            rc = flush(&m);
            fence = ch;
            m.block = B_PARA;
        } else if ((level = atx_level(s, n, &t)) != 0) {
            const int h1 = level == 1;
            rc = flush(&m);
            size_t ha = i + t, hb = e;
            heading_span(data, &ha, &hb);
            inline_text(&m, ha, hb);
            if (rc == 0 && h1) rc = next_article(&m, i);
            if (rc == 0) rc = flush(&m);
        } else if (s[k] == '>') { /* a block quote */
            if (m.block != B_QUOTE) rc = flush(&m);
            m.block = B_QUOTE;
            size_t q = k;
            while (q < n && (s[q] == '>' || is_space(s[q]))) q++;
            if (q == n) {
                qi_tm_newline(&m.tm, e);
            } else {
                qi_tm_space(&m.tm, i);
                inline_text(&m, i + q, e);
            }
        } else if (s[k] == '|') { /* a table row; the |---| row is dropped */
            if (m.block != B_TABLE) rc = flush(&m);
            m.block = B_TABLE;
            size_t d = k;
            while (d < n && strchr("|-: \t", s[d])) d++;
            if (d < n) {
                inline_text(&m, i + k, e);
                qi_tm_newline(&m.tm, e);
            }
        } else if (s[k] == '[' && ref_definition(s + k, n - k)) {
            /* a link reference definition: no text */
        } else if ((t = list_marker(s, n)) != 0) {
            if (m.block != B_LIST) rc = flush(&m);
            m.block = B_LIST;
            qi_tm_newline(&m.tm, i);
            inline_text(&m, i + t, e);
        } else { /* a paragraph line, or a list item's continuation */
            if (m.block != B_PARA && m.block != B_LIST) rc = flush(&m);
            if (m.block == B_NONE) m.block = B_PARA;
            m.block_lines++;
            qi_tm_space(&m.tm, i);
            inline_text(&m, i + k, e);
        }
    }
    if (rc == 0) rc = flush(&m);
    if (m.tm.oom) rc = -1;
    qi_tm_free(&m.tm);
    ql_buf_free(&title);
    return rc;
}

static const char *const md_ext[] = {".md", ".markdown", ".mdown", NULL};
const qi_reader_t qi_md_reader = {"md", md_ext, read_md, 0};
