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

/** Was bin b asked for by the read a row came from? (the required-bin check of a decode) */
typedef bool (*aero_schema__asked_fn)(const void *ctx, const aero_schema_bin *b);

/**
 * Decode rec into obj as aero_schema_decode() (no ABI check), where a missing required bin is an error only when
 * fn(ctx, bin) says it was asked for (fn NULL: every bin was).
 */
aero_status aero_schema__decode_asked(const aero_schema_record *r, const aero_record *rec, aero_schema__asked_fn fn,
                                      const void *ctx, void *obj, aero_error *err);

#endif
