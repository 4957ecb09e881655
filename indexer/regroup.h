/*
 * regroup.h - near-duplicate groups as one pass over the corpus gives them.
 * Grouping is order-dependent (a passage joins the group of the first
 * similar passage before it), so when a generation was written by several
 * workers, or updated in place, the stored signatures (value slot
 * QL_SLOT_SIG) are replayed in file order and the few documents whose group
 * changes are rewritten. Internal to the generation writer.
 */
#ifndef QUIRE_REGROUP_H
#define QUIRE_REGROUP_H

#include "err.h"
#include "layout.h"
#include "shard.h"
#include "xq.h"

#include <stddef.h>
#include <stdint.h>

/* Replays the grouped passages of shards 1..k-1 against shard 0's table;
 * every shard committed, its database open. Later shards' own tables are
 * freed. */
int qi_regroup_shards(qi_shard_t *sh, size_t k, ql_err_t *e);

/* A span not known yet (ql_span_t.count): looked up by the file's P term. */
#define QI_SPAN_UNKNOWN UINT32_MAX

/* What an update changed, so that regrouping can keep to its own passages. */
typedef struct qi_regroup_change {
    xq_docid_t first_new; /* the update's passages have docids from here on */
    const uint64_t *gone; /* the group keys of the passages it removed */
    size_t ngone;
} qi_regroup_change_t;

/* Recomputes every group key of db from its stored signatures, visiting
 * files[0..n) in order. spans[i] (n of them, the caller's) says where file
 * i's passages are, or QI_SPAN_UNKNOWN for a file to look up through its
 * path term; on return every span is filled. Spans that do not account for
 * every document once are not trusted: every file is then looked up.
 * *order_ok is 1 when the spans are right and each file's passages follow
 * on (worth keeping as QL_META_ORDER).
 *
 * With change (may be NULL), when no kept passage holds a removed one's
 * group key and none is near-identical to one of the update's passages in
 * a band they share, no kept passage's group can change: the update's
 * passages are replayed among themselves and no kept one is rewritten.
 * Otherwise every file is replayed. */
int qi_regroup_files(xq_wdb_t *db, const qi_file_t *files, size_t n, ql_span_t *spans,
                     const qi_regroup_change_t *change, int *order_ok, ql_err_t *e);

#endif
