/*
 * Secondary-index filter selection (ael.md 2.12): the F vectors of 2.14.
 * Index context unless stated: NUMERIC index on intBin1 (ratio 1), STRING
 * index on stringBin1 (ratio 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/ael.h>

#include "ael/ael_index.h"
#include "xpect.h"

#define MAX INT64_MAX
#define MIN INT64_MIN

static const aero_ael_index DEF[] = {
    { "idx_int1", "intBin1", AERO_AEL_INT, NULL, 0, 1 },
    { "idx_str1", "stringBin1", AERO_AEL_STRING, NULL, 0, 1 },
};

typedef struct run {
    aero_ael_filter f;
    aero_expr *rest;
} run;

static run go(const char *ael, const aero_value *args, size_t n, const aero_ael_index *idx, size_t ni,
              const char *hint_index) {
    run r;
    aero_error err;
    aero_status st = aero_ael__compile_with_index(ael, args, n, idx, ni, hint_index, NULL, &r.f, &r.rest, &err);
    if (st != AERO_OK)
        fprintf(stderr, "%s: %s\n", ael, err.message);
    assert_int_equal(st, AERO_OK);
    return r;
}

static void done(run *r) {
    aero_ael__filter_free(&r->f);
    aero_expr_free(r->rest);
}

static void expect_range(const char *ael, const char *bin, int64_t lo, int64_t hi) {
    run r = go(ael, NULL, 0, DEF, 2, NULL);
    if (!r.f.set || strcmp(r.f.bin, bin) != 0 || r.f.begin != lo || r.f.end != hi)
        fprintf(stderr, "%s -> set %d %s [%lld, %lld]\n", ael, r.f.set, r.f.bin, (long long)r.f.begin,
                (long long)r.f.end);
    assert_true(r.f.set);
    assert_string_equal(r.f.bin, bin);
    assert_int_equal(r.f.type, AERO_AEL_INT);
    assert_true(r.f.begin == lo && r.f.end == hi);
    assert_null(r.rest);
    done(&r);
}

static void expect_rest(const aero_expr *e, const char *spec) {
    assert_non_null(e);
    size_t n;
    const uint8_t *b = aero_expr_bytes(e, &n);
    xbuf w = xpect(spec);
    if (n != w.n || memcmp(b, w.b, n) != 0) {
        xdump("want", w.b, w.n);
        xdump("got ", b, n);
    }
    assert_int_equal(n, w.n);
    assert_memory_equal(b, w.b, n);
}

static void expect_none(const char *ael, const aero_ael_index *idx, size_t ni, const char *spec) {
    run r = go(ael, NULL, 0, idx, ni, NULL);
    assert_false(r.f.set);
    expect_rest(r.rest, spec);
    done(&r);
}

static void test_f01_f03_ranges(void **s) {
    expect_range("$.intBin1 > 100", "intBin1", 101, MAX);
    expect_range("$.intBin1 > -100", "intBin1", -99, MAX);
    expect_range("100 < $.intBin1", "intBin1", 101, MAX);
    expect_range("$.intBin1 >= 100", "intBin1", 100, MAX);
    expect_range("$.intBin1 < 100", "intBin1", MIN, 99);
    expect_range("$.intBin1 <= 100", "intBin1", MIN, 100);
    expect_range("100 > $.intBin1", "intBin1", MIN, 99);
}

static void test_f04_equal(void **s) {
    run r = go("$.intBin1 == 100", NULL, 0, DEF, 2, NULL);
    assert_true(r.f.set && r.f.equal && r.f.begin == 100 && r.f.end == 100);
    assert_null(r.rest);
    done(&r);
    r = go("$.stringBin1 == 'text'", NULL, 0, DEF, 2, NULL);
    assert_true(r.f.set && r.f.equal);
    assert_int_equal(r.f.type, AERO_AEL_STRING);
    assert_int_equal(r.f.value_len, 4);
    assert_memory_equal(r.f.value, "text", 4);
    assert_string_equal(r.f.index_name, "idx_str1");
    assert_false(r.f.by_index_name);
    assert_null(r.rest);
    done(&r);
}

static void test_f05_f06_no_filter(void **s) {
    expect_none("$.stringBin1 > 'text'", DEF, 2, "[3 i3 " SB("stringBin1") " s:text");
    expect_none("$.intBin1 != 100", DEF, 2, "[3 i2 " IB("intBin1") " i100");
    expect_none("$.intBin1 > 100", NULL, 0, "[3 i3 " IB("intBin1") " i100");
}

static void test_f07_f08_ratio(void **s) {
    const aero_ael_index idx[] = { { "i1", "intBin1", AERO_AEL_INT, NULL, 0, 0 },
                                   { "i2", "intBin2", AERO_AEL_INT, NULL, 0, 1 },
                                   { "i3", "intBin3", AERO_AEL_INT, NULL, 0, 0 } };
    run r = go("$.intBin1 > 100 and $.intBin2 < 1000", NULL, 0, idx, 2, NULL);
    assert_true(r.f.set);
    assert_string_equal(r.f.bin, "intBin2");
    assert_true(r.f.begin == MIN && r.f.end == 999);
    expect_rest(r.rest, "[3 i3 " IB("intBin1") " i100");
    done(&r);
    r = go("$.intBin1 > 100 and $.intBin2 > 100 and $.intBin3 > 100", NULL, 0, idx, 3, NULL);
    assert_string_equal(r.f.bin, "intBin2");
    expect_rest(r.rest, "[3 i16 [3 i3 " IB("intBin1") " i100 [3 i3 " IB("intBin3") " i100");
    done(&r);
    /* Equal ratios: the alphabetically first bin. */
    const aero_ael_index tie[] = { { "b", "bbb", AERO_AEL_INT, NULL, 0, 5 }, { "a", "aaa", AERO_AEL_INT, NULL, 0, 5 } };
    r = go("$.bbb == 1 and $.aaa == 2", NULL, 0, tie, 2, NULL);
    assert_string_equal(r.f.bin, "aaa");
    done(&r);
}

