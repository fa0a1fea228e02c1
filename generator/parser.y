/*
 * parser.y - grammar of the aerogen schema language.
 *
 * Pure (reentrant) parser; everything it builds lives in the schema's arena,
 * so values dropped during error recovery need no destructors. Recovery
 * points (`error ';'` and `error '}'`) let one run report every syntax error.
 */
%require "3.5"
%define api.pure full
%define api.prefix {ag_yy}
%define parse.error custom
%define parse.lac full
%locations
%param {yyscan_t scanner}
%parse-param {ag_lex_state *st}

%code requires {
#include "lexer.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif
}

%code provides {
#define YYSTYPE AG_YYSTYPE
#define YYLTYPE AG_YYLTYPE
int ag_yylex(AG_YYSTYPE *yylval, AG_YYLTYPE *yylloc, yyscan_t scanner);
}

%code {
#include <string.h>

static void ag_yyerror(AG_YYLTYPE *loc, yyscan_t scanner, ag_lex_state *st, const char *msg)
{
    (void)scanner;
    ag_error(st->diags, AG_LOC(*loc), "%s", msg);
}

/* The scanner, wrapped to remember the previous token (for "expected ';' after"). */
int ag_yylex_raw(AG_YYSTYPE *yylval, AG_YYLTYPE *yylloc, yyscan_t scanner);
ag_lex_state *ag_yyget_extra(yyscan_t scanner);

int ag_yylex(AG_YYSTYPE *yylval, AG_YYLTYPE *yylloc, yyscan_t scanner)
{
    ag_lex_state *st = ag_yyget_extra(scanner);
    st->prev_end = st->cur_end;
    snprintf(st->prev_what, sizeof st->prev_what, "%s", st->cur_what);
    int errors = ag_diags_errors(st->diags);
    int tok = ag_yylex_raw(yylval, yylloc, scanner);
    if (ag_diags_errors(st->diags) > errors)
        st->lex_error_recent = 2;
    else if (st->lex_error_recent)
        st->lex_error_recent--;
    st->cur_end = (ag_loc){yylloc->last_line, yylloc->last_column, 1};
    if (tok == IDENT || (tok >= NAMESPACE && tok <= TYPE_KW))
        snprintf(st->cur_what, sizeof st->cur_what, "'%.40s'", yylval->tok.text);
    else if (tok == STRING)
        snprintf(st->cur_what, sizeof st->cur_what, "string");
    else if (tok == INTEGER || tok == REAL)
        snprintf(st->cur_what, sizeof st->cur_what, "'%.40s'", yylval->num.text);
    else if (tok > 0 && tok < 128)
        snprintf(st->cur_what, sizeof st->cur_what, "'%c'", tok);
    else
        snprintf(st->cur_what, sizeof st->cur_what, "this");
    return tok;
}

#define A(T) ((T *)ag_arena_alloc(st->arena, sizeof(T)))

static ag_type *mk_type(ag_lex_state *st, const char *name, ag_loc loc)
{
    ag_type *t = A(ag_type);
    t->name = name;
    t->loc = loc;
    return t;
}

static ag_str concat(ag_lex_state *st, ag_str a, ag_str b)
{
    ag_str r;
    r.len = a.len + b.len;
    r.s = ag_arena_alloc(st->arena, r.len + 1);
    memcpy(r.s, a.s, a.len);
    memcpy(r.s + a.len, b.s, b.len);
    r.map = ag_arena_alloc(st->arena, (r.len + 1) * sizeof *r.map);
    memcpy(r.map, a.map, a.len * sizeof *r.map);
    memcpy(r.map + a.len, b.map, (b.len + 1) * sizeof *r.map);
    return r;
}

static ag_lit *mk_int(ag_lex_state *st, ag_loc loc, uint64_t mag, bool neg, const char *text)
{
    ag_lit *l = A(ag_lit);
    l->kind = AG_L_INT;
    l->loc = loc;
    l->text = text;
    if (!neg && mag > (uint64_t)INT64_MAX) {
        ag_error(st->diags, loc, "integer '%s' does not fit in int64", text);
        mag = 0;
    }
    l->i = neg ? (mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag) : (int64_t)mag;
    return l;
}

static ag_lit *mk_real(ag_lex_state *st, ag_loc loc, double d, bool neg, const char *text)
{
    ag_lit *l = A(ag_lit);
    l->kind = AG_L_DOUBLE;
    l->loc = loc;
    l->d = neg ? -d : d;
    l->text = text;
    return l;
}

/* Span from the start of a to the end of b (same line), for `-` literals. */
static ag_loc join(AG_YYLTYPE a, AG_YYLTYPE b)
{
    ag_loc l = AG_LOC(a);
    if (a.first_line == b.last_line)
        l.len = b.last_column - a.first_column;
    return l;
}
}

