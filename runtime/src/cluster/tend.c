/*
 * cluster/tend.c - seeding and the tend pass (protocol.md 2.5).
 *
 * Runs on one thread at a time (aero_cluster__new before the tend thread
 * starts, then the tend thread), so the tend view needs no lock. Results are
 * published to command threads by swapping the published node array and
 * partition map under pub_lock.
 */
#include "cluster/state.h"
#include "cluster/indexes.h"
#include "cluster/service.h"

#include "internal.h"
#include "proto/info.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */

static bool view_i64(aero_strview v, int64_t *out) {
    if (v.len == 0 || v.len > 20)
        return false;
    char tmp[24];
    memcpy(tmp, v.p, v.len);
    tmp[v.len] = '\0';
    char *end;
    long long x = strtoll(tmp, &end, 10);
    if (*end)
        return false;
    *out = x;
    return true;
}

static bool view_eq(aero_strview v, const char *s) { return strlen(s) == v.len && memcmp(v.p, s, v.len) == 0; }

/*
 * The info `build` answer "8.1.2.0" as AERO_BUILD(8, 1, 2, 0); 0 when it is
 * not understood (no digits, or a part above 255), so an odd build string
 * never gets a node refused.
 */
static uint32_t parse_build(aero_strview v) {
    unsigned part[4] = { 0, 0, 0, 0 };
    size_t k = 0;
    bool digit = false;
    for (size_t i = 0; i < v.len && k < 4; i++) {
        char ch = v.p[i];
        if (ch >= '0' && ch <= '9') {
            part[k] = part[k] * 10 + (unsigned)(ch - '0');
            digit = true;
            if (part[k] > 255)
                return 0;
        } else if (ch == '.') {
            k++;
        } else {
            break;
        }
    }
    return digit ? AERO_BUILD(part[0], part[1], part[2], part[3]) : 0;
}

/* Build versions before 4.9.0.3 lack partition scans (protocol.md 2.5). */
static bool build_ok(uint32_t build) { return build == 0 || build >= AERO_BUILD(4, 9, 0, 3); }

/*
 * Connect to addr and check it is a usable node: node name present (equal to
 * `expect` when given), partition-generation != -1, build recent enough,
 * cluster-name matching. On success the connected socket is left in *conn
 * and the node name in name. With `svc_cmd` (a seed, cluster/service.h) that
 * command is asked too and its answer left in *svc (malloc'd; NULL when the
 * server did not answer it).
 */
