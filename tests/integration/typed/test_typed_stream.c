/*
 * test_typed_stream.c - typed streams of stream.aero: <record>_stream_next()
 * decodes rows into the struct as they arrive, <record>_scan() and the named
 * queries' _with() take typed query options (aero_schema_query_opts) and every
 * option has its effect: fields limit the decoded bins, max_records caps the
 * rows, records_per_second is accepted, chunks resume to yield every record
 * exactly once, partition ranges split the set into disjoint parts whose union
 * is everything, no_index; a query that uses a declared index keeps using it
 * with options. Rows that do not decode can be skipped. A warm stream
 * allocates nothing per row (malloc counted on this thread through --wrap).
 * Against aero-testserver or AERO_HOSTS; the rows of one run are told apart by
 * their `run` bin.
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
#include "stream.aero.h"

#include "alloc_count.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)
#define N   120

static int64_t run_id;

static char names[N][16];

/* Row i as written: every field follows from seq. */
static reading row_of(int i) {
    reading r = READING_INIT;
    r.run = run_id;
    r.seq = i;
    snprintf(names[i], sizeof names[i], "n%d", i);
    r.name = names[i];
    r.has_value = true;
    r.value = i * 0.5;
    r.has_ok = i % 4 != 3; /* some rows have no ok bin */
    r.ok = i % 2 == 0;
    static uint8_t bytes[4] = { 1, 2, 3, 4 };
    r.has_data = true;
    r.data.ptr = bytes;
    r.data.len = (size_t)(i % 4 + 1);
    r.has_level = i % 3 == 0;
    r.level = i * 10;
    return r;
}

static const char *key_of(void **state, int i) {
    static char k[N][64];
    snprintf(k[i], sizeof k[i], "%s-%d", it_name(ENV, "row"), i);
    return k[i];
}

static int setup_rows(void **state) {
    aero_error err;
    run_id = it_unique_int(ENV, "run");
    for (int i = 0; i < N; i++) {
        reading r = row_of(i);
        if (reading_replace(S, key_of(state, i), &r, &err) != AERO_OK) {
            fprintf(stderr, "write failed: %s\n", err.message);
            return -1;
        }
    }
    return 0;
}

/* Every field of a decoded row against what was written (all bins read). */
static int it_setup_rows(void **state) { return it_setup(state) != 0 ? -1 : setup_rows(state); }

static void check_full(const reading *got) {
    assert_true(got->seq >= 0 && got->seq < N);
    reading want = row_of((int)got->seq);
    assert_int_equal(got->run, run_id);
    assert_string_equal(got->name, want.name);
    assert_true(got->has_value);
    assert_true(got->value == want.value);
    assert_int_equal(got->has_ok, want.has_ok);
    assert_int_equal(got->ok, want.has_ok && want.ok);
    assert_true(got->has_data);
    assert_int_equal(got->data.len, want.data.len);
    assert_memory_equal(got->data.ptr, want.data.ptr, want.data.len);
    assert_int_equal(got->has_level, want.has_level);
    assert_int_equal(got->level, want.has_level ? want.level : 7); /* the schema's default */
}

/* Drain st (a chunk or the whole stream) into seen[], counting rows; every row must be ours; no error. */
static size_t drain(aero_stream *st, unsigned *seen, bool full) {
    aero_error err;
    reading r;
    size_t n = 0;
    while (reading_stream_next(st, &r, &err)) {
        if (r.run != run_id && r.run != 0)
            continue; /* another run's row (a scan of a shared cluster) */
        assert_true(r.seq >= 0 && r.seq < N);
        seen[r.seq]++;
        n++;
        if (full)
            check_full(&r);
    }
    assert_int_equal(err.code, AERO_OK);
    return n;
}

static void assert_each_once(const unsigned *seen) {
    for (int i = 0; i < N; i++)
        assert_int_equal(seen[i], 1);
}

static void test_rows_decode(void **state) {
    aero_error err;
    unsigned seen[N] = { 0 };
    aero_stream *st = reading_of_run_with(S, run_id, NULL, &err);
    assert_non_null(st);
    assert_int_equal(drain(st, seen, true), N);
    aero_stream_close(st);
    assert_each_once(seen);
    /* the plain named query's stream decodes the same way */
    memset(seen, 0, sizeof seen);
    st = reading_of_run(S, run_id, &err);
    assert_non_null(st);
    assert_int_equal(drain(st, seen, true), N);
    aero_stream_close(st);
    assert_each_once(seen);
}

static void test_fields_limit_decoding(void **state) {
    aero_error err;
    aero_schema_query_opts o = AERO_SCHEMA_QUERY_OPTS_INIT;
    const unsigned f[] = { READING_F_SEQ, READING_F_NAME, READING_F_DATA };
    o.fields = f;
    o.n_fields = 3;
    aero_stream *st = reading_of_run_with(S, run_id, &o, &err);
    assert_non_null(st);
    reading r;
    size_t n = 0;
    while (reading_stream_next(st, &r, &err)) {
        n++;
        reading want = row_of((int)r.seq);
        assert_string_equal(r.name, want.name);
        assert_true(r.has_data);
        assert_int_equal(r.data.len, want.data.len);
        assert_int_equal(r.run, 0); /* required but not asked for: INIT, and no error */
        assert_false(r.has_value);
        assert_false(r.has_ok);
        assert_false(r.has_level);
        assert_int_equal(r.level, 7);
    }
    assert_int_equal(err.code, AERO_OK);
    assert_int_equal(n, N);
    aero_stream_close(st);
}

