/*
 * test_shards.c - several indexes searched as one. `quire index --shard
 * I/N` puts every file in exactly one shard. Over N local shards, over the
 * same shards served by `quire serve` on 127.0.0.1, and through a cluster
 * file, every query returns the same passages in the same order, with
 * scores within 1e-9, as one index over everything: the judged corpus
 * queries on corpus/, 225 queries on the 1,400 Cranfield documents, and
 * alias queries over 8 shards that hold an alias's names very unevenly.
 * Faults: a server that is down or stopped is named within the timeout;
 * --allow-partial answers from the others with a warning naming it, also
 * when the server is killed in the middle of a query loop; `quire serve`
 * follows a newly published generation; served shards print the same
 * snippets and citations as local ones.
 */
#include <criterion/criterion.h>

#include "buf.h"
#include "helpers.h"
#include "layout.h"
#include "search.h"
#include "slice.h"
#include "xq.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_QUERIES 300
#define HITS 10
#define LOOP_QUERIES 60 /* Cranfield queries per batch run in the kill loop */

static void teardown(void)
{
    th_cleanup();
}

TestSuite(shards, .fini = teardown, .timeout = 240);

/* ------------------------------------------------------------ fixtures */

static void index_into(const char *docs, const char *index, const char *shard)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' index -q %s%s --index '%s' '%s'", th_bin(),
             shard ? "--shard " : "", shard ? shard : "", index, docs);
    char *out = NULL, *err = NULL;
    const int st = th_run(cmd, &out, &err);
    cr_assert_eq(st, 0, "%s: %s", cmd, err);
    free(out);
    free(err);
}

/* Indexes docs whole into <tmp>/NAME-all and as n shards <tmp>/NAME-I; the
 * shard directories go to dirs[0..n) (static storage). */
static const char *build_shards(const char *docs, const char *name, int n, const char **dirs)
{
    static char all[4096], shard[16][4096];
    snprintf(all, sizeof all, "%s/%s-all", th_tmpdir(), name);
    index_into(docs, all, NULL);
    for (int i = 0; i < n; i++) {
        char spec[32];
        snprintf(shard[i], sizeof shard[i], "%s/%s-%d", th_tmpdir(), name, i + 1);
        snprintf(spec, sizeof spec, "%d/%d", i + 1, n);
        index_into(docs, shard[i], spec);
        dirs[i] = shard[i];
    }
    return all;
}

/* The judged corpus queries (tests/relevance/corpus.queries). */
static size_t corpus_queries(char **q)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/../tests/relevance/corpus.queries", th_corpus());
    char *text = th_read(path, NULL);
    cr_assert(text, "%s: cannot read", path);
    size_t n = 0;
    for (char *line = strtok(text, "\n"); line && n < MAX_QUERIES; line = strtok(NULL, "\n")) {
        const char *tab = strchr(line, '\t');
        if (line[0] != '#' && tab) q[n++] = strdup(tab + 1);
    }
    free(text);
    /* and the operators whose terms come from the index itself (prefixes,
     * expanded against every shard's vocabulary) or from positions */
    static const char *const ops[] = {"sanct*",
                                      "defen* char*",
                                      "Lavrov NEAR/11 Hungary",
                                      "\"Group of Friends\" NEAR/5 letter",
                                      "Guaido OR Szijjarto OR Bahrain",
                                      "charter -defense"};
    for (size_t k = 0; k < sizeof ops / sizeof *ops && n < MAX_QUERIES; k++)
        q[n++] = strdup(ops[k]);
    return n;
}

/* The text between <tag> and </tag> at or after p, whitespace collapsed;
 * NULL when absent before `limit`. Caller frees. */
static char *between(const char *p, const char *limit, const char *tag)
{
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *a = strstr(p, open), *b = a ? strstr(a, close) : NULL;
    if (!a || !b || (limit && b > limit)) return NULL;
    a += strlen(open);
    char *out = malloc((size_t)(b - a) + 1);
    size_t n = 0;
    for (const char *c = a; c < b; c++) {
        const int space = *c == ' ' || *c == '\n' || *c == '\t' || *c == '\r';
        if (space && (n == 0 || out[n - 1] == ' ')) continue;
        out[n++] = space ? ' ' : *c;
    }
    while (n && out[n - 1] == ' ') n--;
    out[n] = '\0';
    return out;
}

static const char *cranfield_dir(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s", th_data("cranfield"));
    return dir;
}

/* Writes the 1,400 Cranfield abstracts one file each under <tmp>/cran and
 * returns that directory; its 225 queries go to q. */
