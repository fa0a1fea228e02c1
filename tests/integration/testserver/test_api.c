/*
 * test_api.c - aero-testserver as a library: the versioned config, the
 * virtual clock, the in-process store API (checked against what a client
 * reads over the wire) and the limits, each exceeded to see the server's
 * own answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/aero.h>
#include <aero/testserver.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tsclient.h"
#include "aero_assert.h"

typedef struct env {
    aero_testserver *ts;
    aero_client *client;
    aero_session *session;
} env;

static env start(aero_testserver_config *cfg) {
    env e;
    aero_error err;
    e.ts = aero_testserver_start(cfg, &err);
    assert_non_null(e.ts);
    e.client = aero_client_connect(aero_testserver_seeds(e.ts), NULL, &err);
    assert_non_null(e.client);
    e.session = aero_client_create_session(e.client, NULL, &err);
    assert_non_null(e.session);
    return e;
}

static void finish(env *e) {
    aero_session_free(e->session);
    aero_client_close(e->client);
    aero_testserver_stop(e->ts);
}

/* ---------------- config ---------------- */

static void test_config_version(void **state) {
    (void)state;
    aero_testserver_config a = AERO_TESTSERVER_CONFIG_INIT, b;
    aero_testserver_config_init(&b);
    assert_int_equal(a.version, AERO_TESTSERVER_CONFIG_VERSION);
    assert_int_equal(b.version, AERO_TESTSERVER_CONFIG_VERSION);
    assert_int_equal(a.nodes, b.nodes);
    assert_string_equal(a.namespaces, b.namespaces);
    assert_int_equal(b.limits.max_record_size, 0);
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&a, &err);
    assert_non_null(ts);
    aero_testserver_stop(ts);
    /* a config that was never initialised, or one from a newer header */
    memset(&a, 0, sizeof a);
    assert_null(aero_testserver_start(&a, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "version 0"));
    b.version = AERO_TESTSERVER_CONFIG_VERSION + 1;
    assert_null(aero_testserver_start(&b, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
}

/* ---------------- the in-process store ---------------- */

static void test_put_get_roundtrip(void **state) {
    (void)state;
    env e = start(NULL);
    aero_error err;
    aero_dataset ds = aero_dataset_of("test", "seed");
    aero_key k = aero_dataset_id_str(&ds, "k1");
    aero_value items[] = { aero_int(1), aero_str("two"), aero_double(3.5) };
    aero_value olist = aero_list(items, 3);
    olist.v.list.ordered = true;
    aero_map_entry ents[] = { { aero_str("a"), aero_int(1) }, { aero_str("b"), olist } };
    aero_value map = aero_map(ents, 2);
    map.v.map.order = AERO_MAP_KEY_ORDERED;
    aero_bin_value bins[] = {
        { "i", aero_int(-42) },
        { "s", aero_str("hello") },
        { "d", aero_double(2.25) },
        { "b", aero_bool(true) },
        { "blob", aero_blob("\0\1\2", 3) },
        { "l", aero_list(items, 3) },
        { "m", map },
        { "skip", aero_nil() },
        { "g", aero_geojson("{\"type\":\"Point\",\"coordinates\":[1,2]}") },
    };
    size_t nb = sizeof bins / sizeof bins[0];
    assert_aero_ok(aero_testserver_put(e.ts, &k, bins, nb, 0, &err), &err);

    aero_testserver_record tr;
    aero_testserver_record_init(&tr);
    assert_aero_ok(aero_testserver_get(e.ts, &k, &tr, &err), &err);
    assert_int_equal(tr.generation, 1);
    assert_int_equal(tr.ttl, AERO_TTL_NEVER);
    assert_int_equal(tr.n_bins, nb - 1); /* the nil bin is not stored */

    /* what a client reads over the wire is the same */
    aero_record r;
    aero_record_init(&r);
    assert_aero_ok(aero_session_get(e.session, &k, NULL, 0, &r, &err), &err);
    assert_int_equal(r.n_bins, nb - 1);
    for (uint32_t i = 0; i < tr.n_bins; i++) {
        const aero_value *w = aero_record_get(&r, tr.bins[i].name);
        assert_non_null(w);
        assert_true(aero_value_equal(w, &tr.bins[i].value));
    }
    for (size_t i = 0; i < nb; i++) {
        if (bins[i].value.type == AERO_NIL)
            continue;
        assert_true(aero_value_equal(aero_record_get(&r, bins[i].name), &bins[i].value));
    }
    assert_true(aero_record_get(&r, "m")->v.map.order == AERO_MAP_KEY_ORDERED);

    /* a record written by a client reads back in process; put replaces it (generation + 1) */
    aero_key k2 = aero_dataset_id_int(&ds, 7);
    aero_write *w = aero_session_upsert(e.session, &k2);
    aero_write_bin_set_str(w, "name", "Alice");
    aero_write_bin_set_int(w, "age", 30);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    assert_aero_ok(aero_testserver_get(e.ts, &k2, &tr, &err), &err);
    assert_int_equal(tr.n_bins, 2);
    assert_string_equal(tr.bins[0].name, "name");
    assert_string_equal(tr.bins[0].value.v.str.ptr, "Alice");
    assert_int_equal(tr.bins[1].value.v.i, 30);
    aero_bin_value one[] = { { "age", aero_int(31) } };
    assert_aero_ok(aero_testserver_put(e.ts, &k2, one, 1, 100, &err), &err);
    assert_aero_ok(aero_session_get(e.session, &k2, NULL, 0, &r, &err), &err);
    assert_int_equal(r.n_bins, 1);
    assert_int_equal(aero_record_int(&r, "age", 0), 31);
    assert_int_equal(r.generation, 2);
    assert_in_range(r.ttl, 98, 100);
    aero_record_dispose(&r);
    aero_testserver_record_dispose(&tr);
    finish(&e);
}

static void test_count_remove_clear(void **state) {
    (void)state;
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    cfg.namespaces = "test;other";
    env e = start(&cfg);
    aero_error err;
    aero_dataset a = aero_dataset_of("test", "a"), b = aero_dataset_of("test", "b"), o = aero_dataset_of("other", "a");
    aero_bin_value bin[] = { { "x", aero_int(1) } };
    char name[16];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "k%d", i);
        aero_key ka = aero_dataset_id_str(&a, name), kb = aero_dataset_id_str(&b, name);
        aero_key ko = aero_dataset_id_str(&o, name);
        assert_aero_ok(aero_testserver_put(e.ts, &ka, bin, 1, 0, &err), &err);
        if (i < 3)
            assert_aero_ok(aero_testserver_put(e.ts, &kb, bin, 1, 0, &err), &err);
        assert_aero_ok(aero_testserver_put(e.ts, &ko, bin, 1, 0, &err), &err);
    }
    uint64_t n = 99;
    assert_aero_ok(aero_testserver_count(e.ts, "test", "a", &n, &err), &err);
    assert_int_equal(n, 5);
    assert_aero_ok(aero_testserver_count(e.ts, "test", "b", &n, &err), &err);
    assert_int_equal(n, 3);
    assert_aero_ok(aero_testserver_count(e.ts, "test", NULL, &n, &err), &err);
    assert_int_equal(n, 8);
    /* a record removed in process is gone for clients too */
    aero_key k0 = aero_dataset_id_str(&a, "k0");
    assert_aero_ok(aero_testserver_remove(e.ts, &k0, &err), &err);
    assert_int_equal(aero_testserver_remove(e.ts, &k0, &err), AERO_ERR_KEY_NOT_FOUND);
    bool exists = true;
    assert_aero_ok(aero_session_exists(e.session, &k0, &exists, &err), &err);
    assert_false(exists);
    /* a client delete shows in the count */
    aero_key k1 = aero_dataset_id_str(&a, "k1");
    assert_aero_ok(aero_write_execute(aero_session_delete(e.session, &k1), NULL, &err), &err);
    assert_aero_ok(aero_testserver_count(e.ts, "test", "a", &n, &err), &err);
    assert_int_equal(n, 3);
    assert_aero_ok(aero_testserver_clear(e.ts, "test", "b", &err), &err);
    assert_aero_ok(aero_testserver_count(e.ts, "test", NULL, &n, &err), &err);
    assert_int_equal(n, 3);
    assert_aero_ok(aero_testserver_count(e.ts, "other", "a", &n, &err), &err);
    assert_int_equal(n, 5);
    assert_aero_ok(aero_testserver_clear(e.ts, NULL, NULL, &err), &err);
    assert_aero_ok(aero_testserver_count(e.ts, "other", NULL, &n, &err), &err);
    assert_int_equal(n, 0);
    finish(&e);
}

