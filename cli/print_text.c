/*
 * print_text.c - the human-readable hit:
 *
 *   1  corpus/004_e24faed82d9ddb80.txt:8  bytes 2044-2312  score 9.41
 *      Forwarded from Russian MFA  2023-05-05 · Russian MFA
 *      ...member states of the Group of Friends in Defence of the Charter...
 *      copies also at corpus/004_e24faed82d9ddb80.txt:15
 *
 * Colour (when enabled): path magenta, line green, matches bold red, title
 * bold, details dim - ripgrep's palette. Snippets wrap at the terminal width
 * by display columns (emoji count two).
 */
#include "printer.h"

#include "cli.h"

#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define C_PATH "\033[35m"
#define C_LINE "\033[32m"
#define C_MATCH "\033[1;31m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RESET "\033[0m"
#define INDENT "   "

void qc_citation(qc_text_t *out, const char *root, const char *path, size_t path_len,
                 unsigned part_kind, unsigned part, unsigned line_start, unsigned line_end)
{
    char place[64];
    quire_cite_place(part_kind, part, line_start, line_end, place, sizeof place);
    qc_show_path(out, root, path, path_len);
    qc_text_printf(out, ":%s", place);
}

static void color(qc_printer_t *pr, const char *code)
{
    if (pr->color) qc_text_adds(&pr->buf, code);
}

static int display_width(const char *s, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n;) {
        size_t adv = 0;
        const int cw = utf8proc_charwidth(qc_utf8_next(s + i, n - i, &adv));
        w += cw > 0 ? cw : 0;
        i += adv;
    }
    return w;
}

/* Appends the snippet, word-wrapped, with highlight spans coloured. */
static void add_snippet(qc_printer_t *pr, const quire_hit_t *hit)
{
    const char *t = hit->snippet ? hit->snippet : "";
    const size_t n = hit->snippet_len;
    const quire_range_t *hl = hit->highlights;
    const size_t nhl = hit->nhighlights;
    const int width = pr->width - (int)strlen(INDENT);
    int col = 0;
    size_t h = 0, i = 0;
    qc_text_adds(&pr->buf, INDENT);
    while (i < n) {
        size_t j = i;
        while (j < n && t[j] != ' ') j++;
        const int w = display_width(t + i, j - i);
        if (col > 0 && col + 1 + w > width) {
            qc_text_adds(&pr->buf, "\n" INDENT);
            col = 0;
        } else if (col > 0) {
            qc_text_addc(&pr->buf, ' ');
            col++;
        }
        for (size_t k = i; k < j;) { /* chunks that are all in or all out of a match */
            while (h < nhl && hl[h].end <= k) h++;
            const int in = h < nhl && hl[h].start <= k;
            size_t e = j;
            if (in && hl[h].end < e) e = hl[h].end;
            if (!in && h < nhl && hl[h].start < e) e = hl[h].start;
            if (in) color(pr, C_MATCH);
            qc_sanitize(&pr->buf, t + k, e - k, 0);
            if (in) color(pr, C_RESET);
            k = e;
        }
        col += w;
        i = j < n ? j + 1 : j;
    }
    qc_text_addc(&pr->buf, '\n');
}

/* The title's first tl bytes, bold, its matched words also in the match
 * colour. */
static void add_title(qc_printer_t *pr, const quire_hit_t *hit, size_t tl)
{
    const char *title = hit->title;
    size_t at = 0;
    color(pr, C_BOLD);
    for (size_t i = 0; i < hit->ntitle_highlights && hit->title_highlights[i].end <= tl; i++) {
        const quire_range_t *h = &hit->title_highlights[i];
        qc_sanitize(&pr->buf, title + at, h->start - at, 0);
        color(pr, C_MATCH);
        qc_sanitize(&pr->buf, title + h->start, h->end - h->start, 0);
        color(pr, C_RESET);
        color(pr, C_BOLD);
        at = h->end;
    }
    qc_sanitize(&pr->buf, title + at, tl - at, 0);
}

/* "why: defense → Defence 41%, un → United (alias) 20%, ..." */
static void add_explain(qc_printer_t *pr, const quire_hit_t *hit)
{
    qc_text_t *b = &pr->buf;
    qc_text_adds(b, INDENT);
    color(pr, C_DIM);
    qc_text_adds(b, "why:");
    for (size_t i = 0; i < hit->nexplain; i++) {
        const quire_explain_t *it = &hit->explain[i];
        qc_text_adds(b, i ? ", " : " ");
        qc_sanitize_str(b, it->from);
        if (it->matched[0] && strcasecmp(it->matched, it->from) != 0) {
            qc_text_adds(b, " \xe2\x86\x92 ");
            qc_sanitize_str(b, it->matched);
        }
        if (strcmp(it->kind, "word") != 0) qc_text_printf(b, " (%s)", it->kind);
        qc_text_printf(b, " %.0f%%", 100 * it->share);
    }
    color(pr, C_RESET);
    qc_text_addc(b, '\n');
}

