/*
 * proto/msgpack.c - msgpack with Aerospike's conventions (protocol.md 8.2, 9).
 *
 * Packing writes straight into an aero_buf (no allocation besides buffer
 * growth) using the minimal encodings the official client produces, so bytes
 * built here compare equal to theirs. Unpacking checks every length against
 * the reader's end before touching memory, refuses element counts that could
 * not possibly fit in the remaining bytes (so hostile headers cannot make us
 * allocate more than a small multiple of the input), and limits nesting depth.
 */
#include "proto/msgpack.h"
#include "proto/wire.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ packing */

void aero_mp__pack_nil(aero_buf *b) { aero_buf__put_u8(b, 0xc0); }

void aero_mp__pack_bool(aero_buf *b, bool v) { aero_buf__put_u8(b, v ? 0xc3 : 0xc2); }

void aero_mp__pack_uint(aero_buf *b, uint64_t v) {
    uint8_t *d;
    if (v < 128) {
        aero_buf__put_u8(b, (uint8_t)v);
    } else if (v < 256) {
        if ((d = aero_buf__append(b, 2))) {
            d[0] = 0xcc;
            d[1] = (uint8_t)v;
        }
    } else if (v < 65536) {
        if ((d = aero_buf__append(b, 3))) {
            d[0] = 0xcd;
            aero_set_u16be(d + 1, (uint16_t)v);
        }
    } else if (v <= UINT32_MAX) {
        if ((d = aero_buf__append(b, 5))) {
            d[0] = 0xce;
            aero_set_u32be(d + 1, (uint32_t)v);
        }
    } else if ((d = aero_buf__append(b, 9))) {
        d[0] = 0xcf;
        aero_set_u64be(d + 1, v);
    }
}

void aero_mp__pack_int(aero_buf *b, int64_t v) {
    uint8_t *d;
    if (v >= 0) {
        aero_mp__pack_uint(b, (uint64_t)v);
    } else if (v >= -32) {
        aero_buf__put_u8(b, (uint8_t)(int8_t)v);
    } else if (v >= INT8_MIN) {
        if ((d = aero_buf__append(b, 2))) {
            d[0] = 0xd0;
            d[1] = (uint8_t)(int8_t)v;
        }
    } else if (v >= INT16_MIN) {
        if ((d = aero_buf__append(b, 3))) {
            d[0] = 0xd1;
            aero_set_u16be(d + 1, (uint16_t)(int16_t)v);
        }
    } else if (v >= INT32_MIN) {
        if ((d = aero_buf__append(b, 5))) {
            d[0] = 0xd2;
            aero_set_u32be(d + 1, (uint32_t)(int32_t)v);
        }
    } else if ((d = aero_buf__append(b, 9))) {
        d[0] = 0xd3;
        aero_set_u64be(d + 1, (uint64_t)v);
    }
}

void aero_mp__pack_double(aero_buf *b, double v) {
    uint8_t *d = aero_buf__append(b, 9);
    if (d) {
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits);
        d[0] = 0xcb;
        aero_set_u64be(d + 1, bits);
    }
}

static void pack_header(aero_buf *b, uint32_t n, uint8_t fix, uint32_t fixmax, uint8_t c8, uint8_t c16, uint8_t c32) {
    uint8_t *d;
    if (n <= fixmax) {
        aero_buf__put_u8(b, (uint8_t)(fix | n));
    } else if (c8 && n < 256) {
        if ((d = aero_buf__append(b, 2))) {
            d[0] = c8;
            d[1] = (uint8_t)n;
        }
    } else if (n < 65536) {
        if ((d = aero_buf__append(b, 3))) {
            d[0] = c16;
            aero_set_u16be(d + 1, (uint16_t)n);
        }
    } else if ((d = aero_buf__append(b, 5))) {
        d[0] = c32;
        aero_set_u32be(d + 1, n);
    }
}

void aero_mp__pack_array_header(aero_buf *b, uint32_t n) { pack_header(b, n, 0x90, 15, 0, 0xdc, 0xdd); }

void aero_mp__pack_map_header(aero_buf *b, uint32_t n) { pack_header(b, n, 0x80, 15, 0, 0xde, 0xdf); }

void aero_mp__pack_str_header(aero_buf *b, uint32_t n) { pack_header(b, n, 0xa0, 31, 0xd9, 0xda, 0xdb); }

