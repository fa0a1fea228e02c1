/*
 * aero/batch.h - the batch builder (SDK BatchOperationBuilder): reads and
 * writes of many keys, each row with its own command, in one round trip per
 * node.
 *
 * Start a batch with aero_session_batch() (session.h), add rows, execute:
 *
 *     aero_batch *b = aero_session_batch(s);
 *     aero_write_bin_set_int(aero_batch_upsert(b, &k1), "age", 30);
 *     aero_write_bin_increment_int(aero_batch_update(b, &k2), "visits", 1);
 *     aero_batch_delete(b, &k3);
 *     aero_batch_read_bins(b, &k4, (const char *[]){ "name" }, 1);
 *     aero_batch_where(b, "$.age > 21");          // applies to the k4 row
 *     aero_stream *st = aero_batch_execute(b, &err);
 *     for (const aero_record *r; (r = aero_stream_next(st, &err)); )
 *         printf("row %d: %s\n", r->index, aero_status_str(r->result));
 *     aero_stream_close(st);
 *
 * ROWS. Every verb adds one row (the _keys verbs add one row per key, all
 * with the same command) and makes it the current row. Reads give back the
 * batch; write verbs give back the row's write builder (write.h), on which
 * every bin operation and setting of a single-key write works: bin ops,
 * put, where, fail_on_filtered_out, TTL, generation, durable delete. That
 * builder belongs to the batch: it is valid until the next verb on the
 * batch or execute, and aero_write_execute() refuses it. Operations that
 * later builders add to aero_write (CDT, HLL and bit ops) apply
 * to batch rows the same way, through the builder a write verb returns.
 *
 * WIRE. One batch-index request per node, the nodes asked at the same time
 * (at most aero_batch_max_concurrent_nodes() at once): every request is
 * sent before any answer is read, and the answers are read on the calling
 * thread as they arrive, so a slow node does not hold up the others. A row whose command
 * is the same as the previous row's, key aside, is sent as a repeat (its
 * key digest only), so a batch of 1,000 identical writes costs one command
 * plus 1,000 digests.
 *
 * RESULTS. aero_batch_execute() gives a stream whose rows are in input
 * order, `index` = the row's position in the batch. Each row carries its
 * result code, in_doubt, generation, TTL and any bins read. As the SDK
 * does by default: a missing key is left out of the stream for reads,
 * exists, delete and touch (kept, as AERO_ERR_KEY_NOT_FOUND, with
 * aero_batch_respond_all_keys()); a row skipped by its where() is left out
 * (kept as AERO_ERR_FILTERED_OUT with fail_on_filtered_out() or
 * respond_all_keys); every other row error (KEY_EXISTS for an insert,
 * KEY_NOT_FOUND for an update, GENERATION, a node that could not be
 * reached ...) is a row of the stream, not a failure of execute.
 *
 * FAILURES. execute fails (NULL stream / non-OK status) only when the batch
 * as a whole fails: a recorded misuse (reported with the row's index, before
 * anything is sent), no memory, or a node refusing the batch with a
 * batch-level code (BATCH_MAX_REQUESTS, BATCH_QUEUES_FULL, ...). When a node
 * fails mid-batch only its unanswered rows are sent again, after a fresh
 * partition map, to the node that now owns them, while the behavior's batch
 * retries allow; answered rows are never resent. A write row sent but not
 * answered may have been applied: it is in_doubt, and resent only if the
 * behavior allows write retries and it is idempotent (no increment, append
 * or expression write). Rows that never reached their node (it could not
 * be connected to) are not in doubt and get one more try on the new owner.
 *
 * OWNERSHIP AND THREADS. The batch is the session's until aero_batch_execute(),
 * aero_batch_execute_each() or aero_batch_abandon() consumes it (all three
 * accept NULL, which is what aero_session_batch() returns without memory).
 * Keys are copied, but a string or blob user key's bytes are not (key.h):
 * keep them valid until execute. Bin names and values, filters and
 * expressions are copied or encoded when they are added. One thread at a
 * time per batch.
 *
 * MEMORY. The rows of a batch live in its builder: the stream that
 * aero_batch_execute() returns is part of it, and aero_stream_close() gives
 * the builder, rows and buffers back to the client, which recycles up to 16
 * of them. A warm loop of batches of the same shape therefore allocates
 * nothing. A builder that held more than 4096 rows or 1 MiB
 * of operations or answers is freed instead of kept, and so is any row
 * buffer over 64 KiB, so one huge batch does not pin its memory.
 */
#ifndef AERO_BATCH_H
#define AERO_BATCH_H

#include <aero/ael.h>
#include <aero/expr.h>
#include <aero/key.h>
#include <aero/record.h>
#include <aero/session.h>
#include <aero/stream.h>
#include <aero/types.h>
#include <aero/write.h>

AERO_BEGIN_DECLS

/* ---- read rows (give back the batch) ---- */

/** Read every bin of `key`. */
AERO_API aero_batch *aero_batch_read(aero_batch *b, const aero_key *key);
/** Read bins `bins[0..n)` of `key` (names copied; n = 0 reads all bins). */
AERO_API aero_batch *aero_batch_read_bins(aero_batch *b, const aero_key *key, const char *const *bins, size_t n);
/** Read generation and TTL of `key`, no bins. */
AERO_API aero_batch *aero_batch_read_header(aero_batch *b, const aero_key *key);
/** Does `key` exist? An OK row means yes; see RESULTS for a missing key. */
AERO_API aero_batch *aero_batch_exists(aero_batch *b, const aero_key *key);

/* ---- UDF rows (give back the batch) ---- */

