/*
 * exp.c - evaluator of Aerospike wire expressions (protocol.md 8) with the
 * server's semantics: a missing bin or a bin of another type than the
 * expression asks for makes the value "unknown"; unknown propagates through
 * comparisons and arithmetic, `and` is false if any operand is false,
 * `or` true if any is true, and a filter that is not true filters the record
 * out. Malformed expression bytes are an error (the server answers 4).
 *
 * The evaluator walks the msgpack bytes directly; branches not taken (cond,
 * and/or short-circuit) are skipped with mp_skip. Values computed at run
 * time (CDT results, strings) live in a per-evaluation list of blocks.
 */
#include "ts.h"

#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "bits.h"
#include "blobop.h"
#include "cdt.h"
#include "geo.h"
#include "hll.h"
#include "mp.h"
#include "proto/cdt_ops.h"
#include "proto/exp_ops.h"

enum { V_UNKNOWN, V_NIL, V_BOOL, V_INT, V_FLOAT, V_STR, V_BLOB, V_LIST, V_MAP, V_GEO, V_HLL };

typedef struct val {
    int t;
    bool b;
    int64_t i;
    double f;
    const uint8_t *p; /* STR/BLOB/GEO/HLL bytes; LIST/MAP msgpack */
    size_t n;
} val;

typedef struct var {
    const uint8_t *name;
    uint32_t len;
    val v;
} var;

typedef struct blk {
    struct blk *next;
    uint8_t data[];
} blk;

typedef struct ctx {
    const ts_record *r;
    const char *ns;
    bool err;
    int depth;
    var vars[32];
    int n_vars;
    blk *mem;
} ctx;

static const val UNKNOWN = { .t = V_UNKNOWN };

static uint8_t *keep(ctx *c, const void *p, size_t n) {
    blk *b = malloc(sizeof *b + (n ? n : 1));
    if (!b) {
        c->err = true;
        return NULL;
    }
    if (n)
        memcpy(b->data, p, n);
    b->next = c->mem;
    c->mem = b;
    return b->data;
}

/* NUL-terminated copy of n bytes */
static char *keep_str(ctx *c, const uint8_t *p, size_t n) {
    blk *b = malloc(sizeof *b + n + 1);
    if (!b) {
        c->err = true;
        return NULL;
    }
    if (n)
        memcpy(b->data, p, n);
    b->data[n] = 0;
    b->next = c->mem;
    c->mem = b;
    return (char *)b->data;
}

static val ev(ctx *c, mp_reader *r);

static val fail(ctx *c) {
    c->err = true;
    return UNKNOWN;
}

static val mkint(int64_t i) { return (val){ .t = V_INT, .i = i }; }
static val mkbool(bool b) { return (val){ .t = V_BOOL, .b = b }; }
static val mkfloat(double f) { return (val){ .t = V_FLOAT, .f = f }; }

/* A bin's particle as a value. */
static val from_particle(uint8_t pt, const uint8_t *d, uint32_t n) {
    val v = { 0 };
    switch (pt) {
    case AERO_PT_INTEGER: {
        uint64_t u = (n && (d[0] & 0x80)) ? UINT64_MAX : 0;
        for (uint32_t k = 0; k < n && k < 8; k++)
            u = (u << 8) | d[k];
        return mkint((int64_t)u);
    }
    case AERO_PT_FLOAT: {
        if (n != 8)
            return UNKNOWN;
        uint64_t u = aero_get_u64be(d);
        double f;
        memcpy(&f, &u, 8);
        return mkfloat(f);
    }
    case AERO_PT_BOOL: return mkbool(n && d[0]);
    case AERO_PT_STRING: v.t = V_STR; break;
    case AERO_PT_LIST: v.t = V_LIST; break;
    case AERO_PT_MAP: v.t = V_MAP; break;
    case AERO_PT_GEOJSON: {
        if (n < 3)
            return UNKNOWN;
        uint32_t cells = (uint32_t)(d[1] << 8 | d[2]);
        if ((uint64_t)3 + 8ull * cells > n)
            return UNKNOWN;
        v.t = V_GEO;
        v.p = d + 3 + 8 * cells;
        v.n = n - 3 - 8 * cells;
        return v;
    }
    case AERO_PT_HLL: v.t = V_HLL; break;
    default: v.t = V_BLOB; break;
    }
    v.p = d;
    v.n = n;
    return v;
}

/* exp_type number of a value */
static int exp_type_of(const val *v) {
    switch (v->t) {
    case V_NIL: return AERO_EXP_TYPE_NIL;
    case V_BOOL: return AERO_EXP_TYPE_BOOL;
    case V_INT: return AERO_EXP_TYPE_INT;
    case V_STR: return AERO_EXP_TYPE_STR;
    case V_LIST: return AERO_EXP_TYPE_LIST;
    case V_MAP: return AERO_EXP_TYPE_MAP;
    case V_BLOB: return AERO_EXP_TYPE_BLOB;
    case V_FLOAT: return AERO_EXP_TYPE_FLOAT;
    case V_GEO: return AERO_EXP_TYPE_GEO;
    case V_HLL: return AERO_EXP_TYPE_HLL;
    default: return -1;
    }
}

/* Decode one msgpack value (CDT result, literal) into a value. */
static val from_mp(ctx *c, const uint8_t *p, size_t n) {
    mp_reader r = { p, p + n };
    mp_obj o;
    if (!mp_read(&r, &o))
        return fail(c);
    switch (o.type) {
    case MP_NIL: return (val){ .t = V_NIL };
    case MP_BOOL: return mkbool(o.b);
    case MP_INT: return mkint(o.i);
    case MP_FLOAT: return mkfloat(o.f);
    case MP_STR:
        if (o.len == 0)
            return (val){ .t = V_BLOB, .p = o.p, .n = 0 };
        return (val){ .t = o.p[0] == AERO_PT_STRING    ? V_STR
                           : o.p[0] == AERO_PT_GEOJSON ? V_GEO
                           : o.p[0] == AERO_PT_HLL     ? V_HLL
                                                       : V_BLOB,
                      .p = o.p + 1,
                      .n = o.len - 1 };
    case MP_BIN: return (val){ .t = V_BLOB, .p = o.p, .n = o.len };
    case MP_ARRAY: return (val){ .t = V_LIST, .p = p, .n = n };
    case MP_MAP: return (val){ .t = V_MAP, .p = p, .n = n };
    default: return UNKNOWN;
    }
}

