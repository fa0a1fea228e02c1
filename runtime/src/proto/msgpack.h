/*
 * proto/msgpack.h - msgpack exactly as Aerospike expects it (protocol.md 8, 9).
 *
 * Packing: minimal int encodings, strings and blobs as str-family with a
 * leading particle-type byte (0x03 string, 0x04 blob, 0x17 geojson), doubles
 * as cb, lists as arrays, maps as maps (ordered maps with the c7 00 <flags> c0
 * prefix pair). Unpacking never reads past `end` and limits nesting depth.
 */
#ifndef AERO_PROTO_MSGPACK_H
#define AERO_PROTO_MSGPACK_H

#include <aero/error.h>
#include <aero/value.h>

#include "proto/arena.h"
#include "proto/buf.h"

#define AERO_MP_MAX_DEPTH 64

void aero_mp__pack_nil(aero_buf *b);
void aero_mp__pack_bool(aero_buf *b, bool v);
void aero_mp__pack_int(aero_buf *b, int64_t v);
void aero_mp__pack_uint(aero_buf *b, uint64_t v);
void aero_mp__pack_double(aero_buf *b, double v);
void aero_mp__pack_array_header(aero_buf *b, uint32_t n);
void aero_mp__pack_map_header(aero_buf *b, uint32_t n);
/** str-family header for n bytes. */
void aero_mp__pack_str_header(aero_buf *b, uint32_t n);
/** Raw str (no particle byte): bin names, variable names, regex. */
void aero_mp__pack_raw_str(aero_buf *b, const void *p, size_t n);
/** Particle str: header(n+1), `ptype`, bytes. Strings 0x03, blobs 0x04, geojson 0x17. */
void aero_mp__pack_particle_str(aero_buf *b, uint8_t ptype, const void *p, size_t n);
/**
 * Pack any value with Aerospike's rules (collection items included).
 * AERO_WILDCARD/AERO_INFINITY become d4 ff 00 / d4 ff 01. Ordered lists and
 * key-ordered maps are packed in the server's value order (by item, by key),
 * whatever order their items or entries are in; the value is not modified.
 * Returns AERO_ERR_PARAM for a value nested deeper than AERO_MP_MAX_DEPTH.
 */
aero_status aero_mp__pack_value(aero_buf *b, const aero_value *v);

/** A bounds-checked read cursor. */
typedef struct aero_mp_reader {
    const uint8_t *p;
    const uint8_t *end;
} aero_mp_reader;

/**
 * Skip one complete value (nested included). Iterative, so any nesting depth
 * is fine; AERO_ERR_PROTOCOL if truncated or malformed.
 */
aero_status aero_mp__skip(aero_mp_reader *r);
/**
 * Decode one value into `out`. Nested items and NUL-terminated copies of
 * strings go into `arena`. Leading ext entries of ordered lists/maps are
 * skipped and reflected in list.ordered / map.order. AERO_ERR_PROTOCOL for
 * malformed or truncated input or nesting deeper than AERO_MP_MAX_DEPTH;
 * AERO_ERR_NO_MEMORY if the arena cannot grow. On failure the reader does not
 * move and `out` is nil.
 *
 * String-family (and bin-family) items: the first byte is the particle type,
 * 0x03 -> AERO_STR, 0x17 -> AERO_GEOJSON, 0x12 -> AERO_HLL, anything else
 * (0x04 and the language blob subtypes) -> AERO_BLOB; length 0 is an empty
 * blob. Strings, geojson, blobs and HLLs are all copied into the arena, so
 * the value does not depend on the input buffer. d4 ff 00 / d4 ff 01 decode
 * to AERO_WILDCARD / AERO_INFINITY; any other ext that does not lead a
 * collection reads as nil. Unsigned values above INT64_MAX wrap to negative.
 */
aero_status aero_mp__unpack_value(aero_mp_reader *r, aero_arena *arena, aero_value *out);
/** Read an int (any int encoding). */
aero_status aero_mp__read_int(aero_mp_reader *r, int64_t *out);
/** Read an array header. */
aero_status aero_mp__read_array_header(aero_mp_reader *r, uint32_t *n);
/** Read a map header. */
aero_status aero_mp__read_map_header(aero_mp_reader *r, uint32_t *n);
/** Read a str/bin-family header and return the bytes (not copied). */
aero_status aero_mp__read_str(aero_mp_reader *r, const uint8_t **p, uint32_t *n);

/** What aero_mp__read_item() saw. */
typedef enum aero_mp_kind {
    AERO_MP_NIL,
    AERO_MP_BOOL,  /**< .b */
    AERO_MP_INT,   /**< .i (unsigned values above INT64_MAX wrap to negative) */
    AERO_MP_FLOAT, /**< .d (ca or cb) */
    AERO_MP_BYTES, /**< str or bin family: .p, .n (the particle type byte included) */
    AERO_MP_ARRAY, /**< .n items follow */
    AERO_MP_MAP,   /**< .n pairs follow */
    AERO_MP_EXT,   /**< .ext_type, data at .p, .n bytes */
} aero_mp_kind;

/** One item's head, or a whole scalar item. */
typedef struct aero_mp_item {
    aero_mp_kind kind;
    bool b;
    uint8_t ext_type;
    int64_t i;
    double d;
    const uint8_t *p;
    uint64_t n;
} aero_mp_item;

/**
 * Read one item: a scalar, str/bin or ext whole, an array or map header only
 * (its items follow in the reader). A count larger than the bytes left (every
 * item takes at least one) is AERO_ERR_PROTOCOL, so a count bounds memory by
 * the input size; on any error the reader does not move.
 */
aero_status aero_mp__read_item(aero_mp_reader *r, aero_mp_item *out);
/**
 * If the next item is the ext that leads an ordered list or map, consume it
 * (true). For a map the caller then skips the value paired with it.
 */
bool aero_mp__take_order_ext(aero_mp_reader *r);

#endif
