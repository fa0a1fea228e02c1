/*
 * batch_build.c - the batch builder (aero/batch.h) on top of the batch
 * engine (batch.c).
 *
 * Each verb closes the current row and opens a new one. A write row is a
 * write builder (write.c) borrowed from the client's free list; closing the
 * row copies its command (header flags, ops, filter) into the batch's byte
 * buffer and gives the builder back, so a batch holds one builder at a time.
 * A closed row's command equal to the previous command is not stored again:
 * rows share it, and the engine sends them as REPEAT rows.
 */
#include <aero/batch.h>

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "client.h"
#include "filter.h"
#include "internal.h"
#include "proto/wire.h"
#include "query_internal.h"
#include "record_decode.h"
#include "udf_internal.h"
#include "write_row.h"

enum row_kind { K_NONE, K_READ, K_EXISTS, K_WRITE, K_UDF };

/* A stored command: the engine's view (ops and filter as offsets into bytes) plus stream rules. */
typedef struct bcmd {
    aero_batch_cmd c;
    size_t ops_off, filter_off, udf_off;
    bool has_udf;
    bool has_filter, fail_on_filtered, quiet_not_found, missing_is_error;
} bcmd;

struct aero_batch {
    aero_session *s;
    aero_misuse bad;
    aero_key *keys;
    uint32_t *cmd_of;
    size_t n, cap;
    bcmd *cmds;
    size_t n_cmds, cap_cmds;
    aero_buf bytes; /* ops and filters of every command */
    /* the open row(s) */
    enum row_kind kind;
    size_t first, count;
    aero_write *w; /* K_WRITE */
    bcmd cur;      /* K_READ / K_EXISTS (ops already in bytes) */
    aero_filter filter;
    int8_t send_key; /* -1: the behavior's */
    bool fail_on_filtered;
    /* batch settings */
    bool respond_all;
    uint8_t parent_flags;
    unsigned max_nodes;
    /* kept across uses, so a warm batch allocates nothing (the client recycles builders) */
    aero_record *rows; /* rows_cap initialised records, their buffers kept */
    size_t rows_cap;
    aero_batch_cmd *run_cmds; /* the engine's view of cmds */
    size_t run_cmds_cap;
    aero_batch_scratch scratch;
    struct aero_stream stream; /* what aero_batch_execute returns */
    struct aero_batch *next_free;
};

/* Recycled builders per client, and the most one keeps: beyond these a builder is freed, so a
   single huge batch does not pin its memory. */
#define MAX_FREE_BATCHES 16
#define MAX_KEPT_ROWS    4096
#define MAX_KEPT_BYTES   (1u << 20)
#define MAX_KEPT_ROW_BUF (64u << 10)

#define misuse(b, ...) aero_misuse__set(&(b)->bad, __VA_ARGS__)

/* Reset a builder for a new batch; capacities stay. */
static void reset(aero_batch *b, aero_session *s) {
    b->s = s;
    b->bad.code = AERO_OK;
    b->bad.msg[0] = '\0';
    b->n = 0;
    b->n_cmds = 0;
    aero_buf__reset(&b->bytes);
    b->kind = K_NONE;
    b->first = b->count = 0;
    b->w = NULL;
    aero_filter__clear(&b->filter);
    b->send_key = -1;
    b->fail_on_filtered = false;
    b->respond_all = false;
    b->parent_flags = AERO_BATCH_ALLOW_INLINE | AERO_BATCH_RESPOND_ALL_KEYS | AERO_BATCH_REPORT_ERRORS;
    b->max_nodes = 0;
    b->next_free = NULL;
}