static const char *cranfield(char **q, size_t *nq)
{
    static char docs[4096];
    char path[8192];
    snprintf(path, sizeof path, "%s/cran.all.1400.xml", cranfield_dir());
    char *all = th_read(path, NULL);
    cr_assert(all, "%s: cannot read", path);
    snprintf(docs, sizeof docs, "%s/cran", th_tmpdir());
    size_t ndocs = 0;
    for (const char *p = strstr(all, "<doc>"); p; p = strstr(p + 1, "<doc>")) {
        const char *end = strstr(p, "</doc>");
        char *no = between(p, end, "docno"), *title = between(p, end, "title"),
             *text = between(p, end, "text");
        cr_assert(no && end, "malformed Cranfield document");
        char name[32];
        snprintf(name, sizeof name, "%04d.txt", atoi(no));
        const size_t cap = (title ? strlen(title) : 0) + (text ? strlen(text) : 0) + 4;
        char *body = malloc(cap);
        const int len = snprintf(body, cap, "%s\n\n%s\n", title ? title : "", text ? text : "");
        th_write(docs, name, body, (size_t)len);
        ndocs++;
        free(no);
        free(title);
        free(text);
        free(body);
    }
    free(all);
    cr_assert_eq(ndocs, 1400);
    snprintf(path, sizeof path, "%s/cran.qry.xml", cranfield_dir());
    char *qs = th_read(path, NULL);
    cr_assert(qs, "%s: cannot read", path);
    *nq = 0;
    for (const char *p = strstr(qs, "<top>"); p && *nq < MAX_QUERIES; p = strstr(p + 1, "<top>"))
        q[(*nq)++] = between(p, strstr(p, "</top>"), "title");
    free(qs);
    cr_assert_eq(*nq, 225);
    return docs;
}

/* ------------------------------------------------------------ comparing */

typedef struct {
    char key[HITS][1200]; /* root/path@bytes, then each copy's path@bytes */
    double score[HITS];
    size_t n;
} hits_t;

static int collect(void *ctx, const qs_hit_t *h)
{
    hits_t *r = ctx;
    char *k = r->key[r->n];
    size_t len = (size_t)snprintf(
        k, sizeof r->key[r->n], "%s/%.*s@%llu-%llu", h->root, (int)h->p->path_len, h->p->path,
        (unsigned long long)h->p->byte_start, (unsigned long long)h->p->byte_end);
    for (size_t i = 0; i < h->ncopies && len < sizeof r->key[r->n]; i++)
        len += (size_t)snprintf(k + len, sizeof r->key[r->n] - len, " +%s@%llu", h->copies[i].path,
                                (unsigned long long)h->copies[i].byte_start);
    r->score[r->n++] = h->score;
    return r->n == HITS;
}

/* qs_options_t.prox_apart for assert_same (default: the searcher's own). */
static double prox_apart = -1;

/* Every query over `a` and over `b` (lists of index specs): the same hits in
 * the same order, scores within 1e-9; depth: candidates re-ranked (0: the
 * default). Returns the number of hits compared. */
static size_t assert_same(const char *const *a, size_t na, const char *const *b, size_t nb,
                          char **queries, size_t nq, int sort_date, unsigned depth)
{
    qs_searcher_t *sa = NULL, *sb = NULL;
    ql_err_t e = {0};
    cr_assert_eq(qs_open_many(a, na, NULL, &sa, &e), 0, "%s", e.msg);
    cr_assert_eq(qs_open_many(b, nb, NULL, &sb, &e), 0, "%s", e.msg);
    qs_options_t o;
    qs_options_default(&o);
    o.sort_date = sort_date;
    o.limit = HITS;
    o.snippet_width = 0;
    if (depth) o.depth = depth;
    o.prox_apart = prox_apart;
    size_t compared = 0;
    for (size_t k = 0; k < nq; k++) {
        hits_t ha = {0}, hb = {0};
        qs_result_t ra, rb;
        cr_assert_eq(qs_search(sa, queries[k], strlen(queries[k]), &o, collect, &ha, &ra, &e), 0,
                     "%s: %s", queries[k], e.msg);
        cr_assert_eq(qs_search(sb, queries[k], strlen(queries[k]), &o, collect, &hb, &rb, &e), 0,
                     "%s: %s", queries[k], e.msg);
        cr_assert_eq(ha.n, hb.n, "%s: %zu hits on one index, %zu over shards", queries[k], ha.n,
                     hb.n);
        for (size_t i = 0; i < ha.n; i++) {
            cr_assert_str_eq(ha.key[i], hb.key[i], "%s: rank %zu differs: %s %.12f vs %s %.12f",
                             queries[k], i + 1, ha.key[i], ha.score[i], hb.key[i], hb.score[i]);
            cr_assert(fabs(ha.score[i] - hb.score[i]) <= 1e-9, "%s: rank %zu scores %.12f vs %.12f",
                      queries[k], i + 1, ha.score[i], hb.score[i]);
        }
        compared += ha.n;
    }
    qs_close(sa);
    qs_close(sb);
    return compared;
}