%union {
    ag_tok tok;
    struct { uint64_t u; double d; const char *text; } num;
    ag_str str;
    ag_type *type;
    ag_lit *lit;
    ag_bin *bin;
    ag_record *rec;
    ag_query *query;
    ag_index *index;
    ag_doc *doc;
}

%token <tok> IDENT "identifier"
%token <num> INTEGER "integer"
%token <num> REAL "number"
%token <str> STRING "string"
%token <tok> NAMESPACE "namespace" RECORD "record" IN "in" SET "set" KEY "key"
%token <tok> REQUIRED "required" OPTIONAL "optional" QUERY "query" ON "on" WHERE "where"
%token <tok> TRUE_ "true" FALSE_ "false" BIN "bin"
%token <tok> INDEX "index"
%token <tok> TYPE_KW "type"

%type <type> type type_args
%type <lit> literal
%type <bin> modifiers
%type <rec> members
%type <doc> fields
%type <query> query_head params param_list
%type <str> strings
%type <tok> name ident
%type <index> index_opts

%%

file
    : %empty
    | file item
    ;

item
    : NAMESPACE name ';'
        {
            if (st->schema->n_ns++ == 0) {
                st->schema->ns = $2.text;
                st->schema->ns_loc = AG_LOC(@2);
            } else {
                ag_error(st->diags, AG_LOC(@1), "namespace declared twice");
                ag_note(st->diags, st->schema->ns_loc, "first declared here");
            }
        }
    | RECORD ident set_clause '{' members '}'
        {
            ag_record *r = $5;
            r->name = $2.text;
            r->loc = AG_LOC(@2);
            r->doc = $1.doc;
            *st->schema->records_tail = r;
            st->schema->records_tail = &r->next;
            st->schema->n_records++;
        }
    | RECORD ident set_clause '{' members error '}'
        {
            ag_record *r = $5;
            r->name = $2.text;
            r->loc = AG_LOC(@2);
            r->had_error = true;
            *st->schema->records_tail = r;
            st->schema->records_tail = &r->next;
            st->schema->n_records++;
        }
    | query_head ON ident WHERE strings ';'
        {
            ag_query *q = $1;
            q->record_name = $3.text;
            q->record_loc = AG_LOC(@3);
            q->where = $5.s;
            q->where_len = $5.len;
            q->where_map = $5.map;
            q->where_loc = AG_LOC(@5);
            *st->schema->queries_tail = q;
            st->schema->queries_tail = &q->next;
            st->schema->n_queries++;
        }
    | TYPE_KW ident '{' fields '}'
        {
            ag_doc *t = $4;
            t->name = $2.text;
            t->loc = AG_LOC(@2);
            t->doc = $1.doc;
            *st->schema->docs_tail = t;
            st->schema->docs_tail = &t->next;
            st->schema->n_docs++;
        }
    | TYPE_KW ident '{' fields error '}'
        {
            ag_doc *t = $4;
            t->name = $2.text;
            t->loc = AG_LOC(@2);
            t->had_error = true;
            *st->schema->docs_tail = t;
            st->schema->docs_tail = &t->next;
            st->schema->n_docs++;
        }
    | INDEX name ON ident '(' ident ')' index_opts ';'
        {
            ag_index *x = $8;
            x->name = $2.text;
            x->loc = AG_LOC(@2);
            x->doc = $1.doc;
            x->record_name = $4.text;
            x->record_loc = AG_LOC(@4);
            x->field = $6.text;
            x->field_loc = AG_LOC(@6);
            *st->schema->indexes_tail = x;
            st->schema->indexes_tail = &x->next;
            st->schema->n_indexes++;
        }
    | ';'
    | error ';'
    | error '}'
    ;

