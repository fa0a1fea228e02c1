/*
 * security.c - Enterprise Edition access control: users, roles, login,
 * session tokens and the privilege checks (protocol.md 10).
 *
 * Off (the default), every security message answers 51
 * (SECURITY_NOT_SUPPORTED), as Community Edition does. On:
 *  - a connection is served only after LOGIN (user + bcrypt credential) or
 *    AUTHENTICATE (user + a session token a LOGIN returned); before that,
 *    AS_MSG requests answer 80 (NOT_AUTHENTICATED), info commands that need
 *    a privilege answer ERROR:80, admin commands other than the two 80;
 *  - tokens live session_ttl seconds on the server clock (so a virtual
 *    clock expires them): AUTHENTICATE with an expired one answers 66
 *    (EXPIRED_SESSION), with an unknown one 65 (INVALID_CREDENTIAL); a
 *    connection that has authenticated stays so;
 *  - each record command is checked against the user's roles: reads need
 *    read / read-write / read-write-udf, writes read-write / read-write-udf /
 *    write, in the command's namespace and set scope; otherwise 81
 *    (ROLE_VIOLATION), per record (batch rows too). truncate needs
 *    data-admin or truncate, sindex-create / sindex-delete data-admin or
 *    sindex-admin; admin commands user-admin (except changing one's own
 *    password and querying oneself);
 *  - a user whose roles carry allowlists logs in only from a listed address
 *    (every client of the test server is 127.0.0.1): 82 otherwise.
 * Quotas are stored and answered, not enforced. LDAP (EXTERNAL) logins are
 * checked like internal ones (the clear password is ignored).
 *
 * The connection's identity is bound to its thread (one thread serves one
 * connection), so the record code checks it with one call and no argument.
 */
#include "ts.h"

#include "proto/admin_msg.h"
#include "proto/bcrypt.h"

#include <arpa/inet.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_USERS     128
#define MAX_ROLES     128
#define MAX_USER_ROLE 32
#define MAX_PRIVS     32
#define MAX_SESSIONS  1024
#define TOKEN_LEN     32
#define NAME_CAP      64
#define DEFAULT_TTL   86400

typedef struct sec_user {
    char name[NAME_CAP];
    char hash[AERO_BCRYPT_HASH_LEN + 1];
    char roles[MAX_USER_ROLE][NAME_CAP];
    unsigned n_roles;
    bool password_expired;
    unsigned connections;
} sec_user;

typedef struct sec_role {
    char name[NAME_CAP];
    aero_privilege privs[MAX_PRIVS];
    unsigned n_privs;
    char whitelist[512];
    uint32_t read_quota, write_quota;
    bool predefined;
} sec_role;

typedef struct sec_session {
    uint8_t token[TOKEN_LEN];
    char user[NAME_CAP];
    uint64_t expires_ns;
    bool used;
} sec_session;

struct ts_security {
    pthread_mutex_t mu;
    _Atomic bool enabled; /* written under mu; read without it on the request path when off */
    bool quotas;
    uint32_t session_ttl;
    sec_user users[MAX_USERS];
    unsigned n_users;
    sec_role roles[MAX_ROLES];
    unsigned n_roles;
    sec_session sessions[MAX_SESSIONS];
    unsigned next_session;
    uint64_t logins, authentications;
};

static _Thread_local ts_sec_conn *bound;

static const aero_privilege_code PREDEFINED[] = {
    AERO_PRIV_USER_ADMIN, AERO_PRIV_SYS_ADMIN,  AERO_PRIV_DATA_ADMIN,     AERO_PRIV_UDF_ADMIN, AERO_PRIV_SINDEX_ADMIN,
    AERO_PRIV_READ,       AERO_PRIV_READ_WRITE, AERO_PRIV_READ_WRITE_UDF, AERO_PRIV_WRITE,     AERO_PRIV_TRUNCATE,
};

static void reset_locked(ts_security *s) {
    s->n_users = 0;
    s->n_roles = 0;
    memset(s->sessions, 0, sizeof s->sessions);
    for (size_t i = 0; i < sizeof PREDEFINED / sizeof PREDEFINED[0]; i++) {
        sec_role *r = &s->roles[s->n_roles++];
        memset(r, 0, sizeof *r);
        snprintf(r->name, sizeof r->name, "%s", aero_privilege_code_str(PREDEFINED[i]));
        r->privs[0].code = PREDEFINED[i];
        r->n_privs = 1;
        r->predefined = true;
    }
    sec_user *u = &s->users[s->n_users++];
    memset(u, 0, sizeof *u);
    snprintf(u->name, sizeof u->name, "admin");
    aero_bcrypt__aerospike("admin", u->hash);
    snprintf(u->roles[0], sizeof u->roles[0], "user-admin");
    u->n_roles = 1;
}

ts_security *ts_security_new(bool enabled, uint32_t session_ttl) {
    ts_security *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_init(&s->mu, NULL);
    s->enabled = enabled;
    s->session_ttl = session_ttl ? session_ttl : DEFAULT_TTL;
    reset_locked(s);
    return s;
}