/**
 * Call UDF `function` of `module` (no ".lua", udf.h) with args[0..n_args)
 * on `key`. The row is a write (the partition's master), never resent once
 * sent. Its result: AERO_OK with the return value in the row's SUCCESS bin
 * (aero_udf_result()), or AERO_ERR_UDF with the function's error message
 * in its FAILURE bin (aero_udf_error()); other codes as for writes. Names
 * and arguments are checked and encoded now (a bad one is a misuse
 * reported at execute); where() applies to the row as to other rows.
 */
AERO_API aero_batch *aero_batch_udf(aero_batch *b, const aero_key *key, const char *module, const char *function,
                                    const aero_value *args, size_t n_args);
/** The same UDF call on each of keys[0..n), one row per key. */
AERO_API aero_batch *aero_batch_udf_keys(aero_batch *b, const aero_key *keys, size_t n, const char *module,
                                         const char *function, const aero_value *args, size_t n_args);

/* ---- write rows (give back the row's write builder, valid until the next verb) ---- */

AERO_API aero_write *aero_batch_upsert(aero_batch *b, const aero_key *key);
AERO_API aero_write *aero_batch_insert(aero_batch *b, const aero_key *key);
AERO_API aero_write *aero_batch_update(aero_batch *b, const aero_key *key);
AERO_API aero_write *aero_batch_replace(aero_batch *b, const aero_key *key);
AERO_API aero_write *aero_batch_replace_if_exists(aero_batch *b, const aero_key *key);
AERO_API aero_write *aero_batch_delete(aero_batch *b, const aero_key *key);
AERO_API aero_write *aero_batch_touch(aero_batch *b, const aero_key *key);

/* ---- many keys, one command: a row per key, all sharing the ops given to the returned builder ---- */

AERO_API aero_batch *aero_batch_read_keys(aero_batch *b, const aero_key *keys, size_t n);
AERO_API aero_batch *aero_batch_exists_keys(aero_batch *b, const aero_key *keys, size_t n);
AERO_API aero_write *aero_batch_upsert_keys(aero_batch *b, const aero_key *keys, size_t n);
AERO_API aero_write *aero_batch_insert_keys(aero_batch *b, const aero_key *keys, size_t n);
AERO_API aero_write *aero_batch_update_keys(aero_batch *b, const aero_key *keys, size_t n);
AERO_API aero_write *aero_batch_replace_keys(aero_batch *b, const aero_key *keys, size_t n);
AERO_API aero_write *aero_batch_delete_keys(aero_batch *b, const aero_key *keys, size_t n);
AERO_API aero_write *aero_batch_touch_keys(aero_batch *b, const aero_key *keys, size_t n);

/* ---- the current row ---- */

/** where(AEL) on the current row (read or write): a record that does not match is skipped. */
AERO_API aero_batch *aero_batch_where(aero_batch *b, const char *ael);
/** where() with a compiled expression (bytes copied). */
AERO_API aero_batch *aero_batch_where_expr(aero_batch *b, const aero_expr *e);
/** A current row skipped by where() is an AERO_ERR_FILTERED_OUT row of the stream. */
AERO_API aero_batch *aero_batch_fail_on_filtered_out(aero_batch *b);
/** Store the user key with the record (current write row), overriding the behavior's send_key. */
AERO_API aero_batch *aero_batch_send_key(aero_batch *b, bool on);

/* ---- the whole batch ---- */

/** Keep rows for missing keys (and filtered-out rows) in the stream. */
AERO_API aero_batch *aero_batch_respond_all_keys(aero_batch *b);
/**
 * Let the server run the batch on its service thread ("allow inline") for
 * namespaces in memory (default on) and on SSD (default off). Inline saves a
 * hand-off to the batch threads; it suits small batches of fast rows.
 */
AERO_API aero_batch *aero_batch_allow_inline(aero_batch *b, bool memory, bool ssd);
/**
 * The server's "respond all keys" flag (default on): every row is answered
 * whatever others give. Off, a node stops at its first row error other than
 * not found / filtered out; its unanswered rows carry that error and execute
 * fails with it.
 */
AERO_API aero_batch *aero_batch_server_respond_all_keys(aero_batch *b, bool on);
/** Ask at most `n` nodes at the same time (0, the default: every node of the batch at once). */
AERO_API aero_batch *aero_batch_max_concurrent_nodes(aero_batch *b, unsigned n);

/* ---- running ---- */

/**
 * Run the batch and consume the builder. Returns a stream of the rows (see
 * RESULTS) in input order, or NULL with err filled (see FAILURES). The rows
 * stay valid until aero_stream_close(), which must come before the
 * session is freed.
 */
AERO_API aero_stream *aero_batch_execute(aero_batch *b, aero_error *err);

/**
 * Called for a row as soon as its node has answered it (rows of one node
 * in the order it answers, the nodes in the order their answers arrive),
 * on the thread that called aero_batch_execute_each(). `row` is valid
 * during the call only.
 */
typedef void (*aero_batch_row_cb)(void *ctx, const aero_record *row);

/**
 * Run the batch and hand over each row of the stream aero_batch_execute()
 * would give (same filtering) to `cb` as its node answers. Consumes the
 * builder. Returns when every row has been handed over, with the status
 * aero_batch_execute() would report.
 */
AERO_API aero_status aero_batch_execute_each(aero_batch *b, aero_batch_row_cb cb, void *ctx, aero_error *err);

/** Drop a batch without running it. NULL is a no-op. */
AERO_API void aero_batch_abandon(aero_batch *b);

AERO_END_DECLS

#endif
