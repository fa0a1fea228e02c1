/*
 * test_auth.c - authentication and user/role administration through the
 * public API (issue 13): login success and each way it fails, role checks
 * on record commands, the session token reused by new connections and
 * replaced after it expires on the server's (virtual) clock, and round
 * trips of every admin command.
 *
 * Community Edition has no security, so these run against an in-process
 * aero-testserver with security on (Enterprise behaviour). With AERO_HOSTS
 * set they are skipped with a message, except test_community_refuses_login,
 * which checks that a real Community server answers a login clearly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SESSION_TTL 600

typedef struct env {
    aero_testserver *ts;
    aero_client *admin; /* logged in as admin/admin */
} env;

static aero_testserver *start_server(bool security, unsigned nodes, uint32_t session_ttl) {
    aero_testserver_config tc;
    aero_testserver_config_init(&tc);
    tc.security = security;
    tc.nodes = nodes;
    tc.session_ttl = session_ttl;
    tc.virtual_clock = true;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&tc, &err);
    if (!ts)
        fprintf(stderr, "cannot start the test server: %s\n", err.message);
    return ts;
}

static aero_client *connect_as(const char *seeds, const char *user, const char *password, aero_error *err) {
    aero_client_config cfg;
    aero_client_config_init(&cfg);
    cfg.user = user;
    cfg.password = password;
    cfg.tend_interval_ms = 100;
    return aero_client_connect(seeds, &cfg, err);
}

/* A server of its own with security on, and admin logged in (for tests that count logins from zero). */
static env secured(unsigned nodes, uint32_t session_ttl) {
    env e = { start_server(true, nodes, session_ttl), NULL };
    assert_non_null(e.ts);
    aero_error err;
    e.admin = connect_as(aero_testserver_seeds(e.ts), "admin", "admin", &err);
    assert_non_null(e.admin);
    return e;
}

static void secured_end(env *e) {
    aero_client_close(e->admin);
    aero_testserver_stop(e->ts);
}

static int setup(void **state) {
    if (it_hosts()) {
        *state = NULL;
        return 0;
    }
    env *e = calloc(1, sizeof *e);
    if (!e || !(e->ts = start_server(true, 1, SESSION_TTL)))
        return -1;
    aero_error err;
    e->admin = connect_as(aero_testserver_seeds(e->ts), "admin", "admin", &err);
    if (!e->admin) {
        fprintf(stderr, "cannot log in as admin: %s\n", err.message);
        return -1;
    }
    *state = e;
    return 0;
}

static int teardown(void **state) {
    env *e = *state;
    if (e) {
        aero_client_close(e->admin);
        aero_testserver_stop(e->ts);
        free(e);
    }
    return 0;
}

#define NEED_TESTSERVER(e)                                                                                       \
    do {                                                                                                         \
        if (!(e)) {                                                                                              \
            print_message("skipped: needs Enterprise security, which Community Edition lacks (runs against the " \
                          "test server only)\n");                                                                \
            skip();                                                                                              \
        }                                                                                                        \
    } while (0)

static void stats(env *e, unsigned long *logins, unsigned long *auths) {
    char out[128];
    aero_error err;
    assert_aero_ok(aero_testserver_control(e->ts, "security-stats", out, sizeof out, &err), &err);
    assert_int_equal(sscanf(out, "logins=%lu;authentications=%lu", logins, auths), 2);
}

static aero_status put_int(aero_client *c, const char *set, const char *id, int64_t v, aero_error *err) {
    aero_session *s = aero_client_create_session(c, NULL, err);
    if (!s)
        return err->code;
    aero_dataset ds = aero_dataset_of("test", set);
    aero_key k = aero_dataset_id_str(&ds, id);
    aero_bin_value b = { "v", aero_int(v) };
    aero_status st = aero_session_put(s, &k, &b, 1, err);
    aero_session_free(s);
    return st;
}

static aero_status get_int(aero_client *c, const char *set, const char *id, int64_t *v, aero_error *err) {
    aero_session *s = aero_client_create_session(c, NULL, err);
    if (!s)
        return err->code;
    aero_dataset ds = aero_dataset_of("test", set);
    aero_key k = aero_dataset_id_str(&ds, id);
    aero_record rec;
    aero_record_init(&rec);
    aero_status st = aero_session_get(s, &k, NULL, 0, &rec, err);
    if (st == AERO_OK)
        *v = aero_record_int(&rec, "v", -1);
    aero_record_dispose(&rec);
    aero_session_free(s);
    return st;
}

