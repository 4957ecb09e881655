/*
 * reader_json.c - JSON Lines and JSON files of articles, parsed by jansson.
 *
 * Each record (a line of a .jsonl file; an element of a top-level array; the
 * elements of an array member such as "articles" or "items"; or a lone
 * object) is an article. Its fields are picked by name, in the order of
 * the configured lists (reader.h: --title-field, --text-field, ...): the
 * text is cut into passages like plain text, each citing the bytes of the
 * JSON string it came from and the record's number; the title defaults to
 * the text's first line. A record that is not valid JSON, or not an
 * object, is skipped with a warning naming its number and line; the others
 * are indexed, in an array too (the reader finds where the next record
 * starts). A top-level object with a "messages" array is a Telegram
 * export and is read by reader_telegram.c.
 */
#include "reader.h"

#include "date.h"
#include "jsonwalk.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TITLE_MAX 200

static const char def_title[] = "title,headline,name,subject";
static const char def_text[] = "text,body,content,message,description,summary";
static const char def_date[] =
    "date,published,published_at,pubDate,pubdate,datePublished,created_at,time,timestamp";
static const char def_url[] = "url,link,href,permalink";
static const char def_source[] = "source,site,publisher,outlet,channel,forwarded_from,author";

/* Arrays of records inside a top-level object. */
static const char record_arrays[] = "articles,items,records,data,posts,entries,results,documents";

int qi_telegram_read(const char *data, size_t len, const qi_sink_t *sink);

typedef struct {
    const char *data;
    size_t len;
    const qi_read_cfg_t *cfg;
    const qi_sink_t *sink;
    qi_textmap_t tm;
    qi_lines_t lines;
    uint32_t record;
} jreader_t;

static void warn_at(jreader_t *j, size_t at, const char *what, const char *detail)
{
    char msg[400];
    snprintf(msg, sizeof msg, "record %u (line %u): %s%s%s; skipped", (unsigned)j->record,
             (unsigned)qi_line_at(&j->lines, at), what, detail && *detail ? ": " : "",
             detail ? detail : "");
    j->sink->warn(j->sink->ctx, msg);
}

/* A date field: a string in any ql_date_parse() form, or a Unix time. */
static uint32_t date_of(const qi_jmember_t *m, ql_date_order_t order)
{
    uint32_t d = 0;
    size_t n = 0;
    const char *s = m ? qi_json_str(&m->val, &n) : NULL;
    if (s && ql_date_parse_in(s, n, order, &d) == 0) return d;
    if (m && json_is_number(m->val.v)) {
        char num[32];
        snprintf(num, sizeof num, "%.0f", json_number_value(m->val.v));
        if (ql_date_parse(num, strlen(num), &d) == 0) return d;
    }
    return 0;
}

/* A string field's text (an object's "name" for sources like {"name":..}). */
static const char *str_of(const qi_jmember_t *m, size_t *n)
{
    *n = 0;
    if (!m) return NULL;
    if (json_is_object(m->val.v)) {
        const json_t *name = json_object_get(m->val.v, "name");
        if (json_is_string(name)) {
            *n = json_string_length(name);
            return json_string_value(name);
        }
        return NULL;
    }
    return qi_json_str(&m->val, n);
}

/* One record: the object at data[at..limit). *end is set past it. A JSON
 * Lines record is limited to its line, so a broken one cannot make jansson
 * read on into the lines after it. */
