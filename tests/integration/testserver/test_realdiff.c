/*
 * test_realdiff.c - answers where aero-testserver once disagreed with a real
 * Aerospike CE 8.1.2.0 server; every expected value here is what the real
 * server answered. Runs against a fresh test server, or against any server
 * when AERO_TS_PORT names a port on 127.0.0.1 (namespace "test"), so the
 * expectations themselves can be checked against a real one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/ael.h>
#include <aero/testserver.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/buf.h"
#include "tsclient.h"

static uint16_t port;
static const char SET[] = "rdiff";

/* True when the server's build is older than major.minor.patch (the test
 * server reports the newest line it follows). */
static bool build_before(int major, int minor, int patch) {
    char *ans = tc_info(port, "build\n");
    char *v = ans ? tc_info_value(ans, "build") : NULL;
    int a = 0, b = 0, c = 0;
    bool older = v && sscanf(v, "%d.%d.%d", &a, &b, &c) == 3 &&
                 (a != major   ? a < major
                  : b != minor ? b < minor
                               : c < patch);
    free(v);
    free(ans);
    return older;
}

static int setup(void **state) {
    const char *ext = getenv("AERO_TS_PORT");
    *state = NULL;
    if (ext && *ext) {
        port = (uint16_t)atoi(ext);
    } else {
        aero_error err;
        aero_testserver *ts = aero_testserver_start(NULL, &err);
        if (!ts)
            return -1;
        *state = ts;
        port = aero_testserver_port(ts, 0);
    }
    /* name "Bob", tags [a,b,c], m {a:1,b:2,c:3}, flag true, n 5 */
    static const uint8_t tags[] = { 0x93, 0xa2, 3, 'a', 0xa2, 3, 'b', 0xa2, 3, 'c' };
    static const uint8_t map[] = { 0x83, 0xa2, 3, 'a', 1, 0xa2, 3, 'b', 2, 0xa2, 3, 'c', 3 };
    static const uint8_t yes = 1;
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", SET, "rd1", false);
    tc_op_str(&m, 2, "name", "Bob");
    tc_op(&m, 2, 20, "tags", tags, sizeof tags);
    tc_op(&m, 2, 19, "m", map, sizeof map);
    tc_op(&m, 2, 17, "flag", &yes, 1);
    tc_op_int(&m, 2, "n", 5);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    int rc = a.closed || a.result != 0 ? -1 : 0;
    tc_answer_free(&a);
    return rc;
}

static int teardown(void **state) {
    if (*state)
        aero_testserver_stop(*state);
    return 0;
}

/* read of rd1 with a filter; the result code (-1 when closed) */
static int filtered(const uint8_t *f, size_t n) {
    tc_msg m;
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_key_str(&m, "test", SET, "rd1", false);
    tc_field(&m, 43, f, n);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    int rc = a.closed ? -1 : a.result;
    tc_answer_free(&a);
    return rc;
}

static int ael_filtered(const char *text) {
    aero_error err;
    aero_expr *e = aero_ael_compile(text, NULL, 0, &err);
    assert_non_null(e);
    size_t n;
    const uint8_t *b = aero_expr_bytes(e, &n);
    int rc = filtered(b, n);
    aero_expr_free(e);
    return rc;
}

