/*
 * test_index_wire.c - the index parts of a query on the wire (protocol.md
 * 7.1, 7.3: fields 26, 22, 23, 21, 24) as golden bytes, the base64 of
 * sindex-create, and the parsing of sindex-list answers recorded from a real
 * 8.1.2.0 server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aero_assert.h"
#include "cluster/indexes.h"
#include "index_internal.h"
#include "proto/base64.h"
#include "proto/wire.h"

static void hex(const uint8_t *d, size_t n, char *out) {
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

/* The encoded fields of a filter, as hex. */
static void encode_hex(const aero_index_filter *f, char *out) {
    aero_index_cond c;
    char msg[160];
    assert_int_equal(aero_index__cond_from_filter(f, &c, msg, sizeof msg), AERO_OK);
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    aero_index__cond_encode(&b, &h, &c);
    assert_false(b.failed);
    hex(b.data, b.len, out);
    aero_buf__free(&b);
    aero_index__cond_free(&c);
}

static void test_range_golden(void **state) {
    (void)state;
    char out[512];
    aero_index_filter f = aero_index_range("age", 10, 20);
    encode_hex(&f, out);
    /* len 31+1, type 22; 1 range; bin "age"; particle 1; 8 + be64(10); 8 + be64(20) */
    assert_string_equal(out, "0000001f"
                             "16"
                             "01"
                             "03616765"
                             "01"
                             "00000008000000000000000a"
                             "000000080000000000000014");
}

static void test_contains_str_golden(void **state) {
    (void)state;
    char out[512];
    aero_index_filter f = aero_index_contains_str("tags", AERO_INDEX_COLLECTION_MAPKEYS, "x");
    encode_hex(&f, out);
    /* INDEX_TYPE 2 first, then the range: string "x" twice */
    assert_string_equal(out, "000000021a02"
                             "000000121601047461677303"
                             "0000000178"
                             "0000000178");
}

static void test_by_name_and_ctx_golden(void **state) {
    (void)state;
    char out[512];
    aero_index_filter f = aero_index_equal_int(NULL, 7);
    f.index_name = "ix";
    encode_hex(&f, out);
    /* no bin in the range; INDEX_NAME (21) after it */
    assert_string_equal(out, "0000001c"
                             "16"
                             "01"
                             "00"
                             "01"
                             "000000080000000000000007"
                             "000000080000000000000007"
                             "00000003"
                             "15"
                             "6978");
    f = aero_index_equal_str("prefs", "dark");
    f.ctx = "$.prefs.theme";
    encode_hex(&f, out);
    /* INDEX_CONTEXT (23): [map_key(0x22), "theme"] with the string particle prefix */
    assert_string_equal(out, "00000019"
                             "16"
                             "01"
                             "057072656673"
                             "03"
                             "000000046461726b"
                             "000000046461726b"
                             "0000000a"
                             "17"
                             "9222a6037468656d65");
}

static void test_geo_circle_text(void **state) {
    (void)state;
    aero_index_filter f = aero_index_geo_within_radius("loc", -122.5, 37.25, 1000);
    aero_index_cond c;
    char msg[160];
    assert_int_equal(aero_index__cond_from_filter(&f, &c, msg, sizeof msg), AERO_OK);
    assert_int_equal(c.ptype, AERO_PT_GEOJSON);
    assert_int_equal(c.value_len, strlen("{\"type\":\"AeroCircle\",\"coordinates\":[[-122.5,37.25],1000]}"));
    assert_memory_equal(c.value, "{\"type\":\"AeroCircle\",\"coordinates\":[[-122.5,37.25],1000]}", c.value_len);
    aero_index__cond_free(&c);
}

