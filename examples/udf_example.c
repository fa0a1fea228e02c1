/*
 * udf_example.c - user-defined functions and background jobs: register a
 * Lua module (counter.lua), call its functions on one key and in a batch,
 * see a Lua error come back with its message, run a UDF and a write job
 * over every record a query matches, and remove the module.
 *
 *     udf_example [path/to/counter.lua]     (default: examples/counter.lua)
 *
 * Runs against an embedded aero-testserver (which runs Lua when it was built
 * with Lua 5.4), or a real cluster with AERO_HOSTS=host:port.
 */
#include <aero/aero.h>
#include <stdio.h>
#include <string.h>

#include "example_env.h"

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "examples/counter.lua";
    aero_testserver *server;
    aero_client *client = example_connect(&server);
    if (!client)
        return 1;
    int rc = 1;
    aero_error err;
    aero_session *s = aero_client_create_session(client, NULL, &err);
    aero_dataset ds = aero_dataset_of("test", "udf_example");
    aero_key k = aero_dataset_id_str(&ds, "page-1");
    aero_record rec;
    aero_record_init(&rec);
    aero_job *job = NULL;

    /* register the module, waiting (at most 10 s) until every node has it */
    CHECK(aero_udf_register_file(client, path, "counter.lua", 10000, &err));
    aero_udf_module *mods = NULL;
    size_t n_mods = 0;
    CHECK(aero_udf_list(client, &mods, &n_mods, &err));
    for (size_t i = 0; i < n_mods; i++)
        if (!strcmp(mods[i].name, "counter.lua"))
            printf("registered %s (%s)\n", mods[i].name, mods[i].type);
    aero_udf_modules_free(mods);

    /* one key: counter.incr(rec, "views", 5), twice */
    CHECK(aero_write_execute(aero_session_delete(s, &k), NULL, &err));
    aero_value args[] = { aero_str("views"), aero_int(5) };
    if (aero_session_apply(s, &k, "counter", "incr", args, 2, &rec, &err) != AERO_OK) {
        if (server && strstr(err.message, "without Lua")) {
            printf("skipped: %s\n", err.message); /* the embedded server cannot run Lua */
            rc = 77;
        } else
            fprintf(stderr, "apply: %s: %s\n", aero_status_str(err.code), err.message);
        goto out;
    }
    CHECK(aero_session_apply(s, &k, "counter", "incr", args, 2, &rec, &err));
    printf("views after two calls: %lld (generation %u)\n", (long long)aero_udf_result(&rec)->v.i, rec.generation);

    /* a map back from Lua */
    CHECK(aero_session_apply(s, &k, "counter", "describe", NULL, 0, &rec, &err));
    char text[256];
    aero_value_format(aero_udf_result(&rec), text, sizeof text);
    printf("describe: %s\n", text);

    /* a Lua error() is AERO_ERR_UDF with the function's message */
    aero_value limit[] = { aero_str("views"), aero_int(7) };
    if (aero_session_apply(s, &k, "counter", "check", limit, 2, &rec, &err) == AERO_ERR_UDF)
        printf("check failed as expected: %s\n",
               strstr(err.message, "views is") ? strstr(err.message, "views is") : err.message);

    /* a batch of UDF rows: one round trip per node, a result per row */
    aero_key pages[3] = { aero_dataset_id_str(&ds, "page-1"), aero_dataset_id_str(&ds, "page-2"),
                          aero_dataset_id_str(&ds, "page-3") };
    aero_value one[] = { aero_str("views"), aero_int(1) };
    aero_batch *b = aero_session_batch(s);
    aero_batch_udf_keys(b, pages, 3, "counter", "incr", one, 2);
    aero_stream *st = aero_batch_execute(b, &err);
    if (!st)
        CHECK(err.code);
    for (const aero_record *r; (r = aero_stream_next(st, &err));)
        printf("batch row %d: %s views=%lld\n", r->index, aero_status_str(r->result),
               r->result == AERO_OK ? (long long)aero_udf_result(r)->v.i : -1LL);
    aero_stream_close(st);

    /* a background UDF over every record of the set with views > 1 */
    aero_query *q = aero_session_query(s, &ds);
    aero_query_where(q, "$.views > 1");
    aero_value reset[] = { aero_str("views") };
    aero_query_background_udf(q, "counter", "reset", reset, 1);
    job = aero_query_execute_background(q, &err);
    if (!job)
        CHECK(err.code);
    aero_job_status js = AERO_JOB_STATUS_INIT;
    CHECK(aero_job_wait(job, 30000, &js, &err));
    printf("background reset: %llu records\n", (unsigned long long)js.records_succeeded);
    aero_job_free(job);
    job = NULL;

    /* a background write job, throttled to 100 records per second per node */
    q = aero_session_query(s, &ds);
    aero_query_records_per_second(q, 100);
    aero_write_bin_set_str(aero_query_background_update(q), "state", "archived");
    job = aero_query_execute_background(q, &err);
    if (!job)
        CHECK(err.code);
    CHECK(aero_job_wait(job, 30000, &js, &err));
    printf("background update: %llu records, done on %u of %u nodes\n", (unsigned long long)js.records_succeeded,
           js.nodes_done, js.nodes);

    CHECK(aero_session_get(s, &k, NULL, 0, &rec, &err));
    aero_record_format_bins(&rec, text, sizeof text);
    printf("page-1 now: %s\n", text);

    CHECK(aero_udf_remove(client, "counter.lua", 10000, &err));
    printf("module removed\n");
    rc = 0;
out:
    aero_job_free(job);
    aero_record_dispose(&rec);
    aero_session_free(s);
    aero_client_close(client);
    aero_testserver_stop(server);
    return rc;
}
