/*
 * test_tls.c - TLS through the public API (aero_client_config tls_*),
 * against aero-testserver's TLS listener with certificates made by the test
 * (tests/support/test_certs.h). Community Edition has no TLS, so these run
 * against the test server even when AERO_HOSTS names a real cluster.
 *
 * Each failure mode is checked for its code (AERO_ERR_TLS) and for a message
 * that says what failed, and for failing within the connect timeout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <aero/aero.h>
#include <aero/testserver.h>

#include "aero_assert.h"
#include "test_certs.h"

#define NAME "node.aero.test"

#define assert_non_null_msg(p, msg) \
    do {                            \
        if (!(p))                   \
            fail_msg("%s", (msg));  \
    } while (0)
#define assert_true_msg(c, msg) assert_non_null_msg((c), (msg))

typedef struct fixture {
    tc_dir dir;
    tc_ca *ca, *other_ca;
} fixture;

static fixture F;

static int setup(void **state) {
    if (!tc_dir_make(&F.dir) || !(F.ca = tc_ca_new("aero test CA")) || !(F.other_ca = tc_ca_new("another CA")) ||
        !tc_ca_write(F.ca, &F.dir, "ca") || !tc_ca_write(F.other_ca, &F.dir, "other-ca") ||
        !tc_issue(F.ca, &F.dir, "server", "DNS:" NAME ",DNS:*.wild.aero.test,IP:127.0.0.1", -60, 3600, false) ||
        !tc_issue(F.ca, &F.dir, "expired", "DNS:" NAME, -7200, -3600, false) ||
        !tc_issue(F.ca, &F.dir, "client", "DNS:client.aero.test", -60, 3600, true) ||
        !tc_issue(F.ca, &F.dir, "nobody", "DNS:nobody.aero.test", -60, 3600, true) ||
        !tc_issue(F.other_ca, &F.dir, "stranger", "DNS:client.aero.test", -60, 3600, true) ||
        !tc_crl_write(F.ca, &F.dir, "empty", NULL) || !tc_crl_write(F.ca, &F.dir, "revoked", "server") ||
        !tc_ca_write_hashed(F.ca, &F.dir, "ca-dir") || !tc_key_encrypt(&F.dir, "client", "client-enc", "s3cret")) {
        fprintf(stderr, "could not make test certificates in %s\n", F.dir.path);
        return -1;
    }
    (void)state;
    return 0;
}

static int teardown(void **state) {
    tc_ca_free(F.ca);
    tc_ca_free(F.other_ca);
    tc_dir_remove(&F.dir);
    (void)state;
    return 0;
}

/* A test server with TLS: cert "<cert>.crt/.key", optionally requiring client certificates. */
static aero_testserver *tls_server(const char *cert, unsigned nodes, bool require_client) {
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    char crt[128], key[128];
    snprintf(crt, sizeof crt, "%s.crt", cert);
    snprintf(key, sizeof key, "%s.key", cert);
    char crt_path[512], key_path[512], ca_path[512];
    snprintf(crt_path, sizeof crt_path, "%s", tc_path(&F.dir, crt));
    snprintf(key_path, sizeof key_path, "%s", tc_path(&F.dir, key));
    snprintf(ca_path, sizeof ca_path, "%s", tc_path(&F.dir, "ca.crt"));
    cfg.tls_cert_file = crt_path;
    cfg.tls_key_file = key_path;
    cfg.tls_ca_file = ca_path;
    cfg.tls_require_client_cert = require_client;
    cfg.tls_name = NAME;
    cfg.nodes = nodes;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    if (!ts)
        fail_msg("test server: %s", err.message);
    return ts;
}

static char ca_file[512], client_crt[512], client_key[512];

static aero_client_config tls_config(const char *ca) {
    aero_client_config cfg = AERO_CLIENT_CONFIG_INIT;
    snprintf(ca_file, sizeof ca_file, "%s", tc_path(&F.dir, ca));
    cfg.tls_enabled = true;
    cfg.tls_ca_file = ca_file;
    cfg.connect_timeout_ms = 1000;
    return cfg;
}

