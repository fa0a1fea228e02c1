/*
 * Unit tests for net/conn.c on 127.0.0.1 sockets: connect (refused, ok),
 * exact reads and writes, read_some, deadlines, a peer that closes, the
 * stale check, TCP_NODELAY, the SO_RCVTIMEO bound on reads and the
 * monotonic clocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/conn.h"
#include "aero_assert.h"

typedef struct pair {
    int lfd;
    struct sockaddr_in addr;
    aero_conn client;
    int server; /* accepted end, blocking */
} pair;

static void pair_open(pair *p) {
    p->lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(p->lfd >= 0);
    memset(&p->addr, 0, sizeof p->addr);
    p->addr.sin_family = AF_INET;
    p->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof p->addr;
    assert_int_equal(bind(p->lfd, (struct sockaddr *)&p->addr, sizeof p->addr), 0);
    assert_int_equal(listen(p->lfd, 4), 0);
    assert_int_equal(getsockname(p->lfd, (struct sockaddr *)&p->addr, &len), 0);
    p->client = (aero_conn)AERO_CONN_INIT;
    aero_error err;
    assert_aero_ok(
        aero_conn__connect(&p->client, (struct sockaddr *)&p->addr, sizeof p->addr, aero_deadline_after_ms(1000), &err),
        &err);
    p->server = accept(p->lfd, NULL, NULL);
    assert_true(p->server >= 0);
}

static void pair_close(pair *p) {
    aero_conn__close(&p->client);
    if (p->server >= 0)
        close(p->server);
    close(p->lfd);
}

static void test_clock(void **state) {
    (void)state;
    uint64_t a = aero_now_ns(), b = aero_now_ns();
    assert_true(b >= a);
    assert_int_equal(aero_deadline_after_ms(0), UINT64_MAX);
    uint64_t d = aero_deadline_after_ms(100);
    assert_true(d >= a + 100000000u && d < a + 1000000000u);
    uint64_t c = aero_now_coarse_ns();
    assert_true(c + 100000000u > a); /* coarse lags by a few ms at most */
}

static void test_refused(void **state) {
    (void)state;
    pair p;
    pair_open(&p);
    struct sockaddr_in addr = p.addr;
    pair_close(&p); /* nobody listens there any more */
    aero_conn c = AERO_CONN_INIT;
    aero_error err;
    assert_int_equal(aero_conn__connect(&c, (struct sockaddr *)&addr, sizeof addr, aero_deadline_after_ms(500), &err),
                     AERO_ERR_CONNECTION);
    assert_int_equal(c.fd, -1);
    assert_int_equal(err.code, AERO_ERR_CONNECTION);
    assert_true(err.message[0] != '\0');
}

