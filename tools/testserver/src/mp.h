/*
 * mp.h - a bounds-checked msgpack reader and the Aerospike ordering of
 * msgpack values (server side), used by the expression evaluator and CDT.
 */
#ifndef AERO_TS_MP_H
#define AERO_TS_MP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"

/** Nesting levels mp_cmp follows without allocating (it follows any depth). */
#define MP_MAX_DEPTH 64

enum { MP_NIL, MP_BOOL, MP_INT, MP_FLOAT, MP_STR, MP_BIN, MP_ARRAY, MP_MAP, MP_EXT };

typedef struct mp_reader {
    const uint8_t *p, *end;
} mp_reader;

typedef struct mp_obj {
    int type;
    bool b;
    int64_t i; /* MP_INT (uint64 above INT64_MAX wraps) */
    double f;
    const uint8_t *p; /* STR/BIN/EXT payload */
    uint32_t len;     /* STR/BIN/EXT bytes; ARRAY/MAP element count */
    int8_t ext_type;
} mp_obj;

/** Read one header (strings/bins/ext include their payload). false if malformed/truncated. */
bool mp_read(mp_reader *r, mp_obj *o);
/** Skip one complete value. */
bool mp_skip(mp_reader *r);
/** Read a complete value and return its byte span. */
bool mp_span(mp_reader *r, const uint8_t **p, size_t *n);

/**
 * Compare two complete msgpack values with Aerospike's ordering (nil < bool
 * < int < string < list < map < blob < double < geojson; wildcard equals
 * anything; infinity is greatest), to any nesting depth (iteratively, as
 * the server compares). Sets *ok false when malformed or out of memory.
 */
int mp_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn, bool *ok);

/* writers */
void mp_put_nil(aero_buf *b);
void mp_put_bool(aero_buf *b, bool v);
void mp_put_int(aero_buf *b, int64_t v);
void mp_put_double(aero_buf *b, double v);
void mp_put_array(aero_buf *b, uint32_t n);
void mp_put_map(aero_buf *b, uint32_t n);
/** str-family with a leading particle byte (3 string, 4 blob, 0x17 geo). */
void mp_put_pstr(aero_buf *b, uint8_t ptype, const void *p, size_t n);

#endif
