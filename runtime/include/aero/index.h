/*
 * aero/index.h - secondary indexes: create, wait, drop, list (SDK
 * IndexesMonitor / createIndex / dropIndex).
 *
 *     aero_index_def d = AERO_INDEX_DEF_INIT;
 *     d.ns = "test"; d.set = "users"; d.name = "users_age"; d.bin = "age";
 *     d.type = AERO_INDEX_NUMERIC;
 *     if (aero_index_create(s, &d, &err) == AERO_OK &&
 *         aero_index_wait(s, "test", "users_age", 10000, &err) == AERO_OK)
 *         ... queries on $.age may now use the index
 *
 * Index queries (filters, hints, explain) are in query.h.
 */
#ifndef AERO_INDEX_H
#define AERO_INDEX_H

#include <aero/ael.h>
#include <aero/common.h>
#include <aero/error.h>
#include <aero/types.h>

AERO_BEGIN_DECLS

/** What the indexed values are. The server indexes only values of that type (others are skipped). */
typedef enum aero_index_type {
    AERO_INDEX_NUMERIC = 1,     /**< integers */
    AERO_INDEX_STRING = 2,      /**< strings */
    AERO_INDEX_BLOB = 3,        /**< byte arrays */
    AERO_INDEX_GEO2DSPHERE = 4, /**< GeoJSON values */
} aero_index_type;

/** Which values of the bin (or of the context) are indexed. */
typedef enum aero_index_collection {
    AERO_INDEX_COLLECTION_NONE = 0,      /**< the value itself */
    AERO_INDEX_COLLECTION_LIST = 1,      /**< each element of a list */
    AERO_INDEX_COLLECTION_MAPKEYS = 2,   /**< each key of a map */
    AERO_INDEX_COLLECTION_MAPVALUES = 3, /**< each value of a map */
} aero_index_collection;

#define AERO_INDEX_DEF_VERSION 1
/**
 * Definition of a secondary index. Caller storage; every string is borrowed
 * for the duration of the call only.
 */
typedef struct aero_index_def {
    uint32_t version;                 /**< AERO_INDEX_DEF_VERSION */
    const char *ns;                   /**< namespace (required) */
    const char *set;                  /**< set, or NULL for the whole namespace */
    const char *name;                 /**< index name (required, at most 63 bytes) */
    const char *bin;                  /**< indexed bin (required unless expr is set) */
    aero_index_type type;             /**< required (0 is refused) */
    aero_index_collection collection; /**< NONE by default */
    /**
     * AEL path of a CDT context inside the bin, with the bin as its root,
     * e.g. "$.prefs.theme" (bin prefs, map key "theme") or "$.l.[0]" (bin l,
     * first list element). NULL: the bin itself. When ctx is set, bin may be
     * NULL (it is taken from the path) or must name the path's root bin.
     */
    const char *ctx;
    /**
     * Expression index (server 8.1 or later): the index holds the value of
     * this expression for each record; bin and ctx must be NULL. The bytes are
     * copied; NULL: a bin index.
     */
    const aero_expr *expr;
} aero_index_def;
#define AERO_INDEX_DEF_INIT                                                                                        \
    {                                                                                                              \
        AERO_INDEX_DEF_VERSION, NULL, NULL, NULL, NULL, AERO_CAST(aero_index_type, 0), AERO_INDEX_COLLECTION_NONE, \
            NULL, NULL                                                                                             \
    }
/** Set *d to AERO_INDEX_DEF_INIT. */
static inline void aero_index_def_init(aero_index_def *d) {
    aero_index_def init = AERO_INDEX_DEF_INIT;
    *d = init;
}

