/*
 * test_typed_wide.c - a typed get of a record of more than 64 bins (wide.aero: b0..b69, b3 and b66 required):
 * the presence bitmap is more than one word there, so this covers the wide path of aero_schema_get (every bin,
 * named bins, a required bin past the first 64 missing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "wide.aero.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)

/* Field i of the struct: the bins are b0..b69 in order, each an int64_t with a has_ flag unless required. */
static int64_t *value_of(wide *w, unsigned i) {
    return (int64_t *)(void *)((char *)w + wide_schema.bins[i].offset);
}

static bool *flag_of(wide *w, unsigned i) {
    uint32_t off = wide_schema.bins[i].has_offset;
    return off == AERO_SCHEMA_NO_FLAG ? NULL : (bool *)(void *)((char *)w + off);
}

static void fill(wide *w) {
    *w = (wide)WIDE_INIT;
    for (unsigned i = 0; i < WIDE_FIELD_COUNT; i++) {
        *value_of(w, i) = (int64_t)i * 3 + 1;
        if (flag_of(w, i))
            *flag_of(w, i) = true;
    }
}

static void test_wide_every_bin_and_named(void **state) {
    const char *k = it_name(ENV, "wide");
    aero_error err;
    assert_int_equal(WIDE_FIELD_COUNT, 70);
    wide in;
    fill(&in);
    *flag_of(&in, 65) = false; /* one optional bin past the first 64 not written */
    assert_aero_ok(wide_upsert(S, k, &in, &err), &err);
    aero_record holder;
    aero_record_init(&holder);
    wide out;
    assert_aero_ok(wide_get(S, k, &out, &holder, &err), &err);
    for (unsigned i = 0; i < WIDE_FIELD_COUNT; i++) {
        if (i == 65) {
            assert_false(*flag_of(&out, i));
            assert_int_equal(*value_of(&out, i), 0);
            continue;
        }
        assert_int_equal(*value_of(&out, i), (int64_t)i * 3 + 1);
        if (flag_of(&out, i))
            assert_true(*flag_of(&out, i));
    }
    const unsigned fields[] = { WIDE_F_B69, WIDE_F_B66, WIDE_F_B2 };
    assert_aero_ok(wide_get_bins(S, k, fields, 3, &out, &holder, &err), &err);
    assert_true(out.has_b69);
    assert_int_equal(out.b69, 69 * 3 + 1);
    assert_int_equal(out.b66, 66 * 3 + 1);
    assert_true(out.has_b2);
    assert_int_equal(out.b2, 7);
    assert_false(out.has_b0); /* not asked for */
    assert_int_equal(out.b3, 0); /* required, but not asked for: INIT, no error */
    aero_record_dispose(&holder);
    assert_aero_ok(wide_delete(S, k, NULL, &err), &err);
}

static void test_wide_required_bin_past_64_missing(void **state) {
    const char *k = it_name(ENV, "wide-missing");
    aero_error err;
    aero_key ak = wide_key(k);
    aero_write *w = aero_session_upsert(S, &ak);
    aero_write_bin_set_int(w, "b3", 5);
    aero_write_bin_set_int(w, "b68", 8);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    aero_record holder;
    aero_record_init(&holder);
    wide out;
    assert_int_equal(wide_get(S, k, &out, &holder, &err), AERO_ERR_BIN_NOT_FOUND);
    assert_non_null(strstr(err.message, "b66"));
    assert_false(out.has_b68); /* INIT again after the error */
    const unsigned fields[] = { WIDE_F_B68, WIDE_F_B3 };
    assert_aero_ok(wide_get_bins(S, k, fields, 2, &out, &holder, &err), &err);
    assert_int_equal(out.b3, 5);
    assert_true(out.has_b68);
    assert_int_equal(out.b68, 8);
    aero_record_dispose(&holder);
    assert_aero_ok(wide_delete(S, k, NULL, &err), &err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wide_every_bin_and_named),
        cmocka_unit_test(test_wide_required_bin_past_64_missing),
    };
    return cmocka_run_group_tests(tests, it_setup, it_teardown);
}
