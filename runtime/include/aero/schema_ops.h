/*
 * aero/schema_ops.h - typed operations and typed write options: the entry
 * points behind aerogen's <record>_operate(), <record>_ops_<field>_<op>(),
 * <record>_<verb>_with() and <record>_delete_with().
 *
 * You normally call the generated functions, which offer per bin exactly the
 * operations its declared type supports (a list append on an int bin does not
 * compile) and give results back as C values:
 *
 *     aero_record holder;
 *     aero_record_init(&holder);
 *     int64_t logins, n_tags;
 *     const char *theme;
 *     bool has_theme;
 *     user_ops *ops = user_operate(session, "user-1");
 *     user_ops_login_count_increment(ops, 1);
 *     user_ops_login_count_get(ops, &logins);
 *     user_ops_tags_append(ops, "vip");
 *     user_ops_tags_size(ops, &n_tags);
 *     user_ops_prefs_get(ops, "theme", &theme, &has_theme);
 *     aero_schema_write_opts opts = AERO_SCHEMA_WRITE_OPTS_INIT;
 *     opts.ttl = 3600;
 *     opts.generation = 7;                       // fails with AERO_ERR_GENERATION unless it is 7
 *     if (user_ops_execute(ops, &opts, &holder, &err) == AERO_OK)
 *         printf("%lld logins, %lld tags\n", (long long)logins, (long long)n_tags);
 *     aero_record_dispose(&holder);              // theme pointed into it
 *
 * THE BUILDER (aero_schema_ops). One key, one round trip: start it with
 * aero_schema_ops_start() (the verb says what must be true of the record, as
 * in aero/schema.h WRITES; a builder with only reads reads), add ops, then
 * aero_schema_ops_execute() or aero_schema_ops_abandon(). Every builder call
 * returns the builder; a misuse (a NULL string, a bad bin name, an op
 * constructor's misuse) is kept and reported by execute as AERO_ERR_PARAM
 * before anything is sent, as the write builder does (aero/write.h). NULL
 * builders are accepted everywhere (execute reports AERO_ERR_PARAM, or
 * AERO_ERR_NO_MEMORY when start could not allocate).
 *
 * SINKS. An op that reads (get, size, pop, a map get, an HLL count, or any
 * aero_op given with an output) names where its result goes: `out` points to
 * a C value of the type `t` describes (aero_schema_tdesc, aero/schema.h):
 * int64_t for aero_schema_tdesc_int, double, bool, const char * (string and
 * geojson), aero_bytes (blob; HLL bytes with aero_schema_tdesc_hll), a list or map struct, a
 * document struct. `found` (may be NULL) says whether the op gave a value: a
 * missing bin, a map key that is not there, a record skipped by the where
 * condition give false and *out is zeroed. `t` NULL stores the raw aero_value
 * (`out` is an aero_value *). Results are decoded in op order after the
 * answer arrived, only when execute returns AERO_OK; strings, blobs and
 * collection items point into the holder record given to execute (valid
 * until it is reused or disposed, as for a typed get). A result of another
 * type than the sink's is AERO_ERR_BIN_INCOMPATIBLE_TYPE naming the op (an
 * int is accepted for a double, an int 0/1 for a bool). Lists, maps and
 * documents convert with the runtime's typed codec (aero_schema__value_to_c).
 *
 * ELEMENTS written by an op are C values of the type `t` describes, passed by
 * pointer (`&v` of an int64_t, a const char *, an aero_bytes ...); they are
 * encoded when the op is added, so their storage may be reused right after.
 *
 * RESULTS per op follow the server (aero/op.h): the builder asks for one
 * result per op, so every op has its place in the answer whatever it is.
 *
 * WRITE OPTIONS (aero_schema_write_opts, versioned: see aero/common.h).
 * NULL means all defaults. TTL, expected generation, a where condition (a
 * named query's <record>_<query>_filter() result, or any aero_expr), durable
 * delete, fail on filtered-out and send key, mapped onto the write builder:
 *   ttl                AERO_SCHEMA_TTL_DEFAULT (0): the namespace's default TTL;
 *                      AERO_SCHEMA_TTL_NEVER: never expires; AERO_SCHEMA_TTL_NO_CHANGE:
 *                      keep the record's TTL; else seconds, 1 .. 315360000
 *   generation         0: no check; else the write fails with AERO_ERR_GENERATION
 *                      unless the record's generation is exactly this
 *   where              NULL: none; else a record that does not match is left alone:
 *                      the call returns AERO_OK and holder->result is
 *                      AERO_ERR_FILTERED_OUT, or, with fail_on_filtered_out, the call
 *                      fails with AERO_ERR_FILTERED_OUT. The expression stays the
 *                      caller's (its bytes are copied).
 *   durable_delete     AERO_SCHEMA_BEHAVIOR (0): as the session's behavior; _ON, _OFF
 *                      (a delete, or an operate that deletes, leaves a tombstone)
 *   send_key           AERO_SCHEMA_BEHAVIOR: as the behavior; _ON: store the user key
 *                      with the record; _OFF: don't (deletes never send it)
 * Gen-greater is not offered: the write builder checks equality only.
 *
 * OWNERSHIP. The builder is the library's from start to execute/abandon
 * (which give it back: a builder must not be used after either). Builders
 * are recycled by the client, with their result sinks and scratch space, so
 * a loop of operates allocates nothing once warm (nothing per op while the
 * op count stays within a small inline array; past it the array grows and
 * is kept).
 *
 * THREADS. A builder belongs to one thread at a time; the scalar tdescs
 * below are const data.
 */
