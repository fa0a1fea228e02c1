/*
 * proto/msg.h - the AS_MSG message: proto header, 22-byte header, fields, ops,
 * and particle values inside ops. No I/O (protocol.md 1, 3, 5).
 *
 * Writing: aero_msg__begin() reserves the 30 header bytes, fields and ops are
 * appended (counting themselves into the header struct), aero_msg__end()
 * fills in the proto and AS_MSG headers. Like the buffer, the writer fails
 * stickily: a bin name over 255 bytes, a field or op over the size limit, or
 * more than 65535 fields or ops marks the buffer failed, and
 * aero_msg__end() then reports it.
 *
 * Reading: aero_msg__parse() validates a whole AS_MSG body, then the field and
 * op iterators walk it. Every length is checked against the buffer: hostile
 * or truncated input gives AERO_ERR_PROTOCOL, never an out-of-bounds read.
 */
#ifndef AERO_PROTO_MSG_H
#define AERO_PROTO_MSG_H

#include <aero/error.h>
#include <aero/value.h>

#include <string.h>

#include "proto/arena.h"
#include "proto/buf.h"
#include "proto/wire.h"

/** The 22-byte AS_MSG header, host order. */
typedef struct aero_msg_header {
    uint8_t info1, info2, info3, info4;
    uint8_t result_code;
    uint32_t generation;
    uint32_t record_ttl;
    uint32_t transaction_ttl;
    uint16_t n_fields;
    uint16_t n_ops;
} aero_msg_header;

/* ---- proto header ---- */

/** Encode an 8-byte proto header. */
void aero_proto__write_header(uint8_t out[8], uint8_t type, uint64_t size);
/**
 * Decode an 8-byte proto header: checks version 2 and size <= 128 MiB.
 * AERO_ERR_PROTOCOL otherwise.
 */
aero_status aero_proto__read_header(const uint8_t in[8], uint8_t *type, uint64_t *size);

/* ---- writing ---- */

/** Reserve room for the proto + AS_MSG headers at the current end of `b`; returns their offset. */
size_t aero_msg__begin(aero_buf *b);
/**
 * Write one field (size word, type, `len` data bytes) into room the caller
 * reserved at d (5 + len bytes); returns the byte after it. The caller counts it.
 */
static inline uint8_t *aero_msg__put_field(uint8_t *d, uint8_t type, const void *data, size_t len) {
    aero_set_u32be(d, (uint32_t)len + 1);
    d[4] = type;
    if (len)
        memcpy(d + 5, data, len);
    return d + 5 + len;
}
/** Append a field and count it. */
void aero_msg__field(aero_buf *b, aero_msg_header *h, uint8_t type, const void *data, size_t len);
/** Append a field header for `len` data bytes the caller appends next; counts it. */
void aero_msg__field_header(aero_buf *b, aero_msg_header *h, uint8_t type, size_t len);
/** Append a u32/u64 BE field. */
void aero_msg__field_u32(aero_buf *b, aero_msg_header *h, uint8_t type, uint32_t v);
void aero_msg__field_u64(aero_buf *b, aero_msg_header *h, uint8_t type, uint64_t v);
/** Append an op with raw value bytes and count it. */
void aero_msg__op(aero_buf *b, aero_msg_header *h, uint8_t op, uint8_t ptype, const char *name, size_t name_len,
                  const void *value, size_t value_len);
/**
 * Append an op whose value is `v` encoded as a particle (int 8 bytes BE,
 * double, string, blob, bool 1 byte, geojson with the flags/ncells prefix,
 * list and map as msgpack, nil as empty). AERO_ERR_PARAM for values that
 * cannot be a bin (wildcard, infinity, nesting too deep).
 */
aero_status aero_msg__op_value(aero_buf *b, aero_msg_header *h, uint8_t op, const char *name, size_t name_len,
                               const aero_value *v);
/**
 * Finish the message that begins at `start` (from aero_msg__begin): writes
 * the proto header (type 3, size of everything after it) and `h`. Returns
 * AERO_ERR_NO_MEMORY if the buffer failed, AERO_ERR_PARAM if too large.
 */
aero_status aero_msg__end(aero_buf *b, size_t start, const aero_msg_header *h);

/* ---- reading ---- */

/** A validated AS_MSG: header plus the field and op regions. */
typedef struct aero_msg_view {
    aero_msg_header h;
    const uint8_t *fields; /* first field */
    const uint8_t *ops;    /* first op */
    const uint8_t *end;    /* one past the last op */
} aero_msg_view;

/**
 * Parse one AS_MSG starting at `p` (after any proto header), at most `len`
 * bytes. Checks header_sz, that n_fields fields and n_ops ops fit, and
 * reports the bytes used in *used (a stream holds several messages back to
 * back). AERO_ERR_PROTOCOL on any inconsistency.
 */
aero_status aero_msg__parse(const uint8_t *p, size_t len, aero_msg_view *out, size_t *used);

