/*
 * The CDT, bit and HLL expressions of the C builder (aero/expr.h) byte for
 * byte. The vectors follow the official C client's encoding rules (call
 * [127, result type, system, payload, target], payload [op, args...] with
 * a context wrapped as [0xff, ctx, payload], the policy arguments after the
 * operands, MODIFY_LOCAL 0x40 OR'ed into the system of a modify); the same
 * expressions were accepted and answered by real 8.1.2.0 / 8.1.1.2 servers
 * (integration-exp-calls). One deliberate difference: map increment carries
 * the policy's order (what the server reads there), not its write flags.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/ael.h>
#include <aero/expr.h>

#include "proto/cdt_ops.h"
#include "xpect.h"

static void expect_hex(aero_exp *t, const char *hex) {
    aero_error err;
    aero_expr *e = aero_exp_build(t, &err);
    assert_non_null(e);
    size_t len;
    const uint8_t *b = aero_expr_bytes(e, &len);
    xbuf want = xhex(hex);
    if (len != want.n || memcmp(b, want.b, len) != 0) {
        xdump("want", want.b, want.n);
        xdump("got ", b, len);
    }
    assert_int_equal(len, want.n);
    assert_memory_equal(b, want.b, len);
    aero_expr_free(e);
}

#define I(v)  aero_exp_int(v)
#define L     aero_exp_bin_list("l")
#define M     aero_exp_bin_map("m")
#define B     aero_exp_bin_blob("b")
#define H     aero_exp_bin_hll("h")
#define NC    NULL, 0
#define BLIST "93 51 04 a1 6c" /* [BIN, LIST, "l"] */
#define BMAP  "93 51 05 a1 6d" /* [BIN, MAP, "m"] */
#define BBLOB "93 51 06 a1 62" /* [BIN, BLOB, "b"] */
#define BHLL  "93 51 09 a1 68" /* [BIN, HLL, "h"] */

static aero_exp *ints2(int a, int b) {
    aero_value items[] = { aero_int(a), aero_int(b) };
    aero_value l = aero_list(items, 2);
    return aero_exp_value(&l);
}
static aero_exp *str1(const char *s) {
    aero_value items[] = { aero_str(s) };
    aero_value l = aero_list(items, 1);
    return aero_exp_value(&l);
}

static void test_list_reads(void **s) {
    /* ranges: [GET_BY_INDEX_RANGE=24, VALUE, 1, 2], to the end without the count */
    expect_hex(aero_exp_list_get_by_index_range(AERO_CDT_RETURN_VALUE, I(1), I(2), L, NC),
               "95 7f 04 00 94 18 07 01 02" BLIST);
    expect_hex(aero_exp_list_get_by_index_range_to_end(AERO_CDT_RETURN_COUNT, I(1), L, NC),
               "95 7f 02 00 93 18 05 01" BLIST);
    /* inverted value list: return type 0x10007, the list quoted */
    expect_hex(aero_exp_list_get_by_value_list(AERO_CDT_RETURN_VALUE | AERO_CDT_RETURN_INVERTED, ints2(1, 5), L, NC),
               "95 7f 04 00 93 17 ce 00 01 00 07 92 7e 92 01 05" BLIST);
    /* an open value range ends at infinity (ext ff 01) */
    expect_hex(aero_exp_list_get_by_value_range(AERO_CDT_RETURN_VALUE, I(3), aero_exp_infinity(), L, NC),
               "95 7f 04 00 94 19 07 03 d4 ff 01" BLIST);
    expect_hex(aero_exp_list_get_by_rel_rank_range(AERO_CDT_RETURN_VALUE, I(3), I(1), I(2), L, NC),
               "95 7f 04 00 95 1b 07 03 01 02" BLIST);
    expect_hex(aero_exp_list_get_by_rank_range_to_end(AERO_CDT_RETURN_EXISTS, I(0), L, NC),
               "95 7f 01 00 93 1a 0d 00" BLIST);
    expect_hex(aero_exp_list_get_by_value_list(AERO_CDT_RETURN_VALUE, aero_exp_wildcard(), L, NC),
               "95 7f 04 00 93 17 07 d4 ff 00" BLIST);
}

