/*
 * mp.c - msgpack reading and ordering for the test server. Every read is
 * checked against the end of the buffer; skipping is iterative and
 * comparison nesting is limited, so hostile expression or bin bytes can
 * never read out of bounds or recurse forever.
 */
#include "mp.h"

#include <string.h>

static bool need(const mp_reader *r, size_t n) { return (size_t)(r->end - r->p) >= n; }

static uint64_t be(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

static bool bytes(mp_reader *r, mp_obj *o, int type, int lenbytes) {
    if (!need(r, (size_t)lenbytes))
        return false;
    uint32_t n = (uint32_t)be(r->p, lenbytes);
    r->p += lenbytes;
    if (!need(r, n))
        return false;
    o->type = type;
    o->p = r->p;
    o->len = n;
    r->p += n;
    return true;
}

bool mp_read(mp_reader *r, mp_obj *o) {
    memset(o, 0, sizeof *o);
    if (!need(r, 1))
        return false;
    uint8_t c = *r->p++;
    if (c <= 0x7f) {
        o->type = MP_INT;
        o->i = c;
        return true;
    }
    if (c >= 0xe0) {
        o->type = MP_INT;
        o->i = (int8_t)c;
        return true;
    }
    if ((c & 0xf0) == 0x80) {
        o->type = MP_MAP;
        o->len = c & 0x0f;
        return true;
    }
    if ((c & 0xf0) == 0x90) {
        o->type = MP_ARRAY;
        o->len = c & 0x0f;
        return true;
    }
    if ((c & 0xe0) == 0xa0) {
        uint32_t n = c & 0x1f;
        if (!need(r, n))
            return false;
        o->type = MP_STR;
        o->p = r->p;
        o->len = n;
        r->p += n;
        return true;
    }
    switch (c) {
    case 0xc0: o->type = MP_NIL; return true;
    case 0xc2:
        o->type = MP_BOOL;
        o->b = false;
        return true;
    case 0xc3:
        o->type = MP_BOOL;
        o->b = true;
        return true;
    case 0xc4: return bytes(r, o, MP_BIN, 1);
    case 0xc5: return bytes(r, o, MP_BIN, 2);
    case 0xc6: return bytes(r, o, MP_BIN, 4);
    case 0xd9: return bytes(r, o, MP_STR, 1);
    case 0xda: return bytes(r, o, MP_STR, 2);
    case 0xdb: return bytes(r, o, MP_STR, 4);
    case 0xc7:
    case 0xc8:
    case 0xc9: {
        int lb = c == 0xc7 ? 1 : c == 0xc8 ? 2 : 4;
        if (!need(r, (size_t)lb + 1))
            return false;
        uint32_t n = (uint32_t)be(r->p, lb);
        r->p += lb;
        o->ext_type = (int8_t)*r->p++;
        if (!need(r, n))
            return false;
        o->type = MP_EXT;
        o->p = r->p;
        o->len = n;
        r->p += n;
        return true;
    }
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8: {
        uint32_t n = 1u << (c - 0xd4);
        if (!need(r, n + 1))
            return false;
        o->ext_type = (int8_t)*r->p++;
        o->type = MP_EXT;
        o->p = r->p;
        o->len = n;
        r->p += n;
        return true;
    }
    case 0xca: {
        if (!need(r, 4))
            return false;
        uint32_t u = (uint32_t)be(r->p, 4);
        float f;
        memcpy(&f, &u, 4);
        r->p += 4;
        o->type = MP_FLOAT;
        o->f = f;
        return true;
    }
    case 0xcb: {
        if (!need(r, 8))
            return false;
        uint64_t u = be(r->p, 8);
        memcpy(&o->f, &u, 8);
        r->p += 8;
        o->type = MP_FLOAT;
        return true;
    }
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf: {
        int n = 1 << (c - 0xcc);
        if (!need(r, (size_t)n))
            return false;
        o->type = MP_INT;
        o->i = (int64_t)be(r->p, n);
        r->p += n;
        return true;
    }
    case 0xd0:
    case 0xd1:
    case 0xd2:
    case 0xd3: {
        int n = 1 << (c - 0xd0);
        if (!need(r, (size_t)n))
            return false;
        uint64_t u = be(r->p, n);
        if (n < 8 && (u >> (n * 8 - 1)) & 1)
            u |= ~0ull << (n * 8);
        o->type = MP_INT;
        o->i = (int64_t)u;
        r->p += n;
        return true;
    }
    case 0xdc:
    case 0xde: {
        if (!need(r, 2))
            return false;
        o->type = c == 0xdc ? MP_ARRAY : MP_MAP;
        o->len = (uint32_t)be(r->p, 2);
        r->p += 2;
        return true;
    }
    case 0xdd:
    case 0xdf: {
        if (!need(r, 4))
            return false;
        o->type = c == 0xdd ? MP_ARRAY : MP_MAP;
        o->len = (uint32_t)be(r->p, 4);
        r->p += 4;
        return true;
    }
    default: return false;
    }
}

/* Iterative: any nesting depth (as the server stores it) costs no stack. */
bool mp_skip(mp_reader *r) {
    uint64_t pending = 1; /* values still to read */
    while (pending) {
        mp_obj o;
        if (!mp_read(r, &o))
            return false;
        pending--;
        if (o.type == MP_ARRAY || o.type == MP_MAP) {
            uint64_t n = o.type == MP_MAP ? 2ull * o.len : o.len;
            if (n > (uint64_t)(r->end - r->p))
                return false; /* every element takes at least one byte */
            pending += n;
        }
    }
    return true;
}

bool mp_span(mp_reader *r, const uint8_t **p, size_t *n) {
    const uint8_t *s = r->p;
    if (!mp_skip(r))
        return false;
    *p = s;
    *n = (size_t)(r->p - s);
    return true;
}

/* Aerospike type order */
enum { R_NIL = 1, R_BOOL, R_INT, R_STR, R_LIST, R_MAP, R_BYTES, R_DOUBLE, R_GEO, R_INF = 100, R_WILD = 101 };

static int rank_of(const mp_obj *o) {
    switch (o->type) {
    case MP_NIL: return R_NIL;
    case MP_BOOL: return R_BOOL;
    case MP_INT: return R_INT;
    case MP_FLOAT: return R_DOUBLE;
    case MP_ARRAY: return R_LIST;
    case MP_MAP: return R_MAP;
    case MP_BIN: return R_BYTES;
    case MP_STR:
        if (o->len == 0)
            return R_BYTES;
        return o->p[0] == 3 ? R_STR : o->p[0] == 0x17 ? R_GEO : R_BYTES;
    case MP_EXT:
        if (o->ext_type == -1 && o->len >= 1)
            return o->p[0] == 1 ? R_INF : R_WILD;
        return R_NIL;
    default: return 0;
    }
}

/* Skip the elements of container o (already read) in r. */
static void skip_children(mp_reader *r, const mp_obj *o, bool *ok) {
    if (o->type == MP_ARRAY || o->type == MP_MAP)
        for (uint64_t i = 0; i < (o->type == MP_MAP ? 2ull : 1ull) * o->len && *ok; i++)
            *ok = mp_skip(r);
}

/*
 * Skip the ordered-collection header (an ext element, with a nil value in a
 * map) that may open a container of n elements: the server's comparison
 * passes over it. The wildcard and infinity (ext type -1) are values.
 */
static void skip_header(mp_reader *r, uint64_t *n, bool map, bool *ok) {
    if (*n == 0 || r->p >= r->end)
        return;
    uint8_t b = *r->p;
    if (!(b == 0xc7 || b == 0xc8 || b == 0xc9 || (b >= 0xd4 && b <= 0xd8)))
        return;
    mp_reader t = *r;
    mp_obj e;
    if (!mp_read(&t, &e) || e.type != MP_EXT || e.ext_type == -1)
        return;
    *r = t;
    if (map && *n >= 2) {
        *ok = mp_skip(r);
        *n -= 2;
    } else {
        *n -= 1;
    }
}

/*
 * Compare two values whose headers are read. Containers of the same kind
 * (lists, maps of equal size) are not compared here: *descend is set with
 * their element counts, for the caller to compare element by element.
 */
static int cmp_head(mp_reader *a, const mp_obj *oa, mp_reader *b, const mp_obj *ob, bool *ok, bool *descend,
                    uint64_t *na, uint64_t *nb) {
    int ra = rank_of(oa), rb = rank_of(ob);
    *descend = false;
    if (ra == R_WILD || rb == R_WILD || ra != rb) { /* the wildcard equals anything */
        skip_children(a, oa, ok);
        skip_children(b, ob, ok);
        return ra == R_WILD || rb == R_WILD ? 0 : ra < rb ? -1 : 1;
    }
    switch (ra) {
    case R_NIL:
    case R_INF: return 0;
    case R_BOOL: return oa->b == ob->b ? 0 : oa->b ? 1 : -1;
    case R_INT: return oa->i == ob->i ? 0 : oa->i < ob->i ? -1 : 1;
    case R_DOUBLE: return oa->f == ob->f ? 0 : oa->f < ob->f ? -1 : 1;
    case R_STR:
    case R_BYTES:
    case R_GEO: {
        uint32_t n = oa->len < ob->len ? oa->len : ob->len;
        int c = n ? memcmp(oa->p, ob->p, n) : 0;
        if (c)
            return c < 0 ? -1 : 1;
        return oa->len == ob->len ? 0 : oa->len < ob->len ? -1 : 1;
    }
    case R_LIST:
    case R_MAP:
        *na = (ra == R_MAP ? 2ull : 1ull) * oa->len;
        *nb = (ra == R_MAP ? 2ull : 1ull) * ob->len;
        skip_header(a, na, ra == R_MAP, ok);
        skip_header(b, nb, ra == R_MAP, ok);
        if (ra == R_MAP && *na != *nb) { /* maps order by size first */
            for (uint64_t i = 0; i < *na && *ok; i++)
                *ok = mp_skip(a);
            for (uint64_t i = 0; i < *nb && *ok; i++)
                *ok = mp_skip(b);
            return *na < *nb ? -1 : 1;
        }
        *descend = true;
        return 0;
    default: return 0;
    }
}

/* One container being compared: its element counts, and how many elements compared equal so far. */
typedef struct cmp_frame {
    uint64_t na, nb, i;
} cmp_frame;

/*
 * Iterative, like the server's comparison: any nesting depth costs no
 * stack (the frames live on the heap past a few levels).
 */
int mp_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn, bool *ok) {
    mp_reader ra = { a, a + an }, rb = { b, b + bn };
    cmp_frame local[MP_MAX_DEPTH], *st = local;
    size_t sp = 0, cap = MP_MAX_DEPTH;
    int c = 0;
    *ok = true;
    for (;;) {
        mp_obj oa, ob;
        bool descend;
        uint64_t na = 0, nb = 0;
        if (!mp_read(&ra, &oa) || !mp_read(&rb, &ob)) {
            *ok = false;
            break;
        }
        c = cmp_head(&ra, &oa, &rb, &ob, ok, &descend, &na, &nb);
        if (!*ok)
            break;
        if (descend) {
            if (sp == cap) {
                cmp_frame *g = malloc(2 * cap * sizeof *g);
                if (!g) {
                    *ok = false;
                    break;
                }
                memcpy(g, st, sp * sizeof *st);
                if (st != local)
                    free(st);
                st = g;
                cap *= 2;
            }
            st[sp++] = (cmp_frame){ na, nb, 0 };
            if (na && nb)
                continue; /* compare the first elements */
        }
        /* a result for the current value: finish every container it completes */
        bool next = false;
        while (sp > 0 && !next) {
            cmp_frame *f = &st[sp - 1];
            uint64_t n = f->na < f->nb ? f->na : f->nb;
            if (c == 0 && !(descend && f->i == 0 && n == 0)) {
                f->i++;
                if (f->i < n) {
                    next = true;
                    break;
                }
            }
            descend = false;
            uint64_t used = f->i + (c != 0);
            for (uint64_t k = used; k < f->na && *ok; k++)
                *ok = mp_skip(&ra);
            for (uint64_t k = used; k < f->nb && *ok; k++)
                *ok = mp_skip(&rb);
            if (c == 0)
                c = f->na == f->nb ? 0 : f->na < f->nb ? -1 : 1;
            sp--;
        }
        if (!next || !*ok)
            break;
    }
    if (st != local)
        free(st);
    return *ok ? c : 0;
}

