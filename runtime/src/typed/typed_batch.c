/*
 * typed_batch.c - typed rows of a batch and the typed many-key verbs
 * (aero/schema.h BATCHES), on the batch builder of aero/batch.h.
 *
 * A typed write row is a batch write row filled from the struct by the same
 * code as a single typed write (aero_schema__put_bins), so both check the
 * struct the same way. A struct that fails the checks is recorded on the
 * row's builder as a misuse: the batch then fails at execute, naming the
 * row, before anything is sent - and the row still exists, so the indexes
 * of the rows after it stay what the caller counted.
 *
 * The many-key verbs build one batch and run it with
 * aero_batch_execute_each(), writing each row's outcome straight into the
 * caller's arrays: nothing is kept per row here. Keys for the multi-key
 * verbs go through a small array on the stack, KEY_CHUNK at a time (the
 * batch copies them); consecutive chunks have the same command, so the
 * batch stores it once and sends the rows as repeats.
 */
#include "internal.h"
#include "typed_internal.h"
#include "write_row.h"

#include <aero/batch.h>
#include <aero/schema.h>

#define KEY_CHUNK 64

#define CFIELD(obj, off, T) ((const T *)(const void *)((const char *)(obj) + (off)))

/* ---- rows of a caller's batch ---- */

static aero_write *open_write(aero_batch *b, aero_schema_op op, const aero_key *key) {
    switch (op) {
    case AERO_SCHEMA_UPSERT: return aero_batch_upsert(b, key);
    case AERO_SCHEMA_INSERT: return aero_batch_insert(b, key);
    case AERO_SCHEMA_UPDATE: return aero_batch_update(b, key);
    case AERO_SCHEMA_REPLACE: return aero_batch_replace(b, key);
    case AERO_SCHEMA_REPLACE_IF_EXISTS: return aero_batch_replace_if_exists(b, key);
    }
    /* Not a verb: still a row (so later indexes hold), refused at execute. */
    aero_write *w = aero_batch_upsert(b, key);
    aero_write__fail(w, AERO_ERR_PARAM, "unknown typed write verb");
    return w;
}

AERO_API aero_write *aero_schema_batch_write(aero_batch *b, const aero_schema_record *r, aero_schema_op op,
                                             const aero_key *key, const void *obj) {
    if (!b)
        return NULL;
    aero_write *w = open_write(b, op, key);
    if (!w)
        return NULL; /* the batch recorded why (no key, no memory) */
    aero_error e;
    aero_status rc = aero_schema__check_abi(r, &e);
    if (rc == AERO_OK && !obj)
        rc = aero_err__set(&e, AERO_ERR_PARAM, "%s: the struct to write is NULL", r->name);
    if (rc == AERO_OK)
        rc = aero_schema__put_bins(w, r, obj, &e);
    if (rc != AERO_OK)
        aero_write__fail(w, rc, e.message);
    return w;
}

/* ---- many keys ---- */

/* Where the rows' outcomes go (the caller's arrays). */
typedef struct many {
    size_t n;
    aero_status *results;
    bool *in_doubt;  /* may be NULL */
    bool *found;     /* existed / exists, may be NULL */
    bool quiet_miss; /* a missing record is AERO_OK (found false), as for the single-key verb */
} many;

static void on_row(void *ctx, const aero_record *row) {
    many *m = ctx;
    if (row->index < 0 || (size_t)row->index >= m->n)
        return;
    size_t i = (size_t)row->index;
    aero_status rc = row->result;
    if (m->found)
        m->found[i] = rc == AERO_OK;
    if (m->quiet_miss && rc == AERO_ERR_KEY_NOT_FOUND)
        rc = AERO_OK;
    m->results[i] = rc;
    if (m->in_doubt)
        m->in_doubt[i] = row->in_doubt;
}

/*
 * Check the arguments, reset the outcomes (AERO_ERR_NO_RESPONSE until a row is answered) and start the batch.
 * *b stays NULL when there is nothing to do or an error was returned.
 */
