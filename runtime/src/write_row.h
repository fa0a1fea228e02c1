/*
 * write_row.h - a write builder's command as a batch row needs it (write.c
 * and batch_build.c). Not installed.
 */
#ifndef AERO_WRITE_ROW_H
#define AERO_WRITE_ROW_H

#include <aero/write.h>

#include "proto/msg.h"

/** A write builder's command, as one batch row needs it (pointers into the builder). */
typedef struct aero_write_row {
    aero_msg_header h; /* info1..3, generation (with INFO2_GENERATION), record_ttl, n_ops */
    const aero_key *key;
    const uint8_t *ops;
    size_t ops_len;
    const uint8_t *filter; /* where(), or NULL */
    size_t filter_len;
    bool send_key;         /* the policy's send_key, off for deletes */
    bool is_write;         /* changes the record (false: a read-only operate) */
    bool write_once;       /* not idempotent (increment, append, expression writes) */
    bool fail_on_filtered; /* a FILTERED_OUT row is an error row, not a silent skip */
    bool quiet_not_found;  /* delete/touch: a missing record is not an error */
} aero_write_row;

/**
 * Check the builder (key, recorded misuse, verb rules) and describe its
 * command in *out, valid until the builder is released. Errors as
 * aero_write_execute() reports them before sending.
 */
aero_status aero_write__row(aero_write *w, const aero_policy *p, aero_write_row *out, aero_error *err);
/** Make aero_write_execute() refuse the builder (it belongs to a batch). */
void aero_write__mark_batch_row(aero_write *w);
/** Record a misuse found by a layer above (the typed layer's struct checks): execute reports it. */
void aero_write__fail(aero_write *w, aero_status code, const char *msg);
/** Ask the server for one result per op, in op order, whatever the ops are (the typed operate's sinks rely on it). */
void aero_write__respond_all_ops(aero_write *w);

/**
 * A bin write whose value a layer above packs itself (the typed layer's
 * lists, maps and documents, straight from C structs): open appends the op's
 * header (particle type `ptype`, value empty) and returns the buffer to
 * append the value's bytes to, or NULL when the builder refused the bin (a
 * bad name, the protocol limit: recorded as a misuse). Close with ok=true
 * sets the op's size; with ok=false it drops the half-written op. `*at`
 * carries the op's position from open to close.
 */
aero_buf *aero_write__bin_open(aero_write *w, const char *bin, uint8_t ptype, size_t *at);
void aero_write__bin_close(aero_write *w, size_t at, bool ok);

#endif
