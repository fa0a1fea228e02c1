/*
 * test_stunnel.c - the TLS handshake against a TLS stack that is not ours:
 * Debian's stunnel4, started by this test on 127.0.0.1 with a certificate
 * made at test time, in front of a clear-text aero-testserver (or, with
 * AERO_HOSTS=host:port, in front of the first host named there: a single-node
 * cluster, since only that node is behind the tunnel), and stopped by it.
 * Skips (exit 77, with a message) when stunnel4 is not on PATH.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <aero/aero.h>
#include <aero/testserver.h>

#include "aero_assert.h"
#include "test_certs.h"

#define NAME "stunnel.aero.test"

static tc_dir D;
static tc_ca *CA;
static aero_testserver *TS;
static pid_t STUNNEL = -1;
static uint16_t TLS_PORT;
static char TARGET[300]; /* host:port stunnel forwards to */

/* The stunnel binary on PATH, or NULL. */
static const char *find_stunnel(char *buf, size_t cap) {
    const char *path = getenv("PATH");
    const char *names[] = { "stunnel4", "stunnel" };
    for (size_t k = 0; path && k < 2; k++) {
        const char *p = path;
        while (*p) {
            size_t n = strcspn(p, ":");
            snprintf(buf, cap, "%.*s/%s", (int)n, p, names[k]);
            if (n && access(buf, X_OK) == 0)
                return buf;
            p += n + (p[n] == ':');
        }
    }
    return NULL;
}

static uint16_t free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0 };
    socklen_t al = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &al) != 0)
        return 0;
    close(fd);
    return ntohs(a.sin_port);
}

static bool port_open(uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
                             .sin_port = htons(port) };
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static void stop_stunnel(void) {
    if (STUNNEL > 0) {
        kill(STUNNEL, SIGTERM);
        int status;
        for (int i = 0; i < 50 && waitpid(STUNNEL, &status, WNOHANG) == 0; i++)
            usleep(20000);
        if (waitpid(STUNNEL, &status, WNOHANG) == 0) {
            kill(STUNNEL, SIGKILL);
            waitpid(STUNNEL, &status, 0);
        }
        STUNNEL = -1;
    }
}

