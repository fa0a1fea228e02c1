/*
 * Unit tests for seed parsing with TLS names (net/conn.c
 * aero_net__parse_seed): "host:tls_name:port", "[v6]:tls_name:port", and
 * every form aero_net__parse_host already takes, which keep their meaning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "aero_assert.h"
#include "net/conn.h"

static void ok(const char *s, const char *host, const char *tls, uint16_t port) {
    char h[256], t[256];
    uint16_t p = 0;
    aero_status st = aero_net__parse_seed(s, strlen(s), h, sizeof h, t, sizeof t, &p, 3000);
    if (st != AERO_OK)
        fail_msg("\"%s\" refused", s);
    if (strcmp(h, host) || strcmp(t, tls) || p != port)
        fail_msg("\"%s\": host \"%s\" tls \"%s\" port %u", s, h, t, (unsigned)p);
}

static void bad(const char *s) {
    char h[256], t[256];
    uint16_t p = 0;
    if (aero_net__parse_seed(s, strlen(s), h, sizeof h, t, sizeof t, &p, 3000) != AERO_ERR_INVALID_HOST)
        fail_msg("\"%s\" accepted as host \"%s\" tls \"%s\" port %u", s, h, t, (unsigned)p);
}

static void test_tls_forms(void **state) {
    (void)state;
    ok("10.0.0.1:node1.example.com:4333", "10.0.0.1", "node1.example.com", 4333);
    ok("db.local:tls-name:4333", "db.local", "tls-name", 4333);
    ok("[fe80::1]:node1:4333", "fe80::1", "node1", 4333);
    ok("[::1]:*.wild.test:4333", "::1", "*.wild.test", 4333);
}

static void test_plain_forms_unchanged(void **state) {
    (void)state;
    ok("127.0.0.1:3000", "127.0.0.1", "", 3000);
    ok("localhost", "localhost", "", 3000);
    ok("[::1]:3100", "::1", "", 3100);
    ok("[::1]", "::1", "", 3000);
    ok("fe80::1", "fe80::1", "", 3000); /* bare IPv6, two colons with "::" */
    ok("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", "", 3000);
}

static void test_bad_forms(void **state) {
    (void)state;
    bad("host:name:");      /* empty port */
    bad(":name:4333");      /* empty host */
    bad("host:na me:4333"); /* not a DNS name */
    bad("host:na/me:4333");
    bad("host:name:0");
    bad("host:name:65536");
    bad("host:name:43x3");
    bad("[::1]:name:");
    bad("[::1:name:4333"); /* unclosed bracket */
    bad("[::1]x:name:4333");
    bad("");
    char long_name[400];
    memset(long_name, 'a', sizeof long_name);
    memcpy(long_name, "h:", 2);
    memcpy(long_name + sizeof long_name - 6, ":4333", 6);
    bad(long_name); /* a TLS name longer than the buffer */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tls_forms),
        cmocka_unit_test(test_plain_forms_unchanged),
        cmocka_unit_test(test_bad_forms),
    };
    return cmocka_run_group_tests_name("seed", tests, NULL, NULL);
}
