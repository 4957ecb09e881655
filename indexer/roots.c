/*
 * roots.c - which folders a `quire index` run indexes, and how (roots.h):
 * the given paths resolved, the index's remembered paths, each path's
 * reader settings and the shard read from its metadata, and the two combined
 * by the run's mode.
 */
#include "roots.h"

#include "index.h"
#include "layout.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void qi_run_paths_free(qi_run_paths_t *p)
{
    for (size_t i = 0; i < p->n; i++) free(p->paths[i]);
    free(p->paths);
    free(p->reads);
    ql_buf_free(&p->store);
    p->paths = NULL;
    p->reads = NULL;
    p->n = 0;
}

static int has(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s)) return 1;
    return 0;
}

/* Appends a copy of s to p's paths unless it is there. */
static int add(qi_run_paths_t *p, const char *s, ql_err_t *e)
{
    if (has(p->paths, p->n, s)) return 0;
    char **v = realloc(p->paths, (p->n + 1) * sizeof *v);
    if (!v) return ql_errf(e, QL_E_NOMEM, "out of memory");
    p->paths = v;
    if (!(v[p->n] = strdup(s))) return ql_errf(e, QL_E_NOMEM, "out of memory");
    p->n++;
    return 0;
}

/* path made absolute without the file system (it may be gone): the
 * working directory joined to it, "." and ".." steps and repeated '/'
 * folded away; into out (PATH_MAX). 0, or -1 when too long. */
static int lexical(const char *path, char *out)
{
    char joined[2 * PATH_MAX];
    char cwd[PATH_MAX];
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd)) return -1;
    if (snprintf(joined, sizeof joined, "%s/%s", path[0] == '/' ? "" : cwd, path) >=
        (int)sizeof joined)
        return -1;
    size_t o = 0;
    for (char *p = joined; *p;) {
        while (*p == '/') p++;
        const size_t n = strcspn(p, "/");
        if (n == 0) break;
        if (n == 1 && p[0] == '.') {
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (o > 0 && out[--o] != '/') {
            }
        } else {
            if (o + 1 + n >= PATH_MAX) return -1;
            out[o++] = '/';
            memcpy(out + o, p, n);
            o += n;
        }
        p += n;
    }
    if (o == 0) out[o++] = '/';
    out[o] = '\0';
    return 0;
}

/* The given paths, each resolved to an absolute one, into out. With
 * gone_ok, a path that no longer exists is taken as written (--remove of a
 * folder that was deleted or whose mount went away). */
static int resolve_given(const char *const *given, size_t n, int gone_ok, qi_run_paths_t *out,
                         ql_err_t *e)
{
    char real[PATH_MAX];
    for (size_t i = 0; i < n; i++) {
        if (!realpath(given[i], real) &&
            !(gone_ok && (errno == ENOENT || errno == ENOTDIR) && lexical(given[i], real) == 0))
            return ql_errf(e, QL_E_IO, "%s: %s", given[i], strerror(errno));
        if (add(out, real, e) != 0) return -1;
    }
    return 0;
}

/* Each of the index's own paths the run keeps must still be there: one
 * that went (deleted, a mount gone) or turned from a folder into a file is
 * named with the way to drop it, rather than failing deep in the walk. */
static int still_there(const char *dir, const qi_run_paths_t *old, const char *roots,
                       const qi_run_paths_t *out, ql_err_t *e)
{
    for (size_t i = 0; i < out->n; i++) {
        const char *p = out->paths[i];
        if (!has(old->paths, old->n, p)) continue;
        struct stat st;
        const size_t len = strlen(p);
        int was_dir = 0; /* a root folder of the index (QL_META_ROOTS, one per line) */
        for (const char *r = roots; r && (r = strstr(r, p)) != NULL; r += len)
            was_dir |= (r == roots || r[-1] == '\n') && (r[len] == '\n' || r[len] == '\0');
        if (stat(p, &st) != 0)
            return ql_errf(e, QL_E_IO,
                           "%s, a folder of %s, is gone (%s: deleted, or a mount that is not "
                           "there); drop it with: quire index --remove %s",
                           p, dir, strerror(errno), p);
        if (was_dir && !S_ISDIR(st.st_mode))
            return ql_errf(e, QL_E_IO,
                           "%s, a folder of %s, is now a file; drop it with: quire index "
                           "--remove %s (then --add it to index the file)",
                           p, dir, p);
    }
    return 0;
}

