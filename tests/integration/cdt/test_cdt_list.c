/*
 * test_cdt_list.c - every list operation and return type through the public
 * API (aero/op.h, aero_write_op / aero_query_op), against aero-testserver or
 * a real server (AERO_TEST_HOSTS). Each line states the server's whole
 * answer: every op's result in op order, then the record's bins afterwards.
 * The expected lines are what Aerospike 8.1.2.0 and 8.1.1.2 answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cdt_run.h"

#define ENV ((it_env *)*state)

/* Start: l = [7, 3, 9, 3, 1]. */
static const aero_value L_ITEMS[] = { { AERO_INT, { .i = 7 } },
                                      { AERO_INT, { .i = 3 } },
                                      { AERO_INT, { .i = 9 } },
                                      { AERO_INT, { .i = 3 } },
                                      { AERO_INT, { .i = 1 } } };
static aero_bin_value start_bin(void) {
    aero_bin_value b = { "l", aero_list(L_ITEMS, 5) };
    return b;
}

static void test_list_writes(void **state) {
    aero_path l = aero_path_of("l");
    aero_value two[] = { aero_int(10), aero_str("x") };
    aero_list_policy uniq = { AERO_LIST_UNORDERED, AERO_LIST_WRITE_ADD_UNIQUE | AERO_LIST_WRITE_NO_FAIL };
    aero_list_policy uniq_fail = { AERO_LIST_UNORDERED, AERO_LIST_WRITE_ADD_UNIQUE };
    aero_list_policy bounded = { AERO_LIST_UNORDERED, AERO_LIST_WRITE_INSERT_BOUNDED };
    aero_list_policy bounded_nf = { AERO_LIST_UNORDERED, AERO_LIST_WRITE_INSERT_BOUNDED | AERO_LIST_WRITE_NO_FAIL };
    CHECK("append", "6 | 6 => {'l': [7, 3, 9, 3, 1, 4]}", aero_list_append(&l, aero_int(4), NULL), aero_list_size(&l));
    CHECK("append-unique-nofail", "5 | 6 => {'l': [7, 3, 9, 3, 1, 5]}", aero_list_append(&l, aero_int(3), &uniq),
          aero_list_append(&l, aero_int(5), &uniq));
    CHECK("append-unique-fail", "error 24: upsert failed: ELEMENT_EXISTS => {'l': [7, 3, 9, 3, 1]}",
          aero_list_append(&l, aero_int(3), &uniq_fail));
    CHECK("append-items", "7 => {'l': [7, 3, 9, 3, 1, 10, 'x']}", aero_list_append_items(&l, aero_list(two, 2), NULL));
    CHECK("insert", "6 | 7 => {'l': [7, 100, 3, 9, 3, 'y', 1]}", aero_list_insert(&l, 1, aero_int(100), NULL),
          aero_list_insert(&l, -1, aero_str("y"), NULL));
    CHECK("insert-items", "7 => {'l': [7, 3, 10, 'x', 9, 3, 1]}",
          aero_list_insert_items(&l, 2, aero_list(two, 2), NULL));
    CHECK("insert-pad", "8 => {'l': [7, 3, 9, 3, 1, None, None, 8]}", aero_list_insert(&l, 7, aero_int(8), NULL));
    CHECK("insert-bounded", "error 26: upsert failed: OP_NOT_APPLICABLE => {'l': [7, 3, 9, 3, 1]}",
          aero_list_insert(&l, 7, aero_int(8), &bounded));
    CHECK("insert-bounded-nofail", "5 | 5 => {'l': [7, 3, 9, 3, 1]}", aero_list_insert(&l, 7, aero_int(8), &bounded_nf),
          aero_list_size(&l));
    CHECK("set", "None | None => {'l': [42, 3, 9, 3, 'z']}", aero_list_set(&l, 0, aero_int(42), NULL),
          aero_list_set(&l, -1, aero_str("z"), NULL));
    CHECK("set-pad", "None => {'l': [7, 3, 9, 3, 1, None, 6]}", aero_list_set(&l, 6, aero_int(6), NULL));
    CHECK("increment", "8 | 9 => {'l': [7, 8, 9, 3, 1]}", aero_list_increment(&l, 1, aero_int(5), NULL),
          aero_list_increment(&l, 2, aero_double(0.5), NULL));
    CHECK("pop", "7 | [9, 3] | [1] => {'l': [3]}", aero_list_pop(&l, 0), aero_list_pop_range(&l, 1, 2),
          aero_list_pop_range_from(&l, -1));
    CHECK("remove", "1 | 2 | 1 => {'l': [3]}", aero_list_remove(&l, 0), aero_list_remove_range(&l, 1, 2),
          aero_list_remove_range_from(&l, -1));
    CHECK("trim", "2 => {'l': [3, 9, 3]}", aero_list_trim(&l, 1, 3));
    CHECK("clear", "None | 0 => {'l': []}", aero_list_clear(&l), aero_list_size(&l));
    CHECK("sort", "None => {'l': [1, 3, 3, 7, 9]}", aero_list_sort(&l, AERO_LIST_SORT_ASCENDING));
    CHECK("sort-desc", "None => {'l': [9, 7, 3, 3, 1]}", aero_list_sort(&l, AERO_LIST_SORT_DESCENDING));
    CHECK("sort-dedup", "None => {'l': [1, 3, 7, 9]}", aero_list_sort(&l, AERO_LIST_SORT_DROP_DUPLICATES));
    CHECK("sort-desc-dedup", "error 4: upsert failed: PARAMETER_ERROR => {'l': [7, 3, 9, 3, 1]}",
          aero_list_sort(&l, AERO_LIST_SORT_DESCENDING | AERO_LIST_SORT_DROP_DUPLICATES));
    CHECK("get", "9 | [3, 9] | [3, 1] | 5 => {'l': [7, 3, 9, 3, 1]}", aero_list_get(&l, 2),
          aero_list_get_range(&l, 1, 2), aero_list_get_range_from(&l, -2), aero_list_size(&l));
}

