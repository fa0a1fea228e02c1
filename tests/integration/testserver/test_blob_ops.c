/*
 * test_blob_ops.c - bit (12/13) and HLL (15/16) ops through the wire: every
 * bit op with its flags and overflow actions, the bounds the server refuses,
 * and the HLL ops with the exact bytes and estimates of Aerospike 8.1.
 * Payloads are built with the opcode names of proto/bit_ops.h and
 * proto/hll_ops.h. Runs against a fresh test server, or against any server
 * when AERO_TS_PORT names a port on 127.0.0.1 (namespace "test"), so every
 * expectation can be checked against a real one.
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

#include "proto/bit_ops.h"
#include "proto/hll_ops.h"
#include "proto/msgpack.h"
#include "proto/wire.h"
#include "tsclient.h"

static uint16_t port;
static const char SET[] = "blobops";

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

/* One op: wire op type and payload [op, args...]. */
typedef struct pay {
    uint8_t type;
    uint8_t b[2048];
    size_t n;
} pay;

static size_t unhex(const char *h, uint8_t *out, size_t cap) {
    size_t n = 0;
    for (; *h; h++) {
        if (*h == ' ')
            continue;
        unsigned x;
        assert_int_equal(sscanf(h, "%2x", &x), 1);
        assert_true(n < cap);
        out[n++] = (uint8_t)x;
        h++;
    }
    return n;
}

/*
 * fmt has one letter per argument: i an int64, b a bool, x a blob given as
 * hex, h a blob given as (pointer, length), H a list of such blobs (count,
 * then pointer / length pairs), k a list of strings (count, then strings),
 * n a list of ints (first, count: first..first+count-1).
 */
static pay P(uint8_t type, int64_t op, const char *fmt, ...) {
    pay p = { .type = type };
    aero_buf b;
    aero_buf__init(&b, p.b, sizeof p.b);
    aero_mp__pack_array_header(&b, (uint32_t)strlen(fmt) + 1);
    aero_mp__pack_int(&b, op);
    va_list ap;
    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        if (*f == 'i') {
            aero_mp__pack_int(&b, va_arg(ap, int64_t));
        } else if (*f == 'b') {
            aero_mp__pack_bool(&b, va_arg(ap, int) != 0);
        } else if (*f == 'x') {
            uint8_t v[256];
            size_t n = unhex(va_arg(ap, const char *), v, sizeof v);
            aero_mp__pack_particle_str(&b, AERO_PT_BLOB, v, n);
        } else if (*f == 'h' || *f == 'H') {
            int n = *f == 'H' ? va_arg(ap, int) : 1;
            if (*f == 'H')
                aero_mp__pack_array_header(&b, (uint32_t)n);
            for (int k = 0; k < n; k++) {
                const uint8_t *v = va_arg(ap, const uint8_t *);
                size_t len = va_arg(ap, size_t);
                aero_mp__pack_particle_str(&b, AERO_PT_HLL, v, len);
            }
        } else if (*f == 'k') {
            int n = va_arg(ap, int);
            aero_mp__pack_array_header(&b, (uint32_t)n);
            for (int k = 0; k < n; k++) {
                const char *s = va_arg(ap, const char *);
                aero_mp__pack_particle_str(&b, AERO_PT_STRING, s, strlen(s));
            }
        } else if (*f == 'n') {
            int64_t first = va_arg(ap, int64_t);
            int n = va_arg(ap, int);
            aero_mp__pack_array_header(&b, (uint32_t)n);
            for (int k = 0; k < n; k++)
                aero_mp__pack_int(&b, first + k);
        }
    }
    va_end(ap);
    assert_false(b.failed);
    assert_ptr_equal(b.data, p.b); /* it fit */
    p.n = b.len;
    return p;
}

#define BIT(op, ...)  P(AERO_MSG_OP_BIT_MODIFY, AERO_BIT_OP_##op, __VA_ARGS__)
#define BITR(op, ...) P(AERO_MSG_OP_BIT_READ, AERO_BIT_OP_##op, __VA_ARGS__)
#define HLL(op, ...)  P(AERO_MSG_OP_HLL_MODIFY, AERO_HLL_OP_##op, __VA_ARGS__)
#define HLLR(op, ...) P(AERO_MSG_OP_HLL_READ, AERO_HLL_OP_##op, __VA_ARGS__)
#define I(x)          ((int64_t)(x))

