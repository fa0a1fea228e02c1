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
 */
#include <stdlib.h>
#include <string.h>

#include "cdt_int.h"

#define LIST_ADD_UNIQUE     1
#define LIST_INSERT_BOUNDED 2
#define CDT_NO_FAIL         4
#define CDT_PARTIAL         8
#define MAP_CREATE_ONLY     1
#define MAP_UPDATE_ONLY     2
/* Padding a list this far past its end is refused as too big (13). */
#define MAX_PAD 10000

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
    bool sorted = has_ext && (flags & 1);
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
    if (x.type == MP_INT && y.type == MP_INT) {
        mp_put_int(out, (int64_t)((uint64_t)x.i + (uint64_t)y.i));
        return true;
    }
    if (x.type == MP_FLOAT && (y.type == MP_FLOAT || y.type == MP_INT)) {
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
    if (na < 0 || r.p != r.end)
        return AERO_ERR_PARAMETER;
    int64_t opc = code.i;
    bool is_map = opc >= 64;
    if ((opc > 13 && opc < 32) || (opc > 40 && opc < 64) || opc > 89)
        return AERO_ERR_PARAMETER;
    ts_bin *b = ts_record_bin(w, name, name_len);
    if (b && b->ptype != (is_map ? AERO_PT_MAP : AERO_PT_LIST))
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    static const uint8_t empty_list[1] = { 0x90 }, empty_map[1] = { 0x80 };
    const uint8_t *cur = b ? b->data : (is_map ? empty_map : empty_list);
    size_t curn = b ? b->len : 1;
    coll c;
    int rc = cdt_coll_parse(cur, curn, &c);
    if (rc)
        return rc;
    elems e;
    if (!load(&c, &e)) {
        cdt_coll_free(&c);
        return AERO_ERR_SERVER;
    }
    bool has_ext = c.has_ext;
    uint8_t flags = c.flags;
    aero_buf res, out;
    aero_buf__init(&res, NULL, 0);
    aero_buf__init(&out, NULL, 0);
    uint8_t *computed = NULL; /* a value computed by increment, owned here */
    bool changed = true;
    int64_t i1 = 0, i2 = 0;
    rc = 0;

    if ((opc >= 32 && opc <= 40) || (opc >= 76 && opc <= 89)) {
        static const int16_t list_map[] = { 19, 22, 21, 22, 23, 24, 25, 26, 27 };
        static const int16_t map_map[] = { 97, 98, 99, 100, -1, 107, 102, 108, 103, 104, 105, 106, 109, 110 };
        int64_t ropc = opc <= 40 ? list_map[opc - 32] : map_map[opc - 76];
        bool *sel = calloc(c.n ? c.n : 1, sizeof *sel);
        int64_t rt = 0;
        bool single = false;
        if (!sel || ropc < 0)
            rc = sel ? AERO_ERR_PARAMETER : AERO_ERR_SERVER;
        else
            rc = cdt_select(&c, ropc, a, na, sel, &rt, &single);
        if (rc == 0)
            rc = cdt_emit(&c, sel, rt, single, &res);
        if (rc == 0) {
            bool inv = (rt & RT_INVERTED) != 0;
            elems keep = { 0 };
            uint32_t *order = malloc((c.n ? c.n : 1) * sizeof *order);
            if (!order) {
                rc = AERO_ERR_SERVER;
            } else {
                for (uint32_t i = 0; i < c.n; i++)
                    order[c.pos[i]] = i;
                for (uint32_t j = 0; j < c.n; j++) {
                    uint32_t i = order[j];
                    if (sel[i] == inv)
                        push(&keep, is_map ? c.k[i] : (span){ 0 }, c.v[i]);
                }
                free(order);
                free(e.k);
                free(e.v);
                e = keep;
            }
        }
        free(sel);
    } else {
        switch (opc) {
        case 0: /* set_type [order] */
            if (na < 1 || !cdt_as_int(&a[0], &i1)) {
                rc = AERO_ERR_PARAMETER;
                break;
            }
            has_ext = i1 != 0;
            flags = (uint8_t)(i1 & 1);
            mp_put_nil(&res);
            break;
        case 64: /* map set_type [attr] */
            if (na < 1 || !cdt_as_int(&a[0], &i1)) {
                rc = AERO_ERR_PARAMETER;
                break;
            }
            has_ext = (i1 & 3) != 0;
            flags = (uint8_t)(i1 & 3);
            mp_put_nil(&res);
            break;
        case 1:
        case 2:
        case 3:
        case 4: { /* append(_items), insert(_items) */
            bool items = opc == 2 || opc == 4, insert = opc >= 3;
            int vi = insert ? 1 : 0;
            int64_t pflags = 0;
            if (na <= vi) {
                rc = AERO_ERR_PARAMETER;
                break;
            }
            if (insert && !cdt_as_int(&a[0], &i1)) {
                rc = AERO_ERR_PARAMETER;
                break;
            }
            if (!insert && na > vi + 1) {
                int64_t ord;
                if (cdt_as_int(&a[vi + 1], &ord) && ord && !b) {
                    has_ext = true;
                    flags = 1;
                }
            }
            if (na > vi + 2)
                cdt_as_int(&a[vi + 2], &pflags);
            else if (insert && na > vi + 1)
                cdt_as_int(&a[vi + 1], &pflags);
            span vals[1] = { a[vi] };
            mp_reader lr = { a[vi].p, a[vi].p + a[vi].n };
            mp_obj lo;
            uint32_t cnt = 1;
            if (items) {
                if (!mp_read(&lr, &lo) || lo.type != MP_ARRAY) {
                    rc = AERO_ERR_PARAMETER;
                    break;
                }
                cnt = lo.len;
            }
            int64_t at = insert ? norm_index(i1, e.n) : (int64_t)e.n;
            if (at < 0 || (at > (int64_t)e.n && (pflags & LIST_INSERT_BOUNDED))) {
                rc = (pflags & CDT_NO_FAIL) ? 0 : AERO_ERR_OP_NOT_APPLICABLE;
                mp_put_int(&res, e.n);
                changed = false;
                break;
            }
            if (at > (int64_t)e.n + MAX_PAD) {
                rc = AERO_ERR_RECORD_TOO_BIG;
                break;
            }
            while (at > (int64_t)e.n) /* unbounded insert pads with nil */
                push(&e, (span){ 0 }, (span){ (const uint8_t *)"\xc0", 1 });
            for (uint32_t k = 0; k < cnt && rc == 0; k++) {
                span v = vals[0];
                if (items && !mp_span(&lr, &v.p, &v.n)) {
                    rc = AERO_ERR_PARAMETER;
                    break;
                }
                if (pflags & LIST_ADD_UNIQUE) {
                    bool dup = false;
                    for (uint32_t j = 0; j < e.n && !dup; j++)
                        dup = cdt_cmpv(&e.v[j], v.p, v.n) == 0;
                    if (dup) {
                        if (!(pflags & CDT_NO_FAIL))
                            rc = AERO_ERR_ELEMENT_EXISTS;
                        continue;
                    }
                }
                if (!push(&e, (span){ 0 }, v)) {
                    rc = AERO_ERR_SERVER;
                    break;
                }
                memmove(&e.v[at + 1], &e.v[at], (e.n - 1 - (size_t)at) * sizeof(span));
                e.v[at++] = v;
            }
            mp_put_int(&res, e.n);
            break;
        }
        case 5:
        case 6:
        case 7:
        case 8:
        case 10: { /* pop(_range), remove(_range), trim */
            if (na < 1 || !cdt_as_int(&a[0], &i1)) {
                rc = AERO_ERR_PARAMETER;
                break;
            }
            bool ranged = opc == 6 || opc == 8 || opc == 10;
            bool hc = na > 1 && cdt_as_int(&a[1], &i2);
            int64_t s = norm_index(i1, e.n), en = ranged ? (hc ? s + i2 : (int64_t)e.n) : s + 1;
            if (s < 0)
                s = 0;
            if (en > (int64_t)e.n)
                en = e.n;
            if (en < s)
                en = s;
            elems keep = { 0 };
            uint32_t removed = 0;
            if (opc == 5 || opc == 6) {
                if (opc == 6)
                    mp_put_array(&res, (uint32_t)(en - s));
                else if (en == s)
                    mp_put_nil(&res);
            }
            for (uint32_t j = 0; j < e.n; j++) {
                bool in = (int64_t)j >= s && (int64_t)j < en;
                bool drop = opc == 10 ? !in : in;
                if (drop) {
                    removed++;
                    if (opc == 5 || opc == 6)
                        aero_buf__put(&res, e.v[j].p, e.v[j].n);
                } else {
                    push(&keep, (span){ 0 }, e.v[j]);
                }
            }
            if (opc == 7 || opc == 8 || opc == 10)
                mp_put_int(&res, removed);
            free(e.k);
            free(e.v);
            e = keep;
            break;
        }
        case 9: /* set [index, value] */
            if (na < 2 || !cdt_as_int(&a[0], &i1)) {
                rc = AERO_ERR_PARAMETER;
                break;
            }
            i1 = norm_index(i1, e.n);
            if (i1 < 0) {
                rc = AERO_ERR_OP_NOT_APPLICABLE;
                break;
            }
            if (i1 >= (int64_t)e.n + MAX_PAD) {
                rc = AERO_ERR_RECORD_TOO_BIG;
                break;
            }
            while (i1 >= (int64_t)e.n)
                push(&e, (span){ 0 }, (span){ (const uint8_t *)"\xc0", 1 });
            e.v[i1] = a[1];
            mp_put_nil(&res);
            break;
        case 11:
        case 75: /* clear */
            e.n = 0;
            mp_put_nil(&res);
            break;
        case 12: { /* list increment [index, delta?] */
            if (na < 1 || !cdt_as_int(&a[0], &i1)) {
                rc = AERO_ERR_PARAMETER;
                break;
            }
            i1 = norm_index(i1, e.n);
            if (i1 < 0) {
                rc = AERO_ERR_OP_NOT_APPLICABLE;
                break;
            }
            if (i1 >= (int64_t)e.n + MAX_PAD) {
                rc = AERO_ERR_RECORD_TOO_BIG;
                break;
            }
            while (i1 >= (int64_t)e.n)
                push(&e, (span){ 0 }, (span){ (const uint8_t *)"\x00", 1 });
            size_t vn = 0;
            computed = sum(&e.v[i1], na > 1 ? &a[1] : NULL, false, &vn);
            if (!computed) {
                rc = AERO_ERR_BIN_INCOMPATIBLE_TYPE;
                break;
            }
            e.v[i1] = (span){ computed, vn };
            aero_buf__put(&res, computed, vn);
            break;
        }
        case 13: /* sort */
            has_ext = false;
            tl_keys = false;
            tl_e = &e;
            {
                uint32_t *ord = malloc((e.n ? e.n : 1) * sizeof *ord);
                span *nv = malloc((e.n ? e.n : 1) * sizeof *nv);
                if (!ord || !nv) {
                    free(ord);
                    free(nv);
                    rc = AERO_ERR_SERVER;
                    break;
                }
                for (uint32_t j = 0; j < e.n; j++)
                    ord[j] = j;
                qsort(ord, e.n, sizeof *ord, cmp_idx);
                for (uint32_t j = 0; j < e.n; j++)
                    nv[j] = e.v[ord[j]];
                memcpy(e.v, nv, e.n * sizeof *nv);
                free(ord);
                free(nv);
            }
            mp_put_nil(&res);
            break;
        case 65:
        case 66:
        case 67:
        case 68:
        case 69:
        case 70: { /* add, put, replace (items) */
            bool items = opc == 66 || opc == 68 || opc == 70;
            int64_t wflags = 0;
            if (opc == 65 || opc == 66)
                wflags = MAP_CREATE_ONLY;
            if (opc == 69 || opc == 70)
                wflags = MAP_UPDATE_ONLY;
            int ai = items ? 1 : 2;
            if (na < ai) {
                rc = AERO_ERR_PARAMETER;
                break;
            }
            if (na > ai) {
                int64_t attr;
                if (cdt_as_int(&a[ai], &attr) && !b && (attr & 3)) {
                    has_ext = true;
                    flags = (uint8_t)(attr & 3);
                }
            }
            if (na > ai + 1) {
                int64_t f;
                if (cdt_as_int(&a[ai + 1], &f))
                    wflags |= f;
            }
            mp_reader mr = { a[0].p, a[0].p + a[0].n };
            mp_obj mo;
            uint32_t cnt = 1;
            if (items) {
                if (!mp_read(&mr, &mo) || mo.type != MP_MAP) {
                    rc = AERO_ERR_PARAMETER;
                    break;
                }
                cnt = mo.len;
            }
            for (uint32_t k = 0; k < cnt && rc == 0; k++) {
                span key = a[0], v = a[1];
                if (items && (!mp_span(&mr, &key.p, &key.n) || !mp_span(&mr, &v.p, &v.n))) {
                    rc = AERO_ERR_PARAMETER;
                    break;
                }
                int found = -1;
                for (uint32_t j = 0; j < e.n && found < 0; j++)
                    if (cdt_cmpv(&e.k[j], key.p, key.n) == 0)
                        found = (int)j;
                if ((found >= 0 && (wflags & MAP_CREATE_ONLY)) || (found < 0 && (wflags & MAP_UPDATE_ONLY))) {
                    if (!(wflags & CDT_NO_FAIL))
                        rc = found >= 0 ? AERO_ERR_ELEMENT_EXISTS : AERO_ERR_ELEMENT_NOT_FOUND;
                    continue;
                }
                if (found >= 0)
                    e.v[found] = v;
                else if (!push(&e, key, v))
                    rc = AERO_ERR_SERVER;
            }
            mp_put_int(&res, e.n);
            break;
        }
        case 73:
        case 74: { /* map increment / decrement [key, delta?] */
            if (na < 1) {
                rc = AERO_ERR_PARAMETER;
                break;
            }
            int found = -1;
            for (uint32_t j = 0; j < e.n && found < 0; j++)
                if (cdt_cmpv(&e.k[j], a[0].p, a[0].n) == 0)
                    found = (int)j;
            size_t vn = 0;
            computed = sum(found >= 0 ? &e.v[found] : NULL, na > 1 ? &a[1] : NULL, opc == 74, &vn);
            if (!computed) {
                rc = AERO_ERR_BIN_INCOMPATIBLE_TYPE;
                break;
            }
            if (found < 0) {
                if (!push(&e, a[0], (span){ computed, vn })) {
                    rc = AERO_ERR_SERVER;
                    break;
                }
            } else {
                e.v[found] = (span){ computed, vn };
            }
            aero_buf__put(&res, computed, vn);
            break;
        }
        default: rc = AERO_ERR_PARAMETER;
        }
    }
    if (rc == 0 && changed && (out.failed || !write_coll(&out, is_map, has_ext, flags, &e)))
        rc = AERO_ERR_SERVER;
    if (rc == 0 && changed) {
        if (!ts_record_set_bin(w, name, name_len, is_map ? AERO_PT_MAP : AERO_PT_LIST, out.data, (uint32_t)out.len))
            rc = AERO_ERR_SERVER;
    }
    if (rc == 0 && res.len && !res.failed)
        rc = ts_cdt_to_particle(res.data, res.len, ptype, data, dlen);
    free(e.k);
    free(e.v);
    cdt_coll_free(&c);
    aero_buf__free(&res);
    aero_buf__free(&out);
    free(computed);
    return rc;
}

