/*
 * Unit tests for the cluster parsers: host strings, peers (protocol.md 2.3),
 * base64 and replicas bitmaps (2.4), the partition table (regime rules,
 * replacement) and routing by replica policy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <netinet/in.h>

#include "cluster/parse.h"
#include "proto/base64.h"
#include "net/conn.h"

#include "b64.h"

/* ---- host parsing ---- */

static aero_status ph(const char *s, char *host, uint16_t *port) {
    return aero_net__parse_host(s, strlen(s), host, AERO_HOST_MAX, port, 3000);
}

static void test_host_forms(void **state) {
    (void)state;
    char host[AERO_HOST_MAX];
    uint16_t port = 0;
    assert_int_equal(ph("127.0.0.1:3100", host, &port), AERO_OK);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 3100);
    assert_int_equal(ph("db.example", host, &port), AERO_OK);
    assert_string_equal(host, "db.example");
    assert_int_equal(port, 3000);
    assert_int_equal(ph("[fe80::1]:3100", host, &port), AERO_OK);
    assert_string_equal(host, "fe80::1");
    assert_int_equal(port, 3100);
    assert_int_equal(ph("[::1]", host, &port), AERO_OK);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 3000);
    assert_int_equal(ph("::1", host, &port), AERO_OK); /* bare IPv6: no port */
    assert_string_equal(host, "::1");
    assert_int_equal(port, 3000);
    assert_int_equal(ph("h:65535", host, &port), AERO_OK);
    assert_int_equal(port, 65535);
}

static void test_host_bad(void **state) {
    (void)state;
    char host[AERO_HOST_MAX];
    uint16_t port = 7;
    const char *bad[] = { "",       ":3000",  "h:",      "h:0",        "h:65536",  "h:12x", "[::1",
                          "[::1]x", "[::1]:", "[]:3000", "[abc]:3000", "a b:3000", "h:-1",  "h:123456" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ph(bad[i], host, &port), AERO_ERR_INVALID_HOST);
    }
    /* too long for the buffer */
    char small[4];
    assert_int_equal(aero_net__parse_host("abcd:1", 6, small, sizeof small, &port, 3000), AERO_ERR_INVALID_HOST);
    assert_int_equal(aero_net__parse_host("abc:1", 5, small, sizeof small, &port, 3000), AERO_OK);
    assert_string_equal(small, "abc");
}

/* ---- peers ---- */

static void test_peers_example(void **state) {
    (void)state;
    const char *s = "3,3000,[[BB9030011AC4202,,[172.17.0.4]],[BB9040011AC4202,,[172.17.0.5:3100]]]";
    int64_t gen = 0;
    aero_peer *p = NULL;
    size_t n = 0;
    assert_int_equal(aero_peers__parse(s, strlen(s), &gen, &p, &n), AERO_OK);
    assert_int_equal(gen, 3);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].name, "BB9030011AC4202");
    assert_int_equal(p[0].n_hosts, 1);
    assert_string_equal(p[0].hosts[0].host, "172.17.0.4");
    assert_int_equal(p[0].hosts[0].port, 3000);
    assert_string_equal(p[1].name, "BB9040011AC4202");
    assert_string_equal(p[1].hosts[0].host, "172.17.0.5");
    assert_int_equal(p[1].hosts[0].port, 3100);
    free(p);
}

static void test_peers_ipv6_tls_multi(void **state) {
    (void)state;
    const char *s = "12,4333,[[A1,tls.name,[[fe80::1]:4333,[2001:db8::7],10.0.0.1:4000]]]";
    int64_t gen = 0;
    aero_peer *p = NULL;
    size_t n = 0;
    assert_int_equal(aero_peers__parse(s, strlen(s), &gen, &p, &n), AERO_OK);
    assert_int_equal(gen, 12);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].tls_name, "tls.name");
    assert_int_equal(p[0].n_hosts, 3);
    assert_string_equal(p[0].hosts[0].host, "fe80::1");
    assert_int_equal(p[0].hosts[0].port, 4333);
    assert_string_equal(p[0].hosts[1].host, "2001:db8::7");
    assert_int_equal(p[0].hosts[1].port, 4333); /* default port of this answer */
    assert_string_equal(p[0].hosts[2].host, "10.0.0.1");
    assert_int_equal(p[0].hosts[2].port, 4000);
    free(p);
}

