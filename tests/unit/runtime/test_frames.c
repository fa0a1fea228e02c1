/*
 * test_frames.c - the multi-record answer reader (runtime/src/frames.c) over a
 * socket pair: several frames written at once are read ahead and handed out
 * message by message in order, a compressed frame followed by bytes already
 * read keeps them, empty frames are skipped, and a frame split across writes
 * is waited for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frames.h"
#include "proto/compress.h"
#include "proto/msg.h"

/* One AS_MSG (22-byte header, no fields or ops) with the row index in transaction_ttl. */
static void put_msg(aero_buf *frame, uint32_t index, bool last) {
    aero_buf one;
    aero_buf__init(&one, NULL, 0);
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    h.transaction_ttl = index;
    h.info3 = last ? AERO_INFO3_LAST : 0;
    size_t at = aero_msg__begin(&one);
    aero_msg__end(&one, at, &h);
    aero_buf__put(frame, one.data + 8, one.len - 8); /* without its proto header */
    aero_buf__free(&one);
}

/* A type-3 frame of the messages with indexes first..first+n (the last one LAST if last). */
static void put_frame(aero_buf *out, uint32_t first, uint32_t n, bool last) {
    aero_buf body;
    aero_buf__init(&body, NULL, 0);
    for (uint32_t i = 0; i < n; i++)
        put_msg(&body, first + i, last && i == n - 1);
    uint8_t hdr[8];
    aero_proto__write_header(hdr, AERO_PROTO_MSG, body.len);
    aero_buf__put(out, hdr, 8);
    aero_buf__put(out, body.data, body.len);
    aero_buf__free(&body);
}

static void expect(aero_frames *f, uint32_t index, bool last) {
    aero_msg_view m;
    aero_error err;
    assert_int_equal(aero_frames__next(f, &m, "test", &err), AERO_OK);
    assert_int_equal(m.h.transaction_ttl, index);
    assert_int_equal((m.h.info3 & AERO_INFO3_LAST) != 0, last);
}

static void test_frames_in_one_write(void **state) {
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    aero_buf wire;
    aero_buf__init(&wire, NULL, 0);
    put_frame(&wire, 0, 3, false);
    uint8_t empty[8];
    aero_proto__write_header(empty, AERO_PROTO_MSG, 0);
    aero_buf__put(&wire, empty, 8); /* an empty frame in between */
    if (aero_compress__available()) {
        aero_buf plain;
        aero_buf__init(&plain, NULL, 0);
        put_frame(&plain, 3, 2, false);
        assert_int_equal(aero_compress__wrap(plain.data, plain.len, 1, &wire), AERO_OK);
        aero_buf__free(&plain);
    } else
        put_frame(&wire, 3, 2, false);
    put_frame(&wire, 5, 1, true);
    assert_int_equal(write(sv[1], wire.data, wire.len), (ssize_t)wire.len);

    aero_conn c = AERO_CONN_INIT;
    c.fd = sv[0];
    aero_frames f;
    aero_frames__init(&f);
    f.socket_timeout_ms = 1000;
    aero_frames__reset(&f, &c);
    for (uint32_t i = 0; i < 5; i++)
        expect(&f, i, false);
    expect(&f, 5, true);
    aero_frames__free(&f);
    aero_buf__free(&wire);
    close(sv[0]);
    close(sv[1]);
}

/* A frame whose second half arrives later: the reader waits for it; the next frame follows. */
static void test_frame_split_across_writes(void **state) {
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    aero_buf wire;
    aero_buf__init(&wire, NULL, 0);
    put_frame(&wire, 0, 40, false);
    put_frame(&wire, 40, 1, true);
    size_t half = 8 + 22 * 20 + 7; /* mid-message */
    assert_int_equal(write(sv[1], wire.data, half), (ssize_t)half);
    pid_t writer = fork();
    if (writer == 0) {
        usleep(50000);
        ssize_t w = write(sv[1], wire.data + half, wire.len - half);
        _exit(w == (ssize_t)(wire.len - half) ? 0 : 1);
    }
    aero_conn c = AERO_CONN_INIT;
    c.fd = sv[0];
    aero_frames f;
    aero_frames__init(&f);
    f.socket_timeout_ms = 2000;
    aero_frames__reset(&f, &c);
    for (uint32_t i = 0; i < 40; i++)
        expect(&f, i, false);
    expect(&f, 40, true);
    int status = 0;
    assert_int_equal(waitpid(writer, &status, 0), writer);
    assert_int_equal(status, 0);
    aero_frames__free(&f);
    aero_buf__free(&wire);
    close(sv[0]);
    close(sv[1]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_in_one_write),
        cmocka_unit_test(test_frame_split_across_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
