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
    case AERO_CDT_RT_EXISTS:
    case AERO_CDT_RT_INDEX_RANGE:
    case AERO_CDT_RT_REVERSE_INDEX_RANGE:
    case AERO_CDT_RT_RANK_RANGE:
    case AERO_CDT_RT_REVERSE_RANK_RANGE: return true;
    case AERO_CDT_RT_KEY:
    case AERO_CDT_RT_KEY_VALUE:
    case AERO_CDT_RT_UNORDERED_MAP:
    case AERO_CDT_RT_ORDERED_MAP: return c->is_map;
    default: return false;
    }
}

static bool ordered_list(const coll *c) { return !c->is_map && c->has_ext && (c->flags & AERO_CDT_ORDER_ORDERED); }
static bool key_ordered(const coll *c) { return c->is_map && c->has_ext && (c->flags & AERO_CDT_ORDER_ORDERED); }
static bool rt_is_index_range(int b) { return b == AERO_CDT_RT_INDEX_RANGE || b == AERO_CDT_RT_REVERSE_INDEX_RANGE; }
static bool rt_is_rank_range(int b) { return b == AERO_CDT_RT_RANK_RANGE || b == AERO_CDT_RT_REVERSE_RANK_RANGE; }
static bool rt_is_elements(int b) {
    return b == AERO_CDT_RT_KEY || b == AERO_CDT_RT_VALUE || b == AERO_CDT_RT_KEY_VALUE ||
           b == AERO_CDT_RT_UNORDERED_MAP || b == AERO_CDT_RT_ORDERED_MAP;
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
 * The elements of rank range [idx, idx + count) as the server takes them
 * from an unordered collection: the nearer end of the value order comes off
 * a heap, and the last `count` taken are the range (which of equal values is
 * taken follows the heap), answered in the heap's order (descending when
 * taken from the low end, ascending from the high end).
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
    for (uint32_t j = 0; j < count; j++)
        out[j] = h[filled + j];
    free(h);
    return true;
}

/* The answer being written: the collection, the selection and its return type. */
typedef struct em {
    const coll *c;
    cdt_sel *s;
    int base;
    bool inv, single, rev;
    uint32_t n;
    uint32_t *idx; /* scratch: n element indices */
    aero_buf *out;
} em;

/* A list element's rank as the server answers it one at a time: how many values are smaller. */
static uint32_t rank_low(const coll *c, uint32_t i) {
    uint32_t r = c->rank[i];
    while (r > 0 && heap_cmp(c, c->by_rank[r - 1], i) == 0)
        r--;
    return r;
}

/*
 * The rank of element i as the server writes it: a list's counts the
 * smaller values (equal ones share the lowest rank); a map's is its place
 * in (value, key) order, the server breaking value ties by key.
 */
static uint32_t elem_rank(const em *e, uint32_t i) {
    const coll *c = e->c;
    if (ordered_list(c))
        return i;
    return c->is_map ? c->rank[i] : rank_low(c, i);
}

/* `count` numbers from start, ascending; reversed numbering counts from the end. */
static void put_range(em *e, uint32_t start, uint32_t count) {
    if (e->rev)
        start = e->n - start - count;
    for (uint32_t j = 0; j < count; j++)
        mp_put_int(e->out, (int64_t)start + j);
}

static void put_int2(aero_buf *out, int64_t a, int64_t b) {
    mp_put_array(out, 2);
    mp_put_int(out, a);
    mp_put_int(out, b);
}

