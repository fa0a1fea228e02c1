/*
 * consumer.c - a program outside the aero tree, built only from an install
 * (pkg-config or the CMake package): the typed API aerogen generated from
 * shop.aero, libaero, and the embedded aero-testserver (or the cluster named
 * by AERO_HOSTS). A typed upsert, then a typed get of the same key; exit 0
 * when every field comes back.
 */
#include "shop.aero.h"

#include <aero/testserver.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what, const aero_error *err) {
    fprintf(stderr, "consumer (C): %s: %s: %s\n", what, aero_status_str(err->code), err->message);
    return 1;
}

static int round_trip(aero_session *session, const char *key) {
    aero_error err;
    static const char *const tags[] = { "desk", "led" };
    product in = PRODUCT_INIT;
    in.name = "lamp";
    in.has_price = true;
    in.price = 42;
    in.has_tags = true;
    in.tags.items = tags;
    in.tags.count = 2;
    if (product_upsert(session, key, &in, &err) != AERO_OK)
        return fail("upsert", &err);

    aero_record holder; /* owns the strings and lists `out` points to */
    aero_record_init(&holder);
    product out;
    int rc = 0;
    if (product_get(session, key, &out, &holder, &err) != AERO_OK) {
        rc = fail("get", &err);
    } else if (strcmp(out.name, "lamp") != 0 || !out.has_price || out.price != 42 || !out.has_tags ||
               out.tags.count != 2) {
        fprintf(stderr, "consumer (C): read back something else than was written\n");
        rc = 1;
    }
    aero_record_dispose(&holder);
    if (product_delete(session, key, NULL, &err) != AERO_OK && rc == 0)
        rc = fail("delete", &err);
    return rc;
}

int main(void) {
    aero_error err;
    aero_testserver *server = NULL;
    const char *seeds = getenv("AERO_HOSTS");
    if (!seeds || !*seeds) {
        server = aero_testserver_start(NULL, &err);
        if (!server)
            return fail("start the embedded aero-testserver", &err);
        seeds = aero_testserver_seeds(server);
    }
    aero_client *client = aero_client_connect(seeds, NULL, &err);
    if (!client) {
        aero_testserver_stop(server);
        return fail("connect", &err);
    }
    aero_session *session = aero_client_create_session(client, NULL, &err);
    if (!session) {
        aero_client_close(client);
        aero_testserver_stop(server);
        return fail("create a session", &err);
    }
    char key[64]; /* unique per run: a shared cluster is fine */
    snprintf(key, sizeof key, "downstream-c-%ld-%d", (long)time(NULL), (int)getpid());
    int rc = round_trip(session, key);
    if (rc == 0)
        printf("consumer (C): typed upsert/get of %s through %s: ok (aero %s)\n", key,
               server ? "the embedded aero-testserver" : seeds, aero_version_string());
    aero_session_free(session);
    aero_client_close(client);
    aero_testserver_stop(server);
    return rc;
}
