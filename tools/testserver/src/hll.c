/*
 * hll.c - HyperLogLog (HyperMinHash) bins as Aerospike 8.1 keeps them.
 *
 * Particle layout: flags (1 byte, 0), n_index_bits (4..16), n_minhash_bits
 * (0 or 4..51, index + minhash <= 64), a cached count (8 bytes, little
 * endian, 0 = not cached), then 2^index_bits registers of 6 + minhash_bits
 * bits each, packed most significant bit first. An element is hashed with
 * MurmurHash3 x64/128 (seed 0) over its msgpack bytes in the server's
 * compact form: the low index bits of the first half pick the register, the
 * next minhash bits are the minhash value, and the trailing zero count of
 * the second half plus one is the HLL value. Counts use Ertl's improved
 * estimator, intersections and similarity HyperMinHash's (with the
 * collision correction for two sketches), like the server, so results are
 * equal, not just close.
 */
#include "hll.h"
#include "hll_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mp.h"
#include "proto/hll_ops.h"
#include "proto/msgpack.h"
#include "proto/wire.h"

#include <aero/error.h>

#define HDR         11 /* flags, index bits, minhash bits, cache */
#define HLL_BITS    6
#define MIN_INDEX   4
#define MAX_INDEX   16
#define MIN_MINHASH 4
#define MAX_MINHASH (64 - HLL_BITS - 7)
#define UNSET       UINT8_MAX
#define MAX_SKETCH  64 /* HLLs in one union / intersect argument (bounded by the message anyway) */

/* A sketch: its header fields and its registers (borrowed or owned bytes). */
typedef struct sketch {
    uint8_t ib, mb;
    uint64_t cache;
    uint8_t *reg;
} sketch;

static uint32_t regs_size(unsigned ib, unsigned mb) { return (uint32_t)((((uint64_t)HLL_BITS + mb) << ib) + 7) / 8; }

static uint32_t hll_size(unsigned ib, unsigned mb) { return HDR + regs_size(ib, mb); }

static bool index_ok(uint64_t ib) { return ib >= MIN_INDEX && ib <= MAX_INDEX; }

static bool minhash_ok(uint64_t mb) { return mb == 0 || (mb >= MIN_MINHASH && mb <= MAX_MINHASH); }

static bool combined_ok(uint64_t ib, uint64_t mb) { return index_ok(ib) && minhash_ok(mb) && ib + mb <= 64; }

bool ts_hll_valid(const uint8_t *p, uint32_t len) {
    return len >= HDR && p[0] == 0 && combined_ok(p[1], p[2]) && len == hll_size(p[1], p[2]);
}

static sketch view(const uint8_t *p) {
    sketch s = { p[1], p[2], 0, (uint8_t *)p + HDR };
    for (int i = 7; i >= 0; i--)
        s.cache = (s.cache << 8) | p[3 + i];
    return s;
}

/* ---- registers ---- */

static uint64_t get_reg(const sketch *s, uint32_t r) {
    uint32_t n = HLL_BITS + s->mb;
    uint64_t bit = (uint64_t)n * r, end = bit + n;
    uint64_t v = 0;
    for (uint64_t b = bit / 8; b <= (end - 1) / 8; b++)
        v = (v << 8) | s->reg[b];
    uint32_t pad = (uint32_t)(((end - 1) / 8 + 1) * 8 - end);
    v >>= pad;
    return n == 64 ? v : v & (((uint64_t)1 << n) - 1);
}

static void set_reg(sketch *s, uint32_t r, uint64_t v) {
    uint32_t n = HLL_BITS + s->mb;
    uint64_t bit = (uint64_t)n * r;
    for (uint32_t k = 0; k < n; k++) {
        uint64_t at = bit + k;
        uint8_t m = (uint8_t)(0x80 >> (at % 8));
        if ((v >> (n - 1 - k)) & 1)
            s->reg[at / 8] |= m;
        else
            s->reg[at / 8] &= (uint8_t)~m;
    }
}

static uint8_t hll_val(const sketch *s, uint64_t reg) { return (uint8_t)(reg >> s->mb); }

