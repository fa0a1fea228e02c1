/*
 * ael/expr.c - the C expression builder (aero/expr.h).
 *
 * A node is simply its encoded bytes: constructors pack directly, and
 * combinators write their array header and append the children's bytes.
 * `items` counts the msgpack items a node contributes to its parent (2 for a
 * let definition: name and value). Errors propagate as NULL.
 */
#include <aero/expr.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "proto/bit_ops.h"
#include "proto/cdt_ops.h"
#include "proto/hll_ops.h"
#include "proto/exp_ops.h"
#include "proto/msgpack.h"
#include "proto/wire.h"

struct aero_exp {
    aero_buf b;
    uint32_t items;
    bool is_def;
};

static aero_exp *node(void) {
    aero_exp *e = malloc(sizeof *e);
    if (!e)
        return NULL;
    aero_buf__init(&e->b, NULL, 0);
    e->items = 1;
    e->is_def = false;
    return e;
}

/* Return e, or NULL (and free it) if packing failed. */
static aero_exp *done(aero_exp *e) {
    if (e && e->b.failed) {
        aero_exp_free(e);
        return NULL;
    }
    return e;
}

AERO_API void aero_exp_free(aero_exp *e) {
    if (!e)
        return;
    aero_buf__free(&e->b);
    free(e);
}

AERO_API aero_expr *aero_exp_build(aero_exp *root, aero_error *err) {
    if (!root || root->is_def) {
        aero_exp_free(root);
        aero_err__set(err, root ? AERO_ERR_PARAM : AERO_ERR_NO_MEMORY,
                      root ? "a let definition is not an expression" : "expression tree incomplete (out of memory)");
        return NULL;
    }
    aero_expr *x = aero_expr_from_bytes(root->b.data, root->b.len, err);
    aero_exp_free(root);
    if (x && err)
        aero_err__reset(err);
    return x;
}

/* Combine: [op, kids...] taking ownership of kids (freed in every case). */
static aero_exp *combine(int64_t op, size_t n, aero_exp **kids) {
    aero_exp *e = NULL;
    bool ok = true;
    uint64_t items = 1;
    for (size_t i = 0; i < n; i++) {
        if (!kids[i])
            ok = false;
        else
            items += kids[i]->items;
    }
    if (ok && items <= UINT32_MAX && (e = node())) {
        aero_mp__pack_array_header(&e->b, (uint32_t)items);
        aero_mp__pack_int(&e->b, op);
        for (size_t i = 0; i < n; i++)
            aero_buf__put(&e->b, kids[i]->b.data, kids[i]->b.len);
    }
    for (size_t i = 0; i < n; i++)
        aero_exp_free(kids[i]);
    return done(e);
}

static aero_exp *op1(int64_t op, aero_exp *a) { return combine(op, 1, &a); }
static aero_exp *op2(int64_t op, aero_exp *a, aero_exp *b) {
    aero_exp *k[2] = { a, b };
    return combine(op, 2, k);
}

