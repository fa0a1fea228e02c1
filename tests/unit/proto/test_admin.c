/*
 * Security messages (protocol.md 10): bcrypt against published vectors and
 * the protocol's own hashes, golden request bytes, and the answer decoders
 * (login, user and role queries), malformed answers included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"

#include "aero_assert.h"

#include "proto/admin_msg.h"
#include "proto/bcrypt.h"

static void bcrypt_vectors(void **state) {
    (void)state;
    /* OpenBSD / crypt_blowfish test vectors (cost 5), then protocol.md 10.2 (the fixed salt, cost 10) */
    static const char *const v[][2] = {
        { "U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW" },
        { "U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK" },
        { "U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a" },
        { "", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy" },
        { "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored",
          "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui" },
        { "admin", "$2a$10$7EqJtq98hPqEX7fNZaFWoO1mVO/4MLpGzsqojz6E9Gef6iXDjXdDa" },
        { "password", "$2a$10$7EqJtq98hPqEX7fNZaFWoOqUH6KN8IKy3Yk5Kz..RHGKNAUCoP/LG" },
        { "", "$2a$10$7EqJtq98hPqEX7fNZaFWoOLCkFexA7A9eoJ0Ew.mTDdk.E60D.9zS" },
    };
    char out[AERO_BCRYPT_HASH_LEN + 1];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        assert_true(aero_bcrypt__hash(v[i][0], v[i][1], out)); /* a full hash is its own setting */
        assert_string_equal(out, v[i][1]);
    }
    aero_bcrypt__aerospike("admin", out);
    assert_string_equal(out, v[5][1]);
    aero_bcrypt__aerospike(NULL, out); /* an unset password hashes "" */
    assert_string_equal(out, v[7][1]);
    /* the 72-byte cut: a longer key hashes like its first 72 bytes */
    char k72[80], k79[80], h72[61], h79[61];
    memset(k72, 'x', 72);
    k72[72] = '\0';
    memset(k79, 'x', 79);
    k79[79] = '\0';
    assert_true(aero_bcrypt__hash(k72, "$2a$04$abcdefghijklmnopqrstuu", h72));
    assert_true(aero_bcrypt__hash(k79, "$2a$04$abcdefghijklmnopqrstuu", h79));
    assert_string_equal(h72, h79);
    /* $2b$ and $2y$ agree with $2a$ below 256 bytes; the prefix is kept */
    assert_true(aero_bcrypt__hash("U*U", "$2b$05$CCCCCCCCCCCCCCCCCCCCC.", out));
    assert_string_equal(out, "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW");
}

static void bcrypt_bad_settings(void **state) {
    (void)state;
    char out[AERO_BCRYPT_HASH_LEN + 1];
    static const char *const bad[] = {
        "",                              /* empty */
        "$1$salt",                       /* not bcrypt */
        "$2c$10$7EqJtq98hPqEX7fNZaFWoO", /* unknown variant */
        "$2a$03$7EqJtq98hPqEX7fNZaFWoO", /* cost below 4 */
        "$2a$32$7EqJtq98hPqEX7fNZaFWoO", /* cost above 31 */
        "$2a$1x$7EqJtq98hPqEX7fNZaFWoO", /* cost not a number */
        "$2a$10$7EqJtq98hPqEX7fNZaFWo",  /* salt short by a character */
        "$2a$10$7EqJtq98hPqEX7fNZaFW!O", /* outside the alphabet */
        "$2a$10-7EqJtq98hPqEX7fNZaFWoO", /* separator */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(aero_bcrypt__hash("pw", bad[i], out));
        assert_string_equal(out, "");
    }
    assert_false(aero_bcrypt__hash(NULL, AERO_BCRYPT_AEROSPIKE_SALT, out));
}

