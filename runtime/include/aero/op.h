/*
 * aero/op.h - bin operations as values: every list and map operation the
 * server has (and the core that HLL and bit operations plug into).
 *
 * An operation names where it applies (an aero_path: a bin and a context path
 * into it) and what it does. A constructor returns an `aero_op` by value; the
 * op is plain data that points at the caller's path and values, and it is
 * encoded when it is attached, so all of it needs to live only until the
 * attaching call returns:
 *
 *     aero_write_op(w, op)   single-record operate (write.h); results come
 *                            back in op order, one per op
 *     aero_query_op(q, op)   a read projection of a point read, a batch read
 *                            or a dataset query (query.h); an op that
 *                            modifies is refused there
 *
 * The SDK's navigation chain bin("m").on_map_key("a").on_list_index(0).set_to(x)
 * reads, in C:
 *
 *     aero_write *w = aero_session_upsert(s, &key);
 *     aero_write_op(w, aero_list_set(AERO_PATH("m", aero_at_map_key_str("a")), 0, aero_int(5), NULL));
 *     aero_write_op(w, aero_list_append(AERO_BIN("events"), aero_str("login"), NULL));
 *     aero_write_op(w, aero_map_get_by_key(AERO_BIN("prefs"), aero_str("theme"), AERO_CDT_RETURN_VALUE));
 *     if (aero_write_execute(w, &rec, &err) == AERO_OK) ...
 *
 * (the last op on a context is the step: on_map_key("a") is a context step,
 * on_list_index(0).set_to(x) is the list op `set` at index 0). In C++ (no
 * compound literals) build the path with aero_path_of() and aero_path_push(),
 * or parse it from AEL with aero_path_parse():
 *
 *     aero_path p;
 *     if (aero_path_parse(&p, "$.m.a", &err) == AERO_OK)
 *         aero_write_op(w, aero_list_set(&p, 0, aero_int(5), NULL));
 *
 * Errors: constructors never fail on the spot. Bad input (a NULL path, a
 * path that is too deep or has a bad bin name, an unknown return type, a
 * return type or flag the operation cannot take, contradictory flags, a
 * value that cannot be sent) gives an op carrying `misuse`; the builder it is
 * attached to records it, and execute reports it as AERO_ERR_PARAM with that
 * message before anything is sent. Errors the server reports (a list op on
 * a map bin, an index out of range with no NO_FAIL flag) come back from
 * execute as the server's code (AERO_ERR_BIN_INCOMPATIBLE_TYPE,
 * AERO_ERR_OP_NOT_APPLICABLE, AERO_ERR_PARAM...).
 *
 * Results (as the server answers): a read op gives what it selects, shaped
 * by its return type; list append / insert / put-style writes give the
 * collection's new size; increment gives the new number; pop gives the
 * removed item(s); remove / remove_range / trim give how many were removed;
 * remove_by_* give what their return type asks; set, clear, sort and the
 * order / policy ops give nil. With several ops on one bin the record holds
 * one result per op, in op order (record.h: aero_record_get() gives the
 * last, aero_record_get_nth() each one).
 *
 * Ownership: nothing here allocates. Values are the caller's (value.h).
 */
#ifndef AERO_OP_H
#define AERO_OP_H

#include <aero/common.h>
#include <aero/error.h>
#include <aero/expr.h>
#include <aero/value.h>

AERO_BEGIN_DECLS

/* ---- where an op applies: a bin and a context path into it ---- */

#define AERO_PATH_MAX 8 /**< context steps in one path */

/**
 * A bin and up to AERO_PATH_MAX context steps (outermost first). Build it
 * with aero_path_of() / aero_path_push(), AERO_BIN() / AERO_PATH() (C), or
 * aero_path_parse(). `n` greater than AERO_PATH_MAX marks a path that went
 * wrong (too many steps, a bad bin name): an op on it carries a misuse.
 */
typedef struct aero_path {
    char bin[AERO_BIN_NAME_MAX + 1]; /**< bin name, NUL-terminated */
    uint32_t n;                      /**< steps used */
    aero_ctx step[AERO_PATH_MAX];
} aero_path;

/* Context steps. Values are not copied: what they point to must outlive the op's attaching. */
AERO_API aero_ctx aero_at_list_index(int64_t index);
/** A list index that creates the list there if it is missing (ordered or not;
 *  `pad`: an unordered list grows with nils to reach the index). */