/* 1. CDT call arguments are expressions: a bin read as the value, a quoted list */
static void test_cdt_arguments_are_expressions(void **state) {
    (void)state;
    static const struct {
        const char *ael;
        int rc; /* 0 = kept, 27 = filtered out */
    } cases[] = {
        { "$.name in ['Bob', 'Mary']", 0 },
        { "$.name in ['Bobby', 'Mary']", 27 },
        { "$.n in [1, 5]", 0 },
        { "$.n in [1, 6]", 27 },
        { "$.tags.[=a,b].count() == 2", 0 },
        { "$.tags.[=a,z].count() == 1", 0 },
        { "$.tags.[=y,z].count() > 0", 27 },
        { "$.m.{a,b}.count() == 2", 0 },
        { "$.m.{a,z}.count() == 2", 27 },
        { "'a' in $.tags", 0 },
        { "'z' in $.tags", 27 },
        { "$.flag == true", 0 },
        { "not($.flag)", 27 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = ael_filtered(cases[i].ael);
        if (rc != cases[i].rc)
            fail_msg("%s: %d, want %d", cases[i].ael, rc, cases[i].rc);
    }
    /* a bool bin read as BOOL is a filter by itself: [81, 1, "flag"] */
    static const uint8_t flag[] = { 0x93, 0x51, 0x01, 0xa4, 'f', 'l', 'a', 'g' };
    assert_int_equal(filtered(flag, sizeof flag), 0);
    /* list_get_by_value(EXISTS, value = bin "name") over a quoted list, hand-built:
       [127, 1, 0, [22, 13, [81, 3, "name"]], [126, ["Bob"]]] */
    static const uint8_t in[] = { 0x95, 0x7f, 0x01, 0x00, 0x93, 0x16, 0x0d, 0x93, 0x51, 0x03, 0xa4, 'n',
                                  'a',  'm',  'e',  0x92, 0x7e, 0x91, 0xa4, 3,    'B',  'o',  'b' };
    assert_int_equal(filtered(in, sizeof in), 0);
}

/* 3. a filter whose type is not boolean is refused: 4 (not 27) */
static void test_non_boolean_filter(void **state) {
    (void)state;
    static const uint8_t ff[] = { 0xff };
    static const uint8_t nil[] = { 0xc0 };
    static const uint8_t int_bin[] = { 0x93, 0x51, 0x02, 0xa4, 'f', 'l', 'a', 'g' }; /* [81, INT, "flag"] */
    assert_int_equal(filtered(ff, sizeof ff), 4);
    assert_int_equal(filtered(nil, sizeof nil), 4);
    assert_int_equal(filtered(int_bin, sizeof int_bin), 4);
    /* arithmetic over other or mixed types is refused too: 4 */
    static const uint8_t pow_int[] = {
        0x93, 0x03, 0x93, 0x18, 0x93, 0x51, 0x07, 0xa1, 'n', 0x02, 0xcb, 0x40, 0x82, 0xc0, 0, 0, 0, 0, 0
    }; /* pow(float bin n, 2) > 600.0 */
    static const uint8_t mod_float[] = { 0x93, 0x01, 0x93, 0x1a, 0xcb, 0x40, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x01 };
    static const uint8_t add_mixed[] = { 0x93, 0x03, 0x93, 0x14, 0x02, 0xcb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x01 };
    static const uint8_t add_ints[] = { 0x93, 0x03, 0x93, 0x14, 0x02, 0x01, 0x01 }; /* 2 + 1 > 1 */
    assert_int_equal(filtered(pow_int, sizeof pow_int), 4);
    assert_int_equal(filtered(mod_float, sizeof mod_float), 4);
    assert_int_equal(filtered(add_mixed, sizeof add_mixed), 4);
    assert_int_equal(filtered(add_ints, sizeof add_ints), 0);
}

/* one request on fd; the first message's info3 and result (false when closed) */
static bool first_answer(int fd, tc_msg *m, uint8_t *info3, uint8_t *result) {
    if (!tc_send(fd, m->b.data, m->b.len))
        return false;
    uint8_t type, *body;
    size_t len;
    if (!tc_read_frame(fd, &type, &body, &len))
        return false;
    bool ok = type == 3 && len >= 22;
    if (ok) {
        *info3 = body[3];
        *result = body[5];
    }
    free(body);
    return ok;
}

enum { R_NS, R_NO_PDONE, R_PID, R_NO_PIDS, R_TRID, R_FILTER, R_BIN16 };

static void refused_scan(tc_msg *m, int kind, uint64_t trid) {
    uint8_t pids[2] = { 1, 0 }, big[2] = { 0x00, 0x10 }; /* 1, 4096 */
    uint8_t t[8];
    aero_set_u64be(t, trid);
    tc_begin(m, 1, 0, kind == R_NO_PDONE ? 0 : 4, 0, 0);
    tc_field(m, 0, kind == R_NS ? "nons" : "test", 4);
    tc_field(m, 1, SET, strlen(SET));
    tc_field(m, 7, t, 8);
    if (kind == R_PID)
        tc_field(m, 11, big, 2);
    else if (kind != R_NO_PIDS)
        tc_field(m, 11, pids, 2);
    if (kind == R_FILTER)
        tc_field(m, 43, "\xff", 1);
    if (kind == R_BIN16)
        tc_op(m, 1, 0, "abcdefghijklmnop", NULL, 0);
    tc_end(m);
}

/* 2. a scan refused before it starts: ONE message, info3 = 0 (no LAST), connection kept */
static void test_refused_scan_keeps_connection(void **state) {
    (void)state;
    static const struct {
        int kind;
        uint8_t rc;
    } cases[] = { { R_NS, 20 },  { R_NO_PDONE, 16 }, { R_PID, 4 },  { R_NO_PIDS, 16 },
                  { R_TRID, 4 }, { R_FILTER, 4 },    { R_BIN16, 4 } };
    uint64_t base = ((uint64_t)getpid() << 24) ^ (uint64_t)(uintptr_t)&base;
    /* servers before 8.1.2 take a 16-byte bin name in a scan: it runs, and its
     * first answer is the last (rc 0, info3 LAST) */
    bool before_812 = build_before(8, 1, 2);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool runs = cases[i].kind == R_BIN16 && before_812;
        uint8_t want = runs ? 0 : cases[i].rc, want_info3 = runs ? 1 : 0;
        int fd = tc_connect(port);
        assert_true(fd >= 0);
        uint64_t trid = (base + i) & 0x7fffffffffffffffull;
        tc_msg m;
        uint8_t info3 = 0xee, rc = 0xee;
        if (cases[i].kind == R_TRID) { /* a first, complete scan with that task id */
            refused_scan(&m, R_FILTER + 100, trid);
            tc_stream_free(tc_call_stream(port, &m));
            tc_free(&m);
        }
        refused_scan(&m, cases[i].kind, trid);
        assert_true(first_answer(fd, &m, &info3, &rc));
        tc_free(&m);
        if (rc != want || info3 != want_info3)
            fail_msg("case %zu: rc %u info3 %02x, want rc %u info3 %02x", i, rc, info3, want, want_info3);
        /* nothing else comes, and the connection still serves requests */
        tc_begin(&m, 3, 0, 0, 0, 0);
        tc_key_str(&m, "test", SET, "rd1", false);
        tc_end(&m);
        assert_true(first_answer(fd, &m, &info3, &rc));
        assert_int_equal(rc, 0);
        assert_int_equal(info3, 0);
        tc_free(&m);
        close(fd);
    }
}

