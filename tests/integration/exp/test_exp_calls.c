/*
 * test_exp_calls.c - the list, map, bit and HLL expressions of aero/expr.h
 * end to end: one seeded record, each expression computed by the server as
 * an expression read (select_from), some also used as where() filters. The
 * expectations are the answers of real Aerospike 8.1.2.0 and 8.1.1.2 servers
 * (AERO_TEST_HOSTS) and must hold unchanged against aero-testserver.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <aero/expr.h>

#include "harness.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)

/* A quoted list of ints / strings (n items). */
static aero_exp *ints(size_t n, ...) {
    aero_value items[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n && i < 8; i++)
        items[i] = aero_int(va_arg(ap, int));
    va_end(ap);
    aero_value l = aero_list(items, (uint32_t)n);
    return aero_exp_value(&l);
}
static aero_exp *strs(size_t n, ...) {
    aero_value items[8];
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n && i < 8; i++)
        items[i] = aero_str(va_arg(ap, const char *));
    va_end(ap);
    aero_value l = aero_list(items, (uint32_t)n);
    return aero_exp_value(&l);
}
static aero_exp *blob1(uint8_t b) { return aero_exp_blob(&b, 1); }

#define I(v)  aero_exp_int(v)
#define STR   aero_exp_str
#define L     aero_exp_bin_list("l")
#define M     aero_exp_bin_map("m")
#define B     aero_exp_bin_blob("b")
#define H     aero_exp_bin_hll("h")
#define NC    NULL, 0
#define RT(x) AERO_CDT_RETURN_##x
#define INV   AERO_CDT_RETURN_INVERTED

typedef struct xcase {
    const char *what;
    aero_exp *e;
    const char *want; /* the result as aero_value_format renders it; "ERR n": the command fails with n */
} xcase;
#define X(e, want) \
    { #e, e, want }

static aero_key g_key;

static void seed(void **state) {
    aero_error err;
    g_key = it_key(ENV, "exp-calls");
    aero_value l[] = { aero_int(5), aero_int(1), aero_int(4), aero_int(1), aero_int(3) };
    aero_map_entry m[] = { { aero_str("a"), aero_int(1) },
                           { aero_str("b"), aero_int(2) },
                           { aero_str("c"), aero_int(3) },
                           { aero_str("d"), aero_int(2) } };
    aero_value x[] = { aero_int(1), aero_int(2), aero_int(3) };
    aero_value xl = aero_list(x, 3);
    aero_map_entry n[] = { { aero_str("x"), xl } };
    uint8_t b[] = { 0x0f, 0xf0, 0xaa };
    aero_value lv = aero_list(l, 5), mv = aero_map(m, 4), nv = aero_map(n, 1), bv = aero_blob(b, 3);
    aero_write *w = aero_session_upsert(S, &g_key);
    aero_write_bin_set(w, "l", &lv);
    aero_write_bin_set(w, "m", &mv);
    aero_write_bin_set(w, "n", &nv);
    aero_write_bin_set(w, "b", &bv);
    aero_write_never_expire(w);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_OK);
    /* the HLL bin is written by a modify expression on nil (a missing bin
     * would make it unknown): an empty HLL to start from */
    aero_expr *add = aero_exp_build(aero_exp_hll_add(0, strs(3, "a", "b", "c"), 8, 0, aero_exp_nil()), &err);
    assert_non_null(add);
    w = aero_session_update(S, &g_key);
    aero_write_upsert_from_expr(w, "h", add, 0);
    aero_expr_free(add);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_OK);
}

