/*
 * aero/admin.h - admin and info calls: truncate, info to one node or to all,
 * and parsed answers for what operators ask (nodes and builds, namespaces,
 * namespace statistics, sets with record counts, cluster size and stability).
 *
 *     aero_error err;
 *     if (aero_client_truncate(client, "test", "users", 0, &err) != AERO_OK)
 *         fprintf(stderr, "%s\n", err.message);
 *
 *     aero_node_list *nodes;
 *     if (aero_client_nodes(client, &nodes, &err) == AERO_OK) {
 *         for (size_t i = 0; i < aero_node_list_count(nodes); i++) {
 *             const aero_node_entry *n = aero_node_list_get(nodes, i);
 *             printf("%s %s %s\n", n->name, n->address, n->build);
 *         }
 *         aero_node_list_free(nodes);
 *     }
 *
 * Errors: every server answer of ERROR form ("ERROR:<code>:<message>",
 * "ERROR::<message>", "FAIL:...") is returned as the aero_status of that code
 * (AERO_ERR_SERVER when the code is absent or 0) with the server's message in
 * err->message and the node's name in err->node. AERO_ERR_PARAM for bad
 * arguments (checked before anything is sent), AERO_ERR_INVALID_NODE when no
 * node (or not the named one) is in the cluster, AERO_ERR_TIMEOUT /
 * AERO_ERR_CONNECTION when a node does not answer in time (every call waits at
 * most 5 x the client's connect_timeout_ms per node), AERO_ERR_NO_MEMORY.
 *
 * Ownership: every list is allocated by the library, owned by the caller and
 * released with its _free() function (NULL is a no-op); every string in it
 * lives as long as the list. Entries are read through the _get() functions;
 * entry structs are never allocated by the caller, so new members can be
 * appended to them.
 */
#ifndef AERO_ADMIN_H
#define AERO_ADMIN_H

#include <aero/common.h>
#include <aero/error.h>
#include <aero/types.h>

AERO_BEGIN_DECLS

/* ---------------- truncate ---------------- */

/**
 * Delete every record of `set` in namespace `ns` (set NULL or "" = the whole
 * namespace) last updated before `before_ns` (ns since the Unix epoch; 0 =
 * now, the server's current time). The server removes the records in the
 * background on every node; a read right after may still see some. Sent to
 * one node, which spreads it over the cluster (info `truncate` /
 * `truncate-namespace`). AERO_ERR_PARAM for a NULL or too long name or a
 * name with a character the info protocol reserves (';', ':', '\n', '\t');
 * the server's refusal otherwise, e.g. AERO_ERR_PARAMETER "would truncate in
 * the future" for a before_ns after the server's clock. A namespace the
 * server does not have is not refused (the server answers "ok").
 */
AERO_API aero_status aero_client_truncate(aero_client *client, const char *ns, const char *set, uint64_t before_ns,
                                          aero_error *err);

/* ---------------- raw info ---------------- */

/**
 * Send one info command to the node named `node_name` (as aero_client_nodes()
 * reports it; NULL = any node) and copy the value into out (NUL-terminated).
 * AERO_ERR_PARAM when the value does not fit in cap (a multi-line or empty
 * command is refused too), AERO_ERR_INVALID_NODE when no such node is in the
 * cluster, the server's code for an ERROR answer.
 */
AERO_API aero_status aero_client_info_node(aero_client *client, const char *node_name, const char *command, char *out,
                                           size_t cap, aero_error *err);

/** One node's answer to an info command sent to every node. */
typedef struct aero_info_answer {
    const char *node;    /**< node name */
    const char *address; /**< "host:port" the node was reached at */
    aero_status status;  /**< AERO_OK, the server's code of an ERROR answer, or a client error (timeout ...) */
    const char *value;   /**< the value when status is AERO_OK, else the error message */
} aero_info_answer;

/** Answers of every node (opaque, owned by the caller). */
typedef struct aero_info_answers aero_info_answers;

/**
 * Send one info command to every active node in turn and collect each
 * node's answer in *out (in the order of aero_client_nodes()). Returns
 * AERO_OK when every node answered without error; otherwise the status of
 * the first node that failed, with err naming it and carrying its message,
 * and *out still holds every answer (free it either way). *out is NULL only
 * on AERO_ERR_PARAM, AERO_ERR_INVALID_NODE (no node) or AERO_ERR_NO_MEMORY.
 */
AERO_API aero_status aero_client_info_all(aero_client *client, const char *command, aero_info_answers **out,
                                          aero_error *err);
/** Number of answers (0 for NULL). */
AERO_API size_t aero_info_answers_count(const aero_info_answers *a);
/** Answer i, NULL when i is out of range. */
AERO_API const aero_info_answer *aero_info_answers_get(const aero_info_answers *a, size_t i);
/** Free the answers and their strings. NULL is a no-op. */
AERO_API void aero_info_answers_free(aero_info_answers *a);

/* ---------------- nodes ---------------- */

/** A node of the cluster. */
typedef struct aero_node_entry {
    const char *name;    /**< node name, e.g. "BB9020011AC4202" */
    const char *address; /**< "host:port" */
    const char *build;   /**< server version as the node answers info `build` now, e.g. "8.1.2.0" */
} aero_node_entry;

