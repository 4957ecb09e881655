/*
 * integrity.c - the generation manifest and its verification (integrity.h).
 * The manifest is plain text, one "key value" or "file NAME SIZE HASH" per
 * line, so a person can read what was published; files are listed sorted by
 * name, each with its XXH64 (`checksum xxh64`; `xxhsum -H1` prints the
 * same; manifests written before that line have FNV-1a 64). flintlock
 * (Xapian's lock file) and the manifest itself are not listed.
 */
#include "integrity.h"

#include "copy.h"
#include "file.h"
#include "generation.h"

#include "hash.h"
#include "layout.h"
#include "xq.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 64

typedef struct {
    char name[256];
    uint64_t size, hash;
} entry_t;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const entry_t *)a)->name, ((const entry_t *)b)->name);
}

/* The checksum of every file: XXH64, named on the manifest's `checksum`
 * line; a manifest without that line (written before it) has FNV-1a 64. */
typedef enum { SUM_FNV1A, SUM_XXH64 } sum_t;

/* The generation's files with sizes and checksums, sorted; -1 on error. */
static int scan(const char *dir, sum_t sum, entry_t *v, size_t *n, ql_err_t *e)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return ql_errf(e, QL_E_IO, "%s: %s", dir, strerror(errno));
    int rc = 0;
    const struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "flintlock") == 0 ||
            strcmp(de->d_name, QL_INTEGRITY_FILE) == 0)
            continue;
        if (*n == MAX_FILES || strlen(de->d_name) >= sizeof v->name) {
            rc = ql_errf(e, QL_E_CORRUPT, "%s: unexpected file %s", dir, de->d_name);
            break;
        }
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        int fd = -1, ok = 0;
        struct stat st;
        if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) { /* a FIFO would hang the read */
            rc = ql_errf(e, QL_E_CORRUPT, "%s: %s where the index has a file", path,
                         S_ISLNK(st.st_mode) ? "a symlink" : ql_file_kind(&st));
            break;
        }
        if (ql_file_open(path, &fd, NULL, e) == 0) {
            v[*n].hash = sum == SUM_XXH64 ? ql_xxh64_fd(fd, &v[*n].size, &ok)
                                          : ql_fnv1a_fd(fd, &v[*n].size, &ok);
            close(fd);
        }
        if (!ok) {
            rc = ql_errf(e, QL_E_IO, "%s: %s", path, strerror(errno));
            break;
        }
        snprintf(v[*n].name, sizeof v[*n].name, "%s", de->d_name);
        (*n)++;
    }
    closedir(d);
    if (rc == 0) qsort(v, *n, sizeof *v, by_name);
    return rc;
}

/* A copy of gen_dir's files in a new temporary directory (*tmp, for the
 * caller to remove): Xapian's check on an index it cannot write. */
static int copy_to_temp(const char *gen_dir, char *tmp, size_t cap, ql_err_t *e)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmp, cap, "%s/quire-verify-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmp)) return ql_errf(e, QL_E_IO, "%s: %s", tmp, strerror(errno));
    return ql_copy_dir(gen_dir, tmp, NULL, 2, e);
}

static int run_check(const char *gen_dir, ql_err_t *e)
{
    size_t errors = 0;
    char why[512], copy[4096] = "";
    const char *checked = gen_dir;
    if (access(gen_dir, W_OK) != 0) { /* read-only: Xapian's check needs to open read/write */
        if (copy_to_temp(gen_dir, copy, sizeof copy, e) != 0) {
            ql_rmtree(copy);
            return -1;
        }
        checked = copy;
    }
    const xq_status_t st = xq_check(checked, &errors, why, sizeof why);
    if (copy[0]) ql_rmtree(copy);
    if (st == XQ_NOMEM) return ql_errf(e, QL_E_NOMEM, "out of memory");
    if (st != XQ_OK) return ql_errf(e, QL_E_CORRUPT, "%s: index fails its check: %s", gen_dir, why);
    if (errors)
        return ql_errf(e, QL_E_CORRUPT, "%s: index fails its check: %zu inconsistencies", gen_dir,
                       errors);
    return 0;
}

int ql_integrity_write(const char *gen_dir, size_t passages, size_t files, uint64_t corpus_fp,
                       int check, ql_err_t *e)
{
    entry_t v[MAX_FILES];
    size_t n = 0;
    if ((check && run_check(gen_dir, e) != 0) || scan(gen_dir, SUM_XXH64, v, &n, e) != 0) return -1;
    char path[8192];
    snprintf(path, sizeof path, "%s/" QL_INTEGRITY_FILE, gen_dir);
    FILE *f = fopen(path, "w");
    if (!f) return ql_errf(e, QL_E_IO, "%s: %s", path, strerror(errno));
    fprintf(f, "format %d\npassages %zu\nfiles %zu\ncorpus %016" PRIx64 "\nchecksum xxh64\n",
            QL_FORMAT_VERSION, passages, files, corpus_fp);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "file %s %" PRIu64 " %016" PRIx64 "\n", v[i].name, v[i].size, v[i].hash);
    if (ferror(f) | fclose(f)) return ql_errf(e, QL_E_IO, "%s: %s", path, strerror(errno));
    return 0;
}

