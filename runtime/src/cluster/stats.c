/*
 * cluster/stats.c - aero_client_stats(): the public statistics snapshot.
 */
#include <aero/cluster.h>

#include "cluster/node.h"
#include "internal.h"

#include <string.h>

/* Provided by the client (runtime/src/client.h). */
aero_cluster *aero_client__cluster(const aero_client *client);

AERO_API aero_status aero_client_stats(aero_client *client, aero_cluster_stats *out) {
    if (!client || !out)
        return AERO_ERR_PARAM;
    aero_cluster *c = aero_client__cluster(client);
    if (!c) {
        memset(out, 0, sizeof *out);
        return AERO_OK;
    }
    aero_cluster__fill_stats(c, out);
    return AERO_OK;
}
