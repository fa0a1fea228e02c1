/*
 * test_typed_docs.c - documents and typed collections through the generated
 * API (docs.aero), against aero-testserver or AERO_HOSTS: every shape
 * round-trips through a typed write and a typed get, a batch and a stream
 * row; documents are stored as maps keyed by field name (checked with the
 * untyped API); optional fields, defaults and unknown keys on read; a stored
 * document that lacks a required field is refused with its path; an hll bin
 * keeps its particle; queries filter through document paths; and a warm
 * typed get of all of it allocates nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <aero/hll.h>

#include "docs.aero.h"
#include "harness.h"

#include "alloc_count.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)

/* ---- a contact with every shape filled ---- */

static const char *const home_lines[] = { "2nd floor", "left door" };
static const char *const point = "{\"type\":\"Point\",\"coordinates\":[13.4,52.5]}";
static address past_v[2];
static map_str_address_entry kinds_v[2];
static address person_past_v[1];
static person people_v[2];
static const double grid0[] = { 1.5, -2.25 };
static map_int_list_double_entry grid_v[2];
static const bool flags_v[] = { true, false, true };
static const uint8_t b0[] = { 0x00, 0xff }, b1[] = { 0x7f };
static aero_bytes blobs_v[3];
static const int64_t row0[] = { 1, 2, 3 }, row1[] = { INT64_MIN };
static aero_list_int matrix_v[3];

static contact filled(const char *name, int64_t run) {
    contact c = CONTACT_INIT;
    c.name = name;
    c.has_run = true;
    c.run = run;

    c.has_home = true;
    c.home.street = "Main St 1";
    c.home.has_zip = true;
    c.home.zip = 10115;
    c.home.has_spot = true;
    c.home.spot = point;
    c.home.has_lines = true;
    c.home.lines.items = home_lines;
    c.home.lines.count = 2;

    address a = ADDRESS_INIT;
    a.street = "Old Road";
    past_v[0] = a;
    a.street = "Older Lane";
    a.has_zip = true;
    a.zip = 99999;
    a.has_city = true;
    a.city = "Hamburg";
    past_v[1] = a;
    c.has_past = true;
    c.past.items = past_v;
    c.past.count = 2;

    address office = ADDRESS_INIT;
    office.street = "Work Ave";
    office.has_city = true;
    office.city = "Munich";
    kinds_v[0].key = "office";
    kinds_v[0].value = office;
    address cabin = ADDRESS_INIT;
    cabin.street = "Lake";
    kinds_v[1].key = "cabin";
    kinds_v[1].value = cabin;
    c.has_by_kind = true;
    c.by_kind.entries = kinds_v;
    c.by_kind.count = 2;

    person p = PERSON_INIT;
    p.name = "Ann";
    p.has_home = true;
    p.home = past_v[1];
    person_past_v[0] = office;
    p.has_past = true;
    p.past.items = person_past_v;
    p.past.count = 1;
    p.has_score = true;
    p.score = 4.75;
    people_v[0] = p;
    person q = PERSON_INIT;
    q.name = "Bob"; /* nothing else: home absent, score default */
    people_v[1] = q;
    c.has_people = true;
    c.people.items = people_v;
    c.people.count = 2;

    grid_v[0].key = -1;
    grid_v[0].value.items = grid0;
    grid_v[0].value.count = 2;
    grid_v[1].key = 7;
    grid_v[1].value.items = grid0; /* empty list, not "no list" */
    grid_v[1].value.count = 0;
    c.has_grid = true;
    c.grid.entries = grid_v;
    c.grid.count = 2;

    c.has_flags = true;
    c.flags.items = flags_v;
    c.flags.count = 3;

    blobs_v[0].ptr = b0;
    blobs_v[0].len = 2;
    blobs_v[1].ptr = b1;
    blobs_v[1].len = 1;
    blobs_v[2].ptr = b1;
    blobs_v[2].len = 0;
    c.has_blobs = true;
    c.blobs.items = blobs_v;
    c.blobs.count = 3;

    matrix_v[0].items = row0;
    matrix_v[0].count = 3;
    matrix_v[1].items = row0;
    matrix_v[1].count = 0;
    matrix_v[2].items = row1;
    matrix_v[2].count = 1;
    c.has_matrix = true;
    c.matrix.items = matrix_v;
    c.matrix.count = 3;
    return c;
}

