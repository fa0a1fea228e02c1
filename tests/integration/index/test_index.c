/*
 * test_index.c - secondary indexes through the public API (aero/index.h,
 * sdk-surface.md 1.11, ael.md 2.12): create (every type, collections, a CDT
 * context, an expression), idempotent create, drop, list, bounded wait;
 * queries by an index filter (equal, range, contains, geo) alone and with a
 * where(); the automatic choice from where() (same rows as without the
 * index), hints, no_index and explain; the server's error for a missing
 * index. Runs unchanged against a real server (AERO_HOSTS).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)
#define N   40

static aero_dataset g_ds;
static char g_set[64];
static char g_names[16][64];
static int g_n_names;

/* An index name of this run, remembered for teardown. */
static const char *iname(const it_env *env, const char *name) {
    snprintf(g_names[g_n_names], sizeof g_names[0], "%s", it_name(env, name));
    return g_names[g_n_names++];
}

static aero_key rec_key(int i) {
    static char keys[N][24];
    snprintf(keys[i], sizeof keys[i], "r-%d", i);
    return aero_dataset_id_str(&g_ds, keys[i]);
}

static const char *const COLORS[] = { "red", "green", "blue", "black" };

/*
 * Record i: id i, age i, color COLORS[i % 4], tag blob {i % 3}, tags list [i % 5, i % 5 + 1]
 * (so a range over the list matches some records twice), attrs map {"k<i%3>": i % 7},
 * prefs map {"theme": "dark" or "light"}, loc a point (i, i) / 10.
 */
static int setup(void **state) {
    if (it_setup(state) != 0)
        return -1;
    snprintf(g_set, sizeof g_set, "%s", it_name(ENV, "idx"));
    g_ds = aero_dataset_of(ENV->ds.ns, g_set);
    aero_error err;
    for (int i = 0; i < N; i++) {
        aero_key k = rec_key(i);
        aero_write *w = aero_session_upsert(S, &k);
        aero_write_bin_set_int(w, "id", i);
        aero_write_bin_set_int(w, "age", i);
        aero_write_bin_set_str(w, "color", COLORS[i % 4]);
        uint8_t tag = (uint8_t)(i % 3);
        aero_write_bin_set_blob(w, "tag", &tag, 1);
        aero_value items[2] = { aero_int(i % 5), aero_int(i % 5 + 1) };
        aero_value tags = aero_list(items, 2);
        aero_write_bin_set(w, "tags", &tags);
        char key[4];
        snprintf(key, sizeof key, "k%d", i % 3);
        aero_map_entry me = { aero_str(key), aero_int(i % 7) };
        aero_value attrs = aero_map(&me, 1);
        aero_write_bin_set(w, "attrs", &attrs);
        aero_map_entry pe = { aero_str("theme"), aero_str(i % 2 ? "dark" : "light") };
        aero_value prefs = aero_map(&pe, 1);
        aero_write_bin_set(w, "prefs", &prefs);
        char geo[96];
        snprintf(geo, sizeof geo, "{\"type\":\"Point\",\"coordinates\":[%.1f,%.1f]}", i / 10.0, i / 10.0);
        aero_write_bin_set_geojson(w, "loc", geo);
        if (aero_write_execute(w, NULL, &err) != AERO_OK) {
            fprintf(stderr, "seed: %s\n", err.message);
            return -1;
        }
    }
    return 0;
}

static int teardown(void **state) {
    aero_error err;
    for (int i = 0; i < g_n_names; i++)
        aero_index_drop(S, ENV->ds.ns, g_names[i], &err);
    for (int i = 0; i < N; i++) {
        aero_key k = rec_key(i);
        aero_write_execute(aero_session_delete(S, &k), NULL, &err);
    }
    return it_teardown(state);
}

static void create_ready(void **state, const aero_index_def *d) {
    aero_error err;
    assert_aero_ok(aero_index_create(S, d, &err), &err);
    assert_aero_ok(aero_index_wait(S, d->ns, d->name, 30000, &err), &err);
}

