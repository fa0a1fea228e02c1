/*
 * test_query.c - dataset queries (partition scans) and AEL filters through
 * the public API: full scans, projections, limits, chunks that resume without
 * skipping or repeating, partition ranges, early close, and where() on
 * queries, point reads and writes (sdk-surface.md 1.6, 1.7, 1.17).
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

#define ENV       ((it_env *)*state)
#define S         (ENV->session)
#define N_RECORDS 60

static aero_dataset g_ds; /* a set of its own, so scans see only these records */
static char g_set[40];

static aero_key rec_key(int i) {
    static char names[N_RECORDS][24];
    snprintf(names[i], sizeof names[i], "user-%d", i);
    return aero_dataset_id_str(&g_ds, names[i]);
}

static int setup(void **state) {
    if (it_setup(state) != 0)
        return -1;
    snprintf(g_set, sizeof g_set, "%s", it_name(ENV, "q"));
    g_ds = aero_dataset_of(ENV->ds.ns, g_set);
    aero_error err;
    for (int i = 0; i < N_RECORDS; i++) {
        aero_key k = rec_key(i);
        aero_write *w = aero_session_upsert(S, &k);
        aero_write_bin_set_int(w, "age", i);
        aero_write_bin_set_str(w, "status", i % 3 == 0 ? "inactive" : "active");
        aero_write_bin_set_int(w, "idx", i);
        if (aero_write_execute(w, NULL, &err) != AERO_OK) {
            fprintf(stderr, "seed: %s\n", err.message);
            return -1;
        }
    }
    return 0;
}

static int teardown(void **state) {
    aero_error err;
    for (int i = 0; i < N_RECORDS; i++) {
        aero_key k = rec_key(i);
        aero_write_execute(aero_session_delete(S, &k), NULL, &err);
    }
    return it_teardown(state);
}

/* Drain a stream, marking each idx seen; fails on a repeat. Returns the count. */
static int drain(aero_stream *st, bool *seen) {
    aero_error err;
    int n = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        int64_t idx = aero_record_int(r, "idx", -1);
        assert_in_range(idx, 0, N_RECORDS - 1);
        assert_false(seen[idx]);
        seen[idx] = true;
        assert_int_equal(r->index, -1);
        assert_string_equal(r->key.set, g_set);
        n++;
    }
    assert_int_equal(err.code, AERO_OK);
    return n;
}

static void test_scan_returns_every_record_once(void **state) {
    aero_error err;
    aero_stream *st = aero_query_execute(aero_session_query(S, &g_ds), &err);
    assert_non_null(st);
    bool seen[N_RECORDS] = { 0 };
    assert_int_equal(drain(st, seen), N_RECORDS);
    aero_stream_close(st);
}

static void test_scan_projection_and_no_bins(void **state) {
    aero_error err;
    const char *bins[] = { "idx" };
    aero_query *q = aero_session_query(S, &g_ds);
    aero_query_bins(q, bins, 1);
    aero_stream *st = aero_query_execute(q, &err);
    assert_non_null(st);
    int n = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        assert_int_equal(r->n_bins, 1);
        assert_non_null(aero_record_get(r, "idx"));
        n++;
    }
    assert_int_equal(n, N_RECORDS);
    aero_stream_close(st);
    q = aero_session_query(S, &g_ds);
    aero_query_with_no_bins(q);
    st = aero_query_execute(q, &err);
    n = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        assert_int_equal(r->n_bins, 0);
        assert_true(r->generation >= 1);
        n++;
    }
    assert_int_equal(n, N_RECORDS);
    aero_stream_close(st);
}