/*
 * Apply op at the element selected by ctx items [k, n) inside the
 * collection cur; the rebuilt collection goes to out.
 */
static int modify_in(const uint8_t *cur, size_t curn, const span *items, uint32_t k, uint32_t n, const uint8_t *op,
                     size_t opn, aero_buf *out, uint8_t *ptype, uint8_t **data, uint32_t *dlen, int depth) {
    if (depth > 32)
        return AERO_ERR_PARAMETER;
    if (k == n) { /* the target collection itself: run the op on a scratch bin */
        mp_reader r = { cur, cur + curn };
        mp_obj o;
        if (!mp_read(&r, &o) || (o.type != MP_ARRAY && o.type != MP_MAP))
            return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
        ts_record tmp;
        memset(&tmp, 0, sizeof tmp);
        if (!ts_record_set_bin(&tmp, "t", 1, o.type == MP_ARRAY ? AERO_PT_LIST : AERO_PT_MAP, cur, (uint32_t)curn))
            return AERO_ERR_SERVER;
        int rc = modify_flat(&tmp, "t", 1, op, opn, ptype, data, dlen);
        if (rc == 0 && tmp.n_bins == 1)
            aero_buf__put(out, tmp.bins[0].data, tmp.bins[0].len);
        ts_record_clear_bins(&tmp);
        free(tmp.bins);
        return rc;
    }
    int64_t type;
    if (!cdt_as_int(&items[k], &type))
        return AERO_ERR_PARAMETER;
    coll c;
    int rc = cdt_coll_parse(cur, curn, &c);
    if (rc)
        return rc;
    int found = cdt_find(&c, (int)type, &items[k + 1]);
    if (found < 0) {
        cdt_coll_free(&c);
        return -found;
    }
    aero_buf sub;
    aero_buf__init(&sub, NULL, 0);
    rc = modify_in(c.v[found].p, c.v[found].n, items, k + 2, n, op, opn, &sub, ptype, data, dlen, depth + 1);
    elems e;
    if (rc == 0 && !load(&c, &e))
        rc = AERO_ERR_SERVER;
    if (rc == 0) {
        uint32_t at = c.pos[found]; /* position in original order */
        e.v[at] = (span){ sub.data, sub.len };
        if (sub.failed || !write_coll(out, c.is_map, c.has_ext, c.flags, &e))
            rc = AERO_ERR_SERVER;
        free(e.k);
        free(e.v);
    }
    if (rc != 0) {
        free(*data);
        *data = NULL;
    }
    aero_buf__free(&sub);
    cdt_coll_free(&c);
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
    if (code.i != 0xff)
        return modify_flat(w, name, name_len, payload, len, ptype, data, dlen);
    /* [0xff, [ctx_type, ctx_value, ...], [op, args...]] */
    if (o.len != 3 || !mp_read(&r, &ctx) || ctx.type != MP_ARRAY || ctx.len % 2 || ctx.len == 0 || ctx.len > 64)
        return AERO_ERR_PARAMETER;
    span items[64];
    for (uint32_t i = 0; i < ctx.len; i++)
        if (!mp_span(&r, &items[i].p, &items[i].n))
            return AERO_ERR_PARAMETER;
    const uint8_t *op;
    size_t opn;
    if (!mp_span(&r, &op, &opn) || r.p != r.end)
        return AERO_ERR_PARAMETER;
    ts_bin *b = ts_record_bin(w, name, name_len);
    if (!b)
        return AERO_ERR_ELEMENT_NOT_FOUND; /* creating the path is not supported */
    if (b->ptype != AERO_PT_LIST && b->ptype != AERO_PT_MAP)
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    aero_buf out;
    aero_buf__init(&out, NULL, 0);
    int rc = modify_in(b->data, b->len, items, 0, ctx.len, op, opn, &out, ptype, data, dlen, 0);
    if (rc == 0 && (out.failed || !ts_record_set_bin(w, name, name_len, b->ptype, out.data, (uint32_t)out.len))) {
        free(*data);
        *data = NULL;
        rc = AERO_ERR_SERVER;
    }
    aero_buf__free(&out);
    return rc;
}
