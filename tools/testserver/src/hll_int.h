/*
 * hll_int.h - the element hashing of hll.c, shared with hll_hash.c.
 */
#ifndef AERO_TS_HLL_INT_H
#define AERO_TS_HLL_INT_H

#include <stddef.h>
#include <stdint.h>

/** MurmurHash3 x64/128 with seed 0 of d[0..len): the two 64-bit halves. */
void ts_hll_murmur3(const uint8_t *d, size_t len, uint64_t *h1, uint64_t *h2);

/**
 * Rewrite one scalar msgpack element (e, n bytes) the way the server's
 * msgpack_compactify does, into o (room for n bytes: it never grows):
 * integers minimal, string headers minimal, short bins turned into strings,
 * ext headers minimal. Returns the new length.
 */
size_t ts_hll_compact(const uint8_t *e, size_t n, uint8_t *o);

#endif