/* ------------------------------------------------------------ servers */

static unsigned free_port(void)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    cr_assert(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
              getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static int answers(unsigned port)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return ok;
}

typedef struct {
    pid_t pid;
    unsigned port;
    char spec[64]; /* tcp://127.0.0.1:PORT */
} server_t;

static void sleep_ms(long ms)
{
    const struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* Runs `quire serve` on index, or xapian-tcpsrv itself on a generation
 * directory when raw_gen (so the test holds the server's own pid). */
static server_t serve(const char *index, const char *raw_gen)
{
    server_t s = {0, free_port(), ""};
    snprintf(s.spec, sizeof s.spec, "tcp://127.0.0.1:%u", s.port);
    char port[16];
    snprintf(port, sizeof port, "%u", s.port);
    s.pid = fork();
    cr_assert(s.pid >= 0);
    if (s.pid == 0) {
        /* its own process group: xapian-tcpsrv answers SIGTERM by signalling
         * its whole group; and quiet about clients that went away */
        setpgid(0, 0);
        /* and gone with the test: a failed assertion ends the test before
         * stop(), and a server left running holds the runner's pipes */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (!freopen("/dev/null", "w", stderr) || !freopen("/dev/null", "w", stdout)) _exit(127);
        if (raw_gen)
            execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", port,
                   "--quiet", raw_gen, (char *)NULL);
        else
            execl(th_bin(), th_bin(), "serve", "-q", "--index", index, "--port", port,
                  (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 250 && !answers(s.port); i++) sleep_ms(20);
    cr_assert(answers(s.port), "server on port %u did not start", s.port);
    return s;
}

static void stop(server_t *s)
{
    if (s->pid <= 0) return;
    kill(s->pid, SIGCONT);
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
}

/* Serves each of dirs[0..n) (one server each): their specs in remote[]. */
static void serve_all(const char *const *dirs, int n, server_t *srv, const char **remote)
{
    for (int i = 0; i < n; i++) {
        srv[i] = serve(dirs[i], NULL);
        remote[i] = srv[i].spec;
    }
}

static void stop_all(server_t *srv, int n)
{
    for (int i = 0; i < n; i++) stop(&srv[i]);
}

/* ------------------------------------------------------------ tests */

Test(shards, every_file_in_exactly_one_slice)
{
    static const char *const paths[] = {"a.txt", "b/c.txt", "2023/05/news.txt", "x", "é.txt"};
    for (unsigned n = 1; n <= 7; n++) {
        for (size_t p = 0; p < sizeof paths / sizeof *paths; p++) {
            unsigned owners = 0;
            for (unsigned i = 1; i <= n; i++) {
                const qi_slice_t s = {i, n};
                owners += (unsigned)qi_slice_has(&s, paths[p], strlen(paths[p]));
            }
            cr_expect_eq(owners, 1, "%s has %u owners among %u shards", paths[p], owners, n);
        }
    }
    qi_slice_t s;
    cr_expect_eq(qi_slice_parse("2/3", &s), 0);
    cr_expect(s.i == 2 && s.n == 3);
    cr_expect_neq(qi_slice_parse("0/3", &s), 0);
    cr_expect_neq(qi_slice_parse("4/3", &s), 0);
    cr_expect_neq(qi_slice_parse("1/", &s), 0);
    cr_expect_neq(qi_slice_parse("1/3x", &s), 0);
}

Test(shards, corpus_over_shards_equals_one_index)
{
    char *q[MAX_QUERIES];
    size_t nq = corpus_queries(q);
    cr_assert_geq(nq, 25);
    /* and the metadata filters, which each shard evaluates on its own values */
    static const char *const filtered[] = {"date:2023..2024 Lavrov", "source:mfa charter",
                                           "date:..2023-12 UN Charter", "date:2024"};
    for (size_t k = 0; k < 4 && nq < MAX_QUERIES; k++) q[nq++] = strdup(filtered[k]);
    for (int n = 2; n <= 4; n++) {
        const char *dirs[16];
        char name[16];
        snprintf(name, sizeof name, "c%d", n);
        const char *all = build_shards(th_corpus(), name, n, dirs);
        const size_t hits = assert_same(&all, 1, dirs, (size_t)n, q, nq, 0, 0);
        cr_assert_gt(hits, 100, "only %zu hits compared", hits);
        cr_assert_gt(assert_same(&all, 1, dirs, (size_t)n, q, nq, 1, 0), 100, "--sort=date");
        /* the shards hold the corpus's files between them, once each */
        char cmd[8192];
        int files = 0;
        for (int i = 0; i < n; i++) {
            snprintf(cmd, sizeof cmd, "'%s' index --check --index '%s' | tr -dc 0-9", th_bin(),
                     dirs[i]);
            files += th_run_count(cmd);
        }
        cr_expect_eq(files, 5, "%d shards hold %d files", n, files);
    }
    for (size_t k = 0; k < nq; k++) free(q[k]);
}

Test(shards, cranfield_over_shards_and_servers_equals_one_index)
{
    char *q[MAX_QUERIES];
    size_t nq = 0;
    const char *docs = cranfield(q, &nq);
    const char *dirs[16];
    const char *all = build_shards(docs, "cran", 3, dirs);
    cr_assert_gt(assert_same(&all, 1, dirs, 3, q, nq, 0, 0), 2000);

    /* the same shards, served on loopback */
    server_t srv[3];
    const char *remote[3];
    serve_all(dirs, 3, srv, remote);
    cr_assert_gt(assert_same(&all, 1, remote, 3, q, nq, 0, 0), 2000);

    /* and described in a cluster file: two local, one remote */
    char conf[8192];
    const int len = snprintf(conf, sizeof conf, "# test cluster\n%s\n\n  %s  \n%s # remote\n",
                             strrchr(dirs[0], '/') + 1, dirs[1], remote[2]);
    const char *path = th_write(th_tmpdir(), "cluster.conf", conf, (size_t)len);
    char cluster[4096];
    snprintf(cluster, sizeof cluster, "%s", path);
    const char *spec = cluster;
    cr_assert_gt(assert_same(&all, 1, &spec, 1, q, 60, 0, 0), 500);
    stop_all(srv, 3);

    /* and cut finer: 8 local shards of about 175 documents */
    const char *dirs8[16];
    build_shards(docs, "cran8", 8, dirs8);
    cr_assert_gt(assert_same(&all, 1, dirs8, 8, q, nq, 0, 0), 2000);
    for (size_t k = 0; k < nq; k++) free(q[k]);
}

/* Writes n short articles under <tmp>/NAME in which the names of two alias
 * groups are spread unevenly over the 8 shards the files fall into (which
 * name is commonest differs from shard to shard, and some names are absent
 * from some shards) and returns that directory. This is where a synonym of
 * three or more names was weighted by each shard's own term statistics. */
/* Appends n words drawn from a fixed list by the generator *seed to
 * text[0..len) (cap bytes); returns the new length. */
static size_t add_words(char *text, size_t len, size_t cap, unsigned long *seed, int n)
{
    static const char *const words[] = {
        "sanctions", "trade",   "talks",  "envoy",     "summit",   "charter",  "council",  "treaty",
        "tariffs",   "missile", "grain",  "border",    "minister", "embassy",  "vote",     "budget",
        "pipeline",  "ports",   "visas",  "aid",       "troops",   "election", "currency", "court",
        "deal",      "exports", "drills", "satellite", "refugees", "ceasefire"};
    const size_t nwords = sizeof words / sizeof *words;
    for (int w = 0; w < n && len < cap; w++) {
        *seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
        len += (size_t)snprintf(text + len, cap - len, " %s", words[(*seed >> 33) % nwords]);
    }
    return len;
}

static const char *alias_articles(const char *name, int n)
{
    static char dir[4096];
    static const char *const names[] = {"the United States",
                                        "the U.S.",
                                        "the USA",
                                        "the United States of America",
                                        "North Korea",
                                        "the DPRK",
                                        "the Democratic People's Republic of Korea"};
    /* in shard s, file k mentions name i when (k + i) % every[i][s] == 0; 0: never */
    static const unsigned every[7][8] = {{2, 3, 2, 4, 2, 3, 5, 2},  {3, 0, 9, 2, 0, 5, 17, 4},
                                         {0, 5, 3, 0, 11, 2, 3, 0}, {7, 13, 0, 5, 3, 0, 2, 9},
                                         {2, 2, 3, 5, 2, 7, 2, 3},  {0, 3, 0, 2, 13, 0, 4, 5},
                                         {5, 0, 2, 0, 3, 11, 0, 2}};
    snprintf(dir, sizeof dir, "%s/%s", th_tmpdir(), name);
    unsigned long seed = 12345;
    for (int k = 1; k <= n; k++) {
        char text[4096], file[32];
        snprintf(file, sizeof file, "a%04d.txt", k);
        unsigned s = 0;
        for (unsigned i = 1; i <= 8; i++) {
            const qi_slice_t sl = {i, 8};
            if (qi_slice_has(&sl, file, strlen(file))) s = i - 1;
        }
        size_t len = (size_t)snprintf(text, sizeof text, "Article %d\n\n", k);
        for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
            if (!every[i][s] || ((unsigned)k + i) % every[i][s]) continue;
            len += (size_t)snprintf(text + len, sizeof text - len, "Officials said %s", names[i]);
            len = add_words(text, len, sizeof text, &seed, 12);
            len += (size_t)snprintf(text + len, sizeof text - len, ".\n\n");
        }
        th_write(dir, file, text, len);
    }
    return dir;
}

Test(shards, alias_synonyms_over_eight_shards_equal_one_index)
{
    static const char *const queries[] = {
        "United States",       "US sanctions", "U.S. trade talks",
        "North Korea missile", "DPRK",         "\"Democratic People's Republic of Korea\" envoy",
        "USA summit treaty"};
    const size_t nq = sizeof queries / sizeof *queries;
    char *q[sizeof queries / sizeof *queries];
    for (size_t k = 0; k < nq; k++) q[k] = strdup(queries[k]);
    const char *docs = alias_articles("aliasdocs", 600);
    const char *dirs[16];
    const char *all = build_shards(docs, "al", 8, dirs);
    cr_assert_gt(assert_same(&all, 1, dirs, 8, q, nq, 0, 0), 60);
    /* re-ranking only the first 10 candidates puts the cut among passages of
     * equal weight: which of them are candidates must not depend on docids */
    cr_assert_gt(assert_same(&all, 1, dirs, 8, q, nq, 0, 10), 60);
    /* and with every pair of plain words weighed on the candidates alone */
    prox_apart = 0;
    cr_assert_gt(assert_same(&all, 1, dirs, 8, q, nq, 0, 0), 60);
    prox_apart = -1;
    for (size_t k = 0; k < nq; k++) free(q[k]);
}

/* n articles; article k and article k + n/2 share their second paragraph
 * word for word, so each pair is one group of copies, often split between
 * shards. Returns the directory. */
static const char *copy_articles(const char *name, int n)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", th_tmpdir(), name);
    for (int k = 0; k < n; k++) {
        char text[4096], file[32];
        snprintf(file, sizeof file, "c%04d.txt", k);
        size_t len = (size_t)snprintf(text, sizeof text, "Report %d\n\n", k);
        unsigned long seed = 777u + (unsigned long)k; /* the article's own paragraph */
        len = add_words(text, len, sizeof text, &seed, 20);
        len += (size_t)snprintf(text + len, sizeof text - len, ".\n\n");
        seed = 99u + (unsigned long)(k % (n / 2)); /* the paragraph it shares */
        len = add_words(text, len, sizeof text, &seed, 24);
        len += (size_t)snprintf(text + len, sizeof text - len, ".\n");
        th_write(dir, file, text, len);
    }
    return dir;
}

/* Copies of one paragraph in two shards tie; one index lists the first in
 * corpus order and the other as its copy, and so must every sharding, also
 * where the shards' sums differ in the last bits (long queries, with
 * feedback) and Xapian's collapse would keep the other. */
Test(shards, copies_split_between_shards_keep_the_first_in_corpus_order)
{
    static const char *const queries[] = {
        "sanctions trade talks envoy summit charter council treaty",
        "tariffs missile grain border minister embassy vote budget",
        "pipeline ports visas aid troops election currency court deal",
        "exports drills satellite sanctions council summit",
        "the envoy and the minister on the treaty and the border deal",
        "treaty"};
    const size_t nq = sizeof queries / sizeof *queries;
    char *q[sizeof queries / sizeof *queries];
    for (size_t k = 0; k < nq; k++) q[k] = strdup(queries[k]);
    const char *docs = copy_articles("copydocs", 160);
    size_t compared = 0;
    for (int n = 2; n <= 8; n += 3) {
        const char *dirs[16];
        char name[16];
        snprintf(name, sizeof name, "cp%d", n);
        const char *all = build_shards(docs, name, n, dirs);
        compared += assert_same(&all, 1, dirs, (size_t)n, q, nq, 0, 0);
        if (n != 5) continue;
        /* served: the signatures come in one search per query, not with
         * each candidate's document */
        server_t srv[5];
        const char *remote[5];
        serve_all(dirs, n, srv, remote);
        compared += assert_same(&all, 1, remote, (size_t)n, q, nq, 0, 0);
        stop_all(srv, n);
    }
    cr_assert_gt(compared, 150);
    for (size_t k = 0; k < nq; k++) free(q[k]);
}

/* Runs the CLI; returns its exit status, output in *out / *err. */
static int quire(const char *args, char **out, char **err)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' %s", th_bin(), args);
    return th_run(cmd, out, err);
}

