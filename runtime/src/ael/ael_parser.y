/*
 * ael/ael_parser.y - AEL grammar (ael.md 2.3 - 2.8) and ael__parse(), which
 * runs the scanner and the parser over a text. Pure parser; builds the
 * syntax tree in the compile arena. Precedence is spelled out as one rule per
 * level so comparisons are non-associative (a < b < c is a syntax error).
 */
%define api.pure full
%define api.prefix {ael_yy}
%define parse.error custom
%locations
%param {yyscan_t scanner}
%parse-param {ael_ctx *c}

%code requires {
#include <stdint.h>
#include "ael/ael_ast.h"
typedef void *yyscan_t;
typedef struct AEL_YYLTYPE {
    int first_line, first_column, last_line, last_column;
    size_t off, end;
} AEL_YYLTYPE;
#define AEL_YYLTYPE_IS_DECLARED 1
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                   \
    do {                                                              \
        if (N) {                                                      \
            (Cur).first_line = YYRHSLOC(Rhs, 1).first_line;           \
            (Cur).first_column = YYRHSLOC(Rhs, 1).first_column;       \
            (Cur).off = YYRHSLOC(Rhs, 1).off;                         \
            (Cur).last_line = YYRHSLOC(Rhs, N).last_line;             \
            (Cur).last_column = YYRHSLOC(Rhs, N).last_column;         \
            (Cur).end = YYRHSLOC(Rhs, N).end;                         \
        } else {                                                      \
            (Cur).first_line = (Cur).last_line = YYRHSLOC(Rhs, 0).last_line; \
            (Cur).first_column = (Cur).last_column = YYRHSLOC(Rhs, 0).last_column; \
            (Cur).off = (Cur).end = YYRHSLOC(Rhs, 0).end;             \
        }                                                             \
    } while (0)
}

%union {
    ael_node *node;
    ael_part *part;
    struct { const char *p; size_t len; } s;
    uint64_t u;
    int64_t i;
    double d;
    int op;
}

%code {
#include <stdio.h>
#include <string.h>

#include "proto/cdt_ops.h"
#include "proto/exp_ops.h"

/* The scanner's entry points (ael_lexer.l; flex writes no header for them). */
struct yy_buffer_state;
int ael_yylex(AEL_YYSTYPE *lval, AEL_YYLTYPE *lloc, yyscan_t scanner);
int ael_yylex_init_extra(struct ael_ctx *extra, yyscan_t *scanner);
struct yy_buffer_state *ael_yy_scan_bytes(const char *bytes, int len, yyscan_t scanner);
int ael_yylex_destroy(yyscan_t scanner);

#define L(loc) (loc).first_line, (loc).first_column
#define CHK(x) do { if (!(x)) YYABORT; } while (0)

static ael_node *mk(ael_ctx *c, ael_kind k, AEL_YYLTYPE loc) { return ael__node(c, k, loc.first_line, loc.first_column); }

static ael_node *mk2(ael_ctx *c, ael_kind k, int op, ael_node *a, ael_node *b, AEL_YYLTYPE loc) {
    ael_node *n = mk(c, k, loc);
    if (!n || !ael__add_kid(c, n, a) || (b && !ael__add_kid(c, n, b)))
        return NULL;
    n->op = (uint8_t)op;
    return n;
}

/* and / or chains flatten unless the left side was parenthesised. */
static ael_node *nary(ael_ctx *c, ael_kind k, ael_node *a, ael_node *b, AEL_YYLTYPE loc) {
    if (a->kind == k && !a->paren)
        return ael__add_kid(c, a, b) ? a : NULL;
    return mk2(c, k, 0, a, b, loc);
}

static ael_node *int_node(ael_ctx *c, uint64_t u, AEL_YYLTYPE loc) {
    ael_node *n = mk(c, N_INT, loc);
    if (!n)
        return NULL;
    n->type = AERO_AEL_INT;
    if (u > (uint64_t)INT64_MAX) {
        n->big = true;
        n->v.u = u;
    } else {
        n->v.i = (int64_t)u;
    }
    return n;
}

static ael_node *sint_node(ael_ctx *c, int64_t i, AEL_YYLTYPE loc) {
    ael_node *n = mk(c, N_INT, loc);
    if (n) {
        n->type = AERO_AEL_INT;
        n->v.i = i;
    }
    return n;
}

static ael_node *str_node(ael_ctx *c, const char *p, size_t len, AEL_YYLTYPE loc) {
    ael_node *n = mk(c, N_STR, loc);
    if (n) {
        n->type = AERO_AEL_STRING;
        n->v.s.p = p;
        n->v.s.len = len;
    }
    return n;
}

/* Unary minus: folds on literals, otherwise mul(x, -1). */
static ael_node *negate(ael_ctx *c, ael_node *x, AEL_YYLTYPE loc) {
    if (x->kind == N_INT && !x->paren) {
        if (x->big) {
            if (x->v.u != (uint64_t)INT64_MAX + 1) {
                ael__error(c, L(loc), "integer literal out of range");
                return NULL;
            }
            x->big = false;
            x->v.i = INT64_MIN;
        } else if (x->v.i == INT64_MIN) {
            x->big = true;
            x->v.u = (uint64_t)INT64_MAX + 1;
        } else {
            x->v.i = -x->v.i;
        }
        x->line = loc.first_line;
        x->col = loc.first_column;
        return x;
    }
    if (x->kind == N_FLOAT && !x->paren) {
        x->v.d = -x->v.d;
        x->line = loc.first_line;
        x->col = loc.first_column;
        return x;
    }
    ael_node *m1 = sint_node(c, -1, loc);
    return m1 ? mk2(c, N_ARITH, AERO_EXP_OP_MUL, x, m1, loc) : NULL;
}

/* N.asInt() / N.asFloat() on a literal fold at parse time. */
static ael_node *cast_lit(ael_ctx *c, ael_node *x, bool to_int, AEL_YYLTYPE loc) {
    if (!x)
        return NULL;
    if (to_int && x->kind == N_FLOAT) {
        double d = x->v.d;
        if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) {
            ael__error(c, L(loc), "asInt() of %g is out of range", d);
            return NULL;
        }
        x->kind = N_INT;
        x->type = AERO_AEL_INT;
        x->big = false;
        x->v.i = (int64_t)d;
    } else if (!to_int && x->kind == N_INT) {
        double d = x->big ? (double)x->v.u : (double)x->v.i;
        x->kind = N_FLOAT;
        x->type = AERO_AEL_FLOAT;
        x->big = false;
        x->v.d = d;
    }
    return x;
}

