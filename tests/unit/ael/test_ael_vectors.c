/*
 * AEL test vectors of ael.md 2.14 (V and E) and the worked examples of
 * protocol.md 8.4, each run as its own cmocka test. Expected bytes are
 * written independently of the encoder (xpect.h specs or hand hex).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/ael.h>
#include <aero/error.h>

#include "xpect.h"

typedef struct vec {
    const char *id;
    const char *ael;
    const char *spec; /* xpect spec, or NULL when hex is given */
    const char *hex;
    const aero_value *args;
    size_t n_args;
} vec;

static const aero_value v60a[] = { { .type = AERO_STR, .v.str = { "'str'", 5 } } };
static const aero_value v60b[] = { { .type = AERO_INT, .v.i = 5 }, { .type = AERO_INT, .v.i = 10 } };

#define GEO "{\"type\":\"Point\",\"coordinates\":[1.5,2.5]}"

static const vec V[] = {
    { "V01", "$.A > 10", "[3 i3 " IB("A") " i10", NULL, NULL, 0 },
    { "V02", "$.name >= 'text'", "[3 i4 " SB("name") " s:text", NULL, NULL, 0 },
    { "V04", "$.price > 19.99", "[3 i3 " FB("price") " f:19.99", NULL, NULL, 0 },
    { "V05", "$.active == true", "[3 i1 " BB("active") " T", NULL, NULL, 0 },
    { "V06", "$.intBin1 < $.intBin2", "[3 i5 " IB("intBin1") " " IB("intBin2"), NULL, NULL, 0 },
    { "V07", "$.intBin1 > 100 and $.intBin2 > 100 or $.intBin3 < 100",
      "[3 i17 [3 i16 [3 i3 " IB("intBin1") " i100 [3 i3 " IB("intBin2") " i100 [3 i5 " IB("intBin3") " i100", NULL,
      NULL, 0 },
    { "V08", "$.intBin1 > 100 and ($.intBin2 > 100 or $.intBin3 < 100)",
      "[3 i16 [3 i3 " IB("intBin1") " i100 [3 i17 [3 i3 " IB("intBin2") " i100 [3 i5 " IB("intBin3") " i100", NULL,
      NULL, 0 },
    { "V09", "not($.keyExists())", "[2 i18 [1 i71", NULL, NULL, 0 },
    { "V10", "$.boolBin1 and $.boolBin2", "[3 i16 " BB("boolBin1") " " BB("boolBin2"), NULL, NULL, 0 },
    { "V12", "($.apples + $.bananas) > 10.5", "[3 i3 [3 i20 " FB("apples") " " FB("bananas") " f:10.5", NULL, NULL, 0 },
    { "V13", "($.apples + $.bananas) > 10.5 and ($.oranges + $.grapes) <= 5",
      "[3 i16 [3 i3 [3 i20 " FB("apples") " " FB("bananas") " f:10.5 [3 i6 [3 i20 " IB("oranges") " " IB(
          "grapes") " i5",
      NULL, NULL, 0 },
    { "V14", "(($.apples + $.bananas) + $.oranges) > 10",
      "[3 i3 [3 i20 [3 i20 " IB("apples") " " IB("bananas") " " IB("oranges") " i10", NULL, NULL, 0 },
    { "V16", "$.blobBin1.get(type: BLOB) == \"AQID\"", "[3 i1 " BLB("blobBin1") " b:010203", NULL, NULL, 0 },
    { "V17", "$.listBin1.[] == [100]", "[3 i1 " LB("listBin1") " [2 i126 [1 i100", NULL, NULL, 0 },
    { "V18", "$.mapBin1.{} == {100:100}", "[3 i1 " MB("mapBin1") " {1 i100 i100", NULL, NULL, 0 },
    { "V19", "$.bin.asInt() == 1", "[3 i1 [2 i30 " FB("bin") " i1", NULL, NULL, 0 },
    { "V20", "$.listBin1.[0].asInt() == 100", "[3 i1 [2 i30 [5 i127 i7 i0 [3 i19 i7 i0 " LB("listBin1") " i100", NULL,
      NULL, 0 },
    { "V22a", "$.recordSize() > 1048576", "[3 i3 [1 i65 i1048576", NULL, NULL, 0 },
    { "V22b", "$.deviceSize() > 1048576", "[3 i3 [1 i65 i1048576", NULL, NULL, 0 },
    { "V22c", "$.memorySize() > 1048576", "[3 i3 [1 i65 i1048576", NULL, NULL, 0 },
    { "V23", "$.digestModulo(3) == $.digestModulo", "[3 i1 [2 i64 i3 " IB("digestModulo"), NULL, NULL, 0 },
    { "V24", "$.setName() == \"groupA\" or $.setName() == \"groupB\"",
      "[3 i17 [3 i1 [1 i70 s:groupA [3 i1 [1 i70 s:groupB", NULL, NULL, 0 },
    { "V25", "$.listBin1.[0] == \"stringVal\"", "[3 i1 [5 i127 i3 i0 [3 i19 i7 i0 " LB("listBin1") " s:stringVal", NULL,
      NULL, 0 },
    { "V27", "$.listBin1.[=100].count() > 0", "[3 i3 [5 i127 i2 i0 [3 i22 i5 i100 " LB("listBin1") " i0", NULL, NULL,
      0 },
    { "V28", "$.listBin1.[1].count() == 100",
      "[3 i1 [5 i127 i2 i0 [1 i16 [5 i127 i4 i0 [3 i19 i7 i1 " LB("listBin1") " i100", NULL, NULL, 0 },
    { "V29a", "$.listBin1.[1:3]", "[5 i127 i4 i0 [4 i24 i7 i1 i2 " LB("listBin1"), NULL, NULL, 0 },
    { "V29b", "$.listBin1.[!2:4]", "[5 i127 i4 i0 [4 i24 i65543 i2 i2 " LB("listBin1"), NULL, NULL, 0 },
    { "V29c", "$.listBin1.[1:]", "[5 i127 i4 i0 [3 i24 i7 i1 " LB("listBin1"), NULL, NULL, 0 },
    { "V30", "$.listBin1.[=a,b,c]", "[5 i127 i4 i0 [3 i23 i7 [2 i126 [3 s:a s:b s:c " LB("listBin1"), NULL, NULL, 0 },
    /* Open value range: the end is omitted (server: no end = infinity), as Java and Rust do. */
    { "V31", "$.listBin1.[=111:]", "[5 i127 i4 i0 [3 i25 i7 i111 " LB("listBin1"), NULL, NULL, 0 },
    { "V32", "$.mapBin1.a.bb.bcc > 200",
      "[3 i3 [5 i127 i2 i0 [3 i255 [4 i34 s:a i34 s:bb [3 i97 i7 s:bcc " MB("mapBin1") " i200", NULL, NULL, 0 },
    { "V34a", "$.m.55 == 10", "[3 i1 [5 i127 i2 i0 [3 i97 i7 i55 " MB("m") " i10", NULL, NULL, 0 },
    { "V34b", "$.m.\"55\" == 10", "[3 i1 [5 i127 i2 i0 [3 i97 i7 s:55 " MB("m") " i10", NULL, NULL, 0 },
    { "V35a", "$.m.{1-5} == 100", "[3 i1 [5 i127 i4 i0 [4 i103 i7 i1 i5 " MB("m") " i100", NULL, NULL, 0 },
    { "V35b", "$.mapBin1.{a-c}", "[5 i127 i4 i0 [4 i103 i7 s:a s:c " MB("mapBin1"), NULL, NULL, 0 },
    { "V37", "$.mapBin1.{0:1~a}", "[5 i127 i4 i0 [5 i109 i7 s:a i0 i1 " MB("mapBin1"), NULL, NULL, 0 },
    { "V38", "$.mapBin1.a.get(type: INT, return: COUNT) == 5", "[3 i1 [5 i127 i2 i0 [3 i97 i5 s:a " MB("mapBin1") " i5",
      NULL, NULL, 0 },
    { "V39a", "$.mapbin.a.exists()", "[5 i127 i1 i0 [3 i97 i13 s:a " MB("mapbin"), NULL, NULL, 0 },
    { "V39b", "$.a.exists()", "[3 i2 [2 i82 r:a i0", NULL, NULL, 0 },
    { "V40", "$.name in [\"Bob\", \"Mary\"]", "[5 i127 i1 i0 [3 i22 i13 " SB("name") " [2 i126 [2 s:Bob s:Mary", NULL,
      NULL, 0 },
    { "V41", "\"gold\" in $.allowedStatuses", "[5 i127 i1 i0 [3 i22 i13 s:gold " LB("allowedStatuses"), NULL, NULL, 0 },
    { "V42", "$.a + 5 in [10, 20, 30]", "[5 i127 i1 i0 [3 i22 i13 [3 i20 " IB("a") " i5 [2 i126 [3 i10 i20 i30", NULL,
      NULL, 0 },
    { "V44", "let (sum = $.a + $.b) then (${sum}) > 100",
      "[3 i3 [4 i125 r:sum [3 i20 " IB("a") " " IB("b") " [2 i124 r:sum i100", NULL, NULL, 0 },
    { "V45", "when ($.who == 1 => \"bob\", $.who == 2 => \"fred\", default => \"other\")",
      "[6 i123 [3 i1 " IB("who") " i1 s:bob [3 i1 " IB("who") " i2 s:fred s:other", NULL, NULL, 0 },
    { "V46", "-$.x > 0", "[3 i3 [3 i22 " IB("x") " i-1 i0", NULL, NULL, 0 },
    { "V48a", "(1 + 2 << 3) == 24", "[3 i1 [3 i36 [3 i20 i1 i2 i3 i24", NULL, NULL, 0 },
    { "V48b", "(1 << 2 & 0xFF) == 4", "[3 i1 [3 i32 [3 i36 i1 i2 i255 i4", NULL, NULL, 0 },
    { "V50", "(~-5) == 4", "[3 i1 [2 i35 i-5 i4", NULL, NULL, 0 },
    { "V51a", "log($.val, 10.0) > 3.0", "[3 i3 [3 i25 " FB("val") " f:10 f:3", NULL, NULL, 0 },
    { "V51b", "max($.x, $.y) > 0.0", "[3 i3 [3 i51 " FB("x") " " FB("y") " f:0", NULL, NULL, 0 },
    { "V52", "countOneBits($.a & $.b) > 3", "[3 i3 [2 i39 [3 i32 " IB("a") " " IB("b") " i3", NULL, NULL, 0 },
    { "V53", "geoCompare($.loc, geoJson('" GEO "'))", "[3 i8 " GB("loc") " g:" GEO, NULL, NULL, 0 },
    { "V55", "$.h.hllMayContain(['alice', 'bob']) == 1",
      "[3 i1 [5 i127 i2 i2 [2 i56 [2 i126 [2 s:alice s:bob " HB("h") " i1", NULL, NULL, 0 },
    { "V56", "when($.a == 1 => unknown, default => 0)", "[4 i123 [3 i1 " IB("a") " i1 [1 i0 i0", NULL, NULL, 0 },
    { "V57a", "$.name@host.key == 5", "[3 i1 [5 i127 i2 i0 [3 i97 i7 s:key " MB("name@host") " i5", NULL, NULL, 0 },
    { "V57b", "$.@attr.[0] == 5", "[3 i1 [5 i127 i2 i0 [3 i19 i7 i0 " LB("@attr") " i5", NULL, NULL, 0 },
    { "V58a", "$.and == 1 and $.or == 2", "[3 i16 [3 i1 " IB("and") " i1 [3 i1 " IB("or") " i2", NULL, NULL, 0 },
    { "V58b", "$.in == 5", "[3 i1 " IB("in") " i5", NULL, NULL, 0 },
    { "V60a", "$.strBin1 > ?0", "[3 i3 " SB("strBin1") " s:'str'", NULL, v60a, 1 },
    { "V60b", "($.apples + ?0) > ?1", "[3 i3 [3 i20 " IB("apples") " i5 i10", NULL, v60b, 2 },

    /* protocol.md 8.4 worked examples expressible in AEL (hand hex). */
    { "P1", "$.age > 21", NULL, "93 03 93 51 02 a3 61 67 65 15", NULL, 0 },
    { "P2", "$.name == 'x' and $.n > 5", NULL, "93 10 93 01 93 51 03 a4 6e 61 6d 65 a2 03 78 93 03 93 51 02 a1 6e 05",
      NULL, 0 },
    { "P3", "$.tags.count() > 2", NULL, "93 03 95 7f 02 00 91 10 93 51 04 a4 74 61 67 73 02", NULL, 0 },
    { "P4", "$.m.k == \"v\"", NULL, "93 01 95 7f 03 00 93 61 07 a2 03 6b 93 51 05 a1 6d a2 03 76", NULL, 0 },
    { "P5", "let (x = $.a) then (${x} > 10)", NULL, "94 7d a1 78 93 51 02 a1 61 93 03 92 7c a1 78 0a", NULL, 0 },
    { "P7", "$.ttl() < 3600", NULL, "93 05 91 45 cd 0e 10", NULL, 0 },
    { "P8", "not($.d.exists())", NULL, "92 12 93 02 92 52 a1 64 00", NULL, 0 },
    { "P10", "$.f >= 1.5", NULL, "93 04 93 51 07 a1 66 cb 3f f8 00 00 00 00 00 00", NULL, 0 },
    { "P11", "$.b.get(type: BLOB) == 'AQI='", NULL, "93 01 93 51 06 a1 62 a3 04 01 02", NULL, 0 },
    { "P13", "$.m.a.[0] == 7", NULL, "93 01 95 7f 02 00 93 cc ff 92 22 a2 03 61 93 13 07 00 93 51 05 a1 6d 07", NULL,
      0 },
};

