/*
 * test_op_encode.c - golden request bytes of list and map operations
 * (aero/op.h) as the encoder writes them into an op region: one op per
 * constructor family, laid out as the official C client lays out the same
 * operation (op header with particle type blob, msgpack [code, args...],
 * policies' attributes and flags, [0xff, [ctx...], payload] for contexts).
 * Also aero_path_parse() and what the encoder refuses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/op.h>

#include "op_internal.h"
#include "testutil.h"

/* Encode one op; assert its size word, then the bytes after it: type, particle, flags, name length, name, payload. */
static void expect_op(aero_op op, const char *hex, int line) {
    uint8_t store[256];
    aero_buf b;
    aero_buf__init(&b, store, sizeof store);
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    char msg[160];
    aero_status st = aero_op__encode(&b, &h, &op, msg, sizeof msg);
    if (st != AERO_OK)
        fail_msg("line %d: %s", line, msg);
    assert_int_equal(h.n_ops, 1);
    assert_true(b.len > 4);
    assert_int_equal(aero_get_u32be(b.data), b.len - 4); /* the size word counts what follows it */
    tu_assert_bytes_hex(b.data + 4, b.len - 4, hex, __FILE__, line);
    aero_buf__free(&b);
}
#define EXPECT(op, hex) expect_op(op, hex, __LINE__)

/* Assert the encoder refuses the op with a message containing `part`, appending nothing. */
static void expect_refused(aero_op op, const char *part, int line) {
    uint8_t store[64];
    aero_buf b;
    aero_buf__init(&b, store, sizeof store);
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    char msg[160];
    aero_status st = aero_op__encode(&b, &h, &op, msg, sizeof msg);
    if (st != AERO_ERR_PARAM || !strstr(msg, part))
        fail_msg("line %d: status %d, message '%s'", line, st, msg);
    assert_int_equal(b.len, 0);
    assert_int_equal(h.n_ops, 0);
}
#define REFUSED(op, part) expect_refused(op, part, __LINE__)

/* op header: size, type (3 CDT read / 4 CDT modify), particle 4 (blob), 0, name length 1, name */
static void test_list_writes(void **state) {
    (void)state;
    aero_path l = aero_path_of("l");
    aero_list_policy pol = { AERO_LIST_ORDERED, AERO_LIST_WRITE_ADD_UNIQUE | AERO_LIST_WRITE_NO_FAIL };
    aero_list_policy flags = { AERO_LIST_UNORDERED, AERO_LIST_WRITE_INSERT_BOUNDED };
    aero_value items[] = { aero_int(1), aero_str("x") };
    EXPECT(aero_list_append(&l, aero_int(4), NULL), "04 04 00 01 6c  92 01 04");
    EXPECT(aero_list_append(&l, aero_int(4), &pol), "04 04 00 01 6c  94 01 04 01 05");
    EXPECT(aero_list_append_items(&l, aero_list(items, 2), NULL), "04 04 00 01 6c  92 02 92 01 a2 03 78");
    /* an insert sends the flags only: the order never applies to an index write */
    EXPECT(aero_list_insert(&l, -1, aero_str("x"), &flags), "04 04 00 01 6c  94 03 ff a2 03 78 02");
    EXPECT(aero_list_insert_items(&l, 2, aero_list(items, 1), NULL), "04 04 00 01 6c  93 04 02 91 01");
    EXPECT(aero_list_set(&l, 300, aero_int(1), NULL), "04 04 00 01 6c  93 09 cd 01 2c 01");
    EXPECT(aero_list_increment(&l, 0, aero_double(1.5), NULL), "04 04 00 01 6c  93 0c 00 cb 3f f8 00 00 00 00 00 00");
    EXPECT(aero_list_pop(&l, 0), "04 04 00 01 6c  92 05 00");
    EXPECT(aero_list_pop_range(&l, 1, 2), "04 04 00 01 6c  93 06 01 02");
    EXPECT(aero_list_pop_range_from(&l, -2), "04 04 00 01 6c  92 06 fe");
    EXPECT(aero_list_remove(&l, 0), "04 04 00 01 6c  92 07 00");
    EXPECT(aero_list_remove_range(&l, 1, 2), "04 04 00 01 6c  93 08 01 02");
    EXPECT(aero_list_remove_range_from(&l, 3), "04 04 00 01 6c  92 08 03");
    EXPECT(aero_list_trim(&l, 1, 2), "04 04 00 01 6c  93 0a 01 02");
    EXPECT(aero_list_clear(&l), "04 04 00 01 6c  91 0b");
    EXPECT(aero_list_sort(&l, AERO_LIST_SORT_DESCENDING | AERO_LIST_SORT_DROP_DUPLICATES), "04 04 00 01 6c  92 0d 03");
    EXPECT(aero_list_set_order(&l, AERO_LIST_ORDERED, false), "04 04 00 01 6c  92 00 01");
    EXPECT(aero_list_set_order(&l, AERO_LIST_ORDERED, true), "04 04 00 01 6c  92 00 11");
}

