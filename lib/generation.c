/*
 * generation.c - building, publishing and finding index generations; the
 * protocol is described in generation.h.
 */
#define _XOPEN_SOURCE 700
#include "generation.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define CURRENT "current"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

int ql_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : -1;
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int mkdir_p(const char *dir)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(tmp, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static int fsync_path(const char *path, int is_dir)
{
    const int fd = open(path, (is_dir ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    const int rc = fsync(fd);
    const int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

/* Parses "gen-000123" or "gen-000123.tmp"; returns the number, 0 if neither. */
static unsigned gen_number(const char *name, int *is_tmp)
{
    if (strncmp(name, "gen-", 4) != 0) return 0;
    char *end = NULL;
    const unsigned long n = strtoul(name + 4, &end, 10);
    if (end == name + 4 || n == 0 || n > 999999999UL) return 0;
    if (*end == '\0')
        *is_tmp = 0;
    else if (strcmp(end, ".tmp") == 0)
        *is_tmp = 1;
    else
        return 0;
    return (unsigned)n;
}

static unsigned current_number(const char *dir)
{
    char link[PATH_MAX + 64], target[256];
    snprintf(link, sizeof link, "%s/" CURRENT, dir);
    const ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0) return 0;
    target[n] = '\0';
    int tmp = 0;
    const unsigned g = gen_number(target, &tmp);
    return tmp ? 0 : g;
}

/* Refuses to scatter generations into a directory that is not an index. */
static int looks_like_foreign_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int foreign = 0, quire = 0;
    const struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        int tmp = 0;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (!strcmp(de->d_name, "lock") || !strcmp(de->d_name, "watch") ||
            !strcmp(de->d_name, CURRENT) || gen_number(de->d_name, &tmp))
            quire = 1;
        else
            foreign = 1;
    }
    closedir(d);
    return foreign && !quire;
}

int ql_gen_begin(const char *dir, ql_gen_t *g, ql_err_t *e)
{
    memset(g, 0, sizeof *g);
    g->lock_fd = -1;
    if (snprintf(g->dir, sizeof g->dir, "%s", dir) >= (int)sizeof g->dir)
        return ql_errf(e, QL_E_IO, "%s: index path too long", dir);
    if (mkdir_p(dir) != 0)
        return ql_errf(e, QL_E_IO, "%s: cannot create index directory: %s", dir, strerror(errno));
    if (looks_like_foreign_dir(dir))
        return ql_errf(e, QL_E_USAGE, "%s: exists and is not a quire index; choose another --index",
                       dir);

    char lock[PATH_MAX + 64];
    snprintf(lock, sizeof lock, "%s/lock", dir);
    g->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (g->lock_fd < 0)
        return ql_errf(e, QL_E_IO, "%s: cannot open lock file: %s", lock, strerror(errno));
    if (flock(g->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        const int busy = errno == EWOULDBLOCK;
        char pid[32] = "";
        const ssize_t n = pread(g->lock_fd, pid, sizeof pid - 1, 0);
        if (n > 0) pid[strcspn(pid, "\n")] = '\0';
        close(g->lock_fd);
        g->lock_fd = -1;
        if (busy)
            return ql_errf(e, QL_E_LOCKED,
                           "%s: another quire index (pid %s) is writing this index; try again "
                           "when it finishes",
                           dir, n > 0 ? pid : "?");
        return ql_errf(e, QL_E_IO, "%s: cannot lock: %s", lock, strerror(errno));
    }
    char pid[32];
    const int pn = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(g->lock_fd, 0) == 0 && pwrite(g->lock_fd, pid, (size_t)pn, 0) < 0) {
        /* the pid is only a courtesy for the message above */
    }

    unsigned max = 0;
    DIR *d = opendir(dir);
    if (!d) {
        ql_errf(e, QL_E_IO, "%s: cannot list: %s", dir, strerror(errno));
        goto fail;
    }
    const struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        int tmp = 0;
        const unsigned n = gen_number(de->d_name, &tmp);
        if (n > max) max = n;
        if (n && tmp) { /* left by a crashed writer: we hold the lock, so it is dead */
            char path[PATH_MAX + 512];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            ql_rmtree(path);
        }
    }
    closedir(d);
    g->previous = current_number(dir);
    g->number = max + 1;
    if (snprintf(g->final, sizeof g->final, "%s/gen-%06u", dir, g->number) >=
            (int)sizeof g->final ||
        snprintf(g->tmp, sizeof g->tmp, "%s.tmp", g->final) >= (int)sizeof g->tmp) {
        ql_errf(e, QL_E_IO, "%s: index path too long", dir);
        goto fail;
    }
    return 0;
fail:
    close(g->lock_fd);
    g->lock_fd = -1;
    return -1;
}

static int sync_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int rc = 0;
    const struct dirent *de;
    while ((de = readdir(d)) != NULL && rc == 0) {
        if (de->d_name[0] == '.') continue;
        char path[PATH_MAX + 512];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        rc = fsync_path(path, 0);
    }
    closedir(d);
    return rc == 0 ? fsync_path(dir, 1) : rc;
}

