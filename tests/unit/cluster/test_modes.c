/*
 * test_modes.c - read modes, commit level and replica routing as bytes and
 * as rules:
 *  - the request bytes a get / put / delete / read-only operate sends under
 *    every read mode (AP ONE/ALL, SC session/linearize/allow-replica/
 *    allow-unavailable) and commit level (ALL/MASTER), captured by a fake
 *    node and compared with the worked requests of protocol.md 5.4;
 *  - behavior and policy structs of version 1 (older headers) still resolve,
 *    and a policy of version 1 is not written past its end;
 *  - the header of a scan / query under every read mode (no read-mode bit,
 *    as the official C client and as the server reads it);
 *  - PREFER_RACK and the SC routing rules on a partition table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <netinet/in.h>

#include <aero/aero.h>

#include "aero_assert.h"
#include "batch.h"
#include "cluster/parse.h"
#include "fake_cluster.h"

/* protocol.md 5.4: GET all bins of test/demo/"key1", total timeout 1000 ms */
static const uint8_t GET_ALL[] = {
    0x02, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x41, 0x16, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x74, 0x65, 0x73,
    0x74, 0x00, 0x00, 0x00, 0x05, 0x01, 0x64, 0x65, 0x6d, 0x6f, 0x00, 0x00, 0x00, 0x15, 0x04, 0xec, 0x91, 0x19, 0x2d,
    0x4b, 0x7f, 0x8c, 0xe3, 0x5d, 0x5d, 0x78, 0xd3, 0x4b, 0xca, 0x65, 0xcb, 0xaa, 0xaa, 0xc9, 0x60,
};

/* protocol.md 5.4: PUT name="Bob", age=25 with send-key (117 bytes) */
static const uint8_t PUT_BOB[] = {
    0x02, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x6d, 0x16, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00, 0x05,
    0x00, 0x74, 0x65, 0x73, 0x74, 0x00, 0x00, 0x00, 0x05, 0x01, 0x64, 0x65, 0x6d, 0x6f, 0x00, 0x00, 0x00,
    0x15, 0x04, 0xec, 0x91, 0x19, 0x2d, 0x4b, 0x7f, 0x8c, 0xe3, 0x5d, 0x5d, 0x78, 0xd3, 0x4b, 0xca, 0x65,
    0xcb, 0xaa, 0xaa, 0xc9, 0x60, 0x00, 0x00, 0x00, 0x06, 0x02, 0x03, 0x6b, 0x65, 0x79, 0x31, 0x00, 0x00,
    0x00, 0x0b, 0x02, 0x03, 0x00, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x42, 0x6f, 0x62, 0x00, 0x00, 0x00, 0x0f,
    0x02, 0x01, 0x00, 0x03, 0x61, 0x67, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x19,
};

typedef struct env {
    fake_cluster fc;
    aero_client *client;
} env;

static int setup(void **state) {
    env *e = calloc(1, sizeof *e);
    if (!e || !fake_cluster_start(&e->fc, 1, 1))
        return -1;
    char seed[32];
    snprintf(seed, sizeof seed, "127.0.0.1:%u", (unsigned)e->fc.nodes[0].port);
    aero_error err;
    e->client = aero_client_connect(seed, NULL, &err);
    if (!e->client) {
        fprintf(stderr, "connect: %s\n", err.message);
        return -1;
    }
    *state = e;
    return 0;
}

static int teardown(void **state) {
    env *e = *state;
    aero_client_close(e->client);
    fake_cluster_free(&e->fc);
    free(e);
    return 0;
}

/* A session whose every command has total 1000 ms, socket 0, no retries, and these modes. */
static aero_session *session_with(env *e, int ap, int sc, int commit) {
    aero_behavior b = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "modes");
    b.all.total_timeout_ms = 1000;
    b.all.socket_timeout_ms = 0;
    b.all.max_retries = 0;
    b.all.read_mode_ap = (int8_t)ap;
    b.all.read_mode_sc = (int8_t)sc;
    b.all.commit_level = (int8_t)commit;
    aero_error err;
    aero_session *s = aero_client_create_session(e->client, &b, &err);
    assert_non_null(s);
    return s;
}

