/*
 * typed_users.c - the seed's operations through the typed API that aerogen
 * generates from schemas/users.aero (users.aero.h): create, read, query,
 * modify, read back, delete - with plain C structs instead of bin names;
 * then many keys in one call (user_upsert_many, user_exists_many,
 * user_delete_many), typed rows of a mixed batch (user_batch_*), and the
 * secondary indexes users.aero declares (users_create_indexes()). Also the
 * deep typed API: typed lists, maps and documents in the struct, a typed
 * operate (per-bin ops with typed results and write options), writes with
 * options, and typed streams with query options.
 *
 * Strings in a struct read from the server point into the aero_record
 * "holder" passed to the read, valid until that holder is reused or
 * disposed (see aero/schema.h).
 *
 * Runs against an embedded aero-testserver, or a real cluster with
 * AERO_HOSTS=host:port.
 */
#include <aero/aero.h>
#include <stdio.h>

#include "example_env.h"
#include "users.aero.h"

static void show(const char *label, const user *u) {
    printf("%s: name=%s", label, u->name);
    if (u->has_email)
        printf(" email=%s", u->email);
    if (u->has_status)
        printf(" status=%s", u->status);
    if (u->has_age)
        printf(" age=%lld", (long long)u->age);
    printf(" login_count=%lld%s", (long long)u->login_count, u->has_login_count ? "" : " (default)");
    printf(" verified=%s%s\n", u->verified ? "true" : "false", u->has_verified ? "" : " (default)");
}