static aero_index_def bin_index(void **state, const char *name, const char *bin, aero_index_type t,
                                aero_index_collection c) {
    aero_index_def d = AERO_INDEX_DEF_INIT;
    d.ns = ENV->ds.ns;
    d.set = g_set;
    d.name = iname(ENV, name);
    d.bin = bin;
    d.type = t;
    d.collection = c;
    return d;
}

static int cmp_int(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Run q and return the sorted ids of the rows (duplicates kept) in ids; returns the count. */
static size_t run_ids(aero_query *q, int64_t *ids, size_t cap) {
    aero_error err;
    aero_stream *st = aero_query_execute(q, &err);
    assert_non_null(st);
    size_t n = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        assert_true(n < cap);
        ids[n++] = aero_record_int(r, "id", -1);
    }
    assert_int_equal(err.code, AERO_OK);
    aero_stream_close(st);
    qsort(ids, n, sizeof *ids, cmp_int);
    return n;
}

/* The ids 0..N-1 for which pred holds (each `times(i)` times), sorted. */
static size_t expect_ids(bool (*pred)(int), int64_t *ids) {
    size_t n = 0;
    for (int i = 0; i < N; i++)
        if (pred(i))
            ids[n++] = i;
    return n;
}

static void assert_ids(const int64_t *got, size_t n_got, const int64_t *want, size_t n_want) {
    if (n_got != n_want) {
        fprintf(stderr, "got %zu rows, want %zu\n", n_got, n_want);
        for (size_t i = 0; i < n_got; i++)
            fprintf(stderr, " %lld", (long long)got[i]);
        fprintf(stderr, "\n");
    }
    assert_int_equal(n_got, n_want);
    for (size_t i = 0; i < n_got; i++)
        assert_int_equal(got[i], want[i]);
}

static aero_query *filtered(void **state, const aero_index_filter *f) {
    return aero_query_filter(aero_session_query(S, &g_ds), f);
}

static bool age_10_19(int i) { return i >= 10 && i <= 19; }
static bool age_7(int i) { return i == 7; }
static bool blue(int i) { return i % 4 == 2; }
static bool blue_over_20(int i) { return i % 4 == 2 && i > 20; }
static bool tag_1(int i) { return i % 3 == 1; }

static void test_numeric_equal_range_and_where(void **state) {
    aero_index_def d = bin_index(state, "age", "age", AERO_INDEX_NUMERIC, AERO_INDEX_COLLECTION_NONE);
    create_ready(state, &d);
    int64_t got[2 * N], want[2 * N];
    aero_index_filter f = aero_index_equal_int("age", 7);
    size_t n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(age_7, want));
    f = aero_index_range("age", 10, 19);
    n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(age_10_19, want));
    /* the index narrows, the expression filters the rest */
    f = aero_index_range("age", 0, 39);
    n = run_ids(aero_query_where(filtered(state, &f), "$.color == 'blue' and $.age > 20"), got, 2 * N);
    assert_ids(got, n, want, expect_ids(blue_over_20, want));
}

static void test_string_and_blob_equal(void **state) {
    aero_index_def d = bin_index(state, "color", "color", AERO_INDEX_STRING, AERO_INDEX_COLLECTION_NONE);
    create_ready(state, &d);
    aero_index_def b = bin_index(state, "tag", "tag", AERO_INDEX_BLOB, AERO_INDEX_COLLECTION_NONE);
    create_ready(state, &b);
    int64_t got[2 * N], want[2 * N];
    aero_index_filter f = aero_index_equal_str("color", "blue");
    size_t n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(blue, want));
    uint8_t one = 1;
    f = aero_index_equal_blob("tag", &one, 1);
    n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(tag_1, want));
    /* by index name: the bin is not needed */
    f = aero_index_equal_str(NULL, "blue");
    f.index_name = d.name;
    n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(blue, want));
}

