/*
 * test_batch.c - the batch builder (aero/batch.h) through the public API,
 * against aero-testserver or a real cluster (AERO_TEST_HOSTS): rows of every
 * kind with the server's per-row result codes, the SDK's stream outcomes,
 * where() per row, generation and TTL per row, many keys with one command,
 * rows handed over by callback. Run with the argument "cluster" (test server
 * only): a 3-node cluster with a node that fails in the middle of a batch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <aero/cluster.h>
#include <aero/testserver.h>

#include <stdio.h>

#include "harness.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)

static void del(aero_session *s, const aero_key *k) {
    aero_error err;
    assert_int_equal(aero_write_execute(aero_session_delete(s, k), NULL, &err), AERO_OK);
}

static void put_int(aero_session *s, const aero_key *k, const char *bin, int64_t v) {
    aero_error err;
    aero_write *w = aero_session_upsert(s, k);
    aero_write_bin_set_int(w, bin, v);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_OK);
}

/* Collect a stream into rows (caller frees). */
static aero_record *collect(aero_stream *st, size_t *n) {
    aero_error err;
    assert_non_null(st);
    aero_record *rows = NULL;
    assert_int_equal(aero_stream_collect(st, &rows, n, &err), AERO_OK);
    aero_stream_close(st);
    return rows;
}

static void test_mixed_rows_and_outcomes(void **state) {
    aero_error err;
    aero_key k[6] = { it_key(ENV, "m0"), it_key(ENV, "m1"), it_key(ENV, "m2"),
                      it_key(ENV, "m3"), it_key(ENV, "m4"), it_key(ENV, "m5") };
    for (int i = 0; i < 6; i++)
        del(S, &k[i]);
    put_int(S, &k[0], "a", 1);

    aero_batch *b = aero_session_batch(S);
    aero_write_bin_set_int(aero_batch_upsert(b, &k[1]), "a", 11);           /* 0: OK */
    aero_write_bin_set_int(aero_batch_insert(b, &k[0]), "a", 99);           /* 1: KEY_EXISTS */
    aero_write_bin_increment_int(aero_batch_update(b, &k[2]), "a", 1);      /* 2: KEY_NOT_FOUND row */
    aero_batch_delete(b, &k[3]);                                            /* 3: missing, left out */
    aero_batch_read(b, &k[0]);                                              /* 4: bins */
    aero_batch_exists(b, &k[1]);                                            /* 5: exists (written by row 0) */
    aero_batch_read(b, &k[4]);                                              /* 6: missing, left out */
    aero_write_bin_set_int(aero_batch_replace_if_exists(b, &k[5]), "a", 1); /* 7: KEY_NOT_FOUND row */
    aero_batch_touch(b, &k[5]);                                             /* 8: missing, left out */
    size_t n;
    aero_record *rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, 6);
    int32_t want_index[] = { 0, 1, 2, 4, 5, 7 };
    aero_status want_rc[] = { AERO_OK, AERO_ERR_KEY_EXISTS,   AERO_ERR_KEY_NOT_FOUND, AERO_OK,
                              AERO_OK, AERO_ERR_KEY_NOT_FOUND };
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].index, want_index[i]); /* input order */
        assert_int_equal(rows[i].result, want_rc[i]);
        assert_false(rows[i].in_doubt);
    }
    assert_int_equal(aero_record_int(&rows[3], "a", 0), 1);
    assert_int_equal(rows[3].generation, 1);
    assert_int_equal(rows[4].n_bins, 0);
    aero_records_free(rows, n);

    /* the writes happened: insert did not overwrite, upsert created */
    aero_record r;
    aero_record_init(&r);
    assert_int_equal(aero_session_get(S, &k[0], NULL, 0, &r, &err), AERO_OK);
    assert_int_equal(aero_record_int(&r, "a", 0), 1);
    assert_int_equal(aero_session_get(S, &k[1], NULL, 0, &r, &err), AERO_OK);
    assert_int_equal(aero_record_int(&r, "a", 0), 11);
    aero_record_dispose(&r);

    /* respond_all_keys: the missing rows are there too */
    b = aero_session_batch(S);
    aero_batch_respond_all_keys(b);
    aero_batch_read(b, &k[4]);
    aero_batch_exists(b, &k[0]);
    aero_batch_delete(b, &k[3]);
    rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].result, AERO_ERR_KEY_NOT_FOUND);
    assert_int_equal(rows[1].result, AERO_OK);
    assert_int_equal(rows[2].result, AERO_ERR_KEY_NOT_FOUND);
    aero_records_free(rows, n);
    for (int i = 0; i < 6; i++)
        del(S, &k[i]);
}

