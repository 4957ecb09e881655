/*
 * fuzz_walk.c - libFuzzer target for the directory walk (qi_walk) over fake
 * trees built from the input in a scratch folder: files, folders, FIFOs,
 * symlinks inside and out of the tree (to /, to /etc/passwd, to a folder
 * beside it, to an ancestor: a loop), names with any bytes but '/' and NUL.
 * The walk must end, report only regular files inside the tree, each once,
 * with relative paths, and follow no link out of it.
 *
 * Input: records of one kind byte and a name (up to the next 0 byte):
 * kind % 6 is 0 file, 1 folder (entered), 2 back up a folder, 3 FIFO,
 * 4 symlink to a name already made, 5 symlink out (/, /etc/passwd, ..).
 */
#include "walk.h"

#include "generation.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[PATH_MAX], real_root[PATH_MAX], scratch[PATH_MAX];

static void remove_scratch(void)
{
    if (scratch[0]) ql_rmtree(scratch);
}

typedef struct {
    size_t files;
    char seen[64][PATH_MAX];
} check_t;

static int on_file(void *ctx, const qi_walk_file_t *f)
{
    check_t *c = ctx;
    struct stat st;
    char real[PATH_MAX];
    if (f->relpath[0] == '/' || stat(f->path, &st) != 0 || !S_ISREG(st.st_mode)) abort();
    if (!realpath(f->path, real) || strncmp(real, real_root, strlen(real_root)) != 0) abort();
    for (size_t i = 0; i < c->files && i < 64; i++)
        if (!strcmp(c->seen[i], f->relpath)) abort(); /* reported twice */
    if (c->files < 64) snprintf(c->seen[c->files], sizeof c->seen[0], "%s", f->relpath);
    c->files++;
    return 0;
}

/* Builds the tree the input describes under root. */
static void build(const uint8_t *data, size_t size)
{
    char cwd[PATH_MAX], last[PATH_MAX] = "";
    snprintf(cwd, sizeof cwd, "%s", root);
    for (size_t i = 0; i < size && strlen(cwd) < PATH_MAX - 300;) {
        const int kind = data[i++] % 6;
        char name[64];
        size_t n = 0;
        while (i < size && data[i] && n < 40) {
            const char c = (char)data[i++];
            name[n++] = c == '/' ? '_' : c;
        }
        while (i < size && data[i]) i++;
        i++;
        if (n == 0 || (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
            name[0] = 'x', n = n ? n : 1;
        name[n] = '\0';
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", cwd, name);
        if (kind == 0) { /* O_EXCL: a FIFO already there must not block the harness */
            const int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NONBLOCK, 0644);
            if (fd >= 0) close(fd);
        } else if (kind == 1) {
            if (mkdir(path, 0755) == 0) snprintf(cwd, sizeof cwd, "%s", path);
        } else if (kind == 2) {
            if (strcmp(cwd, root) != 0) *strrchr(cwd, '/') = '\0';
            continue;
        } else if (kind == 3) {
            mkfifo(path, 0644);
        } else if (kind == 4 && last[0]) {
            if (symlink(last, path) != 0) continue;
        } else if (kind == 5) {
            static const char *const out[] = {"/", "/etc/passwd", "/proc", "..", "../..", "/tmp"};
            if (symlink(out[(unsigned char)name[0] % 6], path) != 0) continue;
        }
        snprintf(last, sizeof last, "%s", path);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(root, sizeof root, "%s/quire-fuzz-walk-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(root) || !realpath(root, real_root)) abort();
        snprintf(scratch, sizeof scratch, "%s", root);
        atexit(remove_scratch);
    }
    char tree[PATH_MAX];
    snprintf(tree, sizeof tree, "%s/tree", root);
    ql_rmtree(tree);
    if (mkdir(tree, 0755) != 0) abort();
    char saved[PATH_MAX];
    snprintf(saved, sizeof saved, "%s", root);
    snprintf(root, sizeof root, "%s", tree);
    snprintf(real_root, sizeof real_root, "%s", tree);
    if (!realpath(tree, real_root)) abort();
    build(data, size);
    static check_t c;
    c.files = 0;
    const qi_walk_opts_t o = {.file = on_file, .ctx = &c};
    if (qi_walk(tree, &o) != 0) abort();
    snprintf(root, sizeof root, "%s", saved);
    return 0;
}
