/*
 * test_typed_codec.c - typed lists, maps and documents (runtime/src/typed/
 * typed_codec.c) with descriptors written by hand the way aerogen writes
 * them: golden msgpack bytes of the C -> wire packing, the wire -> C decode
 * (ordered-collection prefixes skipped, strings terminated in place, arrays
 * in the arena), the aero_value conversions both ways, and every error with
 * the path it names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "proto/arena.h"
#include "proto/buf.h"
#include "proto/msgpack.h"
#include "typed/typed_internal.h"

/* ---- the shapes, as aerogen emits them ---- */

typedef struct address {
    const char *street;
    bool has_zip;
    int64_t zip;
    bool has_city;
    const char *city;
} address;

static const address address_init = { NULL, false, 0, false, "Berlin" };
static const aero_schema_bin address_fields[] = {
    { "street", "street", offsetof(address, street), AERO_SCHEMA_NO_FLAG, AERO_SCHEMA_STR, AERO_SCHEMA_REQUIRED, 6,
      "street", NULL, NULL },
    { "zip", "zip", offsetof(address, zip), offsetof(address, has_zip), AERO_SCHEMA_INT, 0, 3, "zip", NULL, NULL },
    { "city", "city", offsetof(address, city), offsetof(address, has_city), AERO_SCHEMA_STR, AERO_SCHEMA_HAS_DEFAULT,
      4, "city", NULL, NULL },
};
static const uint32_t address_by_name[] = { 2, 0, 1 }; /* city, street, zip */
static const aero_schema_doc address_doc = { "address", sizeof(address), &address_init, address_fields, 3,
                                             address_by_name };
static const aero_schema_tdesc address_tdesc = { AERO_SCHEMA_DOC, sizeof(address), NULL, NULL, 0, 0, &address_doc };

static const aero_schema_tdesc t_int = { AERO_SCHEMA_INT, sizeof(int64_t), NULL, NULL, 0, 0, NULL };
static const aero_schema_tdesc t_str = { AERO_SCHEMA_STR, sizeof(const char *), NULL, NULL, 0, 0, NULL };
static const aero_schema_tdesc t_double = { AERO_SCHEMA_DOUBLE, sizeof(double), NULL, NULL, 0, 0, NULL };
static const aero_schema_tdesc t_blob = { AERO_SCHEMA_BLOB, sizeof(aero_bytes), NULL, NULL, 0, 0, NULL };
static const aero_schema_tdesc t_bool = { AERO_SCHEMA_BOOL, sizeof(bool), NULL, NULL, 0, 0, NULL };

static const aero_schema_tdesc list_str = { AERO_SCHEMA_LIST, sizeof(aero_list_str), &t_str, NULL, 0, 0, NULL };
static const aero_schema_tdesc list_int = { AERO_SCHEMA_LIST, sizeof(aero_list_int), &t_int, NULL, 0, 0, NULL };
static const aero_schema_tdesc map_str_int = { AERO_SCHEMA_MAP,
                                               sizeof(aero_map_str_int),
                                               &t_int,
                                               &t_str,
                                               sizeof(aero_map_str_int_entry),
                                               offsetof(aero_map_str_int_entry, value),
                                               NULL };

/* list<address> and map<int, list<int>> */
AERO_SCHEMA_LIST_OF(list_address, address);
static const aero_schema_tdesc list_address_tdesc = { AERO_SCHEMA_LIST, sizeof(list_address), &address_tdesc, NULL, 0, 0,
                                                      NULL };
AERO_SCHEMA_MAP_OF(map_int_list_int, int64_t, aero_list_int);
static const aero_schema_tdesc map_int_list_int_tdesc = { AERO_SCHEMA_MAP,
                                                          sizeof(map_int_list_int),
                                                          &list_int,
                                                          &t_int,
                                                          sizeof(map_int_list_int_entry),
                                                          offsetof(map_int_list_int_entry, value),
                                                          NULL };

static aero_schema_bin bin_of(uint8_t type, const aero_schema_tdesc *t) {
    aero_schema_bin b = { "f", "f", 0, AERO_SCHEMA_NO_FLAG, type, 0, 1, "f", NULL, t };
    return b;
}

