/*
 * shard.c - one indexing worker (shard.h): files in, one Xapian database out.
 *
 * For each file: read it whole, refuse binaries, note invalid UTF-8 (kept,
 * replaced in stored text), hand it to its format's reader, and turn each
 * passage the reader reports into one Xapian document: Z<stem> postings for
 * its words (from the one text pipeline), S<stem> postings for its article's
 * title, boolean F/P terms for file filters and per-file deletion, an H<key>
 * term and collapse value for its group of identical or nearly identical
 * passages, and the stored record (record.h). Terms and values are
 * described in layout.h. Warnings and manifest records are kept in file
 * order for the caller to report and store.
 */
#include "shard.h"

#include "boilerplate.h"
#include "charset.h"
#include "date.h"
#include "file.h"
#include "hash.h"
#include "compressed.h"
#include "lang.h"
#include "layout.h"
#include "manifest.h"
#include "qt.h"
#include "reader.h"
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define QI_BATCH_DOCS 1000 /* documents per commit (see on_passage) */

_Static_assert(QL_SIG_BYTES == 8 + 4 * QI_MINHASHES, "layout.h's signature size");

#define BINARY_PROBE 8192 /* a NUL byte in this many first bytes: binary */

/* Bytes of the text that follows a passage too short to tell its language
 * that are read instead (a headline: the article it heads). */
#define LANG_AHEAD 2048

/* Larger files are skipped with a warning: each is read whole, and its
 * text mapped byte by byte (textmap.h). */
#define QI_MAX_FILE_BYTES ((size_t)256 << 20)

typedef struct {
    qi_shard_t *s;
    xq_wdb_t *db;
    xq_doc_t *doc;
    qt_pipeline_t *pipe;
    ql_buf_t term, rec, fixed, title, file_terms;
    ql_buf_t map, nl; /* the passage's place in the file (record.h) */
    size_t scanned;   /* the file is scanned for line starts up to here ... */
    size_t line_at;   /* ... where the last line before it starts */
    size_t *src;      /* with fixed: each repaired byte's file offset */
    size_t capsrc;
    qi_stats_t *st;
    ql_err_t *e;
    /* the file being indexed */
    uint32_t root;
    const char *relpath;
    const char *data;
    size_t len;
    int valid_utf8;
    ql_newlines_t newlines; /* how the file's bytes end lines (UTF-16 or not) */
    const qi_file_t *file;
    ql_part_kind_t part_kind; /* a document's: data is the part's text (sink.part) */
    uint32_t part;
    int passed; /* the reader passed the whole file over (sink.skip) */
    /* languages (lang.h): the article's, declared or detected (sure), else
     * the last one of the file, else the folder's --language */
    qi_lang_t *detect;
    char art_lang[QI_LANG_MAX], file_lang[QI_LANG_MAX], root_lang[QI_LANG_MAX];
    int art_sure;
    uint32_t seq;
    int failed; /* e is set */
    /* per passage */
    uint64_t hash;
    size_t nterms;
    qi_minhash_t sig;
    qi_word_counts_t counts;
    ql_buf_t title_terms;  /* the article title's terms: S<stem> NUL, ... */
    ql_buf_t post_tags;    /* the tags the article ends with: K<tag> NUL, ... */
    int post_tags_pending; /* ... not yet given to a passage */
    ql_buf_t own_tags;     /* the passage's own hashtags: K<tag> NUL, ... */
    size_t ntags;          /* ... how many of its words are hashtags */
    unsigned prior;        /* its boilerplate prior (set_values) */
    ql_buf_t source_terms; /* the article source's terms: O<stem> NUL, ... */
    ql_buf_t source, url;  /* the article's metadata, valid UTF-8 */
    uint32_t date, record;
    int fresh_article;                /* no passage of the current article added yet */
    char terms_lang[QI_LANG_MAX + 1]; /* the language title_terms and source_terms
                                       * were stemmed in; "\x01": not made yet */
    const char *path;                 /* the file, as opened (for warnings) */
    qi_neardup_t *neardup;
    size_t batch;      /* documents added since the last commit */
    uint64_t credited; /* bytes of the file counted in the progress so far */
    uint64_t size;     /* ... of its size */
} builder_t;

/* Counts the current file's bytes up to upto as done, for the progress
 * line: as passages come, so one large file moves the line too. */
static void credit(builder_t *b, uint64_t upto)
{
    if (upto > b->size) upto = b->size;
    if (upto <= b->credited) return;
    atomic_fetch_add(&b->s->progress->bytes, upto - b->credited);
    b->credited = upto;
}

