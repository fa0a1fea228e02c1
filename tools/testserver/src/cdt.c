/*
 * cdt.c - list and map reads (get by index / key / value / rank and their
 * ranges, with every return type) over msgpack collections.
 *
 * A collection is split into element spans once. Maps are handled in key
 * order (Aerospike's map index order); ranks come from sorting by value with
 * the server's msgpack ordering (mp_cmp). Results are written as msgpack.
 */
#include "cdt.h"

#include <stdlib.h>
#include <string.h>

#include "cdt_int.h"
#include "mp.h"

void cdt_coll_free(coll *c) {
    free(c->k);
    free(c->v);
    free(c->by_rank);
    free(c->rank);
    free(c->pos);
    memset(c, 0, sizeof *c);
}

static _Thread_local const span *tl_base;

static int by_value(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    bool ok;
    int c = mp_cmp(tl_base[x].p, tl_base[x].n, tl_base[y].p, tl_base[y].n, &ok);
    return c ? c : (x < y ? -1 : x > y);
}

typedef struct kv_pair {
    span k, v;
    uint32_t pos;
} kv_pair;

static int by_key(const void *a, const void *b) {
    const kv_pair *x = a, *y = b;
    bool ok;
    int c = mp_cmp(x->k.p, x->k.n, y->k.p, y->k.n, &ok);
    return c ? c : (x->k.p < y->k.p ? -1 : x->k.p > y->k.p);
}

int cdt_coll_parse(const uint8_t *p, size_t n, coll *c) {
    memset(c, 0, sizeof *c);
    mp_reader r = { p, p + n };
    mp_obj o;
    if (!mp_read(&r, &o))
        return AERO_ERR_PARAMETER;
    if (o.type != MP_ARRAY && o.type != MP_MAP)
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    c->is_map = o.type == MP_MAP;
    uint32_t cnt = o.len;
    if (cnt > (size_t)(r.end - r.p))
        return AERO_ERR_PARAMETER;
    c->v = calloc(cnt ? cnt : 1, sizeof *c->v);
    c->k = c->is_map ? calloc(cnt ? cnt : 1, sizeof *c->k) : NULL;
    c->by_rank = calloc(cnt ? cnt : 1, sizeof *c->by_rank);
    c->pos = calloc(cnt ? cnt : 1, sizeof *c->pos);
    c->rank = calloc(cnt ? cnt : 1, sizeof *c->rank);
    if (!c->v || !c->by_rank || !c->pos || !c->rank || (c->is_map && !c->k)) {
        cdt_coll_free(c);
        return AERO_ERR_SERVER;
    }
    for (uint32_t i = 0; i < cnt; i++) {
        span k = { 0 }, v;
        if (c->is_map && !mp_span(&r, &k.p, &k.n))
            goto bad;
        if (!mp_span(&r, &v.p, &v.n))
            goto bad;
        /* skip the ext header of ordered collections */
        const uint8_t *first = c->is_map ? k.p : v.p;
        if (i == 0 && (first[0] == 0xc7 || first[0] == 0xd4) && ((c->is_map && first[0] == 0xc7) || !c->is_map)) {
            mp_reader t = { first, first + (c->is_map ? k.n : v.n) };
            mp_obj e;
            if (mp_read(&t, &e) && e.type == MP_EXT && e.ext_type != -1) {
                c->flags = (uint8_t)e.ext_type;
                c->has_ext = true;
                continue;
            }
        }
        if (c->is_map)
            c->k[c->n] = k;
        c->v[c->n] = v;
        c->pos[c->n] = c->n;
        c->n++;
    }
    if (c->is_map && c->n > 1) {
        kv_pair *kv = malloc(c->n * sizeof *kv);
        if (!kv)
            goto bad;
        for (uint32_t i = 0; i < c->n; i++) {
            kv[i].k = c->k[i];
            kv[i].v = c->v[i];
            kv[i].pos = c->pos[i];
        }
        qsort(kv, c->n, sizeof *kv, by_key);
        for (uint32_t i = 0; i < c->n; i++) {
            c->k[i] = kv[i].k;
            c->v[i] = kv[i].v;
            c->pos[i] = kv[i].pos;
        }
        free(kv);
    }
    for (uint32_t i = 0; i < c->n; i++)
        c->by_rank[i] = i;
    tl_base = c->v;
    qsort(c->by_rank, c->n, sizeof *c->by_rank, by_value);
    for (uint32_t r = 0; r < c->n; r++)
        c->rank[c->by_rank[r]] = r;
    return 0;
bad:
    cdt_coll_free(c);
    return AERO_ERR_PARAMETER;
}

