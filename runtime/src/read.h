/* read.h - single-record reads shared by the fast paths and point queries. Not installed. */
#ifndef AERO_READ_H
#define AERO_READ_H

#include <aero/query.h>
#include <aero/schema.h>

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
    /*
     * Or, with `bins` NULL and n_bins of them: the bins of these field numbers
     * of a typed record, their names and lengths from its descriptor (each
     * number is checked against its n_bins).
     */
    const aero_schema_record *schema;
    const unsigned *fields;
} aero_read_spec;

/**
 * Read one record into rec. Returns AERO_OK when the server answered (the
 * record's `result` holds its code: AERO_OK, KEY_NOT_FOUND, FILTERED_OUT, or
 * another server code), or a client-side error.
 */
aero_status aero_read__one(aero_session *s, const aero_policy *p, const aero_key *key, const aero_read_spec *spec,
                           aero_record *rec, aero_error *err);

/**
 * Like aero_read__one, but the bins are not decoded: `holder` receives
 * result, generation and TTL (not the key) and owns the answer's bytes, and
 * when the server answered with AERO_OK, *answer is the parsed answer, whose
 * ops (bins) the caller walks itself (aero_msg__ops / aero_msg__next_op,
 * proto/msg.h). It lives in the holder's buffer until the holder is reused or
 * disposed; its strings may be NUL-terminated in place (op_decode.h), and
 * aero_record__arena(holder) is the arena for copies. This is the typed
 * (generated code) fast path: no value tree, no bin array, no callback.
 */
aero_status aero_read__one_raw(aero_session *s, const aero_policy *p, const aero_key *key, const aero_read_spec *spec,
                               aero_record *holder, aero_msg_view *answer, aero_error *err);

#endif