static void check_address(const address *got, const address *want) {
    assert_string_equal(got->street, want->street);
    assert_int_equal(got->has_zip, want->has_zip);
    if (want->has_zip)
        assert_int_equal(got->zip, want->zip);
    assert_int_equal(got->has_city, want->has_city);
    assert_string_equal(got->city, want->city); /* the default when absent */
    assert_int_equal(got->has_spot, want->has_spot);
    if (want->has_spot)
        assert_non_null(strstr(got->spot, "Point"));
    assert_int_equal(got->has_lines, want->has_lines);
    if (want->has_lines) {
        assert_int_equal(got->lines.count, want->lines.count);
        for (size_t i = 0; i < want->lines.count; i++)
            assert_string_equal(got->lines.items[i], want->lines.items[i]);
    }
}

static void check_filled(const contact *got, const contact *want) {
    assert_string_equal(got->name, want->name);
    assert_true(got->has_home);
    check_address(&got->home, &want->home);
    assert_int_equal(got->past.count, 2);
    for (size_t i = 0; i < 2; i++)
        check_address(&got->past.items[i], &want->past.items[i]);
    assert_int_equal(got->by_kind.count, 2);
    for (size_t i = 0; i < 2; i++) { /* a map's order is the server's: match by key */
        const map_str_address_entry *w = NULL;
        for (size_t j = 0; j < 2; j++)
            if (strcmp(want->by_kind.entries[j].key, got->by_kind.entries[i].key) == 0)
                w = &want->by_kind.entries[j];
        assert_non_null(w);
        check_address(&got->by_kind.entries[i].value, &w->value);
    }
    assert_int_equal(got->people.count, 2);
    assert_string_equal(got->people.items[0].name, "Ann");
    check_address(&got->people.items[0].home, &want->people.items[0].home);
    assert_int_equal(got->people.items[0].past.count, 1);
    check_address(&got->people.items[0].past.items[0], &want->people.items[0].past.items[0]);
    assert_true(got->people.items[0].score == 4.75);
    assert_string_equal(got->people.items[1].name, "Bob");
    assert_false(got->people.items[1].has_home);
    assert_false(got->people.items[1].has_score);
    assert_true(got->people.items[1].score == 0.5);
    assert_int_equal(got->grid.count, 2);
    for (size_t i = 0; i < 2; i++) {
        const map_int_list_double_entry *e = &got->grid.entries[i];
        if (e->key == -1) {
            assert_int_equal(e->value.count, 2);
            assert_true(e->value.items[0] == 1.5 && e->value.items[1] == -2.25);
        } else {
            assert_int_equal(e->key, 7);
            assert_int_equal(e->value.count, 0);
            assert_non_null(e->value.items);
        }
    }
    assert_int_equal(got->flags.count, 3);
    assert_true(got->flags.items[0] && !got->flags.items[1] && got->flags.items[2]);
    assert_int_equal(got->blobs.count, 3);
    assert_int_equal(got->blobs.items[0].len, 2);
    assert_memory_equal(got->blobs.items[0].ptr, b0, 2);
    assert_int_equal(got->blobs.items[1].ptr[0], 0x7f);
    assert_int_equal(got->blobs.items[2].len, 0);
    assert_int_equal(got->matrix.count, 3);
    assert_int_equal(got->matrix.items[0].count, 3);
    assert_int_equal(got->matrix.items[0].items[2], 3);
    assert_int_equal(got->matrix.items[1].count, 0);
    assert_true(got->matrix.items[2].items[0] == INT64_MIN);
}

static void test_round_trip(void **state) {
    aero_error err;
    const char *k = it_name(ENV, "rt");
    contact in = filled(k, 1);
    assert_aero_ok(contact_upsert(S, k, &in, &err), &err);

    aero_record holder;
    aero_record_init(&holder);
    contact out;
    assert_aero_ok(contact_get(S, k, &out, &holder, &err), &err);
    check_filled(&out, &in);
    assert_false(out.has_seen);

    /* the same from a batch and from a stream row (decoded from the record's values) */
    const char *keys[1] = { k };
    contact many[1];
    aero_status results[1];
    aero_record holders[1];
    aero_record_init(&holders[0]);
    assert_aero_ok(contact_get_many(S, keys, 1, many, results, holders, &err), &err);
    assert_int_equal(results[0], AERO_OK);
    check_filled(&many[0], &in);
    aero_record_dispose(&holders[0]);

    /* stored as maps keyed by field name: the untyped view */
    aero_record raw;
    aero_record_init(&raw);
    aero_key ak = contact_key(k);
    assert_aero_ok(aero_session_get(S, &ak, NULL, 0, &raw, &err), &err);
    const aero_value *home = aero_record_get(&raw, "home");
    assert_non_null(home);
    assert_int_equal(home->type, AERO_MAP);
    assert_int_equal(home->v.map.count, 4); /* street, zip, spot, lines: city absent */
    bool saw_zip = false;
    for (uint32_t i = 0; i < home->v.map.count; i++) {
        const aero_map_entry *e = &home->v.map.entries[i];
        assert_int_equal(e->key.type, AERO_STR);
        if (strcmp(e->key.v.str.ptr, "zip") == 0) {
            assert_int_equal(e->value.type, AERO_INT);
            assert_int_equal(e->value.v.i, 10115);
            saw_zip = true;
        }
        if (strcmp(e->key.v.str.ptr, "spot") == 0)
            assert_int_equal(e->value.type, AERO_GEOJSON);
    }
    assert_true(saw_zip);
    aero_record_dispose(&raw);
    aero_record_dispose(&holder);
    assert_aero_ok(contact_delete(S, k, NULL, &err), &err);
}

