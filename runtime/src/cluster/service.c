/*
 * cluster/service.c - a seed behind a load balancer (protocol.md 2.5, step
 * 1.5; the C client's as_lookup.c as_set_node_address).
 *
 * A seed may not be one of the node's own addresses: a load balancer that
 * hands the connection to any node, a DNS alias, a port forward. While
 * seeding, a non-loopback seed also asks the node for its access addresses
 * (service-tls-std with TLS, service-clear-std otherwise) and, when the
 * seed is not among them, moves the node to the first advertised address
 * that answers as the same node: its pool and tend socket then go there
 * directly instead of through the load balancer (which might send the next
 * connection to another node). When no advertised address answers (an
 * access-address the client cannot reach, e.g. a cloud-internal one), the
 * seed is kept.
 *
 * Differences from the C client, on purpose: the seed matches an advertised
 * address only with the same port too (a port forward on the node's own
 * host is followed; the Java client compares ports too), and an error
 * answer (a server without the service) counts as no address.
 */
#include "cluster/service.h"

#include "internal.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

aero_status aero_service__parse(const char *s, size_t len, aero_peer_host *hosts, size_t max, size_t *n) {
    *n = 0;
    /* tolerate a trailing newline or spaces, as the peers parser does */
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
        len--;
    if (len == 0)
        return AERO_OK;
    const char *p = s, *end = s + len;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        aero_peer_host h;
        /* default port 0: an item without a port is refused below */
        if (aero_net__parse_host(p, (size_t)(e - p), h.host, sizeof h.host, &h.port, 0) != AERO_OK || h.port == 0)
            return AERO_ERR_PROTOCOL;
        if (*n < max)
            hosts[(*n)++] = h;
        if (!comma)
            return AERO_OK;
        p = comma + 1;
    }
}

static const char *cmd_name(const aero_cluster *c) { return c->tls ? "service-tls-std" : "service-clear-std"; }

const char *aero_service__command(const aero_cluster *c, const struct sockaddr *sa) {
    return aero_net__is_loopback(sa) ? NULL : cmd_name(c);
}

/* "host:port" / "[v6]:port" for log lines. */
static void format_addr(char *out, size_t cap, const char *host, uint16_t port) {
    if (strchr(host, ':'))
        snprintf(out, cap, "[%.*s]:%u", (int)(cap > 10 ? cap - 10 : 0), host, (unsigned)port);
    else
        snprintf(out, cap, "%.*s:%u", (int)(cap > 10 ? cap - 10 : 0), host, (unsigned)port);
}

/* Does the advertised h name the seed (its numeric address or the host as given, same port)? */
static bool is_seed(const aero_peer_host *h, const aero_service_addr *seed, const char *numeric) {
    if (h->port != seed->port)
        return false;
    return strcmp(h->host, numeric) == 0 || strcasecmp(h->host, seed->host) == 0;
}

/*
 * Connect to one resolved advertised address, log in with the seed's token
 * and ask `node`: true with *out connected when it answers as `name`.
 */
static bool try_addr(aero_cluster *c, const struct sockaddr *sa, socklen_t sa_len, const char *tls_name,
                     const char *name, aero_auth_session *session, aero_conn *out, char *why, size_t why_cap) {
    uint64_t deadline = aero_deadline_after_ms(c->cfg.connect_timeout_ms ? c->cfg.connect_timeout_ms : 1000);
    aero_error e;
    aero_error_reset(&e);
    aero_conn conn = AERO_CONN_INIT;
    aero_status st = aero_conn__open(&conn, sa, sa_len, c->tls, tls_name, deadline, &e);
    if (st == AERO_OK)
        st = aero_auth__login(&conn, c->auth, session, deadline, &e);
    char *body = NULL;
    size_t len = 0;
    static const char *const cmd[] = { "node" };
    if (st == AERO_OK)
        st = aero_info__exchange(&conn, cmd, 1, deadline, AERO_TEND_INFO_MAX, &body, &len, &e);
    aero_strview v = { "", 0 };
    if (st == AERO_OK &&
        (!aero_info__find(body, len, "node", &v) || v.len != strlen(name) || memcmp(v.p, name, v.len) != 0)) {
        st = AERO_ERR_INVALID_NODE;
        aero_err__set(&e, st, "answers as node %.*s", (int)(v.len > 64 ? 64 : v.len), v.p);
    }
    free(body);
    if (st != AERO_OK) {
        snprintf(why, why_cap, "%.*s", (int)(why_cap - 1), e.message);
        aero_conn__close(&conn);
        return false;
    }
    *out = conn;
    return true;
}

