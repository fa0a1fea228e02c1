/*
 * test_typed_ops.c - the generated typed operations (ops.aero) against
 * aero-testserver or AERO_HOSTS: every op of every bin type round-trips with
 * typed results, and every typed write option has an effect one can observe
 * (TTL read back, a wrong generation refused, a where that filters out,
 * durable delete, send key), plus the misuses execute reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "ops.aero.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)

static void drop(void **state, const char *k) {
    aero_error err;
    assert_aero_ok(acct_delete(S, k, NULL, &err), &err);
}

/* A record with owner and balance, written with the plain typed upsert. */
static void put_acct(void **state, const char *k, const char *owner, int64_t balance) {
    aero_error err;
    acct a = ACCT_INIT;
    a.owner = owner;
    a.has_balance = true;
    a.balance = balance;
    assert_aero_ok(acct_upsert(S, k, &a, &err), &err);
}

/* The record as the generic API reads it (bins, generation, TTL); rec must be initialised. */
static void raw_get(void **state, const char *k, aero_record *rec) {
    aero_error err;
    aero_key ak = acct_key(k);
    assert_aero_ok(aero_session_get(S, &ak, NULL, 0, rec, &err), &err);
}

static void test_scalar_ops(void **state) {
    const char *k = it_name(ENV, "scalar");
    aero_error err;
    aero_record holder;
    aero_record_init(&holder);
    static const uint8_t pic[] = { 0x00, 0x01, 0xfe, 0xff };
    aero_bytes photo = { pic, sizeof pic }, photo_out = { NULL, 0 };
    int64_t balance = 0;
    double rate = 0;
    const char *owner = NULL;

    acct_ops *ops = acct_operate(S, k);
    assert_non_null(ops);
    acct_ops_owner_set(ops, "ann");
    acct_ops_owner_append(ops, "-x");
    acct_ops_owner_prepend(ops, "dr-");
    acct_ops_owner_get(ops, &owner);
    acct_ops_balance_set(ops, 10);
    acct_ops_balance_increment(ops, 5);
    acct_ops_balance_get(ops, &balance);
    acct_ops_rate_set(ops, 1.5);
    acct_ops_rate_increment(ops, 0.25);
    acct_ops_rate_get(ops, &rate);
    acct_ops_photo_set(ops, photo);
    acct_ops_photo_get(ops, &photo_out);
    assert_aero_ok(acct_ops_execute(ops, NULL, &holder, &err), &err);
    assert_string_equal(owner, "dr-ann-x");
    assert_int_equal(balance, 15);
    assert_true(rate == 1.75);
    assert_int_equal(photo_out.len, sizeof pic);
    assert_memory_equal(photo_out.ptr, pic, sizeof pic);

    /* what was stored, read back with the typed get */
    acct a;
    aero_record h2;
    aero_record_init(&h2);
    assert_aero_ok(acct_get(S, k, &a, &h2, &err), &err);
    assert_string_equal(a.owner, "dr-ann-x");
    assert_int_equal(a.balance, 15);
    assert_true(a.rate == 1.75);

    /* a second operate on the same holder: reads only; increments again */
    ops = acct_operate(S, k);
    acct_ops_balance_increment(ops, -20);
    acct_ops_balance_get(ops, &balance);
    acct_ops_owner_get(ops, &owner);
    assert_aero_ok(acct_ops_execute(ops, NULL, &holder, &err), &err);
    assert_int_equal(balance, -5);
    assert_string_equal(owner, "dr-ann-x");

    aero_record_dispose(&h2);
    aero_record_dispose(&holder);
    drop(state, k);
}