static void test_peers_empty_and_missing_port(void **state) {
    (void)state;
    int64_t gen = 0;
    aero_peer *p = (aero_peer *)1;
    size_t n = 9;
    assert_int_equal(aero_peers__parse("7,3000,[]", 9, &gen, &p, &n), AERO_OK);
    assert_int_equal(gen, 7);
    assert_int_equal(n, 0);
    assert_null(p);
    const char *s = "1,,[[N1,,[h1]]]";
    assert_int_equal(aero_peers__parse(s, strlen(s), &gen, &p, &n), AERO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].hosts[0].port, 3000);
    free(p);
    /* a departed peer in delta form has no address list */
    s = "2,3000,[[N1,,[]]]";
    assert_int_equal(aero_peers__parse(s, strlen(s), &gen, &p, &n), AERO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].n_hosts, 0);
    free(p);
}

static void test_peers_malformed(void **state) {
    (void)state;
    const char *bad[] = { "",
                          "x,3000,[]",
                          "1,3000",
                          "1,3000,[",
                          "1,3000,[[N1,,[h1]]",
                          "1,3000,[[N1,,[h1]]]]",
                          "1,3000,[[,,[h1]]]",
                          "1,3000,[[N1,,[h1:0]]]",
                          "1,3000,[[N1,,[[::1]]]",
                          "1,99999,[]",
                          "1,3000,[[N1,,[h1]],]",
                          "1,3000,[]junk" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t gen;
        aero_peer *p = NULL;
        size_t n = 0;
        assert_int_not_equal(aero_peers__parse(bad[i], strlen(bad[i]), &gen, &p, &n), AERO_OK);
        assert_null(p);
    }
    /* every truncation of a valid answer is refused, never read past its end */
    const char *s = "3,3000,[[BB9030011AC4202,,[172.17.0.4]],[BB9040011AC4202,,[[fe80::1]:3100]]]";
    size_t len = strlen(s);
    for (size_t k = 0; k < len; k++) {
        char *cut = malloc(k ? k : 1);
        memcpy(cut, s, k);
        int64_t gen;
        aero_peer *p = NULL;
        size_t n = 0;
        assert_int_not_equal(aero_peers__parse(cut, k, &gen, &p, &n), AERO_OK);
        free(p);
        free(cut);
    }
}

/* ---- base64 and bitmaps ---- */

/* ---- service-*-std (access addresses, service_list.c print_list) ---- */