static bool tags_has_3(int i) { return i % 5 == 3 || i % 5 + 1 == 3; }
static bool key_k2(int i) { return i % 3 == 2; }
static bool value_4(int i) { return i % 7 == 4; }
static bool dark(int i) { return i % 2 == 1; }

static void test_collections(void **state) {
    aero_index_def l = bin_index(state, "tags", "tags", AERO_INDEX_NUMERIC, AERO_INDEX_COLLECTION_LIST);
    create_ready(state, &l);
    aero_index_def mk = bin_index(state, "attrk", "attrs", AERO_INDEX_STRING, AERO_INDEX_COLLECTION_MAPKEYS);
    create_ready(state, &mk);
    aero_index_def mv = bin_index(state, "attrv", "attrs", AERO_INDEX_NUMERIC, AERO_INDEX_COLLECTION_MAPVALUES);
    create_ready(state, &mv);
    int64_t got[2 * N], want[2 * N];
    aero_index_filter f = aero_index_contains_int("tags", AERO_INDEX_COLLECTION_LIST, 3);
    size_t n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(tags_has_3, want));
    f = aero_index_contains_str("attrs", AERO_INDEX_COLLECTION_MAPKEYS, "k2");
    n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(key_k2, want));
    f = aero_index_contains_int("attrs", AERO_INDEX_COLLECTION_MAPVALUES, 4);
    n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(value_4, want));
    /*
     * A range over a list index: [2, 3] has two entries in 2..3, but the
     * server drops a record it already sent within the same burst of 100
     * index entries of a partition, so at this size each record comes once.
     */
    f = aero_index_contains_range("tags", AERO_INDEX_COLLECTION_LIST, 2, 3);
    n = run_ids(filtered(state, &f), got, 2 * N);
    size_t nw = 0;
    for (int i = 0; i < N; i++)
        if (i % 5 >= 1 && i % 5 <= 3)
            want[nw++] = i;
    assert_ids(got, n, want, nw);
}

static void test_context_index(void **state) {
    aero_index_def d = bin_index(state, "theme", NULL, AERO_INDEX_STRING, AERO_INDEX_COLLECTION_NONE);
    d.ctx = "$.prefs.theme";
    create_ready(state, &d);
    aero_error err;
    assert_aero_ok(aero_index_create(S, &d, &err), &err); /* idempotent */
    int64_t got[2 * N], want[2 * N];
    aero_index_filter f = aero_index_equal_str("prefs", "dark");
    f.ctx = "$.prefs.theme";
    size_t n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(dark, want));
    /* the listed index carries the context */
    aero_index_info *list;
    size_t nl;
    assert_aero_ok(aero_index_list(S, ENV->ds.ns, &list, &nl, &err), &err);
    bool seen = false;
    for (size_t i = 0; i < nl; i++)
        if (!strcmp(list[i].name, d.name)) {
            seen = true;
            assert_string_equal(list[i].bin, "prefs");
            assert_non_null(list[i].ctx);
            assert_true(list[i].ctx_len > 2);
        }
    assert_true(seen);
    aero_index_list_free(list, nl);
    /* without b64 the server displays the context */
    char *raw = malloc(1 << 20);
    assert_non_null(raw);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "sindex-list:namespace=%s", ENV->ds.ns);
    assert_aero_ok(aero_client_info(ENV->client, cmd, raw, 1 << 20, &err), &err);
    char line[320];
    snprintf(line, sizeof line,
             "indexname=%s:set=%s:bin=prefs:type=string:indextype=default:"
             "context=[map_key(<string#5>)]:exp=null:state=RW",
             d.name, g_set);
    assert_non_null(strstr(raw, line));
    free(raw);
}

static bool age_times_2_eq_30(int i) { return i * 2 == 30; }