static void test_list_ops(void **state) {
    const char *k = it_name(ENV, "list");
    aero_error err;
    aero_record holder;
    aero_record_init(&holder);
    put_acct(state, k, "bo", 1);

    static const int64_t more[] = { 2, 3, 4 };
    aero_list_int items = { more, 3 };
    int64_t n = -1, at1 = -1, popped = -1, n_after = -1, first = -1, last = -1;
    bool found_at1 = false, found_pop = false, found_first = false, found_last = false;
    acct_ops *ops = acct_operate(S, k);
    acct_ops_visits_append(ops, 1);            /* [1] */
    acct_ops_visits_append_items(ops, &items); /* [1,2,3,4] */
    acct_ops_visits_insert(ops, 0, 0);         /* [0,1,2,3,4] */
    acct_ops_visits_size(ops, &n);             /* 5 */
    acct_ops_visits_get(ops, 1, &at1, &found_at1);
    acct_ops_visits_pop(ops, -1, &popped, &found_pop); /* 4; [0,1,2,3] */
    acct_ops_visits_remove_by_value(ops, 2);           /* [0,1,3] */
    acct_ops_visits_append(ops, 3);                    /* [0,1,3,3] */
    acct_ops_visits_remove_by_value(ops, 3);           /* [0,1] */
    acct_ops_visits_append(ops, 7);                    /* [0,1,7] */
    acct_ops_visits_trim(ops, 1, 2);                   /* [1,7] */
    acct_ops_visits_size(ops, &n_after);
    acct_ops_visits_get(ops, 0, &first, &found_first);
    acct_ops_visits_get(ops, -1, &last, &found_last);
    assert_aero_ok(acct_ops_execute(ops, NULL, &holder, &err), &err);
    assert_int_equal(n, 5);
    assert_true(found_at1);
    assert_int_equal(at1, 1);
    assert_true(found_pop);
    assert_int_equal(popped, 4);
    assert_int_equal(n_after, 2);
    assert_true(found_first && found_last);
    assert_int_equal(first, 1);
    assert_int_equal(last, 7);

    /* the stored list, with the generic API */
    aero_record raw;
    aero_record_init(&raw);
    raw_get(state, k, &raw);
    const aero_value *l = aero_record_list(&raw, "visits");
    assert_non_null(l);
    assert_int_equal(l->v.list.count, 2);
    assert_int_equal(l->v.list.items[0].v.i, 1);
    assert_int_equal(l->v.list.items[1].v.i, 7);

    /* strings: results point into the holder */
    const char *names[] = { "b", "c" };
    aero_list_str more_labels = { names, 2 };
    const char *third = NULL, *popped_s = NULL;
    bool found_third = false, found_ps = false;
    int64_t n_labels = -1, n_cleared = -1;
    ops = acct_operate(S, k);
    acct_ops_labels_append(ops, "a");
    acct_ops_labels_append_items(ops, &more_labels);
    acct_ops_labels_get(ops, 2, &third, &found_third);
    acct_ops_labels_pop(ops, 0, &popped_s, &found_ps);
    acct_ops_labels_size(ops, &n_labels);
    assert_aero_ok(acct_ops_execute(ops, NULL, &holder, &err), &err);
    assert_true(found_third && found_ps);
    assert_string_equal(third, "c");
    assert_string_equal(popped_s, "a");
    assert_int_equal(n_labels, 2);

    ops = acct_operate(S, k);
    acct_ops_labels_clear(ops);
    acct_ops_labels_size(ops, &n_cleared);
    assert_aero_ok(acct_ops_execute(ops, NULL, &holder, &err), &err);
    assert_int_equal(n_cleared, 0);

    /* a list bin that does not exist: nothing found, out zeroed */
    drop(state, k);
    put_acct(state, k, "bo", 1);
    int64_t none = 99, size_none = 99;
    bool found_none = true;
    ops = acct_operate(S, k);
    acct_ops_visits_get(ops, 0, &none, &found_none);
    acct_ops_visits_size(ops, &size_none);
    assert_aero_ok(acct_ops_execute(ops, NULL, &holder, &err), &err);
    assert_false(found_none);
    assert_int_equal(none, 0);
    assert_int_equal(size_none, 0);

    aero_record_dispose(&raw);
    aero_record_dispose(&holder);
    drop(state, k);
}

