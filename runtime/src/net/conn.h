/*
 * net/conn.h - one blocking TCP connection with a deadline on every wait.
 *
 * Every wait is bounded by the absolute monotonic deadline passed in, then
 * fails with AERO_ERR_TIMEOUT; a peer that closes gives AERO_ERR_CONNECTION.
 * Connect and write wait with poll(). Reads sleep inside recv() itself, bounded
 * by SO_RCVTIMEO (set short of the deadline, re-set only when that bound
 * changes), and poll() only for the last 40 ms before a deadline:
 * waiting for an answer costs one syscall, not a poll() and a recv().
 * A TLS connection (c->ssl set by aero_conn__open) keeps a non-blocking
 * socket and waits with poll() only (net/tls.c).
 * net/ knows nothing of message layouts.
 */
#ifndef AERO_NET_CONN_H
#define AERO_NET_CONN_H

#include <aero/error.h>

#include <sys/socket.h>

typedef struct aero_conn {
    int fd;
    uint64_t last_used_ns; /* aero_now_coarse_ns() when it was last returned to a pool */
    void *owner;           /* pool bookkeeping (cluster/) */
    uint32_t rcvtimeo_ms;  /* SO_RCVTIMEO in effect on fd (0: none, recv() may wait forever) */
    void *ssl;             /* OpenSSL SSL* of a TLS connection (net/tls.c), NULL for clear text */
    bool ctx_has_cert;     /* TLS: a client certificate was offered (for the errors of net/tls.c) */
} aero_conn;

/** An unconnected connection (fd = -1). */
#define AERO_CONN_INIT \
    { .fd = -1, .last_used_ns = 0, .owner = NULL, .rcvtimeo_ms = 0, .ssl = NULL, .ctx_has_cert = false }

/** Monotonic clock in nanoseconds. */
uint64_t aero_now_ns(void);
/** Cheap monotonic clock (a few ms resolution) for idle bookkeeping, not deadlines. */
uint64_t aero_now_coarse_ns(void);
/** Deadline `ms` from now; 0 ms means no deadline (UINT64_MAX). */
uint64_t aero_deadline_after_ms(uint32_t ms);

/**
 * Wait until fd is ready for `events` (POLLIN / POLLOUT) or the deadline
 * passes: AERO_OK when ready (or hung up: the next syscall reports it),
 * AERO_ERR_TIMEOUT "socket timeout while <what>" after the deadline,
 * AERO_ERR_CONNECTION when poll() fails.
 */
aero_status aero_net__wait(int fd, short events, uint64_t deadline_ns, const char *what, aero_error *err);

/** Connect to addr before `deadline_ns` (TCP_NODELAY set). */
aero_status aero_conn__connect(aero_conn *c, const struct sockaddr *addr, socklen_t addr_len, uint64_t deadline_ns,
                               aero_error *err);
struct aero_tls_ctx;
/**
 * Connect, then, when `tls` is not NULL, run the TLS handshake verifying the
 * server against `tls_name` (net/tls.h), all before `deadline_ns`. On
 * failure the socket is closed (c->fd = -1).
 */
aero_status aero_conn__open(aero_conn *c, const struct sockaddr *addr, socklen_t addr_len,
                            const struct aero_tls_ctx *tls, const char *tls_name, uint64_t deadline_ns,
                            aero_error *err);
/** Write all n bytes before the deadline. */
aero_status aero_conn__write(aero_conn *c, const void *p, size_t n, uint64_t deadline_ns, aero_error *err);
/** Read exactly n bytes before the deadline. */
aero_status aero_conn__read(aero_conn *c, void *p, size_t n, uint64_t deadline_ns, aero_error *err);
/**
 * Read at least `min` and at most `cap` bytes before the deadline; the count
 * read is in *got. Lets a reader take the 8-byte proto header and a small
 * body in one recv() (pass min = 8, cap = the buffer size), then read the
 * rest of the body, if any, with aero_conn__read. Never reads past `cap`, so
 * bytes of a later message are never consumed as long as cap <= the bytes
 * the reader knows are coming (one exchange per connection: an answer is
 * never followed by unsolicited bytes).
 */
aero_status aero_conn__read_some(aero_conn *c, void *p, size_t min, size_t cap, size_t *got, uint64_t deadline_ns,
                                 aero_error *err);
/** True if the socket has unread bytes or was closed by the peer (not reusable). */
bool aero_conn__is_stale(aero_conn *c);
/**
 * True when a read would find bytes without waiting that poll() on c->fd
 * cannot see: decrypted data held by TLS. Check it beside poll().
 */
bool aero_conn__has_buffered(const aero_conn *c);
/** Close the socket (fd = -1 afterwards). */
void aero_conn__close(aero_conn *c);

/**
 * Parse "host:port" / "[v6]:port" / "[v6]" / "host" (default port) into host
 * (NUL-terminated, brackets removed) and port. A bare IPv6 address with more
 * than one ':' and no brackets is taken as a host without port.
 * AERO_ERR_INVALID_HOST for an empty host, a bad port (not 1..65535) or a
 * host longer than host_cap - 1.
 */
aero_status aero_net__parse_host(const char *s, size_t len, char *host, size_t host_cap, uint16_t *port,
                                 uint16_t default_port);

/**
 * True for a loopback address: 127.0.0.0/8, ::1, or 127.x mapped into IPv6
 * (::ffff:127.x.y.z). A seed there is never behind a load balancer
 * (cluster/service.c). Kept out of line in this file: the integration test
 * of load-balancer detection links with -Wl,--wrap=aero_net__is_loopback to
 * make its 127.0.0.1 seeds count as remote.
 */
bool aero_net__is_loopback(const struct sockaddr *sa);

/** Longest seed entry aero_net__parse_seed() accepts. */
#define AERO_SEED_MAX 600

/**
 * Split a seed "host:tls_name:port" / "[v6]:tls_name:port" from the usual
 * forms of aero_net__parse_host(): *tls_name gets the middle part (empty
 * when there is none). A text with exactly two ':' and no "::" outside
 * brackets is host:tls_name:port; anything else is parsed as before.
 * AERO_ERR_INVALID_HOST for an empty host, tls name or port, a bad port, a
 * tls name with characters a DNS name cannot have, or parts too long.
 */
aero_status aero_net__parse_seed(const char *s, size_t len, char *host, size_t host_cap, char *tls_name, size_t tls_cap,
                                 uint16_t *port, uint16_t default_port);

#endif