static void test_store_api_errors(void **state) {
    (void)state;
    env e = start(NULL);
    aero_error err;
    aero_dataset ds = aero_dataset_of("test", "err"), none = aero_dataset_of("nope", "err");
    aero_key k = aero_dataset_id_str(&ds, "k"), kn = aero_dataset_id_str(&none, "k");
    aero_bin_value ok[] = { { "x", aero_int(1) } };
    aero_bin_value long_name[] = { { "abcdefghijklmnop", aero_int(1) } };
    aero_bin_value wild[] = { { "x", aero_wildcard() } };
    assert_int_equal(aero_testserver_put(e.ts, &kn, ok, 1, 0, &err), AERO_ERR_NAMESPACE_NOT_FOUND);
    assert_int_equal(aero_testserver_put(e.ts, &k, long_name, 1, 0, &err), AERO_ERR_BIN_NAME);
    assert_int_equal(aero_testserver_put(e.ts, &k, wild, 1, 0, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_testserver_put(e.ts, &k, ok, 1, 315360001, &err), AERO_ERR_PARAM);
    aero_testserver_record tr;
    aero_testserver_record_init(&tr);
    assert_int_equal(aero_testserver_get(e.ts, &k, &tr, &err), AERO_ERR_KEY_NOT_FOUND); /* nothing was stored */
    aero_dataset bad = aero_dataset_of("", "x");
    aero_key kb = aero_dataset_id_str(&bad, "k");
    assert_int_equal(aero_testserver_get(e.ts, &kb, &tr, &err), AERO_ERR_PARAM);
    uint64_t n;
    assert_int_equal(aero_testserver_count(e.ts, "nope", NULL, &n, &err), AERO_ERR_NAMESPACE_NOT_FOUND);
    assert_int_equal(aero_testserver_clear(e.ts, "nope", NULL, &err), AERO_ERR_NAMESPACE_NOT_FOUND);
    /* no bins: the record is removed */
    assert_aero_ok(aero_testserver_put(e.ts, &k, ok, 1, 0, &err), &err);
    assert_aero_ok(aero_testserver_put(e.ts, &k, NULL, 0, 0, &err), &err);
    assert_int_equal(aero_testserver_get(e.ts, &k, &tr, &err), AERO_ERR_KEY_NOT_FOUND);
    aero_testserver_record_dispose(&tr);
    finish(&e);
}

/* ---------------- the clock ---------------- */

static void test_virtual_clock_expires_records(void **state) {
    (void)state;
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    cfg.virtual_clock = true;
    env e = start(&cfg);
    aero_error err;
    aero_dataset ds = aero_dataset_of("test", "clock");
    aero_key k = aero_dataset_id_str(&ds, "ttl"), kc = aero_dataset_id_str(&ds, "client");
    aero_bin_value bin[] = { { "x", aero_int(1) } };
    uint64_t t0 = aero_testserver_clock_now(e.ts);
    assert_aero_ok(aero_testserver_put(e.ts, &k, bin, 1, 10, &err), &err);
    aero_write *w = aero_session_upsert(e.session, &kc);
    aero_write_bin_set_int(w, "x", 1);
    aero_write_expire_after_seconds(w, 100);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);

    aero_testserver_record tr;
    aero_testserver_record_init(&tr);
    assert_aero_ok(aero_testserver_get(e.ts, &k, &tr, &err), &err);
    assert_int_equal(tr.ttl, 10); /* the clock stands still */
    assert_int_equal(tr.last_update, t0);
    aero_testserver_clock_advance(e.ts, 9);
    assert_true(aero_testserver_clock_now(e.ts) == t0 + 9000000000ull);
    assert_aero_ok(aero_testserver_get(e.ts, &k, &tr, &err), &err);
    assert_int_equal(tr.ttl, 1);
    aero_testserver_clock_advance(e.ts, 1);
    assert_int_equal(aero_testserver_get(e.ts, &k, &tr, &err), AERO_ERR_KEY_NOT_FOUND);
    uint64_t n = 9;
    assert_aero_ok(aero_testserver_count(e.ts, "test", "clock", &n, &err), &err);
    assert_int_equal(n, 1); /* removed at once, as nsup would */

    /* a client computes TTLs on its own clock: answers carry void times moved onto it */
    aero_record r;
    aero_record_init(&r);
    assert_aero_ok(aero_session_get_header(e.session, &kc, &r, &err), &err);
    assert_in_range(r.ttl, 88, 90);
    /* over the wire too: the control command */
    char out[64];
    assert_int_equal(aero_testserver_control(e.ts, "advance;seconds=90", out, sizeof out, NULL), AERO_OK);
    assert_string_equal(out, "ok");
    assert_int_equal(aero_session_get_header(e.session, &kc, &r, &err), AERO_ERR_KEY_NOT_FOUND);
    aero_error cerr;
    assert_int_equal(aero_testserver_control(e.ts, "advance;seconds=x", out, sizeof out, &cerr), AERO_ERR_PARAM);
    assert_int_equal(cerr.code, AERO_ERR_PARAM);
    aero_record_dispose(&r);
    aero_testserver_record_dispose(&tr);
    finish(&e);
}