void aero_mp__pack_raw_str(aero_buf *b, const void *p, size_t n) {
    if (n > UINT32_MAX) {
        b->failed = true;
        return;
    }
    aero_mp__pack_str_header(b, (uint32_t)n);
    aero_buf__put(b, p, n);
}

void aero_mp__pack_particle_str(aero_buf *b, uint8_t ptype, const void *p, size_t n) {
    if (n >= UINT32_MAX) {
        b->failed = true;
        return;
    }
    if (!aero_buf__reserve(b, 5 + 1 + n)) /* largest header, type byte, bytes */
        return;
    aero_mp__pack_str_header(b, (uint32_t)n + 1);
    b->data[b->len++] = ptype;
    if (n) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
    }
}

static void pack_ext1(aero_buf *b, uint8_t type, uint8_t data) {
    uint8_t *d = aero_buf__append(b, 3);
    if (d) {
        d[0] = 0xd4;
        d[1] = type;
        d[2] = data;
    }
}

/* The zero-length ext (c7 00 <flags>) that leads an ordered list or map. */
static void pack_order_ext(aero_buf *b, uint8_t flags) {
    uint8_t *d = aero_buf__append(b, 3);
    if (d) {
        d[0] = 0xc7;
        d[1] = 0x00;
        d[2] = flags;
    }
}

/*
 * The server's order of values (its msgpack comparison): first by type, nil <
 * bool < int < string < list < map < bytes < double < geojson, then within the
 * type: false < true, ints and doubles numerically, strings, blobs and geojson
 * by their bytes with the particle-type byte first (so blobs before HLLs) and
 * the shorter first on a common prefix, lists element by element and then the
 * shorter first, maps by entry count and then entry by entry in packed order.
 * Wildcard and infinity only occur in range operands; they rank last.
 */
static int value_rank(const aero_value *v) {
    switch (v->type) {
    case AERO_NIL: return 1;
    case AERO_BOOL: return 2;
    case AERO_INT: return 3;
    case AERO_STR: return 4;
    case AERO_LIST: return 5;
    case AERO_MAP: return 6;
    case AERO_BLOB:
    case AERO_HLL: return 9;
    case AERO_DOUBLE: return 10;
    case AERO_GEOJSON: return 11;
    case AERO_WILDCARD: return 12;
    case AERO_INFINITY: return 13;
    }
    return 0;
}

static uint8_t particle_byte(aero_type t) {
    return t == AERO_STR       ? AERO_PT_STRING
           : t == AERO_GEOJSON ? AERO_PT_GEOJSON
           : t == AERO_HLL     ? AERO_PT_HLL
                               : AERO_PT_BLOB;
}

static int cmp_bytes(uint8_t ta, const void *a, size_t an, uint8_t tb, const void *b, size_t bn) {
    if (ta != tb)
        return ta < tb ? -1 : 1;
    size_t n = an < bn ? an : bn;
    int c = n ? memcmp(a, b, n) : 0;
    if (c)
        return c < 0 ? -1 : 1;
    return an == bn ? 0 : an < bn ? -1 : 1;
}

static int value_cmp(const aero_value *a, const aero_value *b, int depth);
static bool canon_order(const aero_value *v, uint32_t n, int depth, uint32_t *local, uint32_t **idx);

/* Element i of a collection in the order it is packed in (see canon_order). */
static inline const aero_value *item_at(const aero_value *v, const uint32_t *idx, uint32_t i) {
    return &v->v.list.items[idx ? idx[i] : i];
}
static inline const aero_map_entry *entry_at(const aero_value *v, const uint32_t *idx, uint32_t i) {
    return &v->v.map.entries[idx ? idx[i] : i];
}

static int cmp_lists(const aero_value *a, const aero_value *b, int depth) {
    uint32_t na = a->v.list.count, nb = b->v.list.count, la[32], lb[32], *ia = NULL, *ib = NULL;
    int c = 0;
    if (a->v.list.ordered && !canon_order(a, na, depth, la, &ia))
        ia = NULL;
    if (b->v.list.ordered && !canon_order(b, nb, depth, lb, &ib))
        ib = NULL;
    for (uint32_t i = 0; !c && i < na && i < nb; i++)
        c = value_cmp(item_at(a, ia, i), item_at(b, ib, i), depth + 1);
    if (!c)
        c = na == nb ? 0 : na < nb ? -1 : 1;
    if (ia && ia != la)
        free(ia);
    if (ib && ib != lb)
        free(ib);
    return c;
}