static aero_status validate_addr(aero_cluster *c, const struct sockaddr *sa, socklen_t sa_len, const char *tls_name,
                                 const char *expect, const char *svc_cmd, char **svc, aero_conn *conn,
                                 aero_auth_session *session, char *name, size_t name_cap, uint32_t *build_out,
                                 aero_error *err) {
    *svc = NULL;
    uint64_t deadline = aero_deadline_after_ms(c->cfg.connect_timeout_ms ? c->cfg.connect_timeout_ms : 1000);
    *conn = (aero_conn)AERO_CONN_INIT;
    aero_status st = aero_conn__open(conn, sa, sa_len, c->tls, tls_name, deadline, err);
    if (st == AERO_OK && (st = aero_auth__login(conn, c->auth, session, deadline, err)) != AERO_OK)
        aero_conn__close(conn);
    if (st != AERO_OK)
        return st;
    const char *cmds[5] = { "node", "partition-generation", "build", NULL, NULL };
    size_t n_cmds = 3;
    if (c->cluster_name)
        cmds[n_cmds++] = "cluster-name";
    if (svc_cmd)
        cmds[n_cmds++] = svc_cmd;
    char *body = NULL;
    size_t len = 0;
    st = aero_info__exchange(conn, cmds, n_cmds, deadline, AERO_TEND_INFO_MAX, &body, &len, err);
    if (st != AERO_OK) {
        aero_conn__close(conn);
        return st;
    }
    aero_strview node, pgen, build, cname;
    int64_t pg = -1;
    *build_out = aero_info__find(body, len, "build", &build) ? parse_build(build) : 0;
    if (!aero_info__find(body, len, "node", &node) || node.len == 0 || node.len >= name_cap ||
        aero_info__value_error(node, NULL, 0) != AERO_OK) {
        st = aero_err__set(err, AERO_ERR_INVALID_NODE, "seed answered no node name");
    } else if (!aero_info__find(body, len, "partition-generation", &pgen) || !view_i64(pgen, &pg) || pg == -1 ||
               pg == 0xFFFFFFFFll) {
        st = aero_err__set(err, AERO_ERR_INVALID_NODE, "node %.*s has not joined a cluster (partition-generation -1)",
                           (int)node.len, node.p);
    } else if (!build_ok(*build_out)) {
        st = aero_err__set(err, AERO_ERR_INVALID_NODE, "node %.*s runs build %.*s, 4.9.0.3 or later is required",
                           (int)node.len, node.p, (int)build.len, build.p);
    } else if (c->cluster_name &&
               (!aero_info__find(body, len, "cluster-name", &cname) || !view_eq(cname, c->cluster_name))) {
        st = aero_err__set(err, AERO_ERR_INVALID_NODE, "node %.*s is not in cluster \"%s\"", (int)node.len, node.p,
                           c->cluster_name);
    } else if (expect && !view_eq(node, expect)) {
        st = aero_err__set(err, AERO_ERR_INVALID_NODE, "address answered as node %.*s, expected %s", (int)node.len,
                           node.p, expect);
    } else {
        memcpy(name, node.p, node.len);
        name[node.len] = '\0';
        st = AERO_OK;
        aero_strview sv;
        if (svc_cmd && aero_info__find(body, len, svc_cmd, &sv) && !(*svc = strndup(sv.p, sv.len)))
            st = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for an info answer");
    }
    free(body);
    if (st != AERO_OK)
        aero_conn__close(conn);
    return st;
}

static aero_node *find_node(aero_cluster *c, const char *name) {
    for (size_t i = 0; i < c->n_nodes; i++)
        if (strcmp(c->nodes[i]->name, name) == 0)
            return c->nodes[i];
    return NULL;
}

static bool add_node(aero_cluster *c, aero_node *n) {
    if (c->n_nodes == c->cap_nodes) {
        size_t cap = c->cap_nodes ? c->cap_nodes * 2 : 8;
        aero_node **arr = realloc(c->nodes, cap * sizeof *arr);
        if (!arr)
            return false;
        c->nodes = arr;
        c->cap_nodes = cap;
    }
    c->nodes[c->n_nodes++] = n;
    c->nodes_dirty = true;
    atomic_fetch_add_explicit(&c->nodes_added, 1, memory_order_relaxed);
    aero_cluster__log(c, AERO_LOG_INFO, "node %s added (%s)", n->name, n->address);
    return true;
}

/*
 * Resolve host:port and validate each address; the first that answers as a
 * node (named `expect` if given) is added. With TLS the certificate is
 * checked against `tls_name` (NULL or "": the configured default, else the
 * host). Returns the new node (owned by the cluster list) or NULL with err set.
 */
