/*
 * cluster/auth.c - login and session tokens (protocol.md 10.2).
 *
 * The password is hashed once, when the client connects (bcrypt costs some
 * 100 ms); every LOGIN sends that hash. A node's token is copied out under
 * its lock and the AUTHENTICATE exchange runs outside it, so connections of
 * one node authenticate in parallel. A token is dropped (and LOGIN runs on
 * the same socket) when it is past the TTL the server gave less a minute,
 * or when the server refuses it. A Community Edition server answers
 * SECURITY_NOT_SUPPORTED to any admin message: an error here, since the user
 * asked for a login that cannot happen. SECURITY_NOT_ENABLED (an Enterprise
 * server with security off) means no login is needed: remembered per node.
 */
#include "cluster/auth.h"

#include "internal.h"
#include "proto/admin_msg.h"
#include "proto/bcrypt.h"
#include "proto/msg.h"
#include "proto/wire.h"

#include <stdlib.h>
#include <string.h>

struct aero_auth {
    aero_auth_mode mode;
    char *user;
    aero_lock lock; /* guards the two below (a password change replaces them) */
    char *password; /* clear text, kept for EXTERNAL only */
    char credential[AERO_BCRYPT_HASH_LEN + 1];
};

/* A login answer is a header and a few fields: anything larger is not one. */
#define LOGIN_ANSWER_MAX (AERO_ADMIN_HEADER_SIZE + 64 + AERO_ADMIN_TOKEN_MAX)

/*
 * Every connection of a client is TLS when its config says so (net/tls.c).
 */
static bool config_has_tls(const aero_client_config *cfg) { return cfg->version >= 2 && cfg->tls_enabled; }

aero_status aero_auth__check_config(const aero_client_config *cfg, aero_error *err) {
    if (!cfg)
        return AERO_OK;
    aero_auth_mode mode = cfg->version >= 2 ? cfg->auth_mode : AERO_AUTH_INTERNAL;
    bool user = cfg->user && cfg->user[0], pass = cfg->password != NULL;
    switch (mode) {
    case AERO_AUTH_INTERNAL:
    case AERO_AUTH_EXTERNAL:
        if (user != pass)
            return aero_err__set(err, AERO_ERR_PARAM, "aero_client_config: %s",
                                 user ? "a user needs a password" : "a password needs a user");
        if (user && strlen(cfg->user) > 255)
            return aero_err__set(err, AERO_ERR_PARAM, "aero_client_config: the user name is longer than 255 bytes");
        if (mode == AERO_AUTH_EXTERNAL && !config_has_tls(cfg))
            return aero_err__set(err, AERO_ERR_PARAM,
                                 "aero_client_config: EXTERNAL authentication sends the password in clear text and "
                                 "is refused without TLS (TLS is not configured)");
        if (mode == AERO_AUTH_EXTERNAL && !user)
            return aero_err__set(err, AERO_ERR_PARAM, "aero_client_config: EXTERNAL authentication needs a user");
        return AERO_OK;
    case AERO_AUTH_PKI:
        if (user || pass)
            return aero_err__set(err, AERO_ERR_PARAM,
                                 "aero_client_config: PKI authentication takes no user or password (the client "
                                 "certificate is the identity)");
        if (!config_has_tls(cfg) || !cfg->tls_cert_file)
            return aero_err__set(err, AERO_ERR_PARAM,
                                 "aero_client_config: PKI authentication needs TLS with a client certificate (%s)",
                                 config_has_tls(cfg) ? "tls_cert_file is not set" : "TLS is not configured");
        return AERO_OK;
    }
    return aero_err__set(err, AERO_ERR_PARAM, "aero_client_config: unknown auth_mode %d", (int)mode);
}

aero_status aero_auth__new(const aero_client_config *cfg, aero_auth **out, aero_error *err) {
    *out = NULL;
    aero_status st = aero_auth__check_config(cfg, err);
    if (st != AERO_OK || !cfg)
        return st;
    aero_auth_mode mode = cfg->version >= 2 ? cfg->auth_mode : AERO_AUTH_INTERNAL;
    if (mode != AERO_AUTH_PKI && !(cfg->user && cfg->user[0]))
        return AERO_OK; /* no security configured */
    aero_auth *a = calloc(1, sizeof *a);
    if (!a)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for the credentials");
    a->mode = mode;
    aero_lock__init(&a->lock);
    if (mode != AERO_AUTH_PKI) {
        a->user = strdup(cfg->user);
        a->password = mode == AERO_AUTH_EXTERNAL ? strdup(cfg->password) : NULL;
        if (!a->user || (mode == AERO_AUTH_EXTERNAL && !a->password)) {
            aero_auth__free(a);
            return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for the credentials");
        }
        aero_bcrypt__aerospike(cfg->password, a->credential);
    }
    *out = a;
    return AERO_OK;
}

void aero_auth__free(aero_auth *a) {
    if (!a)
        return;
    free(a->user);
    if (a->password) {
        memset(a->password, 0, strlen(a->password));
        free(a->password);
    }
    memset(a->credential, 0, sizeof a->credential);
    free(a);
}