static void release(ql_gen_t *g)
{
    if (g->lock_fd >= 0) close(g->lock_fd);
    g->lock_fd = -1;
}

void ql_abort_point(const char *step)
{
    const char *at = getenv("QUIRE_ABORT_AT");
    if (at && strcmp(at, step) == 0) _exit(QL_ABORT_STATUS);
}

int ql_gen_publish(ql_gen_t *g, ql_err_t *e)
{
    char link_tmp[PATH_MAX + 64], link[PATH_MAX + 64], target[64];
    snprintf(link, sizeof link, "%s/" CURRENT, g->dir);
    snprintf(link_tmp, sizeof link_tmp, "%s/" CURRENT ".tmp", g->dir);
    snprintf(target, sizeof target, "gen-%06u", g->number);

    if (sync_tree(g->tmp) != 0) {
        ql_errf(e, QL_E_IO, "%s: cannot sync new index: %s", g->tmp, strerror(errno));
        goto fail;
    }
    ql_abort_point("synced");
    if (rename(g->tmp, g->final) != 0) {
        ql_errf(e, QL_E_IO, "%s: cannot publish: %s", g->final, strerror(errno));
        goto fail;
    }
    ql_abort_point("renamed");
    unlink(link_tmp);
    int linked = symlink(target, link_tmp) == 0 && fsync_path(g->dir, 1) == 0;
    if (linked) {
        ql_abort_point("linked");
        linked = rename(link_tmp, link) == 0;
    }
    if (!linked) {
        ql_errf(e, QL_E_IO, "%s: cannot switch to the new index: %s", link, strerror(errno));
        unlink(link_tmp);
        ql_rmtree(g->final);
        goto fail_unlocked;
    }
    ql_abort_point("switched");
    if (fsync_path(g->dir, 1) != 0) {
        /* The switch happened; only its durability is in doubt. Say so. */
        ql_errf(e, QL_E_IO, "%s: index published but not synced: %s", g->dir, strerror(errno));
        release(g);
        return -1;
    }

    /* Keep the new and the previous generation; drop everything older. */
    DIR *d = opendir(g->dir);
    if (d) {
        const struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            int tmp = 0;
            const unsigned n = gen_number(de->d_name, &tmp);
            if (n && !tmp && n != g->number && n != g->previous) {
                char path[PATH_MAX + 512];
                snprintf(path, sizeof path, "%s/%s", g->dir, de->d_name);
                ql_rmtree(path);
            }
        }
        closedir(d);
    }
    release(g);
    return 0;
fail:
    ql_rmtree(g->tmp);
fail_unlocked:
    release(g);
    return -1;
}

/* Total bytes of the regular files in dir. */
static unsigned long long dir_bytes(const char *dir)
{
    unsigned long long total = 0;
    DIR *d = opendir(dir);
    const struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        char path[PATH_MAX + 512];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) total += (unsigned long long)st.st_size;
    }
    if (d) closedir(d);
    return total;
}

int ql_gen_make_room(ql_gen_t *g, int keep_previous)
{
    if (!g->previous || keep_previous) return 0;
    char cur[PATH_MAX + 32];
    snprintf(cur, sizeof cur, "%s/gen-%06u", g->dir, g->previous);
    /* a full build holds its shard databases and the merged one at once:
     * 2.3 times the index it makes (corpus/ and SOTU, measured) */
    const unsigned long long need = dir_bytes(cur) * 5 / 2;
    struct statvfs fs;
    if (statvfs(g->dir, &fs) != 0 || (unsigned long long)fs.f_bavail * fs.f_frsize >= need)
        return 0;
    int removed = 0;
    DIR *d = opendir(g->dir);
    const struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        int tmp = 0;
        const unsigned n = gen_number(de->d_name, &tmp);
        if (n && !tmp && n != g->previous) {
            char path[PATH_MAX + 512];
            snprintf(path, sizeof path, "%s/%s", g->dir, de->d_name);
            removed += ql_rmtree(path) == 0;
        }
    }
    if (d) closedir(d);
    return removed;
}

void ql_gen_abort(ql_gen_t *g)
{
    if (g->tmp[0]) ql_rmtree(g->tmp);
    release(g);
}

int ql_gen_current(const char *dir, char *out, size_t cap, ql_err_t *e)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ql_errf(e, QL_E_NOINDEX, "no index at %s \xe2\x80\x94 run: quire index", dir);
    const unsigned n = current_number(dir);
    if (n == 0)
        return ql_errf(e, QL_E_NOINDEX,
                       "no index at %s (nothing published yet) \xe2\x80\x94 run: quire index", dir);
    if (snprintf(out, cap, "%s/gen-%06u", dir, n) >= (int)cap)
        return ql_errf(e, QL_E_IO, "%s: index path too long", dir);
    return 0;
}
