/*
 * test_faults.c - timeouts, broken connections, retries and many threads,
 * against aero-testserver with fault injection. The fault tests are skipped
 * with AERO_HOSTS (a real cluster cannot be told to misbehave); the
 * thread test runs everywhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/testserver.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define ENV ((it_env *)*state)

static aero_behavior fast_behavior(void) {
    aero_behavior b = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "fault-test");
    b.all.socket_timeout_ms = 200;
    b.all.total_timeout_ms = 600;
    b.all.retry_delay_ms = 10;
    return b;
}

static void inject(void **state, aero_testserver_fault f, uint32_t arg, uint32_t count) {
    aero_error err;
    assert_aero_ok(aero_testserver_inject(ENV->server, 0, f, arg, count, &err), &err);
}

static void put_one(aero_session *s, const aero_key *k, int64_t v) {
    aero_error err;
    aero_write *w = aero_session_upsert(s, k);
    aero_write_bin_set_int(w, "v", v);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
}

static void test_stalled_server_times_out_with_in_doubt(void **state) {
    if (!ENV->server)
        skip();
    aero_behavior b = fast_behavior();
    aero_error err;
    aero_session *s = aero_client_create_session(ENV->client, &b, &err);
    aero_key k = it_key(ENV, "stall");
    put_one(s, &k, 1);
    aero_record r;
    aero_record_init(&r);

    inject(state, AERO_TS_FAULT_STALL, 0, 0);
    uint64_t t0 = (uint64_t)time(NULL);
    assert_int_equal(aero_session_get(s, &k, NULL, 0, &r, &err), AERO_ERR_TIMEOUT);
    assert_false(err.in_doubt); /* a read is never in doubt */
    aero_write *w = aero_session_update(s, &k);
    aero_write_bin_increment_int(w, "v", 1);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_ERR_TIMEOUT);
    assert_true(err.in_doubt); /* the request was sent: it may have been applied */
    assert_true((uint64_t)time(NULL) - t0 < 5);
    inject(state, AERO_TS_FAULT_NONE, 0, 0);

    /* the stalled connections were closed, not pooled: the client works again */
    assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
    aero_record_dispose(&r);
    aero_session_free(s);
}

static void test_connection_closed_mid_response(void **state) {
    if (!ENV->server)
        skip();
    aero_behavior b = fast_behavior();
    aero_error err;
    aero_session *s = aero_client_create_session(ENV->client, &b, &err);
    aero_key k = it_key(ENV, "closemid");
    put_one(s, &k, 7);
    aero_record r;
    aero_record_init(&r);
    /* one broken answer: the read retries on a fresh connection and succeeds */
    inject(state, AERO_TS_FAULT_CLOSE_MID, 0, 1);
    assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
    assert_int_equal(aero_record_int(&r, "v", 0), 7);
    /* always broken: the read fails with a clear error once retries are used up */
    inject(state, AERO_TS_FAULT_CLOSE_MID, 0, 0);
    aero_status st = aero_session_get(s, &k, NULL, 0, &r, &err);
    assert_true(st == AERO_ERR_CONNECTION || st == AERO_ERR_PROTOCOL);
    assert_true(strlen(err.message) > 0);
    /* a write whose answer was cut is in doubt and is not resent */
    aero_write *w = aero_session_update(s, &k);
    aero_write_bin_increment_int(w, "v", 1);
    st = aero_write_execute(w, NULL, &err);
    assert_true(st == AERO_ERR_CONNECTION || st == AERO_ERR_PROTOCOL);
    assert_true(err.in_doubt);
    inject(state, AERO_TS_FAULT_NONE, 0, 0);
    assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
    assert_int_equal(aero_record_int(&r, "v", 0), 8); /* applied once, never twice */
    aero_record_dispose(&r);
    aero_session_free(s);
}

static void test_garbage_and_drop_are_clear_errors(void **state) {
    if (!ENV->server)
        skip();
    aero_behavior b = fast_behavior();
    b.reads.max_retries = 0;
    aero_error err;
    aero_session *s = aero_client_create_session(ENV->client, &b, &err);
    aero_key k = it_key(ENV, "garbage");
    put_one(s, &k, 1);
    aero_record r;
    aero_record_init(&r);
    inject(state, AERO_TS_FAULT_GARBAGE, 64, 1);
    assert_int_equal(aero_session_get(s, &k, NULL, 0, &r, &err), AERO_ERR_PROTOCOL);
    inject(state, AERO_TS_FAULT_DROP, 0, 1);
    assert_int_equal(aero_session_get(s, &k, NULL, 0, &r, &err), AERO_ERR_CONNECTION);
    assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
    aero_record_dispose(&r);
    aero_session_free(s);
}

