/*
 * test_kv.c - key-value semantics of aero-testserver beyond the transcript:
 * result codes for bad requests (bin name, namespace, TTL, durable delete,
 * key mismatch, truncated header, wrong version), record-exists and
 * generation policies, increment / append type rules, respond-all-ops,
 * expiry, batch reads, admin and compressed messages, info answers, and
 * that hostile bytes never crash or hang the server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/testserver.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>

#include "proto/digest.h"
#include "proto/wire.h"
#include "tsclient.h"
#include "aero_assert.h"

static uint16_t port;

static int setup(void **state) {
    aero_testserver_config cfg;
    aero_testserver_config_init(&cfg);
    cfg.namespaces = "test;other";
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    if (!ts)
        return -1;
    *state = ts;
    port = aero_testserver_port(ts, 0);
    return 0;
}

static int teardown(void **state) {
    aero_testserver_stop(*state);
    return 0;
}

/* one-op write helper: returns the answer */
static tc_answer put_int(const char *key, uint8_t info2, uint8_t info3, uint32_t gen, uint32_t ttl, const char *bin,
                         int64_t v) {
    tc_msg m;
    tc_begin(&m, 0, info2, info3, gen, ttl);
    tc_key_str(&m, "test", "kv", key, false);
    tc_op_int(&m, 2, bin, v);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    return a;
}

static int rc_of(tc_answer a) {
    int rc = a.closed ? -1 : a.result;
    tc_answer_free(&a);
    return rc;
}

static tc_answer get(const char *key, uint8_t info1) {
    tc_msg m;
    tc_begin(&m, info1, 0, 0, 0, 0);
    tc_key_str(&m, "test", "kv", key, false);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    return a;
}

static void test_bad_requests(void **state) {
    (void)state;
    /* bin name of 16 bytes */
    assert_int_equal(rc_of(put_int("k1", 1, 0, 0, 0, "abcdefghijklmnop", 1)), 21);
    /* unknown namespace */
    tc_msg m;
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_key_str(&m, "nosuchns", "kv", "k1", false);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 20);
    tc_free(&m);
    /* TTL above 10 years */
    assert_int_equal(rc_of(put_int("k1", 1, 0, 0, 315360001, "a", 1)), 4);
    assert_int_equal(rc_of(put_int("k1", 1, 0, 0, 315360000, "a", 1)), 0);
    /* durable delete on CE */
    tc_begin(&m, 0, 0x13, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "k1", false);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 25);
    tc_free(&m);
    /* digest of the wrong size */
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_field(&m, 0, "test", 4);
    tc_field(&m, 4, "short", 5);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 4);
    tc_free(&m);
    /* a header claiming more fields than the body holds */
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "k1", false);
    tc_end(&m);
    aero_set_u16be(m.b.data + 26, 9);
    assert_int_equal(rc_of(tc_call(port, &m)), 4);
    /* wrong proto version: the connection is closed */
    m.b.data[0] = 3;
    tc_answer a = tc_call(port, &m);
    assert_true(a.closed);
    tc_free(&m);
}

static void test_exists_policies_and_generation(void **state) {
    (void)state;
    assert_int_equal(rc_of(put_int("p1", 1, 0x08, 0, 0, "a", 1)), 2); /* update-only, missing */
    assert_int_equal(rc_of(put_int("p1", 1, 0x20, 0, 0, "a", 1)), 2); /* replace-only, missing */
    tc_answer a = put_int("p1", 0x21, 0, 0, 0, "a", 1);               /* create-only */
    assert_int_equal(a.result, 0);
    assert_int_equal(a.gen, 1);
    tc_answer_free(&a);
    a = put_int("p1", 0x21, 0, 0, 0, "a", 2);
    assert_int_equal(a.result, 5);
    assert_int_equal(a.gen, 1);
    tc_answer_free(&a);
    assert_int_equal(rc_of(put_int("p1", 1, 0x08, 0, 0, "b", 2)), 0); /* update merges: a, b */
    a = get("p1", 3);
    assert_int_equal(a.n_ops, 2);
    assert_int_equal(a.gen, 2);
    tc_answer_free(&a);
    assert_int_equal(rc_of(put_int("p1", 1, 0x20, 0, 0, "c", 3)), 0); /* replace-only: only c */
    a = get("p1", 3);
    assert_int_equal(a.n_ops, 1);
    assert_int_equal(a.gen, 3);
    bool found;
    assert_int_equal(tc_bin_int(&a, "c", &found), 3);
    assert_true(found);
    tc_answer_free(&a);
    /* generation GT: 3 is not > 3, 4 is */
    a = put_int("p1", 0x09, 0, 3, 0, "c", 4);
    assert_int_equal(a.result, 3);
    assert_int_equal(a.gen, 3);
    tc_answer_free(&a);
    assert_int_equal(rc_of(put_int("p1", 0x09, 0, 4, 0, "c", 4)), 0);
    /* generation EQ on delete */
    tc_msg m;
    tc_begin(&m, 0, 0x07, 0, 1, 0);
    tc_key_str(&m, "test", "kv", "p1", false);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 3);
    tc_free(&m);
    /* exists / header */
    a = get("p1", 0x21);
    assert_int_equal(a.result, 0);
    assert_int_equal(a.n_ops, 0);
    assert_int_equal(a.gen, 4);
    tc_answer_free(&a);
    assert_int_equal(rc_of(get("p-none", 0x21)), 2);
}

