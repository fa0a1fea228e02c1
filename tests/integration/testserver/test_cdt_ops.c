/*
 * test_cdt_ops.c - list and map ops (op 3 reads, op 4 modifies) through the
 * wire: every list and map op code of proto/cdt_ops.h, every return type
 * and INVERTED, the list and map write flags, sort flags, ordered storage,
 * cross-type ordering, contexts (with the create variants), misuse result
 * codes and hostile payloads (huge pads and indexes, deep values and
 * contexts, huge counts).
 *
 * Most cases are rows of a table written as text: the bin before, the ops
 * ("L_APPEND 5, ORD_ORDERED", names from proto/cdt_ops.h) and the answer
 * (each op's result, then the bin after; or the result code). The answers
 * were recorded from an 8.1.2.0 server and agree with 8.1.1.2.
 *
 * Runs against a fresh test server, or against any server when AERO_TS_PORT
 * names a port on 127.0.0.1 (namespace "test"). With AERO_CDT_RECORD set the
 * table's answers are printed instead of checked (to record them from a real
 * server); AERO_CDT_SPLIT also runs each op of a case alone.
 *
 * Mind a shared real server: the h.* cases pad lists to two billion
 * elements, which a real server builds (gigabytes, seconds) before it
 * answers 13.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/testserver.h>

#include <ctype.h>
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
    tc_op(&m, AERO_MSG_OP_WRITE, ptype, bin, v, vn);
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    assert_false(a.closed);
    assert_int_equal(a.result, 0);
    tc_answer_free(&a);
    tc_begin(&m, AERO_INFO1_READ, AERO_INFO2_WRITE | AERO_INFO2_RESPOND_ALL_OPS, 0, 0, 0);
    tc_key_str(&m, "test", SET, key, false);
    for (size_t i = 0; i < n; i++)
        tc_op(&m, AERO_MSG_OP_CDT_MODIFY, AERO_PT_BLOB, bin, ops[i].b, ops[i].n);
    tc_op(&m, AERO_MSG_OP_READ, AERO_PT_NULL, bin, NULL, 0);
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
        INT("02"), "1:fffffffffffffffd", INT("04"), "20:92a20361a20363", INT("01"), INT("01"), "19:81a20362fd",
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

/* ---- table-driven cases: values and ops written as text ---------------- */

/*
 * Symbols usable in case text: list ops L_<NAME>, map ops M_<NAME>, return
 * types RT_<NAME>, context types CTX_<NAME>, order flags ORD_<NAME>, list
 * write flags LW_<NAME>, sort flags SORT_<NAME>, map write flags MW_<NAME>,
 * all from proto/cdt_ops.h.
 */
typedef struct sym {
    const char *name;
    int64_t v;
} sym;
#define XS(pfx)       XS_##pfx
#define XS_L(n, v)    { "L_" #n, (v) },
#define XS_M(n, v)    { "M_" #n, (v) },
#define XS_RT(n, v)   { "RT_" #n, (v) },
#define XS_CTX(n, v)  { "CTX_" #n, (v) },
#define XS_ORD(n, v)  { "ORD_" #n, (v) },
#define XS_LW(n, v)   { "LW_" #n, (v) },
#define XS_SORT(n, v) { "SORT_" #n, (v) },
#define XS_MW(n, v)   { "MW_" #n, (v) },
static const sym SYMS[] = { AERO_LIST_OPS(XS_L) AERO_MAP_OPS(XS_M) AERO_CDT_RETURN_TYPES(XS_RT)
                                AERO_CDT_CTX_TYPES(XS_CTX) AERO_CDT_ORDER_FLAGS(XS_ORD) AERO_LIST_WRITE_FLAGS(XS_LW)
                                    AERO_LIST_SORT_FLAGS(XS_SORT) AERO_MAP_WRITE_FLAGS(XS_MW) };

static void skip_ws(const char **s) {
    while (**s == ' ' || **s == ',' || **s == ':')
        (*s)++;
}

static int64_t symbol(const char **s) {
    const char *b = *s;
    while ((**s >= 'A' && **s <= 'Z') || (**s >= '0' && **s <= '9') || **s == '_')
        (*s)++;
    for (size_t i = 0; i < sizeof SYMS / sizeof SYMS[0]; i++)
        if (strlen(SYMS[i].name) == (size_t)(*s - b) && memcmp(SYMS[i].name, b, (size_t)(*s - b)) == 0)
            return SYMS[i].v;
    fail_msg("unknown symbol %.*s", (int)(*s - b), b);
    return 0;
}

static unsigned hexbyte(const char *h) {
    unsigned x = 0;
    sscanf(h, "%2x", &x);
    return x;
}

/* One int term: decimal or a symbol. */
static int64_t int_one(const char **s) {
    if (**s >= 'A' && **s <= 'Z')
        return symbol(s);
    const char *b = *s;
    int64_t v = strtoll(b, (char **)s, 10);
    if (*s == b)
        fail_msg("not a value: %.20s", b);
    return v;
}

/* An int: terms OR'ed with '|'. */
static int64_t int_term(const char **s) {
    int64_t v = int_one(s);
    while (**s == '|') {
        (*s)++;
        v |= int_one(s);
    }
    return v;
}

/*
 * One value of the case notation into b: ints and symbols, doubles (with a
 * '.'), "str" (string), 'str' (blob), nil, true, false, [..], {k: v, ..},
 * ext<N> (an ordered collection header with flags N), * (wildcard), inf,
 * raw<hex> (bytes as they are). Returns the number of values written.
 */
static void value(const char **s, aero_buf *b);

static void container(const char **s, aero_buf *b, char close, bool map) {
    aero_buf sub;
    aero_buf__init(&sub, NULL, 0);
    uint32_t n = 0;
    (*s)++;
    skip_ws(s);
    while (**s != close) {
        assert_true(**s != 0);
        value(s, &sub);
        n++;
        skip_ws(s);
    }
    (*s)++;
    if (map)
        aero_mp__pack_map_header(b, n / 2);
    else
        aero_mp__pack_array_header(b, n);
    aero_buf__put(b, sub.data, sub.len);
    aero_buf__free(&sub);
}

static void value(const char **s, aero_buf *b) {
    skip_ws(s);
    const char *p = *s;
    if (*p == '[' || *p == '{') {
        container(s, b, *p == '[' ? ']' : '}', *p == '{');
    } else if (*p == '"' || *p == '\'') {
        const char *e = strchr(p + 1, *p);
        aero_mp__pack_particle_str(b, *p == '"' ? AERO_PT_STRING : AERO_PT_BLOB, p + 1, (size_t)(e - p - 1));
        *s = e + 1;
    } else if (strncmp(p, "nil", 3) == 0 || strncmp(p, "true", 4) == 0 || strncmp(p, "false", 5) == 0) {
        if (*p == 'n')
            aero_mp__pack_nil(b);
        else
            aero_mp__pack_bool(b, *p == 't');
        *s += *p == 'n' ? 3 : *p == 't' ? 4 : 5;
    } else if (strncmp(p, "ext", 3) == 0) {
        *s += 3;
        uint8_t h[3] = { 0xc7, 0, (uint8_t)strtol(*s, (char **)s, 10) };
        aero_buf__put(b, h, 3);
    } else if (strncmp(p, "inf", 3) == 0 || *p == '*') {
        uint8_t h[3] = { 0xd4, 0xff, *p == '*' ? 0 : 1 };
        aero_buf__put(b, h, 3);
        *s += *p == '*' ? 1 : 3;
    } else if (strncmp(p, "raw", 3) == 0) {
        for (*s += 3; isxdigit((unsigned char)**s); *s += 2) {
            uint8_t x = (uint8_t)hexbyte(*s);
            aero_buf__put(b, &x, 1);
        }
    } else {
        const char *e = p + (*p == '-');
        while (isdigit((unsigned char)*e))
            e++;
        if (*e == '.')
            aero_mp__pack_double(b, strtod(p, (char **)s));
        else
            aero_mp__pack_int(b, int_term(s));
    }
}

/* Print one msgpack value in the case notation. */
static void show(aero_mp_reader *r, char *o, size_t cap, size_t *at);

static void put(char *o, size_t cap, size_t *at, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (*at < cap)
        *at += (size_t)vsnprintf(o + *at, cap - *at, fmt, ap);
    va_end(ap);
}