void ts_security_free(ts_security *s) {
    if (!s)
        return;
    pthread_mutex_destroy(&s->mu);
    free(s);
}

void ts_security_bind(ts_sec_conn *c) { bound = c; }

static sec_user *find_user(ts_security *s, const char *name, size_t len) {
    for (unsigned i = 0; i < s->n_users; i++)
        if (strlen(s->users[i].name) == len && memcmp(s->users[i].name, name, len) == 0)
            return &s->users[i];
    return NULL;
}

static sec_role *find_role(ts_security *s, const char *name, size_t len) {
    for (unsigned i = 0; i < s->n_roles; i++)
        if (strlen(s->roles[i].name) == len && memcmp(s->roles[i].name, name, len) == 0)
            return &s->roles[i];
    return NULL;
}

void ts_security_conn_end(ts_security *s, ts_sec_conn *c) {
    if (!s || !c->authed)
        return;
    pthread_mutex_lock(&s->mu);
    sec_user *u = find_user(s, c->user, strlen(c->user));
    if (u && u->connections)
        u->connections--;
    pthread_mutex_unlock(&s->mu);
    c->authed = false;
}

/* Does user u hold privilege `code` for ns/set (scope ignored for global codes)? Caller holds mu. */
static bool holds(ts_security *s, const sec_user *u, const aero_privilege_code *codes, size_t n_codes, const char *ns,
                  size_t ns_len, const char *set, size_t set_len) {
    for (unsigned i = 0; i < u->n_roles; i++) {
        const sec_role *r = find_role(s, u->roles[i], strlen(u->roles[i]));
        if (!r)
            continue;
        for (unsigned k = 0; k < r->n_privs; k++) {
            const aero_privilege *p = &r->privs[k];
            bool code_ok = false;
            for (size_t c = 0; c < n_codes; c++)
                code_ok |= p->code == codes[c];
            if (!code_ok)
                continue;
            if (p->code < AERO_PRIV_READ || !p->ns[0])
                return true;
            if (strlen(p->ns) != ns_len || memcmp(p->ns, ns, ns_len) != 0)
                continue;
            if (!p->set[0] || (strlen(p->set) == set_len && memcmp(p->set, set, set_len) == 0))
                return true;
        }
    }
    return false;
}

/* The bound connection's user, or NULL; *rc gets 80 when it is not authenticated. Caller holds mu. */
static sec_user *current_user(ts_security *s, int *rc) {
    *rc = 0;
    if (!bound) /* not a client connection (in-process calls) */
        return NULL;
    sec_user *u = bound->authed ? find_user(s, bound->user, strlen(bound->user)) : NULL;
    if (!u)
        *rc = AERO_ERR_NOT_AUTHENTICATED;
    return u;
}

