/*
 * cmd_stem.c - `quire stem WORD...`: shows what the text pipeline makes of
 * each word - its folded form and its stem, the term that is indexed - one
 * line per word: WORD<TAB>FOLDED<TAB>STEM.
 */
#include "cli.h"

#include "qt.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *arg;
} stem_ctx_t;

static int print_token(void *ctx, const qt_token_t *t)
{
    const stem_ctx_t *s = ctx;
    printf("%.*s\t%s\t%s\n", (int)(t->end - t->start), s->arg + t->start,
           t->flags & QT_TOK_TOOLONG ? "(too long)" : t->norm,
           t->flags & QT_TOK_TOOLONG ? "-" : t->stem);
    return 0;
}

int qc_cmd_stem(int argc, char **argv)
{
    if (argc < 2) return qc_usage("stem", "no word given (try: quire stem Defence)");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs("usage: quire stem WORD...\n"
              "Prints WORD<TAB>FOLDED<TAB>STEM for each word: how the one text pipeline\n"
              "normalizes (NFKC, case, accents, British spelling) and stems it.\n"
              "\n"
              "  -h, --help    this help\n",
              stdout);
        return QC_EXIT_OK;
    }
    qt_pipeline_t *p = qt_pipeline_new();
    if (!p) {
        fputs("quire: out of memory\n", stderr);
        return QC_EXIT_ERROR;
    }
    for (int i = 1; i < argc; i++) {
        stem_ctx_t s = {argv[i]};
        qt_tokenize(p, argv[i], strlen(argv[i]), print_token, &s);
    }
    qt_pipeline_free(p);
    return QC_EXIT_OK;
}