static void test_list_reads(void **state) {
    (void)state;
    aero_path l = aero_path_of("l");
    aero_value vs[] = { aero_int(3), aero_int(9) };
    EXPECT(aero_list_size(&l), "03 04 00 01 6c  91 10");
    EXPECT(aero_list_get(&l, 2), "03 04 00 01 6c  92 11 02");
    EXPECT(aero_list_get_range(&l, 1, 2), "03 04 00 01 6c  93 12 01 02");
    EXPECT(aero_list_get_range_from(&l, 1), "03 04 00 01 6c  92 12 01");
    EXPECT(aero_list_get_by_index(&l, 1, AERO_CDT_RETURN_VALUE), "03 04 00 01 6c  93 13 07 01");
    EXPECT(aero_list_get_by_index_range(&l, 1, 2, AERO_CDT_RETURN_VALUE | AERO_CDT_RETURN_INVERTED),
           "03 04 00 01 6c  94 18 ce 00 01 00 07 01 02");
    EXPECT(aero_list_get_by_index_range_from(&l, 1, AERO_CDT_RETURN_COUNT), "03 04 00 01 6c  93 18 05 01");
    EXPECT(aero_list_get_by_value(&l, aero_int(3), AERO_CDT_RETURN_INDEX), "03 04 00 01 6c  93 16 01 03");
    EXPECT(aero_list_get_by_value_list(&l, aero_list(vs, 2), AERO_CDT_RETURN_EXISTS),
           "03 04 00 01 6c  93 17 0d 92 03 09");
    EXPECT(aero_list_get_by_value_range(&l, aero_int(3), aero_int(8), AERO_CDT_RETURN_RANK),
           "03 04 00 01 6c  94 19 03 03 08");
    /* no upper bound: the end is left off, as the official client does with a NULL end */
    EXPECT(aero_list_get_by_value_range(&l, aero_nil(), aero_int(4), AERO_CDT_RETURN_VALUE),
           "03 04 00 01 6c  94 19 07 c0 04");
    EXPECT(aero_list_get_by_value_range(&l, aero_int(4), aero_nil(), AERO_CDT_RETURN_VALUE),
           "03 04 00 01 6c  93 19 07 04");
    EXPECT(aero_list_get_by_value_rel_rank_range(&l, aero_int(3), -1, 2, AERO_CDT_RETURN_REVERSE_RANK),
           "03 04 00 01 6c  95 1b 04 03 ff 02");
    EXPECT(aero_list_get_by_value_rel_rank_range_from(&l, aero_int(3), 1, AERO_CDT_RETURN_REVERSE_INDEX),
           "03 04 00 01 6c  94 1b 02 03 01");
    EXPECT(aero_list_get_by_rank(&l, -1, AERO_CDT_RETURN_NONE), "03 04 00 01 6c  93 15 00 ff");
    EXPECT(aero_list_get_by_rank_range(&l, 0, 2, AERO_CDT_RETURN_VALUE), "03 04 00 01 6c  94 1a 07 00 02");
    EXPECT(aero_list_get_by_rank_range_from(&l, 0, AERO_CDT_RETURN_VALUE), "03 04 00 01 6c  93 1a 07 00");
}

