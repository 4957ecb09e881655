/*
 * search.c - libquire example: search an index and print each hit as
 * "path:lines [score] title" with its snippet, matches in [brackets].
 *
 *   cc search.c $(pkg-config --cflags --libs quire) -o search
 *   ./search INDEX_DIR QUERY
 */
#include <quire.h>

#include <stdio.h>
#include <string.h>

static int print_hit(void *ctx, const quire_hit_t *h)
{
    (void)ctx;
    printf("%.*s:%u-%u [%.2f] %.*s\n  ", (int)h->path_len, h->path, h->line_start, h->line_end,
           h->score, (int)h->title_len, h->title);
    size_t at = 0;
    for (size_t i = 0; i < h->nhighlights; i++) {
        const quire_range_t *r = &h->highlights[i];
        printf("%.*s[%.*s]", (int)(r->start - at), h->snippet + at, (int)(r->end - r->start),
               h->snippet + r->start);
        at = r->end;
    }
    printf("%.*s\n", (int)(h->snippet_len - at), h->snippet + at);
    return QUIRE_CONTINUE;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s INDEX_DIR QUERY\n", argv[0]);
        return 2;
    }
    quire_db_t *db = NULL;
    quire_status_t rc = quire_db_open((const char *const *)argv + 1, 1, NULL, &db);
    quire_search_opts_t o;
    quire_search_opts_init(&o);
    o.limit = 5;
    quire_result_t res;
    if (rc == QUIRE_OK) rc = quire_search(db, argv[2], strlen(argv[2]), &o, print_hit, NULL, &res);
    if (rc != QUIRE_OK) {
        fprintf(stderr, "search: %s\n", db ? quire_db_error(db) : quire_status_to_string(rc));
        quire_db_close(db);
        return 1;
    }
    printf("%u of %s%u passages\n", res.hits, res.total_exact ? "" : "about ", res.total);
    quire_db_close(db);
    return res.hits ? 0 : 1;
}
