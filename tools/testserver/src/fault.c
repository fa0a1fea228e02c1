/*
 * fault.c - fault injection: what a node's next AS_MSG answers look like.
 *
 * A node holds one fault (kind, argument, how many requests it still
 * affects), protected by the server mutex. Every inject bumps the node's
 * fault epoch, which releases requests stalled by an earlier STALL.
 */
#include <time.h>

#include "ts.h"

int ts_fault_take(ts_node *n, uint32_t *arg, uint32_t *epoch) {
    aero_testserver *ts = n->ts;
    pthread_mutex_lock(&ts->mu);
    int f = n->fault;
    *arg = n->fault_arg;
    *epoch = n->fault_epoch;
    if (f != AERO_TS_FAULT_NONE && n->fault_count > 0 && --n->fault_count == 0)
        n->fault = AERO_TS_FAULT_NONE;
    pthread_mutex_unlock(&ts->mu);
    return f;
}

uint32_t ts_fault_epoch(ts_node *n) {
    pthread_mutex_lock(&n->ts->mu);
    uint32_t e = n->fault_epoch;
    pthread_mutex_unlock(&n->ts->mu);
    return e;
}

void ts_fault_garbage(aero_buf *out, uint32_t n, uint64_t *seed) {
    if (n == 0)
        n = 32;
    if (n > 65536)
        n = 65536;
    uint8_t *g = aero_buf__append(out, n);
    if (!g)
        return;
    for (uint32_t i = 0; i < n; i++) {
        *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
        g[i] = (uint8_t)(*seed >> 56);
    }
    g[0] = 0xFF; /* never a valid version byte */
}

aero_status aero_testserver_inject(aero_testserver *ts, unsigned node, aero_testserver_fault fault, uint32_t arg,
                                   uint32_t count, aero_error *err) {
    if (!ts || node >= ts->n_nodes)
        return ts_err(err, AERO_ERR_PARAM, "testserver: no node %u", node);
    if ((int)fault < AERO_TS_FAULT_NONE || fault > AERO_TS_FAULT_RESULT_CODE)
        return ts_err(err, AERO_ERR_PARAM, "testserver: unknown fault %d", (int)fault);
    if (fault == AERO_TS_FAULT_RESULT_CODE && arg > 255)
        return ts_err(err, AERO_ERR_PARAM, "testserver: result code %u out of range", arg);
    pthread_mutex_lock(&ts->mu);
    ts->nodes[node].fault = fault;
    ts->nodes[node].fault_arg = arg;
    ts->nodes[node].fault_count = count;
    ts->nodes[node].fault_epoch++;
    pthread_mutex_unlock(&ts->mu);
    return ts_ok(err);
}

/* The delay fault's wait: ms milliseconds in 20 ms steps, less if the node stops. */
void ts_node_sleep_ms(const ts_node *n, uint32_t ms) {
    while (ms > 0 && ts_node_running(n)) {
        uint32_t step = ms > 20 ? 20 : ms;
        struct timespec t = { .tv_sec = 0, .tv_nsec = (long)step * 1000000L };
        nanosleep(&t, NULL);
        ms -= step;
    }
}
