/*
 * test_udf_wire.c - the UDF call fields byte for byte (protocol.md 3.2,
 * fields 30-33: package and function as plain bytes, the argument list as
 * msgpack with strings carrying their 0x03 particle byte), and the bad
 * calls refused before anything is sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "udf_internal.h"

static void hex(const aero_buf *b, char *out, size_t cap) {
    out[0] = 0;
    for (size_t i = 0, o = 0; i < b->len && o + 3 < cap; i++, o += 2)
        snprintf(out + o, 3, "%02x", b->data[i]);
}

static void golden(const char *module, const char *fn, const aero_value *args, size_t n, uint8_t op,
                   uint16_t want_fields, const char *want) {
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    char msg[160], got[512];
    assert_int_equal(aero_udf__fields(&b, &h, module, fn, args, n, op, msg, sizeof msg), AERO_OK);
    assert_int_equal(h.n_fields, want_fields);
    hex(&b, got, sizeof got);
    assert_string_equal(got, want);
    aero_buf__free(&b);
}

static void test_record_udf_fields(void **state) {
    (void)state;
    aero_value args[] = { aero_int(1), aero_str("a") };
    /* 30 "m", 31 "f", 32 [1, "a"] */
    golden("m", "f", args, 2, 0, 3,
           "000000021e6d"
           "000000021f66"
           "0000000620"
           "9201a20361");
    /* no arguments: an empty list */
    golden("counter", "incr", NULL, 0, 0, 3,
           "000000081e636f756e746572"
           "000000051f696e6372"
           "000000022090");
}

static void test_background_udf_fields(void **state) {
    (void)state;
    aero_value args[] = { aero_nil(), aero_bool(true), aero_double(1.5) };
    /* 33 UDF_OP = 2 first, then 30, 31, 32 [nil, true, 1.5] */
    golden("m", "f", args, 3, 2, 4,
           "000000022102"
           "000000021e6d"
           "000000021f66"
           "0000000d20"
           "93c0c3cb3ff8000000000000");
}

static void test_refused(void **state) {
    (void)state;
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    char msg[160];
    assert_int_equal(aero_udf__fields(&b, &h, "", "f", NULL, 0, 0, msg, sizeof msg), AERO_ERR_PARAM);
    assert_non_null(strstr(msg, "module name is empty"));
    assert_int_equal(aero_udf__fields(&b, &h, "m", NULL, NULL, 0, 0, msg, sizeof msg), AERO_ERR_PARAM);
    assert_non_null(strstr(msg, "function name is NULL"));
    assert_int_equal(aero_udf__fields(&b, &h, "m", "f", NULL, 2, 0, msg, sizeof msg), AERO_ERR_PARAM);
    aero_value many[256];
    for (int i = 0; i < 256; i++)
        many[i] = aero_int(i);
    assert_int_equal(aero_udf__fields(&b, &h, "m", "f", many, 256, 0, msg, sizeof msg), AERO_ERR_PARAM);
    char longname[200];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    assert_int_equal(aero_udf__fields(&b, &h, longname, "f", NULL, 0, 0, msg, sizeof msg), AERO_ERR_PARAM);
    assert_int_equal(b.len, 0);
    assert_int_equal(h.n_fields, 0);
    aero_buf__free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_udf_fields),
        cmocka_unit_test(test_background_udf_fields),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests_name("udf-wire", tests, NULL, NULL);
}
