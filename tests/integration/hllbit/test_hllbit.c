/*
 * test_hllbit.c - HLL and bit operations through the public API (aero/hll.h,
 * aero/bit.h attached with aero_write_op): results per op, the server's
 * refusals as result codes, and the client's own checks, which fail at
 * execute before anything is sent. Runs against the test server, or
 * unchanged against a real cluster (AERO_HOSTS).
 *
 * HLL counts are deterministic (same hash, same estimator on both servers),
 * so they are asserted exactly, with the real 8.1 servers' answers, and also
 * within the estimator's error bound of the true count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <aero/bit.h>
#include <aero/hll.h>

#include "harness.h"

/* A fresh record `name` with bin "b" = start (nil: no record), then ops in one operate. */
static aero_status run(it_env *env, const char *name, aero_value start, const aero_op *ops, size_t n, aero_record *out,
                       aero_error *err) {
    aero_key k = it_key(env, name);
    assert_int_equal(aero_write_execute(aero_session_delete(env->session, &k), NULL, err), AERO_OK);
    if (start.type != AERO_NIL) {
        aero_bin_value bv[] = { { "b", start } };
        aero_write *w = aero_session_upsert(env->session, &k);
        aero_write_put(w, bv, 1);
        assert_int_equal(aero_write_execute(w, NULL, err), AERO_OK);
    }
    aero_write *w = aero_session_upsert(env->session, &k);
    for (size_t i = 0; i < n; i++)
        aero_write_op(w, ops[i]);
    aero_record_init(out);
    return aero_write_execute(w, out, err);
}

static const aero_value *bin_at(const aero_record *r, uint32_t i) {
    assert_true(i < r->n_bins);
    return &r->bins[i].value;
}

static int64_t int_at(const aero_record *r, uint32_t i) {
    const aero_value *v = bin_at(r, i);
    assert_int_equal(v->type, AERO_INT);
    return v->v.i;
}

static void bytes_at(const aero_record *r, uint32_t i, aero_type t, const char *hex) {
    const aero_value *v = bin_at(r, i);
    assert_int_equal(v->type, t);
    char got[1024] = "";
    for (size_t k = 0; k < v->v.bytes.len && 2 * k + 2 < sizeof got; k++)
        snprintf(got + 2 * k, 3, "%02x", v->v.bytes.ptr[k]);
    assert_string_equal(got, hex);
}

static void test_bit_ops(void **state) {
    it_env *env = *state;
    static const uint8_t start[] = { 0x01, 0x02, 0x03, 0x04 }, ff = 0xff, ab = 0xab, f0 = 0xf0;
    const aero_path *b = AERO_BIN("b");
    const aero_op ops[] = {
        aero_bit_resize(b, 6, 0, NULL),                                       /* 010203040000 */
        aero_bit_insert(b, 1, &ff, 1, NULL),                                  /* 01ff0203040000 */
        aero_bit_remove(b, 5, 1, NULL),                                       /* 01ff02030400 */
        aero_bit_set(b, 4, 8, &ab, 1, NULL),                                  /* 0abf02030400 */
        aero_bit_or(b, 16, 8, &f0, 1, NULL),                                  /* 0abff2030400 */
        aero_bit_xor(b, 24, 8, &ff, 1, NULL),                                 /* 0abff2fc0400 */
        aero_bit_not(b, 40, 4, NULL),                                         /* 0abff2fc04f0 */
        aero_bit_lshift(b, 0, 8, 1, NULL),                                    /* 14bff2fc04f0 */
        aero_bit_rshift(b, 8, 8, 4, NULL),                                    /* 140bf2fc04f0 */
        aero_bit_add(b, 16, 8, 1, false, AERO_BIT_OVERFLOW_FAIL, NULL),       /* 140bf3fc04f0 */
        aero_bit_subtract(b, 24, 8, 12, false, AERO_BIT_OVERFLOW_FAIL, NULL), /* 140bf3f004f0 */
        aero_bit_set_int(b, 32, 8, 0x7f, NULL),                               /* 140bf3f07ff0 */
        aero_bit_add(b, 32, 8, 1, true, AERO_BIT_OVERFLOW_SATURATE, NULL),    /* stays 7f */
        aero_bit_get(b, 8, 12),
        aero_bit_count(b, 0, 16),
        aero_bit_lscan(b, 0, 48, true),
        aero_bit_rscan(b, 0, 48, true),
        aero_bit_get_int(b, 16, 8, true),
        aero_bit_get_int(b, 16, 8, false),
    };
    aero_record r;
    aero_error err;
    assert_int_equal(run(env, "bits", aero_blob(start, sizeof start), ops, sizeof ops / sizeof ops[0], &r, &err),
                     AERO_OK);
    bytes_at(&r, 13, AERO_BLOB, "0bf0");
    assert_int_equal(int_at(&r, 14), 5);
    assert_int_equal(int_at(&r, 15), 3);
    assert_int_equal(int_at(&r, 16), 43);
    assert_int_equal(int_at(&r, 17), -13);
    assert_int_equal(int_at(&r, 18), 0xf3);
    for (uint32_t i = 0; i < 13; i++)
        assert_int_equal(bin_at(&r, i)->type, AERO_NIL); /* modify ops answer nothing */
    aero_record_dispose(&r);
}