static ael_part *part(ael_ctx *c, ael_part_kind k, AEL_YYLTYPE loc) {
    ael_part *p = ael__alloc(c, sizeof *p);
    if (p) {
        memset(p, 0, sizeof *p);
        p->kind = (uint8_t)k;
        p->line = loc.first_line;
        p->col = loc.first_column;
        p->get_type = AEL_T_DEFERRED;
        p->get_return = -1;
    }
    return p;
}

static ael_part *fnpart(ael_ctx *c, ael_pfn fn, AEL_YYLTYPE loc) {
    ael_part *p = part(c, P_FN, loc);
    if (p)
        p->fn = (uint8_t)fn;
    return p;
}

/* Ranges given as start:end become start + count (count = end - start). */
static ael_part *range(ael_ctx *c, ael_part_kind k, int64_t a, const int64_t *b, AEL_YYLTYPE loc) {
    ael_part *p = part(c, k, loc);
    if (!p)
        return NULL;
    p->a = sint_node(c, a, loc);
    if (!p->a)
        return NULL;
    if (b) {
        if ((a < 0 && *b > INT64_MAX + a) || (a > 0 && *b < INT64_MIN + a)) {
            ael__error(c, L(loc), "range is too large");
            return NULL;
        }
        p->has_count = true;
        p->count = *b - a;
    }
    return p;
}

static ael_part *invert(ael_ctx *c, ael_part *p, AEL_YYLTYPE loc) {
    switch (p->kind) {
    case P_LIST_INDEX: case P_LIST_RANK: case P_MAP_INDEX: case P_MAP_RANK: case P_MAP_KEY:
        ael__error(c, L(loc), "'!' applies only to value, range and list selectors");
        return NULL;
    default:
        p->inverted = true;
        return p;
    }
}

static ael_node *path_add(ael_ctx *c, ael_node *n, ael_part *p) {
    ael_path *pa = n->v.path;
    if (pa->n_parts == pa->cap_parts) {
        uint32_t cap = pa->cap_parts ? pa->cap_parts * 2 : 4;
        ael_part *np = ael__alloc(c, cap * sizeof *np);
        if (!np)
            return NULL;
        if (pa->n_parts)
            memcpy(np, pa->parts, pa->n_parts * sizeof *np);
        pa->parts = np;
        pa->cap_parts = cap;
    }
    pa->parts[pa->n_parts++] = *p;
    return n;
}

static int type_by_name(const char *s) {
    static const struct { const char *n; int t; } tab[] = {
        {"INT", AERO_AEL_INT}, {"STRING", AERO_AEL_STRING}, {"FLOAT", AERO_AEL_FLOAT},
        {"BOOL", AERO_AEL_BOOL}, {"BLOB", AERO_AEL_BLOB}, {"LIST", AERO_AEL_LIST},
        {"MAP", AERO_AEL_MAP}, {"GEO", AERO_AEL_GEO}, {"HLL", AERO_AEL_HLL},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(s, tab[i].n) == 0)
            return tab[i].t;
    return -1;
}

