/*
 * cite.c - citations as text (quire.h): the place after "PATH:" written for
 * a hit (quire_cite_place) and a whole citation read back for quire show
 * and programs (quire_cite_parse). The two are one grammar:
 *
 *   PATH:LINE  PATH:FIRST-LAST  PATH:LINE:COL     a file's lines
 *   PATH:pN:LINE[-LAST]                           a PDF page's lines
 *   PATH:chN:LINE[-LAST]                          an EPUB chapter's lines
 *   PATH:¶N[-LAST]                                DOCX/ODT paragraphs
 */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PILCROW "\xc2\xb6"

void quire_cite_place(unsigned part_kind, unsigned part, unsigned line_start, unsigned line_end,
                      char *out, size_t cap)
{
    if (!out || cap == 0) return;
    char lines[32];
    if (line_end > line_start)
        snprintf(lines, sizeof lines, "%u-%u", line_start, line_end);
    else
        snprintf(lines, sizeof lines, "%u", line_start);
    switch (part_kind) {
    case QUIRE_PART_PAGE:
        snprintf(out, cap, "p%u:%s", part, lines);
        break;
    case QUIRE_PART_CHAPTER:
        snprintf(out, cap, "ch%u:%s", part, lines);
        break;
    case QUIRE_PART_PARAGRAPHS:
        snprintf(out, cap, PILCROW "%s", lines);
        break;
    default:
        snprintf(out, cap, "%s", lines);
        break;
    }
}

/* A number of 1 to 9 digits at s[0..n) into *v. */
static int number(const char *s, size_t n, unsigned *v)
{
    if (n == 0 || n > 9) return -1;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return -1;
    *v = (unsigned)strtoul(s, NULL, 10);
    return 0;
}

/* "FIRST" or "FIRST-LAST" at s[0..n). */
static int lines(const char *s, size_t n, unsigned *first, unsigned *last)
{
    const char *dash = memchr(s, '-', n);
    const size_t n1 = dash ? (size_t)(dash - s) : n;
    if (number(s, n1, first) != 0) return -1;
    *last = *first;
    if (dash && number(dash + 1, n - n1 - 1, last) != 0) return -1;
    return *first == 0 || *last < *first ? -1 : 0;
}

/* The field of s[0..end) after its last ':' before end, or NULL. */
static const char *field_before(const char *s, const char *end)
{
    for (const char *p = end - 1; p > s; p--)
        if (*p == ':') return p + 1;
    return NULL;
}

int quire_cite_parse(const char *cite, char *path, size_t cap, unsigned *part, unsigned *first,
                     unsigned *last)
{
    if (!cite || !path || !part || !first || !last) return -1;
    const char *end = cite + strlen(cite);
    const char *tail = field_before(cite, end);
    if (!tail) return -1;
    const char *cut = tail - 1; /* where PATH ends */
    *part = 0;
    unsigned line = 0;
    const char *prev = field_before(cite, cut);
    if (!strncmp(tail, PILCROW, 2)) { /* PATH:¶N[-LAST] */
        if (lines(tail + 2, (size_t)(end - tail - 2), first, last) != 0) return -1;
    } else if (lines(tail, (size_t)(end - tail), first, last) != 0) {
        return -1;
    } else if (prev && (prev[0] == 'p' || (prev[0] == 'c' && prev[1] == 'h'))) {
        const size_t skip = prev[0] == 'p' ? 1 : 2; /* PATH:pN:LINES, PATH:chN:LINES */
        if (number(prev + skip, (size_t)(cut - prev - skip), part) == 0 && *part > 0)
            cut = prev - 1;
    } else if (prev && *first == *last && number(prev, (size_t)(cut - prev), &line) == 0 &&
               !memchr(tail, '-', (size_t)(end - tail))) {
        *first = *last = line; /* PATH:LINE:COL: the column is dropped */
        cut = prev - 1;
        if (*first == 0) return -1;
    }
    const size_t plen = (size_t)(cut - cite);
    if (plen == 0 || plen >= cap) return -1;
    memcpy(path, cite, plen);
    path[plen] = '\0';
    return 0;
}
