/*
 * udf_job.c - background jobs of the test server: write operations or a
 * record UDF applied to every record a query selects on a node, and their
 * query-show status.
 *
 * A job is one per node: the node that got the request runs it over the
 * records of the partitions it masters, each as a single-record command
 * (kv.c, which hands UDF calls to udf.c). Without records_per_second it
 * runs before the answer is sent (a real server is that fast on a few
 * records); with it, on a thread paced as the server paces (at most 10 ms
 * of sleep per record), so query-show shows it active with its progress,
 * as a real one.
 */
#include "udf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JOBS_FINISHED 100 /* finished jobs query-show remembers */

typedef struct ts_job {
    aero_testserver *ts;
    uint64_t trid;
    unsigned node;
    uint16_t port;
    char ns[32], set[64];
    bool is_udf;
    char udf_file[136], udf_fn[128];
    uint32_t rps;
    uint64_t start_ns, finish_ns;
    bool done;
    /* counters: ts->mu */
    uint64_t succeeded, failed, filtered, throttled;
    size_t n, pos;
    /* what to run: a private copy of the request */
    ts_msg m;
    ts_field *fields;
    uint8_t *blob;
    uint8_t (*digs)[20];
    pthread_t thread;
    bool has_thread;
} ts_job;

typedef struct ts_jobs {
    ts_job **jobs;
    size_t n_jobs, cap_jobs;
} ts_jobs;

/* The server's jobs, made on first use; caller holds ts->mu. NULL when out of memory. */
static ts_jobs *jobs_of(aero_testserver *ts) {
    if (!ts->jobs)
        ts->jobs = calloc(1, sizeof *ts->jobs);
    return ts->jobs;
}

static void job_free(ts_job *j) {
    if (!j)
        return;
    free(j->fields);
    free(j->blob);
    free(j->m.ops);
    free(j->digs);
    free(j);
}

/* Copy the request's fields and ops into j (the request buffer goes when the answer is sent). */
static bool copy_msg(ts_job *j, const ts_msg *m) {
    size_t total = 0, nf = 0;
    for (int t = 0; t < 256; t++)
        if (m->fields_by_type[t]) {
            total += m->fields_by_type[t]->len;
            nf++;
        }
    for (uint16_t i = 0; i < m->n_ops; i++)
        total += m->ops[i].name_len + m->ops[i].value_len;
    j->m = *m;
    j->m.ops = NULL;
    j->blob = malloc(total + 1);
    j->fields = calloc(nf + 1, sizeof *j->fields);
    ts_op *ops = m->n_ops ? calloc(m->n_ops, sizeof *ops) : NULL;
    if (!j->blob || !j->fields || (m->n_ops && !ops)) {
        free(ops);
        return false;
    }
    j->m.ops = ops;
    uint8_t *p = j->blob;
    size_t k = 0;
    for (int t = 0; t < 256; t++) {
        const ts_field *f = m->fields_by_type[t];
        if (!f)
            continue;
        j->fields[k] = *f;
        memcpy(p, f->data, f->len);
        j->fields[k].data = p;
        p += f->len;
        j->m.fields_by_type[t] = &j->fields[k++];
    }
    for (uint16_t i = 0; i < m->n_ops; i++) {
        ops[i] = m->ops[i];
        memcpy(p, m->ops[i].name, m->ops[i].name_len);
        ops[i].name = (const char *)p;
        p += m->ops[i].name_len;
        memcpy(p, m->ops[i].value, m->ops[i].value_len);
        ops[i].value = p;
        p += m->ops[i].value_len;
    }
    return true;
}