static uint32_t rank_of(const coll *c, uint32_t idx) { return c->rank[idx]; }

/* Resolve [index, count) into a clamped range over n items. */
static void range(int64_t index, bool has_count, int64_t count, uint32_t n, uint32_t *start, uint32_t *end) {
    int64_t s = index < 0 ? (int64_t)n + index : index;
    int64_t e = has_count ? (count < 0 ? s : s + count) : (int64_t)n;
    if (s < 0)
        s = 0;
    if (e > (int64_t)n)
        e = n;
    if (s > (int64_t)n)
        s = n;
    if (e < s)
        e = s;
    *start = (uint32_t)s;
    *end = (uint32_t)e;
}

int cdt_cmpv(const span *a, const uint8_t *b, size_t bn) {
    bool ok;
    return mp_cmp(a->p, a->n, b, bn, &ok);
}

/* Write the result for selected elements (sel[i] true) in index order. */
int cdt_emit(const coll *c, const bool *sel, int64_t rt, bool single, aero_buf *out) {
    bool inv = (rt & AERO_CDT_RT_INVERTED) != 0;
    int base = (int)(rt & ~(int64_t)AERO_CDT_RT_INVERTED);
    uint32_t m = 0;
    for (uint32_t i = 0; i < c->n; i++)
        m += (sel[i] != inv);
    if (inv)
        single = false;
#define SEL(i) (sel[i] != inv)
    switch (base) {
    case AERO_CDT_RT_NONE: mp_put_nil(out); return 0;
    case AERO_CDT_RT_COUNT: mp_put_int(out, m); return 0;
    case AERO_CDT_RT_EXISTS: mp_put_bool(out, m > 0); return 0;
    case AERO_CDT_RT_INDEX:
    case AERO_CDT_RT_REVERSE_INDEX:
    case AERO_CDT_RT_RANK:
    case AERO_CDT_RT_REVERSE_RANK: {
        if (single && m == 0) {
            mp_put_nil(out);
            return 0;
        }
        if (!single)
            mp_put_array(out, m);
        for (uint32_t i = 0; i < c->n; i++) {
            if (!SEL(i))
                continue;
            int64_t v = base == AERO_CDT_RT_INDEX           ? i
                        : base == AERO_CDT_RT_REVERSE_INDEX ? (int64_t)c->n - 1 - i
                        : base == AERO_CDT_RT_RANK          ? rank_of(c, i)
                                                            : (int64_t)c->n - 1 - rank_of(c, i);
            mp_put_int(out, v);
            if (single)
                break;
        }
        return 0;
    }
    case AERO_CDT_RT_KEY:
    case AERO_CDT_RT_VALUE: {
        if (base == AERO_CDT_RT_KEY && !c->is_map)
            return AERO_ERR_PARAMETER;
        if (single && m == 0) {
            mp_put_nil(out);
            return 0;
        }
        if (!single)
            mp_put_array(out, m);
        for (uint32_t i = 0; i < c->n; i++) {
            if (!SEL(i))
                continue;
            const span *s = base == AERO_CDT_RT_KEY ? &c->k[i] : &c->v[i];
            aero_buf__put(out, s->p, s->n);
            if (single)
                break;
        }
        return 0;
    }
    case AERO_CDT_RT_KEY_VALUE:
    case AERO_CDT_RT_UNORDERED_MAP:
    case AERO_CDT_RT_ORDERED_MAP: {
        if (!c->is_map) {
            if (base != AERO_CDT_RT_KEY_VALUE)
                return AERO_ERR_PARAMETER;
            mp_put_array(out, m);
            for (uint32_t i = 0; i < c->n; i++)
                if (SEL(i))
                    aero_buf__put(out, c->v[i].p, c->v[i].n);
            return 0;
        }
        mp_put_map(out, m);
        for (uint32_t i = 0; i < c->n; i++) {
            if (!SEL(i))
                continue;
            aero_buf__put(out, c->k[i].p, c->k[i].n);
            aero_buf__put(out, c->v[i].p, c->v[i].n);
        }
        return 0;
    }
    default: return AERO_ERR_PARAMETER;
    }
#undef SEL
}