/* Over served shards, the candidates' priors, the query words each holds
 * (the coverage rule), the near-duplicate signatures merged across shards
 * and each hit's copies are read in a few searches rather than posting
 * lists and documents: the same hits, scores and copies as one index. */
Test(shards, corpus_over_served_shards_equals_one_index)
{
    char *q[MAX_QUERIES];
    size_t nq = corpus_queries(q);
    const char *dirs[16];
    const char *all = build_shards(th_corpus(), "served3", 3, dirs);
    server_t srv[3];
    const char *remote[3];
    serve_all(dirs, 3, srv, remote);
    cr_assert_gt(assert_same(&all, 1, remote, 3, q, nq, 0, 0), 300);
    cr_assert_gt(assert_same(&all, 1, remote, 3, q, nq, 1, 0), 300, "--sort=date");
    stop_all(srv, 3);
    for (size_t k = 0; k < nq; k++) free(q[k]);
}

/* The three shards of dirs, opened locally (generation by generation) or
 * over their servers, as one database. */
static xq_db_t *open_set(const char *const *dirs, const server_t *srv, xq_db_t **part)
{
    xq_db_t *db = NULL;
    for (int k = 0; k < 3; k++) {
        char gen[4200];
        snprintf(gen, sizeof gen, "%s/current", dirs[k]);
        const xq_status_t st = srv ? xq_db_open_remote("127.0.0.1", srv[k].port, 5000, &part[k])
                                   : xq_db_open(gen, &part[k]);
        cr_assert_eq(st, XQ_OK, "shard %d: %s", k, xq_db_error(part[k]));
    }
    cr_assert_eq(xq_db_combine(part, 3, &db), XQ_OK);
    return db;
}