static void test_map_ops(void **state) {
    const char *k = it_name(ENV, "map");
    aero_error err;
    aero_record holder;
    aero_record_init(&holder);
    put_acct(state, k, "cy", 1);

    int64_t a = -1, missing = 42, n = -1;
    bool found_a = false, found_missing = true, found_w = false;
    double w = 0;
    acct_ops *ops = acct_operate(S, k);
    acct_ops_scores_put(ops, "a", 1);
    acct_ops_scores_put(ops, "b", 2);
    acct_ops_scores_increment(ops, "a", 10);
    acct_ops_scores_get(ops, "a", &a, &found_a);
    acct_ops_scores_get(ops, "zz", &missing, &found_missing);
    acct_ops_scores_remove(ops, "b");
    acct_ops_scores_size(ops, &n);
    acct_ops_weights_put(ops, "x", 0.5);
    acct_ops_weights_increment(ops, "x", 0.25);
    acct_ops_weights_get(ops, "x", &w, &found_w);
    assert_aero_ok(acct_ops_execute(ops, NULL, &holder, &err), &err);
    assert_true(found_a);
    assert_int_equal(a, 11);
    assert_false(found_missing);
    assert_int_equal(missing, 0);
    assert_int_equal(n, 1);
    assert_true(found_w);
    assert_true(w == 0.75);

    aero_record raw;
    aero_record_init(&raw);
    raw_get(state, k, &raw);
    const aero_value *m = aero_record_map(&raw, "scores");
    assert_non_null(m);
    assert_int_equal(m->v.map.count, 1);
    assert_string_equal(m->v.map.entries[0].key.v.str.ptr, "a");
    assert_int_equal(m->v.map.entries[0].value.v.i, 11);
    aero_record_dispose(&raw);
    aero_record_dispose(&holder);
    drop(state, k);
}

static void test_ttl(void **state) {
    const char *k = it_name(ENV, "ttl");
    aero_error err;
    aero_record raw;
    aero_record_init(&raw);
    acct a = ACCT_INIT;
    a.owner = "di";
    aero_schema_write_opts opts = AERO_SCHEMA_WRITE_OPTS_INIT;
    opts.ttl = 1000;
    assert_aero_ok(acct_upsert_with(S, k, &a, &opts, &err), &err);
    raw_get(state, k, &raw);
    /* one second over: the server's clock can tick between computing the void time and the answer's TTL */
    assert_in_range(raw.ttl, 990, 1001);

    /* an operate with a TTL: the holder has the new one */
    int64_t bal = 0;
    opts.ttl = 5000;
    acct_ops *ops = acct_operate(S, k);
    acct_ops_balance_increment(ops, 3);
    acct_ops_balance_get(ops, &bal);
    assert_aero_ok(acct_ops_execute(ops, &opts, &raw, &err), &err);
    assert_int_equal(bal, 3);
    assert_in_range(raw.ttl, 4990, 5001);

    /* no change keeps it, never makes it never */
    opts.ttl = AERO_SCHEMA_TTL_NO_CHANGE;
    ops = acct_operate(S, k);
    acct_ops_balance_increment(ops, 1);
    assert_aero_ok(acct_ops_execute(ops, &opts, NULL, &err), &err);
    raw_get(state, k, &raw);
    assert_in_range(raw.ttl, 4990, 5001);
    opts.ttl = AERO_SCHEMA_TTL_NEVER;
    assert_aero_ok(acct_touch_with(S, k, &opts, NULL, &err), &err);
    raw_get(state, k, &raw);
    assert_int_equal(raw.ttl, AERO_TTL_NEVER);

    /* out of range: refused before sending */
    opts.ttl = 315360001u;
    assert_int_equal(acct_upsert_with(S, k, &a, &opts, &err), AERO_ERR_PARAM);
    aero_record_dispose(&raw);
    drop(state, k);
}

static void test_generation(void **state) {
    const char *k = it_name(ENV, "gen");
    aero_error err;
    aero_record raw;
    aero_record_init(&raw);
    put_acct(state, k, "ed", 5);
    raw_get(state, k, &raw);
    uint32_t gen = raw.generation;
    assert_true(gen > 0);

    aero_schema_write_opts opts = AERO_SCHEMA_WRITE_OPTS_INIT;
    opts.generation = gen + 7;
    acct_ops *ops = acct_operate(S, k);
    acct_ops_balance_increment(ops, 1);
    assert_int_equal(acct_ops_execute(ops, &opts, &raw, &err), AERO_ERR_GENERATION);
    acct a = ACCT_INIT;
    a.owner = "ed2";
    assert_int_equal(acct_update_with(S, k, &a, &opts, &err), AERO_ERR_GENERATION);
    assert_int_equal(acct_delete_with(S, k, &opts, NULL, &err), AERO_ERR_GENERATION);

    opts.generation = gen;
    int64_t bal = 0;
    ops = acct_operate(S, k);
    acct_ops_balance_increment(ops, 1);
    acct_ops_balance_get(ops, &bal);
    assert_aero_ok(acct_ops_execute(ops, &opts, &raw, &err), &err);
    assert_int_equal(bal, 6);
    assert_int_equal(raw.generation, gen + 1);
    opts.generation = gen + 1;
    assert_aero_ok(acct_update_with(S, k, &a, &opts, &err), &err);
    raw_get(state, k, &raw);
    assert_string_equal(aero_record_str(&raw, "owner"), "ed2");
    aero_record_dispose(&raw);
    drop(state, k);
}