static double ms_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Connect must fail with AERO_ERR_TLS, a message containing `what`, within `max_ms`. */
static void expect_tls_failure(const char *seeds, const aero_client_config *cfg, const char *what, double max_ms) {
    aero_error err;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    aero_client *c = aero_client_connect(seeds, cfg, &err);
    double ms = ms_since(&t0);
    if (c) {
        aero_client_close(c);
        fail_msg("connect to %s succeeded, expected a TLS failure (%s)", seeds, what);
    }
    if (err.code != AERO_ERR_TLS || !strstr(err.message, what))
        fail_msg("expected AERO_ERR_TLS with \"%s\", got %s (%d): %s", what, aero_status_str(err.code), err.code,
                 err.message);
    if (ms > max_ms)
        fail_msg("TLS failure took %.0f ms (limit %.0f): %s", ms, max_ms, err.message);
}

/* A round trip through the TLS connection: write, read back. */
static void round_trip(aero_client *c, const char *id) {
    aero_error err;
    aero_session *s = aero_client_create_session(c, &AERO_BEHAVIOR_DEFAULT, &err);
    assert_non_null(s);
    aero_dataset ds = aero_dataset_of("test", "tls");
    aero_key k = aero_dataset_id_str(&ds, id);
    aero_write *w = aero_session_upsert(s, &k);
    aero_write_bin_set_str(w, "name", "over TLS");
    aero_write_bin_set_int(w, "n", 42);
    assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
    aero_record r;
    aero_record_init(&r);
    assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
    assert_string_equal(aero_record_str(&r, "name"), "over TLS");
    assert_int_equal(aero_record_int(&r, "n", -1), 42);
    aero_record_dispose(&r);
    aero_session_free(s);
}

static void test_connect_and_round_trip(void **state) {
    aero_testserver *ts = tls_server("server", 1, false);
    aero_client_config cfg = tls_config("ca.crt");
    aero_error err;
    aero_client *c = aero_client_connect(aero_testserver_tls_seeds(ts), &cfg, &err);
    if (!c)
        fail_msg("TLS connect to %s: %s", aero_testserver_tls_seeds(ts), err.message);
    round_trip(c, "one");
    char build[64];
    assert_aero_ok(aero_client_info(c, "build", build, sizeof build, &err), &err);
    aero_client_close(c);
    aero_testserver_stop(ts);
    (void)state;
}

/* The TLS name can come from the config (every seed without its own), and an IP SAN matches the address. */
static void test_tls_name_from_config_and_ip(void **state) {
    aero_testserver *ts = tls_server("server", 1, false);
    char seed[64];
    snprintf(seed, sizeof seed, "127.0.0.1:%u", aero_testserver_tls_port(ts, 0));
    aero_client_config cfg = tls_config("ca.crt");
    cfg.tls_name = "a.wild.aero.test"; /* matched by the *.wild.aero.test SAN */
    aero_error err;
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    assert_non_null_msg(c, err.message);
    aero_client_close(c);
    cfg.tls_name = NULL; /* no name at all: checked against the host, 127.0.0.1, an IP SAN */
    c = aero_client_connect(seed, &cfg, &err);
    assert_non_null_msg(c, err.message);
    aero_client_close(c);
    /* a wildcard covers one label only */
    cfg.tls_name = "a.b.wild.aero.test";
    expect_tls_failure(seed, &cfg, "name mismatch", 1000);
    aero_testserver_stop(ts);
    (void)state;
}

