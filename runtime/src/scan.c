/*
 * scan.c - dataset queries as partition queries (protocol.md 7).
 *
 * Every requested partition has a resume point (the digest of the last record
 * delivered from it) and a done flag. The stream visits one node at a time,
 * asking it for all of its unfinished partitions (PID_ARRAY for fresh ones,
 * DIGEST_ARRAY for resumed ones), and pulls records frame by frame as the
 * caller iterates, so memory stays flat. A node that fails mid-stream, a
 * partition reported unavailable, or a chunk that hit its quota leaves its
 * partitions unfinished; the next visit resumes after the last digest, so no
 * record is skipped or repeated.
 */
#include <aero/query.h>

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "client.h"
#include "command.h"
#include "cluster/indexes.h"
#include "frames.h"
#include "internal.h"
#include "proto/digest.h"
#include "proto/wire.h"
#include "query_internal.h"
#include "record_decode.h"

typedef struct part {
    uint8_t digest[AERO_DIGEST_SIZE];
    bool has_digest;
    bool done;
    bool in_exchange;
    bool unavailable;
    int64_t bval; /* index queries: the index value of the last record delivered */
} part;

struct aero_scan {
    aero_session *s;
    const aero_policy *p;
    char ns[AERO_NAMESPACE_MAX + 2];
    char set[AERO_SET_MAX + 2];
    char (*bins)[AERO_BIN_NAME_MAX + 1];
    size_t n_bins;
    bool no_bins;
    aero_buf filter;
    aero_index_cond icond; /* secondary-index condition, icond.set false for a scan */
    bool explicit_index_q; /* the index condition came from aero_query_filter() */
    aero_buf fallback;     /* automatic index choice: the whole where(), for a scan if the index is gone */
    aero_buf ops;          /* select_from() projection ops */
    uint16_t n_ops;
    uint32_t rps;
    uint64_t limit; /* max_records over the whole query, 0 = none */
    uint32_t chunk; /* records per chunk, 0 = no chunking */
    uint32_t pbegin, pend;
    part parts[AERO_PARTITIONS];
    uint64_t delivered;
    uint64_t chunk_delivered;
    bool chunk_started;
    /* the exchange in progress */
    aero_node *node;
    aero_conn *conn;
    uint64_t quota; /* max records asked of this node, 0 = none */
    uint64_t node_count;
    aero_frames frames;
    unsigned failures;
    bool finished;
    aero_buf req;
    aero_record row;
};

/*
 * Servers before 8.1.2 take a dataset query's ops as the names of bins to
 * read (basic_query_get_bin_names): an expression read op is not run, its
 * result bin exists on no record, and the query streams no rows and no error.
 * A query with select_from() is refused on such nodes instead.
 */
#define QUERY_OPS_BUILD AERO_BUILD(8, 1, 2, 0)
static const char QUERY_OPS_WHAT[] = "select_from() or aero_query_op() on a dataset query";

static uint64_t task_id(void) {
    uint64_t id = 0;
    while (id == 0) {
        if (getrandom(&id, sizeof id, 0) != (ssize_t)sizeof id)
            id = (uint64_t)time(NULL) ^ (uint64_t)aero_now_ns();
    }
    return id;
}

aero_stream *aero_scan__start(struct aero_query *q, aero_error *err) {
    if (q->oph.n_ops &&
        aero_cluster__require_build(q->s->client->cluster, QUERY_OPS_BUILD, QUERY_OPS_WHAT, err) != AERO_OK)
        return NULL;
    struct aero_scan *sc = calloc(1, sizeof *sc);
    aero_stream *st = calloc(1, sizeof *st);
    if (!sc || !st) {
        free(sc);
        free(st);
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory starting a query");
        return NULL;
    }
    sc->s = q->s;
    sc->p = &q->s->read_query;
    memcpy(sc->ns, q->ds.ns, sizeof sc->ns);
    memcpy(sc->set, q->ds.set, sizeof sc->set);
    aero_buf__init(&sc->filter, NULL, 0);
    aero_buf__init(&sc->ops, NULL, 0);
    aero_frames__init(&sc->frames);
    sc->frames.socket_timeout_ms = sc->p->socket_timeout_ms ? sc->p->socket_timeout_ms : sc->p->total_timeout_ms;
    aero_buf__init(&sc->req, NULL, 0);
    if (q->n_bins) {
        sc->bins = malloc(q->n_bins * sizeof *sc->bins);
        if (!sc->bins)
            goto oom;
        memcpy(sc->bins, q->bins, q->n_bins * sizeof *sc->bins);
        sc->n_bins = q->n_bins;
    }
    if (q->filter.ptr) {
        aero_buf__put(&sc->filter, q->filter.ptr, q->filter.len);
        if (sc->filter.failed)
            goto oom;
    }
    if (q->icond.set && !aero_index__cond_copy(&sc->icond, &q->icond))
        goto oom;
    aero_buf__init(&sc->fallback, NULL, 0);
    sc->explicit_index_q = q->explicit_index;
    if (q->icond.set && !q->explicit_index) {
        aero_buf__put(&sc->fallback, q->full_filter.data, q->full_filter.len);
        if (sc->fallback.failed)
            goto oom;
    }
    if (q->oph.n_ops) {
        aero_buf__put(&sc->ops, q->ops.data, q->ops.len);
        if (sc->ops.failed)
            goto oom;
        sc->n_ops = q->oph.n_ops;
    }
    sc->no_bins = q->no_bins;
    sc->rps = q->rps;
    sc->limit = q->max_records;
    sc->chunk = q->chunk;
    sc->pbegin = q->pbegin;
    sc->pend = q->pend;
    aero_record_init(&sc->row);
    st->kind = AERO_STREAM_SCAN;
    st->scan = sc;
    return st;
oom:
    aero_scan__free(sc);
    free(st);
    aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory starting a query");
    return NULL;
}

