/*
 * clock.h - wall-clock time in the server's terms: seconds since the
 * Citrusleaf epoch (2010-01-01), which void times count from. Not installed.
 */
#ifndef AERO_CLOCK_H
#define AERO_CLOCK_H

#include <stdint.h>

/** Seconds since 2010-01-01 now (for void time -> TTL); 0 if the clock is before it. */
uint32_t aero_clock__now_2010(void);

#endif
