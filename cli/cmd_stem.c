/*
 * cmd_stem.c - `quire stem WORD...`: shows what the text pipeline makes of
 * each word - its folded form and its stem, the term that is indexed - one
 * line per word: WORD<TAB>FOLDED<TAB>STEM.
 */
#include "cli.h"

#include "quire.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *arg;
} stem_ctx_t;

static int print_token(void *ctx, const quire_token_t *t)
{
    const stem_ctx_t *s = ctx;
    printf("%.*s\t%s\t%s\n", (int)(t->end - t->start), s->arg + t->start,
           t->folded ? t->folded : "(too long)", t->stem ? t->stem : "-");
    return QUIRE_CONTINUE;
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
    for (int i = 1; i < argc; i++) {
        stem_ctx_t s = {argv[i]};
        if (quire_analyze(argv[i], strlen(argv[i]), print_token, &s) != QUIRE_OK) {
            qc_say("out of memory");
            return QC_EXIT_ERROR;
        }
    }
    return QC_EXIT_OK;
}
