/*
 * test_api.c - libquire's public API (include/quire.h) as an embedding
 * program uses it, and as it must behave on bad input: NULL handles and
 * arguments, a closed handle used again, a handle used from another thread,
 * a hit callback that stops or fails, a build cancelled before and during
 * its work (the published generation untouched), and each of Quire's
 * allocations failing in turn during a search (a failing allocator hook:
 * every status is OK or QUIRE_NO_MEMORY, and the handle works afterwards).
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "quire.h"

#include <dirent.h>
#include <stdint.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(api, .fini = teardown);

typedef struct {
    unsigned hits;
    int answer; /* what the callback returns */
    char first[PATH_MAX];
} seen_t;

static int on_hit(void *ctx, const quire_hit_t *h)
{
    seen_t *s = ctx;
    if (s->hits++ == 0)
        snprintf(s->first, sizeof s->first, "%.*s:%u", (int)h->path_len, h->path, h->line_start);
    return s->answer;
}

static quire_db_t *open_corpus(void)
{
    const char *idx = th_index(th_corpus());
    cr_assert_not_null(idx);
    quire_db_t *db = NULL;
    cr_assert_eq(quire_db_open(&idx, 1, NULL, &db), QUIRE_OK);
    return db;
}

Test(api, a_search_delivers_cited_highlighted_hits)
{
    quire_db_t *db = open_corpus();
    quire_search_opts_t o;
    quire_search_opts_init(&o);
    o.limit = 3;
    seen_t s = {0};
    quire_result_t res;
    const char *q = "unilateral sanctions";
    cr_assert_eq(quire_search(db, q, strlen(q), &o, on_hit, &s, &res), QUIRE_OK, "%s",
                 quire_db_error(db));
    cr_assert_eq(s.hits, 3);
    cr_assert_eq(res.hits, 3);
    cr_assert_gt(res.total, 3);
    cr_assert_str_eq(quire_db_error(db), "");
    cr_assert_eq(quire_db_close(db), QUIRE_OK);
}

Test(api, null_handles_and_arguments_are_refused)
{
    seen_t s = {0};
    quire_db_t *db = NULL;
    cr_assert_eq(quire_search(NULL, "x", 1, NULL, on_hit, &s, NULL), QUIRE_BAD_ARGUMENT);
    cr_assert_eq(quire_db_open(NULL, 1, NULL, NULL), QUIRE_BAD_ARGUMENT);
    cr_assert_eq(quire_db_open(NULL, 0, NULL, &db), QUIRE_BAD_ARGUMENT);
    cr_assert_not_null(db, "a handle carrying the error");
    cr_assert(strstr(quire_db_error(db), "no index"), "%s", quire_db_error(db));
    cr_assert_eq(quire_search(db, "x", 1, NULL, on_hit, &s, NULL), QUIRE_BAD_ARGUMENT);
    cr_assert_eq(quire_db_close(db), QUIRE_OK);
    cr_assert(strlen(quire_db_error(NULL)) > 0);
    cr_assert_eq(quire_db_close(NULL), QUIRE_OK);
    cr_assert_str_eq(quire_status_to_string((quire_status_t)999), "unknown status");
    uint32_t a, b;
    cr_assert_eq(quire_date_span(NULL, 0, &a, &b), QUIRE_BAD_ARGUMENT);
    cr_assert_eq(quire_date_span("May 5 2023", 10, &a, &b), QUIRE_OK);
    cr_assert_eq(a, 20230505);
    char *error = NULL;
    cr_assert_eq(quire_index(NULL, NULL, &error), QUIRE_BAD_ARGUMENT);
    cr_assert_not_null(error);
    free(error);
    const quire_index_opts_t none = {.index_dir = "x", .npaths = 1};
    cr_assert_eq(quire_index(&none, NULL, NULL), QUIRE_BAD_ARGUMENT, "no paths (NULL)");
    cr_assert_eq(quire_verify(NULL, NULL, NULL), QUIRE_BAD_ARGUMENT);

    db = open_corpus();
    cr_assert_eq(quire_search(db, "x", 1, NULL, NULL, NULL, NULL), QUIRE_BAD_ARGUMENT);
    cr_assert(strstr(quire_db_error(db), "callback"), "%s", quire_db_error(db));
    cr_assert_eq(quire_search(db, NULL, 3, NULL, on_hit, &s, NULL), QUIRE_BAD_ARGUMENT);
    quire_search_opts_t o;
    quire_search_opts_init(&o);
    o.limit = 200000;
    cr_assert_eq(quire_search(db, "x", 1, &o, on_hit, &s, NULL), QUIRE_BAD_ARGUMENT);
    quire_search_opts_init(&o);
    o.since = 20240101;
    o.until = 20230101;
    cr_assert_eq(quire_search(db, "x", 1, &o, on_hit, &s, NULL), QUIRE_BAD_ARGUMENT);
    cr_assert_eq(s.hits, 0, "nothing delivered on refusal");
    cr_assert_eq(quire_db_stats(db, NULL), QUIRE_BAD_ARGUMENT);
    quire_db_close(db);
}