static void test_incr_append_types(void **state) {
    (void)state;
    tc_msg m;
    assert_int_equal(rc_of(put_int("t1", 1, 0, 0, 0, "i", 5)), 0);
    /* float increment of an int bin: 12 */
    uint8_t f[8];
    aero_set_u64be(f, 0x3ff8000000000000ull);
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "t1", false);
    tc_op(&m, 5, 2, "i", f, 8);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 12);
    tc_free(&m);
    /* float increment creates a float bin, then adds */
    for (int k = 0; k < 2; k++) {
        tc_begin(&m, 0, 1, 0, 0, 0);
        tc_key_str(&m, "test", "kv", "t1", false);
        tc_op(&m, 5, 2, "fl", f, 8);
        tc_end(&m);
        assert_int_equal(rc_of(tc_call(port, &m)), 0);
        tc_free(&m);
    }
    tc_answer a = get("t1", 3);
    uint8_t pt;
    uint32_t len;
    const uint8_t *v = tc_bin(&a, "fl", &pt, &len);
    assert_non_null(v);
    assert_int_equal(pt, 2);
    assert_true(aero_get_u64be(v) == 0x4008000000000000ull); /* 3.0 */
    tc_answer_free(&a);
    /* narrow wire integers are zero-extended: write 0xff (1 byte), add 0x0100 (2 bytes) = 511; 3 bytes: 4 */
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "narrow", false);
    tc_op(&m, 2, 1, "v", "\xff", 1);
    tc_op(&m, 5, 1, "v", "\x01\x00", 2);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 0);
    tc_free(&m);
    a = get("narrow", 3);
    bool nfound;
    assert_int_equal(tc_bin_int(&a, "v", &nfound), 511);
    assert_true(nfound);
    tc_answer_free(&a);
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "narrow", false);
    tc_op(&m, 2, 1, "v", "\x01\x02\x03", 3);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 4);
    tc_free(&m);
    /* a list particle that is not one msgpack array: 4 */
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "narrow", false);
    tc_op(&m, 2, 20, "l", "\x93\x01\x02", 3);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 4);
    tc_free(&m);
    /* append a string to an int bin: 12; the record is unchanged (gen still 3) */
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "t1", false);
    tc_op_str(&m, 9, "i", "x");
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 12);
    tc_free(&m);
    a = get("t1", 0x21);
    assert_int_equal(a.gen, 3);
    tc_answer_free(&a);
    /* respond-all-ops: a write returns a nil entry, a read its value, in order */
    tc_begin(&m, 1, 0x81, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "t1", false);
    tc_op_int(&m, 5, "i", 10);
    tc_op(&m, 1, 0, "i", NULL, 0);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 0);
    assert_int_equal(a.n_ops, 2);
    assert_int_equal(a.ops[4], 5); /* first entry: the INCR op echoed... */
    assert_int_equal(a.ops[5], 0); /* ...with a nil value */
    bool found;
    assert_int_equal(tc_bin_int(&a, "i", &found), 0); /* first "i" entry is the nil one */
    tc_answer_free(&a);
    /* respond-all-ops read of a missing bin: a nil entry */
    tc_begin(&m, 1, 0x80, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "t1", false);
    tc_op(&m, 1, 0, "nobin", NULL, 0);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 0);
    assert_int_equal(a.n_ops, 1);
    tc_answer_free(&a);
    /* record UDF: no module is registered, 100 with a FAILURE bin */
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "t1", false);
    tc_field(&m, 30, "mod", 3);
    tc_field(&m, 31, "fn", 2);
    tc_field(&m, 32, "\x90", 1);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 100);
    assert_non_null(tc_bin(&a, "FAILURE", &pt, &len));
    tc_answer_free(&a);
    /* touch on a missing record: 2 */
    tc_begin(&m, 0, 1, 0, 0, 100);
    tc_key_str(&m, "test", "kv", "t-missing", false);
    tc_op(&m, 11, 0, "", NULL, 0);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 2);
    tc_free(&m);
}