#ifndef AERO_SCHEMA_OPS_H
#define AERO_SCHEMA_OPS_H

#include <aero/expr.h>
#include <aero/hll.h>
#include <aero/op.h>
#include <aero/schema.h>

AERO_BEGIN_DECLS

/* ---- write options ---- */

/** aero_schema_write_opts.ttl special values (the server's). */
#define AERO_SCHEMA_TTL_DEFAULT   0u          /**< the namespace's default-ttl */
#define AERO_SCHEMA_TTL_NEVER     0xFFFFFFFFu /**< never expires */
#define AERO_SCHEMA_TTL_NO_CHANGE 0xFFFFFFFEu /**< keep the record's current TTL */

/** A setting that the session's behavior decides unless it is forced on or off. */
typedef enum aero_schema_choice {
    AERO_SCHEMA_BEHAVIOR = 0, /**< as the session's behavior */
    AERO_SCHEMA_ON = 1,
    AERO_SCHEMA_OFF = 2,
} aero_schema_choice;

#define AERO_SCHEMA_WRITE_OPTS_VERSION 1u

/** Typed write options (see WRITE OPTIONS above). Initialise with AERO_SCHEMA_WRITE_OPTS_INIT. */
typedef struct aero_schema_write_opts {
    uint32_t version;          /**< AERO_SCHEMA_WRITE_OPTS_VERSION */
    uint32_t ttl;              /**< seconds, or AERO_SCHEMA_TTL_* */
    uint32_t generation;       /**< 0: no check; else must equal the record's */
    const aero_expr *where;    /**< condition (not owned), NULL: none */
    uint8_t durable_delete;    /**< aero_schema_choice */
    bool fail_on_filtered_out; /**< a record the where condition skips is AERO_ERR_FILTERED_OUT */
    uint8_t send_key;          /**< aero_schema_choice */
} aero_schema_write_opts;

#define AERO_SCHEMA_WRITE_OPTS_INIT \
    { AERO_SCHEMA_WRITE_OPTS_VERSION, 0u, 0u, NULL, AERO_SCHEMA_BEHAVIOR, false, AERO_SCHEMA_BEHAVIOR }

/** Copy AERO_SCHEMA_WRITE_OPTS_INIT into *o. */
static inline void aero_schema_write_opts_init(aero_schema_write_opts *o) {
    aero_schema_write_opts init = AERO_SCHEMA_WRITE_OPTS_INIT;
    *o = init;
}

/**
 * aero_schema_write() with options. Errors: as aero_schema_write(), plus
 * AERO_ERR_PARAM for bad options (version, TTL out of range, a NULL
 * expression inside where), AERO_ERR_GENERATION, AERO_ERR_FILTERED_OUT (with
 * fail_on_filtered_out; without it a skipped write returns AERO_OK).
 */
