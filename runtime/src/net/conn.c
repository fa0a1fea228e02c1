/*
 * net/conn.c - TCP sockets with a deadline on every wait.
 *
 * Connect runs non-blocking and waits with poll(); the connected socket is
 * then blocking, writes pass MSG_DONTWAIT and poll() when the socket buffer
 * is full, and reads block inside recv() under SO_RCVTIMEO. The timeout asked
 * of the kernel is kept short of the deadline (it counts in jiffies and its
 * timer wheel may fire up to 1/8 late), re-set only when the safe bound moves
 * away from the one in effect, and the last stretch before a deadline is
 * waited with poll(), whose timer is precise. The clock read is the coarse
 * one (a tick behind at most), which the margins allow for. So waiting for an
 * answer is one recv() in the common case and never outlasts the deadline.
 */
#include "net/conn.h"
#include "net/tls.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/*
 * send() and recv() without glibc's cancellation-point wrappers, which switch
 * asynchronous cancellation on and off around every call: a command must
 * never be cancelled half-way (its borrowed connection would leak), so the
 * library enters the kernel directly.
 */
static inline ssize_t sys_send(int fd, const void *p, size_t n, int flags) {
    return (ssize_t)syscall(SYS_sendto, fd, p, n, flags, NULL, 0);
}

static inline ssize_t sys_recv(int fd, void *p, size_t n, int flags) {
    return (ssize_t)syscall(SYS_recvfrom, fd, p, n, flags, NULL, NULL);
}

/* Below this much time left, reads wait with poll(): SO_RCVTIMEO is too coarse. */
#define RECV_POLL_BELOW_NS (40u * 1000000u)

static bool set_rcvtimeo(aero_conn *c, uint32_t ms) {
    struct timeval tv = { .tv_sec = (time_t)(ms / 1000u), .tv_usec = (suseconds_t)(ms % 1000u) * 1000 };
    if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
        return false;
    c->rcvtimeo_ms = ms;
    return true;
}

/*
 * Prepare the wait of one recv() before `deadline_ns`: returns the recv()
 * flags to use (0: block under SO_RCVTIMEO; MSG_DONTWAIT: bytes are known to
 * be ready after a poll()), or -1 with *st set (timeout, poll failure).
 */
static int recv_wait_mode(aero_conn *c, uint64_t deadline_ns, aero_status *st, aero_error *err) {
    if (deadline_ns == UINT64_MAX) {
        if (c->rcvtimeo_ms == 0 || set_rcvtimeo(c, 0))
            return 0;
    } else {
        /* the coarse clock lags by at most a tick: it never says "past" early, and the
         * margin below covers the tick it may add to what is left */
        uint64_t now = aero_now_coarse_ns();
        if (now >= deadline_ns) {
            *st = aero_err__set(err, AERO_ERR_TIMEOUT, "socket timeout while receiving");
            return -1;
        }
        uint64_t left = deadline_ns - now;
        if (left >= RECV_POLL_BELOW_NS) {
            /* The kernel may wait up to 1/8 + one jiffy longer than asked, and the coarse
             * clock may lag a jiffy: ask for less (safe for any HZ >= 100). */
            uint64_t left_ms = left / 1000000u;
            uint64_t safe = left_ms - left_ms / 8 - 25;
            if (safe > UINT32_MAX)
                safe = UINT32_MAX;
            /* keep the bound in effect anywhere in [safe/2, safe]; a new one is set a quarter
             * below safe, so the jitter of the next command's clock reads does not re-set it */
            uint32_t cur = c->rcvtimeo_ms;
            if ((cur != 0 && cur <= safe && cur >= safe / 2) || set_rcvtimeo(c, (uint32_t)(safe - safe / 4)))
                return 0;
        }
    }
    /* close to the deadline (or setsockopt refused): poll, then take what is there */
    *st = aero_net__wait(c->fd, POLLIN, deadline_ns, "receiving", err);
    return *st == AERO_OK ? MSG_DONTWAIT : -1;
}

/*
 * One recv() of at most n (> 0) bytes into b, waiting until some arrive or the
 * deadline passes. *got > 0 on success.
 */
static aero_status recv_some(aero_conn *c, uint8_t *b, size_t n, size_t *got, uint64_t deadline_ns, aero_error *err) {
    for (;;) {
        aero_status st = AERO_OK;
        int flags = recv_wait_mode(c, deadline_ns, &st, err);
        if (flags < 0)
            return st;
        ssize_t r = sys_recv(c->fd, b, n, flags);
        if (r > 0) {
            *got = (size_t)r;
            return AERO_OK;
        }
        if (r == 0)
            return aero_err__set(err, AERO_ERR_CONNECTION, "connection closed by peer");
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
            continue; /* a signal, or SO_RCVTIMEO ran out short of the deadline: check the clock again */
        return aero_err__set(err, AERO_ERR_CONNECTION, "recv failed: %s", strerror(errno));
    }
}

