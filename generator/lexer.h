/*
 * lexer.h - state shared by the schema lexer (lexer.l) and parser (parser.y).
 */
#ifndef AEROGEN_LEXER_H
#define AEROGEN_LEXER_H

#include "ast.h"
#include "diag.h"

/** A string literal: decoded bytes plus where each byte came from. */
typedef struct ag_str {
    char *s;
    size_t len;
    ag_loc *map; /* len + 1 entries: each byte's source position, then the closing quote */
} ag_str;

/** An identifier or keyword, with the `///` documentation written just before it. */
typedef struct ag_tok {
    const char *text;
    const char *doc;
} ag_tok;

/** The lexer's extra data (yyextra). */
typedef struct ag_lex_state {
    ag_schema *schema;
    ag_diags *diags;
    ag_arena *arena;
    int line, col; /* position of the next byte */
    char *doc;     /* pending `///` text, arena-allocated */
    size_t doc_len;
    ag_loc comment_loc;       /* start of an open block comment */
    ag_loc prev_end, cur_end; /* ends of the last two tokens */
    char prev_what[48], cur_what[48];
    int lex_error_recent;    /* tokens since a lexical error (2, 1, 0) */
    const char *pending_set; /* parser: `in set X` of the record being read */
    ag_loc pending_set_loc;
} ag_lex_state;

/** Convert a Bison location to a span (length only when it stays on one line). */
#define AG_LOC(yl)                                 \
    ((ag_loc){ (yl).first_line, (yl).first_column, \
               (yl).first_line == (yl).last_line ? (yl).last_column - (yl).first_column : 1 })

/** Parse `src` into `schema`, reporting every syntax error into `diags`. Returns the error count. */
int ag_parse(ag_schema *schema, ag_diags *diags, const char *src, size_t len);

#endif
