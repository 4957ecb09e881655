/*
 * walk.c - deterministic directory walk (see walk.h).
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "buf.h"
#include "ignore.h"

typedef struct {
    dev_t dev;
    ino_t ino;
} dir_id_t;

typedef struct {
    const qi_walk_opts_t *o;
    dir_id_t *seen;
    size_t nseen, capseen;
    size_t root_len;     /* bytes of path that are the root plus '/' */
    qi_ignore_t *ig;     /* the rules that leave files out */
    char real[PATH_MAX]; /* the root, resolved */
} walker_t;

/* Whether the resolved path p is the root or inside it. */
static int inside(const walker_t *w, const char *p)
{
    const size_t n = strlen(w->real);
    if (n == 1) return 1; /* the root is / */
    return strncmp(p, w->real, n) == 0 && (p[n] == '/' || p[n] == '\0');
}

/* Filesystems that are the kernel's, not documents: walking /proc reads
 * files that never end and trees that change as they are read. */
static int system_fs(const char *path)
{
    static const long magic[] = {
        0x9fa0,     /* proc */
        0x62656572, /* sysfs */
        0x1cd1,     /* devpts */
        0x64626720, /* debugfs */
        0x74726163, /* tracefs */
        0x27e0eb,   /* cgroup */
        0x63677270, /* cgroup2 */
        0x73636673, /* securityfs */
        0xcafe4a11, /* bpf */
        0x6165676c, /* pstore */
        0x62656570, /* configfs */
        0x65735543, /* fusectl */
        0x19800202, /* mqueue */
    };
    struct statfs fs;
    if (statfs(path, &fs) != 0) return 0;
    for (size_t i = 0; i < sizeof magic / sizeof *magic; i++)
        if ((long)fs.f_type == magic[i]) return 1;
    return 0;
}

static void skipped(walker_t *w, const char *path, const char *msg)
{
    if (w->o->skip) w->o->skip(w->o->ctx, path, msg);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int remember(walker_t *w, dev_t dev, ino_t ino)
{
    for (size_t i = 0; i < w->nseen; i++)
        if (w->seen[i].dev == dev && w->seen[i].ino == ino) return 0;
    if (w->nseen == w->capseen) {
        const size_t cap = w->capseen ? w->capseen * 2 : 64;
        dir_id_t *p = realloc(w->seen, cap * sizeof *p);
        if (!p) return -1;
        w->seen = p;
        w->capseen = cap;
    }
    w->seen[w->nseen++] = (dir_id_t){dev, ino};
    return 1;
}

static int walk_dir(walker_t *w, ql_buf_t *path);
static int walk_entries(walker_t *w, ql_buf_t *path);

static int visit(walker_t *w, ql_buf_t *path)
{
    struct stat st;
    if (lstat(path->data, &st) == 0 && S_ISLNK(st.st_mode) && !w->o->follow_outside) {
        char to[PATH_MAX];
        if (realpath(path->data, to) && !inside(w, to)) {
            char msg[PATH_MAX + 128];
            snprintf(msg, sizeof msg,
                     "a symlink to %s, outside the folder being indexed; skipped "
                     "(--follow-outside follows it)",
                     to);
            skipped(w, path->data, msg);
            return 0;
        }
    }
    if (stat(path->data, &st) != 0) {
        if (w->o->warn) w->o->warn(w->o->ctx, path->data, strerror(errno));
        return 0;
    }
    if (path->len > w->root_len &&
        qi_ignore_match(w->ig, path->data + w->root_len, S_ISDIR(st.st_mode))) {
        if (w->o->excluded) w->o->excluded(w->o->ctx, path->data, "excluded");
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        if (w->o->skip_ino && st.st_dev == w->o->skip_dev && st.st_ino == w->o->skip_ino) return 0;
        if (system_fs(path->data)) {
            skipped(w, path->data, "a system filesystem (like /proc), not walked");
            return 0;
        }
        const int fresh = remember(w, st.st_dev, st.st_ino);
        if (fresh <= 0) return fresh; /* -1: OOM; 0: already walked (a loop) */
        return walk_dir(w, path);
    }
    if (!S_ISREG(st.st_mode)) return 0;
    qi_walk_file_t f = {path->data, path->data + w->root_len, st.st_size,
                        (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
    return w->o->file(w->o->ctx, &f);
}

/* Whether a directory entry is hidden from the walk. */
static int hidden(const walker_t *w, const char *name)
{
    if (name[0] != '.') return 0;
    if (!w->o->hidden || !strcmp(name, ".") || !strcmp(name, "..")) return 1;
    return !strcmp(name, ".git") || !strcmp(name, ".quire");
}

/* The folder at path, its ignore files' rules in force while it is walked. */
static int walk_dir(walker_t *w, ql_buf_t *path)
{
    char reldir[PATH_MAX];
    snprintf(reldir, sizeof reldir, "%s%s", path->len > w->root_len ? path->data + w->root_len : "",
             path->len > w->root_len ? "/" : "");
    if (qi_ignore_enter(w->ig, path->data, reldir) != 0) return -1;
    const int rc = walk_entries(w, path);
    qi_ignore_leave(w->ig);
    return rc;
}

static int walk_entries(walker_t *w, ql_buf_t *path)
{
    DIR *d = opendir(path->data);
    if (!d) {
        if (w->o->warn) w->o->warn(w->o->ctx, path->data, strerror(errno));
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    const struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (hidden(w, de->d_name)) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                rc = -1;
                goto done;
            }
            names = p;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = -1;
            goto done;
        }
        n++;
    }
    if (n) qsort(names, n, sizeof *names, cmp_names); /* names is NULL when n is 0 */
    const size_t base = path->len;
    for (size_t i = 0; i < n && rc == 0; i++) {
        path->len = base;
        if (base && path->data[base - 1] != '/') ql_buf_addc(path, '/');
        ql_buf_adds(path, names[i]);
        if (path->oom) {
            rc = -1;
            break;
        }
        rc = visit(w, path);
    }
    path->len = base;
    if (path->data) path->data[base] = '\0';
done:
    closedir(d);
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
}

int qi_walk(const char *root, const qi_walk_opts_t *o)
{
    walker_t w = {o, NULL, 0, 0, 0, NULL, ""};
    if (!realpath(root, w.real)) snprintf(w.real, sizeof w.real, "%s", root);
    if (!(w.ig = qi_ignore_new(root, o->exclude, !o->no_ignore))) return -1;
    ql_buf_t path = {0};
    ql_buf_adds(&path, root);
    while (path.len > 1 && path.data[path.len - 1] == '/') path.data[--path.len] = '\0';
    w.root_len = path.len + (path.data[path.len - 1] == '/' ? 0 : 1);
    int rc = path.oom || !path.data ? -1 : visit(&w, &path);
    free(w.seen);
    qi_ignore_free(w.ig);
    ql_buf_free(&path);
    return rc;
}