/**
 * Parse the one AS_MSG that fills exactly `len` bytes (a single-record
 * answer): checks the header and every field, but leaves the ops to the
 * iterator, which checks each as it is read: a reader of the ops must test
 * aero_msg__iter_complete() after its walk. A message that counts no ops must
 * end after its fields. AERO_ERR_PROTOCOL on any inconsistency.
 */
aero_status aero_msg__parse_single(const uint8_t *p, size_t len, aero_msg_view *out);

typedef struct aero_field_view {
    uint8_t type;
    const uint8_t *data;
    uint32_t len;
} aero_field_view;

typedef struct aero_op_view {
    uint8_t op;
    uint8_t ptype;
    uint8_t name_len;
    const char *name; /* not NUL-terminated */
    const uint8_t *value;
    uint32_t value_len;
} aero_op_view;

/**
 * Iterate the fields or ops of a parsed message. Each step checks that the
 * item lies inside the region, so walking the ops of a message from
 * aero_msg__parse_single (ops not validated up front) is safe: the walk stops
 * at the first item that does not fit, and aero_msg__iter_complete() then says
 * false. Inline: a record's decode runs this once per bin.
 */
typedef struct aero_msg_iter {
    const uint8_t *p;
    const uint8_t *end;
    uint32_t left;
} aero_msg_iter;

#define AERO_OP_HEADER_SIZE 8 /* size word + op, ptype, flags, name_len */

static inline void aero_msg__fields(const aero_msg_view *m, aero_msg_iter *it) {
    it->p = m->fields;
    it->end = m->ops;
    it->left = m->h.n_fields;
}

static inline bool aero_msg__next_field(aero_msg_iter *it, aero_field_view *out) {
    if (it->left == 0 || it->end - it->p < 5)
        return false;
    uint32_t sz = aero_get_u32be(it->p);
    if (sz < 1 || sz > (size_t)(it->end - it->p) - 4)
        return false;
    out->type = it->p[4];
    out->data = it->p + 5;
    out->len = sz - 1;
    it->p += 4 + (size_t)sz;
    it->left--;
    return true;
}

static inline void aero_msg__ops(const aero_msg_view *m, aero_msg_iter *it) {
    it->p = m->ops;
    it->end = m->end;
    it->left = m->h.n_ops;
}

/** The name of an op from aero_msg__next_op_at (not NUL-terminated), and its length. */
static inline const char *aero_msg__op_name(const uint8_t *at) { return (const char *)at + AERO_OP_HEADER_SIZE; }
static inline uint8_t aero_msg__op_name_len(const uint8_t *at) { return at[7]; }

/**
 * The next op, checked to lie inside the region and to hold its name: its first
 * byte (the size word), with its size in *size; NULL at the end or at an op
 * that does not fit. For walks that look at an op's name before the rest of it
 * (aero_msg__op_view makes the view when it is wanted).
 */
static inline const uint8_t *aero_msg__next_op_at(aero_msg_iter *it, uint32_t *size) {
    const uint8_t *p = it->p;
    if (it->left == 0 || it->end - p < AERO_OP_HEADER_SIZE)
        return NULL;
    uint32_t sz = aero_get_u32be(p);
    if (sz < 4u + aero_msg__op_name_len(p) || sz > (size_t)(it->end - p) - 4)
        return NULL;
    it->p = p + 4 + (size_t)sz;
    it->left--;
    *size = sz;
    return p;
}

/** The view of an op from aero_msg__next_op_at. */
static inline aero_op_view aero_msg__op_view(const uint8_t *at, uint32_t size) {
    aero_op_view v;
    v.op = at[4];
    v.ptype = at[5];
    v.name_len = aero_msg__op_name_len(at);
    v.name = aero_msg__op_name(at);
    v.value = at + AERO_OP_HEADER_SIZE + v.name_len;
    v.value_len = size - 4 - v.name_len;
    return v;
}

static inline bool aero_msg__next_op(aero_msg_iter *it, aero_op_view *out) {
    uint32_t size;
    const uint8_t *at = aero_msg__next_op_at(it, &size);
    if (!at)
        return false;
    *out = aero_msg__op_view(at, size);
    return true;
}

/** True when a walk consumed every item the header counts and ended exactly at the region's end. */
static inline bool aero_msg__iter_complete(const aero_msg_iter *it) { return it->left == 0 && it->p == it->end; }

/**
 * Decode a particle value (from an op) into `out`. Strings and geojson are
 * copied NUL-terminated into `arena`; blobs point at `p`; lists and maps are
 * decoded into `arena`. Integers of 0..8 bytes are accepted (sign-extended).
 * Unknown particle types come back as AERO_BLOB. AERO_ERR_PROTOCOL on bad data.
 */
aero_status aero_particle__decode(uint8_t ptype, const uint8_t *p, size_t len, aero_arena *arena, aero_value *out);

/** Remaining TTL in seconds from a response void time (0 = never -> AERO_TTL_NEVER). */
uint32_t aero_msg__ttl_from_void_time(uint32_t void_time, uint32_t now_since_epoch2010);

#endif
