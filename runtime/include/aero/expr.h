/*
 * aero/expr.h - build filter expressions in C, without AEL text.
 *
 * Each aero_exp_* constructor returns a new node; constructors that take
 * child nodes take OWNERSHIP of them, always (also when they fail). A NULL
 * child (out of memory, or an error further down) makes the parent NULL
 * too, so a whole tree can be written as one nested call and checked once:
 *
 *     // $.status == 'active' and $.age > 21
 *     aero_exp *t = aero_exp_and(2,
 *         aero_exp_eq(aero_exp_bin_str("status"), aero_exp_str("active")),
 *         aero_exp_gt(aero_exp_bin_int("age"), aero_exp_int(21)));
 *     aero_error err;
 *     aero_expr *e = aero_exp_build(t, &err);   // consumes t; NULL on error
 *     ...
 *     aero_expr_free(e);
 *
 * The result is the same wire expression aero_ael_compile() produces for the
 * equivalent AEL (docs/ael.md). Nothing is type-checked here: the server
 * rejects ill-typed expressions with PARAMETER_ERROR. Variadic constructors
 * take the number of arguments first. Strings are copied.
 */
#ifndef AERO_EXPR_H
#define AERO_EXPR_H

#include <aero/ael.h>
#include <aero/error.h>
#include <aero/value.h>

AERO_BEGIN_DECLS

typedef struct aero_exp aero_exp;

/** Finish a tree: returns its wire expression (free with aero_expr_free) and frees `root`.
 *  NULL root -> NULL with AERO_ERR_NO_MEMORY ("expression tree incomplete"). */
AERO_API aero_expr *aero_exp_build(aero_exp *root, aero_error *err);
/** Free a tree that will not be built. NULL is a no-op. */
AERO_API void aero_exp_free(aero_exp *e);

/* ---- values ---- */
AERO_API aero_exp *aero_exp_int(int64_t v);
AERO_API aero_exp *aero_exp_float(double v);
AERO_API aero_exp *aero_exp_bool(bool v);
AERO_API aero_exp *aero_exp_str(const char *s);
AERO_API aero_exp *aero_exp_blob(const void *p, size_t len);
AERO_API aero_exp *aero_exp_geo(const char *geojson);
AERO_API aero_exp *aero_exp_nil(void);
/** Any value; lists are wrapped in QUOTE as the protocol requires. */
AERO_API aero_exp *aero_exp_value(const aero_value *v);

/* ---- record data ---- */
/** Typed bin read [81, type, name]; `type` is one of AERO_AEL_INT ... AERO_AEL_HLL. */
AERO_API aero_exp *aero_exp_bin(const char *name, aero_ael_type type);
AERO_API aero_exp *aero_exp_bin_int(const char *name);
AERO_API aero_exp *aero_exp_bin_float(const char *name);
AERO_API aero_exp *aero_exp_bin_str(const char *name);
AERO_API aero_exp *aero_exp_bin_bool(const char *name);
AERO_API aero_exp *aero_exp_bin_blob(const char *name);
AERO_API aero_exp *aero_exp_bin_list(const char *name);
AERO_API aero_exp *aero_exp_bin_map(const char *name);
AERO_API aero_exp *aero_exp_bin_geo(const char *name);
AERO_API aero_exp *aero_exp_bin_hll(const char *name);
/** bin_type(name) != 0. */
AERO_API aero_exp *aero_exp_bin_exists(const char *name);
/** The particle type of a bin (0 when absent). */
AERO_API aero_exp *aero_exp_bin_type(const char *name);
/** The stored user key as `type` (AERO_AEL_INT, AERO_AEL_STRING or AERO_AEL_BLOB). */
AERO_API aero_exp *aero_exp_key(aero_ael_type type);

/* ---- metadata ---- */
AERO_API aero_exp *aero_exp_ttl(void);
AERO_API aero_exp *aero_exp_void_time(void);
AERO_API aero_exp *aero_exp_last_update(void);
AERO_API aero_exp *aero_exp_since_update(void);
AERO_API aero_exp *aero_exp_set_name(void);
AERO_API aero_exp *aero_exp_key_exists(void);
AERO_API aero_exp *aero_exp_is_tombstone(void);
AERO_API aero_exp *aero_exp_device_size(void);
AERO_API aero_exp *aero_exp_record_size(void);
AERO_API aero_exp *aero_exp_digest_modulo(int64_t mod);