static void test_exchange(void **state) {
    (void)state;
    pair p;
    pair_open(&p);
    int nodelay = 0;
    socklen_t len = sizeof nodelay;
    assert_int_equal(getsockopt(p.client.fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len), 0);
    assert_true(nodelay != 0);
    assert_false(aero_conn__is_stale(&p.client));

    aero_error err;
    assert_aero_ok(aero_conn__write(&p.client, "ping", 4, aero_deadline_after_ms(1000), &err), &err);
    char buf[16];
    assert_int_equal(read(p.server, buf, 4), 4);
    assert_memory_equal(buf, "ping", 4);

    /* answer in two pieces: read() gathers exactly n bytes */
    assert_int_equal(write(p.server, "hel", 3), 3);
    assert_int_equal(write(p.server, "lo world", 8), 8);
    memset(buf, 0, sizeof buf);
    assert_aero_ok(aero_conn__read(&p.client, buf, 5, aero_deadline_after_ms(1000), &err), &err);
    assert_memory_equal(buf, "hello", 5);
    /* read_some: at least 2, at most 4 */
    size_t got = 0;
    assert_aero_ok(aero_conn__read_some(&p.client, buf, 2, 4, &got, aero_deadline_after_ms(1000), &err), &err);
    assert_true(got >= 2 && got <= 4);
    const char *tail = " world";
    assert_memory_equal(buf, tail, got);
    size_t rest = 6 - got;
    assert_aero_ok(aero_conn__read(&p.client, buf, rest, aero_deadline_after_ms(1000), &err), &err);
    assert_memory_equal(buf, tail + got, rest);

    /* unread bytes make a pooled connection stale */
    assert_int_equal(write(p.server, "x", 1), 1);
    for (int i = 0; i < 100 && !aero_conn__is_stale(&p.client); i++)
        usleep(1000);
    assert_true(aero_conn__is_stale(&p.client));
    assert_aero_ok(aero_conn__read(&p.client, buf, 1, aero_deadline_after_ms(1000), &err), &err);
    assert_false(aero_conn__is_stale(&p.client));

    /* a large write completes across many poll rounds while the peer drains */
    size_t big = 4u << 20;
    uint8_t *data = malloc(big);
    memset(data, 0xAB, big);
    pid_t child = fork();
    if (child == 0) {
        uint8_t sink[65536];
        size_t total = 0;
        while (total < big) {
            ssize_t r = read(p.server, sink, sizeof sink);
            if (r <= 0)
                _exit(1);
            total += (size_t)r;
        }
        _exit(0);
    }
    assert_aero_ok(aero_conn__write(&p.client, data, big, aero_deadline_after_ms(5000), &err), &err);
    free(data);
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* the peer closes: stale, and a read reports the connection */
    close(p.server);
    p.server = -1;
    for (int i = 0; i < 100 && !aero_conn__is_stale(&p.client); i++)
        usleep(1000);
    assert_true(aero_conn__is_stale(&p.client));
    assert_int_equal(aero_conn__read(&p.client, buf, 1, aero_deadline_after_ms(1000), &err), AERO_ERR_CONNECTION);
    assert_true(strstr(err.message, "closed") != NULL);
    pair_close(&p);
    assert_int_equal(p.client.fd, -1);
    assert_true(aero_conn__is_stale(&p.client));
    assert_int_equal(aero_conn__write(&p.client, "x", 1, UINT64_MAX, &err), AERO_ERR_CONNECTION);
}

static void test_deadlines(void **state) {
    (void)state;
    pair p;
    pair_open(&p);
    aero_error err;
    char buf[8];
    /* nothing arrives: timeout near the deadline, not before */
    uint64_t t0 = aero_now_ns();
    assert_int_equal(aero_conn__read(&p.client, buf, 1, aero_deadline_after_ms(80), &err), AERO_ERR_TIMEOUT);
    uint64_t ms = (aero_now_ns() - t0) / 1000000u;
    assert_true(ms >= 79 && ms < 1000);
    assert_int_equal(err.code, AERO_ERR_TIMEOUT);
    /* after a write, the first read waits too */
    assert_aero_ok(aero_conn__write(&p.client, "q", 1, aero_deadline_after_ms(100), &err), &err);
    size_t got = 99;
    assert_int_equal(aero_conn__read_some(&p.client, buf, 1, sizeof buf, &got, aero_deadline_after_ms(50), &err),
                     AERO_ERR_TIMEOUT);
    assert_int_equal(got, 0);
    /* a deadline already past fails at once without reading */
    assert_int_equal(write(p.server, "z", 1), 1);
    usleep(20000);
    assert_int_equal(aero_conn__read(&p.client, buf, 2, aero_now_ns() - 1, &err), AERO_ERR_TIMEOUT);
    /* a write that cannot drain (peer never reads) times out */
    size_t big = 64u << 20;
    uint8_t *data = calloc(1, big);
    t0 = aero_now_ns();
    assert_int_equal(aero_conn__write(&p.client, data, big, aero_deadline_after_ms(100), &err), AERO_ERR_TIMEOUT);
    ms = (aero_now_ns() - t0) / 1000000u;
    assert_true(ms < 2000);
    free(data);
    pair_close(&p);
}

