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

AERO_END_DECLS

#endif
