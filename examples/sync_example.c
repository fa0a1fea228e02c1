/*
 * sync_example.c - the SDK's "Complete example", step for step, in C.
 *
 * Connects (embedded aero-testserver, or AERO_HOSTS=host:port), creates two
 * users, reads one back, queries active users over 21 with AEL, updates one
 * user (set, increment, conditional set) and cleans up. Prints what the server
 * returns; both Alice (30) and Bob (25) match the query.
 */
#include <aero/aero.h>
#include <stdio.h>

#include "example_env.h"

int main(void) {
    aero_testserver *server;
    aero_client *client = example_connect(&server);
    if (!client)
        return 1;
    int rc = 1;
    aero_error err;
    char bins[512];
    const aero_record *r;
    aero_stream *st = NULL;
    aero_session *session = aero_client_create_session(client, &AERO_BEHAVIOR_DEFAULT, &err);
    aero_dataset users = aero_dataset_of("test", "users");
    aero_key user1 = aero_dataset_id_str(&users, "user-1");
    aero_key user2 = aero_dataset_id_str(&users, "user-2");

    /* Cleanup from prior runs so the program is repeatable. */
    CHECK(aero_write_execute(aero_session_delete(session, &user1), NULL, &err));
    CHECK(aero_write_execute(aero_session_delete(session, &user2), NULL, &err));

    /* Create: upsert the first user. */
    aero_bin_value alice[] = { { "name", aero_str("Alice") },
                               { "email", aero_str("alice@example.com") },
                               { "status", aero_str("active") },
                               { "age", aero_int(30) },
                               { "login_count", aero_int(0) } };
    CHECK(aero_write_execute(aero_write_put(aero_session_upsert(session, &user1), alice, 5), NULL, &err));

    /* Create: insert a second user (fails if the key already exists). */
    aero_bin_value bob[] = { { "name", aero_str("Bob") }, { "age", aero_int(25) }, { "status", aero_str("active") } };
    CHECK(aero_write_execute(aero_write_put(aero_session_insert(session, &user2), bob, 3), NULL, &err));

    /* Read: point read by key. */
    st = aero_query_execute(aero_session_query_key(session, &user1), &err);
    if (!st)
        goto fail;
    CHECK(aero_stream_first_or_raise(st, &r, &err));
    aero_record_format_bins(r, bins, sizeof bins);
    printf("User 1: %s\n", bins);
    aero_stream_close(st);
    st = NULL;

    /* Read: query active users over 21 with AEL. */
    aero_query *q = aero_session_query(session, &users);
    aero_query_where(q, "$.status == 'active' and $.age > 21");
    st = aero_query_execute(q, &err);
    if (!st)
        goto fail;
    printf("Active users over 21:\n");
    while ((r = aero_stream_next(st, &err)))
        printf("  - %s\n", aero_record_str(r, "name"));
    if (err.code != AERO_OK)
        goto fail;
    aero_stream_close(st);
    st = NULL;

    /* Modify: update email, increment a counter, and set a conditional flag. */
    aero_write *w = aero_session_update(session, &user1);
    CHECK(aero_write_execute(aero_write_bin_set_str(w, "email", "alice.smith@example.com"), NULL, &err));
    w = aero_session_update(session, &user1);
    CHECK(aero_write_execute(aero_write_bin_increment_int(w, "login_count", 1), NULL, &err));
    w = aero_session_update(session, &user1);
    aero_write_where(w, "$.age >= 18");
    CHECK(aero_write_execute(aero_write_bin_set_bool(w, "verified", true), NULL, &err));

    /* Read back selected bins. */
    const char *selected[] = { "name", "email", "login_count", "verified" };
    q = aero_session_query_key(session, &user1);
    st = aero_query_execute(aero_query_bins(q, selected, 4), &err);
    if (!st)
        goto fail;
    CHECK(aero_stream_first_or_raise(st, &r, &err));
    aero_record_format_bins(r, bins, sizeof bins);
    printf("Updated user 1: %s\n", bins);
    aero_stream_close(st);
    st = NULL;

    /* Cleanup. */
    CHECK(aero_write_execute(aero_session_delete(session, &user1), NULL, &err));
    CHECK(aero_write_execute(aero_session_delete(session, &user2), NULL, &err));
    printf("Done.\n");
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "%s: %s\n", aero_status_str(err.code), err.message);
out:
    aero_stream_close(st);
    aero_session_free(session);
    aero_client_close(client);
    aero_testserver_stop(server);
    return rc;
}
