/*
 * aliases.c - reading alias files and matching names in a query (aliases.h).
 *
 * Each name is tokenized by the one text pipeline, so its words compare by
 * stem exactly as the index does; a capitalised one-word name keeps its
 * folded form for matching A<word> terms. Matching is longest-first at a
 * position, over a handful of groups, so a linear scan is plenty.
 */
#include "aliases.h"

#include "buf.h"
#include "hash.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    qs_alt_t *alt;
    size_t cap;
    size_t ntokens; /* all tokens, to decide whether caps applies */
    int failed;
} alt_build_t;

static int add_word(void *ctx, const qt_token_t *t)
{
    alt_build_t *b = ctx;
    b->ntokens++;
    if (t->flags & QT_TOK_TOOLONG) return 0;
    qs_alt_t *a = b->alt;
    if (a->n == b->cap) {
        const size_t cap = b->cap ? b->cap * 2 : 4;
        char **s = realloc(a->stems, cap * sizeof *s);
        if (s) a->stems = s;
        char **c = s ? realloc(a->caps, cap * sizeof *c) : NULL;
        if (c) a->caps = c;
        if (!s || !c) return b->failed = -1;
        b->cap = cap;
    }
    a->stems[a->n] = strndup(t->stem, t->stem_len);
    a->caps[a->n] = t->flags & QT_TOK_UPPER ? strndup(t->norm, t->norm_len) : NULL;
    if (!a->stems[a->n] || ((t->flags & QT_TOK_UPPER) && !a->caps[a->n])) {
        free(a->stems[a->n]);
        free(a->caps[a->n]);
        return b->failed = -1;
    }
    a->n++;
    return 0;
}

static void free_alt(qs_alt_t *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->stems[i]);
        free(a->caps[i]);
    }
    free(a->stems);
    free(a->caps);
}

static void free_group(qs_alias_group_t *g)
{
    for (size_t i = 0; i < g->n; i++) free_alt(&g->alts[i]);
    free(g->alts);
}

void qs_aliases_free(qs_aliases_t *a)
{
    for (size_t i = 0; i < a->n; i++) free_group(&a->groups[i]);
    free(a->groups);
    free(a->slots);
    memset(a, 0, sizeof *a);
}

/* Parses one line's names into g, those after a '~' on side 1; returns -1
 * when out of memory, -2 when the line has more than one '~'. */
static int parse_line(qt_pipeline_t *p, const char *s, size_t n, qs_alias_group_t *g)
{
    size_t i = 0;
    unsigned side = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && s[j] != '|' && s[j] != '~') j++;
        qs_alt_t alt = {0};
        alt.side = side;
        alt_build_t b = {&alt, 0, 0, 0};
        if (qt_tokenize(p, s + i, j - i, add_word, &b) != 0 || b.failed) {
            free_alt(&alt);
            return -1;
        }
        /* capitals only bind a one-word name: in "UN Security Council" the
         * phrase itself is specific enough */
        if (b.ntokens > 1)
            for (size_t k = 0; k < alt.n; k++) {
                free(alt.caps[k]);
                alt.caps[k] = NULL;
            }
        if (alt.n) {
            qs_alt_t *v = realloc(g->alts, (g->n + 1) * sizeof *v);
            if (!v) {
                free_alt(&alt);
                return -1;
            }
            g->alts = v;
            g->alts[g->n++] = alt;
        }
        if (j < n && s[j] == '~' && side++) return -2;
        i = j + 1;
    }
    return 0;
}

static int same_alt(const qs_alt_t *x, const qs_alt_t *y)
{
    if (x->n != y->n) return 0;
    for (size_t k = 0; k < x->n; k++) {
        const char *a = x->caps[k], *b = y->caps[k];
        if ((a == NULL) != (b == NULL) || strcmp(x->stems[k], y->stems[k]) != 0 ||
            (a && b && strcmp(a, b) != 0))
            return 0;
    }
    return 1;
}

/* The alt of g that names the same as alt, or NULL. */
static const qs_alt_t *find_alt(const qs_alias_group_t *g, const qs_alt_t *alt)
{
    for (size_t i = 0; i < g->n; i++)
        if (same_alt(&g->alts[i], alt)) return &g->alts[i];
    return NULL;
}

/* A name's hash: same_alt's names hash the same. */
static uint64_t alt_hash(const qs_alt_t *alt)
{
    uint64_t h = QL_FNV_OFFSET;
    for (size_t k = 0; k < alt->n; k++) {
        h = ql_fnv1a(h, alt->stems[k], strlen(alt->stems[k]) + 1);
        h = alt->caps[k] ? ql_fnv1a(h, alt->caps[k], strlen(alt->caps[k]) + 1) : ql_fnv1a(h, "", 1);
    }
    return h;
}

/* The first group (lowest index) holding a name of g; SIZE_MAX: none. */
static size_t group_sharing(const qs_aliases_t *a, const qs_alias_group_t *g, size_t *which)
{
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < g->n && a->nslots; i++) {
        const uint64_t h = alt_hash(&g->alts[i]);
        for (size_t s = h & (a->nslots - 1); a->slots[s].group; s = (s + 1) & (a->nslots - 1))
            if (a->slots[s].hash == h && a->slots[s].group - 1 < best &&
                find_alt(&a->groups[a->slots[s].group - 1], &g->alts[i])) {
                best = a->slots[s].group - 1;
                *which = i;
            }
    }
    return best;
}