static size_t last(env *e, uint8_t *out, size_t cap) {
    fake_node *f = &e->fc.nodes[0];
    pthread_mutex_lock(&f->mu);
    size_t n = f->last_msg_len < cap ? f->last_msg_len : cap;
    memcpy(out, f->last_msg, n);
    pthread_mutex_unlock(&f->mu);
    return n;
}

static void assert_bytes(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len) {
    if (got_len != want_len || memcmp(got, want, want_len) != 0) {
        for (size_t i = 0; i < got_len || i < want_len; i++)
            if (i >= got_len || i >= want_len || got[i] != want[i])
                print_error("byte %zu: got %02x, want %02x\n", i, i < got_len ? got[i] : 0, i < want_len ? want[i] : 0);
        fail();
    }
}

static void test_read_mode_bits(void **state) {
    env *e = *state;
    /* SC mode -> info3 (RELAX 0x80, TYPE 0x40) */
    static const uint8_t sc_bits[4] = { 0x00, 0x40, 0x80, 0xc0 };
    aero_dataset ds = aero_dataset_of("test", "demo");
    aero_key k = aero_dataset_id_str(&ds, "key1");
    for (int ap = 0; ap <= 1; ap++) {
        for (int sc = 0; sc <= 3; sc++) {
            aero_session *s = session_with(e, ap, sc, AERO_COMMIT_MASTER); /* commit level: writes only */
            aero_record rec;
            aero_record_init(&rec);
            aero_error err;
            assert_aero_ok(aero_session_get(s, &k, NULL, 0, &rec, &err), &err);
            uint8_t want[sizeof GET_ALL], got[256];
            memcpy(want, GET_ALL, sizeof want);
            want[9] = (uint8_t)(0x03 | (ap ? 0x40 : 0)); /* info1 READ|GET_ALL (+READ_MODE_AP_ALL) */
            want[11] = sc_bits[sc];                      /* info3 */
            size_t n = last(e, got, sizeof got);
            assert_bytes(got, n, want, sizeof want);

            /* exists: READ|NOBINDATA, same mode bits */
            bool ex;
            assert_aero_ok(aero_session_exists(s, &k, &ex, &err), &err);
            n = last(e, got, sizeof got);
            want[9] = (uint8_t)(0x21 | (ap ? 0x40 : 0));
            assert_bytes(got, n, want, sizeof want);
            aero_record_dispose(&rec);
            aero_session_free(s);
        }
    }
}

/*
 * A dataset query (scan, with or without a where filter) under every read
 * mode sends the header of the official C client's foreground scan and
 * query: info1 READ, info3 PARTITION_DONE, no read-mode bit. The server
 * never reads those bits on a scan or query (no duplicate resolution, any
 * full copy of a partition answers), so they are not sent: an AP ALL or SC
 * mode on a query changes nothing on the wire.
 */
static void test_scan_query_header(void **state) {
    env *e = *state;
    aero_dataset ds = aero_dataset_of("test", "demo");
    /* size 22, info1 READ, info2 0, info3 PARTITION_DONE, info4 0, result 0, generation 0,
       record_ttl 0xFFFFFFFF, transaction_ttl 100 (the total timeout) */
    static const uint8_t want[18] = { 0x16, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
                                      0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x64 };
    for (int where = 0; where <= 1; where++) {
        for (int ap = 0; ap <= 1; ap++) {
            for (int sc = 0; sc <= 3; sc++) {
                aero_behavior b = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "modes");
                b.all.total_timeout_ms = 100; /* the fake node never ends a scan: each one times out */
                b.all.socket_timeout_ms = 0;
                b.all.max_retries = 0;
                b.all.read_mode_ap = (int8_t)ap;
                b.all.read_mode_sc = (int8_t)sc;
                aero_error err;
                aero_session *s = aero_client_create_session(e->client, &b, &err);
                assert_non_null(s);
                aero_query *q = aero_session_query(s, &ds);
                if (where)
                    aero_query_where(q, "$.age > 21");
                int before = atomic_load(&e->fc.nodes[0].msgs);
                aero_stream *st = aero_query_execute(q, &err);
                assert_non_null(st);
                while (aero_stream_next(st, &err)) {
                } /* the fake node's answer is no scan answer: the stream ends in an error */
                aero_stream_close(st);
                assert_true(atomic_load(&e->fc.nodes[0].msgs) > before);
                uint8_t got[64];
                size_t n = last(e, got, sizeof got);
                assert_true(n >= 8 + 22);
                assert_bytes(got + 8, sizeof want, want, sizeof want);
                assert_int_equal(got[8 + 20] << 8 | got[8 + 21], 0); /* n_ops */
                aero_session_free(s);
            }
        }
    }
}

