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

/*
 * Resolve a ranged selection as the server does: the count is unsigned (a
 * negative count reaches the end), a negative index counts from the end,
 * and a range starting before the first element loses what lies before it.
 */
void cdt_range(int64_t index, bool has_count, int64_t count, uint32_t n, uint32_t *start, uint32_t *end) {
    uint64_t cnt = has_count ? (uint64_t)count : UINT64_MAX;
    if (index >= (int64_t)n) {
        *start = *end = n;
        return;
    }
    if (index < 0)
        index += n;
    if (index < 0) {
        uint64_t before = (uint64_t)0 - (uint64_t)index;
        cnt = before < cnt ? cnt - before : 0;
        index = 0;
    }
    *start = (uint32_t)index;
    *end = cnt >= (uint64_t)(n - *start) ? n : *start + (uint32_t)cnt;
}

int cdt_cmpv(const span *a, const uint8_t *b, size_t bn) {
    bool ok;
    return mp_cmp(a->p, a->n, b, bn, &ok);
}

/* Whether a return type applies to the collection kind (the server answers 26 otherwise). */
static bool rt_valid(const coll *c, int base) {
    switch (base) {
    case AERO_CDT_RT_NONE:
    case AERO_CDT_RT_INDEX:
    case AERO_CDT_RT_REVERSE_INDEX:
    case AERO_CDT_RT_RANK:
    case AERO_CDT_RT_REVERSE_RANK:
    case AERO_CDT_RT_COUNT:
    case AERO_CDT_RT_VALUE:
    case AERO_CDT_RT_EXISTS: return true;
    case AERO_CDT_RT_KEY:
    case AERO_CDT_RT_KEY_VALUE:
    case AERO_CDT_RT_UNORDERED_MAP:
    case AERO_CDT_RT_ORDERED_MAP: return c->is_map;
    default: return false;
    }
}

/* A map result: KEY_VALUE keeps the selection's order (flag 8), ORDERED_MAP is key-ordered (flag 1). */
static void emit_map(const coll *c, const uint32_t *ord, uint32_t m, int base, aero_buf *out) {
    uint8_t flags = base == AERO_CDT_RT_KEY_VALUE     ? AERO_CDT_ORDER_MAP_PRESERVE
                    : base == AERO_CDT_RT_ORDERED_MAP ? AERO_CDT_ORDER_ORDERED
                                                      : 0;
    mp_put_map(out, m + (flags ? 1 : 0));
    if (flags) {
        uint8_t h[4] = { 0xc7, 0x00, flags, 0xc0 };
        aero_buf__put(out, h, 4);
    }
    for (uint32_t j = 0; j < m; j++) {
        uint32_t i = base == AERO_CDT_RT_ORDERED_MAP || base == AERO_CDT_RT_UNORDERED_MAP ? ord[m + j] : ord[j];
        aero_buf__put(out, c->k[i].p, c->k[i].n);
        aero_buf__put(out, c->v[i].p, c->v[i].n);
    }
}

static int64_t rt_number(const coll *c, int base, uint32_t i) {
    switch (base) {
    case AERO_CDT_RT_INDEX: return i;
    case AERO_CDT_RT_REVERSE_INDEX: return (int64_t)c->n - 1 - i;
    case AERO_CDT_RT_RANK: return rank_of(c, i);
    default: return (int64_t)c->n - 1 - rank_of(c, i);
    }
}

static int heap_cmp(const coll *c, uint32_t a, uint32_t b) {
    int r = cdt_cmpv(&c->v[a], c->v[b].p, c->v[b].n);
    return r < 0 ? -1 : r > 0;
}

/* Sift h[i] down a binary heap of `filled` entries ordered by `want` (-1 min-heap, 1 max-heap). */
static void heap_sift(const coll *c, uint32_t *h, uint32_t filled, uint32_t i, int want) {
    for (;;) {
        uint32_t c1 = 2 * i + 1, c2 = 2 * i + 2, ch;
        if (c1 >= filled)
            return;
        if (c2 >= filled) {
            ch = c1;
        } else {
            int r = heap_cmp(c, h[c1], h[c2]);
            ch = r == want || r == 0 ? c1 : c2;
        }
        if (heap_cmp(c, h[ch], h[i]) != want)
            return;
        uint32_t t = h[i];
        h[i] = h[ch];
        h[ch] = t;
        i = ch;
    }
}

/*
 * The order in which the server writes the values of an unordered list's
 * rank range [idx, idx + count): it takes the nearer end of the value order
 * off a heap, and answers the last `count` taken in reverse (so ranks come
 * descending when taken from the low end, ascending from the high end).
 * Fills out[0..count).
 */