Test(api, a_closed_handle_is_refused)
{
    quire_db_t *db = open_corpus();
    cr_assert_eq(quire_db_close(db), QUIRE_OK);
    seen_t s = {0};
    cr_assert_eq(quire_search(db, "x", 1, NULL, on_hit, &s, NULL), QUIRE_BAD_ARGUMENT);
    cr_assert_eq(quire_db_close(db), QUIRE_BAD_ARGUMENT, "closed twice");
    cr_assert_eq(s.hits, 0);
}

typedef struct {
    quire_db_t *db;
    quire_status_t search, close;
} foreign_t;

static void *use_elsewhere(void *arg)
{
    foreign_t *f = arg;
    seen_t s = {0};
    f->search = quire_search(f->db, "sanctions", 9, NULL, on_hit, &s, NULL);
    f->close = quire_db_close(f->db);
    return NULL;
}

Test(api, a_handle_used_from_another_thread_is_refused)
{
    foreign_t f = {open_corpus(), QUIRE_OK, QUIRE_OK};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, use_elsewhere, &f), 0);
    pthread_join(t, NULL);
    cr_assert_eq(f.search, QUIRE_WRONG_THREAD);
    cr_assert_eq(f.close, QUIRE_WRONG_THREAD);
    seen_t s = {0};
    cr_assert_eq(quire_search(f.db, "sanctions", 9, NULL, on_hit, &s, NULL), QUIRE_OK,
                 "its own thread still may");
    cr_assert_gt(s.hits, 0);
    cr_assert_eq(quire_db_close(f.db), QUIRE_OK);
}

Test(api, a_callback_that_stops_or_fails_ends_the_search_with_its_status)
{
    quire_db_t *db = open_corpus();
    seen_t stop = {.answer = QUIRE_STOP}, fail = {.answer = -1};
    quire_result_t res;
    cr_assert_eq(quire_search(db, "sanctions", 9, NULL, on_hit, &stop, &res), QUIRE_STOPPED);
    cr_assert_eq(stop.hits, 1);
    cr_assert_eq(res.hits, 1);
    cr_assert_eq(quire_search(db, "sanctions", 9, NULL, on_hit, &fail, NULL),
                 QUIRE_CALLBACK_FAILED);
    cr_assert_eq(fail.hits, 1);
    quire_db_close(db);
}

typedef struct {
    const char *phase; /* cancel at the first call in this phase */
    int calls;
} cancel_t;

static int cancel_at(void *ctx, const quire_progress_t *p)
{
    cancel_t *c = ctx;
    c->calls++;
    return strcmp(p->phase, c->phase) == 0 ? QUIRE_STOP : QUIRE_CONTINUE;
}

static int temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (const struct dirent *de; d && (de = readdir(d)) != NULL;)
        n += strstr(de->d_name, ".tmp") != NULL;
    if (d) closedir(d);
    return n;
}

