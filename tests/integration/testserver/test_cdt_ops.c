/*
 * test_cdt_ops.c - list and map modify ops (op 4) through the wire: every
 * op family the test server dispatches (trim, pop_range, remove_range, set,
 * increment, clear, sort, insert, the remove_by_* selectors with plain and
 * inverted return types, map replace / decrement / put_items), and the list
 * and map write flags (add-unique, insert-bounded, no-fail, create-only).
 * Payloads are built with the opcode names of proto/cdt_ops.h. Runs against
 * a fresh test server, or against any server when AERO_TS_PORT names a port
 * on 127.0.0.1 (namespace "test"), so the expectations can be checked
 * against a real one.
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

#include "proto/cdt_ops.h"
#include "proto/msgpack.h"
#include "proto/wire.h"
#include "tsclient.h"

static uint16_t port;
static const char SET[] = "cdtops";

static int setup(void **state) {
    const char *ext = getenv("AERO_TS_PORT");
    *state = NULL;
    if (ext && *ext) {
        port = (uint16_t)atoi(ext);
        return 0;
    }
    aero_error err;
    aero_testserver *ts = aero_testserver_start(NULL, &err);
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

/* One op payload [op, args...]. */
typedef struct pay {
    uint8_t b[96];
    size_t n;
} pay;

/*
 * fmt has one letter per argument: i an int64, s a string, l a list of ints
 * (count, then the ints), k a list of strings (count, then the strings),
 * m a map of string keys to ints (count, then key / value pairs).
 */
static pay P(int64_t op, const char *fmt, ...) {
    pay p;
    aero_buf b;
    aero_buf__init(&b, p.b, sizeof p.b);
    aero_mp__pack_array_header(&b, (uint32_t)strlen(fmt) + 1);
    aero_mp__pack_int(&b, op);
    va_list ap;
    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        int n = *f == 'i' || *f == 's' ? 0 : va_arg(ap, int);
        if (*f == 'l' || *f == 'k')
            aero_mp__pack_array_header(&b, (uint32_t)n);
        else if (*f == 'm')
            aero_mp__pack_map_header(&b, (uint32_t)n);
        if (*f == 'i')
            aero_mp__pack_int(&b, va_arg(ap, int64_t));
        for (int k = 0; k < n; k++) {
            if (*f == 'm' || *f == 'k') {
                const char *s = va_arg(ap, const char *);
                aero_mp__pack_particle_str(&b, AERO_PT_STRING, s, strlen(s));
            }
            if (*f == 'm' || *f == 'l')
                aero_mp__pack_int(&b, va_arg(ap, int64_t));
        }
        if (*f == 's') {
            const char *s = va_arg(ap, const char *);
            aero_mp__pack_particle_str(&b, AERO_PT_STRING, s, strlen(s));
        }
    }
    va_end(ap);
    assert_false(b.failed);
    assert_ptr_equal(b.data, p.b); /* it fit */
    p.n = b.len;
    return p;
}

/* Write bin = value (a msgpack list or map) to a fresh record, then run ops on it, respond-all-ops. */
static tc_answer run(const char *key, const char *bin, uint8_t ptype, const char *value_hex, const pay *ops, size_t n) {
    tc_msg m;
    uint8_t v[64];
    size_t vn = 0;
    for (const char *h = value_hex; *h; h++)
        if (*h != ' ') {
            unsigned x;
            sscanf(h, "%2x", &x);
            v[vn++] = (uint8_t)x;
            h++;
        }
    tc_begin(&m, 0, AERO_INFO2_WRITE, AERO_INFO3_CREATE_OR_REPLACE, 0, 0);
    tc_key_str(&m, "test", SET, key, false);
    tc_op(&m, AERO_OP_WRITE, ptype, bin, v, vn);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    assert_false(a.closed);
    assert_int_equal(a.result, 0);
    tc_answer_free(&a);
    tc_begin(&m, AERO_INFO1_READ, AERO_INFO2_WRITE | AERO_INFO2_RESPOND_ALL_OPS, 0, 0, 0);
    tc_key_str(&m, "test", SET, key, false);
    for (size_t i = 0; i < n; i++)
        tc_op(&m, AERO_OP_CDT_MODIFY, AERO_PT_BLOB, bin, ops[i].b, ops[i].n);
    tc_op(&m, AERO_OP_READ, AERO_PT_NULL, bin, NULL, 0);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_false(a.closed);
    return a;
}

