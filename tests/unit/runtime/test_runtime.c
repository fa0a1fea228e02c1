/*
 * test_runtime.c - client-side pieces that need no server: behavior
 * resolution, keys and digests, value rendering, status names, records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/aero.h>
#include <stdio.h>
#include <string.h>
#include "aero_assert.h"

static void hex(const uint8_t *d, size_t n, char *out) {
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

/* aero_behavior_resolve() into a fresh policy, which must succeed. */
static aero_policy resolve(const aero_behavior *b, aero_op_kind kind, aero_op_shape shape) {
    aero_policy p = AERO_POLICY_INIT;
    aero_error err;
    assert_aero_ok(aero_behavior_resolve(b, kind, shape, &p, &err), &err);
    assert_int_equal(p.version, AERO_POLICY_VERSION);
    return p;
}

static void test_default_behavior_matches_sdk(void **state) {
    (void)state;
    aero_policy rp = resolve(&AERO_BEHAVIOR_DEFAULT, AERO_OP_READ, AERO_SHAPE_POINT);
    assert_int_equal(rp.total_timeout_ms, 30000);
    assert_int_equal(rp.socket_timeout_ms, 5000);
    assert_int_equal(rp.max_retries, 2);
    assert_true(rp.send_key);
    assert_false(rp.durable_delete);
    assert_int_equal(rp.replica, AERO_REPLICA_SEQUENCE);
    aero_policy qp = resolve(&AERO_BEHAVIOR_DEFAULT, AERO_OP_READ, AERO_SHAPE_QUERY);
    assert_int_equal(qp.max_retries, 5);
    aero_policy wp = resolve(&AERO_BEHAVIOR_DEFAULT, AERO_OP_WRITE, AERO_SHAPE_POINT);
    assert_int_equal(wp.max_retries, 0); /* writes are not retried */
    aero_policy fast = resolve(&AERO_BEHAVIOR_READ_FAST, AERO_OP_READ, AERO_SHAPE_POINT);
    assert_int_equal(fast.total_timeout_ms, 200);
    assert_int_equal(fast.socket_timeout_ms, 50);
    assert_int_equal(fast.max_retries, 3);
    aero_policy fast_w = resolve(&AERO_BEHAVIOR_READ_FAST, AERO_OP_WRITE, AERO_SHAPE_POINT);
    assert_int_equal(fast_w.total_timeout_ms, 30000); /* only reads changed */
}

static void test_derive_layers_most_specific_last(void **state) {
    (void)state;
    aero_behavior b = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "custom");
    b.all.total_timeout_ms = 1000;
    b.all.send_key = 0;
    b.reads.total_timeout_ms = 500;
    b.reads_batch.total_timeout_ms = 800;
    b.writes.durable_delete = 1;
    aero_behavior child = aero_behavior_derive(&b, "child");
    child.writes_point.max_retries = 4;
    aero_policy p = resolve(&child, AERO_OP_READ, AERO_SHAPE_POINT);
    assert_int_equal(p.total_timeout_ms, 500);
    assert_false(p.send_key);
    p = resolve(&child, AERO_OP_READ, AERO_SHAPE_BATCH);
    assert_int_equal(p.total_timeout_ms, 800);
    p = resolve(&child, AERO_OP_WRITE, AERO_SHAPE_POINT);
    assert_int_equal(p.total_timeout_ms, 1000);
    assert_true(p.durable_delete);
    assert_int_equal(p.max_retries, 4);
    /* the parent's writes_non_retryable setting (0 retries) still applies to other shapes */
    p = resolve(&child, AERO_OP_WRITE, AERO_SHAPE_BATCH);
    assert_int_equal(p.max_retries, 0);
}

static void test_key_digests_match_protocol_vectors(void **state) {
    (void)state;
    char h[41];
    aero_dataset demo = aero_dataset_of("test", "demo");
    aero_key k = aero_dataset_id_str(&demo, "key1");
    assert_null(k.invalid);
    hex(k.digest, 20, h);
    assert_string_equal(h, "ec91192d4b7f8ce35d5d78d34bca65cbaaaac960");
    assert_int_equal(aero_key_partition(&k), 492);
    k = aero_dataset_id_int(&demo, 1);
    hex(k.digest, 20, h);
    assert_string_equal(h, "b7f4b83889e2da67de683e1df6919a1eacc446c8");
    assert_int_equal(aero_key_partition(&k), 1207);
    k = aero_dataset_id_int(&demo, -1);
    hex(k.digest, 20, h);
    assert_string_equal(h, "e9d49a24c3debdc5a6d551d3e7087999a263bb97");
    aero_dataset none = aero_dataset_of("test", NULL);
    const uint8_t b[] = { 1, 2, 3 };
    k = aero_dataset_id_blob(&none, b, 3);
    hex(k.digest, 20, h);
    assert_string_equal(h, "140e190b92781152349a3c6f2270ff3fb61a297b");
    assert_int_equal(aero_key_partition(&k), 3604);
    aero_key d = aero_dataset_id_digest_hex(&demo, "ec91192d4b7f8ce35d5d78d34bca65cbaaaac960");
    assert_null(d.invalid);
    assert_int_equal(aero_key_partition(&d), 492);
}