static void end_exchange(struct aero_scan *sc, bool healthy) {
    if (sc->conn) {
        if (healthy)
            aero_node__conn_put(sc->node, sc->conn);
        else
            aero_node__conn_close(sc->node, sc->conn);
        sc->conn = NULL;
    }
    if (sc->node) {
        aero_node__release(sc->node);
        sc->node = NULL;
    }
    for (uint32_t i = sc->pbegin; i < sc->pend; i++)
        sc->parts[i].in_exchange = false;
    aero_frames__reset(&sc->frames, NULL);
}

void aero_scan__free(struct aero_scan *sc) {
    if (!sc)
        return;
    end_exchange(sc, false);
    free(sc->bins);
    aero_buf__free(&sc->filter);
    aero_index__cond_free(&sc->icond);
    aero_buf__free(&sc->fallback);
    aero_buf__free(&sc->ops);
    aero_frames__free(&sc->frames);
    aero_buf__free(&sc->req);
    aero_record_dispose(&sc->row);
    free(sc);
}

bool aero_scan__reads_bin(const struct aero_scan *sc, const char *name) {
    if (sc->no_bins || sc->n_ops)
        return false;
    if (!sc->n_bins)
        return true;
    for (size_t i = 0; i < sc->n_bins; i++)
        if (strcmp(sc->bins[i], name) == 0)
            return true;
    return false;
}

bool aero_scan__has_more(const struct aero_scan *sc) {
    if (!sc->chunk_started)
        return true;
    if (sc->limit && sc->delivered >= sc->limit)
        return false;
    for (uint32_t i = sc->pbegin; i < sc->pend; i++)
        if (!sc->parts[i].done)
            return true;
    return false;
}

static uint64_t deadline(const struct aero_scan *sc) {
    return aero_deadline_after_ms(sc->p->socket_timeout_ms ? sc->p->socket_timeout_ms : sc->p->total_timeout_ms);
}

