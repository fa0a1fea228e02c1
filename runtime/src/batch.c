/*
 * batch.c - the batch-index engine (field 41, protocol.md 6).
 *
 * Rows are grouped by the node that serves their partition (the master for
 * write rows); each node gets one request listing its rows by their position
 * in the caller's array and answers one message per row (row index in
 * transaction_ttl), then a LAST message. Every node's request is sent
 * before any answer is read, so the nodes work at the same time (at most
 * max_nodes at once); the answers are read on the caller's thread as they
 * arrive (run_groups).
 *
 * Split retry: after a node fails, only its rows that got no answer are
 * grouped again - after a fresh partition map - and sent to their new
 * owner. Rows answered are never resent. A write row that was sent and got
 * no answer may have been applied: it is reported in doubt and resent only
 * while the write policy's retries allow and it is idempotent. Rows that
 * never left (their node could not be reached) are not in doubt and get one
 * more try on the new owner even when the policy allows no retries.
 */
#include "batch.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "cmd_key.h"
#include "command.h"
#include "frames.h"
#include "internal.h"
#include "proto/digest.h"
#include "proto/wire.h"
#include "record_buf.h"
#include "record_decode.h"

#define ROW_REPEAT 0x01
#define ROW_INFO   0x02
#define ROW_GEN    0x04
#define ROW_TTL    0x08

static inline const aero_batch_cmd *cmd_of(const aero_batch_job *job, uint32_t i) {
    return &job->cmds[job->cmd_of ? job->cmd_of[i] : 0];
}

/* May row `k` reuse everything of the previous full row `prev` (REPEAT)? */
static bool same_row(const aero_batch_cmd *a, const aero_key *ka, const aero_batch_cmd *b, const aero_key *kb) {
    if (b->send_key || strcmp(ka->ns, kb->ns) != 0 || strcmp(ka->set, kb->set) != 0)
        return false;
    if (a == b)
        return true;
    return a->info1 == b->info1 && a->info2 == b->info2 && a->info3 == b->info3 && a->gen == b->gen &&
           a->ttl == b->ttl && a->n_ops == b->n_ops && a->ops_len == b->ops_len && a->filter_len == b->filter_len &&
           (a->ops == b->ops || memcmp(a->ops, b->ops, a->ops_len) == 0) &&
           (a->filter == b->filter || memcmp(a->filter, b->filter, a->filter_len) == 0) && a->udf_len == b->udf_len &&
           (a->udf == b->udf || memcmp(a->udf, b->udf, a->udf_len) == 0);
}

static void encode_row(aero_buf *b, const aero_batch_cmd *c, const aero_key *k) {
    bool gen = c->info2 & AERO_INFO2_GENERATION;
    aero_buf__put_u8(b, ROW_INFO | ROW_TTL | (gen ? ROW_GEN : 0));
    aero_buf__put_u8(b, c->info1);
    aero_buf__put_u8(b, c->info2);
    aero_buf__put_u8(b, c->info3);
    if (gen)
        aero_buf__put_u16be(b, c->gen);
    aero_buf__put_u32be(b, c->ttl);
    aero_msg_header rowh; /* the row carries its own counts */
    memset(&rowh, 0, sizeof rowh);
    size_t counts_at = b->len;
    aero_buf__put_u16be(b, 0);
    aero_buf__put_u16be(b, c->n_ops);
    aero_msg__field(b, &rowh, AERO_FIELD_NAMESPACE, k->ns, strlen(k->ns));
    aero_msg__field(b, &rowh, AERO_FIELD_SETNAME, k->set, strlen(k->set));
    if (c->filter)
        aero_msg__field(b, &rowh, AERO_FIELD_FILTER, c->filter, c->filter_len);
    if (c->send_key)
        aero_cmd__user_key_field(b, &rowh, k);
    if (c->udf) {
        aero_buf__put(b, c->udf, c->udf_len);
        rowh.n_fields = (uint16_t)(rowh.n_fields + c->n_udf_fields);
    }
    aero_buf__put(b, c->ops, c->ops_len);
    if (!b->failed)
        aero_set_u16be(b->data + counts_at, rowh.n_fields);
}