/* ---- comparisons ---- */
AERO_API aero_exp *aero_exp_eq(aero_exp *a, aero_exp *b);
AERO_API aero_exp *aero_exp_ne(aero_exp *a, aero_exp *b);
AERO_API aero_exp *aero_exp_gt(aero_exp *a, aero_exp *b);
AERO_API aero_exp *aero_exp_ge(aero_exp *a, aero_exp *b);
AERO_API aero_exp *aero_exp_lt(aero_exp *a, aero_exp *b);
AERO_API aero_exp *aero_exp_le(aero_exp *a, aero_exp *b);
/** POSIX regex match of a string expression. Flags: 1 EXTENDED, 2 ICASE, 4 NEWLINE. */
AERO_API aero_exp *aero_exp_regex(int flags, const char *pattern, aero_exp *str);
AERO_API aero_exp *aero_exp_geo_compare(aero_exp *a, aero_exp *b);
/** Server-side IN_LIST (opcode 9): value is in list. */
AERO_API aero_exp *aero_exp_in_list(aero_exp *value, aero_exp *list);

/* ---- logic ---- */
AERO_API aero_exp *aero_exp_and(size_t n, ...);
AERO_API aero_exp *aero_exp_or(size_t n, ...);
AERO_API aero_exp *aero_exp_not(aero_exp *e);
AERO_API aero_exp *aero_exp_exclusive(size_t n, ...);

/* ---- numbers ---- */
AERO_API aero_exp *aero_exp_add(size_t n, ...);
AERO_API aero_exp *aero_exp_sub(size_t n, ...);
AERO_API aero_exp *aero_exp_mul(size_t n, ...);
AERO_API aero_exp *aero_exp_div(size_t n, ...);
AERO_API aero_exp *aero_exp_min(size_t n, ...);
AERO_API aero_exp *aero_exp_max(size_t n, ...);
AERO_API aero_exp *aero_exp_mod(aero_exp *a, aero_exp *b);
AERO_API aero_exp *aero_exp_pow(aero_exp *base, aero_exp *exponent);
AERO_API aero_exp *aero_exp_log(aero_exp *num, aero_exp *base);
AERO_API aero_exp *aero_exp_abs(aero_exp *e);
AERO_API aero_exp *aero_exp_floor(aero_exp *e);
AERO_API aero_exp *aero_exp_ceil(aero_exp *e);
AERO_API aero_exp *aero_exp_to_int(aero_exp *e);
AERO_API aero_exp *aero_exp_to_float(aero_exp *e);
AERO_API aero_exp *aero_exp_int_and(size_t n, ...);
AERO_API aero_exp *aero_exp_int_or(size_t n, ...);
AERO_API aero_exp *aero_exp_int_xor(size_t n, ...);
AERO_API aero_exp *aero_exp_int_not(aero_exp *e);
AERO_API aero_exp *aero_exp_int_lshift(aero_exp *v, aero_exp *shift);
AERO_API aero_exp *aero_exp_int_rshift(aero_exp *v, aero_exp *shift);  /**< logical */
AERO_API aero_exp *aero_exp_int_arshift(aero_exp *v, aero_exp *shift); /**< arithmetic */
AERO_API aero_exp *aero_exp_int_count(aero_exp *e);
/** Position (0 = most significant) of the first bit equal to `search` (a bool
 *  expression) from the left / right of the 64-bit int `v`, -1 when none (AEL findBitLeft / findBitRight). */
AERO_API aero_exp *aero_exp_int_lscan(aero_exp *v, aero_exp *search);
AERO_API aero_exp *aero_exp_int_rscan(aero_exp *v, aero_exp *search);

/* ---- lists and maps (CDT reads) ---- */

/**
 * One step of a CDT context path (outermost first): `type` is an AERO_CTX_*
 * value, with a create flag OR'ed in on a step made by aero/op.h's *_create
 * constructors (hence 16 bits); `value` is the index or rank (an int) or the
 * key or value. Expressions and operations (aero/op.h) share this one type.
 */
