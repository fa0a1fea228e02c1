/*
 * aero/write.h - the write builder (SDK WriteSegmentBuilder), one key.
 *
 * Start a write from a session with the verb that states what must be true of
 * the record (aero_session_upsert(), _insert(), _update(), _replace(),
 * _replace_if_exists(), _delete(), _touch(); see session.h for what each
 * requires), chain bin operations, then execute:
 *
 *     aero_write *w = aero_session_update(s, &key);
 *     aero_write_where(w, "$.age >= 18");
 *     aero_write_bin_set_bool(w, "verified", true);
 *     if (aero_write_execute(w, NULL, &err) != AERO_OK) ...
 *
 * Builder calls never fail on the spot: a misuse (a bin name over 15 bytes, a
 * NULL value, a bad AEL string, conflicting settings) is recorded and reported
 * by aero_write_execute(), before anything is sent. Every builder call returns
 * the builder, so calls can be nested or chained.
 *
 * Ownership: the session allocates the builder (recycled, so a steady loop
 * allocates nothing); aero_write_execute() and aero_write_abandon() give it
 * back. Values are encoded when they are added, so their storage may be
 * reused right after the call.
 */
#ifndef AERO_WRITE_H
#define AERO_WRITE_H

#include <aero/ael.h>
#include <aero/key.h>
#include <aero/op.h>
#include <aero/record.h>
#include <aero/session.h>
#include <aero/types.h>

AERO_BEGIN_DECLS

/* The verbs that start a write (aero_session_upsert() ...) are in session.h. */

/* Bin operations (bin(name).set_to(v) and friends). */
AERO_API aero_write *aero_write_bin_set(aero_write *w, const char *bin, const aero_value *v);
AERO_API aero_write *aero_write_bin_set_int(aero_write *w, const char *bin, int64_t v);
AERO_API aero_write *aero_write_bin_set_double(aero_write *w, const char *bin, double v);
AERO_API aero_write *aero_write_bin_set_str(aero_write *w, const char *bin, const char *v);
AERO_API aero_write *aero_write_bin_set_strn(aero_write *w, const char *bin, const char *v, size_t len);
AERO_API aero_write *aero_write_bin_set_blob(aero_write *w, const char *bin, const void *v, size_t len);
AERO_API aero_write *aero_write_bin_set_bool(aero_write *w, const char *bin, bool v);
AERO_API aero_write *aero_write_bin_set_geojson(aero_write *w, const char *bin, const char *json);
/** increment_by / add: integer add (creates the bin when missing). */
AERO_API aero_write *aero_write_bin_increment_int(aero_write *w, const char *bin, int64_t by);
/** Float add. */
AERO_API aero_write *aero_write_bin_increment_double(aero_write *w, const char *bin, double by);
AERO_API aero_write *aero_write_bin_append_str(aero_write *w, const char *bin, const char *v);
AERO_API aero_write *aero_write_bin_prepend_str(aero_write *w, const char *bin, const char *v);
AERO_API aero_write *aero_write_bin_append_blob(aero_write *w, const char *bin, const void *v, size_t len);
AERO_API aero_write *aero_write_bin_prepend_blob(aero_write *w, const char *bin, const void *v, size_t len);
/** remove(): delete the bin (writes nil). Removing the last bin deletes the record. */
AERO_API aero_write *aero_write_bin_remove(aero_write *w, const char *bin);
/** get(): read the bin back in the same round trip (into execute's record). */
AERO_API aero_write *aero_write_bin_get(aero_write *w, const char *bin);
/** put({...}): one set per bin. */
AERO_API aero_write *aero_write_put(aero_write *w, const aero_bin_value *bins, size_t n);
/** delete_record(): delete the record as part of this operate. */
AERO_API aero_write *aero_write_delete_record(aero_write *w);
/** touch_record(): reset the TTL as part of this operate. */
AERO_API aero_write *aero_write_touch_record(aero_write *w);

/**
 * Attach a list or map (or HLL, bit) operation (aero/op.h), encoded now:
 * the op's path and values may be reused as soon as this returns. Ops on
 * one bin or many mix freely with the bin operations above, where(), TTL
 * and generation; each op's result comes back in execute's record, in op
 * order (one result per op: a bin with several ops holds several results,
 * see aero_record_get()). An op carrying a misuse, or one that cannot be
 * encoded, is reported by execute (AERO_ERR_PARAM) before anything is sent.
 */
