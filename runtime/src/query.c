/*
 * query.c - the query builder (SDK SyncQueryBuilder): point reads and batch
 * reads run at execute and hand back a buffered stream; dataset queries hand
 * back a stream that pulls records from the network as it is iterated.
 */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cmd_key.h"
#include "internal.h"
#include "op_internal.h"
#include "query_internal.h"
#include "read.h"

#define qmisuse(q, ...) aero_misuse__set(&(q)->bad, __VA_ARGS__)

static aero_query *qnew(aero_session *s, enum aero_query_kind kind) {
    if (!s)
        return NULL;
    aero_query *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->s = s;
    q->kind = kind;
    q->pbegin = 0;
    q->pend = AERO_PARTITIONS;
    aero_filter__init(&q->filter, NULL, 0);
    aero_buf__init(&q->ops, NULL, 0);
    aero_buf__init(&q->full_filter, NULL, 0);
    return q;
}

AERO_API aero_query *aero_session_query(aero_session *s, const aero_dataset *ds) {
    aero_query *q = qnew(s, AERO_Q_DATASET);
    if (!q)
        return NULL;
    if (!ds)
        qmisuse(q, AERO_ERR_PARAM, "dataset is NULL");
    else {
        q->ds = *ds;
        if (ds->invalid)
            qmisuse(q, AERO_ERR_PARAM, "invalid dataset: %s", ds->invalid);
    }
    return q;
}

AERO_API aero_query *aero_session_query_key(aero_session *s, const aero_key *key) {
    aero_query *q = qnew(s, AERO_Q_KEY);
    if (!q)
        return NULL;
    if (!key)
        qmisuse(q, AERO_ERR_PARAM, "key is NULL");
    else
        q->key = *key;
    return q;
}

AERO_API aero_query *aero_session_query_keys(aero_session *s, const aero_key *keys, size_t n) {
    aero_query *q = qnew(s, AERO_Q_KEYS);
    if (!q)
        return NULL;
    if (!keys || n == 0) {
        qmisuse(q, AERO_ERR_PARAM, "query of keys needs at least one key");
        return q;
    }
    q->keys = malloc(n * sizeof *keys);
    if (!q->keys) {
        qmisuse(q, AERO_ERR_NO_MEMORY, "out of memory copying %zu keys", n);
        return q;
    }
    memcpy(q->keys, keys, n * sizeof *keys);
    q->n_keys = n;
    return q;
}

AERO_API aero_query *aero_query_bins(aero_query *q, const char *const *bins, size_t n) {
    if (!q)
        return q;
    if (!bins || n == 0) {
        qmisuse(q, AERO_ERR_PARAM, "bins() needs at least one bin name");
        return q;
    }
    if (q->no_bins || q->oph.n_ops)
        qmisuse(q, AERO_ERR_PARAM, "bins() cannot be combined with with_no_bins() or select_from()");
    free(q->bins);
    free(q->bin_ptrs);
    q->bins = calloc(n, sizeof *q->bins);
    q->bin_ptrs = calloc(n, sizeof *q->bin_ptrs);
    q->n_bins = 0;
    if (!q->bins || !q->bin_ptrs) {
        qmisuse(q, AERO_ERR_NO_MEMORY, "out of memory copying bin names");
        return q;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = bins[i] ? strnlen(bins[i], AERO_BIN_NAME_MAX + 1) : 0;
        if (len == 0 || len > AERO_BIN_NAME_MAX) {
            qmisuse(q, AERO_ERR_PARAM, "bin name %s is %s", bins[i] ? bins[i] : "NULL",
                    !bins[i]   ? "NULL"
                    : len == 0 ? "empty"
                               : "longer than 15 bytes");
            return q;
        }
        memcpy(q->bins[i], bins[i], len);
        q->bin_ptrs[i] = q->bins[i];
    }
    q->n_bins = n;
    return q;
}