/* Value as msgpack (for CDT arguments and comparisons of collections). */
static void to_mp(const val *v, aero_buf *b) {
    switch (v->t) {
    case V_NIL: mp_put_nil(b); break;
    case V_BOOL: mp_put_bool(b, v->b); break;
    case V_INT: mp_put_int(b, v->i); break;
    case V_FLOAT: mp_put_double(b, v->f); break;
    case V_STR: mp_put_pstr(b, AERO_PT_STRING, v->p, v->n); break;
    case V_BLOB: mp_put_pstr(b, AERO_PT_BLOB, v->p, v->n); break;
    case V_HLL: mp_put_pstr(b, AERO_PT_HLL, v->p, v->n); break;
    case V_GEO: mp_put_pstr(b, AERO_PT_GEOJSON, v->p, v->n); break;
    case V_LIST:
    case V_MAP: aero_buf__put(b, v->p, v->n); break;
    default: mp_put_nil(b); break;
    }
}

/* -2 = not comparable (different types / unknown) */
static int compare(const val *a, const val *b) {
    if (a->t == V_UNKNOWN || b->t == V_UNKNOWN || a->t != b->t)
        return -2;
    switch (a->t) {
    case V_NIL: return 0;
    case V_BOOL: return a->b == b->b ? 0 : a->b ? 1 : -1;
    case V_INT: return a->i == b->i ? 0 : a->i < b->i ? -1 : 1;
    case V_FLOAT: return a->f == b->f ? 0 : a->f < b->f ? -1 : 1;
    case V_STR:
    case V_BLOB:
    case V_GEO:
    case V_HLL: {
        size_t n = a->n < b->n ? a->n : b->n;
        int c = n ? memcmp(a->p, b->p, n) : 0;
        if (c)
            return c < 0 ? -1 : 1;
        return a->n == b->n ? 0 : a->n < b->n ? -1 : 1;
    }
    default: {
        bool ok;
        int c = mp_cmp(a->p, a->n, b->p, b->n, &ok);
        return ok ? c : -2;
    }
    }
}

static bool read_int(mp_reader *r, int64_t *v) {
    mp_obj o;
    if (!mp_read(r, &o) || o.type != MP_INT)
        return false;
    *v = o.i;
    return true;
}

static bool read_name(mp_reader *r, const uint8_t **p, uint32_t *n) {
    mp_obj o;
    if (!mp_read(r, &o) || (o.type != MP_STR && o.type != MP_BIN))
        return false;
    *p = o.p;
    *n = o.len;
    return true;
}

static val bin_value(ctx *c, int type, const uint8_t *name, uint32_t nl) {
    if (!c->r || nl > 15)
        return UNKNOWN;
    const ts_bin *b = ts_record_bin((ts_record *)c->r, (const char *)name, nl);
    if (!b)
        return UNKNOWN;
    val v = from_particle(b->ptype, b->data, b->len);
    int t = exp_type_of(&v);
    if (t != type && !(type == AERO_EXP_TYPE_BLOB && v.t == V_BLOB))
        return UNKNOWN;
    return v;
}

static bool is_int_bitwise(int64_t op) { return op >= AERO_EXP_OP_INT_AND && op <= AERO_EXP_OP_INT_XOR; }

static val arith(ctx *c, mp_reader *r, int op, uint32_t nargs) {
    val acc = UNKNOWN;
    bool unknown = false;
    for (uint32_t k = 0; k < nargs; k++) {
        val v = ev(c, r);
        if (c->err)
            return UNKNOWN;
        if (v.t != V_INT && v.t != V_FLOAT) {
            unknown = true;
            continue;
        }
        if (k == 0) {
            acc = v;
            if (nargs == 1) {
                if (op == AERO_EXP_OP_SUB) { /* negate */
                    if (v.t == V_INT)
                        acc.i = (int64_t)(0 - (uint64_t)v.i);
                    else
                        acc.f = -v.f;
                } else if (op == AERO_EXP_OP_DIV) { /* reciprocal */
                    if (v.t == V_INT) {
                        if (v.i == 0)
                            unknown = true;
                        else
                            acc.i = 1 / v.i;
                    } else {
                        acc.f = 1 / v.f;
                    }
                }
            }
            continue;
        }
        if (unknown || acc.t != v.t) {
            unknown = true;
            continue;
        }
        if (acc.t == V_INT) {
            uint64_t x = (uint64_t)acc.i, y = (uint64_t)v.i;
            switch (op) {
            case AERO_EXP_OP_ADD: acc.i = (int64_t)(x + y); break;
            case AERO_EXP_OP_SUB: acc.i = (int64_t)(x - y); break;
            case AERO_EXP_OP_MUL: acc.i = (int64_t)(x * y); break;
            case AERO_EXP_OP_DIV:
                if (v.i == 0 || (acc.i == INT64_MIN && v.i == -1))
                    unknown = true;
                else
                    acc.i /= v.i;
                break;
            case AERO_EXP_OP_INT_AND: acc.i &= v.i; break;
            case AERO_EXP_OP_INT_OR: acc.i |= v.i; break;
            case AERO_EXP_OP_INT_XOR: acc.i ^= v.i; break;
            case AERO_EXP_OP_MIN:
                if (v.i < acc.i)
                    acc.i = v.i;
                break;
            case AERO_EXP_OP_MAX:
                if (v.i > acc.i)
                    acc.i = v.i;
                break;
            }
        } else {
            switch (op) {
            case AERO_EXP_OP_ADD: acc.f += v.f; break;
            case AERO_EXP_OP_SUB: acc.f -= v.f; break;
            case AERO_EXP_OP_MUL: acc.f *= v.f; break;
            case AERO_EXP_OP_DIV: acc.f /= v.f; break;
            case AERO_EXP_OP_MIN:
                if (v.f < acc.f)
                    acc.f = v.f;
                break;
            case AERO_EXP_OP_MAX:
                if (v.f > acc.f)
                    acc.f = v.f;
                break;
            default: unknown = true;
            }
        }
    }
    if (unknown || nargs == 0)
        return UNKNOWN;
    if (is_int_bitwise(op) && acc.t != V_INT)
        return UNKNOWN;
    return acc;
}

