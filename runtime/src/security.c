/*
 * security.c - user and role administration (aero/security.h).
 *
 * Each call builds one security message (proto/admin_msg.c), sends it on a
 * pooled connection of some node (already logged in: cluster/auth.c) and
 * reads the answer: one 16-byte header with the result for the commands,
 * frames of per-user / per-role messages ending with QUERY_END for the
 * queries. The connection goes back to the pool only after a complete
 * exchange.
 */
#include "client.h"
#include "cluster/auth.h"
#include "internal.h"
#include "proto/admin_msg.h"
#include "proto/bcrypt.h"

#include <stdlib.h>
#include <string.h>

/* Largest query answer frame accepted (a big user or role list fits many times over). */
#define ADMIN_FRAME_MAX (16u * 1024u * 1024u)

typedef aero_status (*block_fn)(const uint8_t *body, size_t len, void *list, bool *done, aero_error *err);

static aero_status start(aero_client *client, const aero_admin_policy *policy, uint64_t *deadline, aero_error *err) {
    aero_err__reset(err);
    if (!client)
        return aero_err__set(err, AERO_ERR_PARAM, "admin call without a client");
    uint32_t timeout = 5000;
    if (policy) {
        aero_status st = aero_err__check_version(err, "aero_admin_policy", policy->version, AERO_ADMIN_POLICY_VERSION);
        if (st != AERO_OK)
            return st;
        if (policy->timeout_ms)
            timeout = policy->timeout_ms;
    }
    *deadline = aero_deadline_after_ms(timeout);
    return AERO_OK;
}

/*
 * Send b to some node. With parse == NULL, read one answer and return its
 * result; otherwise hand every answer frame to parse until it says done.
 */
static aero_status run(aero_client *client, aero_buf *b, uint64_t deadline, block_fn parse, void *list,
                       aero_error *err) {
    aero_admin__end(b);
    if (b->failed)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory building a security request");
    aero_node *node = aero_cluster__any_node(client->cluster);
    if (!node)
        return aero_err__set(err, AERO_ERR_INVALID_NODE, "no node is available for an admin command");
    aero_conn *conn = NULL;
    aero_status st = aero_node__conn_get(node, deadline, &conn, err);
    if (st != AERO_OK) {
        aero_node__release(node);
        return st;
    }
    uint8_t rstack[256];
    aero_buf r;
    aero_buf__init(&r, rstack, sizeof rstack);
    st = aero_auth__exchange(conn, b, deadline, parse ? ADMIN_FRAME_MAX : 4096, &r, err);
    bool clean = st == AERO_OK;
    if (st == AERO_OK && !parse) {
        aero_admin_msg m;
        if (aero_admin__split(r.data, r.len, &m) == 0) {
            st = aero_err__set(err, AERO_ERR_PROTOCOL, "malformed security answer (%zu bytes)", r.len);
            clean = false;
        } else if (m.result != AERO_OK) {
            st = aero_err__set(err, m.result, "%s (%d)", aero_status_str(m.result), (int)m.result);
        }
    }
    while (st == AERO_OK && parse) {
        bool done = false;
        st = parse(r.data, r.len, list, &done, err);
        if (st != AERO_OK) {
            clean = st > 0; /* a server refusal ends the answer; malformed data leaves the socket unknown */
            break;
        }
        if (done)
            break;
        st = aero_auth__read_frame(conn, deadline, ADMIN_FRAME_MAX, &r, err);
        clean = st == AERO_OK;
    }
    aero_buf__free(&r);
    if (clean)
        aero_node__conn_put(node, conn);
    else
        aero_node__conn_close(node, conn);
    if (st != AERO_OK && err)
        snprintf(err->node, sizeof err->node, "%s", aero_node__name(node));
    aero_node__release(node);
    return st;
}

#define BEGIN(cmd)                              \
    uint8_t stack_[1024];                       \
    aero_buf b_;                                \
    aero_buf__init(&b_, stack_, sizeof stack_); \
    aero_admin__begin(&b_, (cmd))

static aero_status finish(aero_client *client, aero_buf *b, uint64_t deadline, aero_error *err) {
    aero_status st = run(client, b, deadline, NULL, NULL, err);
    if (b->len)
        memset(b->data, 0, b->len); /* password hashes */
    aero_buf__free(b);
    return st;
}

