/*
 * server.c - the public life cycle of a test cluster: configuration, start,
 * stop, what a test can ask about it, and its clock.
 *
 * Nodes and their threads live in node.c, the cluster view in cluster.c,
 * faults in fault.c, control commands in control.c, the in-process store
 * API in seed.c.
 */
#include "ts.h"
#include "udf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_MAX_NAMESPACES  8
#define DEFAULT_MAX_SINDEXES    256     /* MAX_N_SINDEXES, per namespace */
#define DEFAULT_MAX_RECORD_SIZE 1048576 /* namespace max-record-size default */
#define DEFAULT_MAX_CONNECTIONS 15000   /* proto-fd-max default */

static unsigned or_default(unsigned v, unsigned def) { return v ? v : def; }

static aero_status check_config(const aero_testserver_config *cfg, ts_limits *lim, aero_error *err) {
    if (cfg->version < 1 || cfg->version > AERO_TESTSERVER_CONFIG_VERSION)
        return ts_err(err, AERO_ERR_PARAM,
                      "aero_testserver_config version %u is not supported (this library knows %d to %d); initialise "
                      "it with AERO_TESTSERVER_CONFIG_INIT or aero_testserver_config_init()",
                      (unsigned)cfg->version, 1, AERO_TESTSERVER_CONFIG_VERSION);
    for (unsigned i = 0; cfg->version >= 2 && cfg->rack_ids && i < or_default(cfg->nodes, 1); i++)
        if (cfg->rack_ids[i] > 1000000)
            return ts_err(err, AERO_ERR_PARAM, "testserver: rack id %u of node %u is over 1000000",
                          (unsigned)cfg->rack_ids[i], i);
    unsigned nodes = or_default(cfg->nodes, 1);
    if (nodes > TS_MAX_NODES || (cfg->port && (unsigned)cfg->port + nodes - 1 > 65535))
        return ts_err(err, AERO_ERR_PARAM, "testserver: nodes must be 1..%d", TS_MAX_NODES);
    if (cfg->cluster_name && strlen(cfg->cluster_name) >= 64)
        return ts_err(err, AERO_ERR_PARAM, "testserver: cluster name too long");
    if (cfg->build && (!*cfg->build || strlen(cfg->build) >= 32))
        return ts_err(err, AERO_ERR_PARAM, "testserver: build must be 1..31 bytes");
    if (cfg->default_read_touch_ttl_pct > 100)
        return ts_err(err, AERO_ERR_PARAM, "testserver: default-read-touch-ttl-pct must be 0..100");
    const aero_testserver_limits *l = &cfg->limits;
    lim->max_namespaces = or_default(l->max_namespaces, DEFAULT_MAX_NAMESPACES);
    lim->max_sindexes = or_default(l->max_sindexes, DEFAULT_MAX_SINDEXES);
    lim->max_record_size = l->max_record_size ? l->max_record_size : DEFAULT_MAX_RECORD_SIZE;
    lim->max_connections = or_default(l->max_connections, DEFAULT_MAX_CONNECTIONS);
    lim->max_batch_requests = l->max_batch_requests; /* batch-max-requests: 0 = no limit, the default */
    if (lim->max_namespaces > TS_MAX_NS)
        return ts_err(err, AERO_ERR_PARAM, "testserver: max_namespaces %u is over %d", lim->max_namespaces, TS_MAX_NS);
    return AERO_OK;
}

/* Bind every node's port and start its threads. */
static aero_status start_nodes(aero_testserver *ts, uint16_t port, aero_error *err) {
    for (unsigned i = 0; i < ts->n_nodes; i++) {
        ts_node *n = &ts->nodes[i];
        if (ts_node_bind(n, port ? (uint16_t)(port + i) : 0) != 0)
            return ts_err(err, AERO_ERR_CONNECTION, "testserver: cannot bind 127.0.0.1:%u: %s", port ? port + i : 0,
                          strerror(errno));
        n->id = (0xBB9ull << 40) | ((uint64_t)n->port << 16) | (uint64_t)(i + 1);
        snprintf(n->name, sizeof n->name, "%" PRIX64, n->id);
        n->live = true;
    }
    ts_cluster_rebuild_seeds(ts);
    for (unsigned i = 0; i < ts->n_nodes; i++)
        if (ts_node_run(&ts->nodes[i]) != 0)
            return ts_err(err, AERO_ERR_NO_MEMORY, "testserver: cannot start a thread");
    return AERO_OK;
}