static void test_vector(void **state) {
    const vec *v = *state;
    aero_error err;
    aero_expr *e = aero_ael_compile(v->ael, v->args, v->n_args, &err);
    if (!e)
        fprintf(stderr, "%s: %s: %s\n", v->id, v->ael, err.message);
    assert_non_null(e);
    assert_int_equal(err.code, AERO_OK);
    size_t len;
    const uint8_t *got = aero_expr_bytes(e, &len);
    xbuf want = v->spec ? xpect(v->spec) : xhex(v->hex);
    if (len != want.n || memcmp(got, want.b, len) != 0) {
        fprintf(stderr, "%s: %s\n", v->id, v->ael);
        xdump("  want", want.b, want.n);
        xdump("  got ", got, len);
    }
    assert_int_equal(len, want.n);
    assert_memory_equal(got, want.b, len);
    aero_expr_free(e);
}

typedef struct evec {
    const char *id;
    const char *ael;
    const char *frag; /* expected message fragment */
    const aero_value *args;
    size_t n_args;
} evec;

static const aero_value one_int[] = { { .type = AERO_INT, .v.i = 100 } };

static const evec E[] = {
    { "E01", "$.strBin == yes", "mismatched input", NULL, 0 },
    { "E02a", "($.intBin1 > 100 and ($.intBin2 > 100) or)", "mismatched input", NULL, 0 },
    { "E02b", "and ($.a > 1)", "mismatched input", NULL, 0 },
    { "E03", "exclusive($.hand == \"hook\")", "at least 2 arguments", NULL, 0 },
    { "E04", "$.boolBin1.get(type: BOOL) == 5", "Cannot compare BOOL to INT", NULL, 0 },
    { "E06", "$.stringBin1.get(type: STRING) == $.floatBin2.get(type: FLOAT)", "Cannot compare STRING to FLOAT", NULL,
      0 },
    { "E07a", "100 != 'text'", "Cannot compare", NULL, 0 },
    { "E07b", "28.asFloat() == \"hello\"", "Cannot compare", NULL, 0 },
    { "E08", "(12 + \"x\") > 0", "numeric", NULL, 0 },
    { "E09", "nonExistentFn($.a) == 5", "Unknown function", NULL, 0 },
    { "E10a", "abs($.a, $.b) == 5", "expects 1 argument", NULL, 0 },
    { "E10b", "log(2.0) == 0.0", "expects 2 argument", NULL, 0 },
    { "E10c", "min(5) == 5", "at least 2 arguments", NULL, 0 },
    { "E11a", "$.name in \"Bob\"", "IN operation requires a List", NULL, 0 },
    { "E11b", "$.name in 42", "IN operation requires a List", NULL, 0 },
    { "E11c", "$.name in {\"a\": 1}", "IN operation requires a List", NULL, 0 },
    { "E11d", "$.name in $.ttl()", "IN operation requires a List", NULL, 0 },
    { "E11e", "$.name in $.tags.get(type: INT)", "IN operation requires a List", NULL, 0 },
    { "E13a", "$.itemType in $.allowedItems", "cannot infer the type", NULL, 0 },
    { "E13b", "$.name in $.rooms.room1.name", "cannot infer the type", NULL, 0 },
    { "E14", "$.name.get(type: STRING) in [1, 2]", "Cannot compare", NULL, 0 },
    { "E16a", "$.intBin1 > ?0", "no placeholder values provided", NULL, 0 },
    { "E16b", "$.intBin1 > ?1", "Missing value for placeholder ?1", one_int, 1 },
    { "E18a", "$.\"\" == 5", "must not be empty", NULL, 0 },
    { "E18b", "$.'' == 5", "must not be empty", NULL, 0 },
    { "E19a", "$.123 == 5", "only digits", NULL, 0 },
    { "E19b", "let(x@ = 5) then (${x} + 1)", "mismatched input", NULL, 0 },
    { "E20a", "$.x == 1 blah", "mismatched input 'blah'", NULL, 0 },
    { "E20b", "$.x == 1 +", "unexpected end of input", NULL, 0 },
    { "E22a", "$.a.exists(1)", "mismatched input", NULL, 0 },
    { "E22b", "$.a.exists ()", "mismatched input", NULL, 0 },
    { "E22c", "$.mapbin.a.exists( )", "mismatched input", NULL, 0 },
    { "E23", "$.listBin1.[stringValue] == 100", "mismatched input", NULL, 0 },
    { "E24a", "$.mapBin1.get(type: MAP) == {[100]:[100]}", "Map literal keys must be int or string", NULL, 0 },
    { "E24b", "{yes, of course}", "mismatched input", NULL, 0 },
    { "E25a", "geoJson()", "expects 1 argument", NULL, 0 },
    { "E25b", "geoJson(123)", "string literal", NULL, 0 },
    { "E25c", "geoJson('a','b')", "expects 1 argument", NULL, 0 },
    { "E25d", "geoCompare(geoJson('{}'))", "expects 2 argument", NULL, 0 },
    /* ael.md 2.2 lexical rejections and the C port's decisions. */
    { "X01", "$.a > 10.", "mismatched input", NULL, 0 },
    { "X02", "$.a > .0x10", "mismatched input", NULL, 0 },
    { "X03", "$.a > ..37", "mismatched input", NULL, 0 },
    { "X04", "$.a > .3.7", "mismatched input", NULL, 0 },
    { "X05", "$.a < $.b < $.c", "mismatched input", NULL, 0 },
    { "X06", "$.l.remove() == 1", "not supported", NULL, 0 },
    { "X07", "$.l.[=1].[0] == 1", "Failed to parse AEL expression", NULL, 0 },
    { "X08", "$.nullable == 1", "must not contain 'null'", NULL, 0 },
    { "X09", "$.a in [1, 1.5]", "same type", NULL, 0 },
    { "X10", "${nope} == 1", "Unknown variable", NULL, 0 },
    { "X11", "$.a == 'x", "unterminated string", NULL, 0 },
    { "X12", "$.a == 99999999999999999999", "out of range", NULL, 0 },
    { "X13", "$.a == [1, $.b]", "only constants", NULL, 0 },
    { "X14", "$.b.get(type: BLOB) == 'A'", "base64", NULL, 0 },
    { "X15", "$.l.[1.5] == 1", "mismatched input", NULL, 0 },
    { "X16", "", "unexpected end of input", NULL, 0 },
    { "X17", "True", "mismatched input", NULL, 0 },
};

