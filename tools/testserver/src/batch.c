/*
 * batch.c - batch-index requests (field 41, protocol.md 6).
 *
 * Every row becomes a single-record command run through ts_kv_row(), whose
 * answer carries the row index in transaction_ttl. Rows are answered in
 * request order, several per frame, then a LAST message. Without the
 * "respond all keys" parent flag the first row error other than 0, 2 and 27
 * ends the batch with that code in the LAST message, as the server does. An
 * empty batch, a malformed one and one with a row in an unknown namespace
 * answer only a LAST message with 4.
 */
#include "ts.h"

#include <stdlib.h>
#include <string.h>

#define ROW_INFO        0x02
#define ROW_GEN         0x04
#define ROW_TTL         0x08
#define ROW_INFO4       0x10
#define ROW_REPEAT      0x01
#define PARENT_ALL_KEYS 0x04
#define MAX_ROW_FIELDS  32

typedef struct row {
    ts_msg m;
    ts_field fields[MAX_ROW_FIELDS];
    ts_field digest;
    bool valid;
} row;

static void last(aero_buf *out, size_t frame, uint8_t rc) {
    size_t h = ts_resp_begin(out);
    ts_resp_end(out, h, 0, AERO_INFO3_LAST, rc, 0, 0, 0, 0, 0);
    ts_frame_end(out, frame);
}

/* Parse the row body after the digest/flags at *off. Returns false if malformed. */
static bool parse_row(const uint8_t *p, size_t len, size_t *off, uint8_t flags, row *r) {
    size_t o = *off;
    free(r->m.ops);
    memset(&r->m, 0, sizeof r->m);
#define NEED(n)        \
    if (len - o < (n)) \
    return false
    NEED(1);
    r->m.info1 = p[o++];
    if (flags & ROW_INFO) {
        NEED(2);
        r->m.info2 = p[o++];
        r->m.info3 = p[o++];
    }
    if (flags & ROW_INFO4) {
        NEED(1);
        r->m.info4 = p[o++];
    }
    if (flags & ROW_GEN) {
        NEED(2);
        r->m.generation = aero_get_u16be(p + o);
        o += 2;
    }
    if (flags & ROW_TTL) {
        NEED(4);
        r->m.record_ttl = aero_get_u32be(p + o);
        o += 4;
    }
    NEED(4);
    r->m.n_fields = aero_get_u16be(p + o);
    r->m.n_ops = aero_get_u16be(p + o + 2);
#undef NEED
    return ts_msg_parse_body(p, len, o + 4, &r->m, r->fields, MAX_ROW_FIELDS, off) == 0;
}

void ts_batch_execute(aero_testserver *ts, const ts_msg *m, aero_buf *out) {
    size_t frame = ts_frame_begin(out);
    const ts_field *bf = m->fields_by_type[AERO_FIELD_BATCH_INDEX];
    const ts_field *parent_filter = m->fields_by_type[AERO_FIELD_FILTER];
    if (!bf || bf->len < 5) {
        last(out, frame, AERO_ERR_PARAMETER);
        return;
    }
    const uint8_t *p = bf->data;
    size_t len = bf->len;
    uint32_t n_rows = aero_get_u32be(p);
    uint8_t pflags = p[4];
    if (n_rows != 0 && ts->limits.max_batch_requests != 0 && n_rows > ts->limits.max_batch_requests) {
        last(out, frame, AERO_ERR_BATCH_MAX_REQUESTS); /* checked before any row is parsed */
        return;
    }
    size_t off = 5;
    row *r = calloc(1, sizeof *r);
    if (!r) {
        last(out, frame, AERO_ERR_SERVER);
        return;
    }
    /* validate the whole request first: a malformed batch answers only 4 */
    size_t check = off;
    bool bad = false;
    for (uint32_t i = 0; i < n_rows && !bad; i++) {
        if (len - check < 25) {
            bad = true;
            break;
        }
        uint8_t flags = p[check + 24];
        check += 25;
        if (flags & ROW_REPEAT) {
            if (!r->valid)
                bad = true;
            continue;
        }
        if (!parse_row(p, len, &check, flags, r))
            bad = true;
        /* a row in an unknown (or no) namespace refuses the whole batch */
        const ts_field *nsf = r->m.fields_by_type[AERO_FIELD_NAMESPACE];
        if (!bad && (!nsf || !ts_store_ns(&ts->store, (const char *)nsf->data, nsf->len)))
            bad = true;
        r->valid = true;
    }
    if (bad || check != len || n_rows == 0) { /* as are an empty batch and a malformed one */
        free(r->m.ops);
        free(r);
        last(out, frame, AERO_ERR_PARAMETER);
        return;
    }
    r->valid = false;
    uint8_t final_rc = 0;
    for (uint32_t i = 0; i < n_rows; i++) {
        uint32_t index = aero_get_u32be(p + off);
        const uint8_t *digest = p + off + 4;
        uint8_t flags = p[off + 24];
        off += 25;
        if (!(flags & ROW_REPEAT)) {
            parse_row(p, len, &off, flags, r);
            r->valid = true;
        }
        r->digest.type = AERO_FIELD_DIGEST;
        r->digest.data = digest;
        r->digest.len = 20;
        r->m.fields_by_type[AERO_FIELD_DIGEST] = &r->digest;
        if (!r->m.fields_by_type[AERO_FIELD_FILTER] && parent_filter)
            r->m.fields_by_type[AERO_FIELD_FILTER] = parent_filter;
        int rc = ts_kv_row(ts, &r->m, index, out);
        if (r->m.fields_by_type[AERO_FIELD_FILTER] == parent_filter)
            r->m.fields_by_type[AERO_FIELD_FILTER] = NULL;
        if (rc != 0 && rc != AERO_ERR_KEY_NOT_FOUND && rc != AERO_ERR_FILTERED_OUT && !(pflags & PARENT_ALL_KEYS)) {
            final_rc = (uint8_t)rc;
            break;
        }
        if (out->len - frame > 128 * 1024) {
            ts_frame_end(out, frame);
            frame = ts_frame_begin(out);
        }
    }
    free(r->m.ops);
    free(r);
    last(out, frame, final_rc);
}
