/*
 * test_service.c - a seed that is not one of the node's own addresses (a
 * load balancer, a port forward): seeding asks the node's service-clear-std
 * / service-tls-std and moves the node to the advertised address that
 * answers as the same node (runtime/src/cluster/service.c).
 *
 * The "load balancer" is a forwarding listener in this test on another
 * 127.0.0.1 port. Loopback seeds are never checked (a local seed is no load
 * balancer), so this binary links with -Wl,--wrap=aero_net__is_loopback and
 * makes 127.0.0.1 count as remote while `loopback_is_remote` is set; one
 * test leaves it clear and checks the loopback rule itself. What a node
 * advertises is set with the test server's "access" control command.
 * Always against the in-process test server (it needs that control).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/aero.h>
#include <aero/cluster.h>
#include <aero/testserver.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "aero_assert.h"
#include "test_certs.h"

#define NAME "node.aero.test"

/* ---- the link-time hook ---- */

static atomic_bool loopback_is_remote;

bool __real_aero_net__is_loopback(const struct sockaddr *sa);
bool __wrap_aero_net__is_loopback(const struct sockaddr *sa);
bool __wrap_aero_net__is_loopback(const struct sockaddr *sa) {
    return atomic_load(&loopback_is_remote) ? false : __real_aero_net__is_loopback(sa);
}

/* ---- small helpers ---- */