static aero_exp *opv(int64_t op, size_t n, va_list ap) {
    aero_exp *small[16];
    aero_exp **k = n <= 16 ? small : malloc(n * sizeof *k);
    if (!k) {
        for (size_t i = 0; i < n; i++)
            aero_exp_free(va_arg(ap, aero_exp *));
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        k[i] = va_arg(ap, aero_exp *);
    aero_exp *e = combine(op, n, k);
    if (k != small)
        free(k);
    return e;
}

#define VARIADIC(fn, op)                   \
    AERO_API aero_exp *fn(size_t n, ...) { \
        va_list ap;                        \
        va_start(ap, n);                   \
        aero_exp *e = opv(op, n, ap);      \
        va_end(ap);                        \
        return e;                          \
    }

/* ---- values ---- */

AERO_API aero_exp *aero_exp_int(int64_t v) {
    aero_exp *e = node();
    if (e)
        aero_mp__pack_int(&e->b, v);
    return done(e);
}

AERO_API aero_exp *aero_exp_float(double v) {
    aero_exp *e = node();
    if (e)
        aero_mp__pack_double(&e->b, v);
    return done(e);
}

AERO_API aero_exp *aero_exp_bool(bool v) {
    aero_exp *e = node();
    if (e)
        aero_mp__pack_bool(&e->b, v);
    return done(e);
}

AERO_API aero_exp *aero_exp_nil(void) {
    aero_exp *e = node();
    if (e)
        aero_mp__pack_nil(&e->b);
    return done(e);
}

static aero_exp *particle(uint8_t pt, const void *p, size_t n) {
    if (!p && n)
        return NULL;
    aero_exp *e = node();
    if (e)
        aero_mp__pack_particle_str(&e->b, pt, p, n);
    return done(e);
}

AERO_API aero_exp *aero_exp_str(const char *s) { return s ? particle(AERO_PT_STRING, s, strlen(s)) : NULL; }
AERO_API aero_exp *aero_exp_blob(const void *p, size_t len) { return particle(AERO_PT_BLOB, p, len); }
AERO_API aero_exp *aero_exp_geo(const char *j) { return j ? particle(AERO_PT_GEOJSON, j, strlen(j)) : NULL; }

AERO_API aero_exp *aero_exp_value(const aero_value *v) {
    if (!v)
        return NULL;
    aero_exp *e = node();
    if (!e)
        return NULL;
    if (v->type == AERO_LIST) {
        aero_mp__pack_array_header(&e->b, 2);
        aero_mp__pack_int(&e->b, AERO_EXP_OP_QUOTE);
    }
    if (aero_mp__pack_value(&e->b, v) != AERO_OK) {
        aero_exp_free(e);
        return NULL;
    }
    return done(e);
}

/* ---- record data ---- */

static aero_exp *named(int64_t op, int64_t type, bool with_type, const char *name) {
    if (!name)
        return NULL;
    aero_exp *e = node();
    if (!e)
        return NULL;
    aero_mp__pack_array_header(&e->b, with_type ? 3 : 2);
    aero_mp__pack_int(&e->b, op);
    if (with_type)
        aero_mp__pack_int(&e->b, type);
    aero_mp__pack_raw_str(&e->b, name, strlen(name));
    return done(e);
}

AERO_API aero_exp *aero_exp_bin(const char *name, aero_ael_type type) {
    return named(AERO_EXP_OP_BIN, type, true, name);
}
AERO_API aero_exp *aero_exp_bin_int(const char *n) { return aero_exp_bin(n, AERO_AEL_INT); }
AERO_API aero_exp *aero_exp_bin_float(const char *n) { return aero_exp_bin(n, AERO_AEL_FLOAT); }
AERO_API aero_exp *aero_exp_bin_str(const char *n) { return aero_exp_bin(n, AERO_AEL_STRING); }
AERO_API aero_exp *aero_exp_bin_bool(const char *n) { return aero_exp_bin(n, AERO_AEL_BOOL); }
AERO_API aero_exp *aero_exp_bin_blob(const char *n) { return aero_exp_bin(n, AERO_AEL_BLOB); }
AERO_API aero_exp *aero_exp_bin_list(const char *n) { return aero_exp_bin(n, AERO_AEL_LIST); }
AERO_API aero_exp *aero_exp_bin_map(const char *n) { return aero_exp_bin(n, AERO_AEL_MAP); }
AERO_API aero_exp *aero_exp_bin_geo(const char *n) { return aero_exp_bin(n, AERO_AEL_GEO); }
AERO_API aero_exp *aero_exp_bin_hll(const char *n) { return aero_exp_bin(n, AERO_AEL_HLL); }
AERO_API aero_exp *aero_exp_bin_type(const char *n) { return named(AERO_EXP_OP_BIN_TYPE, 0, false, n); }
AERO_API aero_exp *aero_exp_bin_exists(const char *n) {
    return aero_exp_ne(aero_exp_bin_type(n), aero_exp_int(AERO_PT_NULL));
}
AERO_API aero_exp *aero_exp_key(aero_ael_type type) { return op1(AERO_EXP_OP_KEY, aero_exp_int(type)); }

/* ---- metadata ---- */

static aero_exp *op0(int64_t op) { return combine(op, 0, NULL); }
AERO_API aero_exp *aero_exp_ttl(void) { return op0(AERO_EXP_OP_TTL); }
AERO_API aero_exp *aero_exp_void_time(void) { return op0(AERO_EXP_OP_VOID_TIME); }
AERO_API aero_exp *aero_exp_last_update(void) { return op0(AERO_EXP_OP_LAST_UPDATE); }
AERO_API aero_exp *aero_exp_since_update(void) { return op0(AERO_EXP_OP_SINCE_UPDATE); }
AERO_API aero_exp *aero_exp_set_name(void) { return op0(AERO_EXP_OP_SET_NAME); }
AERO_API aero_exp *aero_exp_key_exists(void) { return op0(AERO_EXP_OP_KEY_EXISTS); }
AERO_API aero_exp *aero_exp_is_tombstone(void) { return op0(AERO_EXP_OP_IS_TOMBSTONE); }
AERO_API aero_exp *aero_exp_device_size(void) { return op0(AERO_EXP_OP_DEVICE_SIZE); }
AERO_API aero_exp *aero_exp_record_size(void) { return op0(AERO_EXP_OP_RECORD_SIZE); }
AERO_API aero_exp *aero_exp_digest_modulo(int64_t mod) { return op1(AERO_EXP_OP_DIGEST_MODULO, aero_exp_int(mod)); }
AERO_API aero_exp *aero_exp_unknown(void) { return op0(AERO_EXP_OP_UNKNOWN); }

/* ---- comparisons and logic ---- */

AERO_API aero_exp *aero_exp_eq(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_EQ, a, b); }
AERO_API aero_exp *aero_exp_ne(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_NE, a, b); }
AERO_API aero_exp *aero_exp_gt(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_GT, a, b); }
AERO_API aero_exp *aero_exp_ge(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_GE, a, b); }
AERO_API aero_exp *aero_exp_lt(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_LT, a, b); }
AERO_API aero_exp *aero_exp_le(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_LE, a, b); }
AERO_API aero_exp *aero_exp_geo_compare(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_GEO_COMPARE, a, b); }
AERO_API aero_exp *aero_exp_in_list(aero_exp *v, aero_exp *l) { return op2(AERO_EXP_OP_IN_LIST, v, l); }

AERO_API aero_exp *aero_exp_regex(int flags, const char *pattern, aero_exp *str) {
    aero_exp *pat = NULL;
    if (pattern && (pat = node())) {
        aero_mp__pack_raw_str(&pat->b, pattern, strlen(pattern));
        pat = done(pat);
    }
    aero_exp *k[3] = { aero_exp_int(flags), pat, str };
    return combine(AERO_EXP_OP_REGEX, 3, k);
}

