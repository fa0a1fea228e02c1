/*
 * cluster/state.h - layout of the cluster object, shared by cluster.c
 * (lifecycle, routing, statistics) and tend.c (seeding, tending).
 * Internal to cluster/.
 *
 * Two views of the cluster exist:
 *  - the tend view (`nodes`, `work`): owned by the tend thread, never read by
 *    command threads; every node in `nodes` holds one reference;
 *  - the published view (`pub_nodes`, `pub_map`): an immutable node array
 *    and partition map swapped in under `pub_lock`. Command threads hold it
 *    only long enough to look up and retain a node (a few dozen instructions:
 *    an aero_lock costs less there than a rwlock's bookkeeping). A node is
 *    removed from the published view before the tend view drops its reference, so a published node is always alive.
 */
#ifndef AERO_CLUSTER_STATE_H
#define AERO_CLUSTER_STATE_H

#include <pthread.h>
#include <stdatomic.h>

#include "cluster/auth.h"
#include "cluster/parse.h"
#include "net/tls.h"
#include "lock.h"

typedef struct aero_seed {
    char host[AERO_HOST_MAX];
    uint16_t port;
    char tls_name[AERO_HOST_MAX]; /* "" = none given in the seed string */
} aero_seed;

/* Error counters cover codes -32..255; others land in errors_other. */
#define AERO_ERR_SLOT_MIN (-32)
#define AERO_ERR_SLOTS    288

struct aero_cluster {
    aero_client_config cfg; /* string fields point at owned copies below */
    char *cluster_name;
    aero_tls_ctx *tls; /* NULL: clear text */
    char *tls_name;    /* cfg.tls_name copied, NULL if none */
    aero_seed *seeds;
    size_t n_seeds;
    int32_t racks[AERO_MAX_RACK_IDS]; /* the client's racks in order of preference (rack_aware) */
    uint32_t n_racks;
    uint64_t window_start_ns; /* circuit breaker: start of the current error window (tend thread) */
    aero_auth *auth; /* the identity every connection logs in with (cluster/auth.h); NULL = no security */

    /* tend view (tend thread only) */
    aero_node **nodes;
    size_t n_nodes, cap_nodes;
    aero_pmap *work;
    bool map_dirty;
    bool nodes_dirty;

    /* published view */
    aero_lock pub_lock;
    aero_node **pub_nodes;
    size_t pub_n;
    aero_pmap *pub_map;
    atomic_uint rr;

    /* tend thread */
    pthread_mutex_t tend_lock;
    pthread_cond_t tend_cond;
    bool stop;
    bool thread_started;
    atomic_bool tend_soon;     /* a command saw a connection error: tend early (at most 4 times per interval) */
    pthread_cond_t round_cond; /* broadcast (under tend_lock) after every tend pass */
    uint64_t rounds_done;      /* tend passes finished by the thread (tend_lock) */
    bool round_running;        /* a tend pass is under way (tend_lock) */
    pthread_t thread;

    /* secondary indexes (cluster/indexes.c) */
    pthread_mutex_t index_mu; /* serialises refreshes */
    aero_lock index_lock;     /* guards the published list pointer */
    struct aero_index_set *indexes;
    atomic_bool indexes_stale;  /* never loaded, or changed through this client */
    atomic_bool indexes_wanted; /* a query asked for them: tending keeps them fresh */
    uint64_t index_rounds;      /* tend thread only */

    /* statistics */
    atomic_uint_fast64_t retries;
    atomic_uint_fast64_t errors[AERO_ERR_SLOTS];
    atomic_uint_fast64_t errors_other;
    atomic_uint_fast64_t nodes_added;
    atomic_uint_fast64_t nodes_removed;
    atomic_uint_fast64_t tend_rounds;
    atomic_uint_fast64_t tend_errors;
};

/**
 * One tend pass (seed if empty, refresh nodes, peers, partitions, removals,
 * publish, balance pools). Returns AERO_OK when the cluster has at least
 * one node afterwards; otherwise the last seeding error, also in err.
 */
aero_status aero_tend__round(aero_cluster *c, aero_error *err);

/** Free the index list tending keeps (cluster/indexes.c), at cluster teardown. */
void aero_tend__free_indexes(aero_cluster *c);

/** Publish the tend view (nodes and map) to command threads. False on allocation failure. */
bool aero_tend__publish(aero_cluster *c);

#endif