/* Rules of the server's write path (write_master / write_master_policies). */
static void test_write_rules(void **state) {
    (void)state;
    /* generation EQ applies to a new record too (its generation is 0) */
    tc_answer a = put_int("w1", 0x05, 0, 5, 0, "a", 1);
    assert_int_equal(a.result, 3);
    assert_int_equal(a.gen, 0);
    tc_answer_free(&a);
    assert_int_equal(rc_of(put_int("w1", 0x05, 0, 0, 0, "a", 1)), 0);
    /* only nil bins on a missing record: 2 */
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "w-none", false);
    tc_op(&m, 2, 0, "a", NULL, 0);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 2);
    tc_free(&m);
    /* durable flag: fine on a write, 25 when the write deletes the record */
    assert_int_equal(rc_of(put_int("w1", 0x11, 0, 0, 0, "b", 2)), 0);
    tc_begin(&m, 0, 0x11, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "w1", false);
    tc_op(&m, 14, 0, "", NULL, 0);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 25);
    assert_int_equal(a.gen, 2); /* errors on an existing record carry its generation */
    tc_answer_free(&a);
    /* no ops, GET_ALL without a read-all op, replace with an increment: 4 */
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "w1", false);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 4);
    tc_free(&m);
    tc_begin(&m, 3, 1, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "w1", false);
    tc_op_int(&m, 2, "a", 1);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 4);
    tc_free(&m);
    tc_begin(&m, 0, 1, 0x10, 0, 0);
    tc_key_str(&m, "test", "kv", "w1", false);
    tc_op_int(&m, 5, "a", 1);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 4);
    tc_free(&m);
    /* a read with neither GET_ALL nor ops: 4 (header-only reads need none) */
    assert_int_equal(rc_of(get("w1", 0x01)), 4);
    assert_int_equal(rc_of(get("w1", 0x21)), 0);
    /* a read of the record through another set name: 4 */
    tc_begin(&m, 3, 0, 0, 0, 0);
    uint8_t d[20];
    aero_digest__compute("kv", 2, 3, "w1", 2, d);
    tc_field(&m, 0, "test", 4);
    tc_field(&m, 1, "zz", 2);
    tc_field(&m, 4, d, 20);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 4);
    tc_free(&m);
    /* a delete answer never carries a generation */
    tc_begin(&m, 0, 0x07, 0, 99, 0);
    tc_key_str(&m, "test", "kv", "w1", false);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 3);
    assert_int_equal(a.gen, 0);
    tc_answer_free(&a);
}

static void test_send_key_and_mismatch(void **state) {
    (void)state;
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "kv", "sk", true);
    tc_op_int(&m, 2, "a", 1);
    tc_end(&m);
    assert_int_equal(rc_of(tc_call(port, &m)), 0);
    /* same digest, a different key: 19 */
    uint8_t *kf = NULL;
    for (size_t i = 30; i + 5 < m.b.len; i++)
        if (m.b.data[i + 4] == 2 && aero_get_u32be(m.b.data + i) == 4) {
            kf = m.b.data + i + 6;
            break;
        }
    assert_non_null(kf);
    kf[0] = 'X';
    assert_int_equal(rc_of(tc_call(port, &m)), 19);
    tc_free(&m);
}

static void test_expiry(void **state) {
    assert_int_equal(rc_of(put_int("e1", 1, 0, 0, 2, "a", 1)), 0);
    tc_answer a = get("e1", 0x21);
    assert_int_equal(a.result, 0);
    assert_true(a.void_time != 0);
    tc_answer_free(&a);
    /* the server's clock moves instead of the test sleeping: alive 1 s later, gone 2 s later */
    aero_testserver_clock_advance(*state, 1);
    assert_int_equal(rc_of(get("e1", 3)), 0);
    aero_testserver_clock_advance(*state, 1);
    assert_int_equal(rc_of(get("e1", 3)), 2);
}

