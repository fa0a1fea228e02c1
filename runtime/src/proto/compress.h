/*
 * proto/compress.h - compressed messages (proto type 4, protocol.md 11):
 *
 *   [8-byte proto: version 2, type 4, size = 8 + zlib length]
 *   [u64 BE size of the original message, its own 8-byte header included]
 *   [zlib stream (RFC 1950)]
 *
 * No I/O. Without zlib (meson -Dzlib=disabled) every call answers
 * AERO_ERR_UNSUPPORTED_FEATURE.
 */
#ifndef AERO_PROTO_COMPRESS_H
#define AERO_PROTO_COMPRESS_H

#include <aero/error.h>

#include "proto/buf.h"

/** The C client's AS_COMPRESS_THRESHOLD: requests larger than this are compressed by default. */
#define AERO_COMPRESS_THRESHOLD_DEFAULT 128

/** True when the library was built with zlib. */
bool aero_compress__available(void);

/**
 * Append to `out` the type-4 message wrapping the complete message msg[0..len)
 * (its 8-byte header included), deflated at zlib `level` (1..9; other values
 * mean 1). AERO_ERR_NO_MEMORY, AERO_ERR_UNSUPPORTED_FEATURE without zlib.
 */
aero_status aero_compress__wrap(const uint8_t *msg, size_t len, int level, aero_buf *out);

/**
 * Inflate the body of a type-4 message (what follows its 8-byte header) into
 * `out` (appended): the original message, 8-byte header included. It must be
 * exactly the announced size, at most `limit` bytes, and start with a
 * version-2 type-3 header whose size matches. AERO_ERR_PROTOCOL otherwise.
 */
aero_status aero_compress__unwrap(const uint8_t *body, size_t len, size_t limit, aero_buf *out);

#endif