static void test_advance_on_real_time(void **state) {
    (void)state;
    env e = start(NULL);
    aero_error err;
    aero_dataset ds = aero_dataset_of("test", "clock");
    aero_key k = aero_dataset_id_str(&ds, "real");
    aero_write *w = aero_session_upsert(e.session, &k);
    aero_write_bin_set_int(w, "x", 1);
    aero_write_expire_after_seconds(w, 3600);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    aero_testserver_clock_advance(e.ts, 3000);
    aero_record r;
    aero_record_init(&r);
    assert_aero_ok(aero_session_get_header(e.session, &k, &r, &err), &err);
    assert_in_range(r.ttl, 595, 600);
    aero_testserver_clock_advance(e.ts, 600);
    assert_int_equal(aero_session_get_header(e.session, &k, &r, &err), AERO_ERR_KEY_NOT_FOUND);
    /* a truncate cut-off is on the client's clock: "before now" covers a record written just now,
       though its last-update time is an hour ahead on the server's clock */
    aero_bin_value bin[] = { { "x", aero_int(1) } };
    assert_aero_ok(aero_testserver_put(e.ts, &k, bin, 1, 0, &err), &err);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char cmd[128], out[64];
    snprintf(cmd, sizeof cmd, "truncate:namespace=test;set=clock;lut=%llu",
             (unsigned long long)now.tv_sec * 1000000000ull + (unsigned long long)now.tv_nsec);
    assert_aero_ok(aero_client_info(e.client, cmd, out, sizeof out, &err), &err);
    bool exists = true;
    assert_aero_ok(aero_session_exists(e.session, &k, &exists, &err), &err);
    assert_false(exists);
    aero_record_dispose(&r);
    finish(&e);
}

