/*
 * test_exp.c - filter expressions, expression ops and CDT reads through the
 * wire: the thirteen worked examples of protocol.md 8.4 (each true on a
 * record built for it, false once a literal changes), unknown values
 * (missing bin, type mismatch) filtering the record out, malformed bytes
 * answered 4, filters on writes/deletes, exp read/write ops, CDT read ops.
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

#include "proto/digest.h"
#include "tsclient.h"

static uint16_t port;

static size_t hex(const char *h, uint8_t *out) {
    size_t n = 0;
    while (*h) {
        while (*h == ' ')
            h++;
        if (!*h)
            break;
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (uint8_t)v;
        h += 2;
    }
    return n;
}

static int setup(void **state) {
    (void)state;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(NULL, &err);
    if (!ts)
        return -1;
    *state = ts;
    port = aero_testserver_port(ts, 0);
    /* the record every example is true for */
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 100);
    tc_key_str(&m, "test", "exp", "abc", true);
    tc_op_str(&m, 2, "name", "x");
    tc_op_int(&m, 2, "n", 6);
    tc_op_int(&m, 2, "age", 30);
    tc_op_int(&m, 2, "a", 11);
    tc_op_int(&m, 2, "x", 2);
    uint8_t b[64];
    size_t n = hex("93 a2 03 61 a2 03 62 a2 03 63", b);
    tc_op(&m, 2, 20, "tags", b, n);
    n = hex("82 a2 03 6b a2 03 76 a2 03 61 91 07", b);
    tc_op(&m, 2, 19, "m", b, n);
    n = hex("3f f8 00 00 00 00 00 00", b);
    tc_op(&m, 2, 2, "f", b, n);
    n = hex("01 02", b);
    tc_op(&m, 2, 4, "b", b, n);
    tc_op_str(&m, 2, "s", "PREfix");
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    int rc = a.closed || a.result != 0 ? -1 : 0;
    tc_answer_free(&a);
    return rc;
}

static int teardown(void **state) {
    aero_testserver_stop(*state);
    return 0;
}

/* get with filter; returns the result code (-1 closed) */
static int get_filtered(const char *key, const char *exp_hex) {
    uint8_t e[256];
    size_t n = hex(exp_hex, e);
    tc_msg m;
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_key_str(&m, "test", "exp", key, false);
    tc_field(&m, 43, e, n);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    int rc = a.closed ? -1 : a.result;
    tc_answer_free(&a);
    return rc;
}

static const char *const examples[][2] = {
    { "93 03 93 51 02 a3 61 67 65 15", "93 03 93 51 02 a3 61 67 65 1e" },
    { "93 10 93 01 93 51 03 a4 6e 61 6d 65 a2 03 78 93 03 93 51 02 a1 6e 05",
      "93 10 93 01 93 51 03 a4 6e 61 6d 65 a2 03 78 93 03 93 51 02 a1 6e 06" },
    { "93 03 95 7f 02 00 91 10 93 51 04 a4 74 61 67 73 02", "93 03 95 7f 02 00 91 10 93 51 04 a4 74 61 67 73 03" },
    { "93 01 95 7f 03 00 93 61 07 a2 03 6b 93 51 05 a1 6d a2 03 76",
      "93 01 95 7f 03 00 93 61 07 a2 03 6b 93 51 05 a1 6d a2 03 77" },
    { "94 7d a1 78 93 51 02 a1 61 93 03 92 7c a1 78 0a", "94 7d a1 78 93 51 02 a1 61 93 03 92 7c a1 78 0b" },
    { "93 09 93 51 02 a1 78 92 7e 93 01 02 03", "93 09 93 51 02 a1 78 92 7e 93 01 04 03" },
    { "93 05 91 45 cd 0e 10", "93 05 91 45 32" },
    { "92 12 93 02 92 52 a1 64 00", "92 12 93 02 92 52 a1 78 00" },
    { "93 01 92 50 03 a4 03 61 62 63", "93 01 92 50 03 a4 03 61 62 64" },
    { "93 04 93 51 07 a1 66 cb 3f f8 00 00 00 00 00 00", "93 04 93 51 07 a1 66 cb 3f f9 00 00 00 00 00 00" },
    { "93 01 93 51 06 a1 62 a3 04 01 02", "93 01 93 51 06 a1 62 a3 04 01 03" },
    { "94 07 02 a4 5e 70 72 65 93 51 03 a1 73", "94 07 02 a4 5e 70 72 66 93 51 03 a1 73" },
    { "93 01 95 7f 02 00 93 cc ff 92 22 a2 03 61 93 13 07 00 93 51 05 a1 6d 07",
      "93 01 95 7f 02 00 93 cc ff 92 22 a2 03 61 93 13 07 00 93 51 05 a1 6d 08" },
};

