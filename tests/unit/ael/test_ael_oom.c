/*
 * Out-of-memory injection: every allocation of the AEL front end, the
 * template fill and the builder is made to fail in turn (the test links with
 * --wrap=malloc/calloc/realloc). Each call must fail cleanly with
 * AERO_ERR_NO_MEMORY - no crash, no exit, no leak (run under ASan) - and
 * succeed once allocations are allowed again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <aero/ael.h>
#include <aero/expr.h>

#include "ael/ael_index.h"
#include "ael/ael_typed.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t a, size_t b);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t a, size_t b);
void *__wrap_realloc(void *p, size_t n);

static long budget = -1; /* allocations left before failing; -1: unlimited */

static int take(void) {
    if (budget < 0)
        return 1;
    if (budget == 0)
        return 0;
    budget--;
    return 1;
}
void *__wrap_malloc(size_t n) { return take() ? __real_malloc(n) : NULL; }
void *__wrap_calloc(size_t a, size_t b) { return take() ? __real_calloc(a, b) : NULL; }
void *__wrap_realloc(void *p, size_t n) { return take() ? __real_realloc(p, n) : NULL; }

#define TEXT                                                              \
    "$.status == ?1 and $.m.a.[0] > ?0 or $.name in ['Bob', 'Mary'] and " \
    "let (x = $.a + 1) then (${x} * 2 > 10) and geoCompare($.loc, geoJson('{}'))"

static void test_compile_oom(void **s) {
    aero_value args[] = { aero_int(7), aero_str("active") };
    aero_error err;
    int failures = 0;
    for (long n = 0; n < 10000; n++) {
        budget = n;
        aero_expr *e = aero_ael_compile(TEXT, args, 2, &err);
        budget = -1;
        if (e) {
            aero_expr_free(e);
            break;
        }
        assert_int_equal(err.code, AERO_ERR_NO_MEMORY);
        failures++;
    }
    assert_true(failures > 0);
}

static void test_typed_and_fill_oom(void **s) {
    static const aero_ael_bin bins[] = { { "status", AERO_AEL_STRING, NULL },
                                         { "m", AERO_AEL_MAP, NULL },
                                         { "name", AERO_AEL_STRING, NULL },
                                         { "a", AERO_AEL_INT, NULL },
                                         { "loc", AERO_AEL_GEO, NULL } };
    aero_ael_env env = { bins, 5 };
    aero_ael_template t;
    aero_ael_diag d;
    int failures = 0;
    for (long n = 0; n < 10000; n++) {
        budget = n;
        aero_status st = aero_ael__compile_typed(TEXT, &env, NULL, 0, &t, &d);
        budget = -1;
        if (st == AERO_OK)
            break;
        assert_int_equal(st, AERO_ERR_NO_MEMORY);
        assert_null(t.bytes);
        failures++;
    }
    assert_true(failures > 0);
    aero_value args[] = { aero_int(7), aero_str("active") };
    aero_error err;
    for (long n = 0; n < 100; n++) {
        budget = n;
        aero_expr *e = aero_ael_template_fill(t.bytes, t.len, t.slots, t.n_slots, args, 2, &err);
        budget = -1;
        if (e) {
            aero_expr_free(e);
            break;
        }
        assert_int_equal(err.code, AERO_ERR_NO_MEMORY);
    }
    aero_ael__template_free(&t);
}

static void test_builder_and_ctx_oom(void **s) {
    aero_error err;
    for (long n = 0; n < 1000; n++) {
        budget = n;
        aero_exp *t = aero_exp_and(2, aero_exp_eq(aero_exp_bin_str("status"), aero_exp_str("active")),
                                   aero_exp_gt(aero_exp_bin_int("age"), aero_exp_int(21)));
        aero_expr *e = aero_exp_build(t, &err);
        budget = -1;
        if (e) {
            aero_expr_free(e);
            break;
        }
        assert_int_equal(err.code, AERO_ERR_NO_MEMORY);
    }
    for (long n = 0; n < 1000; n++) {
        char bin[16];
        uint8_t *ctx;
        size_t len;
        budget = n;
        aero_status st = aero_ael_parse_ctx("$.l.[0].a.{#1}", bin, sizeof bin, &ctx, &len, &err);
        budget = -1;
        if (st == AERO_OK) {
            free(ctx);
            break;
        }
        assert_int_equal(st, AERO_ERR_NO_MEMORY);
    }
}

static void test_index_oom(void **s) {
    static const aero_ael_index idx[] = { { "i", "a", AERO_AEL_INT, NULL, 0, 1 },
                                          { "s", "status", AERO_AEL_STRING, NULL, 0, 2 } };
    aero_error err;
    for (long n = 0; n < 10000; n++) {
        aero_ael_filter f;
        aero_expr *rest;
        budget = n;
        aero_status st = aero_ael__compile_with_index("$.status == 'x' and $.a > 1 and ($.b == 1 or $.c == 2)", NULL, 0,
                                                      idx, 2, NULL, NULL, &f, &rest, &err);
        budget = -1;
        if (st == AERO_OK) {
            assert_true(f.set);
            assert_non_null(rest);
            aero_ael__filter_free(&f);
            aero_expr_free(rest);
            break;
        }
        assert_int_equal(st, AERO_ERR_NO_MEMORY);
        assert_false(f.set);
        assert_null(rest);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compile_oom),
        cmocka_unit_test(test_typed_and_fill_oom),
        cmocka_unit_test(test_builder_and_ctx_oom),
        cmocka_unit_test(test_index_oom),
    };
    return cmocka_run_group_tests_name("ael-oom", tests, NULL, NULL);
}