static aero_status check_password(const char *password, aero_error *err) {
    if (!password)
        return aero_err__set(err, AERO_ERR_PARAM, "password is missing (NULL)");
    return AERO_OK;
}

AERO_API aero_status aero_admin_create_user(aero_client *client, const aero_admin_policy *policy, const char *user,
                                            const char *password, const char *const *roles, size_t n_roles,
                                            aero_error *err) {
    uint64_t deadline;
    aero_status st = start(client, policy, &deadline, err);
    if (st == AERO_OK)
        st = aero_admin__check_name(user, "user name", err);
    if (st == AERO_OK)
        st = check_password(password, err);
    if (st == AERO_OK)
        st = aero_admin__check_names(roles, n_roles, "role name", err);
    if (st != AERO_OK)
        return st;
    char hash[AERO_BCRYPT_HASH_LEN + 1];
    aero_bcrypt__aerospike(password, hash);
    BEGIN(AERO_ADMIN_CREATE_USER);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_USER, user);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_PASSWORD, hash);
    aero_admin__field_roles(&b_, roles, n_roles);
    return finish(client, &b_, deadline, err);
}

/* A command with one name field (drop user, drop role). */
static aero_status one_name(aero_client *client, const aero_admin_policy *policy, uint8_t cmd, uint8_t field,
                            const char *name, const char *what, aero_error *err) {
    uint64_t deadline;
    aero_status st = start(client, policy, &deadline, err);
    if (st == AERO_OK)
        st = aero_admin__check_name(name, what, err);
    if (st != AERO_OK)
        return st;
    BEGIN(cmd);
    aero_admin__field_str(&b_, field, name);
    return finish(client, &b_, deadline, err);
}

AERO_API aero_status aero_admin_drop_user(aero_client *client, const aero_admin_policy *policy, const char *user,
                                          aero_error *err) {
    return one_name(client, policy, AERO_ADMIN_DROP_USER, AERO_ADMIN_FIELD_USER, user, "user name", err);
}

/* After a successful change of the client's own password, log in with the new one from now on. */
static aero_status adopt_password(aero_client *client, const char *user, const char *password, const char *hash,
                                  aero_error *err) {
    aero_auth *a = aero_cluster__auth(client->cluster);
    const char *own = aero_auth__user(a);
    if (own && strcmp(own, user) == 0 && !aero_auth__set_password(a, password, hash))
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "password changed, but out of memory keeping the new one");
    return AERO_OK;
}

AERO_API aero_status aero_admin_set_password(aero_client *client, const aero_admin_policy *policy, const char *user,
                                             const char *password, aero_error *err) {
    uint64_t deadline;
    aero_status st = start(client, policy, &deadline, err);
    if (st == AERO_OK)
        st = aero_admin__check_name(user, "user name", err);
    if (st == AERO_OK)
        st = check_password(password, err);
    if (st != AERO_OK)
        return st;
    char hash[AERO_BCRYPT_HASH_LEN + 1];
    aero_bcrypt__aerospike(password, hash);
    BEGIN(AERO_ADMIN_SET_PASSWORD);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_USER, user);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_PASSWORD, hash);
    st = finish(client, &b_, deadline, err);
    return st == AERO_OK ? adopt_password(client, user, password, hash, err) : st;
}

AERO_API aero_status aero_admin_change_password(aero_client *client, const aero_admin_policy *policy,
                                                const char *new_password, aero_error *err) {
    uint64_t deadline;
    aero_status st = start(client, policy, &deadline, err);
    if (st == AERO_OK)
        st = check_password(new_password, err);
    if (st != AERO_OK)
        return st;
    aero_auth *a = aero_cluster__auth(client->cluster);
    char old[AERO_BCRYPT_HASH_LEN + 1];
    const char *user = aero_auth__user(a);
    if (!user || !aero_auth__credential(a, old))
        return aero_err__set(err, AERO_ERR_PARAM, "change_password needs a client logged in with a user and password");
    char hash[AERO_BCRYPT_HASH_LEN + 1];
    aero_bcrypt__aerospike(new_password, hash);
    BEGIN(AERO_ADMIN_CHANGE_PASSWORD);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_USER, user);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_OLD_PASSWORD, old);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_PASSWORD, hash);
    memset(old, 0, sizeof old);
    st = finish(client, &b_, deadline, err);
    return st == AERO_OK ? adopt_password(client, user, new_password, hash, err) : st;
}