/* Put bin `bin` = value (ptype, hex; ptype 0 = delete the record first) and run ops, respond-all-ops.
 * A refused value answers the put's error. */
static tc_answer run(const char *key, uint8_t ptype, const char *value_hex, const pay *ops, size_t n, bool read_back) {
    tc_msg m;
    uint8_t v[256];
    size_t vn = unhex(value_hex, v, sizeof v);
    tc_begin(&m, 0, AERO_INFO2_WRITE | (ptype ? 0 : AERO_INFO2_DELETE), ptype ? AERO_INFO3_CREATE_OR_REPLACE : 0, 0, 0);
    tc_key_str(&m, "test", SET, key, false);
    if (ptype)
        tc_op(&m, AERO_MSG_OP_WRITE, ptype, "b", v, vn);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    assert_false(a.closed);
    if (ptype && a.result != 0)
        return a; /* the value itself was refused */
    assert_true(a.result == 0 || a.result == AERO_ERR_KEY_NOT_FOUND);
    tc_answer_free(&a);
    bool write = false;
    for (size_t i = 0; i < n; i++)
        write |= ops[i].type == AERO_MSG_OP_BIT_MODIFY || ops[i].type == AERO_MSG_OP_HLL_MODIFY;
    tc_begin(&m, AERO_INFO1_READ, write ? AERO_INFO2_WRITE | AERO_INFO2_RESPOND_ALL_OPS : 0, 0, 0, 0);
    tc_key_str(&m, "test", SET, key, false);
    for (size_t i = 0; i < n; i++)
        tc_op(&m, ops[i].type, AERO_PT_BLOB, "b", ops[i].b, ops[i].n);
    if (read_back)
        tc_op(&m, AERO_MSG_OP_READ, AERO_PT_NULL, "b", NULL, 0);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_false(a.closed);
    return a;
}

/* The i-th op of an answer: value bytes, particle type, length. */
static const uint8_t *nth_val(const tc_answer *a, unsigned i, uint8_t *pt, uint32_t *len) {
    assert_true(i < a->n_ops);
    const uint8_t *p = a->ops;
    for (unsigned k = 0; k < i; k++)
        p += 4 + aero_get_u32be(p);
    *len = aero_get_u32be(p) - 4 - p[7];
    *pt = p[5];
    return p + 8 + p[7];
}

/* The i-th op of an answer as "pt:hex". */
static void nth(const tc_answer *a, unsigned i, char *out, size_t cap) {
    uint8_t pt;
    uint32_t len;
    const uint8_t *v = nth_val(a, i, &pt, &len);
    size_t o = (size_t)snprintf(out, cap, "%u:", pt);
    for (uint32_t k = 0; k < len && o + 3 < cap; k++)
        o += (size_t)snprintf(out + o, cap - o, "%02x", v[k]);
}

static void expect(const tc_answer *a, const char *const *want, size_t n) {
    assert_int_equal(a->result, 0);
    assert_int_equal(a->n_ops, n);
    for (size_t i = 0; i < n; i++) {
        char got[1024];
        nth(a, (unsigned)i, got, sizeof got);
        if (strcmp(got, want[i]) != 0)
            fail_msg("op %zu: %s, want %s", i, got, want[i]);
    }
}

/* The result code of one op on a fresh bin (ptype 0: no record). */
static int code_of(uint8_t ptype, const char *hex, pay op) {
    tc_answer a = run("codes", ptype, hex, &op, 1, false);
    int rc = a.result;
    tc_answer_free(&a);
    return rc;
}

#define INT(x) "1:" x
#define BLOB   "4:"
#define NIL    "0:"

