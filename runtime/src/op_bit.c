/*
 * op_bit.c - the bit operation constructors (aero/bit.h).
 *
 * Arguments go in wire order as server 8.1 and the official client lay them
 * out: resize [byte_size, flags, resize_flags], insert [byte_offset, bytes,
 * flags], remove [byte_offset, byte_size, flags], set/or/xor/and [offset,
 * size, bytes, flags], not [offset, size, flags], shifts [offset, size,
 * shift, flags], add/subtract [offset, size, value, flags, overflow|signed],
 * set_int [offset, size, value, flags], reads [offset, size (, value |
 * signed)]. Sizes and byte counts are checked here with the server's rules.
 */
#include <aero/bit.h>

#include <string.h>

#include "op_internal.h"
#include "proto/bit_ops.h"
#include "proto/wire.h"

#define MAX_BYTES ((int64_t)128 * 1024 * 1024) /* the server's message size limit */

static aero_op bit_op(const aero_path *at, bool modify, int code) {
    aero_op o = aero_op__new(at, modify ? AERO_MSG_OP_BIT_MODIFY : AERO_MSG_OP_BIT_READ, code);
    if (at && at->n)
        aero_op__bad(&o, "bit operations apply to a whole bin: server 8.1 takes no context steps for them");
    return o;
}

static void put_flags(aero_op *o, const aero_bit_policy *pol, unsigned allowed) {
    unsigned f = pol ? pol->flags : 0;
    if (f & ~allowed)
        aero_op__bad(o, "bit policy flag the operation does not take");
    if ((f & AERO_BIT_FLAG_CREATE_ONLY) && (f & AERO_BIT_FLAG_UPDATE_ONLY))
        aero_op__bad(o, "bit create-only and update-only exclude each other");
    aero_op__put(o, aero_int((int64_t)f));
}

#define RANGE_FLAGS (AERO_BIT_FLAG_UPDATE_ONLY | AERO_BIT_FLAG_NO_FAIL | AERO_BIT_FLAG_PARTIAL)
#define INT_FLAGS   (AERO_BIT_FLAG_UPDATE_ONLY | AERO_BIT_FLAG_NO_FAIL)

/* A bit range: offset within +-2^30 bits, size 1..2^30 bits. */
static void put_range(aero_op *o, int64_t bit_offset, uint32_t bit_size) {
    if (bit_offset > MAX_BYTES * 8 || bit_offset < -MAX_BYTES * 8)
        aero_op__bad(o, "bit offset is out of range");
    if (bit_size == 0 || bit_size > MAX_BYTES * 8)
        aero_op__bad(o, "bit size must be 1..2^30");
    aero_op__put(o, aero_int(bit_offset));
    aero_op__put(o, aero_int((int64_t)bit_size));
}

/* An integer range: 1..64 bits. */
static void put_int_range(aero_op *o, int64_t bit_offset, uint32_t bit_size) {
    put_range(o, bit_offset, bit_size ? bit_size : 1);
    if (bit_size == 0 || bit_size > 64)
        aero_op__bad(o, "integer bit size must be 1..64");
}

static void put_bytes(aero_op *o, const void *bytes, size_t len, uint64_t need_bits) {
    if (!bytes || len == 0)
        aero_op__bad(o, "bit operation bytes are NULL or empty");
    else if ((uint64_t)len * 8 < need_bits)
        aero_op__bad(o, "fewer bytes than bit_size bits");
    aero_op__put(o, aero_blob(bytes, len));
}

aero_op aero_bit_resize(const aero_path *at, uint32_t byte_size, unsigned resize_flags, const aero_bit_policy *pol) {
    aero_op o = bit_op(at, true, AERO_BIT_OP_RESIZE);
    if (byte_size >= MAX_BYTES)
        aero_op__bad(&o, "bit resize byte_size is too large");
    if (resize_flags & ~(unsigned)(AERO_BIT_FROM_FRONT | AERO_BIT_GROW_ONLY | AERO_BIT_SHRINK_ONLY))
        aero_op__bad(&o, "unknown bit resize flags");
    if ((resize_flags & AERO_BIT_GROW_ONLY) && (resize_flags & AERO_BIT_SHRINK_ONLY))
        aero_op__bad(&o, "bit resize grow-only and shrink-only exclude each other");
    aero_op__put(&o, aero_int(byte_size));
    put_flags(&o, pol, AERO_BIT_FLAG_CREATE_ONLY | INT_FLAGS);
    aero_op__put(&o, aero_int((int64_t)resize_flags));
    return o;
}

