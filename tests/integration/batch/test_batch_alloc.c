/*
 * test_batch_alloc.c - a warm batch allocates nothing on the caller's thread
 * (issue 11: "no allocation per row once warm"): the client recycles batch
 * builders with their rows, record buffers and the engine's scratch, and a
 * stream of batch rows lives inside its builder. Counted with
 * --wrap=malloc/calloc/realloc on this thread only (the tend thread and an
 * in-process test server allocate as they like). Against a real cluster too
 * (AERO_HOSTS): a single-node batch runs on the caller's thread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

#include "alloc_count.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)
#define N   100

static aero_key keys[N];

/* One batch read of every key through a stream; rows counted. */
static size_t read_stream(aero_session *s) {
    aero_error err;
    aero_stream *st = aero_batch_execute(aero_batch_read_keys(aero_session_batch(s), keys, N), &err);
    size_t n = 0;
    for (const aero_record *r; st && (r = aero_stream_next(st, &err));)
        n += r->result == AERO_OK && aero_record_get(r, "v") != NULL;
    aero_stream_close(st);
    return n;
}

static void count_row(void *ctx, const aero_record *row) { *(size_t *)ctx += row->result == AERO_OK; }

/* One batch upsert of every key (one command, REPEAT rows), rows counted by callback. */
static size_t write_each(aero_session *s, int64_t v) {
    aero_error err;
    aero_batch *b = aero_session_batch(s);
    aero_write_bin_set_int(aero_batch_upsert_keys(b, keys, N), "v", v);
    size_t n = 0;
    aero_status st = aero_batch_execute_each(b, count_row, &n, &err);
    return st == AERO_OK ? n : 0;
}

static void test_warm_batches_do_not_allocate(void **state) {
    for (int i = 0; i < N; i++) {
        char name[16];
        snprintf(name, sizeof name, "alloc%d", i);
        keys[i] = it_key(ENV, name);
    }
    for (int round = 0; round < 3; round++) { /* warm: builders, rows and buffers reach their size */
        assert_int_equal(write_each(S, round), N);
        assert_int_equal(read_stream(S), N);
    }
    allocs = 0;
    counting = true;
    size_t written = 0, read = 0;
    for (int round = 0; round < 10; round++) {
        written += write_each(S, 100 + round);
        read += read_stream(S);
    }
    counting = false;
    assert_int_equal(written, 10 * N);
    assert_int_equal(read, 10 * N);
    if (allocs)
        fail_msg("%lu allocations in 20 warm batches of %d rows", allocs, N);
}

/* The recycled builder must not leak one batch's rows or settings into the next. */
static void test_recycled_builder_starts_clean(void **state) {
    aero_error err;
    aero_key missing = it_key(ENV, "alloc-missing");
    aero_write_execute(aero_session_delete(S, &missing), NULL, &err);
    aero_batch *b = aero_session_batch(S);
    aero_batch_respond_all_keys(aero_batch_read_keys(b, keys, N));
    aero_batch_read(b, &missing);
    aero_stream *st = aero_batch_execute(b, &err);
    assert_non_null(st);
    size_t rows = 0;
    while (aero_stream_next(st, &err))
        rows++;
    assert_int_equal(rows, N + 1); /* respond_all_keys: the missing key has its row */
    aero_stream_close(st);
    /* next builder (the same one, recycled): no respond_all, two rows, the missing one dropped */
    b = aero_session_batch(S);
    aero_batch_read(b, &keys[0]);
    aero_batch_read(b, &missing);
    st = aero_batch_execute(b, &err);
    assert_non_null(st);
    const aero_record *r = aero_stream_next(st, &err);
    assert_non_null(r);
    assert_int_equal(r->result, AERO_OK);
    assert_int_equal(r->index, 0);
    assert_non_null(aero_record_get(r, "v"));
    assert_null(aero_stream_next(st, &err));
    aero_stream_close(st);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_warm_batches_do_not_allocate),
        cmocka_unit_test(test_recycled_builder_starts_clean),
    };
    return cmocka_run_group_tests(tests, it_setup, it_teardown);
}