static void test_max_records_and_rps(void **state) {
    aero_error err;
    unsigned seen[N] = { 0 };
    aero_schema_query_opts o;
    aero_schema_query_opts_init(&o);
    o.max_records = 10;
    aero_stream *st = reading_of_run_with(S, run_id, &o, &err);
    assert_non_null(st);
    assert_int_equal(drain(st, seen, true), 10);
    aero_stream_close(st);

    aero_schema_query_opts_init(&o);
    o.records_per_second = 100000;
    memset(seen, 0, sizeof seen);
    st = reading_of_run_with(S, run_id, &o, &err);
    assert_non_null(st);
    assert_int_equal(drain(st, seen, true), N);
    aero_stream_close(st);
    assert_each_once(seen);
}

static void test_chunks_resume(void **state) {
    aero_error err;
    unsigned seen[N] = { 0 };
    aero_schema_query_opts o = AERO_SCHEMA_QUERY_OPTS_INIT;
    o.chunk_size = 25;
    aero_stream *st = reading_of_run_with(S, run_id, &o, &err);
    assert_non_null(st);
    size_t total = 0, chunks = 0;
    while (aero_stream_has_more_chunks(st)) {
        size_t n = drain(st, seen, true);
        assert_true(n <= 25);
        total += n;
        if (n)
            chunks++;
        assert_true(chunks < 100);
    }
    aero_stream_close(st);
    assert_int_equal(total, N);
    assert_true(chunks >= (N + 24) / 25);
    assert_each_once(seen);
}

static void test_partition_ranges(void **state) {
    aero_error err;
    unsigned seen[N] = { 0 };
    size_t total = 0;
    for (uint32_t part = 0; part < 4; part++) {
        aero_schema_query_opts o = AERO_SCHEMA_QUERY_OPTS_INIT;
        o.partition_begin = part * 1024;
        o.partition_count = 1024;
        aero_stream *st = reading_of_run_with(S, run_id, &o, &err);
        assert_non_null(st);
        size_t n = drain(st, seen, true);
        assert_true(n > 0 && n < N); /* 120 keys over 4 ranges: every part has some, none has all */
        total += n;
        aero_stream_close(st);
    }
    assert_int_equal(total, N);
    assert_each_once(seen); /* disjoint, and the union is everything */
}

static void test_scan(void **state) {
    aero_error err;
    unsigned seen[N] = { 0 };
    aero_stream *st = reading_scan(S, NULL, &err);
    assert_non_null(st);
    reading r;
    for (;;) { /* rows of other runs (the bad rows of another test) may fail to decode: skipped */
        bool got = reading_stream_next(st, &r, &err);
        if (!got && err.code == AERO_OK)
            break;
        assert_true(got || err.code == AERO_ERR_BIN_INCOMPATIBLE_TYPE || err.code == AERO_ERR_BIN_NOT_FOUND);
        if (got && r.run == run_id) {
            check_full(&r);
            seen[r.seq]++;
        }
    }
    aero_stream_close(st);
    assert_each_once(seen);
    /* a scan split by partitions covers the same rows once */
    memset(seen, 0, sizeof seen);
    for (uint32_t part = 0; part < 2; part++) {
        aero_schema_query_opts o = AERO_SCHEMA_QUERY_OPTS_INIT;
        const unsigned f[] = { READING_F_RUN, READING_F_SEQ };
        o.fields = f;
        o.n_fields = 2;
        o.partition_begin = part * 2048;
        o.partition_count = 2048;
        st = reading_scan(S, &o, &err);
        assert_non_null(st);
        for (;;) {
            bool got = reading_stream_next(st, &r, &err);
            if (!got && err.code == AERO_OK)
                break;
            assert_true(got || err.code == AERO_ERR_BIN_INCOMPATIBLE_TYPE);
            if (got && r.run == run_id) {
                assert_null(r.name); /* not asked for */
                seen[r.seq]++;
            }
        }
        aero_stream_close(st);
    }
    assert_each_once(seen);
}

