/*
 * aero/key.h - DataSet (namespace + set) and record keys.
 *
 * A key names one record: namespace, set and a user key (string, integer or
 * blob), or directly a 20-byte digest. The digest (RIPEMD-160 of set and user
 * key) is computed when the key is built, so a key is ready to route.
 *
 * Ownership: aero_dataset copies its names. aero_key copies namespace and set
 * but does NOT copy a string or blob user key: the bytes must stay valid
 * while the key is in use (until the command that takes it has executed).
 *
 * Bad input (NULL, empty namespace, names too long) does not fail here: the
 * key is marked invalid and the command that uses it reports AERO_ERR_PARAM
 * at execute, with a message naming the problem.
 *
 *     aero_dataset users = aero_dataset_of("test", "users");
 *     aero_key k = aero_dataset_id_str(&users, "user-1");
 */
#ifndef AERO_KEY_H
#define AERO_KEY_H

#include <aero/common.h>

AERO_BEGIN_DECLS

/** A namespace and set pair. Transparent; copy it freely. */
typedef struct aero_dataset {
    char ns[AERO_NAMESPACE_MAX + 2]; /**< one spare byte detects overlong names */
    char set[AERO_SET_MAX + 2];
    const char *invalid; /**< NULL, or why the dataset cannot be used */
} aero_dataset;

/** Kind of user key a key carries. */
typedef enum aero_key_type {
    AERO_KEY_DIGEST = 0, /**< digest only, no user key */
    AERO_KEY_INT = 1,
    AERO_KEY_STR = 3,
    AERO_KEY_BLOB = 4,
} aero_key_type;

/** A record key. Transparent; copy it freely (the user-key bytes are shared). */
typedef struct aero_key {
    char ns[AERO_NAMESPACE_MAX + 2];
    char set[AERO_SET_MAX + 2];
    aero_key_type type;
    int64_t i;       /**< AERO_KEY_INT */
    const void *ptr; /**< AERO_KEY_STR / AERO_KEY_BLOB bytes, not owned */
    size_t len;
    uint8_t digest[AERO_DIGEST_SIZE];
    const char *invalid; /**< NULL, or why the key cannot be used (static text) */
} aero_key;

/** DataSet.of(ns, set). An empty or NULL set means "no set". */
AERO_API aero_dataset aero_dataset_of(const char *ns, const char *set);

/** DataSet.id(str): key from a NUL-terminated string (not copied). */
AERO_API aero_key aero_dataset_id_str(const aero_dataset *ds, const char *s);
/** Key from `len` bytes of string (not copied). */
AERO_API aero_key aero_dataset_id_strn(const aero_dataset *ds, const char *s, size_t len);
/** DataSet.id(int). */
AERO_API aero_key aero_dataset_id_int(const aero_dataset *ds, int64_t i);
/** DataSet.id(bytes): key from a blob (not copied). */
AERO_API aero_key aero_dataset_id_blob(const aero_dataset *ds, const void *p, size_t len);
/** DataSet.id_from_digest(bytes): a key known only by its 20-byte digest. */
AERO_API aero_key aero_dataset_id_digest(const aero_dataset *ds, const uint8_t digest[AERO_DIGEST_SIZE]);
/**
 * DataSet.id_from_digest(hex): 40 hex digits. A malformed string gives an
 * invalid key (reported at execute).
 */
AERO_API aero_key aero_dataset_id_digest_hex(const aero_dataset *ds, const char *hex);

/**
 * Keys for a batch: out[i] = aero_dataset_id_int(ds, first + i) for i < n.
 * `out` has room for n keys. A NULL ds or out does nothing.
 */
AERO_API void aero_dataset_ids_int_range(const aero_dataset *ds, int64_t first, size_t n, aero_key *out);
/**
 * Keys for a batch: out[i] = aero_dataset_id_str(ds, strs[i]) for i < n
 * (the strings are not copied). A NULL string gives an invalid key.
 */
AERO_API void aero_dataset_ids_str(const aero_dataset *ds, const char *const *strs, size_t n, aero_key *out);

/** Partition id (0..4095) of a key, from its digest. */
AERO_API uint16_t aero_key_partition(const aero_key *key);

AERO_END_DECLS

#endif