VARIADIC(aero_exp_and, AERO_EXP_OP_AND)
VARIADIC(aero_exp_or, AERO_EXP_OP_OR)
VARIADIC(aero_exp_exclusive, AERO_EXP_OP_EXCLUSIVE)
AERO_API aero_exp *aero_exp_not(aero_exp *e) { return op1(AERO_EXP_OP_NOT, e); }

/* ---- numbers ---- */

VARIADIC(aero_exp_add, AERO_EXP_OP_ADD)
VARIADIC(aero_exp_sub, AERO_EXP_OP_SUB)
VARIADIC(aero_exp_mul, AERO_EXP_OP_MUL)
VARIADIC(aero_exp_div, AERO_EXP_OP_DIV)
VARIADIC(aero_exp_min, AERO_EXP_OP_MIN)
VARIADIC(aero_exp_max, AERO_EXP_OP_MAX)
VARIADIC(aero_exp_int_and, AERO_EXP_OP_INT_AND)
VARIADIC(aero_exp_int_or, AERO_EXP_OP_INT_OR)
VARIADIC(aero_exp_int_xor, AERO_EXP_OP_INT_XOR)
AERO_API aero_exp *aero_exp_pow(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_POW, a, b); }
AERO_API aero_exp *aero_exp_log(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_LOG, a, b); }
AERO_API aero_exp *aero_exp_mod(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_MOD, a, b); }
AERO_API aero_exp *aero_exp_abs(aero_exp *e) { return op1(AERO_EXP_OP_ABS, e); }
AERO_API aero_exp *aero_exp_floor(aero_exp *e) { return op1(AERO_EXP_OP_FLOOR, e); }
AERO_API aero_exp *aero_exp_ceil(aero_exp *e) { return op1(AERO_EXP_OP_CEIL, e); }
AERO_API aero_exp *aero_exp_to_int(aero_exp *e) { return op1(AERO_EXP_OP_TO_INT, e); }
AERO_API aero_exp *aero_exp_to_float(aero_exp *e) { return op1(AERO_EXP_OP_TO_FLOAT, e); }
AERO_API aero_exp *aero_exp_int_not(aero_exp *e) { return op1(AERO_EXP_OP_INT_NOT, e); }
AERO_API aero_exp *aero_exp_int_lshift(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_INT_LSHIFT, a, b); }
AERO_API aero_exp *aero_exp_int_rshift(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_INT_RSHIFT, a, b); }
AERO_API aero_exp *aero_exp_int_arshift(aero_exp *a, aero_exp *b) { return op2(AERO_EXP_OP_INT_ARSHIFT, a, b); }
AERO_API aero_exp *aero_exp_int_count(aero_exp *e) { return op1(AERO_EXP_OP_INT_COUNT, e); }
AERO_API aero_exp *aero_exp_int_lscan(aero_exp *v, aero_exp *b) { return op2(AERO_EXP_OP_INT_LSCAN, v, b); }
AERO_API aero_exp *aero_exp_int_rscan(aero_exp *v, aero_exp *b) { return op2(AERO_EXP_OP_INT_RSCAN, v, b); }

/* ---- calls: [CALL, result type, system, payload, target] ---- */

AERO_API aero_exp *aero_exp_wildcard(void) {
    aero_value v = aero_wildcard();
    return aero_exp_value(&v);
}
AERO_API aero_exp *aero_exp_infinity(void) {
    aero_value v = aero_infinity();
    return aero_exp_value(&v);
}

/* A context path [CONTEXT_EVAL, [type, value, ...], payload] opens the payload. */
static void pack_ctx(aero_buf *b, const aero_exp_ctx *ctx, size_t n_ctx) {
    aero_mp__pack_array_header(b, 3);
    aero_mp__pack_int(b, AERO_CDT_OP_CONTEXT_EVAL);
    aero_mp__pack_array_header(b, (uint32_t)(n_ctx * 2));
    for (size_t i = 0; i < n_ctx; i++) {
        aero_mp__pack_int(b, ctx[i].type);
        if (aero_mp__pack_value(b, &ctx[i].value) != AERO_OK)
            b->failed = true;
    }
}

/*
 * The payload is [op, args...]: each argument is an expression node (ints
 * of return types and policies too), written as it is. Takes ownership of
 * args and bin in every case.
 */
static aero_exp *call(int64_t rtype, int64_t sys, int64_t op, size_t n, aero_exp **args, aero_exp *bin,
                      const aero_exp_ctx *ctx, size_t n_ctx) {
    aero_exp *e = NULL;
    bool ok = bin && (ctx || !n_ctx) && n_ctx <= UINT32_MAX / 2;
    for (size_t i = 0; i < n; i++)
        ok = ok && args[i] && !args[i]->is_def;
    if (ok && (e = node())) {
        aero_buf *b = &e->b;
        aero_mp__pack_array_header(b, 5);
        aero_mp__pack_int(b, AERO_EXP_OP_CALL);
        aero_mp__pack_int(b, rtype);
        aero_mp__pack_int(b, sys);
        if (n_ctx)
            pack_ctx(b, ctx, n_ctx);
        aero_mp__pack_array_header(b, (uint32_t)(n + 1));
        aero_mp__pack_int(b, op);
        for (size_t i = 0; i < n; i++)
            aero_buf__put(b, args[i]->b.data, args[i]->b.len);
        aero_buf__put(b, bin->b.data, bin->b.len);
    }
    for (size_t i = 0; i < n; i++)
        aero_exp_free(args[i]);
    aero_exp_free(bin);
    return done(e);
}

