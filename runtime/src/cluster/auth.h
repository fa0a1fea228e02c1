/*
 * cluster/auth.h - logging connections in (protocol.md 10.2). Internal.
 *
 * The cluster holds one aero_auth (the configured identity: mode, user,
 * bcrypt credential, clear password for EXTERNAL), made once when the
 * client connects; NULL when no security is configured, and then nothing
 * here costs anything. Each node holds an aero_auth_session: the session
 * token its last LOGIN returned and when the client counts it as expired.
 * Every new connection calls aero_auth__login() right after connect: it
 * sends AUTHENTICATE with the node's token when there is a live one, and
 * LOGIN (storing the new token) when there is none, when it has expired, or
 * when the server refuses the token (EXPIRED_SESSION, INVALID_CREDENTIAL,
 * NOT_AUTHENTICATED).
 */
#ifndef AERO_CLUSTER_AUTH_H
#define AERO_CLUSTER_AUTH_H

#include <aero/client.h>

#include "lock.h"
#include "net/conn.h"
#include "proto/buf.h"

typedef struct aero_auth aero_auth;

/** A node's session token. All members are guarded by `lock`. */
typedef struct aero_auth_session {
    aero_lock lock;
    uint8_t *token; /* malloc'd, NULL when there is none */
    uint32_t token_len;
    uint64_t expires_ns; /* aero_now_ns() past which the token is not used; UINT64_MAX = no expiry */
    bool not_enabled;    /* the server answered SECURITY_NOT_ENABLED: no login needed */
} aero_auth_session;

/**
 * Check the authentication members of a config: AERO_ERR_PARAM when a
 * password comes without a user (or the reverse) in INTERNAL or EXTERNAL
 * mode, a user or password is set in PKI mode, the mode is unknown, or
 * EXTERNAL / PKI is asked for without TLS.
 */
aero_status aero_auth__check_config(const aero_client_config *cfg, aero_error *err);

/**
 * The identity of `cfg` (checked with aero_auth__check_config) in *out,
 * NULL when no authentication is configured. Hashes the password (bcrypt:
 * some 100 ms). AERO_ERR_NO_MEMORY.
 */
aero_status aero_auth__new(const aero_client_config *cfg, aero_auth **out, aero_error *err);
/** Free (NULL is a no-op). */
void aero_auth__free(aero_auth *a);
/** The configured user (NULL for PKI or no auth). */
const char *aero_auth__user(const aero_auth *a);
/** The current credential (bcrypt hash) into out (61 bytes); false when there is none. */
bool aero_auth__credential(aero_auth *a, char out[61]);
/** Use a new password from now on (after a password change); its hash is `hash`. False on OOM. */
bool aero_auth__set_password(aero_auth *a, const char *password, const char *hash);

void aero_auth__session_init(aero_auth_session *s);
void aero_auth__session_dispose(aero_auth_session *s);
/** Hand src's token to dst (dst's is dropped); src is left empty. */
void aero_auth__session_move(aero_auth_session *dst, aero_auth_session *src);
/** Forget the token: the next connection logs in again. */
void aero_auth__session_reset(aero_auth_session *s);

/**
 * Log a freshly connected `conn` in (nothing when auth is NULL). On failure
 * the connection state is unknown: close it. Errors: the server's security
 * codes (INVALID_USER, INVALID_PASSWORD, EXPIRED_PASSWORD, ...);
 * SECURITY_NOT_SUPPORTED from a Community Edition server, with a message
 * saying to remove the credentials; AERO_ERR_PROTOCOL, timeouts and
 * connection errors.
 */
aero_status aero_auth__login(aero_conn *conn, aero_auth *auth, aero_auth_session *s, uint64_t deadline_ns,
                             aero_error *err);

/**
 * Send the admin message in b (complete, aero_admin__end done) on conn and
 * read one answer frame (type 2) into out (reset first): its body, without
 * the proto header, at most `limit` bytes. AERO_ERR_PROTOCOL for another
 * type or a larger answer.
 */
aero_status aero_auth__exchange(aero_conn *conn, const aero_buf *b, uint64_t deadline_ns, size_t limit, aero_buf *out,
                                aero_error *err);
/** Read one more admin answer frame (query answers come in several). */
aero_status aero_auth__read_frame(aero_conn *conn, uint64_t deadline_ns, size_t limit, aero_buf *out, aero_error *err);

#endif
