/*
 * cluster/node.h - the node object shared by the cluster/ files: address,
 * connection pool, tend state. Internal to cluster/.
 *
 * Pool fields are guarded by `lock`. Tend fields are touched only by the
 * thread that tends (the tend thread, or aero_cluster__new before the thread
 * starts). `active` is read by any thread.
 */
#ifndef AERO_CLUSTER_NODE_H
#define AERO_CLUSTER_NODE_H

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>

#include "cluster/auth.h"
#include "cluster/cluster.h"
#include "lock.h"

#define AERO_NODE_NAME_MAX 64
#define AERO_HOST_MAX      256
/** Largest info answer accepted on the tend path (protocol.md 2.1). */
#define AERO_TEND_INFO_MAX (512u * 1024u)
/**
 * A pooled connection idle at least this long is checked (one poll()) for a
 * closed peer or stray bytes before it is lent; a fresher one is lent as is.
 */
#define AERO_POOL_STALE_CHECK_AFTER_MS 50u
/** Namespaces whose rack a node remembers (more are rackless). */
#define AERO_NODE_RACK_NS 32
/** "No rack known" in rack tables. */
#define AERO_NO_RACK (-1)

/** Copy a NUL-terminated string, truncated to fit cap (cap > 0). */
static inline void aero_copy_trunc(char *dst, size_t cap, const char *src) {
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

struct aero_node {
    atomic_uint refs;
    atomic_bool active; /* false once removed from the cluster: connections are no longer pooled */

    char name[AERO_NODE_NAME_MAX];
    char host[AERO_HOST_MAX];
    uint16_t port;
    char address[AERO_HOST_MAX + 10]; /* "host:port" or "[v6]:port" */
    struct sockaddr_storage addr;
    socklen_t addr_len;

    /* settings copied from the client config */
    uint32_t max_conns;
    uint32_t min_conns;
    uint64_t max_idle_ns; /* 0 = never trimmed */
    uint32_t connect_timeout_ms;
    uint32_t build;                 /* AERO_BUILD of info `build`, 0 = unknown; set before the node is published */
    const struct aero_tls_ctx *tls; /* the cluster's TLS context, NULL for clear text; set before publishing */
    char tls_name[AERO_HOST_MAX];   /* name its certificate is checked against (TLS only) */

    /* connection pool (lock) */
    aero_lock lock;
    aero_conn **idle; /* stack: idle[0] is the oldest */
    uint32_t n_idle;
    uint32_t open;   /* connections that exist (idle + in use) */
    uint32_t in_use; /* connections lent out */
    atomic_uint_fast64_t conns_opened;
    atomic_uint_fast64_t conn_errors;

    /* login (cluster/auth.h): the cluster's identity, and this node's session token */
    aero_auth *auth;
    aero_auth_session session;

    /* tend state (tend thread only) */
    aero_conn tend_conn;
    atomic_uint failures; /* written by the tend thread only; atomic so statistics can read it */
    int64_t peers_gen;
    int64_t partition_gen;
    bool partition_changed;
    uint32_t peers_count;
    uint32_t friends;
    atomic_uint partition_refs; /* partition slots this node holds in the tend map */

    /* racks (tend thread only): the node's rack per namespace, from info rack-ids */
    int64_t rebalance_gen;
    bool racks_changed;
    uint32_t n_racks;
    struct {
        char ns[AERO_NAMESPACE_MAX + 1];
        int32_t rack;
    } racks[AERO_NODE_RACK_NS];

    /* circuit breaker: failed exchanges in the current window (any thread; reset by the tend thread) */
    uint32_t max_error_rate; /* 0 = off */
    atomic_uint error_count;
};

/** The node's rack for namespace ns (tend thread only), AERO_NO_RACK when unknown. */
int32_t aero_node__rack(const aero_node *n, const char *ns);

/** Count a failed exchange for the circuit breaker. */
static inline void aero_node__count_error(aero_node *n) {
    if (n->max_error_rate)
        atomic_fetch_add_explicit(&n->error_count, 1, memory_order_relaxed);
}

/** A new node (refs = 1, active) for a resolved address and a known name. */
aero_node *aero_node__new(const char *name, const char *host, uint16_t port, const struct sockaddr *addr,
                          socklen_t addr_len, const aero_client_config *cfg);

/** Mark inactive and close the idle pooled connections (in-use ones close when returned). */
void aero_node__deactivate(aero_node *n);

/** Close idle connections older than max_socket_idle_ms; open up to min_conns. */
void aero_node__balance_pool(aero_node *n);

/** Pool counters, read under the lock. */
void aero_node__pool_counts(aero_node *n, uint32_t *open, uint32_t *in_use, uint32_t *idle);

/**
 * One info exchange on an already connected conn; body (malloc'd,
 * NUL-terminated) in *out. Answers longer than `limit` are refused with
 * AERO_ERR_PROTOCOL. On any failure the connection state is unknown.
 */
aero_status aero_info__exchange(aero_conn *conn, const char *const *commands, size_t n_commands, uint64_t deadline_ns,
                                size_t limit, char **out, size_t *out_len, aero_error *err);

/** Info exchange on the node's dedicated tend socket (connects it if needed, closes it on failure). */
aero_status aero_node__tend_info(aero_node *n, const char *const *commands, size_t n_commands, char **out,
                                 size_t *out_len, aero_error *err);

struct aero_cluster_stats;
/** Fill public statistics (cluster/stats.c formats them for aero_client_stats). */
void aero_cluster__fill_stats(aero_cluster *c, struct aero_cluster_stats *out);

#endif