/* "a, b, c" of v, into b. */
static void join(ql_buf_t *b, char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i) ql_buf_adds(b, ", ");
        ql_buf_adds(b, v[i]);
    }
}

/* The paths the index was built from, one per line in text, into *out. */
static int split_lines(const char *text, qi_run_paths_t *out, ql_err_t *e)
{
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        const size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *one = strndup(p, len);
        const int rc = one ? add(out, one, e) : ql_errf(e, QL_E_NOMEM, "out of memory");
        free(one);
        if (rc != 0) return -1;
        p += len + (nl != NULL);
    }
    return 0;
}

/* Whether path a is b or inside it. */
static int within(const char *a, const char *b)
{
    const size_t n = strlen(b);
    return !strncmp(a, b, n) && (a[n] == '/' || a[n] == '\0' || (n == 1 && b[0] == '/'));
}

/* --add: a folder inside one of the index's, or holding one, would index
 * its files twice. */
static int overlap(const char *dir, const qi_run_paths_t *old, const qi_run_paths_t *given,
                   ql_err_t *e)
{
    for (size_t i = 0; i < given->n; i++)
        for (size_t k = 0; k < old->n; k++) {
            const char *g = given->paths[i], *o = old->paths[k];
            if (!strcmp(g, o)) continue;
            if (within(g, o))
                return ql_errf(e, QL_E_USAGE, "%s is inside %s, which %s already indexes", g, o,
                               dir);
            if (within(o, g))
                return ql_errf(e, QL_E_USAGE,
                               "%s holds %s, already a folder of %s; to index it alone: quire "
                               "index --replace %s",
                               g, o, dir, g);
        }
    return 0;
}

/* Combines the index's paths (old) with the given ones (new) by mode. In
 * the same mode, paths that are the index's folders or inside them (`quire
 * index .` from a subfolder) update the index as it is. */
static int combine(const char *dir, qi_run_paths_t *old, qi_run_paths_t *given,
                   qi_paths_mode_t mode, qi_run_paths_t *out, ql_err_t *e)
{
    ql_buf_t was = {0};
    join(&was, old->paths, old->n);
    int rc = 0, covered = 1;
    for (size_t i = 0; covered && i < given->n; i++) {
        covered = 0;
        for (size_t k = 0; !covered && k < old->n; k++)
            covered = within(given->paths[i], old->paths[k]);
    }
    if (mode == QI_PATHS_SAME && !covered)
        rc = ql_errf(e, QL_E_USAGE,
                     "%s indexes %s; add a folder with: quire index --add PATH, or index "
                     "PATH alone with: quire index --replace PATH",
                     dir, was.data ? was.data : "nothing");
    if (rc == 0 && mode == QI_PATHS_ADD) rc = overlap(dir, old, given, e);
    for (size_t i = 0; rc == 0 && mode == QI_PATHS_REMOVE && i < given->n; i++)
        if (!has(old->paths, old->n, given->paths[i]))
            rc = ql_errf(e, QL_E_USAGE, "%s is not one of the folders of %s (%s)", given->paths[i],
                         dir, was.data ? was.data : "none");
    /* the index's order first, so an unchanged set updates instead of rebuilding */
    for (size_t i = 0; rc == 0 && mode != QI_PATHS_REPLACE && i < old->n; i++)
        if (mode != QI_PATHS_REMOVE || !has(given->paths, given->n, old->paths[i]))
            rc = add(out, old->paths[i], e);
    for (size_t i = 0;
         rc == 0 && (mode == QI_PATHS_ADD || mode == QI_PATHS_REPLACE) && i < given->n; i++)
        rc = add(out, given->paths[i], e);
    if (rc == 0 && out->n == 0)
        rc = ql_errf(e, QL_E_USAGE,
                     "that would leave %s with no folder; to drop the index, delete %s", dir, dir);
    ql_buf_free(&was);
    return rc;
}

/* The index's remembered reader settings, one per path of old, into
 * *cfgs (strings in out->store), and its shard unless slice_set. */