static int cmp_maps(const aero_value *a, const aero_value *b, int depth) {
    uint32_t n = a->v.map.count, la[32], lb[32], *ia = NULL, *ib = NULL;
    if (n != b->v.map.count)
        return n < b->v.map.count ? -1 : 1;
    if (a->v.map.order != AERO_MAP_UNORDERED && !canon_order(a, n, depth, la, &ia))
        ia = NULL;
    if (b->v.map.order != AERO_MAP_UNORDERED && !canon_order(b, n, depth, lb, &ib))
        ib = NULL;
    int c = 0;
    for (uint32_t i = 0; !c && i < n; i++) {
        const aero_map_entry *ea = entry_at(a, ia, i), *eb = entry_at(b, ib, i);
        c = value_cmp(&ea->key, &eb->key, depth + 1);
        if (!c)
            c = value_cmp(&ea->value, &eb->value, depth + 1);
    }
    if (ia && ia != la)
        free(ia);
    if (ib && ib != lb)
        free(ib);
    return c;
}

/* Doubles in a total order, so that sorting is deterministic: numbers by
 * value, NaNs after every number; equal values (0.0 and -0.0) and NaNs among
 * themselves by bit pattern. */
static int cmp_doubles(double a, double b) {
    bool an = a != a, bn = b != b;
    if (an != bn)
        return an ? 1 : -1;
    if (!an) {
        if (a < b)
            return -1;
        if (a > b)
            return 1;
    }
    uint64_t x, y;
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    return x == y ? 0 : x < y ? -1 : 1;
}

static int value_cmp(const aero_value *a, const aero_value *b, int depth) {
    int ra = value_rank(a), rb = value_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (depth > AERO_MP_MAX_DEPTH)
        return 0; /* pack_value refuses such a value anyway */
    switch (a->type) {
    case AERO_BOOL: return a->v.b == b->v.b ? 0 : a->v.b ? 1 : -1;
    case AERO_INT: return a->v.i == b->v.i ? 0 : a->v.i < b->v.i ? -1 : 1;
    case AERO_DOUBLE: return cmp_doubles(a->v.d, b->v.d);
    case AERO_STR:
    case AERO_GEOJSON:
        return cmp_bytes(particle_byte(a->type), a->v.str.ptr, a->v.str.len, particle_byte(b->type), b->v.str.ptr,
                         b->v.str.len);
    case AERO_BLOB:
    case AERO_HLL:
        return cmp_bytes(particle_byte(a->type), a->v.bytes.ptr, a->v.bytes.len, particle_byte(b->type), b->v.bytes.ptr,
                         b->v.bytes.len);
    case AERO_LIST: return cmp_lists(a, b, depth);
    case AERO_MAP: return cmp_maps(a, b, depth);
    default: return 0;
    }
}

/* The i-th sort key of an ordered collection: a list item or a map key. */
static inline const aero_value *sort_key(const aero_value *v, uint32_t i) {
    return v->type == AERO_LIST ? &v->v.list.items[i] : &v->v.map.entries[i].key;
}

static bool in_order(const aero_value *v, uint32_t n, int depth) {
    for (uint32_t i = 1; i < n; i++)
        if (value_cmp(sort_key(v, i - 1), sort_key(v, i), depth) > 0)
            return false;
    return true;
}

static inline int idx_cmp(const aero_value *v, const uint32_t *idx, uint32_t i, uint32_t j, int depth) {
    int c = value_cmp(sort_key(v, idx[i]), sort_key(v, idx[j]), depth);
    return c ? c : idx[i] < idx[j] ? -1 : idx[i] > idx[j] ? 1 : 0; /* stable: equal keys keep their order */
}

/* Heap sort of an index permutation: in place, O(n log n), no recursion. */
static void sift_down(const aero_value *v, uint32_t *idx, uint32_t root, uint32_t n, int depth) {
    for (uint32_t child; (child = 2 * root + 1) < n; root = child) {
        if (child + 1 < n && idx_cmp(v, idx, child, child + 1, depth) < 0)
            child++;
        if (idx_cmp(v, idx, root, child, depth) >= 0)
            return;
        uint32_t t = idx[root];
        idx[root] = idx[child];
        idx[child] = t;
    }
}

