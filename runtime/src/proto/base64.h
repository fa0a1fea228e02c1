/*
 * proto/base64.h - standard base64 (RFC 4648, with padding), as info
 * commands carry binary values: replicas bitmaps, index contexts and
 * expressions, UDF module contents and compile errors. No I/O. Not installed.
 */
#ifndef AERO_PROTO_BASE64_H
#define AERO_PROTO_BASE64_H

#include <stddef.h>
#include <stdint.h>

/** Base64 of in[0..n) into out, NUL-terminated; returns its length, or 0 if it (with the NUL) exceeds cap. */
size_t aero_base64__encode(const uint8_t *in, size_t n, char *out, size_t cap);

/** Decode standard base64 (with padding) into out; returns bytes written, or -1 if malformed or > cap. */
long aero_base64__decode(const char *s, size_t len, uint8_t *out, size_t cap);

#endif