static void test_worked_examples(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
        if (get_filtered("abc", examples[i][0]) != 0)
            fail_msg("example %zu should be true", i + 1);
        if (get_filtered("abc", examples[i][1]) != 27)
            fail_msg("example %zu variant should be filtered out", i + 1);
    }
}

static void test_unknown_and_logic(void **state) {
    (void)state;
    /* missing bin, wrong type: filtered out, not an error */
    assert_int_equal(get_filtered("abc", "93 03 93 51 02 a4 6e 6f 6e 65 15"), 27);
    assert_int_equal(get_filtered("abc", "93 03 93 51 02 a4 6e 61 6d 65 15"), 27);
    /* or(unknown, true) is true; and(unknown, false) is false; not(unknown) filters out */
    assert_int_equal(get_filtered("abc", "93 11 93 03 93 51 02 a2 7a 7a 01 c3"), 0);
    assert_int_equal(get_filtered("abc", "93 10 93 03 93 51 02 a2 7a 7a 01 c2"), 27);
    assert_int_equal(get_filtered("abc", "92 12 93 03 93 51 02 a2 7a 7a 01"), 27);
    /* arithmetic: age + a == 41; age * 2 - 1 == 59; 30 / 4 == 7; 30 % 7 == 2 */
    assert_int_equal(get_filtered("abc", "93 01 93 14 93 51 02 a3 61 67 65 93 51 02 a1 61 29"), 0);
    assert_int_equal(get_filtered("abc", "93 01 93 15 93 16 93 51 02 a3 61 67 65 02 01 3b"), 0);
    assert_int_equal(get_filtered("abc", "93 01 93 17 93 51 02 a3 61 67 65 04 07"), 0);
    assert_int_equal(get_filtered("abc", "93 01 93 1a 93 51 02 a3 61 67 65 07 02"), 0);
    /* cond: age > 40 ? 1 : age > 20 ? 2 : 3 == 2 */
    assert_int_equal(
        get_filtered("abc", "93 01 96 7b 93 03 93 51 02 a3 61 67 65 28 01 93 03 93 51 02 a3 61 67 65 14 02 03 02"), 0);
    /* digest_modulo(1000) == (digest bytes 16..19 as a little-endian u32) % 1000; modulo 0 is malformed */
    {
        uint8_t d[20];
        aero_digest__compute("exp", 3, 3, "abc", 3, d);
        uint32_t x = (uint32_t)d[16] | (uint32_t)d[17] << 8 | (uint32_t)d[18] << 16 | (uint32_t)d[19] << 24;
        char e[64];
        snprintf(e, sizeof e, "93 01 92 40 cd 03 e8 cd %02x %02x", (x % 1000) >> 8, (x % 1000) & 0xff);
        assert_int_equal(get_filtered("abc", e), 0);
        snprintf(e, sizeof e, "93 01 92 40 cd 03 e8 cd %02x %02x", ((x + 1) % 1000) >> 8, ((x + 1) % 1000) & 0xff);
        assert_int_equal(get_filtered("abc", e), 27);
        assert_int_equal(get_filtered("abc", "93 01 92 40 00 00"), 4);
    }
    /* set_name() == "exp", key_exists() */
    assert_int_equal(get_filtered("abc", "93 01 91 46 a4 03 65 78 70"), 0);
    assert_int_equal(get_filtered("abc", "91 47"), 0);
    /* bin_type("tags") == 20 (list) */
    assert_int_equal(get_filtered("abc", "93 01 92 52 a4 74 61 67 73 14"), 0);
    /* map size == 2, list get_by_value_interval count ["a","c") == 2 */
    assert_int_equal(get_filtered("abc", "93 01 95 7f 02 00 91 60 93 51 05 a1 6d 02"), 0);
    assert_int_equal(get_filtered("abc", "93 01 95 7f 02 00 94 19 05 a2 03 61 a2 03 63 93 51 04 a4 74 61 67 73 02"), 0);
    /* size(list_append(tags, "d")) == 4 (a modify call works on a copy) and tags is unchanged */
    assert_int_equal(
        get_filtered("abc", "93 01 95 7f 02 00 91 10 95 7f 04 40 92 01 a2 03 64 93 51 04 a4 74 61 67 73 04"), 0);
    assert_int_equal(get_filtered("abc", "93 01 95 7f 02 00 91 10 93 51 04 a4 74 61 67 73 03"), 0);
    /* list get_by_value EXISTS "b" */
    assert_int_equal(get_filtered("abc", "95 7f 01 00 93 16 0d a2 03 62 93 51 04 a4 74 61 67 73"), 0);
    /* comparing an int bin with a string literal cannot be built: 4 (not 27) */
    assert_int_equal(get_filtered("abc", "93 03 93 51 02 a3 61 67 65 a2 03 78"), 4);
    /* malformed: truncated, and a call that is not an array of opcode */
    assert_int_equal(get_filtered("abc", "93 03 93 51"), 4);
    assert_int_equal(get_filtered("abc", "93 03 93 51 02 a3 61 67 65 15 ff"), 4);
    /* a call claiming 2.5 billion arguments is answered at once (4), not evaluated for minutes */
    assert_int_equal(get_filtered("abc", "dd 96 13 19 94 13 96 13 19 94 13 19 c3"), 4);
    /* missing record: 2 comes before the filter */
    assert_int_equal(get_filtered("nope", "c3"), 2);
}