/* ---------------- limits ---------------- */

static void test_limit_record_size(void **state) {
    (void)state;
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    cfg.limits.max_record_size = 1000;
    env e = start(&cfg);
    aero_error err;
    aero_dataset ds = aero_dataset_of("test", "big");
    aero_key k = aero_dataset_id_str(&ds, "k");
    static uint8_t big[2000];
    aero_write *w = aero_session_upsert(e.session, &k);
    aero_write_bin_set_int(w, "small", 1);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    w = aero_session_upsert(e.session, &k);
    aero_write_bin_set_blob(w, "big", big, sizeof big);
    assert_int_equal(aero_write_execute(w, NULL, &err), AERO_ERR_RECORD_TOO_BIG);
    aero_record r;
    aero_record_init(&r);
    assert_aero_ok(aero_session_get(e.session, &k, NULL, 0, &r, &err), &err);
    assert_int_equal(r.n_bins, 1); /* left as it was */
    assert_int_equal(r.generation, 1);
    aero_record_dispose(&r);
    aero_bin_value bins[] = { { "big", aero_blob(big, sizeof big) } };
    assert_int_equal(aero_testserver_put(e.ts, &k, bins, 1, 0, &err), AERO_ERR_RECORD_TOO_BIG);
    bins[0].value = aero_blob(big, 500);
    assert_aero_ok(aero_testserver_put(e.ts, &k, bins, 1, 0, &err), &err);
    finish(&e);
}