/* Argument arrays written in place: ARGS(a, b) is (2, (aero_exp *[]){a, b}). */
#define ARGS(...) \
    sizeof((aero_exp *[]){ __VA_ARGS__ }) / sizeof(aero_exp *), (aero_exp *[]) { __VA_ARGS__ }
#define I(v) aero_exp_int(v)

/* Result type of a multi-value read. */
static int64_t multi_type(int rtype, bool map) {
    switch (rtype & ~AERO_CDT_RETURN_INVERTED) {
    case AERO_CDT_RETURN_COUNT: return AERO_AEL_INT;
    case AERO_CDT_RETURN_EXISTS: return AERO_AEL_BOOL;
    case AERO_CDT_RETURN_KEY_VALUE:
    case AERO_CDT_RETURN_UNORDERED_MAP:
    case AERO_CDT_RETURN_ORDERED_MAP: return map ? AERO_AEL_MAP : AERO_AEL_LIST;
    default: return AERO_AEL_LIST;
    }
}

/* Result type of a modify: the top-level bin's, which a context's first step tells. */
static int64_t mod_type(const aero_exp_ctx *ctx, size_t n_ctx, bool map) {
    if (ctx && n_ctx)
        return (ctx[0].type & AERO_CDT_CTX_LIST) ? AERO_AEL_LIST : AERO_AEL_MAP;
    return map ? AERO_AEL_MAP : AERO_AEL_LIST;
}

#define CDT_SYS     AERO_EXP_CALL_CDT
#define CDT_MOD_SYS (AERO_EXP_CALL_CDT | AERO_EXP_CALL_MODIFY_LOCAL)
#define CTXP        const aero_exp_ctx *ctx, size_t n_ctx
#define LREAD(rt)   call(multi_type(rt, false), CDT_SYS,
#define MREAD(rt)   call(multi_type(rt, true), CDT_SYS,
#define LMOD        call(mod_type(ctx, n_ctx, false), CDT_MOD_SYS,
#define MMOD        call(mod_type(ctx, n_ctx, true), CDT_MOD_SYS,
#define INV(inv) I((inv) ? AERO_CDT_RETURN_INVERTED : AERO_CDT_RETURN_NONE)

/* ---- CDT reads ---- */

AERO_API aero_exp *aero_exp_list_size(aero_exp *bin, CTXP) {
    return call(AERO_AEL_INT, CDT_SYS, AERO_LIST_OP_SIZE, 0, NULL, bin, ctx, n_ctx);
}
AERO_API aero_exp *aero_exp_map_size(aero_exp *bin, CTXP) {
    return call(AERO_AEL_INT, CDT_SYS, AERO_MAP_OP_SIZE, 0, NULL, bin, ctx, n_ctx);
}

/* Singular reads: the caller declares the value type. */
#define SINGLE(fn, OP)                                                                  \
    AERO_API aero_exp *fn(int rt, aero_ael_type vt, aero_exp *a, aero_exp *bin, CTXP) { \
        return call(vt, CDT_SYS, OP, ARGS(I(rt), a), bin, ctx, n_ctx);                  \
    }
SINGLE(aero_exp_list_get_by_index, AERO_LIST_OP_GET_BY_INDEX)
SINGLE(aero_exp_list_get_by_rank, AERO_LIST_OP_GET_BY_RANK)
SINGLE(aero_exp_map_get_by_key, AERO_MAP_OP_GET_BY_KEY)
SINGLE(aero_exp_map_get_by_index, AERO_MAP_OP_GET_BY_INDEX)
SINGLE(aero_exp_map_get_by_rank, AERO_MAP_OP_GET_BY_RANK)

/* Multi-value reads with one, two or three operands (R = LREAD or MREAD). */
#define READ1(fn, R, OP)                                              \
    AERO_API aero_exp *fn(int rt, aero_exp *a, aero_exp *bin, CTXP) { \
        return R(rt) OP, ARGS(I(rt), a), bin, ctx, n_ctx);            \
    }
#define READ2(fn, R, OP)                                                           \
    AERO_API aero_exp *fn(int rt, aero_exp *a, aero_exp *b, aero_exp *bin, CTXP) { \
        return R(rt) OP, ARGS(I(rt), a, b), bin, ctx, n_ctx);                      \
    }
#define READ3(fn, R, OP)                                                                        \
    AERO_API aero_exp *fn(int rt, aero_exp *a, aero_exp *b, aero_exp *c, aero_exp *bin, CTXP) { \
        return R(rt) OP, ARGS(I(rt), a, b, c), bin, ctx, n_ctx);                                \
    }