/* A projection onto a bin no record has: the server sends no record (not records without bins). */
static void test_projection_of_a_missing_bin(void **state) {
    aero_error err;
    const char *bins[] = { "nosuchbin" };
    aero_query *q = aero_session_query(S, &g_ds);
    aero_query_bins(q, bins, 1);
    aero_stream *st = aero_query_execute(q, &err);
    assert_non_null(st);
    int n = 0;
    while (aero_stream_next(st, &err))
        n++;
    assert_int_equal(err.code, AERO_OK);
    assert_int_equal(n, 0);
    aero_stream_close(st);
    const char *two[] = { "nosuchbin", "idx" }; /* one of them there: every record, with that bin */
    q = aero_session_query(S, &g_ds);
    aero_query_bins(q, two, 2);
    st = aero_query_execute(q, &err);
    assert_non_null(st);
    n = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err)); n++)
        assert_int_equal(r->n_bins, 1);
    assert_int_equal(n, N_RECORDS);
    aero_stream_close(st);
}

static void test_max_records_caps_the_stream(void **state) {
    aero_error err;
    aero_query *q = aero_session_query(S, &g_ds);
    aero_query_max_records(q, 10);
    aero_stream *st = aero_query_execute(q, &err);
    bool seen[N_RECORDS] = { 0 };
    assert_int_equal(drain(st, seen), 10);
    aero_stream_close(st);
}

static void test_chunks_resume_without_skip_or_repeat(void **state) {
    aero_error err;
    aero_query *q = aero_session_query(S, &g_ds);
    aero_query_chunk_size(q, 7);
    aero_stream *st = aero_query_execute(q, &err);
    assert_non_null(st);
    bool seen[N_RECORDS] = { 0 };
    int total = 0, chunks = 0;
    while (aero_stream_has_more_chunks(st) && chunks < 100) {
        int n = drain(st, seen);
        assert_true(n <= 7);
        total += n;
        chunks++;
    }
    assert_int_equal(total, N_RECORDS);
    assert_true(chunks >= N_RECORDS / 7);
    aero_stream_close(st);
}