static void test_bit_modify(void **state) {
    (void)state;
    const pay ops[] = {
        BIT(RESIZE, "i", I(6)),                                 /* 01020304 0000 */
        BIT(INSERT, "ix", I(1), "ff"),                          /* 01ff020304 0000 */
        BIT(REMOVE, "ii", I(5), I(1)),                          /* 01ff02030400 */
        BIT(SET, "iix", I(4), I(8), "ab"),                      /* 0abf02030400 */
        BIT(OR, "iix", I(16), I(8), "f0"),                      /* 0abff2030400 */
        BIT(XOR, "iix", I(24), I(8), "ff"),                     /* 0abff2fc0400 */
        BIT(AND, "iix", I(32), I(8), "0f"),                     /* 0abff2fc0400 */
        BIT(NOT, "ii", I(40), I(4)),                            /* 0abff2fc04f0 */
        BIT(LSHIFT, "iii", I(0), I(8), I(1)),                   /* 14bff2fc04f0 */
        BIT(RSHIFT, "iii", I(8), I(8), I(4)),                   /* 140bf2fc04f0 */
        BIT(ADD, "iiiii", I(16), I(8), I(1), I(0), I(0)),       /* 140bf3fc04f0 */
        BIT(SUBTRACT, "iiiii", I(24), I(8), I(12), I(0), I(0)), /* 140bf3f004f0 */
        BIT(SET_INT, "iii", I(32), I(8), I(0x7f)),              /* 140bf3f07ff0 */
        BIT(SET, "iix", I(-4), I(4), "a0"),                     /* negative offset: 140bf3f07ffa */
    };
    static const char *const want[] = {
        NIL, NIL, NIL, NIL, NIL, NIL, NIL, NIL, NIL, NIL, NIL, NIL, NIL, NIL, BLOB "140bf3f07ffa",
    };
    tc_answer a = run("bits", AERO_PT_BLOB, "01020304", ops, sizeof ops / sizeof ops[0], true);
    expect(&a, want, sizeof want / sizeof want[0]);
    tc_answer_free(&a);

    /* resize flags: from the front, grow-only, shrink-only */
    const pay rs[] = {
        BIT(RESIZE, "iii", I(6), I(0), I(AERO_BIT_RESIZE_FROM_FRONT)),                       /* 0000 01020304 */
        BIT(RESIZE, "iii", I(3), I(0), I(AERO_BIT_RESIZE_FROM_FRONT)),                       /* 020304 */
        BIT(RESIZE, "iii", I(2), I(AERO_BIT_WRITE_NO_FAIL), I(AERO_BIT_RESIZE_GROW_ONLY)),   /* refused quietly */
        BIT(RESIZE, "iii", I(5), I(AERO_BIT_WRITE_NO_FAIL), I(AERO_BIT_RESIZE_SHRINK_ONLY)), /* refused quietly */
        BIT(INSERT, "ix", I(5), "ee"), /* past the end: zero gap, 0203040000ee */
    };
    static const char *const rs_want[] = { NIL, NIL, NIL, NIL, NIL, BLOB "0203040000ee" };
    a = run("bits", AERO_PT_BLOB, "01020304", rs, sizeof rs / sizeof rs[0], true);
    expect(&a, rs_want, sizeof rs_want / sizeof rs_want[0]);
    tc_answer_free(&a);

    /* a missing bin: resize and insert create one */
    const pay create[] = { BIT(INSERT, "ixi", I(2), "aa", I(AERO_BIT_WRITE_CREATE_ONLY)) };
    static const char *const create_want[] = { NIL, BLOB "0000aa" };
    a = run("bits", 0, "", create, 1, true);
    expect(&a, create_want, 2);
    tc_answer_free(&a);

    /* partial: the range is cut at the end of the blob */
    const pay part[] = {
        BIT(SET, "iixi", I(12), I(16), "ffff", I(AERO_BIT_WRITE_PARTIAL)),
        BIT(REMOVE, "iii", I(1), I(5), I(AERO_BIT_WRITE_PARTIAL)),
    };
    static const char *const part_want[] = { NIL, NIL, BLOB "00" };
    a = run("bits", AERO_PT_BLOB, "0000", part, 2, true);
    expect(&a, part_want, 3);
    tc_answer_free(&a);
}