/*
 * OK rows of a scan of `set` (keys NULL) or of a batch read of keys; the
 * stream's final code, or else the first row's own non-OK result (a batch
 * row carries its node's failure).
 */
static aero_status query_rows(aero_client *c, const char *set, const aero_key *keys, size_t n, size_t *rows,
                              aero_error *err) {
    *rows = 0;
    aero_session *s = aero_client_create_session(c, NULL, err);
    if (!s)
        return err->code;
    aero_dataset ds = aero_dataset_of("test", set);
    aero_query *q = keys ? aero_session_query_keys(s, keys, n) : aero_session_query(s, &ds);
    aero_stream *st = aero_query_execute(q, err);
    aero_status code = err->code;
    aero_status row_code = AERO_OK;
    if (st) {
        for (const aero_record *r; (r = aero_stream_next(st, err));) {
            if (r->result == AERO_OK)
                (*rows)++;
            else if (row_code == AERO_OK)
                row_code = r->result;
        }
        code = err->code != AERO_OK ? err->code : row_code;
        aero_stream_close(st);
    }
    aero_session_free(s);
    return code;
}

static void make_user(env *e, const char *user, const char *password, const char *role) {
    aero_error err;
    const char *roles[] = { role };
    assert_aero_ok(aero_admin_create_user(e->admin, NULL, user, password, roles, role ? 1 : 0, &err), &err);
}

static void test_login_success(void **state) {
    env *e = *state;
    NEED_TESTSERVER(e);
    make_user(e, "alice", "wonderland", "read-write");
    aero_error err;
    aero_client *c = connect_as(aero_testserver_seeds(e->ts), "alice", "wonderland", &err);
    assert_non_null(c);
    assert_aero_ok(put_int(c, "auth", "k1", 7, &err), &err);
    int64_t v = 0;
    assert_aero_ok(get_int(c, "auth", "k1", &v, &err), &err);
    assert_int_equal(v, 7);
    aero_client_close(c);
}

static void test_login_failures(void **state) {
    env *e = *state;
    NEED_TESTSERVER(e);
    const char *seeds = aero_testserver_seeds(e->ts);
    aero_error err;
    assert_null(connect_as(seeds, "nobody", "x", &err));
    assert_int_equal(err.code, AERO_ERR_INVALID_USER);
    assert_non_null(strstr(err.message, "INVALID_USER"));
    assert_true(aero_status_is_security(err.code));

    make_user(e, "bob", "right", "read");
    assert_null(connect_as(seeds, "bob", "wrong", &err));
    assert_int_equal(err.code, AERO_ERR_INVALID_PASSWORD);
    assert_non_null(strstr(err.message, "wrong password"));

    assert_aero_ok(aero_testserver_control(e->ts, "security-expire-password;user=bob", NULL, 0, &err), &err);
    assert_null(connect_as(seeds, "bob", "right", &err));
    assert_int_equal(err.code, AERO_ERR_EXPIRED_PASSWORD);
    assert_aero_ok(aero_admin_set_password(e->admin, NULL, "bob", "renewed", &err), &err);
    aero_client *c = connect_as(seeds, "bob", "renewed", &err);
    assert_non_null(c);
    aero_client_close(c);

    /* no credentials at all: tending works (its info commands need no login), records do not */
    aero_client *anon = aero_client_connect(seeds, NULL, &err);
    assert_non_null(anon);
    assert_int_equal(put_int(anon, "auth", "k2", 1, &err), AERO_ERR_NOT_AUTHENTICATED);
    char out[64];
    assert_int_equal(aero_client_info(anon, "truncate:namespace=test;set=auth", out, sizeof out, &err),
                     AERO_ERR_NOT_AUTHENTICATED);
    aero_client_close(anon);
}

