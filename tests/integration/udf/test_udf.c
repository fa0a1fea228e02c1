/*
 * test_udf.c - UDFs and background jobs through the public API (udf.h,
 * job.h, batch UDF rows), against aero-testserver or a real cluster
 * (AERO_HOSTS): module register / list / remove, a function applied to one
 * key with arguments and results of every value type, the record API, Lua
 * errors as AERO_ERR_UDF with the server's message, batch UDF rows, and
 * background update / delete / touch / UDF jobs over a dataset query with
 * where(), throttling and their status.
 *
 * argv[1] is the Lua module (udf_test.lua); argv[2] "cluster" runs the
 * tests on a 3-node aero-testserver of their own. When the test server was built
 * without Lua (meson -Dlua=disabled or no liblua5.4-dev), the tests that run
 * Lua skip with a message; against a real server they always run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#ifndef AERO_TS_LUA
#define AERO_TS_LUA 0
#endif

#define ENV ((it_env *)*state)
#define S   (ENV->session)
#define C   (ENV->client)

static const char *g_module_path;
static aero_testserver *g_cluster; /* the 3-node test server of the "cluster" run */
static char g_mod[96];             /* module name without .lua */
static char g_file[104];           /* with */

static bool lua_runs(void **state) {
    if ((ENV->real && !g_cluster) || AERO_TS_LUA)
        return true;
    print_message("[  SKIPPED ] aero-testserver was built without Lua 5.4 (liblua5.4-dev missing or -Dlua=disabled): "
                  "UDF execution is not available\n");
    return false;
}
#define NEED_LUA()            \
    do {                      \
        if (!lua_runs(state)) \
            skip();           \
    } while (0)