aero_status aero_service__follow(aero_cluster *c, aero_strview answer, const char *name, const char *tls_name,
                                 aero_auth_session *session, aero_conn *conn, aero_service_addr *where,
                                 aero_error *err) {
    char seed_text[AERO_HOST_MAX + 10];
    format_addr(seed_text, sizeof seed_text, where->host, where->port);
    if (answer.len == 0)
        return AERO_OK; /* no access address advertised: nothing to detect */
    if (aero_info__value_error(answer, NULL, 0) != AERO_OK) {
        aero_cluster__log(c, AERO_LOG_DEBUG, "node %s (seed %s): %s refused (%.*s): keeping the seed", name, seed_text,
                          cmd_name(c), (int)(answer.len > 120 ? 120 : answer.len), answer.p);
        return AERO_OK;
    }
    aero_peer_host hosts[AERO_SERVICE_MAX_HOSTS];
    size_t n = 0;
    if (aero_service__parse(answer.p, answer.len, hosts, AERO_SERVICE_MAX_HOSTS, &n) != AERO_OK)
        return aero_err__set(err, AERO_ERR_INVALID_NODE, "node %s answered an invalid %s \"%.*s\"", name, cmd_name(c),
                             (int)(answer.len > 120 ? 120 : answer.len), answer.p);

    char numeric[NI_MAXHOST] = "";
    if (getnameinfo((const struct sockaddr *)&where->addr, where->addr_len, numeric, sizeof numeric, NULL, 0,
                    NI_NUMERICHOST) != 0)
        numeric[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (is_seed(&hosts[i], where, numeric))
            return AERO_OK; /* the seed is one of the node's own addresses */

    /* The seed is probably a load balancer: the first advertised address that answers as this node. */
    char why[AERO_ERROR_MESSAGE_SIZE] = "";
    for (size_t i = 0; i < n; i++) {
        char port_s[8];
        snprintf(port_s, sizeof port_s, "%u", (unsigned)hosts[i].port);
        struct addrinfo hints, *res = NULL;
        memset(&hints, 0, sizeof hints);
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICSERV;
        int gr = getaddrinfo(hosts[i].host, port_s, &hints, &res);
        if (gr != 0) {
            snprintf(why, sizeof why, "cannot resolve %.100s: %.100s", hosts[i].host, gai_strerror(gr));
            continue;
        }
        for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
            if (ai->ai_addrlen > sizeof where->addr)
                continue;
            aero_conn fresh;
            if (!try_addr(c, ai->ai_addr, ai->ai_addrlen, tls_name, name, session, &fresh, why, sizeof why))
                continue;
            char to[AERO_HOST_MAX + 10];
            format_addr(to, sizeof to, hosts[i].host, hosts[i].port);
            aero_cluster__log(c, AERO_LOG_INFO, "node %s: seed %s is not one of its addresses (%.*s): using %s", name,
                              seed_text, (int)(answer.len > 200 ? 200 : answer.len), answer.p, to);
            aero_conn__close(conn);
            *conn = fresh;
            aero_copy_trunc(where->host, sizeof where->host, hosts[i].host);
            where->port = hosts[i].port;
            memcpy(&where->addr, ai->ai_addr, ai->ai_addrlen);
            where->addr_len = ai->ai_addrlen;
            freeaddrinfo(res);
            return AERO_OK;
        }
        freeaddrinfo(res);
    }
    aero_cluster__log(c, AERO_LOG_INFO,
                      "node %s: none of its addresses %.*s answers (%s); keeping seed %s (the server's access-address "
                      "is probably not reachable from this client)",
                      name, (int)(answer.len > 200 ? 200 : answer.len), answer.p, why, seed_text);
    return AERO_OK;
}