static void test_bit_integers(void **state) {
    (void)state;
    const pay ops[] = {
        BIT(ADD, "iiiii", I(0), I(8), I(1), I(0), I(AERO_BIT_INT_SATURATE)),                        /* ff stays ff */
        BIT(ADD, "iiiii", I(8), I(8), I(1), I(0), I(AERO_BIT_INT_WRAP)),                            /* ff -> 00 */
        BIT(ADD, "iiiii", I(16), I(8), I(1), I(0), I(AERO_BIT_INT_SIGNED | AERO_BIT_INT_SATURATE)), /* 7f stays */
        BIT(SUBTRACT, "iiiii", I(24), I(8), I(1), I(0), I(AERO_BIT_INT_SIGNED | AERO_BIT_INT_SATURATE)), /* 80 stays */
        BIT(SUBTRACT, "iiiii", I(32), I(8), I(5), I(0), I(AERO_BIT_INT_SATURATE)),                       /* 03 -> 00 */
        BIT(ADD, "iiiii", I(40), I(4), I(-1), I(0), I(AERO_BIT_INT_SIGNED)), /* nibble 2 + (-1) = 1 */
        BIT(SET_INT, "iii", I(48), I(12), I(0xabc)),                         /* abc0 */
    };
    static const char *const want[] = {
        NIL, NIL, NIL, NIL, NIL, NIL, NIL, BLOB "ff007f800010abc0",
    };
    tc_answer a = run("ints", AERO_PT_BLOB, "ffff7f8003200000", ops, sizeof ops / sizeof ops[0], true);
    expect(&a, want, sizeof want / sizeof want[0]);
    tc_answer_free(&a);

    /* overflow without saturate / wrap fails (26); no-fail leaves the bin */
    assert_int_equal(code_of(AERO_PT_BLOB, "ff", BIT(ADD, "iiiii", I(0), I(8), I(1), I(0), I(0))),
                     AERO_ERR_OP_NOT_APPLICABLE);
    assert_int_equal(code_of(AERO_PT_BLOB, "7f", BIT(ADD, "iiiii", I(0), I(8), I(1), I(0), I(AERO_BIT_INT_SIGNED))),
                     AERO_ERR_OP_NOT_APPLICABLE);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(SUBTRACT, "iiiii", I(0), I(8), I(1), I(0), I(0))),
                     AERO_ERR_OP_NOT_APPLICABLE);
    assert_int_equal(code_of(AERO_PT_BLOB, "ff", BIT(ADD, "iiiii", I(0), I(8), I(1), I(AERO_BIT_WRITE_NO_FAIL), I(0))),
                     0);
    /* saturate and wrap together, an unknown int flag, sizes 0 and 65 */
    assert_int_equal(code_of(AERO_PT_BLOB, "ff",
                             BIT(ADD, "iiiii", I(0), I(8), I(1), I(0), I(AERO_BIT_INT_SATURATE | AERO_BIT_INT_WRAP))),
                     AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "ff", BIT(ADD, "iiiii", I(0), I(8), I(1), I(0), I(8))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "ff", BIT(SET_INT, "iii", I(0), I(0), I(1))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "ff", BIT(SET_INT, "iii", I(0), I(65), I(1))), AERO_ERR_PARAMETER);
}

static void test_bit_reads(void **state) {
    (void)state;
    const pay ops[] = {
        BITR(GET, "ii", I(8), I(12)),       BITR(COUNT, "ii", I(0), I(16)),
        BITR(LSCAN, "iib", I(0), I(48), 1), BITR(RSCAN, "iib", I(0), I(48), 1),
        BITR(LSCAN, "iib", I(3), I(10), 0), BITR(GET_INT, "iii", I(16), I(8), I(AERO_BIT_INT_SIGNED)),
        BITR(GET_INT, "ii", I(16), I(8)),   BITR(GET, "ii", I(-8), I(8)),
        BITR(RSCAN, "iib", I(4), I(8), 1),
    };
    static const char *const want[] = {
        BLOB "0bf0",
        INT("0000000000000005"),
        INT("0000000000000003"),
        INT("000000000000002b"),
        INT("0000000000000001"),
        INT("fffffffffffffff3"),
        INT("00000000000000f3"),
        BLOB "f0",
        INT("0000000000000001"),
    };
    tc_answer a = run("reads", AERO_PT_BLOB, "140bf3f07ff0", ops, sizeof ops / sizeof ops[0], false);
    expect(&a, want, sizeof want / sizeof want[0]);
    tc_answer_free(&a);

    /* nothing set in the range: the server's scan reports the set bit 0 before it as -4 */
    const pay quirk[] = { BITR(RSCAN, "iib", I(4), I(8), 1) };
    static const char *const quirk_want[] = { INT("fffffffffffffffc") };
    a = run("reads", AERO_PT_BLOB, "8000", quirk, 1, false);
    expect(&a, quirk_want, 1);
    tc_answer_free(&a);

    /* a missing bin answers no op */
    const pay missing[] = { BITR(GET, "ii", I(0), I(8)) };
    tc_msg m;
    tc_begin(&m, 0, AERO_INFO2_WRITE, AERO_INFO3_CREATE_OR_REPLACE, 0, 0);
    tc_key_str(&m, "test", SET, "other", false);
    tc_op_int(&m, AERO_MSG_OP_WRITE, "x", 1);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    tc_answer_free(&a);
    tc_begin(&m, AERO_INFO1_READ, 0, 0, 0, 0);
    tc_key_str(&m, "test", SET, "other", false);
    tc_op(&m, AERO_MSG_OP_BIT_READ, AERO_PT_BLOB, "b", missing[0].b, missing[0].n);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    expect(&a, NULL, 0);
    tc_answer_free(&a);
}