static void test_where_generation_ttl_per_row(void **state) {
    aero_error err;
    aero_key k[3] = { it_key(ENV, "w0"), it_key(ENV, "w1"), it_key(ENV, "w2") };
    for (int i = 0; i < 3; i++) {
        del(S, &k[i]);
        put_int(S, &k[i], "age", 10 + i * 10); /* 10, 20, 30 */
    }
    aero_batch *b = aero_session_batch(S);
    aero_batch_read(b, &k[0]);
    aero_batch_where(b, "$.age > 15"); /* 0: filtered out, left out */
    aero_batch_read(b, &k[1]);
    aero_batch_where(b, "$.age > 15"); /* 1: OK */
    aero_write *w = aero_batch_update(b, &k[2]);
    aero_write_bin_set_int(w, "age", 31);
    aero_write_where(w, "$.age < 15");
    aero_write_fail_on_filtered_out(w); /* 2: FILTERED_OUT row */
    w = aero_batch_update(b, &k[0]);
    aero_write_bin_set_int(w, "age", 11);
    aero_write_ensure_generation_is(w, 5); /* 3: GENERATION */
    w = aero_batch_update(b, &k[1]);
    aero_write_bin_set_int(w, "age", 21);
    aero_write_ensure_generation_is(w, 1);
    aero_write_expire_after_seconds(w, 5000); /* 4: OK, TTL 5000 */
    aero_write_bin_get(w, "age");
    size_t n;
    aero_record *rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, 4);
    assert_int_equal(rows[0].index, 1);
    assert_int_equal(rows[0].result, AERO_OK);
    assert_int_equal(aero_record_int(&rows[0], "age", 0), 20);
    assert_int_equal(rows[1].index, 2);
    assert_int_equal(rows[1].result, AERO_ERR_FILTERED_OUT);
    assert_int_equal(rows[2].index, 3);
    assert_int_equal(rows[2].result, AERO_ERR_GENERATION);
    assert_int_equal(rows[3].index, 4);
    assert_int_equal(rows[3].result, AERO_OK);
    assert_int_equal(rows[3].generation, 2);
    assert_true(rows[3].ttl > 4900 && rows[3].ttl <= 5000);
    assert_int_equal(aero_record_int(&rows[3], "age", 0), 21);
    aero_records_free(rows, n);
    for (int i = 0; i < 3; i++)
        del(S, &k[i]);
}

static int64_t key_base(void) { return ((int64_t)getpid() % 100000) * 100000 + 7000; }

static void test_many_keys_one_command(void **state) {
    aero_error err;
    enum { N = 300 };
    aero_key *keys = calloc(N, sizeof *keys);
    assert_non_null(keys);
    aero_dataset_ids_int_range(&ENV->ds, key_base(), N, keys);
    aero_batch *b = aero_session_batch(S);
    aero_write *w = aero_batch_upsert_keys(b, keys, N);
    aero_write_bin_set_int(w, "n", 7);
    aero_write_bin_set_str(w, "s", "same");
    size_t n;
    aero_record *rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, N);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].index, (int32_t)i);
        assert_int_equal(rows[i].result, AERO_OK);
    }
    aero_records_free(rows, n);

    b = aero_session_batch(S);
    aero_batch_read_keys(b, keys, N);
    rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, N);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(aero_record_int(&rows[i], "n", 0), 7);
        assert_string_equal(aero_record_str(&rows[i], "s"), "same");
    }
    aero_records_free(rows, n);

    aero_write_bin_increment_int(aero_batch_update_keys(b = aero_session_batch(S), keys, N / 2), "n", 1);
    aero_batch_touch_keys(b, keys + N / 2, N / 2);
    rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, N);
    aero_records_free(rows, n);

    aero_batch_delete_keys(b = aero_session_batch(S), keys, N / 3);
    rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, N / 3);
    aero_records_free(rows, n);

    b = aero_session_batch(S);
    aero_batch_exists_keys(b, keys, N);
    rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, N - N / 3); /* the deleted ones are left out */
    assert_int_equal(rows[0].index, N / 3);
    aero_records_free(rows, n);

    b = aero_session_batch(S);
    aero_batch_read_keys(b, keys, N);
    rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, N - N / 3);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(aero_record_int(&rows[i], "n", 0), rows[i].index < N / 2 ? 8 : 7);
    aero_records_free(rows, n);
    aero_batch_delete_keys(b = aero_session_batch(S), keys, N);
    rows = collect(aero_batch_execute(b, &err), &n);
    aero_records_free(rows, n);
    free(keys);
}

