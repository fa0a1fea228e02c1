/*
 * Batch-index request encoding (protocol.md 6): the worked read request byte
 * for byte, and write rows - REPEAT for a row that differs only by its key,
 * a full row (KEY field, no REPEAT) for one that sends its key, generation
 * and TTL in the row header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"

#include <aero/key.h>

#include "batch.h"
#include "proto/msg.h"
#include "proto/wire.h"

static void expect_bytes(const aero_buf *b, const char *hex) {
    uint8_t want[1024];
    size_t n = tu_unhex(hex, strlen(hex), want, sizeof want);
    assert_true(n != (size_t)-1);
    assert_false(b->failed);
    assert_int_equal(b->len, n);
    assert_memory_equal(b->data, want, n);
}

#define HDR(size_hex) "0203" size_hex "1608000000000000000000000000000003e800010000"

static void worked_read_request(void **state) {
    (void)state;
    aero_dataset ds = aero_dataset_of("test", "demo");
    aero_key keys[2] = { aero_dataset_id_str(&ds, "key1"), aero_dataset_id_str(&ds, "key2") };
    aero_batch_cmd cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.info1 = AERO_INFO1_READ | AERO_INFO1_GET_ALL;
    aero_batch_job job = { .keys = keys, .n = 2, .cmds = &cmd, .parent_flags = 0x0D };
    uint32_t idx[2] = { 0, 1 };
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    aero_batch__encode(&b, &job, idx, 2, 1000);
    expect_bytes(&b, HDR("00000000006f") "0000005529"
                                         "000000020d"
                                         "00000000ec91192d4b7f8ce35d5d78d34bca65cbaaaac9600a030000000000000002000000000"
                                         "005007465737400000005016465"
                                         "6d6f"
                                         "00000001266fc5c994ab9d0aa1c367d99abce6d89e97708301");
    aero_buf__free(&b);
}

static void write_rows_repeat_and_send_key(void **state) {
    (void)state;
    aero_dataset ds = aero_dataset_of("test", "demo");
    aero_key keys[3] = { aero_dataset_id_str(&ds, "key1"), aero_dataset_id_str(&ds, "key2"),
                         aero_dataset_id_int(&ds, 1) };
    uint8_t ops_store[64];
    aero_buf ops;
    aero_buf__init(&ops, ops_store, sizeof ops_store);
    aero_msg_header oph;
    memset(&oph, 0, sizeof oph);
    aero_value one = aero_int(1);
    assert_int_equal(aero_msg__op_value(&ops, &oph, AERO_MSG_OP_WRITE, "a", 1, &one), AERO_OK);
    aero_batch_cmd cmds[2];
    memset(cmds, 0, sizeof cmds);
    cmds[0].info2 = AERO_INFO2_WRITE;
    cmds[0].n_ops = oph.n_ops;
    cmds[0].ops = ops.data;
    cmds[0].ops_len = ops.len;
    cmds[0].is_write = true;
    cmds[1] = cmds[0];
    cmds[1].send_key = true;
    cmds[1].info2 |= AERO_INFO2_GENERATION;
    cmds[1].gen = 7;
    cmds[1].ttl = 60;
    uint32_t cmd_of[3] = { 0, 0, 1 };
    aero_batch_job job = { .keys = keys, .n = 3, .cmds = cmds, .cmd_of = cmd_of, .parent_flags = 0x0D };
    uint32_t idx[3] = { 0, 1, 2 };
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    aero_batch__encode(&b, &job, idx, 3, 1000);
    /* row 0 full, row 1 REPEAT, row 2 full with GEN (flags 0x0e), TTL 60 and the KEY field */
    expect_bytes(&b, HDR("0000000000d7") "000000bd29"
                                         "000000030d"
                                         "00000000ec91192d4b7f8ce35d5d78d34bca65cbaaaac960"
                                         "0a000100000000000002"
                                         "0001"
                                         "000000050074657374000000050164656d6f"
                                         "0000000d02010001610000000000000001"
                                         "00000001266fc5c994ab9d0aa1c367d99abce6d89e97708301"
                                         "00000002b7f4b83889e2da67de683e1df6919a1eacc446c8"
                                         "0e0005000007"
                                         "0000003c"
                                         "0003"
                                         "0001"
                                         "000000050074657374000000050164656d6f"
                                         "0000000a0201"
                                         "0000000000000001"
                                         "0000000d02010001610000000000000001");
    aero_buf__free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_read_request),
        cmocka_unit_test(write_rows_repeat_and_send_key),
    };
    return cmocka_run_group_tests_name("proto-batch", tests, NULL, NULL);
}
