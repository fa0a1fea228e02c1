/*
 * test_shared.c - a program linked against the shared libaero-testserver and
 * libaero.so only (public API, as a user's test would be): seed a record in
 * process, read it with the client, expire it with the virtual clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/aero.h>
#include <aero/testserver.h>
#include "aero_assert.h"

static void test_shared_libraries(void **state) {
    (void)state;
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    cfg.virtual_clock = true;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    assert_non_null(ts);
    aero_client *c = aero_client_connect(aero_testserver_seeds(ts), NULL, &err);
    assert_non_null(c);
    aero_session *s = aero_client_create_session(c, NULL, &err);
    assert_non_null(s);
    aero_dataset ds = aero_dataset_of("test", "shared");
    aero_key k = aero_dataset_id_str(&ds, "k");
    aero_bin_value bins[] = { { "name", aero_str("Alice") } };
    assert_aero_ok(aero_testserver_put(ts, &k, bins, 1, 5, &err), &err);
    aero_record r;
    aero_record_init(&r);
    assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
    assert_string_equal(aero_record_str(&r, "name"), "Alice");
    aero_testserver_clock_advance(ts, 5);
    assert_int_equal(aero_session_get(s, &k, NULL, 0, &r, &err), AERO_ERR_KEY_NOT_FOUND);
    aero_record_dispose(&r);
    aero_session_free(s);
    aero_client_close(c);
    aero_testserver_stop(ts);
}

int main(void) {
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_shared_libraries) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
