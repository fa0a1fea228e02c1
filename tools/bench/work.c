/*
 * work.c - the data set, the load phase and the worker loop of aero-bench.
 *
 * Hot path rules: nothing here allocates per operation. Keys (with their
 * digests) are built once; a get reads into the worker's one aero_record; a
 * put formats its string bins into the worker's fixed buffers; latencies go
 * into the worker's fixed histogram.
 */
#include "bench.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_user.aero.h"

uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Decimal digits of v at p; returns the end. No locale, no snprintf. */
static char *put_u32(char *p, uint32_t v) {
    char tmp[10];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_str(char *p, const char *s) {
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

int bench_data_init(bench_data *d, const char *ns, const char *set, uint32_t n) {
    memset(d, 0, sizeof *d);
    d->ds = aero_dataset_of(ns, set);
    if (d->ds.invalid) {
        fprintf(stderr, "aero-bench: bad namespace or set: %s\n", d->ds.invalid);
        return -1;
    }
    d->n = n;
    d->key_text = calloc(n, BENCH_KEY_STRIDE);
    d->keys = calloc(n, sizeof *d->keys);
    if (!d->key_text || !d->keys) {
        fprintf(stderr, "aero-bench: out of memory for %u keys\n", n);
        bench_data_free(d);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        char *t = d->key_text + (size_t)i * BENCH_KEY_STRIDE;
        char *e = put_u32(put_str(t, "user-"), i);
        d->keys[i] = aero_dataset_id_strn(&d->ds, t, (size_t)(e - t));
    }
    return 0;
}

void bench_data_free(bench_data *d) {
    free(d->key_text);
    free(d->keys);
    d->key_text = NULL;
    d->keys = NULL;
}

void bench_bins_for(bench_worker *w, uint32_t i, aero_bin_value out[5]) {
    char *e = put_u32(put_str(w->name_buf, "name-"), i);
    out[0].name = "name";
    out[0].value = aero_strn(w->name_buf, (size_t)(e - w->name_buf));
    e = put_str(put_u32(put_str(w->email_buf, "user"), i), "@example.com");
    out[1].name = "email";
    out[1].value = aero_strn(w->email_buf, (size_t)(e - w->email_buf));
    out[2].name = "status";
    out[2].value = (i % 4u == 0) ? aero_strn("inactive", 8) : aero_strn("active", 6);
    out[3].name = "age";
    out[3].value = aero_int(18 + (int64_t)(i % 50u));
    out[4].name = "login_count";
    out[4].value = aero_int((int64_t)(i % 1000u));
}

/* xorshift64*: a per-thread key picker without locks or libc state. */
static inline uint32_t next_key(bench_worker *w, uint32_t n) {
    uint64_t x = w->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    w->rng = x;
    return (uint32_t)(((x * 0x2545F4914F6CDD1DULL) >> 32) % n);
}

/* A bench-side failure (not from the library). */
static aero_status bench_fail(aero_error *err, aero_status code, const char *msg) {
    aero_error_reset(err);
    err->code = code;
    snprintf(err->message, sizeof err->message, "%s", msg);
    return code;
}

static void note_error(bench_worker *w, const aero_error *err) {
    if (w->first_error == AERO_OK) {
        w->first_error = err->code;
        snprintf(w->first_error_msg, sizeof w->first_error_msg, "%s", err->message);
    }
}

/* ---- load ---- */

typedef struct load_job {
    aero_client *client;
    const bench_data *data;
    uint32_t begin, end;
    bool prefs;
    uint64_t errors;
    aero_error err;
} load_job;

/* The map bin of the map-get workload: {"font": 12, "lang": "en", "theme": "dark", "zoom": 100}. */
static aero_status put_prefs(aero_session *s, const aero_key *k, aero_error *err) {
    static const aero_map_policy ordered = { .order = AERO_MAP_KEY_ORDERED };
    aero_map_entry e[4] = { { aero_str("font"), aero_int(12) },
                            { aero_str("lang"), aero_str("en") },
                            { aero_str("theme"), aero_str("dark") },
                            { aero_str("zoom"), aero_int(100) } };
    aero_write *w = aero_session_upsert(s, k);
    aero_write_op(w, aero_map_put_items(AERO_BIN("prefs"), aero_map(e, 4), &ordered));
    return aero_write_execute(w, NULL, err);
}

static void *load_main(void *arg) {
    load_job *j = arg;
    bench_worker *w = calloc(1, sizeof *w); /* only for its string buffers */
    aero_session *s = aero_client_create_session(j->client, NULL, NULL);
    if (!w || !s) {
        j->errors = j->end - j->begin;
        free(w);
        aero_session_free(s);
        return NULL;
    }
    for (uint32_t i = j->begin; i < j->end; i++) {
        aero_bin_value bins[5];
        aero_error err;
        bench_bins_for(w, i, bins);
        aero_status st = aero_session_put(s, &j->data->keys[i], bins, 5, &err);
        if (st == AERO_OK && j->prefs)
            st = put_prefs(s, &j->data->keys[i], &err);
        if (st != AERO_OK) {
            if (j->errors++ == 0)
                j->err = err;
        }
    }
    aero_session_free(s);
    free(w);
    return NULL;
}

int bench_load(aero_client *c, const bench_data *d, unsigned threads, bool prefs) {
    if (threads == 0)
        threads = 1;
    load_job *jobs = calloc(threads, sizeof *jobs);
    pthread_t *tids = calloc(threads, sizeof *tids);
    if (!jobs || !tids) {
        free(jobs);
        free(tids);
        fprintf(stderr, "aero-bench: out of memory\n");
        return -1;
    }
    uint64_t t0 = bench_now_ns();
    unsigned started = 0;
    for (unsigned t = 0; t < threads; t++) {
        jobs[t].client = c;
        jobs[t].data = d;
        jobs[t].prefs = prefs;
        jobs[t].begin = (uint32_t)((uint64_t)d->n * t / threads);
        jobs[t].end = (uint32_t)((uint64_t)d->n * (t + 1) / threads);
        if (pthread_create(&tids[t], NULL, load_main, &jobs[t]) != 0)
            break;
        started++;
    }
    uint64_t errors = 0;
    const aero_error *first = NULL;
    for (unsigned t = 0; t < started; t++) {
        pthread_join(tids[t], NULL);
        errors += jobs[t].errors;
        if (jobs[t].errors && !first)
            first = &jobs[t].err;
    }
    double secs = (double)(bench_now_ns() - t0) / 1e9;
    int rc = (started == threads && errors == 0) ? 0 : -1;
    if (rc == 0)
        fprintf(stderr, "load: %u records in %.2f s\n", d->n, secs);
    else
        fprintf(stderr, "load: %llu errors%s%s\n", (unsigned long long)errors, first ? ", first: " : "",
                first ? first->message : "");
    free(jobs);
    free(tids);
    return rc;
}

/* ---- one operation of each kind ---- */

/* Key i: the pre-built one, or (--fresh-keys) built now from its text, as an application would. */
static inline const aero_key *key_for(bench_worker *w, uint32_t i, aero_key *tmp) {
    if (!w->cfg->fresh_keys)
        return &w->data->keys[i];
    const aero_key *k = &w->data->keys[i];
    *tmp = aero_dataset_id_strn(&w->data->ds, k->ptr, k->len);
    return tmp;
}

static aero_status op_get(bench_worker *w, uint32_t i, aero_error *err) {
    aero_key tmp;
    return aero_session_get(w->session, key_for(w, i, &tmp), NULL, 0, &w->rec, err);
}

static aero_status op_put(bench_worker *w, uint32_t i, aero_error *err) {
    aero_bin_value bins[5];
    aero_key tmp;
    bench_bins_for(w, i, bins);
    return aero_session_put(w->session, key_for(w, i, &tmp), bins, 5, err);
}

/* Generic get, then read every bin the way an application would. */
static aero_status op_get_generic(bench_worker *w, uint32_t i, aero_error *err) {
    aero_status st = aero_session_get(w->session, &w->data->keys[i], NULL, 0, &w->rec, err);
    if (st != AERO_OK)
        return st;
    const char *name = aero_record_str(&w->rec, "name");
    const char *email = aero_record_str(&w->rec, "email");
    const char *status = aero_record_str(&w->rec, "status");
    int64_t age = aero_record_int(&w->rec, "age", -1);
    int64_t logins = aero_record_int(&w->rec, "login_count", -1);
    if (!name || !email || !status || age < 0 || logins < 0) {
        return bench_fail(err, AERO_ERR_BIN_NOT_FOUND, "record lacks a bin of the bench shape");
    }
    return AERO_OK;
}

static aero_status op_typed(bench_worker *w, uint32_t i, aero_error *err) {
    bench_user u;
    aero_status st = aero_schema_get(w->session, &bench_user_schema, &w->data->keys[i], NULL, 0, &u, &w->rec, err);
    if (st != AERO_OK)
        return st;
    if (!u.has_name || !u.has_email || !u.has_status || !u.has_age || !u.has_login_count) {
        return bench_fail(err, AERO_ERR_BIN_NOT_FOUND, "record lacks a bin of the bench shape");
    }
    return AERO_OK;
}

/* Run a dataset query; its rows counted into w->rows. */
static aero_status count_rows(bench_worker *w, aero_query *q, aero_error *err) {
    aero_stream *st = aero_query_execute(q, err);
    if (!st)
        return err->code;
    while (aero_stream_next(st, err))
        w->rows++;
    aero_stream_close(st);
    return err->code;
}

/* One query over the set with the compiled filter; rows counted into w->rows. */
static aero_status op_query(bench_worker *w, const aero_expr *filter, aero_error *err) {
    return count_rows(w, aero_query_where_expr(aero_session_query(w->session, &w->data->ds), filter), err);
}

/*
 * An equality query on login_count (1000 values over the keys: about keys / 1000 rows), the where() as AEL
 * text so the client's automatic index choice sees it; with `scan` the index is forbidden.
 */
static aero_status op_eq_query(bench_worker *w, uint32_t i, bool scan, aero_error *err) {
    char ael[48];
    snprintf(ael, sizeof ael, "$.login_count == %u", i % 1000u);
    aero_query *q = aero_query_where(aero_session_query(w->session, &w->data->ds), ael);
    if (scan)
        aero_query_no_index(q);
    return count_rows(w, q, err);
}

int bench_index_create(aero_client *c, const bench_config *cfg) {
    aero_error err;
    aero_session *s = aero_client_create_session(c, NULL, &err);
    if (!s) {
        fprintf(stderr, "aero-bench: session: %s\n", err.message);
        return -1;
    }
    aero_index_def d = AERO_INDEX_DEF_INIT;
    d.ns = cfg->ns;
    d.set = cfg->set;
    d.name = BENCH_INDEX_NAME;
    d.bin = "login_count";
    d.type = AERO_INDEX_NUMERIC;
    int rc = 0;
    if (aero_index_create(s, &d, &err) != AERO_OK || aero_index_wait(s, d.ns, d.name, 120000, &err) != AERO_OK) {
        fprintf(stderr, "aero-bench: index %s: %s\n", BENCH_INDEX_NAME, err.message);
        rc = -1;
    }
    aero_session_free(s);
    return rc;
}

void bench_index_drop(aero_client *c, const bench_config *cfg) {
    aero_error err;
    aero_session *s = aero_client_create_session(c, NULL, &err);
    if (s)
        aero_index_drop(s, cfg->ns, BENCH_INDEX_NAME, &err);
    aero_session_free(s);
}

/* Batch read of batch_size consecutive keys from i (wrapping); rows counted into w->rows. */
static aero_status op_batch_get(bench_worker *w, uint32_t i, aero_error *err) {
    const bench_data *d = w->data;
    uint32_t n = w->cfg->batch_size < d->n ? w->cfg->batch_size : d->n;
    if (i > d->n - n)
        i = d->n - n;
    aero_batch *b = aero_session_batch(w->session);
    aero_batch_read_keys(b, &d->keys[i], n);
    aero_stream *st = aero_batch_execute(b, err);
    if (!st)
        return err->code;
    for (const aero_record *r; (r = aero_stream_next(st, err));)
        w->rows += r->result == AERO_OK;
    aero_stream_close(st);
    return err->code;
}

/* Batch upsert of the five bins (those of key i) to batch_size consecutive keys: one command, repeated rows. */
static aero_status op_batch_put(bench_worker *w, uint32_t i, aero_error *err) {
    const bench_data *d = w->data;
    uint32_t n = w->cfg->batch_size < d->n ? w->cfg->batch_size : d->n;
    if (i > d->n - n)
        i = d->n - n;
    aero_bin_value bins[5];
    bench_bins_for(w, i, bins);
    aero_batch *b = aero_session_batch(w->session);
    aero_write_put(aero_batch_upsert_keys(b, &d->keys[i], n), bins, 5);
    aero_stream *st = aero_batch_execute(b, err);
    if (!st)
        return err->code;
    aero_status rc = AERO_OK;
    for (const aero_record *r; (r = aero_stream_next(st, err));) {
        w->rows += r->result == AERO_OK;
        if (r->result != AERO_OK && rc == AERO_OK)
            rc = r->result;
    }
    aero_stream_close(st);
    if (rc != AERO_OK)
        return bench_fail(err, rc, "a batch put row failed");
    return err->code;
}

/* Append an int to the list bin "events" of key i (one op, one result: the new size). */
static aero_status op_list_append(bench_worker *w, uint32_t i, aero_error *err) {
    aero_write *wr = aero_session_upsert(w->session, &w->data->keys[i]);
    aero_write_op(wr, aero_list_append(AERO_BIN("events"), aero_int((int64_t)w->rows++), NULL));
    return aero_write_execute(wr, &w->rec, err);
}

/* Read the value of key "theme" in the map bin "prefs" of key i. */
static aero_status op_map_get(bench_worker *w, uint32_t i, aero_error *err) {
    aero_write *wr = aero_session_upsert(w->session, &w->data->keys[i]);
    aero_write_op(wr, aero_map_get_by_key(AERO_BIN("prefs"), aero_str("theme"), AERO_CDT_RETURN_VALUE));
    aero_status st = aero_write_execute(wr, &w->rec, err);
    if (st == AERO_OK && !aero_record_str(&w->rec, "prefs"))
        return bench_fail(err, AERO_ERR_BIN_NOT_FOUND, "map bin 'prefs' has no 'theme' (load with --load)");
    return st;
}

/* ---- the worker loop ---- */

void *bench_worker_main(void *arg) {
    bench_worker *w = arg;
    const bench_config *cfg = w->cfg;
    const uint32_t n = w->data->n;
    const uint64_t limit = cfg->ops_per_thread ? cfg->ops_per_thread : UINT64_MAX;
    aero_expr *filter = NULL;
    aero_error err;
    uint64_t ops = 0, errors = 0;
    struct timespec cpu0, cpu1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);

    if (cfg->workload == BENCH_QUERY) {
        filter = aero_ael_compile(BENCH_FILTER, NULL, 0, &err);
        if (!filter) {
            note_error(w, &err);
            atomic_store_explicit(&w->errors, 1, memory_order_relaxed);
            return NULL;
        }
    }
    while (ops < limit && !atomic_load_explicit(w->stop, memory_order_relaxed)) {
        uint32_t i = next_key(w, n);
        aero_status st;
        uint64_t t0 = bench_now_ns();
        switch (cfg->workload) {
        case BENCH_GET: st = op_get(w, i, &err); break;
        case BENCH_PUT: st = op_put(w, i, &err); break;
        case BENCH_RU: st = (next_key(w, 100) < cfg->read_pct) ? op_get(w, i, &err) : op_put(w, i, &err); break;
        case BENCH_GET_GENERIC: st = op_get_generic(w, i, &err); break;
        case BENCH_TYPED: st = op_typed(w, i, &err); break;
        case BENCH_QUERY: st = op_query(w, filter, &err); break;
        case BENCH_BATCH_GET: st = op_batch_get(w, i, &err); break;
        case BENCH_BATCH_PUT: st = op_batch_put(w, i, &err); break;
        case BENCH_LIST_APPEND: st = op_list_append(w, i, &err); break;
        case BENCH_MAP_GET: st = op_map_get(w, i, &err); break;
        case BENCH_INDEX_EQ: st = op_eq_query(w, i, false, &err); break;
        case BENCH_SCAN_EQ: st = op_eq_query(w, i, true, &err); break;
        default: st = bench_fail(&err, AERO_ERR_PARAM, "workload not built in"); break;
        }
        bench_hist_record(&w->hist, bench_now_ns() - t0);
        ops++;
        if (st != AERO_OK) {
            errors++;
            note_error(w, &err);
            atomic_store_explicit(&w->errors, errors, memory_order_relaxed);
        }
        atomic_store_explicit(&w->ops, ops, memory_order_relaxed);
    }
    aero_expr_free(filter);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
    w->cpu_ns = (uint64_t)((cpu1.tv_sec - cpu0.tv_sec) * 1000000000LL + (cpu1.tv_nsec - cpu0.tv_nsec));
    return NULL;
}

/* ---- ael-compile ---- */

int bench_ael_compile(const bench_config *cfg) {
    aero_error err;
    uint64_t ops = 0, errors = 0, bytes = 0;
    const uint64_t t_start = bench_now_ns();
    const uint64_t limit = cfg->ops_per_thread ? cfg->ops_per_thread : UINT64_MAX;
    const uint64_t t_end = cfg->ops_per_thread ? UINT64_MAX : t_start + (uint64_t)(cfg->duration_s * 1e9);
    uint64_t next_report = t_start + 1000000000u, last_ops = 0;
    bench_hist hist;
    bench_hist_reset(&hist);

    aero_expr *probe = aero_ael_compile(BENCH_FILTER, NULL, 0, &err);
    if (!probe) {
        fprintf(stderr, "aero-bench: aero_ael_compile(\"%s\") failed: %s (%s)\n", BENCH_FILTER, err.message,
                aero_status_str(err.code));
        printf("workload=ael-compile threads=1 ops=0 errors=1 ops/s=0 ns_per_compile=0 p50_us=0 p99_us=0\n");
        return 1;
    }
    aero_expr_bytes(probe, (size_t *)&bytes);
    aero_expr_free(probe);

    /* Timed in batches so the clock reads do not count as compile time. */
    enum { BATCH = 64 };
    uint64_t now = t_start;
    while (ops < limit && now < t_end) {
        uint64_t t0 = bench_now_ns();
        for (unsigned k = 0; k < BATCH; k++) {
            aero_expr *e = aero_ael_compile(BENCH_FILTER, NULL, 0, &err);
            if (!e)
                errors++;
            aero_expr_free(e);
        }
        now = bench_now_ns();
        bench_hist_record(&hist, (now - t0) / BATCH);
        ops += BATCH;
        if (!cfg->quiet && now >= next_report) {
            fprintf(stderr, "%5.0fs ops/s=%llu\n", (double)(now - t_start) / 1e9, (unsigned long long)(ops - last_ops));
            last_ops = ops;
            next_report += 1000000000u;
        }
    }
    double secs = (double)(now - t_start) / 1e9;
    printf("workload=ael-compile threads=1 ops=%llu errors=%llu ops/s=%.0f ns_per_compile=%.0f expr_bytes=%llu "
           "p50_us=%.2f p99_us=%.2f\n",
           (unsigned long long)ops, (unsigned long long)errors, secs > 0 ? (double)ops / secs : 0.0,
           ops ? secs * 1e9 / (double)ops : 0.0, (unsigned long long)bytes,
           (double)bench_hist_quantile(&hist, 0.50) / 1e3, (double)bench_hist_quantile(&hist, 0.99) / 1e3);
    return errors ? 1 : 0;
}