/* Read up to max args of the op as spans; returns the count. */
int cdt_args(mp_reader *r, uint32_t n, span *a, int max) {
    int k = 0;
    for (uint32_t i = 0; i < n; i++) {
        span s;
        if (!mp_span(r, &s.p, &s.n))
            return -1;
        if (k < max)
            a[k++] = s;
    }
    return k;
}

bool cdt_as_int(const span *s, int64_t *v) {
    mp_reader r = { s->p, s->p + s->n };
    mp_obj o;
    if (!mp_read(&r, &o) || o.type != MP_INT)
        return false;
    *v = o.i;
    return true;
}

/* One read op's selection: its arguments after the return type, and what it selects. */
typedef struct pick {
    const coll *c;
    int64_t opc;
    const span *a;
    int na;
    bool *sel;
    bool single;
} pick;

typedef int (*pick_fn)(pick *p);

/* get [index], get_by_index [rt, index] */
static int pick_index(pick *p) {
    int64_t i1;
    uint32_t s, e, n = p->c->n;
    if (p->na < 1 || !cdt_as_int(&p->a[0], &i1))
        return AERO_ERR_PARAMETER;
    p->single = true;
    range(i1, true, 1, n, &s, &e);
    if (i1 < -(int64_t)n || i1 >= (int64_t)n)
        s = e = 0;
    for (uint32_t i = s; i < e; i++)
        p->sel[i] = true;
    return 0;
}

static int pick_rank(pick *p) {
    int64_t i1;
    const coll *c = p->c;
    if (p->na < 1 || !cdt_as_int(&p->a[0], &i1))
        return AERO_ERR_PARAMETER;
    p->single = true;
    if (i1 >= -(int64_t)c->n && i1 < (int64_t)c->n)
        p->sel[c->by_rank[i1 < 0 ? c->n + i1 : i1]] = true;
    return 0;
}

/* get_range [index, count?], index or rank range [rt, index, count?] */
static int pick_range(pick *p) {
    int64_t i1, i2 = 0;
    uint32_t s, e;
    if (p->na < 1 || !cdt_as_int(&p->a[0], &i1))
        return AERO_ERR_PARAMETER;
    bool hc = p->na > 1 && cdt_as_int(&p->a[1], &i2);
    range(i1, hc, i2, p->c->n, &s, &e);
    bool by_rank = p->opc == AERO_LIST_OP_GET_BY_RANK_RANGE || p->opc == AERO_MAP_OP_GET_BY_RANK_RANGE;
    for (uint32_t i = s; i < e; i++)
        p->sel[by_rank ? p->c->by_rank[i] : i] = true;
    return 0;
}

static int pick_key(pick *p) {
    if (p->na < 1)
        return AERO_ERR_PARAMETER;
    p->single = true;
    for (uint32_t i = 0; i < p->c->n; i++)
        if (cdt_cmpv(&p->c->k[i], p->a[0].p, p->a[0].n) == 0) {
            p->sel[i] = true;
            break;
        }
    return 0;
}

/* every element equal to the value */
static int pick_value(pick *p) {
    if (p->na < 1)
        return AERO_ERR_PARAMETER;
    for (uint32_t i = 0; i < p->c->n; i++)
        p->sel[i] = cdt_cmpv(&p->c->v[i], p->a[0].p, p->a[0].n) == 0;
    return 0;
}

/* by value list, or (maps) by key list */
static int pick_list(pick *p) {
    if (p->na < 1)
        return AERO_ERR_PARAMETER;
    mp_reader lr = { p->a[0].p, p->a[0].p + p->a[0].n };
    mp_obj lo;
    if (!mp_read(&lr, &lo) || lo.type != MP_ARRAY)
        return AERO_ERR_PARAMETER;
    bool keys = p->opc == AERO_MAP_OP_GET_BY_KEY_LIST;
    for (uint32_t k = 0; k < lo.len; k++) {
        span x;
        if (!mp_span(&lr, &x.p, &x.n))
            return AERO_ERR_PARAMETER;
        for (uint32_t i = 0; i < p->c->n; i++)
            if (cdt_cmpv(keys ? &p->c->k[i] : &p->c->v[i], x.p, x.n) == 0)
                p->sel[i] = true;
    }
    return 0;
}

