/*
 * aero/query.h - reads: point reads, batch reads and dataset queries
 * (SDK SyncQueryBuilder).
 *
 *     // point read
 *     aero_stream *st = aero_query_execute(aero_session_query_key(s, &key), &err);
 *     const aero_record *r;
 *     if (aero_stream_first_or_raise(st, &r, &err) == AERO_OK) ...
 *     aero_stream_close(st);
 *
 *     // AEL-filtered query over a set
 *     aero_query *q = aero_session_query(s, &users);
 *     aero_query_where(q, "$.status == 'active' and $.age > 21");
 *     aero_stream *st = aero_query_execute(q, &err);
 *     for (const aero_record *r; (r = aero_stream_next(st, &err)); )
 *         printf("%s\n", aero_record_str(r, "name"));
 *     aero_stream_close(st);
 *
 * Builder misuse is reported by aero_query_execute(), which consumes the
 * builder whether it succeeds or not.
 */
#ifndef AERO_QUERY_H
#define AERO_QUERY_H

#include <aero/ael.h>
#include <aero/index.h>
#include <aero/key.h>
#include <aero/record.h>
#include <aero/session.h>
#include <aero/stream.h>
#include <aero/types.h>
#include <aero/write.h>

AERO_BEGIN_DECLS

/*
 * The verbs that start a query (aero_session_query(), _query_key(),
 * _query_keys()) and the fast paths aero_session_get(), _get_header(),
 * _exists() and _put() are in session.h.
 */

/** bins([...]): read only these bins. Names are copied. */
AERO_API aero_query *aero_query_bins(aero_query *q, const char *const *bins, size_t n);
/** with_no_bins(): metadata only (generation, TTL). */
AERO_API aero_query *aero_query_with_no_bins(aero_query *q);
/**
 * select_from(bin, AEL): a projection computed by the server. Each record (or
 * row) comes back with result bin `bin` holding the value of `ael` (flags:
 * AERO_EXP_IGNORE_EVAL_FAILURE to skip records where it cannot be computed).
 * May be called several times; cannot be combined with bins() or
 * with_no_bins(). Dataset queries need server 8.1.2 or later (older servers
 * take the result bin for a bin to read and return nothing): when a node of
 * the cluster runs an older build, execute fails with
 * AERO_ERR_UNSUPPORTED_FEATURE naming it. Point and batch reads work on any.
 */
AERO_API aero_query *aero_query_select_from(aero_query *q, const char *bin, const char *ael, unsigned flags);
/** select_from() with a built expression (aero/expr.h); its bytes are copied, `e` stays the caller's. */
AERO_API aero_query *aero_query_select_from_expr(aero_query *q, const char *bin, const aero_expr *e, unsigned flags);
/**
 * A read operation (aero/op.h) as a projection: each record (or row) comes
 * back with the op's result under the op's bin name, one result per op in op
 * order. May be called several times and mixed with select_from(); cannot be
 * combined with bins() or with_no_bins(). An op that modifies the record
 * (list append, map put, any remove...) is refused: execute reports
 * AERO_ERR_PARAM. Dataset queries with ops need server 8.1.2 or later.
 */
AERO_API aero_query *aero_query_op(aero_query *q, aero_op op);
/** where(AEL): server-side filter. */
AERO_API aero_query *aero_query_where(aero_query *q, const char *ael);
/** where() with a compiled expression (bytes copied). */
AERO_API aero_query *aero_query_where_expr(aero_query *q, const aero_expr *e);
/** where() with precompiled static bytes (NOT copied: must outlive the stream). */
AERO_API aero_query *aero_query_where_bytes(aero_query *q, const uint8_t *bytes, size_t len);
/** A key rejected by where() yields an AERO_ERR_FILTERED_OUT row (an error for one key). */
AERO_API aero_query *aero_query_fail_on_filtered_out(aero_query *q);
/** One row per requested key, missing ones included (result AERO_ERR_KEY_NOT_FOUND). */
AERO_API aero_query *aero_query_respond_all_keys(aero_query *q);
/** Cap on the records a dataset query returns (limit). */
AERO_API aero_query *aero_query_max_records(aero_query *q, uint64_t n);
/** Server-side throttle of a dataset query. */
AERO_API aero_query *aero_query_records_per_second(aero_query *q, uint32_t n);
/**
 * chunk_size(n): a dataset query returns at most n records per chunk; when the
 * stream ends, aero_stream_has_more_chunks() says whether another chunk
 * remains, and iterating again continues exactly where the chunk stopped.
 */
