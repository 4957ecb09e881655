/*
 * zipfile.c - bounded reads of zip members held in memory (zipfile.h),
 * through libzip.
 */
#include "zipfile.h"

#include "compressed.h"
#include "doclibs.h"
#include "document.h"

#include <stdint.h>
#include <stdlib.h>

struct ql_zip {
    zip_t *zip;
};

ql_zip_t *ql_zip_open(const char *data, size_t len, int *nomem)
{
    *nomem = 0;
    if (ql_doclibs_load(NULL) != 0) return NULL;
    ql_zip_t *z = calloc(1, sizeof *z);
    if (!z) return *nomem = 1, NULL;
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    if (src) z->zip = zip_open_from_source(src, ZIP_RDONLY, &err);
    if (!z->zip) {
        *nomem = zip_error_code_zip(&err) == ZIP_ER_MEMORY;
        if (src) zip_source_free(src);
        zip_error_fini(&err);
        free(z);
        return NULL;
    }
    zip_error_fini(&err);
    return z;
}

int ql_zip_open_doc(const char *data, size_t len, const char *what, ql_zip_t **out, ql_err_t *e)
{
    const char *lib = NULL;
    *out = NULL;
    if (ql_doclibs_load(&lib) != 0) {
        ql_errf(e, QL_E_IO, "cannot be read: %s", lib);
        return QL_DOC_NO_READER;
    }
    int nomem = 0;
    *out = ql_zip_open(data, len, &nomem);
    if (*out) return 0;
    if (nomem) return ql_errf(e, QL_E_NOMEM, "out of memory");
    ql_errf(e, QL_E_IO, "damaged or not %s (not a zip archive)", what);
    return QL_DOC_DAMAGED;
}

void ql_zip_close(ql_zip_t *z)
{
    if (!z) return;
    zip_discard(z->zip);
    free(z);
}

int ql_zip_read(ql_zip_t *z, const char *name, size_t max, char **out, size_t *n, ql_err_t *e)
{
    *out = NULL;
    *n = 0;
    const zip_int64_t i = zip_name_locate(z->zip, name, 0);
    zip_stat_t st;
    if (i < 0 || zip_stat_index(z->zip, (zip_uint64_t)i, 0, &st) != 0) {
        ql_errf(e, QL_E_IO, "it has no %s", name);
        return QL_ZIP_MISSING;
    }
    size_t bound = max; /* the ratio bound, from the compressed size */
    if ((st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size < SIZE_MAX / QL_DZ_MAX_RATIO) {
        const size_t r = (size_t)st.comp_size * QL_DZ_MAX_RATIO;
        if (r > QL_DZ_RATIO_FROM && r < bound) bound = r;
        if (r <= QL_DZ_RATIO_FROM && QL_DZ_RATIO_FROM < bound) bound = QL_DZ_RATIO_FROM;
    }
    zip_file_t *f = zip_fopen_index(z->zip, (zip_uint64_t)i, 0);
    if (!f) {
        ql_errf(e, QL_E_IO, "%s cannot be read (%s)", name, zip_strerror(z->zip));
        return QL_ZIP_MISSING;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    int rc = buf ? 0 : QL_ZIP_NOMEM;
    while (rc == 0) {
        if (len == cap) {
            if (cap > bound) {
                ql_errf(e, QL_E_IO, "%s inflates past %zu MB (a zip bomb?)", name, bound >> 20);
                rc = QL_ZIP_TOO_LARGE;
                break;
            }
            char *p = realloc(buf, (cap *= 2) + 1);
            if (!p) {
                rc = QL_ZIP_NOMEM;
                break;
            }
            buf = p;
        }
        const zip_int64_t got = zip_fread(f, buf + len, cap - len);
        if (got < 0) {
            ql_errf(e, QL_E_IO, "%s is damaged (%s)", name, zip_file_strerror(f));
            rc = QL_ZIP_MISSING;
        }
        if (got <= 0) break;
        len += (size_t)got;
        if (len > bound) {
            ql_errf(e, QL_E_IO, "%s inflates past %zu MB (a zip bomb?)", name, bound >> 20);
            rc = QL_ZIP_TOO_LARGE;
        }
    }
    zip_fclose(f);
    if (rc != 0) {
        free(buf);
        if (rc == QL_ZIP_NOMEM) ql_errf(e, QL_E_NOMEM, "out of memory");
        return rc;
    }
    buf[len] = '\0';
    *out = buf;
    *n = len;
    return 0;
}
