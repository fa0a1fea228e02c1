/* read.h - single-record reads shared by the fast paths and point queries. Not installed. */
#ifndef AERO_READ_H
#define AERO_READ_H

#include <aero/query.h>

/** What to read. */
typedef struct aero_read_spec {
    const char *const *bins; /* NULL/0: all bins */
    size_t n_bins;
    bool header_only;
    const uint8_t *filter;   /* expression bytes or NULL */
    size_t filter_len;
} aero_read_spec;

/**
 * Read one record into rec. Returns AERO_OK when the server answered (the
 * record's `result` holds its code: AERO_OK, KEY_NOT_FOUND, FILTERED_OUT, or
 * another server code), or a client-side error.
 */
aero_status aero_read__one(aero_session *s, const aero_policy *p, const aero_key *key, const aero_read_spec *spec,
                           aero_record *rec, aero_error *err);

#endif