static void test_partition_range(void **state) {
    aero_error err;
    int expect = 0;
    for (int i = 0; i < N_RECORDS; i++) {
        aero_key k = rec_key(i);
        if (aero_key_partition(&k) < 2048)
            expect++;
    }
    aero_query *q = aero_session_query(S, &g_ds);
    aero_query_on_partition_range(q, 0, 2048);
    aero_stream *st = aero_query_execute(q, &err);
    bool seen[N_RECORDS] = { 0 };
    assert_int_equal(drain(st, seen), expect);
    aero_stream_close(st);
    q = aero_session_query(S, &g_ds);
    aero_query_on_partition_range(q, 10, 5000);
    assert_null(aero_query_execute(q, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
}

static void test_close_early_leaves_client_healthy(void **state) {
    aero_error err;
    for (int round = 0; round < 5; round++) {
        aero_stream *st = aero_query_execute(aero_session_query(S, &g_ds), &err);
        assert_non_null(st);
        for (int i = 0; i < 3; i++)
            assert_non_null(aero_stream_next(st, &err));
        aero_stream_close(st);
    }
    aero_stream *st = aero_query_execute(aero_session_query(S, &g_ds), &err);
    bool seen[N_RECORDS] = { 0 };
    assert_int_equal(drain(st, seen), N_RECORDS);
    aero_stream_close(st);
}

static void test_where_on_query(void **state) {
    aero_error err;
    aero_query *q = aero_session_query(S, &g_ds);
    aero_query_where(q, "$.status == 'active' and $.age > 21");
    aero_stream *st = aero_query_execute(q, &err);
    assert_non_null(st);
    bool seen[N_RECORDS] = { 0 };
    int n = drain(st, seen);
    int expect = 0;
    for (int i = 0; i < N_RECORDS; i++) {
        bool match = i % 3 != 0 && i > 21;
        assert_int_equal(seen[i], match);
        expect += match;
    }
    assert_int_equal(n, expect);
    aero_stream_close(st);
    /* a filter on a bin no record has matches nothing: unknown is not an error */
    q = aero_session_query(S, &g_ds);
    aero_query_where(q, "$.nosuchbin > 5");
    st = aero_query_execute(q, &err);
    assert_non_null(st);
    assert_null(aero_stream_next(st, &err));
    assert_int_equal(err.code, AERO_OK);
    aero_stream_close(st);
    /* bad AEL is reported at execute with line:column */
    q = aero_session_query(S, &g_ds);
    aero_query_where(q, "$.age >");
    assert_null(aero_query_execute(q, &err));
    assert_int_equal(err.code, AERO_ERR_AEL);
    assert_non_null(strstr(err.message, "1:"));
}

static void test_where_on_point_read(void **state) {
    aero_error err;
    aero_key k = rec_key(30); /* age 30, active */
    aero_query *q = aero_session_query_key(S, &k);
    aero_query_where(q, "$.age > 40");
    aero_stream *st = aero_query_execute(q, &err);
    assert_non_null(st);
    assert_null(aero_stream_next(st, &err)); /* does not match: absent */
    aero_stream_close(st);
    q = aero_session_query_key(S, &k);
    aero_query_where(q, "$.age > 40");
    aero_query_fail_on_filtered_out(q);
    assert_null(aero_query_execute(q, &err));
    assert_int_equal(err.code, AERO_ERR_FILTERED_OUT);
    q = aero_session_query_key(S, &k);
    aero_query_where(q, "$.age == 30");
    st = aero_query_execute(q, &err);
    const aero_record *r;
    assert_aero_ok(aero_stream_first_or_raise(st, &r, &err), &err);
    assert_int_equal(aero_record_int(r, "age", 0), 30);
    aero_stream_close(st);
}

static void test_where_on_write(void **state) {
    aero_error err;
    aero_key k = rec_key(5); /* age 5 */
    aero_record r;
    aero_record_init(&r);
    aero_write *w = aero_session_update(S, &k);
    aero_write_where(w, "$.age >= 18");
    aero_write_bin_set_bool(w, "verified", true);
    assert_aero_ok(aero_write_execute(w, &r, &err), &err); /* skipped quietly */
    assert_int_equal(r.result, AERO_ERR_FILTERED_OUT);
    assert_aero_ok(aero_session_get(S, &k, NULL, 0, &r, &err), &err);
    assert_null(aero_record_get(&r, "verified"));
    w = aero_session_update(S, &k);
    aero_write_where(w, "$.age >= 18");
    aero_write_fail_on_filtered_out(w);
    aero_write_bin_set_bool(w, "verified", true);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_ERR_FILTERED_OUT);
    w = aero_session_update(S, &k);
    aero_write_where(w, "$.age < 18");
    aero_write_bin_set_bool(w, "verified", true);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    assert_aero_ok(aero_session_get(S, &k, NULL, 0, &r, &err), &err);
    assert_true(aero_record_bool(&r, "verified", false));
    /* a bad filter is refused before sending */
    w = aero_session_update(S, &k);
    aero_write_where(w, "$.age >= 'x' and");
    aero_write_bin_set_int(w, "x", 1);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_ERR_AEL);
    aero_record_dispose(&r);
}

static void test_expression_operations(void **state) {
    aero_error err;
    aero_key k = rec_key(40); /* age 40 */
    aero_record r;
    aero_record_init(&r);
    aero_write *w = aero_session_update(S, &k);
    aero_write_upsert_from(w, "double_age", "$.age * 2", 0);
    aero_write_select_from(w, "older", "$.age + 1", 0);
    assert_aero_ok(aero_write_execute(w, &r, &err), &err);
    assert_int_equal(aero_record_int(&r, "older", 0), 41);
    assert_aero_ok(aero_session_get(S, &k, NULL, 0, &r, &err), &err);
    assert_int_equal(aero_record_int(&r, "double_age", 0), 80);
    /* insert_from fails on an existing bin unless told to ignore the failure */
    w = aero_session_update(S, &k);
    aero_write_insert_from(w, "double_age", "$.age * 3", 0);
    assert_int_not_equal(aero_write_execute(w, NULL, &err), AERO_OK);
    w = aero_session_update(S, &k);
    aero_write_insert_from(w, "double_age", "$.age * 3", AERO_EXP_IGNORE_OP_FAILURE);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    assert_aero_ok(aero_session_get(S, &k, NULL, 0, &r, &err), &err);
    assert_int_equal(aero_record_int(&r, "double_age", 0), 80);
    aero_record_dispose(&r);
}