Test(api, a_cancelled_build_leaves_the_published_index_as_it_was)
{
    char idx[PATH_MAX], docs[PATH_MAX];
    snprintf(idx, sizeof idx, "%s/idx", th_tmpdir());
    snprintf(docs, sizeof docs, "%s/docs", th_tmpdir());
    const char *text = "Sanctions\n\nThe council debated unilateral sanctions at length.\n";
    th_write(docs, "a.txt", text, strlen(text));
    const char *paths[] = {docs};
    quire_index_opts_t o = {.index_dir = idx, .paths = paths, .npaths = 1};
    quire_index_stats_t st;
    cr_assert_eq(quire_index(&o, &st, NULL), QUIRE_OK);
    cr_assert_eq(st.generation, 1);
    th_write(docs, "b.txt", text, strlen(text)); /* something to do */
    static const char *const phases[] = {"indexing", "merging"};
    for (size_t i = 0; i < 2; i++) {
        cancel_t c = {phases[i], 0};
        o.progress = cancel_at;
        o.ctx = &c;
        o.full = (int)i; /* an update, then a full build */
        char *error = NULL;
        cr_assert_eq(quire_index(&o, &st, &error), QUIRE_STOPPED, "%s", phases[i]);
        cr_assert(error && strstr(error, "cancelled"), "%s", error ? error : "");
        free(error);
        cr_assert_eq(temporaries(idx), 0);
    }
    quire_db_t *db = NULL;
    const char *spec = idx;
    cr_assert_eq(quire_db_open(&spec, 1, NULL, &db), QUIRE_OK);
    quire_stats_t s;
    cr_assert_eq(quire_db_stats(db, &s), QUIRE_OK, "%s", quire_db_error(db));
    cr_assert_eq(s.generation, 1, "still the first generation");
    cr_assert_eq(s.files, 1, "b.txt was never published");
    quire_db_close(db);
    o.progress = NULL;
    cr_assert_eq(quire_index(&o, &st, NULL), QUIRE_OK, "the lock was released");
    cr_assert_eq(st.files, 2);
}

/* ------------------------------------------------ a failing allocator */

#if defined(__SANITIZE_ADDRESS__)
#define NO_HOOK 1 /* the sanitizer owns malloc */
#endif

#ifndef NO_HOOK
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
/* Allocations left before they fail; -1: never. Per thread, so only the
 * searching thread's allocations fail, never Criterion's own. */
static _Thread_local long fail_after = -1;
static _Thread_local long failed;

extern char __executable_start, etext; /* this program's code (GNU ld) */

/* Fails the n-th allocation made by Quire's own code (linked into this
 * program); libxapian's and libstdc++'s are left alone: libxapian 1.4
 * crashes on a NULL malloc() inside its matcher (seen in get_mset), which
 * no caller can handle. */
static int should_fail(const void *caller)
{
    const uintptr_t at = (uintptr_t)caller;
    if (fail_after < 0 || at < (uintptr_t)&__executable_start || at >= (uintptr_t)&etext) return 0;
    if (fail_after == 0) {
        failed++;
        return 1;
    }
    fail_after--;
    return 0;
}

void *malloc(size_t n)
{
    return should_fail(__builtin_return_address(0)) ? NULL : __libc_malloc(n);
}

void *calloc(size_t n, size_t k)
{
    return should_fail(__builtin_return_address(0)) ? NULL : __libc_calloc(n, k);
}

void *realloc(void *p, size_t n)
{
    return should_fail(__builtin_return_address(0)) ? NULL : __libc_realloc(p, n);
}
#endif

Test(api, allocations_failing_during_a_search_give_no_memory_and_no_crash)
{
#ifdef NO_HOOK
    cr_skip("the failing allocator hook is not built under sanitizers");
#else
    quire_db_t *db = open_corpus();
    const char *q = "\"Group of Friends\" unilateral sanctions";
    seen_t want = {0};
    cr_assert_eq(quire_search(db, q, strlen(q), NULL, on_hit, &want, NULL), QUIRE_OK);
    unsigned nomem = 0;
    for (long n = 0;; n++) {
        seen_t s = {0};
        failed = 0;
        fail_after = n;
        const quire_status_t st = quire_search(db, q, strlen(q), NULL, on_hit, &s, NULL);
        fail_after = -1;
        cr_assert(st == QUIRE_OK || st == QUIRE_NO_MEMORY, "allocation %ld failing: %s (%s)", n,
                  quire_status_to_string(st), quire_db_error(db));
        nomem += st == QUIRE_NO_MEMORY;
        if (!failed) { /* every allocation of the search succeeded */
            cr_assert_eq(st, QUIRE_OK);
            break;
        }
        cr_assert_lt(n, 200000, "the search never finished");
    }
    cr_assert_gt(nomem, 0, "some failure was reported as out of memory");
    seen_t after = {0};
    cr_assert_eq(quire_search(db, q, strlen(q), NULL, on_hit, &after, NULL), QUIRE_OK);
    cr_assert_str_eq(after.first, want.first, "the handle answers as before");
    quire_db_close(db);
#endif
}

