/*
 * bits.h - bitwise blob ops (op 12 bit read, 13 bit modify; expression CALL
 * system 1) with Aerospike 8.1's semantics and result codes.
 */
#ifndef AERO_TS_BITS_H
#define AERO_TS_BITS_H

#include <stddef.h>

#include "particle.h"

/** Largest blob a bit op may produce, in bytes (the server's proto size limit). */
#define TS_BITS_MAX_SIZE ((uint32_t)128 * 1024 * 1024)

/**
 * A bit modify op, payload `[op, args...]` (msgpack), on the bin value `bin`
 * (NULL when missing; only resize and insert create one). `max_size` bounds
 * the resulting blob (refused with 13 above it, before anything is
 * allocated). Returns 0 or a result code (4 malformed args, bad flags, an
 * offset before the start, a remove past the end, a refused resize; 6
 * create-only on an existing bin; 12 not a blob; 17 a missing bin; 26 the
 * range is outside the blob or an integer overflowed). On 0, *out is the new
 * blob (malloc'd) or ptype 0 when the bin stays as it was (no-op, no-fail).
 */
int ts_bits_modify(const uint8_t *payload, size_t plen, const ts_particle *bin, uint32_t max_size, ts_particle *out);

/**
 * A bit read op on the existing bin value `bin`. Returns 0 with *res
 * (malloc'd: a blob for get, an integer otherwise) or a result code (4, 12, 26).
 */
int ts_bits_read(const uint8_t *payload, size_t plen, const ts_particle *bin, ts_particle *res);

#endif