const char *aero_auth__user(const aero_auth *a) { return a ? a->user : NULL; }

bool aero_auth__credential(aero_auth *a, char out[61]) {
    if (!a || !a->user)
        return false;
    aero_lock__acquire(&a->lock);
    memcpy(out, a->credential, sizeof a->credential);
    aero_lock__release(&a->lock);
    return true;
}

bool aero_auth__set_password(aero_auth *a, const char *password, const char *hash) {
    if (!a)
        return true;
    char *clear = NULL;
    if (a->mode == AERO_AUTH_EXTERNAL && !(clear = strdup(password)))
        return false;
    aero_lock__acquire(&a->lock);
    char *old = a->password;
    a->password = clear;
    memcpy(a->credential, hash, AERO_BCRYPT_HASH_LEN + 1);
    aero_lock__release(&a->lock);
    if (old) {
        memset(old, 0, strlen(old));
        free(old);
    }
    return true;
}

void aero_auth__session_init(aero_auth_session *s) {
    memset(s, 0, sizeof *s);
    aero_lock__init(&s->lock);
}

void aero_auth__session_dispose(aero_auth_session *s) {
    free(s->token);
    s->token = NULL;
    s->token_len = 0;
}

void aero_auth__session_move(aero_auth_session *dst, aero_auth_session *src) {
    aero_lock__acquire(&src->lock);
    uint8_t *token = src->token;
    uint32_t len = src->token_len;
    uint64_t exp = src->expires_ns;
    bool ne = src->not_enabled;
    src->token = NULL;
    src->token_len = 0;
    aero_lock__release(&src->lock);
    aero_lock__acquire(&dst->lock);
    uint8_t *old = dst->token;
    dst->token = token;
    dst->token_len = len;
    dst->expires_ns = exp;
    dst->not_enabled = ne;
    aero_lock__release(&dst->lock);
    free(old);
}

void aero_auth__session_reset(aero_auth_session *s) {
    aero_lock__acquire(&s->lock);
    uint8_t *old = s->token;
    s->token = NULL;
    s->token_len = 0;
    aero_lock__release(&s->lock);
    free(old);
}

aero_status aero_auth__read_frame(aero_conn *conn, uint64_t deadline_ns, size_t limit, aero_buf *out, aero_error *err) {
    aero_buf__reset(out);
    uint8_t hdr[8];
    aero_status st = aero_conn__read(conn, hdr, 8, deadline_ns, err);
    if (st != AERO_OK)
        return st;
    uint8_t type = 0;
    uint64_t size = 0;
    if (aero_proto__read_header(hdr, &type, &size) != AERO_OK || type != AERO_PROTO_ADMIN)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "bad security answer header (version %u, type %u)",
                             (unsigned)hdr[0], (unsigned)hdr[1]);
    if (size > limit)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "security answer of %llu bytes exceeds the %zu byte limit",
                             (unsigned long long)size, limit);
    uint8_t *p = aero_buf__append(out, (size_t)size);
    if (!p && size)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a security answer");
    return size ? aero_conn__read(conn, p, (size_t)size, deadline_ns, err) : AERO_OK;
}

aero_status aero_auth__exchange(aero_conn *conn, const aero_buf *b, uint64_t deadline_ns, size_t limit, aero_buf *out,
                                aero_error *err) {
    if (b->failed)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "security request could not be built");
    aero_status st = aero_conn__write(conn, b->data, b->len, deadline_ns, err);
    return st != AERO_OK ? st : aero_auth__read_frame(conn, deadline_ns, limit, out, err);
}

/* err for a refused login: the server's code with its name, and a hint for the common cases. */
static aero_status login_refused(aero_error *err, aero_status rc, const char *what, const char *user) {
    const char *hint = "";
    if (rc == AERO_ERR_SECURITY_NOT_SUPPORTED)
        hint = ": the server has no security (Community Edition); connect without a user and password";
    else if (rc == AERO_ERR_INVALID_USER)
        hint = ": no such user";
    else if (rc == AERO_ERR_INVALID_PASSWORD || rc == AERO_ERR_INVALID_CREDENTIAL)
        hint = ": wrong password";
    else if (rc == AERO_ERR_EXPIRED_PASSWORD)
        hint = ": the password has expired, an administrator must set a new one";
    return aero_err__set(err, rc, "%s as '%s' refused: %s (%d)%s", what, user ? user : "(certificate)",
                         aero_status_str(rc), (int)rc, hint);
}

