/*
 * harness.h - integration test environment: a client connected either to
 * the cluster named by AERO_TEST_HOSTS=host:port[,host:port], or to an
 * aero-testserver started on a free loopback port for this test binary.
 * Tests use unique keys (it_key) so they can run against a shared cluster.
 */
#ifndef AERO_IT_HARNESS_H
#define AERO_IT_HARNESS_H

#include <aero/aero.h>

typedef struct it_env {
    void *server; /* aero_testserver, NULL when AERO_TEST_HOSTS is used */
    aero_client *client;
    aero_session *session;
    aero_dataset ds; /* test namespace, set "aero_it" */
    char prefix[48]; /* unique per run: keys are "<prefix>-<name>" */
    bool real;       /* running against AERO_TEST_HOSTS */
} it_env;

/** cmocka group setup/teardown: *state becomes an it_env. */
int it_setup(void **state);
int it_teardown(void **state);

/** A key unique to this run (the string lives in a ring of static buffers). */
aero_key it_key(it_env *env, const char *name);

/** Seeds of the environment (for tests that make their own clients). */
const char *it_seeds(const it_env *env);

#endif
