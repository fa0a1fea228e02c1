/*
 * cdt.h - list and map (CDT) reads on msgpack collection values, used by
 * CDT read ops (3) and by expression CALLs (system 0).
 */
#ifndef AERO_TS_CDT_H
#define AERO_TS_CDT_H

#include "ts.h"

/** Returned by ts_cdt_read_op when the bin does not exist (answered as nil). */
#define TS_CDT_NO_BIN (-1)

/**
 * Evaluate a CDT read payload (`[op, args...]` or `[0xff, ctx, [op, args...]]`)
 * against the collection `coll` (msgpack list or map). Appends the msgpack
 * result to `out`. Returns 0, or a result code: 4 malformed, 12 wrong
 * collection type, 26 a context element is missing, an out-of-range single
 * index or rank, an inverted single-result op, an unsupported op or return
 * type.
 */
int ts_cdt_eval(const uint8_t *coll, size_t n, const uint8_t *payload, size_t plen, aero_buf *out);

/** Convert one msgpack value into a bin particle (malloc'd data). 0 or 4. */
int ts_cdt_to_particle(const uint8_t *mp, size_t n, uint8_t *ptype, uint8_t **data, uint32_t *dlen);

/**
 * CDT read op on bin b (NULL if missing). Returns 0 with a malloc'd particle
 * result, a result code, or TS_CDT_NO_BIN.
 */
int ts_cdt_read_op(const ts_bin *b, const uint8_t *payload, size_t len, uint8_t *ptype, uint8_t **data, uint32_t *dlen);

/**
 * CDT modify op (list 0-13 and remove-by 32-40, map 64-75 and remove-by
 * 76-89, optionally inside a context, whose create flags create what is
 * missing) on bin `name` of w; creates the bin when missing (except for
 * ops that only remove). Returns 0 with the op's result as a malloc'd
 * particle (type 0 = nil), or a result code as server 8.1 answers: 4
 * malformed or unsupported, 12 wrong bin type, 13 the bin would pass 1 MiB,
 * 24 element exists, 26 op not applicable (missing context element or bin
 * under a context without create flags, out-of-range single
 * index, inverted single result, return type the collection has not).
 */
int ts_cdt_modify_op(ts_record *w, const char *name, size_t name_len, const uint8_t *payload, size_t len,
                     uint8_t *ptype, uint8_t **data, uint32_t *dlen);

/**
 * Deepest nesting the test server follows: context levels of one op, and
 * levels of a written value that hold maps to sort (a real server has no
 * such limit; past it the test server answers 4).
 */
#define TS_CDT_MAX_DEPTH 1000

/**
 * A list or map bin value as the server stores it: every map (at any depth)
 * key-sorted, the rest as it came. Appends to out; 0, 4 (malformed, or maps
 * nested deeper than TS_CDT_MAX_DEPTH), or 1 (an ordered list or map that is not in
 * order, as the server answers).
 */
int ts_cdt_normalize(const uint8_t *p, size_t n, aero_buf *out);

#endif
