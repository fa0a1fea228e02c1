/*
 * cluster/peers.c - parser for the peers-*-std answer (protocol.md 2.3):
 *
 *   <gen>,<default-port>,[[<id>,<tls-name>,[<host>[:<port>],...]],...]
 *
 * Hosts may be IPv6 in brackets ("[fe80::1]:3100"); a host without a port
 * uses the default port (3000 when the field is empty).
 */
#include "cluster/parse.h"

#include "net/conn.h"

#include <stdlib.h>
#include <string.h>

typedef struct cursor {
    const char *p;
    const char *end;
} cursor;

static bool eat(cursor *c, char ch) {
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

static bool peek(const cursor *c, char ch) { return c->p < c->end && *c->p == ch; }

/* Decimal integer (optional '-') up to the next ','. Empty -> *empty = true. */
static bool number(cursor *c, int64_t *v, bool *empty) {
    bool neg = eat(c, '-');
    int64_t x = 0;
    int digits = 0;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        if (digits >= 18)
            return false;
        x = x * 10 + (*c->p - '0');
        c->p++;
        digits++;
    }
    if (digits == 0 && neg)
        return false;
    *empty = digits == 0;
    *v = neg ? -x : x;
    return true;
}

/* Copy text up to (not including) one of the stop characters. */
static bool token(cursor *c, const char *stops, char *out, size_t cap) {
    const char *s = c->p;
    while (c->p < c->end && !strchr(stops, *c->p))
        c->p++;
    size_t n = (size_t)(c->p - s);
    if (n >= cap)
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    return true;
}

/* One address: "[v6]" / "[v6]:port" / "host" / "host:port", ending at ',' or ']'. */
static bool host_entry(cursor *c, uint16_t default_port, aero_peer_host *h) {
    const char *s = c->p;
    if (peek(c, '[')) {
        const char *close = memchr(c->p, ']', (size_t)(c->end - c->p));
        if (!close)
            return false;
        c->p = close + 1;
    }
    while (c->p < c->end && *c->p != ',' && *c->p != ']')
        c->p++;
    size_t len = (size_t)(c->p - s);
    return aero_net__parse_host(s, len, h->host, sizeof h->host, &h->port, default_port) == AERO_OK;
}

static bool peer_entry(cursor *c, uint16_t default_port, aero_peer *peer) {
    memset(peer, 0, sizeof *peer);
    if (!eat(c, '['))
        return false;
    if (!token(c, ",]", peer->name, sizeof peer->name) || !eat(c, ','))
        return false;
    if (!token(c, ",]", peer->tls_name, sizeof peer->tls_name) || !eat(c, ','))
        return false;
    if (!eat(c, '['))
        return false;
    if (!peek(c, ']')) {
        for (;;) {
            aero_peer_host h;
            if (!host_entry(c, default_port, &h))
                return false;
            if (peer->n_hosts < AERO_PEER_MAX_HOSTS)
                peer->hosts[peer->n_hosts++] = h;
            if (!eat(c, ','))
                break;
        }
    }
    if (!eat(c, ']') || !eat(c, ']'))
        return false;
    return peer->name[0] != '\0';
}

aero_status aero_peers__parse(const char *s, size_t len, int64_t *gen, aero_peer **peers, size_t *n_peers) {
    *peers = NULL;
    *n_peers = 0;
    if (!s)
        return AERO_ERR_PROTOCOL;
    cursor c = { s, s + len };
    /* Tolerate a trailing newline or spaces from hand-written answers. */
    while (c.end > c.p && (c.end[-1] == '\n' || c.end[-1] == ' ' || c.end[-1] == '\r'))
        c.end--;
    bool empty;
    int64_t g, port;
    if (!number(&c, &g, &empty) || empty || !eat(&c, ','))
        return AERO_ERR_PROTOCOL;
    if (!number(&c, &port, &empty) || !eat(&c, ','))
        return AERO_ERR_PROTOCOL;
    if (empty)
        port = 3000;
    if (port <= 0 || port > 65535)
        return AERO_ERR_PROTOCOL;
    if (!eat(&c, '['))
        return AERO_ERR_PROTOCOL;

    aero_peer *arr = NULL;
    size_t n = 0, cap = 0;
    if (!peek(&c, ']')) {
        for (;;) {
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 8;
                aero_peer *na = realloc(arr, ncap * sizeof *na);
                if (!na) {
                    free(arr);
                    return AERO_ERR_NO_MEMORY;
                }
                arr = na;
                cap = ncap;
            }
            if (!peer_entry(&c, (uint16_t)port, &arr[n])) {
                free(arr);
                return AERO_ERR_PROTOCOL;
            }
            n++;
            if (!eat(&c, ','))
                break;
        }
    }
    if (!eat(&c, ']') || c.p != c.end) {
        free(arr);
        return AERO_ERR_PROTOCOL;
    }
    *gen = g;
    *peers = arr;
    *n_peers = n;
    return AERO_OK;
}
