/*
 * reader.h - input formats behind one interface.
 *
 * A reader turns the bytes of one file into articles and passages. It reports
 * each article (its title, date, source, url and, in record formats, its
 * record number) and then the passages that belong to it, each as a span of
 * the file's bytes, so citations point into the original file whatever the
 * format; readers that remove markup hand over the extracted text too
 * (textmap.h maps it back to the file). Formats: plain text (reader_txt.c),
 * HTML (reader_html.c), Markdown (reader_md.c), JSON Lines and JSON arrays
 * of articles (reader_json.c), Telegram Desktop channel exports
 * (reader_telegram.c); and documents whose text is extracted first - PDF,
 * DOCX, ODT, EPUB (reader_doc.c over lib/document.h), whose passages name
 * the part (page, chapter) their spans are in. reader.c chooses one by
 * extension and content.
 */
#ifndef QUIRE_READER_H
#define QUIRE_READER_H

#include "buf.h"
#include "date.h"
#include "document.h"
#include "layout.h"
#include "split.h"
#include "walk.h"

#include <stddef.h>
#include <stdint.h>

typedef struct qi_article {
    const char *title; /* borrowed, any bytes (repaired to UTF-8 when stored) */
    size_t title_len;
    uint32_t date;      /* yyyymmdd (date.h); 0: unknown */
    const char *source; /* borrowed; NULL or "" when unknown */
    size_t source_len;
    const char *url; /* borrowed; NULL or "" when unknown */
    size_t url_len;
    uint32_t record;  /* 1-based record number (JSON, exports); 0: not a record format */
    const char *lang; /* borrowed: the language the article declares (<html lang>, JSON
                       * "language"), a tag as written ("en-US"); NULL or "": none */
    size_t lang_len;
    const char *tags; /* borrowed: the lines of hashtags alone the article (a post) ends
                       * with ("#UNCharterIsOurRules"), or NULL */
    size_t tags_len;
} qi_article_t;

typedef struct qi_sink {
    /* Starts an article; the passages that follow belong to it. */
    int (*article)(void *ctx, const qi_article_t *a);
    /* One passage: sp is a span of the file; text is its text when the reader
     * extracted it (markup removed), or NULL for the span's own bytes; src,
     * with text, the file offset each of its bytes stands for (NULL: they are
     * the span's bytes), so a word can be cited at its line and column. */
    int (*passage)(void *ctx, const qi_span_t *sp, const char *text, size_t text_len,
                   const size_t *src);
    /* Part of the file could not be read (a record that is not valid JSON);
     * msg says where and why. The rest of the file is still indexed. */
    void (*warn)(void *ctx, const char *msg);
    void *ctx;
    /* Documents (reader_doc.c) only. The passages that follow are in part
     * number of kind (document.h: a PDF's page, an EPUB's chapter): their
     * spans are of text[0..len), the part's extracted text, valid while they
     * come. */
    int (*part)(void *ctx, ql_part_kind_t kind, uint32_t number, const char *text, size_t len);
    /* The whole file is passed over: why (QL_SKIP_*, layout.h) and msg (a
     * phrase: "encrypted (needs a password)"). */
    void (*skip)(void *ctx, ql_skip_t why, const char *msg);
} qi_sink_t;

/* How files are read: quire index's --format and --*-field flags. Stored in
 * the index (QL_META_READER) so --check and updates read files the same way.
 * Field lists are comma-separated JSON member names, tried in order. */