READ1(aero_exp_list_get_by_value, LREAD, AERO_LIST_OP_GET_ALL_BY_VALUE)
READ2(aero_exp_list_get_by_value_range, LREAD, AERO_LIST_OP_GET_BY_VALUE_INTERVAL)
READ1(aero_exp_list_get_by_value_list, LREAD, AERO_LIST_OP_GET_ALL_BY_VALUE_LIST)
READ3(aero_exp_list_get_by_rel_rank_range, LREAD, AERO_LIST_OP_GET_BY_VALUE_REL_RANK_RANGE)
READ2(aero_exp_list_get_by_rel_rank_range_to_end, LREAD, AERO_LIST_OP_GET_BY_VALUE_REL_RANK_RANGE)
READ2(aero_exp_list_get_by_index_range, LREAD, AERO_LIST_OP_GET_BY_INDEX_RANGE)
READ1(aero_exp_list_get_by_index_range_to_end, LREAD, AERO_LIST_OP_GET_BY_INDEX_RANGE)
READ2(aero_exp_list_get_by_rank_range, LREAD, AERO_LIST_OP_GET_BY_RANK_RANGE)
READ1(aero_exp_list_get_by_rank_range_to_end, LREAD, AERO_LIST_OP_GET_BY_RANK_RANGE)
READ1(aero_exp_map_get_by_value, MREAD, AERO_MAP_OP_GET_ALL_BY_VALUE)
READ2(aero_exp_map_get_by_key_range, MREAD, AERO_MAP_OP_GET_BY_KEY_INTERVAL)
READ1(aero_exp_map_get_by_key_list, MREAD, AERO_MAP_OP_GET_BY_KEY_LIST)
READ3(aero_exp_map_get_by_key_rel_index_range, MREAD, AERO_MAP_OP_GET_BY_KEY_REL_INDEX_RANGE)
READ2(aero_exp_map_get_by_key_rel_index_range_to_end, MREAD, AERO_MAP_OP_GET_BY_KEY_REL_INDEX_RANGE)
READ2(aero_exp_map_get_by_value_range, MREAD, AERO_MAP_OP_GET_BY_VALUE_INTERVAL)
READ1(aero_exp_map_get_by_value_list, MREAD, AERO_MAP_OP_GET_BY_VALUE_LIST)
READ3(aero_exp_map_get_by_rel_rank_range, MREAD, AERO_MAP_OP_GET_BY_VALUE_REL_RANK_RANGE)
READ2(aero_exp_map_get_by_rel_rank_range_to_end, MREAD, AERO_MAP_OP_GET_BY_VALUE_REL_RANK_RANGE)
READ2(aero_exp_map_get_by_index_range, MREAD, AERO_MAP_OP_GET_BY_INDEX_RANGE)
READ1(aero_exp_map_get_by_index_range_to_end, MREAD, AERO_MAP_OP_GET_BY_INDEX_RANGE)
READ2(aero_exp_map_get_by_rank_range, MREAD, AERO_MAP_OP_GET_BY_RANK_RANGE)
READ1(aero_exp_map_get_by_rank_range_to_end, MREAD, AERO_MAP_OP_GET_BY_RANK_RANGE)

/* ---- CDT modify ---- */

/*
 * Writes with a policy: operands, then the policy's order and/or flags
 * when a policy is given (what the server's op reads after the operands).
 */
static aero_exp *with_policy(int64_t rtype, int64_t op, aero_exp *a, aero_exp *b, bool has_pol, bool order,
                             unsigned ord, bool flags, unsigned fl, aero_exp *bin, CTXP) {
    aero_exp *k[4];
    size_t n = 0;
    k[n++] = a;
    if (b)
        k[n++] = b;
    if (has_pol && order)
        k[n++] = aero_exp_int(ord);
    if (has_pol && flags)
        k[n++] = aero_exp_int(fl);
    return call(rtype, CDT_MOD_SYS, op, n, k, bin, ctx, n_ctx);
}

/* List writes: O = the op takes the order (it may create the list). */
#define LWRITE1(fn, OP, O)                                                                               \
    AERO_API aero_exp *fn(const aero_exp_list_policy *pol, aero_exp *a, aero_exp *bin, CTXP) {           \
        return with_policy(mod_type(ctx, n_ctx, false), OP, a, NULL, pol, O, pol ? pol->order : 0, true, \
                           pol ? pol->flags : 0, bin, ctx, n_ctx);                                       \
    }
#define LWRITE2(fn, OP, O)                                                                                  \
    AERO_API aero_exp *fn(const aero_exp_list_policy *pol, aero_exp *a, aero_exp *b, aero_exp *bin, CTXP) { \
        if (!b) {                                                                                           \
            aero_exp_free(a);                                                                               \
            aero_exp_free(bin);                                                                             \
            return NULL;                                                                                    \
        }                                                                                                   \
        return with_policy(mod_type(ctx, n_ctx, false), OP, a, b, pol, O, pol ? pol->order : 0, true,       \
                           pol ? pol->flags : 0, bin, ctx, n_ctx);                                          \
    }
LWRITE1(aero_exp_list_append, AERO_LIST_OP_APPEND, true)
LWRITE1(aero_exp_list_append_items, AERO_LIST_OP_APPEND_ITEMS, true)
LWRITE2(aero_exp_list_insert, AERO_LIST_OP_INSERT, false)
LWRITE2(aero_exp_list_insert_items, AERO_LIST_OP_INSERT_ITEMS, false)
LWRITE2(aero_exp_list_set, AERO_LIST_OP_SET, false)
LWRITE2(aero_exp_list_increment, AERO_LIST_OP_INCREMENT, true)

