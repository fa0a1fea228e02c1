/*
 * racks_example.c - production read and write settings: a rack-aware client
 * that reads from its own rack (PREFER_RACK), reads that resolve duplicates
 * while partitions migrate (AP read mode ALL), writes acknowledged by the
 * master (commit level MASTER), and a per-node circuit breaker.
 *
 * Without AERO_HOSTS it starts a 3-node test cluster whose nodes sit on
 * racks 1, 2 and 3; against a Community Edition cluster (no racks) the same
 * code reads as SEQUENCE does.
 */
#include <aero/admin.h>
#include <aero/aero.h>
#include <aero/testserver.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    aero_error err;
    aero_testserver *server = NULL;
    const char *hosts = getenv("AERO_HOSTS");
    if (!hosts || !*hosts) {
        static const uint32_t racks[] = { 1, 2, 3 };
        aero_testserver_config tc;
        aero_testserver_config_init(&tc);
        tc.nodes = 3;
        tc.replication_factor = 2;
        tc.rack_ids = racks;
        server = aero_testserver_start(&tc, &err);
        if (!server) {
            fprintf(stderr, "cannot start the test cluster: %s\n", err.message);
            return 1;
        }
        hosts = aero_testserver_seeds(server);
    }

    aero_client_config cfg;
    aero_client_config_init(&cfg);
    cfg.rack_aware = true;
    cfg.rack_id = 2;           /* this application runs on rack 2 */
    cfg.max_error_rate = 100;  /* more than 100 failed exchanges with a node in a window: refuse it */
    cfg.error_rate_window = 1; /* a window is one tend interval (1 s) */
    aero_client *client = aero_client_connect(hosts, &cfg, &err);
    if (!client) {
        fprintf(stderr, "cannot connect to %s: %s\n", hosts, err.message);
        aero_testserver_stop(server);
        return 1;
    }

    aero_behavior prod = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "prod");
    prod.reads.replica = AERO_REPLICA_PREFER_RACK;
    prod.reads.read_mode_ap = AERO_READ_MODE_AP_ALL;
    prod.writes.commit_level = AERO_COMMIT_MASTER;
    aero_session *s = aero_client_create_session(client, &prod, &err);
    int rc = 1;
    aero_record rec;
    aero_record_init(&rec);
    if (!s) {
        fprintf(stderr, "%s\n", err.message);
        goto out;
    }

    aero_info_answers *racks = NULL;
    if (aero_client_info_all(client, "rack-ids", &racks, &err) == AERO_OK) {
        for (size_t i = 0; i < aero_info_answers_count(racks); i++)
            printf("node %s: %s\n", aero_info_answers_get(racks, i)->node, aero_info_answers_get(racks, i)->value);
    } else {
        printf("no racks on this cluster (%s): PREFER_RACK reads as SEQUENCE\n", err.message);
    }
    aero_info_answers_free(racks);

    aero_dataset ds = aero_dataset_of("test", "racks_example");
    for (int i = 0; i < 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "sensor-%d", i);
        aero_key k = aero_dataset_id_str(&ds, id);
        aero_bin_value bins[] = { { "reading", aero_int(100 + i) } };
        if (aero_session_put(s, &k, bins, 1, &err) != AERO_OK)
            goto fail;
        if (aero_session_get(s, &k, NULL, 0, &rec, &err) != AERO_OK)
            goto fail;
        int64_t v = 0;
        if (aero_record_get_int(&rec, "reading", &v, &err) != AERO_OK)
            goto fail;
        printf("%s = %lld\n", id, (long long)v);
    }
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "%s: %s\n", aero_status_str(err.code), err.message);
out:
    aero_record_dispose(&rec);
    aero_session_free(s);
    aero_client_close(client);
    aero_testserver_stop(server);
    return rc;
}
