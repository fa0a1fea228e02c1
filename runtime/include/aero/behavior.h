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
 *     aero_session *s = aero_client_create_session(client, &fast, &err);
 *
 * A behavior must outlive the sessions created from it only if it is a
 * parent of another behavior still in use; sessions copy what they resolve.
 *
 * aero_behavior and aero_policy are versioned structs (the rule is in
 * common.h): make a behavior with aero_behavior_derive(), AERO_BEHAVIOR_INIT
 * or aero_behavior_init(), never from a bare `{ ... }` of your own.
 */
#ifndef AERO_BEHAVIOR_H
#define AERO_BEHAVIOR_H

#include <aero/common.h>
#include <aero/error.h>

AERO_BEGIN_DECLS

/** "Inherit from the parent" for every numeric setting. */
#define AERO_INHERIT (-1)

/** Which replica a read goes to. */
typedef enum aero_replica {
    AERO_REPLICA_SEQUENCE = 0, /**< master first, then the next replica on retry (default) */
    AERO_REPLICA_MASTER = 1,   /**< always the master */
    AERO_REPLICA_ANY = 2,      /**< spread reads over replicas */
    /**
     * Reads go to a replica on one of the client's racks
     * (aero_client_config rack_id / rack_ids, in that order of preference)
     * when the partition has one there, else as SEQUENCE; a retry prefers
     * another node. Needs rack_aware in the client config (otherwise it is
     * SEQUENCE). Writes always go to the master.
     */
    AERO_REPLICA_PREFER_RACK = 3,
} aero_replica;

/**
 * How an AP (non strong-consistency) namespace answers a read while its
 * partitions migrate (protocol.md 3.2, info1 READ_MODE_AP_ALL). Applies to
 * point reads, batch reads and read-only operates. Scans and queries
 * (dataset queries) ignore it, as they ignore aero_read_mode_sc: the server
 * answers them from any full copy of a partition, with no duplicate
 * resolution and no SC read rule, so no read-mode bit is sent for them (as
 * the official C client) and they are routed by the replica setting alone.
 */
typedef enum aero_read_mode_ap {
    AERO_READ_MODE_AP_ONE = 0, /**< the node asked answers from its copy (default) */
    AERO_READ_MODE_AP_ALL = 1, /**< the server resolves duplicates over every copy: the latest write wins */
} aero_read_mode_ap;

/**
 * Consistency of a read in a strong-consistency namespace (info3 SC bits;
 * Enterprise). Ignored by AP namespaces.
 */
typedef enum aero_read_mode_sc {
    AERO_READ_MODE_SC_SESSION = 0,           /**< reads your own writes; always the master (default) */
    AERO_READ_MODE_SC_LINEARIZE = 1,         /**< linearizable over every client; PREFER_RACK acts as SEQUENCE */
    AERO_READ_MODE_SC_ALLOW_REPLICA = 2,     /**< any replica may answer, possibly stale */
    AERO_READ_MODE_SC_ALLOW_UNAVAILABLE = 3, /**< also from an unavailable partition, possibly stale */
} aero_read_mode_sc;

/** When a write is acknowledged (info3 COMMIT_MASTER). */
typedef enum aero_commit_level {
    AERO_COMMIT_ALL = 0,    /**< after every replica applied it (default) */
    AERO_COMMIT_MASTER = 1, /**< after the master applied it */
} aero_commit_level;

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
    /* aero_behavior version 2: */
    int8_t read_mode_ap; /**< reads: aero_read_mode_ap */
    int8_t read_mode_sc; /**< reads: aero_read_mode_sc */
    int8_t commit_level; /**< writes: aero_commit_level */
} aero_settings;

/** The settings patch that changes nothing, as an initialiser. */
#define AERO_SETTINGS_INHERIT                                                                             \
    {                                                                                                     \
        AERO_INHERIT, AERO_INHERIT, AERO_INHERIT, AERO_INHERIT, AERO_INHERIT, AERO_INHERIT, AERO_INHERIT, \
            AERO_INHERIT, AERO_INHERIT, AERO_INHERIT, AERO_INHERIT                                        \
    }

/**
 * Compression settings (behavior version 2; protocol.md 11, Enterprise
 * servers only: Community Edition answers a compressed request with 25,
 * ENTERPRISE_ONLY). AERO_INHERIT (-1) inherits.
 */
typedef struct aero_compression_settings {
    /** 1: compress requests larger than the threshold (zlib) and ask for compressed answers; default 0 */
    int8_t use_compression;
    /** requests of more than this many bytes (whole message) are compressed; default 128, as the C client */
    int32_t compression_threshold;
} aero_compression_settings;

/** The compression patch that changes nothing. */
#define AERO_COMPRESSION_INHERIT \
    { AERO_INHERIT, AERO_INHERIT }

/** A Behavior. Transparent so it can live on the stack or in a static. */
typedef struct aero_behavior {
    uint32_t version;                   /**< AERO_BEHAVIOR_VERSION: set by the INIT macro and the functions below */
    const char *name;                   /**< not copied; static text in practice */
    const struct aero_behavior *parent; /**< inherited from; NULL for none (the library defaults) */
    aero_settings all;
    aero_settings reads, reads_point, reads_batch, reads_query;
    aero_settings writes, writes_point, writes_batch, writes_query;
    /* version 2: compression, by scope (all, then reads or writes; the SDK's flat use_compression is `all`) */
    aero_compression_settings compression_all, compression_reads, compression_writes;
} aero_behavior;