/**
 * Create the index on every node of the cluster. Idempotent: when an index
 * with the same definition is already there the call is AERO_OK; an index of
 * that name with a different definition (or another index on the same bin,
 * type, collection and context) is AERO_ERR_INDEX_FOUND. Does not wait for
 * the index to be built: see aero_index_wait().
 *
 * Errors: AERO_ERR_PARAM (missing ns/name/bin, type 0, bad ctx path, ctx or
 * bin together with expr, unknown def->version), AERO_ERR_INDEX_FOUND,
 * AERO_ERR_INDEX_MAXCOUNT, AERO_ERR_INDEX_NAME_MAXLEN,
 * AERO_ERR_UNSUPPORTED_FEATURE (expression index on a server older than 8.1),
 * the network errors of an info request (AERO_ERR_TIMEOUT, AERO_ERR_CONNECTION).
 */
AERO_API aero_status aero_index_create(aero_session *s, const aero_index_def *def, aero_error *err);

/**
 * Wait, at most timeout_ms milliseconds, until the index is readable on every
 * node (sindex-stat load_pct=100, state RW). AERO_OK when it is;
 * AERO_ERR_TIMEOUT when timeout_ms passes first; AERO_ERR_INDEX_NOT_FOUND
 * when a node does not know the index; network errors as for info requests.
 */
AERO_API aero_status aero_index_wait(aero_session *s, const char *ns, const char *name, uint32_t timeout_ms,
                                     aero_error *err);

/**
 * Drop the index `name` of namespace `ns` on every node. Dropping an index
 * that does not exist is AERO_OK (the server's answer). Errors:
 * AERO_ERR_PARAM (NULL or too long names), network errors of info requests.
 */
AERO_API aero_status aero_index_drop(aero_session *s, const char *ns, const char *name, aero_error *err);

/** State of an index, as sindex-list reports it (the least ready node wins). */
typedef enum aero_index_state {
    AERO_INDEX_STATE_RW = 0,   /**< readable and writable: queries may use it */
    AERO_INDEX_STATE_WO = 1,   /**< still being built on some node (write only) */
    AERO_INDEX_STATE_ERROR = 2 /**< the server reports an error */
} aero_index_state;

/** One index of aero_index_list(). */
typedef struct aero_index_info {
    char ns[AERO_NAMESPACE_MAX + 1];
    char set[AERO_SET_MAX + 1];      /**< "" when the index covers the whole namespace */
    char name[64];                   /**< index name */
    char bin[AERO_BIN_NAME_MAX + 1]; /**< "" for an expression index */
    aero_index_type type;
    aero_index_collection collection;
    uint8_t *ctx; /**< packed CDT context (msgpack list), NULL if none; owned by the array */
    size_t ctx_len;
    uint8_t *exp; /**< packed expression of an expression index, NULL if none; owned by the array */
    size_t exp_len;
    aero_index_state state; /**< the least ready state over the nodes */
    uint32_t nodes;         /**< how many nodes list it */
} aero_index_info;

/**
 * List the secondary indexes of namespace `ns` (NULL: every namespace), as
 * the nodes report them (sindex-list, merged over the nodes: an index any
 * node lists is there; its state is the least ready one). Set indexes are not
 * listed. On AERO_OK *out is a malloc'd array of *n entries (NULL when none);
 * free it with aero_index_list_free(). Errors: network errors of info
 * requests, AERO_ERR_PROTOCOL for an answer that cannot be parsed,
 * AERO_ERR_NO_MEMORY.
 */
AERO_API aero_status aero_index_list(aero_session *s, const char *ns, aero_index_info **out, size_t *n,
                                     aero_error *err);
/** Free what aero_index_list() returned. NULL is a no-op. */
AERO_API void aero_index_list_free(aero_index_info *list, size_t n);

/* ---- index filters (the SDK's Filter) ---- */