AERO_API aero_ctx aero_at_list_index_create(int64_t index, bool ordered, bool pad);
AERO_API aero_ctx aero_at_list_rank(int64_t rank);
AERO_API aero_ctx aero_at_list_value(aero_value v);
AERO_API aero_ctx aero_at_map_index(int64_t index);
AERO_API aero_ctx aero_at_map_rank(int64_t rank);
AERO_API aero_ctx aero_at_map_key(aero_value key);
AERO_API aero_ctx aero_at_map_key_str(const char *key);
AERO_API aero_ctx aero_at_map_key_int(int64_t key);
/** A map key that creates the map there (with this order) if it is missing. */
AERO_API aero_ctx aero_at_map_key_create(aero_value key, aero_map_order order);
AERO_API aero_ctx aero_at_map_value(aero_value v);

/** A path naming bin `bin` with no context. A NULL, empty or over-15-byte name marks the path bad. */
AERO_API aero_path aero_path_of(const char *bin);
/** Append a step (innermost last). Past AERO_PATH_MAX steps the path is marked bad. Returns p. */
AERO_API aero_path *aero_path_push(aero_path *p, aero_ctx step);
/** Fill *p with bin and n steps (the AERO_BIN / AERO_PATH macros use it). Returns p. */
AERO_API aero_path *aero_path_fill(aero_path *p, const char *bin, const aero_ctx *steps, size_t n);
/**
 * Parse an AEL path ("$.prefs.theme", "$.events.[-1]", "$.m.{#0}") into
 * *out, with AEL's own path parser (docs/ael.md, paths): `$.bin` alone is the
 * bin with no context. Key strings point into `ael`, which must outlive the
 * use of *out. Errors: AERO_ERR_PARAM for NULL arguments, AERO_ERR_AEL with
 * line:col for a bad path, a path function, a range or a path deeper than
 * AERO_PATH_MAX; AERO_ERR_NO_MEMORY.
 */
AERO_API aero_status aero_path_parse(aero_path *out, const char *ael, aero_error *err);

/*
 * C only (compound literals): a path that reads in the order the data nests.
 *   AERO_BIN("events")                                             the bin itself
 *   AERO_PATH("m", aero_at_map_key_str("a"), aero_at_list_index(0))  m["a"][0]
 * Both give an `aero_path *` valid until the end of the enclosing block.
 */
#ifndef __cplusplus
#define AERO_BIN(bin) aero_path_fill(&(aero_path){ .n = 0 }, (bin), NULL, 0)
#define AERO_PATH(bin, ...)                                                          \
    aero_path_fill(&(aero_path){ .n = 0 }, (bin), (const aero_ctx[]){ __VA_ARGS__ }, \
                   sizeof((const aero_ctx[]){ __VA_ARGS__ }) / sizeof(aero_ctx))
#endif

/* ---- the op ---- */

#define AERO_OP_MAX_ARGS 6

/**
 * One operation: the AS_MSG op type (CDT/bit/HLL, read or modify), the
 * family's op code, its wire arguments in wire order, and where it applies.
 * Make it with a constructor; the fields are for the encoder (and for the
 * HLL and bit constructors, which fill them the same way).
 */
typedef struct aero_op {
    uint8_t type;        /**< AS_MSG op type */
    uint8_t code;        /**< the family's op code */
    uint8_t n_args;      /**< wire arguments after the code */
    uint16_t ctx_flag;   /**< create flag OR'ed into the last context step (create ops) */
    const aero_path *at; /**< bin + context */
    aero_value arg[AERO_OP_MAX_ARGS];
    const char *misuse; /**< static message when a constructor was given bad input, else NULL */
} aero_op;

/** True when the op modifies the record (refused by aero_query_op). */
AERO_API bool aero_op_is_write(aero_op op);

/* ---- policies (NULL = the server default) ---- */

/** List order (aero_list_policy.order, aero_list_set_order). */
enum { AERO_LIST_UNORDERED = 0, AERO_LIST_ORDERED = 1 };

/** List write flags (aero_list_policy.flags), OR'ed. */
enum aero_list_write_flags {
    AERO_LIST_WRITE_DEFAULT = 0,
    AERO_LIST_WRITE_ADD_UNIQUE = 1,     /**< refuse (or with NO_FAIL skip) a value already there */
    AERO_LIST_WRITE_INSERT_BOUNDED = 2, /**< refuse an insert/set past the end */
    AERO_LIST_WRITE_NO_FAIL = 4,        /**< a refused item is skipped, not an error */
    AERO_LIST_WRITE_PARTIAL = 8,        /**< with NO_FAIL: keep the items that pass */
};

/** List sort flags (aero_list_sort), OR'ed. */
enum aero_list_sort_flags {
    AERO_LIST_SORT_ASCENDING = 0,
    AERO_LIST_SORT_DESCENDING = 1,
    AERO_LIST_SORT_DROP_DUPLICATES = 2,
};

