/*
 * cluster/indexes.c - index discovery: sindex-list (b64=true) from every
 * node, merged; entries_per_bval from sindex-stat; a published, reference
 * counted list that queries read for the automatic index choice.
 */
#include "cluster/indexes.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/parse.h"
#include "cluster/state.h"
#include "internal.h"
#include "proto/base64.h"
#include "proto/info.h"

#define MAX_NODES 256

static bool kv_eq(const char *k, size_t kn, const char *lit) { return strlen(lit) == kn && memcmp(k, lit, kn) == 0; }

static bool copy_field(char *dst, size_t cap, const char *v, size_t vn) {
    if (vn >= cap)
        return false;
    if (vn == 4 && memcmp(v, "null", 4) == 0)
        vn = 0;
    memcpy(dst, v, vn);
    dst[vn] = '\0';
    return true;
}

/* Decode a b64 field into a malloc'd buffer ("null" or empty: none). */
static bool b64_field(const char *v, size_t vn, uint8_t **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    if (vn == 0 || (vn == 4 && memcmp(v, "null", 4) == 0))
        return true;
    size_t cap = vn / 4 * 3 + 3;
    uint8_t *b = malloc(cap);
    if (!b)
        return false;
    long n = aero_base64__decode(v, vn, b, cap);
    if (n <= 0) {
        free(b);
        return false;
    }
    *out = b;
    *out_len = (size_t)n;
    return true;
}

/* Parse one entry "k=v:k=v:..." into *x; false when malformed. *skip for set indexes. */
static bool parse_entry(const char *p, const char *e, aero_index_info *x, bool *skip) {
    memset(x, 0, sizeof *x);
    *skip = false;
    bool have_ns = false, have_name = false, have_type = false;
    while (p < e) {
        const char *c = memchr(p, ':', (size_t)(e - p));
        if (!c)
            c = e;
        const char *eq = memchr(p, '=', (size_t)(c - p));
        if (!eq)
            return false;
        const char *k = p, *v = eq + 1;
        size_t kn = (size_t)(eq - p), vn = (size_t)(c - v);
        if (kv_eq(k, kn, "ns")) {
            if (!copy_field(x->ns, sizeof x->ns, v, vn))
                return false;
            have_ns = true;
        } else if (kv_eq(k, kn, "indexname")) {
            if (!copy_field(x->name, sizeof x->name, v, vn))
                return false;
            have_name = true;
        } else if (kv_eq(k, kn, "set")) {
            if (!copy_field(x->set, sizeof x->set, v, vn))
                return false;
        } else if (kv_eq(k, kn, "bin")) {
            if (!copy_field(x->bin, sizeof x->bin, v, vn))
                return false;
        } else if (kv_eq(k, kn, "type")) {
            have_type = true;
            if (kv_eq(v, vn, "numeric") || kv_eq(v, vn, "NUMERIC") || kv_eq(v, vn, "integer"))
                x->type = AERO_INDEX_NUMERIC;
            else if (kv_eq(v, vn, "string") || kv_eq(v, vn, "STRING"))
                x->type = AERO_INDEX_STRING;
            else if (kv_eq(v, vn, "blob") || kv_eq(v, vn, "BLOB"))
                x->type = AERO_INDEX_BLOB;
            else if (kv_eq(v, vn, "geo2dsphere") || kv_eq(v, vn, "GEO2DSPHERE"))
                x->type = AERO_INDEX_GEO2DSPHERE;
            else
                *skip = true; /* a type this client does not know */
        } else if (kv_eq(k, kn, "indextype")) {
            if (kv_eq(v, vn, "default") || kv_eq(v, vn, "DEFAULT") || kv_eq(v, vn, "none"))
                x->collection = AERO_INDEX_COLLECTION_NONE;
            else if (kv_eq(v, vn, "list") || kv_eq(v, vn, "LIST"))
                x->collection = AERO_INDEX_COLLECTION_LIST;
            else if (kv_eq(v, vn, "mapkeys") || kv_eq(v, vn, "MAPKEYS"))
                x->collection = AERO_INDEX_COLLECTION_MAPKEYS;
            else if (kv_eq(v, vn, "mapvalues") || kv_eq(v, vn, "MAPVALUES"))
                x->collection = AERO_INDEX_COLLECTION_MAPVALUES;
            else
                *skip = true; /* SET (set index) or unknown */
        } else if (kv_eq(k, kn, "context")) {
            if (!b64_field(v, vn, &x->ctx, &x->ctx_len))
                return false;
        } else if (kv_eq(k, kn, "exp")) {
            if (!b64_field(v, vn, &x->exp, &x->exp_len))
                return false;
        } else if (kv_eq(k, kn, "state")) {
            x->state = kv_eq(v, vn, "RW")   ? AERO_INDEX_STATE_RW
                       : kv_eq(v, vn, "WO") ? AERO_INDEX_STATE_WO
                                            : AERO_INDEX_STATE_ERROR;
        }
        p = c + 1;
    }
    if (!*skip && !have_type)
        *skip = true; /* set index entries carry no type */
    return have_ns && have_name;
}

