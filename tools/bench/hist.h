/*
 * hist.h - a fixed-size latency histogram for aero-bench.
 *
 * Log-linear buckets over nanoseconds: 64 sub-buckets per power of two, so a
 * recorded value is off by at most 1/64 (1.6%). Recording is a few integer
 * instructions and never allocates. Each worker thread owns one histogram;
 * the main thread merges them when the run is over.
 */
#ifndef AERO_BENCH_HIST_H
#define AERO_BENCH_HIST_H

#include <stdint.h>

#define BENCH_HIST_SUB_BITS 6
#define BENCH_HIST_SUB      (1u << BENCH_HIST_SUB_BITS)
#define BENCH_HIST_EXPS     41 /* up to 2^46 ns, about 19 hours */
#define BENCH_HIST_BUCKETS  (BENCH_HIST_EXPS * BENCH_HIST_SUB)

typedef struct bench_hist {
    uint64_t count;
    uint64_t max_ns;
    uint64_t buckets[BENCH_HIST_BUCKETS];
} bench_hist;

/** Zero a histogram. */
void bench_hist_reset(bench_hist *h);

/** Bucket of a value (exposed for the unit test). */
static inline uint32_t bench_hist_bucket(uint64_t ns) {
    if (ns < BENCH_HIST_SUB)
        return (uint32_t)ns;
    unsigned top = 63u - (unsigned)__builtin_clzll(ns); /* >= SUB_BITS */
    unsigned shift = top - BENCH_HIST_SUB_BITS;         /* ns >> shift is in [SUB, 2*SUB) */
    uint64_t idx = ((uint64_t)(shift + 1u) << BENCH_HIST_SUB_BITS) + ((ns >> shift) - BENCH_HIST_SUB);
    if (idx >= BENCH_HIST_BUCKETS)
        idx = BENCH_HIST_BUCKETS - 1u;
    return (uint32_t)idx;
}

/** Record one latency. */
static inline void bench_hist_record(bench_hist *h, uint64_t ns) {
    h->buckets[bench_hist_bucket(ns)]++;
    h->count++;
    if (ns > h->max_ns)
        h->max_ns = ns;
}

/** Add every count of `src` into `dst`. */
void bench_hist_merge(bench_hist *dst, const bench_hist *src);

/** The value at quantile q (0..1), in ns (the middle of its bucket); 0 when empty. */
uint64_t bench_hist_quantile(const bench_hist *h, double q);

#endif