/** Map write flags (aero_map_policy.flags), OR'ed. */
enum aero_map_write_flags {
    AERO_MAP_WRITE_DEFAULT = 0,
    AERO_MAP_WRITE_CREATE_ONLY = 1, /**< refuse a key already there */
    AERO_MAP_WRITE_UPDATE_ONLY = 2, /**< refuse a key not there */
    AERO_MAP_WRITE_NO_FAIL = 4,     /**< a refused item is skipped, not an error */
    AERO_MAP_WRITE_PARTIAL = 8,     /**< with NO_FAIL: keep the items that pass */
};

/** How a list write creates and checks: order AERO_LIST_*, flags AERO_LIST_WRITE_*. */
typedef struct aero_list_policy {
    uint8_t order;
    uint8_t flags;
} aero_list_policy;

/** How a map write creates and checks: order of a map it creates, flags AERO_MAP_WRITE_*,
 *  persist_index (top-level key-ordered maps keep their index on disk). */
typedef struct aero_map_policy {
    aero_map_order order;
    uint8_t flags;
    bool persist_index;
} aero_map_policy;

/*
 * ---- list operations ----
 * `rtype` is an AERO_CDT_RETURN_* value (INVERTED may be OR'ed in for the
 * range, value and value-list selectors). *_from variants select from a
 * start to the end (no count). Indexes and ranks may be negative (from the end).
 */
/** set_type: make the (possibly nested) list ordered or unordered; persist_index for a top-level ordered list. */
AERO_API aero_op aero_list_set_order(const aero_path *at, int order, bool persist_index);
/** Create the list at the path's last step if it is missing (order, pad as aero_at_list_index_create). */
AERO_API aero_op aero_list_create(const aero_path *at, int order, bool pad, bool persist_index);
AERO_API aero_op aero_list_append(const aero_path *at, aero_value v, const aero_list_policy *pol);
/** `items` is an AERO_LIST value. */
AERO_API aero_op aero_list_append_items(const aero_path *at, aero_value items, const aero_list_policy *pol);
/** Insert at an index (unordered lists only: pol->order must be unordered). */
AERO_API aero_op aero_list_insert(const aero_path *at, int64_t index, aero_value v, const aero_list_policy *pol);
AERO_API aero_op aero_list_insert_items(const aero_path *at, int64_t index, aero_value items,
                                        const aero_list_policy *pol);
/** Overwrite the item at index (unordered lists only). */
AERO_API aero_op aero_list_set(const aero_path *at, int64_t index, aero_value v, const aero_list_policy *pol);
/** Add `by` (an int or a double) to the number at index; the result is the new number. */
AERO_API aero_op aero_list_increment(const aero_path *at, int64_t index, aero_value by, const aero_list_policy *pol);
/** Remove and return the item at index. */
AERO_API aero_op aero_list_pop(const aero_path *at, int64_t index);
AERO_API aero_op aero_list_pop_range(const aero_path *at, int64_t index, uint64_t count);
AERO_API aero_op aero_list_pop_range_from(const aero_path *at, int64_t index);
/** Remove the item at index; the result is how many were removed. */
AERO_API aero_op aero_list_remove(const aero_path *at, int64_t index);
AERO_API aero_op aero_list_remove_range(const aero_path *at, int64_t index, uint64_t count);
AERO_API aero_op aero_list_remove_range_from(const aero_path *at, int64_t index);
/** Keep only count items from index; the result is how many were removed. */
AERO_API aero_op aero_list_trim(const aero_path *at, int64_t index, uint64_t count);
AERO_API aero_op aero_list_clear(const aero_path *at);
/** Sort by value (flags AERO_LIST_SORT_*). */
AERO_API aero_op aero_list_sort(const aero_path *at, unsigned flags);
AERO_API aero_op aero_list_size(const aero_path *at);
/** The item at index (list op get) and a range of items (get_range). */
AERO_API aero_op aero_list_get(const aero_path *at, int64_t index);
AERO_API aero_op aero_list_get_range(const aero_path *at, int64_t index, uint64_t count);
AERO_API aero_op aero_list_get_range_from(const aero_path *at, int64_t index);

