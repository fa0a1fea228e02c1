/*
 * job.c - background jobs over a dataset query (protocol.md 7.1 "Background
 * jobs"): write operations or a UDF (UDF_OP 2) on every matching record.
 *
 * Unlike a foreground query, a job names no partitions: every node runs it
 * over the partitions it masters, so the one request goes to every node
 * with the same task id, and each node answers once the job has started.
 * The status comes from each node's query-show answer, summed here.
 */
#include <aero/job.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "client.h"
#include "clock.h"
#include "frames.h"
#include "internal.h"
#include "proto/wire.h"
#include "query_internal.h"
#include "udf_internal.h"
#include "write_row.h"

#define NODES_MAX 128
#define POLL_MS   100

struct aero_job {
    aero_client *client;
    uint64_t trid;
    uint32_t timeout_ms;
    size_t n_nodes;
    char (*nodes)[64]; /* names of the nodes that started it */
};

/* The query's job spec, created on first use; NULL (misuse recorded) when q cannot run a job. */
static struct aero_job_spec *spec(aero_query *q, enum aero_job_kind kind) {
    if (q->kind != AERO_Q_DATASET) {
        aero_misuse__set(&q->bad, AERO_ERR_PARAM, "a background job runs over a dataset query, not a query of keys");
        return NULL;
    }
    if (q->job) {
        aero_misuse__set(&q->bad, AERO_ERR_PARAM, "the query already has a background verb");
        return NULL;
    }
    q->job = calloc(1, sizeof *q->job);
    if (!q->job) {
        aero_misuse__set(&q->bad, AERO_ERR_NO_MEMORY, "out of memory for a background job");
        return NULL;
    }
    q->job->kind = kind;
    aero_buf__init(&q->job->udf, NULL, 0);
    return q->job;
}

static aero_write *writer(aero_query *q, enum aero_job_kind kind,
                          aero_write *(*verb)(aero_session *, const aero_key *)) {
    if (!q)
        return NULL;
    struct aero_job_spec *j = spec(q, kind);
    if (!j)
        return NULL;
    /* a stand-in key of the dataset: the builder only collects ops and settings, its key is never sent */
    aero_key k = aero_dataset_id_int(&q->ds, 0);
    j->w = verb(q->s, &k);
    if (!j->w) {
        aero_misuse__set(&q->bad, AERO_ERR_NO_MEMORY, "out of memory for a background write");
        return NULL;
    }
    aero_write__mark_batch_row(j->w);
    return j->w;
}

AERO_API aero_write *aero_query_background_update(aero_query *q) {
    return writer(q, AERO_JOB_UPDATE, aero_session_update);
}
AERO_API aero_write *aero_query_background_touch(aero_query *q) {
    return writer(q, AERO_JOB_TOUCH, aero_session_touch);
}

AERO_API aero_query *aero_query_background_delete(aero_query *q) {
    if (q)
        spec(q, AERO_JOB_DELETE);
    return q;
}

AERO_API aero_query *aero_query_background_udf(aero_query *q, const char *module, const char *function,
                                               const aero_value *args, size_t n_args) {
    if (!q)
        return q;
    struct aero_job_spec *j = spec(q, AERO_JOB_UDF);
    if (!j)
        return q;
    char msg[160];
    if (aero_udf__fields(&j->udf, &j->udh, module, function, args, n_args, 2, msg, sizeof msg) != AERO_OK)
        aero_misuse__set(&q->bad, AERO_ERR_PARAM, "background UDF: %s", msg);
    else if (j->udf.failed)
        aero_misuse__set(&q->bad, AERO_ERR_NO_MEMORY, "out of memory encoding a background UDF");
    return q;
}

static uint64_t task_id(void) {
    uint64_t id = 0;
    while (id == 0 || id > INT64_MAX) { /* query-show parses it as a signed decimal on some builds */
        if (getrandom(&id, sizeof id, 0) != (ssize_t)sizeof id)
            id = (uint64_t)time(NULL) ^ aero_now_ns();
        id &= INT64_MAX;
    }
    return id;
}

/* Only writes run in a job: a read op, or a read flag, is refused before sending. */
static bool has_read_op(const uint8_t *ops, size_t len, uint16_t n) {
    size_t pos = 0;
    for (uint16_t i = 0; i < n && pos + 8 <= len; i++) {
        uint32_t sz = aero_get_u32be(ops + pos);
        uint8_t t = ops[pos + 4];
        if (t == AERO_MSG_OP_READ || t == AERO_MSG_OP_CDT_READ || t == AERO_MSG_OP_EXP_READ ||
            t == AERO_MSG_OP_BIT_READ || t == AERO_MSG_OP_HLL_READ)
            return true;
        pos += 4 + (size_t)sz;
    }
    return false;
}