/*
 * Arguments of a CDT call are expressions (the server builds each one): an
 * array is an expression call (literal lists come quoted, [QUOTE, [...]]) and
 * scalars / maps stand for themselves. Writes the payload with every
 * argument evaluated into out; false when an argument is unknown or the
 * payload is malformed (c->err set for the latter). A context
 * ([CONTEXT_EVAL, ctx, [op, args...]]) is kept as it is.
 */
static bool eval_payload(ctx *c, const uint8_t *payload, size_t pn, aero_buf *out, int depth) {
    mp_reader r = { payload, payload + pn };
    mp_obj o;
    int64_t op;
    if (depth > 1 || !mp_read(&r, &o) || o.type != MP_ARRAY || o.len == 0 || !read_int(&r, &op)) {
        c->err = true;
        return false;
    }
    mp_put_array(out, o.len);
    mp_put_int(out, op);
    if (op == AERO_CDT_OP_CONTEXT_EVAL && o.len == 3) {
        const uint8_t *cp, *ip;
        size_t cn, in;
        if (!mp_span(&r, &cp, &cn) || !mp_span(&r, &ip, &in)) {
            c->err = true;
            return false;
        }
        aero_buf__put(out, cp, cn);
        return eval_payload(c, ip, in, out, depth + 1);
    }
    for (uint32_t k = 1; k < o.len; k++) {
        mp_reader peek = r;
        mp_obj a;
        if (!mp_read(&peek, &a)) {
            c->err = true;
            return false;
        }
        if (a.type == MP_ARRAY) {
            val v = ev(c, &r);
            if (c->err || v.t == V_UNKNOWN)
                return false;
            to_mp(&v, out);
        } else {
            const uint8_t *ap;
            size_t an;
            if (!mp_span(&r, &ap, &an)) {
                c->err = true;
                return false;
            }
            aero_buf__put(out, ap, an);
        }
    }
    return true;
}

/* The value of a result particle (bytes kept for the evaluation). */
static val kept_particle(ctx *c, const ts_particle *p) {
    const uint8_t *d = keep(c, p->data, p->len);
    return d ? from_particle(p->ptype, d, p->len) : UNKNOWN;
}

/* A CDT modify on a copy of the collection (nil: an empty bin); yields the modified collection. */
static val cdt_modify(ctx *c, const uint8_t *payload, size_t pn, val target) {
    ts_record tmp;
    memset(&tmp, 0, sizeof tmp);
    if (target.t != V_NIL &&
        !ts_record_set_bin(&tmp, "t", 1, target.t == V_LIST ? AERO_PT_LIST : AERO_PT_MAP, target.p, (uint32_t)target.n))
        return UNKNOWN;
    uint8_t pt;
    uint8_t *d;
    uint32_t dl;
    int rc = ts_cdt_modify_op(&tmp, "t", 1, payload, pn, &pt, &d, &dl);
    free(d);
    val v = UNKNOWN;
    if (rc == 0 && tmp.n_bins == 1) {
        ts_particle p = { tmp.bins[0].ptype, tmp.bins[0].data, tmp.bins[0].len };
        v = kept_particle(c, &p);
    } else if (rc == AERO_ERR_PARAMETER) {
        c->err = true;
    }
    ts_record_clear_bins(&tmp);
    free(tmp.bins);
    return v;
}

static val call_cdt(ctx *c, bool modify, const uint8_t *payload, size_t pn, val target) {
    if (modify)
        return target.t == V_LIST || target.t == V_MAP || target.t == V_NIL ? cdt_modify(c, payload, pn, target)
                                                                            : UNKNOWN;
    if (target.t != V_LIST && target.t != V_MAP)
        return UNKNOWN;
    aero_buf out;
    aero_buf__init(&out, NULL, 0);
    int rc = ts_cdt_eval(target.p, target.n, payload, pn, &out);
    val v = UNKNOWN;
    if (rc == 0 && !out.failed) {
        uint8_t *d = keep(c, out.data, out.len);
        if (d)
            v = from_mp(c, d, out.len);
    } else if (rc == AERO_ERR_PARAMETER) {
        c->err = true;
    }
    aero_buf__free(&out);
    return v.t == V_NIL ? UNKNOWN : v;
}

/*
 * Bit (system BITS) and HLL calls through the op engines of bits.c / hll.c:
 * a read yields the op's result, a modify the new blob / HLL (nil target:
 * an empty bin, which only the creating ops accept).
 */