static void test_bit_codes(void **state) {
    (void)state;
    /* a missing bin: only resize / insert create; no-fail succeeds quietly */
    assert_int_equal(code_of(0, "", BIT(SET, "iix", I(0), I(8), "ff")), AERO_ERR_BIN_NOT_FOUND);
    /* (no bin written: the record is not created) */
    assert_int_equal(code_of(0, "", BIT(SET, "iixi", I(0), I(8), "ff", I(AERO_BIT_WRITE_NO_FAIL))),
                     AERO_ERR_KEY_NOT_FOUND);
    assert_int_equal(code_of(0, "", BIT(RESIZE, "ii", I(4), I(AERO_BIT_WRITE_UPDATE_ONLY))), AERO_ERR_BIN_NOT_FOUND);
    assert_int_equal(code_of(0, "", BIT(INSERT, "ix", I(-1), "ff")), AERO_ERR_PARAMETER);
    /* existing bins */
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(RESIZE, "ii", I(4), I(AERO_BIT_WRITE_CREATE_ONLY))),
                     AERO_ERR_BIN_EXISTS);
    assert_int_equal(code_of(AERO_PT_STRING, "41", BIT(SET, "iix", I(0), I(8), "ff")), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_int_equal(code_of(AERO_PT_STRING, "41", BITR(GET, "ii", I(0), I(8))), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(SET, "iix", I(8), I(8), "ff")), AERO_ERR_OP_NOT_APPLICABLE);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(SET, "iix", I(4), I(8), "ff")), AERO_ERR_OP_NOT_APPLICABLE);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(REMOVE, "ii", I(1), I(1))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(REMOVE, "ii", I(0), I(2))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(SET, "iix", I(-9), I(8), "ff")), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BITR(GET, "ii", I(1), I(8))), AERO_ERR_OP_NOT_APPLICABLE);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(RESIZE, "iii", I(4), I(0), I(AERO_BIT_RESIZE_SHRINK_ONLY))),
                     AERO_ERR_PARAMETER);
    /* flags the op does not take, contradictory flags, bad arguments */
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(SET, "iixi", I(0), I(8), "ff", I(AERO_BIT_WRITE_CREATE_ONLY))),
                     AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00",
                             BIT(RESIZE, "ii", I(4), I(AERO_BIT_WRITE_CREATE_ONLY | AERO_BIT_WRITE_UPDATE_ONLY))),
                     AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(SET, "iix", I(0), I(0), "ff")), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(SET, "iix", I(0), I(16), "ff")), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(NOT, "i", I(0))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(LSHIFT, "iii", I(0), I(8), I(-1))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BITR(LSCAN, "iii", I(0), I(8), I(1))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", P(AERO_MSG_OP_BIT_MODIFY, 14, "")), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", P(AERO_MSG_OP_BIT_READ, AERO_BIT_OP_SET, "iix", I(0), I(8), "ff")),
                     AERO_ERR_PARAMETER);
    /* a blob over the record size limit (1 MiB), hostile sizes refused before anything is allocated */
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(RESIZE, "i", I(1023) * 1024)), 0);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(RESIZE, "i", I(2) * 1024 * 1024)), AERO_ERR_RECORD_TOO_BIG);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(RESIZE, "i", I(100) * 1024 * 1024)), AERO_ERR_RECORD_TOO_BIG);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(RESIZE, "i", I(1) << 40)), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(RESIZE, "i", I(128) * 1024 * 1024)), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BIT(INSERT, "ix", I(1) << 30, "ff")), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BITR(COUNT, "ii", I(0), I(1) << 40)), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", BITR(COUNT, "ii", I(1) << 40, I(8))), AERO_ERR_PARAMETER);
}