/* Run each case as select_from; returns the number of wrong answers. */
static int run(void **state, xcase *cases, size_t n) {
    int wrong = 0;
    for (size_t i = 0; i < n; i++) {
        aero_error err;
        char got[256];
        aero_expr *e = aero_exp_build(cases[i].e, &err);
        if (!e) {
            fprintf(stderr, "  %s: build failed: %s\n", cases[i].what, err.message);
            wrong++;
            continue;
        }
        aero_record r;
        aero_record_init(&r);
        aero_write *w = aero_session_update(S, &g_key);
        aero_write_select_from_expr(w, "r", e, 0);
        aero_status st = aero_write_execute(w, &r, &err);
        aero_expr_free(e);
        if (st != AERO_OK)
            snprintf(got, sizeof got, "ERR %d", (int)st);
        else if (!aero_record_get(&r, "r"))
            snprintf(got, sizeof got, "(no bin)");
        else
            aero_value_format(aero_record_get(&r, "r"), got, sizeof got);
        if (strcmp(got, cases[i].want) != 0) {
            fprintf(stderr, "  %s\n    want %s\n    got  %s\n", cases[i].what, cases[i].want, got);
            wrong++;
        }
        aero_record_dispose(&r);
    }
    return wrong;
}
#define RUN(cases) run(state, cases, sizeof cases / sizeof cases[0])

static void test_list_reads(void **state) {
    xcase cases[] = {
        X(aero_exp_list_size(L, NC), "5"),
        X(aero_exp_list_get_by_index(RT(VALUE), AERO_AEL_INT, I(0), L, NC), "5"),
        X(aero_exp_list_get_by_index(RT(VALUE), AERO_AEL_INT, I(-1), L, NC), "3"),
        X(aero_exp_list_get_by_rank(RT(VALUE), AERO_AEL_INT, I(0), L, NC), "1"),
        X(aero_exp_list_get_by_rank(RT(INDEX), AERO_AEL_INT, I(-1), L, NC), "0"),
        X(aero_exp_list_get_by_value(RT(COUNT), I(1), L, NC), "2"),
        X(aero_exp_list_get_by_value(RT(INDEX), I(1), L, NC), "[1, 3]"),
        X(aero_exp_list_get_by_value(RT(EXISTS), I(4), L, NC), "True"),
        X(aero_exp_list_get_by_value(RT(VALUE) | INV, I(1), L, NC), "[5, 4, 3]"),
        X(aero_exp_list_get_by_value_range(RT(VALUE), I(3), I(5), L, NC), "[4, 3]"),
        X(aero_exp_list_get_by_value_range(RT(VALUE), I(3), aero_exp_infinity(), L, NC), "[5, 4, 3]"),
        X(aero_exp_list_get_by_value_range(RT(COUNT), aero_exp_nil(), I(4), L, NC), "3"),
        X(aero_exp_list_get_by_value_list(RT(INDEX), ints(2, 1, 5), L, NC), "[0, 1, 3]"),
        X(aero_exp_list_get_by_value_list(RT(VALUE) | INV, ints(2, 1, 5), L, NC), "[4, 3]"),
        X(aero_exp_list_get_by_index_range(RT(VALUE), I(1), I(2), L, NC), "[1, 4]"),
        X(aero_exp_list_get_by_index_range(RT(VALUE) | INV, I(1), I(2), L, NC), "[5, 1, 3]"),
        X(aero_exp_list_get_by_index_range_to_end(RT(VALUE), I(3), L, NC), "[1, 3]"),
        X(aero_exp_list_get_by_rank_range(RT(VALUE), I(0), I(2), L, NC), "[1, 1]"),
        X(aero_exp_list_get_by_rank_range_to_end(RT(COUNT), I(3), L, NC), "2"),
        X(aero_exp_list_get_by_rank_range_to_end(RT(REVERSE_RANK), I(3), L, NC), "[0, 1]"),
        X(aero_exp_list_size(aero_exp_bin_map("n"), (aero_exp_ctx[]){ { AERO_CTX_MAP_KEY, aero_str("x") } }, 1), "3"),
        X(aero_exp_list_get_by_index(RT(VALUE), AERO_AEL_INT, I(1), aero_exp_bin_map("n"),
                                     (aero_exp_ctx[]){ { AERO_CTX_MAP_KEY, aero_str("x") } }, 1),
          "2"),
    };
    assert_int_equal(RUN(cases), 0);
}

