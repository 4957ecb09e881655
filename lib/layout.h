/*
 * layout.h - the on-disk contract between the indexer and the searcher:
 * format version, term prefixes, value slots and metadata keys, and the
 * codec (layout.c) that spells every term, key and value Quire writes and
 * reads them back: no other file builds a term or decodes a value by hand.
 * Anything that changes what an existing index means bumps
 * QL_FORMAT_VERSION, and readers refuse other versions.
 * docs/ARCHITECTURE.md describes the same layout.
 */
#ifndef QUIRE_LAYOUT_H
#define QUIRE_LAYOUT_H

/* Version of everything below plus the stored record (record.h). */
#define QL_FORMAT_VERSION 9

/* One Xapian document per passage. Terms: */
#define QL_PREFIX_BODY "Z"  /* Z<stem>, with positions: the passage's words */
#define QL_PREFIX_TITLE "S" /* S<stem>, wdf, no positions: the article title's words */
#define QL_PREFIX_CAPS                                                                             \
    "A"                    /* A<folded word>, with positions: words written in capitals            \
                            * (UN, U.S.), so acronym aliases do not match "us" */
#define QL_PREFIX_FILE "F" /* F<name>, boolean: lower-cased path components and basename */
#define QL_PREFIX_PATH "P" /* P<root>:<relpath>, boolean: every passage of one file */
#define QL_PREFIX_DUP "H"  /* H<16 hex>, boolean: passages with the same folded text */
#define QL_PREFIX_LANG "L" /* L<code>, boolean: the passage's language (ISO 639-1: Len, Lru) */
/* K<folded tag>, boolean: the hashtags a passage carries - its
 * own, or, on a post's first paragraph, those of the lines of hashtags the
 * post ends with (which then carry none), so #tag finds each post once */
#define QL_PREFIX_TAG "K"
/* A group's H term from its 64-bit key (value slot 0): ql_term_group() */
#define QL_GROUP_TERM_SIZE 18
#define QL_PREFIX_SOURCE                                                                           \
    "O" /* O<stem>, boolean: the words of the article's source (site, channel,                     \
         * forwarded-from), for source: */
/* Boolean terms on the first passage of each article (a file, a JSON record,
 * a post), so quire stats counts articles, and those without a date, as
 * term frequencies: exact after incremental updates and across shards. */
#define QL_TERM_ARTICLE "XART"
#define QL_TERM_UNDATED "XNODATE"

/* Longest term Xapian accepts is 245 bytes; longer path terms are cut and
 * end in a hash of the whole path. */
#define QL_MAX_TERM_BYTES 240

/* Value slots. */
#define QL_SLOT_DUP 0 /* 8-byte hash of the folded text: the collapse key */
/* 1 byte: under QL_PRIOR_HEADING marks boilerplate, which the searcher
 * ranks after every real paragraph (indexer/boilerplate.h); QL_PRIOR_HEADING
 * a passage that is its article's title alone, ranked below the paragraphs
 * that cover as much of the query; absent means 100. */
#define QL_SLOT_PRIOR 1
#define QL_PRIOR_HEADING 50
/* The passage's exact-text key (8 bytes, big-endian) and its MinHash
 * signature (QI_MINHASHES x 4 bytes, big-endian), for passages long enough
 * for near-duplicate grouping: an incremental update regroups from these
 * without re-reading any file. */
#define QL_SLOT_SIG 2
#define QL_SIG_BYTES (8 + 16 * 4)
/* The article's date as 8 ASCII digits, yyyymmdd (date.h), only on passages
 * of dated articles: date filters are ranges over it, --sort=date sorts by it. */
#define QL_SLOT_DATE 3

/* Metadata keys. */
#define QL_META_FORMAT "quire.format"     /* decimal QL_FORMAT_VERSION */
#define QL_META_ROOTS "quire.roots"       /* absolute root paths, one per line, by root id */
#define QL_META_FILES "quire.files"       /* decimal count of files indexed */
#define QL_META_PASSAGES "quire.passages" /* decimal count of passages */
#define QL_META_PATHS "quire.paths"       /* the run's PATH arguments, absolute, one per line */
#define QL_META_MANIFEST                                                                           \
    "quire.manifest"                /* per candidate file: root id TAB path length ':' path TAB    \
                                     * size TAB mtime (ns) TAB FNV-1a 64 of the bytes (hex) */
#define QL_META_SLICE "quire.shard" /* "I/N" when built with --shard I/N, else unset */
#define QL_META_NEWEST                                                                             \
    "quire.newest" /* decimal ns: the newest modification time in the manifest. A file             \
                    * not modified after it is as indexed, so quire_hit_t.stale reads the          \
                    * manifest only for files newer than that; absent before stop 15 */
#define QL_META_SKIPPED                                                                            \
    "quire.skipped" /* each file passed over with a warning: reason TAB root id TAB path           \
                     * length ':' path, one per line (ql_skipped_add); absent: none */
#define QL_META_PASSED                                                                             \
    "quire.passed" /* files the walk passed over: "unsupported=N outside=M excluded=K"             \
                    * (ql_passed_*; excluded absent before stop 26) */
