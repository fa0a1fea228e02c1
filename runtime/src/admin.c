/*
 * admin.c - truncate and info to one node or to every node (aero/admin.h).
 *
 * Everything here is an info exchange (protocol.md 2.1) on a pooled
 * connection of a node: proto/info.c slices the answer and turns an ERROR
 * value into a status; this file only picks nodes, builds the command lines
 * and keeps the answers. The parsed helpers are in admin_lists.c.
 */
#include <aero/admin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_internal.h"
#include "internal.h"
#include "proto/info.h"

struct aero_info_answers {
    size_t n;
    aero_info_answer *rows;
    aero_strpool pool;
};

/* ---- string pool: every string of a list in one place, freed together ---- */

const char *aero_strpool__add(aero_strpool *p, const char *s, size_t len) {
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        char **arr = realloc(p->items, cap * sizeof *arr);
        if (!arr)
            return NULL;
        p->items = arr;
        p->cap = cap;
    }
    char *c = malloc(len + 1);
    if (!c)
        return NULL;
    if (len)
        memcpy(c, s, len);
    c[len] = '\0';
    p->items[p->n++] = c;
    return c;
}

void aero_strpool__free(aero_strpool *p) {
    for (size_t i = 0; i < p->n; i++)
        free(p->items[i]);
    free(p->items);
    p->items = NULL;
    p->n = p->cap = 0;
}

/* ---- one exchange ---- */

uint64_t aero_admin__deadline(const aero_client *client) {
    uint32_t timeout = client->config.connect_timeout_ms ? client->config.connect_timeout_ms * 5 : 5000;
    return aero_deadline_after_ms(timeout);
}

bool aero_admin__word_ok(const char *s, size_t max) {
    if (!s)
        return false;
    size_t n = strlen(s);
    return n > 0 && n <= max && !strpbrk(s, ";:\n\t=/");
}

aero_status aero_admin__ask(aero_client *client, aero_node *node, const char *command, char **body, aero_strview *value,
                            aero_error *err) {
    size_t len = 0;
    *body = NULL;
    aero_status st = aero_node__info(node, &command, 1, aero_admin__deadline(client), body, &len, err);
    if (st != AERO_OK) {
        if (err)
            snprintf(err->node, sizeof err->node, "%s", aero_node__name(node));
        return st;
    }
    if (!aero_info__find(*body, len, command, value)) {
        free(*body);
        *body = NULL;
        st = aero_err__set(err, AERO_ERR_PROTOCOL, "node %s: info answer does not contain '%s'", aero_node__name(node),
                           command);
    } else {
        char msg[AERO_ERROR_MESSAGE_SIZE];
        st = aero_info__value_error(*value, msg, sizeof msg);
        if (st != AERO_OK) {
            free(*body);
            *body = NULL;
            aero_err__set(err, st, "%s", msg);
        }
    }
    if (st != AERO_OK && err)
        snprintf(err->node, sizeof err->node, "%s", aero_node__name(node));
    return st;
}

aero_node *aero_admin__node(aero_client *client, const char *node_name, aero_error *err) {
    aero_cluster *c = client->cluster;
    if (!node_name) {
        aero_node *n = aero_cluster__any_node(c);
        if (!n)
            aero_err__set(err, AERO_ERR_INVALID_NODE, "no node is available");
        return n;
    }
    aero_node *all[AERO_ADMIN_MAX_NODES];
    size_t k = aero_cluster__nodes(c, all, AERO_ADMIN_MAX_NODES);
    aero_node *found = NULL;
    for (size_t i = 0; i < k; i++) {
        if (!found && strcmp(aero_node__name(all[i]), node_name) == 0)
            found = all[i];
        else
            aero_node__release(all[i]);
    }
    if (!found)
        aero_err__set(err, AERO_ERR_INVALID_NODE, "node %s is not in the cluster", node_name);
    return found;
}

static bool command_ok(const char *command) { return command && *command && !strpbrk(command, "\n\t"); }

AERO_API aero_status aero_client_info_node(aero_client *client, const char *node_name, const char *command, char *out,
                                           size_t cap, aero_error *err) {
    aero_err__reset(err);
    if (!client || !command_ok(command) || !out || cap == 0)
        return aero_err__set(err, AERO_ERR_PARAM, "info needs a client, a one-line command and an output buffer");
    aero_node *node = aero_admin__node(client, node_name, err);
    if (!node)
        return AERO_ERR_INVALID_NODE;
    char *body;
    aero_strview v;
    aero_status st = aero_admin__ask(client, node, command, &body, &v, err);
    if (st == AERO_OK) {
        if (v.len + 1 > cap) {
            st = aero_err__set(err, AERO_ERR_PARAM, "info answer of %zu bytes does not fit in %zu", v.len, cap);
        } else {
            memcpy(out, v.p, v.len);
            out[v.len] = '\0';
        }
    }
    aero_node__release(node);
    free(body);
    return st;
}