typedef struct seen {
    int count;
    int ok;
    unsigned char got[64];
} seen;

static void on_row(void *ctx, const aero_record *row) {
    seen *s = ctx;
    s->count++;
    if (row->index >= 0 && row->index < 64)
        s->got[row->index]++;
    if (row->result == AERO_OK)
        s->ok++;
}

static void test_rows_by_callback(void **state) {
    aero_error err;
    aero_key keys[40];
    aero_dataset_ids_int_range(&ENV->ds, key_base() + 500, 40, keys);
    aero_batch *b = aero_session_batch(S);
    aero_write_bin_set_int(aero_batch_replace_keys(b, keys, 40), "v", 1);
    seen s;
    memset(&s, 0, sizeof s);
    assert_int_equal(aero_batch_execute_each(b, on_row, &s, &err), AERO_OK);
    assert_int_equal(s.count, 40);
    assert_int_equal(s.ok, 40);
    for (int i = 0; i < 40; i++)
        assert_int_equal(s.got[i], 1);
    memset(&s, 0, sizeof s);
    b = aero_session_batch(S);
    aero_batch_delete_keys(b, keys, 20);
    aero_batch_read_keys(b, keys, 40); /* rows 40..79: the first 20 are gone by then or not: no order across rows */
    assert_int_equal(aero_batch_execute_each(b, on_row, &s, &err), AERO_OK);
    assert_true(s.count >= 20 + 20 && s.count <= 20 + 40);
    aero_batch_delete_keys(b = aero_session_batch(S), keys, 40);
    assert_int_equal(aero_batch_execute_each(b, on_row, &s, &err), AERO_OK);
}

static void test_misuse_is_reported_before_sending(void **state) {
    aero_error err;
    aero_key k = it_key(ENV, "bad");
    aero_batch *b = aero_session_batch(S);
    aero_batch_read(b, &k);
    aero_write_bin_set_int(aero_batch_upsert(b, &k), "a_bin_name_too_long", 1);
    assert_null(aero_batch_execute(b, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "row 1"));
    /* the row's builder refuses to run alone */
    b = aero_session_batch(S);
    aero_write *w = aero_batch_upsert(b, &k);
    aero_write_bin_set_int(w, "a", 1);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_ERR_PARAM);
    aero_batch_abandon(b);
    assert_null(aero_batch_execute(aero_session_batch(S), &err)); /* no rows */
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_null(aero_batch_execute(NULL, &err));
    assert_int_equal(aero_batch_where(aero_session_batch(NULL), "$.a == 1") == NULL, 1);
}

/* ---- a 3-node test cluster with a node failing mid-batch (test server only) ---- */

typedef struct cl_env {
    aero_testserver *ts;
    aero_client *client;
    aero_session *session;
    aero_dataset ds;
    aero_key keys[600];
} cl_env;

#define CL   ((cl_env *)*state)
#define CL_N 600

static void sleep_ms(unsigned ms) { usleep(ms * 1000u); }

/* Wait until the client sees `nodes` nodes holding every partition twice. */
static bool wait_nodes(aero_client *c, uint32_t nodes) {
    aero_cluster_stats *st = malloc(sizeof *st);
    aero_cluster_stats_init(st);
    bool ok = false;
    for (int t = 0; t < 1000 && !ok; t++) {
        if (aero_client_stats(c, st, NULL) == AERO_OK && st->n_nodes == nodes) {
            uint32_t parts = 0;
            for (uint32_t i = 0; i < st->n_node_stats; i++)
                parts += st->nodes[i].partitions;
            ok = parts == 4096u * 2;
        }
        if (!ok)
            sleep_ms(5);
    }
    free(st);
    return ok;
}

static int cl_setup(void **state) {
    cl_env *e = calloc(1, sizeof *e);
    aero_testserver_config tc;
    aero_testserver_config_init(&tc);
    tc.nodes = 3;
    tc.replication_factor = 2;
    aero_error err;
    e->ts = aero_testserver_start(&tc, &err);
    if (!e->ts)
        return -1;
    aero_client_config cfg;
    aero_client_config_init(&cfg);
    cfg.tend_interval_ms = 1000; /* the client only learns of a change when a retry asks for a tend */
    e->client = aero_client_connect(aero_testserver_seeds(e->ts), &cfg, &err);
    if (!e->client || !wait_nodes(e->client, 3))
        return -1;
    e->session = aero_client_create_session(e->client, NULL, &err);
    e->ds = aero_dataset_of("test", "batch_cluster");
    aero_dataset_ids_int_range(&e->ds, 1, CL_N, e->keys);
    *state = e;
    return e->session ? 0 : -1;
}

