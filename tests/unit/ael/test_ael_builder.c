/*
 * The C expression builder (aero/expr.h): the 13 worked examples of
 * protocol.md 8.4 byte for byte, agreement with the AEL compiler, and NULL
 * propagation without leaks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/ael.h>
#include <aero/expr.h>

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

static void test_p1_gt(void **s) {
    expect_hex(aero_exp_gt(aero_exp_bin_int("age"), aero_exp_int(21)), "93 03 93 51 02 a3 61 67 65 15");
}

static void test_p2_and(void **s) {
    expect_hex(aero_exp_and(2, aero_exp_eq(aero_exp_bin_str("name"), aero_exp_str("x")),
                            aero_exp_gt(aero_exp_bin_int("n"), aero_exp_int(5))),
               "93 10 93 01 93 51 03 a4 6e 61 6d 65 a2 03 78 93 03 93 51 02 a1 6e 05");
}

static void test_p3_list_size(void **s) {
    expect_hex(aero_exp_gt(aero_exp_list_size(aero_exp_bin_list("tags"), NULL, 0), aero_exp_int(2)),
               "93 03 95 7f 02 00 91 10 93 51 04 a4 74 61 67 73 02");
}

static void test_p4_map_key(void **s) {
    expect_hex(aero_exp_eq(aero_exp_map_get_by_key(AERO_CDT_RETURN_VALUE, AERO_AEL_STRING, aero_exp_str("k"),
                                                   aero_exp_bin_map("m"), NULL, 0),
                           aero_exp_str("v")),
               "93 01 95 7f 03 00 93 61 07 a2 03 6b 93 51 05 a1 6d a2 03 76");
}

static void test_p5_let(void **s) {
    expect_hex(
        aero_exp_let(2, aero_exp_def("x", aero_exp_bin_int("a")), aero_exp_gt(aero_exp_var("x"), aero_exp_int(10))),
        "94 7d a1 78 93 51 02 a1 61 93 03 92 7c a1 78 0a");
}

static void test_p6_in_list(void **s) {
    aero_value items[] = { aero_int(1), aero_int(2), aero_int(3) };
    aero_value l = aero_list(items, 3);
    expect_hex(aero_exp_in_list(aero_exp_bin_int("x"), aero_exp_value(&l)), "93 09 93 51 02 a1 78 92 7e 93 01 02 03");
}

static void test_p7_ttl(void **s) {
    expect_hex(aero_exp_lt(aero_exp_ttl(), aero_exp_int(3600)), "93 05 91 45 cd 0e 10");
}

static void test_p8_not_exists(void **s) {
    expect_hex(aero_exp_not(aero_exp_bin_exists("d")), "92 12 93 02 92 52 a1 64 00");
}

static void test_p9_key(void **s) {
    expect_hex(aero_exp_eq(aero_exp_key(AERO_AEL_STRING), aero_exp_str("abc")), "93 01 92 50 03 a4 03 61 62 63");
}

static void test_p10_float(void **s) {
    expect_hex(aero_exp_ge(aero_exp_bin_float("f"), aero_exp_float(1.5)),
               "93 04 93 51 07 a1 66 cb 3f f8 00 00 00 00 00 00");
}

static void test_p11_blob(void **s) {
    static const uint8_t b[] = { 1, 2 };
    expect_hex(aero_exp_eq(aero_exp_bin_blob("b"), aero_exp_blob(b, 2)), "93 01 93 51 06 a1 62 a3 04 01 02");
}

static void test_p12_regex(void **s) {
    expect_hex(aero_exp_regex(2, "^pre", aero_exp_bin_str("s")), "94 07 02 a4 5e 70 72 65 93 51 03 a1 73");
}

static void test_p13_ctx(void **s) {
    aero_exp_ctx ctx[] = { { AERO_CTX_MAP_KEY, aero_str("a") } };
    expect_hex(aero_exp_eq(aero_exp_list_get_by_index(AERO_CDT_RETURN_VALUE, AERO_AEL_INT, aero_exp_int(0),
                                                      aero_exp_bin_map("m"), ctx, 1),
                           aero_exp_int(7)),
               "93 01 95 7f 02 00 93 cc ff 92 22 a2 03 61 93 13 07 00 93 51 05 a1 6d 07");
}

/* The builder and the AEL compiler agree on richer trees. */
static void same(aero_exp *t, const char *ael) {
    aero_error err;
    aero_expr *a = aero_exp_build(t, &err);
    assert_non_null(a);
    aero_expr *b = aero_ael_compile(ael, NULL, 0, &err);
    if (!b)
        fprintf(stderr, "%s: %s\n", ael, err.message);
    assert_non_null(b);
    size_t la, lb;
    const uint8_t *pa = aero_expr_bytes(a, &la), *pb = aero_expr_bytes(b, &lb);
    if (la != lb || memcmp(pa, pb, la) != 0) {
        xdump("builder", pa, la);
        xdump("ael    ", pb, lb);
    }
    assert_int_equal(la, lb);
    assert_memory_equal(pa, pb, la);
    aero_expr_free(a);
    aero_expr_free(b);
}

