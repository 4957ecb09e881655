/*
 * quire.h - libquire, the one public API of Quire: ranked passage lookup
 * with exact source citations over folders of articles. Open an index,
 * search it (hits arrive through a callback, best first, each with its
 * file, line and byte range, title, date, source, url, a snippet with
 * highlight ranges, the other places holding the same text, and on request
 * why it matched), read its statistics, build or update it with progress
 * and cancellation, verify it.
 *
 * Conventions (as notmuch's notmuch.h):
 * - Every fallible call returns a quire_status_t; quire_status_to_string()
 *   names it. Handles are opaque. A handle's last error text is owned by
 *   the handle (quire_db_error()), valid until its next call.
 * - Text is pointer plus length and UTF-8; strings in hits are borrowed and
 *   valid only during the callback that receives them.
 * - Thread safety: a quire_db_t belongs to the thread that opened it; a
 *   call on it from another thread returns QUIRE_WRONG_THREAD and does
 *   nothing. Open one handle per thread (they share nothing). quire_index()
 *   may run in any thread; its callbacks run in the calling thread.
 * - Nothing here prints. No call aborts the process on bad input: NULL
 *   handles and arguments, a handle used after quire_db_close(), and calls
 *   out of order return QUIRE_BAD_ARGUMENT.
 */
#ifndef QUIRE_H
#define QUIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; only what is marked so is
 * exported (make lint checks libquire.so exports quire_ symbols only). */
#if defined(__GNUC__)
#define QUIRE_EXPORT __attribute__((visibility("default")))
#else
#define QUIRE_EXPORT
#endif

#define QUIRE_VERSION_MAJOR 0
#define QUIRE_VERSION_MINOR 14
#define QUIRE_VERSION_PATCH 0
#define QUIRE_VERSION_STRING "0.14.0"

/* The library's version at run time ("0.14.0"), to compare with
 * QUIRE_VERSION_STRING at build time. Static string. */
QUIRE_EXPORT const char *quire_version(void);

/* The index format this library reads and writes (stats tell an index's). */
QUIRE_EXPORT int quire_format_version(void);

typedef enum quire_status {
    QUIRE_OK = 0,
    QUIRE_BAD_ARGUMENT,    /* a NULL or closed handle, a NULL or out-of-range argument */
    QUIRE_WRONG_THREAD,    /* the handle belongs to another thread */
    QUIRE_NO_MEMORY,       /* out of memory; nothing was changed */
    QUIRE_IO,              /* a file or directory could not be read or written */
    QUIRE_NO_INDEX,        /* no index where one was expected */
    QUIRE_CORRUPT,         /* the index is damaged */
    QUIRE_FORMAT,          /* the index has another format version: rebuild it */
    QUIRE_LOCKED,          /* another writer is building this index */
    QUIRE_BAD_QUERY,       /* with strict: the query does not parse */
    QUIRE_NETWORK,         /* a remote shard is down or did not answer in time */
    QUIRE_STOPPED,         /* a callback asked to stop, or the build was cancelled */
    QUIRE_CALLBACK_FAILED, /* a callback returned a failure */
    QUIRE_INTERNAL         /* anything else */
} quire_status_t;

/* A short static description ("out of memory"); "unknown status" for a
 * value not in the enum. */
QUIRE_EXPORT const char *quire_status_to_string(quire_status_t status);

/* ------------------------------------------------------------ the text pipeline */

/* The index directory to use when none is given: $QUIRE_INDEX when set
 * and not empty, else ".quire" (relative to the working directory).
 * Borrowed from the environment or static. */
QUIRE_EXPORT const char *quire_default_index(void);

/* Finds the index to use when none is named, as git finds .git:
 * $QUIRE_INDEX when set and not empty, else the nearest .quire directory
 * in the working directory or above it (as a relative path: ".quire",
 * "../../.quire"). *dir is malloc()ed (the caller frees). QUIRE_NO_INDEX
 * when there is none (*dir NULL: a new index would go in ".quire");
 * QUIRE_IO, with *error, when the nearest .quire is not a directory. */
QUIRE_EXPORT quire_status_t quire_find_index(char **dir, char **error);

/* A word as Quire's one text pipeline (documents, queries and snippets
 * alike) sees it. */
