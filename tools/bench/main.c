/*
 * aero-bench - throughput and latency of the aero client.
 *
 *   aero-bench [--hosts H:P[,H:P...]|embedded] --workload W [--threads N]
 *              [--duration S | --ops N] [--keys K] [--load]
 *              [--namespace NS] [--set SET] [--fresh-keys] [--quiet]
 *
 * Workloads: get, put, ru,<read%> (read-update mix), ael-compile, query, index-eq, scan-eq,
 * batch-get, batch-put (--batch-size keys per batch, default 100), list-append (one list append per op),
 * map-get (one map get-by-key per op; the load writes the map),
 * generic (get + reading every bin through aero_record_*), typed (the
 * generated typed get of the same record). Records are
 * {name, email, status, age, login_count} under key "user-<i>", i < K, in
 * set "bench" of namespace "test". Keys and their digests are built once;
 * --fresh-keys builds the key of every get and put anew, as an application
 * that has only the id string would.
 *
 * Without --hosts (or with --hosts embedded) an aero-testserver is started
 * inside the process and loaded first. Progress goes to stderr once a
 * second; the one result line goes to stdout:
 *   workload=<w> threads=<n> ops=<n> errors=<n> ops/s=<x> p50_us=<x> p99_us=<x>
 * Exit status 0 when every operation succeeded.
 */
#include "bench.h"

#include <aero/testserver.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static void usage(FILE *f) {
    fprintf(f, "usage: aero-bench [--hosts H:P[,H:P...]|embedded] --workload get|put|ru,<read%%>|ael-compile|query|"
               "generic|typed|batch-get|batch-put|list-append|map-get|index-eq|scan-eq\n"
               "                  [--threads N] [--duration S | --ops N] [--keys K] [--load] [--batch-size N]\n"
               "                  [--namespace NS] [--set SET] [--fresh-keys] [--compress] [--quiet]\n");
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out) {
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || s[0] == '-' || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_workload(const char *s, bench_config *cfg) {
    static const struct {
        const char *name;
        bench_workload w;
    } table[] = {
        { "get", BENCH_GET },
        { "put", BENCH_PUT },
        { "ael-compile", BENCH_AEL_COMPILE },
        { "query", BENCH_QUERY },
        { "typed", BENCH_TYPED },
        { "generic", BENCH_GET_GENERIC },
        { "batch-get", BENCH_BATCH_GET },
        { "batch-put", BENCH_BATCH_PUT },
        { "list-append", BENCH_LIST_APPEND },
        { "map-get", BENCH_MAP_GET },
        { "index-eq", BENCH_INDEX_EQ },
        { "scan-eq", BENCH_SCAN_EQ },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (!strcmp(s, table[i].name)) {
            cfg->workload = table[i].w;
            snprintf(cfg->name, sizeof cfg->name, "%s", s);
            return 0;
        }
    }
    uint64_t pct;
    if (!strncmp(s, "ru,", 3) && parse_u64(s + 3, 100, &pct) == 0) {
        cfg->workload = BENCH_RU;
        cfg->read_pct = (unsigned)pct;
        snprintf(cfg->name, sizeof cfg->name, "ru,%u", cfg->read_pct);
        return 0;
    }
    return -1;
}

static int parse_args(int argc, char **argv, bench_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    cfg->ns = "test";
    cfg->set = "bench";
    cfg->threads = 1;
    cfg->duration_s = 10;
    cfg->keys = 100000;
    cfg->batch_size = 100;
    bool have_workload = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = (i + 1 < argc) ? argv[i + 1] : NULL;
        uint64_t n;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "--load")) {
            cfg->load = true;
            continue;
        } else if (!strcmp(a, "--quiet")) {
            cfg->quiet = true;
            continue;
        } else if (!strcmp(a, "--fresh-keys")) {
            cfg->fresh_keys = true;
            continue;
        } else if (!strcmp(a, "--compress")) {
            cfg->compress = true;
            continue;
        }
        if (!v) {
            fprintf(stderr, "aero-bench: %s needs a value\n", a);
            return -1;
        }
        i++;
        if (!strcmp(a, "--hosts")) {
            cfg->hosts = v;
        } else if (!strcmp(a, "--namespace")) {
            cfg->ns = v;
        } else if (!strcmp(a, "--set")) {
            cfg->set = v;
        } else if (!strcmp(a, "--workload")) {
            if (parse_workload(v, cfg) != 0) {
                fprintf(stderr, "aero-bench: unknown workload '%s'\n", v);
                return -1;
            }
            have_workload = true;
        } else if (!strcmp(a, "--threads") && parse_u64(v, 1024, &n) == 0 && n > 0) {
            cfg->threads = (unsigned)n;
        } else if (!strcmp(a, "--keys") && parse_u64(v, 100000000, &n) == 0 && n > 0) {
            cfg->keys = (uint32_t)n;
        } else if (!strcmp(a, "--batch-size") && parse_u64(v, 100000, &n) == 0 && n > 0) {
            cfg->batch_size = (uint32_t)n;
        } else if (!strcmp(a, "--ops") && parse_u64(v, UINT64_MAX / 2, &n) == 0 && n > 0) {
            cfg->ops_per_thread = n;
        } else if (!strcmp(a, "--duration")) {
            char *end;
            double d = strtod(v, &end);
            if (*end || !(d > 0) || d > 86400) {
                fprintf(stderr, "aero-bench: bad --duration '%s'\n", v);
                return -1;
            }
            cfg->duration_s = d;
        } else {
            fprintf(stderr, "aero-bench: bad option %s %s\n", a, v);
            return -1;
        }
    }
    if (!have_workload) {
        fprintf(stderr, "aero-bench: --workload is required\n");
        return -1;
    }
    return 0;
}

