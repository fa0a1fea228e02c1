/*
 * bench.h - shared state of aero-bench: the run configuration, the data set
 * (pre-built keys and bin values) and one slot per worker thread.
 */
#ifndef AERO_BENCH_H
#define AERO_BENCH_H

#include <aero/aero.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "hist.h"

typedef enum bench_workload {
    BENCH_GET = 0,     /* aero_session_get of a random key into a reused record */
    BENCH_PUT,         /* aero_session_put of the five bins to a random key */
    BENCH_RU,          /* read-update mix: read_pct% gets, the rest puts */
    BENCH_AEL_COMPILE, /* aero_ael_compile of the filter, no network */
    BENCH_QUERY,       /* filtered query over the set, rows/s */
    BENCH_TYPED,       /* generated typed get (user_get-like) */
    BENCH_GET_GENERIC, /* generic get + aero_record_* lookups of every bin (compare with typed) */
    BENCH_BATCH_GET,   /* batch read of --batch-size consecutive keys, rows/s */
    BENCH_BATCH_PUT,   /* batch upsert of the five bins to --batch-size consecutive keys, rows/s */
    BENCH_LIST_APPEND, /* operate: append an int to list bin "events" of a random key */
    BENCH_MAP_GET,     /* operate: get key "theme" of map bin "prefs" (written by the load) */
    BENCH_INDEX_EQ,    /* where($.login_count == k) answered by the secondary index on login_count, rows/s */
    BENCH_SCAN_EQ,     /* the same where() with no_index(): a scan with the expression filter, rows/s */
} bench_workload;

/** The index index-eq creates (and drops at the end) on bin login_count of the bench set. */
#define BENCH_INDEX_NAME "aero_bench_login_count"

/** The AEL filter used by ael-compile and query. */
#define BENCH_FILTER "$.status == 'active' and $.age > 21"

typedef struct bench_config {
    const char *hosts; /* NULL or "embedded": start an aero-testserver in-process */
    const char *ns;    /* default "test" */
    const char *set;   /* "bench" */
    bench_workload workload;
    unsigned read_pct; /* for BENCH_RU */
    unsigned threads;
    double duration_s;       /* 0 when ops_per_thread is used */
    uint64_t ops_per_thread; /* --ops: fixed count per thread instead of a duration */
    uint32_t keys;
    bool load;
    bool quiet;          /* no progress lines */
    bool fresh_keys;     /* build the key (digest) per operation instead of using the pre-built one */
    uint32_t batch_size; /* batch-get / batch-put: keys per batch (default 100) */
    bool compress;       /* --compress: sessions compress requests over 128 bytes and ask for compressed answers */
    char name[32];       /* workload name as printed */
} bench_config;

/** The data set: key i is "user-<i>" in (ns, set), built once. */
typedef struct bench_data {
    aero_dataset ds;
    uint32_t n;
    char *key_text; /* n * BENCH_KEY_STRIDE bytes */
    aero_key *keys; /* n keys, digests computed */
} bench_data;

#define BENCH_KEY_STRIDE 24

/** One worker thread. Padded so the hot counters of two threads do not share a line. */
typedef struct bench_worker {
    _Alignas(64) _Atomic uint64_t ops; /* written by the worker, read by the progress loop */
    _Atomic uint64_t errors;
    uint64_t rows;   /* query: rows received */
    uint64_t cpu_ns; /* CPU time of this worker thread (client side only), set when it ends */
    unsigned id;
    uint64_t rng;
    aero_session *session;
    const bench_config *cfg;
    const bench_data *data;
    _Atomic bool *stop;
    aero_status first_error;
    char first_error_msg[AERO_ERROR_MESSAGE_SIZE];
    bench_hist hist;
    aero_record rec;                  /* reused by every get of this thread */
    char name_buf[48], email_buf[64]; /* bin values of a put, rewritten per put */
} bench_worker;

/* work.c */
int bench_data_init(bench_data *d, const char *ns, const char *set, uint32_t n);
void bench_data_free(bench_data *d);
/** Write every key once (bins of key i; with `prefs` also a 4-entry map bin "prefs"), split over `threads`
 *  sessions. Returns 0 or -1 (message printed). */
int bench_load(aero_client *c, const bench_data *d, unsigned threads, bool prefs);
/** The body of a worker thread for get / put / ru / query / typed workloads. */
void *bench_worker_main(void *arg);
/** ael-compile: compile BENCH_FILTER for `seconds`, print progress and the final line. Returns exit code. */
int bench_ael_compile(const bench_config *cfg);
/** Fill the five bins of key i into w's buffers and `out[5]`. */
void bench_bins_for(bench_worker *w, uint32_t i, aero_bin_value out[5]);
/** index-eq: create BENCH_INDEX_NAME and wait until it is readable. Returns 0 or -1 (message printed). */
int bench_index_create(aero_client *c, const bench_config *cfg);
/** Drop BENCH_INDEX_NAME (best effort). */
void bench_index_drop(aero_client *c, const bench_config *cfg);
/** Monotonic clock in ns. */
uint64_t bench_now_ns(void);

#endif
