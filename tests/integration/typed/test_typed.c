/*
 * test_typed.c - every bin type through the aerogen-generated typed API
 * (typed.aero), against aero-testserver or AERO_HOSTS. Also the write
 * verbs' conditions, projections, presence flags and defaults, decode errors
 * (wrong type, missing required bin), delete/touch/exists and named queries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "typed.aero.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)

static void drop(void **state, const char *k) {
    aero_error err;
    assert_aero_ok(item_delete(S, k, NULL, &err), &err);
}

/* Values used by the round trip. */
/*
 * Read key k with the generic API: the number of bins stored when bin `name`
 * holds string `want` (want NULL: the bin is only looked up), -1 when the bin
 * is absent.
 */
/*
 * Wire names are matched byte for byte at every length: the record also holds
 * bins whose names differ from the schema's in one byte (first, middle or
 * last) or in length, written before and after the real ones and in no
 * schema order, so that the expected-next guess misses; those are ignored,
 * never stored into a field.
 */
static void test_wire_name_lengths(void **state) {
    static const struct {
        const char *name;
        int64_t v;
    } bins[] = {
        { "b", 100 },
        { "abcdefX", 700 },
        { "abcdefghijklmn", 1400 },
        { "abcdefghij", 1000 },
        { "abcdef", 600 },
        { "abcdefghijklmno", 15 },
        { "abcdefghi", 9 },
        { "a", 1 },
        { "abcdefgh", 8 },
        { "abcdefg", 7 },
        /* after the real ones too, as of two results for one name the last would count */
        { "c", 101 },
        { "Xbcdefg", 701 },
        { "Xbcdefgh", 800 },
        { "abcdefgX", 801 },
        { "abcdXfghi", 900 },
        { "Abcdefghi", 901 },
        { "abcdefghijklmnX", 1500 },
        { "Abcdefghijklmno", 1501 },
        { "abcdefgXijklmno", 1502 },
    };
    aero_error err;
    aero_key ak = namelen_key("names");
    aero_write *w = aero_session_upsert(S, &ak);
    for (size_t i = 0; i < sizeof bins / sizeof bins[0]; i++)
        aero_write_bin_set_int(w, bins[i].name, bins[i].v);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);

    namelen out;
    aero_record holder;
    aero_record_init(&holder);
    for (int round = 0; round < 2; round++) { /* the second one reads into a used holder */
        assert_aero_ok(namelen_get(S, "names", &out, &holder, &err), &err);
        assert_true(out.has_n1 && out.has_n7 && out.has_n8 && out.has_n9);
        assert_int_equal(out.n1, 1);
        assert_int_equal(out.n7, 7);
        assert_int_equal(out.n8, 8);
        assert_int_equal(out.n9, 9);
        assert_int_equal(out.n15, 15);
    }
    const unsigned two[] = { NAMELEN_F_N15, NAMELEN_F_N9 };
    assert_aero_ok(namelen_get_bins(S, "names", two, 2, &out, &holder, &err), &err);
    assert_int_equal(out.n15, 15);
    assert_true(out.has_n9);
    assert_int_equal(out.n9, 9);
    assert_false(out.has_n1 || out.has_n7 || out.has_n8); /* not asked for */
    aero_record_dispose(&holder);
    assert_aero_ok(namelen_delete(S, "names", NULL, &err), &err);
}

static int stored_bin_count(void **state, const char *k, const char *name, const char *want) {
    aero_error err;
    aero_record raw;
    aero_record_init(&raw);
    aero_key ak = item_key(k);
    assert_aero_ok(aero_session_get(S, &ak, NULL, 0, &raw, &err), &err);
    int n = aero_record_get(&raw, name) ? (int)raw.n_bins : -1;
    if (n >= 0 && want)
        assert_string_equal(aero_record_str(&raw, name), want);
    aero_record_dispose(&raw);
    return n;
}

static const uint8_t blob_bytes[] = { 0x00, 0xff, 0x10, 0x7f, 0x80 };
static const char *const area_json = "{\"type\":\"Point\",\"coordinates\":[-122.0,37.5]}";