static void test_agrees_with_ael(void **s) {
    same(aero_exp_and(2, aero_exp_eq(aero_exp_bin_str("status"), aero_exp_str("active")),
                      aero_exp_gt(aero_exp_bin_int("age"), aero_exp_int(21))),
         "$.status == 'active' and $.age > 21");
    same(aero_exp_cond(3, aero_exp_eq(aero_exp_bin_int("a"), aero_exp_int(1)), aero_exp_unknown(), aero_exp_int(0)),
         "when($.a == 1 => unknown, default => 0)");
    same(aero_exp_gt(aero_exp_mul(2, aero_exp_bin_int("x"), aero_exp_int(-1)), aero_exp_int(0)), "-$.x > 0");
    same(aero_exp_exclusive(2, aero_exp_exclusive(2, aero_exp_bin_bool("a"), aero_exp_bin_bool("b")),
                            aero_exp_bin_bool("c")),
         "exclusive($.a, $.b, $.c)");
    aero_value tags[] = { aero_str("x"), aero_str("y") };
    aero_value tl = aero_list(tags, 2);
    same(aero_exp_list_get_by_value(AERO_CDT_RETURN_EXISTS, aero_exp_bin_str("t"), aero_exp_value(&tl), NULL, 0),
         "$.t in ['x', 'y']");
}

static void test_exclusive_nesting(void **s) {
    /* AEL nests exclusive left (ael.md 2.3); the builder writes what it is given. */
    aero_error err;
    aero_expr *e = aero_ael_compile("exclusive($.a, $.b, $.c)", NULL, 0, &err);
    assert_non_null(e);
    size_t n;
    const uint8_t *b = aero_expr_bytes(e, &n);
    xbuf want = xpect("[3 i19 [3 i19 " BB("a") " " BB("b") " " BB("c"));
    assert_int_equal(n, want.n);
    assert_memory_equal(b, want.b, n);
    aero_expr_free(e);
}

static void test_null_propagates(void **s) {
    aero_error err;
    /* A NULL child (e.g. a NULL name) makes every ancestor NULL; siblings are freed. */
    aero_exp *t = aero_exp_and(2, aero_exp_eq(aero_exp_bin_str(NULL), aero_exp_str("x")),
                               aero_exp_gt(aero_exp_bin_int("n"), aero_exp_int(5)));
    assert_null(t);
    assert_null(aero_exp_build(t, &err));
    assert_int_equal(err.code, AERO_ERR_NO_MEMORY);
    aero_exp *d = aero_exp_def("x", aero_exp_int(1));
    assert_null(aero_exp_build(d, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    aero_exp_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_p1_gt),
        cmocka_unit_test(test_p2_and),
        cmocka_unit_test(test_p3_list_size),
        cmocka_unit_test(test_p4_map_key),
        cmocka_unit_test(test_p5_let),
        cmocka_unit_test(test_p6_in_list),
        cmocka_unit_test(test_p7_ttl),
        cmocka_unit_test(test_p8_not_exists),
        cmocka_unit_test(test_p9_key),
        cmocka_unit_test(test_p10_float),
        cmocka_unit_test(test_p11_blob),
        cmocka_unit_test(test_p12_regex),
        cmocka_unit_test(test_p13_ctx),
        cmocka_unit_test(test_agrees_with_ael),
        cmocka_unit_test(test_exclusive_nesting),
        cmocka_unit_test(test_null_propagates),
    };
    return cmocka_run_group_tests_name("ael-builder", tests, NULL, NULL);
}