static uint64_t be(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void show_double(double d, char *o, size_t cap, size_t *at) {
    char t[40];
    snprintf(t, sizeof t, "%.17g", d);
    put(o, cap, at, strpbrk(t, ".en") ? "%s" : "%s.0", t);
}

static void show_str(const uint8_t *p, uint32_t n, bool bin, char *o, size_t cap, size_t *at) {
    if (!bin && n > 0 && (p[0] == AERO_PT_STRING || p[0] == AERO_PT_BLOB)) {
        put(o, cap, at, p[0] == AERO_PT_STRING ? "\"%.*s\"" : "'%.*s'", (int)n - 1, (const char *)p + 1);
        return;
    }
    put(o, cap, at, bin ? "bin" : "str");
    for (uint32_t i = 0; i < n; i++)
        put(o, cap, at, "%02x", p[i]);
}

/* msgpack families the printer tells apart */
enum { K_ARRAY = 1, K_MAP, K_STR, K_BIN, K_EXT, K_FIXEXT };

static void show(aero_mp_reader *r, char *o, size_t cap, size_t *at) {
    if (*at >= cap) /* the line is full: what is left is not shown (nor walked, however deep) */
        return;
    assert_true(r->p < r->end);
    uint8_t c = *r->p++;
    uint32_t n = 0, len = 0;
    int kind = 0;
    if (c <= 0x7f || c >= 0xe0) {
        put(o, cap, at, "%d", (int)(int8_t)c < 0 ? (int)(int8_t)c : (int)c);
        return;
    }
    if ((c & 0xf0) == 0x90 || (c & 0xf0) == 0x80) {
        kind = (c & 0xf0) == 0x90 ? K_ARRAY : K_MAP;
        n = c & 0x0f;
    } else if ((c & 0xe0) == 0xa0) {
        kind = K_STR;
        len = c & 0x1f;
    } else {
        static const struct {
            uint8_t c;
            int kind, w;
        } T[] = { { 0xdc, K_ARRAY, 2 },  { 0xdd, K_ARRAY, 4 },  { 0xde, K_MAP, 2 },    { 0xdf, K_MAP, 4 },
                  { 0xd9, K_STR, 1 },    { 0xda, K_STR, 2 },    { 0xdb, K_STR, 4 },    { 0xc4, K_BIN, 1 },
                  { 0xc5, K_BIN, 2 },    { 0xc6, K_BIN, 4 },    { 0xc7, K_EXT, 1 },    { 0xc8, K_EXT, 2 },
                  { 0xc9, K_EXT, 4 },    { 0xd4, K_FIXEXT, 1 }, { 0xd5, K_FIXEXT, 2 }, { 0xd6, K_FIXEXT, 4 },
                  { 0xd7, K_FIXEXT, 8 }, { 0xd8, K_FIXEXT, 16 } };
        for (size_t i = 0; i < sizeof T / sizeof T[0] && !kind; i++)
            if (T[i].c == c) {
                kind = T[i].kind;
                len = kind == K_FIXEXT ? (uint32_t)T[i].w : (uint32_t)be(r->p, T[i].w);
                r->p += kind == K_FIXEXT ? 0 : T[i].w;
                if (kind == K_FIXEXT)
                    kind = K_EXT;
                n = len;
            }
    }
    switch (kind) {
    case K_ARRAY:
    case K_MAP:
        put(o, cap, at, kind == K_ARRAY ? "[" : "{");
        for (uint32_t i = 0; i < n; i++) {
            if (i)
                put(o, cap, at, ", ");
            show(r, o, cap, at);
            if (kind == K_MAP) {
                put(o, cap, at, ": ");
                show(r, o, cap, at);
            }
        }
        put(o, cap, at, kind == K_ARRAY ? "]" : "}");
        return;
    case K_STR:
    case K_BIN:
        show_str(r->p, len, kind == K_BIN, o, cap, at);
        r->p += len;
        return;
    case K_EXT: {
        int8_t t = (int8_t)*r->p++;
        if (len == 0)
            put(o, cap, at, "ext%d", t);
        else if (t == -1 && len == 1)
            put(o, cap, at, r->p[0] ? "inf" : "*");
        else
            put(o, cap, at, "ext%d:%u", t, len);
        r->p += len;
        return;
    }
    default: break;
    }
    static const struct {
        uint8_t c;
        int w;
        char kind; /* u unsigned, s signed, f float, d double, n nil / false / true */
    } N[] = { { 0xc0, 0, 'n' }, { 0xc2, 0, 'n' }, { 0xc3, 0, 'n' }, { 0xcc, 1, 'u' }, { 0xcd, 2, 'u' },
              { 0xce, 4, 'u' }, { 0xcf, 8, 'u' }, { 0xd0, 1, 's' }, { 0xd1, 2, 's' }, { 0xd2, 4, 's' },
              { 0xd3, 8, 's' }, { 0xca, 4, 'f' }, { 0xcb, 8, 'd' } };
    for (size_t i = 0; i < sizeof N / sizeof N[0]; i++) {
        if (N[i].c != c)
            continue;
        uint64_t u = be(r->p, N[i].w);
        r->p += N[i].w;
        if (N[i].kind == 'n') {
            put(o, cap, at, c == 0xc0 ? "nil" : c == 0xc2 ? "false" : "true");
        } else if (N[i].kind == 'u') {
            put(o, cap, at, "%llu", (unsigned long long)u);
        } else if (N[i].kind == 's') {
            int sh = 64 - 8 * N[i].w;
            put(o, cap, at, "%lld", (long long)((int64_t)(u << sh) >> sh));
        } else if (N[i].kind == 'f') {
            uint32_t u32 = (uint32_t)u;
            float f;
            memcpy(&f, &u32, 4);
            show_double(f, o, cap, at);
        } else {
            double d;
            memcpy(&d, &u, 8);
            show_double(d, o, cap, at);
        }
        return;
    }
    put(o, cap, at, "?%02x", c);
}

/* One op of an answer in the case notation. */
static void show_op(const uint8_t *op, char *o, size_t cap, size_t *at) {
    uint8_t pt = op[5];
    uint32_t len = aero_get_u32be(op) - 4 - op[7];
    const uint8_t *v = op + 8 + op[7];
    if (pt == AERO_PT_NULL) {
        put(o, cap, at, "nil");
    } else if (pt == AERO_PT_INTEGER && len == 8) {
        put(o, cap, at, "%lld", (long long)(int64_t)aero_get_u64be(v));
    } else if (pt == AERO_PT_FLOAT && len == 8) {
        uint64_t u = aero_get_u64be(v);
        double d;
        memcpy(&d, &u, 8);
        show_double(d, o, cap, at);
    } else if (pt == AERO_PT_BOOL && len == 1) {
        put(o, cap, at, v[0] ? "true" : "false");
    } else if (pt == AERO_PT_STRING || pt == AERO_PT_BLOB) {
        put(o, cap, at, pt == AERO_PT_STRING ? "\"%.*s\"" : "'%.*s'", (int)len, (const char *)v);
    } else if (pt == AERO_PT_LIST || pt == AERO_PT_MAP) {
        aero_mp_reader r = { v, v + len };
        show(&r, o, cap, at);
    } else {
        put(o, cap, at, "pt%u", pt);
    }
}

/*
 * A case: the bin's value before (NULL: the record has no such bin), ops
 * (each "<op symbol> args..."; "CTX [ctx items] <op symbol> args..." runs
 * the op inside a context), and the answer: the result code when not 0,
 * otherwise each op's result then the bin after, separated by "; ".
 */
typedef struct cdt_case {
    const char *name, *bin, *want;
    const char *ops[6];
} cdt_case;

/* Build one op payload from its text; *modify tells whether it is a modify op. */
static void op_payload(const char *text, aero_buf *b, bool *modify) {
    const char *s = text;
    skip_ws(&s);
    bool ctx = strncmp(s, "CTX ", 4) == 0;
    aero_buf ctxb;
    aero_buf__init(&ctxb, NULL, 0);
    if (ctx) {
        s += 4;
        value(&s, &ctxb);
        skip_ws(&s);
    }
    int64_t code = int_term(&s);
    aero_buf args;
    aero_buf__init(&args, NULL, 0);
    uint32_t n = 0;
    for (skip_ws(&s); *s; skip_ws(&s), n++)
        value(&s, &args);
    if (ctx) {
        aero_mp__pack_array_header(b, 3);
        aero_mp__pack_int(b, AERO_CDT_OP_CONTEXT_EVAL);
        aero_buf__put(b, ctxb.data, ctxb.len);
    }
    aero_mp__pack_array_header(b, n + 1);
    aero_mp__pack_int(b, code);
    aero_buf__put(b, args.data, args.len);
    *modify = !((code >= AERO_LIST_OP_SIZE && code < AERO_LIST_OP_REMOVE_BY_INDEX) || code >= AERO_MAP_OP_SIZE);
    aero_buf__free(&args);
    aero_buf__free(&ctxb);
}

/* Run a case on a fresh record; the answer in the case notation. */
static void run_case(const cdt_case *c, char *got, size_t cap) {
    tc_msg m;
    aero_buf v;
    aero_buf__init(&v, NULL, 0);
    tc_begin(&m, 0, AERO_INFO2_WRITE, AERO_INFO3_CREATE_OR_REPLACE, 0, 0);
    tc_key_str(&m, "test", SET, c->name, false);
    if (c->bin) {
        const char *s = c->bin;
        value(&s, &v);
        tc_op(&m, AERO_MSG_OP_WRITE, *c->bin == '{' ? AERO_PT_MAP : AERO_PT_LIST, "b", v.data, v.len);
    } else {
        tc_op_int(&m, AERO_MSG_OP_WRITE, "x", 1);
    }
    tc_end(&m);
    tc_answer a = tc_call(port, &m);
    tc_free(&m);
    aero_buf__free(&v);
    assert_false(a.closed);
    if (a.result != 0) { /* the server refused the value itself */
        snprintf(got, cap, "write %u", a.result);
        tc_answer_free(&a);
        return;
    }
    tc_answer_free(&a);
    tc_begin(&m, AERO_INFO1_READ, AERO_INFO2_WRITE | AERO_INFO2_RESPOND_ALL_OPS, 0, 0, 0);
    tc_key_str(&m, "test", SET, c->name, false);
    for (size_t i = 0; i < 6 && c->ops[i]; i++) {
        aero_buf p;
        aero_buf__init(&p, NULL, 0);
        bool modify;
        op_payload(c->ops[i], &p, &modify);
        tc_op(&m, modify ? AERO_MSG_OP_CDT_MODIFY : AERO_MSG_OP_CDT_READ, AERO_PT_BLOB, "b", p.data, p.len);
        aero_buf__free(&p);
    }
    tc_op(&m, AERO_MSG_OP_READ, AERO_PT_NULL, "b", NULL, 0);
    tc_end(&m);
    a = tc_call(port, &m);
    tc_free(&m);
    size_t at = 0;
    got[0] = 0;
    if (a.closed) {
        put(got, cap, &at, "closed");
    } else if (a.result != 0) {
        put(got, cap, &at, "%u", a.result);
    } else {
        const uint8_t *p = a.ops;
        for (unsigned k = 0; k < a.n_ops; k++) {
            if (k)
                put(got, cap, &at, "; ");
            show_op(p, got, cap, &at);
            p += 4 + aero_get_u32be(p);
        }
    }
    tc_answer_free(&a);
}

/* Run cases; with AERO_CDT_RECORD set, print every answer instead of checking it. */
static void run_cases(const cdt_case *cs, size_t n) {
    bool record = getenv("AERO_CDT_RECORD") != NULL;
    int bad = 0;
    if (getenv("AERO_CDT_SPLIT")) /* each op alone, to see which one a case's result code comes from */
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < 6 && cs[i].ops[k]; k++) {
                cdt_case one = { cs[i].name, cs[i].bin, "", { cs[i].ops[k] } };
                char got[1024];
                run_case(&one, got, sizeof got);
                printf("SPLIT\t%s#%zu\t%s\n", cs[i].name, k, got);
            }
    for (size_t i = 0; i < n; i++) {
        char got[1024];
        run_case(&cs[i], got, sizeof got);
        if (record)
            printf("CASE\t%s\t%s\n", cs[i].name, got);
        else if (strcmp(got, cs[i].want) != 0) {
            print_error("%s: got \"%s\", want \"%s\"\n", cs[i].name, got, cs[i].want);
            bad++;
        }
    }
    if (bad)
        fail_msg("%d of %zu cases differ", bad, n);
}