static void test_ipv6_loopback(void **state) {
    (void)state;
    int lfd = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (lfd >= 0)
            close(lfd);
        skip(); /* no IPv6 loopback here */
    }
    socklen_t len = sizeof a;
    assert_int_equal(listen(lfd, 1), 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
    /* the seed text form of this address parses back to it */
    char text[64], host[64];
    snprintf(text, sizeof text, "[::1]:%u", (unsigned)ntohs(a.sin6_port));
    uint16_t port = 0;
    assert_int_equal(aero_net__parse_host(text, strlen(text), host, sizeof host, &port, 3000), AERO_OK);
    assert_string_equal(host, "::1");
    assert_int_equal(port, ntohs(a.sin6_port));
    aero_conn c = AERO_CONN_INIT;
    aero_error err;
    assert_aero_ok(aero_conn__connect(&c, (struct sockaddr *)&a, sizeof a, aero_deadline_after_ms(1000), &err), &err);
    int s = accept(lfd, NULL, NULL);
    assert_true(s >= 0);
    assert_aero_ok(aero_conn__write(&c, "v6", 2, aero_deadline_after_ms(1000), &err), &err);
    char buf[2];
    assert_int_equal(read(s, buf, 2), 2);
    assert_memory_equal(buf, "v6", 2);
    close(s);
    close(lfd);
    aero_conn__close(&c);
}

/* Reads sleep in recv() under SO_RCVTIMEO: set short of the deadline, kept while it stays safe. */
static void test_recv_timeout_bound(void **state) {
    (void)state;
    pair p;
    pair_open(&p);
    aero_error err;
    char buf[8];
    /* connected sockets block: reads wait inside recv, writes pass MSG_DONTWAIT */
    assert_int_equal(fcntl(p.client.fd, F_GETFL) & O_NONBLOCK, 0);
    assert_int_equal(p.client.rcvtimeo_ms, 0);
    /* an answer that is late by 30 ms arrives within a 2 s deadline */
    pid_t child = fork();
    if (child == 0) {
        usleep(30000);
        _exit(write(p.server, "late", 4) == 4 ? 0 : 1);
    }
    assert_aero_ok(aero_conn__read(&p.client, buf, 4, aero_deadline_after_ms(2000), &err), &err);
    assert_memory_equal(buf, "late", 4);
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    uint32_t set = p.client.rcvtimeo_ms;
    assert_true(set > 0 && set < 2000); /* short of the deadline: the kernel may fire late */
    struct timeval tv;
    socklen_t len = sizeof tv;
    assert_int_equal(getsockopt(p.client.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &len), 0);
    uint64_t kernel_ms = (uint64_t)tv.tv_sec * 1000u + (uint64_t)tv.tv_usec / 1000u;
    assert_true(kernel_ms + 4 >= set && kernel_ms <= set + 4); /* what the kernel holds (in jiffies) */
    /* the same deadline again: no new setsockopt */
    assert_int_equal(write(p.server, "a", 1), 1);
    assert_aero_ok(aero_conn__read(&p.client, buf, 1, aero_deadline_after_ms(2000), &err), &err);
    assert_int_equal(p.client.rcvtimeo_ms, set);
    /* a much shorter deadline lowers it */
    assert_int_equal(write(p.server, "b", 1), 1);
    assert_aero_ok(aero_conn__read(&p.client, buf, 1, aero_deadline_after_ms(200), &err), &err);
    assert_true(p.client.rcvtimeo_ms < 200);
    /* no deadline: no timeout */
    assert_int_equal(write(p.server, "c", 1), 1);
    assert_aero_ok(aero_conn__read(&p.client, buf, 1, UINT64_MAX, &err), &err);
    assert_int_equal(p.client.rcvtimeo_ms, 0);
    assert_int_equal(getsockopt(p.client.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &len), 0);
    assert_true(tv.tv_sec == 0 && tv.tv_usec == 0);
    /* a long silence times out at the deadline: not before it, and not long after */
    for (int i = 0; i < 2; i++) {
        uint64_t t0 = aero_now_ns();
        assert_int_equal(aero_conn__read(&p.client, buf, 1, t0 + 300000000u, &err), AERO_ERR_TIMEOUT);
        uint64_t ms = (aero_now_ns() - t0) / 1000000u;
        assert_true(ms >= 299 && ms < 600);
    }
    pair_close(&p);
    assert_int_equal(p.client.rcvtimeo_ms, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock),         cmocka_unit_test(test_refused),
        cmocka_unit_test(test_exchange),      cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_ipv6_loopback), cmocka_unit_test(test_recv_timeout_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
