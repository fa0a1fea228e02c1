/*
 * net/wait.c - the clocks and the one poll() wait every socket of net/ uses
 * (clear text in conn.c, TLS in tls.c), so both bound their waits alike.
 */
#include "net/conn.h"

#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <time.h>

uint64_t aero_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t aero_now_coarse_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t aero_deadline_after_ms(uint32_t ms) {
    if (ms == 0)
        return UINT64_MAX;
    return aero_now_ns() + (uint64_t)ms * 1000000u;
}

/*
 * Wait until fd is ready for `events` or the deadline passes. Returns AERO_OK
 * when ready (or when the peer hung up: the next syscall reports it),
 * AERO_ERR_TIMEOUT after the deadline, AERO_ERR_CONNECTION on poll failure.
 */
aero_status aero_net__wait(int fd, short events, uint64_t deadline_ns, const char *what, aero_error *err) {
    for (;;) {
        int timeout_ms = -1;
        if (deadline_ns != UINT64_MAX) {
            uint64_t now = aero_now_ns();
            if (now >= deadline_ns)
                return aero_err__set(err, AERO_ERR_TIMEOUT, "socket timeout while %s", what);
            uint64_t left_ms = (deadline_ns - now + 999999u) / 1000000u;
            timeout_ms = left_ms > INT_MAX ? INT_MAX : (int)left_ms;
        }
        struct pollfd p = { .fd = fd, .events = events, .revents = 0 };
        int r = poll(&p, 1, timeout_ms);
        if (r > 0)
            return AERO_OK;
        if (r == 0)
            continue; /* re-check the deadline (poll may round down) */
        if (errno == EINTR)
            continue;
        return aero_err__set(err, AERO_ERR_CONNECTION, "poll failed while %s: %s", what, strerror(errno));
    }
}