static void golden_requests(void **state) {
    (void)state;
    uint8_t stack[64];
    aero_buf b;
    aero_buf__init(&b, stack, sizeof stack);
    char hash[AERO_BCRYPT_HASH_LEN + 1];
    aero_bcrypt__aerospike("admin", hash);
    aero_admin__begin(&b, AERO_ADMIN_LOGIN);
    aero_admin__field_str(&b, AERO_ADMIN_FIELD_USER, "admin");
    aero_admin__field_str(&b, AERO_ADMIN_FIELD_CREDENTIAL, hash);
    aero_admin__end(&b);
    assert_int_equal(b.len, 99); /* protocol.md 10.2: login as admin/admin is 99 bytes */
    assert_bytes_hex(b.data, b.len,
                     "02 02 00 00 00 00 00 5b 00 00 14 02 00 00 00 00 00 00 00 00 00 00 00 00"
                     "00 00 00 06 00 61 64 6d 69 6e"
                     "00 00 00 3d 03 24 32 61 24 31 30 24 37 45 71 4a 74 71 39 38 68 50 71 45 58 37 66 4e 5a 61 46"
                     "57 6f 4f 31 6d 56 4f 2f 34 4d 4c 70 47 7a 73 71 6f 6a 7a 36 45 39 47 65 66 36 69 58 44 6a 58"
                     "64 44 61");

    static const uint8_t token[] = { 1, 2, 3, 4 };
    aero_admin__begin(&b, AERO_ADMIN_AUTHENTICATE);
    aero_admin__field_str(&b, AERO_ADMIN_FIELD_USER, "admin");
    aero_admin__field(&b, AERO_ADMIN_FIELD_SESSION_TOKEN, token, sizeof token);
    aero_admin__end(&b);
    assert_bytes_hex(b.data, b.len,
                     "02 02 00 00 00 00 00 23 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 00"
                     "00 00 00 06 00 61 64 6d 69 6e 00 00 00 05 05 01 02 03 04");

    aero_bcrypt__aerospike("password", hash);
    const char *roles[] = { "read", "write" };
    aero_admin__begin(&b, AERO_ADMIN_CREATE_USER);
    aero_admin__field_str(&b, AERO_ADMIN_FIELD_USER, "u");
    aero_admin__field_str(&b, AERO_ADMIN_FIELD_PASSWORD, hash);
    aero_admin__field_roles(&b, roles, 2);
    aero_admin__end(&b);
    assert_bytes_hex(b.data, b.len,
                     "02 02 00 00 00 00 00 68 00 00 01 03 00 00 00 00 00 00 00 00 00 00 00 00"
                     "00 00 00 02 00 75"
                     "00 00 00 3d 01 24 32 61 24 31 30 24 37 45 71 4a 74 71 39 38 68 50 71 45 58 37 66 4e 5a 61 46"
                     "57 6f 4f 71 55 48 36 4b 4e 38 49 4b 79 33 59 6b 35 4b 7a 2e 2e 52 48 47 4b 4e 41 55 43 6f 50"
                     "2f 4c 47"
                     "00 00 00 0d 0a 02 04 72 65 61 64 05 77 72 69 74 65");

    aero_privilege privs[] = { { AERO_PRIV_READ_WRITE, "test", "s" }, { AERO_PRIV_SYS_ADMIN, "", "" } };
    const char *wl[] = { "1.2.3.4", "10.0.0.0/8" };
    aero_admin__begin(&b, AERO_ADMIN_CREATE_ROLE);
    aero_admin__field_str(&b, AERO_ADMIN_FIELD_ROLE, "r");
    aero_admin__field_privileges(&b, privs, 2);
    aero_admin__field_whitelist(&b, wl, 2);
    aero_admin__field_u32(&b, AERO_ADMIN_FIELD_READ_QUOTA, 5);
    aero_admin__end(&b);
    assert_bytes_hex(b.data, b.len,
                     "02 02 00 00 00 00 00 45 00 00 0a 04 00 00 00 00 00 00 00 00 00 00 00 00"
                     "00 00 00 02 0b 72"
                     "00 00 00 0b 0c 02 0b 04 74 65 73 74 01 73 01"
                     "00 00 00 13 0d 31 2e 32 2e 33 2e 34 2c 31 30 2e 30 2e 30 2e 30 2f 38"
                     "00 00 00 05 0e 00 00 00 05");
    assert_false(b.failed);
    aero_buf__free(&b);
}

