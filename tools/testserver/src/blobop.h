/*
 * blobop.h - bit (12/13) and HLL (15/16) ops of an operate command against
 * a record: bin lookup, the op engines of bits.c / hll.c, and the bin update.
 */
#ifndef AERO_TS_BLOBOP_H
#define AERO_TS_BLOBOP_H

#include "particle.h"
#include "ts.h"

/** Largest blob a bit op may leave in a bin (bytes). */
#define TS_BLOB_MAX_BIN ((uint32_t)1024 * 1024) /* the servers' 1 MiB record limit */

/**
 * A bit or HLL read op on record r. Returns 0 with *res (malloc'd, ptype 0
 * = nil, as for a missing bin) or a result code.
 */
int ts_blob_read_op(const ts_op *o, const ts_record *r, ts_particle *res);

/**
 * A bit or HLL modify op on the working copy w: updates bin o->name.
 * Returns 0 with *res (the op's result, malloc'd, ptype 0 = none) or a
 * result code (w unchanged).
 */
int ts_blob_modify_op(const ts_op *o, ts_record *w, ts_particle *res);

#endif