static void test_list_removes(void **state) {
    (void)state;
    aero_path l = aero_path_of("l");
    aero_value vs[] = { aero_int(3) };
    EXPECT(aero_list_remove_by_index(&l, 0, AERO_CDT_RETURN_VALUE), "04 04 00 01 6c  93 20 07 00");
    EXPECT(aero_list_remove_by_index_range(&l, 0, 2, AERO_CDT_RETURN_NONE), "04 04 00 01 6c  94 25 00 00 02");
    EXPECT(aero_list_remove_by_index_range_from(&l, 1, AERO_CDT_RETURN_COUNT), "04 04 00 01 6c  93 25 05 01");
    EXPECT(aero_list_remove_by_value(&l, aero_int(3), AERO_CDT_RETURN_COUNT), "04 04 00 01 6c  93 23 05 03");
    EXPECT(aero_list_remove_by_value_list(&l, aero_list(vs, 1), AERO_CDT_RETURN_COUNT),
           "04 04 00 01 6c  93 24 05 91 03");
    EXPECT(aero_list_remove_by_value_range(&l, aero_int(3), aero_int(8), AERO_CDT_RETURN_COUNT),
           "04 04 00 01 6c  94 26 05 03 08");
    EXPECT(aero_list_remove_by_value_rel_rank_range(&l, aero_int(3), 0, 1, AERO_CDT_RETURN_COUNT),
           "04 04 00 01 6c  95 28 05 03 00 01");
    EXPECT(aero_list_remove_by_value_rel_rank_range_from(&l, aero_int(3), 0, AERO_CDT_RETURN_COUNT),
           "04 04 00 01 6c  94 28 05 03 00");
    EXPECT(aero_list_remove_by_rank(&l, 0, AERO_CDT_RETURN_COUNT), "04 04 00 01 6c  93 22 05 00");
    EXPECT(aero_list_remove_by_rank_range(&l, 0, 1, AERO_CDT_RETURN_COUNT), "04 04 00 01 6c  94 27 05 00 01");
    EXPECT(aero_list_remove_by_rank_range_from(&l, 0, AERO_CDT_RETURN_COUNT), "04 04 00 01 6c  93 27 05 00");
}

