/*
 * Tend, pool and routing tests against fake info servers on 127.0.0.1
 * (fake_cluster.c): seeding, discovery through peers, partition routing,
 * node loss and return, connection pool limits and stale sockets, logging,
 * statistics and prompt shutdown. Every wait is bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <aero/cluster.h>

#include "cluster/cluster.h"
#include "cluster/node.h"
#include "fake_cluster.h"
#include "aero_assert.h"

static void cfg_fast(aero_client_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->tend_interval_ms = 50;
    cfg->connect_timeout_ms = 500;
    cfg->max_conns_per_node = 8;
    cfg->max_socket_idle_ms = 55000;
    cfg->max_node_failures = 3;
    cfg->fail_if_not_connected = true;
    cfg->log_level = AERO_LOG_DEBUG;
}

static void seed_of(const fake_cluster *fc, int i, char *out, size_t cap) {
    snprintf(out, cap, "127.0.0.1:%u", (unsigned)fc->nodes[i].port);
}

static void sleep_ms(unsigned ms) {
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static size_t count_nodes(aero_cluster *c) {
    aero_node *nodes[8];
    size_t n = aero_cluster__nodes(c, nodes, 8);
    for (size_t i = 0; i < n; i++)
        aero_node__release(nodes[i]);
    return n;
}

/* True if every partition of "test" routes (write) to the node the fake cluster says owns it. */
static bool routing_matches(aero_cluster *c, const fake_cluster *fc) {
    for (uint32_t pid = 0; pid < 4096; pid++) {
        aero_node *n = aero_cluster__node_for(c, "test", (uint16_t)pid, true, AERO_REPLICA_SEQUENCE, 0);
        int want = fake_owner(fc, pid, 0);
        bool ok = n && want >= 0 && strcmp(aero_node__name(n), fc->nodes[want].name) == 0;
        aero_node__release(n);
        if (!ok)
            return false;
    }
    return true;
}

/* Wait (bounded) until the cluster has `n` nodes and routes as the fake cluster does. */
static bool wait_converged(aero_cluster *c, const fake_cluster *fc, size_t n, unsigned max_ms) {
    for (unsigned waited = 0; waited <= max_ms; waited += 10) {
        if (count_nodes(c) == n && routing_matches(c, fc))
            return true;
        sleep_ms(10);
    }
    return false;
}

