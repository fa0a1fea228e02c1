/*
 * fake_cluster.h - tiny info-protocol servers on 127.0.0.1 for the tend
 * tests: each fake node answers node, build, partition-generation,
 * peers-generation, peers-clear-std, replicas and cluster-name from state the
 * test controls; nodes can be stopped and started on the same port.
 */
#ifndef AERO_TEST_FAKE_CLUSTER_H
#define AERO_TEST_FAKE_CLUSTER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define FAKE_MAX_NODES   4
#define FAKE_MAX_CLIENTS 64

typedef struct fake_node {
    char name[32];
    uint16_t port;
    int lfd;
    pthread_t thread;
    bool up;
    atomic_bool stop;
    atomic_bool drop_clients; /* close every client socket at the next loop */
    atomic_bool silent;       /* read requests but never answer (stall) */
    atomic_int requests;
    pthread_mutex_t mu; /* guards the answers below */
    int64_t partition_gen;
    int64_t peers_gen;
    char *peers;    /* peers-clear-std value */
    char *replicas; /* replicas value */
    char cluster_name[32];
    char node_answer[32]; /* normally == name */
    /* AS_MSG (type 3) requests: kept (the last one, whole) and answered OK with no bins */
    uint8_t last_msg[2048];
    size_t last_msg_len;
    atomic_int msgs;
    /* rack-ids answer ("test:<rack>"); empty = "ERROR:25:enterprise only" */
    char rack_ids[64];
    int64_t rebalance_gen;
    int clients[FAKE_MAX_CLIENTS];
    int n_clients;
} fake_node;

typedef struct fake_cluster {
    int n;
    int replication; /* 1 or 2 */
    fake_node nodes[FAKE_MAX_NODES];
} fake_cluster;

/** Start n nodes (names "N0".."N3") on free ports; every node owns a share of the partitions of "test". */
bool fake_cluster_start(fake_cluster *fc, int n, int replication);
/** Stop every node and free the cluster's memory. */
void fake_cluster_free(fake_cluster *fc);
/** Stop node i (its port refuses connections); the others rebalance. */
void fake_node_stop(fake_cluster *fc, int i);
/** Start node i again on its old port; the cluster rebalances. */
bool fake_node_start(fake_cluster *fc, int i);
/** Restart node i at once on a new port (same name); the cluster rebalances. */
bool fake_node_move(fake_cluster *fc, int i);
/** Recompute peers and replicas of the nodes that are up, bumping generations. */
void fake_cluster_rebalance(fake_cluster *fc);
/** Index of the node (among those up) that is replica r of partition pid, or -1. */
int fake_owner(const fake_cluster *fc, uint32_t pid, int r);

#endif