static void argument_checks(void **state) {
    (void)state;
    aero_error err;
    char longname[300];
    memset(longname, 'a', 299);
    longname[299] = '\0';
    assert_int_equal(aero_admin__check_name(NULL, "user name", &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "user name is missing"));
    assert_int_equal(aero_admin__check_name("", "role name", &err), AERO_ERR_PARAM);
    assert_int_equal(aero_admin__check_name(longname, "role name", &err), AERO_ERR_PARAM);
    assert_int_equal(aero_admin__check_name("ok", "user name", &err), AERO_OK);
    const char *names[] = { "a", NULL };
    assert_int_equal(aero_admin__check_names(names, 2, "role name", &err), AERO_ERR_PARAM);
    assert_int_equal(aero_admin__check_names(NULL, 1, "role name", &err), AERO_ERR_PARAM);
    assert_int_equal(aero_admin__check_names(NULL, 0, "role name", &err), AERO_OK);
    aero_privilege p = { AERO_PRIV_USER_ADMIN, "test", "" };
    assert_int_equal(aero_admin__check_privileges(&p, 1, &err), AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "user-admin"));
    p = (aero_privilege){ AERO_PRIV_READ, "", "set" };
    assert_int_equal(aero_admin__check_privileges(&p, 1, &err), AERO_ERR_PARAM);
    p = (aero_privilege){ (aero_privilege_code)9, "", "" };
    assert_int_equal(aero_admin__check_privileges(&p, 1, &err), AERO_ERR_PARAM);
    p = (aero_privilege){ AERO_PRIV_TRUNCATE, "test", "s" };
    assert_int_equal(aero_admin__check_privileges(&p, 1, &err), AERO_OK);
    assert_string_equal(aero_privilege_code_str(AERO_PRIV_READ_WRITE_UDF), "read-write-udf");
    assert_string_equal(aero_privilege_code_str((aero_privilege_code)99), "unknown");
}

/* One answer message: header with result and count, then the fields given as (id, len, bytes). */
static size_t build(uint8_t *out, uint8_t result, unsigned n, ...) {
    memset(out, 0, 16);
    out[1] = result;
    out[3] = (uint8_t)n;
    size_t o = 16;
    va_list ap;
    va_start(ap, n);
    for (unsigned i = 0; i < n; i++) {
        int id = va_arg(ap, int);
        size_t len = va_arg(ap, size_t);
        const void *data = va_arg(ap, const void *);
        out[o] = (uint8_t)((len + 1) >> 24);
        out[o + 1] = (uint8_t)((len + 1) >> 16);
        out[o + 2] = (uint8_t)((len + 1) >> 8);
        out[o + 3] = (uint8_t)(len + 1);
        out[o + 4] = (uint8_t)id;
        memcpy(out + o + 5, data, len);
        o += 5 + len;
    }
    va_end(ap);
    return o;
}