typedef struct {
    int shard;
    ql_buf_t *out;
} mark_log_t;

static int log_mark(void *ctx, xq_docid_t docid, uint64_t bits, const char *v1, size_t len1,
                    const char *v2, size_t len2)
{
    const mark_log_t *l = ctx;
    ql_buf_printf(l->out, "%d:%u:%llx:%zu:%zu:", l->shard, docid, (unsigned long long)bits, len1,
                  len2);
    ql_buf_add(l->out, v1, len1);
    ql_buf_add(l->out, v2, len2);
    ql_buf_addc(l->out, '\n');
    return 0;
}

/* Served shards are asked side by side, a thread per shard
 * (xq_db_get_data_many, xq_db_mark_each): each answer lands in its own
 * place, whatever the order the passages are asked in, and a shard gone
 * is an error of that shard, with nothing half-filled left to the caller. */
Test(shards, shards_asked_side_by_side_answer_in_their_places)
{
    const char *dirs[16];
    build_shards(th_corpus(), "side", 3, dirs);
    server_t srv[3];
    const char *remote[3];
    serve_all(dirs, 3, srv, remote);
    xq_db_t *lpart[3], *rpart[3];
    xq_db_t *local = open_set(dirs, NULL, lpart), *served = open_set(dirs, srv, rpart);
    xq_docid_t *have = NULL; /* the passages there are: docids have gaps */
    size_t nhave = 0;
    cr_assert_eq(xq_db_postings(local, "Zthe", 4, &have, &nhave), XQ_OK);
    cr_assert_gt(nhave, 100);
    /* scattered over the shards, out of order, one asked twice */
    enum { N = 31 };
    xq_docid_t ids[N];
    for (unsigned i = 0; i < N; i++) ids[i] = have[(i * 7919u) % nhave];
    ids[N - 1] = ids[3];
    free(have);
    char *data[N];
    size_t len[N];
    cr_assert_eq(xq_db_get_data_many(served, ids, N, data, len), XQ_OK, "%s", xq_db_error(served));
    for (unsigned i = 0; i < N; i++) {
        char *want = NULL;
        size_t wlen = 0;
        cr_assert_eq(xq_db_get_data(local, ids[i], &want, &wlen), XQ_OK);
        cr_expect(wlen == len[i] && memcmp(want, data[i], wlen) == 0, "passage %u", ids[i]);
        free(want);
        free(data[i]);
    }

    /* the marks of each shard, as one shard at a time gives them */
    static const char *const terms[] = {"Zcharter", "Zsanction", "Zunit"};
    const size_t lens[] = {8, 9, 5};
    xq_query_t *all = NULL, *within[3];
    cr_assert_eq(xq_query_all(&all), XQ_OK);
    ql_buf_t one = {0}, each = {0};
    mark_log_t logs[3];
    void *ctxs[3];
    for (int k = 0; k < 3; k++) {
        within[k] = k == 1 ? NULL : all; /* the second not asked */
        logs[k] = (mark_log_t){k, &one};
        if (within[k])
            cr_assert_eq(xq_db_mark(lpart[k], all, terms, lens, 3, QL_SLOT_SIG, QL_SLOT_PRIOR,
                                    log_mark, &logs[k]),
                         XQ_OK);
        logs[k].out = &each;
        ctxs[k] = &logs[k];
    }
    cr_assert_eq(xq_db_mark_each(rpart, (const xq_query_t *const *)within, 3, terms, lens, 3,
                                 QL_SLOT_SIG, QL_SLOT_PRIOR, log_mark, ctxs),
                 XQ_OK);
    cr_assert_gt(one.len, 1000);
    cr_expect(one.len == each.len && memcmp(one.data, each.data, one.len) == 0);

    /* the third shard gone */
    stop(&srv[2]);
    for (unsigned i = 0; i < N; i++) data[i] = (char *)"left";
    cr_expect_eq(xq_db_get_data_many(served, ids, N, data, len), XQ_NETWORK);
    cr_expect_str_neq(xq_db_error(served), "");
    for (unsigned i = 0; i < N; i++) free(data[i]); /* each NULL or its own */
    within[1] = all;
    cr_expect_eq(xq_db_mark_each(rpart, (const xq_query_t *const *)within, 3, terms, lens, 3, -1,
                                 -1, log_mark, ctxs),
                 XQ_NETWORK);
    cr_expect_str_neq(xq_db_error(rpart[2]), "", "the shard gone says why");
    ql_buf_free(&one);
    ql_buf_free(&each);
    xq_query_free(all);
    xq_db_free(local);
    xq_db_free(served);
    for (int k = 0; k < 3; k++) {
        xq_db_free(lpart[k]);
        xq_db_free(rpart[k]);
    }
    stop_all(srv, 2);
}