/* s[0..*n) without the blanks around it. */
static const char *trimmed(const char *s, size_t *n)
{
    while (*n && strchr(" \t\r\n", *s)) s++, (*n)--;
    while (*n && strchr(" \t\r\n", s[*n - 1])) (*n)--;
    return s;
}

/* Whether a and b are the same text but for the blanks around it. */
static int same_text(const char *a, size_t na, const char *b, size_t nb)
{
    if (!a || !b) return 0;
    a = trimmed(a, &na);
    b = trimmed(b, &nb);
    return na && na == nb && memcmp(a, b, na) == 0;
}

/* The line under the citation: the article's title, cut to fit, then its
 * date and source. A passage that is its article's title alone (a post's
 * headline) is not given it twice: only the date and source are shown, and
 * no line when there are none. */
static void add_heading(qc_printer_t *pr, const quire_hit_t *hit)
{
    const quire_hit_t *p = hit;
    qc_text_t *b = &pr->buf;
    const int is_title = same_text(p->title, p->title_len, p->text, p->text_len);
    qc_text_t meta = {0};
    if (p->date) {
        char d[11];
        quire_date_format(p->date, d);
        qc_text_adds(&meta, d);
    }
    if (p->date && p->source_len) qc_text_adds(&meta, " \xc2\xb7 ");
    qc_sanitize(&meta, p->source, p->source_len, 0);
    if (is_title && !meta.len) {
        qc_text_free(&meta);
        return;
    }
    qc_text_adds(b, INDENT);
    const int room =
        pr->width - (int)strlen(INDENT) - (meta.len ? display_width(meta.data, meta.len) + 2 : 0);
    size_t tl = p->title_len;
    const int cut = display_width(p->title, tl) > room && room > 10;
    if (cut) { /* whole characters that fit, and an ellipsis */
        size_t i = 0;
        int w = 0;
        while (i < tl) {
            size_t adv = 0;
            const int cw = utf8proc_charwidth(qc_utf8_next(p->title + i, tl - i, &adv));
            if (w + (cw > 0 ? cw : 0) > room - 1) break;
            w += cw > 0 ? cw : 0;
            i += adv;
        }
        tl = i;
    }
    if (!is_title) add_title(pr, hit, tl);
    if (cut && !is_title) qc_text_adds(b, "\xe2\x80\xa6");
    color(pr, C_RESET);
    if (meta.len) {
        if (!is_title) qc_text_adds(b, "  ");
        color(pr, C_DIM);
        qc_text_add(b, meta.data, meta.len);
        color(pr, C_RESET);
    }
    qc_text_free(&meta);
    qc_text_addc(b, '\n');
}

int qc_print_text(qc_printer_t *pr, const quire_hit_t *hit)
{
    const quire_hit_t *p = hit;
    qc_text_t *b = &pr->buf;
    qc_text_reset(b);
    qc_text_printf(b, "%-2u ", hit->rank);
    color(pr, C_PATH);
    qc_show_path(b, hit->root, p->path, p->path_len);
    color(pr, C_RESET);
    qc_text_addc(b, ':');
    color(pr, C_LINE);
    char place[64];
    quire_cite_place(p->part_kind, p->part, p->line_start, p->line_end, place, sizeof place);
    qc_text_adds(b, place);
    color(pr, C_RESET);
    color(pr, C_DIM);
    if (p->record) qc_text_printf(b, "  record %u", (unsigned)p->record);
    qc_text_printf(b, "  bytes %llu-%llu  score %.2f", (unsigned long long)p->byte_start,
                   (unsigned long long)p->byte_end, hit->score);
    if (hit->title_only) qc_text_adds(b, "  (matched in the title)");
    if (hit->stale == QUIRE_CHANGED) qc_text_adds(b, "  (file changed since indexing)");
    if (hit->stale == QUIRE_REMOVED) qc_text_adds(b, "  (file removed)");
    color(pr, C_RESET);
    qc_text_addc(b, '\n');
    add_heading(pr, hit);
    add_snippet(pr, hit);
    if (hit->explain) add_explain(pr, hit);
    if (hit->ncopies) {
        qc_text_adds(b, INDENT);
        color(pr, C_DIM);
        qc_text_adds(b, "copies also at ");
        const size_t shown = hit->ncopies < 3 ? hit->ncopies : 3;
        for (size_t i = 0; i < shown; i++) {
            const quire_copy_t *c = &hit->copies[i];
            if (i) qc_text_adds(b, ", ");
            qc_citation(b, c->root, c->path, strlen(c->path), c->part_kind, c->part, c->line_start,
                        c->line_end);
        }
        if (hit->ncopies > shown) qc_text_printf(b, " and %zu more", hit->ncopies - shown);
        color(pr, C_RESET);
        qc_text_addc(b, '\n');
    }
    qc_text_addc(b, '\n');
    if (b->oom) return -1;
    return fwrite(b->data, 1, b->len, pr->out) == b->len ? 0 : -1;
}