/* Pick the node of the first unfinished partition and send it every unfinished partition it owns. */
static aero_status begin_exchange(struct aero_scan *sc, aero_error *err) {
    aero_cluster *cl = sc->s->client->cluster;
    uint32_t first = sc->pend;
    for (uint32_t i = sc->pbegin; i < sc->pend; i++)
        if (!sc->parts[i].done) {
            first = i;
            break;
        }
    if (first == sc->pend) {
        sc->finished = true;
        return AERO_OK;
    }
    /* By the replica setting alone, no SC read rule: any full copy of a partition answers a scan. */
    aero_policy route = *sc->p;
    route.read_mode_sc = AERO_READ_MODE_SC_ALLOW_REPLICA;
    aero_node *node = aero_cluster__node_for_policy(cl, sc->ns, (uint16_t)first, false, &route, sc->failures);
    if (!node)
        return aero_err__set(err, AERO_ERR_INVALID_NODE, "no node serves partition %u of namespace '%s'", first,
                             sc->ns);
    if (sc->n_ops && aero_node__build(node) && aero_node__build(node) < QUERY_OPS_BUILD) { /* joined since start */
        aero_status st = aero_node__too_old(node, QUERY_OPS_BUILD, QUERY_OPS_WHAT, err);
        aero_node__release(node);
        return st;
    }
    size_t n_pids = 0, n_digests = 0;
    aero_cluster__route_begin(cl); /* one hold of the map for every partition (nothing retained) */
    aero_route_cache rc = AERO_ROUTE_CACHE_INIT;
    for (uint32_t i = first; i < sc->pend; i++) {
        part *pt = &sc->parts[i];
        if (pt->done)
            continue;
        aero_node *owner =
            i == first ? node : aero_cluster__route_held(cl, &rc, sc->ns, (uint16_t)i, false, &route, sc->failures);
        if (owner == node) {
            pt->in_exchange = true;
            pt->unavailable = false;
            if (pt->has_digest)
                n_digests++;
            else
                n_pids++;
        }
    }
    aero_cluster__route_end(cl);

    uint64_t quota = 0;
    if (sc->limit)
        quota = sc->limit - sc->delivered;
    if (sc->chunk && (quota == 0 || sc->chunk - sc->chunk_delivered < quota))
        quota = sc->chunk - sc->chunk_delivered;
    sc->quota = quota;
    sc->node_count = 0;

    aero_msg_header h;
    memset(&h, 0, sizeof h);
    /* No read-mode bits: the server reads neither READ_MODE_AP_ALL nor the SC bits on a scan or query. */
    h.info1 = AERO_INFO1_READ | (sc->no_bins ? AERO_INFO1_NOBINDATA : 0);
    h.info3 = AERO_INFO3_PARTITION_DONE;
    h.record_ttl = 0xFFFFFFFFu;
    h.transaction_ttl = sc->p->total_timeout_ms;
    aero_buf *b = &sc->req;
    aero_buf__reset(b);
    size_t start = aero_msg__begin(b);
    aero_msg__field(b, &h, AERO_FIELD_NAMESPACE, sc->ns, strlen(sc->ns));
    if (sc->set[0])
        aero_msg__field(b, &h, AERO_FIELD_SETNAME, sc->set, strlen(sc->set));
    if (sc->rps)
        aero_msg__field_u32(b, &h, AERO_FIELD_RPS, sc->rps);
    aero_msg__field_u32(b, &h, AERO_FIELD_SOCKET_TIMEOUT, sc->p->socket_timeout_ms);
    aero_msg__field_u64(b, &h, AERO_FIELD_TASK_ID, task_id());
    if (sc->icond.set)
        aero_index__cond_encode(b, &h, &sc->icond);
    if (sc->filter.len)
        aero_msg__field(b, &h, AERO_FIELD_FILTER, sc->filter.data, sc->filter.len);
    if (n_pids) {
        aero_msg__field_header(b, &h, AERO_FIELD_PID_ARRAY, n_pids * 2);
        for (uint32_t i = first; i < sc->pend; i++)
            if (sc->parts[i].in_exchange && !sc->parts[i].has_digest) {
                aero_buf__put_u8(b, (uint8_t)(i & 0xff)); /* little-endian u16 */
                aero_buf__put_u8(b, (uint8_t)(i >> 8));
            }
    }
    if (n_digests) {
        aero_msg__field_header(b, &h, AERO_FIELD_DIGEST_ARRAY, n_digests * AERO_DIGEST_SIZE);
        for (uint32_t i = first; i < sc->pend; i++)
            if (sc->parts[i].in_exchange && sc->parts[i].has_digest)
                aero_buf__put(b, sc->parts[i].digest, AERO_DIGEST_SIZE);
        if (sc->icond.set) { /* the index value each resumed partition stopped at, LE i64 */
            aero_msg__field_header(b, &h, AERO_FIELD_BVAL_ARRAY, n_digests * 8);
            for (uint32_t i = first; i < sc->pend; i++)
                if (sc->parts[i].in_exchange && sc->parts[i].has_digest)
                    for (int k = 0; k < 8; k++)
                        aero_buf__put_u8(b, (uint8_t)((uint64_t)sc->parts[i].bval >> (8 * k)));
        }
    }
    if (quota)
        aero_msg__field_u64(b, &h, AERO_FIELD_MAX_RECORDS, quota);
    for (size_t i = 0; !sc->no_bins && i < sc->n_bins; i++)
        aero_msg__op(b, &h, AERO_MSG_OP_READ, AERO_PT_NULL, sc->bins[i], strlen(sc->bins[i]), NULL, 0);
    if (sc->n_ops) {
        h.info2 |= AERO_INFO2_RESPOND_ALL_OPS;
        aero_buf__put(b, sc->ops.data, sc->ops.len);
        h.n_ops = (uint16_t)(h.n_ops + sc->n_ops);
    }
    aero_status st = aero_msg__end(b, start, &h);
    if (st != AERO_OK) {
        aero_node__release(node);
        return aero_err__set(err, st, "query request could not be built");
    }
    sc->node = node;
    st = aero_node__conn_get(node, deadline(sc), &sc->conn, err);
    if (st == AERO_OK)
        st = aero_cmd__send(sc->conn, b->data, b->len, sc->p, sc->s->client->config.compression_level, deadline(sc),
                            err);
    aero_frames__reset(&sc->frames, sc->conn);
    return st;
}

