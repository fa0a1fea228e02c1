/*
 * hll_hash.c - what an HLL element is hashed from and with: the server's
 * compact msgpack form of the element, and MurmurHash3 x64/128 (seed 0).
 */
#include <stdbool.h>
#include <string.h>

#include "hll_int.h"

/* ---- MurmurHash3 x64/128, seed 0 ---- */

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t fmix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static uint64_t le64(const uint8_t *p, size_t n) {
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

void ts_hll_murmur3(const uint8_t *d, size_t len, uint64_t *o1, uint64_t *o2) {
    const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
    uint64_t h1 = 0, h2 = 0;
    size_t nb = len / 16;
    for (size_t i = 0; i < nb; i++) {
        uint64_t k1 = le64(d + i * 16, 8), k2 = le64(d + i * 16 + 8, 8);
        h1 ^= rotl(k1 * c1, 31) * c2;
        h1 = (rotl(h1, 27) + h2) * 5 + 0x52dce729;
        h2 ^= rotl(k2 * c2, 33) * c1;
        h2 = (rotl(h2, 31) + h1) * 5 + 0x38495ab5;
    }
    const uint8_t *t = d + nb * 16;
    size_t rest = len & 15;
    if (rest > 8)
        h2 ^= rotl(le64(t + 8, rest - 8) * c2, 33) * c1;
    if (rest > 0)
        h1 ^= rotl(le64(t, rest > 8 ? 8 : rest) * c1, 31) * c2;
    h1 ^= len;
    h2 ^= len;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    *o1 = h1;
    *o2 = h2;
}

/* ---- the server's compact msgpack form of an element ---- */

static size_t put_uint(uint8_t *o, uint64_t v) {
    if (v < 128) {
        o[0] = (uint8_t)v;
        return 1;
    }
    int nb = v < 256 ? 1 : v < 65536 ? 2 : v <= 0xffffffffULL ? 4 : 8;
    o[0] = (uint8_t)(nb == 1 ? 0xcc : nb == 2 ? 0xcd : nb == 4 ? 0xce : 0xcf);
    for (int i = 0; i < nb; i++)
        o[1 + i] = (uint8_t)(v >> (8 * (nb - 1 - i)));
    return 1 + (size_t)nb;
}

static size_t put_int(uint8_t *o, int64_t v) {
    if (v >= 0)
        return put_uint(o, (uint64_t)v);
    if (v >= -32) {
        o[0] = (uint8_t)v;
        return 1;
    }
    int nb = v >= -128 ? 1 : v >= -32768 ? 2 : v >= INT32_MIN ? 4 : 8;
    o[0] = (uint8_t)(nb == 1 ? 0xd0 : nb == 2 ? 0xd1 : nb == 4 ? 0xd2 : 0xd3);
    for (int i = 0; i < nb; i++)
        o[1 + i] = (uint8_t)((uint64_t)v >> (8 * (nb - 1 - i)));
    return 1 + (size_t)nb;
}

static size_t put_hdr(uint8_t *o, uint32_t len, uint8_t fix, uint8_t c8) {
    if (fix && len < 32) {
        o[0] = (uint8_t)(fix | len);
        return 1;
    }
    int nb = len < 256 ? 1 : len < 65536 ? 2 : 4;
    o[0] = (uint8_t)(c8 + (nb == 1 ? 0 : nb == 2 ? 1 : 2));
    for (int i = 0; i < nb; i++)
        o[1 + i] = (uint8_t)(len >> (8 * (nb - 1 - i)));
    return 1 + (size_t)nb;
}

/* See hll_int.h. The server decides per header kind what it rewrites. */
size_t ts_hll_compact(const uint8_t *e, size_t n, uint8_t *o) {
    uint8_t b = e[0];
    uint32_t len = 0;
    int hl = 0;
    bool recode = false;
    if (b >= 0xcc && b <= 0xd3) {
        uint64_t v = 0;
        int nb = 1 << ((b - 0xcc) & 3);
        for (int i = 0; i < nb; i++)
            v = (v << 8) | e[1 + i];
        if (b <= 0xcf)
            return put_uint(o, v);
        int sh = 64 - 8 * nb;
        return put_int(o, sh ? (int64_t)(v << sh) >> sh : (int64_t)v);
    }
    if ((b >= 0xc4 && b <= 0xc6) || (b >= 0xd9 && b <= 0xdb)) {
        int k = b <= 0xc6 ? b - 0xc4 : b - 0xd9;
        hl = 1 << k;
        for (int i = 0; i < hl; i++)
            len = (len << 8) | e[1 + i];
        /* as the server decides: a bin 8 stays unless a fixstr holds it */
        recode = k == 0 ? len <= 0x1f : k == 1 ? len <= UINT8_MAX : len <= UINT16_MAX;
        if (!recode) {
            memcpy(o, e, n);
            return n;
        }
        size_t h = put_hdr(o, len, 0xa0, 0xd9);
        memmove(o + h, e + 1 + hl, len);
        return h + len;
    }
    if (b >= 0xc7 && b <= 0xc9) {
        hl = 1 << (b - 0xc7);
        for (int i = 0; i < hl; i++)
            len = (len << 8) | e[1 + i];
        uint8_t type = e[1 + hl];
        bool pow2 = len == 1 || len == 2 || len == 4 || len == 8 || len == 16;
        recode = b == 0xc7 ? (len != 0 && pow2) : b == 0xc8 ? len <= UINT8_MAX : len <= UINT16_MAX;
        if (!recode) {
            memcpy(o, e, n);
            return n;
        }
        size_t h;
        if (pow2) {
            o[0] = (uint8_t)(len == 1 ? 0xd4 : len == 2 ? 0xd5 : len == 4 ? 0xd6 : len == 8 ? 0xd7 : 0xd8);
            h = 1;
        } else {
            h = put_hdr(o, len, 0, 0xc7);
        }
        o[h++] = type;
        memmove(o + h, e + 2 + hl, len);
        return h + len;
    }
    memcpy(o, e, n);
    return n;
}