AERO_API aero_query *aero_query_with_no_bins(aero_query *q) {
    if (!q)
        return q;
    if (q->n_bins || q->oph.n_ops)
        qmisuse(q, AERO_ERR_PARAM, "with_no_bins() cannot be combined with bins() or select_from()");
    q->no_bins = true;
    return q;
}

static aero_query *select_from(aero_query *q, const char *bin, const char *ael, const aero_expr *e, unsigned flags) {
    if (!q)
        return q;
    size_t n = bin ? strnlen(bin, AERO_BIN_NAME_MAX + 1) : 0;
    if (n == 0 || n > AERO_BIN_NAME_MAX) {
        qmisuse(q, AERO_ERR_PARAM, "select_from: result bin name is %s",
                !bin ? "NULL"
                : n  ? "longer than 15 bytes"
                     : "empty");
        return q;
    }
    if (q->n_bins || q->no_bins)
        qmisuse(q, AERO_ERR_PARAM, "select_from() cannot be combined with bins() or with_no_bins()");
    char msg[160];
    aero_status st = aero_expop__append(&q->ops, &q->oph, AERO_MSG_OP_EXP_READ, bin, n, ael, e,
                                        flags & AERO_EXP_IGNORE_EVAL_FAILURE, msg, sizeof msg);
    if (st != AERO_OK)
        qmisuse(q, st, "select_from: %s", msg);
    else if (q->ops.failed)
        qmisuse(q, AERO_ERR_NO_MEMORY, "select_from: out of memory");
    return q;
}

AERO_API aero_query *aero_query_select_from(aero_query *q, const char *bin, const char *ael, unsigned flags) {
    return select_from(q, bin, ael, NULL, flags);
}
AERO_API aero_query *aero_query_select_from_expr(aero_query *q, const char *bin, const aero_expr *e, unsigned flags) {
    return select_from(q, bin, NULL, e, flags);
}

AERO_API aero_query *aero_query_op(aero_query *q, aero_op op) {
    if (!q)
        return q;
    char what[48];
    aero_op__describe(&op, what, sizeof what);
    if (aero_op_is_write(op)) {
        qmisuse(q, AERO_ERR_PARAM, "%s modifies the record: a query takes read operations only (use aero_write_op)",
                what);
        return q;
    }
    if (q->n_bins || q->no_bins)
        qmisuse(q, AERO_ERR_PARAM, "%s cannot be combined with bins() or with_no_bins()", what);
    char msg[160];
    aero_status st = aero_op__encode(&q->ops, &q->oph, &op, msg, sizeof msg);
    if (st != AERO_OK)
        qmisuse(q, st, "%s", msg);
    return q;
}

static aero_query *qfiltered(aero_query *q, aero_status st, const char *msg) {
    if (st != AERO_OK)
        qmisuse(q, st, "%s", msg);
    return q;
}

/* The where() text is kept for the automatic index choice of a dataset query. */
static void keep_where_text(aero_query *q, const char *ael) {
    free(q->where_ael);
    q->where_ael = NULL;
    if (ael && q->kind == AERO_Q_DATASET && !(q->where_ael = strdup(ael)))
        qmisuse(q, AERO_ERR_NO_MEMORY, "where: out of memory");
}

AERO_API aero_query *aero_query_where(aero_query *q, const char *ael) {
    char msg[160];
    if (!q)
        return q;
    aero_status st = aero_filter__set_ael(&q->filter, ael, msg, sizeof msg);
    if (st == AERO_OK)
        keep_where_text(q, ael);
    return qfiltered(q, st, msg);
}
AERO_API aero_query *aero_query_where_expr(aero_query *q, const aero_expr *e) {
    char msg[160];
    if (!q)
        return q;
    aero_status st = aero_filter__set_expr(&q->filter, e, msg, sizeof msg);
    if (st == AERO_OK)
        keep_where_text(q, NULL);
    return qfiltered(q, st, msg);
}
AERO_API aero_query *aero_query_where_bytes(aero_query *q, const uint8_t *bytes, size_t len) {
    char msg[160];
    if (!q)
        return q;
    aero_status st = aero_filter__set_bytes(&q->filter, bytes, len, msg, sizeof msg);
    if (st == AERO_OK)
        keep_where_text(q, NULL);
    return qfiltered(q, st, msg);
}