typedef struct quire_token {
    size_t start, end;  /* bytes [start, end) of the word in the text */
    unsigned position;  /* 1-based; the parts of a #hashtag share or follow its own */
    const char *folded; /* NFKC, case and accents folded, American spelling; NULL
                         * for a word too long to index (a URL, base64) */
    const char *stem;   /* the Snowball stem of folded: the term indexed; NULL with it */
    int upper;          /* written in capitals (UN, U.S., DPRK): also indexed unstemmed */
    int tag;            /* a whole #hashtag, its CamelCase parts following */
    int tag_part;       /* one part of the #hashtag before it */
} quire_token_t;

/* Called with each word in order; strings valid during the call. Return
 * QUIRE_CONTINUE to go on, anything else stops quire_analyze(). */
typedef int (*quire_token_fn)(void *ctx, const quire_token_t *t);

/* Runs text[0..len) through the text pipeline, calling fn with each word.
 * QUIRE_STOPPED when fn stopped it. Needs no index; any thread. */
QUIRE_EXPORT quire_status_t quire_analyze(const char *text, size_t len, quire_token_fn fn,
                                          void *ctx);

/* quire_analyze for text in language lang (ISO 639-1: "fr", "de", "tr"):
 * words in Latin script are stemmed as that language's, as the indexer
 * stems an article in it (French elisions l' d' qu' dropped, Turkish
 * dotless i); NULL, "" or a language without a stemmer of its own:
 * quire_analyze. Other scripts are stemmed by script either way. */
QUIRE_EXPORT quire_status_t quire_analyze_lang(const char *lang, const char *text, size_t len,
                                               quire_token_fn fn, void *ctx);

/* ------------------------------------------------------------ opening */

typedef struct quire_db quire_db_t;

typedef struct quire_open_opts {
    unsigned timeout_ms; /* per exchange with a remote shard; 0: 5000 */
    int allow_partial;   /* search the shards that answer, naming the others in
                          * quire_result_t.missing, instead of failing */
} quire_open_opts_t;

/* Opens specs[0..n) for reading, as one index: each an index directory
 * (the one `quire index --index DIR` writes), tcp://HOST:PORT (quire
 * serve), or a file listing such specs one per line. opts may be NULL.
 * *out is set even on failure (unless out of memory: NULL), holding the
 * error text; the caller closes it with quire_db_close() either way. */
QUIRE_EXPORT quire_status_t quire_db_open(const char *const *specs, size_t n,
                                          const quire_open_opts_t *opts, quire_db_t **out);

/* The text of db's last error (one line naming the file or index and what
 * is wrong), or "" after a success. Owned by db; valid until db's next
 * call. NULL db: a static text saying so. */
QUIRE_EXPORT const char *quire_db_error(const quire_db_t *db);

/* Adds the aliases in the file at path (one group per line, names
 * separated by |) to the built-in ones db expands queries with. */
QUIRE_EXPORT quire_status_t quire_db_add_aliases(quire_db_t *db, const char *path);

/* Closes db and frees it. Accepts NULL; a second close of the same handle
 * returns QUIRE_BAD_ARGUMENT. */
QUIRE_EXPORT quire_status_t quire_db_close(quire_db_t *db);

/* ------------------------------------------------------------ searching */

/* Search options, filled by field name after quire_search_opts_init(). */
typedef struct quire_search_opts {
    unsigned offset;        /* hits to skip */
    unsigned limit;         /* hits to deliver (default 10; at most 100000) */
    uint32_t since, until;  /* only articles dated in [since, until], yyyymmdd
                             * (quire_date_span); 0 leaves that end open */
    int sort_by_date;       /* newest article first, relevance breaking ties */
    int strict;             /* a query that does not parse is QUIRE_BAD_QUERY; by
                             * default its words are searched plainly, with a warning;
                             * and a query nothing matches is not corrected */
    int all_words;          /* search common words too (which, the, of) */
    int partial_matches;    /* list the best partial matches of a short query even
                             * when no passage holds half of it */
    int count;              /* count matches exactly (quire_result_t.total) */
    int explain;            /* fill quire_hit_t.explain */
    unsigned snippet_width; /* characters (default 200); 0: no snippet, no text */
    /* ranking; the defaults are what `quire search` uses */
    double k1, b;           /* BM25 */
    double coord;           /* exponent on the query share a passage covers; 0: plain BM25 */
    double prox;            /* bonus for adjacent query words found together */
    double title;           /* weight of query words in the article title */
    unsigned prf_docs;      /* pseudo-relevance feedback: top N passages (0: off), */
    unsigned prf_terms;     /* ... this many expansion terms, */
    double prf_weight;      /* ... weighted this share of the query */
    const char *language;   /* the query's language (a tag: "fr", "ru-RU"): its words are
                             * stemmed as that language's alone; NULL: read in every
                             * language the index holds. Passages of any language match;
                             * lang: in the query restricts them */
    unsigned time_limit_ms; /* the match stops after this long and ranks the passages it
                             * has found (a server's bound per request); 0: none */
} quire_search_opts_t;