static aero_status build(aero_query *q, uint64_t trid, aero_buf *b, aero_error *err) {
    struct aero_job_spec *j = q->job;
    const aero_policy *p = &q->s->write_query;
    aero_write_row row;
    memset(&row, 0, sizeof row);
    if (j->w) {
        aero_error e;
        aero_status st = aero_write__row(j->w, p, &row, &e);
        if (st != AERO_OK)
            return aero_err__set(err, st, "background %s: %s", j->kind == AERO_JOB_TOUCH ? "touch" : "update",
                                 e.message);
        if (j->kind == AERO_JOB_UPDATE &&
            ((row.h.info1 & AERO_INFO1_READ) || has_read_op(row.ops, row.ops_len, row.h.n_ops)))
            return aero_err__set(err, AERO_ERR_PARAM, "background update: read operations do not run in a job");
        if (row.filter)
            return aero_err__set(err, AERO_ERR_PARAM,
                                 "background %s: put where() on the query, not on the write builder",
                                 j->kind == AERO_JOB_TOUCH ? "touch" : "update");
    }
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    h.info2 = AERO_INFO2_WRITE;
    if ((j->kind == AERO_JOB_DELETE && p->durable_delete) || (row.h.info2 & AERO_INFO2_DURABLE_DELETE))
        h.info2 |= AERO_INFO2_DURABLE_DELETE;
    h.record_ttl = j->w ? row.h.record_ttl : 0;
    h.transaction_ttl = p->total_timeout_ms;
    aero_buf__reset(b);
    size_t start = aero_msg__begin(b);
    aero_msg__field(b, &h, AERO_FIELD_NAMESPACE, q->ds.ns, strlen(q->ds.ns));
    if (q->ds.set[0])
        aero_msg__field(b, &h, AERO_FIELD_SETNAME, q->ds.set, strlen(q->ds.set));
    if (q->rps)
        aero_msg__field_u32(b, &h, AERO_FIELD_RPS, q->rps);
    aero_msg__field_u32(b, &h, AERO_FIELD_SOCKET_TIMEOUT, p->socket_timeout_ms);
    aero_msg__field_u64(b, &h, AERO_FIELD_TASK_ID, trid);
    if (q->icond.set) /* the query's index filter (filter() or the automatic choice): the job gets it too */
        aero_index__cond_encode(b, &h, &q->icond);
    if (j->kind == AERO_JOB_UDF) {
        aero_buf__put(b, j->udf.data, j->udf.len);
        h.n_fields = (uint16_t)(h.n_fields + j->udh.n_fields);
    }
    if (q->filter.ptr)
        aero_msg__field(b, &h, AERO_FIELD_FILTER, q->filter.ptr, q->filter.len);
    if (j->kind == AERO_JOB_DELETE)
        aero_msg__op(b, &h, AERO_MSG_OP_DELETE, AERO_PT_NULL, "", 0, NULL, 0);
    else if (j->w) {
        aero_buf__put(b, row.ops, row.ops_len);
        h.n_ops = (uint16_t)(h.n_ops + row.h.n_ops);
    }
    aero_status st = aero_msg__end(b, start, &h);
    if (st != AERO_OK || b->failed)
        return aero_err__set(err, st ? st : AERO_ERR_NO_MEMORY, "background job request could not be built");
    return AERO_OK;
}

/* Send the request to node n and read its one answer. */
static aero_status start_on(aero_node *n, const aero_buf *req, const aero_policy *p, aero_error *err) {
    uint32_t t = p->socket_timeout_ms ? p->socket_timeout_ms : p->total_timeout_ms;
    uint64_t deadline = aero_deadline_after_ms(t ? t : 30000);
    aero_conn *conn;
    aero_status st = aero_node__conn_get(n, deadline, &conn, err);
    if (st != AERO_OK)
        return st;
    st = aero_conn__write(conn, req->data, req->len, deadline, err);
    aero_frames fr;
    aero_frames__init(&fr);
    fr.socket_timeout_ms = t;
    aero_frames__reset(&fr, conn);
    aero_msg_view m;
    if (st == AERO_OK)
        st = aero_frames__next(&fr, &m, aero_node__address(n), err);
    bool healthy = st == AERO_OK && (m.h.info3 & AERO_INFO3_LAST);
    if (st == AERO_OK) {
        int rc = m.h.result_code;
        /* 2: the set does not exist, so the job has nothing to do (protocol.md 7.4) */
        if (rc != AERO_OK && rc != AERO_ERR_KEY_NOT_FOUND)
            st = aero_err__set(err, rc, "background job refused by %s: %s", aero_node__address(n), aero_status_str(rc));
    }
    aero_frames__free(&fr);
    if (healthy)
        aero_node__conn_put(n, conn);
    else
        aero_node__conn_close(n, conn);
    return st;
}