AERO_API aero_status aero_schema_write_with(aero_session *s, const aero_schema_record *r, aero_schema_op op,
                                            const aero_key *key, const void *obj, const aero_schema_write_opts *opts,
                                            aero_error *err);

/**
 * Delete with options (durable delete, generation, where; TTL and send key do
 * not apply). *existed (may be NULL): the record was there and was deleted
 * (false for a missing record, which is AERO_OK, and for a record the where
 * condition skipped).
 */
AERO_API aero_status aero_schema_delete_with(aero_session *s, const aero_schema_record *r, const aero_key *key,
                                             const aero_schema_write_opts *opts, bool *existed, aero_error *err);

/** Touch (reset the TTL, to opts->ttl when set) with options; *existed as aero_schema_delete_with(). */
AERO_API aero_status aero_schema_touch_with(aero_session *s, const aero_schema_record *r, const aero_key *key,
                                            const aero_schema_write_opts *opts, bool *existed, aero_error *err);

/* ---- the typed operate builder ---- */

typedef struct aero_schema_ops aero_schema_ops;

/**
 * Start a typed operate on `key` (bytes of a string or blob key must stay
 * valid until execute) of record type `r` with verb `verb`. NULL when s or r
 * is NULL or out of memory (every call below accepts NULL; execute then
 * reports it). A descriptor of another schema ABI is reported by execute.
 */
AERO_API aero_schema_ops *aero_schema_ops_start(aero_session *s, const aero_schema_record *r, aero_schema_op verb,
                                                const aero_key *key);

/**
 * Any operation of aero/op.h, aero/hll.h or aero/bit.h (encoded now). With
 * `out` non-NULL its result goes there as `t` describes (SINKS above);
 * `out` NULL drops the result.
 */
AERO_API aero_schema_ops *aero_schema_ops_op(aero_schema_ops *o, aero_op op, const aero_schema_tdesc *t, void *out,
                                             bool *found);

/* Bin operations of the write builder (aero/write.h), typed. `v` points to a C value of type `t`. */
/** Set the bin to the C value at v (any type t describes; a NULL string or list removes nothing: misuse). */
AERO_API aero_schema_ops *aero_schema_ops_set(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *t,
                                              const void *v);
/** Add *by (t: int or double) to the number in the bin (created from 0). */
AERO_API aero_schema_ops *aero_schema_ops_increment(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *t,
                                                    const void *by);
/** Append / prepend a string to a string bin. */
AERO_API aero_schema_ops *aero_schema_ops_append(aero_schema_ops *o, const char *bin, const char *s);
AERO_API aero_schema_ops *aero_schema_ops_prepend(aero_schema_ops *o, const char *bin, const char *s);
/** Read the bin (after the ops before it) into out. */
AERO_API aero_schema_ops *aero_schema_ops_get(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *t,
                                              void *out, bool *found);

/* List bins: `t` describes the element type. */
/** Append *item. */
AERO_API aero_schema_ops *aero_schema_ops_list_append(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *t,
                                                      const void *item);
/** Append `count` items from the C array `items` (t->size bytes apart). */
AERO_API aero_schema_ops *aero_schema_ops_list_append_items(aero_schema_ops *o, const char *bin,
                                                            const aero_schema_tdesc *t, const void *items,
                                                            size_t count);
/** Insert *item at index (negative: from the end; past the end pads with nils, as the server does). */
AERO_API aero_schema_ops *aero_schema_ops_list_insert(aero_schema_ops *o, const char *bin, int64_t index,
                                                      const aero_schema_tdesc *t, const void *item);
/** Remove every item equal to *item. */
AERO_API aero_schema_ops *aero_schema_ops_list_remove_by_value(aero_schema_ops *o, const char *bin,
                                                               const aero_schema_tdesc *t, const void *item);
/** Remove the item at index and read it into out. */
AERO_API aero_schema_ops *aero_schema_ops_list_pop(aero_schema_ops *o, const char *bin, int64_t index,
                                                   const aero_schema_tdesc *t, void *out, bool *found);
