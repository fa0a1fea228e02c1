/*
 * bits.c - bit ops on blob bins, as Aerospike 8.1 applies them.
 *
 * Bits are numbered from the most significant bit of byte 0. An op names a
 * bit range (offset, size); a negative offset counts from the end. The
 * server cuts the blob into head | (zero-filled expansion) | op window |
 * tail bytes, applies the op to the window and keeps every bit of the window
 * outside the range; the same plan, the same checks in the same order and
 * the same result codes are followed here. Sizes are bounded before
 * anything is allocated.
 */
#include "bits.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mp.h"
#include "proto/bit_ops.h"
#include "proto/buf.h"
#include "proto/wire.h"

#include <aero/error.h>

#define PSM ((int64_t)TS_BITS_MAX_SIZE)

enum {
    A_BYTE_OFFSET,
    A_OFFSET,
    A_INT_SIZE,
    A_BYTE_SIZE,
    A_BYTE_SIZE_Z,
    A_SIZE,
    A_BOOL,
    A_NBITS,
    A_VALUE,
    A_BUF,
    A_FLAGS,
    A_RESIZE_SUB,
    A_ARITH_SUB,
    A_GETINT_SUB
};

typedef struct opdef {
    uint8_t min_args, max_args, ok_flags, args[5];
} opdef;

#define CUN (AERO_BIT_WRITE_CREATE_ONLY | AERO_BIT_WRITE_UPDATE_ONLY | AERO_BIT_WRITE_NO_FAIL)
#define UNP (AERO_BIT_WRITE_UPDATE_ONLY | AERO_BIT_WRITE_NO_FAIL | AERO_BIT_WRITE_PARTIAL)
#define UN  (AERO_BIT_WRITE_UPDATE_ONLY | AERO_BIT_WRITE_NO_FAIL)
#define LOGIC                                           \
    {                                                   \
        3, 4, UNP, { A_OFFSET, A_SIZE, A_BUF, A_FLAGS } \
    }
#define SHIFT                                             \
    {                                                     \
        3, 4, UNP, { A_OFFSET, A_SIZE, A_NBITS, A_FLAGS } \
    }
#define ARITH                                                             \
    {                                                                     \
        3, 5, UN, { A_OFFSET, A_INT_SIZE, A_VALUE, A_FLAGS, A_ARITH_SUB } \
    }

static const opdef MODIFY[] = {
    [AERO_BIT_OP_RESIZE] = { 1, 3, CUN, { A_BYTE_SIZE_Z, A_FLAGS, A_RESIZE_SUB } },
    [AERO_BIT_OP_INSERT] = { 2, 3, CUN, { A_BYTE_OFFSET, A_BUF, A_FLAGS } },
    [AERO_BIT_OP_REMOVE] = { 2, 3, UNP, { A_BYTE_OFFSET, A_BYTE_SIZE, A_FLAGS } },
    [AERO_BIT_OP_SET] = LOGIC,
    [AERO_BIT_OP_OR] = LOGIC,
    [AERO_BIT_OP_XOR] = LOGIC,
    [AERO_BIT_OP_AND] = LOGIC,
    [AERO_BIT_OP_NOT] = { 2, 3, UNP, { A_OFFSET, A_SIZE, A_FLAGS } },
    [AERO_BIT_OP_LSHIFT] = SHIFT,
    [AERO_BIT_OP_RSHIFT] = SHIFT,
    [AERO_BIT_OP_ADD] = ARITH,
    [AERO_BIT_OP_SUBTRACT] = ARITH,
    [AERO_BIT_OP_SET_INT] = { 3, 4, UN, { A_OFFSET, A_INT_SIZE, A_VALUE, A_FLAGS } },
};