/*
 * CDT return types; RANK is sorted out later. -2: names the SDK's grammar
 * accepts but ignores (it reads values instead), refused here rather than
 * compiled to a read of something else.
 */
static int32_t return_by_name(const char *s) {
    static const struct { const char *n; int32_t r; } tab[] = {
        {"VALUE", AERO_CDT_RT_VALUE}, {"COUNT", AERO_CDT_RT_COUNT}, {"EXISTS", AERO_CDT_RT_EXISTS},
        {"INDEX", AERO_CDT_RT_INDEX}, {"RANK", AERO_CDT_RT_RANK},
        {"ORDERED_MAP", AERO_CDT_RT_ORDERED_MAP}, {"UNORDERED_MAP", AERO_CDT_RT_UNORDERED_MAP},
        {"KEY", -2}, {"KEY_VALUE", -2}, {"NONE", -2}, {"REVERSE_INDEX", -2}, {"REVERSE_RANK", -2},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(s, tab[i].n) == 0)
            return tab[i].r;
    return -1;
}

static void return_error(ael_ctx *c, const char *name, int32_t r, AEL_YYLTYPE loc) {
    if (r == -2)
        ael__error(c, L(loc), "get(return: %s) is not supported: the SDK ignores it and would return values", name);
    else
        ael__error(c, L(loc), "Unknown return type '%s' in get(return: ...)", name);
}

static ael_node *placeholder(ael_ctx *c, uint64_t idx, AEL_YYLTYPE loc);
static void ael_yyerror(AEL_YYLTYPE *loc, yyscan_t scanner, ael_ctx *c, const char *msg) {
    (void)scanner;
    ael__error(c, loc->first_line, loc->first_column, "%s (expression nested too deeply)", msg);
}
static ael_node *call(ael_ctx *c, const char *name, ael_node *args, AEL_YYLTYPE loc);
}

%token T_END 0 "end of input"
%token <u> T_INT "integer" T_PH "placeholder" T_DIGEST "digestModulo(N)"
%token <d> T_FLOAT "float"
%token <s> T_STR "string" T_IDENT "identifier" T_VAR "variable" T_BINNAME "bin name"
%token <s> T_PKEY "map key" T_PKEYQ "quoted map key" T_FN_MUTATE "mutation function"
%token <i> T_PINT "integer key" T_META "metadata function" T_FN_HLL1 "HLL function"
%token T_PATH "$." T_DOT "." T_ASINT ".asInt()" T_ASFLOAT ".asFloat()" T_EMPTY_LIST "[]" T_EMPTY_MAP "{}"
%token T_AND "and" T_OR "or" T_NOT "not" T_EXCLUSIVE "exclusive" T_LET "let" T_THEN "then"
%token T_WHEN "when" T_DEFAULT "default" T_UNKNOWN "unknown" T_ERROR "error"
%token T_TRUE "true" T_FALSE "false" T_IN "in" T_EQ "==" T_NE "!=" T_GE ">=" T_LE "<="
%token T_POW "**" T_USHR ">>>" T_SHR ">>" T_SHL "<<" T_ARROW "=>"
%token T_LIST_DESIG "[] designator" T_MAP_DESIG "{} designator" T_FN_GET "get(" T_FN_EXISTS "exists()"
%token T_FN_COUNT "count()" T_FN_ASINT "asInt()" T_FN_ASFLOAT "asFloat()"
%token T_FN_HLLCOUNT "hllCount()" T_FN_HLLDESCRIBE "hllDescribe()" T_KW_TYPE "type" T_KW_RETURN "return"
%token T_BAD "invalid character"

%type <node> expr or_expr and_expr cmp_expr bit_expr shift_expr add_expr mul_expr pow_expr
%type <node> unary operand args list_items map_items let_defs when_list path pval kval vlist klist
%type <part> path_item list_sel lsel map_sel msel get_args
%type <i> sint
%type <op> cmp_op

%%

start: expr { c->root = $1; }
    ;

expr: or_expr ;

or_expr: and_expr
    | or_expr T_OR and_expr { CHK($$ = nary(c, N_OR, $1, $3, @2)); }
    ;

and_expr: cmp_expr
    | and_expr T_AND cmp_expr { CHK($$ = nary(c, N_AND, $1, $3, @2)); }
    ;

cmp_expr: bit_expr
    | bit_expr cmp_op bit_expr { CHK($$ = mk2(c, N_CMP, $2, $1, $3, @2)); }
    | bit_expr T_IN bit_expr { CHK($$ = mk2(c, N_IN, 0, $1, $3, @2)); }
    ;

