/*
 * test_typed_decode.c - the decode and validation rules of aero/schema.h,
 * without a server: records are built by hand and decoded through the
 * generated descriptor of typed.aero (item_schema).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "typed.aero.h"
#include "aero_assert.h"

/* A record over caller-provided bins (transparent struct; no server involved). */
static aero_record rec_of(aero_bin *bins, uint32_t n) {
    aero_record r;
    memset(&r, 0, sizeof r);
    r.bins = bins;
    r.n_bins = n;
    return r;
}

static aero_bin bin(const char *name, aero_value v) {
    aero_bin b;
    memset(&b, 0, sizeof b);
    strncpy(b.name, name, AERO_BIN_NAME_MAX);
    b.value = v;
    return b;
}

static void test_decode_fills_fields_and_flags(void **state) {
    (void)state;
    static const uint8_t bytes[] = { 1, 2, 3 };
    aero_value tag_items[] = { aero_str("a") };
    aero_bin bins[] = {
        bin("name", aero_str("n")),
        bin("count", aero_int(5)),
        bin("ratio", aero_int(2)), /* int accepted for double */
        bin("flag", aero_int(1)),  /* 0/1 accepted for bool */
        bin("data", aero_blob(bytes, 3)),
        bin("area", aero_geojson("{}")),
        bin("tags", aero_list(tag_items, 1)),
        bin("desc", aero_str("d")),
        bin("not_in_schema", aero_int(1)),
    };
    aero_record r = rec_of(bins, sizeof bins / sizeof bins[0]);
    item it;
    memset(&it, 0xab, sizeof it);
    aero_error err;
    assert_aero_ok(item_from_record(&r, &it, &err), &err);
    assert_int_equal(err.code, AERO_OK);
    assert_ptr_equal(it.name, bins[0].value.v.str.ptr); /* points into the record, no copy */
    assert_true(it.has_count && it.count == 5);
    assert_true(it.has_ratio && it.ratio == 2.0);
    assert_true(it.has_flag && it.flag);
    assert_true(it.has_data && it.data.ptr == bytes && it.data.len == 3);
    assert_true(it.has_area);
    assert_string_equal(it.area, "{}");
    assert_true(it.has_tags);
    assert_int_equal(it.tags.count, 1);
    assert_true(it.has_description_text);
    assert_string_equal(it.description_text, "d");
    /* Absent bins: INIT values (defaults), flags false. */
    assert_false(it.has_counts);
    assert_null(it.counts.entries);
    assert_false(it.has_status);
    assert_string_equal(it.status, "new");
    assert_false(it.has_level);
    assert_int_equal(it.level, 7);
    assert_false(it.has_query_rank);
    assert_int_equal(it.query_rank, 0);
    aero_record_dispose(&r); /* the arena the decode took for the list */
}

/* Several results for one bin (an operate's write then read of it): the last counts. */
static void test_decode_takes_the_last_result_of_a_bin(void **state) {
    (void)state;
    aero_bin bins[] = {
        bin("name", aero_str("n")), bin("count", aero_nil()), bin("level", aero_int(1)),
        bin("count", aero_int(5)),  bin("level", aero_nil()), bin("ratio", aero_double(1.5)),
        bin("ratio", aero_int(3)),
    };
    aero_record r = rec_of(bins, sizeof bins / sizeof bins[0]);
    item it;
    aero_error err;
    assert_aero_ok(item_from_record(&r, &it, &err), &err);
    assert_true(it.has_count && it.count == 5);
    assert_false(it.has_level); /* the last result is nil: absent, the default stays */
    assert_int_equal(it.level, 7);
    assert_true(it.has_ratio && it.ratio == 3.0);
    assert_ptr_equal(aero_record_get(&r, "count"), &bins[3].value);
    assert_int_equal(aero_record_count(&r, "count"), 2);
    assert_ptr_equal(aero_record_get_nth(&r, "count", 0), &bins[1].value);
    assert_null(aero_record_get_nth(&r, "count", 2));
    char text[160];
    aero_record_format_bins(&r, text, sizeof text);
    assert_string_equal(text, "{'name': 'n', 'count': 5, 'level': None, 'ratio': 3}");
    aero_record_dispose(&r);
}