typedef struct aero_ctx {
    uint16_t type;
    aero_value value;
} aero_ctx;
/** The expression builder's name for aero_ctx. */
typedef aero_ctx aero_exp_ctx;
#define AERO_CTX_LIST_INDEX 0x10
#define AERO_CTX_LIST_RANK  0x11
#define AERO_CTX_LIST_VALUE 0x13
#define AERO_CTX_MAP_INDEX  0x20
#define AERO_CTX_MAP_RANK   0x21
#define AERO_CTX_MAP_KEY    0x22
#define AERO_CTX_MAP_VALUE  0x23

/**
 * CDT return types: what a selecting list/map operation or expression gives
 * back. OR AERO_CDT_RETURN_INVERTED to select everything the selector does
 * NOT match. KEY, KEY_VALUE, UNORDERED_MAP and ORDERED_MAP are for maps.
 */
#define AERO_CDT_RETURN_NONE          0  /**< nothing (a remove that only removes) */
#define AERO_CDT_RETURN_INDEX         1  /**< index (or list of indexes) from the start */
#define AERO_CDT_RETURN_REVERSE_INDEX 2  /**< index counted from the end */
#define AERO_CDT_RETURN_RANK          3  /**< rank (value order), from the lowest */
#define AERO_CDT_RETURN_REVERSE_RANK  4  /**< rank from the highest */
#define AERO_CDT_RETURN_COUNT         5  /**< how many items were selected */
#define AERO_CDT_RETURN_KEY           6  /**< map keys */
#define AERO_CDT_RETURN_VALUE         7  /**< values */
#define AERO_CDT_RETURN_KEY_VALUE     8  /**< map entries (a map, in the map's order) */
#define AERO_CDT_RETURN_EXISTS        13 /**< a bool: was anything selected */
#define AERO_CDT_RETURN_UNORDERED_MAP 16 /**< map entries as a map */
#define AERO_CDT_RETURN_ORDERED_MAP   17 /**< map entries as a key-ordered map */
#define AERO_CDT_RETURN_INVERTED      0x10000

/** The CDT range bounds: wildcard (matches any value in a value list /
 *  rel-rank value) and infinity (above every value: an open range end). */
AERO_API aero_exp *aero_exp_wildcard(void);
AERO_API aero_exp *aero_exp_infinity(void);

/*
 * Every CDT expression takes the collection last (`bin`: a list/map bin read,
 * or another CDT expression, e.g. a modify expression's result), then an
 * optional context path (`ctx` may be NULL with n_ctx 0) into it.
 *
 * Singular reads take the value type the element is expected to have
 * (`vtype`, e.g. AERO_AEL_INT). Multi-value reads (ranges, lists of values,
 * relative ranges) derive their result type from `rtype`: INT for COUNT,
 * BOOL for EXISTS, MAP for KEY_VALUE / UNORDERED_MAP / ORDERED_MAP of a map,
 * LIST otherwise. OR AERO_CDT_RETURN_INVERTED into rtype to select the
 * complement. Ranges without a count run to the end (`_to_end`); value and
 * key ranges include `begin` and exclude `end` (aero_exp_infinity() for no
 * upper bound, aero_exp_nil() for no lower bound). Relative ranges select
 * by rank (index for map keys) relative to where `value` (`key`) would sort.
 */