AERO_API aero_batch *aero_session_batch(aero_session *s) {
    if (!s)
        return NULL;
    aero_client *c = s->client;
    aero_batch *b = NULL;
    aero_lock__acquire(&c->free_lock);
    if (c->free_batches) {
        b = c->free_batches;
        c->free_batches = b->next_free;
        c->n_free_batches--;
    }
    aero_lock__release(&c->free_lock);
    if (!b) {
        b = calloc(1, sizeof *b);
        if (!b)
            return NULL;
        aero_buf__init(&b->bytes, NULL, 0);
        aero_filter__init(&b->filter, NULL, 0);
        aero_batch__scratch_init(&b->scratch);
    }
    reset(b, s);
    return b;
}

static void destroy(aero_batch *b) {
    free(b->keys);
    free(b->cmd_of);
    free(b->cmds);
    aero_buf__free(&b->bytes);
    aero_filter__free(&b->filter);
    for (size_t i = 0; i < b->rows_cap; i++)
        aero_record_dispose(&b->rows[i]);
    free(b->rows);
    free(b->run_cmds);
    aero_batch__scratch_free(&b->scratch);
    free(b);
}

/* Keep b for the next batch of its client, unless it holds too much. */
static void recycle(aero_batch *b) {
    if (b->w)
        aero_write_abandon(b->w);
    b->w = NULL;
    aero_client *c = b->s->client;
    if (b->cap > MAX_KEPT_ROWS || b->rows_cap > MAX_KEPT_ROWS || b->bytes.cap > MAX_KEPT_BYTES ||
        b->scratch.req.cap > MAX_KEPT_BYTES || b->scratch.fr.buf.cap > MAX_KEPT_BYTES) {
        destroy(b);
        return;
    }
    for (size_t i = 0; i < b->rows_cap; i++) /* a row that held a huge record gives its buffers up */
        if (b->rows[i].store_.buf_cap > MAX_KEPT_ROW_BUF) {
            aero_record_dispose(&b->rows[i]);
            aero_record_init(&b->rows[i]);
        }
    aero_lock__acquire(&c->free_lock);
    if (c->n_free_batches < MAX_FREE_BATCHES) {
        b->next_free = c->free_batches;
        c->free_batches = b;
        c->n_free_batches++;
        b = NULL;
    }
    aero_lock__release(&c->free_lock);
    if (b)
        destroy(b);
}

AERO_API void aero_batch_abandon(aero_batch *b) {
    if (b)
        recycle(b);
}

void aero_batch__free_list(aero_client *c) {
    aero_batch *b = c->free_batches;
    while (b) {
        aero_batch *next = b->next_free;
        destroy(b);
        b = next;
    }
    c->free_batches = NULL;
    c->n_free_batches = 0;
}

static bool same_cmd(const aero_batch *b, const bcmd *x, const bcmd *y) {
    const aero_batch_cmd *p = &x->c, *q = &y->c;
    return p->info1 == q->info1 && p->info2 == q->info2 && p->info3 == q->info3 && p->gen == q->gen &&
           p->ttl == q->ttl && p->n_ops == q->n_ops && p->send_key == q->send_key && p->is_write == q->is_write &&
           p->write_once == q->write_once && x->has_filter == y->has_filter &&
           x->fail_on_filtered == y->fail_on_filtered && x->quiet_not_found == y->quiet_not_found &&
           x->missing_is_error == y->missing_is_error && p->ops_len == q->ops_len && p->filter_len == q->filter_len &&
           (p->ops_len == 0 || memcmp(b->bytes.data + x->ops_off, b->bytes.data + y->ops_off, p->ops_len) == 0) &&
           (p->filter_len == 0 ||
            memcmp(b->bytes.data + x->filter_off, b->bytes.data + y->filter_off, p->filter_len) == 0) &&
           x->has_udf == y->has_udf && p->udf_len == q->udf_len && p->n_udf_fields == q->n_udf_fields &&
           (p->udf_len == 0 || memcmp(b->bytes.data + x->udf_off, b->bytes.data + y->udf_off, p->udf_len) == 0);
}

