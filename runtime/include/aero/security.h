/*
 * aero/security.h - authentication modes, and user and role administration
 * (Aerospike Enterprise Edition access control).
 *
 * Authentication is configured on the client (aero_client_config: user,
 * password, auth_mode; see client.h). Every connection the client opens
 * then logs in before its first command: the first one of a node with the
 * user and the password hashed as every Aerospike client hashes it (bcrypt
 * with the protocol's fixed salt: the clear password never leaves the client
 * in INTERNAL mode), the later ones with the session token that login
 * returned. A token that expires, or that the server no longer accepts,
 * is replaced by a new login on the next connection.
 *
 * The administration calls below run one admin command on one node of the
 * cluster (security settings are cluster-wide: every node applies them).
 * They need a user with the user-admin privilege (the user-admin role).
 *
 *     aero_privilege p = { AERO_PRIV_READ_WRITE, "test", "users" };
 *     aero_admin_create_role(client, NULL, "app", &p, 1, NULL, 0, 0, 0, &err);
 *     const char *roles[] = { "app" };
 *     aero_admin_create_user(client, NULL, "svc", "s3cret", roles, 1, &err);
 *
 * Errors: the server's security codes with their Aerospike numbers
 * (error.h: AERO_ERR_INVALID_USER 60, AERO_ERR_USER_ALREADY_EXISTS 61,
 * AERO_ERR_INVALID_PASSWORD 62, AERO_ERR_INVALID_ROLE 70,
 * AERO_ERR_ROLE_ALREADY_EXISTS 71, AERO_ERR_INVALID_PRIVILEGE 72,
 * AERO_ERR_ROLE_VIOLATION 81 without user-admin, ...), and
 * AERO_ERR_SECURITY_NOT_SUPPORTED (51) from a Community Edition server,
 * which has no access control at all. AERO_ERR_PARAM for bad arguments
 * (a NULL or empty name, a name longer than 255 bytes, more than 255
 * roles or privileges, a namespace or set on a global privilege), refused
 * before anything is sent.
 */
#ifndef AERO_SECURITY_H
#define AERO_SECURITY_H

#include <aero/error.h>
#include <aero/types.h>

AERO_BEGIN_DECLS

/** How the client authenticates (aero_client_config.auth_mode). */
typedef enum aero_auth_mode {
    /** Users defined in the server; the password is sent bcrypt-hashed. The default. */
    AERO_AUTH_INTERNAL = 0,
    /**
     * External users (LDAP): the clear password is sent too, so that the
     * server can check it with the directory. Refused without TLS.
     */
    AERO_AUTH_EXTERNAL = 1,
    /** The client certificate is the identity (no user, no password). Needs TLS with a client certificate. */
    AERO_AUTH_PKI = 2,
} aero_auth_mode;

/** Privilege codes, with the server's numbers. The global ones (below 10) take no namespace or set. */
typedef enum aero_privilege_code {
    AERO_PRIV_USER_ADMIN = 0,      /**< manage users and roles (global) */
    AERO_PRIV_SYS_ADMIN = 1,       /**< server configuration and info commands that change state (global) */
    AERO_PRIV_DATA_ADMIN = 2,      /**< secondary indexes, UDF modules, truncate (global) */
    AERO_PRIV_UDF_ADMIN = 3,       /**< UDF modules (global) */
    AERO_PRIV_SINDEX_ADMIN = 4,    /**< secondary indexes (global) */
    AERO_PRIV_READ = 10,           /**< read records (namespace / set scope) */
    AERO_PRIV_READ_WRITE = 11,     /**< read and write records (scope) */
    AERO_PRIV_READ_WRITE_UDF = 12, /**< read, write and apply UDFs (scope) */
    AERO_PRIV_WRITE = 13,          /**< write records (scope) */
    AERO_PRIV_TRUNCATE = 14,       /**< truncate (scope) */
} aero_privilege_code;

