/*
 * test_cluster.c - multi-node aero-testserver: partition ownership in the
 * replicas answers (disjoint masters covering 4096 partitions, a distinct
 * prole with replication factor 2), peers, proxying through any node,
 * node stop/start with partition-generation bumps, scans answering 11 for
 * partitions a node does not own, every injected fault, the info control
 * command, and the aero-testserver binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/testserver.h>

#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto/digest.h"
#include "tsclient.h"
#include "aero_assert.h"

static aero_testserver *start3(void) {
    aero_testserver_config cfg;
    aero_testserver_config_init(&cfg);
    cfg.nodes = 3;
    cfg.replication_factor = 2;
    cfg.cluster_name = "ci";
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    assert_non_null(ts);
    return ts;
}

static char *info1(uint16_t port, const char *cmd) {
    char req[256];
    snprintf(req, sizeof req, "%s\n", cmd);
    char *ans = tc_info(port, req);
    if (!ans)
        return NULL;
    char *v = tc_info_value(ans, cmd);
    free(ans);
    return v;
}

/* Decode the bitmaps of a replicas answer for namespace test: out[k][512]. */
static int bitmaps(const char *v, uint8_t out[2][512]) {
    assert_int_equal(strncmp(v, "test:0,", 7), 0);
    const char *p = v + 7;
    int n = atoi(p);
    p = strchr(p, ',') + 1;
    for (int k = 0; k < n && k < 2; k++) {
        uint8_t tmp[520];
        assert_int_equal(EVP_DecodeBlock(tmp, (const unsigned char *)p, 684), 513);
        memcpy(out[k], tmp, 512);
        p += 684;
        if (*p == ',')
            p++;
    }
    return n;
}

static bool bit(const uint8_t *bm, unsigned p) { return bm[p >> 3] & (0x80 >> (p & 7)); }

static void test_partition_map_and_peers(void **state) {
    (void)state;
    aero_testserver *ts = start3();
    uint8_t bm[3][2][512];
    for (unsigned i = 0; i < 3; i++) {
        char *v = info1(aero_testserver_port(ts, i), "replicas");
        assert_non_null(v);
        assert_int_equal(bitmaps(v, bm[i]), 2);
        free(v);
    }
    for (unsigned p = 0; p < 4096; p++) {
        int masters = 0, proles = 0, m = -1, r = -1;
        for (int i = 0; i < 3; i++) {
            if (bit(bm[i][0], p)) {
                masters++;
                m = i;
            }
            if (bit(bm[i][1], p)) {
                proles++;
                r = i;
            }
        }
        assert_int_equal(masters, 1);
        assert_int_equal(proles, 1);
        assert_true(m != r);
    }
    char *v = info1(aero_testserver_port(ts, 0), "peers-clear-std");
    char exp[64];
    for (unsigned i = 1; i < 3; i++) {
        snprintf(exp, sizeof exp, "[%s,,[127.0.0.1:%u]]", aero_testserver_node_name(ts, i),
                 aero_testserver_port(ts, i));
        assert_non_null(strstr(v, exp));
    }
    assert_null(strstr(v, aero_testserver_node_name(ts, 0)));
    free(v);
    v = info1(aero_testserver_port(ts, 1), "cluster-name");
    assert_string_equal(v, "ci");
    free(v);
    char seeds[128];
    snprintf(seeds, sizeof seeds, "127.0.0.1:%u,127.0.0.1:%u,127.0.0.1:%u", aero_testserver_port(ts, 0),
             aero_testserver_port(ts, 1), aero_testserver_port(ts, 2));
    assert_string_equal(aero_testserver_seeds(ts), seeds);
    aero_testserver_stop(ts);
}