static void sleep_ms(unsigned ms) {
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* A 127.0.0.1 port nothing listens on (bound, then closed). */
static uint16_t closed_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

/* ---- the "load balancer": a forwarding listener ---- */

#define FWD_MAX 64

typedef struct fwd {
    int lfd;
    uint16_t port;
    uint16_t target;
    pthread_t thread;
    atomic_bool stop;
    atomic_uint accepted; /* connections the client opened through it */
    atomic_uint active;   /* ... still open */
    pthread_t pumps[FWD_MAX];
    unsigned n_pumps;
} fwd;

typedef struct pump {
    fwd *f;
    int a, b;
} pump;

static void *pump_main(void *arg) {
    pump *p = arg;
    char buf[16384];
    struct pollfd pf[2] = { { p->a, POLLIN, 0 }, { p->b, POLLIN, 0 } };
    bool open = true;
    while (open && !atomic_load(&p->f->stop)) {
        int r = poll(pf, 2, 50);
        if (r < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2 && open && r > 0; i++) {
            if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = recv(pf[i].fd, buf, sizeof buf, 0);
            if (n <= 0) {
                open = false;
                break;
            }
            for (ssize_t off = 0; off < n;) {
                ssize_t w = send(pf[1 - i].fd, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
                if (w <= 0) {
                    open = false;
                    break;
                }
                off += w;
            }
        }
    }
    close(p->a);
    close(p->b);
    atomic_fetch_sub(&p->f->active, 1);
    free(p);
    return NULL;
}

static void *accept_main(void *arg) {
    fwd *f = arg;
    while (!atomic_load(&f->stop)) {
        struct pollfd pf = { f->lfd, POLLIN, 0 };
        if (poll(&pf, 1, 50) <= 0)
            continue;
        int a = accept(f->lfd, NULL, NULL);
        if (a < 0)
            continue;
        atomic_fetch_add(&f->accepted, 1);
        int b = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in t = { .sin_family = AF_INET,
                                 .sin_port = htons(f->target),
                                 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        pump *p = malloc(sizeof *p);
        if (b < 0 || !p || f->n_pumps == FWD_MAX || connect(b, (struct sockaddr *)&t, sizeof t) != 0) {
            close(a);
            if (b >= 0)
                close(b);
            free(p);
            continue;
        }
        p->f = f;
        p->a = a;
        p->b = b;
        atomic_fetch_add(&f->active, 1);
        if (pthread_create(&f->pumps[f->n_pumps], NULL, pump_main, p) == 0) {
            f->n_pumps++;
        } else {
            atomic_fetch_sub(&f->active, 1);
            close(a);
            close(b);
            free(p);
        }
    }
    return NULL;
}

/* A listener on a free 127.0.0.1 port forwarding every connection to 127.0.0.1:target. */
static fwd *fwd_start(uint16_t target) {
    fwd *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->target = target;
    f->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    assert_int_equal(bind(f->lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(f->lfd, 64), 0);
    assert_int_equal(getsockname(f->lfd, (struct sockaddr *)&a, &len), 0);
    f->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&f->thread, NULL, accept_main, f), 0);
    return f;
}

static void fwd_stop(fwd *f) {
    atomic_store(&f->stop, true);
    pthread_join(f->thread, NULL);
    for (unsigned i = 0; i < f->n_pumps; i++)
        pthread_join(f->pumps[i], NULL);
    close(f->lfd);
    free(f);
}

/* Wait (bounded) until no connection through f is open any more. */
static bool fwd_idle(fwd *f, unsigned max_ms) {
    for (unsigned t = 0; t < max_ms && atomic_load(&f->active) > 0; t += 10)
        sleep_ms(10);
    return atomic_load(&f->active) == 0;
}

/* ---- the client's log ---- */

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char log_text[16384];

static void log_fn(aero_log_level level, const char *message, void *udata) {
    (void)level;
    (void)udata;
    pthread_mutex_lock(&log_mu);
    size_t n = strlen(log_text);
    snprintf(log_text + n, sizeof log_text - n, "%s\n", message);
    pthread_mutex_unlock(&log_mu);
}

static bool logged(const char *what) {
    pthread_mutex_lock(&log_mu);
    bool found = strstr(log_text, what) != NULL;
    pthread_mutex_unlock(&log_mu);
    return found;
}

static void client_cfg(aero_client_config *cfg) {
    aero_client_config_init(cfg);
    cfg->tend_interval_ms = 100;
    cfg->connect_timeout_ms = 1000;
    cfg->log = log_fn;
    cfg->log_level = AERO_LOG_INFO;
    log_text[0] = '\0';
}

static int each_setup(void **state) {
    (void)state;
    atomic_store(&loopback_is_remote, true);
    return 0;
}

/* ---- checks ---- */

/* The address the client reaches node `name` at (fails the test when it has no such node). */
static void node_address(aero_client *c, const char *name, char *out, size_t cap) {
    aero_cluster_stats *st = calloc(1, sizeof *st);
    aero_cluster_stats_init(st);
    aero_error err;
    assert_aero_ok(aero_client_stats(c, st, &err), &err);
    out[0] = '\0';
    for (uint32_t i = 0; i < st->n_node_stats; i++)
        if (strcmp(st->nodes[i].name, name) == 0)
            snprintf(out, cap, "%s", st->nodes[i].address);
    free(st);
    if (!out[0])
        fail_msg("the client has no node %s", name);
}

static void expect_address(aero_client *c, const char *name, uint16_t port) {
    char addr[96], want[32];
    node_address(c, name, addr, sizeof addr);
    snprintf(want, sizeof want, "127.0.0.1:%u", (unsigned)port);
    if (strcmp(addr, want) != 0)
        fail_msg("node %s is reached at %s, expected %s; client log:\n%s", name, addr, want, log_text);
}

/* Write and read back a few records (every partition's node is the one node here). */
static void round_trip(aero_client *c) {
    aero_error err;
    aero_session *s = aero_client_create_session(c, &AERO_BEHAVIOR_DEFAULT, &err);
    assert_non_null(s);
    aero_dataset ds = aero_dataset_of("test", "svc");
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof id, "k%d", i);
        aero_key k = aero_dataset_id_str(&ds, id);
        aero_write *w = aero_session_upsert(s, &k);
        aero_write_bin_set_int(w, "n", i);
        assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
        aero_record r;
        aero_record_init(&r);
        assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
        assert_int_equal(aero_record_int(&r, "n", -1), i);
        aero_record_dispose(&r);
    }
    aero_session_free(s);
}