static const opdef READ[] = {
    [AERO_BIT_OP_GET - AERO_BIT_OP_GET] = { 2, 2, 0, { A_OFFSET, A_SIZE } },
    [AERO_BIT_OP_COUNT - AERO_BIT_OP_GET] = { 2, 2, 0, { A_OFFSET, A_SIZE } },
    [AERO_BIT_OP_LSCAN - AERO_BIT_OP_GET] = { 3, 3, 0, { A_OFFSET, A_SIZE, A_BOOL } },
    [AERO_BIT_OP_RSCAN - AERO_BIT_OP_GET] = { 3, 3, 0, { A_OFFSET, A_SIZE, A_BOOL } },
    [AERO_BIT_OP_GET_INT - AERO_BIT_OP_GET] = { 2, 3, 0, { A_OFFSET, A_INT_SIZE, A_GETINT_SUB } },
};

enum { ACT_OVERWRITE, ACT_EXPAND, ACT_REMOVE };

typedef struct bop {
    int code;
    const opdef *def;
    int64_t offset; /* bits; after planning, the bit offset inside the window's first byte */
    uint32_t size;  /* bits */
    uint64_t value;
    const uint8_t *buf; /* payload of a blob argument (after its type byte) */
    uint32_t buf_bits;
    uint64_t sub, flags;
    /* the plan, in bytes */
    uint32_t old_size, head, expand, win, tail, new_size;
    int action;
} bop;

/* ---- parsing ---- */

static bool read_u64(mp_reader *r, uint64_t *v) {
    mp_obj o;
    if (!mp_read(r, &o) || o.type != MP_INT)
        return false;
    *v = (uint64_t)o.i;
    return true;
}

static bool parse_buf(mp_reader *r, bop *o) {
    mp_obj b;
    if (!mp_read(r, &b) || (b.type != MP_STR && b.type != MP_BIN) || b.len < 2)
        return false;
    o->buf = b.p + 1; /* the particle type byte is ignored */
    uint32_t bits = (b.len - 1) * 8;
    if (o->size != 0 && bits < o->size)
        return false;
    if (o->size == 0)
        o->size = bits;
    o->buf_bits = bits;
    return true;
}

static bool parse_flags(uint64_t v, bop *o) {
    o->flags = v;
    return (v & ~(uint64_t)o->def->ok_flags) == 0 && (v & (AERO_BIT_WRITE_CREATE_ONLY | AERO_BIT_WRITE_UPDATE_ONLY)) !=
                                                         (AERO_BIT_WRITE_CREATE_ONLY | AERO_BIT_WRITE_UPDATE_ONLY);
}

static bool parse_sub(uint64_t v, bop *o, int kind) {
    o->sub = v;
    if (kind == A_RESIZE_SUB)
        return (v & ~(uint64_t)(AERO_BIT_RESIZE_FROM_FRONT | AERO_BIT_RESIZE_GROW_ONLY |
                                AERO_BIT_RESIZE_SHRINK_ONLY)) == 0 &&
               (v & (AERO_BIT_RESIZE_GROW_ONLY | AERO_BIT_RESIZE_SHRINK_ONLY)) !=
                   (AERO_BIT_RESIZE_GROW_ONLY | AERO_BIT_RESIZE_SHRINK_ONLY);
    if (kind == A_ARITH_SUB)
        return (v & ~(uint64_t)(AERO_BIT_INT_SIGNED | AERO_BIT_INT_SATURATE | AERO_BIT_INT_WRAP)) == 0 &&
               (v & (AERO_BIT_INT_SATURATE | AERO_BIT_INT_WRAP)) != (AERO_BIT_INT_SATURATE | AERO_BIT_INT_WRAP);
    return (v & ~(uint64_t)AERO_BIT_INT_SIGNED) == 0;
}