static void test_where(void **state) {
    const char *k = it_name(ENV, "where");
    aero_error err;
    aero_record holder;
    aero_record_init(&holder);
    put_acct(state, k, "fay", 15);

    /* a named query's filter as opts.where: skipped quietly, or an error */
    aero_schema_write_opts opts = AERO_SCHEMA_WRITE_OPTS_INIT;
    aero_expr *rich = acct_rich_filter(1000, &err);
    assert_non_null(rich);
    opts.where = rich;
    int64_t bal = 77;
    bool found = true;
    acct_ops *ops = acct_operate(S, k);
    acct_ops_balance_increment(ops, 1);
    acct_ops_balance_get(ops, &bal);
    assert_aero_ok(acct_ops_execute(ops, &opts, &holder, &err), &err);
    assert_int_equal(holder.result, AERO_ERR_FILTERED_OUT);
    assert_int_equal(bal, 0); /* no result: zeroed */
    opts.fail_on_filtered_out = true;
    ops = acct_operate(S, k);
    acct_ops_balance_increment(ops, 1);
    assert_int_equal(acct_ops_execute(ops, &opts, &holder, &err), AERO_ERR_FILTERED_OUT);
    acct a = ACCT_INIT;
    a.owner = "fay";
    a.has_balance = true;
    a.balance = 1;
    assert_int_equal(acct_update_with(S, k, &a, &opts, &err), AERO_ERR_FILTERED_OUT);
    bool existed = true;
    assert_int_equal(acct_delete_with(S, k, &opts, &existed, &err), AERO_ERR_FILTERED_OUT);
    assert_false(existed);

    /* nothing changed */
    acct got;
    assert_aero_ok(acct_get(S, k, &got, &holder, &err), &err);
    assert_int_equal(got.balance, 15);

    /* a matching condition applies */
    aero_expr_free(rich);
    rich = acct_rich_filter(10, &err);
    opts.where = rich;
    ops = acct_operate(S, k);
    acct_ops_balance_increment(ops, 1);
    acct_ops_balance_get(ops, &bal);
    assert_aero_ok(acct_ops_execute(ops, &opts, &holder, &err), &err);
    assert_int_equal(holder.result, AERO_OK);
    assert_int_equal(bal, 16);

    /* the generated where helpers of the builder */
    const char *owner = "?";
    ops = acct_operate(S, k);
    acct_ops_where_owned_by(ops, "nobody");
    acct_ops_owner_get(ops, &owner);
    assert_aero_ok(acct_ops_execute(ops, NULL, &holder, &err), &err);
    assert_int_equal(holder.result, AERO_ERR_FILTERED_OUT);
    assert_null(owner);
    ops = acct_operate(S, k);
    acct_ops_where_owned_by(ops, "fay");
    acct_ops_where_positive(ops); /* the last condition set counts */
    acct_ops_balance_get(ops, &bal);
    assert_aero_ok(acct_ops_execute(ops, NULL, &holder, &err), &err);
    assert_int_equal(holder.result, AERO_OK);
    assert_int_equal(bal, 16);
    found = false;
    (void)found;

    /* both a builder condition and opts.where: refused */
    ops = acct_operate(S, k);
    acct_ops_where_rich(ops, 1);
    acct_ops_balance_get(ops, &bal);
    assert_int_equal(acct_ops_execute(ops, &opts, &holder, &err), AERO_ERR_PARAM);

    /* the condition of a delete: deletes when it matches */
    opts.fail_on_filtered_out = false;
    assert_aero_ok(acct_delete_with(S, k, &opts, &existed, &err), &err);
    assert_true(existed);
    aero_expr_free(rich);
    aero_record_dispose(&holder);
}