/* The namespace's default-read-touch-ttl-pct applies to reads that send 0. */
static void test_read_touch_namespace_default(void **state) {
    (void)state;
    aero_testserver_config cfg;
    aero_testserver_config_init(&cfg);
    cfg.default_read_touch_ttl_pct = 101;
    aero_error err;
    assert_null(aero_testserver_start(&cfg, &err));
    cfg.default_read_touch_ttl_pct = 80;
    cfg.virtual_clock = true; /* the TTL moves by advancing the clock, not by sleeping */
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    assert_non_null(ts);
    uint16_t main_port = port;
    port = aero_testserver_port(ts, 0);
    char *info = tc_info(port, "namespace/test\n");
    assert_non_null(info);
    assert_non_null(strstr(info, "default-read-touch-ttl-pct=80;"));
    free(info);
    assert_int_equal(rc_of(put_int("rt1", 1, 0, 0, 10, "a", 1)), 0);
    aero_dataset ds = aero_dataset_of("test", "kv");
    aero_key k = aero_dataset_id_str(&ds, "rt1");
    aero_testserver_record r;
    aero_testserver_record_init(&r);
    tc_answer a = get("rt1", 0x21); /* 10 s left: more than 80%, no touch */
    tc_answer_free(&a);
    assert_aero_ok(aero_testserver_get(ts, &k, &r, &err), &err);
    assert_int_equal(r.ttl, 10);
    aero_testserver_clock_advance(ts, 2);
    a = get("rt1", 3); /* record_ttl 0: the default, 80; 8 s left */
    assert_int_equal(a.result, 0);
    uint32_t left = a.void_time - (uint32_t)(time(NULL) - AERO_CITRUSLEAF_EPOCH);
    assert_in_range(left, 7, 8); /* answered before the touch */
    assert_int_equal(a.gen, 1);
    tc_answer_free(&a);
    assert_aero_ok(aero_testserver_get(ts, &k, &r, &err), &err);
    assert_int_equal(r.ttl, 10); /* touched: the TTL it was written with, from now */
    assert_int_equal(r.generation, 1);
    aero_testserver_record_dispose(&r);
    port = main_port;
    aero_testserver_stop(ts);
}

static void test_batch(void **state) {
    (void)state;
    assert_int_equal(rc_of(put_int("b1", 1, 0, 0, 0, "a", 7)), 0);
    uint8_t d1[20], d2[20];
    aero_digest__compute("kv", 2, 3, "b1", 2, d1);
    aero_digest__compute("kv", 2, 3, "b-none", 6, d2);
    aero_buf f;
    aero_buf__init(&f, NULL, 0);
    aero_buf__put_u32be(&f, 2);
    aero_buf__put_u8(&f, 0x0d);
    aero_buf__put_u32be(&f, 0);
    aero_buf__put(&f, d1, 20);
    aero_buf__put_u8(&f, 0x0a);
    aero_buf__put_u8(&f, 3); /* info1 */
    aero_buf__put_u8(&f, 0);
    aero_buf__put_u8(&f, 0);
    aero_buf__put_u32be(&f, 0); /* ttl */
    aero_buf__put_u16be(&f, 2);
    aero_buf__put_u16be(&f, 0);
    aero_buf__put_u32be(&f, 5);
    aero_buf__put_u8(&f, 0);
    aero_buf__put(&f, "test", 4);
    aero_buf__put_u32be(&f, 3);
    aero_buf__put_u8(&f, 1);
    aero_buf__put(&f, "kv", 2);
    aero_buf__put_u32be(&f, 1);
    aero_buf__put(&f, d2, 20);
    aero_buf__put_u8(&f, 1); /* repeat */
    tc_msg m;
    tc_begin(&m, 8, 0, 0, 0, 0);
    tc_field(&m, 41, f.data, f.len);
    tc_end(&m);
    aero_buf__free(&f);
    tc_stream *s = tc_call_stream(port, &m);
    tc_free(&m);
    assert_false(s->closed);
    assert_int_equal(s->n, 3);
    assert_int_equal(s->msgs[0].result, 0);
    assert_int_equal(s->msgs[0].txn_ttl, 0);
    bool found;
    assert_int_equal(tc_bin_int(&s->msgs[0], "a", &found), 7);
    assert_int_equal(s->msgs[1].result, 2);
    assert_int_equal(s->msgs[1].txn_ttl, 1);
    assert_true(s->msgs[2].info3 & 1);
    tc_stream_free(s);
}

