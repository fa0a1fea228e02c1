/*
 * More AEL coverage beyond ael.md 2.14: every list and map selector, contexts,
 * count()/asInt() variants, HLL, operators, literals, placeholders of every
 * kind, and parse_ctx (including the E26 errors). Expected bytes are written
 * by hand with xpect.h specs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/ael.h>

#include <pthread.h>

#include "xpect.h"
#include "aero_assert.h"

typedef struct cvec {
    const char *id;
    const char *ael;
    const char *spec;
} cvec;

static const cvec C[] = {
    { "C01", "$.l.[#-1] == 5", "[3 i1 [5 i127 i2 i0 [3 i21 i7 i-1 " LB("l") " i5" },
    { "C02", "$.l.[=5]", "[5 i127 i4 i0 [3 i22 i7 i5 " LB("l") "" },
    { "C03", "$.l.[#1:3]", "[5 i127 i4 i0 [4 i26 i7 i1 i2 " LB("l") "" },
    { "C04", "$.l.[#0:2~10]", "[5 i127 i4 i0 [5 i27 i7 i10 i0 i2 " LB("l") "" },
    { "C05", "$.l.[#0:~10]", "[5 i127 i4 i0 [4 i27 i7 i10 i0 " LB("l") "" },
    { "C06", "$.l.[=1:5]", "[5 i127 i4 i0 [4 i25 i7 i1 i5 " LB("l") "" },
    { "C07", "$.l.[!=a,b]", "[5 i127 i4 i0 [3 i23 i65543 [2 i126 [2 s:a s:b " LB("l") "" },
    { "C08", "$.m.{1} == 'x'", "[3 i1 [5 i127 i3 i0 [3 i98 i7 i1 " MB("m") " s:x" },
    { "C09", "$.m.{#-1} == 'x'", "[3 i1 [5 i127 i3 i0 [3 i100 i7 i-1 " MB("m") " s:x" },
    { "C10", "$.m.{=5}", "[5 i127 i4 i0 [3 i102 i7 i5 " MB("m") "" },
    { "C11", "$.m.{a,b}", "[5 i127 i4 i0 [3 i107 i7 [2 i126 [2 s:a s:b " MB("m") "" },
    { "C12", "$.m.{!1:3}", "[5 i127 i4 i0 [4 i104 i65543 i1 i2 " MB("m") "" },
    { "C13", "$.m.{#1:}", "[5 i127 i4 i0 [3 i106 i7 i1 " MB("m") "" },
    { "C14", "$.m.{=1:}.count() > 1", "[3 i3 [5 i127 i2 i0 [3 i105 i5 i1 " MB("m") " i1" },
    { "C15", "$.l.[0].[1] == 2", "[3 i1 [5 i127 i2 i0 [3 i255 [2 i16 i0 [3 i19 i7 i1 " LB("l") " i2" },
    { "C16", "$.m.{0}.{#1}.k == 'v'", "[3 i1 [5 i127 i3 i0 [3 i255 [4 i32 i0 i33 i1 [3 i97 i7 s:k " MB("m") " s:v" },
    { "C17", "$.m.a.{}.count() > 1", "[3 i3 [5 i127 i2 i0 [1 i96 [5 i127 i5 i0 [3 i97 i7 s:a " MB("m") " i1" },
    { "C18", "$.m.{}.count() > 1", "[3 i3 [5 i127 i2 i0 [1 i96 " MB("m") " i1" },
    { "C19", "$.mapBin.count() > 1", "[3 i3 [5 i127 i2 i0 [1 i16 " LB("mapBin") " i1" },
    { "C20", "$.m.5.count() > 1", "[3 i3 [5 i127 i2 i0 [1 i16 [5 i127 i4 i0 [3 i97 i7 s:5 " MB("m") " i1" },
    { "C21", "$.a.asFloat() > 1.5", "[3 i3 [2 i31 " IB("a") " f:1.5" },
    { "C22", "27.9.asInt() == $.x", "[3 i1 i27 " IB("x") "" },
    { "C23", "$.h.hllCount() > 10", "[3 i3 [5 i127 i2 i2 [1 i50 " HB("h") " i10" },
    { "C24", "$.h.hllUnionCount($.g) > 1", "[3 i3 [5 i127 i2 i2 [2 i52 " HB("g") " " HB("h") " i1" },
    { "C25", "$.x ** 2 > 4.0", "[3 i3 [3 i24 " FB("x") " i2 f:4" },
    { "C26", "$.a % 3 == 1", "[3 i1 [3 i26 " IB("a") " i3 i1" },
    { "C27", "$.a >> 2 == 1 or $.a >>> 2 == 1",
      "[3 i17 [3 i1 [3 i38 " IB("a") " i2 i1 [3 i1 [3 i37 " IB("a") " i2 i1" },
    { "C28", "-2.0 ** 2.0 == 4.0", "[3 i1 [3 i24 f:-2 f:2 f:4" },
    { "C29", "--5 == 5", "[3 i1 i5 i5" },
    { "C30", "$.name.get(type: STRING) in $.rooms.room1.names",
      "[5 i127 i1 i0 [3 i22 i13 " SB("name") " [5 i127 i3 i0 [3 i255 [2 i34 s:room1 [3 i97 i7 s:names " MB(
          "rooms") "" },
    { "C31", "$.x == 0xFFFFFFFFFFFFFFFF", "[3 i1 " IB("x") " u:18446744073709551615" },
    { "C32", "$.x == -9223372036854775808", "[3 i1 " IB("x") " i-9223372036854775808" },
    { "C33", "$.a and not($.b) or exclusive($.c, $.d)",
      "[3 i17 [3 i16 " BB("a") " [2 i18 " BB("b") " [3 i19 " BB("c") " " BB("d") "" },
    { "C34", "abs($.a) > 1.5", "[3 i3 [2 i27 " FB("a") " f:1.5" },
    { "C35", "floor($.a) == 2.0", "[3 i1 [2 i28 " FB("a") " f:2" },
    { "C36", "findBitLeft($.a, true) == 3", "[3 i1 [3 i40 " IB("a") " T i3" },
    { "C37", "$.l.[] in [[1], [2]]", "[5 i127 i1 i0 [3 i22 i13 " LB("l") " [2 i126 [2 [1 i1 [1 i2" },
    { "C38", "$.a == 1 and ($.b == 2 and $.c == 3)",
      "[3 i16 [3 i1 " IB("a") " i1 [3 i16 [3 i1 " IB("b") " i2 [3 i1 " IB("c") " i3" },
    { "C39", "$.a == 1 and $.b == 2 and $.c == 3",
      "[4 i16 [3 i1 " IB("a") " i1 [3 i1 " IB("b") " i2 [3 i1 " IB("c") " i3" },
    { "C40", "$.'my bin' == \"x\"", "[3 i1 " SB("my~bin") " s:x" },
    { "C41", "$.IN == 1", "[3 i1 " IB("in") " i1" },
    { "C42", "let (a = 1, b = ${a} + 1) then (${b} == 2)",
      "[6 i125 r:a i1 r:b [3 i20 [2 i124 r:a i1 [3 i1 [2 i124 r:b i2" },
    { "C43", "$.a == 1\n  and $.b == 0b101", "[3 i16 [3 i1 " IB("a") " i1 [3 i1 " IB("b") " i5" },
    { "C44", "when($.a => 1, default => 2) == 1", "[3 i1 [4 i123 " BB("a") " i1 i2 i1" },
    { "C45", "{'a': [1, 2], 5: true} == $.m.{}", "[3 i1 {2 s:a [2 i1 i2 i5 T " MB("m") "" },
    { "C46", "$.m.-3 == 1 and $.m.+0x10 == 2",
      "[3 i16 [3 i1 [5 i127 i2 i0 [3 i97 i7 i-3 " MB("m") " i1 [3 i1 [5 i127 i2 i0 [3 i97 i7 i16 " MB("m") " i2" },
    { "C47", "$.l.[1].get(return: EXISTS)", "[5 i127 i1 i0 [3 i19 i13 i1 " LB("l") "" },
    { "C48", "$.m.{#0}.get(return: RANK) == 0", "[3 i1 [5 i127 i2 i0 [3 i100 i3 i0 " MB("m") " i0" },
    { "C49", "$.l.[0].get(return: RANK) == 0", "[3 i1 [5 i127 i2 i0 [3 i19 i7 i0 " LB("l") " i0" },
    /* a key range read: VALUE is the default return, COUNT changes only the return type */
    { "C50", "$.m.{a-c}.get(return: VALUE)", "[5 i127 i4 i0 [4 i103 i7 s:a s:c " MB("m") "" },
    { "C51", "$.m.{a-c}.get(return: COUNT) > 1", "[3 i3 [5 i127 i2 i0 [4 i103 i5 s:a s:c " MB("m") " i1" },
    { "C50", "$.x.get(type: GEO)", "" GB("x") "" },
    { "C51", "$.x", "" IB("x") "" },
};

