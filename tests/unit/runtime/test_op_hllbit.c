/*
 * test_op_hllbit.c - the HLL and bit op constructors encode, byte for byte,
 * the requests the official C client sends (as_hll_operations.c /
 * as_bit_operations.c: [code, args...] with minimal msgpack integers, blobs
 * as strings with a type byte), and bad input becomes a misuse that the
 * encoder refuses before anything is appended.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <aero/bit.h>
#include <aero/hll.h>

#include "op_internal.h"
#include "proto/wire.h"

/* Encode one op; its op type and payload (after the bin name) as hex into out. */
static aero_status encode(aero_op op, uint8_t *type, char *out, size_t cap) {
    uint8_t store[4096];
    aero_buf b;
    aero_buf__init(&b, store, sizeof store);
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    char msg[256];
    aero_status st = aero_op__encode(&b, &h, &op, msg, sizeof msg);
    out[0] = 0;
    if (st == AERO_OK) {
        assert_int_equal(h.n_ops, 1);
        assert_int_equal(b.data[5], AERO_PT_BLOB);
        *type = b.data[4];
        size_t at = AERO_OP_HEADER_SIZE + b.data[7];
        for (size_t i = at, o = 0; i < b.len && o + 3 < cap; i++, o += 2)
            snprintf(out + o, 3, "%02x", b.data[i]);
    } else {
        assert_int_equal(b.len, 0);
    }
    aero_buf__free(&b);
    return st;
}

static void golden(aero_op op, uint8_t want_type, const char *want) {
    uint8_t type = 0;
    char got[2048];
    assert_int_equal(encode(op, &type, got, sizeof got), AERO_OK);
    assert_int_equal(type, want_type);
    assert_string_equal(got, want);
}

static void refused(aero_op op) {
    uint8_t type;
    char got[16];
    assert_non_null(op.misuse);
    assert_int_equal(encode(op, &type, got, sizeof got), AERO_ERR_PARAM);
}

static void test_hll_golden(void **state) {
    (void)state;
    const aero_path *b = AERO_BIN("h");
    aero_value a = aero_str("a");
    aero_value elems = aero_list(&a, 1);
    static const uint8_t hll_bytes[] = { 0x00, 0x01 };
    aero_value h = aero_hll_value(hll_bytes, sizeof hll_bytes);
    aero_value hlls = aero_list(&h, 1);
    aero_hll_policy create = { AERO_HLL_FLAG_CREATE_ONLY }, fold = { AERO_HLL_FLAG_ALLOW_FOLD };
    golden(aero_hll_init(b, 12, 4, NULL), AERO_MSG_OP_HLL_MODIFY, "94000c0400");
    golden(aero_hll_init(b, AERO_HLL_KEEP, AERO_HLL_KEEP, NULL), AERO_MSG_OP_HLL_MODIFY, "9400ffff00");
    golden(aero_hll_add(b, elems, 8, 0, &create), AERO_MSG_OP_HLL_MODIFY,
           "950191a2036108"
           "0001");
    golden(aero_hll_set_union(b, hlls, &fold), AERO_MSG_OP_HLL_MODIFY, "930291a312000108");
    golden(aero_hll_refresh_count(b), AERO_MSG_OP_HLL_MODIFY, "9103");
    golden(aero_hll_fold(b, 6), AERO_MSG_OP_HLL_MODIFY, "920406");
    golden(aero_hll_get_count(b), AERO_MSG_OP_HLL_READ, "9132");
    golden(aero_hll_get_union(b, hlls), AERO_MSG_OP_HLL_READ, "923391a3120001");
    golden(aero_hll_get_union_count(b, hlls), AERO_MSG_OP_HLL_READ, "923491a3120001");
    golden(aero_hll_get_intersect_count(b, hlls), AERO_MSG_OP_HLL_READ, "923591a3120001");
    golden(aero_hll_get_similarity(b, hlls), AERO_MSG_OP_HLL_READ, "923691a3120001");
    golden(aero_hll_describe(b), AERO_MSG_OP_HLL_READ, "9137");
    golden(aero_hll_may_contain(b, elems), AERO_MSG_OP_HLL_READ, "923891a20361");
}

static void test_hll_misuse(void **state) {
    (void)state;
    const aero_path *b = AERO_BIN("h");
    aero_value a = aero_str("a");
    aero_value elems = aero_list(&a, 1), nested = aero_list(&elems, 1);
    aero_hll_policy both = { AERO_HLL_FLAG_CREATE_ONLY | AERO_HLL_FLAG_UPDATE_ONLY };
    aero_hll_policy fold = { AERO_HLL_FLAG_ALLOW_FOLD };
    refused(aero_hll_init(b, 3, 0, NULL));
    refused(aero_hll_init(b, 17, 0, NULL));
    refused(aero_hll_init(b, 8, 3, NULL));
    refused(aero_hll_init(b, 8, 52, NULL));
    refused(aero_hll_init(b, 16, 49, NULL));
    refused(aero_hll_init(b, 8, 0, &both));
    refused(aero_hll_init(b, 8, 0, &fold));
    refused(aero_hll_add(b, aero_list(NULL, 0), 8, 0, NULL));
    refused(aero_hll_add(b, nested, 8, 0, NULL));
    refused(aero_hll_add(b, a, 8, 0, NULL));
    refused(aero_hll_get_union(b, elems)); /* not HLL values */
    refused(aero_hll_fold(b, 17));
    /* the edges are accepted */
    assert_null(aero_hll_init(b, 16, 48, NULL).misuse);
    assert_null(aero_hll_init(b, 4, 51, NULL).misuse);
    assert_null(aero_hll_add(b, elems, AERO_HLL_KEEP, AERO_HLL_KEEP, NULL).misuse);
}

