/*
 * aero-faults - what a client sees when a node of a real cluster stalls or
 * dies under load (method and figures: tools/bench/README.md).
 *
 *   aero-faults --hosts H:P --workload stale-reads --pid-file F [--read-mode one|all]
 *               [--keys N] [--threads T] [--pause-ms MS] [--settle-ms MS] [--set SET]
 *   aero-faults --hosts H:P --workload node-kill --pid-file F --restart CMD
 *               [--max-error-rate N] [--keys N] [--threads T] [--down-ms MS] [--set SET]
 *   aero-faults --hosts H:P --workload node-stall --pid-file F [--pause-ms MS]
 *               [--max-error-rate N] [--keys N] [--threads T] [--set SET]
 *
 * Every command: socket timeout 1000 ms, total 3000 ms, --retries (2) retries,
 * reads and writes alike; replica SEQUENCE. --max-error-rate (0 = off) is the
 * client's breaker (aero_client_config.max_error_rate, window 1 tend = 1 s).
 *
 * stale-reads: every thread owns the keys k with k % T == t and writes
 * them an increasing value (so the last acknowledged value of each key is
 * known exactly) or reads them, half and half. After 2 s the node whose
 * asd pid is in F is paused (SIGSTOP) for --pause-ms (4000), resumed
 * (SIGCONT); --settle-ms (6000) later the load stops and every key is read
 * once with the same read mode: a key is stale when it reads back less than
 * its last acknowledged write. Prints one line:
 *   workload=stale-reads read_mode=<m> keys=<n> stale=<n> stale_pct=<x> missing=<n> errors=<n>
 *     load_reads=<n> load_stale=<n> load_writes_ok=<n> load_failed=<n>
 *
 * node-kill: the same load on a random key; after 2 s the node is killed
 * (SIGKILL), --down-ms (3000) later CMD is run to restart it, and the load
 * goes on for 5 s more. Prints the failed calls by code:
 *   workload=node-kill breaker=<n> ok=<n> failed=<n> reads_failed=<n> connection=<n>
 *     max_error_rate=<n> timeout=<n> other=<n> first_fail_ms=<x> last_fail_ms=<x>
 *
 * node-stall: as node-kill, but the node is paused (SIGSTOP) for --pause-ms
 * and resumed instead of killed, then the load goes on for 5 s more; same
 * line with workload=node-stall.
 *
 * Exit status 0 when the run completed (whatever it measured).
 */
#include <aero/aero.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#define MAX_THREADS 64

typedef struct opts {
    const char *hosts, *workload, *pid_file, *restart, *set;
    bool read_all;
    uint32_t keys, threads, pause_ms, settle_ms, down_ms, max_error_rate, retries;
} opts;

typedef struct shared {
    const opts *o;
    aero_session *s;
    aero_dataset ds;
    _Atomic int64_t *acked; /* last acknowledged value per key (written by the owner thread only) */
    int64_t *tried;         /* last value sent per key (owner thread only) */
    atomic_bool stop;
    uint64_t t_fault_us;
} shared;

typedef struct worker {
    shared *sh;
    pthread_t th;
    unsigned idx;
    uint64_t reads, stale, writes_ok, failed, reads_failed, by_code[4];
    uint64_t first_fail_us, last_fail_us;
    uint64_t check_stale, check_missing, check_errors;
} worker;

static uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void sleep_ms(uint32_t ms) {
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int read_value(shared *sh, aero_record *rec, uint32_t k, int64_t *v, aero_status *st_out) {
    aero_key key = aero_dataset_id_int(&sh->ds, (int64_t)k);
    aero_error err;
    aero_status st = aero_session_get(sh->s, &key, NULL, 0, rec, &err);
    *st_out = st;
    if (st != AERO_OK)
        return -1;
    *v = aero_record_int(rec, "v", -1);
    return 0;
}

static void count_failure(worker *w, aero_status st, bool is_read) {
    w->failed++;
    if (is_read)
        w->reads_failed++;
    w->by_code[st == AERO_ERR_CONNECTION ? 0 : st == AERO_ERR_MAX_ERROR_RATE ? 1 : st == AERO_ERR_TIMEOUT ? 2 : 3]++;
    uint64_t t = now_us();
    if (!w->first_fail_us)
        w->first_fail_us = t;
    w->last_fail_us = t;
}

static void *load_main(void *arg) {
    worker *w = arg;
    shared *sh = w->sh;
    const opts *o = sh->o;
    aero_record rec;
    aero_record_init(&rec);
    unsigned r = 2654435761u * (w->idx + 1);
    uint32_t per = o->keys / o->threads;
    while (!atomic_load(&sh->stop)) {
        r ^= r << 13; /* xorshift32: every bit is random, unlike a small LCG's low bits */
        r ^= r >> 17;
        r ^= r << 5;
        uint32_t k = ((r >> 1) % per) * o->threads + w->idx; /* one of this thread's keys */
        if (r & 1) {
            int64_t v = ++sh->tried[k];
            aero_key key = aero_dataset_id_int(&sh->ds, (int64_t)k);
            aero_bin_value bins[] = { { "v", aero_int(v) } };
            aero_error err;
            aero_status st = aero_session_put(sh->s, &key, bins, 1, &err);
            if (st == AERO_OK) {
                atomic_store(&sh->acked[k], v);
                w->writes_ok++;
            } else {
                count_failure(w, st, false);
            }
        } else {
            int64_t want = atomic_load(&sh->acked[k]), v = 0;
            aero_status st;
            if (read_value(sh, &rec, k, &v, &st) == 0) {
                w->reads++;
                if (v < want)
                    w->stale++;
            } else if (st != AERO_ERR_KEY_NOT_FOUND) {
                count_failure(w, st, true);
            }
        }
    }
    aero_record_dispose(&rec);
    return NULL;
}

/* After the load: read every key of this thread once. */
static void *check_main(void *arg) {
    worker *w = arg;
    shared *sh = w->sh;
    aero_record rec;
    aero_record_init(&rec);
    for (uint32_t k = w->idx; k < sh->o->keys; k += sh->o->threads) {
        int64_t v = 0;
        aero_status st;
        if (read_value(sh, &rec, k, &v, &st) != 0) {
            if (st == AERO_ERR_KEY_NOT_FOUND)
                w->check_missing++;
            else
                w->check_errors++;
        } else if (v < atomic_load(&sh->acked[k])) {
            w->check_stale++;
        }
    }
    aero_record_dispose(&rec);
    return NULL;
}

static pid_t read_pid(const char *file) {
    FILE *f = fopen(file, "r");
    long pid = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    fclose(f);
    return (pid_t)pid;
}

static void signal_node(const char *file, int sig) {
    pid_t pid = read_pid(file);
    if (pid <= 1 || kill(pid, sig) != 0) {
        fprintf(stderr, "aero-faults: cannot signal the pid in %s: %s\n", file, strerror(errno));
        exit(2);
    }
    fprintf(stderr, "aero-faults: sent %s to pid %ld\n", strsignal(sig), (long)pid);
}

static int parse_u32(const char *s, uint32_t *out) {
    char *end;
    errno = 0;
    unsigned long v = s ? strtoul(s, &end, 10) : 0;
    if (!s || !*s || errno || *end || s[0] == '-' || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static void usage(void) {
    fprintf(stderr,
            "usage: aero-faults --hosts H:P --workload stale-reads|node-kill|node-stall --pid-file F\n"
            "                   [--read-mode one|all] [--keys N] [--threads T] [--pause-ms MS]\n"
            "                   [--settle-ms MS] [--down-ms MS] [--restart CMD] [--max-error-rate N] [--retries N]\n"
            "                   [--set SET]\n");
    exit(2);
}

static void parse_args(int argc, char **argv, opts *o) {
    *o = (opts){
        .set = "faults", .keys = 10000, .threads = 8, .pause_ms = 4000, .settle_ms = 6000, .down_ms = 3000, .retries = 2
    };
    for (int i = 1; i < argc; i += 2) { /* --name value pairs */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!v)
            usage();
        if (!strcmp(a, "--hosts"))
            o->hosts = v;
        else if (!strcmp(a, "--workload"))
            o->workload = v;
        else if (!strcmp(a, "--pid-file"))
            o->pid_file = v;
        else if (!strcmp(a, "--restart"))
            o->restart = v;
        else if (!strcmp(a, "--set"))
            o->set = v;
        else if (!strcmp(a, "--read-mode"))
            bad = strcmp(v, "one") && strcmp(v, "all"), o->read_all = !strcmp(v, "all");
        else if (!strcmp(a, "--keys"))
            bad = parse_u32(v, &o->keys);
        else if (!strcmp(a, "--threads"))
            bad = parse_u32(v, &o->threads);
        else if (!strcmp(a, "--pause-ms"))
            bad = parse_u32(v, &o->pause_ms);
        else if (!strcmp(a, "--settle-ms"))
            bad = parse_u32(v, &o->settle_ms);
        else if (!strcmp(a, "--down-ms"))
            bad = parse_u32(v, &o->down_ms);
        else if (!strcmp(a, "--retries"))
            bad = parse_u32(v, &o->retries);
        else if (!strcmp(a, "--max-error-rate"))
            bad = parse_u32(v, &o->max_error_rate);
        else
            bad = 1;
        if (bad) {
            fprintf(stderr, "aero-faults: bad argument %s %s\n", a, v);
            usage();
        }
    }
    bool stale = o->workload && !strcmp(o->workload, "stale-reads");
    bool kill9 = o->workload && !strcmp(o->workload, "node-kill");
    bool stall = o->workload && !strcmp(o->workload, "node-stall");
    if (!o->hosts || !o->pid_file || (!stale && !kill9 && !stall) || (kill9 && !o->restart) || !o->threads ||
        o->threads > MAX_THREADS || o->keys < o->threads)
        usage();
}

int main(int argc, char **argv) {
    opts o;
    parse_args(argc, argv, &o);
    bool stale_reads = !strcmp(o.workload, "stale-reads");
    bool stall = !strcmp(o.workload, "node-stall");

    aero_error err;
    aero_client_config cfg;
    aero_client_config_init(&cfg);
    cfg.max_error_rate = o.max_error_rate;
    aero_client *c = aero_client_connect(o.hosts, &cfg, &err);
    if (!c) {
        fprintf(stderr, "aero-faults: connect %s: %s\n", o.hosts, err.message);
        return 1;
    }
    aero_behavior b = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "faults");
    b.all.socket_timeout_ms = 1000;
    b.all.total_timeout_ms = 3000;
    b.all.max_retries = (int32_t)o.retries;
    b.reads.read_mode_ap = (int8_t)(o.read_all ? AERO_READ_MODE_AP_ALL : AERO_READ_MODE_AP_ONE);
    shared sh = { .o = &o, .ds = aero_dataset_of("test", o.set) };
    sh.s = aero_client_create_session(c, &b, &err);
    sh.acked = calloc(o.keys, sizeof *sh.acked);
    sh.tried = calloc(o.keys, sizeof *sh.tried);
    worker *w = calloc(o.threads, sizeof *w);
    if (!sh.s || !sh.acked || !sh.tried || !w) {
        fprintf(stderr, "aero-faults: setup failed\n");
        return 1;
    }
    /* every key starts at 1, acknowledged */
    for (uint32_t k = 0; k < o.keys; k++) {
        aero_key key = aero_dataset_id_int(&sh.ds, (int64_t)k);
        aero_bin_value bins[] = { { "v", aero_int(1) } };
        if (aero_session_put(sh.s, &key, bins, 1, &err) != AERO_OK) {
            fprintf(stderr, "aero-faults: load key %u: %s\n", k, err.message);
            return 1;
        }
        sh.tried[k] = 1;
        atomic_store(&sh.acked[k], 1);
    }
    for (unsigned i = 0; i < o.threads; i++) {
        w[i].sh = &sh;
        w[i].idx = i;
        pthread_create(&w[i].th, NULL, load_main, &w[i]);
    }
    sleep_ms(2000);
    sh.t_fault_us = now_us();
    if (stale_reads) {
        signal_node(o.pid_file, SIGSTOP);
        sleep_ms(o.pause_ms);
        signal_node(o.pid_file, SIGCONT);
        sleep_ms(o.settle_ms);
    } else if (stall) {
        signal_node(o.pid_file, SIGSTOP);
        sleep_ms(o.pause_ms);
        signal_node(o.pid_file, SIGCONT);
        sleep_ms(5000);
    } else {
        signal_node(o.pid_file, SIGKILL);
        sleep_ms(o.down_ms);
        fprintf(stderr, "aero-faults: running %s\n", o.restart);
        if (system(o.restart) != 0)
            fprintf(stderr, "aero-faults: the restart command failed\n");
        sleep_ms(5000);
    }
    atomic_store(&sh.stop, true);
    for (unsigned i = 0; i < o.threads; i++)
        pthread_join(w[i].th, NULL);

    uint64_t reads = 0, stale = 0, writes_ok = 0, failed = 0, reads_failed = 0, codes[4] = { 0 };
    uint64_t first = 0, last = 0;
    for (unsigned i = 0; i < o.threads; i++) {
        reads += w[i].reads;
        stale += w[i].stale;
        writes_ok += w[i].writes_ok;
        failed += w[i].failed;
        reads_failed += w[i].reads_failed;
        for (int k = 0; k < 4; k++)
            codes[k] += w[i].by_code[k];
        if (w[i].first_fail_us && (!first || w[i].first_fail_us < first))
            first = w[i].first_fail_us;
        if (w[i].last_fail_us > last)
            last = w[i].last_fail_us;
    }
    if (stale_reads) {
        for (unsigned i = 0; i < o.threads; i++)
            pthread_create(&w[i].th, NULL, check_main, &w[i]);
        uint64_t cs = 0, cm = 0, ce = 0;
        for (unsigned i = 0; i < o.threads; i++) {
            pthread_join(w[i].th, NULL);
            cs += w[i].check_stale;
            cm += w[i].check_missing;
            ce += w[i].check_errors;
        }
        printf("workload=stale-reads read_mode=%s keys=%u stale=%llu stale_pct=%.2f missing=%llu errors=%llu "
               "load_reads=%llu load_stale=%llu load_writes_ok=%llu load_failed=%llu\n",
               o.read_all ? "all" : "one", o.keys, (unsigned long long)cs, 100.0 * (double)cs / o.keys,
               (unsigned long long)cm, (unsigned long long)ce, (unsigned long long)reads, (unsigned long long)stale,
               (unsigned long long)writes_ok, (unsigned long long)failed);
    } else {
        printf("workload=%s breaker=%u ok=%llu failed=%llu reads_failed=%llu connection=%llu "
               "max_error_rate=%llu timeout=%llu other=%llu first_fail_ms=%lld last_fail_ms=%lld\n",
               o.workload, o.max_error_rate, (unsigned long long)(reads + writes_ok), (unsigned long long)failed,
               (unsigned long long)reads_failed, (unsigned long long)codes[0], (unsigned long long)codes[1],
               (unsigned long long)codes[2], (unsigned long long)codes[3],
               first ? (long long)(first - sh.t_fault_us) / 1000 : -1LL,
               last ? (long long)(last - sh.t_fault_us) / 1000 : -1LL);
    }
    fflush(stdout);
    free(w);
    free(sh.acked);
    free(sh.tried);
    aero_session_free(sh.s);
    aero_client_close(c);
    return 0;
}
