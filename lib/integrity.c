/*
 * integrity.c - the generation manifest and its verification (integrity.h).
 * The manifest is plain text, one "key value" or "file NAME SIZE HASH" per
 * line, so a person can read what was published; files are listed sorted by
 * name. flintlock (Xapian's lock file) and the manifest itself are not
 * listed.
 */
#include "integrity.h"

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

/* The generation's files with sizes and checksums, sorted; -1 on error. */
static int scan(const char *dir, entry_t *v, size_t *n, ql_err_t *e)
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
        const int fd = open(path, O_RDONLY | O_CLOEXEC);
        int ok = 0;
        if (fd >= 0) {
            v[*n].hash = ql_fnv1a_fd(fd, &v[*n].size, &ok);
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

static int run_check(const char *gen_dir, ql_err_t *e)
{
    size_t errors = 0;
    char why[512];
    const xq_status_t st = xq_check(gen_dir, &errors, why, sizeof why);
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
    if ((check && run_check(gen_dir, e) != 0) || scan(gen_dir, v, &n, e) != 0) return -1;
    char path[8192];
    snprintf(path, sizeof path, "%s/" QL_INTEGRITY_FILE, gen_dir);
    FILE *f = fopen(path, "w");
    if (!f) return ql_errf(e, QL_E_IO, "%s: %s", path, strerror(errno));
    fprintf(f, "format %d\npassages %zu\nfiles %zu\ncorpus %016" PRIx64 "\n", QL_FORMAT_VERSION,
            passages, files, corpus_fp);
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
    int rc = scan(gen_dir, v, &n, e);
    while (rc == 0 && fgets(line, sizeof line, f)) {
        char name[256];
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
