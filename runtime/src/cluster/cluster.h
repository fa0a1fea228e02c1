/*
 * cluster/cluster.h - the cluster view: nodes, partition map, routing,
 * connection pools, tending. Internal to libaero.
 *
 * Commands ask for "the node for this partition" and borrow a connection from
 * that node's pool; they never know whether the cluster has one node or many.
 * Nodes are reference counted: a node returned by any lookup is retained and
 * must be released by the caller, so a node removed by the tend thread stays
 * valid while a command still uses it.
 */
#ifndef AERO_CLUSTER_CLUSTER_H
#define AERO_CLUSTER_CLUSTER_H

#include <aero/behavior.h>
#include <aero/client.h>
#include <aero/error.h>

#include "net/conn.h"

typedef struct aero_cluster aero_cluster;
typedef struct aero_node aero_node;

/**
 * Seed from "host:port[,host:port]" and discover the cluster (peers, replicas),
 * then start the tend thread (cfg->tend_interval_ms). `cfg` is copied.
 * AERO_ERR_INVALID_HOST for a bad seed string or a name that does not
 * resolve; AERO_ERR_CONNECTION or AERO_ERR_TIMEOUT when no seed answers as a
 * usable node (if cfg->fail_if_not_connected; the message says why, e.g.
 * refused, not joined yet, wrong cluster name). Without
 * fail_if_not_connected the cluster starts empty and keeps seeding.
 */
aero_status aero_cluster__new(const char *seeds, const aero_client_config *cfg, aero_cluster **out, aero_error *err);
/** Stop tending, close all connections, free. Nodes still retained stay valid until released. */
void aero_cluster__free(aero_cluster *c);

/**
 * Node that serves partition `pid` of namespace `ns`: the master for writes;
 * for reads, by replica policy. `attempt` (0 for the first try, 1.. for
 * retries) moves SEQUENCE to the next replica. Returns a retained node, or
 * NULL when no node serves the partition (caller reports AERO_ERR_INVALID_NODE).
 */
aero_node *aero_cluster__node_for(aero_cluster *c, const char *ns, uint16_t pid, bool is_write, aero_replica replica,
                                  unsigned attempt);
/**
 * aero_cluster__node_for() by a resolved policy: its replica, and in a
 * strong-consistency namespace its SC read mode (SESSION reads go to the
 * master, LINEARIZE reads do not prefer a rack). aero_cluster__node_for()
 * applies no SC rule.
 */
aero_node *aero_cluster__node_for_policy(aero_cluster *c, const char *ns, uint16_t pid, bool is_write,
                                         const aero_policy *p, unsigned attempt);
/**
 * Many routings under one hold of the map (a batch routes each of its rows):
 * aero_cluster__route_held() between _route_begin() and _route_end() gives
 * what aero_cluster__node_for_policy() would, WITHOUT retaining the node:
 * retain the nodes to keep before _route_end(). Nothing else of the
 * cluster may be called in between (the tend thread waits meanwhile).
 */
/** The namespace last routed in, so a run of rows or partitions of one namespace looks it up once. */
typedef struct aero_route_cache {
    const char *ns;
    const struct aero_ns_table *table;
} aero_route_cache;
#define AERO_ROUTE_CACHE_INIT \
    { NULL, NULL }

void aero_cluster__route_begin(aero_cluster *c);
/** `cache`: AERO_ROUTE_CACHE_INIT at _route_begin(), valid until _route_end(). */
aero_node *aero_cluster__route_held(aero_cluster *c, aero_route_cache *cache, const char *ns, uint16_t pid,
                                    bool is_write, const aero_policy *p, unsigned attempt);
void aero_cluster__route_end(aero_cluster *c);
/** Replication factor of namespace `ns` in the partition map (1..3; 1 when unknown). */
uint32_t aero_cluster__replication(aero_cluster *c, const char *ns);
/** The identity connections log in with (cluster/auth.h), NULL when no security is configured. */
struct aero_auth *aero_cluster__auth(aero_cluster *c);
/** Some active node (info commands), retained; NULL if none. */
aero_node *aero_cluster__any_node(aero_cluster *c);
/** Up to `cap` active nodes, each retained; returns how many. */
size_t aero_cluster__nodes(aero_cluster *c, aero_node **out, size_t cap);

void aero_node__retain(aero_node *n);
void aero_node__release(aero_node *n);
/** Node name (as the server reports it, e.g. "BB9020011AC4202"). */
const char *aero_node__name(const aero_node *n);
/** "host:port" the node is reached at. */
const char *aero_node__address(const aero_node *n);

/** A server build major.minor.patch.build as one number, 8 bits each: AERO_BUILD(8, 1, 2, 0). */
#define AERO_BUILD(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
/** The node's build (info `build`, read when the node was validated); 0 when it was not understood. */
uint32_t aero_node__build(const aero_node *n);
/**
 * AERO_OK when every active node runs build `min` or later (a node of unknown
 * build passes); otherwise AERO_ERR_UNSUPPORTED_FEATURE, with err saying that
 * `what` needs that server version and naming the first node that is older.
 */
aero_status aero_cluster__require_build(aero_cluster *c, uint32_t min, const char *what, aero_error *err);
/** err for `what` not running on node `n` (older than `min`); returns AERO_ERR_UNSUPPORTED_FEATURE. */
aero_status aero_node__too_old(const aero_node *n, uint32_t min, const char *what, aero_error *err);

/**
 * Borrow a connection: a pooled idle one, or a new one connected before
 * `deadline_ns`. AERO_ERR_NO_MORE_CONNECTIONS when max_conns_per_node are in use.
 */
aero_status aero_node__conn_get(aero_node *n, uint64_t deadline_ns, aero_conn **out, aero_error *err);
/** The server answered NOT_AUTHENTICATED: forget the node's session token (cluster/auth.h). */
void aero_node__auth_lost(aero_node *n);
/** Return a healthy connection (the exchange completed) to the pool. */
void aero_node__conn_put(aero_node *n, aero_conn *conn);
/** Close a connection whose state is unknown (timeout, error mid-exchange). */
void aero_node__conn_close(aero_node *n, aero_conn *conn);

/** Statistics hooks the command layer calls (thread safe, lock free on the common path). */
void aero_cluster__count_retry(aero_cluster *c);
/** Count a failed command attempt by code. AERO_ERR_CONNECTION also brings the next tend forward. */
void aero_cluster__count_error(aero_cluster *c, aero_status code);

/**
 * Ask for a tend pass now (rate limited to 4 per tend interval) and wait
 * until one that started after this call has finished and published its
 * view, or until `deadline_ns` (UINT64_MAX: no limit). For retry loops after
 * AERO_ERR_CONNECTION / AERO_ERR_INVALID_NODE: the next node_for() then sees
 * the partition map without the node that went away, instead of retrying
 * the same dead node. Returns true if such a pass finished in time. Thread
 * safe; returns false at once while the cluster is being freed.
 */
bool aero_cluster__wait_for_tend(aero_cluster *c, uint64_t deadline_ns);

/** Log through the client's callback if `level` is enabled (printf format). */
void aero_cluster__log(aero_cluster *c, aero_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Send one info request with the given commands to node n and return the
 * answer body (malloc'd, NUL-terminated, caller frees) in *out.
 */
aero_status aero_node__info(aero_node *n, const char *const *commands, size_t n_commands, uint64_t deadline_ns,
                            char **out, size_t *out_len, aero_error *err);

#endif
