/*
 * ignore.c - gitignore-style rules for the walk (ignore.h): a list of rules
 * that grows as the walk enters folders with ignore files and shrinks as it
 * leaves them, matched last-first-wins; and the glob matcher, whose work is
 * bounded so a hostile pattern cannot stall a walk.
 */
#include "ignore.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    char *pat;    /* without '!', the leading '/' and the trailing '/' */
    char *base;   /* the folder of its file, relative to the root ("" or "a/b/") */
    char *up;     /* a rule from a folder above the root: the root's path from there */
    int neg;      /* "!pat": takes a file back */
    int dir_only; /* "pat/": folders only */
    int anchored; /* has a '/' before its end: matched from its folder, not by name */
} rule_t;

struct qi_ignore {
    rule_t *v;
    size_t n, cap;
    size_t *marks; /* the number of rules at each enter */
    size_t nmarks, capmarks;
    int files; /* read ignore files */
    int git;   /* inside a git work tree: .gitignore files count */
};

/* ------------------------------------------------------------ globs */

#define GLOB_STEPS 100000 /* matching steps before a pattern is taken as no match */

/* [...] at p against c; *end is set past the class. */
static int in_class(const char *p, char c, const char **end)
{
    const char *q = p + 1;
    const int negate = *q == '!' || *q == '^';
    q += negate;
    int hit = 0;
    for (int first = 1; *q && (first || *q != ']'); first = 0) {
        char lo = *q++;
        if (lo == '\\' && *q) lo = *q++;
        char hi = lo;
        if (q[0] == '-' && q[1] && q[1] != ']') {
            hi = q[1];
            q += 2;
        }
        hit |= c >= lo && c <= hi;
    }
    if (*q != ']') return -1; /* not a class: '[' is itself */
    *end = q + 1;
    return hit != negate;
}

static int glob_at(const char *p, const char *s, long *steps)
{
    while (*p) {
        if (--*steps < 0) return 0;
        if (p[0] == '*' && p[1] == '*') { /* any folders: "**" alone, "**" + "/" or "/" + "**" */
            p += 2;
            const int slash = *p == '/';
            p += slash;
            if (!*p) return 1;
            for (const char *t = s;; t++) {
                if ((!slash || t == s || t[-1] == '/') && glob_at(p, t, steps)) return 1;
                if (!*t) return 0;
            }
        }
        if (*p == '*') { /* within a name */
            p++;
            for (const char *t = s;; t++) {
                if (glob_at(p, t, steps)) return 1;
                if (!*t || *t == '/') return 0;
            }
        }
        if (!*s) return 0;
        if (*p == '?') {
            if (*s == '/') return 0;
            p++, s++;
            continue;
        }
        if (*p == '[') {
            const char *end = NULL;
            const int hit = *s == '/' ? 0 : in_class(p, *s, &end);
            if (hit >= 0) {
                if (!hit) return 0;
                p = end, s++;
                continue;
            }
        }
        if (*p == '\\' && p[1]) p++;
        if (*p != *s) return 0;
        p++, s++;
    }
    return !*s;
}

int qi_glob_match(const char *glob, const char *s)
{
    long steps = GLOB_STEPS;
    return glob_at(glob, s, &steps);
}

/* ------------------------------------------------------------ rules */

/* One line of an ignore file (or one --exclude) as a rule; 0 when it is
 * none (blank, a comment), 1 added, -1 out of memory. */
static int add_rule(qi_ignore_t *ig, const char *line, size_t n, const char *base, const char *up)
{
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ')) n--;
    if (!n || line[0] == '#') return 0;
    rule_t r = {0};
    if (line[0] == '!')
        r.neg = 1, line++, n--;
    else if (line[0] == '\\' && (line[1] == '!' || line[1] == '#'))
        line++, n--;
    if (n && line[n - 1] == '/') r.dir_only = 1, n--;
    if (!n) return 0;
    r.anchored = memchr(line, '/', n) != NULL;
    if (line[0] == '/') line++, n--;
    if (ig->n == ig->cap) {
        const size_t cap = ig->cap ? ig->cap * 2 : 16;
        rule_t *v = realloc(ig->v, cap * sizeof *v);
        if (!v) return -1;
        ig->v = v;
        ig->cap = cap;
    }
    r.pat = strndup(line, n);
    r.base = strdup(base);
    r.up = up ? strdup(up) : NULL;
    if (!r.pat || !r.base || (up && !r.up)) {
        free(r.pat), free(r.base), free(r.up);
        return -1;
    }
    ig->v[ig->n++] = r;
    return 1;
}