static aero_status start(aero_session *s, const aero_schema_record *r, const void *keys, const size_t *key_lens,
                         many *m, aero_batch **b, aero_error *err) {
    *b = NULL;
    aero_status rc = aero_schema__check_abi(r, err);
    if (rc != AERO_OK)
        return rc;
    aero_err__reset(err);
    if (m->n == 0)
        return AERO_OK;
    if (!s || !keys || !m->results || (r->key_type == AERO_KEY_BLOB && !key_lens))
        return aero_err__set(err, AERO_ERR_PARAM, "%s: NULL session, keys%s or results", r->name,
                             r->key_type == AERO_KEY_BLOB ? ", key lengths" : "");
    for (size_t i = 0; i < m->n; i++) {
        m->results[i] = AERO_ERR_NO_RESPONSE;
        if (m->in_doubt)
            m->in_doubt[i] = false;
        if (m->found)
            m->found[i] = false;
    }
    *b = aero_session_batch(s);
    if (!*b)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "%s: cannot start a batch", r->name);
    return AERO_OK;
}

static aero_status run(aero_batch *b, many *m, aero_error *err) {
    aero_batch_respond_all_keys(b); /* every key gets its row, so every outcome is written */
    return aero_batch_execute_each(b, on_row, m, err);
}

AERO_API aero_status aero_schema_write_many(aero_session *s, const aero_schema_record *r, aero_schema_op op,
                                            const void *keys, const size_t *key_lens, size_t n, const void *objs,
                                            aero_status *results, bool *in_doubt, aero_error *err) {
    many m = { n, results, in_doubt, NULL, false };
    aero_batch *b;
    aero_status rc = start(s, r, keys, key_lens, &m, &b, err);
    if (rc != AERO_OK || !b)
        return rc;
    if (!objs) {
        aero_batch_abandon(b);
        return aero_err__set(err, AERO_ERR_PARAM, "%s: the structs to write are NULL", r->name);
    }
    aero_dataset ds = aero_dataset_of(r->ns, r->set);
    for (size_t i = 0; i < n; i++) {
        aero_key k = aero_schema__nth_key(r, &ds, keys, key_lens, i);
        aero_schema_batch_write(b, r, op, &k, CFIELD(objs, i * r->size, char));
    }
    return run(b, &m, err);
}

typedef aero_write *(*keys_verb)(aero_batch *, const aero_key *, size_t);

/* Rows for keys[0..n) with verb (a write verb) or, verb NULL, exists rows; then run. */
static aero_status many_keys(aero_session *s, const aero_schema_record *r, const void *keys, const size_t *key_lens,
                             keys_verb verb, many *m, aero_error *err) {
    aero_batch *b;
    aero_status rc = start(s, r, keys, key_lens, m, &b, err);
    if (rc != AERO_OK || !b)
        return rc;
    aero_dataset ds = aero_dataset_of(r->ns, r->set);
    aero_key chunk[KEY_CHUNK];
    for (size_t i = 0; i < m->n;) {
        size_t c = 0;
        for (; c < KEY_CHUNK && i < m->n; c++, i++)
            chunk[c] = aero_schema__nth_key(r, &ds, keys, key_lens, i);
        if (verb)
            verb(b, chunk, c);
        else
            aero_batch_exists_keys(b, chunk, c);
    }
    return run(b, m, err);
}

AERO_API aero_status aero_schema_delete_many(aero_session *s, const aero_schema_record *r, const void *keys,
                                             const size_t *key_lens, size_t n, bool *existed, aero_status *results,
                                             bool *in_doubt, aero_error *err) {
    many m = { n, results, in_doubt, existed, true };
    return many_keys(s, r, keys, key_lens, aero_batch_delete_keys, &m, err);
}

AERO_API aero_status aero_schema_touch_many(aero_session *s, const aero_schema_record *r, const void *keys,
                                            const size_t *key_lens, size_t n, bool *existed, aero_status *results,
                                            bool *in_doubt, aero_error *err) {
    many m = { n, results, in_doubt, existed, true };
    return many_keys(s, r, keys, key_lens, aero_batch_touch_keys, &m, err);
}

AERO_API aero_status aero_schema_exists_many(aero_session *s, const aero_schema_record *r, const void *keys,
                                             const size_t *key_lens, size_t n, bool *exists, aero_status *results,
                                             aero_error *err) {
    if (n && !exists) {
        aero_status rc = aero_schema__check_abi(r, err);
        return rc != AERO_OK ? rc : aero_err__set(err, AERO_ERR_PARAM, "%s: exists array is NULL", r->name);
    }
    many m = { n, results, NULL, exists, true };
    return many_keys(s, r, keys, key_lens, NULL, &m, err);
}
