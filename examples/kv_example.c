/*
 * kv_example.c - key-value basics with the direct (schema-less) API:
 * every write verb, bin operations, TTL, generation checks, point reads,
 * projections and the errors a caller should expect.
 *
 * Runs against an embedded aero-testserver, or a real cluster with
 * AERO_HOSTS=host:port.
 */
#include <aero/aero.h>
#include <stdio.h>

#include "example_env.h"

static void show(const char *label, const aero_record *r) {
    char bins[512];
    aero_record_format_bins(r, bins, sizeof bins);
    printf("%-28s gen=%u ttl=%s %s\n", label, r->generation, r->ttl == AERO_TTL_NEVER ? "never" : "set", bins);
}

int main(void) {
    aero_testserver *server;
    aero_client *client = example_connect(&server);
    if (!client)
        return 1;
    int rc = 1;
    aero_error err;
    aero_session *s = aero_client_create_session(client, NULL, &err);
    aero_dataset users = aero_dataset_of("test", "kv_example");
    aero_key alice = aero_dataset_id_str(&users, "alice");
    aero_record rec;
    aero_record_init(&rec);

    /* delete is idempotent: a missing key is not an error */
    CHECK(aero_write_execute(aero_session_delete(s, &alice), NULL, &err));

    /* insert (create only), with a TTL */
    aero_write *w = aero_session_insert(s, &alice);
    aero_write_bin_set_str(w, "name", "Alice");
    aero_write_bin_set_int(w, "age", 30);
    aero_write_bin_set_double(w, "score", 9.5);
    aero_write_expire_after_seconds(w, 3600);
    CHECK(aero_write_execute(w, NULL, &err));
    CHECK(aero_session_get(s, &alice, NULL, 0, &rec, &err));
    show("after insert:", &rec);

    /* a second insert of the same key fails with KEY_EXISTS */
    w = aero_session_insert(s, &alice);
    aero_write_bin_set_str(w, "name", "Impostor");
    if (aero_write_execute(w, NULL, &err) == AERO_ERR_KEY_EXISTS)
        printf("%-28s %s\n", "insert again:", aero_status_str(err.code));

    /* update: increment, append, read back in one round trip */
    w = aero_session_update(s, &alice);
    aero_write_bin_increment_int(w, "age", 1);
    aero_write_bin_append_str(w, "name", " Smith");
    aero_write_bin_get(w, "age");
    CHECK(aero_write_execute(w, &rec, &err));
    printf("%-28s age=%lld\n", "update returned:", (long long)aero_record_int(&rec, "age", 0));

    /* optimistic locking: only write if nobody else did */
    CHECK(aero_session_get_header(s, &alice, &rec, &err));
    w = aero_session_update(s, &alice);
    aero_write_ensure_generation_is(w, rec.generation);
    aero_write_bin_set_bool(w, "verified", true);
    CHECK(aero_write_execute(w, NULL, &err));
    w = aero_session_update(s, &alice);
    aero_write_ensure_generation_is(w, rec.generation); /* stale now */
    aero_write_bin_set_bool(w, "verified", false);
    if (aero_write_execute(w, NULL, &err) == AERO_ERR_GENERATION)
        printf("%-28s %s\n", "stale generation:", aero_status_str(err.code));

    /* projection: only some bins */
    const char *bins[] = { "name", "verified" };
    CHECK(aero_session_get(s, &alice, bins, 2, &rec, &err));
    show("projection:", &rec);

    /* replace drops every bin not written */
    aero_bin_value only[] = { { "name", aero_str("Alice Replaced") } };
    w = aero_session_replace(s, &alice);
    aero_write_put(w, only, 1);
    aero_write_never_expire(w);
    CHECK(aero_write_execute(w, NULL, &err));
    CHECK(aero_session_get(s, &alice, NULL, 0, &rec, &err));
    show("after replace:", &rec);

    /* update of a missing record fails with KEY_NOT_FOUND */
    aero_key ghost = aero_dataset_id_str(&users, "ghost");
    w = aero_session_update(s, &ghost);
    aero_write_bin_set_int(w, "x", 1);
    if (aero_write_execute(w, NULL, &err) == AERO_ERR_KEY_NOT_FOUND)
        printf("%-28s %s\n", "update missing:", aero_status_str(err.code));

    /* bad input is refused before anything is sent */
    w = aero_session_upsert(s, &alice);
    aero_write_bin_set_int(w, "a_bin_name_too_long", 1);
    if (aero_write_execute(w, NULL, &err) == AERO_ERR_PARAM)
        printf("%-28s %s\n", "bad bin name:", err.message);

    bool exists = false;
    CHECK(aero_write_execute(aero_session_delete(s, &alice), NULL, &err));
    CHECK(aero_session_exists(s, &alice, &exists, &err));
    printf("%-28s %s\n", "exists after delete:", exists ? "yes" : "no");
    rc = 0;
out:
    aero_record_dispose(&rec);
    aero_session_free(s);
    aero_client_close(client);
    aero_testserver_stop(server);
    return rc;
}
