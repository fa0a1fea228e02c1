/*
 * Unit tests for net/tls.c on 127.0.0.1 against a small OpenSSL server run
 * by the test (certificates from tests/support/test_certs.h): a write to a
 * peer that has gone fails without SIGPIPE, a read from a silent peer stops
 * at its deadline, data crosses in both directions in pieces of any size,
 * and an idle TLS 1.3 connection (the server's session tickets read) is not
 * taken for stale, while a closed one is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "aero_assert.h"
#include "net/conn.h"
#include "net/tls.h"
#include "test_certs.h"

typedef enum { SRV_CLOSE, SRV_SILENT, SRV_ECHO } srv_mode;

typedef struct server {
    int listen_fd;
    struct sockaddr_in addr;
    SSL_CTX *ctx;
    srv_mode mode;
    pthread_t thread;
    volatile bool stop;
} server;

static tc_dir D;
static tc_ca *CA;
static char ca_path[512];

static void *server_main(void *arg) {
    server *s = arg;
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    SSL *ssl = SSL_new(s->ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
        if (s->mode == SRV_SILENT) {
            while (!s->stop)
                usleep(10000);
        } else if (s->mode == SRV_ECHO) {
            char buf[7000]; /* odd sizes: records and reads never line up */
            int n;
            while ((n = SSL_read(ssl, buf, (int)(sizeof buf - (size_t)(rand() % 5000)))) > 0)
                if (SSL_write(ssl, buf, n) != n)
                    break;
        }
    }
    SSL_free(ssl);
    shutdown(fd, SHUT_RDWR);
    close(fd);
    return NULL;
}

static void server_start(server *s, srv_mode mode, int max_proto) {
    memset(s, 0, sizeof *s);
    s->mode = mode;
    s->ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_max_proto_version(s->ctx, max_proto);
    assert_int_equal(SSL_CTX_use_certificate_chain_file(s->ctx, tc_path(&D, "srv.crt")), 1);
    assert_int_equal(SSL_CTX_use_PrivateKey_file(s->ctx, tc_path(&D, "srv.key"), SSL_FILETYPE_PEM), 1);
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    s->addr.sin_family = AF_INET;
    s->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof s->addr;
    assert_int_equal(bind(s->listen_fd, (struct sockaddr *)&s->addr, sizeof s->addr), 0);
    assert_int_equal(listen(s->listen_fd, 4), 0);
    assert_int_equal(getsockname(s->listen_fd, (struct sockaddr *)&s->addr, &al), 0);
    assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
}

static void server_stop(server *s) {
    s->stop = true;
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
    SSL_CTX_free(s->ctx);
}

static aero_tls_ctx *client_ctx(const char *protocols) {
    aero_client_config cfg = AERO_CLIENT_CONFIG_INIT;
    cfg.tls_enabled = true;
    cfg.tls_ca_file = ca_path;
    cfg.tls_protocols = protocols;
    aero_tls_ctx *t = NULL;
    aero_error err;
    assert_aero_ok(aero_tls__ctx_new(&cfg, &t, &err), &err);
    return t;
}

static void open_conn(aero_conn *c, server *s, aero_tls_ctx *t) {
    aero_error err;
    *c = (aero_conn)AERO_CONN_INIT;
    assert_aero_ok(aero_conn__open(c, (struct sockaddr *)&s->addr, sizeof s->addr, t, "srv.test",
                                   aero_deadline_after_ms(2000), &err),
                   &err);
    assert_non_null(c->ssl);
}

static int setup(void **state) {
    (void)state;
    if (!tc_dir_make(&D) || !(CA = tc_ca_new("unit CA")) || !tc_ca_write(CA, &D, "ca") ||
        !tc_issue(CA, &D, "srv", "DNS:srv.test", -60, 3600, false))
        return -1;
    snprintf(ca_path, sizeof ca_path, "%s", tc_path(&D, "ca.crt"));
    return 0;
}

