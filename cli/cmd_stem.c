/*
 * cmd_stem.c - `quire stem WORD...`: shows what the text pipeline makes of
 * each word - its folded form and its stem, the term that is indexed - one
 * line per word: WORD<TAB>FOLDED<TAB>STEM.
 */
#include "cli.h"

#include "quire.h"

#include <getopt.h>
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

static const char stem_usage[] =
    "usage: quire stem [--language LANG] WORD...\n"
    "Prints WORD<TAB>FOLDED<TAB>STEM for each word: how the one text pipeline\n"
    "normalizes (NFKC, case, accents, British spelling) and stems it.\n"
    "\n"
    "  -l, --language LANG  stem Latin-script words as LANG's (fr, de, es, tr ...),\n"
    "                       as an article in LANG is indexed; default English\n"
    "  -h, --help           this help\n";

int qc_cmd_stem(int argc, char **argv)
{
    static const struct option longopts[] = {{"language", required_argument, NULL, 'l'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *lang = NULL;
    int c;
    optind = 1;
    while ((c = qc_getopt("stem", argc, argv, "l:h", longopts)) != -1) {
        if (c == 'h') {
            fputs(stem_usage, stdout);
            return QC_EXIT_OK;
        }
        if (c != 'l') return QC_EXIT_ERROR;
        if (!quire_language_tag(optarg))
            return qc_usage(
                "stem", "--language takes a language tag (fr, de, es, tr ...), not '%s'", optarg);
        lang = optarg;
    }
    if (optind >= argc) return qc_usage("stem", "no word given (try: quire stem Defence)");
    for (int i = optind; i < argc; i++) {
        stem_ctx_t s = {argv[i]};
        if (quire_analyze_lang(lang, argv[i], strlen(argv[i]), print_token, &s) != QUIRE_OK) {
            qc_say("out of memory");
            return QC_EXIT_ERROR;
        }
    }
    return QC_EXIT_OK;
}
