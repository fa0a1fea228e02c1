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
 * Called once with a successful answer (result AERO_OK): `m` is the parsed
 * message, whose ops (bins) the sink walks itself (aero_msg__ops /
 * aero_msg__next_op, proto/msg.h) and which lives in `holder`'s buffer (the
 * sink may point into it and NUL-terminate strings in place, op_decode.h);
 * aero_record__arena(holder) is the arena for copies that must outlive the
 * call. A non-OK return becomes the read's status.
 */
typedef aero_status (*aero_answer_sink)(void *ctx, const aero_msg_view *m, aero_record *holder, aero_error *err);

/**
 * Like aero_read__one, but the bins go to `sink` instead of into the record:
 * `holder` receives result, generation and TTL, and owns the answer bytes the
 * sink may point into (until the holder is reused or disposed). This is the
 * typed (generated code) fast path: no value tree, no bin array, one call per
 * answer.
 */
aero_status aero_read__one_into(aero_session *s, const aero_policy *p, const aero_key *key, const aero_read_spec *spec,
                                aero_record *holder, aero_answer_sink sink, void *ctx, aero_error *err);

#endif
