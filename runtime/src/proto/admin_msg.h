/*
 * proto/admin_msg.h - security messages (proto type 2, protocol.md 10):
 * the command and field numbers, an encoder and the decoders of the
 * answers (login, users, roles). No I/O.
 *
 * A message is [proto header][16-byte header][fields]; the header holds the
 * scheme (0), the result (answers), the command (requests) and the field
 * count; each field is [u32 BE length counting the id][u8 id][data].
 * Strings inside fields (roles, privilege scopes) are [u8 length][bytes].
 */
#ifndef AERO_PROTO_ADMIN_MSG_H
#define AERO_PROTO_ADMIN_MSG_H

#include <aero/error.h>
#include <aero/security.h>

#include "proto/buf.h"

/* commands (header byte 2) */
#define AERO_ADMIN_AUTHENTICATE      0
#define AERO_ADMIN_CREATE_USER       1
#define AERO_ADMIN_DROP_USER         2
#define AERO_ADMIN_SET_PASSWORD      3
#define AERO_ADMIN_CHANGE_PASSWORD   4
#define AERO_ADMIN_GRANT_ROLES       5
#define AERO_ADMIN_REVOKE_ROLES      6
#define AERO_ADMIN_QUERY_USERS       9
#define AERO_ADMIN_CREATE_ROLE       10
#define AERO_ADMIN_DROP_ROLE         11
#define AERO_ADMIN_GRANT_PRIVILEGES  12
#define AERO_ADMIN_REVOKE_PRIVILEGES 13
#define AERO_ADMIN_SET_WHITELIST     14
#define AERO_ADMIN_SET_QUOTAS        15
#define AERO_ADMIN_QUERY_ROLES       16
#define AERO_ADMIN_LOGIN             20

/* field ids */
#define AERO_ADMIN_FIELD_USER           0
#define AERO_ADMIN_FIELD_PASSWORD       1
#define AERO_ADMIN_FIELD_OLD_PASSWORD   2
#define AERO_ADMIN_FIELD_CREDENTIAL     3
#define AERO_ADMIN_FIELD_CLEAR_PASSWORD 4
#define AERO_ADMIN_FIELD_SESSION_TOKEN  5
#define AERO_ADMIN_FIELD_SESSION_TTL    6
#define AERO_ADMIN_FIELD_ROLES          10
#define AERO_ADMIN_FIELD_ROLE           11
#define AERO_ADMIN_FIELD_PRIVILEGES     12
#define AERO_ADMIN_FIELD_WHITELIST      13
#define AERO_ADMIN_FIELD_READ_QUOTA     14
#define AERO_ADMIN_FIELD_WRITE_QUOTA    15
#define AERO_ADMIN_FIELD_READ_INFO      16
#define AERO_ADMIN_FIELD_WRITE_INFO     17
#define AERO_ADMIN_FIELD_CONNECTIONS    18

/** The 16-byte header after the proto header. */
#define AERO_ADMIN_HEADER_SIZE 16
/** Longest session token accepted from a server. */
#define AERO_ADMIN_TOKEN_MAX 4096
/** The client counts a session as over this many seconds before the server's TTL. */
#define AERO_ADMIN_TTL_MARGIN_S 60

/* ---------------- encoder ---------------- */

/** Start a request: proto header (size filled by _end) and the header with `command`, no fields yet. */
void aero_admin__begin(aero_buf *b, uint8_t command);
/** Append a field with raw data and count it in the header. */
void aero_admin__field(aero_buf *b, uint8_t id, const void *data, size_t len);
/** A string field (no NUL sent). */
void aero_admin__field_str(aero_buf *b, uint8_t id, const char *s);
/** A u32 BE field (quotas). */
void aero_admin__field_u32(aero_buf *b, uint8_t id, uint32_t v);
/** ROLES: [u8 count] then each [u8 len][name]. */
void aero_admin__field_roles(aero_buf *b, const char *const *roles, size_t n);
/** PRIVILEGES: [u8 count] then each [u8 code] and, for codes >= 10, [u8 len][ns][u8 len][set]. */
void aero_admin__field_privileges(aero_buf *b, const aero_privilege *privs, size_t n);
/** WHITELIST: the addresses joined with ','. */
void aero_admin__field_whitelist(aero_buf *b, const char *const *addrs, size_t n);
/** Write the proto size. The message is b->data[0 .. b->len). */
void aero_admin__end(aero_buf *b);

/**
 * Check the arguments the encoder takes before building: a name (user,
 * role, address) must be non-NULL, non-empty and under 256 bytes
 * (`what` names it in the message); lists at most 255 entries; a global
 * privilege no scope, a scoped one a namespace under 32 and a set under 64
 * bytes. AERO_ERR_PARAM with a message, or AERO_OK.
 */
aero_status aero_admin__check_name(const char *s, const char *what, aero_error *err);
aero_status aero_admin__check_names(const char *const *names, size_t n, const char *what, aero_error *err);
aero_status aero_admin__check_privileges(const aero_privilege *privs, size_t n, aero_error *err);

/* ---------------- decoder ---------------- */

typedef struct aero_admin_field {
    uint8_t id;
    const uint8_t *data;
    uint32_t len;
} aero_admin_field;

/** One message of an answer: header bytes and its fields. */
typedef struct aero_admin_msg {
    uint8_t result;
    uint8_t command;
    uint8_t n_fields;
    aero_admin_field fields[255];
} aero_admin_msg;

/**
 * Split the message at p (header and fields, no proto header) of at most
 * len bytes into m. Returns the bytes it takes, or 0 when it is malformed
 * (shorter than its header, a field length of 0 or past the end). Inline:
 * the test server parses requests with it without linking the runtime's
 * internals.
 */
static inline size_t aero_admin__split(const uint8_t *p, size_t len, aero_admin_msg *m) {
    if (len < AERO_ADMIN_HEADER_SIZE)
        return 0;
    m->result = p[1];
    m->command = p[2];
    m->n_fields = p[3];
    size_t o = AERO_ADMIN_HEADER_SIZE;
    for (unsigned i = 0; i < m->n_fields; i++) {
        if (len - o < 5)
            return 0;
        uint32_t flen = aero_get_u32be(p + o);
        if (flen == 0 || flen - 1 > len - o - 5)
            return 0;
        m->fields[i].id = p[o + 4];
        m->fields[i].data = p + o + 5;
        m->fields[i].len = flen - 1;
        o += 4 + (size_t)flen;
    }
    return o;
}

/**
 * A LOGIN answer body (after the proto header). Returns the server's result
 * (AERO_OK with *token pointing into body, its length, and the TTL in
 * seconds, 0 when none came) or AERO_ERR_PROTOCOL for a malformed answer or
 * a success without a token (err says which). A non-zero result is returned
 * as is, without filling err.
 */
aero_status aero_admin__parse_login(const uint8_t *body, size_t len, const uint8_t **token, size_t *token_len,
                                    uint32_t *ttl_s, aero_error *err);

/**
 * Append the users of one answer block (a proto body: consecutive
 * messages) to list. *done becomes true at a message with result
 * QUERY_END (50). A message with another non-zero result returns that
 * result (err filled). AERO_ERR_PROTOCOL for malformed data,
 * AERO_ERR_NO_MEMORY. On failure the list keeps what was added and must
 * still be freed.
 */
aero_status aero_admin__parse_users(const uint8_t *body, size_t len, aero_user_list *list, bool *done, aero_error *err);
/** The same for roles. */
aero_status aero_admin__parse_roles(const uint8_t *body, size_t len, aero_role_list *list, bool *done, aero_error *err);

#endif
