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
#include "proto/cdt_ops.h"
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
    aero_expr *x = aero_expr_from_bytes(root->b.data, root->b.len);
    aero_exp_free(root);
    if (!x)
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory building an expression");
    else if (err)
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

/* ---- CDT reads: [CALL, type, CDT, payload, bin] ---- */

static aero_exp *cdt(int64_t rtype_code, int64_t op, int64_t rt, bool with_rt, aero_exp *arg, aero_exp *bin,
                     const aero_exp_ctx *ctx, size_t n_ctx) {
    aero_exp *e = NULL;
    bool ok = bin && (arg || !with_rt) && (ctx || !n_ctx) && n_ctx <= UINT32_MAX / 2;
    if (ok && (e = node())) {
        aero_buf *b = &e->b;
        aero_mp__pack_array_header(b, 5);
        aero_mp__pack_int(b, AERO_EXP_OP_CALL);
        aero_mp__pack_int(b, rtype_code);
        aero_mp__pack_int(b, AERO_EXP_CALL_CDT);
        if (n_ctx) {
            aero_mp__pack_array_header(b, 3);
            aero_mp__pack_int(b, AERO_CDT_OP_CONTEXT_EVAL);
            aero_mp__pack_array_header(b, (uint32_t)(n_ctx * 2));
            for (size_t i = 0; i < n_ctx; i++) {
                aero_mp__pack_int(b, ctx[i].type);
                if (aero_mp__pack_value(b, &ctx[i].value) != AERO_OK)
                    b->failed = true;
            }
        }
        aero_mp__pack_array_header(b, with_rt ? 3 : 1);
        aero_mp__pack_int(b, op);
        if (with_rt) {
            aero_mp__pack_int(b, rt);
            aero_buf__put(b, arg->b.data, arg->b.len);
        }
        aero_buf__put(b, bin->b.data, bin->b.len);
    }
    aero_exp_free(arg);
    aero_exp_free(bin);
    return done(e);
}

/* Result type of a multi-value read (protocol.md 8.3). */
static int64_t multi_type(int rtype, bool map) {
    switch (rtype & ~AERO_CDT_RETURN_INVERTED) {
    case AERO_CDT_RETURN_COUNT: return AERO_AEL_INT;
    case AERO_CDT_RETURN_EXISTS: return AERO_AEL_BOOL;
    case AERO_CDT_RETURN_KEY_VALUE: return map ? AERO_AEL_MAP : AERO_AEL_LIST;
    default: return AERO_AEL_LIST;
    }
}

AERO_API aero_exp *aero_exp_list_size(aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx) {
    return cdt(AERO_AEL_INT, AERO_LIST_OP_SIZE, 0, false, NULL, bin, ctx, n_ctx);
}
AERO_API aero_exp *aero_exp_map_size(aero_exp *bin, const aero_exp_ctx *ctx, size_t n_ctx) {
    return cdt(AERO_AEL_INT, AERO_MAP_OP_SIZE, 0, false, NULL, bin, ctx, n_ctx);
}
AERO_API aero_exp *aero_exp_list_get_by_index(int rt, aero_ael_type vt, aero_exp *i, aero_exp *bin,
                                              const aero_exp_ctx *ctx, size_t n) {
    return cdt(vt, AERO_LIST_OP_GET_BY_INDEX, rt, true, i, bin, ctx, n);
}
AERO_API aero_exp *aero_exp_list_get_by_rank(int rt, aero_ael_type vt, aero_exp *r, aero_exp *bin,
                                             const aero_exp_ctx *ctx, size_t n) {
    return cdt(vt, AERO_LIST_OP_GET_BY_RANK, rt, true, r, bin, ctx, n);
}
AERO_API aero_exp *aero_exp_list_get_by_value(int rt, aero_exp *v, aero_exp *bin, const aero_exp_ctx *ctx, size_t n) {
    return cdt(multi_type(rt, false), AERO_LIST_OP_GET_ALL_BY_VALUE, rt, true, v, bin, ctx, n);
}
AERO_API aero_exp *aero_exp_map_get_by_key(int rt, aero_ael_type vt, aero_exp *k, aero_exp *bin,
                                           const aero_exp_ctx *ctx, size_t n) {
    return cdt(vt, AERO_MAP_OP_GET_BY_KEY, rt, true, k, bin, ctx, n);
}
AERO_API aero_exp *aero_exp_map_get_by_index(int rt, aero_ael_type vt, aero_exp *i, aero_exp *bin,
                                             const aero_exp_ctx *ctx, size_t n) {
    return cdt(vt, AERO_MAP_OP_GET_BY_INDEX, rt, true, i, bin, ctx, n);
}
AERO_API aero_exp *aero_exp_map_get_by_rank(int rt, aero_ael_type vt, aero_exp *r, aero_exp *bin,
                                            const aero_exp_ctx *ctx, size_t n) {
    return cdt(vt, AERO_MAP_OP_GET_BY_RANK, rt, true, r, bin, ctx, n);
}
AERO_API aero_exp *aero_exp_map_get_by_value(int rt, aero_exp *v, aero_exp *bin, const aero_exp_ctx *ctx, size_t n) {
    return cdt(multi_type(rt, true), AERO_MAP_OP_GET_ALL_BY_VALUE, rt, true, v, bin, ctx, n);
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