static const cdt_case LIST_CASES[] = {
    /* set_type, append with order, pad, persist-index */
    { "l.settype.ord", "[3, 1, 2]", "nil; 3; [ext1, 1, 2, 3]", { "L_SET_TYPE ORD_ORDERED", "L_SIZE" } },
    { "l.settype.unord", "[ext1, 1, 2, 3]", "nil; [1, 2, 3]", { "L_SET_TYPE ORD_UNORDERED" } },
    { "l.settype.persist", "[3, 1]", "nil; [ext1, 1, 3]", { "L_SET_TYPE ORD_ORDERED|ORD_PERSIST_INDEX" } },
    { "l.settype.bad", "[3, 1]", "26", { "L_SET_TYPE 7" } },
    { "l.settype.nobin", NULL, "nil; [ext1]", { "L_SET_TYPE ORD_ORDERED" } },
    { "l.append.create.ord",
      NULL,
      "1; 2; [ext1, 1, 5]",
      { "L_APPEND 5, ORD_ORDERED, 0", "L_APPEND 1, ORD_ORDERED, 0" } },
    { "l.append.ord.exist",
      "[ext1, 1, 5]",
      "3; 6; [ext1, 0, 1, 3, 4, 5, 9]",
      { "L_APPEND 3", "L_APPEND_ITEMS [9, 0, 4]" } },
    { "l.append.unique", "[1, 2]", "24", { "L_APPEND_ITEMS [3, 1], 0, LW_ADD_UNIQUE" } },
    { "l.append.unique.partial",
      "[1, 2]",
      "4; [1, 2, 3, 4]",
      { "L_APPEND_ITEMS [3, 1, 4], 0, LW_ADD_UNIQUE|LW_NO_FAIL|LW_PARTIAL" } },
    { "l.append.unique.nofail", "[1, 2]", "2; [1, 2]", { "L_APPEND_ITEMS [3, 1, 4], 0, LW_ADD_UNIQUE|LW_NO_FAIL" } },
    { "l.append.unique.dupinitems", "[1]", "26", { "L_APPEND_ITEMS [3, 3], 0, LW_ADD_UNIQUE" } },
    { "l.append.items.empty", "[1]", "1; [1]", { "L_APPEND_ITEMS []" } },
    { "l.append.items.notlist", "[1]", "4", { "L_APPEND_ITEMS 5" } },
    { "l.append.wrongbin", "{\"a\": 1}", "12", { "L_APPEND 1" } },
    { "l.append.noargs", "[1]", "4", { "L_APPEND" } },
    /* insert, pad, bounded */
    { "l.insert.neg", "[1, 2, 3]", "4; [1, 2, 9, 3]", { "L_INSERT -1, 9" } },
    { "l.insert.pad", "[1]", "4; [1, nil, nil, 9]", { "L_INSERT 3, 9" } },
    { "l.insert.negout", "[1, 2]", "26", { "L_INSERT -5, 9" } },
    { "l.insert.bounded", "[1, 2]", "3; [1, 2, 9]", { "L_INSERT 2, 9, LW_INSERT_BOUNDED" } },
    { "l.insert.bounded.out", "[1, 2]", "26", { "L_INSERT 3, 9, LW_INSERT_BOUNDED" } },
    { "l.insert.bounded.nofail", "[1, 2]", "2; [1, 2]", { "L_INSERT 3, 9, LW_INSERT_BOUNDED|LW_NO_FAIL" } },
    { "l.insert.items", "[1, 2]", "4; [1, 7, 8, 2]", { "L_INSERT_ITEMS 1, [7, 8]" } },
    { "l.insert.items.pad", "[1]", "4; [1, nil, 7, 8]", { "L_INSERT_ITEMS 2, [7, 8]" } },
    { "l.insert.ordered", "[ext1, 1, 2]", "26", { "L_INSERT 0, 5" } },
    { "l.insert.huge", "[1]", "13", { "L_INSERT 1000000000, 9" } },
    { "l.insert.hugeneg", "[1]", "26", { "L_INSERT -1000000000, 9" } },
    { "l.insert.unique", "[1, 2]", "24", { "L_INSERT 0, 2, LW_ADD_UNIQUE" } },
    /* set, increment */
    { "l.set.pad", "[1]", "nil; [1, nil, nil, 9]", { "L_SET 3, 9" } },
    { "l.set.neg", "[1, 2]", "nil; [1, 9]", { "L_SET -1, 9" } },
    { "l.set.negout", "[1, 2]", "26", { "L_SET -3, 9" } },
    { "l.set.huge", "[1]", "13", { "L_SET 100000000, 9" } },
    { "l.set.bounded", "[1]", "26", { "L_SET 3, 9, LW_INSERT_BOUNDED" } },
    { "l.set.unique", "[1, 2]", "24", { "L_SET 0, 2, LW_ADD_UNIQUE" } },
    { "l.set.ordered", "[ext1, 1, 2]", "26", { "L_SET 0, 5" } },
    { "l.incr", "[1, 2.5]", "2; 4.5; 3; [3, 4.5]", { "L_INCREMENT 0", "L_INCREMENT 1, 2", "L_INCREMENT 0, 1.5" } },
    { "l.incr.pad", "[1]", "5; [1, nil, 5]", { "L_INCREMENT 2, 5" } },
    { "l.incr.str", "[\"a\"]", "4", { "L_INCREMENT 0, 1" } },
    { "l.incr.baddelta", "[1]", "4", { "L_INCREMENT 0, \"x\"" } },
    { "l.incr.ordered", "[ext1, 1, 5]", "11; [ext1, 5, 11]", { "L_INCREMENT 0, 10" } },
    { "l.incr.nobin", NULL, "3; [3]", { "L_INCREMENT 0, 3" } },
    /* pop, remove, trim, clear */
    { "l.pop", "[1, 2, 3]", "26", { "L_POP -1", "L_POP 5" } },
    { "l.pop.range", "[1, 2, 3, 4]", "[3, 4]; [1]; [2]", { "L_POP_RANGE -2", "L_POP_RANGE 0, 1" } },
    { "l.pop.range.negcount", "[1, 2, 3, 4]", "[2, 3, 4]; [1]", { "L_POP_RANGE 1, -1" } },
    { "l.remove", "[1, 2, 3]", "26", { "L_REMOVE 1", "L_REMOVE 9" } },
    { "l.remove.range", "[1, 2, 3, 4]", "2; [1, 4]", { "L_REMOVE_RANGE -3, 2" } },
    { "l.remove.range.out", "[1, 2]", "0; [1, 2]", { "L_REMOVE_RANGE -5, 2" } },
    { "l.trim", "[1, 2, 3, 4, 5]", "3; [3, 4]", { "L_TRIM -3, 2" } },
    { "l.trim.out", "[1, 2, 3]", "3; []", { "L_TRIM 5, 2" } },
    { "l.trim.nocount", "[1, 2, 3]", "4", { "L_TRIM 1" } },
    { "l.clear.ord",
      "[ext1, 1, 2]",
      "nil; 1; 2; 3; [ext1, -1, 0, 9]",
      { "L_CLEAR", "L_APPEND 0", "L_APPEND 9", "L_APPEND -1" } },
    { "l.pop.nobin", NULL, "nil; nil", { "L_POP 0" } },
    /* sort and cross-type order */
    { "l.sort.types",
      "[{\"a\": 1}, 'b', 1.5, [1], \"s\", 3, true, nil, false, -2]",
      "nil; [nil, false, true, -2, 3, \"s\", [1], {\"a\": 1}, 'b', 1.5]",
      { "L_SORT 0" } },
    { "l.sort.desc.dedup", "[3, 1, 2, 3, 1]", "4", { "L_SORT SORT_DESCENDING|SORT_DROP_DUPLICATES" } },
    { "l.sort.dedup", "[3, 1, 2, 3, 1]", "nil; [1, 2, 3]", { "L_SORT SORT_DROP_DUPLICATES" } },
    { "l.sort.desc", "[3, 1, 2]", "nil; [3, 2, 1]", { "L_SORT SORT_DESCENDING" } },
    { "l.sort.ordered", "[ext1, 1, 2, 2]", "nil; [ext1, 1, 2]", { "L_SORT SORT_DROP_DUPLICATES" } },
    { "l.sort.lists", "[[2], [1, 5], [1], [1, 2, 3], []]", "nil; [[], [1], [1, 2, 3], [1, 5], [2]]", { "L_SORT 0" } },
    { "l.sort.maps",
      "[{\"b\": 1}, {\"a\": 2}, {\"a\": 1, \"b\": 1}, {}]",
      "nil; [{}, {\"a\": 2}, {\"b\": 1}, {\"a\": 1, \"b\": 1}]",
      { "L_SORT 0" } },
    { "l.sort.strs",
      "[\"b\", \"ab\", \"a\", \"\", 'z', 'a']",
      "nil; [\"\", \"a\", \"ab\", \"b\", 'a', 'z']",
      { "L_SORT 0" } },
    { "l.sort.nums", "[2.5, 2, 1.0, -1, -0.5, 3]", "nil; [-1, 2, 3, -0.5, 1.0, 2.5]", { "L_SORT 0" } },
    /* get by index / range / value / rank, every return type */
    { "l.get", "[1, 2, 3]", "26", { "L_GET 1", "L_GET -1", "L_GET 5", "L_SIZE" } },
    { "l.get.range",
      "[1, 2, 3]",
      "[2, 3]; [2]; []; [1, 2, 3]",
      { "L_GET_RANGE 1", "L_GET_RANGE -2, 1", "L_GET_RANGE 5, 1" } },
    { "l.byindex.rt",
      "[5, 3, 9]",
      "1; 1; 0; 2; 1; 3; [5, 3, 9]",
      { "L_GET_BY_INDEX RT_INDEX, 1", "L_GET_BY_INDEX RT_REVERSE_INDEX, 1", "L_GET_BY_INDEX RT_RANK, 1",
        "L_GET_BY_INDEX RT_REVERSE_RANK, 1", "L_GET_BY_INDEX RT_COUNT, 1", "L_GET_BY_INDEX RT_VALUE, 1" } },
    { "l.byindex.rt2",
      "[5, 3, 9]",
      "26",
      { "L_GET_BY_INDEX RT_EXISTS, 1", "L_GET_BY_INDEX RT_NONE, 1", "L_GET_BY_INDEX RT_VALUE, 7",
        "L_GET_BY_INDEX RT_INDEX, 7", "L_GET_BY_INDEX RT_COUNT, 7", "L_GET_BY_INDEX RT_EXISTS, 7" } },
    { "l.byindex.key", "[5, 3, 9]", "26", { "L_GET_BY_INDEX RT_KEY, 1" } },
    { "l.byindex.kv", "[5, 3, 9]", "26", { "L_GET_BY_INDEX RT_KEY_VALUE, 1" } },
    { "l.byindex.map", "[5, 3, 9]", "26", { "L_GET_BY_INDEX RT_ORDERED_MAP, 1" } },
    { "l.byindex.umap", "[5, 3, 9]", "26", { "L_GET_BY_INDEX RT_UNORDERED_MAP, 1" } },
    { "l.byindex.inv", "[5, 3, 9]", "26", { "L_GET_BY_INDEX RT_VALUE|RT_INVERTED, 1" } },
    { "l.byindex.badrt", "[5, 3, 9]", "26", { "L_GET_BY_INDEX 40, 1" } },
    { "l.byrank",
      "[5, 3, 9]",
      "26",
      { "L_GET_BY_RANK RT_VALUE, 0", "L_GET_BY_RANK RT_INDEX, -1", "L_GET_BY_RANK RT_VALUE, 3" } },
    { "l.byrank.inv", "[5, 3, 9]", "26", { "L_GET_BY_RANK RT_VALUE|RT_INVERTED, 0" } },
    { "l.byvalue",
      "[5, 3, 5, 9]",
      "26",
      { "L_GET_BY_VALUE RT_INDEX, 5", "L_GET_BY_VALUE RT_COUNT, 5", "L_GET_BY_VALUE RT_VALUE|RT_INVERTED, 5",
        "L_GET_BY_VALUE RT_EXISTS, 4", "L_GET_BY_VALUE RT_RANK, 5", "L_GET_BY_VALUE RT_REVERSE_INDEX, 5" } },
    { "l.allbyvalue",
      "[5, 3, 5, 9]",
      "[0, 2]; [5, 3, 5, 9]; [5, 3, 5, 9]",
      { "L_GET_ALL_BY_VALUE RT_INDEX, 5", "L_GET_ALL_BY_VALUE RT_VALUE, *" } },
    { "l.byvaluelist",
      "[5, 3, 5, 9]",
      "[0, 2, 3]; [3]; 0; [5, 3, 5, 9]",
      { "L_GET_ALL_BY_VALUE_LIST RT_INDEX, [9, 5]", "L_GET_ALL_BY_VALUE_LIST RT_VALUE|RT_INVERTED, [9, 5]",
        "L_GET_ALL_BY_VALUE_LIST RT_COUNT, []" } },
    { "l.byvaluelist.notlist", "[5]", "4", { "L_GET_ALL_BY_VALUE_LIST RT_COUNT, 5" } },
    { "l.indexrange",
      "[5, 3, 9, 1]",
      "[3, 9]; [9, 1]; [0, 3]; []; 3; [0, 1, 2, 3]; [5, 3, 9, 1]",
      { "L_GET_BY_INDEX_RANGE RT_VALUE, 1, 2", "L_GET_BY_INDEX_RANGE RT_VALUE, -2",
        "L_GET_BY_INDEX_RANGE RT_INDEX|RT_INVERTED, 1, 2", "L_GET_BY_INDEX_RANGE RT_RANK, -10, 2",
        "L_GET_BY_INDEX_RANGE RT_COUNT, 1, -1", "L_GET_BY_INDEX_RANGE RT_REVERSE_RANK, 0" } },
    { "l.indexrange.neg",
      "[5, 3, 9, 1]",
      "[1]; []; [5, 3, 9, 1]; [5, 3, 9, 1]",
      { "L_GET_BY_INDEX_RANGE RT_VALUE, -1, -2", "L_GET_BY_INDEX_RANGE RT_VALUE, 3, 0",
        "L_GET_BY_INDEX_RANGE RT_VALUE|RT_INVERTED, -10, 1" } },
    { "l.interval",
      "[5, 3, 9, 1, nil, \"a\"]",
      "[5, 3]; [0, 1, 2, 5]; [3, 1, nil]; [9, 1, nil, \"a\"]; []; [5, 3, 9, \"a\"]; [5, 3, 9, 1, nil, \"a\"]",
      { "L_GET_BY_VALUE_INTERVAL RT_VALUE, 3, 9", "L_GET_BY_VALUE_INTERVAL RT_INDEX, 3",
        "L_GET_BY_VALUE_INTERVAL RT_VALUE, nil, 5", "L_GET_BY_VALUE_INTERVAL RT_VALUE|RT_INVERTED, 3, 9",
        "L_GET_BY_VALUE_INTERVAL RT_VALUE, 9, 3", "L_GET_BY_VALUE_INTERVAL RT_VALUE, 3, inf" } },
    { "l.interval.nilend", "[5, 3, nil]", "[]; [5, 3, nil]", { "L_GET_BY_VALUE_INTERVAL RT_VALUE, 3, nil" } },
    { "l.rankrange",
      "[5, 3, 9, 1]",
      "[5, 3]; [9]; [0, 2]; [1, 2]; [2, 3]; [2, 0]; [5, 3, 9, 1]",
      { "L_GET_BY_RANK_RANGE RT_VALUE, 1, 2", "L_GET_BY_RANK_RANGE RT_VALUE, -1",
        "L_GET_BY_RANK_RANGE RT_INDEX|RT_INVERTED, 0, 2", "L_GET_BY_RANK_RANGE RT_RANK, -3, 2",
        "L_GET_BY_RANK_RANGE RT_REVERSE_RANK, 0, 2", "L_GET_BY_RANK_RANGE RT_REVERSE_INDEX, 0, 2" } },
    { "l.relrank",
      "[0, 4, 5, 9, 11, 15]",
      "[5, 9, 11, 15]; [5, 4]; []; []; [0, 4, 11, 15]; [0, 1]; [0, 4, 5, 9, 11, 15]",
      { "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 5, 0", "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 5, -1, 2",
        "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 3, -3, 1", "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 19, 0",
        "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE|RT_INVERTED, 5, 0, 2",
        "L_GET_BY_VALUE_REL_RANK_RANGE RT_INDEX, 3, -3, 4" } },
    { "l.relrank.neg",
      "[0, 4, 5, 9, 11, 15]",
      "[15, 11, 9, 5, 4, 0]; []; [9, 11, 15]; [0, 4, 5, 9, 11, 15]",
      { "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 5, -10", "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 5, 10",
        "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 5, 1, -1" } },
    { "l.ordered.reads",
      "[ext1, 1, 3, 3, 7]",
      "1; [1, 2]; [7]; 3; [ext1, 1, 3, 3, 7]",
      { "L_GET_BY_VALUE RT_INDEX, 3", "L_GET_BY_VALUE_INTERVAL RT_RANK, 2, 7",
        "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 4, 0", "L_GET_BY_RANK RT_INDEX, 3" } },
    { "l.read.empty",
      "[]",
      "26",
      { "L_GET_BY_INDEX RT_VALUE, 0", "L_GET_BY_RANK_RANGE RT_VALUE, 0", "L_GET_BY_VALUE RT_INDEX, 1" } },
    { "l.read.nobin", NULL, "nil; nil; nil", { "L_GET_BY_INDEX RT_VALUE, 0", "L_SIZE" } },
    { "l.read.mapbin", "{\"a\": 1}", "12", { "L_SIZE" } },
    { "l.read.badop", "[1]", "4", { "L_GET_BY_INDEX" } },
    /* remove_by_*, every selector */
    { "l.rm.value.one", "[1, 2, 1, 1]", "1; [2, 1, 1]", { "L_REMOVE_BY_VALUE RT_COUNT, 1" } },
    { "l.rm.value.idx", "[1, 2, 1, 1]", "0; [2, 1, 1]", { "L_REMOVE_BY_VALUE RT_INDEX, 1" } },
    { "l.rm.value.inv", "[1, 2, 1, 3]", "26", { "L_REMOVE_BY_VALUE RT_VALUE|RT_INVERTED, 1" } },
    { "l.rm.allvalue", "[1, 2, 1, 1]", "[0, 2, 3]; [2]", { "L_REMOVE_ALL_BY_VALUE RT_INDEX, 1" } },
    { "l.rm.allvalue.inv", "[1, 2, 1, 3]", "[2, 3]; [1, 1]", { "L_REMOVE_ALL_BY_VALUE RT_VALUE|RT_INVERTED, 1" } },
    { "l.rm.index", "[1, 2, 3]", "26", { "L_REMOVE_BY_INDEX RT_VALUE, -1", "L_REMOVE_BY_INDEX RT_VALUE, 9" } },
    { "l.rm.index.inv", "[1, 2, 3]", "26", { "L_REMOVE_BY_INDEX RT_VALUE|RT_INVERTED, 0" } },
    { "l.rm.rank", "[5, 2, 3]", "1; nil; [5]", { "L_REMOVE_BY_RANK RT_INDEX, 0", "L_REMOVE_BY_RANK RT_NONE, 0" } },
    { "l.rm.rank.inv", "[5, 2, 3]", "26", { "L_REMOVE_BY_RANK RT_INDEX|RT_INVERTED, 0" } },
    { "l.rm.valuelist", "[5, 2, 3, 2]", "[2, 0]; [5, 3]", { "L_REMOVE_ALL_BY_VALUE_LIST RT_REVERSE_INDEX, [2, 7]" } },
    { "l.rm.valuelist.inv",
      "[5, 2, 3, 2]",
      "[5, 3]; [2, 2]",
      { "L_REMOVE_ALL_BY_VALUE_LIST RT_VALUE|RT_INVERTED, [2, 7]" } },
    { "l.rm.indexrange", "[5, 2, 3, 2]", "2; [5, 2]", { "L_REMOVE_BY_INDEX_RANGE RT_COUNT, 1, 2" } },
    { "l.rm.indexrange.inv",
      "[5, 2, 3, 2]",
      "[5, 2]; [2, 3]",
      { "L_REMOVE_BY_INDEX_RANGE RT_VALUE|RT_INVERTED, 1, 2" } },
    { "l.rm.interval", "[5, 2, 3, 2]", "[0, 1, 2]; [5]", { "L_REMOVE_BY_VALUE_INTERVAL RT_RANK, 2, 4" } },
    { "l.rm.interval.inv",
      "[5, 2, 3, 2]",
      "[5]; [2, 3, 2]",
      { "L_REMOVE_BY_VALUE_INTERVAL RT_VALUE|RT_INVERTED, 2, 4" } },
    { "l.rm.rankrange", "[5, 2, 3, 2]", "[3, 5]; [2, 2]", { "L_REMOVE_BY_RANK_RANGE RT_VALUE, -2" } },
    { "l.rm.rankrange.inv", "[5, 2, 3, 2]", "[2, 2]; [5, 3]", { "L_REMOVE_BY_RANK_RANGE RT_VALUE|RT_INVERTED, -2" } },
    { "l.rm.relrank", "[5, 2, 3, 2]", "[3, 2]; [5, 2]", { "L_REMOVE_BY_VALUE_REL_RANK_RANGE RT_VALUE, 3, -1, 2" } },
    { "l.rm.relrank.inv",
      "[5, 2, 3, 2]",
      "[5, 2]; [3, 2]",
      { "L_REMOVE_BY_VALUE_REL_RANK_RANGE RT_VALUE|RT_INVERTED, 3, -1, 2" } },
    { "l.rm.nothing", "[5, 2]", "0; [5, 2]", { "L_REMOVE_BY_VALUE RT_COUNT, 7" } },
    { "l.rm.nobin", NULL, "nil; nil", { "L_REMOVE_BY_INDEX RT_VALUE, 0" } },
    { "l.rm.rt.map", "[5, 2]", "26", { "L_REMOVE_BY_INDEX_RANGE RT_ORDERED_MAP, 0" } },
    { "l.rm.exists", "[5, 2]", "true; [5]", { "L_REMOVE_BY_VALUE_INTERVAL RT_EXISTS, 0, 3" } },
    /* misuse */
    { "l.op.unknown", "[1]", "4", { "L_SIZE", "L_SET_TYPE" } },
    { "l.op.mapop", "[1]", "12", { "M_PUT 1, 2" } },
    { "l.op.badidx", "[1]", "4", { "L_POP \"x\"" } },
    { "l.op.toomany", "[1]", "4", { "L_POP 0, 1, 2, 3" } },
};

