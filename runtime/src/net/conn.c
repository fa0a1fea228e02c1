/*
 * net/conn.c - non-blocking TCP sockets driven with poll() deadlines.
 *
 * Every wait (connect, write, read) is bounded by an absolute monotonic
 * deadline; the fast path tries the syscall first and only polls when the
 * socket would block, so a read whose bytes already arrived costs one recv().
 */
#include "net/conn.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

uint64_t aero_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t aero_now_coarse_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t aero_deadline_after_ms(uint32_t ms)
{
    if (ms == 0)
        return UINT64_MAX;
    return aero_now_ns() + (uint64_t)ms * 1000000u;
}

/*
 * Wait until fd is ready for `events` or the deadline passes. Returns AERO_OK
 * when ready (or when the peer hung up: the next syscall reports it),
 * AERO_ERR_TIMEOUT after the deadline, AERO_ERR_CONNECTION on poll failure.
 */
static aero_status wait_fd(int fd, short events, uint64_t deadline_ns, const char *what, aero_error *err)
{
    for (;;) {
        int timeout_ms = -1;
        if (deadline_ns != UINT64_MAX) {
            uint64_t now = aero_now_ns();
            if (now >= deadline_ns)
                return aero_err__set(err, AERO_ERR_TIMEOUT, "socket timeout while %s", what);
            uint64_t left_ms = (deadline_ns - now + 999999u) / 1000000u;
            timeout_ms = left_ms > INT_MAX ? INT_MAX : (int)left_ms;
        }
        struct pollfd p = {.fd = fd, .events = events, .revents = 0};
        int r = poll(&p, 1, timeout_ms);
        if (r > 0)
            return AERO_OK;
        if (r == 0)
            continue; /* re-check the deadline (poll may round down) */
        if (errno == EINTR)
            continue;
        return aero_err__set(err, AERO_ERR_CONNECTION, "poll failed while %s: %s", what, strerror(errno));
    }
}

aero_status aero_conn__connect(aero_conn *c, const struct sockaddr *addr, socklen_t addr_len, uint64_t deadline_ns,
                               aero_error *err)
{
    c->fd = -1;
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
        aero_status st = wait_fd(fd, POLLOUT, deadline_ns, "connecting", err);
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
    c->fd = fd;
    c->last_used_ns = aero_now_coarse_ns();
    return AERO_OK;
}

aero_status aero_conn__write(aero_conn *c, const void *p, size_t n, uint64_t deadline_ns, aero_error *err)
{
    const uint8_t *b = p;
    if (c->fd < 0)
        return aero_err__set(err, AERO_ERR_CONNECTION, "write on a closed connection");
    while (n > 0) {
        ssize_t w = send(c->fd, b, n, MSG_NOSIGNAL);
        if (w > 0) {
            b += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            aero_status st = wait_fd(c->fd, POLLOUT, deadline_ns, "sending", err);
            if (st != AERO_OK)
                return st;
            continue;
        }
        return aero_err__set(err, AERO_ERR_CONNECTION, "send failed: %s", w < 0 ? strerror(errno) : "no progress");
    }
    c->awaiting = true;
    return AERO_OK;
}

aero_status aero_conn__read(aero_conn *c, void *p, size_t n, uint64_t deadline_ns, aero_error *err)
{
    uint8_t *b = p;
    if (c->fd < 0)
        return aero_err__set(err, AERO_ERR_CONNECTION, "read on a closed connection");
    if (c->awaiting && n > 0) {
        /* The answer to a request just sent is rarely there yet: wait first
         * instead of paying for a recv() that would say EAGAIN. */
        c->awaiting = false;
        aero_status st = wait_fd(c->fd, POLLIN, deadline_ns, "receiving", err);
        if (st != AERO_OK)
            return st;
    }
    while (n > 0) {
        ssize_t r = recv(c->fd, b, n, 0);
        if (r > 0) {
            b += r;
            n -= (size_t)r;
            continue;
        }
        if (r == 0)
            return aero_err__set(err, AERO_ERR_CONNECTION, "connection closed by peer");
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            aero_status st = wait_fd(c->fd, POLLIN, deadline_ns, "receiving", err);
            if (st != AERO_OK)
                return st;
            continue;
        }
        return aero_err__set(err, AERO_ERR_CONNECTION, "recv failed: %s", strerror(errno));
    }
    return AERO_OK;
}

aero_status aero_conn__read_some(aero_conn *c, void *p, size_t min, size_t cap, size_t *got, uint64_t deadline_ns,
                                 aero_error *err)
{
    uint8_t *b = p;
    size_t have = 0;
    *got = 0;
    if (c->fd < 0)
        return aero_err__set(err, AERO_ERR_CONNECTION, "read on a closed connection");
    if (min > cap)
        min = cap;
    if (c->awaiting && cap > 0) {
        c->awaiting = false;
        aero_status st = wait_fd(c->fd, POLLIN, deadline_ns, "receiving", err);
        if (st != AERO_OK)
            return st;
    }
    while (have < min || (have == 0 && cap > 0)) {
        ssize_t r = recv(c->fd, b + have, cap - have, 0);
        if (r > 0) {
            have += (size_t)r;
            continue;
        }
        if (r == 0) {
            *got = have;
            return aero_err__set(err, AERO_ERR_CONNECTION, "connection closed by peer");
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            aero_status st = wait_fd(c->fd, POLLIN, deadline_ns, "receiving", err);
            if (st != AERO_OK) {
                *got = have;
                return st;
            }
            continue;
        }
        *got = have;
        return aero_err__set(err, AERO_ERR_CONNECTION, "recv failed: %s", strerror(errno));
    }
    *got = have;
    return AERO_OK;
}

bool aero_conn__is_stale(const aero_conn *c)
{
    if (c->fd < 0)
        return true;
    struct pollfd p = {.fd = c->fd, .events = POLLIN, .revents = 0};
    int r;
    do {
        r = poll(&p, 1, 0);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return true;
    /* Any readable byte, hang-up or error means the socket is not reusable. */
    return r > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

void aero_conn__close(aero_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    free(c->rbuf);
    c->rbuf = NULL;
    c->rbuf_cap = 0;
}

static bool parse_port(const char *s, size_t len, uint16_t *port)
{
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
                                 uint16_t default_port)
{
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
