/* Test helper: standard base64 encoder (with padding) for building replicas answers. */
#ifndef AERO_TEST_B64_H
#define AERO_TEST_B64_H

#include <stddef.h>
#include <stdint.h>

/* Encode n bytes into out (4 * ceil(n / 3) characters plus a NUL); returns the text length. */
static inline size_t b64_encode(const uint8_t *in, size_t n, char *out) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t q = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            q |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            q |= in[i + 2];
        out[o++] = tab[(q >> 18) & 63];
        out[o++] = tab[(q >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(q >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? tab[q & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

#endif