/* A name that may also be a keyword added after the language's first version (so `index` stays a valid field). */
ident
    : IDENT
    | INDEX
    | TYPE_KW
    ;

/* TYPE, then the collection kind and `context "PATH"` (their words are checked by sema). */
index_opts
    : IDENT
        {
            $$ = A(ag_index);
            $$->type_word = $1.text;
            $$->type_loc = AG_LOC(@1);
        }
    | index_opts IDENT
        {
            $$ = $1;
            if ($$->ctx)
                { $$->had_error = true; ag_error(st->diags, AG_LOC(@2), "'%s' after the context; write the collection kind before `context`", $2.text); }
            else if ($$->coll_word)
                { $$->had_error = true; ag_error(st->diags, AG_LOC(@2), "collection kind given twice ('%s', then '%s')", $$->coll_word, $2.text); }
            else {
                $$->coll_word = $2.text;
                $$->coll_loc = AG_LOC(@2);
            }
        }
    | index_opts IDENT strings
        {
            $$ = $1;
            if (strcmp($2.text, "context") != 0)
                { $$->had_error = true; ag_error(st->diags, AG_LOC(@2), "unexpected '%s' before a string, expected `context \"PATH\"`", $2.text); }
            else if ($$->ctx)
                { $$->had_error = true; ag_error(st->diags, AG_LOC(@2), "context given twice"); }
            else {
                $$->ctx = $3.s;
                $$->ctx_len = $3.len;
                $$->ctx_map = $3.map;
                $$->ctx_loc = AG_LOC(@3);
            }
        }
    ;

name
    : ident
    | STRING { $$.text = $1.s; $$.doc = NULL; if (strlen($1.s) != $1.len) ag_error(st->diags, AG_LOC(@1), "name contains a NUL byte"); }
    ;

set_clause
    : %empty { st->pending_set = NULL; }
    | IN SET name { st->pending_set = $3.text; st->pending_set_loc = AG_LOC(@3); }
    ;

members
    : %empty
        {
            $$ = A(ag_record);
            $$->bins_tail = &$$->bins;
            $$->set = st->pending_set;
            $$->set_loc = st->pending_set_loc;
        }
    | members KEY type ';'
        {
            $$ = $1;
            if ($$->n_keys++ == 0) {
                $$->key = $3;
                $$->key_loc = AG_LOC(@2);
            } else {
                ag_error(st->diags, AG_LOC(@2), "key declared twice");
                ag_note(st->diags, $$->key_loc, "first declared here");
            }
        }
    | members ident type modifiers ';'
        {
            $$ = $1;
            ag_bin *b = $4;
            b->field = $2.text;
            b->doc = $2.doc;
            b->loc = AG_LOC(@2);
            b->type = $3;
            if (!b->bin) {
                b->bin = b->field;
                b->bin_loc = b->loc;
            }
            *$$->bins_tail = b;
            $$->bins_tail = &b->next;
            $$->n_bins++;
        }
    | members error ';' { $$ = $1; $$->had_error = true; }
    ;

