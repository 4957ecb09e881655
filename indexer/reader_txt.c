/*
 * reader_txt.c - plain text: one article per file, titled by its first
 * non-empty line, cut into passages by split.c. Also holds the registry of
 * readers (qi_reader_for), which later formats extend.
 */
#include "reader.h"

#include <string.h>

static int read_txt(const char *data, size_t len, const qi_sink_t *sink);

static const char *const txt_ext[] = {".txt", ".text", NULL};
static const qi_reader_t txt_reader = {"txt", txt_ext, read_txt};

static const qi_reader_t *const readers[] = {&txt_reader};

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

typedef struct {
    const qi_sink_t *sink;
} txt_ctx_t;

static int txt_span(void *ctx, const qi_span_t *sp)
{
    const txt_ctx_t *t = ctx;
    return t->sink->passage(t->sink->ctx, sp, NULL, 0);
}

static int read_txt(const char *data, size_t len, const qi_sink_t *sink)
{
    qi_article_t a = {0};
    a.title = qi_first_line_title(data, len, 200, &a.title_len);
    const int rc = sink->article(sink->ctx, &a);
    if (rc) return rc;
    txt_ctx_t t = {sink};
    return qi_split_text(data, len, txt_span, &t);
}

static int has_ext(const char *path, const char *ext)
{
    const size_t n = strlen(path), e = strlen(ext);
    if (n <= e) return 0;
    for (size_t i = 0; i < e; i++) {
        char c = path[n - e + i];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if (c != ext[i]) return 0;
    }
    return 1;
}

const qi_reader_t *qi_reader_for(const char *path)
{
    for (size_t r = 0; r < sizeof readers / sizeof readers[0]; r++)
        for (const char *const *e = readers[r]->extensions; *e; e++)
            if (has_ext(path, *e)) return readers[r];
    return NULL;
}