int ts_security_check_authed(ts_security *s) {
    if (!s || !s->enabled) /* security off: no lock on the request path */
        return 0;
    pthread_mutex_lock(&s->mu);
    int rc = 0;
    if (s->enabled)
        (void)current_user(s, &rc);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int ts_security_check(ts_security *s, const ts_msg *m, bool is_write) {
    if (!s || !s->enabled)
        return 0;
    pthread_mutex_lock(&s->mu);
    int rc = 0;
    if (s->enabled) {
        sec_user *u = current_user(s, &rc);
        if (u) {
            static const aero_privilege_code rd[] = { AERO_PRIV_READ, AERO_PRIV_READ_WRITE, AERO_PRIV_READ_WRITE_UDF };
            static const aero_privilege_code wr[] = { AERO_PRIV_WRITE, AERO_PRIV_READ_WRITE, AERO_PRIV_READ_WRITE_UDF };
            static const aero_privilege_code udf[] = { AERO_PRIV_READ_WRITE_UDF };
            const ts_field *ns = m->fields_by_type[AERO_FIELD_NAMESPACE], *set = m->fields_by_type[AERO_FIELD_SETNAME];
            bool is_udf = m->fields_by_type[AERO_FIELD_UDF_PACKAGE] || m->fields_by_type[AERO_FIELD_UDF_FUNCTION];
            const aero_privilege_code *need = is_udf ? udf : is_write ? wr : rd;
            size_t n_need = is_udf ? 1 : 3;
            if (!holds(s, u, need, n_need, ns ? (const char *)ns->data : "", ns ? ns->len : 0,
                       set ? (const char *)set->data : "", set ? set->len : 0))
                rc = AERO_ERR_ROLE_VIOLATION;
        }
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

const char *ts_security_info_denied(ts_security *s, const char *cmd) {
    static const aero_privilege_code trunc[] = { AERO_PRIV_DATA_ADMIN, AERO_PRIV_TRUNCATE };
    static const aero_privilege_code sindex[] = { AERO_PRIV_DATA_ADMIN, AERO_PRIV_SINDEX_ADMIN };
    const aero_privilege_code *need = NULL;
    if (!strcmp(cmd, "truncate") || !strcmp(cmd, "truncate-namespace"))
        need = trunc;
    else if (!strcmp(cmd, "sindex-create") || !strcmp(cmd, "sindex-delete"))
        need = sindex;
    if (!s || !need || !s->enabled)
        return NULL;
    const char *deny = NULL;
    pthread_mutex_lock(&s->mu);
    if (s->enabled) {
        int rc = 0;
        sec_user *u = current_user(s, &rc);
        if (rc)
            deny = "ERROR:80:not authenticated";
        else if (u && !holds(s, u, need, 2, "", 0, "", 0))
            deny = "ERROR:81:role violation";
    }
    pthread_mutex_unlock(&s->mu);
    return deny;
}

/* ---------------- answers ---------------- */

static size_t frame_begin(aero_buf *out) {
    size_t f = out->len;
    aero_buf__append(out, 8);
    return f;
}

static void frame_end(aero_buf *out, size_t f) {
    if (out->failed)
        return;
    uint64_t h = ((uint64_t)AERO_PROTO_VERSION << 56) | ((uint64_t)AERO_PROTO_ADMIN << 48) | (out->len - f - 8);
    aero_set_u64be(out->data + f, h);
}

/* A message header with `result`; fields follow with msg_field. Returns its offset. */
static size_t msg_begin(aero_buf *out, uint8_t result) {
    size_t h = out->len;
    uint8_t *p = aero_buf__append(out, AERO_ADMIN_HEADER_SIZE);
    if (p) {
        memset(p, 0, AERO_ADMIN_HEADER_SIZE);
        p[1] = result;
    }
    return h;
}

static void msg_field(aero_buf *out, size_t h, uint8_t id, const void *data, size_t len) {
    uint8_t *p = aero_buf__append(out, 5 + len);
    if (!p)
        return;
    aero_set_u32be(p, (uint32_t)len + 1);
    p[4] = id;
    memcpy(p + 5, data, len);
    out->data[h + 3]++;
}

static void simple(aero_buf *out, uint8_t result) {
    size_t f = frame_begin(out);
    msg_begin(out, result);
    frame_end(out, f);
}

/* ---------------- admin commands ---------------- */

typedef struct req {
    const aero_admin_field *f[256];
} req;

static bool str_field(const aero_admin_field *f, char *out, size_t cap) {
    if (!f || f->len == 0 || f->len >= cap || memchr(f->data, 0, f->len))
        return false;
    memcpy(out, f->data, f->len);
    out[f->len] = '\0';
    return true;
}

/* Parse a ROLES field into names; false if malformed. */
static bool parse_roles(const aero_admin_field *f, char names[][NAME_CAP], unsigned cap, unsigned *n) {
    *n = 0;
    if (!f || f->len < 1)
        return false;
    size_t o = 1, count = f->data[0];
    for (size_t i = 0; i < count; i++) {
        if (o >= f->len || f->data[o] == 0 || f->data[o] >= NAME_CAP || f->data[o] > f->len - o - 1 || *n >= cap)
            return false;
        memcpy(names[*n], f->data + o + 1, f->data[o]);
        names[*n][f->data[o]] = '\0';
        (*n)++;
        o += 1u + f->data[o];
    }
    return o == f->len;
}

static bool valid_code(unsigned c) {
    return c <= AERO_PRIV_SINDEX_ADMIN || (c >= AERO_PRIV_READ && c <= AERO_PRIV_TRUNCATE);
}

/* Parse PRIVILEGES: 0, 72 (INVALID_PRIVILEGE) or 4 when malformed. */
static int parse_privs(const aero_admin_field *f, aero_privilege *out, unsigned cap, unsigned *n) {
    *n = 0;
    if (!f || f->len < 1)
        return AERO_ERR_PARAMETER;
    size_t o = 1, count = f->data[0];
    if (count > cap)
        return AERO_ERR_INVALID_PRIVILEGE;
    for (size_t i = 0; i < count; i++) {
        if (o >= f->len)
            return AERO_ERR_PARAMETER;
        aero_privilege *p = &out[(*n)++];
        memset(p, 0, sizeof *p);
        unsigned code = f->data[o++];
        if (!valid_code(code))
            return AERO_ERR_INVALID_PRIVILEGE;
        p->code = (aero_privilege_code)code;
        if (code >= AERO_PRIV_READ) {
            for (int k = 0; k < 2; k++) {
                if (o >= f->len || f->data[o] > f->len - o - 1)
                    return AERO_ERR_PARAMETER;
                size_t l = f->data[o];
                if (l >= (k ? sizeof p->set : sizeof p->ns))
                    return AERO_ERR_INVALID_PRIVILEGE;
                memcpy(k ? p->set : p->ns, f->data + o + 1, l);
                o += 1 + l;
            }
            if (p->set[0] && !p->ns[0])
                return AERO_ERR_INVALID_PRIVILEGE;
        }
    }
    return o == f->len ? 0 : AERO_ERR_PARAMETER;
}

/* One allowlist entry: an IPv4/IPv6 address, or one with a /prefix. Sets *local when it covers 127.0.0.1. */
static bool whitelist_entry(const char *e, size_t len, bool *local) {
    char tmp[64];
    if (len == 0 || len >= sizeof tmp)
        return false;
    memcpy(tmp, e, len);
    tmp[len] = '\0';
    char *slash = strchr(tmp, '/');
    long prefix = -1;
    if (slash) {
        char *end;
        *slash = '\0';
        prefix = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end)
            return false;
    }
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, tmp, &a4) == 1) {
        if (prefix > 32)
            return false;
        uint32_t mask = prefix < 0 ? 0xffffffffu : prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
        *local |= ((ntohl(a4.s_addr) ^ 0x7f000001u) & mask) == 0;
        return true;
    }
    if (inet_pton(AF_INET6, tmp, &a6) == 1)
        return prefix <= 128;
    return false;
}