static void info_free(aero_index_info *x) {
    free(x->ctx);
    free(x->exp);
    x->ctx = x->exp = NULL;
}

aero_status aero_index__merge_list(const char *s, size_t len, aero_index_info **list, size_t *n) {
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *e = memchr(p, ';', (size_t)(end - p));
        if (!e)
            e = end;
        while (p < e && (*p == ' ' || *p == '\n'))
            p++;
        if (p == e) {
            p = e + 1;
            continue;
        }
        aero_index_info x;
        bool skip;
        if (!parse_entry(p, e, &x, &skip)) {
            info_free(&x);
            return AERO_ERR_PROTOCOL;
        }
        p = e + 1;
        if (skip) {
            info_free(&x);
            continue;
        }
        size_t i;
        for (i = 0; i < *n; i++)
            if (!strcmp((*list)[i].ns, x.ns) && !strcmp((*list)[i].name, x.name))
                break;
        if (i < *n) {
            aero_index_info *y = &(*list)[i];
            y->nodes++;
            if (x.state > y->state)
                y->state = x.state;
            info_free(&x);
            continue;
        }
        aero_index_info *g = realloc(*list, (*n + 1) * sizeof *g);
        if (!g) {
            info_free(&x);
            return AERO_ERR_NO_MEMORY;
        }
        *list = g;
        x.nodes = 1;
        g[(*n)++] = x;
    }
    return AERO_OK;
}

aero_status aero_index__info_each(aero_cluster *c, const char *cmd, uint64_t deadline_ns, const aero_status *ok_codes,
                                  size_t n_ok, aero_index_answer_fn fn, void *ctx, size_t *n_nodes, aero_error *err) {
    aero_node *nodes[MAX_NODES];
    size_t nn = aero_cluster__nodes(c, nodes, MAX_NODES);
    if (n_nodes)
        *n_nodes = nn;
    if (nn == 0)
        return aero_err__set(err, AERO_ERR_INVALID_NODE, "no node is available for '%.60s'", cmd);
    aero_status st = AERO_OK;
    for (size_t i = 0; i < nn && st == AERO_OK; i++) {
        char *body = NULL;
        size_t blen = 0;
        st = aero_node__info(nodes[i], &cmd, 1, deadline_ns, &body, &blen, err);
        if (st == AERO_OK) {
            aero_strview v;
            char msg[AERO_ERROR_MESSAGE_SIZE - 96];
            if (!aero_info__find(body, blen, cmd, &v))
                st = aero_err__set(err, AERO_ERR_PROTOCOL, "no answer to '%.60s' from %s", cmd,
                                   aero_node__address(nodes[i]));
            else if ((st = aero_info__value_error(v, msg, sizeof msg)) != AERO_OK) {
                bool ok = false;
                for (size_t k = 0; k < n_ok; k++)
                    ok = ok || ok_codes[k] == st;
                if (ok)
                    st = AERO_OK;
                else
                    aero_err__set(err, st, "%s: %s", aero_node__address(nodes[i]), msg);
            } else if (fn)
                st = fn(ctx, nodes[i], v.p, v.len, err);
        }
        free(body);
    }
    for (size_t i = 0; i < nn; i++)
        aero_node__release(nodes[i]);
    return st;
}

typedef struct merge_ctx {
    aero_index_info **list;
    size_t *n;
} merge_ctx;

static aero_status merge_answer(void *ctx, const aero_node *node, const char *value, size_t len, aero_error *err) {
    merge_ctx *m = ctx;
    aero_status st = aero_index__merge_list(value, len, m->list, m->n);
    if (st != AERO_OK)
        aero_err__set(err, st, "sindex-list answer of %s could not be parsed", aero_node__address(node));
    return st;
}

aero_status aero_index__fetch(aero_cluster *c, uint64_t deadline_ns, aero_index_info **list, size_t *n,
                              uint32_t *n_nodes, aero_error *err) {
    *list = NULL;
    *n = 0;
    *n_nodes = 0;
    merge_ctx m = { list, n };
    size_t nn = 0;
    aero_status st = aero_index__info_each(c, "sindex-list:b64=true", deadline_ns, NULL, 0, merge_answer, &m, &nn, err);
    if (st != AERO_OK) {
        aero_index_list_free(*list, *n);
        *list = NULL;
        *n = 0;
        return st;
    }
    for (size_t i = 0; i < *n; i++)
        if ((*list)[i].nodes < nn && (*list)[i].state == AERO_INDEX_STATE_RW)
            (*list)[i].state = AERO_INDEX_STATE_WO; /* not on every node yet */
    *n_nodes = (uint32_t)nn;
    return AERO_OK;
}

AERO_API void aero_index_list_free(aero_index_info *list, size_t n) {
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        info_free(&list[i]);
    free(list);
}

