/*
 * frames.h - read a multi-record answer (batch, query) one AS_MSG at a time.
 * Frames are read whole into one reused buffer, with what follows them as
 * far as one read gives it (up to AERO_FRAMES_READ_AHEAD bytes more), so
 * a batch answer usually takes one read; messages are parsed in place.
 * Not installed.
 */
#ifndef AERO_FRAMES_H
#define AERO_FRAMES_H

#include "net/conn.h"
#include "proto/buf.h"
#include "proto/msg.h"

typedef struct aero_frames {
    aero_conn *conn;
    uint32_t socket_timeout_ms; /* per read; 0 = none */
    uint64_t total_deadline;    /* absolute, UINT64_MAX = none */
    aero_buf buf;               /* the current frame's body at [start, end), then bytes read ahead */
    size_t start, end, pos;
    const uint8_t *msg; /* bytes of the message aero_frames__next() gave last */
    size_t msg_len;
} aero_frames;

/** Most bytes read past the frame being completed. */
#define AERO_FRAMES_READ_AHEAD 16384

void aero_frames__init(aero_frames *f);
/** Forget the buffered frame (keeps the buffer for reuse). */
void aero_frames__reset(aero_frames *f, aero_conn *conn);
void aero_frames__free(aero_frames *f);
/**
 * Next message of the answer in *m (valid until the next call). Reads
 * frames as needed, skipping empty ones. `peer` names the node in errors.
 */
aero_status aero_frames__next(aero_frames *f, aero_msg_view *m, const char *peer, aero_error *err);

#endif
