/*
 * Opcode tables (proto/exp_ops.h, cdt_ops.h, bit_ops.h, hll_ops.h): every
 * entry's number maps back to its own name, numbers outside a family have
 * no name, and the layout the code relies on holds (list ops below the map
 * ops, modify ops of bit / HLL below their read ops, expression ops fit in
 * one positive msgpack fixint).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/bit_ops.h"
#include "proto/cdt_ops.h"
#include "proto/exp_ops.h"
#include "proto/hll_ops.h"

typedef struct entry {
    const char *name;
    int value;
} entry;

#define AS_ENTRY(n, v) { #n, (v) },

static const entry exp_ops[] = { AERO_EXP_OPS(AS_ENTRY) };
static const entry list_ops[] = { AERO_LIST_OPS(AS_ENTRY) };
static const entry map_ops[] = { AERO_MAP_OPS(AS_ENTRY) };
static const entry bit_ops[] = { AERO_BIT_OPS(AS_ENTRY) };
static const entry hll_ops[] = { AERO_HLL_OPS(AS_ENTRY) };

#define N(a) (sizeof(a) / sizeof(a)[0])

static void round_trip(const entry *e, size_t n, const char *(*name)(int)) {
    for (size_t i = 0; i < n; i++) {
        const char *got = name(e[i].value);
        assert_non_null(got);
        assert_string_equal(got, e[i].name);
    }
}

static bool listed(const entry *e, size_t n, int v) {
    for (size_t i = 0; i < n; i++)
        if (e[i].value == v)
            return true;
    return false;
}

/* Every number from lo to hi that is not an entry has no name. */
static void gaps_unnamed(const entry *e, size_t n, const char *(*name)(int), int lo, int hi) {
    for (int v = lo; v <= hi; v++)
        if (!listed(e, n, v))
            assert_null(name(v));
}

static void names_round_trip(void **state) {
    (void)state;
    round_trip(exp_ops, N(exp_ops), aero_proto__exp_op_name);
    round_trip(list_ops, N(list_ops), aero_proto__list_op_name);
    round_trip(map_ops, N(map_ops), aero_proto__map_op_name);
    round_trip(bit_ops, N(bit_ops), aero_proto__bit_op_name);
    round_trip(hll_ops, N(hll_ops), aero_proto__hll_op_name);
    assert_string_equal(aero_proto__exp_op_name(AERO_EXP_OP_CALL), "CALL");
    assert_string_equal(aero_proto__map_op_name(AERO_MAP_OP_PUT), "PUT");
}

static void unknown_numbers_unnamed(void **state) {
    (void)state;
    gaps_unnamed(exp_ops, N(exp_ops), aero_proto__exp_op_name, -2, 300);
    gaps_unnamed(list_ops, N(list_ops), aero_proto__list_op_name, -2, 300);
    gaps_unnamed(map_ops, N(map_ops), aero_proto__map_op_name, -2, 300);
    gaps_unnamed(bit_ops, N(bit_ops), aero_proto__bit_op_name, -2, 300);
    gaps_unnamed(hll_ops, N(hll_ops), aero_proto__hll_op_name, -2, 300);
}

static void layout(void **state) {
    (void)state;
    for (size_t i = 0; i < N(list_ops); i++)
        assert_true(list_ops[i].value >= 0 && list_ops[i].value < AERO_MAP_OP_SET_TYPE);
    for (size_t i = 0; i < N(map_ops); i++)
        assert_true(map_ops[i].value >= AERO_MAP_OP_SET_TYPE && map_ops[i].value < AERO_CDT_OP_SELECT);
    for (size_t i = 0; i < N(exp_ops); i++)
        assert_true(exp_ops[i].value >= 0 && exp_ops[i].value <= 0x7f);
    /* the read ops of bit and HLL start at GET / COUNT, every modify op is below */
    for (size_t i = 0; i < N(bit_ops); i++)
        assert_true((bit_ops[i].value < AERO_BIT_OP_GET) == (bit_ops[i].value <= AERO_BIT_OP_SET_INT));
    for (size_t i = 0; i < N(hll_ops); i++)
        assert_true((hll_ops[i].value < AERO_HLL_OP_COUNT) == (hll_ops[i].value <= AERO_HLL_OP_FOLD));
    /* context types: a collection bit OR'ed with a subcontext */
    assert_int_equal(AERO_CDT_CTX_LIST_VALUE, AERO_CDT_CTX_LIST | AERO_CDT_CTX_VALUE);
    assert_int_equal(AERO_CDT_CTX_MAP_KEY, AERO_CDT_CTX_MAP | AERO_CDT_CTX_KEY);
    assert_int_equal(AERO_CDT_CTX_MAP_RANK, AERO_CDT_CTX_MAP | AERO_CDT_CTX_RANK);
    assert_int_equal(AERO_CDT_RT_INVERTED & AERO_CDT_RT_TYPE_MASK, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(unknown_numbers_unnamed),
        cmocka_unit_test(layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