static void hash_elem(const sketch *s, const uint8_t *e, size_t n, uint32_t *ix, uint64_t *val) {
    uint64_t h1, h2;
    ts_hll_murmur3(e, n, &h1, &h2);
    *ix = (uint32_t)(h1 & ((1u << s->ib) - 1));
    uint64_t mh = s->mb ? (h1 >> s->ib) & (((uint64_t)1 << s->mb) - 1) : 0;
    uint64_t hv = (uint64_t)(h2 ? __builtin_ctzll(h2) : 64) + 1;
    *val = (hv << s->mb) | mh;
}

/* ---- estimators ---- */

static double tau(double x) {
    if (x == 0.0 || x == 1.0)
        return 0.0;
    double zp, y = 1.0, z = 1 - x;
    do {
        x = sqrt(x);
        zp = z;
        y *= 0.5;
        z -= pow(1 - x, 2) * y;
    } while (zp != z);
    return z / 3;
}

static double sigma(double x) {
    if (x == 1.0)
        return INFINITY;
    double zp, y = 1, z = x;
    do {
        x *= x;
        zp = z;
        z += x * y;
        y += y;
    } while (zp != z);
    return z;
}

/* HyperLogLog's bias constant: tabulated for 16, 32 and 64 registers. */
static double alpha(unsigned ib) {
    static const double small[] = { 0.673, 0.697, 0.709 };
    return ib <= 6 ? small[ib - 4] : 0.7213 / (1.0 + 1.079 / (1 << ib));
}

static uint64_t estimate(const sketch *s) {
    if (s->cache != 0)
        return s->cache;
    uint32_t m = 1u << s->ib;
    uint32_t c[(1 << HLL_BITS) + 1] = { 0 };
    for (uint32_t r = 0; r < m; r++)
        c[hll_val(s, get_reg(s, r)) & 0x3f]++;
    double z = m * tau(c[1 << HLL_BITS] / (double)m);
    for (uint32_t k = 1 << HLL_BITS; k > 0; k--)
        z = 0.5 * (z + c[k]);
    z += m * sigma(c[0] / (double)m);
    return (uint64_t)llroundl(alpha(s->ib) * m * m / z);
}

/* The union's shape: least index bits; the minhash bits when all agree, else 0. */
static void template_of(uint32_t n, const sketch *const *s, uint8_t *ib, uint8_t *mb) {
    *ib = s[0]->ib;
    *mb = s[0]->mb;
    for (uint32_t i = 1; i < n; i++) {
        if (*ib > s[i]->ib)
            *ib = s[i]->ib;
        if (*mb != 0 && *mb != s[i]->mb)
            *mb = 0;
    }
}

static bool sketch_new(sketch *s, uint8_t ib, uint8_t mb) {
    s->ib = ib;
    s->mb = mb;
    s->cache = 0;
    s->reg = calloc(1, regs_size(ib, mb));
    return s->reg != NULL;
}

/* Fold `from` into `u` (u.index bits <= from's): register-wise max, of whole
 * registers when u keeps minhash bits, else of the HLL values. */
static void merge(sketch *u, const sketch *from) {
    uint32_t mask = (1u << u->ib) - 1, n = 1u << from->ib;
    for (uint32_t r = 0; r < n; r++) {
        uint64_t v0 = get_reg(u, r & mask), v1 = get_reg(from, r);
        if (u->mb == 0) {
            v0 = hll_val(u, v0);
            v1 = hll_val(from, v1);
        }
        if (v0 < v1)
            set_reg(u, r & mask, v1);
    }
    if (u->mb != 0)
        u->cache = 0;
}

static bool union_of(uint32_t n, const sketch *const *s, sketch *u) {
    uint8_t ib, mb;
    template_of(n, s, &ib, &mb);
    if (!sketch_new(u, ib, mb))
        return false;
    for (uint32_t i = 0; i < n; i++)
        merge(u, s[i]);
    return true;
}

static uint64_t union_count(uint32_t n, const sketch *const *s) {
    sketch u;
    if (!union_of(n, s, &u))
        return 0;
    uint64_t c = estimate(&u);
    free(u.reg);
    return c;
}

static uint32_t used_regs(const sketch *s) {
    uint32_t n = 1u << s->ib, c = 0;
    for (uint32_t r = 0; r < n; r++)
        c += get_reg(s, r) != 0;
    return c;
}

/* The server looks at the first 2^index_bits register bytes only. */
static bool has_data(const sketch *s) {
    uint32_t n = (1u << s->ib) / 8 * 8;
    for (uint32_t i = 0; i < n; i++)
        if (s->reg[i])
            return true;
    return false;
}