Test(shards, remote_hits_print_the_same_snippets_and_citations)
{
    /* the passage text travels in the index: served shards print exactly
     * what the same shards print locally (file, lines, bytes, title, date,
     * source, snippet with its highlights, copies) */
    const char *dirs[16];
    build_shards(th_corpus(), "snip", 2, dirs);
    server_t a = serve(dirs[0], NULL), b = serve(dirs[1], NULL);
    char *q[MAX_QUERIES];
    const size_t nq = corpus_queries(q);
    char queries[8192];
    size_t len = 0;
    for (size_t k = 0; k < nq; k++)
        len += (size_t)snprintf(queries + len, sizeof queries - len, "%s\n", q[k]);
    th_write(th_tmpdir(), "snip.queries", queries, len);
    char args[4096], *local = NULL, *remote = NULL, *err = NULL;
    snprintf(args, sizeof args, "search --batch --index %s --index %s < '%s/snip.queries'", dirs[0],
             dirs[1], th_tmpdir());
    cr_assert_eq(quire(args, &local, &err), 0, "%s", err);
    free(err);
    snprintf(args, sizeof args, "search --batch --index %s --index %s < '%s/snip.queries'", a.spec,
             b.spec, th_tmpdir());
    cr_assert_eq(quire(args, &remote, &err), 0, "%s", err);
    free(err);
    cr_expect_eq(th_count_lines(local), nq);
    cr_expect(strstr(local, "\"snippet\"") != NULL && strstr(local, "\"line_start\"") != NULL);
    cr_expect_str_eq(remote, local);
    /* and in text, as a person reads it */
    snprintf(args, sizeof args, "search --color=always --index %s --index %s 'UN Charter'", dirs[0],
             dirs[1]);
    free(local);
    cr_assert_eq(quire(args, &local, &err), 0, "%s", err);
    free(err);
    snprintf(args, sizeof args, "search --color=always --index %s --index %s 'UN Charter'", a.spec,
             b.spec);
    free(remote);
    cr_assert_eq(quire(args, &remote, &err), 0, "%s", err);
    free(err);
    cr_expect_str_eq(remote, local);
    free(local);
    free(remote);
    stop(&a);
    stop(&b);
    for (size_t k = 0; k < nq; k++) free(q[k]);
}