cmp_op: T_EQ { $$ = AERO_EXP_OP_EQ; } | T_NE { $$ = AERO_EXP_OP_NE; } | '>' { $$ = AERO_EXP_OP_GT; }
    | T_GE { $$ = AERO_EXP_OP_GE; } | '<' { $$ = AERO_EXP_OP_LT; } | T_LE { $$ = AERO_EXP_OP_LE; }
    ;

bit_expr: shift_expr
    | bit_expr '&' shift_expr { CHK($$ = mk2(c, N_INTOP, AERO_EXP_OP_INT_AND, $1, $3, @2)); }
    | bit_expr '|' shift_expr { CHK($$ = mk2(c, N_INTOP, AERO_EXP_OP_INT_OR, $1, $3, @2)); }
    | bit_expr '^' shift_expr { CHK($$ = mk2(c, N_INTOP, AERO_EXP_OP_INT_XOR, $1, $3, @2)); }
    ;

shift_expr: add_expr
    | shift_expr T_SHL add_expr { CHK($$ = mk2(c, N_INTOP, AERO_EXP_OP_INT_LSHIFT, $1, $3, @2)); }
    | shift_expr T_SHR add_expr { CHK($$ = mk2(c, N_INTOP, AERO_EXP_OP_INT_ARSHIFT, $1, $3, @2)); }
    | shift_expr T_USHR add_expr { CHK($$ = mk2(c, N_INTOP, AERO_EXP_OP_INT_RSHIFT, $1, $3, @2)); }
    ;

add_expr: mul_expr
    | add_expr '+' mul_expr { CHK($$ = mk2(c, N_ARITH, AERO_EXP_OP_ADD, $1, $3, @2)); }
    | add_expr '-' mul_expr { CHK($$ = mk2(c, N_ARITH, AERO_EXP_OP_SUB, $1, $3, @2)); }
    ;

mul_expr: pow_expr
    | mul_expr '*' pow_expr { CHK($$ = mk2(c, N_ARITH, AERO_EXP_OP_MUL, $1, $3, @2)); }
    | mul_expr '/' pow_expr { CHK($$ = mk2(c, N_ARITH, AERO_EXP_OP_DIV, $1, $3, @2)); }
    | mul_expr '%' pow_expr { CHK($$ = mk2(c, N_INTOP, AERO_EXP_OP_MOD, $1, $3, @2)); }
    ;

pow_expr: unary
    | unary T_POW pow_expr { CHK($$ = mk2(c, N_FLOATOP, AERO_EXP_OP_POW, $1, $3, @2)); }
    ;

unary: operand
    | '-' unary { CHK($$ = negate(c, $2, @1)); }
    | '+' unary { $$ = $2; }
    | '~' unary { CHK($$ = mk2(c, N_INTOP, AERO_EXP_OP_INT_NOT, $2, NULL, @1)); }
    ;

operand: T_INT { CHK($$ = int_node(c, $1, @1)); }
    | T_FLOAT { CHK($$ = mk(c, N_FLOAT, @1)); $$->type = AERO_AEL_FLOAT; $$->v.d = $1; }
    | T_STR { CHK($$ = str_node(c, $1.p, $1.len, @1)); }
    | T_TRUE { CHK($$ = mk(c, N_BOOL, @1)); $$->type = AERO_AEL_BOOL; $$->v.b = true; }
    | T_FALSE { CHK($$ = mk(c, N_BOOL, @1)); $$->type = AERO_AEL_BOOL; $$->v.b = false; }
    | T_INT T_ASINT { CHK($$ = cast_lit(c, int_node(c, $1, @1), true, @2)); }
    | T_INT T_ASFLOAT { CHK($$ = cast_lit(c, int_node(c, $1, @1), false, @2)); }
    | T_FLOAT T_ASINT { CHK($$ = mk(c, N_FLOAT, @1)); $$->v.d = $1; CHK($$ = cast_lit(c, $$, true, @2)); }
    | T_FLOAT T_ASFLOAT { CHK($$ = mk(c, N_FLOAT, @1)); $$->type = AERO_AEL_FLOAT; $$->v.d = $1; }
    | '[' list_items ']' { $$ = $2; }
    | T_EMPTY_LIST { CHK($$ = mk(c, N_LIST, @1)); $$->type = AERO_AEL_LIST; }
    | '{' map_items '}' { $$ = $2; }
    | T_EMPTY_MAP { CHK($$ = mk(c, N_MAP, @1)); $$->type = AERO_AEL_MAP; }
    | path
    | T_PATH T_META { CHK($$ = mk(c, N_META, @1)); $$->op = (uint8_t)$2;
                      $$->type = ($2 == AERO_EXP_OP_SET_NAME) ? AERO_AEL_STRING
                          : ($2 == AERO_EXP_OP_KEY_EXISTS || $2 == AERO_EXP_OP_IS_TOMBSTONE) ? AERO_AEL_BOOL : AERO_AEL_INT; }
    | T_PATH T_DIGEST { ael_node *m; CHK(m = int_node(c, $2, @2));
                        CHK($$ = mk2(c, N_META, AERO_EXP_OP_DIGEST_MODULO, m, NULL, @1)); $$->type = AERO_AEL_INT; }
    | T_IDENT '(' args ')' { CHK($$ = call(c, $1.p, $3, @1)); }
    | T_IDENT {
          ael__error(c, L(@1), "mismatched input '%s': a bare word is not a value (quote strings: '%s')", $1.p, $1.p);
          YYABORT; }
    | T_IDENT '(' ')' { ael_node *a; CHK(a = mk(c, N_LIST, @2)); CHK($$ = call(c, $1.p, a, @1)); }
    | '(' expr ')' { $$ = $2; $$->paren = true; }
    | T_NOT '(' expr ')' { CHK($$ = mk2(c, N_NOT, AERO_EXP_OP_NOT, $3, NULL, @1)); }
    | T_EXCLUSIVE '(' args ')' {
          if ($3->n < 2) { ael__error(c, L(@1), "exclusive() needs at least 2 arguments"); YYABORT; }
          $$ = $3; $$->kind = N_EXCL; $$->line = @1.first_line; $$->col = @1.first_column; }
    | T_LET '(' let_defs ')' T_THEN '(' expr ')' { $$ = $3; CHK(ael__add_kid(c, $$, $7)); }
    | T_WHEN '(' when_list ',' T_DEFAULT T_ARROW expr ')' { $$ = $3; CHK(ael__add_kid(c, $$, $7)); }
    | T_UNKNOWN { CHK($$ = mk(c, N_UNKNOWN, @1)); $$->type = AEL_T_ANY; }
    | T_ERROR { CHK($$ = mk(c, N_UNKNOWN, @1)); $$->type = AEL_T_ANY; }
    | T_VAR { CHK($$ = mk(c, N_VAR, @1)); $$->v.s.p = $1.p; $$->v.s.len = $1.len; }
    | T_PH { CHK($$ = placeholder(c, $1, @1)); }
    ;

