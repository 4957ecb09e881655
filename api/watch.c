/*
 * watch.c - quire_watch() (quire.h): keeps an index current. It holds
 * DIR/watch (flock()ed, with its pid) so a second watcher is refused by
 * name, updates the index once, then watches every folder under the
 * index's roots with inotify (new folders are added as they appear;
 * hidden ones and the index itself are not watched, as the walk skips
 * them) and, after a quiet spell (debounce) following any change, runs
 * quire_index() again: the same crash-safe update that publishes a new
 * generation atomically. When the kernel's watch limit is reached it says
 * so once and falls back to a rescan every rescan_s seconds. The caller's
 * stop callback ends it between updates or cancels one under way (the
 * published index untouched).
 */
#include "api.h"

#include "roots.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EVENTS                                                                                     \
    (IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |            \
     IN_DELETE_SELF | IN_MOVE_SELF | IN_MODIFY)

typedef struct {
    const quire_index_opts_t *o;
    const quire_watch_opts_t *w;
    int fd;              /* inotify */
    unsigned watches;    /* added */
    unsigned limit;      /* at most this many (a test hook); 0: the kernel's */
    int degraded;        /* the limit was hit: periodic rescans */
    char skip[PATH_MAX]; /* the index directory, never watched */
} watcher_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void note(const watcher_t *x, const char *fmt, const char *arg)
{
    if (!x->w->note) return;
    char msg[PATH_MAX + 256];
    snprintf(msg, sizeof msg, fmt, arg);
    x->w->note(x->w->ctx, msg);
}

/* Watches dir and every folder under it; on hitting the limit, says so
 * once and degrades to rescans. */
static void watch_tree(watcher_t *x, const char *dir)
{
    char real[PATH_MAX];
    if (x->degraded || !realpath(dir, real) || !strcmp(real, x->skip)) return;
    if ((x->limit && x->watches >= x->limit) || inotify_add_watch(x->fd, dir, EVENTS) < 0) {
        if (x->limit ? x->watches >= x->limit : errno == ENOSPC) {
            x->degraded = 1;
            note(x, "the inotify watch limit is reached (at %s); rescanning periodically instead",
                 dir);
        }
        return;
    }
    x->watches++;
    DIR *d = opendir(dir);
    for (struct dirent *de; d && (de = readdir(d));) {
        if (de->d_name[0] == '.') continue; /* hidden, as the walk skips them */
        char sub[PATH_MAX];
        if (snprintf(sub, sizeof sub, "%s/%s", dir, de->d_name) >= (int)sizeof sub) continue;
        struct stat st;
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) watch_tree(x, sub);
    }
    if (d) closedir(d);
}

/* Watches the roots the index was built from. error may be NULL. */
static int watch_roots(watcher_t *x, char **error)
{
    qi_run_paths_t run;
    const qi_read_cfg_t none = {0};
    const qi_slice_t all = {0, 0};
    ql_err_t e = {0};
    if (qi_roots_resolve(x->o->index_dir, NULL, 0, QI_PATHS_SAME, &none, 0, &all, &run, &e) != 0) {
        qi_run_paths_free(&run);
        api_error_out(error, e.msg);
        return -1;
    }
    for (size_t i = 0; i < run.n; i++) {
        struct stat st;
        if (stat(run.paths[i], &st) == 0 && S_ISDIR(st.st_mode)) watch_tree(x, run.paths[i]);
    }
    qi_run_paths_free(&run);
    return 0;
}

/* Reads pending events; 1 when any concerns the files (new folders are
 * watched as they come). */
static int drain(watcher_t *x)
{
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    int changed = 0;
    for (;;) {
        const ssize_t n = read(x->fd, buf, sizeof buf);
        if (n <= 0) break;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) { /* events were lost: new folders too */
                changed = 2;
                continue;
            }
            if (ev->len && ev->name[0] == '.') continue; /* hidden: editors' swap files */
            changed = 1;
            if ((ev->mask & (IN_CREATE | IN_MOVED_TO)) && (ev->mask & IN_ISDIR))
                changed = 2; /* a new folder: rewatched below */
        }
    }
    return changed;
}

typedef struct {
    const quire_watch_opts_t *w;
    const quire_index_opts_t *o;
} relay_t;

static quire_status_t refuse_watch(char **error)
{
    api_error_out(error, "no index options, watch options or index directory (NULL)");
    return QUIRE_BAD_ARGUMENT;
}

static void relay_warning(void *ctx, const char *path, const char *msg)
{
    const relay_t *r = ctx;
    if (r->o->warning) r->o->warning(r->o->ctx, path, msg);
}

static int cancel_when_stopped(void *ctx, const quire_progress_t *p)
{
    const relay_t *r = ctx;
    if (r->w->stop && r->w->stop(r->w->ctx)) return QUIRE_STOP;
    return r->o->progress ? r->o->progress(r->o->ctx, p) : QUIRE_CONTINUE;
}

