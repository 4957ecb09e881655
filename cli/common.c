/*
 * common.c - helpers shared by the subcommands: the index location, error
 * exit statuses, how paths are displayed, and JSON string escaping.
 */
#include "cli.h"

#include "layout.h"
#include "qt.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *qc_index_dir(const char *flag)
{
    if (flag && *flag) return flag;
    const char *env = getenv(QL_ENV_INDEX);
    return env && *env ? env : QL_DEFAULT_INDEX;
}

int qc_fail(const ql_err_t *e)
{
    fprintf(stderr, "quire: %s\n", e->msg[0] ? e->msg : "unknown error");
    return e->code == QL_E_LOCKED ? QC_EXIT_LOCKED : QC_EXIT_ERROR;
}

void qc_display_path(ql_buf_t *out, const char *root, const char *relpath, size_t relpath_len)
{
    static char cwd[PATH_MAX];
    static int have_cwd = -1;
    if (have_cwd < 0) have_cwd = getcwd(cwd, sizeof cwd) != NULL;
    const size_t cl = have_cwd ? strlen(cwd) : 0;
    if (have_cwd && strncmp(root, cwd, cl) == 0 && (root[cl] == '/' || root[cl] == '\0')) {
        const char *rest = root + cl + (root[cl] == '/');
        if (*rest) {
            ql_buf_adds(out, rest);
            ql_buf_addc(out, '/');
        }
    } else if (*root) {
        ql_buf_adds(out, root);
        if (strcmp(root, "/") != 0) ql_buf_addc(out, '/');
    }
    ql_buf_add(out, relpath, relpath_len);
}

void qc_json_string(ql_buf_t *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    ql_buf_addc(out, '"');
    size_t i = 0;
    while (i < n) {
        const unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            const size_t good = qt_utf8_check(s + i, n - i);
            size_t take = good;
            if (take == 0) { /* an invalid byte */
                ql_buf_adds(out, "\xef\xbf\xbd");
                i++;
                continue;
            }
            /* copy the valid run up to the next ASCII byte that needs care */
            size_t k = 0;
            while (k < take && (unsigned char)s[i + k] >= 0x80) k++;
            if (k == 0) k = 1;
            ql_buf_add(out, s + i, k);
            i += k;
            continue;
        }
        switch (c) {
        case '"':
            ql_buf_adds(out, "\\\"");
            break;
        case '\\':
            ql_buf_adds(out, "\\\\");
            break;
        case '\n':
            ql_buf_adds(out, "\\n");
            break;
        case '\r':
            ql_buf_adds(out, "\\r");
            break;
        case '\t':
            ql_buf_adds(out, "\\t");
            break;
        case '\b':
            ql_buf_adds(out, "\\b");
            break;
        case '\f':
            ql_buf_adds(out, "\\f");
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
                ql_buf_adds(out, u);
            } else {
                ql_buf_addc(out, (char)c);
            }
        }
        i++;
    }
    ql_buf_addc(out, '"');
}