/* The typed collections of fill_all(): static arrays the structs point to. */
static const char *const tags_v[] = { "red", "", "blue" };
static const aero_map_str_int_entry counts_v[] = { { "a", 1 }, { "b", -2 } };
static const int64_t nested_ints[] = { 1, 2 };
static const map_str_list_int_entry nested_entries_v[] = { { "xs", { nested_ints, 2 } } };
static const map_str_list_int nested_v[] = { { nested_entries_v, 1 } };

static bool tags_equal(const aero_list_str *a, const aero_list_str *b) {
    if (a->count != b->count || !a->items != !b->items)
        return false;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return false;
    return true;
}

static bool nested_equal(const list_map_str_list_int *a, const list_map_str_list_int *b) {
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++) {
        const map_str_list_int *x = &a->items[i], *y = &b->items[i];
        if (x->count != y->count)
            return false;
        for (size_t j = 0; j < x->count; j++) {
            const map_str_list_int_entry *e = &x->entries[j], *f = &y->entries[j];
            if (strcmp(e->key, f->key) != 0 || e->value.count != f->value.count)
                return false;
            for (size_t k = 0; k < e->value.count; k++)
                if (e->value.items[k] != f->value.items[k])
                    return false;
        }
    }
    return true;
}

static void fill_all(item *it) {
    *it = (item)ITEM_INIT;
    it->name = "widget";
    it->has_count = true;
    it->count = -9007199254740993LL;
    it->has_ratio = true;
    it->ratio = 0.1;
    it->has_flag = true;
    it->flag = true;
    it->has_data = true;
    it->data.ptr = blob_bytes;
    it->data.len = sizeof blob_bytes;
    it->has_area = true;
    it->area = area_json;
    it->has_tags = true;
    it->tags.items = tags_v;
    it->tags.count = 3;
    it->has_counts = true;
    it->counts.entries = counts_v;
    it->counts.count = 2;
    it->has_nested = true;
    it->nested.items = nested_v;
    it->nested.count = 1;
    it->has_description_text = true;
    it->description_text = "long field, short bin";
}

static void test_round_trip_every_type(void **state) {
    const char *k = it_name(ENV, "all");
    drop(state, k);
    item in;
    fill_all(&in);
    aero_error err;
    assert_aero_ok(item_upsert(S, k, &in, &err), &err);

    aero_record holder;
    aero_record_init(&holder);
    item out;
    assert_aero_ok(item_get(S, k, &out, &holder, &err), &err);
    assert_string_equal(out.name, "widget");
    assert_true(out.has_count);
    assert_true(out.count == -9007199254740993LL);
    assert_true(out.has_ratio);
    assert_true(out.ratio == 0.1);
    assert_true(out.has_flag && out.flag);
    assert_true(out.has_data);
    assert_int_equal(out.data.len, sizeof blob_bytes);
    assert_memory_equal(out.data.ptr, blob_bytes, sizeof blob_bytes);
    assert_true(out.has_area);
    assert_non_null(strstr(out.area, "Point"));
    assert_true(out.has_tags);
    assert_true(tags_equal(&out.tags, &in.tags));
    assert_true(out.has_counts);
    assert_non_null(out.counts.entries);
    assert_int_equal(out.counts.count, 2);
    assert_true(out.has_nested);
    assert_true(nested_equal(&out.nested, &in.nested));
    assert_true(out.has_description_text);
    assert_string_equal(out.description_text, "long field, short bin");
    /* Not written: defaults, no presence flag. */
    assert_false(out.has_status);
    assert_string_equal(out.status, "new");
    assert_false(out.has_level);
    assert_int_equal(out.level, 7);
    assert_false(out.has_query_rank);

    /* The holder carries the record's metadata; the field is stored under its short bin name. */
    assert_int_equal(holder.result, AERO_OK);
    assert_true(holder.generation >= 1);
    assert_true(stored_bin_count(state, k, "desc", "long field, short bin") > 0);
    assert_int_equal(stored_bin_count(state, k, "description_text", NULL), -1);
    aero_record_dispose(&holder);
    drop(state, k);
}