/* Check a WHITELIST field; *local when some entry covers the test server's clients. */
static bool check_whitelist(const uint8_t *p, size_t len, bool *local) {
    *local = false;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || p[i] == ',') {
            if (!whitelist_entry((const char *)p + start, i - start, local))
                return false;
            start = i + 1;
        }
    }
    return true;
}

static bool allowed_here(ts_security *s, const sec_user *u) {
    bool any_list = false;
    for (unsigned i = 0; i < u->n_roles; i++) {
        const sec_role *r = find_role(s, u->roles[i], strlen(u->roles[i]));
        if (!r || !r->whitelist[0])
            continue;
        any_list = true;
        bool local = false;
        if (check_whitelist((const uint8_t *)r->whitelist, strlen(r->whitelist), &local) && local)
            return true;
    }
    return !any_list;
}

static void new_session(ts_security *s, const char *user, uint8_t token[TOKEN_LEN]) {
    if (RAND_bytes(token, TOKEN_LEN) != 1)
        for (int i = 0; i < TOKEN_LEN; i++)
            token[i] = (uint8_t)(ts_now_ns() >> (i % 8));
    sec_session *ss = &s->sessions[s->next_session++ % MAX_SESSIONS];
    memcpy(ss->token, token, TOKEN_LEN);
    snprintf(ss->user, sizeof ss->user, "%s", user);
    ss->expires_ns = ts_now_ns() + (uint64_t)s->session_ttl * 1000000000u;
    ss->used = true;
}

static void authed(ts_security *s, ts_sec_conn *c, sec_user *u) {
    if (c->authed) {
        sec_user *old = find_user(s, c->user, strlen(c->user));
        if (old && old->connections)
            old->connections--;
    }
    c->authed = true;
    snprintf(c->user, sizeof c->user, "%s", u->name);
    u->connections++;
}

static int login(ts_security *s, req *r, ts_sec_conn *c, aero_buf *out) {
    char name[NAME_CAP], cred[AERO_BCRYPT_HASH_LEN + 1];
    sec_user *u;
    if (!r->f[AERO_ADMIN_FIELD_USER] && !r->f[AERO_ADMIN_FIELD_CREDENTIAL]) {
        /* PKI: no user, no credential; the verified client certificate's common name is the user */
        if (!c->cert_user[0])
            return AERO_ERR_INVALID_CREDENTIAL;
        if (!(u = find_user(s, c->cert_user, strlen(c->cert_user))))
            return AERO_ERR_INVALID_USER;
    } else {
        if (!str_field(r->f[AERO_ADMIN_FIELD_USER], name, sizeof name))
            return r->f[AERO_ADMIN_FIELD_USER] ? AERO_ERR_INVALID_USER : AERO_ERR_INVALID_FIELD;
        if (!(u = find_user(s, name, strlen(name))))
            return AERO_ERR_INVALID_USER;
        if (!str_field(r->f[AERO_ADMIN_FIELD_CREDENTIAL], cred, sizeof cred) || strcmp(cred, u->hash) != 0)
            return AERO_ERR_INVALID_PASSWORD;
        if (u->password_expired)
            return AERO_ERR_EXPIRED_PASSWORD;
    }
    if (!allowed_here(s, u))
        return AERO_ERR_NOT_WHITELISTED;
    uint8_t token[TOKEN_LEN];
    new_session(s, u->name, token);
    s->logins++;
    authed(s, c, u);
    size_t f = frame_begin(out);
    size_t h = msg_begin(out, 0);
    msg_field(out, h, AERO_ADMIN_FIELD_SESSION_TOKEN, token, TOKEN_LEN);
    uint8_t ttl[4];
    aero_set_u32be(ttl, s->session_ttl);
    msg_field(out, h, AERO_ADMIN_FIELD_SESSION_TTL, ttl, 4);
    frame_end(out, f);
    return -1; /* answered */
}

