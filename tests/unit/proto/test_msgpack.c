/*
 * msgpack: golden encodings of protocol.md 8.2 and 9, round trips through the
 * decoder, ordered collection prefixes, specials, and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"

#include "proto/msgpack.h"

typedef struct fx {
    uint8_t stack[64];
    aero_buf b;
    aero_arena *arena;
} fx;

static int setup(void **state) {
    fx *f = calloc(1, sizeof *f);
    aero_buf__init(&f->b, f->stack, sizeof f->stack);
    f->arena = aero_arena__new();
    *state = f;
    return f->arena ? 0 : -1;
}

static int teardown(void **state) {
    fx *f = *state;
    aero_buf__free(&f->b);
    aero_arena__free(f->arena);
    free(f);
    return 0;
}

#define PACKS_INT(f, v, hex)                                           \
    do {                                                               \
        aero_buf__reset(&(f)->b);                                      \
        aero_mp__pack_int(&(f)->b, (v));                               \
        assert_bytes_hex((f)->b.data, (f)->b.len, hex);                \
        aero_mp_reader r_ = { (f)->b.data, (f)->b.data + (f)->b.len }; \
        int64_t back_ = 0;                                             \
        assert_int_equal(aero_mp__read_int(&r_, &back_), AERO_OK);     \
        assert_true(back_ == (int64_t)(v));                            \
        assert_ptr_equal(r_.p, r_.end);                                \
    } while (0)

static void int_encodings_are_minimal(void **state) {
    fx *f = *state;
    PACKS_INT(f, 0, "00");
    PACKS_INT(f, 21, "15");
    PACKS_INT(f, 127, "7f");
    PACKS_INT(f, 128, "cc 80");
    PACKS_INT(f, 255, "cc ff");
    PACKS_INT(f, 256, "cd 01 00");
    PACKS_INT(f, 3600, "cd 0e 10");
    PACKS_INT(f, 65535, "cd ff ff");
    PACKS_INT(f, 65536, "ce 00 01 00 00");
    PACKS_INT(f, 4294967295LL, "ce ff ff ff ff");
    PACKS_INT(f, 4294967296LL, "cf 00 00 00 01 00 00 00 00");
    PACKS_INT(f, INT64_MAX, "cf 7f ff ff ff ff ff ff ff");
    PACKS_INT(f, -1, "ff");
    PACKS_INT(f, -32, "e0");
    PACKS_INT(f, -33, "d0 df");
    PACKS_INT(f, -128, "d0 80");
    PACKS_INT(f, -129, "d1 ff 7f");
    PACKS_INT(f, -32768, "d1 80 00");
    PACKS_INT(f, -32769, "d2 ff ff 7f ff");
    PACKS_INT(f, INT32_MIN, "d2 80 00 00 00");
    PACKS_INT(f, (int64_t)INT32_MIN - 1, "d3 ff ff ff ff 7f ff ff ff");
    PACKS_INT(f, INT64_MIN, "d3 80 00 00 00 00 00 00 00");
    aero_buf__reset(&f->b);
    aero_mp__pack_uint(&f->b, UINT64_MAX);
    assert_bytes_hex(f->b.data, f->b.len, "cf ff ff ff ff ff ff ff ff");
}

static void scalar_and_string_encodings(void **state) {
    fx *f = *state;
    aero_buf *b = &f->b;
    aero_mp__pack_double(b, 1.5);
    aero_mp__pack_bool(b, true);
    aero_mp__pack_bool(b, false);
    aero_mp__pack_nil(b);
    assert_bytes_hex(b->data, b->len, "cb 3f f8 00 00 00 00 00 00 c3 c2 c0");

    aero_buf__reset(b);
    aero_mp__pack_particle_str(b, 3, "abc", 3);
    aero_mp__pack_particle_str(b, 4, "\x01\x02", 2);
    aero_mp__pack_raw_str(b, "age", 3);
    aero_mp__pack_particle_str(b, 0x17, "{}", 2);
    assert_bytes_hex(b->data, b->len, "a4 03 61 62 63 a3 04 01 02 a3 61 67 65 a3 17 7b 7d");
}

static void header_boundaries(void **state) {
    fx *f = *state;
    aero_buf *b = &f->b;
    aero_mp__pack_array_header(b, 15);
    aero_mp__pack_array_header(b, 16);
    aero_mp__pack_array_header(b, 65536);
    assert_bytes_hex(b->data, b->len, "9f dc 00 10 dd 00 01 00 00");
    aero_buf__reset(b);
    aero_mp__pack_map_header(b, 15);
    aero_mp__pack_map_header(b, 16);
    aero_mp__pack_map_header(b, 70000);
    assert_bytes_hex(b->data, b->len, "8f de 00 10 df 00 01 11 70");
    aero_buf__reset(b);
    aero_mp__pack_str_header(b, 31);
    aero_mp__pack_str_header(b, 32);
    aero_mp__pack_str_header(b, 255);
    aero_mp__pack_str_header(b, 256);
    aero_mp__pack_str_header(b, 65536);
    assert_bytes_hex(b->data, b->len, "bf d9 20 d9 ff da 01 00 db 00 01 00 00");
}

static void value_encodings_of_protocol_8_2(void **state) {
    fx *f = *state;
    aero_buf *b = &f->b;
    aero_value v = aero_str("abc");
    assert_int_equal(aero_mp__pack_value(b, &v), AERO_OK);
    assert_bytes_hex(b->data, b->len, "a4 03 61 62 63");

    aero_buf__reset(b);
    v = aero_blob("\x01\x02", 2);
    assert_int_equal(aero_mp__pack_value(b, &v), AERO_OK);
    assert_bytes_hex(b->data, b->len, "a3 04 01 02");

    aero_buf__reset(b);
    aero_value items[] = { aero_int(1), aero_int(2), aero_int(3) };
    v = aero_list(items, 3);
    assert_int_equal(aero_mp__pack_value(b, &v), AERO_OK);
    assert_bytes_hex(b->data, b->len, "93 01 02 03");

    aero_buf__reset(b);
    aero_map_entry e[] = { { aero_str("a"), aero_int(1) } };
    v = aero_map(e, 1);
    assert_int_equal(aero_mp__pack_value(b, &v), AERO_OK);
    assert_bytes_hex(b->data, b->len, "81 a2 03 61 01");

    aero_buf__reset(b);
    v = aero_wildcard();
    assert_int_equal(aero_mp__pack_value(b, &v), AERO_OK);
    v = aero_infinity();
    assert_int_equal(aero_mp__pack_value(b, &v), AERO_OK);
    v = aero_geojson("{}");
    assert_int_equal(aero_mp__pack_value(b, &v), AERO_OK);
    assert_bytes_hex(b->data, b->len, "d4 ff 00 d4 ff 01 a3 17 7b 7d");
}

static void ordered_collections_carry_the_ext_prefix(void **state) {
    fx *f = *state;
    aero_buf *b = &f->b;
    aero_map_entry e[] = { { aero_str("a"), aero_int(1) } };
    aero_value m = aero_map(e, 1);
    m.v.map.order = AERO_MAP_KEY_ORDERED;
    assert_int_equal(aero_mp__pack_value(b, &m), AERO_OK);
    assert_bytes_hex(b->data, b->len, "82 c7 00 01 c0 a2 03 61 01");

    aero_mp_reader r = { b->data, b->data + b->len };
    aero_value out;
    assert_int_equal(aero_mp__unpack_value(&r, f->arena, &out), AERO_OK);
    assert_int_equal(out.type, AERO_MAP);
    assert_int_equal(out.v.map.count, 1);
    assert_int_equal(out.v.map.order, AERO_MAP_KEY_ORDERED);
    assert_true(aero_value_equal(&out, &m));

    aero_buf__reset(b);
    aero_value items[] = { aero_int(1), aero_int(2) };
    aero_value l = aero_list(items, 2);
    l.v.list.ordered = true;
    assert_int_equal(aero_mp__pack_value(b, &l), AERO_OK);
    assert_bytes_hex(b->data, b->len, "93 c7 00 01 01 02");
    r = (aero_mp_reader){ b->data, b->data + b->len };
    assert_int_equal(aero_mp__unpack_value(&r, f->arena, &out), AERO_OK);
    assert_int_equal(out.type, AERO_LIST);
    assert_int_equal(out.v.list.count, 2);
    assert_true(out.v.list.ordered);
    assert_int_equal(out.v.list.items[1].v.i, 2);
}

/* Ordered collections go out in the server's value order, whatever the caller's order. */
static void ordered_collections_are_sorted(void **state) {
    fx *f = *state;
    aero_buf *b = &f->b;
    /* keys across types: int < string < blob; strings bytewise, shorter first */
    aero_map_entry inner[] = { { aero_str("z"), aero_int(1) }, { aero_str("y"), aero_int(2) } };
    aero_value in = aero_map(inner, 2);
    in.v.map.order = AERO_MAP_KEY_ORDERED;
    aero_map_entry e[] = {
        { aero_str("b"), aero_int(1) }, { aero_blob("x", 1), aero_int(4) }, { aero_str("ab"), in },
        { aero_str("a"), aero_int(3) }, { aero_int(5), aero_int(2) },       { aero_int(-1), aero_nil() },
    };
    aero_value m = aero_map(e, 6);
    m.v.map.order = AERO_MAP_KEY_VALUE_ORDERED;
    assert_int_equal(aero_mp__pack_value(b, &m), AERO_OK);
    assert_bytes_hex(b->data, b->len,
                     "87 c7 00 03 c0 ff c0 05 02 a2 03 61 03 a3 03 61 62 83 c7 00 01 c0 a2 03 79 02 a2 03 7a 01"
                     " a2 03 62 01 a2 04 78 04");
    assert_int_equal(e[0].key.v.str.ptr[0], 'b'); /* the caller's value is left as it was */

    /* an ordered list: nil < bool < int < string < list < map < blob < double < geojson */
    aero_buf__reset(b);
    aero_value one = aero_int(1);
    aero_value items[] = { aero_geojson("{}"), aero_double(0.5), aero_blob("", 0), aero_map(NULL, 0),
                           aero_list(&one, 1), aero_str("s"),    aero_int(7),      aero_int(-7),
                           aero_bool(true),    aero_bool(false), aero_nil() };
    aero_value l = aero_list(items, 11);
    l.v.list.ordered = true;
    assert_int_equal(aero_mp__pack_value(b, &l), AERO_OK);
    assert_bytes_hex(b->data, b->len,
                     "9c c7 00 01 c0 c2 c3 f9 07 a2 03 73 91 01 80 a1 04 cb 3f e0 00 00 00 00 00 00 a3 17 7b 7d");

    /* more entries than the on-stack index holds, in reverse order; an unordered map is left alone */
    aero_buf__reset(b);
    aero_map_entry big[40];
    for (int i = 0; i < 40; i++)
        big[i] = (aero_map_entry){ aero_int(39 - i), aero_int(i) };
    aero_value bm = aero_map(big, 40);
    bm.v.map.order = AERO_MAP_KEY_ORDERED;
    assert_int_equal(aero_mp__pack_value(b, &bm), AERO_OK);
    assert_bytes_hex(b->data, 8, "de 00 29 c7 00 01 c0 00");
    for (int i = 0; i < 40; i++) {
        assert_int_equal(b->data[7 + 2 * i], i);
        assert_int_equal(b->data[8 + 2 * i], 39 - i);
    }
    aero_buf__reset(b);
    aero_map_entry two[] = { { aero_str("b"), aero_int(1) }, { aero_str("a"), aero_int(2) } };
    aero_value um = aero_map(two, 2);
    assert_int_equal(aero_mp__pack_value(b, &um), AERO_OK);
    assert_bytes_hex(b->data, b->len, "82 a2 03 62 01 a2 03 61 02");
}

