/*
 * typed_internal.h - what typed.c shares with typed_batch.c. Not installed.
 */
#ifndef AERO_TYPED_INTERNAL_H
#define AERO_TYPED_INTERNAL_H

#include <aero/key.h>
#include <aero/schema.h>
#include <aero/write.h>

/** AERO_OK, or AERO_ERR_PARAM / AERO_ERR_SCHEMA_MISMATCH for a descriptor this runtime cannot use. */
aero_status aero_schema__check_abi(const aero_schema_record *r, aero_error *err);

/** Add the bins of the struct at obj to w (schema.h WRITES); an error leaves w partly filled. */
aero_status aero_schema__put_bins(aero_write *w, const aero_schema_record *r, const void *obj, aero_error *err);

/** Key i of a generated key array (see aero_schema_get_many) in dataset ds. */
aero_key aero_schema__nth_key(const aero_schema_record *r, const aero_dataset *ds, const void *keys, const size_t *lens,
                              size_t i);

#endif
