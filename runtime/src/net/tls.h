/*
 * net/tls.h - TLS (OpenSSL) over an aero_conn: one client context per
 * cluster, a handshake and reads and writes that honour the deadline of the
 * caller (non-blocking socket, every wait a poll()). Internal to libaero.
 *
 * Failures are AERO_ERR_TLS with what failed in the message: the context
 * (a CA, certificate, key, CRL, protocol or cipher setting that cannot be
 * used), the handshake (untrusted certificate, name mismatch, expired or
 * revoked certificate, peer closed: not a TLS port, handshake timeout).
 * A connection that breaks after the handshake is AERO_ERR_CONNECTION or
 * AERO_ERR_TIMEOUT, like a clear-text one, except for the server's alert
 * refusing the client certificate, which TLS 1.3 delivers on the first
 * read: that is AERO_ERR_TLS too.
 */
#ifndef AERO_NET_TLS_H
#define AERO_NET_TLS_H

#include <aero/client.h>
#include <aero/error.h>

#include "net/conn.h"

typedef struct aero_tls_ctx aero_tls_ctx;

/**
 * A client context from the tls_* members of cfg (cfg->tls_enabled must be
 * true). AERO_ERR_TLS when a file cannot be loaded or a setting is refused.
 */
aero_status aero_tls__ctx_new(const aero_client_config *cfg, aero_tls_ctx **out, aero_error *err);
void aero_tls__ctx_free(aero_tls_ctx *t);

/**
 * Run the client handshake on the connected socket of c and verify the
 * peer: chain against the CA, then the leaf's names against `tls_name`
 * (an IP literal is checked as an IP address). On success c->ssl is set
 * and every later read and write of c goes through TLS.
 */
aero_status aero_tls__handshake(aero_conn *c, const aero_tls_ctx *t, const char *tls_name, uint64_t deadline_ns,
                                aero_error *err);

/** TLS counterparts of the clear-text I/O in conn.c (c->ssl set). */
aero_status aero_tls__write(aero_conn *c, const void *p, size_t n, uint64_t deadline_ns, aero_error *err);
aero_status aero_tls__read_some(aero_conn *c, void *p, size_t min, size_t cap, size_t *got, uint64_t deadline_ns,
                                aero_error *err);
/** True when a pooled TLS connection has application bytes pending or was closed. */
bool aero_tls__is_stale(aero_conn *c);
/** Decrypted bytes wait in OpenSSL's buffer (poll() on the socket does not see them). */
bool aero_tls__has_buffered(const aero_conn *c);
/** Free the TLS state of c (the socket itself is closed by the caller). */
void aero_tls__close(aero_conn *c);

#endif
