/*
 * cmd_key.c - the key fields of a request. Namespace, set and digest go on
 * every command, so they are written from one reservation without per-field
 * bounds checks.
 */
#include "cmd_key.h"

#include <string.h>

#include "internal.h"
#include "proto/digest.h"
#include "proto/wire.h"

aero_status aero_cmd__bad_key(const aero_key *key, aero_error *err) {
    if (!key)
        return aero_err__set(err, AERO_ERR_PARAM, "key is NULL");
    if (key->invalid)
        return aero_err__set(err, AERO_ERR_PARAM, "invalid key: %s", key->invalid);
    if (!key->ns[0])
        return aero_err__set(err, AERO_ERR_PARAM, "invalid key: namespace must not be empty");
    return AERO_OK;
}

/* The KEY field; inline into key_fields (the put path) and out of line for batch rows. */
static inline void user_key_field(aero_buf *b, aero_msg_header *h, const aero_key *key) {
    if (key->type == AERO_KEY_DIGEST)
        return;
    if (key->type == AERO_KEY_INT) {
        uint8_t v[9];
        v[0] = AERO_PT_INTEGER;
        aero_set_u64be(v + 1, (uint64_t)key->i);
        aero_msg__field(b, h, AERO_FIELD_KEY, v, sizeof v);
    } else {
        aero_msg__field_header(b, h, AERO_FIELD_KEY, key->len + 1);
        aero_buf__put_u8(b, key->type == AERO_KEY_STR ? AERO_PT_STRING : AERO_PT_BLOB);
        aero_buf__put(b, key->ptr, key->len);
    }
}

void aero_cmd__key_fields(aero_buf *b, aero_msg_header *h, const aero_key *key, bool send_key) {
    /* namespace, set and digest on every command: one reservation, no per-field checks */
    size_t ns_len = strnlen(key->ns, sizeof key->ns);
    size_t set_len = strnlen(key->set, sizeof key->set);
    uint8_t *d = h->n_fields <= UINT16_MAX - 4 ? aero_buf__append(b, 15 + ns_len + set_len + AERO_DIGEST_SIZE) : NULL;
    if (!d) {
        b->failed = true;
        return;
    }
    d = aero_msg__put_field(d, AERO_FIELD_NAMESPACE, key->ns, ns_len);
    d = aero_msg__put_field(d, AERO_FIELD_SETNAME, key->set, set_len);
    aero_msg__put_field(d, AERO_FIELD_DIGEST, key->digest, AERO_DIGEST_SIZE);
    h->n_fields = (uint16_t)(h->n_fields + 3);
    if (send_key)
        user_key_field(b, h, key);
}

void aero_cmd__user_key_field(aero_buf *b, aero_msg_header *h, const aero_key *key) { user_key_field(b, h, key); }
