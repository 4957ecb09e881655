/*
 * print_json.c - one JSON object per hit, one per line (JSON Lines):
 *
 *   {"rank":1,"score":9.41,"file":"corpus/x.txt","root":"/abs/corpus",
 *    "path":"x.txt","line_start":8,"line_end":8,"byte_start":2044,
 *    "byte_end":2312,"title":"...","snippet":"...","highlights":[[3,10]],
 *    "text":"...","copies":[{"file":...,"line_start":...,"line_end":...,
 *    "byte_start":...,"byte_end":...}]}
 *
 * byte_end is exclusive; highlights are [start, end) byte offsets into
 * snippet; date ("YYYY-MM-DD"), source, url and record (the 1-based record
 * number in a JSON file or export) appear when the article has them; copies lists the other places
 * with the same text; did_you_mean, present only when a query word is unknown to the index, is the
 * query with such words corrected. Strings are always valid JSON (control characters escaped,
 * invalid UTF-8 replaced).
 */
#include "printer.h"

#include "cli.h"
#include "date.h"

#include <string.h>

static void add_location(ql_buf_t *b, const char *root, const char *path, size_t path_len,
                         unsigned ls, unsigned le, unsigned long long bs, unsigned long long be)
{
    ql_buf_t f = {0};
    qc_display_path(&f, root, path, path_len);
    ql_buf_adds(b, "\"file\":");
    qc_json_string(b, f.data ? f.data : "", f.len);
    ql_buf_free(&f);
    ql_buf_printf(b, ",\"line_start\":%u,\"line_end\":%u,\"byte_start\":%llu,\"byte_end\":%llu", ls,
                  le, bs, be);
}

/* ,"name":[[start,end],...] */
static void add_spans(ql_buf_t *b, const char *name, const qs_span_t *v, size_t n)
{
    ql_buf_printf(b, ",\"%s\":[", name);
    for (size_t i = 0; i < n; i++)
        ql_buf_printf(b, "%s[%zu,%zu]", i ? "," : "", v[i].start, v[i].end);
    ql_buf_addc(b, ']');
}