/** Keep only `count` items from index. */
AERO_API aero_schema_ops *aero_schema_ops_list_trim(aero_schema_ops *o, const char *bin, int64_t index, uint64_t count);
/** The item at index (negative: from the end). */
AERO_API aero_schema_ops *aero_schema_ops_list_get(aero_schema_ops *o, const char *bin, int64_t index,
                                                   const aero_schema_tdesc *t, void *out, bool *found);
/** Remove every item (the bin stays, an empty list). */
AERO_API aero_schema_ops *aero_schema_ops_list_clear(aero_schema_ops *o, const char *bin);
/** Number of items of a list or map bin into *out (0 when the bin is missing). */
AERO_API aero_schema_ops *aero_schema_ops_size(aero_schema_ops *o, const char *bin, bool is_map, int64_t *out);

/* Map bins: `kt` describes the key type, `vt` the value type. */
/** Put *value at *key (replacing what was there). */
AERO_API aero_schema_ops *aero_schema_ops_map_put(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *kt,
                                                  const void *key, const aero_schema_tdesc *vt, const void *value);
/** The value at *key into out; *found (may be NULL) false and *out zeroed when the key is not there. */
AERO_API aero_schema_ops *aero_schema_ops_map_get(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *kt,
                                                  const void *key, const aero_schema_tdesc *vt, void *out, bool *found);
/** Remove the entry at *key (no error when it is not there). */
AERO_API aero_schema_ops *aero_schema_ops_map_remove(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *kt,
                                                     const void *key);
/** Add *by (vt: int or double) to the number at key (created from 0). */
AERO_API aero_schema_ops *aero_schema_ops_map_increment(aero_schema_ops *o, const char *bin,
                                                        const aero_schema_tdesc *kt, const void *key,
                                                        const aero_schema_tdesc *vt, const void *by);

/* HLL bins. */
/** Add `count` strings; a missing bin is created with index_bits (4..16). */
AERO_API aero_schema_ops *aero_schema_ops_hll_add(aero_schema_ops *o, const char *bin, const char *const *items,
                                                  size_t count, int index_bits);
AERO_API aero_schema_ops *aero_schema_ops_hll_count(aero_schema_ops *o, const char *bin, int64_t *out);

/* The condition. */
/** Where condition from a compiled expression (bytes copied). Setting both this and opts->where is AERO_ERR_PARAM. */
AERO_API aero_schema_ops *aero_schema_ops_where(aero_schema_ops *o, const aero_expr *e);
/**
 * Where condition from a named query's precompiled template (as
 * aero_schema_filter() takes it; what the generated <record>_ops_where_<query>()
 * passes). A template without slots is not copied: its bytes must be static.
 */
AERO_API aero_schema_ops *aero_schema_ops_where_template(aero_schema_ops *o, const uint8_t *bytes, size_t len,
                                                         const aero_ael_slot *slots, size_t n_slots,
                                                         const aero_value *args, size_t n_args);

/**
 * Run the ops with `opts` (NULL: defaults) and give the builder back.
 * `holder` (an initialised aero_record; may be NULL only when no op has an
 * output) receives result, generation and TTL and owns what the outputs
 * point to. Errors: AERO_ERR_PARAM (a misuse, no ops, bad options, a NULL
 * holder with outputs), AERO_ERR_SCHEMA_MISMATCH, the server's errors
 * (AERO_ERR_KEY_NOT_FOUND for an update, AERO_ERR_GENERATION,
 * AERO_ERR_FILTERED_OUT with fail_on_filtered_out, AERO_ERR_BIN_INCOMPATIBLE_TYPE
 * ...), AERO_ERR_BIN_INCOMPATIBLE_TYPE for a result its sink cannot take.
 */
AERO_API aero_status aero_schema_ops_execute(aero_schema_ops *o, const aero_schema_write_opts *opts,
                                             aero_record *holder, aero_error *err);

/** Drop the builder without running it. NULL is a no-op. */
AERO_API void aero_schema_ops_abandon(aero_schema_ops *o);

AERO_END_DECLS

#endif