static void test_commit_level_bits(void **state) {
    env *e = *state;
    aero_dataset ds = aero_dataset_of("test", "demo");
    aero_key k = aero_dataset_id_str(&ds, "key1");
    for (int commit = 0; commit <= 1; commit++) {
        /* read modes never touch a write */
        aero_session *s = session_with(e, AERO_READ_MODE_AP_ALL, AERO_READ_MODE_SC_LINEARIZE, commit);
        aero_error err;
        aero_bin_value bins[] = { { "name", aero_str("Bob") }, { "age", aero_int(25) } };
        assert_aero_ok(aero_session_put(s, &k, bins, 2, &err), &err);
        uint8_t want[sizeof PUT_BOB], got[256];
        memcpy(want, PUT_BOB, sizeof want);
        want[11] = commit ? 0x02 : 0x00; /* info3 COMMIT_MASTER */
        size_t n = last(e, got, sizeof got);
        assert_bytes(got, n, want, sizeof want);

        aero_write *w = aero_session_delete(s, &k);
        assert_aero_ok(aero_write_execute(w, NULL, &err), &err);
        n = last(e, got, sizeof got);
        assert_true(n >= 30);
        assert_int_equal(got[10] & 0x03, 0x03);          /* info2 WRITE|DELETE */
        assert_int_equal(got[11], commit ? 0x02 : 0x00); /* info3 */
        assert_int_equal(got[9], 0x00);                  /* no read bits */
        aero_session_free(s);
    }
}

/* Batch read rows carry the read-mode bits in their own info1 / info3. */
static void test_batch_row_bits(void **state) {
    (void)state;
    aero_policy p;
    aero_policy_init(&p);
    p.read_mode_ap = AERO_READ_MODE_AP_ALL;
    p.read_mode_sc = AERO_READ_MODE_SC_ALLOW_UNAVAILABLE;
    aero_read_spec spec;
    memset(&spec, 0, sizeof spec);
    aero_buf ops;
    aero_buf__init(&ops, NULL, 0);
    aero_batch_cmd cmd;
    aero_batch__read_cmd(&cmd, &p, &spec, &ops);
    assert_int_equal(cmd.info1, 0x43); /* READ | GET_ALL | READ_MODE_AP_ALL */
    assert_int_equal(cmd.info3, 0xc0); /* SC allow-unavailable */
    p.read_mode_ap = AERO_READ_MODE_AP_ONE;
    p.read_mode_sc = AERO_READ_MODE_SC_SESSION;
    spec.header_only = true;
    aero_batch__read_cmd(&cmd, &p, &spec, &ops);
    assert_int_equal(cmd.info1, 0x21);
    assert_int_equal(cmd.info3, 0x00);
    aero_buf__free(&ops);
}

/* version 1 of aero_settings / aero_behavior / aero_policy, as older headers lay them out */
typedef struct settings_v1 {
    int64_t total_timeout_ms, socket_timeout_ms;
    int32_t max_retries, retry_delay_ms;
    int8_t send_key, durable_delete, replica;
    int32_t read_touch_ttl_percent;
} settings_v1;
typedef struct behavior_v1 {
    uint32_t version;
    const char *name;
    const aero_behavior *parent;
    settings_v1 all, reads, reads_point, reads_batch, reads_query, writes, writes_point, writes_batch, writes_query;
} behavior_v1;
typedef struct policy_v1 {
    uint32_t version, total_timeout_ms, socket_timeout_ms, max_retries, retry_delay_ms;
    bool send_key, durable_delete;
    aero_replica replica;
    int32_t read_touch_ttl_percent;
} policy_v1;

static void inherit_v1(settings_v1 *s) {
    s->total_timeout_ms = s->socket_timeout_ms = -1;
    s->max_retries = s->retry_delay_ms = -1;
    s->send_key = s->durable_delete = s->replica = -1;
    s->read_touch_ttl_percent = -1;
}