static aero_status user_roles(aero_client *client, const aero_admin_policy *policy, uint8_t cmd, const char *user,
                              const char *const *roles, size_t n_roles, aero_error *err) {
    uint64_t deadline;
    aero_status st = start(client, policy, &deadline, err);
    if (st == AERO_OK)
        st = aero_admin__check_name(user, "user name", err);
    if (st == AERO_OK)
        st = aero_admin__check_names(roles, n_roles, "role name", err);
    if (st != AERO_OK)
        return st;
    BEGIN(cmd);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_USER, user);
    aero_admin__field_roles(&b_, roles, n_roles);
    return finish(client, &b_, deadline, err);
}

AERO_API aero_status aero_admin_grant_roles(aero_client *client, const aero_admin_policy *policy, const char *user,
                                            const char *const *roles, size_t n_roles, aero_error *err) {
    return user_roles(client, policy, AERO_ADMIN_GRANT_ROLES, user, roles, n_roles, err);
}

AERO_API aero_status aero_admin_revoke_roles(aero_client *client, const aero_admin_policy *policy, const char *user,
                                             const char *const *roles, size_t n_roles, aero_error *err) {
    return user_roles(client, policy, AERO_ADMIN_REVOKE_ROLES, user, roles, n_roles, err);
}

AERO_API aero_status aero_admin_create_role(aero_client *client, const aero_admin_policy *policy, const char *role,
                                            const aero_privilege *privileges, size_t n_privileges,
                                            const char *const *whitelist, size_t n_whitelist, uint32_t read_quota,
                                            uint32_t write_quota, aero_error *err) {
    uint64_t deadline;
    aero_status st = start(client, policy, &deadline, err);
    if (st == AERO_OK)
        st = aero_admin__check_name(role, "role name", err);
    if (st == AERO_OK)
        st = aero_admin__check_privileges(privileges, n_privileges, err);
    if (st == AERO_OK)
        st = aero_admin__check_names(whitelist, n_whitelist, "whitelist address", err);
    if (st != AERO_OK)
        return st;
    BEGIN(AERO_ADMIN_CREATE_ROLE);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_ROLE, role);
    if (n_privileges)
        aero_admin__field_privileges(&b_, privileges, n_privileges);
    if (n_whitelist)
        aero_admin__field_whitelist(&b_, whitelist, n_whitelist);
    if (read_quota)
        aero_admin__field_u32(&b_, AERO_ADMIN_FIELD_READ_QUOTA, read_quota);
    if (write_quota)
        aero_admin__field_u32(&b_, AERO_ADMIN_FIELD_WRITE_QUOTA, write_quota);
    return finish(client, &b_, deadline, err);
}

AERO_API aero_status aero_admin_drop_role(aero_client *client, const aero_admin_policy *policy, const char *role,
                                          aero_error *err) {
    return one_name(client, policy, AERO_ADMIN_DROP_ROLE, AERO_ADMIN_FIELD_ROLE, role, "role name", err);
}

static aero_status role_privileges(aero_client *client, const aero_admin_policy *policy, uint8_t cmd, const char *role,
                                   const aero_privilege *privileges, size_t n_privileges, aero_error *err) {
    uint64_t deadline;
    aero_status st = start(client, policy, &deadline, err);
    if (st == AERO_OK)
        st = aero_admin__check_name(role, "role name", err);
    if (st == AERO_OK)
        st = aero_admin__check_privileges(privileges, n_privileges, err);
    if (st == AERO_OK && n_privileges == 0)
        st = aero_err__set(err, AERO_ERR_PARAM, "no privileges given");
    if (st != AERO_OK)
        return st;
    BEGIN(cmd);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_ROLE, role);
    aero_admin__field_privileges(&b_, privileges, n_privileges);
    return finish(client, &b_, deadline, err);
}

AERO_API aero_status aero_admin_grant_privileges(aero_client *client, const aero_admin_policy *policy, const char *role,
                                                 const aero_privilege *privileges, size_t n_privileges,
                                                 aero_error *err) {
    return role_privileges(client, policy, AERO_ADMIN_GRANT_PRIVILEGES, role, privileges, n_privileges, err);
}