static void test_stop_start_and_proxy(void **state) {
    (void)state;
    aero_testserver *ts = start3();
    uint16_t p0 = aero_testserver_port(ts, 0), p1 = aero_testserver_port(ts, 1), p2 = aero_testserver_port(ts, 2);
    /* write through node 0, read through node 2 */
    tc_msg m;
    tc_begin(&m, 0, 1, 0, 0, 0);
    tc_key_str(&m, "test", "c", "key", false);
    tc_op_int(&m, 2, "a", 42);
    tc_end(&m);
    tc_answer a = tc_call(p0, &m);
    assert_int_equal(a.result, 0);
    tc_answer_free(&a);
    tc_free(&m);
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_key_str(&m, "test", "c", "key", false);
    tc_end(&m);
    a = tc_call(p2, &m);
    bool found;
    assert_int_equal(tc_bin_int(&a, "a", &found), 42);
    tc_answer_free(&a);

    char *g0 = info1(p0, "partition-generation");
    char *pg0 = info1(p0, "peers-generation");
    aero_error err;
    assert_aero_ok(aero_testserver_node_stop(ts, 1, &err), &err);
    assert_int_equal(tc_connect(p1), -1);
    char *g1 = info1(p0, "partition-generation");
    char *pg1 = info1(p0, "peers-generation");
    assert_true(atoi(g1) > atoi(g0));
    assert_true(atoi(pg1) > atoi(pg0));
    free(g0);
    free(g1);
    free(pg0);
    free(pg1);
    char *peers = info1(p0, "peers-clear-std");
    assert_null(strstr(peers, aero_testserver_node_name(ts, 1)));
    free(peers);
    /* masters now split between nodes 0 and 2 */
    uint8_t b0[2][512], b2[2][512];
    char *v = info1(p0, "replicas");
    bitmaps(v, b0);
    free(v);
    v = info1(p2, "replicas");
    bitmaps(v, b2);
    free(v);
    for (unsigned p = 0; p < 4096; p++)
        assert_true(bit(b0[0], p) != bit(b2[0], p));
    /* data survives, the last node cannot be stopped */
    a = tc_call(p2, &m);
    assert_int_equal(tc_bin_int(&a, "a", &found), 42);
    tc_answer_free(&a);
    assert_aero_ok(aero_testserver_node_stop(ts, 0, &err), &err);
    assert_int_not_equal(aero_testserver_node_stop(ts, 2, &err), AERO_OK);
    assert_aero_ok(aero_testserver_node_start(ts, 1, &err), &err);
    assert_aero_ok(aero_testserver_node_start(ts, 0, &err), &err);
    a = tc_call(p1, &m);
    assert_int_equal(tc_bin_int(&a, "a", &found), 42);
    tc_answer_free(&a);

    /* a scan of a partition node 0 does not master: partition-done 11 */
    v = info1(p0, "replicas");
    bitmaps(v, b0);
    free(v);
    uint16_t other = 0;
    while (bit(b0[0], other))
        other++;
    tc_msg s;
    tc_begin(&s, 1, 0, 4, 0, 0xFFFFFFFF);
    tc_field(&s, 0, "test", 4);
    uint8_t pid[2] = { (uint8_t)other, (uint8_t)(other >> 8) };
    tc_field(&s, 11, pid, 2);
    tc_end(&s);
    tc_stream *st = tc_call_stream(p0, &s);
    assert_int_equal(st->n, 2);
    assert_true(st->msgs[0].info3 & 4);
    assert_int_equal(st->msgs[0].result, 11);
    assert_int_equal(st->msgs[0].gen, other);
    assert_true(st->msgs[1].info3 & 1);
    tc_stream_free(st);
    tc_free(&s);
    tc_free(&m);
    aero_testserver_stop(ts);
}

