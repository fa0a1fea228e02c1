/*
 * resp.c - building answers: proto frames, AS_MSG response headers, fields
 * and ops. Builders append to an aero_buf whose failure is sticky, so a
 * handler checks once at the end (the connection answers 1 when it failed).
 */
#include "ts.h"

#include <string.h>

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
    aero_set_u32be(h + 10, ts_clock_wire_void_time(void_time));
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
