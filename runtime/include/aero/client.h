/*
 * aero/client.h - SyncClient: connect to a cluster, make sessions, close.
 *
 * A client owns the cluster view (nodes, partition map, tend thread) and the
 * connection pools. It is safe to share one client, and the sessions made
 * from it, between any number of threads. Commands run through sessions,
 * declared in session.h (included here).
 *
 *     aero_error err;
 *     aero_client *c = aero_client_connect("127.0.0.1:3000", NULL, &err);
 *     if (!c) { fprintf(stderr, "%s\n", err.message); return 1; }
 *     aero_session *s = aero_client_create_session(c, &AERO_BEHAVIOR_DEFAULT, &err);
 *     ...
 *     aero_session_free(s);
 *     aero_client_close(c);
 *
 * TLS (mutual TLS here; the name in the seed is checked against the
 * server's certificate):
 *
 *     aero_client_config cfg = AERO_CLIENT_CONFIG_INIT;
 *     cfg.tls_enabled = true;
 *     cfg.tls_ca_file = "/etc/aerospike/ca.pem";
 *     cfg.tls_cert_file = "client.pem";    // only for mutual TLS
 *     cfg.tls_key_file = "client.key";
 *     aero_client *c = aero_client_connect("10.0.0.1:node1.example.com:4333", &cfg, &err);
 */
#ifndef AERO_CLIENT_H
#define AERO_CLIENT_H

#include <aero/behavior.h>
#include <aero/error.h>
#include <aero/security.h>
#include <aero/session.h>
#include <aero/types.h>

AERO_BEGIN_DECLS

/** Log levels for the optional log callback. */
typedef enum aero_log_level {
    AERO_LOG_ERROR = 0,
    AERO_LOG_WARN = 1,
    AERO_LOG_INFO = 2,
    AERO_LOG_DEBUG = 3,
} aero_log_level;

/** Log callback: called from the tend thread or command threads. */
typedef void (*aero_log_fn)(aero_log_level level, const char *message, void *udata);

/**
 * Cluster-wide settings. A versioned struct (the rule is in common.h):
 * initialise it with AERO_CLIENT_CONFIG_INIT or aero_client_config_init(),
 * then change the members you need.
 */
typedef struct aero_client_config {
    uint32_t version;            /**< AERO_CLIENT_CONFIG_VERSION: set by the INIT macro / init function */
    uint32_t tend_interval_ms;   /**< cluster tend period, default 1000 */
    uint32_t connect_timeout_ms; /**< seed and tend connects, default 1000 */
    uint32_t min_conns_per_node; /**< kept open per node, default 0 */
    uint32_t max_conns_per_node; /**< hard cap per node, default 100 */
    uint32_t max_socket_idle_ms; /**< idle pooled sockets are closed after this, default 55000 */
    uint32_t max_node_failures;  /**< consecutive tend failures before a node is dropped, default 5 */
    const char *cluster_name;    /**< if set, every node must report this name (default NULL) */
    const char *user;            /**< user to log in as (Enterprise security), NULL = no login; copied */
    const char *password;        /**< its password (hashed before it is sent, see auth_mode); copied */
    bool fail_if_not_connected;  /**< connect fails when no seed answers (default true) */
    aero_log_fn log;             /**< NULL (default) logs nothing */
    void *log_udata;             /**< passed to `log`, default NULL */
    aero_log_level log_level;    /**< most verbose level passed to `log`, default INFO */
    /* version 2: racks and the per-node circuit breaker */
    /**
     * Learn each node's rack per namespace (info `rack-ids`, refreshed when
     * a node's rebalance-generation moves), so reads with replica
     * AERO_REPLICA_PREFER_RACK go to a replica on the client's rack. A
     * server without racks (Community Edition answers rack-ids "enterprise
     * only") leaves every node rackless: PREFER_RACK then acts as SEQUENCE.
     * Default false.
     */
    bool rack_aware;
    int32_t rack_id;         /**< the client's rack when n_rack_ids is 0, default 0 (negative: AERO_ERR_PARAM) */
    const int32_t *rack_ids; /**< racks in order of preference (copied at connect), default NULL */
    uint32_t
        n_rack_ids; /**< entries of rack_ids, at most AERO_MAX_RACK_IDS (else connect fails: AERO_ERR_PARAM); default 0 */
    /**
     * Circuit breaker: once a node has had more than this many failed
     * exchanges (connect failures, timeouts, broken connections) in the
     * current window, commands to it fail at once with
     * AERO_ERR_MAX_ERROR_RATE (not sent; reads retry on another replica)
     * until the window ends. 0 = off (default).
     */
    uint32_t max_error_rate;
    uint32_t error_rate_window; /**< window length in tend intervals, default 1 (0 means 1) */
    /* -- authentication (version 2; user and password above) -- */
    aero_auth_mode auth_mode; /**< how user/password are used (security.h), default AERO_AUTH_INTERNAL */

    /* ---- version 2: TLS (protocol.md 10.3) and compression ---- */

    /**
     * Connect to every node with TLS (default false). The server's
     * certificate is always verified: its chain against tls_ca_file /
     * tls_ca_path (the system store when both are NULL), then its names
     * against the host's TLS name: the middle part of a seed
     * "host:tls_name:port", the name a peer announces in peers-tls-std, or
     * tls_name below, else the host itself. Peers are discovered with
     * peers-tls-std, so their TLS ports and names are used.
     * A failure is AERO_ERR_TLS with what failed (untrusted certificate,
     * name mismatch, expired certificate, handshake timeout, not a TLS
     * port, a file that cannot be loaded).
     */
    bool tls_enabled;
    const char *tls_ca_file;      /**< PEM file of trusted CAs, default NULL */
    const char *tls_ca_path;      /**< directory of hashed CA certificates (c_rehash), default NULL */
    const char *tls_cert_file;    /**< client certificate chain (PEM) for mutual TLS, default NULL */
    const char *tls_key_file;     /**< its private key (PEM); needed with tls_cert_file, default NULL */
    const char *tls_key_password; /**< password of an encrypted key, default NULL; used only while connecting */
    const char *tls_name;         /**< TLS name of every host that has none of its own, default NULL */
    /** Protocols, e.g. "TLSv1.2" (the default, as the C client), "TLSv1.2 TLSv1.3", "all"; NULL = TLSv1.2 */
    const char *tls_protocols;
    const char *tls_cipher_suite; /**< OpenSSL cipher list (TLS 1.2 names and/or TLS 1.3 suites), NULL = OpenSSL's */
    const char *tls_crl_file;     /**< PEM revocation list(s); when set the leaf is checked (default NULL) */
    bool tls_crl_check_all;       /**< with tls_crl_file: check every certificate of the chain (default false) */
    /**
     * zlib level (1..9) of compressed requests, default 1 (as the C
     * client). Whether a command is compressed is a behavior setting
     * (aero_settings.use_compression, compression_threshold in behavior.h).
     */
    int32_t compression_level;
} aero_client_config;