static aero_testserver *clear_server(unsigned nodes) {
    aero_testserver_config tc = AERO_TESTSERVER_CONFIG_INIT;
    tc.nodes = nodes;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&tc, &err);
    if (!ts)
        fail_msg("test server: %s", err.message);
    return ts;
}

static void control(aero_testserver *ts, const char *fmt, ...) {
    char cmd[512], out[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    aero_error err;
    assert_aero_ok(aero_testserver_control(ts, cmd, out, sizeof out, &err), &err);
}

/* ---- clear text ---- */

/* Seeded through the forwarder, the node ends up at the address it advertises; the forwarder is left. */
static void test_clear_seed_through_forwarder_moves(void **state) {
    (void)state;
    aero_testserver *ts = clear_server(1);
    uint16_t port = aero_testserver_port(ts, 0);
    fwd *f = fwd_start(port);
    char seed[64];
    snprintf(seed, sizeof seed, "127.0.0.1:%u", (unsigned)f->port);
    aero_client_config cfg;
    client_cfg(&cfg);
    aero_error err;
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    if (!c)
        fail_msg("connect through %s: %s", seed, err.message);
    expect_address(c, aero_testserver_node_name(ts, 0), port);
    round_trip(c);
    char build[64];
    assert_aero_ok(aero_client_info(c, "build", build, sizeof build, &err), &err);
    /* one connection went through the forwarder (the seed's check), and it was closed */
    assert_int_equal(atomic_load(&f->accepted), 1);
    assert_true(fwd_idle(f, 2000));
    char line[96];
    snprintf(line, sizeof line, "is not one of its addresses (127.0.0.1:%u): using 127.0.0.1:%u", (unsigned)port,
             (unsigned)port);
    assert_true(logged(line));
    aero_client_close(c);
    assert_int_equal(atomic_load(&f->accepted), 1);
    fwd_stop(f);
    aero_testserver_stop(ts);
}

/* The first advertised address that answers wins: one that refuses is skipped. */
static void test_clear_first_answering_address(void **state) {
    (void)state;
    aero_testserver *ts = clear_server(1);
    uint16_t port = aero_testserver_port(ts, 0);
    uint16_t dead = closed_port();
    control(ts, "access;node=0;clear=127.0.0.1:%u,127.0.0.1:%u", (unsigned)dead, (unsigned)port);
    fwd *f = fwd_start(port);
    char seed[64];
    snprintf(seed, sizeof seed, "127.0.0.1:%u", (unsigned)f->port);
    aero_client_config cfg;
    client_cfg(&cfg);
    aero_error err;
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    if (!c)
        fail_msg("connect through %s: %s", seed, err.message);
    expect_address(c, aero_testserver_node_name(ts, 0), port);
    round_trip(c);
    assert_int_equal(atomic_load(&f->accepted), 1);
    aero_client_close(c);
    fwd_stop(f);
    aero_testserver_stop(ts);
}

/* Seeded through the forwarder, with what the node advertises set by `access`: the seed must be kept. */
static void expect_seed_kept(aero_testserver *ts, const char *access, const char *log_line) {
    uint16_t port = aero_testserver_port(ts, 0);
    if (access)
        control(ts, "access;node=0;clear=%s", access);
    fwd *f = fwd_start(port);
    char seed[64];
    snprintf(seed, sizeof seed, "127.0.0.1:%u", (unsigned)f->port);
    aero_client_config cfg;
    client_cfg(&cfg);
    aero_error err;
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    if (!c)
        fail_msg("connect through %s: %s", seed, err.message);
    expect_address(c, aero_testserver_node_name(ts, 0), f->port);
    unsigned before = atomic_load(&f->accepted);
    assert_true(before >= 1);
    round_trip(c);
    /* the commands' connections went through the forwarder too */
    assert_true(atomic_load(&f->accepted) > before);
    assert_false(logged("using 127.0.0.1"));
    if (log_line && !logged(log_line))
        fail_msg("the client did not log \"%s\"; its log:\n%s", log_line, log_text);
    aero_client_close(c);
    fwd_stop(f);
}

/* An advertised address nothing answers on: the seed is kept (and the client says why). */
static void test_clear_unreachable_address_keeps_seed(void **state) {
    (void)state;
    aero_testserver *ts = clear_server(1);
    char access[64];
    snprintf(access, sizeof access, "127.0.0.1:%u", (unsigned)closed_port());
    expect_seed_kept(ts, access, "keeping seed");
    aero_testserver_stop(ts);
}

/* An advertised address where another node answers: not this node, the seed is kept. */
static void test_clear_other_node_keeps_seed(void **state) {
    (void)state;
    aero_testserver *ts = clear_server(2);
    char access[64];
    snprintf(access, sizeof access, "127.0.0.1:%u", (unsigned)aero_testserver_port(ts, 1));
    expect_seed_kept(ts, access, "answers as node");
    aero_testserver_stop(ts);
}

/* A node that advertises nothing (an empty service-clear-std): the seed is kept, nothing is tried. */
static void test_clear_no_address_keeps_seed(void **state) {
    (void)state;
    aero_testserver *ts = clear_server(1);
    expect_seed_kept(ts, "", NULL);
    assert_false(logged("keeping seed"));
    aero_testserver_stop(ts);
}

/* The loopback rule itself (no hook): a 127.0.0.1 seed is never checked, even through a forwarder. */
static void test_loopback_seed_is_not_checked(void **state) {
    (void)state;
    atomic_store(&loopback_is_remote, false);
    aero_testserver *ts = clear_server(1);
    expect_seed_kept(ts, NULL, NULL);
    assert_false(logged("keeping seed"));
    aero_testserver_stop(ts);
}

/* A seed that is one of the advertised addresses stays, and the others are not tried. */
static void test_seed_among_addresses_stays(void **state) {
    (void)state;
    aero_testserver *ts = clear_server(1);
    uint16_t port = aero_testserver_port(ts, 0);
    fwd *f = fwd_start(port);
    /* the forwarder is listed second: the seed (the node's own port) matches the first */
    control(ts, "access;node=0;clear=127.0.0.1:%u,127.0.0.1:%u", (unsigned)port, (unsigned)f->port);
    char seed[64];
    snprintf(seed, sizeof seed, "127.0.0.1:%u", (unsigned)port);
    aero_client_config cfg;
    client_cfg(&cfg);
    aero_error err;
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    if (!c)
        fail_msg("connect to %s: %s", seed, err.message);
    expect_address(c, aero_testserver_node_name(ts, 0), port);
    round_trip(c);
    assert_int_equal(atomic_load(&f->accepted), 0);
    assert_false(logged("using"));
    aero_client_close(c);
    fwd_stop(f);
    aero_testserver_stop(ts);
}

/* An answer that is not a host:port list refuses the seed (as the C client does), with a clear error. */
static void test_malformed_answer_refuses_seed(void **state) {
    (void)state;
    aero_testserver *ts = clear_server(1);
    control(ts, "access;node=0;clear=127.0.0.1");
    char seed[64];
    snprintf(seed, sizeof seed, "127.0.0.1:%u", (unsigned)aero_testserver_port(ts, 0));
    aero_client_config cfg;
    client_cfg(&cfg);
    aero_error err;
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    if (c) {
        aero_client_close(c);
        fail_msg("connect succeeded despite an invalid service-clear-std");
    }
    assert_int_equal(err.code, AERO_ERR_CONNECTION);
    if (!strstr(err.message, "invalid service-clear-std \"127.0.0.1\""))
        fail_msg("unexpected message: %s", err.message);
    aero_testserver_stop(ts);
}

/*
 * With access control the advertised address is logged in with the seed's
 * session token (AUTHENTICATE, no second LOGIN), and the node works there.
 */
static void test_secured_seed_moves_with_its_session(void **state) {
    (void)state;
    aero_testserver_config tc = AERO_TESTSERVER_CONFIG_INIT;
    tc.security = true;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&tc, &err);
    if (!ts)
        fail_msg("test server: %s", err.message);
    uint16_t port = aero_testserver_port(ts, 0);
    fwd *f = fwd_start(port);
    char seed[64];
    snprintf(seed, sizeof seed, "127.0.0.1:%u", (unsigned)f->port);
    aero_client_config cfg;
    client_cfg(&cfg);
    cfg.user = "admin";
    cfg.password = "admin";
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    if (!c)
        fail_msg("connect through %s: %s", seed, err.message);
    expect_address(c, aero_testserver_node_name(ts, 0), port);
    char stats[128];
    assert_aero_ok(aero_testserver_control(ts, "security-stats", stats, sizeof stats, &err), &err);
    /* the seed's LOGIN, then the advertised address took its token */
    if (strncmp(stats, "logins=1;", 9) != 0 || strstr(stats, "authentications=0"))
        fail_msg("expected one login and token authentications, got %s", stats);
    /* admin holds user-admin only: an info call on a fresh pooled connection (the token again) */
    char build[64];
    assert_aero_ok(aero_client_info(c, "build", build, sizeof build, &err), &err);
    assert_int_equal(atomic_load(&f->accepted), 1);
    aero_client_close(c);
    fwd_stop(f);
    aero_testserver_stop(ts);
}