static void test_info(void **state) {
    (void)state;
    char *ans = tc_info(port, "namespaces\nbuild\nnode\npartitions\nreplicas\npeers-clear-std\nbogus-cmd\n"
                              "namespace/test\nnamespace/none\nservice-clear-std\n");
    assert_non_null(ans);
    char *v = tc_info_value(ans, "namespaces");
    assert_string_equal(v, "test;other");
    free(v);
    v = tc_info_value(ans, "build");
    assert_string_equal(v, "8.1.2.0");
    free(v);
    v = tc_info_value(ans, "partitions");
    assert_string_equal(v, "4096");
    free(v);
    v = tc_info_value(ans, "bogus-cmd");
    assert_string_equal(v, "ERROR:4:unrecognized command");
    free(v);
    v = tc_info_value(ans, "namespace/test");
    assert_non_null(strstr(v, "replication-factor=1"));
    assert_non_null(strstr(v, "strong-consistency=false"));
    assert_non_null(strstr(v, "default-ttl=0"));
    free(v);
    v = tc_info_value(ans, "namespace/none");
    assert_string_equal(v, "type=unknown");
    free(v);
    v = tc_info_value(ans, "peers-clear-std");
    assert_non_null(strstr(v, ",3000,[]"));
    free(v);
    v = tc_info_value(ans, "replicas");
    /* test:0,1,<684 chars>;other:0,1,<684 chars>, all partitions owned by the only node */
    assert_int_equal(strncmp(v, "test:0,1,", 9), 0);
    assert_int_equal(strcspn(v + 9, ";"), 684);
    assert_int_equal(strncmp(v + 9, "////", 4), 0);
    free(v);
    v = tc_info_value(ans, "service-clear-std");
    char exp[32];
    snprintf(exp, sizeof exp, "127.0.0.1:%u", port);
    assert_string_equal(v, exp);
    free(v);
    free(ans);
    /* sets: one entry per set, properties ending with ';' */
    assert_int_equal(rc_of(put_int("set-probe", 1, 0, 0, 0, "a", 1)), 0);
    ans = tc_info(port, "sets/test\nsets/test/kv\n");
    v = tc_info_value(ans, "sets/test");
    assert_non_null(strstr(v, "ns=test:set=kv:objects="));
    free(v);
    v = tc_info_value(ans, "sets/test/kv");
    assert_int_equal(strncmp(v, "objects=", 8), 0);
    assert_non_null(strstr(v, "stop-writes-size=0;"));
    free(v);
    free(ans);
    /* empty request: the summary list */
    ans = tc_info(port, "");
    assert_non_null(ans);
    assert_non_null(strstr(ans, "node\t"));
    assert_non_null(strstr(ans, "build\t8.1.2.0\n"));
    free(ans);
}

static void test_truncate(void **state) {
    (void)state;
    assert_int_equal(rc_of(put_int("tr1", 1, 0, 0, 0, "a", 1)), 0);
    struct timespec t = { 0, 20000000 };
    nanosleep(&t, NULL);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    unsigned long long lut = (unsigned long long)now.tv_sec * 1000000000ull + (unsigned long long)now.tv_nsec;
    nanosleep(&t, NULL);
    assert_int_equal(rc_of(put_int("tr2", 1, 0, 0, 0, "a", 1)), 0);
    char req[128];
    snprintf(req, sizeof req, "truncate:namespace=test;set=kv;lut=%llu\n", lut);
    char *ans = tc_info(port, req);
    assert_non_null(strstr(ans, "\tok"));
    free(ans);
    assert_int_equal(rc_of(get("tr1", 0x21)), 2);
    assert_int_equal(rc_of(get("tr2", 0x21)), 0);
    /* as 8.1 answers: truncate needs a set; an unknown namespace is not checked */
    ans = tc_info(port, "truncate:namespace=nope\n");
    assert_non_null(strstr(ans, "\tERROR:4:missing 'set'\n"));
    free(ans);
    ans = tc_info(port, "truncate-namespace:namespace=nope\n");
    assert_non_null(strstr(ans, "\tok\n"));
    free(ans);
}

