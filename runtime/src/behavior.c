/*
 * behavior.c - Behavior resolution: walk the parent chain, then layer the
 * patches from least to most specific. Resolution happens once per session,
 * so commands look up a resolved aero_policy and never walk the tree.
 */
#include <aero/behavior.h>

#include "internal.h"
#include "proto/compress.h"

#define INH      AERO_INHERIT
#define NOCHANGE AERO_SETTINGS_INHERIT

AERO_API const aero_behavior AERO_BEHAVIOR_DEFAULT = {
    .version = AERO_BEHAVIOR_VERSION,
    .name = "default",
    .parent = NULL,
    .all = { .total_timeout_ms = 30000,
             .socket_timeout_ms = 5000,
             .max_retries = 2,
             .retry_delay_ms = 0,
             .send_key = 1,
             .durable_delete = 0,
             .replica = AERO_REPLICA_SEQUENCE,
             .read_touch_ttl_percent = 0,
             .read_mode_ap = AERO_READ_MODE_AP_ONE,
             .read_mode_sc = AERO_READ_MODE_SC_SESSION,
             .commit_level = AERO_COMMIT_ALL },
    .reads = NOCHANGE,
    .reads_point = NOCHANGE,
    .reads_batch = NOCHANGE,
    .reads_query = { INH, INH, 5, INH, INH, INH, INH, INH, INH, INH, INH },
    /* The SDK resolves every write as non-retryable: no retries. */
    .writes = { INH, INH, 0, INH, INH, INH, INH, INH, INH, INH, INH },
    .writes_point = NOCHANGE,
    .writes_batch = NOCHANGE,
    .writes_query = NOCHANGE,
    .compression_all = { 0, AERO_COMPRESS_THRESHOLD_DEFAULT },
    .compression_reads = AERO_COMPRESSION_INHERIT,
    .compression_writes = AERO_COMPRESSION_INHERIT,
};

AERO_API const aero_behavior AERO_BEHAVIOR_READ_FAST = {
    .version = AERO_BEHAVIOR_VERSION,
    .name = "read_fast",
    .parent = &AERO_BEHAVIOR_DEFAULT,
    .all = NOCHANGE,
    .reads = { 200, 50, 3, INH, INH, INH, INH, INH, INH, INH, INH },
    .reads_point = NOCHANGE,
    .reads_batch = NOCHANGE,
    .reads_query = NOCHANGE,
    .writes = NOCHANGE,
    .writes_point = NOCHANGE,
    .writes_batch = NOCHANGE,
    .writes_query = NOCHANGE,
    .compression_all = AERO_COMPRESSION_INHERIT,
    .compression_reads = AERO_COMPRESSION_INHERIT,
    .compression_writes = AERO_COMPRESSION_INHERIT,
};

static void apply_compression(aero_compression_settings *acc, const aero_compression_settings *p) {
    if (p->use_compression >= 0)
        acc->use_compression = p->use_compression;
    if (p->compression_threshold >= 0)
        acc->compression_threshold = p->compression_threshold;
}

/* The compression patches of the chain (version 2 behaviors only: a version 1 one has none). */
static void resolve_compression(aero_compression_settings *acc, const aero_behavior *b, aero_op_kind kind, int depth) {
    if (!b || depth > 32)
        return;
    resolve_compression(acc, b->parent, kind, depth + 1);
    if (b->version < 2)
        return;
    apply_compression(acc, &b->compression_all);
    apply_compression(acc, kind == AERO_OP_READ ? &b->compression_reads : &b->compression_writes);
}

static void apply(aero_settings *acc, const aero_settings *p) {
    if (p->total_timeout_ms >= 0)
        acc->total_timeout_ms = p->total_timeout_ms;
    if (p->socket_timeout_ms >= 0)
        acc->socket_timeout_ms = p->socket_timeout_ms;
    if (p->max_retries >= 0)
        acc->max_retries = p->max_retries;
    if (p->retry_delay_ms >= 0)
        acc->retry_delay_ms = p->retry_delay_ms;
    if (p->send_key >= 0)
        acc->send_key = p->send_key;
    if (p->durable_delete >= 0)
        acc->durable_delete = p->durable_delete;
    if (p->replica >= 0)
        acc->replica = p->replica;
    if (p->read_touch_ttl_percent != INH)
        acc->read_touch_ttl_percent = p->read_touch_ttl_percent;
    if (p->read_mode_ap >= 0)
        acc->read_mode_ap = p->read_mode_ap;
    if (p->read_mode_sc >= 0)
        acc->read_mode_sc = p->read_mode_sc;
    if (p->commit_level >= 0)
        acc->commit_level = p->commit_level;
}

/*
 * Version 1 of the public structs, as callers compiled against the older
 * headers lay them out: aero_settings without the read modes and the commit
 * level, so every aero_settings of an aero_behavior sits elsewhere.
 */
typedef struct settings_v1 {
    int64_t total_timeout_ms;
    int64_t socket_timeout_ms;
    int32_t max_retries;
    int32_t retry_delay_ms;
    int8_t send_key;
    int8_t durable_delete;
    int8_t replica;
    int32_t read_touch_ttl_percent;
} settings_v1;

typedef struct behavior_v1 {
    uint32_t version;
    const char *name;
    const struct aero_behavior *parent;
    settings_v1 all;
    settings_v1 reads, reads_point, reads_batch, reads_query;
    settings_v1 writes, writes_point, writes_batch, writes_query;
} behavior_v1;