static void set_row_key(struct aero_scan *sc, const aero_msg_view *m, int *pid, int64_t *bval) {
    aero_key *k = &sc->row.key;
    memset(k, 0, sizeof *k);
    memcpy(k->ns, sc->ns, sizeof k->ns);
    memcpy(k->set, sc->set, sizeof k->set);
    *pid = -1;
    aero_msg_iter it;
    aero_field_view f;
    aero_msg__fields(m, &it);
    while (aero_msg__next_field(&it, &f)) {
        if (f.type == AERO_FIELD_BVAL_ARRAY && f.len == 8) {
            uint64_t v = 0;
            for (int i = 7; i >= 0; i--)
                v = v << 8 | f.data[i];
            *bval = (int64_t)v;
        } else if (f.type == AERO_FIELD_DIGEST && f.len == AERO_DIGEST_SIZE) {
            memcpy(k->digest, f.data, AERO_DIGEST_SIZE);
            *pid = aero_partition__id(f.data);
        } else if (f.type == AERO_FIELD_SETNAME && f.len <= AERO_SET_MAX) {
            memcpy(k->set, f.data, f.len);
            k->set[f.len] = '\0';
        } else if (f.type == AERO_FIELD_KEY && f.len >= 1) {
            uint8_t t = f.data[0];
            if (t == AERO_PT_INTEGER && f.len == 9) {
                k->type = AERO_KEY_INT;
                k->i = (int64_t)aero_get_u64be(f.data + 1);
            } else if (t == AERO_PT_STRING || t == AERO_PT_BLOB) {
                k->type = t == AERO_PT_STRING ? AERO_KEY_STR : AERO_KEY_BLOB;
                k->ptr = f.data + 1;
                k->len = f.len - 1;
            }
        }
    }
}

/* The node ended its stream normally: settle its partitions; returns how many were unavailable. */
static unsigned settle(struct aero_scan *sc) {
    bool quota_hit = sc->quota && sc->node_count >= sc->quota;
    unsigned unavailable = 0;
    for (uint32_t i = sc->pbegin; i < sc->pend; i++) {
        part *pt = &sc->parts[i];
        if (pt->in_exchange && pt->unavailable)
            unavailable++;
        else if (pt->in_exchange && !quota_hit)
            pt->done = true;
    }
    return unavailable;
}

/*
 * Before retrying after a node failed or a partition was unavailable: let
 * the tend thread publish a fresh partition map, so the retry goes to the
 * partitions' new owners instead of the node that just went away.
 */
static void await_new_map(struct aero_scan *sc) {
    uint32_t ms = sc->p->socket_timeout_ms ? sc->p->socket_timeout_ms : 2000;
    aero_cluster__wait_for_tend(sc->s->client->cluster, aero_deadline_after_ms(ms < 2000 ? ms : 2000));
}

/*
 * The index the client chose from the where() is not (or no longer, or not
 * yet) readable on a node: when no row was delivered yet, run the query
 * again as a scan with the whole where(), so it yields the same rows; the
 * index list is refreshed before the next query. False when that is not
 * possible (an explicit filter, or rows already delivered).
 */
static bool index_gone(struct aero_scan *sc) {
    if (!sc->icond.set || sc->explicit_index_q || sc->delivered)
        return false;
    aero_index__cond_free(&sc->icond);
    aero_buf__reset(&sc->filter);
    aero_buf__put(&sc->filter, sc->fallback.data, sc->fallback.len);
    for (uint32_t i = sc->pbegin; i < sc->pend; i++)
        memset(&sc->parts[i], 0, sizeof sc->parts[i]);
    aero_cluster__indexes_changed(sc->s->client->cluster);
    return !sc->filter.failed;
}

/* Give up: the error is already in err. */
static const aero_record *fail(struct aero_scan *sc) {
    end_exchange(sc, false);
    sc->finished = true;
    return NULL;
}