static void test_expression_index(void **state) {
    aero_error err;
    aero_expr *e = aero_ael_compile("$.age.get(type: INT) * 2", NULL, 0, &err);
    assert_non_null(e);
    aero_index_def d = AERO_INDEX_DEF_INIT;
    d.ns = ENV->ds.ns;
    d.set = g_set;
    d.name = iname(ENV, "agex2");
    d.type = AERO_INDEX_NUMERIC;
    d.expr = e;
    create_ready(state, &d);
    int64_t got[2 * N], want[2 * N];
    aero_index_filter f = aero_index_equal_int(NULL, 30);
    f.expr = e;
    size_t n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(age_times_2_eq_30, want));
    aero_expr_free(e);
}

static bool near_origin(int i) { return i <= 5; }

static void test_geo(void **state) {
    aero_index_def d = bin_index(state, "loc", "loc", AERO_INDEX_GEO2DSPHERE, AERO_INDEX_COLLECTION_NONE);
    create_ready(state, &d);
    int64_t got[2 * N], want[2 * N];
    /* points (i/10, i/10): the square [-0.05, 0.55]^2 holds i = 0..5 */
    aero_index_filter f = aero_index_geo_within(
        "loc", "{\"type\":\"Polygon\",\"coordinates\":[[[-0.05,-0.05],[0.55,-0.05],[0.55,0.55],[-0.05,0.55],"
               "[-0.05,-0.05]]]}");
    size_t n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(near_origin, want));
    /* 0.1 degree on the diagonal is about 15.7 km: 80 km around (0, 0) holds i = 0..5 */
    f = aero_index_geo_within_radius("loc", 0, 0, 80000);
    n = run_ids(filtered(state, &f), got, 2 * N);
    assert_ids(got, n, want, expect_ids(near_origin, want));

    /* a region bin containing a point */
    aero_key k = aero_dataset_id_str(&g_ds, "region");
    aero_error err;
    aero_write *w = aero_session_upsert(S, &k);
    aero_write_bin_set_int(w, "id", 1000);
    aero_write_bin_set_geojson(w, "area",
                               "{\"type\":\"Polygon\",\"coordinates\":[[[10,10],[11,10],[11,11],[10,11],"
                               "[10,10]]]}");
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    aero_index_def a = bin_index(state, "area", "area", AERO_INDEX_GEO2DSPHERE, AERO_INDEX_COLLECTION_NONE);
    create_ready(state, &a);
    f = aero_index_geo_contains_point("area", 10.5, 10.5);
    n = run_ids(filtered(state, &f), got, 2 * N);
    assert_int_equal(n, 1);
    assert_int_equal(got[0], 1000);
    f = aero_index_geo_contains("area", "{\"type\":\"Point\",\"coordinates\":[12.5,10.5]}");
    n = run_ids(filtered(state, &f), got, 2 * N);
    assert_int_equal(n, 0);
    aero_write_execute(aero_session_delete(S, &k), NULL, &err);
}

static bool auto_rows(int i) { return i > 25 && i < 36; }

