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
 *
 * Linking: pkg-config aero-testserver (static or shared library; it needs
 * only libaero's public API and exports only the functions below). Tests
 * expire records with the virtual clock instead of sleeping, and seed or
 * inspect data with the in-process store API (aero_testserver_put() ...).
 */
#ifndef AERO_TESTSERVER_H
#define AERO_TESTSERVER_H

#include <aero/error.h>
#include <aero/key.h>
#include <aero/record.h>
#include <aero/write.h>

/*
 * Every public function of the test server library carries this mark; the
 * library is built with hidden visibility, so nothing else is exported.
 */
#if defined(__GNUC__) || defined(__clang__)
#define AERO_TESTSERVER_API __attribute__((visibility("default")))
#else
#define AERO_TESTSERVER_API
#endif

AERO_BEGIN_DECLS

/** A running test cluster (opaque). Owned by the caller; free with aero_testserver_stop(). */
typedef struct aero_testserver aero_testserver;

/** Version of aero_testserver_config this header describes (the versioned-struct rule of aero/common.h). */
#define AERO_TESTSERVER_CONFIG_VERSION 2

/**
 * Limits, as a real server enforces them (0 = the default shown). Exceeding
 * one gives the server's own answer:
 *   max_namespaces   default 8, at most 32: more namespaces in the config
 *                    fail aero_testserver_start() with AERO_ERR_PARAM (a real
 *                    server refuses to start; Community Edition allows 2)
 *   max_sindexes     secondary indexes per namespace, default 256
 *                    (Aerospike's limit): sindex-create answers ERROR:206
 *   max_record_size  bytes, default 1048576 (namespace max-record-size): a
 *                    write that would make a record larger answers 13
 *                    (RECORD_TOO_BIG) and leaves the record as it was; the
 *                    size is the one the record_size() expression reports
 *   max_connections  client connections per node, default 15000 (proto-fd-max):
 *                    a connection beyond it is accepted and closed at once
 *   max_batch_requests  keys in one batch, default 0 = no limit (batch-max-requests):
 *                    a larger batch answers 151 (BATCH_MAX_REQUESTS) alone
 */
typedef struct aero_testserver_limits {
    unsigned max_namespaces;
    unsigned max_sindexes;
    uint32_t max_record_size;
    unsigned max_connections;
    uint32_t max_batch_requests;
} aero_testserver_limits;

/**
 * Start-up settings. Initialise with AERO_TESTSERVER_CONFIG_INIT or
 * aero_testserver_config_init(), then set what you need; a zero member means
 * its default. aero_testserver_start() refuses a config whose `version` it
 * does not know. Members are only ever appended (each bumps the version).
 */
typedef struct aero_testserver_config {
    uint32_t version;            /**< AERO_TESTSERVER_CONFIG_VERSION: set by the INIT macro / init function */
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
    bool virtual_clock; /**< start with the clock stopped: it moves only by aero_testserver_clock_advance() */
    aero_testserver_limits limits;
    /* version 2: */
    /**
     * Rack of each node (`nodes` entries, each 0..1000000), as an Enterprise
     * cluster configured with rack-id answers them: info `rack-ids` gives
     * "<ns>:<rack>" per namespace, `racks` the nodes of each rack, and
     * namespace/<ns> rack-id. NULL (default): no racks, and rack-ids /
     * racks answer "enterprise only" as Community Edition does. Copied.
     */
    const uint32_t *rack_ids;
    /* -- access control (version 2) -- */
    /**
     * Enterprise Edition access control: every connection must log in
     * (LOGIN / AUTHENTICATE), commands are checked against the user's roles,
     * and user / role admin commands work. One user exists at start, "admin"
     * with password "admin" and the role user-admin, as on a new Enterprise
     * server. false (default): no security, as Community Edition (every
     * security message answers 51, SECURITY_NOT_SUPPORTED).
     */
    bool security;
    uint32_t session_ttl; /**< seconds a login's session token lives on the server clock; default 86400 */

    /* -- the Enterprise transport features (version 2) -- */

    /**
     * PEM certificate chain and key: when both are set every node also
     * listens for TLS on a port of its own (aero_testserver_tls_port(),
     * like a server's tls service next to its clear one) and answers
     * peers-tls-std / service-tls-std with those ports. Files are read at
     * start; default NULL (no TLS, as Community Edition).
     */
    const char *tls_cert_file;
    const char *tls_key_file;
    const char *tls_ca_file;      /**< CA that signs client certificates (mutual TLS), default NULL */
    bool tls_require_client_cert; /**< refuse a TLS client without a certificate the CA signed (default false) */
    const char *tls_name;         /**< the nodes' TLS name announced in peers-tls-std, default "" (copied) */
    /**
     * Accept compressed (type 4) requests and compress answers asked for
     * with info1 COMPRESS_RESPONSE, as Enterprise Edition does (default
     * false: a type-4 request answers 25, ENTERPRISE_ONLY, as CE).
     */
    bool compression;
} aero_testserver_config;

/** Static initialiser with the defaults, e.g. `aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;`. */
#define AERO_TESTSERVER_CONFIG_INIT                                                                                \
    {                                                                                                              \
        AERO_TESTSERVER_CONFIG_VERSION, 0, 1, 1, "test", 0, "", 0, NULL, false, { 0, 0, 0, 0, 0 }, NULL, false, 0, \
            NULL, NULL, NULL, false, NULL, false                                                                   \
    }

/** Fill `cfg` with AERO_TESTSERVER_CONFIG_INIT (compiled into the caller, see aero/common.h). */
static inline void aero_testserver_config_init(aero_testserver_config *cfg) {
    const aero_testserver_config defaults = AERO_TESTSERVER_CONFIG_INIT;
    *cfg = defaults;
}

/**
 * Start the server (cfg NULL = defaults). Returns a new handle, or NULL with
 * `err` filled: AERO_ERR_PARAM for a bad config (including a `version` other
 * than AERO_TESTSERVER_CONFIG_VERSION, e.g. a config never initialised),
 * AERO_ERR_CONNECTION when a port cannot be bound, AERO_ERR_NO_MEMORY.
 */
AERO_TESTSERVER_API aero_testserver *aero_testserver_start(const aero_testserver_config *cfg, aero_error *err);

/**
 * Seed list of the live nodes, "127.0.0.1:p1,127.0.0.1:p2". The string is
 * owned by `ts` and stays valid until the next node stop/start or stop.
 */
AERO_TESTSERVER_API const char *aero_testserver_seeds(const aero_testserver *ts);

/** Port of node `node` (0-based), or 0 if there is no such node. */
AERO_TESTSERVER_API uint16_t aero_testserver_port(const aero_testserver *ts, unsigned node);

/** TLS port of node `node`, or 0 when the server has no TLS (config tls_cert_file) or no such node. */
AERO_TESTSERVER_API uint16_t aero_testserver_tls_port(const aero_testserver *ts, unsigned node);

/**
 * Seed list of the live nodes' TLS ports, "127.0.0.1:<tls_name>:p1,..."
 * (plain "127.0.0.1:p1,..." when no tls_name is configured); "" without
 * TLS. Owned by `ts`, valid like aero_testserver_seeds().
 */
AERO_TESTSERVER_API const char *aero_testserver_tls_seeds(const aero_testserver *ts);

/**
 * Bytes the nodes have received in requests and sent in answers since start
 * (every proto type, headers included: what went over the sockets, after
 * compression and before TLS). Either pointer may be NULL.
 */
AERO_TESTSERVER_API void aero_testserver_wire_bytes(const aero_testserver *ts, uint64_t *received, uint64_t *sent);

/** Number of nodes configured (live or stopped). */
AERO_TESTSERVER_API unsigned aero_testserver_node_count(const aero_testserver *ts);

/** Node name (the `node` info answer, e.g. "BB9A1B20000AE01") of `node`; owned by `ts`. NULL if none. */
AERO_TESTSERVER_API const char *aero_testserver_node_name(const aero_testserver *ts, unsigned node);

/**
 * Stop node `node`: its port closes, its connections are cut, and its
 * partitions move to the remaining live nodes (partition-generation and
 * peers-generation advance everywhere). The data stays (it is shared).
 * AERO_ERR_PARAM for an unknown node or when it is the last live node.
 */
AERO_TESTSERVER_API aero_status aero_testserver_node_stop(aero_testserver *ts, unsigned node, aero_error *err);

/**
 * Kill node `node` as a process dies: its port closes and its connections
 * are cut at once, but the other nodes keep it in the cluster (their
 * replicas and peers answers still name it) until `detect_ms` later, when
 * they notice and rebalance as aero_testserver_node_stop() does (a real
 * cluster notices after its heartbeat timeout, 1.5 s by default). The
 * change is applied by the first info request after that time.
 * aero_testserver_node_start() brings it back (at once noticed as gone
 * first, if it was not yet). AERO_ERR_PARAM as for node_stop.
 */
AERO_TESTSERVER_API aero_status aero_testserver_node_kill(aero_testserver *ts, unsigned node, uint32_t detect_ms,
                                                          aero_error *err);

/**
 * Start a stopped node again on the same port and rebalance.
 * AERO_ERR_CONNECTION if the port cannot be bound again.
 */
AERO_TESTSERVER_API aero_status aero_testserver_node_start(aero_testserver *ts, unsigned node, aero_error *err);

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
AERO_TESTSERVER_API aero_status aero_testserver_inject(aero_testserver *ts, unsigned node, aero_testserver_fault fault,
                                                       uint32_t arg, uint32_t count, aero_error *err);

/**
 * Run a control command given as text, the same one the info command
 * `testserver-control:<cmd>` accepts on the wire:
 *   "stop;node=N"  "start;node=N"
 *   "fault;node=N;type=stall|drop|close-mid|garbage|delay|result|none[;arg=A][;count=C]"
 *   "truncate" (delete every record of every namespace)
 *   "advance;seconds=S" (aero_testserver_clock_advance())
 *   "access;node=N[;clear=L][;tls=L]" (node N answers service-clear-std /
 *       service-tls-std with L from now on, as a server configured with
 *       access-address does: "host:port" items joined by ',', "" for none;
 *       L = "default" goes back to the node's own 127.0.0.1 port)
 *   "security;enabled=true|false[;session-ttl=S][;quotas=true|false]" (access
 *       control on or off, as config `security`; quotas lets roles carry
 *       read/write quotas, refused with 74 QUOTAS_NOT_ENABLED otherwise)
 *   "security-expire-password;user=U" (U's next login answers 63, EXPIRED_PASSWORD,
 *       until a new password is set)
 *   "security-stats" (writes "logins=N;authentications=M" into out: LOGIN and
 *       successful token AUTHENTICATE exchanges so far)
 * Writes "ok" or "ERROR:<code>:<message>" into out (NUL-terminated) when out
 * is not NULL, and on failure fills err (may be NULL): AERO_ERR_PARAM for an
 * unknown command or a bad parameter, or the failing call's status.
 */
AERO_TESTSERVER_API aero_status aero_testserver_control(aero_testserver *ts, const char *cmd, char *out, size_t cap,
                                                        aero_error *err);

/* ---------------- the clock ---------------- */

/**
 * Move the server's clock forward by `seconds`, whether it runs on real
 * time or is virtual (config virtual_clock: stopped, moving only by this
 * call). Everything time-based in the server follows: TTLs left and void
 * times, expiry, since-update and last-update times, truncate cut-offs.
 * Records whose void time has passed are removed at once, as the server's
 * nsup would, so counts and scans no longer see them.
 *
 * Clients keep their own clock, so answers carry void times moved onto it:
 * the TTL a client computes is the TTL left on the server's clock. (The
 * void_time() and last_update() expressions answer on the server's clock.)
 *
 *     cfg.virtual_clock = true;                // write with a 10 s TTL, then:
 *     aero_testserver_clock_advance(ts, 11);   // the record is gone, no sleep
 */
AERO_TESTSERVER_API void aero_testserver_clock_advance(aero_testserver *ts, uint32_t seconds);

/** The server's current time in ns since the Unix epoch (0 for NULL). */
AERO_TESTSERVER_API uint64_t aero_testserver_clock_now(const aero_testserver *ts);

/* ---------------- the store, in process ---------------- */

/*
 * Seed and inspect the data without the wire. A record is named by a client
 * key (aero/key.h: namespace, set and digest; aero_dataset_id_str() and
 * friends compute the digest). These calls take the store lock, so they are
 * safe while clients talk to the server, and they see the server's clock.
 * Errors: AERO_ERR_PARAM for a NULL or invalid argument,
 * AERO_ERR_NAMESPACE_NOT_FOUND (20) for a namespace the server does not
 * have, AERO_ERR_KEY_NOT_FOUND (2) for a record that does not exist (or has
 * expired), AERO_ERR_NO_MEMORY.
 */

/**
 * Store a record with exactly these bins (replacing any record with this
 * key, as a REPLACE write does: generation + 1, or 1 for a new record).
 * Values are copied; a nil value is skipped; WILDCARD and INFINITY are
 * refused (AERO_ERR_PARAM). `ttl` in seconds: 0 = the namespace default,
 * AERO_TTL_NEVER (0xFFFFFFFF) = never expire. The user key is stored with
 * the record (as with send-key), so scans return it. No bins at all (or
 * only nil values) removes the record, as a write leaving no bins does.
 * Limits apply:
 * AERO_ERR_RECORD_TOO_BIG (13) over max_record_size, AERO_ERR_BIN_NAME (21)
 * for an empty name or one over 15 bytes.
 */
AERO_TESTSERVER_API aero_status aero_testserver_put(aero_testserver *ts, const aero_key *key,
                                                    const aero_bin_value *bins, size_t n_bins, uint32_t ttl,
                                                    aero_error *err);

/** A record read with aero_testserver_get(). Caller storage; release with aero_testserver_record_dispose(). */
typedef struct aero_testserver_record {
    uint32_t generation;
    uint32_t ttl;         /**< seconds left on the server's clock, AERO_TTL_NEVER for never */
    uint64_t last_update; /**< ns since the Unix epoch, on the server's clock */
    uint32_t n_bins;
    aero_bin *bins; /**< in stored order; names and values point into storage the record owns */
    void *mem_;     /**< private */
} aero_testserver_record;

/** Prepare caller storage (all zero). */
AERO_TESTSERVER_API void aero_testserver_record_init(aero_testserver_record *rec);
/** Free what `rec` owns; it may be used again. NULL is a no-op. */
AERO_TESTSERVER_API void aero_testserver_record_dispose(aero_testserver_record *rec);

/**
 * Read a record into `rec` (its previous contents are disposed of first).
 * Lists and maps come back as aero_value trees (map order kept), strings
 * NUL-terminated. AERO_ERR_KEY_NOT_FOUND if there is none.
 */
AERO_TESTSERVER_API aero_status aero_testserver_get(aero_testserver *ts, const aero_key *key,
                                                    aero_testserver_record *rec, aero_error *err);

/** Number of live records of namespace `ns` in `set` (NULL or "" = every record of the namespace) into *count. */
AERO_TESTSERVER_API aero_status aero_testserver_count(aero_testserver *ts, const char *ns, const char *set,
                                                      uint64_t *count, aero_error *err);

/** Remove one record. AERO_ERR_KEY_NOT_FOUND if there is none. */
AERO_TESTSERVER_API aero_status aero_testserver_remove(aero_testserver *ts, const aero_key *key, aero_error *err);

/** Remove every record of `set` in `ns` (set NULL or "" = the whole namespace; ns NULL = every namespace). */
AERO_TESTSERVER_API aero_status aero_testserver_clear(aero_testserver *ts, const char *ns, const char *set,
                                                      aero_error *err);

/** Stop every node, join every thread, free everything. NULL is a no-op. */
AERO_TESTSERVER_API void aero_testserver_stop(aero_testserver *ts);

AERO_END_DECLS

#endif
