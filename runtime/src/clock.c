/*
 * clock.c - the server's epoch. Read with clock_gettime(CLOCK_REALTIME), as
 * servers read theirs: time() reads the coarse clock, which trails it by up
 * to a tick, so just after a second starts it would still give the previous
 * second and a TTL computed from a fresh void time would come out one second
 * too long. A vDSO call on Linux: cheap enough once per decoded answer.
 */
#include "clock.h"

#include <time.h>

#include "proto/wire.h"

uint32_t aero_clock__now_2010(void) {
    struct timespec t;
    if (clock_gettime(CLOCK_REALTIME, &t) != 0)
        t.tv_sec = time(NULL);
    return t.tv_sec > (time_t)AERO_CITRUSLEAF_EPOCH ? (uint32_t)(t.tv_sec - AERO_CITRUSLEAF_EPOCH) : 0;
}