static int authenticate(ts_security *s, req *r, ts_sec_conn *c) {
    const aero_admin_field *tf = r->f[AERO_ADMIN_FIELD_SESSION_TOKEN];
    char name[NAME_CAP];
    bool pki = !r->f[AERO_ADMIN_FIELD_USER]; /* a PKI session's token stands alone */
    if (!tf || (!pki && !str_field(r->f[AERO_ADMIN_FIELD_USER], name, sizeof name)))
        return AERO_ERR_INVALID_FIELD;
    for (unsigned i = 0; i < MAX_SESSIONS; i++) {
        sec_session *ss = &s->sessions[i];
        if (!ss->used || tf->len != TOKEN_LEN || memcmp(ss->token, tf->data, TOKEN_LEN) != 0)
            continue;
        if (pki)
            snprintf(name, sizeof name, "%s", ss->user);
        else if (strcmp(ss->user, name) != 0)
            return AERO_ERR_INVALID_CREDENTIAL;
        if (ts_now_ns() >= ss->expires_ns)
            return AERO_ERR_EXPIRED_SESSION;
        sec_user *u = find_user(s, name, strlen(name));
        if (!u)
            return AERO_ERR_INVALID_USER;
        s->authentications++;
        authed(s, c, u);
        return 0;
    }
    return AERO_ERR_INVALID_CREDENTIAL;
}

static void drop_sessions(ts_security *s, const char *user) {
    for (unsigned i = 0; i < MAX_SESSIONS; i++)
        if (s->sessions[i].used && strcmp(s->sessions[i].user, user) == 0)
            s->sessions[i].used = false;
}

static int user_cmd(ts_security *s, uint8_t cmd, req *r) {
    char name[NAME_CAP];
    if (!str_field(r->f[AERO_ADMIN_FIELD_USER], name, sizeof name))
        return AERO_ERR_INVALID_USER;
    sec_user *u = find_user(s, name, strlen(name));
    char roles[MAX_USER_ROLE][NAME_CAP];
    unsigned n_roles = 0;
    switch (cmd) {
    case AERO_ADMIN_CREATE_USER: {
        char hash[AERO_BCRYPT_HASH_LEN + 1];
        if (u)
            return AERO_ERR_USER_ALREADY_EXISTS;
        if (!str_field(r->f[AERO_ADMIN_FIELD_PASSWORD], hash, sizeof hash) || strlen(hash) != AERO_BCRYPT_HASH_LEN)
            return AERO_ERR_INVALID_PASSWORD;
        if (r->f[AERO_ADMIN_FIELD_ROLES] && !parse_roles(r->f[AERO_ADMIN_FIELD_ROLES], roles, MAX_USER_ROLE, &n_roles))
            return AERO_ERR_INVALID_ROLE;
        for (unsigned i = 0; i < n_roles; i++)
            if (!find_role(s, roles[i], strlen(roles[i])))
                return AERO_ERR_INVALID_ROLE;
        if (s->n_users == MAX_USERS)
            return AERO_ERR_SERVER;
        u = &s->users[s->n_users++];
        memset(u, 0, sizeof *u);
        snprintf(u->name, sizeof u->name, "%s", name);
        memcpy(u->hash, hash, sizeof hash);
        memcpy(u->roles, roles, sizeof roles[0] * n_roles);
        u->n_roles = n_roles;
        return 0;
    }
    case AERO_ADMIN_DROP_USER:
        if (!u)
            return AERO_ERR_INVALID_USER;
        drop_sessions(s, u->name);
        *u = s->users[--s->n_users];
        return 0;
    case AERO_ADMIN_SET_PASSWORD:
    case AERO_ADMIN_CHANGE_PASSWORD: {
        char hash[AERO_BCRYPT_HASH_LEN + 1], old[AERO_BCRYPT_HASH_LEN + 1];
        if (!u)
            return AERO_ERR_INVALID_USER;
        if (cmd == AERO_ADMIN_CHANGE_PASSWORD &&
            (!str_field(r->f[AERO_ADMIN_FIELD_OLD_PASSWORD], old, sizeof old) || strcmp(old, u->hash) != 0))
            return AERO_ERR_INVALID_PASSWORD;
        if (!str_field(r->f[AERO_ADMIN_FIELD_PASSWORD], hash, sizeof hash) || strlen(hash) != AERO_BCRYPT_HASH_LEN)
            return AERO_ERR_INVALID_PASSWORD;
        memcpy(u->hash, hash, sizeof hash);
        u->password_expired = false;
        return 0;
    }
    case AERO_ADMIN_GRANT_ROLES:
    case AERO_ADMIN_REVOKE_ROLES:
        if (!u)
            return AERO_ERR_INVALID_USER;
        if (!parse_roles(r->f[AERO_ADMIN_FIELD_ROLES], roles, MAX_USER_ROLE, &n_roles))
            return AERO_ERR_INVALID_ROLE;
        for (unsigned i = 0; i < n_roles; i++) {
            if (!find_role(s, roles[i], strlen(roles[i])))
                return AERO_ERR_INVALID_ROLE;
            unsigned k = 0;
            while (k < u->n_roles && strcmp(u->roles[k], roles[i]) != 0)
                k++;
            if (cmd == AERO_ADMIN_GRANT_ROLES && k == u->n_roles && u->n_roles < MAX_USER_ROLE)
                snprintf(u->roles[u->n_roles++], NAME_CAP, "%s", roles[i]);
            else if (cmd == AERO_ADMIN_REVOKE_ROLES && k < u->n_roles)
                memmove(u->roles[k], u->roles[--u->n_roles], NAME_CAP);
        }
        return 0;
    }
    return AERO_ERR_INVALID_COMMAND;
}