static void test_list_order(void **state) {
    aero_path l = aero_path_of("l");
    aero_list_policy ordered = { AERO_LIST_ORDERED, AERO_LIST_WRITE_DEFAULT };
    CHECK("set-order", "None | 6 | [1, 3, 3, 5, 7, 9] => {'l': [1, 3, 3, 5, 7, 9]}",
          aero_list_set_order(&l, AERO_LIST_ORDERED, false), aero_list_append(&l, aero_int(5), NULL),
          aero_list_get_range_from(&l, 0));
    CHECK("set-order-persist", "None | 1 => {'l': [1, 3, 3, 7, 9]}", aero_list_set_order(&l, AERO_LIST_ORDERED, true),
          aero_list_get_by_index(&l, 0, AERO_CDT_RETURN_VALUE));
    CHECK("append-ordered-policy", "6 => {'l': [7, 3, 9, 3, 1, 5]}", aero_list_append(&l, aero_int(5), &ordered));
    CHECK("set-unordered", "None | None | 6 => {'l': [1, 3, 3, 7, 9, 0]}",
          aero_list_set_order(&l, AERO_LIST_ORDERED, false), aero_list_set_order(&l, AERO_LIST_UNORDERED, false),
          aero_list_append(&l, aero_int(0), NULL));
}