static void warnf(builder_t *b, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warnf(builder_t *b, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    b->st->warnings++;
    ql_buf_add(&b->s->warnings, path, strlen(path) + 1);
    ql_buf_add(&b->s->warnings, msg, strlen(msg) + 1);
}

static int xq_failed(builder_t *b, xq_status_t st, const char *what, const char *detail)
{
    b->failed = 1;
    return ql_errf(b->e, st == XQ_NOMEM ? QL_E_NOMEM : QL_E_IO, "%s: %s", what,
                   detail && *detail ? detail : xq_status_text(st));
}

static int add_prefixed(builder_t *b, const char *prefix, const char *s, size_t n, unsigned pos)
{
    ql_buf_reset(&b->term);
    ql_term(&b->term, prefix, s, n);
    if (b->term.oom) return xq_failed(b, XQ_NOMEM, b->relpath, NULL);
    const xq_status_t st = pos ? xq_doc_add_posting(b->doc, b->term.data, b->term.len, pos)
                               : xq_doc_add_boolean(b->doc, b->term.data, b->term.len);
    return st == XQ_OK ? 0 : xq_failed(b, st, b->relpath, xq_doc_error(b->doc));
}

/* Adds K<folded tag> NUL to list. */
static int keep_tag(ql_buf_t *list, const qt_token_t *t)
{
    ql_term(list, QL_PREFIX_TAG, t->norm, t->norm_len);
    ql_buf_addc(list, '\0');
    return list->oom ? -1 : 0;
}

static int body_token(void *ctx, const qt_token_t *t)
{
    builder_t *b = ctx;
    qi_boilerplate_count(&b->counts, t);
    if (t->flags & QT_TOK_TOOLONG) return 0;
    if ((t->flags & QT_TOK_HASHTAG) && (b->ntags++, keep_tag(&b->own_tags, t) != 0)) return -1;
    b->hash = ql_fnv1a(b->hash, t->norm, t->norm_len + 1); /* + NUL: a word separator */
    b->nterms++;
    if (!(t->flags & QT_TOK_PART)) qi_minhash_add(&b->sig, t->norm, t->norm_len);
    if ((t->flags & QT_TOK_UPPER) && add_prefixed(b, QL_PREFIX_CAPS, t->norm, t->norm_len, t->pos))
        return -1;
    return add_prefixed(b, QL_PREFIX_BODY, t->stem, t->stem_len, t->pos);
}

/* Keeps a title term, tokenized once per article, for every passage. */
static int title_token(void *ctx, const qt_token_t *t)
{
    builder_t *b = ctx;
    if (t->flags & QT_TOK_TOOLONG) return 0;
    ql_buf_adds(&b->title_terms, QL_PREFIX_TITLE);
    ql_buf_add(&b->title_terms, t->stem, t->stem_len);
    ql_buf_addc(&b->title_terms, '\0');
    return b->title_terms.oom ? -1 : 0;
}

/* Copies s[0..n) into dst, invalid UTF-8 replaced. Returns 0 or -1 (OOM). */
static int keep_utf8(builder_t *b, ql_buf_t *dst, const char *s, size_t n)
{
    ql_buf_reset(dst);
    if (!s) n = 0;
    if (n == 0) {
        ql_buf_reserve(dst, 1);
    } else if (qt_utf8_check(s, n) == n) {
        ql_buf_add(dst, s, n);
    } else if (ql_buf_reserve(dst, n * 3) == 0) {
        dst->len = qt_utf8_repair(s, n, dst->data);
        dst->data[dst->len] = '\0';
    }
    return dst->oom ? xq_failed(b, XQ_NOMEM, b->relpath, NULL) : 0;
}

/* Keeps a hashtag of the lines an article ends with. */
static int post_tag_token(void *ctx, const qt_token_t *t)
{
    builder_t *b = ctx;
    return (t->flags & QT_TOK_HASHTAG) ? keep_tag(&b->post_tags, t) : 0;
}

/* Keeps a source term, tokenized once per article, for every passage. */
static int source_token(void *ctx, const qt_token_t *t)
{
    builder_t *b = ctx;
    if (t->flags & QT_TOK_TOOLONG) return 0;
    ql_buf_adds(&b->source_terms, QL_PREFIX_SOURCE);
    ql_buf_add(&b->source_terms, t->stem, t->stem_len);
    ql_buf_addc(&b->source_terms, '\0');
    return b->source_terms.oom ? -1 : 0;
}

static int on_article(void *ctx, const qi_article_t *a)
{
    builder_t *b = ctx;
    if (keep_utf8(b, &b->title, a->title, a->title_len) ||
        keep_utf8(b, &b->source, a->source, a->source_len) ||
        keep_utf8(b, &b->url, a->url, a->url_len))
        return -1;
    b->date = a->date;
    b->record = a->record;
    b->art_sure = a->lang && qi_lang_tag(a->lang, a->lang_len, b->art_lang) == 0;
    if (!b->art_sure && b->root_lang[0]) { /* --language: the folder's, declared */
        memcpy(b->art_lang, b->root_lang, sizeof b->art_lang);
        b->art_sure = 1;
    }
    if (!b->art_sure) b->art_lang[0] = '\0';
    b->fresh_article = 1;
    ql_buf_reset(&b->post_tags);
    if (a->tags && qt_tokenize(b->pipe, a->tags, a->tags_len, post_tag_token, b) != 0)
        return xq_failed(b, XQ_NOMEM, b->relpath, NULL);
    b->post_tags_pending = b->post_tags.len > 0;
    b->st->articles++;
    if (!a->date) b->st->undated++;
    memcpy(b->terms_lang, "\x01", 2); /* stemmed at its first passage, in its language */
    return 0;
}

/* The article's title and source terms, stemmed in lang (the pipeline's
 * language): made again only when the language changes. */
static int article_terms(builder_t *b, const char *lang)
{
    if (!strcmp(b->terms_lang, lang)) return 0;
    snprintf(b->terms_lang, sizeof b->terms_lang, "%s", lang);
    ql_buf_reset(&b->title_terms);
    ql_buf_reset(&b->source_terms);
    int rc = qt_tokenize(b->pipe, b->title.data ? b->title.data : "", b->title.len, title_token, b);
    if (rc == 0 && b->source.len)
        rc = qt_tokenize(b->pipe, b->source.data, b->source.len, source_token, b);
    return rc ? xq_failed(b, XQ_NOMEM, b->relpath, NULL) : 0;
}

/* A part of the file the reader could not read: warned, the rest indexed. */
static void on_reader_warning(void *ctx, const char *msg)
{
    builder_t *b = ctx;
    warnf(b, b->path, "%s", msg);
}

/* The passages that follow are in a document's part: their spans are of
 * its text. */
static int on_part(void *ctx, ql_part_kind_t kind, uint32_t number, const char *text, size_t len)
{
    builder_t *b = ctx;
    b->part_kind = kind;
    b->part = number;
    b->data = text;
    b->len = len;
    b->scanned = b->line_at = 0;
    b->newlines = QL_NL_BYTES;
    b->valid_utf8 = qt_utf8_check(text, len) == len;
    return 0;
}

static void passed_over(builder_t *b, const qi_file_t *f, ql_skip_t why);

/* The reader passed the whole file over (an encrypted PDF). */
static void on_skip(void *ctx, ql_skip_t why, const char *msg)
{
    builder_t *b = ctx;
    warnf(b, b->path, "%s, skipped", msg);
    passed_over(b, b->file, why);
    b->passed = 1;
}

/* Adds each NUL-terminated term of list (no positions; wdf when weighted). */
static int add_terms(builder_t *b, const ql_buf_t *list, int weighted)
{
    for (size_t i = 0; i < list->len;) {
        const char *term = list->data + i;
        const size_t n = strlen(term);
        const xq_status_t st =
            weighted ? xq_doc_add_term(b->doc, term, n, 1) : xq_doc_add_boolean(b->doc, term, n);
        if (st != XQ_OK) return xq_failed(b, st, b->relpath, xq_doc_error(b->doc));
        i += n + 1;
    }
    return 0;
}

static int grow_src(builder_t *b, size_t n)
{
    if (n <= b->capsrc) return 0;
    size_t *v = realloc(b->src, n * sizeof *v);
    if (!v) return -1;
    b->src = v;
    b->capsrc = n;
    return 0;
}

/* text[0..len) with invalid UTF-8 replaced (U+FFFD for each bad byte) into
 * b->fixed, and each of its bytes' file offset (from src, NULL: the span's
 * bytes from byte_start) into b->src. */
static int repair(builder_t *b, const char *text, size_t len, const size_t *src,
                  uint64_t byte_start)
{
    ql_buf_reset(&b->fixed);
    if (ql_buf_reserve(&b->fixed, len * 3) != 0 || grow_src(b, len * 3) != 0) return -1;
    size_t i = 0, o = 0;
    while (i < len) {
        const size_t good = qt_utf8_check(text + i, len - i);
        for (size_t k = 0; k < good; k++) b->src[o + k] = src ? src[i + k] : byte_start + i + k;
        o += good;
        i += good;
        if (i < len) {
            for (size_t k = 0; k < 3; k++) b->src[o + k] = src ? src[i] : byte_start + i;
            o += 3;
            i++;
        }
    }
    b->fixed.len = qt_utf8_repair(text, len, b->fixed.data);
    return b->fixed.len == o ? 0 : -1;
}

/* Where the passage's text is in the file: the column of its first byte,
 * and, for text that is not the span's bytes, the map and line breaks
 * (record.h) into b->map and b->nl; sets p's fields. */
static int place(builder_t *b, const size_t *src, ql_passage_t *p)
{
    /* where the passage's line starts: passages come in file order, so the
     * file is scanned once from where the last one started (scanning back
     * from each would be quadratic on a file that is one long line) */
    if (p->byte_start < b->scanned) b->scanned = b->line_at = 0; /* out of order: from the top */
    for (size_t k = p->byte_start; k > b->scanned; k--)
        if (ql_newline_end(b->data, k - 1, b->newlines)) {
            b->line_at = k;
            break;
        }
    b->scanned = p->byte_start;
    const uint64_t col = p->byte_start - b->line_at + 1;
    p->col_start = col > UINT32_MAX ? UINT32_MAX : (uint32_t)col;
    ql_buf_reset(&b->map);
    ql_buf_reset(&b->nl);
    const int mapped = ql_record_map(src, p->text_len, b->data, b->newlines, p->byte_start,
                                     p->byte_end, &b->map, &b->nl);
    if (mapped < 0) return -1;
    p->map = mapped ? (b->map.data ? b->map.data : "") : NULL;
    p->map_len = b->map.len;
    p->nl = b->nl.data;
    p->nl_len = b->nl.len;
    return 0;
}

/* The passage's language: its article's when declared or detected (an
 * article is detected once, from its first passage long enough to tell),
 * else the file's last, else none (""). */
static const char *passage_lang(builder_t *b, const char *text, size_t len, size_t ahead)
{
    if (!b->art_sure && b->detect && qi_lang_detect(b->detect, text, len, b->art_lang) == 0)
        b->art_sure = 1;
    /* a headline or a short first paragraph: the text that follows it in
     * the file (or the document's part) tells the article's language */
    if (!b->art_sure && b->detect && ahead > len &&
        qi_lang_detect(b->detect, text, ahead < LANG_AHEAD ? ahead : LANG_AHEAD, b->art_lang) == 0)
        b->art_sure = 1;
    if (!b->art_sure) return b->file_lang;
    memcpy(b->file_lang, b->art_lang, sizeof b->file_lang);
    return b->art_lang;
}

/* The passage's L term (layout.h). */
static int add_lang_term(builder_t *b, const char *lang)
{
    ql_buf_reset(&b->term);
    ql_term_lang(&b->term, lang, strlen(lang));
    if (b->term.oom) return xq_failed(b, XQ_NOMEM, b->relpath, NULL);
    const xq_status_t st = xq_doc_add_boolean(b->doc, b->term.data, b->term.len);
    return st == XQ_OK ? 0 : xq_failed(b, st, b->relpath, xq_doc_error(b->doc));
}

/* The passage's values: its near-duplicate signature, its date, and its
 * boilerplate prior (layout.h's slots). */
static int set_values(builder_t *b, const char *text, size_t text_len, uint64_t own)
{
    xq_status_t st = XQ_OK;
    if (b->sig.words >= QI_NEARDUP_MIN_WORDS) {
        unsigned char sig[QL_SIG_BYTES];
        ql_sig_t s = {own, {0}};
        memcpy(s.mins, b->sig.mins, sizeof s.mins);
        ql_sig_encode(&s, sig);
        st = xq_doc_set_value(b->doc, QL_SLOT_SIG, (const char *)sig, sizeof sig);
    }
    if (st == XQ_OK && b->date) {
        char day[9];
        ql_date_key(b->date, day);
        st = xq_doc_set_value(b->doc, QL_SLOT_DATE, day, 8);
    }
    const unsigned prior =
        qi_boilerplate_prior(text, text_len, &b->counts, b->title.data, b->title.len);
    b->prior = prior;
    if (st == XQ_OK && prior != QI_PRIOR_TEXT) {
        const char v = (char)prior;
        st = xq_doc_set_value(b->doc, QL_SLOT_PRIOR, &v, 1);
    }
    return st == XQ_OK ? 0 : xq_failed(b, st, b->relpath, xq_doc_error(b->doc));
}

/* The passage's K terms. A post's closing tags go to its first paragraph
 * (or, when none came before them, to its line of tags); its line of tags
 * then carries none, so #tag finds the post once, by what it says. */
static int add_tags(builder_t *b)
{
    const int tag_line = b->ntags && b->ntags == b->counts.words;
    const int had_post_tags = b->post_tags.len > 0;
    if (b->post_tags_pending && (b->prior == QI_PRIOR_TEXT || tag_line)) {
        b->post_tags_pending = 0;
        if (add_terms(b, &b->post_tags, 0) != 0) return -1;
        if (tag_line) return 0; /* its own tags are the post's */
    }
    if (tag_line && had_post_tags) return 0;
    return add_terms(b, &b->own_tags, 0);
}

static int on_passage(void *ctx, const qi_span_t *sp, const char *text, size_t text_len,
                      const size_t *src)
{
    builder_t *b = ctx;
    credit(b, sp->byte_end);
    const size_t ahead = text ? 0 : b->len - sp->byte_start; /* bytes of the file from here */
    if (!text) {
        text = b->data + sp->byte_start;
        text_len = sp->byte_end - sp->byte_start;
        src = NULL;
    }
    if (!b->valid_utf8 && qt_utf8_check(text, text_len) != text_len) {
        if (repair(b, text, text_len, src, sp->byte_start) != 0)
            return xq_failed(b, XQ_NOMEM, b->relpath, NULL);
        text = b->fixed.data;
        text_len = b->fixed.len;
        src = b->src;
    }

    xq_doc_clear(b->doc);
    b->hash = QL_FNV_OFFSET;
    b->nterms = 0;
    b->counts = (qi_word_counts_t){0, 0};
    ql_buf_reset(&b->own_tags);
    b->ntags = 0;
    qi_minhash_init(&b->sig);
    /* words are stemmed in the passage's language (Latin script: qt.h) */
    const char *lang = passage_lang(b, text, text_len, b->valid_utf8 ? ahead : 0);
    qt_pipeline_set_lang(b->pipe, lang);
    int rc = qt_tokenize(b->pipe, text, text_len, body_token, b);
    if (rc == -1 && !b->failed) return xq_failed(b, XQ_NOMEM, b->relpath, NULL);
    if (rc) return rc;
    if (b->nterms == 0) return 0; /* no words ("***", a lone emoji): nothing to find */
    if (lang[0] && add_lang_term(b, lang) != 0) return -1;
    if (article_terms(b, lang) != 0) return -1;

    /* title words count (wdf) without positions: titles are short, so
     * title:"a b" matches them all (query.c), and positions for the title
     * repeated in every passage would be a fifth of the position table */
    if (add_terms(b, &b->title_terms, 1) || add_terms(b, &b->source_terms, 0)) return -1;
    /* the article's first passage counts it (quire stats) */
    if (b->fresh_article) {
        b->fresh_article = 0;
        if (add_prefixed(b, "", QL_TERM_ARTICLE, strlen(QL_TERM_ARTICLE), 0) ||
            (!b->date && add_prefixed(b, "", QL_TERM_UNDATED, strlen(QL_TERM_UNDATED), 0)))
            return -1;
    }
    /* File filter terms and the per-file term, kept NUL-separated per file. */
    for (size_t i = 0; i < b->file_terms.len;) {
        const size_t n = strlen(b->file_terms.data + i);
        if (add_prefixed(b, "", b->file_terms.data + i, n, 0)) return -1;
        i += n + 1;
    }
    /* identical or nearly identical passages share one key: the collapse
     * value and the H term that lists copies */
    const uint64_t own = b->hash;
    uint64_t group = b->hash;
    if (qi_neardup_key(b->neardup, &b->sig, b->hash, &group) != 0)
        return xq_failed(b, XQ_NOMEM, b->relpath, NULL);
    b->hash = group;
    char gterm[QL_GROUP_TERM_SIZE];
    ql_term_group(gterm, b->hash);
    if (add_prefixed(b, "", gterm, strlen(gterm), 0)) return -1;
    unsigned char key[8];
    ql_key_encode(b->hash, key);
    xq_status_t st = xq_doc_set_value(b->doc, QL_SLOT_DUP, (const char *)key, 8);
    if (st != XQ_OK) return xq_failed(b, st, b->relpath, xq_doc_error(b->doc));
    if (set_values(b, text, text_len, own) != 0 || add_tags(b) != 0) return -1;

    ql_passage_t p = {0};
    p.root = b->root;
    p.path = b->relpath;
    p.path_len = strlen(b->relpath);
    p.title = b->title.data ? b->title.data : "";
    p.title_len = b->title.len;
    p.text = text;
    p.text_len = text_len;
    p.line_start = sp->line_start;
    p.line_end = sp->line_end;
    p.byte_start = sp->byte_start;
    p.byte_end = sp->byte_end;
    p.seq = b->seq++;
    p.date = b->date;
    p.source = b->source.data ? b->source.data : "";
    p.source_len = b->source.len;
    p.url = b->url.data ? b->url.data : "";
    p.url_len = b->url.len;
    p.record = b->record;
    p.lang = lang;
    p.lang_len = strlen(lang);
    p.part_kind = (uint8_t)b->part_kind;
    p.part = b->part;
    if (place(b, src, &p) != 0) return xq_failed(b, XQ_NOMEM, b->relpath, NULL);
    ql_buf_reset(&b->rec);
    if (ql_record_encode(&p, &b->rec) != 0) return xq_failed(b, XQ_NOMEM, b->relpath, NULL);
    st = xq_doc_set_data(b->doc, b->rec.data, b->rec.len);
    if (st != XQ_OK) return xq_failed(b, st, b->relpath, xq_doc_error(b->doc));
    st = xq_wdb_add(b->db, b->doc, NULL);
    if (st != XQ_OK) return xq_failed(b, st, b->s->db_path, xq_wdb_error(b->db));
    b->st->passages++;
    /* Xapian's writer slows down as its in-memory batch grows (SOTU: 1.5x
     * slower at its default of 10,000 documents than at 1,000, and 5x the
     * memory), so hand it small batches. No fsync here (XQ_WDB_NOSYNC). */
    if (++b->batch >= QI_BATCH_DOCS) {
        b->batch = 0;
        st = xq_wdb_commit(b->db);
        if (st != XQ_OK) return xq_failed(b, st, b->s->db_path, xq_wdb_error(b->db));
    }
    return 0;
}

/* Appends prefix + lower-cased s[0..n) + NUL to t. */
static void add_lower_term(ql_buf_t *t, const char *prefix, const char *s, size_t n)
{
    ql_buf_adds(t, prefix);
    for (size_t i = 0; i < n; i++)
        ql_buf_addc(t, s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i]);
    ql_buf_addc(t, '\0');
}