#define AERO_INDEX_FILTER_VERSION 1
/**
 * A secondary-index condition for a dataset query (aero_query_filter() in
 * query.h): the index narrows the records, a where() as well filters the
 * rest. Build one with the constructors below, then optionally set `ctx`,
 * `index_name` or `expr` to choose which index answers. Strings and bytes are
 * borrowed until aero_query_filter() returns (it copies them).
 *
 * Which index: by default the index on `bin` (of `type`, `collection` and
 * `ctx`) in the query's set or in the whole namespace. With `index_name`, that
 * index (bin is then ignored). With `expr`, the expression index of that
 * expression.
 */
typedef struct aero_index_filter {
    uint32_t version;                 /**< AERO_INDEX_FILTER_VERSION */
    const char *bin;                  /**< indexed bin (NULL when index_name or expr is set) */
    const char *index_name;           /**< target this index by name, or NULL */
    const aero_expr *expr;            /**< target the expression index of this expression, or NULL */
    const char *ctx;                  /**< AEL path of the indexed CDT context ("$.bin.key..."), or NULL */
    aero_index_collection collection; /**< LIST / MAPKEYS / MAPVALUES for contains(); NONE otherwise */
    aero_index_type type;             /**< NUMERIC: begin..end; STRING / BLOB: equal bytes; GEO2DSPHERE: geo */
    int64_t begin, end;               /**< NUMERIC: inclusive range (begin == end for equality) */
    const void *bytes;                /**< STRING / BLOB value, GEO2DSPHERE GeoJSON text (when geo_kind 0) */
    size_t len;                       /**< bytes of `bytes` */
    int geo_kind;                     /**< GEO2DSPHERE: 0 GeoJSON in bytes, 1 circle, 2 point */
    double lng, lat, radius_m;        /**< geo_kind 1 (circle: centre and radius in metres) and 2 (point) */
} aero_index_filter;
#define AERO_INDEX_FILTER_INIT                                                                                        \
    {                                                                                                                 \
        AERO_INDEX_FILTER_VERSION, NULL, NULL, NULL, NULL, AERO_INDEX_COLLECTION_NONE, AERO_CAST(aero_index_type, 0), \
            0, 0, NULL, 0, 0, 0, 0, 0                                                                                 \
    }

/** bin == v (numeric index). */
AERO_API aero_index_filter aero_index_equal_int(const char *bin, int64_t v);
/** bin == s (string index); s is NUL-terminated. */
AERO_API aero_index_filter aero_index_equal_str(const char *bin, const char *s);
/** bin == the bytes (blob index). */
AERO_API aero_index_filter aero_index_equal_blob(const char *bin, const void *bytes, size_t len);
/** begin <= bin <= end (numeric index). */
AERO_API aero_index_filter aero_index_range(const char *bin, int64_t begin, int64_t end);
/** The list / map keys / map values of bin contain v (collection numeric index). */
AERO_API aero_index_filter aero_index_contains_int(const char *bin, aero_index_collection c, int64_t v);
/** The list / map keys / map values of bin contain the string s (collection string index). */
AERO_API aero_index_filter aero_index_contains_str(const char *bin, aero_index_collection c, const char *s);
/** The list / map keys / map values of bin contain a value in begin..end (collection numeric index). */
AERO_API aero_index_filter aero_index_contains_range(const char *bin, aero_index_collection c, int64_t begin,
                                                     int64_t end);
/** bin is a GeoJSON point within the GeoJSON region (Polygon, MultiPolygon or AeroCircle). */
AERO_API aero_index_filter aero_index_geo_within(const char *bin, const char *region_geojson);
/** bin is a GeoJSON point within radius_m metres of (lng, lat). */
AERO_API aero_index_filter aero_index_geo_within_radius(const char *bin, double lng, double lat, double radius_m);
/** bin is a GeoJSON region containing the GeoJSON point. */
AERO_API aero_index_filter aero_index_geo_contains(const char *bin, const char *point_geojson);
/** bin is a GeoJSON region containing the point (lng, lat). */
AERO_API aero_index_filter aero_index_geo_contains_point(const char *bin, double lng, double lat);

AERO_END_DECLS

#endif
