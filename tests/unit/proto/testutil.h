/*
 * tests/unit/proto/testutil.h - hex helpers shared by the codec tests.
 */
#ifndef AERO_TEST_PROTO_UTIL_H
#define AERO_TEST_PROTO_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static inline int tu_hexval(int c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode hex (spaces and newlines ignored, stops at hexlen or NUL) into out; returns the byte count or (size_t)-1. */
static inline size_t tu_unhex(const char *hex, size_t hexlen, uint8_t *out, size_t cap) {
    size_t n = 0;
    int hi = -1;
    for (size_t i = 0; i < hexlen; i++) {
        int c = (unsigned char)hex[i];
        if (c == 0)
            break;
        if (c == ' ' || c == '\n' || c == '\t')
            continue;
        int v = tu_hexval(c);
        if (v < 0)
            return (size_t)-1;
        if (hi < 0) {
            hi = v;
        } else {
            if (n >= cap)
                return (size_t)-1;
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi < 0 ? n : (size_t)-1;
}

/* Assert that (p, n) equals the bytes spelled by `hex`; prints both on mismatch. */
#define assert_bytes_hex(p, n, hex) tu_assert_bytes_hex((p), (n), (hex), __FILE__, __LINE__)

static inline void tu_print_hex(const char *label, const uint8_t *p, size_t n) {
    fprintf(stderr, "%s (%zu):", label, n);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%s%02x", i % 32 ? " " : "\n  ", p[i]);
    fprintf(stderr, "\n");
}

static inline void tu_assert_bytes_hex(const uint8_t *p, size_t n, const char *hex, const char *file, int line) {
    static uint8_t want[4096];
    size_t wn = tu_unhex(hex, strlen(hex), want, sizeof want);
    if (wn == (size_t)-1)
        _fail(file, line);
    if (wn != n || memcmp(p, want, n) != 0) {
        tu_print_hex("got", p, n);
        tu_print_hex("want", want, wn);
        _fail(file, line);
    }
}

#endif
