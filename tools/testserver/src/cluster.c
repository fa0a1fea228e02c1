/*
 * cluster.c - the cluster view: which nodes are live, who owns each
 * partition, the seed list, and stopping / starting nodes (a rebalance).
 *
 * Replica k of partition p is live[(p + k) % n] over the n live nodes in
 * index order. Every change of the live set bumps the partition and peers
 * generations, as a real cluster's rebalance does.
 */
#include "ts.h"

#include <stdio.h>
#include <time.h>

static uint64_t mono_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static unsigned live_list(const aero_testserver *ts, unsigned *out) {
    unsigned n = 0;
    for (unsigned i = 0; i < ts->n_nodes; i++)
        if (ts->nodes[i].live)
            out[n++] = i;
    return n;
}

unsigned ts_cluster_rf(const aero_testserver *ts) {
    unsigned l[TS_MAX_NODES];
    unsigned n = live_list(ts, l);
    return ts->rf < n ? ts->rf : n;
}

int ts_cluster_owner(const aero_testserver *ts, unsigned pid, unsigned k) {
    unsigned l[TS_MAX_NODES];
    unsigned n = live_list(ts, l);
    unsigned rf = ts->rf < n ? ts->rf : n;
    if (n == 0 || k >= rf)
        return -1;
    return (int)l[(pid + k) % n];
}

void ts_cluster_rebuild_seeds(aero_testserver *ts) {
    size_t off = 0;
    ts->seeds[0] = 0;
    for (unsigned i = 0; i < ts->n_nodes; i++) {
        if (!ts->nodes[i].live)
            continue;
        off += (size_t)snprintf(ts->seeds + off, sizeof ts->seeds - off, "%s127.0.0.1:%u", off ? "," : "",
                                ts->nodes[i].port);
    }
    off = 0;
    ts->tls_seeds[0] = 0;
    for (unsigned i = 0; ts->tls_ctx && i < ts->n_nodes; i++) {
        if (!ts->nodes[i].live)
            continue;
        off += (size_t)snprintf(ts->tls_seeds + off, sizeof ts->tls_seeds - off, "%s127.0.0.1:%s%s%u", off ? "," : "",
                                ts->tls_name, ts->tls_name[0] ? ":" : "", ts->nodes[i].tls_port);
    }
}

/* The live set changed: caller holds ts->mu. */
static void rebalance(aero_testserver *ts) {
    ts->partition_gen++;
    ts->peers_gen++;
    ts_cluster_rebuild_seeds(ts);
}

aero_status aero_testserver_node_stop(aero_testserver *ts, unsigned node, aero_error *err) {
    if (!ts || node >= ts->n_nodes)
        return ts_err(err, AERO_ERR_PARAM, "testserver: no node %u", node);
    pthread_mutex_lock(&ts->mu);
    ts_node *n = &ts->nodes[node];
    unsigned l[TS_MAX_NODES];
    if (!n->live || live_list(ts, l) < 2) {
        pthread_mutex_unlock(&ts->mu);
        return ts_err(err, AERO_ERR_PARAM, "testserver: node %u is not running or is the last one", node);
    }
    n->live = false;
    rebalance(ts);
    pthread_mutex_unlock(&ts->mu);
    ts_node_halt(n);
    return ts_ok(err);
}

/* A killed node the others have not noticed yet counts as live; the first look after detect_at drops it. */
void ts_cluster_tick(aero_testserver *ts) {
    uint64_t now = 0;
    for (unsigned i = 0; i < ts->n_nodes; i++) {
        ts_node *n = &ts->nodes[i];
        if (!n->detect_at_ns)
            continue;
        if (!now)
            now = mono_ns();
        if (now >= n->detect_at_ns) {
            n->detect_at_ns = 0;
            n->live = false;
            rebalance(ts);
        }
    }
}

aero_status aero_testserver_node_kill(aero_testserver *ts, unsigned node, uint32_t detect_ms, aero_error *err) {
    if (!ts || node >= ts->n_nodes)
        return ts_err(err, AERO_ERR_PARAM, "testserver: no node %u", node);
    pthread_mutex_lock(&ts->mu);
    ts_node *n = &ts->nodes[node];
    unsigned l[TS_MAX_NODES];
    if (!n->live || n->detect_at_ns || live_list(ts, l) < 2) {
        pthread_mutex_unlock(&ts->mu);
        return ts_err(err, AERO_ERR_PARAM, "testserver: node %u is not running or is the last one", node);
    }
    n->detect_at_ns = mono_ns() + (uint64_t)(detect_ms ? detect_ms : 1) * 1000000u;
    pthread_mutex_unlock(&ts->mu);
    ts_node_halt(n);
    return ts_ok(err);
}

aero_status aero_testserver_node_start(aero_testserver *ts, unsigned node, aero_error *err) {
    if (!ts || node >= ts->n_nodes)
        return ts_err(err, AERO_ERR_PARAM, "testserver: no node %u", node);
    ts_node *n = &ts->nodes[node];
    pthread_mutex_lock(&ts->mu);
    if (n->detect_at_ns) { /* killed and back before the others noticed: they notice now */
        n->detect_at_ns = 0;
        n->live = false;
        rebalance(ts);
    }
    bool live = n->live;
    pthread_mutex_unlock(&ts->mu);
    if (live)
        return ts_err(err, AERO_ERR_PARAM, "testserver: node %u is running", node);
    ts_node_reap(n, true); /* a node stopped from its own connection leaves that thread behind */
    if (ts_node_bind(n, n->port) != 0)
        return ts_err(err, AERO_ERR_CONNECTION, "testserver: cannot bind 127.0.0.1:%u again", n->port);
    if (ts_node_run(n) != 0)
        return ts_err(err, AERO_ERR_NO_MEMORY, "testserver: cannot start a thread");
    pthread_mutex_lock(&ts->mu);
    n->live = true;
    rebalance(ts);
    pthread_mutex_unlock(&ts->mu);
    return ts_ok(err);
}