/* Store command c for the open rows; the bytes it appended since `mark` go if it repeats the last one. */
static void intern(aero_batch *b, bcmd *c, size_t mark) {
    uint32_t id;
    if (b->n_cmds && same_cmd(b, &b->cmds[b->n_cmds - 1], c)) {
        id = (uint32_t)(b->n_cmds - 1);
        b->bytes.len = mark;
    } else {
        if (b->n_cmds == b->cap_cmds) {
            size_t cap = b->cap_cmds ? b->cap_cmds * 2 : 8;
            bcmd *nc = realloc(b->cmds, cap * sizeof *nc);
            if (!nc) {
                misuse(b, AERO_ERR_NO_MEMORY, "out of memory for batch commands");
                return;
            }
            b->cmds = nc;
            b->cap_cmds = cap;
        }
        id = (uint32_t)b->n_cmds;
        b->cmds[b->n_cmds++] = *c;
    }
    for (size_t i = b->first; i < b->first + b->count; i++)
        b->cmd_of[i] = id;
}

/* Append the open filter (if any) to bytes. */
static void put_filter(aero_batch *b, bcmd *c, const uint8_t *f, size_t len) {
    c->filter_off = b->bytes.len;
    c->has_filter = f != NULL;
    c->c.filter_len = f ? len : 0;
    if (f)
        aero_buf__put(&b->bytes, f, len);
}

static void close_write(aero_batch *b, size_t mark) {
    aero_write_row wr;
    aero_error e;
    const aero_policy *p = &b->s->write_batch;
    if (aero_write__row(b->w, p, &wr, &e) != AERO_OK) {
        misuse(b, e.code, "row %zu: %s", b->first, e.message);
        return;
    }
    bcmd c;
    memset(&c, 0, sizeof c);
    c.c.info1 = wr.h.info1;
    c.c.info2 = wr.h.info2;
    c.c.info3 = wr.h.info3;
    c.c.gen = (uint16_t)wr.h.generation;
    c.c.ttl = wr.h.record_ttl;
    c.c.n_ops = wr.h.n_ops;
    c.c.send_key = b->send_key < 0 ? wr.send_key : b->send_key > 0;
    c.c.is_write = wr.is_write;
    c.c.write_once = wr.write_once;
    c.fail_on_filtered = wr.fail_on_filtered || b->fail_on_filtered;
    c.quiet_not_found = wr.quiet_not_found;
    c.missing_is_error = !wr.quiet_not_found;
    c.ops_off = b->bytes.len;
    c.c.ops_len = wr.ops_len;
    aero_buf__put(&b->bytes, wr.ops, wr.ops_len);
    if (wr.filter)
        put_filter(b, &c, wr.filter, wr.filter_len);
    else
        put_filter(b, &c, b->filter.ptr, b->filter.len);
    intern(b, &c, mark);
}

/* Close the open row(s): their command is final. */
static void close_row(aero_batch *b) {
    size_t mark = b->kind == K_WRITE ? b->bytes.len : b->cur.ops_off;
    if (b->kind == K_WRITE) {
        close_write(b, mark);
        aero_write_abandon(b->w);
        b->w = NULL;
    } else if (b->kind != K_NONE) {
        put_filter(b, &b->cur, b->filter.ptr, b->filter.len);
        b->cur.fail_on_filtered = b->fail_on_filtered;
        intern(b, &b->cur, mark);
    }
    if (b->bytes.failed)
        misuse(b, AERO_ERR_NO_MEMORY, "out of memory for batch operations");
    b->kind = K_NONE;
    aero_filter__clear(&b->filter);
    b->send_key = -1;
    b->fail_on_filtered = false;
}