static double collisions(uint8_t ib, uint8_t mb, uint64_t card0, uint64_t card1) {
    double cp = 0.0, n = (double)(1u << ib);
    uint32_t buckets = 1u << HLL_BITS;
    for (int32_t i = 1; (uint32_t)i <= buckets; i++) {
        double b1 = (uint32_t)i != buckets ? pow(2, -i) : 0.0;
        double b2 = pow(2, -i + 1);
        b1 /= n;
        b2 /= n;
        double px = pow(1 - b1, (double)card0) - pow(1 - b2, (double)card0);
        double py = pow(1 - b1, (double)card1) - pow(1 - b2, (double)card1);
        cp += px * py;
    }
    return cp * n / pow(2, mb);
}

static uint64_t intersect_count(uint32_t n, const sketch *const *s);

static double hll_similarity(uint32_t n, const sketch *const *s) {
    return (double)intersect_count(n, s) / (double)union_count(n, s);
}

static double similarity(uint32_t n, const sketch *const *s) {
    uint8_t ib, mb;
    template_of(n, s, &ib, &mb);
    if (mb == 0)
        return hll_similarity(n, s);
    bool one_has = false, one_empty = false;
    for (uint32_t i = 0; i < n; i++) {
        if (has_data(s[i]))
            one_has = true;
        else
            one_empty = true;
    }
    if (one_empty)
        return one_has ? 0.0 : NAN;
    sketch a;
    if (!sketch_new(&a, ib, mb))
        return 0.0;
    for (uint32_t i = 0; i < n; i++)
        merge(&a, s[i]);
    uint32_t n_union = used_regs(&a);
    memset(a.reg, 0, regs_size(ib, mb));
    merge(&a, s[0]);
    uint32_t mask = (1u << ib) - 1;
    for (uint32_t h = 1; h < n; h++) {
        for (uint32_t r = 0; r < (1u << s[h]->ib); r++) {
            uint64_t v0 = get_reg(&a, r & mask), v1 = get_reg(s[h], r);
            set_reg(&a, r & mask, v0 == v1 ? v0 : 0);
        }
    }
    uint32_t n_inter = used_regs(&a);
    free(a.reg);
    double ec = n == 2 ? collisions(ib, mb, estimate(s[0]), estimate(s[1])) : 0.0;
    double res = (n_inter - ec) / (double)n_union;
    return res < 0.0 ? 0.0 : res;
}

/* Inclusion-exclusion over HLL counts (2 or 3 sketches without minhash bits). */
static uint64_t hll_intersect(uint32_t n, const sketch *const *s) {
    uint64_t cu = union_count(n, s), sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t c = estimate(s[i]);
        if (sum + c < sum) {
            sum = UINT64_MAX;
            break;
        }
        sum += c;
    }
    if (n == 2)
        return sum > cu ? sum - cu : 0;
    const sketch *t[2] = { s[0], s[2] };
    uint64_t si = intersect_count(2, s) + intersect_count(2, s + 1) + intersect_count(2, t);
    int64_t r = (int64_t)cu - ((int64_t)sum - (int64_t)si);
    return r < 0 ? 0 : (uint64_t)r;
}

static uint64_t intersect_count(uint32_t n, const sketch *const *s) {
    uint8_t ib, mb;
    template_of(n, s, &ib, &mb);
    if (mb == 0)
        return hll_intersect(n, s);
    double j = similarity(n, s);
    if (isnan(j))
        return 0;
    return (uint64_t)llround((double)union_count(n, s) * j);
}

/* ---- particles out ---- */

static int out_hll(const sketch *s, ts_particle *p) {
    uint32_t n = hll_size(s->ib, s->mb);
    uint8_t *d = malloc(n);
    if (!d)
        return AERO_ERR_SERVER;
    d[0] = 0;
    d[1] = s->ib;
    d[2] = s->mb;
    for (int i = 0; i < 8; i++)
        d[3 + i] = (uint8_t)(s->cache >> (8 * i));
    memcpy(d + HDR, s->reg, n - HDR);
    *p = (ts_particle){ AERO_PT_HLL, d, n };
    return 0;
}

