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
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs("usage: quire stem [--language LANG] WORD...\n"
              "Prints WORD<TAB>FOLDED<TAB>STEM for each word: how the one text pipeline\n"
              "normalizes (NFKC, case, accents, British spelling) and stems it.\n"
              "\n"
              "  -l, --language LANG  stem Latin-script words as LANG's (fr, de, es, tr ...),\n"
              "                       as an article in LANG is indexed; default English\n"
              "  -h, --help           this help\n",
              stdout);
        return QC_EXIT_OK;
    }
    const char *lang = NULL;
    int first = 1;
    if (argc >= 2 && (!strcmp(argv[1], "--language") || !strcmp(argv[1], "-l"))) {
        if (argc < 3) return qc_usage("stem", "--language needs a language (fr, de, es, tr ...)");
        lang = argv[2];
        first = 3;
    }
    if (argc <= first) return qc_usage("stem", "no word given (try: quire stem Defence)");
    for (int i = first; i < argc; i++) {
        stem_ctx_t s = {argv[i]};
        if (quire_analyze_lang(lang, argv[i], strlen(argv[i]), print_token, &s) != QUIRE_OK) {
            qc_say("out of memory");
            return QC_EXIT_ERROR;
        }
    }
    return QC_EXIT_OK;
}
