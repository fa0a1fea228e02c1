/*
 * test_scan.c - partition scans through the wire: PID_ARRAY, DIGEST_ARRAY
 * resume (records ordered by digest inside a partition), MAX_RECORDS, bin
 * projection, no-bins, filters, set vs whole namespace, stored keys, and
 * the PARTITION_DONE requirement (16 without it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/testserver.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/digest.h"
#include "tsclient.h"

#define N1 300
#define N2 10

static uint16_t port;
static uint8_t digests[N1][20];

static int setup(void **state) {
    aero_error err;
    aero_testserver *ts = aero_testserver_start(NULL, &err);
    if (!ts)
        return -1;
    *state = ts;
    port = aero_testserver_port(ts, 0);
    for (int i = 0; i < N1 + N2; i++) {
        char key[32];
        snprintf(key, sizeof key, "k%d", i);
        const char *set = i < N1 ? "s1" : "s2";
        tc_msg m;
        tc_begin(&m, 0, 1, 0, 0, 0);
        tc_key_str(&m, "test", set, key, i % 2 == 0);
        tc_op_int(&m, 2, "a", i);
        tc_op_str(&m, 2, "b", "x");
        tc_end(&m);
        tc_answer a = tc_call(port, &m);
        tc_free(&m);
        if (a.closed || a.result != 0)
            return -1;
        tc_answer_free(&a);
        if (i < N1)
            aero_digest__compute(set, 2, 3, key, strlen(key), digests[i]);
    }
    return 0;
}

static int teardown(void **state) {
    aero_testserver_stop(*state);
    return 0;
}

typedef struct scan_req {
    const char *set;
    const uint16_t *pids;
    size_t n_pids;
    const uint8_t *digs;
    size_t n_digs;
    uint64_t max;
    const char *bin;
    bool nobins;
    bool no_pdone;
    const uint8_t *filter;
    size_t filter_len;
    const uint8_t *range; /* INDEX_RANGE field data */
    size_t range_len;
} scan_req;

static uint64_t trid = 1000;

static tc_stream *scan(const scan_req *q) {
    tc_msg m;
    tc_begin(&m, q->nobins ? 0x21 : 0x01, 0, q->no_pdone ? 0 : 0x04, 0, 0xFFFFFFFF);
    tc_field(&m, 0, "test", 4);
    if (q->set)
        tc_field(&m, 1, q->set, strlen(q->set));
    uint8_t t[8];
    aero_set_u64be(t, ++trid);
    tc_field(&m, 7, t, 8);
    if (q->range)
        tc_field(&m, 22, q->range, q->range_len);
    if (q->filter)
        tc_field(&m, 43, q->filter, q->filter_len);
    if (q->n_pids) {
        uint8_t *p = malloc(2 * q->n_pids);
        for (size_t i = 0; i < q->n_pids; i++) {
            p[2 * i] = (uint8_t)q->pids[i];
            p[2 * i + 1] = (uint8_t)(q->pids[i] >> 8);
        }
        tc_field(&m, 11, p, 2 * q->n_pids);
        free(p);
    }
    if (q->n_digs)
        tc_field(&m, 12, q->digs, 20 * q->n_digs);
    if (q->max) {
        uint8_t mx[8];
        aero_set_u64be(mx, q->max);
        tc_field(&m, 13, mx, 8);
    }
    if (q->bin)
        tc_op(&m, 1, 0, q->bin, NULL, 0);
    tc_end(&m);
    tc_stream *s = tc_call_stream(port, &m);
    tc_free(&m);
    return s;
}

static uint16_t all_pids[4096];

static const uint8_t *field(const tc_answer *a, uint8_t type, uint32_t *len) {
    const uint8_t *p = a->body + 22;
    for (unsigned i = 0; i < a->n_fields; i++) {
        uint32_t sz = aero_get_u32be(p);
        if (p[4] == type) {
            *len = sz - 1;
            return p + 5;
        }
        p += 4 + sz;
    }
    return NULL;
}

