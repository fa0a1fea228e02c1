/*
 * client.c - SyncClient and SyncSession: lifetime, configuration, sessions
 * with their behavior resolved once, and raw info commands.
 */
#include <aero/admin.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "client.h"
#include "typed/typed_internal.h"
#include "cluster/auth.h"
#include "internal.h"
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
    if (aero_auth__check_config(cfg, err) != AERO_OK)
        return NULL;
    aero_client *c = calloc(1, sizeof *c);
    if (!c) {
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory creating the client");
        return NULL;
    }
    aero_client_config_init(&c->config);
    if (cfg && cfg->version == 1) /* a caller of the older headers: its struct ends before rack_aware */
        memcpy(&c->config, cfg, offsetof(aero_client_config, rack_aware));
    else if (cfg)
        c->config = *cfg;
    c->config.version = AERO_CLIENT_CONFIG_VERSION;
    bool racks_ok = c->config.rack_id >= 0;
    for (uint32_t i = 0; racks_ok && c->config.rack_ids && i < c->config.n_rack_ids && i < AERO_MAX_RACK_IDS; i++)
        racks_ok = c->config.rack_ids[i] >= 0;
    if (!racks_ok) {
        aero_err__set(err, AERO_ERR_PARAM, "rack ids are 0 or more");
        free(c);
        return NULL;
    }
    if (c->config.n_rack_ids > AERO_MAX_RACK_IDS || (c->config.n_rack_ids && !c->config.rack_ids)) {
        aero_err__set(err, AERO_ERR_PARAM, "rack_ids: %u entries given, 1 to %d with a non-NULL array are accepted",
                      (unsigned)c->config.n_rack_ids, AERO_MAX_RACK_IDS);
        free(c);
        return NULL;
    }
    c->cluster_name = dup_or_null(c->config.cluster_name);
    c->config.cluster_name = c->cluster_name;
    aero_lock__init(&c->free_lock);
    if (aero_cluster__new(seeds, &c->config, &c->cluster, err) != AERO_OK) {
        aero_client_close(c);
        return NULL;
    }
    c->config.user = NULL; /* the cluster keeps its own copy; these point into the caller's memory */
    c->config.password = NULL;
    return c;
}

AERO_API void aero_client_close(aero_client *c) {
    if (!c)
        return;
    if (c->cluster)
        aero_cluster__free(c->cluster);
    aero_write__free_list(c);
    aero_batch__free_list(c);
    aero_schema__ops_free_list(c);
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
    return aero_client_info_node(client, NULL, command, out, cap, err); /* admin.c */
}