static const cdt_case MAP_CASES[] = {
    { "m.write.sorted",
      "{\"c\": 3, 1: 1, \"a\": {\"z\": 1, \"b\": [{\"y\": 1, \"x\": 2}]}}",
      "{1: 1, \"a\": {\"b\": [{\"x\": 2, \"y\": 1}], \"z\": 1}, \"c\": 3}",
      { 0 } },
    { "m.write.unsorted.ord", "{ext1: nil, \"c\": 3, \"a\": 1}", "write 1", { 0 } },
    { "l.write.unsorted.ord", "[ext1, 3, 1]", "write 1", { 0 } },
    { "l.write.nested", "[{\"z\": 1, \"b\": 2}]", "[{\"b\": 2, \"z\": 1}]", { 0 } },
    /* set policy, ordered storage */
    { "m.settype.k", "{\"b\": 2, \"a\": 1}", "nil; {ext1: nil, \"a\": 1, \"b\": 2}", { "M_SET_TYPE ORD_ORDERED" } },
    { "m.settype.kv",
      "{\"b\": 2, \"a\": 1}",
      "nil; {ext3: nil, \"a\": 1, \"b\": 2}",
      { "M_SET_TYPE ORD_MAP_KV_ORDERED" } },
    { "m.settype.unord",
      "{ext1: nil, \"a\": 1, \"b\": 2}",
      "nil; {\"a\": 1, \"b\": 2}",
      { "M_SET_TYPE ORD_UNORDERED" } },
    { "m.settype.persist",
      "{\"b\": 2, \"a\": 1}",
      "nil; {ext1: nil, \"a\": 1, \"b\": 2}",
      { "M_SET_TYPE ORD_ORDERED|ORD_PERSIST_INDEX" } },
    { "m.settype.bad", "{\"b\": 2}", "nil; {ext2: nil, \"b\": 2}", { "M_SET_TYPE 2" } },
    { "m.settype.nobin", NULL, "nil; {ext1: nil}", { "M_SET_TYPE ORD_ORDERED" } },
    /* put / add / replace and their items, flags */
    { "m.put.create.k",
      NULL,
      "1; 2; {ext1: nil, \"a\": 1, \"b\": 2}",
      { "M_PUT \"b\", 2, ORD_ORDERED", "M_PUT \"a\", 1, ORD_ORDERED" } },
    { "m.put.create.kv",
      NULL,
      "2; {ext3: nil, \"a\": 1, \"b\": 2}",
      { "M_PUT_ITEMS {\"b\": 2, \"a\": 1}, ORD_MAP_KV_ORDERED" } },
    { "m.put.unordered", "{\"b\": 2}", "2; 2; {\"a\": 1, \"b\": 3}", { "M_PUT \"a\", 1", "M_PUT \"b\", 3" } },
    { "m.put.ordered",
      "{ext1: nil, \"a\": 1, \"c\": 3}",
      "3; {ext1: nil, \"a\": 1, \"b\": 2, \"c\": 3}",
      { "M_PUT \"b\", 2" } },
    { "m.put.attrchange", "{\"b\": 2}", "2; {\"a\": 1, \"b\": 2}", { "M_PUT \"a\", 1, ORD_ORDERED" } },
    { "m.put.createonly", "{\"a\": 1}", "24", { "M_PUT \"a\", 2, 0, MW_CREATE_ONLY" } },
    { "m.put.updateonly", "{\"a\": 1}", "23", { "M_PUT \"b\", 2, 0, MW_UPDATE_ONLY" } },
    { "m.put.updateonly.ok", "{\"a\": 1}", "1; {\"a\": 2}", { "M_PUT \"a\", 2, 0, MW_UPDATE_ONLY" } },
    { "m.put.updateonly.nofail", "{\"a\": 1}", "1; {\"a\": 1}", { "M_PUT \"b\", 2, 0, MW_UPDATE_ONLY|MW_NO_FAIL" } },
    { "m.putitems.partial",
      "{\"a\": 1}",
      "2; {\"a\": 1, \"b\": 2}",
      { "M_PUT_ITEMS {\"a\": 5, \"b\": 2}, 0, MW_CREATE_ONLY|MW_NO_FAIL|MW_PARTIAL" } },
    { "m.putitems.nopartial",
      "{\"a\": 1}",
      "1; {\"a\": 1}",
      { "M_PUT_ITEMS {\"a\": 5, \"b\": 2}, 0, MW_CREATE_ONLY|MW_NO_FAIL" } },
    { "m.putitems.fail", "{\"a\": 1}", "24", { "M_PUT_ITEMS {\"a\": 5, \"b\": 2}, 0, MW_CREATE_ONLY" } },
    { "m.putitems.empty", "{\"a\": 1}", "1; {\"a\": 1}", { "M_PUT_ITEMS {}" } },
    { "m.putitems.notmap", "{\"a\": 1}", "4", { "M_PUT_ITEMS [1, 2]" } },
    { "m.add",
      "{\"a\": 1}",
      "2; 3; {\"a\": 1, \"b\": 2, \"c\": 3}",
      { "M_ADD \"b\", 2", "M_ADD \"c\", 3, ORD_ORDERED" } },
    { "m.add.exists", "{\"a\": 1}", "24", { "M_ADD \"a\", 2" } },
    { "m.add.4args", "{\"a\": 1}", "4", { "M_ADD \"b\", 2, 0, 0" } },
    { "m.additems", "{\"a\": 1}", "3; {\"a\": 1, \"b\": 2, \"c\": 3}", { "M_ADD_ITEMS {\"b\": 2, \"c\": 3}" } },
    { "m.additems.exists", "{\"a\": 1}", "24", { "M_ADD_ITEMS {\"b\": 2, \"a\": 3}" } },
    { "m.additems.3args", "{\"a\": 1}", "4", { "M_ADD_ITEMS {\"b\": 2}, 0, 0" } },
    { "m.replace", "{\"a\": 1}", "1; {\"a\": 5}", { "M_REPLACE \"a\", 5" } },
    { "m.replace.missing", "{\"a\": 1}", "23", { "M_REPLACE \"b\", 5" } },
    { "m.replace.4args", "{\"a\": 1}", "4", { "M_REPLACE \"a\", 5, 0, 0" } },
    { "m.replaceitems", "{\"a\": 1, \"b\": 2}", "2; {\"a\": 5, \"b\": 6}", { "M_REPLACE_ITEMS {\"a\": 5, \"b\": 6}" } },
    { "m.replaceitems.missing", "{\"a\": 1}", "23", { "M_REPLACE_ITEMS {\"a\": 5, \"c\": 6}" } },
    { "m.replace.nobin", NULL, "23", { "M_REPLACE \"a\", 5" } },
    { "m.put.listbin", "[1]", "12", { "M_PUT \"a\", 1" } },
    { "m.put.keylist", "{\"a\": 1}", "4", { "M_PUT [1], 1" } },
    { "m.put.keymap", "{\"a\": 1}", "4", { "M_PUT {1: 1}, 1" } },
    { "m.put.keydouble", "{\"a\": 1}", "4", { "M_PUT 1.5, 1" } },
    { "m.put.keynil", "{\"a\": 1}", "4", { "M_PUT nil, 1" } },
    { "m.put.keyblob", "{\"a\": 1}", "2; {\"a\": 1, 'x': 1}", { "M_PUT 'x', 1" } },
    { "m.put.intkeys",
      "{}",
      "1; 2; 3; {-1: \"a\", 2: \"b\", \"s\": 0}",
      { "M_PUT 2, \"b\"", "M_PUT -1, \"a\"", "M_PUT \"s\", 0" } },
    /* increment / decrement */
    { "m.incr",
      "{\"a\": 1, \"f\": 1.5}",
      "3; 5; -7; 2.5; {\"a\": -7, \"f\": 2.5, \"n\": 5}",
      { "M_INCREMENT \"a\", 2", "M_INCREMENT \"n\", 5", "M_DECREMENT \"a\", 10", "M_INCREMENT \"f\", 1" } },
    { "m.incr.nodelta", "{\"a\": 1}", "2; -1; {\"a\": 2, \"b\": -1}", { "M_INCREMENT \"a\"", "M_DECREMENT \"b\"" } },
    { "m.incr.str", "{\"a\": \"x\"}", "4", { "M_INCREMENT \"a\", 2" } },
    { "m.incr.baddelta", "{\"a\": 1}", "4", { "M_INCREMENT \"a\", \"x\"" } },
    { "m.incr.intfloat", "{\"a\": 1}", "2; {\"a\": 2}", { "M_INCREMENT \"a\", 1.5" } },
    { "m.incr.ordered", "{ext1: nil, \"b\": 1}", "3; {ext1: nil, \"a\": 3, \"b\": 1}", { "M_INCREMENT \"a\", 3" } },
    { "m.incr.kvordered", "{ext3: nil, \"b\": 1}", "3; {ext3: nil, \"a\": 3, \"b\": 1}", { "M_INCREMENT \"a\", 3" } },
    { "m.clear", "{ext1: nil, \"b\": 1}", "nil; 0; {ext1: nil}", { "M_CLEAR", "M_SIZE" } },
    /* reads: key, key list, interval, relative index, value, value list, interval, relative rank, index, rank */
    { "m.bykey",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "2; \"b\"; {ext8: nil, \"b\": 2}; 2; 0; nil; {\"a\": 1, \"b\": 2, \"c\": 3}",
      { "M_GET_BY_KEY RT_VALUE, \"b\"", "M_GET_BY_KEY RT_KEY, \"b\"", "M_GET_BY_KEY RT_KEY_VALUE, \"b\"",
        "M_GET_BY_KEY RT_INDEX, \"c\"", "M_GET_BY_KEY RT_REVERSE_RANK, \"c\"", "M_GET_BY_KEY RT_VALUE, \"z\"" } },
    { "m.bykey.rt",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "{ext1: nil, \"b\": 2}; {\"b\": 2}; false; 1; nil; {ext8: nil}; {\"a\": 1, \"b\": 2, \"c\": 3}",
      { "M_GET_BY_KEY RT_ORDERED_MAP, \"b\"", "M_GET_BY_KEY RT_UNORDERED_MAP, \"b\"", "M_GET_BY_KEY RT_EXISTS, \"z\"",
        "M_GET_BY_KEY RT_COUNT, \"b\"", "M_GET_BY_KEY RT_NONE, \"b\"", "M_GET_BY_KEY RT_KEY_VALUE, \"z\"" } },
    { "m.bykey.inv", "{\"a\": 1, \"b\": 2, \"c\": 3}", "26", { "M_GET_BY_KEY RT_VALUE|RT_INVERTED, \"b\"" } },
    { "m.bykeylist",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "[1, 3]; [\"a\", \"b\"]; {ext1: nil, \"a\": 1, \"c\": 3}; {\"a\": 1, \"b\": 2, \"c\": 3}",
      { "M_GET_BY_KEY_LIST RT_VALUE, [\"c\", \"a\", \"z\"]", "M_GET_BY_KEY_LIST RT_KEY|RT_INVERTED, [\"c\"]",
        "M_GET_BY_KEY_LIST RT_ORDERED_MAP, [\"c\", \"a\"]" } },
    { "m.keyinterval",
      "{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}",
      "[\"b\", \"c\"]; [\"b\", \"c\", \"d\"]; [\"a\", \"d\"]; 2; []; {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}",
      { "M_GET_BY_KEY_INTERVAL RT_KEY, \"b\", \"d\"", "M_GET_BY_KEY_INTERVAL RT_KEY, \"b\"",
        "M_GET_BY_KEY_INTERVAL RT_KEY|RT_INVERTED, \"b\", \"d\"", "M_GET_BY_KEY_INTERVAL RT_COUNT, nil, \"c\"",
        "M_GET_BY_KEY_INTERVAL RT_KEY, \"b\", nil" } },
    { "m.keyrel",
      "{\"a\": 1, \"c\": 3, \"e\": 5, \"g\": 7}",
      "[\"c\", \"e\", \"g\"]; [\"e\"]; [\"c\", \"e\"]; [\"a\", \"c\"]; []; [\"g\"]; {\"a\": 1, \"c\": 3, \"e\": 5, "
      "\"g\": 7}",
      { "M_GET_BY_KEY_REL_INDEX_RANGE RT_KEY, \"c\", 0", "M_GET_BY_KEY_REL_INDEX_RANGE RT_KEY, \"d\", 0, 1",
        "M_GET_BY_KEY_REL_INDEX_RANGE RT_KEY, \"d\", -1, 2",
        "M_GET_BY_KEY_REL_INDEX_RANGE RT_KEY|RT_INVERTED, \"d\", 0",
        "M_GET_BY_KEY_REL_INDEX_RANGE RT_KEY, \"a\", -5, 2", "M_GET_BY_KEY_REL_INDEX_RANGE RT_KEY, \"z\", -1" } },
    { "m.byvalue",
      "{\"a\": 2, \"b\": 1, \"c\": 2}",
      "26",
      { "M_GET_BY_VALUE RT_KEY, 2", "M_GET_ALL_BY_VALUE RT_KEY, 2", "M_GET_BY_VALUE RT_KEY|RT_INVERTED, 2",
        "M_GET_BY_VALUE RT_RANK, 2", "M_GET_BY_VALUE RT_COUNT, 9" } },
    { "m.byvaluelist",
      "{\"a\": 2, \"b\": 1, \"c\": 3}",
      "[\"a\", \"c\"]; [\"b\"]; {\"a\": 2, \"b\": 1, \"c\": 3}",
      { "M_GET_BY_VALUE_LIST RT_KEY, [3, 2]", "M_GET_BY_VALUE_LIST RT_KEY|RT_INVERTED, [3, 2]" } },
    { "m.valueinterval",
      "{\"a\": 2, \"b\": 1, \"c\": 3}",
      "[\"a\", \"c\"]; [2, 3]; {ext8: nil, \"b\": 1, \"c\": 3}; {\"a\": 2, \"b\": 1, \"c\": 3}",
      { "M_GET_BY_VALUE_INTERVAL RT_KEY, 2, 4", "M_GET_BY_VALUE_INTERVAL RT_VALUE, 2",
        "M_GET_BY_VALUE_INTERVAL RT_KEY_VALUE|RT_INVERTED, 2, 3" } },
    { "m.valuerel",
      "{\"a\": 2, \"b\": 1, \"c\": 3, \"d\": 5}",
      "[\"c\", \"d\"]; [\"a\", \"c\"]; [1, 5]; []; {\"a\": 2, \"b\": 1, \"c\": 3, \"d\": 5}",
      { "M_GET_BY_VALUE_REL_RANK_RANGE RT_KEY, 3, 0", "M_GET_BY_VALUE_REL_RANK_RANGE RT_KEY, 3, -1, 2",
        "M_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE|RT_INVERTED, 3, -1, 2",
        "M_GET_BY_VALUE_REL_RANK_RANGE RT_KEY, 4, -10, 1" } },
    { "m.byindex",
      "{\"c\": 3, \"a\": 1, \"b\": 2}",
      "26",
      { "M_GET_BY_INDEX RT_KEY, 0", "M_GET_BY_INDEX RT_VALUE, -1", "M_GET_BY_INDEX RT_KEY_VALUE, 1",
        "M_GET_BY_INDEX RT_REVERSE_INDEX, 0", "M_GET_BY_INDEX RT_VALUE, 5", "M_GET_BY_INDEX RT_KEY, 5" } },
    { "m.indexrange",
      "{\"c\": 3, \"a\": 1, \"b\": 2}",
      "[\"b\", \"c\"]; {ext8: nil, \"a\": 1, \"b\": 2}; {\"a\": 1, \"b\": 2}; {ext1: nil, \"b\": 2, \"c\": 3}; [3]; "
      "[]; {\"a\": 1, \"b\": 2, \"c\": 3}",
      { "M_GET_BY_INDEX_RANGE RT_KEY, 1", "M_GET_BY_INDEX_RANGE RT_KEY_VALUE, 0, 2",
        "M_GET_BY_INDEX_RANGE RT_UNORDERED_MAP, 0, 2", "M_GET_BY_INDEX_RANGE RT_ORDERED_MAP|RT_INVERTED, 0, 1",
        "M_GET_BY_INDEX_RANGE RT_VALUE, -1", "M_GET_BY_INDEX_RANGE RT_KEY, 5" } },
    { "m.byrank",
      "{\"a\": 3, \"b\": 1, \"c\": 2}",
      "26",
      { "M_GET_BY_RANK RT_KEY, 0", "M_GET_BY_RANK RT_KEY, -1", "M_GET_BY_RANK RT_INDEX, 0",
        "M_GET_BY_RANK RT_KEY|RT_INVERTED, 0", "M_GET_BY_RANK RT_VALUE, 3" } },
    { "m.rankrange",
      "{\"a\": 3, \"b\": 1, \"c\": 2}",
      "[\"b\", \"c\"]; [2, 3]; [\"a\"]; [1, 2]; {ext8: nil, \"c\": 2, \"a\": 3}; {\"a\": 3, \"b\": 1, \"c\": 2}",
      { "M_GET_BY_RANK_RANGE RT_KEY, 0, 2", "M_GET_BY_RANK_RANGE RT_VALUE, 1",
        "M_GET_BY_RANK_RANGE RT_KEY|RT_INVERTED, 0, 2", "M_GET_BY_RANK_RANGE RT_REVERSE_RANK, 0, 2",
        "M_GET_BY_RANK_RANGE RT_KEY_VALUE, -2" } },
    { "m.kv.ranks",
      "{ext3: nil, \"a\": 3, \"b\": 1, \"c\": 2}",
      "[\"b\", \"c\", \"a\"]; [0, 1]; 3; {ext3: nil, \"a\": 3, \"b\": 1, \"c\": 2}",
      { "M_GET_BY_RANK_RANGE RT_KEY, 0", "M_GET_BY_VALUE_INTERVAL RT_RANK, 1, 3", "M_SIZE" } },
    { "m.read.empty", "{}", "26", { "M_GET_BY_INDEX RT_KEY, 0", "M_GET_BY_RANK_RANGE RT_KEY, 0", "M_SIZE" } },
    { "m.read.nobin", NULL, "nil; nil; nil", { "M_GET_BY_KEY RT_VALUE, \"a\"", "M_SIZE" } },
    { "m.read.listbin", "[1]", "12", { "M_SIZE" } },
    { "m.read.rt.bad", "{\"a\": 1}", "26", { "M_GET_BY_KEY 99, \"a\"" } },
    { "m.mixedkeys",
      "{\"s\": 1, 2: 2, -1: 3, 'b': 4}",
      "[-1, 2, \"s\", 'b']; [2, \"s\"]; {-1: 3, 2: 2, \"s\": 1, 'b': 4}",
      { "M_GET_BY_INDEX_RANGE RT_KEY, 0", "M_GET_BY_KEY_INTERVAL RT_KEY, 0, \"z\"" } },
    /* removes */
    { "m.rm.key",
      "{\"a\": 1, \"b\": 2}",
      "1; nil; {\"b\": 2}",
      { "M_REMOVE_BY_KEY RT_VALUE, \"a\"", "M_REMOVE_BY_KEY RT_VALUE, \"z\"" } },
    { "m.rm.key.inv", "{\"a\": 1, \"b\": 2, \"c\": 3}", "26", { "M_REMOVE_BY_KEY RT_KEY|RT_INVERTED, \"a\"" } },
    { "m.rm.index",
      "{\"a\": 1, \"b\": 2}",
      "{ext8: nil, \"b\": 2}; {\"a\": 1}",
      { "M_REMOVE_BY_INDEX RT_KEY_VALUE, 1" } },
    { "m.rm.index.inv", "{\"a\": 1, \"b\": 2}", "26", { "M_REMOVE_BY_INDEX RT_KEY|RT_INVERTED, 1" } },
    { "m.rm.value",
      "{\"a\": 1, \"b\": 2, \"c\": 1}",
      "\"a\"; {\"b\": 2, \"c\": 1}",
      { "M_REMOVE_BY_VALUE RT_KEY, 1" } },
    { "m.rm.value.inv", "{\"a\": 1, \"b\": 2, \"c\": 1}", "26", { "M_REMOVE_BY_VALUE RT_KEY|RT_INVERTED, 1" } },
    { "m.rm.allvalue",
      "{\"a\": 1, \"b\": 2, \"c\": 1}",
      "[\"a\", \"c\"]; {\"b\": 2}",
      { "M_REMOVE_ALL_BY_VALUE RT_KEY, 1" } },
    { "m.rm.rank", "{\"a\": 3, \"b\": 2}", "\"b\"; {\"a\": 3}", { "M_REMOVE_BY_RANK RT_KEY, 0" } },
    { "m.rm.rank.inv", "{\"a\": 3, \"b\": 2}", "26", { "M_REMOVE_BY_RANK RT_KEY|RT_INVERTED, 0" } },
    { "m.rm.keylist",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "[\"a\", \"c\"]; {\"b\": 2}",
      { "M_REMOVE_BY_KEY_LIST RT_KEY, [\"c\", \"a\", \"q\"]" } },
    { "m.rm.keylist.inv",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "[\"a\", \"b\"]; {\"c\": 3}",
      { "M_REMOVE_BY_KEY_LIST RT_KEY|RT_INVERTED, [\"c\"]" } },
    { "m.rm.valuelist",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "2; {\"b\": 2}",
      { "M_REMOVE_BY_VALUE_LIST RT_COUNT, [3, 1]" } },
    { "m.rm.keyinterval",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "[\"b\", \"c\"]; {\"a\": 1}",
      { "M_REMOVE_BY_KEY_INTERVAL RT_KEY, \"b\"" } },
    { "m.rm.keyinterval.inv",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "[\"a\"]; {\"b\": 2, \"c\": 3}",
      { "M_REMOVE_BY_KEY_INTERVAL RT_KEY|RT_INVERTED, \"b\"" } },
    { "m.rm.indexrange",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "{ext1: nil, \"b\": 2}; {\"a\": 1, \"c\": 3}",
      { "M_REMOVE_BY_INDEX_RANGE RT_ORDERED_MAP, 1, 1" } },
    { "m.rm.valueinterval",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "[\"b\"]; {\"a\": 1, \"c\": 3}",
      { "M_REMOVE_BY_VALUE_INTERVAL RT_KEY, 2, 3" } },
    { "m.rm.rankrange",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "[2]; {\"a\": 1, \"c\": 3}",
      { "M_REMOVE_BY_RANK_RANGE RT_VALUE, -2, 1" } },
    { "m.rm.keyrel",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "[\"b\"]; {\"a\": 1, \"c\": 3}",
      { "M_REMOVE_BY_KEY_REL_INDEX_RANGE RT_KEY, \"b\", 0, 1" } },
    { "m.rm.keyrel.inv",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "[\"a\", \"c\"]; {\"b\": 2}",
      { "M_REMOVE_BY_KEY_REL_INDEX_RANGE RT_KEY|RT_INVERTED, \"b\", 0, 1" } },
    { "m.rm.valuerel",
      "{\"a\": 1, \"b\": 2, \"c\": 3}",
      "[\"a\", \"b\", \"c\"]; {}",
      { "M_REMOVE_BY_VALUE_REL_RANK_RANGE RT_KEY, 2, -1" } },
    { "m.rm.nobin", NULL, "nil; nil", { "M_REMOVE_BY_KEY RT_VALUE, \"a\"" } },
    { "m.rm.ordered",
      "{ext1: nil, \"a\": 1, \"b\": 2, \"c\": 3}",
      "nil; {ext1: nil, \"a\": 1, \"c\": 3}",
      { "M_REMOVE_BY_KEY RT_NONE, \"b\"" } },
    /* misuse */
    { "m.op.listop", "{\"a\": 1}", "12", { "L_APPEND 1" } },
    { "m.op.unknown", "{\"a\": 1}", "4", { "M_GET_BY_KEY" } },
    { "m.op.gap", "{\"a\": 1}", "4", { "90" } },
};