AERO_API aero_exp *aero_exp_list_clear(aero_exp *bin, CTXP) {
    return LMOD AERO_LIST_OP_CLEAR, 0, NULL, bin, ctx, n_ctx);
}
AERO_API aero_exp *aero_exp_list_sort(unsigned flags, aero_exp *bin, CTXP) {
    return LMOD AERO_LIST_OP_SORT, ARGS(I(flags)), bin, ctx, n_ctx);
}

AERO_API aero_exp *aero_exp_map_put(const aero_exp_map_policy *pol, aero_exp *key, aero_exp *value, aero_exp *bin,
                                    CTXP) {
    if (!value) {
        aero_exp_free(key);
        aero_exp_free(bin);
        return NULL;
    }
    return with_policy(mod_type(ctx, n_ctx, true), AERO_MAP_OP_PUT, key, value, pol, true, pol ? pol->order : 0, true,
                       pol ? pol->flags : 0, bin, ctx, n_ctx);
}
AERO_API aero_exp *aero_exp_map_put_items(const aero_exp_map_policy *pol, aero_exp *items, aero_exp *bin, CTXP) {
    return with_policy(mod_type(ctx, n_ctx, true), AERO_MAP_OP_PUT_ITEMS, items, NULL, pol, true, pol ? pol->order : 0,
                       true, pol ? pol->flags : 0, bin, ctx, n_ctx);
}
AERO_API aero_exp *aero_exp_map_increment(const aero_exp_map_policy *pol, aero_exp *key, aero_exp *delta, aero_exp *bin,
                                          CTXP) {
    if (!delta) {
        aero_exp_free(key);
        aero_exp_free(bin);
        return NULL;
    }
    return with_policy(mod_type(ctx, n_ctx, true), AERO_MAP_OP_INCREMENT, key, delta, pol, true, pol ? pol->order : 0,
                       false, 0, bin, ctx, n_ctx);
}
AERO_API aero_exp *aero_exp_map_clear(aero_exp *bin, CTXP) {
    return MMOD AERO_MAP_OP_CLEAR, 0, NULL, bin, ctx, n_ctx);
}

/* Removes: [op, return type NONE (| INVERTED), operands...] (M = LMOD or MMOD). */
#define REMOVE0(fn, M, OP)                                               \
    AERO_API aero_exp *fn(aero_exp *a, aero_exp *bin, CTXP) {            \
        return M OP, ARGS(I(AERO_CDT_RETURN_NONE), a), bin, ctx, n_ctx); \
    }
#define REMOVE1(fn, M, OP)                                              \
    AERO_API aero_exp *fn(bool inv, aero_exp *a, aero_exp *bin, CTXP) { \
        return M OP, ARGS(INV(inv), a), bin, ctx, n_ctx);               \
    }
#define REMOVE2(fn, M, OP)                                                           \
    AERO_API aero_exp *fn(bool inv, aero_exp *a, aero_exp *b, aero_exp *bin, CTXP) { \
        return M OP, ARGS(INV(inv), a, b), bin, ctx, n_ctx);                         \
    }
#define REMOVE3(fn, M, OP)                                                                        \
    AERO_API aero_exp *fn(bool inv, aero_exp *a, aero_exp *b, aero_exp *c, aero_exp *bin, CTXP) { \
        return M OP, ARGS(INV(inv), a, b, c), bin, ctx, n_ctx);                                   \
    }
REMOVE1(aero_exp_list_remove_by_value, LMOD, AERO_LIST_OP_REMOVE_ALL_BY_VALUE)
REMOVE1(aero_exp_list_remove_by_value_list, LMOD, AERO_LIST_OP_REMOVE_ALL_BY_VALUE_LIST)
REMOVE2(aero_exp_list_remove_by_value_range, LMOD, AERO_LIST_OP_REMOVE_BY_VALUE_INTERVAL)
REMOVE3(aero_exp_list_remove_by_rel_rank_range, LMOD, AERO_LIST_OP_REMOVE_BY_VALUE_REL_RANK_RANGE)
REMOVE2(aero_exp_list_remove_by_rel_rank_range_to_end, LMOD, AERO_LIST_OP_REMOVE_BY_VALUE_REL_RANK_RANGE)
REMOVE0(aero_exp_list_remove_by_index, LMOD, AERO_LIST_OP_REMOVE_BY_INDEX)
REMOVE2(aero_exp_list_remove_by_index_range, LMOD, AERO_LIST_OP_REMOVE_BY_INDEX_RANGE)
REMOVE1(aero_exp_list_remove_by_index_range_to_end, LMOD, AERO_LIST_OP_REMOVE_BY_INDEX_RANGE)
REMOVE0(aero_exp_list_remove_by_rank, LMOD, AERO_LIST_OP_REMOVE_BY_RANK)
REMOVE2(aero_exp_list_remove_by_rank_range, LMOD, AERO_LIST_OP_REMOVE_BY_RANK_RANGE)
REMOVE1(aero_exp_list_remove_by_rank_range_to_end, LMOD, AERO_LIST_OP_REMOVE_BY_RANK_RANGE)
REMOVE0(aero_exp_map_remove_by_key, MMOD, AERO_MAP_OP_REMOVE_BY_KEY)
REMOVE1(aero_exp_map_remove_by_key_list, MMOD, AERO_MAP_OP_REMOVE_BY_KEY_LIST)
REMOVE2(aero_exp_map_remove_by_key_range, MMOD, AERO_MAP_OP_REMOVE_BY_KEY_INTERVAL)
REMOVE3(aero_exp_map_remove_by_key_rel_index_range, MMOD, AERO_MAP_OP_REMOVE_BY_KEY_REL_INDEX_RANGE)
REMOVE2(aero_exp_map_remove_by_key_rel_index_range_to_end, MMOD, AERO_MAP_OP_REMOVE_BY_KEY_REL_INDEX_RANGE)
REMOVE1(aero_exp_map_remove_by_value, MMOD, AERO_MAP_OP_REMOVE_ALL_BY_VALUE)
REMOVE1(aero_exp_map_remove_by_value_list, MMOD, AERO_MAP_OP_REMOVE_BY_VALUE_LIST)
REMOVE2(aero_exp_map_remove_by_value_range, MMOD, AERO_MAP_OP_REMOVE_BY_VALUE_INTERVAL)
REMOVE3(aero_exp_map_remove_by_rel_rank_range, MMOD, AERO_MAP_OP_REMOVE_BY_VALUE_REL_RANK_RANGE)
REMOVE2(aero_exp_map_remove_by_rel_rank_range_to_end, MMOD, AERO_MAP_OP_REMOVE_BY_VALUE_REL_RANK_RANGE)
REMOVE0(aero_exp_map_remove_by_index, MMOD, AERO_MAP_OP_REMOVE_BY_INDEX)
REMOVE2(aero_exp_map_remove_by_index_range, MMOD, AERO_MAP_OP_REMOVE_BY_INDEX_RANGE)
REMOVE1(aero_exp_map_remove_by_index_range_to_end, MMOD, AERO_MAP_OP_REMOVE_BY_INDEX_RANGE)
REMOVE0(aero_exp_map_remove_by_rank, MMOD, AERO_MAP_OP_REMOVE_BY_RANK)
REMOVE2(aero_exp_map_remove_by_rank_range, MMOD, AERO_MAP_OP_REMOVE_BY_RANK_RANGE)
REMOVE1(aero_exp_map_remove_by_rank_range_to_end, MMOD, AERO_MAP_OP_REMOVE_BY_RANK_RANGE)

