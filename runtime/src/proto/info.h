/*
 * proto/info.h - the info protocol (type 1): requests are "name\n" lines,
 * answers "name\tvalue\n" lines (protocol.md 2.1).
 */
#ifndef AERO_PROTO_INFO_H
#define AERO_PROTO_INFO_H

#include <aero/error.h>

#include "proto/buf.h"

/** Append a complete info request (proto header included) for the commands. */
void aero_info__request(aero_buf *b, const char *const *commands, size_t n);

/** A slice of the answer text (not NUL-terminated). */
typedef struct aero_strview {
    const char *p;
    size_t len;
} aero_strview;

/**
 * Next "name\tvalue\n" line of an info answer body. A line without a tab has
 * an empty value. Returns false at the end.
 */
bool aero_info__next(const char **cursor, const char *end, aero_strview *name, aero_strview *value);

/**
 * Find the value answered for `name` in an info answer body; false if absent.
 */
bool aero_info__find(const char *body, size_t len, const char *name, aero_strview *value);

/**
 * If `value` is an error answer ("ERROR:<code>:<msg>", "FAIL:...", "error=..."),
 * return its code (ERROR:: or code 0 -> AERO_ERR_SERVER) and copy the message
 * into msg (NUL-terminated, truncated to cap). AERO_OK otherwise.
 */
aero_status aero_info__value_error(aero_strview value, char *msg, size_t cap);

#endif