/* Fills o with the defaults. */
QUIRE_EXPORT void quire_search_opts_init(quire_search_opts_t *o);

/* The first and last day of a date as people write it ("2023",
 * "2023-05", "2023-05-05", "May 5 2023"), as yyyymmdd. */
QUIRE_EXPORT quire_status_t quire_date_span(const char *text, size_t len, uint32_t *first,
                                            uint32_t *last);

/* "YYYY-MM-DD" for a yyyymmdd date (as in hits and stats), into out. */
QUIRE_EXPORT void quire_date_format(uint32_t yyyymmdd, char out[11]);

/* A range of bytes, [start, end). */
typedef struct quire_range {
    size_t start, end;
} quire_range_t;

/* Where a passage of a document is (quire_hit_t.part_kind): its lines and
 * bytes count in the text Quire extracts from one part of the file. */
#define QUIRE_PART_NONE 0 /* a plain file: its own lines and bytes */
#define QUIRE_PART_PAGE 1 /* a PDF: part is the page (report.pdf:p12:5-9) */
#define QUIRE_PART_CHAPTER                                                                         \
    2 /* an EPUB: part is the chapter in reading order, its lines                                  \
       * the chapter file's (book.epub:ch3:12-14) */
#define QUIRE_PART_PARAGRAPHS                                                                      \
    3 /* DOCX, ODT: one part whose line N is paragraph N                                           \
       * (memo.docx:\u00b627) */

/* The place in a citation after "PATH:", into out (NUL-terminated, cut to
 * cap): "5-9" or "5" for a file, "p12:5-9" for a PDF page, "ch3:12-14" for
 * an EPUB chapter, "\u00b627" (the pilcrow, UTF-8) for a DOCX or ODT
 * paragraph. quire_show_part() reads them back. */
QUIRE_EXPORT void quire_cite_place(unsigned part_kind, unsigned part, unsigned line_start,
                                   unsigned line_end, char *out, size_t cap);

/* Reads a citation as quire_cite_place() writes it after its path (and
 * vimgrep's PATH:LINE:COL, the column dropped): the path into path[0..cap),
 * the part (0 when none is named) and the lines. Returns 0, or -1 when cite
 * is not a citation. A path may hold ':'. */
QUIRE_EXPORT int quire_cite_parse(const char *cite, char *path, size_t cap, unsigned *part,
                                  unsigned *first, unsigned *last);

/* Another place holding the same passage text. */
typedef struct quire_copy {
    const char *root, *path; /* path relative to root, NUL-terminated */
    unsigned line_start, line_end;
    uint64_t byte_start, byte_end;
    unsigned part_kind, part; /* as in quire_hit_t */
} quire_copy_t;

/* One query term's part in a hit's score (opts.explain). */
typedef struct quire_explain {
    const char *term;    /* the indexed term, its prefix included (Zsanction) */
    const char *from;    /* what the user typed that it stands for */
    const char *matched; /* the word as the passage (or title) writes it */
    const char *kind;    /* "word", "alias", "related" (a related name at half weight:
                          * Iran for Iranian), "title" or "feedback" */
    double weight;       /* BM25 weight, times the query's factor for the term */
    double share;        /* of the passage's score, 0..1 */
} quire_explain_t;

/* quire_hit_t.stale: the cited file as it is now. Checked for the hits
 * delivered only: a stat() each, and a hash of the file's bytes only when
 * its size or modification time moved. */
#define QUIRE_FRESH 0
#define QUIRE_CHANGED 1
#define QUIRE_REMOVED 2