args: expr { CHK($$ = mk(c, N_LIST, @1)); CHK(ael__add_kid(c, $$, $1)); }
    | args ',' expr { $$ = $1; CHK(ael__add_kid(c, $$, $3)); }
    ;

list_items: expr { CHK($$ = mk(c, N_LIST, @1)); $$->type = AERO_AEL_LIST; CHK(ael__add_kid(c, $$, $1)); }
    | list_items ',' expr { $$ = $1; CHK(ael__add_kid(c, $$, $3)); }
    ;

map_items: expr ':' expr { CHK($$ = mk(c, N_MAP, @1)); $$->type = AERO_AEL_MAP;
                           CHK(ael__add_kid(c, $$, $1)); CHK(ael__add_kid(c, $$, $3)); }
    | map_items ',' expr ':' expr { $$ = $1; CHK(ael__add_kid(c, $$, $3)); CHK(ael__add_kid(c, $$, $5)); }
    ;

let_defs: T_IDENT '=' expr {
          CHK($$ = mk(c, N_LET, @1));
          CHK($$->v.names = ael__alloc(c, AEL_MAX_SCOPE * sizeof(char *)));
          CHK($$->name_lens = ael__alloc(c, AEL_MAX_SCOPE * sizeof(size_t)));
          $$->v.names[0] = $1.p; $$->name_lens[0] = $1.len;
          CHK(ael__add_kid(c, $$, $3)); }
    | let_defs ',' T_IDENT '=' expr {
          $$ = $1;
          if ($$->n >= AEL_MAX_SCOPE) { ael__error(c, L(@3), "too many let definitions"); YYABORT; }
          $$->v.names[$$->n] = $3.p; $$->name_lens[$$->n] = $3.len;
          CHK(ael__add_kid(c, $$, $5)); }
    ;

when_list: expr T_ARROW expr { CHK($$ = mk(c, N_WHEN, @1)); CHK(ael__add_kid(c, $$, $1)); CHK(ael__add_kid(c, $$, $3)); }
    | when_list ',' expr T_ARROW expr { $$ = $1; CHK(ael__add_kid(c, $$, $3)); CHK(ael__add_kid(c, $$, $5)); }
    ;

/* ---- paths ---- */

path: T_PATH T_BINNAME {
          CHK($$ = mk(c, N_PATH, @1));
          CHK($$->v.path = ael__alloc(c, sizeof(ael_path)));
          memset($$->v.path, 0, sizeof(ael_path));
          $$->v.path->bin = $2.p; $$->v.path->bin_len = $2.len;
          $$->v.path->get_type = AEL_T_DEFERRED; $$->v.path->get_return = -1;
          $$->type = AEL_T_DEFERRED; }
    | path T_DOT path_item {
          ael_path *pa = $1->v.path;
          if (pa->fn != PF_NONE) { ael__error(c, L(@2), "a path function must be the last part of a path"); YYABORT; }
          if ($3->kind == P_FN) {
              pa->fn = $3->fn; pa->get_type = $3->get_type; pa->get_return = $3->get_return; pa->fn_arg = $3->a;
          } else {
              CHK(path_add(c, $1, $3));
          }
          $$ = $1; }
    ;

