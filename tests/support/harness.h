/*
 * harness.h - the integration test environment, built once as a static
 * library (tests/support/meson.build: test_harness_dep) for every test binary.
 *
 * A test group gets a client connected either to the real cluster named by
 * AERO_HOSTS=host:port[,host:port] (AERO_TEST_HOSTS is an alias), or to an
 * aero-testserver started for this binary alone on free loopback ports.
 * Names, keys and numbers made by the it_* helpers are unique to the run
 * (time, pid and a random word), so binaries run in parallel, also against
 * one shared cluster. Include after <cmocka.h>.
 */
#ifndef AERO_TEST_HARNESS_H
#define AERO_TEST_HARNESS_H

#include <aero/aero.h>
#include <aero/testserver.h>
#include <stdbool.h>
#include <stdint.h>

#include "aero_assert.h"

typedef struct it_env {
    aero_testserver *server; /* NULL against a real cluster */
    aero_client *client;
    aero_session *session; /* default behavior */
    aero_dataset ds;       /* it_namespace(), set "aero_it" */
    char prefix[48];       /* unique to the run: names are "<prefix>-<name>" */
    bool real;             /* running against AERO_HOSTS */
} it_env;

/**
 * The seeds of the real cluster to test against: AERO_HOSTS, else
 * AERO_TEST_HOSTS; NULL when neither is set to a non-empty value.
 * The string belongs to the environment.
 */
const char *it_hosts(void);

/** The namespace to test in: AERO_TEST_NAMESPACE, else "test". */
const char *it_namespace(void);

/**
 * cmocka group setup/teardown: *state becomes an it_env (started server,
 * connected client, session). Setup prints why and returns -1 when the
 * server cannot start or the cluster cannot be reached.
 */
int it_setup(void **state);
int it_teardown(void **state);

/**
 * "<prefix>-<name>", unique to this run. The string lives in a ring of 64
 * static buffers (valid for the next 63 calls; not for concurrent threads);
 * at most 40 bytes of name are kept.
 */
const char *it_name(const it_env *env, const char *name);

/** A string key in env->ds named it_name(env, name) (same ring). */
aero_key it_key(const it_env *env, const char *name);

/** A non-negative integer unique to this run and `name` (a hash of it_name). */
int64_t it_unique_int(const it_env *env, const char *name);

/** Seeds of the environment, for tests that make their own clients. */
const char *it_seeds(const it_env *env);

#endif