static void login_answers(void **state) {
    (void)state;
    uint8_t m[128];
    const uint8_t *tok;
    size_t tl;
    uint32_t ttl;
    aero_error err;
    static const uint8_t ttl_be[] = { 0, 0, 0x0e, 0x10 };
    size_t n = build(m, 0, 2, AERO_ADMIN_FIELD_SESSION_TOKEN, (size_t)3, "abc", AERO_ADMIN_FIELD_SESSION_TTL, (size_t)4,
                     ttl_be);
    assert_aero_ok(aero_admin__parse_login(m, n, &tok, &tl, &ttl, &err), &err);
    assert_int_equal(tl, 3);
    assert_memory_equal(tok, "abc", 3);
    assert_int_equal(ttl, 3600);

    n = build(m, AERO_ERR_INVALID_PASSWORD, 0);
    assert_int_equal(aero_admin__parse_login(m, n, &tok, &tl, &ttl, &err), AERO_ERR_INVALID_PASSWORD);
    n = build(m, AERO_ERR_SECURITY_NOT_ENABLED, 0);
    assert_int_equal(aero_admin__parse_login(m, n, &tok, &tl, &ttl, &err), AERO_ERR_SECURITY_NOT_ENABLED);

    n = build(m, 0, 1, AERO_ADMIN_FIELD_SESSION_TTL, (size_t)4, ttl_be); /* success without a token */
    assert_int_equal(aero_admin__parse_login(m, n, &tok, &tl, &ttl, &err), AERO_ERR_PROTOCOL);
    assert_non_null(strstr(err.message, "no session token"));
    n = build(m, 0, 1, AERO_ADMIN_FIELD_SESSION_TTL, (size_t)2, ttl_be); /* a short TTL field */
    assert_int_equal(aero_admin__parse_login(m, n, &tok, &tl, &ttl, &err), AERO_ERR_PROTOCOL);
    n = build(m, 0, 1, AERO_ADMIN_FIELD_SESSION_TOKEN, (size_t)3, "abc");
    assert_int_equal(aero_admin__parse_login(m, n - 1, &tok, &tl, &ttl, &err), AERO_ERR_PROTOCOL); /* cut */
    assert_int_equal(aero_admin__parse_login(m, n + 1, &tok, &tl, &ttl, &err), AERO_ERR_PROTOCOL); /* stray */
    m[3] = 2; /* claims a second field that is not there */
    assert_int_equal(aero_admin__parse_login(m, n, &tok, &tl, &ttl, &err), AERO_ERR_PROTOCOL);
    assert_int_equal(aero_admin__parse_login(m, 15, &tok, &tl, &ttl, &err), AERO_ERR_PROTOCOL);
    memset(m, 0, 21);
    m[3] = 1; /* a field length of 0 */
    assert_int_equal(aero_admin__parse_login(m, 21, &tok, &tl, &ttl, &err), AERO_ERR_PROTOCOL);
}