static void test_f10_f12_or(void **s) {
    const aero_ael_index idx[] = { { "i1", "intBin1", AERO_AEL_INT, NULL, 0, 0 },
                                   { "i2", "intBin2", AERO_AEL_INT, NULL, 0, 1 },
                                   { "i3", "intBin3", AERO_AEL_INT, NULL, 0, 5 } };
    expect_none("$.intBin1 > 100 or $.intBin2 > 100", idx, 2,
                "[3 i17 [3 i3 " IB("intBin1") " i100 [3 i3 " IB("intBin2") " i100");
    run r = go("$.intBin3 > 100 and ($.intBin2 > 100 or $.intBin1 > 100)", NULL, 0, idx, 3, NULL);
    assert_string_equal(r.f.bin, "intBin3");
    expect_rest(r.rest, "[3 i17 [3 i3 " IB("intBin2") " i100 [3 i3 " IB("intBin1") " i100");
    done(&r);
    r = go("($.intBin3 > 100 or $.intBin4 > 100) and ($.intBin2 > 100 and $.intBin1 > 100)", NULL, 0, idx, 2, NULL);
    assert_string_equal(r.f.bin, "intBin2");
    expect_rest(r.rest,
                "[3 i16 [3 i17 [3 i3 " IB("intBin3") " i100 [3 i3 " IB("intBin4") " i100 [3 i3 " IB("intBin1") " i100");
    done(&r);
}

static void test_f14_f15_arith(void **s) {
    const aero_ael_index idx[] = { { "a", "apples", AERO_AEL_INT, NULL, 0, 1 },
                                   { "b", "bananas", AERO_AEL_INT, NULL, 0, 1 },
                                   { "i1", "intBin1", AERO_AEL_INT, NULL, 0, 1 } };
    run r = go("($.apples + $.bananas) > 10", NULL, 0, idx, 2, NULL);
    assert_false(r.f.set);
    assert_non_null(r.rest);
    done(&r);
    r = go("($.apples + $.bananas + 5) > 10", NULL, 0, idx, 2, NULL);
    assert_false(r.f.set);
    done(&r);
    r = go("(0 * $.bananas) > 10", NULL, 0, idx, 2, NULL);
    assert_false(r.f.set);
    done(&r);
    aero_value v[] = { aero_int(5), aero_int(10) };
    r = go("($.apples + ?0) > ?1", v, 2, idx, 2, NULL);
    assert_true(r.f.set && r.f.begin == 6 && r.f.end == MAX);
    assert_string_equal(r.f.bin, "apples");
    assert_null(r.rest);
    done(&r);
    aero_value one = aero_int(100);
    r = go("$.intBin1 > ?0", &one, 1, idx, 3, NULL);
    assert_true(r.f.set && r.f.begin == 101 && r.f.end == MAX);
    done(&r);
    /* Exact solving of the other forms. */
    r = go("$.apples - 3 <= 10", NULL, 0, idx, 1, NULL);
    assert_true(r.f.begin == MIN && r.f.end == 13);
    done(&r);
    r = go("20 - $.apples > 5", NULL, 0, idx, 1, NULL); /* apples < 15 */
    assert_true(r.f.begin == MIN && r.f.end == 14);
    done(&r);
    r = go("$.apples * 2 > 7", NULL, 0, idx, 1, NULL); /* apples >= 4 */
    assert_true(r.f.begin == 4 && r.f.end == MAX);
    done(&r);
    r = go("$.apples * -2 > 7", NULL, 0, idx, 1, NULL); /* apples <= -4 */
    assert_true(r.f.begin == MIN && r.f.end == -4);
    done(&r);
    r = go("$.apples * 2 == 7", NULL, 0, idx, 1, NULL); /* no integer solution: no filter */
    assert_false(r.f.set);
    done(&r);
    r = go("$.apples / 2 > 3", NULL, 0, idx, 1, NULL); /* truncating division: not solved */
    assert_false(r.f.set);
    done(&r);
}