/* F terms: each lower-cased path component, and the basename without its
 * extension; P term: root id and path. NUL-separated in b->file_terms. */
static int file_terms(builder_t *b, const char *relpath)
{
    ql_buf_t *t = &b->file_terms;
    ql_buf_reset(t);
    const char *p = relpath;
    for (;;) {
        const char *slash = strchr(p, '/');
        const size_t n = slash ? (size_t)(slash - p) : strlen(p);
        add_lower_term(t, QL_PREFIX_FILE, p, n);
        if (!slash) {
            size_t dot = n;
            while (dot > 0 && p[dot - 1] != '.') dot--;
            if (dot > 1) add_lower_term(t, QL_PREFIX_FILE, p, dot - 1);
            break;
        }
        p = slash + 1;
    }
    ql_term_path(t, b->root, relpath, strlen(relpath));
    ql_buf_addc(t, '\0');
    return t->oom ? -1 : 0;
}

/* Counts f as passed over for why, and records it (QL_META_SKIPPED). */
static void passed_over(builder_t *b, const qi_file_t *f, ql_skip_t why)
{
    b->st->skipped++;
    size_t *const count[QL_SKIP_KINDS] = {&b->st->binary,    &b->st->unreadable, &b->st->too_large,
                                          &b->st->encrypted, &b->st->damaged,    &b->st->no_text};
    *count[why] += 1;
    ql_skipped_add(&b->s->skipped, why, b->root, f->relpath, strlen(f->relpath));
}