static bool parse_arg(mp_reader *r, bop *o, int kind) {
    if (kind == A_BUF)
        return parse_buf(r, o);
    if (kind == A_BOOL) {
        mp_obj b;
        if (!mp_read(r, &b) || b.type != MP_BOOL)
            return false;
        o->value = b.b;
        return true;
    }
    uint64_t v;
    if (!read_u64(r, &v))
        return false;
    int64_t s = (int64_t)v;
    switch (kind) {
    case A_BYTE_OFFSET:
        if (s > PSM || s < -PSM)
            return false;
        o->offset = s * 8;
        return true;
    case A_OFFSET:
        if (s > PSM * 8 || s < -PSM * 8)
            return false;
        o->offset = s;
        return true;
    case A_INT_SIZE:
        if (v == 0 || v > 64)
            return false;
        o->size = (uint32_t)v;
        return true;
    case A_BYTE_SIZE:
    case A_BYTE_SIZE_Z:
        if ((v == 0 && kind == A_BYTE_SIZE) || v > (uint64_t)PSM)
            return false;
        o->size = (uint32_t)v * 8;
        return true;
    case A_SIZE:
        if (v == 0 || v > (uint64_t)PSM * 8)
            return false;
        o->size = (uint32_t)v;
        return true;
    case A_NBITS: o->value = v; return v <= (uint64_t)PSM * 8;
    case A_VALUE: o->value = v; return true;
    case A_FLAGS: return parse_flags(v, o);
    default: return parse_sub(v, o, kind);
    }
}

static bool parse_op(const uint8_t *payload, size_t plen, bool read, bop *o) {
    mp_reader r = { payload, payload + plen };
    mp_obj l;
    uint64_t code;
    memset(o, 0, sizeof *o);
    if (!mp_read(&r, &l) || l.type != MP_ARRAY || l.len == 0 || !read_u64(&r, &code))
        return false;
    if (read) {
        if (code < AERO_BIT_OP_GET || code > AERO_BIT_OP_GET_INT)
            return false;
        o->def = &READ[code - AERO_BIT_OP_GET];
    } else {
        if (code > AERO_BIT_OP_SET_INT)
            return false;
        o->def = &MODIFY[code];
    }
    o->code = (int)code;
    uint32_t n_args = l.len - 1;
    if (n_args < o->def->min_args || n_args > o->def->max_args)
        return false;
    for (uint32_t i = 0; i < n_args; i++)
        if (!parse_arg(&r, o, o->def->args[i]))
            return false;
    return true;
}

/* ---- the plan: head | expansion | window | tail ---- */

#define NOOP (-1) /* plan result: succeed without a change */

static int no_fail(const bop *o, int rc) { return (o->flags & AERO_BIT_WRITE_NO_FAIL) ? NOOP : rc; }

static int plan_resize(bop *o, uint32_t want) {
    bool front = o->sub & AERO_BIT_RESIZE_FROM_FRONT;
    if (want == o->old_size)
        return NOOP;
    if (want < o->old_size) {
        if (o->sub & AERO_BIT_RESIZE_GROW_ONLY)
            return no_fail(o, AERO_ERR_PARAMETER);
        o->action = ACT_REMOVE;
        o->win = o->old_size - want;
        if (front)
            o->tail = want;
        else
            o->head = want;
        return 0;
    }
    if (o->sub & AERO_BIT_RESIZE_SHRINK_ONLY)
        return no_fail(o, AERO_ERR_PARAMETER);
    o->action = ACT_EXPAND;
    o->win = want - o->old_size;
    if (front)
        o->tail = o->old_size;
    else
        o->head = o->old_size;
    return 0;
}

/* A window inside the blob; `partial` may cut it at the end. */
static int plan_inside(bop *o, uint32_t at, uint32_t win, int past_rc, bool may_cut) {
    if (at >= o->old_size)
        return no_fail(o, past_rc);
    o->head = at;
    if ((uint64_t)at + win > o->old_size) {
        if (!may_cut || !(o->flags & AERO_BIT_WRITE_PARTIAL))
            return no_fail(o, past_rc);
        o->win = o->old_size - at;
        o->size = o->win * 8 - (uint32_t)o->offset; /* the range runs to the end */
        return 0;
    }
    o->win = win;
    o->tail = o->old_size - (at + win);
    return 0;
}