static int out_u64(uint8_t ptype, uint64_t v, ts_particle *p) {
    uint8_t *d = malloc(8);
    if (!d)
        return AERO_ERR_SERVER;
    aero_set_u64be(d, v);
    *p = (ts_particle){ ptype, d, 8 };
    return 0;
}

static int out_double(double x, ts_particle *p) {
    uint64_t u;
    memcpy(&u, &x, 8);
    return out_u64(AERO_PT_FLOAT, u, p);
}

/* ---- parsing an op ---- */

enum { A_INDEX, A_MINHASH, A_FLAGS, A_ELEMS, A_HLLS, A_HLLS_X };

typedef struct opdef {
    uint8_t ok_flags, min_args, max_args, args[4];
} opdef;

#define CU (AERO_HLL_WRITE_CREATE_ONLY | AERO_HLL_WRITE_UPDATE_ONLY)
#define NF AERO_HLL_WRITE_NO_FAIL

static const opdef MODIFY[] = {
    [AERO_HLL_OP_INIT] = { CU | NF, 0, 3, { A_INDEX, A_MINHASH, A_FLAGS } },
    [AERO_HLL_OP_ADD] = { AERO_HLL_WRITE_CREATE_ONLY | NF, 1, 4, { A_ELEMS, A_INDEX, A_MINHASH, A_FLAGS } },
    [AERO_HLL_OP_SET_UNION] = { CU | NF | AERO_HLL_WRITE_ALLOW_FOLD, 1, 2, { A_HLLS, A_FLAGS } },
    [AERO_HLL_OP_REFRESH_COUNT] = { 0, 0, 0, { 0 } },
    [AERO_HLL_OP_FOLD] = { 0, 1, 1, { A_INDEX } },
};

static const opdef READ[] = {
    [AERO_HLL_OP_COUNT - AERO_HLL_OP_COUNT] = { 0, 0, 0, { 0 } },
    [AERO_HLL_OP_UNION - AERO_HLL_OP_COUNT] = { 0, 1, 1, { A_HLLS } },
    [AERO_HLL_OP_UNION_COUNT - AERO_HLL_OP_COUNT] = { 0, 1, 1, { A_HLLS } },
    [AERO_HLL_OP_INTERSECT_COUNT - AERO_HLL_OP_COUNT] = { 0, 1, 1, { A_HLLS_X } },
    [AERO_HLL_OP_SIMILARITY - AERO_HLL_OP_COUNT] = { 0, 1, 1, { A_HLLS_X } },
    [AERO_HLL_OP_DESCRIBE - AERO_HLL_OP_COUNT] = { 0, 0, 0, { 0 } },
    [AERO_HLL_OP_MAY_CONTAIN - AERO_HLL_OP_COUNT] = { 0, 1, 1, { A_ELEMS } },
};

typedef struct hop {
    int code;
    const opdef *def;
    uint8_t ib, mb;
    uint64_t flags;
    uint32_t n;         /* elements or sketches */
    uint8_t *ebuf;      /* compacted elements, back to back */
    uint32_t *eoff;     /* n + 1 offsets into ebuf */
    sketch *sk;         /* sketches, borrowing the payload */
    const sketch **skp; /* pointers to sk, with room for the bin's sketch */
} hop;

static void hop_free(hop *o) {
    free(o->ebuf);
    free(o->eoff);
    free(o->sk);
    free(o->skp);
}

static bool read_int(mp_reader *r, int64_t *v) {
    mp_obj o;
    if (!mp_read(r, &o) || o.type != MP_INT)
        return false;
    *v = o.i;
    return true;
}

static bool parse_elems(mp_reader *r, hop *o, size_t plen) {
    mp_obj l;
    if (!mp_read(r, &l) || l.type != MP_ARRAY || l.len == 0 || l.len > plen)
        return false;
    o->n = l.len;
    o->eoff = malloc(sizeof *o->eoff * (l.len + 1));
    o->ebuf = malloc(plen);
    if (!o->eoff || !o->ebuf)
        return false;
    uint32_t at = 0;
    for (uint32_t i = 0; i < l.len; i++) {
        const uint8_t *p;
        size_t n;
        if (r->p >= r->end || (*r->p & 0xf0) == 0x90 || (*r->p & 0xf0) == 0x80 || *r->p == 0xdc || *r->p == 0xdd ||
            *r->p == 0xde || *r->p == 0xdf || !mp_span(r, &p, &n))
            return false;
        o->eoff[i] = at;
        at += (uint32_t)ts_hll_compact(p, n, o->ebuf + at);
    }
    o->eoff[l.len] = at;
    return true;
}