void mp_put_nil(aero_buf *b) { aero_buf__put_u8(b, 0xc0); }
void mp_put_bool(aero_buf *b, bool v) { aero_buf__put_u8(b, v ? 0xc3 : 0xc2); }

void mp_put_int(aero_buf *b, int64_t v) {
    if (v >= 0 && v <= 127) {
        aero_buf__put_u8(b, (uint8_t)v);
    } else if (v < 0 && v >= -32) {
        aero_buf__put_u8(b, (uint8_t)(int8_t)v);
    } else if (v >= 0) {
        if (v < 256) {
            aero_buf__put_u8(b, 0xcc);
            aero_buf__put_u8(b, (uint8_t)v);
        } else if (v < 65536) {
            aero_buf__put_u8(b, 0xcd);
            aero_buf__put_u16be(b, (uint16_t)v);
        } else if (v <= 0xFFFFFFFFll) {
            aero_buf__put_u8(b, 0xce);
            aero_buf__put_u32be(b, (uint32_t)v);
        } else {
            aero_buf__put_u8(b, 0xcf);
            aero_buf__put_u64be(b, (uint64_t)v);
        }
    } else if (v >= -128) {
        aero_buf__put_u8(b, 0xd0);
        aero_buf__put_u8(b, (uint8_t)(int8_t)v);
    } else if (v >= -32768) {
        aero_buf__put_u8(b, 0xd1);
        aero_buf__put_u16be(b, (uint16_t)(int16_t)v);
    } else if (v >= INT32_MIN) {
        aero_buf__put_u8(b, 0xd2);
        aero_buf__put_u32be(b, (uint32_t)(int32_t)v);
    } else {
        aero_buf__put_u8(b, 0xd3);
        aero_buf__put_u64be(b, (uint64_t)v);
    }
}