/* Close the current row and add n rows for keys. False if nothing can be added. */
static bool open_rows(aero_batch *b, const aero_key *keys, size_t n, enum row_kind kind) {
    close_row(b);
    if (!keys || n == 0) {
        misuse(b, AERO_ERR_PARAM, "row %zu: %s", b->n, keys ? "no keys" : "key is NULL");
        return false;
    }
    if (n > UINT32_MAX - b->n) {
        misuse(b, AERO_ERR_PARAM, "too many rows");
        return false;
    }
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 16;
        while (cap < b->n + n)
            cap *= 2;
        aero_key *nk = realloc(b->keys, cap * sizeof *nk);
        if (nk)
            b->keys = nk;
        uint32_t *nc = nk ? realloc(b->cmd_of, cap * sizeof *nc) : NULL;
        if (nc)
            b->cmd_of = nc;
        if (!nk || !nc) {
            misuse(b, AERO_ERR_NO_MEMORY, "out of memory for %zu batch rows", b->n + n);
            return false;
        }
        b->cap = cap;
    }
    memcpy(b->keys + b->n, keys, n * sizeof *keys);
    b->first = b->n;
    b->count = n;
    b->n += n;
    b->kind = kind;
    return true;
}

static aero_batch *read_rows(aero_batch *b, const aero_key *keys, size_t n, const char *const *bins, size_t n_bins,
                             bool header, enum row_kind kind) {
    if (!b || !open_rows(b, keys, n, kind))
        return b;
    for (size_t i = 0; i < n_bins; i++) {
        size_t len = bins[i] ? strnlen(bins[i], AERO_BIN_NAME_MAX + 1) : 0;
        if (len == 0 || len > AERO_BIN_NAME_MAX)
            misuse(b, AERO_ERR_PARAM, "row %zu: bin name %s", b->first, len ? "longer than 15 bytes" : "empty");
    }
    aero_read_spec spec = { bins, n_bins, header, NULL, 0, NULL, 0, 0, NULL, NULL };
    memset(&b->cur, 0, sizeof b->cur);
    b->cur.ops_off = b->bytes.len;
    uint8_t store[256];
    aero_buf ops;
    aero_buf__init(&ops, store, sizeof store);
    aero_batch__read_cmd(&b->cur.c, &b->s->read_batch, &spec, &ops);
    aero_buf__put(&b->bytes, ops.data, ops.len);
    aero_buf__free(&ops);
    return b;
}

AERO_API aero_batch *aero_batch_read(aero_batch *b, const aero_key *key) {
    return read_rows(b, key, 1, NULL, 0, false, K_READ);
}
AERO_API aero_batch *aero_batch_read_bins(aero_batch *b, const aero_key *key, const char *const *bins, size_t n) {
    if (b && !bins && n) {
        misuse(b, AERO_ERR_PARAM, "row %zu: bins array is NULL", b->n);
        n = 0;
    }
    return read_rows(b, key, 1, bins, n, false, K_READ);
}
AERO_API aero_batch *aero_batch_read_header(aero_batch *b, const aero_key *key) {
    return read_rows(b, key, 1, NULL, 0, true, K_READ);
}
AERO_API aero_batch *aero_batch_exists(aero_batch *b, const aero_key *key) {
    return read_rows(b, key, 1, NULL, 0, true, K_EXISTS);
}
AERO_API aero_batch *aero_batch_read_keys(aero_batch *b, const aero_key *keys, size_t n) {
    return read_rows(b, keys, n, NULL, 0, false, K_READ);
}
AERO_API aero_batch *aero_batch_exists_keys(aero_batch *b, const aero_key *keys, size_t n) {
    return read_rows(b, keys, n, NULL, 0, true, K_EXISTS);
}

typedef aero_write *(*verb_fn)(aero_session *, const aero_key *);

static aero_write *write_rows(aero_batch *b, const aero_key *keys, size_t n, verb_fn verb) {
    if (!b || !open_rows(b, keys, n, K_WRITE))
        return NULL;
    b->w = verb(b->s, &keys[0]); /* the first key stands for all: the builder's key is not sent */
    if (!b->w) {
        misuse(b, AERO_ERR_NO_MEMORY, "row %zu: out of memory for a write", b->first);
        b->kind = K_NONE;
        return NULL;
    }
    aero_write__mark_batch_row(b->w);
    return b->w;
}

