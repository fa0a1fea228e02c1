/*
 * cdt_modify.c - list and map modify ops on bins (op 4): append / insert /
 * set / pop / remove / trim / clear / increment / sort on lists, put / add /
 * replace / increment / clear on maps, and remove-by-* on both.
 *
 * The collection is parsed into element spans, the new msgpack value is
 * written in full, then stored as the bin. Unordered maps keep insertion
 * order; key-ordered maps and ordered lists keep their header and order.
 * With a context the op runs on the selected nested collection and every
 * enclosing collection is rebuilt; a context never creates missing elements.
 * Each op code has its handler in the MODS table, indexed by op code.
 */
#include <stdlib.h>
#include <string.h>

#include "cdt_int.h"

/*
 * A bin value past 1 MiB (the server's record size limit) is refused as too
 * big (13); padding a list that far past its end is refused before it is made.
 */
#define MAX_BIN (1024 * 1024)
#define MAX_PAD MAX_BIN

typedef struct elems {
    span *k, *v;
    uint32_t n, cap;
} elems;

static bool push(elems *e, span k, span v) {
    if (e->n == e->cap) {
        uint32_t cap = e->cap ? e->cap * 2 : 16;
        span *nk = realloc(e->k, cap * sizeof *nk);
        if (!nk)
            return false;
        e->k = nk;
        span *nv = realloc(e->v, cap * sizeof *nv);
        if (!nv)
            return false;
        e->v = nv;
        e->cap = cap;
    }
    e->k[e->n] = k;
    e->v[e->n] = v;
    e->n++;
    return true;
}

static _Thread_local bool tl_keys;
static _Thread_local const elems *tl_e;

static int cmp_idx(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const span *s = tl_keys ? tl_e->k : tl_e->v;
    bool ok;
    int c = mp_cmp(s[x].p, s[x].n, s[y].p, s[y].n, &ok);
    return c ? c : (x < y ? -1 : x > y);
}

/* Write elements as a list or map (sorted when ordered). */
static bool write_coll(aero_buf *out, bool is_map, bool has_ext, uint8_t flags, const elems *e) {
    uint32_t *ord = malloc((e->n ? e->n : 1) * sizeof *ord);
    if (!ord)
        return false;
    for (uint32_t i = 0; i < e->n; i++)
        ord[i] = i;
    bool sorted = is_map || (has_ext && (flags & AERO_CDT_ORDER_ORDERED)); /* the server keeps every map key-sorted */
    if (sorted) {
        tl_keys = is_map;
        tl_e = e;
        qsort(ord, e->n, sizeof *ord, cmp_idx);
    }
    if (is_map) {
        mp_put_map(out, e->n + (has_ext ? 1 : 0));
        if (has_ext) {
            uint8_t h[4] = { 0xc7, 0x00, flags, 0xc0 };
            aero_buf__put(out, h, 4);
        }
        for (uint32_t i = 0; i < e->n; i++) {
            aero_buf__put(out, e->k[ord[i]].p, e->k[ord[i]].n);
            aero_buf__put(out, e->v[ord[i]].p, e->v[ord[i]].n);
        }
    } else {
        mp_put_array(out, e->n + (has_ext ? 1 : 0));
        if (has_ext) {
            uint8_t h[3] = { 0xc7, 0x00, flags };
            aero_buf__put(out, h, 3);
        }
        for (uint32_t i = 0; i < e->n; i++)
            aero_buf__put(out, e->v[ord[i]].p, e->v[ord[i]].n);
    }
    free(ord);
    return !out->failed;
}

/* Elements in original (insertion) order. */
static bool load(const coll *c, elems *e) {
    memset(e, 0, sizeof *e);
    uint32_t *inv = malloc((c->n ? c->n : 1) * sizeof *inv);
    if (!inv)
        return false;
    for (uint32_t i = 0; i < c->n; i++)
        inv[c->pos[i]] = i;
    bool ok = true;
    for (uint32_t j = 0; j < c->n && ok; j++) {
        uint32_t i = inv[j];
        ok = push(e, c->is_map ? c->k[i] : (span){ 0 }, c->v[i]);
    }
    free(inv);
    return ok;
}

static int64_t norm_index(int64_t i, uint32_t n) { return i < 0 ? (int64_t)n + i : i; }

static bool num_add(const span *cur, const span *delta, aero_buf *out) {
    mp_reader a = { cur ? cur->p : NULL, cur ? cur->p + cur->n : NULL };
    mp_reader b = { delta ? delta->p : NULL, delta ? delta->p + delta->n : NULL };
    mp_obj x = { .type = MP_INT }, y = { .type = MP_INT, .i = 1 };
    if (cur && !mp_read(&a, &x))
        return false;
    if (delta && !mp_read(&b, &y))
        return false;
    if (!cur)
        x.type = y.type;
    if (y.type != MP_INT && y.type != MP_FLOAT)
        return false;
    if (x.type == MP_INT) { /* the delta takes the current value's type */
        int64_t d = y.type == MP_INT ? y.i : (int64_t)y.f;
        mp_put_int(out, (int64_t)((uint64_t)x.i + (uint64_t)d));
        return true;
    }
    if (x.type == MP_FLOAT) {
        mp_put_double(out, x.f + (y.type == MP_FLOAT ? y.f : (double)y.i));
        return true;
    }
    return false;
}

/* cur + delta (delta NULL = 1, negate for decrement) into a malloc'd msgpack value. */
static uint8_t *sum(const span *cur, const span *delta, bool negate, size_t *n) {
    uint8_t one = 1;
    span d = delta ? *delta : (span){ &one, 1 };
    aero_buf nd, out;
    aero_buf__init(&nd, NULL, 0);
    aero_buf__init(&out, NULL, 0);
    if (negate) {
        mp_reader r = { d.p, d.p + d.n };
        mp_obj o;
        if (!mp_read(&r, &o) || (o.type != MP_INT && o.type != MP_FLOAT))
            return NULL;
        if (o.type == MP_INT)
            mp_put_int(&nd, (int64_t)(0 - (uint64_t)o.i));
        else
            mp_put_double(&nd, -o.f);
        d = (span){ nd.data, nd.len };
    }
    uint8_t *res = NULL;
    if (!nd.failed && num_add(cur, &d, &out) && !out.failed) {
        res = malloc(out.len);
        if (res) {
            memcpy(res, out.data, out.len);
            *n = out.len;
        }
    }
    aero_buf__free(&nd);
    aero_buf__free(&out);
    return res;
}