/* A .gz or .zst file's text in place of its bytes (*data, *len). 0, 1 when
 * it was passed over with a warning (a bomb, damaged), -1 when out of
 * memory. */
static int decompress_file(builder_t *b, const qi_file_t *f, char **data, size_t *len)
{
    char *text = NULL;
    size_t n = 0;
    ql_err_t why = {0};
    const int rc =
        ql_decompress(ql_compressed_kind(f->path), *data, *len, QI_MAX_FILE_BYTES, &text, &n, &why);
    if (rc == QL_DZ_NOMEM) {
        b->failed = 1;
        return ql_errf(b->e, QL_E_NOMEM, "%s: out of memory decompressing", f->path);
    }
    free(*data);
    *data = text;
    *len = n;
    if (rc == 0) return 0;
    warnf(b, f->path, "%s, skipped", why.msg);
    passed_over(b, f, rc == QL_DZ_TOO_LARGE ? QL_SKIP_TOO_LARGE : QL_SKIP_UNREADABLE);
    return 1;
}

/* Recoding data[0..len) failed for lack of memory. */
static int no_memory(builder_t *b, const qi_file_t *f)
{
    b->failed = 1;
    return ql_errf(b->e, QL_E_NOMEM, "%s: out of memory", f->path);
}

/* The encoding of text that is not UTF-8: the one an HTML page declares,
 * else --encoding's, else a detected one (windows-1252, with a warning,
 * when detection is not confident); NULL when the text is mostly UTF-8
 * with a few bad bytes, which are then replaced. name holds it. */