static int setup(void **state) {
    (void)state;
    if (!tc_dir_make(&D) || !(CA = tc_ca_new("aero stunnel CA")) || !tc_ca_write(CA, &D, "ca") ||
        !tc_issue(CA, &D, "stunnel", "DNS:" NAME, -60, 3600, false))
        return -1;
    aero_error err;
    const char *hosts = getenv("AERO_HOSTS");
    if (!hosts || !*hosts)
        hosts = getenv("AERO_TEST_HOSTS");
    if (hosts && *hosts) {
        snprintf(TARGET, sizeof TARGET, "%.*s", (int)strcspn(hosts, ","), hosts);
        printf("stunnel in front of the real server %s\n", TARGET);
    } else {
        TS = aero_testserver_start(NULL, &err);
        if (!TS) {
            fprintf(stderr, "test server: %s\n", err.message);
            return -1;
        }
        snprintf(TARGET, sizeof TARGET, "127.0.0.1:%u", aero_testserver_port(TS, 0));
    }
    char bin[512];
    if (!find_stunnel(bin, sizeof bin))
        return -1; /* main() checked already */
    TLS_PORT = free_port();
    FILE *f = fopen(tc_path(&D, "stunnel.conf"), "w");
    if (!f || !TLS_PORT)
        return -1;
    fprintf(f,
            "foreground = yes\npid =\ndebug = 3\noutput = %s\n[aero]\naccept = 127.0.0.1:%u\nconnect = %s\ncert = "
            "%s\n",
            tc_path(&D, "stunnel.log"), TLS_PORT, TARGET, tc_path(&D, "stunnel.crt"));
    fprintf(f, "key = %s\n", tc_path(&D, "stunnel.key"));
    fclose(f);
    STUNNEL = fork();
    if (STUNNEL == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        execl(bin, bin, tc_path(&D, "stunnel.conf"), (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 250 && !port_open(TLS_PORT); i++) { /* up to 5 s for stunnel to listen */
        int status;
        if (waitpid(STUNNEL, &status, WNOHANG) == STUNNEL) {
            fprintf(stderr, "stunnel exited before listening (log: %s)\n", tc_path(&D, "stunnel.log"));
            STUNNEL = -1;
            return -1;
        }
        usleep(20000);
    }
    return port_open(TLS_PORT) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    stop_stunnel();
    aero_testserver_stop(TS);
    tc_ca_free(CA);
    tc_dir_remove(&D);
    return 0;
}

static aero_client_config config(void) {
    static char ca[512];
    snprintf(ca, sizeof ca, "%s", tc_path(&D, "ca.crt"));
    aero_client_config cfg = AERO_CLIENT_CONFIG_INIT;
    cfg.tls_enabled = true;
    cfg.tls_ca_file = ca;
    return cfg;
}

/* Through stunnel: the handshake verifies stunnel's certificate and name, then commands run as usual. */
static void test_through_stunnel(void **state) {
    (void)state;
    char seed[96];
    snprintf(seed, sizeof seed, "127.0.0.1:" NAME ":%u", TLS_PORT);
    aero_client_config cfg = config();
    aero_error err;
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    if (!c)
        fail_msg("connect through stunnel: %s", err.message);
    aero_session *s = aero_client_create_session(c, &AERO_BEHAVIOR_DEFAULT, &err);
    aero_dataset ds = aero_dataset_of("test", "tls_stunnel");
    for (int i = 0; i < 50; i++) {
        char id[16];
        snprintf(id, sizeof id, "k%d", i);
        aero_key k = aero_dataset_id_str(&ds, id);
        aero_write *w = aero_session_upsert(s, &k);
        aero_write_bin_set_int(w, "i", i);
        assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
        aero_record r;
        aero_record_init(&r);
        assert_aero_ok(aero_session_get(s, &k, NULL, 0, &r, &err), &err);
        assert_int_equal(aero_record_int(&r, "i", -1), i);
        aero_record_dispose(&r);
        assert_aero_ok(aero_write_execute(aero_session_delete(s, &k), NULL, &err), &err); /* leave nothing behind */
    }
    char out[64];
    assert_aero_ok(aero_client_info(c, "build", out, sizeof out, &err), &err);
    aero_session_free(s);
    aero_client_close(c);
}

/* stunnel's certificate checked against another name: our verification, not stunnel's, refuses it. */
static void test_stunnel_wrong_name(void **state) {
    (void)state;
    char seed[96];
    snprintf(seed, sizeof seed, "127.0.0.1:wrong.aero.test:%u", TLS_PORT);
    aero_client_config cfg = config();
    aero_error err;
    aero_client *c = aero_client_connect(seed, &cfg, &err);
    assert_null(c);
    assert_int_equal(err.code, AERO_ERR_TLS);
    if (!strstr(err.message, "name mismatch"))
        fail_msg("%s", err.message);
}

/*
 * Nodes of the real cluster at `hosts`. A tunnel fronts one node, and a
 * clear-text server announces no TLS peers, so the other nodes' partitions
 * could not be reached through it: the test needs a single node.
 */
static size_t cluster_nodes(const char *hosts) {
    aero_error err;
    aero_client *c = aero_client_connect(hosts, NULL, &err);
    size_t n = 0;
    aero_node_list *nodes = NULL;
    if (c && aero_client_nodes(c, &nodes, &err) == AERO_OK)
        n = aero_node_list_count(nodes);
    aero_node_list_free(nodes);
    aero_client_close(c);
    return n;
}

int main(void) {
    char bin[512];
    if (!find_stunnel(bin, sizeof bin)) {
        printf("SKIP: stunnel4 is not on PATH (apt-get install stunnel4 to run the independent TLS check)\n");
        return 77;
    }
    const char *hosts = getenv("AERO_HOSTS");
    if (!hosts || !*hosts)
        hosts = getenv("AERO_TEST_HOSTS");
    size_t n = hosts && *hosts ? cluster_nodes(hosts) : 1;
    if (n != 1) {
        printf("SKIP: stunnel fronts one node and a clear-text cluster announces no TLS peers; %s has %zu nodes "
               "(run this test against a single-node server)\n",
               hosts, n);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_through_stunnel),
        cmocka_unit_test(test_stunnel_wrong_name),
    };
    return cmocka_run_group_tests_name("tls-stunnel", tests, setup, teardown);
}
