/*
 * cluster/partition.c - the `replicas` parser (protocol.md 2.4) and the
 * partition table: regime ordering, slot replacement, routing by replica
 * policy.
 */
#include "cluster/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/base64.h"

static bool parse_u32(const char *s, size_t len, uint32_t *v) {
    if (len == 0 || len > 10)
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        x = x * 10 + (uint64_t)(s[i] - '0');
    }
    if (x > UINT32_MAX)
        return false;
    *v = (uint32_t)x;
    return true;
}

/* Walk one namespace entry; with fn NULL only validates. */
static bool one_ns(const char *s, size_t len, aero_replicas_fn fn, void *ctx) {
    const char *colon = memchr(s, ':', len);
    if (!colon)
        return false;
    size_t ns_len = (size_t)(colon - s);
    if (ns_len == 0 || ns_len > AERO_NAMESPACE_MAX)
        return false;
    char ns[AERO_NAMESPACE_MAX + 1];
    memcpy(ns, s, ns_len);
    ns[ns_len] = '\0';

    const char *p = colon + 1;
    const char *end = s + len;
    const char *comma = memchr(p, ',', (size_t)(end - p));
    uint32_t regime, n_replicas;
    if (!comma || !parse_u32(p, (size_t)(comma - p), &regime))
        return false;
    p = comma + 1;
    comma = memchr(p, ',', (size_t)(end - p));
    if (!comma || !parse_u32(p, (size_t)(comma - p), &n_replicas) || n_replicas == 0 || n_replicas > 255)
        return false;
    p = comma + 1;
    for (uint32_t r = 0; r < n_replicas; r++) {
        const char *e = memchr(p, ',', (size_t)(end - p));
        if (!e)
            e = end;
        if ((size_t)(e - p) != AERO_BITMAP_B64_LEN)
            return false;
        uint8_t bitmap[AERO_BITMAP_BYTES];
        if (aero_base64__decode(p, AERO_BITMAP_B64_LEN, bitmap, sizeof bitmap) != AERO_BITMAP_BYTES)
            return false;
        if (fn && r < AERO_MAX_REPLICAS)
            fn(ctx, ns, regime, n_replicas, r, bitmap);
        if (r + 1 < n_replicas) {
            if (e == end)
                return false; /* fewer bitmaps than announced */
            p = e + 1;
        } else if (e != end) {
            return false; /* more bitmaps than announced */
        }
    }
    return true;
}

aero_status aero_replicas__parse(const char *s, size_t len, aero_replicas_fn fn, void *ctx) {
    if (!s)
        return AERO_ERR_PROTOCOL;
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ';'))
        len--;
    for (int pass = 0; pass < 2; pass++) {
        const char *p = s, *end = s + len;
        while (p < end) {
            const char *semi = memchr(p, ';', (size_t)(end - p));
            const char *e = semi ? semi : end;
            if (!one_ns(p, (size_t)(e - p), pass ? fn : NULL, ctx))
                return AERO_ERR_PROTOCOL;
            p = semi ? semi + 1 : end;
        }
    }
    return AERO_OK;
}

aero_ns_table *aero_pmap__find(const aero_pmap *m, const char *ns) {
    if (!m || !ns)
        return NULL;
    for (size_t i = 0; i < m->n_ns; i++)
        if (strcmp(m->ns[i]->name, ns) == 0)
            return m->ns[i];
    return NULL;
}

bool aero_pmap__apply(aero_pmap *m, aero_node *node, const char *ns, uint32_t regime, uint32_t n_replicas,
                      uint32_t replica, const uint8_t bitmap[AERO_BITMAP_BYTES]) {
    if (replica >= AERO_MAX_REPLICAS)
        return true;
    aero_ns_table *t = aero_pmap__find(m, ns);
    if (!t) {
        aero_ns_table **arr = realloc(m->ns, (m->n_ns + 1) * sizeof *arr);
        if (!arr)
            return false;
        m->ns = arr;
        t = calloc(1, sizeof *t);
        if (!t)
            return false;
        snprintf(t->name, sizeof t->name, "%s", ns);
        m->ns[m->n_ns++] = t;
    }
    t->n_replicas = n_replicas < AERO_MAX_REPLICAS ? n_replicas : AERO_MAX_REPLICAS;
    if (t->n_replicas == 0)
        t->n_replicas = 1;
    t->sc = regime != 0;
    for (uint32_t pid = 0; pid < AERO_PARTITIONS; pid++) {
        if (!aero_bitmap__has(bitmap, pid))
            continue;
        aero_partition *p = &t->parts[pid];
        if (regime < p->regime)
            continue; /* stale claim */
        p->regime = regime;
        aero_node *old = p->nodes[replica];
        if (old == node)
            continue;
        if (old) {
            old->partition_gen = -1; /* force its map to be re-read */
            old->partition_changed = true;
            if (atomic_load(&old->partition_refs))
                atomic_fetch_sub(&old->partition_refs, 1);
        }
        p->nodes[replica] = node;
        node->partition_refs++;
    }
    return true;
}

