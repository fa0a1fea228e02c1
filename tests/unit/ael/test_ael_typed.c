/*
 * Typed compile for aerogen (ael/ael_typed.h): bin environment, typed
 * placeholders, templates and aero_ael_template_fill().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/ael.h>

#include "ael/ael_typed.h"
#include "xpect.h"

static const aero_ael_bin bins[] = {
    { "status", AERO_AEL_STRING, NULL }, { "age", AERO_AEL_INT, NULL },   { "score", AERO_AEL_FLOAT, NULL }, { "tags", AERO_AEL_LIST, NULL },
    { "prefs", AERO_AEL_MAP, NULL },     { "flag", AERO_AEL_BOOL, NULL }, { "free", AERO_AEL_ANY, NULL },    { "photo", AERO_AEL_BLOB, NULL },
};
static const aero_ael_env env = { bins, sizeof bins / sizeof bins[0] };

static aero_expr *fill(const aero_ael_template *t, const aero_value *args, size_t n, aero_error *err) {
    return aero_ael_template_fill(t->bytes, t->len, t->slots, t->n_slots, args, n, err);
}

static void assert_expr(const aero_expr *e, const char *spec) {
    size_t len;
    const uint8_t *b = aero_expr_bytes(e, &len);
    xbuf want = xpect(spec);
    if (len != want.n || memcmp(b, want.b, len) != 0) {
        xdump("want", want.b, want.n);
        xdump("got ", b, len);
    }
    assert_int_equal(len, want.n);
    assert_memory_equal(b, want.b, len);
}

static void test_template_roundtrip(void **s) {
    aero_ael_template t;
    aero_ael_diag d;
    assert_int_equal(aero_ael__compile_typed("$.status == ?0 and $.age > ?1", &env, NULL, 0, &t, &d), AERO_OK);
    assert_int_equal(t.n_slots, 2);
    assert_int_equal(t.n_params, 2);
    assert_int_equal(t.slots[0].param, 0);
    assert_int_equal(t.slots[0].type, AERO_AEL_STRING);
    assert_int_equal(t.slots[1].param, 1);
    assert_int_equal(t.slots[1].type, AERO_AEL_INT);
    assert_true(t.slots[0].offset < t.slots[1].offset && t.slots[1].offset <= t.len);
    assert_int_equal(t.result, AERO_AEL_BOOL);
    /* Constant bytes are exactly the expression with the values cut out. */
    xbuf c = xpect("[3 i16 [3 i1 " SB("status") " [3 i3 " IB("age"));
    assert_int_equal(t.len, c.n);
    assert_memory_equal(t.bytes, c.b, c.n);

    aero_value args[] = { aero_str("active"), aero_int(21) };
    aero_error err;
    aero_expr *e = fill(&t, args, 2, &err);
    assert_non_null(e);
    assert_expr(e, "[3 i16 [3 i1 " SB("status") " s:active [3 i3 " IB("age") " i21");
    /* Same bytes as the run-time compiler. */
    aero_expr *r = aero_ael_compile("$.status == 'active' and $.age > 21", NULL, 0, &err);
    size_t l1, l2;
    const uint8_t *b1 = aero_expr_bytes(e, &l1), *b2 = aero_expr_bytes(r, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(b1, b2, l1);
    aero_expr_free(r);
    aero_expr_free(e);
    aero_ael__template_free(&t);
    assert_null(t.bytes);
}

static void test_env_types_bins(void **s) {
    aero_ael_template t;
    aero_ael_diag d;
    /* `$.flag` is bool, `$.score` float: no inference needed. */
    assert_int_equal(aero_ael__compile_typed("$.flag and $.score > 1", &env, NULL, 0, &t, &d), AERO_OK);
    xbuf w = xpect("[3 i16 " BB("flag") " [3 i3 " FB("score") " i1");
    assert_int_equal(t.len, w.n);
    assert_memory_equal(t.bytes, w.b, w.n);
    aero_ael__template_free(&t);
    /* A bin declared without a type falls back to inference. */
    assert_int_equal(aero_ael__compile_typed("$.free == 'x'", &env, NULL, 0, &t, &d), AERO_OK);
    w = xpect("[3 i1 " SB("free") " s:x");
    assert_int_equal(t.len, w.n);
    assert_memory_equal(t.bytes, w.b, w.n);
    aero_ael__template_free(&t);
}

static void expect_diag(const char *ael, const aero_ael_type *pt, size_t np, int line, int col, const char *frag) {
    aero_ael_template t;
    aero_ael_diag d;
    aero_status st = aero_ael__compile_typed(ael, &env, pt, np, &t, &d);
    if (st == AERO_OK || !strstr(d.message, frag) || d.line != line || d.col != col)
        fprintf(stderr, "%s -> %d %d:%d %s\n", ael, st, d.line, d.col, d.message);
    assert_int_equal(st, AERO_ERR_AEL);
    assert_null(t.bytes);
    assert_non_null(strstr(d.message, frag));
    assert_int_equal(d.line, line);
    assert_int_equal(d.col, col);
}