static int connect_short(uint16_t port, int ms) {
    int fd = tc_connect(port);
    struct timeval tv = { .tv_sec = 0, .tv_usec = ms * 1000 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* send a get; returns result code, -1 closed/timeout, -2 garbage */
static int get_rc(uint16_t port, int timeout_ms) {
    tc_msg m;
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_key_str(&m, "test", "f", "k", false);
    tc_end(&m);
    int fd = connect_short(port, timeout_ms);
    tc_send(fd, m.b.data, m.b.len);
    tc_free(&m);
    uint8_t h[8];
    ssize_t k = recv(fd, h, 8, MSG_WAITALL);
    int rc = -1;
    if (k == 8 && h[0] != 2)
        rc = -2;
    else if (k == 8) {
        uint8_t body[64];
        size_t n = aero_get_u32be(h + 4);
        ssize_t got = recv(fd, body, n < sizeof body ? n : sizeof body, MSG_WAITALL);
        rc = got == (ssize_t)n && n >= 22 ? body[5] : -1;
    }
    close(fd);
    return rc;
}

static void test_faults(void **state) {
    (void)state;
    aero_testserver *ts = start3();
    uint16_t p = aero_testserver_port(ts, 1);
    aero_error err;
    assert_int_equal(get_rc(p, 2000), 2);
    assert_aero_ok(aero_testserver_inject(ts, 1, AERO_TS_FAULT_STALL, 0, 0, &err), &err);
    assert_int_equal(get_rc(p, 300), -1);
    assert_int_equal(get_rc(aero_testserver_port(ts, 0), 2000), 2); /* other nodes unaffected */
    char *v = info1(p, "node");                                     /* info still answered */
    assert_string_equal(v, aero_testserver_node_name(ts, 1));
    free(v);
    /* a stall limited to one request still stalls that request, then the next one is answered */
    assert_aero_ok(aero_testserver_inject(ts, 1, AERO_TS_FAULT_STALL, 0, 1, &err), &err);
    assert_int_equal(get_rc(p, 300), -1);
    assert_int_equal(get_rc(p, 2000), 2);
    assert_aero_ok(aero_testserver_inject(ts, 1, AERO_TS_FAULT_DROP, 0, 1, &err), &err);
    assert_int_equal(get_rc(p, 2000), -1);
    assert_int_equal(get_rc(p, 2000), 2); /* count 1: back to normal */
    assert_aero_ok(aero_testserver_inject(ts, 1, AERO_TS_FAULT_CLOSE_MID, 0, 1, &err), &err);
    assert_int_equal(get_rc(p, 2000), -1);
    assert_aero_ok(aero_testserver_inject(ts, 1, AERO_TS_FAULT_GARBAGE, 16, 1, &err), &err);
    assert_int_equal(get_rc(p, 2000), -2);
    assert_aero_ok(aero_testserver_inject(ts, 1, AERO_TS_FAULT_RESULT_CODE, 11, 2, &err), &err);
    assert_int_equal(get_rc(p, 2000), 11);
    assert_int_equal(get_rc(p, 2000), 11);
    assert_int_equal(get_rc(p, 2000), 2);
    assert_aero_ok(aero_testserver_inject(ts, 1, AERO_TS_FAULT_DELAY, 250, 1, &err), &err);
    int64_t t0 = now_ms();
    assert_int_equal(get_rc(p, 3000), 2);
    assert_true(now_ms() - t0 >= 240);
    assert_int_not_equal(aero_testserver_inject(ts, 7, AERO_TS_FAULT_DROP, 0, 0, &err), AERO_OK);
    /* the same through the info control command */
    v = info1(p, "testserver-control:fault;node=1;type=result;arg=14;count=1");
    assert_string_equal(v, "ok");
    free(v);
    assert_int_equal(get_rc(p, 2000), 14);
    assert_int_equal(get_rc(p, 2000), 2);
    v = info1(p, "testserver-control:fault;node=1;type=bogus");
    assert_int_equal(strncmp(v, "ERROR:", 6), 0);
    free(v);
    /* a node stopping itself through its own port, then started again */
    v = info1(p, "testserver-control:stop;node=1");
    assert_string_equal(v, "ok");
    free(v);
    assert_int_equal(tc_connect(p), -1);
    v = info1(aero_testserver_port(ts, 0), "testserver-control:start;node=1");
    assert_string_equal(v, "ok");
    free(v);
    assert_int_equal(get_rc(p, 2000), 2);
    /* stop while a stalled connection is open must not hang */
    assert_aero_ok(aero_testserver_inject(ts, 2, AERO_TS_FAULT_STALL, 0, 0, &err), &err);
    int fd = tc_connect(aero_testserver_port(ts, 2));
    tc_msg m;
    tc_begin(&m, 3, 0, 0, 0, 0);
    tc_key_str(&m, "test", "f", "k", false);
    tc_end(&m);
    tc_send(fd, m.b.data, m.b.len);
    tc_free(&m);
    t0 = now_ms();
    aero_testserver_stop(ts);
    assert_true(now_ms() - t0 < 3000);
    close(fd);
}

#ifdef TESTSERVER_BIN
static void test_binary(void **state) {
    (void)state;
    int out[2];
    assert_int_equal(pipe(out), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execl(TESTSERVER_BIN, TESTSERVER_BIN, "--port", "0", "--nodes", "2", "--namespace", "alpha", "--namespace",
              "beta", "--virtual-clock", "--max-sindexes", "1", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    char line[256];
    unsigned ports[2] = { 0, 0 };
    for (int i = 0; i < 2; i++) {
        assert_non_null(fgets(line, sizeof line, f));
        assert_int_equal(sscanf(line, "aero-testserver listening on 127.0.0.1:%u", &ports[i]), 1);
    }
    char *v = info1((uint16_t)ports[1], "namespaces");
    assert_string_equal(v, "alpha;beta");
    free(v);
    /* the limit from the command line: a second index in a namespace is refused */
    v = info1((uint16_t)ports[0], "sindex-create:namespace=alpha;set=s;indexname=i1;bin=a;type=numeric");
    assert_string_equal(v, "ok"); /* as 8.1 answers */
    free(v);
    v = info1((uint16_t)ports[0], "sindex-create:namespace=alpha;set=s;indexname=i2;bin=b;type=numeric");
    assert_int_equal(strncmp(v, "ERROR:206", 9), 0);
    free(v);
    v = info1((uint16_t)ports[1], "testserver-control:advance;seconds=10");
    assert_string_equal(v, "ok");
    free(v);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    fclose(f);
}
#endif

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_map_and_peers),
        cmocka_unit_test(test_stop_start_and_proxy),
        cmocka_unit_test(test_faults),
#ifdef TESTSERVER_BIN
        cmocka_unit_test(test_binary),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