static void test_map_ops(void **state) {
    (void)state;
    aero_path m = aero_path_of("m");
    aero_map_policy create_only = { AERO_MAP_KEY_ORDERED, AERO_MAP_WRITE_CREATE_ONLY, false };
    aero_map_policy persist = { AERO_MAP_KEY_ORDERED, 0, true };
    aero_map_entry e[] = { { aero_str("a"), aero_int(1) } };
    aero_value keys[] = { aero_str("a") };
    /* put always sends the attributes (0 without a policy); flags only when set */
    EXPECT(aero_map_put(&m, aero_str("a"), aero_int(1), NULL), "04 04 00 01 6d  94 43 a2 03 61 01 00");
    EXPECT(aero_map_put(&m, aero_str("a"), aero_int(1), &create_only), "04 04 00 01 6d  95 43 a2 03 61 01 01 01");
    EXPECT(aero_map_put(&m, aero_str("a"), aero_int(1), &persist), "04 04 00 01 6d  94 43 a2 03 61 01 11");
    EXPECT(aero_map_put_items(&m, aero_map(e, 1), NULL), "04 04 00 01 6d  93 44 81 a2 03 61 01 00");
    EXPECT(aero_map_add(&m, aero_str("a"), aero_int(1), NULL), "04 04 00 01 6d  94 41 a2 03 61 01 00");
    EXPECT(aero_map_add_items(&m, aero_map(e, 1), &persist), "04 04 00 01 6d  93 42 81 a2 03 61 01 11");
    EXPECT(aero_map_replace(&m, aero_str("a"), aero_int(1)), "04 04 00 01 6d  93 45 a2 03 61 01");
    EXPECT(aero_map_replace_items(&m, aero_map(e, 1)), "04 04 00 01 6d  92 46 81 a2 03 61 01");
    EXPECT(aero_list_get_first_by_value(AERO_BIN("l"), aero_int(3), AERO_CDT_RETURN_INDEX),
           "03 04 00 01 6c  93 14 01 03");
    EXPECT(aero_list_remove_first_by_value(AERO_BIN("l"), aero_int(3), AERO_CDT_RETURN_NONE),
           "04 04 00 01 6c  93 21 00 03");
    EXPECT(aero_map_get_first_by_value(&m, aero_int(3), AERO_CDT_RETURN_KEY), "03 04 00 01 6d  93 63 06 03");
    EXPECT(aero_map_remove_first_by_value(&m, aero_int(3), AERO_CDT_RETURN_KEY), "04 04 00 01 6d  93 4e 06 03");
    EXPECT(aero_map_increment(&m, aero_str("a"), aero_int(2), NULL), "04 04 00 01 6d  94 49 a2 03 61 02 00");
    EXPECT(aero_map_decrement(&m, aero_int(7), aero_int(2), NULL), "04 04 00 01 6d  94 4a 07 02 00");
    EXPECT(aero_map_clear(&m), "04 04 00 01 6d  91 4b");
    EXPECT(aero_map_size(&m), "03 04 00 01 6d  91 60");
    EXPECT(aero_map_set_policy(&m, AERO_MAP_KEY_VALUE_ORDERED, false), "04 04 00 01 6d  92 40 03");
    EXPECT(aero_map_set_policy(&m, AERO_MAP_KEY_ORDERED, true), "04 04 00 01 6d  92 40 11");
    EXPECT(aero_map_get_by_key(&m, aero_str("a"), AERO_CDT_RETURN_KEY_VALUE), "03 04 00 01 6d  93 61 08 a2 03 61");
    EXPECT(aero_map_get_by_key_list(&m, aero_list(keys, 1), AERO_CDT_RETURN_ORDERED_MAP),
           "03 04 00 01 6d  93 6b 11 91 a2 03 61");
    EXPECT(aero_map_get_by_key_range(&m, aero_str("a"), aero_str("c"), AERO_CDT_RETURN_KEY),
           "03 04 00 01 6d  94 67 06 a2 03 61 a2 03 63");
    EXPECT(aero_map_get_by_key_rel_index_range(&m, aero_str("b"), 1, 2, AERO_CDT_RETURN_UNORDERED_MAP),
           "03 04 00 01 6d  95 6d 10 a2 03 62 01 02");
    EXPECT(aero_map_get_by_value(&m, aero_int(2), AERO_CDT_RETURN_KEY), "03 04 00 01 6d  93 66 06 02");
    EXPECT(aero_map_get_by_value_list(&m, aero_list(keys, 1), AERO_CDT_RETURN_KEY),
           "03 04 00 01 6d  93 6c 06 91 a2 03 61");
    EXPECT(aero_map_get_by_value_range(&m, aero_int(1), aero_int(3), AERO_CDT_RETURN_KEY),
           "03 04 00 01 6d  94 69 06 01 03");
    EXPECT(aero_map_get_by_value_rel_rank_range_from(&m, aero_int(2), -1, AERO_CDT_RETURN_KEY),
           "03 04 00 01 6d  94 6e 06 02 ff");
    EXPECT(aero_map_get_by_index(&m, 0, AERO_CDT_RETURN_KEY), "03 04 00 01 6d  93 62 06 00");
    EXPECT(aero_map_get_by_index_range(&m, 0, 2, AERO_CDT_RETURN_KEY), "03 04 00 01 6d  94 68 06 00 02");
    EXPECT(aero_map_get_by_rank(&m, -1, AERO_CDT_RETURN_KEY), "03 04 00 01 6d  93 64 06 ff");
    EXPECT(aero_map_get_by_rank_range_from(&m, 1, AERO_CDT_RETURN_KEY), "03 04 00 01 6d  93 6a 06 01");
    EXPECT(aero_map_remove_by_key(&m, aero_str("a"), AERO_CDT_RETURN_NONE), "04 04 00 01 6d  93 4c 00 a2 03 61");
    EXPECT(aero_map_remove_by_key_list(&m, aero_list(keys, 1), AERO_CDT_RETURN_NONE),
           "04 04 00 01 6d  93 51 00 91 a2 03 61");
    EXPECT(aero_map_remove_by_key_range(&m, aero_str("a"), aero_nil(), AERO_CDT_RETURN_NONE),
           "04 04 00 01 6d  93 54 00 a2 03 61");
    EXPECT(aero_map_remove_by_key_rel_index_range_from(&m, aero_str("a"), 0, AERO_CDT_RETURN_NONE),
           "04 04 00 01 6d  94 58 00 a2 03 61 00");
    EXPECT(aero_map_remove_by_value(&m, aero_int(2), AERO_CDT_RETURN_NONE), "04 04 00 01 6d  93 52 00 02");
    EXPECT(aero_map_remove_by_value_list(&m, aero_list(keys, 1), AERO_CDT_RETURN_NONE),
           "04 04 00 01 6d  93 53 00 91 a2 03 61");
    EXPECT(aero_map_remove_by_value_range(&m, aero_int(1), aero_int(3), AERO_CDT_RETURN_NONE),
           "04 04 00 01 6d  94 56 00 01 03");
    EXPECT(aero_map_remove_by_value_rel_rank_range(&m, aero_int(2), 0, 1, AERO_CDT_RETURN_NONE),
           "04 04 00 01 6d  95 59 00 02 00 01");
    EXPECT(aero_map_remove_by_index(&m, 0, AERO_CDT_RETURN_NONE), "04 04 00 01 6d  93 4d 00 00");
    EXPECT(aero_map_remove_by_index_range(&m, 0, 1, AERO_CDT_RETURN_NONE), "04 04 00 01 6d  94 55 00 00 01");
    EXPECT(aero_map_remove_by_rank(&m, 0, AERO_CDT_RETURN_NONE), "04 04 00 01 6d  93 4f 00 00");
    EXPECT(aero_map_remove_by_rank_range(&m, 0, 1, AERO_CDT_RETURN_NONE), "04 04 00 01 6d  94 57 00 00 01");
}

