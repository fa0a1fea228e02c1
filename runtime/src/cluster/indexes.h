/*
 * cluster/indexes.h - INTERNAL: the secondary indexes the client knows of
 * (discovery for the automatic index choice), and the parsing of the
 * server's sindex-list answer shared with aero_index_list().
 *
 * The tend thread refreshes the list every AERO_INDEX_REFRESH_ROUNDS passes,
 * and at the next pass after aero_cluster__indexes_changed(); a query that
 * finds the list never loaded, or marked changed, refreshes it itself first
 * (so an index created through this client is used by the next query).
 */
#ifndef AERO_CLUSTER_INDEXES_H
#define AERO_CLUSTER_INDEXES_H

#include <aero/index.h>

#include <stdatomic.h>

#include "cluster/cluster.h"

/** Tend passes between two refreshes of the index list. */
#define AERO_INDEX_REFRESH_ROUNDS 5

/** A published index list: immutable, reference counted. */
typedef struct aero_index_set {
    _Atomic unsigned refs;
    size_t n;
    aero_index_info *infos; /* merged over the nodes; nodes == number of nodes asked */
    int64_t *ratio;         /* entries_per_bval per index, -1 when unknown */
    uint32_t n_nodes;       /* nodes asked */
} aero_index_set;

/**
 * Parse a sindex-list answer (b64=true) and merge it into *list / *n:
 * an index already there (same ns and name) gets nodes + 1 and the least
 * ready state; a new one is appended with nodes = 1. Set indexes are skipped.
 * AERO_ERR_PROTOCOL on malformed text, AERO_ERR_NO_MEMORY.
 */
aero_status aero_index__merge_list(const char *s, size_t len, aero_index_info **list, size_t *n);

/**
 * Called with each node's answer to an info command (an error answer is
 * already reported and `value` is then not given). Returns AERO_OK to go on,
 * or a status (with err filled) that stops the walk.
 */
typedef aero_status (*aero_index_answer_fn)(void *ctx, const aero_node *node, const char *value, size_t len,
                                            aero_error *err);

/**
 * Send `cmd` to every active node in turn; each answer in ERROR form becomes
 * its status (with the node's address and the server's message), unless its
 * code is one of ok_codes (then the node is skipped); the other answers go
 * to fn (may be NULL). *n_nodes (may be NULL) receives how many nodes there
 * were. AERO_ERR_INVALID_NODE when there is none; network errors.
 */
aero_status aero_index__info_each(aero_cluster *c, const char *cmd, uint64_t deadline_ns, const aero_status *ok_codes,
                                  size_t n_ok, aero_index_answer_fn fn, void *ctx, size_t *n_nodes, aero_error *err);

/**
 * Ask every active node for sindex-list (b64) and merge the answers. Fills
 * *list / *n (aero_index_list_free) and *n_nodes. Network errors as info.
 */
aero_status aero_index__fetch(aero_cluster *c, uint64_t deadline_ns, aero_index_info **list, size_t *n,
                              uint32_t *n_nodes, aero_error *err);

/**
 * The current index list, retained (release with aero_index_set__release);
 * refreshed first when never loaded or marked changed. NULL when it could
 * not be loaded (no node, network error): the caller then uses no index.
 */
aero_index_set *aero_cluster__indexes(aero_cluster *c);
void aero_index_set__release(aero_index_set *s);
/**
 * The index `name` of namespace ns in the list, NULL when the client does not
 * know it; *readable tells whether a query may use it now (state RW on every
 * node asked, as the automatic choice requires). Borrowed from s.
 */
const aero_index_info *aero_index_set__find(const aero_index_set *s, const char *ns, const char *name, bool *readable);
/** An index was created or dropped through this client: refresh before the next use. */
void aero_cluster__indexes_changed(aero_cluster *c);
/** Tend hook: refresh when due (every AERO_INDEX_REFRESH_ROUNDS passes or when changed). */
void aero_cluster__tend_indexes(aero_cluster *c);
/** Free the published list (cluster teardown). */
void aero_cluster__free_indexes(aero_cluster *c);

#endif
