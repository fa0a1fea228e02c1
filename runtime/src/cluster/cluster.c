/*
 * cluster/cluster.c - cluster lifecycle (seeds, tend thread start and stop),
 * routing lookups on the published view and statistics counters. The tend
 * pass itself lives in tend.c, logging in log.c.
 */
#include "cluster/state.h"

#include "internal.h"

#include <aero/cluster.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Split "h1:p1, h2 , [v6]:p3" into seeds. */
static aero_status parse_seeds(aero_cluster *c, const char *seeds, aero_error *err) {
    if (!seeds || !*seeds)
        return aero_err__set(err, AERO_ERR_INVALID_HOST, "empty seed list");
    size_t cap = 1;
    for (const char *p = seeds; *p; p++)
        if (*p == ',')
            cap++;
    c->seeds = calloc(cap, sizeof *c->seeds);
    if (!c->seeds)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for seeds");
    const char *p = seeds;
    for (;;) {
        const char *e = strchr(p, ',');
        if (!e)
            e = p + strlen(p);
        const char *s = p, *t = e;
        while (s < t && (*s == ' ' || *s == '\t'))
            s++;
        while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        aero_seed *sd = &c->seeds[c->n_seeds];
        if (aero_net__parse_seed(s, (size_t)(t - s), sd->host, sizeof sd->host, sd->tls_name, sizeof sd->tls_name,
                                 &sd->port, 3000) != AERO_OK)
            return aero_err__set(err, AERO_ERR_INVALID_HOST, "invalid seed host \"%.*s\"", (int)(t - s), s);
        c->n_seeds++;
        if (!*e)
            break;
        p = e + 1;
    }
    return AERO_OK;
}

static struct timespec monotonic_ts(uint64_t ns) {
    struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
    return ts;
}

/*
 * Tend every interval; a connection error seen by a command (tend_soon)
 * brings the next pass forward, but never closer than a quarter interval
 * to the previous one. Waits on a condition variable so free() stops the
 * thread at once.
 */
static void *tend_main(void *arg) {
    aero_cluster *c = arg;
    uint64_t interval_ns = (uint64_t)(c->cfg.tend_interval_ms ? c->cfg.tend_interval_ms : 1000) * 1000000u;
    uint64_t min_gap_ns = interval_ns / 4;
    uint64_t last = aero_now_ns();
    pthread_mutex_lock(&c->tend_lock);
    while (!c->stop) {
        for (;;) {
            if (c->stop)
                break;
            uint64_t now = aero_now_ns();
            bool soon = atomic_load_explicit(&c->tend_soon, memory_order_relaxed);
            uint64_t due = soon ? last + min_gap_ns : last + interval_ns;
            if (now >= due)
                break;
            struct timespec ts = monotonic_ts(due);
            pthread_cond_timedwait(&c->tend_cond, &c->tend_lock, &ts);
        }
        if (c->stop)
            break;
        atomic_store_explicit(&c->tend_soon, false, memory_order_relaxed);
        last = aero_now_ns();
        c->round_running = true;
        pthread_mutex_unlock(&c->tend_lock);
        aero_error err;
        aero_status st = aero_tend__round(c, &err);
        if (st != AERO_OK)
            aero_cluster__log(c, AERO_LOG_WARN, "tend: no node reachable: %s", err.message);
        pthread_mutex_lock(&c->tend_lock);
        c->round_running = false;
        c->rounds_done++;
        pthread_cond_broadcast(&c->round_cond);
    }
    /* wake any waiter: no more passes will come */
    pthread_cond_broadcast(&c->round_cond);
    pthread_mutex_unlock(&c->tend_lock);
    return NULL;
}

