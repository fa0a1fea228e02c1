/* test_hist.c - the bench latency histogram: buckets, quantiles, merge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "hist.h"

static bench_hist *new_hist(void) {
    bench_hist *h = malloc(sizeof *h);
    assert_non_null(h);
    bench_hist_reset(h);
    return h;
}

/* Bucket indexes never decrease with the value and stay in range. */
static void test_buckets_monotonic(void **state) {
    (void)state;
    uint32_t prev = 0;
    for (uint64_t v = 0; v < (1ull << 50); v = v < 1000 ? v + 1 : v + v / 7) {
        uint32_t b = bench_hist_bucket(v);
        assert_true(b >= prev);
        assert_true(b < BENCH_HIST_BUCKETS);
        prev = b;
    }
    assert_int_equal(bench_hist_bucket(0), 0);
    assert_int_equal(bench_hist_bucket(127), 127);
    assert_true(bench_hist_bucket(128) == bench_hist_bucket(129));
}

/* A quantile is within the 1/64 bucket resolution of the exact value. */
static void test_quantiles(void **state) {
    (void)state;
    bench_hist *h = new_hist();
    for (uint64_t i = 1; i <= 10000; i++)
        bench_hist_record(h, i * 1000); /* 1 us .. 10 ms */
    assert_int_equal(h->count, 10000);
    uint64_t p50 = bench_hist_quantile(h, 0.50), p99 = bench_hist_quantile(h, 0.99);
    assert_in_range(p50, 5000000 - 5000000 / 64, 5000000 + 5000000 / 64);
    assert_in_range(p99, 9900000 - 9900000 / 64, 9900000 + 9900000 / 64);
    assert_true(bench_hist_quantile(h, 1.0) <= h->max_ns);
    assert_int_equal(h->max_ns, 10000000);
    free(h);
}

static void test_empty_and_merge(void **state) {
    (void)state;
    bench_hist *a = new_hist(), *b = new_hist();
    assert_int_equal(bench_hist_quantile(a, 0.5), 0);
    for (int i = 0; i < 99; i++)
        bench_hist_record(a, 100);
    bench_hist_record(b, 1000000);
    bench_hist_merge(a, b);
    assert_int_equal(a->count, 100);
    assert_int_equal(bench_hist_quantile(a, 0.5), 100);
    assert_in_range(bench_hist_quantile(a, 1.0), 1000000 - 1000000 / 64, 1000000);
    free(a);
    free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buckets_monotonic),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_empty_and_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
