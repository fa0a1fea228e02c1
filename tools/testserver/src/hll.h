/*
 * hll.h - HyperLogLog bin ops (op 15 HLL read, 16 HLL modify; expression
 * CALL system 2) as Aerospike 8.1 performs them: the same particle layout,
 * the same hash, the same estimators, so counts equal the server's.
 */
#ifndef AERO_TS_HLL_H
#define AERO_TS_HLL_H

#include <stdbool.h>
#include <stddef.h>

#include "particle.h"

/**
 * An HLL modify op, payload `[op, args...]` (msgpack), on the bin value
 * `bin` (NULL when the bin is missing). Returns 0 or a result code
 * (4 malformed args or flags, 6 create-only on an existing bin, 12 the bin is
 * not an HLL, 17 update-only / refresh / fold on a missing bin, 26 the op does
 * not apply, 1 a corrupt stored HLL). On 0: *out is the new bin value
 * (ptype 0 when the bin is left as it was, e.g. a no-fail refusal) and *res
 * the op's result (ptype 0 = nil); both malloc'd, caller frees data.
 */
int ts_hll_modify(const uint8_t *payload, size_t plen, const ts_particle *bin, ts_particle *out, ts_particle *res);

/**
 * An HLL read op on the existing bin value `bin`. Returns 0 with *res
 * (malloc'd) or a result code (4, 12, 26, 1 as above).
 */
int ts_hll_read(const uint8_t *payload, size_t plen, const ts_particle *bin, ts_particle *res);

/** Whether `len` bytes are a well-formed HLL particle (flags 0, bit counts in range, exact size). */
bool ts_hll_valid(const uint8_t *p, uint32_t len);

#endif