static aero_status do_login(aero_conn *conn, aero_auth *a, aero_auth_session *s, uint64_t deadline_ns,
                            aero_error *err) {
    uint8_t stack[512], rstack[512];
    aero_buf b, r;
    aero_buf__init(&b, stack, sizeof stack);
    aero_buf__init(&r, rstack, sizeof rstack);
    aero_admin__begin(&b, AERO_ADMIN_LOGIN);
    if (a->mode != AERO_AUTH_PKI) {
        aero_admin__field_str(&b, AERO_ADMIN_FIELD_USER, a->user);
        aero_lock__acquire(&a->lock);
        aero_admin__field_str(&b, AERO_ADMIN_FIELD_CREDENTIAL, a->credential);
        if (a->mode == AERO_AUTH_EXTERNAL)
            aero_admin__field_str(&b, AERO_ADMIN_FIELD_CLEAR_PASSWORD, a->password);
        aero_lock__release(&a->lock);
    }
    aero_admin__end(&b);
    aero_status st = aero_auth__exchange(conn, &b, deadline_ns, LOGIN_ANSWER_MAX, &r, err);
    if (b.len > 8)
        memset(b.data, 0, b.len); /* the credential (and a clear password) do not linger on the stack */
    aero_buf__free(&b);
    if (st == AERO_OK) {
        const uint8_t *token = NULL;
        size_t token_len = 0;
        uint32_t ttl = 0;
        st = aero_admin__parse_login(r.data, r.len, &token, &token_len, &ttl, err);
        if (st == AERO_ERR_SECURITY_NOT_ENABLED) {
            aero_lock__acquire(&s->lock);
            s->not_enabled = true;
            aero_lock__release(&s->lock);
            st = AERO_OK;
        } else if (st == AERO_OK) {
            uint8_t *copy = malloc(token_len);
            if (!copy) {
                st = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a session token");
            } else {
                memcpy(copy, token, token_len);
                uint64_t exp = UINT64_MAX;
                if (ttl > AERO_ADMIN_TTL_MARGIN_S)
                    exp = aero_now_ns() + (uint64_t)(ttl - AERO_ADMIN_TTL_MARGIN_S) * 1000000000u;
                else if (ttl > 0)
                    exp = 0; /* too short to reuse: every connection logs in */
                aero_lock__acquire(&s->lock);
                uint8_t *old = s->token;
                s->token = copy;
                s->token_len = (uint32_t)token_len;
                s->expires_ns = exp;
                s->not_enabled = false;
                aero_lock__release(&s->lock);
                free(old);
            }
        } else if (st > 0) {
            login_refused(err, st, "login", a->user);
        }
    }
    aero_buf__free(&r);
    return st;
}

/*
 * AUTHENTICATE with the node's token: AERO_OK, a refusal code the caller
 * answers with a new LOGIN, or another error. *had_token false when there
 * was no usable token (nothing was sent).
 */
static aero_status authenticate(aero_conn *conn, aero_auth *a, aero_auth_session *s, uint64_t deadline_ns,
                                bool *had_token, aero_error *err) {
    uint8_t stack[AERO_ADMIN_TOKEN_MAX + 512], rstack[64]; /* room for any token: no allocation under the lock */
    aero_buf b, r;
    aero_buf__init(&b, stack, sizeof stack);
    aero_buf__init(&r, rstack, sizeof rstack);
    aero_admin__begin(&b, AERO_ADMIN_AUTHENTICATE);
    if (a->mode != AERO_AUTH_PKI)
        aero_admin__field_str(&b, AERO_ADMIN_FIELD_USER, a->user);
    aero_lock__acquire(&s->lock);
    *had_token = s->token && aero_now_ns() < s->expires_ns;
    if (*had_token)
        aero_admin__field(&b, AERO_ADMIN_FIELD_SESSION_TOKEN, s->token, s->token_len);
    aero_lock__release(&s->lock);
    if (!*had_token) {
        aero_buf__free(&b);
        return AERO_OK;
    }
    aero_admin__end(&b);
    aero_status st = aero_auth__exchange(conn, &b, deadline_ns, 1024, &r, err);
    aero_buf__free(&b);
    if (st == AERO_OK) {
        aero_admin_msg m;
        if (aero_admin__split(r.data, r.len, &m) == 0)
            st = aero_err__set(err, AERO_ERR_PROTOCOL, "malformed authenticate answer (%zu bytes)", r.len);
        else if (m.result != AERO_OK && m.result != AERO_ERR_SECURITY_NOT_ENABLED)
            st = m.result;
    }
    aero_buf__free(&r);
    return st;
}

aero_status aero_auth__login(aero_conn *conn, aero_auth *auth, aero_auth_session *s, uint64_t deadline_ns,
                             aero_error *err) {
    if (!auth)
        return AERO_OK;
    aero_lock__acquire(&s->lock);
    bool not_enabled = s->not_enabled;
    aero_lock__release(&s->lock);
    if (not_enabled)
        return AERO_OK;
    bool had_token = false;
    aero_status st = authenticate(conn, auth, s, deadline_ns, &had_token, err);
    if (had_token && st == AERO_OK)
        return AERO_OK;
    if (had_token && st != AERO_ERR_EXPIRED_SESSION && st != AERO_ERR_INVALID_CREDENTIAL &&
        st != AERO_ERR_NOT_AUTHENTICATED && st != AERO_ERR_INVALID_USER)
        return st > 0 ? login_refused(err, st, "authenticate", auth->user) : st;
    if (had_token)
        aero_auth__session_reset(s); /* the server no longer takes it: log in again on this socket */
    return do_login(conn, auth, s, deadline_ns, err);
}
