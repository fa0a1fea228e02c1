/*
 * aero/job.h - background jobs: write operations or a UDF applied by the
 * servers to every record a dataset query matches (SDK
 * session.background_task().update / delete / touch / execute_udf).
 *
 * A job is a dataset query (query.h) given a background verb, then run with
 * aero_query_execute_background(): everything the query narrows by - its
 * set, where() filter, records_per_second(), and its index filter
 * (aero_query_filter(), or the index the automatic choice takes from
 * where(), with index_hint / no_index) - narrows the job the same way.
 *
 *     aero_query *q = aero_session_query(s, &users);
 *     aero_query_where(q, "$.status == 'trial' and $.age > 60");
 *     aero_query_records_per_second(q, 5000);                // throttle per node
 *     aero_write_bin_set_str(aero_query_background_update(q), "status", "expired");
 *     aero_job *job = aero_query_execute_background(q, &err);   // consumes q
 *     aero_job_status js = AERO_JOB_STATUS_INIT;
 *     if (job && aero_job_wait(job, 30000, &js, &err) == AERO_OK)
 *         printf("%llu records updated\n", (unsigned long long)js.records_succeeded);
 *     aero_job_free(job);
 *
 * VERBS (one per query; a second one is a misuse reported at execute):
 *   aero_query_background_update(q)  a write builder (write.h) whose bin
 *       operations (set, increment, append, remove, CDT/HLL/bit modify
 *       ops), TTL and durable-delete setting apply to every record. Read
 *       operations are refused (the server runs no reads in a job). The
 *       builder belongs to the query: valid until execute or abandon, and
 *       aero_write_execute() refuses it. Records that do not exist are
 *       never created.
 *   aero_query_background_touch(q)   a write builder: only its TTL setting
 *       (expire_after_seconds, never_expire, ...) is used.
 *   aero_query_background_delete(q)  delete every matching record.
 *   aero_query_background_udf(q, module, function, args, n)  call a record
 *       UDF on every matching record (its return value is dropped).
 * A query of keys (aero_session_query_key / _keys) cannot run a job, nor
 * one with bins, select_from, max_records, chunk_size, a partition range,
 * fail_on_filtered_out or respond_all_keys (the SDK refuses the last two
 * too): execute reports them as AERO_ERR_PARAM.
 *
 * WIRE. The same request (task id drawn at random) goes to every node, each
 * node runs the job over the partitions it masters and answers once the job
 * has started. Progress and the end are asked of every node with info
 * `query-show:trid=<id>` (aero_job_status_get()).
 *
 * Ownership: the job handle is the caller's (aero_job_free()); it keeps its
 * client pointer, so free it before closing the client.
 */
#ifndef AERO_JOB_H
#define AERO_JOB_H

#include <aero/error.h>
#include <aero/query.h>
#include <aero/value.h>
#include <aero/write.h>

AERO_BEGIN_DECLS

/** A started background job. */
typedef struct aero_job aero_job;

/** Where a job is. */
typedef enum aero_job_state {
    AERO_JOB_IN_PROGRESS = 0, /**< some node still runs it */
    AERO_JOB_DONE = 1,        /**< every node finished it (see `aborted`) */
} aero_job_state;

/**
 * A job's status summed over the nodes that run it (the servers' query-show
 * answers). A results struct in caller storage: versioned (common.h).
 */
typedef struct aero_job_status {
    uint32_t version;           /**< AERO_JOB_STATUS_VERSION */
    aero_job_state state;       /**< DONE once every node reports done (or no longer knows the job) */
    uint32_t nodes;             /**< nodes asked */
    uint32_t nodes_done;        /**< of them, done */
    uint64_t records_succeeded; /**< records the job wrote or the UDF ran on successfully */
    uint64_t records_failed;    /**< records where the write or the UDF failed */
    uint64_t records_filtered;  /**< records the where() filter skipped */
    uint64_t records_throttled; /**< records delayed by records_per_second() */
    double progress_pct;        /**< mean of the nodes' job-progress, 0..100 */
    bool aborted;               /**< some node abandoned the job or it was aborted */
} aero_job_status;

#define AERO_JOB_STATUS_VERSION 1
#define AERO_JOB_STATUS_INIT \
    { AERO_JOB_STATUS_VERSION, AERO_JOB_IN_PROGRESS, 0, 0, 0, 0, 0, 0, 0.0, false }
static inline void aero_job_status_init(aero_job_status *js) {
    const aero_job_status init = AERO_JOB_STATUS_INIT;
    *js = init;
}

/** Make q a background update; returns the write builder of its operations (see VERBS), NULL if q is NULL. */
AERO_API aero_write *aero_query_background_update(aero_query *q);
/** Make q a background touch; returns the write builder that carries the new TTL. */
AERO_API aero_write *aero_query_background_touch(aero_query *q);
/** Make q a background delete of every matching record. Returns q. */
AERO_API aero_query *aero_query_background_delete(aero_query *q);
/**
 * Make q a background UDF call: function of module (no ".lua") with
 * args[0..n_args) on every matching record. Names and arguments are
 * checked and encoded now (they need not outlive the call). Returns q.
 */
AERO_API aero_query *aero_query_background_udf(aero_query *q, const char *module, const char *function,
                                               const aero_value *args, size_t n_args);

/**
 * Start the job on every node and consume q (even on failure). Returns the
 * job, or NULL with err: AERO_ERR_PARAM for a misuse recorded on the query
 * (no verb, two verbs, a query of keys, a read operation in an update, a
 * bad UDF name or argument); the first node's refusal (for example
 * AERO_ERR_PARAMETER); network errors. When some nodes started the job and
 * another failed, NULL is returned with that node's error: the job still
 * runs on the others.
 */
AERO_API aero_job *aero_query_execute_background(aero_query *q, aero_error *err);

/** The job's task id (what query-show and the server logs call trid). */
AERO_API uint64_t aero_job_id(const aero_job *job);

/**
 * Ask every node that runs the job for its status and fill *out (summed,
 * see aero_job_status). A node that no longer knows the job (finished and
 * forgotten) counts as done. Errors: AERO_ERR_PARAM (NULL arguments, an
 * unknown out->version), network errors, or a node's info error.
 */
AERO_API aero_status aero_job_status_get(aero_job *job, aero_job_status *out, aero_error *err);

/**
 * Wait until the job is done on every node, asking every 100 ms, at most
 * `timeout_ms` (0: ask once). On AERO_OK the job is done and *out (may be
 * NULL) holds its final status. AERO_ERR_TIMEOUT when it still runs at the
 * deadline (*out then holds the last status: progress so far); other
 * errors as aero_job_status_get().
 */
AERO_API aero_status aero_job_wait(aero_job *job, uint32_t timeout_ms, aero_job_status *out, aero_error *err);

/** Release the handle (the job itself runs on). NULL is a no-op. */
AERO_API void aero_job_free(aero_job *job);

AERO_END_DECLS

#endif