int ql_integrity_verify(const char *gen_dir, ql_err_t *e)
{
    entry_t v[MAX_FILES];
    size_t n = 0, listed = 0;
    char path[8192], line[512];
    snprintf(path, sizeof path, "%s/" QL_INTEGRITY_FILE, gen_dir);
    FILE *f = fopen(path, "r");
    if (!f) return ql_errf(e, QL_E_CORRUPT, "%s: %s", path, strerror(errno));
    sum_t sum = SUM_FNV1A;
    char name[256];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        if (sscanf(line, "checksum %255s", name) != 1) continue;
        if (strcmp(name, "xxh64") != 0)
            rc = ql_errf(e, QL_E_CORRUPT, "%s: unknown checksum %s", path, name);
        sum = SUM_XXH64;
    }
    rewind(f);
    if (rc == 0) rc = scan(gen_dir, sum, v, &n, e);
    while (rc == 0 && fgets(line, sizeof line, f)) {
        uint64_t size, hash;
        if (sscanf(line, "file %255s %" SCNu64 " %" SCNx64, name, &size, &hash) != 3) continue;
        listed++;
        entry_t k = {{0}, 0, 0};
        snprintf(k.name, sizeof k.name, "%s", name);
        const entry_t *got = bsearch(&k, v, n, sizeof *v, by_name);
        if (!got)
            rc = ql_errf(e, QL_E_CORRUPT, "%s/%s: missing", gen_dir, name);
        else if (got->size != size)
            rc = ql_errf(e, QL_E_CORRUPT, "%s/%s: %" PRIu64 " bytes, published with %" PRIu64,
                         gen_dir, name, got->size, size);
        else if (got->hash != hash)
            rc = ql_errf(e, QL_E_CORRUPT, "%s/%s: checksum differs from the published one", gen_dir,
                         name);
    }
    fclose(f);
    if (rc == 0 && listed != n)
        rc = ql_errf(e, QL_E_CORRUPT, "%s: %zu files, %zu published", gen_dir, n, listed);
    return rc == 0 ? run_check(gen_dir, e) : rc;
}

int ql_integrity_quick(const char *gen_dir, ql_err_t *e)
{
    char path[8192], *text = NULL;
    size_t len = 0, listed = 0, present = 0;
    snprintf(path, sizeof path, "%s/" QL_INTEGRITY_FILE, gen_dir);
    if (ql_file_read(path, (size_t)1 << 20, &text, &len, e) != 0) return -1;
    int rc = 0, format = 0;
    for (char *line = text, *nl; rc == 0 && line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        char name[256];
        uint64_t size = 0, hash = 0;
        struct stat st;
        if (sscanf(line, "format %d", &format) == 1) continue;
        if (sscanf(line, "file %255s %" SCNu64 " %" SCNx64, name, &size, &hash) != 3) continue;
        listed++;
        snprintf(path, sizeof path, "%s/%s", gen_dir, name);
        if (lstat(path, &st) != 0)
            rc = ql_errf(e, QL_E_CORRUPT, "%s: %s", path, strerror(errno));
        else if (!S_ISREG(st.st_mode))
            rc = ql_errf(e, QL_E_CORRUPT, "%s: %s where the index has a file", path,
                         S_ISLNK(st.st_mode) ? "a symlink" : ql_file_kind(&st));
        else if ((uint64_t)st.st_size != size)
            rc = ql_errf(e, QL_E_CORRUPT, "%s: %llu bytes, published with %" PRIu64, path,
                         (unsigned long long)st.st_size, size);
    }
    free(text);
    if (rc == 0 && (!format || !listed))
        rc = ql_errf(e, QL_E_CORRUPT, "%s/" QL_INTEGRITY_FILE ": not a generation manifest",
                     gen_dir);
    DIR *d = rc == 0 ? opendir(gen_dir) : NULL;
    const struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        present += de->d_name[0] != '.' && strcmp(de->d_name, "flintlock") != 0 &&
                   strcmp(de->d_name, QL_INTEGRITY_FILE) != 0;
    if (d) closedir(d);
    if (rc == 0 && present != listed)
        rc = ql_errf(e, QL_E_CORRUPT, "%s: %zu files, %zu published", gen_dir, present, listed);
    return rc;
}