static int cl_teardown(void **state) {
    cl_env *e = *state;
    aero_session_free(e->session);
    aero_client_close(e->client);
    aero_testserver_stop(e->ts);
    free(e);
    return 0;
}

static uint64_t retries(aero_client *c) {
    aero_cluster_stats *st = malloc(sizeof *st);
    aero_cluster_stats_init(st);
    assert_int_equal(aero_client_stats(c, st, NULL), AERO_OK);
    uint64_t r = st->retries;
    free(st);
    return r;
}

/* Write every key with v = value; the rows answered OK and in doubt are counted. */
static void write_all(void **state, int64_t value, size_t *ok, size_t *doubt) {
    aero_error err;
    aero_batch *b = aero_session_batch(CL->session);
    aero_write_bin_set_int(aero_batch_upsert_keys(b, CL->keys, CL_N), "v", value);
    size_t n;
    aero_record *rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, CL_N);
    *ok = *doubt = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].index, (int32_t)i);
        if (rows[i].result == AERO_OK) {
            assert_false(rows[i].in_doubt);
            (*ok)++;
        } else if (rows[i].in_doubt)
            (*doubt)++;
        else if (getenv("BATCH_DEBUG"))
            fprintf(stderr, "row %zu: %s\n", i, aero_status_str(rows[i].result));
    }
    aero_records_free(rows, n);
}

static void read_all(void **state, int64_t value) {
    aero_error err;
    aero_batch *b = aero_session_batch(CL->session);
    aero_batch_read_keys(b, CL->keys, CL_N);
    size_t n;
    aero_record *rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, CL_N);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].result, AERO_OK);
        assert_int_equal(aero_record_int(&rows[i], "v", 0), value);
    }
    aero_records_free(rows, n);
}

static void test_cluster_node_fails_mid_batch(void **state) {
    aero_error err;
    size_t ok, doubt;
    write_all(state, 1, &ok, &doubt);
    assert_int_equal(ok, CL_N);
    read_all(state, 1);

    /* node 1 drops a read batch half-way: its rows are asked again, nothing is lost or repeated */
    uint64_t r0 = retries(CL->client);
    assert_int_equal(aero_testserver_inject(CL->ts, 1, AERO_TS_FAULT_CLOSE_MID, 0, 1, &err), AERO_OK);
    read_all(state, 1);
    assert_true(retries(CL->client) > r0);

    /* a write batch that node 1 drops half-way: its rows are in doubt (writes are not retried), the others are done */
    assert_int_equal(aero_testserver_inject(CL->ts, 1, AERO_TS_FAULT_CLOSE_MID, 0, 1, &err), AERO_OK);
    write_all(state, 2, &ok, &doubt);
    assert_true(doubt > 0 && doubt < CL_N / 2);
    assert_int_equal(ok + doubt, CL_N);

    /*
     * node 2 stops: the client still routes to it. Rows that could not be
     * sent go to the new owners after a fresh map; rows sent on a pooled
     * connection the stop cut are in doubt. A read then finds every row.
     */
    assert_int_equal(aero_testserver_node_stop(CL->ts, 2, &err), AERO_OK);
    write_all(state, 3, &ok, &doubt);
    assert_int_equal(ok + doubt, CL_N);
    assert_true(ok >= CL_N / 2);
    write_all(state, 4, &ok, &doubt);
    assert_int_equal(ok, CL_N);
    read_all(state, 4);
    assert_int_equal(aero_testserver_node_start(CL->ts, 2, &err), AERO_OK);
}