/* The state of one modify op on a flat collection, shared by the op handlers. */
typedef struct mod {
    int64_t opc;
    const span *a; /* the op's arguments */
    int na;
    const ts_bin *b; /* the bin before the op; NULL when it is created */
    const coll *c;   /* its collection */
    elems e;         /* the elements after the op, in stored order */
    bool is_map, has_ext, changed;
    uint8_t flags;     /* AERO_CDT_ORDER_* of the result */
    aero_buf res;      /* the op's result (msgpack) */
    uint8_t *computed; /* a value computed by increment, owned here */
} mod;

typedef int (*mod_fn)(mod *m);

static bool arg_int(const mod *m, int i, int64_t *v) { return m->na > i && cdt_as_int(&m->a[i], v); }

/* list set_type [order] */
static int mod_list_set_type(mod *m) {
    int64_t order;
    if (!arg_int(m, 0, &order))
        return AERO_ERR_PARAMETER;
    if (order & ~(int64_t)(AERO_CDT_ORDER_ORDERED | AERO_CDT_ORDER_PERSIST_INDEX))
        return AERO_ERR_OP_NOT_APPLICABLE;
    m->has_ext = order != 0;
    m->flags = (uint8_t)(order & AERO_CDT_ORDER_ORDERED);
    mp_put_nil(&m->res);
    return 0;
}

/* map set_type [attributes] */
static int mod_map_set_type(mod *m) {
    int64_t attr;
    if (!arg_int(m, 0, &attr))
        return AERO_ERR_PARAMETER;
    m->has_ext = (attr & AERO_CDT_ORDER_MAP_KV_ORDERED) != 0;
    m->flags = (uint8_t)(attr & AERO_CDT_ORDER_MAP_KV_ORDERED);
    mp_put_nil(&m->res);
    return 0;
}

/* Add v at position at (shifting the rest); false when out of memory. */
static bool insert_at(elems *e, int64_t at, span v) {
    if (!push(e, (span){ 0 }, v))
        return false;
    memmove(&e->v[at + 1], &e->v[at], (e->n - 1 - (size_t)at) * sizeof(span));
    e->v[at] = v;
    return true;
}

static bool is_dup(const elems *e, span v) {
    for (uint32_t j = 0; j < e->n; j++)
        if (cdt_cmpv(&e->v[j], v.p, v.n) == 0)
            return true;
    return false;
}

/* append [value, order?, flags?], append_items [list, ...], insert [index, value, flags?], insert_items */
static int mod_list_add(mod *m) {
    bool items = m->opc == AERO_LIST_OP_APPEND_ITEMS || m->opc == AERO_LIST_OP_INSERT_ITEMS;
    bool insert = m->opc == AERO_LIST_OP_INSERT || m->opc == AERO_LIST_OP_INSERT_ITEMS;
    int vi = insert ? 1 : 0;
    int64_t index = 0, pflags = 0, order;
    if (m->na <= vi || (insert && !cdt_as_int(&m->a[0], &index)))
        return AERO_ERR_PARAMETER;
    if (!insert && arg_int(m, vi + 1, &order) && order && !m->b) {
        m->has_ext = true;
        m->flags = AERO_CDT_ORDER_ORDERED;
    }
    if (m->na > vi + 2)
        cdt_as_int(&m->a[vi + 2], &pflags);
    else if (insert && m->na > vi + 1)
        cdt_as_int(&m->a[vi + 1], &pflags);
    mp_reader lr = { m->a[vi].p, m->a[vi].p + m->a[vi].n };
    mp_obj lo;
    uint32_t cnt = 1;
    if (items) {
        if (!mp_read(&lr, &lo) || lo.type != MP_ARRAY)
            return AERO_ERR_PARAMETER;
        cnt = lo.len;
    }
    elems *e = &m->e;
    if (insert && m->has_ext && (m->flags & AERO_CDT_ORDER_ORDERED))
        return AERO_ERR_OP_NOT_APPLICABLE; /* an ordered list has no positions to insert at */
    if (insert && index > INT32_MAX)       /* the server's bound on a list index, before any padding */
        return AERO_ERR_OP_NOT_APPLICABLE;
    int64_t at = insert ? norm_index(index, e->n) : (int64_t)e->n;
    if (at < 0) /* before the start: not applicable, whatever the flags */
        return AERO_ERR_OP_NOT_APPLICABLE;
    if (at > (int64_t)e->n && (pflags & AERO_LIST_WRITE_INSERT_BOUNDED)) {
        mp_put_int(&m->res, e->n);
        m->changed = false;
        return (pflags & AERO_LIST_WRITE_NO_FAIL) ? 0 : AERO_ERR_OP_NOT_APPLICABLE;
    }
    if (at > (int64_t)e->n + MAX_PAD)
        return AERO_ERR_RECORD_TOO_BIG;
    uint32_t before = e->n;
    while (at > (int64_t)e->n) /* unbounded insert pads with nil */
        if (!push(e, (span){ 0 }, (span){ (const uint8_t *)"\xc0", 1 }))
            return AERO_ERR_SERVER;
    elems add = { 0 };
    int rc = 0;
    bool noop = false; /* the server adds nothing (and pads nothing) */
    elems orig = *e;
    orig.n = before; /* the list as it was, without the padding */
    uint32_t skipped = 0;
    for (uint32_t k = 0; k < cnt && rc == 0 && !noop; k++) {
        span v = m->a[vi];
        if (items && !mp_span(&lr, &v.p, &v.n))
            rc = AERO_ERR_PARAMETER;
        else if (!(pflags & AERO_LIST_WRITE_ADD_UNIQUE))
            rc = push(&add, (span){ 0 }, v) ? 0 : AERO_ERR_SERVER;
        else if (is_dup(&orig, v)) { /* already in the list: partial skips it, else the op adds nothing */
            if (pflags & AERO_LIST_WRITE_PARTIAL)
                skipped++;
            else if (pflags & AERO_LIST_WRITE_NO_FAIL)
                noop = true;
            else
                rc = AERO_ERR_ELEMENT_EXISTS;
        } else if (is_dup(&add, v)) { /* the items repeat themselves */
            if (!(pflags & AERO_LIST_WRITE_NO_FAIL))
                rc = AERO_ERR_OP_NOT_APPLICABLE;
            else if (pflags & AERO_LIST_WRITE_PARTIAL)
                skipped++;
            else
                noop = true;
        } else {
            rc = push(&add, (span){ 0 }, v) ? 0 : AERO_ERR_SERVER;
        }
    }
    if (rc == 0 && !noop && cnt && skipped == cnt) { /* every item skipped: as an existing element */
        if (pflags & AERO_LIST_WRITE_NO_FAIL)
            noop = true;
        else
            rc = AERO_ERR_ELEMENT_EXISTS;
    }
    if (noop) {
        add.n = 0;
        e->n = before;
    }
    for (uint32_t k = 0; k < add.n && rc == 0; k++)
        if (!insert_at(e, at++, add.v[k]))
            rc = AERO_ERR_SERVER;
    free(add.k);
    free(add.v);
    if (rc == 0)
        mp_put_int(&m->res, e->n);
    return rc;
}