AERO_API aero_exp *aero_exp_list_size(aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_index(int rtype, aero_ael_type vtype, aero_exp *index, aero_exp *bin,
                                              const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_rank(int rtype, aero_ael_type vtype, aero_exp *rank, aero_exp *bin,
                                             const aero_exp_ctx *ctx, size_t n_ctx);
/** All items equal to value; with AERO_CDT_RETURN_EXISTS this is AEL's `in`. */
AERO_API aero_exp *aero_exp_list_get_by_value(int rtype, aero_exp *value, aero_exp *bin, const aero_exp_ctx *ctx,
                                              size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_value_range(int rtype, aero_exp *begin, aero_exp *end, aero_exp *bin,
                                                    const aero_exp_ctx *ctx, size_t n_ctx);
/** Items equal to any of `values` (a list expression). */
AERO_API aero_exp *aero_exp_list_get_by_value_list(int rtype, aero_exp *values, aero_exp *bin, const aero_exp_ctx *ctx,
                                                   size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_rel_rank_range(int rtype, aero_exp *value, aero_exp *rank, aero_exp *count,
                                                       aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_rel_rank_range_to_end(int rtype, aero_exp *value, aero_exp *rank, aero_exp *bin,
                                                              const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_index_range(int rtype, aero_exp *index, aero_exp *count, aero_exp *bin,
                                                    const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_index_range_to_end(int rtype, aero_exp *index, aero_exp *bin,
                                                           const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_rank_range(int rtype, aero_exp *rank, aero_exp *count, aero_exp *bin,
                                                   const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_rank_range_to_end(int rtype, aero_exp *rank, aero_exp *bin,
                                                          const aero_exp_ctx *ctx, size_t n_ctx);

AERO_API aero_exp *aero_exp_map_size(aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_key(int rtype, aero_ael_type vtype, aero_exp *key, aero_exp *bin,
                                           const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_index(int rtype, aero_ael_type vtype, aero_exp *index, aero_exp *bin,
                                             const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_rank(int rtype, aero_ael_type vtype, aero_exp *rank, aero_exp *bin,
                                            const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_value(int rtype, aero_exp *value, aero_exp *bin, const aero_exp_ctx *ctx,
                                             size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_key_range(int rtype, aero_exp *begin, aero_exp *end, aero_exp *bin,
                                                 const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_key_list(int rtype, aero_exp *keys, aero_exp *bin, const aero_exp_ctx *ctx,
                                                size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_key_rel_index_range(int rtype, aero_exp *key, aero_exp *index, aero_exp *count,
                                                           aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_key_rel_index_range_to_end(int rtype, aero_exp *key, aero_exp *index,
                                                                  aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_value_range(int rtype, aero_exp *begin, aero_exp *end, aero_exp *bin,
                                                   const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_value_list(int rtype, aero_exp *values, aero_exp *bin, const aero_exp_ctx *ctx,
                                                  size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_rel_rank_range(int rtype, aero_exp *value, aero_exp *rank, aero_exp *count,
                                                      aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_rel_rank_range_to_end(int rtype, aero_exp *value, aero_exp *rank, aero_exp *bin,
                                                             const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_index_range(int rtype, aero_exp *index, aero_exp *count, aero_exp *bin,
                                                   const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_index_range_to_end(int rtype, aero_exp *index, aero_exp *bin,
                                                          const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_rank_range(int rtype, aero_exp *rank, aero_exp *count, aero_exp *bin,
                                                  const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_rank_range_to_end(int rtype, aero_exp *rank, aero_exp *bin,
                                                         const aero_exp_ctx *ctx, size_t n_ctx);

/* ---- lists and maps (CDT modify) ---- */

/*
 * A modify expression changes a copy of the collection (the record is not
 * written) and returns the whole modified bin - a LIST or MAP, the type of
 * the top-level bin when a context names the part changed - so modify
 * expressions compose: aero_exp_list_size(aero_exp_list_append(NULL, v,
 * aero_exp_bin_list("l"), NULL, 0), NULL, 0). Write the result with
 * aero_write_upsert_from_expr() to store it.
 *
 * `bin` may be aero_exp_nil(): the modify starts from an empty collection
 * (a missing bin reads as unknown, which fails the expression).
 *
 * Policies may be NULL (the server's defaults: unordered, no flags).
 * `inverted` removes everything except what is selected.
 */
/** List write policy: order 0 unordered / 1 ordered (for a list the op creates);
 *  flags: add-unique 1, insert-bounded 2, no-fail 4, partial 8 (OR'ed). */
typedef struct aero_exp_list_policy {
    unsigned order;
    unsigned flags;
} aero_exp_list_policy;
/** Map write policy: order 0 unordered / 1 key-ordered / 3 key-value-ordered (for
 *  a map the op creates); flags: create-only 1, update-only 2, no-fail 4, partial 8. */
typedef struct aero_exp_map_policy {
    unsigned order;
    unsigned flags;
} aero_exp_map_policy;

AERO_API aero_exp *aero_exp_list_append(const aero_exp_list_policy *pol, aero_exp *value, aero_exp *bin,
                                        const aero_exp_ctx *ctx, size_t n_ctx);
/** Append every item of `items` (a list expression). */
AERO_API aero_exp *aero_exp_list_append_items(const aero_exp_list_policy *pol, aero_exp *items, aero_exp *bin,
                                              const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_insert(const aero_exp_list_policy *pol, aero_exp *index, aero_exp *value,
                                        aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_insert_items(const aero_exp_list_policy *pol, aero_exp *index, aero_exp *items,
                                              aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_set(const aero_exp_list_policy *pol, aero_exp *index, aero_exp *value, aero_exp *bin,
                                     const aero_exp_ctx *ctx, size_t n_ctx);
/** Add `delta` (int or float) to the item at index. */
AERO_API aero_exp *aero_exp_list_increment(const aero_exp_list_policy *pol, aero_exp *index, aero_exp *delta,
                                           aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_clear(aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
/** Sort; flags: descending 1, drop duplicates 2. */
AERO_API aero_exp *aero_exp_list_sort(unsigned flags, aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_value(bool inverted, aero_exp *value, aero_exp *bin, const aero_exp_ctx *ctx,
                                                 size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_value_list(bool inverted, aero_exp *values, aero_exp *bin,
                                                      const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_value_range(bool inverted, aero_exp *begin, aero_exp *end, aero_exp *bin,
                                                       const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_rel_rank_range(bool inverted, aero_exp *value, aero_exp *rank,
                                                          aero_exp *count, aero_exp *bin, const aero_exp_ctx *ctx,
                                                          size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_rel_rank_range_to_end(bool inverted, aero_exp *value, aero_exp *rank,
                                                                 aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_index(aero_exp *index, aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_index_range(bool inverted, aero_exp *index, aero_exp *count, aero_exp *bin,
                                                       const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_index_range_to_end(bool inverted, aero_exp *index, aero_exp *bin,
                                                              const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_rank(aero_exp *rank, aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_rank_range(bool inverted, aero_exp *rank, aero_exp *count, aero_exp *bin,
                                                      const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_remove_by_rank_range_to_end(bool inverted, aero_exp *rank, aero_exp *bin,
                                                             const aero_exp_ctx *ctx, size_t n_ctx);

/** Write key -> value (create-only / update-only per the policy's flags). */
AERO_API aero_exp *aero_exp_map_put(const aero_exp_map_policy *pol, aero_exp *key, aero_exp *value, aero_exp *bin,
                                    const aero_exp_ctx *ctx, size_t n_ctx);
/** Write every entry of `items` (a map expression). */
AERO_API aero_exp *aero_exp_map_put_items(const aero_exp_map_policy *pol, aero_exp *items, aero_exp *bin,
                                          const aero_exp_ctx *ctx, size_t n_ctx);
/** Add `delta` to the value at key (created as delta when missing). Only
 *  the policy's order is used (the server's increment takes no write flags). */
AERO_API aero_exp *aero_exp_map_increment(const aero_exp_map_policy *pol, aero_exp *key, aero_exp *delta, aero_exp *bin,
                                          const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_clear(aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_key(aero_exp *key, aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_key_list(bool inverted, aero_exp *keys, aero_exp *bin,
                                                   const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_key_range(bool inverted, aero_exp *begin, aero_exp *end, aero_exp *bin,
                                                    const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_key_rel_index_range(bool inverted, aero_exp *key, aero_exp *index,
                                                              aero_exp *count, aero_exp *bin, const aero_exp_ctx *ctx,
                                                              size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_key_rel_index_range_to_end(bool inverted, aero_exp *key, aero_exp *index,
                                                                     aero_exp *bin, const aero_exp_ctx *ctx,
                                                                     size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_value(bool inverted, aero_exp *value, aero_exp *bin, const aero_exp_ctx *ctx,
                                                size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_value_list(bool inverted, aero_exp *values, aero_exp *bin,
                                                     const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_value_range(bool inverted, aero_exp *begin, aero_exp *end, aero_exp *bin,
                                                      const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_rel_rank_range(bool inverted, aero_exp *value, aero_exp *rank,
                                                         aero_exp *count, aero_exp *bin, const aero_exp_ctx *ctx,
                                                         size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_rel_rank_range_to_end(bool inverted, aero_exp *value, aero_exp *rank,
                                                                aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_index(aero_exp *index, aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_index_range(bool inverted, aero_exp *index, aero_exp *count, aero_exp *bin,
                                                      const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_index_range_to_end(bool inverted, aero_exp *index, aero_exp *bin,
                                                             const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_rank(aero_exp *rank, aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_rank_range(bool inverted, aero_exp *rank, aero_exp *count, aero_exp *bin,
                                                     const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_remove_by_rank_range_to_end(bool inverted, aero_exp *rank, aero_exp *bin,
                                                            const aero_exp_ctx *ctx, size_t n_ctx);

/* ---- blobs, bitwise (CALL system BITS) ---- */

/*
 * `bin` is a blob bin read (aero_exp_bin_blob) or another blob expression.
 * Offsets and sizes are int expressions, in bits (bit_offset, bit_size) or
 * bytes (byte_offset, byte_size); negative offsets count from the end.
 * Reads: get -> BLOB, the others -> INT. Modify expressions return the
 * modified blob; their `bin` may be aero_exp_nil() (an empty blob: resize
 * and insert create one). A read's `bin` may not be nil: Aerospike 8.1
 * servers abort on that, so the read constructors refuse it (NULL).
 * `flags` is the bit write policy: create-only 1, update-only 2, no-fail 4,
 * partial 8 (0 = default).
 */
AERO_API aero_exp *aero_exp_bit_get(aero_exp *bit_offset, aero_exp *bit_size, aero_exp *bin);
/** Number of bits set. */
AERO_API aero_exp *aero_exp_bit_count(aero_exp *bit_offset, aero_exp *bit_size, aero_exp *bin);
/** Offset (relative to bit_offset) of the first bit equal to `value` (a bool
 *  expression) from the left / right, -1 when there is none. */
AERO_API aero_exp *aero_exp_bit_lscan(aero_exp *bit_offset, aero_exp *bit_size, aero_exp *value, aero_exp *bin);
AERO_API aero_exp *aero_exp_bit_rscan(aero_exp *bit_offset, aero_exp *bit_size, aero_exp *value, aero_exp *bin);
/** The bits as a big-endian integer (bit_size <= 64), sign-extended when is_signed. */
AERO_API aero_exp *aero_exp_bit_get_int(aero_exp *bit_offset, aero_exp *bit_size, bool is_signed, aero_exp *bin);

/** Resize to byte_size; resize_flags: from-front 1, grow-only 2, shrink-only 4. */
AERO_API aero_exp *aero_exp_bit_resize(unsigned flags, aero_exp *byte_size, unsigned resize_flags, aero_exp *bin);
AERO_API aero_exp *aero_exp_bit_insert(unsigned flags, aero_exp *byte_offset, aero_exp *value, aero_exp *bin);
AERO_API aero_exp *aero_exp_bit_remove(unsigned flags, aero_exp *byte_offset, aero_exp *byte_size, aero_exp *bin);
/** Overwrite / OR / XOR / AND the bits with those of `value` (a blob expression). */
AERO_API aero_exp *aero_exp_bit_set(unsigned flags, aero_exp *bit_offset, aero_exp *bit_size, aero_exp *value,
                                    aero_exp *bin);
AERO_API aero_exp *aero_exp_bit_or(unsigned flags, aero_exp *bit_offset, aero_exp *bit_size, aero_exp *value,
                                   aero_exp *bin);
AERO_API aero_exp *aero_exp_bit_xor(unsigned flags, aero_exp *bit_offset, aero_exp *bit_size, aero_exp *value,
                                    aero_exp *bin);
AERO_API aero_exp *aero_exp_bit_and(unsigned flags, aero_exp *bit_offset, aero_exp *bit_size, aero_exp *value,
                                    aero_exp *bin);
AERO_API aero_exp *aero_exp_bit_not(unsigned flags, aero_exp *bit_offset, aero_exp *bit_size, aero_exp *bin);
AERO_API aero_exp *aero_exp_bit_lshift(unsigned flags, aero_exp *bit_offset, aero_exp *bit_size, aero_exp *shift,
                                       aero_exp *bin);
AERO_API aero_exp *aero_exp_bit_rshift(unsigned flags, aero_exp *bit_offset, aero_exp *bit_size, aero_exp *shift,
                                       aero_exp *bin);
/**
 * Add / subtract the int `value` to the bit_size-bit integer at bit_offset.
 * int_flags: signed 1, and on overflow: 0 fail, saturate 2, wrap 4.
 */
AERO_API aero_exp *aero_exp_bit_add(unsigned flags, aero_exp *bit_offset, aero_exp *bit_size, aero_exp *value,
                                    unsigned int_flags, aero_exp *bin);
AERO_API aero_exp *aero_exp_bit_subtract(unsigned flags, aero_exp *bit_offset, aero_exp *bit_size, aero_exp *value,
                                         unsigned int_flags, aero_exp *bin);
/** Write the int `value` as a bit_size-bit big-endian integer at bit_offset. */
AERO_API aero_exp *aero_exp_bit_set_int(unsigned flags, aero_exp *bit_offset, aero_exp *bit_size, aero_exp *value,
                                        aero_exp *bin);

/* ---- HyperLogLog (CALL system HLL) ---- */

/*
 * `bin` is an HLL bin read (aero_exp_bin_hll) or another HLL expression;
 * modify expressions also take aero_exp_nil() (init and add create the
 * HLL). `hlls`, the other operand of the set reads, is an HLL expression
 * (e.g. another HLL bin). `flags` is the HLL write policy: create-only 1,
 * update-only 2, no-fail 4, allow-fold 8 (0 = default).
 */
/** Estimated number of distinct elements (INT). */
AERO_API aero_exp *aero_exp_hll_get_count(aero_exp *bin);
/** The union of bin and `hlls` (HLL). */
AERO_API aero_exp *aero_exp_hll_get_union(aero_exp *hlls, aero_exp *bin);
AERO_API aero_exp *aero_exp_hll_get_union_count(aero_exp *hlls, aero_exp *bin);
AERO_API aero_exp *aero_exp_hll_get_intersect_count(aero_exp *hlls, aero_exp *bin);
/** Estimated Jaccard similarity (FLOAT). */
AERO_API aero_exp *aero_exp_hll_get_similarity(aero_exp *hlls, aero_exp *bin);
/** [index_bits, minhash_bits] (LIST). */
AERO_API aero_exp *aero_exp_hll_describe(aero_exp *bin);
/** 1 when every element of `values` (a list expression) may be in the HLL, else 0 (INT). */
AERO_API aero_exp *aero_exp_hll_may_contain(aero_exp *values, aero_exp *bin);
/** A new empty HLL with index_bits (4..16) and minhash_bits (0 or 4..51). */
AERO_API aero_exp *aero_exp_hll_init(unsigned flags, int index_bits, int minhash_bits, aero_exp *bin);
/** Add the elements of `values` (a list expression); creates the HLL with
 *  index_bits / minhash_bits when the bin has none (-1: the bin's own). */
AERO_API aero_exp *aero_exp_hll_add(unsigned flags, aero_exp *values, int index_bits, int minhash_bits, aero_exp *bin);

/* ---- variables and control flow ---- */
/** One `let` definition (only valid as an argument of aero_exp_let). */
AERO_API aero_exp *aero_exp_def(const char *name, aero_exp *value);
/** let(defs..., body): n counts the definitions AND the body (last). */
AERO_API aero_exp *aero_exp_let(size_t n, ...);
AERO_API aero_exp *aero_exp_var(const char *name);
/** cond(c1, v1, c2, v2, ..., default): n counts every argument. */
AERO_API aero_exp *aero_exp_cond(size_t n, ...);
/** The "unknown" result (AEL `unknown` / `error`). */
AERO_API aero_exp *aero_exp_unknown(void);

AERO_END_DECLS

#endif
