/*
 * proto/bit_ops.h - the blob bitwise protocol vocabulary (op 12 bit read /
 * 13 bit modify, and CALL system 1): operation codes, write flags, resize
 * flags and integer flags, each written once as an X-macro list of
 * (NAME, number). Numbers as Aerospike server 8.1 defines them.
 */
#ifndef AERO_PROTO_BIT_OPS_H
#define AERO_PROTO_BIT_OPS_H

#define AERO_BIT_OPS(X) \
    X(RESIZE, 0)        \
    X(INSERT, 1)        \
    X(REMOVE, 2)        \
    X(SET, 3)           \
    X(OR, 4)            \
    X(XOR, 5)           \
    X(AND, 6)           \
    X(NOT, 7)           \
    X(LSHIFT, 8)        \
    X(RSHIFT, 9)        \
    X(ADD, 10)          \
    X(SUBTRACT, 11)     \
    X(SET_INT, 12)      \
    X(GET, 50)          \
    X(COUNT, 51)        \
    X(LSCAN, 52)        \
    X(RSCAN, 53)        \
    X(GET_INT, 54)

/* Bit write policy flags. */
#define AERO_BIT_WRITE_FLAGS(X) \
    X(DEFAULT, 0x00)            \
    X(CREATE_ONLY, 0x01)        \
    X(UPDATE_ONLY, 0x02)        \
    X(NO_FAIL, 0x04)            \
    X(PARTIAL, 0x08)

/* Resize flags. */
#define AERO_BIT_RESIZE_FLAGS(X) \
    X(DEFAULT, 0x00)             \
    X(FROM_FRONT, 0x01)          \
    X(GROW_ONLY, 0x02)           \
    X(SHRINK_ONLY, 0x04)

/* Integer flags of add / subtract / get_int: SIGNED, and the overflow action
 * (none = fail). */
#define AERO_BIT_INT_FLAGS(X) \
    X(DEFAULT, 0x00)          \
    X(SIGNED, 0x01)           \
    X(SATURATE, 0x02)         \
    X(WRAP, 0x04)

#define AERO_X_BIT_OP(n, v)     AERO_BIT_OP_##n = (v),
#define AERO_X_BIT_WFLAG(n, v)  AERO_BIT_WRITE_##n = (v),
#define AERO_X_BIT_RESIZE(n, v) AERO_BIT_RESIZE_##n = (v),
#define AERO_X_BIT_INT(n, v)    AERO_BIT_INT_##n = (v),

enum aero_bit_op { AERO_BIT_OPS(AERO_X_BIT_OP) };
enum aero_bit_write_flag { AERO_BIT_WRITE_FLAGS(AERO_X_BIT_WFLAG) };
enum aero_bit_resize_flag { AERO_BIT_RESIZE_FLAGS(AERO_X_BIT_RESIZE) };
enum aero_bit_int_flag { AERO_BIT_INT_FLAGS(AERO_X_BIT_INT) };

/** Name of a bit op code ("RESIZE"), NULL when the number is not one. */
const char *aero_proto__bit_op_name(int op);

#endif