Test(shards, a_server_down_or_stopped_is_named)
{
    const char *dirs[16];
    build_shards(th_corpus(), "f", 2, dirs);
    char gen[4200];
    snprintf(gen, sizeof gen, "%s/current", dirs[1]);
    server_t a = serve(dirs[0], NULL), b = serve(NULL, gen);
    char args[1024], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "search --index %s --index %s --timeout 1 -n 3 sanctions", a.spec,
             b.spec);
    cr_assert_eq(quire(args, &out, &err), 0, "%s", err);
    free(out);
    free(err);

    /* stopped: it accepts connections but never answers */
    kill(b.pid, SIGSTOP);
    const time_t t0 = time(NULL);
    const int st = quire(args, &out, &err);
    cr_expect_eq(st, 2, "a stopped shard fails the search (%d)", st);
    cr_expect(strstr(err, b.spec) != NULL, "the error names the shard: %s", err);
    cr_expect(th_icontains(err, "timeout"), "and says it timed out: %s", err);
    cr_expect_lt(time(NULL) - t0, 30, "not a hang");
    free(out);
    free(err);
    kill(b.pid, SIGCONT);

    /* down */
    stop(&b);
    cr_expect_eq(quire(args, &out, &err), 2);
    cr_expect(strstr(err, b.spec) != NULL, "the error names the shard: %s", err);
    cr_expect(th_count_lines(err) == 1, "one line: %s", err);
    free(out);
    free(err);

    /* --allow-partial: the other shard answers, with a warning naming it */
    snprintf(args, sizeof args,
             "search --index %s --index %s --allow-partial --json --brief -n 3 sanctions", a.spec,
             b.spec);
    cr_expect_eq(quire(args, &out, &err), 0, "%s", err);
    cr_expect(strstr(err, "warning") && strstr(err, b.spec), "warning names it: %s", err);
    cr_expect_eq(th_count_lines(out), 3);
    free(out);
    free(err);
    stop(&a);
}

