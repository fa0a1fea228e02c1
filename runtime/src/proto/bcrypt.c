/*
 * proto/bcrypt.c - bcrypt: the eksblowfish key schedule (2^cost rounds of
 * expanding the Blowfish state with the key and the salt), then "OrpheanBeholderScryDoubt"
 * encrypted 64 times, written in bcrypt's own base64 alphabet.
 *
 * The Blowfish tables are pi's digits (blowfish_pi.h, generated). Key bytes
 * are taken unsigned (the corrected "$2a$" behaviour; "$2b$" and "$2y$" agree
 * with it for keys under 256 bytes, which the 72-byte cut guarantees).
 */
#include "proto/bcrypt.h"

#include "proto/blowfish_pi.h"

#include <stdint.h>
#include <string.h>

typedef struct bf_state {
    uint32_t p[18];
    uint32_t s[4][256];
} bf_state;

static const char B64[] = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static inline uint32_t bf_f(const bf_state *st, uint32_t x) {
    return ((st->s[0][x >> 24] + st->s[1][(x >> 16) & 0xff]) ^ st->s[2][(x >> 8) & 0xff]) + st->s[3][x & 0xff];
}

static void bf_encrypt(const bf_state *st, uint32_t *xl, uint32_t *xr) {
    uint32_t l = *xl, r = *xr;
    for (int i = 0; i < 16; i += 2) {
        l ^= st->p[i];
        r ^= bf_f(st, l);
        r ^= st->p[i + 1];
        l ^= bf_f(st, r);
    }
    l ^= st->p[16];
    r ^= st->p[17];
    *xl = r;
    *xr = l;
}

/* The next 32 bits of data, cycling over it. */
static uint32_t stream_word(const uint8_t *data, size_t len, size_t *pos) {
    uint32_t w = 0;
    for (int i = 0; i < 4; i++) {
        w = (w << 8) | data[*pos];
        *pos = (*pos + 1) % len;
    }
    return w;
}

/* ExpandKey(state, salt, key); salt NULL is the plain Blowfish key schedule step. */
static void expand(bf_state *st, const uint8_t salt[16], const uint8_t *key, size_t key_len) {
    size_t kp = 0;
    for (int i = 0; i < 18; i++)
        st->p[i] ^= stream_word(key, key_len, &kp);
    uint32_t l = 0, r = 0;
    size_t sp = 0;
    for (int i = 0; i < 18; i += 2) {
        if (salt) {
            l ^= stream_word(salt, 16, &sp);
            r ^= stream_word(salt, 16, &sp);
        }
        bf_encrypt(st, &l, &r);
        st->p[i] = l;
        st->p[i + 1] = r;
    }
    for (int b = 0; b < 4; b++) {
        for (int i = 0; i < 256; i += 2) {
            if (salt) {
                l ^= stream_word(salt, 16, &sp);
                r ^= stream_word(salt, 16, &sp);
            }
            bf_encrypt(st, &l, &r);
            st->s[b][i] = l;
            st->s[b][i + 1] = r;
        }
    }
}

static int b64_index(char c) {
    const char *p = c ? strchr(B64, c) : NULL;
    return p ? (int)(p - B64) : -1;
}

/* Decode 22 characters into 16 bytes (the last character carries 2 bits). */
static bool b64_decode_salt(const char *in, uint8_t out[16]) {
    size_t o = 0;
    for (size_t i = 0; o < 16; i += 4) {
        int c[4];
        for (int k = 0; k < 4; k++) {
            c[k] = (i + (size_t)k < 22) ? b64_index(in[i + (size_t)k]) : 0;
            if (c[k] < 0)
                return false;
        }
        out[o++] = (uint8_t)((c[0] << 2) | (c[1] >> 4));
        if (o < 16)
            out[o++] = (uint8_t)((c[1] << 4) | (c[2] >> 2));
        if (o < 16)
            out[o++] = (uint8_t)((c[2] << 6) | c[3]);
    }
    return true;
}