static void test_limit_sindexes(void **state) {
    (void)state;
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    cfg.namespaces = "test;other";
    cfg.limits.max_sindexes = 2;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    assert_non_null(ts);
    uint16_t port = aero_testserver_port(ts, 0);
    static const char *const cmds[] = {
        "sindex-create:namespace=test;set=s;indexname=i1;bin=a;type=numeric\n",
        "sindex-create:namespace=test;set=s;indexname=i2;bin=b;type=numeric\n",
        "sindex-create:namespace=test;set=s;indexname=i3;bin=c;type=numeric\n",
        "sindex-create:namespace=other;set=s;indexname=i3;bin=c;type=numeric\n", /* the limit is per namespace */
    };
    static const char *const want[] = { "\tok", "\tok", "ERROR:206", "\tok" };
    for (int i = 0; i < 4; i++) {
        char *a = tc_info(port, cmds[i]);
        assert_non_null(a);
        assert_non_null(strstr(a, want[i]));
        free(a);
    }
    aero_testserver_stop(ts);
}

static bool closed_at_once(int fd) {
    struct pollfd pf = { .fd = fd, .events = POLLIN };
    if (poll(&pf, 1, 2000) <= 0)
        return false;
    uint8_t b;
    return recv(fd, &b, 1, 0) == 0;
}

static void test_limit_connections(void **state) {
    (void)state;
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    cfg.limits.max_connections = 2;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    assert_non_null(ts);
    uint16_t port = aero_testserver_port(ts, 0);
    int a = tc_connect(port), b = tc_connect(port);
    assert_true(a >= 0 && b >= 0);
    usleep(300 * 1000); /* let the accept thread take both */
    int c = tc_connect(port);
    assert_true(c >= 0);
    assert_true(closed_at_once(c)); /* proto-fd-max: accepted and closed */
    close(c);
    uint8_t hdr[8] = { 2, 1, 0, 0, 0, 0, 0, 5 };
    assert_true(tc_send(a, hdr, 8) && tc_send(a, "node\n", 5));
    uint8_t type, *body;
    size_t len;
    assert_true(tc_read_frame(a, &type, &body, &len)); /* the first ones still work */
    free(body);
    close(a);
    close(b);
    usleep(300 * 1000); /* the server reaps the closed ones */
    char *ans = tc_info(port, "node\n");
    assert_non_null(ans);
    free(ans);
    aero_testserver_stop(ts);
}

/* rows of a batch read of n keys, or the result code of the rows that failed */
static int batch_rows(env *e, const aero_key *keys, size_t n) {
    aero_error err;
    aero_stream *s = aero_query_execute(aero_session_query_keys(e->session, keys, n), &err);
    if (!s)
        return err.code;
    int rows = 0, failed = 0;
    for (const aero_record *r; (r = aero_stream_next(s, &err));)
        if (r->result == AERO_OK)
            rows++;
        else
            failed = r->result; /* the client reports a refused batch on every row */
    aero_stream_close(s);
    return failed ? failed : rows;
}

static void test_limit_batch(void **state) {
    (void)state;
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    cfg.limits.max_batch_requests = 2;
    env e = start(&cfg);
    aero_dataset ds = aero_dataset_of("test", "batch");
    aero_key keys[3] = { aero_dataset_id_str(&ds, "a"), aero_dataset_id_str(&ds, "b"), aero_dataset_id_str(&ds, "c") };
    aero_bin_value bin[] = { { "x", aero_int(1) } };
    aero_error err;
    for (int i = 0; i < 3; i++)
        assert_aero_ok(aero_testserver_put(e.ts, &keys[i], bin, 1, 0, &err), &err);
    assert_int_equal(batch_rows(&e, keys, 2), 2);
    assert_int_equal(batch_rows(&e, keys, 3), AERO_ERR_BATCH_MAX_REQUESTS);
    finish(&e);
}

static void test_limit_namespaces(void **state) {
    (void)state;
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    cfg.namespaces = "a;b;c";
    cfg.limits.max_namespaces = 2;
    aero_error err;
    assert_null(aero_testserver_start(&cfg, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    cfg.limits.max_namespaces = 3;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    assert_non_null(ts);
    aero_testserver_stop(ts);
    cfg.limits.max_namespaces = 33;
    assert_null(aero_testserver_start(&cfg, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_version),
        cmocka_unit_test(test_put_get_roundtrip),
        cmocka_unit_test(test_count_remove_clear),
        cmocka_unit_test(test_store_api_errors),
        cmocka_unit_test(test_virtual_clock_expires_records),
        cmocka_unit_test(test_advance_on_real_time),
        cmocka_unit_test(test_limit_record_size),
        cmocka_unit_test(test_limit_sindexes),
        cmocka_unit_test(test_limit_connections),
        cmocka_unit_test(test_limit_batch),
        cmocka_unit_test(test_limit_namespaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