void aero_batch__encode(aero_buf *b, const aero_batch_job *job, const uint32_t *idx, size_t n, uint32_t timeout_ms) {
    aero_buf__reset(b);
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    h.info1 = AERO_INFO1_BATCH;
    h.transaction_ttl = timeout_ms;
    size_t start = aero_msg__begin(b);
    size_t field_at = b->len; /* field 41: size is patched once the rows are written */
    aero_msg__field_header(b, &h, AERO_FIELD_BATCH_INDEX, 0);
    size_t data_at = b->len;
    aero_buf__put_u32be(b, (uint32_t)n);
    aero_buf__put_u8(b, job->parent_flags);
    const aero_batch_cmd *prev = NULL;
    const aero_key *prev_key = NULL;
    for (size_t r = 0; r < n; r++) {
        const aero_key *k = &job->keys[idx[r]];
        const aero_batch_cmd *c = cmd_of(job, idx[r]);
        aero_buf__put_u32be(b, idx[r]);
        aero_buf__put(b, k->digest, AERO_DIGEST_SIZE);
        if (prev && !prev->send_key && same_row(prev, prev_key, c, k)) {
            aero_buf__put_u8(b, ROW_REPEAT);
            continue;
        }
        prev = c;
        prev_key = k;
        encode_row(b, c, k);
    }
    if (!b->failed)
        aero_set_u32be(b->data + field_at, (uint32_t)(b->len - data_at + 1));
    aero_msg__end(b, start, &h);
}

/* ---- running ---- */

enum { ROW_PENDING = 0, ROW_DONE = 1 };

#define GROUPS_INLINE 8 /* nodes of a batch without a heap allocation */

typedef struct group {
    aero_node *node;
    size_t first, count; /* rows idx[first .. first+count) */
    aero_status st;      /* AERO_OK, a client error, or the LAST message's code */
    bool sent;           /* the request left (rows without answer may have run) */
    bool refused;        /* LAST carried a batch-level error */
    aero_conn *conn;     /* between sending and reading the answer */
    aero_error err;
} group;

typedef struct run {
    const aero_batch_job *job;
    uint32_t *idx;   /* rows grouped by node */
    uint16_t *grp;   /* group of each row in this attempt */
    uint8_t *state;  /* ROW_PENDING / ROW_DONE */
    aero_node **own; /* owner of each pending row in this attempt */
    group *g;        /* g_store, or the heap past GROUPS_INLINE nodes */
    size_t n_groups, cap_groups;
    uint64_t total_deadline;
    aero_batch_scratch *sc; /* routing arrays, request and answer buffers: the job's, or the run's own */
    group g_store[GROUPS_INLINE];
} run;

static void finish_row(run *r, uint32_t i) {
    r->state[i] = ROW_DONE;
    if (r->job->on_row)
        r->job->on_row(r->job->ctx, &r->job->rows[i]);
}

/* m is the scratch's frame reader's last message. */
static aero_status answer_row(run *r, size_t gi, const aero_msg_view *m, const char *peer, aero_error *err) {
    uint32_t i = m->h.transaction_ttl;
    const aero_frames *fr = &r->sc->fr;
    if (i >= r->job->n || r->grp[i] != gi || r->state[i] != ROW_PENDING)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "batch answer from %s for row %u that was not asked", peer, i);
    /* the frame buffer is reused: the row keeps its own copy of its message and decodes in place */
    aero_record *row = &r->job->rows[i];
    aero_buf b = aero_record__take_buf(row);
    aero_buf__reset(&b);
    uint8_t *dst = aero_buf__append(&b, fr->msg_len);
    aero_status st = dst ? AERO_OK : aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a batch row");
    aero_msg_view own;
    if (st == AERO_OK) {
        memcpy(dst, fr->msg, fr->msg_len);
        if (aero_msg__parse_single(b.data, fr->msg_len, &own) != AERO_OK)
            st = aero_err__set(err, AERO_ERR_PROTOCOL, "malformed batch row from %s", peer);
    }
    aero_record__give_buf(row, &b);
    if (st == AERO_OK)
        st = aero_record__decode(row, &own, err);
    if (st != AERO_OK)
        return st;
    row->key = r->job->keys[i];
    row->index = (int32_t)i;
    row->in_doubt = false;
    finish_row(r, i);
    return AERO_OK;
}

