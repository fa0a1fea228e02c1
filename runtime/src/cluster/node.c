/*
 * cluster/node.c - a node: reference count, per-node connection pool and
 * info exchanges.
 *
 * The pool is a LIFO stack of idle connections under a mutex: the most
 * recently used socket is reused first, so the oldest ones sit at the bottom
 * and are trimmed by the tend thread once idle too long. `open` counts every
 * connection that exists for the node; reaching max_conns gives
 * AERO_ERR_NO_MORE_CONNECTIONS instead of unbounded growth. A connection is
 * checked (stale, idle time) before it is lent, so a bad one is never handed
 * out. The stale check costs a poll() syscall, so it is skipped for a
 * connection back in the pool for less than AERO_POOL_STALE_CHECK_AFTER_MS:
 * a peer that closed it that recently is found by the command itself, which
 * retries reads and idempotent writes on a fresh connection.
 */
#include "cluster/node.h"

#include "internal.h"
#include "proto/info.h"
#include "proto/msg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

aero_node *aero_node__new(const char *name, const char *host, uint16_t port, const struct sockaddr *addr,
                          socklen_t addr_len, const aero_client_config *cfg) {
    if (addr_len > sizeof(struct sockaddr_storage))
        return NULL;
    aero_node *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->max_conns = cfg->max_conns_per_node ? cfg->max_conns_per_node : 100;
    n->idle = calloc(n->max_conns, sizeof *n->idle);
    if (!n->idle) {
        free(n);
        return NULL;
    }
    aero_lock__init(&n->lock);
    atomic_init(&n->refs, 1);
    atomic_init(&n->active, true);
    atomic_init(&n->conns_opened, 0);
    atomic_init(&n->conn_errors, 0);
    aero_copy_trunc(n->name, sizeof n->name, name);
    aero_copy_trunc(n->host, sizeof n->host, host);
    n->port = port;
    if (strchr(host, ':'))
        snprintf(n->address, sizeof n->address, "[%s]:%u", host, (unsigned)port);
    else
        snprintf(n->address, sizeof n->address, "%s:%u", host, (unsigned)port);
    memcpy(&n->addr, addr, addr_len);
    n->addr_len = addr_len;
    n->min_conns = cfg->min_conns_per_node < n->max_conns ? cfg->min_conns_per_node : n->max_conns;
    n->max_idle_ns = (uint64_t)cfg->max_socket_idle_ms * 1000000u;
    n->connect_timeout_ms = cfg->connect_timeout_ms;
    n->tend_conn = (aero_conn)AERO_CONN_INIT;
    aero_auth__session_init(&n->session);
    n->peers_gen = -1;
    n->partition_gen = -1;
    n->partition_changed = true;
    n->rebalance_gen = -1;
    n->racks_changed = cfg->rack_aware;
    n->max_error_rate = cfg->max_error_rate;
    atomic_init(&n->error_count, 0);
    return n;
}

int32_t aero_node__rack(const aero_node *n, const char *ns) {
    for (uint32_t i = 0; i < n->n_racks; i++)
        if (strcmp(n->racks[i].ns, ns) == 0)
            return n->racks[i].rack;
    return AERO_NO_RACK;
}

void aero_node__retain(aero_node *n) { atomic_fetch_add_explicit(&n->refs, 1, memory_order_relaxed); }

static void free_conn(aero_conn *c) {
    aero_conn__close(c);
    free(c);
}

void aero_node__release(aero_node *n) {
    if (!n)
        return;
    if (atomic_fetch_sub_explicit(&n->refs, 1, memory_order_acq_rel) != 1)
        return;
    for (uint32_t i = 0; i < n->n_idle; i++)
        free_conn(n->idle[i]);
    free(n->idle);
    aero_conn__close(&n->tend_conn);
    aero_auth__session_dispose(&n->session);
    free(n);
}

const char *aero_node__name(const aero_node *n) { return n->name; }

const char *aero_node__address(const aero_node *n) { return n->address; }

uint32_t aero_node__build(const aero_node *n) { return n->build; }

