/*
 * admin_lists.c - parsed info answers (aero/admin.h): nodes with builds,
 * namespaces, namespace statistics, sets with record counts, cluster size
 * and stability. Formats are those of server 8.1 (protocol.md 2.2):
 * `namespaces` "a;b", `namespace/<ns>` "k=v;k=v", `sets`
 * "ns=..:set=..:objects=N:...;" repeated, `statistics` "k=v;...".
 */
#include <aero/admin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "internal.h"

struct aero_node_list {
    size_t n;
    aero_node_entry *rows;
    aero_strpool pool;
};

struct aero_name_list {
    size_t n;
    const char **names;
    aero_strpool pool;
};

struct aero_kv_list {
    size_t n;
    aero_kv *rows;
    aero_strpool pool;
};

struct aero_set_list {
    size_t n;
    aero_set_entry *rows;
    aero_strpool pool;
};

/* Split v on `sep`, calling fn for every non-empty piece; false if fn fails. */
typedef bool (*piece_fn)(void *ctx, const char *p, size_t len);
static bool split(aero_strview v, char sep, piece_fn fn, void *ctx) {
    const char *p = v.p, *end = v.p + v.len;
    while (p < end) {
        const char *e = memchr(p, sep, (size_t)(end - p));
        if (!e)
            e = end;
        if (e > p && !fn(ctx, p, (size_t)(e - p)))
            return false;
        p = e + 1;
    }
    return true;
}

static bool parse_u64(const char *p, size_t len, uint64_t *out) {
    if (len == 0 || len > 20)
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        uint64_t d = (uint64_t)(p[i] - '0');
        if (x > (UINT64_MAX - d) / 10)
            return false;
        x = x * 10 + d;
    }
    *out = x;
    return true;
}

/* ---- nodes ---- */

AERO_API aero_status aero_client_nodes(aero_client *client, aero_node_list **out, aero_error *err) {
    aero_err__reset(err);
    if (!out)
        return aero_err__set(err, AERO_ERR_PARAM, "nodes needs an output");
    *out = NULL;
    aero_info_answers *a;
    aero_status st = aero_client_info_all(client, "build", &a, err);
    if (st != AERO_OK) {
        aero_info_answers_free(a);
        return st;
    }
    aero_node_list *l = calloc(1, sizeof *l);
    size_t n = aero_info_answers_count(a);
    if (l)
        l->rows = calloc(n, sizeof *l->rows);
    bool ok = l && l->rows;
    for (size_t i = 0; ok && i < n; i++) {
        const aero_info_answer *r = aero_info_answers_get(a, i);
        aero_node_entry *e = &l->rows[i];
        e->name = aero_strpool__add(&l->pool, r->node, strlen(r->node));
        e->address = aero_strpool__add(&l->pool, r->address, strlen(r->address));
        e->build = aero_strpool__add(&l->pool, r->value, strlen(r->value));
        ok = e->name && e->address && e->build;
        l->n++;
    }
    aero_info_answers_free(a);
    if (!ok) {
        aero_node_list_free(l);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for the node list");
    }
    *out = l;
    return AERO_OK;
}

AERO_API size_t aero_node_list_count(const aero_node_list *l) { return l ? l->n : 0; }
AERO_API const aero_node_entry *aero_node_list_get(const aero_node_list *l, size_t i) {
    return l && i < l->n ? &l->rows[i] : NULL;
}
AERO_API void aero_node_list_free(aero_node_list *l) {
    if (!l)
        return;
    aero_strpool__free(&l->pool);
    free(l->rows);
    free(l);
}

/* ---- namespaces ---- */

static bool add_name(void *ctx, const char *p, size_t len) {
    aero_name_list *l = ctx;
    const char **arr = realloc(l->names, (l->n + 1) * sizeof *arr);
    if (!arr)
        return false;
    l->names = arr;
    const char *s = aero_strpool__add(&l->pool, p, len);
    if (!s)
        return false;
    l->names[l->n++] = s;
    return true;
}

AERO_API aero_status aero_client_namespaces(aero_client *client, aero_name_list **out, aero_error *err) {
    aero_err__reset(err);
    if (!client || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "namespaces needs a client and an output");
    *out = NULL;
    aero_node *node = aero_admin__node(client, NULL, err);
    if (!node)
        return AERO_ERR_INVALID_NODE;
    char *body;
    aero_strview v;
    aero_status st = aero_admin__ask(client, node, "namespaces", &body, &v, err);
    aero_node__release(node);
    if (st != AERO_OK)
        return st;
    aero_name_list *l = calloc(1, sizeof *l);
    if (!l || !split(v, ';', add_name, l)) {
        free(body);
        aero_name_list_free(l);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for the namespace list");
    }
    free(body);
    *out = l;
    return AERO_OK;
}