/* ---- TLS ---- */

typedef struct fixture {
    tc_dir dir;
    tc_ca *ca;
    char ca_file[512];
} fixture;

static fixture F;

static int tls_group_setup(void **state) {
    (void)state;
    if (!tc_dir_make(&F.dir) || !(F.ca = tc_ca_new("aero test CA")) || !tc_ca_write(F.ca, &F.dir, "ca") ||
        !tc_issue(F.ca, &F.dir, "server", "DNS:" NAME, -60, 3600, false) ||
        !tc_issue(F.ca, &F.dir, "other", "DNS:other.aero.test", -60, 3600, false)) {
        fprintf(stderr, "could not make test certificates in %s\n", F.dir.path);
        return -1;
    }
    snprintf(F.ca_file, sizeof F.ca_file, "%s", tc_path(&F.dir, "ca.crt"));
    return 0;
}

static int tls_group_teardown(void **state) {
    (void)state;
    tc_ca_free(F.ca);
    tc_dir_remove(&F.dir);
    return 0;
}

static aero_testserver *tls_server(const char *cert, const char *tls_name) {
    aero_testserver_config tc = AERO_TESTSERVER_CONFIG_INIT;
    char crt[512], key[512], name[64];
    snprintf(name, sizeof name, "%s.crt", cert);
    snprintf(crt, sizeof crt, "%s", tc_path(&F.dir, name));
    snprintf(name, sizeof name, "%s.key", cert);
    snprintf(key, sizeof key, "%s", tc_path(&F.dir, name));
    tc.tls_cert_file = crt;
    tc.tls_key_file = key;
    tc.tls_name = tls_name;
    aero_error err;
    aero_testserver *ts = aero_testserver_start(&tc, &err);
    if (!ts)
        fail_msg("test server: %s", err.message);
    return ts;
}