static bool heap_order(const coll *c, uint32_t idx, uint32_t count, uint32_t *out) {
    uint32_t n = c->n, tail = n - idx - count, discard = idx <= tail ? idx : tail;
    int want = idx <= tail ? -1 : 1;
    uint32_t *h = malloc((n ? n : 1) * sizeof *h);
    if (!h)
        return false;
    for (uint32_t i = 0; i < n; i++)
        h[i] = i;
    for (int64_t i = (int64_t)n / 2 - 1; i >= 0; i--)
        heap_sift(c, h, n, (uint32_t)i, want);
    uint32_t filled = n, end = n - 1;
    for (uint32_t k = 0; k < count + discard; k++) {
        uint32_t top = h[0];
        h[0] = h[--filled];
        heap_sift(c, h, filled, 0, want);
        h[end--] = top;
    }
    memcpy(out, h + filled, count * sizeof *out);
    free(h);
    return true;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Rank numbers of the selection, ascending as the server answers them. */
static void emit_ranks(const coll *c, const uint32_t *ord, uint32_t m, int base, aero_buf *out) {
    int64_t *v = malloc((m ? m : 1) * sizeof *v);
    mp_put_array(out, m);
    if (!v) {
        out->failed = true;
        return;
    }
    for (uint32_t j = 0; j < m; j++)
        v[j] = rt_number(c, base, ord[j]);
    qsort(v, m, sizeof *v, cmp_i64);
    for (uint32_t j = 0; j < m; j++)
        mp_put_int(out, v[j]);
    free(v);
}

/*
 * Write the result for the selected elements (sel[i] true, or false when
 * inverted): in rank order when rank_start >= 0 (the first rank of a rank
 * range; an unordered list's values then come in the server's heap order),
 * else in
 * index order. A single-result op that selected nothing answers the
 * server's not-found value (-1 for indexes and ranks, nil for values).
 */
int cdt_emit_sel(const coll *c, const bool *sel, int64_t rt, bool single, int64_t rank_start, aero_buf *out) {
    bool by_rank = rank_start >= 0;
    bool inv = (rt & AERO_CDT_RT_INVERTED) != 0;
    int base = (int)(rt & ~(int64_t)AERO_CDT_RT_INVERTED);
    if (!rt_valid(c, base))
        return AERO_ERR_OP_NOT_APPLICABLE;
    /* ord[0..m): the selection in result order; ord[m..2m): the same in index order */
    uint32_t *ord = malloc((c->n ? c->n : 1) * 2 * sizeof *ord);
    if (!ord)
        return AERO_ERR_SERVER;
    uint32_t m = 0;
    for (uint32_t r = 0; r < c->n; r++) {
        uint32_t i = by_rank && c->is_map ? c->by_rank[r] : r;
        if (sel[i] != inv)
            ord[m++] = i;
    }
    for (uint32_t i = 0, k = m; i < c->n; i++)
        if (sel[i] != inv)
            ord[k++] = i;
    bool ordered_list = !c->is_map && c->has_ext && (c->flags & AERO_CDT_ORDER_ORDERED);
    if (by_rank && !c->is_map && !ordered_list && base == AERO_CDT_RT_VALUE && m &&
        !heap_order(c, (uint32_t)rank_start, m, ord)) {
        free(ord);
        return AERO_ERR_SERVER;
    }
    switch (base) {
    case AERO_CDT_RT_NONE: mp_put_nil(out); break;
    case AERO_CDT_RT_COUNT: mp_put_int(out, m); break;
    case AERO_CDT_RT_EXISTS: mp_put_bool(out, m > 0); break;
    case AERO_CDT_RT_INDEX:
    case AERO_CDT_RT_REVERSE_INDEX:
    case AERO_CDT_RT_RANK:
    case AERO_CDT_RT_REVERSE_RANK:
        if (single) {
            mp_put_int(out, m ? rt_number(c, base, ord[0]) : -1);
            break;
        }
        if (base == AERO_CDT_RT_RANK || base == AERO_CDT_RT_REVERSE_RANK) {
            emit_ranks(c, ord, m, base, out);
            break;
        }
        mp_put_array(out, m);
        for (uint32_t j = 0; j < m; j++)
            mp_put_int(out, rt_number(c, base, ord[j]));
        break;
    case AERO_CDT_RT_KEY:
    case AERO_CDT_RT_VALUE:
        if (single && m == 0)
            mp_put_nil(out);
        if (!single)
            mp_put_array(out, m);
        for (uint32_t j = 0; j < m && (!single || j == 0); j++) {
            const span *s = base == AERO_CDT_RT_KEY ? &c->k[ord[j]] : &c->v[ord[j]];
            aero_buf__put(out, s->p, s->n);
        }
        break;
    default: emit_map(c, ord, m, base, out); break;
    }
    free(ord);
    return 0;
}

int cdt_emit(const coll *c, const bool *sel, int64_t rt, bool single, aero_buf *out) {
    return cdt_emit_sel(c, sel, rt, single, -1, out);
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
    bool by_rank;        /* the result is written in rank order */
    uint32_t rank_start; /* then: the first rank selected */
} pick;

typedef int (*pick_fn)(pick *p);

/*
 * Select ranks [start, start + count). An unordered list takes them as the
 * server does, off a heap, so which of equal values is taken matches it.
 */
static int select_ranks(pick *p, uint32_t start, uint32_t count) {
    const coll *c = p->c;
    p->by_rank = true;
    p->rank_start = start;
    if (c->is_map || (c->has_ext && (c->flags & AERO_CDT_ORDER_ORDERED)) || count == 0) {
        for (uint32_t k = start; k < start + count; k++)
            p->sel[c->by_rank[k]] = true;
        return 0;
    }
    uint32_t *o = malloc(count * sizeof *o);
    if (!o || !heap_order(c, start, count, o)) {
        free(o);
        return AERO_ERR_SERVER;
    }
    for (uint32_t j = 0; j < count; j++)
        p->sel[o[j]] = true;
    free(o);
    return 0;
}

/* get [index], get_by_index [rt, index] */
static int pick_index(pick *p) {
    int64_t i1;
    uint32_t s, e, n = p->c->n;
    if (p->na < 1 || !cdt_as_int(&p->a[0], &i1))
        return AERO_ERR_PARAMETER;
    p->single = true;
    if (i1 < -(int64_t)n || i1 >= (int64_t)n)
        return AERO_ERR_OP_NOT_APPLICABLE;
    cdt_range(i1, true, 1, n, &s, &e);
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
    if (i1 < -(int64_t)c->n || i1 >= (int64_t)c->n)
        return AERO_ERR_OP_NOT_APPLICABLE;
    return select_ranks(p, (uint32_t)(i1 < 0 ? c->n + i1 : i1), 1);
}

/* get_range [index, count?], index or rank range [rt, index, count?] */
static int pick_range(pick *p) {
    int64_t i1, i2 = 0;
    uint32_t s, e;
    if (p->na < 1 || !cdt_as_int(&p->a[0], &i1))
        return AERO_ERR_PARAMETER;
    bool hc = p->na > 1 && cdt_as_int(&p->a[1], &i2);
    cdt_range(i1, hc, i2, p->c->n, &s, &e);
    if (p->opc == AERO_LIST_OP_GET_BY_RANK_RANGE || p->opc == AERO_MAP_OP_GET_BY_RANK_RANGE)
        return select_ranks(p, s, e - s);
    for (uint32_t i = s; i < e; i++)
        p->sel[i] = true;
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

/* every element equal to the value; get_by_value (list 20, map 99): the first one */
static int pick_value(pick *p) {
    if (p->na < 1)
        return AERO_ERR_PARAMETER;
    p->single = p->opc == AERO_LIST_OP_GET_BY_VALUE || p->opc == AERO_MAP_OP_GET_BY_VALUE;
    bool found = false;
    for (uint32_t i = 0; i < p->c->n; i++) {
        p->sel[i] = !(p->single && found) && cdt_cmpv(&p->c->v[i], p->a[0].p, p->a[0].n) == 0;
        found = found || p->sel[i];
    }
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
    /* the server's relative range: origin + offset, an unsigned count, nothing before 0 */
    uint64_t cnt = hc ? (uint64_t)i2 : UINT64_MAX;
    int64_t st = i1 > INT64_MAX - (int64_t)origin ? INT64_MAX : (int64_t)origin + i1;
    if (st < 0) {
        uint64_t before = (uint64_t)0 - (uint64_t)st;
        cnt = cnt > before ? cnt - before : 0;
        st = 0;
    }
    if (!keys) {
        uint64_t s = (uint64_t)st < c->n ? (uint64_t)st : c->n;
        return select_ranks(p, (uint32_t)s, (uint32_t)(cnt < c->n - s ? cnt : c->n - s));
    }
    for (uint64_t k = (uint64_t)st; k < c->n && k - (uint64_t)st < cnt; k++)
        p->sel[k] = true;
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

int cdt_select(const coll *c, int64_t opc, const span *a, int na, bool *sel, int64_t *rtp, bool *singlep,
               int64_t *rank_startp) {
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
    *rank_startp = p.by_rank && !(rt & AERO_CDT_RT_INVERTED) ? (int64_t)p.rank_start : -1;
    if (rc == 0 && *singlep && (rt & AERO_CDT_RT_INVERTED)) /* one element cannot be inverted */
        rc = AERO_ERR_OP_NOT_APPLICABLE;
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
    int64_t rank_start;
    int rc = cdt_select(c, opc, a, na, sel, &rt, &single, &rank_start);
    if (rc == 0)
        rc = cdt_emit_sel(c, sel, rt, single, rank_start, out);
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
    default: return -AERO_ERR_OP_NOT_APPLICABLE;
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
        if (found < 0) { /* missing, or of the other collection kind: not applicable */
            cdt_coll_free(&c);
            return found == -AERO_ERR_PARAMETER ? AERO_ERR_PARAMETER : AERO_ERR_OP_NOT_APPLICABLE;
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
