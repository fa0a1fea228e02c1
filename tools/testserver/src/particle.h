/*
 * particle.h - a bin value as the blob-family op engines (bits.c, hll.c)
 * take and give it: particle type and bytes.
 */
#ifndef AERO_TS_PARTICLE_H
#define AERO_TS_PARTICLE_H

#include <stdint.h>

/** A particle. As an input the bytes are borrowed; as an output of the op
 *  engines they are malloc'd and owned by the caller (free(data)).
 *  ptype 0 (AERO_PT_NULL) with no data means "none" (nil result, no bin). */
typedef struct ts_particle {
    uint8_t ptype;
    uint8_t *data;
    uint32_t len;
} ts_particle;

#endif
