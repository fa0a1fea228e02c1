/*
 * scan.c - partition scans and queries (protocol.md 7).
 *
 * The request names partitions (PID_ARRAY) and/or resume points
 * (DIGEST_ARRAY: the partition is implied by the digest and the scan restarts
 * after it); neither is answered 16, as the server does. Records stream in
 * digest order within each
 * partition, one AS_MSG per record (fields namespace, digest, set, key if
 * stored), then a LAST message. As on a real CE 8.1 server, a partition that
 * completes normally is not reported; a partition this node does not own is
 * reported with a PARTITION_DONE message carrying result 11 (unavailable).
 */
#include "ts.h"

#include "blobop.h"
#include "cdt.h"
#include "sindex.h"
#include "udf.h"

#include <stdlib.h>
#include <string.h>

#define FRAME_TARGET (128 * 1024)

/*
 * The one message that ends a scan / query. A real 8.1 server answers a
 * request it refuses before it starts with a single message WITHOUT the LAST
 * bit (info3 = 0) and keeps the connection open; clients stop at the first
 * message carrying an error that is not a PARTITION_DONE one.
 */
static void last(aero_buf *out, uint8_t rc) {
    size_t f = ts_frame_begin(out);
    size_t h = ts_resp_begin(out);
    ts_resp_end(out, h, 0, rc ? 0 : AERO_INFO3_LAST, rc, 0, 0, 0, 0, 0);
    ts_frame_end(out, f);
}

typedef struct scan_ctx {
    const ts_msg *m;
    const char *ns;
    const ts_field *nsf;
    const ts_field *filter;
    const char *set;
    size_t set_len;
    bool nobins;
    uint64_t max; /* 0 = unlimited */
    uint64_t sent;
    size_t frame; /* offset of the open frame */
    uint32_t now;
    const ts_sindex_query *idx; /* secondary-index query, NULL for a scan */
} scan_ctx;

/*
 * A list/map, bit or HLL read op as a query's projection of record r: its
 * answer op (the op's code and bin name), nothing for a missing bin unless
 * every op must answer (then nil); false when the op fails.
 */
static bool bin_read_op(const ts_op *o, const ts_record *r, bool respond_all, aero_buf *out, uint16_t *nops) {
    const ts_bin *b = ts_record_bin((ts_record *)r, o->name, o->name_len);
    ts_particle res = { 0 };
    int rc = 0;
    if (!b) {
        if (respond_all) {
            ts_resp_op(out, o->op, AERO_PT_NULL, o->name, o->name_len, NULL, 0);
            (*nops)++;
        }
        return true;
    }
    if (o->op == AERO_MSG_OP_CDT_READ)
        rc = ts_cdt_read_op(b, o->value, o->value_len, &res.ptype, &res.data, &res.len);
    else
        rc = ts_blob_read_op(o, r, &res);
    if (rc == 0 && (res.ptype != AERO_PT_NULL || respond_all)) {
        ts_resp_op(out, o->op, res.ptype, o->name, o->name_len, res.data, res.len);
        (*nops)++;
    }
    free(res.data);
    return rc == 0;
}