static void check(const char *id, const char *ael, const aero_value *args, size_t n, const char *spec) {
    aero_error err;
    aero_expr *e = aero_ael_compile(ael, args, n, &err);
    if (!e)
        fprintf(stderr, "%s: %s: %s\n", id, ael, err.message);
    assert_non_null(e);
    size_t len;
    const uint8_t *got = aero_expr_bytes(e, &len);
    xbuf want = xpect(spec);
    if (len != want.n || memcmp(got, want.b, len) != 0) {
        fprintf(stderr, "%s: %s\n", id, ael);
        xdump("  want", want.b, want.n);
        xdump("  got ", got, len);
    }
    assert_int_equal(len, want.n);
    assert_memory_equal(got, want.b, len);
    aero_expr_free(e);
}

static void test_vector(void **state) {
    const cvec *v = *state;
    check(v->id, v->ael, NULL, 0, v->spec);
}

static void test_placeholder_kinds(void **s) {
    static const uint8_t blob[] = { 1, 2 };
    aero_value b = aero_blob(blob, 2);
    /* A blob value has no inferred type (ael.md 2.8): the bin falls back to INT. */
    check("PH-blob", "?0 == $.x", &b, 1, "[3 i1 b:0102 " IB("x"));
    aero_value items[] = { aero_int(1), aero_int(2) };
    aero_value l = aero_list(items, 2);
    /* A list value gives IN its element type. */
    check("PH-list", "$.x in ?0", &l, 1, "[5 i127 i1 i0 [3 i22 i13 " IB("x") " [2 i126 [2 i1 i2");
    aero_value f[] = { aero_double(2.5), aero_bool(true) };
    check("PH-float-bool", "$.a > ?0 and $.b == ?1", f, 2, "[3 i16 [3 i3 " FB("a") " f:2.5 [3 i1 " BB("b") " T");
    aero_map_entry me[] = { { aero_str("k"), aero_int(1) } };
    aero_value m = aero_map(me, 1);
    check("PH-map", "$.m.{} == ?0", &m, 1, "[3 i1 " MB("m") " {1 s:k i1");
    /* Extra values are ignored; a placeholder may repeat. */
    aero_value three[] = { aero_int(7), aero_int(8), aero_int(9) };
    check("PH-repeat", "$.a == ?0 or $.b == ?0", three, 3, "[3 i17 [3 i1 " IB("a") " i7 [3 i1 " IB("b") " i7");
}

