/*
 * command.h - run one single-record command: pick the node for the key's
 * partition, borrow a connection, send, receive, retry as the policy allows.
 * Not installed.
 */
#ifndef AERO_COMMAND_H
#define AERO_COMMAND_H

#include <aero/behavior.h>
#include <aero/error.h>
#include <aero/key.h>
#include <aero/record.h>

#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "proto/buf.h"
#include "proto/msg.h"

/** How a command may be retried after its bytes were sent. */
typedef enum aero_cmd_kind {
    AERO_CMD_READ = 0,         /* retry freely */
    AERO_CMD_WRITE_IDEMPOTENT, /* put/replace/delete/touch: retry on a definite failure */
    AERO_CMD_WRITE_ONCE,       /* increment/append/CDT/expression writes: never resent once sent */
} aero_cmd_kind;

typedef struct aero_cmd {
    aero_session *session;
    const aero_policy *policy;
    const aero_key *key; /* routing: namespace and partition */
    aero_cmd_kind kind;
    const uint8_t *req; /* complete request, proto header included */
    size_t req_len;
    aero_buf *resp;    /* receives the response body (after the 8-byte header) */
    aero_msg_view msg; /* filled on success: the parsed response */
} aero_cmd;

/**
 * Send cmd->req and read the single AS_MSG answer into cmd->resp, parsed into
 * cmd->msg. Returns AERO_OK when a well-formed answer arrived (whatever its
 * result code: the caller interprets it) or a client-side error (timeout,
 * connection, no node) with err filled, in_doubt set for writes that may have
 * been applied.
 */
aero_status aero_cmd__execute(aero_cmd *cmd, aero_error *err);

/** transaction_ttl for a single-record command (protocol.md 3.1): the smaller set timeout. */
static inline uint32_t aero_cmd__server_timeout(const aero_policy *p) {
    if (p->socket_timeout_ms && (p->total_timeout_ms == 0 || p->socket_timeout_ms < p->total_timeout_ms))
        return p->socket_timeout_ms;
    return p->total_timeout_ms;
}

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

/**
 * Decode a single-record answer into rec: generation, TTL, bins (names
 * NUL-terminated, values decoded into the record's arena), result code.
 * The response bytes must live in rec's own buffer or outlive rec's use.
 */
aero_status aero_record__decode(aero_record *rec, const aero_msg_view *m, aero_error *err);

/**
 * Decode one bin of an answer. Strings are NUL-terminated IN PLACE by sliding
 * them one byte into their (already consumed) bin name, so the answer buffer
 * must be writable and owned by the caller (a record's buffer, a frame
 * buffer) and each op may be decoded once. Other types: aero_particle__decode.
 */
aero_status aero_op__decode(const aero_op_view *op, aero_arena *arena, aero_value *out);

/**
 * The in-place string step of aero_op__decode: a string bin's text, made
 * NUL-terminated by sliding it one byte into its bin name (op->name_len >= 1
 * required, same ownership rules).
 */
static inline const char *aero_op__string_in_place(const aero_op_view *op) {
    char *text = (char *)(uintptr_t)op->name + op->name_len - 1;
    memmove(text, op->value, op->value_len);
    text[op->value_len] = '\0';
    return text;
}

/** Reset rec and take result, generation and TTL from the answer (no bins). */
void aero_record__decode_header(aero_record *rec, const aero_msg_view *m);

/** The record's arena (created on first use; NULL when out of memory). */
aero_arena *aero_record__arena(aero_record *rec);

/** Reset rec for a new answer (keeps its buffers). */
void aero_record__clear(aero_record *rec);

/**
 * Lend a record's receive buffer to a command (which reads the answer
 * straight into it) and take it back, grown or not, afterwards.
 */
static inline aero_buf aero_record__take_buf(aero_record *rec) {
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    b.data = rec->store_.buf;
    b.cap = rec->store_.buf_cap;
    b.heap = rec->store_.buf != NULL;
    rec->store_.buf = NULL;
    rec->store_.buf_cap = 0;
    return b;
}
static inline void aero_record__give_buf(aero_record *rec, aero_buf *b) {
    if (rec->store_.buf) /* a buffer left from elsewhere: the returned one wins */
        free(rec->store_.buf);
    rec->store_.buf = b->heap ? b->data : NULL; /* caller storage is never kept */
    rec->store_.buf_cap = b->heap ? b->cap : 0;
    aero_buf__init(b, NULL, 0);
}

/** Seconds since 2010-01-01 now (for void time -> TTL). */
uint32_t aero_cmd__now_2010(void);

#endif
