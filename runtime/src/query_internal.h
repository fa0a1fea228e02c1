/* query_internal.h - the query builder and the stream, shared by query.c, scan.c and stream.c. Not installed. */
#ifndef AERO_QUERY_INTERNAL_H
#define AERO_QUERY_INTERNAL_H

#include <aero/query.h>

#include "client.h"
#include "filter.h"
#include "index_internal.h"
#include "internal.h"
#include "proto/buf.h"
#include "proto/msg.h"

enum aero_query_kind { AERO_Q_DATASET, AERO_Q_KEY, AERO_Q_KEYS };

/* A background verb on a dataset query (aero/job.h): set by job.c, freed with the query. */
enum aero_job_kind { AERO_JOB_UPDATE = 1, AERO_JOB_TOUCH, AERO_JOB_DELETE, AERO_JOB_UDF };
struct aero_job_spec {
    enum aero_job_kind kind;
    aero_write *w;       /* UPDATE, TOUCH: the builder of the ops / TTL */
    aero_buf udf;        /* UDF: the encoded UDF fields */
    aero_msg_header udh; /* counts them */
};

struct aero_query {
    aero_session *s;
    enum aero_query_kind kind;
    aero_dataset ds;
    aero_key key;
    aero_key *keys;
    size_t n_keys;
    char (*bins)[AERO_BIN_NAME_MAX + 1];
    const char **bin_ptrs;
    size_t n_bins;
    bool no_bins, fail_on_filtered, respond_all;
    aero_filter filter;
    aero_buf ops;        /* select_from() expression ops, encoded */
    aero_msg_header oph; /* counts them */
    uint64_t max_records;
    uint32_t rps;
    uint32_t chunk;
    uint32_t pbegin, pend;
    aero_misuse bad;           /* first misuse, reported at execute */
    struct aero_job_spec *job; /* background verb (job.c), NULL for a foreground query */
    /* secondary index (index_query.c) */
    char *where_ael;       /* the where() text, for the automatic index choice (NULL: none) */
    aero_index_cond icond; /* the index condition: filter() or the automatic choice */
    bool explicit_index;   /* filter() was called */
    aero_buf full_filter;  /* the automatic choice: the whole where(), to scan with if the index goes away */
    bool no_index;         /* no_index() */
    char hint[64];         /* index_hint(), "" when none */
};

struct aero_scan;

enum aero_stream_kind { AERO_STREAM_LIST, AERO_STREAM_SCAN, AERO_STREAM_BATCH };

struct aero_stream {
    enum aero_stream_kind kind;
    /* LIST: rows computed at execute (point and batch reads) */
    aero_record *rows;
    size_t n_rows, pos;
    /* SCAN: records pulled from the network as the caller iterates */
    struct aero_scan *scan;
    /* BATCH: rows owned by the batch builder this stream is part of; closing recycles it */
    struct aero_batch *batch;
};

/** A stream over rows[0..n) (malloc'd, initialised records it takes over, even on failure: NULL + err). */
aero_stream *aero_stream__list(aero_record *rows, size_t n, aero_error *err);

/** Start a dataset query; takes ownership of nothing in q (copies what it needs). */
aero_stream *aero_scan__start(struct aero_query *q, aero_error *err);
/** Next record of a scan stream, NULL at the end or on error (err says which). */
const aero_record *aero_scan__next(struct aero_scan *sc, aero_error *err);
bool aero_scan__has_more(const struct aero_scan *sc);
/** Does the scan ask for bin `name`? (true without a bin list; false with no bins or projection ops) */
bool aero_scan__reads_bin(const struct aero_scan *sc, const char *name);
void aero_scan__free(struct aero_scan *sc);

#endif
