/*
 * walk.h - finding the files to index, in a deterministic order.
 *
 * Directories are read whole and their entries sorted bytewise, so the same
 * tree always yields the same sequence. Hidden entries (a leading '.') are
 * skipped unless asked for (never .git or .quire), as are files and folders
 * the ignore rules leave out (ignore.h: --exclude, .quireignore, and
 * .gitignore inside a git work tree). Only regular files are reported (not FIFOs, devices,
 * sockets). Symlinks are followed when they lead to a place inside the folder being walked
 * (resolved with realpath); one that leads outside it - to /etc/passwd, to / - is skipped and
 * reported, unless follow_outside. No directory is entered twice (by device and inode), so loops
 * and links to an ancestor end quietly, and system filesystems (proc, sysfs, devpts, cgroup and the
 * like) are never entered. One directory (the index itself, when it sits inside the corpus) can be
 * excluded.
 */
#ifndef QUIRE_WALK_H
#define QUIRE_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct qi_walk_file {
    const char *path;    /* as openable from the working directory */
    const char *relpath; /* relative to the root the walk started from */
    off_t size;
    int64_t mtime_ns; /* modification time, nanoseconds since the epoch */
} qi_walk_file_t;

/* Return non-zero to stop the walk. */
typedef int (*qi_walk_fn)(void *ctx, const qi_walk_file_t *f);
/* A directory that could not be read; the walk goes on. */
typedef void (*qi_walk_warn_fn)(void *ctx, const char *path, const char *msg);

typedef struct qi_walk_opts {
    dev_t skip_dev; /* a directory never to enter (skip_ino 0: none) */
    ino_t skip_ino;
    qi_walk_fn file;
    qi_walk_warn_fn warn; /* something could not be read (msg: why) */
    void *ctx;
    int follow_outside;       /* follow symlinks that lead outside the root too */
    qi_walk_warn_fn skip;     /* something deliberately passed over (a symlink leading
                               * outside, a system filesystem); msg says what */
    const char *exclude;      /* '\t'-separated globs to leave out (ignore.h); NULL: none */
    int no_ignore;            /* read no .quireignore or .gitignore file */
    int hidden;               /* walk hidden files and folders too */
    qi_walk_warn_fn excluded; /* a file or folder the rules left out (may be NULL) */
} qi_walk_opts_t;

/* Walks the directory root, calling o->file for each regular file found.
 * Returns 0, the callback's non-zero value, or -1 when out of memory. */
int qi_walk(const char *root, const qi_walk_opts_t *o);

#endif