/* Peers come from peers-tls-std: one TLS seed finds the three nodes on their TLS ports. */
static void test_peers_over_tls(void **state) {
    aero_testserver *ts = tls_server("server", 3, false);
    char seed[96];
    snprintf(seed, sizeof seed, "127.0.0.1:" NAME ":%u", aero_testserver_tls_port(ts, 1));
    aero_client_config cfg = tls_config("ca.crt");
    aero_error err;
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    assert_non_null_msg(c, err.message);
    aero_cluster_stats st = AERO_CLUSTER_STATS_INIT;
    assert_aero_ok(aero_client_stats(c, &st, &err), &err);
    assert_int_equal(st.n_nodes, 3);
    for (unsigned i = 0; i < st.n_node_stats; i++) {
        char port[16];
        bool tls_port = false;
        for (unsigned n = 0; n < 3; n++) {
            snprintf(port, sizeof port, ":%u", aero_testserver_tls_port(ts, n));
            tls_port |= strstr(st.nodes[i].address, port) != NULL;
        }
        assert_true_msg(tls_port, st.nodes[i].address);
    }
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof id, "k%d", i);
        round_trip(c, id);
    }
    /* a batch over every node at once: the answers arrive through TLS, read as they come */
    aero_session *s = aero_client_create_session(c, &AERO_BEHAVIOR_DEFAULT, &err);
    aero_dataset ds = aero_dataset_of("test", "tls");
    aero_key keys[20];
    char ids[20][16];
    for (int i = 0; i < 20; i++) {
        snprintf(ids[i], sizeof ids[i], "k%d", i);
        keys[i] = aero_dataset_id_str(&ds, ids[i]);
    }
    for (int round = 0; round < 3; round++) {
        aero_stream *bs = aero_batch_execute(aero_batch_read_keys(aero_session_batch(s), keys, 20), &err);
        assert_non_null_msg(bs, err.message);
        int rows = 0;
        for (const aero_record *r; (r = aero_stream_next(bs, &err)); rows++) {
            assert_int_equal(r->result, AERO_OK);
            assert_int_equal(aero_record_int(r, "n", -1), 42);
        }
        assert_int_equal(rows, 20);
        aero_stream_close(bs);
    }
    aero_session_free(s);
    aero_client_close(c);
    aero_testserver_stop(ts);
    (void)state;
}

static void test_wrong_ca(void **state) {
    aero_testserver *ts = tls_server("server", 1, false);
    aero_client_config cfg = tls_config("other-ca.crt");
    expect_tls_failure(aero_testserver_tls_seeds(ts), &cfg, "untrusted server certificate", 1000);
    aero_testserver_stop(ts);
    (void)state;
}

static void test_wrong_name(void **state) {
    aero_testserver *ts = tls_server("server", 1, false);
    char seed[96];
    snprintf(seed, sizeof seed, "127.0.0.1:other.aero.test:%u", aero_testserver_tls_port(ts, 0));
    aero_client_config cfg = tls_config("ca.crt");
    expect_tls_failure(seed, &cfg, "name mismatch", 1000);
    aero_testserver_stop(ts);
    (void)state;
}

static void test_expired_certificate(void **state) {
    aero_testserver *ts = tls_server("expired", 1, false);
    aero_client_config cfg = tls_config("ca.crt");
    expect_tls_failure(aero_testserver_tls_seeds(ts), &cfg, "expired", 1000);
    aero_testserver_stop(ts);
    (void)state;
}

static void test_revoked_certificate(void **state) {
    aero_testserver *ts = tls_server("server", 1, false);
    aero_client_config cfg = tls_config("ca.crt");
    char crl[512];
    snprintf(crl, sizeof crl, "%s", tc_path(&F.dir, "revoked.crl"));
    cfg.tls_crl_file = crl;
    expect_tls_failure(aero_testserver_tls_seeds(ts), &cfg, "revoked", 1000);
    /* the CA's empty CRL lets the same certificate through */
    snprintf(crl, sizeof crl, "%s", tc_path(&F.dir, "empty.crl"));
    aero_error err;
    aero_client *c = aero_client_connect(aero_testserver_tls_seeds(ts), &cfg, &err);
    assert_non_null_msg(c, err.message);
    aero_client_close(c);
    aero_testserver_stop(ts);
    (void)state;
}

