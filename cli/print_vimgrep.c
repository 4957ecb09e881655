/*
 * print_vimgrep.c - one line per hit for editors (`--format=vimgrep`):
 *
 *   corpus/003_28d1eb4e5542eb3f.txt:11:52:“Countries should stand together…
 *
 * The line and column (1-based, in bytes, as vim counts) are those of the
 * first highlighted word of the snippet where the passage's text is the
 * file's own bytes (plain text); for text extracted from markup (HTML,
 * JSON) they are the passage's first line and column 1. The message is the
 * snippet with line breaks turned into spaces.
 */
#include "printer.h"

#include "cli.h"

#include <string.h>

/* Where the first highlighted word of the snippet first occurs in the
 * passage text: its offset, or SIZE_MAX when it cannot be said. */
static size_t first_match(const qs_hit_t *hit)
{
    const qs_snippet_t *sn = hit->snippet;
    const ql_passage_t *p = hit->p;
    if (!sn->nhl || !sn->text.data) return SIZE_MAX;
    const char *w = sn->text.data + sn->hl[0].start;
    const size_t wn = sn->hl[0].end - sn->hl[0].start;
    for (size_t i = 0; wn && i + wn <= p->text_len; i++)
        if (!memcmp(p->text + i, w, wn)) return i;
    return SIZE_MAX;
}

int qc_print_vimgrep(qc_printer_t *pr, const qs_hit_t *hit)
{
    const ql_passage_t *p = hit->p;
    ql_buf_t *b = &pr->buf;
    ql_buf_reset(b);
    unsigned line = p->line_start, col = 1;
    const size_t at = first_match(hit);
    if (at != SIZE_MAX && p->byte_end - p->byte_start == p->text_len) { /* the file's bytes */
        size_t line_at = 0;
        for (size_t i = 0; i < at; i++)
            if (p->text[i] == '\n') {
                line++;
                line_at = i + 1;
            }
        col = (unsigned)(at - line_at + 1);
    }
    qc_display_path(b, hit->root, p->path, p->path_len);
    ql_buf_printf(b, ":%u:%u:", line, col);
    const qs_snippet_t *sn = hit->snippet;
    for (size_t i = 0; sn->text.data && i < sn->text.len; i++) {
        const char c = sn->text.data[i];
        ql_buf_addc(b, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    ql_buf_addc(b, '\n');
    if (b->oom) return -1;
    return fwrite(b->data, 1, b->len, pr->out) == b->len ? 0 : -1;
}