static aero_status connect_fd(aero_conn *c, const struct sockaddr *addr, socklen_t addr_len, uint64_t deadline_ns,
                              bool blocking, aero_error *err) {
    c->fd = -1;
    c->ssl = NULL;
    int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return aero_err__set(err, AERO_ERR_CONNECTION, "socket() failed: %s", strerror(errno));
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    if (connect(fd, addr, addr_len) != 0) {
        if (errno != EINPROGRESS && errno != EINTR) {
            int e = errno;
            close(fd);
            return aero_err__set(err, AERO_ERR_CONNECTION, "connect failed: %s", strerror(e));
        }
        aero_status st = aero_net__wait(fd, POLLOUT, deadline_ns, "connecting", err);
        if (st != AERO_OK) {
            close(fd);
            return st;
        }
        int so_err = 0;
        socklen_t len = sizeof so_err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_err, &len) != 0)
            so_err = errno;
        if (so_err != 0) {
            close(fd);
            return aero_err__set(err, AERO_ERR_CONNECTION, "connect failed: %s", strerror(so_err));
        }
    }
    /* connected: blocking from now on (writes pass MSG_DONTWAIT, reads wait in recv); TLS stays non-blocking */
    int fl = blocking ? fcntl(fd, F_GETFL) : 0;
    if (blocking && (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0)) {
        int e = errno;
        close(fd);
        return aero_err__set(err, AERO_ERR_CONNECTION, "fcntl failed: %s", strerror(e));
    }
    c->fd = fd;
    c->rcvtimeo_ms = 0;
    c->last_used_ns = aero_now_coarse_ns();
    return AERO_OK;
}

aero_status aero_conn__connect(aero_conn *c, const struct sockaddr *addr, socklen_t addr_len, uint64_t deadline_ns,
                               aero_error *err) {
    return connect_fd(c, addr, addr_len, deadline_ns, true, err);
}

aero_status aero_conn__open(aero_conn *c, const struct sockaddr *addr, socklen_t addr_len, const aero_tls_ctx *tls,
                            const char *tls_name, uint64_t deadline_ns, aero_error *err) {
    aero_status st = connect_fd(c, addr, addr_len, deadline_ns, tls == NULL, err);
    if (st != AERO_OK || !tls)
        return st;
    st = aero_tls__handshake(c, tls, tls_name, deadline_ns, err);
    if (st != AERO_OK)
        aero_conn__close(c);
    return st;
}

aero_status aero_conn__write(aero_conn *c, const void *p, size_t n, uint64_t deadline_ns, aero_error *err) {
    const uint8_t *b = p;
    if (c->fd < 0)
        return aero_err__set(err, AERO_ERR_CONNECTION, "write on a closed connection");
    if (c->ssl)
        return aero_tls__write(c, p, n, deadline_ns, err);
    while (n > 0) {
        ssize_t w = sys_send(c->fd, b, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            b += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            aero_status st = aero_net__wait(c->fd, POLLOUT, deadline_ns, "sending", err);
            if (st != AERO_OK)
                return st;
            continue;
        }
        return aero_err__set(err, AERO_ERR_CONNECTION, "send failed: %s", w < 0 ? strerror(errno) : "no progress");
    }
    return AERO_OK;
}

aero_status aero_conn__read(aero_conn *c, void *p, size_t n, uint64_t deadline_ns, aero_error *err) {
    size_t got = 0;
    return aero_conn__read_some(c, p, n, n, &got, deadline_ns, err);
}

aero_status aero_conn__read_some(aero_conn *c, void *p, size_t min, size_t cap, size_t *got, uint64_t deadline_ns,
                                 aero_error *err) {
    uint8_t *b = p;
    size_t have = 0;
    *got = 0;
    if (c->fd < 0)
        return aero_err__set(err, AERO_ERR_CONNECTION, "read on a closed connection");
    if (c->ssl)
        return aero_tls__read_some(c, p, min, cap, got, deadline_ns, err);
    if (min > cap)
        min = cap;
    while (have < min || (have == 0 && cap > 0)) {
        size_t r = 0;
        aero_status st = recv_some(c, b + have, cap - have, &r, deadline_ns, err);
        if (st != AERO_OK) {
            *got = have;
            return st;
        }
        have += r;
    }
    *got = have;
    return AERO_OK;
}

bool aero_conn__has_buffered(const aero_conn *c) { return c->ssl && aero_tls__has_buffered(c); }