/* A ranked passage. Everything is borrowed: valid during the callback. */
typedef struct quire_hit {
    unsigned rank; /* 1-based, counting opts.offset */
    double score;
    const char *root; /* absolute directory the path is relative to */
    const char *path; /* relative to root, '/'-separated; path_len bytes */
    size_t path_len;
    unsigned line_start, line_end;     /* 1-based, inclusive */
    unsigned column_start;             /* 1-based byte column of byte_start */
    uint64_t byte_start, byte_end;     /* [start, end) in the file */
    unsigned record;                   /* 1-based record of a JSON file or export; 0: none */
    int has_match;                     /* a word is highlighted; match_* is the first one's */
    unsigned match_line, match_column; /* place, else the passage's start */
    uint64_t match_byte;
    const char *title; /* the article's title */
    size_t title_len;
    uint32_t date;      /* yyyymmdd; 0: undated */
    const char *source; /* who published it; source_len 0: unknown */
    size_t source_len;
    const char *url; /* url_len 0: none */
    size_t url_len;
    const char *text; /* the passage text (NULL when snippet_width is 0) */
    size_t text_len;
    const char *snippet; /* a window of the text, matches in highlights */
    size_t snippet_len;
    const quire_range_t *highlights; /* in snippet */
    size_t nhighlights;
    const quire_range_t *title_highlights; /* in title */
    size_t ntitle_highlights;
    int title_only; /* no query word is in the passage; it matched by its title */
    int stale;      /* QUIRE_FRESH, or the file has changed or is gone since it was
                     * indexed (QUIRE_CHANGED, QUIRE_REMOVED); from a local index only */
    const quire_copy_t *copies;
    size_t ncopies;
    const quire_explain_t *explain; /* opts.explain; largest share first */
    size_t nexplain;
    /* what the search says as a whole, known before the first hit (as in
     * quire_result_t), for printers that repeat it on every hit */
    unsigned total;
    int total_exact;
    const char *did_you_mean; /* or NULL */
    int corrected;            /* the hit is did_you_mean's (quire_result_t.corrected) */
    const char *warning;      /* or NULL */
    const char *lang; /* the passage's language, ISO 639-1 ("en", "ru"); "" when not known */
    unsigned part_kind, part; /* QUIRE_PART_*: in a document, lines and bytes count in
                               * its part number part (page, chapter); see there */
} quire_hit_t;

/* What a hit callback returns. Anything else is a failure: the search
 * stops and returns QUIRE_CALLBACK_FAILED. */
#define QUIRE_CONTINUE 0
#define QUIRE_STOP 1 /* the search stops and returns QUIRE_STOPPED */

typedef int (*quire_hit_fn)(void *ctx, const quire_hit_t *hit);

/* What a search said besides its hits. Strings owned by the db handle,
 * valid until its next search. */
typedef struct quire_result {
    unsigned hits;              /* delivered */
    unsigned total;             /* passages the query lists (copies once); exact when */
    int total_exact;            /* ... this is set */
    unsigned estimated;         /* Xapian's estimate of the matches */
    const char *did_you_mean;   /* the query with unknown words corrected, or NULL */
    int corrected;              /* nothing matched the query as typed, so the hits are
                                 * did_you_mean's (never with opts.strict or an offset) */
    const char *const *ignored; /* common words left out, as typed; nignored */
    size_t nignored;
    int abstained;          /* a plain query no passage covers half of: no hits
                             * (opts.partial_matches lists them) */
    double best_coverage;   /* ... the largest share any passage covered, */
    double needed_coverage; /* ... and the share a passage needs */
    const char *warning;    /* the query did not parse and was searched plainly: why */
    const char *missing;    /* shards left out (allow_partial), or NULL */
} quire_result_t;

/* Runs query[0..len) (Quire's syntax: words, "phrases", AND OR NOT, -word,
 * prefix*, NEAR/n, title:, file:, date:, source:) on db and calls fn with
 * each hit, best first. opts may be NULL (the defaults); res may be NULL.
 * Pasted text never fails unless opts->strict. */
QUIRE_EXPORT quire_status_t quire_search(quire_db_t *db, const char *query, size_t len,
                                         const quire_search_opts_t *opts, quire_hit_fn fn,
                                         void *ctx, quire_result_t *res);

/* A word of the index, and how many passages hold it. Return
 * QUIRE_CONTINUE for the next one; anything else stops. */
typedef int (*quire_word_fn)(void *ctx, const char *word, size_t len, unsigned long passages);