static int read_record(jreader_t *j, size_t at, size_t limit, size_t *end)
{
    const qi_read_cfg_t *c = j->cfg;
    qi_jobject_t o;
    json_error_t err;
    int rc = 0;
    if (qi_json_object(j->data, limit, at, &o, end, &err) != 0) {
        if (j->data[at] != '{')
            warn_at(j, at, "not an object (a record is a JSON object of fields)", NULL);
        else
            warn_at(j, at, "not valid JSON", err.text);
        qi_jobject_free(&o);
        return 1; /* skipped */
    }
    const qi_jmember_t *text = qi_jobject_pick(&o, c && c->text_fields ? c->text_fields : def_text);
    const qi_jmember_t *title =
        qi_jobject_pick(&o, c && c->title_fields ? c->title_fields : def_title);
    qi_tm_reset(&j->tm);
    if (text) qi_json_add_text(&j->tm, j->data, j->len, &text->val);
    if (j->tm.text.len == 0) {
        warn_at(j, at, "no text field", c && c->text_fields ? c->text_fields : def_text);
        qi_jobject_free(&o);
        return 1;
    }
    qi_article_t a = {0};
    a.record = j->record;
    a.title = str_of(title, &a.title_len);
    if (!a.title_len)
        a.title = qi_first_line_title(j->tm.text.data, j->tm.text.len, TITLE_MAX, &a.title_len);
    a.date = date_of(qi_jobject_pick(&o, c && c->date_fields ? c->date_fields : def_date),
                     qi_date_order(c));
    a.url = str_of(qi_jobject_pick(&o, c && c->url_fields ? c->url_fields : def_url), &a.url_len);
    a.source = str_of(qi_jobject_pick(&o, c && c->source_fields ? c->source_fields : def_source),
                      &a.source_len);
    a.lang = str_of(qi_jobject_pick(&o, "lang,language,locale"), &a.lang_len);
    rc = j->sink->article(j->sink->ctx, &a);
    if (rc == 0) rc = qi_tm_emit(&j->tm, &j->lines, j->sink);
    qi_jobject_free(&o);
    return rc;
}

/* JSON Lines: one record per non-blank line. */
static int read_lines(jreader_t *j)
{
    int rc = 0;
    for (size_t i = 0; i < j->len && rc == 0;) {
        const char *nl = memchr(j->data + i, '\n', j->len - i);
        const size_t eol = nl ? (size_t)(nl - j->data) : j->len;
        const size_t s = qi_json_skip_ws(j->data, eol, i);
        if (s < eol) {
            j->record++;
            size_t end = s;
            rc = read_record(j, s, eol, &end);
            if (rc == 0 && qi_json_skip_ws(j->data, eol, end) < eol) {
                /* jansson read an object and more follows on the line */
                warn_at(j, s, "more than one value on the line", "the rest is ignored");
            }
            if (rc == 1) rc = 0;
        }
        i = eol + 1;
    }
    return rc;
}

/* Where the array element at data[at] ends when jansson cannot read it: a
 * scan of its brackets that knows strings, for a well-formed element
 * jansson refuses ("date":1e400); else, for a broken one, the next line
 * that opens an object jansson can read. SIZE_MAX: nothing readable is
 * left. */
static size_t resync(const jreader_t *j, size_t at)
{
    int depth = 0, in_str = 0;
    for (size_t k = at; k < j->len; k++) {
        const char c = j->data[k];
        if (in_str) {
            if (c == '\\')
                k++;
            else if (c == '"')
                in_str = 0;
            else if (c == '\n')
                break; /* a string does not span lines: the element is broken */
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            /* an element ends where a separator follows; else the scan is
             * out of step with a broken element */
            const size_t after = qi_json_skip_ws(j->data, j->len, k + 1);
            if (after < j->len && (j->data[after] == ',' || j->data[after] == ']')) return k + 1;
            break;
        } else if (depth <= 0) {
            break;
        }
    }
    for (const char *nl = memchr(j->data + at, '\n', j->len - at); nl;
         nl = memchr(nl + 1, '\n', j->len - (size_t)(nl + 1 - j->data))) {
        size_t k = qi_json_skip_ws(j->data, j->len, (size_t)(nl + 1 - j->data));
        if (k < j->len && j->data[k] == ',') k = qi_json_skip_ws(j->data, j->len, k + 1);
        qi_jvalue_t v;
        json_error_t err;
        if (k < j->len && j->data[k] == '{' && qi_json_value(j->data, j->len, k, &v, &err) == 0) {
            json_decref(v.v);
            return k; /* the next record starts here: the caller reads it */
        }
    }
    return SIZE_MAX;
}