static void test_env_errors(void **s) {
    expect_diag("$.age == 'x'", NULL, 0, 1, 7, "bin 'age' is int, compared with string");
    expect_diag("'x' == $.age", NULL, 0, 1, 5, "bin 'age' is int, compared with string");
    expect_diag("$.status == 'a' and\n  $.agee > 1", NULL, 0, 2, 3, "unknown bin 'agee'");
    expect_diag("$.tags.a == 1", NULL, 0, 1, 1, "bin 'tags' is list, used as map");
    expect_diag("$.age.get(type: STRING) == 'a'", NULL, 0, 1, 1, "bin 'age' is int, read as string");
    expect_diag("$.status in [1, 2]", NULL, 0, 1, 10, "bin 'status' is string, compared with int");
}

static void test_conflicting_placeholder_use(void **s) {
    expect_diag("$.age == ?0 or $.status == ?0", NULL, 0, 1, 28, "placeholder ?0 is used both as int and as string");
    /* Declaring it turns the conflict into a plain type error. */
    const aero_ael_type pt[] = { AERO_AEL_INT };
    expect_diag("$.age == ?0 or $.status == ?0", pt, 1, 1, 25, "bin 'status' is string, compared with int");
}

static void test_declared_params(void **s) {
    aero_ael_template t;
    aero_ael_diag d;
    const aero_ael_type pt[] = { AERO_AEL_FLOAT, AERO_AEL_LIST };
    assert_int_equal(aero_ael__compile_typed("$.free > ?0 and $.status in ?1", &env, pt, 2, &t, &d), AERO_OK);
    assert_int_equal(t.n_slots, 2);
    assert_int_equal(t.slots[0].type, AERO_AEL_FLOAT);
    assert_int_equal(t.slots[1].type, AERO_AEL_LIST);
    aero_value items[] = { aero_str("a"), aero_str("b") };
    aero_value args[] = { aero_int(3), aero_list(items, 2) };
    aero_error err;
    aero_expr *e = fill(&t, args, 2, &err);
    assert_non_null(e);
    /* The deferred bin follows the declared FLOAT; the int argument becomes 3.0. */
    assert_expr(e, "[3 i16 [3 i3 " FB("free") " f:3 [5 i127 i1 i0 [3 i22 i13 " SB("status") " [2 i126 [2 s:a s:b");
    aero_expr_free(e);

    /* Wrong argument types and missing arguments are refused. */
    aero_value bad[] = { aero_str("x"), aero_list(items, 2) };
    assert_null(fill(&t, bad, 2, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "placeholder ?0 expects float"));
    assert_null(fill(&t, args, 1, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    assert_non_null(strstr(err.message, "?1"));
    aero_ael__template_free(&t);
}

static void test_fill_rejects_bad_slots(void **s) {
    static const uint8_t bytes[] = { 0x93, 0x03, 0x93, 0x51, 0x02, 0xa1, 0x61 };
    aero_ael_slot slots[] = { { 8, 0, AERO_AEL_INT } };
    aero_value a = aero_int(1);
    aero_error err;
    assert_null(aero_ael_template_fill(bytes, sizeof bytes, slots, 1, &a, 1, &err));
    assert_int_equal(err.code, AERO_ERR_PARAM);
    slots[0].offset = 7;
    aero_expr *e = aero_ael_template_fill(bytes, sizeof bytes, slots, 1, &a, 1, &err);
    assert_non_null(e);
    assert_expr(e, "[3 i3 " IB("a") " i1");
    aero_expr_free(e);
}

/* Type trees: a document bin, a list<string> and a map<string, int>. */
static const aero_ael_tnode t_int = { AERO_AEL_INT, NULL, NULL, NULL, NULL, 0 };
static const aero_ael_tnode t_str = { AERO_AEL_STRING, NULL, NULL, NULL, NULL, 0 };
static const aero_ael_tfield addr_fields[] = { { "zip", &t_int, NULL }, { "street", &t_str, NULL }, { "c", &t_str, "city" } };
static const aero_ael_tnode t_addr = { AERO_AEL_MAP, NULL, &t_str, "address", addr_fields, 3 };
static const aero_ael_tnode t_tags = { AERO_AEL_LIST, &t_str, NULL, NULL, NULL, 0 };
static const aero_ael_tnode t_prefs = { AERO_AEL_MAP, &t_int, &t_str, NULL, NULL, 0 };
static const aero_ael_bin tree_bins[] = {
    { "home", AERO_AEL_MAP, &t_addr },
    { "tags", AERO_AEL_LIST, &t_tags },
    { "prefs", AERO_AEL_MAP, &t_prefs },
};
static const aero_ael_env tree_env = { tree_bins, 3 };

/* The typed compile of `typed` (tree env) makes the same bytes as `plain` without an environment. */
static void expect_same(const char *typed, const char *plain, uint8_t slot_type) {
    aero_ael_template t, u;
    aero_ael_diag d;
    aero_status st = aero_ael__compile_typed(typed, &tree_env, NULL, 0, &t, &d);
    if (st != AERO_OK)
        fprintf(stderr, "%s -> %d:%d %s\n", typed, d.line, d.col, d.message);
    assert_int_equal(st, AERO_OK);
    const aero_ael_type pt[] = { (aero_ael_type)slot_type };
    assert_int_equal(aero_ael__compile_typed(plain, NULL, pt, 1, &u, &d), AERO_OK);
    assert_int_equal(t.len, u.len);
    assert_memory_equal(t.bytes, u.bytes, t.len);
    assert_int_equal(t.n_slots, 1);
    assert_int_equal(t.slots[0].type, slot_type);
    aero_ael__template_free(&t);
    aero_ael__template_free(&u);
}

static void expect_tree_diag(const char *ael, int col, const char *frag) {
    aero_ael_template t;
    aero_ael_diag d;
    aero_status st = aero_ael__compile_typed(ael, &tree_env, NULL, 0, &t, &d);
    if (st == AERO_OK || !strstr(d.message, frag) || d.col != col)
        fprintf(stderr, "%s -> %d %d:%d %s\n", ael, st, d.line, d.col, d.message);
    assert_int_equal(st, AERO_ERR_AEL);
    assert_non_null(strstr(d.message, frag));
    assert_int_equal(d.col, col);
}

static void test_type_trees(void **s) {
    /* The placeholder's type comes from the tree: int field, string element, int map value. */
    expect_same("$.home.zip > ?0", "$.home.zip.get(type: INT) > ?0", AERO_AEL_INT);
    expect_same("$.home.street == ?0", "$.home.street.get(type: STRING) == ?0", AERO_AEL_STRING);
    expect_same("$.tags.[0] == ?0", "$.tags.[0].get(type: STRING) == ?0", AERO_AEL_STRING);
    expect_same("$.prefs.dark == ?0", "$.prefs.dark.get(type: INT) == ?0", AERO_AEL_INT);
    expect_tree_diag("$.home.nope == 1", 8, "document 'address' (home) has no field 'nope'");
    expect_tree_diag("$.home.city == 'x'", 8, "field 'city' is stored under key 'c'");
    expect_same("$.home.c == ?0", "$.home.c.get(type: STRING) == ?0", AERO_AEL_STRING);
    expect_tree_diag("$.home.zip == 'x'", 12, "'home.zip' is int, compared with string");
    expect_tree_diag("$.tags.[0] == 1", 12, "'tags[0]' is string, compared with int");
    expect_tree_diag("$.prefs.7 == 1", 9, "map keys of 'prefs' are string, not int");
    expect_tree_diag("$.home.zip.[0] == 1", 13, "'home.zip' is int, used as list");
    expect_tree_diag("$.home.zip.get(type: STRING) == 'a'", 1, "'home.zip' is int, read as string");
}

static void test_no_env_is_plain_ael(void **s) {
    aero_ael_template t;
    aero_ael_diag d;
    assert_int_equal(aero_ael__compile_typed("$.x > ?0", NULL, NULL, 0, &t, &d), AERO_OK);
    assert_int_equal(t.n_slots, 1);
    assert_int_equal(t.slots[0].type, AERO_AEL_INT); /* both deferred: INT */
    aero_ael__template_free(&t);
    assert_int_equal(aero_ael__compile_typed("$.nosuch.[0] == 'a'", NULL, NULL, 0, &t, &d), AERO_OK);
    aero_ael__template_free(&t);
    assert_int_equal(aero_ael__compile_typed("$.a ==", NULL, NULL, 0, &t, &d), AERO_ERR_AEL);
    assert_int_equal(d.line, 1);
    assert_int_equal(d.col, 7);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_roundtrip),
        cmocka_unit_test(test_env_types_bins),
        cmocka_unit_test(test_env_errors),
        cmocka_unit_test(test_declared_params),
        cmocka_unit_test(test_conflicting_placeholder_use),
        cmocka_unit_test(test_fill_rejects_bad_slots),
        cmocka_unit_test(test_no_env_is_plain_ael),
        cmocka_unit_test(test_type_trees),
    };
    return cmocka_run_group_tests_name("ael-typed", tests, NULL, NULL);
}