static void expect_bytes(const aero_buf *b, const char *hex) {
    char got[1024] = "";
    for (size_t i = 0; i < b->len && 2 * i + 2 < sizeof got; i++)
        snprintf(got + 2 * i, 3, "%02x", b->data[i]);
    assert_string_equal(got, hex);
}

/* Pack, then decode the bytes back (from a writable copy: decoding terminates strings in place). */
static aero_status roundtrip(uint8_t type, const aero_schema_tdesc *t, const void *in, aero_arena *arena, void *out,
                             uint8_t *copy, size_t cap, aero_error *err) {
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    aero_status rc = aero_schema__pack_c(&b, type, t, in, "value", err);
    if (rc == AERO_OK) {
        assert_true(b.len <= cap);
        memcpy(copy, b.data, b.len);
        aero_schema_bin bin = bin_of(type, t);
        rc = aero_schema__unpack_bin("rec", &bin, copy, b.len, arena, out, err);
    }
    aero_buf__free(&b);
    return rc;
}

static void test_pack_golden(void **state) {
    (void)state;
    aero_error err;
    aero_buf b;
    aero_buf__init(&b, NULL, 0);

    const char *tags[] = { "a", "" };
    aero_list_str ls = { tags, 2 };
    assert_int_equal(aero_schema__pack_c(&b, AERO_SCHEMA_LIST, &list_str, &ls, "tags", &err), AERO_OK);
    expect_bytes(&b, "92a20361a103");

    aero_buf__reset(&b);
    aero_map_str_int_entry es[] = { { "x", 1 }, { "y", -1 } };
    aero_map_str_int m = { es, 2 };
    assert_int_equal(aero_schema__pack_c(&b, AERO_SCHEMA_MAP, &map_str_int, &m, "m", &err), AERO_OK);
    expect_bytes(&b, "82a2037801a20379ff");

    /* a document: required street, optional zip set, optional city not set (absent, its default unused) */
    aero_buf__reset(&b);
    address a = address_init;
    a.street = "Main";
    a.has_zip = true;
    a.zip = 10115;
    assert_int_equal(aero_schema__pack_c(&b, AERO_SCHEMA_DOC, &address_tdesc, &a, "home", &err), AERO_OK);
    expect_bytes(&b, "82a703737472656574a5034d61696ea4037a6970cd2783");

    /* empty list; nested map<int, list<int>> */
    aero_buf__reset(&b);
    aero_list_str empty = { tags, 0 };
    assert_int_equal(aero_schema__pack_c(&b, AERO_SCHEMA_LIST, &list_str, &empty, "e", &err), AERO_OK);
    expect_bytes(&b, "90");
    aero_buf__reset(&b);
    int64_t xs[] = { 1, 300 };
    map_int_list_int_entry me[] = { { 7, { xs, 2 } } };
    map_int_list_int mm = { me, 1 };
    assert_int_equal(aero_schema__pack_c(&b, AERO_SCHEMA_MAP, &map_int_list_int_tdesc, &mm, "mm", &err), AERO_OK);
    expect_bytes(&b, "81079201cd012c");
    aero_buf__free(&b);
}

static void test_pack_errors(void **state) {
    (void)state;
    aero_error err;
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    const char *tags[] = { "ok", NULL };
    aero_list_str ls = { tags, 2 };
    assert_int_equal(aero_schema__pack_c(&b, AERO_SCHEMA_LIST, &list_str, &ls, "user.tags", &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "user.tags[1] is NULL"));

    aero_list_str bad = { NULL, 3 };
    aero_buf__reset(&b);
    assert_int_equal(aero_schema__pack_c(&b, AERO_SCHEMA_LIST, &list_str, &bad, "user.tags", &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "NULL items"));

    address homes[2] = { address_init, address_init };
    homes[0].street = "A";
    list_address la = { homes, 2 }; /* homes[1] has no street, which is required */
    aero_buf__reset(&b);
    assert_int_equal(aero_schema__pack_c(&b, AERO_SCHEMA_LIST, &list_address_tdesc, &la, "user.homes", &err),
                     AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "user.homes[1].street is NULL"));

    /* a hand-made descriptor that lacks its element is refused, not followed */
    aero_schema_tdesc broken = list_str;
    broken.item = NULL;
    aero_buf__reset(&b);
    assert_int_equal(aero_schema__pack_c(&b, AERO_SCHEMA_LIST, &broken, &ls, "x", &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "descriptor"));
    aero_buf__free(&b);
}