aero_testserver *aero_testserver_start(const aero_testserver_config *cfg, aero_error *err) {
    aero_testserver_config def;
    if (!cfg) {
        aero_testserver_config_init(&def);
        cfg = &def;
    }
    ts_limits lim;
    if (check_config(cfg, &lim, err) != AERO_OK)
        return NULL;
    aero_testserver *ts = calloc(1, sizeof *ts);
    if (!ts) {
        ts_err(err, AERO_ERR_NO_MEMORY, "testserver: out of memory");
        return NULL;
    }
    ts->limits = lim;
    if (ts_store_init(&ts->store, cfg->namespaces, cfg->default_ttl, &ts->limits) != 0) {
        ts_store_dispose(&ts->store);
        free(ts);
        ts_err(err, AERO_ERR_PARAM, "testserver: bad namespace list \"%s\" (at most %u names of 1..31 bytes)",
               cfg->namespaces ? cfg->namespaces : "", lim.max_namespaces);
        return NULL;
    }
    ts->store.default_read_touch_pct = cfg->default_read_touch_ttl_pct;
    /* a version 1 config ends before `security` */
    ts->security = ts_security_new(cfg->version >= 2 && cfg->security, cfg->version >= 2 ? cfg->session_ttl : 0);
    if (!ts->security) {
        ts_store_dispose(&ts->store);
        free(ts);
        ts_err(err, AERO_ERR_NO_MEMORY, "testserver: out of memory");
        return NULL;
    }
    ts_clock_init(&ts->clock, cfg->virtual_clock);
    pthread_mutex_init(&ts->mu, NULL);
    ts->n_nodes = or_default(cfg->nodes, 1);
    ts->rf = or_default(cfg->replication_factor, 1);
    if (ts->rf > ts->n_nodes)
        ts->rf = ts->n_nodes;
    snprintf(ts->cluster_name, sizeof ts->cluster_name, "%s", cfg->cluster_name ? cfg->cluster_name : "");
    snprintf(ts->build, sizeof ts->build, "%s", cfg->build ? cfg->build : TS_BUILD);
    ts->racks = cfg->version >= 2 && cfg->rack_ids;
    for (unsigned i = 0; ts->racks && i < ts->n_nodes; i++)
        ts->nodes[i].rack = cfg->rack_ids[i];
    ts->partition_gen = 1;
    ts->peers_gen = 1;
    for (unsigned i = 0; i < ts->n_nodes; i++) {
        ts_node *n = &ts->nodes[i];
        n->ts = ts;
        n->index = i;
        n->listen_fd = -1;
        n->tls_listen_fd = -1;
        pthread_mutex_init(&n->conn_mu, NULL);
    }
    if (ts_tls_init(ts, cfg, err) != AERO_OK) {
        aero_testserver_stop(ts);
        return NULL;
    }
    if (start_nodes(ts, cfg->port, err) != AERO_OK) {
        aero_testserver_stop(ts);
        return NULL;
    }
    ts_ok(err);
    return ts;
}

const char *aero_testserver_seeds(const aero_testserver *ts) { return ts ? ts->seeds : ""; }

void aero_testserver_wire_bytes(const aero_testserver *ts, uint64_t *received, uint64_t *sent) {
    if (received)
        *received = ts ? atomic_load(&ts->bytes_in) : 0;
    if (sent)
        *sent = ts ? atomic_load(&ts->bytes_out) : 0;
}

const char *aero_testserver_tls_seeds(const aero_testserver *ts) { return ts ? ts->tls_seeds : ""; }

uint16_t aero_testserver_tls_port(const aero_testserver *ts, unsigned node) {
    return ts && ts->tls_ctx && node < ts->n_nodes ? ts->nodes[node].tls_port : 0;
}

uint16_t aero_testserver_port(const aero_testserver *ts, unsigned node) {
    return ts && node < ts->n_nodes ? ts->nodes[node].port : 0;
}

unsigned aero_testserver_node_count(const aero_testserver *ts) { return ts ? ts->n_nodes : 0; }

const char *aero_testserver_node_name(const aero_testserver *ts, unsigned node) {
    return ts && node < ts->n_nodes ? ts->nodes[node].name : NULL;
}

void aero_testserver_clock_advance(aero_testserver *ts, uint32_t seconds) {
    if (!ts)
        return;
    ts_clock_advance(&ts->clock, (uint64_t)seconds * 1000000000u);
    const ts_clock *prev = ts_clock_bind(&ts->clock);
    pthread_mutex_lock(&ts->store.mu);
    ts_store_expire(&ts->store, ts_now2010()); /* as nsup would, so counts and scans see it at once */
    pthread_mutex_unlock(&ts->store.mu);
    ts_clock_bind(prev);
}

uint64_t aero_testserver_clock_now(const aero_testserver *ts) { return ts ? ts_clock_now_ns(&ts->clock) : 0; }

void aero_testserver_stop(aero_testserver *ts) {
    if (!ts)
        return;
    ts->stopping = true;
    for (unsigned i = 0; i < ts->n_nodes; i++) {
        ts_node_halt(&ts->nodes[i]);
        if (ts->nodes[i].listen_fd >= 0)
            close(ts->nodes[i].listen_fd);
        if (ts->nodes[i].tls_listen_fd >= 0)
            close(ts->nodes[i].tls_listen_fd);
        ts_node_reap(&ts->nodes[i], true);
        pthread_mutex_destroy(&ts->nodes[i].conn_mu);
    }
    ts_jobs_free(ts); /* joins running background jobs before the store goes */
    ts_udf_free(ts);
    ts_store_dispose(&ts->store);
    ts_tls_free(ts);
    free(ts->sindex);
    ts_security_free(ts->security);
    pthread_mutex_destroy(&ts->mu);
    free(ts);
}