/* pop [index], pop_range [index, count?], remove, remove_range, trim [index, count?] */
static int mod_list_cut(mod *m) {
    int64_t opc = m->opc, i1, i2 = 0;
    if (!arg_int(m, 0, &i1))
        return AERO_ERR_PARAMETER;
    bool ranged = opc == AERO_LIST_OP_POP_RANGE || opc == AERO_LIST_OP_REMOVE_RANGE || opc == AERO_LIST_OP_TRIM;
    bool pop = opc == AERO_LIST_OP_POP || opc == AERO_LIST_OP_POP_RANGE;
    bool hc = arg_int(m, 1, &i2);
    if (opc == AERO_LIST_OP_TRIM && !hc)
        return AERO_ERR_PARAMETER;
    elems *e = &m->e;
    if (!ranged && (i1 >= (int64_t)e->n || i1 < -(int64_t)e->n))
        return AERO_ERR_OP_NOT_APPLICABLE;
    uint32_t s32, en32;
    cdt_range(i1, ranged ? hc : true, ranged ? i2 : 1, e->n, &s32, &en32);
    int64_t s = s32, en = en32;
    elems keep = { 0 };
    uint32_t removed = 0;
    if (opc == AERO_LIST_OP_POP_RANGE)
        mp_put_array(&m->res, (uint32_t)(en - s));
    else if (opc == AERO_LIST_OP_POP && en == s)
        mp_put_nil(&m->res);
    for (uint32_t j = 0; j < e->n; j++) {
        bool in = (int64_t)j >= s && (int64_t)j < en;
        if (opc == AERO_LIST_OP_TRIM ? !in : in) {
            removed++;
            if (pop)
                aero_buf__put(&m->res, e->v[j].p, e->v[j].n);
        } else {
            push(&keep, (span){ 0 }, e->v[j]);
        }
    }
    if (!pop)
        mp_put_int(&m->res, removed);
    free(e->k);
    free(e->v);
    *e = keep;
    return 0;
}

/* Normalise a list index for set / increment, padding the list up to it with `pad`. */
static int pad_to(elems *e, int64_t *index, const char *pad) {
    if (*index > INT32_MAX) /* the server's bound on a list index, before any padding */
        return AERO_ERR_OP_NOT_APPLICABLE;
    *index = norm_index(*index, e->n);
    if (*index < 0)
        return AERO_ERR_OP_NOT_APPLICABLE;
    if (*index >= (int64_t)e->n + MAX_PAD)
        return AERO_ERR_RECORD_TOO_BIG;
    while (*index >= (int64_t)e->n)
        push(e, (span){ 0 }, (span){ (const uint8_t *)pad, 1 });
    return 0;
}

/* set [index, value] */
static int mod_list_set(mod *m) {
    int64_t i1;
    int64_t pflags = 0;
    if (m->na < 2 || !cdt_as_int(&m->a[0], &i1) || (m->na > 2 && !cdt_as_int(&m->a[2], &pflags)))
        return AERO_ERR_PARAMETER;
    if (m->has_ext && (m->flags & AERO_CDT_ORDER_ORDERED))
        return AERO_ERR_OP_NOT_APPLICABLE;
    if ((pflags & AERO_LIST_WRITE_INSERT_BOUNDED) && i1 > (int64_t)m->e.n) /* setting at the end appends */
        return (pflags & AERO_LIST_WRITE_NO_FAIL) ? 0 : AERO_ERR_OP_NOT_APPLICABLE;
    if ((pflags & AERO_LIST_WRITE_ADD_UNIQUE) && is_dup(&m->e, m->a[1]))
        return (pflags & AERO_LIST_WRITE_NO_FAIL) ? 0 : AERO_ERR_ELEMENT_EXISTS;
    int rc = pad_to(&m->e, &i1, "\xc0");
    if (rc)
        return rc;
    m->e.v[i1] = m->a[1];
    mp_put_nil(&m->res);
    return 0;
}

/* list clear, map clear */
static int mod_clear(mod *m) {
    m->e.n = 0;
    mp_put_nil(&m->res);
    return 0;
}

/* list increment [index, delta?] */
static int mod_list_increment(mod *m) {
    int64_t i1;
    if (!arg_int(m, 0, &i1))
        return AERO_ERR_PARAMETER;
    if (m->has_ext && (m->flags & AERO_CDT_ORDER_ORDERED) && i1 <= INT32_MAX &&
        norm_index(i1, m->e.n) > (int64_t)m->e.n)
        return AERO_ERR_OP_NOT_APPLICABLE; /* an ordered list is not padded */
    int rc = pad_to(&m->e, &i1, "\xc0");
    if (rc)
        return rc;
    size_t vn = 0;
    bool padded = i1 >= (int64_t)m->c->n; /* a new element, not an existing nil (which is 4) */
    m->computed = sum(padded ? NULL : &m->e.v[i1], m->na > 1 ? &m->a[1] : NULL, false, &vn);
    if (!m->computed)
        return AERO_ERR_PARAMETER;
    m->e.v[i1] = (span){ m->computed, vn };
    aero_buf__put(&m->res, m->computed, vn);
    return 0;
}

/*
 * sort [flags]: ascending or descending, optionally without duplicates; an
 * ordered list stays ordered; flag bits the server does not know are ignored
 * as it ignores them.
 */
