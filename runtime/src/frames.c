/* frames.c - see frames.h. */
#include "frames.h"

#include <string.h>

#include "internal.h"
#include "proto/compress.h"
#include "proto/wire.h"

void aero_frames__init(aero_frames *f) {
    f->conn = NULL;
    f->socket_timeout_ms = 0;
    f->total_deadline = UINT64_MAX;
    aero_buf__init(&f->buf, NULL, 0);
    f->start = f->end = f->pos = 0;
    f->msg = NULL;
    f->msg_len = 0;
}

void aero_frames__reset(aero_frames *f, aero_conn *conn) {
    f->conn = conn;
    aero_buf__reset(&f->buf);
    f->start = f->end = f->pos = 0;
}

void aero_frames__free(aero_frames *f) { aero_buf__free(&f->buf); }

static uint64_t read_deadline(const aero_frames *f) {
    uint64_t d = f->socket_timeout_ms ? aero_deadline_after_ms(f->socket_timeout_ms) : UINT64_MAX;
    return d < f->total_deadline ? d : f->total_deadline;
}

/*
 * The current frame [start, end) is a type-4 body: replace it by the body of
 * the type-3 message it wraps, keeping the bytes read ahead after it.
 */
static aero_status inflate_frame(aero_frames *f, const char *peer, aero_error *err) {
    aero_buf z;
    aero_buf__init(&z, NULL, 0);
    aero_status st =
        aero_compress__unwrap(f->buf.data + f->start, f->end - f->start, (size_t)AERO_PROTO_SIZE_MAX + 8, &z);
    if (st == AERO_OK) {
        size_t ahead = f->buf.len - f->end;
        aero_buf__put(&z, f->buf.data + f->end, ahead); /* z: 8-byte header, body, then the bytes ahead */
        aero_buf__reset(&f->buf);
        aero_buf__put(&f->buf, z.data + 8, z.len - 8);
        if (f->buf.failed)
            st = AERO_ERR_NO_MEMORY;
        f->start = f->pos = 0;
        f->end = f->buf.len - ahead;
    }
    aero_buf__free(&z);
    if (st != AERO_OK)
        return aero_err__set(err, st, "malformed compressed frame in an answer from %s", peer);
    return AERO_OK;
}

/* At least `need` bytes in buf (from its start), reading up to AERO_FRAMES_READ_AHEAD more if they are there. */
static aero_status fill(aero_frames *f, size_t need, aero_error *err) {
    size_t have = f->buf.len;
    if (have >= need)
        return AERO_OK;
    size_t want = need - have + AERO_FRAMES_READ_AHEAD;
    uint8_t *dst = aero_buf__append(&f->buf, want);
    if (!dst) {
        f->buf.len = have;
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a %zu-byte frame", need);
    }
    size_t got = 0;
    aero_status st = aero_conn__read_some(f->conn, dst, need - have, want, &got, read_deadline(f), err);
    f->buf.len = have + got;
    return st;
}

aero_status aero_frames__next(aero_frames *f, aero_msg_view *m, const char *peer, aero_error *err) {
    while (f->pos >= f->end) {
        size_t ahead = f->buf.len - f->end; /* the next frame's first bytes, if read already */
        if (ahead && f->end)
            memmove(f->buf.data, f->buf.data + f->end, ahead);
        f->buf.len = ahead;
        f->start = f->end = f->pos = 0;
        aero_status st = fill(f, 8, err);
        if (st != AERO_OK)
            return st;
        uint8_t type;
        uint64_t size;
        if (aero_proto__read_header(f->buf.data, &type, &size) != AERO_OK ||
            (type != AERO_PROTO_MSG && type != AERO_PROTO_COMPRESSED))
            return aero_err__set(err, AERO_ERR_PROTOCOL, "bad frame header in an answer from %s", peer);
        if ((st = fill(f, 8 + (size_t)size, err)) != AERO_OK)
            return st;
        f->start = f->pos = 8;
        f->end = 8 + (size_t)size;
        if (size && type == AERO_PROTO_COMPRESSED && (st = inflate_frame(f, peer, err)) != AERO_OK)
            return st;
    }
    size_t used = 0;
    if (aero_msg__parse(f->buf.data + f->pos, f->end - f->pos, m, &used) != AERO_OK)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "malformed message in an answer from %s", peer);
    f->msg = f->buf.data + f->pos;
    f->msg_len = used;
    f->pos += used;
    return AERO_OK;
}