static void test_automatic_choice(void **state) {
    const char *where = "$.age > 25 and $.id < 36"; /* id has no index */
    aero_index_def d = bin_index(state, "auto_age", "age", AERO_INDEX_NUMERIC, AERO_INDEX_COLLECTION_NONE);
    create_ready(state, &d);
    aero_error err;
    int64_t got[2 * N], want[2 * N], plain[2 * N];
    size_t nw = expect_ids(auto_rows, want);

    aero_query_plan plan = AERO_QUERY_PLAN_INIT;
    aero_query *q = aero_query_where(aero_session_query(S, &g_ds), where);
    assert_aero_ok(aero_query_explain(q, &plan, &err), &err);
    assert_true(plan.uses_index);
    assert_true(plan.automatic);
    assert_true(plan.has_expression);
    assert_string_equal(plan.bin, "age");
    assert_non_null(strstr(plan.filter, "age in [26, 9223372036854775807]"));
    size_t n = run_ids(q, got, 2 * N); /* explain does not consume the builder */
    assert_ids(got, n, want, nw);

    /* no_index(): the same rows from a scan */
    q = aero_query_no_index(aero_query_where(aero_session_query(S, &g_ds), where));
    aero_query_plan_init(&plan);
    assert_aero_ok(aero_query_explain(q, &plan, &err), &err);
    assert_false(plan.uses_index);
    assert_non_null(strstr(plan.reason, "no_index"));
    size_t np = run_ids(q, plain, 2 * N);
    assert_ids(plain, np, want, nw);

    /* a hint to an index no comparison fits: no index, and explain says why */
    q = aero_query_index_hint(aero_query_where(aero_session_query(S, &g_ds), "$.id == 3"), d.name);
    aero_query_plan_init(&plan);
    assert_aero_ok(aero_query_explain(q, &plan, &err), &err);
    assert_false(plan.uses_index);
    assert_true(plan.reason[0] != '\0');
    aero_query_abandon(q);

    /* the hint sends the filter by index name */
    q = aero_query_index_hint(aero_query_where(aero_session_query(S, &g_ds), where), d.name);
    aero_query_plan_init(&plan);
    assert_aero_ok(aero_query_explain(q, &plan, &err), &err);
    assert_true(plan.uses_index);
    assert_string_equal(plan.index_name, d.name);
    n = run_ids(q, got, 2 * N);
    assert_ids(got, n, want, nw);

    /* or: no index */
    q = aero_query_where(aero_session_query(S, &g_ds), "$.age > 25 or $.id < 3");
    aero_query_plan_init(&plan);
    assert_aero_ok(aero_query_explain(q, &plan, &err), &err);
    assert_false(plan.uses_index);
    aero_query_abandon(q);
}

/* The rows of q read chunk by chunk (chunk_size), sorted; *chunks receives how many chunks. */
static size_t run_chunked(aero_query *q, uint32_t chunk, int64_t *ids, size_t cap, size_t *chunks) {
    aero_error err;
    aero_stream *st = aero_query_execute(aero_query_chunk_size(q, chunk), &err);
    assert_non_null(st);
    size_t n = 0;
    *chunks = 0;
    do {
        size_t in_chunk = 0;
        for (const aero_record *r; (r = aero_stream_next(st, &err));) {
            assert_true(n < cap);
            ids[n++] = aero_record_int(r, "id", -1);
            in_chunk++;
        }
        assert_int_equal(err.code, AERO_OK);
        assert_true(in_chunk <= chunk);
        (*chunks)++;
    } while (aero_stream_has_more_chunks(st) && *chunks < 100);
    aero_stream_close(st);
    qsort(ids, n, sizeof *ids, cmp_int);
    return n;
}

/*
 * Chunks of an index query resume after (index value, digest): on a bin
 * index they are exactly the whole answer. On a collection range the server
 * drops a record already sent only within one pass over a partition, so a
 * record with two matching elements may come once per chunk that reads the
 * partition again: every record at least once, at most twice.
 */
static void test_chunks(void **state) {
    aero_index_def a = bin_index(state, "chunk_age", "age", AERO_INDEX_NUMERIC, AERO_INDEX_COLLECTION_NONE);
    create_ready(state, &a);
    aero_index_def d = bin_index(state, "chunk_tags", "tags", AERO_INDEX_NUMERIC, AERO_INDEX_COLLECTION_LIST);
    create_ready(state, &d);
    int64_t whole[4 * N], got[4 * N];
    size_t chunks;
    aero_index_filter f = aero_index_range("age", 3, 36);
    size_t nw = run_ids(filtered(state, &f), whole, 4 * N);
    assert_int_equal(nw, 34);
    size_t n = run_chunked(filtered(state, &f), 5, got, 4 * N, &chunks);
    assert_true(chunks >= 7);
    assert_ids(got, n, whole, nw);

    f = aero_index_contains_range("tags", AERO_INDEX_COLLECTION_LIST, 0, 5);
    n = run_chunked(filtered(state, &f), 7, got, 4 * N, &chunks);
    assert_true(chunks >= 6);
    int seen[N] = { 0 };
    for (size_t i = 0; i < n; i++) {
        assert_true(got[i] >= 0 && got[i] < N);
        seen[got[i]]++;
    }
    for (int i = 0; i < N; i++)
        assert_true(seen[i] >= 1 && seen[i] <= 2);
}