static int role_cmd(ts_security *s, uint8_t cmd, req *r) {
    char name[NAME_CAP];
    if (!str_field(r->f[AERO_ADMIN_FIELD_ROLE], name, sizeof name))
        return AERO_ERR_INVALID_ROLE;
    sec_role *ro = find_role(s, name, strlen(name));
    aero_privilege privs[MAX_PRIVS];
    unsigned n_privs = 0;
    const aero_admin_field *wl = r->f[AERO_ADMIN_FIELD_WHITELIST];
    const aero_admin_field *rq = r->f[AERO_ADMIN_FIELD_READ_QUOTA], *wq = r->f[AERO_ADMIN_FIELD_WRITE_QUOTA];
    bool local;
    if (wl && (wl->len >= sizeof ro->whitelist || !check_whitelist(wl->data, wl->len, &local)))
        return AERO_ERR_INVALID_WHITELIST;
    if ((rq && rq->len != 4) || (wq && wq->len != 4))
        return AERO_ERR_INVALID_QUOTA;
    bool quota_given = (rq && aero_get_u32be(rq->data)) || (wq && aero_get_u32be(wq->data));
    switch (cmd) {
    case AERO_ADMIN_CREATE_ROLE: {
        if (ro)
            return AERO_ERR_ROLE_ALREADY_EXISTS;
        if (r->f[AERO_ADMIN_FIELD_PRIVILEGES]) {
            int rc = parse_privs(r->f[AERO_ADMIN_FIELD_PRIVILEGES], privs, MAX_PRIVS, &n_privs);
            if (rc)
                return rc;
        }
        if (quota_given && !s->quotas)
            return AERO_ERR_QUOTAS_NOT_ENABLED;
        if (s->n_roles == MAX_ROLES)
            return AERO_ERR_SERVER;
        ro = &s->roles[s->n_roles++];
        memset(ro, 0, sizeof *ro);
        snprintf(ro->name, sizeof ro->name, "%s", name);
        memcpy(ro->privs, privs, n_privs * sizeof privs[0]);
        ro->n_privs = n_privs;
        if (wl)
            memcpy(ro->whitelist, wl->data, wl->len);
        ro->read_quota = rq ? aero_get_u32be(rq->data) : 0;
        ro->write_quota = wq ? aero_get_u32be(wq->data) : 0;
        return 0;
    }
    case AERO_ADMIN_DROP_ROLE:
        if (!ro || ro->predefined)
            return AERO_ERR_INVALID_ROLE;
        for (unsigned i = 0; i < s->n_users; i++) {
            sec_user *u = &s->users[i];
            for (unsigned k = 0; k < u->n_roles; k++)
                if (strcmp(u->roles[k], name) == 0)
                    memmove(u->roles[k--], u->roles[--u->n_roles], NAME_CAP);
        }
        *ro = s->roles[--s->n_roles];
        return 0;
    case AERO_ADMIN_GRANT_PRIVILEGES:
    case AERO_ADMIN_REVOKE_PRIVILEGES: {
        if (!ro || ro->predefined)
            return AERO_ERR_INVALID_ROLE;
        int rc = parse_privs(r->f[AERO_ADMIN_FIELD_PRIVILEGES], privs, MAX_PRIVS, &n_privs);
        if (rc)
            return rc;
        for (unsigned i = 0; i < n_privs; i++) {
            unsigned k = 0;
            while (k < ro->n_privs && (ro->privs[k].code != privs[i].code || strcmp(ro->privs[k].ns, privs[i].ns) ||
                                       strcmp(ro->privs[k].set, privs[i].set)))
                k++;
            if (cmd == AERO_ADMIN_GRANT_PRIVILEGES && k == ro->n_privs && ro->n_privs < MAX_PRIVS)
                ro->privs[ro->n_privs++] = privs[i];
            else if (cmd == AERO_ADMIN_REVOKE_PRIVILEGES && k < ro->n_privs)
                ro->privs[k] = ro->privs[--ro->n_privs];
        }
        return 0;
    }
    case AERO_ADMIN_SET_WHITELIST:
        if (!ro || ro->predefined)
            return AERO_ERR_INVALID_ROLE;
        memset(ro->whitelist, 0, sizeof ro->whitelist);
        if (wl)
            memcpy(ro->whitelist, wl->data, wl->len);
        return 0;
    case AERO_ADMIN_SET_QUOTAS:
        if (!ro || ro->predefined)
            return AERO_ERR_INVALID_ROLE;
        if (!s->quotas)
            return AERO_ERR_QUOTAS_NOT_ENABLED;
        ro->read_quota = rq ? aero_get_u32be(rq->data) : 0;
        ro->write_quota = wq ? aero_get_u32be(wq->data) : 0;
        return 0;
    }
    return AERO_ERR_INVALID_COMMAND;
}