/* An operate with an expression write of a bin and then a read of it: the
   server answers both ops (nil, then the value); the read's value is the bin's. */
static void test_write_and_read_of_one_bin(void **state) {
    aero_error err;
    aero_key k = rec_key(41); /* age 41 */
    aero_exp *t = aero_exp_add(2, aero_exp_bin_int("age"), aero_exp_int(1));
    aero_expr *plus1 = aero_exp_build(t, &err);
    assert_non_null(plus1);
    aero_record r;
    aero_record_init(&r);
    aero_write *w = aero_session_update(S, &k);
    aero_write_upsert_from_expr(w, "c", plus1, 0);
    aero_write_bin_get(w, "c");
    aero_write_select_from_expr(w, "c2", plus1, 0);
    assert_aero_ok(aero_write_execute(w, &r, &err), &err);
    assert_int_equal(aero_record_int(&r, "c", 0), 42);
    assert_int_equal(aero_record_count(&r, "c"), 2);
    assert_int_equal(aero_record_get_nth(&r, "c", 0)->type, AERO_NIL);
    assert_int_equal(aero_record_get_nth(&r, "c", 1)->v.i, 42);
    assert_int_equal(aero_record_int(&r, "c2", 0), 42);
    /* update_from_expr / insert_from_expr: the bin exists now */
    w = aero_session_update(S, &k);
    aero_write_update_from_expr(w, "c", plus1, 0);
    aero_write_insert_from_expr(w, "c3", plus1, 0);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    assert_aero_ok(aero_session_get(S, &k, NULL, 0, &r, &err), &err);
    assert_int_equal(aero_record_int(&r, "c3", 0), 42);
    /* a projection with a built expression, point read */
    aero_query *q = aero_session_query_key(S, &k);
    aero_query_select_from_expr(q, "next", plus1, 0);
    aero_stream *st = aero_query_execute(q, &err);
    const aero_record *row;
    assert_aero_ok(aero_stream_first_or_raise(st, &row, &err), &err);
    assert_int_equal(aero_record_int(row, "next", 0), 42);
    aero_stream_close(st);
    /* a NULL expression is refused at execute */
    w = aero_session_update(S, &k);
    aero_write_upsert_from_expr(w, "c", NULL, 0);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_ERR_PARAM);
    /* clean up the extra bins */
    w = aero_session_update(S, &k);
    aero_write_bin_remove(w, "c");
    aero_write_bin_remove(w, "c3");
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    aero_expr_free(plus1);
    aero_record_dispose(&r);
}

/* Whether the server the client talks to is older than 8.1.2 (info build). */
static bool server_before_8_1_2(aero_client *c) {
    char build[64];
    aero_error err;
    assert_aero_ok(aero_client_info(c, "build", build, sizeof build, &err), &err);
    unsigned v[3] = { 0, 0, 0 };
    assert_true(sscanf(build, "%u.%u.%u", &v[0], &v[1], &v[2]) == 3);
    return v[0] != 8 ? v[0] < 8 : v[1] != 1 ? v[1] < 1 : v[2] < 2;
}

/* A dataset query with select_from() refused up front (no rows, no request): older servers cannot run it. */
static void assert_projection_refused(aero_session *s) {
    aero_error err;
    aero_query *q = aero_session_query(s, &g_ds);
    aero_query_select_from(q, "dbl", "$.age * 2", 0);
    assert_null(aero_query_execute(q, &err));
    assert_int_equal(err.code, AERO_ERR_UNSUPPORTED_FEATURE);
    assert_non_null(strstr(err.message, "needs server 8.1.2 or later"));
}