AERO_API aero_job *aero_query_execute_background(aero_query *q, aero_error *err) {
    aero_err__reset(err);
    if (!q) {
        aero_err__set(err, AERO_ERR_PARAM, "query builder is NULL (session NULL or out of memory)");
        return NULL;
    }
    aero_job *job = NULL;
    aero_buf req;
    aero_buf__init(&req, NULL, 0);
    aero_node *nodes[NODES_MAX];
    size_t n = 0;
    if (q->bad.code)
        aero_err__set(err, q->bad.code, "background job: %s", q->bad.msg);
    else if (!q->job)
        aero_err__set(err, AERO_ERR_PARAM,
                      "background job: the query has no background verb (update, touch, "
                      "delete or udf)");
    else if (q->n_bins || q->no_bins || q->oph.n_ops || q->max_records || q->chunk || q->pbegin != 0 ||
             q->pend != AERO_PARTITIONS || q->fail_on_filtered || q->respond_all)
        aero_err__set(err, AERO_ERR_PARAM,
                      "background job: bins, select_from, max_records, chunk_size, partition ranges, "
                      "fail_on_filtered_out and respond_all_keys do not apply to a job");
    else {
        uint64_t trid = task_id();
        if (aero_index__choose(q, true, NULL, err) == AERO_OK && build(q, trid, &req, err) == AERO_OK) {
            n = aero_cluster__nodes(q->s->client->cluster, nodes, NODES_MAX);
            job = n ? calloc(1, sizeof *job) : NULL;
            if (job)
                job->nodes = calloc(n, sizeof *job->nodes);
            if (!n)
                aero_err__set(err, AERO_ERR_INVALID_NODE, "background job: no node is available");
            else if (!job || !job->nodes) {
                aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory starting a background job");
                if (job)
                    free(job);
                job = NULL;
            }
        }
        aero_status first = AERO_OK;
        for (size_t i = 0; job && i < n; i++) {
            aero_error e;
            aero_err__reset(&e);
            aero_status st = start_on(nodes[i], &req, &q->s->write_query, &e);
            if (st == AERO_OK)
                snprintf(job->nodes[job->n_nodes++], sizeof job->nodes[0], "%s", aero_node__name(nodes[i]));
            else if (first == AERO_OK) {
                first = st;
                if (err)
                    *err = e;
            }
        }
        if (job && first != AERO_OK) {
            aero_job_free(job);
            job = NULL;
        }
        if (job) {
            job->client = q->s->client;
            job->trid = trid;
            uint32_t ct = q->s->client->config.connect_timeout_ms;
            job->timeout_ms = ct ? ct * 5 : 10000;
        }
    }
    for (size_t i = 0; i < n; i++)
        aero_node__release(nodes[i]);
    aero_buf__free(&req);
    aero_query_abandon(q);
    return job;
}

AERO_API uint64_t aero_job_id(const aero_job *job) { return job ? job->trid : 0; }

AERO_API void aero_job_free(aero_job *job) {
    if (!job)
        return;
    free(job->nodes);
    free(job);
}

/* Value of `key` in a ':'-separated query-show answer, copied into out; false if absent. */
static bool field(aero_strview v, const char *key, char *out, size_t cap) {
    size_t kl = strlen(key);
    const char *p = v.p, *end = v.p + v.len;
    while (p < end) {
        const char *colon = memchr(p, ':', (size_t)(end - p));
        const char *e = colon ? colon : end;
        if ((size_t)(e - p) > kl && !memcmp(p, key, kl) && p[kl] == '=') {
            size_t n = (size_t)(e - p) - kl - 1;
            if (n >= cap)
                n = cap - 1;
            memcpy(out, p + kl + 1, n);
            out[n] = 0;
            return true;
        }
        p = e + 1;
    }
    return false;
}