/* An index created behind the client's back (raw info) is found by tending and then used. */
static void test_discovered_by_tending(void **state) {
    aero_error err;
    const char *name = iname(ENV, "raw_id");
    char cmd[256], ans[256];
    snprintf(cmd, sizeof cmd, "sindex-create:namespace=%s;set=%s;indexname=%s;bin=id;type=numeric", ENV->ds.ns, g_set,
             name);
    /* an explain first, so the client has loaded (and keeps refreshing) the index list */
    aero_query_plan plan = AERO_QUERY_PLAN_INIT;
    aero_query *q = aero_query_where(aero_session_query(S, &g_ds), "$.id == 3");
    assert_aero_ok(aero_query_explain(q, &plan, &err), &err);
    aero_query_abandon(q);
    assert_false(plan.uses_index); /* no index on id yet */
    assert_aero_ok(aero_client_info(ENV->client, cmd, ans, sizeof ans, &err), &err);
    /* not aero_index_wait(): it tells the client the index is there; here only tending may find it */
    bool used = false;
    for (int i = 0; i < 200 && !used; i++) { /* tending refreshes every 5 passes (5 s by default) */
        q = aero_query_where(aero_session_query(S, &g_ds), "$.id == 3");
        aero_query_plan_init(&plan);
        assert_aero_ok(aero_query_explain(q, &plan, &err), &err);
        aero_query_abandon(q);
        used = plan.uses_index && !strcmp(plan.bin, "id");
        if (!used) {
            struct timespec ts = { 0, 100000000 };
            nanosleep(&ts, NULL);
        }
    }
    assert_true(used);
}

static bool login_lt_5(int i) { return i < 5; }

/* The chosen index is dropped behind the client's back: the query still yields the rows, from a scan. */
static void test_index_dropped_behind_client(void **state) {
    aero_error err;
    aero_index_def d = AERO_INDEX_DEF_INIT;
    d.ns = ENV->ds.ns;
    d.set = g_set;
    d.name = iname(ENV, "gone_id");
    d.bin = "id";
    d.type = AERO_INDEX_NUMERIC;
    /* the same definition as raw_id (if that one is there) renames it: either way one index on id */
    create_ready(state, &d);
    aero_query_plan plan = AERO_QUERY_PLAN_INIT;
    aero_query *q = aero_query_where(aero_session_query(S, &g_ds), "$.id < 5");
    assert_aero_ok(aero_query_explain(q, &plan, &err), &err);
    aero_query_abandon(q);
    assert_true(plan.uses_index);
    char cmd[160], ans[64];
    snprintf(cmd, sizeof cmd, "sindex-delete:namespace=%s;indexname=%s", ENV->ds.ns, d.name);
    assert_aero_ok(aero_client_info(ENV->client, cmd, ans, sizeof ans, &err), &err);
    int64_t got[2 * N], want[2 * N];
    size_t n = run_ids(aero_query_where(aero_session_query(S, &g_ds), "$.id < 5"), got, 2 * N);
    assert_ids(got, n, want, expect_ids(login_lt_5, want));
    /* and the client has noticed: no index any more */
    q = aero_query_where(aero_session_query(S, &g_ds), "$.id < 5");
    aero_query_plan_init(&plan);
    assert_aero_ok(aero_query_explain(q, &plan, &err), &err);
    aero_query_abandon(q);
    assert_false(plan.uses_index);
}