static bool parse_hlls(mp_reader *r, hop *o, size_t plen) {
    uint32_t n = 1;
    if (r->p < r->end && ((*r->p & 0xf0) == 0x90 || *r->p == 0xdc || *r->p == 0xdd)) {
        mp_obj l;
        if (!mp_read(r, &l) || l.len == 0 || l.len > plen)
            return false;
        n = l.len;
    }
    o->n = n;
    o->sk = malloc(sizeof *o->sk * n);
    o->skp = malloc(sizeof *o->skp * (n + 1));
    if (!o->sk || !o->skp)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        mp_obj b;
        if (!mp_read(r, &b) || (b.type != MP_STR && b.type != MP_BIN) || b.len < HDR + 1)
            return false;
        const uint8_t *h = b.p + 1; /* the particle type byte is ignored */
        if (h[0] != 0 || !index_ok(h[1]) || !minhash_ok(h[2]) || b.len - 1 != hll_size(h[1], h[2]))
            return false;
        o->sk[i] = view(h);
        o->skp[i] = &o->sk[i];
    }
    return true;
}

/* More than two HLLs can be intersected only with equal, non-zero minhash bits. */
static bool parse_hlls_x(mp_reader *r, hop *o, size_t plen) {
    if (!parse_hlls(r, o, plen))
        return false;
    if (o->n <= 2)
        return true;
    for (uint32_t i = 1; i < o->n; i++)
        if (o->sk[i].mb != o->sk[0].mb)
            return false;
    return o->sk[0].mb != 0;
}

static bool parse_arg(mp_reader *r, hop *o, int kind, size_t plen) {
    int64_t v;
    switch (kind) {
    case A_INDEX:
        if (!read_int(r, &v) || (v != -1 && !index_ok((uint64_t)v)))
            return false;
        o->ib = (uint8_t)v;
        return true;
    case A_MINHASH:
        if (!read_int(r, &v))
            return false;
        if (v != -1 && (!minhash_ok((uint64_t)v) || (o->ib != UNSET && !combined_ok(o->ib, (uint64_t)v))))
            return false;
        o->mb = (uint8_t)v;
        return true;
    case A_FLAGS:
        if (!read_int(r, &v))
            return false;
        o->flags = (uint64_t)v;
        return (o->flags & ~(uint64_t)o->def->ok_flags) == 0 && (o->flags & CU) != CU;
    case A_ELEMS: return parse_elems(r, o, plen);
    case A_HLLS: return parse_hlls(r, o, plen);
    default: return parse_hlls_x(r, o, plen);
    }
}

/* [op, args...] -> o; false = 4. */
static bool parse_op(const uint8_t *payload, size_t plen, bool read, hop *o) {
    mp_reader r = { payload, payload + plen };
    mp_obj l;
    int64_t code;
    memset(o, 0, sizeof *o);
    o->ib = o->mb = UNSET;
    if (!mp_read(&r, &l) || l.type != MP_ARRAY || l.len == 0 || !read_int(&r, &code))
        return false;
    if (read) {
        if (code < AERO_HLL_OP_COUNT || code > AERO_HLL_OP_MAY_CONTAIN)
            return false;
        o->def = &READ[code - AERO_HLL_OP_COUNT];
    } else {
        if (code < AERO_HLL_OP_INIT || code > AERO_HLL_OP_FOLD)
            return false;
        o->def = &MODIFY[code];
    }
    o->code = (int)code;
    uint32_t n_args = l.len - 1;
    if (n_args < o->def->min_args || n_args > o->def->max_args)
        return false;
    for (uint32_t i = 0; i < n_args; i++)
        if (!parse_arg(&r, o, o->def->args[i], plen))
            return false;
    return true;
}

/*
 * The op header as the server reads it before looking at the bin: a
 * non-empty list starting with a read (or modify) op code. A list/map
 * context marker (0xff) is not one: HLL ops take a whole bin only.
 */