static uint64_t field_u64(aero_strview v, const char *key) {
    char buf[32];
    return field(v, key, buf, sizeof buf) ? strtoull(buf, NULL, 10) : 0;
}

AERO_API aero_status aero_job_status_get(aero_job *job, aero_job_status *out, aero_error *err) {
    aero_err__reset(err);
    if (!job || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "job status needs a job and an output status");
    aero_status st = aero_err__check_version(err, "aero_job_status", out->version, AERO_JOB_STATUS_VERSION);
    if (st != AERO_OK)
        return st;
    aero_job_status js = AERO_JOB_STATUS_INIT;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "query-show:trid=%" PRIu64, job->trid);
    aero_node *nodes[NODES_MAX];
    size_t n = aero_cluster__nodes(job->client->cluster, nodes, NODES_MAX);
    double progress = 0;
    for (size_t k = 0; k < job->n_nodes; k++) {
        aero_node *node = NULL;
        for (size_t i = 0; i < n && !node; i++)
            if (!strcmp(aero_node__name(nodes[i]), job->nodes[k]))
                node = nodes[i];
        js.nodes++;
        if (!node) { /* the node left the cluster: its share of the job is over */
            js.nodes_done++;
            progress += 100;
            continue;
        }
        char *body = NULL;
        aero_strview v;
        st = aero_udf__node_info(node, cmd, aero_deadline_after_ms(job->timeout_ms), &body, &v, err);
        if (st == AERO_OK) {
            char msg[AERO_ERROR_MESSAGE_SIZE];
            aero_status es = aero_info__value_error(v, msg, sizeof msg);
            char status[48] = "";
            if (es == AERO_ERR_KEY_NOT_FOUND) { /* finished and evicted */
                js.nodes_done++;
                progress += 100;
            } else if (es != AERO_OK)
                st = aero_err__set(err, es, "query-show on %s: %s", aero_node__address(node), msg);
            else if (!field(v, "status", status, sizeof status))
                st = aero_err__set(err, AERO_ERR_PROTOCOL, "query-show on %s: no status in '%.80s'",
                                   aero_node__address(node), v.p);
            else {
                bool done = !strncmp(status, "done", 4);
                js.nodes_done += done;
                if (strstr(status, "abandoned") || strstr(status, "aborted"))
                    js.aborted = true;
                js.records_succeeded += field_u64(v, "recs-succeeded");
                js.records_failed += field_u64(v, "recs-failed");
                js.records_filtered += field_u64(v, "recs-filtered-meta") + field_u64(v, "recs-filtered-bins");
                js.records_throttled += field_u64(v, "recs-throttled");
                char pct[16];
                progress += done ? 100 : field(v, "job-progress", pct, sizeof pct) ? strtod(pct, NULL) : 0;
            }
        }
        free(body);
        if (st != AERO_OK)
            break;
    }
    for (size_t i = 0; i < n; i++)
        aero_node__release(nodes[i]);
    if (st != AERO_OK)
        return st;
    js.progress_pct = js.nodes ? progress / js.nodes : 100;
    js.state = js.nodes_done == js.nodes ? AERO_JOB_DONE : AERO_JOB_IN_PROGRESS;
    *out = js;
    return AERO_OK;
}

AERO_API aero_status aero_job_wait(aero_job *job, uint32_t timeout_ms, aero_job_status *out, aero_error *err) {
    aero_job_status js = AERO_JOB_STATUS_INIT;
    if (out) {
        aero_err__reset(err);
        aero_status st = aero_err__check_version(err, "aero_job_status", out->version, AERO_JOB_STATUS_VERSION);
        if (st != AERO_OK)
            return st;
    }
    uint64_t deadline = aero_deadline_after_ms(timeout_ms);
    for (;;) {
        aero_status st = aero_job_status_get(job, &js, err);
        if (st != AERO_OK)
            return st;
        if (out)
            *out = js;
        if (js.state == AERO_JOB_DONE)
            return AERO_OK;
        if (aero_now_ns() + POLL_MS * 1000000ull >= deadline)
            return aero_err__set(err, AERO_ERR_TIMEOUT,
                                 "background job %" PRIu64 " still runs on %u of %u nodes after %u ms (%.1f%%)",
                                 job->trid, js.nodes - js.nodes_done, js.nodes, timeout_ms, js.progress_pct);
        struct timespec ts = { 0, POLL_MS * 1000000L };
        nanosleep(&ts, NULL);
    }
}