static void test_roundtrip(void **state) {
    (void)state;
    aero_error err;
    aero_arena *arena = aero_arena__new();
    uint8_t copy[512];

    const char *tags[] = { "red", "", "blue" };
    aero_list_str ls = { tags, 3 }, ls_out = { NULL, 0 };
    assert_int_equal(roundtrip(AERO_SCHEMA_LIST, &list_str, &ls, arena, &ls_out, copy, sizeof copy, &err), AERO_OK);
    assert_int_equal(ls_out.count, 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(ls_out.items[i], tags[i]);
    /* strings point into the decoded bytes, terminated in place */
    assert_true((const uint8_t *)ls_out.items[0] >= copy && (const uint8_t *)ls_out.items[0] < copy + sizeof copy);

    address homes[2] = { address_init, address_init };
    homes[0].street = "Main";
    homes[0].has_zip = true;
    homes[0].zip = 10115;
    homes[1].street = "Side";
    homes[1].has_city = true;
    homes[1].city = "Paris";
    list_address la = { homes, 2 }, la_out = { NULL, 0 };
    assert_int_equal(roundtrip(AERO_SCHEMA_LIST, &list_address_tdesc, &la, arena, &la_out, copy, sizeof copy, &err),
                     AERO_OK);
    assert_int_equal(la_out.count, 2);
    assert_string_equal(la_out.items[0].street, "Main");
    assert_true(la_out.items[0].has_zip);
    assert_int_equal(la_out.items[0].zip, 10115);
    assert_false(la_out.items[0].has_city);
    assert_string_equal(la_out.items[0].city, "Berlin"); /* the default */
    assert_false(la_out.items[1].has_zip);
    assert_true(la_out.items[1].has_city);
    assert_string_equal(la_out.items[1].city, "Paris");

    int64_t xs[] = { INT64_MIN, 0, INT64_MAX };
    map_int_list_int_entry me[] = { { -5, { xs, 3 } }, { 9, { xs, 0 } } };
    map_int_list_int mm = { me, 2 }, mm_out = { NULL, 0 };
    assert_int_equal(
        roundtrip(AERO_SCHEMA_MAP, &map_int_list_int_tdesc, &mm, arena, &mm_out, copy, sizeof copy, &err), AERO_OK);
    assert_int_equal(mm_out.count, 2);
    assert_int_equal(mm_out.entries[0].key, -5);
    assert_int_equal(mm_out.entries[0].value.count, 3);
    assert_true(mm_out.entries[0].value.items[0] == INT64_MIN && mm_out.entries[0].value.items[2] == INT64_MAX);
    assert_int_equal(mm_out.entries[1].value.count, 0);
    assert_non_null(mm_out.entries[1].value.items); /* an empty list is not "no list" */

    aero_arena__free(arena);
}

static void test_decode_rules(void **state) {
    (void)state;
    aero_error err;
    aero_arena *arena = aero_arena__new();
    aero_schema_bin b;

    /* an ordered list (leading c7 00 01) and a key-ordered map (leading c7 00 01 c0 pair) */
    uint8_t ol[] = { 0x93, 0xc7, 0x00, 0x01, 0x01, 0x02 };
    aero_list_int li;
    b = bin_of(AERO_SCHEMA_LIST, &list_int);
    assert_int_equal(aero_schema__unpack_bin("rec", &b, ol, sizeof ol, arena, &li, &err), AERO_OK);
    assert_int_equal(li.count, 2);
    assert_int_equal(li.items[1], 2);
    uint8_t om[] = { 0x82, 0xc7, 0x00, 0x01, 0xc0, 0xa2, 0x03, 'k', 0x05 };
    aero_map_str_int mo;
    b = bin_of(AERO_SCHEMA_MAP, &map_str_int);
    assert_int_equal(aero_schema__unpack_bin("rec", &b, om, sizeof om, arena, &mo, &err), AERO_OK);
    assert_int_equal(mo.count, 1);
    assert_string_equal(mo.entries[0].key, "k");
    assert_int_equal(mo.entries[0].value, 5);

    /* a document: unknown keys and nil values are skipped; a non-string key is skipped */
    uint8_t doc[] = { 0x84, 0xa6, 0x03, 'o', 't', 'h', 'e', 'r', 0x01, 0xa4, 0x03, 'z', 'i', 'p', 0xc0,
                      0x07, 0x08, 0xa7, 0x03, 's', 't', 'r', 'e', 'e', 't', 0xa2, 0x03, 'X' };
    address a;
    b = bin_of(AERO_SCHEMA_DOC, &address_tdesc);
    assert_int_equal(aero_schema__unpack_bin("rec", &b, doc, sizeof doc, arena, &a, &err), AERO_OK);
    assert_string_equal(a.street, "X");
    assert_false(a.has_zip);
    assert_string_equal(a.city, "Berlin");

    /* a document without its required field */
    uint8_t nostreet[] = { 0x81, 0xa4, 0x03, 'z', 'i', 'p', 0x01 };
    assert_int_equal(aero_schema__unpack_bin("user", &b, nostreet, sizeof nostreet, arena, &a, &err),
                     AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_non_null(strstr(err.message, "lacks its required field 'street'"));

    /* wrong element type, with the path */
    uint8_t mixed[] = { 0x92, 0x01, 0xa2, 0x03, 'x' };
    b = bin_of(AERO_SCHEMA_LIST, &list_int);
    b.field = "scores";
    assert_int_equal(aero_schema__unpack_bin("user", &b, mixed, sizeof mixed, arena, &li, &err),
                     AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    assert_non_null(strstr(err.message, "user.scores[1] is string, declared int"));

    /* a double list accepts ints; a bool accepts 0/1 */
    static const aero_schema_tdesc list_double = { AERO_SCHEMA_LIST, sizeof(aero_list_double), &t_double, NULL, 0, 0,
                                                   NULL };
    uint8_t dl[] = { 0x92, 0x03, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0 };
    aero_list_double ld;
    b = bin_of(AERO_SCHEMA_LIST, &list_double);
    assert_int_equal(aero_schema__unpack_bin("rec", &b, dl, sizeof dl, arena, &ld, &err), AERO_OK);
    assert_true(ld.items[0] == 3.0 && ld.items[1] == 1.5);
    static const aero_schema_tdesc list_bool = { AERO_SCHEMA_LIST, sizeof(aero_list_bool), &t_bool, NULL, 0, 0, NULL };
    uint8_t bl[] = { 0x93, 0xc3, 0x00, 0x01 };
    aero_list_bool lb;
    b = bin_of(AERO_SCHEMA_LIST, &list_bool);
    assert_int_equal(aero_schema__unpack_bin("rec", &b, bl, sizeof bl, arena, &lb, &err), AERO_OK);
    assert_true(lb.items[0] && !lb.items[1] && lb.items[2]);
    /* blobs: particle 4, and the empty blob (length 0) */
    static const aero_schema_tdesc list_blob = { AERO_SCHEMA_LIST, sizeof(aero_list_blob), &t_blob, NULL, 0, 0, NULL };
    uint8_t yl[] = { 0x92, 0xa3, 0x04, 0xde, 0xad, 0xa0 };
    aero_list_blob ly;
    b = bin_of(AERO_SCHEMA_LIST, &list_blob);
    assert_int_equal(aero_schema__unpack_bin("rec", &b, yl, sizeof yl, arena, &ly, &err), AERO_OK);
    assert_int_equal(ly.items[0].len, 2);
    assert_int_equal(ly.items[0].ptr[1], 0xad);
    assert_int_equal(ly.items[1].len, 0);

    aero_arena__free(arena);
}

static void test_decode_hostile(void **state) {
    (void)state;
    aero_error err;
    aero_arena *arena = aero_arena__new();
    aero_list_int li;
    aero_schema_bin b = bin_of(AERO_SCHEMA_LIST, &list_int);
    /* a count far beyond the bytes: refused before any allocation */
    uint8_t huge[] = { 0xdd, 0x7f, 0xff, 0xff, 0xff, 0x01 };
    assert_int_equal(aero_schema__unpack_bin("rec", &b, huge, sizeof huge, arena, &li, &err), AERO_ERR_PROTOCOL);
    /* truncated in the middle of an item */
    uint8_t cut[] = { 0x92, 0x01, 0xcd, 0x01 };
    assert_int_equal(aero_schema__unpack_bin("rec", &b, cut, sizeof cut, arena, &li, &err), AERO_ERR_PROTOCOL);
    /* trailing bytes after the value */
    uint8_t extra[] = { 0x91, 0x01, 0x01 };
    assert_int_equal(aero_schema__unpack_bin("rec", &b, extra, sizeof extra, arena, &li, &err), AERO_ERR_PROTOCOL);
    /* every prefix of a good value fails cleanly */
    uint8_t good[] = { 0x82, 0xa7, 0x03, 's', 't', 'r', 'e', 'e', 't', 0xa2, 0x03, 'X',
                       0xa4, 0x03, 'z', 'i', 'p', 0xcd, 0x27, 0x83 };
    b = bin_of(AERO_SCHEMA_DOC, &address_tdesc);
    for (size_t n = 0; n < sizeof good; n++) {
        uint8_t copy[sizeof good];
        memcpy(copy, good, sizeof good);
        address a;
        assert_int_not_equal(aero_schema__unpack_bin("rec", &b, copy, n, arena, &a, &err), AERO_OK);
    }
    aero_arena__free(arena);
}

static void test_value_conversions(void **state) {
    (void)state;
    aero_error err;
    aero_arena *arena = aero_arena__new();
    address homes[1] = { address_init };
    homes[0].street = "Main";
    homes[0].has_zip = true;
    homes[0].zip = 1;
    list_address la = { homes, 1 };

    /* C -> value -> msgpack gives the same bytes as C -> msgpack */
    aero_value v;
    assert_int_equal(aero_schema__value_from_c(&list_address_tdesc, &la, arena, &v, &err), AERO_OK);
    assert_int_equal(v.type, AERO_LIST);
    aero_buf b1, b2;
    aero_buf__init(&b1, NULL, 0);
    aero_buf__init(&b2, NULL, 0);
    assert_int_equal(aero_mp__pack_value(&b1, &v), AERO_OK);
    assert_int_equal(aero_schema__pack_c(&b2, AERO_SCHEMA_LIST, &list_address_tdesc, &la, "v", &err), AERO_OK);
    assert_int_equal(b1.len, b2.len);
    assert_memory_equal(b1.data, b2.data, b1.len);

    /* value -> C */
    list_address back;
    assert_int_equal(aero_schema__value_to_c(&list_address_tdesc, &v, arena, &back, &err), AERO_OK);
    assert_int_equal(back.count, 1);
    assert_string_equal(back.items[0].street, "Main");
    assert_int_equal(back.items[0].zip, 1);

    /* a scalar descriptor converts one scalar */
    aero_value s = aero_str("x");
    const char *out = NULL;
    assert_int_equal(aero_schema__value_to_c(&t_str, &s, arena, &out, &err), AERO_OK);
    assert_string_equal(out, "x");
    int64_t i = 0;
    assert_int_equal(aero_schema__value_to_c(&t_int, &s, arena, &i, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);

    aero_buf__free(&b1);
    aero_buf__free(&b2);
    aero_arena__free(arena);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_golden),      cmocka_unit_test(test_pack_errors),
        cmocka_unit_test(test_roundtrip),        cmocka_unit_test(test_decode_rules),
        cmocka_unit_test(test_decode_hostile),   cmocka_unit_test(test_value_conversions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