static void test_map_reads(void **state) {
    xcase cases[] = {
        X(aero_exp_map_size(M, NC), "4"),
        X(aero_exp_map_get_by_key(RT(VALUE), AERO_AEL_INT, STR("b"), M, NC), "2"),
        X(aero_exp_map_get_by_key(RT(EXISTS), AERO_AEL_BOOL, STR("z"), M, NC), "False"),
        X(aero_exp_map_get_by_index(RT(KEY), AERO_AEL_STRING, I(0), M, NC), "'a'"),
        X(aero_exp_map_get_by_rank(RT(KEY), AERO_AEL_STRING, I(-1), M, NC), "'c'"),
        X(aero_exp_map_get_by_value(RT(KEY), I(2), M, NC), "['b', 'd']"),
        X(aero_exp_map_get_by_value(RT(COUNT) | INV, I(2), M, NC), "2"),
        X(aero_exp_map_get_by_key_range(RT(KEY_VALUE), STR("b"), STR("d"), M, NC), "{'b': 2, 'c': 3}"),
        X(aero_exp_map_get_by_key_range(RT(VALUE), STR("c"), aero_exp_infinity(), M, NC), "[3, 2]"),
        X(aero_exp_map_get_by_key_list(RT(VALUE), strs(2, "a", "c"), M, NC), "[1, 3]"),
        X(aero_exp_map_get_by_key_list(RT(KEY) | INV, strs(2, "a", "c"), M, NC), "['b', 'd']"),
        X(aero_exp_map_get_by_key_rel_index_range(RT(KEY), STR("b"), I(1), I(2), M, NC), "['c', 'd']"),
        X(aero_exp_map_get_by_key_rel_index_range_to_end(RT(COUNT), STR("b"), I(0), M, NC), "3"),
        X(aero_exp_map_get_by_value_range(RT(COUNT), I(2), aero_exp_infinity(), M, NC), "3"),
        X(aero_exp_map_get_by_value_list(RT(KEY), ints(2, 1, 3), M, NC), "['a', 'c']"),
        X(aero_exp_map_get_by_rel_rank_range(RT(VALUE), I(2), I(0), I(2), M, NC), "[2, 2]"),
        X(aero_exp_map_get_by_rel_rank_range_to_end(RT(KEY), I(3), I(0), M, NC), "['c']"),
        X(aero_exp_map_get_by_index_range(RT(KEY), I(1), I(2), M, NC), "['b', 'c']"),
        X(aero_exp_map_get_by_index_range_to_end(RT(KEY) | INV, I(2), M, NC), "['a', 'b']"),
        X(aero_exp_map_get_by_index_range_to_end(RT(UNORDERED_MAP), I(3), M, NC), "{'d': 2}"),
        X(aero_exp_map_get_by_rank_range(RT(KEY), I(0), I(1), M, NC), "['a']"),
        X(aero_exp_map_get_by_rank_range_to_end(RT(COUNT), I(1), M, NC), "3"),
    };
    assert_int_equal(RUN(cases), 0);
}