static void test_version_1_structs(void **state) {
    (void)state;
    behavior_v1 old;
    memset(&old, 0, sizeof old);
    old.version = 1;
    old.name = "old";
    old.parent = &AERO_BEHAVIOR_DEFAULT;
    settings_v1 *all[] = { &old.all,    &old.reads,        &old.reads_point,  &old.reads_batch, &old.reads_query,
                           &old.writes, &old.writes_point, &old.writes_batch, &old.writes_query };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        inherit_v1(all[i]);
    old.reads_point.max_retries = 7;
    old.writes.durable_delete = 1;

    /* a new child of an old parent */
    aero_behavior child = aero_behavior_derive((const aero_behavior *)(const void *)&old, "child");
    child.reads.read_mode_ap = AERO_READ_MODE_AP_ALL;
    aero_policy p;
    aero_policy_init(&p);
    aero_error err;
    assert_aero_ok(aero_behavior_resolve(&child, AERO_OP_READ, AERO_SHAPE_POINT, &p, &err), &err);
    assert_int_equal(p.max_retries, 7);
    assert_int_equal(p.read_mode_ap, AERO_READ_MODE_AP_ALL);
    assert_int_equal(p.read_mode_sc, AERO_READ_MODE_SC_SESSION);
    assert_aero_ok(aero_behavior_resolve(&child, AERO_OP_WRITE, AERO_SHAPE_POINT, &p, &err), &err);
    assert_true(p.durable_delete);
    assert_int_equal(p.commit_level, AERO_COMMIT_ALL);

    /* a policy of version 1 gets what version 1 has, and nothing past its end */
    struct {
        policy_v1 p;
        unsigned char canary[32];
    } small;
    memset(&small, 0xAB, sizeof small);
    small.p.version = 1;
    assert_aero_ok(aero_behavior_resolve(&child, AERO_OP_READ, AERO_SHAPE_POINT, (aero_policy *)(void *)&small.p, &err),
                   &err);
    assert_int_equal(small.p.max_retries, 7);
    for (size_t i = 0; i < sizeof small.canary; i++)
        assert_int_equal(small.canary[i], 0xAB);

    /* out of range settings are refused, naming the behavior */
    aero_behavior bad = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "bad");
    bad.reads.read_mode_sc = 4;
    assert_int_equal(aero_behavior_resolve(&bad, AERO_OP_READ, AERO_SHAPE_POINT, &p, &err), AERO_ERR_PARAM);
    assert_string_equal(err.message, "behavior bad: read_mode_sc is out of range");
    bad = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "bad");
    bad.writes.commit_level = 2;
    assert_int_equal(aero_behavior_resolve(&bad, AERO_OP_WRITE, AERO_SHAPE_POINT, &p, &err), AERO_ERR_PARAM);
    bad = aero_behavior_derive(&AERO_BEHAVIOR_DEFAULT, "bad");
    bad.all.replica = 4;
    assert_int_equal(aero_behavior_resolve(&bad, AERO_OP_READ, AERO_SHAPE_POINT, &p, &err), AERO_ERR_PARAM);
    bad.all.replica = AERO_REPLICA_PREFER_RACK;
    assert_aero_ok(aero_behavior_resolve(&bad, AERO_OP_READ, AERO_SHAPE_POINT, &p, &err), &err);
    assert_int_equal(p.replica, AERO_REPLICA_PREFER_RACK);
}

/* A client config of version 1 (older headers: it ends before rack_aware) is read only that far. */
static void test_client_config_version_1(void **state) {
    env *e = *state;
    size_t v1_size = offsetof(aero_client_config, rack_aware);
    aero_client_config full;
    aero_client_config_init(&full);
    full.version = 1;
    full.tend_interval_ms = 200;
    aero_client_config *small = malloc(v1_size); /* exactly its size: ASan sees any read past it */
    assert_non_null(small);
    memcpy(small, &full, v1_size);
    char seed[32];
    snprintf(seed, sizeof seed, "127.0.0.1:%u", (unsigned)e->fc.nodes[0].port);
    aero_error err;
    aero_client *c = aero_client_connect(seed, small, &err);
    if (!c)
        print_error("connect: %s\n", err.message);
    assert_non_null(c);
    aero_client_close(c);
    free(small);
}