/* A TLS client at a clear-text port fails with AERO_ERR_TLS, well before the connect timeout. */
static void test_plain_server(void **state) {
    aero_testserver *ts = aero_testserver_start(NULL, NULL);
    assert_non_null(ts);
    char seed[96];
    snprintf(seed, sizeof seed, "127.0.0.1:" NAME ":%u", aero_testserver_port(ts, 0));
    aero_client_config cfg = tls_config("ca.crt");
    cfg.connect_timeout_ms = 3000;
    expect_tls_failure(seed, &cfg, "TLS handshake failed", 1000);
    aero_testserver_stop(ts);
    (void)state;
}

/* A peer that accepts TCP but never answers the ClientHello: the handshake stops at the connect timeout. */
static void test_handshake_timeout(void **state) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0 };
    socklen_t al = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 4), 0); /* the kernel completes the TCP handshake; nobody reads */
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
    char seed[96];
    snprintf(seed, sizeof seed, "127.0.0.1:" NAME ":%u", ntohs(a.sin_port));
    aero_client_config cfg = tls_config("ca.crt");
    cfg.connect_timeout_ms = 300;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    expect_tls_failure(seed, &cfg, "timed out", 1500);
    assert_true(ms_since(&t0) >= 280);
    close(fd);
    (void)state;
}

static void test_mutual_tls(void **state) {
    aero_testserver *ts = tls_server("server", 1, true);
    aero_client_config cfg = tls_config("ca.crt");
    /* required and missing: the server ends the handshake (TLS 1.2: a handshake failure alert; 1.3: certificate
     * required) */
    expect_tls_failure(aero_testserver_tls_seeds(ts), &cfg, "requires a client certificate", 1000);
    cfg.tls_protocols = "TLSv1.3";
    expect_tls_failure(aero_testserver_tls_seeds(ts), &cfg, "requires a client certificate", 1000);
    cfg.tls_protocols = NULL;
    aero_error err;
    aero_client *c;
    /* a certificate of another CA is refused as well */
    snprintf(client_crt, sizeof client_crt, "%s", tc_path(&F.dir, "stranger.crt"));
    snprintf(client_key, sizeof client_key, "%s", tc_path(&F.dir, "stranger.key"));
    cfg.tls_cert_file = client_crt;
    cfg.tls_key_file = client_key;
    expect_tls_failure(aero_testserver_tls_seeds(ts), &cfg, "refused the client certificate", 1000);
    /* the CA's client certificate is accepted */
    snprintf(client_crt, sizeof client_crt, "%s", tc_path(&F.dir, "client.crt"));
    snprintf(client_key, sizeof client_key, "%s", tc_path(&F.dir, "client.key"));
    c = aero_client_connect(aero_testserver_tls_seeds(ts), &cfg, &err);
    assert_non_null_msg(c, err.message);
    round_trip(c, "mtls");
    aero_client_close(c);
    /* an encrypted key, with its password (used while connecting only) and with a wrong one */
    snprintf(client_key, sizeof client_key, "%s", tc_path(&F.dir, "client-enc.key"));
    char password[16] = "s3cret";
    cfg.tls_key_password = password;
    c = aero_client_connect(aero_testserver_tls_seeds(ts), &cfg, &err);
    assert_non_null_msg(c, err.message);
    memset(password, 0, sizeof password); /* the client keeps no reference to it */
    round_trip(c, "mtls-enc");
    aero_client_close(c);
    cfg.tls_key_password = "wrong";
    expect_tls_failure(aero_testserver_tls_seeds(ts), &cfg, "cannot load the client key", 1000);
    aero_testserver_stop(ts);
    (void)state;
}

/* The CA from a directory of hashed certificates (tls_ca_path) instead of a file. */
static void test_ca_directory(void **state) {
    aero_testserver *ts = tls_server("server", 1, false);
    aero_client_config cfg = tls_config("ca.crt");
    char dir[512];
    snprintf(dir, sizeof dir, "%s", tc_path(&F.dir, "ca-dir"));
    cfg.tls_ca_file = NULL;
    cfg.tls_ca_path = dir;
    aero_error err;
    aero_client *c = aero_client_connect(aero_testserver_tls_seeds(ts), &cfg, &err);
    assert_non_null_msg(c, err.message);
    round_trip(c, "ca-dir");
    aero_client_close(c);
    /* a directory without the CA: untrusted */
    snprintf(dir, sizeof dir, "%s", F.dir.path);
    expect_tls_failure(aero_testserver_tls_seeds(ts), &cfg, "untrusted server certificate", 1000);
    aero_testserver_stop(ts);
    (void)state;
}