static const cdt_case CTX_CASES[] = {
    { "c.list.index",
      "[[1, 2], [3]]",
      "3; 1; [[1, 2, 9], [3]]",
      { "CTX [CTX_LIST_INDEX, 0] L_APPEND 9", "CTX [CTX_LIST_INDEX, -1] L_SIZE" } },
    { "c.list.rank", "[[5], [1, 2]]", "1; [[5], [2]]", { "CTX [CTX_LIST_RANK, 0] L_POP 0" } },
    { "c.list.value", "[[5], [1, 2]]", "2; [[5, 6], [1, 2]]", { "CTX [CTX_LIST_VALUE, [5]] L_APPEND 6" } },
    { "c.map.key",
      "{\"a\": {\"x\": 1}, \"b\": [1]}",
      "2; 2; {\"a\": {\"x\": 1, \"y\": 2}, \"b\": [1, 2]}",
      { "CTX [CTX_MAP_KEY, \"a\"] M_PUT \"y\", 2", "CTX [CTX_MAP_KEY, \"b\"] L_APPEND 2" } },
    { "c.map.index",
      "{\"b\": [2], \"a\": [1]}",
      "2; {\"a\": [1, 9], \"b\": [2]}",
      { "CTX [CTX_MAP_INDEX, 0] L_APPEND 9" } },
    { "c.map.rank",
      "{\"b\": [2], \"a\": [1]}",
      "2; {\"a\": [1], \"b\": [2, 9]}",
      { "CTX [CTX_MAP_RANK, -1] L_APPEND 9" } },
    { "c.map.value",
      "{\"b\": [2], \"a\": [1]}",
      "2; {\"a\": [1], \"b\": [2]}",
      { "CTX [CTX_MAP_VALUE, [2]] L_GET_BY_INDEX RT_VALUE, 0" } },
    { "c.deep",
      "{\"a\": [{\"b\": [1, 2]}]}",
      "1; {\"a\": [{\"b\": [1]}]}",
      { "CTX [CTX_MAP_KEY, \"a\", CTX_LIST_INDEX, 0, CTX_MAP_KEY, \"b\"] L_REMOVE_BY_VALUE RT_INDEX, 2" } },
    { "c.missing.key", "{\"a\": {}}", "26", { "CTX [CTX_MAP_KEY, \"z\"] M_PUT \"y\", 2" } },
    { "c.missing.index", "[[1]]", "26", { "CTX [CTX_LIST_INDEX, 3] L_APPEND 2" } },
    { "c.missing.read", "[[1]]", "26", { "CTX [CTX_LIST_INDEX, 3] L_SIZE" } },
    { "c.wrongtype", "[[1]]", "26", { "CTX [CTX_MAP_KEY, \"a\"] L_APPEND 2" } },
    { "c.notcoll", "[1]", "12", { "CTX [CTX_LIST_INDEX, 0] L_APPEND 2" } },
    { "c.notcoll.read", "[1]", "12", { "CTX [CTX_LIST_INDEX, 0] L_SIZE" } },
    { "c.create.map.key",
      "{\"a\": 1}",
      "1; {\"a\": 1, \"z\": {\"y\": 2}}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_MAP_K_ORDERED, \"z\"] M_PUT \"y\", 2" } },
    { "c.create.map.unord",
      "{\"a\": 1}",
      "1; {\"a\": 1, \"z\": {\"y\": 2}}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_MAP_UNORDERED, \"z\"] M_PUT \"y\", 2" } },
    { "c.create.map.kv",
      "{\"a\": 1}",
      "1; {\"a\": 1, \"z\": {\"y\": 2}}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_MAP_KV_ORDERED, \"z\"] M_PUT \"y\", 2" } },
    { "c.create.map.list",
      "{\"a\": 1}",
      "1; {\"a\": 1, \"z\": [3]}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_LIST_ORDERED, \"z\"] L_APPEND 3" } },
    { "c.create.map.ulist",
      "{\"a\": 1}",
      "1; {\"a\": 1, \"z\": [3]}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_LIST_UNORDERED, \"z\"] L_APPEND 3" } },
    { "c.create.list.index",
      "[[1]]",
      "1; [[1], [3]]",
      { "CTX [CTX_LIST_INDEX|CTX_CREATE_LIST_UNORDERED, 1] L_APPEND 3" } },
    { "c.create.list.pad",
      "[[1]]",
      "1; [[1], nil, nil, [3]]",
      { "CTX [CTX_LIST_INDEX|CTX_CREATE_LIST_UNORDERED_UNBOUND, 3] L_APPEND 3" } },
    { "c.create.list.bounded", "[[1]]", "26", { "CTX [CTX_LIST_INDEX|CTX_CREATE_LIST_UNORDERED, 3] L_APPEND 3" } },
    { "c.create.list.map",
      "[[1]]",
      "1; [[1], {1: 2}]",
      { "CTX [CTX_LIST_INDEX|CTX_CREATE_MAP_K_ORDERED, 1] M_PUT 1, 2" } },
    { "c.create.nobin",
      NULL,
      "1; {\"z\": {\"y\": 2}}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_MAP_UNORDERED, \"z\"] M_PUT \"y\", 2" } },
    { "c.create.nobin.list", NULL, "1; [[2]]", { "CTX [CTX_LIST_INDEX|CTX_CREATE_LIST_UNORDERED, 0] L_APPEND 2" } },
    { "c.create.deep",
      "{}",
      "1; {\"a\": {\"b\": [1]}}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_MAP_UNORDERED, \"a\", CTX_MAP_KEY|CTX_CREATE_LIST_UNORDERED, \"b\"] L_APPEND "
        "1" } },
    { "c.create.exists",
      "{\"z\": [1]}",
      "2; {\"z\": [1, 2]}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_MAP_UNORDERED, \"z\"] L_APPEND 2" } },
    { "c.create.read", "{\"a\": 1}", "26", { "CTX [CTX_MAP_KEY|CTX_CREATE_MAP_UNORDERED, \"z\"] M_SIZE" } },
    { "c.create.mid",
      "{}",
      "1; {\"a\": {\"b\": {1: 1}}}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_MAP_UNORDERED, \"a\", CTX_MAP_KEY, \"b\"] M_PUT 1, 1" } },
    { "c.ordered.inner",
      "{\"a\": [ext1, 1, 5]}",
      "3; {\"a\": [ext1, 1, 3, 5]}",
      { "CTX [CTX_MAP_KEY, \"a\"] L_APPEND 3" } },
    { "c.ordered.outer",
      "{ext1: nil, \"a\": {\"x\": 1}, \"b\": 1}",
      "2; {ext1: nil, \"a\": {\"x\": 1, \"y\": 2}, \"b\": 1}",
      { "CTX [CTX_MAP_KEY, \"a\"] M_PUT \"y\", 2" } },
    { "c.kvordered.outer",
      "{ext3: nil, \"a\": [0], \"b\": [1]}",
      "2; {ext3: nil, \"a\": [0, 9], \"b\": [1]}",
      { "CTX [CTX_MAP_KEY, \"a\"] L_APPEND 9" } },
    { "c.orderedlist.outer", "[ext1, [1], [5]]", "2; [ext1, [1, 9], [5]]", { "CTX [CTX_LIST_INDEX, 0] L_APPEND 9" } },
    { "c.empty", "[[1]]", "4", { "CTX [] L_APPEND 2" } },
    { "c.odd", "[[1]]", "4", { "CTX [CTX_LIST_INDEX] L_APPEND 2" } },
    { "c.badtype", "[[1]]", "26", { "CTX [7, 0] L_APPEND 2" } },
    { "c.settype",
      "{\"a\": {\"b\": 1, \"a\": 2}}",
      "nil; {\"a\": {ext1: nil, \"a\": 2, \"b\": 1}}",
      { "CTX [CTX_MAP_KEY, \"a\"] M_SET_TYPE ORD_ORDERED" } },
    { "c.clear", "{\"a\": [1, 2]}", "nil; {\"a\": []}", { "CTX [CTX_MAP_KEY, \"a\"] L_CLEAR" } },
    { "c.ctxread.value",
      "[[1, 2], [3]]",
      "3; [[1, 2], [3]]",
      { "CTX [CTX_LIST_INDEX, 1] L_GET_BY_INDEX RT_VALUE, 0" } },
    /* hostile payloads */
    { "q.m.rank.low",
      "{\"a\": 3, \"b\": 1, \"c\": 2, \"d\": 4, \"e\": 9}",
      "[1, 2]; [\"b\", \"c\", \"a\"]; {ext8: nil, \"c\": 2, \"a\": 3}; [1, 2]; [1, 2]; [4, 9]; {\"a\": 3, \"b\": 1, "
      "\"c\": 2, \"d\": 4, \"e\": 9}",
      { "M_GET_BY_RANK_RANGE RT_VALUE, 0, 2", "M_GET_BY_RANK_RANGE RT_KEY, 0, 3",
        "M_GET_BY_RANK_RANGE RT_KEY_VALUE, 1, 2", "M_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 3, -2, 2",
        "M_GET_BY_RANK_RANGE RT_INDEX, 0, 2", "M_GET_BY_RANK_RANGE RT_VALUE, 3" } },
    { "q.m.kv.rank.low",
      "{ext3: nil, \"a\": 3, \"b\": 1, \"c\": 2, \"d\": 4, \"e\": 9}",
      "[1, 2]; [\"b\", \"c\", \"a\"]; [3, 2, 4]; [1, 2]; {ext3: nil, \"a\": 3, \"b\": 1, \"c\": 2, \"d\": 4, \"e\": 9}",
      { "M_GET_BY_RANK_RANGE RT_VALUE, 0, 2", "M_GET_BY_RANK_RANGE RT_KEY, 0, 3",
        "M_GET_BY_VALUE_INTERVAL RT_VALUE, 2, 5", "M_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 3, -2, 2" } },
    { "q.m.k.rank.low",
      "{ext1: nil, \"a\": 3, \"b\": 1, \"c\": 2, \"d\": 4, \"e\": 9}",
      "[1, 2]; [\"b\", \"c\", \"a\"]; [3, 2, 4]; {ext1: nil, \"a\": 3, \"b\": 1, \"c\": 2, \"d\": 4, \"e\": 9}",
      { "M_GET_BY_RANK_RANGE RT_VALUE, 0, 2", "M_GET_BY_RANK_RANGE RT_KEY, 0, 3",
        "M_GET_BY_VALUE_INTERVAL RT_VALUE, 2, 5" } },
    { "q.m.interval.order",
      "{\"a\": 3, \"b\": 1, \"c\": 2}",
      "[3, 1, 2]; [3, 1]; {ext8: nil, \"c\": 2}; {\"a\": 3, \"b\": 1, \"c\": 2}",
      { "M_GET_BY_VALUE_INTERVAL RT_VALUE, 1, 5", "M_GET_BY_VALUE_LIST RT_VALUE, [3, 1]",
        "M_GET_ALL_BY_VALUE RT_KEY_VALUE, 2" } },
    { "q.l.rank.ties",
      "[2, 1, 2, 1, 2]",
      "[0, 3]; 3; 4; [2, 4]; [0, 1, 3]; [2, 1, 2, 1, 2]",
      { "L_GET_BY_RANK_RANGE RT_INDEX, 1, 2", "L_GET_BY_RANK RT_INDEX, 1", "L_GET_BY_RANK RT_INDEX, 3",
        "L_GET_BY_VALUE_REL_RANK_RANGE RT_INDEX, 2, 0, 2", "L_GET_BY_RANK_RANGE RT_INDEX, 0, 3" } },
    { "q.l.ord.rank",
      "[ext1, 1, 2, 3, 4, 5]",
      "[1, 2]; [1, 2]; [4, 5]; [ext1, 1, 2, 3, 4, 5]",
      { "L_GET_BY_RANK_RANGE RT_VALUE, 0, 2", "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 3, -2, 2",
        "L_GET_BY_RANK_RANGE RT_VALUE, 3" } },
    { "q.l.interval.wild",
      "[[1, 2], [1, 3], [2, 1]]",
      "0; [0, 1]; [0, 1]; [[1, 2], [1, 3], [2, 1]]",
      { "L_GET_BY_VALUE RT_INDEX, [1, *]", "L_GET_ALL_BY_VALUE RT_INDEX, [1, *]",
        "L_GET_BY_VALUE_INTERVAL RT_INDEX, [1, nil], [1, inf]" } },
    { "q.m.ord.put",
      "{ext3: nil, \"b\": 2}",
      "2; 3; \"c\"; {ext3: nil, \"a\": 5, \"b\": 2}",
      { "M_PUT \"a\", 5", "M_PUT_ITEMS {\"c\": 0}", "M_REMOVE_BY_RANK RT_KEY, 0" } },
    { "q.l.persist.append",
      "[]",
      "nil; 1; 2; [ext1, 1, 3]",
      { "L_SET_TYPE ORD_ORDERED|ORD_PERSIST_INDEX", "L_APPEND 3", "L_APPEND 1" } },
    { "q.m.persist",
      "{}",
      "nil; 1; 2; {ext1: nil, 1: 1, 2: 1}",
      { "M_SET_TYPE ORD_ORDERED|ORD_PERSIST_INDEX", "M_PUT 2, 1", "M_PUT 1, 1" } },
    { "q.m.settype.list", "[1]", "12", { "M_SET_TYPE ORD_ORDERED" } },
    { "q.l.incr.nil", "[nil]", "4", { "L_INCREMENT 0, 1" } },
    { "q.m.incr.nil", "{\"a\": nil}", "4", { "M_INCREMENT \"a\", 1" } },
    { "q.l.incr.hugefloat", "[1]", "-9223372036854775807; [-9223372036854775807]", { "L_INCREMENT 0, 1.0e300" } },
    { "q.l.insert.items.unique.partial",
      "[1, 2]",
      "4; [1, 3, 4, 2]",
      { "L_INSERT_ITEMS 1, [3, 1, 4], LW_ADD_UNIQUE|LW_NO_FAIL|LW_PARTIAL" } },
    { "q.l.append.ord.unique",
      "[ext1, 1, 5]",
      "3; [ext1, 1, 2, 5]",
      { "L_APPEND_ITEMS [5, 2], 1, LW_ADD_UNIQUE|LW_NO_FAIL|LW_PARTIAL" } },
    { "q.m.kv.incr",
      "{ext3: nil, \"a\": 1, \"b\": 2}",
      "6; \"b\"; {ext3: nil, \"a\": 6, \"b\": 2}",
      { "M_INCREMENT \"a\", 5", "M_GET_BY_RANK RT_KEY, 0" } },
    { "q.l.sort.nobin", NULL, "12", { "L_SORT 0" } },
    { "q.l.clear.nobin", NULL, "nil; nil", { "L_CLEAR" } },
    { "q.m.clear.nobin", NULL, "nil; nil", { "M_CLEAR" } },
    { "q.l.setrt.exists", "[1, 2]", "true; [2]", { "L_REMOVE_BY_INDEX RT_EXISTS, 0" } },
    { "q.c.nobin.nocreate", NULL, "26", { "CTX [CTX_LIST_INDEX, 0] L_APPEND 1" } },
    { "q.c.nobin.read", NULL, "nil; nil", { "CTX [CTX_LIST_INDEX, 0] L_SIZE" } },
    { "q.c.rank.create", "[[1]]", "26", { "CTX [CTX_LIST_RANK|CTX_CREATE_LIST_UNORDERED, 5] L_APPEND 1" } },
    { "q.c.value.create", "[[1]]", "26", { "CTX [CTX_LIST_VALUE|CTX_CREATE_LIST_UNORDERED, [9]] L_APPEND 1" } },
    { "q.c.mapindex.create", "{\"a\": [1]}", "26", { "CTX [CTX_MAP_INDEX|CTX_CREATE_MAP_UNORDERED, 5] L_APPEND 1" } },
    { "q.c.neg.create", "[[1]]", "26", { "CTX [CTX_LIST_INDEX|CTX_CREATE_LIST_UNORDERED, -5] L_APPEND 1" } },
    { "q.c.ordered.create",
      "[ext1, [1]]",
      "1; [ext1, [1], [1]]",
      { "CTX [CTX_LIST_INDEX|CTX_CREATE_LIST_UNORDERED, 1] L_APPEND 1" } },
    { "q.c.create.wrongop",
      "{\"a\": 1}",
      "1; {\"a\": 1, \"z\": [{1: 1}]}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_LIST_UNORDERED, \"z\", CTX_LIST_INDEX, 0] M_PUT 1, 1" } },
    { "q.incr.padded", "[1]", "2; [1, 2]", { "L_INCREMENT 1, 2" } },
    { "h.pad.huge", "[]", "13", { "L_INSERT 2000000000, 1" } },
    { "h.pad.past1m", "[]", "13", { "L_INSERT 1050000, 1" } },
    { "h.set.huge", "[]", "13", { "L_SET 2000000000, 1" } },
    { "h.incr.huge", "[]", "13", { "L_INCREMENT 2000000000, 1" } },
    { "h.ctx.huge",
      "[[1]]",
      "13",
      { "CTX [CTX_LIST_INDEX|CTX_CREATE_LIST_UNORDERED_UNBOUND, 2000000000] L_APPEND 1" } },
    { "h.count.huge", "[1]", "4", { "L_APPEND_ITEMS rawdd7fffffff" } },
    { "h.range.huge",
      "[1, 2]",
      "[1, 2]; [1, 2]",
      { "L_GET_BY_INDEX_RANGE RT_VALUE, -9223372036854775807, 9223372036854775807" } },
    { "h.rank.huge",
      "[1, 2]",
      "[]; [1, 2]",
      { "L_GET_BY_VALUE_REL_RANK_RANGE RT_VALUE, 1, 9223372036854775807, 9223372036854775807" } },
    { "h.trim.huge", "[1, 2]", "0; [1, 2]", { "L_TRIM -9223372036854775807, 9223372036854775807" } },
};