/* Send group gi's request on a connection of its node (g->conn); on failure g->st says why. */
static void send_group(run *r, size_t gi) {
    aero_batch_scratch *w = r->sc;
    group *g = &r->g[gi];
    const aero_policy *p = r->job->read_policy;
    aero_error *err = &g->err;
    uint32_t left = 0; /* the server's deadline for the batch: what is left of the total timeout */
    if (r->total_deadline != UINT64_MAX) {
        uint64_t now = aero_now_ns();
        left = now >= r->total_deadline ? 1 : (uint32_t)((r->total_deadline - now) / 1000000u) + 1;
    }
    aero_batch__encode(&w->req, r->job, r->idx + g->first, g->count, left);
    if (w->req.failed) {
        g->st = aero_err__set(err, AERO_ERR_NO_MEMORY, "batch request could not be built");
        return;
    }
    uint64_t sock = p->socket_timeout_ms ? aero_deadline_after_ms(p->socket_timeout_ms) : UINT64_MAX;
    uint64_t dl = sock < r->total_deadline ? sock : r->total_deadline;
    aero_status st = aero_node__conn_get(g->node, dl, &g->conn, err);
    if (st != AERO_OK) {
        g->st = st;
        return;
    }
    g->sent = true;
    st = aero_cmd__send(g->conn, w->req.data, w->req.len, p, r->job->s->client->config.compression_level, dl, err);
    if (st != AERO_OK) {
        aero_node__conn_close(g->node, g->conn);
        g->conn = NULL;
        g->st = st;
    }
}

/* Read and decode the answers of a group whose request went out. */
static void recv_group(run *r, size_t gi) {
    aero_batch_scratch *w = r->sc;
    group *g = &r->g[gi];
    if (!g->conn)
        return;
    const char *peer = aero_node__address(g->node);
    aero_error *err = &g->err;
    const aero_policy *p = r->job->read_policy;
    aero_conn *conn = g->conn;
    g->conn = NULL;
    w->fr.socket_timeout_ms = p->socket_timeout_ms;
    w->fr.total_deadline = r->total_deadline;
    aero_frames__reset(&w->fr, conn);
    aero_status st = AERO_OK;
    while (st == AERO_OK) {
        aero_msg_view m;
        st = aero_frames__next(&w->fr, &m, peer, err);
        if (st != AERO_OK)
            break;
        /* Community Edition answers a compressed batch request with one bare 25 (ENTERPRISE_ONLY): no
         * row index, no LAST bit, nothing after it. It refuses the whole group, as a LAST answer would. */
        bool refused_compressed =
            m.h.result_code == AERO_ERR_ENTERPRISE_ONLY && m.h.n_fields == 0 && m.h.n_ops == 0 && p->use_compression;
        if ((m.h.info3 & AERO_INFO3_LAST) || refused_compressed) {
            if (m.h.result_code == AERO_ERR_NOT_AUTHENTICATED) { /* the login is gone: log in anew (cluster/auth.h) */
                aero_node__auth_lost(g->node);
                aero_node__conn_close(g->node, conn);
            } else {
                aero_node__conn_put(g->node, conn);
            }
            if (m.h.result_code != AERO_OK) {
                g->refused = true;
                g->st = aero_err__set(err, m.h.result_code, "batch failed on %s: %s", peer,
                                      aero_status_str(m.h.result_code));
            }
            return;
        }
        st = answer_row(r, gi, &m, peer, err);
    }
    aero_node__conn_close(g->node, conn);
    g->st = st;
}

/* Fail a group whose answer did not start before the deadline. */
static void time_out(run *r, size_t gi) {
    group *g = &r->g[gi];
    aero_node__conn_close(g->node, g->conn);
    g->conn = NULL;
    g->st = aero_err__set(&g->err, AERO_ERR_TIMEOUT, "timeout waiting for the batch answer of %s",
                          aero_node__address(g->node));
}

/*
 * Every node's request goes out before any answer is read (at most
 * max_nodes, and MAX_IN_FLIGHT, in flight); the sockets are then waited on
 * together and each answer is read, whole, as soon as it starts to arrive,
 * on the caller's thread. The nodes work at the same time with no thread
 * and no allocation; measured against a thread per node in
 * tools/bench/README.md ("Threads or one thread").
 */
#define MAX_IN_FLIGHT 64