/* The elements of the array at data[at] ('['), each a record. */
static int read_array(jreader_t *j, size_t at)
{
    size_t i = qi_json_skip_ws(j->data, j->len, at + 1);
    int rc = 0;
    while (i < j->len && j->data[i] != ']' && rc == 0) {
        j->record++;
        size_t end = i;
        rc = read_record(j, i, j->len, &end);
        if (rc == 1) { /* skip the bad element: with jansson, else by resync */
            qi_jvalue_t v;
            json_error_t err;
            if (qi_json_value(j->data, j->len, i, &v, &err) == 0) {
                end = v.end;
                json_decref(v.v);
            } else if ((end = resync(j, i)) == SIZE_MAX) {
                return 0;
            } else if (j->data[end] == '{') { /* a new record, not a separator */
                i = end;
                rc = 0;
                continue;
            }
            rc = 0;
        }
        i = qi_json_skip_ws(j->data, j->len, end);
        if (i < j->len && j->data[i] == ',') {
            i = qi_json_skip_ws(j->data, j->len, i + 1);
        } else if (i < j->len && j->data[i] != ']') {
            warn_at(j, i, "',' or ']' expected between records", "the rest of the file");
            break;
        }
    }
    return rc;
}

typedef struct {
    const char *data;
    size_t len;
    size_t records; /* where an array member of records starts; 0: none */
} top_t;

/* A top-level member: "messages": [...] makes the file a Telegram export
 * (the walk stops with 1); the first array named like records is kept. */
static int top_member(void *ctx, const char *key, size_t vstart, size_t *vend)
{
    top_t *t = ctx;
    (void)vend;
    if (vstart >= t->len || t->data[vstart] != '[') return 0;
    if (!strcmp(key, "messages")) return 1;
    for (const char *p = record_arrays; *p && !t->records;) {
        const char *comma = strchr(p, ',');
        const size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (strlen(key) == n && !memcmp(key, p, n)) t->records = vstart;
        p = comma ? comma + 1 : p + n;
    }
    return 0;
}

static int read_json(const char *data, size_t len, const qi_read_cfg_t *cfg, const qi_sink_t *sink)
{
    jreader_t j;
    memset(&j, 0, sizeof j);
    j.data = data;
    j.len = len;
    j.cfg = cfg;
    j.sink = sink;
    qi_lines_init(&j.lines, data, len);
    size_t i = qi_json_skip_ws(data, len, 0);
    if (i + 3 <= len && !memcmp(data + i, "\xef\xbb\xbf", 3)) i = qi_json_skip_ws(data, len, i + 3);
    int rc = 0;
    if (i < len && data[i] == '[') {
        rc = read_array(&j, i);
    } else if (i < len && data[i] == '{') {
        /* JSON Lines, or one object: a Telegram export, an object holding an
         * array of records, or a lone record. The object is walked member by
         * member, never held whole. */
        top_t t = {data, len, 0};
        json_error_t err;
        size_t end = 0;
        const int rc_walk = qi_json_members(data, len, i, top_member, &t, &end, &err);
        if (rc_walk == 1)
            rc = qi_telegram_read(data, len, sink);
        else if (rc_walk == 0 && t.records && qi_json_skip_ws(data, len, end) >= len)
            rc = read_array(&j, t.records);
        else
            rc = read_lines(&j);
    } else if (i < len) {
        j.record = 1;
        warn_at(&j, i, "not JSON: a file of articles opens with '[' or '{'", NULL);
    }
    qi_tm_free(&j.tm);
    return rc < 0 ? rc : 0;
}

static const char *const json_ext[] = {".jsonl", ".ndjson", ".json", NULL};
const qi_reader_t qi_json_reader = {"json", json_ext, read_json, 0};
