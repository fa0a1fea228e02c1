/*
 * aero/behavior.h - Behavior: timeouts, retries and write settings, by scope.
 *
 * Mirrors the SDK's Behavior: an immutable, named tree. A child states only
 * what it changes; everything else is inherited from its parent. Settings are
 * scoped (all, reads, reads of one shape, writes, writes of one shape) and a
 * session resolves them once, when it is created, into a table it consults per
 * command in O(1).
 *
 *     aero_behavior fast = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "fast");
 *     fast.reads.total_timeout_ms = 200;
 *     fast.reads.socket_timeout_ms = 50;
 *     fast.reads.max_retries = 3;
 *     aero_session *s = aero_client_create_session(client, &fast);
 *
 * A behavior must outlive the sessions created from it only if it is a
 * parent of another behavior still in use; sessions copy what they resolve.
 */
#ifndef AERO_BEHAVIOR_H
#define AERO_BEHAVIOR_H

#include <aero/common.h>

AERO_BEGIN_DECLS

/** "Inherit from the parent" for every numeric setting. */
#define AERO_INHERIT (-1)

/** Which replica a read goes to. */
typedef enum aero_replica {
    AERO_REPLICA_SEQUENCE = 0, /**< master first, then the next replica on retry (default) */
    AERO_REPLICA_MASTER = 1,   /**< always the master */
    AERO_REPLICA_ANY = 2,      /**< spread reads over replicas */
} aero_replica;

/**
 * One patch of settings. Every field set to AERO_INHERIT (-1) inherits;
 * aero_settings_inherit() gives a patch that changes nothing.
 */
typedef struct aero_settings {
    int64_t total_timeout_ms; /**< whole command, retries included; 0 = none */
    int64_t
        socket_timeout_ms;  /**< each attempt of a command (connect, send, answer), each wait of a stream; 0 = none */
    int32_t max_retries;    /**< retries after the first attempt */
    int32_t retry_delay_ms; /**< sleep between retries */
    int8_t send_key;        /**< 1: store the user key with the record */
    int8_t durable_delete;  /**< 1: deletes leave a tombstone (Enterprise) */
    int8_t replica;         /**< aero_replica */
    int32_t read_touch_ttl_percent; /**< reads: 0 = server default, -1 = never touch, 1..100 */
} aero_settings;

/** A Behavior. Transparent so it can live on the stack or in a static. */
typedef struct aero_behavior {
    const char *name; /**< not copied; static text in practice */
    const struct aero_behavior *parent;
    aero_settings all;
    aero_settings reads, reads_point, reads_batch, reads_query;
    aero_settings writes, writes_point, writes_batch, writes_query;
} aero_behavior;

/** Kinds and shapes of commands, for resolution. */
typedef enum aero_op_kind { AERO_OP_READ = 0, AERO_OP_WRITE = 1 } aero_op_kind;
typedef enum aero_op_shape { AERO_SHAPE_POINT = 0, AERO_SHAPE_BATCH = 1, AERO_SHAPE_QUERY = 2 } aero_op_shape;

/** Resolved settings: no field inherits any more. */
typedef struct aero_policy {
    uint32_t total_timeout_ms;
    uint32_t socket_timeout_ms;
    uint32_t max_retries;
    uint32_t retry_delay_ms;
    bool send_key;
    bool durable_delete;
    aero_replica replica;
    int32_t read_touch_ttl_percent;
} aero_policy;

/**
 * The SDK's Behavior.DEFAULT: total 30 s, socket 5 s, 2 retries for point and
 * batch reads, 5 for queries, 0 for writes (writes are not retried), no
 * retry delay, send_key on, durable delete off, replica SEQUENCE.
 */
AERO_API extern const aero_behavior AERO_BEHAVIOR_DEFAULT;
/** READ_FAST: reads get socket 50 ms, total 200 ms, 3 retries. Child of DEFAULT. */
AERO_API extern const aero_behavior AERO_BEHAVIOR_READ_FAST;

/** A settings patch that changes nothing. */
AERO_API aero_settings aero_settings_inherit(void);

/**
 * derive_with_changes: a child of `parent` named `name` that changes nothing
 * yet; set the fields you want on the returned struct. `parent` must outlive
 * the child.
 */
AERO_API aero_behavior aero_behavior_derive(const aero_behavior *parent, const char *name);

/**
 * Resolve the settings for one kind and shape: the parent chain first, then
 * all -> reads|writes -> the shape, most specific last.
 */
AERO_API aero_policy aero_behavior_resolve(const aero_behavior *b, aero_op_kind kind, aero_op_shape shape);

AERO_END_DECLS

#endif