static void sort_indexes(const aero_value *v, uint32_t *idx, uint32_t n, int depth) {
    for (uint32_t i = 0; i < n; i++)
        idx[i] = i;
    for (uint32_t i = n / 2; i-- > 0;)
        sift_down(v, idx, i, n, depth);
    for (uint32_t end = n; end-- > 1;) {
        uint32_t t = idx[0];
        idx[0] = idx[end];
        idx[end] = t;
        sift_down(v, idx, 0, end, depth);
    }
}

static aero_status pack_value(aero_buf *b, const aero_value *v, int depth);

static aero_status pack_element(aero_buf *b, const aero_value *v, uint32_t i, int depth) {
    if (v->type == AERO_LIST)
        return pack_value(b, &v->v.list.items[i], depth + 1);
    aero_status st = pack_value(b, &v->v.map.entries[i].key, depth + 1);
    return st == AERO_OK ? pack_value(b, &v->v.map.entries[i].value, depth + 1) : st;
}

/*
 * The order an ordered list or a key-ordered map is packed in: the server's
 * order whatever order the caller gave (the server refuses an ordered
 * collection that is not sorted), equal keys in the caller's order. Already
 * sorted input, the usual case, needs no permutation (*idx = NULL); otherwise
 * an index permutation is sorted, in `local` (32 entries) for small
 * collections. False only when a larger permutation cannot be allocated.
 * Comparisons use the same order for nested ordered collections, so packing
 * what was packed gives the same bytes again.
 */
static bool canon_order(const aero_value *v, uint32_t n, int depth, uint32_t *local, uint32_t **idx) {
    *idx = NULL;
    if (in_order(v, n, depth))
        return true;
    uint32_t *p = local;
    if (n > 32 && !(p = malloc((size_t)n * sizeof *p)))
        return false;
    sort_indexes(v, p, n, depth);
    *idx = p;
    return true;
}

static aero_status pack_sorted(aero_buf *b, const aero_value *v, uint32_t n, int depth) {
    uint32_t local[32], *idx;
    aero_status st = AERO_OK;
    if (!canon_order(v, n, depth, local, &idx))
        return AERO_ERR_NO_MEMORY;
    for (uint32_t i = 0; i < n && st == AERO_OK; i++)
        st = pack_element(b, v, idx ? idx[i] : i, depth);
    if (idx && idx != local)
        free(idx);
    return st;
}

static aero_status pack_value(aero_buf *b, const aero_value *v, int depth) {
    if (depth > AERO_MP_MAX_DEPTH)
        return AERO_ERR_PARAM;
    switch (v->type) {
    case AERO_NIL: aero_mp__pack_nil(b); return AERO_OK;
    case AERO_BOOL: aero_mp__pack_bool(b, v->v.b); return AERO_OK;
    case AERO_INT: aero_mp__pack_int(b, v->v.i); return AERO_OK;
    case AERO_DOUBLE: aero_mp__pack_double(b, v->v.d); return AERO_OK;
    case AERO_STR: aero_mp__pack_particle_str(b, AERO_PT_STRING, v->v.str.ptr, v->v.str.len); return AERO_OK;
    case AERO_GEOJSON: aero_mp__pack_particle_str(b, AERO_PT_GEOJSON, v->v.str.ptr, v->v.str.len); return AERO_OK;
    case AERO_BLOB: aero_mp__pack_particle_str(b, AERO_PT_BLOB, v->v.bytes.ptr, v->v.bytes.len); return AERO_OK;
    case AERO_HLL: aero_mp__pack_particle_str(b, AERO_PT_HLL, v->v.bytes.ptr, v->v.bytes.len); return AERO_OK;
    case AERO_LIST: {
        uint32_t n = v->v.list.count;
        if (v->v.list.ordered) {
            if (n == UINT32_MAX)
                return AERO_ERR_PARAM;
            aero_mp__pack_array_header(b, n + 1);
            pack_order_ext(b, 0x01);
            return pack_sorted(b, v, n, depth);
        }
        aero_mp__pack_array_header(b, n);
        for (uint32_t i = 0; i < n; i++) {
            aero_status st = pack_value(b, &v->v.list.items[i], depth + 1);
            if (st != AERO_OK)
                return st;
        }
        return AERO_OK;
    }
    case AERO_MAP: {
        uint32_t n = v->v.map.count;
        if (v->v.map.order != AERO_MAP_UNORDERED) {
            if (n == UINT32_MAX)
                return AERO_ERR_PARAM;
            aero_mp__pack_map_header(b, n + 1);
            pack_order_ext(b, (uint8_t)v->v.map.order);
            aero_mp__pack_nil(b);
            return pack_sorted(b, v, n, depth);
        }
        aero_mp__pack_map_header(b, n);
        for (uint32_t i = 0; i < n; i++) {
            aero_status st = pack_element(b, v, i, depth);
            if (st != AERO_OK)
                return st;
        }
        return AERO_OK;
    }
    case AERO_WILDCARD: pack_ext1(b, 0xff, 0x00); return AERO_OK;
    case AERO_INFINITY: pack_ext1(b, 0xff, 0x01); return AERO_OK;
    }
    return AERO_ERR_PARAM;
}

