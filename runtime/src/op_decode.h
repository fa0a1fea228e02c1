/*
 * op_decode.h - decoding one bin (op) of an answer into an aero_value, with
 * strings NUL-terminated in place in the answer buffer. Inline: it runs once
 * per bin on the get path. Not installed.
 */
#ifndef AERO_OP_DECODE_H
#define AERO_OP_DECODE_H

#include <aero/error.h>
#include <aero/value.h>

#include <stdint.h>
#include <string.h>

#include "proto/arena.h"
#include "proto/buf.h"
#include "proto/msg.h"
#include "proto/wire.h"

/**
 * The in-place string step of aero_op__decode: a string bin's text, made
 * NUL-terminated by sliding it one byte into its bin name (op->name_len >= 1
 * required, same ownership rules).
 */
static inline const char *aero_op__string_in_place(const aero_op_view *op) {
    char *text = (char *)(uintptr_t)op->name + op->name_len - 1;
    const uint8_t *v = op->value;
    size_t n = op->value_len;
    /* 1 to 32 bytes without a call: every load before the first store, as the two ranges overlap; longer ones (and
       none) through memmove */
    if (n - 8 < 25) {
        uint64_t w[4];
        memcpy(&w[0], v, 8);
        memcpy(&w[1], v + n - 8, 8);
        if (n > 16) {
            memcpy(&w[2], v + 8, 8);
            memcpy(&w[3], v + n - 16, 8);
            memcpy(text + 8, &w[2], 8);
            memcpy(text + n - 16, &w[3], 8);
        }
        memcpy(text, &w[0], 8);
        memcpy(text + n - 8, &w[1], 8);
    } else if (n - 4 < 4) {
        uint32_t a, b;
        memcpy(&a, v, 4);
        memcpy(&b, v + n - 4, 4);
        memcpy(text, &a, 4);
        memcpy(text + n - 4, &b, 4);
    } else if (n - 1 < 3) {
        uint8_t a = v[0], b = v[n >> 1], c = v[n - 1];
        text[0] = (char)a;
        text[n >> 1] = (char)b;
        text[n - 1] = (char)c;
    } else {
        memmove(text, v, n);
    }
    text[n] = '\0';
    return text;
}

/**
 * Decode one bin of an answer. Strings are NUL-terminated IN PLACE by sliding
 * them one byte into their (already consumed) bin name, so the answer buffer
 * must be writable and owned by the caller (a record's buffer, a frame
 * buffer) and each op may be decoded once. Other types: aero_particle__decode.
 */
static inline aero_status aero_op__decode(const aero_op_view *op, aero_arena *arena, aero_value *out) {
    switch (op->ptype) {
    case AERO_PT_INTEGER:
        if (op->value_len != 8)
            break;
        *out = aero_int((int64_t)aero_get_u64be(op->value));
        return AERO_OK;
    case AERO_PT_FLOAT:
        if (op->value_len != 8)
            break;
        {
            uint64_t bits = aero_get_u64be(op->value);
            double d;
            memcpy(&d, &bits, sizeof d);
            *out = aero_double(d);
        }
        return AERO_OK;
    case AERO_PT_STRING:
        if (op->name_len == 0)
            break;
        *out = aero_strn(aero_op__string_in_place(op), op->value_len);
        return AERO_OK;
    default: break;
    }
    return aero_particle__decode(op->ptype, op->value, op->value_len, arena, out);
}

#endif
