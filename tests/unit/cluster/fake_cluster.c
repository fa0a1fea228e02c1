/*
 * fake_cluster.c - see fake_cluster.h. One thread per node polls its listen
 * socket and clients (10 ms ticks, so stop is prompt) and answers info
 * requests line by line.
 */
#include "fake_cluster.h"

#include "b64.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_on(uint16_t *port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(*port);
    socklen_t len = sizeof sa;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(sa.sin_port);
    return fd;
}

static bool read_all(int fd, void *p, size_t n) {
    uint8_t *b = p;
    while (n > 0) {
        ssize_t r = read(fd, b, n);
        if (r <= 0) {
            if (r < 0 && errno == EINTR)
                continue;
            return false;
        }
        b += r;
        n -= (size_t)r;
    }
    return true;
}

static void append(char **out, size_t *len, size_t *cap, const char *s, size_t n) {
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *out = realloc(*out, *cap);
    }
    memcpy(*out + *len, s, n);
    *len += n;
    (*out)[*len] = '\0';
}

static void answer_line(fake_node *f, const char *name, size_t nlen, char **out, size_t *len, size_t *cap) {
    char tmp[64];
    const char *v = NULL;
    append(out, len, cap, name, nlen);
    append(out, len, cap, "\t", 1);
#define IS(s) (nlen == strlen(s) && memcmp(name, s, nlen) == 0)
    pthread_mutex_lock(&f->mu);
    if (IS("node"))
        v = f->node_answer;
    else if (IS("build"))
        v = "8.1.2.0";
    else if (IS("partition-generation"))
        snprintf(tmp, sizeof tmp, "%lld", (long long)f->partition_gen), v = tmp;
    else if (IS("peers-generation"))
        snprintf(tmp, sizeof tmp, "%lld", (long long)f->peers_gen), v = tmp;
    else if (IS("peers-clear-std"))
        v = f->peers ? f->peers : "0,3000,[]";
    else if (IS("replicas"))
        v = f->replicas ? f->replicas : "";
    else if (IS("cluster-name"))
        v = f->cluster_name;
    else if (IS("rebalance-generation"))
        snprintf(tmp, sizeof tmp, "%lld", (long long)f->rebalance_gen), v = tmp;
    else if (IS("rack-ids"))
        v = f->rack_ids[0] ? f->rack_ids : "ERROR:25:enterprise only";
    else
        v = "ERROR:4:unrecognized command";
    append(out, len, cap, v, strlen(v));
    pthread_mutex_unlock(&f->mu);
#undef IS
    append(out, len, cap, "\n", 1);
}

/* An AS_MSG request: keep its bytes, answer result 0 with no bins. */
static bool serve_msg(fake_node *f, int fd, const uint8_t hdr[8], uint64_t size) {
    uint8_t *body = malloc(size ? size : 1);
    if (!body || !read_all(fd, body, size)) {
        free(body);
        return false;
    }
    pthread_mutex_lock(&f->mu);
    f->last_msg_len = 8 + size <= sizeof f->last_msg ? 8 + size : sizeof f->last_msg;
    memcpy(f->last_msg, hdr, 8);
    memcpy(f->last_msg + 8, body, f->last_msg_len - 8);
    pthread_mutex_unlock(&f->mu);
    free(body);
    atomic_fetch_add(&f->msgs, 1);
    uint8_t ans[30] = { 2, 3, 0, 0, 0, 0, 0, 22, 22 };
    return write(fd, ans, sizeof ans) == (ssize_t)sizeof ans;
}

/* Serve one request on fd; false when the client is gone. */
static bool serve(fake_node *f, int fd) {
    uint8_t hdr[8];
    if (!read_all(fd, hdr, 8))
        return false;
    uint64_t size = 0;
    for (int i = 2; i < 8; i++)
        size = (size << 8) | hdr[i];
    if (hdr[0] == 2 && hdr[1] == 3 && size <= 65536)
        return serve_msg(f, fd, hdr, size);
    if (hdr[0] != 2 || hdr[1] != 1 || size > 65536)
        return false;
    char *body = malloc(size + 1);
    if (!read_all(fd, body, size)) {
        free(body);
        return false;
    }
    atomic_fetch_add(&f->requests, 1);
    if (atomic_load(&f->silent)) {
        free(body);
        return true;
    }
    char *out = NULL;
    size_t len = 0, cap = 0;
    append(&out, &len, &cap, "", 0);
    const char *p = body, *end = body + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        answer_line(f, p, (size_t)(nl - p), &out, &len, &cap);
        p = nl + 1;
    }
    free(body);
    /* header and body in one write: two small writes would meet Nagle and delayed ACKs */
    uint8_t *msg = malloc(8 + len);
    msg[0] = 2;
    msg[1] = 1;
    for (int i = 0; i < 6; i++)
        msg[7 - i] = (uint8_t)(len >> (8 * i));
    memcpy(msg + 8, out, len);
    bool ok = write(fd, msg, 8 + len) == (ssize_t)(8 + len);
    free(msg);
    free(out);
    return ok;
}