static void test_scan_set(void **state) {
    (void)state;
    for (int i = 0; i < 4096; i++)
        all_pids[i] = (uint16_t)i;
    scan_req q = { .set = "s1", .pids = all_pids, .n_pids = 4096 };
    tc_stream *s = scan(&q);
    assert_false(s->closed);
    assert_int_equal(s->n, N1 + 1);
    int with_key = 0;
    for (size_t i = 0; i < N1; i++) {
        tc_answer *a = &s->msgs[i];
        assert_int_equal(a->result, 0);
        assert_int_equal(a->n_ops, 2);
        uint32_t l;
        const uint8_t *ns = field(a, 0, &l);
        assert_non_null(ns);
        assert_int_equal(l, 4);
        assert_non_null(field(a, 4, &l));
        assert_int_equal(l, 20);
        const uint8_t *set = field(a, 1, &l);
        assert_non_null(set);
        assert_memory_equal(set, "s1", 2);
        if (field(a, 2, &l))
            with_key++;
    }
    assert_int_equal(with_key, N1 / 2);
    assert_true(s->msgs[N1].info3 & 1);
    assert_int_equal(s->msgs[N1].result, 0);
    tc_stream_free(s);

    /* the whole namespace (no set) */
    scan_req all = { .pids = all_pids, .n_pids = 4096, .nobins = true };
    s = scan(&all);
    assert_int_equal(s->n, N1 + N2 + 1);
    assert_int_equal(s->msgs[0].info1, 0x20);
    assert_int_equal(s->msgs[0].n_ops, 0);
    tc_stream_free(s);
}

static void test_max_projection_filter(void **state) {
    (void)state;
    scan_req q = { .set = "s1", .pids = all_pids, .n_pids = 4096, .max = 10, .bin = "a" };
    tc_stream *s = scan(&q);
    assert_int_equal(s->n, 11);
    for (size_t i = 0; i < 10; i++) {
        assert_int_equal(s->msgs[i].n_ops, 1);
        bool found;
        tc_bin_int(&s->msgs[i], "a", &found);
        assert_true(found);
    }
    tc_stream_free(s);
    /* a >= 290 */
    uint8_t f[] = { 0x93, 0x04, 0x93, 0x51, 0x02, 0xa1, 0x61, 0xcd, 0x01, 0x22 };
    scan_req fq = { .set = "s1", .pids = all_pids, .n_pids = 4096, .filter = f, .filter_len = sizeof f };
    s = scan(&fq);
    assert_int_equal(s->n, 11);
    tc_stream_free(s);
    /* without any PID_ARRAY or DIGEST_ARRAY: 16 */
    scan_req nopids = { .set = "s1" };
    s = scan(&nopids);
    assert_int_equal(s->n, 1);
    assert_int_equal(s->msgs[0].result, 16);
    tc_stream_free(s);
    /* without PARTITION_DONE: 16 */
    scan_req bad = { .set = "s1", .pids = all_pids, .n_pids = 4096, .no_pdone = true };
    s = scan(&bad);
    assert_int_equal(s->n, 1);
    assert_int_equal(s->msgs[0].result, 16);
    assert_int_equal(s->msgs[0].info3, 0); /* a real 8.1 server: no LAST bit */
    tc_stream_free(s);
}

static void test_digest_resume(void **state) {
    (void)state;
    /* find a partition with at least two records */
    int cnt[4096] = { 0 };
    int best = -1;
    for (int i = 0; i < N1; i++) {
        uint16_t p = aero_partition__id(digests[i]);
        if (++cnt[p] >= 2 && (best < 0 || cnt[p] > cnt[best]))
            best = p;
    }
    assert_true(best >= 0);
    uint16_t pid = (uint16_t)best;
    scan_req q = { .set = "s1", .pids = &pid, .n_pids = 1 };
    tc_stream *s = scan(&q);
    size_t n = s->n - 1;
    assert_int_equal(n, (size_t)cnt[best]);
    uint8_t first[20];
    uint32_t l;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *d = field(&s->msgs[i], 4, &l);
        assert_int_equal(aero_partition__id(d), pid);
        if (i > 0) {
            const uint8_t *prev = field(&s->msgs[i - 1], 4, &l);
            assert_true(memcmp(prev, d, 20) < 0); /* digest order */
        }
    }
    memcpy(first, field(&s->msgs[0], 4, &l), 20);
    tc_stream_free(s);
    scan_req r = { .set = "s1", .digs = first, .n_digs = 1 };
    s = scan(&r);
    assert_int_equal(s->n - 1, n - 1);
    for (size_t i = 0; i + 1 < s->n; i++)
        assert_true(memcmp(field(&s->msgs[i], 4, &l), first, 20) > 0);
    tc_stream_free(s);
}