static aero_client *tls_connect(uint16_t port) {
    char seed[96];
    snprintf(seed, sizeof seed, "127.0.0.1:" NAME ":%u", (unsigned)port);
    aero_client_config cfg;
    client_cfg(&cfg);
    cfg.tls_enabled = true;
    cfg.tls_ca_file = F.ca_file;
    aero_error err;
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    if (!c)
        fail_msg("TLS connect to %s: %s", seed, err.message);
    return c;
}

/* Over TLS the node moves to the TLS address of service-tls-std, checked against the seed's TLS name. */
static void test_tls_seed_through_forwarder_moves(void **state) {
    (void)state;
    aero_testserver *ts = tls_server("server", NAME);
    uint16_t port = aero_testserver_tls_port(ts, 0);
    fwd *f = fwd_start(port);
    aero_client *c = tls_connect(f->port);
    expect_address(c, aero_testserver_node_name(ts, 0), port);
    round_trip(c);
    assert_int_equal(atomic_load(&f->accepted), 1);
    assert_true(fwd_idle(f, 2000));
    aero_client_close(c);
    fwd_stop(f);
    aero_testserver_stop(ts);
}

/* service-tls-std, not service-clear-std, is asked over TLS: a clear list naming the clear port is not used. */
static void test_tls_uses_tls_addresses(void **state) {
    (void)state;
    aero_testserver *ts = tls_server("server", NAME);
    uint16_t tls_port = aero_testserver_tls_port(ts, 0);
    control(ts, "access;node=0;clear=127.0.0.1:%u;tls=", (unsigned)aero_testserver_port(ts, 0));
    fwd *f = fwd_start(tls_port);
    aero_client *c = tls_connect(f->port);
    /* no TLS address advertised: the seed stays, and the clear port was not tried (it would fail the handshake) */
    expect_address(c, aero_testserver_node_name(ts, 0), f->port);
    round_trip(c);
    assert_false(logged("using"));
    assert_false(logged("keeping seed"));
    aero_client_close(c);
    fwd_stop(f);
    aero_testserver_stop(ts);
}