static void test_error(void **state) {
    const evec *v = *state;
    aero_error err;
    aero_expr *e = aero_ael_compile(v->ael, v->args, v->n_args, &err);
    if (e) {
        size_t len;
        const uint8_t *b = aero_expr_bytes(e, &len);
        fprintf(stderr, "%s: %s compiled but must not\n", v->id, v->ael);
        xdump("  got", b, len);
        aero_expr_free(e);
    }
    assert_null(e);
    assert_int_equal(err.code, AERO_ERR_AEL);
    if (!strstr(err.message, v->frag))
        fprintf(stderr, "%s: %s: message '%s' lacks '%s'\n", v->id, v->ael, err.message, v->frag);
    assert_non_null(strstr(err.message, v->frag));
    /* Every message starts with line:col. */
    int line = 0, col = 0;
    assert_int_equal(sscanf(err.message, "%d:%d:", &line, &col), 2);
    assert_true(line >= 1 && col >= 1);
}

int main(void) {
    size_t nv = sizeof V / sizeof V[0], ne = sizeof E / sizeof E[0];
    struct CMUnitTest *t = calloc(nv + ne, sizeof *t);
    if (!t)
        return 1;
    for (size_t i = 0; i < nv; i++) {
        t[i].name = V[i].id;
        t[i].test_func = test_vector;
        t[i].initial_state = (void *)&V[i];
    }
    for (size_t i = 0; i < ne; i++) {
        t[nv + i].name = E[i].id;
        t[nv + i].test_func = test_error;
        t[nv + i].initial_state = (void *)&E[i];
    }
    int r = _cmocka_run_group_tests("ael-vectors", t, nv + ne, NULL, NULL);
    free(t);
    return r;
}