path_item: T_PKEY { CHK($$ = part(c, P_MAP_KEY, @1)); CHK($$->a = str_node(c, $1.p, $1.len, @1)); }
    | T_PKEYQ { CHK($$ = part(c, P_MAP_KEY, @1)); CHK($$->a = str_node(c, $1.p, $1.len, @1)); }
    | T_PINT { CHK($$ = part(c, P_MAP_KEY, @1)); CHK($$->a = sint_node(c, $1, @1)); }
    | T_LIST_DESIG { CHK($$ = part(c, P_LIST_DESIG, @1)); }
    | T_MAP_DESIG { CHK($$ = part(c, P_MAP_DESIG, @1)); }
    | '[' list_sel ']' { $$ = $2; }
    | '{' map_sel '}' { $$ = $2; }
    | T_FN_GET get_args ')' { $$ = $2; }
    | T_FN_EXISTS { CHK($$ = fnpart(c, PF_EXISTS, @1)); }
    | T_FN_COUNT { CHK($$ = fnpart(c, PF_COUNT, @1)); }
    | T_FN_ASINT { CHK($$ = fnpart(c, PF_ASINT, @1)); }
    | T_FN_ASFLOAT { CHK($$ = fnpart(c, PF_ASFLOAT, @1)); }
    | T_FN_HLLCOUNT { CHK($$ = fnpart(c, PF_HLL_COUNT, @1)); }
    | T_FN_HLLDESCRIBE { CHK($$ = fnpart(c, PF_HLL_DESCRIBE, @1)); }
    | T_FN_HLL1 expr ')' { CHK($$ = fnpart(c, (ael_pfn)$1, @1)); $$->a = $2; }
    | T_FN_MUTATE {
          ael__error(c, L(@1), "path function '%s()' modifies data and is not supported in AEL filters", $1.p);
          YYABORT; }
    ;

get_args: T_KW_TYPE ':' T_IDENT {
          int t = type_by_name($3.p);
          if (t < 0) { ael__error(c, L(@3), "Unknown type '%s' in get(type: ...)", $3.p); YYABORT; }
          CHK($$ = fnpart(c, PF_GET, @1)); $$->get_type = (uint8_t)t; }
    | T_KW_RETURN ':' T_IDENT {
          int32_t r = return_by_name($3.p);
          if (r < 0) { return_error(c, $3.p, r, @3); YYABORT; }
          CHK($$ = fnpart(c, PF_GET, @1)); $$->get_return = r; }
    | get_args ',' T_KW_TYPE ':' T_IDENT {
          int t = type_by_name($5.p);
          if (t < 0) { ael__error(c, L(@5), "Unknown type '%s' in get(type: ...)", $5.p); YYABORT; }
          $$ = $1; $$->get_type = (uint8_t)t; }
    | get_args ',' T_KW_RETURN ':' T_IDENT {
          int32_t r = return_by_name($5.p);
          if (r < 0) { return_error(c, $5.p, r, @5); YYABORT; }
          $$ = $1; $$->get_return = r; }
    ;

sint: T_INT { if ($1 > (uint64_t)INT64_MAX) { ael__error(c, L(@1), "integer out of range"); YYABORT; } $$ = (int64_t)$1; }
    | '-' T_INT { if ($2 > (uint64_t)INT64_MAX + 1) { ael__error(c, L(@2), "integer out of range"); YYABORT; } $$ = (int64_t)(0 - $2); }
    | '+' T_INT { if ($2 > (uint64_t)INT64_MAX) { ael__error(c, L(@2), "integer out of range"); YYABORT; } $$ = (int64_t)$2; }
    ;

pval: sint { CHK($$ = sint_node(c, $1, @1)); }
    | T_IDENT { CHK($$ = str_node(c, $1.p, $1.len, @1)); }
    | T_STR { CHK($$ = str_node(c, $1.p, $1.len, @1)); }
    ;

kval: pval ;

vlist: pval ',' pval { CHK($$ = mk(c, N_LIST, @1)); $$->type = AERO_AEL_LIST;
                       CHK(ael__add_kid(c, $$, $1)); CHK(ael__add_kid(c, $$, $3)); }
    | vlist ',' pval { $$ = $1; CHK(ael__add_kid(c, $$, $3)); }
    ;

klist: vlist ;

list_sel: lsel
    | '!' lsel { CHK($$ = invert(c, $2, @1)); }
    ;

