/*
 * server.c - nodes, sockets and threads of aero-testserver, the cluster's
 * partition assignment, fault injection and the public API.
 *
 * Each node has a listening socket on 127.0.0.1 and an accept thread; every
 * client connection gets its own thread that reads one request at a time
 * (proto header, then body) and writes the whole answer. Threads poll with a
 * short timeout so stopping a node or the server never waits on a blocked
 * read. A connection thread finishing marks itself done; the accept thread
 * joins finished threads as it goes and stop joins the rest.
 */
#include "ts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define POLL_MS 100

/* ---------------- cluster view ---------------- */

static unsigned live_list(const aero_testserver *ts, unsigned *out) {
    unsigned n = 0;
    for (unsigned i = 0; i < ts->n_nodes; i++)
        if (ts->nodes[i].live)
            out[n++] = i;
    return n;
}

unsigned ts_cluster_rf(const aero_testserver *ts) {
    unsigned l[TS_MAX_NODES];
    unsigned n = live_list(ts, l);
    return ts->rf < n ? ts->rf : n;
}

int ts_cluster_owner(const aero_testserver *ts, unsigned pid, unsigned k) {
    unsigned l[TS_MAX_NODES];
    unsigned n = live_list(ts, l);
    unsigned rf = ts->rf < n ? ts->rf : n;
    if (n == 0 || k >= rf)
        return -1;
    return (int)l[(pid + k) % n];
}

static void rebuild_seeds(aero_testserver *ts) {
    size_t off = 0;
    ts->seeds[0] = 0;
    for (unsigned i = 0; i < ts->n_nodes; i++) {
        if (!ts->nodes[i].live)
            continue;
        off += (size_t)snprintf(ts->seeds + off, sizeof ts->seeds - off, "%s127.0.0.1:%u", off ? "," : "",
                                ts->nodes[i].port);
    }
}

/* ---------------- socket helpers ---------------- */

static bool node_running(const ts_node *n) { return n->accept_running && !n->ts->stopping; }

