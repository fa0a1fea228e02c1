/*
 * proto/hll_ops.h - the HyperLogLog protocol vocabulary (op 15 HLL read /
 * 16 HLL modify, and CALL system 2): operation codes and write flags, each
 * written once as an X-macro list of (NAME, number). Numbers as Aerospike
 * server 8.1 defines them.
 */
#ifndef AERO_PROTO_HLL_OPS_H
#define AERO_PROTO_HLL_OPS_H

#define AERO_HLL_OPS(X)    \
    X(INIT, 0)             \
    X(ADD, 1)              \
    X(SET_UNION, 2)        \
    X(REFRESH_COUNT, 3)    \
    X(FOLD, 4)             \
    X(COUNT, 50)           \
    X(UNION, 51)           \
    X(UNION_COUNT, 52)     \
    X(INTERSECT_COUNT, 53) \
    X(SIMILARITY, 54)      \
    X(DESCRIBE, 55)        \
    X(MAY_CONTAIN, 56)

/* HLL write policy flags. */
#define AERO_HLL_WRITE_FLAGS(X) \
    X(DEFAULT, 0x00)            \
    X(CREATE_ONLY, 0x01)        \
    X(UPDATE_ONLY, 0x02)        \
    X(NO_FAIL, 0x04)            \
    X(ALLOW_FOLD, 0x08)

#define AERO_X_HLL_OP(n, v)    AERO_HLL_OP_##n = (v),
#define AERO_X_HLL_WFLAG(n, v) AERO_HLL_WRITE_##n = (v),

enum aero_hll_op { AERO_HLL_OPS(AERO_X_HLL_OP) };
enum aero_hll_write_flag { AERO_HLL_WRITE_FLAGS(AERO_X_HLL_WFLAG) };

/** Name of an HLL op code ("INIT"), NULL when the number is not one. */
const char *aero_proto__hll_op_name(int op);

#endif
