/*
 * clock.c - the server's clock: real time, or a virtual clock that stands
 * still and moves only when a test advances it.
 *
 * Server time = (stopped ? the time it stopped at : real time) + everything
 * advanced so far. TTLs, void times, expiry, last-update times and the
 * expressions that read the clock all use it, so a test expires a record by
 * advancing the clock instead of sleeping.
 *
 * Which clock a thread reads: a connection thread serves one server for its
 * whole life and binds that server's clock when it starts; the in-process
 * API binds it for the duration of a call. The codec, the store and the
 * expression evaluator then read "now" without a server parameter.
 *
 * Clients compute a record's TTL from the void time in an answer and their
 * own (real) clock, so answers carry void times moved onto the real clock
 * (ts_clock_wire_void_time): the TTL a client sees is the one left on the
 * server's clock. Likewise a truncate's last-update cut-off, given on the
 * client's clock, is moved onto the server's.
 */
#include "ts.h"

#include <time.h>

static _Thread_local const ts_clock *tl_clock;

static uint64_t real_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void ts_clock_init(ts_clock *c, bool stopped) {
    atomic_store(&c->advanced_ns, 0);
    /* a stopped clock starts on a whole second, so advancing by whole
       seconds moves TTLs by exactly that much */
    atomic_store(&c->stopped_at_ns, stopped ? real_ns() / 1000000000u * 1000000000u : 0);
    atomic_store(&c->stopped, stopped);
}

void ts_clock_advance(ts_clock *c, uint64_t ns) { atomic_fetch_add(&c->advanced_ns, ns); }

const ts_clock *ts_clock_bind(const ts_clock *c) {
    const ts_clock *prev = tl_clock;
    tl_clock = c;
    return prev;
}

static uint64_t server_ns(const ts_clock *c, uint64_t real) {
    if (!c)
        return real;
    uint64_t base = atomic_load(&c->stopped) ? atomic_load(&c->stopped_at_ns) : real;
    return base + atomic_load(&c->advanced_ns);
}

uint64_t ts_clock_now_ns(const ts_clock *c) { return server_ns(c, real_ns()); }

uint64_t ts_now_ns(void) { return server_ns(tl_clock, real_ns()); }

static uint32_t to2010(uint64_t ns) { return (uint32_t)(ns / 1000000000u - AERO_CITRUSLEAF_EPOCH); }

uint32_t ts_now2010(void) { return to2010(ts_now_ns()); }

uint32_t ts_clock_wire_void_time(uint32_t void_time) {
    if (void_time == 0 || !tl_clock)
        return void_time;
    uint64_t real = real_ns();
    uint32_t now_server = to2010(server_ns(tl_clock, real)), now_real = to2010(real);
    if (now_server == now_real || void_time <= now_server)
        return void_time;
    return now_real + (void_time - now_server);
}

uint64_t ts_clock_from_client_ns(uint64_t client_ns) {
    uint64_t real = real_ns();
    uint64_t server = server_ns(tl_clock, real);
    return client_ns + (server - real); /* modular: also right when the server clock is behind */
}