/* value or key interval [begin, end) */
static int pick_interval(pick *p) {
    if (p->na < 1)
        return AERO_ERR_PARAMETER;
    bool has_end = p->na > 1, keys = p->opc == AERO_MAP_OP_GET_BY_KEY_INTERVAL;
    for (uint32_t i = 0; i < p->c->n; i++) {
        const span *x = keys ? &p->c->k[i] : &p->c->v[i];
        p->sel[i] = cdt_cmpv(x, p->a[0].p, p->a[0].n) >= 0 && (!has_end || cdt_cmpv(x, p->a[1].p, p->a[1].n) < 0);
    }
    return 0;
}

/* relative rank range [value, rank, count?], or (maps) relative index range [key, index, count?] */
static int pick_relative(pick *p) {
    int64_t i1, i2 = 0;
    const coll *c = p->c;
    if (p->na < 2 || !cdt_as_int(&p->a[1], &i1))
        return AERO_ERR_PARAMETER;
    bool hc = p->na > 2 && cdt_as_int(&p->a[2], &i2);
    bool keys = p->opc == AERO_MAP_OP_GET_BY_KEY_REL_INDEX_RANGE;
    uint32_t origin = 0;
    for (uint32_t k = 0; k < c->n; k++) {
        const span *x = keys ? &c->k[k] : &c->v[c->by_rank[k]];
        if (cdt_cmpv(x, p->a[0].p, p->a[0].n) < 0)
            origin++;
    }
    int64_t st = (int64_t)origin + i1;
    int64_t en = hc ? st + i2 : (int64_t)c->n;
    if (st < 0)
        st = 0;
    if (en > (int64_t)c->n)
        en = c->n;
    for (int64_t k = st; k < en; k++)
        p->sel[keys ? (uint32_t)k : c->by_rank[k]] = true;
    return 0;
}

static const pick_fn PICKS[AERO_MAP_OP_GET_BY_VALUE_REL_RANK_RANGE + 1] = {
    [AERO_LIST_OP_GET] = pick_index,
    [AERO_LIST_OP_GET_RANGE] = pick_range,
    [AERO_LIST_OP_GET_BY_INDEX] = pick_index,
    [AERO_LIST_OP_GET_BY_VALUE] = pick_value,
    [AERO_LIST_OP_GET_BY_RANK] = pick_rank,
    [AERO_LIST_OP_GET_ALL_BY_VALUE] = pick_value,
    [AERO_LIST_OP_GET_ALL_BY_VALUE_LIST] = pick_list,
    [AERO_LIST_OP_GET_BY_INDEX_RANGE] = pick_range,
    [AERO_LIST_OP_GET_BY_VALUE_INTERVAL] = pick_interval,
    [AERO_LIST_OP_GET_BY_RANK_RANGE] = pick_range,
    [AERO_LIST_OP_GET_BY_VALUE_REL_RANK_RANGE] = pick_relative,
    [AERO_MAP_OP_GET_BY_KEY] = pick_key,
    [AERO_MAP_OP_GET_BY_INDEX] = pick_index,
    [AERO_MAP_OP_GET_BY_VALUE] = pick_value,
    [AERO_MAP_OP_GET_BY_RANK] = pick_rank,
    [AERO_MAP_OP_GET_ALL_BY_VALUE] = pick_value,
    [AERO_MAP_OP_GET_BY_KEY_INTERVAL] = pick_interval,
    [AERO_MAP_OP_GET_BY_INDEX_RANGE] = pick_range,
    [AERO_MAP_OP_GET_BY_VALUE_INTERVAL] = pick_interval,
    [AERO_MAP_OP_GET_BY_RANK_RANGE] = pick_range,
    [AERO_MAP_OP_GET_BY_KEY_LIST] = pick_list,
    [AERO_MAP_OP_GET_BY_VALUE_LIST] = pick_list,
    [AERO_MAP_OP_GET_BY_KEY_REL_INDEX_RANGE] = pick_relative,
    [AERO_MAP_OP_GET_BY_VALUE_REL_RANK_RANGE] = pick_relative,
};

