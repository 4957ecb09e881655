/*
 * test_split.c - the passage splitter and the stored record: on every corpus
 * file the reported line and byte spans slice exactly the passage text out of
 * the file, passages are ordered, disjoint and lose no text.
 */
#include <criterion/criterion.h>

#include "helpers.h"
#include "reader.h"
#include "record.h"
#include "split.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    qi_span_t v[4096];
    size_t n;
} spans_t;

static int keep(void *ctx, const qi_span_t *sp)
{
    spans_t *s = ctx;
    cr_assert_lt(s->n, 4096);
    s->v[s->n++] = *sp;
    return 0;
}

static spans_t *split(const char *data, size_t len)
{
    spans_t *s = calloc(1, sizeof *s);
    cr_assert_eq(qi_split_text(data, len, keep, s), 0);
    return s;
}

static unsigned line_at(const char *data, size_t off)
{
    unsigned line = 1;
    for (size_t i = 0; i < off; i++) line += data[i] == '\n';
    return line;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t words(const char *p, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) w += !is_ws(p[i]) && (i == 0 || is_ws(p[i - 1]));
    return w;
}

/* The invariants every split must keep, on any input. */
static void check_invariants(const char *name, const char *data, size_t len, const spans_t *s)
{
    size_t prev_end = 0;
    char *covered = calloc(len + 1, 1);
    for (size_t i = 0; i < s->n; i++) {
        const qi_span_t *sp = &s->v[i];
        cr_assert_lt(sp->byte_start, sp->byte_end, "%s #%zu empty", name, i);
        cr_assert_leq(sp->byte_end, len, "%s #%zu past the end", name, i);
        cr_assert_geq(sp->byte_start, prev_end, "%s #%zu overlaps", name, i);
        cr_assert(!is_ws(data[sp->byte_start]) && !is_ws(data[sp->byte_end - 1]),
                  "%s #%zu has edge white space", name, i);
        cr_assert_eq(sp->line_start, line_at(data, sp->byte_start), "%s #%zu line_start", name, i);
        cr_assert_eq(sp->line_end, line_at(data, sp->byte_end - 1), "%s #%zu line_end", name, i);
        cr_assert_leq(words(data + sp->byte_start, sp->byte_end - sp->byte_start), QI_MAX_WORDS,
                      "%s #%zu too long", name, i);
        /* spans fall on UTF-8 character boundaries */
        cr_assert(((unsigned char)data[sp->byte_start] & 0xC0) != 0x80, "%s #%zu start", name, i);
        cr_assert(sp->byte_end == len || ((unsigned char)data[sp->byte_end] & 0xC0) != 0x80,
                  "%s #%zu end", name, i);
        memset(covered + sp->byte_start, 1, sp->byte_end - sp->byte_start);
        prev_end = sp->byte_end;
    }
    for (size_t i = 0; i < len; i++)
        cr_assert(covered[i] || is_ws(data[i]), "%s: byte %zu lost", name, i);
    free(covered);
}

Test(split, corpus_spans_slice_the_files_exactly)
{
    DIR *d = opendir(th_corpus());
    cr_assert_not_null(d, "corpus at %s", th_corpus());
    const struct dirent *de;
    int files = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", th_corpus(), de->d_name);
        size_t len = 0;
        char *data = th_read(path, &len);
        cr_assert_not_null(data);
        spans_t *s = split(data, len);
        cr_assert_gt(s->n, 0, "%s has passages", de->d_name);
        check_invariants(de->d_name, data, len, s);
        free(s);
        free(data);
        files++;
    }
    closedir(d);
    cr_expect_eq(files, 5);
}

static char *corpus_file(const char *prefix, size_t *len)
{
    DIR *d = opendir(th_corpus());
    const struct dirent *de;
    char *data = NULL;
    while ((de = readdir(d)) != NULL && !data) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", th_corpus(), de->d_name);
        data = th_read(path, len);
    }
    closedir(d);
    cr_assert_not_null(data, "corpus file %s*", prefix);
    return data;
}

