/*
 * test_typed_index.c - the aerogen-generated indexed_create_indexes() of
 * indexed.aero: every declared index is created and ready afterwards (listed,
 * state RW, with the declared bin, type, collection and context), a second
 * call is a no-op, and index queries on them return the rows; against
 * aero-testserver or AERO_HOSTS.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "indexed.aero.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)

static void drop_indexes(void **state) {
    aero_error err;
    for (size_t i = 0; i < INDEXED_INDEX_COUNT; i++)
        assert_aero_ok(aero_index_drop(S, indexed_indexes[i].ns, indexed_indexes[i].name, &err), &err);
}

static const aero_index_info *find(const aero_index_info *list, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0)
            return &list[i];
    return NULL;
}

/* Rows of a query with index filter f, counted; every row must be one of ours (name starts with prefix). */
static size_t count_rows(void **state, const aero_index_filter *f) {
    aero_error err;
    aero_dataset ds = aero_dataset_of(MEMBER_NAMESPACE, MEMBER_SET);
    aero_query *q = aero_session_query(S, &ds);
    aero_query_filter(q, f);
    aero_stream *st = aero_query_execute(q, &err);
    assert_non_null(st);
    size_t n = 0;
    const char *prefix = it_name(ENV, "");
    aero_status rc = AERO_OK;
    for (const aero_record *r; rc == AERO_OK && (r = aero_stream_next(st, &err));) {
        member m;
        rc = member_from_record(r, &m, &err);
        if (rc == AERO_OK && strncmp(m.name, prefix, strlen(prefix)) == 0)
            n++;
    }
    if (rc == AERO_OK)
        rc = err.code;
    aero_stream_close(st); /* before asserting: a failed assertion leaves nothing open */
    assert_aero_ok(rc, &err);
    return n;
}

static void test_create_indexes(void **state) {
    aero_error err;
    drop_indexes(state);
    assert_aero_ok(indexed_create_indexes(S, &err), &err);

    aero_index_info *list = NULL;
    size_t n = 0;
    assert_aero_ok(aero_index_list(S, MEMBER_NAMESPACE, &list, &n, &err), &err);
    for (size_t i = 0; i < INDEXED_INDEX_COUNT; i++) {
        const aero_index_def *d = &indexed_indexes[i];
        const aero_index_info *x = find(list, n, d->name);
        assert_non_null(x);
        assert_string_equal(x->set, MEMBER_SET);
        assert_string_equal(x->bin, d->bin);
        assert_int_equal(x->type, d->type);
        assert_int_equal(x->collection, d->collection);
        assert_int_equal(x->state, AERO_INDEX_STATE_RW); /* create_indexes waited */
        assert_int_equal(x->ctx != NULL, d->ctx != NULL);
    }
    aero_index_list_free(list, n);
    /* The generated table holds what the schema declares. */
    assert_int_equal(INDEXED_INDEX_COUNT, 5);
    assert_string_equal(indexed_indexes[1].name, "aero_it_typed_ix_tags");
    assert_int_equal(indexed_indexes[1].type, AERO_INDEX_STRING);
    assert_int_equal(indexed_indexes[1].collection, AERO_INDEX_COLLECTION_LIST);

    assert_string_equal(indexed_indexes[3].ctx, "$.prefs.theme");
    assert_null(indexed_indexes[0].ctx);

    /* Idempotent: the same definitions again. */
    assert_aero_ok(indexed_create_indexes(S, &err), &err);
}

static void test_queries_use_them(void **state) {
    aero_error err;
    const char *keys[3];
    char names[3][64];
    member ms[3];
    aero_value tags[3][2];
    aero_map_entry prefs[3][2];
    static const char *const homes[3] = {
        "{\"type\":\"Point\",\"coordinates\":[-122.0,37.5]}",
        "{\"type\":\"Point\",\"coordinates\":[-122.1,37.4]}",
        "{\"type\":\"Point\",\"coordinates\":[10.0,50.0]}",
    };
    for (int i = 0; i < 3; i++) {
        snprintf(names[i], sizeof names[i], "%s%d", it_name(ENV, ""), i);
        keys[i] = names[i];
        ms[i] = (member)MEMBER_INIT;
        ms[i].name = names[i];
        ms[i].has_age = true;
        ms[i].age = 20 + 10 * i; /* 20, 30, 40 */
        tags[i][0] = aero_str(i == 1 ? "blue" : "red");
        tags[i][1] = aero_str("all");
        ms[i].has_tags = true;
        ms[i].tags = aero_list(tags[i], 2);
        prefs[i][0].key = aero_str("theme");
        prefs[i][0].value = aero_int(i);
        prefs[i][1].key = aero_str(i == 2 ? "lang" : "size");
        prefs[i][1].value = aero_int(7);
        ms[i].has_prefs = true;
        ms[i].prefs = aero_map(prefs[i], 2);
        ms[i].has_home = true;
        ms[i].home = homes[i];
    }
    aero_status results[3];
    assert_aero_ok(member_upsert_many(S, keys, 3, ms, results, NULL, &err), &err);
    for (int i = 0; i < 3; i++)
        assert_int_equal(results[i], AERO_OK);

    aero_index_filter f = aero_index_range(MEMBER_BIN_AGE, 25, 45);
    assert_int_equal(count_rows(state, &f), 2);
    f = aero_index_contains_str(MEMBER_BIN_TAGS, AERO_INDEX_COLLECTION_LIST, "red");
    assert_int_equal(count_rows(state, &f), 2);
    f = aero_index_contains_str(MEMBER_BIN_PREFS, AERO_INDEX_COLLECTION_MAPKEYS, "lang");
    assert_int_equal(count_rows(state, &f), 1);
    f = aero_index_equal_int(MEMBER_BIN_PREFS, 1); /* through the context index */
    f.ctx = "$.prefs.theme";
    assert_int_equal(count_rows(state, &f), 1);

    bool existed[3];
    assert_aero_ok(member_delete_many(S, keys, 3, existed, results, NULL, &err), &err);
    drop_indexes(state);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_indexes),
        cmocka_unit_test(test_queries_use_them),
    };
    return cmocka_run_group_tests(tests, it_setup, it_teardown);
}