aero_status aero_cluster__new(const char *seeds, const aero_client_config *cfg, aero_cluster **out, aero_error *err) {
    *out = NULL;
    aero_cluster *c = calloc(1, sizeof *c);
    if (!c)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for the cluster");
    if (cfg) {
        c->cfg = *cfg;
    } else { /* the documented defaults of aero_client_config */
        c->cfg.tend_interval_ms = 1000;
        c->cfg.connect_timeout_ms = 1000;
        c->cfg.max_conns_per_node = 100;
        c->cfg.max_socket_idle_ms = 55000;
        c->cfg.max_node_failures = 5;
        c->cfg.fail_if_not_connected = true;
        c->cfg.log_level = AERO_LOG_INFO;
    }
    aero_status ast = aero_auth__new(cfg, &c->auth, err); /* the credentials live in c->auth only */
    c->cfg.user = NULL;
    c->cfg.password = NULL;
    if (ast != AERO_OK) {
        free(c);
        return ast;
    }
    if (c->cfg.max_node_failures == 0)
        c->cfg.max_node_failures = 1;
    if (c->cfg.cluster_name && c->cfg.cluster_name[0]) {
        c->cluster_name = strdup(c->cfg.cluster_name);
        if (!c->cluster_name) {
            free(c);
            return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for the cluster");
        }
    }
    c->cfg.cluster_name = c->cluster_name;
    if (c->cfg.rack_aware) {
        c->n_racks = c->cfg.n_rack_ids && c->cfg.rack_ids ? c->cfg.n_rack_ids : 1;
        if (c->n_racks > AERO_MAX_RACK_IDS)
            c->n_racks = AERO_MAX_RACK_IDS;
        for (uint32_t i = 0; i < c->n_racks; i++)
            c->racks[i] = c->cfg.n_rack_ids ? c->cfg.rack_ids[i] : c->cfg.rack_id;
    }
    c->cfg.rack_ids = NULL; /* copied above */
    if (c->cfg.error_rate_window == 0)
        c->cfg.error_rate_window = 1;
    atomic_init(&c->rr, 0);
    atomic_init(&c->tend_soon, false);
    atomic_init(&c->retries, 0);
    atomic_init(&c->errors_other, 0);
    for (size_t i = 0; i < AERO_ERR_SLOTS; i++)
        atomic_init(&c->errors[i], 0);
    atomic_init(&c->nodes_added, 0);
    atomic_init(&c->nodes_removed, 0);
    atomic_init(&c->tend_rounds, 0);
    atomic_init(&c->tend_errors, 0);

    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    aero_lock__init(&c->pub_lock);
    aero_lock__init(&c->index_lock);
    atomic_init(&c->indexes_stale, true);
    atomic_init(&c->indexes_wanted, false);
    bool locks_ok = pthread_mutex_init(&c->tend_lock, NULL) == 0;
    locks_ok = pthread_mutex_init(&c->index_mu, NULL) == 0 && locks_ok;
    locks_ok = pthread_cond_init(&c->tend_cond, &ca) == 0 && locks_ok;
    locks_ok = pthread_cond_init(&c->round_cond, &ca) == 0 && locks_ok;
    pthread_condattr_destroy(&ca);
    c->work = calloc(1, sizeof *c->work);
    if (!locks_ok || !c->work) {
        aero_cluster__free(c);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "could not initialise the cluster");
    }

    aero_status st = parse_seeds(c, seeds, err);
    if (st == AERO_OK && c->cfg.tls_enabled) {
        st = aero_tls__ctx_new(&c->cfg, &c->tls, err);
        if (st == AERO_OK && c->cfg.tls_name && *c->cfg.tls_name && !(c->tls_name = strdup(c->cfg.tls_name)))
            st = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for the TLS name");
    }
    /* the TLS settings were read; the caller's strings are not kept */
    c->cfg.tls_ca_file = c->cfg.tls_ca_path = c->cfg.tls_cert_file = c->cfg.tls_key_file = NULL;
    c->cfg.tls_key_password = c->cfg.tls_protocols = c->cfg.tls_cipher_suite = c->cfg.tls_crl_file = NULL;
    c->cfg.tls_name = c->tls_name;
    if (st != AERO_OK) {
        aero_cluster__free(c);
        return st;
    }

    aero_error terr;
    aero_error_reset(&terr);
    st = aero_tend__round(c, &terr);
    if (st != AERO_OK && c->cfg.fail_if_not_connected) {
        /* Unresolvable names stay INVALID_HOST and timeouts TIMEOUT; a refused
         * connect or a seed that is not a usable node (not joined, wrong cluster
         * name, too old) is a CONNECTION error whose message says which. */
        aero_status code = terr.code;
        if (code != AERO_ERR_TIMEOUT && code != AERO_ERR_INVALID_HOST && code != AERO_ERR_TLS &&
            !aero_status_is_security(code))
            code = AERO_ERR_CONNECTION;
        aero_err__set(err, code, "no seed answered (%s)", terr.message);
        aero_cluster__free(c);
        return code;
    }

    if (pthread_create(&c->thread, NULL, tend_main, c) != 0) {
        aero_cluster__free(c);
        return aero_err__set(err, AERO_ERR_CLIENT, "could not start the tend thread");
    }
    c->thread_started = true;
    *out = c;
    return AERO_OK;
}