static int mod_list_sort(mod *m) {
    int64_t fl = 0;
    if (m->na > 1 || (m->na == 1 && !cdt_as_int(&m->a[0], &fl)))
        return AERO_ERR_PARAMETER;
    elems *e = &m->e;
    bool ordered = m->has_ext && (m->flags & AERO_CDT_ORDER_ORDERED);
    if (e->n <= 1) { /* nothing to sort (the server looks at no flag then) */
        mp_put_nil(&m->res);
        return 0;
    }
    tl_keys = false;
    tl_e = e;
    uint32_t *ord = malloc((e->n ? e->n : 1) * sizeof *ord);
    span *nv = malloc((e->n ? e->n : 1) * sizeof *nv);
    if (!ord || !nv) {
        free(ord);
        free(nv);
        return AERO_ERR_SERVER;
    }
    for (uint32_t j = 0; j < e->n; j++)
        ord[j] = j;
    qsort(ord, e->n, sizeof *ord, cmp_idx);
    uint32_t k = 0;
    for (uint32_t j = 0; j < e->n; j++) {
        span v = e->v[ord[(fl & AERO_LIST_SORT_DESCENDING) && !ordered ? e->n - 1 - j : j]];
        int c = k && (fl & AERO_LIST_SORT_DROP_DUPLICATES) ? cdt_cmpv(&nv[k - 1], v.p, v.n) : -1;
        if (c > 0) { /* the server drops duplicates from an ascending run only: descending, two values are 4 */
            free(ord);
            free(nv);
            return AERO_ERR_PARAMETER;
        }
        if (c == 0)
            continue;
        nv[k++] = v;
    }
    if (k) /* an empty list has no element array */
        memcpy(e->v, nv, k * sizeof *nv);
    e->n = k;
    free(ord);
    free(nv);
    mp_put_nil(&m->res);
    return 0;
}

static int find_key(const elems *e, span key) {
    for (uint32_t j = 0; j < e->n; j++)
        if (cdt_cmpv(&e->k[j], key.p, key.n) == 0)
            return (int)j;
    return -1;
}

/* A map key the server accepts: not nil, a double, a list or a map. */
static bool key_ok(span key) {
    uint8_t c = key.p[0];
    return c != 0xc0 && c != 0xca && c != 0xcb && (c & 0xf0) != 0x80 && (c & 0xf0) != 0x90 && c != 0xdc && c != 0xdd &&
           c != 0xde && c != 0xdf;
}

/* Write flags an op implies: add is create-only, replace update-only. */
static int64_t map_op_flags(int64_t opc) {
    if (opc == AERO_MAP_OP_ADD || opc == AERO_MAP_OP_ADD_ITEMS)
        return AERO_MAP_WRITE_CREATE_ONLY;
    if (opc == AERO_MAP_OP_REPLACE || opc == AERO_MAP_OP_REPLACE_ITEMS)
        return AERO_MAP_WRITE_UPDATE_ONLY;
    return 0;
}

/* add / put / replace [key, value, attr?, flags?] and their _items [map, attr?, flags?] */
static int mod_map_put(mod *m) {
    int64_t opc = m->opc, attr, f;
    bool items = opc == AERO_MAP_OP_ADD_ITEMS || opc == AERO_MAP_OP_PUT_ITEMS || opc == AERO_MAP_OP_REPLACE_ITEMS;
    int64_t wflags = map_op_flags(opc);
    int ai = items ? 1 : 2;
    if (m->na < ai)
        return AERO_ERR_PARAMETER;
    if (arg_int(m, ai, &attr) && !m->b && (attr & AERO_CDT_ORDER_MAP_KV_ORDERED)) {
        m->has_ext = true;
        m->flags = (uint8_t)(attr & AERO_CDT_ORDER_MAP_KV_ORDERED);
    }
    if (arg_int(m, ai + 1, &f))
        wflags |= f;
    mp_reader mr = { m->a[0].p, m->a[0].p + m->a[0].n };
    mp_obj mo;
    uint32_t cnt = 1;
    if (items) {
        if (!mp_read(&mr, &mo) || mo.type != MP_MAP)
            return AERO_ERR_PARAMETER;
        cnt = mo.len;
    }
    for (uint32_t k = 0; k < cnt; k++) {
        span key = m->a[0], v = m->a[1];
        if (items && (!mp_span(&mr, &key.p, &key.n) || !mp_span(&mr, &v.p, &v.n)))
            return AERO_ERR_PARAMETER;
        if (!key_ok(key))
            return AERO_ERR_PARAMETER;
        int found = find_key(&m->e, key);
        if ((found >= 0 && (wflags & AERO_MAP_WRITE_CREATE_ONLY)) ||
            (found < 0 && (wflags & AERO_MAP_WRITE_UPDATE_ONLY))) {
            if (!(wflags & AERO_MAP_WRITE_NO_FAIL))
                return found >= 0 ? AERO_ERR_ELEMENT_EXISTS : AERO_ERR_ELEMENT_NOT_FOUND;
            if (!(wflags & AERO_MAP_WRITE_PARTIAL)) { /* no-fail without partial: the op does nothing */
                free(m->e.k);
                free(m->e.v);
                if (!load(m->c, &m->e))
                    return AERO_ERR_SERVER;
                break;
            }
            continue;
        }
        if (found >= 0)
            m->e.v[found] = v;
        else if (!push(&m->e, key, v))
            return AERO_ERR_SERVER;
    }
    mp_put_int(&m->res, m->e.n);
    return 0;
}

/* map increment / decrement [key, delta?] */
static int mod_map_increment(mod *m) {
    if (m->na < 1 || !key_ok(m->a[0]))
        return AERO_ERR_PARAMETER;
    int found = find_key(&m->e, m->a[0]);
    size_t vn = 0;
    m->computed =
        sum(found >= 0 ? &m->e.v[found] : NULL, m->na > 1 ? &m->a[1] : NULL, m->opc == AERO_MAP_OP_DECREMENT, &vn);
    if (!m->computed)
        return AERO_ERR_PARAMETER;
    if (found < 0) {
        if (!push(&m->e, m->a[0], (span){ m->computed, vn }))
            return AERO_ERR_SERVER;
    } else {
        m->e.v[found] = (span){ m->computed, vn };
    }
    aero_buf__put(&m->res, m->computed, vn);
    return 0;
}

/* remove_by_*: select as the matching read op does, keep the rest (or, inverted, the selection) */
static int mod_remove_by(mod *m, int64_t read_op) {
    const coll *c = m->c;
    cdt_sel s;
    int rc = cdt_select(c, read_op, m->a, m->na, &s);
    if (rc == 0)
        rc = cdt_emit_sel(c, &s, &m->res);
    uint32_t *order = rc == 0 ? malloc((c->n ? c->n : 1) * sizeof *order) : NULL;
    if (rc == 0 && !order)
        rc = AERO_ERR_SERVER;
    if (rc == 0) {
        elems keep = { 0 };
        for (uint32_t i = 0; i < c->n; i++)
            order[c->pos[i]] = i;
        for (uint32_t j = 0; j < c->n; j++) {
            uint32_t i = order[j];
            if (!s.rm[i])
                push(&keep, m->is_map ? c->k[i] : (span){ 0 }, c->v[i]);
        }
        free(m->e.k);
        free(m->e.v);
        m->e = keep;
    }
    free(order);
    cdt_sel_free(&s);
    return rc;
}

