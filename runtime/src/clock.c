/*
 * clock.c - the server's epoch. time() is a vDSO call on Linux: cheap enough
 * to read once per decoded answer.
 */
#include "clock.h"

#include <time.h>

#include "proto/wire.h"

uint32_t aero_clock__now_2010(void) {
    time_t now = time(NULL);
    return now > (time_t)AERO_CITRUSLEAF_EPOCH ? (uint32_t)(now - AERO_CITRUSLEAF_EPOCH) : 0;
}
