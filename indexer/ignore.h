/*
 * ignore.h - which files a walk leaves out: `--exclude GLOB` patterns,
 * `.quireignore` files, and, inside a git work tree, `.gitignore` files
 * (those of the folders above the walked one up to the work tree's top
 * too), all in gitignore's syntax: `#` comments, `!` to take a file back,
 * a trailing `/` for folders only, a leading or inner `/` to anchor a
 * pattern to its file's folder (else it matches a name at any depth), `*`,
 * `?`, `[a-z]` within a name and `**` across folders. The last rule that
 * matches decides. An excluded folder is not entered, so nothing under it
 * can be taken back (as in git).
 */
#ifndef QUIRE_IGNORE_H
#define QUIRE_IGNORE_H

#include <stddef.h>

typedef struct qi_ignore qi_ignore_t;

/* Rules for a walk of the folder root (as openable; resolved inside):
 * excludes is '\t'-separated globs (NULL: none), matched against paths
 * relative to root; files: read .quireignore and .gitignore files. NULL
 * when out of memory; freed with qi_ignore_free. */
qi_ignore_t *qi_ignore_new(const char *root, const char *excludes, int files);
void qi_ignore_free(qi_ignore_t *ig);

/* The walk enters folder dir (as openable), reldir relative to root ("" for
 * root itself, else ending in '/'): its ignore files' rules apply until the
 * matching qi_ignore_leave. 0, or -1 when out of memory. */
int qi_ignore_enter(qi_ignore_t *ig, const char *dir, const char *reldir);
void qi_ignore_leave(qi_ignore_t *ig);

/* Whether relpath (relative to root; a folder when is_dir) is left out. */
int qi_ignore_match(const qi_ignore_t *ig, const char *relpath, int is_dir);

/* Whether glob matches s whole, in gitignore's way ('*' and '?' stay within
 * a name, "**" crosses folders). Exposed for tests. */
int qi_glob_match(const char *glob, const char *s);

#endif