static int setup(void **state) {
    if (it_setup(state) != 0)
        return -1;
    snprintf(g_mod, sizeof g_mod, "%s", it_name(ENV, "udf"));
    snprintf(g_file, sizeof g_file, "%s.lua", g_mod);
    aero_error err;
    if (aero_udf_register_file(C, g_module_path, g_file, 10000, &err) != AERO_OK) {
        fprintf(stderr, "register %s: %s\n", g_module_path, err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state) {
    aero_error err;
    if (*state && g_file[0])
        aero_udf_remove(C, g_file, 10000, &err);
    return it_teardown(state);
}

static void del(aero_session *s, const aero_key *k) {
    aero_error err;
    assert_aero_ok(aero_write_execute(aero_session_delete(s, k), NULL, &err), &err);
}

/* ---- modules ---- */

static bool listed(aero_client *c, const char *file) {
    aero_error err;
    aero_udf_module *mods = NULL;
    size_t n = 0;
    assert_aero_ok(aero_udf_list(c, &mods, &n, &err), &err);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        assert_true(mods[i].name[0] != 0);
        if (!strcmp(mods[i].name, file)) {
            found = true;
            assert_string_equal(mods[i].type, "LUA");
            assert_int_equal(strlen(mods[i].hash), 40);
        }
    }
    aero_udf_modules_free(mods);
    return found;
}

static void test_register_list_remove(void **state) {
    aero_error err;
    assert_true(listed(C, g_file)); /* registered from the file by setup */
    const char *name = it_name(ENV, "strmod");
    char file[128];
    snprintf(file, sizeof file, "%s.lua", name);
    static const char src[] = "function hello(rec, who) return 'hello ' .. who end\n";
    /* name without .lua: the extension is added */
    assert_aero_ok(aero_udf_register(C, name, src, sizeof src - 1, 10000, &err), &err);
    assert_true(listed(C, file));
    assert_aero_ok(aero_udf_remove(C, name, 10000, &err), &err);
    assert_false(listed(C, file));
    /* removing again is fine, as on the server */
    assert_aero_ok(aero_udf_remove(C, file, 10000, &err), &err);
}

static void test_register_bad_input(void **state) {
    aero_error err;
    assert_int_equal(aero_udf_register(C, "", "x", 1, 0, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_udf_register(C, "a;b", "x", 1, 0, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_udf_register(C, "ok", NULL, 0, 0, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_udf_register_file(C, "/nonexistent/x.lua", NULL, 0, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "/nonexistent/x.lua"));
    aero_udf_module *mods;
    assert_int_equal(aero_udf_list(C, &mods, NULL, &err), AERO_ERR_PARAM);
}

static void test_register_compile_error(void **state) {
    NEED_LUA();
    aero_error err;
    const char *name = it_name(ENV, "broken");
    static const char src[] = "function f(rec)\n  return 1 +\nend\n";
    assert_int_equal(aero_udf_register(C, name, src, sizeof src - 1, 10000, &err), AERO_ERR_UDF);
    assert_non_null(strstr(err.message, "compile error"));
    char file[128];
    snprintf(file, sizeof file, "%s.lua", name);
    assert_false(listed(C, file));
}

/* ---- apply ---- */

static void apply_ok(void **state, const aero_key *k, const char *fn, const aero_value *args, size_t n,
                     aero_record *rec) {
    aero_error err;
    assert_aero_ok(aero_session_apply(S, k, g_mod, fn, args, n, rec, &err), &err);
    assert_int_equal(rec->result, AERO_OK);
}

static void test_echo_every_type(void **state) {
    NEED_LUA();
    aero_key k = it_key(ENV, "echo");
    del(S, &k);
    aero_value items[] = { aero_int(1), aero_str("two"), aero_double(3.5), aero_bool(true) };
    aero_map_entry nested[] = { { aero_str("x"), aero_int(-7) } };
    aero_value inner = aero_map(nested, 1);
    aero_value list_with_map[] = { aero_int(1), inner, aero_list(items, 2) };
    aero_map_entry one[] = { { aero_str("k"), aero_list(items, 4) } };
    const uint8_t blob[] = { 0, 1, 2, 0xfe, 0xff };
    aero_value cases[] = {
        aero_int(42),
        aero_int(-1234567890123LL),
        aero_int(0),
        aero_double(2.25),
        aero_str("hello, UDF"),
        aero_str(""),
        aero_bool(true),
        aero_bool(false),
        aero_blob(blob, sizeof blob),
        aero_list(items, 4),
        aero_list(list_with_map, 3),
        aero_map(one, 1),
    };
    aero_record rec;
    aero_record_init(&rec);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        apply_ok(state, &k, "echo", &cases[i], 1, &rec);
        const aero_value *v = aero_udf_result(&rec);
        assert_non_null(v);
        char want[256], got[256];
        aero_value_format(&cases[i], want, sizeof want);
        aero_value_format(v, got, sizeof got);
        if (!aero_value_equal(v, &cases[i]))
            fail_msg("case %zu: sent %s, got back %s", i, want, got);
    }
    /* GeoJSON comes back as GeoJSON */
    aero_value geo = aero_geojson("{\"type\":\"Point\",\"coordinates\":[1.5,2.5]}");
    apply_ok(state, &k, "echo", &geo, 1, &rec);
    assert_int_equal(aero_udf_result(&rec)->type, AERO_GEOJSON);
    assert_non_null(strstr(aero_udf_result(&rec)->v.str.ptr, "Point"));
    /* nil: the function returns nothing */
    aero_value nil = aero_nil();
    apply_ok(state, &k, "echo", &nil, 1, &rec);
    const aero_value *v = aero_udf_result(&rec);
    assert_true(v == NULL || v->type == AERO_NIL);
    /* no argument at all */
    apply_ok(state, &k, "echo", NULL, 0, &rec);
    v = aero_udf_result(&rec);
    assert_true(v == NULL || v->type == AERO_NIL);
    /* many arguments */
    aero_value many[20];
    for (int i = 0; i < 20; i++)
        many[i] = aero_int(i * 10);
    apply_ok(state, &k, "count_args", many, 20, &rec);
    v = aero_udf_result(&rec);
    assert_non_null(v);
    assert_int_equal(v->type, AERO_LIST);
    assert_int_equal(v->v.list.count, 2);
    assert_int_equal(v->v.list.items[0].v.i, 20);
    assert_int_equal(v->v.list.items[1].v.i, 190);
    /* the echo calls did not create the record */
    aero_error err;
    bool exists = true;
    assert_aero_ok(aero_session_exists(S, &k, &exists, &err), &err);
    assert_false(exists);
    aero_record_dispose(&rec);
}

static void test_record_api(void **state) {
    NEED_LUA();
    aero_error err;
    aero_key k = it_key(ENV, "recapi");
    del(S, &k);
    aero_record rec;
    aero_record_init(&rec);
    aero_value args[] = { aero_str("n"), aero_int(5) };
    apply_ok(state, &k, "add", args, 2, &rec); /* create */
    assert_int_equal(aero_udf_result(&rec)->v.i, 5);
    assert_int_equal(rec.generation, 1);
    apply_ok(state, &k, "add", args, 2, &rec); /* update */
    assert_int_equal(aero_udf_result(&rec)->v.i, 10);
    assert_int_equal(rec.generation, 2);
    assert_aero_ok(aero_session_get(S, &k, NULL, 0, &rec, &err), &err);
    assert_int_equal(aero_record_int(&rec, "n", -1), 10);
    assert_int_equal(rec.generation, 2);

    /* a bin set without create/update is not kept */
    aero_value so[] = { aero_str("other"), aero_int(1) };
    apply_ok(state, &k, "set_only", so, 2, &rec);
    assert_string_equal(aero_udf_result(&rec)->v.str.ptr, "not kept");
    assert_aero_ok(aero_session_get(S, &k, NULL, 0, &rec, &err), &err);
    assert_null(aero_record_get(&rec, "other"));
    assert_int_equal(rec.generation, 2);

    /* create on an existing record: 1; update: 0 */
    aero_value cv[] = { aero_str("c"), aero_int(1) };
    apply_ok(state, &k, "create", cv, 2, &rec);
    assert_int_equal(aero_udf_result(&rec)->v.i, 1);
    apply_ok(state, &k, "update", cv, 2, &rec);
    assert_int_equal(aero_udf_result(&rec)->v.i, 0);

    /* metadata */
    apply_ok(state, &k, "meta", NULL, 0, &rec);
    const aero_value *m = aero_udf_result(&rec);
    assert_non_null(m);
    assert_int_equal(m->type, AERO_MAP);
    int seen = 0;
    for (uint32_t i = 0; i < m->v.map.count; i++) {
        const aero_map_entry *e = &m->v.map.entries[i];
        if (!strcmp(e->key.v.str.ptr, "exists"))
            assert_true(e->value.type == AERO_BOOL && e->value.v.b), seen++;
        else if (!strcmp(e->key.v.str.ptr, "gen"))
            assert_int_equal(e->value.v.i, 3), seen++;
        else if (!strcmp(e->key.v.str.ptr, "numbins"))
            assert_int_equal(e->value.v.i, 2), seen++;
        else if (!strcmp(e->key.v.str.ptr, "setname"))
            assert_string_equal(e->value.v.str.ptr, ENV->ds.set), seen++;
    }
    assert_int_equal(seen, 4);

    /* remove: 0, then the record is gone; again: 1; update on no record: -2 */
    apply_ok(state, &k, "remove", NULL, 0, &rec);
    assert_int_equal(aero_udf_result(&rec)->v.i, 0);
    bool exists = true;
    assert_aero_ok(aero_session_exists(S, &k, &exists, &err), &err);
    assert_false(exists);
    apply_ok(state, &k, "remove", NULL, 0, &rec);
    assert_int_equal(aero_udf_result(&rec)->v.i, 1);
    apply_ok(state, &k, "update", cv, 2, &rec);
    assert_int_equal(aero_udf_result(&rec)->v.i, -2);
    assert_aero_ok(aero_session_exists(S, &k, &exists, &err), &err);
    assert_false(exists);
    aero_record_dispose(&rec);
}

static void test_list_and_map_bins(void **state) {
    NEED_LUA();
    aero_error err;
    aero_key k = it_key(ENV, "cdt");
    del(S, &k);
    aero_record rec;
    aero_record_init(&rec);
    aero_value a1[] = { aero_str("a"), aero_int(1) };
    aero_value a2[] = { aero_str("b"), aero_str("two") };
    apply_ok(state, &k, "push", a1, 2, &rec);
    assert_int_equal(aero_udf_result(&rec)->v.i, 1);
    apply_ok(state, &k, "push", a2, 2, &rec);
    assert_int_equal(aero_udf_result(&rec)->v.i, 2);
    assert_aero_ok(aero_session_get(S, &k, NULL, 0, &rec, &err), &err);
    const aero_value *l = aero_record_list(&rec, "l");
    assert_non_null(l);
    assert_int_equal(l->v.list.count, 2);
    assert_int_equal(l->v.list.items[0].v.i, 1);
    assert_string_equal(l->v.list.items[1].v.str.ptr, "two");
    const aero_value *m = aero_record_map(&rec, "m");
    assert_non_null(m);
    assert_int_equal(m->v.map.count, 2);

    /* list and map arguments are Lua lists and maps */
    aero_value nums[] = { aero_int(1), aero_int(2), aero_int(3), aero_int(4) };
    aero_map_entry es[] = { { aero_str("x"), aero_int(1) },
                            { aero_int(7), aero_str("y") },
                            { aero_str("z"), aero_nil() } };
    aero_value args[] = { aero_list(nums, 4), aero_map(es, 2) };
    apply_ok(state, &k, "collections", args, 2, &rec);
    const aero_value *v = aero_udf_result(&rec);
    assert_int_equal(v->type, AERO_LIST);
    assert_int_equal(v->v.list.count, 4);
    assert_int_equal(v->v.list.items[0].v.i, 10);
    assert_int_equal(v->v.list.items[1].v.i, 2);
    assert_int_equal(v->v.list.items[2].v.i, 2);
    assert_int_equal(v->v.list.items[3].v.i, 4);
    aero_record_dispose(&rec);
}

static void test_errors(void **state) {
    aero_error err;
    aero_key k = it_key(ENV, "errors");
    aero_record rec;
    aero_record_init(&rec);
    /* bad input never reaches the server */
    assert_int_equal(aero_session_apply(S, &k, "", "f", NULL, 0, &rec, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_session_apply(S, &k, g_mod, NULL, NULL, 0, &rec, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_session_apply(S, &k, g_mod, "f", NULL, 3, &rec, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_session_apply(NULL, &k, g_mod, "f", NULL, 0, &rec, &err), AERO_ERR_PARAM);
    /* a module that is not registered: the server's UDF error */
    assert_int_equal(aero_session_apply(S, &k, it_name(ENV, "nomodule"), "f", NULL, 0, &rec, &err), AERO_ERR_UDF);
    assert_true(err.message[0] != 0);
    if (lua_runs(state)) {
        /* error() in the function: its message, with the file and line, from the FAILURE bin */
        aero_value what = aero_str("kaput");
        assert_int_equal(aero_session_apply(S, &k, g_mod, "boom", &what, 1, &rec, &err), AERO_ERR_UDF);
        assert_non_null(strstr(err.message, "boom: kaput"));
        assert_non_null(strstr(err.message, ".lua:"));
        assert_int_equal(rec.result, AERO_ERR_UDF);
        assert_non_null(aero_udf_error(&rec));
        assert_non_null(strstr(aero_udf_error(&rec), "boom: kaput"));
        assert_null(aero_udf_result(&rec));
        /* a function the module does not have */
        assert_int_equal(aero_session_apply(S, &k, g_mod, "no_such_function", NULL, 0, &rec, &err), AERO_ERR_UDF);
        assert_non_null(strstr(err.message, "function not found"));
    }
    aero_record_dispose(&rec);
}

/* ---- batch ---- */

static void test_batch_udf_rows(void **state) {
    NEED_LUA();
    aero_error err;
    aero_key k[4] = { it_key(ENV, "b0"), it_key(ENV, "b1"), it_key(ENV, "b2"), it_key(ENV, "b3") };
    for (int i = 0; i < 4; i++)
        del(S, &k[i]);
    aero_batch *b = aero_session_batch(S);
    aero_value add[] = { aero_str("n"), aero_int(3) };
    aero_batch_udf_keys(b, k, 3, g_mod, "add", add, 2); /* rows 0-2 */
    aero_value what = aero_str("row 3");
    aero_batch_udf(b, &k[3], g_mod, "boom", &what, 1); /* row 3 */
    aero_batch_udf(b, &k[0], g_mod, "add", add, 2);    /* row 4: the same key again */
    aero_batch_read(b, &k[1]);                         /* row 5: sees row 1's write */
    aero_stream *st = aero_batch_execute(b, &err);
    assert_non_null(st);
    aero_record *rows = NULL;
    size_t n = 0;
    assert_aero_ok(aero_stream_collect(st, &rows, &n, &err), &err);
    aero_stream_close(st);
    assert_int_equal(n, 6);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(rows[i].result, AERO_OK);
        assert_int_equal(aero_udf_result(&rows[i])->v.i, 3);
    }
    assert_int_equal(rows[3].result, AERO_ERR_UDF);
    assert_non_null(aero_udf_error(&rows[3]));
    assert_non_null(strstr(aero_udf_error(&rows[3]), "boom: row 3"));
    assert_int_equal(rows[4].result, AERO_OK);
    int64_t r4 = aero_udf_result(&rows[4])->v.i;
    assert_true(r4 == 3 || r4 == 6); /* rows of one batch run in any order on the server */
    assert_int_equal(rows[5].result, AERO_OK);
    aero_records_free(rows, n);
    aero_record rec;
    aero_record_init(&rec);
    assert_aero_ok(aero_session_get(S, &k[0], NULL, 0, &rec, &err), &err);
    assert_int_equal(aero_record_int(&rec, "n", -1), 6);
    aero_record_dispose(&rec);

    /* a bad row is reported at execute, before anything is sent */
    b = aero_session_batch(S);
    aero_batch_udf(b, &k[0], g_mod, "", NULL, 0);
    assert_null(aero_batch_execute(b, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
}

/* ---- background jobs ---- */

#define N_BG 40

/* Fill a set of its own with N_BG records n = 0..N_BG-1; returns the dataset. */
static aero_dataset bg_set_n(void **state, const char *name, int n) {
    aero_error err;
    aero_dataset ds = aero_dataset_of(it_namespace(), it_name(ENV, name));
    for (int i = 0; i < n; i++) {
        aero_key k = aero_dataset_id_int(&ds, i);
        aero_write *w = aero_session_upsert(S, &k);
        aero_write_bin_set_int(w, "n", i);
        aero_write_bin_set_int(w, "v", 2);
        assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    }
    return ds;
}
static aero_dataset bg_set(void **state, const char *name) { return bg_set_n(state, name, N_BG); }

static aero_job_status wait_done(aero_job *job) {
    aero_error err;
    aero_job_status js = AERO_JOB_STATUS_INIT;
    assert_non_null(job);
    assert_true(aero_job_id(job) != 0);
    assert_aero_ok(aero_job_wait(job, 30000, &js, &err), &err);
    assert_int_equal(js.state, AERO_JOB_DONE);
    assert_int_equal(js.nodes, js.nodes_done);
    assert_true(js.nodes >= 1);
    assert_false(js.aborted);
    aero_job_free(job);
    return js;
}

static int count_where(aero_session *s, const aero_dataset *ds, const char *ael) {
    aero_error err;
    aero_query *q = aero_session_query(s, ds);
    if (ael)
        aero_query_where(q, ael);
    aero_stream *st = aero_query_execute(q, &err);
    assert_non_null(st);
    int n = 0;
    while (aero_stream_next(st, &err))
        n++;
    assert_int_equal(err.code, AERO_OK);
    aero_stream_close(st);
    return n;
}

static void test_background_update_delete(void **state) {
    aero_error err;
    aero_dataset ds = bg_set(state, "bgops");
    /* update where n >= 30: 10 records get flag = 1, v += 5 */
    aero_query *q = aero_session_query(S, &ds);
    aero_query_where(q, "$.n >= 30");
    aero_write *w = aero_query_background_update(q);
    aero_write_bin_set_int(w, "flag", 1);
    aero_write_bin_increment_int(w, "v", 5);
    aero_job_status js = wait_done(aero_query_execute_background(q, &err));
    assert_int_equal(js.records_succeeded, 10);
    assert_int_equal(count_where(S, &ds, "$.flag == 1 and $.v == 7"), 10);
    assert_int_equal(count_where(S, &ds, "$.v == 2"), 30);

    /* delete where n < 5 */
    q = aero_session_query(S, &ds);
    aero_query_where(q, "$.n < 5");
    aero_query_background_delete(q);
    js = wait_done(aero_query_execute_background(q, &err));
    assert_int_equal(js.records_succeeded, 5);
    assert_int_equal(count_where(S, &ds, NULL), N_BG - 5);

    /* touch every record left: the TTL becomes about an hour */
    q = aero_session_query(S, &ds);
    aero_write_expire_after_seconds(aero_query_background_touch(q), 3600);
    js = wait_done(aero_query_execute_background(q, &err));
    assert_int_equal(js.records_succeeded, N_BG - 5);
    aero_record rec;
    aero_record_init(&rec);
    aero_key k = aero_dataset_id_int(&ds, 20);
    assert_aero_ok(aero_session_get_header(S, &k, &rec, &err), &err);
    assert_true(rec.ttl > 3000 && rec.ttl <= 3600);
    aero_record_dispose(&rec);
}

static void test_background_misuse(void **state) {
    aero_error err;
    aero_query *q = aero_session_query(S, &ENV->ds);
    assert_null(aero_query_execute_background(q, &err)); /* no verb */
    assert_int_equal(err.code, AERO_ERR_PARAM);

    q = aero_session_query(S, &ENV->ds);
    aero_query_background_delete(q);
    aero_query_background_delete(q); /* two verbs */
    assert_null(aero_query_execute_background(q, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);

    aero_key k = it_key(ENV, "x");
    q = aero_session_query_key(S, &k); /* a query of keys */
    aero_query_background_delete(q);
    assert_null(aero_query_execute_background(q, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);

    q = aero_session_query(S, &ENV->ds);
    aero_write_bin_get(aero_query_background_update(q), "n"); /* a read in a job */
    assert_null(aero_query_execute_background(q, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);

    q = aero_session_query(S, &ENV->ds);
    aero_query_background_udf(q, g_mod, "", NULL, 0); /* no function name */
    assert_null(aero_query_execute_background(q, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);

    q = aero_session_query(S, &ENV->ds);
    aero_query_fail_on_filtered_out(aero_query_background_delete(q)); /* not for a job (the SDK raises) */
    assert_null(aero_query_execute_background(q, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);

    q = aero_session_query(S, &ENV->ds);
    aero_query_max_records(aero_query_background_delete(q), 5);
    assert_null(aero_query_execute_background(q, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);

    q = aero_session_query(S, &ENV->ds);
    aero_query_background_delete(q);
    assert_null(aero_query_execute(q, &err)); /* a job is not a foreground query */
    assert_int_equal(err.code, AERO_ERR_PARAM);

    aero_job_status js = AERO_JOB_STATUS_INIT;
    assert_int_equal(aero_job_status_get(NULL, &js, &err), AERO_ERR_PARAM);
    aero_job_free(NULL);
}

static void test_background_udf(void **state) {
    NEED_LUA();
    aero_error err;
    aero_dataset ds = bg_set(state, "bgudf");
    aero_query *q = aero_session_query(S, &ds);
    aero_query_where(q, "$.n < 10");
    aero_value args[] = { aero_str("v"), aero_int(21) };
    aero_query_background_udf(q, g_mod, "scale", args, 2);
    aero_job_status js = wait_done(aero_query_execute_background(q, &err));
    assert_int_equal(js.records_succeeded, 10);
    assert_int_equal(count_where(S, &ds, "$.v == 42"), 10);
    assert_int_equal(count_where(S, &ds, "$.v == 2"), N_BG - 10);
}

static void test_background_throttled_progress(void **state) {
    aero_error err;
    /* throttled, a server sleeps up to 10 ms per record: 100 records take a second or more */
    enum { N = 100 };
    aero_dataset ds = bg_set_n(state, "bgrps", N);
    aero_query *q = aero_session_query(S, &ds);
    aero_query_records_per_second(q, 20);
    aero_write_bin_set_int(aero_query_background_update(q), "t", 1);
    aero_job *job = aero_query_execute_background(q, &err);
    assert_non_null(job);
    aero_job_status js = AERO_JOB_STATUS_INIT;
    assert_aero_ok(aero_job_status_get(job, &js, &err), &err);
    bool single = js.nodes == 1;
    if (single)
        assert_int_equal(js.state, AERO_JOB_IN_PROGRESS);
    /* a wait too short to see the end, with the progress so far */
    aero_job_status mid = AERO_JOB_STATUS_INIT;
    aero_status st = aero_job_wait(job, 300, &mid, &err);
    if (single) {
        assert_int_equal(st, AERO_ERR_TIMEOUT);
        assert_non_null(strstr(err.message, "still runs"));
        assert_int_equal(mid.state, AERO_JOB_IN_PROGRESS);
        assert_true(mid.records_succeeded < N);
        assert_true(mid.progress_pct < 100.0);
    }
    js = wait_done(job);
    assert_int_equal(js.records_succeeded, N);
    assert_true(js.records_throttled > 0);
    assert_int_equal(count_where(S, &ds, "$.t == 1"), N);
}

/* A job over an index query: the index filter (explicit or chosen from where()) narrows the job. */
static void test_background_index_filter(void **state) {
    aero_error err;
    aero_dataset ds = bg_set(state, "bgidx");
    aero_index_def d = AERO_INDEX_DEF_INIT;
    d.ns = ds.ns;
    d.set = ds.set;
    d.name = it_name(ENV, "bgidx_n");
    d.bin = "n";
    d.type = AERO_INDEX_NUMERIC;
    assert_aero_ok(aero_index_create(S, &d, &err), &err);
    assert_aero_ok(aero_index_wait(S, ds.ns, d.name, 10000, &err), &err);
    /* explicit filter: n in 0..9 */
    aero_query *q = aero_session_query(S, &ds);
    aero_index_filter f = aero_index_range("n", 0, 9);
    aero_query_filter(q, &f);
    aero_write_bin_set_int(aero_query_background_update(q), "ix", 1);
    aero_job_status js = wait_done(aero_query_execute_background(q, &err));
    assert_int_equal(js.records_succeeded, 10);
    assert_int_equal(count_where(S, &ds, "$.ix == 1"), 10);
    /* automatic choice from where(): n >= 35 goes to the index */
    q = aero_session_query(S, &ds);
    aero_query_where(q, "$.n >= 35");
    aero_query_background_delete(q);
    js = wait_done(aero_query_execute_background(q, &err));
    assert_int_equal(js.records_succeeded, 5);
    assert_int_equal(count_where(S, &ds, NULL), N_BG - 5);
    assert_aero_ok(aero_index_drop(S, ds.ns, d.name, &err), &err);
}

static void test_background_missing_set(void **state) {
    aero_error err;
    aero_dataset ds = aero_dataset_of(it_namespace(), it_name(ENV, "nosuchset"));
    aero_query *q = aero_session_query(S, &ds);
    aero_query_background_delete(q);
    aero_job_status js = wait_done(aero_query_execute_background(q, &err));
    assert_int_equal(js.records_succeeded, 0);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s <udf_test.lua>\n", argv[0]);
        return 2;
    }
    g_module_path = argv[1];
    if (argc > 2 && !strcmp(argv[2], "cluster") && !it_hosts()) {
        /* the same tests on a 3-node test server: jobs run on every node, modules reach every node */
        aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
        cfg.nodes = 3;
        cfg.replication_factor = 2;
        aero_error err;
        g_cluster = aero_testserver_start(&cfg, &err);
        if (!g_cluster) {
            fprintf(stderr, "cannot start a 3-node aero-testserver: %s\n", err.message);
            return 1;
        }
        setenv("AERO_HOSTS", aero_testserver_seeds(g_cluster), 1);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_register_list_remove),
        cmocka_unit_test(test_register_bad_input),
        cmocka_unit_test(test_register_compile_error),
        cmocka_unit_test(test_echo_every_type),
        cmocka_unit_test(test_record_api),
        cmocka_unit_test(test_list_and_map_bins),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_batch_udf_rows),
        cmocka_unit_test(test_background_update_delete),
        cmocka_unit_test(test_background_misuse),
        cmocka_unit_test(test_background_udf),
        cmocka_unit_test(test_background_throttled_progress),
        cmocka_unit_test(test_background_index_filter),
        cmocka_unit_test(test_background_missing_set),
    };
    int rc = cmocka_run_group_tests_name(g_cluster ? "udf-cluster" : "udf", tests, setup, teardown);
    aero_testserver_stop(g_cluster);
    return rc;
}