/* Encode n bytes in bcrypt's base64 (no padding). Returns characters written. */
static size_t b64_encode(const uint8_t *in, size_t n, char *out) {
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t c1 = in[i];
        out[o++] = B64[c1 >> 2];
        c1 = (c1 & 0x03) << 4;
        if (i + 1 >= n) {
            out[o++] = B64[c1];
            break;
        }
        uint32_t c2 = in[i + 1];
        out[o++] = B64[c1 | (c2 >> 4)];
        c1 = (c2 & 0x0f) << 2;
        if (i + 2 >= n) {
            out[o++] = B64[c1];
            break;
        }
        c2 = in[i + 2];
        out[o++] = B64[c1 | (c2 >> 6)];
        out[o++] = B64[c2 & 0x3f];
    }
    return o;
}

bool aero_bcrypt__hash(const char *password, const char *setting, char out[AERO_BCRYPT_HASH_LEN + 1]) {
    out[0] = '\0';
    if (!password || !setting || setting[0] != '$' || setting[1] != '2' || setting[3] != '$')
        return false;
    char variant = setting[2];
    if (variant != 'a' && variant != 'b' && variant != 'y')
        return false;
    if (setting[4] < '0' || setting[4] > '3' || setting[5] < '0' || setting[5] > '9' || setting[6] != '$')
        return false;
    unsigned cost = (unsigned)(setting[4] - '0') * 10u + (unsigned)(setting[5] - '0');
    if (cost < 4 || cost > 31)
        return false;
    if (strnlen(setting + 7, 22) < 22)
        return false;
    uint8_t salt[16];
    if (!b64_decode_salt(setting + 7, salt))
        return false;

    uint8_t key[72];
    size_t pw_len = strlen(password);
    size_t key_len = pw_len + 1 > sizeof key ? sizeof key : pw_len + 1;
    memcpy(key, password, key_len < pw_len ? key_len : pw_len);
    if (key_len == pw_len + 1)
        key[pw_len] = 0; /* the NUL is part of the key when it fits */

    bf_state st;
    memcpy(st.p, aero_bf_init_p, sizeof st.p);
    memcpy(st.s, aero_bf_init_s, sizeof st.s);
    expand(&st, salt, key, key_len);
    for (uint64_t i = 0, rounds = (uint64_t)1 << cost; i < rounds; i++) {
        expand(&st, NULL, key, key_len);
        expand(&st, NULL, salt, 16);
    }

    static const char magic[] = "OrpheanBeholderScryDoubt";
    uint32_t cdata[6];
    size_t mp = 0;
    for (int i = 0; i < 6; i++)
        cdata[i] = stream_word((const uint8_t *)magic, 24, &mp);
    for (int k = 0; k < 64; k++)
        for (int i = 0; i < 6; i += 2)
            bf_encrypt(&st, &cdata[i], &cdata[i + 1]);
    uint8_t ctext[24];
    for (int i = 0; i < 6; i++) {
        ctext[4 * i] = (uint8_t)(cdata[i] >> 24);
        ctext[4 * i + 1] = (uint8_t)(cdata[i] >> 16);
        ctext[4 * i + 2] = (uint8_t)(cdata[i] >> 8);
        ctext[4 * i + 3] = (uint8_t)cdata[i];
    }

    memcpy(out, setting, 7);
    size_t o = 7 + b64_encode(salt, 16, out + 7);
    o += b64_encode(ctext, 23, out + o);
    out[o] = '\0';
    memset(key, 0, sizeof key);
    memset(&st, 0, sizeof st);
    return o == AERO_BCRYPT_HASH_LEN;
}

void aero_bcrypt__aerospike(const char *password, char out[AERO_BCRYPT_HASH_LEN + 1]) {
    (void)aero_bcrypt__hash(password ? password : "", AERO_BCRYPT_AEROSPIKE_SALT, out);
}