/* The fields of a document: like a record's bins, without `key`. */
fields
    : %empty
        {
            $$ = A(ag_doc);
            $$->fields_tail = &$$->fields;
        }
    | fields ident type modifiers ';'
        {
            $$ = $1;
            ag_bin *b = $4;
            b->field = $2.text;
            b->doc = $2.doc;
            b->loc = AG_LOC(@2);
            b->type = $3;
            if (!b->bin) {
                b->bin = b->field;
                b->bin_loc = b->loc;
            }
            *$$->fields_tail = b;
            $$->fields_tail = &b->next;
            $$->n_fields++;
        }
    | fields error ';' { $$ = $1; $$->had_error = true; }
    ;

modifiers
    : %empty { $$ = A(ag_bin); }
    | modifiers REQUIRED
        {
            $$ = $1;
            if ($$->required || $$->optional_kw)
                ag_error(st->diags, AG_LOC(@2), "'required' after '%s'", $$->required ? "required" : "optional");
            $$->required = true;
            $$->required_loc = AG_LOC(@2);
        }
    | modifiers OPTIONAL
        {
            $$ = $1;
            if ($$->required || $$->optional_kw)
                ag_error(st->diags, AG_LOC(@2), "'optional' after '%s'", $$->required ? "required" : "optional");
            $$->optional_kw = true;
            $$->required = false;
        }
    | modifiers '=' literal
        {
            $$ = $1;
            if ($$->dflt)
                ag_error(st->diags, AG_LOC(@2), "default value given twice");
            $$->dflt = $3;
        }
    | modifiers BIN STRING
        {
            $$ = $1;
            if ($$->bin != NULL)
                ag_error(st->diags, AG_LOC(@2), "bin name given twice");
            if (strlen($3.s) != $3.len)
                ag_error(st->diags, AG_LOC(@3), "bin name contains a NUL byte");
            $$->bin = $3.s;
            $$->bin_loc = AG_LOC(@3);
        }
    ;

type
    : ident { $$ = mk_type(st, $1.text, AG_LOC(@1)); }
    | IDENT '<' type_args '>'
        {
            $$ = $3;
            $$->name = $1.text;
            $$->loc = AG_LOC(@1);
        }
    ;

/* Builds the outer type node and collects its arguments. */
type_args
    : type
        {
            $$ = A(ag_type);
            $$->args[0] = $1;
            $$->n_args = 1;
        }
    | type_args ',' type
        {
            $$ = $1;
            if ($$->n_args < 2)
                $$->args[$$->n_args] = $3;
            $$->n_args++;
        }
    ;

literal
    : INTEGER { $$ = mk_int(st, AG_LOC(@1), $1.u, false, $1.text); }
    | '-' INTEGER { $$ = mk_int(st, join(@1, @2), $2.u, true, $2.text); }
    | REAL { $$ = mk_real(st, AG_LOC(@1), $1.d, false, $1.text); }
    | '-' REAL { $$ = mk_real(st, join(@1, @2), $2.d, true, $2.text); }
    | STRING
        {
            $$ = A(ag_lit);
            $$->kind = AG_L_STRING;
            $$->loc = AG_LOC(@1);
            $$->s = $1.s;
            $$->s_len = $1.len;
        }
    | TRUE_ { $$ = A(ag_lit); $$->kind = AG_L_BOOL; $$->b = true; $$->loc = AG_LOC(@1); }
    | FALSE_ { $$ = A(ag_lit); $$->kind = AG_L_BOOL; $$->b = false; $$->loc = AG_LOC(@1); }
    ;

query_head
    : QUERY ident params
        {
            $$ = $3;
            $$->name = $2.text;
            $$->loc = AG_LOC(@2);
            $$->doc = $1.doc;
        }
    ;

params
    : %empty { $$ = A(ag_query); $$->params_tail = &$$->params; }
    | '(' ')' { $$ = A(ag_query); $$->params_tail = &$$->params; }
    | '(' param_list ')' { $$ = $2; }
    ;

