/*
 * fuzz_readers.c - libFuzzer target for the input formats (reader.h): the
 * first byte picks the reader (txt, html, md, json, telegram), the rest is
 * the file. Invariants on any input: a reader returns 0; every passage
 * comes after an article; its span lies inside the file, is not empty, and
 * its line numbers are the lines of its first and last bytes; its text is
 * not empty. The input is copied without a terminating NUL, so a reader
 * that reads past the end is caught by AddressSanitizer.
 */
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    const char *d;
    size_t len;
    int articles;
} check_t;

static uint32_t line_of(const char *d, size_t at)
{
    uint32_t line = 1;
    for (size_t i = 0; i < at; i++) line += d[i] == '\n';
    return line;
}

static int on_article(void *ctx, const qi_article_t *a)
{
    check_t *c = ctx;
    if (a->title_len && !a->title) abort();
    if (a->date && (a->date < 10000101 || a->date > 99991231)) abort();
    c->articles++;
    return 0;
}

static int on_passage(void *ctx, const qi_span_t *sp, const char *text, size_t n, const size_t *src)
{
    const check_t *c = ctx;
    if (!c->articles) abort();
    if (sp->byte_start >= sp->byte_end || sp->byte_end > c->len) abort();
    if (!text && src) abort();
    /* every extracted byte stands for a byte of the passage's span */
    for (size_t i = 0; src && i < n; i++)
        if (src[i] < sp->byte_start || src[i] >= sp->byte_end) abort();
    if (sp->line_start != line_of(c->d, sp->byte_start) ||
        sp->line_end != line_of(c->d, sp->byte_end - 1))
        abort();
    if (text && n == 0) abort();
    if (text) {
        volatile char sink = 0;
        for (size_t i = 0; i < n; i++) sink ^= text[i]; /* readable */
        (void)sink;
    }
    return 0;
}

static void on_warn(void *ctx, const char *msg)
{
    (void)ctx;
    if (!msg || !*msg) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"txt", "html", "md", "json", "telegram"};
    if (size < 1) return 0;
    const qi_reader_t *r = qi_reader_named(names[data[0] % 5]);
    char *copy = malloc(size - 1 ? size - 1 : 1);
    if (!r || !copy) abort();
    memcpy(copy, data + 1, size - 1);
    check_t c = {copy, size - 1, 0};
    const qi_sink_t sink = {on_article, on_passage, on_warn, &c, NULL, NULL};
    if (r->read(copy, size - 1, NULL, &sink) != 0) abort();
    free(copy);
    return 0;
}