void aero_cluster__free(aero_cluster *c) {
    if (!c)
        return;
    if (c->thread_started) {
        pthread_mutex_lock(&c->tend_lock);
        c->stop = true;
        pthread_cond_broadcast(&c->tend_cond);
        pthread_mutex_unlock(&c->tend_lock);
        pthread_join(c->thread, NULL);
    }
    for (size_t i = 0; i < c->n_nodes; i++) {
        aero_node__deactivate(c->nodes[i]);
        aero_node__release(c->nodes[i]);
    }
    free(c->nodes);
    free(c->pub_nodes);
    aero_pmap__free(c->pub_map);
    aero_pmap__free(c->work);
    free(c->seeds);
    aero_auth__free(c->auth);
    free(c->cluster_name);
    aero_tend__free_indexes(c);
    aero_tls__ctx_free(c->tls);
    free(c->tls_name);
    pthread_mutex_destroy(&c->tend_lock);
    pthread_cond_destroy(&c->tend_cond);
    pthread_cond_destroy(&c->round_cond);
    free(c);
}

struct aero_auth *aero_cluster__auth(aero_cluster *c) {
    return c->auth;
}

/* The node for a partition of namespace table t (NULL: not in the map), pub_lock held; not retained. */
static aero_node *route_in(aero_cluster *c, const aero_ns_table *t, uint16_t pid, bool is_write, aero_replica replica,
                           unsigned attempt, int read_mode_sc) {
    unsigned spread = 0;
    if (replica == AERO_REPLICA_ANY && !is_write)
        spread = atomic_fetch_add_explicit(&c->rr, 1, memory_order_relaxed);
    aero_route r = { read_mode_sc, c->racks, c->n_racks };
    aero_node *n = aero_pmap__route_in(t, pid, is_write, replica, attempt, spread, &r);
    if (!n && !t && c->pub_n == 1)
        n = c->pub_nodes[0]; /* one node that has not reported this namespace: let it answer */
    return n;
}

static aero_node *route_held(aero_cluster *c, const char *ns, uint16_t pid, bool is_write, aero_replica replica,
                             unsigned attempt, int read_mode_sc) {
    return route_in(c, aero_pmap__find(c->pub_map, ns), pid, is_write, replica, attempt, read_mode_sc);
}

static aero_node *node_for(aero_cluster *c, const char *ns, uint16_t pid, bool is_write, aero_replica replica,
                           unsigned attempt, int read_mode_sc) {
    aero_lock__acquire(&c->pub_lock);
    aero_node *n = route_held(c, ns, pid, is_write, replica, attempt, read_mode_sc);
    if (n)
        aero_node__retain(n);
    aero_lock__release(&c->pub_lock);
    return n;
}

void aero_cluster__route_begin(aero_cluster *c) { aero_lock__acquire(&c->pub_lock); }

aero_node *aero_cluster__route_held(aero_cluster *c, aero_route_cache *cache, const char *ns, uint16_t pid,
                                    bool is_write, const aero_policy *p, unsigned attempt) {
    if (!cache->ns || (cache->ns != ns && strcmp(cache->ns, ns) != 0)) {
        cache->ns = ns;
        cache->table = aero_pmap__find(c->pub_map, ns);
    }
    return route_in(c, cache->table, pid, is_write, p->replica, attempt, p->read_mode_sc);
}

