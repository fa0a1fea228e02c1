/*
 * cluster/parse.h - parsers for the tend answers (protocol.md 2.3, 2.4) and
 * the partition table they feed. Pure functions, no I/O; unit tested.
 */
#ifndef AERO_CLUSTER_PARSE_H
#define AERO_CLUSTER_PARSE_H

#include <aero/error.h>

#include "cluster/node.h"

#define AERO_PEER_MAX_HOSTS 8
#define AERO_MAX_REPLICAS   3
#define AERO_BITMAP_BYTES   512
#define AERO_BITMAP_B64_LEN 684

typedef struct aero_peer_host {
    char host[AERO_HOST_MAX];
    uint16_t port;
} aero_peer_host;

typedef struct aero_peer {
    char name[AERO_NODE_NAME_MAX];
    char tls_name[AERO_HOST_MAX];
    size_t n_hosts; /* at most AERO_PEER_MAX_HOSTS kept; extra addresses are skipped */
    aero_peer_host hosts[AERO_PEER_MAX_HOSTS];
} aero_peer;

/**
 * Parse a peers-*-std value "<gen>,<default-port>,[[id,tls,[h[:p],...]],...]".
 * A missing default port means 3000. Fills *gen and a malloc'd array of peers
 * (*peers, free() it; NULL when empty). AERO_ERR_PROTOCOL on malformed text.
 */
aero_status aero_peers__parse(const char *s, size_t len, int64_t *gen, aero_peer **peers, size_t *n_peers);

/** Most addresses of a service-*-std answer looked at (cluster/service.c). */
#define AERO_SERVICE_MAX_HOSTS 16

/**
 * Parse a service-clear-std / service-tls-std value: "host:port" items
 * joined by ',' (IPv6 as "[addr]:port"), as 8.1 prints them
 * (service_list.c print_list); every item has a port. An empty text is no
 * address (*n = 0). At most `max` items are kept, the rest are skipped.
 * AERO_ERR_PROTOCOL for anything else (cluster/service.c).
 */
aero_status aero_service__parse(const char *s, size_t len, aero_peer_host *hosts, size_t max, size_t *n);

/** True if partition `pid` is set in a 512-byte replicas bitmap (MSB first). */
static inline bool aero_bitmap__has(const uint8_t *bitmap, uint32_t pid) {
    return (bitmap[pid >> 3] & (0x80u >> (pid & 7))) != 0;
}

/** Called per (namespace, replica index) bitmap; replica >= AERO_MAX_REPLICAS are not reported. */
typedef void (*aero_replicas_fn)(void *ctx, const char *ns, uint32_t regime, uint32_t n_replicas, uint32_t replica,
                                 const uint8_t bitmap[AERO_BITMAP_BYTES]);

/**
 * Parse a `replicas` value "<ns>:<regime>,<n>,<b64>,...;<ns2>:..." calling fn
 * for each kept bitmap. Every namespace is validated before any callback is
 * made. AERO_ERR_PROTOCOL on malformed text (bad number, bitmap not 684
 * characters, wrong bitmap count, namespace name too long).
 */
aero_status aero_replicas__parse(const char *s, size_t len, aero_replicas_fn fn, void *ctx);

/* ---- partition table ---- */

typedef struct aero_partition {
    aero_node *nodes[AERO_MAX_REPLICAS];
    uint32_t regime;
    int32_t racks[AERO_MAX_REPLICAS]; /* rack of nodes[r] for this namespace, AERO_NO_RACK unknown (published maps) */
} aero_partition;

typedef struct aero_ns_table {
    char name[AERO_NAMESPACE_MAX + 1];
    uint32_t n_replicas; /* 1..AERO_MAX_REPLICAS */
    bool sc;
    aero_partition parts[AERO_PARTITIONS];
} aero_ns_table;

/** The partition map: namespaces with their tables. Nodes are not retained by the map. */
typedef struct aero_pmap {
    size_t n_ns;
    aero_ns_table **ns;
} aero_pmap;

/** Find a namespace table, NULL if absent. */
aero_ns_table *aero_pmap__find(const aero_pmap *m, const char *ns);

/**
 * Apply one bitmap claimed by `node` (regime rules of protocol.md 2.4: only
 * when regime >= the stored one). A node that loses a slot gets
 * partition_gen = -1 so its map is re-read. Returns false on allocation failure.
 */
bool aero_pmap__apply(aero_pmap *m, aero_node *node, const char *ns, uint32_t regime, uint32_t n_replicas,
                      uint32_t replica, const uint8_t bitmap[AERO_BITMAP_BYTES]);

/** Remove every slot held by `node`. */
void aero_pmap__remove_node(aero_pmap *m, aero_node *node);

/** Deep copy (NULL on allocation failure). */
aero_pmap *aero_pmap__clone(const aero_pmap *m);

void aero_pmap__free(aero_pmap *m);

/**
 * Pick the node for a partition: MASTER slot 0; SEQUENCE starts at `attempt`
 * modulo n_replicas and walks forward to the first active node; ANY starts
 * at `spread`. Writes use the master (SEQUENCE from slot 0 if it is gone).
 * Returns the node (not retained) or NULL.
 */
aero_node *aero_pmap__route(const aero_pmap *m, const char *ns, uint16_t pid, bool is_write, aero_replica replica,
                            unsigned attempt, unsigned spread);

/** What a command asks of routing beyond aero_pmap__route(). */
typedef struct aero_route {
    int read_mode_sc;     /* aero_read_mode_sc: SC namespaces send SESSION reads to the master */
    const int32_t *racks; /* the client's racks in order of preference, for PREFER_RACK */
    uint32_t n_racks;
} aero_route;

/**
 * aero_pmap__route() with the SC and rack rules (protocol.md 2.5): in an SC
 * namespace a SESSION read goes to the master and a LINEARIZE read uses
 * SEQUENCE instead of PREFER_RACK. PREFER_RACK walks the replicas in
 * sequence order (from `attempt`) for an active node on the first of
 * `racks` that has one, then the next rack; on a retry (attempt > 0) the
 * node the first attempt chose is skipped when another is active; with no
 * node on any rack it is SEQUENCE.
 */
aero_node *aero_pmap__route_ex(const aero_pmap *m, const char *ns, uint16_t pid, bool is_write, aero_replica replica,
                               unsigned attempt, unsigned spread, const aero_route *r);
/** aero_pmap__route_ex() in a namespace's table already found (NULL: no node). */
aero_node *aero_pmap__route_in(const aero_ns_table *t, uint16_t pid, bool is_write, aero_replica replica,
                               unsigned attempt, unsigned spread, const aero_route *r);

/** Fill every partition's racks[] from its nodes' rack tables (tend thread, before publishing a map). */
void aero_pmap__set_racks(aero_pmap *m);

#endif