/* Selecting reads (get_by_*) and their removing twins (remove_by_*). */
AERO_API aero_op aero_list_get_by_index(const aero_path *at, int64_t index, int rtype);
AERO_API aero_op aero_list_get_by_index_range(const aero_path *at, int64_t index, uint64_t count, int rtype);
AERO_API aero_op aero_list_get_by_index_range_from(const aero_path *at, int64_t index, int rtype);
/** Every item equal to v. */
AERO_API aero_op aero_list_get_by_value(const aero_path *at, aero_value v, int rtype);
/** The first item equal to v (one item: INVERTED does not apply). */
AERO_API aero_op aero_list_get_first_by_value(const aero_path *at, aero_value v, int rtype);
/** Every item equal to one of `values` (an AERO_LIST value). */
AERO_API aero_op aero_list_get_by_value_list(const aero_path *at, aero_value values, int rtype);
/** Items with begin <= value < end; aero_nil() for begin means the lowest, for end the highest. */
AERO_API aero_op aero_list_get_by_value_range(const aero_path *at, aero_value begin, aero_value end, int rtype);
/** Items from the rank `rank` relative to `v` (count of them, or to the end with the _from variant). */
AERO_API aero_op aero_list_get_by_value_rel_rank_range(const aero_path *at, aero_value v, int64_t rank, uint64_t count,
                                                       int rtype);
AERO_API aero_op aero_list_get_by_value_rel_rank_range_from(const aero_path *at, aero_value v, int64_t rank, int rtype);
AERO_API aero_op aero_list_get_by_rank(const aero_path *at, int64_t rank, int rtype);
AERO_API aero_op aero_list_get_by_rank_range(const aero_path *at, int64_t rank, uint64_t count, int rtype);
AERO_API aero_op aero_list_get_by_rank_range_from(const aero_path *at, int64_t rank, int rtype);
AERO_API aero_op aero_list_remove_by_index(const aero_path *at, int64_t index, int rtype);
AERO_API aero_op aero_list_remove_by_index_range(const aero_path *at, int64_t index, uint64_t count, int rtype);
AERO_API aero_op aero_list_remove_by_index_range_from(const aero_path *at, int64_t index, int rtype);
AERO_API aero_op aero_list_remove_by_value(const aero_path *at, aero_value v, int rtype);
AERO_API aero_op aero_list_remove_first_by_value(const aero_path *at, aero_value v, int rtype);
AERO_API aero_op aero_list_remove_by_value_list(const aero_path *at, aero_value values, int rtype);
AERO_API aero_op aero_list_remove_by_value_range(const aero_path *at, aero_value begin, aero_value end, int rtype);
AERO_API aero_op aero_list_remove_by_value_rel_rank_range(const aero_path *at, aero_value v, int64_t rank,
                                                          uint64_t count, int rtype);
AERO_API aero_op aero_list_remove_by_value_rel_rank_range_from(const aero_path *at, aero_value v, int64_t rank,
                                                               int rtype);
AERO_API aero_op aero_list_remove_by_rank(const aero_path *at, int64_t rank, int rtype);
AERO_API aero_op aero_list_remove_by_rank_range(const aero_path *at, int64_t rank, uint64_t count, int rtype);
AERO_API aero_op aero_list_remove_by_rank_range_from(const aero_path *at, int64_t rank, int rtype);

/* ---- map operations ---- */
/** set_type: the (possibly nested) map's order; persist_index for a top-level key-ordered map. */
AERO_API aero_op aero_map_set_policy(const aero_path *at, aero_map_order order, bool persist_index);
/** Create the map at the path's last step if it is missing, with this order. */
AERO_API aero_op aero_map_create(const aero_path *at, aero_map_order order);
/** Write key -> value (flags decide create-only / update-only; the result is the map's size). */
AERO_API aero_op aero_map_put(const aero_path *at, aero_value key, aero_value v, const aero_map_policy *pol);
/** `items` is an AERO_MAP value. */
AERO_API aero_op aero_map_put_items(const aero_path *at, aero_value items, const aero_map_policy *pol);
/** The older spellings of put with CREATE_ONLY (add) and UPDATE_ONLY (replace): their own op codes,
 *  no flags; replace takes no policy as it never creates the map. */
AERO_API aero_op aero_map_add(const aero_path *at, aero_value key, aero_value v, const aero_map_policy *pol);
AERO_API aero_op aero_map_add_items(const aero_path *at, aero_value items, const aero_map_policy *pol);
AERO_API aero_op aero_map_replace(const aero_path *at, aero_value key, aero_value v);
AERO_API aero_op aero_map_replace_items(const aero_path *at, aero_value items);
/** Add `by` (int or double) to the number at key (created from 0); the result is the new number. */
AERO_API aero_op aero_map_increment(const aero_path *at, aero_value key, aero_value by, const aero_map_policy *pol);
AERO_API aero_op aero_map_decrement(const aero_path *at, aero_value key, aero_value by, const aero_map_policy *pol);
AERO_API aero_op aero_map_clear(const aero_path *at);
AERO_API aero_op aero_map_size(const aero_path *at);