static void test_decode_errors(void **state) {
    (void)state;
    aero_error err;
    item it;
    /* required bin missing */
    aero_bin b1[] = { bin("count", aero_int(1)) };
    aero_record r = rec_of(b1, 1);
    assert_int_equal(item_from_record(&r, &it, &err), AERO_ERR_BIN_NOT_FOUND);
    assert_non_null(strstr(err.message, "name"));
    /* wrong scalar type */
    aero_bin b2[] = { bin("name", aero_str("n")), bin("count", aero_double(1.5)) };
    aero_record_dispose(&r); /* the decode's arena */
    r = rec_of(b2, 2);
    assert_int_equal(item_from_record(&r, &it, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_non_null(strstr(err.message, "count"));
    /* bool from an int other than 0/1 */
    aero_bin b3[] = { bin("name", aero_str("n")), bin("flag", aero_int(2)) };
    aero_record_dispose(&r); /* the decode's arena */
    r = rec_of(b3, 2);
    assert_int_equal(item_from_record(&r, &it, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    /* nested element of the wrong type, with its path */
    aero_value xs[] = { aero_int(1), aero_str("two") };
    aero_map_entry e[] = { { aero_str("xs"), aero_list(xs, 2) } };
    aero_value outer[] = { aero_map(e, 1) };
    aero_bin b4[] = { bin("name", aero_str("n")), bin("nested", aero_list(outer, 1)) };
    aero_record_dispose(&r); /* the decode's arena */
    r = rec_of(b4, 2);
    assert_int_equal(item_from_record(&r, &it, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_non_null(strstr(err.message, "[0]['xs'][1]"));
    /* a map where a list is declared */
    aero_bin b5[] = { bin("name", aero_str("n")), bin("tags", aero_map(e, 1)) };
    aero_record_dispose(&r); /* the decode's arena */
    r = rec_of(b5, 2);
    assert_int_equal(item_from_record(&r, &it, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    /* another ABI */
    aero_schema_record other = item_schema;
    other.abi = 999;
    aero_bin b6[] = { bin("name", aero_str("n")) };
    aero_record_dispose(&r); /* the decode's arena */
    r = rec_of(b6, 1);
    assert_int_equal(aero_schema_decode(&other, &r, &it, &err), AERO_ERR_SCHEMA_MISMATCH);
    assert_int_equal(aero_schema_decode(&item_schema, NULL, &it, &err), AERO_ERR_PARAM);
    aero_record_dispose(&r);
}

static void test_signatures(void **state) {
    (void)state;
    char why[128];
    aero_value ints[] = { aero_int(1), aero_int(2) };
    aero_value l = aero_list(ints, 2);
    assert_true(aero_schema_value_matches(&l, "li", why, sizeof why));
    assert_true(aero_schema_value_matches(&l, "ld", why, sizeof why)); /* ints are doubles too */
    assert_false(aero_schema_value_matches(&l, "ls", why, sizeof why));
    assert_string_equal(why, "[0]: expected string, got int");
    assert_false(aero_schema_value_matches(&l, "msi", why, sizeof why));
    assert_false(aero_schema_value_matches(&l, "l", why, sizeof why)); /* malformed signature */
    assert_false(aero_schema_value_matches(&l, "lq", why, sizeof why));
    assert_false(aero_schema_value_matches(NULL, "li", NULL, 0));

    aero_map_entry ents[] = { { aero_int(7), aero_list(ints, 2) }, { aero_str("k"), aero_list(ints, 2) } };
    aero_value m = aero_map(ents, 2);
    assert_true(aero_schema_value_matches(&m, "myli", why, sizeof why) == false);
    assert_false(aero_schema_value_matches(&m, "msli", why, sizeof why));
    assert_string_equal(why, "{key 0}: expected string, got int");
    ents[0].key = aero_str("j");
    assert_true(aero_schema_value_matches(&m, "msli", why, sizeof why));
    assert_false(aero_schema_value_matches(&m, "msls", why, sizeof why));
    assert_string_equal(why, "['j'][0]: expected string, got int");
    /* an empty list matches any element type; a tiny why buffer is safe */
    aero_value empty = aero_list(NULL, 0);
    assert_true(aero_schema_value_matches(&empty, "llmsy", why, 1));
    assert_false(aero_schema_value_matches(&m, "msls", why, 3));
    assert_int_equal(strlen(why), 2);
}

static void test_write_refused_before_sending(void **state) {
    (void)state;
    /* Validation happens before any I/O: a NULL session is never reached. */
    aero_error err;
    item it = ITEM_INIT;
    aero_key k = item_key("k");
    assert_int_equal(aero_schema_write(NULL, &item_schema, AERO_SCHEMA_UPSERT, &k, &it, &err), AERO_ERR_PARAM);
    aero_schema_record other = item_schema;
    other.abi = 0;
    assert_int_equal(aero_schema_write(NULL, &other, AERO_SCHEMA_UPSERT, &k, &it, &err), AERO_ERR_SCHEMA_MISMATCH);
    assert_non_null(strstr(err.message, "regenerate"));
    /* Keys carry the record's namespace and set. */
    assert_string_equal(k.ns, "test");
    assert_string_equal(k.set, "aero_it_typed");
    assert_int_equal(k.type, AERO_KEY_STR);
    aero_key ik = counter_key(42);
    assert_int_equal(ik.type, AERO_KEY_INT);
    assert_string_equal(ik.set, "aero_it_counter");
    /* The table is sorted by bin name for lookups. */
    for (uint32_t i = 1; i < item_schema.n_bins; i++)
        assert_true(strcmp(item_schema.bins[item_schema.by_name[i - 1]].name,
                           item_schema.bins[item_schema.by_name[i]].name) < 0);
    assert_int_equal(item_schema.n_bins, ITEM_FIELD_COUNT);
    assert_string_equal(item_schema.bins[ITEM_F_DESCRIPTION_TEXT].name, ITEM_BIN_DESCRIPTION_TEXT);
    assert_string_equal(ITEM_BIN_DESCRIPTION_TEXT, "desc");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_fills_fields_and_flags),
        cmocka_unit_test(test_decode_takes_the_last_result_of_a_bin),
        cmocka_unit_test(test_decode_errors),
        cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_write_refused_before_sending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