AERO_API aero_query *aero_query_filter(aero_query *q, const aero_index_filter *f) {
    if (!q)
        return q;
    if (q->kind != AERO_Q_DATASET) {
        qmisuse(q, AERO_ERR_PARAM, "filter(): an index filter needs a dataset query, not a point or batch read");
        return q;
    }
    char msg[160];
    aero_index_cond c;
    aero_status st = aero_index__cond_from_filter(f, &c, msg, sizeof msg);
    if (st != AERO_OK)
        return qfiltered(q, st, msg);
    aero_index__cond_free(&q->icond);
    q->icond = c;
    q->explicit_index = true;
    return q;
}

AERO_API aero_query *aero_query_index_hint(aero_query *q, const char *index_name) {
    if (!q)
        return q;
    size_t n = index_name ? strlen(index_name) : 0;
    if (n == 0 || n >= sizeof q->hint)
        qmisuse(q, AERO_ERR_PARAM, "index_hint: index name is %s",
                !index_name ? "NULL"
                : n         ? "longer than 63 bytes"
                            : "empty");
    else if (q->no_index)
        qmisuse(q, AERO_ERR_PARAM, "index_hint() cannot be combined with no_index()");
    else
        memcpy(q->hint, index_name, n + 1);
    return q;
}

AERO_API aero_query *aero_query_no_index(aero_query *q) {
    if (q && q->hint[0])
        qmisuse(q, AERO_ERR_PARAM, "no_index() cannot be combined with index_hint()");
    else if (q)
        q->no_index = true;
    return q;
}

AERO_API aero_status aero_query_explain(aero_query *q, aero_query_plan *out, aero_error *err) {
    aero_err__reset(err);
    if (!q || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "explain needs a query and a plan");
    if (out->version != AERO_QUERY_PLAN_VERSION)
        return aero_err__set(err, AERO_ERR_PARAM,
                             "aero_query_plan version %u is not supported (this library knows 1 to 1); initialise it "
                             "with AERO_QUERY_PLAN_INIT or aero_query_plan_init()",
                             out->version);
    if (q->bad.code)
        return aero_err__set(err, q->bad.code, "query: %s", q->bad.msg);
    aero_query_plan_init(out);
    return aero_index__choose(q, false, out, err);
}

AERO_API aero_query *aero_query_fail_on_filtered_out(aero_query *q) {
    if (q)
        q->fail_on_filtered = true;
    return q;
}
AERO_API aero_query *aero_query_respond_all_keys(aero_query *q) {
    if (q)
        q->respond_all = true;
    return q;
}
AERO_API aero_query *aero_query_max_records(aero_query *q, uint64_t n) {
    if (q && n == 0)
        qmisuse(q, AERO_ERR_PARAM, "max_records must be > 0");
    else if (q)
        q->max_records = n;
    return q;
}
AERO_API aero_query *aero_query_records_per_second(aero_query *q, uint32_t n) {
    if (q)
        q->rps = n;
    return q;
}
AERO_API aero_query *aero_query_chunk_size(aero_query *q, uint32_t n) {
    if (q && n == 0)
        qmisuse(q, AERO_ERR_PARAM, "chunk_size must be > 0");
    else if (q)
        q->chunk = n;
    return q;
}
AERO_API aero_query *aero_query_on_partition_range(aero_query *q, uint32_t begin, uint32_t end) {
    if (!q)
        return q;
    if (begin >= end || end > AERO_PARTITIONS)
        qmisuse(q, AERO_ERR_PARAM, "partition range %u..%u is not within 0..4096", begin, end);
    else {
        q->pbegin = begin;
        q->pend = end;
    }
    return q;
}

