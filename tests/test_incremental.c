/*
 * test_incremental.c - `quire index` on an index built from the same paths
 * redoes only what changed, and the result answers every query as a full
 * rebuild does: same passages, scores, order and near-duplicate groups (a
 * removed file that held a group's first passage, and an added file that
 * joins a group, included), also after a second update, which visits the
 * kept files in the order the first one recorded instead of looking each
 * up. An unchanged corpus writes nothing; a touched file is not a change.
 */
#include <criterion/criterion.h>

#include "buf.h"
#include "helpers.h"
#include "index.h"
#include "integrity.h"
#include "layout.h"
#include "manifest.h"
#include "record.h"
#include "xq.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void teardown(void)
{
    th_cleanup();
}

TestSuite(incremental, .fini = teardown);

static char docs[4096];

/* One post in three wordings: near-duplicates, not identical once folded. */
#define POST(x)                                                                                    \
    "The foreign ministers of Russia and China met in Guilin on Monday and agreed to coordinate "  \
    "their positions on the situation in the Middle East, on sanctions and on the " x "."

static void write_doc(const char *name, const char *text)
{
    th_write(docs, name, text, strlen(text));
}

static void copy_corpus(void)
{
    snprintf(docs, sizeof docs, "%s/docs", th_tmpdir());
    static const char *const names[] = {"000_7a6acfea8e07a11b.txt", "001_ea55f0a196ef1fcc.txt",
                                        "002_994a5cf30ea1e660.txt", "003_28d1eb4e5542eb3f.txt",
                                        "004_e24faed82d9ddb80.txt"};
    for (size_t i = 0; i < 5; i++) {
        char from[4096];
        size_t len = 0;
        snprintf(from, sizeof from, "%s/%s", th_corpus(), names[i]);
        char *text = th_read(from, &len);
        cr_assert_not_null(text, "%s", from);
        th_write(docs, names[i], text, len);
        free(text);
    }
    char text[1024];
    snprintf(text, sizeof text, "First post\n\n%s\n", POST("talks")); /* the group's first */
    write_doc("a_first.txt", text);
    snprintf(text, sizeof text, "Repost\n\n🔥 %s\n\nUnrelated closing words.\n",
             POST("negotiations"));
    write_doc("m_repost.txt", text);
}

static char *run(const char *args, int want)
{
    char cmd[16384], *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "'%s' %s", th_bin(), args);
    const int rc = th_run(cmd, &out, &err);
    cr_assert_eq(rc, want, "%s: exit %d: %s", args, rc, err);
    free(err);
    return out;
}

static char *index_docs(const char *index, const char *flags)
{
    char args[16384];
    snprintf(args, sizeof args, "index %s --index '%s' '%s'", flags, index, docs);
    return run(args, 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A result list as "score citation+copies" lines, each group's citations
 * sorted and groups sorted, so documents numbered differently compare equal
 * when they rank the same. */
static char *normalize(const char *jsonl)
{
    char **lines = calloc(200, sizeof *lines);
    size_t n = 0;
    for (const char *p = jsonl; *p && n < 200;) {
        const char *nl = strchr(p, '\n');
        const size_t len = nl ? (size_t)(nl - p) : strlen(p);
        json_error_t je;
        json_t *hit = json_loadb(p, len, 0, &je);
        cr_assert_not_null(hit, "%s", je.text);
        char *cites[64];
        size_t nc = 0;
        char buf[1024];
        snprintf(buf, sizeof buf, "%s@%lld", json_string_value(json_object_get(hit, "file")),
                 json_integer_value(json_object_get(hit, "byte_start")));
        cites[nc++] = strdup(buf);
        json_t *copies = json_object_get(hit, "copies"), *c;
        size_t i;
        json_array_foreach(copies, i, c)
        {
            if (nc == 64) break;
            snprintf(buf, sizeof buf, "%s@%lld", json_string_value(json_object_get(c, "file")),
                     json_integer_value(json_object_get(c, "byte_start")));
            cites[nc++] = strdup(buf);
        }
        qsort(cites, nc, sizeof *cites, cmp_str);
        char line[8192];
        int at =
            snprintf(line, sizeof line, "%.6f", json_real_value(json_object_get(hit, "score")));
        for (size_t k = 0; k < nc; k++) {
            at += snprintf(line + at, sizeof line - (size_t)at, " %s", cites[k]);
            free(cites[k]);
        }
        lines[n++] = strdup(line);
        json_decref(hit);
        p = nl ? nl + 1 : p + len;
    }
    qsort(lines, n, sizeof *lines, cmp_str);
    size_t total = 1;
    for (size_t i = 0; i < n; i++) total += strlen(lines[i]) + 1;
    char *out = calloc(total, 1);
    for (size_t i = 0; i < n; i++) {
        strcat(out, lines[i]);
        strcat(out, "\n");
        free(lines[i]);
    }
    free(lines);
    return out;
}

static char *results(const char *index, const char *q)
{
    char args[8192], cmd[16384], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "search --json -n 200 --index '%s' '%s'", index, q);
    snprintf(cmd, sizeof cmd, "'%s' %s", th_bin(), args);
    const int rc = th_run(cmd, &out, &err);
    cr_assert(rc == 0 || rc == 1, "%s: %d %s", q, rc, err);
    char *norm = normalize(out);
    free(out);
    free(err);
    return norm;
}

static int count_generations(const char *index)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -c '^gen-'", index);
    return th_run_count(cmd);
}