aero_status aero_mp__pack_value(aero_buf *b, const aero_value *v) {
    aero_status st = pack_value(b, v, 0);
    if (st == AERO_OK && b->failed)
        return AERO_ERR_NO_MEMORY;
    return st;
}

/* ---------------------------------------------------------------- unpacking */

static inline size_t left(const aero_mp_reader *r) { return (size_t)(r->end - r->p); }

/* Read n header bytes after the type byte as a BE unsigned. */
static inline bool take_be(aero_mp_reader *r, size_t n, uint64_t *out) {
    if (left(r) < n)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | r->p[i];
    r->p += n;
    *out = v;
    return true;
}

/* Kinds of msgpack items, as seen from their first byte. */
enum kind { K_BAD, K_NIL, K_BOOL, K_UINT, K_INT, K_F32, K_F64, K_STR, K_BIN, K_ARRAY, K_MAP, K_EXT };

/*
 * Decode the head of one item: its kind and the scalar, length or count that
 * follows the type byte. For K_EXT, *n is the data length and *ext_type the
 * ext type; the data itself is not consumed.
 */
static bool read_head(aero_mp_reader *r, enum kind *k, uint64_t *n, uint8_t *ext_type) {
    if (r->p >= r->end)
        return false;
    uint8_t c = *r->p++;
    if (c <= 0x7f) {
        *k = K_UINT;
        *n = c;
        return true;
    }
    if (c >= 0xe0) {
        *k = K_INT;
        *n = (uint64_t)(int64_t)(int8_t)c;
        return true;
    }
    if (c <= 0x8f) {
        *k = K_MAP;
        *n = c & 0x0f;
        return true;
    }
    if (c <= 0x9f) {
        *k = K_ARRAY;
        *n = c & 0x0f;
        return true;
    }
    if (c <= 0xbf) {
        *k = K_STR;
        *n = c & 0x1f;
        return true;
    }
    uint64_t v;
    switch (c) {
    case 0xc0: *k = K_NIL; return true;
    case 0xc2:
    case 0xc3:
        *k = K_BOOL;
        *n = c & 1;
        return true;
    case 0xc4:
    case 0xc5:
    case 0xc6: *k = K_BIN; return take_be(r, (size_t)1 << (c - 0xc4), n);
    case 0xc7:
    case 0xc8:
    case 0xc9:
        *k = K_EXT;
        if (!take_be(r, (size_t)1 << (c - 0xc7), n) || left(r) < 1)
            return false;
        *ext_type = *r->p++;
        return true;
    case 0xca: *k = K_F32; return take_be(r, 4, n);
    case 0xcb: *k = K_F64; return take_be(r, 8, n);
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf: *k = K_UINT; return take_be(r, (size_t)1 << (c - 0xcc), n);
    case 0xd0:
        *k = K_INT;
        if (!take_be(r, 1, &v))
            return false;
        *n = (uint64_t)(int64_t)(int8_t)v;
        return true;
    case 0xd1:
        *k = K_INT;
        if (!take_be(r, 2, &v))
            return false;
        *n = (uint64_t)(int64_t)(int16_t)v;
        return true;
    case 0xd2:
        *k = K_INT;
        if (!take_be(r, 4, &v))
            return false;
        *n = (uint64_t)(int64_t)(int32_t)v;
        return true;
    case 0xd3: *k = K_INT; return take_be(r, 8, n);
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
        *k = K_EXT;
        *n = (uint64_t)1 << (c - 0xd4);
        if (left(r) < 1)
            return false;
        *ext_type = *r->p++;
        return true;
    case 0xd9:
    case 0xda:
    case 0xdb: *k = K_STR; return take_be(r, (size_t)1 << (c - 0xd9), n);
    case 0xdc:
    case 0xdd: *k = K_ARRAY; return take_be(r, c == 0xdc ? 2 : 4, n);
    case 0xde:
    case 0xdf: *k = K_MAP; return take_be(r, c == 0xde ? 2 : 4, n);
    default: /* 0xc1 is never used */ *k = K_BAD; return false;
    }
}

