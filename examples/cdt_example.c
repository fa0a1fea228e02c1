/*
 * cdt_example.c - data operations inside bins: a leaderboard in a key-ordered
 * map (top 3 by rank), an event list capped with trim, a unique-visitor count
 * in a HyperLogLog bin and a feature-flag bitmap, each as aero_op values
 * attached to one operate (aero_write_op) or a read (aero_query_op).
 *
 * Runs against an embedded aero-testserver, or a real cluster with
 * AERO_HOSTS=host:port.
 */
#include <aero/aero.h>
#include <aero/bit.h>
#include <aero/hll.h>
#include <stdio.h>

#include "example_env.h"

static void show(const char *label, const aero_value *v) {
    char buf[256];
    aero_value_format(v, buf, sizeof buf);
    printf("%-26s %s\n", label, buf);
}

int main(void) {
    aero_testserver *server;
    aero_client *client = example_connect(&server);
    if (!client)
        return 1;
    int rc = 1;
    aero_error err;
    aero_session *s = aero_client_create_session(client, NULL, &err);
    aero_dataset games = aero_dataset_of("test", "cdt_example");
    aero_key day = aero_dataset_id_str(&games, "2026-12-01");
    aero_record rec;
    aero_record_init(&rec);
    CHECK(aero_write_execute(aero_session_delete(s, &day), NULL, &err));

    /* Leaderboard: a key-ordered map of player -> score. Several puts and an
     * increment in one operate; the map is created key-ordered on first use. */
    aero_map_policy ordered = { .order = AERO_MAP_KEY_ORDERED };
    const char *players[] = { "ann", "bob", "cid", "dee", "eve" };
    const int64_t scores[] = { 120, 340, 75, 410, 290 };
    aero_write *w = aero_session_upsert(s, &day);
    for (int i = 0; i < 5; i++)
        aero_write_op(w, aero_map_put(AERO_BIN("scores"), aero_str(players[i]), aero_int(scores[i]), &ordered));
    aero_write_op(w, aero_map_increment(AERO_BIN("scores"), aero_str("cid"), aero_int(300), &ordered));
    CHECK(aero_write_execute(w, NULL, &err));

    /* Top 3 by rank: the three highest values, as key/value pairs (a map, so in key order). */
    aero_query *q = aero_session_query_key(s, &day);
    aero_query_op(q, aero_map_get_by_rank_range(AERO_BIN("scores"), -3, 3, AERO_CDT_RETURN_KEY_VALUE));
    aero_stream *st = aero_query_execute(q, &err);
    const aero_record *r = st ? aero_stream_next(st, &err) : NULL;
    if (!r) {
        aero_stream_close(st);
        CHECK(err.code ? err.code : AERO_ERR_KEY_NOT_FOUND);
    }
    show("top 3 (key, score):", aero_record_get(r, "scores"));
    aero_stream_close(st);

    /* Event list capped at the last 4 events: append, then trim to the tail,
     * in one operate; the append's result is the list size before the trim. */
    const char *events[] = { "login", "view", "buy", "view", "logout", "login" };
    for (int i = 0; i < 6; i++) {
        w = aero_session_upsert(s, &day);
        aero_write_op(w, aero_list_append(AERO_BIN("events"), aero_str(events[i]), NULL));
        aero_write_op(w, aero_list_trim(AERO_BIN("events"), -4, 4));
        CHECK(aero_write_execute(w, NULL, &err));
    }

    /* Unique visitors: an HLL with 2^12 registers; repeated visitors count once. */
    aero_value visitors[] = { aero_str("u1"), aero_str("u2"), aero_str("u3"), aero_str("u2"), aero_str("u1") };
    w = aero_session_upsert(s, &day);
    aero_write_op(w, aero_hll_add(AERO_BIN("visitors"), aero_list(visitors, 5), 12, 0, NULL));
    CHECK(aero_write_execute(w, NULL, &err));

    /* Feature flags: a 2-byte bitmap; turn flags 1 and 9 on, then count them. */
    static const uint8_t on[] = { 0x80 };
    w = aero_session_upsert(s, &day);
    aero_write_op(w, aero_bit_resize(AERO_BIN("flags"), 2, AERO_BIT_RESIZE_DEFAULT_END, NULL));
    aero_write_op(w, aero_bit_set(AERO_BIN("flags"), 1, 1, on, 1, NULL));
    aero_write_op(w, aero_bit_set(AERO_BIN("flags"), 9, 1, on, 1, NULL));
    CHECK(aero_write_execute(w, NULL, &err));

    /* Read it all back with ops in one operate: each op's result in order. */
    w = aero_session_update(s, &day);
    aero_write_op(w, aero_list_get_range_from(AERO_BIN("events"), 0));
    aero_write_op(w, aero_hll_get_count(AERO_BIN("visitors")));
    aero_write_op(w, aero_bit_count(AERO_BIN("flags"), 0, 16));
    aero_write_op(w, aero_map_size(AERO_BIN("scores")));
    CHECK(aero_write_execute(w, &rec, &err));
    show("last 4 events:", aero_record_get(&rec, "events"));
    show("unique visitors (est.):", aero_record_get(&rec, "visitors"));
    show("flags on:", aero_record_get(&rec, "flags"));
    show("players:", aero_record_get(&rec, "scores"));

    /* A bad op is refused before anything is sent. */
    w = aero_session_upsert(s, &day);
    aero_write_op(w, aero_hll_init(AERO_BIN("visitors"), 99, 0, NULL));
    if (aero_write_execute(w, NULL, &err) == AERO_OK) {
        fprintf(stderr, "an HLL with 99 index bits was accepted\n");
        goto out;
    }
    printf("%-26s %s: %s\n", "refused:", aero_status_str(err.code), err.message);
    rc = 0;
out:
    aero_record_dispose(&rec);
    aero_session_free(s);
    aero_client_close(client);
    aero_testserver_stop(server);
    return rc;
}
