/*
 * aero/cluster.h - cluster statistics on demand.
 *
 * A snapshot of what the client sees: the nodes it routes to, their
 * connection pools, how many retries the command layer made and which
 * errors it returned. Cheap enough to call every second from a monitoring
 * thread; safe to call from any thread while commands run.
 *
 *     aero_cluster_stats st = AERO_CLUSTER_STATS_INIT;
 *     if (aero_client_stats(client, &st, &err) == AERO_OK)
 *         printf("%u nodes, %llu connections in use\n", st.n_nodes,
 *                (unsigned long long)st.conns_in_use);
 */
#ifndef AERO_CLUSTER_STATS_H
#define AERO_CLUSTER_STATS_H

#include <aero/client.h>
#include <aero/error.h>

AERO_BEGIN_DECLS

/** Nodes described individually in aero_cluster_stats (more are counted, not described). */
#define AERO_STATS_MAX_NODES 32
/** Distinct error codes reported in aero_cluster_stats (the most frequent first). */
#define AERO_STATS_MAX_CODES 32

/** One node as the client sees it. */
typedef struct aero_node_stats {
    char name[40];          /**< node name, e.g. "BB9020011AC4202" */
    char address[80];       /**< "host:port" it is reached at (truncated if longer) */
    uint32_t conns_open;    /**< pooled connections that exist (idle + in use) */
    uint32_t conns_in_use;  /**< connections lent to commands right now */
    uint32_t conns_idle;    /**< connections waiting in the pool */
    uint32_t tend_failures; /**< consecutive failed tend requests (0 when healthy) */
    uint64_t conns_opened;  /**< connections opened since the node joined */
    uint64_t conn_errors;   /**< connects that failed since the node joined */
    uint32_t partitions;    /**< partition slots (master and replicas) the node holds */
} aero_node_stats;

/** How often command attempts failed with one status code. */
typedef struct aero_error_count {
    aero_status code;
    uint64_t count;
} aero_error_count;

/**
 * Cluster statistics. Plain data, caller-owned (it is a few kilobytes). A
 * versioned struct the library fills (the rule is in common.h): set it up
 * with AERO_CLUSTER_STATS_INIT or aero_cluster_stats_init() before the call.
 */
typedef struct aero_cluster_stats {
    uint32_t version;      /**< AERO_CLUSTER_STATS_VERSION: set by the caller, kept by the call */
    uint32_t n_nodes;      /**< active nodes */
    uint32_t n_node_stats; /**< entries filled in `nodes` (<= AERO_STATS_MAX_NODES) */
    aero_node_stats nodes[AERO_STATS_MAX_NODES];
    uint64_t conns_open;    /**< over all nodes */
    uint64_t conns_in_use;  /**< over all nodes */
    uint64_t retries;       /**< command retries since connect */
    uint64_t errors;        /**< failed command attempts since connect, all codes
                                                        (a retried command counts once per failed try) */
    uint32_t n_error_codes; /**< entries filled in `error_codes` */
    aero_error_count error_codes[AERO_STATS_MAX_CODES];
    uint64_t nodes_added;   /**< nodes that joined since connect (seeds included) */
    uint64_t nodes_removed; /**< nodes dropped since connect */
    uint64_t tend_rounds;   /**< tend passes made */
    uint64_t tend_errors;   /**< failed tend requests */
} aero_cluster_stats;

/** Version of aero_cluster_stats these headers describe. */
#define AERO_CLUSTER_STATS_VERSION 1

/** Empty statistics of this version, ready for aero_client_stats(). */
#define AERO_CLUSTER_STATS_INIT \
    { AERO_CLUSTER_STATS_VERSION, 0, 0, { { "", "", 0, 0, 0, 0, 0, 0, 0 } }, 0, 0, 0, 0, 0, { { 0, 0 } }, 0, 0, 0, 0 }

/** Fill `st` with AERO_CLUSTER_STATS_INIT (compiled into the caller, see common.h). */
static inline void aero_cluster_stats_init(aero_cluster_stats *st) {
    static const aero_cluster_stats init = AERO_CLUSTER_STATS_INIT;
    *st = init;
}

/**
 * Fill `out` (whose version the caller set) with a snapshot of the client's
 * cluster statistics. AERO_ERR_PARAM if client or out is NULL or out is of
 * an unknown version.
 */
AERO_API aero_status aero_client_stats(aero_client *client, aero_cluster_stats *out, aero_error *err);

AERO_END_DECLS

#endif