param_list
    : ident type
        {
            $$ = A(ag_query);
            $$->params_tail = &$$->params;
            ag_param *p = A(ag_param);
            p->name = $1.text;
            p->loc = AG_LOC(@1);
            p->type = $2;
            *$$->params_tail = p;
            $$->params_tail = &p->next;
            $$->n_params = 1;
        }
    | param_list ',' ident type
        {
            $$ = $1;
            ag_param *p = A(ag_param);
            p->name = $3.text;
            p->loc = AG_LOC(@3);
            p->type = $4;
            *$$->params_tail = p;
            $$->params_tail = &p->next;
            $$->n_params++;
        }
    ;

strings
    : STRING
    | strings STRING { $$ = concat(st, $1, $2); }
    ;

%%

#include "lexer_gen.h"

/* A token's name for messages: 'record', identifier, ';'. */
static const char *sym_name(yysymbol_kind_t k, char *buf, size_t n)
{
    if (k == YYSYMBOL_YYEOF)
        return "end of file";
    const char *s = yysymbol_name(k);
    size_t len = strlen(s);
    if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
        s++;
        len -= 2;
    }
    /* keywords are quoted like punctuation; "identifier", "string" are not */
    bool keyword = k >= YYSYMBOL_NAMESPACE && k <= YYSYMBOL_TYPE_KW;
    snprintf(buf, n, keyword ? "'%.*s'" : "%.*s", (int)len, s);
    return buf;
}

/*
 * Syntax errors, worded like a C compiler: a missing ';' at the end of a line
 * is reported after the previous token; otherwise the unexpected token and
 * what would have been accepted. A syntax error right after a lexical error
 * is not reported (it is a consequence of it).
 */
static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, ag_lex_state *st)
{
    (void)scanner;
    if (st->lex_error_recent)
        return 0;
    yysymbol_kind_t exp[8];
    int n = yypcontext_expected_tokens(ctx, exp, 8);
    yysymbol_kind_t tok = yypcontext_token(ctx);
    const AG_YYLTYPE *loc = yypcontext_location(ctx);
    bool semi = false;
    for (int i = 0; i < n; i++)
        if (strcmp(yysymbol_name(exp[i]), "';'") == 0)
            semi = true;
    char a[64], b[64];
    if (semi && st->prev_end.line > 0 && (loc->first_line > st->prev_end.line || tok == YYSYMBOL_YYEOF)) {
        ag_error(st->diags, st->prev_end, "expected ';' after %s", st->prev_what);
        return 0;
    }
    char msg[512];
    int m = snprintf(msg, sizeof msg, "unexpected %s", sym_name(tok, a, sizeof a));
    if (n > 0 && n <= 6) {
        for (int i = 0; i < n && m > 0 && (size_t)m < sizeof msg; i++)
            m += snprintf(msg + m, sizeof msg - (size_t)m, "%s%s", i == 0 ? ", expected " : i == n - 1 ? " or " : ", ",
                          sym_name(exp[i], b, sizeof b));
    }
    ag_error(st->diags, AG_LOC(*loc), "%s", msg);
    return 0;
}


int ag_parse(ag_schema *schema, ag_diags *diags, const char *src, size_t len)
{
    ag_lex_state st;
    memset(&st, 0, sizeof st);
    st.schema = schema;
    st.diags = diags;
    st.arena = schema->arena;
    st.line = 1;
    st.col = 1;

    yyscan_t scanner;
    if (ag_yylex_init_extra(&st, &scanner) != 0) {
        ag_error(diags, ((ag_loc){0, 0, 0}), "cannot start the lexer");
        return 1;
    }
    YY_BUFFER_STATE b = ag_yy_scan_bytes(src, (int)len, scanner);
    int rc = ag_yyparse(scanner, &st);
    ag_yy_delete_buffer(b, scanner);
    ag_yylex_destroy(scanner);
    if (rc == 2)
        ag_error(diags, ((ag_loc){0, 0, 0}), "out of memory while parsing");
    return ag_diags_errors(diags);
}