static val call_blob(ctx *c, bool hll, bool modify, const uint8_t *payload, size_t pn, val target) {
    if (target.t != (hll ? V_HLL : V_BLOB) && target.t != V_NIL)
        return UNKNOWN;
    if (target.t == V_NIL && !modify)
        return UNKNOWN;
    ts_particle bin = { hll ? AERO_PT_HLL : AERO_PT_BLOB, (uint8_t *)target.p, (uint32_t)target.n };
    const ts_particle *b = target.t == V_NIL ? NULL : &bin;
    ts_particle out = { 0 }, res = { 0 };
    int rc = !modify ? (hll ? ts_hll_read(payload, pn, b, &res) : ts_bits_read(payload, pn, b, &res))
             : hll   ? ts_hll_modify(payload, pn, b, &out, &res)
                     : ts_bits_modify(payload, pn, b, TS_BLOB_MAX_BIN, &out);
    val v = UNKNOWN;
    if (rc == AERO_ERR_PARAMETER)
        c->err = true;
    else if (rc == 0 && !modify)
        v = kept_particle(c, &res);
    else if (rc == 0)
        v = out.ptype ? kept_particle(c, &out) : target;
    free(out.data);
    free(res.data);
    return v.t == V_NIL ? UNKNOWN : v;
}

static val call_system(ctx *c, int rtype, int64_t system, const uint8_t *payload, size_t pn, val target) {
    bool modify = (system & AERO_EXP_CALL_MODIFY_LOCAL) != 0;
    val v;
    switch (system & ~(int64_t)AERO_EXP_CALL_MODIFY_LOCAL) {
    case AERO_EXP_CALL_CDT: v = call_cdt(c, modify, payload, pn, target); break;
    case AERO_EXP_CALL_BITS: v = call_blob(c, false, modify, payload, pn, target); break;
    case AERO_EXP_CALL_HLL: v = call_blob(c, true, modify, payload, pn, target); break;
    default: return UNKNOWN;
    }
    return v.t == V_UNKNOWN || exp_type_of(&v) == rtype ? v : UNKNOWN;
}

/*
 * Static result type of an expression (what the server's build step knows
 * before running it), -1 when it cannot be told without evaluating. Used to
 * refuse comparisons of different types as the server does (4), instead of
 * evaluating them to unknown. Calls take their type from the op table below.
 */
static int static_type(const uint8_t *p, size_t n, int depth);

/*
 * Whether the na arguments ahead in r may have the numeric type `want` (-1:
 * INT or FLOAT, all the same) as far as their static types tell: the server
 * refuses to build arithmetic over other or mixed types (4).
 */
static bool args_typed(const mp_reader *r, uint32_t na, int want) {
    mp_reader peek = *r;
    for (uint32_t k = 0; k < na; k++) {
        const uint8_t *p;
        size_t n;
        if (!mp_span(&peek, &p, &n))
            return true; /* malformed: evaluation reports it */
        int t = static_type(p, n, 0);
        if (t < 0)
            continue;
        if (want < 0 && (t == AERO_EXP_TYPE_INT || t == AERO_EXP_TYPE_FLOAT))
            want = t;
        else if (t != want)
            return false;
    }
    return true;
}

/*
 * One handler per operation (or family of operations sharing a shape). A
 * handler gets the op code and the argument count, already checked against
 * the op table's bounds, with r at the first argument.
 */
typedef val (*op_fn)(ctx *c, mp_reader *r, int64_t op, uint32_t na);

static val op_cmp(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)na;
    mp_reader peek = *r;
    const uint8_t *p0, *p1;
    size_t n0, n1;
    if (!mp_span(&peek, &p0, &n0) || !mp_span(&peek, &p1, &n1))
        return fail(c);
    int t0 = static_type(p0, n0, 0), t1 = static_type(p1, n1, 0);
    if (t0 >= 0 && t1 >= 0 && (t0 != t1 || t0 == AERO_EXP_TYPE_GEO || t0 == AERO_EXP_TYPE_HLL))
        return fail(c); /* the server refuses to build it: 4 */
    val a = ev(c, r);
    val b = ev(c, r);
    int k = compare(&a, &b);
    if (k == -2)
        return UNKNOWN;
    switch (op) {
    case AERO_EXP_OP_EQ: return mkbool(k == 0);
    case AERO_EXP_OP_NE: return mkbool(k != 0);
    case AERO_EXP_OP_GT: return mkbool(k > 0);
    case AERO_EXP_OP_GE: return mkbool(k >= 0);
    case AERO_EXP_OP_LT: return mkbool(k < 0);
    default: return mkbool(k <= 0);
    }
}

static val op_regex(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    int64_t flags;
    const uint8_t *pat;
    uint32_t pl;
    if (!read_int(r, &flags) || !read_name(r, &pat, &pl))
        return fail(c);
    val a = ev(c, r);
    if (a.t != V_STR)
        return UNKNOWN;
    char *ps = keep_str(c, pat, pl);
    char *s = keep_str(c, a.p, a.n);
    if (!ps || !s)
        return UNKNOWN;
    regex_t re;
    if (regcomp(&re, ps, (int)(flags & (REG_EXTENDED | REG_ICASE | REG_NEWLINE)) | REG_NOSUB) != 0)
        return fail(c);
    int m = regexec(&re, s, 0, NULL, 0);
    regfree(&re);
    return mkbool(m == 0);
}

/* geo_compare: a point within a region, or a region containing a point */
static val op_geo(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    val a = ev(c, r);
    val b = ev(c, r);
    if (a.t != V_GEO || b.t != V_GEO)
        return UNKNOWN;
    int g = ts_geo_compare((const char *)a.p, a.n, (const char *)b.p, b.n);
    return g < 0 ? UNKNOWN : mkbool(g == 1);
}

static val op_in_list(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    val a = ev(c, r);
    val b = ev(c, r);
    if (a.t == V_UNKNOWN || b.t != V_LIST)
        return UNKNOWN;
    aero_buf x;
    aero_buf__init(&x, NULL, 0);
    to_mp(&a, &x);
    mp_reader lr = { b.p, b.p + b.n };
    mp_obj lo;
    bool found = false;
    if (mp_read(&lr, &lo) && lo.type == MP_ARRAY) {
        for (uint32_t k = 0; k < lo.len && !found; k++) {
            const uint8_t *ep;
            size_t en;
            bool ok;
            if (!mp_span(&lr, &ep, &en))
                break;
            found = mp_cmp(ep, en, x.data, x.len, &ok) == 0 && ok;
        }
    }
    aero_buf__free(&x);
    return mkbool(found);
}

