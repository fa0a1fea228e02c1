/*
 * filter.h - expressions in builders: the where() filter a builder carries
 * (compiled from AEL, copied from an aero_expr, or borrowed static bytes from
 * generated code) and expression operations (select_from, *_from). Shared by
 * the write and query builders. Not installed.
 */
#ifndef AERO_FILTER_H
#define AERO_FILTER_H

#include <aero/ael.h>

#include "proto/buf.h"
#include "proto/msg.h"

typedef struct aero_filter {
    aero_buf copy;      /* owned bytes for where(AEL) and where_expr() */
    const uint8_t *ptr; /* bytes to send; NULL = no filter */
    size_t len;
} aero_filter;

/** Start empty, with `storage` (may be NULL) as the copy's first buffer. */
void aero_filter__init(aero_filter *f, void *storage, size_t cap);
/** Drop the filter, keep the storage. */
void aero_filter__clear(aero_filter *f);
void aero_filter__free(aero_filter *f);

/*
 * Set the filter. On failure the previous filter is kept, the status is
 * returned (AERO_ERR_PARAM, AERO_ERR_AEL, AERO_ERR_NO_MEMORY) and `msg`
 * receives "where: <why>".
 */
aero_status aero_filter__set_ael(aero_filter *f, const char *ael, char *msg, size_t cap);
aero_status aero_filter__set_expr(aero_filter *f, const aero_expr *e, char *msg, size_t cap);
/** Borrow static bytes (not copied). */
aero_status aero_filter__set_bytes(aero_filter *f, const uint8_t *bytes, size_t len, char *msg, size_t cap);

/**
 * Append an expression operation (op AERO_MSG_OP_EXP_READ or AERO_MSG_OP_EXP_MODIFY)
 * on bin `bin` (already validated, `bin_len` bytes) computing AEL `ael`, or
 * when `ael` is NULL the built expression `expr` (bytes copied), with value
 * [<expression bytes>, flags] (protocol.md 8.6), counted in `h`. Both NULL is
 * AERO_ERR_PARAM. On failure returns the status and fills msg.
 */
aero_status aero_expop__append(aero_buf *ops, aero_msg_header *h, uint8_t op, const char *bin, size_t bin_len,
                               const char *ael, const aero_expr *expr, unsigned flags, char *msg, size_t cap);

#endif