static void test_list_cases(void **state) {
    (void)state;
    run_cases(LIST_CASES, sizeof LIST_CASES / sizeof LIST_CASES[0]);
}

static void test_map_cases(void **state) {
    (void)state;
    run_cases(MAP_CASES, sizeof MAP_CASES / sizeof MAP_CASES[0]);
}

static void test_ctx_cases(void **state) {
    (void)state;
    run_cases(CTX_CASES, sizeof CTX_CASES / sizeof CTX_CASES[0]);
}

/* s repeated n times into a malloc'd string, between head and tail. */
static char *repeat(const char *head, const char *s, int n, const char *mid, const char *s2, int n2) {
    size_t len = strlen(head) + strlen(s) * (size_t)n + strlen(mid) + strlen(s2) * (size_t)n2 + 1;
    char *o = malloc(len), *p = o;
    assert_non_null(o);
    p += sprintf(p, "%s", head);
    for (int i = 0; i < n; i++)
        p += sprintf(p, "%s", s);
    p += sprintf(p, "%s", mid);
    for (int i = 0; i < n2; i++)
        p += sprintf(p, "%s", s2);
    return o;
}

/* Deep values and contexts: the real servers take them (20000 levels, 1000 context items). */
static void test_deep(void **state) {
    (void)state;
    static const struct {
        const char *name;
        int depth, ctx;
        bool map;
        const char *op, *want; /* the answer's start */
    } D[] = {
        { "d.list20000", 20000, 0, false, "L_SIZE", "1; [[[[" },
        { "d.map300", 300, 0, true, "M_SIZE", "1; {\"a\": {\"a\": {" },
        { "d.ctx1000", 1001, 1000, false, "L_APPEND 1", "1; [[[[" },
        { "d.ctx100.read", 101, 100, false, "L_SIZE", "0; [[[[" },
    };
    for (size_t i = 0; i < sizeof D / sizeof D[0]; i++) {
        char *bin = D[i].map ? repeat("", "{\"a\": ", D[i].depth, "1", "}", D[i].depth)
                             : repeat("", "[", D[i].depth, "", "]", D[i].depth);
        char *op = D[i].ctx ? repeat("CTX [", "CTX_LIST_INDEX, 0, ", D[i].ctx, "] ", D[i].op, 1) : strdup(D[i].op);
        cdt_case c = { D[i].name, bin, "", { op } };
        char got[1024];
        run_case(&c, got, sizeof got);
        if (strncmp(got, D[i].want, strlen(D[i].want)) != 0)
            fail_msg("%s: got \"%.60s\", want \"%s...\"", D[i].name, got, D[i].want);
        free(bin);
        free(op);
    }
    /* values differing 200 levels down compare by what lies there (the servers compare to any depth) */
    char *x = repeat("[", "[", 200, "2", "]", 200), *y = repeat("", "[", 200, "1", "]", 200);
    char *bin = malloc(strlen(x) + strlen(y) + 8);
    assert_non_null(bin);
    sprintf(bin, "%s, %s]", x, y);
    cdt_case c = { "d.cmp200", bin, "", { "L_GET_BY_RANK RT_INDEX, 0", "L_GET_BY_RANK RT_INDEX, -1" } };
    char got[1024];
    run_case(&c, got, sizeof got);
    if (strncmp(got, "1; 0; [[[[", 10) != 0)
        fail_msg("d.cmp200: got \"%.60s\", want \"1; 0; [[[[...\"", got);
    free(x);
    free(y);
    free(bin);
}

