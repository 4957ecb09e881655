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

#include <string.h>

/* "file", lines and bytes; in a document also "page", "chapter" or
 * "paragraph" (its lines and bytes count in that part's text) and "cite",
 * the citation as the text printer writes it. */
static void add_location(qc_text_t *b, const char *root, const char *path, size_t path_len,
                         unsigned kind, unsigned part, unsigned ls, unsigned le,
                         unsigned long long bs, unsigned long long be)
{
    qc_text_t f = {0};
    qc_display_path(&f, root, path, path_len);
    qc_text_adds(b, "\"file\":");
    qc_json_string(b, f.data ? f.data : "", f.len);
    qc_text_printf(b, ",\"line_start\":%u,\"line_end\":%u,\"byte_start\":%llu,\"byte_end\":%llu",
                   ls, le, bs, be);
    if (kind == QUIRE_PART_PAGE) qc_text_printf(b, ",\"page\":%u", part);
    if (kind == QUIRE_PART_CHAPTER) qc_text_printf(b, ",\"chapter\":%u", part);
    if (kind == QUIRE_PART_PARAGRAPHS) qc_text_printf(b, ",\"paragraph\":%u", ls);
    if (kind != QUIRE_PART_NONE) {
        char place[64];
        quire_cite_place(kind, part, ls, le, place, sizeof place);
        qc_text_addc(&f, ':');
        qc_text_adds(&f, place);
        qc_text_adds(b, ",\"cite\":");
        qc_json_string(b, f.data ? f.data : "", f.len);
    }
    qc_text_free(&f);
}

/* ,"name":[[start,end],...] */
static void add_spans(qc_text_t *b, const char *name, const quire_range_t *v, size_t n)
{
    qc_text_printf(b, ",\"%s\":[", name);
    for (size_t i = 0; i < n; i++)
        qc_text_printf(b, "%s[%zu,%zu]", i ? "," : "", v[i].start, v[i].end);
    qc_text_addc(b, ']');
}

/* The article's date, source and url, when it has them. */
static void add_article(qc_text_t *b, const quire_hit_t *p)
{
    if (p->record) qc_text_printf(b, ",\"record\":%u", p->record);
    if (p->lang && *p->lang) {
        qc_text_adds(b, ",\"lang\":");
        qc_json_string(b, p->lang, strlen(p->lang));
    }
    if (p->date) {
        char d[11];
        quire_date_format(p->date, d);
        qc_text_printf(b, ",\"date\":\"%s\"", d);
    }
    if (p->source_len) {
        qc_text_adds(b, ",\"source\":");
        qc_json_string(b, p->source, p->source_len);
    }
    if (p->url_len) {
        qc_text_adds(b, ",\"url\":");
        qc_json_string(b, p->url, p->url_len);
    }
}

static void add_explain(qc_text_t *b, const quire_hit_t *hit)
{
    qc_text_adds(b, ",\"explain\":[");
    for (size_t i = 0; i < hit->nexplain; i++) {
        const quire_explain_t *it = &hit->explain[i];
        qc_text_adds(b, i ? ",{\"from\":" : "{\"from\":");
        qc_json_string(b, it->from, strlen(it->from));
        qc_text_printf(b, ",\"kind\":\"%s\",\"term\":", it->kind);
        qc_json_string(b, it->term, strlen(it->term));
        qc_text_adds(b, ",\"matched\":");
        qc_json_string(b, it->matched, strlen(it->matched));
        qc_text_printf(b, ",\"share\":%.4f}", it->share);
    }
    qc_text_addc(b, ']');
}