static const char *legacy_encoding(builder_t *b, const qi_file_t *f, const qi_read_cfg_t *cfg,
                                   const qi_reader_t *r, const char *data, size_t len, size_t bad,
                                   char name[48], int *oom)
{
    if (r == qi_reader_named("html") && qi_charset_declared(data, len, name, 48) == 0 &&
        qi_charset_single_byte(name))
        return name;
    if (cfg && cfg->encoding) return cfg->encoding;
    if (qi_charset_mostly_utf8(data, len)) return NULL;
    const int d = qi_charset_detect(data, len, name, 48);
    *oom = d == -1;
    if (d == 1)
        warnf(b, f->path,
              "not valid UTF-8 (first bad byte at offset %zu) and its encoding is not "
              "recognised; read as windows-1252",
              bad);
    return d == -1 ? NULL : name;
}

/* How f's bytes become the UTF-8 text its reader reads: as they are, or
 * recoded into *rec (*recoded set): UTF-16 with a byte-order mark, or a
 * legacy single-byte encoding. *r is refined by the text's content.
 * Returns 0, 1 when the file was passed over (binary), -1 when out of
 * memory. */
static int decode(builder_t *b, const qi_file_t *f, const qi_read_cfg_t *cfg, const qi_reader_t **r,
                  const char *data, size_t len, qi_recoded_t *rec, int *recoded)
{
    *recoded = 0;
    b->newlines = QL_NL_BYTES;
    if (qi_utf16_bom(data, len)) {
        if (qi_recode_utf16(data, len, rec) != 0) return no_memory(b, f);
        b->newlines = qi_utf16_bom(data, len) == 1 ? QL_NL_UTF16LE : QL_NL_UTF16BE;
        *recoded = 1;
        *r = qi_reader_refine(*r, cfg, rec->text, rec->len);
        return 0;
    }
    const char *nul = memchr(data, '\0', len < BINARY_PROBE ? len : BINARY_PROBE);
    if (nul) {
        warnf(b, f->path, "binary file (NUL byte at offset %zu), skipped", (size_t)(nul - data));
        passed_over(b, f, QL_SKIP_BINARY);
        return 1;
    }
    const size_t bad = qt_utf8_check(data, len);
    b->valid_utf8 = bad == len;
    *r = qi_reader_refine(*r, cfg, data, len);
    if (b->valid_utf8) return 0;
    char name[48] = "";
    int oom = 0;
    const char *enc = legacy_encoding(b, f, cfg, *r, data, len, bad, name, &oom);
    if (oom) return no_memory(b, f);
    const int rc = enc ? qi_recode(data, len, enc, rec) : -3;
    if (rc == -1) return no_memory(b, f);
    if (rc == -2) warnf(b, f->path, "encoding '%s' is unknown to iconv; read as UTF-8", enc);
    if (rc != 0)
        warnf(b, f->path, "not valid UTF-8 (first bad byte at offset %zu); bad bytes replaced",
              bad);
    *recoded = rc == 0;
    return 0;
}