AERO_API aero_write *aero_batch_upsert(aero_batch *b, const aero_key *k) {
    return write_rows(b, k, 1, aero_session_upsert);
}
AERO_API aero_write *aero_batch_insert(aero_batch *b, const aero_key *k) {
    return write_rows(b, k, 1, aero_session_insert);
}
AERO_API aero_write *aero_batch_update(aero_batch *b, const aero_key *k) {
    return write_rows(b, k, 1, aero_session_update);
}
AERO_API aero_write *aero_batch_replace(aero_batch *b, const aero_key *k) {
    return write_rows(b, k, 1, aero_session_replace);
}
AERO_API aero_write *aero_batch_replace_if_exists(aero_batch *b, const aero_key *k) {
    return write_rows(b, k, 1, aero_session_replace_if_exists);
}
AERO_API aero_write *aero_batch_delete(aero_batch *b, const aero_key *k) {
    return write_rows(b, k, 1, aero_session_delete);
}
AERO_API aero_write *aero_batch_touch(aero_batch *b, const aero_key *k) {
    return write_rows(b, k, 1, aero_session_touch);
}
AERO_API aero_write *aero_batch_upsert_keys(aero_batch *b, const aero_key *k, size_t n) {
    return write_rows(b, k, n, aero_session_upsert);
}
AERO_API aero_write *aero_batch_insert_keys(aero_batch *b, const aero_key *k, size_t n) {
    return write_rows(b, k, n, aero_session_insert);
}
AERO_API aero_write *aero_batch_update_keys(aero_batch *b, const aero_key *k, size_t n) {
    return write_rows(b, k, n, aero_session_update);
}
AERO_API aero_write *aero_batch_replace_keys(aero_batch *b, const aero_key *k, size_t n) {
    return write_rows(b, k, n, aero_session_replace);
}
AERO_API aero_write *aero_batch_delete_keys(aero_batch *b, const aero_key *k, size_t n) {
    return write_rows(b, k, n, aero_session_delete);
}
AERO_API aero_write *aero_batch_touch_keys(aero_batch *b, const aero_key *k, size_t n) {
    return write_rows(b, k, n, aero_session_touch);
}

static aero_batch *udf_rows(aero_batch *b, const aero_key *keys, size_t n, const char *module, const char *function,
                            const aero_value *args, size_t n_args) {
    if (!b || !open_rows(b, keys, n, K_UDF))
        return b;
    const aero_policy *p = &b->s->write_batch;
    memset(&b->cur, 0, sizeof b->cur);
    b->cur.c.info2 = AERO_INFO2_WRITE | (p->durable_delete ? AERO_INFO2_DURABLE_DELETE : 0);
    b->cur.c.send_key = p->send_key;
    b->cur.c.is_write = true;
    b->cur.c.write_once = true; /* a UDF may not be idempotent: never resent once sent */
    b->cur.missing_is_error = true;
    b->cur.ops_off = b->bytes.len;
    b->cur.udf_off = b->bytes.len;
    b->cur.has_udf = true;
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    char msg[160];
    if (aero_udf__fields(&b->bytes, &h, module, function, args, n_args, 0, msg, sizeof msg) != AERO_OK)
        misuse(b, AERO_ERR_PARAM, "row %zu: %s", b->first, msg);
    b->cur.c.udf_len = b->bytes.len - b->cur.udf_off;
    b->cur.c.n_udf_fields = h.n_fields;
    return b;
}

AERO_API aero_batch *aero_batch_udf(aero_batch *b, const aero_key *key, const char *module, const char *function,
                                    const aero_value *args, size_t n_args) {
    return udf_rows(b, key, 1, module, function, args, n_args);
}
AERO_API aero_batch *aero_batch_udf_keys(aero_batch *b, const aero_key *keys, size_t n, const char *module,
                                         const char *function, const aero_value *args, size_t n_args) {
    return udf_rows(b, keys, n, module, function, args, n_args);
}

