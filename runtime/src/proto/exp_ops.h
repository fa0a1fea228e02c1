/*
 * proto/exp_ops.h - the expression protocol vocabulary: operation codes,
 * CALL systems, built-in variables and expression-op flags, each written
 * once as an X-macro list of (NAME, number). Numbers as Aerospike server
 * 8.1 defines them. The flags a caller may pass are the public AERO_EXP_*
 * of aero/write.h, which the flag list names instead of repeating.
 *
 * Each list expands to an enum (AERO_EXP_OP_EQ ...) and, through
 * proto/ops.c, to a name table for diagnostics (aero_proto__exp_op_name).
 */
#ifndef AERO_PROTO_EXP_OPS_H
#define AERO_PROTO_EXP_OPS_H

#include <aero/write.h>

/* Expression operation codes: the first element of a call array [op, args...]. */
#define AERO_EXP_OPS(X)   \
    X(UNKNOWN, 0)         \
    X(EQ, 1)              \
    X(NE, 2)              \
    X(GT, 3)              \
    X(GE, 4)              \
    X(LT, 5)              \
    X(LE, 6)              \
    X(REGEX, 7)           \
    X(GEO_COMPARE, 8)     \
    X(IN_LIST, 9)         \
    X(AND, 16)            \
    X(OR, 17)             \
    X(NOT, 18)            \
    X(EXCLUSIVE, 19)      \
    X(ADD, 20)            \
    X(SUB, 21)            \
    X(MUL, 22)            \
    X(DIV, 23)            \
    X(POW, 24)            \
    X(LOG, 25)            \
    X(MOD, 26)            \
    X(ABS, 27)            \
    X(FLOOR, 28)          \
    X(CEIL, 29)           \
    X(TO_INT, 30)         \
    X(TO_FLOAT, 31)       \
    X(INT_AND, 32)        \
    X(INT_OR, 33)         \
    X(INT_XOR, 34)        \
    X(INT_NOT, 35)        \
    X(INT_LSHIFT, 36)     \
    X(INT_RSHIFT, 37)     \
    X(INT_ARSHIFT, 38)    \
    X(INT_COUNT, 39)      \
    X(INT_LSCAN, 40)      \
    X(INT_RSCAN, 41)      \
    X(MIN, 50)            \
    X(MAX, 51)            \
    X(DIGEST_MODULO, 64)  \
    X(DEVICE_SIZE, 65)    \
    X(LAST_UPDATE, 66)    \
    X(SINCE_UPDATE, 67)   \
    X(VOID_TIME, 68)      \
    X(TTL, 69)            \
    X(SET_NAME, 70)       \
    X(KEY_EXISTS, 71)     \
    X(IS_TOMBSTONE, 72)   \
    X(MEMORY_SIZE, 73)    \
    X(RECORD_SIZE, 74)    \
    X(KEY, 80)            \
    X(BIN, 81)            \
    X(BIN_TYPE, 82)       \
    X(RESULT_REMOVE, 100) \
    X(MAP_KEYS, 101)      \
    X(MAP_VALUES, 102)    \
    X(VAR_BUILTIN, 122)   \
    X(COND, 123)          \
    X(VAR, 124)           \
    X(LET, 125)           \
    X(QUOTE, 126)         \
    X(CALL, 127)

/* CALL systems: [127, result type, system, payload, target]. MODIFY_LOCAL is OR'ed in. */
#define AERO_EXP_CALL_SYSTEMS(X) \
    X(CDT, 0)                    \
    X(BITS, 1)                   \
    X(HLL, 2)                    \
    X(MODIFY_LOCAL, 0x40)

/* Built-in variables of VAR_BUILTIN ([122, id]) inside a SELECT apply. */
#define AERO_EXP_BUILTINS(X) \
    X(KEY, 0)                \
    X(VALUE, 1)              \
    X(INDEX, 2)

/* Flags of expression read / write operations ([expr, flags]). The
 * three a caller may pass are the public AERO_EXP_* flags of aero/write.h. */
#define AERO_EXP_WRITE_FLAGS(X)                   \
    X(CREATE_ONLY, 0x01)                          \
    X(UPDATE_ONLY, 0x02)                          \
    X(ALLOW_DELETE, AERO_EXP_DELETE_IF_NULL)      \
    X(POLICY_NO_FAIL, AERO_EXP_IGNORE_OP_FAILURE) \
    X(EVAL_NO_FAIL, AERO_EXP_IGNORE_EVAL_FAILURE)

#define AERO_X_EXP_OP(n, v)      AERO_EXP_OP_##n = (v),
#define AERO_X_EXP_CALL(n, v)    AERO_EXP_CALL_##n = (v),
#define AERO_X_EXP_BUILTIN(n, v) AERO_EXP_BUILTIN_##n = (v),
#define AERO_X_EXP_WFLAG(n, v)   AERO_EXP_WRITE_##n = (v),

enum aero_exp_op { AERO_EXP_OPS(AERO_X_EXP_OP) };
enum aero_exp_call_system { AERO_EXP_CALL_SYSTEMS(AERO_X_EXP_CALL) };
enum aero_exp_builtin { AERO_EXP_BUILTINS(AERO_X_EXP_BUILTIN) };
enum aero_exp_write_flag { AERO_EXP_WRITE_FLAGS(AERO_X_EXP_WFLAG) };

/** Name of an expression opcode ("EQ", "CALL"), NULL when the number is not one. */
const char *aero_proto__exp_op_name(int op);

#endif
