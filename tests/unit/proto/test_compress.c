/*
 * Unit tests for compressed messages (proto/compress.c, protocol.md 11):
 * the type-4 layout in golden bytes, round trips, and every malformed form
 * refused without reading out of bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "aero_assert.h"
#include "proto/compress.h"

/* A type-3 message: proto header (size 22) and an AS_MSG header with generation 1. */
static const uint8_t INNER[30] = { 0x02, 0x03, 0, 0, 0, 0, 0, 22, 22, 0, 0, 0, 0, 0, 0,
                                   0,    0,    1, 0, 0, 0, 0, 0,  0,  0, 0, 0, 0, 0, 0 };

/* INNER wrapped at zlib level 1 (512-byte window, memLevel 3): header (type 4), original size 30, zlib stream. */
static const uint8_t GOLDEN[38] = { 0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x1e, 0x18, 0x19, 0x63, 0x62, 0x66, 0x00, 0x01, 0x31, 0x31, 0x30,
                                    0x05, 0x24, 0x18, 0x61, 0x0c, 0x10, 0x0d, 0x00, 0x04, 0x9c, 0x00, 0x33 };

static void test_wrap_golden(void **state) {
    (void)state;
    if (!aero_compress__available())
        skip();
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    assert_int_equal(aero_compress__wrap(INNER, sizeof INNER, 1, &b), AERO_OK);
    assert_int_equal(b.len, sizeof GOLDEN);
    assert_memory_equal(b.data, GOLDEN, sizeof GOLDEN);
    aero_buf__free(&b);
}

static void test_unwrap_golden(void **state) {
    (void)state;
    if (!aero_compress__available())
        skip();
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    assert_int_equal(aero_compress__unwrap(GOLDEN + 8, sizeof GOLDEN - 8, 1024, &b), AERO_OK);
    assert_int_equal(b.len, sizeof INNER);
    assert_memory_equal(b.data, INNER, sizeof INNER);
    aero_buf__free(&b);
}

static void test_round_trip_levels(void **state) {
    (void)state;
    if (!aero_compress__available())
        skip();
    static uint8_t big[8 + 100000];
    memset(big, 0, sizeof big);
    memcpy(big, "\x02\x03\x00\x00\x00\x01\x86\xa0", 8); /* size 100000 */
    for (size_t i = 8; i < sizeof big; i++)
        big[i] = (uint8_t)(i % 7 == 0 ? i : 'x');
    for (int level = 0; level <= 10; level++) {
        aero_buf z, out;
        aero_buf__init(&z, NULL, 0);
        aero_buf__init(&out, NULL, 0);
        assert_int_equal(aero_compress__wrap(big, sizeof big, level, &z), AERO_OK);
        assert_true(z.len < sizeof big / 4);
        assert_int_equal(z.data[1], 4);
        assert_int_equal(aero_compress__unwrap(z.data + 8, z.len - 8, sizeof big, &out), AERO_OK);
        assert_int_equal(out.len, sizeof big);
        assert_memory_equal(out.data, big, sizeof big);
        /* one byte under the announced size is over the limit */
        aero_buf__reset(&out);
        assert_int_equal(aero_compress__unwrap(z.data + 8, z.len - 8, sizeof big - 1, &out), AERO_ERR_PROTOCOL);
        assert_int_equal(out.len, 0);
        aero_buf__free(&z);
        aero_buf__free(&out);
    }
}

static void test_malformed(void **state) {
    (void)state;
    if (!aero_compress__available())
        skip();
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    uint8_t m[sizeof GOLDEN];
    /* too short for the size field, truncated stream, every prefix */
    for (size_t n = 0; n < sizeof GOLDEN - 8; n++)
        assert_int_equal(aero_compress__unwrap(GOLDEN + 8, n, 1024, &b), AERO_ERR_PROTOCOL);
    /* announced size differs from what inflates */
    memcpy(m, GOLDEN, sizeof m);
    m[15] = 31;
    assert_int_equal(aero_compress__unwrap(m + 8, sizeof m - 8, 1024, &b), AERO_ERR_PROTOCOL);
    m[15] = 29;
    assert_int_equal(aero_compress__unwrap(m + 8, sizeof m - 8, 1024, &b), AERO_ERR_PROTOCOL);
    /* a corrupted stream (Adler-32 mismatch) */
    memcpy(m, GOLDEN, sizeof m);
    m[sizeof m - 1] ^= 1;
    assert_int_equal(aero_compress__unwrap(m + 8, sizeof m - 8, 1024, &b), AERO_ERR_PROTOCOL);
    /* the wrapped message must be type 3 with a matching size */
    uint8_t inner[30];
    memcpy(inner, INNER, sizeof inner);
    inner[1] = 1; /* info */
    aero_buf z;
    aero_buf__init(&z, NULL, 0);
    assert_int_equal(aero_compress__wrap(inner, sizeof inner, 1, &z), AERO_OK);
    assert_int_equal(aero_compress__unwrap(z.data + 8, z.len - 8, 1024, &b), AERO_ERR_PROTOCOL);
    aero_buf__reset(&z);
    memcpy(inner, INNER, sizeof inner);
    inner[7] = 21; /* inner header says 21 bytes follow, 22 do */
    assert_int_equal(aero_compress__wrap(inner, sizeof inner, 1, &z), AERO_OK);
    assert_int_equal(aero_compress__unwrap(z.data + 8, z.len - 8, 1024, &b), AERO_ERR_PROTOCOL);
    assert_int_equal(b.len, 0);
    aero_buf__free(&z);
    aero_buf__free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap_golden),
        cmocka_unit_test(test_unwrap_golden),
        cmocka_unit_test(test_round_trip_levels),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests_name("compress", tests, NULL, NULL);
}