int cdt_select(const coll *c, int64_t opc, const span *a, int na, bool *sel, int64_t *rtp, bool *singlep) {
    int64_t rt = AERO_CDT_RT_VALUE;
    bool legacy_get = opc == AERO_LIST_OP_GET || opc == AERO_LIST_OP_GET_RANGE; /* [index(, count)], no return type */
    int ai = 0;
    if (!legacy_get) {
        if (na < 1 || !cdt_as_int(&a[0], &rt))
            return AERO_ERR_PARAMETER;
        ai = 1;
    }
    pick p = { .c = c, .opc = opc, .a = a + ai, .na = na - ai, .sel = sel };
    pick_fn fn = opc >= 0 && opc <= AERO_MAP_OP_GET_BY_VALUE_REL_RANK_RANGE ? PICKS[opc] : NULL;
    int rc = fn ? fn(&p) : AERO_ERR_OP_NOT_APPLICABLE;
    if (legacy_get)
        rt = AERO_CDT_RT_VALUE;
    *rtp = rt;
    *singlep = p.single && opc != AERO_LIST_OP_GET_RANGE;
    return rc;
}

static int run_op(const coll *c, const uint8_t *op, size_t opn, aero_buf *out) {
    mp_reader r = { op, op + opn };
    mp_obj o, code;
    if (!mp_read(&r, &o) || o.type != MP_ARRAY || o.len < 1 || !mp_read(&r, &code) || code.type != MP_INT)
        return AERO_ERR_PARAMETER;
    span a[4];
    int na = cdt_args(&r, o.len - 1, a, 4);
    if (na < 0)
        return AERO_ERR_PARAMETER;
    int64_t opc = code.i;
    if ((opc >= AERO_MAP_OP_SET_TYPE) != c->is_map)
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    if (opc == AERO_LIST_OP_SIZE || opc == AERO_MAP_OP_SIZE) {
        mp_put_int(out, c->n);
        return 0;
    }
    bool *sel = calloc(c->n ? c->n : 1, sizeof *sel);
    if (!sel)
        return AERO_ERR_SERVER;
    int64_t rt;
    bool single;
    int rc = cdt_select(c, opc, a, na, sel, &rt, &single);
    if (rc == 0)
        rc = cdt_emit(c, sel, rt, single, out);
    free(sel);
    return rc;
}

int cdt_find(const coll *c, int type, const span *v) {
    type &= AERO_CDT_CTX_TYPE_MASK;
    if ((type >= AERO_CDT_CTX_MAP) != c->is_map)
        return -AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    int64_t idx = 0;
    switch (type) {
    case AERO_CDT_CTX_LIST_INDEX:
    case AERO_CDT_CTX_MAP_INDEX:
    case AERO_CDT_CTX_LIST_RANK:
    case AERO_CDT_CTX_MAP_RANK:
        if (!cdt_as_int(v, &idx))
            return -AERO_ERR_PARAMETER;
        if (idx < 0)
            idx += c->n;
        if (idx >= 0 && idx < (int64_t)c->n)
            return (type & AERO_CDT_CTX_RANK) ? (int)c->by_rank[idx] : (int)idx;
        return -AERO_ERR_ELEMENT_NOT_FOUND;
    case AERO_CDT_CTX_LIST_VALUE:
    case AERO_CDT_CTX_MAP_VALUE:
        for (uint32_t k = 0; k < c->n; k++)
            if (cdt_cmpv(&c->v[k], v->p, v->n) == 0)
                return (int)k;
        return -AERO_ERR_ELEMENT_NOT_FOUND;
    case AERO_CDT_CTX_MAP_KEY:
        for (uint32_t k = 0; k < c->n; k++)
            if (cdt_cmpv(&c->k[k], v->p, v->n) == 0)
                return (int)k;
        return -AERO_ERR_ELEMENT_NOT_FOUND;
    default: return -AERO_ERR_PARAMETER;
    }
}

/* Follow a context list; on success (p, n) is the selected element. */
static int navigate(const uint8_t **p, size_t *n, const uint8_t *ctx, size_t ctxn) {
    mp_reader r = { ctx, ctx + ctxn };
    mp_obj o;
    if (!mp_read(&r, &o) || o.type != MP_ARRAY || o.len % 2)
        return AERO_ERR_PARAMETER;
    for (uint32_t i = 0; i < o.len; i += 2) {
        mp_obj t;
        span v;
        if (!mp_read(&r, &t) || t.type != MP_INT || !mp_span(&r, &v.p, &v.n))
            return AERO_ERR_PARAMETER;
        coll c;
        int rc = cdt_coll_parse(*p, *n, &c);
        if (rc)
            return rc;
        int found = cdt_find(&c, (int)t.i, &v);
        if (found < 0) {
            cdt_coll_free(&c);
            return -found;
        }
        *p = c.v[found].p;
        *n = c.v[found].n;
        cdt_coll_free(&c);
    }
    return 0;
}