/** Longest namespace name, plus its NUL. */
#define AERO_PRIV_NS_SIZE 32
/** Longest set name, plus its NUL. */
#define AERO_PRIV_SET_SIZE 64

/**
 * One privilege: a code and, for the data privileges (10 and above), a scope.
 * An empty ns means every namespace; an empty set means every set of ns.
 * A value struct for the caller's storage.
 */
typedef struct aero_privilege {
    aero_privilege_code code;
    char ns[AERO_PRIV_NS_SIZE];
    char set[AERO_PRIV_SET_SIZE];
} aero_privilege;

/** Name of a privilege code as the server's configuration spells it ("read-write"), "unknown" otherwise. */
AERO_API const char *aero_privilege_code_str(aero_privilege_code code);

/** Version of aero_admin_policy these headers describe. */
#define AERO_ADMIN_POLICY_VERSION 1

/** Settings of one admin call (a versioned struct, see common.h). NULL means the defaults. */
typedef struct aero_admin_policy {
    uint32_t version;    /**< AERO_ADMIN_POLICY_VERSION */
    uint32_t timeout_ms; /**< whole call, connect included; default 5000 (0 also means 5000) */
} aero_admin_policy;

/** The defaults: `aero_admin_policy p = AERO_ADMIN_POLICY_INIT;` */
#define AERO_ADMIN_POLICY_INIT \
    { AERO_ADMIN_POLICY_VERSION, 5000 }

/** Fill `p` with AERO_ADMIN_POLICY_INIT. */
static inline void aero_admin_policy_init(aero_admin_policy *p) {
    const aero_admin_policy defaults = AERO_ADMIN_POLICY_INIT;
    *p = defaults;
}

/* ---------------- users ---------------- */

/** Create a user with a password and roles (n_roles may be 0). AERO_ERR_USER_ALREADY_EXISTS if it exists. */
AERO_API aero_status aero_admin_create_user(aero_client *client, const aero_admin_policy *policy, const char *user,
                                            const char *password, const char *const *roles, size_t n_roles,
                                            aero_error *err);

/** Drop a user. AERO_ERR_INVALID_USER if there is none. Its open connections stop being served. */
AERO_API aero_status aero_admin_drop_user(aero_client *client, const aero_admin_policy *policy, const char *user,
                                          aero_error *err);

/**
 * Set another user's password (needs user-admin). When `user` is the
 * client's own user, the client logs in with the new password from then on.
 */
AERO_API aero_status aero_admin_set_password(aero_client *client, const aero_admin_policy *policy, const char *user,
                                             const char *password, aero_error *err);

/**
 * Change the client's own password (no user-admin needed): sends the old
 * one (the configured password, hashed) and the new one. On success the
 * client logs in with the new password from then on. AERO_ERR_PARAM when
 * the client has no user configured (PKI or no security).
 */
AERO_API aero_status aero_admin_change_password(aero_client *client, const aero_admin_policy *policy,
                                                const char *new_password, aero_error *err);

/** Add roles to a user. AERO_ERR_INVALID_ROLE for a role that does not exist. */
AERO_API aero_status aero_admin_grant_roles(aero_client *client, const aero_admin_policy *policy, const char *user,
                                            const char *const *roles, size_t n_roles, aero_error *err);

/** Remove roles from a user. */
AERO_API aero_status aero_admin_revoke_roles(aero_client *client, const aero_admin_policy *policy, const char *user,
                                             const char *const *roles, size_t n_roles, aero_error *err);

/** A user as the server describes it. Owned by its aero_user_list. */
typedef struct aero_user_info {
    const char *name;
    const char *const *roles; /**< n_roles names, in the server's order */
    size_t n_roles;
    const uint32_t *read_info; /**< read statistics (quota, TPS, scan/query RPS, limitless count), may be empty */
    size_t n_read_info;
    const uint32_t *write_info; /**< write statistics, same layout */
    size_t n_write_info;
    uint32_t connections; /**< connections open for the user */
} aero_user_info;