/* ---- bits: the write policy flags follow the operands (protocol.md 9.3) ---- */

#define BIT_SYS     AERO_EXP_CALL_BITS
#define BIT_MOD_SYS (AERO_EXP_CALL_BITS | AERO_EXP_CALL_MODIFY_LOCAL)
#define NOCTX       NULL, 0
#define U(v)        aero_exp_int((int64_t)(v))

/* A bit read on a literal nil aborts Aerospike 8.1 servers: refused here. */
static aero_exp *not_nil(aero_exp *bin) {
    if (bin && bin->b.len == 1 && bin->b.data[0] == 0xc0) {
        aero_exp_free(bin);
        return NULL;
    }
    return bin;
}

AERO_API aero_exp *aero_exp_bit_get(aero_exp *off, aero_exp *size, aero_exp *bin) {
    return call(AERO_AEL_BLOB, BIT_SYS, AERO_BIT_OP_GET, ARGS(off, size), not_nil(bin), NOCTX);
}
AERO_API aero_exp *aero_exp_bit_count(aero_exp *off, aero_exp *size, aero_exp *bin) {
    return call(AERO_AEL_INT, BIT_SYS, AERO_BIT_OP_COUNT, ARGS(off, size), not_nil(bin), NOCTX);
}
AERO_API aero_exp *aero_exp_bit_lscan(aero_exp *off, aero_exp *size, aero_exp *value, aero_exp *bin) {
    return call(AERO_AEL_INT, BIT_SYS, AERO_BIT_OP_LSCAN, ARGS(off, size, value), not_nil(bin), NOCTX);
}
AERO_API aero_exp *aero_exp_bit_rscan(aero_exp *off, aero_exp *size, aero_exp *value, aero_exp *bin) {
    return call(AERO_AEL_INT, BIT_SYS, AERO_BIT_OP_RSCAN, ARGS(off, size, value), not_nil(bin), NOCTX);
}
AERO_API aero_exp *aero_exp_bit_get_int(aero_exp *off, aero_exp *size, bool is_signed, aero_exp *bin) {
    return call(AERO_AEL_INT, BIT_SYS, AERO_BIT_OP_GET_INT, ARGS(off, size, I(is_signed ? 1 : 0)), not_nil(bin), NOCTX);
}
AERO_API aero_exp *aero_exp_bit_resize(unsigned flags, aero_exp *byte_size, unsigned resize_flags, aero_exp *bin) {
    return call(AERO_AEL_BLOB, BIT_MOD_SYS, AERO_BIT_OP_RESIZE, ARGS(byte_size, U(flags), U(resize_flags)), bin, NOCTX);
}
AERO_API aero_exp *aero_exp_bit_insert(unsigned flags, aero_exp *byte_offset, aero_exp *value, aero_exp *bin) {
    return call(AERO_AEL_BLOB, BIT_MOD_SYS, AERO_BIT_OP_INSERT, ARGS(byte_offset, value, U(flags)), bin, NOCTX);
}
AERO_API aero_exp *aero_exp_bit_remove(unsigned flags, aero_exp *byte_offset, aero_exp *byte_size, aero_exp *bin) {
    return call(AERO_AEL_BLOB, BIT_MOD_SYS, AERO_BIT_OP_REMOVE, ARGS(byte_offset, byte_size, U(flags)), bin, NOCTX);
}
AERO_API aero_exp *aero_exp_bit_not(unsigned flags, aero_exp *off, aero_exp *size, aero_exp *bin) {
    return call(AERO_AEL_BLOB, BIT_MOD_SYS, AERO_BIT_OP_NOT, ARGS(off, size, U(flags)), bin, NOCTX);
}