static aero_node *try_host(aero_cluster *c, const char *host, uint16_t port, const char *tls_name, const char *expect,
                           aero_error *err) {
    if (!tls_name || !*tls_name)
        tls_name = c->tls_name ? c->tls_name : host;
    char port_s[8];
    snprintf(port_s, sizeof port_s, "%u", (unsigned)port);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    int gr = getaddrinfo(host, port_s, &hints, &res);
    if (gr != 0) {
        aero_err__set(err, AERO_ERR_INVALID_HOST, "cannot resolve %s: %s", host, gai_strerror(gr));
        return NULL;
    }
    aero_node *added = NULL;
    for (struct addrinfo *ai = res; ai && !added; ai = ai->ai_next) {
        aero_conn conn;
        aero_auth_session session; /* the login of the probe, handed to the node */
        aero_auth__session_init(&session);
        char name[AERO_NODE_NAME_MAX];
        uint32_t build = 0;
        /* a seed may be a load balancer: ask the node for its own addresses (cluster/service.c) */
        const char *svc_cmd = expect ? NULL : aero_service__command(c, ai->ai_addr);
        char *svc = NULL;
        aero_status st = validate_addr(c, ai->ai_addr, ai->ai_addrlen, tls_name, expect, svc_cmd, &svc, &conn, &session,
                                       name, sizeof name, &build, err);
        aero_service_addr where;
        aero_copy_trunc(where.host, sizeof where.host, host);
        where.port = port;
        if (ai->ai_addrlen <= sizeof where.addr) {
            memcpy(&where.addr, ai->ai_addr, ai->ai_addrlen);
            where.addr_len = ai->ai_addrlen;
        } else {
            where.addr_len = 0;
        }
        if (st == AERO_OK && svc) {
            aero_strview answer = { svc, strlen(svc) };
            st = aero_service__follow(c, answer, name, tls_name, &session, &conn, &where, err);
            if (st != AERO_OK)
                aero_conn__close(&conn);
        }
        free(svc);
        if (st != AERO_OK) {
            aero_auth__session_dispose(&session);
            char msg[AERO_ERROR_MESSAGE_SIZE];
            snprintf(msg, sizeof msg, "%s", err ? err->message : "");
            aero_err__set(err, st, "%s:%u: %s", host, (unsigned)port, msg);
            continue;
        }
        if (find_node(c, name)) { /* another address of a node we have */
            aero_auth__session_dispose(&session);
            aero_conn__close(&conn);
            aero_err__set(err, AERO_ERR_INVALID_NODE, "%s:%u is node %s, already known", host, (unsigned)port, name);
            break;
        }
        aero_node *n =
            aero_node__new(name, where.host, where.port, (const struct sockaddr *)&where.addr, where.addr_len, &c->cfg);
        if (n) {
            n->build = build;
            n->auth = c->auth;
            aero_auth__session_move(&n->session, &session);
            n->tls = c->tls;
            aero_copy_trunc(n->tls_name, sizeof n->tls_name, tls_name);
        }
        aero_auth__session_dispose(&session);
        if (!n || !add_node(c, n)) {
            aero_conn__close(&conn);
            aero_node__release(n);
            aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a node");
            break;
        }
        n->tend_conn = conn; /* reuse the validated socket for tending */
        added = n;
    }
    freeaddrinfo(res);
    return added;
}

static aero_status seed(aero_cluster *c, aero_error *err) {
    aero_err__set(err, AERO_ERR_CONNECTION, "no seed");
    for (size_t i = 0; i < c->n_seeds; i++) {
        if (try_host(c, c->seeds[i].host, c->seeds[i].port, c->seeds[i].tls_name, NULL, err)) {
            aero_err__reset(err);
            return AERO_OK;
        }
        aero_cluster__log(c, AERO_LOG_WARN, "seed %s:%u failed: %s", c->seeds[i].host, (unsigned)c->seeds[i].port,
                          err ? err->message : "");
    }
    return err ? err->code : AERO_ERR_CONNECTION;
}

static void tend_failed(aero_cluster *c, aero_node *n, const char *what, const aero_error *e) {
    unsigned f = atomic_fetch_add_explicit(&n->failures, 1, memory_order_relaxed) + 1;
    atomic_fetch_add_explicit(&c->tend_errors, 1, memory_order_relaxed);
    aero_cluster__log(c, f == 1 ? AERO_LOG_WARN : AERO_LOG_DEBUG, "node %s (%s): %s failed (%u in a row): %s", n->name,
                      n->address, what, f, e->message);
}