static void test_role_violation(void **state) {
    env *e = *state;
    NEED_TESTSERVER(e);
    aero_error err;
    aero_privilege p = { AERO_PRIV_READ, "test", "open" };
    assert_aero_ok(aero_admin_create_role(e->admin, NULL, "reader-open", &p, 1, NULL, 0, 0, 0, &err), &err);
    make_user(e, "carol", "pw", "reader-open");
    aero_client *c = connect_as(aero_testserver_seeds(e->ts), "carol", "pw", &err);
    assert_non_null(c);
    int64_t v;
    assert_int_equal(get_int(c, "open", "k", &v, &err), AERO_ERR_KEY_NOT_FOUND); /* allowed: just absent */
    assert_int_equal(put_int(c, "open", "k", 1, &err), AERO_ERR_ROLE_VIOLATION);
    assert_int_equal(get_int(c, "closed", "k", &v, &err), AERO_ERR_ROLE_VIOLATION);
    char out[64];
    assert_int_equal(aero_client_info(c, "truncate:namespace=test;set=open", out, sizeof out, &err),
                     AERO_ERR_ROLE_VIOLATION);
    /* admin commands need user-admin */
    assert_int_equal(aero_admin_create_user(c, NULL, "mallory", "pw", NULL, 0, &err), AERO_ERR_ROLE_VIOLATION);

    /* a privilege granted now applies to the connections already open */
    aero_privilege w = { AERO_PRIV_WRITE, "test", "open" };
    assert_aero_ok(aero_admin_grant_privileges(e->admin, NULL, "reader-open", &w, 1, &err), &err);
    assert_aero_ok(put_int(c, "open", "k", 2, &err), &err);
    assert_aero_ok(aero_admin_revoke_privileges(e->admin, NULL, "reader-open", &w, 1, &err), &err);
    assert_int_equal(put_int(c, "open", "k", 3, &err), AERO_ERR_ROLE_VIOLATION);
    aero_client_close(c);
}

static void test_token_reused_then_renewed(void **state) {
    (void)state;
    if (it_hosts()) {
        NEED_TESTSERVER(NULL);
    }
    env fresh = secured(1, SESSION_TTL);
    env *e = &fresh;
    aero_error err;
    unsigned long logins, auths;
    stats(e, &logins, &auths);
    assert_int_equal(logins, 1); /* the seed connection logged in */
    assert_int_equal(auths, 0);
    make_user(e, "dave", "pw", "read-write");
    stats(e, &logins, &auths);
    assert_int_equal(logins, 1); /* the admin command's connection reused the token */
    assert_int_equal(auths, 1);

    aero_client *c = connect_as(aero_testserver_seeds(e->ts), "dave", "pw", &err);
    assert_non_null(c);
    for (int i = 0; i < 3; i++)
        assert_aero_ok(put_int(c, "auth", "t", 1, &err), &err);
    stats(e, &logins, &auths);
    assert_int_equal(logins, 2); /* dave's seed connection */
    assert_int_equal(auths, 2);  /* dave's command connection, once */

    /* the token expires on the server's clock; the next new connection logs in again */
    aero_testserver_clock_advance(e->ts, SESSION_TTL + 1);
    assert_aero_ok(aero_testserver_inject(e->ts, 0, AERO_TS_FAULT_DROP, 0, 1, &err), &err);
    int64_t v = 0;
    assert_aero_ok(get_int(c, "auth", "t", &v, &err), &err); /* dropped, retried on a new connection */
    assert_int_equal(v, 1);
    stats(e, &logins, &auths);
    assert_int_equal(logins, 3);
    assert_int_equal(auths, 2);
    /* and the renewed token serves the connections after it */
    assert_aero_ok(aero_testserver_inject(e->ts, 0, AERO_TS_FAULT_DROP, 0, 1, &err), &err);
    assert_aero_ok(get_int(c, "auth", "t", &v, &err), &err);
    stats(e, &logins, &auths);
    assert_int_equal(logins, 3);
    assert_int_equal(auths, 3);
    aero_client_close(c);
    secured_end(e);
}

