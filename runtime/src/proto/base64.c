/* base64.c - see base64.h. */
#include "base64.h"

size_t aero_base64__encode(const uint8_t *in, size_t n, char *out, size_t cap) {
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t need = (n + 2) / 3 * 4;
    if (need + 1 > cap)
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = t[(v >> 18) & 63];
        out[o++] = t[(v >> 12) & 63];
        out[o++] = i + 1 < n ? t[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? t[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

static int b64_value(unsigned char ch) {
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

long aero_base64__decode(const char *s, size_t len, uint8_t *out, size_t cap) {
    if (len % 4 != 0)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            unsigned char ch = (unsigned char)s[i + (size_t)k];
            if (ch == '=') {
                /* Padding only in the last quantum, only at positions 2 and 3. */
                if (i + 4 != len || k < 2)
                    return -1;
                pad++;
                v[k] = 0;
                continue;
            }
            if (pad)
                return -1; /* data after padding */
            v[k] = b64_value(ch);
            if (v[k] < 0)
                return -1;
        }
        uint32_t q = ((uint32_t)v[0] << 18) | ((uint32_t)v[1] << 12) | ((uint32_t)v[2] << 6) | (uint32_t)v[3];
        size_t nb = 3 - (size_t)pad;
        if (o + nb > cap)
            return -1;
        out[o++] = (uint8_t)(q >> 16);
        if (nb > 1)
            out[o++] = (uint8_t)(q >> 8);
        if (nb > 2)
            out[o++] = (uint8_t)q;
    }
    return (long)o;
}
