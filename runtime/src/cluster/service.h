/*
 * cluster/service.h - a seed that is not one of the node's own addresses
 * (a load balancer, a DNS alias, a port forward): the node's access address
 * learnt from info service-clear-std / service-tls-std (protocol.md 2.5,
 * step 1.5). Internal to cluster/; used by tend.c while seeding.
 */
#ifndef AERO_CLUSTER_SERVICE_H
#define AERO_CLUSTER_SERVICE_H

#include "cluster/state.h"
#include "proto/info.h"

/**
 * The info command naming the node's own addresses on this transport
 * ("service-tls-std" with TLS, "service-clear-std" otherwise), or NULL when
 * the seed address `sa` is loopback (a local seed is never a load balancer,
 * and nothing is asked).
 */
const char *aero_service__command(const aero_cluster *c, const struct sockaddr *sa);

/** Where a seeded node is reached: the seed's address, or the one the node advertised. */
typedef struct aero_service_addr {
    char host[AERO_HOST_MAX];
    uint16_t port;
    struct sockaddr_storage addr;
    socklen_t addr_len;
} aero_service_addr;

/**
 * After a seed address validated as node `name` on *conn (logged in with
 * `session`): `answer` is what the node said to aero_service__command().
 * When it is empty, an error answer (no such service on this server), or
 * lists the seed address itself (host and port), nothing changes. Otherwise
 * each advertised address is resolved and connected in turn (TLS checked
 * against `tls_name`, logged in with the seed's session token) and asked
 * `node`: the first that answers as `name` replaces the seed: *conn is
 * closed and becomes the new connection, *where the new address. When none
 * does (the server's access-address is probably not reachable from here),
 * the seed is kept and an INFO line is logged, as the Aerospike clients do.
 * AERO_ERR_INVALID_NODE for an answer that is not a host:port list (the
 * seed is refused, as the C client refuses it); AERO_OK otherwise.
 */
aero_status aero_service__follow(aero_cluster *c, aero_strview answer, const char *name, const char *tls_name,
                                 aero_auth_session *session, aero_conn *conn, aero_service_addr *where,
                                 aero_error *err);

#endif