static void user_answers(void **state) {
    (void)state;
    uint8_t body[512];
    static const uint8_t roles[] = { 2, 4, 'r', 'e', 'a', 'd', 2, 'r', 'w' };
    static const uint8_t info[] = { 2, 0, 0, 0, 7, 0, 0, 1, 0 };
    static const uint8_t conns[] = { 0, 0, 0, 3 };
    size_t n = build(body, 0, 4, AERO_ADMIN_FIELD_USER, (size_t)3, "bob", AERO_ADMIN_FIELD_ROLES, sizeof roles, roles,
                     AERO_ADMIN_FIELD_READ_INFO, sizeof info, info, AERO_ADMIN_FIELD_CONNECTIONS, sizeof conns, conns);
    n += build(body + n, 0, 1, AERO_ADMIN_FIELD_USER, (size_t)5, "carol");
    n += build(body + n, AERO_ERR_QUERY_END, 0);
    aero_user_list *l = calloc(1, sizeof *l);
    bool done = false;
    aero_error err;
    assert_aero_ok(aero_admin__parse_users(body, n, l, &done, &err), &err);
    assert_true(done);
    assert_int_equal(l->n, 2);
    assert_string_equal(l->users[0].name, "bob");
    assert_int_equal(l->users[0].n_roles, 2);
    assert_string_equal(l->users[0].roles[0], "read");
    assert_string_equal(l->users[0].roles[1], "rw");
    assert_int_equal(l->users[0].n_read_info, 2);
    assert_int_equal(l->users[0].read_info[0], 7);
    assert_int_equal(l->users[0].read_info[1], 256);
    assert_int_equal(l->users[0].n_write_info, 0);
    assert_int_equal(l->users[0].connections, 3);
    assert_string_equal(l->users[1].name, "carol");
    assert_int_equal(l->users[1].n_roles, 0);
    aero_user_list_free(l);

    /* a role string running past its field, an info count that disagrees with its length, a refusal */
    static const uint8_t bad_roles[] = { 1, 9, 'x' };
    static const uint8_t bad_info[] = { 3, 0, 0, 0, 1 };
    const struct {
        int id;
        size_t len;
        const void *data;
        aero_status want;
    } cases[] = {
        { AERO_ADMIN_FIELD_ROLES, sizeof bad_roles, bad_roles, AERO_ERR_PROTOCOL },
        { AERO_ADMIN_FIELD_WRITE_INFO, sizeof bad_info, bad_info, AERO_ERR_PROTOCOL },
        { AERO_ADMIN_FIELD_CONNECTIONS, (size_t)2, conns, AERO_ERR_PROTOCOL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        n = build(body, 0, 2, AERO_ADMIN_FIELD_USER, (size_t)1, "x", cases[i].id, cases[i].len, cases[i].data);
        l = calloc(1, sizeof *l);
        assert_int_equal(aero_admin__parse_users(body, n, l, &done, &err), cases[i].want);
        aero_user_list_free(l);
    }
    n = build(body, AERO_ERR_INVALID_USER, 0);
    l = calloc(1, sizeof *l);
    assert_int_equal(aero_admin__parse_users(body, n, l, &done, &err), AERO_ERR_INVALID_USER);
    assert_false(done);
    aero_user_list_free(l);
}

static void role_answers(void **state) {
    (void)state;
    uint8_t body[512];
    static const uint8_t privs[] = { 3,
                                     AERO_PRIV_READ,
                                     4,
                                     't',
                                     'e',
                                     's',
                                     't',
                                     0,
                                     AERO_PRIV_SYS_ADMIN,
                                     AERO_PRIV_WRITE,
                                     4,
                                     't',
                                     'e',
                                     's',
                                     't',
                                     2,
                                     's',
                                     '1' };
    static const uint8_t q[] = { 0, 0, 0, 9 };
    size_t n =
        build(body, 0, 4, AERO_ADMIN_FIELD_ROLE, (size_t)3, "app", AERO_ADMIN_FIELD_PRIVILEGES, sizeof privs, privs,
              AERO_ADMIN_FIELD_WHITELIST, (size_t)19, "10.0.0.1,1.2.0.0/16", AERO_ADMIN_FIELD_WRITE_QUOTA, sizeof q, q);
    n += build(body + n, AERO_ERR_QUERY_END, 0);
    aero_role_list *l = calloc(1, sizeof *l);
    bool done = false;
    aero_error err;
    assert_aero_ok(aero_admin__parse_roles(body, n, l, &done, &err), &err);
    assert_true(done);
    assert_int_equal(l->n, 1);
    const aero_role_info *r = &l->roles[0];
    assert_string_equal(r->name, "app");
    assert_int_equal(r->n_privileges, 3);
    assert_int_equal(r->privileges[0].code, AERO_PRIV_READ);
    assert_string_equal(r->privileges[0].ns, "test");
    assert_string_equal(r->privileges[0].set, "");
    assert_int_equal(r->privileges[1].code, AERO_PRIV_SYS_ADMIN);
    assert_string_equal(r->privileges[2].set, "s1");
    assert_int_equal(r->n_whitelist, 2);
    assert_string_equal(r->whitelist[0], "10.0.0.1");
    assert_string_equal(r->whitelist[1], "1.2.0.0/16");
    assert_int_equal(r->read_quota, 0);
    assert_int_equal(r->write_quota, 9);
    aero_role_list_free(l);

    static const uint8_t cut[] = { 1, AERO_PRIV_READ, 4, 't', 'e' };
    static const uint8_t long_ns[] = { 1, AERO_PRIV_READ, 40, 'x' };
    n = build(body, 0, 2, AERO_ADMIN_FIELD_ROLE, (size_t)1, "r", AERO_ADMIN_FIELD_PRIVILEGES, sizeof cut, cut);
    l = calloc(1, sizeof *l);
    assert_int_equal(aero_admin__parse_roles(body, n, l, &done, &err), AERO_ERR_PROTOCOL);
    aero_role_list_free(l);
    n = build(body, 0, 2, AERO_ADMIN_FIELD_ROLE, (size_t)1, "r", AERO_ADMIN_FIELD_PRIVILEGES, sizeof long_ns, long_ns);
    l = calloc(1, sizeof *l);
    assert_int_equal(aero_admin__parse_roles(body, n, l, &done, &err), AERO_ERR_PROTOCOL);
    aero_role_list_free(l);
    aero_role_list_free(NULL);
    aero_user_list_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bcrypt_vectors),  cmocka_unit_test(bcrypt_bad_settings), cmocka_unit_test(golden_requests),
        cmocka_unit_test(argument_checks), cmocka_unit_test(login_answers),       cmocka_unit_test(user_answers),
        cmocka_unit_test(role_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