static val op_and_or(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    bool unknown = false, decided = false, is_or = op == AERO_EXP_OP_OR;
    for (uint32_t k = 0; k < na; k++) {
        if (decided) {
            if (!mp_skip(r))
                return fail(c);
            continue;
        }
        val a = ev(c, r);
        if (c->err)
            return UNKNOWN;
        if (a.t != V_BOOL)
            unknown = true;
        else if (a.b == is_or)
            decided = true;
    }
    if (decided)
        return mkbool(is_or);
    return unknown ? UNKNOWN : mkbool(!is_or);
}

static val op_not(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    val a = ev(c, r);
    return a.t == V_BOOL ? mkbool(!a.b) : UNKNOWN;
}

static val op_exclusive(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op;
    int trues = 0;
    bool unknown = false;
    for (uint32_t k = 0; k < na; k++) {
        val a = ev(c, r);
        if (a.t != V_BOOL)
            unknown = true;
        else
            trues += a.b;
    }
    return unknown ? UNKNOWN : mkbool(trues == 1);
}

/* add, sub, mul, div, min, max and the n-ary bitwise and / or / xor */
static val op_arith(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    if (!args_typed(r, na, is_int_bitwise(op) ? AERO_EXP_TYPE_INT : -1))
        return fail(c);
    return arith(c, r, (int)op, na);
}

/* pow, log */
static val op_float2(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    if (!args_typed(r, na, AERO_EXP_TYPE_FLOAT))
        return fail(c);
    val a = ev(c, r);
    val b = ev(c, r);
    if (a.t != V_FLOAT || b.t != V_FLOAT)
        return UNKNOWN;
    return mkfloat(op == AERO_EXP_OP_POW ? pow(a.f, b.f) : log(a.f) / log(b.f));
}

static val op_mod(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op;
    if (!args_typed(r, na, AERO_EXP_TYPE_INT))
        return fail(c);
    val a = ev(c, r);
    val b = ev(c, r);
    if (a.t != V_INT || b.t != V_INT || b.i == 0 || (a.i == INT64_MIN && b.i == -1))
        return UNKNOWN;
    return mkint(a.i % b.i);
}

/* abs, floor, ceil, to_int, to_float, int_not, int_count */
static val op_unary(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)na;
    val a = ev(c, r);
    switch (op) {
    case AERO_EXP_OP_ABS:
        if (a.t == V_INT)
            return a.i == INT64_MIN ? UNKNOWN : mkint(a.i < 0 ? -a.i : a.i);
        return a.t == V_FLOAT ? mkfloat(fabs(a.f)) : UNKNOWN;
    case AERO_EXP_OP_FLOOR: return a.t == V_FLOAT ? mkfloat(floor(a.f)) : UNKNOWN;
    case AERO_EXP_OP_CEIL: return a.t == V_FLOAT ? mkfloat(ceil(a.f)) : UNKNOWN;
    case AERO_EXP_OP_TO_INT:
        if (a.t != V_FLOAT || isnan(a.f) || a.f >= 9.2233720368547758e18 || a.f < -9.2233720368547758e18)
            return UNKNOWN;
        return mkint((int64_t)a.f);
    case AERO_EXP_OP_TO_FLOAT: return a.t == V_INT ? mkfloat((double)a.i) : UNKNOWN;
    case AERO_EXP_OP_INT_NOT: return a.t == V_INT ? mkint(~a.i) : UNKNOWN;
    default: return a.t == V_INT ? mkint(__builtin_popcountll((uint64_t)a.i)) : UNKNOWN;
    }
}

/* lshift, rshift (logical), arshift */
static val op_shift(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)na;
    val a = ev(c, r);
    val b = ev(c, r);
    if (a.t != V_INT || b.t != V_INT)
        return UNKNOWN;
    if (b.i < 0 || b.i > 63)
        return mkint(op == AERO_EXP_OP_INT_ARSHIFT && a.i < 0 ? -1 : 0);
    if (op == AERO_EXP_OP_INT_LSHIFT)
        return mkint((int64_t)((uint64_t)a.i << b.i));
    if (op == AERO_EXP_OP_INT_RSHIFT)
        return mkint((int64_t)((uint64_t)a.i >> b.i));
    return mkint(a.i >> b.i);
}

/* lscan / rscan: position of the first bit equal to the bool, -1 if none */
static val op_scan(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)na;
    val a = ev(c, r);
    val b = ev(c, r);
    if (a.t != V_INT || b.t != V_BOOL)
        return UNKNOWN;
    uint64_t x = b.b ? (uint64_t)a.i : ~(uint64_t)a.i;
    if (x == 0)
        return mkint(-1);
    return mkint(op == AERO_EXP_OP_INT_LSCAN ? __builtin_clzll(x) : 63 - __builtin_ctzll(x));
}

/* digest_modulo: the literal modulus is fixed when the expression is built */
static val op_digest_modulo(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    int64_t mod;
    if (!read_int(r, &mod) || (int32_t)mod == 0)
        return fail(c);
    if (!c->r)
        return UNKNOWN;
    const uint8_t *d = c->r->digest;
    uint32_t x = (uint32_t)d[16] | (uint32_t)d[17] << 8 | (uint32_t)d[18] << 16 | (uint32_t)d[19] << 24;
    return mkint((int64_t)x % (int32_t)mod);
}

