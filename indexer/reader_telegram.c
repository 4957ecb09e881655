/*
 * reader_telegram.c - Telegram Desktop channel exports (result.json).
 *
 * The export is one object: the channel's "name" and a "messages" array.
 * Each message of type "message" with text is an article: its "text" (a
 * string, or an array of strings and {"type", "text"} entities - bold,
 * links, hashtags - flattened in order) cut into passages, its "date"
 * (else "date_unixtime"), its source: "forwarded_from" when it was
 * forwarded, else the author or channel. Its title is its first line; its
 * record number is its place in the array, and its Telegram id is kept in
 * the url (tg://message?id=N). Service messages and messages without text
 * (a photo alone) give nothing. The export is walked member by member and
 * message by message, never parsed whole, so memory follows the largest
 * message, not the channel.
 */
#include "reader.h"

#include "date.h"
#include "jsonwalk.h"

#include <stdio.h>
#include <string.h>

#define TITLE_MAX 200

int qi_telegram_read(const char *data, size_t len, const qi_sink_t *sink);

static const char *str(const qi_jobject_t *o, const char *name, size_t *n)
{
    const qi_jmember_t *m = qi_jobject_pick(o, name);
    *n = 0;
    return m ? qi_json_str(&m->val, n) : NULL;
}

typedef struct {
    const char *data;
    size_t len;
    const qi_sink_t *sink;
    qi_textmap_t tm;
    qi_lines_t lines;
    const char *channel; /* the export's "name" */
    size_t channel_len;
    ql_buf_t name;
} tg_t;

static void warn(tg_t *t, uint32_t record, size_t at, const char *why)
{
    char msg[400];
    snprintf(msg, sizeof msg, "message %u (line %u): %s; skipped", (unsigned)record,
             (unsigned)qi_line_at(&t->lines, at), why);
    t->sink->warn(t->sink->ctx, msg);
}

static int message(tg_t *t, const qi_jobject_t *m, uint32_t record)
{
    size_t tn = 0;
    const char *type = str(m, "type", &tn);
    if (type && !(tn == 7 && !memcmp(type, "message", 7))) return 0; /* service */
    const qi_jmember_t *text = qi_jobject_pick(m, "text");
    if (!text) text = qi_jobject_pick(m, "text_entities");
    qi_tm_reset(&t->tm);
    if (text) qi_json_add_text(&t->tm, t->data, t->len, &text->val);
    if (t->tm.text.len == 0) return 0;
    qi_article_t a = {0};
    a.record = record;
    a.title = qi_first_line_title(t->tm.text.data, t->tm.text.len, TITLE_MAX, &a.title_len);
    size_t n = 0;
    const char *date = str(m, "date", &n);
    uint32_t d = 0;
    if (date && ql_date_parse(date, n, &d) == 0) a.date = d;
    date = str(m, "date_unixtime", &n);
    if (!a.date && date && ql_date_parse(date, n, &d) == 0) a.date = d;
    a.source = str(m, "forwarded_from", &a.source_len);
    if (!a.source_len) a.source = str(m, "author", &a.source_len);
    if (!a.source_len) a.source = str(m, "from", &a.source_len);
    if (!a.source_len) {
        a.source = t->channel;
        a.source_len = t->channel_len;
    }
    char url[48] = "";
    const qi_jmember_t *id = qi_jobject_pick(m, "id");
    if (id && json_is_integer(id->val.v)) {
        snprintf(url, sizeof url, "tg://message?id=%lld", (long long)json_integer_value(id->val.v));
        a.url = url;
        a.url_len = strlen(url);
    }
    const int rc = t->sink->article(t->sink->ctx, &a);
    return rc ? rc : qi_tm_emit(&t->tm, &t->lines, t->sink);
}

/* The messages array at data[at] ('['), one message parsed at a time. */
static int messages(tg_t *t, size_t at, size_t *end)
{
    const char *data = t->data;
    size_t i = qi_json_skip_ws(data, t->len, at + 1);
    uint32_t record = 0;
    int rc = 0;
    while (i < t->len && data[i] != ']' && rc == 0) {
        qi_jobject_t m;
        json_error_t err;
        size_t mend = 0;
        record++;
        if (qi_json_object(data, t->len, i, &m, &mend, &err) != 0) {
            warn(t, record, i, "not a message object");
            qi_jobject_free(&m);
            return 2; /* the rest cannot be found */
        }
        rc = message(t, &m, record);
        qi_jobject_free(&m);
        i = qi_json_skip_ws(data, t->len, mend);
        if (i < t->len && data[i] == ',') i = qi_json_skip_ws(data, t->len, i + 1);
    }
    *end = i < t->len ? i + 1 : t->len;
    return rc;
}

/* A member of the export: the channel's name, or its messages. */
static int member(void *ctx, const char *key, size_t vstart, size_t *vend)
{
    tg_t *t = ctx;
    if (!strcmp(key, "name") && !t->channel) {
        qi_jvalue_t v;
        json_error_t err;
        if (qi_json_value(t->data, t->len, vstart, &v, &err) != 0) return 0;
        size_t n = 0;
        const char *s = qi_json_str(&v, &n);
        if (s && ql_buf_add(&t->name, s, n) == 0) {
            t->channel = t->name.data;
            t->channel_len = t->name.len;
        }
        json_decref(v.v);
        *vend = v.end;
        return 0;
    }
    if (!strcmp(key, "messages") && vstart < t->len && t->data[vstart] == '[') {
        const int rc = messages(t, vstart, vend);
        return rc < 0 ? 3 : rc; /* 3: the sink failed (out of memory), not the JSON */
    }
    return 0;
}

int qi_telegram_read(const char *data, size_t len, const qi_sink_t *sink)
{
    tg_t t;
    memset(&t, 0, sizeof t);
    t.data = data;
    t.len = len;
    t.sink = sink;
    qi_lines_init(&t.lines, data, len);
    json_error_t err;
    size_t end = 0;
    const size_t at = qi_json_skip_ws(data, len, 0);
    int rc = qi_json_members(data, len, at, member, &t, &end, &err);
    if (rc == -1 && t.sink) {
        warn(&t, 0, at, err.text);
        rc = 0;
    }
    if (rc == 2) rc = 0; /* warned */
    if (rc == 3 || t.tm.oom || t.name.oom) rc = -1;
    qi_tm_free(&t.tm);
    ql_buf_free(&t.name);
    return rc;
}

static int read_telegram(const char *data, size_t len, const qi_read_cfg_t *cfg,
                         const qi_sink_t *sink)
{
    (void)cfg;
    return qi_telegram_read(data, len, sink);
}

static const char *const telegram_ext[] = {NULL}; /* result.json: found by content */
const qi_reader_t qi_telegram_reader = {"telegram", telegram_ext, read_telegram, 0};