/* Step 2: node, peers-generation, partition-generation. */
static void refresh_node(aero_cluster *c, aero_node *n, bool *peers_changed) {
    static const char *const cmds[] = { "node", "peers-generation", "partition-generation", "rebalance-generation" };
    char *body = NULL;
    size_t len = 0;
    aero_error e;
    aero_status st = aero_node__tend_info(n, cmds, c->cfg.rack_aware ? 4 : 3, &body, &len, &e);
    aero_strview name, pgen, pagen;
    int64_t pg = 0, pa = 0;
    if (st == AERO_OK &&
        (!aero_info__find(body, len, "node", &name) || !aero_info__find(body, len, "peers-generation", &pgen) ||
         !view_i64(pgen, &pg) || !aero_info__find(body, len, "partition-generation", &pagen) || !view_i64(pagen, &pa)))
        st = aero_err__set(&e, AERO_ERR_PROTOCOL, "malformed tend answer");
    if (st != AERO_OK) {
        free(body);
        tend_failed(c, n, "tend", &e);
        *peers_changed = true;
        return;
    }
    aero_strview rgen;
    int64_t rg = 0;
    if (st == AERO_OK && c->cfg.rack_aware && aero_info__find(body, len, "rebalance-generation", &rgen) &&
        view_i64(rgen, &rg) && rg != n->rebalance_gen)
        n->racks_changed = true;
    if (!view_eq(name, n->name)) {
        aero_cluster__log(c, AERO_LOG_WARN, "node %s (%s) now answers as %.*s: marking it inactive", n->name,
                          n->address, (int)name.len, name.p);
        atomic_store(&n->active, false);
        free(body);
        *peers_changed = true;
        return;
    }
    free(body);
    if (atomic_exchange(&n->failures, 0) > 0) {
        aero_cluster__log(c, AERO_LOG_INFO, "node %s (%s) answers again", n->name, n->address);
        n->peers_gen = -1; /* force every refresh */
        n->partition_changed = true;
        n->racks_changed = c->cfg.rack_aware;
        *peers_changed = true;
    }
    if (pg != n->peers_gen)
        *peers_changed = true;
    if (pa != n->partition_gen)
        n->partition_changed = true;
}

/* Does the peer entry list the address the node is reached at? */
static bool lists_address(const aero_peer *p, const aero_node *n) {
    for (size_t h = 0; h < p->n_hosts; h++)
        if (p->hosts[h].port == n->port && strcmp(p->hosts[h].host, n->host) == 0)
            return true;
    return false;
}

/* Step 3: fetch peers from every healthy node (new nodes included as they appear). */
static bool refresh_peers(aero_cluster *c) {
    bool any_ok = false;
    for (size_t i = 0; i < c->n_nodes; i++)
        c->nodes[i]->friends = 0;
    for (size_t i = 0; i < c->n_nodes; i++) {
        aero_node *n = c->nodes[i];
        if (atomic_load(&n->failures) > 0 || !atomic_load(&n->active))
            continue;
        /* with TLS, peers are reached on their TLS ports and checked against the names they announce */
        const char *cmd = c->tls ? "peers-tls-std" : "peers-clear-std";
        char *body = NULL;
        size_t len = 0;
        aero_error e;
        aero_strview v;
        aero_status st = aero_node__tend_info(n, &cmd, 1, &body, &len, &e);
        if (st == AERO_OK && !aero_info__find(body, len, cmd, &v))
            st = aero_err__set(&e, AERO_ERR_PROTOCOL, "no %s in the answer", cmd);
        if (st == AERO_OK && c->tls && aero_info__value_error(v, NULL, 0) != AERO_OK) {
            /* A server without a TLS service of its own (behind a TLS proxy such as stunnel) refuses
             * peers-tls-std: it has no TLS peers to announce, so the seeds are the whole cluster. */
            aero_cluster__log(c, AERO_LOG_DEBUG, "node %s: %s answered %.*s: no TLS peers", n->name, cmd,
                              (int)(v.len > 120 ? 120 : v.len), v.p);
            v.p = "0,,[]";
            v.len = 5;
        }
        int64_t gen = 0;
        aero_peer *peers = NULL;
        size_t n_peers = 0;
        if (st == AERO_OK && (st = aero_peers__parse(v.p, v.len, &gen, &peers, &n_peers)) != AERO_OK)
            aero_err__set(&e, st, "malformed peers answer \"%.*s\"", (int)(v.len > 120 ? 120 : v.len), v.p);
        free(body);
        if (st != AERO_OK) {
            tend_failed(c, n, "peers refresh", &e);
            continue;
        }
        any_ok = true;
        n->peers_count = (uint32_t)n_peers;
        bool all_ok = true;
        for (size_t k = 0; k < n_peers; k++) {
            aero_peer *p = &peers[k];
            aero_node *known = find_node(c, p->name);
            if (known && atomic_load(&known->failures) > 0 && p->n_hosts > 0 && !lists_address(p, known)) {
                /* The node came back on another address: drop the failing entry, the next pass adds the new one. */
                aero_cluster__log(c, AERO_LOG_INFO, "node %s moved from %s: replacing it", known->name, known->address);
                atomic_store(&known->active, false);
                all_ok = false;
                continue;
            }
            if (known) {
                /* Listed by a peer: kept even while failing, until max_node_failures
                 * or until its peers stop listing it. */
                if (known != n)
                    known->friends++;
                if (atomic_load(&known->failures) > 0)
                    all_ok = false; /* listed but failing: look again next pass */
                continue;
            }
            aero_node *added = NULL;
            aero_error pe;
            aero_err__set(&pe, AERO_ERR_INVALID_HOST, "peer %s lists no address", p->name);
            for (size_t h = 0; h < p->n_hosts && !added; h++)
                added = try_host(c, p->hosts[h].host, p->hosts[h].port, p->tls_name, p->name, &pe);
            if (added) {
                added->friends++;
            } else {
                all_ok = false;
                aero_cluster__log(c, AERO_LOG_WARN, "peer %s of node %s could not be added: %s", p->name, n->name,
                                  pe.message);
            }
        }
        free(peers);
        /* Record the generation only when every peer was accounted for, so a
         * peer that failed (or is failing) is looked at again next pass. */
        n->peers_gen = all_ok ? gen : -1;
    }
    return any_ok;
}