static void test_retry_on_partition_unavailable(void **state) {
    if (!ENV->server)
        skip();
    aero_behavior b = fast_behavior();
    aero_error err;
    aero_session *s = aero_client_create_session(ENV->client, &b, &err);
    aero_key k = it_key(ENV, "retry11");
    put_one(s, &k, 3);
    aero_record r;
    aero_record_init(&r);
    inject(state, AERO_TS_FAULT_RESULT_CODE, AERO_ERR_PARTITION_UNAVAILABLE, 2);
    assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err); /* third attempt */
    assert_int_equal(aero_record_int(&r, "v", 0), 3);
    inject(state, AERO_TS_FAULT_RESULT_CODE, AERO_ERR_PARTITION_UNAVAILABLE, 0);
    assert_int_equal(aero_session_get(s, &k, NULL, 0, &r, &err), AERO_ERR_PARTITION_UNAVAILABLE);
    inject(state, AERO_TS_FAULT_NONE, 0, 0);
    aero_record_dispose(&r);
    aero_session_free(s);
}

static void test_slow_answer_within_and_past_timeout(void **state) {
    if (!ENV->server)
        skip();
    aero_behavior b = fast_behavior();
    b.reads.max_retries = 0;
    aero_error err;
    aero_session *s = aero_client_create_session(ENV->client, &b, &err);
    aero_key k = it_key(ENV, "slow");
    put_one(s, &k, 1);
    aero_record r;
    aero_record_init(&r);
    inject(state, AERO_TS_FAULT_DELAY, 50, 1);
    assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
    inject(state, AERO_TS_FAULT_DELAY, 400, 1);
    assert_int_equal(aero_session_get(s, &k, NULL, 0, &r, &err), AERO_ERR_TIMEOUT);
    inject(state, AERO_TS_FAULT_NONE, 0, 0);
    assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
    aero_record_dispose(&r);
    aero_session_free(s);
}

typedef struct worker {
    it_env *env;
    int id;
    int failures;
} worker;

static void *work(void *arg) {
    worker *wk = arg;
    aero_session *s = aero_client_create_session(wk->env->client, NULL, NULL);
    aero_record r;
    aero_record_init(&r);
    char name[64];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "%s-t%d-%d", wk->env->prefix, wk->id, i % 20);
        aero_key k = aero_dataset_id_str(&wk->env->ds, name);
        aero_error err;
        aero_write *w = aero_session_upsert(s, &k);
        aero_write_bin_set_int(w, "i", i);
        aero_write_bin_set_str(w, "who", name);
        if (aero_write_execute(w, NULL, &err) != AERO_OK) {
            wk->failures++;
            continue;
        }
        if (aero_session_get(s, &k, NULL, 0, &r, &err) != AERO_OK || aero_record_int(&r, "i", -1) != i ||
            strcmp(aero_record_str(&r, "who"), name) != 0)
            wk->failures++;
    }
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "%s-t%d-%d", wk->env->prefix, wk->id, i);
        aero_key k = aero_dataset_id_str(&wk->env->ds, name);
        aero_error err;
        aero_write_execute(aero_session_delete(s, &k), NULL, &err);
    }
    aero_record_dispose(&r);
    aero_session_free(s);
    return NULL;
}

static void test_many_threads_share_one_client(void **state) {
    enum { N = 8 };
    pthread_t t[N];
    worker wk[N];
    for (int i = 0; i < N; i++) {
        wk[i] = (worker){ ENV, i, 0 };
        assert_int_equal(pthread_create(&t[i], NULL, work, &wk[i]), 0);
    }
    int failures = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        failures += wk[i].failures;
    }
    assert_int_equal(failures, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stalled_server_times_out_with_in_doubt),
        cmocka_unit_test(test_connection_closed_mid_response),
        cmocka_unit_test(test_garbage_and_drop_are_clear_errors),
        cmocka_unit_test(test_retry_on_partition_unavailable),
        cmocka_unit_test(test_slow_answer_within_and_past_timeout),
        cmocka_unit_test(test_many_threads_share_one_client),
    };
    return cmocka_run_group_tests_name("faults", tests, it_setup, it_teardown);
}