static int teardown(void **state) {
    (void)state;
    tc_ca_free(CA);
    tc_dir_remove(&D);
    return 0;
}

/* SIGPIPE keeps its default action here: a write raising it would kill the test. */
static void test_write_to_gone_peer_no_sigpipe(void **state) {
    (void)state;
    server s;
    server_start(&s, SRV_CLOSE, TLS1_2_VERSION);
    aero_tls_ctx *t = client_ctx(NULL);
    aero_conn c;
    open_conn(&c, &s, t);
    server_stop(&s); /* the server closed its end after the handshake */
    usleep(50000);
    static uint8_t big[1 << 20];
    aero_error err;
    aero_status st = AERO_OK;
    for (int i = 0; i < 8 && st == AERO_OK; i++)
        st = aero_conn__write(&c, big, sizeof big, aero_deadline_after_ms(2000), &err);
    assert_int_equal(st, AERO_ERR_CONNECTION);
    assert_true(aero_conn__is_stale(&c));
    aero_conn__close(&c);
    assert_null(c.ssl);
    aero_tls__ctx_free(t);
}

static double ms_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_read_deadline(void **state) {
    (void)state;
    server s;
    server_start(&s, SRV_SILENT, TLS1_2_VERSION);
    aero_tls_ctx *t = client_ctx(NULL);
    aero_conn c;
    open_conn(&c, &s, t);
    uint8_t b[8];
    aero_error err;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(aero_conn__read(&c, b, sizeof b, aero_deadline_after_ms(200), &err), AERO_ERR_TIMEOUT);
    double ms = ms_since(&t0);
    assert_true(ms >= 195 && ms < 700);
    aero_conn__close(&c);
    server_stop(&s);
    aero_tls__ctx_free(t);
}

static void test_echo_in_pieces(void **state) {
    (void)state;
    server s;
    server_start(&s, SRV_ECHO, TLS1_3_VERSION);
    aero_tls_ctx *t = client_ctx("TLSv1.2 TLSv1.3");
    aero_conn c;
    open_conn(&c, &s, t);
    size_t n = 300000;
    uint8_t *out = malloc(n), *in = malloc(n);
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(i * 31 + 7);
    aero_error err;
    /* written in chunks and read back with read_some/read of odd sizes */
    size_t sent = 0, got = 0;
    while (got < n) {
        if (sent < n) {
            size_t k = n - sent < 40000 ? n - sent : 40000;
            assert_aero_ok(aero_conn__write(&c, out + sent, k, aero_deadline_after_ms(2000), &err), &err);
            sent += k;
        }
        size_t r = 0;
        size_t want = n - got < 9999 ? n - got : 9999;
        assert_aero_ok(aero_conn__read_some(&c, in + got, 1, want, &r, aero_deadline_after_ms(2000), &err), &err);
        assert_true(r >= 1 && r <= want);
        got += r;
    }
    assert_memory_equal(in, out, n);
    free(in);
    free(out);
    aero_conn__close(&c);
    server_stop(&s);
    aero_tls__ctx_free(t);
}

static void test_idle_tls13_not_stale(void **state) {
    (void)state;
    server s;
    server_start(&s, SRV_SILENT, TLS1_3_VERSION);
    aero_tls_ctx *t = client_ctx("TLSv1.3");
    aero_conn c;
    open_conn(&c, &s, t);
    usleep(100000); /* the session tickets have arrived */
    assert_false(aero_conn__is_stale(&c));
    assert_false(aero_conn__is_stale(&c));
    server_stop(&s);
    usleep(50000);
    assert_true(aero_conn__is_stale(&c));
    aero_conn__close(&c);
    aero_tls__ctx_free(t);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_to_gone_peer_no_sigpipe),
        cmocka_unit_test(test_read_deadline),
        cmocka_unit_test(test_echo_in_pieces),
        cmocka_unit_test(test_idle_tls13_not_stale),
    };
    return cmocka_run_group_tests_name("tls-conn", tests, setup, teardown);
}