/*
 * An advertised TLS address whose certificate is not valid for the seed's
 * TLS name (another server, same CA) is not used: the seed is kept.
 */
static void test_tls_wrong_name_keeps_seed(void **state) {
    (void)state;
    aero_testserver *ts = tls_server("server", NAME);
    aero_testserver *other = tls_server("other", "other.aero.test");
    uint16_t port = aero_testserver_tls_port(ts, 0);
    control(ts, "access;node=0;tls=127.0.0.1:%u", (unsigned)aero_testserver_tls_port(other, 0));
    fwd *f = fwd_start(port);
    aero_client *c = tls_connect(f->port);
    expect_address(c, aero_testserver_node_name(ts, 0), f->port);
    round_trip(c);
    if (!logged("keeping seed") || !logged("TLS name mismatch"))
        fail_msg("expected a kept seed after a TLS name mismatch; client log:\n%s", log_text);
    aero_client_close(c);
    fwd_stop(f);
    aero_testserver_stop(other);
    aero_testserver_stop(ts);
}

int main(void) {
    const struct CMUnitTest clear[] = {
        cmocka_unit_test_setup(test_clear_seed_through_forwarder_moves, each_setup),
        cmocka_unit_test_setup(test_clear_first_answering_address, each_setup),
        cmocka_unit_test_setup(test_clear_unreachable_address_keeps_seed, each_setup),
        cmocka_unit_test_setup(test_clear_other_node_keeps_seed, each_setup),
        cmocka_unit_test_setup(test_clear_no_address_keeps_seed, each_setup),
        cmocka_unit_test_setup(test_loopback_seed_is_not_checked, each_setup),
        cmocka_unit_test_setup(test_seed_among_addresses_stays, each_setup),
        cmocka_unit_test_setup(test_malformed_answer_refuses_seed, each_setup),
        cmocka_unit_test_setup(test_secured_seed_moves_with_its_session, each_setup),
    };
    const struct CMUnitTest tls[] = {
        cmocka_unit_test_setup(test_tls_seed_through_forwarder_moves, each_setup),
        cmocka_unit_test_setup(test_tls_uses_tls_addresses, each_setup),
        cmocka_unit_test_setup(test_tls_wrong_name_keeps_seed, each_setup),
    };
    int failed = cmocka_run_group_tests_name("service address, clear", clear, NULL, NULL);
    failed += cmocka_run_group_tests_name("service address, TLS", tls, tls_group_setup, tls_group_teardown);
    return failed;
}