/* entries_per_bval of each index, from one node (best effort: -1 when unknown). */
static void fetch_ratios(aero_cluster *c, aero_index_set *s, uint64_t deadline_ns) {
    for (size_t i = 0; i < s->n; i++)
        s->ratio[i] = -1;
    if (s->n == 0)
        return;
    aero_node *node = aero_cluster__any_node(c);
    if (!node)
        return;
    char **cmds = calloc(s->n, sizeof *cmds);
    size_t nc = 0;
    for (size_t i = 0; cmds && i < s->n; i++) {
        char buf[160];
        snprintf(buf, sizeof buf, "sindex-stat:namespace=%s;indexname=%s", s->infos[i].ns, s->infos[i].name);
        if (!(cmds[i] = strdup(buf)))
            break;
        nc++;
    }
    char *body = NULL;
    size_t blen = 0;
    aero_error e;
    aero_error_reset(&e);
    if (nc == s->n && aero_node__info(node, (const char *const *)cmds, nc, deadline_ns, &body, &blen, &e) == AERO_OK) {
        for (size_t i = 0; i < s->n; i++) {
            aero_strview v;
            if (!aero_info__find(body, blen, cmds[i], &v))
                continue;
            const char *k = "entries_per_bval=";
            for (size_t j = 0; j + strlen(k) <= v.len; j++) {
                if ((j == 0 || v.p[j - 1] == ';') && memcmp(v.p + j, k, strlen(k)) == 0) {
                    int64_t r = 0;
                    for (size_t q = j + strlen(k); q < v.len && v.p[q] >= '0' && v.p[q] <= '9'; q++)
                        r = r * 10 + (v.p[q] - '0');
                    s->ratio[i] = r;
                    break;
                }
            }
        }
    }
    free(body);
    for (size_t i = 0; cmds && i < nc; i++)
        free(cmds[i]);
    free(cmds);
    aero_node__release(node);
}

void aero_index_set__release(aero_index_set *s) {
    if (!s)
        return;
    if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
        return;
    aero_index_list_free(s->infos, s->n);
    free(s->ratio);
    free(s);
}

const aero_index_info *aero_index_set__find(const aero_index_set *s, const char *ns, const char *name, bool *readable) {
    *readable = false;
    for (size_t i = 0; s && i < s->n; i++) {
        const aero_index_info *x = &s->infos[i];
        if (strcmp(x->ns, ns) == 0 && strcmp(x->name, name) == 0) {
            *readable = x->state == AERO_INDEX_STATE_RW && x->nodes >= s->n_nodes;
            return x;
        }
    }
    return NULL;
}

/* Load a fresh list and publish it. Serialised by index_mu. */
static void refresh(aero_cluster *c) {
    uint32_t t = c->cfg.connect_timeout_ms ? c->cfg.connect_timeout_ms * 2 : 2000;
    uint64_t deadline = aero_deadline_after_ms(t);
    aero_index_set *s = calloc(1, sizeof *s);
    if (!s)
        return;
    aero_error e;
    aero_error_reset(&e);
    atomic_store(&c->indexes_stale, false); /* a change noted from now on triggers another refresh */
    if (aero_index__fetch(c, deadline, &s->infos, &s->n, &s->n_nodes, &e) != AERO_OK ||
        !(s->ratio = calloc(s->n ? s->n : 1, sizeof *s->ratio))) {
        aero_cluster__log(c, AERO_LOG_DEBUG, "index discovery failed: %s", e.message);
        atomic_store(&c->indexes_stale, true);
        aero_index_list_free(s->infos, s->n);
        free(s);
        return;
    }
    fetch_ratios(c, s, deadline);
    atomic_init(&s->refs, 1);
    aero_lock__acquire(&c->index_lock);
    aero_index_set *old = c->indexes;
    c->indexes = s;
    aero_lock__release(&c->index_lock);
    aero_index_set__release(old);
}

aero_index_set *aero_cluster__indexes(aero_cluster *c) {
    atomic_store(&c->indexes_wanted, true);
    if (atomic_load(&c->indexes_stale)) {
        pthread_mutex_lock(&c->index_mu);
        if (atomic_load(&c->indexes_stale))
            refresh(c);
        pthread_mutex_unlock(&c->index_mu);
    }
    aero_lock__acquire(&c->index_lock);
    aero_index_set *s = c->indexes;
    if (s)
        atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    aero_lock__release(&c->index_lock);
    return s;
}

void aero_cluster__indexes_changed(aero_cluster *c) { atomic_store(&c->indexes_stale, true); }

void aero_cluster__tend_indexes(aero_cluster *c) {
    bool due = ++c->index_rounds % AERO_INDEX_REFRESH_ROUNDS == 0;
    if (!atomic_load(&c->indexes_wanted) || (!due && !atomic_load(&c->indexes_stale)))
        return; /* no query asked for the indexes yet, or not due */
    pthread_mutex_lock(&c->index_mu);
    refresh(c);
    pthread_mutex_unlock(&c->index_mu);
}

void aero_cluster__free_indexes(aero_cluster *c) {
    aero_index_set__release(c->indexes);
    c->indexes = NULL;
    pthread_mutex_destroy(&c->index_mu);
}
