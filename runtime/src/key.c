/*
 * key.c - DataSet and keys. Validation happens here but is reported later:
 * an invalid key carries a static reason that the command using it turns into
 * AERO_ERR_PARAM at execute, as the SDK raises at execute.
 */
#include <aero/key.h>

#include <string.h>

#include "proto/digest.h"

static const char *copy_name(char *dst, size_t cap, const char *src, size_t max, const char *empty_msg,
                             const char *long_msg) {
    if (!src || !*src) {
        dst[0] = '\0';
        return empty_msg;
    }
    size_t n = strnlen(src, max + 1);
    if (n > max) {
        dst[0] = '\0';
        return long_msg;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    (void)cap;
    return NULL;
}

AERO_API aero_dataset aero_dataset_of(const char *ns, const char *set) {
    aero_dataset ds;
    memset(&ds, 0, sizeof ds);
    ds.invalid = copy_name(ds.ns, sizeof ds.ns, ns, AERO_NAMESPACE_MAX, "namespace must not be empty",
                           "namespace name is longer than 31 bytes");
    const char *why = NULL;
    if (set && *set)
        why = copy_name(ds.set, sizeof ds.set, set, AERO_SET_MAX, NULL, "set name is longer than 63 bytes");
    if (!ds.invalid)
        ds.invalid = why;
    return ds;
}

static aero_key key_base(const aero_dataset *ds) {
    aero_key k;
    memset(&k, 0, sizeof k);
    if (!ds) {
        k.invalid = "dataset is NULL";
        return k;
    }
    memcpy(k.ns, ds->ns, sizeof k.ns);
    memcpy(k.set, ds->set, sizeof k.set);
    k.invalid = ds->invalid;
    return k;
}

static void key_digest(aero_key *k, uint8_t type, const void *bytes, size_t len) {
    if (!aero_digest__compute(k->set, strlen(k->set), type, bytes, len, k->digest) && !k->invalid)
        k->invalid = "RIPEMD-160 digest unavailable (OpenSSL)";
}

AERO_API aero_key aero_dataset_id_strn(const aero_dataset *ds, const char *s, size_t len) {
    aero_key k = key_base(ds);
    k.type = AERO_KEY_STR;
    if (!s) {
        if (!k.invalid)
            k.invalid = "string key is NULL";
        return k;
    }
    k.ptr = s;
    k.len = len;
    key_digest(&k, AERO_KEY_STR, s, len);
    return k;
}

AERO_API aero_key aero_dataset_id_str(const aero_dataset *ds, const char *s) {
    return aero_dataset_id_strn(ds, s, s ? strlen(s) : 0);
}

AERO_API aero_key aero_dataset_id_int(const aero_dataset *ds, int64_t i) {
    aero_key k = key_base(ds);
    k.type = AERO_KEY_INT;
    k.i = i;
    uint8_t be[8];
    uint64_t u = (uint64_t)i;
    for (int b = 7; b >= 0; b--) {
        be[b] = (uint8_t)u;
        u >>= 8;
    }
    key_digest(&k, AERO_KEY_INT, be, 8);
    return k;
}

AERO_API aero_key aero_dataset_id_blob(const aero_dataset *ds, const void *p, size_t len) {
    aero_key k = key_base(ds);
    k.type = AERO_KEY_BLOB;
    if (!p && len) {
        if (!k.invalid)
            k.invalid = "blob key is NULL";
        return k;
    }
    k.ptr = p;
    k.len = len;
    key_digest(&k, AERO_KEY_BLOB, p, len);
    return k;
}

AERO_API aero_key aero_dataset_id_digest(const aero_dataset *ds, const uint8_t digest[AERO_DIGEST_SIZE]) {
    aero_key k = key_base(ds);
    k.type = AERO_KEY_DIGEST;
    if (!digest) {
        if (!k.invalid)
            k.invalid = "digest is NULL";
        return k;
    }
    memcpy(k.digest, digest, AERO_DIGEST_SIZE);
    return k;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

AERO_API aero_key aero_dataset_id_digest_hex(const aero_dataset *ds, const char *hex) {
    uint8_t d[AERO_DIGEST_SIZE];
    if (!hex || strlen(hex) != 2 * AERO_DIGEST_SIZE) {
        aero_key k = key_base(ds);
        if (!k.invalid)
            k.invalid = "digest must be 40 hex digits";
        return k;
    }
    for (int i = 0; i < AERO_DIGEST_SIZE; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            aero_key k = key_base(ds);
            if (!k.invalid)
                k.invalid = "digest must be 40 hex digits";
            return k;
        }
        d[i] = (uint8_t)(hi << 4 | lo);
    }
    return aero_dataset_id_digest(ds, d);
}

AERO_API uint16_t aero_key_partition(const aero_key *key) { return aero_partition__id(key->digest); }

AERO_API void aero_dataset_ids_int_range(const aero_dataset *ds, int64_t first, size_t n, aero_key *out) {
    for (size_t i = 0; ds && out && i < n; i++)
        out[i] = aero_dataset_id_int(ds, first + (int64_t)i);
}

AERO_API void aero_dataset_ids_str(const aero_dataset *ds, const char *const *strs, size_t n, aero_key *out) {
    for (size_t i = 0; ds && out && strs && i < n; i++)
        out[i] = aero_dataset_id_str(ds, strs[i]);
}