static void run_groups(run *r) {
    size_t window = r->job->max_nodes ? r->job->max_nodes : r->n_groups;
    if (window > MAX_IN_FLIGHT)
        window = MAX_IN_FLIGHT;
    size_t flying[MAX_IN_FLIGHT];
    struct pollfd pf[MAX_IN_FLIGHT];
    size_t sent = 0, n_fly = 0;
    unsigned socket_ms = r->job->read_policy->socket_timeout_ms;
    for (;;) {
        while (sent < r->n_groups && n_fly < window) {
            send_group(r, sent);
            if (r->g[sent].conn)
                flying[n_fly++] = sent;
            sent++;
        }
        if (n_fly == 0) /* every group sent (the window is never 0) and none in flight */
            return;
        if (n_fly == 1 && sent == r->n_groups) { /* the last answer: its reads wait with their own deadlines */
            recv_group(r, flying[0]);
            return;
        }
        uint64_t dl = socket_ms ? aero_deadline_after_ms(socket_ms) : UINT64_MAX;
        if (r->total_deadline < dl)
            dl = r->total_deadline;
        int wait_ms = -1;
        if (dl != UINT64_MAX) {
            uint64_t now = aero_now_ns();
            uint64_t left = dl > now ? dl - now : 0;
            wait_ms = left / 1000000u > INT32_MAX ? INT32_MAX : (int)((left + 999999u) / 1000000u);
        }
        bool buffered = false; /* TLS may hold a decrypted answer that poll() does not see */
        for (size_t k = 0; k < n_fly; k++) {
            pf[k].fd = r->g[flying[k]].conn->fd;
            pf[k].events = POLLIN;
            pf[k].revents = 0;
            buffered = buffered || aero_conn__has_buffered(r->g[flying[k]].conn);
        }
        int ready = poll(pf, (nfds_t)n_fly, buffered ? 0 : wait_ms);
        if (ready < 0 && errno == EINTR)
            continue;
        bool timed_out = ready <= 0 && !buffered; /* nothing came before the deadline (or poll failed) */
        size_t keep = 0;
        for (size_t k = 0; k < n_fly; k++) {
            if (timed_out)
                time_out(r, flying[k]);
            else if ((ready > 0 && pf[k].revents) || aero_conn__has_buffered(r->g[flying[k]].conn))
                recv_group(r, flying[k]); /* data, hang-up or error: the read says which */
            else
                flying[keep++] = flying[k];
        }
        n_fly = keep;
    }
}

/* Route the pending rows and group them by node. Returns false when out of memory. */
static bool route(run *r, unsigned attempt) {
    const aero_batch_job *job = r->job;
    aero_cluster *cl = job->s->client->cluster;
    r->n_groups = 0;
    bool ok = true, lost = false;
    aero_cluster__route_begin(cl); /* one hold of the map for every row; each node retained once */
    aero_route_cache rc = AERO_ROUTE_CACHE_INIT;
    for (size_t i = 0; i < job->n && ok; i++) {
        r->own[i] = NULL;
        if (r->state[i] != ROW_PENDING)
            continue;
        const aero_batch_cmd *c = cmd_of(job, (uint32_t)i);
        const aero_key *k = &job->keys[i];
        aero_node *node = aero_cluster__route_held(cl, &rc, k->ns, aero_partition__id(k->digest), c->is_write,
                                                   job->read_policy, attempt);
        if (!node) {
            lost = true; /* finished below: its callback must not run under the map's lock */
            continue;
        }
        size_t gi = 0;
        while (gi < r->n_groups && r->g[gi].node != node)
            gi++;
        if (gi == r->n_groups) {
            if (gi == r->cap_groups) {
                size_t cap = r->cap_groups * 2;
                group *ng = r->g == r->g_store ? malloc(cap * sizeof *ng) : realloc(r->g, cap * sizeof *ng);
                if (!ng) {
                    ok = false;
                    break;
                }
                if (r->g == r->g_store)
                    memcpy(ng, r->g_store, sizeof r->g_store);
                r->g = ng;
                r->cap_groups = cap;
            }
            memset(&r->g[gi], 0, sizeof r->g[gi]);
            aero_node__retain(node);
            r->g[gi].node = node;
            r->n_groups++;
        }
        r->own[i] = r->g[gi].node;
        r->grp[i] = (uint16_t)gi;
        r->g[gi].count++;
    }
    aero_cluster__route_end(cl);
    if (!ok)
        return false;
    for (size_t i = 0; lost && i < job->n; i++)
        if (r->state[i] == ROW_PENDING && !r->own[i]) {
            job->rows[i].result = AERO_ERR_INVALID_NODE;
            finish_row(r, (uint32_t)i);
        }
    size_t at = 0; /* counting sort of the rows into idx, keeping input order per node */
    for (size_t gi = 0; gi < r->n_groups; gi++) {
        r->g[gi].first = at;
        at += r->g[gi].count;
        r->g[gi].count = 0;
    }
    for (size_t i = 0; i < job->n; i++)
        if (r->own[i]) {
            group *g = &r->g[r->grp[i]];
            r->idx[g->first + g->count++] = (uint32_t)i;
        }
    return true;
}