/* A map result: KEY_VALUE keeps the selection's order (flag 8), ORDERED_MAP is key-ordered (flag 1). */
static void emit_map(const coll *c, const uint32_t *idx, uint32_t m, int base, aero_buf *out) {
    uint8_t flags = base == AERO_CDT_RT_KEY_VALUE     ? AERO_CDT_ORDER_MAP_PRESERVE
                    : base == AERO_CDT_RT_ORDERED_MAP ? AERO_CDT_ORDER_ORDERED
                                                      : 0;
    mp_put_map(out, m + (flags ? 1 : 0));
    if (flags) {
        uint8_t h[4] = { 0xc7, 0x00, flags, 0xc0 };
        aero_buf__put(out, h, 4);
    }
    for (uint32_t j = 0; j < m; j++) {
        aero_buf__put(out, c->k[idx[j]].p, c->k[idx[j]].n);
        aero_buf__put(out, c->v[idx[j]].p, c->v[idx[j]].n);
    }
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Elements idx[0..m) (in answer order) as keys, values or a map. */
static void put_elems(em *e, uint32_t *idx, uint32_t m) {
    const coll *c = e->c;
    if (e->base == AERO_CDT_RT_KEY || e->base == AERO_CDT_RT_VALUE) {
        if (e->single && m == 0) {
            mp_put_nil(e->out);
            return;
        }
        if (!e->single)
            mp_put_array(e->out, m);
        for (uint32_t j = 0; j < m && (!e->single || j == 0); j++) {
            const span *s = e->base == AERO_CDT_RT_KEY ? &c->k[idx[j]] : &c->v[idx[j]];
            aero_buf__put(e->out, s->p, s->n);
        }
        return;
    }
    if (e->base == AERO_CDT_RT_ORDERED_MAP) /* key order: maps are held key-sorted */
        qsort(idx, m, sizeof *idx, cmp_u32);
    emit_map(c, idx, m, e->base, e->out);
}

/* Index (rank = false) or rank numbers of elements idx[0..m), in that order. */
static void put_numbers(em *e, const uint32_t *idx, uint32_t m, bool rank) {
    if (e->single) {
        mp_put_int(e->out, m == 0 ? -1
                                  : (int64_t)(e->rev ? e->n - 1 - (rank ? elem_rank(e, idx[0]) : idx[0])
                                                     : (rank ? elem_rank(e, idx[0]) : idx[0])));
        return;
    }
    mp_put_array(e->out, m);
    for (uint32_t j = 0; j < m; j++) {
        uint32_t v = rank ? elem_rank(e, idx[j]) : idx[j];
        mp_put_int(e->out, e->rev ? (int64_t)e->n - 1 - v : v);
    }
}

/* The elements marked in rm, in index order, into e->idx; their count. */
static uint32_t by_mask(em *e) {
    uint32_t m = 0;
    for (uint32_t i = 0; i < e->n; i++)
        if (e->s->rm[i])
            e->idx[m++] = i;
    return m;
}

/* rm = the selection, or (inverted) the rest. */
static void mark_sel(em *e, const bool *sel, bool inv) {
    for (uint32_t i = 0; i < e->n; i++)
        e->s->rm[i] = sel[i] != inv;
}

static void mark_range(em *e, uint32_t start, uint32_t count, bool inv) {
    for (uint32_t i = 0; i < e->n; i++)
        e->s->rm[i] = (i >= start && i < start + count) != inv;
}

/* What the server answers when nothing is selected. */
static int not_found(em *e, int64_t index) {
    memset(e->s->rm, 0, e->n * sizeof *e->s->rm);
    switch (e->base) {
    case AERO_CDT_RT_NONE: mp_put_nil(e->out); break;
    case AERO_CDT_RT_INDEX_RANGE:
    case AERO_CDT_RT_REVERSE_INDEX_RANGE:
    case AERO_CDT_RT_RANK_RANGE:
    case AERO_CDT_RT_REVERSE_RANK_RANGE: put_int2(e->out, index, 0); break;
    case AERO_CDT_RT_INDEX:
    case AERO_CDT_RT_REVERSE_INDEX:
    case AERO_CDT_RT_RANK:
    case AERO_CDT_RT_REVERSE_RANK:
        if (e->single)
            mp_put_int(e->out, -1);
        else
            mp_put_array(e->out, 0);
        break;
    case AERO_CDT_RT_COUNT: mp_put_int(e->out, 0); break;
    case AERO_CDT_RT_EXISTS: mp_put_bool(e->out, false); break;
    case AERO_CDT_RT_KEY:
    case AERO_CDT_RT_VALUE:
        if (e->single)
            mp_put_nil(e->out);
        else
            mp_put_array(e->out, 0);
        break;
    default: emit_map(e->c, NULL, 0, e->base, e->out); break;
    }
    return 0;
}

/*
 * Numbers of a contiguous index or rank range [start, start + count) (or,
 * inverted, of everything else), and COUNT / EXISTS from that range as the
 * server computes them: inverted, EXISTS answers whether the range is empty.
 */
static int index_rank_count(em *e, uint32_t start, uint32_t count, bool inv) {
    uint32_t n = e->n;
    switch (e->base) {
    case AERO_CDT_RT_NONE: mp_put_nil(e->out); return 0;
    case AERO_CDT_RT_COUNT: mp_put_int(e->out, inv ? n - count : count); return 0;
    case AERO_CDT_RT_EXISTS: mp_put_bool(e->out, inv ? count == 0 : count != 0); return 0;
    case AERO_CDT_RT_INDEX:
    case AERO_CDT_RT_REVERSE_INDEX:
    case AERO_CDT_RT_RANK:
    case AERO_CDT_RT_REVERSE_RANK:
        if (e->single) {
            mp_put_int(e->out, count == 0 ? -1 : (int64_t)(e->rev ? n - start - 1 : start));
        } else if (inv) {
            mp_put_array(e->out, n - count);
            put_range(e, 0, start);
            put_range(e, start + count, n - start - count);
        } else {
            mp_put_array(e->out, count);
            put_range(e, start, count);
        }
        return 0;
    default: return AERO_ERR_OP_NOT_APPLICABLE;
    }
}

/* index_rank_count, and the [start, count] answers of the range return types. */
static int set_range(em *e, uint32_t start, uint32_t count, bool inv) {
    switch (e->base) {
    case AERO_CDT_RT_REVERSE_INDEX_RANGE:
    case AERO_CDT_RT_REVERSE_RANK_RANGE: start = e->n - start - count; /* fall through */
    case AERO_CDT_RT_INDEX_RANGE:
    case AERO_CDT_RT_RANK_RANGE:
        if (inv)
            return AERO_ERR_OP_NOT_APPLICABLE;
        put_int2(e->out, start, count);
        return 0;
    default: return index_rank_count(e, start, count, inv);
    }
}

/* Every element of a map selected (the server's remove-all answer). */
static int emit_all(em *e) {
    uint32_t n = e->n;
    mark_range(e, 0, n, false);
    switch (e->base) {
    case AERO_CDT_RT_NONE: mp_put_nil(e->out); return 0;
    case AERO_CDT_RT_INDEX:
    case AERO_CDT_RT_REVERSE_INDEX:
    case AERO_CDT_RT_RANK:
    case AERO_CDT_RT_REVERSE_RANK:
        if (e->single) {
            mp_put_int(e->out, 0);
        } else {
            mp_put_array(e->out, n);
            put_range(e, 0, n);
        }
        return 0;
    case AERO_CDT_RT_COUNT: mp_put_int(e->out, n); return 0;
    case AERO_CDT_RT_EXISTS: mp_put_bool(e->out, n != 0); return 0;
    case AERO_CDT_RT_INDEX_RANGE:
    case AERO_CDT_RT_REVERSE_INDEX_RANGE:
    case AERO_CDT_RT_RANK_RANGE:
    case AERO_CDT_RT_REVERSE_RANK_RANGE: put_int2(e->out, 0, n); return 0;
    default: put_elems(e, e->idx, by_mask(e)); return 0;
    }
}

/* Everything outside index range [start, start + count), 0 < start, start + count < n (the server's trim). */
static int emit_trim(em *e, uint32_t start, uint32_t count) {
    uint32_t n = e->n, rmc = n - count;
    mark_range(e, start, count, true);
    switch (e->base) {
    case AERO_CDT_RT_NONE: mp_put_nil(e->out); return 0;
    case AERO_CDT_RT_COUNT: mp_put_int(e->out, rmc); return 0;
    case AERO_CDT_RT_EXISTS: mp_put_bool(e->out, rmc != 0); return 0;
    case AERO_CDT_RT_INDEX:
    case AERO_CDT_RT_REVERSE_INDEX:
        mp_put_array(e->out, rmc);
        put_range(e, 0, start);
        put_range(e, start + count, n - start - count);
        return 0;
    case AERO_CDT_RT_RANK:
    case AERO_CDT_RT_REVERSE_RANK:
        if (ordered_list(e->c)) {
            mp_put_array(e->out, rmc);
            put_range(e, 0, start);
            put_range(e, start + count, n - start - count);
        } else {
            put_numbers(e, e->idx, by_mask(e), true);
        }
        return 0;
    default:
        if (!rt_is_elements(e->base))
            return AERO_ERR_OP_NOT_APPLICABLE;
        put_elems(e, e->idx, by_mask(e));
        return 0;
    }
}

/* Index range [start, start + count) (by index, index range, relative index range, and the ordered forms of the others). */
static int emit_index(em *e, uint32_t start, uint32_t count) {
    const coll *c = e->c;
    uint32_t n = e->n;
    if (c->is_map && rt_is_rank_range(e->base))
        return AERO_ERR_OP_NOT_APPLICABLE;
    if (e->inv) {
        if (e->single || (!c->is_map && (rt_is_index_range(e->base) || rt_is_rank_range(e->base))))
            return AERO_ERR_OP_NOT_APPLICABLE;
        e->inv = false;
        if (count == 0) { /* everything */
            start = 0;
            count = n;
        } else if (start == 0) { /* the tail */
            start = count;
            count = n - count;
        } else if (start + count >= n) { /* the head */
            count = start;
            start = 0;
        } else if (!c->is_map || key_ordered(c)) {
            return emit_trim(e, start, count);
        } else {
            e->inv = true; /* an unordered map answers the inverted range as it is */
        }
    }
    if (count == 0)
        return not_found(e, start);
    if (c->is_map && count == n)
        return emit_all(e);
    mark_range(e, start, count, e->inv);
    uint32_t m = by_mask(e);
    switch (e->base) {
    case AERO_CDT_RT_RANK:
    case AERO_CDT_RT_REVERSE_RANK:
        if (!c->is_map && count == n) /* the whole list: 0 .. n-1 whichever way */
            return index_rank_count(e, 0, n, false);
        if (ordered_list(c)) /* ranks are indexes: one run */
            return index_rank_count(e, start, count, false);
        put_numbers(e, e->idx, m, true);
        return 0;
    case AERO_CDT_RT_RANK_RANGE:
    case AERO_CDT_RT_REVERSE_RANK_RANGE:
        return ordered_list(c) ? set_range(e, start, count, false) : AERO_ERR_OP_NOT_APPLICABLE;
    default:
        if (rt_is_elements(e->base)) {
            put_elems(e, e->idx, m);
            return 0;
        }
        return set_range(e, start, count, e->inv);
    }
}

/* Elements matched by value (a value, every equal value, a value interval); start: how many values are smaller. */
static int emit_value(em *e, uint32_t start, uint32_t count) {
    const coll *c = e->c;
    uint32_t n = e->n;
    if (ordered_list(c)) {
        if (count == 0 && e->single)
            return not_found(e, 0);
        return emit_index(e, start, count);
    }
    if (c->is_map) {
        if (rt_is_index_range(e->base))
            return AERO_ERR_OP_NOT_APPLICABLE;
        if (n == 0)
            return not_found(e, -1);
        if (count == 0) {
            if (!e->inv)
                return not_found(e, start);
            e->inv = false;
            return emit_all(e);
        }
    }
    mark_sel(e, e->s->sel, e->inv);
    uint32_t m = by_mask(e);
    switch (e->base) {
    case AERO_CDT_RT_INDEX:
    case AERO_CDT_RT_REVERSE_INDEX: put_numbers(e, e->idx, m, false); return 0;
    case AERO_CDT_RT_INDEX_RANGE:
    case AERO_CDT_RT_REVERSE_INDEX_RANGE: return AERO_ERR_OP_NOT_APPLICABLE;
    default:
        if (rt_is_elements(e->base)) {
            put_elems(e, e->idx, m);
            return 0;
        }
        return set_range(e, start, count, e->inv);
    }
}

/* Rank range [start, start + count) (by rank, rank range, relative rank range). */
static int emit_rank(em *e, uint32_t start, uint32_t count) {
    const coll *c = e->c;
    uint32_t n = e->n;
    if (ordered_list(c))
        return emit_index(e, start, count);
    if (c->is_map) {
        if (rt_is_index_range(e->base))
            return AERO_ERR_OP_NOT_APPLICABLE;
        if (e->inv) {
            if (e->single)
                return AERO_ERR_OP_NOT_APPLICABLE;
            e->inv = false;
            if (count == 0) {
                start = 0;
                count = n;
            } else if (start == 0) {
                start = count;
                count = n - count;
            } else if (start + count >= n) {
                count = start;
                start = 0;
            } else {
                e->inv = true;
            }
        }
        if (count == 0)
            return not_found(e, start);
    } else if ((e->inv ? n - count : count) == 0) {
        return not_found(e, start);
    }
    /* the range's elements in the order the server takes them */
    uint32_t *ord = malloc((count ? count : 1) * sizeof *ord);
    if (!ord)
        return AERO_ERR_SERVER;
    if (c->is_map) { /* the server orders map values by (value, key): exactly the rank order */
        for (uint32_t j = 0; j < count; j++)
            ord[j] = c->by_rank[start + j];
    } else if (!heap_order(c, start, count, ord)) {
        free(ord);
        return AERO_ERR_SERVER;
    }
    memset(e->s->rm, 0, n * sizeof *e->s->rm);
    for (uint32_t j = 0; j < count; j++)
        e->s->rm[ord[j]] = true;
    if (e->inv)
        for (uint32_t i = 0; i < n; i++)
            e->s->rm[i] = !e->s->rm[i];
    int rc = 0;
    if (!c->is_map && e->inv && (e->single || rt_is_rank_range(e->base)))
        rc = AERO_ERR_OP_NOT_APPLICABLE;
    else if (e->base == AERO_CDT_RT_INDEX || e->base == AERO_CDT_RT_REVERSE_INDEX) {
        if (e->inv || !c->is_map)
            put_numbers(e, e->idx, by_mask(e), false);
        else
            put_numbers(e, ord, count, false);
    } else if (rt_is_elements(e->base)) {
        if (e->inv || e->base == AERO_CDT_RT_ORDERED_MAP)
            put_elems(e, e->idx, by_mask(e));
        else
            put_elems(e, ord, count);
    } else if (rt_is_index_range(e->base)) {
        rc = AERO_ERR_OP_NOT_APPLICABLE;
    } else if (c->is_map && rt_is_rank_range(e->base)) {
        rc = set_range(e, start, e->inv ? n - count : count, e->inv);
    } else {
        rc = c->is_map ? index_rank_count(e, start, count, e->inv) : set_range(e, start, count, e->inv);
    }
    free(ord);
    return rc;
}

/*
 * The server's rank (value lists) or index (key lists) answer per item:
 * each item's matches in item order (an unordered collection: of equal
 * items only the last given, reversed numbering per element; an ordered
 * one: every item, reversed numbering per run), or inverted the gaps
 * between the matches, in value order.
 */
static void put_items(em *e, uint32_t rmc, bool ordered) {
    const cdt_sel *s = e->s;
    if (!e->inv) {
        uint32_t total = 0;
        for (uint32_t i = 0; i < s->n_items; i++)
            total += ordered || s->item_last[i] ? s->item_cnt[i] : 0;
        mp_put_array(e->out, total);
        for (uint32_t i = 0; i < s->n_items; i++) {
            if (ordered) {
                put_range(e, s->item_at[i], s->item_cnt[i]);
                continue;
            }
            for (uint32_t j = 0; j < (s->item_last[i] ? s->item_cnt[i] : 0); j++)
                mp_put_int(e->out, e->rev ? (int64_t)e->n - 1 - (s->item_at[i] + j) : s->item_at[i] + j);
        }
        return;
    }
    mp_put_array(e->out, rmc);
    uint32_t prev = 0;
    for (uint32_t k = 0; k < s->n_items; k++) {
        uint32_t i = s->item_sorted[k];
        if (s->item_cnt[i] == 0 || !s->item_last[i])
            continue;
        put_range(e, prev, s->item_at[i] - prev);
        prev = s->item_at[i] + s->item_cnt[i];
    }
    put_range(e, prev, e->n - prev);
}

/* Elements matched by a value list (keys: a key list). */
static int emit_items(em *e, bool keys) {
    const coll *c = e->c;
    int b = e->base;
    if (rt_is_index_range(b) || rt_is_rank_range(b) ||
        (keys && (b == AERO_CDT_RT_RANK || b == AERO_CDT_RT_REVERSE_RANK) && e->s->n_items == 0))
        return AERO_ERR_OP_NOT_APPLICABLE;
    if (e->s->n_items == 0) {
        if (!e->inv)
            return not_found(e, 0);
        e->inv = false;
        return c->is_map ? emit_all(e) : emit_index(e, 0, e->n);
    }
    mark_sel(e, e->s->sel, e->inv);
    uint32_t m = by_mask(e);
    bool ordered = keys ? key_ordered(c) : ordered_list(c);
    switch (b) {
    case AERO_CDT_RT_NONE: mp_put_nil(e->out); return 0;
    case AERO_CDT_RT_COUNT: mp_put_int(e->out, m); return 0;
    case AERO_CDT_RT_EXISTS: mp_put_bool(e->out, m != 0); return 0;
    case AERO_CDT_RT_INDEX:
    case AERO_CDT_RT_REVERSE_INDEX:
        if (keys || (ordered && !e->inv))
            put_items(e, m, ordered);
        else
            put_numbers(e, e->idx, m, false);
        return 0;
    case AERO_CDT_RT_RANK:
    case AERO_CDT_RT_REVERSE_RANK:
        if (keys)
            return AERO_ERR_OP_NOT_APPLICABLE;
        if (ordered && e->inv)
            put_numbers(e, e->idx, m, false); /* an ordered list's ranks are its indexes */
        else
            put_items(e, m, ordered);
        return 0;
    default:
        if (ordered && !keys && !e->inv) { /* an ordered list: each item's run, in item order */
            const cdt_sel *s = e->s;
            uint32_t total = 0;
            for (uint32_t i = 0; i < s->n_items; i++)
                total += s->item_cnt[i];
            mp_put_array(e->out, total);
            for (uint32_t i = 0; i < s->n_items; i++)
                for (uint32_t j = 0; j < s->item_cnt[i]; j++)
                    aero_buf__put(e->out, c->v[s->item_at[i] + j].p, c->v[s->item_at[i] + j].n);
            return 0;
        }
        put_elems(e, e->idx, m);
        return 0;
    }
}

/*
 * Write the answer to a selection as server 8.1 writes it for its op and
 * return type (the order of indexes, ranks and elements follows the
 * server's way of computing each op), and mark in s->rm the elements it is
 * about (what a remove_by removes).
 */
int cdt_emit_sel(const coll *c, cdt_sel *s, aero_buf *out) {
    int base = (int)(s->rt & ~(int64_t)AERO_CDT_RT_INVERTED);
    if (!rt_valid(c, base))
        return AERO_ERR_OP_NOT_APPLICABLE;
    free(s->rm);
    s->rm = calloc(c->n ? c->n : 1, sizeof *s->rm);
    uint32_t *idx = malloc((c->n ? c->n : 1) * sizeof *idx);
    if (!s->rm || !idx) {
        free(idx);
        return AERO_ERR_SERVER;
    }
    em e = { .c = c,
             .s = s,
             .base = base,
             .inv = (s->rt & AERO_CDT_RT_INVERTED) != 0,
             .single = s->single,
             .rev = base == AERO_CDT_RT_REVERSE_INDEX || base == AERO_CDT_RT_REVERSE_RANK,
             .n = c->n,
             .idx = idx,
             .out = out };
    int rc;
    switch (s->fam) {
    case CDT_FAM_INDEX: rc = emit_index(&e, s->start, s->count); break;
    case CDT_FAM_RANK: rc = emit_rank(&e, s->start, s->count); break;
    case CDT_FAM_VALUE: rc = emit_value(&e, s->start, s->count); break;
    case CDT_FAM_KEY1: /* one key: answered as the index range of that key */
        if (s->count == 0)
            rc = rt_is_rank_range(base) ? AERO_ERR_OP_NOT_APPLICABLE : not_found(&e, -1);
        else
            rc = emit_index(&e, s->start, 1);
        break;
    case CDT_FAM_KEY: /* a key interval */
        if (rt_is_rank_range(base)) {
            rc = AERO_ERR_OP_NOT_APPLICABLE;
        } else if (key_ordered(c)) {
            rc = emit_index(&e, s->start, s->count);
        } else {
            mark_sel(&e, s->sel, e.inv);
            uint32_t m = by_mask(&e);
            if (rt_is_elements(base))
                put_elems(&e, idx, m), rc = 0;
            else if (base == AERO_CDT_RT_RANK || base == AERO_CDT_RT_REVERSE_RANK)
                put_numbers(&e, idx, m, true), rc = 0;
            else
                rc = set_range(&e, s->start, s->count, e.inv);
        }
        break;
    case CDT_FAM_VLIST: rc = emit_items(&e, false); break;
    default: rc = emit_items(&e, true); break;
    }
    free(idx);
    return rc;
}

void cdt_sel_free(cdt_sel *s) {
    free(s->sel);
    free(s->rm);
    free(s->item_at);
    free(s->item_cnt);
    free(s->item_sorted);
    free(s->item_last);
    memset(s, 0, sizeof *s);
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
    cdt_sel *s;
} pick;

typedef int (*pick_fn)(pick *p);

/* get [index], get_by_index [rt, index] */
static int pick_index(pick *p) {
    int64_t i1;
    uint32_t s, e, n = p->c->n;
    if (p->na < 1 || !cdt_as_int(&p->a[0], &i1))
        return AERO_ERR_PARAMETER;
    p->s->single = true;
    if (i1 < -(int64_t)n || i1 >= (int64_t)n)
        return AERO_ERR_OP_NOT_APPLICABLE;
    cdt_range(i1, true, 1, n, &s, &e);
    p->s->fam = CDT_FAM_INDEX;
    p->s->start = s;
    p->s->count = e - s;
    return 0;
}

static int pick_rank(pick *p) {
    int64_t i1;
    const coll *c = p->c;
    if (p->na < 1 || !cdt_as_int(&p->a[0], &i1))
        return AERO_ERR_PARAMETER;
    p->s->single = true;
    if (i1 < -(int64_t)c->n || i1 >= (int64_t)c->n)
        return AERO_ERR_OP_NOT_APPLICABLE;
    p->s->fam = CDT_FAM_RANK;
    p->s->start = (uint32_t)(i1 < 0 ? c->n + i1 : i1);
    p->s->count = 1;
    return 0;
}

/* get_range [index, count?], index or rank range [rt, index, count?] */
static int pick_range(pick *p) {
    int64_t i1, i2 = 0;
    uint32_t s, e;
    if (p->na < 1 || !cdt_as_int(&p->a[0], &i1))
        return AERO_ERR_PARAMETER;
    bool hc = p->na > 1 && cdt_as_int(&p->a[1], &i2);
    cdt_range(i1, hc, i2, p->c->n, &s, &e);
    bool rank = p->opc == AERO_LIST_OP_GET_BY_RANK_RANGE || p->opc == AERO_MAP_OP_GET_BY_RANK_RANGE;
    p->s->fam = rank ? CDT_FAM_RANK : CDT_FAM_INDEX;
    p->s->start = s;
    p->s->count = e - s;
    return 0;
}

static int pick_key(pick *p) {
    if (p->na < 1)
        return AERO_ERR_PARAMETER;
    p->s->single = true;
    p->s->fam = CDT_FAM_KEY1;
    for (uint32_t i = 0; i < p->c->n; i++)
        if (cdt_cmpv(&p->c->k[i], p->a[0].p, p->a[0].n) == 0) {
            p->s->start = i;
            p->s->count = 1;
            break;
        }
    return 0;
}

/* How many values (keys) are smaller than x. */
static uint32_t below(const coll *c, const span *x, bool keys) {
    uint32_t k = 0;
    for (uint32_t i = 0; i < c->n; i++)
        if (cdt_cmpv(keys ? &c->k[i] : &c->v[i], x->p, x->n) < 0)
            k++;
    return k;
}

/* every element equal to the value; get_by_value (list 20, map 99): the first one */
static int pick_value(pick *p) {
    if (p->na < 1)
        return AERO_ERR_PARAMETER;
    cdt_sel *s = p->s;
    s->single = p->opc == AERO_LIST_OP_GET_BY_VALUE || p->opc == AERO_MAP_OP_GET_BY_VALUE;
    s->fam = CDT_FAM_VALUE;
    s->start = below(p->c, &p->a[0], false);
    for (uint32_t i = 0; i < p->c->n; i++) {
        s->sel[i] = !(s->single && s->count) && cdt_cmpv(&p->c->v[i], p->a[0].p, p->a[0].n) == 0;
        s->count += s->sel[i];
    }
    return 0;
}

/* items sorted by value, equal items in the order given */
static _Thread_local const span *tl_items;
static int by_item(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    bool ok;
    int c = mp_cmp(tl_items[x].p, tl_items[x].n, tl_items[y].p, tl_items[y].n, &ok);
    return c ? c : (x < y ? -1 : x > y);
}

/*
 * by value list, or (maps) by key list: the elements equal to an item, and
 * per item how many elements are smaller and how many equal, and whether it
 * is the last given of equal items (an unordered collection's answer counts
 * the matches for that one only, as the server finds them).
 */
static int pick_list(pick *p) {
    if (p->na < 1)
        return AERO_ERR_PARAMETER;
    mp_reader lr = { p->a[0].p, p->a[0].p + p->a[0].n };
    mp_obj lo;
    if (!mp_read(&lr, &lo) || lo.type != MP_ARRAY || lo.len > (size_t)(lr.end - lr.p))
        return AERO_ERR_PARAMETER;
    cdt_sel *s = p->s;
    bool keys = p->opc == AERO_MAP_OP_GET_BY_KEY_LIST;
    s->fam = keys ? CDT_FAM_KLIST : CDT_FAM_VLIST;
    s->n_items = lo.len;
    span *items = malloc((lo.len ? lo.len : 1) * sizeof *items);
    s->item_at = calloc(lo.len ? lo.len : 1, sizeof *s->item_at);
    s->item_cnt = calloc(lo.len ? lo.len : 1, sizeof *s->item_cnt);
    s->item_sorted = malloc((lo.len ? lo.len : 1) * sizeof *s->item_sorted);
    s->item_last = calloc(lo.len ? lo.len : 1, sizeof *s->item_last);
    if (!items || !s->item_at || !s->item_cnt || !s->item_sorted || !s->item_last) {
        free(items);
        return AERO_ERR_SERVER;
    }
    for (uint32_t k = 0; k < lo.len; k++) {
        if (!mp_span(&lr, &items[k].p, &items[k].n)) {
            free(items);
            return AERO_ERR_PARAMETER;
        }
        s->item_sorted[k] = k;
    }
    tl_items = items;
    qsort(s->item_sorted, lo.len, sizeof *s->item_sorted, by_item);
    for (uint32_t j = 0; j < lo.len; j++) {
        uint32_t k = s->item_sorted[j];
        bool last_equal =
            j + 1 == lo.len || cdt_cmpv(&items[k], items[s->item_sorted[j + 1]].p, items[s->item_sorted[j + 1]].n) != 0;
        s->item_at[k] = below(p->c, &items[k], keys);
        s->item_last[k] = last_equal;
        for (uint32_t i = 0; i < p->c->n; i++)
            if (cdt_cmpv(keys ? &p->c->k[i] : &p->c->v[i], items[k].p, items[k].n) == 0) {
                s->sel[i] = true;
                s->item_cnt[k]++;
            }
    }
    free(items);
    return 0;
}

/* value or key interval [begin, end) */
static int pick_interval(pick *p) {
    if (p->na < 1)
        return AERO_ERR_PARAMETER;
    cdt_sel *s = p->s;
    bool has_end = p->na > 1, keys = p->opc == AERO_MAP_OP_GET_BY_KEY_INTERVAL;
    s->fam = keys ? CDT_FAM_KEY : CDT_FAM_VALUE;
    s->start = below(p->c, &p->a[0], keys);
    for (uint32_t i = 0; i < p->c->n; i++) {
        const span *x = keys ? &p->c->k[i] : &p->c->v[i];
        s->sel[i] = cdt_cmpv(x, p->a[0].p, p->a[0].n) >= 0 && (!has_end || cdt_cmpv(x, p->a[1].p, p->a[1].n) < 0);
        s->count += s->sel[i];
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
    uint32_t origin = below(c, &p->a[0], keys);
    /* the server's relative range: origin + offset, an unsigned count, nothing before 0 */
    uint64_t cnt = hc ? (uint64_t)i2 : UINT64_MAX;
    int64_t st = i1 > INT64_MAX - (int64_t)origin ? INT64_MAX : (int64_t)origin + i1;
    if (st < 0) {
        uint64_t before = (uint64_t)0 - (uint64_t)st;
        cnt = cnt > before ? cnt - before : 0;
        st = 0;
    }
    uint64_t s = (uint64_t)st < c->n ? (uint64_t)st : c->n;
    p->s->fam = keys ? CDT_FAM_INDEX : CDT_FAM_RANK;
    p->s->start = (uint32_t)s;
    p->s->count = (uint32_t)(cnt < c->n - s ? cnt : c->n - s);
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

int cdt_select(const coll *c, int64_t opc, const span *a, int na, cdt_sel *s) {
    memset(s, 0, sizeof *s);
    s->sel = calloc(c->n ? c->n : 1, sizeof *s->sel);
    if (!s->sel)
        return AERO_ERR_SERVER;
    int64_t rt = AERO_CDT_RT_VALUE;
    bool legacy_get = opc == AERO_LIST_OP_GET || opc == AERO_LIST_OP_GET_RANGE; /* [index(, count)], no return type */
    int ai = 0;
    if (!legacy_get) {
        if (na < 1 || !cdt_as_int(&a[0], &rt))
            return AERO_ERR_PARAMETER;
        ai = 1;
    }
    pick p = { .c = c, .opc = opc, .a = a + ai, .na = na - ai, .s = s };
    pick_fn fn = opc >= 0 && opc <= AERO_MAP_OP_GET_BY_VALUE_REL_RANK_RANGE ? PICKS[opc] : NULL;
    int rc = fn ? fn(&p) : AERO_ERR_OP_NOT_APPLICABLE;
    s->rt = legacy_get ? AERO_CDT_RT_VALUE : rt;
    s->single = s->single && opc != AERO_LIST_OP_GET_RANGE;
    /* one element cannot be inverted (a key-ordered map looks its key up first: a missing one is not found) */
    if (rc == 0 && s->single && (s->rt & AERO_CDT_RT_INVERTED) && !(s->fam == CDT_FAM_KEY1 && key_ordered(c)))
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
    cdt_sel s;
    int rc = cdt_select(c, opc, a, na, &s);
    if (rc == 0)
        rc = cdt_emit_sel(c, &s, out);
    cdt_sel_free(&s);
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
        if (rc) /* a context step into a value that is no list or map is not applicable */
            return rc == AERO_ERR_BIN_INCOMPATIBLE_TYPE ? AERO_ERR_OP_NOT_APPLICABLE : rc;
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
