/*
 * proto/digest.h - key digest (RIPEMD-160 over set || key type || key bytes)
 * and partition id (protocol.md 4).
 */
#ifndef AERO_PROTO_DIGEST_H
#define AERO_PROTO_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/**
 * digest = RIPEMD160(set bytes, key particle type byte, key bytes). Integer
 * keys are passed as their 8 BE bytes. Uses OpenSSL EVP. Returns false only if
 * OpenSSL fails (no RIPEMD-160 provider).
 */
_Bool aero_digest__compute(const char *set, size_t set_len, uint8_t key_type, const void *key, size_t key_len,
                           uint8_t out[20]);

/** Partition id: first two digest bytes as little-endian u16, mod 4096. */
static inline uint16_t aero_partition__id(const uint8_t digest[20]) {
    return (uint16_t)((digest[0] | (digest[1] << 8)) & 0x0FFF);
}

#endif