/**
 * Version of aero_behavior these headers describe. 2 appended read_mode_ap,
 * read_mode_sc and commit_level to aero_settings and the compression
 * settings to aero_behavior; behaviors of version 1 (compiled against older
 * headers) are still accepted and inherit those.
 */
#define AERO_BEHAVIOR_VERSION 2

/** A behavior with no name and no parent that changes nothing (every setting inherits). */
#define AERO_BEHAVIOR_INIT                                                                                      \
    {                                                                                                           \
        AERO_BEHAVIOR_VERSION, NULL, NULL, AERO_SETTINGS_INHERIT, AERO_SETTINGS_INHERIT, AERO_SETTINGS_INHERIT, \
            AERO_SETTINGS_INHERIT, AERO_SETTINGS_INHERIT, AERO_SETTINGS_INHERIT, AERO_SETTINGS_INHERIT,         \
            AERO_SETTINGS_INHERIT, AERO_SETTINGS_INHERIT, AERO_COMPRESSION_INHERIT, AERO_COMPRESSION_INHERIT,   \
            AERO_COMPRESSION_INHERIT                                                                            \
    }

/** Kinds and shapes of commands, for resolution. */
typedef enum aero_op_kind { AERO_OP_READ = 0, AERO_OP_WRITE = 1 } aero_op_kind;
typedef enum aero_op_shape { AERO_SHAPE_POINT = 0, AERO_SHAPE_BATCH = 1, AERO_SHAPE_QUERY = 2 } aero_op_shape;

/** Resolved settings: no field inherits any more. A versioned struct the library fills. */
typedef struct aero_policy {
    uint32_t version; /**< AERO_POLICY_VERSION: set by the caller (INIT macro / init function) */
    uint32_t total_timeout_ms;
    uint32_t socket_timeout_ms;
    uint32_t max_retries;
    uint32_t retry_delay_ms;
    bool send_key;
    bool durable_delete;
    aero_replica replica;
    int32_t read_touch_ttl_percent;
    /* version 2: */
    aero_read_mode_ap read_mode_ap;
    aero_read_mode_sc read_mode_sc;
    aero_commit_level commit_level;
    bool use_compression;           /**< compress requests over the threshold, ask for compressed answers */
    uint32_t compression_threshold; /**< bytes */
} aero_policy;

/** Version of aero_policy these headers describe (2 appended the read modes, the commit level and compression). */
#define AERO_POLICY_VERSION 2
/** An empty policy to pass to aero_behavior_resolve(). */
#define AERO_POLICY_INIT                                                                                \
    {                                                                                                   \
        AERO_POLICY_VERSION, 0, 0, 0, 0, false, false, AERO_REPLICA_SEQUENCE, 0, AERO_READ_MODE_AP_ONE, \
            AERO_READ_MODE_SC_SESSION, AERO_COMMIT_ALL, false, 0                                        \
    }

/**
 * The SDK's Behavior.DEFAULT: total 30 s, socket 5 s, 2 retries for point and
 * batch reads, 5 for queries, 0 for writes (writes are not retried), no
 * retry delay, send_key on, durable delete off, replica SEQUENCE, read
 * modes AP ONE and SC SESSION, commit level ALL.
 */
AERO_API extern const aero_behavior AERO_BEHAVIOR_DEFAULT;
/** READ_FAST: reads get socket 50 ms, total 200 ms, 3 retries. Child of DEFAULT. */
AERO_API extern const aero_behavior AERO_BEHAVIOR_READ_FAST;

/** A settings patch that changes nothing (AERO_SETTINGS_INHERIT). */
static inline aero_settings aero_settings_inherit(void) {
    const aero_settings s = AERO_SETTINGS_INHERIT;
    return s;
}

/** Fill `b` with AERO_BEHAVIOR_INIT (compiled into the caller, see common.h). */
static inline void aero_behavior_init(aero_behavior *b) {
    const aero_behavior init = AERO_BEHAVIOR_INIT;
    *b = init;
}

/**
 * derive_with_changes: a child of `parent` named `name` that changes nothing
 * yet; set the fields you want on the returned struct. `parent` must outlive
 * the child.
 */
static inline aero_behavior aero_behavior_derive(const aero_behavior *parent, const char *name) {
    aero_behavior b = AERO_BEHAVIOR_INIT;
    b.name = name;
    b.parent = parent;
    return b;
}

/** Fill `p` with AERO_POLICY_INIT. */
static inline void aero_policy_init(aero_policy *p) {
    const aero_policy init = AERO_POLICY_INIT;
    *p = init;
}

/**
 * Resolve the settings for one kind and shape into `out` (whose version the
 * caller set, see aero_policy_init()): the parent chain first, then
 * all -> reads|writes -> the shape, most specific last. `b` NULL means
 * AERO_BEHAVIOR_DEFAULT. AERO_ERR_PARAM when `out` is NULL or of an unknown
 * version, or when `b` or one of its parents is of an unknown version;
 * AERO_ERR_PARAM too for a replica, read mode or commit level out of its
 * enum's range (naming the behavior). A policy of version 1 gets only the
 * members version 1 has.
 */
AERO_API aero_status aero_behavior_resolve(const aero_behavior *b, aero_op_kind kind, aero_op_shape shape,
                                           aero_policy *out, aero_error *err);

AERO_END_DECLS

#endif