/* With write retries allowed, a dropped idempotent write row is resent; an increment never is. */
static void test_cluster_write_retries(void **state) {
    aero_error err;
    aero_behavior bh = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "batch-write-retries");
    bh.writes_batch.max_retries = 2;
    aero_session *rs = aero_client_create_session(CL->client, &bh, &err);
    assert_non_null(rs);
    aero_session *plain = CL->session;
    CL->session = rs;
    size_t ok, doubt;
    write_all(state, 10, &ok, &doubt);
    assert_int_equal(ok, CL_N);
    assert_int_equal(aero_testserver_inject(CL->ts, 0, AERO_TS_FAULT_CLOSE_MID, 0, 1, &err), AERO_OK);
    write_all(state, 11, &ok, &doubt); /* the dropped rows went again */
    assert_int_equal(ok, CL_N);
    read_all(state, 11);

    assert_int_equal(aero_testserver_inject(CL->ts, 0, AERO_TS_FAULT_CLOSE_MID, 0, 1, &err), AERO_OK);
    aero_batch *b = aero_session_batch(rs);
    aero_write_bin_increment_int(aero_batch_update_keys(b, CL->keys, CL_N), "v", 1);
    size_t n;
    aero_record *rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, CL_N);
    bool *sure = calloc(CL_N, sizeof *sure);
    size_t dropped = 0;
    for (size_t i = 0; i < n; i++) {
        sure[i] = rows[i].result == AERO_OK;
        dropped += rows[i].in_doubt;
        assert_true(sure[i] != rows[i].in_doubt);
    }
    assert_true(dropped > 0);
    aero_records_free(rows, n);
    b = aero_session_batch(rs);
    aero_batch_read_keys(b, CL->keys, CL_N);
    rows = collect(aero_batch_execute(b, &err), &n);
    for (size_t i = 0; i < n; i++) {
        int64_t v = aero_record_int(&rows[i], "v", 0);
        if (sure[i])
            assert_int_equal(v, 12); /* applied once: never resent */
        else
            assert_true(v == 11 || v == 12);
    }
    aero_records_free(rows, n);
    free(sure);
    CL->session = plain;
    aero_session_free(rs);
}

/*
 * Node 0 stalls: the other nodes' answers, which arrive while it is silent,
 * are read and kept (the sockets are waited on together); only node 0's
 * write rows time out, in doubt (writes are not retried by default).
 */
static void test_cluster_stalled_node_does_not_hold_others(void **state) {
    aero_error err;
    aero_behavior bh = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "batch-stall");
    bh.writes_batch.socket_timeout_ms = 300;
    bh.writes_batch.total_timeout_ms = 300;
    aero_session *ss = aero_client_create_session(CL->client, &bh, &err);
    assert_non_null(ss);
    aero_session *plain = CL->session;
    CL->session = ss;
    assert_int_equal(aero_testserver_inject(CL->ts, 0, AERO_TS_FAULT_STALL, 0, 1, &err), AERO_OK);
    size_t ok, doubt;
    write_all(state, 20, &ok, &doubt);
    assert_int_equal(aero_testserver_inject(CL->ts, 0, AERO_TS_FAULT_NONE, 0, 0, &err), AERO_OK);
    assert_int_equal(ok + doubt, CL_N);
    assert_true(doubt > 0);      /* node 0's rows */
    assert_true(ok >= CL_N / 2); /* nodes 1 and 2 answered while node 0 was silent */
    CL->session = plain;
    aero_session_free(ss);
    write_all(state, 21, &ok, &doubt);
    assert_int_equal(ok, CL_N);
}

static void test_cluster_concurrency_bound(void **state) {
    aero_error err;
    /* one node at a time gives the same rows as all at once */
    aero_batch *b = aero_session_batch(CL->session);
    aero_batch_max_concurrent_nodes(b, 1);
    aero_batch_read_keys(b, CL->keys, CL_N);
    size_t n;
    aero_record *rows = collect(aero_batch_execute(b, &err), &n);
    assert_int_equal(n, CL_N);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rows[i].index, (int32_t)i);
    aero_records_free(rows, n);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "cluster") == 0) {
        if (it_hosts()) {
            fprintf(stderr, "the cluster batch tests need the test server (skipped)\n");
            return 77;
        }
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_cluster_node_fails_mid_batch),
            cmocka_unit_test(test_cluster_write_retries),
            cmocka_unit_test(test_cluster_stalled_node_does_not_hold_others),
            cmocka_unit_test(test_cluster_concurrency_bound),
        };
        return cmocka_run_group_tests_name("integration-batch-cluster", tests, cl_setup, cl_teardown);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed_rows_and_outcomes),
        cmocka_unit_test(test_where_generation_ttl_per_row),
        cmocka_unit_test(test_many_keys_one_command),
        cmocka_unit_test(test_rows_by_callback),
        cmocka_unit_test(test_misuse_is_reported_before_sending),
    };
    return cmocka_run_group_tests_name("integration-batch", tests, it_setup, it_teardown);
}