typedef struct {
    char words[16][72];
    unsigned long passages[16];
    size_t n;
} words_t;

static int on_word(void *ctx, const char *w, size_t len, unsigned long passages)
{
    words_t *s = ctx;
    if (s->n == 16 || len >= sizeof s->words[0]) return -1;
    memcpy(s->words[s->n], w, len);
    s->words[s->n][len] = '\0';
    s->passages[s->n++] = passages;
    return QUIRE_CONTINUE;
}

Test(api, suggest_completes_the_word_being_typed_from_the_index)
{
    quire_db_t *db = open_corpus();
    words_t s = {0};
    const char *q = "unilateral Sanc"; /* folded: capitals match */
    cr_assert_eq(quire_suggest(db, q, strlen(q), 5, on_word, &s), QUIRE_OK, "%s",
                 quire_db_error(db));
    cr_assert_gt(s.n, 0);
    cr_assert_leq(s.n, 5);
    int sanctions = 0;
    for (size_t i = 0; i < s.n; i++) {
        cr_expect_eq(strncmp(s.words[i], "sanc", 4), 0, "%s does not complete sanc", s.words[i]);
        if (i) cr_expect_geq(s.passages[i - 1], s.passages[i], "most passages first");
        sanctions |= !strcmp(s.words[i], "sanctions") || !strcmp(s.words[i], "sanction");
    }
    cr_expect(sanctions, "sanctions is the corpus's word");
    /* a finished word (a space after it), an unknown one, max 0: nothing */
    const char *done[] = {"sanctions ", "zzqxw", ""};
    for (size_t i = 0; i < 3; i++) {
        words_t none = {0};
        cr_assert_eq(quire_suggest(db, done[i], strlen(done[i]), 5, on_word, &none), QUIRE_OK);
        cr_expect_eq(none.n, 0, "'%s' completed to %s", done[i], none.words[0]);
    }
    words_t one = {0};
    cr_assert_eq(quire_suggest(db, "s", 1, 1, on_word, &one), QUIRE_OK);
    cr_expect_eq(one.n, 1);
    cr_expect_eq(quire_suggest(db, "s", 1, 1001, on_word, &one), QUIRE_BAD_ARGUMENT);
    cr_expect_eq(quire_suggest(db, "s", 1, 5, NULL, &one), QUIRE_BAD_ARGUMENT);
    cr_assert_eq(quire_db_close(db), QUIRE_OK);
}

typedef struct {
    char folded[4][72], stem[4][72];
    size_t n;
} tokens_t;

static int on_token(void *ctx, const quire_token_t *t)
{
    tokens_t *s = ctx;
    if (s->n == 4) return QUIRE_STOP;
    snprintf(s->folded[s->n], sizeof s->folded[0], "%s", t->folded ? t->folded : "-");
    snprintf(s->stem[s->n], sizeof s->stem[0], "%s", t->stem ? t->stem : "-");
    s->n++;
    return QUIRE_CONTINUE;
}

Test(api, analyze_shows_the_pipeline_documents_and_queries_share)
{
    tokens_t s = {0};
    const char *t = "Defence of the Charter";
    cr_assert_eq(quire_analyze(t, strlen(t), on_token, &s), QUIRE_OK);
    cr_assert_eq(s.n, 4);
    cr_expect_str_eq(s.folded[0], "defense", "British spelling folded");
    cr_expect_str_eq(s.stem[0], "defens");
    cr_expect_str_eq(s.stem[3], "charter");
    tokens_t few = {0};
    const char *many = "one two three four five six";
    cr_expect_eq(quire_analyze(many, strlen(many), on_token, &few), QUIRE_STOPPED);
    cr_expect_eq(quire_analyze(NULL, 3, on_token, &few), QUIRE_BAD_ARGUMENT);
}