static void test_f16_ctx(void **s) {
    xbuf ctx = xpect("[2 i16 i5");
    const aero_ael_index idx[] = { { "l", "listBin1", AERO_AEL_STRING, ctx.b, ctx.n, 1 } };
    run r = go("$.listBin1.[5] == \"stringVal\"", NULL, 0, idx, 1, NULL);
    assert_true(r.f.set && r.f.equal);
    assert_int_equal(r.f.ctx_len, ctx.n);
    assert_memory_equal(r.f.ctx, ctx.b, ctx.n);
    assert_null(r.rest);
    done(&r);
    /* A different context does not match. */
    r = go("$.listBin1.[4] == \"stringVal\"", NULL, 0, idx, 1, NULL);
    assert_false(r.f.set);
    done(&r);
}

static void test_f18_blob(void **s) {
    const aero_ael_index idx[] = { { "b", "blobBin1", AERO_AEL_BLOB, NULL, 0, 1 } };
    run r = go("$.blobBin1.get(type: BLOB) == \"AQID\"", NULL, 0, idx, 1, NULL);
    assert_true(r.f.set && r.f.equal);
    assert_int_equal(r.f.type, AERO_AEL_BLOB);
    assert_int_equal(r.f.value_len, 3);
    assert_memory_equal(r.f.value, "\x01\x02\x03", 3);
    assert_null(r.rest);
    done(&r);
}

static void test_f19_f20_mismatch(void **s) {
    const aero_ael_index idx[] = { { "f", "floatBin1", AERO_AEL_INT, NULL, 0, 1 },
                                   { "b", "boolBin1", AERO_AEL_INT, NULL, 0, 1 },
                                   { "s", "intBin1", AERO_AEL_STRING, NULL, 0, 1 } };
    run r = go("$.floatBin1 >= 100.25", NULL, 0, idx, 3, NULL);
    /* The SDK truncates to [100, MAX]; a numeric index holds no floats, so no filter. */
    assert_false(r.f.set);
    done(&r);
    r = go("$.boolBin1 == true", NULL, 0, idx, 3, NULL);
    assert_false(r.f.set);
    done(&r);
    r = go("$.intBin1 > 100", NULL, 0, idx, 3, NULL);
    assert_false(r.f.set);
    done(&r);
    /* Map parts and path functions never make a filter (the SDK's pitfall, refused). */
    const aero_ael_index m[] = { { "m", "m", AERO_AEL_INT, NULL, 0, 1 }, { "x", "x", AERO_AEL_INT, NULL, 0, 1 } };
    r = go("$.m.a == 5", NULL, 0, m, 2, NULL);
    assert_false(r.f.set);
    done(&r);
    r = go("$.x.asInt() > 5", NULL, 0, m, 2, NULL);
    assert_false(r.f.set);
    done(&r);
}

static void test_f22_hint(void **s) {
    const aero_ael_index idx[] = { { "age_idx", "age", AERO_AEL_INT, NULL, 0, 1 },
                                   { "city_idx", "city", AERO_AEL_STRING, NULL, 0, 9 } };
    run r = go("$.age > 25 and $.city == 'NYC'", NULL, 0, idx, 2, "age_idx");
    assert_true(r.f.set && r.f.by_index_name);
    assert_string_equal(r.f.index_name, "age_idx");
    assert_true(r.f.begin == 26 && r.f.end == MAX);
    expect_rest(r.rest, "[3 i1 " SB("city") " s:NYC");
    done(&r);
    /* Without the hint the higher ratio wins. */
    r = go("$.age > 25 and $.city == 'NYC'", NULL, 0, idx, 2, NULL);
    assert_string_equal(r.f.bin, "city");
    expect_rest(r.rest, "[3 i3 " IB("age") " i25");
    done(&r);
}

static void test_errors(void **s) {
    aero_ael_filter f;
    aero_expr *rest;
    aero_error err;
    assert_int_equal(aero_ael__compile_with_index("$.a ==", NULL, 0, DEF, 2, NULL, NULL, &f, &rest, &err),
                     AERO_ERR_AEL);
    assert_false(f.set);
    assert_null(rest);
    /* Value selectors inside a path are refused by the compiler (deviation from F17). */
    assert_int_equal(
        aero_ael__compile_with_index("$.listBin1.[=5].[#10] == \"s\"", NULL, 0, DEF, 2, NULL, NULL, &f, &rest, &err),
        AERO_ERR_AEL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_f01_f03_ranges),
        cmocka_unit_test(test_f04_equal),
        cmocka_unit_test(test_f05_f06_no_filter),
        cmocka_unit_test(test_f07_f08_ratio),
        cmocka_unit_test(test_f10_f12_or),
        cmocka_unit_test(test_f14_f15_arith),
        cmocka_unit_test(test_f16_ctx),
        cmocka_unit_test(test_f18_blob),
        cmocka_unit_test(test_f19_f20_mismatch),
        cmocka_unit_test(test_f22_hint),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests_name("ael-index", tests, NULL, NULL);
}
