/*
 * store.c - the in-memory record store.
 *
 * Each namespace keeps 4096 partitions; each partition is an array of record
 * pointers sorted by digest, so a scan walks records in digest order and a
 * DIGEST_ARRAY resume point is a binary search. One mutex (held by the
 * callers) guards everything: a test server values simple correctness over
 * parallel throughput. Expired records are removed lazily when touched.
 */
#include "ts.h"

#include <stdlib.h>
#include <string.h>

int ts_store_init(ts_store *s, const char *namespaces, uint32_t default_ttl, const ts_limits *limits) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    s->default_ttl = default_ttl;
    s->limits = limits;
    const char *p = namespaces && *namespaces ? namespaces : "test";
    while (*p) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > 0) {
            if (n > 31 || s->n_ns == limits->max_namespaces || ts_store_ns(s, p, n))
                return -1;
            ts_namespace *ns = calloc(1, sizeof *ns);
            if (!ns)
                return -1;
            memcpy(ns->name, p, n);
            s->ns[s->n_ns++] = ns;
        }
        p += n;
        if (*p == ';')
            p++;
    }
    return s->n_ns ? 0 : -1;
}

void ts_store_dispose(ts_store *s) {
    for (unsigned i = 0; i < s->n_ns; i++) {
        ts_store_truncate(s, s->ns[i], NULL, 0);
        for (unsigned p = 0; p < TS_PARTITIONS; p++)
            free(s->ns[i]->parts[p].recs);
        free(s->ns[i]);
    }
    s->n_ns = 0;
    pthread_mutex_destroy(&s->mu);
}

ts_namespace *ts_store_ns(ts_store *s, const char *name, size_t len) {
    for (unsigned i = 0; i < s->n_ns; i++)
        if (strlen(s->ns[i]->name) == len && memcmp(s->ns[i]->name, name, len) == 0)
            return s->ns[i];
    return NULL;
}

static unsigned pid_of(const uint8_t d[20]) { return (unsigned)((d[0] | (d[1] << 8)) & 0x0FFF); }