static void remove_at(aero_cluster *c, size_t i, aero_node **removed, size_t *n_removed, const char *why) {
    aero_node *n = c->nodes[i];
    aero_cluster__log(c, AERO_LOG_INFO, "node %s (%s) removed: %s", n->name, n->address, why);
    aero_pmap__remove_node(c->work, n);
    memmove(c->nodes + i, c->nodes + i + 1, (c->n_nodes - i - 1) * sizeof *c->nodes);
    c->n_nodes--;
    removed[(*n_removed)++] = n;
    c->map_dirty = true;
    c->nodes_dirty = true;
    atomic_fetch_add_explicit(&c->nodes_removed, 1, memory_order_relaxed);
}

/* Step 5: partition-generation + replicas for nodes whose map changed. */
typedef struct apply_ctx {
    aero_cluster *c;
    aero_node *n;
    bool ok;
} apply_ctx;

static void apply_cb(void *ctx, const char *ns, uint32_t regime, uint32_t n_replicas, uint32_t replica,
                     const uint8_t bitmap[AERO_BITMAP_BYTES]) {
    apply_ctx *a = ctx;
    if (!aero_pmap__apply(a->c->work, a->n, ns, regime, n_replicas, replica, bitmap))
        a->ok = false;
}

/*
 * Ask n for a generation and a value ("partition-generation\nreplicas",
 * "rebalance-generation\nrack-ids"). On success *body (free it) holds the
 * answer; on failure the node's tend failure is counted and false returned.
 */
static bool gen_and_value(aero_cluster *c, aero_node *n, const char *const cmds[2], char **body, int64_t *gen,
                          aero_strview *value) {
    size_t len = 0;
    aero_error e;
    aero_strview g;
    *body = NULL;
    aero_status st = aero_node__tend_info(n, cmds, 2, body, &len, &e);
    if (st == AERO_OK && (!aero_info__find(*body, len, cmds[0], &g) || !view_i64(g, gen) ||
                          !aero_info__find(*body, len, cmds[1], value)))
        st = aero_err__set(&e, AERO_ERR_PROTOCOL, "malformed %s answer", cmds[1]);
    if (st != AERO_OK) {
        free(*body);
        *body = NULL;
        tend_failed(c, n, cmds[1], &e);
    }
    return st == AERO_OK;
}