typedef struct mod_def {
    mod_fn fn;
    int64_t read_op; /* remove_by_*: the read op selecting what goes */
} mod_def;

static const mod_def MODS[AERO_MAP_OP_REMOVE_BY_VALUE_REL_RANK_RANGE + 1] = {
    [AERO_LIST_OP_SET_TYPE] = { mod_list_set_type, 0 },
    [AERO_LIST_OP_APPEND] = { mod_list_add, 0 },
    [AERO_LIST_OP_APPEND_ITEMS] = { mod_list_add, 0 },
    [AERO_LIST_OP_INSERT] = { mod_list_add, 0 },
    [AERO_LIST_OP_INSERT_ITEMS] = { mod_list_add, 0 },
    [AERO_LIST_OP_POP] = { mod_list_cut, 0 },
    [AERO_LIST_OP_POP_RANGE] = { mod_list_cut, 0 },
    [AERO_LIST_OP_REMOVE] = { mod_list_cut, 0 },
    [AERO_LIST_OP_REMOVE_RANGE] = { mod_list_cut, 0 },
    [AERO_LIST_OP_SET] = { mod_list_set, 0 },
    [AERO_LIST_OP_TRIM] = { mod_list_cut, 0 },
    [AERO_LIST_OP_CLEAR] = { mod_clear, 0 },
    [AERO_LIST_OP_INCREMENT] = { mod_list_increment, 0 },
    [AERO_LIST_OP_SORT] = { mod_list_sort, 0 },
    [AERO_LIST_OP_REMOVE_BY_INDEX] = { NULL, AERO_LIST_OP_GET_BY_INDEX },
    [AERO_LIST_OP_REMOVE_BY_VALUE] = { NULL, AERO_LIST_OP_GET_BY_VALUE },
    [AERO_LIST_OP_REMOVE_BY_RANK] = { NULL, AERO_LIST_OP_GET_BY_RANK },
    [AERO_LIST_OP_REMOVE_ALL_BY_VALUE] = { NULL, AERO_LIST_OP_GET_ALL_BY_VALUE },
    [AERO_LIST_OP_REMOVE_ALL_BY_VALUE_LIST] = { NULL, AERO_LIST_OP_GET_ALL_BY_VALUE_LIST },
    [AERO_LIST_OP_REMOVE_BY_INDEX_RANGE] = { NULL, AERO_LIST_OP_GET_BY_INDEX_RANGE },
    [AERO_LIST_OP_REMOVE_BY_VALUE_INTERVAL] = { NULL, AERO_LIST_OP_GET_BY_VALUE_INTERVAL },
    [AERO_LIST_OP_REMOVE_BY_RANK_RANGE] = { NULL, AERO_LIST_OP_GET_BY_RANK_RANGE },
    [AERO_LIST_OP_REMOVE_BY_VALUE_REL_RANK_RANGE] = { NULL, AERO_LIST_OP_GET_BY_VALUE_REL_RANK_RANGE },
    [AERO_MAP_OP_SET_TYPE] = { mod_map_set_type, 0 },
    [AERO_MAP_OP_ADD] = { mod_map_put, 0 },
    [AERO_MAP_OP_ADD_ITEMS] = { mod_map_put, 0 },
    [AERO_MAP_OP_PUT] = { mod_map_put, 0 },
    [AERO_MAP_OP_PUT_ITEMS] = { mod_map_put, 0 },
    [AERO_MAP_OP_REPLACE] = { mod_map_put, 0 },
    [AERO_MAP_OP_REPLACE_ITEMS] = { mod_map_put, 0 },
    [AERO_MAP_OP_INCREMENT] = { mod_map_increment, 0 },
    [AERO_MAP_OP_DECREMENT] = { mod_map_increment, 0 },
    [AERO_MAP_OP_CLEAR] = { mod_clear, 0 },
    [AERO_MAP_OP_REMOVE_BY_KEY] = { NULL, AERO_MAP_OP_GET_BY_KEY },
    [AERO_MAP_OP_REMOVE_BY_INDEX] = { NULL, AERO_MAP_OP_GET_BY_INDEX },
    [AERO_MAP_OP_REMOVE_BY_VALUE] = { NULL, AERO_MAP_OP_GET_BY_VALUE },
    [AERO_MAP_OP_REMOVE_BY_RANK] = { NULL, AERO_MAP_OP_GET_BY_RANK },
    [AERO_MAP_OP_REMOVE_BY_KEY_LIST] = { NULL, AERO_MAP_OP_GET_BY_KEY_LIST },
    [AERO_MAP_OP_REMOVE_ALL_BY_VALUE] = { NULL, AERO_MAP_OP_GET_ALL_BY_VALUE },
    [AERO_MAP_OP_REMOVE_BY_VALUE_LIST] = { NULL, AERO_MAP_OP_GET_BY_VALUE_LIST },
    [AERO_MAP_OP_REMOVE_BY_KEY_INTERVAL] = { NULL, AERO_MAP_OP_GET_BY_KEY_INTERVAL },
    [AERO_MAP_OP_REMOVE_BY_INDEX_RANGE] = { NULL, AERO_MAP_OP_GET_BY_INDEX_RANGE },
    [AERO_MAP_OP_REMOVE_BY_VALUE_INTERVAL] = { NULL, AERO_MAP_OP_GET_BY_VALUE_INTERVAL },
    [AERO_MAP_OP_REMOVE_BY_RANK_RANGE] = { NULL, AERO_MAP_OP_GET_BY_RANK_RANGE },
    [AERO_MAP_OP_REMOVE_BY_KEY_REL_INDEX_RANGE] = { NULL, AERO_MAP_OP_GET_BY_KEY_REL_INDEX_RANGE },
    [AERO_MAP_OP_REMOVE_BY_VALUE_REL_RANK_RANGE] = { NULL, AERO_MAP_OP_GET_BY_VALUE_REL_RANK_RANGE },
};

/*
 * Codes outside the list and map modify ranges are refused before the bin is
 * looked at; unassigned codes inside them (and negative ones) only after.
 */
