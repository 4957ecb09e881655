/*
 * copy.c - a directory's files copied by several threads (copy.h).
 *
 * Every file is opened (source) and created (target) first, on the calling
 * thread; worker threads then take whole files, largest first - two threads
 * writing one file wait for each other on its inode lock (ext4 takes it for
 * every buffered write: measured, a tenth of all CPU spinning). Each file
 * is copied in pieces of PIECE bytes with copy_file_range (free on
 * filesystems with reflinks; read and write where the kernel cannot copy
 * between the two filesystems), each piece handed to the disk at once
 * (sync_file_range): the copy is fsynced when the generation is published,
 * and by then most of it is written. The first failure is kept and the
 * others stop.
 */
#define _GNU_SOURCE /* copy_file_range, sync_file_range */
#include "copy.h"

#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIECE ((off_t)32 << 20)
#define MAX_FILES 64
#define MAX_THREADS 16

typedef struct {
    char name[256];
    int in, out;
    off_t size;
} file_t;

typedef struct {
    file_t f[MAX_FILES];
    size_t order[MAX_FILES]; /* the files, largest first: the order workers take them */
    size_t n;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t mu;
    int err;      /* errno of the first failure; 0 while none */
    size_t which; /* its file */
} job_t;

/* Copies len bytes at off of f, in the kernel when it can. 0 or an errno. */
static int copy_piece(const file_t *f, off_t off, off_t len)
{
    off_t in_at = off, out_at = off;
    while (len > 0) {
        ssize_t n = copy_file_range(f->in, &in_at, f->out, &out_at, (size_t)len, 0);
        if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL)) {
            char buf[1 << 16]; /* no in-kernel copy between these filesystems */
            n = pread(f->in, buf, (size_t)(len < (off_t)sizeof buf ? len : (off_t)sizeof buf),
                      in_at);
            if (n > 0 && pwrite(f->out, buf, (size_t)n, out_at) != n) n = -1;
            if (n > 0) in_at += n, out_at += n;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) return EIO; /* the file shrank under us */
        if (n < 0) return errno;
        len -= n;
    }
    return 0;
}

static void *worker(void *arg)
{
    job_t *j = arg;
    for (;;) {
        const size_t k = atomic_fetch_add(&j->next, 1);
        if (k >= j->n) break;
        const file_t *f = &j->f[j->order[k]];
        int err = 0;
        for (off_t off = 0; !err && off < f->size && !atomic_load(&j->stop); off += PIECE) {
            const off_t len = f->size - off < PIECE ? f->size - off : PIECE;
            err = copy_piece(f, off, len);
            /* start writing it to disk now, so the publish's fsync finds it
             * written (a hint: its failure is fsync's to report) */
            if (!err) (void)sync_file_range(f->out, off, len, SYNC_FILE_RANGE_WRITE);
        }
        if (!err) continue;
        pthread_mutex_lock(&j->mu);
        if (!j->err) j->err = err, j->which = (size_t)(f - j->f);
        pthread_mutex_unlock(&j->mu);
        atomic_store(&j->stop, 1); /* the others stop */
    }
    return NULL;
}

/* The files largest first (a few dozen at most: insertion). */
static void largest_first(job_t *j)
{
    for (size_t i = 1; i < j->n; i++)
        for (size_t k = i; k > 0 && j->f[j->order[k]].size > j->f[j->order[k - 1]].size; k--) {
            const size_t t = j->order[k];
            j->order[k] = j->order[k - 1];
            j->order[k - 1] = t;
        }
}

/* Opens the entries of from and creates their copies in to. */
static int open_all(job_t *j, const char *from, const char *to, int (*skip)(const char *),
                    ql_err_t *e)
{
    DIR *d = opendir(from);
    if (!d) return ql_errf(e, QL_E_IO, "%s: %s", from, strerror(errno));
    int rc = 0;
    const struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || (skip && skip(de->d_name))) continue;
        char a[8192], b[8192];
        snprintf(a, sizeof a, "%s/%s", from, de->d_name);
        snprintf(b, sizeof b, "%s/%s", to, de->d_name);
        struct stat st;
        if (j->n == MAX_FILES || strlen(de->d_name) >= sizeof j->f->name) {
            rc = ql_errf(e, QL_E_CORRUPT, "%s: unexpected file %s", from, de->d_name);
            break;
        }
        file_t *f = &j->f[j->n];
        if (lstat(a, &st) != 0) {
            rc = ql_errf(e, QL_E_IO, "%s: %s", a, strerror(errno));
            break;
        }
        if (!S_ISREG(st.st_mode)) { /* a FIFO or a link: damage, not data */
            rc = ql_errf(e, QL_E_CORRUPT, "%s: %s where the index has a file", a,
                         S_ISLNK(st.st_mode) ? "a symlink" : ql_file_kind(&st));
            break;
        }
        if (ql_file_open(a, &f->in, &st, e) != 0) {
            rc = -1;
            break;
        }
        f->out = open(b, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (f->out < 0) {
            rc = ql_errf(e, QL_E_IO, "%s: %s", b, strerror(errno));
            close(f->in);
            break;
        }
        snprintf(f->name, sizeof f->name, "%s", de->d_name);
        f->size = st.st_size;
        j->order[j->n] = j->n;
        j->n++;
    }
    closedir(d);
    return rc;
}

int ql_copy_dir(const char *from, const char *to, int (*skip)(const char *name), unsigned threads,
                ql_err_t *e)
{
    job_t *j = calloc(1, sizeof *j);
    if (!j) return ql_errf(e, QL_E_NOMEM, "out of memory");
    pthread_mutex_init(&j->mu, NULL);
    int rc = open_all(j, from, to, skip, e);
    if (rc != 0) goto done;
    pthread_t t[MAX_THREADS];
    size_t started = 0, want = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
    if (want > j->n) want = j->n ? j->n : 1;
    largest_first(j);
    while (started + 1 < want && pthread_create(&t[started], NULL, worker, j) == 0) started++;
    worker(j); /* this thread is one of them */
    for (size_t i = 0; i < started; i++) pthread_join(t[i], NULL);
    if (j->err) rc = ql_errf(e, QL_E_IO, "%s/%s: %s", to, j->f[j->which].name, strerror(j->err));
done:
    for (size_t i = 0; i < j->n; i++) {
        close(j->f[i].in);
        if (close(j->f[i].out) != 0 && rc == 0)
            rc = ql_errf(e, QL_E_IO, "%s/%s: %s", to, j->f[i].name, strerror(errno));
    }
    pthread_mutex_destroy(&j->mu);
    free(j);
    return rc;
}