/* FNV-1a of the i-th op's value, with its particle type and length: "pt:len:hash". */
static void nth_digest(const tc_answer *a, unsigned i, char *out, size_t cap) {
    uint8_t pt;
    uint32_t len;
    const uint8_t *v = nth_val(a, i, &pt, &len);
    uint64_t h = 0xcbf29ce484222325ULL;
    for (uint32_t k = 0; k < len; k++)
        h = (h ^ v[k]) * 0x100000001b3ULL;
    snprintf(out, cap, "%u:%u:%016llx", pt, len, (unsigned long long)h);
}

/* Like expect(), but entries starting with '#' are compared as digests ("#pt:len:hash"). */
static void expect_d(const tc_answer *a, const char *const *want, size_t n) {
    assert_int_equal(a->result, 0);
    assert_int_equal(a->n_ops, n);
    for (size_t i = 0; i < n; i++) {
        char got[1024];
        if (want[i][0] == '#') {
            nth_digest(a, (unsigned)i, got, sizeof got);
            if (strcmp(got, want[i] + 1) != 0)
                fail_msg("op %zu: #%s, want %s", i, got, want[i]);
        } else {
            nth(a, (unsigned)i, got, sizeof got);
            if (strcmp(got, want[i]) != 0)
                fail_msg("op %zu: %s, want %s", i, got, want[i]);
        }
    }
}

/* The HLL bin of record `key` (malloc'd copy). */
static uint8_t *hll_bin(const char *key, size_t *len) {
    tc_msg m;
    tc_begin(&m, AERO_INFO1_READ, 0, 0, 0, 0);
    tc_key_str(&m, "test", SET, key, false);
    tc_op(&m, AERO_MSG_OP_READ, AERO_PT_NULL, "b", NULL, 0);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    uint8_t pt;
    uint32_t n;
    const uint8_t *v = nth_val(&a, 0, &pt, &n);
    assert_int_equal(pt, AERO_PT_HLL);
    uint8_t *c = malloc(n);
    memcpy(c, v, n);
    *len = n;
    tc_answer_free(&a);
    return c;
}

static void test_hll_small(void **state) {
    (void)state;
    const pay ops[] = {
        HLL(INIT, "ii", I(4), I(4)),
        HLL(ADD, "k", 5, "a", "b", "c", "d", "e"),
        HLLR(COUNT, ""),
        HLL(REFRESH_COUNT, ""),
        HLLR(DESCRIBE, ""),
        HLLR(MAY_CONTAIN, "k", 2, "a", "e"),
        HLLR(MAY_CONTAIN, "k", 1, "zz"),
    };
    static const char *const want[] = {
        NIL,
        INT("0000000000000005"),
        INT("0000000000000006"),
        INT("0000000000000006"),
        "20:920404",
        INT("0000000000000001"),
        INT("0000000000000001"), /* "zz" collides with a register: "may" contain */
        "18:00040406000000000000000000009800000470bc0000035000000000013c00", /* cached count 6 */
    };
    tc_answer a = run("hll", 0, "", ops, sizeof ops / sizeof ops[0], true);
    expect_d(&a, want, sizeof want / sizeof want[0]);
    tc_answer_free(&a);
}

/* Two overlapping sets (0..599 and 300..899: 900 in the union, 300 in common, similarity 1/3)
 * in sketches of `ib` index and `mb` minhash bits: counts, union, intersection, similarity. */
