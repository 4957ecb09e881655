/*
 * integrity.h - what a published generation must be, written down when it is
 * built and checked on demand (`quire index --verify`). Before publishing a
 * full build, the indexer runs Xapian's consistency check over the new
 * database; every build writes DIR/gen-N/quire-manifest: the format version, passage and file
 * counts, the corpus fingerprint (a hash of the per-file manifest), and the
 * size and XXH64 checksum of every file of the generation. Verifying
 * recomputes the checksums and reruns the check, so a damaged or edited
 * index is named before it gives wrong answers.
 */
#ifndef QUIRE_INTEGRITY_H
#define QUIRE_INTEGRITY_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

#define QL_INTEGRITY_FILE "quire-manifest"

/* Writes the quire-manifest of the closed database in gen_dir; with check,
 * first runs Xapian's check over it and fails (QL_E_CORRUPT) when that
 * finds anything wrong. The check reads every block (4-7 s for a 650 MB
 * index): a full build, whose tables the compactor wrote, runs it; an
 * incremental update, a few documents written by Xapian's own writer into
 * a copy, does not (`--verify` runs it on demand). */
int ql_integrity_write(const char *gen_dir, size_t passages, size_t files, uint64_t corpus_fp,
                       int check, ql_err_t *e);

/* Recomputes gen_dir's checksums and reruns the check; 0 when everything
 * matches, else -1 with e naming the first difference (QL_E_CORRUPT).
 * Xapian's check opens tables read/write, so on a read-only index it runs
 * on a copy in $TMPDIR (as much free space as the index needs there). */
int ql_integrity_verify(const char *gen_dir, ql_err_t *e);

/* The cheap check made whenever an index is opened: gen_dir's quire-manifest
 * reads, and lists exactly the regular files there, each of the size it
 * was published with (stat calls, no reading). 0, or -1 with e naming the
 * first difference (QL_E_CORRUPT). */
int ql_integrity_quick(const char *gen_dir, ql_err_t *e);

#endif
