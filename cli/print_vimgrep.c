/*
 * print_vimgrep.c - one line per hit for editors (`--format=vimgrep`):
 *
 *   corpus/003_28d1eb4e5542eb3f.txt:11:52:“Countries should stand together…
 *
 * The line and column (1-based, the column in bytes, as vim and ripgrep
 * count) are those of the first highlighted word in the file itself,
 * whatever the format: the passage record maps its text back to the file's
 * bytes (record.h). A hit with no highlighted word points at the passage's
 * start. The message is the snippet with line breaks turned into spaces.
 * Paths and snippets pass through qc_sanitize, so a file name with a tab
 * or a newline still makes one line, and no control character is obeyed.
 */
#include "printer.h"

#include "cli.h"

#include <string.h>

int qc_hit_place(const qs_hit_t *hit, ql_place_t *out)
{
    const qs_snippet_t *sn = hit->snippet;
    const size_t at = sn->nhl ? sn->hl[0].at : 0;
    return ql_passage_locate(hit->p, at, out) == 0 && sn->nhl;
}

int qc_print_vimgrep(qc_printer_t *pr, const qs_hit_t *hit)
{
    const ql_passage_t *p = hit->p;
    ql_buf_t *b = &pr->buf;
    ql_buf_reset(b);
    ql_place_t at;
    qc_hit_place(hit, &at);
    qc_show_path(b, hit->root, p->path, p->path_len);
    ql_buf_printf(b, ":%u:%u:", at.line, at.column);
    const qs_snippet_t *sn = hit->snippet;
    ql_buf_t one = {0}; /* the snippet on one line */
    for (size_t i = 0; sn->text.data && i < sn->text.len; i++) {
        const char c = sn->text.data[i];
        ql_buf_addc(&one, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    qc_sanitize(b, one.data ? one.data : "", one.len, 0);
    ql_buf_free(&one);
    ql_buf_addc(b, '\n');
    if (b->oom) return -1;
    return fwrite(b->data, 1, b->len, pr->out) == b->len ? 0 : -1;
}
