/*
 * test_ael_e2e.c - AEL filters end to end: one seeded record, many filters,
 * each expected to match or not. The expectations were checked against a
 * real Aerospike 8.1 server (AERO_HOSTS) and must hold unchanged against
 * aero-testserver: a missing bin or a type mismatch makes the filter
 * "unknown", which filters the record out rather than failing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"

#define ENV ((it_env *)*state)
#define S   (ENV->session)

typedef struct filter_case {
    const char *ael;
    int match; /* 1 matches, 0 filtered out, 4: the server refuses the filter (PARAMETER) */
} filter_case;

static const filter_case cases[] = {
    { "$.age > 21", true },
    { "$.age > 25", false },
    { "$.age == 25 and $.name == 'Bob'", true },
    { "$.age == 25 and $.name == 'Alice'", false },
    { "$.age < 18 or $.status == 'active'", true },
    { "not($.age < 18)", true },
    { "$.score >= 2.5", true },
    { "$.score > 2.5", false },
    { "$.flag == true", true },
    { "$.flag", 4 },                  /* a bare path is an int read at top level: not a boolean filter */
    { "$.flag and $.age > 1", true }, /* as an operand of and, the same path is a bool read */
    { "$.name in ['Bob', 'Mary']", true },
    { "$.name in ['Ann', 'Mary']", false },
    { "'a' in $.tags", true },
    { "'z' in $.tags", false },
    { "$.tags.[0] == 'a'", true },
    { "$.tags.[1] == 'a'", false },
    { "$.tags.count() == 3", true },
    { "$.tags.[=a,b].count() == 2", true },
    { "$.m.k == 5", true },
    { "$.m.k > 5", false },
    { "$.m.{}.count() == 2", true },
    { "$.nosuchbin > 1", false },
    { "$.name > 1", false }, /* type mismatch: unknown, filtered out */
    { "$.age.exists()", true },
    { "$.nosuchbin.exists()", false },
    { "($.age + 5) * 2 == 60", true },
    { "$.age % 10 == 5", true },
    { "$.age ** 2 > 600.0", 4 }, /* pow takes floats: the int literal 2 is refused by the server */
    { "$.age.asFloat() ** 2.0 > 600.0", true },
    { "abs(-$.age) == 25", true },
    { "max($.age, 30) == 30", true },
    { "when($.age > 20 => 'adult', default => 'minor') == 'adult'", true },
    { "let (x = $.age * 2) then (${x} == 50)", true },
    { "exclusive($.age > 20, $.age > 30)", true },
    { "exclusive($.age > 20, $.age > 10)", false },
    { "$.ttl() == -1", true },
    { "$.setName() == 'aero_it'", true },
    { "$.keyExists()", true },
    { "(1 << 4) == 16 and $.age & 1 == 1", true },
};

static aero_key g_key;

static void test_filters_on_a_seeded_record(void **state) {
    aero_error err;
    g_key = it_key(ENV, "ael-e2e");
    aero_value tags[] = { aero_str("a"), aero_str("b"), aero_str("c") };
    aero_map_entry m[] = { { aero_str("k"), aero_int(5) }, { aero_str("j"), aero_int(1) } };
    aero_value tv = aero_list(tags, 3), mv = aero_map(m, 2);
    aero_write *w = aero_session_upsert(S, &g_key);
    aero_write_bin_set_str(w, "name", "Bob");
    aero_write_bin_set_int(w, "age", 25);
    aero_write_bin_set_str(w, "status", "active");
    aero_write_bin_set_double(w, "score", 2.5);
    aero_write_bin_set_bool(w, "flag", true);
    aero_write_bin_set(w, "tags", &tv);
    aero_write_bin_set(w, "m", &mv);
    aero_write_never_expire(w);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    int wrong = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aero_query *q = aero_session_query_key(S, &g_key);
        aero_query_where(q, cases[i].ael);
        aero_stream *st = aero_query_execute(q, &err);
        if (!st) {
            if (err.code != cases[i].match) {
                fprintf(stderr, "  %-60s error %s: %s\n", cases[i].ael, aero_status_str(err.code), err.message);
                wrong++;
            }
            continue;
        }
        int matched = aero_stream_next(st, &err) != NULL;
        if (matched != cases[i].match || err.code != AERO_OK) {
            fprintf(stderr, "  %-60s matched=%d expected=%d (%s)\n", cases[i].ael, matched, cases[i].match,
                    aero_status_str(err.code));
            wrong++;
        }
        aero_stream_close(st);
    }
    assert_int_equal(wrong, 0);
    assert_aero_ok(aero_write_execute(aero_session_delete(S, &g_key), NULL, &err), &err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filters_on_a_seeded_record),
    };
    return cmocka_run_group_tests_name("ael-e2e", tests, it_setup, it_teardown);
}