/* ---- routing rules on a partition table (no I/O) ---- */

static aero_node *fake(const char *name) {
    aero_client_config cfg;
    aero_client_config_init(&cfg);
    struct sockaddr_storage sa;
    memset(&sa, 0, sizeof sa);
    sa.ss_family = AF_INET;
    return aero_node__new(name, "127.0.0.1", 3000, (struct sockaddr *)&sa, sizeof(struct sockaddr_in), &cfg);
}

static void test_prefer_rack_and_sc_rules(void **state) {
    (void)state;
    aero_node *a = fake("A"), *b = fake("B"), *c = fake("C");
    aero_pmap m = { 0, NULL };
    uint8_t all[AERO_BITMAP_BYTES];
    memset(all, 0xff, sizeof all);
    /* every partition: master A, then B, then C */
    assert_true(aero_pmap__apply(&m, a, "test", 0, 3, 0, all));
    assert_true(aero_pmap__apply(&m, b, "test", 0, 3, 1, all));
    assert_true(aero_pmap__apply(&m, c, "test", 0, 3, 2, all));
    a->racks[0].rack = 1, b->racks[0].rack = 2, c->racks[0].rack = 3;
    snprintf(a->racks[0].ns, sizeof a->racks[0].ns, "test");
    snprintf(b->racks[0].ns, sizeof b->racks[0].ns, "test");
    snprintf(c->racks[0].ns, sizeof c->racks[0].ns, "test");
    a->n_racks = b->n_racks = c->n_racks = 1;
    aero_pmap__set_racks(&m);
    assert_int_equal(m.ns[0]->parts[9].racks[2], 3);

    int32_t r3[] = { 3 }, r9_2[] = { 9, 2 }, none[] = { 9 };
    aero_route rt = { AERO_READ_MODE_SC_SESSION, r3, 1 };
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 0, 0, &rt), c);
    /* a retry goes elsewhere, in sequence order from the attempt */
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 1, 0, &rt), b);
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 2, 0, &rt), a);
    /* writes go to the master whatever the racks */
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, true, AERO_REPLICA_PREFER_RACK, 0, 0, &rt), a);
    /* racks in order of preference: the first with a replica wins */
    rt.racks = r9_2, rt.n_racks = 2;
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 0, 0, &rt), b);
    /* no replica on the client's racks: SEQUENCE */
    rt.racks = none, rt.n_racks = 1;
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 0, 0, &rt), a);
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 1, 0, &rt), b);
    /* the local node gone: the next one in sequence */
    rt.racks = r3, rt.n_racks = 1;
    atomic_store(&c->active, false);
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 0, 0, &rt), a);
    atomic_store(&c->active, true);

    /* AP namespace: SC read modes change nothing */
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_SEQUENCE, 1, 0, &rt), b);
    /* SC namespace: SESSION reads go to the master, LINEARIZE does not prefer racks */
    m.ns[0]->sc = true;
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_SEQUENCE, 1, 0, &rt), a);
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 0, 0, &rt), a);
    rt.read_mode_sc = AERO_READ_MODE_SC_LINEARIZE;
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 0, 0, &rt), a);
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 1, 0, &rt), b);
    rt.read_mode_sc = AERO_READ_MODE_SC_ALLOW_REPLICA;
    assert_ptr_equal(aero_pmap__route_ex(&m, "test", 9, false, AERO_REPLICA_PREFER_RACK, 0, 0, &rt), c);

    for (size_t i = 0; i < m.n_ns; i++)
        free(m.ns[i]);
    free(m.ns);
    aero_node__release(a);
    aero_node__release(b);
    aero_node__release(c);
}

int main(void) {
    const struct CMUnitTest wire[] = {
        cmocka_unit_test(test_read_mode_bits),
        cmocka_unit_test(test_commit_level_bits),
        cmocka_unit_test(test_scan_query_header),
        cmocka_unit_test(test_client_config_version_1),
    };
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_batch_row_bits),
        cmocka_unit_test(test_version_1_structs),
        cmocka_unit_test(test_prefer_rack_and_sc_rules),
    };
    int failed = cmocka_run_group_tests_name("modes-wire", wire, setup, teardown);
    failed += cmocka_run_group_tests_name("modes-rules", pure, NULL, NULL);
    return failed;
}