static void put_user(aero_buf *out, const sec_user *u) {
    size_t h = msg_begin(out, 0);
    msg_field(out, h, AERO_ADMIN_FIELD_USER, u->name, strlen(u->name));
    uint8_t roles[1 + MAX_USER_ROLE * NAME_CAP];
    size_t o = 0;
    roles[o++] = (uint8_t)u->n_roles;
    for (unsigned i = 0; i < u->n_roles; i++) {
        size_t l = strlen(u->roles[i]);
        roles[o++] = (uint8_t)l;
        memcpy(roles + o, u->roles[i], l);
        o += l;
    }
    msg_field(out, h, AERO_ADMIN_FIELD_ROLES, roles, o);
    uint8_t info[1 + 4 * 4] = { 4 }; /* quota, TPS, scan/query RPS, limitless scans/queries: all 0 here */
    msg_field(out, h, AERO_ADMIN_FIELD_READ_INFO, info, sizeof info);
    msg_field(out, h, AERO_ADMIN_FIELD_WRITE_INFO, info, sizeof info);
    uint8_t conns[4];
    aero_set_u32be(conns, u->connections);
    msg_field(out, h, AERO_ADMIN_FIELD_CONNECTIONS, conns, 4);
}

static void put_role(aero_buf *out, const sec_role *r) {
    size_t h = msg_begin(out, 0);
    msg_field(out, h, AERO_ADMIN_FIELD_ROLE, r->name, strlen(r->name));
    uint8_t privs[1 + MAX_PRIVS * (3 + AERO_PRIV_NS_SIZE + AERO_PRIV_SET_SIZE)];
    size_t o = 0;
    privs[o++] = (uint8_t)r->n_privs;
    for (unsigned i = 0; i < r->n_privs; i++) {
        const aero_privilege *p = &r->privs[i];
        privs[o++] = (uint8_t)p->code;
        if (p->code >= AERO_PRIV_READ) {
            size_t nl = strlen(p->ns), sl = strlen(p->set);
            privs[o++] = (uint8_t)nl;
            memcpy(privs + o, p->ns, nl);
            o += nl;
            privs[o++] = (uint8_t)sl;
            memcpy(privs + o, p->set, sl);
            o += sl;
        }
    }
    msg_field(out, h, AERO_ADMIN_FIELD_PRIVILEGES, privs, o);
    if (r->whitelist[0])
        msg_field(out, h, AERO_ADMIN_FIELD_WHITELIST, r->whitelist, strlen(r->whitelist));
    uint8_t q[4];
    if (r->read_quota) {
        aero_set_u32be(q, r->read_quota);
        msg_field(out, h, AERO_ADMIN_FIELD_READ_QUOTA, q, 4);
    }
    if (r->write_quota) {
        aero_set_u32be(q, r->write_quota);
        msg_field(out, h, AERO_ADMIN_FIELD_WRITE_QUOTA, q, 4);
    }
}

/* Query answers: the entries in one frame, then QUERY_END in another. */
static int query(ts_security *s, uint8_t cmd, req *r, aero_buf *out) {
    bool users = cmd == AERO_ADMIN_QUERY_USERS;
    const aero_admin_field *nf = r->f[users ? AERO_ADMIN_FIELD_USER : AERO_ADMIN_FIELD_ROLE];
    char name[NAME_CAP];
    if (nf && !str_field(nf, name, sizeof name))
        return users ? AERO_ERR_INVALID_USER : AERO_ERR_INVALID_ROLE;
    if (nf && (users ? (void *)find_user(s, name, strlen(name)) : (void *)find_role(s, name, strlen(name))) == NULL)
        return users ? AERO_ERR_INVALID_USER : AERO_ERR_INVALID_ROLE;
    size_t f = frame_begin(out);
    unsigned n = users ? s->n_users : s->n_roles;
    for (unsigned i = 0; i < n; i++) {
        const char *entry = users ? s->users[i].name : s->roles[i].name;
        if (nf && strcmp(entry, name) != 0)
            continue;
        if (users)
            put_user(out, &s->users[i]);
        else
            put_role(out, &s->roles[i]);
    }
    frame_end(out, f);
    simple(out, AERO_ERR_QUERY_END);
    return -1;
}

