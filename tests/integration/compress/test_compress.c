/*
 * test_compress.c - compression (protocol.md 11) through the behavior
 * settings use_compression / compression_threshold.
 *
 * Community Edition answers a compressed request with 25 (ENTERPRISE_ONLY):
 * that answer, from the environment's server (the test server as CE, or a
 * real CE cluster with AERO_HOSTS), shows exactly which requests went out
 * compressed, so the threshold is checked byte for byte there. Round trips
 * of compressed requests and compressed answers (single record, batch,
 * query) run against a test server with Enterprise compression on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define ENV ((it_env *)*state)

static aero_behavior compressing(int32_t threshold) {
    aero_behavior b = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "compress");
    b.compression_all.use_compression = 1;
    b.compression_all.compression_threshold = threshold;
    return b;
}

/* Upsert one string bin of `len` bytes through session s; the server's result. */
static aero_status put_len(aero_session *s, const aero_key *k, size_t len, aero_error *err) {
    char *v = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        v[i] = (char)('a' + i % 26);
    v[len] = '\0';
    aero_write *w = aero_session_upsert(s, k);
    aero_write_bin_set_str(w, "s", v);
    aero_status st = aero_write_execute(w, NULL, err);
    free(v);
    return st;
}

/*
 * CE refuses compressed requests: find the smallest bin that makes the
 * request go out compressed under threshold T, then check that the same
 * request passes with threshold T + 1 (a request of exactly the threshold is
 * sent as it is), and that without compression any size passes.
 */
static void test_threshold_against_ce(void **state) {
    aero_error err;
    aero_key k = it_key(ENV, "threshold");
    aero_behavior b = compressing(300);
    aero_session *s = aero_client_create_session(ENV->client, &b, &err);
    assert_non_null(s);
    /* far below: clear; far above: compressed, refused */
    assert_aero_ok(put_len(s, &k, 10, &err), &err);
    assert_int_equal(put_len(s, &k, 1000, &err), AERO_ERR_ENTERPRISE_ONLY);
    size_t lo = 10, hi = 1000; /* lo passes, hi is refused */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        aero_status st = put_len(s, &k, mid, &err);
        assert_true(st == AERO_OK || st == AERO_ERR_ENTERPRISE_ONLY);
        if (st == AERO_OK)
            lo = mid;
        else
            hi = mid;
    }
    aero_session_free(s);
    /* with a threshold one byte larger, the first refused size is sent clear */
    b = compressing(301);
    s = aero_client_create_session(ENV->client, &b, &err);
    assert_aero_ok(put_len(s, &k, hi, &err), &err);
    assert_int_equal(put_len(s, &k, hi + 1, &err), AERO_ERR_ENTERPRISE_ONLY);
    aero_session_free(s);
    /* the default behavior does not compress */
    assert_aero_ok(put_len(ENV->session, &k, 5000, &err), &err);
    assert_aero_ok(aero_write_execute(aero_session_delete(ENV->session, &k), NULL, &err), &err);
}

/* A behavior that turns compression on for writes only leaves reads clear. */
static void test_scopes(void **state) {
    aero_error err;
    aero_key k = it_key(ENV, "scopes");
    aero_behavior b = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "compress-writes");
    b.compression_writes.use_compression = 1;
    aero_policy p = AERO_POLICY_INIT;
    assert_aero_ok(aero_behavior_resolve(&b, AERO_OP_WRITE, AERO_SHAPE_POINT, &p, &err), &err);
    assert_true(p.use_compression);
    assert_int_equal(p.compression_threshold, 128);
    assert_aero_ok(aero_behavior_resolve(&b, AERO_OP_READ, AERO_SHAPE_BATCH, &p, &err), &err);
    assert_false(p.use_compression);
    aero_session *s = aero_client_create_session(ENV->client, &b, &err);
    assert_int_equal(put_len(s, &k, 2000, &err), AERO_ERR_ENTERPRISE_ONLY);
    /* a read with a long bin list stays clear */
    assert_aero_ok(put_len(ENV->session, &k, 2000, &err), &err);
    aero_record r;
    aero_record_init(&r);
    assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
    assert_int_equal(strlen(aero_record_str(&r, "s")), 2000);
    aero_record_dispose(&r);
    aero_session_free(s);
    assert_aero_ok(aero_write_execute(aero_session_delete(ENV->session, &k), NULL, &err), &err);
}

