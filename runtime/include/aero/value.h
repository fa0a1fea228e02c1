/*
 * aero/value.h - the generic value tree: bins, list items, map entries,
 * placeholder values.
 *
 * An aero_value is a small transparent struct that never owns memory: strings,
 * blobs, list items and map entries point at storage that belongs to someone
 * else (the caller for values being written, the record for values read). The
 * constructors below are inline and allocate nothing:
 *
 *     aero_value tags[] = { aero_str("a"), aero_str("b") };
 *     aero_value v = aero_list(tags, 2);
 *     aero_write_bin_set(w, "tags", &v);
 */
#ifndef AERO_VALUE_H
#define AERO_VALUE_H

#include <aero/common.h>
#include <string.h>

AERO_BEGIN_DECLS

/** Type of a value. */
typedef enum aero_type {
    AERO_NIL = 0, /**< no value; writing nil to a bin removes the bin */
    AERO_BOOL,
    AERO_INT, /**< int64_t */
    AERO_DOUBLE,
    AERO_STR,  /**< UTF-8 bytes, length-counted (NUL-terminated when read) */
    AERO_BLOB, /**< raw bytes */
    AERO_LIST,
    AERO_MAP,
    AERO_GEOJSON,  /**< GeoJSON text */
    AERO_HLL,      /**< HyperLogLog bytes, opaque */
    AERO_WILDCARD, /**< CDT range special "any value" */
    AERO_INFINITY, /**< CDT range special "above every value" */
} aero_type;

typedef struct aero_value aero_value;
typedef struct aero_map_entry aero_map_entry;

/** Map ordering, as stored by the server. */
typedef enum aero_map_order {
    AERO_MAP_UNORDERED = 0,
    AERO_MAP_KEY_ORDERED = 1,
    AERO_MAP_KEY_VALUE_ORDERED = 3,
} aero_map_order;

/** A value. Read only the member that matches `type`. */
struct aero_value {
    aero_type type;
    union {
        bool b;    /**< AERO_BOOL */
        int64_t i; /**< AERO_INT */
        double d;  /**< AERO_DOUBLE */
        struct {
            const char *ptr;
            size_t len;
        } str; /**< STR, GEOJSON */
        struct {
            const uint8_t *ptr;
            size_t len;
        } bytes; /**< BLOB, HLL */
        struct {
            const aero_value *items;
            uint32_t count;
            bool ordered;
        } list;
        struct {
            const aero_map_entry *entries;
            uint32_t count;
            aero_map_order order;
        } map;
    } v;
};

/** One map entry. Keys are ints, strings or blobs in practice. */
struct aero_map_entry {
    aero_value key;
    aero_value value;
};

static inline aero_value aero_nil(void) {
    aero_value x;
    memset(&x, 0, sizeof x);
    x.type = AERO_NIL;
    return x;
}
static inline aero_value aero_bool(bool b) {
    aero_value x = aero_nil();
    x.type = AERO_BOOL;
    x.v.b = b;
    return x;
}
static inline aero_value aero_int(int64_t i) {
    aero_value x = aero_nil();
    x.type = AERO_INT;
    x.v.i = i;
    return x;
}
static inline aero_value aero_double(double d) {
    aero_value x = aero_nil();
    x.type = AERO_DOUBLE;
    x.v.d = d;
    return x;
}
/** A string value over a NUL-terminated string (not copied). NULL gives nil. */
static inline aero_value aero_str(const char *s) {
    aero_value x = aero_nil();
    if (s) {
        x.type = AERO_STR;
        x.v.str.ptr = s;
        x.v.str.len = strlen(s);
    }
    return x;
}
/** A string value over `len` bytes (not copied). */
static inline aero_value aero_strn(const char *s, size_t len) {
    aero_value x = aero_nil();
    x.type = AERO_STR;
    x.v.str.ptr = s;
    x.v.str.len = len;
    return x;
}
static inline aero_value aero_blob(const void *p, size_t len) {
    aero_value x = aero_nil();
    x.type = AERO_BLOB;
    x.v.bytes.ptr = AERO_CAST(const uint8_t *, p);
    x.v.bytes.len = len;
    return x;
}
static inline aero_value aero_geojson(const char *json) {
    aero_value x = aero_str(json);
    if (json)
        x.type = AERO_GEOJSON;
    return x;
}
static inline aero_value aero_list(const aero_value *items, uint32_t n) {
    aero_value x = aero_nil();
    x.type = AERO_LIST;
    x.v.list.items = items;
    x.v.list.count = n;
    return x;
}
static inline aero_value aero_map(const aero_map_entry *e, uint32_t n) {
    aero_value x = aero_nil();
    x.type = AERO_MAP;
    x.v.map.entries = e;
    x.v.map.count = n;
    return x;
}
static inline aero_value aero_wildcard(void) {
    aero_value x = aero_nil();
    x.type = AERO_WILDCARD;
    return x;
}
static inline aero_value aero_infinity(void) {
    aero_value x = aero_nil();
    x.type = AERO_INFINITY;
    return x;
}

/** Name of a type, e.g. "int". Static storage. */
AERO_API const char *aero_type_str(aero_type t);

/**
 * Deep equality (lists element-wise, maps by entries in order; doubles by
 * bit pattern so NaN == NaN). Useful in tests.
 */
AERO_API bool aero_value_equal(const aero_value *a, const aero_value *b);

/**
 * Write a readable rendering of `v` into buf (always NUL-terminated when
 * size > 0), the way the SDK prints bins: 'text', 30, True, [1, 2], {'k': 1}.
 * Returns the length the full rendering needs, like snprintf.
 */
AERO_API size_t aero_value_format(const aero_value *v, char *buf, size_t size);

AERO_END_DECLS

#endif