/* Completes the last word of text[0..len), as a search box does: calls fn
 * with up to max words of the index that start with it (folded as the
 * pipeline folds; a stem shorter than the word also counts, as for
 * sanct*), the words most passages hold first, each as a passage spells it
 * (folded: lower case, no accents). Nothing when text ends with a space or
 * a sign. max is at most 1000. Did-you-mean for a whole query is in
 * quire_result_t. */
QUIRE_EXPORT quire_status_t quire_suggest(quire_db_t *db, const char *text, size_t len,
                                          unsigned max, quire_word_fn fn, void *ctx);

/* ------------------------------------------------------------ showing */

/* A cited place in a file as it is now, and the indexed passage there. */
typedef struct quire_shown {
    const char *text; /* the file's bytes as they are now; text_len of them. A .gz
                       * file: its decompressed text; a UTF-16 file: its text in
                       * UTF-8 (its lines are the file's). When the file was
                       * removed: the indexed passage's text */
    size_t text_len;
    unsigned text_line;            /* the line number of text's first line: 1, or the passage's
                                    * first line when the file was removed */
    int removed;                   /* the file is gone; found says whether the index holds it */
    const char *index_path;        /* the generation looked in */
    int indexed;                   /* the file is in the index */
    int changed;                   /* ... and its bytes differ from those indexed */
    int found;                     /* an indexed passage holds the line (when changed: and its text
                                    * was found again in the file) */
    unsigned line_start, line_end; /* the passage's lines in the file now; when not found,
                                    * the lines asked for */
    uint64_t byte_start, byte_end; /* the passage's bytes in the file now (when found;
                                    * when removed, as it was) */
    const char *title;             /* the passage's article title (when found) */
    size_t title_len;
    const quire_range_t *marks; /* in text: the words of the query given, as search
                                 * matches them, in the lines shown */
    size_t nmarks;
    uint64_t text_start, text_end; /* the passage in text (when found): byte_start and
                                    * byte_end, or for a UTF-16 file their place in its
                                    * UTF-8 text */
    unsigned part_kind, part;      /* a document's part shown (QUIRE_PART_*): text is its text */
} quire_shown_t;

/* Looks up the indexed passage of the file at path (absolute, or relative
 * to the working directory) holding line first (the one starting there
 * when several do), in db (opened on one local index). When the file
 * changed since it was indexed, the passage's text is looked for in the
 * file as it is now; when it was removed, the indexed text is given. With query (may be NULL), the
 * query's words are marked in lines [line_start - context, line_end + context]. Everything in *out
 * is owned by db, valid until its next call. QUIRE_OK also when no passage is found (out->found
 * says); QUIRE_IO when the file cannot be read, QUIRE_BAD_QUERY when query does not parse. */
QUIRE_EXPORT quire_status_t quire_show(quire_db_t *db, const char *path, unsigned first,
                                       unsigned last, unsigned context, const char *query,
                                       quire_shown_t *out);

/* quire_show() for a document's part (quire_hit_t.part): a PDF's page, an
 * EPUB's chapter (0 for a plain file; a DOCX or ODT has one part, 0 or 1);
 * out->text is then that part's extracted text, and its lines are counted
 * there. */
QUIRE_EXPORT quire_status_t quire_show_part(quire_db_t *db, const char *path, unsigned part,
                                            unsigned first, unsigned last, unsigned context,
                                            const char *query, quire_shown_t *out);

/* ------------------------------------------------------------ statistics */

typedef struct quire_stats {
    const char *path;    /* the generation directory; owned by the db handle, */
    const char *from;    /* ... as are the paths it was built from (one per line) */
    const char *read_as; /* ... and how each path's files are read, one line per line of
                          * from: "encoding=latin1 format=txt", "" for the defaults */
    int format;          /* the index's format version */
    unsigned generation; /* the published generation's number */
    unsigned long files, articles, undated, passages;
    unsigned long long words; /* distinct stems */
    unsigned long dated_passages;
    uint32_t date_first, date_last; /* yyyymmdd; 0 when nothing is dated */
    unsigned long long bytes;       /* on disk */
    int64_t built;                  /* seconds since the epoch (UTC) */
    /* files passed over as of the last build or update, by reason (as in
     * quire_index_stats_t): skipped is binary + unreadable + too_large + outside
     * + encrypted + damaged + no_text */
    unsigned long skipped, binary, unreadable, too_large, outside, unsupported;
    unsigned long excluded; /* files and folders --exclude and ignore files left out */
    unsigned long encrypted, damaged, no_text; /* documents passed over (also in skipped) */
    const char *languages; /* passages by language, most first: "en 18269\nru 12\n"
                            * (ISO 639-1 code, space, count; a passage of no known
                            * language is in none) */
} quire_stats_t;