aero_status aero_mp__skip(aero_mp_reader *r) {
    /* Iterative: count the items still owed instead of recursing, so nesting
     * depth costs nothing and cannot overflow the stack. */
    uint64_t owed = 1;
    while (owed > 0) {
        enum kind k;
        uint64_t n = 0;
        uint8_t et;
        if (!read_head(r, &k, &n, &et))
            return AERO_ERR_PROTOCOL;
        owed--;
        switch (k) {
        case K_STR:
        case K_BIN:
        case K_EXT:
            if (n > left(r))
                return AERO_ERR_PROTOCOL;
            r->p += n;
            break;
        case K_ARRAY:
        case K_MAP:
            /* every element takes at least one byte */
            if (n > left(r) || (k == K_MAP && 2 * n > left(r)))
                return AERO_ERR_PROTOCOL;
            owed += k == K_MAP ? 2 * n : n;
            break;
        default: break;
        }
    }
    return AERO_OK;
}

aero_status aero_mp__read_int(aero_mp_reader *r, int64_t *out) {
    aero_mp_reader save = *r;
    enum kind k;
    uint64_t n = 0;
    uint8_t et;
    if (!read_head(r, &k, &n, &et) || (k != K_UINT && k != K_INT)) {
        *r = save;
        return AERO_ERR_PROTOCOL;
    }
    *out = (int64_t)n;
    return AERO_OK;
}

static aero_status read_count(aero_mp_reader *r, enum kind want, uint32_t *out) {
    aero_mp_reader save = *r;
    enum kind k;
    uint64_t n = 0;
    uint8_t et;
    if (!read_head(r, &k, &n, &et) || k != want || n > left(r)) {
        *r = save;
        return AERO_ERR_PROTOCOL;
    }
    *out = (uint32_t)n;
    return AERO_OK;
}

aero_status aero_mp__read_array_header(aero_mp_reader *r, uint32_t *n) { return read_count(r, K_ARRAY, n); }

aero_status aero_mp__read_map_header(aero_mp_reader *r, uint32_t *n) { return read_count(r, K_MAP, n); }

aero_status aero_mp__read_str(aero_mp_reader *r, const uint8_t **p, uint32_t *n) {
    aero_mp_reader save = *r;
    enum kind k;
    uint64_t len = 0;
    uint8_t et;
    if (!read_head(r, &k, &len, &et) || (k != K_STR && k != K_BIN) || len > left(r)) {
        *r = save;
        return AERO_ERR_PROTOCOL;
    }
    *p = r->p;
    *n = (uint32_t)len;
    r->p += len;
    return AERO_OK;
}

