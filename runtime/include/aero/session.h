/*
 * aero/session.h - SyncSession: every aero_session_* entry point.
 *
 * WHAT A SESSION IS. A session is a client plus one behavior (see
 * behavior.h), resolved when the session is created into the settings each
 * kind of command uses (point, batch and query reads and writes). Every
 * command starts from a session: the session says which cluster the command
 * goes to and with which timeouts, retries and write settings. Sessions are
 * cheap (one small allocation, no connection of their own): make one per
 * behavior you need, not one per command.
 *
 *     aero_error err;
 *     aero_session *s = aero_client_create_session(client, &AERO_BEHAVIOR_DEFAULT, &err);
 *     if (!s) { fprintf(stderr, "%s\n", err.message); ... }
 *     aero_key k = aero_dataset_id_str(&users, "user-1");
 *     aero_bin_value bins[] = { { "name", aero_str("Alice") }, { "age", aero_int(30) } };
 *     aero_session_put(s, &k, bins, 2, &err);
 *     aero_session_free(s);
 *
 * LIFETIME. aero_client_create_session() makes a session; aero_session_free()
 * frees it. A session borrows its client: free every session before
 * aero_client_close(). Builders (aero_write, aero_query) and streams made
 * from a session borrow it too: execute or abandon every builder and close
 * every stream before freeing the session. The behavior passed in is copied
 * (resolved) at creation and is not needed afterwards.
 *
 * THREADS. A session never changes after it is created, so one session may
 * be used by any number of threads at once, as may the client. A builder or
 * a stream belongs to one thread at a time: build, execute and iterate it
 * from one thread (or hand it over with your own synchronisation).
 *
 * ERRORS. Calls that run a command return an aero_status and fill the
 * caller's aero_error (error.h). The builder verbs (aero_session_upsert(),
 * aero_session_query() ...) do not fail on the spot: a bad key, a NULL
 * argument or an out-of-memory builder is reported by the builder's execute
 * call (aero_write_execute(), aero_query_execute()), which accepts the NULL
 * builder a verb returns when it has no session or no memory.
 */
#ifndef AERO_SESSION_H
#define AERO_SESSION_H

#include <aero/behavior.h>
#include <aero/error.h>
#include <aero/key.h>
#include <aero/record.h>
#include <aero/types.h>
#include <aero/value.h>

AERO_BEGIN_DECLS

/* ---- lifetime ---- */

/**
 * create_session(behavior): a new session on `client`. `behavior` NULL means
 * AERO_BEHAVIOR_DEFAULT; it is resolved now, with its parent chain, and not
 * kept. Returns NULL with `err` filled: AERO_ERR_PARAM for a NULL client or a
 * behavior (or parent) of an unknown version (behavior.h), AERO_ERR_NO_MEMORY.
 * Free the session with aero_session_free().
 */
AERO_API aero_session *aero_client_create_session(aero_client *client, const aero_behavior *behavior, aero_error *err);

/** Free a session (see LIFETIME above). NULL is a no-op. */
AERO_API void aero_session_free(aero_session *session);

/** The client a session belongs to (NULL for a NULL session). */
AERO_API aero_client *aero_session_client(const aero_session *session);

/* ---- writes: verbs that start a write builder (write.h) ----
 *
 *   verb                            record must...             else
 *   aero_session_upsert             (anything)                 -
 *   aero_session_insert             not exist                  AERO_ERR_KEY_EXISTS
 *   aero_session_update             exist (bins merged)        AERO_ERR_KEY_NOT_FOUND
 *   aero_session_replace            (anything; all bins replaced)
 *   aero_session_replace_if_exists  exist (all bins replaced)  AERO_ERR_KEY_NOT_FOUND
 *   aero_session_delete             (a missing key is not an error)
 *   aero_session_touch              (a missing key is not an error)
 *
 * Each returns a builder owned by the session until aero_write_execute() or
 * aero_write_abandon() gives it back. The key is copied, but the bytes of a
 * string or blob user key are not (key.h): keep them valid until execute.
 */
AERO_API aero_write *aero_session_upsert(aero_session *s, const aero_key *key);
AERO_API aero_write *aero_session_insert(aero_session *s, const aero_key *key);
AERO_API aero_write *aero_session_update(aero_session *s, const aero_key *key);
AERO_API aero_write *aero_session_replace(aero_session *s, const aero_key *key);
AERO_API aero_write *aero_session_replace_if_exists(aero_session *s, const aero_key *key);
AERO_API aero_write *aero_session_delete(aero_session *s, const aero_key *key);
AERO_API aero_write *aero_session_touch(aero_session *s, const aero_key *key);

/* ---- reads: verbs that start a query builder (query.h) ----
 *
 * Each returns a builder that aero_query_execute() turns into a stream
 * (stream.h) and consumes; aero_query_abandon() drops it unrun.
 */
/** query(dataset): every record of the set (a scan, filtered by where()). The dataset is copied. */
AERO_API aero_query *aero_session_query(aero_session *s, const aero_dataset *ds);
/** query(key): a point read. The key is copied. */
AERO_API aero_query *aero_session_query_key(aero_session *s, const aero_key *key);
/** query([keys]): a batch read, rows in input order. The keys are copied (n >= 1). */
AERO_API aero_query *aero_session_query_keys(aero_session *s, const aero_key *keys, size_t n);

/* ---- batches: reads and writes of many keys in one round trip per node (batch.h) ---- */

/**
 * batch(): a new, empty batch builder, owned by the session until
 * aero_batch_execute(), aero_batch_execute_each() or aero_batch_abandon().
 * NULL for a NULL session or no memory (execute reports it).
 */
AERO_API aero_batch *aero_session_batch(aero_session *s);

/* ---- fast paths (SDK session.get / session.put): no builder, no stream ---- */

/** A bin name and value pair, for aero_session_put() and aero_write_put(). The name is not copied. */
typedef struct aero_bin_value {
    const char *name;
    aero_value value;
} aero_bin_value;

/**
 * Read one record into `out` (an initialised record, reused across calls;
 * record.h). `bins`/`n_bins` select bins (NULL/0 = all). Errors:
 * AERO_ERR_KEY_NOT_FOUND for a missing record, AERO_ERR_PARAM for a NULL
 * session or record or a bad key, and any server, timeout or connection error.
 */
AERO_API aero_status aero_session_get(aero_session *s, const aero_key *key, const char *const *bins, size_t n_bins,
                                      aero_record *out, aero_error *err);
/** Read generation and TTL only, into `out`. Errors as aero_session_get(). */
AERO_API aero_status aero_session_get_header(aero_session *s, const aero_key *key, aero_record *out, aero_error *err);
/**
 * Does the record exist? A missing record is AERO_OK with *exists = false;
 * other errors as aero_session_get().
 */
AERO_API aero_status aero_session_exists(aero_session *s, const aero_key *key, bool *exists, aero_error *err);
/**
 * Upsert the `n` bins (create the record or merge into it). The values are
 * encoded during the call. Errors: AERO_ERR_PARAM (NULL session, bad key or
 * bin name), AERO_ERR_NO_MEMORY, and any server, timeout or connection error
 * (err->in_doubt tells whether the write may have been applied).
 */
AERO_API aero_status aero_session_put(aero_session *s, const aero_key *key, const aero_bin_value *bins, size_t n,
                                      aero_error *err);

AERO_END_DECLS

#endif