/* Record metadata. Arguments are not read (their count is not checked). */
static val op_meta(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)r, (void)na;
    if (op == AERO_EXP_OP_IS_TOMBSTONE)
        return mkbool(false);
    if (!c->r)
        return UNKNOWN;
    switch (op) {
    case AERO_EXP_OP_LAST_UPDATE: return mkint((int64_t)c->r->last_update_ns);
    case AERO_EXP_OP_SINCE_UPDATE: return mkint((int64_t)((ts_now_ns() - c->r->last_update_ns) / 1000000u));
    case AERO_EXP_OP_VOID_TIME:
        return mkint(c->r->void_time ? (int64_t)(c->r->void_time + (uint64_t)AERO_CITRUSLEAF_EPOCH) * 1000000000 : -1);
    case AERO_EXP_OP_TTL: {
        if (!c->r->void_time)
            return mkint(-1);
        uint32_t now = ts_now2010();
        return mkint(c->r->void_time > now ? c->r->void_time - now : 0);
    }
    case AERO_EXP_OP_SET_NAME: return (val){ .t = V_STR, .p = (const uint8_t *)c->r->set, .n = c->r->set_len };
    case AERO_EXP_OP_KEY_EXISTS: return mkbool(c->r->has_key);
    default: /* device_size, memory_size, record_size */ return mkint((int64_t)ts_record_size(c->r));
    }
}

static val op_key(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    int64_t t;
    if (!read_int(r, &t))
        return fail(c);
    if (!c->r || !c->r->has_key)
        return UNKNOWN;
    val v = from_particle(c->r->key_type, c->r->key, c->r->key_len);
    return exp_type_of(&v) == t ? v : UNKNOWN;
}

static val op_bin(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    int64_t t;
    const uint8_t *name;
    uint32_t nl;
    if (!read_int(r, &t) || !read_name(r, &name, &nl))
        return fail(c);
    return bin_value(c, (int)t, name, nl);
}

static val op_bin_type(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    const uint8_t *name;
    uint32_t nl;
    if (!read_name(r, &name, &nl))
        return fail(c);
    if (!c->r)
        return UNKNOWN;
    const ts_bin *bn = nl <= 15 ? ts_record_bin((ts_record *)c->r, (const char *)name, nl) : NULL;
    return mkint(bn ? bn->ptype : AERO_PT_NULL);
}

/* cond: condition / value pairs and a default; branches not taken are skipped */
static val op_cond(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op;
    if (na % 2 == 0)
        return fail(c);
    uint32_t pairs = na / 2;
    for (uint32_t k = 0; k < pairs; k++) {
        val a = ev(c, r);
        if (c->err)
            return UNKNOWN;
        if (a.t != V_BOOL)
            return UNKNOWN;
        if (a.b) {
            val v = ev(c, r);
            for (uint32_t s = 2 * k + 2; s < na; s++)
                if (!mp_skip(r))
                    return fail(c);
            return v;
        }
        if (!mp_skip(r))
            return fail(c);
    }
    return ev(c, r);
}

static val op_var(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    const uint8_t *name;
    uint32_t nl;
    if (!read_name(r, &name, &nl))
        return fail(c);
    for (int k = c->n_vars - 1; k >= 0; k--)
        if (c->vars[k].len == nl && memcmp(c->vars[k].name, name, nl) == 0)
            return c->vars[k].v;
    return fail(c);
}

static val op_let(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op;
    if (na % 2 == 0)
        return fail(c);
    int saved = c->n_vars;
    for (uint32_t k = 0; k < na / 2; k++) {
        const uint8_t *name;
        uint32_t nl;
        if (!read_name(r, &name, &nl) || c->n_vars == 32)
            return fail(c);
        val v = ev(c, r);
        if (c->err)
            return UNKNOWN;
        c->vars[c->n_vars++] = (var){ name, nl, v };
    }
    val v = ev(c, r);
    c->n_vars = saved;
    return v;
}

static val op_quote(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    const uint8_t *p;
    size_t pn;
    if (!mp_span(r, &p, &pn))
        return fail(c);
    return from_mp(c, p, pn);
}

/* call: [CALL, result type, system, payload, target] */
static val op_call(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op, (void)na;
    int64_t rtype, system;
    const uint8_t *payload;
    size_t pn;
    if (!read_int(r, &rtype) || !read_int(r, &system) || !mp_span(r, &payload, &pn))
        return fail(c);
    val target = ev(c, r);
    if (c->err || target.t == V_UNKNOWN)
        return UNKNOWN;
    aero_buf args;
    aero_buf__init(&args, NULL, 0);
    val v = UNKNOWN;
    if (eval_payload(c, payload, pn, &args, 0)) {
        if (args.failed)
            c->err = true;
        else
            v = call_system(c, (int)rtype, system, args.data, args.len, target);
    }
    aero_buf__free(&args);
    return v;
}

/* Not evaluated (unknown, geo, hll, loop variables, map_keys_in ...): arguments skipped. */
static val op_skip(ctx *c, mp_reader *r, int64_t op, uint32_t na) {
    (void)op;
    for (uint32_t k = 0; k < na; k++)
        if (!mp_skip(r))
            return fail(c);
    return UNKNOWN;
}

/* Static result types that are not an exp_type. */
enum {
    ST_NONE = -1,     /* told only by evaluating */
    ST_DECLARED = -2, /* the first argument is the type (key, bin, call) */
    ST_FIRST = -3,    /* the type of the first argument */
    ST_QUOTE = -4,    /* LIST for a quoted list, else the quoted value's */
};
#define ANY UINT32_MAX

typedef struct op_def {
    op_fn fn;
    uint32_t min_args, max_args;
    int type; /* static result type: an AERO_EXP_TYPE_* or an ST_* */
} op_def;

#define BOOL_OP(fn, lo, hi) \
    { fn, lo, hi, AERO_EXP_TYPE_BOOL }
#define INT_OP(fn, lo, hi) \
    { fn, lo, hi, AERO_EXP_TYPE_INT }
#define FLOAT_OP(fn, lo, hi) \
    { fn, lo, hi, AERO_EXP_TYPE_FLOAT }

