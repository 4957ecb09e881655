/*
 * file.c - opening and reading only regular files (file.h).
 */
#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *ql_file_kind(const struct stat *st)
{
    if (S_ISFIFO(st->st_mode)) return "a FIFO";
    if (S_ISDIR(st->st_mode)) return "a directory";
    if (S_ISCHR(st->st_mode)) return "a character device";
    if (S_ISBLK(st->st_mode)) return "a block device";
    if (S_ISSOCK(st->st_mode)) return "a socket";
    return "not a regular file";
}

int ql_file_open(const char *path, int *fd, struct stat *st, ql_err_t *e)
{
    struct stat own;
    if (!st) st = &own;
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (*fd < 0) {
        const int err = errno;
        ql_errf(e, QL_E_IO, "%s: %s", path, strerror(err));
        errno = err;
        return -1;
    }
    if (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode)) {
        const int err = errno;
        if (S_ISREG(st->st_mode))
            ql_errf(e, QL_E_IO, "%s: %s", path, strerror(err));
        else
            ql_errf(e, QL_E_IO, "%s: not a regular file (%s)", path, ql_file_kind(st));
        close(*fd);
        *fd = -1;
        errno = S_ISREG(st->st_mode) ? err : EINVAL;
        return -1;
    }
    return 0;
}

int ql_file_read(const char *path, size_t max, char **out, size_t *len, ql_err_t *e)
{
    *out = NULL;
    *len = 0;
    int fd = -1;
    struct stat st;
    if (ql_file_open(path, &fd, &st, e) != 0) return -1;
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        errno = EFBIG;
        return ql_errf(e, QL_E_IO, "%s: too large (%llu MB; at most %zu MB)", path,
                       (unsigned long long)st.st_size >> 20, max >> 20);
    }
    size_t cap = st.st_size > 0 ? (size_t)st.st_size : 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return ql_errf(e, QL_E_NOMEM, "%s: out of memory reading the file", path);
    }
    int rc = 0;
    while (rc == 0) {
        if (n == cap) { /* it grew since fstat: read on, up to max */
            if (cap >= max) {
                rc = ql_errf(e, QL_E_IO, "%s: too large (at most %zu MB)", path, max >> 20);
                break;
            }
            cap = cap * 2 < max ? cap * 2 : max;
            char *p = realloc(buf, cap + 1);
            if (!p) {
                rc = ql_errf(e, QL_E_NOMEM, "%s: out of memory reading the file", path);
                break;
            }
            buf = p;
        }
        const ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) rc = ql_errf(e, QL_E_IO, "%s: %s", path, strerror(errno));
        if (r <= 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (rc != 0) {
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int ql_file_check_dir(const char *dir, ql_err_t *e)
{
    DIR *d = opendir(dir);
    if (!d) return ql_errf(e, QL_E_IO, "%s: %s", dir, strerror(errno));
    int rc = 0;
    const struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char path[8192];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (lstat(path, &st) != 0)
            rc = ql_errf(e, QL_E_IO, "%s: %s", path, strerror(errno));
        else if (!S_ISREG(st.st_mode))
            rc = ql_errf(e, QL_E_CORRUPT, "%s: %s where the index has a file", path,
                         S_ISLNK(st.st_mode) ? "a symlink" : ql_file_kind(&st));
    }
    closedir(d);
    return rc;
}