static bool header_ok(const uint8_t *payload, size_t plen, bool read) {
    mp_reader r = { payload, payload + plen };
    mp_obj l;
    int64_t code;
    if (!mp_read(&r, &l) || l.type != MP_ARRAY || l.len == 0 || !read_int(&r, &code))
        return false;
    return read ? code >= AERO_HLL_OP_COUNT && code <= AERO_HLL_OP_MAY_CONTAIN
                : code >= AERO_HLL_OP_INIT && code <= AERO_HLL_OP_FOLD;
}

/* ---- modify ---- */

static int check_bin(const ts_particle *bin) {
    if (!bin)
        return 0;
    if (bin->ptype != AERO_PT_HLL)
        return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
    return ts_hll_valid(bin->data, bin->len) ? 0 : AERO_ERR_SERVER;
}

/* The shape the modified HLL takes (the server's prepare step). */
static int prepare(hop *o, const sketch *old) {
    switch (o->code) {
    case AERO_HLL_OP_INIT:
    case AERO_HLL_OP_ADD:
        if (!old) {
            if (o->ib == UNSET)
                return AERO_ERR_OP_NOT_APPLICABLE;
            if (o->mb == UNSET)
                o->mb = 0;
            return 0;
        }
        if (o->code == AERO_HLL_OP_ADD || o->ib == UNSET)
            o->ib = old->ib;
        if (o->code == AERO_HLL_OP_ADD || o->mb == UNSET)
            o->mb = old->mb;
        return combined_ok(o->ib, o->mb) ? 0 : AERO_ERR_OP_NOT_APPLICABLE;
    case AERO_HLL_OP_SET_UNION: {
        uint8_t ib = UNSET, mb = UNSET;
        for (uint32_t i = 0; i < o->n; i++) {
            if (o->sk[i].ib < ib)
                ib = o->sk[i].ib;
            if (o->sk[i].mb != mb)
                mb = mb == UNSET ? o->sk[i].mb : 0;
        }
        if (old && !(o->flags & AERO_HLL_WRITE_ALLOW_FOLD)) {
            if (old->ib > ib || (old->mb != 0 && old->mb != mb))
                return AERO_ERR_OP_NOT_APPLICABLE;
        }
        return 0;
    }
    case AERO_HLL_OP_REFRESH_COUNT: return old ? 0 : AERO_ERR_BIN_NOT_FOUND;
    default: /* fold */
        if (!old)
            return AERO_ERR_BIN_NOT_FOUND;
        if (old->mb > 0 || old->ib < o->ib)
            return AERO_ERR_OP_NOT_APPLICABLE;
        return 0;
    }
}

static int add_elems(const hop *o, const sketch *old, ts_particle *out, ts_particle *res) {
    sketch s;
    if (!sketch_new(&s, old ? old->ib : o->ib, old ? old->mb : o->mb))
        return AERO_ERR_SERVER;
    if (old) {
        memcpy(s.reg, old->reg, regs_size(s.ib, s.mb));
        s.cache = old->cache;
    }
    uint64_t added = 0;
    for (uint32_t i = 0; i < o->n; i++) {
        uint32_t ix;
        uint64_t v;
        hash_elem(&s, o->ebuf + o->eoff[i], o->eoff[i + 1] - o->eoff[i], &ix, &v);
        if (get_reg(&s, ix) < v) {
            set_reg(&s, ix, v);
            s.cache = 0;
            added++;
        }
    }
    int rc = out_hll(&s, out);
    free(s.reg);
    return rc ? rc : out_u64(AERO_PT_INTEGER, added, res);
}

static int execute_modify(hop *o, const sketch *old, ts_particle *out, ts_particle *res) {
    sketch s = { 0 };
    int rc = 0;
    switch (o->code) {
    case AERO_HLL_OP_INIT:
        if (!sketch_new(&s, o->ib, o->mb))
            return AERO_ERR_SERVER;
        break;
    case AERO_HLL_OP_ADD: return add_elems(o, old, out, res);
    case AERO_HLL_OP_SET_UNION:
        if (old)
            o->skp[o->n++] = old;
        if (!union_of(o->n, o->skp, &s))
            return AERO_ERR_SERVER;
        break;
    case AERO_HLL_OP_REFRESH_COUNT:
        s = *old;
        s.cache = estimate(old);
        rc = out_hll(&s, out);
        return rc ? rc : out_u64(AERO_PT_INTEGER, s.cache, res);
    default: /* fold */
        if (o->ib == old->ib)
            return out_hll(old, out);
        if (!sketch_new(&s, o->ib, 0))
            return AERO_ERR_SERVER;
        merge(&s, old);
        break;
    }
    rc = out_hll(&s, out);
    free(s.reg);
    return rc;
}