/* A compressed batch or query refused by Community Edition fails as a whole with 25, and says so. */
static void test_batch_and_query_against_ce(void **state) {
    aero_error err;
    aero_behavior b = compressing(128);
    aero_session *s = aero_client_create_session(ENV->client, &b, &err);
    aero_key keys[40];
    aero_batch *bt = aero_session_batch(s);
    for (int i = 0; i < 40; i++) {
        char name[16];
        snprintf(name, sizeof name, "batch%d", i);
        keys[i] = it_key(ENV, name);
        const char *bins[] = { "s" };
        aero_batch_read_bins(bt, &keys[i], bins, 1);
    }
    aero_stream *st = aero_batch_execute(bt, &err); /* 40 keys: far over 128 bytes */
    assert_null(st);
    assert_int_equal(err.code, AERO_ERR_ENTERPRISE_ONLY);
    assert_non_null(strstr(err.message, "ENTERPRISE_ONLY"));
    aero_query *q = aero_session_query(s, &ENV->ds);
    aero_query_where(q, "$.name == 'a rather long filter value that makes the request exceed the threshold'");
    st = aero_query_execute(q, &err);
    if (st) {
        while (aero_stream_next(st, &err))
            ;
        aero_stream_close(st);
    }
    assert_int_equal(err.code, AERO_ERR_ENTERPRISE_ONLY);
    aero_session_free(s);
}

/* ---- against a test server with Enterprise compression ---- */

static aero_testserver *ee_server(void) {
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    cfg.compression = true;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    if (!ts)
        fail_msg("%s", err.message);
    return ts;
}

static void test_round_trips_enterprise(void **state) {
    (void)state;
    aero_testserver *ts = ee_server();
    aero_error err;
    aero_client *c = aero_client_connect(aero_testserver_seeds(ts), NULL, &err);
    assert_non_null(c);
    aero_behavior b = compressing(128);
    aero_session *s = aero_client_create_session(c, &b, &err);
    aero_dataset ds = aero_dataset_of("test", "compress");
    size_t sizes[] = { 1, 100, 128, 129, 4000, 300000 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char id[16];
        snprintf(id, sizeof id, "k%zu", i);
        aero_key k = aero_dataset_id_str(&ds, id);
        assert_aero_ok(put_len(s, &k, sizes[i], &err), &err);
        aero_record r;
        aero_record_init(&r);
        assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err); /* answers over 128 bytes come compressed */
        const char *v = aero_record_str(&r, "s");
        assert_non_null(v);
        assert_int_equal(strlen(v), sizes[i]);
        assert_int_equal(v[sizes[i] - 1], 'a' + (int)((sizes[i] - 1) % 26));
        aero_record_dispose(&r);
    }
    /* batch: the request and every answer frame compressed */
    aero_batch *bt = aero_session_batch(s);
    aero_key keys[6];
    for (size_t i = 0; i < 6; i++) {
        char id[16];
        snprintf(id, sizeof id, "k%zu", i);
        keys[i] = aero_dataset_id_str(&ds, id);
        aero_batch_read(bt, &keys[i]);
    }
    aero_stream *st = aero_batch_execute(bt, &err);
    assert_non_null(st);
    size_t rows = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        assert_int_equal(r->result, AERO_OK);
        assert_int_equal(strlen(aero_record_str(r, "s")), sizes[r->index]);
        rows++;
    }
    assert_int_equal(err.code, AERO_OK);
    assert_int_equal(rows, 6);
    aero_stream_close(st);
    /* query (scan) stream of compressed frames */
    aero_query *q = aero_session_query(s, &ds);
    st = aero_query_execute(q, &err);
    assert_non_null(st);
    rows = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));)
        rows += aero_record_str(r, "s") != NULL;
    assert_int_equal(err.code, AERO_OK);
    assert_int_equal(rows, 6);
    aero_stream_close(st);
    aero_session_free(s);
    aero_client_close(c);
    aero_testserver_stop(ts);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threshold_against_ce),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_batch_and_query_against_ce),
        cmocka_unit_test(test_round_trips_enterprise),
    };
    return cmocka_run_group_tests_name("compress", tests, it_setup, it_teardown);
}