static const op_def OPS[AERO_EXP_OP_CALL + 1] = {
    [AERO_EXP_OP_EQ] = BOOL_OP(op_cmp, 2, 2),
    [AERO_EXP_OP_NE] = BOOL_OP(op_cmp, 2, 2),
    [AERO_EXP_OP_GT] = BOOL_OP(op_cmp, 2, 2),
    [AERO_EXP_OP_GE] = BOOL_OP(op_cmp, 2, 2),
    [AERO_EXP_OP_LT] = BOOL_OP(op_cmp, 2, 2),
    [AERO_EXP_OP_LE] = BOOL_OP(op_cmp, 2, 2),
    [AERO_EXP_OP_REGEX] = BOOL_OP(op_regex, 3, 3),
    [AERO_EXP_OP_GEO_COMPARE] = BOOL_OP(op_geo, 2, 2),
    [AERO_EXP_OP_IN_LIST] = BOOL_OP(op_in_list, 2, 2),
    [AERO_EXP_OP_AND] = BOOL_OP(op_and_or, 0, ANY),
    [AERO_EXP_OP_OR] = BOOL_OP(op_and_or, 0, ANY),
    [AERO_EXP_OP_NOT] = BOOL_OP(op_not, 1, 1),
    [AERO_EXP_OP_EXCLUSIVE] = BOOL_OP(op_exclusive, 0, ANY),
    [AERO_EXP_OP_ADD] = { op_arith, 0, ANY, ST_FIRST },
    [AERO_EXP_OP_SUB] = { op_arith, 0, ANY, ST_FIRST },
    [AERO_EXP_OP_MUL] = { op_arith, 0, ANY, ST_FIRST },
    [AERO_EXP_OP_DIV] = { op_arith, 0, ANY, ST_FIRST },
    [AERO_EXP_OP_POW] = FLOAT_OP(op_float2, 2, 2),
    [AERO_EXP_OP_LOG] = FLOAT_OP(op_float2, 2, 2),
    [AERO_EXP_OP_MOD] = INT_OP(op_mod, 2, 2),
    [AERO_EXP_OP_ABS] = { op_unary, 1, 1, ST_FIRST },
    [AERO_EXP_OP_FLOOR] = FLOAT_OP(op_unary, 1, 1),
    [AERO_EXP_OP_CEIL] = FLOAT_OP(op_unary, 1, 1),
    [AERO_EXP_OP_TO_INT] = INT_OP(op_unary, 1, 1),
    [AERO_EXP_OP_TO_FLOAT] = FLOAT_OP(op_unary, 1, 1),
    [AERO_EXP_OP_INT_AND] = INT_OP(op_arith, 0, ANY),
    [AERO_EXP_OP_INT_OR] = INT_OP(op_arith, 0, ANY),
    [AERO_EXP_OP_INT_XOR] = INT_OP(op_arith, 0, ANY),
    [AERO_EXP_OP_INT_NOT] = INT_OP(op_unary, 1, 1),
    [AERO_EXP_OP_INT_LSHIFT] = INT_OP(op_shift, 2, 2),
    [AERO_EXP_OP_INT_RSHIFT] = INT_OP(op_shift, 2, 2),
    [AERO_EXP_OP_INT_ARSHIFT] = INT_OP(op_shift, 2, 2),
    [AERO_EXP_OP_INT_COUNT] = INT_OP(op_unary, 1, 1),
    [AERO_EXP_OP_INT_LSCAN] = INT_OP(op_scan, 2, 2),
    [AERO_EXP_OP_INT_RSCAN] = INT_OP(op_scan, 2, 2),
    [AERO_EXP_OP_MIN] = { op_arith, 0, ANY, ST_FIRST },
    [AERO_EXP_OP_MAX] = { op_arith, 0, ANY, ST_FIRST },
    [AERO_EXP_OP_DIGEST_MODULO] = INT_OP(op_digest_modulo, 1, 1),
    [AERO_EXP_OP_DEVICE_SIZE] = INT_OP(op_meta, 0, ANY),
    [AERO_EXP_OP_LAST_UPDATE] = INT_OP(op_meta, 0, ANY),
    [AERO_EXP_OP_SINCE_UPDATE] = INT_OP(op_meta, 0, ANY),
    [AERO_EXP_OP_VOID_TIME] = INT_OP(op_meta, 0, ANY),
    [AERO_EXP_OP_TTL] = INT_OP(op_meta, 0, ANY),
    [AERO_EXP_OP_SET_NAME] = { op_meta, 0, ANY, AERO_EXP_TYPE_STR },
    [AERO_EXP_OP_KEY_EXISTS] = BOOL_OP(op_meta, 0, ANY),
    [AERO_EXP_OP_IS_TOMBSTONE] = BOOL_OP(op_meta, 0, ANY),
    [AERO_EXP_OP_MEMORY_SIZE] = INT_OP(op_meta, 0, ANY),
    [AERO_EXP_OP_RECORD_SIZE] = INT_OP(op_meta, 0, ANY),
    [AERO_EXP_OP_KEY] = { op_key, 1, 1, ST_DECLARED },
    [AERO_EXP_OP_BIN] = { op_bin, 2, 2, ST_DECLARED },
    [AERO_EXP_OP_BIN_TYPE] = INT_OP(op_bin_type, 1, 1),
    [AERO_EXP_OP_COND] = { op_cond, 3, ANY, ST_NONE },
    [AERO_EXP_OP_VAR] = { op_var, 1, 1, ST_NONE },
    [AERO_EXP_OP_LET] = { op_let, 1, ANY, ST_NONE },
    [AERO_EXP_OP_QUOTE] = { op_quote, 1, 1, ST_QUOTE },
    [AERO_EXP_OP_CALL] = { op_call, 4, 4, ST_DECLARED },
};

/* The table entry of op; ops without one are skipped, unevaluated. */
static const op_def *op_find(int64_t op) {
    static const op_def skip = { op_skip, 0, ANY, ST_NONE };
    if (op < 0 || op > AERO_EXP_OP_CALL || !OPS[op].fn)
        return &skip;
    return &OPS[op];
}