/*
 * After an attempt: decide, for each unanswered row of a failed node, whether
 * it is final (its error, in doubt for a write that was sent) or retried.
 * Returns true if some row is to be retried; *fatal receives a batch-level
 * refusal.
 */
static bool settle(run *r, unsigned attempt, aero_status *fatal, aero_error *err) {
    const aero_batch_job *job = r->job;
    bool again = false;
    for (size_t gi = 0; gi < r->n_groups; gi++) {
        group *g = &r->g[gi];
        if (g->refused && *fatal == AERO_OK) {
            *fatal = g->st;
            if (err)
                *err = g->err;
        }
        for (size_t k = 0; k < g->count; k++) {
            uint32_t i = r->idx[g->first + k];
            if (r->state[i] != ROW_PENDING)
                continue;
            const aero_batch_cmd *c = cmd_of(job, i);
            aero_record *row = &job->rows[i];
            aero_status st = g->st != AERO_OK ? g->st : AERO_ERR_NO_RESPONSE;
            bool doubt = c->is_write && g->sent;
            const aero_policy *p = c->is_write ? job->write_policy : job->read_policy;
            /* a row that never left may always go once more to the new owner; a sent write only if idempotent */
            unsigned allowed = doubt ? p->max_retries : (p->max_retries > 1 ? p->max_retries : 1);
            bool retry = !g->refused && attempt < allowed && !(doubt && c->write_once);
            row->in_doubt = row->in_doubt || doubt;
            if (retry) {
                row->result = st; /* kept if no retry answers it */
                again = true;
                continue;
            }
            row->result = st;
            row->index = (int32_t)i;
            row->key = job->keys[i];
            finish_row(r, i);
        }
        aero_node__release(g->node);
        g->node = NULL;
    }
    return again;
}

static void run_free(run *r) {
    if (r->g != r->g_store)
        free(r->g);
}

/* Per-row state of n rows in one block, the widest arrays first so each stays aligned. */
static size_t rows_mem_size(size_t n) {
    return n * (sizeof(aero_node *) + sizeof(uint32_t) + sizeof(uint16_t) + sizeof(uint8_t));
}

static bool run_alloc(run *r, size_t n) {
    aero_batch_scratch *sc = r->sc;
    if (sc->cap_rows < n) {
        size_t size = rows_mem_size(n);
        void *m = realloc(sc->rows_mem, size ? size : 1);
        if (!m)
            return false;
        sc->rows_mem = m;
        sc->cap_rows = n;
    }
    uint8_t *p = sc->rows_mem;
    r->own = (aero_node **)(void *)p;
    p += n * sizeof(aero_node *);
    r->idx = (uint32_t *)(void *)p;
    p += n * sizeof(uint32_t);
    r->grp = (uint16_t *)(void *)p;
    p += n * sizeof(uint16_t);
    r->state = p;
    memset(r->state, ROW_PENDING, n);
    return true;
}

void aero_batch__scratch_init(aero_batch_scratch *sc) {
    sc->rows_mem = NULL;
    sc->cap_rows = 0;
    aero_buf__init(&sc->req, NULL, 0);
    aero_frames__init(&sc->fr);
}

void aero_batch__scratch_free(aero_batch_scratch *sc) {
    free(sc->rows_mem);
    aero_buf__free(&sc->req);
    aero_frames__free(&sc->fr);
    aero_batch__scratch_init(sc);
}