/* one batch-index request (field 41) of rows in namespaces ns[i] ("" = no namespace field) */
static tc_stream *batch(const char *const *ns, size_t n) {
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    uint8_t *h = aero_buf__append(&b, 5);
    aero_set_u32be(h, (uint32_t)n);
    h[4] = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t row[25 + 5];
        char key[8];
        snprintf(key, sizeof key, "rd%zu", i + 1);
        aero_set_u32be(row, (uint32_t)i);
        tc_msg tmp; /* the digest of key "rdN" in SET */
        tc_begin(&tmp, 0, 0, 0, 0, 0);
        tc_key_str(&tmp, "test", SET, key, false);
        memcpy(row + 4, tmp.b.data + tmp.b.len - 20, 20);
        tc_free(&tmp);
        row[24] = 0; /* row flags: not a repeat */
        row[25] = 3; /* info1: read all */
        size_t nsl = strlen(ns[i]);
        aero_set_u16be(row + 26, nsl ? 2 : 1);
        aero_set_u16be(row + 28, 0);
        aero_buf__put(&b, row, sizeof row);
        uint8_t f[5];
        if (nsl) {
            aero_set_u32be(f, (uint32_t)nsl + 1);
            f[4] = 0;
            aero_buf__put(&b, f, 5);
            aero_buf__put(&b, ns[i], nsl);
        }
        aero_set_u32be(f, (uint32_t)strlen(SET) + 1);
        f[4] = 1;
        aero_buf__put(&b, f, 5);
        aero_buf__put(&b, SET, strlen(SET));
    }
    assert_false(b.failed);
    tc_msg m;
    tc_begin(&m, 1 | 8, 0, 0, 0, 0);
    tc_field(&m, 41, b.data, b.len);
    tc_end(&m);
    aero_buf__free(&b);
    tc_stream *s = tc_call_stream(port, &m);
    tc_free(&m);
    return s;
}

/* 4. an empty batch, or one with a row in an unknown namespace: one LAST message with 4 */
static void test_batch_refused(void **state) {
    (void)state;
    static const char *const good[] = { "test", "test" }, *const bad2[] = { "test", "nons" },
                             *const bad1[] = { "nons", "test" }, *const none[] = { "test", "" };
    const char *const *reqs[] = { good, bad2, bad1, none };
    for (size_t i = 0; i < 4; i++) {
        tc_stream *s = batch(reqs[i], 2);
        assert_false(s->closed);
        if (i == 0) { /* rd1 found, rd2 not, then LAST 0 */
            assert_int_equal(s->n, 3);
            assert_int_equal(s->msgs[2].result, 0);
        } else {
            assert_int_equal(s->n, 1);
            assert_int_equal(s->msgs[0].result, 4);
        }
        assert_true(s->msgs[s->n - 1].info3 & 1);
        tc_stream_free(s);
    }
    tc_stream *s = batch(NULL, 0);
    assert_int_equal(s->n, 1);
    assert_int_equal(s->msgs[0].result, 4);
    assert_true(s->msgs[0].info3 & 1);
    tc_stream_free(s);
}