static int plan(bop *o, bool exists, uint32_t old_size) {
    o->old_size = exists ? old_size : 0;
    if (!exists && o->offset < 0)
        return AERO_ERR_PARAMETER;
    if (o->offset < 0) {
        if (-o->offset > (int64_t)o->old_size * 8)
            return AERO_ERR_PARAMETER;
        o->offset += (int64_t)o->old_size * 8;
    }
    uint32_t at = (uint32_t)(o->offset / 8);
    o->offset %= 8;
    uint32_t win = (uint32_t)(((uint64_t)o->offset + o->size + 7) / 8);
    switch (o->code) {
    case AERO_BIT_OP_RESIZE: return plan_resize(o, win);
    case AERO_BIT_OP_INSERT:
        o->action = ACT_EXPAND;
        o->win = win;
        if (at >= o->old_size) {
            o->head = o->old_size;
            o->expand = at - o->old_size;
        } else {
            o->head = at;
            o->tail = o->old_size - at;
        }
        return 0;
    case AERO_BIT_OP_REMOVE: o->action = ACT_REMOVE; return plan_inside(o, at, win, AERO_ERR_PARAMETER, true);
    case AERO_BIT_OP_ADD:
    case AERO_BIT_OP_SUBTRACT:
    case AERO_BIT_OP_SET_INT:
    case AERO_BIT_OP_GET:
    case AERO_BIT_OP_COUNT:
    case AERO_BIT_OP_LSCAN:
    case AERO_BIT_OP_RSCAN:
    case AERO_BIT_OP_GET_INT: return plan_inside(o, at, win, AERO_ERR_OP_NOT_APPLICABLE, false);
    default: return plan_inside(o, at, win, AERO_ERR_OP_NOT_APPLICABLE, true);
    }
}

/* ---- bits of a window ---- */

static int bit(const uint8_t *p, uint64_t i) { return (p[i / 8] >> (7 - i % 8)) & 1; }

static void put_bit(uint8_t *p, uint64_t i, int v) {
    uint8_t m = (uint8_t)(0x80 >> (i % 8));
    p[i / 8] = v ? (uint8_t)(p[i / 8] | m) : (uint8_t)(p[i / 8] & ~m);
}

static uint64_t load(const bop *o, const uint8_t *w) {
    uint64_t v = 0;
    for (uint32_t i = 0; i < o->size; i++)
        v = (v << 1) | (uint64_t)bit(w, (uint64_t)o->offset + i);
    return v;
}

static void store(const bop *o, uint8_t *w, uint64_t v) {
    for (uint32_t i = 0; i < o->size; i++)
        put_bit(w, (uint64_t)o->offset + i, (int)((v >> (o->size - 1 - i)) & 1));
}

static int64_t sext(uint64_t v, uint32_t n) {
    uint32_t lead = 64 - n;
    return lead ? (int64_t)(v << lead) >> lead : (int64_t)v;
}

/* Signed add of (sign-extended) load and value with the server's overflow tests. */
static bool signed_overflow(uint32_t n, bool saturate, uint64_t ld, uint64_t val, uint64_t *res) {
    uint64_t mask = ~(uint64_t)0 >> (64 - n);
    int64_t r = sext(*res, n), l = sext(ld, n), v = sext(val, n);
    if (l < 0 && v < 0 && r > 0) {
        if (!saturate)
            return false;
        *res = (mask >> (n - 1)) << (n - 1);
    } else if (l > 0 && v > 0 && r < 0) {
        if (!saturate)
            return false;
        *res = mask >> 1;
    }
    return true;
}

static bool arith(const bop *o, uint8_t *w) {
    uint64_t ld = load(o, w), mask = ~(uint64_t)0 >> (64 - o->size), v = o->value & mask;
    bool sub = o->code == AERO_BIT_OP_SUBTRACT, sat = o->sub & AERO_BIT_INT_SATURATE;
    uint64_t res = (sub ? ld - v : ld + v) & mask;
    if (o->code == AERO_BIT_OP_SET_INT) {
        store(o, w, v);
        return true;
    }
    if (!(o->sub & AERO_BIT_INT_WRAP)) {
        if (o->sub & AERO_BIT_INT_SIGNED) {
            if (!signed_overflow(o->size, sat, ld, sub ? (uint64_t)((int64_t)v * -1) : v, &res))
                return false;
        } else if (sub ? res > ld : res < ld) {
            if (!sat)
                return false;
            res = sub ? 0 : mask;
        }
    }
    store(o, w, res);
    return true;
}