static void *run_job(void *arg) {
    ts_job *j = arg;
    aero_testserver *ts = j->ts;
    const ts_clock *prev = ts_clock_bind(&ts->clock);
    ts_msg row = j->m;
    ts_field dig = { .type = AERO_FIELD_DIGEST, .len = 20 };
    row.fields_by_type[AERO_FIELD_DIGEST] = &dig;
    row.fields_by_type[AERO_FIELD_KEY] = NULL;
    row.info3 &= (uint8_t)~AERO_INFO3_PARTITION_DONE;
    row.info3 |= AERO_INFO3_UPDATE_ONLY; /* a record deleted meanwhile is not recreated by write ops */
    aero_buf scratch;
    aero_buf__init(&scratch, NULL, 0);
    uint64_t t0 = ts_now_ns();
    for (size_t i = 0; i < j->n && !ts->stopping; i++) {
        bool throttled = j->rps != 0;
        if (j->rps) {
            /* as the server's throttle: behind record i's due time (i / rps s in), sleep, but at most 10 ms
             * per record and only when at least 1 ms behind (so few records finish faster than rps says) */
            uint64_t due = t0 + (uint64_t)i * 1000000000ull / j->rps, now = ts_now_ns();
            if (due > now + 1000000ull && !ts->stopping) {
                uint64_t d = due - now > 10000000ull ? 10000000ull : due - now;
                struct timespec sl = { 0, (long)d };
                nanosleep(&sl, NULL);
            }
        }
        dig.data = j->digs[i];
        aero_buf__reset(&scratch);
        int rc = ts_kv_row(ts, &row, 0, &scratch);
        pthread_mutex_lock(&ts->mu);
        if (rc == 0)
            j->succeeded++;
        else if (rc == AERO_ERR_FILTERED_OUT)
            j->filtered++;
        else if (rc != AERO_ERR_KEY_NOT_FOUND) /* gone since the job started: nothing to do */
            j->failed++;
        j->throttled += throttled; /* the server counts every record of a throttled job */
        j->pos = i + 1;
        pthread_mutex_unlock(&ts->mu);
    }
    aero_buf__free(&scratch);
    pthread_mutex_lock(&ts->mu);
    j->done = true;
    j->finish_ns = ts_now_ns();
    pthread_mutex_unlock(&ts->mu);
    ts_clock_bind(prev);
    return NULL;
}

/* Forget the oldest finished jobs beyond JOBS_FINISHED; caller holds ts->mu. */
static void evict(ts_jobs *st) {
    size_t finished = 0;
    for (size_t i = 0; i < st->n_jobs; i++)
        finished += st->jobs[i]->done;
    for (size_t i = 0; i < st->n_jobs && finished > JOBS_FINISHED;) {
        ts_job *j = st->jobs[i];
        if (j->done && !j->has_thread) { /* threaded jobs are joined at stop */
            job_free(j);
            memmove(&st->jobs[i], &st->jobs[i + 1], (st->n_jobs - i - 1) * sizeof *st->jobs);
            st->n_jobs--;
            finished--;
        } else
            i++;
    }
}

void ts_job_start(aero_testserver *ts, ts_node *node, const ts_msg *m, uint8_t (*digs)[20], size_t n, uint64_t trid) {
    ts_job *j = calloc(1, sizeof *j);
    if (!j || !copy_msg(j, m)) {
        free(digs);
        job_free(j);
        return;
    }
    j->ts = ts;
    j->trid = trid;
    j->node = node->index;
    j->port = node->port;
    j->digs = digs;
    j->n = n;
    const ts_field *f = m->fields_by_type[AERO_FIELD_NAMESPACE];
    snprintf(j->ns, sizeof j->ns, "%.*s", f ? (int)f->len : 0, f ? (const char *)f->data : "");
    f = m->fields_by_type[AERO_FIELD_SETNAME];
    snprintf(j->set, sizeof j->set, "%.*s", f ? (int)f->len : 0, f ? (const char *)f->data : "");
    f = m->fields_by_type[AERO_FIELD_RPS];
    j->rps = f && f->len == 4 ? aero_get_u32be(f->data) : 0;
    f = m->fields_by_type[AERO_FIELD_UDF_PACKAGE];
    j->is_udf = f != NULL;
    if (f) {
        const ts_field *fn = m->fields_by_type[AERO_FIELD_UDF_FUNCTION];
        snprintf(j->udf_file, sizeof j->udf_file, "%.*s.lua", (int)f->len, (const char *)f->data);
        snprintf(j->udf_fn, sizeof j->udf_fn, "%.*s", fn ? (int)fn->len : 0, fn ? (const char *)fn->data : "");
    }
    j->start_ns = ts_now_ns();
    pthread_mutex_lock(&ts->mu);
    ts_jobs *st = jobs_of(ts);
    if (st && st->n_jobs == st->cap_jobs) {
        size_t cap = st->cap_jobs ? st->cap_jobs * 2 : 16;
        ts_job **nj = realloc(st->jobs, cap * sizeof *nj);
        if (nj) {
            st->jobs = nj;
            st->cap_jobs = cap;
        }
    }
    bool kept = st && st->n_jobs < st->cap_jobs;
    if (kept) {
        st->jobs[st->n_jobs++] = j;
        evict(st);
    }
    pthread_mutex_unlock(&ts->mu);
    if (!kept) {
        job_free(j);
        return;
    }
    /* has_thread is set before the thread exists: eviction never frees a job a thread may still run */
    pthread_mutex_lock(&ts->mu);
    j->has_thread = j->rps != 0;
    pthread_mutex_unlock(&ts->mu);
    if (j->has_thread && pthread_create(&j->thread, NULL, run_job, j) == 0)
        return;
    pthread_mutex_lock(&ts->mu);
    j->has_thread = false;
    pthread_mutex_unlock(&ts->mu);
    run_job(j);
}