typedef struct qi_read_cfg {
    const char *format;        /* a reader's name to read every file with; NULL: choose */
    const char *title_fields;  /* NULL: "title,headline,name,subject" */
    const char *text_fields;   /* NULL: "text,body,content,message,description" */
    const char *date_fields;   /* NULL: "date,published,published_at,pubdate,created_at,time" */
    const char *url_fields;    /* NULL: "url,link,href,permalink" */
    const char *source_fields; /* NULL: "source,site,publisher,outlet,channel,forwarded_from" */
    const char *encoding;      /* files that are not valid UTF-8 are read in this single-byte
                                * encoding (charset.h); NULL: only as an HTML file declares */
    const char *follow;        /* "outside": symlinks that lead out of the folder being
                                * indexed are followed (walk.h); NULL: they are skipped */
    const char *date_order;    /* "mdy": an ambiguous numeric date (05/06/2023) is month
                                * first; NULL or "dmy": day first (date.h) */
    const char *exclude;       /* '\t'-separated globs the walk leaves out (ignore.h) */
    const char *ignore_files;  /* "no": read no .quireignore or .gitignore; NULL: read them */
    const char *hidden;        /* "yes": walk hidden files and folders too */
    const char *language;      /* the folder's language (--language, a tag): its articles
                                * are in it, unless one declares its own; NULL: detected */
} qi_read_cfg_t;

typedef struct qi_reader {
    const char *name;              /* "txt", "html", "md", "json", "telegram" */
    const char *const *extensions; /* lower-case, with the dot; NULL-terminated */
    /* Reads data[0..len) (any bytes; the caller has checked it is not binary).
     * Returns 0, a sink callback's non-zero value, or -1 when out of memory. */
    int (*read)(const char *data, size_t len, const qi_read_cfg_t *cfg, const qi_sink_t *sink);
    /* a document format (reader_doc.c), its ql_doc_kind_t; 0: not one. read reads the bytes as
     * they are (no binary check, no charset), through sink's part and skip */
    int document;
} qi_reader_t;

/* The reader for path: cfg->format's when set (every file is read with it),
 * else by extension, that of the name inside a ".gz" or ".zst"
 * (compressed.h: a.html.gz is read as HTML once decompressed); NULL when Quire does not read such
 * files. cfg may be NULL. */
const qi_reader_t *qi_reader_for(const char *path, const qi_read_cfg_t *cfg);

/* The reader called name, or NULL. */
const qi_reader_t *qi_reader_named(const char *name);

/* The reader to use for data chosen by extension as r, looking at its
 * content: a .txt file that is an HTML document is read as HTML; a forced
 * format is kept as it is. */
const qi_reader_t *qi_reader_refine(const qi_reader_t *r, const qi_read_cfg_t *cfg,
                                    const char *data, size_t len);

/* How cfg says to read an ambiguous numeric date (cfg may be NULL). */
ql_date_order_t qi_date_order(const qi_read_cfg_t *cfg);

/* Whether cfg says to follow symlinks that lead outside the walked folder. */
int qi_follows_outside(const qi_read_cfg_t *cfg);

/* The walk's settings from cfg (may be NULL): follow_outside, exclude,
 * no_ignore and hidden of *o. */
void qi_walk_settings(const qi_read_cfg_t *cfg, qi_walk_opts_t *o);

/* QL_META_READER's text for paths read as cfgs[0..n) say, appended to out:
 * "" when all are read the defaults' way; one section of "key=value" lines
 * when all are read alike (the text every index of one path has); else one
 * section per path, in QL_META_PATHS's order, each ended by a line "--". */
#define QI_READ_CFG_END "--"
void qi_read_cfgs_format(const qi_read_cfg_t *cfgs, size_t n, ql_buf_t *out);

/* Parses QL_META_READER's text into cfgs[0..n), one per path (a single
 * section is every path's), whose strings then point into *store (caller
 * frees it with ql_buf_free). Returns 0, or -1 when out of memory, malformed
 * or holding another number of sections than n. */
int qi_read_cfgs_parse(const char *text, qi_read_cfg_t *cfgs, size_t n, ql_buf_t *store);

/* Title of a plain-text article: its first non-empty line, trimmed and cut
 * to at most max bytes on a character boundary. Sets *len; returns a pointer
 * into data. */
const char *qi_first_line_title(const char *data, size_t len, size_t max, size_t *out_len);

/* The date at the top of an article: the first date written in its first
 * `lines` non-empty lines (date.h's ql_date_find_in, ambiguous numeric
 * dates read in order); 0 when none. */
uint32_t qi_top_date(const char *data, size_t len, unsigned lines, ql_date_order_t order);

#endif
