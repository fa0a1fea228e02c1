/*
 * aero_assert.h - cmocka assertions for calls that return an aero_status.
 *
 *     aero_error err;
 *     assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
 *
 * On failure the test fails at the caller's file:line and prints the call,
 * the status name and err->message, instead of cmocka's bare "-7 != 0".
 * Include after <cmocka.h>. Header only: unit tests use it without the
 * integration harness (tests/support/meson.build: test_assert_dep).
 */
#ifndef AERO_TEST_ASSERT_H
#define AERO_TEST_ASSERT_H

#include <aero/error.h>

/*
 * Fail the running test unless `call` returns AERO_OK. `errp` is the
 * aero_error the call filled (NULL when the call takes none); it is read only
 * on failure.
 */
#define assert_aero_ok(call, errp)                                                                \
    do {                                                                                          \
        const aero_status aero_assert_st_ = (call);                                               \
        if (aero_assert_st_ != AERO_OK) {                                                         \
            const aero_error *aero_assert_err_ = (errp);                                          \
            print_error("%s returned %s (%d)%s%s%s%s\n", #call, aero_status_str(aero_assert_st_), \
                        (int)aero_assert_st_, aero_assert_err_ ? ": " : "",                       \
                        aero_assert_err_ ? aero_assert_err_->message : "",                        \
                        aero_assert_err_ && aero_assert_err_->node[0] ? " at node " : "",         \
                        aero_assert_err_ ? aero_assert_err_->node : "");                          \
            fail();                                                                               \
        }                                                                                         \
    } while (0)

#endif
