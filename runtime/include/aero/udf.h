/*
 * aero/udf.h - user-defined functions (Lua modules on the server): register,
 * remove and list modules, and apply a function to one record.
 *
 *     aero_error err;
 *     if (aero_udf_register_file(client, "examples/counter.lua", NULL, 10000, &err) != AERO_OK) ...
 *     aero_value args[] = { aero_str("visits"), aero_int(2) };
 *     aero_record rec;
 *     aero_record_init(&rec);
 *     if (aero_session_apply(s, &key, "counter", "add", args, 2, &rec, &err) == AERO_OK)
 *         printf("now %lld\n", (long long)aero_udf_result(&rec)->v.i);
 *     else if (err.code == AERO_ERR_UDF)
 *         printf("the function failed: %s\n", err.message);   // the server's message
 *     aero_record_dispose(&rec);
 *
 * MODULES are named by their file name on the server ("counter.lua"); a
 * function is called by the module name without ".lua" ("counter"). The
 * register calls send the module to one node (info udf-put, base64) and then
 * ask every node (udf-get) until each one has it, or the wait runs out.
 *
 * RESULTS. The server answers a UDF call with a single bin: "SUCCESS"
 * holding the function's return value (any value type: nil, bool, integer,
 * double, string, blob, list, map, GeoJSON), or, when the function raised an
 * error, result AERO_ERR_UDF and a bin "FAILURE" holding the message
 * (typically "<file>:<line>: <message>"). aero_udf_result() reads the first;
 * aero_session_apply() turns the second into err.
 *
 * BATCHES and BACKGROUND JOBS. A UDF call on many keys in one round trip is
 * a batch row (aero_batch_udf(), batch.h); one on every record of a dataset
 * query is a background job (aero_query_background_udf(), job.h).
 *
 * Ownership: nothing here keeps the caller's pointers past the call. Lists
 * from aero_udf_list() are the caller's (aero_udf_modules_free()).
 */
#ifndef AERO_UDF_H
#define AERO_UDF_H

#include <aero/client.h>
#include <aero/error.h>
#include <aero/key.h>
#include <aero/record.h>
#include <aero/session.h>
#include <aero/value.h>

AERO_BEGIN_DECLS

/** Bin of a UDF answer holding the return value. */
#define AERO_UDF_SUCCESS_BIN "SUCCESS"
/** Bin of a failed UDF answer (result AERO_ERR_UDF) holding the error message. */
#define AERO_UDF_FAILURE_BIN "FAILURE"

/** Longest module file name the server accepts (bytes, without the NUL). */
#define AERO_UDF_NAME_MAX 127
/** Largest module the server accepts (bytes of Lua source). */
#define AERO_UDF_CONTENT_MAX (1024 * 1024)
/** Arguments of one UDF call, at most. */
#define AERO_UDF_ARGS_MAX 255

/** One registered module, as udf-list reports it. */
typedef struct aero_udf_module {
    char name[AERO_UDF_NAME_MAX + 1]; /**< file name, e.g. "counter.lua" */
    char hash[41];                    /**< the server's SHA-1 of the stored module, hex */
    char type[8];                     /**< language, "LUA" */
} aero_udf_module;

/**
 * Register Lua source `content` (`len` bytes) as module `name` ("counter.lua";
 * ".lua" is appended when the name has no extension) and wait up to
 * `wait_ms` milliseconds until every node of the cluster has it (0: do not
 * wait beyond the server's own answer). Registering a name again replaces
 * the module.
 *
 * Errors: AERO_ERR_PARAM for a NULL/empty argument, a name over
 * AERO_UDF_NAME_MAX or with ';', ':' or '/', content over
 * AERO_UDF_CONTENT_MAX; AERO_ERR_UDF with the server's message when it
 * refuses the module (a Lua syntax error reads "compile error in
 * <file>:<line>: <message>"); AERO_ERR_TIMEOUT when some node still lacks
 * the module after wait_ms (the message names it); network errors.
 */
AERO_API aero_status aero_udf_register(aero_client *client, const char *name, const char *content, size_t len,
                                       uint32_t wait_ms, aero_error *err);

/**
 * Register the Lua file at `path` (read whole) under `name`, or under the
 * file's base name when name is NULL. Errors as aero_udf_register(), plus
 * AERO_ERR_PARAM when the file cannot be read (the message says why).
 */
AERO_API aero_status aero_udf_register_file(aero_client *client, const char *path, const char *name, uint32_t wait_ms,
                                            aero_error *err);

/**
 * Remove module `name` (".lua" appended as for register) and wait up to
 * `wait_ms` until no node lists it. Removing a module that is not registered
 * succeeds (as on the server). Errors: AERO_ERR_PARAM for a bad name,
 * AERO_ERR_UDF with the server's message, AERO_ERR_TIMEOUT, network errors.
 */
AERO_API aero_status aero_udf_remove(aero_client *client, const char *name, uint32_t wait_ms, aero_error *err);

/**
 * List the registered modules (asked of one node: the module list is the
 * same cluster-wide). On AERO_OK, *out is a malloc'd array of *n modules
 * (NULL when there are none) the caller releases with
 * aero_udf_modules_free(). Errors: AERO_ERR_PARAM, AERO_ERR_PROTOCOL for an
 * answer that cannot be parsed, AERO_ERR_NO_MEMORY, network errors.
 */
AERO_API aero_status aero_udf_list(aero_client *client, aero_udf_module **out, size_t *n, aero_error *err);

/** Release a list from aero_udf_list(). NULL is a no-op. */
AERO_API void aero_udf_modules_free(aero_udf_module *modules);

/**
 * Apply `function` of `module` (no ".lua") to the record of `key`, passing
 * args[0..n_args) (values of any type; strings and blobs are copied into
 * the request). The call is a write: it goes to the partition's master,
 * with the session's point-write policy (timeouts; never retried once sent,
 * as a UDF may not be idempotent).
 *
 * On AERO_OK, *out holds the answer: aero_udf_result(out) is the return
 * value (AERO_NIL when the function returned nothing), out->generation and
 * out->ttl the record's after the call (0 when the record does not exist).
 *
 * Errors: AERO_ERR_PARAM for NULL arguments, a bad key, an empty or too long
 * module or function name, more than AERO_UDF_ARGS_MAX arguments or a value
 * that cannot be sent; AERO_ERR_UDF when the function raised an error or
 * the module or function does not exist (err.message is the server's
 * message, from the FAILURE bin); any other server code (for example
 * AERO_ERR_RECORD_TOO_BIG when the function's update does not fit);
 * network errors (in_doubt when the call may have run).
 */
AERO_API aero_status aero_session_apply(aero_session *s, const aero_key *key, const char *module, const char *function,
                                        const aero_value *args, size_t n_args, aero_record *out, aero_error *err);

/**
 * The return value in a UDF answer (aero_session_apply()'s record, or a UDF
 * row of a batch): the SUCCESS bin, or NULL when rec holds none (a failed
 * call: see the FAILURE bin and rec->result). Points into rec.
 */
AERO_API const aero_value *aero_udf_result(const aero_record *rec);

/** The error message of a failed UDF answer (FAILURE bin), or NULL. Points into rec. */
AERO_API const char *aero_udf_error(const aero_record *rec);

AERO_END_DECLS

#endif