static void test_list_get_by(void **state) {
    aero_path l = aero_path_of("l");
    aero_value v39[] = { aero_int(3), aero_int(9) };
    CHECK("get-by-index", "None | 1 | 3 | 1 | 3 | 1 | 3 | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_index, &l, 1));
    CHECK("get-by-index-range",
          "None | [1, 2] | [2, 3] | [1, 4] | [3, 0] | 2 | [3, 9] | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_index_range, &l, 1, 2));
    CHECK("get-by-index-range-from",
          "None | [3, 4] | [0, 1] | [1, 0] | [3, 4] | 2 | [3, 1] | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_index_range_from, &l, -2));
    CHECK("get-by-value", "None | [1, 3] | [3, 1] | [1, 2] | [2, 3] | 2 | [3, 3] | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_value, &l, aero_int(3)));
    CHECK("get-first-by-value", "None | 1 | 3 | 1 | 3 | 1 | 3 | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_first_by_value, &l, aero_int(3)));
    CHECK("remove-first-by-value", "1 => {'l': [7, 9, 3, 1]}",
          aero_list_remove_first_by_value(&l, aero_int(3), AERO_CDT_RETURN_INDEX));
    CHECK("misuse-inverted-first",
          "error -2: upsert: list GET_BY_VALUE of bin 'l': INVERTED applies to selectors of several items (ranges, "
          "values, lists), not to one index, rank or key => {'l': [7, 3, 9, 3, 1]}",
          aero_list_get_first_by_value(&l, aero_int(3), INV(AERO_CDT_RETURN_VALUE)));
    CHECK("get-by-value-list",
          "None | [1, 2, 3] | [3, 2, 1] | [1, 2, 4] | [3, 2, 0] | 3 | [3, 9, 3] | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_value_list, &l, aero_list(v39, 2)));
    CHECK("get-by-value-range",
          "None | [0, 1, 3] | [4, 3, 1] | [1, 2, 3] | [1, 2, 3] | 3 | [7, 3, 3] | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_value_range, &l, aero_int(3), aero_int(8)));
    CHECK("get-by-value-range-open", "[3, 3, 1] | [7, 9] => {'l': [7, 3, 9, 3, 1]}",
          aero_list_get_by_value_range(&l, aero_nil(), aero_int(4), AERO_CDT_RETURN_VALUE),
          aero_list_get_by_value_range(&l, aero_int(4), aero_nil(), AERO_CDT_RETURN_VALUE));
    CHECK("get-by-value-rel-rank-range",
          "None | [0, 3] | [4, 1] | [2, 3] | [1, 2] | 2 | [3, 7] | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_value_rel_rank_range, &l, aero_int(3), 1, 2));
    CHECK("get-by-value-rel-rank-range-from",
          "None | [0, 2, 3] | [4, 2, 1] | [2, 3, 4] | [0, 1, 2] | 3 | [3, 7, 9] | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_value_rel_rank_range_from, &l, aero_int(4), -1));
    CHECK("get-by-rank", "None | 4 | 0 | 0 | 4 | 1 | 1 | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_rank, &l, 0));
    CHECK("get-by-rank-range", "None | [1, 3] | [3, 1] | [1, 2] | [2, 3] | 2 | [3, 3] | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_rank_range, &l, 1, 2));
    CHECK("get-by-rank-range-from",
          "None | [0, 2] | [4, 2] | [3, 4] | [0, 1] | 2 | [7, 9] | True => {'l': [7, 3, 9, 3, 1]}",
          ALL_RT(aero_list_get_by_rank_range_from, &l, -2));
}

static void test_list_inverted(void **state) {
    aero_path l = aero_path_of("l");
    aero_value v39[] = { aero_int(3), aero_int(9) };
    CHECK("inverted",
          "[7, 3, 1] | [0, 1, 2] | 3 | [7, 1] | [0, 4] | [3, 9, 1] | [7, 9, 1] | False => {'l': [7, 3, 9, 3, 1]}",
          aero_list_get_by_index_range(&l, 1, 2, INV(AERO_CDT_RETURN_VALUE)),
          aero_list_get_by_index_range_from(&l, 3, INV(AERO_CDT_RETURN_INDEX)),
          aero_list_get_by_value(&l, aero_int(3), INV(AERO_CDT_RETURN_COUNT)),
          aero_list_get_by_value_list(&l, aero_list(v39, 2), INV(AERO_CDT_RETURN_VALUE)),
          aero_list_get_by_value_range(&l, aero_int(3), aero_int(8), INV(AERO_CDT_RETURN_RANK)),
          aero_list_get_by_value_rel_rank_range(&l, aero_int(3), 1, 2, INV(AERO_CDT_RETURN_VALUE)),
          aero_list_get_by_rank_range(&l, 1, 2, INV(AERO_CDT_RETURN_VALUE)),
          aero_list_get_by_rank_range_from(&l, -2, INV(AERO_CDT_RETURN_EXISTS)));
    CHECK("inverted-index",
          "error -2: upsert: list GET_BY_INDEX of bin 'l': INVERTED applies to selectors of several items (ranges, "
          "values, lists), not to one index, rank or key => {'l': [7, 3, 9, 3, 1]}",
          aero_list_get_by_index(&l, 1, INV(AERO_CDT_RETURN_VALUE)));
    CHECK("inverted-rank",
          "error -2: upsert: list GET_BY_RANK of bin 'l': INVERTED applies to selectors of several items (ranges, "
          "values, lists), not to one index, rank or key => {'l': [7, 3, 9, 3, 1]}",
          aero_list_get_by_rank(&l, 0, INV(AERO_CDT_RETURN_VALUE)));
}

static void test_list_remove_by(void **state) {
    aero_path l = aero_path_of("l");
    aero_value v39[] = { aero_int(3), aero_int(9) };
    CHECK("remove-by-index", "3 => {'l': [7, 9, 3, 1]}", aero_list_remove_by_index(&l, 1, AERO_CDT_RETURN_VALUE));
    CHECK("remove-by-index-range", "[1, 2] => {'l': [7, 3, 1]}",
          aero_list_remove_by_index_range(&l, 1, 2, AERO_CDT_RETURN_INDEX));
    CHECK("remove-by-index-range-from", "2 => {'l': [7, 3, 9]}",
          aero_list_remove_by_index_range_from(&l, -2, AERO_CDT_RETURN_COUNT));
    CHECK("remove-by-value", "[1, 3] => {'l': [7, 9, 1]}",
          aero_list_remove_by_value(&l, aero_int(3), AERO_CDT_RETURN_INDEX));
    CHECK("remove-by-value-list", "None => {'l': [7, 1]}",
          aero_list_remove_by_value_list(&l, aero_list(v39, 2), AERO_CDT_RETURN_NONE));
    CHECK("remove-by-value-range", "[7, 3, 3] => {'l': [9, 1]}",
          aero_list_remove_by_value_range(&l, aero_int(3), aero_int(8), AERO_CDT_RETURN_VALUE));
    CHECK("remove-by-value-rel-rank-range", "[3, 7] => {'l': [3, 9, 1]}",
          aero_list_remove_by_value_rel_rank_range(&l, aero_int(3), 1, 2, AERO_CDT_RETURN_VALUE));
    CHECK("remove-by-value-rel-rank-range-from", "[0, 1, 2, 3] => {'l': [1]}",
          aero_list_remove_by_value_rel_rank_range_from(&l, aero_int(3), 0, AERO_CDT_RETURN_REVERSE_RANK));
    CHECK("remove-by-rank", "1 => {'l': [7, 3, 9, 3]}", aero_list_remove_by_rank(&l, 0, AERO_CDT_RETURN_VALUE));
    CHECK("remove-by-rank-range", "[3, 1] => {'l': [7, 9, 3]}",
          aero_list_remove_by_rank_range(&l, 0, 2, AERO_CDT_RETURN_VALUE));
    CHECK("remove-by-rank-range-from", "True => {'l': [7, 3, 3, 1]}",
          aero_list_remove_by_rank_range_from(&l, -1, AERO_CDT_RETURN_EXISTS));
    CHECK("remove-by-value-inverted", "[7, 9, 1] => {'l': [3, 3]}",
          aero_list_remove_by_value(&l, aero_int(3), INV(AERO_CDT_RETURN_VALUE)));
    CHECK("remove-by-index-range-inverted", "3 => {'l': [3, 9]}",
          aero_list_remove_by_index_range(&l, 1, 2, INV(AERO_CDT_RETURN_COUNT)));
}

/* Nested lists through a context path, and lists created on the way. */
static void test_list_context(void **state) {
    aero_value inner1[] = { aero_int(1), aero_int(2) };
    aero_value inner2[] = { aero_int(5) };
    aero_value outer[] = { aero_list(inner1, 2), aero_list(inner2, 1) };
    aero_bin_value st[] = { { "l", aero_list(outer, 2) } };
    aero_op ops[] = {
        aero_list_append(AERO_PATH("l", aero_at_list_index(0)), aero_int(3), NULL),
        aero_list_get_by_index(AERO_PATH("l", aero_at_list_index(-1)), 0, AERO_CDT_RETURN_VALUE),
        aero_list_size(AERO_PATH("l", aero_at_list_rank(0))),
        aero_list_append(AERO_PATH("l", aero_at_list_index_create(2, false, false)), aero_int(9), NULL),
        aero_list_append(AERO_PATH("l", aero_at_list_value(aero_list(inner2, 1))), aero_int(6), NULL),
    };
    cdt_expect("context", cdt_run(ENV, "context", st, 1, ops, N(ops)),
               "3 | 5 | 3 | 1 | 2 => {'l': [[1, 2, 3], [5, 6], [9]]}");
    aero_op create[] = {
        aero_list_create(AERO_PATH("l", aero_at_list_index(2)), AERO_LIST_ORDERED, false, false),
        aero_list_append(AERO_PATH("l", aero_at_list_index(2)), aero_int(2), NULL),
        aero_list_append(AERO_PATH("l", aero_at_list_index(2)), aero_int(1), NULL),
        aero_list_create(AERO_PATH("l", aero_at_list_index(0)), AERO_LIST_ORDERED, false, false),
    };
    cdt_expect("create-ordered", cdt_run(ENV, "create", st, 1, create, N(create)),
               "None | 1 | 2 | None => {'l': [[1, 2], [5], [1, 2]]}");
    aero_op pad[] = {
        aero_list_append(AERO_PATH("l", aero_at_list_index_create(4, false, true)), aero_int(1), NULL),
    };
    cdt_expect("create-pad", cdt_run(ENV, "pad", st, 1, pad, N(pad)), "1 => {'l': [[1, 2], [5], None, None, [1]]}");
    aero_path parsed;
    aero_error err;
    assert_int_equal(aero_path_parse(&parsed, "$.l.[0]", &err), AERO_OK);
    aero_op via_ael[] = { aero_list_get_range_from(&parsed, 0) };
    cdt_expect("ael-path", cdt_run(ENV, "ael", st, 1, via_ael, N(via_ael)), "[1, 2] => {'l': [[1, 2], [5]]}");
}

/* Read ops as projections of a point read and a batch read; a modify op is refused. */
static void test_list_query_ops(void **state) {
    aero_path l = aero_path_of("l");
    aero_bin_value st[] = { start_bin() };
    aero_op ops[] = { aero_list_get_by_rank(&l, -1, AERO_CDT_RETURN_VALUE), aero_list_size(&l),
                      aero_list_get_by_value(&l, aero_int(3), AERO_CDT_RETURN_INDEX) };
    cdt_expect("point-read", cdt_read(ENV, "point", st, 1, ops, N(ops)), "9 | 5 | [1, 3] => {'l': [7, 3, 9, 3, 1]}");
    aero_op bad[] = { aero_list_append(&l, aero_int(1), NULL) };
    cdt_expect("point-read-modify", cdt_read(ENV, "point-mod", st, 1, bad, N(bad)),
               "error -2: query: list APPEND modifies the record: a query takes read operations only (use "
               "aero_write_op) => {'l': [7, 3, 9, 3, 1]}");

    aero_key keys[2] = { it_key(ENV, "batch-a"), it_key(ENV, "batch-b") };
    aero_error err;
    for (int i = 0; i < 2; i++) {
        aero_write *w = aero_session_upsert(ENV->session, &keys[i]);
        aero_write_put(w, st, 1);
        aero_write_op(w, aero_list_append(&l, aero_int(100 + i), NULL));
        assert_int_equal(aero_write_execute(w, NULL, &err), AERO_OK);
    }
    aero_query *q = aero_session_query_keys(ENV->session, keys, 2);
    aero_query_op(q, aero_list_get_by_index(&l, -1, AERO_CDT_RETURN_VALUE));
    aero_query_op(q, aero_list_size(&l));
    aero_stream *s = aero_query_execute(q, &err);
    assert_non_null(s);
    int rows = 0;
    for (const aero_record *r; (r = aero_stream_next(s, &err)); rows++) {
        assert_int_equal(r->n_bins, 2);
        assert_int_equal(r->bins[0].value.v.i, 100 + r->index);
        assert_int_equal(r->bins[1].value.v.i, 6);
    }
    assert_int_equal(rows, 2);
    aero_stream_close(s);
}

/* Read ops as the projection of a dataset query (servers from 8.1.2; older ones are refused by the client). */
static void test_list_dataset_query(void **state) {
    aero_path l = aero_path_of("l");
    aero_error err;
    char tag[64];
    snprintf(tag, sizeof tag, "%s-dq", ENV->prefix);
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "dq-%d", i);
        aero_key k = it_key(ENV, name);
        aero_value items[] = { aero_int(i), aero_int(10 * i) };
        aero_bin_value bins[] = { { "l", aero_list(items, 2) }, { "tag", aero_str(tag) } };
        aero_write *w = aero_session_upsert(ENV->session, &k);
        aero_write_put(w, bins, 2);
        assert_int_equal(aero_write_execute(w, NULL, &err), AERO_OK);
    }
    char where[128];
    snprintf(where, sizeof where, "$.tag == '%s'", tag);
    aero_query *q = aero_session_query(ENV->session, &ENV->ds);
    aero_query_where(q, where);
    aero_query_op(q, aero_list_get_by_index(&l, -1, AERO_CDT_RETURN_VALUE));
    aero_query_op(q, aero_list_size(&l));
    aero_stream *s = aero_query_execute(q, &err);
    if (!s) { /* 8.1.1.2: the client refuses before sending */
        assert_int_equal(err.code, AERO_ERR_UNSUPPORTED_FEATURE);
        assert_non_null(strstr(err.message, "aero_query_op() on a dataset query"));
        return;
    }
    int64_t seen = 0;
    int rows = 0;
    for (const aero_record *r; (r = aero_stream_next(s, &err)); rows++) {
        assert_int_equal(r->n_bins, 2);
        assert_string_equal(r->bins[0].name, "l");
        seen += r->bins[0].value.v.i; /* 0 + 10 + 20 */
        assert_int_equal(r->bins[1].value.v.i, 2);
    }
    aero_stream_close(s);
    assert_int_equal(err.code, AERO_OK);
    assert_int_equal(rows, 3);
    assert_int_equal(seen, 30);
}

/* The client refuses what cannot be right, before sending. */
static void test_list_misuse(void **state) {
    aero_path l = aero_path_of("l");
    aero_list_policy ordered = { AERO_LIST_ORDERED, 0 };
    aero_list_policy partial = { AERO_LIST_UNORDERED, AERO_LIST_WRITE_PARTIAL };
    aero_path deep = aero_path_of("l");
    for (int i = 0; i < AERO_PATH_MAX + 1; i++)
        aero_path_push(&deep, aero_at_list_index(0));
    CHECK("misuse-key-rtype",
          "error -2: upsert: list GET_BY_INDEX of bin 'l': return types KEY, KEY_VALUE, UNORDERED_MAP and ORDERED_MAP "
          "are for maps => {'l': [7, 3, 9, 3, 1]}",
          aero_list_get_by_index(&l, 0, AERO_CDT_RETURN_KEY));
    CHECK("misuse-bad-rtype",
          "error -2: upsert: list GET_BY_INDEX of bin 'l': unknown return type => {'l': [7, 3, 9, 3, 1]}",
          aero_list_get_by_index(&l, 0, 99));
    CHECK("misuse-insert-ordered",
          "error -2: upsert: list INSERT of bin 'l': a write at an index needs an unordered list (the policy says "
          "ordered) => {'l': [7, 3, 9, 3, 1]}",
          aero_list_insert(&l, 0, aero_int(1), &ordered));
    CHECK("misuse-partial",
          "error -2: upsert: list APPEND of bin 'l': AERO_LIST_WRITE_PARTIAL needs AERO_LIST_WRITE_NO_FAIL => {'l': "
          "[7, 3, 9, 3, 1]}",
          aero_list_append(&l, aero_int(1), &partial));
    CHECK("misuse-deep",
          "error -2: upsert: list SIZE of bin 'l': path has more than 8 context steps => {'l': [7, 3, 9, 3, 1]}",
          aero_list_size(&deep));
    CHECK("misuse-null-items",
          "error -2: upsert: list APPEND_ITEMS of bin 'l': a list value's items are NULL => {'l': [7, 3, 9, 3, 1]}",
          aero_list_append_items(&l, aero_list(NULL, 2), NULL));
    CHECK("misuse-not-list",
          "error -2: upsert: list APPEND_ITEMS of bin 'l': items must be a list value => {'l': [7, 3, 9, 3, 1]}",
          aero_list_append_items(&l, aero_int(2), NULL));
    CHECK("misuse-bin",
          "error -2: upsert: list SIZE of bin '': bin name is NULL, empty or longer than 15 bytes => {'l': [7, 3, 9, "
          "3, 1]}",
          aero_list_size(AERO_BIN("a-bin-name-too-long")));
    CHECK("misuse-null-path", "error -2: upsert: list SIZE of bin '(null)': path is NULL => {'l': [7, 3, 9, 3, 1]}",
          aero_list_size(NULL));
    CHECK("misuse-sort", "error -2: upsert: list SORT of bin 'l': unknown sort flags => {'l': [7, 3, 9, 3, 1]}",
          aero_list_sort(&l, 8));
    CHECK("misuse-pad-ordered",
          "error -2: upsert: list SET_TYPE of bin 'l': pad applies to unordered lists only => {'l': [7, 3, 9, 3, 1]}",
          aero_list_create(AERO_PATH("l", aero_at_list_index(0)), AERO_LIST_ORDERED, true, false));
}

/*
 * Hostile sizes: a pad just past the 1 MiB record, a set there, a context
 * index creating such a pad (the servers refuse each with RECORD_TOO_BIG,
 * 13; the test server without building it), an index past INT32_MAX (26,
 * before any padding), and a huge range (clamped). Kept to pads a real
 * server builds cheaply: it builds a pad before it checks the record size
 * (a 2-billion pad costs it gigabytes and seconds).
 */
static void test_list_hostile(void **state) {
    aero_path l = aero_path_of("l");
    CHECK("hostile-pad", "error 13: upsert failed: RECORD_TOO_BIG => {'l': [7, 3, 9, 3, 1]}",
          aero_list_insert(&l, 1050000, aero_int(1), NULL));
    CHECK("hostile-set", "error 13: upsert failed: RECORD_TOO_BIG => {'l': [7, 3, 9, 3, 1]}",
          aero_list_set(&l, 1050000, aero_int(1), NULL));
    CHECK("hostile-pad-int32", "error 26: upsert failed: OP_NOT_APPLICABLE => {'l': [7, 3, 9, 3, 1]}",
          aero_list_insert(&l, (int64_t)1 << 32, aero_int(1), NULL));
    CHECK("hostile-ctx-pad", "error 13: upsert failed: RECORD_TOO_BIG => {'l': [7, 3, 9, 3, 1]}",
          aero_list_append(AERO_PATH("l", aero_at_list_index_create(1050000, false, true)), aero_int(1), NULL));
    CHECK("hostile-range", "[7, 3, 9, 3, 1] | [3, 9, 3, 1] => {'l': [7, 3, 9, 3, 1]}",
          aero_list_get_by_index_range(&l, -INT64_MAX, INT64_MAX, AERO_CDT_RETURN_VALUE),
          aero_list_get_by_index_range(&l, 1, INT64_MAX, AERO_CDT_RETURN_VALUE));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_writes),    cmocka_unit_test(test_list_order),
        cmocka_unit_test(test_list_get_by),    cmocka_unit_test(test_list_inverted),
        cmocka_unit_test(test_list_remove_by), cmocka_unit_test(test_list_context),
        cmocka_unit_test(test_list_query_ops), cmocka_unit_test(test_list_dataset_query),
        cmocka_unit_test(test_list_misuse),    cmocka_unit_test(test_list_hostile),
    };
    return cmocka_run_group_tests(tests, it_setup, it_teardown);
}