static void test_admin_users(void **state) {
    env *e = *state;
    NEED_TESTSERVER(e);
    aero_error err;
    const char *roles[] = { "read", "write" };
    assert_aero_ok(aero_admin_create_user(e->admin, NULL, "erin", "pw1", roles, 2, &err), &err);
    assert_int_equal(aero_admin_create_user(e->admin, NULL, "erin", "pw1", NULL, 0, &err),
                     AERO_ERR_USER_ALREADY_EXISTS);
    const char *bad[] = { "no-such-role" };
    assert_int_equal(aero_admin_grant_roles(e->admin, NULL, "erin", bad, 1, &err), AERO_ERR_INVALID_ROLE);
    assert_int_equal(aero_admin_create_user(e->admin, NULL, NULL, "pw", NULL, 0, &err), AERO_ERR_PARAM);
    assert_int_equal(aero_admin_create_user(e->admin, NULL, "x", NULL, NULL, 0, &err), AERO_ERR_PARAM);

    aero_user_list *ul = NULL;
    assert_aero_ok(aero_admin_query_users(e->admin, NULL, "erin", &ul, &err), &err);
    assert_int_equal(ul->n, 1);
    assert_string_equal(ul->users[0].name, "erin");
    assert_int_equal(ul->users[0].n_roles, 2);
    assert_string_equal(ul->users[0].roles[0], "read");
    assert_string_equal(ul->users[0].roles[1], "write");
    aero_user_list_free(ul);

    const char *rw[] = { "read-write" };
    assert_aero_ok(aero_admin_grant_roles(e->admin, NULL, "erin", rw, 1, &err), &err);
    assert_aero_ok(aero_admin_revoke_roles(e->admin, NULL, "erin", roles, 2, &err), &err);
    assert_aero_ok(aero_admin_query_users(e->admin, NULL, NULL, &ul, &err), &err);
    bool seen_admin = false, seen_erin = false;
    for (size_t i = 0; i < ul->n; i++) {
        if (!strcmp(ul->users[i].name, "admin")) {
            seen_admin = true;
            assert_int_equal(ul->users[i].n_roles, 1);
            assert_string_equal(ul->users[i].roles[0], "user-admin");
            assert_true(ul->users[i].connections >= 1);
        }
        if (!strcmp(ul->users[i].name, "erin")) {
            seen_erin = true;
            assert_int_equal(ul->users[i].n_roles, 1);
            assert_string_equal(ul->users[i].roles[0], "read-write");
        }
    }
    assert_true(seen_admin && seen_erin);
    aero_user_list_free(ul);

    /* the user changes its own password: new clients need the new one, this one keeps working */
    aero_client *c = connect_as(aero_testserver_seeds(e->ts), "erin", "pw1", &err);
    assert_non_null(c);
    assert_aero_ok(aero_admin_change_password(c, NULL, "pw2", &err), &err);
    aero_client *old = connect_as(aero_testserver_seeds(e->ts), "erin", "pw1", &err);
    assert_null(old);
    assert_int_equal(err.code, AERO_ERR_INVALID_PASSWORD);
    aero_client *neu = connect_as(aero_testserver_seeds(e->ts), "erin", "pw2", &err);
    assert_non_null(neu);
    aero_client_close(neu);
    assert_aero_ok(put_int(c, "auth", "e", 5, &err), &err);
    aero_client_close(c);

    assert_aero_ok(aero_admin_drop_user(e->admin, NULL, "erin", &err), &err);
    assert_int_equal(aero_admin_query_users(e->admin, NULL, "erin", &ul, &err), AERO_ERR_INVALID_USER);
    assert_null(ul);
    assert_int_equal(aero_admin_drop_user(e->admin, NULL, "erin", &err), AERO_ERR_INVALID_USER);
}