/* Indexes the names of group h; -1 when out of memory. */
static int index_group(qs_aliases_t *a, size_t h, size_t from)
{
    const qs_alias_group_t *g = &a->groups[h];
    if (2 * (a->nnames + g->n - from) > a->nslots) { /* grow, and re-index every name */
        size_t n = a->nslots ? a->nslots : 64;
        while (2 * (a->nnames + g->n) > n) n *= 2;
        qs_aliases_slot_t *v = calloc(n, sizeof *v);
        if (!v) return -1;
        free(a->slots);
        a->slots = v;
        a->nslots = n;
        a->nnames = 0;
        for (size_t k = 0; k < a->n; k++)
            if (k != h && index_group(a, k, 0) != 0) return -1;
        from = 0;
    }
    for (size_t i = from; i < g->n; i++) {
        const uint64_t hash = alt_hash(&g->alts[i]);
        size_t s = hash & (a->nslots - 1);
        while (a->slots[s].group) s = (s + 1) & (a->nslots - 1);
        a->slots[s] = (qs_aliases_slot_t){hash, h + 1};
        a->nnames++;
    }
    return 0;
}

/* A group naming a name an earlier group names (a user's "ООН | UN" after
 * the shipped "UN | U.N. | United Nations", or "United States ~ American"
 * after the US group) is merged into that one: each name then finds all of
 * them, the shared name lining up the two groups' sides. Takes g's names;
 * returns 1 when merged, 0 when g shares no name, -1 when out of memory. */
static int merge_group(qs_aliases_t *a, qs_alias_group_t *g)
{
    size_t which = 0;
    const size_t h = group_sharing(a, g, &which);
    if (h == SIZE_MAX) return 0;
    qs_alias_group_t *into = &a->groups[h];
    const unsigned flip = find_alt(into, &g->alts[which])->side != g->alts[which].side;
    qs_alt_t *v = realloc(into->alts, (into->n + g->n) * sizeof *v);
    if (!v) return -1;
    into->alts = v;
    const size_t before = into->n;
    for (size_t i = 0; i < g->n; i++) {
        if (find_alt(into, &g->alts[i])) {
            free_alt(&g->alts[i]);
        } else {
            g->alts[i].side ^= flip;
            into->alts[into->n++] = g->alts[i];
        }
    }
    g->n = 0;
    return index_group(a, h, before) == 0 ? 1 : -1;
}

int qs_aliases_parse(qs_aliases_t *a, qt_pipeline_t *p, const char *text, size_t len,
                     const char *source, ql_err_t *e)
{
    size_t i = 0;
    unsigned line = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && text[end] != '\n') end++;
        line++;
        size_t stop = i;
        while (stop < end && text[stop] != '#') stop++;
        qs_alias_group_t g = {0};
        const int parsed = parse_line(p, text + i, stop - i, &g);
        if (parsed != 0) {
            free_group(&g);
            return parsed == -2 ? ql_errf(e, QL_E_USAGE,
                                          "%s:%u: more than one '~' (a group has two sides at "
                                          "most: names ~ related names)",
                                          source, line)
                                : ql_errf(e, QL_E_NOMEM, "%s:%u: out of memory", source, line);
        }
        if (g.n == 1) {
            free_group(&g);
            return ql_errf(e, QL_E_USAGE,
                           "%s:%u: a group needs two names or more, separated by '|'", source,
                           line);
        }
        const int merged = g.n > 1 ? merge_group(a, &g) : 0;
        if (merged < 0) {
            free_group(&g);
            return ql_errf(e, QL_E_NOMEM, "%s:%u: out of memory", source, line);
        }
        if (merged) {
            free_group(&g);
        } else if (g.n > 1) {
            qs_alias_group_t *v = realloc(a->groups, (a->n + 1) * sizeof *v);
            if (!v) {
                free_group(&g);
                return ql_errf(e, QL_E_NOMEM, "%s:%u: out of memory", source, line);
            }
            a->groups = v;
            a->groups[a->n++] = g;
            if (index_group(a, a->n - 1, 0) != 0)
                return ql_errf(e, QL_E_NOMEM, "%s:%u: out of memory", source, line);
        }
        i = end + 1;
    }
    return 0;
}

int qs_aliases_load(qs_aliases_t *a, qt_pipeline_t *p, const char *path, int must_exist,
                    ql_err_t *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (!must_exist && errno == ENOENT) return 0;
        return ql_errf(e, QL_E_IO, "%s: cannot read aliases: %s", path, strerror(errno));
    }
    ql_buf_t b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) ql_buf_add(&b, chunk, n);
    const int bad = ferror(f);
    fclose(f);
    int rc = 0;
    if (bad)
        rc = ql_errf(e, QL_E_IO, "%s: cannot read aliases", path);
    else if (b.oom)
        rc = ql_errf(e, QL_E_NOMEM, "%s: out of memory", path);
    else
        rc = qs_aliases_parse(a, p, b.data ? b.data : "", b.len, path, e);
    ql_buf_free(&b);
    return rc;
}

static int word_matches(const qs_alt_t *alt, size_t k, const qs_alias_word_t *w)
{
    if (alt->caps[k]) return w->upper && strcmp(alt->caps[k], w->norm) == 0;
    return strcmp(alt->stems[k], w->stem) == 0;
}

int qs_aliases_match(const qs_aliases_t *a, const qs_alias_word_t *words, size_t n, size_t at,
                     size_t *group, size_t *len, unsigned *side)
{
    size_t best = 0;
    for (size_t g = 0; g < a->n; g++)
        for (size_t i = 0; i < a->groups[g].n; i++) {
            const qs_alt_t *alt = &a->groups[g].alts[i];
            if (alt->n <= best || at + alt->n > n) continue;
            size_t k = 0;
            while (k < alt->n && word_matches(alt, k, &words[at + k])) k++;
            if (k == alt->n) {
                best = alt->n;
                *group = g;
                *side = alt->side;
            }
        }
    *len = best;
    return best > 0;
}