void qc_json_hit(qc_text_t *b, const quire_hit_t *p, int brief)
{
    qc_text_printf(b, "{\"rank\":%u,\"score\":%.6g,", p->rank, p->score);
    add_location(b, p->root, p->path, p->path_len, p->part_kind, p->part, p->line_start,
                 p->line_end, (unsigned long long)p->byte_start, (unsigned long long)p->byte_end);
    qc_text_printf(b, ",\"column_start\":%u", p->column_start);
    if (p->has_match)
        qc_text_printf(b, ",\"match\":{\"line\":%u,\"column\":%u,\"byte\":%llu}", p->match_line,
                       p->match_column, (unsigned long long)p->match_byte);
    if (p->stale)
        qc_text_adds(b, p->stale == QUIRE_REMOVED ? ",\"stale\":\"removed\""
                                                  : ",\"stale\":\"changed\"");
    qc_text_adds(b, ",\"root\":");
    qc_json_string(b, p->root, strlen(p->root));
    qc_text_adds(b, ",\"path\":");
    qc_json_string(b, p->path, p->path_len);
    add_article(b, p);
    if (!brief) {
        qc_text_adds(b, ",\"title\":");
        qc_json_string(b, p->title, p->title_len);
        add_spans(b, "title_highlights", p->title_highlights, p->ntitle_highlights);
        if (p->title_only) qc_text_adds(b, ",\"title_only\":true");
        qc_text_adds(b, ",\"snippet\":");
        qc_json_string(b, p->snippet ? p->snippet : "", p->snippet_len);
        add_spans(b, "highlights", p->highlights, p->nhighlights);
        qc_text_adds(b, ",\"text\":");
        qc_json_string(b, p->text ? p->text : "", p->text_len);
    }
    qc_text_adds(b, ",\"copies\":[");
    for (size_t i = 0; i < p->ncopies; i++) {
        const quire_copy_t *c = &p->copies[i];
        qc_text_adds(b, i ? ",{" : "{");
        add_location(b, c->root, c->path, strlen(c->path), c->part_kind, c->part, c->line_start,
                     c->line_end, (unsigned long long)c->byte_start,
                     (unsigned long long)c->byte_end);
        qc_text_addc(b, '}');
    }
    qc_text_addc(b, ']');
    if (p->explain) add_explain(b, p);
    if (p->did_you_mean) {
        qc_text_adds(b, ",\"did_you_mean\":");
        qc_json_string(b, p->did_you_mean, strlen(p->did_you_mean));
    }
    if (p->corrected) qc_text_adds(b, ",\"corrected\":true");
    qc_text_addc(b, '}');
}

void qc_json_result(qc_text_t *b, const quire_result_t *res)
{
    qc_text_printf(b, ",\"total\":%u,\"total_exact\":%s,\"estimated\":%u", res->total,
                   res->total_exact ? "true" : "false", res->estimated);
    if (res->missing) {
        qc_text_adds(b, ",\"missing\":");
        qc_json_string(b, res->missing, strlen(res->missing));
    }
    if (res->did_you_mean) {
        qc_text_adds(b, ",\"did_you_mean\":");
        qc_json_string(b, res->did_you_mean, strlen(res->did_you_mean));
    }
    if (res->corrected) qc_text_adds(b, ",\"corrected\":true");
    for (size_t i = 0; i < res->nignored; i++) {
        qc_text_adds(b, i ? "," : ",\"ignored\":[");
        qc_json_string(b, res->ignored[i], strlen(res->ignored[i]));
        if (i + 1 == res->nignored) qc_text_addc(b, ']');
    }
    if (res->warning) {
        qc_text_adds(b, ",\"warning\":");
        qc_json_string(b, res->warning, strlen(res->warning));
    }
    if (res->abstained)
        qc_text_printf(b, ",\"abstained\":{\"best_share\":%.4f,\"needed\":%.4f}",
                       res->best_coverage, res->needed_coverage);
}

int qc_print_json(qc_printer_t *pr, const quire_hit_t *hit)
{
    qc_text_t *b = &pr->buf;
    qc_text_reset(b);
    qc_json_hit(b, hit, pr->brief);
    b->len--; /* the closing brace: this printer adds what the search said */
    qc_text_printf(b, ",\"total\":%u,\"total_exact\":%s", hit->total,
                   hit->total_exact ? "true" : "false");
    if (hit->warning) {
        qc_text_adds(b, ",\"warning\":");
        qc_json_string(b, hit->warning, strlen(hit->warning));
    }
    qc_text_addc(b, '}');
    qc_text_addc(b, '\n');
    if (b->oom) return -1;
    return fwrite(b->data, 1, b->len, pr->out) == b->len ? 0 : -1;
}