/** Most rack ids a client config may list. */
#define AERO_MAX_RACK_IDS 16

/** Version of aero_client_config these headers describe (2 appended racks, the circuit breaker, the authentication mode, TLS and compression). */
#define AERO_CLIENT_CONFIG_VERSION 2

/** The defaults above, as an initialiser: `aero_client_config cfg = AERO_CLIENT_CONFIG_INIT;` */
#define AERO_CLIENT_CONFIG_INIT                                                                                       \
    {                                                                                                                 \
        AERO_CLIENT_CONFIG_VERSION, 1000, 1000, 0, 100, 55000, 5, NULL, NULL, NULL, true, NULL, NULL, AERO_LOG_INFO,  \
            false, 0, NULL, 0, 0, 1, AERO_AUTH_INTERNAL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
            false, 1                                                                                                  \
    }

/** Fill `cfg` with AERO_CLIENT_CONFIG_INIT (compiled into the caller, see common.h). */
static inline void aero_client_config_init(aero_client_config *cfg) {
    const aero_client_config defaults = AERO_CLIENT_CONFIG_INIT;
    *cfg = defaults;
}

/**
 * Connect from a seed list "host:port[,host:port...]" (IPv6 as [addr]:port;
 * a missing port means 3000; with TLS a seed may name its TLS name as
 * "host:tls_name:port" or "[v6]:tls_name:port"). `cfg` may be NULL for the
 * defaults; it is copied (the TLS files are read here). Discovers the
 * cluster and starts the tend thread.
 * Seeds behind a load balancer (or a DNS alias, a port forward): a seed
 * that is not a loopback address also asks the node for its own addresses
 * (info service-tls-std with TLS, service-clear-std otherwise, i.e. the
 * server's access-address / tls-access-address). When the seed's address
 * and port are not among them, the node is reached at the first advertised
 * address that answers as the same node (over TLS checked against the
 * seed's TLS name, logged in with the seed's session); when none answers,
 * or the node advertises none, the seed address is kept (an INFO log line
 * says so). Peers are always reached at the addresses peers-*-std lists.
 * Returns NULL and fills `err` on failure (AERO_ERR_PARAM for a config of
 * an unknown version, AERO_ERR_INVALID_HOST for a bad seed string,
 * AERO_ERR_CONNECTION / AERO_ERR_TIMEOUT when no seed answers,
 * AERO_ERR_TLS when TLS cannot be set up or no seed passes the handshake).
 * With a user configured every connection logs in (security.h); then the
 * seed's login errors come back with the server's codes:
 * AERO_ERR_INVALID_USER, AERO_ERR_INVALID_PASSWORD, AERO_ERR_EXPIRED_PASSWORD,
 * AERO_ERR_NOT_WHITELISTED..., and AERO_ERR_SECURITY_NOT_SUPPORTED from a
 * Community Edition server, which has no security (connect without
 * credentials there). AERO_ERR_PARAM for a user without a password (or the
 * reverse), and for EXTERNAL or PKI mode without TLS.
 */
AERO_API aero_client *aero_client_connect(const char *seeds, const aero_client_config *cfg, aero_error *err);

/**
 * Stop tending, close every connection and free the client. Sessions made
 * from it must not be used afterwards (free them first). NULL is a no-op.
 */
AERO_API void aero_client_close(aero_client *client);

/**
 * Send one info command (e.g. "build", "namespaces") to one node and copy the
 * value (without the echoed name) into out, NUL-terminated. A value longer
 * than cap is reported as AERO_ERR_PARAM. An "ERROR:..." answer is returned
 * as that error code.
 */
AERO_API aero_status aero_client_info(aero_client *client, const char *command, char *out, size_t cap, aero_error *err);

AERO_END_DECLS

#endif