/* An overwrite op on window w (a copy of the old bytes). false = not applicable. */
static bool apply(const bop *o, uint8_t *w, const uint8_t *old) {
    uint64_t off = (uint64_t)o->offset, n = o->size;
    switch (o->code) {
    case AERO_BIT_OP_SET:
    case AERO_BIT_OP_OR:
    case AERO_BIT_OP_XOR:
    case AERO_BIT_OP_AND:
        for (uint64_t i = 0; i < n; i++) {
            int a = bit(old, off + i), b = bit(o->buf, i);
            int v = o->code == AERO_BIT_OP_SET   ? b
                    : o->code == AERO_BIT_OP_OR  ? (a | b)
                    : o->code == AERO_BIT_OP_XOR ? (a ^ b)
                                                 : (a & b);
            put_bit(w, off + i, v);
        }
        return true;
    case AERO_BIT_OP_NOT:
        for (uint64_t i = 0; i < n; i++)
            put_bit(w, off + i, !bit(old, off + i));
        return true;
    case AERO_BIT_OP_LSHIFT:
        for (uint64_t i = 0; i < n; i++)
            put_bit(w, off + i, i + o->value < n ? bit(old, off + i + o->value) : 0);
        return true;
    case AERO_BIT_OP_RSHIFT:
        for (uint64_t i = 0; i < n; i++)
            put_bit(w, off + i, i >= o->value ? bit(old, off + i - o->value) : 0);
        return true;
    default: return arith(o, w);
    }
}

/* ---- modify ---- */

static int build(const bop *o, const ts_particle *bin, ts_particle *out) {
    uint8_t *d = calloc(1, o->new_size ? o->new_size : 1);
    if (!d)
        return AERO_ERR_SERVER;
    const uint8_t *from = bin ? bin->data : NULL;
    uint8_t *to = d;
    if (o->head)
        memcpy(to, from, o->head);
    to += o->head;
    if (from)
        from += o->head;
    to += o->expand; /* zeros */
    if (o->action == ACT_OVERWRITE) {
        memcpy(to, from, o->win);
        if (!apply(o, to, from)) {
            free(d);
            return (o->flags & AERO_BIT_WRITE_NO_FAIL) ? NOOP : AERO_ERR_OP_NOT_APPLICABLE;
        }
        to += o->win;
        from += o->win;
    } else if (o->action == ACT_EXPAND) {
        if (o->code == AERO_BIT_OP_INSERT)
            memcpy(to, o->buf, o->win);
        to += o->win; /* a resize adds zeros */
    } else {
        from += o->win;
    }
    if (o->tail)
        memcpy(to, from, o->tail);
    *out = (ts_particle){ AERO_PT_BLOB, d, o->new_size };
    return 0;
}

int ts_bits_modify(const uint8_t *payload, size_t plen, const ts_particle *bin, uint32_t max_size, ts_particle *out) {
    *out = (ts_particle){ 0 };
    bop o;
    if (!parse_op(payload, plen, false, &o))
        return AERO_ERR_PARAMETER;
    if (bin) {
        if (o.flags & AERO_BIT_WRITE_CREATE_ONLY)
            return (o.flags & AERO_BIT_WRITE_NO_FAIL) ? 0 : AERO_ERR_BIN_EXISTS;
        if (bin->ptype != AERO_PT_BLOB)
            return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    } else if ((o.code != AERO_BIT_OP_INSERT && o.code != AERO_BIT_OP_RESIZE) ||
               (o.flags & AERO_BIT_WRITE_UPDATE_ONLY)) {
        return (o.flags & AERO_BIT_WRITE_NO_FAIL) ? 0 : AERO_ERR_BIN_NOT_FOUND;
    }
    int rc = plan(&o, bin != NULL, bin ? bin->len : 0);
    if (rc)
        return rc == NOOP ? 0 : rc;
    uint64_t n = (uint64_t)o.head + o.expand + o.tail + (o.action != ACT_REMOVE ? o.win : 0);
    if (n >= (uint64_t)TS_BITS_MAX_SIZE)
        return AERO_ERR_PARAMETER;
    if (n > max_size)
        return AERO_ERR_RECORD_TOO_BIG;
    o.new_size = (uint32_t)n;
    rc = build(&o, bin, out);
    return rc == NOOP ? 0 : rc;
}