int ts_cdt_eval(const uint8_t *collb, size_t n, const uint8_t *payload, size_t plen, aero_buf *out) {
    mp_reader r = { payload, payload + plen };
    mp_obj o, first;
    const uint8_t *op = payload;
    size_t opn = plen;
    if (!mp_read(&r, &o) || o.type != MP_ARRAY || o.len < 1 || !mp_read(&r, &first) || first.type != MP_INT)
        return AERO_ERR_PARAMETER;
    if (first.i == AERO_CDT_OP_CONTEXT_EVAL) {
        span ctx;
        if (o.len != 3 || !mp_span(&r, &ctx.p, &ctx.n) || !mp_span(&r, &op, &opn))
            return AERO_ERR_PARAMETER;
        int rc = navigate(&collb, &n, ctx.p, ctx.n);
        if (rc)
            return rc;
    }
    coll c;
    int rc = cdt_coll_parse(collb, n, &c);
    if (rc)
        return rc;
    rc = run_op(&c, op, opn, out);
    cdt_coll_free(&c);
    return rc;
}

int ts_cdt_to_particle(const uint8_t *mpb, size_t n, uint8_t *ptype, uint8_t **data, uint32_t *dlen) {
    mp_reader r = { mpb, mpb + n };
    mp_obj o;
    *data = NULL;
    *dlen = 0;
    if (!mp_read(&r, &o))
        return AERO_ERR_PARAMETER;
    uint8_t tmp[8];
    const uint8_t *src = NULL;
    size_t len = 0;
    switch (o.type) {
    case MP_NIL: *ptype = AERO_PT_NULL; return 0;
    case MP_BOOL:
        *ptype = AERO_PT_BOOL;
        tmp[0] = o.b;
        src = tmp;
        len = 1;
        break;
    case MP_INT:
        *ptype = AERO_PT_INTEGER;
        aero_set_u64be(tmp, (uint64_t)o.i);
        src = tmp;
        len = 8;
        break;
    case MP_FLOAT: {
        uint64_t u;
        memcpy(&u, &o.f, 8);
        *ptype = AERO_PT_FLOAT;
        aero_set_u64be(tmp, u);
        src = tmp;
        len = 8;
        break;
    }
    case MP_STR:
        if (o.len == 0) {
            *ptype = AERO_PT_BLOB;
            return 0;
        }
        *ptype = o.p[0] == 0x17 ? AERO_PT_GEOJSON : o.p[0];
        if (*ptype == AERO_PT_GEOJSON) {
            /* geojson particle: flags, ncells = 0, json */
            uint8_t *d = malloc(3 + o.len - 1);
            if (!d)
                return AERO_ERR_SERVER;
            d[0] = d[1] = d[2] = 0;
            memcpy(d + 3, o.p + 1, o.len - 1);
            *data = d;
            *dlen = 3 + o.len - 1;
            return 0;
        }
        src = o.p + 1;
        len = o.len - 1;
        break;
    case MP_BIN:
        *ptype = AERO_PT_BLOB;
        src = o.p;
        len = o.len;
        break;
    case MP_ARRAY:
    case MP_MAP:
        *ptype = o.type == MP_ARRAY ? AERO_PT_LIST : AERO_PT_MAP;
        src = mpb;
        len = n;
        break;
    default: return AERO_ERR_PARAMETER;
    }
    if (len) {
        *data = malloc(len);
        if (!*data)
            return AERO_ERR_SERVER;
        memcpy(*data, src, len);
        *dlen = (uint32_t)len;
    }
    return 0;
}

int ts_cdt_read_op(const ts_bin *b, const uint8_t *payload, size_t len, uint8_t *ptype, uint8_t **data,
                   uint32_t *dlen) {
    if (!b)
        return TS_CDT_NO_BIN;
    if (b->ptype != AERO_PT_LIST && b->ptype != AERO_PT_MAP)
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    aero_buf out;
    aero_buf__init(&out, NULL, 0);
    int rc = ts_cdt_eval(b->data, b->len, payload, len, &out);
    if (rc == 0)
        rc = out.failed ? AERO_ERR_SERVER : ts_cdt_to_particle(out.data, out.len, ptype, data, dlen);
    aero_buf__free(&out);
    return rc;
}