AERO_API size_t aero_name_list_count(const aero_name_list *l) { return l ? l->n : 0; }
AERO_API const char *aero_name_list_get(const aero_name_list *l, size_t i) {
    return l && i < l->n ? l->names[i] : NULL;
}
AERO_API void aero_name_list_free(aero_name_list *l) {
    if (!l)
        return;
    aero_strpool__free(&l->pool);
    free(l->names);
    free(l);
}

/* ---- key/value lists ---- */

static bool add_kv(void *ctx, const char *p, size_t len) {
    aero_kv_list *l = ctx;
    aero_kv *arr = realloc(l->rows, (l->n + 1) * sizeof *arr);
    if (!arr)
        return false;
    l->rows = arr;
    const char *eq = memchr(p, '=', len);
    size_t klen = eq ? (size_t)(eq - p) : len;
    aero_kv *kv = &l->rows[l->n];
    kv->key = aero_strpool__add(&l->pool, p, klen);
    kv->value = eq ? aero_strpool__add(&l->pool, eq + 1, len - klen - 1) : aero_strpool__add(&l->pool, "", 0);
    if (!kv->key || !kv->value)
        return false;
    l->n++;
    return true;
}

AERO_API aero_status aero_client_namespace_stats(aero_client *client, const char *node_name, const char *ns,
                                                 aero_kv_list **out, aero_error *err) {
    aero_err__reset(err);
    if (!client || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "namespace_stats needs a client and an output");
    *out = NULL;
    if (!aero_admin__word_ok(ns, AERO_NAMESPACE_MAX))
        return aero_err__set(err, AERO_ERR_PARAM, "namespace_stats needs a namespace name of 1 to %d bytes",
                             AERO_NAMESPACE_MAX);
    aero_node *node = aero_admin__node(client, node_name, err);
    if (!node)
        return AERO_ERR_INVALID_NODE;
    char cmd[48];
    snprintf(cmd, sizeof cmd, "namespace/%s", ns);
    char *body;
    aero_strview v;
    aero_status st = aero_admin__ask(client, node, cmd, &body, &v, err);
    if (st == AERO_OK && v.len == 12 && memcmp(v.p, "type=unknown", 12) == 0) {
        /* the server's answer for a namespace it does not have */
        st = aero_err__set(err, AERO_ERR_NAMESPACE_NOT_FOUND, "namespace %s not found on node %s", ns,
                           aero_node__name(node));
        if (err)
            snprintf(err->node, sizeof err->node, "%s", aero_node__name(node));
        free(body);
    }
    aero_node__release(node);
    if (st != AERO_OK)
        return st;
    aero_kv_list *l = calloc(1, sizeof *l);
    if (!l || !split(v, ';', add_kv, l)) {
        free(body);
        aero_kv_list_free(l);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for namespace statistics");
    }
    free(body);
    *out = l;
    return AERO_OK;
}

AERO_API size_t aero_kv_list_count(const aero_kv_list *l) { return l ? l->n : 0; }
AERO_API const aero_kv *aero_kv_list_get(const aero_kv_list *l, size_t i) { return l && i < l->n ? &l->rows[i] : NULL; }
AERO_API const char *aero_kv_list_find(const aero_kv_list *l, const char *key) {
    for (size_t i = 0; l && key && i < l->n; i++)
        if (strcmp(l->rows[i].key, key) == 0)
            return l->rows[i].value;
    return NULL;
}
AERO_API aero_status aero_kv_list_int(const aero_kv_list *l, const char *key, int64_t *out, aero_error *err) {
    aero_err__reset(err);
    const char *v = aero_kv_list_find(l, key);
    if (!v || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "no value for '%s'", key ? key : "(null)");
    bool neg = *v == '-';
    uint64_t x;
    if (!parse_u64(v + neg, strlen(v + neg), &x) || x > (uint64_t)INT64_MAX)
        return aero_err__set(err, AERO_ERR_PARAM, "'%s' is not an integer: \"%.60s\"", key, v);
    *out = neg ? -(int64_t)x : (int64_t)x;
    return AERO_OK;
}
AERO_API void aero_kv_list_free(aero_kv_list *l) {
    if (!l)
        return;
    aero_strpool__free(&l->pool);
    free(l->rows);
    free(l);
}