aero_status aero_node__too_old(const aero_node *n, uint32_t min, const char *what, aero_error *err) {
    uint32_t b = n->build;
    return aero_err__set(err, AERO_ERR_UNSUPPORTED_FEATURE,
                         "%s needs server %u.%u.%u or later: node %s (%s) runs %u.%u.%u.%u", what, min >> 24,
                         (min >> 16) & 0xff, (min >> 8) & 0xff, n->name, n->address, b >> 24, (b >> 16) & 0xff,
                         (b >> 8) & 0xff, b & 0xff);
}

static void set_node(aero_error *err, const aero_node *n) {
    if (err)
        aero_copy_trunc(err->node, sizeof err->node, n->name);
}

/* Forget one lent connection and free it. */
static void drop_lent(aero_node *n, aero_conn *c) {
    free_conn(c);
    aero_lock__acquire(&n->lock);
    n->open--;
    n->in_use--;
    aero_lock__release(&n->lock);
}

aero_status aero_node__conn_get(aero_node *n, uint64_t deadline_ns, aero_conn **out, aero_error *err) {
    *out = NULL;
    if (n->max_error_rate && atomic_load_explicit(&n->error_count, memory_order_relaxed) > n->max_error_rate) {
        aero_err__set(err, AERO_ERR_MAX_ERROR_RATE,
                      "node %s (%s): more than %u errors in this window, commands refused until it ends", n->name,
                      n->address, (unsigned)n->max_error_rate);
        set_node(err, n);
        return AERO_ERR_MAX_ERROR_RATE;
    }
    for (;;) {
        aero_lock__acquire(&n->lock);
        if (n->n_idle > 0) {
            aero_conn *c = n->idle[--n->n_idle];
            n->in_use++;
            aero_lock__release(&n->lock);
            uint64_t idle_ns = aero_now_coarse_ns() - c->last_used_ns;
            bool too_old = n->max_idle_ns && idle_ns > n->max_idle_ns;
            bool check = idle_ns >= (uint64_t)AERO_POOL_STALE_CHECK_AFTER_MS * 1000000u;
            if (too_old || (check && aero_conn__is_stale(c))) {
                drop_lent(n, c);
                continue;
            }
            *out = c;
            return AERO_OK;
        }
        if (n->open >= n->max_conns) {
            uint32_t max = n->max_conns;
            aero_lock__release(&n->lock);
            aero_err__set(err, AERO_ERR_NO_MORE_CONNECTIONS, "node %s (%s): all %u connections in use", n->name,
                          n->address, (unsigned)max);
            set_node(err, n);
            return AERO_ERR_NO_MORE_CONNECTIONS;
        }
        n->open++;
        n->in_use++;
        aero_lock__release(&n->lock);
        break;
    }

    aero_conn *c = malloc(sizeof *c);
    if (!c) {
        aero_lock__acquire(&n->lock);
        n->open--;
        n->in_use--;
        aero_lock__release(&n->lock);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a connection");
    }
    *c = (aero_conn)AERO_CONN_INIT;
    c->owner = n;
    aero_status st =
        aero_conn__open(c, (const struct sockaddr *)&n->addr, n->addr_len, n->tls, n->tls_name, deadline_ns, err);
    /* A command's handshake cut short by its own deadline is a timeout (retried as one), not a TLS fault;
     * seeding and tending keep AERO_ERR_TLS for a handshake that never completes. */
    if (st == AERO_ERR_TLS && deadline_ns != UINT64_MAX && aero_now_ns() >= deadline_ns)
        st = AERO_ERR_TIMEOUT;
    if (st == AERO_OK)
        st = aero_auth__login(c, n->auth, &n->session, deadline_ns, err);
    if (st != AERO_OK) {
        atomic_fetch_add_explicit(&n->conn_errors, 1, memory_order_relaxed);
        aero_node__count_error(n);
        drop_lent(n, c);
        if (err) {
            char msg[AERO_ERROR_MESSAGE_SIZE];
            aero_copy_trunc(msg, sizeof msg, err->message);
            aero_err__set(err, st, "node %s (%s): %s", n->name, n->address, msg);
        }
        set_node(err, n);
        return st;
    }
    atomic_fetch_add_explicit(&n->conns_opened, 1, memory_order_relaxed);
    *out = c;
    return AERO_OK;
}