/* Each line of text[0..len) as a rule. */
static int add_lines(qi_ignore_t *ig, const char *text, size_t len, char sep, const char *base,
                     const char *up)
{
    for (size_t i = 0; i < len;) {
        const char *end = memchr(text + i, sep, len - i);
        const size_t n = end ? (size_t)(end - (text + i)) : len - i;
        if (add_rule(ig, text + i, n, base, up) < 0) return -1;
        i += n + 1;
    }
    return 0;
}

/* The rules of the ignore file dir/name, when there is one (at most 1 MB). */
static int read_file(qi_ignore_t *ig, const char *dir, const char *name, const char *base,
                     const char *up)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return 0;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    const size_t cap = (size_t)1 << 20;
    char *text = malloc(cap);
    const size_t len = text ? fread(text, 1, cap, f) : 0;
    fclose(f);
    const int rc = text ? add_lines(ig, text, len, '\n', base, up) : -1;
    free(text);
    return rc;
}

/* The folders from the git work tree's top down to root's parent, whose
 * .gitignore files apply too; ig->git set when root is in a work tree. */
static int read_above(qi_ignore_t *ig, const char *root)
{
    char real[PATH_MAX], probe[PATH_MAX + 8];
    if (!realpath(root, real)) return 0;
    size_t top = strlen(real); /* the work tree's top: the nearest folder with .git */
    for (;;) {
        struct stat st;
        snprintf(probe, sizeof probe, "%.*s/.git", (int)top, real);
        if (stat(probe, &st) == 0) break;
        while (top > 0 && real[top - 1] != '/') top--;
        if (top <= 1) return 0; /* reached / with no .git */
        top--;
    }
    ig->git = 1;
    for (size_t at = top; at < strlen(real);) { /* each folder above root, top first */
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%.*s", (int)at, real);
        char up[PATH_MAX];
        snprintf(up, sizeof up, "%s/", real + at + 1); /* root's path from there */
        if (read_file(ig, dir, ".gitignore", "", up) < 0) return -1;
        at++;
        while (real[at] && real[at] != '/') at++;
    }
    return 0;
}

qi_ignore_t *qi_ignore_new(const char *root, const char *excludes, int files)
{
    qi_ignore_t *ig = calloc(1, sizeof *ig);
    if (!ig) return NULL;
    ig->files = files;
    if ((excludes && add_lines(ig, excludes, strlen(excludes), '\t', "", NULL) < 0) ||
        (files && read_above(ig, root) < 0)) {
        qi_ignore_free(ig);
        return NULL;
    }
    return ig;
}

void qi_ignore_free(qi_ignore_t *ig)
{
    if (!ig) return;
    for (size_t i = 0; i < ig->n; i++) free(ig->v[i].pat), free(ig->v[i].base), free(ig->v[i].up);
    free(ig->v);
    free(ig->marks);
    free(ig);
}

int qi_ignore_enter(qi_ignore_t *ig, const char *dir, const char *reldir)
{
    if (ig->nmarks == ig->capmarks) {
        const size_t cap = ig->capmarks ? ig->capmarks * 2 : 16;
        size_t *m = realloc(ig->marks, cap * sizeof *m);
        if (!m) return -1;
        ig->marks = m;
        ig->capmarks = cap;
    }
    ig->marks[ig->nmarks++] = ig->n;
    if (!ig->files) return 0;
    if (read_file(ig, dir, ".quireignore", reldir, NULL) < 0) return -1;
    return ig->git ? read_file(ig, dir, ".gitignore", reldir, NULL) : 0;
}

void qi_ignore_leave(qi_ignore_t *ig)
{
    if (!ig->nmarks) return;
    const size_t keep = ig->marks[--ig->nmarks];
    while (ig->n > keep) {
        rule_t *r = &ig->v[--ig->n];
        free(r->pat), free(r->base), free(r->up);
    }
}

int qi_ignore_match(const qi_ignore_t *ig, const char *relpath, int is_dir)
{
    char joined[2 * PATH_MAX];
    for (size_t i = ig->n; i-- > 0;) { /* the last rule that matches decides */
        const rule_t *r = &ig->v[i];
        if (r->dir_only && !is_dir) continue;
        const char *s = relpath;
        if (r->up) {
            if (snprintf(joined, sizeof joined, "%s%s", r->up, relpath) >= (int)sizeof joined)
                continue;
            s = joined;
        } else {
            const size_t bl = strlen(r->base);
            if (strncmp(relpath, r->base, bl) != 0) continue;
            s = relpath + bl;
        }
        const char *name = strrchr(s, '/');
        if (qi_glob_match(r->pat, r->anchored ? s : name ? name + 1 : s)) return !r->neg;
    }
    return 0;
}
