/*
 * msgio.c - server side AS_MSG parsing and response building, and the
 * dispatch of one AS_MSG request to kv / batch / scan.
 *
 * The parser is the server's view of a request: every length is checked
 * against the body; anything inconsistent is the PARAMETER (4) answer a real
 * server gives, never an out-of-bounds read.
 */
#include "ts.h"

#include <stdlib.h>
#include <string.h>

int ts_msg_parse(const uint8_t *p, size_t len, ts_msg *m, ts_field *fields, size_t cap, size_t *used) {
    memset(m, 0, sizeof *m);
    if (len < AERO_MSG_HEADER_SIZE || p[0] != AERO_MSG_HEADER_SIZE)
        return AERO_ERR_PARAMETER;
    m->info1 = p[1];
    m->info2 = p[2];
    m->info3 = p[3];
    m->info4 = p[4];
    m->generation = aero_get_u32be(p + 6);
    m->record_ttl = aero_get_u32be(p + 10);
    m->transaction_ttl = aero_get_u32be(p + 14);
    m->n_fields = aero_get_u16be(p + 18);
    m->n_ops = aero_get_u16be(p + 20);
    size_t off = AERO_MSG_HEADER_SIZE;
    if (m->n_fields > cap)
        return AERO_ERR_PARAMETER;
    for (uint16_t i = 0; i < m->n_fields; i++) {
        if (len - off < 5)
            return AERO_ERR_PARAMETER;
        uint32_t sz = aero_get_u32be(p + off);
        if (sz < 1 || sz > len - off - 4)
            return AERO_ERR_PARAMETER;
        fields[i].type = p[off + 4];
        fields[i].data = p + off + 5;
        fields[i].len = sz - 1;
        m->fields_by_type[fields[i].type] = &fields[i];
        off += 4 + (size_t)sz;
    }
    if (m->n_ops) {
        m->ops = calloc(m->n_ops, sizeof *m->ops);
        if (!m->ops)
            return AERO_ERR_SERVER;
    }
    for (uint16_t i = 0; i < m->n_ops; i++) {
        if (len - off < 8)
            goto bad;
        uint32_t sz = aero_get_u32be(p + off);
        if (sz < 4 || sz > len - off - 4)
            goto bad;
        ts_op *o = &m->ops[i];
        o->op = p[off + 4];
        o->ptype = p[off + 5];
        o->name_len = p[off + 7];
        if (o->name_len > sz - 4)
            goto bad;
        o->name = (const char *)p + off + 8;
        o->value = p + off + 8 + o->name_len;
        o->value_len = sz - 4 - o->name_len;
        off += 4 + (size_t)sz;
    }
    if (used)
        *used = off;
    return 0;
bad:
    free(m->ops);
    m->ops = NULL;
    return AERO_ERR_PARAMETER;
}

size_t ts_frame_begin(aero_buf *b) {
    size_t off = b->len;
    aero_buf__append(b, 8);
    return off;
}

void ts_frame_end(aero_buf *b, size_t off) {
    if (b->failed)
        return;
    uint64_t size = b->len - off - 8;
    uint64_t h = ((uint64_t)AERO_PROTO_VERSION << 56) | ((uint64_t)AERO_PROTO_MSG << 48) | size;
    aero_set_u64be(b->data + off, h);
}

size_t ts_resp_begin(aero_buf *b) {
    size_t off = b->len;
    uint8_t *h = aero_buf__append(b, AERO_MSG_HEADER_SIZE);
    if (h)
        memset(h, 0, AERO_MSG_HEADER_SIZE);
    return off;
}

void ts_resp_end(aero_buf *b, size_t off, uint8_t info1, uint8_t info3, uint8_t result, uint32_t gen,
                 uint32_t void_time, uint32_t txn_ttl, uint16_t n_fields, uint16_t n_ops) {
    if (b->failed)
        return;
    uint8_t *h = b->data + off;
    h[0] = AERO_MSG_HEADER_SIZE;
    h[1] = info1;
    h[2] = 0;
    h[3] = info3;
    h[4] = 0;
    h[5] = result;
    aero_set_u32be(h + 6, gen);
    aero_set_u32be(h + 10, void_time);
    aero_set_u32be(h + 14, txn_ttl);
    aero_set_u16be(h + 18, n_fields);
    aero_set_u16be(h + 20, n_ops);
}

void ts_resp_field(aero_buf *b, uint8_t type, const void *data, size_t len) {
    aero_buf__put_u32be(b, (uint32_t)(len + 1));
    aero_buf__put_u8(b, type);
    if (len)
        aero_buf__put(b, data, len);
}

void ts_resp_op(aero_buf *b, uint8_t op, uint8_t ptype, const char *name, size_t name_len, const void *v, size_t vlen) {
    aero_buf__put_u32be(b, (uint32_t)(4 + name_len + vlen));
    aero_buf__put_u8(b, op);
    aero_buf__put_u8(b, ptype);
    aero_buf__put_u8(b, 0);
    aero_buf__put_u8(b, (uint8_t)name_len);
    if (name_len)
        aero_buf__put(b, name, name_len);
    if (vlen)
        aero_buf__put(b, v, vlen);
}

void ts_resp_simple(aero_buf *b, uint8_t result, uint32_t gen, uint32_t void_time) {
    size_t f = ts_frame_begin(b);
    size_t m = ts_resp_begin(b);
    ts_resp_end(b, m, 0, 0, result, gen, void_time, 0, 0, 0);
    ts_frame_end(b, f);
}

void ts_handle_msg(aero_testserver *ts, ts_node *node, const uint8_t *body, size_t len, aero_buf *out) {
    ts_field fields[64];
    ts_msg m;
    size_t used = 0;
    int rc = ts_msg_parse(body, len, &m, fields, sizeof fields / sizeof fields[0], &used);
    if (rc == 0 && used != len)
        rc = AERO_ERR_PARAMETER;
    if (rc != 0) {
        free(m.ops);
        ts_resp_simple(out, (uint8_t)rc, 0, 0);
        return;
    }
    if (m.fields_by_type[AERO_FIELD_BATCH_INDEX] || (m.info1 & AERO_INFO1_BATCH))
        ts_batch_execute(ts, &m, out);
    else if (m.fields_by_type[AERO_FIELD_DIGEST])
        ts_kv_execute(ts, &m, out);
    else
        ts_scan_execute(ts, node, &m, out);
    free(m.ops);
}