/* One record message (bval: the index value of this entry, index queries only). */
static void emit_one(scan_ctx *c, const ts_record *r, int64_t bval, aero_buf *out) {
    size_t h = ts_resp_begin(out);
    uint16_t nf = 2, nops = 0;
    ts_resp_field(out, AERO_FIELD_NAMESPACE, c->nsf->data, c->nsf->len);
    ts_resp_field(out, AERO_FIELD_DIGEST, r->digest, 20);
    if (r->set_len) {
        ts_resp_field(out, AERO_FIELD_SETNAME, r->set, r->set_len);
        nf++;
    }
    if (r->has_key) {
        aero_buf__put_u32be(out, r->key_len + 2);
        aero_buf__put_u8(out, AERO_FIELD_KEY);
        aero_buf__put_u8(out, r->key_type);
        aero_buf__put(out, r->key, r->key_len);
        nf++;
    }
    if (c->idx) {
        uint8_t le[8];
        for (int k = 0; k < 8; k++)
            le[k] = (uint8_t)((uint64_t)bval >> (8 * k));
        ts_resp_field(out, AERO_FIELD_BVAL_ARRAY, le, 8);
        nf++;
    }
    if (!c->nobins) {
        const ts_msg *m = c->m;
        if (m->n_ops == 0) {
            for (uint32_t i = 0; i < r->n_bins; i++) {
                const ts_bin *b = &r->bins[i];
                ts_resp_op(out, AERO_MSG_OP_READ, b->ptype, b->name, b->name_len, b->data, b->len);
                nops++;
            }
        } else {
            for (uint16_t i = 0; i < m->n_ops; i++) {
                const ts_op *o = &m->ops[i];
                if (o->op == AERO_MSG_OP_READ && o->name_len == 0) {
                    for (uint32_t k = 0; k < r->n_bins; k++) {
                        const ts_bin *b = &r->bins[k];
                        ts_resp_op(out, AERO_MSG_OP_READ, b->ptype, b->name, b->name_len, b->data, b->len);
                        nops++;
                    }
                } else if (o->op == AERO_MSG_OP_READ) {
                    const ts_bin *b = ts_record_bin((ts_record *)r, o->name, o->name_len);
                    if (b) {
                        ts_resp_op(out, AERO_MSG_OP_READ, b->ptype, b->name, b->name_len, b->data, b->len);
                        nops++;
                    }
                } else if (o->op == AERO_MSG_OP_EXP_READ) {
                    uint8_t pt = 0;
                    uint8_t *d = NULL;
                    uint32_t dl = 0;
                    if (ts_exp_op(o->value, o->value_len, r, c->ns, false, &pt, &d, &dl) == 0) {
                        ts_resp_op(out, AERO_MSG_OP_READ, pt, o->name, o->name_len, d, dl);
                        nops++;
                    }
                    free(d);
                } else if (!bin_read_op(o, r, (m->info2 & AERO_INFO2_RESPOND_ALL_OPS) != 0, out, &nops)) {
                    out->len = h; /* a failing op drops the record, as the server's apply_ops_make_response */
                    return;
                }
            }
        }
    }
    if (!c->nobins && c->m->n_ops && nops == 0) { /* none of the selected bins or op answers: the server skips it */
        out->len = h;
        return;
    }
    ts_resp_end(out, h, c->nobins ? AERO_INFO1_NOBINDATA : 0, 0, 0, r->generation, r->void_time, 0, nf, nops);
    c->sent++;
    if (out->len - c->frame > FRAME_TARGET) {
        ts_frame_end(out, c->frame);
        c->frame = ts_frame_begin(out);
    }
}

/*
 * A record of the partition: skipped when expired, of another set, not
 * selected by the index or rejected by the filter. An index query sends it
 * once per index entry (distinct matching value), as the server's index
 * tree yields it. false on a filter error.
 */
static bool emit(scan_ctx *c, const ts_record *r, aero_buf *out) {
    if (r->void_time && r->void_time <= c->now)
        return true;
    if (c->set_len && (r->set_len != c->set_len || memcmp(r->set, c->set, c->set_len) != 0))
        return true;
    if (c->filter) {
        int e = ts_exp_filter(c->filter->data, c->filter->len, r, c->ns);
        if (e == TS_EXP_ERROR)
            return false;
        if (e != TS_EXP_TRUE)
            return true;
    }
    emit_one(c, r, 0, out);
    return true;
}

/* An entry of a partition's index tree: (index value, record). */
typedef struct ientry {
    int64_t bval;
    const ts_record *r;
} ientry;

static int ientry_cmp(const void *a, const void *b) {
    const ientry *x = a, *y = b;
    if (x->bval != y->bval)
        return x->bval < y->bval ? -1 : 1;
    return memcmp(x->r->digest, y->r->digest, 20);
}

