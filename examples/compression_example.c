/*
 * compression_example.c - compress large requests and answers (Enterprise
 * servers only) with a behavior: requests over the threshold go out as zlib
 * messages, and the server is asked to compress what it sends back.
 *
 * With AERO_HOSTS it runs against that cluster (a Community Edition server
 * refuses compressed requests with 25, ENTERPRISE_ONLY, which the example
 * shows); otherwise against an embedded aero-testserver with Enterprise
 * compression on.
 */
#include <aero/aero.h>
#include <aero/testserver.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    int rc = 1;
    aero_error err;
    aero_testserver *ts = NULL;
    aero_client *client = NULL;
    aero_session *s = NULL;
    char *text = NULL;
    const char *hosts = getenv("AERO_HOSTS");
    if (!hosts || !*hosts) {
        aero_testserver_config tcfg = AERO_TESTSERVER_CONFIG_INIT;
        tcfg.compression = true; /* as Enterprise Edition */
        if (!(ts = aero_testserver_start(&tcfg, &err))) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        hosts = aero_testserver_seeds(ts);
    }
    client = aero_client_connect(hosts, NULL, &err);
    if (!client) {
        fprintf(stderr, "connect: %s\n", err.message);
        goto out;
    }

    /* A behavior that compresses every command whose request is over 256 bytes. */
    aero_behavior compressed = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "compressed");
    compressed.compression_all.use_compression = 1;
    compressed.compression_all.compression_threshold = 256;
    s = aero_client_create_session(client, &compressed, &err);

    size_t n = 20000;
    text = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        text[i] = "compressible "[i % 13];
    text[n] = '\0';
    aero_dataset ds = aero_dataset_of("test", "compression_example");
    aero_key key = aero_dataset_id_str(&ds, "doc");
    aero_write *w = aero_session_upsert(s, &key);
    aero_write_bin_set_str(w, "body", text);
    aero_status st = aero_write_execute(w, NULL, &err);
    if (st == AERO_ERR_ENTERPRISE_ONLY) {
        printf("this server does not take compressed requests: %s\n", err.message);
        rc = 0;
        goto out;
    }
    if (st != AERO_OK) {
        fprintf(stderr, "upsert: %s\n", err.message);
        goto out;
    }
    aero_record rec;
    aero_record_init(&rec);
    if (aero_session_get(s, &key, NULL, 0, &rec, &err) != AERO_OK) {
        fprintf(stderr, "get: %s\n", err.message);
        goto out;
    }
    const char *back = aero_record_str(&rec, "body");
    printf("wrote and read back %zu bytes, compressed both ways: %s\n", n,
           back && strcmp(back, text) == 0 ? "identical" : "DIFFERENT");
    rc = back && strcmp(back, text) == 0 ? 0 : 1;
    aero_record_dispose(&rec);
out:
    free(text);
    aero_session_free(s);
    aero_client_close(client);
    aero_testserver_stop(ts);
    return rc;
}
