/*
 * tsclient.h - a tiny raw-socket client for the test server's own tests:
 * build AS_MSG / info requests, send them, read whole answers.
 */
#ifndef TS_TEST_CLIENT_H
#define TS_TEST_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"

/** Connect to 127.0.0.1:port with a 5 s receive timeout; -1 on failure. */
int tc_connect(uint16_t port);
/** Send all bytes; false on error. */
bool tc_send(int fd, const void *p, size_t n);
/**
 * Read one proto frame: *type and a malloc'd body (*len). Returns false on
 * EOF/timeout/error (the connection was closed).
 */
bool tc_read_frame(int fd, uint8_t *type, uint8_t **body, size_t *len);

/** Message under construction. */
typedef struct tc_msg {
    aero_buf b;
    uint16_t n_fields, n_ops;
} tc_msg;

void tc_begin(tc_msg *m, uint8_t info1, uint8_t info2, uint8_t info3, uint32_t gen, uint32_t ttl);
void tc_field(tc_msg *m, uint8_t type, const void *data, size_t len);
void tc_op(tc_msg *m, uint8_t op, uint8_t ptype, const char *name, const void *v, size_t vlen);
void tc_op_int(tc_msg *m, uint8_t op, const char *name, int64_t v);
void tc_op_str(tc_msg *m, uint8_t op, const char *name, const char *s);
/** ns, set, digest of a string key (and the key field when send_key). */
void tc_key_str(tc_msg *m, const char *ns, const char *set, const char *key, bool send_key);
/** Finish (fills the headers); the bytes are m->b.data / m->b.len. */
void tc_end(tc_msg *m);
void tc_free(tc_msg *m);

/** A parsed single answer. */
typedef struct tc_answer {
    bool closed;
    uint8_t info1, info3, result;
    uint32_t gen, void_time, txn_ttl;
    uint16_t n_fields, n_ops;
    uint8_t *body; /* owns the frame body */
    size_t len;
    const uint8_t *ops; /* first op */
} tc_answer;

/** Send a finished message on a new connection and read one AS_MSG answer. */
tc_answer tc_call(uint16_t port, tc_msg *m);
/** Find bin `name` in an answer: returns its value and sets ptype/len, or NULL. */
const uint8_t *tc_bin(const tc_answer *a, const char *name, uint8_t *ptype, uint32_t *len);
int64_t tc_bin_int(const tc_answer *a, const char *name, bool *found);
void tc_answer_free(tc_answer *a);

/** Send an info request (lines separated by '\n', each ending with '\n'); malloc'd NUL-terminated answer or NULL. */
char *tc_info(uint16_t port, const char *request);
/** Value for `name` in an info answer, malloc'd, or NULL. */
char *tc_info_value(const char *answer, const char *name);

/** Run a stream request and collect every AS_MSG of the answer (until LAST, or an error without PARTITION_DONE). */
typedef struct tc_stream {
    size_t n;
    tc_answer msgs[4200];
    bool closed;
} tc_stream;
/** Returns a malloc'd stream; free with tc_stream_free. */
tc_stream *tc_call_stream(uint16_t port, tc_msg *m);
void tc_stream_free(tc_stream *s);

#endif