static bool in_modify_ranges(int64_t opc) {
    return opc <= AERO_LIST_OP_SORT ||
           (opc >= AERO_LIST_OP_REMOVE_BY_INDEX && opc <= AERO_LIST_OP_REMOVE_BY_VALUE_REL_RANK_RANGE) ||
           (opc >= AERO_MAP_OP_SET_TYPE && opc <= AERO_MAP_OP_REMOVE_BY_VALUE_REL_RANK_RANGE);
}

/* The most arguments a modify op takes (the server answers 4 past them); 0: not checked. */
static int max_args(int64_t opc) {
    switch (opc) {
    case AERO_LIST_OP_POP:
    case AERO_LIST_OP_REMOVE:
    case AERO_LIST_OP_SORT:
    case AERO_MAP_OP_SET_TYPE: return 1;
    case AERO_LIST_OP_POP_RANGE:
    case AERO_LIST_OP_REMOVE_RANGE:
    case AERO_LIST_OP_TRIM:
    case AERO_MAP_OP_ADD_ITEMS:
    case AERO_MAP_OP_REPLACE_ITEMS: return 2;
    case AERO_MAP_OP_ADD:
    case AERO_MAP_OP_REPLACE:
    case AERO_MAP_OP_PUT_ITEMS:
    case AERO_LIST_OP_APPEND:
    case AERO_LIST_OP_APPEND_ITEMS:
    case AERO_LIST_OP_INSERT:
    case AERO_LIST_OP_INSERT_ITEMS:
    case AERO_LIST_OP_SET: return 3;
    case AERO_MAP_OP_PUT: return 4;
    default: return 0;
    }
}

/* Ops that only take elements away (or clear): on a missing bin they answer nil and create nothing. */
static bool removes_only(int64_t opc) {
    return (opc >= AERO_LIST_OP_POP && opc <= AERO_LIST_OP_REMOVE_RANGE) || opc == AERO_LIST_OP_TRIM ||
           opc == AERO_LIST_OP_CLEAR || opc == AERO_MAP_OP_CLEAR ||
           (opc >= AERO_LIST_OP_REMOVE_BY_INDEX && opc <= AERO_LIST_OP_REMOVE_BY_VALUE_REL_RANK_RANGE) ||
           (opc >= AERO_MAP_OP_REMOVE_BY_KEY && opc <= AERO_MAP_OP_REMOVE_BY_VALUE_REL_RANK_RANGE);
}

static int run_mod(mod *m) {
    if (m->opc < 0 || m->opc > AERO_MAP_OP_REMOVE_BY_VALUE_REL_RANK_RANGE)
        return AERO_ERR_PARAMETER;
    if (max_args(m->opc) && m->na > max_args(m->opc))
        return AERO_ERR_PARAMETER;
    if (!m->b && m->opc == AERO_LIST_OP_SORT)
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE; /* as the server answers */
    if (!m->b && removes_only(m->opc)) {
        m->changed = false;
        mp_put_nil(&m->res);
        return 0;
    }
    const mod_def *d = &MODS[m->opc];
    if (d->fn)
        return d->fn(m);
    return d->read_op ? mod_remove_by(m, d->read_op) : AERO_ERR_PARAMETER;
}

static int modify_flat(ts_record *w, const char *name, size_t name_len, const uint8_t *payload, size_t len,
                       uint8_t *ptype, uint8_t **data, uint32_t *dlen) {
    *ptype = AERO_PT_NULL;
    *data = NULL;
    *dlen = 0;
    mp_reader r = { payload, payload + len };
    mp_obj o, code;
    if (!mp_read(&r, &o) || o.type != MP_ARRAY || o.len < 1 || !mp_read(&r, &code) || code.type != MP_INT)
        return AERO_ERR_PARAMETER;
    span a[6];
    int na = cdt_args(&r, o.len - 1, a, 6);
    if (na < 0 || r.p != r.end || !in_modify_ranges(code.i))
        return AERO_ERR_PARAMETER;
    mod m = { .opc = code.i, .a = a, .na = na, .is_map = code.i >= AERO_MAP_OP_SET_TYPE, .changed = true };
    ts_bin *b = ts_record_bin(w, name, name_len);
    if (b && b->ptype != (m.is_map ? AERO_PT_MAP : AERO_PT_LIST))
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    static const uint8_t empty_list[1] = { 0x90 }, empty_map[1] = { 0x80 };
    coll c;
    int rc = cdt_coll_parse(b ? b->data : (m.is_map ? empty_map : empty_list), b ? b->len : 1, &c);
    if (rc)
        return rc;
    if (!load(&c, &m.e)) {
        cdt_coll_free(&c);
        return AERO_ERR_SERVER;
    }
    m.b = b;
    m.c = &c;
    m.has_ext = c.has_ext;
    m.flags = c.flags;
    aero_buf out;
    aero_buf__init(&m.res, NULL, 0);
    aero_buf__init(&out, NULL, 0);
    rc = run_mod(&m);
    if (rc == 0 && m.changed && (out.failed || !write_coll(&out, m.is_map, m.has_ext, m.flags, &m.e)))
        rc = AERO_ERR_SERVER;
    if (rc == 0 && out.len > MAX_BIN)
        rc = AERO_ERR_RECORD_TOO_BIG;
    if (rc == 0 && m.changed &&
        !ts_record_set_bin(w, name, name_len, m.is_map ? AERO_PT_MAP : AERO_PT_LIST, out.data, (uint32_t)out.len))
        rc = AERO_ERR_SERVER;
    if (rc == 0 && m.res.len && !m.res.failed)
        rc = ts_cdt_to_particle(m.res.data, m.res.len, ptype, data, dlen);
    free(m.e.k);
    free(m.e.v);
    cdt_coll_free(&c);
    aero_buf__free(&m.res);
    aero_buf__free(&out);
    free(m.computed);
    return rc;
}

/* Whether the collection a context creates at item k is a map: the next item's kind, or the op's. */
static bool creates_map(const span *items, uint32_t k, uint32_t n, const uint8_t *op, size_t opn) {
    int64_t t;
    if (k + 2 < n && cdt_as_int(&items[k + 2], &t))
        return (t & AERO_CDT_CTX_COLLECTION_MASK) == AERO_CDT_CTX_MAP;
    mp_reader r = { op, op + opn };
    mp_obj o, code;
    return mp_read(&r, &o) && mp_read(&r, &code) && code.type == MP_INT && code.i >= AERO_MAP_OP_SET_TYPE;
}

/*
 * A context item that creates what it does not find: a map key, or a list
 * index at the end (or past it, padded with nil, when unbounded). Adds the
 * new element (value set later) to e and sets *at to its position.
 */