static void test_invalid_keys_carry_a_reason(void **state) {
    (void)state;
    aero_dataset ds = aero_dataset_of("", "s");
    assert_non_null(ds.invalid);
    ds = aero_dataset_of("0123456789012345678901234567890123", "s");
    assert_non_null(strstr(ds.invalid, "31"));
    char longset[70];
    memset(longset, 's', 69);
    longset[69] = 0;
    ds = aero_dataset_of("test", longset);
    assert_non_null(strstr(ds.invalid, "63"));
    aero_dataset ok = aero_dataset_of("test", "s");
    assert_null(ok.invalid);
    assert_non_null(aero_dataset_id_str(&ok, NULL).invalid);
    assert_non_null(aero_dataset_id_digest_hex(&ok, "zz").invalid);
    assert_non_null(aero_dataset_id_str(NULL, "k").invalid);
}

static void test_value_rendering_like_the_sdk(void **state) {
    (void)state;
    char buf[128];
    aero_value items[] = { aero_int(1), aero_str("a"), aero_bool(true), aero_double(2.5), aero_nil() };
    aero_value l = aero_list(items, 5);
    aero_value_format(&l, buf, sizeof buf);
    assert_string_equal(buf, "[1, 'a', True, 2.5, None]");
    aero_value d = aero_double(3.0);
    aero_value_format(&d, buf, sizeof buf);
    assert_string_equal(buf, "3.0");
    aero_map_entry e[] = { { aero_str("k"), aero_int(-2) } };
    aero_value m = aero_map(e, 1);
    assert_int_equal(aero_value_format(&m, buf, 4), strlen("{'k': -2}"));
    assert_string_equal(buf, "{'k");
    assert_true(aero_value_equal(&l, &l));
    aero_value l2 = aero_list(items, 4);
    assert_false(aero_value_equal(&l, &l2));
}

static void test_status_names(void **state) {
    (void)state;
    assert_string_equal(aero_status_str(AERO_OK), "OK");
    assert_string_equal(aero_status_str(AERO_ERR_KEY_NOT_FOUND), "KEY_NOT_FOUND");
    assert_string_equal(aero_status_str(AERO_ERR_KEY_EXISTS), "KEY_EXISTS");
    assert_string_equal(aero_status_str(AERO_ERR_GENERATION), "GENERATION_ERROR");
    assert_string_equal(aero_status_str(AERO_ERR_FILTERED_OUT), "FILTERED_OUT");
    assert_string_equal(aero_status_str(AERO_ERR_TIMEOUT), "TIMEOUT");
    assert_string_equal(aero_status_str(AERO_ERR_PARAM), "PARAMETER_INVALID");
    /* every code in the enum's ranges has a name of its own */
    for (int c = -24; c <= 213; c++) {
        const char *n = aero_status_str(c);
        assert_non_null(n);
        assert_true(strlen(n) > 0);
    }
    assert_int_equal(aero_version_number(), AERO_VERSION_NUMBER);
}