#define QUERY_BURST 100 /* the server reads its index tree 100 entries at a time (sindex_tree.c) */

/*
 * An index query of partition pid, as the server walks its index tree: the
 * entries (index value, record) in order, resuming after (after_bval,
 * after); a record appears once per entry, except that a range over a
 * collection index drops a record seen earlier in the same burst of 100
 * entries. false on a filter error.
 */
static bool index_partition(scan_ctx *c, ts_namespace *ns, unsigned pid, const uint8_t *after, int64_t after_bval,
                            aero_buf *out) {
    const ts_partition *p = &ns->parts[pid];
    size_t n = 0, cap = 0;
    ientry *e = NULL;
    for (uint32_t i = 0; i < p->n; i++) {
        const ts_record *r = p->recs[i];
        if (r->void_time && r->void_time <= c->now)
            continue;
        if (c->set_len && (r->set_len != c->set_len || memcmp(r->set, c->set, c->set_len) != 0))
            continue;
        int64_t bvals[TS_SINDEX_MAX_HITS];
        int hits = ts_sindex_match(c->idx, r, bvals);
        for (int k = 0; k < hits; k++) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                ientry *g = realloc(e, cap * sizeof *e);
                if (!g) {
                    free(e);
                    return false;
                }
                e = g;
            }
            e[n].bval = bvals[k];
            e[n++].r = r;
        }
    }
    if (n > 1)
        qsort(e, n, sizeof *e, ientry_cmp);
    bool de_dup = c->idx->def.itype != 0 && (c->idx->ptype == 23 || c->idx->lo != c->idx->hi);
    bool ok = true;
    size_t first = 0; /* the walk starts after the resume point; so do its bursts */
    while (after && first < n &&
           (e[first].bval < after_bval || (e[first].bval == after_bval && memcmp(e[first].r->digest, after, 20) <= 0)))
        first++;
    size_t burst_start = first;
    for (size_t i = first; i < n && ok; i++) {
        if (c->max && c->sent >= c->max)
            break;
        if (i - burst_start >= QUERY_BURST)
            burst_start = i;
        bool dup = false;
        for (size_t k = burst_start; de_dup && k < i && !dup; k++)
            dup = e[k].r == e[i].r;
        if (dup)
            continue;
        if (c->filter) {
            int x = ts_exp_filter(c->filter->data, c->filter->len, e[i].r, c->ns);
            if (x == TS_EXP_ERROR)
                ok = false;
            if (x != TS_EXP_TRUE)
                continue;
        }
        emit_one(c, e[i].r, e[i].bval, out);
    }
    free(e);
    return ok;
}

/* Scan partition pid starting after `after` (NULL = from the start). false on a filter error. */
static bool scan_partition(scan_ctx *c, ts_namespace *ns, unsigned pid, const uint8_t *after, aero_buf *out) {
    const ts_partition *p = &ns->parts[pid];
    for (uint32_t i = 0; i < p->n; i++) {
        if (c->max && c->sent >= c->max)
            return true;
        if (after && memcmp(p->recs[i]->digest, after, 20) <= 0)
            continue;
        if (!emit(c, p->recs[i], out))
            return false;
    }
    return true;
}

/* Task ids are per node: the one job id of a cluster-wide job reaches every node once. */
static bool trid_reused(aero_testserver *ts, const ts_node *node, const ts_msg *m) {
    const ts_field *f = m->fields_by_type[AERO_FIELD_TASK_ID];
    if (!f || f->len != 8)
        return false;
    uint64_t id = aero_get_u64be(f->data);
    if (id == 0)
        return false;
    bool seen = false;
    pthread_mutex_lock(&ts->mu);
    for (unsigned i = 0; i < 64; i++)
        if (ts->trid_seen[i] == id && ts->trid_node[i] == node->index)
            seen = true;
    if (!seen) {
        ts->trid_seen[ts->trid_pos] = id;
        ts->trid_node[ts->trid_pos] = node->index;
        ts->trid_pos = (ts->trid_pos + 1) % 64;
    }
    pthread_mutex_unlock(&ts->mu);
    return seen;
}