static void test_filtered_writes(void **state) {
    (void)state;
    uint8_t e[64];
    size_t n = hex("93 03 93 51 02 a3 61 67 65 1e", e); /* age > 30: false */
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "exp", "abc", false);
    tc_field(&m, 43, e, n);
    tc_op_int(&m, 2, "age", 99);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 27);
    tc_answer_free(&a);
    tc_begin(&m, 0, 3, 0, 0, 0); /* delete with the same filter */
    tc_key_str(&m, "test", "exp", "abc", false);
    tc_field(&m, 43, e, n);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 27);
    tc_answer_free(&a);
    assert_int_equal(get_filtered("abc", "93 01 93 51 02 a3 61 67 65 1e"), 0); /* age still 30 */
}

static void test_exp_ops_and_cdt_read(void **state) {
    (void)state;
    uint8_t v[64];
    tc_msg m;
    /* operate: exp read r = age + 5, exp write w = age * 2, CDT read tags[1], read w */
    tc_begin(&m, 1, 1, 0, 0, 0xFFFFFFFE);
    tc_key_str(&m, "test", "exp", "abc", false);
    size_t n = hex("92 93 14 93 51 02 a3 61 67 65 05 00", v);
    tc_op(&m, 7, 4, "r", v, n);
    n = hex("92 93 16 93 51 02 a3 61 67 65 02 00", v);
    tc_op(&m, 8, 4, "w", v, n);
    n = hex("93 13 07 01", v);
    tc_op(&m, 3, 4, "tags", v, n);
    tc_op(&m, 1, 0, "w", NULL, 0);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    assert_false(a.closed);
    assert_int_equal(a.result, 0);
    bool found;
    assert_int_equal(tc_bin_int(&a, "r", &found), 35);
    assert_true(found);
    assert_int_equal(tc_bin_int(&a, "w", &found), 60);
    assert_true(found);
    uint8_t pt;
    uint32_t len;
    const uint8_t *t = tc_bin(&a, "tags", &pt, &len);
    assert_non_null(t);
    assert_int_equal(pt, 3);
    assert_int_equal(len, 1);
    assert_int_equal(t[0], 'b');
    tc_answer_free(&a);
    /* exp read of an unknown value fails with 26 unless EVAL_NO_FAIL */
    tc_begin(&m, 1, 0, 0, 0, 0);
    tc_key_str(&m, "test", "exp", "abc", false);
    n = hex("92 93 51 02 a2 7a 7a 00", v);
    tc_op(&m, 7, 4, "r", v, n);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 26);
    tc_answer_free(&a);
    /* CDT read on a string bin: 12 */
    tc_begin(&m, 1, 0, 0, 0, 0);
    tc_key_str(&m, "test", "exp", "abc", false);
    n = hex("91 10", v);
    tc_op(&m, 3, 4, "s", v, n);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 12);
    tc_answer_free(&a);
}

/* Send one operate with CDT modify ops (hex payloads) on bin, respond-all-ops; returns the answer. */
static tc_answer cdt_ops(const char *key, const char *bin, const char *const *payloads, size_t n) {
    tc_msg m;
    tc_begin(&m, 0, 0x81, 0, 0, 0);
    tc_key_str(&m, "test", "exp", key, false);
    for (size_t i = 0; i < n; i++) {
        uint8_t v[64];
        size_t l = hex(payloads[i], v);
        tc_op(&m, 4, 4, bin, v, l);
    }
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    return a;
}