/*
 * The range return types (9-12: [start, count] answers), as server 8.1
 * computes them (particle_list.c / particle_map.c of 8.1.2.0): index
 * ranges of index selections, rank ranges of rank and value selections,
 * of an unordered list's index range none (26), never inverted (26).
 */
static const cdt_case RANGE_RT_CASES[] = {
    { "r.l.index",
      "[5, 2, 3, 2]",
      "[0, 1]; [3, 1]; [4, 0]; [5, 2, 3, 2]",
      { "L_GET_BY_INDEX_RANGE RT_INDEX_RANGE, 0, 1", "L_GET_BY_INDEX_RANGE RT_REVERSE_INDEX_RANGE, 0, 1",
        "L_GET_BY_INDEX_RANGE RT_INDEX_RANGE, 9, 1" } },
    { "r.l.index.rank", "[5, 2, 3, 2]", "26", { "L_GET_BY_INDEX_RANGE RT_RANK_RANGE, 0, 1" } },
    { "r.l.index.inv", "[5, 2, 3, 2]", "26", { "L_GET_BY_INDEX_RANGE RT_INDEX_RANGE|RT_INVERTED, 0, 1" } },
    { "r.l.rank",
      "[5, 2, 3, 2]",
      "[0, 1]; [3, 1]; [1, 3]; [5, 2, 3, 2]",
      { "L_GET_BY_RANK_RANGE RT_RANK_RANGE, 0, 1", "L_GET_BY_RANK_RANGE RT_REVERSE_RANK_RANGE, 0, 1",
        "L_GET_BY_VALUE_REL_RANK_RANGE RT_RANK_RANGE, 3, -1" } },
    { "r.l.rank.index", "[5, 2, 3, 2]", "26", { "L_GET_BY_RANK_RANGE RT_INDEX_RANGE, 0, 1" } },
    { "r.l.value",
      "[5, 2, 3, 2]",
      "[0, 3]; [1, 3]; [5, 2, 3, 2]",
      { "L_GET_BY_VALUE_INTERVAL RT_RANK_RANGE, 2, 4", "L_GET_BY_VALUE_INTERVAL RT_REVERSE_RANK_RANGE, 2, 4" } },
    { "r.l.value.index", "[5, 2, 3, 2]", "26", { "L_GET_BY_VALUE_INTERVAL RT_INDEX_RANGE, 2, 4" } },
    { "r.l.valuelist", "[5, 2, 3, 2]", "26", { "L_GET_ALL_BY_VALUE_LIST RT_RANK_RANGE, [2]" } },
    { "r.l.ordered",
      "[ext1, 2, 2, 3, 5]",
      "[1, 2]; [1, 2]; [0, 2]; [ext1, 2, 2, 3, 5]",
      { "L_GET_BY_INDEX_RANGE RT_RANK_RANGE, 1, 2", "L_GET_BY_RANK_RANGE RT_INDEX_RANGE, 1, 2",
        "L_GET_BY_VALUE_INTERVAL RT_REVERSE_INDEX_RANGE, 3, 9" } },
    { "r.m.index",
      "{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 2}",
      "[0, 1]; [3, 1]; [0, 4]; [1, 1]; [2, 1]; [1, 2]; {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 2}",
      { "M_GET_BY_INDEX_RANGE RT_INDEX_RANGE, 0, 1", "M_GET_BY_INDEX_RANGE RT_REVERSE_INDEX_RANGE, 0, 1",
        "M_GET_BY_INDEX_RANGE RT_INDEX_RANGE, 0", "M_GET_BY_KEY RT_INDEX_RANGE, \"b\"",
        "M_GET_BY_KEY RT_REVERSE_INDEX_RANGE, \"b\"", "M_GET_BY_KEY_INTERVAL RT_INDEX_RANGE, \"b\", \"d\"" } },
    { "r.m.key.missing",
      "{\"a\": 1, \"b\": 2}",
      "[-1, 0]; {\"a\": 1, \"b\": 2}",
      { "M_GET_BY_KEY RT_INDEX_RANGE, \"z\"" } },
    { "r.m.index.rank", "{\"a\": 1, \"b\": 2}", "26", { "M_GET_BY_INDEX_RANGE RT_RANK_RANGE, 0, 1" } },
    { "r.m.key.rank", "{\"a\": 1, \"b\": 2}", "26", { "M_GET_BY_KEY RT_RANK_RANGE, \"a\"" } },
    { "r.m.keylist", "{\"a\": 1, \"b\": 2}", "26", { "M_GET_BY_KEY_LIST RT_INDEX_RANGE, [\"a\"]" } },
    { "r.m.rank",
      "{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 2}",
      "[0, 1]; [3, 1]; [1, 2]; [4, 0]; {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 2}",
      { "M_GET_BY_RANK_RANGE RT_RANK_RANGE, 0, 1", "M_GET_BY_RANK_RANGE RT_REVERSE_RANK_RANGE, 0, 1",
        "M_GET_BY_VALUE_INTERVAL RT_RANK_RANGE, 2, 3", "M_GET_BY_VALUE RT_RANK_RANGE, 9" } },
    { "r.m.rank.index", "{\"a\": 1, \"b\": 2}", "26", { "M_GET_BY_RANK_RANGE RT_INDEX_RANGE, 0, 1" } },
    { "r.m.value.index", "{\"a\": 1, \"b\": 2}", "26", { "M_GET_BY_VALUE_INTERVAL RT_INDEX_RANGE, 1, 2" } },
};