static void test_single_node(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 1, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    assert_int_equal(count_nodes(c), 1);
    aero_node *n = aero_cluster__node_for(c, "test", 123, false, AERO_REPLICA_SEQUENCE, 0);
    assert_non_null(n);
    assert_string_equal(aero_node__name(n), "N0");
    assert_string_equal(aero_node__address(n), seed);
    const char *cmds[] = { "build", "node" };
    char *out = NULL;
    size_t len = 0;
    assert_aero_ok(aero_node__info(n, cmds, 2, aero_deadline_after_ms(1000), &out, &len, &err), &err);
    assert_string_equal(out, "build\t8.1.2.0\nnode\tN0\n");
    assert_int_equal(len, strlen(out));
    free(out);
    aero_node *any = aero_cluster__any_node(c);
    assert_ptr_equal(any, n);
    aero_node__release(any);
    aero_node__release(n);
    /* a namespace the node never reported still goes to the single node */
    n = aero_cluster__node_for(c, "other", 1, true, AERO_REPLICA_MASTER, 0);
    assert_non_null(n);
    aero_node__release(n);
    aero_cluster__free(c);

    /* a host name resolves (from /etc/hosts; every address is tried) */
    char named[64];
    snprintf(named, sizeof named, "localhost:%u", (unsigned)fc.nodes[0].port);
    assert_aero_ok(aero_cluster__new(named, &cfg, &c, &err), &err);
    n = aero_cluster__any_node(c);
    assert_string_equal(aero_node__name(n), "N0");
    aero_node__release(n);
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

static void test_seed_errors(void **state) {
    (void)state;
    aero_client_config cfg;
    cfg_fast(&cfg);
    aero_cluster *c = (aero_cluster *)1;
    aero_error err;
    assert_int_equal(aero_cluster__new("", &cfg, &c, &err), AERO_ERR_INVALID_HOST);
    assert_null(c);
    assert_int_equal(aero_cluster__new("127.0.0.1:99999", &cfg, &c, &err), AERO_ERR_INVALID_HOST);
    assert_int_equal(aero_cluster__new("127.0.0.1:3000,,x", &cfg, &c, &err), AERO_ERR_INVALID_HOST);
    assert_int_equal(err.code, AERO_ERR_INVALID_HOST);

    /* a port nobody listens on (bind, read the port, close) */
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 1, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    fake_node_stop(&fc, 0);
    assert_int_equal(aero_cluster__new(seed, &cfg, &c, &err), AERO_ERR_CONNECTION);
    assert_null(c);
    assert_true(strstr(err.message, "no seed answered") != NULL);

    /* not joined yet: partition-generation -1 */
    assert_true(fake_node_start(&fc, 0));
    fc.nodes[0].partition_gen = -1;
    assert_int_equal(aero_cluster__new(seed, &cfg, &c, &err), AERO_ERR_CONNECTION);
    assert_true(strstr(err.message, "partition-generation") != NULL);
    fake_cluster_rebalance(&fc);

    /* wrong cluster name */
    strcpy(fc.nodes[0].cluster_name, "prod");
    cfg.cluster_name = "staging";
    assert_int_equal(aero_cluster__new(seed, &cfg, &c, &err), AERO_ERR_CONNECTION);
    assert_true(strstr(err.message, "staging") != NULL);
    cfg.cluster_name = "prod";
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    aero_cluster__free(c);

    /* a bad seed first, a good one second */
    char two[160];
    snprintf(two, sizeof two, "127.0.0.1:1, %s", seed);
    cfg.cluster_name = NULL;
    assert_aero_ok(aero_cluster__new(two, &cfg, &c, &err), &err);
    assert_int_equal(count_nodes(c), 1);
    aero_cluster__free(c);

    /* fail_if_not_connected = false: connect succeeds empty, nodes appear later */
    fake_node_stop(&fc, 0);
    cfg.fail_if_not_connected = false;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    assert_int_equal(count_nodes(c), 0);
    assert_null(aero_cluster__node_for(c, "test", 1, true, AERO_REPLICA_SEQUENCE, 0));
    assert_true(fake_node_start(&fc, 0));
    assert_true(wait_converged(c, &fc, 1, 2000));
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

static void test_discovery_and_routing(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 3, 2));
    char seed[64];
    seed_of(&fc, 1, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    /* the first tend already found every node and the whole map */
    assert_int_equal(count_nodes(c), 3);
    assert_true(routing_matches(c, &fc));
    /* replica policy: SEQUENCE moves to the prole on attempt 1; MASTER does not */
    for (uint32_t pid = 0; pid < 4096; pid += 97) {
        aero_node *n = aero_cluster__node_for(c, "test", (uint16_t)pid, false, AERO_REPLICA_SEQUENCE, 1);
        assert_non_null(n);
        assert_string_equal(aero_node__name(n), fc.nodes[fake_owner(&fc, pid, 1)].name);
        aero_node__release(n);
        n = aero_cluster__node_for(c, "test", (uint16_t)pid, false, AERO_REPLICA_MASTER, 1);
        assert_string_equal(aero_node__name(n), fc.nodes[fake_owner(&fc, pid, 0)].name);
        aero_node__release(n);
    }
    /* ANY spreads reads of one partition over both replicas */
    bool seen[FAKE_MAX_NODES] = { false };
    for (int k = 0; k < 8; k++) {
        aero_node *n = aero_cluster__node_for(c, "test", 5, false, AERO_REPLICA_ANY, 0);
        seen[aero_node__name(n)[1] - '0'] = true;
        aero_node__release(n);
    }
    assert_true(seen[fake_owner(&fc, 5, 0)]);
    assert_true(seen[fake_owner(&fc, 5, 1)]);
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

typedef struct log_capture {
    pthread_mutex_t mu;
    int added, removed, warnings, retries, failed;
} log_capture;

static void capture(aero_log_level level, const char *msg, void *udata) {
    log_capture *lc = udata;
    pthread_mutex_lock(&lc->mu);
    if (strstr(msg, " added"))
        lc->added++;
    if (strstr(msg, " removed"))
        lc->removed++;
    if (level == AERO_LOG_WARN)
        lc->warnings++;
    if (level == AERO_LOG_DEBUG && strstr(msg, "command retry"))
        lc->retries++;
    if (level == AERO_LOG_DEBUG && strstr(msg, "command failed: TIMEOUT"))
        lc->failed++;
    pthread_mutex_unlock(&lc->mu);
}

static void test_node_leaves_and_returns(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 3, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    log_capture lc = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0 };
    cfg.log = capture;
    cfg.log_udata = &lc;
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    assert_true(wait_converged(c, &fc, 3, 1000));
    pthread_mutex_lock(&lc.mu);
    assert_int_equal(lc.added, 3);
    pthread_mutex_unlock(&lc.mu);

    /* hold a node that is about to leave: it must stay valid after removal */
    aero_node *held = NULL;
    for (uint32_t pid = 0; pid < 4096 && !held; pid++)
        if (fake_owner(&fc, pid, 0) == 2)
            held = aero_cluster__node_for(c, "test", (uint16_t)pid, true, AERO_REPLICA_SEQUENCE, 0);
    assert_non_null(held);

    fake_node_stop(&fc, 2);
    /* within a few tend intervals (50 ms each): two nodes, every partition on its new owner */
    assert_true(wait_converged(c, &fc, 2, 1000));
    pthread_mutex_lock(&lc.mu);
    assert_int_equal(lc.removed, 1);
    assert_true(lc.warnings >= 1);
    pthread_mutex_unlock(&lc.mu);
    assert_string_equal(aero_node__name(held), "N2");
    aero_conn *conn = NULL;
    /* a removed node refuses no API call, but its connections fail */
    assert_int_not_equal(aero_node__conn_get(held, aero_deadline_after_ms(500), &conn, &err), AERO_OK);
    assert_string_equal(err.node, "N2");
    aero_node__release(held);

    assert_true(fake_node_start(&fc, 2));
    assert_true(wait_converged(c, &fc, 3, 1000));
    pthread_mutex_lock(&lc.mu);
    assert_int_equal(lc.added, 4);
    pthread_mutex_unlock(&lc.mu);

    aero_cluster_stats st;
    aero_cluster__fill_stats(c, &st);
    assert_int_equal(st.n_nodes, 3);
    assert_int_equal(st.n_node_stats, 3);
    assert_int_equal(st.nodes_added, 4);
    assert_int_equal(st.nodes_removed, 1);
    assert_true(st.tend_rounds >= 3);
    assert_true(st.tend_errors >= 1);
    uint32_t parts = 0;
    for (uint32_t i = 0; i < st.n_node_stats; i++)
        parts += st.nodes[i].partitions;
    assert_int_equal(parts, 4096);
    /* retries and command errors reach the log at DEBUG, and only when enabled */
    aero_cluster__count_retry(c);
    aero_cluster__count_error(c, AERO_ERR_TIMEOUT);
    pthread_mutex_lock(&lc.mu);
    assert_int_equal(lc.retries, 1);
    assert_int_equal(lc.failed, 1);
    pthread_mutex_unlock(&lc.mu);
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

static void test_silent_node_dropped_after_failures(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 3, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    cfg.connect_timeout_ms = 100; /* also bounds each tend request */
    cfg.max_node_failures = 3;
    log_capture lc = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0 };
    cfg.log = capture;
    cfg.log_udata = &lc;
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    assert_true(wait_converged(c, &fc, 3, 1000));
    /* N2 still listed by its peers, but it stops answering */
    atomic_store(&fc.nodes[2].silent, true);
    uint64_t t0 = aero_now_ns();
    size_t n = 3;
    for (int i = 0; i < 300 && n == 3; i++) {
        sleep_ms(10);
        n = count_nodes(c);
    }
    uint64_t took_ms = (aero_now_ns() - t0) / 1000000u;
    assert_int_equal(n, 2);
    /* not before max_node_failures failed passes (each waits 100 ms for the answer) */
    assert_true(took_ms >= 250);
    pthread_mutex_lock(&lc.mu);
    assert_int_equal(lc.removed, 1);
    pthread_mutex_unlock(&lc.mu);
    /* it answers again: listed by its peers, it joins again */
    atomic_store(&fc.nodes[2].silent, false);
    assert_true(wait_converged(c, &fc, 3, 2000));
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

static void test_node_renamed_is_replaced(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 1, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    /* the address now answers as another node: the old one goes, the new one is seeded */
    pthread_mutex_lock(&fc.nodes[0].mu);
    strcpy(fc.nodes[0].node_answer, "M0");
    pthread_mutex_unlock(&fc.nodes[0].mu);
    bool renamed = false;
    for (int i = 0; i < 200 && !renamed; i++) {
        aero_node *n = aero_cluster__any_node(c);
        renamed = n && strcmp(aero_node__name(n), "M0") == 0;
        aero_node__release(n);
        if (!renamed)
            sleep_ms(10);
    }
    assert_true(renamed);
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

static void test_node_moves_to_new_address(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 3, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    cfg.max_node_failures = 1000; /* only the peers answer can tell */
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    assert_true(wait_converged(c, &fc, 3, 1000));
    uint16_t old_port = fc.nodes[2].port;
    assert_true(fake_node_move(&fc, 2));
    assert_int_not_equal(fc.nodes[2].port, old_port);
    /* the client follows N2 to its new address */
    char want[64];
    seed_of(&fc, 2, want, sizeof want);
    bool moved = false;
    for (int i = 0; i < 200 && !moved; i++) {
        aero_node *nodes[8];
        size_t n = aero_cluster__nodes(c, nodes, 8);
        for (size_t k = 0; k < n; k++) {
            moved = moved ||
                    (strcmp(aero_node__name(nodes[k]), "N2") == 0 && strcmp(aero_node__address(nodes[k]), want) == 0);
            aero_node__release(nodes[k]);
        }
        if (!moved)
            sleep_ms(10);
    }
    assert_true(moved);
    assert_true(wait_converged(c, &fc, 3, 1000));
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

static void test_pool(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 1, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    cfg.max_conns_per_node = 2;
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    aero_node *n = aero_cluster__any_node(c);
    assert_non_null(n);
    uint64_t dl = aero_deadline_after_ms(1000);
    aero_conn *a = NULL, *b = NULL, *x = NULL;
    assert_aero_ok(aero_node__conn_get(n, dl, &a, &err), &err);
    assert_aero_ok(aero_node__conn_get(n, dl, &b, &err), &err);
    assert_ptr_not_equal(a, b);
    /* back-pressure at max_conns_per_node */
    assert_int_equal(aero_node__conn_get(n, dl, &x, &err), AERO_ERR_NO_MORE_CONNECTIONS);
    assert_null(x);
    assert_int_equal(err.code, AERO_ERR_NO_MORE_CONNECTIONS);
    assert_string_equal(err.node, "N0");
    uint32_t open, in_use, idle;
    aero_node__pool_counts(n, &open, &in_use, &idle);
    assert_int_equal(open, 2);
    assert_int_equal(in_use, 2);
    /* a returned connection is reused; a closed one frees its slot */
    aero_node__conn_put(n, a);
    assert_aero_ok(aero_node__conn_get(n, dl, &x, &err), &err);
    assert_ptr_equal(x, a);
    aero_node__conn_close(n, x);
    aero_node__pool_counts(n, &open, &in_use, &idle);
    assert_int_equal(open, 1);
    assert_int_equal(in_use, 1);
    aero_node__conn_put(n, b);
    aero_node__pool_counts(n, &open, &in_use, &idle);
    assert_int_equal(idle, 1);
    assert_int_equal(in_use, 0);

    /* the server closes every pooled socket: once idle past the check age, the stale one is never lent */
    atomic_store(&fc.nodes[0].drop_clients, true);
    sleep_ms(AERO_POOL_STALE_CHECK_AFTER_MS + 20);
    const char *cmds[] = { "node" };
    char *out = NULL;
    assert_aero_ok(aero_node__info(n, cmds, 1, aero_deadline_after_ms(1000), &out, NULL, &err), &err);
    assert_string_equal(out, "node\tN0\n");
    free(out);

    /* a server that never answers: timeout, the connection is not pooled again */
    atomic_store(&fc.nodes[0].silent, true);
    uint64_t t0 = aero_now_ns();
    assert_int_equal(aero_node__info(n, cmds, 1, aero_deadline_after_ms(100), &out, NULL, &err), AERO_ERR_TIMEOUT);
    uint64_t took_ms = (aero_now_ns() - t0) / 1000000u;
    assert_true(took_ms >= 90 && took_ms < 1000);
    assert_null(out);
    aero_node__pool_counts(n, &open, &in_use, &idle);
    assert_int_equal(in_use, 0);
    assert_int_equal(open, idle);
    atomic_store(&fc.nodes[0].silent, false);

    aero_cluster_stats st;
    aero_cluster__count_retry(c);
    aero_cluster__count_error(c, AERO_ERR_TIMEOUT);
    aero_cluster__count_error(c, AERO_ERR_TIMEOUT);
    aero_cluster__count_error(c, AERO_ERR_KEY_NOT_FOUND);
    aero_cluster__count_error(c, -1000);
    aero_cluster__fill_stats(c, &st);
    assert_int_equal(st.retries, 1);
    assert_int_equal(st.errors, 4);
    assert_int_equal(st.n_error_codes, 2);
    assert_int_equal(st.error_codes[0].code, AERO_ERR_TIMEOUT);
    assert_int_equal(st.error_codes[0].count, 2);
    assert_int_equal(st.error_codes[1].code, AERO_ERR_KEY_NOT_FOUND);
    aero_node__release(n);
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

static void test_connection_error_tends_early(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 3, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    cfg.tend_interval_ms = 4000; /* early tends at most every second */
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    assert_int_equal(count_nodes(c), 3);
    sleep_ms(1100);
    fake_node_stop(&fc, 1);
    /* other errors do not wake the tend thread */
    aero_cluster__count_error(c, AERO_ERR_TIMEOUT);
    sleep_ms(300);
    assert_int_equal(count_nodes(c), 3);
    /* a command's connection error does: the node goes long before the 4 s tick */
    aero_cluster__count_error(c, AERO_ERR_CONNECTION);
    assert_true(wait_converged(c, &fc, 2, 1000));
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

static void test_wait_for_tend(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 3, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    cfg.tend_interval_ms = 4000;
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    fake_node_stop(&fc, 2);
    uint64_t t0 = aero_now_ns();
    /* the pass runs early (one second after the first: a quarter interval) and the view is fresh on return */
    assert_true(aero_cluster__wait_for_tend(c, aero_deadline_after_ms(3000)));
    assert_true((aero_now_ns() - t0) / 1000000u < 2000);
    assert_int_equal(count_nodes(c), 2);
    assert_true(routing_matches(c, &fc));
    /* a deadline that passes first: false, in time */
    t0 = aero_now_ns();
    assert_false(aero_cluster__wait_for_tend(c, aero_deadline_after_ms(50)));
    uint64_t took = (aero_now_ns() - t0) / 1000000u;
    assert_true(took >= 45 && took < 500);
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

static void test_pool_min_and_idle(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 1, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    cfg.min_conns_per_node = 3;
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    aero_node *n = aero_cluster__any_node(c);
    uint32_t open = 0, in_use = 0, idle = 0;
    /* the tend pass opens min_conns_per_node connections */
    for (int i = 0; i < 100 && idle < 3; i++) {
        aero_node__pool_counts(n, &open, &in_use, &idle);
        if (idle < 3)
            sleep_ms(10);
    }
    assert_int_equal(open, 3);
    assert_int_equal(idle, 3);
    aero_node__release(n);
    aero_cluster__free(c);

    /* idle sockets past max_socket_idle_ms are closed by the tend pass */
    cfg.min_conns_per_node = 0;
    cfg.max_socket_idle_ms = 60;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    n = aero_cluster__any_node(c);
    aero_conn *a, *b;
    assert_aero_ok(aero_node__conn_get(n, aero_deadline_after_ms(500), &a, &err), &err);
    assert_aero_ok(aero_node__conn_get(n, aero_deadline_after_ms(500), &b, &err), &err);
    aero_node__conn_put(n, a);
    aero_node__conn_put(n, b);
    aero_node__pool_counts(n, &open, &in_use, &idle);
    assert_int_equal(idle, 2);
    for (int i = 0; i < 100 && open > 0; i++) {
        sleep_ms(10);
        aero_node__pool_counts(n, &open, &in_use, &idle);
    }
    assert_int_equal(open, 0);
    assert_int_equal(idle, 0);
    aero_node__release(n);
    aero_cluster__free(c);
    fake_cluster_free(&fc);
}

static void test_free_is_prompt(void **state) {
    (void)state;
    fake_cluster fc;
    assert_true(fake_cluster_start(&fc, 1, 1));
    char seed[64];
    seed_of(&fc, 0, seed, sizeof seed);
    aero_client_config cfg;
    cfg_fast(&cfg);
    cfg.tend_interval_ms = 60000;
    aero_cluster *c = NULL;
    aero_error err;
    assert_aero_ok(aero_cluster__new(seed, &cfg, &c, &err), &err);
    sleep_ms(20);
    uint64_t t0 = aero_now_ns();
    aero_cluster__free(c);
    assert_true((aero_now_ns() - t0) / 1000000u < 200);
    fake_cluster_free(&fc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_node),
        cmocka_unit_test(test_seed_errors),
        cmocka_unit_test(test_discovery_and_routing),
        cmocka_unit_test(test_node_leaves_and_returns),
        cmocka_unit_test(test_silent_node_dropped_after_failures),
        cmocka_unit_test(test_node_renamed_is_replaced),
        cmocka_unit_test(test_node_moves_to_new_address),
        cmocka_unit_test(test_pool),
        cmocka_unit_test(test_connection_error_tends_early),
        cmocka_unit_test(test_wait_for_tend),
        cmocka_unit_test(test_pool_min_and_idle),
        cmocka_unit_test(test_free_is_prompt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