lsel: sint { CHK($$ = part(c, P_LIST_INDEX, @1)); CHK($$->a = sint_node(c, $1, @1)); }
    | '#' sint { CHK($$ = part(c, P_LIST_RANK, @1)); CHK($$->a = sint_node(c, $2, @2)); }
    | '=' pval { CHK($$ = part(c, P_LIST_VALUE, @1)); $$->a = $2; }
    | '=' vlist { CHK($$ = part(c, P_LIST_VALUE_LIST, @1)); $$->list = $2; }
    | '=' pval ':' pval { CHK($$ = part(c, P_LIST_VALUE_RANGE, @1)); $$->a = $2; $$->b = $4; $$->has_count = true; }
    | '=' pval ':' { CHK($$ = part(c, P_LIST_VALUE_RANGE, @1)); $$->a = $2; }
    | sint ':' sint { CHK($$ = range(c, P_LIST_INDEX_RANGE, $1, &$3, @1)); }
    | sint ':' { CHK($$ = range(c, P_LIST_INDEX_RANGE, $1, NULL, @1)); }
    | '#' sint ':' sint { CHK($$ = range(c, P_LIST_RANK_RANGE, $2, &$4, @1)); }
    | '#' sint ':' { CHK($$ = range(c, P_LIST_RANK_RANGE, $2, NULL, @1)); }
    | '#' sint ':' sint '~' pval { CHK($$ = range(c, P_LIST_RANK_REL, $2, &$4, @1)); $$->rel = $6; }
    | '#' sint ':' '~' pval { CHK($$ = range(c, P_LIST_RANK_REL, $2, NULL, @1)); $$->rel = $5; }
    ;

map_sel: msel
    | '!' msel { CHK($$ = invert(c, $2, @1)); }
    ;

msel: sint { CHK($$ = part(c, P_MAP_INDEX, @1)); CHK($$->a = sint_node(c, $1, @1)); }
    | '#' sint { CHK($$ = part(c, P_MAP_RANK, @1)); CHK($$->a = sint_node(c, $2, @2)); }
    | '=' pval { CHK($$ = part(c, P_MAP_VALUE, @1)); $$->a = $2; }
    | '=' vlist { CHK($$ = part(c, P_MAP_VALUE_LIST, @1)); $$->list = $2; }
    | '=' pval ':' pval { CHK($$ = part(c, P_MAP_VALUE_RANGE, @1)); $$->a = $2; $$->b = $4; $$->has_count = true; }
    | '=' pval ':' { CHK($$ = part(c, P_MAP_VALUE_RANGE, @1)); $$->a = $2; }
    | '#' sint ':' sint { CHK($$ = range(c, P_MAP_RANK_RANGE, $2, &$4, @1)); }
    | '#' sint ':' { CHK($$ = range(c, P_MAP_RANK_RANGE, $2, NULL, @1)); }
    | '#' sint ':' sint '~' pval { CHK($$ = range(c, P_MAP_RANK_REL, $2, &$4, @1)); $$->rel = $6; }
    | '#' sint ':' '~' pval { CHK($$ = range(c, P_MAP_RANK_REL, $2, NULL, @1)); $$->rel = $5; }
    | sint ':' sint { CHK($$ = range(c, P_MAP_INDEX_RANGE, $1, &$3, @1)); }
    | sint ':' { CHK($$ = range(c, P_MAP_INDEX_RANGE, $1, NULL, @1)); }
    | sint ':' sint '~' pval { CHK($$ = range(c, P_MAP_KEY_REL, $1, &$3, @1)); $$->rel = $5; }
    | sint ':' '~' pval { CHK($$ = range(c, P_MAP_KEY_REL, $1, NULL, @1)); $$->rel = $4; }
    | kval '-' kval { CHK($$ = part(c, P_MAP_KEY_RANGE, @1)); $$->a = $1; $$->b = $3; $$->has_count = true; }
    | kval '-' { CHK($$ = part(c, P_MAP_KEY_RANGE, @1)); $$->a = $1; }
    | klist { CHK($$ = part(c, P_MAP_KEY_LIST, @1)); $$->list = $1; }
    ;

%%

static ael_node *placeholder(ael_ctx *c, uint64_t idx, AEL_YYLTYPE loc) {
    if (c->values_mode) {
        if (c->n_values == 0) {
            ael__error(c, L(loc), "Placeholder used but no placeholder values provided");
            return NULL;
        }
        if (idx >= c->n_values) {
            ael__error(c, L(loc), "Missing value for placeholder ?%u", (unsigned)idx);
            return NULL;
        }
    }
    ael_node *n = mk(c, N_PH, loc);
    if (!n)
        return NULL;
    n->v.ph.index = (uint16_t)idx;
    if (idx < c->n_params && c->params) {
        n->type = c->params[idx].infer;
        n->v.ph.enc = c->params[idx].enc;
    } else {
        n->type = AEL_T_DEFERRED;
        n->v.ph.enc = AERO_AEL_ANY;
    }
    if ((int)idx > c->max_param)
        c->max_param = (int)idx;
    return n;
}

