/*
 * behavior.c - Behavior resolution: walk the parent chain, then layer the
 * patches from least to most specific. Resolution happens once per session,
 * so commands look up a resolved aero_policy and never walk the tree.
 */
#include <aero/behavior.h>

#define INH AERO_INHERIT
#define NOCHANGE \
    { INH, INH, INH, INH, INH, INH, INH, INH }

AERO_API aero_settings aero_settings_inherit(void) {
    aero_settings s = NOCHANGE;
    return s;
}

AERO_API const aero_behavior AERO_BEHAVIOR_DEFAULT = {
    .name = "default",
    .parent = NULL,
    .all = { .total_timeout_ms = 30000,
             .socket_timeout_ms = 5000,
             .max_retries = 2,
             .retry_delay_ms = 0,
             .send_key = 1,
             .durable_delete = 0,
             .replica = AERO_REPLICA_SEQUENCE,
             .read_touch_ttl_percent = 0 },
    .reads = NOCHANGE,
    .reads_point = NOCHANGE,
    .reads_batch = NOCHANGE,
    .reads_query = { INH, INH, 5, INH, INH, INH, INH, INH },
    /* The SDK resolves every write as non-retryable: no retries. */
    .writes = { INH, INH, 0, INH, INH, INH, INH, INH },
    .writes_point = NOCHANGE,
    .writes_batch = NOCHANGE,
    .writes_query = NOCHANGE,
};

AERO_API const aero_behavior AERO_BEHAVIOR_READ_FAST = {
    .name = "read_fast",
    .parent = &AERO_BEHAVIOR_DEFAULT,
    .all = NOCHANGE,
    .reads = { 200, 50, 3, INH, INH, INH, INH, INH },
    .reads_point = NOCHANGE,
    .reads_batch = NOCHANGE,
    .reads_query = NOCHANGE,
    .writes = NOCHANGE,
    .writes_point = NOCHANGE,
    .writes_batch = NOCHANGE,
    .writes_query = NOCHANGE,
};

AERO_API aero_behavior aero_behavior_derive(const aero_behavior *parent, const char *name) {
    aero_behavior b;
    b.name = name;
    b.parent = parent;
    b.all = b.reads = b.reads_point = b.reads_batch = b.reads_query = aero_settings_inherit();
    b.writes = b.writes_point = b.writes_batch = b.writes_query = aero_settings_inherit();
    return b;
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
}

static void resolve_into(aero_settings *acc, const aero_behavior *b, aero_op_kind kind, aero_op_shape shape,
                         int depth) {
    if (!b || depth > 32) /* a cycle cannot be built with const parents, but stay bounded */
        return;
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

AERO_API aero_policy aero_behavior_resolve(const aero_behavior *b, aero_op_kind kind, aero_op_shape shape) {
    /* Library defaults, used for anything no behavior in the chain sets. */
    aero_settings acc = { 30000, 5000, 0, 0, 1, 0, AERO_REPLICA_SEQUENCE, 0 };
    resolve_into(&acc, b ? b : &AERO_BEHAVIOR_DEFAULT, kind, shape, 0);
    aero_policy p;
    p.total_timeout_ms = (uint32_t)(acc.total_timeout_ms > UINT32_MAX ? UINT32_MAX : acc.total_timeout_ms);
    p.socket_timeout_ms = (uint32_t)(acc.socket_timeout_ms > UINT32_MAX ? UINT32_MAX : acc.socket_timeout_ms);
    p.max_retries = (uint32_t)acc.max_retries;
    p.retry_delay_ms = (uint32_t)acc.retry_delay_ms;
    p.send_key = acc.send_key > 0;
    p.durable_delete = acc.durable_delete > 0;
    p.replica = (aero_replica)acc.replica;
    p.read_touch_ttl_percent = acc.read_touch_ttl_percent;
    return p;
}