int main(void) {
    aero_testserver *server;
    aero_client *client = example_connect(&server);
    if (!client)
        return 1;
    int rc = 1;
    aero_error err;
    aero_session *session = aero_client_create_session(client, &AERO_BEHAVIOR_DEFAULT, &err);
    aero_stream *st = NULL;
    aero_record holder;
    aero_record_init(&holder);
    user u;

    /* Cleanup from prior runs so the program is repeatable. */
    CHECK(user_delete(session, "user-1", NULL, &err));
    CHECK(user_delete(session, "user-2", NULL, &err));
    static const char *const earlier[] = { "user-10", "user-11", "user-12", "user-13" };
    aero_status cleared[4];
    CHECK(user_delete_many(session, earlier, 4, NULL, cleared, NULL, &err));

    /* Create: upsert the first user. Optional bins are written when has_* is set. */
    user alice = USER_INIT;
    alice.name = "Alice";
    alice.has_email = true;
    alice.email = "alice@example.com";
    alice.has_status = true;
    alice.status = "active";
    alice.has_age = true;
    alice.age = 30;
    alice.has_login_count = true;
    alice.login_count = 0;
    CHECK(user_upsert(session, "user-1", &alice, &err));

    /* Create: insert a second user (fails with KEY_EXISTS if the key exists). */
    user bob = USER_INIT;
    bob.name = "Bob";
    bob.has_age = true;
    bob.age = 25;
    bob.has_status = true;
    bob.status = "active";
    CHECK(user_insert(session, "user-2", &bob, &err));
    if (user_insert(session, "user-2", &bob, &err) == AERO_ERR_KEY_EXISTS)
        printf("Insert again: %s\n", aero_status_str(err.code));

    /* Read: point read by key into a struct. */
    CHECK(user_get(session, "user-1", &u, &holder, &err));
    show("User 1", &u);

    /* Read: the named query from users.aero, compiled and type-checked by aerogen. */
    st = user_active_adults(session, 21, &err);
    if (!st)
        goto out;
    printf("Active users over 21:\n");
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        user row;
        CHECK(user_from_record(r, &row, &err));
        printf("  - %s\n", row.name);
    }
    CHECK(err.code);
    aero_stream_close(st);
    st = NULL;

    /* Modify: update the email (only the bins with has_* set are written). */
    user change = USER_INIT;
    change.name = "Alice";
    change.has_email = true;
    change.email = "alice.smith@example.com";
    CHECK(user_update(session, "user-1", &change, &err));

    /* Typed and direct APIs mix: user_key() gives the key for the builder. */
    aero_key k1 = user_key("user-1");
    aero_write *w = aero_session_update(session, &k1);
    CHECK(aero_write_execute(aero_write_bin_increment_int(w, USER_BIN_LOGIN_COUNT, 1), NULL, &err));
    /* A named query's filter, checked by aerogen, as the condition of a write. */
    aero_expr *adult = user_adults_filter(18, &err);
    if (!adult)
        goto out;
    w = aero_session_update(session, &k1);
    aero_write_where_expr(w, adult);
    aero_expr_free(adult); /* the builder copied it */
    CHECK(aero_write_execute(aero_write_bin_set_bool(w, USER_BIN_VERIFIED, true), NULL, &err));

    /* Read back selected bins. */
    static const unsigned selected[] = { USER_F_NAME, USER_F_EMAIL, USER_F_LOGIN_COUNT, USER_F_VERIFIED };
    CHECK(user_get_bins(session, "user-1", selected, 4, &u, &holder, &err));
    show("Updated user 1", &u);

    /* Typed collections and documents: plain C arrays and structs in the record. */
    static const char *const alice_tags[] = { "admin", "beta" };
    static const aero_map_str_int_entry alice_prefs[] = { { "theme", 2 }, { "font", 14 } };
    address places[2] = { ADDRESS_INIT, ADDRESS_INIT };
    places[0].street = "1 Old Road";
    places[0].has_city = true;
    places[0].city = "Hamburg";
    places[1].street = "9 Older Lane";
    user more = USER_INIT;
    more.name = "Alice";
    more.has_tags = true;
    more.tags.items = alice_tags;
    more.tags.count = 2;
    more.has_prefs = true;
    more.prefs.entries = alice_prefs;
    more.prefs.count = 2;
    more.has_addr = true;
    more.addr.street = "5 Main St";
    more.addr.has_zip = true;
    more.addr.zip = 10115;
    more.has_past = true;
    more.past.items = places;
    more.past.count = 2;
    CHECK(user_update(session, "user-1", &more, &err));
    CHECK(user_get(session, "user-1", &u, &holder, &err));
    printf("User 1 tags:");
    for (size_t i = 0; i < u.tags.count; i++)
        printf(" %s", u.tags.items[i]);
    printf("; lives at %s, %lld; %zu earlier addresses, the first in %s\n", u.addr.street, (long long)u.addr.zip,
           u.past.count, u.past.count && u.past.items[0].has_city ? u.past.items[0].city : "?");

    /* A typed operate: several ops on one key in one round trip, results typed, with write options. */
    int64_t logins = 0, n_tags = 0, theme = 0;
    bool has_theme = false;
    const char *first_tag = NULL;
    bool has_first = false;
    address moved = ADDRESS_INIT;
    moved.street = "5 Main St";
    user_ops *ops = user_operate(session, "user-1");
    user_ops_login_count_increment(ops, 1);
    user_ops_login_count_get(ops, &logins);
    user_ops_tags_append(ops, "vip");
    user_ops_tags_size(ops, &n_tags);
    user_ops_tags_get(ops, 0, &first_tag, &has_first);
    user_ops_prefs_get(ops, "theme", &theme, &has_theme);
    user_ops_past_append(ops, &moved);
    user_ops_where_adults(ops, 18); /* only if the named query `adults` matches the record */
    aero_schema_write_opts opts = AERO_SCHEMA_WRITE_OPTS_INIT;
    opts.ttl = 3600;
    CHECK(user_ops_execute(ops, &opts, &holder, &err));
    printf("Operate: %lld logins, %lld tags (first %s), theme %lld%s\n", (long long)logins, (long long)n_tags,
           has_first ? first_tag : "-", (long long)theme, has_theme ? "" : " (not set)");

    /* A write with options: an expected generation that is not the record's is refused. */
    aero_schema_write_opts stale = AERO_SCHEMA_WRITE_OPTS_INIT;
    stale.generation = 1;
    if (user_update_with(session, "user-1", &change, &stale, &err) == AERO_ERR_GENERATION)
        printf("Update with a stale generation: %s\n", aero_status_str(err.code));

    /* Typed streams: rows decoded into the struct as they arrive; a query through a document path. */
    st = user_in_zip(session, 10115, &err);
    if (!st)
        goto out;
    for (user row; user_stream_next(st, &row, &err);)
        printf("In zip 10115: %s at %s\n", row.name, row.addr.street);
    CHECK(err.code);
    aero_stream_close(st);
    /* ... and with typed query options: only some bins, at most 10 rows. */
    static const unsigned name_only[] = { USER_F_NAME, USER_F_AGE };
    aero_schema_query_opts qopts = AERO_SCHEMA_QUERY_OPTS_INIT;
    qopts.fields = name_only;
    qopts.n_fields = 2;
    qopts.max_records = 10;
    st = user_active_adults_with(session, 21, &qopts, &err);
    if (!st)
        goto out;
    for (user row; user_stream_next(st, &row, &err);)
        printf("Active adult: %s (%lld)%s\n", row.name, (long long)row.age, row.has_email ? "" : ", email not read");
    CHECK(err.code);
    aero_stream_close(st);
    st = NULL;

    /* A missing record is an error code, not a crash or an empty struct. */
    if (user_get(session, "nobody", &u, &holder, &err) == AERO_ERR_KEY_NOT_FOUND)
        printf("Get missing: %s\n", aero_status_str(err.code));

    /* Many keys in one call (one batch: one request per node), a result per row. */
    static const char *const team_keys[] = { "user-10", "user-11", "user-12" };
    static const char *const team_names[] = { "Carol", "Dan", "Erin" };
    user team[3];
    for (int i = 0; i < 3; i++) {
        team[i] = (user)USER_INIT;
        team[i].name = team_names[i];
        team[i].has_age = true;
        team[i].age = 40 + i;
    }
    aero_status results[3];
    bool in_doubt[3];
    CHECK(user_upsert_many(session, team_keys, 3, team, results, in_doubt, &err));
    for (int i = 0; i < 3; i++)
        printf("Upsert %s: %s%s\n", team_keys[i], aero_status_str(results[i]), in_doubt[i] ? " (in doubt)" : "");
    /* The indexes users.aero declares, created once and ready on every node; then a query through one. */
    CHECK(users_create_indexes(session, &err));
    aero_dataset users = aero_dataset_of(USER_NAMESPACE, USER_SET);
    aero_query *q = aero_session_query(session, &users);
    aero_index_filter in_forties = aero_index_range(USER_BIN_AGE, 40, 49);
    aero_query_filter(q, &in_forties);
    st = aero_query_execute(q, &err);
    if (!st)
        goto out;
    int forties = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));)
        forties++;
    CHECK(err.code);
    aero_stream_close(st);
    st = NULL;
    printf("Users aged 40-49 (index %s): %d\n", users_indexes[0].name, forties);
    /* The named query `adults` now runs from the declared index users_age (aerogen chose it). */
    aero_query_plan plan = AERO_QUERY_PLAN_INIT;
    CHECK(user_adults_explain(session, 40, &plan, &err));
    printf("Named query adults(40): %s%s (%s)\n", plan.uses_index ? "index " : "no index", plan.index_name,
           plan.filter);
    st = user_adults(session, 40, &err);
    if (!st)
        goto out;
    int adults = 0;
    for (const aero_record *r; (r = aero_stream_next(st, &err));)
        adults++;
    CHECK(err.code);
    aero_stream_close(st);
    st = NULL;
    printf("Adults of 40 or more: %d\n", adults);
    static const char *const probe[] = { "user-10", "user-404", "user-12" };
    bool exists[3];
    CHECK(user_exists_many(session, probe, 3, exists, results, &err));
    for (int i = 0; i < 3; i++)
        printf("Exists %s: %s\n", probe[i], exists[i] ? "yes" : "no");

    /* A mixed batch: typed rows of different verbs (and untyped rows) in one round trip per node. */
    aero_batch *batch = aero_session_batch(session);
    user frank = USER_INIT;
    frank.name = "Frank";
    user_batch_insert(batch, "user-13", &frank); /* row 0 */
    team[0].age = 41;
    user_batch_update(batch, "user-10", &team[0]); /* row 1: Carol turns 41 */
    user_batch_get(batch, "user-11");              /* row 2 */
    user_batch_delete(batch, "user-12");           /* row 3 */
    st = aero_batch_execute(batch, &err);
    if (!st)
        goto out;
    for (const aero_record *r; (r = aero_stream_next(st, &err));) {
        printf("Batch row %d: %s", r->index, aero_status_str(r->result));
        user row;
        if (r->index == 2 && user_from_record(r, &row, &err) == AERO_OK)
            printf(" name=%s", row.name);
        printf("\n");
    }
    CHECK(err.code);
    aero_stream_close(st);
    st = NULL;

    static const char *const gone[] = { "user-10", "user-11", "user-12", "user-13" };
    bool was_there[4];
    aero_status del[4];
    CHECK(user_delete_many(session, gone, 4, was_there, del, NULL, &err));
    printf("Deleted many: %d %d %d %d\n", was_there[0], was_there[1], was_there[2], was_there[3]);

    /* Cleanup. */
    bool existed = false;
    CHECK(user_delete(session, "user-1", &existed, &err));
    CHECK(user_delete(session, "user-2", NULL, &err));
    for (size_t i = 0; i < USERS_INDEX_COUNT; i++)
        CHECK(aero_index_drop(session, users_indexes[i].ns, users_indexes[i].name, &err));
    printf("Deleted user 1: %s\nDone.\n", existed ? "yes" : "no");
    rc = 0;
out:
    aero_stream_close(st);
    aero_record_dispose(&holder);
    aero_session_free(session);
    aero_client_close(client);
    aero_testserver_stop(server);
    return rc;
}