Test(split, one_paragraph_per_line_file_gives_a_passage_per_line)
{
    size_t len = 0;
    char *data = corpus_file("004_", &len);
    spans_t *s = split(data, len);
    size_t nonblank = 0;
    for (size_t i = 0, start = 0; i <= len; i++) {
        if (i == len || data[i] == '\n') {
            size_t a = start;
            while (a < i && is_ws(data[a])) a++;
            nonblank += a < i;
            start = i + 1;
        }
    }
    cr_expect_eq(s->n, nonblank);
    for (size_t i = 0; i < s->n; i++) cr_expect_eq(s->v[i].line_start, s->v[i].line_end);
    free(s);
    free(data);
}

Test(split, long_line_is_cut_into_windows_at_sentence_ends)
{
    size_t len = 0;
    char *data = corpus_file("001_", &len);
    spans_t *s = split(data, len);
    size_t on_line3 = 0, sentence_cuts = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i].line_start != 3) continue;
        cr_expect_eq(s->v[i].line_end, 3);
        on_line3++;
        const char last = data[s->v[i].byte_end - 1];
        sentence_cuts += last == '.' || last == '?' || last == '!' ||
                         (unsigned char)last == 0x9d; /* closing quote ” */
    }
    cr_expect_geq(on_line3, 3, "the 2,100-character line becomes several passages");
    cr_expect_geq(sentence_cuts, on_line3 - 1, "windows end at sentence ends");
    free(s);
    free(data);
}

Test(split, hard_wrapped_paragraphs_stay_whole)
{
    const char text[] = "Title line\n"
                        "\n"
                        "An experimental study of a wing in a propeller slipstream was\n"
                        "made in order to determine the spanwise distribution of the lift\n"
                        "increase due to slipstream.\n"
                        "\r\n"
                        "  Second paragraph, indented.  \n";
    spans_t *s = split(text, sizeof text - 1);
    cr_assert_eq(s->n, 3);
    cr_expect_eq(s->v[1].line_start, 3);
    cr_expect_eq(s->v[1].line_end, 5);
    cr_expect_eq(s->v[2].line_start, 7);
    cr_expect(strncmp(text + s->v[2].byte_start, "Second", 6) == 0);
    cr_expect_eq(text[s->v[2].byte_end - 1], '.');
    check_invariants("wrapped", text, sizeof text - 1, s);
    free(s);
}

Test(split, one_huge_sentence_is_cut_at_words)
{
    size_t n = 0, cap = 200000;
    char *text = malloc(cap);
    while (n + 8 < cap) {
        memcpy(text + n, "word ", 5);
        n += 5;
    }
    spans_t *s = split(text, n);
    cr_expect_geq(s->n, n / 5 / QI_MAX_WORDS);
    check_invariants("huge", text, n, s);
    free(s);
    free(text);
}

Test(split, empty_and_blank_inputs_give_nothing)
{
    spans_t *s = split("", 0);
    cr_expect_eq(s->n, 0);
    free(s);
    s = split(" \n\n\t\r\n", 6);
    cr_expect_eq(s->n, 0);
    free(s);
}

Test(reader, title_is_first_nonempty_line)
{
    size_t n = 0;
    const char *t = qi_first_line_title("\n\n  DM Monitoring \r\nBEIJING: ...", 30, 200, &n);
    cr_expect_eq(n, strlen("DM Monitoring"));
    cr_expect(strncmp(t, "DM Monitoring", n) == 0);
    cr_expect_not_null(qi_reader_for("a/b/C.TXT", NULL));
    cr_expect_null(qi_reader_for("a/b/c.png", NULL));
    cr_expect_null(qi_reader_for("a/b/c.pdf.txt.png", NULL));
}

Test(record, round_trip_and_malformed)
{
    ql_passage_t p = {.root = 3,
                      .path = "dir/004.txt",
                      .path_len = 11,
                      .title = "Title ✓",
                      .title_len = 9,
                      .text = "text \"with\" bytes",
                      .text_len = 17,
                      .line_start = 63,
                      .line_end = 64,
                      .byte_start = 11046,
                      .byte_end = 11317,
                      .seq = 7,
                      .source = "",
                      .url = ""};
    ql_buf_t b = {0};
    cr_assert_eq(ql_record_encode(&p, &b), 0);
    ql_passage_t q;
    cr_assert_eq(ql_record_decode(b.data, b.len, &q), 0);
    cr_expect_eq(q.root, 3);
    cr_expect_eq(q.path_len, 11);
    cr_expect(memcmp(q.path, "dir/004.txt", 11) == 0);
    cr_expect(memcmp(q.title, "Title ✓", 9) == 0);
    cr_expect(memcmp(q.text, p.text, 17) == 0);
    cr_expect_eq(q.line_start, 63);
    cr_expect_eq(q.line_end, 64);
    cr_expect_eq(q.byte_start, 11046);
    cr_expect_eq(q.byte_end, 11317);
    cr_expect_eq(q.seq, 7);
    for (size_t cut = 0; cut < b.len; cut++)
        cr_expect_neq(ql_record_decode(b.data, cut, &q), 0, "truncated at %zu", cut);
    b.data[0] = 99; /* unknown version */
    cr_expect_neq(ql_record_decode(b.data, b.len, &q), 0);
    ql_buf_free(&b);
}

