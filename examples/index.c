/*
 * index.c - libquire example: index a folder, with a progress count and
 * warnings, then print what was built.
 *
 *   cc index.c $(pkg-config --cflags --libs quire) -o index
 *   ./index INDEX_DIR FOLDER...
 */
#include <quire.h>

#include <stdio.h>
#include <stdlib.h>

static int progress(void *ctx, const quire_progress_t *p)
{
    ++*(int *)ctx; /* a real program would draw p->files_done of p->files_total */
    (void)p;
    return QUIRE_CONTINUE;
}

static void warning(void *ctx, const char *path, const char *message)
{
    (void)ctx;
    fprintf(stderr, "warning: %s: %s\n", path, message);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s INDEX_DIR FOLDER...\n", argv[0]);
        return 2;
    }
    int calls = 0;
    quire_index_opts_t o = {.index_dir = argv[1],
                            .paths = (const char *const *)argv + 2,
                            .npaths = (size_t)argc - 2,
                            .progress = progress,
                            .warning = warning,
                            .ctx = &calls};
    quire_index_stats_t st;
    char *error = NULL;
    const quire_status_t rc = quire_index(&o, &st, &error);
    if (rc != QUIRE_OK) {
        fprintf(stderr, "index: %s (%s)\n", error ? error : "", quire_status_to_string(rc));
        free(error);
        return 1;
    }
    printf("libquire %s: %lu files, %lu passages, generation %u (%d progress calls)\n",
           quire_version(), st.files, st.passages, st.generation, calls);
    return 0;
}