static void test_admin_and_compressed(void **state) {
    (void)state;
    int fd = tc_connect(port);
    uint8_t msg[24] = { 2, 2, 0, 0, 0, 0, 0, 16 };
    assert_true(tc_send(fd, msg, 24));
    uint8_t type;
    uint8_t *body;
    size_t len;
    assert_true(tc_read_frame(fd, &type, &body, &len));
    assert_int_equal(type, 2);
    assert_int_equal(body[1], 51);
    free(body);
    close(fd);
    fd = tc_connect(port);
    uint8_t comp[20] = { 2, 4, 0, 0, 0, 0, 0, 12 };
    assert_true(tc_send(fd, comp, 20));
    assert_true(tc_read_frame(fd, &type, &body, &len));
    assert_int_equal(type, 3);
    assert_int_equal(body[5], 25);
    free(body);
    close(fd);
}

/* Random and truncated bytes: the server answers or closes, never dies. */
static void test_hostile_bytes(void **state) {
    (void)state;
    uint64_t seed = 12345;
    for (int i = 0; i < 300; i++) {
        uint8_t buf[200];
        size_t n = 30 + (size_t)(i % 150);
        for (size_t k = 0; k < n; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            buf[k] = (uint8_t)(seed >> 56);
        }
        buf[0] = 2;
        buf[1] = (uint8_t)(1 + i % 4);
        aero_set_u16be(buf + 2, 0);
        aero_set_u32be(buf + 4, (uint32_t)(n - 8));
        if (i % 3 == 0) { /* a plausible AS_MSG header with random counts */
            buf[1] = 3;
            buf[8] = 22;
        }
        int fd = tc_connect(port);
        assert_true(fd >= 0);
        tc_send(fd, buf, n);
        uint8_t type;
        uint8_t *body = NULL;
        size_t len;
        if (tc_read_frame(fd, &type, &body, &len))
            free(body);
        close(fd);
    }
    /* still alive and correct */
    assert_int_equal(rc_of(put_int("alive", 1, 0, 0, 0, "a", 1)), 0);
    tc_answer a = get("alive", 3);
    assert_int_equal(a.result, 0);
    tc_answer_free(&a);
    /* a connection that sends half a header and goes away */
    int fd = tc_connect(port);
    uint8_t half[4] = { 2, 3, 0, 0 };
    tc_send(fd, half, 4);
    close(fd);
    assert_int_equal(rc_of(get("alive", 3)), 0);
}

/* Many client connections at once: 32 threads, each keeps one connection and runs 200 commands. */
static void *load_worker(void *arg) {
    intptr_t id = (intptr_t)arg;
    int fd = tc_connect(port);
    int ok = 0;
    for (int i = 0; fd >= 0 && i < 200; i++) {
        char key[32];
        snprintf(key, sizeof key, "load-%d-%d", (int)id, i % 20);
        tc_msg m;
        tc_begin(&m, 0, 1, 0, 0, 0);
        tc_key_str(&m, "test", "load", key, false);
        tc_op_int(&m, 5, "n", 1);
        tc_end(&m);
        uint8_t type;
        uint8_t *body;
        size_t len;
        if (tc_send(fd, m.b.data, m.b.len) && tc_read_frame(fd, &type, &body, &len)) {
            ok += len >= 22 && body[5] == 0;
            free(body);
        }
        tc_free(&m);
    }
    if (fd >= 0)
        close(fd);
    return (void *)(intptr_t)ok;
}

static void test_concurrent_clients(void **state) {
    (void)state;
    pthread_t t[32];
    for (intptr_t i = 0; i < 32; i++)
        assert_int_equal(pthread_create(&t[i], NULL, load_worker, (void *)i), 0);
    long total = 0;
    for (int i = 0; i < 32; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (intptr_t)r;
    }
    assert_int_equal(total, 32 * 200);
    /* every counter reached 10 (200 increments over 20 keys) */
    tc_msg m;
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_key_str(&m, "test", "load", "load-7-3", false);
    tc_end(&m);
    tc_answer b = tc_call(port, &m);
    tc_free(&m);
    bool found;
    assert_int_equal(tc_bin_int(&b, "n", &found), 10);
    assert_true(found);
    assert_int_equal(b.gen, 10);
    tc_answer_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_exists_policies_and_generation),
        cmocka_unit_test(test_incr_append_types),
        cmocka_unit_test(test_write_rules),
        cmocka_unit_test(test_send_key_and_mismatch),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_read_touch_namespace_default),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_truncate),
        cmocka_unit_test(test_admin_and_compressed),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_concurrent_clients),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