static void test_parse_ctx(void **s) {
    char bin[16];
    uint8_t *ctx;
    size_t n;
    aero_error err;
    assert_aero_ok(aero_ael_parse_ctx("$.listBin1.[0].a.{#-1}.[=100].{=x}.{2}.[#3]", bin, sizeof bin, &ctx, &n, &err),
                   &err);
    assert_string_equal(bin, "listBin1");
    xbuf w = xpect("[14 i16 i0 i34 s:a i33 i-1 i19 i100 i35 s:x i32 i2 i17 i3");
    assert_int_equal(n, w.n);
    assert_memory_equal(ctx, w.b, n);
    free(ctx);

    static const struct {
        const char *in, *frag;
    } bad[] = {
        { "", "Path must not be null or empty" },
        { "$.listBin1", "CDT context is not provided" },
        { "$.listBin1.[0] == 100", "EXPRESSION_CONTAINER" },
        { "$.listBin1.[0].get(type: INT)", "Path function is unsupported" },
        { "$.listBin1.[1:3]", "Unsupported CDT part type" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(aero_ael_parse_ctx(bad[i].in, bin, sizeof bin, &ctx, &n, &err), AERO_ERR_AEL);
        assert_null(ctx);
        if (!strstr(err.message, bad[i].frag))
            fprintf(stderr, "%s -> %s\n", bad[i].in, err.message);
        assert_non_null(strstr(err.message, bad[i].frag));
    }
    assert_int_equal(aero_ael_parse_ctx(NULL, bin, sizeof bin, &ctx, &n, &err), AERO_ERR_AEL);
}

static void test_expr_bytes_api(void **s) {
    static const uint8_t raw[] = { 0x93, 0x03, 0x93, 0x51, 0x02, 0xa1, 0x61, 0x01 };
    aero_error err;
    assert_null(aero_expr_from_bytes(NULL, 3, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    aero_expr *e = aero_expr_from_bytes(raw, sizeof raw, &err);
    assert_non_null(e);
    size_t n;
    const uint8_t *b = aero_expr_bytes(e, &n);
    assert_int_equal(n, sizeof raw);
    assert_memory_equal(b, raw, n);
    assert_true(b != raw);
    aero_expr_free(e);
    aero_expr_free(NULL);
    assert_null(aero_expr_bytes(NULL, &n));
    assert_int_equal(n, 0);
    assert_null(aero_ael_compile(NULL, NULL, 0, &err));
    assert_int_equal(err.code, AERO_ERR_AEL);
}

/*
 * Return types the SDK's grammar accepts but ignores (it reads values): refused
 * at the name, never compiled to a read of values.
 */
static void test_get_return_without_effect_is_refused(void **s) {
    (void)s;
    static const struct {
        const char *ael, *msg;
    } cases[] = {
        { "$.m.{a-c}.get(return: KEY)",
          "1:23: get(return: KEY) is not supported: the SDK ignores it and would return values" },
        { "$.m.{a-c}.get(type: LIST, return: KEY_VALUE)",
          "1:35: get(return: KEY_VALUE) is not supported: the SDK ignores it and would return values" },
        { "$.m.{#0:2}.get(return: NONE)",
          "1:24: get(return: NONE) is not supported: the SDK ignores it and would return values" },
        { "$.l.[0].get(return: REVERSE_INDEX) == 1",
          "1:21: get(return: REVERSE_INDEX) is not supported: the SDK ignores it and would return values" },
        { "$.m.a.get(return: REVERSE_RANK) == 1",
          "1:19: get(return: REVERSE_RANK) is not supported: the SDK ignores it and would return values" },
        { "$.m.{a-c}.get(return: FOO)", "1:23: Unknown return type 'FOO' in get(return: ...)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        aero_error err;
        aero_expr *e = aero_ael_compile(cases[i].ael, NULL, 0, &err);
        assert_null(e);
        assert_int_equal(err.code, AERO_ERR_AEL);
        assert_string_equal(err.message, cases[i].msg);
    }
}

static void test_deep_nesting_is_an_error(void **s) {
    static char text[65536];
    size_t k = 0;
    /* Redundant parentheses do not deepen the tree: fine up to the parser's stack limit. */
    for (int i = 0; i < 3000; i++)
        text[k++] = '(';
    text[k++] = '1';
    for (int i = 0; i < 3000; i++)
        text[k++] = ')';
    text[k] = '\0';
    aero_error err;
    aero_expr *e = aero_ael_compile(text, NULL, 0, &err);
    assert_non_null(e);
    aero_expr_free(e);
    k = 0;
    for (int i = 0; i < 30000; i++)
        text[k++] = '(';
    text[k++] = '1';
    for (int i = 0; i < 30000; i++)
        text[k++] = ')';
    text[k] = '\0';
    assert_null(aero_ael_compile(text, NULL, 0, &err));
    assert_int_equal(err.code, AERO_ERR_AEL);
    assert_non_null(strstr(err.message, "nested too deeply"));
    k = 0;
    for (int i = 0; i < 300; i++) {
        memcpy(text + k, "not(", 4);
        k += 4;
    }
    text[k++] = '1';
    for (int i = 0; i < 300; i++)
        text[k++] = ')';
    text[k] = '\0';
    assert_null(aero_ael_compile(text, NULL, 0, &err));
    assert_non_null(strstr(err.message, "nested too deeply"));
}

/* Reentrancy: threads compiling at once get the single-threaded bytes. */
#define MT_TEXT \
    "$.status == 'active' and $.age > 21 or $.m.a.[0] in [1, 2] and when($.x > 1 => 'a', default => 'b') == 'a'"

static void *mt_worker(void *arg) {
    const aero_expr *ref = arg;
    size_t rn;
    const uint8_t *rb = aero_expr_bytes(ref, &rn);
    for (int i = 0; i < 2000; i++) {
        aero_error err;
        aero_expr *e = aero_ael_compile(i % 2 ? MT_TEXT : "$.a ==", NULL, 0, &err);
        if (i % 2) {
            size_t n;
            const uint8_t *b = e ? aero_expr_bytes(e, &n) : NULL;
            if (!b || n != rn || memcmp(b, rb, n) != 0) {
                aero_expr_free(e);
                return (void *)1;
            }
        } else if (e || strstr(err.message, "1:7:") != err.message) {
            aero_expr_free(e);
            return (void *)1;
        }
        aero_expr_free(e);
    }
    return NULL;
}

static void test_threads(void **s) {
    aero_error err;
    aero_expr *ref = aero_ael_compile(MT_TEXT, NULL, 0, &err);
    assert_non_null(ref);
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, mt_worker, ref), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        assert_int_equal(pthread_join(th[i], &r), 0);
        assert_null(r);
    }
    aero_expr_free(ref);
}

int main(void) {
    size_t nv = sizeof C / sizeof C[0];
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_placeholder_kinds),        cmocka_unit_test(test_parse_ctx),
        cmocka_unit_test(test_expr_bytes_api),           cmocka_unit_test(test_get_return_without_effect_is_refused),
        cmocka_unit_test(test_deep_nesting_is_an_error), cmocka_unit_test(test_threads),
    };
    size_t nf = sizeof fixed / sizeof fixed[0];
    struct CMUnitTest *t = calloc(nv + nf, sizeof *t);
    if (!t)
        return 1;
    for (size_t i = 0; i < nv; i++) {
        t[i].name = C[i].id;
        t[i].test_func = test_vector;
        t[i].initial_state = (void *)&C[i];
    }
    for (size_t i = 0; i < nf; i++)
        t[nv + i] = fixed[i];
    int r = _cmocka_run_group_tests("ael-more", t, nv + nf, NULL, NULL);
    free(t);
    return r;
}
