/*
 * index_example.c - secondary indexes: create a numeric index and a
 * geo index, wait until they are readable, query by an index filter (with a
 * where() for the rest), let the client pick the index from a where() and
 * ask it why (explain), list the indexes, drop them.
 *
 * Runs against an embedded aero-testserver, or a real cluster with
 * AERO_HOSTS=host:port.
 */
#include <aero/aero.h>
#include <stdio.h>
#include <string.h>

#include "example_env.h"

static void print_rows(const char *label, aero_query *q) {
    aero_error err;
    aero_stream *st = aero_query_execute(q, &err);
    printf("%s:", label);
    size_t n = 0;
    for (const aero_record *r; st && (r = aero_stream_next(st, &err));) {
        printf(" %s", aero_record_str(r, "name"));
        n++;
    }
    if (err.code)
        printf(" (error: %s)", err.message);
    printf("  [%zu rows]\n", n);
    aero_stream_close(st);
}

int main(void) {
    aero_testserver *server;
    aero_client *client = example_connect(&server);
    if (!client)
        return 1;
    int rc = 1;
    aero_error err;
    aero_session *s = aero_client_create_session(client, NULL, &err);
    aero_dataset shops = aero_dataset_of("test", "index_example");
    static const char *const names[] = { "ann", "bob", "cid", "dee", "eve", "fay" };
    static const double lng[] = { -122.42, -122.41, -122.27, -121.89, -122.45, -118.24 };
    static const double lat[] = { 37.77, 37.78, 37.80, 37.34, 37.76, 34.05 };
    for (int i = 0; i < 6; i++) {
        aero_key k = aero_dataset_id_str(&shops, names[i]);
        char loc[96];
        snprintf(loc, sizeof loc, "{\"type\":\"Point\",\"coordinates\":[%.2f,%.2f]}", lng[i], lat[i]);
        aero_write *w = aero_session_upsert(s, &k);
        aero_write_bin_set_str(w, "name", names[i]);
        aero_write_bin_set_int(w, "rating", 1 + i % 5);
        aero_write_bin_set_str(w, "kind", i % 2 ? "cafe" : "bakery");
        aero_write_bin_set_geojson(w, "loc", loc);
        CHECK(aero_write_execute(w, NULL, &err));
    }

    /* A numeric index on rating and a geo index on loc; create is idempotent. */
    aero_index_def rating = AERO_INDEX_DEF_INIT;
    rating.ns = "test";
    rating.set = "index_example";
    rating.name = "ix_example_rating";
    rating.bin = "rating";
    rating.type = AERO_INDEX_NUMERIC;
    aero_index_def loc = rating;
    loc.name = "ix_example_loc";
    loc.bin = "loc";
    loc.type = AERO_INDEX_GEO2DSPHERE;
    CHECK(aero_index_create(s, &rating, &err));
    CHECK(aero_index_create(s, &loc, &err));
    CHECK(aero_index_wait(s, "test", rating.name, 10000, &err));
    CHECK(aero_index_wait(s, "test", loc.name, 10000, &err));

    /* Index filter: rating 3..5; the where() filters what the index returns. */
    aero_index_filter f = aero_index_range("rating", 3, 5);
    print_rows("rating 3..5", aero_query_filter(aero_session_query(s, &shops), &f));
    print_rows("rating 3..5 cafes",
               aero_query_where(aero_query_filter(aero_session_query(s, &shops), &f), "$.kind == 'cafe'"));

    /* Geo: within 15 km of downtown San Francisco. */
    f = aero_index_geo_within_radius("loc", -122.42, 37.77, 15000);
    print_rows("within 15 km of SF", aero_query_filter(aero_session_query(s, &shops), &f));

    /* Automatic choice: the client uses the rating index for `$.rating >= 4`. */
    aero_query *q = aero_query_where(aero_session_query(s, &shops), "$.rating >= 4 and $.kind == 'bakery'");
    aero_query_plan plan = AERO_QUERY_PLAN_INIT;
    CHECK(aero_query_explain(q, &plan, &err));
    printf("explain: %s (%s)\n  why: %s\n", plan.uses_index ? plan.index_name : "no index", plan.filter, plan.reason);
    print_rows("rating >= 4 bakeries", q);

    aero_index_info *list;
    size_t n;
    CHECK(aero_index_list(s, "test", &list, &n, &err));
    for (size_t i = 0; i < n; i++)
        if (!strncmp(list[i].name, "ix_example_", 11))
            printf("index %s on %s.%s, %s\n", list[i].name, list[i].set, list[i].bin,
                   list[i].state == AERO_INDEX_STATE_RW ? "readable" : "building");
    aero_index_list_free(list, n);

    CHECK(aero_index_drop(s, "test", rating.name, &err));
    CHECK(aero_index_drop(s, "test", loc.name, &err));
    rc = 0;
out:
    aero_session_free(s);
    aero_client_close(client);
    aero_testserver_stop(server);
    return rc;
}