void qc_json_hit(ql_buf_t *b, const qs_hit_t *hit, int brief)
{
    const ql_passage_t *p = hit->p;
    ql_buf_printf(b, "{\"rank\":%u,\"score\":%.6g,", hit->rank, hit->score);
    add_location(b, hit->root, p->path, p->path_len, p->line_start, p->line_end,
                 (unsigned long long)p->byte_start, (unsigned long long)p->byte_end);
    ql_place_t at;
    const int matched = qc_hit_place(hit, &at);
    ql_buf_printf(b, ",\"column_start\":%u", p->col_start ? p->col_start : 1);
    if (matched)
        ql_buf_printf(b, ",\"match\":{\"line\":%u,\"column\":%u,\"byte\":%llu}", at.line, at.column,
                      (unsigned long long)at.byte);
    ql_buf_adds(b, ",\"root\":");
    qc_json_string(b, hit->root, strlen(hit->root));
    ql_buf_adds(b, ",\"path\":");
    qc_json_string(b, p->path, p->path_len);
    if (p->record) ql_buf_printf(b, ",\"record\":%u", (unsigned)p->record);
    if (p->date) {
        char d[11];
        ql_date_format(p->date, d);
        ql_buf_printf(b, ",\"date\":\"%s\"", d);
    }
    if (p->source_len) {
        ql_buf_adds(b, ",\"source\":");
        qc_json_string(b, p->source, p->source_len);
    }
    if (p->url_len) {
        ql_buf_adds(b, ",\"url\":");
        qc_json_string(b, p->url, p->url_len);
    }
    if (!brief) {
        ql_buf_adds(b, ",\"title\":");
        qc_json_string(b, p->title, p->title_len);
        add_spans(b, "title_highlights", hit->snippet->title_hl, hit->snippet->ntitle_hl);
        if (hit->title_only) ql_buf_adds(b, ",\"title_only\":true");
        ql_buf_adds(b, ",\"snippet\":");
        const qs_snippet_t *sn = hit->snippet;
        qc_json_string(b, sn->text.data ? sn->text.data : "", sn->text.len);
        add_spans(b, "highlights", sn->hl, sn->nhl);
        ql_buf_adds(b, ",\"text\":");
        qc_json_string(b, p->text, p->text_len);
    }
    ql_buf_adds(b, ",\"copies\":[");
    for (size_t i = 0; i < hit->ncopies; i++) {
        const qs_copy_t *c = &hit->copies[i];
        ql_buf_adds(b, i ? ",{" : "{");
        add_location(b, c->root, c->path, strlen(c->path), c->line_start, c->line_end,
                     (unsigned long long)c->byte_start, (unsigned long long)c->byte_end);
        ql_buf_addc(b, '}');
    }
    ql_buf_addc(b, ']');
    if (hit->explain) {
        ql_buf_adds(b, ",\"explain\":[");
        for (size_t i = 0; i < hit->explain->n; i++) {
            const qs_explain_item_t *it = &hit->explain->v[i];
            ql_buf_adds(b, i ? ",{\"from\":" : "{\"from\":");
            qc_json_string(b, it->from, strlen(it->from));
            ql_buf_printf(b, ",\"kind\":\"%s\",\"term\":", qc_from_name(it->kind));
            qc_json_string(b, it->term, strlen(it->term));
            ql_buf_adds(b, ",\"matched\":");
            qc_json_string(b, it->matched, strlen(it->matched));
            ql_buf_printf(b, ",\"share\":%.4f}", it->share);
        }
        ql_buf_addc(b, ']');
    }
    if (hit->did_you_mean) {
        ql_buf_adds(b, ",\"did_you_mean\":");
        qc_json_string(b, hit->did_you_mean, strlen(hit->did_you_mean));
    }
    ql_buf_addc(b, '}');
}

void qc_json_result(ql_buf_t *b, const qs_result_t *res, const qs_options_t *o)
{
    ql_buf_printf(b, ",\"total\":%u,\"total_exact\":%s,\"estimated\":%u", res->total,
                  res->total_exact ? "true" : "false", res->estimated);
    if (res->missing) {
        ql_buf_adds(b, ",\"missing\":");
        qc_json_string(b, res->missing, strlen(res->missing));
    }
    if (res->did_you_mean) {
        ql_buf_adds(b, ",\"did_you_mean\":");
        qc_json_string(b, res->did_you_mean, strlen(res->did_you_mean));
    }
    for (size_t i = 0; i < res->nignored; i++) {
        ql_buf_adds(b, i ? "," : ",\"ignored\":[");
        qc_json_string(b, res->ignored[i], strlen(res->ignored[i]));
        if (i + 1 == res->nignored) ql_buf_addc(b, ']');
    }
    if (res->warning) {
        ql_buf_adds(b, ",\"warning\":");
        qc_json_string(b, res->warning, strlen(res->warning));
    }
    if (res->too_weak)
        ql_buf_printf(b, ",\"abstained\":{\"best_share\":%.4f,\"needed\":%.4f}", res->best_coverage,
                      o->min_share);
}

int qc_print_json(qc_printer_t *pr, const qs_hit_t *hit)
{
    ql_buf_t *b = &pr->buf;
    ql_buf_reset(b);
    qc_json_hit(b, hit, pr->brief);
    b->len--; /* the closing brace: this printer adds what the search said */
    ql_buf_printf(b, ",\"total\":%u,\"total_exact\":%s", hit->total,
                  hit->total_exact ? "true" : "false");
    if (hit->warning) {
        ql_buf_adds(b, ",\"warning\":");
        qc_json_string(b, hit->warning, strlen(hit->warning));
    }
    ql_buf_addc(b, '}');
    ql_buf_addc(b, '\n');
    if (b->oom) return -1;
    return fwrite(b->data, 1, b->len, pr->out) == b->len ? 0 : -1;
}
