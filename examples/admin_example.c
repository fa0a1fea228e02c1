/*
 * admin_example.c - the admin calls of aero/admin.h: list the nodes with
 * their builds, the namespaces and a few statistics, count the records of a
 * set over the cluster, check that the cluster is stable, and truncate the
 * set again.
 */
#include "example_env.h"

#include <aero/admin.h>

#include <string.h>

int main(void) {
    aero_testserver *server;
    aero_client *client = example_connect(&server);
    if (!client)
        return 1;
    aero_error err;
    int rc = 1;
    aero_session *s = NULL;
    aero_node_list *nodes = NULL;
    aero_name_list *names = NULL;
    aero_kv_list *stats = NULL;
    aero_set_list *sets = NULL;

    s = aero_client_create_session(client, NULL, &err);
    if (!s)
        goto out;
    aero_dataset ds = aero_dataset_of("test", "admin_example");
    for (int i = 0; i < 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "item-%d", i);
        aero_key k = aero_dataset_id_str(&ds, id);
        aero_bin_value bins[] = { { "n", aero_int(i) } };
        CHECK(aero_session_put(s, &k, bins, 1, &err));
    }

    CHECK(aero_client_nodes(client, &nodes, &err));
    for (size_t i = 0; i < aero_node_list_count(nodes); i++) {
        const aero_node_entry *n = aero_node_list_get(nodes, i);
        printf("node %s at %s runs %s\n", n->name, n->address, n->build);
    }

    CHECK(aero_client_namespaces(client, &names, &err));
    for (size_t i = 0; i < aero_name_list_count(names); i++)
        printf("namespace %s\n", aero_name_list_get(names, i));

    CHECK(aero_client_namespace_stats(client, NULL, "test", &stats, &err));
    printf("test: replication-factor %s, strong-consistency %s\n", aero_kv_list_find(stats, "replication-factor"),
           aero_kv_list_find(stats, "strong-consistency"));

    CHECK(aero_client_sets(client, "test", &sets, &err));
    const aero_set_entry *e = aero_set_list_find(sets, "test", "admin_example");
    printf("set admin_example: %llu records\n", e ? (unsigned long long)e->objects : 0ull);

    uint32_t size;
    char key[24];
    CHECK(aero_client_cluster_size(client, &size, &err));
    CHECK(aero_client_cluster_stable(client, size, "test", key, sizeof key, &err));
    printf("cluster of %u node(s) is stable (cluster key %s)\n", size, key);

    CHECK(aero_client_truncate(client, "test", "admin_example", 0, &err));
    printf("set admin_example truncated\n");

    /* an ERROR answer comes back as a status with the server's message */
    char out[64];
    if (aero_client_info_node(client, NULL, "no-such-command", out, sizeof out, &err) != AERO_OK)
        printf("info no-such-command: %s (%s)\n", err.message, aero_status_str(err.code));
    rc = 0;
out:
    aero_set_list_free(sets);
    aero_kv_list_free(stats);
    aero_name_list_free(names);
    aero_node_list_free(nodes);
    aero_session_free(s);
    aero_client_close(client);
    aero_testserver_stop(server);
    return rc;
}