/* ---- read ---- */

static int out_int(int64_t v, ts_particle *res) {
    uint8_t *d = malloc(8);
    if (!d)
        return AERO_ERR_SERVER;
    aero_set_u64be(d, (uint64_t)v);
    *res = (ts_particle){ AERO_PT_INTEGER, d, 8 };
    return 0;
}

static int get(const bop *o, const uint8_t *w, ts_particle *res) {
    uint32_t n = (o->size + 7) / 8;
    uint8_t *d = calloc(1, n);
    if (!d)
        return AERO_ERR_SERVER;
    for (uint32_t i = 0; i < o->size; i++)
        put_bit(d, i, bit(w, (uint64_t)o->offset + i));
    *res = (ts_particle){ AERO_PT_BLOB, d, n };
    return 0;
}

static int64_t lscan(const bop *o, const uint8_t *w) {
    for (uint32_t i = 0; i < o->size; i++)
        if ((uint64_t)bit(w, (uint64_t)o->offset + i) == o->value)
            return i;
    return -1;
}

/*
 * The server scans whole bytes from the end of the window; the window's
 * first byte is looked at unmasked, so a match before the range's start
 * gives a negative position, as it does there.
 */
static int64_t rscan(const bop *o, const uint8_t *w) {
    uint32_t cur = o->win - 1;
    uint8_t head_m = (uint8_t)(UINT8_MAX << ((8 - (o->size + (uint32_t)o->offset) % 8) % 8));
    uint8_t skip = o->value ? 0 : UINT8_MAX;
    uint8_t last = (uint8_t)((o->value ? w[cur] : ~w[cur]) & head_m);
    if (last == 0 && o->win != 1) {
        cur--;
        while (w[cur] == skip && cur > 0)
            cur--;
        last = (uint8_t)(o->value ? w[cur] : ~w[cur]);
    }
    if (last == 0)
        return -1;
    int ix = 7;
    while (!(last & (0x80 >> ix)))
        ix--;
    int64_t at = (int64_t)cur * 8 + ix - o->offset;
    return at >= (int64_t)o->size ? -1 : at;
}

int ts_bits_read(const uint8_t *payload, size_t plen, const ts_particle *bin, ts_particle *res) {
    *res = (ts_particle){ 0 };
    bop o;
    if (!parse_op(payload, plen, true, &o))
        return AERO_ERR_PARAMETER;
    if (bin->ptype != AERO_PT_BLOB)
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    int rc = plan(&o, true, bin->len);
    if (rc)
        return rc == NOOP ? AERO_ERR_OP_NOT_APPLICABLE : rc;
    const uint8_t *w = bin->data + o.head;
    switch (o.code) {
    case AERO_BIT_OP_GET: return get(&o, w, res);
    case AERO_BIT_OP_COUNT: {
        int64_t c = 0;
        for (uint32_t i = 0; i < o.size; i++)
            c += bit(w, (uint64_t)o.offset + i);
        return out_int(c, res);
    }
    case AERO_BIT_OP_LSCAN: return out_int(lscan(&o, w), res);
    case AERO_BIT_OP_RSCAN: return out_int(rscan(&o, w), res);
    default: {
        uint64_t v = load(&o, w);
        return out_int((o.sub & AERO_BIT_INT_SIGNED) ? sext(v, o.size) : (int64_t)v, res);
    }
    }
}
