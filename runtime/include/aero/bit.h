/*
 * aero/bit.h - bitwise operations on blob bins, as values (see aero/op.h).
 *
 * Bits are numbered from the most significant bit of the blob's first byte;
 * a negative offset counts from the end (-1 is the last bit or byte).
 * Attach the ops with aero_write_op (modify and read ops) or aero_query_op
 * (read ops). `at` names the bin (AERO_BIN("flags")); a path with context
 * steps is refused (AERO_ERR_PARAM at execute): the server applies bit ops
 * to a whole bin only.
 *
 *   uint8_t on = 0x80;
 *   aero_write_op(w, aero_bit_set(AERO_BIN("flags"), 5, 1, &on, 1, NULL));
 *   aero_write_op(w, aero_bit_count(AERO_BIN("flags"), 0, 64));
 *
 * Results: get -> blob (the bits moved to the front, zero padded), count /
 * lscan / rscan (-1 when not found) / get_int -> int; modify ops -> nothing.
 * Only resize and insert create a missing bin.
 *
 * Errors: a constructor given bad input (NULL bytes, fewer bytes than
 * bit_size bits, a zero size, integer sizes outside 1..64, contradictory
 * flags) returns an op that makes execute fail with AERO_ERR_PARAM before
 * anything is sent. The server answers AERO_ERR_OP_NOT_APPLICABLE (range
 * outside the blob, integer overflow with AERO_BIT_OVERFLOW_FAIL),
 * AERO_ERR_PARAMETER (offset before the start, remove past the end, a
 * refused grow-only / shrink-only resize), AERO_ERR_BIN_EXISTS,
 * AERO_ERR_BIN_NOT_FOUND and AERO_ERR_BIN_INCOMPATIBLE_TYPE (not a blob).
 *
 * Ownership: bytes are borrowed until the op is attached.
 */
#ifndef AERO_BIT_H
#define AERO_BIT_H

#include <aero/op.h>

#ifdef __cplusplus
extern "C" {
#endif

/** aero_bit_policy.flags, OR'ed (create-only and update-only exclude each other). */
enum aero_bit_flags {
    AERO_BIT_FLAG_DEFAULT = 0,
    AERO_BIT_FLAG_CREATE_ONLY = 1, /**< resize / insert only: fail with AERO_ERR_BIN_EXISTS when the bin exists */
    AERO_BIT_FLAG_UPDATE_ONLY = 2, /**< fail with AERO_ERR_BIN_NOT_FOUND when the bin is missing */
    AERO_BIT_FLAG_NO_FAIL = 4,     /**< a refused op succeeds and changes nothing */
    AERO_BIT_FLAG_PARTIAL = 8,     /**< a range past the end is cut there (not for resize / insert / integers) */
};

/** Write policy of the bit modify ops; NULL = flags 0. */
typedef struct aero_bit_policy {
    uint8_t flags; /**< aero_bit_flags */
} aero_bit_policy;

/** aero_bit_resize flags, OR'ed (grow-only and shrink-only exclude each other). */
enum aero_bit_resize_flags {
    AERO_BIT_RESIZE_DEFAULT_END = 0, /**< grow / shrink at the end */
    AERO_BIT_FROM_FRONT = 1,         /**< grow / shrink at the front */
    AERO_BIT_GROW_ONLY = 2,
    AERO_BIT_SHRINK_ONLY = 4,
};

/** What aero_bit_add / aero_bit_subtract do on overflow. */
typedef enum aero_bit_overflow {
    AERO_BIT_OVERFLOW_FAIL = 0,     /**< the op fails (AERO_ERR_OP_NOT_APPLICABLE) */
    AERO_BIT_OVERFLOW_SATURATE = 2, /**< the result is the largest / smallest value */
    AERO_BIT_OVERFLOW_WRAP = 4,     /**< the result wraps around */
} aero_bit_overflow;

/* ---- modify ---- */
AERO_API aero_op aero_bit_resize(const aero_path *at, uint32_t byte_size, unsigned resize_flags,
                                 const aero_bit_policy *pol);
AERO_API aero_op aero_bit_insert(const aero_path *at, int64_t byte_offset, const void *bytes, size_t len,
                                 const aero_bit_policy *pol);
AERO_API aero_op aero_bit_remove(const aero_path *at, int64_t byte_offset, uint32_t byte_size,
                                 const aero_bit_policy *pol);
/** Bits [bit_offset, bit_offset + bit_size) = the first bit_size bits of bytes. */
AERO_API aero_op aero_bit_set(const aero_path *at, int64_t bit_offset, uint32_t bit_size, const void *bytes, size_t len,
                              const aero_bit_policy *pol);
AERO_API aero_op aero_bit_or(const aero_path *at, int64_t bit_offset, uint32_t bit_size, const void *bytes, size_t len,
                             const aero_bit_policy *pol);
AERO_API aero_op aero_bit_xor(const aero_path *at, int64_t bit_offset, uint32_t bit_size, const void *bytes, size_t len,
                              const aero_bit_policy *pol);
AERO_API aero_op aero_bit_and(const aero_path *at, int64_t bit_offset, uint32_t bit_size, const void *bytes, size_t len,
                              const aero_bit_policy *pol);
AERO_API aero_op aero_bit_not(const aero_path *at, int64_t bit_offset, uint32_t bit_size, const aero_bit_policy *pol);
/** Shift the range's bits by `shift`, filling with zeros. */
AERO_API aero_op aero_bit_lshift(const aero_path *at, int64_t bit_offset, uint32_t bit_size, uint32_t shift,
                                 const aero_bit_policy *pol);
AERO_API aero_op aero_bit_rshift(const aero_path *at, int64_t bit_offset, uint32_t bit_size, uint32_t shift,
                                 const aero_bit_policy *pol);
/** The range (1..64 bits) as a big-endian integer, plus / minus value. */
AERO_API aero_op aero_bit_add(const aero_path *at, int64_t bit_offset, uint32_t bit_size, uint64_t value,
                              bool is_signed, aero_bit_overflow action, const aero_bit_policy *pol);
AERO_API aero_op aero_bit_subtract(const aero_path *at, int64_t bit_offset, uint32_t bit_size, uint64_t value,
                                   bool is_signed, aero_bit_overflow action, const aero_bit_policy *pol);
AERO_API aero_op aero_bit_set_int(const aero_path *at, int64_t bit_offset, uint32_t bit_size, int64_t value,
                                  const aero_bit_policy *pol);

/* ---- read ---- */
AERO_API aero_op aero_bit_get(const aero_path *at, int64_t bit_offset, uint32_t bit_size);
AERO_API aero_op aero_bit_count(const aero_path *at, int64_t bit_offset, uint32_t bit_size);
/** Position (from bit_offset) of the first / last bit equal to `value`, -1 when none. */
AERO_API aero_op aero_bit_lscan(const aero_path *at, int64_t bit_offset, uint32_t bit_size, bool value);
AERO_API aero_op aero_bit_rscan(const aero_path *at, int64_t bit_offset, uint32_t bit_size, bool value);
AERO_API aero_op aero_bit_get_int(const aero_path *at, int64_t bit_offset, uint32_t bit_size, bool is_signed);

#ifdef __cplusplus
}
#endif
#endif