/* [0xff, [ctx type, value, ...], payload]; create flags on the last step. */
static void test_context(void **state) {
    (void)state;
    EXPECT(aero_list_append(AERO_PATH("m", aero_at_map_key_str("a"), aero_at_list_index(0)), aero_int(4), NULL),
           "04 04 00 01 6d  93 cc ff 94 22 a2 03 61 10 00 92 01 04");
    EXPECT(aero_map_create(AERO_PATH("m", aero_at_map_key_str("c")), AERO_MAP_KEY_ORDERED),
           "04 04 00 01 6d  93 cc ff 92 cc a2 a2 03 63 92 40 01");
    EXPECT(aero_list_create(AERO_PATH("l", aero_at_list_index(2)), AERO_LIST_ORDERED, false, false),
           "04 04 00 01 6c  93 cc ff 92 cc d0 02 92 00 01");
    EXPECT(aero_list_create(AERO_PATH("l", aero_at_list_index(2)), AERO_LIST_UNORDERED, true, false),
           "04 04 00 01 6c  93 cc ff 92 cc 90 02 92 00 00");
    EXPECT(aero_list_size(AERO_PATH("l", aero_at_list_index_create(-1, false, false), aero_at_list_rank(0),
                                    aero_at_list_value(aero_int(5)), aero_at_map_index(1), aero_at_map_rank(2),
                                    aero_at_map_key_int(3), aero_at_map_value(aero_bool(true)))),
           "03 04 00 01 6c  93 cc ff 9e 50 ff 11 00 13 05 20 01 21 02 22 03 23 c3 91 10");
    /* a map created with an order on the way (aero_at_map_key_create) */
    EXPECT(aero_map_size(AERO_PATH("m", aero_at_map_key_create(aero_str("k"), AERO_MAP_KEY_VALUE_ORDERED))),
           "03 04 00 01 6d  93 cc ff 92 cc e2 a2 03 6b 91 60");
}