static void sets(int64_t ib, int64_t mb, const char *const *want, size_t n_want) {
    const pay b_ops[] = { HLL(ADD, "nii", I(300), 600, ib, mb) };
    tc_answer a = run("hll-b", 0, "", b_ops, 1, false);
    assert_int_equal(a.result, 0);
    tc_answer_free(&a);
    size_t bn;
    uint8_t *b = hll_bin("hll-b", &bn);
    const pay ops[] = {
        HLL(ADD, "nii", I(0), 600, ib, mb), HLLR(COUNT, ""),
        HLLR(UNION_COUNT, "h", b, bn),      HLLR(INTERSECT_COUNT, "h", b, bn),
        HLLR(SIMILARITY, "H", 1, b, bn),    HLLR(UNION, "h", b, bn),
        HLL(SET_UNION, "h", b, bn),         HLLR(COUNT, ""),
    };
    a = run("hll-a", 0, "", ops, sizeof ops / sizeof ops[0], true);
    expect_d(&a, want, n_want);
    tc_answer_free(&a);
    free(b);
}

static void test_hll_sets(void **state) {
    (void)state;
    static const char *const plain[] = {
        INT("00000000000001e6"),
        INT("0000000000000248"),
        INT("0000000000000377"),
        INT("000000000000011c"),
        "2:3fd47dd5dcca0781",
        "#18:779:cc88c6ea96515573",
        NIL,
        INT("0000000000000377"),
        "#18:779:cc88c6ea96515573",
    };
    sets(10, 0, plain, sizeof plain / sizeof plain[0]);
    static const char *const minhash[] = {
        INT("0000000000000170"),
        INT("000000000000025a"),
        INT("00000000000003a1"),
        INT("0000000000000125"),
        "2:3fd42e9ed894acc3",
        "#18:459:4f45082994a8fb55",
        NIL,
        INT("00000000000003a1"),
        "#18:459:4f45082994a8fb55",
    };
    sets(8, 8, minhash, sizeof minhash / sizeof minhash[0]);
}