static void test_admin(void **state) {
    aero_error err;
    aero_index_def d = bin_index(state, "adm", "age", AERO_INDEX_STRING, AERO_INDEX_COLLECTION_NONE);
    d.bin = "id";
    create_ready(state, &d);
    assert_aero_ok(aero_index_create(S, &d, &err), &err); /* same definition: ok */
    aero_index_def other = d;
    other.bin = "color";
    assert_int_equal(aero_index_create(S, &other, &err), AERO_ERR_INDEX_FOUND);
    aero_index_info *list;
    size_t n;
    assert_aero_ok(aero_index_list(S, ENV->ds.ns, &list, &n, &err), &err);
    bool seen = false;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i].name, d.name)) {
            seen = true;
            assert_string_equal(list[i].set, g_set);
            assert_string_equal(list[i].bin, "id");
            assert_int_equal(list[i].type, AERO_INDEX_STRING);
            assert_int_equal(list[i].collection, AERO_INDEX_COLLECTION_NONE);
            assert_int_equal(list[i].state, AERO_INDEX_STATE_RW);
            assert_null(list[i].ctx);
            assert_null(list[i].exp);
        }
    assert_true(seen);
    aero_index_list_free(list, n);
    assert_aero_ok(aero_index_drop(S, d.ns, d.name, &err), &err);
    assert_aero_ok(aero_index_drop(S, d.ns, d.name, &err), &err); /* dropping again is ok */
    /* a query on an index that is not there: the server's error */
    aero_index_filter f = aero_index_equal_str(NULL, "x");
    f.index_name = d.name;
    aero_stream *st = aero_query_execute(filtered(state, &f), &err);
    assert_non_null(st);
    assert_null(aero_stream_next(st, &err));
    assert_int_equal(err.code, AERO_ERR_INDEX_NOT_FOUND);
    aero_stream_close(st);
    assert_int_equal(aero_index_wait(S, d.ns, d.name, 300, &err), AERO_ERR_INDEX_NOT_FOUND);
}

static void test_bad_input(void **state) {
    aero_error err;
    aero_index_def d = AERO_INDEX_DEF_INIT;
    d.ns = ENV->ds.ns;
    d.name = "x";
    d.bin = "a";
    assert_int_equal(aero_index_create(S, &d, &err), AERO_ERR_PARAM); /* type 0 */
    d.type = AERO_INDEX_NUMERIC;
    d.version = 0;
    assert_int_equal(aero_index_create(S, &d, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "AERO_INDEX_DEF_INIT"));
    d.version = AERO_INDEX_DEF_VERSION;
    d.ctx = "$.a.[";
    assert_int_equal(aero_index_create(S, &d, &err), AERO_ERR_PARAM);
    d.ctx = "$.b.x"; /* not a path in bin a */
    assert_int_equal(aero_index_create(S, &d, &err), AERO_ERR_PARAM);
    d.ctx = NULL;
    d.name = "has;semicolon";
    assert_int_equal(aero_index_create(S, &d, &err), AERO_ERR_PARAM);
    aero_index_filter f = aero_index_range("age", 5, 1);
    assert_null(aero_query_execute(filtered(state, &f), &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    aero_key k = rec_key(0);
    f = aero_index_equal_int("age", 1);
    assert_null(aero_query_execute(aero_query_filter(aero_session_query_key(S, &k), &f), &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_null(
        aero_query_execute(aero_query_no_index(aero_query_index_hint(aero_session_query(S, &g_ds), "i")), &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numeric_equal_range_and_where),
        cmocka_unit_test(test_string_and_blob_equal),
        cmocka_unit_test(test_collections),
        cmocka_unit_test(test_context_index),
        cmocka_unit_test(test_expression_index),
        cmocka_unit_test(test_geo),
        cmocka_unit_test(test_automatic_choice),
        cmocka_unit_test(test_chunks),
        cmocka_unit_test(test_discovered_by_tending),
        cmocka_unit_test(test_index_dropped_behind_client),
        cmocka_unit_test(test_admin),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("index", tests, setup, teardown);
}