static void test_bit_golden(void **state) {
    (void)state;
    const aero_path *b = AERO_BIN("b");
    static const uint8_t ff = 0xff, a0 = 0xa0;
    aero_bit_policy partial = { AERO_BIT_FLAG_PARTIAL };
    golden(aero_bit_resize(b, 4, AERO_BIT_FROM_FRONT, NULL), AERO_MSG_OP_BIT_MODIFY, "9400040001");
    golden(aero_bit_insert(b, 1, &ff, 1, NULL), AERO_MSG_OP_BIT_MODIFY, "940101a204ff00");
    golden(aero_bit_remove(b, 1, 2, NULL), AERO_MSG_OP_BIT_MODIFY, "9402010200");
    golden(aero_bit_set(b, -4, 4, &a0, 1, &partial), AERO_MSG_OP_BIT_MODIFY, "9503fc04a204a008");
    golden(aero_bit_or(b, 0, 8, &ff, 1, NULL), AERO_MSG_OP_BIT_MODIFY, "95040008a204ff00");
    golden(aero_bit_xor(b, 0, 8, &ff, 1, NULL), AERO_MSG_OP_BIT_MODIFY, "95050008a204ff00");
    golden(aero_bit_and(b, 0, 8, &ff, 1, NULL), AERO_MSG_OP_BIT_MODIFY, "95060008a204ff00");
    golden(aero_bit_not(b, 0, 8, NULL), AERO_MSG_OP_BIT_MODIFY, "9407000800");
    golden(aero_bit_lshift(b, 0, 8, 3, NULL), AERO_MSG_OP_BIT_MODIFY, "950800080300");
    golden(aero_bit_rshift(b, 0, 8, 3, NULL), AERO_MSG_OP_BIT_MODIFY, "950900080300");
    golden(aero_bit_add(b, 16, 8, 200, true, AERO_BIT_OVERFLOW_SATURATE, NULL), AERO_MSG_OP_BIT_MODIFY,
           "960a1008ccc80003");
    golden(aero_bit_subtract(b, 0, 64, 1, false, AERO_BIT_OVERFLOW_WRAP, NULL), AERO_MSG_OP_BIT_MODIFY,
           "960b0040010004");
    golden(aero_bit_set_int(b, 0, 8, -1, NULL), AERO_MSG_OP_BIT_MODIFY, "950c0008ff00");
    golden(aero_bit_get(b, 8, 12), AERO_MSG_OP_BIT_READ, "9332080c");
    golden(aero_bit_count(b, 8, 12), AERO_MSG_OP_BIT_READ, "9333080c");
    golden(aero_bit_lscan(b, 0, 8, true), AERO_MSG_OP_BIT_READ, "94340008c3");
    golden(aero_bit_rscan(b, 0, 8, false), AERO_MSG_OP_BIT_READ, "94350008c2");
    golden(aero_bit_get_int(b, 0, 8, true), AERO_MSG_OP_BIT_READ, "9436000801");
    golden(aero_bit_get_int(b, 0, 8, false), AERO_MSG_OP_BIT_READ, "93360008");
}

static void test_bit_misuse(void **state) {
    (void)state;
    const aero_path *b = AERO_BIN("b");
    static const uint8_t ff = 0xff;
    aero_bit_policy create = { AERO_BIT_FLAG_CREATE_ONLY }, partial = { AERO_BIT_FLAG_PARTIAL };
    aero_bit_policy both = { AERO_BIT_FLAG_CREATE_ONLY | AERO_BIT_FLAG_UPDATE_ONLY };
    refused(aero_bit_set(b, 0, 8, NULL, 1, NULL));
    refused(aero_bit_set(b, 0, 8, &ff, 0, NULL));
    refused(aero_bit_set(b, 0, 9, &ff, 1, NULL));
    refused(aero_bit_set(b, 0, 0, &ff, 1, NULL));
    refused(aero_bit_set(b, 0, 8, &ff, 1, &create));
    refused(aero_bit_insert(b, 0, NULL, 0, NULL));
    refused(aero_bit_insert(b, 0, &ff, 1, &partial));
    refused(aero_bit_resize(b, 4, 0, &both));
    refused(aero_bit_resize(b, 4, AERO_BIT_GROW_ONLY | AERO_BIT_SHRINK_ONLY, NULL));
    refused(aero_bit_resize(b, 4, 8, NULL));
    refused(aero_bit_resize(b, 128u * 1024 * 1024, 0, NULL));
    refused(aero_bit_remove(b, 0, 0, NULL));
    refused(aero_bit_get_int(b, 0, 0, false));
    refused(aero_bit_get_int(b, 0, 65, false));
    refused(aero_bit_add(b, 0, 8, 1, false, (aero_bit_overflow)6, NULL));
    refused(aero_bit_add(b, 0, 8, 1, false, AERO_BIT_OVERFLOW_FAIL, &partial));
    refused(aero_bit_count(b, (int64_t)1 << 40, 8));
    refused(aero_bit_lshift(b, 0, 8, 2000000000u, NULL));
    /* the edges are accepted */
    assert_null(aero_bit_get_int(b, -64, 64, true).misuse);
    assert_null(aero_bit_resize(b, 0, 0, NULL).misuse);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hll_golden),
        cmocka_unit_test(test_hll_misuse),
        cmocka_unit_test(test_bit_golden),
        cmocka_unit_test(test_bit_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