static void test_admin_roles(void **state) {
    env *e = *state;
    NEED_TESTSERVER(e);
    aero_error err;
    aero_privilege privs[] = { { AERO_PRIV_READ, "test", "" },
                               { AERO_PRIV_READ_WRITE, "test", "orders" },
                               { AERO_PRIV_SINDEX_ADMIN, "", "" } };
    const char *wl[] = { "127.0.0.0/8", "10.1.2.3" };
    assert_aero_ok(aero_admin_create_role(e->admin, NULL, "app", privs, 3, wl, 2, 0, 0, &err), &err);
    assert_int_equal(aero_admin_create_role(e->admin, NULL, "app", privs, 1, NULL, 0, 0, 0, &err),
                     AERO_ERR_ROLE_ALREADY_EXISTS);
    aero_privilege scoped_admin = { AERO_PRIV_SYS_ADMIN, "test", "" };
    assert_int_equal(aero_admin_create_role(e->admin, NULL, "bad", &scoped_admin, 1, NULL, 0, 0, 0, &err),
                     AERO_ERR_PARAM); /* refused before sending */
    const char *bad_wl[] = { "not-an-address" };
    assert_int_equal(aero_admin_create_role(e->admin, NULL, "bad", NULL, 0, bad_wl, 1, 0, 0, &err),
                     AERO_ERR_INVALID_WHITELIST);
    assert_int_equal(aero_admin_create_role(e->admin, NULL, "quota", NULL, 0, NULL, 0, 100, 0, &err),
                     AERO_ERR_QUOTAS_NOT_ENABLED);

    aero_role_list *rl = NULL;
    assert_aero_ok(aero_admin_query_roles(e->admin, NULL, "app", &rl, &err), &err);
    assert_int_equal(rl->n, 1);
    const aero_role_info *r = &rl->roles[0];
    assert_string_equal(r->name, "app");
    assert_int_equal(r->n_privileges, 3);
    assert_int_equal(r->privileges[0].code, AERO_PRIV_READ);
    assert_string_equal(r->privileges[0].ns, "test");
    assert_string_equal(r->privileges[0].set, "");
    assert_int_equal(r->privileges[1].code, AERO_PRIV_READ_WRITE);
    assert_string_equal(r->privileges[1].set, "orders");
    assert_int_equal(r->privileges[2].code, AERO_PRIV_SINDEX_ADMIN);
    assert_int_equal(r->n_whitelist, 2);
    assert_string_equal(r->whitelist[0], "127.0.0.0/8");
    assert_string_equal(r->whitelist[1], "10.1.2.3");
    aero_role_list_free(rl);

    /* the allowlist is enforced at login */
    make_user(e, "frank", "pw", "app");
    aero_client *c = connect_as(aero_testserver_seeds(e->ts), "frank", "pw", &err);
    assert_non_null(c);
    aero_client_close(c);
    const char *far[] = { "10.9.9.9" };
    assert_aero_ok(aero_admin_set_whitelist(e->admin, NULL, "app", far, 1, &err), &err);
    assert_null(connect_as(aero_testserver_seeds(e->ts), "frank", "pw", &err));
    assert_int_equal(err.code, AERO_ERR_NOT_WHITELISTED);
    assert_aero_ok(aero_admin_set_whitelist(e->admin, NULL, "app", NULL, 0, &err), &err);

    /* quotas, once the server enables them */
    assert_int_equal(aero_admin_set_quotas(e->admin, NULL, "app", 10, 20, &err), AERO_ERR_QUOTAS_NOT_ENABLED);
    assert_aero_ok(aero_testserver_control(e->ts, "security;quotas=true", NULL, 0, &err), &err);
    assert_aero_ok(aero_admin_set_quotas(e->admin, NULL, "app", 10, 20, &err), &err);
    assert_aero_ok(aero_admin_query_roles(e->admin, NULL, NULL, &rl, &err), &err);
    bool seen = false, seen_predefined = false;
    for (size_t i = 0; i < rl->n; i++) {
        if (!strcmp(rl->roles[i].name, "app")) {
            seen = true;
            assert_int_equal(rl->roles[i].read_quota, 10);
            assert_int_equal(rl->roles[i].write_quota, 20);
            assert_int_equal(rl->roles[i].n_whitelist, 0);
        }
        if (!strcmp(rl->roles[i].name, "read-write")) {
            seen_predefined = true;
            assert_int_equal(rl->roles[i].n_privileges, 1);
            assert_int_equal(rl->roles[i].privileges[0].code, AERO_PRIV_READ_WRITE);
        }
    }
    assert_true(seen && seen_predefined);
    aero_role_list_free(rl);

    assert_aero_ok(aero_admin_drop_role(e->admin, NULL, "app", &err), &err);
    assert_int_equal(aero_admin_query_roles(e->admin, NULL, "app", &rl, &err), AERO_ERR_INVALID_ROLE);
    assert_int_equal(aero_admin_drop_role(e->admin, NULL, "app", &err), AERO_ERR_INVALID_ROLE);
    aero_user_list *ul = NULL;
    assert_aero_ok(aero_admin_query_users(e->admin, NULL, "frank", &ul, &err), &err);
    assert_int_equal(ul->users[0].n_roles, 0); /* the dropped role left its users */
    aero_user_list_free(ul);
}