static void show(const ts_job *j, aero_buf *o) {
    uint64_t now = ts_now_ns();
    uint64_t run = (j->done ? j->finish_ns : now) - j->start_ns;
    double pct = j->done ? 100.0 : j->n ? 100.0 * (double)j->pos / (double)j->n : 0.0;
    char line[1024];
    int k = snprintf(line, sizeof line, "trid=%" PRIu64 ":ns=%s", j->trid, j->ns);
    if (j->set[0])
        k += snprintf(line + k, sizeof line - (size_t)k, ":set=%s", j->set);
    k += snprintf(line + k, sizeof line - (size_t)k,
                  ":rps=%u:active-threads=%u:status=%s(ok):job-progress=%.2f:run-time=%" PRIu64
                  ":time-since-done=%" PRIu64 ":recs-throttled=%" PRIu64
                  ":recs-filtered-meta=0:recs-filtered-bins=%" PRIu64 ":recs-succeeded=%" PRIu64 ":recs-failed=%" PRIu64
                  ":from=127.0.0.1+%u",
                  j->rps, j->done ? 0u : 1u, j->done ? "done" : "active", pct, run / 1000000,
                  j->done ? (now - j->finish_ns) / 1000000 : 0, j->throttled, j->filtered, j->succeeded, j->failed,
                  (unsigned)j->port);
    if (j->is_udf)
        snprintf(line + k, sizeof line - (size_t)k,
                 ":job-type=background-udf:net-io-bytes=30:socket-timeout=10000:udf-filename=%s:udf-function=%s:"
                 "udf-active=0",
                 j->udf_file, j->udf_fn);
    else
        snprintf(line + k, sizeof line - (size_t)k,
                 ":job-type=background-ops:net-io-bytes=30:socket-timeout=10000:"
                 "ops-active=0");
    aero_buf__put(o, line, strlen(line));
}

void ts_job_show(aero_testserver *ts, ts_node *node, const char *params, aero_buf *o) {
    ts_jobs *st = jobs_of(ts);
    char num[32];
    int got = params ? ts_info_param(params, "id", num, sizeof num) : 0;
    if (!got && params)
        got = ts_info_param(params, "trid", num, sizeof num);
    if (!got) {
        bool first = true;
        for (size_t i = st ? st->n_jobs : 0; i-- > 0;) { /* newest first */
            if (st->jobs[i]->node != node->index)
                continue;
            if (!first)
                aero_buf__put(o, ";", 1);
            show(st->jobs[i], o);
            first = false;
        }
        return;
    }
    uint64_t id = 0;
    if (got > 0 && num[0]) {
        char *end;
        id = strtoull(num, &end, 0);
        if (*end)
            id = 0;
    }
    if (id == 0) {
        aero_buf__put(o, "ERROR:4:bad id", 14);
        return;
    }
    for (size_t i = st ? st->n_jobs : 0; i-- > 0;)
        if (st->jobs[i]->trid == id && st->jobs[i]->node == node->index) {
            show(st->jobs[i], o);
            return;
        }
    aero_buf__put(o, "ERROR:2:job not found", 21);
}

void ts_jobs_free(aero_testserver *ts) {
    ts_jobs *st = ts->jobs;
    if (!st)
        return;
    ts->stopping = true;
    for (size_t i = 0; i < st->n_jobs; i++)
        if (st->jobs[i]->has_thread)
            pthread_join(st->jobs[i]->thread, NULL);
    for (size_t i = 0; i < st->n_jobs; i++)
        job_free(st->jobs[i]);
    free(st->jobs);
    free(st);
    ts->jobs = NULL;
}