/* Packing is canonical: nested ordered maps are compared in the order they are
 * packed in (not the caller's), equal keys keep the caller's order, and packing
 * what was decoded gives the same bytes again. */
static void ordered_packing_is_canonical(void **state) {
    fx *f = *state;
    aero_buf *b = &f->b;
    /* two key-ordered maps given unsorted: {b:1, a:0} packs as {a:0, b:1} and {a:5, b:2} stays; in an
     * ordered list they compare by their first packed entry (a:0 < a:5), not by the caller's (b > a) */
    aero_map_entry m1[] = { { aero_str("b"), aero_int(1) }, { aero_str("a"), aero_int(0) } };
    aero_map_entry m2[] = { { aero_str("a"), aero_int(5) }, { aero_str("b"), aero_int(2) } };
    aero_value items[] = { aero_map(m1, 2), aero_map(m2, 2) };
    items[0].v.map.order = items[1].v.map.order = AERO_MAP_KEY_ORDERED;
    aero_value l = aero_list(items, 2);
    l.v.list.ordered = true;
    assert_int_equal(aero_mp__pack_value(b, &l), AERO_OK);
    assert_bytes_hex(b->data, b->len,
                     "93 c7 00 01 83 c7 00 01 c0 a2 03 61 00 a2 03 62 01 83 c7 00 01 c0 a2 03 61 05 a2 03 62 02");
    /* decode and pack again: the same bytes */
    aero_mp_reader r = { b->data, b->data + b->len };
    aero_value back;
    assert_int_equal(aero_mp__unpack_value(&r, f->arena, &back), AERO_OK);
    aero_buf again;
    aero_buf__init(&again, NULL, 0);
    assert_int_equal(aero_mp__pack_value(&again, &back), AERO_OK);
    assert_int_equal(again.len, b->len);
    assert_memory_equal(again.data, b->data, b->len);
    aero_buf__free(&again);

    /* NaN sorts after every number (a total order: a NaN between numbers made the sort depend on the input order) */
    aero_buf__reset(b);
    aero_value nan_items[] = { aero_double(__builtin_nan("")), aero_double(1.0), aero_double(-1.0) };
    aero_value nl = aero_list(nan_items, 3);
    nl.v.list.ordered = true;
    assert_int_equal(aero_mp__pack_value(b, &nl), AERO_OK);
    assert_bytes_hex(b->data, b->len,
                     "94 c7 00 01 cb bf f0 00 00 00 00 00 00 cb 3f f0 00 00 00 00 00 00 cb 7f f8 00 00 00 00 00 00");

    /* equal keys (a duplicate, 0.0 and -0.0) keep a deterministic order */
    aero_buf__reset(b);
    aero_value d[] = { aero_int(2), aero_double(-0.0), aero_int(1), aero_double(0.0), aero_int(1) };
    aero_value dl = aero_list(d, 5);
    dl.v.list.ordered = true;
    assert_int_equal(aero_mp__pack_value(b, &dl), AERO_OK);
    assert_bytes_hex(b->data, b->len, "96 c7 00 01 01 01 02 cb 00 00 00 00 00 00 00 00 cb 80 00 00 00 00 00 00 00");
}