/* Where a word of a passage is in its file, for vimgrep's and JSON's
 * line:column: through the text itself for plain text, through the stored
 * map for text extracted from markup (an entity stands for five bytes, a
 * line break folded into a space still counts as a line). */
Test(record, places_of_text_bytes_in_the_file)
{
    /* plain text: the passage is the file's bytes 9.., starting mid-line */
    const char plain[] = "first.\n  hello\nworld foo\n";
    ql_passage_t p = {.text = plain + 9,
                      .text_len = 15,
                      .line_start = 2,
                      .line_end = 3,
                      .byte_start = 9,
                      .byte_end = 24,
                      .col_start = 3,
                      .path = "",
                      .title = ""};
    ql_place_t at;
    cr_assert_eq(ql_passage_locate(&p, 0, &at), 0);
    cr_expect(at.line == 2 && at.column == 3 && at.byte == 9, "%u:%u", at.line, at.column);
    cr_assert_eq(ql_passage_locate(&p, 12, &at), 0); /* foo */
    cr_expect(at.line == 3 && at.column == 7 && at.byte == 21, "%u:%u", at.line, at.column);
    cr_expect_eq(memcmp(plain + at.byte, "foo", 3), 0);

    /* HTML: "x &amp; y" then a line break folded to a space, then "zz" */
    const char html[] = "ab\n<p>x &amp; y\nzz</p>\n";
    const char text[] = "x & y zz";
    const size_t src[] = {6, 7, 8, 13, 14, 15, 16, 17};
    ql_buf_t map = {0}, nl = {0}, rec = {0};
    cr_assert_eq(ql_record_map(src, 8, html, QL_NL_BYTES, 6, 18, &map, &nl), 1);
    ql_passage_t h = {.text = text,
                      .text_len = 8,
                      .line_start = 2,
                      .line_end = 3,
                      .byte_start = 6,
                      .byte_end = 18,
                      .col_start = 4,
                      .path = "p.html",
                      .path_len = 6,
                      .title = "",
                      .map = map.data ? map.data : "",
                      .map_len = map.len,
                      .nl = nl.data,
                      .nl_len = nl.len};
    cr_assert_eq(ql_record_encode(&h, &rec), 0);
    ql_passage_t d;
    cr_assert_eq(ql_record_decode(rec.data, rec.len, &d), 0);
    static const struct {
        size_t off;
        unsigned line, col;
        uint64_t byte;
    } want[] = {{0, 2, 4, 6}, {2, 2, 6, 8}, {4, 2, 12, 14}, {6, 3, 1, 16}, {7, 3, 2, 17}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        cr_assert_eq(ql_passage_locate(&d, want[i].off, &at), 0);
        cr_expect(at.line == want[i].line && at.column == want[i].col && at.byte == want[i].byte,
                  "text byte %zu: %u:%u byte %llu", want[i].off, at.line, at.column,
                  (unsigned long long)at.byte);
    }
    /* the text that is the span's bytes needs no map */
    ql_buf_t m2 = {0}, n2 = {0};
    const size_t same[] = {4, 5, 6};
    cr_expect_eq(ql_record_map(same, 3, "ab\n<p>", QL_NL_BYTES, 4, 7, &m2, &n2), 0);
    cr_expect_eq(m2.len + n2.len, 0);
    /* a malformed map is reported, not read past its end */
    d.map = "\xff";
    d.map_len = 1;
    cr_expect_neq(ql_passage_locate(&d, 5, &at), 0);
    ql_buf_free(&map);
    ql_buf_free(&nl);
    ql_buf_free(&rec);
}