/* Background query: write ops over set s2 with a filter, then query-show. */
static void test_background_ops(void **state) {
    (void)state;
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_field(&m, 0, "test", 4);
    tc_field(&m, 1, "s2", 2);
    uint8_t t[8];
    aero_set_u64be(t, 777777);
    tc_field(&m, 7, t, 8);
    /* a >= 305 (5 of the 10 records of s2) */
    uint8_t f[] = { 0x93, 0x04, 0x93, 0x51, 0x02, 0xa1, 0x61, 0xcd, 0x01, 0x31 };
    tc_field(&m, 43, f, sizeof f);
    tc_op_str(&m, 2, "bg", "done");
    tc_end(&m);
    tc_stream *s = tc_call_stream(port, &m);
    assert_int_equal(s->n, 1);
    assert_true(s->msgs[0].info3 & 1);
    assert_int_equal(s->msgs[0].result, 0);
    tc_stream_free(s);
    /* the same task id again: 4 */
    s = tc_call_stream(port, &m);
    assert_int_equal(s->msgs[0].result, 4);
    tc_stream_free(s);
    tc_free(&m);
    /* a background job on a set that does not exist: 2 */
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_field(&m, 0, "test", 4);
    tc_field(&m, 1, "nosuchset", 9);
    tc_op_str(&m, 2, "bg", "x");
    tc_end(&m);
    s = tc_call_stream(port, &m);
    assert_int_equal(s->msgs[0].result, 2);
    tc_stream_free(s);
    tc_free(&m);
    char *ans = tc_info(port, "query-show:trid=777777\n");
    assert_non_null(ans);
    assert_non_null(strstr(ans, "status=done"));
    assert_non_null(strstr(ans, "recs-succeeded=5"));
    free(ans);
    /* exactly the matching records got the bin */
    uint8_t nb[] = { 0x93, 0x01, 0x93, 0x51, 0x03, 0xa2, 0x62, 0x67, 0xa5, 0x03, 'd', 'o', 'n', 'e' };
    scan_req q = { .set = "s2", .pids = all_pids, .n_pids = 4096, .filter = nb, .filter_len = sizeof nb };
    s = scan(&q);
    assert_int_equal(s->n, 6);
    tc_stream_free(s);
}

static size_t int_range(uint8_t *f, const char *bin, int64_t lo, int64_t hi) {
    size_t n = 0, bl = strlen(bin);
    f[n++] = 1;
    f[n++] = (uint8_t)bl;
    memcpy(f + n, bin, bl);
    n += bl;
    f[n++] = 1;
    aero_set_u32be(f + n, 8);
    aero_set_u64be(f + n + 4, (uint64_t)lo);
    aero_set_u32be(f + n + 12, 8);
    aero_set_u64be(f + n + 16, (uint64_t)hi);
    return n + 24;
}

static void test_secondary_index(void **state) {
    (void)state;
    uint8_t f[64];
    size_t fl = int_range(f, "a", 10, 19);
    scan_req q = { .set = "s1", .pids = all_pids, .n_pids = 4096, .range = f, .range_len = fl };
    tc_stream *s = scan(&q);
    assert_int_equal(s->n, 1);
    assert_int_equal(s->msgs[0].result, 201); /* no index yet */
    tc_stream_free(s);
    char *ans = tc_info(port, "sindex-create:namespace=test;set=s1;indexname=idx_a;bin=a;type=numeric\n");
    assert_non_null(strstr(ans, "\tok"));
    free(ans);
    ans = tc_info(port, "sindex-create:namespace=test;set=s1;indexname=idx_a;bin=a;type=numeric\n");
    assert_non_null(strstr(ans, "\tok")); /* the same definition again: ok, as 8.1 answers */
    free(ans);
    ans = tc_info(port, "sindex-create:namespace=test;set=s1;indexname=idx_a;bin=b;type=numeric\n");
    assert_non_null(strstr(ans, "ERROR:200")); /* that name with another definition */
    free(ans);
    ans = tc_info(port, "sindex-list:namespace=test\n");
    assert_non_null(strstr(ans, "ns=test:indexname=idx_a:set=s1:bin=a:type=numeric:indextype=default"));
    free(ans);
    s = scan(&q);
    assert_int_equal(s->n, 11);
    for (size_t i = 0; i < 10; i++) {
        bool found;
        int64_t a = tc_bin_int(&s->msgs[i], "a", &found);
        assert_true(found && a >= 10 && a <= 19);
        uint32_t l;
        const uint8_t *bv = field(&s->msgs[i], 15, &l);
        assert_non_null(bv);
        assert_int_equal(l, 8);
        assert_int_equal(bv[0], (uint8_t)a); /* little-endian */
    }
    tc_stream_free(s);
    ans = tc_info(port, "sindex-delete:namespace=test;indexname=idx_a\n");
    assert_non_null(strstr(ans, "\tok"));
    free(ans);
    s = scan(&q);
    assert_int_equal(s->msgs[0].result, 201);
    tc_stream_free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_set),        cmocka_unit_test(test_max_projection_filter),
        cmocka_unit_test(test_digest_resume),   cmocka_unit_test(test_background_ops),
        cmocka_unit_test(test_secondary_index),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