/* One batch run over both shards while one server is killed after
 * kill_ms: every line printed is a complete JSON result set, and the run
 * ends (never hangs) either with an error naming the killed shard or,
 * with --allow-partial, answering every query. */
static void kill_during_batch(const server_t *keep, server_t *victim, const char *queries,
                              int partial, long kill_ms)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "'%s' search --batch --brief %s --timeout 2 --index %s --index %s < '%s' "
             "> '%s/batch.out' 2> '%s/batch.err'",
             th_bin(), partial ? "--allow-partial" : "", keep->spec, victim->spec, queries,
             th_tmpdir(), th_tmpdir());
    const pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    sleep_ms(kill_ms);
    stop(victim);
    int ws = 0;
    waitpid(pid, &ws, 0);
    char path[4200];
    snprintf(path, sizeof path, "%s/batch.out", th_tmpdir());
    char *out = th_read(path, NULL);
    snprintf(path, sizeof path, "%s/batch.err", th_tmpdir());
    char *err = th_read(path, NULL);
    const size_t lines = th_count_lines(out);
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        json_error_t je;
        json_t *j = json_loads(line, 0, &je);
        cr_assert(j && json_object_get(j, "query"), "a broken result line: %.200s", line);
        json_decref(j);
    }
    if (partial) {
        cr_expect(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "allow-partial run failed: %s", err);
        cr_expect_eq(lines, LOOP_QUERIES, "every query answered (%zu)", lines);
    } else if (!(WIFEXITED(ws) && WEXITSTATUS(ws) == 0)) {
        cr_expect(WIFEXITED(ws) && WEXITSTATUS(ws) == 2, "exit status");
        cr_expect(strstr(err, victim->spec) != NULL, "the error names the shard: %s", err);
    }
    free(out);
    free(err);
}

Test(shards, killed_in_the_middle_of_a_query_loop)
{
    char *q[MAX_QUERIES];
    size_t nq = 0;
    const char *docs = cranfield(q, &nq);
    ql_buf_t all = {0};
    for (size_t k = 0; k < nq; k++) {
        if (k < LOOP_QUERIES) {
            ql_buf_adds(&all, q[k]);
            ql_buf_addc(&all, '\n');
        }
        free(q[k]);
    }
    const char *qpath = th_write(th_tmpdir(), "queries.txt", all.data, all.len);
    char queries[4200];
    snprintf(queries, sizeof queries, "%s", qpath);
    ql_buf_free(&all);
    const char *dirs[16];
    build_shards(docs, "k", 2, dirs);
    server_t keep = serve(dirs[0], NULL);
    srand(6);
    /* make check-reliability runs many more rounds */
    const char *env = getenv("QUIRE_KILL_ROUNDS");
    const int rounds = env && atoi(env) > 0 ? atoi(env) : 6;
    for (int r = 0; r < rounds; r++) {
        server_t victim = serve(dirs[1], NULL);
        kill_during_batch(&keep, &victim, queries, r % 2, 20 + rand() % 500);
    }
    stop(&keep);
}

Test(shards, serve_follows_a_new_generation)
{
    char docs[4200], index[4200];
    snprintf(docs, sizeof docs, "%s/live", th_tmpdir());
    snprintf(index, sizeof index, "%s/live-index", th_tmpdir());
    th_write(docs, "a.txt", "The envoy spoke about grain corridors.\n", 39);
    index_into(docs, index, NULL);
    server_t s = serve(index, NULL);
    char args[1024], *out = NULL, *err = NULL;
    snprintf(args, sizeof args, "search --index %s --brief --json quokka", s.spec);
    cr_assert_eq(quire(args, &out, &err), 1, "not there yet: %s", out);
    free(out);
    free(err);
    th_write(docs, "b.txt", "A quokka was seen near the embassy.\n", 36);
    index_into(docs, index, NULL);
    int st = 1;
    for (int i = 0; i < 40 && st != 0; i++) { /* serve polls every 250 ms */
        sleep_ms(100);
        st = quire(args, &out, &err);
        free(out);
        free(err);
    }
    cr_expect_eq(st, 0, "the new generation is served");
    stop(&s);
}