int ts_hll_modify(const uint8_t *payload, size_t plen, const ts_particle *bin, ts_particle *out, ts_particle *res) {
    *out = (ts_particle){ 0 };
    *res = (ts_particle){ 0 };
    if (!header_ok(payload, plen, false))
        return AERO_ERR_PARAMETER;
    int rc = check_bin(bin);
    if (rc)
        return rc;
    hop o;
    if (!parse_op(payload, plen, false, &o)) {
        hop_free(&o);
        return AERO_ERR_PARAMETER;
    }
    sketch old;
    if (bin)
        old = view(bin->data);
    if (bin && (o.flags & AERO_HLL_WRITE_CREATE_ONLY))
        rc = AERO_ERR_BIN_EXISTS;
    else if (!bin && (o.flags & AERO_HLL_WRITE_UPDATE_ONLY))
        rc = AERO_ERR_BIN_NOT_FOUND;
    if (rc) {
        hop_free(&o);
        return (o.flags & AERO_HLL_WRITE_NO_FAIL) ? 0 : rc;
    }
    rc = prepare(&o, bin ? &old : NULL);
    if (rc == 0)
        rc = execute_modify(&o, bin ? &old : NULL, out, res);
    hop_free(&o);
    if (rc) {
        free(out->data);
        free(res->data);
        *out = *res = (ts_particle){ 0 };
    }
    return rc;
}

/* ---- read ---- */

static int describe(const sketch *s, ts_particle *res) {
    uint8_t *d = malloc(3);
    if (!d)
        return AERO_ERR_SERVER;
    d[0] = 0x92;
    d[1] = s->ib;
    d[2] = s->mb;
    *res = (ts_particle){ AERO_PT_LIST, d, 3 };
    return 0;
}

static int execute_read(hop *o, const sketch *bin, ts_particle *res) {
    if (o->skp)
        o->skp[o->n] = bin;
    uint32_t n = o->n + 1;
    switch (o->code) {
    case AERO_HLL_OP_COUNT: return out_u64(AERO_PT_INTEGER, estimate(bin), res);
    case AERO_HLL_OP_UNION: {
        sketch u;
        if (!union_of(n, o->skp, &u))
            return AERO_ERR_SERVER;
        int rc = out_hll(&u, res);
        free(u.reg);
        return rc;
    }
    case AERO_HLL_OP_UNION_COUNT: return out_u64(AERO_PT_INTEGER, union_count(n, o->skp), res);
    case AERO_HLL_OP_INTERSECT_COUNT: return out_u64(AERO_PT_INTEGER, intersect_count(n, o->skp), res);
    case AERO_HLL_OP_SIMILARITY: return out_double(similarity(n, o->skp), res);
    case AERO_HLL_OP_DESCRIBE: return describe(bin, res);
    default: { /* may contain all */
        uint64_t all = 1;
        for (uint32_t i = 0; i < o->n && all; i++) {
            uint32_t ix;
            uint64_t v;
            hash_elem(bin, o->ebuf + o->eoff[i], o->eoff[i + 1] - o->eoff[i], &ix, &v);
            all = v <= get_reg(bin, ix);
        }
        return out_u64(AERO_PT_INTEGER, all, res);
    }
    }
}

int ts_hll_read(const uint8_t *payload, size_t plen, const ts_particle *bin, ts_particle *res) {
    *res = (ts_particle){ 0 };
    if (!header_ok(payload, plen, true))
        return AERO_ERR_PARAMETER;
    int rc = check_bin(bin);
    if (rc)
        return rc;
    hop o;
    if (!parse_op(payload, plen, true, &o)) {
        hop_free(&o);
        return AERO_ERR_PARAMETER;
    }
    sketch s = view(bin->data);
    if ((o.code == AERO_HLL_OP_INTERSECT_COUNT || o.code == AERO_HLL_OP_SIMILARITY) && o.n > 2 &&
        (s.mb == 0 || s.mb != o.sk[0].mb))
        rc = AERO_ERR_OP_NOT_APPLICABLE;
    else
        rc = execute_read(&o, &s, res);
    hop_free(&o);
    return rc;
}