/* Read exactly n bytes; false on EOF, error, or node/server stop. */
static bool read_full(ts_conn *c, uint8_t *p, size_t n) {
    while (n > 0) {
        struct pollfd pf = { .fd = c->fd, .events = POLLIN };
        int r = poll(&pf, 1, POLL_MS);
        if (!node_running(c->node))
            return false;
        if (r < 0 && errno != EINTR)
            return false;
        if (r <= 0)
            continue;
        ssize_t k = recv(c->fd, p, n, 0);
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

static bool write_full(int fd, const uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
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

static void sleep_ms(const ts_node *n, uint32_t ms) {
    while (ms > 0 && node_running(n)) {
        uint32_t step = ms > 20 ? 20 : ms;
        struct timespec t = { .tv_sec = 0, .tv_nsec = (long)step * 1000000L };
        nanosleep(&t, NULL);
        ms -= step;
    }
}

/* ---------------- faults ---------------- */

/* Take one use of the node's fault; returns the fault and its arg. */
static int take_fault(ts_node *n, uint32_t *arg) {
    aero_testserver *ts = n->ts;
    pthread_mutex_lock(&ts->mu);
    int f = n->fault;
    *arg = n->fault_arg;
    if (f != AERO_TS_FAULT_NONE && n->fault_count > 0 && --n->fault_count == 0)
        n->fault = AERO_TS_FAULT_NONE;
    pthread_mutex_unlock(&ts->mu);
    return f;
}

static uint32_t fault_epoch(ts_node *n) {
    pthread_mutex_lock(&n->ts->mu);
    uint32_t e = n->fault_epoch;
    pthread_mutex_unlock(&n->ts->mu);
    return e;
}

/* ---------------- connection thread ---------------- */

static void admin_answer(aero_buf *out) {
    uint8_t *p = aero_buf__append(out, 24);
    if (!p)
        return;
    memset(p, 0, 24);
    uint64_t h = ((uint64_t)AERO_PROTO_VERSION << 56) | ((uint64_t)AERO_PROTO_ADMIN << 48) | 16u;
    aero_set_u64be(p, h);
    p[9] = AERO_ERR_SECURITY_NOT_SUPPORTED;
}

/* Answer an AS_MSG request as if every command failed with rc. */
static void result_answer(const uint8_t *body, size_t len, uint8_t rc, aero_buf *out) {
    ts_field fields[64];
    ts_msg m;
    bool single = ts_msg_parse(body, len, &m, fields, 64, NULL) == 0 && m.fields_by_type[AERO_FIELD_DIGEST] &&
                  !m.fields_by_type[AERO_FIELD_BATCH_INDEX];
    free(m.ops);
    size_t f = ts_frame_begin(out);
    size_t h = ts_resp_begin(out);
    ts_resp_end(out, h, 0, single ? 0 : AERO_INFO3_LAST, rc, 0, 0, 0, 0, 0);
    ts_frame_end(out, f);
}

static void *conn_main(void *arg) {
    ts_conn *c = arg;
    ts_node *node = c->node;
    aero_testserver *ts = node->ts;
    uint8_t hdr[8];
    aero_buf out;
    aero_buf__init(&out, NULL, 0);
    uint64_t seed = ts_now_ns() ^ (uint64_t)(uintptr_t)c;
    while (read_full(c, hdr, 8)) {
        uint8_t version = hdr[0], type = hdr[1];
        uint64_t size = aero_get_u64be(hdr) & 0xFFFFFFFFFFFFull;
        if (version != AERO_PROTO_VERSION || size > AERO_PROTO_SIZE_MAX || type < 1 || type > 4)
            break;
        uint8_t *body = malloc(size ? size : 1);
        if (!body)
            break;
        if (!read_full(c, body, size)) {
            free(body);
            break;
        }
        aero_buf__reset(&out);
        bool close_after = false;
        if (type == AERO_PROTO_INFO) {
            ts_info_answer(ts, node, body, size, &out);
        } else if (type == AERO_PROTO_ADMIN) {
            admin_answer(&out);
        } else {
            uint32_t farg = 0;
            uint32_t epoch = fault_epoch(node);
            int fault = take_fault(node, &farg);
            switch (fault) {
            case AERO_TS_FAULT_STALL:
                free(body);
                /* never answer; wait for the client to give up, the node to stop or a new inject call */
                while (node_running(node) && fault_epoch(node) == epoch) {
                    struct pollfd pf = { .fd = c->fd, .events = POLLIN };
                    if (poll(&pf, 1, POLL_MS) > 0) {
                        uint8_t tmp[512];
                        ssize_t k = recv(c->fd, tmp, sizeof tmp, 0);
                        if (k <= 0)
                            goto out;
                    }
                }
                goto out;
            case AERO_TS_FAULT_DROP: free(body); goto out;
            case AERO_TS_FAULT_GARBAGE: {
                uint32_t n = farg ? farg : 32;
                if (n > 65536)
                    n = 65536;
                uint8_t *g = aero_buf__append(&out, n);
                for (uint32_t i = 0; g && i < n; i++) {
                    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                    g[i] = (uint8_t)(seed >> 56);
                }
                if (g)
                    g[0] = 0xFF; /* never a valid version byte */
                close_after = true;
                break;
            }
            case AERO_TS_FAULT_RESULT_CODE: result_answer(body, size, (uint8_t)farg, &out); break;
            default:
                if (fault == AERO_TS_FAULT_DELAY)
                    sleep_ms(node, farg);
                if (type == AERO_PROTO_COMPRESSED)
                    ts_resp_simple(&out, AERO_ERR_ENTERPRISE_ONLY, 0, 0);
                else
                    ts_handle_msg(ts, node, body, size, &out);
                if (fault == AERO_TS_FAULT_CLOSE_MID) {
                    out.len = out.len / 2;
                    close_after = true;
                }
                break;
            }
        }
        free(body);
        if (out.failed) {
            aero_buf__reset(&out);
            ts_resp_simple(&out, AERO_ERR_SERVER, 0, 0);
        }
        if (!write_full(c->fd, out.data, out.len) || close_after)
            break;
    }
out:
    aero_buf__free(&out);
    shutdown(c->fd, SHUT_RDWR);
    c->done = true;
    return NULL;
}

/* Join and free finished connections (all of them when `all`). Skips the calling thread. */
static void reap(ts_node *n, bool all) {
    pthread_mutex_lock(&n->conn_mu);
    ts_conn **pp = &n->conns;
    while (*pp) {
        ts_conn *c = *pp;
        if ((c->done || all) && !pthread_equal(c->thread, pthread_self())) {
            if (all)
                shutdown(c->fd, SHUT_RDWR);
            pthread_join(c->thread, NULL);
            close(c->fd);
            *pp = c->next;
            free(c);
        } else {
            pp = &c->next;
        }
    }
    pthread_mutex_unlock(&n->conn_mu);
}

static void *accept_main(void *arg) {
    ts_node *n = arg;
    while (node_running(n)) {
        struct pollfd pf = { .fd = n->listen_fd, .events = POLLIN };
        int r = poll(&pf, 1, POLL_MS);
        reap(n, false);
        if (r <= 0)
            continue;
        int fd = accept(n->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ts_conn *c = calloc(1, sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->node = n;
        pthread_mutex_lock(&n->conn_mu);
        if (pthread_create(&c->thread, NULL, conn_main, c) != 0) {
            pthread_mutex_unlock(&n->conn_mu);
            close(fd);
            free(c);
            continue;
        }
        c->next = n->conns;
        n->conns = c;
        pthread_mutex_unlock(&n->conn_mu);
    }
    return NULL;
}

static int bind_node(ts_node *n, uint16_t port) {
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
    n->listen_fd = fd;
    n->port = ntohs(a.sin_port);
    return 0;
}

static int run_node(ts_node *n) {
    n->accept_running = true;
    if (pthread_create(&n->accept_thread, NULL, accept_main, n) != 0) {
        n->accept_running = false;
        close(n->listen_fd);
        n->listen_fd = -1;
        return -1;
    }
    return 0;
}

static void halt_node(ts_node *n) {
    if (!n->accept_running)
        return;
    n->accept_running = false;
    pthread_join(n->accept_thread, NULL);
    close(n->listen_fd);
    n->listen_fd = -1;
    reap(n, true);
}

/* ---------------- public API ---------------- */

void aero_testserver_config_init(aero_testserver_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->nodes = 1;
    cfg->replication_factor = 1;
    cfg->namespaces = "test";
    cfg->cluster_name = "";
}

aero_testserver *aero_testserver_start(const aero_testserver_config *cfg, aero_error *err) {
    aero_testserver_config def;
    if (!cfg) {
        aero_testserver_config_init(&def);
        cfg = &def;
    }
    unsigned nodes = cfg->nodes ? cfg->nodes : 1;
    if (nodes > TS_MAX_NODES || (cfg->port && (unsigned)cfg->port + nodes - 1 > 65535)) {
        aero_err__set(err, AERO_ERR_PARAM, "testserver: nodes must be 1..%d", TS_MAX_NODES);
        return NULL;
    }
    if (cfg->cluster_name && strlen(cfg->cluster_name) >= 64) {
        aero_err__set(err, AERO_ERR_PARAM, "testserver: cluster name too long");
        return NULL;
    }
    if (cfg->build && (!*cfg->build || strlen(cfg->build) >= 32)) {
        aero_err__set(err, AERO_ERR_PARAM, "testserver: build must be 1..31 bytes");
        return NULL;
    }
    if (cfg->default_read_touch_ttl_pct > 100) {
        aero_err__set(err, AERO_ERR_PARAM, "testserver: default-read-touch-ttl-pct must be 0..100");
        return NULL;
    }
    aero_testserver *ts = calloc(1, sizeof *ts);
    if (!ts) {
        aero_err__set(err, AERO_ERR_NO_MEMORY, "testserver: out of memory");
        return NULL;
    }
    if (ts_store_init(&ts->store, cfg->namespaces, cfg->default_ttl) != 0) {
        ts_store_dispose(&ts->store);
        free(ts);
        aero_err__set(err, AERO_ERR_PARAM, "testserver: bad namespace list \"%s\"",
                      cfg->namespaces ? cfg->namespaces : "");
        return NULL;
    }
    ts->store.default_read_touch_pct = cfg->default_read_touch_ttl_pct;
    pthread_mutex_init(&ts->mu, NULL);
    ts->n_nodes = nodes;
    ts->rf = cfg->replication_factor ? cfg->replication_factor : 1;
    if (ts->rf > nodes)
        ts->rf = nodes;
    snprintf(ts->cluster_name, sizeof ts->cluster_name, "%s", cfg->cluster_name ? cfg->cluster_name : "");
    snprintf(ts->build, sizeof ts->build, "%s", cfg->build ? cfg->build : TS_BUILD);
    ts->partition_gen = 1;
    ts->peers_gen = 1;
    for (unsigned i = 0; i < nodes; i++) {
        ts_node *n = &ts->nodes[i];
        n->ts = ts;
        n->index = i;
        n->listen_fd = -1;
        pthread_mutex_init(&n->conn_mu, NULL);
    }
    for (unsigned i = 0; i < nodes; i++) {
        ts_node *n = &ts->nodes[i];
        if (bind_node(n, cfg->port ? (uint16_t)(cfg->port + i) : 0) != 0) {
            aero_err__set(err, AERO_ERR_CONNECTION, "testserver: cannot bind 127.0.0.1:%u: %s",
                          cfg->port ? cfg->port + i : 0, strerror(errno));
            aero_testserver_stop(ts);
            return NULL;
        }
        n->id = (0xBB9ull << 40) | ((uint64_t)n->port << 16) | (uint64_t)(i + 1);
        snprintf(n->name, sizeof n->name, "%" PRIX64, n->id);
        n->live = true;
    }
    rebuild_seeds(ts);
    for (unsigned i = 0; i < nodes; i++) {
        if (run_node(&ts->nodes[i]) != 0) {
            aero_err__set(err, AERO_ERR_NO_MEMORY, "testserver: cannot start a thread");
            aero_testserver_stop(ts);
            return NULL;
        }
    }
    if (err)
        aero_error_reset(err);
    return ts;
}

const char *aero_testserver_seeds(const aero_testserver *ts) { return ts ? ts->seeds : ""; }

uint16_t aero_testserver_port(const aero_testserver *ts, unsigned node) {
    return ts && node < ts->n_nodes ? ts->nodes[node].port : 0;
}

unsigned aero_testserver_node_count(const aero_testserver *ts) { return ts ? ts->n_nodes : 0; }

const char *aero_testserver_node_name(const aero_testserver *ts, unsigned node) {
    return ts && node < ts->n_nodes ? ts->nodes[node].name : NULL;
}

aero_status aero_testserver_node_stop(aero_testserver *ts, unsigned node, aero_error *err) {
    if (!ts || node >= ts->n_nodes)
        return aero_err__set(err, AERO_ERR_PARAM, "testserver: no node %u", node);
    pthread_mutex_lock(&ts->mu);
    ts_node *n = &ts->nodes[node];
    unsigned l[TS_MAX_NODES];
    if (!n->live || live_list(ts, l) < 2) {
        pthread_mutex_unlock(&ts->mu);
        return aero_err__set(err, AERO_ERR_PARAM, "testserver: node %u is not running or is the last one", node);
    }
    n->live = false;
    ts->partition_gen++;
    ts->peers_gen++;
    rebuild_seeds(ts);
    pthread_mutex_unlock(&ts->mu);
    halt_node(n);
    if (err)
        aero_error_reset(err);
    return AERO_OK;
}

aero_status aero_testserver_node_start(aero_testserver *ts, unsigned node, aero_error *err) {
    if (!ts || node >= ts->n_nodes)
        return aero_err__set(err, AERO_ERR_PARAM, "testserver: no node %u", node);
    ts_node *n = &ts->nodes[node];
    pthread_mutex_lock(&ts->mu);
    bool live = n->live;
    pthread_mutex_unlock(&ts->mu);
    if (live)
        return aero_err__set(err, AERO_ERR_PARAM, "testserver: node %u is running", node);
    reap(n, true); /* a node stopped from its own connection leaves that thread behind */
    if (bind_node(n, n->port) != 0)
        return aero_err__set(err, AERO_ERR_CONNECTION, "testserver: cannot bind 127.0.0.1:%u again", n->port);
    if (run_node(n) != 0)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "testserver: cannot start a thread");
    pthread_mutex_lock(&ts->mu);
    n->live = true;
    ts->partition_gen++;
    ts->peers_gen++;
    rebuild_seeds(ts);
    pthread_mutex_unlock(&ts->mu);
    if (err)
        aero_error_reset(err);
    return AERO_OK;
}

aero_status aero_testserver_inject(aero_testserver *ts, unsigned node, aero_testserver_fault fault, uint32_t arg,
                                   uint32_t count, aero_error *err) {
    if (!ts || node >= ts->n_nodes)
        return aero_err__set(err, AERO_ERR_PARAM, "testserver: no node %u", node);
    if ((int)fault < AERO_TS_FAULT_NONE || fault > AERO_TS_FAULT_RESULT_CODE)
        return aero_err__set(err, AERO_ERR_PARAM, "testserver: unknown fault %d", (int)fault);
    if (fault == AERO_TS_FAULT_RESULT_CODE && arg > 255)
        return aero_err__set(err, AERO_ERR_PARAM, "testserver: result code %u out of range", arg);
    pthread_mutex_lock(&ts->mu);
    ts->nodes[node].fault = fault;
    ts->nodes[node].fault_arg = arg;
    ts->nodes[node].fault_count = count;
    ts->nodes[node].fault_epoch++;
    pthread_mutex_unlock(&ts->mu);
    if (err)
        aero_error_reset(err);
    return AERO_OK;
}

static bool param(const char *cmd, const char *key, char *val, size_t cap) {
    size_t kl = strlen(key);
    const char *p = cmd;
    while (p && *p) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            const char *v = p + kl + 1;
            size_t n = strcspn(v, ";");
            if (n >= cap)
                n = cap - 1;
            memcpy(val, v, n);
            val[n] = 0;
            return true;
        }
        p = strchr(p, ';');
        if (p)
            p++;
    }
    return false;
}

aero_status aero_testserver_control(aero_testserver *ts, const char *cmd, char *out, size_t cap) {
    aero_error e;
    aero_status st = AERO_OK;
    char v[32];
    size_t vl = strcspn(cmd, ";");
    unsigned node = 0;
    if (param(cmd, "node", v, sizeof v))
        node = (unsigned)strtoul(v, NULL, 10);
    if (vl == 4 && strncmp(cmd, "stop", 4) == 0) {
        st = aero_testserver_node_stop(ts, node, &e);
    } else if (vl == 5 && strncmp(cmd, "start", 5) == 0) {
        st = aero_testserver_node_start(ts, node, &e);
    } else if (vl == 8 && strncmp(cmd, "truncate", 8) == 0) {
        pthread_mutex_lock(&ts->store.mu);
        for (unsigned i = 0; i < ts->store.n_ns; i++)
            ts_store_truncate(&ts->store, ts->store.ns[i], NULL, 0);
        pthread_mutex_unlock(&ts->store.mu);
    } else if (vl == 5 && strncmp(cmd, "fault", 5) == 0) {
        static const char *const names[] = { "none", "stall", "drop", "close-mid", "garbage", "delay", "result" };
        int f = -1;
        if (param(cmd, "type", v, sizeof v))
            for (int i = 0; i < 7; i++)
                if (strcmp(v, names[i]) == 0)
                    f = i;
        uint32_t arg = param(cmd, "arg", v, sizeof v) ? (uint32_t)strtoul(v, NULL, 10) : 0;
        uint32_t count = param(cmd, "count", v, sizeof v) ? (uint32_t)strtoul(v, NULL, 10) : 0;
        if (f < 0)
            st = aero_err__set(&e, AERO_ERR_PARAM, "unknown fault type");
        else
            st = aero_testserver_inject(ts, node, (aero_testserver_fault)f, arg, count, &e);
    } else {
        st = aero_err__set(&e, AERO_ERR_PARAM, "unknown control command");
    }
    if (out && cap) {
        if (st == AERO_OK)
            snprintf(out, cap, "ok");
        else
            snprintf(out, cap, "ERROR:4:%s", e.message);
    }
    return st;
}

void aero_testserver_stop(aero_testserver *ts) {
    if (!ts)
        return;
    ts->stopping = true;
    for (unsigned i = 0; i < ts->n_nodes; i++) {
        halt_node(&ts->nodes[i]);
        if (ts->nodes[i].listen_fd >= 0)
            close(ts->nodes[i].listen_fd);
        reap(&ts->nodes[i], true);
        pthread_mutex_destroy(&ts->nodes[i].conn_mu);
    }
    ts_store_dispose(&ts->store);
    pthread_mutex_destroy(&ts->mu);
    free(ts);
}
