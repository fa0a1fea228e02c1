/*
 * proto/buf.c - growable byte buffer.
 *
 * The buffer begins on storage the caller lends (often a stack array), so a
 * typical request is built without touching the heap. Growth doubles, and a
 * buffer never grows past AERO_BUF_MAX: no legal message is larger, so the
 * limit turns a runaway builder into a clean, sticky failure instead of an
 * attempt to allocate gigabytes.
 */
#include "proto/buf.h"

#include <stdlib.h>
#include <string.h>

static bool grow(aero_buf *b, size_t need) {
    size_t cap = b->cap < 256 ? 256 : b->cap;
    while (cap < need)
        cap = cap > AERO_BUF_MAX / 2 ? AERO_BUF_MAX : cap * 2;
    if (cap > AERO_BUF_MAX)
        cap = AERO_BUF_MAX;
    uint8_t *p;
    if (b->heap) {
        p = realloc(b->data, cap);
    } else {
        p = malloc(cap);
        if (p && b->len)
            memcpy(p, b->data, b->len);
    }
    if (!p)
        return false;
    b->data = p;
    b->cap = cap;
    b->heap = true;
    return true;
}

bool aero_buf__reserve(aero_buf *b, size_t n) {
    if (b->failed)
        return false;
    if (n <= b->cap - b->len)
        return true;
    if (n > AERO_BUF_MAX - b->len || !grow(b, b->len + n)) {
        b->failed = true;
        return false;
    }
    return true;
}

uint8_t *aero_buf__append_slow(aero_buf *b, size_t n) {
    if (!aero_buf__reserve(b, n))
        return NULL;
    uint8_t *p = b->data + b->len;
    b->len += n;
    return p;
}
