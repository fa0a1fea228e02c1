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

#include "client.h"
#include "proto/buf.h"
#include "proto/msg.h"
#include "proto/wire.h"

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

/**
 * Send a complete request on conn. With p->use_compression the request asks
 * for a compressed answer (info1 COMPRESS_RESPONSE, set in req itself) and is
 * sent compressed (zlib `level`) when larger than p->compression_threshold
 * (protocol.md 11). Used by every AS_MSG command path.
 */
aero_status aero_cmd__send(aero_conn *conn, uint8_t *req, size_t len, const aero_policy *p, int level,
                           uint64_t deadline_ns, aero_error *err);

/**
 * The answer in r (one type-4 message, header included) replaced by the
 * message it wraps. AERO_ERR_PROTOCOL when it does not inflate to one whole
 * type-3 message.
 */
aero_status aero_cmd__inflate(aero_buf *r, const char *peer, aero_error *err);

/** transaction_ttl for a single-record command (protocol.md 3.1): the smaller set timeout. */
static inline uint32_t aero_cmd__server_timeout(const aero_policy *p) {
    if (p->socket_timeout_ms && (p->total_timeout_ms == 0 || p->socket_timeout_ms < p->total_timeout_ms))
        return p->socket_timeout_ms;
    return p->total_timeout_ms;
}

/** info1 bits of a read by policy: READ_MODE_AP_ALL (protocol.md 3.2). */
static inline uint8_t aero_cmd__read_info1(const aero_policy *p) {
    return p->read_mode_ap == AERO_READ_MODE_AP_ALL ? AERO_INFO1_READ_MODE_AP_ALL : 0;
}

/** info3 bits of a read by policy: the SC read mode (RELAX, TYPE): session 00, linearize 01, replica 10, unavailable 11. */
static inline uint8_t aero_cmd__read_info3(const aero_policy *p) {
    switch (p->read_mode_sc) {
    case AERO_READ_MODE_SC_LINEARIZE: return AERO_INFO3_SC_READ_TYPE;
    case AERO_READ_MODE_SC_ALLOW_REPLICA: return AERO_INFO3_SC_READ_RELAX;
    case AERO_READ_MODE_SC_ALLOW_UNAVAILABLE: return AERO_INFO3_SC_READ_RELAX | AERO_INFO3_SC_READ_TYPE;
    default: return 0;
    }
}

/** info3 bits of a write by policy: COMMIT_MASTER. */
static inline uint8_t aero_cmd__write_info3(const aero_policy *p) {
    return p->commit_level == AERO_COMMIT_MASTER ? AERO_INFO3_COMMIT_MASTER : 0;
}

#endif