AERO_API void aero_query_abandon(aero_query *q) {
    if (!q)
        return;
    free(q->keys);
    free(q->bins);
    free(q->bin_ptrs);
    aero_filter__free(&q->filter);
    aero_buf__free(&q->ops);
    free(q->where_ael);
    aero_index__cond_free(&q->icond);
    aero_buf__free(&q->full_filter);
    if (q->job) {
        aero_write_abandon(q->job->w);
        aero_buf__free(&q->job->udf);
        free(q->job);
    }
    free(q);
}

/* Should a row with this result be part of the stream (sdk-surface 1.15)? */
static bool keep_row(const aero_query *q, aero_status rc) {
    if (rc == AERO_OK)
        return true;
    if (rc == AERO_ERR_KEY_NOT_FOUND)
        return q->respond_all;
    if (rc == AERO_ERR_FILTERED_OUT)
        return q->fail_on_filtered || q->respond_all;
    return true;
}

static aero_stream *run_keys(aero_query *q, const aero_key *keys, size_t n, bool single, aero_error *err) {
    aero_record *rows = calloc(n, sizeof *rows);
    if (!rows) {
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for %zu rows", n);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        aero_record_init(&rows[i]);
    aero_read_spec spec = { (const char *const *)q->bin_ptrs,
                            q->n_bins,
                            q->no_bins,
                            q->filter.ptr,
                            q->filter.len,
                            q->ops.data,
                            q->ops.len,
                            q->oph.n_ops,
                            NULL,
                            NULL };
    aero_status st;
    if (single) {
        st = aero_read__one(q->s, &q->s->read_point, &keys[0], &spec, &rows[0], err);
        aero_status rc = rows[0].result;
        if (st == AERO_OK && rc != AERO_OK && rc != AERO_ERR_KEY_NOT_FOUND &&
            (rc != AERO_ERR_FILTERED_OUT || q->fail_on_filtered))
            st = aero_err__set(err, rc, "read failed: %s", aero_status_str(rc));
    } else
        st = aero_batch__read(q->s, &q->s->read_batch, keys, n, &spec, rows, err);
    if (st != AERO_OK) {
        aero_records_free(rows, n);
        return NULL;
    }
    /* keep the rows the SDK would put in the stream, in input order */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (keep_row(q, rows[i].result)) {
            if (kept != i) {
                rows[kept] = rows[i];
                aero_record_init(&rows[i]);
            }
            kept++;
        } else
            aero_record_dispose(&rows[i]);
    }
    for (size_t i = kept; i < n; i++)
        aero_record_dispose(&rows[i]);
    return aero_stream__list(rows, kept, err);
}

AERO_API aero_stream *aero_query_execute(aero_query *q, aero_error *err) {
    aero_err__reset(err);
    if (!q) {
        aero_err__set(err, AERO_ERR_PARAM, "query builder is NULL (session NULL or out of memory)");
        return NULL;
    }
    aero_stream *st = NULL;
    if (q->bad.code)
        aero_err__set(err, q->bad.code, "query: %s", q->bad.msg);
    else if (q->job)
        aero_err__set(err, AERO_ERR_PARAM, "query has a background verb: run it with aero_query_execute_background()");
    else if (q->kind == AERO_Q_KEY) {
        if (aero_cmd__check_key(&q->key, err) == AERO_OK)
            st = run_keys(q, &q->key, 1, true, err);
    } else if (q->kind == AERO_Q_KEYS)
        st = run_keys(q, q->keys, q->n_keys, false, err);
    else if (aero_index__choose(q, true, NULL, err) == AERO_OK)
        st = aero_scan__start(q, err);
    aero_query_abandon(q);
    return st;
}
