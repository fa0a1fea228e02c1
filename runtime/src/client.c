/*
 * client.c - SyncClient and SyncSession: lifetime, configuration, sessions
 * with their behavior resolved once, and raw info commands.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "internal.h"
#include "proto/info.h"
#include "write_internal.h"

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

AERO_API aero_client *aero_client_connect(const char *seeds, const aero_client_config *cfg, aero_error *err) {
    aero_err__reset(err);
    if (!seeds || !*seeds) {
        aero_err__set(err, AERO_ERR_INVALID_HOST, "seed list is empty");
        return NULL;
    }
    if (cfg && aero_err__check_version(err, "aero_client_config", cfg->version, AERO_CLIENT_CONFIG_VERSION) != AERO_OK)
        return NULL;
    if (cfg && (cfg->user || cfg->password)) {
        aero_err__set(err, AERO_ERR_UNSUPPORTED_FEATURE,
                      "user/password authentication is not supported by this version of aero");
        return NULL;
    }
    aero_client *c = calloc(1, sizeof *c);
    if (!c) {
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory creating the client");
        return NULL;
    }
    aero_client_config_init(&c->config);
    if (cfg && cfg->version == 1) /* read only what version 1 has; the rest keeps its defaults */
        memcpy(&c->config, cfg, offsetof(aero_client_config, tls_enabled));
    else if (cfg)
        c->config = *cfg;
    c->config.version = AERO_CLIENT_CONFIG_VERSION;
    c->cluster_name = dup_or_null(c->config.cluster_name);
    c->config.cluster_name = c->cluster_name;
    aero_lock__init(&c->free_lock);
    if (aero_cluster__new(seeds, &c->config, &c->cluster, err) != AERO_OK) {
        aero_client_close(c);
        return NULL;
    }
    return c;
}

AERO_API void aero_client_close(aero_client *c) {
    if (!c)
        return;
    if (c->cluster)
        aero_cluster__free(c->cluster);
    aero_write__free_list(c);
    free(c->cluster_name);
    free(c);
}

aero_cluster *aero_client__cluster(const aero_client *client) { return client->cluster; }

AERO_API aero_session *aero_client_create_session(aero_client *client, const aero_behavior *b, aero_error *err) {
    aero_err__reset(err);
    if (!client) {
        aero_err__set(err, AERO_ERR_PARAM, "create_session needs a client");
        return NULL;
    }
    aero_session *s = calloc(1, sizeof *s);
    if (!s) {
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory creating a session");
        return NULL;
    }
    if (!b)
        b = &AERO_BEHAVIOR_DEFAULT;
    s->client = client;
    s->behavior_name = b->name;
    struct {
        aero_policy *p;
        aero_op_kind kind;
        aero_op_shape shape;
    } slots[] = {
        { &s->read_point, AERO_OP_READ, AERO_SHAPE_POINT },   { &s->read_batch, AERO_OP_READ, AERO_SHAPE_BATCH },
        { &s->read_query, AERO_OP_READ, AERO_SHAPE_QUERY },   { &s->write_point, AERO_OP_WRITE, AERO_SHAPE_POINT },
        { &s->write_batch, AERO_OP_WRITE, AERO_SHAPE_BATCH }, { &s->write_query, AERO_OP_WRITE, AERO_SHAPE_QUERY },
    };
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
        aero_policy_init(slots[i].p);
        if (aero_behavior_resolve(b, slots[i].kind, slots[i].shape, slots[i].p, err) != AERO_OK) {
            free(s); /* the only failure is a behavior of an unknown version, reported by the first resolve */
            return NULL;
        }
    }
    return s;
}

AERO_API void aero_session_free(aero_session *s) { free(s); }

AERO_API aero_client *aero_session_client(const aero_session *s) { return s ? s->client : NULL; }

AERO_API aero_status aero_client_info(aero_client *client, const char *command, char *out, size_t cap,
                                      aero_error *err) {
    aero_err__reset(err);
    if (!client || !command || !*command || strchr(command, '\n') || !out || cap == 0)
        return aero_err__set(err, AERO_ERR_PARAM, "info needs a client, a one-line command and an output buffer");
    aero_node *node = aero_cluster__any_node(client->cluster);
    if (!node)
        return aero_err__set(err, AERO_ERR_INVALID_NODE, "no node is available for info");
    char *body = NULL;
    size_t len = 0;
    uint32_t timeout = client->config.connect_timeout_ms ? client->config.connect_timeout_ms * 5 : 5000;
    aero_status st = aero_node__info(node, &command, 1, aero_deadline_after_ms(timeout), &body, &len, err);
    aero_node__release(node);
    if (st != AERO_OK)
        return st;
    aero_strview v;
    if (!aero_info__find(body, len, command, &v)) {
        free(body);
        return aero_err__set(err, AERO_ERR_PROTOCOL, "info answer does not contain '%s'", command);
    }
    char msg[AERO_ERROR_MESSAGE_SIZE];
    st = aero_info__value_error(v, msg, sizeof msg);
    if (st != AERO_OK) {
        free(body);
        return aero_err__set(err, st, "info '%s': %s", command, msg);
    }
    if (v.len + 1 > cap) {
        free(body);
        return aero_err__set(err, AERO_ERR_PARAM, "info answer of %zu bytes does not fit in %zu", v.len, cap);
    }
    memcpy(out, v.p, v.len);
    out[v.len] = '\0';
    free(body);
    return AERO_OK;
}
