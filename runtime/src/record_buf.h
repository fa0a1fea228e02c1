/*
 * record_buf.h - lending a record's receive buffer to a command, which reads
 * the answer straight into it, and taking it back afterwards. Not installed.
 */
#ifndef AERO_RECORD_BUF_H
#define AERO_RECORD_BUF_H

#include <aero/record.h>

#include <stdlib.h>

#include "proto/buf.h"

/** Lend rec's receive buffer (rec keeps none until aero_record__give_buf). */
static inline aero_buf aero_record__take_buf(aero_record *rec) {
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    b.data = rec->store_.buf;
    b.cap = rec->store_.buf_cap;
    b.heap = rec->store_.buf != NULL;
    rec->store_.buf = NULL;
    rec->store_.buf_cap = 0;
    return b;
}

/** Take the lent buffer back, grown or not; b is left empty. */
static inline void aero_record__give_buf(aero_record *rec, aero_buf *b) {
    if (rec->store_.buf) /* a buffer left from elsewhere: the returned one wins */
        free(rec->store_.buf);
    rec->store_.buf = b->heap ? b->data : NULL; /* caller storage is never kept */
    rec->store_.buf_cap = b->heap ? b->cap : 0;
    aero_buf__init(b, NULL, 0);
}

#endif