void mp_put_double(aero_buf *b, double v) {
    uint64_t u;
    memcpy(&u, &v, 8);
    aero_buf__put_u8(b, 0xcb);
    aero_buf__put_u64be(b, u);
}

void mp_put_array(aero_buf *b, uint32_t n) {
    if (n < 16) {
        aero_buf__put_u8(b, (uint8_t)(0x90 | n));
    } else if (n < 65536) {
        aero_buf__put_u8(b, 0xdc);
        aero_buf__put_u16be(b, (uint16_t)n);
    } else {
        aero_buf__put_u8(b, 0xdd);
        aero_buf__put_u32be(b, n);
    }
}

void mp_put_map(aero_buf *b, uint32_t n) {
    if (n < 16) {
        aero_buf__put_u8(b, (uint8_t)(0x80 | n));
    } else if (n < 65536) {
        aero_buf__put_u8(b, 0xde);
        aero_buf__put_u16be(b, (uint16_t)n);
    } else {
        aero_buf__put_u8(b, 0xdf);
        aero_buf__put_u32be(b, n);
    }
}

void mp_put_pstr(aero_buf *b, uint8_t ptype, const void *p, size_t n) {
    size_t l = n + 1;
    if (l < 32) {
        aero_buf__put_u8(b, (uint8_t)(0xa0 | l));
    } else if (l < 256) {
        aero_buf__put_u8(b, 0xd9);
        aero_buf__put_u8(b, (uint8_t)l);
    } else if (l < 65536) {
        aero_buf__put_u8(b, 0xda);
        aero_buf__put_u16be(b, (uint16_t)l);
    } else {
        aero_buf__put_u8(b, 0xdb);
        aero_buf__put_u32be(b, (uint32_t)l);
    }
    aero_buf__put_u8(b, ptype);
    if (n)
        aero_buf__put(b, p, n);
}