static void decode_server_forms(void **state) {
    fx *f = *state;
    uint8_t in[256];
    /* kv-ordered map with persisted-index flag, an ext carrying data, float32,
     * str of length 0 (empty blob), a string, a geojson, bin-family blob,
     * and unsigned 64-bit */
    size_t n = tu_unhex("87 c7 00 13 c0"                /* ext key (flags 0x13) + nil value */
                        "a2 03 6b ca 3f c0 00 00"       /* "k": 1.5f */
                        "01 a0"                         /* 1: empty blob */
                        "02 a4 17 7b 7d 00"             /* 2: geojson, 3 bytes after 0x17 */
                        "03 c4 02 04 ff"                /* 3: bin8 blob ff */
                        "04 cf ff ff ff ff ff ff ff ff" /* 4: uint64 max (wraps to -1) */
                        "05 92 d4 ff 00 d4 ff 01",      /* 5: [wildcard, infinity] */
                        SIZE_MAX, in, sizeof in);
    assert_true(n != (size_t)-1);
    aero_mp_reader r = { in, in + n };
    aero_value out;
    assert_int_equal(aero_mp__unpack_value(&r, f->arena, &out), AERO_OK);
    assert_ptr_equal(r.p, in + n);
    assert_int_equal(out.type, AERO_MAP);
    assert_int_equal(out.v.map.order, AERO_MAP_KEY_VALUE_ORDERED);
    assert_int_equal(out.v.map.count, 6);
    const aero_map_entry *e = out.v.map.entries;
    assert_int_equal(e[0].key.type, AERO_STR);
    assert_string_equal(e[0].key.v.str.ptr, "k");
    assert_int_equal(e[0].value.type, AERO_DOUBLE);
    assert_true(e[0].value.v.d == 1.5);
    assert_int_equal(e[1].value.type, AERO_BLOB);
    assert_int_equal(e[1].value.v.bytes.len, 0);
    assert_int_equal(e[2].value.type, AERO_GEOJSON);
    assert_int_equal(e[2].value.v.str.len, 3);
    assert_memory_equal(e[2].value.v.str.ptr, "{}\0", 4); /* copied and NUL-terminated */
    assert_int_equal(e[3].value.type, AERO_BLOB);
    assert_int_equal(e[3].value.v.bytes.len, 1);
    assert_int_equal(e[3].value.v.bytes.ptr[0], 0xff);
    assert_int_equal(e[4].value.type, AERO_INT);
    assert_int_equal(e[4].value.v.i, -1);
    assert_int_equal(e[5].value.type, AERO_LIST);
    assert_int_equal(e[5].value.v.list.items[0].type, AERO_WILDCARD);
    assert_int_equal(e[5].value.v.list.items[1].type, AERO_INFINITY);
    /* strings are copies: changing the input does not change the value */
    in[7] = 'z';
    assert_string_equal(e[0].key.v.str.ptr, "k");
}