Test(incremental, update_equals_full_rebuild)
{
    copy_corpus();
    char inc[4096], full[4096];
    snprintf(inc, sizeof inc, "%s/inc", th_tmpdir());
    snprintf(full, sizeof full, "%s/full", th_tmpdir());
    free(index_docs(inc, ""));

    /* nothing changed: nothing written; a touched file is not a change */
    char path[8192];
    snprintf(path, sizeof path, "touch -d '2001-01-01' '%s/002_994a5cf30ea1e660.txt'", docs);
    cr_assert_eq(system(path), 0);
    char *out = index_docs(inc, "");
    cr_expect(strstr(out, "index is up to date (7 files unchanged)") != NULL, "%s", out);
    free(out);
    cr_expect_eq(count_generations(inc), 1);

    /* edit one, add one that joins a group, remove the group's first */
    char text[2048];
    snprintf(text, sizeof text,
             "Later post\n\nThe summit in Kazan ended with a zebra declaration on the Charter.\n\n"
             "%s\n",
             POST("nuclear talks"));
    write_doc("z_added.txt", text);
    snprintf(path, sizeof path, "%s/a_first.txt", docs);
    cr_assert_eq(unlink(path), 0);
    snprintf(path, sizeof path, "%s/003_28d1eb4e5542eb3f.txt", docs);
    size_t len = 0;
    char *t3 = th_read(path, &len);
    cr_assert_not_null(t3);
    char *cut = strchr(t3, '\n');
    cr_assert_not_null(cut);
    snprintf(text, sizeof text, "%.*s\n\nA zebra paragraph added later about sanctions.\n",
             (int)(cut - t3), t3);
    write_doc("003_28d1eb4e5542eb3f.txt", text); /* its first line, then a new paragraph */
    free(t3);

    out = index_docs(inc, "");
    cr_expect(strstr(out, "updated 1 changed, 1 new, 1 removed file") != NULL, "%s", out);
    free(out);
    cr_expect_eq(count_generations(inc), 2);
    free(index_docs(full, "--full"));

    static const char *const queries[] = {"zebra",           "foreign ministers Guilin",
                                          "\"Middle East\"", "unilateral sanctions",
                                          "UN Charter",      "Lavrov",
                                          "summit Kazan",    "title:repost",
                                          "Group of Friends"};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        char *a = results(inc, queries[q]), *b = results(full, queries[q]);
        cr_expect_str_eq(a, b, "%s\n--- update:\n%s--- full:\n%s", queries[q], a, b);
        if (q == 1) { /* the repost and the added copy: one group, shown once */
            const char *r = strstr(a, "m_repost.txt@");
            const char *nl = r ? strchr(r, '\n') : NULL;
            const char *z = strstr(a, "z_added.txt@");
            cr_expect(r && nl && z && z < nl, "%s", a);
            cr_expect(z && !strstr(z + 1, "z_added.txt@"), "%s", a);
        }
        free(a);
        free(b);
    }
    char args[8192];
    snprintf(args, sizeof args, "index --check --index '%s'", inc);
    free(run(args, 0));
}