/* A user dropped while its client is connected: NOT_AUTHENTICATED, then the client logs in anew when it is back. */
static void test_dropped_user(void **state) {
    env *e = *state;
    NEED_TESTSERVER(e);
    make_user(e, "gina", "pw", "read-write");
    aero_error err;
    aero_client *c = connect_as(aero_testserver_seeds(e->ts), "gina", "pw", &err);
    assert_non_null(c);
    assert_aero_ok(put_int(c, "auth", "g", 1, &err), &err);
    aero_dataset ds = aero_dataset_of("test", "auth-gina");
    aero_key keys[2] = { aero_dataset_id_str(&ds, "a"), aero_dataset_id_str(&ds, "b") };
    assert_aero_ok(put_int(c, "auth-gina", "a", 1, &err), &err);
    assert_aero_ok(put_int(c, "auth-gina", "b", 2, &err), &err);
    size_t rows = 0;
    assert_aero_ok(query_rows(c, "auth-gina", NULL, 0, &rows, &err), &err);
    assert_int_equal(rows, 2);
    assert_aero_ok(aero_admin_drop_user(e->admin, NULL, "gina", &err), &err);
    assert_int_equal(put_int(c, "auth", "g", 2, &err), AERO_ERR_NOT_AUTHENTICATED);
    /* the next connection presents the old token, is refused, and the login finds no such user */
    assert_int_equal(put_int(c, "auth", "g", 3, &err), AERO_ERR_INVALID_USER);
    assert_int_equal(query_rows(c, "auth-gina", keys, 2, &rows, &err), AERO_ERR_INVALID_USER);
    make_user(e, "gina", "pw", "read-write");
    assert_aero_ok(put_int(c, "auth", "g", 4, &err), &err);
    int64_t v = 0;
    assert_aero_ok(get_int(c, "auth", "g", &v, &err), &err);
    assert_int_equal(v, 4);
    /*
     * A scan, then a batch, on the connection the drop left unauthenticated:
     * the same answer, the connection closed and the token dropped, so the
     * next command logs in (and finds no such user) until the user is back.
     */
    for (int batch_first = 0; batch_first < 2; batch_first++) {
        assert_aero_ok(query_rows(c, "auth-gina", keys, 2, &rows, &err), &err);
        assert_int_equal(rows, 2);
        assert_aero_ok(aero_admin_drop_user(e->admin, NULL, "gina", &err), &err);
        assert_int_equal(query_rows(c, "auth-gina", batch_first ? keys : NULL, 2, &rows, &err),
                         AERO_ERR_NOT_AUTHENTICATED);
        assert_int_equal(query_rows(c, "auth-gina", batch_first ? NULL : keys, 2, &rows, &err), AERO_ERR_INVALID_USER);
        make_user(e, "gina", "pw", "read-write");
        assert_aero_ok(query_rows(c, "auth-gina", NULL, 0, &rows, &err), &err);
        assert_int_equal(rows, 2);
    }
    aero_client_close(c);
}

/* Every node of a cluster is logged in once (seed and peers), then serves records on reused tokens. */
static void test_cluster_login(void **state) {
    (void)state;
    if (it_hosts()) {
        NEED_TESTSERVER(NULL);
    }
    env e = secured(3, SESSION_TTL);
    aero_error err;
    make_user(&e, "hank", "pw", "read-write");
    aero_client *c = connect_as(aero_testserver_seeds(e.ts), "hank", "pw", &err);
    assert_non_null(c);
    for (int i = 0; i < 60; i++) { /* keys over every node */
        char id[16];
        snprintf(id, sizeof id, "c%d", i);
        assert_aero_ok(put_int(c, "auth", id, i, &err), &err);
    }
    unsigned long logins, auths;
    stats(&e, &logins, &auths);
    assert_int_equal(logins, 6); /* 3 nodes for admin, 3 for hank */
    assert_int_equal(auths, 4);  /* admin's one command connection, and one per node for hank: all on tokens */
    aero_client_close(c);
    secured_end(&e);
}

/*
 * A version 1 config has no `security` member (it is never read), and the
 * control command switches access control on while the server runs.
 */