/* The i-th op of an answer as "pt:hex" (particle type, value bytes). */
static void nth(const tc_answer *a, unsigned i, char *out, size_t cap) {
    assert_true(i < a->n_ops);
    const uint8_t *p = a->ops;
    for (unsigned k = 0; k < i; k++)
        p += 4 + aero_get_u32be(p);
    uint32_t len = aero_get_u32be(p) - 4 - p[7];
    const uint8_t *v = p + 8 + p[7];
    size_t o = (size_t)snprintf(out, cap, "%u:", p[5]);
    for (uint32_t k = 0; k < len && o + 3 < cap; k++)
        o += (size_t)snprintf(out + o, cap - o, "%02x", v[k]);
}

static void expect(const tc_answer *a, const char *const *want, size_t n) {
    assert_int_equal(a->result, 0);
    assert_int_equal(a->n_ops, n);
    for (size_t i = 0; i < n; i++) {
        char got[256];
        nth(a, (unsigned)i, got, sizeof got);
        if (strcmp(got, want[i]) != 0)
            fail_msg("op %zu: %s, want %s", i, got, want[i]);
    }
}

/* "1:<8-byte big-endian int>" */
#define INT(x) "1:00000000000000" x

static void test_list_ops(void **state) {
    (void)state;
    const pay ops[] = {
        P(AERO_LIST_OP_TRIM, "ii", (int64_t)1, (int64_t)3),      /* [5,1,4,2,3] -> [1,4,2], 2 removed */
        P(AERO_LIST_OP_POP_RANGE, "ii", (int64_t)0, (int64_t)2), /* -> [2], popped [1,4] */
        P(AERO_LIST_OP_APPEND_ITEMS, "l", 3, (int64_t)7, (int64_t)7, (int64_t)9),          /* -> [2,7,7,9] */
        P(AERO_LIST_OP_REMOVE_ALL_BY_VALUE, "ii", (int64_t)AERO_CDT_RT_COUNT, (int64_t)7), /* -> [2,9] */
        P(AERO_LIST_OP_INSERT, "ii", (int64_t)1, (int64_t)8),                              /* -> [2,8,9] */
        P(AERO_LIST_OP_SET, "ii", (int64_t)0, (int64_t)6),                                 /* -> [6,8,9] */
        P(AERO_LIST_OP_REMOVE_BY_RANK_RANGE, "iii", (int64_t)AERO_CDT_RT_VALUE, (int64_t)0, (int64_t)1), /* -> [8,9] */
        P(AERO_LIST_OP_INCREMENT, "ii", (int64_t)1, (int64_t)5),                                         /* -> [8,14] */
        P(AERO_LIST_OP_REMOVE_RANGE, "ii", (int64_t)5, (int64_t)1),                                      /* nothing */
        P(AERO_LIST_OP_REMOVE_BY_INDEX_RANGE, "iii", (int64_t)(AERO_CDT_RT_VALUE | AERO_CDT_RT_INVERTED), (int64_t)0,
          (int64_t)1),                                                            /* keeps [8], returns the rest */
        P(AERO_LIST_OP_APPEND_ITEMS, "l", 3, (int64_t)3, (int64_t)1, (int64_t)2), /* -> [8,3,1,2] */
        P(AERO_LIST_OP_SORT, "i", (int64_t)AERO_LIST_SORT_ASCENDING),             /* -> [1,2,3,8] */
    };
    static const char *const want[] = {
        INT("02"), "20:920104", INT("04"), INT("02"), INT("03"),       "0:", "20:9106", INT("0e"),
        INT("00"), "20:910e",   INT("04"), "0:",      "20:9401020308",
    };
    tc_answer a = run("list", "l", AERO_PT_LIST, "95 05 01 04 02 03", ops, sizeof ops / sizeof ops[0]);
    expect(&a, want, sizeof want / sizeof want[0]);
    tc_answer_free(&a);

    const pay clear[] = { P(AERO_LIST_OP_CLEAR, "") };
    static const char *const cleared[] = { "0:", "20:90" };
    a = run("list", "l", AERO_PT_LIST, "92 01 02", clear, 1);
    expect(&a, cleared, 2);
    tc_answer_free(&a);
}