/* the i-th op of an answer: particle type and value */
static const uint8_t *nth_op(const tc_answer *a, unsigned i, uint8_t *pt, uint32_t *len) {
    const uint8_t *p = a->ops;
    for (unsigned k = 0; k < i; k++)
        p += 4 + aero_get_u32be(p);
    *pt = p[5];
    *len = aero_get_u32be(p) - 4 - p[7];
    return p + 8 + p[7];
}

static int64_t nth_int(const tc_answer *a, unsigned i) {
    uint8_t pt;
    uint32_t len;
    const uint8_t *v = nth_op(a, i, &pt, &len);
    assert_int_equal(pt, 1);
    return (int64_t)aero_get_u64be(v);
}

static void test_cdt_modify(void **state) {
    (void)state;
    static const char *const list_ops[] = { "92 01 05",    "92 02 92 06 07", "93 03 00 04",
                                            "93 0c 01 0a", "93 21 05 06",    "92 05 00" };
    tc_answer a = cdt_ops("cdt", "l", list_ops, 6);
    assert_int_equal(a.result, 0);
    assert_int_equal(a.n_ops, 6);
    assert_int_equal(nth_int(&a, 0), 1);
    assert_int_equal(nth_int(&a, 1), 3);
    assert_int_equal(nth_int(&a, 2), 4);
    assert_int_equal(nth_int(&a, 3), 15);
    assert_int_equal(nth_int(&a, 4), 1);
    assert_int_equal(nth_int(&a, 5), 4);
    tc_answer_free(&a);
    static const char *const map_ops[] = { "93 43 a2 03 61 01", "92 44 82 a2 03 62 02 a2 03 63 03", "93 49 a2 03 61 05",
                                           "93 4c 07 a2 03 62" };
    a = cdt_ops("cdt", "m2", map_ops, 4);
    assert_int_equal(a.result, 0);
    assert_int_equal(nth_int(&a, 0), 1);
    assert_int_equal(nth_int(&a, 1), 3);
    assert_int_equal(nth_int(&a, 2), 6);
    assert_int_equal(nth_int(&a, 3), 2);
    tc_answer_free(&a);
    static const char *const huge_pad[] = { "92 0c d2 1f 00 00 00" }; /* increment at index 520093696 */
    a = cdt_ops("cdt", "l", huge_pad, 1);
    assert_int_equal(a.result, 13);
    tc_answer_free(&a);
    static const char *const add_existing[] = { "93 41 a2 03 61 09" };
    a = cdt_ops("cdt", "m2", add_existing, 1);
    assert_int_equal(a.result, 24);
    tc_answer_free(&a);
    static const char *const wrong_type[] = { "92 01 05" };
    a = cdt_ops("cdt", "m2", wrong_type, 1);
    assert_int_equal(a.result, 12);
    tc_answer_free(&a);
    /* with a context: in map bin "m" of a new record, append 8 to the list at key "a" */
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "exp", "ctxrec", false);
    uint8_t mv[16];
    size_t mn = hex("82 a2 03 6b a2 03 76 a2 03 61 91 07", mv);
    tc_op(&m, 2, 19, "m", mv, mn);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 0);
    tc_answer_free(&a);
    static const char *const ctx_ops[] = { "93 cc ff 92 22 a2 03 61 92 01 08" };
    a = cdt_ops("ctxrec", "m", ctx_ops, 1);
    assert_int_equal(a.result, 0);
    assert_int_equal(nth_int(&a, 0), 2);
    tc_answer_free(&a);
    static const char *const ctx_missing[] = { "93 cc ff 92 22 a2 03 7a 92 01 08" };
    a = cdt_ops("ctxrec", "m", ctx_missing, 1);
    assert_int_equal(a.result, AERO_ERR_OP_NOT_APPLICABLE); /* a missing context element, as 8.1.2.0 answers */
    tc_answer_free(&a);
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_key_str(&m, "test", "exp", "ctxrec", false);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    {
        uint8_t pt2, e2[32];
        uint32_t l2;
        const uint8_t *v2 = tc_bin(&a, "m", &pt2, &l2);
        size_t n2 = hex("82 a2 03 61 92 07 08 a2 03 6b a2 03 76", e2); /* maps are stored key-sorted */
        assert_non_null(v2);
        assert_int_equal(l2, n2);
        assert_memory_equal(v2, e2, n2);
    }
    tc_answer_free(&a);
    /* stored values */
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_key_str(&m, "test", "exp", "cdt", false);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    uint8_t pt, exp[32];
    uint32_t len;
    const uint8_t *v = tc_bin(&a, "l", &pt, &len);
    assert_non_null(v);
    assert_int_equal(pt, 20);
    size_t n = hex("92 0f 07", exp);
    assert_int_equal(len, n);
    assert_memory_equal(v, exp, n);
    v = tc_bin(&a, "m2", &pt, &len);
    assert_non_null(v);
    assert_int_equal(pt, 19);
    n = hex("82 a2 03 61 06 a2 03 63 03", exp);
    assert_int_equal(len, n);
    assert_memory_equal(v, exp, n);
    tc_answer_free(&a);
}

