/* write_internal.h - builder recycling shared with client.c. Not installed. */
#ifndef AERO_WRITE_INTERNAL_H
#define AERO_WRITE_INTERNAL_H

#include "client.h"

/** Free every recycled write builder of a client (at close). */
void aero_write__free_list(aero_client *c);

#endif