/* Whether the published generation of index holds a file order for its
 * own manifest, with n_files spans. */
static int has_order(const char *index)
{
    ql_index_t idx;
    ql_err_t e = {0};
    cr_assert_eq(ql_index_open(index, &idx, &e), 0, "%s", e.msg);
    char *order = NULL, *manifest = NULL;
    size_t olen = 0, mlen = 0, files = 0;
    cr_assert_eq(xq_db_get_metadata(idx.db, QL_META_ORDER, &order, &olen), XQ_OK);
    cr_assert_eq(xq_db_get_metadata(idx.db, QL_META_MANIFEST, &manifest, &mlen), XQ_OK);
    for (size_t i = 0; i < mlen; i++) files += manifest[i] == '\n';
    ql_span_t *spans = calloc(files + 1, sizeof *spans);
    const int ok =
        olen && ql_order_decode(order, olen, qi_content_hash(manifest, mlen), spans, files) == 0;
    free(spans);
    free(order);
    free(manifest);
    ql_index_close(&idx);
    return ok;
}

static void expect_same_results(const char *inc, const char *full)
{
    static const char *const queries[] = {"zebra",        "foreign ministers Guilin",
                                          "Middle East",  "unilateral sanctions",
                                          "summit Kazan", "title:repost",
                                          "talks Guilin", "Group of Friends"};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        char *a = results(inc, queries[q]), *b = results(full, queries[q]);
        cr_expect_str_eq(a, b, "%s\n--- update:\n%s--- full:\n%s", queries[q], a, b);
        free(a);
        free(b);
    }
}

/* Two updates in a row: the first records where every file's passages are,
 * the second reads that instead of looking each file up, and both answer
 * as a full rebuild - the second adds a file early in file order whose
 * paragraph becomes the first of a group later files belong to. */
Test(incremental, a_second_update_uses_the_recorded_order_and_equals_full_rebuild)
{
    copy_corpus();
    char inc[4096], full[4096], path[8192], text[2048];
    snprintf(inc, sizeof inc, "%s/inc", th_tmpdir());
    snprintf(full, sizeof full, "%s/full", th_tmpdir());
    free(index_docs(inc, ""));
    cr_expect(!has_order(inc), "a full build records no order");

    snprintf(text, sizeof text, "Later post\n\nThe summit in Kazan ended.\n\n%s\n",
             POST("nuclear talks"));
    write_doc("z_added.txt", text);
    snprintf(text, sizeof text, "Edited\n\nA zebra paragraph about sanctions, first version.\n");
    write_doc("001_ea55f0a196ef1fcc.txt", text);
    char *out = index_docs(inc, "");
    cr_expect(strstr(out, "updated 1 changed, 1 new, 0 removed") != NULL, "%s", out);
    free(out);
    cr_expect(has_order(inc), "the update records the order");

    snprintf(text, sizeof text, "Early post\n\n%s\n", POST("negotiations"));
    write_doc("b_early.txt", text);
    snprintf(text, sizeof text, "Edited\n\nA zebra paragraph about sanctions, second version.\n");
    write_doc("001_ea55f0a196ef1fcc.txt", text);
    snprintf(path, sizeof path, "%s/a_first.txt", docs);
    cr_assert_eq(unlink(path), 0);
    out = index_docs(inc, "");
    cr_expect(strstr(out, "updated 1 changed, 1 new, 1 removed") != NULL, "%s", out);
    free(out);
    cr_expect(has_order(inc), "the second update records it again");
    free(index_docs(full, "--full"));
    expect_same_results(inc, full);
}

/* Regression: an index whose file list does not parse (written in an
 * earlier layout of it, or damaged) was updated as if it listed nothing:
 * every file came back "new" beside its old passages, doubling the index
 * (seen on a development index: 5 files became 10, 228 passages 456). */