AERO_API aero_status aero_admin_revoke_privileges(aero_client *client, const aero_admin_policy *policy,
                                                  const char *role, const aero_privilege *privileges,
                                                  size_t n_privileges, aero_error *err) {
    return role_privileges(client, policy, AERO_ADMIN_REVOKE_PRIVILEGES, role, privileges, n_privileges, err);
}

AERO_API aero_status aero_admin_set_whitelist(aero_client *client, const aero_admin_policy *policy, const char *role,
                                              const char *const *whitelist, size_t n_whitelist, aero_error *err) {
    uint64_t deadline;
    aero_status st = start(client, policy, &deadline, err);
    if (st == AERO_OK)
        st = aero_admin__check_name(role, "role name", err);
    if (st == AERO_OK)
        st = aero_admin__check_names(whitelist, n_whitelist, "whitelist address", err);
    if (st != AERO_OK)
        return st;
    BEGIN(AERO_ADMIN_SET_WHITELIST);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_ROLE, role);
    if (n_whitelist)
        aero_admin__field_whitelist(&b_, whitelist, n_whitelist);
    return finish(client, &b_, deadline, err);
}

AERO_API aero_status aero_admin_set_quotas(aero_client *client, const aero_admin_policy *policy, const char *role,
                                           uint32_t read_quota, uint32_t write_quota, aero_error *err) {
    uint64_t deadline;
    aero_status st = start(client, policy, &deadline, err);
    if (st == AERO_OK)
        st = aero_admin__check_name(role, "role name", err);
    if (st != AERO_OK)
        return st;
    BEGIN(AERO_ADMIN_SET_QUOTAS);
    aero_admin__field_str(&b_, AERO_ADMIN_FIELD_ROLE, role);
    aero_admin__field_u32(&b_, AERO_ADMIN_FIELD_READ_QUOTA, read_quota);
    aero_admin__field_u32(&b_, AERO_ADMIN_FIELD_WRITE_QUOTA, write_quota);
    return finish(client, &b_, deadline, err);
}

static aero_status users_block(const uint8_t *body, size_t len, void *list, bool *done, aero_error *err) {
    return aero_admin__parse_users(body, len, list, done, err);
}

static aero_status roles_block(const uint8_t *body, size_t len, void *list, bool *done, aero_error *err) {
    return aero_admin__parse_roles(body, len, list, done, err);
}

/*
 * QUERY_USERS / QUERY_ROLES for one name (field `field`) or all (name NULL):
 * the entries go into `list` through `parse`.
 */
static aero_status query(aero_client *client, const aero_admin_policy *policy, uint8_t cmd, uint8_t field,
                         const char *name, const char *what, bool has_out, block_fn parse, void *list,
                         aero_error *err) {
    uint64_t deadline;
    aero_status st = start(client, policy, &deadline, err);
    if (st == AERO_OK && !has_out)
        st = aero_err__set(err, AERO_ERR_PARAM, "a query needs an output pointer");
    if (st == AERO_OK && name)
        st = aero_admin__check_name(name, what, err);
    if (st != AERO_OK)
        return st;
    BEGIN(cmd);
    if (name)
        aero_admin__field_str(&b_, field, name);
    st = run(client, &b_, deadline, parse, list, err);
    aero_buf__free(&b_);
    return st;
}

AERO_API aero_status aero_admin_query_users(aero_client *client, const aero_admin_policy *policy, const char *user,
                                            aero_user_list **out, aero_error *err) {
    if (out)
        *out = NULL;
    aero_user_list *list = calloc(1, sizeof *list);
    if (!list)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a user list");
    aero_status st = query(client, policy, AERO_ADMIN_QUERY_USERS, AERO_ADMIN_FIELD_USER, user, "user name",
                           out != NULL, users_block, list, err);
    if (st != AERO_OK)
        aero_user_list_free(list);
    else
        *out = list;
    return st;
}

AERO_API aero_status aero_admin_query_roles(aero_client *client, const aero_admin_policy *policy, const char *role,
                                            aero_role_list **out, aero_error *err) {
    if (out)
        *out = NULL;
    aero_role_list *list = calloc(1, sizeof *list);
    if (!list)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a role list");
    aero_status st = query(client, policy, AERO_ADMIN_QUERY_ROLES, AERO_ADMIN_FIELD_ROLE, role, "role name",
                           out != NULL, roles_block, list, err);
    if (st != AERO_OK)
        aero_role_list_free(list);
    else
        *out = list;
    return st;
}
