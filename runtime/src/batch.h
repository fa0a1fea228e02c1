/* batch.h - batch reads with the batch-index protocol (protocol.md 6). Not installed. */
#ifndef AERO_BATCH_H
#define AERO_BATCH_H

#include "read.h"

/**
 * Read n keys: rows[i] (initialised records) receives key i's record or its
 * result code (KEY_NOT_FOUND, FILTERED_OUT, a server error, or the client
 * error that stopped its node's request). Keys are grouped by node, one
 * request per node; a node that fails is retried (re-routed) up to the
 * policy's max_retries. Returns AERO_OK unless the call itself is unusable.
 */
aero_status aero_batch__read(aero_session *s, const aero_policy *p, const aero_key *keys, size_t n,
                             const aero_read_spec *spec, aero_record *rows, aero_error *err);

#endif
