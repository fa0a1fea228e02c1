/* harness.c - see harness.h. */
#include "harness.h"

#include <aero/testserver.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char g_seeds[512];

int it_setup(void **state) {
    it_env *env = calloc(1, sizeof *env);
    if (!env)
        return -1;
    aero_error err;
    const char *hosts = getenv("AERO_TEST_HOSTS");
    if (hosts && *hosts) {
        env->real = true;
        snprintf(g_seeds, sizeof g_seeds, "%s", hosts);
    } else {
        aero_testserver *ts = aero_testserver_start(NULL, &err);
        if (!ts) {
            fprintf(stderr, "cannot start aero-testserver: %s\n", err.message);
            free(env);
            return -1;
        }
        env->server = ts;
        snprintf(g_seeds, sizeof g_seeds, "%s", aero_testserver_seeds(ts));
    }
    env->client = aero_client_connect(g_seeds, NULL, &err);
    if (!env->client) {
        fprintf(stderr, "cannot connect to %s: %s\n", g_seeds, err.message);
        if (env->server)
            aero_testserver_stop(env->server);
        free(env);
        return -1;
    }
    env->session = aero_client_create_session(env->client, NULL, &err);
    if (!env->session) {
        fprintf(stderr, "cannot create a session: %s\n", err.message);
        aero_client_close(env->client);
        if (env->server)
            aero_testserver_stop(env->server);
        free(env);
        return -1;
    }
    const char *ns = getenv("AERO_TEST_NAMESPACE");
    env->ds = aero_dataset_of(ns && *ns ? ns : "test", "aero_it");
    snprintf(env->prefix, sizeof env->prefix, "it%ld-%d", (long)time(NULL), (int)getpid());
    *state = env;
    return 0;
}

int it_teardown(void **state) {
    it_env *env = *state;
    if (!env)
        return 0;
    aero_session_free(env->session);
    aero_client_close(env->client);
    if (env->server)
        aero_testserver_stop(env->server);
    free(env);
    return 0;
}

aero_key it_key(it_env *env, const char *name) {
    static char ring[64][96];
    static unsigned next;
    char *s = ring[next++ % 64];
    snprintf(s, sizeof ring[0], "%s-%s", env->prefix, name);
    return aero_dataset_id_str(&env->ds, s);
}

const char *it_seeds(const it_env *env) {
    (void)env;
    return g_seeds;
}