/* Statistics of a local index (db opened on one directory); strings valid
 * until db's next call. */
QUIRE_EXPORT quire_status_t quire_db_stats(quire_db_t *db, quire_stats_t *out);

/* ------------------------------------------------------------ building */

typedef struct quire_progress {
    const char *phase; /* "indexing", then "merging" */
    size_t files_done, files_total;
    uint64_t bytes_done, bytes_total;
    double elapsed_s;
} quire_progress_t;

/* Called about five times a second while files are indexed, and once
 * before; return QUIRE_STOP to cancel the build (nothing is published,
 * the current index stays as it was). */
typedef int (*quire_progress_fn)(void *ctx, const quire_progress_t *p);

/* A file skipped or indexed with a caveat. */
typedef void (*quire_warning_fn)(void *ctx, const char *path, const char *message);

/* What quire_index_opts_t.paths do to the folders an index remembers. */
typedef enum quire_paths_mode {
    QUIRE_PATHS_SAME = 0, /* none: the index's own (a new index: "."); else exactly its own,
                           * and other paths are refused (QUIRE_BAD_ARGUMENT) rather
                           * than silently dropping a folder */
    QUIRE_PATHS_ADD,      /* the index's folders and these */
    QUIRE_PATHS_REMOVE,   /* the index's folders but these */
    QUIRE_PATHS_REPLACE   /* these alone */
} quire_paths_mode_t;

typedef struct quire_index_opts {
    const char *index_dir;    /* where the index lives */
    const char *const *paths; /* files and folders to index (relative to the working
                               * directory); may be none (see paths_mode) */
    size_t npaths;
    unsigned jobs;              /* worker threads; 0: one per CPU */
    int full;                   /* rebuild even when the index could be updated */
    int keep_previous;          /* keep the previous generation even when disk space is short */
    quire_progress_fn progress; /* may be NULL */
    quire_warning_fn warning;   /* may be NULL */
    void *ctx;                  /* passed to both */
    unsigned shard, nshards;    /* only the files of shard 1..nshards (by a hash of each
                                 * path); nshards 0: every file */
    /* how files are read; NULL for each: the defaults */
    const char *format;   /* every file in this format (quire_format_known) instead of
                           * choosing by extension and content */
    const char *encoding; /* files that are not valid UTF-8 are read in this single-byte
                           * encoding (quire_encoding_known); else only a declared one */
    int follow_outside;   /* follow symlinks that lead outside the folder indexed */
    const char *title_fields, *text_fields, *date_fields, *url_fields, *source_fields;
    /* ... JSON member names, separated by ',', first found wins. Reader
     * settings belong to each path of the index: when one of them (date_order
     * included) is set, they are how the paths given are read (none given:
     * every path of the index), and the other paths keep theirs; when none
     * is set, every path is read as it was. The shard is the index's: the
     * remembered one when nshards is 0. */
    quire_paths_mode_t paths_mode;
    const char *date_order; /* how an ambiguous numeric date (05/06/2023) is read: "dmy"
                             * (5 June; NULL: the default) or "mdy" (May 6) */
    /* what the walk leaves out, reader settings too: */
    const char *const *excludes; /* globs in gitignore's syntax ("node_modules/", "*.log",
                                  * "drafts/old-*"), matched against paths relative to each
                                  * folder indexed; no tab or line break */
    size_t nexcludes;
    int no_ignore;        /* read no .quireignore, nor .gitignore inside a git work tree */
    int hidden;           /* walk hidden files and folders too (never .git or .quire) */
    const char *language; /* a reader setting: the folder's language, a tag ("ru",
                           * "en-GB"): its articles are in it unless one declares its
                           * own (<html lang>, JSON "language"); NULL: detected */
} quire_index_opts_t;

/* Whether name is a format quire_index_opts_t.format takes ("txt", "html",
 * "md", "json", "telegram", or "auto": by extension and content, which
 * also replaces a format the index remembers): 1 or 0. */
QUIRE_EXPORT int quire_format_known(const char *name);

/* Whether name is a single-byte encoding the system's iconv reads
 * ("windows-1251", "koi8-r"): 1 or 0. */