AERO_API aero_status aero_client_info_all(aero_client *client, const char *command, aero_info_answers **out,
                                          aero_error *err) {
    aero_err__reset(err);
    if (out)
        *out = NULL;
    if (!client || !command_ok(command) || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "info_all needs a client, a one-line command and an output");
    aero_node *nodes[AERO_ADMIN_MAX_NODES];
    size_t k = aero_cluster__nodes(client->cluster, nodes, AERO_ADMIN_MAX_NODES);
    if (k == 0)
        return aero_err__set(err, AERO_ERR_INVALID_NODE, "no node is available");
    aero_info_answers *a = calloc(1, sizeof *a);
    aero_info_answer *rows = calloc(k, sizeof *rows);
    aero_status first = AERO_OK;
    bool oom = !a || !rows;
    for (size_t i = 0; i < k; i++) {
        if (!oom) {
            aero_error e;
            aero_err__reset(&e);
            char *body = NULL;
            aero_strview v = { "", 0 };
            aero_status st = aero_admin__ask(client, nodes[i], command, &body, &v, &e);
            const char *name = aero_node__name(nodes[i]), *addr = aero_node__address(nodes[i]);
            rows[i].node = aero_strpool__add(&a->pool, name, strlen(name));
            rows[i].address = aero_strpool__add(&a->pool, addr, strlen(addr));
            rows[i].status = st;
            rows[i].value = st == AERO_OK ? aero_strpool__add(&a->pool, v.p, v.len)
                                          : aero_strpool__add(&a->pool, e.message, strlen(e.message));
            oom = !rows[i].node || !rows[i].address || !rows[i].value;
            if (st != AERO_OK && first == AERO_OK) {
                first = st;
                if (err)
                    *err = e;
            }
            free(body);
        }
        aero_node__release(nodes[i]);
    }
    if (oom) {
        if (a)
            aero_strpool__free(&a->pool);
        free(a);
        free(rows);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for info answers");
    }
    a->n = k;
    a->rows = rows;
    *out = a;
    return first;
}

AERO_API size_t aero_info_answers_count(const aero_info_answers *a) { return a ? a->n : 0; }

AERO_API const aero_info_answer *aero_info_answers_get(const aero_info_answers *a, size_t i) {
    return a && i < a->n ? &a->rows[i] : NULL;
}

AERO_API void aero_info_answers_free(aero_info_answers *a) {
    if (!a)
        return;
    aero_strpool__free(&a->pool);
    free(a->rows);
    free(a);
}

/* ---- truncate ---- */

AERO_API aero_status aero_client_truncate(aero_client *client, const char *ns, const char *set, uint64_t before_ns,
                                          aero_error *err) {
    aero_err__reset(err);
    if (!client)
        return aero_err__set(err, AERO_ERR_PARAM, "truncate needs a client");
    if (!aero_admin__word_ok(ns, AERO_NAMESPACE_MAX))
        return aero_err__set(err, AERO_ERR_PARAM, "truncate needs a namespace name of 1 to %d bytes without ;:=/",
                             AERO_NAMESPACE_MAX);
    bool whole = !set || !*set;
    if (!whole && !aero_admin__word_ok(set, AERO_SET_MAX))
        return aero_err__set(err, AERO_ERR_PARAM, "truncate: a set name has 1 to %d bytes without ;:=/", AERO_SET_MAX);
    char cmd[160], lut[40] = "";
    if (before_ns)
        snprintf(lut, sizeof lut, ";lut=%llu", (unsigned long long)before_ns);
    if (whole)
        snprintf(cmd, sizeof cmd, "truncate-namespace:namespace=%s%s", ns, lut);
    else
        snprintf(cmd, sizeof cmd, "truncate:namespace=%s;set=%s%s", ns, set, lut);
    aero_node *node = aero_admin__node(client, NULL, err);
    if (!node)
        return AERO_ERR_INVALID_NODE;
    char *body;
    aero_strview v;
    aero_status st = aero_admin__ask(client, node, cmd, &body, &v, err);
    if (st == AERO_OK && !(v.len == 2 && memcmp(v.p, "ok", 2) == 0))
        st = aero_err__set(err, AERO_ERR_PROTOCOL, "truncate answered \"%.*s\"", (int)(v.len > 80 ? 80 : v.len), v.p);
    aero_node__release(node);
    free(body);
    return st;
}