static void test_durable_delete_and_send_key(void **state) {
    const char *k = it_name(ENV, "durable");
    aero_error err;
    put_acct(state, k, "gus", 3);
    aero_schema_write_opts opts = AERO_SCHEMA_WRITE_OPTS_INIT;
    opts.durable_delete = AERO_SCHEMA_ON;
    bool existed = false, exists = false;
    /* the flag is sent: Enterprise deletes with a tombstone, Community (and aero-testserver) refuses it */
    aero_status rc = acct_delete_with(S, k, &opts, &existed, &err);
    if (rc == AERO_ERR_ENTERPRISE_ONLY) {
        assert_false(existed);
        assert_aero_ok(acct_exists(S, k, &exists, &err), &err);
        assert_true(exists);
        opts.durable_delete = AERO_SCHEMA_OFF;
        rc = acct_delete_with(S, k, &opts, &existed, &err);
    }
    assert_aero_ok(rc, &err);
    assert_true(existed);
    assert_aero_ok(acct_exists(S, k, &exists, &err), &err);
    assert_false(exists);
    assert_aero_ok(acct_delete_with(S, k, &opts, &existed, &err), &err);
    assert_false(existed);

    /* send key: a query row carries the user key only when it was stored */
    const char *k_on = it_name(ENV, "key-on"), *k_off = it_name(ENV, "key-off");
    const char *who = it_name(ENV, "keyowner");
    acct a = ACCT_INIT;
    a.owner = who;
    opts = (aero_schema_write_opts)AERO_SCHEMA_WRITE_OPTS_INIT;
    opts.send_key = AERO_SCHEMA_ON;
    assert_aero_ok(acct_upsert_with(S, k_on, &a, &opts, &err), &err);
    opts.send_key = AERO_SCHEMA_OFF;
    assert_aero_ok(acct_upsert_with(S, k_off, &a, &opts, &err), &err);
    aero_stream *st = acct_owned_by(S, who, &err);
    assert_non_null(st);
    int rows = 0, with_key = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        rows++;
        if (r->key.type == AERO_KEY_STR) {
            with_key++;
            assert_int_equal(r->key.len, strlen(k_on));
            assert_memory_equal(r->key.ptr, k_on, strlen(k_on));
        }
    }
    assert_int_equal(err.code, AERO_OK);
    aero_stream_close(st);
    assert_int_equal(rows, 2);
    assert_int_equal(with_key, 1);
    drop(state, k_on);
    drop(state, k_off);
}

static void test_other_records_and_verbs(void **state) {
    aero_error err;
    aero_record holder;
    aero_record_init(&holder);
    int64_t key = it_unique_int(ENV, "tally");
    int64_t hits = 0;
    /* update: the record must exist */
    tally_ops *ops = tally_operate_as(S, key, AERO_SCHEMA_UPDATE);
    tally_ops_hits_increment(ops, 1);
    assert_int_equal(tally_ops_execute(ops, NULL, &holder, &err), AERO_ERR_KEY_NOT_FOUND);
    ops = tally_operate(S, key);
    tally_ops_hits_increment(ops, 2);
    tally_ops_hits_get(ops, &hits);
    assert_aero_ok(tally_ops_execute(ops, NULL, &holder, &err), &err);
    assert_int_equal(hits, 2);
    ops = tally_operate_as(S, key, AERO_SCHEMA_INSERT);
    tally_ops_hits_set(ops, 9);
    assert_int_equal(tally_ops_execute(ops, NULL, &holder, &err), AERO_ERR_KEY_EXISTS);
    /* abandon gives the builder back without sending */
    ops = tally_operate(S, key);
    tally_ops_hits_set(ops, 100);
    tally_ops_abandon(ops);
    ops = tally_operate(S, key);
    tally_ops_hits_get(ops, &hits);
    assert_aero_ok(tally_ops_execute(ops, NULL, &holder, &err), &err);
    assert_int_equal(hits, 2);
    assert_aero_ok(tally_delete(S, key, NULL, &err), &err);
    aero_record_dispose(&holder);
}

