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

/*
 * Singular reads take the value type the element is expected to have
 * (`vtype`, e.g. AERO_AEL_INT); `ctx` may be NULL with n_ctx 0. `bin` is the
 * collection (a list/map bin read or another CDT read).
 */
AERO_API aero_exp *aero_exp_list_size(aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_index(int rtype, aero_ael_type vtype, aero_exp *index, aero_exp *bin,
                                              const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_list_get_by_rank(int rtype, aero_ael_type vtype, aero_exp *rank, aero_exp *bin,
                                             const aero_exp_ctx *ctx, size_t n_ctx);
/** All items equal to value; with AERO_CDT_RETURN_EXISTS this is AEL's `in`. */
AERO_API aero_exp *aero_exp_list_get_by_value(int rtype, aero_exp *value, aero_exp *bin, const aero_exp_ctx *ctx,
                                              size_t n_ctx);
AERO_API aero_exp *aero_exp_map_size(aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_key(int rtype, aero_ael_type vtype, aero_exp *key, aero_exp *bin,
                                           const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_index(int rtype, aero_ael_type vtype, aero_exp *index, aero_exp *bin,
                                             const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_rank(int rtype, aero_ael_type vtype, aero_exp *rank, aero_exp *bin,
                                            const aero_exp_ctx *ctx, size_t n_ctx);
AERO_API aero_exp *aero_exp_map_get_by_value(int rtype, aero_exp *value, aero_exp *bin, const aero_exp_ctx *ctx,
                                             size_t n_ctx);

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