/* Bin "b" of record `name` is the one byte `want`. */
static void bin_is(it_env *env, const char *name, const char *hex) {
    aero_key k = it_key(env, name);
    aero_record r;
    aero_error err;
    aero_record_init(&r);
    assert_int_equal(aero_session_get(env->session, &k, NULL, 0, &r, &err), AERO_OK);
    const aero_value *v = aero_record_get(&r, "b");
    assert_non_null(v);
    char got[16] = "";
    for (size_t i = 0; i < v->v.bytes.len && i < 7; i++)
        snprintf(got + 2 * i, 3, "%02x", v->v.bytes.ptr[i]);
    assert_string_equal(got, hex);
    aero_record_dispose(&r);
}

static void test_bit_refusals(void **state) {
    it_env *env = *state;
    static const uint8_t one = 0x00, ff = 0xff;
    const aero_path *b = AERO_BIN("b");
    aero_record r;
    aero_error err;
    /* the server's codes */
    aero_op op = aero_bit_set(b, 0, 8, &ff, 1, NULL);
    assert_int_equal(run(env, "bit-type", aero_int(1), &op, 1, &r, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    aero_record_dispose(&r);
    op = aero_bit_set(b, 8, 8, &ff, 1, NULL);
    assert_int_equal(run(env, "bit-past", aero_blob(&one, 1), &op, 1, &r, &err), AERO_ERR_OP_NOT_APPLICABLE);
    aero_record_dispose(&r);
    op = aero_bit_add(b, 0, 8, 1, false, AERO_BIT_OVERFLOW_FAIL, NULL);
    assert_int_equal(run(env, "bit-ovf", aero_blob(&ff, 1), &op, 1, &r, &err), AERO_ERR_OP_NOT_APPLICABLE);
    aero_record_dispose(&r);
    aero_bit_policy create = { AERO_BIT_FLAG_CREATE_ONLY };
    op = aero_bit_resize(b, 4, 0, &create);
    assert_int_equal(run(env, "bit-exists", aero_blob(&one, 1), &op, 1, &r, &err), AERO_ERR_BIN_EXISTS);
    aero_record_dispose(&r);
    /* a giant resize: refused with RECORD_TOO_BIG (13) past the 1 MiB record, nothing built */
    const uint32_t giant[] = { 2u * 1024 * 1024, 100u * 1024 * 1024, 128u * 1024 * 1024 - 1 };
    for (size_t i = 0; i < sizeof giant / sizeof giant[0]; i++) {
        op = aero_bit_resize(b, giant[i], 0, NULL);
        assert_int_equal(run(env, "bit-giant", aero_blob(&one, 1), &op, 1, &r, &err), AERO_ERR_RECORD_TOO_BIG);
        aero_record_dispose(&r);
        bin_is(env, "bit-giant", "00");
    }
    /* the client's checks: AERO_ERR_PARAM at execute, nothing sent (the bin is unchanged) */
    const aero_op bad[] = {
        aero_bit_set(b, 0, 8, NULL, 1, NULL),
        aero_bit_set(b, 0, 16, &ff, 1, NULL),
        aero_bit_set(b, 0, 0, &ff, 1, NULL),
        aero_bit_get_int(b, 0, 65, false),
        aero_bit_add(b, 0, 8, 1, false, (aero_bit_overflow)6, NULL),
        aero_bit_resize(b, 4, AERO_BIT_GROW_ONLY | AERO_BIT_SHRINK_ONLY, NULL),
        aero_bit_resize(b, 200u * 1024 * 1024, 0, NULL),
        aero_bit_set(b, 0, 8, &ff, 1, &create),
        aero_bit_count(b, (int64_t)1 << 40, 8),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const aero_op two[] = { aero_bit_not(b, 0, 8, NULL), bad[i] };
        assert_int_equal(run(env, "bit-bad", aero_blob(&one, 1), two, 2, &r, &err), AERO_ERR_PARAM);
        aero_record_dispose(&r);
        bin_is(env, "bit-bad", "00"); /* the not before it was not applied either */
    }
}

static void add_ints(aero_value *items, int64_t first, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        items[i] = aero_int(first + (int64_t)i);
}

/* Relative error bound of an HLL count: 3 standard errors (1.04 / sqrt(2^index_bits)). */
static void within(int64_t est, int64_t truth, int index_bits) {
    double bound = 3 * 1.04 / sqrt((double)(1u << index_bits));
    if (fabs((double)(est - truth)) > bound * (double)truth)
        fail_msg("estimate %lld, true count %lld, bound %.1f%%", (long long)est, (long long)truth, bound * 100);
}

static void test_hll_sets(void **state) {
    it_env *env = *state;
    static aero_value a_items[600], b_items[600];
    add_ints(a_items, 0, 600);
    add_ints(b_items, 300, 600);
    const aero_path *b = AERO_BIN("b");
    aero_record rb, r;
    aero_error err;
    const aero_op mk[] = { aero_hll_add(b, aero_list(b_items, 600), 10, 0, NULL) };
    assert_int_equal(run(env, "hll-b", aero_nil(), mk, 1, &rb, &err), AERO_OK);
    aero_record_dispose(&rb);
    aero_key kb = it_key(env, "hll-b");
    aero_record_init(&rb);
    assert_int_equal(aero_session_get(env->session, &kb, NULL, 0, &rb, &err), AERO_OK);
    const aero_value *hb = aero_record_get(&rb, "b");
    assert_non_null(hb);
    assert_int_equal(hb->type, AERO_HLL);
    aero_value other = aero_hll_value(hb->v.bytes.ptr, hb->v.bytes.len);
    aero_value others = aero_list(&other, 1);
    const aero_op ops[] = {
        aero_hll_add(b, aero_list(a_items, 600), 10, 0, NULL),
        aero_hll_get_count(b),
        aero_hll_get_union_count(b, others),
        aero_hll_get_intersect_count(b, others),
        aero_hll_get_similarity(b, others),
        aero_hll_describe(b),
        aero_hll_set_union(b, others, NULL),
        aero_hll_refresh_count(b),
    };
    assert_int_equal(run(env, "hll-a", aero_nil(), ops, sizeof ops / sizeof ops[0], &r, &err), AERO_OK);
    /* exact: the answers of Aerospike 8.1.2.0 and 8.1.1.2 */
    assert_int_equal(int_at(&r, 0), 0x1e6);
    assert_int_equal(int_at(&r, 1), 0x248);
    assert_int_equal(int_at(&r, 2), 0x377);
    assert_int_equal(int_at(&r, 3), 0x11c);
    const aero_value *sim = bin_at(&r, 4);
    assert_int_equal(sim->type, AERO_DOUBLE);
    uint64_t u;
    memcpy(&u, &sim->v.d, 8);
    assert_int_equal(u, 0x3fd47dd5dcca0781ULL);
    /* and within the estimator's bounds of the truth */
    within(int_at(&r, 1), 600, 10);
    within(int_at(&r, 2), 900, 10);
    within(int_at(&r, 3), 300, 8); /* inclusion-exclusion: looser */
    assert_true(fabs(sim->v.d - 1.0 / 3) < 0.1);
    const aero_value *desc = bin_at(&r, 5);
    assert_int_equal(desc->type, AERO_LIST);
    assert_int_equal(desc->v.list.count, 2);
    assert_int_equal(desc->v.list.items[0].v.i, 10);
    assert_int_equal(desc->v.list.items[1].v.i, 0);
    assert_int_equal(bin_at(&r, 6)->type, AERO_NIL);
    assert_int_equal(int_at(&r, 7), 0x377); /* the union of both sets, cached */
    aero_record_dispose(&r);
    aero_record_dispose(&rb);
}

static void test_hll_refusals(void **state) {
    it_env *env = *state;
    const aero_path *b = AERO_BIN("b");
    aero_value one = aero_str("x");
    aero_value elems = aero_list(&one, 1);
    aero_record r;
    aero_error err;
    /* the server's codes */
    aero_op op = aero_hll_add(b, elems, AERO_HLL_KEEP, AERO_HLL_KEEP, NULL);
    assert_int_equal(run(env, "hll-code", aero_nil(), &op, 1, &r, &err), AERO_ERR_OP_NOT_APPLICABLE);
    aero_record_dispose(&r);
    op = aero_hll_refresh_count(b);
    assert_int_equal(run(env, "hll-code", aero_int(1), &op, 1, &r, &err), AERO_ERR_BIN_INCOMPATIBLE_TYPE);
    aero_record_dispose(&r);
    aero_hll_policy upd = { AERO_HLL_FLAG_UPDATE_ONLY };
    const aero_op two[] = { aero_bit_resize(AERO_BIN("c"), 1, 0, NULL), aero_hll_init(b, 8, 0, &upd) };
    assert_int_equal(run(env, "hll-code", aero_nil(), two, 2, &r, &err), AERO_ERR_BIN_NOT_FOUND);
    aero_record_dispose(&r);
    /* the client's checks */
    aero_value nested = aero_list(&elems, 1);
    const aero_op bad[] = {
        aero_hll_init(b, 3, 0, NULL),        aero_hll_init(b, 17, 0, NULL),
        aero_hll_init(b, 8, 3, NULL),        aero_hll_init(b, 8, 52, NULL),
        aero_hll_init(b, 16, 49, NULL),      aero_hll_add(b, aero_list(NULL, 0), 8, 0, NULL),
        aero_hll_add(b, nested, 8, 0, NULL), aero_hll_add(b, one, 8, 0, NULL),
        aero_hll_get_union_count(b, elems),  aero_hll_fold(b, 2),
        aero_hll_add(b, elems, 8, 0, &upd),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(run(env, "hll-bad", aero_nil(), &bad[i], 1, &r, &err), AERO_ERR_PARAM);
        aero_record_dispose(&r);
    }
    op = aero_hll_init(b, 16, 48, NULL);
    assert_int_equal(run(env, "hll-max", aero_nil(), &op, 1, &r, &err), AERO_OK);
    aero_record_dispose(&r);
}

/*
 * A bit or HLL op given a context path (a blob inside a list): server 8.1
 * takes bit and HLL ops on a whole bin only (its bit and HLL parsers read
 * the op code first, and the context marker is none of theirs, so it would
 * answer PARAMETER_ERROR): the client refuses them before sending, and the
 * record is unchanged.
 */
static void test_context_refused(void **state) {
    it_env *env = *state;
    static const uint8_t ff = 0xff, zero = 0x00;
    aero_value inner[] = { aero_blob(&zero, 1) };
    aero_value list = aero_list(inner, 1);
    const aero_path *in_list = AERO_PATH("b", aero_at_list_index(0));
    aero_value one = aero_str("x");
    aero_record r;
    aero_error err;
    const aero_op refused[] = {
        aero_bit_set(in_list, 0, 8, &ff, 1, NULL),
        aero_bit_get(in_list, 0, 8),
        aero_bit_count(in_list, 0, 8),
        aero_hll_add(in_list, aero_list(&one, 1), 8, 0, NULL),
        aero_hll_get_count(in_list),
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        assert_int_equal(run(env, "bit-ctx", list, &refused[i], 1, &r, &err), AERO_ERR_PARAM);
        assert_non_null(strstr(err.message, "no context steps"));
        aero_record_dispose(&r);
    }
    aero_key k = it_key(env, "bit-ctx");
    assert_int_equal(aero_session_get(env->session, &k, NULL, 0, &r, &err), AERO_OK);
    const aero_value *v = aero_record_get(&r, "b");
    assert_non_null(v);
    assert_int_equal(v->type, AERO_LIST);
    assert_int_equal(v->v.list.count, 1);
    assert_int_equal(v->v.list.items[0].type, AERO_BLOB);
    assert_int_equal(v->v.list.items[0].v.bytes.ptr[0], 0x00); /* unchanged */
    aero_record_dispose(&r);
}

/* Bit and HLL reads as the projection of a dataset query (servers from 8.1.2; older ones are refused by the client). */
static void test_dataset_query(void **state) {
    it_env *env = *state;
    aero_error err;
    char tag[64];
    snprintf(tag, sizeof tag, "%s-hbq", env->prefix);
    static const uint8_t bytes[3] = { 0x01, 0x03, 0x07 }; /* record i: bytes[i], i + 1 bits set */
    aero_value names[] = { aero_str("a"), aero_str("b"), aero_str("c") };
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "hbq-%d", i);
        aero_key k = it_key(env, name);
        aero_bin_value bins[] = { { "b", aero_blob(&bytes[i], 1) }, { "tag", aero_str(tag) } };
        aero_write *w = aero_session_upsert(env->session, &k);
        aero_write_put(w, bins, 2);
        aero_write_op(w, aero_hll_add(AERO_BIN("h"), aero_list(names, (uint32_t)i + 1), 8, 0, NULL));
        assert_int_equal(aero_write_execute(w, NULL, &err), AERO_OK);
    }
    char where[128];
    snprintf(where, sizeof where, "$.tag == '%s'", tag);
    aero_query *q = aero_session_query(env->session, &env->ds);
    aero_query_where(q, where);
    aero_query_op(q, aero_bit_count(AERO_BIN("b"), 0, 8));
    aero_query_op(q, aero_hll_get_count(AERO_BIN("h")));
    aero_stream *s = aero_query_execute(q, &err);
    if (!s) { /* 8.1.1.2: the client refuses before sending */
        assert_int_equal(err.code, AERO_ERR_UNSUPPORTED_FEATURE);
        return;
    }
    int rows = 0;
    int64_t bits = 0, counts = 0;
    for (const aero_record *r; (r = aero_stream_next(s, &err)); rows++) {
        assert_int_equal(r->n_bins, 2);
        assert_string_equal(r->bins[0].name, "b");
        assert_int_equal(r->bins[0].value.type, AERO_INT);
        assert_int_equal(r->bins[1].value.type, AERO_INT);
        assert_int_equal(r->bins[1].value.v.i, r->bins[0].value.v.i); /* i + 1 names, i + 1 bits */
        bits += r->bins[0].value.v.i;
        counts += r->bins[1].value.v.i;
    }
    aero_stream_close(s);
    assert_int_equal(err.code, AERO_OK);
    assert_int_equal(rows, 3);
    assert_int_equal(bits, 6);
    assert_int_equal(counts, 6);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bit_ops),         cmocka_unit_test(test_bit_refusals),
        cmocka_unit_test(test_hll_sets),        cmocka_unit_test(test_hll_refusals),
        cmocka_unit_test(test_context_refused), cmocka_unit_test(test_dataset_query),
    };
    return cmocka_run_group_tests(tests, it_setup, it_teardown);
}
