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

/** Free the typed operate builders a client keeps for reuse (at close). */
struct aero_client;
void aero_schema__ops_free_list(struct aero_client *c);

/** The write builder of verb op on key (NULL: out of memory or a bad verb). */
aero_write *aero_schema__start_write(aero_session *s, aero_schema_op op, const aero_key *key);

/** Add the bins of the struct at obj to w (schema.h WRITES); an error leaves w partly filled. */
aero_status aero_schema__put_bins(aero_write *w, const aero_schema_record *r, const void *obj, aero_error *err);

/** Key i of a generated key array (see aero_schema_get_many) in dataset ds. */
aero_key aero_schema__nth_key(const aero_schema_record *r, const aero_dataset *ds, const void *keys, const size_t *lens,
                              size_t i);

/* ---- typed lists, maps and documents (typed_codec.c) ---- */

#include "proto/arena.h"
#include "proto/buf.h"

/** The head of every C list and map struct: the array, then the count. */
struct aero_schema__coll {
    const void *items;
    size_t count;
};

/**
 * Write the list, map or document bin b (b->tdesc) of `record` from its C
 * value at c, packed straight into w's op buffer. AERO_ERR_PARAM naming the
 * path ("user.tags[2] is NULL ...") when the value cannot be written (w then
 * has no op for the bin); a bin the builder refuses is recorded on w.
 */
aero_status aero_schema__put_coll(aero_write *w, const char *record, const aero_schema_bin *b, const void *c,
                                  aero_error *err);
/**
 * Decode the list, map or document bin b from its particle bytes (msgpack)
 * into the C value at c: arrays from `arena`, strings NUL-terminated IN PLACE
 * (bytes must be writable and decoded once). AERO_ERR_BIN_INCOMPATIBLE_TYPE
 * naming the path for a value of another shape, AERO_ERR_PROTOCOL for
 * malformed bytes.
 */
aero_status aero_schema__unpack_bin(const char *record, const aero_schema_bin *b, uint8_t *bytes, size_t len,
                                    aero_arena *arena, void *c, aero_error *err);
/** The same from a decoded value (a stream or batch row). Strings must be NUL-terminated (values read are). */
aero_status aero_schema__store_value(const char *record, const aero_schema_bin *b, const aero_value *v,
                                     aero_arena *arena, void *c, aero_error *err);
/** Pack one C value of schema type `type` (shape t for lists, maps, documents); `where` names it in errors. */
aero_status aero_schema__pack_c(aero_buf *b, uint8_t type, const aero_schema_tdesc *t, const void *c,
                                const char *where, aero_error *err);
/** C value -> aero_value tree (items and entries in `arena`; strings and blobs not copied). */
aero_status aero_schema__value_from_c(const aero_schema_tdesc *t, const void *c, aero_arena *arena, aero_value *out,
                                      aero_error *err);
/** aero_value tree -> C value (arrays in `arena`, pointers into v). */
aero_status aero_schema__value_to_c(const aero_schema_tdesc *t, const aero_value *v, aero_arena *arena, void *c,
                                    aero_error *err);
/** Was bin b asked for by the read a row came from? (the required-bin check of a decode) */
typedef bool (*aero_schema__asked_fn)(const void *ctx, const aero_schema_bin *b);

/**
 * Decode rec into obj as aero_schema_decode() (no ABI check), where a missing required bin is an error only when
 * fn(ctx, bin) says it was asked for (fn NULL: every bin was).
 */
aero_status aero_schema__decode_asked(const aero_schema_record *r, const aero_record *rec, aero_schema__asked_fn fn,
                                      const void *ctx, void *obj, aero_error *err);

#endif