static void test_optional_bins_and_defaults(void **state) {
    const char *k = it_name(ENV, "opt");
    drop(state, k);
    aero_error err;
    item in = ITEM_INIT;
    in.name = "only name";
    in.level = 99; /* has_level not set: not written */
    assert_aero_ok(item_insert(S, k, &in, &err), &err);
    aero_record holder;
    aero_record_init(&holder);
    item out;
    assert_aero_ok(item_get(S, k, &out, &holder, &err), &err);
    assert_int_equal(stored_bin_count(state, k, "name", "only name"), 1);
    assert_string_equal(out.name, "only name");
    assert_false(out.has_level);
    assert_int_equal(out.level, 7);
    assert_false(out.has_tags);
    assert_null(out.tags.items);

    /* has_ set with a NULL string removes the bin. */
    in.has_status = true;
    in.status = "set";
    assert_aero_ok(item_update(S, k, &in, &err), &err);
    assert_aero_ok(item_get(S, k, &out, &holder, &err), &err);
    assert_true(out.has_status);
    assert_string_equal(out.status, "set");
    in.status = NULL;
    assert_aero_ok(item_update(S, k, &in, &err), &err);
    assert_aero_ok(item_get(S, k, &out, &holder, &err), &err);
    assert_false(out.has_status);
    assert_string_equal(out.status, "new");
    aero_record_dispose(&holder);
    drop(state, k);
}

static void test_write_verbs(void **state) {
    const char *k = it_name(ENV, "verbs");
    drop(state, k);
    aero_error err;
    item in = ITEM_INIT;
    in.name = "v1";
    in.has_count = true;
    in.count = 1;

    assert_int_equal(item_update(S, k, &in, &err), AERO_ERR_KEY_NOT_FOUND);
    assert_int_equal(err.code, AERO_ERR_KEY_NOT_FOUND);
    assert_int_equal(item_replace_if_exists(S, k, &in, &err), AERO_ERR_KEY_NOT_FOUND);
    assert_aero_ok(item_insert(S, k, &in, &err), &err);
    assert_int_equal(item_insert(S, k, &in, &err), AERO_ERR_KEY_EXISTS);

    /* update merges: count stays. */
    item upd = ITEM_INIT;
    upd.name = "v2";
    assert_aero_ok(item_update(S, k, &upd, &err), &err);
    aero_record holder;
    aero_record_init(&holder);
    item out;
    assert_aero_ok(item_get(S, k, &out, &holder, &err), &err);
    assert_string_equal(out.name, "v2");
    assert_true(out.has_count);
    assert_int_equal(out.count, 1);

    /* replace drops the bins not written. */
    upd.name = "v3";
    assert_aero_ok(item_replace_if_exists(S, k, &upd, &err), &err);
    assert_aero_ok(item_get(S, k, &out, &holder, &err), &err);
    assert_string_equal(out.name, "v3");
    assert_false(out.has_count);
    in.name = "v4";
    assert_aero_ok(item_replace(S, k, &in, &err), &err);
    assert_aero_ok(item_get(S, k, &out, &holder, &err), &err);
    assert_string_equal(out.name, "v4");
    assert_true(out.has_count);
    aero_record_dispose(&holder);
    drop(state, k);
}

static void test_projection(void **state) {
    const char *k = it_name(ENV, "proj");
    drop(state, k);
    item in;
    fill_all(&in);
    aero_error err;
    assert_aero_ok(item_upsert(S, k, &in, &err), &err);
    aero_record holder;
    aero_record_init(&holder);
    item out;
    const unsigned fields[] = { ITEM_F_COUNT, ITEM_F_TAGS };
    assert_aero_ok(item_get_bins(S, k, fields, 2, &out, &holder, &err), &err);
    assert_true(holder.generation >= 1);
    assert_true(out.has_count);
    assert_true(out.has_tags);
    assert_false(out.has_flag);
    assert_null(out.name); /* required, but not asked for: no error */
    /* out of schema order, a bin the record does not have in the middle, the required name last */
    in.has_flag = false;
    assert_aero_ok(item_replace(S, k, &in, &err), &err);
    const unsigned mixed[] = { ITEM_F_TAGS, ITEM_F_FLAG, ITEM_F_COUNT, ITEM_F_NAME };
    assert_aero_ok(item_get_bins(S, k, mixed, 4, &out, &holder, &err), &err);
    assert_true(out.has_tags);
    assert_int_equal(out.tags.count, in.tags.count);
    assert_false(out.has_flag);
    assert_true(out.has_count);
    assert_int_equal(out.count, in.count);
    assert_string_equal(out.name, in.name);
    assert_false(out.has_ratio); /* not asked for */
    const unsigned bad[] = { ITEM_FIELD_COUNT };
    assert_int_equal(item_get_bins(S, k, bad, 1, &out, &holder, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "out of range for record"));
    assert_false(out.has_count); /* INIT again on failure */
    aero_record_dispose(&holder);
    drop(state, k);
}