static int remembered(xq_db_t *db, const char *dir, const qi_run_paths_t *old, int slice_set,
                      qi_read_cfg_t **cfgs, qi_run_paths_t *out, ql_err_t *e)
{
    char *reader = NULL, *slice = NULL;
    int rc = 0;
    if (!(*cfgs = calloc(old->n + 1, sizeof **cfgs)))
        rc = ql_errf(e, QL_E_NOMEM, "out of memory");
    else if (xq_db_get_metadata(db, QL_META_READER, &reader, NULL) != XQ_OK ||
             xq_db_get_metadata(db, QL_META_SLICE, &slice, NULL) != XQ_OK)
        rc = ql_errf(e, QL_E_IO, "%s: %s", dir, xq_db_error(db));
    else if (qi_read_cfgs_parse(reader, *cfgs, old->n, &out->store) != 0)
        rc = ql_errf(e, QL_E_CORRUPT, "%s: malformed reader settings in the index", dir);
    else if (!slice_set && slice && *slice && qi_slice_parse(slice, &out->slice) != 0)
        rc = ql_errf(e, QL_E_CORRUPT, "%s: malformed shard '%s' in the index", dir, slice);
    free(reader);
    free(slice);
    return rc;
}

/* Whether the run's reader settings are for path (one of out's). */
static int named(const char *path, const qi_run_paths_t *given, qi_paths_mode_t mode)
{
    if (mode != QI_PATHS_SAME) return has(given->paths, given->n, path);
    for (size_t i = 0; i < given->n; i++)
        if (within(given->paths[i], path)) return 1;
    return given->n == 0;
}

/* How each of out's paths is read: the run's settings where it set them
 * for the path, else the path's remembered ones, else the defaults. */
static int settle_reads(qi_run_paths_t *out, const qi_run_paths_t *given, const qi_run_paths_t *old,
                        const qi_read_cfg_t *oldcfg, qi_paths_mode_t mode,
                        const qi_read_cfg_t *read, int read_set, ql_err_t *e)
{
    if (!(out->reads = calloc(out->n + 1, sizeof *out->reads)))
        return ql_errf(e, QL_E_NOMEM, "out of memory");
    for (size_t i = 0; i < out->n; i++) {
        if (read_set && named(out->paths[i], given, mode)) {
            out->reads[i] = *read;
            continue;
        }
        for (size_t k = 0; oldcfg && k < old->n; k++)
            if (!strcmp(old->paths[k], out->paths[i])) out->reads[i] = oldcfg[k];
    }
    return 0;
}

int qi_roots_resolve(const char *index_dir, const char *const *given, size_t n,
                     qi_paths_mode_t mode, const qi_read_cfg_t *read, int read_set,
                     const qi_slice_t *slice, qi_run_paths_t *out, ql_err_t *e)
{
    memset(out, 0, sizeof *out);
    out->slice = *slice;
    qi_run_paths_t g = {0}, old = {0};
    qi_read_cfg_t *oldcfg = NULL;
    ql_index_t idx;
    ql_err_t why = {0};
    char *stored = NULL, *roots = NULL;
    int rc = -1;
    if (mode == QI_PATHS_REMOVE && read_set) {
        ql_errf(e, QL_E_USAGE, "--remove takes no reader settings (--format, --encoding, fields)");
        goto done;
    }
    if (resolve_given(given, n, mode == QI_PATHS_REMOVE, &g, e) != 0) goto done;
    if (ql_index_open(index_dir, &idx, &why) != 0) { /* none yet (or unreadable: rebuilt) */
        if (mode == QI_PATHS_REMOVE)
            ql_errf(e, QL_E_USAGE, "%s: no index to remove folders from", index_dir);
        else if (n == 0 && why.code != QL_E_NOINDEX)
            ql_errf(e, why.code, "%s; name the folders to index it again: quire index PATH...",
                    why.msg);
        else if ((n ? resolve_given(given, n, 0, out, e)
                    : resolve_given((const char *[]){"."}, 1, 0, out, e)) == 0)
            rc = settle_reads(out, &g, &old, NULL, QI_PATHS_SAME, read, 1, e);
        goto done;
    }
    if (xq_db_get_metadata(idx.db, QL_META_PATHS, &stored, NULL) != XQ_OK ||
        xq_db_get_metadata(idx.db, QL_META_ROOTS, &roots, NULL) != XQ_OK)
        ql_errf(e, QL_E_IO, "%s: %s", index_dir, xq_db_error(idx.db));
    else if (split_lines(stored, &old, e) == 0 &&
             remembered(idx.db, index_dir, &old, slice->n != 0, &oldcfg, out, e) == 0 &&
             combine(index_dir, &old, &g, mode, out, e) == 0 &&
             still_there(index_dir, &old, roots, out, e) == 0)
        rc = settle_reads(out, &g, &old, oldcfg, mode, read, read_set, e);
    ql_index_close(&idx);
done:
    free(stored);
    free(roots);
    free(oldcfg);
    qi_run_paths_free(&g);
    qi_run_paths_free(&old);
    return rc;
}
