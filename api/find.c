/*
 * find.c - where the index is when none is named (quire.h):
 * quire_default_index() and quire_find_index(), which looks for the
 * nearest .quire directory upward from the working directory, as git
 * looks for .git.
 */
#include "api.h"

#include "layout.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_UP 64 /* directories climbed at most (a loop guard; "/" comes first) */

const char *quire_default_index(void)
{
    const char *env = getenv(QL_ENV_INDEX);
    return env && *env ? env : QL_DEFAULT_INDEX;
}

/* The candidate "../" * up + ".quire" into out. */
static void candidate(char *out, size_t cap, unsigned up)
{
    size_t at = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < up && at + 3 < cap; i++, at += 3) memcpy(out + at, "../", 4);
    snprintf(out + at, cap - at, "%s", QL_DEFAULT_INDEX);
}

quire_status_t quire_find_index(char **dir, char **error)
{
    if (error) *error = NULL;
    if (!dir) return QUIRE_BAD_ARGUMENT;
    *dir = NULL;
    const char *env = getenv(QL_ENV_INDEX);
    if (env && *env) return (*dir = strdup(env)) ? QUIRE_OK : QUIRE_NO_MEMORY;
    char path[3 * MAX_UP + 16], real[PATH_MAX], last[PATH_MAX] = "";
    for (unsigned up = 0; up < MAX_UP; up++) {
        candidate(path, sizeof path, up);
        struct stat st;
        if (lstat(path, &st) == 0) {
            if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                return (*dir = strdup(path)) ? QUIRE_OK : QUIRE_NO_MEMORY;
            char msg[PATH_MAX + 128];
            snprintf(msg, sizeof msg,
                     "%s is not a directory, so it cannot be an index; move it away, or name "
                     "the index with --index DIR",
                     path);
            api_error_out(error, msg);
            return QUIRE_IO;
        }
        /* the parent of the directory just tried; stop at the root */
        snprintf(path + strlen(path) - strlen(QL_DEFAULT_INDEX),
                 sizeof path - (strlen(path) - strlen(QL_DEFAULT_INDEX)), ".");
        if (!realpath(path, real) || !strcmp(real, last)) break;
        snprintf(last, sizeof last, "%s", real);
    }
    return QUIRE_NO_INDEX;
}