static void test_list_modify(void **state) {
    aero_exp_list_policy unique = { 0, 1 | 4 }, strict = { 0, 1 }, ordered = { 1, 0 };
    xcase cases[] = {
        X(aero_exp_list_append(NULL, I(9), L, NC), "[5, 1, 4, 1, 3, 9]"),
        X(aero_exp_list_size(aero_exp_list_append(NULL, I(9), L, NC), NC), "6"),
        X(aero_exp_list_append(&unique, I(5), L, NC), "[5, 1, 4, 1, 3]"),
        X(aero_exp_list_append(&strict, I(5), L, NC), "ERR 26"),
        X(aero_exp_list_append_items(NULL, ints(2, 7, 8), L, NC), "[5, 1, 4, 1, 3, 7, 8]"),
        X(aero_exp_list_append_items(&ordered, ints(2, 7, 8), aero_exp_list_clear(L, NC), NC), "[7, 8]"),
        X(aero_exp_list_append(NULL, I(9), aero_exp_nil(), NC), "[9]"),
        X(aero_exp_list_insert(NULL, I(1), I(9), L, NC), "[5, 9, 1, 4, 1, 3]"),
        X(aero_exp_list_insert_items(NULL, I(0), ints(2, 7, 8), L, NC), "[7, 8, 5, 1, 4, 1, 3]"),
        X(aero_exp_list_set(NULL, I(0), I(0), L, NC), "[0, 1, 4, 1, 3]"),
        X(aero_exp_list_increment(NULL, I(0), I(10), L, NC), "[15, 1, 4, 1, 3]"),
        X(aero_exp_list_clear(L, NC), "[]"),
        X(aero_exp_list_sort(0, L, NC), "[1, 1, 3, 4, 5]"),
        X(aero_exp_list_remove_by_value(false, I(1), L, NC), "[5, 4, 3]"),
        X(aero_exp_list_remove_by_value(true, I(1), L, NC), "[1, 1]"),
        X(aero_exp_list_remove_by_value_list(true, ints(2, 1, 5), L, NC), "[5, 1, 1]"),
        X(aero_exp_list_remove_by_value_range(false, I(3), I(5), L, NC), "[5, 1, 1]"),
        X(aero_exp_list_remove_by_rel_rank_range(false, I(3), I(0), I(1), L, NC), "[5, 1, 4, 1]"),
        X(aero_exp_list_remove_by_rel_rank_range_to_end(false, I(3), I(0), L, NC), "[1, 1]"),
        X(aero_exp_list_remove_by_index(I(0), L, NC), "[1, 4, 1, 3]"),
        X(aero_exp_list_remove_by_index_range(false, I(1), I(2), L, NC), "[5, 1, 3]"),
        X(aero_exp_list_remove_by_index_range_to_end(true, I(3), L, NC), "[1, 3]"),
        X(aero_exp_list_remove_by_rank(I(0), L, NC), "[5, 4, 1, 3]"),
        X(aero_exp_list_remove_by_rank_range(false, I(0), I(2), L, NC), "[5, 4, 3]"),
        X(aero_exp_list_remove_by_rank_range_to_end(true, I(4), L, NC), "[5]"),
        X(aero_exp_list_append(NULL, I(9), aero_exp_bin_map("n"),
                               (aero_exp_ctx[]){ { AERO_CTX_MAP_KEY, aero_str("x") } }, 1),
          "{'x': [1, 2, 3, 9]}"),
    };
    assert_int_equal(RUN(cases), 0);
}

/*
 * Answers aero-testserver does not give yet (its list code, tools/testserver
 * cdt.c / cdt_modify.c): rank-selected items come in rank order, reverse
 * indexes ascending, and sort honours its flags. Checked against real
 * servers; skipped on aero-testserver until its list code agrees.
 */
static void test_list_rank_order_and_sort_flags(void **state) {
    if (!ENV->real)
        skip();
    xcase cases[] = {
        X(aero_exp_list_get_by_rel_rank_range(RT(VALUE), I(3), I(1), I(2), L, NC), "[4, 5]"),
        X(aero_exp_list_get_by_rel_rank_range_to_end(RT(VALUE), I(3), I(-1), L, NC), "[1, 3, 4, 5]"),
        X(aero_exp_list_get_by_rel_rank_range_to_end(RT(RANK), I(2), I(0), L, NC), "[2, 3, 4]"),
        X(aero_exp_list_get_by_index_range_to_end(RT(REVERSE_INDEX), I(3), L, NC), "[0, 1]"),
        X(aero_exp_list_sort(1 | 2, L, NC), "ERR 26"),
        X(aero_exp_list_sort(1, L, NC), "[5, 4, 3, 1, 1]"),
        X(aero_exp_list_sort(2, L, NC), "[1, 3, 4, 5]"),
    };
    assert_int_equal(RUN(cases), 0);
}