static void test_map_reads(void **s) {
    expect_hex(aero_exp_map_get_by_key_rel_index_range(AERO_CDT_RETURN_KEY, aero_exp_str("b"), I(1), I(2), M, NC),
               "95 7f 04 00 95 6d 06 a2 03 62 01 02" BMAP);
    /* key-value of a map is a MAP */
    expect_hex(aero_exp_map_get_by_key_range(AERO_CDT_RETURN_KEY_VALUE, aero_exp_str("b"), aero_exp_str("d"), M, NC),
               "95 7f 05 00 94 67 08 a2 03 62 a2 03 64" BMAP);
    expect_hex(aero_exp_map_get_by_rank_range_to_end(AERO_CDT_RETURN_UNORDERED_MAP, I(1), M, NC),
               "95 7f 05 00 93 6a 10 01" BMAP);
    expect_hex(aero_exp_map_get_by_value_list(AERO_CDT_RETURN_KEY, ints2(1, 3), M, NC),
               "95 7f 04 00 93 6c 06 92 7e 92 01 03" BMAP);
    expect_hex(aero_exp_map_get_by_rel_rank_range_to_end(AERO_CDT_RETURN_COUNT, I(2), I(0), M, NC),
               "95 7f 02 00 94 6e 05 02 00" BMAP);
}

static void test_list_modify(void **s) {
    aero_exp_list_policy p = { 1, 5 }, q = { 1, 2 };
    /* system CDT | MODIFY_LOCAL, result type the bin's (LIST) */
    expect_hex(aero_exp_list_append(NULL, I(9), L, NC), "95 7f 04 40 92 01 09" BLIST);
    /* append: order and flags after the value */
    expect_hex(aero_exp_list_append(&p, I(9), L, NC), "95 7f 04 40 94 01 09 01 05" BLIST);
    /* insert and set: flags only */
    expect_hex(aero_exp_list_insert(&p, I(0), I(9), L, NC), "95 7f 04 40 94 03 00 09 05" BLIST);
    expect_hex(aero_exp_list_set(&q, I(0), I(9), L, NC), "95 7f 04 40 94 09 00 09 02" BLIST);
    /* increment: order and flags */
    expect_hex(aero_exp_list_increment(&q, I(0), I(10), L, NC), "95 7f 04 40 95 0c 00 0a 01 02" BLIST);
    expect_hex(aero_exp_list_sort(1, L, NC), "95 7f 04 40 92 0d 01" BLIST);
    expect_hex(aero_exp_list_clear(L, NC), "95 7f 04 40 91 0b" BLIST);
    /* single removes return NONE; ranges NONE or INVERTED */
    expect_hex(aero_exp_list_remove_by_index(I(0), L, NC), "95 7f 04 40 93 20 00 00" BLIST);
    expect_hex(aero_exp_list_remove_by_rank_range(true, I(0), I(2), L, NC),
               "95 7f 04 40 94 27 ce 00 01 00 00 00 02" BLIST);
    /* with a context the result type is the top-level bin's: MAP for a map-key step */
    expect_hex(aero_exp_list_append(NULL, I(9), aero_exp_bin_map("n"),
                                    (aero_exp_ctx[]){ { AERO_CTX_MAP_KEY, aero_str("x") } }, 1),
               "95 7f 05 40 93 cc ff 92 22 a2 03 78 92 01 09 93 51 05 a1 6e");
    /* modify results compose: list_size(list_append(l, 9)) */
    expect_hex(aero_exp_list_size(aero_exp_list_append(NULL, I(9), L, NC), NC),
               "95 7f 02 00 91 10 95 7f 04 40 92 01 09" BLIST);
    /* a nil target: start from an empty list */
    expect_hex(aero_exp_list_append(NULL, I(9), aero_exp_nil(), NC), "95 7f 04 40 92 01 09 c0");
}