static void refresh_partitions(aero_cluster *c, aero_node *n) {
    static const char *const cmds[] = { "partition-generation", "replicas" };
    char *body;
    aero_strview rep;
    int64_t g = 0;
    if (!gen_and_value(c, n, cmds, &body, &g, &rep))
        return;
    apply_ctx a = { c, n, true };
    aero_error e;
    aero_status st = aero_replicas__parse(rep.p, rep.len, apply_cb, &a);
    if (st != AERO_OK)
        aero_err__set(&e, st, "malformed replicas value");
    else if (!a.ok)
        st = aero_err__set(&e, AERO_ERR_NO_MEMORY, "out of memory for the partition map");
    c->map_dirty = true;
    free(body);
    if (st != AERO_OK) {
        tend_failed(c, n, "replicas refresh", &e);
        return;
    }
    n->partition_gen = g;
    n->partition_changed = false;
}

/*
 * Step 6: rebalance-generation + rack-ids ("<ns>:<rack>;...", Enterprise)
 * for a node whose racks may have changed. An ERROR answer (Community
 * Edition: enterprise only) leaves the node rackless until its
 * rebalance-generation moves again.
 */
typedef struct rack_acc {
    aero_node *n;
    bool ok;
} rack_acc;

static bool one_rack(rack_acc *a, const char *p, size_t len) {
    const char *colon = memchr(p, ':', len);
    int64_t rack;
    aero_strview num = { colon ? colon + 1 : p, colon ? (size_t)(p + len - colon - 1) : 0 };
    size_t ns_len = colon ? (size_t)(colon - p) : 0;
    if (!colon || ns_len == 0 || ns_len > AERO_NAMESPACE_MAX || !view_i64(num, &rack) || rack < 0 || rack > INT32_MAX)
        return false;
    if (a->n->n_racks < AERO_NODE_RACK_NS) {
        memcpy(a->n->racks[a->n->n_racks].ns, p, ns_len);
        a->n->racks[a->n->n_racks].ns[ns_len] = '\0';
        a->n->racks[a->n->n_racks].rack = (int32_t)rack;
        a->n->n_racks++;
    }
    return true;
}

static void refresh_racks(aero_cluster *c, aero_node *n) {
    static const char *const cmds[] = { "rebalance-generation", "rack-ids" };
    char *body;
    aero_strview ids;
    int64_t g = 0;
    if (!gen_and_value(c, n, cmds, &body, &g, &ids))
        return;
    char msg[AERO_ERROR_MESSAGE_SIZE];
    rack_acc a = { n, true };
    n->n_racks = 0;
    if (aero_info__value_error(ids, msg, sizeof msg) != AERO_OK) {
        aero_cluster__log(c, AERO_LOG_INFO, "node %s (%s) reports no racks (rack-ids: %s)", n->name, n->address, msg);
    } else {
        const char *p = ids.p, *end = ids.p + ids.len;
        while (p < end && a.ok) {
            const char *semi = memchr(p, ';', (size_t)(end - p));
            const char *e2 = semi ? semi : end;
            if (e2 > p)
                a.ok = one_rack(&a, p, (size_t)(e2 - p));
            p = semi ? semi + 1 : end;
        }
        if (!a.ok) {
            n->n_racks = 0;
            aero_cluster__log(c, AERO_LOG_WARN, "node %s (%s): malformed rack-ids \"%.*s\"", n->name, n->address,
                              (int)(ids.len > 80 ? 80 : ids.len), ids.p);
        }
    }
    free(body);
    n->rebalance_gen = g;
    n->racks_changed = false;
    c->map_dirty = true; /* the published map carries each slot's rack */
}

bool aero_tend__publish(aero_cluster *c) {
    aero_pmap *map = NULL;
    aero_node **nodes = NULL;
    if (c->map_dirty) {
        map = aero_pmap__clone(c->work);
        if (!map)
            return false;
        if (c->cfg.rack_aware)
            aero_pmap__set_racks(map);
    }
    if (c->nodes_dirty) {
        nodes = malloc((c->n_nodes ? c->n_nodes : 1) * sizeof *nodes);
        if (!nodes) {
            aero_pmap__free(map);
            return false;
        }
        memcpy(nodes, c->nodes, c->n_nodes * sizeof *nodes);
    }
    aero_pmap *old_map = NULL;
    aero_node **old_nodes = NULL;
    aero_lock__acquire(&c->pub_lock);
    if (map) {
        old_map = c->pub_map;
        c->pub_map = map;
    }
    if (c->nodes_dirty) {
        old_nodes = c->pub_nodes;
        c->pub_nodes = nodes;
        c->pub_n = c->n_nodes;
    }
    aero_lock__release(&c->pub_lock);
    aero_pmap__free(old_map);
    free(old_nodes);
    c->map_dirty = false;
    c->nodes_dirty = false;
    return true;
}