static void test_list_write_flags(void **state) {
    (void)state;
    const pay dup[] = { P(AERO_LIST_OP_APPEND, "iii", (int64_t)2, (int64_t)AERO_CDT_ORDER_UNORDERED,
                          (int64_t)AERO_LIST_WRITE_ADD_UNIQUE) };
    tc_answer a = run("flags", "l", AERO_PT_LIST, "92 01 02", dup, 1);
    assert_int_equal(a.result, AERO_ERR_ELEMENT_EXISTS);
    tc_answer_free(&a);
    const pay dup_ok[] = { P(AERO_LIST_OP_APPEND, "iii", (int64_t)2, (int64_t)AERO_CDT_ORDER_UNORDERED,
                             (int64_t)(AERO_LIST_WRITE_ADD_UNIQUE | AERO_LIST_WRITE_NO_FAIL)) };
    static const char *const unchanged[] = { INT("02"), "20:920102" };
    a = run("flags", "l", AERO_PT_LIST, "92 01 02", dup_ok, 1);
    expect(&a, unchanged, 2);
    tc_answer_free(&a);
    const pay bounded[] = { P(AERO_LIST_OP_INSERT, "iii", (int64_t)5, (int64_t)1,
                              (int64_t)AERO_LIST_WRITE_INSERT_BOUNDED) };
    a = run("flags", "l", AERO_PT_LIST, "92 01 02", bounded, 1);
    assert_int_equal(a.result, AERO_ERR_OP_NOT_APPLICABLE);
    tc_answer_free(&a);
}

static void test_map_ops(void **state) {
    (void)state;
    const pay ops[] = {
        P(AERO_MAP_OP_REPLACE, "si", "a", (int64_t)10),                     /* {a:10,b:2} */
        P(AERO_MAP_OP_DECREMENT, "si", "b", (int64_t)5),                    /* b = -3 */
        P(AERO_MAP_OP_PUT_ITEMS, "m", 2, "c", (int64_t)3, "d", (int64_t)4), /* 4 entries */
        P(AERO_MAP_OP_REMOVE_BY_KEY_LIST, "ik", (int64_t)AERO_CDT_RT_KEY, 2, "a", "c"),
        P(AERO_MAP_OP_REMOVE_BY_VALUE_INTERVAL, "iii", (int64_t)AERO_CDT_RT_COUNT, (int64_t)0, (int64_t)5),
        P(AERO_MAP_OP_PUT, "siii", "b", (int64_t)7, (int64_t)AERO_CDT_ORDER_UNORDERED,
          (int64_t)(AERO_MAP_WRITE_CREATE_ONLY | AERO_MAP_WRITE_NO_FAIL)), /* b exists: left as it is */
    };
    static const char *const want[] = {
        INT("02"),
        "1:fffffffffffffffd",
        INT("04"),
        "20:92a20361a20363",
        INT("01"),
        INT("01"),
        "19:81a2036"
        "2fd",
    };
    tc_answer a = run("map", "m", AERO_PT_MAP, "82 a2 03 61 01 a2 03 62 02", ops, sizeof ops / sizeof ops[0]);
    expect(&a, want, sizeof want / sizeof want[0]);
    tc_answer_free(&a);

    const pay missing[] = { P(AERO_MAP_OP_REPLACE, "si", "z", (int64_t)1) };
    a = run("map", "m", AERO_PT_MAP, "81 a2 03 61 01", missing, 1);
    assert_int_equal(a.result, AERO_ERR_ELEMENT_NOT_FOUND);
    tc_answer_free(&a);
    const pay exists[] = { P(AERO_MAP_OP_PUT, "siii", "a", (int64_t)2, (int64_t)AERO_CDT_ORDER_UNORDERED,
                             (int64_t)AERO_MAP_WRITE_CREATE_ONLY) };
    a = run("map", "m", AERO_PT_MAP, "81 a2 03 61 01", exists, 1);
    assert_int_equal(a.result, AERO_ERR_ELEMENT_EXISTS);
    tc_answer_free(&a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_ops),
        cmocka_unit_test(test_list_write_flags),
        cmocka_unit_test(test_map_ops),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
