/*
 * tests/unit/ael/xpect.h - expected expression bytes, written independently
 * of the encoder under test: a tiny msgpack writer driven by a spec string.
 *
 * Spec tokens (space separated):
 *   [N     array header of N          {N    map header of N pairs
 *   iN     signed int (minimal)       u:N   unsigned int
 *   s:TXT  particle string 0x03       r:TXT raw string (bin/var names)
 *   g:TXT  GeoJSON particle 0x17      b:HEX blob particle 0x04
 *   f:D    double (cb)                T F N true, false, nil
 *   h:HEX  raw bytes
 * In TXT a '~' stands for a space.
 */
#ifndef XPECT_H
#define XPECT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct xbuf {
    uint8_t b[4096];
    size_t n;
} xbuf;

static inline void x_put(xbuf *x, uint8_t v) {
    if (x->n < sizeof x->b)
        x->b[x->n++] = v;
}

static inline void x_be(xbuf *x, uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; i--)
        x_put(x, (uint8_t)(v >> (8 * i)));
}

static inline void x_int(xbuf *x, int64_t v) {
    if (v >= 0) {
        if (v < 128)
            x_put(x, (uint8_t)v);
        else if (v < 256) {
            x_put(x, 0xcc);
            x_be(x, (uint64_t)v, 1);
        } else if (v < 65536) {
            x_put(x, 0xcd);
            x_be(x, (uint64_t)v, 2);
        } else if (v <= 0xffffffffLL) {
            x_put(x, 0xce);
            x_be(x, (uint64_t)v, 4);
        } else {
            x_put(x, 0xcf);
            x_be(x, (uint64_t)v, 8);
        }
    } else {
        if (v >= -32)
            x_put(x, (uint8_t)(int8_t)v);
        else if (v >= -128) {
            x_put(x, 0xd0);
            x_be(x, (uint64_t)v, 1);
        } else if (v >= -32768) {
            x_put(x, 0xd1);
            x_be(x, (uint64_t)v, 2);
        } else if (v >= -2147483648LL) {
            x_put(x, 0xd2);
            x_be(x, (uint64_t)v, 4);
        } else {
            x_put(x, 0xd3);
            x_be(x, (uint64_t)v, 8);
        }
    }
}

static inline void x_hdr(xbuf *x, size_t n, uint8_t fix, size_t fixmax, uint8_t c8, uint8_t c16, uint8_t c32) {
    if (n <= fixmax)
        x_put(x, (uint8_t)(fix | n));
    else if (c8 && n < 256) {
        x_put(x, c8);
        x_be(x, n, 1);
    } else if (n < 65536) {
        x_put(x, c16);
        x_be(x, n, 2);
    } else {
        x_put(x, c32);
        x_be(x, n, 4);
    }
}

static inline size_t x_text(const char *t, size_t n, char *out) {
    for (size_t i = 0; i < n; i++)
        out[i] = t[i] == '~' ? ' ' : t[i];
    return n;
}

static inline size_t x_hex(const char *t, size_t n, uint8_t *out) {
    size_t o = 0;
    for (size_t i = 0; i + 1 < n + 1 && i < n; i += 2) {
        char tmp[3] = { t[i], t[i + 1], 0 };
        out[o++] = (uint8_t)strtoul(tmp, NULL, 16);
    }
    return o;
}

/* Build bytes from a spec; aborts the test program on a bad spec. */
static inline xbuf xpect(const char *spec) {
    xbuf x;
    x.n = 0;
    const char *p = spec;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        size_t n = (size_t)(e - p);
        char tmp[512];
        uint8_t bin[512];
        if (p[0] == '[')
            x_hdr(&x, strtoul(p + 1, NULL, 10), 0x90, 15, 0, 0xdc, 0xdd);
        else if (p[0] == '{')
            x_hdr(&x, strtoul(p + 1, NULL, 10), 0x80, 15, 0, 0xde, 0xdf);
        else if (p[0] == 'i')
            x_int(&x, strtoll(p + 1, NULL, 10));
        else if (p[0] == 'u' && p[1] == ':') {
            x_put(&x, 0xcf);
            x_be(&x, strtoull(p + 2, NULL, 10), 8);
        } else if (p[0] == 'T' && n == 1)
            x_put(&x, 0xc3);
        else if (p[0] == 'F' && n == 1)
            x_put(&x, 0xc2);
        else if (p[0] == 'N' && n == 1)
            x_put(&x, 0xc0);
        else if (p[0] == 'f' && p[1] == ':') {
            double d = strtod(p + 2, NULL);
            uint64_t u;
            memcpy(&u, &d, 8);
            x_put(&x, 0xcb);
            x_be(&x, u, 8);
        } else if ((p[0] == 's' || p[0] == 'g' || p[0] == 'r') && p[1] == ':') {
            size_t l = x_text(p + 2, n - 2, tmp);
            if (p[0] == 'r') {
                x_hdr(&x, l, 0xa0, 31, 0xd9, 0xda, 0xdb);
            } else {
                x_hdr(&x, l + 1, 0xa0, 31, 0xd9, 0xda, 0xdb);
                x_put(&x, p[0] == 's' ? 0x03 : 0x17);
            }
            for (size_t i = 0; i < l; i++)
                x_put(&x, (uint8_t)tmp[i]);
        } else if (p[0] == 'b' && p[1] == ':') {
            size_t l = x_hex(p + 2, n - 2, bin);
            x_hdr(&x, l + 1, 0xa0, 31, 0xd9, 0xda, 0xdb);
            x_put(&x, 0x04);
            for (size_t i = 0; i < l; i++)
                x_put(&x, bin[i]);
        } else if (p[0] == 'h' && p[1] == ':') {
            size_t l = x_hex(p + 2, n - 2, bin);
            for (size_t i = 0; i < l; i++)
                x_put(&x, bin[i]);
        } else {
            fprintf(stderr, "bad spec token '%.*s'\n", (int)n, p);
            abort();
        }
        p = e;
    }
    return x;
}

/* Hex text "93 03 ..." (spaces ignored) to bytes. */
static inline xbuf xhex(const char *hex) {
    xbuf x;
    x.n = 0;
    char d[3] = { 0 };
    int k = 0;
    for (const char *p = hex; *p; p++) {
        if (*p == ' ' || *p == '\n')
            continue;
        d[k++] = *p;
        if (k == 2) {
            x_put(&x, (uint8_t)strtoul(d, NULL, 16));
            k = 0;
        }
    }
    return x;
}

static inline void xdump(const char *label, const uint8_t *b, size_t n) {
    fprintf(stderr, "%s (%zu):", label, n);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, " %02x", b[i]);
    fprintf(stderr, "\n");
}

/* Bin reads. */
#define IB(n)  "[3 i81 i2 r:" n
#define FB(n)  "[3 i81 i7 r:" n
#define SB(n)  "[3 i81 i3 r:" n
#define BB(n)  "[3 i81 i1 r:" n
#define LB(n)  "[3 i81 i4 r:" n
#define MB(n)  "[3 i81 i5 r:" n
#define BLB(n) "[3 i81 i6 r:" n
#define GB(n)  "[3 i81 i8 r:" n
#define HB(n)  "[3 i81 i9 r:" n

#endif
