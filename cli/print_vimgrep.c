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

int qc_print_vimgrep(qc_printer_t *pr, const quire_hit_t *hit)
{
    qc_text_t *b = &pr->buf;
    qc_text_reset(b);
    qc_show_path(b, hit->root, hit->path, hit->path_len);
    if (hit->part_kind == QUIRE_PART_PAGE || hit->part_kind == QUIRE_PART_CHAPTER)
        qc_text_printf(b, ":%s%u", hit->part_kind == QUIRE_PART_PAGE ? "p" : "ch", hit->part);
    qc_text_printf(b, ":%s%u:%u:", hit->part_kind == QUIRE_PART_PARAGRAPHS ? "\xc2\xb6" : "",
                   hit->match_line, hit->match_column);
    qc_text_t one = {0}; /* the snippet on one line */
    for (size_t i = 0; hit->snippet && i < hit->snippet_len; i++) {
        const char c = hit->snippet[i];
        qc_text_addc(&one, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
    qc_sanitize(b, one.data ? one.data : "", one.len, 0);
    qc_text_free(&one);
    qc_text_addc(b, '\n');
    if (b->oom) return -1;
    return fwrite(b->data, 1, b->len, pr->out) == b->len ? 0 : -1;
}