static void test_service_list(void **state) {
    (void)state;
    aero_peer_host h[AERO_SERVICE_MAX_HOSTS];
    size_t n = 99;
    assert_int_equal(aero_service__parse("", 0, h, AERO_SERVICE_MAX_HOSTS, &n), AERO_OK);
    assert_int_equal(n, 0);
    const char *s = "10.0.0.1:3000,[2001:db8::1]:4333,db.example:3100\n";
    assert_int_equal(aero_service__parse(s, strlen(s), h, AERO_SERVICE_MAX_HOSTS, &n), AERO_OK);
    assert_int_equal(n, 3);
    assert_string_equal(h[0].host, "10.0.0.1");
    assert_int_equal(h[0].port, 3000);
    assert_string_equal(h[1].host, "2001:db8::1");
    assert_int_equal(h[1].port, 4333);
    assert_string_equal(h[2].host, "db.example");
    assert_int_equal(h[2].port, 3100);
    /* more than kept: the rest is skipped, not an error */
    assert_int_equal(aero_service__parse(s, strlen(s), h, 2, &n), AERO_OK);
    assert_int_equal(n, 2);
    /* every item needs a port; no empty items, no other separator */
    const char *bad[] = {
        "10.0.0.1",      "10.0.0.1:",  "10.0.0.1:3000,", ",10.0.0.1:3000", "10.0.0.1:3000;10.0.0.2:3000",
        "[2001:db8::1]", "10.0.0.1:0", "10.0.0.1:70000", "a b:3000"
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (aero_service__parse(bad[i], strlen(bad[i]), h, AERO_SERVICE_MAX_HOSTS, &n) == AERO_OK)
            fail_msg("accepted \"%s\"", bad[i]);
}

static void test_base64(void **state) {
    (void)state;
    uint8_t out[8];
    assert_int_equal(aero_base64__decode("TWFu", 4, out, sizeof out), 3);
    assert_memory_equal(out, "Man", 3);
    assert_int_equal(aero_base64__decode("TWE=", 4, out, sizeof out), 2);
    assert_memory_equal(out, "Ma", 2);
    assert_int_equal(aero_base64__decode("TQ==", 4, out, sizeof out), 1);
    assert_int_equal(out[0], 'M');
    assert_int_equal(aero_base64__decode("TQ=", 3, out, sizeof out), -1);
    assert_int_equal(aero_base64__decode("T===", 4, out, sizeof out), -1);
    assert_int_equal(aero_base64__decode("TQ==TWFu", 8, out, sizeof out), -1);
    assert_int_equal(aero_base64__decode("T*Fu", 4, out, sizeof out), -1);
    assert_int_equal(aero_base64__decode("TWFuTWFu", 8, out, 5), -1); /* does not fit */
    /* round trip with the test encoder over every byte value */
    uint8_t raw[512], back[512];
    for (int i = 0; i < 512; i++)
        raw[i] = (uint8_t)(i * 7 + 3);
    char text[700];
    size_t tl = b64_encode(raw, sizeof raw, text);
    assert_int_equal(tl, AERO_BITMAP_B64_LEN);
    assert_int_equal(aero_base64__decode(text, tl, back, sizeof back), 512);
    assert_memory_equal(raw, back, 512);
}

static void test_bit_order(void **state) {
    (void)state;
    uint8_t bm[AERO_BITMAP_BYTES] = { 0 };
    bm[0] = 0x80;   /* partition 0 */
    bm[1] = 0x01;   /* partition 15 */
    bm[511] = 0x01; /* partition 4095 */
    assert_true(aero_bitmap__has(bm, 0));
    assert_false(aero_bitmap__has(bm, 7));
    assert_false(aero_bitmap__has(bm, 8));
    assert_true(aero_bitmap__has(bm, 15));
    assert_true(aero_bitmap__has(bm, 4095));
    assert_false(aero_bitmap__has(bm, 4088));
}

/* ---- replicas ---- */

typedef struct seen {
    int calls;
    char ns[4][32];
    uint32_t regime[4], n_replicas[4], replica[4];
    uint8_t first[4];
    bool has4095[4];
} seen;

static void record_cb(void *ctx, const char *ns, uint32_t regime, uint32_t n_replicas, uint32_t replica,
                      const uint8_t bitmap[AERO_BITMAP_BYTES]) {
    seen *s = ctx;
    if (s->calls < 4) {
        strcpy(s->ns[s->calls], ns);
        s->regime[s->calls] = regime;
        s->n_replicas[s->calls] = n_replicas;
        s->replica[s->calls] = replica;
        s->first[s->calls] = bitmap[0];
        s->has4095[s->calls] = aero_bitmap__has(bitmap, 4095);
    }
    s->calls++;
}

static void test_replicas_parse(void **state) {
    (void)state;
    uint8_t a[512] = { 0 }, b[512] = { 0 };
    a[0] = 0xC0;   /* partitions 0 and 1 */
    b[511] = 0x01; /* partition 4095 */
    char ta[700], tb[700];
    b64_encode(a, 512, ta);
    b64_encode(b, 512, tb);
    char s[3000];
    snprintf(s, sizeof s, "test:0,2,%s,%s;bar:7,1,%s", ta, tb, tb);
    seen sn = { 0 };
    assert_int_equal(aero_replicas__parse(s, strlen(s), record_cb, &sn), AERO_OK);
    assert_int_equal(sn.calls, 3);
    assert_string_equal(sn.ns[0], "test");
    assert_int_equal(sn.replica[0], 0);
    assert_int_equal(sn.first[0], 0xC0);
    assert_int_equal(sn.replica[1], 1);
    assert_true(sn.has4095[1]);
    assert_string_equal(sn.ns[2], "bar");
    assert_int_equal(sn.regime[2], 7);
    assert_int_equal(sn.n_replicas[2], 1);
}

static void test_replicas_more_than_three(void **state) {
    (void)state;
    uint8_t a[512] = { 0 };
    char t[700];
    b64_encode(a, 512, t);
    char s[5000];
    snprintf(s, sizeof s, "ns:0,5,%s,%s,%s,%s,%s", t, t, t, t, t);
    seen sn = { 0 };
    assert_int_equal(aero_replicas__parse(s, strlen(s), record_cb, &sn), AERO_OK);
    assert_int_equal(sn.calls, 3); /* replicas 3 and 4 parsed but skipped */
    assert_int_equal(sn.n_replicas[0], 5);
}

static void test_replicas_malformed(void **state) {
    (void)state;
    uint8_t a[512] = { 0 };
    char t[700];
    b64_encode(a, 512, t);
    char s[3000];
    seen sn = { 0 };
    /* fewer bitmaps than announced */
    snprintf(s, sizeof s, "ns:0,2,%s", t);
    assert_int_equal(aero_replicas__parse(s, strlen(s), record_cb, &sn), AERO_ERR_PROTOCOL);
    /* more bitmaps than announced */
    snprintf(s, sizeof s, "ns:0,1,%s,%s", t, t);
    assert_int_equal(aero_replicas__parse(s, strlen(s), record_cb, &sn), AERO_ERR_PROTOCOL);
    /* short bitmap */
    snprintf(s, sizeof s, "ns:0,1,%.680s", t);
    assert_int_equal(aero_replicas__parse(s, strlen(s), record_cb, &sn), AERO_ERR_PROTOCOL);
    /* bad regime, missing namespace, zero replicas */
    snprintf(s, sizeof s, "ns:x,1,%s", t);
    assert_int_equal(aero_replicas__parse(s, strlen(s), record_cb, &sn), AERO_ERR_PROTOCOL);
    snprintf(s, sizeof s, ":0,1,%s", t);
    assert_int_equal(aero_replicas__parse(s, strlen(s), record_cb, &sn), AERO_ERR_PROTOCOL);
    snprintf(s, sizeof s, "ns:0,0,");
    assert_int_equal(aero_replicas__parse(s, strlen(s), record_cb, &sn), AERO_ERR_PROTOCOL);
    /* a bad second namespace: nothing at all is applied */
    snprintf(s, sizeof s, "good:0,1,%s;bad:0,1,abc", t);
    assert_int_equal(aero_replicas__parse(s, strlen(s), record_cb, &sn), AERO_ERR_PROTOCOL);
    assert_int_equal(sn.calls, 0);
    /* empty answer: no namespaces */
    assert_int_equal(aero_replicas__parse("", 0, record_cb, &sn), AERO_OK);
    assert_int_equal(sn.calls, 0);
}

/* ---- partition table and routing ---- */

static aero_node *fake_node(const char *name) {
    aero_client_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.max_conns_per_node = 4;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    return aero_node__new(name, "127.0.0.1", 3000, (struct sockaddr *)&sa, sizeof sa, &cfg);
}

static void test_node_address_text(void **state) {
    (void)state;
    aero_client_config cfg;
    memset(&cfg, 0, sizeof cfg);
    struct sockaddr_in6 sa;
    memset(&sa, 0, sizeof sa);
    sa.sin6_family = AF_INET6;
    aero_node *n = aero_node__new("BB9", "fe80::1", 3100, (struct sockaddr *)&sa, sizeof sa, &cfg);
    assert_non_null(n);
    assert_string_equal(aero_node__address(n), "[fe80::1]:3100");
    assert_string_equal(aero_node__name(n), "BB9");
    aero_node__release(n);
    n = fake_node("X");
    assert_string_equal(aero_node__address(n), "127.0.0.1:3000");
    aero_node__release(n);
}

static void all_bits(uint8_t *bm) { memset(bm, 0xFF, AERO_BITMAP_BYTES); }

static void test_pmap_regime(void **state) {
    (void)state;
    aero_pmap m = { 0 };
    aero_node *x = fake_node("X"), *y = fake_node("Y");
    uint8_t bm[512];
    all_bits(bm);
    assert_true(aero_pmap__apply(&m, x, "test", 5, 1, 0, bm));
    assert_int_equal(atomic_load(&x->partition_refs), 4096);
    x->partition_gen = 10;
    /* stale claim (lower regime) is ignored */
    assert_true(aero_pmap__apply(&m, y, "test", 4, 1, 0, bm));
    assert_ptr_equal(aero_pmap__route(&m, "test", 17, true, AERO_REPLICA_SEQUENCE, 0, 0), x);
    assert_int_equal(x->partition_gen, 10);
    /* equal regime wins, and the loser must re-read its map */
    memset(bm, 0, sizeof bm);
    bm[2] = 0x80; /* partition 16 */
    assert_true(aero_pmap__apply(&m, y, "test", 5, 1, 0, bm));
    assert_ptr_equal(aero_pmap__route(&m, "test", 16, true, AERO_REPLICA_SEQUENCE, 0, 0), y);
    assert_ptr_equal(aero_pmap__route(&m, "test", 17, true, AERO_REPLICA_SEQUENCE, 0, 0), x);
    assert_int_equal(x->partition_gen, -1);
    assert_int_equal(atomic_load(&x->partition_refs), 4095);
    /* higher regime raises the stored one */
    assert_true(aero_pmap__apply(&m, x, "test", 9, 1, 0, bm));
    assert_int_equal(aero_pmap__find(&m, "test")->parts[16].regime, 9);
    assert_true(aero_pmap__find(&m, "test")->sc);
    assert_true(aero_pmap__apply(&m, y, "test", 8, 1, 0, bm));
    assert_ptr_equal(aero_pmap__route(&m, "test", 16, true, AERO_REPLICA_SEQUENCE, 0, 0), x);
    /* unknown namespace */
    assert_null(aero_pmap__route(&m, "nope", 16, true, AERO_REPLICA_SEQUENCE, 0, 0));
    for (size_t i = 0; i < m.n_ns; i++)
        free(m.ns[i]);
    free(m.ns);
    aero_node__release(x);
    aero_node__release(y);
}

static void test_route_policies(void **state) {
    (void)state;
    aero_pmap *m = calloc(1, sizeof *m);
    aero_node *a = fake_node("A"), *b = fake_node("B");
    uint8_t bm[512];
    all_bits(bm);
    assert_true(aero_pmap__apply(m, a, "test", 0, 2, 0, bm));
    assert_true(aero_pmap__apply(m, b, "test", 0, 2, 1, bm));
    assert_int_equal(aero_pmap__find(m, "test")->n_replicas, 2);
    /* writes and MASTER reads: the master */
    assert_ptr_equal(aero_pmap__route(m, "test", 1, true, AERO_REPLICA_SEQUENCE, 1, 0), a);
    assert_ptr_equal(aero_pmap__route(m, "test", 1, false, AERO_REPLICA_MASTER, 1, 0), a);
    /* SEQUENCE: attempt moves to the next replica, wrapping */
    assert_ptr_equal(aero_pmap__route(m, "test", 1, false, AERO_REPLICA_SEQUENCE, 0, 0), a);
    assert_ptr_equal(aero_pmap__route(m, "test", 1, false, AERO_REPLICA_SEQUENCE, 1, 0), b);
    assert_ptr_equal(aero_pmap__route(m, "test", 1, false, AERO_REPLICA_SEQUENCE, 2, 0), a);
    /* ANY spreads */
    assert_ptr_equal(aero_pmap__route(m, "test", 1, false, AERO_REPLICA_ANY, 0, 0), a);
    assert_ptr_equal(aero_pmap__route(m, "test", 1, false, AERO_REPLICA_ANY, 0, 1), b);
    /* an inactive master: SEQUENCE and writes fall to the prole, MASTER finds nothing */
    atomic_store(&a->active, false);
    assert_ptr_equal(aero_pmap__route(m, "test", 1, true, AERO_REPLICA_SEQUENCE, 0, 0), b);
    assert_ptr_equal(aero_pmap__route(m, "test", 1, false, AERO_REPLICA_SEQUENCE, 0, 0), b);
    assert_null(aero_pmap__route(m, "test", 1, false, AERO_REPLICA_MASTER, 0, 0));
    atomic_store(&a->active, true);
    /* clone is independent; removal clears the slots */
    aero_pmap *c = aero_pmap__clone(m);
    assert_non_null(c);
    aero_pmap__remove_node(m, a);
    assert_ptr_equal(aero_pmap__route(m, "test", 1, true, AERO_REPLICA_SEQUENCE, 0, 0), b);
    assert_null(aero_pmap__route(m, "test", 1, false, AERO_REPLICA_MASTER, 0, 0));
    assert_ptr_equal(aero_pmap__route(c, "test", 1, false, AERO_REPLICA_MASTER, 0, 0), a);
    assert_null(aero_pmap__route(m, "test", 4096, true, AERO_REPLICA_SEQUENCE, 0, 0));
    aero_pmap__free(m);
    aero_pmap__free(c);
    aero_node__release(a);
    aero_node__release(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_forms),
        cmocka_unit_test(test_host_bad),
        cmocka_unit_test(test_peers_example),
        cmocka_unit_test(test_peers_ipv6_tls_multi),
        cmocka_unit_test(test_peers_empty_and_missing_port),
        cmocka_unit_test(test_peers_malformed),
        cmocka_unit_test(test_service_list),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_bit_order),
        cmocka_unit_test(test_replicas_parse),
        cmocka_unit_test(test_replicas_more_than_three),
        cmocka_unit_test(test_replicas_malformed),
        cmocka_unit_test(test_node_address_text),
        cmocka_unit_test(test_pmap_regime),
        cmocka_unit_test(test_route_policies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
