/*
 * net/tls.c - TLS client connections (protocol.md 10.3) with OpenSSL.
 *
 * The socket of a TLS connection stays non-blocking: OpenSSL reads and
 * writes whole records, so a recv() that blocks under SO_RCVTIMEO (the
 * clear-text path) would not bound a record that arrives in pieces. Every
 * SSL_* call that wants the socket waits in poll() until the caller's
 * deadline, handshake included.
 *
 * Verification is always on: the chain against the configured CA file or
 * directory (and the CRL when one is given), then the leaf's names against
 * the host's TLS name (wildcards as in RFC 6125, no partial wildcards), or
 * against the host itself when it has none. Like the C client, no SNI is
 * sent and TLS 1.2 is the default protocol.
 */
#include "net/tls.h"

#include "internal.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct aero_tls_ctx {
    SSL_CTX *ctx;
    BIO_METHOD *bio; /* OpenSSL's socket BIO, writing with MSG_NOSIGNAL */
    bool has_cert;   /* a client certificate is configured (mutual TLS) */
};

/*
 * OpenSSL's socket BIO writes with write(): to a peer that has gone, that
 * raises SIGPIPE and kills a process that did not ignore it. A library must
 * not ask that of its callers, so TLS connections write with send() and
 * MSG_NOSIGNAL, as the clear-text path does; everything else is the socket
 * BIO's own.
 */
static int bio_write_nosignal(BIO *b, const char *p, int n) {
    int fd = -1;
    BIO_get_fd(b, &fd);
    BIO_clear_retry_flags(b);
    ssize_t w = send(fd, p, (size_t)(n < 0 ? 0 : n), MSG_NOSIGNAL);
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        BIO_set_retry_write(b);
    return (int)w;
}

static BIO_METHOD *bio_method_new(void) {
    const BIO_METHOD *s = BIO_s_socket();
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR, "aero socket");
    if (!m)
        return NULL;
    if (!BIO_meth_set_write(m, bio_write_nosignal) || !BIO_meth_set_read(m, BIO_meth_get_read(s)) ||
        !BIO_meth_set_puts(m, BIO_meth_get_puts(s)) || !BIO_meth_set_ctrl(m, BIO_meth_get_ctrl(s)) ||
        !BIO_meth_set_create(m, BIO_meth_get_create(s)) || !BIO_meth_set_destroy(m, BIO_meth_get_destroy(s))) {
        BIO_meth_free(m);
        return NULL;
    }
    return m;
}

/* The first queued OpenSSL error as text ("" when none), and the queue cleared. */
static const char *ssl_reason(char *buf, size_t cap) {
    unsigned long e = ERR_peek_last_error();
    buf[0] = '\0';
    if (e)
        ERR_error_string_n(e, buf, cap);
    ERR_clear_error();
    return buf;
}

static aero_status ctx_fail(SSL_CTX *ctx, aero_error *err, const char *what, const char *arg) {
    char r[200];
    ssl_reason(r, sizeof r);
    SSL_CTX_free(ctx);
    return aero_err__set(err, AERO_ERR_TLS, "TLS setup: %s%s%s%s%s", what, arg ? " " : "", arg ? arg : "",
                         r[0] ? ": " : "", r);
}

/* "TLSv1.2", "TLSv1.2 TLSv1.3", "all", separated by spaces or commas -> a min..max range. */
static bool parse_protocols(const char *s, int *min, int *max) {
    static const struct {
        const char *name;
        int v;
    } names[] = { { "TLSv1", TLS1_VERSION },
                  { "TLSv1.1", TLS1_1_VERSION },
                  { "TLSv1.2", TLS1_2_VERSION },
                  { "TLSv1.3", TLS1_3_VERSION } };
    *min = INT_MAX;
    *max = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '+')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " ,");
        bool found = false;
        if (n == 3 && strncmp(p, "all", 3) == 0) {
            *min = TLS1_VERSION < *min ? TLS1_VERSION : *min;
            *max = TLS1_3_VERSION;
            found = true;
        }
        for (size_t i = 0; !found && i < sizeof names / sizeof names[0]; i++) {
            if (strlen(names[i].name) == n && strncmp(p, names[i].name, n) == 0) {
                *min = names[i].v < *min ? names[i].v : *min;
                *max = names[i].v > *max ? names[i].v : *max;
                found = true;
            }
        }
        if (!found)
            return false;
        p += n;
    }
    return *max != 0;
}