/*
 * Background query with write ops or a UDF: the job (udf.c) applies them
 * (and the filter) to every record of the requested partitions this node
 * masters, as single-record commands; the answer says it started.
 */
static void background(aero_testserver *ts, ts_node *node, const ts_msg *m, ts_namespace *ns,
                       const ts_sindex_query *idx, aero_buf *out) {
    if (m->n_ops == 0 && !m->fields_by_type[AERO_FIELD_UDF_PACKAGE]) {
        last(out, AERO_ERR_PARAMETER); /* a background job with nothing to do */
        return;
    }
    for (uint16_t i = 0; i < m->n_ops; i++) {
        uint8_t op = m->ops[i].op;
        if (op == AERO_MSG_OP_READ || op == AERO_MSG_OP_CDT_READ || op == AERO_MSG_OP_EXP_READ ||
            op == AERO_MSG_OP_BIT_READ || op == AERO_MSG_OP_HLL_READ || m->ops[i].name_len > 15) {
            last(out, AERO_ERR_PARAMETER);
            return;
        }
    }
    const ts_field *pids = m->fields_by_type[AERO_FIELD_PID_ARRAY];
    const ts_field *setf = m->fields_by_type[AERO_FIELD_SETNAME];
    uint8_t *want = calloc(TS_PARTITIONS, 1);
    if (!want) {
        last(out, AERO_ERR_SERVER);
        return;
    }
    pthread_mutex_lock(&ts->mu);
    for (unsigned p = 0; p < TS_PARTITIONS; p++)
        want[p] = ts_cluster_owner(ts, p, 0) == (int)node->index && !pids;
    for (uint32_t i = 0; pids && i + 1 < pids->len; i += 2) {
        unsigned p = (unsigned)(pids->data[i] | (pids->data[i + 1] << 8)) & 0x0FFF;
        want[p] = ts_cluster_owner(ts, p, 0) == (int)node->index;
    }
    pthread_mutex_unlock(&ts->mu);
    /* collect the digests first: each write takes the store lock itself */
    uint8_t(*digs)[20] = NULL;
    size_t n = 0, cap = 0;
    uint32_t now = ts_now2010();
    pthread_mutex_lock(&ts->store.mu);
    for (unsigned p = 0; p < TS_PARTITIONS; p++) {
        if (!want[p])
            continue;
        const ts_partition *part = &ns->parts[p];
        for (uint32_t i = 0; i < part->n; i++) {
            const ts_record *r = part->recs[i];
            if ((r->void_time && r->void_time <= now) ||
                (setf && setf->len && (r->set_len != setf->len || memcmp(r->set, setf->data, setf->len) != 0)))
                continue;
            int64_t bval;
            if (idx && !ts_sindex_match(idx, r, &bval)) /* a job over an index query: only what it matches */
                continue;
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 64;
                void *nd = realloc(digs, nc * 20);
                if (!nd)
                    break;
                digs = nd;
                cap = nc;
            }
            memcpy(digs[n++], r->digest, 20);
        }
    }
    bool set_known =
        !setf || setf->len == 0 || ts_store_count(&ts->store, ns, (const char *)setf->data, setf->len, 0) > 0;
    pthread_mutex_unlock(&ts->store.mu);
    free(want);
    if (!set_known) {
        free(digs);
        last(out, AERO_ERR_KEY_NOT_FOUND); /* the set does not exist */
        return;
    }
    const ts_field *tf = m->fields_by_type[AERO_FIELD_TASK_ID];
    ts_job_start(ts, node, m, digs, n, tf && tf->len == 8 ? aero_get_u64be(tf->data) : 0); /* udf.c */
    last(out, 0);
}