static void test_map_modify(void **s) {
    aero_exp_map_policy p = { 1, 2 };
    expect_hex(aero_exp_map_put(NULL, aero_exp_str("k"), I(1), M, NC), "95 7f 05 40 93 43 a2 03 6b 01" BMAP);
    /* put: order (attributes) and write flags */
    expect_hex(aero_exp_map_put(&p, aero_exp_str("k"), I(1), M, NC), "95 7f 05 40 95 43 a2 03 6b 01 01 02" BMAP);
    expect_hex(aero_exp_map_put_items(&p, aero_exp_nil(), M, NC), "95 7f 05 40 94 44 c0 01 02" BMAP);
    /* increment: the order only */
    expect_hex(aero_exp_map_increment(&p, aero_exp_str("k"), I(1), M, NC), "95 7f 05 40 94 49 a2 03 6b 01 01" BMAP);
    expect_hex(aero_exp_map_clear(M, NC), "95 7f 05 40 91 4b" BMAP);
    expect_hex(aero_exp_map_remove_by_key(aero_exp_str("a"), M, NC), "95 7f 05 40 93 4c 00 a2 03 61" BMAP);
    expect_hex(aero_exp_map_remove_by_key_list(true, str1("a"), M, NC),
               "95 7f 05 40 93 51 ce 00 01 00 00 92 7e 91 a2 03 61" BMAP);
    expect_hex(aero_exp_map_remove_by_rel_rank_range_to_end(false, I(2), I(0), M, NC),
               "95 7f 05 40 94 59 00 02 00" BMAP);
}

static void test_bits(void **s) {
    /* reads: system BITS, get -> BLOB, the others INT */
    expect_hex(aero_exp_bit_get(I(8), I(8), B), "95 7f 06 01 93 32 08 08" BBLOB);
    expect_hex(aero_exp_bit_lscan(I(0), I(24), aero_exp_bool(true), B), "95 7f 02 01 94 34 00 18 c3" BBLOB);
    expect_hex(aero_exp_bit_get_int(I(0), I(8), true, B), "95 7f 02 01 94 36 00 08 01" BBLOB);
    /* modify: the write flags after the operands, then resize / int flags */
    expect_hex(aero_exp_bit_resize(4, I(2), 1, B), "95 7f 06 41 94 00 02 04 01" BBLOB);
    expect_hex(aero_exp_bit_add(0, I(0), I(8), I(1), 3, B), "95 7f 06 41 96 0a 00 08 01 00 03" BBLOB);
    expect_hex(aero_exp_bit_set(0, I(0), I(8), aero_exp_blob("\xff", 1), B),
               "95 7f 06 41 95 03 00 08 a2 04 ff 00" BBLOB);
    expect_hex(aero_exp_bit_not(2, I(0), I(8), B), "95 7f 06 41 94 07 00 08 02" BBLOB);
    expect_hex(aero_exp_bit_resize(0, I(2), 0, aero_exp_nil()), "95 7f 06 41 94 00 02 00 00 c0");
    /* a read of a literal nil is refused (it aborts 8.1 servers) */
    aero_error err;
    assert_null(aero_exp_build(aero_exp_bit_count(I(0), I(8), aero_exp_nil()), &err));
}

static void test_hll(void **s) {
    expect_hex(aero_exp_hll_get_count(H), "95 7f 02 02 91 32" BHLL);
    expect_hex(aero_exp_hll_describe(H), "95 7f 04 02 91 37" BHLL);
    expect_hex(aero_exp_hll_get_similarity(aero_exp_bin_hll("g"), H), "95 7f 07 02 92 36 93 51 09 a1 67" BHLL);
    expect_hex(aero_exp_hll_get_union(aero_exp_bin_hll("g"), H), "95 7f 09 02 92 33 93 51 09 a1 67" BHLL);
    expect_hex(aero_exp_hll_may_contain(str1("a"), H), "95 7f 02 02 92 38 92 7e 91 a2 03 61" BHLL);
    /* modify: system HLL | MODIFY_LOCAL, [INIT, index bits, minhash bits, flags] */
    expect_hex(aero_exp_hll_init(1, 10, 4, H), "95 7f 09 42 94 00 0a 04 01" BHLL);
    expect_hex(aero_exp_hll_add(0, str1("a"), -1, -1, H), "95 7f 09 42 95 01 92 7e 91 a2 03 61 ff ff 00" BHLL);
}