static void test_misuse(void **state) {
    const char *k = it_name(ENV, "misuse");
    aero_error err;
    aero_record holder;
    aero_record_init(&holder);
    int64_t bal;
    put_acct(state, k, "hal", 1);

    acct_ops *ops = acct_operate(S, k);
    acct_ops_labels_append(ops, NULL);
    assert_int_equal(acct_ops_execute(ops, NULL, &holder, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "labels"));

    ops = acct_operate(S, k);
    acct_ops_balance_get(ops, &bal);
    assert_int_equal(acct_ops_execute(ops, NULL, NULL, &err), AERO_ERR_PARAM); /* outputs need a holder */

    ops = acct_operate(S, k);
    assert_int_equal(acct_ops_execute(ops, NULL, &holder, &err), AERO_ERR_PARAM); /* no ops */

    aero_schema_write_opts bad = AERO_SCHEMA_WRITE_OPTS_INIT;
    bad.version = 99;
    ops = acct_operate(S, k);
    acct_ops_balance_get(ops, &bal);
    assert_int_equal(acct_ops_execute(ops, &bad, &holder, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "aero_schema_write_opts"));

    /* a sink of the wrong type (the runtime entry point directly: generated code cannot do this) */
    const char *as_str = NULL;
    aero_key ak = acct_key(k);
    aero_schema_ops *o = aero_schema_ops_start(S, &acct_schema, AERO_SCHEMA_UPSERT, &ak);
    aero_schema_ops_get(o, "balance", &aero_schema_tdesc_str, &as_str, NULL);
    assert_int_equal(aero_schema_ops_execute(o, NULL, &holder, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_non_null(strstr(err.message, "balance"));

    /* any aero_op with a typed output */
    int64_t n = -1;
    o = aero_schema_ops_start(S, &acct_schema, AERO_SCHEMA_UPSERT, &ak);
    aero_path p = aero_path_of("visits");
    aero_schema_ops_op(o, aero_list_append(&p, aero_int(5), NULL), &aero_schema_tdesc_int, &n, NULL);
    assert_aero_ok(aero_schema_ops_execute(o, NULL, &holder, &err), &err);
    assert_int_equal(n, 1); /* append answers the new size */

    acct_ops_abandon(NULL);
    assert_int_equal(acct_ops_execute(NULL, NULL, &holder, &err), AERO_ERR_PARAM);
    aero_record_dispose(&holder);
    drop(state, k);
}

/* HLL ops through the runtime entry points (what aerogen emits for `hll` bins: add, count). */
static void test_hll_entry_points(void **state) {
    const char *k = it_name(ENV, "hll");
    aero_error err;
    aero_record holder;
    aero_record_init(&holder);
    put_acct(state, k, "ivy", 1);
    aero_key ak = acct_key(k);
    const char *who[] = { "ann", "bob", "cy", "ann" };
    int64_t count = -1, again = -1;
    aero_schema_ops *o = aero_schema_ops_start(S, &acct_schema, AERO_SCHEMA_UPDATE, &ak);
    aero_schema_ops_hll_add(o, "seen", who, 4, 12);
    aero_schema_ops_hll_count(o, "seen", &count);
    assert_aero_ok(aero_schema_ops_execute(o, NULL, &holder, &err), &err);
    assert_int_equal(count, 3);
    o = aero_schema_ops_start(S, &acct_schema, AERO_SCHEMA_UPDATE, &ak);
    aero_schema_ops_hll_add(o, "seen", who + 3, 1, 12);
    aero_schema_ops_hll_count(o, "seen", &again);
    aero_bytes raw = { NULL, 0 };
    aero_schema_ops_get(o, "seen", &aero_schema_tdesc_hll, &raw, NULL); /* the HLL bytes */
    assert_aero_ok(aero_schema_ops_execute(o, NULL, &holder, &err), &err);
    assert_int_equal(again, 3);
    assert_true(raw.len > 0 && raw.ptr != NULL);
    o = aero_schema_ops_start(S, &acct_schema, AERO_SCHEMA_UPDATE, &ak);
    aero_schema_ops_hll_add(o, "seen", NULL, 0, 12);
    assert_int_equal(aero_schema_ops_execute(o, NULL, &holder, &err), AERO_ERR_PARAM);
    aero_record_dispose(&holder);
    drop(state, k);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar_ops),
        cmocka_unit_test(test_list_ops),
        cmocka_unit_test(test_map_ops),
        cmocka_unit_test(test_ttl),
        cmocka_unit_test(test_generation),
        cmocka_unit_test(test_where),
        cmocka_unit_test(test_durable_delete_and_send_key),
        cmocka_unit_test(test_other_records_and_verbs),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_hll_entry_points),
    };
    return cmocka_run_group_tests(tests, it_setup, it_teardown);
}