/* ---- sets ---- */

typedef struct set_acc {
    aero_set_list *l;
    bool failed;
} set_acc;

typedef struct set_row {
    aero_strview ns, set;
    uint64_t objects, tombstones, bytes;
} set_row;

static bool set_prop(void *ctx, const char *p, size_t len) {
    set_row *r = ctx;
    const char *eq = memchr(p, '=', len);
    if (!eq)
        return true;
    size_t klen = (size_t)(eq - p);
    aero_strview val = { eq + 1, len - klen - 1 };
#define KEY_IS(k) (klen == sizeof(k) - 1 && memcmp(p, k, klen) == 0)
    if (KEY_IS("ns"))
        r->ns = val;
    else if (KEY_IS("set"))
        r->set = val;
    else if (KEY_IS("objects"))
        parse_u64(val.p, val.len, &r->objects);
    else if (KEY_IS("tombstones"))
        parse_u64(val.p, val.len, &r->tombstones);
    else if (KEY_IS("data_used_bytes"))
        parse_u64(val.p, val.len, &r->bytes);
#undef KEY_IS
    return true;
}

static bool add_set(void *ctx, const char *p, size_t len) {
    set_acc *acc = ctx;
    aero_set_list *l = acc->l;
    set_row r;
    memset(&r, 0, sizeof r);
    aero_strview v = { p, len };
    split(v, ':', set_prop, &r);
    if (!r.ns.len || !r.set.len)
        return true; /* not a set entry */
    for (size_t i = 0; i < l->n; i++) {
        aero_set_entry *e = &l->rows[i];
        if (strlen(e->ns) == r.ns.len && memcmp(e->ns, r.ns.p, r.ns.len) == 0 && strlen(e->set) == r.set.len &&
            memcmp(e->set, r.set.p, r.set.len) == 0) {
            e->objects += r.objects;
            e->tombstones += r.tombstones;
            e->data_used_bytes += r.bytes;
            return true;
        }
    }
    aero_set_entry *arr = realloc(l->rows, (l->n + 1) * sizeof *arr);
    if (!arr)
        return false;
    l->rows = arr;
    aero_set_entry *e = &l->rows[l->n];
    e->ns = aero_strpool__add(&l->pool, r.ns.p, r.ns.len);
    e->set = aero_strpool__add(&l->pool, r.set.p, r.set.len);
    e->objects = r.objects;
    e->tombstones = r.tombstones;
    e->data_used_bytes = r.bytes;
    if (!e->ns || !e->set)
        return false;
    l->n++;
    return true;
}

AERO_API aero_status aero_client_sets(aero_client *client, const char *ns, aero_set_list **out, aero_error *err) {
    aero_err__reset(err);
    if (!client || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "sets needs a client and an output");
    *out = NULL;
    if (ns && !aero_admin__word_ok(ns, AERO_NAMESPACE_MAX))
        return aero_err__set(err, AERO_ERR_PARAM, "sets: a namespace name has 1 to %d bytes", AERO_NAMESPACE_MAX);
    char cmd[48];
    snprintf(cmd, sizeof cmd, ns ? "sets/%s" : "sets", ns);
    aero_info_answers *a;
    aero_status st = aero_client_info_all(client, cmd, &a, err);
    if (st != AERO_OK) {
        aero_info_answers_free(a);
        return st;
    }
    set_acc acc = { calloc(1, sizeof(aero_set_list)), false };
    bool ok = acc.l != NULL;
    for (size_t i = 0; ok && i < aero_info_answers_count(a); i++) {
        const aero_info_answer *r = aero_info_answers_get(a, i);
        if (strcmp(r->value, "ns_type=unknown") == 0) { /* the server's answer for an unknown namespace */
            aero_err__set(err, AERO_ERR_NAMESPACE_NOT_FOUND, "namespace %s not found on node %s", ns, r->node);
            if (err)
                snprintf(err->node, sizeof err->node, "%s", r->node);
            aero_info_answers_free(a);
            aero_set_list_free(acc.l);
            return AERO_ERR_NAMESPACE_NOT_FOUND;
        }
        aero_strview v = { r->value, strlen(r->value) };
        ok = split(v, ';', add_set, &acc);
    }
    aero_info_answers_free(a);
    if (!ok) {
        aero_set_list_free(acc.l);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for the set list");
    }
    /* every record is counted once per replica */
    for (size_t i = 0; i < acc.l->n; i++) {
        aero_set_entry *e = &acc.l->rows[i];
        uint32_t rf = aero_cluster__replication(client->cluster, e->ns);
        e->objects /= rf;
        e->tombstones /= rf;
        e->data_used_bytes /= rf;
    }
    *out = acc.l;
    return AERO_OK;
}