static int ctx_create(elems *e, const coll *c, int64_t type, span key, uint32_t *at) {
    int base = (int)(type & AERO_CDT_CTX_TYPE_MASK);
    static const uint8_t nil = 0xc0;
    if (base == AERO_CDT_CTX_MAP_KEY && c->is_map) {
        if (!key_ok(key))
            return AERO_ERR_PARAMETER;
        *at = e->n;
        return push(e, key, (span){ &nil, 1 }) ? 0 : AERO_ERR_SERVER;
    }
    int64_t idx;
    if (base != AERO_CDT_CTX_LIST_INDEX || c->is_map || !cdt_as_int(&key, &idx))
        return AERO_ERR_OP_NOT_APPLICABLE;
    if (idx == -1 && e->n == 0) /* the last of an empty list: its first */
        idx = 0;
    if (idx < (int64_t)e->n)
        return AERO_ERR_OP_NOT_APPLICABLE;
    bool unbound = (type & AERO_CDT_CTX_CREATE_MASK) == AERO_CDT_CTX_CREATE_LIST_UNORDERED_UNBOUND;
    bool ordered = (c->has_ext && (c->flags & AERO_CDT_ORDER_ORDERED)) ||
                   (type & AERO_CDT_CTX_CREATE_MASK) == AERO_CDT_CTX_CREATE_LIST_ORDERED;
    if (idx > (int64_t)e->n && ordered) /* an ordered list takes it at its end */
        idx = e->n;
    if (idx > (int64_t)e->n && !unbound)
        return AERO_ERR_OP_NOT_APPLICABLE;
    if (idx > (int64_t)e->n + MAX_PAD)
        return AERO_ERR_RECORD_TOO_BIG;
    while ((int64_t)e->n <= idx)
        if (!push(e, (span){ 0 }, (span){ &nil, 1 }))
            return AERO_ERR_SERVER;
    *at = (uint32_t)idx;
    return 0;
}

/* Where an op runs inside a context, and what it answers. */
typedef struct ctx_run {
    const span *items;
    uint32_t n;
    const uint8_t *op;
    size_t opn;
    uint8_t *ptype, **data;
    uint32_t *dlen;
} ctx_run;

/* modify_in: the op changes nothing and creates nothing (a removing op under a created context) */
#define CTX_NOOP (-100)

/* Whether the op of x only takes elements away (or sorts: nothing to do in a new collection either). */
static bool op_removes(const ctx_run *x) {
    mp_reader opr = { x->op, x->op + x->opn };
    mp_obj ol, code;
    return mp_read(&opr, &ol) && ol.type == MP_ARRAY && ol.len && mp_read(&opr, &code) && code.type == MP_INT &&
           (removes_only(code.i) || code.i == AERO_LIST_OP_SORT);
}

/*
 * The op on the target collection itself, through a scratch bin. A target
 * the context just created is a missing bin to the op (its policy's order
 * then applies, as on the server).
 */
static int modify_target(const ctx_run *x, const uint8_t *cur, size_t curn, bool created, aero_buf *out) {
    mp_reader r = { cur, cur + curn };
    mp_obj o;
    if (!mp_read(&r, &o) || (o.type != MP_ARRAY && o.type != MP_MAP))
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    ts_record tmp;
    memset(&tmp, 0, sizeof tmp);
    if (!created &&
        !ts_record_set_bin(&tmp, "t", 1, o.type == MP_ARRAY ? AERO_PT_LIST : AERO_PT_MAP, cur, (uint32_t)curn))
        return AERO_ERR_SERVER;
    int rc = modify_flat(&tmp, "t", 1, x->op, x->opn, x->ptype, x->data, x->dlen);
    if (rc == 0 && tmp.n_bins == 1)
        aero_buf__put(out, tmp.bins[0].data, tmp.bins[0].len);
    else if (rc == 0 && created) /* nothing written: the created collection stays empty */
        aero_buf__put(out, cur, curn);
    ts_record_clear_bins(&tmp);
    free(tmp.bins);
    return rc;
}

/*
 * Apply the op at the element selected by ctx items [k, n) inside the
 * collection cur; the rebuilt collection goes to out. A missing element is
 * created when its item has create flags, and so is everything under it.
 */
static int modify_in(const ctx_run *x, const uint8_t *cur, size_t curn, uint32_t k, bool creating, aero_buf *out) {
    if (creating && op_removes(x)) /* under a created context the server answers a removing op with nothing */
        return CTX_NOOP;
    if (k == x->n)
        return modify_target(x, cur, curn, creating, out);
    int64_t type;
    if (!cdt_as_int(&x->items[k], &type))
        return AERO_ERR_PARAMETER;
    coll c;
    int rc = cdt_coll_parse(cur, curn, &c);
    if (rc) /* a context step into a value that is no list or map is not applicable */
        return rc == AERO_ERR_BIN_INCOMPATIBLE_TYPE ? AERO_ERR_OP_NOT_APPLICABLE : rc;
    int found = cdt_find(&c, (int)type, &x->items[k + 1]);
    elems e;
    if (!load(&c, &e)) {
        cdt_coll_free(&c);
        return AERO_ERR_SERVER;
    }
    uint32_t at = 0;
    span child = { 0 };
    if (found >= 0) {
        at = c.pos[found];
        child = c.v[found];
    } else if (found == -AERO_ERR_ELEMENT_NOT_FOUND && (creating || (type & AERO_CDT_CTX_CREATE_MASK))) {
        rc = ctx_create(&e, &c, type, x->items[k + 1], &at);
        child = creates_map(x->items, k, x->n, x->op, x->opn) ? (span){ (const uint8_t *)"\x80", 1 }
                                                              : (span){ (const uint8_t *)"\x90", 1 };
        creating = true;
    } else {
        rc = found == -AERO_ERR_PARAMETER ? AERO_ERR_PARAMETER : AERO_ERR_OP_NOT_APPLICABLE;
    }
    aero_buf sub;
    aero_buf__init(&sub, NULL, 0);
    if (rc == 0)
        rc = modify_in(x, child.p, child.n, k + 2, creating, &sub);
    if (rc == 0) {
        e.v[at] = (span){ sub.data, sub.len };
        if (sub.failed || !write_coll(out, c.is_map, c.has_ext, c.flags, &e))
            rc = AERO_ERR_SERVER;
    }
    if (rc != 0) {
        free(*x->data);
        *x->data = NULL;
    }
    free(e.k);
    free(e.v);
    aero_buf__free(&sub);
    cdt_coll_free(&c);
    return rc;
}

