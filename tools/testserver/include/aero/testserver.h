/*
 * aero/testserver.h - aero-testserver: an in-memory, wire-compatible
 * Aerospike 8.1 CE server to link into unit tests.
 *
 * One call starts a "cluster" of one or more nodes inside the calling
 * process. Every node listens on its own 127.0.0.1 port (never on another
 * interface) and speaks the Aerospike wire protocol: info (type 1), AS_MSG
 * (type 3) single-record commands, batch, partition scans and queries with
 * filter expressions. All nodes share one in-memory store; the 4096
 * partitions of every namespace are spread over the live nodes like a real
 * cluster (replicas, peers and partition generations are answered
 * accordingly). A single-record or batch command sent to a node that does
 * not own the partition is served as if the server proxied it; a scan or
 * query answers 11 (PARTITION_DONE) for partitions the node does not master,
 * as a real node does. Secondary indexes are created with the usual
 * sindex-create info command. docs/testserver.md describes what it
 * simulates, its fault injection and its limits.
 *
 *     aero_error err;
 *     aero_testserver *ts = aero_testserver_start(NULL, &err);   // 1 node, ns "test"
 *     if (!ts) { fprintf(stderr, "%s\n", err.message); return 1; }
 *     aero_client *c = aero_client_connect(aero_testserver_seeds(ts), NULL, &err);
 *     ...
 *     aero_testserver_stop(ts);
 *
 * Threads: the server runs its own threads (one accept thread per node, one
 * thread per client connection). All functions here are thread-safe with
 * respect to those threads; do not call aero_testserver_stop() concurrently
 * with another call on the same handle.
 *
 * Control over the wire (e.g. from another process running the
 * aero-testserver binary): every node accepts the info command
 * `testserver-control:<cmd>` with the commands of aero_testserver_control().
 */
#ifndef AERO_TESTSERVER_H
#define AERO_TESTSERVER_H

#include <aero/error.h>

AERO_BEGIN_DECLS

/** A running test cluster (opaque). Owned by the caller; free with aero_testserver_stop(). */
typedef struct aero_testserver aero_testserver;

/** Start-up settings. Initialise with aero_testserver_config_init(). */
typedef struct aero_testserver_config {
    uint16_t port;               /**< port of node 0; 0 = pick free ports. Node i uses port+i when port != 0. */
    unsigned nodes;              /**< number of nodes, default 1 (1..64) */
    unsigned replication_factor; /**< default 1; capped at the number of live nodes */
    const char *namespaces;      /**< ";"-separated namespace names, default "test" (copied) */
    uint32_t default_ttl;        /**< namespace default-ttl in seconds, default 0 (never expire) */
    const char *cluster_name;    /**< cluster-name answer, default "" (copied) */
    /** namespace default-read-touch-ttl-pct (0..100), used by reads that send 0; default 0 (no touch) */
    uint32_t default_read_touch_ttl_pct;
    /**
     * Server version the info answers report (build, version, release), e.g.
     * "8.1.1.2", to test how a client treats older servers; NULL = the version
     * the test server implements. Only those answers change (copied, < 32 bytes).
     */
    const char *build;
} aero_testserver_config;

/** Fill `cfg` with the defaults listed above. */
AERO_API void aero_testserver_config_init(aero_testserver_config *cfg);

/**
 * Start the server (cfg NULL = defaults). Returns a new handle, or NULL with
 * `err` filled (AERO_ERR_PARAM for a bad config, AERO_ERR_CONNECTION when a
 * port cannot be bound, AERO_ERR_NO_MEMORY).
 */
AERO_API aero_testserver *aero_testserver_start(const aero_testserver_config *cfg, aero_error *err);

/**
 * Seed list of the live nodes, "127.0.0.1:p1,127.0.0.1:p2". The string is
 * owned by `ts` and stays valid until the next node stop/start or stop.
 */
AERO_API const char *aero_testserver_seeds(const aero_testserver *ts);

/** Port of node `node` (0-based), or 0 if there is no such node. */
AERO_API uint16_t aero_testserver_port(const aero_testserver *ts, unsigned node);

/** Number of nodes configured (live or stopped). */
AERO_API unsigned aero_testserver_node_count(const aero_testserver *ts);

/** Node name (the `node` info answer, e.g. "BB9A1B20000AE01") of `node`; owned by `ts`. NULL if none. */
AERO_API const char *aero_testserver_node_name(const aero_testserver *ts, unsigned node);

/**
 * Stop node `node`: its port closes, its connections are cut, and its
 * partitions move to the remaining live nodes (partition-generation and
 * peers-generation advance everywhere). The data stays (it is shared).
 * AERO_ERR_PARAM for an unknown node or when it is the last live node.
 */
AERO_API aero_status aero_testserver_node_stop(aero_testserver *ts, unsigned node, aero_error *err);

/**
 * Start a stopped node again on the same port and rebalance.
 * AERO_ERR_CONNECTION if the port cannot be bound again.
 */
AERO_API aero_status aero_testserver_node_start(aero_testserver *ts, unsigned node, aero_error *err);

/** Faults a node can be told to inject into its answers to AS_MSG (type 3) requests. */
typedef enum aero_testserver_fault {
    AERO_TS_FAULT_NONE = 0,        /**< normal behaviour (clears any fault) */
    AERO_TS_FAULT_STALL = 1,       /**< never answer: a stalled connection stays silent until the client
                                        closes it, the node stops, or the next aero_testserver_inject() call
                                        (which closes it) */
    AERO_TS_FAULT_DROP = 2,        /**< close the connection instead of answering */
    AERO_TS_FAULT_CLOSE_MID = 3,   /**< send half of the answer, then close */
    AERO_TS_FAULT_GARBAGE = 4,     /**< answer `arg` (default 32) random non-protocol bytes */
    AERO_TS_FAULT_DELAY = 5,       /**< answer normally after `arg` milliseconds */
    AERO_TS_FAULT_RESULT_CODE = 6, /**< answer every command with result code `arg` (not executed) */
} aero_testserver_fault;

/**
 * Set the fault of `node` (replaces the previous one). `count` limits how
 * many requests are affected (0 = until cleared). Info requests (type 1) are
 * never affected, so cluster tending keeps working. AERO_ERR_PARAM for an
 * unknown node or fault.
 */
AERO_API aero_status aero_testserver_inject(aero_testserver *ts, unsigned node, aero_testserver_fault fault,
                                            uint32_t arg, uint32_t count, aero_error *err);

/**
 * Run a control command given as text, the same one the info command
 * `testserver-control:<cmd>` accepts on the wire:
 *   "stop;node=N"  "start;node=N"
 *   "fault;node=N;type=stall|drop|close-mid|garbage|delay|result|none[;arg=A][;count=C]"
 *   "truncate" (delete every record of every namespace)
 * Writes "ok" or "ERROR:<code>:<message>" into out (NUL-terminated).
 */
AERO_API aero_status aero_testserver_control(aero_testserver *ts, const char *cmd, char *out, size_t cap);

/** Stop every node, join every thread, free everything. NULL is a no-op. */
AERO_API void aero_testserver_stop(aero_testserver *ts);

AERO_END_DECLS

#endif