Test(incremental, an_unreadable_file_list_rebuilds_instead_of_doubling)
{
    snprintf(docs, sizeof docs, "%s/docs", th_tmpdir());
    write_doc("a.txt", "Alpha\n\nalpha words here\n");
    write_doc("b.txt", "Bravo\n\nbravo words here\n");
    const char *idx = th_index(docs);
    cr_assert_not_null(idx);
    char gen[4096], cmd[8192];
    snprintf(gen, sizeof gen, "%s/current", idx);
    xq_wdb_t *db = NULL;
    cr_assert_eq(xq_wdb_open(gen, 0, &db), XQ_OK);
    static const char old[] =
        "0\ta.txt\t24\t1\t0bca9d28a4594a00\n0\tb.txt\t24\t1\t3f8dc5609e1dcf0c\n";
    cr_assert_eq(xq_wdb_set_metadata(db, "quire.manifest", old, sizeof old - 1), XQ_OK);
    cr_assert_eq(xq_wdb_close(db), XQ_OK);
    xq_wdb_free(db);
    /* re-sealed, so the index is not taken as damaged (which rebuilds) */
    char real[4096];
    cr_assert_not_null(realpath(gen, real));
    ql_err_t e = {0};
    cr_assert_eq(ql_integrity_write(real, 4, 2, 0, 0, &e), 0, "%s", e.msg);
    snprintf(cmd, sizeof cmd, "'%s' index -q --index '%s' '%s'", th_bin(), idx, docs);
    cr_assert_eq(th_run(cmd, NULL, NULL), 0);
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "'%s' stats --index '%s'", th_bin(), idx);
    cr_assert_eq(th_run(cmd, &out, NULL), 0);
    cr_expect(strstr(out, "files      2\n") && strstr(out, "passages   4\n"), "not doubled: %s",
              out);
    free(out);
}

/* Every passage of index's published generation as "group-term file@byte",
 * sorted: the near-duplicate groups, comparable between two builds (keys
 * are hashes of text, not docids). */
typedef struct {
    ql_index_t *idx;
    ql_buf_t *out;
} groups_t;

static int add_group(void *ctx, const char *term, size_t len, unsigned freq)
{
    groups_t *g = ctx;
    (void)freq;
    xq_docid_t *ids = NULL;
    size_t n = 0;
    cr_assert_eq(xq_db_postings(g->idx->db, term, len, &ids, &n), XQ_OK);
    for (size_t i = 0; i < n; i++) {
        char *data = NULL;
        size_t dlen = 0;
        ql_passage_t p;
        cr_assert_eq(xq_db_get_data(g->idx->db, ids[i], &data, &dlen), XQ_OK);
        cr_assert_eq(ql_record_decode(data, dlen, &p), 0);
        ql_buf_printf(g->out, "%.*s %.*s@%llu\n", (int)len, term, (int)p.path_len, p.path,
                      (unsigned long long)p.byte_start);
        free(data);
    }
    free(ids);
    return 0;
}