/* The op of x inside the context x->items on bin `name` of w. */
static int modify_ctx(ts_record *w, const char *name, size_t name_len, ctx_run *x) {
    ts_bin *b = ts_record_bin(w, name, name_len);
    int64_t t0 = 0;
    cdt_as_int(&x->items[0], &t0);
    if (!b && !(t0 & AERO_CDT_CTX_CREATE_MASK))
        return AERO_ERR_OP_NOT_APPLICABLE; /* nothing to find the element in */
    if (b && b->ptype != AERO_PT_LIST && b->ptype != AERO_PT_MAP)
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    /* a missing bin is created by a creating first item, of that item's kind */
    bool map = b ? b->ptype == AERO_PT_MAP : (t0 & AERO_CDT_CTX_COLLECTION_MASK) == AERO_CDT_CTX_MAP;
    const uint8_t *cur = b ? b->data : (const uint8_t *)(map ? "\x80" : "\x90");
    aero_buf out;
    aero_buf__init(&out, NULL, 0);
    int rc = modify_in(x, cur, b ? b->len : 1, 0, false, &out);
    if (rc == CTX_NOOP) {
        aero_buf__free(&out);
        return 0; /* nil, nothing created */
    }
    if (rc == 0 && out.len > MAX_BIN)
        rc = AERO_ERR_RECORD_TOO_BIG;
    if (rc == 0 && (out.failed || !ts_record_set_bin(w, name, name_len, map ? AERO_PT_MAP : AERO_PT_LIST, out.data,
                                                     (uint32_t)out.len)))
        rc = AERO_ERR_SERVER;
    if (rc != 0) {
        free(*x->data);
        *x->data = NULL;
    }
    aero_buf__free(&out);
    return rc;
}

int ts_cdt_modify_op(ts_record *w, const char *name, size_t name_len, const uint8_t *payload, size_t len,
                     uint8_t *ptype, uint8_t **data, uint32_t *dlen) {
    *ptype = AERO_PT_NULL;
    *data = NULL;
    *dlen = 0;
    mp_reader r = { payload, payload + len };
    mp_obj o, code, ctx;
    if (!mp_read(&r, &o) || o.type != MP_ARRAY || o.len < 1 || !mp_read(&r, &code) || code.type != MP_INT)
        return AERO_ERR_PARAMETER;
    if (code.i != AERO_CDT_OP_CONTEXT_EVAL)
        return modify_flat(w, name, name_len, payload, len, ptype, data, dlen);
    /* [CONTEXT_EVAL, [ctx_type, ctx_value, ...], [op, args...]] */
    if (o.len != 3 || !mp_read(&r, &ctx) || ctx.type != MP_ARRAY || ctx.len % 2 || ctx.len == 0 ||
        ctx.len > 2 * TS_CDT_MAX_DEPTH)
        return AERO_ERR_PARAMETER;
    span *items = malloc(ctx.len * sizeof *items);
    if (!items)
        return AERO_ERR_SERVER;
    ctx_run x = { .items = items, .n = ctx.len, .ptype = ptype, .data = data, .dlen = dlen };
    int rc = 0;
    for (uint32_t i = 0; i < ctx.len && rc == 0; i++)
        if (!mp_span(&r, &items[i].p, &items[i].n))
            rc = AERO_ERR_PARAMETER;
    if (rc == 0 && (!mp_span(&r, &x.op, &x.opn) || r.p != r.end))
        rc = AERO_ERR_PARAMETER;
    if (rc == 0)
        rc = modify_ctx(w, name, name_len, &x);
    free(items);
    return rc;
}

/* One value normalized as the server stores it (see ts_cdt_normalize). */
static bool has_map(const uint8_t *p, size_t n) {
    mp_reader r = { p, p + n };
    mp_obj o;
    while (r.p < r.end)
        if (!mp_read(&r, &o) || o.type == MP_MAP)
            return true; /* malformed bytes are left to the parse to refuse */
    return false;
}

static int normalize(const uint8_t *p, size_t n, aero_buf *out, int depth) {
    mp_reader r = { p, p + n };
    mp_obj o;
    if (!mp_read(&r, &o))
        return AERO_ERR_PARAMETER;
    bool ordered_list = o.type == MP_ARRAY && r.p < r.end && (*r.p == 0xc7 || *r.p == 0xd4);
    if (o.type != MP_MAP && !(o.type == MP_ARRAY && (ordered_list || has_map(r.p, (size_t)(r.end - r.p))))) {
        aero_buf__put(out, p, n); /* nothing in it to sort */
        return 0;
    }
    if (depth > TS_CDT_MAX_DEPTH)
        return AERO_ERR_PARAMETER;
    coll c;
    int rc = cdt_coll_parse(p, n, &c);
    if (rc)
        return rc;
    bool ordered = c.has_ext && (c.flags & AERO_CDT_ORDER_ORDERED);
    for (uint32_t i = 0; i < c.n && ordered && rc == 0; i++) /* an ordered collection must come sorted */
        if ((c.is_map ? c.pos[i] : c.by_rank[i]) != i)
            rc = AERO_ERR_SERVER;
    elems e = { 0 };
    aero_buf vals;
    aero_buf__init(&vals, NULL, 0);
    size_t *off = rc == 0 ? malloc((c.n + 1) * sizeof *off) : NULL;
    if (rc == 0 && !off)
        rc = AERO_ERR_SERVER;
    for (uint32_t i = 0; i < c.n && rc == 0; i++) { /* maps: key order; lists: their order */
        off[i] = vals.len;
        rc = normalize(c.v[i].p, c.v[i].n, &vals, depth + 1);
    }
    if (rc == 0) {
        off[c.n] = vals.len;
        for (uint32_t i = 0; i < c.n && rc == 0; i++)
            if (!push(&e, c.is_map ? c.k[i] : (span){ 0 }, (span){ vals.data + off[i], off[i + 1] - off[i] }))
                rc = AERO_ERR_SERVER;
    }
    if (rc == 0 && (vals.failed || !write_coll(out, c.is_map, c.has_ext, c.flags, &e)))
        rc = AERO_ERR_SERVER;
    free(off);
    free(e.k);
    free(e.v);
    aero_buf__free(&vals);
    cdt_coll_free(&c);
    return rc;
}

int ts_cdt_normalize(const uint8_t *p, size_t n, aero_buf *out) { return normalize(p, n, out, 0); }
