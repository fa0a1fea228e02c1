/*
 * proto/buf.h - a growable byte buffer for building messages.
 *
 * Starts on caller storage (a stack array or a reused block) and moves to the
 * heap only when it outgrows it. Failure is sticky: once an allocation fails
 * or the protocol size limit is passed, further appends do nothing and
 * `failed` stays set, so a builder checks once at the end.
 */
#ifndef AERO_PROTO_BUF_H
#define AERO_PROTO_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/**
 * Largest size a buffer may reach: one maximal proto body plus its 8-byte
 * header (protocol.md 1). Appends past it fail (sticky).
 */
#define AERO_BUF_MAX ((size_t)128 * 1024 * 1024 + 8)

typedef struct aero_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    bool heap;   /* data was allocated by the buffer */
    bool failed; /* sticky: an append could not be made */
} aero_buf;

/** Start on `storage` (may be NULL with cap 0). */
static inline void aero_buf__init(aero_buf *b, void *storage, size_t cap) {
    b->data = storage;
    b->len = 0;
    b->cap = storage ? cap : 0;
    b->heap = false;
    b->failed = false;
}
/** Free heap storage (if any) and reset to empty. */
static inline void aero_buf__free(aero_buf *b) {
    if (b->heap)
        free(b->data);
    aero_buf__init(b, NULL, 0);
}
/** Keep storage, set len = 0 and clear `failed`. */
static inline void aero_buf__reset(aero_buf *b) {
    b->len = 0;
    b->failed = false;
}
/** Make room for n more bytes; false (and failed set) if impossible. */
bool aero_buf__reserve(aero_buf *b, size_t n);
/** Growth path of aero_buf__append (out of line). */
uint8_t *aero_buf__append_slow(aero_buf *b, size_t n);

/* Big-endian loads and stores on raw memory. */
static inline uint16_t aero_get_u16be(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t aero_get_u32be(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline uint64_t aero_get_u64be(const uint8_t *p) {
    return ((uint64_t)aero_get_u32be(p) << 32) | aero_get_u32be(p + 4);
}
static inline void aero_set_u16be(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void aero_set_u32be(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
static inline void aero_set_u64be(uint8_t *p, uint64_t v) {
    aero_set_u32be(p, (uint32_t)(v >> 32));
    aero_set_u32be(p + 4, (uint32_t)v);
}

/** Copy n bytes; runs of up to 16 (bin names) with fixed-size moves instead of a call. */
static inline void aero_copy_short(void *dst, const void *src, size_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (n > 16) {
        memcpy(d, s, n);
    } else if (n >= 8) {
        memcpy(d, s, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    }
}

/*
 * Appending is on every request's path, so the common case (room left, not
 * failed) is inline; growth and failure go through aero_buf__append_slow.
 */

/** Append n uninitialised bytes and return them, or NULL on failure. */
static inline uint8_t *aero_buf__append(aero_buf *b, size_t n) {
    if (__builtin_expect(!b->failed && n <= b->cap - b->len, 1)) {
        uint8_t *p = b->data + b->len;
        b->len += n;
        return p;
    }
    return aero_buf__append_slow(b, n);
}
static inline void aero_buf__put(aero_buf *b, const void *p, size_t n) {
    uint8_t *d = aero_buf__append(b, n);
    if (d && n)
        memcpy(d, p, n);
}
static inline void aero_buf__put_u8(aero_buf *b, uint8_t v) {
    uint8_t *d = aero_buf__append(b, 1);
    if (d)
        d[0] = v;
}
static inline void aero_buf__put_u16be(aero_buf *b, uint16_t v) {
    uint8_t *d = aero_buf__append(b, 2);
    if (d)
        aero_set_u16be(d, v);
}
static inline void aero_buf__put_u32be(aero_buf *b, uint32_t v) {
    uint8_t *d = aero_buf__append(b, 4);
    if (d)
        aero_set_u32be(d, v);
}
static inline void aero_buf__put_u64be(aero_buf *b, uint64_t v) {
    uint8_t *d = aero_buf__append(b, 8);
    if (d)
        aero_set_u64be(d, v);
}

#endif