static void test_select_from_projection(void **state) {
    aero_error err;
    /* dataset query: every matching record carries the computed bin only
       (servers before 8.1.2 would stream nothing: refused instead) */
    if (server_before_8_1_2(ENV->client)) {
        assert_projection_refused(S);
    } else {
        aero_query *q = aero_session_query(S, &g_ds);
        aero_query_where(q, "$.age >= 50");
        aero_query_select_from(q, "dbl", "$.age * 2", 0);
        aero_stream *st = aero_query_execute(q, &err);
        assert_non_null(st);
        int n = 0;
        for (const aero_record *r; (r = aero_stream_next(st, &err));) {
            int64_t dbl = aero_record_int(r, "dbl", -1);
            assert_true(dbl >= 100 && dbl % 2 == 0);
            assert_null(aero_record_get(r, "status"));
            n++;
        }
        assert_int_equal(err.code, AERO_OK);
        assert_int_equal(n, N_RECORDS - 50);
        aero_stream_close(st);
    }
    aero_query *q;
    aero_stream *st;
    /* point read and batch read */
    aero_key k = rec_key(12);
    q = aero_session_query_key(S, &k);
    aero_query_select_from(q, "next", "$.age + 1", 0);
    st = aero_query_execute(q, &err);
    const aero_record *r;
    assert_aero_ok(aero_stream_first_or_raise(st, &r, &err), &err);
    assert_int_equal(aero_record_int(r, "next", 0), 13);
    aero_stream_close(st);
    aero_key keys[] = { rec_key(1), rec_key(2) };
    q = aero_session_query_keys(S, keys, 2);
    aero_query_select_from(q, "next", "$.age + 1", 0);
    st = aero_query_execute(q, &err);
    assert_non_null(st);
    int64_t want = 2;
    while ((r = aero_stream_next(st, &err)))
        assert_int_equal(aero_record_int(r, "next", 0), want++);
    assert_int_equal(want, 4);
    aero_stream_close(st);
    /* misuse is reported at execute */
    const char *bins[] = { "age" };
    q = aero_session_query(S, &g_ds);
    aero_query_bins(q, bins, 1);
    aero_query_select_from(q, "x", "$.age", 0);
    assert_null(aero_query_execute(q, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    q = aero_session_query(S, &g_ds);
    aero_query_select_from(q, "x", "$.age +", 0);
    assert_null(aero_query_execute(q, &err));
    assert_int_equal(err.code, AERO_ERR_AEL);
}

/* A cluster whose node reports build 8.1.1.2: the projection is refused, plain queries still run. */
static void test_select_from_refused_before_8_1_2(void **state) {
    if (ENV->real) {
        skip(); /* test_select_from_projection covers a real server of either version */
        return;
    }
    aero_testserver_config cfg;
    aero_testserver_config_init(&cfg);
    cfg.build = "8.1.1.2";
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    assert_non_null(ts);
    aero_client *c = aero_client_connect(aero_testserver_seeds(ts), NULL, &err);
    assert_non_null(c);
    aero_session *s = aero_client_create_session(c, &AERO_BEHAVIOR_DEFAULT, &err);
    assert_non_null(s);
    assert_true(server_before_8_1_2(c));
    assert_projection_refused(s);
    aero_query *q = aero_session_query(s, &g_ds);
    aero_stream *st = aero_query_execute(q, &err);
    assert_non_null(st);
    assert_null(aero_stream_next(st, &err));
    assert_int_equal(err.code, AERO_OK);
    aero_stream_close(st);
    aero_session_free(s);
    aero_client_close(c);
    aero_testserver_stop(ts);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_returns_every_record_once),
        cmocka_unit_test(test_scan_projection_and_no_bins),
        cmocka_unit_test(test_projection_of_a_missing_bin),
        cmocka_unit_test(test_max_records_caps_the_stream),
        cmocka_unit_test(test_chunks_resume_without_skip_or_repeat),
        cmocka_unit_test(test_partition_range),
        cmocka_unit_test(test_close_early_leaves_client_healthy),
        cmocka_unit_test(test_where_on_query),
        cmocka_unit_test(test_where_on_point_read),
        cmocka_unit_test(test_where_on_write),
        cmocka_unit_test(test_expression_operations),
        cmocka_unit_test(test_write_and_read_of_one_bin),
        cmocka_unit_test(test_select_from_projection),
        cmocka_unit_test(test_select_from_refused_before_8_1_2),
    };
    return cmocka_run_group_tests_name("query", tests, setup, teardown);
}