aero_status aero_tls__ctx_new(const aero_client_config *cfg, aero_tls_ctx **out, aero_error *err) {
    *out = NULL;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx)
        return ctx_fail(NULL, err, "cannot create an OpenSSL context", NULL);
    int pmin = TLS1_2_VERSION, pmax = TLS1_2_VERSION;
    if (cfg->tls_protocols && *cfg->tls_protocols && !parse_protocols(cfg->tls_protocols, &pmin, &pmax)) {
        SSL_CTX_free(ctx);
        return aero_err__set(err, AERO_ERR_TLS,
                             "TLS setup: protocols \"%s\" not understood (use TLSv1.2, TLSv1.3, ... or all)",
                             cfg->tls_protocols);
    }
    if (!SSL_CTX_set_min_proto_version(ctx, pmin) || !SSL_CTX_set_max_proto_version(ctx, pmax))
        return ctx_fail(ctx, err, "protocols refused:", cfg->tls_protocols);
    if (cfg->tls_cipher_suite && *cfg->tls_cipher_suite) {
        /* one list for both: TLS 1.2 cipher names and TLS 1.3 suite names; either may match */
        int a = SSL_CTX_set_cipher_list(ctx, cfg->tls_cipher_suite);
        ERR_clear_error();
        int b = pmax >= TLS1_3_VERSION ? SSL_CTX_set_ciphersuites(ctx, cfg->tls_cipher_suite) : 0;
        if (!a && !b)
            return ctx_fail(ctx, err, "no usable cipher in", cfg->tls_cipher_suite);
    }
    const char *ca_file = cfg->tls_ca_file && *cfg->tls_ca_file ? cfg->tls_ca_file : NULL;
    const char *ca_path = cfg->tls_ca_path && *cfg->tls_ca_path ? cfg->tls_ca_path : NULL;
    if (ca_file || ca_path) {
        if (!SSL_CTX_load_verify_locations(ctx, ca_file, ca_path))
            return ctx_fail(ctx, err, "cannot load the CA", ca_file ? ca_file : ca_path);
    } else if (!SSL_CTX_set_default_verify_paths(ctx)) {
        return ctx_fail(ctx, err, "cannot load the system CA store", NULL);
    }
    if (cfg->tls_crl_file && *cfg->tls_crl_file) {
        X509_STORE *store = SSL_CTX_get_cert_store(ctx);
        X509_LOOKUP *lk = X509_STORE_add_lookup(store, X509_LOOKUP_file());
        if (!lk || X509_load_crl_file(lk, cfg->tls_crl_file, X509_FILETYPE_PEM) <= 0)
            return ctx_fail(ctx, err, "cannot load the CRL", cfg->tls_crl_file);
        X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | (cfg->tls_crl_check_all ? X509_V_FLAG_CRL_CHECK_ALL : 0));
    }
    bool has_cert = cfg->tls_cert_file && *cfg->tls_cert_file;
    bool has_key = cfg->tls_key_file && *cfg->tls_key_file;
    if (has_cert != has_key) {
        SSL_CTX_free(ctx);
        return aero_err__set(err, AERO_ERR_TLS,
                             "TLS setup: a client certificate needs both tls_cert_file and "
                             "tls_key_file");
    }
    if (has_cert) {
        if (cfg->tls_key_password)
            SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)cfg->tls_key_password);
        bool ok = SSL_CTX_use_certificate_chain_file(ctx, cfg->tls_cert_file) == 1;
        if (!ok) {
            SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
            return ctx_fail(ctx, err, "cannot load the client certificate", cfg->tls_cert_file);
        }
        ok = SSL_CTX_use_PrivateKey_file(ctx, cfg->tls_key_file, SSL_FILETYPE_PEM) == 1;
        /* the password is the caller's: never kept past loading the key */
        SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
        if (!ok)
            return ctx_fail(ctx, err, "cannot load the client key", cfg->tls_key_file);
        if (SSL_CTX_check_private_key(ctx) != 1)
            return ctx_fail(ctx, err, "the client key does not match the certificate", cfg->tls_cert_file);
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    aero_tls_ctx *t = calloc(1, sizeof *t);
    if (!t || !(t->bio = bio_method_new())) {
        free(t);
        SSL_CTX_free(ctx);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for the TLS context");
    }
    t->ctx = ctx;
    t->has_cert = has_cert;
    *out = t;
    return AERO_OK;
}