static void test_path_parse(void **state) {
    (void)state;
    aero_path p;
    aero_error err;
    const char *theme = "$.prefs.theme";
    assert_int_equal(aero_path_parse(&p, theme, &err), AERO_OK);
    assert_string_equal(p.bin, "prefs");
    assert_int_equal(p.n, 1);
    assert_int_equal(p.step[0].type, AERO_CTX_MAP_KEY);
    assert_int_equal(p.step[0].value.type, AERO_STR);
    assert_int_equal(p.step[0].value.v.str.len, 5);
    assert_ptr_equal(p.step[0].value.v.str.ptr, theme + 8); /* points into the text */
    assert_int_equal(aero_path_parse(&p, "$.events.[-1]", &err), AERO_OK);
    assert_string_equal(p.bin, "events");
    assert_int_equal(p.n, 1);
    assert_int_equal(p.step[0].type, AERO_CTX_LIST_INDEX);
    assert_int_equal(p.step[0].value.v.i, -1);
    assert_int_equal(aero_path_parse(&p, "$.m.a.[=5].{#0}.[#-1].{1}", &err), AERO_OK);
    assert_int_equal(p.n, 5);
    assert_int_equal(p.step[1].type, AERO_CTX_LIST_VALUE);
    assert_int_equal(p.step[1].value.v.i, 5);
    assert_int_equal(p.step[2].type, AERO_CTX_MAP_RANK);
    assert_int_equal(p.step[3].type, AERO_CTX_LIST_RANK);
    assert_int_equal(p.step[3].value.v.i, -1);
    assert_int_equal(p.step[4].type, AERO_CTX_MAP_INDEX);
    assert_int_equal(p.step[4].value.v.i, 1);
    assert_int_equal(aero_path_parse(&p, "$.tags", &err), AERO_OK);
    assert_string_equal(p.bin, "tags");
    assert_int_equal(p.n, 0);
    EXPECT(aero_map_size(&p), "03 04 00 04 74 61 67 73  91 60");
    assert_int_equal(aero_path_parse(&p, "$.l.[1:3]", &err), AERO_ERR_AEL);
    assert_int_equal(aero_path_parse(&p, "$.a.b.c.d.e.f.g.h.i.j", &err), AERO_ERR_AEL);
    assert_non_null(strstr(err.message, "more than 8"));
    assert_int_equal(aero_path_parse(&p, "$.abcdefghijklmnopq.a", &err), AERO_ERR_AEL);
    assert_int_equal(aero_path_parse(NULL, "$.a", &err), AERO_ERR_PARAM);
}

static void test_refused(void **state) {
    (void)state;
    aero_path l = aero_path_of("l");
    aero_path deep = aero_path_of("l");
    for (int i = 0; i <= AERO_PATH_MAX; i++)
        aero_path_push(&deep, aero_at_list_index(0));
    aero_list_policy ordered = { AERO_LIST_ORDERED, 0 };
    REFUSED(aero_list_size(&deep), "more than 8 context steps");
    REFUSED(aero_list_size(AERO_BIN("")), "bin name");
    REFUSED(aero_list_size(NULL), "path is NULL");
    REFUSED(aero_list_set(&l, 0, aero_int(1), &ordered), "unordered list");
    REFUSED(aero_list_get_by_rank(&l, 0, AERO_CDT_RETURN_RANK | AERO_CDT_RETURN_INVERTED), "INVERTED");
    REFUSED(aero_list_get_by_value(&l, aero_int(1), AERO_CDT_RETURN_KEY_VALUE), "are for maps");
    REFUSED(aero_list_get_by_value(&l, aero_int(1), 0x20000), "unknown return type bits");
    REFUSED(aero_list_append(&l, aero_blob(NULL, 3), NULL), "blob value is NULL");
    REFUSED(aero_list_create(&l, AERO_LIST_UNORDERED, true, false), "pad needs a context step");
    REFUSED(aero_list_set_order(AERO_PATH("l", aero_at_list_index(0)), AERO_LIST_ORDERED, true), "top-level");
    REFUSED(aero_list_increment(&l, 0, aero_str("1"), NULL), "int or a double");
    REFUSED(aero_map_get_by_key_list(AERO_BIN("m"), aero_list(NULL, 0), AERO_CDT_RETURN_RANK), "key list");
    REFUSED(aero_map_get_by_key_list(AERO_BIN("m"), aero_int(1), AERO_CDT_RETURN_KEY), "must be a list");
    REFUSED(aero_list_pop_range(&l, 0, UINT64_MAX), "INT64_MAX");
    REFUSED(aero_map_get_first_by_value(AERO_BIN("m"), aero_int(1), AERO_CDT_RETURN_KEY | AERO_CDT_RETURN_INVERTED),
            "INVERTED");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_writes), cmocka_unit_test(test_list_reads), cmocka_unit_test(test_list_removes),
        cmocka_unit_test(test_map_ops),     cmocka_unit_test(test_context),    cmocka_unit_test(test_path_parse),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