AERO_API aero_op aero_map_get_by_key(const aero_path *at, aero_value key, int rtype);
/** Every entry whose key is one of `keys` (an AERO_LIST value). */
AERO_API aero_op aero_map_get_by_key_list(const aero_path *at, aero_value keys, int rtype);
/** Keys begin <= key < end (nil: unbounded). */
AERO_API aero_op aero_map_get_by_key_range(const aero_path *at, aero_value begin, aero_value end, int rtype);
/** Entries from index `index` relative to where `key` is (or would be), count of them or to the end. */
AERO_API aero_op aero_map_get_by_key_rel_index_range(const aero_path *at, aero_value key, int64_t index, uint64_t count,
                                                     int rtype);
AERO_API aero_op aero_map_get_by_key_rel_index_range_from(const aero_path *at, aero_value key, int64_t index,
                                                          int rtype);
AERO_API aero_op aero_map_get_by_value(const aero_path *at, aero_value v, int rtype);
/** The first entry (in key order) whose value is v (one entry: INVERTED does not apply). */
AERO_API aero_op aero_map_get_first_by_value(const aero_path *at, aero_value v, int rtype);
AERO_API aero_op aero_map_get_by_value_list(const aero_path *at, aero_value values, int rtype);
AERO_API aero_op aero_map_get_by_value_range(const aero_path *at, aero_value begin, aero_value end, int rtype);
AERO_API aero_op aero_map_get_by_value_rel_rank_range(const aero_path *at, aero_value v, int64_t rank, uint64_t count,
                                                      int rtype);
AERO_API aero_op aero_map_get_by_value_rel_rank_range_from(const aero_path *at, aero_value v, int64_t rank, int rtype);
AERO_API aero_op aero_map_get_by_index(const aero_path *at, int64_t index, int rtype);
AERO_API aero_op aero_map_get_by_index_range(const aero_path *at, int64_t index, uint64_t count, int rtype);
AERO_API aero_op aero_map_get_by_index_range_from(const aero_path *at, int64_t index, int rtype);
AERO_API aero_op aero_map_get_by_rank(const aero_path *at, int64_t rank, int rtype);
AERO_API aero_op aero_map_get_by_rank_range(const aero_path *at, int64_t rank, uint64_t count, int rtype);
AERO_API aero_op aero_map_get_by_rank_range_from(const aero_path *at, int64_t rank, int rtype);

AERO_API aero_op aero_map_remove_by_key(const aero_path *at, aero_value key, int rtype);
AERO_API aero_op aero_map_remove_by_key_list(const aero_path *at, aero_value keys, int rtype);
AERO_API aero_op aero_map_remove_by_key_range(const aero_path *at, aero_value begin, aero_value end, int rtype);
AERO_API aero_op aero_map_remove_by_key_rel_index_range(const aero_path *at, aero_value key, int64_t index,
                                                        uint64_t count, int rtype);
AERO_API aero_op aero_map_remove_by_key_rel_index_range_from(const aero_path *at, aero_value key, int64_t index,
                                                             int rtype);
AERO_API aero_op aero_map_remove_by_value(const aero_path *at, aero_value v, int rtype);
AERO_API aero_op aero_map_remove_first_by_value(const aero_path *at, aero_value v, int rtype);
AERO_API aero_op aero_map_remove_by_value_list(const aero_path *at, aero_value values, int rtype);
AERO_API aero_op aero_map_remove_by_value_range(const aero_path *at, aero_value begin, aero_value end, int rtype);
AERO_API aero_op aero_map_remove_by_value_rel_rank_range(const aero_path *at, aero_value v, int64_t rank,
                                                         uint64_t count, int rtype);
AERO_API aero_op aero_map_remove_by_value_rel_rank_range_from(const aero_path *at, aero_value v, int64_t rank,
                                                              int rtype);
AERO_API aero_op aero_map_remove_by_index(const aero_path *at, int64_t index, int rtype);
AERO_API aero_op aero_map_remove_by_index_range(const aero_path *at, int64_t index, uint64_t count, int rtype);
AERO_API aero_op aero_map_remove_by_index_range_from(const aero_path *at, int64_t index, int rtype);
AERO_API aero_op aero_map_remove_by_rank(const aero_path *at, int64_t rank, int rtype);
AERO_API aero_op aero_map_remove_by_rank_range(const aero_path *at, int64_t rank, uint64_t count, int rtype);
AERO_API aero_op aero_map_remove_by_rank_range_from(const aero_path *at, int64_t rank, int rtype);

AERO_END_DECLS

#endif