aero_status aero_mp__read_item(aero_mp_reader *r, aero_mp_item *out) {
    aero_mp_reader save = *r;
    enum kind k;
    uint64_t n = 0;
    uint8_t et = 0;
    memset(out, 0, sizeof *out);
    if (!read_head(r, &k, &n, &et))
        goto bad;
    switch (k) {
    case K_NIL: out->kind = AERO_MP_NIL; break;
    case K_BOOL:
        out->kind = AERO_MP_BOOL;
        out->b = n != 0;
        break;
    case K_UINT:
    case K_INT:
        out->kind = AERO_MP_INT;
        out->i = (int64_t)n;
        break;
    case K_F32: {
        uint32_t bits = (uint32_t)n;
        float f;
        memcpy(&f, &bits, sizeof f);
        out->kind = AERO_MP_FLOAT;
        out->d = f;
        break;
    }
    case K_F64: {
        double d;
        memcpy(&d, &n, sizeof d);
        out->kind = AERO_MP_FLOAT;
        out->d = d;
        break;
    }
    case K_STR:
    case K_BIN:
    case K_EXT:
        if (n > left(r))
            goto bad;
        out->kind = k == K_EXT ? AERO_MP_EXT : AERO_MP_BYTES;
        out->ext_type = et;
        out->p = r->p;
        out->n = n;
        r->p += n;
        break;
    case K_ARRAY:
    case K_MAP:
        if (n > left(r) || (k == K_MAP && n > left(r) / 2))
            goto bad;
        out->kind = k == K_ARRAY ? AERO_MP_ARRAY : AERO_MP_MAP;
        out->n = n;
        break;
    default: goto bad;
    }
    return AERO_OK;
bad:
    *r = save;
    return AERO_ERR_PROTOCOL;
}

/* A str/bin payload: first byte is the particle type (protocol.md 9.1). */
static aero_status unpack_bytes(const uint8_t *p, size_t n, aero_arena *arena, aero_value *out) {
    if (n == 0) {
        *out = aero_blob("", 0);
        return AERO_OK;
    }
    uint8_t ptype = p[0];
    const uint8_t *data = p + 1;
    size_t len = n - 1;
    if (ptype == AERO_PT_STRING || ptype == AERO_PT_GEOJSON) {
        char *s = aero_arena__strndup(arena, data, len);
        if (!s)
            return AERO_ERR_NO_MEMORY;
        *out = aero_strn(s, len);
        if (ptype == AERO_PT_GEOJSON)
            out->type = AERO_GEOJSON;
        return AERO_OK;
    }
    /* blobs (0x04 and the language subtypes) and HLL: copied, so values do
     * not depend on the input buffer staying alive */
    uint8_t *copy = aero_arena__alloc(arena, len);
    if (!copy)
        return AERO_ERR_NO_MEMORY;
    if (len)
        memcpy(copy, data, len);
    *out = aero_blob(copy, len);
    if (ptype == AERO_PT_HLL)
        out->type = AERO_HLL;
    return AERO_OK;
}

/*
 * If the next item is the ext that leads an ordered list or map, consume it
 * and return true with *flags = its type byte (the order flags). Ext type
 * 0xff is the wildcard/infinity special, a real element, so it is left alone.
 * *bad is set when the ext is truncated.
 */
static bool take_order_ext(aero_mp_reader *r, uint8_t *flags, bool *bad) {
    aero_mp_reader t = *r;
    enum kind k;
    uint64_t n = 0;
    uint8_t et = 0;
    if (r->p >= r->end || !((*r->p >= 0xc7 && *r->p <= 0xc9) || (*r->p >= 0xd4 && *r->p <= 0xd8)))
        return false;
    if (!read_head(&t, &k, &n, &et) || n > left(&t)) {
        *bad = true;
        return false;
    }
    if (et == 0xff)
        return false;
    t.p += n;
    *r = t;
    *flags = et;
    return true;
}

bool aero_mp__take_order_ext(aero_mp_reader *r) {
    uint8_t flags;
    bool bad = false;
    return take_order_ext(r, &flags, &bad);
}

/*
 * Decoding state. `owed` counts the items that open collections have declared
 * but not yet begun: each needs at least one more byte, so a collection is
 * accepted only if its items plus everything owed fit in the bytes left. That
 * bounds the arena memory of any decode by the input size, however the
 * headers of nested collections lie.
 */
typedef struct unpack_ctx {
    aero_arena *arena;
    uint64_t owed;
} unpack_ctx;

static aero_status unpack(aero_mp_reader *r, unpack_ctx *c, aero_value *out, int depth);

static aero_status unpack_list(aero_mp_reader *r, unpack_ctx *c, aero_value *out, uint64_t n, int depth) {
    bool ordered = false, bad = false;
    uint8_t flags;
    if (n > 0 && take_order_ext(r, &flags, &bad)) {
        ordered = (flags & 0x01) != 0;
        n--;
    }
    if (bad || n > left(r) || c->owed > left(r) - n)
        return AERO_ERR_PROTOCOL;
    aero_value *items = NULL;
    if (n > 0) {
        items = aero_arena__alloc(c->arena, (size_t)n * sizeof *items);
        if (!items)
            return AERO_ERR_NO_MEMORY;
        c->owed += n;
        for (uint64_t i = 0; i < n; i++) {
            c->owed--;
            aero_status st = unpack(r, c, &items[i], depth + 1);
            if (st != AERO_OK)
                return st;
        }
    }
    *out = aero_list(items, (uint32_t)n);
    out->v.list.ordered = ordered;
    return AERO_OK;
}