static void round_trip_nested(void **state) {
    fx *f = *state;
    aero_value inner[] = { aero_str("x"), aero_double(-0.25),       aero_bool(true),
                           aero_nil(),    aero_blob("\x00\x01", 2), aero_int(-70000) };
    aero_map_entry me[] = { { aero_int(7), aero_list(inner, 6) }, { aero_str("s"), aero_str("") } };
    aero_value top[] = { aero_map(me, 2), aero_int(INT64_MIN), aero_geojson("{\"type\":\"Point\"}") };
    aero_value v = aero_list(top, 3);
    assert_int_equal(aero_mp__pack_value(&f->b, &v), AERO_OK);
    aero_mp_reader r = { f->b.data, f->b.data + f->b.len };
    aero_value out;
    assert_int_equal(aero_mp__unpack_value(&r, f->arena, &out), AERO_OK);
    assert_true(aero_value_equal(&out, &v));
    /* skip walks the same bytes */
    r = (aero_mp_reader){ f->b.data, f->b.data + f->b.len };
    assert_int_equal(aero_mp__skip(&r), AERO_OK);
    assert_ptr_equal(r.p, f->b.data + f->b.len);
}

static void reader_helpers(void **state) {
    (void)state;
    uint8_t in[] = { 0x93, 0x81, 0xa3, 'a', 'b', 'c', 0xc4, 0x01, 0x09, 0xc0 };
    aero_mp_reader r = { in, in + sizeof in };
    uint32_t n;
    const uint8_t *p;
    int64_t i;
    assert_int_equal(aero_mp__read_map_header(&r, &n), AERO_ERR_PROTOCOL);
    assert_ptr_equal(r.p, in); /* failed reads do not move */
    assert_int_equal(aero_mp__read_array_header(&r, &n), AERO_OK);
    assert_int_equal(n, 3);
    assert_int_equal(aero_mp__read_map_header(&r, &n), AERO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(aero_mp__read_int(&r, &i), AERO_ERR_PROTOCOL);
    assert_int_equal(aero_mp__read_str(&r, &p, &n), AERO_OK);
    assert_int_equal(n, 3);
    assert_memory_equal(p, "abc", 3);
    assert_int_equal(aero_mp__read_str(&r, &p, &n), AERO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(p[0], 9);
    assert_int_equal(aero_mp__skip(&r), AERO_OK);
    assert_ptr_equal(r.p, r.end);
    assert_int_equal(aero_mp__skip(&r), AERO_ERR_PROTOCOL);
}

static void hostile_input(void **state) {
    fx *f = *state;
    static const char *bad[] = {
        "",                     /* nothing */
        "c1",                   /* never-used byte */
        "cd 01",                /* truncated uint16 */
        "cb 00 00 00",          /* truncated double */
        "a5 03 61",             /* str longer than the data */
        "db ff ff ff ff 03",    /* huge declared str */
        "dd ff ff ff ff 01",    /* huge declared array: must not allocate 4G items */
        "df 7f ff ff ff 01 02", /* huge declared map */
        "92 01",                /* array missing an item */
        "82 01 02 03",          /* map missing a value */
        "c8 ff ff 01",          /* ext16 longer than the data */
        "d8 ff 00",             /* fixext16 truncated */
        "91 c7 05 01",          /* leading ext longer than the data */
        "92 92 01 02",          /* inner list eats the bytes its parent still owes */
        "92 dc 00 03 01 02 03", /* same, inner count in a dc header */
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        uint8_t in[64];
        size_t n = tu_unhex(bad[k], strlen(bad[k]), in, sizeof in);
        assert_true(n != (size_t)-1);
        aero_mp_reader r = { in, in + n };
        aero_value out;
        if (aero_mp__unpack_value(&r, f->arena, &out) != AERO_ERR_PROTOCOL)
            fail_msg("unpack accepted case %zu (%s)", k, bad[k]);
        assert_ptr_equal(r.p, in);
        r = (aero_mp_reader){ in, in + n };
        if (aero_mp__skip(&r) != AERO_ERR_PROTOCOL)
            fail_msg("skip accepted case %zu (%s)", k, bad[k]);
    }
}

static void deep_nesting(void **state) {
    fx *f = *state;
    enum { DEEP = 10000 };
    uint8_t *in = malloc(DEEP + 1);
    memset(in, 0x91, DEEP); /* [[[[...]]]] */
    in[DEEP] = 0x01;
    aero_mp_reader r = { in, in + DEEP + 1 };
    aero_value out;
    assert_int_equal(aero_mp__unpack_value(&r, f->arena, &out), AERO_ERR_PROTOCOL);
    /* just inside the limit decodes */
    r = (aero_mp_reader){ in + DEEP - AERO_MP_MAX_DEPTH, in + DEEP + 1 };
    assert_int_equal(aero_mp__unpack_value(&r, f->arena, &out), AERO_OK);
    r = (aero_mp_reader){ in + DEEP - AERO_MP_MAX_DEPTH - 1, in + DEEP + 1 };
    assert_int_equal(aero_mp__unpack_value(&r, f->arena, &out), AERO_ERR_PROTOCOL);
    /* the skipper is iterative: deep but well-formed input is fine */
    r = (aero_mp_reader){ in, in + DEEP + 1 };
    assert_int_equal(aero_mp__skip(&r), AERO_OK);
    r = (aero_mp_reader){ in, in + DEEP };
    assert_int_equal(aero_mp__skip(&r), AERO_ERR_PROTOCOL);
    free(in);

    /* packing refuses values nested deeper than the limit */
    aero_value chain[AERO_MP_MAX_DEPTH + 2];
    chain[0] = aero_int(1);
    for (int i = 1; i < AERO_MP_MAX_DEPTH + 2; i++)
        chain[i] = aero_list(&chain[i - 1], 1);
    assert_int_equal(aero_mp__pack_value(&f->b, &chain[AERO_MP_MAX_DEPTH]), AERO_OK);
    aero_buf__reset(&f->b);
    assert_int_equal(aero_mp__pack_value(&f->b, &chain[AERO_MP_MAX_DEPTH + 1]), AERO_ERR_PARAM);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(int_encodings_are_minimal, setup, teardown),
        cmocka_unit_test_setup_teardown(scalar_and_string_encodings, setup, teardown),
        cmocka_unit_test_setup_teardown(header_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(value_encodings_of_protocol_8_2, setup, teardown),
        cmocka_unit_test_setup_teardown(ordered_collections_carry_the_ext_prefix, setup, teardown),
        cmocka_unit_test_setup_teardown(ordered_collections_are_sorted, setup, teardown),
        cmocka_unit_test_setup_teardown(ordered_packing_is_canonical, setup, teardown),
        cmocka_unit_test_setup_teardown(decode_server_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(round_trip_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(reader_helpers, setup, teardown),
        cmocka_unit_test_setup_teardown(hostile_input, setup, teardown),
        cmocka_unit_test_setup_teardown(deep_nesting, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
