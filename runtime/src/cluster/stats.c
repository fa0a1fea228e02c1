/*
 * cluster/stats.c - aero_client_stats(): the public statistics snapshot.
 */
#include <aero/cluster.h>

#include "cluster/node.h"
#include "internal.h"

#include <string.h>

/* Provided by the client (runtime/src/client.h). */
aero_cluster *aero_client__cluster(const aero_client *client);

AERO_API aero_status aero_client_stats(aero_client *client, aero_cluster_stats *out, aero_error *err) {
    aero_err__reset(err);
    if (!client || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "stats needs a client and an output struct");
    uint32_t version = out->version;
    if (aero_err__check_version(err, "aero_cluster_stats", version, AERO_CLUSTER_STATS_VERSION) != AERO_OK)
        return AERO_ERR_PARAM;
    /* Version 1 is the whole struct; a later version fills a full copy and hands back the caller's prefix. */
    aero_cluster *c = aero_client__cluster(client);
    if (c)
        aero_cluster__fill_stats(c, out);
    else
        memset(out, 0, sizeof *out);
    out->version = version;
    return AERO_OK;
}
