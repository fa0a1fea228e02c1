/*
 * batch.c - batch reads (batch-index protocol, field 41). Keys are grouped by
 * the node that serves their partition; each node gets one request listing
 * its rows by their position in the caller's array, and answers one message
 * per row (row index in transaction_ttl) followed by a LAST message. Rows of
 * a node that fails are re-routed and sent again while retries remain.
 */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "cmd_key.h"
#include "frames.h"
#include "internal.h"
#include "proto/digest.h"
#include "proto/wire.h"
#include "record_decode.h"

#define PARENT_FLAGS 0x0D /* allow inline | respond all keys | report error records */
#define ROW_INFO     0x02
#define ROW_TTL      0x08
#define ROW_REPEAT   0x01

static void build_request(aero_buf *b, const aero_policy *p, const aero_key *keys, const size_t *idx, size_t n,
                          const aero_read_spec *spec) {
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    h.info1 = AERO_INFO1_BATCH;
    h.transaction_ttl = p->total_timeout_ms;
    size_t start = aero_msg__begin(b);
    if (spec->filter)
        aero_msg__field(b, &h, AERO_FIELD_FILTER, spec->filter, spec->filter_len);
    /* field 41: size is patched once the rows are written */
    size_t field_at = b->len;
    aero_msg__field_header(b, &h, AERO_FIELD_BATCH_INDEX, 0);
    size_t data_at = b->len;
    aero_buf__put_u32be(b, (uint32_t)n);
    aero_buf__put_u8(b, PARENT_FLAGS);
    uint8_t info1 = AERO_INFO1_READ;
    if (spec->header_only)
        info1 |= AERO_INFO1_NOBINDATA;
    else if (!spec->n_bins && !spec->n_ops)
        info1 |= AERO_INFO1_GET_ALL;
    const aero_key *prev = NULL;
    for (size_t r = 0; r < n; r++) {
        const aero_key *k = &keys[idx[r]];
        aero_buf__put_u32be(b, (uint32_t)idx[r]);
        aero_buf__put(b, k->digest, AERO_DIGEST_SIZE);
        if (prev && strcmp(prev->ns, k->ns) == 0 && strcmp(prev->set, k->set) == 0) {
            aero_buf__put_u8(b, ROW_REPEAT);
            continue;
        }
        prev = k;
        aero_buf__put_u8(b, ROW_INFO | ROW_TTL);
        aero_buf__put_u8(b, info1);
        aero_buf__put_u8(b, spec->n_ops ? AERO_INFO2_RESPOND_ALL_OPS : 0); /* one result per op */
        aero_buf__put_u8(b, 0);
        aero_buf__put_u32be(b, (uint32_t)p->read_touch_ttl_percent);
        aero_buf__put_u16be(b, 2);
        aero_buf__put_u16be(b, spec->header_only ? 0 : (uint16_t)(spec->n_bins + spec->n_ops));
        aero_msg_header rowh; /* counts nothing that matters: the row carries its own counts */
        memset(&rowh, 0, sizeof rowh);
        aero_msg__field(b, &rowh, AERO_FIELD_NAMESPACE, k->ns, strlen(k->ns));
        aero_msg__field(b, &rowh, AERO_FIELD_SETNAME, k->set, strlen(k->set));
        for (size_t i = 0; !spec->header_only && i < spec->n_bins; i++)
            aero_msg__op(b, &rowh, AERO_OP_READ, AERO_PT_NULL, spec->bins[i], strlen(spec->bins[i]), NULL, 0);
        if (!spec->header_only && spec->n_ops)
            aero_buf__put(b, spec->ops, spec->ops_len);
    }
    if (!b->failed)
        aero_set_u32be(b->data + field_at, (uint32_t)(b->len - data_at + 1));
    aero_msg__end(b, start, &h);
}

