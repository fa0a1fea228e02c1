/*
 * example_env.h - how the examples find a cluster: AERO_HOSTS=host:port
 * names a real one (AERO_TEST_HOSTS, the test suite's older name, is
 * accepted too); otherwise an aero-testserver is started in-process on a
 * free loopback port, so every example runs anywhere with nothing installed.
 */
#ifndef AERO_EXAMPLE_ENV_H
#define AERO_EXAMPLE_ENV_H

#include <aero/aero.h>
#include <aero/testserver.h>
#include <stdio.h>
#include <stdlib.h>

/* Run an aero call that fills a local `aero_error err`; on failure print it and `goto out`. */
#define CHECK(call)                                                                                         \
    do {                                                                                                    \
        if ((call) != AERO_OK) {                                                                            \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, aero_status_str(err.code), err.message); \
            goto out;                                                                                       \
        }                                                                                                   \
    } while (0)

/* Connect; *server is set when an embedded test server was started. */
static inline aero_client *example_connect(aero_testserver **server) {
    aero_error err;
    const char *hosts = getenv("AERO_HOSTS");
    if (!hosts || !*hosts)
        hosts = getenv("AERO_TEST_HOSTS");
    *server = NULL;
    if (!hosts || !*hosts) {
        *server = aero_testserver_start(NULL, &err);
        if (!*server) {
            fprintf(stderr, "cannot start the embedded aero-testserver: %s\n", err.message);
            return NULL;
        }
        hosts = aero_testserver_seeds(*server);
    }
    aero_client *client = aero_client_connect(hosts, NULL, &err);
    if (!client) {
        fprintf(stderr, "cannot connect to %s: %s (%s)\n", hosts, err.message, aero_status_str(err.code));
        aero_testserver_stop(*server);
        *server = NULL;
    }
    return client;
}

#endif
