/*
 * aero-testserver - run the in-memory Aerospike test server as a process.
 *
 *   aero-testserver [--port N] [--nodes N] [--namespace NAME]... [--rf N]
 *                   [--default-ttl S] [--default-read-touch-ttl-pct P] [--cluster-name NAME] [--virtual-clock]
 *                   [--max-record-size BYTES] [--max-sindexes N] [--max-connections N]
 *                   [--max-batch-requests N] [--compression]
 *                   [--tls-cert PEM --tls-key PEM [--tls-ca PEM] [--tls-require-client-cert] [--tls-name NAME]]
 *
 * With --tls-cert and --tls-key every node also listens for TLS on a port of
 * its own ("aero-testserver tls on 127.0.0.1:PORT", then "aero-testserver
 * tls-seeds <list>"); --compression serves compressed requests and answers
 * as Enterprise Edition does.
 * Binds 127.0.0.1 only. With --port 0 (the default) free ports are picked.
 * Prints one line per node, "aero-testserver listening on 127.0.0.1:PORT",
 * then "aero-testserver seeds <list>", and runs until SIGINT or SIGTERM.
 * Control it with the info command testserver-control:<cmd> on any port
 * (see aero/testserver.h, aero_testserver_control()); with --virtual-clock
 * the clock stands still until testserver-control:advance;seconds=N.
 */
#include <aero/testserver.h>

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fprintf(f, "usage: aero-testserver [--port N] [--nodes N] [--namespace NAME]... [--rf N]\n"
               "                       [--default-ttl SECONDS] [--default-read-touch-ttl-pct P]\n"
               "                       [--cluster-name NAME] [--virtual-clock]\n"
               "                       [--max-record-size BYTES] [--max-sindexes N] [--max-connections N]\n"
               "                       [--max-batch-requests N] [--compression]\n"
               "                       [--tls-cert PEM --tls-key PEM [--tls-ca PEM] [--tls-require-client-cert]\n"
               "                        [--tls-name NAME]]\n");
}

static bool num(const char *s, unsigned long max, unsigned long *out) {
    char *e;
    unsigned long v = strtoul(s, &e, 10);
    if (!*s || *e || v > max)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv) {
    aero_testserver_config cfg;
    aero_testserver_config_init(&cfg);
    char namespaces[512] = "";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long n;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--virtual-clock")) {
            cfg.virtual_clock = true;
            continue;
        }
        if (!strcmp(a, "--compression")) {
            cfg.compression = true;
            continue;
        }
        if (!strcmp(a, "--tls-require-client-cert")) {
            cfg.tls_require_client_cert = true;
            continue;
        }
        if (!v) {
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--port") && num(v, 65535, &n))
            cfg.port = (uint16_t)n;
        else if (!strcmp(a, "--nodes") && num(v, 64, &n) && n > 0)
            cfg.nodes = (unsigned)n;
        else if ((!strcmp(a, "--rf") || !strcmp(a, "--replication-factor")) && num(v, 64, &n) && n > 0)
            cfg.replication_factor = (unsigned)n;
        else if (!strcmp(a, "--default-ttl") && num(v, 315360000, &n))
            cfg.default_ttl = (uint32_t)n;
        else if (!strcmp(a, "--default-read-touch-ttl-pct") && num(v, 100, &n))
            cfg.default_read_touch_ttl_pct = (uint32_t)n;
        else if (!strcmp(a, "--max-record-size") && num(v, UINT32_MAX, &n))
            cfg.limits.max_record_size = (uint32_t)n;
        else if (!strcmp(a, "--max-sindexes") && num(v, UINT_MAX, &n))
            cfg.limits.max_sindexes = (unsigned)n;
        else if (!strcmp(a, "--max-connections") && num(v, UINT_MAX, &n))
            cfg.limits.max_connections = (unsigned)n;
        else if (!strcmp(a, "--max-batch-requests") && num(v, UINT32_MAX, &n))
            cfg.limits.max_batch_requests = (uint32_t)n;
        else if (!strcmp(a, "--cluster-name"))
            cfg.cluster_name = v;
        else if (!strcmp(a, "--tls-cert"))
            cfg.tls_cert_file = v;
        else if (!strcmp(a, "--tls-key"))
            cfg.tls_key_file = v;
        else if (!strcmp(a, "--tls-ca"))
            cfg.tls_ca_file = v;
        else if (!strcmp(a, "--tls-name"))
            cfg.tls_name = v;
        else if (!strcmp(a, "--namespace") && strlen(namespaces) + strlen(v) + 2 < sizeof namespaces) {
            if (namespaces[0])
                strcat(namespaces, ";");
            strcat(namespaces, v);
        } else {
            fprintf(stderr, "aero-testserver: bad option %s %s\n", a, v);
            usage(stderr);
            return 2;
        }
    }
    if (namespaces[0])
        cfg.namespaces = namespaces;

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* server threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);

    aero_error err;
    aero_testserver *ts = aero_testserver_start(&cfg, &err);
    if (!ts) {
        fprintf(stderr, "aero-testserver: %s\n", err.message);
        return 1;
    }
    for (unsigned i = 0; i < aero_testserver_node_count(ts); i++)
        printf("aero-testserver listening on 127.0.0.1:%u\n", aero_testserver_port(ts, i));
    printf("aero-testserver seeds %s\n", aero_testserver_seeds(ts));
    if (aero_testserver_tls_port(ts, 0)) {
        for (unsigned i = 0; i < aero_testserver_node_count(ts); i++)
            printf("aero-testserver tls on 127.0.0.1:%u\n", aero_testserver_tls_port(ts, i));
        printf("aero-testserver tls-seeds %s\n", aero_testserver_tls_seeds(ts));
    }
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    aero_testserver_stop(ts);
    return 0;
}
