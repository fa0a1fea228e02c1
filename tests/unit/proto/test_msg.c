/*
 * AS_MSG codec: digests and partition ids of protocol.md 4, the worked
 * requests of 5.4 built byte for byte, the filter field, a response decoded,
 * particles, and hostile messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "testutil.h"

#include <aero/record.h>

#include "cmd_key.h"
#include "proto/digest.h"
#include "proto/exp_ops.h"
#include "proto/msg.h"
#include "proto/msgpack.h"

/* ------------------------------------------------------------ digests (§4) */

typedef struct digest_row {
    const char *set;
    uint8_t type;
    const char *key_hex; /* key bytes as hashed */
    const char *digest;
    uint16_t pid;
} digest_row;

static void digests_and_partition_ids(void **state) {
    (void)state;
    static const digest_row rows[] = {
        { "demo", 3, "6b657931", "ec91192d4b7f8ce35d5d78d34bca65cbaaaac960", 492 },
        { "demo", 1, "0000000000000001", "b7f4b83889e2da67de683e1df6919a1eacc446c8", 1207 },
        { "demo", 1, "ffffffffffffffff", "e9d49a24c3debdc5a6d551d3e7087999a263bb97", 1257 },
        { "", 4, "010203", "140e190b92781152349a3c6f2270ff3fb61a297b", 3604 },
        { "test", 3, "68656c6c6f", "adc03a48e7969ecb3674b4065b35b9fe0ea3bd50", 173 },
        { "set", 1, "ffffffffffffffff", "22116d253745e29fc63fdf760b6e26f7e197e01d", 290 },
        { "set", 3, "", "2819b1ff6e346a43b4f5f6b77a88bc3eaac22a83", 2344 },
        { "set", 4, "", "327e2877b8815c7aeede0d5a8620d4ef8df4a4b4", 3634 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        uint8_t key[16], d[20];
        size_t kn = tu_unhex(rows[i].key_hex, strlen(rows[i].key_hex), key, sizeof key);
        assert_true(kn != (size_t)-1);
        assert_true(aero_digest__compute(rows[i].set, strlen(rows[i].set), rows[i].type, key, kn, d));
        assert_bytes_hex(d, 20, rows[i].digest);
        assert_int_equal(aero_partition__id(d), rows[i].pid);
    }
}

/* -------------------------------------------------- worked requests (§5.4) */

#define NS_SET_DIGEST            \
    "00 00 00 05 00 74 65 73 74" \
    "00 00 00 05 01 64 65 6d 6f" \
    "00 00 00 15 04 ec 91 19 2d 4b 7f 8c e3 5d 5d 78 d3 4b ca 65 cb aa aa c9 60"

typedef struct req {
    uint8_t stack[128];
    aero_buf b;
    aero_msg_header h;
    size_t start;
} req;

/* Begin a request for test/demo/"key1" with the given header and the three key fields. */
static void begin_key1(req *r, uint8_t info1, uint8_t info2, uint32_t ttl) {
    aero_buf__init(&r->b, r->stack, sizeof r->stack);
    memset(&r->h, 0, sizeof r->h);
    r->h.info1 = info1;
    r->h.info2 = info2;
    r->h.record_ttl = ttl;
    r->h.transaction_ttl = 1000;
    uint8_t d[20];
    assert_true(aero_digest__compute("demo", 4, 3, "key1", 4, d));
    r->start = aero_msg__begin(&r->b);
    aero_msg__field(&r->b, &r->h, AERO_FIELD_NAMESPACE, "test", 4);
    aero_msg__field(&r->b, &r->h, AERO_FIELD_SETNAME, "demo", 4);
    aero_msg__field(&r->b, &r->h, AERO_FIELD_DIGEST, d, 20);
}

static void end_and_check(req *r, const char *hex) {
    assert_int_equal(aero_msg__end(&r->b, r->start, &r->h), AERO_OK);
    assert_bytes_hex(r->b.data, r->b.len, hex);
    /* whatever we build, our reader accepts */
    aero_msg_view m;
    size_t used = 0;
    assert_int_equal(aero_msg__parse(r->b.data + 8, r->b.len - 8, &m, &used), AERO_OK);
    assert_int_equal(used, r->b.len - 8);
    assert_int_equal(m.h.n_fields, r->h.n_fields);
    assert_int_equal(m.h.n_ops, r->h.n_ops);
    aero_buf__free(&r->b);
}

static void get_all_bins(void **state) {
    (void)state;
    req r;
    begin_key1(&r, AERO_INFO1_READ | AERO_INFO1_GET_ALL, 0, 0);
    end_and_check(&r, "02 03 00 00 00 00 00 41"
                      "16 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 e8 00 03 00 00" NS_SET_DIGEST);
}

static void put_with_send_key(void **state) {
    (void)state;
    req r;
    begin_key1(&r, 0, AERO_INFO2_WRITE, 0);
    aero_msg__field_header(&r.b, &r.h, AERO_FIELD_KEY, 5);
    aero_buf__put_u8(&r.b, AERO_PT_STRING);
    aero_buf__put(&r.b, "key1", 4);
    aero_value name = aero_str("Bob"), age = aero_int(25);
    assert_int_equal(aero_msg__op_value(&r.b, &r.h, AERO_MSG_OP_WRITE, "name", 4, &name), AERO_OK);
    assert_int_equal(aero_msg__op_value(&r.b, &r.h, AERO_MSG_OP_WRITE, "age", 3, &age), AERO_OK);
    assert_int_equal(r.b.len, 117);
    assert_ptr_equal(r.b.data, r.stack); /* fits the caller's storage: no allocation */
    end_and_check(&r, "02 03 00 00 00 00 00 6d"
                      "16 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 03 e8 00 04 00 02" NS_SET_DIGEST
                      "00 00 00 06 02 03 6b 65 79 31"
                      "00 00 00 0b 02 03 00 04 6e 61 6d 65 42 6f 62"
                      "00 00 00 0f 02 01 00 03 61 67 65 00 00 00 00 00 00 00 19");
}

/* The key fields every command starts with, as aero_cmd__key_fields writes them in one go. */
static void key_fields_of_a_key(void **state) {
    (void)state;
    aero_dataset ds = aero_dataset_of("test", "demo");
    aero_key k = aero_dataset_id_str(&ds, "key1");
    uint8_t want[128], stack[128];
    size_t n = tu_unhex(NS_SET_DIGEST "00 00 00 06 02 03 6b 65 79 31", SIZE_MAX, want, sizeof want);
    for (int send_key = 0; send_key < 2; send_key++) {
        aero_buf b;
        aero_buf__init(&b, stack, sizeof stack);
        aero_msg_header h = { .n_fields = 0 };
        aero_cmd__key_fields(&b, &h, &k, send_key);
        assert_false(b.failed);
        assert_int_equal(h.n_fields, 3 + send_key);
        assert_int_equal(b.len, send_key ? n : n - 10);
        assert_memory_equal(b.data, want, b.len);
    }
    /* no set: an empty set field; an int key sent as 9 bytes */
    aero_dataset noset = aero_dataset_of("test", NULL);
    aero_key ki = aero_dataset_id_int(&noset, 1);
    aero_buf b;
    aero_buf__init(&b, stack, sizeof stack);
    aero_msg_header h = { .n_fields = 0 };
    aero_cmd__key_fields(&b, &h, &ki, true);
    n = tu_unhex("00 00 00 05 00 74 65 73 74 00 00 00 01 01 00 00 00 15 04", SIZE_MAX, want, sizeof want);
    assert_int_equal(b.len, n + 20 + 14);
    assert_memory_equal(b.data, want, n);
    assert_memory_equal(b.data + n, ki.digest, 20);
    n = tu_unhex("00 00 00 0a 02 01 00 00 00 00 00 00 00 01", SIZE_MAX, want, sizeof want);
    assert_memory_equal(b.data + b.len - n, want, n);
    assert_int_equal(h.n_fields, 4);
    /* a failed buffer stays failed and counts nothing */
    aero_buf__init(&b, stack, sizeof stack);
    b.failed = true;
    h.n_fields = 0;
    aero_cmd__key_fields(&b, &h, &k, false);
    assert_true(b.failed);
    assert_int_equal(b.len, 0);
    assert_int_equal(h.n_fields, 0);
    /* too many fields already: the buffer fails instead of wrapping the count */
    aero_buf__init(&b, stack, sizeof stack);
    h.n_fields = UINT16_MAX - 1;
    aero_cmd__key_fields(&b, &h, &k, false);
    assert_true(b.failed);
    assert_int_equal(h.n_fields, UINT16_MAX - 1);
}

static void get_one_bin_exists_delete_touch(void **state) {
    (void)state;
    req r;
    begin_key1(&r, AERO_INFO1_READ, 0, 0);
    aero_msg__op(&r.b, &r.h, AERO_MSG_OP_READ, 0, "name", 4, NULL, 0);
    end_and_check(&r, "02 03 00 00 00 00 00 4d"
                      "16 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 e8 00 03 00 01" NS_SET_DIGEST
                      "00 00 00 08 01 00 00 04 6e 61 6d 65");

    begin_key1(&r, AERO_INFO1_READ | AERO_INFO1_NOBINDATA, 0, 0);
    end_and_check(&r, "02 03 00 00 00 00 00 41"
                      "16 21 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 e8 00 03 00 00" NS_SET_DIGEST);

    begin_key1(&r, 0, AERO_INFO2_WRITE | AERO_INFO2_DELETE | AERO_INFO2_DURABLE_DELETE, 0);
    end_and_check(&r, "02 03 00 00 00 00 00 41"
                      "16 00 13 00 00 00 00 00 00 00 00 00 00 00 00 00 03 e8 00 03 00 00" NS_SET_DIGEST);

    begin_key1(&r, 0, AERO_INFO2_WRITE, 3600);
    aero_msg__op(&r.b, &r.h, AERO_MSG_OP_TOUCH, 0, "", 0, NULL, 0);
    end_and_check(&r, "02 03 00 00 00 00 00 49"
                      "16 00 01 00 00 00 00 00 00 00 00 00 0e 10 00 00 03 e8 00 03 00 01" NS_SET_DIGEST
                      "00 00 00 04 0b 00 00 00");
}

static void get_with_filter_field(void **state) {
    (void)state;
    req r;
    begin_key1(&r, AERO_INFO1_READ | AERO_INFO1_GET_ALL, 0, 0);
    /* bin("age") > 21 packed with the msgpack writer into a scratch buffer */
    uint8_t tmp[32];
    aero_buf e;
    aero_buf__init(&e, tmp, sizeof tmp);
    aero_mp__pack_array_header(&e, 3);
    aero_mp__pack_int(&e, AERO_EXP_OP_GT);
    aero_mp__pack_array_header(&e, 3);
    aero_mp__pack_int(&e, AERO_EXP_OP_BIN);
    aero_mp__pack_int(&e, AERO_EXP_TYPE_INT);
    aero_mp__pack_raw_str(&e, "age", 3);
    aero_mp__pack_int(&e, 21); /* opcode-lint: the value 21 */
    assert_false(e.failed);
    aero_msg__field(&r.b, &r.h, AERO_FIELD_FILTER, e.data, e.len);
    end_and_check(&r, "02 03 00 00 00 00 00 50"
                      "16 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 e8 00 04 00 00" NS_SET_DIGEST
                      "00 00 00 0b 2b 93 03 93 51 02 a3 61 67 65 15");
}

static void op_value_particles(void **state) {
    (void)state;
    uint8_t stack[16];
    aero_buf b;
    aero_buf__init(&b, stack, sizeof stack); /* small on purpose: forces growth mid-op */
    aero_msg_header h = { 0 };
    aero_value items[] = { aero_int(1), aero_str("x"), aero_int(-3) };
    aero_map_entry me[] = { { aero_str("k"), aero_int(1) } };
    aero_value vals[] = {
        aero_bool(true), aero_blob("\x00\x01\xff", 3), aero_double(-0.5),
        aero_int(-7),    aero_list(items, 3),          aero_map(me, 1),
        aero_str(""),    aero_geojson("{}"),           aero_nil(),
    };
    const char *names[] = { "b", "blob", "d", "neg", "l", "m", "empty", "g", "gone" };
    for (size_t i = 0; i < 9; i++)
        assert_int_equal(aero_msg__op_value(&b, &h, AERO_MSG_OP_WRITE, names[i], strlen(names[i]), &vals[i]), AERO_OK);
    assert_int_equal(h.n_ops, 9);
    /* the first seven are the ops of the types-roundtrip put of kv-basics.jsonl */
    assert_bytes_hex(b.data, b.len,
                     "000000060211000162010000000b02040004626c6f620001ff0000000d0202000164bfe00000000000000000000f0201"
                     "00036e6567fffffffffffffff90000000b021400016c9301a20378fd0000000a021300016d81a2036b01000000090203"
                     "0005656d707479"
                     "00 00 00 0a 02 17 00 01 67 00 00 00 7b 7d"
                     "00 00 00 08 02 00 00 04 67 6f 6e 65");

    /* values that cannot be bins leave the buffer and the count untouched */
    size_t len = b.len;
    aero_value w = aero_wildcard(), inf = aero_infinity();
    assert_int_equal(aero_msg__op_value(&b, &h, AERO_MSG_OP_WRITE, "w", 1, &w), AERO_ERR_PARAM);
    assert_int_equal(aero_msg__op_value(&b, &h, AERO_MSG_OP_WRITE, "w", 1, &inf), AERO_ERR_PARAM);
    aero_value chain[AERO_MP_MAX_DEPTH + 2];
    chain[0] = aero_int(1);
    for (int i = 1; i < AERO_MP_MAX_DEPTH + 2; i++)
        chain[i] = aero_list(&chain[i - 1], 1);
    assert_int_equal(aero_msg__op_value(&b, &h, AERO_MSG_OP_WRITE, "deep", 4, &chain[AERO_MP_MAX_DEPTH + 1]),
                     AERO_ERR_PARAM);
    assert_int_equal(b.len, len);
    assert_int_equal(h.n_ops, 9);
    assert_false(b.failed);
    aero_buf__free(&b);

    /* names of every length class the op writer copies differently (1, 5, 13, 20 bytes), and an HLL */
    aero_buf__init(&b, stack, sizeof stack);
    memset(&h, 0, sizeof h);
    aero_value hll = aero_blob("\x01\x02", 2);
    hll.type = AERO_HLL;
    assert_int_equal(aero_msg__op_value(&b, &h, AERO_MSG_OP_WRITE, "h", 1, &hll), AERO_OK);
    aero_msg__op(&b, &h, AERO_MSG_OP_READ, AERO_PT_NULL, "abcde", 5, NULL, 0);
    aero_msg__op(&b, &h, AERO_MSG_OP_READ, AERO_PT_NULL, "abcdefghijklm", 13, NULL, 0);
    aero_msg__op(&b, &h, AERO_MSG_OP_WRITE, AERO_PT_BLOB, "abcdefghijklmnopqrst", 20, "z", 1);
    assert_int_equal(h.n_ops, 4);
    assert_bytes_hex(b.data, b.len,
                     "00 00 00 07 02 12 00 01 68 01 02"
                     "00 00 00 09 01 00 00 05 61 62 63 64 65"
                     "00 00 00 11 01 00 00 0d 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d"
                     "00 00 00 19 02 04 00 14 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 71 72 73 74 7a");
    aero_buf__free(&b);
}

static void end_reports_failures(void **state) {
    (void)state;
    uint8_t stack[64];
    aero_buf b;
    aero_buf__init(&b, stack, sizeof stack);
    aero_msg_header h = { 0 };
    size_t s = aero_msg__begin(&b);
    aero_msg__op(&b, &h, AERO_MSG_OP_READ, 0, "x", 300, NULL, 0); /* name too long */
    assert_int_equal(aero_msg__end(&b, s, &h), AERO_ERR_NO_MEMORY);
    aero_buf__reset(&b);
    s = aero_msg__begin(&b);
    aero_msg__field(&b, &h, 0, NULL, AERO_BUF_MAX); /* cannot fit */
    assert_true(b.failed);
    assert_int_equal(aero_msg__end(&b, s, &h), AERO_ERR_NO_MEMORY);
    /* the header counts are u16: op 65536 cannot be counted */
    aero_buf__reset(&b);
    memset(&h, 0, sizeof h);
    s = aero_msg__begin(&b);
    for (int i = 0; i < UINT16_MAX; i++)
        aero_msg__op(&b, &h, AERO_MSG_OP_READ, 0, "", 0, NULL, 0);
    assert_int_equal(h.n_ops, UINT16_MAX);
    assert_int_equal(aero_msg__end(&b, s, &h), AERO_OK);
    aero_msg__op(&b, &h, AERO_MSG_OP_READ, 0, "", 0, NULL, 0);
    assert_int_equal(h.n_ops, UINT16_MAX);
    assert_int_equal(aero_msg__end(&b, s, &h), AERO_ERR_NO_MEMORY);
    aero_buf__free(&b);
}

/* ------------------------------------------------------------ proto header */

static void proto_header(void **state) {
    (void)state;
    uint8_t hdr[8], type;
    uint64_t size;
    aero_proto__write_header(hdr, AERO_PROTO_MSG, 0x41);
    assert_bytes_hex(hdr, 8, "02 03 00 00 00 00 00 41");
    assert_int_equal(aero_proto__read_header(hdr, &type, &size), AERO_OK);
    assert_int_equal(type, 3);
    assert_int_equal(size, 0x41);
    aero_proto__write_header(hdr, AERO_PROTO_INFO, AERO_PROTO_SIZE_MAX);
    assert_int_equal(aero_proto__read_header(hdr, &type, &size), AERO_OK);
    assert_int_equal(size, AERO_PROTO_SIZE_MAX);
    aero_proto__write_header(hdr, AERO_PROTO_INFO, AERO_PROTO_SIZE_MAX + 1ull);
    assert_int_equal(aero_proto__read_header(hdr, &type, &size), AERO_ERR_PROTOCOL);
    static const uint8_t huge[8] = { 2, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    assert_int_equal(aero_proto__read_header(huge, &type, &size), AERO_ERR_PROTOCOL);
    static const uint8_t v1[8] = { 1, 3, 0, 0, 0, 0, 0, 0x16 };
    assert_int_equal(aero_proto__read_header(v1, &type, &size), AERO_ERR_PROTOCOL);
    static const uint8_t v0[8] = { 0, 2, 0, 0, 0, 0, 0, 0x16 };
    assert_int_equal(aero_proto__read_header(v0, &type, &size), AERO_ERR_PROTOCOL);
}

/* ---------------------------------------------------------------- reading */

static void get_response_decoded(void **state) {
    (void)state;
    /* upsert-then-get answer from kv-basics.jsonl, two copies back to back as in a stream */
    static const char *one =
        "160000000000000000010000000000000000000000020000000d010300046e616d65416c6963650000000f01010003616765"
        "000000000000001e";
    uint8_t in[256];
    size_t n = tu_unhex(one, strlen(one), in, sizeof in);
    memcpy(in + n, in, n);
    aero_arena *arena = aero_arena__new();
    size_t off = 0;
    for (int copy = 0; copy < 2; copy++) {
        aero_msg_view m;
        size_t used;
        assert_int_equal(aero_msg__parse(in + off, 2 * n - off, &m, &used), AERO_OK);
        assert_int_equal(used, n);
        assert_int_equal(m.h.result_code, 0);
        assert_int_equal(m.h.generation, 1);
        assert_int_equal(m.h.record_ttl, 0);
        assert_int_equal(aero_msg__ttl_from_void_time(m.h.record_ttl, 500000000), AERO_TTL_NEVER);
        assert_int_equal(m.h.n_fields, 0);
        assert_int_equal(m.h.n_ops, 2);
        aero_msg_iter it;
        aero_field_view fv = { 0 };
        aero_msg__fields(&m, &it);
        assert_false(aero_msg__next_field(&it, &fv));
        aero_op_view op = { 0 };
        aero_value v;
        aero_msg__ops(&m, &it);
        assert_true(aero_msg__next_op(&it, &op));
        assert_int_equal(op.op, AERO_MSG_OP_READ);
        assert_int_equal(op.name_len, 4);
        assert_memory_equal(op.name, "name", 4);
        assert_int_equal(aero_particle__decode(op.ptype, op.value, op.value_len, arena, &v), AERO_OK);
        assert_int_equal(v.type, AERO_STR);
        assert_string_equal(v.v.str.ptr, "Alice");
        assert_true(aero_msg__next_op(&it, &op));
        assert_memory_equal(op.name, "age", 3);
        assert_int_equal(aero_particle__decode(op.ptype, op.value, op.value_len, arena, &v), AERO_OK);
        assert_int_equal(v.type, AERO_INT);
        assert_int_equal(v.v.i, 30);
        assert_false(aero_msg__next_op(&it, &op));
        off += used;
        aero_arena__reset(arena);
    }
    assert_int_equal(off, 2 * n);
    aero_arena__free(arena);
}

static void fields_in_response(void **state) {
    (void)state;
    /* a scan record: ns, set, digest fields and one bin */
    uint8_t stack[128];
    aero_buf b;
    aero_buf__init(&b, stack, sizeof stack);
    aero_msg_header h = { .info3 = 0, .generation = 4, .record_ttl = 100 };
    size_t s = aero_msg__begin(&b);
    aero_msg__field(&b, &h, AERO_FIELD_NAMESPACE, "test", 4);
    aero_msg__field(&b, &h, AERO_FIELD_SETNAME, "", 0);
    aero_msg__field_u32(&b, &h, AERO_FIELD_SOCKET_TIMEOUT, 0xdeadbeef);
    aero_msg__field_u64(&b, &h, AERO_FIELD_TASK_ID, 0x0102030405060708ull);
    aero_msg__op(&b, &h, AERO_MSG_OP_READ, AERO_PT_INTEGER, "n", 1, "\x05", 1);
    assert_int_equal(aero_msg__end(&b, s, &h), AERO_OK);
    aero_msg_view m;
    assert_int_equal(aero_msg__parse(b.data + 8, b.len - 8, &m, NULL), AERO_OK);
    aero_msg_iter it;
    aero_field_view f = { 0 };
    aero_msg__fields(&m, &it);
    assert_true(aero_msg__next_field(&it, &f));
    assert_int_equal(f.type, 0);
    assert_int_equal(f.len, 4);
    assert_memory_equal(f.data, "test", 4);
    assert_true(aero_msg__next_field(&it, &f));
    assert_int_equal(f.type, 1);
    assert_int_equal(f.len, 0);
    assert_true(aero_msg__next_field(&it, &f));
    assert_int_equal(f.len, 4);
    assert_int_equal(aero_get_u32be(f.data), 0xdeadbeef);
    assert_true(aero_msg__next_field(&it, &f));
    assert_int_equal(aero_get_u64be(f.data), 0x0102030405060708ull);
    assert_false(aero_msg__next_field(&it, &f));
    aero_op_view op = { 0 };
    aero_msg__ops(&m, &it);
    assert_true(aero_msg__next_op(&it, &op));
    assert_int_equal(op.value_len, 1);
    aero_value v;
    assert_int_equal(aero_particle__decode(op.ptype, op.value, op.value_len, NULL, &v), AERO_OK);
    assert_int_equal(v.v.i, 5);
    assert_int_equal(aero_msg__ttl_from_void_time(m.h.record_ttl, 40), 60);
    assert_int_equal(aero_msg__ttl_from_void_time(m.h.record_ttl, 100), 1);
    assert_int_equal(aero_msg__ttl_from_void_time(m.h.record_ttl, 400), 1);
    aero_buf__free(&b);
}

static void particles(void **state) {
    (void)state;
    aero_arena *a = aero_arena__new();
    aero_value v;
    static const struct {
        const char *hex;
        int64_t want;
    } ints[] = {
        { "", 0 },
        { "ff", -1 },
        { "7f", 127 },
        { "80 00", -32768 },
        { "00 80", 128 },
        { "ff ff ff", -1 },
        { "00 00 00 00 00 00 00 19", 25 },
        { "80 00 00 00 00 00 00 00", INT64_MIN },
        { "ff ff ff ff ff ff f9", -7 },
    };
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        uint8_t p[8];
        size_t n = tu_unhex(ints[i].hex, strlen(ints[i].hex), p, sizeof p);
        assert_int_equal(aero_particle__decode(AERO_PT_INTEGER, p, n, a, &v), AERO_OK);
        assert_int_equal(v.type, AERO_INT);
        assert_true(v.v.i == ints[i].want);
    }
    uint8_t nine[9] = { 0 };
    assert_int_equal(aero_particle__decode(AERO_PT_INTEGER, nine, 9, a, &v), AERO_ERR_PROTOCOL);
    assert_int_equal(aero_particle__decode(AERO_PT_FLOAT, nine, 7, a, &v), AERO_ERR_PROTOCOL);
    assert_int_equal(aero_particle__decode(AERO_PT_BOOL, nine, 0, a, &v), AERO_ERR_PROTOCOL);
    assert_int_equal(aero_particle__decode(AERO_PT_BOOL, (const uint8_t *)"\x01", 1, a, &v), AERO_OK);
    assert_true(v.type == AERO_BOOL && v.v.b);

    /* geojson from the server may carry cells, which are skipped */
    uint8_t geo[32];
    size_t gn = tu_unhex("00 00 02 11 11 11 11 11 11 11 11 22 22 22 22 22 22 22 22 7b 7d", SIZE_MAX, geo, sizeof geo);
    assert_int_equal(aero_particle__decode(AERO_PT_GEOJSON, geo, gn, a, &v), AERO_OK);
    assert_int_equal(v.type, AERO_GEOJSON);
    assert_string_equal(v.v.str.ptr, "{}");
    assert_int_equal(aero_particle__decode(AERO_PT_GEOJSON, geo, gn - 3, a, &v), AERO_ERR_PROTOCOL);
    assert_int_equal(aero_particle__decode(AERO_PT_GEOJSON, geo, 2, a, &v), AERO_ERR_PROTOCOL);
    geo[1] = 0xff; /* 65280+ cells declared */
    assert_int_equal(aero_particle__decode(AERO_PT_GEOJSON, geo, gn, a, &v), AERO_ERR_PROTOCOL);

    /* unknown and language blob types are blobs over the input */
    static const uint8_t raw[] = { 9, 8, 7 };
    assert_int_equal(aero_particle__decode(16, raw, 3, a, &v), AERO_OK);
    assert_int_equal(v.type, AERO_BLOB);
    assert_ptr_equal(v.v.bytes.ptr, raw);
    assert_int_equal(aero_particle__decode(7, raw, 3, a, &v), AERO_OK);
    assert_int_equal(v.type, AERO_BLOB);
    assert_int_equal(aero_particle__decode(AERO_PT_HLL, raw, 3, a, &v), AERO_OK);
    assert_int_equal(v.type, AERO_HLL);

    /* list and map particles must be exactly one value of their kind */
    static const uint8_t list[] = { 0x92, 0x01, 0x02 };
    assert_int_equal(aero_particle__decode(AERO_PT_LIST, list, 3, a, &v), AERO_OK);
    assert_int_equal(v.v.list.count, 2);
    assert_int_equal(aero_particle__decode(AERO_PT_MAP, list, 3, a, &v), AERO_ERR_PROTOCOL);
    static const uint8_t trailing[] = { 0x91, 0x01, 0x02 };
    assert_int_equal(aero_particle__decode(AERO_PT_LIST, trailing, 3, a, &v), AERO_ERR_PROTOCOL);
    assert_int_equal(aero_particle__decode(AERO_PT_LIST, trailing, 1, a, &v), AERO_ERR_PROTOCOL);
    aero_arena__free(a);
}

/* -------------------------------------------------------- hostile messages */

static void hostile_messages(void **state) {
    (void)state;
    static const char *bad[] = {
        /* truncated headers */
        "",
        "16",
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
        /* header_sz not 22 */
        "15 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
        /* one field declared, none present */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00",
        /* field length past the end */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00  00 00 00 06 00 74 65 73 74",
        /* huge declared field length */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00  ff ff ff ff 00 74 65 73 74",
        /* field size 0 (must at least hold the type byte) */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00  00 00 00 00",
        /* field size word truncated */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00  00 00 00",
        /* op size < 4 + name_len */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01  00 00 00 05 01 01 00 04 6e 61 6d 65",
        /* op size < 4 */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01  00 00 00 03 01 01 00 00",
        /* op header truncated */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01  00 00 00 04 01 01 00",
        /* op value past the end */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01  00 00 00 10 01 01 00 01 61 00",
        /* huge op size */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01  ff ff ff ff 01 01 00 01 61 00",
        /* n_ops larger than the data: 2 declared, 1 present */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02  00 00 00 05 01 00 00 01 61",
        /* n_fields 65535 */
        "16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff ff 00 00  00 00 00 01 00",
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        uint8_t in[128];
        size_t n = tu_unhex(bad[k], strlen(bad[k]), in, sizeof in);
        assert_true(n != (size_t)-1);
        /* give the parser an exact-size heap copy so ASan sees any overread */
        uint8_t *p = malloc(n ? n : 1);
        memcpy(p, in, n);
        aero_msg_view m;
        size_t used = 12345;
        if (aero_msg__parse(p, n, &m, &used) != AERO_ERR_PROTOCOL)
            fail_msg("parse accepted case %zu", k);
        assert_int_equal(used, 12345);
        /* the single-answer parse leaves ops to the walk: it refuses the message, or the walk ends incomplete */
        if (aero_msg__parse_single(p, n, &m) == AERO_OK) {
            aero_msg_iter it;
            aero_op_view op = { 0 };
            aero_msg__ops(&m, &it);
            while (aero_msg__next_op(&it, &op))
                assert_true(op.value + op.value_len <= p + n);
            if (aero_msg__iter_complete(&it))
                fail_msg("parse_single + walk accepted case %zu", k);
        }
        free(p);
    }
    /* parse_single: bytes after a message that counts no ops; a complete walk of a good one */
    {
        uint8_t in[64];
        size_t n =
            tu_unhex("16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  00", SIZE_MAX, in, sizeof in);
        aero_msg_view m;
        assert_int_equal(aero_msg__parse_single(in, n, &m), AERO_ERR_PROTOCOL);
        assert_int_equal(aero_msg__parse_single(in, n - 1, &m), AERO_OK);
        n = tu_unhex("16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01  00 00 00 05 01 00 00 01 61",
                     SIZE_MAX, in, sizeof in);
        assert_int_equal(aero_msg__parse_single(in, n, &m), AERO_OK);
        aero_msg_iter it;
        aero_op_view op = { 0 };
        aero_msg__ops(&m, &it);
        assert_true(aero_msg__next_op(&it, &op));
        assert_memory_equal(op.name, "a", 1);
        assert_false(aero_msg__next_op(&it, &op));
        assert_true(aero_msg__iter_complete(&it));
        /* the same op followed by a stray byte: the walk is not complete */
        in[n] = 0;
        assert_int_equal(aero_msg__parse_single(in, n + 1, &m), AERO_OK);
        aero_msg__ops(&m, &it);
        assert_true(aero_msg__next_op(&it, &op));
        assert_false(aero_msg__next_op(&it, &op));
        assert_false(aero_msg__iter_complete(&it));
    }
    /* control: the last good prefix of the op cases parses */
    uint8_t ok[40];
    size_t n = tu_unhex("16 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01  00 00 00 05 01 00 00 01 61",
                        SIZE_MAX, ok, sizeof ok);
    size_t used;
    assert_int_equal(aero_msg__parse(ok, n, NULL, &used), AERO_OK);
    assert_int_equal(used, n);
    assert_int_equal(aero_msg__parse(NULL, 0, NULL, &used), AERO_ERR_PROTOCOL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digests_and_partition_ids),
        cmocka_unit_test(get_all_bins),
        cmocka_unit_test(put_with_send_key),
        cmocka_unit_test(key_fields_of_a_key),
        cmocka_unit_test(get_one_bin_exists_delete_touch),
        cmocka_unit_test(get_with_filter_field),
        cmocka_unit_test(op_value_particles),
        cmocka_unit_test(end_reports_failures),
        cmocka_unit_test(proto_header),
        cmocka_unit_test(get_response_decoded),
        cmocka_unit_test(fields_in_response),
        cmocka_unit_test(particles),
        cmocka_unit_test(hostile_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