static int index_file(builder_t *b, const qi_file_t *f)
{
    b->root = f->root;
    b->credited = 0;
    b->size = f->size;
    const qi_read_cfg_t *cfg = b->s->cfgs ? &b->s->cfgs[f->arg] : NULL;
    const qi_reader_t *r = qi_reader_for(f->path, cfg);
    if (!r) return 0; /* not a format Quire reads: silently not ours */

    char *data = NULL;
    size_t len = 0;
    ql_err_t why = {0};
    if (ql_file_read(f->path, QI_MAX_FILE_BYTES, &data, &len, &why) != 0) {
        if (why.code == QL_E_NOMEM) {
            b->failed = 1;
            return ql_errf(b->e, QL_E_NOMEM, "%s: out of memory reading the file", f->path);
        }
        const size_t pl = strlen(f->path); /* the reason, without the path it starts with */
        const char *reason =
            strncmp(why.msg, f->path, pl) == 0 && why.msg[pl] == ':' ? why.msg + pl + 2 : why.msg;
        const int large = strncmp(reason, "too large", 9) == 0;
        if (large)
            warnf(b, f->path, "skipped: %s", reason);
        else
            warnf(b, f->path, "unreadable, skipped: %s", reason);
        passed_over(b, f, large ? QL_SKIP_TOO_LARGE : QL_SKIP_UNREADABLE);
        /* recorded as not read, so the next update tries it again (after a
         * chmod, say: which changes neither its size nor its mtime) */
        qi_manifest_add(&b->s->manifest, b->root, f->relpath, f->size, f->mtime_ns, QI_HASH_UNREAD);
        return 0;
    }
    qi_manifest_add(&b->s->manifest, b->root, f->relpath, f->size, f->mtime_ns,
                    qi_content_hash(data, len));
    if (ql_compressed_kind(f->path) != QL_PLAIN) {
        const int rc = decompress_file(b, f, &data, &len);
        if (rc != 0) {
            free(data);
            return rc < 0 ? -1 : 0;
        }
    }
    qi_recoded_t rec = {0};
    int recoded = 0;
    b->file = f;
    b->file_lang[0] = '\0';
    if (!cfg || !cfg->language || qi_lang_tag(cfg->language, strlen(cfg->language), b->root_lang))
        b->root_lang[0] = '\0';
    b->part_kind = QL_PART_NONE;
    b->part = 0;
    b->passed = 0;
    r = r->document ? qi_reader_refine(r, cfg, data, len) : r;
    const int d = r->document ? (b->valid_utf8 = 1, b->newlines = QL_NL_BYTES, 0)
                              : decode(b, f, cfg, &r, data, len, &rec, &recoded);
    if (d != 0) {
        free(data);
        return d < 0 ? -1 : 0;
    }

    b->relpath = f->relpath;
    b->path = f->path;
    b->data = data;
    b->len = len;
    b->seq = 0;
    b->scanned = b->line_at = 0;
    int rc = file_terms(b, f->relpath);
    if (rc == 0) {
        const qi_sink_t sink = {on_article, on_passage, on_reader_warning, b, on_part, on_skip};
        if (recoded) { /* the reader reads UTF-8; spans are moved back to the file */
            qi_recode_sink_t rs;
            qi_recode_sink_init(&rs, &rec, data, len, &sink);
            b->valid_utf8 = 1;
            rc = r->read(rec.text, rec.len, cfg, &rs.sink);
            qi_recode_sink_free(&rs);
        } else {
            rc = r->read(data, len, cfg, &sink);
        }
        if (rc == -1 && !b->failed) {
            b->failed = 1;
            ql_errf(b->e, QL_E_NOMEM, "%s: out of memory", f->path);
        }
    } else {
        b->failed = 1;
        ql_errf(b->e, QL_E_NOMEM, "%s: out of memory", f->path);
    }
    if (rc == 0 && b->seq == 0 && len > 0 && !b->passed)
        warnf(b, f->path, "no passages: nothing in it has words to search");
    free(data);
    qi_recoded_free(&rec);
    if (rc || b->passed) return rc;
    b->st->files++;
    b->st->bytes += len;
    return 0;
}