/** The nodes of the cluster (opaque, owned by the caller). */
typedef struct aero_node_list aero_node_list;

/**
 * The active nodes with their builds (asked of each node now: a node that
 * fails to answer fails the call, with its status and name in err).
 */
AERO_API aero_status aero_client_nodes(aero_client *client, aero_node_list **out, aero_error *err);
AERO_API size_t aero_node_list_count(const aero_node_list *l);
AERO_API const aero_node_entry *aero_node_list_get(const aero_node_list *l, size_t i);
AERO_API void aero_node_list_free(aero_node_list *l);

/* ---------------- name lists and key/value lists ---------------- */

/** A list of names (opaque, owned by the caller). */
typedef struct aero_name_list aero_name_list;

/** The namespaces of the cluster (info `namespaces` of one node), in the server's order. */
AERO_API aero_status aero_client_namespaces(aero_client *client, aero_name_list **out, aero_error *err);
AERO_API size_t aero_name_list_count(const aero_name_list *l);
/** Name i, NULL when out of range. */
AERO_API const char *aero_name_list_get(const aero_name_list *l, size_t i);
AERO_API void aero_name_list_free(aero_name_list *l);

/** One statistic or setting. */
typedef struct aero_kv {
    const char *key;
    const char *value;
} aero_kv;

/** key=value pairs (opaque, owned by the caller). */
typedef struct aero_kv_list aero_kv_list;

/**
 * Statistics and configuration of namespace `ns` as node `node_name` (NULL =
 * any node) reports them (info `namespace/<ns>`): objects, master_objects,
 * replication-factor, ns_cluster_size ... in the server's order.
 * AERO_ERR_NAMESPACE_NOT_FOUND when the node does not have the namespace.
 */
AERO_API aero_status aero_client_namespace_stats(aero_client *client, const char *node_name, const char *ns,
                                                 aero_kv_list **out, aero_error *err);
AERO_API size_t aero_kv_list_count(const aero_kv_list *l);
AERO_API const aero_kv *aero_kv_list_get(const aero_kv_list *l, size_t i);
/** Value of `key`, NULL if absent. */
AERO_API const char *aero_kv_list_find(const aero_kv_list *l, const char *key);
/**
 * Integer value of `key` into *out. AERO_ERR_PARAM when absent or not a
 * decimal integer (the message says which).
 */
AERO_API aero_status aero_kv_list_int(const aero_kv_list *l, const char *key, int64_t *out, aero_error *err);
AERO_API void aero_kv_list_free(aero_kv_list *l);

/* ---------------- sets ---------------- */

/** A set with its record counts over the cluster. */
typedef struct aero_set_entry {
    const char *ns;
    const char *set;
    uint64_t objects;         /**< records: the nodes' counts summed, divided by the replication factor */
    uint64_t tombstones;      /**< the same for tombstones */
    uint64_t data_used_bytes; /**< summed over nodes, divided by the replication factor */
} aero_set_entry;

/** Sets (opaque, owned by the caller). */
typedef struct aero_set_list aero_set_list;

/**
 * The sets of namespace `ns` (NULL = every namespace) with their record
 * counts, asked of every node (info `sets`). Each node counts the records it
 * holds as master or replica; the sum is divided by the namespace's
 * replication factor, so while partitions migrate the count is approximate
 * (as the server's own tools report it). A namespace the server does not
 * have gives AERO_ERR_NAMESPACE_NOT_FOUND.
 */
AERO_API aero_status aero_client_sets(aero_client *client, const char *ns, aero_set_list **out, aero_error *err);
AERO_API size_t aero_set_list_count(const aero_set_list *l);
AERO_API const aero_set_entry *aero_set_list_get(const aero_set_list *l, size_t i);
/** The entry of ns/set, NULL if absent. */
AERO_API const aero_set_entry *aero_set_list_find(const aero_set_list *l, const char *ns, const char *set);
AERO_API void aero_set_list_free(aero_set_list *l);

/* ---------------- cluster ---------------- */

/**
 * Cluster size as the nodes report it (info `statistics`, cluster_size),
 * asked of every node: the largest answer (nodes agree when the cluster is
 * stable). AERO_ERR_PROTOCOL when a node's answer has no cluster_size.
 */
AERO_API aero_status aero_client_cluster_size(aero_client *client, uint32_t *size, aero_error *err);

/**
 * Whether the cluster is stable: asks every node `cluster-stable` (with
 * size=expected_size when it is not 0, namespace=ns when ns is not NULL: only
 * that namespace's migrations count). AERO_OK with the cluster key (hex, as
 * the server prints it) in key_out (cap >= 17; may be NULL) when every node
 * answers the same key. Not stable: AERO_ERR_CLUSTER_KEY_MISMATCH (7) with
 * the server's message ("unstable cluster", "cluster not specified size") or
 * "nodes report different cluster keys"; AERO_ERR_NAMESPACE_NOT_FOUND for an
 * unknown ns.
 */
AERO_API aero_status aero_client_cluster_stable(aero_client *client, uint32_t expected_size, const char *ns,
                                                char *key_out, size_t cap, aero_error *err);

AERO_END_DECLS

#endif