static void *node_main(void *arg) {
    fake_node *f = arg;
    while (!atomic_load(&f->stop)) {
        if (atomic_exchange(&f->drop_clients, false)) {
            for (int i = 0; i < f->n_clients; i++)
                close(f->clients[i]);
            f->n_clients = 0;
        }
        struct pollfd p[FAKE_MAX_CLIENTS + 1];
        p[0].fd = f->lfd;
        p[0].events = POLLIN;
        for (int i = 0; i < f->n_clients; i++) {
            p[i + 1].fd = f->clients[i];
            p[i + 1].events = POLLIN;
        }
        int r = poll(p, (nfds_t)f->n_clients + 1, 10);
        if (r <= 0)
            continue;
        for (int i = f->n_clients - 1; i >= 0; i--) {
            if (!(p[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (!serve(f, f->clients[i])) {
                close(f->clients[i]);
                f->clients[i] = f->clients[--f->n_clients];
            }
        }
        if (p[0].revents & POLLIN) {
            int c = accept(f->lfd, NULL, NULL);
            if (c >= 0) {
                if (f->n_clients < FAKE_MAX_CLIENTS)
                    f->clients[f->n_clients++] = c;
                else
                    close(c);
            }
        }
    }
    for (int i = 0; i < f->n_clients; i++)
        close(f->clients[i]);
    f->n_clients = 0;
    return NULL;
}

static bool node_up(fake_node *f) {
    f->lfd = listen_on(&f->port);
    if (f->lfd < 0)
        return false;
    atomic_store(&f->stop, false);
    if (pthread_create(&f->thread, NULL, node_main, f) != 0) {
        close(f->lfd);
        return false;
    }
    f->up = true;
    return true;
}

static void node_down(fake_node *f) {
    if (!f->up)
        return;
    atomic_store(&f->stop, true);
    pthread_join(f->thread, NULL);
    close(f->lfd);
    f->lfd = -1;
    f->up = false;
}

int fake_owner(const fake_cluster *fc, uint32_t pid, int r) {
    int up[FAKE_MAX_NODES], n_up = 0;
    for (int i = 0; i < fc->n; i++)
        if (fc->nodes[i].up)
            up[n_up++] = i;
    if (n_up == 0 || r >= fc->replication || r >= n_up)
        return -1;
    return up[(pid + (uint32_t)r) % (uint32_t)n_up];
}

void fake_cluster_rebalance(fake_cluster *fc) {
    for (int i = 0; i < fc->n; i++) {
        fake_node *f = &fc->nodes[i];
        if (!f->up)
            continue;
        char peers[1024];
        size_t pl = 0;
        pthread_mutex_lock(&f->mu);
        f->peers_gen++;
        f->partition_gen++;
        pl += (size_t)snprintf(peers + pl, sizeof peers - pl, "%lld,3000,[", (long long)f->peers_gen);
        bool first = true;
        for (int k = 0; k < fc->n; k++) {
            if (k == i || !fc->nodes[k].up)
                continue;
            pl += (size_t)snprintf(peers + pl, sizeof peers - pl, "%s[%s,,[127.0.0.1:%u]]", first ? "" : ",",
                                   fc->nodes[k].name, (unsigned)fc->nodes[k].port);
            first = false;
        }
        snprintf(peers + pl, sizeof peers - pl, "]");
        free(f->peers);
        f->peers = strdup(peers);

        int nr = fc->replication;
        char *rep = malloc(64 + (size_t)nr * 700);
        size_t rl = (size_t)sprintf(rep, "test:0,%d", nr);
        for (int r = 0; r < nr; r++) {
            uint8_t bm[512] = { 0 };
            for (uint32_t pid = 0; pid < 4096; pid++)
                if (fake_owner(fc, pid, r) == i)
                    bm[pid >> 3] |= (uint8_t)(0x80u >> (pid & 7));
            rep[rl++] = ',';
            rl += b64_encode(bm, sizeof bm, rep + rl);
        }
        free(f->replicas);
        f->replicas = rep;
        pthread_mutex_unlock(&f->mu);
    }
}

bool fake_cluster_start(fake_cluster *fc, int n, int replication) {
    memset(fc, 0, sizeof *fc);
    fc->n = n;
    fc->replication = replication;
    for (int i = 0; i < n; i++) {
        fake_node *f = &fc->nodes[i];
        snprintf(f->name, sizeof f->name, "N%d", i);
        snprintf(f->node_answer, sizeof f->node_answer, "N%d", i);
        pthread_mutex_init(&f->mu, NULL);
        f->lfd = -1;
        if (!node_up(f))
            return false;
    }
    fake_cluster_rebalance(fc);
    return true;
}

void fake_node_stop(fake_cluster *fc, int i) {
    node_down(&fc->nodes[i]);
    fake_cluster_rebalance(fc);
}

bool fake_node_start(fake_cluster *fc, int i) {
    if (!node_up(&fc->nodes[i]))
        return false;
    fake_cluster_rebalance(fc);
    return true;
}

bool fake_node_move(fake_cluster *fc, int i) {
    node_down(&fc->nodes[i]);
    fc->nodes[i].port = 0;
    if (!node_up(&fc->nodes[i]))
        return false;
    fake_cluster_rebalance(fc);
    return true;
}

void fake_cluster_free(fake_cluster *fc) {
    for (int i = 0; i < fc->n; i++) {
        node_down(&fc->nodes[i]);
        free(fc->nodes[i].peers);
        free(fc->nodes[i].replicas);
        pthread_mutex_destroy(&fc->nodes[i].mu);
    }
}