/* Rows of another run with a bin of the wrong type and a missing required bin, between good rows. */
static void test_bad_rows_can_be_skipped(void **state) {
    aero_error err;
    int64_t run2 = it_unique_int(ENV, "run-bad");
    aero_dataset ds = aero_dataset_of(READING_NAMESPACE, READING_SET);
    for (int i = 0; i < 4; i++) {
        char k[64];
        snprintf(k, sizeof k, "%s-%d", it_name(ENV, "bad"), i);
        aero_key key = aero_dataset_id_str(&ds, k);
        aero_write *w = aero_session_replace(S, &key);
        aero_write_bin_set_int(w, "run", run2);
        if (i == 1)
            aero_write_bin_set_str(w, "seq", "not an int");
        else
            aero_write_bin_set_int(w, "seq", i);
        if (i != 2)
            aero_write_bin_set_str(w, "name", "x");
        assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    }
    aero_stream *st = reading_of_run_with(S, run2, NULL, &err);
    assert_non_null(st);
    size_t good = 0, incompatible = 0, missing = 0;
    reading r;
    for (int guard = 0; guard < 100; guard++) {
        if (reading_stream_next(st, &r, &err)) {
            assert_int_equal(r.run, run2);
            assert_string_equal(r.name, "x");
            good++;
            continue;
        }
        if (err.code == AERO_OK)
            break;
        if (err.code == AERO_ERR_BIN_INCOMPATIBLE_TYPE)
            incompatible++;
        else if (err.code == AERO_ERR_BIN_NOT_FOUND)
            missing++;
        else
            fail_msg("unexpected error %d: %s", err.code, err.message);
        assert_int_equal(r.run, 0); /* reset to INIT */
        assert_null(r.name);
    }
    aero_stream_close(st);
    assert_int_equal(good, 2);
    assert_int_equal(incompatible, 1);
    assert_int_equal(missing, 1);
    /* asking only for run and seq: the row without a name decodes now */
    aero_schema_query_opts o = AERO_SCHEMA_QUERY_OPTS_INIT;
    const unsigned f[] = { READING_F_RUN, READING_F_SEQ };
    o.fields = f;
    o.n_fields = 2;
    st = reading_of_run_with(S, run2, &o, &err);
    assert_non_null(st);
    good = 0;
    for (int guard = 0; guard < 100; guard++) {
        bool got = reading_stream_next(st, &r, &err);
        if (!got && err.code == AERO_OK)
            break;
        if (got)
            good++;
        else
            assert_int_equal(err.code, AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    }
    aero_stream_close(st);
    assert_int_equal(good, 3);
}

static void test_bad_options(void **state) {
    aero_error err;
    aero_schema_query_opts o = AERO_SCHEMA_QUERY_OPTS_INIT;
    o.version = 99;
    assert_null(reading_of_run_with(S, run_id, &o, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "version 99"));
    aero_schema_query_opts_init(&o);
    const unsigned f[] = { READING_F_SEQ, READING_FIELD_COUNT };
    o.fields = f;
    o.n_fields = 2;
    assert_null(reading_scan(S, &o, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "field number"));
    aero_schema_query_opts_init(&o);
    o.partition_begin = 4000;
    o.partition_count = 200;
    assert_null(reading_of_run_with(S, run_id, &o, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    o.partition_begin = 5;
    o.partition_count = 0;
    assert_null(reading_scan(S, &o, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    reading r;
    assert_false(reading_stream_next(NULL, &r, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
}

static void test_declared_index_with_options(void **state) {
    aero_error err;
    assert_aero_ok(stream_create_indexes(S, &err), &err);
    aero_query_plan plan = AERO_QUERY_PLAN_INIT;
    assert_aero_ok(reading_from_seq_explain(S, 100, run_id, &plan, &err), &err);
    assert_true(plan.uses_index);
    for (int no_index = 0; no_index < 2; no_index++) {
        aero_schema_query_opts o = AERO_SCHEMA_QUERY_OPTS_INIT;
        const unsigned f[] = { READING_F_RUN, READING_F_SEQ };
        o.fields = f;
        o.n_fields = 2;
        o.chunk_size = 7;
        o.no_index = no_index;
        aero_stream *st = reading_from_seq_with(S, 100, run_id, &o, &err);
        assert_non_null(st);
        unsigned seen[N] = { 0 };
        size_t total = 0;
        while (aero_stream_has_more_chunks(st))
            total += drain(st, seen, false);
        aero_stream_close(st);
        assert_int_equal(total, N - 100);
        for (int i = 0; i < N; i++)
            assert_int_equal(seen[i], i >= 100);
    }
}

/* Rows of a warm stream decode without allocating. */
static void test_no_allocation_per_row(void **state) {
    aero_error err;
    for (int round = 0; round < 3; round++) {
        aero_stream *st = reading_of_run_with(S, run_id, NULL, &err);
        assert_non_null(st);
        reading r;
        size_t n = 0;
        unsigned long before = 0;
        while (reading_stream_next(st, &r, &err)) {
            if (++n == 8) { /* the row's buffers and arena are warm by now */
                before = allocs;
                counting = true;
            }
        }
        counting = false;
        assert_int_equal(err.code, AERO_OK);
        assert_int_equal(n, N);
        aero_stream_close(st);
        if (round == 2)
            assert_int_equal(allocs - before, 0);
        else
            allocs = 0;
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_decode),
        cmocka_unit_test(test_fields_limit_decoding),
        cmocka_unit_test(test_max_records_and_rps),
        cmocka_unit_test(test_chunks_resume),
        cmocka_unit_test(test_partition_ranges),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_bad_rows_can_be_skipped),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_declared_index_with_options),
        cmocka_unit_test(test_no_allocation_per_row),
    };
    return cmocka_run_group_tests(tests, it_setup_rows, it_teardown);
}