void aero_tls__ctx_free(aero_tls_ctx *t) {
    if (!t)
        return;
    SSL_CTX_free(t->ctx);
    BIO_meth_free(t->bio);
    free(t);
}

/* Why the handshake was refused, from the verification result. */
static aero_status verify_failure(SSL *ssl, const char *tls_name, aero_error *err) {
    long v = SSL_get_verify_result(ssl);
    const char *vs = X509_verify_cert_error_string(v);
    switch (v) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return aero_err__set(err, AERO_ERR_TLS, "TLS name mismatch: the server certificate is not valid for \"%s\"",
                             tls_name);
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return aero_err__set(err, AERO_ERR_TLS, "TLS: the server certificate has expired");
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return aero_err__set(err, AERO_ERR_TLS, "TLS: the server certificate is not valid yet");
    case X509_V_ERR_CERT_REVOKED: return aero_err__set(err, AERO_ERR_TLS, "TLS: the server certificate is revoked");
    case X509_V_ERR_UNABLE_TO_GET_CRL:
        return aero_err__set(err, AERO_ERR_TLS, "TLS: no CRL for the server certificate's issuer");
    default: return aero_err__set(err, AERO_ERR_TLS, "TLS: untrusted server certificate (%s)", vs);
    }
}

/* Alerts a server sends about the client's certificate (or its absence). */
static bool is_client_cert_alert(int reason) {
    return reason == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED || reason == SSL_R_SSLV3_ALERT_BAD_CERTIFICATE ||
           reason == SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN || reason == SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED ||
           reason == SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED || reason == SSL_R_TLSV1_ALERT_UNKNOWN_CA ||
           reason == SSL_R_TLSV1_ALERT_ACCESS_DENIED;
}

/* The server ended the handshake with an alert: say what it most likely means. */
static aero_status alert_failure(bool has_cert, aero_error *err) {
    int reason = ERR_GET_REASON(ERR_peek_last_error());
    char rs[200];
    ssl_reason(rs, sizeof rs);
    if (!rs[0])
        snprintf(rs, sizeof rs, "protocol error");
    switch (reason) {
    case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
        return aero_err__set(err, AERO_ERR_TLS,
                             "TLS handshake failed: the server requires a client certificate (mutual TLS: set "
                             "tls_cert_file and tls_key_file)");
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
    case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
        return aero_err__set(err, AERO_ERR_TLS, "TLS handshake failed: the server refused the client certificate (%s)",
                             rs);
    case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE:
        return aero_err__set(err, AERO_ERR_TLS, "TLS handshake failed: %s (no protocol or cipher in common%s)", rs,
                             has_cert ? "" : ", or the server requires a client certificate");
    default: return aero_err__set(err, AERO_ERR_TLS, "TLS handshake failed: %s", rs);
    }
}

static bool is_ip_literal(const char *s) {
    unsigned char tmp[16];
    return inet_pton(AF_INET, s, tmp) == 1 || inet_pton(AF_INET6, s, tmp) == 1;
}

aero_status aero_tls__handshake(aero_conn *c, const aero_tls_ctx *t, const char *tls_name, uint64_t deadline_ns,
                                aero_error *err) {
    ERR_clear_error();
    SSL *ssl = SSL_new(t->ctx);
    if (!ssl)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "TLS: cannot create a session");
    X509_VERIFY_PARAM *vp = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    bool name_ok = is_ip_literal(tls_name) ? X509_VERIFY_PARAM_set1_ip_asc(vp, tls_name) == 1
                                           : X509_VERIFY_PARAM_set1_host(vp, tls_name, 0) == 1;
    if (!name_ok) {
        SSL_free(ssl);
        ERR_clear_error();
        return aero_err__set(err, AERO_ERR_TLS, "TLS: cannot use \"%s\" as a TLS name", tls_name);
    }
    BIO *bio = BIO_new(t->bio);
    if (!bio) {
        SSL_free(ssl);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "TLS: cannot create a session");
    }
    BIO_set_fd(bio, c->fd, BIO_NOCLOSE);
    SSL_set_bio(ssl, bio, bio);
    for (;;) {
        int r = SSL_connect(ssl);
        if (r == 1)
            break;
        int e = SSL_get_error(ssl, r);
        aero_status st;
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            st = aero_net__wait(c->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline_ns, "in the TLS handshake",
                                err);
            if (st == AERO_OK)
                continue;
            if (st == AERO_ERR_TIMEOUT) /* a handshake that never ends is a TLS failure, not a slow command */
                st = aero_err__set(err, AERO_ERR_TLS, "TLS handshake with %s timed out", tls_name);
        } else if (SSL_get_verify_result(ssl) != X509_V_OK) {
            st = verify_failure(ssl, tls_name, err);
        } else if (e == SSL_ERROR_SYSCALL || e == SSL_ERROR_ZERO_RETURN) {
            int en = errno;
            st = aero_err__set(err, AERO_ERR_TLS, "TLS handshake failed: %s (is the port a TLS port?)",
                               ERR_peek_last_error() == 0 && (r == 0 || en == 0 || en == ECONNRESET)
                                   ? "connection closed by the server"
                                   : strerror(en));
        } else {
            st = alert_failure(t->has_cert, err);
        }
        ERR_clear_error();
        SSL_free(ssl);
        return st;
    }
    c->ssl = ssl;
    c->ctx_has_cert = t->has_cert;
    return AERO_OK;
}