/* Settings that cannot be used are AERO_ERR_TLS at connect, naming the setting; bad seeds INVALID_HOST. */
static void test_bad_settings(void **state) {
    aero_client_config cfg = tls_config("missing-ca.crt");
    aero_error err;
    assert_null(aero_client_connect("127.0.0.1:" NAME ":4333", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_TLS);
    assert_non_null_msg(strstr(err.message, "missing-ca.crt"), err.message);
    cfg = tls_config("ca.crt");
    cfg.tls_protocols = "SSLv2";
    assert_null(aero_client_connect("127.0.0.1:4333", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_TLS);
    assert_non_null_msg(strstr(err.message, "SSLv2"), err.message);
    cfg = tls_config("ca.crt");
    cfg.tls_cipher_suite = "NO-SUCH-CIPHER";
    assert_null(aero_client_connect("127.0.0.1:4333", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_TLS);
    cfg = tls_config("ca.crt");
    snprintf(client_crt, sizeof client_crt, "%s", tc_path(&F.dir, "client.crt"));
    cfg.tls_cert_file = client_crt; /* no key */
    assert_null(aero_client_connect("127.0.0.1:4333", &cfg, &err));
    assert_int_equal(err.code, AERO_ERR_TLS);
    const char *bad_seeds[] = { "127.0.0.1:name:",      "127.0.0.1::4333x",     ":name:4333",
                                "127.0.0.1:na me:4333", "127.0.0.1:name:99999", "[::1]:name:" };
    cfg = tls_config("ca.crt");
    for (size_t i = 0; i < sizeof bad_seeds / sizeof bad_seeds[0]; i++) {
        assert_null(aero_client_connect(bad_seeds[i], &cfg, &err));
        if (err.code != AERO_ERR_INVALID_HOST)
            fail_msg("seed \"%s\": expected INVALID_HOST, got %d: %s", bad_seeds[i], err.code, err.message);
    }
    (void)state;
}

/* Protocol and cipher settings reach the handshake: TLS 1.3 only, and one named TLS 1.2 cipher. */
static void test_protocols_and_ciphers(void **state) {
    aero_testserver *ts = tls_server("server", 1, false);
    aero_client_config cfg = tls_config("ca.crt");
    cfg.tls_protocols = "TLSv1.3";
    aero_error err;
    aero_client *c = aero_client_connect(aero_testserver_tls_seeds(ts), &cfg, &err);
    assert_non_null_msg(c, err.message);
    round_trip(c, "tls13");
    aero_client_close(c);
    cfg = tls_config("ca.crt");
    cfg.tls_cipher_suite = "ECDHE-ECDSA-AES128-GCM-SHA256";
    c = aero_client_connect(aero_testserver_tls_seeds(ts), &cfg, &err);
    assert_non_null_msg(c, err.message);
    aero_client_close(c);
    cfg.tls_cipher_suite = "ECDHE-RSA-AES128-GCM-SHA256"; /* needs an RSA certificate: the server has EC */
    expect_tls_failure(aero_testserver_tls_seeds(ts), &cfg, "TLS handshake failed", 1000);
    aero_testserver_stop(ts);
    (void)state;
}

/*
 * A client that gives up in the middle of a large TLS answer: the server's
 * next write hits a closed socket. SIGPIPE keeps its default action in this
 * process, so a write that raised it would end the test here.
 */
static void test_client_gone_mid_answer(void **state) {
    aero_testserver_config cfg = AERO_TESTSERVER_CONFIG_INIT;
    char crt[512], key[512];
    snprintf(crt, sizeof crt, "%s", tc_path(&F.dir, "server.crt"));
    snprintf(key, sizeof key, "%s", tc_path(&F.dir, "server.key"));
    cfg.tls_cert_file = crt;
    cfg.tls_key_file = key;
    cfg.limits.max_record_size = 16u << 20;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    assert_non_null_msg(ts, err.message);
    size_t n = 12u << 20;
    uint8_t *blob = calloc(1, n);
    aero_dataset ds = aero_dataset_of("test", "tls");
    aero_key k = aero_dataset_id_str(&ds, "big");
    aero_bin_value bins[] = { { "b", aero_blob(blob, n) } };
    assert_aero_ok(aero_testserver_put(ts, &k, bins, 1, 0, &err), &err);
    free(blob);
    char seed[96];
    snprintf(seed, sizeof seed, "127.0.0.1:" NAME ":%u", aero_testserver_tls_port(ts, 0));
    aero_client_config ccfg = tls_config("ca.crt");
    aero_client *c = aero_client_connect(seed, &ccfg, &err);
    assert_non_null_msg(c, err.message);
    aero_behavior quick = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "quick");
    quick.all.socket_timeout_ms = 5;
    quick.all.total_timeout_ms = 5;
    quick.all.max_retries = 0;
    aero_session *s = aero_client_create_session(c, &quick, &err);
    aero_record r;
    aero_record_init(&r);
    for (int i = 0; i < 3; i++) /* each attempt times out and closes its connection mid-answer */
        assert_int_equal(aero_session_get(s, &k, NULL, 0, &r, &err), AERO_ERR_TIMEOUT);
    struct timespec pause = { 0, 300000000 };
    nanosleep(&pause, NULL); /* the server's writes meet the closed sockets */
    aero_record_dispose(&r);
    aero_session_free(s);
    aero_client_close(c);
    aero_testserver_stop(ts);
    (void)state;
}

/*
 * EXTERNAL (LDAP) authentication sends the clear password, so it is accepted
 * over TLS only; PKI needs a client certificate. Against a TLS test server
 * with access control, EXTERNAL logs in and serves commands.
 */
static void test_external_auth_needs_tls(void **state) {
    (void)state;
    aero_testserver_config tc = AERO_TESTSERVER_CONFIG_INIT;
    char crt[512], key[512];
    snprintf(crt, sizeof crt, "%s", tc_path(&F.dir, "server.crt"));
    snprintf(key, sizeof key, "%s", tc_path(&F.dir, "server.key"));
    tc.tls_cert_file = crt;
    tc.tls_key_file = key;
    tc.tls_name = NAME;
    tc.security = true;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&tc, &err);
    assert_non_null_msg(ts, err.message);
    char seeds[128];
    snprintf(seeds, sizeof seeds, "127.0.0.1:" NAME ":%u", (unsigned)aero_testserver_tls_port(ts, 0));

    aero_client_config cfg = tls_config("ca.crt");
    cfg.user = "admin";
    cfg.password = "admin";
    cfg.auth_mode = AERO_AUTH_EXTERNAL;
    aero_client *c = aero_client_connect(seeds, &cfg, &err);
    assert_non_null_msg(c, err.message);
    const char *roles[] = { "read-write" };
    assert_aero_ok(aero_admin_create_user(c, NULL, "writer", "pw-writer", roles, 1, &err), &err);
    aero_client_close(c);
    cfg.user = "writer"; /* a user with data privileges, logged in the EXTERNAL way */
    cfg.password = "pw-writer";
    c = aero_client_connect(seeds, &cfg, &err);
    assert_non_null_msg(c, err.message);
    round_trip(c, "external");
    aero_client_close(c);

    cfg.tls_enabled = false; /* the same credentials in clear text: refused before connecting */
    c = aero_client_connect(aero_testserver_seeds(ts), &cfg, &err);
    assert_null(c);
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "refused without TLS"));

    aero_client_config pki = tls_config("ca.crt"); /* PKI without a client certificate */
    pki.auth_mode = AERO_AUTH_PKI;
    c = aero_client_connect(seeds, &pki, &err);
    assert_null(c);
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "tls_cert_file is not set"));
    aero_testserver_stop(ts);
}