#define QL_META_ORDER                                                                              \
    "quire.order" /* where each file of QL_META_MANIFEST has its passages, in the manifest's       \
                   * order, tied to its fingerprint (ql_order_*): an update visits the files       \
                   * in order without looking up their P terms; absent or stale: looked up */
#define QL_META_READER                                                                             \
    "quire.reader" /* how files were read: forced format and JSON field names                      \
                    * (reader.h), one "key=value" per line */

/* ------------------------------------------------------------ the codec */

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

/* Appends the term prefix + s[0..n) to t. A term longer than
 * QL_MAX_TERM_BYTES is cut and ends in '#' and 16 hex digits of FNV-1a 64
 * of s whole, so it stays unique (Xapian refuses terms over 245 bytes). */
void ql_term(ql_buf_t *t, const char *prefix, const char *s, size_t n);

/* Appends the term of every passage of one file (QL_PREFIX_PATH): root id,
 * ':', the path relative to that root (any bytes). */
void ql_term_path(ql_buf_t *t, uint32_t root, const char *relpath, size_t n);

/* The H term of group key into out (NUL-terminated). */
void ql_term_group(char out[QL_GROUP_TERM_SIZE], uint64_t key);

/* Appends the term of a language (QL_PREFIX_LANG): code lower-cased
 * (indexer/lang.h's codes; lang: in a query). */
void ql_term_lang(ql_buf_t *t, const char *code, size_t n);

/* A group key as its value (slot 0: 8 bytes, big-endian), and back: 1 when
 * v[0..len) is a key, 0 when not (*key 0). */
void ql_key_encode(uint64_t key, unsigned char out[8]);
int ql_key_decode(const char *v, size_t len, uint64_t *key);

/* A passage's MinHash signature of word pairs (near-duplicates, slot 2):
 * the exact-text key and QL_MINHASHES values. */
#define QL_MINHASHES 16
typedef struct ql_sig {
    uint64_t own;
    uint32_t mins[QL_MINHASHES];
} ql_sig_t;

/* Slot 2's value: own, then the values, big-endian (QL_SIG_BYTES). */
void ql_sig_encode(const ql_sig_t *s, unsigned char out[QL_SIG_BYTES]);
/* 1 when v[0..len) is a signature (decoded into *s), 0 when not. */
int ql_sig_decode(const char *v, size_t len, ql_sig_t *s);
/* How many values two signatures share (0..QL_MINHASHES), and whether that
 * makes their passages near-identical (at least 12 of 16: an estimated
 * Jaccard similarity of their word pairs of 0.75). */
#define QL_SIG_AGREE 12 /* values two near-identical passages share, at least */
int ql_sig_agree(const uint32_t *a, const uint32_t *b);
int ql_sig_similar(const uint32_t *a, const uint32_t *b);

/* Why a file was passed over with a warning (QL_META_SKIPPED). */
typedef enum ql_skip {
    QL_SKIP_BINARY,
    QL_SKIP_UNREADABLE,
    QL_SKIP_TOO_LARGE,
    QL_SKIP_ENCRYPTED, /* a document that needs a password */
    QL_SKIP_DAMAGED,   /* a document its reader cannot make sense of */
    QL_SKIP_NO_TEXT,   /* a document with no text (scanned pages) */
    QL_SKIP_KINDS
} ql_skip_t;

/* Appends the record of one skipped file to b. */
void ql_skipped_add(ql_buf_t *b, ql_skip_t why, uint32_t root, const char *relpath, size_t n);

/* One record of a QL_META_SKIPPED text; relpath points into it. */
typedef struct ql_skipped {
    ql_skip_t why;
    uint32_t root;
    const char *relpath;
    size_t relpath_len;
} ql_skipped_t;

/* Parses the record at *p and moves *p past it: 1 for a record, 0 at the
 * end, -1 when the text is malformed. */
int ql_skipped_next(const char **p, ql_skipped_t *r);

/* What the walk passed over: not a format Quire reads, symlinks leading
 * outside and system filesystems, files and folders ignore rules left out. */
typedef struct ql_passed {
    size_t unsupported, outside, excluded;
} ql_passed_t;

/* QL_META_PASSED's text into b, and back (0, or -1 when malformed; "" or
 * NULL is all 0). */
void ql_passed_format(ql_buf_t *b, const ql_passed_t *p);
int ql_passed_parse(const char *s, ql_passed_t *p);

/* The passages of one file: docids first .. first + count - 1 (count 0:
 * none). A file's passages are written together, so their docids follow on. */
typedef struct ql_span {
    uint32_t first, count;
} ql_span_t;

/* QL_META_ORDER's value for the manifest whose fingerprint is fp (the
 * corpus fingerprint, manifest.h) and its files' spans[0..n), into b. */
void ql_order_encode(ql_buf_t *b, uint64_t fp, const ql_span_t *spans, size_t n);

/* Decodes v[0..len) into spans[0..n): 0 when it is the order of n files of
 * the manifest with fingerprint fp, else -1 (another manifest's, or
 * malformed). */
int ql_order_decode(const char *v, size_t len, uint64_t fp, ql_span_t *spans, size_t n);

/* The index directory (generation.h): */
#define QL_DEFAULT_INDEX ".quire" /* relative to the working directory */
#define QL_ENV_INDEX "QUIRE_INDEX"

#endif