AERO_API aero_query *aero_query_chunk_size(aero_query *q, uint32_t n);
/** Only partitions begin..end-1 (0 <= begin < end <= 4096). */
AERO_API aero_query *aero_query_on_partition_range(aero_query *q, uint32_t begin, uint32_t end);

/* ---- secondary indexes (aero/index.h) ---- */

/**
 * filter(Filter): answer this dataset query from a secondary index (the
 * filter is copied). A where() as well filters what the index returns. An
 * explicit filter turns the automatic choice off. Each record the index
 * yields is returned; for a collection index (list, map keys, map values)
 * that is once per distinct matching element, as the server does. When no
 * such index exists, execute succeeds and iterating reports
 * AERO_ERR_INDEX_NOT_FOUND (AERO_ERR_INDEX_NOT_READABLE while it is built).
 * Misuse (point or batch query, bad filter, bad ctx path) is reported by
 * execute as AERO_ERR_PARAM.
 */
AERO_API aero_query *aero_query_filter(aero_query *q, const aero_index_filter *f);
/**
 * Automatic index choice: by default a dataset query with an AEL where()
 * (aero_query_where) uses at most one secondary index the client discovered
 * (numeric, string or blob, on a bin or a list context, readable on every
 * node, in the query's set or in the whole namespace) for one comparison the
 * index answers exactly; the rest of the where() stays an expression. The
 * rows are the same as without the index (if a node answers that the chosen
 * index is not there or not readable before any row arrived, the query runs
 * again as a scan with the whole where(), and the client refreshes its index
 * list). Indexes are discovered from every node's sindex-list when the
 * first such query runs, then refreshed by tending every 5 tend passes, and
 * at once after aero_index_create / _drop / _wait through this client.
 *
 * index_hint(name) restricts the choice to that index and sends it by name
 * (it must be among the discovered ones; when it is not, or no comparison
 * fits it, no index is used and explain says why); no_index() forbids any.
 * The name is copied.
 */
AERO_API aero_query *aero_query_index_hint(aero_query *q, const char *index_name);
/** Never use a secondary index for this query (a full scan with the where() expression). */
AERO_API aero_query *aero_query_no_index(aero_query *q);

#define AERO_QUERY_PLAN_VERSION 1
/** What aero_query_explain() reports. Caller storage. */
typedef struct aero_query_plan {
    uint32_t version;    /**< AERO_QUERY_PLAN_VERSION */
    bool uses_index;     /**< an index filter is sent */
    bool automatic;      /**< it was chosen from the where() (false: aero_query_filter() or none) */
    bool has_expression; /**< an expression filter is sent as well */
    char index_name[64]; /**< the chosen index ("" if none or unnamed) */
    char bin[16];        /**< its bin ("" for index_name / expression targets) */
    char filter[192];    /**< the index condition, e.g. "age in [22, 9223372036854775807]" */
    char reason[256];    /**< why this index, or why none */
} aero_query_plan;
#define AERO_QUERY_PLAN_INIT \
    { AERO_QUERY_PLAN_VERSION, false, false, false, "", "", "", "" }
/** Set *p to AERO_QUERY_PLAN_INIT. */
static inline void aero_query_plan_init(aero_query_plan *p) {
    aero_query_plan init = AERO_QUERY_PLAN_INIT;
    *p = init;
}
/**
 * explain(): which index the query would use and why (or why none), without
 * running it; the builder is not consumed. Index discovery happens as for
 * execute (the first call may wait for the first index refresh). Errors:
 * AERO_ERR_PARAM (NULL, unknown plan version, builder misuse), AERO_ERR_AEL.
 */
AERO_API aero_status aero_query_explain(aero_query *q, aero_query_plan *out, aero_error *err);

/** Run. Returns a stream, or NULL with err filled (bad input, connection failure). */
AERO_API aero_stream *aero_query_execute(aero_query *q, aero_error *err);
/** Drop a builder without running it. NULL is a no-op. */
AERO_API void aero_query_abandon(aero_query *q);

AERO_END_DECLS

#endif