/*
 * PKI authentication: the client certificate is the identity. A TLS server
 * with access control that requires client certificates logs the client in
 * as the certificate's common name ("client"); a certificate naming no user
 * is refused with INVALID_USER.
 */
static void test_pki_auth(void **state) {
    (void)state;
    aero_testserver_config tc = AERO_TESTSERVER_CONFIG_INIT;
    char crt[512], key[512], ca[512];
    snprintf(crt, sizeof crt, "%s", tc_path(&F.dir, "server.crt"));
    snprintf(key, sizeof key, "%s", tc_path(&F.dir, "server.key"));
    snprintf(ca, sizeof ca, "%s", tc_path(&F.dir, "ca.crt"));
    tc.tls_cert_file = crt;
    tc.tls_key_file = key;
    tc.tls_ca_file = ca;
    tc.tls_require_client_cert = true;
    tc.tls_name = NAME;
    tc.security = true;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&tc, &err);
    assert_non_null_msg(ts, err.message);
    char seeds[128];
    snprintf(seeds, sizeof seeds, "127.0.0.1:" NAME ":%u", (unsigned)aero_testserver_tls_port(ts, 0));
    char ccrt[512], ckey[512], ncrt[512], nkey[512];
    snprintf(ccrt, sizeof ccrt, "%s", tc_path(&F.dir, "client.crt"));
    snprintf(ckey, sizeof ckey, "%s", tc_path(&F.dir, "client.key"));
    snprintf(ncrt, sizeof ncrt, "%s", tc_path(&F.dir, "nobody.crt"));
    snprintf(nkey, sizeof nkey, "%s", tc_path(&F.dir, "nobody.key"));

    aero_client_config adm = tls_config("ca.crt"); /* the admin (internal login, with a certificate) adds "client" */
    adm.tls_cert_file = ccrt;
    adm.tls_key_file = ckey;
    adm.user = "admin";
    adm.password = "admin";
    aero_client *c = aero_client_connect(seeds, &adm, &err);
    assert_non_null_msg(c, err.message);
    const char *roles[] = { "read-write" };
    assert_aero_ok(aero_admin_create_user(c, NULL, "client", "unused-password", roles, 1, &err), &err);
    aero_client_close(c);

    aero_client_config pki = tls_config("ca.crt");
    pki.auth_mode = AERO_AUTH_PKI;
    pki.tls_cert_file = ccrt;
    pki.tls_key_file = ckey;
    c = aero_client_connect(seeds, &pki, &err);
    assert_non_null_msg(c, err.message);
    round_trip(c, "pki"); /* every pooled connection logs in or authenticates with the PKI session */
    aero_user_list *users = NULL;
    aero_status st = aero_admin_query_users(c, NULL, "client", &users, &err); /* not user-admin: only oneself */
    assert_aero_ok(st, &err);
    aero_user_list_free(users);
    aero_client_close(c);

    pki.tls_cert_file = ncrt; /* a certificate the CA signed, for a user that does not exist */
    pki.tls_key_file = nkey;
    c = aero_client_connect(seeds, &pki, &err);
    assert_null(c);
    assert_int_equal(err.code, AERO_ERR_INVALID_USER);
    aero_testserver_stop(ts);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_and_round_trip),
        cmocka_unit_test(test_tls_name_from_config_and_ip),
        cmocka_unit_test(test_peers_over_tls),
        cmocka_unit_test(test_wrong_ca),
        cmocka_unit_test(test_wrong_name),
        cmocka_unit_test(test_expired_certificate),
        cmocka_unit_test(test_revoked_certificate),
        cmocka_unit_test(test_plain_server),
        cmocka_unit_test(test_handshake_timeout),
        cmocka_unit_test(test_mutual_tls),
        cmocka_unit_test(test_ca_directory),
        cmocka_unit_test(test_bad_settings),
        cmocka_unit_test(test_protocols_and_ciphers),
        cmocka_unit_test(test_client_gone_mid_answer),
        cmocka_unit_test(test_external_auth_needs_tls),
        cmocka_unit_test(test_pki_auth),
    };
    return cmocka_run_group_tests_name("tls", tests, setup, teardown);
}