static char *groups_of(const char *index)
{
    ql_index_t idx;
    ql_err_t e = {0};
    ql_buf_t b = {0};
    cr_assert_eq(ql_index_open(index, &idx, &e), 0, "%s", e.msg);
    groups_t g = {&idx, &b};
    cr_assert_eq(xq_db_terms(idx.db, QL_PREFIX_DUP, add_group, &g), XQ_OK);
    ql_index_close(&idx);
    cr_assert(!b.oom);
    /* sort the lines */
    size_t n = 0;
    for (size_t i = 0; i < b.len; i++) n += b.data[i] == '\n';
    char **lines = calloc(n + 1, sizeof *lines);
    size_t k = 0;
    for (char *s = b.data, *nl; s && (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
        *nl = '\0';
        lines[k++] = s;
    }
    qsort(lines, k, sizeof *lines, cmp_str);
    ql_buf_t sorted = {0};
    for (size_t i = 0; i < k; i++) ql_buf_printf(&sorted, "%s\n", lines[i]);
    free(lines);
    ql_buf_free(&b);
    return sorted.data ? sorted.data : strdup("");
}

/* Thirty words no other call writes: a paragraph like no other. */
static void unique_words(char *out, size_t cap, unsigned seed)
{
    static const char *const w[] = {"amber",   "basalt", "cedar",  "delta",   "ember",  "fjord",
                                    "granite", "harbor", "indigo", "juniper", "kelp",   "lagoon",
                                    "meadow",  "nickel", "orchid", "pewter",  "quartz", "russet"};
    size_t at = 0;
    unsigned x = seed * 2654435761u + 12345u;
    for (int i = 0; i < 30 && at < cap; i++) {
        x = x * 1103515245u + 12345u;
        at += (size_t)snprintf(out + at, cap - at, "%s%s%u", i ? " " : "", w[(x >> 16) % 18],
                               seed * 100u + (unsigned)i);
    }
}

#define STORY(x)                                                                                   \
    "The Security Council adopted a resolution on Tuesday extending the mandate of the "           \
    "peacekeeping mission in Cyprus for another year, with thirteen votes in favour and two "      \
    "abstentions over the " x "."

#define RATES(x)                                                                                   \
    "The central bank of Argentina raised its benchmark interest rate by five percentage points "  \
    "on Thursday in an attempt to slow inflation, which reached an annual rate above one hundred " \
    "percent in the " x "."

/* Three variants of one paragraph: the second (SUDAN_Q) is near-identical
 * to each of the others, which are not to each other (MinHash agreement 12,
 * 13 and 11 of 16), and shares its first band with both. */
#define SUDAN_HEAD "Delegations from the African "
#define SUDAN_X                                                                                    \
    "Item 1\n\n" SUDAN_HEAD "Union and the League of Arab States gathered in Addis Ababa on "      \
    "Wednesday to draft a joint appeal for a ceasefire in Sudan, calling on both armed forces to " \
    "open northern corridors and to return to the talks hosted in Jeddah before the rainy "        \
    "season.\n"
#define SUDAN_P                                                                                    \
    "Item 4\n\n" SUDAN_HEAD "fragile crucial the League of Arab States gathered in Addis Ababa "   \
    "on Wednesday to draft a joint appeal for a ceasefire in Sudan, quickly on both armed forces " \
    "to open humanitarian corridors and to return to the talks hosted in Jeddah before the rainy " \
    "season.\n"
#define SUDAN_Q                                                                                    \
    "Item 0\n\n" SUDAN_HEAD "Union and the League of several States gathered in Addis Ababa on "   \
    "Wednesday to draft a joint appeal for a ceasefire in Sudan, calling on both armed forces to " \
    "open humanitarian corridors and to return to the quickly hosted in Jeddah before the rainy "  \
    "season.\n"

/* A file of a title, a paragraph of its own (seed) and the extra paragraphs
 * given (NULL: none). */
static void write_post(const char *name, unsigned seed, const char *extra, const char *extra2)
{
    char own[1024], text[8192];
    unique_words(own, sizeof own, seed);
    snprintf(text, sizeof text, "Post %u\n\n%s\n\n%s\n\n%s\n", seed, own, extra ? extra : "",
             extra2 ? extra2 : "");
    write_doc(name, text);
}

/* Updates inc from docs, then builds the same files whole and expects the
 * same groups. */
static void update_and_compare(const char *inc, const char *step)
{
    char full[4096];
    snprintf(full, sizeof full, "%s/full", th_tmpdir());
    free(index_docs(inc, ""));
    free(index_docs(full, "--full"));
    char *a = groups_of(inc), *b = groups_of(full);
    cr_expect_str_eq(a, b, "%s\n--- update:\n%s--- full:\n%s", step, a, b);
    free(a);
    free(b);
}

static void remove_doc(const char *name)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", docs, name);
    cr_assert_eq(unlink(path), 0, "%s", path);
}

/* An update regroups only its own passages when they stand apart from the
 * kept ones (regroup.c); every step below gives the groups a full build
 * gives - those it may keep to itself, and those where a kept passage's
 * group changes: a new passage before kept ones like it, after them, a
 * removed group's first, a removed member, a passage an edit drops, and
 * one like a kept passage that follows another new one it is like. */
