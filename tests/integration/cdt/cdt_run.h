/*
 * cdt_run.h - the runner of the list/map operation integration tests: put a
 * record's starting bins, run ops in one operate, and render every op's
 * result (in op order) and the bins afterwards as one line, so a test
 * states the server's whole answer exactly.
 */
#ifndef AERO_IT_CDT_RUN_H
#define AERO_IT_CDT_RUN_H

#include "harness.h"

/**
 * Delete the key, write `start` (n_start bins, may be 0), run `ops` in one
 * write (aero_write_op), and return
 *   "<result 1> | <result 2> ... => {bins after}"
 * or "error <code>: <message>" when execute fails (then "=> {bins}" too).
 * The string lives in a static buffer until the next call.
 */
const char *cdt_run(it_env *env, const char *name, const aero_bin_value *start, size_t n_start, const aero_op *ops,
                    size_t n_ops);

/** Like cdt_run, but the ops go to a point read (aero_query_op) of the record after `start` is written. */
const char *cdt_read(it_env *env, const char *name, const aero_bin_value *start, size_t n_start, const aero_op *ops,
                     size_t n_ops);

/**
 * Cases where aero-testserver is known to answer differently from the real
 * servers (the test server is wrong there): against the test server such a
 * case prints its difference instead of failing; against AERO_TEST_HOSTS
 * every case is asserted. NULL-terminated, static; NULL for none.
 */
void cdt_known_testserver_bugs(const char *const *names);

/** Compare, and with AERO_CDT_PRINT=1 in the environment print the actual line (to write expectations from). */
void cdt_expect(const char *what, const char *actual, const char *expected);

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* CHECK(name, expected, ops...): run ops on the file's start_bin() record (in a test, `state` in scope). */
#define CHECK(name, expected, ...)                                                          \
    do {                                                                                    \
        aero_bin_value st_[] = { start_bin() };                                             \
        aero_op ops_[] = { __VA_ARGS__ };                                                   \
        cdt_expect(name, cdt_run((it_env *)*state, name, st_, 1, ops_, N(ops_)), expected); \
    } while (0)

/* Every return type lists and maps share, on one selector: one op each, results in op order. */
#define ALL_RT(ctor, ...)                                                                          \
    ctor(__VA_ARGS__, AERO_CDT_RETURN_NONE), ctor(__VA_ARGS__, AERO_CDT_RETURN_INDEX),             \
        ctor(__VA_ARGS__, AERO_CDT_RETURN_REVERSE_INDEX), ctor(__VA_ARGS__, AERO_CDT_RETURN_RANK), \
        ctor(__VA_ARGS__, AERO_CDT_RETURN_REVERSE_RANK), ctor(__VA_ARGS__, AERO_CDT_RETURN_COUNT), \
        ctor(__VA_ARGS__, AERO_CDT_RETURN_VALUE), ctor(__VA_ARGS__, AERO_CDT_RETURN_EXISTS)
/* The map-only return types. */
#define MAP_RT(ctor, ...)                                                                 \
    ctor(__VA_ARGS__, AERO_CDT_RETURN_KEY), ctor(__VA_ARGS__, AERO_CDT_RETURN_KEY_VALUE), \
        ctor(__VA_ARGS__, AERO_CDT_RETURN_UNORDERED_MAP), ctor(__VA_ARGS__, AERO_CDT_RETURN_ORDERED_MAP)
#define INV(rt) ((rt) | AERO_CDT_RETURN_INVERTED)

#endif
