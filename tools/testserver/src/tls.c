/*
 * tls.c - the Enterprise transport features of the test server: a TLS
 * listener per node (OpenSSL, certificates given as files by the test) and
 * compressed (type 4) requests and answers (zlib, protocol.md 11).
 *
 * TLS connections are served by the same connection threads as clear ones;
 * only the byte I/O differs (ts_conn_recv / ts_conn_send). The handshake
 * runs on the connection's thread, bounded by a receive timeout, so a client
 * that connects and says nothing (or speaks clear text) cannot hold it.
 */
#include "ts.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "proto/compress.h"

#define HANDSHAKE_TIMEOUT_MS 3000
#define COMPRESS_OVER        128 /* frames this size or smaller are answered as they are */
#define Z_LEVEL              1   /* answers: the fast level */

aero_status ts_tls_init(aero_testserver *ts, const aero_testserver_config *cfg, aero_error *err) {
    if (cfg->version < 2)
        return AERO_OK;
    ts->compression = cfg->compression;
    snprintf(ts->tls_name, sizeof ts->tls_name, "%s", cfg->tls_name ? cfg->tls_name : "");
    if (!cfg->tls_cert_file && !cfg->tls_key_file)
        return AERO_OK;
    if (!cfg->tls_cert_file || !cfg->tls_key_file)
        return ts_err(err, AERO_ERR_PARAM, "testserver: TLS needs both tls_cert_file and tls_key_file");
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    char why[256] = "";
    if (!ctx)
        return ts_err(err, AERO_ERR_NO_MEMORY, "testserver: cannot create a TLS context");
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    const char *failed = NULL;
    if (SSL_CTX_use_certificate_chain_file(ctx, cfg->tls_cert_file) != 1)
        failed = cfg->tls_cert_file;
    else if (SSL_CTX_use_PrivateKey_file(ctx, cfg->tls_key_file, SSL_FILETYPE_PEM) != 1 ||
             SSL_CTX_check_private_key(ctx) != 1)
        failed = cfg->tls_key_file;
    else if (cfg->tls_ca_file && SSL_CTX_load_verify_locations(ctx, cfg->tls_ca_file, NULL) != 1)
        failed = cfg->tls_ca_file;
    if (failed) {
        ERR_error_string_n(ERR_peek_last_error(), why, sizeof why);
        ERR_clear_error();
        SSL_CTX_free(ctx);
        return ts_err(err, AERO_ERR_PARAM, "testserver: cannot load %s: %s", failed, why);
    }
    if (cfg->tls_ca_file || cfg->tls_require_client_cert)
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | (cfg->tls_require_client_cert ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
                           NULL);
    ts->tls_ctx = ctx;
    return AERO_OK;
}

void ts_tls_free(aero_testserver *ts) {
    SSL_CTX_free(ts->tls_ctx);
    ts->tls_ctx = NULL;
}

static void set_rcvtimeo(int fd, unsigned ms) {
    struct timeval tv = { .tv_sec = (time_t)(ms / 1000), .tv_usec = (suseconds_t)(ms % 1000) * 1000 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool ts_tls_accept(ts_conn *c) {
    /* OpenSSL writes with write(): a client that went away would raise SIGPIPE in the process
     * hosting the server. Blocked on this connection's thread, it stays pending and dies with it. */
    sigset_t sigpipe;
    sigemptyset(&sigpipe);
    sigaddset(&sigpipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigpipe, NULL);
    SSL *ssl = SSL_new(c->node->ts->tls_ctx);
    if (!ssl)
        return false;
    set_rcvtimeo(c->fd, HANDSHAKE_TIMEOUT_MS);
    if (SSL_set_fd(ssl, c->fd) != 1 || SSL_accept(ssl) != 1) {
        SSL_free(ssl);
        ERR_clear_error();
        return false;
    }
    set_rcvtimeo(c->fd, 0);
    c->ssl = ssl;
    return true;
}

long ts_conn_recv(ts_conn *c, void *p, size_t n) {
    if (!c->ssl)
        return (long)recv(c->fd, p, n, 0);
    int r = SSL_read(c->ssl, p, n > 1u << 30 ? 1 << 30 : (int)n);
    if (r > 0)
        return r;
    int e = SSL_get_error(c->ssl, r);
    ERR_clear_error();
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        errno = EAGAIN;
        return -1;
    }
    if (e == SSL_ERROR_ZERO_RETURN)
        return 0;
    errno = errno ? errno : ECONNRESET;
    return e == SSL_ERROR_SYSCALL && r == 0 ? 0 : -1;
}

long ts_conn_send(ts_conn *c, const void *p, size_t n) {
    if (!c->ssl)
        return (long)send(c->fd, p, n, MSG_NOSIGNAL);
    int r = SSL_write(c->ssl, p, n > 1u << 30 ? 1 << 30 : (int)n);
    if (r > 0)
        return r;
    ERR_clear_error();
    errno = errno ? errno : EPIPE;
    return -1;
}

void ts_tls_peer_cn(const ts_conn *c, char *out, size_t cap) {
    out[0] = '\0';
    if (!c->ssl || SSL_get_verify_result(c->ssl) != X509_V_OK)
        return;
    X509 *peer = SSL_get1_peer_certificate(c->ssl);
    if (!peer)
        return;
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, out, (int)cap) < 0)
        out[0] = '\0';
    X509_free(peer);
}

bool ts_conn_pending(ts_conn *c) { return c->ssl && SSL_pending(c->ssl) > 0; }

void ts_conn_tls_free(ts_conn *c) {
    if (c->ssl)
        SSL_free(c->ssl);
    c->ssl = NULL;
}

/* ---------------- compression (the runtime's codec, proto/compress.c) ---------------- */

void ts_compress_frames(aero_buf *out) {
    aero_buf z;
    aero_buf__init(&z, NULL, 0);
    size_t off = 0;
    bool ok = true;
    while (ok && off + 8 <= out->len) {
        size_t flen = 8 + (size_t)(aero_get_u64be(out->data + off) & 0xFFFFFFFFFFFFull);
        if (flen > out->len - off)
            break;
        if (flen > COMPRESS_OVER) {
            ok = aero_compress__wrap(out->data + off, flen, Z_LEVEL, &z) == AERO_OK;
        } else {
            aero_buf__put(&z, out->data + off, flen);
            ok = !z.failed;
        }
        off += flen;
    }
    if (ok && off == out->len) {
        aero_buf__reset(out);
        aero_buf__put(out, z.data, z.len);
    }
    aero_buf__free(&z);
}

int ts_inflate_request(const uint8_t *body, size_t len, uint8_t **raw_out, size_t *raw_len) {
    *raw_out = NULL;
    if (!aero_compress__available())
        return AERO_ERR_ENTERPRISE_ONLY;
    aero_buf raw;
    aero_buf__init(&raw, NULL, 0);
    aero_status st = aero_compress__unwrap(body, len, (size_t)AERO_PROTO_SIZE_MAX + 8, &raw);
    if (st != AERO_OK || raw.len < 8 + AERO_MSG_HEADER_SIZE) {
        aero_buf__free(&raw);
        return st == AERO_ERR_NO_MEMORY ? AERO_ERR_SERVER : AERO_ERR_PARAMETER;
    }
    *raw_out = raw.data; /* heap storage: aero_buf__init(NULL) never uses a caller's buffer */
    *raw_len = raw.len;
    return 0;
}
