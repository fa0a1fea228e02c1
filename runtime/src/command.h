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

#include "client.h"
#include "proto/buf.h"
#include "proto/msg.h"

/** How a command may be retried after its bytes were sent. */
typedef enum aero_cmd_kind {
    AERO_CMD_READ = 0,          /* retry freely */
    AERO_CMD_WRITE_IDEMPOTENT,  /* put/replace/delete/touch: retry on a definite failure */
    AERO_CMD_WRITE_ONCE,        /* increment/append/CDT/expression writes: never resent once sent */
} aero_cmd_kind;

typedef struct aero_cmd {
    aero_session *session;
    const aero_policy *policy;
    const aero_key *key;     /* routing: namespace and partition */
    aero_cmd_kind kind;
    const uint8_t *req;      /* complete request, proto header included */
    size_t req_len;
    aero_buf *resp;          /* receives the response body (after the 8-byte header) */
    aero_msg_view msg;       /* filled on success: the parsed response */
} aero_cmd;

/**
 * Send cmd->req and read the single AS_MSG answer into cmd->resp, parsed into
 * cmd->msg. Returns AERO_OK when a well-formed answer arrived (whatever its
 * result code: the caller interprets it) or a client-side error (timeout,
 * connection, no node) with err filled, in_doubt set for writes that may have
 * been applied.
 */
aero_status aero_cmd__execute(aero_cmd *cmd, aero_error *err);

/** transaction_ttl for a single-record command (protocol.md 3.1). */
uint32_t aero_cmd__server_timeout(const aero_policy *p);

/** Reject an invalid key with AERO_ERR_PARAM; AERO_OK otherwise. */
aero_status aero_cmd__check_key(const aero_key *key, aero_error *err);

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

/** Reset rec for a new answer (keeps its buffers). */
void aero_record__clear(aero_record *rec);

/** Receive buffer of a record (the command reads the answer straight into it). */
aero_buf aero_record__take_buf(aero_record *rec);
void aero_record__give_buf(aero_record *rec, aero_buf *b);

/** Seconds since 2010-01-01 now (for void time -> TTL). */
uint32_t aero_cmd__now_2010(void);

#endif
