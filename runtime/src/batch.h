/*
 * batch.h - the batch-index engine (protocol.md 6): rows of any kind, one
 * request per node, the nodes' requests at the same time, split retry.
 * Used by the batch builder (batch_build.c), batch reads (query.c) and the
 * typed layer. Not installed.
 */
#ifndef AERO_BATCH_INTERNAL_H
#define AERO_BATCH_INTERNAL_H

#include "frames.h"
#include "proto/buf.h"
#include "read.h"

/* Parent flags of field 41. */
#define AERO_BATCH_ALLOW_INLINE     0x01
#define AERO_BATCH_ALLOW_INLINE_SSD 0x02
#define AERO_BATCH_RESPOND_ALL_KEYS 0x04
#define AERO_BATCH_REPORT_ERRORS    0x08

/**
 * One row's command without its key. Rows whose commands are the same
 * pointer (or equal) and that send no key go out as REPEAT rows.
 */
typedef struct aero_batch_cmd {
    uint8_t info1, info2, info3;
    uint16_t gen; /* sent when info2 has AERO_INFO2_GENERATION */
    uint32_t ttl;
    uint16_t n_ops;
    const uint8_t *ops; /* n_ops encoded ops */
    size_t ops_len;
    const uint8_t *filter; /* expression, or NULL */
    size_t filter_len;
    const uint8_t *udf; /* UDF call fields (30, 31, 32) after the key, or NULL */
    size_t udf_len;
    uint16_t n_udf_fields;
    bool send_key;   /* add the KEY field (never a REPEAT row then) */
    bool is_write;   /* routed to the master; in doubt when lost after sending */
    bool write_once; /* not idempotent: never resent once sent */
} aero_batch_cmd;

/** Called once per row when its result is final (rows of one batch: one call at a time). */
typedef void (*aero_batch_row_fn)(void *ctx, aero_record *row);

/**
 * Memory the engine keeps between runs so a warm batch allocates nothing:
 * the per-row routing arrays and the caller thread's request and answer
 * buffers. Owned by whoever runs batches repeatedly (the batch builder);
 * aero_batch__scratch_init() before first use, _free() at the end.
 */
typedef struct aero_batch_scratch {
    void *rows_mem; /* per-row routing state, cap_rows rows */
    size_t cap_rows;
    aero_buf req;   /* the request of the node the caller's thread serves */
    aero_frames fr; /* its answer */
} aero_batch_scratch;

void aero_batch__scratch_init(aero_batch_scratch *sc);
void aero_batch__scratch_free(aero_batch_scratch *sc);

typedef struct aero_batch_job {
    aero_session *s;
    const aero_policy *read_policy, *write_policy; /* timeouts from read_policy, retries per row kind */
    const aero_key *keys;
    size_t n;
    const aero_batch_cmd *cmds;
    const uint32_t *cmd_of; /* row i uses cmds[cmd_of[i]]; NULL: every row uses cmds[0] */
    uint8_t parent_flags;
    unsigned max_nodes; /* nodes asked at the same time; 0 = all */
    aero_record *rows;  /* n initialised records: rows[i] is key i's result */
    aero_batch_row_fn on_row;
    void *ctx;
    aero_batch_scratch *scratch; /* reused between runs; NULL: the run allocates its own */
} aero_batch_job;

/**
 * Encode the request for the rows idx[0..n) of `job` into b (reset first).
 * `timeout_ms` goes to transaction_ttl. b->failed tells a failure.
 */
void aero_batch__encode(aero_buf *b, const aero_batch_job *job, const uint32_t *idx, size_t n, uint32_t timeout_ms);

/**
 * Run the job: rows[i] receives result, in_doubt, generation, TTL and bins
 * of row i (index = i). A row that cannot be routed gets
 * AERO_ERR_INVALID_NODE; one whose node failed carries that error (in_doubt
 * for a write that was sent). Returns AERO_OK, or the error that failed the
 * whole batch (no memory, or a node that refused the batch with a
 * batch-level code such as BATCH_QUEUES_FULL; its rows carry the code too).
 */
aero_status aero_batch__run(const aero_batch_job *job, aero_error *err);

/**
 * Batch read of n keys with one read spec (the old entry point, now a
 * job of one command). rows as aero_batch__run.
 */
aero_status aero_batch__read(aero_session *s, const aero_policy *p, const aero_key *keys, size_t n,
                             const aero_read_spec *spec, aero_record *rows, aero_error *err);

/** Fill *cmd for a read spec; bin read ops are encoded into ops (kept by the caller). */
void aero_batch__read_cmd(aero_batch_cmd *cmd, const aero_policy *p, const aero_read_spec *spec, aero_buf *ops);

/** Free the client's recycled batch builders (aero_client_close). */
void aero_batch__free_list(aero_client *c);

#endif