AERO_API aero_write *aero_write_op(aero_write *w, aero_op op);

/* Expression operations (SDK select_from / insert_from / update_from / upsert_from). */
#define AERO_EXP_IGNORE_OP_FAILURE   0x08u /**< write: a failing op is skipped */
#define AERO_EXP_IGNORE_EVAL_FAILURE 0x10u /**< read and write: an unknown result is skipped */
#define AERO_EXP_DELETE_IF_NULL      0x04u /**< write: a nil result deletes the bin */
/** Read the value of AEL `ael` into result bin `bin`. */
AERO_API aero_write *aero_write_select_from(aero_write *w, const char *bin, const char *ael, unsigned flags);
/** Write the value of `ael` into `bin` only if the bin does not exist. */
AERO_API aero_write *aero_write_insert_from(aero_write *w, const char *bin, const char *ael, unsigned flags);
/** Write the value of `ael` into `bin` only if the bin exists. */
AERO_API aero_write *aero_write_update_from(aero_write *w, const char *bin, const char *ael, unsigned flags);
/** Write the value of `ael` into `bin`. */
AERO_API aero_write *aero_write_upsert_from(aero_write *w, const char *bin, const char *ael, unsigned flags);
/*
 * The same four with a built expression (aero_exp_build() or
 * aero_ael_compile()) instead of AEL text. `e` stays the caller's: its bytes
 * are copied, so it may be freed right after the call. A NULL `e` is
 * AERO_ERR_PARAM at execute.
 */
AERO_API aero_write *aero_write_select_from_expr(aero_write *w, const char *bin, const aero_expr *e, unsigned flags);
AERO_API aero_write *aero_write_insert_from_expr(aero_write *w, const char *bin, const aero_expr *e, unsigned flags);
AERO_API aero_write *aero_write_update_from_expr(aero_write *w, const char *bin, const aero_expr *e, unsigned flags);
AERO_API aero_write *aero_write_upsert_from_expr(aero_write *w, const char *bin, const aero_expr *e, unsigned flags);

/* Conditions and settings. */
/** where(AEL): a record that does not match is skipped (or fails, see below). */
AERO_API aero_write *aero_write_where(aero_write *w, const char *ael);
/** where() with a compiled expression (bytes copied). */
AERO_API aero_write *aero_write_where_expr(aero_write *w, const aero_expr *e);
/** where() with precompiled static bytes (NOT copied: must outlive execute). */
AERO_API aero_write *aero_write_where_bytes(aero_write *w, const uint8_t *bytes, size_t len);
/** A write skipped by where() fails with AERO_ERR_FILTERED_OUT instead of succeeding. */
AERO_API aero_write *aero_write_fail_on_filtered_out(aero_write *w);
/** TTL in seconds (1 .. 315360000). */
AERO_API aero_write *aero_write_expire_after_seconds(aero_write *w, uint32_t seconds);
AERO_API aero_write *aero_write_never_expire(aero_write *w);
AERO_API aero_write *aero_write_with_no_change_in_expiration(aero_write *w);
AERO_API aero_write *aero_write_expiry_from_server_default(aero_write *w);
/** Optimistic lock: fail with AERO_ERR_GENERATION unless the generation is `gen` (> 0). */
AERO_API aero_write *aero_write_ensure_generation_is(aero_write *w, uint32_t gen);
/** Override the behavior's durable delete for this command. */
AERO_API aero_write *aero_write_durable_delete(aero_write *w, bool on);
/** Override the behavior's send_key for this command: store the user key with the record (never for a delete). */
AERO_API aero_write *aero_write_send_key(aero_write *w, bool on);

/**
 * Run the command and give the builder back to the session.
 * `out` may be NULL; otherwise it receives generation, TTL and any bins read
 * with aero_write_bin_get() / select_from (out->result tells AERO_OK from a
 * skipped row: AERO_ERR_KEY_NOT_FOUND for delete/touch of a missing key,
 * AERO_ERR_FILTERED_OUT for a write skipped by where()). Those two cases
 * return AERO_OK, as the SDK gives an empty stream rather than an error.
 */
AERO_API aero_status aero_write_execute(aero_write *w, aero_record *out, aero_error *err);

/** Drop a builder without running it. NULL is a no-op. */
AERO_API void aero_write_abandon(aero_write *w);

AERO_END_DECLS

#endif