/* One node's exchange: send its rows, decode the answers into rows[]. */
static aero_status run_node(aero_session *s, const aero_policy *p, aero_node *node, const aero_key *keys,
                            const size_t *idx, size_t n, const aero_read_spec *spec, aero_record *rows, bool *answered,
                            aero_buf *req, aero_frames *fr, aero_record *scratch, aero_error *err) {
    aero_buf__reset(req);
    build_request(req, p, keys, idx, n, spec);
    if (req->failed)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "batch request could not be built");
    uint64_t total = p->total_timeout_ms ? aero_deadline_after_ms(p->total_timeout_ms) : UINT64_MAX;
    uint64_t sock = p->socket_timeout_ms ? aero_deadline_after_ms(p->socket_timeout_ms) : UINT64_MAX;
    aero_conn *conn = NULL;
    aero_status st = aero_node__conn_get(node, sock < total ? sock : total, &conn, err);
    if (st != AERO_OK)
        return st;
    sock = p->socket_timeout_ms ? aero_deadline_after_ms(p->socket_timeout_ms) : UINT64_MAX;
    st = aero_conn__write(conn, req->data, req->len, sock < total ? sock : total, err);
    fr->socket_timeout_ms = p->socket_timeout_ms;
    fr->total_deadline = total;
    aero_frames__reset(fr, conn);
    while (st == AERO_OK) {
        aero_msg_view m;
        st = aero_frames__next(fr, &m, aero_node__address(node), err);
        if (st != AERO_OK)
            break;
        if (m.h.info3 & AERO_INFO3_LAST) {
            if (m.h.result_code != AERO_OK)
                st = aero_err__set(err, m.h.result_code, "batch failed on %s: %s", aero_node__address(node),
                                   aero_status_str(m.h.result_code));
            else
                aero_node__conn_put(node, conn);
            if (m.h.result_code == AERO_OK)
                return AERO_OK;
            break;
        }
        uint32_t i = m.h.transaction_ttl;
        /* the caller's array is indexed by original position; check it was asked of this node */
        bool mine = false;
        for (size_t r = 0; r < n && !mine; r++)
            mine = idx[r] == i;
        if (!mine) {
            st = aero_err__set(err, AERO_ERR_PROTOCOL, "batch answer for row %u that was not asked", i);
            break;
        }
        st = aero_record__decode(scratch, &m, err);
        if (st == AERO_OK)
            st = aero_record_copy(&rows[i], scratch, err);
        if (st != AERO_OK)
            break;
        rows[i].key = keys[i];
        rows[i].index = (int32_t)i;
        answered[i] = true;
    }
    aero_node__conn_close(node, conn);
    return st;
}

aero_status aero_batch__read(aero_session *s, const aero_policy *p, const aero_key *keys, size_t n,
                             const aero_read_spec *spec, aero_record *rows, aero_error *err) {
    aero_cluster *cl = s->client->cluster;
    size_t *idx = malloc(n * sizeof *idx);
    bool *answered = calloc(n, sizeof *answered);
    aero_node **owner = calloc(n, sizeof *owner);
    if (!idx || !answered || !owner) {
        free(idx);
        free(answered);
        free(owner);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a batch of %zu keys", n);
    }
    for (size_t i = 0; i < n; i++) {
        rows[i].index = (int32_t)i;
        rows[i].key = keys[i];
        if (aero_cmd__check_key(&keys[i], NULL) != AERO_OK) {
            rows[i].result = AERO_ERR_PARAM;
            answered[i] = true;
        }
    }
    aero_buf req;
    aero_buf__init(&req, NULL, 0);
    aero_frames fr;
    aero_frames__init(&fr);
    aero_record scratch;
    aero_record_init(&scratch);
    for (unsigned attempt = 0; attempt <= p->max_retries; attempt++) {
        size_t pending = 0;
        for (size_t i = 0; i < n; i++) {
            owner[i] = NULL;
            if (answered[i])
                continue;
            owner[i] =
                aero_cluster__node_for(cl, keys[i].ns, aero_partition__id(keys[i].digest), false, p->replica, attempt);
            if (!owner[i]) {
                rows[i].result = AERO_ERR_INVALID_NODE;
                answered[i] = true;
                continue;
            }
            pending++;
        }
        if (!pending)
            break;
        bool any_failed = false;
        for (size_t i = 0; i < n; i++) {
            if (!owner[i])
                continue;
            aero_node *node = owner[i];
            size_t m = 0;
            for (size_t j = i; j < n; j++)
                if (owner[j] == node)
                    idx[m++] = j;
            aero_error e;
            aero_status st = run_node(s, p, node, keys, idx, m, spec, rows, answered, &req, &fr, &scratch, &e);
            for (size_t r = 0; r < m; r++) {
                size_t j = idx[r];
                if (st != AERO_OK && !answered[j])
                    rows[j].result = st; /* kept if no retry answers it */
                if (j != i)
                    aero_node__release(owner[j]);
                owner[j] = NULL;
            }
            aero_node__release(node);
            if (st != AERO_OK)
                any_failed = true;
        }
        if (!any_failed)
            break;
        aero_cluster__count_retry(cl);
    }
    for (size_t i = 0; i < n; i++)
        if (!answered[i] && rows[i].result == AERO_OK)
            rows[i].result = AERO_ERR_NO_RESPONSE;
    aero_record_dispose(&scratch);
    aero_frames__free(&fr);
    aero_buf__free(&req);
    free(idx);
    free(answered);
    free(owner);
    return AERO_OK;
}