QUIRE_EXPORT int quire_encoding_known(const char *name);

/* Whether tag is a language tag quire_index_opts_t.language takes ("en",
 * "ru_RU", "zh-Hans", "fr-CA": a primary subtag of 2 or 3 letters): 1 or 0.
 * A language Quire has no stemmer for is still a tag: its words are
 * stemmed by script (English for Latin) and lang: finds them. */
QUIRE_EXPORT int quire_language_tag(const char *tag);

typedef struct quire_index_stats {
    /* what the published index holds, after an update too (or when nothing
     * changed); the rest is what this run did */
    unsigned long files, passages, articles, undated;
    unsigned long warnings;
    unsigned long skipped; /* files skipped with a warning: the sum of */
    unsigned long binary, unreadable, too_large, outside; /* ... these (outside: symlinks
                                                           * out of the folder) */
    unsigned long unsupported; /* files passed over: not a format Quire reads */
    double seconds;            /* the run's wall time */
    uint64_t bytes;
    unsigned generation; /* published */
    int incremental;     /* an update of the previous generation (or nothing to do) */
    unsigned long unchanged, changed, added, removed;
    unsigned long excluded; /* files and folders --exclude and ignore files left out */
    /* documents passed over, also in skipped: needing a password, damaged
     * (or not what their name says), with no text (scanned pages) */
    unsigned long encrypted, damaged, no_text;
} quire_index_stats_t;

/* Indexes o->paths (with o->paths_mode, against the folders the index
 * remembers) into a new generation of o->index_dir and publishes it
 * atomically (readers see the old or the new index, never a half-written
 * one); only what changed when the index was built from the same paths.
 * st may be NULL. On failure, when error is not NULL, *error is a
 * malloc()ed line saying why (the caller frees it). */
QUIRE_EXPORT quire_status_t quire_index(const quire_index_opts_t *o, quire_index_stats_t *st,
                                        char **error);

/* The generation published in index_dir, opened to check it is a
 * readable index of this format: *generation is its malloc()ed path (the
 * caller frees). What a server hands out; *error as for quire_index. */
QUIRE_EXPORT quire_status_t quire_published(const char *index_dir, char **generation, char **error);

/* Keeping an index current (quire_watch). */
typedef struct quire_watch_opts {
    unsigned debounce_ms;   /* quiet time after a change before updating; 0: 1000 */
    unsigned rescan_s;      /* when the kernel's watch limit is reached: rescan this
                             * often instead; 0: 60 */
    int (*stop)(void *ctx); /* non-zero ends the watch; asked at least 4 times a second,
                             * and during an update (which is then cancelled) */
    void (*updated)(void *ctx, const quire_index_stats_t *st); /* after each update */
    void (*note)(void *ctx, const char *msg);                  /* the watch limit reached, an update
                                                                * that failed (the watch goes on) */
    void *ctx;
} quire_watch_opts_t;

/* Updates the index as quire_index(o) does, then keeps it current: the
 * folders under its roots are watched (inotify), and after each burst of
 * changes, once they have been quiet for w->debounce_ms, the index is
 * updated again, each update published atomically. Runs until w->stop
 * says so (then QUIRE_OK, the index intact). One watcher per index: a
 * second gets QUIRE_LOCKED, *error naming the first one's pid. */
QUIRE_EXPORT quire_status_t quire_watch(const quire_index_opts_t *o, const quire_watch_opts_t *w,
                                        char **error);

/* Verifies the published index in index_dir in full (Xapian's check and
 * the integrity manifest). Read-only. When generation is not NULL,
 * *generation is the malloc()ed path of the generation verified (the
 * caller frees). *error as for quire_index. */
QUIRE_EXPORT quire_status_t quire_verify(const char *index_dir, char **generation, char **error);

/* How an index compares with the files it was built from. */
typedef struct quire_check {
    unsigned long same, changed, added, removed;
    char first[1024]; /* the first difference found, to name it */
} quire_check_t;

/* Compares the index in index_dir with the files under paths[0..npaths)
 * (npaths 0: the paths it was built from), without building anything: a
 * file whose size and modification time match is taken as unchanged,
 * else its bytes are compared by checksum. *error as for quire_index. */
QUIRE_EXPORT quire_status_t quire_check(const char *index_dir, const char *const *paths,
                                        size_t npaths, quire_check_t *out, char **error);

#ifdef __cplusplus
}
#endif

#endif