static void test_range_rt_cases(void **state) {
    (void)state;
    run_cases(RANGE_RT_CASES, sizeof RANGE_RT_CASES / sizeof RANGE_RT_CASES[0]);
}

/*
 * Answer orders and inverted forms as server 8.1 computes them (from the
 * 8.1.2.0 source): value lists item by item (an unordered collection
 * counts equal items once, for the last given), an ordered list's runs,
 * EXISTS of an inverted interval (whether the interval is empty), an
 * inverted middle range as the server's trim.
 */
static const cdt_case ORDER_CASES[] = {
    { "o.l.vlist",
      "[5, 2, 3, 2]",
      "[3, 0, 1]; [0, 3, 2]; [2, 3]; [0, 1, 3]; [5, 2, 3, 2]",
      { "L_GET_ALL_BY_VALUE_LIST RT_RANK, [2, 5, 2]", "L_GET_ALL_BY_VALUE_LIST RT_REVERSE_RANK, [2, 5, 2]",
        "L_GET_ALL_BY_VALUE_LIST RT_RANK|RT_INVERTED, [2]", "L_GET_ALL_BY_VALUE_LIST RT_INDEX, [2, 5, 2]" } },
    { "o.ol.vlist",
      "[ext1, 2, 2, 3, 5]",
      "[3, 0, 1, 0, 1]; [5, 2, 2, 2, 2]; 3; [0, 2, 3]; [ext1, 2, 2, 3, 5]",
      { "L_GET_ALL_BY_VALUE_LIST RT_INDEX, [5, 2, 2]", "L_GET_ALL_BY_VALUE_LIST RT_VALUE, [5, 2, 2]",
        "L_GET_ALL_BY_VALUE_LIST RT_COUNT, [5, 2, 2]", "L_GET_ALL_BY_VALUE_LIST RT_REVERSE_RANK, [5, 2]" } },
    { "o.m.klist",
      "{\"a\": 1, \"b\": 2}",
      "[0, 1]; [1, 0]; {\"a\": 1, \"b\": 2}",
      { "M_GET_BY_KEY_LIST RT_INDEX, [\"b\", \"a\", \"b\"]",
        "M_GET_BY_KEY_LIST RT_REVERSE_INDEX, [\"b\", \"a\", \"b\"]" } },
    { "o.km.klist",
      "{ext1: nil, \"a\": 1, \"b\": 2}",
      "[1, 0, 1]; {ext1: nil, \"a\": 1, \"b\": 2}",
      { "M_GET_BY_KEY_LIST RT_INDEX, [\"b\", \"a\", \"b\"]" } },
    { "o.l.exists.inv",
      "[5, 2, 3, 2]",
      "false; true; false; [5, 2, 3, 2]",
      { "L_GET_BY_VALUE_INTERVAL RT_EXISTS|RT_INVERTED, 2, 4", "L_GET_BY_VALUE_INTERVAL RT_EXISTS|RT_INVERTED, 9, 10",
        "L_GET_BY_RANK_RANGE RT_EXISTS|RT_INVERTED, 1, 2" } },
    { "o.l.trim",
      "[5, 2, 3, 2]",
      "[3, 0]; [3, 0]; [5, 2]; 2; true; [5, 2, 3, 2]",
      { "L_GET_BY_INDEX_RANGE RT_RANK|RT_INVERTED, 1, 2", "L_GET_BY_INDEX_RANGE RT_REVERSE_INDEX|RT_INVERTED, 1, 2",
        "L_GET_BY_INDEX_RANGE RT_VALUE|RT_INVERTED, 1, 2", "L_GET_BY_INDEX_RANGE RT_COUNT|RT_INVERTED, 1, 2",
        "L_GET_BY_INDEX_RANGE RT_EXISTS|RT_INVERTED, 1, 2" } },
    { "o.m.mid.inv",
      "{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 2}",
      "false; 2; [3, 0]; [0, 2]; {\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 2}",
      { "M_GET_BY_INDEX_RANGE RT_EXISTS|RT_INVERTED, 1, 2", "M_GET_BY_INDEX_RANGE RT_COUNT|RT_INVERTED, 1, 2",
        "M_GET_BY_INDEX_RANGE RT_REVERSE_INDEX|RT_INVERTED, 1, 2", "M_GET_BY_INDEX_RANGE RT_RANK|RT_INVERTED, 1, 2" } },
    { "o.km.mid.inv",
      "{ext1: nil, \"a\": 1, \"b\": 2, \"c\": 3, \"d\": 2}",
      "true; 2; {ext1: nil, \"a\": 1, \"b\": 2, \"c\": 3, \"d\": 2}",
      { "M_GET_BY_INDEX_RANGE RT_EXISTS|RT_INVERTED, 1, 2", "M_GET_BY_INDEX_RANGE RT_COUNT|RT_INVERTED, 1, 2" } },
    { "o.ol.revrank",
      "[ext1, 0, 1, 2, 3, 3]",
      "[2, 3, 4]; 0; [ext1, 0, 1, 2, 3, 3]",
      { "L_GET_BY_VALUE_INTERVAL RT_REVERSE_RANK, 0, 3", "L_GET_BY_RANK RT_RANK, 0" } },
    { "o.km.key.inv.missing",
      "{ext1: nil, \"a\": 2}",
      "nil; -1; {ext1: nil, \"a\": 2}",
      { "M_GET_BY_KEY RT_KEY|RT_INVERTED, \"g\"", "M_GET_BY_KEY RT_REVERSE_INDEX|RT_INVERTED, \"f\"" } },
    { "o.km.key.inv", "{ext1: nil, \"a\": 2}", "26", { "M_GET_BY_KEY RT_KEY|RT_INVERTED, \"a\"" } },
    { "o.m.key.inv.missing", "{\"a\": 2}", "26", { "M_GET_BY_KEY RT_KEY|RT_INVERTED, \"g\"" } },
    /* found by a differential run against 8.1.2.0 */
    { "o.ctx.scalar", "{\"a\": [2, 1], \"c\": 1}", "26", { "CTX [CTX_MAP_KEY, \"c\", CTX_LIST_INDEX, 0] L_SIZE" } },
    { "o.ctx.scalar.mod",
      "{\"a\": [2, 1], \"c\": 1}",
      "26",
      { "CTX [CTX_MAP_KEY, \"c\", CTX_LIST_INDEX, 0] L_APPEND 1" } },
    { "o.ol.incr.past", "[ext1]", "26", { "L_INCREMENT 3" } },
    { "o.l.insert.before", "[0, 1]", "26", { "L_INSERT -6, 2, LW_ADD_UNIQUE|LW_NO_FAIL|LW_PARTIAL" } },
    { "o.cmp.header",
      "[[ext1, 2, 3, 3], {\"a\": 1}, [1, 3, 1]]",
      "nil; [[ext1, 2, 3, 3], {\"a\": 1}, [1, 3, 2]]",
      { "CTX [CTX_LIST_RANK, 0] L_SET 2, 2" } },
    { "o.sort.small", "[]", "nil; []", { "L_SORT SORT_DESCENDING|SORT_DROP_DUPLICATES" } },
    { "o.sort.ordered", "[ext1, 0, 3]", "nil; [ext1, 0, 3]", { "L_SORT SORT_DESCENDING|SORT_DROP_DUPLICATES" } },
    { "o.sort.equal", "[3, 3]", "nil; [3]", { "L_SORT SORT_DESCENDING|SORT_DROP_DUPLICATES" } },
    { "o.sort.distinct", "[1, 2]", "4", { "L_SORT SORT_DESCENDING|SORT_DROP_DUPLICATES" } },
    { "o.set.bounded.end", "[4, 3]", "nil; [4, 3, 0]", { "L_SET 2, 0, LW_INSERT_BOUNDED|LW_NO_FAIL" } },
    { "o.insert.unique.partial",
      "[]",
      "5; [nil, nil, nil, true, 3]",
      { "L_INSERT_ITEMS 3, [true, true, 3], LW_ADD_UNIQUE|LW_NO_FAIL|LW_PARTIAL" } },
    { "o.ctx.create.remove",
      "{\"a\": [4], \"c\": 1}",
      "nil; {\"a\": [4], \"c\": 1}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_MAP_K_ORDERED, \"d\", CTX_LIST_INDEX, -1] L_REMOVE -1" } },
    { "o.ctx.create.trim",
      "[[1]]",
      "nil; [[1]]",
      { "CTX [CTX_LIST_INDEX|CTX_CREATE_LIST_UNORDERED_UNBOUND, 3] L_TRIM 2, 1" } },
    { "o.ctx.create.policy",
      "{\"c\": 1}",
      "2; {\"c\": 1, \"d\": [{ext3: nil, \"a\": 4, \"e\": 0}]}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_LIST_UNORDERED, \"d\", CTX_LIST_INDEX|CTX_CREATE_LIST_UNORDERED, -1] M_PUT_ITEMS "
        "{\"e\": 0, \"a\": 4}, ORD_MAP_KV_ORDERED, 0" } },
    { "o.ctx.create.sort",
      "{\"c\": 1}",
      "nil; {\"c\": 1}",
      { "CTX [CTX_MAP_KEY|CTX_CREATE_MAP_K_ORDERED, \"d\"] L_SORT SORT_DROP_DUPLICATES" } },
};

static void test_order_cases(void **state) {
    (void)state;
    run_cases(ORDER_CASES, sizeof ORDER_CASES / sizeof ORDER_CASES[0]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_ops),   cmocka_unit_test(test_list_write_flags), cmocka_unit_test(test_map_ops),
        cmocka_unit_test(test_list_cases), cmocka_unit_test(test_map_cases),        cmocka_unit_test(test_ctx_cases),
        cmocka_unit_test(test_deep),       cmocka_unit_test(test_range_rt_cases),   cmocka_unit_test(test_order_cases),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
