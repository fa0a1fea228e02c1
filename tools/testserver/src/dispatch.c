/*
 * dispatch.c - the one place that knows every kind of request: proto types
 * (info, admin, AS_MSG, compressed) and, inside AS_MSG, batch, single-record
 * and scan / query commands. Faults injected into a node apply here, to
 * AS_MSG and compressed requests only, so info (cluster tending) keeps
 * working while a node misbehaves.
 */
#include "ts.h"

#include <stdlib.h>
#include <string.h>

/* What kind of AS_MSG command a parsed message is. */
typedef enum { KIND_BATCH, KIND_SINGLE, KIND_SCAN } msg_kind;

static msg_kind kind_of(const ts_msg *m) {
    if (m->fields_by_type[AERO_FIELD_BATCH_INDEX] || (m->info1 & AERO_INFO1_BATCH))
        return KIND_BATCH;
    if (m->fields_by_type[AERO_FIELD_DIGEST])
        return KIND_SINGLE;
    return KIND_SCAN;
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
    switch (kind_of(&m)) {
    case KIND_BATCH: ts_batch_execute(ts, &m, out); break;
    case KIND_SINGLE: ts_kv_execute(ts, &m, out); break;
    case KIND_SCAN: ts_scan_execute(ts, node, &m, out); break;
    }
    free(m.ops);
}

/* Answer an AS_MSG request as if every command failed with rc (a single-record answer has no LAST bit). */
static void result_answer(const uint8_t *body, size_t len, uint8_t rc, aero_buf *out) {
    ts_field fields[64];
    ts_msg m;
    bool single = ts_msg_parse(body, len, &m, fields, 64, NULL) == 0 && kind_of(&m) == KIND_SINGLE;
    free(m.ops);
    size_t f = ts_frame_begin(out);
    size_t h = ts_resp_begin(out);
    ts_resp_end(out, h, 0, single ? 0 : AERO_INFO3_LAST, rc, 0, 0, 0, 0, 0);
    ts_frame_end(out, f);
}

/*
 * Enterprise compression: run the message a type-4 request wraps; each frame
 * of the answer is compressed when the request asked for it (info1
 * COMPRESS_RESPONSE) and the frame is larger than 128 bytes.
 */
static void handle_compressed(aero_testserver *ts, ts_node *node, const uint8_t *body, size_t len, aero_buf *out) {
    uint8_t *raw = NULL;
    size_t raw_len = 0;
    int rc = ts_inflate_request(body, len, &raw, &raw_len);
    if (rc != 0) {
        ts_resp_simple(out, (uint8_t)rc, 0, 0);
        return;
    }
    bool compress_answer = (raw[8 + 1] & AERO_INFO1_COMPRESS_RESPONSE) != 0;
    ts_handle_msg(ts, node, raw + 8, raw_len - 8, out);
    free(raw);
    if (compress_answer && !out->failed)
        ts_compress_frames(out);
}

bool ts_dispatch_knows(uint8_t type) {
    return type == AERO_PROTO_INFO || type == AERO_PROTO_ADMIN || type == AERO_PROTO_MSG ||
           type == AERO_PROTO_COMPRESSED;
}

ts_action ts_dispatch(ts_node *node, uint8_t type, const uint8_t *body, size_t len, ts_request *req, aero_buf *out) {
    aero_testserver *ts = node->ts;
    ts_security_bind(&req->sec);
    if (type == AERO_PROTO_INFO) {
        ts_info_answer(ts, node, body, len, out);
        return TS_SEND;
    }
    if (type == AERO_PROTO_ADMIN) {
        ts_security_admin(ts->security, &req->sec, body, len, out);
        return TS_SEND;
    }
    int auth_rc = ts_security_check_authed(ts->security);
    if (auth_rc) { /* not logged in: nothing is served (faults do not apply either) */
        result_answer(body, len, (uint8_t)auth_rc, out);
        return TS_SEND;
    }
    uint32_t arg = 0;
    int fault = ts_fault_take(node, &arg, &req->stall_epoch);
    switch (fault) {
    case AERO_TS_FAULT_STALL: return TS_STALL;
    case AERO_TS_FAULT_DROP: return TS_CLOSE;
    case AERO_TS_FAULT_GARBAGE: ts_fault_garbage(out, arg, &req->seed); return TS_SEND_CLOSE;
    case AERO_TS_FAULT_RESULT_CODE: result_answer(body, len, (uint8_t)arg, out); return TS_SEND;
    case AERO_TS_FAULT_DELAY: ts_node_sleep_ms(node, arg); break;
    default: break;
    }
    if (type == AERO_PROTO_COMPRESSED && ts->compression)
        handle_compressed(ts, node, body, len, out);
    else if (type == AERO_PROTO_COMPRESSED)
        ts_resp_simple(out, AERO_ERR_ENTERPRISE_ONLY, 0, 0); /* Community Edition */
    else
        ts_handle_msg(ts, node, body, len, out);
    /* Enterprise compresses an answer the request asked for, however the request itself came */
    if (ts->compression && type == AERO_PROTO_MSG && len > 1 && (body[1] & AERO_INFO1_COMPRESS_RESPONSE) &&
        !out->failed)
        ts_compress_frames(out);
    if (fault == AERO_TS_FAULT_CLOSE_MID) {
        out->len /= 2;
        return TS_SEND_CLOSE;
    }
    return TS_SEND;
}