static aero_batch *current(aero_batch *b, const char *what) {
    if (b && b->kind == K_NONE) {
        misuse(b, AERO_ERR_PARAM, "%s: no current row", what);
        return NULL;
    }
    return b;
}

AERO_API aero_batch *aero_batch_where(aero_batch *b, const char *ael) {
    char msg[160];
    if (current(b, "where") && aero_filter__set_ael(&b->filter, ael, msg, sizeof msg) != AERO_OK)
        misuse(b, AERO_ERR_PARAM, "row %zu: %s", b->first, msg);
    return b;
}
AERO_API aero_batch *aero_batch_where_expr(aero_batch *b, const aero_expr *e) {
    char msg[160];
    if (current(b, "where") && aero_filter__set_expr(&b->filter, e, msg, sizeof msg) != AERO_OK)
        misuse(b, AERO_ERR_PARAM, "row %zu: %s", b->first, msg);
    return b;
}
AERO_API aero_batch *aero_batch_fail_on_filtered_out(aero_batch *b) {
    if (current(b, "fail_on_filtered_out"))
        b->fail_on_filtered = true;
    return b;
}
AERO_API aero_batch *aero_batch_send_key(aero_batch *b, bool on) {
    if (current(b, "send_key"))
        b->send_key = on ? 1 : 0;
    return b;
}
AERO_API aero_batch *aero_batch_respond_all_keys(aero_batch *b) {
    if (b)
        b->respond_all = true;
    return b;
}
AERO_API aero_batch *aero_batch_allow_inline(aero_batch *b, bool memory, bool ssd) {
    if (b) {
        b->parent_flags &= (uint8_t) ~(AERO_BATCH_ALLOW_INLINE | AERO_BATCH_ALLOW_INLINE_SSD);
        b->parent_flags |= (memory ? AERO_BATCH_ALLOW_INLINE : 0) | (ssd ? AERO_BATCH_ALLOW_INLINE_SSD : 0);
    }
    return b;
}
AERO_API aero_batch *aero_batch_server_respond_all_keys(aero_batch *b, bool on) {
    if (b)
        b->parent_flags = on ? (b->parent_flags | AERO_BATCH_RESPOND_ALL_KEYS)
                             : (uint8_t)(b->parent_flags & ~AERO_BATCH_RESPOND_ALL_KEYS);
    return b;
}
AERO_API aero_batch *aero_batch_max_concurrent_nodes(aero_batch *b, unsigned n) {
    if (b)
        b->max_nodes = n;
    return b;
}

/* ---- running ---- */

/* Is this row part of the stream (aero/batch.h RESULTS)? */
static bool keep(const aero_batch *b, const aero_record *row) {
    const bcmd *c = &b->cmds[b->cmd_of[row->index]];
    if (row->result == AERO_ERR_KEY_NOT_FOUND)
        return b->respond_all || c->missing_is_error;
    if (row->result == AERO_ERR_FILTERED_OUT)
        return b->respond_all || c->fail_on_filtered;
    return true;
}

typedef struct each_ctx {
    const aero_batch *b;
    aero_batch_row_cb cb;
    void *ctx;
} each_ctx;

static void each_row(void *ctx, aero_record *row) {
    each_ctx *e = ctx;
    if (keep(e->b, row))
        e->cb(e->ctx, row);
}

/* Rows 0..n of the builder, ready for a run: records kept from earlier batches keep their buffers. */
static aero_record *rows_for(aero_batch *b) {
    if (b->n > b->rows_cap) {
        aero_record *nr = realloc(b->rows, b->n * sizeof *nr);
        if (!nr)
            return NULL;
        for (size_t i = b->rows_cap; i < b->n; i++)
            aero_record_init(&nr[i]);
        b->rows = nr;
        b->rows_cap = b->n;
    }
    for (size_t i = 0; i < b->n; i++)
        aero_record__clear(&b->rows[i]);
    return b->rows;
}