int qi_shard_run(qi_shard_t *s)
{
    builder_t b = {0};
    b.s = s;
    b.st = &s->st;
    b.e = &s->e;
    int rc = -1;
    b.detect = qi_lang_new(); /* NULL (no profiles): languages only as declared */
    if (!(b.pipe = qt_pipeline_new()) || !(b.doc = xq_doc_new()) ||
        !(s->neardup = b.neardup = qi_neardup_new())) {
        ql_errf(&s->e, QL_E_NOMEM, "out of memory");
        goto done;
    }
    const xq_status_t xs = s->into ? XQ_OK : xq_wdb_create(s->db_path, XQ_WDB_NOSYNC, &s->db);
    if (xs != XQ_OK) {
        ql_errf(&s->e, xs == XQ_NOMEM ? QL_E_NOMEM : QL_E_IO, "%s: cannot create index: %s",
                s->db_path, s->db ? xq_wdb_error(s->db) : xq_status_text(xs));
        goto done;
    }
    b.db = s->into ? s->into : s->db;
    for (size_t i = 0; i < s->nfiles; i++) {
        if (atomic_load(&s->progress->stop)) {
            rc = 0; /* another worker failed; its error is the one reported */
            goto done;
        }
        if (index_file(&b, &s->files[i]) != 0) goto done;
        if (s->warnings.oom || s->manifest.oom) {
            ql_errf(&s->e, QL_E_NOMEM, "out of memory");
            goto done;
        }
        atomic_fetch_add(&s->progress->files, 1);
        credit(&b, s->files[i].size);
    }
    rc = 0;
done:
    if (rc != 0) {
        s->failed = 1;
        atomic_store(&s->progress->stop, 1);
    }
    xq_doc_free(b.doc);
    qt_pipeline_free(b.pipe);
    qi_lang_free(b.detect);
    ql_buf_free(&b.term);
    ql_buf_free(&b.rec);
    ql_buf_free(&b.fixed);
    ql_buf_free(&b.map);
    ql_buf_free(&b.nl);
    free(b.src);
    ql_buf_free(&b.title);
    ql_buf_free(&b.file_terms);
    ql_buf_free(&b.title_terms);
    ql_buf_free(&b.post_tags);
    ql_buf_free(&b.own_tags);
    ql_buf_free(&b.source_terms);
    ql_buf_free(&b.source);
    ql_buf_free(&b.url);
    return rc;
}