bool aero_conn__is_stale(aero_conn *c) {
    if (c->fd < 0)
        return true;
    if (c->ssl)
        return aero_tls__is_stale(c);
    struct pollfd p = { .fd = c->fd, .events = POLLIN, .revents = 0 };
    int r;
    do {
        r = poll(&p, 1, 0);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return true;
    /* Any readable byte, hang-up or error means the socket is not reusable. */
    return r > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

void aero_conn__close(aero_conn *c) {
    aero_tls__close(c);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->rcvtimeo_ms = 0;
}

static bool parse_port(const char *s, size_t len, uint16_t *port) {
    if (len == 0 || len > 5)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    if (v == 0 || v > 65535)
        return false;
    *port = (uint16_t)v;
    return true;
}

aero_status aero_net__parse_host(const char *s, size_t len, char *host, size_t host_cap, uint16_t *port,
                                 uint16_t default_port) {
    if (!s || !host || host_cap == 0 || !port)
        return AERO_ERR_INVALID_HOST;
    host[0] = '\0';
    const char *h;
    size_t hlen;
    const char *ps = NULL; /* port text, if any */
    size_t plen = 0;

    if (len > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close)
            return AERO_ERR_INVALID_HOST;
        h = s + 1;
        hlen = (size_t)(close - h);
        size_t rest = len - (size_t)(close + 1 - s);
        if (rest > 0) {
            if (close[1] != ':')
                return AERO_ERR_INVALID_HOST;
            ps = close + 2;
            plen = rest - 1;
            if (plen == 0)
                return AERO_ERR_INVALID_HOST;
        }
        if (hlen == 0 || memchr(h, ':', hlen) == NULL)
            return AERO_ERR_INVALID_HOST; /* brackets are for IPv6 only */
    } else {
        const char *colon = memchr(s, ':', len);
        const char *last = colon;
        if (colon) {
            for (const char *q = colon + 1; q < s + len; q++)
                if (*q == ':')
                    last = q;
        }
        if (colon && colon == last) {
            h = s;
            hlen = (size_t)(colon - s);
            ps = colon + 1;
            plen = len - hlen - 1;
            if (plen == 0)
                return AERO_ERR_INVALID_HOST;
        } else {
            /* No colon, or a bare IPv6 address: all of it is the host. */
            h = s;
            hlen = len;
        }
    }
    if (hlen == 0 || hlen >= host_cap)
        return AERO_ERR_INVALID_HOST;
    for (size_t i = 0; i < hlen; i++) {
        unsigned char ch = (unsigned char)h[i];
        if (ch <= ' ' || ch == 0x7f || ch == '[' || ch == ']' || ch == '/' || ch == ',')
            return AERO_ERR_INVALID_HOST;
    }
    uint16_t pv = default_port;
    if (ps && !parse_port(ps, plen, &pv))
        return AERO_ERR_INVALID_HOST;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = pv;
    return AERO_OK;
}

bool aero_net__is_loopback(const struct sockaddr *sa) {
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a))
            return true;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return false;
}

/* ---- seeds with a TLS name ---- */

static bool dns_char(unsigned char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
           ch == '_' || ch == '*';
}

aero_status aero_net__parse_seed(const char *s, size_t len, char *host, size_t host_cap, char *tls_name, size_t tls_cap,
                                 uint16_t *port, uint16_t default_port) {
    if (!s || !tls_name || tls_cap == 0)
        return AERO_ERR_INVALID_HOST;
    tls_name[0] = '\0';
    /* the part after a bracketed IPv6 address, or all of it */
    size_t start = 0;
    if (len > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close)
            return AERO_ERR_INVALID_HOST;
        start = (size_t)(close + 1 - s);
    }
    size_t colons = 0, first = 0, last = 0;
    bool dbl = false;
    for (size_t i = start; i < len; i++) {
        if (s[i] != ':')
            continue;
        if (colons == 0)
            first = i;
        if (i + 1 < len && s[i + 1] == ':')
            dbl = true;
        last = i;
        colons++;
    }
    bool three = start > 0 ? colons == 2 : colons == 2 && !dbl;
    if (!three)
        return aero_net__parse_host(s, len, host, host_cap, port, default_port);
    size_t tlen = last - first - 1;
    if (tlen == 0 || tlen >= tls_cap || last + 1 == len)
        return AERO_ERR_INVALID_HOST;
    for (size_t i = first + 1; i < last; i++)
        if (!dns_char((unsigned char)s[i]))
            return AERO_ERR_INVALID_HOST;
    /* host:port without the middle part */
    char hp[AERO_SEED_MAX];
    size_t hlen = first, plen = len - last;
    if (hlen + plen >= sizeof hp)
        return AERO_ERR_INVALID_HOST;
    memcpy(hp, s, hlen);
    memcpy(hp + hlen, s + last, plen);
    aero_status st = aero_net__parse_host(hp, hlen + plen, host, host_cap, port, default_port);
    if (st != AERO_OK)
        return st;
    memcpy(tls_name, s + first + 1, tlen);
    tls_name[tlen] = '\0';
    return AERO_OK;
}