static void test_read_rules(void **state) {
    aero_error err;
    const char *k = it_name(ENV, "rules");
    aero_key ak = contact_key(k);
    /* a home written untyped: an extra key, a nil-free minimal document */
    aero_map_entry home_e[] = { { aero_str("street"), aero_str("S") }, { aero_str("extra"), aero_int(5) } };
    aero_value home = aero_map(home_e, 2);
    aero_write *w = aero_session_upsert(S, &ak);
    aero_write_bin_set_str(w, "name", "n");
    aero_write_bin_set(w, "home", &home);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);

    aero_record holder;
    aero_record_init(&holder);
    contact out;
    assert_aero_ok(contact_get(S, k, &out, &holder, &err), &err);
    assert_true(out.has_home);
    assert_string_equal(out.home.street, "S");
    assert_false(out.home.has_zip);
    assert_string_equal(out.home.city, "Berlin");
    assert_false(out.home.has_lines);
    assert_null(out.home.lines.items);
    assert_false(out.has_past);

    /* a stored document without its required field, deep in a list: refused with the path */
    aero_map_entry bad_e[] = { { aero_str("zip"), aero_int(1) } };
    aero_value bad_addr = aero_map(bad_e, 1);
    aero_value good_addr = home;
    aero_value past[] = { good_addr, bad_addr };
    aero_value past_v = aero_list(past, 2);
    w = aero_session_upsert(S, &ak);
    aero_write_bin_set(w, "past", &past_v);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    assert_int_equal(contact_get(S, k, &out, &holder, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_non_null(strstr(err.message, "contact.past[1]"));
    assert_non_null(strstr(err.message, "street"));

    /* a field of the wrong type */
    aero_map_entry wrong_e[] = { { aero_str("street"), aero_str("S") }, { aero_str("zip"), aero_str("x") } };
    aero_value wrong = aero_map(wrong_e, 2);
    w = aero_session_upsert(S, &ak);
    aero_write_bin_remove(w, "past");
    aero_write_bin_set(w, "home", &wrong);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    assert_int_equal(contact_get(S, k, &out, &holder, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_non_null(strstr(err.message, "contact.home.zip is string, declared int"));

    /* a write with a NULL required field deep inside is refused before sending */
    contact in = CONTACT_INIT;
    in.name = "n";
    address a = ADDRESS_INIT; /* street NULL */
    person p = PERSON_INIT;
    p.name = "P";
    p.has_past = true;
    p.past.items = &a;
    p.past.count = 1;
    in.has_people = true;
    in.people.items = &p;
    in.people.count = 1;
    assert_int_equal(contact_upsert(S, k, &in, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "contact.people[0].past[0].street is NULL"));

    aero_record_dispose(&holder);
    assert_aero_ok(contact_delete(S, k, NULL, &err), &err);
}

static void test_hll_bin(void **state) {
    aero_error err;
    const char *k = it_name(ENV, "hll"), *k2 = it_name(ENV, "hll2");
    aero_key ak = contact_key(k), ak2 = contact_key(k2);
    aero_value names[] = { aero_str("a"), aero_str("b"), aero_str("c"), aero_str("a") };
    aero_write *w = aero_session_upsert(S, &ak);
    aero_write_bin_set_str(w, "name", "n");
    aero_write_op(w, aero_hll_add(AERO_BIN("seen"), aero_list(names, 4), 8, 0, NULL));
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);

    aero_record holder;
    aero_record_init(&holder);
    contact c;
    assert_aero_ok(contact_get(S, k, &c, &holder, &err), &err);
    assert_true(c.has_seen);
    assert_true(c.seen.len > 8);
    /* written back typed into another record, the sketch still counts 3 */
    c.name = "copy";
    assert_aero_ok(contact_upsert(S, k2, &c, &err), &err);
    aero_record rec;
    aero_record_init(&rec);
    w = aero_session_update(S, &ak2);
    aero_write_op(w, aero_hll_get_count(AERO_BIN("seen")));
    assert_aero_ok(aero_write_execute(w, &rec, &err), &err);
    const aero_value *n = aero_record_get(&rec, "seen");
    assert_non_null(n);
    assert_int_equal(n->type, AERO_INT);
    assert_int_equal(n->v.i, 3);
    aero_record_dispose(&rec);
    aero_record_dispose(&holder);
    assert_aero_ok(contact_delete(S, k, NULL, &err), &err);
    assert_aero_ok(contact_delete(S, k2, NULL, &err), &err);
}

/* Rows of a stream: their names, counted; each decoded into the struct. */
static int names_of(aero_stream *st, char found[][64], int cap) {
    aero_error err;
    int n = 0;
    assert_non_null(st);
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        contact c;
        assert_aero_ok(contact_from_record(r, &c, &err), &err);
        if (n < cap)
            snprintf(found[n], sizeof found[n], "%s", c.name);
        n++;
    }
    assert_int_equal(err.code, AERO_OK);
    aero_stream_close(st);
    return n;
}

static void test_queries_through_documents(void **state) {
    aero_error err;
    const int64_t run = it_unique_int(ENV, "docq");
    const char *names[3] = { "q-near", "q-far", "q-office" };
    char keys[3][96];
    for (int i = 0; i < 3; i++) {
        snprintf(keys[i], sizeof keys[i], "%s", it_name(ENV, names[i]));
        contact c = filled(names[i], run);
        if (i == 0) {
            c.home.zip = 9000;
            c.has_by_kind = false;
        }
        if (i == 1)
            c.home.lines.count = 1;
        if (i == 2) {
            c.home.zip = 20000;
            c.home.has_lines = false;
        }
        assert_aero_ok(contact_upsert(S, keys[i], &c, &err), &err);
    }
    char found[4][64];
    assert_int_equal(names_of(contact_in_zip(S, run, 9000, &err), found, 4), 1);
    assert_string_equal(found[0], "q-near");
    /* q-far keeps 10115, q-office has 20000 */
    assert_int_equal(names_of(contact_far_zip(S, run, &err), found, 4), 2);
    assert_true(strcmp(found[0], "q-near") != 0 && strcmp(found[1], "q-near") != 0);
    /* q-near and q-far have lines[0] == "2nd floor"; q-office has no lines */
    assert_int_equal(names_of(contact_first_line(S, run, "2nd floor", &err), found, 4), 2);
    /* the office city is Munich where by_kind is there (q-far, q-office) */
    assert_int_equal(names_of(contact_office_city(S, run, "Munich", &err), found, 4), 2);
    assert_int_equal(names_of(contact_office_city(S, run, "Berlin", &err), found, 4), 0);
    for (int i = 0; i < 3; i++)
        assert_aero_ok(contact_delete(S, keys[i], NULL, &err), &err);
}

static void test_warm_get_allocates_nothing(void **state) {
    aero_error err;
    const char *k = it_name(ENV, "alloc");
    contact in = filled(k, 2);
    assert_aero_ok(contact_upsert(S, k, &in, &err), &err);
    aero_record holder;
    aero_record_init(&holder);
    contact out;
    for (int i = 0; i < 3; i++) /* warm: the holder's buffer and arena grow to fit */
        assert_aero_ok(contact_get(S, k, &out, &holder, &err), &err);
    allocs = 0;
    counting = true;
    for (int i = 0; i < 20; i++)
        assert_aero_ok(contact_get(S, k, &out, &holder, &err), &err);
    counting = false;
    assert_int_equal(allocs, 0);
    check_filled(&out, &in);

    /* a loop of typed operates: builders are recycled, so warm ones allocate nothing either */
    int64_t run = 0, n_past = 0;
    address got;
    bool found = false;
    for (int i = 0; i < 23; i++) {
        if (i == 3) { /* after three warm-up rounds */
            allocs = 0;
            counting = true;
        }
        contact_ops *o = contact_operate(S, k);
        contact_ops_run_increment(o, 1);
        contact_ops_run_get(o, &run);
        contact_ops_past_size(o, &n_past);
        contact_ops_past_get(o, 0, &got, &found);
        assert_aero_ok(contact_ops_execute(o, NULL, &holder, &err), &err);
    }
    counting = false;
    assert_int_equal(allocs, 0);
    assert_int_equal(run, 2 + 23);
    assert_int_equal(n_past, 2);
    assert_true(found);
    assert_string_equal(got.street, "Old Road");
    aero_record_dispose(&holder);
    assert_aero_ok(contact_delete(S, k, NULL, &err), &err);
}

/* Typed ops whose elements are documents and nested collections, results decoded into C values. */
static void test_ops_on_documents(void **state) {
    aero_error err;
    const char *k = it_name(ENV, "ops");
    contact in = filled(k, 3);
    assert_aero_ok(contact_upsert(S, k, &in, &err), &err);

    address extra = ADDRESS_INIT;
    extra.street = "New Way";
    extra.has_zip = true;
    extra.zip = 12345;
    const int64_t row[] = { 9, 8 };
    aero_list_int newrow = { row, 2 };
    const char *who[] = { "x", "y", "x" };
    aero_list_str visitors = { who, 3 };

    int64_t n_past = 0, n_seen = 0, n_matrix = 0;
    address got_past, got_kind;
    person popped;
    aero_list_double got_grid;
    bool f_past = false, f_kind = false, f_pop = false, f_grid = false, f_missing = true;
    address missing;
    aero_record holder;
    aero_record_init(&holder);
    contact_ops *o = contact_operate(S, k);
    contact_ops_past_append(o, &extra);
    contact_ops_past_size(o, &n_past);
    contact_ops_past_get(o, -1, &got_past, &f_past);
    contact_ops_by_kind_put(o, "spare", &extra);
    contact_ops_by_kind_get(o, "spare", &got_kind, &f_kind);
    contact_ops_by_kind_get(o, "nope", &missing, &f_missing);
    contact_ops_people_pop(o, 0, &popped, &f_pop);
    contact_ops_matrix_append(o, &newrow);
    contact_ops_matrix_size(o, &n_matrix);
    contact_ops_grid_get(o, -1, &got_grid, &f_grid);
    contact_ops_seen_add(o, &visitors, 8);
    contact_ops_seen_count(o, &n_seen);
    assert_aero_ok(contact_ops_execute(o, NULL, &holder, &err), &err);

    assert_int_equal(n_past, 3);
    assert_true(f_past);
    check_address(&got_past, &extra);
    assert_true(f_kind);
    check_address(&got_kind, &extra);
    assert_false(f_missing);
    assert_true(f_pop);
    assert_string_equal(popped.name, "Ann");
    assert_true(popped.score == 4.75);
    assert_int_equal(n_matrix, 4);
    assert_true(f_grid);
    assert_int_equal(got_grid.count, 2);
    assert_true(got_grid.items[1] == -2.25);
    assert_int_equal(n_seen, 2);

    /* what the ops wrote reads back typed */
    contact out;
    assert_aero_ok(contact_get(S, k, &out, &holder, &err), &err);
    assert_int_equal(out.past.count, 3);
    check_address(&out.past.items[2], &extra);
    assert_int_equal(out.people.count, 1);
    assert_string_equal(out.people.items[0].name, "Bob");
    assert_int_equal(out.matrix.items[3].items[0], 9);
    assert_true(out.has_seen);

    /* a document bin as a whole: set and read back in one operate */
    address moved = extra;
    moved.street = "Moved St";
    address home_now;
    o = contact_operate(S, k);
    contact_ops_home_set(o, &moved);
    contact_ops_home_get(o, &home_now);
    assert_aero_ok(contact_ops_execute(o, NULL, &holder, &err), &err);
    check_address(&home_now, &moved);

    /* a document element refused before sending: its required street is NULL */
    address bad = ADDRESS_INIT;
    o = contact_operate(S, k);
    contact_ops_past_append(o, &bad);
    assert_int_equal(contact_ops_execute(o, NULL, &holder, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "street"));

    aero_record_dispose(&holder);
    assert_aero_ok(contact_delete(S, k, NULL, &err), &err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_read_rules),
        cmocka_unit_test(test_hll_bin),
        cmocka_unit_test(test_queries_through_documents),
        cmocka_unit_test(test_ops_on_documents),
        cmocka_unit_test(test_warm_get_allocates_nothing),
    };
    return cmocka_run_group_tests(tests, it_setup, it_teardown);
}