static aero_status unpack_map(aero_mp_reader *r, unpack_ctx *c, aero_value *out, uint64_t n, int depth) {
    aero_map_order order = AERO_MAP_UNORDERED;
    bool bad = false;
    uint8_t flags;
    if (n > 0 && take_order_ext(r, &flags, &bad)) {
        if (aero_mp__skip(r) != AERO_OK) /* the nil paired with the ext key */
            return AERO_ERR_PROTOCOL;
        if ((flags & 0x03) == 0x03)
            order = AERO_MAP_KEY_VALUE_ORDERED;
        else if (flags & 0x01)
            order = AERO_MAP_KEY_ORDERED;
        n--;
    }
    if (bad || n > left(r) / 2 || c->owed > left(r) - 2 * n)
        return AERO_ERR_PROTOCOL;
    aero_map_entry *entries = NULL;
    if (n > 0) {
        entries = aero_arena__alloc(c->arena, (size_t)n * sizeof *entries);
        if (!entries)
            return AERO_ERR_NO_MEMORY;
        c->owed += 2 * n;
        for (uint64_t i = 0; i < n; i++) {
            c->owed--;
            aero_status st = unpack(r, c, &entries[i].key, depth + 1);
            if (st != AERO_OK)
                return st;
            c->owed--;
            st = unpack(r, c, &entries[i].value, depth + 1);
            if (st != AERO_OK)
                return st;
        }
    }
    *out = aero_map(entries, (uint32_t)n);
    out->v.map.order = order;
    return AERO_OK;
}

static aero_status unpack(aero_mp_reader *r, unpack_ctx *c, aero_value *out, int depth) {
    if (depth > AERO_MP_MAX_DEPTH)
        return AERO_ERR_PROTOCOL;
    enum kind k;
    uint64_t n = 0;
    uint8_t et = 0;
    if (!read_head(r, &k, &n, &et))
        return AERO_ERR_PROTOCOL;
    switch (k) {
    case K_NIL: *out = aero_nil(); return AERO_OK;
    case K_BOOL: *out = aero_bool(n != 0); return AERO_OK;
    case K_UINT:
    case K_INT: *out = aero_int((int64_t)n); return AERO_OK;
    case K_F32: {
        uint32_t bits = (uint32_t)n;
        float f;
        memcpy(&f, &bits, sizeof f);
        *out = aero_double((double)f);
        return AERO_OK;
    }
    case K_F64: {
        double d;
        memcpy(&d, &n, sizeof d);
        *out = aero_double(d);
        return AERO_OK;
    }
    case K_STR:
    case K_BIN: {
        if (n > left(r))
            return AERO_ERR_PROTOCOL;
        const uint8_t *p = r->p;
        r->p += n;
        return unpack_bytes(p, (size_t)n, c->arena, out);
    }
    case K_ARRAY: return unpack_list(r, c, out, n, depth);
    case K_MAP: return unpack_map(r, c, out, n, depth);
    case K_EXT:
        if (n > left(r))
            return AERO_ERR_PROTOCOL;
        /* d4 ff 00 / d4 ff 01: the CDT comparison specials. Other exts only
         * appear leading a collection; anywhere else they read as nil. */
        if (et == 0xff && n == 1 && (r->p[0] == 0 || r->p[0] == 1))
            *out = r->p[0] == 0 ? aero_wildcard() : aero_infinity();
        else
            *out = aero_nil();
        r->p += n;
        return AERO_OK;
    case K_BAD: break;
    }
    return AERO_ERR_PROTOCOL;
}

aero_status aero_mp__unpack_value(aero_mp_reader *r, aero_arena *arena, aero_value *out) {
    aero_mp_reader save = *r;
    unpack_ctx c = { arena, 0 };
    aero_status st = unpack(r, &c, out, 0);
    if (st != AERO_OK) {
        *r = save;
        *out = aero_nil();
    }
    return st;
}
