/*
 * main.c - `quire`: dispatches to the subcommands and prints usage.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#define QUIRE_VERSION "0.2.0"

static const char usage[] =
    "usage: quire COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Full-text search over folders of articles, with cited passages.\n"
    "\n"
    "commands:\n"
    "  index [--index DIR] [-q] [PATH...]   index the articles under PATH (none: the index's\n"
    "                                       folders, or .): .txt, .html, .md, .json/.jsonl,\n"
    "                                       Telegram exports; --add/--remove/--replace PATH\n"
    "  search [OPTIONS] QUERY...            rank passages; see `quire search --help`\n"
    "  serve [--index DIR] --port P         serve the index to remote searches (no auth:\n"
    "                                       loopback by default; see `quire serve --help`)\n"
    "  show [-C N] [-q Q] CITATION          the cited passage in its file, with context\n"
    "  stats [--json]                       what the index holds: files, articles, dates\n"
    "  stem WORD...                         show how words are normalized and stemmed\n"
    "  config                               the settings in effect, and where each comes from\n"
    "\n"
    "The index lives in DIR: --index, else $QUIRE_INDEX, else the nearest .quire here or\n"
    "above, else the config file's index, else ./.quire\n"
    "Exit status: 0 success (search: hits), 1 no hits, 2 error, 3 index locked.\n";

int main(int argc, char **argv)
{
    if (argc < 2)
        return qc_usage(NULL, "no command given (index, search, show, stats, serve, stem)");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "stem")) return qc_cmd_stem(argc - 1, argv + 1);
    if (!strcmp(cmd, "config")) return qc_cmd_config(argc - 1, argv + 1);
    if (qc_config_load() != 0) return QC_EXIT_ERROR; /* a bad settings file: one line, said */
    if (!strcmp(cmd, "index")) return qc_cmd_index(argc - 1, argv + 1);
    if (!strcmp(cmd, "search")) return qc_cmd_search(argc - 1, argv + 1);
    if (!strcmp(cmd, "serve")) return qc_cmd_serve(argc - 1, argv + 1);
    if (!strcmp(cmd, "show")) return qc_cmd_show(argc - 1, argv + 1);
    if (!strcmp(cmd, "stats")) return qc_cmd_stats(argc - 1, argv + 1);
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        fputs(usage, stdout);
        return QC_EXIT_OK;
    }
    if (!strcmp(cmd, "--version")) {
        puts("quire " QUIRE_VERSION);
        return QC_EXIT_OK;
    }
    return qc_usage(NULL, "unknown command '%s' (index, search, show, stats, serve, stem, config)",
                    cmd);
}