void ts_scan_execute(aero_testserver *ts, ts_node *node, const ts_msg *m, aero_buf *out) {
    const ts_field *nsf = m->fields_by_type[AERO_FIELD_NAMESPACE];
    ts_namespace *ns = nsf ? ts_store_ns(&ts->store, (const char *)nsf->data, nsf->len) : NULL;
    if (!ns) {
        last(out, AERO_ERR_NAMESPACE_NOT_FOUND);
        return;
    }
    int sec_rc = ts_security_check(ts->security, m, m->info2 & AERO_INFO2_WRITE);
    if (sec_rc) {
        last(out, (uint8_t)sec_rc);
        return;
    }
    static _Thread_local ts_sindex_query idx; /* large: kept off the stack */
    bool is_index = m->fields_by_type[AERO_FIELD_INDEX_RANGE] || m->fields_by_type[AERO_FIELD_INDEX_NAME] ||
                    m->fields_by_type[AERO_FIELD_INDEX_EXPRESSION];
    if (is_index) {
        const ts_field *sf = m->fields_by_type[AERO_FIELD_SETNAME];
        int rc = ts_sindex_parse(ts, m, ns->name, sf ? (const char *)sf->data : "", sf ? sf->len : 0, &idx);
        if (rc) {
            last(out, (uint8_t)rc);
            return;
        }
    }
    if (m->fields_by_type[AERO_FIELD_UDF_OP] || m->fields_by_type[AERO_FIELD_UDF_PACKAGE]) {
        /* a background UDF (UDF_OP 2) runs as a job; aggregation (1) is not supported */
        const ts_field *uop = m->fields_by_type[AERO_FIELD_UDF_OP];
        if (!(m->info2 & AERO_INFO2_WRITE) || !uop || uop->len != 1 || uop->data[0] != 2 || m->n_ops ||
            !m->fields_by_type[AERO_FIELD_UDF_PACKAGE] || !m->fields_by_type[AERO_FIELD_UDF_FUNCTION]) {
            last(out, AERO_ERR_PARAMETER);
            return;
        }
    }
    if (m->info2 & AERO_INFO2_WRITE) {
        if (trid_reused(ts, node, m))
            last(out, AERO_ERR_PARAMETER);
        else
            background(ts, node, m, ns, is_index ? &idx : NULL, out);
        return;
    }
    if (!(m->info3 & AERO_INFO3_PARTITION_DONE)) {
        last(out, AERO_ERR_UNSUPPORTED_FEATURE);
        return;
    }
    const ts_field *pids = m->fields_by_type[AERO_FIELD_PID_ARRAY];
    const ts_field *digs = m->fields_by_type[AERO_FIELD_DIGEST_ARRAY];
    const ts_field *maxf = m->fields_by_type[AERO_FIELD_MAX_RECORDS];
    const ts_field *setf = m->fields_by_type[AERO_FIELD_SETNAME];
    if ((pids && pids->len % 2) || (digs && digs->len % 20) || (maxf && maxf->len != 8) || (setf && setf->len > 63)) {
        last(out, AERO_ERR_PARAMETER);
        return;
    }
    if (!pids && !digs) {
        last(out, AERO_ERR_UNSUPPORTED_FEATURE); /* a foreground query must name its partitions */
        return;
    }
    /* an index query resuming after digests sends the index value of each (LE i64) */
    const ts_field *bvf = m->fields_by_type[AERO_FIELD_BVAL_ARRAY];
    if (is_index && digs && (!bvf || bvf->len != digs->len / 20 * 8)) {
        last(out, AERO_ERR_PARAMETER);
        return;
    }
    if (pids) {
        for (uint32_t i = 0; i < pids->len; i += 2)
            if ((pids->data[i] | (pids->data[i + 1] << 8)) >= TS_PARTITIONS) {
                last(out, AERO_ERR_PARAMETER);
                return;
            }
    }
    for (uint16_t i = 0; i < m->n_ops; i++) {
        uint8_t op = m->ops[i].op;
        if (m->ops[i].name_len > 15 ||
            (op != AERO_MSG_OP_READ && op != AERO_MSG_OP_EXP_READ && op != AERO_MSG_OP_CDT_READ &&
             op != AERO_MSG_OP_BIT_READ && op != AERO_MSG_OP_HLL_READ)) {
            last(out, AERO_ERR_PARAMETER);
            return;
        }
    }
    const ts_field *filt = m->fields_by_type[AERO_FIELD_FILTER];
    if ((filt && !ts_exp_may_be_bool(filt->data, filt->len)) || trid_reused(ts, node, m)) {
        last(out, AERO_ERR_PARAMETER);
        return;
    }
    scan_ctx c = { 0 };
    c.m = m;
    c.ns = ns->name;
    c.nsf = nsf;
    c.filter = m->fields_by_type[AERO_FIELD_FILTER];
    c.set = setf ? (const char *)setf->data : NULL;
    c.set_len = setf ? setf->len : 0;
    c.nobins = (m->info1 & AERO_INFO1_NOBINDATA) != 0;
    c.max = maxf ? aero_get_u64be(maxf->data) : 0;
    c.now = ts_now2010();
    c.idx = is_index ? &idx : NULL;

    /* ownership snapshot: partitions this node masters */
    uint8_t *owned = malloc(TS_PARTITIONS);
    if (!owned) {
        last(out, AERO_ERR_SERVER);
        return;
    }
    pthread_mutex_lock(&ts->mu);
    for (unsigned p = 0; p < TS_PARTITIONS; p++)
        owned[p] = ts_cluster_owner(ts, p, 0) == (int)node->index;
    pthread_mutex_unlock(&ts->mu);

    size_t start = out->len;
    c.frame = ts_frame_begin(out);
    bool ok = true;
    unsigned *unavail = malloc(TS_PARTITIONS * sizeof *unavail);
    unsigned n_unavail = 0;
    if (!unavail) {
        free(owned);
        out->len = start;
        last(out, AERO_ERR_SERVER);
        return;
    }
    pthread_mutex_lock(&ts->store.mu);
    {
        for (uint32_t i = 0; pids && ok && i < pids->len; i += 2) {
            unsigned p = (unsigned)(pids->data[i] | (pids->data[i + 1] << 8));
            if (!owned[p])
                unavail[n_unavail++ % TS_PARTITIONS] = p;
            else if (c.idx)
                ok = index_partition(&c, ns, p, NULL, 0, out);
            else
                ok = scan_partition(&c, ns, p, NULL, out);
        }
        for (uint32_t i = 0; digs && ok && i < digs->len; i += 20) {
            const uint8_t *d = digs->data + i;
            unsigned p = (unsigned)((d[0] | (d[1] << 8)) & 0x0FFF);
            if (!owned[p])
                unavail[n_unavail++ % TS_PARTITIONS] = p;
            else if (c.idx) {
                int64_t bv = 0;
                for (int k = 7; bvf && k >= 0; k--)
                    bv = (int64_t)((uint64_t)bv << 8 | bvf->data[i / 20 * 8 + (unsigned)k]);
                ok = index_partition(&c, ns, p, d, bv, out);
            } else
                ok = scan_partition(&c, ns, p, d, out);
        }
    }
    pthread_mutex_unlock(&ts->store.mu);
    free(owned);
    if (!ok) {
        free(unavail);
        out->len = start;
        last(out, AERO_ERR_PARAMETER);
        return;
    }
    if (n_unavail > TS_PARTITIONS)
        n_unavail = TS_PARTITIONS;
    for (unsigned i = 0; i < n_unavail; i++) {
        size_t h = ts_resp_begin(out);
        ts_resp_end(out, h, 0, AERO_INFO3_PARTITION_DONE, AERO_ERR_PARTITION_UNAVAILABLE, unavail[i], 0, 0, 0, 0);
    }
    free(unavail);
    size_t h = ts_resp_begin(out);
    ts_resp_end(out, h, 0, AERO_INFO3_LAST, 0, 0, 0, 0, 0, 0);
    ts_frame_end(out, c.frame);
}