/* An SSL_read/SSL_write outcome that is not progress: wait for the socket, or fail. */
static aero_status io_wait(aero_conn *c, int r, uint64_t deadline_ns, bool reading, aero_error *err) {
    SSL *ssl = c->ssl;
    int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return aero_net__wait(c->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline_ns,
                              reading ? "receiving" : "sending", err);
    int en = errno;
    if (e == SSL_ERROR_SSL && is_client_cert_alert(ERR_GET_REASON(ERR_peek_last_error())))
        return alert_failure(c->ctx_has_cert, err); /* TLS 1.3: the server checks the client after the handshake */
    char rs[200];
    ssl_reason(rs, sizeof rs);
    if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && (r == 0 || en == 0)))
        return aero_err__set(err, AERO_ERR_CONNECTION, "connection closed by peer");
    if (e == SSL_ERROR_SYSCALL)
        return aero_err__set(err, AERO_ERR_CONNECTION, "%s failed: %s", reading ? "recv" : "send", strerror(en));
    return aero_err__set(err, AERO_ERR_CONNECTION, "TLS %s failed: %s", reading ? "read" : "write",
                         rs[0] ? rs : "protocol error");
}

aero_status aero_tls__write(aero_conn *c, const void *p, size_t n, uint64_t deadline_ns, aero_error *err) {
    const uint8_t *b = p;
    while (n > 0) {
        int chunk = n > INT_MAX ? INT_MAX : (int)n;
        int w = SSL_write(c->ssl, b, chunk);
        if (w > 0) {
            b += w;
            n -= (size_t)w;
            continue;
        }
        aero_status st = io_wait(c, w, deadline_ns, false, err);
        if (st != AERO_OK)
            return st;
    }
    return AERO_OK;
}

aero_status aero_tls__read_some(aero_conn *c, void *p, size_t min, size_t cap, size_t *got, uint64_t deadline_ns,
                                aero_error *err) {
    uint8_t *b = p;
    size_t have = 0;
    if (min > cap)
        min = cap;
    while (have < min || (have == 0 && cap > 0)) {
        size_t want = cap - have;
        int r = SSL_read(c->ssl, b + have, want > INT_MAX ? INT_MAX : (int)want);
        if (r > 0) {
            have += (size_t)r;
            continue;
        }
        aero_status st = io_wait(c, r, deadline_ns, true, err);
        if (st != AERO_OK) {
            *got = have;
            return st;
        }
    }
    *got = have;
    return AERO_OK;
}

bool aero_tls__has_buffered(const aero_conn *c) { return SSL_pending(c->ssl) > 0; }

bool aero_tls__is_stale(aero_conn *c) {
    if (SSL_pending(c->ssl) > 0)
        return true;
    struct pollfd p = { .fd = c->fd, .events = POLLIN, .revents = 0 };
    int r;
    do {
        r = poll(&p, 1, 0);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return true;
    if (r == 0)
        return false;
    if (p.revents & (POLLERR | POLLNVAL))
        return true;
    /* Readable: a TLS 1.3 session ticket is not application data; peek to let OpenSSL consume it. */
    uint8_t tmp;
    int k = SSL_peek(c->ssl, &tmp, 1);
    if (k > 0)
        return true;
    int e = SSL_get_error(c->ssl, k);
    ERR_clear_error();
    return e != SSL_ERROR_WANT_READ;
}

void aero_tls__close(aero_conn *c) {
    if (!c->ssl)
        return;
    SSL_free(c->ssl);
    c->ssl = NULL;
    ERR_clear_error();
}