aero_status aero_tend__round(aero_cluster *c, aero_error *err) {
    atomic_fetch_add_explicit(&c->tend_rounds, 1, memory_order_relaxed);
    bool peers_changed = false;
    if (c->n_nodes == 0) {
        aero_status st = seed(c, err);
        if (st != AERO_OK)
            return st;
        peers_changed = true;
    }
    size_t known = c->n_nodes;
    for (size_t i = 0; i < known; i++)
        refresh_node(c, c->nodes[i], &peers_changed);

    bool peers_ok = false;
    if (peers_changed)
        peers_ok = refresh_peers(c);

    /* Step 4: removals. */
    aero_node **removed = malloc((c->n_nodes ? c->n_nodes : 1) * sizeof *removed);
    size_t n_removed = 0;
    if (removed) {
        for (size_t i = c->n_nodes; i-- > 0;) {
            aero_node *n = c->nodes[i];
            unsigned f = atomic_load(&n->failures);
            if (!atomic_load(&n->active))
                remove_at(c, i, removed, &n_removed, "inactive");
            else if (f >= c->cfg.max_node_failures)
                remove_at(c, i, removed, &n_removed, "too many failures");
            else if (peers_ok && c->n_nodes > 1 && n->friends == 0 && (f > 0 || atomic_load(&n->partition_refs) == 0))
                remove_at(c, i, removed, &n_removed, "no longer listed by its peers");
        }
    }

    /* Step 5: partition maps. */
    for (size_t i = 0; i < c->n_nodes; i++) {
        aero_node *n = c->nodes[i];
        if (n->partition_changed && atomic_load(&n->failures) == 0 && atomic_load(&n->active) &&
            (n->peers_count > 0 || c->n_nodes == 1))
            refresh_partitions(c, n);
    }

    /* Step 6: racks. */
    for (size_t i = 0; c->cfg.rack_aware && i < c->n_nodes; i++) {
        aero_node *n = c->nodes[i];
        if (n->racks_changed && atomic_load(&n->failures) == 0 && atomic_load(&n->active))
            refresh_racks(c, n);
    }

    if (!aero_tend__publish(c))
        aero_cluster__log(c, AERO_LOG_ERROR, "tend: out of memory publishing the cluster view");
    /* Removed nodes are no longer published: drop the tend view's reference. */
    for (size_t i = 0; i < n_removed; i++) {
        aero_node__deactivate(removed[i]);
        aero_node__release(removed[i]);
    }
    free(removed);

    for (size_t i = 0; i < c->n_nodes; i++)
        aero_node__balance_pool(c->nodes[i]);
    aero_cluster__tend_indexes(c); /* published view is in place: info goes to the current nodes */

    /*
     * Step 7: a new circuit-breaker window every error_rate_window tend
     * intervals. Measured in time, not passes: connection errors bring
     * passes forward, which must not shorten the window.
     */
    if (c->cfg.max_error_rate) {
        uint64_t now = aero_now_ns();
        uint64_t window =
            (uint64_t)c->cfg.error_rate_window * (c->cfg.tend_interval_ms ? c->cfg.tend_interval_ms : 1000) * 1000000u;
        if (now - c->window_start_ns >= window - window / 8) { /* a pass may run a little early */
            c->window_start_ns = now;
            for (size_t i = 0; i < c->n_nodes; i++)
                atomic_store_explicit(&c->nodes[i]->error_count, 0, memory_order_relaxed);
        }
    }

    if (c->n_nodes == 0)
        return aero_err__set(err, AERO_ERR_CONNECTION, "every node was removed; seeding again next tend");
    aero_err__reset(err);
    return AERO_OK;
}

void aero_tend__free_indexes(aero_cluster *c) { aero_cluster__free_indexes(c); }