aero_op aero_bit_insert(const aero_path *at, int64_t byte_offset, const void *bytes, size_t len,
                        const aero_bit_policy *pol) {
    aero_op o = bit_op(at, true, AERO_BIT_OP_INSERT);
    if (byte_offset > MAX_BYTES || byte_offset < -MAX_BYTES)
        aero_op__bad(&o, "bit insert byte_offset is out of range");
    aero_op__put(&o, aero_int(byte_offset));
    put_bytes(&o, bytes, len, 0);
    put_flags(&o, pol, AERO_BIT_FLAG_CREATE_ONLY | INT_FLAGS);
    return o;
}

aero_op aero_bit_remove(const aero_path *at, int64_t byte_offset, uint32_t byte_size, const aero_bit_policy *pol) {
    aero_op o = bit_op(at, true, AERO_BIT_OP_REMOVE);
    if (byte_offset > MAX_BYTES || byte_offset < -MAX_BYTES)
        aero_op__bad(&o, "bit remove byte_offset is out of range");
    if (byte_size == 0 || byte_size > MAX_BYTES)
        aero_op__bad(&o, "bit remove byte_size must be 1..2^27");
    aero_op__put(&o, aero_int(byte_offset));
    aero_op__put(&o, aero_int(byte_size));
    put_flags(&o, pol, RANGE_FLAGS);
    return o;
}

static aero_op logic(const aero_path *at, int code, int64_t off, uint32_t size, const void *bytes, size_t len,
                     const aero_bit_policy *pol) {
    aero_op o = bit_op(at, true, code);
    put_range(&o, off, size);
    put_bytes(&o, bytes, len, size);
    put_flags(&o, pol, RANGE_FLAGS);
    return o;
}

aero_op aero_bit_set(const aero_path *at, int64_t bit_offset, uint32_t bit_size, const void *bytes, size_t len,
                     const aero_bit_policy *pol) {
    return logic(at, AERO_BIT_OP_SET, bit_offset, bit_size, bytes, len, pol);
}

aero_op aero_bit_or(const aero_path *at, int64_t bit_offset, uint32_t bit_size, const void *bytes, size_t len,
                    const aero_bit_policy *pol) {
    return logic(at, AERO_BIT_OP_OR, bit_offset, bit_size, bytes, len, pol);
}

aero_op aero_bit_xor(const aero_path *at, int64_t bit_offset, uint32_t bit_size, const void *bytes, size_t len,
                     const aero_bit_policy *pol) {
    return logic(at, AERO_BIT_OP_XOR, bit_offset, bit_size, bytes, len, pol);
}

aero_op aero_bit_and(const aero_path *at, int64_t bit_offset, uint32_t bit_size, const void *bytes, size_t len,
                     const aero_bit_policy *pol) {
    return logic(at, AERO_BIT_OP_AND, bit_offset, bit_size, bytes, len, pol);
}

aero_op aero_bit_not(const aero_path *at, int64_t bit_offset, uint32_t bit_size, const aero_bit_policy *pol) {
    aero_op o = bit_op(at, true, AERO_BIT_OP_NOT);
    put_range(&o, bit_offset, bit_size);
    put_flags(&o, pol, RANGE_FLAGS);
    return o;
}

static aero_op shift(const aero_path *at, int code, int64_t off, uint32_t size, uint32_t n,
                     const aero_bit_policy *pol) {
    aero_op o = bit_op(at, true, code);
    put_range(&o, off, size);
    if (n > MAX_BYTES * 8)
        aero_op__bad(&o, "bit shift is too large");
    aero_op__put(&o, aero_int(n));
    put_flags(&o, pol, RANGE_FLAGS);
    return o;
}