void aero_node__conn_put(aero_node *n, aero_conn *conn) {
    if (!conn)
        return;
    if (conn->fd < 0 || !atomic_load_explicit(&n->active, memory_order_acquire)) {
        aero_node__conn_close(n, conn);
        return;
    }
    conn->last_used_ns = aero_now_coarse_ns();
    aero_lock__acquire(&n->lock);
    if (n->n_idle < n->max_conns) {
        n->idle[n->n_idle++] = conn;
        n->in_use--;
        conn = NULL;
    }
    aero_lock__release(&n->lock);
    if (conn)
        drop_lent(n, conn); /* cannot happen while open <= max_conns; defensive */
}

void aero_node__auth_lost(aero_node *n) { aero_auth__session_reset(&n->session); }

void aero_node__conn_close(aero_node *n, aero_conn *conn) {
    if (!conn)
        return;
    aero_node__count_error(n);
    drop_lent(n, conn);
}

void aero_node__deactivate(aero_node *n) {
    atomic_store_explicit(&n->active, false, memory_order_release);
    aero_lock__acquire(&n->lock);
    aero_conn **idle = n->idle;
    uint32_t k = n->n_idle;
    aero_conn *tmp[64];
    /* Close outside the lock in chunks: close() may block briefly. */
    while (k > 0) {
        uint32_t m = k < 64 ? k : 64;
        for (uint32_t i = 0; i < m; i++)
            tmp[i] = idle[k - 1 - i];
        k -= m;
        n->n_idle = k;
        n->open -= m;
        aero_lock__release(&n->lock);
        for (uint32_t i = 0; i < m; i++)
            free_conn(tmp[i]);
        aero_lock__acquire(&n->lock);
        k = n->n_idle;
    }
    aero_lock__release(&n->lock);
    aero_conn__close(&n->tend_conn);
}

void aero_node__balance_pool(aero_node *n) {
    /* Trim: the bottom of the stack holds the least recently used sockets. */
    if (n->max_idle_ns) {
        uint64_t now = aero_now_coarse_ns();
        aero_conn *tmp[64];
        uint32_t m = 0;
        aero_lock__acquire(&n->lock);
        while (m < 64 && m < n->n_idle && now - n->idle[m]->last_used_ns > n->max_idle_ns)
            tmp[m] = n->idle[m], m++;
        if (m > 0) {
            memmove(n->idle, n->idle + m, (n->n_idle - m) * sizeof *n->idle);
            n->n_idle -= m;
            n->open -= m;
        }
        aero_lock__release(&n->lock);
        for (uint32_t i = 0; i < m; i++)
            free_conn(tmp[i]);
    }
    /* Fill up to min_conns, a few per tend so a slow node does not stall tending. */
    for (int k = 0; k < 8 && atomic_load(&n->active); k++) {
        aero_lock__acquire(&n->lock);
        bool need = n->open < n->min_conns;
        if (need) {
            n->open++;
            n->in_use++;
        }
        aero_lock__release(&n->lock);
        if (!need)
            break;
        aero_conn *c = malloc(sizeof *c);
        aero_status st = AERO_ERR_NO_MEMORY;
        if (c) {
            *c = (aero_conn)AERO_CONN_INIT;
            c->owner = n;
            uint64_t deadline = aero_deadline_after_ms(n->connect_timeout_ms);
            st =
                aero_conn__open(c, (const struct sockaddr *)&n->addr, n->addr_len, n->tls, n->tls_name, deadline, NULL);
            if (st == AERO_OK)
                st = aero_auth__login(c, n->auth, &n->session, deadline, NULL);
        }
        if (st != AERO_OK) {
            if (c)
                drop_lent(n, c);
            else {
                aero_lock__acquire(&n->lock);
                n->open--;
                n->in_use--;
                aero_lock__release(&n->lock);
            }
            break;
        }
        atomic_fetch_add_explicit(&n->conns_opened, 1, memory_order_relaxed);
        aero_node__conn_put(n, c);
    }
}