/* [op, bit_offset, bit_size, operand, flags]: set, or, xor, and, shifts, set_int. */
#define BITW(fn, OP)                                                                                   \
    AERO_API aero_exp *fn(unsigned flags, aero_exp *off, aero_exp *size, aero_exp *v, aero_exp *bin) { \
        return call(AERO_AEL_BLOB, BIT_MOD_SYS, OP, ARGS(off, size, v, U(flags)), bin, NOCTX);         \
    }
BITW(aero_exp_bit_set, AERO_BIT_OP_SET)
BITW(aero_exp_bit_or, AERO_BIT_OP_OR)
BITW(aero_exp_bit_xor, AERO_BIT_OP_XOR)
BITW(aero_exp_bit_and, AERO_BIT_OP_AND)
BITW(aero_exp_bit_lshift, AERO_BIT_OP_LSHIFT)
BITW(aero_exp_bit_rshift, AERO_BIT_OP_RSHIFT)
BITW(aero_exp_bit_set_int, AERO_BIT_OP_SET_INT)

/* [op, bit_offset, bit_size, value, flags, int flags]: add, subtract. */
#define BITARITH(fn, OP)                                                                                     \
    AERO_API aero_exp *fn(unsigned flags, aero_exp *off, aero_exp *size, aero_exp *v, unsigned int_flags,    \
                          aero_exp *bin) {                                                                   \
        return call(AERO_AEL_BLOB, BIT_MOD_SYS, OP, ARGS(off, size, v, U(flags), U(int_flags)), bin, NOCTX); \
    }
BITARITH(aero_exp_bit_add, AERO_BIT_OP_ADD)
BITARITH(aero_exp_bit_subtract, AERO_BIT_OP_SUBTRACT)

/* ---- HLL ---- */

#define HLL_SYS     AERO_EXP_CALL_HLL
#define HLL_MOD_SYS (AERO_EXP_CALL_HLL | AERO_EXP_CALL_MODIFY_LOCAL)

AERO_API aero_exp *aero_exp_hll_get_count(aero_exp *bin) {
    return call(AERO_AEL_INT, HLL_SYS, AERO_HLL_OP_COUNT, 0, NULL, bin, NOCTX);
}
AERO_API aero_exp *aero_exp_hll_describe(aero_exp *bin) {
    return call(AERO_AEL_LIST, HLL_SYS, AERO_HLL_OP_DESCRIBE, 0, NULL, bin, NOCTX);
}
#define HLLREAD(fn, T, OP) \
    AERO_API aero_exp *fn(aero_exp *a, aero_exp *bin) { return call(T, HLL_SYS, OP, ARGS(a), bin, NOCTX); }
HLLREAD(aero_exp_hll_get_union, AERO_AEL_HLL, AERO_HLL_OP_UNION)
HLLREAD(aero_exp_hll_get_union_count, AERO_AEL_INT, AERO_HLL_OP_UNION_COUNT)
HLLREAD(aero_exp_hll_get_intersect_count, AERO_AEL_INT, AERO_HLL_OP_INTERSECT_COUNT)
HLLREAD(aero_exp_hll_get_similarity, AERO_AEL_FLOAT, AERO_HLL_OP_SIMILARITY)
HLLREAD(aero_exp_hll_may_contain, AERO_AEL_INT, AERO_HLL_OP_MAY_CONTAIN)

AERO_API aero_exp *aero_exp_hll_init(unsigned flags, int index_bits, int minhash_bits, aero_exp *bin) {
    return call(AERO_AEL_HLL, HLL_MOD_SYS, AERO_HLL_OP_INIT, ARGS(I(index_bits), I(minhash_bits), U(flags)), bin,
                NOCTX);
}
AERO_API aero_exp *aero_exp_hll_add(unsigned flags, aero_exp *values, int index_bits, int minhash_bits, aero_exp *bin) {
    return call(AERO_AEL_HLL, HLL_MOD_SYS, AERO_HLL_OP_ADD, ARGS(values, I(index_bits), I(minhash_bits), U(flags)), bin,
                NOCTX);
}

/* ---- variables and control flow ---- */

AERO_API aero_exp *aero_exp_def(const char *name, aero_exp *value) {
    aero_exp *e = NULL;
    if (name && value && !value->is_def && (e = node())) {
        aero_mp__pack_raw_str(&e->b, name, strlen(name));
        aero_buf__put(&e->b, value->b.data, value->b.len);
        e->items = 2;
        e->is_def = true;
    }
    aero_exp_free(value);
    return done(e);
}

AERO_API aero_exp *aero_exp_let(size_t n, ...) {
    va_list ap;
    va_start(ap, n);
    aero_exp *e = opv(AERO_EXP_OP_LET, n, ap);
    va_end(ap);
    return e;
}

AERO_API aero_exp *aero_exp_var(const char *name) { return named(AERO_EXP_OP_VAR, 0, false, name); }

VARIADIC(aero_exp_cond, AERO_EXP_OP_COND)