/* 5. RESPOND_ALL_OPS echoes each write op's own type (touch is not echoed) */
static void test_respond_all_ops_types(void **state) {
    (void)state;
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", SET, "rao", false);
    tc_op_int(&m, 2, "a", 1);
    tc_op_str(&m, 2, "s", "x");
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 0);
    tc_answer_free(&a);
    tc_begin(&m, 1, 1 | 0x80, 0, 0, 0);
    tc_key_str(&m, "test", SET, "rao", false);
    tc_op_int(&m, 5, "a", 1);      /* increment */
    tc_op(&m, 1, 0, "a", NULL, 0); /* read */
    tc_op_str(&m, 9, "s", "y");    /* append */
    tc_op_str(&m, 10, "s", "z");   /* prepend */
    tc_op_int(&m, 2, "b", 3);      /* write */
    tc_op(&m, 11, 0, "", NULL, 0); /* touch: no answer op */
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    assert_int_equal(a.result, 0);
    static const uint8_t want[] = { 5, 1, 9, 10, 2 };
    assert_int_equal(a.n_ops, sizeof want);
    const uint8_t *p = a.ops;
    for (size_t i = 0; i < sizeof want; i++) {
        assert_true(p + 8 <= a.body + a.len);
        uint32_t sz = aero_get_u32be(p);
        assert_int_equal(p[4], want[i]);
        if (want[i] == 1)
            assert_int_equal(aero_get_u64be(p + 9), 2); /* a + 1, name "a" */
        p += 4 + sz;
    }
    tc_answer_free(&a);
}

/* an answer's result and generation; *vt receives the void time */
static int call_gen(tc_msg *m, uint32_t *gen, uint32_t *vt) {
    tc_end(m);
    tc_answer a = tc_call(port, m);
    tc_free(m);
    int rc = a.closed ? -1 : a.result;
    *gen = a.gen;
    *vt = a.void_time;
    tc_answer_free(&a);
    return rc;
}

/* 6. errors found once the record is looked up carry its generation and void time */
static void test_errors_carry_generation(void **state) {
    (void)state;
    uint32_t gen, vt, gen0, vt0;
    tc_msg m;
    tc_begin(&m, 0, 1 | 2, 0, 0, 0); /* delete: start from generation 0 */
    tc_key_str(&m, "test", SET, "gen", false);
    call_gen(&m, &gen, &vt);
    for (int i = 0; i < 2; i++) { /* generation 2, ttl 1000 */
        tc_begin(&m, 0, 1, 0, 0, 1000);
        tc_key_str(&m, "test", SET, "gen", false);
        tc_op_int(&m, 2, "a", i);
        assert_int_equal(call_gen(&m, &gen0, &vt0), 0);
    }
    assert_int_equal(gen0, 2);
    assert_int_not_equal(vt0, 0);
    static const char set64[] = "ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss";
    uint8_t d[20];
    tc_begin(&m, 0, 0, 0, 0, 0);
    tc_key_str(&m, "test", SET, "gen", false);
    memcpy(d, m.b.data + m.b.len - 20, 20);
    tc_free(&m);
    for (int k = 0; k < 6; k++) {
        int want = k == 2 ? 21 : 4;
        tc_begin(&m, k >= 2 && k <= 4 ? 1 : 0, k >= 2 && k <= 4 ? 0 : 1, 0, 0, 0);
        tc_field(&m, 0, "test", 4);
        tc_field(&m, 1, k == 1 || k == 4 ? set64 : SET, k == 1 || k == 4 ? 64 : strlen(SET));
        tc_field(&m, 4, d, 20);
        switch (k) {
        case 0: tc_op_int(&m, 99, "a", 1); break;                    /* unknown op (write) */
        case 1: tc_op_int(&m, 2, "a", 1); break;                     /* 64-byte set name (write) */
        case 2: tc_op(&m, 1, 0, "abcdefghijklmnop", NULL, 0); break; /* 16-byte bin name (read) */
        case 3: tc_op_int(&m, 99, "a", 1); break;                    /* unknown op (read) */
        case 4: tc_op(&m, 1, 0, "a", NULL, 0); break;                /* 64-byte set name (read) */
        default:                                                     /* generation mismatch beats the unknown op: 3 */
            want = 3;
            m.b.data[10] |= 4;
            aero_set_u32be(m.b.data + 14, 77);
            tc_op_int(&m, 99, "a", 1);
        }
        int rc = call_gen(&m, &gen, &vt);
        if (rc != want || gen != gen0 || (vt == 0) != (vt0 == 0))
            fail_msg("case %d: rc %d gen %u vt %u, want rc %d gen %u", k, rc, gen, vt, want, gen0);
    }
    /* on a missing record a read answers 2 first */
    tc_begin(&m, 1, 0, 0, 0, 0);
    tc_key_str(&m, "test", SET, "gen-missing", false);
    tc_op_int(&m, 99, "a", 1);
    assert_int_equal(call_gen(&m, &gen, &vt), 2);
}