/* May the connection's user run admin command cmd? 0, 80 or 81. */
static int admin_allowed(ts_security *s, ts_sec_conn *c, uint8_t cmd, req *r) {
    sec_user *u = c->authed ? find_user(s, c->user, strlen(c->user)) : NULL;
    if (!u)
        return AERO_ERR_NOT_AUTHENTICATED;
    static const aero_privilege_code ua[] = { AERO_PRIV_USER_ADMIN };
    if (holds(s, u, ua, 1, "", 0, "", 0))
        return 0;
    char name[NAME_CAP];
    bool self = str_field(r->f[AERO_ADMIN_FIELD_USER], name, sizeof name) && strcmp(name, u->name) == 0;
    if (self && (cmd == AERO_ADMIN_CHANGE_PASSWORD || cmd == AERO_ADMIN_QUERY_USERS))
        return 0;
    return AERO_ERR_ROLE_VIOLATION;
}

void ts_security_admin(ts_security *s, ts_sec_conn *c, const uint8_t *body, size_t len, aero_buf *out) {
    pthread_mutex_lock(&s->mu);
    if (!s->enabled) {
        pthread_mutex_unlock(&s->mu);
        simple(out, AERO_ERR_SECURITY_NOT_SUPPORTED); /* Community Edition */
        return;
    }
    aero_admin_msg *m = malloc(sizeof *m);
    req *r = calloc(1, sizeof *r);
    int rc = AERO_ERR_SERVER;
    if (m && r) {
        if (aero_admin__split(body, len, m) != len) {
            rc = AERO_ERR_INVALID_FIELD;
        } else {
            for (unsigned i = 0; i < m->n_fields; i++)
                r->f[m->fields[i].id] = &m->fields[i];
            uint8_t cmd = m->command;
            if (cmd == AERO_ADMIN_LOGIN)
                rc = login(s, r, c, out);
            else if (cmd == AERO_ADMIN_AUTHENTICATE)
                rc = authenticate(s, r, c);
            else if ((rc = admin_allowed(s, c, cmd, r)) != 0)
                ;
            else if (cmd >= AERO_ADMIN_CREATE_USER && cmd <= AERO_ADMIN_REVOKE_ROLES)
                rc = user_cmd(s, cmd, r);
            else if (cmd >= AERO_ADMIN_CREATE_ROLE && cmd <= AERO_ADMIN_SET_QUOTAS)
                rc = role_cmd(s, cmd, r);
            else if (cmd == AERO_ADMIN_QUERY_USERS || cmd == AERO_ADMIN_QUERY_ROLES)
                rc = query(s, cmd, r, out);
            else
                rc = AERO_ERR_INVALID_COMMAND;
        }
    }
    pthread_mutex_unlock(&s->mu);
    free(m);
    free(r);
    if (rc >= 0)
        simple(out, (uint8_t)rc);
}

static bool flag(const char *cmd, const char *key, bool *out) {
    char v[16];
    if (ts_info_param(cmd, key, v, sizeof v) != 1)
        return false;
    *out = !strcmp(v, "true") || !strcmp(v, "1");
    return true;
}

bool ts_security_control(ts_security *s, const char *cmd, char *out, size_t cap, aero_status *st, aero_error *e) {
    char v[NAME_CAP];
    *st = AERO_OK;
    if (!strncmp(cmd, "security-stats", 14) && (cmd[14] == 0 || cmd[14] == ';')) {
        pthread_mutex_lock(&s->mu);
        if (out && cap)
            snprintf(out, cap, "logins=%llu;authentications=%llu", (unsigned long long)s->logins,
                     (unsigned long long)s->authentications);
        pthread_mutex_unlock(&s->mu);
        return true;
    }
    if (!strncmp(cmd, "security-expire-password", 24) && (cmd[24] == 0 || cmd[24] == ';')) {
        pthread_mutex_lock(&s->mu);
        sec_user *u = ts_info_param(cmd, "user", v, sizeof v) == 1 ? find_user(s, v, strlen(v)) : NULL;
        if (u)
            u->password_expired = true;
        pthread_mutex_unlock(&s->mu);
        if (!u)
            *st = ts_err(e, AERO_ERR_PARAM, "security-expire-password: no such user");
        else if (out && cap)
            snprintf(out, cap, "ok");
        return true;
    }
    if (!strncmp(cmd, "security", 8) && (cmd[8] == 0 || cmd[8] == ';')) {
        bool on = false, quotas = false;
        pthread_mutex_lock(&s->mu);
        if (flag(cmd, "enabled", &on)) {
            if (on && !s->enabled)
                reset_locked(s); /* a fresh security setup: admin/admin */
            s->enabled = on;
        }
        if (flag(cmd, "quotas", &quotas))
            s->quotas = quotas;
        if (ts_info_param(cmd, "session-ttl", v, sizeof v) == 1)
            s->session_ttl = (uint32_t)strtoul(v, NULL, 10) ? (uint32_t)strtoul(v, NULL, 10) : DEFAULT_TTL;
        pthread_mutex_unlock(&s->mu);
        if (out && cap)
            snprintf(out, cap, "ok");
        return true;
    }
    return false;
}
