/*
 * fuzz_http.c - libFuzzer target for the HTTP API's request handling
 * (cli/http_api.c, http_search.c, http_show.c): the input is an endpoint
 * (its first byte picks one) and a query string, decoded as libmicrohttpd
 * hands it over - name=value pairs split at '&' and '=' with %XX decoded,
 * so values may hold NUL and invalid UTF-8. Each is answered against a
 * small index built once. Invariants: the status is one the API documents,
 * the body is one JSON object with "version":1 ending in "}\n", and an
 * error body is an error.
 */
#include "http.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__asan_default_options(void);

/* Building the index runs Xapian's check, where libxapian itself frees an
 * object through a base of another size (make sanitize turns the same
 * report off for the same reason). */
const char *__asan_default_options(void)
{
    return "new_delete_type_mismatch=0";
}

static quire_db_t *db;
static char dir[256];

static void put(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/docs/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) abort();
    fputs(text, f);
    fclose(f);
}

/* A two-file index in a scratch folder, and a handle on it. */
static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/quire-fuzz-http-%d", (int)getpid());
    char path[512];
    snprintf(path, sizeof path, "mkdir -p '%s/docs'", dir);
    if (system(path) != 0) abort();
    put("a.txt", "Sanctions\n\nUnilateral sanctions violate the Charter, the minister said.\n");
    put("b.txt", "Summit\n\nRussia and China called for a summit of the Security Council.\n");
    const char *paths[1];
    char docs[512], index[512];
    snprintf(docs, sizeof docs, "%s/docs", dir);
    snprintf(index, sizeof index, "%s/index", dir);
    paths[0] = docs;
    quire_index_opts_t o;
    memset(&o, 0, sizeof o);
    o.index_dir = index;
    o.paths = paths;
    o.npaths = 1;
    char *error = NULL;
    if (quire_index(&o, NULL, &error) != QUIRE_OK) abort();
    free(error);
    const char *specs[1] = {index};
    if (quire_db_open(specs, 1, NULL, &db) != QUIRE_OK) abort();
}

static int hex(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* s[0..n) %-decoded in place (a bad escape kept as it is); the new length. */
static size_t decode(char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            s[k++] = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            s[k++] = s[i] == '+' ? ' ' : s[i];
        }
    }
    return k;
}

/* 1 when s[0..n) holds needle. */
static int holds(const char *s, size_t n, const char *needle)
{
    const size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(s + i, needle, k)) return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {"/api/search", "/api/show", "/api/suggest",
                                        "/api/stats",  "/healthz",  "/api/nothing"};
    if (!db) setup();
    if (size == 0) return 0;
    char *buf = malloc(size);
    if (!buf) return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    qc_http_param_t params[32];
    size_t np = 0;
    for (size_t i = 0; i < size - 1 && np < 32;) {
        size_t j = i, eq = i;
        while (j < size - 1 && buf[j] != '&') j++;
        while (eq < j && buf[eq] != '=') eq++;
        buf[j] = '\0';  /* the pair ends (buf has room for the last one's NUL) */
        buf[eq] = '\0'; /* the name ends */
        buf[i + decode(buf + i, eq - i)] = '\0';
        const char *value = "";
        size_t vlen = 0;
        if (eq < j) {
            vlen = decode(buf + eq + 1, j - eq - 1);
            buf[eq + 1 + vlen] = '\0';
            value = buf + eq + 1;
        }
        params[np++] = (qc_http_param_t){buf + i, value, vlen};
        i = j + 1;
    }
    qc_http_opts_t o;
    memset(&o, 0, sizeof o);
    o.dir = dir;
    const qc_http_req_t req = {paths[data[0] % 6], params, np, db, NULL, db, &o};
    qc_http_reply_t r = {0, NULL, {0}, NULL};
    qc_http_answer(&req, &r);
    static const unsigned ok[] = {200, 400, 404, 413, 503};
    int known = 0;
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) known |= r.status == ok[i];
    if (!known || !r.type || r.body.len < 3 || r.body.data[0] != '{' ||
        memcmp(r.body.data + r.body.len - 2, "}\n", 2) != 0 ||
        !holds(r.body.data, r.body.len, "\"version\":1"))
        abort();
    if (r.status != 200 && !holds(r.body.data, r.body.len, "\"error\":")) abort();
    qc_text_free(&r.body);
    free(buf);
    return 0;
}