AERO_API size_t aero_set_list_count(const aero_set_list *l) { return l ? l->n : 0; }
AERO_API const aero_set_entry *aero_set_list_get(const aero_set_list *l, size_t i) {
    return l && i < l->n ? &l->rows[i] : NULL;
}
AERO_API const aero_set_entry *aero_set_list_find(const aero_set_list *l, const char *ns, const char *set) {
    for (size_t i = 0; l && ns && set && i < l->n; i++)
        if (strcmp(l->rows[i].ns, ns) == 0 && strcmp(l->rows[i].set, set) == 0)
            return &l->rows[i];
    return NULL;
}
AERO_API void aero_set_list_free(aero_set_list *l) {
    if (!l)
        return;
    aero_strpool__free(&l->pool);
    free(l->rows);
    free(l);
}

/* ---- cluster ---- */

AERO_API aero_status aero_client_cluster_size(aero_client *client, uint32_t *size, aero_error *err) {
    aero_err__reset(err);
    if (!client || !size)
        return aero_err__set(err, AERO_ERR_PARAM, "cluster_size needs a client and an output");
    aero_info_answers *a;
    aero_status st = aero_client_info_all(client, "statistics", &a, err);
    uint64_t best = 0;
    for (size_t i = 0; st == AERO_OK && i < aero_info_answers_count(a); i++) {
        const aero_info_answer *r = aero_info_answers_get(a, i);
        const char *p = r->value;
        while ((p = strstr(p, "cluster_size=")) != NULL && p != r->value && p[-1] != ';')
            p++; /* only a whole key, not ns_cluster_size= and the like */
        uint64_t v = 0;
        size_t n = p ? strcspn(p + 13, ";") : 0;
        if (!p || !parse_u64(p + 13, n, &v) || v > UINT32_MAX) {
            st = aero_err__set(err, AERO_ERR_PROTOCOL, "node %s answered statistics without cluster_size", r->node);
            break;
        }
        if (v > best)
            best = v;
    }
    aero_info_answers_free(a);
    if (st == AERO_OK)
        *size = (uint32_t)best;
    return st;
}

AERO_API aero_status aero_client_cluster_stable(aero_client *client, uint32_t expected_size, const char *ns,
                                                char *key_out, size_t cap, aero_error *err) {
    aero_err__reset(err);
    if (!client || (key_out && cap < 17))
        return aero_err__set(err, AERO_ERR_PARAM, "cluster_stable needs a client (and a key buffer of 17 bytes)");
    if (ns && !aero_admin__word_ok(ns, AERO_NAMESPACE_MAX))
        return aero_err__set(err, AERO_ERR_PARAM, "cluster_stable: a namespace name has 1 to %d bytes",
                             AERO_NAMESPACE_MAX);
    char cmd[96] = "cluster-stable:";
    size_t off = strlen(cmd);
    if (expected_size)
        off += (size_t)snprintf(cmd + off, sizeof cmd - off, "size=%u;", expected_size);
    if (ns)
        off += (size_t)snprintf(cmd + off, sizeof cmd - off, "namespace=%s;", ns);
    cmd[off - 1] = '\0'; /* the last ';', or the ':' of a bare "cluster-stable" */
    aero_info_answers *a;
    aero_status st = aero_client_info_all(client, cmd, &a, err);
    const char *key = NULL;
    for (size_t i = 0; st == AERO_OK && i < aero_info_answers_count(a); i++) {
        const aero_info_answer *r = aero_info_answers_get(a, i);
        if (!key) {
            key = r->value;
        } else if (strcmp(key, r->value) != 0) {
            st = aero_err__set(err, AERO_ERR_CLUSTER_KEY_MISMATCH, "nodes report different cluster keys (%s, %s)", key,
                               r->value);
            if (err)
                snprintf(err->node, sizeof err->node, "%s", r->node);
        }
    }
    if (st == AERO_OK && key_out)
        snprintf(key_out, cap, "%s", key ? key : "");
    aero_info_answers_free(a);
    return st;
}