static void test_delete_touch_exists(void **state) {
    const char *k = it_name(ENV, "meta");
    drop(state, k);
    aero_error err;
    bool flag = true;
    assert_aero_ok(item_exists(S, k, &flag, &err), &err);
    assert_false(flag);
    flag = true;
    assert_aero_ok(item_touch(S, k, &flag, &err), &err);
    assert_false(flag);
    item in = ITEM_INIT;
    in.name = "m";
    assert_aero_ok(item_upsert(S, k, &in, &err), &err);
    assert_aero_ok(item_exists(S, k, &flag, &err), &err);
    assert_true(flag);
    flag = false;
    assert_aero_ok(item_touch(S, k, &flag, &err), &err);
    assert_true(flag);
    flag = false;
    assert_aero_ok(item_delete(S, k, &flag, &err), &err);
    assert_true(flag);
    assert_aero_ok(item_delete(S, k, &flag, &err), &err);
    assert_false(flag);
    assert_aero_ok(item_exists(S, k, &flag, &err), &err);
    assert_false(flag);
    aero_record holder;
    aero_record_init(&holder);
    item out;
    assert_int_equal(item_get(S, k, &out, &holder, &err), AERO_ERR_KEY_NOT_FOUND);
    aero_record_dispose(&holder);
}

static void test_decode_errors(void **state) {
    const char *k = it_name(ENV, "bad");
    drop(state, k);
    aero_error err;
    aero_key ak = item_key(k);
    /* 'count' stored as a string by someone else. */
    aero_write *w = aero_session_upsert(S, &ak);
    aero_write_bin_set_str(w, "name", "n");
    aero_write_bin_set_str(w, "count", "seven");
    aero_write_bin_set_int(w, "unknown_bin", 5);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    aero_record holder;
    aero_record_init(&holder);
    item out;
    assert_int_equal(item_get(S, k, &out, &holder, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_non_null(strstr(err.message, "count"));
    /* Projection without the bad bin works; unknown bins are ignored. */
    const unsigned f[] = { ITEM_F_NAME };
    assert_aero_ok(item_get_bins(S, k, f, 1, &out, &holder, &err), &err);
    assert_string_equal(out.name, "n");

    /* Required bin missing. */
    drop(state, k);
    w = aero_session_upsert(S, &ak);
    aero_write_bin_set_int(w, "count", 3);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    assert_int_equal(item_get(S, k, &out, &holder, &err), AERO_ERR_BIN_NOT_FOUND);
    assert_non_null(strstr(err.message, "name"));

    /* A list element of the wrong type is refused on read. */
    drop(state, k);
    aero_value bad_tags[] = { aero_str("ok"), aero_int(1) };
    aero_value tl = aero_list(bad_tags, 2);
    w = aero_session_upsert(S, &ak);
    aero_write_bin_set_str(w, "name", "n");
    aero_write_bin_set(w, "tags", &tl);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    assert_int_equal(item_get(S, k, &out, &holder, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_non_null(strstr(err.message, "[1]"));
    aero_record_dispose(&holder);
    drop(state, k);
}

static void test_write_validation(void **state) {
    const char *k = it_name(ENV, "val");
    drop(state, k);
    aero_error err;
    item in = ITEM_INIT; /* name NULL */
    assert_int_equal(item_upsert(S, k, &in, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "name"));
    in.name = "x";
    /* A NULL string in a list<string>, and count > 0 with no items, are refused. */
    static const char *const bad_tags[] = { "ok", NULL };
    in.has_tags = true;
    in.tags.items = bad_tags;
    in.tags.count = 2;
    assert_int_equal(item_upsert(S, k, &in, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "tags"));
    in.tags.items = NULL;
    in.tags.count = 3;
    assert_int_equal(item_upsert(S, k, &in, &err), AERO_ERR_PARAM);
    bool exists = true;
    assert_aero_ok(item_exists(S, k, &exists, &err), &err);
    assert_false(exists); /* nothing was sent */

    /* A descriptor of another ABI is refused. */
    aero_schema_record other = item_schema;
    other.abi = AERO_SCHEMA_ABI + 1;
    aero_key ak = item_key(k);
    in.has_tags = false;
    assert_int_equal(aero_schema_write(S, &other, AERO_SCHEMA_UPSERT, &ak, &in, &err), AERO_ERR_SCHEMA_MISMATCH);
}

static void test_int_and_blob_keys(void **state) {
    aero_error err;
    int64_t ik = it_unique_int(ENV, "counter");
    counter c = COUNTER_INIT;
    c.hits = 41;
    assert_aero_ok(counter_upsert(S, ik, &c, &err), &err);
    aero_record holder;
    aero_record_init(&holder);
    counter cout;
    assert_aero_ok(counter_get(S, ik, &cout, &holder, &err), &err);
    assert_int_equal(cout.hits, 41);
    assert_aero_ok(counter_delete(S, ik, NULL, &err), &err);

    char bk[64];
    int n = snprintf(bk, sizeof bk, "%s\x01\x02", ENV->prefix);
    chunk ch = CHUNK_INIT;
    ch.body.ptr = (const uint8_t *)"\x00payload";
    ch.body.len = 8;
    assert_aero_ok(chunk_insert(S, bk, (size_t)n, &ch, &err), &err);
    chunk chout;
    assert_aero_ok(chunk_get(S, bk, (size_t)n, &chout, &holder, &err), &err);
    assert_int_equal(chout.body.len, 8);
    assert_memory_equal(chout.body.ptr, "\x00payload", 8);
    assert_aero_ok(chunk_delete(S, bk, (size_t)n, NULL, &err), &err);
    aero_record_dispose(&holder);
}

static void test_named_queries(void **state) {
    aero_error err;
    char keys[5][96];
    /* Ranks unique to this run, so a shared cluster does not interfere: base .. base + 4. */
    const int64_t base = it_unique_int(ENV, "ranks") & ~(int64_t)7;
    for (int i = 0; i < 5; i++) {
        snprintf(keys[i], sizeof keys[i], "%s", it_name(ENV, "q"));
        size_t l = strlen(keys[i]);
        snprintf(keys[i] + l, sizeof keys[i] - l, "%d", i);
        item in = ITEM_INIT;
        in.name = keys[i];
        in.has_query_rank = true;
        in.query_rank = base + i;
        in.has_flag = true;
        in.flag = i % 2 == 0;
        assert_aero_ok(item_upsert(S, keys[i], &in, &err), &err);
    }

    aero_stream *st = item_ranked(S, base + 1, base + 4, &err);
    assert_non_null(st);
    int rows = 0;
    bool seen[5] = { false };
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        item row;
        assert_aero_ok(item_from_record(r, &row, &err), &err);
        assert_true(row.has_query_rank);
        assert_true(row.query_rank >= base + 1 && row.query_rank < base + 4);
        seen[row.query_rank - base] = true;
        rows++;
    }
    assert_int_equal(err.code, AERO_OK);
    aero_stream_close(st);
    assert_int_equal(rows, 3);
    assert_true(seen[1] && seen[2] && seen[3]);

    st = item_named(S, keys[2], &err);
    assert_non_null(st);
    rows = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        item row;
        assert_aero_ok(item_from_record(r, &row, &err), &err);
        assert_string_equal(row.name, keys[2]);
        rows++;
    }
    aero_stream_close(st);
    assert_int_equal(rows, 1);

    st = item_flagged(S, &err);
    assert_non_null(st);
    int flagged_mine = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        item row;
        assert_aero_ok(item_from_record(r, &row, &err), &err);
        assert_true(row.flag);
        if (row.query_rank >= base && row.query_rank < base + 5)
            flagged_mine++;
    }
    aero_stream_close(st);
    assert_int_equal(flagged_mine, 3);

    /* The same filter as an expression: a write condition. */
    aero_expr *f = item_ranked_filter(base, base + 1, &err); /* matches keys[0] only */
    assert_non_null(f);
    aero_key k0 = item_key(keys[0]), k1 = item_key(keys[1]);
    aero_write *w = aero_session_update(S, &k1);
    aero_write_where_expr(w, f);
    aero_write_fail_on_filtered_out(w);
    aero_write_bin_set_int(w, ITEM_BIN_COUNT, 11);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_ERR_FILTERED_OUT);
    w = aero_session_update(S, &k0);
    aero_write_where_expr(w, f);
    aero_write_bin_set_int(w, ITEM_BIN_COUNT, 10);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    aero_expr_free(f);
    aero_record holder;
    aero_record_init(&holder);
    item row;
    assert_aero_ok(item_get(S, keys[0], &row, &holder, &err), &err);
    assert_true(row.has_count && row.count == 10);
    assert_aero_ok(item_get(S, keys[1], &row, &holder, &err), &err);
    assert_false(row.has_count);
    aero_record_dispose(&holder);
    /* A placeholder of the wrong type is refused at run time. */
    assert_null(item_named_filter(NULL, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    for (int i = 0; i < 5; i++)
        drop(state, keys[i]);
}

static void test_get_many(void **state) {
    aero_error err;
    const char *keys[4];
    char names[4][96];
    for (int i = 0; i < 4; i++) {
        snprintf(names[i], sizeof names[i], "%s", it_name(ENV, "many"));
        size_t l = strlen(names[i]);
        snprintf(names[i] + l, sizeof names[i] - l, "%d", i);
        keys[i] = names[i];
        drop(state, keys[i]);
    }
    for (int i = 0; i < 4; i += 2) { /* 0 and 2 exist, 1 and 3 do not */
        item in = ITEM_INIT;
        in.name = keys[i];
        in.has_count = true;
        in.count = 100 + i;
        assert_aero_ok(item_upsert(S, keys[i], &in, &err), &err);
    }
    item out[4];
    aero_status results[4];
    aero_record holders[4];
    for (int i = 0; i < 4; i++)
        aero_record_init(&holders[i]);
    assert_aero_ok(item_get_many(S, keys, 4, out, results, holders, &err), &err);
    assert_int_equal(results[0], AERO_OK);
    assert_int_equal(results[1], AERO_ERR_KEY_NOT_FOUND);
    assert_int_equal(results[2], AERO_OK);
    assert_int_equal(results[3], AERO_ERR_KEY_NOT_FOUND);
    assert_string_equal(out[0].name, keys[0]);
    assert_int_equal(out[0].count, 100);
    assert_string_equal(out[2].name, keys[2]);
    assert_int_equal(out[2].count, 102);
    assert_null(out[1].name);
    assert_false(out[3].has_count);
    for (int i = 0; i < 4; i++) {
        aero_record_dispose(&holders[i]);
        drop(state, keys[i]);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wire_name_lengths),
        cmocka_unit_test(test_round_trip_every_type),
        cmocka_unit_test(test_optional_bins_and_defaults),
        cmocka_unit_test(test_write_verbs),
        cmocka_unit_test(test_projection),
        cmocka_unit_test(test_delete_touch_exists),
        cmocka_unit_test(test_decode_errors),
        cmocka_unit_test(test_write_validation),
        cmocka_unit_test(test_int_and_blob_keys),
        cmocka_unit_test(test_named_queries),
        cmocka_unit_test(test_get_many),
    };
    return cmocka_run_group_tests(tests, it_setup, it_teardown);
}