static void test_map_modify(void **state) {
    aero_exp_map_policy create_only = { 0, 1 | 4 }, update_only = { 0, 2 | 4 }, strict = { 0, 1 };
    aero_map_entry e[] = { { aero_str("x"), aero_int(1) } };
    aero_value ev = aero_map(e, 1);
    xcase cases[] = {
        X(aero_exp_map_put(NULL, STR("e"), I(5), M, NC), "{'a': 1, 'b': 2, 'c': 3, 'd': 2, 'e': 5}"),
        X(aero_exp_map_put(&create_only, STR("a"), I(9), M, NC), "{'a': 1, 'b': 2, 'c': 3, 'd': 2}"),
        X(aero_exp_map_put(&update_only, STR("z"), I(9), M, NC), "{'a': 1, 'b': 2, 'c': 3, 'd': 2}"),
        X(aero_exp_map_put(&strict, STR("a"), I(9), M, NC), "ERR 26"),
        X(aero_exp_map_put(NULL, STR("k"), I(1), aero_exp_nil(), NC), "{'k': 1}"),
        X(aero_exp_map_put_items(NULL, aero_exp_value(&ev), M, NC), "{'a': 1, 'b': 2, 'c': 3, 'd': 2, 'x': 1}"),
        X(aero_exp_map_increment(NULL, STR("a"), I(5), M, NC), "{'a': 6, 'b': 2, 'c': 3, 'd': 2}"),
        X(aero_exp_map_clear(M, NC), "{}"),
        X(aero_exp_map_size(aero_exp_map_put(NULL, STR("e"), I(5), M, NC), NC), "5"),
        X(aero_exp_map_remove_by_key(STR("a"), M, NC), "{'b': 2, 'c': 3, 'd': 2}"),
        X(aero_exp_map_remove_by_key_list(false, strs(2, "a", "b"), M, NC), "{'c': 3, 'd': 2}"),
        X(aero_exp_map_remove_by_key_range(true, STR("b"), STR("d"), M, NC), "{'b': 2, 'c': 3}"),
        X(aero_exp_map_remove_by_key_rel_index_range(false, STR("b"), I(0), I(2), M, NC), "{'a': 1, 'd': 2}"),
        X(aero_exp_map_remove_by_key_rel_index_range_to_end(false, STR("c"), I(0), M, NC), "{'a': 1, 'b': 2}"),
        X(aero_exp_map_remove_by_value(false, I(2), M, NC), "{'a': 1, 'c': 3}"),
        X(aero_exp_map_remove_by_value_list(true, ints(1, 2), M, NC), "{'b': 2, 'd': 2}"),
        X(aero_exp_map_remove_by_value_range(false, I(1), I(3), M, NC), "{'c': 3}"),
        X(aero_exp_map_remove_by_rel_rank_range(false, I(3), I(-1), I(1), M, NC), "{'a': 1, 'b': 2, 'c': 3}"),
        X(aero_exp_map_remove_by_rel_rank_range_to_end(false, I(2), I(0), M, NC), "{'a': 1}"),
        X(aero_exp_map_remove_by_index(I(0), M, NC), "{'b': 2, 'c': 3, 'd': 2}"),
        X(aero_exp_map_remove_by_index_range(false, I(1), I(2), M, NC), "{'a': 1, 'd': 2}"),
        X(aero_exp_map_remove_by_index_range_to_end(true, I(3), M, NC), "{'d': 2}"),
        X(aero_exp_map_remove_by_rank(I(-1), M, NC), "{'a': 1, 'b': 2, 'd': 2}"),
        X(aero_exp_map_remove_by_rank_range(false, I(0), I(1), M, NC), "{'b': 2, 'c': 3, 'd': 2}"),
        X(aero_exp_map_remove_by_rank_range_to_end(true, I(3), M, NC), "{'c': 3}"),
    };
    assert_int_equal(RUN(cases), 0);
}