static void test_builders_tolerate_null(void **state) {
    (void)state;
    aero_error err;
    assert_int_equal(aero_write_execute(NULL, NULL, &err), AERO_ERR_PARAM);
    assert_null(aero_query_execute(NULL, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_null(aero_session_upsert(NULL, NULL));
    aero_write_abandon(NULL);
    aero_stream_close(NULL);
    aero_client_close(NULL);
    aero_session_free(NULL);
    assert_null(aero_client_connect("", NULL, &err));
    assert_int_equal(err.code, AERO_ERR_INVALID_HOST);
    /* half a credential, or a mode that needs TLS, is refused before any connect */
    aero_client_config cfg;
    aero_client_config_init(&cfg);
    cfg.user = "admin";
    assert_null(aero_client_connect("127.0.0.1:1", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "a user needs a password"));
    cfg.user = NULL;
    cfg.password = "admin";
    assert_null(aero_client_connect("127.0.0.1:1", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    cfg.user = "admin";
    cfg.auth_mode = AERO_AUTH_EXTERNAL;
    assert_null(aero_client_connect("127.0.0.1:1", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "refused without TLS"));
    cfg.auth_mode = AERO_AUTH_PKI;
    assert_null(aero_client_connect("127.0.0.1:1", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "PKI authentication takes no user"));
    cfg.user = NULL;
    cfg.password = NULL;
    assert_null(aero_client_connect("127.0.0.1:1", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "needs TLS"));
    cfg.auth_mode = (aero_auth_mode)7;
    assert_null(aero_client_connect("127.0.0.1:1", &cfg, &err));
    assert_non_null(strstr(err.message, "unknown auth_mode 7"));
}

/* The versioned-struct rule (common.h): unknown versions are refused by name, known ones work. */
static void test_unknown_struct_versions_are_refused(void **state) {
    (void)state;
    aero_error err;
    aero_client_config cfg = AERO_CLIENT_CONFIG_INIT;
    assert_int_equal(cfg.version, AERO_CLIENT_CONFIG_VERSION);
    assert_int_equal(cfg.max_conns_per_node, 100);
    assert_true(cfg.fail_if_not_connected);
    cfg.version = AERO_CLIENT_CONFIG_VERSION + 1;
    assert_null(aero_client_connect("127.0.0.1:1", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    char want[64];
    snprintf(want, sizeof want, "aero_client_config version %d is not supported", AERO_CLIENT_CONFIG_VERSION + 1);
    assert_non_null(strstr(err.message, want));
    assert_non_null(strstr(err.message, "AERO_CLIENT_CONFIG_INIT"));
    cfg.version = 1; /* a caller built against version 1 headers: accepted, the TLS members are not read */
    cfg.connect_timeout_ms = 200;
    cfg.tls_enabled = true;
    cfg.tls_ca_file = "/nonexistent/ca.pem";
    assert_null(aero_client_connect("127.0.0.1:1", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_CONNECTION);
    cfg.version = 0; /* a struct filled by hand, without INIT */
    assert_null(aero_client_connect("127.0.0.1:1", &cfg, &err));
    assert_non_null(strstr(err.message, "aero_client_config version 0"));

    aero_behavior parent = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "parent");
    aero_behavior child = aero_behavior_derive(&parent, "child");
    aero_policy p;
    aero_policy_init(&p);
    assert_aero_ok(aero_behavior_resolve(&child, AERO_OP_READ, AERO_SHAPE_POINT, &p, &err), &err);
    assert_int_equal(p.max_retries, 2);
    parent.version = 99; /* a parent anywhere in the chain is checked */
    assert_int_equal(aero_behavior_resolve(&child, AERO_OP_READ, AERO_SHAPE_POINT, &p, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "aero_behavior version 99 is not supported (this library knows 1 to 2)"));
    parent.version = 1; /* version 1: no compression patches; they are not read */
    parent.compression_all.use_compression = 1;
    assert_aero_ok(aero_behavior_resolve(&child, AERO_OP_READ, AERO_SHAPE_POINT, &p, &err), &err);
    assert_false(p.use_compression);
    parent.version = AERO_BEHAVIOR_VERSION;
    assert_aero_ok(aero_behavior_resolve(&child, AERO_OP_READ, AERO_SHAPE_POINT, &p, &err), &err);
    assert_true(p.use_compression);
    assert_int_equal(p.compression_threshold, 128);
    p.version = 0;
    assert_int_equal(aero_behavior_resolve(&child, AERO_OP_READ, AERO_SHAPE_POINT, &p, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "aero_policy version 0"));
    assert_int_equal(aero_behavior_resolve(&child, AERO_OP_READ, AERO_SHAPE_POINT, NULL, &err), AERO_ERR_PARAM);

    aero_behavior blank;
    aero_behavior_init(&blank);
    assert_null(blank.parent);
    assert_int_equal(blank.reads.max_retries, AERO_INHERIT);
    assert_null(aero_client_create_session(NULL, &blank, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
}

static void test_record_calls_fill_the_error(void **state) {
    (void)state;
    aero_error err;
    aero_record r, copy;
    aero_record_init(&r);
    aero_record_init(&copy);
    int64_t iv = 7;
    assert_int_equal(aero_record_get_int(&r, "age", &iv, &err), AERO_ERR_BIN_NOT_FOUND);
    assert_int_equal(err.code, AERO_ERR_BIN_NOT_FOUND);
    assert_string_equal(err.message, "bin 'age' not found");
    assert_int_equal(iv, 7);
    assert_int_equal(aero_record_get_int(&r, "age", NULL, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_record_copy(&r, &r, &err), AERO_ERR_PARAM);
    assert_int_equal(err.code, AERO_ERR_PARAM);
    r.generation = 3;
    assert_aero_ok(aero_record_copy(&copy, &r, &err), &err);
    assert_int_equal(err.code, AERO_OK);
    assert_int_equal(copy.generation, 3);
    aero_record_dispose(&copy);
    aero_record_dispose(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_behavior_matches_sdk),
        cmocka_unit_test(test_derive_layers_most_specific_last),
        cmocka_unit_test(test_key_digests_match_protocol_vectors),
        cmocka_unit_test(test_invalid_keys_carry_a_reason),
        cmocka_unit_test(test_value_rendering_like_the_sdk),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_builders_tolerate_null),
        cmocka_unit_test(test_unknown_struct_versions_are_refused),
        cmocka_unit_test(test_record_calls_fill_the_error),
    };
    return cmocka_run_group_tests_name("runtime", tests, NULL, NULL);
}