/* Named functions (ael.md 2.7). `args` is an N_LIST holding the arguments. */
static ael_node *call(ael_ctx *c, const char *name, ael_node *args, AEL_YYLTYPE loc) {
    static const struct { const char *name; uint8_t kind, op; int8_t arity; } fns[] = {
        {"abs", N_ABS, AERO_EXP_OP_ABS, 1},
        {"ceil", N_FLOATOP, AERO_EXP_OP_CEIL, 1},
        {"floor", N_FLOATOP, AERO_EXP_OP_FLOOR, 1},
        {"log", N_FLOATOP, AERO_EXP_OP_LOG, 2},
        {"pow", N_FLOATOP, AERO_EXP_OP_POW, 2},
        {"max", N_MINMAX, AERO_EXP_OP_MAX, -2},
        {"min", N_MINMAX, AERO_EXP_OP_MIN, -2},
        {"countOneBits", N_INTOP, AERO_EXP_OP_INT_COUNT, 1},
        {"findBitLeft", N_INTOP, AERO_EXP_OP_INT_LSCAN, 2},
        {"findBitRight", N_INTOP, AERO_EXP_OP_INT_RSCAN, 2},
        {"geoJson", N_GEO, 0, 1},
        {"geoCompare", N_GEOCMP, AERO_EXP_OP_GEO_COMPARE, 2},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        if (strcmp(name, fns[i].name) != 0)
            continue;
        int ar = fns[i].arity;
        if (ar < 0 && (int)args->n < -ar) {
            ael__error(c, L(loc), "Function '%s' expects at least %d arguments, got %u", name, -ar, args->n);
            return NULL;
        }
        if (ar > 0 && (int)args->n != ar) {
            ael__error(c, L(loc), "Function '%s' expects %d argument(s), got %u", name, ar, args->n);
            return NULL;
        }
        if (fns[i].kind == N_GEO) {
            ael_node *s = args->kids[0];
            if (s->kind != N_STR || s->paren) {
                ael__error(c, L(loc), "Function 'geoJson' expects a string literal");
                return NULL;
            }
            s->kind = N_GEO;
            s->type = AERO_AEL_GEO;
            return s;
        }
        args->kind = fns[i].kind;
        args->op = fns[i].op;
        args->type = AEL_T_DEFERRED;
        args->line = loc.first_line;
        args->col = loc.first_column;
        return args;
    }
    ael__error(c, L(loc), "Unknown function: %s", name);
    return NULL;
}

/* Syntax errors read like ANTLR's: "mismatched input 'x'". */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, ael_ctx *c) {
    (void)scanner;
    const AEL_YYLTYPE *loc = yypcontext_location(ctx);
    yysymbol_kind_t tok = yypcontext_token(ctx);
    if (tok == YYSYMBOL_YYEOF) {
        ael__error(c, c->lline, c->lcol, "mismatched input '<EOF>': unexpected end of input");
        return 0;
    }
    size_t n = loc->end > loc->off ? loc->end - loc->off : 0;
    const char *t = c->text + loc->off;
    while (n && (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')) { t++; n--; }
    if (n > 40)
        n = 40;
    yysymbol_kind_t exp[4];
    int ne = yypcontext_expected_tokens(ctx, exp, 4);
    if (ne == 1)
        ael__error(c, loc->first_line, loc->first_column, "mismatched input '%.*s', expecting %s", (int)n, t, yysymbol_name(exp[0]));
    else
        ael__error(c, loc->first_line, loc->first_column, "mismatched input '%.*s'", (int)n, t);
    return 0;
}

/* Parse c->text into c->root. */
bool ael__parse(ael_ctx *c) {
    yyscan_t sc;
    size_t len = strlen(c->text);
    if (len > (size_t)1 << 30)
        return ael__error(c, 1, 1, "AEL text is too long");
    if (ael_yylex_init_extra(c, &sc) != 0)
        return ael__oom(c);
    volatile bool ok = false;
    if (setjmp(c->lex_fatal) != 0) {
        ael__oom(c);
    } else if (!ael_yy_scan_bytes(c->text, (int)len, sc)) {
        ael__oom(c);
    } else {
        int r = ael_yyparse(sc, c);
        if (r == 2)
            ael__oom(c);
        else if (r != 0 && !c->failed)
            ael__error(c, c->lline, c->lcol, "syntax error");
        ok = r == 0 && !c->failed && c->root;
    }
    ael_yylex_destroy(sc);
    return ok;
}