/* User + system CPU time of the whole process, in microseconds. */
static double cpu_us(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_sec * 1e6 +
           (double)ru.ru_stime.tv_usec;
}

static void sleep_ns(uint64_t ns) {
    struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static uint64_t sum_ops(bench_worker *w, unsigned n, uint64_t *errors) {
    uint64_t ops = 0, errs = 0;
    for (unsigned t = 0; t < n; t++) {
        ops += atomic_load_explicit(&w[t].ops, memory_order_relaxed);
        errs += atomic_load_explicit(&w[t].errors, memory_order_relaxed);
    }
    if (errors)
        *errors = errs;
    return ops;
}

/* The embedded server, whose byte counters give the wire bytes per operation; NULL against a cluster. */
static aero_testserver *embedded_server;

/* Start the workers, report each second, stop them, print the result line. */
static int run(const bench_config *cfg, aero_client *client, const bench_data *data) {
    /* --compress: requests over 128 bytes compressed (zlib level 1), answers asked compressed */
    aero_behavior compressed = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "bench-compressed");
    compressed.compression_all.use_compression = 1;
    compressed.compression_all.compression_threshold = 128;
    bench_worker *w = aligned_alloc(64, sizeof *w * cfg->threads);
    pthread_t *tids = calloc(cfg->threads, sizeof *tids);
    _Atomic bool stop = false;
    if (!w || !tids) {
        free(w);
        free(tids);
        fprintf(stderr, "aero-bench: out of memory\n");
        return 2;
    }
    memset(w, 0, sizeof *w * cfg->threads);
    unsigned started = 0;
    for (unsigned t = 0; t < cfg->threads; t++) {
        w[t].id = t;
        w[t].rng = 0x9E3779B97F4A7C15ULL * (t + 1) ^ (uint64_t)bench_now_ns();
        w[t].cfg = cfg;
        w[t].data = data;
        w[t].stop = &stop;
        aero_record_init(&w[t].rec);
        w[t].session = aero_client_create_session(client, cfg->compress ? &compressed : NULL, NULL);
        if (!w[t].session)
            break;
    }
    uint64_t t_start = bench_now_ns();
    double cpu_start = cpu_us();
    uint64_t in_start = 0, out_start = 0;
    aero_testserver_wire_bytes(embedded_server, &in_start, &out_start);
    for (unsigned t = 0; t < cfg->threads; t++) {
        if (!w[t].session || pthread_create(&tids[t], NULL, bench_worker_main, &w[t]) != 0)
            break;
        started++;
    }
    if (started < cfg->threads) {
        fprintf(stderr, "aero-bench: could only start %u of %u threads\n", started, cfg->threads);
        atomic_store(&stop, true);
    }

    uint64_t t_end = cfg->ops_per_thread ? UINT64_MAX : t_start + (uint64_t)(cfg->duration_s * 1e9);
    uint64_t next = t_start + 1000000000u, last_ops = 0, target = cfg->ops_per_thread * started;
    while (!atomic_load(&stop)) {
        uint64_t now = bench_now_ns();
        uint64_t wake = next < t_end ? next : t_end;
        sleep_ns(wake > now ? (wake - now < 50000000u ? wake - now : 50000000u) : 0);
        now = bench_now_ns();
        uint64_t errs, ops = sum_ops(w, started, &errs);
        if (now >= next) {
            if (!cfg->quiet)
                fprintf(stderr, "%5.0fs ops/s=%llu total=%llu errors=%llu\n", (double)(now - t_start) / 1e9,
                        (unsigned long long)(ops - last_ops), (unsigned long long)ops, (unsigned long long)errs);
            last_ops = ops;
            next += 1000000000u;
        }
        if (now >= t_end || (target && ops >= target))
            atomic_store(&stop, true);
    }
    for (unsigned t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    double secs = (double)(bench_now_ns() - t_start) / 1e9;
    double cpu = cpu_us() - cpu_start;
    uint64_t in_end = 0, out_end = 0;
    aero_testserver_wire_bytes(embedded_server, &in_end, &out_end);

    bench_hist *all = calloc(1, sizeof *all);
    uint64_t ops = 0, errors = 0, rows = 0, client_cpu_ns = 0;
    const char *first_msg = NULL;
    for (unsigned t = 0; t < started; t++) {
        ops += w[t].ops;
        errors += w[t].errors;
        rows += w[t].rows;
        client_cpu_ns += w[t].cpu_ns;
        if (all)
            bench_hist_merge(all, &w[t].hist);
        if (w[t].first_error != AERO_OK && !first_msg)
            first_msg = w[t].first_error_msg;
    }
    if (first_msg)
        fprintf(stderr, "first error: %s\n", first_msg);
    printf("workload=%s threads=%u ops=%llu errors=%llu ops/s=%.0f p50_us=%.1f p99_us=%.1f", cfg->name, started,
           (unsigned long long)ops, (unsigned long long)errors, secs > 0 ? (double)ops / secs : 0.0,
           all ? (double)bench_hist_quantile(all, 0.50) / 1e3 : 0.0,
           all ? (double)bench_hist_quantile(all, 0.99) / 1e3 : 0.0);
    /* Process CPU per operation: includes the server when it is embedded. */
    printf(" cpu_us_per_op=%.2f", ops ? cpu / (double)ops : 0.0);
    /* CPU of the worker threads alone: the client's share, without an embedded server's threads */
    printf(" client_cpu_us_per_op=%.2f", ops ? (double)client_cpu_ns / 1e3 / (double)ops : 0.0);
    if (embedded_server && ops) /* wire bytes, as the embedded server counted them */
        printf(" req_bytes_per_op=%.0f resp_bytes_per_op=%.0f", (double)(in_end - in_start) / (double)ops,
               (double)(out_end - out_start) / (double)ops);
    if (cfg->workload == BENCH_QUERY || cfg->workload == BENCH_BATCH_GET || cfg->workload == BENCH_BATCH_PUT ||
        cfg->workload == BENCH_INDEX_EQ || cfg->workload == BENCH_SCAN_EQ)
        printf(" rows=%llu rows/s=%.0f", (unsigned long long)rows, secs > 0 ? (double)rows / secs : 0.0);
    printf("\n");
    fflush(stdout);

    for (unsigned t = 0; t < cfg->threads; t++) {
        aero_record_dispose(&w[t].rec);
        aero_session_free(w[t].session);
    }
    free(all);
    free(w);
    free(tids);
    return (errors == 0 && started == cfg->threads && ops > 0) ? 0 : 1;
}

int main(int argc, char **argv) {
    bench_config cfg;
    if (parse_args(argc, argv, &cfg) != 0) {
        usage(stderr);
        return 2;
    }
    if (cfg.workload == BENCH_AEL_COMPILE)
        return bench_ael_compile(&cfg);

    aero_error err;
    aero_testserver *ts = NULL;
    const char *seeds = cfg.hosts;
    bool embedded = !seeds || !strcmp(seeds, "embedded");
    if (embedded) {
        aero_testserver_config tcfg;
        aero_testserver_config_init(&tcfg);
        tcfg.namespaces = cfg.ns;
        tcfg.compression = cfg.compress; /* as Enterprise Edition, so compressed requests are served */
        ts = aero_testserver_start(&tcfg, &err);
        if (!ts) {
            fprintf(stderr, "aero-bench: cannot start the embedded server: %s\n", err.message);
            return 2;
        }
        seeds = aero_testserver_seeds(ts);
        embedded_server = ts;
        if (cfg.workload != BENCH_PUT && cfg.workload != BENCH_BATCH_PUT && cfg.workload != BENCH_LIST_APPEND)
            cfg.load = true; /* an empty server has nothing to read */
        fprintf(stderr, "embedded aero-testserver at %s\n", seeds);
    }
    aero_client *client = aero_client_connect(seeds, NULL, &err);
    if (!client) {
        fprintf(stderr, "aero-bench: cannot connect to %s: %s\n", seeds, err.message);
        aero_testserver_stop(ts);
        return 2;
    }
    bench_data data;
    int rc = 2;
    if (bench_data_init(&data, cfg.ns, cfg.set, cfg.keys) == 0) {
        if (!cfg.load || bench_load(client, &data, cfg.threads, cfg.workload == BENCH_MAP_GET) == 0) {
            if (cfg.workload != BENCH_INDEX_EQ || bench_index_create(client, &cfg) == 0)
                rc = run(&cfg, client, &data);
            if (cfg.workload == BENCH_INDEX_EQ)
                bench_index_drop(client, &cfg);
        }
        bench_data_free(&data);
    }
    aero_client_close(client);
    aero_testserver_stop(ts);
    return rc;
}