/* One update; QUIRE_STOPPED when the caller stopped it. */
static quire_status_t update(const watcher_t *x, char **error)
{
    relay_t r = {x->w, x->o};
    quire_index_opts_t o = *x->o;
    o.progress = cancel_when_stopped;
    o.ctx = &r;
    o.warning = relay_warning;
    quire_index_stats_t st;
    const quire_status_t s = quire_index(&o, &st, error);
    if (s == QUIRE_OK && x->w->updated) x->w->updated(x->w->ctx, &st);
    return s;
}

/* DIR/watch, flock()ed for as long as the watch runs, holding its pid. */
static quire_status_t take_lock(const char *dir, int *fd, char **error)
{
    char path[PATH_MAX + 16], msg[PATH_MAX + 128];
    snprintf(path, sizeof path, "%s/watch", dir);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(msg, sizeof msg, "%s: cannot create the index directory: %s", dir,
                 strerror(errno));
        api_error_out(error, msg);
        return QUIRE_IO;
    }
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (*fd < 0 || flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        if (*fd >= 0) {
            const ssize_t n = pread(*fd, pid, sizeof pid - 1, 0);
            pid[n > 0 ? n : 0] = '\0';
            pid[strcspn(pid, "\n")] = '\0';
            close(*fd);
        }
        snprintf(msg, sizeof msg, "%s is already watched by another quire index --watch (pid %s)",
                 dir, pid[0] ? pid : "?");
        api_error_out(error, msg);
        return QUIRE_LOCKED;
    }
    const int len = snprintf(msg, sizeof msg, "%ld\n", (long)getpid());
    if (ftruncate(*fd, 0) != 0 ||
        pwrite(*fd, msg, (size_t)len, 0) < 0) { /* the pid is a courtesy */
    }
    return QUIRE_OK;
}

/* One turn of the loop: waits for events or the next deadline, then
 * updates when the files have been quiet for the debounce time (or a
 * rescan is due). Returns QUIRE_STOPPED when the caller stopped. */
static quire_status_t turn(watcher_t *x, int *dirty, double *last, double *scanned)
{
    const double debounce = (x->w->debounce_ms ? x->w->debounce_ms : 1000) / 1000.0;
    const char *hook = getenv("QUIRE_TEST_WATCH_RESCAN"); /* a test hook: seconds */
    const double rescan = hook ? strtod(hook, NULL) : x->w->rescan_s ? x->w->rescan_s : 60;
    double wait = 0.25;
    if (*dirty && *last + debounce - now_s() < wait) wait = *last + debounce - now_s();
    struct pollfd p = {x->fd, POLLIN, 0};
    if (poll(&p, 1, wait > 0 ? (int)(wait * 1000) + 1 : 0) > 0) {
        const int c = drain(x);
        if (c) {
            *dirty = 1;
            *last = now_s();
        }
        if (c == 2) watch_roots(x, NULL); /* new folders; watched ones are the same watch */
    }
    if (x->w->stop && x->w->stop(x->w->ctx)) return QUIRE_STOPPED;
    const int due =
        (*dirty && now_s() - *last >= debounce) || (x->degraded && now_s() - *scanned >= rescan);
    if (!due) return QUIRE_OK;
    char *error = NULL;
    const quire_status_t s = update(x, &error);
    *scanned = now_s();
    if (s == QUIRE_STOPPED) return s;
    if (s == QUIRE_LOCKED) { /* another writer: try again after it */
        *last = now_s();
    } else {
        *dirty = 0;
        if (s != QUIRE_OK) note(x, "update failed: %s", error ? error : quire_status_to_string(s));
    }
    free(error);
    return QUIRE_OK;
}

quire_status_t quire_watch(const quire_index_opts_t *o, const quire_watch_opts_t *w, char **error)
{
    if (error) *error = NULL;
    if (!o || !w || !o->index_dir) return refuse_watch(error);
    int lock = -1;
    quire_status_t st = take_lock(o->index_dir, &lock, error);
    if (st != QUIRE_OK) return st;
    watcher_t x = {o, w, -1, 0, 0, 0, ""};
    const char *cap = getenv("QUIRE_TEST_WATCH_LIMIT"); /* a test hook: a small kernel limit */
    if (cap) x.limit = (unsigned)strtoul(cap, NULL, 10);
    if (!realpath(o->index_dir, x.skip)) x.skip[0] = '\0';
    st = update(&x, error);
    /* later updates: the folders and settings the index now remembers */
    quire_index_opts_t later = {.index_dir = o->index_dir,
                                .jobs = o->jobs,
                                .keep_previous = o->keep_previous,
                                .progress = o->progress,
                                .warning = o->warning,
                                .ctx = o->ctx};
    x.o = &later;
    if (st == QUIRE_OK && (x.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
        api_error_out(error, "cannot watch files: inotify is not available");
        st = QUIRE_IO;
    }
    if (st == QUIRE_OK && watch_roots(&x, error) != 0) st = QUIRE_BAD_ARGUMENT;
    int dirty = 0;
    double last = 0, scanned = now_s();
    while (st == QUIRE_OK) st = turn(&x, &dirty, &last, &scanned);
    if (x.fd >= 0) close(x.fd);
    close(lock);
    return st == QUIRE_STOPPED ? QUIRE_OK : st;
}