static void test_config_v1_and_control(void **state) {
    (void)state;
    if (it_hosts()) {
        NEED_TESTSERVER(NULL);
    }
    aero_testserver_config tc;
    aero_testserver_config_init(&tc);
    tc.version = 1;
    tc.security = true; /* past the end of a version 1 struct: ignored */
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&tc, &err);
    assert_non_null(ts);
    assert_null(connect_as(aero_testserver_seeds(ts), "admin", "admin", &err));
    assert_int_equal(err.code, AERO_ERR_SECURITY_NOT_SUPPORTED);
    char out[32];
    assert_aero_ok(aero_testserver_control(ts, "security;enabled=true;session-ttl=3600", out, sizeof out, &err), &err);
    assert_string_equal(out, "ok");
    aero_client *c = connect_as(aero_testserver_seeds(ts), "admin", "admin", &err);
    assert_non_null(c);
    aero_client_close(c);
    assert_int_equal(aero_testserver_control(ts, "security-expire-password;user=nobody", out, sizeof out, &err),
                     AERO_ERR_PARAM);
    assert_aero_ok(aero_testserver_control(ts, "security;enabled=false", NULL, 0, &err), &err);
    c = aero_client_connect(aero_testserver_seeds(ts), NULL, &err);
    assert_non_null(c);
    assert_aero_ok(put_int(c, "auth", "v1", 1, &err), &err); /* no login needed any more */
    /* refused before anything is sent */
    assert_int_equal(aero_admin_change_password(c, NULL, "new", &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "logged in with a user"));
    aero_admin_policy bad = { 99, 0 };
    assert_int_equal(aero_admin_drop_user(c, &bad, "u", &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "aero_admin_policy version 99"));
    assert_int_equal(aero_admin_drop_user(NULL, NULL, "u", &err), AERO_ERR_PARAM);
    assert_int_equal(aero_admin_query_roles(c, NULL, NULL, NULL, &err), AERO_ERR_PARAM);
    aero_privilege none[1];
    assert_int_equal(aero_admin_grant_privileges(c, NULL, "r", none, 0, &err), AERO_ERR_PARAM);
    aero_client_close(c);
    aero_testserver_stop(ts);
}

/*
 * The client counts a token as expired a minute before the server's TTL: with
 * a TTL under a minute no token is ever reused and each new connection logs in.
 */
static void test_short_session_ttl(void **state) {
    (void)state;
    if (it_hosts()) {
        NEED_TESTSERVER(NULL);
    }
    env e = secured(1, 30);
    aero_error err;
    aero_user_list *ul = NULL;
    assert_aero_ok(aero_admin_query_users(e.admin, NULL, NULL, &ul, &err), &err); /* a second connection */
    aero_user_list_free(ul);
    unsigned long logins, auths;
    stats(&e, &logins, &auths);
    assert_int_equal(logins, 2);
    assert_int_equal(auths, 0);
    secured_end(&e);
}

/* No security on the server: a login attempt is answered 51, with a message that says what to do. */
static void test_community_refuses_login(void **state) {
    (void)state;
    aero_testserver *ts = NULL;
    const char *seeds = it_hosts();
    if (!seeds) {
        ts = start_server(false, 1, SESSION_TTL);
        assert_non_null(ts);
        seeds = aero_testserver_seeds(ts);
    }
    aero_error err;
    aero_client *c = connect_as(seeds, "admin", "admin", &err);
    assert_null(c);
    assert_int_equal(err.code, AERO_ERR_SECURITY_NOT_SUPPORTED);
    assert_non_null(strstr(err.message, "Community Edition"));
    /* and an admin command from a client without credentials */
    c = aero_client_connect(seeds, NULL, &err);
    assert_non_null(c);
    assert_int_equal(aero_admin_create_user(c, NULL, "u", "p", NULL, 0, &err), AERO_ERR_SECURITY_NOT_SUPPORTED);
    aero_client_close(c);
    aero_testserver_stop(ts);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_success),
        cmocka_unit_test(test_login_failures),
        cmocka_unit_test(test_role_violation),
        cmocka_unit_test(test_token_reused_then_renewed),
        cmocka_unit_test(test_admin_users),
        cmocka_unit_test(test_admin_roles),
        cmocka_unit_test(test_dropped_user),
        cmocka_unit_test(test_cluster_login),
        cmocka_unit_test(test_short_session_ttl),
        cmocka_unit_test(test_config_v1_and_control),
        cmocka_unit_test(test_community_refuses_login),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