aero_status aero_batch__run(const aero_batch_job *job, aero_error *err) {
    run r;
    memset(&r, 0, sizeof r);
    r.job = job;
    r.g = r.g_store;
    r.cap_groups = GROUPS_INLINE;
    aero_batch_scratch local;
    if (!(r.sc = job->scratch)) {
        aero_batch__scratch_init(&local);
        r.sc = &local;
    }
    if (!run_alloc(&r, job->n)) {
        if (r.sc == &local)
            aero_batch__scratch_free(&local);
        run_free(&r);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a batch of %zu rows", job->n);
    }
    for (size_t i = 0; i < job->n; i++) {
        job->rows[i].index = (int32_t)i;
        job->rows[i].key = job->keys[i];
        if (aero_cmd__check_key(&job->keys[i], NULL) != AERO_OK) {
            job->rows[i].result = AERO_ERR_PARAM;
            finish_row(&r, (uint32_t)i);
        }
    }
    const aero_policy *p = job->read_policy;
    r.total_deadline = p->total_timeout_ms ? aero_deadline_after_ms(p->total_timeout_ms) : UINT64_MAX;
    unsigned max_retries = job->read_policy->max_retries > job->write_policy->max_retries
                               ? job->read_policy->max_retries
                               : job->write_policy->max_retries;
    if (max_retries < 1)
        max_retries = 1; /* rows whose node could not be reached (see settle) */
    aero_cluster *cl = job->s->client->cluster;
    aero_status fatal = AERO_OK;
    for (unsigned attempt = 0; attempt <= max_retries; attempt++) {
        if (!route(&r, attempt)) {
            fatal = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory routing a batch");
            break;
        }
        if (!r.n_groups)
            break;
        run_groups(&r);
        if (!settle(&r, attempt, &fatal, err))
            break;
        aero_cluster__count_retry(cl);
        uint64_t wait = aero_deadline_after_ms(2000);
        aero_cluster__wait_for_tend(cl, wait < r.total_deadline ? wait : r.total_deadline);
    }
    for (size_t gi = 0; gi < r.n_groups; gi++)
        if (r.g[gi].node)
            aero_node__release(r.g[gi].node);
    for (size_t i = 0; i < job->n; i++) /* out of memory mid-way: nothing may stay unreported */
        if (r.state[i] == ROW_PENDING) {
            if (job->rows[i].result == AERO_OK)
                job->rows[i].result = AERO_ERR_NO_RESPONSE;
            finish_row(&r, (uint32_t)i);
        }
    if (r.sc == &local)
        aero_batch__scratch_free(&local);
    run_free(&r);
    return fatal;
}

/* ---- batch reads with one spec ---- */

void aero_batch__read_cmd(aero_batch_cmd *cmd, const aero_policy *p, const aero_read_spec *spec, aero_buf *ops) {
    memset(cmd, 0, sizeof *cmd);
    cmd->info1 = AERO_INFO1_READ | aero_cmd__read_info1(p);
    cmd->info3 = aero_cmd__read_info3(p);
    if (spec->header_only)
        cmd->info1 |= AERO_INFO1_NOBINDATA;
    else if (!spec->n_bins && !spec->n_ops)
        cmd->info1 |= AERO_INFO1_GET_ALL;
    cmd->ttl = (uint32_t)p->read_touch_ttl_percent;
    aero_msg_header oph;
    memset(&oph, 0, sizeof oph);
    for (size_t i = 0; !spec->header_only && i < spec->n_bins; i++)
        aero_msg__op(ops, &oph, AERO_MSG_OP_READ, AERO_PT_NULL, spec->bins[i], strlen(spec->bins[i]), NULL, 0);
    if (!spec->header_only && spec->n_ops) {
        aero_buf__put(ops, spec->ops, spec->ops_len);
        oph.n_ops = (uint16_t)(oph.n_ops + spec->n_ops);
    }
    if (!spec->header_only && spec->n_ops)
        cmd->info2 = AERO_INFO2_RESPOND_ALL_OPS; /* one result per op, in order */
    cmd->n_ops = oph.n_ops;
    cmd->ops = ops->data;
    cmd->ops_len = ops->len;
    cmd->filter = spec->filter;
    cmd->filter_len = spec->filter_len;
}

aero_status aero_batch__read(aero_session *s, const aero_policy *p, const aero_key *keys, size_t n,
                             const aero_read_spec *spec, aero_record *rows, aero_error *err) {
    uint8_t store[512];
    aero_buf ops;
    aero_buf__init(&ops, store, sizeof store);
    aero_batch_cmd cmd;
    aero_batch__read_cmd(&cmd, p, spec, &ops);
    if (ops.failed) {
        aero_buf__free(&ops);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "batch read operations could not be encoded");
    }
    aero_batch_job job = { .s = s,
                           .read_policy = p,
                           .write_policy = p,
                           .keys = keys,
                           .n = n,
                           .cmds = &cmd,
                           .parent_flags =
                               AERO_BATCH_ALLOW_INLINE | AERO_BATCH_RESPOND_ALL_KEYS | AERO_BATCH_REPORT_ERRORS,
                           .rows = rows };
    aero_status st = aero_batch__run(&job, err);
    aero_buf__free(&ops);
    return st;
}
