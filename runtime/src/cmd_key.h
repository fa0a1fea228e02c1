/*
 * cmd_key.h - the key part of a single-record request: checking a key before
 * anything is built, and writing its namespace, set, digest and user key
 * fields. Not installed.
 */
#ifndef AERO_CMD_KEY_H
#define AERO_CMD_KEY_H

#include <aero/error.h>
#include <aero/key.h>

#include <stdbool.h>

#include "proto/buf.h"
#include "proto/msg.h"

/** Why a key cannot be used (AERO_ERR_PARAM with err filled); out of line. */
aero_status aero_cmd__bad_key(const aero_key *key, aero_error *err);

/** Reject an invalid key with AERO_ERR_PARAM; AERO_OK otherwise. */
static inline aero_status aero_cmd__check_key(const aero_key *key, aero_error *err) {
    if (__builtin_expect(key && !key->invalid && key->ns[0], 1))
        return AERO_OK;
    return aero_cmd__bad_key(key, err);
}

/**
 * Append the namespace, set, digest and (if send_key) key fields for `key`.
 */
void aero_cmd__key_fields(aero_buf *b, aero_msg_header *h, const aero_key *key, bool send_key);

/** Append the KEY field (the user key) alone; nothing for a digest-only key. */
void aero_cmd__user_key_field(aero_buf *b, aero_msg_header *h, const aero_key *key);

#endif