const aero_record *aero_scan__next(struct aero_scan *sc, aero_error *err) {
    aero_err__reset(err);
    if (sc->chunk && sc->chunk_delivered >= sc->chunk && !sc->conn) {
        /* the previous call ended a chunk: iterating again starts the next one */
        sc->chunk_delivered = 0;
    }
    sc->chunk_started = true;
    while (!sc->finished) {
        if (!sc->conn) {
            if (sc->limit && sc->delivered >= sc->limit) {
                sc->finished = true;
                break;
            }
            aero_status st = begin_exchange(sc, err);
            if (sc->finished)
                break;
            if (st != AERO_OK) {
                bool retry = st == AERO_ERR_TIMEOUT || st == AERO_ERR_CONNECTION ||
                             st == AERO_ERR_NO_MORE_CONNECTIONS || st == AERO_ERR_INVALID_NODE;
                end_exchange(sc, false);
                if (!retry || ++sc->failures > sc->p->max_retries)
                    return fail(sc);
                aero_cluster__count_retry(sc->s->client->cluster);
                aero_err__reset(err);
                await_new_map(sc);
                continue;
            }
        }
        aero_msg_view m;
        aero_status st = aero_frames__next(&sc->frames, &m, aero_node__address(sc->node), err);
        if (st != AERO_OK) {
            bool retry = st == AERO_ERR_TIMEOUT || st == AERO_ERR_CONNECTION;
            end_exchange(sc, false);
            if (!retry || ++sc->failures > sc->p->max_retries)
                return fail(sc);
            aero_cluster__count_retry(sc->s->client->cluster);
            aero_err__reset(err);
            await_new_map(sc);
            continue;
        }
        if (m.h.info3 & AERO_INFO3_LAST) {
            int rc = m.h.result_code;
            if ((rc == AERO_ERR_INDEX_NOT_FOUND || rc == AERO_ERR_INDEX_NOT_READABLE) && index_gone(sc)) {
                end_exchange(sc, true);
                continue; /* the automatically chosen index went away: the same rows from a scan */
            }
            if (rc != AERO_OK && rc != AERO_ERR_KEY_NOT_FOUND) {
                bool retry = rc == AERO_ERR_PARTITION_UNAVAILABLE || rc == AERO_ERR_TIMEOUT;
                char where[64];
                snprintf(where, sizeof where, "%s", aero_node__address(sc->node));
                if (rc == AERO_ERR_NOT_AUTHENTICATED) /* the login is gone: log in anew (cluster/auth.h) */
                    aero_node__auth_lost(sc->node);
                end_exchange(sc, rc != AERO_ERR_NOT_AUTHENTICATED);
                if (!retry || ++sc->failures > sc->p->max_retries) {
                    aero_err__set(err, rc, "query failed on %s: %s", where, aero_status_str(rc));
                    return fail(sc);
                }
                await_new_map(sc);
                continue;
            }
            unsigned unavailable = settle(sc);
            end_exchange(sc, true);
            if (unavailable && ++sc->failures > sc->p->max_retries) {
                aero_err__set(err, AERO_ERR_PARTITION_UNAVAILABLE, "query: %u partitions stayed unavailable",
                              unavailable);
                return fail(sc);
            }
            if (unavailable)
                await_new_map(sc);
            if (sc->chunk && sc->chunk_delivered >= sc->chunk)
                return NULL; /* end of this chunk */
            continue;
        }
        if (m.h.info3 & AERO_INFO3_PARTITION_DONE) {
            uint32_t pid = m.h.generation;
            if (pid < AERO_PARTITIONS && m.h.result_code != AERO_OK)
                sc->parts[pid].unavailable = true;
            continue;
        }
        if (m.h.result_code != AERO_OK) {
            int rc = m.h.result_code;
            end_exchange(sc, false);
            if ((rc == AERO_ERR_INDEX_NOT_FOUND || rc == AERO_ERR_INDEX_NOT_READABLE) && index_gone(sc))
                continue; /* the automatically chosen index went away: the same rows from a scan */
            aero_err__set(err, rc, "query record error: %s", aero_status_str(rc));
            return fail(sc);
        }
        if (aero_record__decode(&sc->row, &m, err) != AERO_OK) {
            end_exchange(sc, false);
            return fail(sc);
        }
        if (sc->quota && sc->node_count >= sc->quota)
            continue; /* more than asked for: drop it, the next chunk resumes before it */
        int pid;
        int64_t bval = 0;
        set_row_key(sc, &m, &pid, &bval);
        sc->row.index = -1;
        if (pid >= 0) {
            sc->parts[pid].bval = bval;
            memcpy(sc->parts[pid].digest, sc->row.key.digest, AERO_DIGEST_SIZE);
            sc->parts[pid].has_digest = true;
        }
        sc->node_count++;
        sc->delivered++;
        sc->chunk_delivered++;
        return &sc->row;
    }
    return NULL;
}
