/*
 * node.c - the sockets and threads of one node.
 *
 * Each node has a listening socket on 127.0.0.1 and an accept thread; every
 * client connection gets its own thread that reads one request at a time
 * (proto header, then body), hands it to the dispatcher and writes the whole
 * answer. Threads poll with a short timeout so stopping a node or the server
 * never waits on a blocked read. A connection thread finishing marks itself
 * done; the accept thread joins finished threads as it goes and halting the
 * node joins the rest.
 */
#include "ts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define POLL_MS 100

/* Read exactly n bytes; false on EOF, error, or node/server stop. */
static bool read_full(ts_conn *c, uint8_t *p, size_t n) {
    while (n > 0) {
        struct pollfd pf = { .fd = c->fd, .events = POLLIN };
        int r = ts_conn_pending(c) ? 1 : poll(&pf, 1, POLL_MS);
        if (!ts_node_running(c->node))
            return false;
        if (r < 0 && errno != EINTR)
            return false;
        if (r <= 0)
            continue;
        long k = ts_conn_recv(c, p, n);
        if (k == 0)
            return false;
        if (k < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

static bool write_full(ts_conn *c, const uint8_t *p, size_t n) {
    while (n > 0) {
        long k = ts_conn_send(c, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* A stalled request: stay silent until the client gives up, the node stops or a new fault is injected. */
static void stall(ts_conn *c, uint32_t epoch) {
    while (ts_node_running(c->node) && ts_fault_epoch(c->node) == epoch) {
        struct pollfd pf = { .fd = c->fd, .events = POLLIN };
        if (poll(&pf, 1, POLL_MS) > 0) {
            uint8_t tmp[512];
            if (ts_conn_recv(c, tmp, sizeof tmp) <= 0)
                return;
        }
    }
}

/* Read one request frame: false when the connection must close. *body is malloc'd. */
static bool read_request(ts_conn *c, uint8_t *type, uint8_t **body, size_t *size) {
    uint8_t hdr[8];
    if (!read_full(c, hdr, 8))
        return false;
    uint64_t sz = aero_get_u64be(hdr) & 0xFFFFFFFFFFFFull;
    *type = hdr[1];
    if (hdr[0] != AERO_PROTO_VERSION || sz > AERO_PROTO_SIZE_MAX || !ts_dispatch_knows(*type))
        return false;
    *body = malloc(sz ? sz : 1);
    if (!*body)
        return false;
    if (!read_full(c, *body, sz)) {
        free(*body);
        return false;
    }
    *size = sz;
    atomic_fetch_add_explicit(&c->node->ts->bytes_in, 8 + sz, memory_order_relaxed);
    return true;
}

static void *conn_main(void *arg) {
    ts_conn *c = arg;
    ts_clock_bind(&c->node->ts->clock); /* this thread serves one server for its whole life */
    aero_buf out;
    aero_buf__init(&out, NULL, 0);
    ts_request req = { .seed = ts_now_ns() ^ (uint64_t)(uintptr_t)c };
    uint8_t type, *body;
    size_t size;
    while ((!c->tls || c->ssl || ts_tls_accept(c)) && read_request(c, &type, &body, &size)) {
        aero_buf__reset(&out);
        if (c->ssl && !req.sec.cert_user[0]) /* a PKI login names the user by the certificate */
            ts_tls_peer_cn(c, req.sec.cert_user, sizeof req.sec.cert_user);
        ts_action act = ts_dispatch(c->node, type, body, size, &req, &out);
        free(body);
        if (act == TS_STALL)
            stall(c, req.stall_epoch);
        if (act == TS_STALL || act == TS_CLOSE)
            break;
        if (out.failed) {
            aero_buf__reset(&out);
            ts_resp_simple(&out, AERO_ERR_SERVER, 0, 0);
        }
        atomic_fetch_add_explicit(&c->node->ts->bytes_out, out.len, memory_order_relaxed);
        if (!write_full(c, out.data, out.len) || act == TS_SEND_CLOSE)
            break;
    }
    aero_buf__free(&out);
    ts_security_conn_end(c->node->ts->security, &req.sec);
    shutdown(c->fd, SHUT_RDWR);
    c->done = true;
    return NULL;
}

void ts_node_reap(ts_node *n, bool all) {
    pthread_mutex_lock(&n->conn_mu);
    ts_conn **pp = &n->conns;
    while (*pp) {
        ts_conn *c = *pp;
        if ((c->done || all) && !pthread_equal(c->thread, pthread_self())) {
            if (all)
                shutdown(c->fd, SHUT_RDWR);
            pthread_join(c->thread, NULL);
            ts_conn_tls_free(c);
            close(c->fd);
            *pp = c->next;
            free(c);
            n->n_conns--;
        } else {
            pp = &c->next;
        }
    }
    pthread_mutex_unlock(&n->conn_mu);
}

static void accept_one(ts_node *n, int fd, bool tls) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    pthread_mutex_lock(&n->conn_mu);
    /* proto-fd-max: a connection beyond the limit is accepted and closed at once */
    ts_conn *c = n->n_conns < n->ts->limits.max_connections ? calloc(1, sizeof *c) : NULL;
    if (c) {
        c->fd = fd;
        c->node = n;
        c->tls = tls;
    }
    if (!c || pthread_create(&c->thread, NULL, conn_main, c) != 0) {
        pthread_mutex_unlock(&n->conn_mu);
        close(fd);
        free(c);
        return;
    }
    c->next = n->conns;
    n->conns = c;
    n->n_conns++;
    pthread_mutex_unlock(&n->conn_mu);
}

static void *accept_main(void *arg) {
    ts_node *n = arg;
    while (ts_node_running(n)) {
        struct pollfd pf[2] = { { .fd = n->listen_fd, .events = POLLIN },
                                { .fd = n->tls_listen_fd, .events = POLLIN } };
        int r = poll(pf, n->tls_listen_fd >= 0 ? 2 : 1, POLL_MS);
        ts_node_reap(n, false);
        if (r <= 0)
            continue;
        for (int k = 0; k < 2; k++) {
            if (k == 1 && n->tls_listen_fd < 0)
                break;
            if (!(pf[k].revents & POLLIN))
                continue;
            int fd = accept(pf[k].fd, NULL, NULL);
            if (fd >= 0)
                accept_one(n, fd, k == 1);
        }
    }
    return NULL;
}

static int listen_on(uint16_t port, uint16_t *bound);

int ts_node_bind(ts_node *n, uint16_t port) {
    int fd = listen_on(port, &n->port);
    if (fd < 0)
        return -1;
    n->listen_fd = fd;
    if (n->ts->tls_ctx) { /* the TLS service, on a port of its own (the same one again after a restart) */
        int tfd = listen_on(n->tls_port, &n->tls_port);
        if (tfd < 0) {
            close(fd);
            n->listen_fd = -1;
            return -1;
        }
        n->tls_listen_fd = tfd;
    }
    return 0;
}

static int listen_on(uint16_t port, uint16_t *bound) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    socklen_t al = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 128) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &al) != 0) {
        close(fd);
        return -1;
    }
    *bound = ntohs(a.sin_port);
    return fd;
}

int ts_node_run(ts_node *n) {
    n->accept_running = true;
    if (pthread_create(&n->accept_thread, NULL, accept_main, n) != 0) {
        n->accept_running = false;
        close(n->listen_fd);
        n->listen_fd = -1;
        if (n->tls_listen_fd >= 0)
            close(n->tls_listen_fd);
        n->tls_listen_fd = -1;
        return -1;
    }
    return 0;
}

void ts_node_halt(ts_node *n) {
    if (!n->accept_running)
        return;
    n->accept_running = false;
    pthread_join(n->accept_thread, NULL);
    close(n->listen_fd);
    n->listen_fd = -1;
    if (n->tls_listen_fd >= 0)
        close(n->tls_listen_fd);
    n->tls_listen_fd = -1;
    ts_node_reap(n, true);
}
