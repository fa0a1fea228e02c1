/*
 * proto/ops.c - opcode names for diagnostics, generated from the X-macro
 * lists of exp_ops.h, cdt_ops.h, bit_ops.h and hll_ops.h (each number is a
 * case label, so a number listed twice in a family fails to compile).
 */
#include "proto/bit_ops.h"
#include "proto/cdt_ops.h"
#include "proto/exp_ops.h"
#include "proto/hll_ops.h"

#define AERO_X_NAME_CASE(n, v) \
    case (v):                  \
        return #n;

#define AERO_NAME_FN(fn, list)                                  \
    const char *fn(int op) {                                    \
        switch (op) { list(AERO_X_NAME_CASE) default : break; } \
        return (const char *)0;                                 \
    }

AERO_NAME_FN(aero_proto__exp_op_name, AERO_EXP_OPS)
AERO_NAME_FN(aero_proto__list_op_name, AERO_LIST_OPS)
AERO_NAME_FN(aero_proto__map_op_name, AERO_MAP_OPS)
AERO_NAME_FN(aero_proto__bit_op_name, AERO_BIT_OPS)
AERO_NAME_FN(aero_proto__hll_op_name, AERO_HLL_OPS)
