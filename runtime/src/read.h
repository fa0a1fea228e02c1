/* read.h - single-record reads shared by the fast paths and point queries. Not installed. */
#ifndef AERO_READ_H
#define AERO_READ_H

#include <aero/query.h>

#include "proto/arena.h"
#include "proto/msg.h"

/** What to read. */
typedef struct aero_read_spec {
    const char *const *bins; /* NULL/0: all bins */
    size_t n_bins;
    bool header_only;
    const uint8_t *filter; /* expression bytes or NULL */
    size_t filter_len;
    const uint8_t *ops; /* encoded projection ops (select_from), or NULL */
    size_t ops_len;
    uint16_t n_ops;
} aero_read_spec;

/**
 * Read one record into rec. Returns AERO_OK when the server answered (the
 * record's `result` holds its code: AERO_OK, KEY_NOT_FOUND, FILTERED_OUT, or
 * another server code), or a client-side error.
 */
aero_status aero_read__one(aero_session *s, const aero_policy *p, const aero_key *key, const aero_read_spec *spec,
                           aero_record *rec, aero_error *err);

/**
 * Called once per bin of a successful answer, in answer order (`position`
 * counts from 0). `arena` is the holder's, for copies that must outlive the
 * call. A non-OK return stops decoding and becomes the read's status.
 */
typedef aero_status (*aero_op_sink)(void *ctx, const aero_op_view *op, uint32_t position, aero_arena *arena,
                                    aero_error *err);

/**
 * Like aero_read__one, but the bins go to `sink` instead of into the record:
 * `holder` receives result, generation and TTL, and owns the answer bytes the
 * sink may point into (until the holder is reused or disposed). This is the
 * typed (generated code) fast path: no value tree, no bin array.
 */
aero_status aero_read__one_into(aero_session *s, const aero_policy *p, const aero_key *key, const aero_read_spec *spec,
                                aero_record *holder, aero_op_sink sink, void *ctx, aero_error *err);

#endif
