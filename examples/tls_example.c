/*
 * tls_example.c - connect with TLS (mutual TLS here), verify the server's
 * certificate and name, run a command, and see what a failed verification
 * reports.
 *
 * Against a real TLS cluster:
 *   AERO_TLS_HOSTS=10.0.0.1:node1.example.com:4333 AERO_TLS_CA=ca.pem \
 *   [AERO_TLS_CERT=client.pem AERO_TLS_KEY=client.key] ./tls_example
 * Otherwise it makes a throw-away CA, server and client certificates (with
 * OpenSSL, in a temporary directory) and starts an embedded aero-testserver
 * whose TLS listener requires a client certificate.
 */
#include <aero/aero.h>
#include <aero/testserver.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_certs.h"

int main(void) {
    int rc = 1;
    aero_error err;
    aero_testserver *ts = NULL;
    aero_client *client = NULL;
    aero_session *s = NULL;
    tc_dir dir = { "" };
    tc_ca *ca = NULL;
    char ca_file[512], cert_file[512], key_file[512], srv_cert[512], srv_key[512];

    const char *hosts = getenv("AERO_TLS_HOSTS");
    aero_client_config cfg = AERO_CLIENT_CONFIG_INIT;
    cfg.tls_enabled = true;
    if (hosts && *hosts) {
        cfg.tls_ca_file = getenv("AERO_TLS_CA");
        cfg.tls_cert_file = getenv("AERO_TLS_CERT");
        cfg.tls_key_file = getenv("AERO_TLS_KEY");
    } else {
        /* certificates for this run only: CA, server (name node.example.test), client */
        if (!tc_dir_make(&dir) || !(ca = tc_ca_new("example CA")) || !tc_ca_write(ca, &dir, "ca") ||
            !tc_issue(ca, &dir, "server", "DNS:node.example.test", -60, 3600, false) ||
            !tc_issue(ca, &dir, "client", "DNS:app.example.test", -60, 3600, true)) {
            fprintf(stderr, "cannot make certificates\n");
            goto out;
        }
        snprintf(ca_file, sizeof ca_file, "%s", tc_path(&dir, "ca.crt"));
        snprintf(cert_file, sizeof cert_file, "%s", tc_path(&dir, "client.crt"));
        snprintf(key_file, sizeof key_file, "%s", tc_path(&dir, "client.key"));
        snprintf(srv_cert, sizeof srv_cert, "%s", tc_path(&dir, "server.crt"));
        snprintf(srv_key, sizeof srv_key, "%s", tc_path(&dir, "server.key"));
        aero_testserver_config tcfg = AERO_TESTSERVER_CONFIG_INIT;
        tcfg.tls_cert_file = srv_cert;
        tcfg.tls_key_file = srv_key;
        tcfg.tls_ca_file = ca_file;
        tcfg.tls_require_client_cert = true;
        tcfg.tls_name = "node.example.test";
        if (!(ts = aero_testserver_start(&tcfg, &err))) {
            fprintf(stderr, "cannot start the test server: %s\n", err.message);
            goto out;
        }
        hosts = aero_testserver_tls_seeds(ts); /* "127.0.0.1:node.example.test:<port>" */
        cfg.tls_ca_file = ca_file;
        cfg.tls_cert_file = cert_file;
        cfg.tls_key_file = key_file;
    }

    /* 1. Connect: the handshake verifies the chain and the name in the seed. */
    client = aero_client_connect(hosts, &cfg, &err);
    if (!client) {
        fprintf(stderr, "TLS connect failed: %s (%s)\n", err.message, aero_status_str(err.code));
        goto out;
    }
    printf("connected over TLS\n");

    /* 2. Commands run as usual. */
    s = aero_client_create_session(client, &AERO_BEHAVIOR_DEFAULT, &err);
    aero_dataset ds = aero_dataset_of("test", "tls_example");
    aero_key key = aero_dataset_id_str(&ds, "greeting");
    aero_write *w = aero_session_upsert(s, &key);
    aero_write_bin_set_str(w, "text", "hello over TLS");
    if (aero_write_execute(w, NULL, &err) != AERO_OK) {
        fprintf(stderr, "upsert: %s\n", err.message);
        goto out;
    }
    aero_record rec;
    aero_record_init(&rec);
    if (aero_session_get(s, &key, NULL, 0, &rec, &err) != AERO_OK) {
        fprintf(stderr, "get: %s\n", err.message);
        goto out;
    }
    printf("read back: %s\n", aero_record_str(&rec, "text"));
    aero_record_dispose(&rec);

    /* 3. A name the certificate does not carry is refused, and the error says so. */
    if (ts) {
        char wrong[128];
        snprintf(wrong, sizeof wrong, "127.0.0.1:other.example.test:%u", aero_testserver_tls_port(ts, 0));
        aero_client *bad = aero_client_connect(wrong, &cfg, &err);
        if (bad) {
            fprintf(stderr, "a wrong TLS name was accepted\n");
            aero_client_close(bad);
            goto out;
        }
        printf("wrong name refused: %s: %s\n", aero_status_str(err.code), err.message);
    }
    rc = 0;
out:
    aero_session_free(s);
    aero_client_close(client);
    aero_testserver_stop(ts);
    tc_ca_free(ca);
    if (dir.path[0])
        tc_dir_remove(&dir);
    return rc;
}