aero_op aero_bit_lshift(const aero_path *at, int64_t bit_offset, uint32_t bit_size, uint32_t n,
                        const aero_bit_policy *pol) {
    return shift(at, AERO_BIT_OP_LSHIFT, bit_offset, bit_size, n, pol);
}

aero_op aero_bit_rshift(const aero_path *at, int64_t bit_offset, uint32_t bit_size, uint32_t n,
                        const aero_bit_policy *pol) {
    return shift(at, AERO_BIT_OP_RSHIFT, bit_offset, bit_size, n, pol);
}

static aero_op math(const aero_path *at, int code, int64_t off, uint32_t size, uint64_t value, bool is_signed,
                    aero_bit_overflow action, const aero_bit_policy *pol) {
    aero_op o = bit_op(at, true, code);
    put_int_range(&o, off, size);
    aero_op__put(&o, aero_int((int64_t)value));
    put_flags(&o, pol, INT_FLAGS);
    if (action != AERO_BIT_OVERFLOW_FAIL && action != AERO_BIT_OVERFLOW_SATURATE && action != AERO_BIT_OVERFLOW_WRAP)
        aero_op__bad(&o, "unknown bit overflow action");
    aero_op__put(&o, aero_int((int64_t)action | (is_signed ? AERO_BIT_INT_SIGNED : 0)));
    return o;
}

aero_op aero_bit_add(const aero_path *at, int64_t bit_offset, uint32_t bit_size, uint64_t value, bool is_signed,
                     aero_bit_overflow action, const aero_bit_policy *pol) {
    return math(at, AERO_BIT_OP_ADD, bit_offset, bit_size, value, is_signed, action, pol);
}

aero_op aero_bit_subtract(const aero_path *at, int64_t bit_offset, uint32_t bit_size, uint64_t value, bool is_signed,
                          aero_bit_overflow action, const aero_bit_policy *pol) {
    return math(at, AERO_BIT_OP_SUBTRACT, bit_offset, bit_size, value, is_signed, action, pol);
}

aero_op aero_bit_set_int(const aero_path *at, int64_t bit_offset, uint32_t bit_size, int64_t value,
                         const aero_bit_policy *pol) {
    aero_op o = bit_op(at, true, AERO_BIT_OP_SET_INT);
    put_int_range(&o, bit_offset, bit_size);
    aero_op__put(&o, aero_int(value));
    put_flags(&o, pol, INT_FLAGS);
    return o;
}

aero_op aero_bit_get(const aero_path *at, int64_t bit_offset, uint32_t bit_size) {
    aero_op o = bit_op(at, false, AERO_BIT_OP_GET);
    put_range(&o, bit_offset, bit_size);
    return o;
}

aero_op aero_bit_count(const aero_path *at, int64_t bit_offset, uint32_t bit_size) {
    aero_op o = bit_op(at, false, AERO_BIT_OP_COUNT);
    put_range(&o, bit_offset, bit_size);
    return o;
}

static aero_op scan(const aero_path *at, int code, int64_t off, uint32_t size, bool value) {
    aero_op o = bit_op(at, false, code);
    put_range(&o, off, size);
    aero_op__put(&o, aero_bool(value));
    return o;
}

aero_op aero_bit_lscan(const aero_path *at, int64_t bit_offset, uint32_t bit_size, bool value) {
    return scan(at, AERO_BIT_OP_LSCAN, bit_offset, bit_size, value);
}

aero_op aero_bit_rscan(const aero_path *at, int64_t bit_offset, uint32_t bit_size, bool value) {
    return scan(at, AERO_BIT_OP_RSCAN, bit_offset, bit_size, value);
}

aero_op aero_bit_get_int(const aero_path *at, int64_t bit_offset, uint32_t bit_size, bool is_signed) {
    aero_op o = bit_op(at, false, AERO_BIT_OP_GET_INT);
    put_int_range(&o, bit_offset, bit_size);
    if (is_signed)
        aero_op__put(&o, aero_int(AERO_BIT_INT_SIGNED));
    return o;
}
