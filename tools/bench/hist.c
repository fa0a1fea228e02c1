/* hist.c - merge and quantiles of the fixed latency histogram. */
#include "hist.h"

#include <string.h>

void bench_hist_reset(bench_hist *h) { memset(h, 0, sizeof *h); }

void bench_hist_merge(bench_hist *dst, const bench_hist *src) {
    for (uint32_t i = 0; i < BENCH_HIST_BUCKETS; i++)
        dst->buckets[i] += src->buckets[i];
    dst->count += src->count;
    if (src->max_ns > dst->max_ns)
        dst->max_ns = src->max_ns;
}

/* Smallest value that falls in bucket `idx`, and the bucket's width. */
static void bucket_range(uint32_t idx, uint64_t *lo, uint64_t *width) {
    if (idx < BENCH_HIST_SUB) {
        *lo = idx;
        *width = 1;
        return;
    }
    uint32_t shift = (idx >> BENCH_HIST_SUB_BITS) - 1u;
    uint64_t sub = idx & (BENCH_HIST_SUB - 1u);
    *lo = ((uint64_t)BENCH_HIST_SUB + sub) << shift;
    *width = (uint64_t)1 << shift;
}

uint64_t bench_hist_quantile(const bench_hist *h, double q) {
    if (h->count == 0)
        return 0;
    if (q < 0)
        q = 0;
    if (q > 1)
        q = 1;
    uint64_t rank = (uint64_t)(q * (double)h->count + 0.5);
    if (rank < 1)
        rank = 1;
    if (rank > h->count)
        rank = h->count;
    uint64_t seen = 0;
    for (uint32_t i = 0; i < BENCH_HIST_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen >= rank) {
            uint64_t lo, width;
            bucket_range(i, &lo, &width);
            uint64_t mid = lo + width / 2;
            return mid > h->max_ns ? h->max_ns : mid;
        }
    }
    return h->max_ns;
}