Test(incremental, an_update_groups_near_duplicates_as_a_full_build)
{
    snprintf(docs, sizeof docs, "%s/docs", th_tmpdir());
    char inc[4096];
    snprintf(inc, sizeof inc, "%s/inc", th_tmpdir());
    for (unsigned i = 0; i < 10; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%02u.txt", i);
        write_post(name, i,
                   i == 2   ? POST("talks")
                   : i == 7 ? POST("negotiations")
                            : NULL,
                   i == 4 ? STORY("budget") : NULL);
    }
    write_doc("f03x.txt", SUDAN_X);
    update_and_compare(inc, "built");

    /* its own passages only, two of them alike */
    write_post("f05.txt", 50, RATES("spring"), RATES("springtime"));
    update_and_compare(inc, "an edit whose passages group among themselves");
    write_post("f05.txt", 51, NULL, NULL);
    update_and_compare(inc, "an edit that drops them");

    write_post("f01.txt", 10, POST("summit"), NULL); /* the new first of f02's and f07's */
    update_and_compare(inc, "a passage before kept ones like it");
    remove_doc("f01.txt");
    update_and_compare(inc, "the group's first removed");
    write_doc("f08b.txt", "Later\n\n" STORY("dues") "\n");
    update_and_compare(inc, "a passage after a kept one like it");
    remove_doc("f06.txt");
    update_and_compare(inc, "a file with nothing alike removed");
    write_post("f07.txt", 70, NULL, NULL);
    update_and_compare(inc, "a member's passage dropped");

    /* the whole replay gives SUDAN_Q the kept SUDAN_X's group, which it
     * meets before SUDAN_P's in their shared band: regression, the shortcut
     * asked the kept passages only about the first of each new group */
    write_doc("f08p.txt", SUDAN_P);
    write_doc("f08q.txt", SUDAN_Q);
    update_and_compare(inc, "a passage like a kept one after one of its own group");
}

/* The counts `quire index --json` reports of the index: files, passages,
 * articles, undated. */
static void index_counts(const char *index, const char *flags, long out[4])
{
    char *json = index_docs(index, flags);
    json_error_t je;
    json_t *o = json_loads(json, 0, &je);
    cr_assert_not_null(o, "%s: %s", je.text, json);
    static const char *const keys[] = {"files", "passages", "articles", "undated"};
    for (size_t i = 0; i < 4; i++) {
        json_t *v = json_object_get(o, keys[i]);
        cr_assert(json_is_integer(v), "%s: %s", keys[i], json);
        out[i] = (long)json_integer_value(v);
    }
    json_decref(o);
    free(json);
}

/* Regression: with --json, a run that found nothing changed said 0
 * passages and 0 articles of an index holding 230, and an update counted
 * only the articles it read (1) beside every file and passage: the counts
 * are now always the published index's, as a full build reports them. */
Test(incremental, json_counts_are_the_index_s_after_an_update_or_nothing)
{
    copy_corpus();
    char inc[4096], full[4096];
    snprintf(inc, sizeof inc, "%s/inc", th_tmpdir());
    snprintf(full, sizeof full, "%s/full", th_tmpdir());
    long built[4], same[4], updated[4], rebuilt[4];
    index_counts(inc, "--json", built);
    cr_expect_gt(built[1], 100, "a corpus of passages");
    index_counts(inc, "--json", same);
    for (int i = 0; i < 4; i++) cr_expect_eq(same[i], built[i], "nothing changed: count %d", i);
    write_doc("z_added.txt", "Added\n\nA dated note, 3 March 2024, on the zebra talks.\n");
    index_counts(inc, "--json", updated);
    index_counts(full, "--full --json", rebuilt);
    for (int i = 0; i < 4; i++) cr_expect_eq(updated[i], rebuilt[i], "updated: count %d", i);
    cr_expect_eq(updated[0], built[0] + 1);
    cr_expect_eq(updated[2], built[2] + 1, "the added file is an article");
}