/* index of the first record whose digest >= d */
static uint32_t lower_bound(const ts_partition *p, const uint8_t d[20]) {
    uint32_t lo = 0, hi = p->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (memcmp(p->recs[mid]->digest, d, 20) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool expired(const ts_record *r, uint32_t now) { return r->void_time != 0 && r->void_time <= now; }

ts_record *ts_store_get(ts_store *s, ts_namespace *ns, const uint8_t digest[20], uint32_t now) {
    (void)s;
    ts_partition *p = &ns->parts[pid_of(digest)];
    uint32_t i = lower_bound(p, digest);
    if (i >= p->n || memcmp(p->recs[i]->digest, digest, 20) != 0)
        return NULL;
    if (expired(p->recs[i], now)) {
        ts_record_free(p->recs[i]);
        memmove(&p->recs[i], &p->recs[i + 1], (p->n - i - 1) * sizeof *p->recs);
        p->n--;
        return NULL;
    }
    return p->recs[i];
}

int ts_store_put(ts_store *s, ts_namespace *ns, ts_record *rec) {
    if (ts_record_size(rec) > s->limits->max_record_size)
        return AERO_ERR_RECORD_TOO_BIG;
    ts_partition *p = &ns->parts[pid_of(rec->digest)];
    uint32_t i = lower_bound(p, rec->digest);
    if (i < p->n && memcmp(p->recs[i]->digest, rec->digest, 20) == 0) {
        if (p->recs[i] != rec)
            ts_record_free(p->recs[i]);
        p->recs[i] = rec;
        return 0;
    }
    if (p->n == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 8;
        ts_record **nr = realloc(p->recs, cap * sizeof *nr);
        if (!nr)
            return AERO_ERR_SERVER;
        p->recs = nr;
        p->cap = cap;
    }
    memmove(&p->recs[i + 1], &p->recs[i], (p->n - i) * sizeof *p->recs);
    p->recs[i] = rec;
    p->n++;
    return 0;
}

void ts_store_remove(ts_store *s, ts_namespace *ns, const uint8_t digest[20]) {
    (void)s;
    ts_partition *p = &ns->parts[pid_of(digest)];
    uint32_t i = lower_bound(p, digest);
    if (i >= p->n || memcmp(p->recs[i]->digest, digest, 20) != 0)
        return;
    ts_record_free(p->recs[i]);
    memmove(&p->recs[i], &p->recs[i + 1], (p->n - i - 1) * sizeof *p->recs);
    p->n--;
}

static bool in_set(const ts_record *r, const char *set, size_t set_len) {
    return set_len == 0 || (r->set_len == set_len && memcmp(r->set, set, set_len) == 0);
}

uint64_t ts_store_count(ts_store *s, ts_namespace *ns, const char *set, size_t set_len, uint32_t now) {
    (void)s;
    uint64_t n = 0;
    for (unsigned pi = 0; pi < TS_PARTITIONS; pi++) {
        const ts_partition *p = &ns->parts[pi];
        for (uint32_t i = 0; i < p->n; i++)
            if (!expired(p->recs[i], now) && in_set(p->recs[i], set, set_len))
                n++;
    }
    return n;
}

void ts_store_expire(ts_store *s, uint32_t now) {
    for (unsigned i = 0; i < s->n_ns; i++) {
        for (unsigned pi = 0; pi < TS_PARTITIONS; pi++) {
            ts_partition *p = &s->ns[i]->parts[pi];
            uint32_t w = 0;
            for (uint32_t r = 0; r < p->n; r++) {
                if (expired(p->recs[r], now))
                    ts_record_free(p->recs[r]);
                else
                    p->recs[w++] = p->recs[r];
            }
            p->n = w;
        }
    }
}

void ts_store_truncate(ts_store *s, ts_namespace *ns, const char *set, size_t set_len) {
    ts_store_truncate_before(s, ns, set, set_len, 0);
}

void ts_store_truncate_before(ts_store *s, ts_namespace *ns, const char *set, size_t set_len, uint64_t before_ns) {
    (void)s;
    for (unsigned pi = 0; pi < TS_PARTITIONS; pi++) {
        ts_partition *p = &ns->parts[pi];
        uint32_t w = 0;
        for (uint32_t i = 0; i < p->n; i++) {
            if (in_set(p->recs[i], set, set_len) && (before_ns == 0 || p->recs[i]->last_update_ns < before_ns))
                ts_record_free(p->recs[i]);
            else
                p->recs[w++] = p->recs[i];
        }
        p->n = w;
    }
}

uint32_t ts_store_void_time(const ts_store *s, uint32_t ttl, const ts_record *old, uint32_t now) {
    if (ttl == AERO_TTL_NEVER_EXPIRE)
        return 0;
    if (ttl == AERO_TTL_DONT_UPDATE && old)
        return old->void_time;
    if (ttl == AERO_TTL_SERVER_DEFAULT || ttl == AERO_TTL_DONT_UPDATE)
        return s->default_ttl ? now + s->default_ttl : 0;
    return now + ttl;
}

/* ---------------- records ---------------- */

uint32_t ts_record_next_generation(uint32_t g) { return g >= 0xFFFF ? 1 : g + 1; }

ts_record *ts_record_new(void) { return calloc(1, sizeof(ts_record)); }

void ts_record_clear_bins(ts_record *r) {
    for (uint32_t i = 0; i < r->n_bins; i++)
        free(r->bins[i].data);
    r->n_bins = 0;
}

void ts_record_free(ts_record *r) {
    if (!r)
        return;
    ts_record_clear_bins(r);
    free(r->bins);
    free(r->key);
    free(r);
}

static uint8_t *dup_bytes(const void *p, uint32_t n, bool *ok) {
    *ok = true;
    if (n == 0)
        return NULL;
    uint8_t *d = malloc(n);
    if (!d)
        *ok = false;
    else
        memcpy(d, p, n);
    return d;
}

ts_record *ts_record_clone(const ts_record *r) {
    ts_record *c = ts_record_new();
    if (!c)
        return NULL;
    *c = *r;
    c->bins = NULL;
    c->n_bins = c->cap_bins = 0;
    c->key = NULL;
    bool ok = true;
    if (r->has_key)
        c->key = dup_bytes(r->key, r->key_len, &ok);
    if (ok && r->n_bins) {
        c->bins = calloc(r->n_bins, sizeof *c->bins);
        if (!c->bins)
            ok = false;
        else
            c->cap_bins = r->n_bins;
        for (uint32_t i = 0; ok && i < r->n_bins; i++) {
            c->bins[i] = r->bins[i];
            c->bins[i].data = dup_bytes(r->bins[i].data, r->bins[i].len, &ok);
            if (ok)
                c->n_bins++;
        }
    }
    if (!ok) {
        ts_record_free(c);
        return NULL;
    }
    return c;
}

ts_bin *ts_record_bin(ts_record *r, const char *name, size_t len) {
    for (uint32_t i = 0; i < r->n_bins; i++)
        if (r->bins[i].name_len == len && memcmp(r->bins[i].name, name, len) == 0)
            return &r->bins[i];
    return NULL;
}

bool ts_record_set_bin(ts_record *r, const char *name, size_t len, uint8_t ptype, const void *data, uint32_t dlen) {
    if (len > 15)
        return false;
    bool ok;
    uint8_t *d = dup_bytes(data, dlen, &ok);
    if (!ok)
        return false;
    ts_bin *b = ts_record_bin(r, name, len);
    if (!b) {
        if (r->n_bins == r->cap_bins) {
            uint32_t cap = r->cap_bins ? r->cap_bins * 2 : 4;
            ts_bin *nb = realloc(r->bins, cap * sizeof *nb);
            if (!nb) {
                free(d);
                return false;
            }
            r->bins = nb;
            r->cap_bins = cap;
        }
        b = &r->bins[r->n_bins++];
        memset(b, 0, sizeof *b);
        memcpy(b->name, name, len);
        b->name_len = (uint8_t)len;
    } else {
        free(b->data);
    }
    b->ptype = ptype;
    b->data = d;
    b->len = dlen;
    return true;
}

void ts_record_remove_bin(ts_record *r, const char *name, size_t len) {
    ts_bin *b = ts_record_bin(r, name, len);
    if (!b)
        return;
    free(b->data);
    size_t i = (size_t)(b - r->bins);
    memmove(&r->bins[i], &r->bins[i + 1], (r->n_bins - i - 1) * sizeof *r->bins);
    r->n_bins--;
}

uint64_t ts_record_size(const ts_record *r) {
    uint64_t n = 64 + r->set_len + (r->has_key ? r->key_len + 1 : 0);
    for (uint32_t i = 0; i < r->n_bins; i++)
        n += 4 + r->bins[i].name_len + r->bins[i].len;
    return n;
}
