/*
 * Buffer growth from caller storage to the heap, sticky failure, the size
 * cap, big-endian helpers; arena alignment, reuse of blocks after reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/arena.h"
#include "proto/buf.h"

static void buf_starts_on_stack_then_moves_to_heap(void **state) {
    (void)state;
    uint8_t stack[16];
    aero_buf b;
    aero_buf__init(&b, stack, sizeof stack);
    aero_buf__put(&b, "0123456789", 10);
    assert_ptr_equal(b.data, stack);
    assert_false(b.heap);
    aero_buf__put_u32be(&b, 0x01020304);
    assert_ptr_equal(b.data, stack);
    assert_int_equal(b.len, 14);
    /* 14 + 8 > 16: must move, keeping the content */
    aero_buf__put_u64be(&b, 0x1112131415161718ull);
    assert_true(b.heap);
    assert_ptr_not_equal(b.data, stack);
    assert_int_equal(b.len, 22);
    assert_memory_equal(b.data, "0123456789\x01\x02\x03\x04\x11\x12\x13\x14\x15\x16\x17\x18", 22);
    for (int i = 0; i < 5000; i++)
        aero_buf__put_u16be(&b, (uint16_t)i);
    assert_int_equal(b.len, 22 + 10000);
    assert_int_equal(aero_get_u16be(b.data + 22 + 2 * 4321), 4321);
    assert_false(b.failed);
    aero_buf__reset(&b);
    assert_int_equal(b.len, 0);
    assert_true(b.heap); /* reset keeps storage */
    aero_buf__free(&b);
    assert_null(b.data);
    assert_false(b.heap);
}

static void buf_without_storage(void **state) {
    (void)state;
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    aero_buf__put_u8(&b, 0xab);
    assert_int_equal(b.len, 1);
    assert_int_equal(b.data[0], 0xab);
    assert_true(b.heap);
    aero_buf__free(&b);
}

static void buf_limit_is_sticky(void **state) {
    (void)state;
    uint8_t stack[8];
    aero_buf b;
    aero_buf__init(&b, stack, sizeof stack);
    aero_buf__put(&b, "abc", 3);
    assert_null(aero_buf__append(&b, AERO_BUF_MAX)); /* 3 + MAX > MAX */
    assert_true(b.failed);
    assert_int_equal(b.len, 3);
    /* further appends do nothing while failed */
    aero_buf__put_u8(&b, 1);
    assert_int_equal(b.len, 3);
    assert_false(aero_buf__reserve(&b, 1));
    aero_buf__reset(&b);
    assert_false(b.failed);
    aero_buf__put_u8(&b, 7);
    assert_int_equal(b.len, 1);
    assert_null(aero_buf__append(&b, SIZE_MAX));
    assert_true(b.failed);
    aero_buf__free(&b);
}

static void be_helpers(void **state) {
    (void)state;
    uint8_t p[8];
    aero_set_u64be(p, 0x0102030405060708ull);
    assert_memory_equal(p, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    assert_int_equal(aero_get_u64be(p), 0x0102030405060708ull);
    assert_int_equal(aero_get_u32be(p + 4), 0x05060708u);
    aero_set_u16be(p, 0xfeed);
    assert_int_equal(aero_get_u16be(p), 0xfeed);
}

static void arena_alignment_and_strndup(void **state) {
    (void)state;
    aero_arena *a = aero_arena__new();
    assert_non_null(a);
    for (size_t n = 1; n < 100; n += 7) {
        void *p = aero_arena__alloc(a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        memset(p, 0xee, n);
    }
    char *s = aero_arena__strndup(a, "hello world", 5);
    assert_string_equal(s, "hello");
    char *e = aero_arena__strndup(a, NULL, 0);
    assert_string_equal(e, "");
    /* a request larger than any block gets a block of its own */
    uint8_t *big = aero_arena__alloc(a, 1u << 20);
    assert_non_null(big);
    memset(big, 1, 1u << 20);
    assert_null(aero_arena__alloc(a, SIZE_MAX));
    aero_arena__free(a);
    aero_arena__free(NULL);
}

static void arena_reuses_blocks_after_reset(void **state) {
    (void)state;
    aero_arena *a = aero_arena__new();
    void *first[64];
    for (int i = 0; i < 64; i++)
        first[i] = aero_arena__alloc(a, 1000); /* spans several blocks */
    for (int round = 0; round < 3; round++) {
        aero_arena__reset(a);
        for (int i = 0; i < 64; i++) {
            void *p = aero_arena__alloc(a, 1000);
            /* same sequence, same blocks: addresses repeat exactly */
            assert_ptr_equal(p, first[i]);
        }
    }
    /* after reset a big allocation may land in a later kept block */
    aero_arena__reset(a);
    void *p = aero_arena__alloc(a, 5000);
    assert_non_null(p);
    memset(p, 0, 5000);
    aero_arena__free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_starts_on_stack_then_moves_to_heap),
        cmocka_unit_test(buf_without_storage),
        cmocka_unit_test(buf_limit_is_sticky),
        cmocka_unit_test(be_helpers),
        cmocka_unit_test(arena_alignment_and_strndup),
        cmocka_unit_test(arena_reuses_blocks_after_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