int qi_regroup_doc(xq_wdb_t *db, xq_docid_t docid, uint64_t old_key, uint64_t new_key, ql_err_t *e)
{
    char old_t[QL_GROUP_TERM_SIZE], new_t[QL_GROUP_TERM_SIZE];
    unsigned char val[8];
    ql_term_group(old_t, old_key);
    ql_term_group(new_t, new_key);
    ql_key_encode(new_key, val);
    const xq_status_t st = xq_wdb_regroup(db, docid, old_t, strlen(old_t), new_t, strlen(new_t),
                                          QL_SLOT_DUP, (const char *)val, sizeof val);
    if (st == XQ_OK) return 0;
    return ql_errf(e, st == XQ_NOMEM ? QL_E_NOMEM : QL_E_IO, "writing the index: %s",
                   xq_wdb_error(db));
}

int qi_regroup_replay(qi_neardup_t *table, xq_wdb_t *db, xq_docid_t docid, const unsigned char *sig,
                      uint64_t cur, ql_err_t *e)
{
    uint64_t key;
    ql_sig_t s;
    qi_minhash_t m = {{0}, 0, QI_NEARDUP_MIN_WORDS}; /* stored: long enough to group */
    if (!ql_sig_decode((const char *)sig, QL_SIG_BYTES, &s)) return 0;
    memcpy(m.mins, s.mins, sizeof m.mins);
    if (qi_neardup_key(table, &m, s.own, &key) != 0) return ql_errf(e, QL_E_NOMEM, "out of memory");
    return key == cur ? 0 : qi_regroup_doc(db, docid, cur, key, e);
}

void qi_shard_free(qi_shard_t *s)
{
    if (!s) return;
    xq_wdb_free(s->db);
    s->db = NULL;
    qi_neardup_free(s->neardup);
    s->neardup = NULL;
    ql_buf_free(&s->warnings);
    ql_buf_free(&s->manifest);
    ql_buf_free(&s->skipped);
}