/* The builder says what AEL says: the same bytes for the same reads. */
static void same(aero_exp *t, const char *ael) {
    aero_error err;
    aero_expr *a = aero_ael_compile(ael, NULL, 0, &err);
    assert_non_null(a);
    size_t n;
    const uint8_t *b = aero_expr_bytes(a, &n);
    char hex[512];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 4 < sizeof hex; i++)
        k += (size_t)snprintf(hex + k, sizeof hex - k, "%02x ", b[i]);
    expect_hex(t, hex);
    aero_expr_free(a);
}

static void test_agrees_with_ael(void **s) {
    const int C = AERO_CDT_RETURN_COUNT;
    same(aero_exp_eq(aero_exp_list_get_by_index_range(C, I(1), I(2), L, NC), I(2)), "$.l.[1:3].count() == 2");
    same(aero_exp_eq(aero_exp_list_get_by_index_range(C | AERO_CDT_RETURN_INVERTED, I(1), I(2), L, NC), I(3)),
         "$.l.[!1:3].count() == 3");
    same(aero_exp_eq(aero_exp_list_get_by_rank_range(C, I(0), I(2), L, NC), I(2)), "$.l.[#0:2].count() == 2");
    same(aero_exp_eq(aero_exp_list_get_by_value_list(C, ints2(1, 5), L, NC), I(3)), "$.l.[=1,5].count() == 3");
    same(aero_exp_eq(aero_exp_list_get_by_rel_rank_range(C, I(3), I(1), I(2), L, NC), I(2)),
         "$.l.[#1:3~3].count() == 2");
    same(aero_exp_eq(aero_exp_map_get_by_key_range(C, aero_exp_str("b"), aero_exp_str("d"), M, NC), I(2)),
         "$.m.{b-d}.count() == 2");
    same(aero_exp_eq(aero_exp_map_get_by_key_rel_index_range(C, aero_exp_str("b"), I(1), I(1), M, NC), I(2)),
         "$.m.{1:2~b}.count() == 2");
    same(aero_exp_eq(aero_exp_int_lscan(aero_exp_bin_int("x"), aero_exp_bool(true)), I(3)),
         "findBitLeft($.x, true) == 3");
    same(aero_exp_eq(aero_exp_hll_get_count(H), I(3)), "$.h.hllCount() == 3");
    same(aero_exp_eq(aero_exp_hll_get_union_count(aero_exp_bin_hll("g"), H), I(4)), "$.h.hllUnionCount($.g) == 4");
}

/* Children are owned and freed in every case; a NULL child makes the call NULL. */
static void test_null_children(void **s) {
    aero_error err;
    assert_null(aero_exp_build(aero_exp_list_append(NULL, NULL, L, NC), &err));
    assert_null(aero_exp_build(aero_exp_list_insert(NULL, I(0), NULL, L, NC), &err));
    assert_null(aero_exp_build(aero_exp_map_put(NULL, aero_exp_str("k"), NULL, M, NC), &err));
    assert_null(aero_exp_build(aero_exp_map_increment(NULL, NULL, I(1), M, NC), &err));
    assert_null(aero_exp_build(aero_exp_list_get_by_index_range(AERO_CDT_RETURN_VALUE, I(0), I(1), NULL, NC), &err));
    assert_null(aero_exp_build(aero_exp_map_size(M, NULL, 1), &err));
    assert_null(aero_exp_build(aero_exp_bit_set(0, I(0), NULL, aero_exp_blob("x", 1), B), &err));
    assert_null(aero_exp_build(aero_exp_hll_add(0, NULL, 8, 0, H), &err));
    /* a let definition is not an operand */
    assert_null(aero_exp_build(aero_exp_list_append(NULL, aero_exp_def("x", I(1)), L, NC), &err));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_reads),
        cmocka_unit_test(test_map_reads),
        cmocka_unit_test(test_list_modify),
        cmocka_unit_test(test_map_modify),
        cmocka_unit_test(test_bits),
        cmocka_unit_test(test_hll),
        cmocka_unit_test(test_agrees_with_ael),
        cmocka_unit_test(test_null_children),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
