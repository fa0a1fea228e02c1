/*
 * test_cdt_map.c - every map operation and return type through the public
 * API (aero/op.h), against aero-testserver or a real server
 * (AERO_TEST_HOSTS). Each line states the server's whole answer: every op's
 * result in op order, then the record's bins afterwards. The expected lines
 * are what Aerospike 8.1.2.0 and 8.1.1.2 answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cdt_run.h"

#define ENV ((it_env *)*state)

/* Start: m = {'a': 1, 'b': 2, 'c': 3, 'd': 2}, sent unordered in this order. */
static const aero_map_entry M_ENTRIES[] = {
    { { AERO_STR, { .str = { "a", 1 } } }, { AERO_INT, { .i = 1 } } },
    { { AERO_STR, { .str = { "b", 1 } } }, { AERO_INT, { .i = 2 } } },
    { { AERO_STR, { .str = { "c", 1 } } }, { AERO_INT, { .i = 3 } } },
    { { AERO_STR, { .str = { "d", 1 } } }, { AERO_INT, { .i = 2 } } },
};
static aero_bin_value start_bin(void) {
    aero_bin_value b = { "m", aero_map(M_ENTRIES, 4) };
    return b;
}

static void test_map_writes(void **state) {
    aero_path m = aero_path_of("m");
    aero_map_entry two[] = { { aero_str("e"), aero_int(5) }, { aero_str("a"), aero_int(9) } };
    aero_map_policy create_only = { AERO_MAP_UNORDERED, AERO_MAP_WRITE_CREATE_ONLY, false };
    aero_map_policy update_only = { AERO_MAP_UNORDERED, AERO_MAP_WRITE_UPDATE_ONLY, false };
    aero_map_policy co_nofail = { AERO_MAP_UNORDERED, AERO_MAP_WRITE_CREATE_ONLY | AERO_MAP_WRITE_NO_FAIL, false };
    aero_map_policy co_partial = { AERO_MAP_UNORDERED,
                                   AERO_MAP_WRITE_CREATE_ONLY | AERO_MAP_WRITE_NO_FAIL | AERO_MAP_WRITE_PARTIAL,
                                   false };
    aero_map_policy kord = { AERO_MAP_KEY_ORDERED, 0, false };
    CHECK("put", "5 | 5 => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2, 'e': 5}}",
          aero_map_put(&m, aero_str("e"), aero_int(5), NULL), aero_map_size(&m));
    CHECK("put-overwrite", "4 => {'m': {'a': 'x', 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_put(&m, aero_str("a"), aero_str("x"), NULL));
    CHECK("put-create-only", "error 24: upsert failed: ELEMENT_EXISTS => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_put(&m, aero_str("a"), aero_int(0), &create_only));
    CHECK("put-update-only", "error 23: upsert failed: ELEMENT_NOT_FOUND => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_put(&m, aero_str("z"), aero_int(0), &update_only));
    CHECK("put-update-only-ok", "4 => {'m': {'a': 1, 'b': 20, 'c': 3, 'd': 2}}",
          aero_map_put(&m, aero_str("b"), aero_int(20), &update_only));
    CHECK("put-create-only-nofail", "4 => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_put(&m, aero_str("a"), aero_int(0), &co_nofail));
    CHECK("put-items", "5 => {'m': {'a': 9, 'b': 2, 'c': 3, 'd': 2, 'e': 5}}",
          aero_map_put_items(&m, aero_map(two, 2), NULL));
    CHECK("put-items-create-only-nofail", "4 => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_put_items(&m, aero_map(two, 2), &co_nofail));
    CHECK("put-items-partial", "5 => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2, 'e': 5}}",
          aero_map_put_items(&m, aero_map(two, 2), &co_partial));
    CHECK("put-items-create-only", "error 24: upsert failed: ELEMENT_EXISTS => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_put_items(&m, aero_map(two, 2), &create_only));
    CHECK("add", "error 24: upsert failed: ELEMENT_EXISTS => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_add(&m, aero_str("e"), aero_int(5), NULL), aero_map_add(&m, aero_str("a"), aero_int(0), NULL));
    CHECK("add-new", "5 => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2, 'e': 5}}",
          aero_map_add(&m, aero_str("e"), aero_int(5), NULL));
    CHECK("add-items", "5 => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2, 'e': 5}}",
          aero_map_add_items(&m, aero_map(two, 1), &kord));
    CHECK("add-items-exists", "error 24: upsert failed: ELEMENT_EXISTS => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_add_items(&m, aero_map(two, 2), NULL));
    CHECK("replace", "4 => {'m': {'a': 7, 'b': 2, 'c': 3, 'd': 2}}", aero_map_replace(&m, aero_str("a"), aero_int(7)));
    CHECK("replace-missing", "error 23: upsert failed: ELEMENT_NOT_FOUND => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_replace(&m, aero_str("e"), aero_int(7)));
    CHECK("replace-items", "4 => {'m': {'a': 9, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_replace_items(&m, aero_map(two + 1, 1)));
    CHECK("replace-items-missing",
          "error 23: upsert failed: ELEMENT_NOT_FOUND => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_replace_items(&m, aero_map(two, 2)));
    CHECK("increment", "11 | 3 | -3 | 4 => {'m': {'a': 11, 'b': -3, 'c': 4, 'd': 2, 'new': 3}}",
          aero_map_increment(&m, aero_str("a"), aero_int(10), NULL),
          aero_map_increment(&m, aero_str("new"), aero_int(3), NULL),
          aero_map_decrement(&m, aero_str("b"), aero_int(5), NULL),
          aero_map_increment(&m, aero_str("c"), aero_double(1.5), NULL));
    CHECK("clear", "None | 0 => {'m': {}}", aero_map_clear(&m), aero_map_size(&m));
    CHECK("set-policy", "None | {'a': 1} => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_set_policy(&m, AERO_MAP_KEY_ORDERED, false),
          aero_map_get_by_index(&m, 0, AERO_CDT_RETURN_KEY_VALUE));
    CHECK("set-policy-persist", "None | 4 => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_set_policy(&m, AERO_MAP_KEY_ORDERED, true), aero_map_size(&m));
    CHECK("set-policy-kv", "None | ['a', 'b', 'd', 'c'] => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_set_policy(&m, AERO_MAP_KEY_VALUE_ORDERED, false),
          aero_map_get_by_rank_range_from(&m, 0, AERO_CDT_RETURN_KEY));
    CHECK("put-ordered-policy", "1 | 2 => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}, 'fresh': {'a': 2, 'b': 1}}",
          aero_map_put(AERO_BIN("fresh"), aero_str("b"), aero_int(1), &kord),
          aero_map_put(AERO_BIN("fresh"), aero_str("a"), aero_int(2), &kord));
}

static void test_map_get_by(void **state) {
    aero_path m = aero_path_of("m");
    aero_value ac[] = { aero_str("a"), aero_str("c"), aero_str("q") };
    aero_value v23[] = { aero_int(2), aero_int(3) };
    CHECK("get-by-key",
          "None | 1 | 2 | 1 | 2 | 1 | 2 | True | 'b' | {'b': 2} | {'b': 2} | {'b': 2} => {'m': {'a': 1, 'b': 2, 'c': "
          "3, 'd': 2}}",
          ALL_RT(aero_map_get_by_key, &m, aero_str("b")), MAP_RT(aero_map_get_by_key, &m, aero_str("b")));
    CHECK("get-by-key-missing", "None | False => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_get_by_key(&m, aero_str("q"), AERO_CDT_RETURN_VALUE),
          aero_map_get_by_key(&m, aero_str("q"), AERO_CDT_RETURN_EXISTS));
    CHECK("get-by-key-list",
          "None | [0, 2] | [3, 1] | 2 | [1, 3] | True | ['a', 'c'] | {'a': 1, 'c': 3} | {'a': 1, 'c': 3} | {'a': 1, "
          "'c': 3} => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_get_by_key_list(&m, aero_list(ac, 3), AERO_CDT_RETURN_NONE),
          aero_map_get_by_key_list(&m, aero_list(ac, 3), AERO_CDT_RETURN_INDEX),
          aero_map_get_by_key_list(&m, aero_list(ac, 3), AERO_CDT_RETURN_REVERSE_INDEX),
          aero_map_get_by_key_list(&m, aero_list(ac, 3), AERO_CDT_RETURN_COUNT),
          aero_map_get_by_key_list(&m, aero_list(ac, 3), AERO_CDT_RETURN_VALUE),
          aero_map_get_by_key_list(&m, aero_list(ac, 3), AERO_CDT_RETURN_EXISTS),
          MAP_RT(aero_map_get_by_key_list, &m, aero_list(ac, 3)));
    /* the server refuses rank return types on a key list (OP_NOT_APPLICABLE): the client does first */
    CHECK("misuse-key-list-rank",
          "error -2: upsert: map GET_BY_KEY_LIST of bin 'm': RANK and REVERSE_RANK are not available for a key list => "
          "{'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_get_by_key_list(&m, aero_list(ac, 3), AERO_CDT_RETURN_RANK));
    CHECK("get-by-key-range",
          "None | [1, 2] | [1, 2] | [1, 3] | [2, 0] | 2 | [2, 3] | True | ['b', 'c'] | {'b': 2, 'c': 3} | {'b': 2, "
          "'c': 3} | {'b': 2, 'c': 3} => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          ALL_RT(aero_map_get_by_key_range, &m, aero_str("b"), aero_str("d")),
          MAP_RT(aero_map_get_by_key_range, &m, aero_str("b"), aero_str("d")));
    CHECK("get-by-key-range-open", "['a', 'b'] | ['c', 'd'] => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_get_by_key_range(&m, aero_nil(), aero_str("c"), AERO_CDT_RETURN_KEY),
          aero_map_get_by_key_range(&m, aero_str("c"), aero_nil(), AERO_CDT_RETURN_KEY));
    CHECK("get-by-key-rel-index-range",
          "None | [2, 3] | [0, 1] | [3, 2] | [0, 1] | 2 | [3, 2] | True | ['c', 'd'] | {'c': 3, 'd': 2} | {'c': 3, "
          "'d': 2} | {'c': 3, 'd': 2} => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          ALL_RT(aero_map_get_by_key_rel_index_range, &m, aero_str("b"), 1, 2),
          MAP_RT(aero_map_get_by_key_rel_index_range, &m, aero_str("b"), 1, 2));
    CHECK("get-by-key-rel-index-range-from",
          "None | [1, 2, 3] | [0, 1, 2] | [1, 3, 2] | [2, 0, 1] | 3 | [2, 3, 2] | True => {'m': {'a': 1, 'b': 2, 'c': "
          "3, 'd': 2}}",
          ALL_RT(aero_map_get_by_key_rel_index_range_from, &m, aero_str("bb"), -1));
    CHECK("get-by-value",
          "None | [1, 3] | [2, 0] | [1, 2] | [1, 2] | 2 | [2, 2] | True | ['b', 'd'] | {'b': 2, 'd': 2} | {'b': 2, "
          "'d': 2} | {'b': 2, 'd': 2} => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          ALL_RT(aero_map_get_by_value, &m, aero_int(2)), MAP_RT(aero_map_get_by_value, &m, aero_int(2)));
    CHECK("get-first-by-value",
          "None | 1 | 2 | 1 | 2 | 1 | 2 | True | 'b' | {'b': 2} | {'b': 2} | {'b': 2} => {'m': {'a': 1, 'b': 2, 'c': "
          "3, 'd': 2}}",
          ALL_RT(aero_map_get_first_by_value, &m, aero_int(2)), MAP_RT(aero_map_get_first_by_value, &m, aero_int(2)));
    CHECK("remove-first-by-value", "'b' => {'m': {'a': 1, 'c': 3, 'd': 2}}",
          aero_map_remove_first_by_value(&m, aero_int(2), AERO_CDT_RETURN_KEY));
    CHECK(
        "get-by-value-list",
        "None | [1, 2, 3] | [2, 1, 0] | [1, 2, 3] | [2, 1, 0] | 3 | [2, 3, 2] | True | ['b', 'c', 'd'] | {'b': 2, 'c': "
        "3, 'd': 2} | {'b': 2, 'c': 3, 'd': 2} | {'b': 2, 'c': 3, 'd': 2} => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
        ALL_RT(aero_map_get_by_value_list, &m, aero_list(v23, 2)),
        MAP_RT(aero_map_get_by_value_list, &m, aero_list(v23, 2)));
    CHECK("get-by-value-range",
          "None | [1, 3] | [2, 0] | [1, 2] | [1, 2] | 2 | [2, 2] | True | ['b', 'd'] | {'b': 2, 'd': 2} | {'b': 2, "
          "'d': 2} | {'b': 2, 'd': 2} => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          ALL_RT(aero_map_get_by_value_range, &m, aero_int(2), aero_int(3)),
          MAP_RT(aero_map_get_by_value_range, &m, aero_int(2), aero_int(3)));
    CHECK("get-by-value-rel-rank-range",
          "None | [3, 2] | [0, 1] | [2, 3] | [0, 1] | 2 | [2, 3] | True | ['d', 'c'] | {'d': 2, 'c': 3} | {'d': 2, "
          "'c': 3} | {'c': 3, 'd': 2} => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          ALL_RT(aero_map_get_by_value_rel_rank_range, &m, aero_int(2), 1, 2),
          MAP_RT(aero_map_get_by_value_rel_rank_range, &m, aero_int(2), 1, 2));
    CHECK("get-by-value-rel-rank-range-from",
          "None | [0, 1, 3, 2] | [3, 2, 0, 1] | [0, 1, 2, 3] | [0, 1, 2, 3] | 4 | [1, 2, 2, 3] | True => {'m': {'a': "
          "1, 'b': 2, 'c': 3, 'd': 2}}",
          ALL_RT(aero_map_get_by_value_rel_rank_range_from, &m, aero_int(2), -1));
    CHECK("get-by-index",
          "None | 1 | 2 | 1 | 2 | 1 | 2 | True | 'b' | {'b': 2} | {'b': 2} | {'b': 2} => {'m': {'a': 1, 'b': 2, 'c': "
          "3, 'd': 2}}",
          ALL_RT(aero_map_get_by_index, &m, 1), MAP_RT(aero_map_get_by_index, &m, 1));
    CHECK("get-by-index-range",
          "None | [1, 2] | [1, 2] | [1, 3] | [2, 0] | 2 | [2, 3] | True | ['b', 'c'] | {'b': 2, 'c': 3} | {'b': 2, "
          "'c': 3} | {'b': 2, 'c': 3} => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          ALL_RT(aero_map_get_by_index_range, &m, 1, 2), MAP_RT(aero_map_get_by_index_range, &m, 1, 2));
    CHECK("get-by-index-range-from",
          "None | [1, 2, 3] | [0, 1, 2] | [1, 3, 2] | [2, 0, 1] | 3 | [2, 3, 2] | True => {'m': {'a': 1, 'b': 2, 'c': "
          "3, 'd': 2}}",
          ALL_RT(aero_map_get_by_index_range_from, &m, -3));
    CHECK("get-by-rank",
          "None | 2 | 1 | 3 | 0 | 1 | 3 | True | 'c' | {'c': 3} | {'c': 3} | {'c': 3} => {'m': {'a': 1, 'b': 2, 'c': "
          "3, 'd': 2}}",
          ALL_RT(aero_map_get_by_rank, &m, -1), MAP_RT(aero_map_get_by_rank, &m, -1));
    CHECK("get-by-rank-range",
          "None | [0, 1] | [3, 2] | [0, 1] | [2, 3] | 2 | [1, 2] | True | ['a', 'b'] | {'a': 1, 'b': 2} | {'a': 1, "
          "'b': 2} | {'a': 1, 'b': 2} => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          ALL_RT(aero_map_get_by_rank_range, &m, 0, 2), MAP_RT(aero_map_get_by_rank_range, &m, 0, 2));
    CHECK("get-by-rank-range-from",
          "None | [3, 2] | [0, 1] | [2, 3] | [0, 1] | 2 | [2, 3] | True => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          ALL_RT(aero_map_get_by_rank_range_from, &m, 2));
}

static void test_map_inverted(void **state) {
    aero_path m = aero_path_of("m");
    aero_value ac[] = { aero_str("a"), aero_str("c") };
    aero_value v23[] = { aero_int(2), aero_int(3) };
    CHECK("inverted",
          "['b', 'd'] | {'a': 1, 'd': 2} | ['a', 'b'] | 2 | {'a': 1} | {'a': 1, 'c': 3} | [1, 2] | ['a', 'd'] | ['d', "
          "'c'] | True => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_get_by_key_list(&m, aero_list(ac, 2), INV(AERO_CDT_RETURN_KEY)),
          aero_map_get_by_key_range(&m, aero_str("b"), aero_str("d"), INV(AERO_CDT_RETURN_KEY_VALUE)),
          aero_map_get_by_key_rel_index_range(&m, aero_str("b"), 1, 2, INV(AERO_CDT_RETURN_KEY)),
          aero_map_get_by_value(&m, aero_int(2), INV(AERO_CDT_RETURN_COUNT)),
          aero_map_get_by_value_list(&m, aero_list(v23, 2), INV(AERO_CDT_RETURN_UNORDERED_MAP)),
          aero_map_get_by_value_range(&m, aero_int(2), aero_int(3), INV(AERO_CDT_RETURN_ORDERED_MAP)),
          aero_map_get_by_value_rel_rank_range(&m, aero_int(2), 1, 2, INV(AERO_CDT_RETURN_VALUE)),
          aero_map_get_by_index_range(&m, 1, 2, INV(AERO_CDT_RETURN_KEY)),
          aero_map_get_by_rank_range(&m, 0, 2, INV(AERO_CDT_RETURN_KEY)),
          aero_map_get_by_rank_range_from(&m, 1, INV(AERO_CDT_RETURN_EXISTS)));
    CHECK("misuse-inverted-key",
          "error -2: upsert: map GET_BY_KEY of bin 'm': INVERTED applies to selectors of several items (ranges, "
          "values, lists), not to one index, rank or key => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_get_by_key(&m, aero_str("a"), INV(AERO_CDT_RETURN_VALUE)));
}

static void test_map_remove_by(void **state) {
    aero_path m = aero_path_of("m");
    aero_value ac[] = { aero_str("a"), aero_str("c") };
    aero_value v23[] = { aero_int(2), aero_int(3) };
    CHECK("remove-by-key", "2 => {'m': {'a': 1, 'c': 3, 'd': 2}}",
          aero_map_remove_by_key(&m, aero_str("b"), AERO_CDT_RETURN_VALUE));
    CHECK("remove-by-key-list", "{'a': 1, 'c': 3} => {'m': {'b': 2, 'd': 2}}",
          aero_map_remove_by_key_list(&m, aero_list(ac, 2), AERO_CDT_RETURN_KEY_VALUE));
    CHECK("remove-by-key-range", "['b', 'c'] => {'m': {'a': 1, 'd': 2}}",
          aero_map_remove_by_key_range(&m, aero_str("b"), aero_str("d"), AERO_CDT_RETURN_KEY));
    CHECK("remove-by-key-rel-index-range", "2 => {'m': {'a': 1, 'b': 2}}",
          aero_map_remove_by_key_rel_index_range(&m, aero_str("b"), 1, 2, AERO_CDT_RETURN_COUNT));
    CHECK("remove-by-key-rel-index-range-from", "{'b': 2, 'c': 3, 'd': 2} => {'m': {'a': 1}}",
          aero_map_remove_by_key_rel_index_range_from(&m, aero_str("b"), 0, AERO_CDT_RETURN_ORDERED_MAP));
    CHECK("remove-by-value", "['b', 'd'] => {'m': {'a': 1, 'c': 3}}",
          aero_map_remove_by_value(&m, aero_int(2), AERO_CDT_RETURN_KEY));
    CHECK("remove-by-value-list", "None => {'m': {'a': 1}}",
          aero_map_remove_by_value_list(&m, aero_list(v23, 2), AERO_CDT_RETURN_NONE));
    CHECK("remove-by-value-range", "[0, 1, 3] => {'m': {'c': 3}}",
          aero_map_remove_by_value_range(&m, aero_int(1), aero_int(3), AERO_CDT_RETURN_INDEX));
    CHECK("remove-by-value-rel-rank-range", "['b', 'd'] => {'m': {'a': 1, 'c': 3}}",
          aero_map_remove_by_value_rel_rank_range(&m, aero_int(2), 0, 2, AERO_CDT_RETURN_KEY));
    CHECK("remove-by-value-rel-rank-range-from", "{'d': 2, 'c': 3} => {'m': {'a': 1, 'b': 2}}",
          aero_map_remove_by_value_rel_rank_range_from(&m, aero_int(2), 1, AERO_CDT_RETURN_UNORDERED_MAP));
    CHECK("remove-by-index", "{'a': 1} => {'m': {'b': 2, 'c': 3, 'd': 2}}",
          aero_map_remove_by_index(&m, 0, AERO_CDT_RETURN_KEY_VALUE));
    CHECK("remove-by-index-range", "[1, 2] => {'m': {'a': 1, 'd': 2}}",
          aero_map_remove_by_index_range(&m, 1, 2, AERO_CDT_RETURN_REVERSE_INDEX));
    CHECK("remove-by-index-range-from", "True => {'m': {'a': 1, 'b': 2, 'c': 3}}",
          aero_map_remove_by_index_range_from(&m, -1, AERO_CDT_RETURN_EXISTS));
    CHECK("remove-by-rank", "'a' => {'m': {'b': 2, 'c': 3, 'd': 2}}",
          aero_map_remove_by_rank(&m, 0, AERO_CDT_RETURN_KEY));
    CHECK("remove-by-rank-range", "[1, 2] => {'m': {'a': 1, 'c': 3}}",
          aero_map_remove_by_rank_range(&m, 1, 2, AERO_CDT_RETURN_RANK));
    CHECK("remove-by-rank-range-from", "[0, 1] => {'m': {'a': 1, 'b': 2}}",
          aero_map_remove_by_rank_range_from(&m, -2, AERO_CDT_RETURN_REVERSE_RANK));
    CHECK("remove-by-key-list-inverted", "['b', 'd'] => {'m': {'a': 1, 'c': 3}}",
          aero_map_remove_by_key_list(&m, aero_list(ac, 2), INV(AERO_CDT_RETURN_KEY)));
}

/* Nested maps and lists through a context path; maps created on the way. */
static void test_map_context(void **state) {
    aero_value xs[] = { aero_int(1), aero_int(2) };
    aero_value xs3[] = { aero_int(1), aero_int(2), aero_int(3) }; /* x after the append */
    aero_map_entry y[] = { { aero_str("z"), aero_int(5) } };
    aero_map_entry top[] = { { aero_str("x"), aero_list(xs, 2) }, { aero_str("y"), aero_map(y, 1) } };
    aero_bin_value st[] = { { "n", aero_map(top, 2) } };
    aero_op ops[] = {
        aero_list_append(AERO_PATH("n", aero_at_map_key_str("x")), aero_int(3), NULL),
        aero_map_put(AERO_PATH("n", aero_at_map_key_str("y")), aero_str("w"), aero_int(6), NULL),
        aero_map_get_by_key(AERO_PATH("n", aero_at_map_index(1)), aero_str("z"), AERO_CDT_RETURN_VALUE),
        aero_map_size(AERO_PATH("n", aero_at_map_rank(1))),
        aero_map_put(AERO_PATH("n", aero_at_map_key_create(aero_str("k"), AERO_MAP_KEY_ORDERED)), aero_str("q"),
                     aero_int(1), NULL),
        aero_list_get_by_index(AERO_PATH("n", aero_at_map_value(aero_list(xs3, 3))), -1, AERO_CDT_RETURN_VALUE),
    };
    cdt_expect("context", cdt_run(ENV, "context", st, 1, ops, N(ops)),
               "3 | 2 | 5 | 2 | 1 | 3 => {'n': {'k': {'q': 1}, 'x': [1, 2, 3], 'y': {'w': 6, 'z': 5}}}");
    aero_op missing[] = { aero_list_set(AERO_PATH("n", aero_at_map_key_int(7)), 0, aero_int(1), NULL) };
    cdt_expect("context-missing", cdt_run(ENV, "missing", st, 1, missing, N(missing)),
               "error 26: upsert failed: OP_NOT_APPLICABLE => {'n': {'x': [1, 2], 'y': {'z': 5}}}");
    aero_op create[] = {
        aero_map_create(AERO_PATH("n", aero_at_map_key_str("c")), AERO_MAP_KEY_ORDERED),
        aero_map_put(AERO_PATH("n", aero_at_map_key_str("c")), aero_str("b"), aero_int(2), NULL),
        aero_map_put(AERO_PATH("n", aero_at_map_key_str("c")), aero_str("a"), aero_int(1), NULL),
        aero_map_get_by_index(AERO_PATH("n", aero_at_map_key_str("c")), 0, AERO_CDT_RETURN_KEY),
    };
    cdt_expect("create", cdt_run(ENV, "create", st, 1, create, N(create)),
               "None | 1 | 2 | 'a' => {'n': {'c': {'a': 1, 'b': 2}, 'x': [1, 2], 'y': {'z': 5}}}");
    aero_path p;
    aero_error err;
    assert_int_equal(aero_path_parse(&p, "$.n.y", &err), AERO_OK);
    aero_op via_ael[] = { aero_map_get_by_key(&p, aero_str("z"), AERO_CDT_RETURN_VALUE) };
    cdt_expect("ael-path", cdt_run(ENV, "ael", st, 1, via_ael, N(via_ael)), "5 => {'n': {'x': [1, 2], 'y': {'z': 5}}}");
}

/* One bin, several ops, scalar ops, where() and generation in one operate. */
static void test_map_operate_mix(void **state) {
    aero_path m = aero_path_of("m");
    aero_key k = it_key(ENV, "mix");
    aero_error err;
    aero_bin_value st[] = { start_bin() };
    aero_write *w = aero_session_upsert(ENV->session, &k);
    aero_write_put(w, st, 1);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_OK);
    w = aero_session_update(ENV->session, &k);
    aero_write_where(w, "$.m.a == 1");
    aero_write_ensure_generation_is(w, 1);
    aero_write_expire_after_seconds(w, 1000);
    aero_write_bin_set_int(w, "count", 1);
    aero_write_op(w, aero_map_put(&m, aero_str("e"), aero_int(4), NULL));
    aero_write_op(w, aero_map_get_by_key(&m, aero_str("e"), AERO_CDT_RETURN_VALUE));
    aero_write_bin_get(w, "count");
    aero_write_op(w, aero_map_size(&m));
    aero_record r;
    aero_record_init(&r);
    assert_int_equal(aero_write_execute(w, &r, &err), AERO_OK);
    assert_int_equal(r.generation, 2);
    assert_true(r.ttl > 990 && r.ttl <= 1000);
    assert_int_equal(r.n_bins, 5);
    assert_string_equal(r.bins[0].name, "count");
    assert_int_equal(r.bins[0].value.type, AERO_NIL);
    assert_string_equal(r.bins[1].name, "m");
    assert_int_equal(r.bins[1].value.v.i, 5);
    assert_int_equal(r.bins[2].value.v.i, 4);
    assert_int_equal(r.bins[3].value.v.i, 1);
    assert_int_equal(r.bins[4].value.v.i, 5);
    assert_int_equal(aero_record_get(&r, "m")->v.i, 5); /* the last result for the bin */
    assert_int_equal(aero_record_count(&r, "m"), 3);    /* one per op on it, in op order */
    assert_int_equal(aero_record_get_nth(&r, "m", 0)->v.i, 5);
    assert_int_equal(aero_record_get_nth(&r, "m", 1)->v.i, 4);
    assert_null(aero_record_get_nth(&r, "m", 3));
    /* the where() now fails: nothing applied */
    w = aero_session_update(ENV->session, &k);
    aero_write_where(w, "$.m.a == 2");
    aero_write_fail_on_filtered_out(w);
    aero_write_op(w, aero_map_clear(&m));
    assert_int_equal(aero_write_execute(w, &r, &err), AERO_ERR_FILTERED_OUT);
    aero_record_dispose(&r);
}

/* Map ops as read projections of a point read; modify ops refused there. */
static void test_map_query_ops(void **state) {
    aero_path m = aero_path_of("m");
    aero_bin_value st[] = { start_bin() };
    aero_op ops[] = { aero_map_get_by_key(&m, aero_str("c"), AERO_CDT_RETURN_VALUE),
                      aero_map_get_by_rank_range(&m, 0, 2, AERO_CDT_RETURN_KEY), aero_map_size(&m) };
    cdt_expect("point-read", cdt_read(ENV, "point", st, 1, ops, N(ops)),
               "3 | ['a', 'b'] | 4 => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}");
    aero_op bad[] = { aero_map_remove_by_key(&m, aero_str("a"), AERO_CDT_RETURN_NONE) };
    cdt_expect("point-read-modify", cdt_read(ENV, "point-mod", st, 1, bad, N(bad)),
               "error -2: query: map REMOVE_BY_KEY modifies the record: a query takes read operations only (use "
               "aero_write_op) => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}");
}

static void test_map_misuse(void **state) {
    aero_path m = aero_path_of("m");
    aero_map_policy both = { AERO_MAP_UNORDERED, AERO_MAP_WRITE_CREATE_ONLY | AERO_MAP_WRITE_UPDATE_ONLY, false };
    aero_map_policy partial = { AERO_MAP_UNORDERED, AERO_MAP_WRITE_PARTIAL, false };
    aero_map_policy inc_flags = { AERO_MAP_UNORDERED, AERO_MAP_WRITE_NO_FAIL, false };
    aero_map_policy persist_nested = { AERO_MAP_KEY_ORDERED, 0, true };
    CHECK("misuse-flags",
          "error -2: upsert: map PUT of bin 'm': AERO_MAP_WRITE_CREATE_ONLY and AERO_MAP_WRITE_UPDATE_ONLY contradict "
          "each other => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_put(&m, aero_str("a"), aero_int(1), &both));
    CHECK("misuse-partial",
          "error -2: upsert: map PUT of bin 'm': AERO_MAP_WRITE_PARTIAL needs AERO_MAP_WRITE_NO_FAIL => {'m': {'a': 1, "
          "'b': 2, 'c': 3, 'd': 2}}",
          aero_map_put(&m, aero_str("a"), aero_int(1), &partial));
    CHECK("misuse-inc-flags",
          "error -2: upsert: map INCREMENT of bin 'm': write flags do not apply to increment and decrement => {'m': "
          "{'a': 1, 'b': 2, 'c': 3, 'd': 2}}",
          aero_map_increment(&m, aero_str("a"), aero_int(1), &inc_flags));
    CHECK("misuse-inc-str",
          "error -2: upsert: map INCREMENT of bin 'm': the increment must be an int or a double => {'m': {'a': 1, 'b': "
          "2, 'c': 3, 'd': 2}}",
          aero_map_increment(&m, aero_str("a"), aero_str("1"), NULL));
    CHECK("misuse-items",
          "error -2: upsert: map PUT_ITEMS of bin 'm': items must be a map value => {'m': {'a': 1, 'b': 2, 'c': 3, "
          "'d': 2}}",
          aero_map_put_items(&m, aero_int(1), NULL));
    CHECK("misuse-order",
          "error -2: upsert: map SET_TYPE of bin 'm': map order must be an aero_map_order => {'m': {'a': 1, 'b': 2, "
          "'c': 3, 'd': 2}}",
          aero_map_set_policy(&m, (aero_map_order)2, false));
    CHECK("misuse-persist-nested",
          "error -2: upsert: map PUT of bin 'm': persist_index applies to a top-level map only => {'m': {'a': 1, 'b': "
          "2, 'c': 3, 'd': 2}}",
          aero_map_put(AERO_PATH("m", aero_at_map_key_str("a")), aero_str("a"), aero_int(1), &persist_nested));
    CHECK("misuse-null-key",
          "error -2: upsert: map GET_BY_KEY of bin 'm': a string value is NULL => {'m': {'a': 1, 'b': 2, 'c': 3, 'd': "
          "2}}",
          aero_map_get_by_key(&m, aero_strn(NULL, 3), AERO_CDT_RETURN_VALUE));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_writes),    cmocka_unit_test(test_map_get_by),
        cmocka_unit_test(test_map_inverted),  cmocka_unit_test(test_map_remove_by),
        cmocka_unit_test(test_map_context),   cmocka_unit_test(test_map_operate_mix),
        cmocka_unit_test(test_map_query_ops), cmocka_unit_test(test_map_misuse),
    };
    return cmocka_run_group_tests(tests, it_setup, it_teardown);
}
