/* harness.c - see harness.h. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char g_seeds[512];

const char *it_hosts(void) {
    const char *hosts = getenv("AERO_HOSTS");
    if (!hosts || !*hosts)
        hosts = getenv("AERO_TEST_HOSTS");
    return hosts && *hosts ? hosts : NULL;
}

const char *it_namespace(void) {
    const char *ns = getenv("AERO_TEST_NAMESPACE");
    return ns && *ns ? ns : "test";
}

/* time, pid and a word from the clock's nanoseconds: distinct across runs, processes and machines. */
static void make_prefix(char *out, size_t size) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned word = (unsigned)(ts.tv_nsec ^ (ts.tv_nsec >> 16)) & 0xffffu;
    snprintf(out, size, "it%ld-%d-%04x", (long)ts.tv_sec, (int)getpid(), word);
}

int it_setup(void **state) {
    it_env *env = calloc(1, sizeof *env);
    if (!env)
        return -1;
    aero_error err;
    const char *hosts = it_hosts();
    if (hosts) {
        env->real = true;
        snprintf(g_seeds, sizeof g_seeds, "%s", hosts);
    } else {
        env->server = aero_testserver_start(NULL, &err);
        if (!env->server) {
            fprintf(stderr, "cannot start aero-testserver: %s\n", err.message);
            free(env);
            return -1;
        }
        snprintf(g_seeds, sizeof g_seeds, "%s", aero_testserver_seeds(env->server));
    }
    env->client = aero_client_connect(g_seeds, NULL, &err);
    if (!env->client) {
        fprintf(stderr, "cannot connect to %s: %s\n", g_seeds, err.message);
        aero_testserver_stop(env->server);
        free(env);
        return -1;
    }
    env->session = aero_client_create_session(env->client, NULL, &err);
    if (!env->session) {
        fprintf(stderr, "cannot create a session: %s\n", err.message);
        aero_client_close(env->client);
        aero_testserver_stop(env->server);
        free(env);
        return -1;
    }
    env->ds = aero_dataset_of(it_namespace(), "aero_it");
    make_prefix(env->prefix, sizeof env->prefix);
    *state = env;
    return 0;
}

int it_teardown(void **state) {
    it_env *env = *state;
    if (!env)
        return 0;
    aero_session_free(env->session);
    aero_client_close(env->client);
    aero_testserver_stop(env->server);
    free(env);
    return 0;
}

const char *it_name(const it_env *env, const char *name) {
    static char ring[64][96];
    static unsigned next;
    char *s = ring[next++ % 64];
    snprintf(s, sizeof ring[0], "%s-%.40s", env->prefix, name);
    return s;
}

aero_key it_key(const it_env *env, const char *name) { return aero_dataset_id_str(&env->ds, it_name(env, name)); }

int64_t it_unique_int(const it_env *env, const char *name) {
    uint64_t h = 14695981039346656037u; /* FNV-1a, 64 bits */
    for (const char *p = it_name(env, name); *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211u;
    return (int64_t)(h >> 1);
}

const char *it_seeds(const it_env *env) {
    (void)env;
    return g_seeds;
}