static void test_hll_codes(void **state) {
    (void)state;
    const char *hll44 = "00040400000000000000000000000000000000000000000000000000000000";
    /* index / minhash bits out of range, alone and together */
    assert_int_equal(code_of(0, "", HLL(INIT, "ii", I(3), I(0))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(0, "", HLL(INIT, "ii", I(17), I(0))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(0, "", HLL(INIT, "ii", I(8), I(3))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(0, "", HLL(INIT, "ii", I(8), I(52))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(0, "", HLL(INIT, "ii", I(16), I(49))), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(0, "", HLL(INIT, "ii", I(16), I(48))), 0);
    /* flags: allow-fold only for set_union, create-only with update-only never */
    assert_int_equal(code_of(0, "", HLL(INIT, "iii", I(8), I(0), I(AERO_HLL_WRITE_ALLOW_FOLD))), AERO_ERR_PARAMETER);
    assert_int_equal(
        code_of(0, "", HLL(INIT, "iii", I(8), I(0), I(AERO_HLL_WRITE_CREATE_ONLY | AERO_HLL_WRITE_UPDATE_ONLY))),
        AERO_ERR_PARAMETER);
    assert_int_equal(code_of(0, "", HLL(ADD, "kiii", 1, "a", I(8), I(0), I(AERO_HLL_WRITE_UPDATE_ONLY))),
                     AERO_ERR_PARAMETER);
    /* a missing bin: creating needs the index bits; refresh / fold / update-only need the bin */
    assert_int_equal(code_of(0, "", HLL(INIT, "")), AERO_ERR_OP_NOT_APPLICABLE);
    assert_int_equal(code_of(0, "", HLL(ADD, "k", 1, "a")), AERO_ERR_OP_NOT_APPLICABLE);
    assert_int_equal(code_of(0, "", HLL(REFRESH_COUNT, "")), AERO_ERR_BIN_NOT_FOUND);
    assert_int_equal(code_of(0, "", HLL(FOLD, "i", I(4))), AERO_ERR_BIN_NOT_FOUND);
    assert_int_equal(code_of(0, "", HLL(INIT, "iii", I(8), I(0), I(AERO_HLL_WRITE_UPDATE_ONLY))),
                     AERO_ERR_BIN_NOT_FOUND);
    /* an existing bin */
    assert_int_equal(code_of(AERO_PT_HLL, hll44, HLL(INIT, "iii", I(8), I(0), I(AERO_HLL_WRITE_CREATE_ONLY))),
                     AERO_ERR_BIN_EXISTS);
    assert_int_equal(code_of(AERO_PT_HLL, hll44,
                             HLL(INIT, "iii", I(8), I(0), I(AERO_HLL_WRITE_CREATE_ONLY | AERO_HLL_WRITE_NO_FAIL))),
                     0);
    assert_int_equal(code_of(AERO_PT_HLL, hll44, HLL(FOLD, "i", I(4))), AERO_ERR_OP_NOT_APPLICABLE);
    assert_int_equal(code_of(AERO_PT_HLL, hll44, HLL(INIT, "ii", I(-1), I(-1))), 0);
    assert_int_equal(code_of(AERO_PT_HLL, hll44, HLL(INIT, "ii", I(16), I(-1))), 0);
    assert_int_equal(code_of(AERO_PT_STRING, "0341", HLL(ADD, "k", 1, "a")), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_int_equal(code_of(AERO_PT_BLOB, "00", HLLR(COUNT, "")), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_int_equal(code_of(AERO_PT_HLL, hll44, BITR(COUNT, "ii", I(0), I(8))), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    /* bad arguments: an empty element list, a list element, a short HLL, a read code for a write */
    assert_int_equal(code_of(AERO_PT_HLL, hll44, HLL(ADD, "k", 0)), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_HLL, hll44, HLL(ADD, "n", I(0), 0)), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_HLL, hll44, HLLR(UNION_COUNT, "x", "000404")), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_HLL, hll44, P(AERO_MSG_OP_HLL_MODIFY, AERO_HLL_OP_COUNT, "")), AERO_ERR_PARAMETER);
    assert_int_equal(code_of(AERO_PT_HLL, hll44, HLL(REFRESH_COUNT, "i", I(1))), AERO_ERR_PARAMETER);
    /* a stored HLL must be well formed: a size that does not fit its bit counts, unknown flags */
    assert_int_equal(code_of(AERO_PT_HLL, "000404000000000000000000", HLLR(COUNT, "")), AERO_ERR_PARAMETER);
    assert_int_equal(
        code_of(AERO_PT_HLL, "01040400000000000000000000000000000000000000000000000000000000", HLLR(COUNT, "")),
        AERO_ERR_PARAMETER);
}

static void test_hll_fold(void **state) {
    (void)state;
    const pay mk[] = { HLL(ADD, "nii", I(1000), 300, I(10), I(0)) };
    tc_answer a = run("hll-b", 0, "", mk, 1, false);
    assert_int_equal(a.result, 0);
    tc_answer_free(&a);
    size_t bn;
    uint8_t *b = hll_bin("hll-b", &bn);
    /* a union into a bin of more index bits needs allow-fold */
    const pay wide[] = { HLL(INIT, "ii", I(12), I(0)), HLL(SET_UNION, "h", b, bn) };
    a = run("hll-w", 0, "", wide, 2, false);
    assert_int_equal(a.result, AERO_ERR_OP_NOT_APPLICABLE);
    tc_answer_free(&a);
    const pay ops[] = {
        HLL(ADD, "nii", I(0), 200, I(12), I(0)),
        HLL(FOLD, "i", I(6)),
        HLLR(DESCRIBE, ""),
        HLLR(COUNT, ""),
        HLL(SET_UNION, "hi", b, bn, I(AERO_HLL_WRITE_ALLOW_FOLD)),
        HLLR(COUNT, ""),
    };
    static const char *const want[] = {
        INT("00000000000000c3"),   NIL, "20:920600", INT("00000000000000c1"), NIL, INT("00000000000001c3"),
        "#18:59:25b4c890d2348306",
    };
    a = run("hll-w", 0, "", ops, sizeof ops / sizeof ops[0], true);
    expect_d(&a, want, sizeof want / sizeof want[0]);
    tc_answer_free(&a);
    free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bit_modify), cmocka_unit_test(test_bit_integers), cmocka_unit_test(test_bit_reads),
        cmocka_unit_test(test_bit_codes),  cmocka_unit_test(test_hll_small),    cmocka_unit_test(test_hll_sets),
        cmocka_unit_test(test_hll_codes),  cmocka_unit_test(test_hll_fold),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