void aero_cluster__route_end(aero_cluster *c) { aero_lock__release(&c->pub_lock); }

aero_node *aero_cluster__node_for(aero_cluster *c, const char *ns, uint16_t pid, bool is_write, aero_replica replica,
                                  unsigned attempt) {
    return node_for(c, ns, pid, is_write, replica, attempt, AERO_READ_MODE_SC_ALLOW_REPLICA);
}

aero_node *aero_cluster__node_for_policy(aero_cluster *c, const char *ns, uint16_t pid, bool is_write,
                                         const aero_policy *p, unsigned attempt) {
    return node_for(c, ns, pid, is_write, p->replica, attempt, p->read_mode_sc);
}

uint32_t aero_cluster__replication(aero_cluster *c, const char *ns) {
    aero_lock__acquire(&c->pub_lock);
    const aero_ns_table *t = aero_pmap__find(c->pub_map, ns);
    uint32_t rf = t && t->n_replicas ? t->n_replicas : 1;
    aero_lock__release(&c->pub_lock);
    return rf;
}

aero_node *aero_cluster__any_node(aero_cluster *c) {
    unsigned k = atomic_fetch_add_explicit(&c->rr, 1, memory_order_relaxed);
    aero_node *n = NULL;
    aero_lock__acquire(&c->pub_lock);
    for (size_t i = 0; i < c->pub_n; i++) {
        aero_node *cand = c->pub_nodes[(k + i) % c->pub_n];
        if (atomic_load_explicit(&cand->active, memory_order_relaxed)) {
            n = cand;
            aero_node__retain(n);
            break;
        }
    }
    aero_lock__release(&c->pub_lock);
    return n;
}

aero_status aero_cluster__require_build(aero_cluster *c, uint32_t min, const char *what, aero_error *err) {
    aero_status st = AERO_OK;
    aero_lock__acquire(&c->pub_lock);
    for (size_t i = 0; i < c->pub_n && st == AERO_OK; i++) {
        const aero_node *n = c->pub_nodes[i];
        if (atomic_load_explicit(&n->active, memory_order_relaxed) && n->build && n->build < min)
            st = aero_node__too_old(n, min, what, err);
    }
    aero_lock__release(&c->pub_lock);
    return st;
}

size_t aero_cluster__nodes(aero_cluster *c, aero_node **out, size_t cap) {
    size_t k = 0;
    aero_lock__acquire(&c->pub_lock);
    for (size_t i = 0; i < c->pub_n && k < cap; i++) {
        if (!atomic_load_explicit(&c->pub_nodes[i]->active, memory_order_relaxed))
            continue;
        aero_node__retain(c->pub_nodes[i]);
        out[k++] = c->pub_nodes[i];
    }
    aero_lock__release(&c->pub_lock);
    return k;
}

void aero_cluster__count_retry(aero_cluster *c) {
    if (!c)
        return;
    uint64_t n = atomic_fetch_add_explicit(&c->retries, 1, memory_order_relaxed) + 1;
    if (c->cfg.log && c->cfg.log_level >= AERO_LOG_DEBUG)
        aero_cluster__log(c, AERO_LOG_DEBUG, "command retry (%llu since connect)", (unsigned long long)n);
}

void aero_cluster__count_error(aero_cluster *c, aero_status code) {
    if (!c || code == AERO_OK)
        return;
    long slot = (long)code - AERO_ERR_SLOT_MIN;
    if (slot >= 0 && slot < AERO_ERR_SLOTS)
        atomic_fetch_add_explicit(&c->errors[slot], 1, memory_order_relaxed);
    else
        atomic_fetch_add_explicit(&c->errors_other, 1, memory_order_relaxed);
    if (c->cfg.log && c->cfg.log_level >= AERO_LOG_DEBUG)
        aero_cluster__log(c, AERO_LOG_DEBUG, "command failed: %s (%d)", aero_status_str(code), code);
    if (code == AERO_ERR_CONNECTION && c->thread_started &&
        !atomic_exchange_explicit(&c->tend_soon, true, memory_order_relaxed)) {
        pthread_mutex_lock(&c->tend_lock);
        pthread_cond_signal(&c->tend_cond);
        pthread_mutex_unlock(&c->tend_lock);
    }
}

