/*
 * client.h - internal layout of the client and session, shared by the
 * command files. Not installed.
 */
#ifndef AERO_CLIENT_INTERNAL_H
#define AERO_CLIENT_INTERNAL_H

#include <aero/client.h>

#include <pthread.h>

#include "cluster/cluster.h"
#include "lock.h"

struct aero_write;
struct aero_query;
struct aero_batch;

struct aero_client {
    aero_cluster *cluster;
    aero_client_config config;
    char *cluster_name; /* owned copy of the config string */
    /* Recycled builders: a steady loop of commands allocates nothing. */
    aero_lock free_lock;
    struct aero_write *free_writes;
    unsigned n_free_writes;
    struct aero_batch *free_batches; /* with their rows and engine scratch */
    unsigned n_free_batches;
    struct aero_schema_ops *free_ops; /* typed operate builders, with their sinks and scratch arena */
    unsigned n_free_ops;
};

struct aero_session {
    aero_client *client;
    const char *behavior_name;
    aero_policy read_point, read_batch, read_query;
    aero_policy write_point, write_batch, write_query;
};

/** The cluster view of a client (used by cluster/stats.c). */
aero_cluster *aero_client__cluster(const aero_client *client);

#endif
