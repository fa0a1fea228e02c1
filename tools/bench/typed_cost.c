/*
 * typed_cost.c - client instructions of a typed get (<record>_get, aero_schema_get) against a plain get of the
 * same bins (aero_session_get), for tools/bench/README.md "Typed API cost (callgrind)".
 *
 *     valgrind --tool=callgrind --collect-atstart=no \
 *         --toggle-collect=cost_plain_all --toggle-collect=cost_typed_all \
 *         --toggle-collect=cost_plain_two --toggle-collect=cost_typed_two \
 *         --callgrind-out-file=typed_cost.out build/tools/bench/aero-typed-cost 2000
 *     callgrind_annotate --inclusive=yes typed_cost.out | grep cost_
 *
 * Each cost_* function runs N gets of one key (after a warm-up outside them); callgrind counts only the
 * instructions of the thread inside them (the embedded server's and the tend thread's are not counted), so the
 * inclusive Ir of a function divided by the gets it ran (N + 50 of warm-up) is the client's cost of one get. Without valgrind the program prints the
 * wall time per get of each variant (the embedded server's work included) and checks that both variants read the
 * same values.
 */
#include <aero/aero.h>
#include <aero/testserver.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_user.aero.h"

#define NOINLINE __attribute__((noinline))

static const char *const two_bins[] = { BENCH_USER_BIN_NAME, BENCH_USER_BIN_AGE };
static const unsigned two_fields[] = { BENCH_USER_F_NAME, BENCH_USER_F_AGE };

/* The typed variants' struct (checked after each run, outside the measured functions). */
static bench_user got;

NOINLINE static int cost_plain_all(aero_session *s, const aero_key *key, aero_record *rec, int n) {
    aero_error err;
    for (int i = 0; i < n; i++) {
        if (aero_session_get(s, key, NULL, 0, rec, &err) != AERO_OK)
            return -1;
    }
    return 0;
}

NOINLINE static int cost_typed_all(aero_session *s, const aero_key *key, aero_record *holder, int n) {
    aero_error err;
    for (int i = 0; i < n; i++) {
        if (aero_schema_get(s, &bench_user_schema, key, NULL, 0, &got, holder, &err) != AERO_OK)
            return -1;
    }
    return 0;
}

NOINLINE static int cost_plain_two(aero_session *s, const aero_key *key, aero_record *rec, int n) {
    aero_error err;
    for (int i = 0; i < n; i++) {
        if (aero_session_get(s, key, two_bins, 2, rec, &err) != AERO_OK)
            return -1;
    }
    return 0;
}

NOINLINE static int cost_typed_two(aero_session *s, const aero_key *key, aero_record *holder, int n) {
    aero_error err;
    for (int i = 0; i < n; i++) {
        if (aero_schema_get(s, &bench_user_schema, key, two_fields, 2, &got, holder, &err) != AERO_OK)
            return -1;
    }
    return 0;
}

typedef int (*cost_fn)(aero_session *, const aero_key *, aero_record *, int);

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    if (n <= 0) {
        fprintf(stderr, "usage: aero-typed-cost [GETS]\n");
        return 2;
    }
    aero_error err;
    aero_testserver_config tcfg;
    aero_testserver_config_init(&tcfg);
    aero_testserver *ts = aero_testserver_start(&tcfg, &err);
    if (!ts) {
        fprintf(stderr, "aero-typed-cost: cannot start the embedded server: %s\n", err.message);
        return 2;
    }
    aero_client *client = aero_client_connect(aero_testserver_seeds(ts), NULL, &err);
    if (!client) {
        fprintf(stderr, "aero-typed-cost: cannot connect: %s\n", err.message);
        aero_testserver_stop(ts);
        return 2;
    }
    int rc = 1;
    aero_session *s = aero_client_create_session(client, NULL, &err);
    aero_record rec;
    aero_record_init(&rec);
    if (!s)
        goto out;
    bench_user u = BENCH_USER_INIT;
    u.has_name = u.has_email = u.has_status = u.has_age = u.has_login_count = true;
    u.name = "Ada Lovelace";
    u.email = "ada@example.com";
    u.status = "active";
    u.age = 36;
    u.login_count = 1815;
    aero_key key = bench_user_key("user-1");
    if (bench_user_upsert(s, "user-1", &u, &err) != AERO_OK) {
        fprintf(stderr, "aero-typed-cost: write: %s\n", err.message);
        goto out;
    }
    static const struct {
        const char *name;
        cost_fn fn;
    } variants[] = { { "plain get, all bins", cost_plain_all },
                     { "typed get, all bins", cost_typed_all },
                     { "plain get, 2 bins", cost_plain_two },
                     { "typed get, 2 bins", cost_typed_two } };
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        /* warm-up outside the measured function: connections, buffers, the holder's arena */
        for (int i = 0; i < 50; i++)
            if (aero_session_get(s, &key, NULL, 0, &rec, &err) != AERO_OK)
                goto out;
        if (variants[v].fn(s, &key, &rec, 50) != 0)
            goto out;
        got = (bench_user)BENCH_USER_INIT;
        double t0 = now_ns();
        if (variants[v].fn(s, &key, &rec, n) != 0) {
            fprintf(stderr, "aero-typed-cost: %s failed\n", variants[v].name);
            goto out;
        }
        double t1 = now_ns();
        bool typed = v % 2 == 1;
        const char *name = typed ? got.name : aero_record_str(&rec, BENCH_USER_BIN_NAME);
        int64_t age = typed ? got.age : aero_record_int(&rec, BENCH_USER_BIN_AGE, 0);
        if (!name || strcmp(name, "Ada Lovelace") != 0 || age != 36) {
            fprintf(stderr, "aero-typed-cost: %s read wrong values\n", variants[v].name);
            goto out;
        }
        printf("%-22s %8.0f ns/get (wall, server included)\n", variants[v].name, (t1 - t0) / n);
    }
    rc = 0;
out:
    if (rc)
        fprintf(stderr, "aero-typed-cost: %s\n", err.message);
    aero_record_dispose(&rec);
    aero_session_free(s);
    aero_client_close(client);
    aero_testserver_stop(ts);
    return rc;
}