bool aero_cluster__wait_for_tend(aero_cluster *c, uint64_t deadline_ns) {
    if (!c || !c->thread_started)
        return false;
    pthread_mutex_lock(&c->tend_lock);
    /* a pass already under way may have looked at the node before the failure: wait for the next one */
    uint64_t target = c->rounds_done + (c->round_running ? 2 : 1);
    atomic_store_explicit(&c->tend_soon, true, memory_order_relaxed);
    pthread_cond_signal(&c->tend_cond);
    while (c->rounds_done < target && !c->stop) {
        if (deadline_ns != UINT64_MAX && aero_now_ns() >= deadline_ns)
            break;
        if (deadline_ns == UINT64_MAX) {
            pthread_cond_wait(&c->round_cond, &c->tend_lock);
        } else {
            struct timespec ts = monotonic_ts(deadline_ns);
            pthread_cond_timedwait(&c->round_cond, &c->tend_lock, &ts);
        }
    }
    bool done = c->rounds_done >= target;
    pthread_mutex_unlock(&c->tend_lock);
    return done;
}

static int by_count_desc(const void *a, const void *b) {
    const aero_error_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return x->code < y->code ? -1 : x->code > y->code;
}

void aero_cluster__fill_stats(aero_cluster *c, struct aero_cluster_stats *out) {
    memset(out, 0, sizeof *out);
    aero_lock__acquire(&c->pub_lock);
    for (size_t i = 0; i < c->pub_n; i++) {
        aero_node *n = c->pub_nodes[i];
        if (!atomic_load_explicit(&n->active, memory_order_relaxed))
            continue;
        uint32_t open, in_use, idle;
        aero_node__pool_counts(n, &open, &in_use, &idle);
        out->n_nodes++;
        out->conns_open += open;
        out->conns_in_use += in_use;
        if (out->n_node_stats < AERO_STATS_MAX_NODES) {
            aero_node_stats *ns = &out->nodes[out->n_node_stats++];
            aero_copy_trunc(ns->name, sizeof ns->name, n->name);
            aero_copy_trunc(ns->address, sizeof ns->address, n->address);
            ns->conns_open = open;
            ns->conns_in_use = in_use;
            ns->conns_idle = idle;
            ns->tend_failures = atomic_load_explicit(&n->failures, memory_order_relaxed);
            ns->partitions = atomic_load_explicit(&n->partition_refs, memory_order_relaxed);
            ns->conns_opened = atomic_load_explicit(&n->conns_opened, memory_order_relaxed);
            ns->conn_errors = atomic_load_explicit(&n->conn_errors, memory_order_relaxed);
        }
    }
    aero_lock__release(&c->pub_lock);

    out->retries = atomic_load_explicit(&c->retries, memory_order_relaxed);
    aero_error_count all[AERO_ERR_SLOTS];
    size_t n_all = 0;
    for (size_t i = 0; i < AERO_ERR_SLOTS; i++) {
        uint64_t v = atomic_load_explicit(&c->errors[i], memory_order_relaxed);
        if (!v)
            continue;
        out->errors += v;
        all[n_all].code = (aero_status)((long)i + AERO_ERR_SLOT_MIN);
        all[n_all].count = v;
        n_all++;
    }
    out->errors += atomic_load_explicit(&c->errors_other, memory_order_relaxed);
    qsort(all, n_all, sizeof all[0], by_count_desc);
    for (size_t i = 0; i < n_all && i < AERO_STATS_MAX_CODES; i++)
        out->error_codes[out->n_error_codes++] = all[i];
    out->nodes_added = atomic_load_explicit(&c->nodes_added, memory_order_relaxed);
    out->nodes_removed = atomic_load_explicit(&c->nodes_removed, memory_order_relaxed);
    out->tend_rounds = atomic_load_explicit(&c->tend_rounds, memory_order_relaxed);
    out->tend_errors = atomic_load_explicit(&c->tend_errors, memory_order_relaxed);
}
