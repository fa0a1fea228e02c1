/*
 * Info protocol: request framing, "name\tvalue\n" iteration, find, and the
 * error value forms of protocol.md 2.1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"

#include "proto/info.h"

static void request_framing(void **state) {
    (void)state;
    uint8_t stack[16];
    aero_buf b;
    aero_buf__init(&b, stack, sizeof stack);
    const char *cmds[] = { "node", "partition-generation" };
    aero_info__request(&b, cmds, 2);
    assert_false(b.failed);
    assert_bytes_hex(b.data, b.len,
                     "02 01 00 00 00 00 00 1a 6e 6f 64 65 0a"
                     "70 61 72 74 69 74 69 6f 6e 2d 67 65 6e 65 72 61 74 69 6f 6e 0a");
    aero_buf__reset(&b);
    aero_info__request(&b, NULL, 0); /* empty request: the summary */
    assert_bytes_hex(b.data, b.len, "02 01 00 00 00 00 00 00");
    aero_buf__free(&b);
}

static void iterate_lines(void **state) {
    (void)state;
    const char body[] = "node\tBB9020011AC4202\npartition-generation\t17\n\nempty\nlast\tno newline";
    const char *cur = body, *end = body + sizeof body - 1;
    aero_strview n, v;
    assert_true(aero_info__next(&cur, end, &n, &v));
    assert_int_equal(n.len, 4);
    assert_memory_equal(n.p, "node", 4);
    assert_int_equal(v.len, 15);
    assert_memory_equal(v.p, "BB9020011AC4202", 15);
    assert_true(aero_info__next(&cur, end, &n, &v));
    assert_int_equal(n.len, 20);
    assert_int_equal(v.len, 2);
    assert_memory_equal(v.p, "17", 2);
    assert_true(aero_info__next(&cur, end, &n, &v)); /* blank line skipped */
    assert_int_equal(n.len, 5);
    assert_memory_equal(n.p, "empty", 5);
    assert_int_equal(v.len, 0);
    assert_true(aero_info__next(&cur, end, &n, &v));
    assert_memory_equal(n.p, "last", 4);
    assert_int_equal(v.len, 10);
    assert_memory_equal(v.p, "no newline", 10);
    assert_false(aero_info__next(&cur, end, &n, &v));
    assert_false(aero_info__next(&cur, end, &n, &v));

    assert_true(aero_info__find(body, sizeof body - 1, "partition-generation", &v));
    assert_memory_equal(v.p, "17", 2);
    assert_true(aero_info__find(body, sizeof body - 1, "empty", &v));
    assert_int_equal(v.len, 0);
    assert_false(aero_info__find(body, sizeof body - 1, "nod", &v));
    assert_false(aero_info__find(body, sizeof body - 1, "BB9020011AC4202", &v));
    assert_false(aero_info__find(body, 0, "node", &v));
    /* a value may contain tabs after the first one */
    const char tabs[] = "sets/test\tns=test:set=a\tx\n";
    assert_true(aero_info__find(tabs, sizeof tabs - 1, "sets/test", &v));
    assert_int_equal(v.len, 15);
}

static aero_status err_of(const char *s, char *msg, size_t cap) {
    aero_strview v = { s, strlen(s) };
    return aero_info__value_error(v, msg, cap);
}

static void error_values(void **state) {
    (void)state;
    char msg[64];
    assert_int_equal(err_of("ERROR:4:unrecognized command", msg, sizeof msg), AERO_ERR_PARAMETER);
    assert_string_equal(msg, "unrecognized command");
    assert_int_equal(err_of("ERROR::bad thing", msg, sizeof msg), AERO_ERR_SERVER);
    assert_string_equal(msg, "bad thing");
    assert_int_equal(err_of("ERROR:0:zero", msg, sizeof msg), AERO_ERR_SERVER);
    assert_string_equal(msg, "zero");
    assert_int_equal(err_of("ERROR:201:no index", msg, sizeof msg), AERO_ERR_INDEX_NOT_FOUND);
    assert_string_equal(msg, "no index");
    assert_int_equal(err_of("ERROR:just text", msg, sizeof msg), AERO_ERR_SERVER);
    assert_string_equal(msg, "just text");
    assert_int_equal(err_of("ERROR:", msg, sizeof msg), AERO_ERR_SERVER);
    assert_string_equal(msg, "");
    assert_int_equal(err_of("FAIL:22:forbidden", msg, sizeof msg), AERO_ERR_FORBIDDEN);
    assert_string_equal(msg, "forbidden");
    assert_int_equal(err_of("FAIL:oops", msg, sizeof msg), AERO_ERR_SERVER);
    assert_int_equal(err_of("error=function not found", msg, sizeof msg), AERO_ERR_UDF);
    assert_string_equal(msg, "function not found");
    assert_int_equal(err_of("ok", msg, sizeof msg), AERO_OK);
    assert_string_equal(msg, "");
    assert_int_equal(err_of("", msg, sizeof msg), AERO_OK);
    assert_int_equal(err_of("ERROR:99999999999999999999:x", msg, sizeof msg), AERO_ERR_SERVER);
    /* truncation keeps a NUL; NULL/0 message storage is allowed */
    char small[4];
    assert_int_equal(err_of("ERROR:4:unrecognized", small, sizeof small), 4);
    assert_string_equal(small, "unr");
    assert_int_equal(err_of("ERROR:4:x", NULL, 0), 4);
    /* a value that is not NUL-terminated is read only within its length */
    aero_strview cut = { "ERROR:4:abcdef", 10 };
    assert_int_equal(aero_info__value_error(cut, msg, sizeof msg), 4);
    assert_string_equal(msg, "ab");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(request_framing),
        cmocka_unit_test(iterate_lines),
        cmocka_unit_test(error_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
