/*
 * aero/record.h - a record read from the server (also a stream row).
 *
 * An aero_record holds the key, generation, TTL and bins of one record, plus
 * the result of the command for that row. It owns the memory its values point
 * into. Initialise caller storage with aero_record_init() and release it with
 * aero_record_dispose(); a record reused across reads keeps its buffers, so a
 * loop of reads into one record allocates only while it warms up.
 *
 * Strings read from the server are NUL-terminated, so aero_record_str() can
 * return a plain C string.
 *
 *     aero_record rec;
 *     aero_record_init(&rec);
 *     if (aero_session_get(s, &key, NULL, 0, &rec, &err) == AERO_OK)
 *         printf("%s is %lld\n", aero_record_str(&rec, "name"),
 *                (long long)aero_record_int(&rec, "age", 0));
 *     aero_record_dispose(&rec);
 */
#ifndef AERO_RECORD_H
#define AERO_RECORD_H

#include <aero/error.h>
#include <aero/key.h>
#include <aero/value.h>

AERO_BEGIN_DECLS

/** TTL value meaning "never expires". */
#define AERO_TTL_NEVER 0xFFFFFFFFu

/** One bin: a NUL-terminated name and its value. */
typedef struct aero_bin {
    char name[AERO_BIN_NAME_MAX + 1];
    aero_value value;
} aero_bin;

/** Private storage of a record; do not touch. */
typedef struct aero_record_store {
    uint8_t *buf; /* last response, values point into it or the arena */
    size_t buf_cap;
    void *arena; /* decoded lists, maps, NUL-terminated strings */
    aero_bin *bins_cap_ptr;
    uint32_t bins_cap;
} aero_record_store;

/** A record, or one row of a stream. */
typedef struct aero_record {
    aero_key key;        /**< the key (user key only if stored and returned) */
    aero_status result;  /**< the row's result code (AERO_OK for a normal record) */
    bool in_doubt;       /**< for a failed write row: may have been applied */
    int32_t index;       /**< position in a batch, 0 for a single key, -1 for query rows */
    uint32_t generation; /**< 0 when the record was not found */
    uint32_t ttl;        /**< seconds left, AERO_TTL_NEVER for never */
    uint32_t n_bins;
    aero_bin *bins; /**< n_bins results, in the order the server sent them (see aero_record_get_nth) */
    aero_record_store store_;
} aero_record;

/** Prepare caller storage. */
AERO_API void aero_record_init(aero_record *rec);
/** Release what the record owns. The record may be initialised again. NULL is a no-op. */
AERO_API void aero_record_dispose(aero_record *rec);

/**
 * The bin named `name`, or NULL if the record has no such bin.
 *
 * A bin can come back more than once: the server answers each op of an
 * operate in order, so an operate with several ops on one bin (a write and
 * then a read of it, two reads) returns one result per op, all named after
 * the bin, in `bins` in op order (a write op's result is nil). This function,
 * every getter below and aero_record_format_bins() use the LAST result for
 * the name, as the SDK's record.bins does. To reach every result, walk
 * `bins[0 .. n_bins)` (all results in op order) or use aero_record_count() and
 * aero_record_get_nth(). Typed decoding (aero/schema.h) follows the same rule.
 */
AERO_API const aero_value *aero_record_get(const aero_record *rec, const char *name);
/** How many results the record holds for bin `name` (0 if none; NULL arguments give 0). */
AERO_API uint32_t aero_record_count(const aero_record *rec, const char *name);
/**
 * The nth result (from 0, in op order) for bin `name`, or NULL when the record
 * holds fewer. Points into the record: valid until it is reused or disposed.
 */
AERO_API const aero_value *aero_record_get_nth(const aero_record *rec, const char *name, uint32_t nth);

/** Integer bin, or `dflt` if absent or not an integer. */
AERO_API int64_t aero_record_int(const aero_record *rec, const char *name, int64_t dflt);
/** Double bin, or `dflt` if absent or not a double. */
AERO_API double aero_record_double(const aero_record *rec, const char *name, double dflt);
/** Bool bin, or `dflt` if absent or not a bool. */
AERO_API bool aero_record_bool(const aero_record *rec, const char *name, bool dflt);
/** String bin as a NUL-terminated string owned by the record, or NULL. */
AERO_API const char *aero_record_str(const aero_record *rec, const char *name);
/** Blob bin bytes owned by the record (length in *len), or NULL. */
AERO_API const uint8_t *aero_record_blob(const aero_record *rec, const char *name, size_t *len);
/** GeoJSON bin text owned by the record, or NULL. */
AERO_API const char *aero_record_geojson(const aero_record *rec, const char *name);
/** List bin, or NULL if absent or not a list. */
AERO_API const aero_value *aero_record_list(const aero_record *rec, const char *name);
/** Map bin, or NULL if absent or not a map. */
AERO_API const aero_value *aero_record_map(const aero_record *rec, const char *name);

/**
 * Typed getters that tell a missing bin from a wrong type: AERO_OK,
 * AERO_ERR_BIN_NOT_FOUND ("bin 'x' not found"), AERO_ERR_BIN_INCOMPATIBLE_TYPE
 * ("bin 'x' is string, not int") or AERO_ERR_PARAM (NULL out). `*out` is left
 * alone on failure; `err` may be NULL. A string is owned by the record.
 */
AERO_API aero_status aero_record_get_int(const aero_record *rec, const char *name, int64_t *out, aero_error *err);
AERO_API aero_status aero_record_get_double(const aero_record *rec, const char *name, double *out, aero_error *err);
AERO_API aero_status aero_record_get_bool(const aero_record *rec, const char *name, bool *out, aero_error *err);
AERO_API aero_status aero_record_get_str(const aero_record *rec, const char *name, const char **out, size_t *len,
                                         aero_error *err);

/**
 * Render the bins like the SDK prints record.bins:
 * {'name': 'Alice', 'age': 30}. snprintf semantics.
 */
AERO_API size_t aero_record_format_bins(const aero_record *rec, char *buf, size_t size);

/**
 * Deep-copy `src` into `dst` (an initialised record), so the copy outlives the
 * stream or buffer `src` came from. Errors: AERO_ERR_PARAM (NULL or the same
 * record twice, values nested deeper than 64 levels), AERO_ERR_NO_MEMORY.
 */
AERO_API aero_status aero_record_copy(aero_record *dst, const aero_record *src, aero_error *err);

AERO_END_DECLS

#endif