static aero_settings from_v1(const settings_v1 *o) {
    aero_settings s = AERO_SETTINGS_INHERIT;
    s.total_timeout_ms = o->total_timeout_ms;
    s.socket_timeout_ms = o->socket_timeout_ms;
    s.max_retries = o->max_retries;
    s.retry_delay_ms = o->retry_delay_ms;
    s.send_key = o->send_key;
    s.durable_delete = o->durable_delete;
    s.replica = o->replica;
    s.read_touch_ttl_percent = o->read_touch_ttl_percent;
    return s;
}

/* `b` as this version's struct (a copy for version 1). */
static const aero_behavior *current(const aero_behavior *b, aero_behavior *tmp) {
    if (b->version != 1)
        return b;
    const behavior_v1 *o = (const behavior_v1 *)(const void *)b;
    tmp->version = AERO_BEHAVIOR_VERSION;
    tmp->name = o->name;
    tmp->parent = o->parent;
    tmp->all = from_v1(&o->all);
    tmp->reads = from_v1(&o->reads);
    tmp->reads_point = from_v1(&o->reads_point);
    tmp->reads_batch = from_v1(&o->reads_batch);
    tmp->reads_query = from_v1(&o->reads_query);
    tmp->writes = from_v1(&o->writes);
    tmp->writes_point = from_v1(&o->writes_point);
    tmp->writes_batch = from_v1(&o->writes_batch);
    tmp->writes_query = from_v1(&o->writes_query);
    const aero_compression_settings inherit = AERO_COMPRESSION_INHERIT; /* version 1 has no compression settings */
    tmp->compression_all = tmp->compression_reads = tmp->compression_writes = inherit;
    return tmp;
}

static void resolve_into(aero_settings *acc, const aero_behavior *b, aero_op_kind kind, aero_op_shape shape,
                         int depth) {
    if (!b || depth > 32) /* a cycle cannot be built with const parents, but stay bounded */
        return;
    aero_behavior tmp;
    b = current(b, &tmp);
    resolve_into(acc, b->parent, kind, shape, depth + 1);
    apply(acc, &b->all);
    if (kind == AERO_OP_READ) {
        apply(acc, &b->reads);
        apply(acc, shape == AERO_SHAPE_POINT   ? &b->reads_point
                   : shape == AERO_SHAPE_BATCH ? &b->reads_batch
                                               : &b->reads_query);
    } else {
        apply(acc, &b->writes);
        apply(acc, shape == AERO_SHAPE_POINT   ? &b->writes_point
                   : shape == AERO_SHAPE_BATCH ? &b->writes_batch
                                               : &b->writes_query);
    }
}

/* Every behavior of the chain must be of a version this library knows (common.h). */
static aero_status check_chain(const aero_behavior *b, aero_error *err) {
    for (int depth = 0; b && depth <= 32; depth++) {
        if (aero_err__check_version(err, "aero_behavior", b->version, AERO_BEHAVIOR_VERSION) != AERO_OK)
            return AERO_ERR_PARAM;
        b = b->version == 1 ? ((const behavior_v1 *)(const void *)b)->parent : b->parent;
    }
    return AERO_OK;
}

AERO_API aero_status aero_behavior_resolve(const aero_behavior *b, aero_op_kind kind, aero_op_shape shape,
                                           aero_policy *out, aero_error *err) {
    aero_err__reset(err);
    if (!out)
        return aero_err__set(err, AERO_ERR_PARAM, "resolve needs an output policy");
    if (aero_err__check_version(err, "aero_policy", out->version, AERO_POLICY_VERSION) != AERO_OK)
        return AERO_ERR_PARAM;
    if (!b)
        b = &AERO_BEHAVIOR_DEFAULT;
    if (check_chain(b, err) != AERO_OK)
        return AERO_ERR_PARAM;
    /* Library defaults, used for anything no behavior in the chain sets. */
    aero_settings acc = { 30000, 5000, 0, 0, 1, 0, AERO_REPLICA_SEQUENCE, 0, 0, 0, 0 };
    resolve_into(&acc, b, kind, shape, 0);
    const char *bad = acc.replica > AERO_REPLICA_PREFER_RACK                   ? "replica"
                      : acc.read_mode_ap > AERO_READ_MODE_AP_ALL               ? "read_mode_ap"
                      : acc.read_mode_sc > AERO_READ_MODE_SC_ALLOW_UNAVAILABLE ? "read_mode_sc"
                      : acc.commit_level > AERO_COMMIT_MASTER                  ? "commit_level"
                                                                               : NULL;
    if (bad)
        return aero_err__set(err, AERO_ERR_PARAM, "behavior %s: %s is out of range", b->name ? b->name : "(unnamed)",
                             bad);
    aero_policy *p = out;
    p->total_timeout_ms = (uint32_t)(acc.total_timeout_ms > UINT32_MAX ? UINT32_MAX : acc.total_timeout_ms);
    p->socket_timeout_ms = (uint32_t)(acc.socket_timeout_ms > UINT32_MAX ? UINT32_MAX : acc.socket_timeout_ms);
    p->max_retries = (uint32_t)acc.max_retries;
    p->retry_delay_ms = (uint32_t)acc.retry_delay_ms;
    p->send_key = acc.send_key > 0;
    p->durable_delete = acc.durable_delete > 0;
    p->replica = (aero_replica)acc.replica;
    p->read_touch_ttl_percent = acc.read_touch_ttl_percent;
    if (p->version >= 2) {
        p->read_mode_ap = (aero_read_mode_ap)acc.read_mode_ap;
        p->read_mode_sc = (aero_read_mode_sc)acc.read_mode_sc;
        p->commit_level = (aero_commit_level)acc.commit_level;
        aero_compression_settings z = { 0, AERO_COMPRESS_THRESHOLD_DEFAULT };
        resolve_compression(&z, b, kind, 0);
        p->use_compression = z.use_compression > 0;
        p->compression_threshold = (uint32_t)z.compression_threshold;
    }
    return AERO_OK;
}