/* Close the last row, check the batch and run it into the builder's rows. */
static aero_status run(aero_batch *b, aero_batch_row_fn on_row, void *ctx, aero_error *err) {
    close_row(b);
    if (b->bad.code)
        return aero_err__set(err, b->bad.code, "batch: %s", b->bad.msg);
    if (b->n == 0)
        return aero_err__set(err, AERO_ERR_PARAM, "batch: no rows");
    aero_record *rows = rows_for(b);
    if (!rows)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for %zu rows", b->n);
    if (b->n_cmds > b->run_cmds_cap) {
        aero_batch_cmd *nc = realloc(b->run_cmds, b->n_cmds * sizeof *nc);
        if (!nc)
            return aero_err__set(err, AERO_ERR_NO_MEMORY, "batch: out of memory");
        b->run_cmds = nc;
        b->run_cmds_cap = b->n_cmds;
    }
    aero_batch_cmd *cmds = b->run_cmds;
    bool writes = false, reads = false;
    for (size_t i = 0; i < b->n_cmds; i++) {
        cmds[i] = b->cmds[i].c;
        cmds[i].ops = b->bytes.data + b->cmds[i].ops_off;
        cmds[i].filter = b->cmds[i].has_filter ? b->bytes.data + b->cmds[i].filter_off : NULL;
        cmds[i].udf = b->cmds[i].has_udf ? b->bytes.data + b->cmds[i].udf_off : NULL;
        writes = writes || cmds[i].is_write;
        reads = reads || !cmds[i].is_write;
    }
    aero_batch_job job = { .s = b->s,
                           .read_policy = reads || !writes ? &b->s->read_batch : &b->s->write_batch,
                           .write_policy = &b->s->write_batch,
                           .keys = b->keys,
                           .n = b->n,
                           .cmds = cmds,
                           .cmd_of = b->cmd_of,
                           .parent_flags = b->parent_flags,
                           .max_nodes = b->max_nodes,
                           .rows = rows,
                           .on_row = on_row,
                           .ctx = ctx,
                           .scratch = &b->scratch };
    return aero_batch__run(&job, err);
}

AERO_API aero_stream *aero_batch_execute(aero_batch *b, aero_error *err) {
    aero_err__reset(err);
    if (!b) {
        aero_err__set(err, AERO_ERR_PARAM, "batch builder is NULL (session NULL or out of memory)");
        return NULL;
    }
    if (run(b, NULL, NULL, err) != AERO_OK) {
        recycle(b);
        return NULL;
    }
    size_t kept = 0; /* the stream's rows first, in input order; the others stay behind them for reuse */
    for (size_t i = 0; i < b->n; i++)
        if (keep(b, &b->rows[i])) {
            if (kept != i) {
                aero_record t = b->rows[kept];
                b->rows[kept] = b->rows[i];
                b->rows[i] = t;
            }
            kept++;
        }
    struct aero_stream *st = &b->stream;
    memset(st, 0, sizeof *st);
    st->kind = AERO_STREAM_BATCH;
    st->rows = b->rows;
    st->n_rows = kept;
    st->batch = b;
    return st;
}

AERO_API aero_status aero_batch_execute_each(aero_batch *b, aero_batch_row_cb cb, void *ctx, aero_error *err) {
    aero_err__reset(err);
    if (!b)
        return aero_err__set(err, AERO_ERR_PARAM, "batch builder is NULL (session NULL or out of memory)");
    aero_status st;
    if (!cb)
        st = aero_err__set(err, AERO_ERR_PARAM, "batch: callback is NULL");
    else {
        each_ctx e = { b, cb, ctx };
        st = run(b, each_row, &e, err);
    }
    recycle(b);
    return st;
}