/* 7. replicas-master is ns:<base64> (no regime / count prefix); replicas-all ns:<count>,<base64> */
/* one-op write of a list (20) or map (19) particle to bin "o" of record rd-ord; the result code */
static int write_collection(uint8_t ptype, const uint8_t *v, size_t n) {
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", SET, "rd-ord", false);
    tc_op(&m, 2, ptype, "o", v, n);
    uint32_t gen, vt;
    return call_gen(&m, &gen, &vt);
}

/* 8. an ordered collection that is not sorted is refused with 1, not stored or sorted */
static void test_unsorted_ordered_collections(void **state) {
    (void)state;
    /* key-ordered {"b": 1, "a": 2}, then sorted {"a": 2, "b": 1} */
    static const uint8_t kb_a[] = { 0x83, 0xc7, 0, 1, 0xc0, 0xa2, 3, 'b', 1, 0xa2, 3, 'a', 2 };
    static const uint8_t ka_b[] = { 0x83, 0xc7, 0, 1, 0xc0, 0xa2, 3, 'a', 2, 0xa2, 3, 'b', 1 };
    /* kv-ordered with a duplicate key, an unordered {"b": 1, "a": 2} (fine) */
    static const uint8_t dup[] = { 0x83, 0xc7, 0, 3, 0xc0, 0xa2, 3, 'a', 1, 0xa2, 3, 'a', 2 };
    static const uint8_t unord[] = { 0x82, 0xa2, 3, 'b', 1, 0xa2, 3, 'a', 2 };
    /* ordered list [2, 1]; [1, 1, 2] is fine; an unordered list holding the unsorted map */
    static const uint8_t l21[] = { 0x93, 0xc7, 0, 1, 2, 1 };
    static const uint8_t l112[] = { 0x94, 0xc7, 0, 1, 1, 1, 2 };
    static const uint8_t nested[] = { 0x91, 0x83, 0xc7, 0, 1, 0xc0, 0xa2, 3, 'b', 1, 0xa2, 3, 'a', 2 };
    /* int keys sort before string keys: {"a": 1, 5: 2} is out of order */
    static const uint8_t mixed[] = { 0x83, 0xc7, 0, 1, 0xc0, 0xa2, 3, 'a', 1, 5, 2 };
    assert_int_equal(write_collection(19, kb_a, sizeof kb_a), 1);
    assert_int_equal(write_collection(19, ka_b, sizeof ka_b), 0);
    assert_int_equal(write_collection(19, dup, sizeof dup), 1);
    assert_int_equal(write_collection(19, unord, sizeof unord), 0);
    assert_int_equal(write_collection(20, l21, sizeof l21), 1);
    assert_int_equal(write_collection(20, l112, sizeof l112), 0);
    assert_int_equal(write_collection(20, nested, sizeof nested), 1);
    assert_int_equal(write_collection(19, mixed, sizeof mixed), 1);
}

static void test_replicas_formats(void **state) {
    (void)state;
    char *ans = tc_info(port, "replicas-master\nreplicas-all\nreplicas\n");
    assert_non_null(ans);
    char *master = tc_info_value(ans, "replicas-master");
    char *all = tc_info_value(ans, "replicas-all");
    char *rep = tc_info_value(ans, "replicas");
    assert_non_null(master);
    assert_non_null(all);
    assert_non_null(rep);
    assert_int_equal(strncmp(master, "test:", 5), 0);
    assert_int_equal(strlen(master), 5 + 684); /* 4096 bits in base64 */
    assert_null(strchr(master, ','));
    assert_int_equal(strncmp(all, "test:1,", 7), 0);
    assert_int_equal(strncmp(rep, "test:0,1,", 9), 0);
    assert_string_equal(master + 5, all + 7);
    free(master);
    free(all);
    free(rep);
    free(ans);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cdt_arguments_are_expressions),
        cmocka_unit_test(test_non_boolean_filter),
        cmocka_unit_test(test_refused_scan_keeps_connection),
        cmocka_unit_test(test_batch_refused),
        cmocka_unit_test(test_respond_all_ops_types),
        cmocka_unit_test(test_errors_carry_generation),
        cmocka_unit_test(test_replicas_formats),
        cmocka_unit_test(test_unsorted_ordered_collections),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