static void test_bits(void **state) {
    xcase cases[] = {
        X(aero_exp_bit_get(I(8), I(8), B), "b'\\xf0'"),
        X(aero_exp_bit_count(I(0), I(24), B), "12"),
        X(aero_exp_bit_lscan(I(0), I(24), aero_exp_bool(true), B), "4"),
        X(aero_exp_bit_rscan(I(0), I(24), aero_exp_bool(true), B), "22"),
        X(aero_exp_bit_lscan(I(4), I(8), aero_exp_bool(false), B), "-1"),
        X(aero_exp_bit_get_int(I(0), I(8), false, B), "15"),
        X(aero_exp_bit_get_int(I(8), I(8), true, B), "-16"),
        X(aero_exp_bit_resize(0, I(4), 0, B), "b'\\x0f\\xf0\\xaa\\x00'"),
        X(aero_exp_bit_resize(0, I(2), 1, B), "b'\\xf0\\xaa'"),
        X(aero_exp_bit_resize(0, I(2), 0, aero_exp_nil()), "b'\\x00\\x00'"),
        X(aero_exp_bit_insert(0, I(1), blob1(0xff), B), "b'\\x0f\\xff\\xf0\\xaa'"),
        X(aero_exp_bit_remove(0, I(0), I(1), B), "b'\\xf0\\xaa'"),
        X(aero_exp_bit_set(0, I(0), I(8), blob1(0xff), B), "b'\\xff\\xf0\\xaa'"),
        X(aero_exp_bit_or(0, I(0), I(8), blob1(0xf0), B), "b'\\xff\\xf0\\xaa'"),
        X(aero_exp_bit_xor(0, I(0), I(8), blob1(0xff), B), "b'\\xf0\\xf0\\xaa'"),
        X(aero_exp_bit_and(0, I(8), I(8), blob1(0x0f), B), "b'\\x0f\\x00\\xaa'"),
        X(aero_exp_bit_not(0, I(0), I(8), B), "b'\\xf0\\xf0\\xaa'"),
        X(aero_exp_bit_lshift(0, I(0), I(8), I(4), B), "b'\\xf0\\xf0\\xaa'"),
        X(aero_exp_bit_rshift(0, I(8), I(8), I(4), B), "b'\\x0f\\x0f\\xaa'"),
        X(aero_exp_bit_add(0, I(0), I(8), I(1), 0, B), "b'\\x10\\xf0\\xaa'"),
        X(aero_exp_bit_subtract(0, I(0), I(8), I(16), 4, B), "b'\\xff\\xf0\\xaa'"),
        X(aero_exp_bit_subtract(0, I(0), I(8), I(16), 0, B), "ERR 26"),
        X(aero_exp_bit_set_int(0, I(16), I(8), I(0x55), B), "b'\\x0f\\xf0\\x55'"),
        X(aero_exp_bit_count(I(0), I(8), aero_exp_bit_not(0, I(0), I(8), B)), "4"),
    };
    assert_int_equal(RUN(cases), 0);
}

static void test_hll(void **state) {
    xcase cases[] = {
        X(aero_exp_hll_get_count(H), "3"),
        X(aero_exp_hll_describe(H), "[8, 0]"),
        X(aero_exp_hll_may_contain(strs(1, "a"), H), "1"),
        X(aero_exp_hll_may_contain(strs(2, "a", "zz"), H), "0"),
        X(aero_exp_hll_get_count(aero_exp_hll_add(0, strs(2, "d", "e"), -1, -1, H)), "5"),
        X(aero_exp_hll_describe(aero_exp_hll_init(0, 10, 0, H)), "[10, 0]"),
        X(aero_exp_hll_get_count(aero_exp_hll_init(0, 10, 0, H)), "0"),
    };
    assert_int_equal(RUN(cases), 0);
}