static int static_type(const uint8_t *p, size_t n, int depth) {
    mp_reader r = { p, p + n };
    mp_obj o, code;
    if (depth > 16 || !mp_read(&r, &o))
        return -1;
    switch (o.type) {
    case MP_NIL: return AERO_EXP_TYPE_NIL;
    case MP_BOOL: return AERO_EXP_TYPE_BOOL;
    case MP_INT: return AERO_EXP_TYPE_INT;
    case MP_FLOAT: return AERO_EXP_TYPE_FLOAT;
    case MP_MAP: return AERO_EXP_TYPE_MAP;
    case MP_STR:
    case MP_BIN:
        if (o.len == 0)
            return AERO_EXP_TYPE_BLOB;
        return o.p[0] == AERO_PT_STRING    ? AERO_EXP_TYPE_STR
               : o.p[0] == AERO_PT_GEOJSON ? AERO_EXP_TYPE_GEO
                                           : AERO_EXP_TYPE_BLOB;
    case MP_ARRAY: break;
    default: return -1;
    }
    if (o.len < 1 || !mp_read(&r, &code) || code.type != MP_INT)
        return -1;
    int64_t t;
    const uint8_t *a;
    size_t an;
    switch (op_find(code.i)->type) {
    case ST_NONE: return -1;
    case ST_DECLARED: return read_int(&r, &t) ? (int)t : -1;
    case ST_FIRST: return o.len >= 2 && mp_span(&r, &a, &an) ? static_type(a, an, depth + 1) : -1;
    case ST_QUOTE: {
        if (o.len != 2 || !mp_span(&r, &a, &an))
            return -1;
        mp_reader q = { a, a + an };
        mp_obj x;
        return mp_read(&q, &x) && x.type == MP_ARRAY ? AERO_EXP_TYPE_LIST : static_type(a, an, depth + 1);
    }
    default: return op_find(code.i)->type;
    }
}

static val ev_call(ctx *c, mp_reader *r, uint32_t n) {
    int64_t op;
    if (n == 0 || !read_int(r, &op))
        return fail(c);
    uint32_t na = n - 1;
    if (na > (size_t)(r->end - r->p))
        return fail(c); /* every argument takes at least one byte */
    const op_def *d = op_find(op);
    if (na < d->min_args || na > d->max_args)
        return fail(c);
    return d->fn(c, r, op, na);
}

static val ev(ctx *c, mp_reader *r) {
    if (c->err)
        return UNKNOWN;
    if (++c->depth > 64) {
        c->depth--;
        return fail(c);
    }
    const uint8_t *start = r->p;
    mp_obj o;
    val v = UNKNOWN;
    if (!mp_read(r, &o)) {
        c->depth--;
        return fail(c);
    }
    switch (o.type) {
    case MP_NIL: v = (val){ .t = V_NIL }; break;
    case MP_BOOL: v = mkbool(o.b); break;
    case MP_INT: v = mkint(o.i); break;
    case MP_FLOAT: v = mkfloat(o.f); break;
    case MP_STR:
    case MP_BIN: v = from_mp(c, start, (size_t)(r->p - start)); break;
    case MP_MAP: {
        for (uint32_t k = 0; k < 2 * o.len; k++)
            if (!mp_skip(r)) {
                c->depth--;
                return fail(c);
            }
        v = (val){ .t = V_MAP, .p = start, .n = (size_t)(r->p - start) };
        break;
    }
    case MP_ARRAY: v = ev_call(c, r, o.len); break;
    default: v = fail(c);
    }
    c->depth--;
    return v;
}

static void ctx_free(ctx *c) {
    while (c->mem) {
        blk *n = c->mem->next;
        free(c->mem);
        c->mem = n;
    }
}

bool ts_exp_may_be_bool(const uint8_t *exp, size_t len) {
    int st = static_type(exp, len, 0);
    return st < 0 || st == AERO_EXP_TYPE_BOOL;
}

int ts_exp_filter(const uint8_t *exp, size_t len, const ts_record *r, const char *ns) {
    if (!ts_exp_may_be_bool(exp, len))
        return TS_EXP_ERROR; /* the server refuses to build a filter that is not boolean: 4 */
    ctx c = { .r = r, .ns = ns };
    mp_reader rd = { exp, exp + len };
    val v = ev(&c, &rd);
    int res;
    if (c.err || rd.p != rd.end)
        res = TS_EXP_ERROR;
    else if (v.t == V_BOOL)
        res = v.b ? TS_EXP_TRUE : TS_EXP_FALSE;
    else
        res = TS_EXP_UNKNOWN;
    ctx_free(&c);
    return res;
}

int ts_exp_op_value(const uint8_t *v, size_t len, const ts_record *r, const char *ns, int64_t *flags, uint8_t *ptype,
                    uint8_t **data, uint32_t *dlen, bool *unknown) {
    ctx c = { .r = r, .ns = ns };
    mp_reader rd = { v, v + len };
    mp_obj o;
    *data = NULL;
    *dlen = 0;
    *ptype = 0;
    *unknown = false;
    if (!mp_read(&rd, &o) || o.type != MP_ARRAY || o.len < 1)
        return AERO_ERR_PARAMETER;
    val x = ev(&c, &rd);
    *flags = 0;
    if (!c.err && o.len > 1 && !read_int(&rd, flags))
        c.err = true;
    if (c.err) {
        ctx_free(&c);
        return AERO_ERR_PARAMETER;
    }
    int rc = 0;
    if (x.t == V_UNKNOWN) {
        *unknown = true;
    } else {
        aero_buf b;
        aero_buf__init(&b, NULL, 0);
        to_mp(&x, &b);
        rc = b.failed ? AERO_ERR_SERVER : ts_cdt_to_particle(b.data, b.len, ptype, data, dlen);
        aero_buf__free(&b);
    }
    ctx_free(&c);
    return rc;
}