void aero_pmap__set_racks(aero_pmap *m) {
    for (size_t i = 0; m && i < m->n_ns; i++) {
        aero_ns_table *t = m->ns[i];
        for (uint32_t pid = 0; pid < AERO_PARTITIONS; pid++)
            for (int r = 0; r < AERO_MAX_REPLICAS; r++)
                t->parts[pid].racks[r] =
                    t->parts[pid].nodes[r] ? aero_node__rack(t->parts[pid].nodes[r], t->name) : AERO_NO_RACK;
    }
}

void aero_pmap__remove_node(aero_pmap *m, aero_node *node) {
    if (!m)
        return;
    for (size_t i = 0; i < m->n_ns; i++) {
        aero_ns_table *t = m->ns[i];
        for (uint32_t pid = 0; pid < AERO_PARTITIONS; pid++)
            for (int r = 0; r < AERO_MAX_REPLICAS; r++)
                if (t->parts[pid].nodes[r] == node)
                    t->parts[pid].nodes[r] = NULL;
    }
    atomic_store(&node->partition_refs, 0);
}

aero_pmap *aero_pmap__clone(const aero_pmap *m) {
    aero_pmap *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (!m || m->n_ns == 0)
        return c;
    c->ns = calloc(m->n_ns, sizeof *c->ns);
    if (!c->ns) {
        free(c);
        return NULL;
    }
    for (size_t i = 0; i < m->n_ns; i++) {
        c->ns[i] = malloc(sizeof *c->ns[i]);
        if (!c->ns[i]) {
            aero_pmap__free(c);
            return NULL;
        }
        memcpy(c->ns[i], m->ns[i], sizeof *c->ns[i]);
        c->n_ns++;
    }
    return c;
}

void aero_pmap__free(aero_pmap *m) {
    if (!m)
        return;
    for (size_t i = 0; i < m->n_ns; i++)
        free(m->ns[i]);
    free(m->ns);
    free(m);
}

static bool usable(const aero_node *n) {
    return n && atomic_load_explicit(&((aero_node *)n)->active, memory_order_relaxed);
}

aero_node *aero_pmap__route(const aero_pmap *m, const char *ns, uint16_t pid, bool is_write, aero_replica replica,
                            unsigned attempt, unsigned spread) {
    return aero_pmap__route_ex(m, ns, pid, is_write, replica, attempt, spread, NULL);
}

/* The first active replica on `rack`, walking from `start`, other than `skip`. */
static aero_node *on_rack(const aero_partition *p, uint32_t nr, uint32_t start, int32_t rack, const aero_node *skip) {
    for (uint32_t k = 0; k < nr; k++) {
        uint32_t i = (start + k) % nr;
        if (p->racks[i] == rack && p->nodes[i] != skip && usable(p->nodes[i]))
            return p->nodes[i];
    }
    return NULL;
}

static aero_node *prefer_rack(const aero_partition *p, uint32_t nr, unsigned attempt, const aero_route *r) {
    const aero_node *skip = NULL;
    if (attempt > 0) { /* the node the first attempt went to (it failed): another one if there is one */
        for (uint32_t k = 0; k < r->n_racks && !skip; k++)
            skip = on_rack(p, nr, 0, r->racks[k], NULL);
    }
    for (uint32_t k = 0; k < r->n_racks; k++) {
        aero_node *n = on_rack(p, nr, attempt % nr, r->racks[k], skip);
        if (n)
            return n;
    }
    aero_node *fallback = NULL;
    for (uint32_t k = 0; k < nr; k++) {
        aero_node *n = p->nodes[(attempt + k) % nr];
        if (usable(n) && n != skip)
            return n;
        if (usable(n) && !fallback)
            fallback = n;
    }
    return fallback; /* only the node that failed is left */
}

aero_node *aero_pmap__route_ex(const aero_pmap *m, const char *ns, uint16_t pid, bool is_write, aero_replica replica,
                               unsigned attempt, unsigned spread, const aero_route *r) {
    return aero_pmap__route_in(aero_pmap__find(m, ns), pid, is_write, replica, attempt, spread, r);
}

aero_node *aero_pmap__route_in(const aero_ns_table *t, uint16_t pid, bool is_write, aero_replica replica,
                               unsigned attempt, unsigned spread, const aero_route *r) {
    if (!t || pid >= AERO_PARTITIONS)
        return NULL;
    const aero_partition *p = &t->parts[pid];
    uint32_t nr = t->n_replicas ? t->n_replicas : 1;
    if (t->sc && !is_write && r) {
        if (r->read_mode_sc == AERO_READ_MODE_SC_SESSION)
            replica = AERO_REPLICA_MASTER;
        else if (r->read_mode_sc == AERO_READ_MODE_SC_LINEARIZE && replica == AERO_REPLICA_PREFER_RACK)
            replica = AERO_REPLICA_SEQUENCE;
    }
    if (replica == AERO_REPLICA_PREFER_RACK && !is_write && r && r->n_racks)
        return prefer_rack(p, nr, attempt, r);
    if (replica == AERO_REPLICA_MASTER)
        return usable(p->nodes[0]) ? p->nodes[0] : NULL;
    uint32_t start;
    if (is_write)
        start = 0;
    else if (replica == AERO_REPLICA_ANY)
        start = (spread + attempt) % nr;
    else
        start = attempt % nr;
    for (uint32_t k = 0; k < nr; k++) {
        aero_node *n = p->nodes[(start + k) % nr];
        if (usable(n))
            return n;
    }
    return NULL;
}