static void test_hll_sets(void **state) {
    /* a second HLL {c, d}: the operand of the set reads */
    aero_error err;
    aero_expr *add = aero_exp_build(aero_exp_hll_add(0, strs(2, "c", "d"), 8, 0, aero_exp_nil()), &err);
    aero_record r;
    aero_record_init(&r);
    aero_write *w = aero_session_update(S, &g_key);
    aero_write_upsert_from_expr(w, "h2", add, 0);
    aero_write_bin_get(w, "h2");
    assert_int_equal(aero_write_execute(w, &r, &err), AERO_OK);
    aero_expr_free(add);
    assert_non_null(aero_record_get(&r, "h2"));
    xcase cases[] = {
        X(aero_exp_hll_get_union_count(aero_exp_bin_hll("h2"), H), "4"),
        X(aero_exp_hll_get_intersect_count(aero_exp_bin_hll("h2"), H), "1"),
        X(aero_exp_hll_get_similarity(aero_exp_bin_hll("h2"), H), "0.25"),
        X(aero_exp_hll_get_count(aero_exp_hll_get_union(aero_exp_bin_hll("h2"), H)), "4"),
    };
    assert_int_equal(RUN(cases), 0);
    aero_record_dispose(&r);
}

/* Built expressions as filters: a modify expression composes into a read. */
static void test_filters(void **state) {
    struct {
        const char *what;
        aero_exp *e;
        bool match;
    } cases[] = {
        { "size(append) == 6", aero_exp_eq(aero_exp_list_size(aero_exp_list_append(NULL, I(9), L, NC), NC), I(6)),
          true },
        { "size(append) == 5", aero_exp_eq(aero_exp_list_size(aero_exp_list_append(NULL, I(9), L, NC), NC), I(5)),
          false },
        { "count(1) == 2", aero_exp_eq(aero_exp_list_get_by_value(RT(COUNT), I(1), L, NC), I(2)), true },
        { "map key exists", aero_exp_map_get_by_key(RT(EXISTS), AERO_AEL_BOOL, STR("c"), M, NC), true },
        { "bit count == 12", aero_exp_eq(aero_exp_bit_count(I(0), I(24), B), I(12)), true },
        { "hll count == 3", aero_exp_eq(aero_exp_hll_get_count(H), I(3)), true },
        { "hll count == 4", aero_exp_eq(aero_exp_hll_get_count(H), I(4)), false },
    };
    int wrong = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aero_error err;
        aero_expr *e = aero_exp_build(cases[i].e, &err);
        assert_non_null(e);
        aero_query *q = aero_session_query_key(S, &g_key);
        aero_query_where_expr(q, e);
        aero_expr_free(e);
        aero_stream *st = aero_query_execute(q, &err);
        assert_non_null(st);
        bool matched = aero_stream_next(st, &err) != NULL;
        if (matched != cases[i].match || err.code != AERO_OK) {
            fprintf(stderr, "  %s: matched=%d (%s)\n", cases[i].what, matched, aero_status_str(err.code));
            wrong++;
        }
        aero_stream_close(st);
    }
    assert_int_equal(wrong, 0);
}

static void test_cleanup(void **state) {
    aero_error err;
    assert_int_equal(aero_write_execute(aero_session_delete(S, &g_key), NULL, &err), AERO_OK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed),
        cmocka_unit_test(test_list_reads),
        cmocka_unit_test(test_map_reads),
        cmocka_unit_test(test_list_modify),
        cmocka_unit_test(test_list_rank_order_and_sort_flags),
        cmocka_unit_test(test_map_modify),
        cmocka_unit_test(test_bits),
        cmocka_unit_test(test_hll),
        cmocka_unit_test(test_hll_sets),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_cleanup),
    };
    return cmocka_run_group_tests_name("exp-calls", tests, it_setup, it_teardown);
}