/* geo filter [8, bin_geo("loc"), <region literal>] against a point bin */
static int geo_filter(const char *region) {
    uint8_t e[512];
    size_t n = 0, rl = strlen(region);
    e[n++] = 0x93;
    e[n++] = 0x08;
    memcpy(e + n, "\x93\x51\x08\xa3loc", 7);
    n += 7;
    e[n++] = 0xd9;
    e[n++] = (uint8_t)(rl + 1);
    e[n++] = 0x17;
    memcpy(e + n, region, rl);
    n += rl;
    tc_msg m;
    tc_begin(&m, 0x21, 0, 0, 0, 0);
    tc_key_str(&m, "test", "exp", "geo", false);
    tc_field(&m, 43, e, n);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    int rc = a.closed ? -1 : a.result;
    tc_answer_free(&a);
    return rc;
}

static void test_geo(void **state) {
    (void)state;
    const char *pt = "{\"type\":\"Point\",\"coordinates\":[-122.0, 37.5]}";
    uint8_t v[128] = { 0, 0, 0 };
    size_t pl = strlen(pt);
    memcpy(v + 3, pt, pl);
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "exp", "geo", false);
    tc_op(&m, 2, 23, "loc", v, 3 + pl);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 0);
    tc_answer_free(&a);
    assert_int_equal(geo_filter("{\"type\":\"AeroCircle\",\"coordinates\":[[-122.0005,37.5],1000]}"), 0);
    assert_int_equal(geo_filter("{\"type\":\"AeroCircle\",\"coordinates\":[[-121.0,37.5],1000]}"), 27);
    assert_int_equal(
        geo_filter("{\"type\":\"Polygon\",\"coordinates\":[[[-123,37],[-121,37],[-121,38],[-123,38],[-123,37]]]}"), 0);
    assert_int_equal(
        geo_filter("{\"type\":\"Polygon\",\"coordinates\":[[[-123,37],[-121,37],[-121,38],[-123,38],[-123,37]],"
                   "[[-122.5,37.2],[-121.5,37.2],[-121.5,37.8],[-122.5,37.8],[-122.5,37.2]]]}"),
        27); /* in a hole */
}

/* Random and mutated expression / CDT bytes: answered (0, 4, 26, 27...), never a crash. */
static void test_hostile_expressions(void **state) {
    (void)state;
    uint64_t seed = 99;
    uint8_t base[256];
    for (int i = 0; i < 400; i++) {
        static const char *const cdt_src[] = { "93 cc ff 92 22 a2 03 61 92 01 08",
                                               "93 cc ff 94 22 a2 03 61 10 00 92 0c 01",
                                               "92 44 82 a2 03 62 02 a2 03 63 03", "93 21 05 06", "94 18 07 01 02" };
        const char *src = i % 4 == 1 ? cdt_src[(i / 4) % 5] : examples[i % 13][0];
        size_t n = hex(src, base);
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        size_t at = (size_t)(seed >> 33) % n;
        base[at] = (uint8_t)(seed >> 20);
        if (i % 4 == 0)
            n = at + 1; /* truncate */
        tc_msg m;
        bool modify = i % 4 == 1;
        tc_begin(&m, 1, modify ? 1 : 0, 0, 0, 0xFFFFFFFE);
        tc_key_str(&m, "test", "exp", modify ? (i % 8 == 1 ? "ctxrec" : "hostile") : "abc", false);
        if (!modify)
            tc_field(&m, 43, base, n);
        size_t skip = (size_t)(i % 3) < n ? (size_t)(i % 3) : 0;
        tc_op(&m, modify ? 4 : 3, 4, i % 2 && !modify ? "tags" : "m", base + skip, n - skip);
        tc_end(&m);
        tc_answer a = tc_call(port, &m);
        tc_free(&m);
        assert_false(a.closed);
        tc_answer_free(&a);
    }
    assert_int_equal(get_filtered("abc", examples[0][0]), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_examples),     cmocka_unit_test(test_unknown_and_logic),
        cmocka_unit_test(test_filtered_writes),     cmocka_unit_test(test_exp_ops_and_cdt_read),
        cmocka_unit_test(test_cdt_modify),          cmocka_unit_test(test_geo),
        cmocka_unit_test(test_hostile_expressions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