static void test_bad_filters(void **state) {
    (void)state;
    aero_index_cond c;
    char msg[160];
    aero_index_filter f = aero_index_range("age", 2, 1);
    assert_int_equal(aero_index__cond_from_filter(&f, &c, msg, sizeof msg), AERO_ERR_PARAM);
    f = aero_index_equal_int(NULL, 1);
    assert_int_equal(aero_index__cond_from_filter(&f, &c, msg, sizeof msg), AERO_ERR_PARAM);
    f = aero_index_equal_int("a", 1);
    f.version = 9;
    assert_int_equal(aero_index__cond_from_filter(&f, &c, msg, sizeof msg), AERO_ERR_PARAM);
    assert_non_null(strstr(msg, "version 9"));
    f = aero_index_equal_int("a", 1);
    f.ctx = "$.b.x";
    assert_int_equal(aero_index__cond_from_filter(&f, &c, msg, sizeof msg), AERO_ERR_PARAM);
}

static void test_b64(void **state) {
    (void)state;
    char out[32];
    static const uint8_t ctx[] = { 0x92, 0x22, 0xa6, 0x03, 't', 'h', 'e', 'm', 'e' };
    assert_int_equal(aero_base64__encode(ctx, sizeof ctx, out, sizeof out), 12);
    assert_string_equal(out, "kiKmA3RoZW1l"); /* what 8.1.2.0 lists for this context with b64=true */
    static const uint8_t two[] = { 0x92, 0x10 };
    aero_base64__encode(two, 2, out, sizeof out);
    assert_string_equal(out, "khA=");
    assert_int_equal(aero_base64__encode(ctx, sizeof ctx, out, 12), 0); /* no room for the NUL */
}

/* sindex-list:namespace=test;b64=true of a real 8.1.2.0 node (two entries), then a second node. */
static void test_parse_real_list(void **state) {
    (void)state;
    const char *a = "ns=test:indexname=idxgold_lst:set=idxgold:bin=l:type=numeric:indextype=default:context=khAA:"
                    "exp=null:state=RW;ns=test:indexname=idxgold_c2:set=idxgold:bin=m:type=numeric:"
                    "indextype=mapkeys:context=lCKiA2EQ/w==:exp=null:state=WO;ns=test:indexname=s1:set=x:"
                    "indextype=SET";
    aero_index_info *list = NULL;
    size_t n = 0;
    assert_int_equal(aero_index__merge_list(a, strlen(a), &list, &n), AERO_OK);
    assert_int_equal(n, 2); /* the set index is not listed */
    assert_string_equal(list[0].name, "idxgold_lst");
    assert_string_equal(list[0].set, "idxgold");
    assert_string_equal(list[0].bin, "l");
    assert_int_equal(list[0].type, AERO_INDEX_NUMERIC);
    assert_int_equal(list[0].collection, AERO_INDEX_COLLECTION_NONE);
    assert_int_equal(list[0].ctx_len, 3);
    assert_memory_equal(list[0].ctx, "\x92\x10\x00", 3);
    assert_null(list[0].exp);
    assert_int_equal(list[0].state, AERO_INDEX_STATE_RW);
    assert_int_equal(list[1].collection, AERO_INDEX_COLLECTION_MAPKEYS);
    assert_int_equal(list[1].ctx_len, 7);
    assert_int_equal(list[1].state, AERO_INDEX_STATE_WO);
    const char *b = "ns=test:indexname=idxgold_lst:set=idxgold:bin=l:type=numeric:indextype=default:context=khAA:"
                    "exp=null:state=WO";
    assert_int_equal(aero_index__merge_list(b, strlen(b), &list, &n), AERO_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].nodes, 2);
    assert_int_equal(list[0].state, AERO_INDEX_STATE_WO); /* the least ready node wins */
    assert_int_equal(list[1].nodes, 1);
    assert_int_equal(aero_index__merge_list("ns=test:garbage", 15, &list, &n), AERO_ERR_PROTOCOL);
    assert_int_equal(aero_index__merge_list("", 0, &list, &n), AERO_OK);
    aero_index_list_free(list, n);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_golden),
        cmocka_unit_test(test_contains_str_golden),
        cmocka_unit_test(test_by_name_and_ctx_golden),
        cmocka_unit_test(test_geo_circle_text),
        cmocka_unit_test(test_bad_filters),
        cmocka_unit_test(test_b64),
        cmocka_unit_test(test_parse_real_list),
    };
    return cmocka_run_group_tests_name("index-wire", tests, NULL, NULL);
}