void aero_node__pool_counts(aero_node *n, uint32_t *open, uint32_t *in_use, uint32_t *idle) {
    aero_lock__acquire(&n->lock);
    *open = n->open;
    *in_use = n->in_use;
    *idle = n->n_idle;
    aero_lock__release(&n->lock);
}

aero_status aero_info__exchange(aero_conn *conn, const char *const *commands, size_t n_commands, uint64_t deadline_ns,
                                size_t limit, char **out, size_t *out_len, aero_error *err) {
    *out = NULL;
    if (out_len)
        *out_len = 0;
    uint8_t stack[512];
    aero_buf b;
    aero_buf__init(&b, stack, sizeof stack);
    aero_info__request(&b, commands, n_commands);
    if (b.failed) {
        aero_buf__free(&b);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "info request could not be built");
    }
    aero_status st = aero_conn__write(conn, b.data, b.len, deadline_ns, err);
    aero_buf__free(&b);
    if (st != AERO_OK)
        return st;

    /* Header and (usually all of) the body in one recv. */
    uint8_t first[1024];
    size_t got = 0;
    st = aero_conn__read_some(conn, first, 8, sizeof first, &got, deadline_ns, err);
    if (st != AERO_OK)
        return st;
    uint8_t type;
    uint64_t size;
    if (aero_proto__read_header(first, &type, &size) != AERO_OK || type != 1)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "bad info response header (type %u)", (unsigned)first[1]);
    if (size > limit)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "info response of %llu bytes exceeds the %zu byte limit",
                             (unsigned long long)size, limit);
    if (got - 8 > size)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "unexpected bytes after an info response");
    char *body = malloc((size_t)size + 1);
    if (!body)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for an info response");
    memcpy(body, first + 8, got - 8);
    st = aero_conn__read(conn, body + (got - 8), (size_t)size - (got - 8), deadline_ns, err);
    if (st != AERO_OK) {
        free(body);
        return st;
    }
    body[size] = '\0';
    *out = body;
    if (out_len)
        *out_len = (size_t)size;
    return AERO_OK;
}

aero_status aero_node__info(aero_node *n, const char *const *commands, size_t n_commands, uint64_t deadline_ns,
                            char **out, size_t *out_len, aero_error *err) {
    *out = NULL;
    aero_conn *c;
    aero_status st = aero_node__conn_get(n, deadline_ns, &c, err);
    if (st != AERO_OK)
        return st;
    st = aero_info__exchange(c, commands, n_commands, deadline_ns, (size_t)128 * 1024 * 1024, out, out_len, err);
    if (st != AERO_OK) {
        aero_node__conn_close(n, c);
        set_node(err, n);
        return st;
    }
    aero_node__conn_put(n, c);
    return AERO_OK;
}

aero_status aero_node__tend_info(aero_node *n, const char *const *commands, size_t n_commands, char **out,
                                 size_t *out_len, aero_error *err) {
    uint64_t deadline = aero_deadline_after_ms(n->connect_timeout_ms ? n->connect_timeout_ms : 1000);
    aero_status st;
    if (n->tend_conn.fd < 0 || aero_conn__is_stale(&n->tend_conn)) {
        aero_conn__close(&n->tend_conn);
        st = aero_conn__open(&n->tend_conn, (const struct sockaddr *)&n->addr, n->addr_len, n->tls, n->tls_name,
                             deadline, err);
        if (st == AERO_OK && (st = aero_auth__login(&n->tend_conn, n->auth, &n->session, deadline, err)) != AERO_OK)
            aero_conn__close(&n->tend_conn);
        if (st != AERO_OK)
            return st;
    }
    st = aero_info__exchange(&n->tend_conn, commands, n_commands, deadline, AERO_TEND_INFO_MAX, out, out_len, err);
    if (st != AERO_OK)
        aero_conn__close(&n->tend_conn);
    return st;
}