/** Users returned by a query; free with aero_user_list_free(). */
typedef struct aero_user_list {
    aero_user_info *users;
    size_t n;
    void *mem_; /**< private */
} aero_user_list;

/**
 * Describe one user (`user` non-NULL) or every user (NULL) into a new list
 * in *out (caller frees it; *out is NULL on failure). Querying one user
 * that does not exist: AERO_ERR_INVALID_USER.
 */
AERO_API aero_status aero_admin_query_users(aero_client *client, const aero_admin_policy *policy, const char *user,
                                            aero_user_list **out, aero_error *err);

/** Free a user list. NULL is a no-op. */
AERO_API void aero_user_list_free(aero_user_list *list);

/* ---------------- roles ---------------- */

/**
 * Create a role with privileges (may be 0), an address allowlist
 * (`whitelist`: IP addresses or CIDR ranges; n_whitelist 0 = any address)
 * and rate quotas in records per second (0 = no limit). The server answers
 * AERO_ERR_ROLE_ALREADY_EXISTS, AERO_ERR_INVALID_PRIVILEGE,
 * AERO_ERR_INVALID_WHITELIST, or AERO_ERR_QUOTAS_NOT_ENABLED (a quota while
 * the server's security config does not enable quotas).
 */
AERO_API aero_status aero_admin_create_role(aero_client *client, const aero_admin_policy *policy, const char *role,
                                            const aero_privilege *privileges, size_t n_privileges,
                                            const char *const *whitelist, size_t n_whitelist, uint32_t read_quota,
                                            uint32_t write_quota, aero_error *err);

/** Drop a role (users lose it). AERO_ERR_INVALID_ROLE if there is none. */
AERO_API aero_status aero_admin_drop_role(aero_client *client, const aero_admin_policy *policy, const char *role,
                                          aero_error *err);

/** Add privileges to a role. */
AERO_API aero_status aero_admin_grant_privileges(aero_client *client, const aero_admin_policy *policy, const char *role,
                                                 const aero_privilege *privileges, size_t n_privileges,
                                                 aero_error *err);

/** Remove privileges from a role. */
AERO_API aero_status aero_admin_revoke_privileges(aero_client *client, const aero_admin_policy *policy,
                                                  const char *role, const aero_privilege *privileges,
                                                  size_t n_privileges, aero_error *err);

/** Replace a role's allowlist (n_whitelist 0 clears it: any address). */
AERO_API aero_status aero_admin_set_whitelist(aero_client *client, const aero_admin_policy *policy, const char *role,
                                              const char *const *whitelist, size_t n_whitelist, aero_error *err);

/** Replace a role's quotas (records per second; 0 = no limit). */
AERO_API aero_status aero_admin_set_quotas(aero_client *client, const aero_admin_policy *policy, const char *role,
                                           uint32_t read_quota, uint32_t write_quota, aero_error *err);

/** A role as the server describes it. Owned by its aero_role_list. */
typedef struct aero_role_info {
    const char *name;
    const aero_privilege *privileges;
    size_t n_privileges;
    const char *const *whitelist; /**< allowed addresses, n_whitelist of them (0 = any) */
    size_t n_whitelist;
    uint32_t read_quota; /**< 0 = no limit */
    uint32_t write_quota;
} aero_role_info;

/** Roles returned by a query; free with aero_role_list_free(). */
typedef struct aero_role_list {
    aero_role_info *roles;
    size_t n;
    void *mem_; /**< private */
} aero_role_list;

/**
 * Describe one role (`role` non-NULL; the predefined ones such as
 * "read-write" included) or every role (NULL) into a new list in *out.
 * One role that does not exist: AERO_ERR_INVALID_ROLE.
 */
AERO_API aero_status aero_admin_query_roles(aero_client *client, const aero_admin_policy *policy, const char *role,
                                            aero_role_list **out, aero_error *err);

/** Free a role list. NULL is a no-op. */
AERO_API void aero_role_list_free(aero_role_list *list);

AERO_END_DECLS

#endif
