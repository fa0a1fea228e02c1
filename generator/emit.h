/*
 * emit.h - C code generation from a checked schema.
 *
 * The emitter writes into memory; main.c writes the files only when both
 * are complete, so a failed run never leaves partial output.
 */
#ifndef AEROGEN_EMIT_H
#define AEROGEN_EMIT_H

#include "ast.h"

/** A growable text buffer. */
typedef struct ag_buf {
    char *p;
    size_t len, cap;
} ag_buf;

void ag_buf_free(ag_buf *b);

typedef struct ag_emit_opts {
    const char *source_name; /* schema file name printed in the stamp (basename) */
    const char *header_name; /* how the .c includes the header, e.g. "users.aero.h" */
    const char *version;     /* aerogen version */
} ag_emit_opts;

/** Generate the header and source text of `s` (which passed ag_sema without errors). */
void ag_emit(const ag_schema *s, const ag_emit_opts *o, ag_buf *h, ag_buf *c);

/* ---- shared by the emitter's files (emit_text.c) ---- */

/** Append text. */
void ag_put(ag_buf *b, const char *s);
/** Append printf text. */
void ag_putf(ag_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** A C string literal of n bytes: printable ASCII as is, the rest as 3-digit octal, never a trigraph. */
void ag_put_cstr(ag_buf *b, const char *s, size_t n);
/** Comment text: the bytes, with star-slash broken up, control bytes dropped, newlines and tabs as spaces. */
void ag_put_comment(ag_buf *b, const char *s, size_t n);
/** A documentation block from `///` lines, with the given indent. */
void ag_put_doc(ag_buf *b, const char *doc, const char *indent);

/* ---- types (emit.c, emit_types.c) ---- */

/** The C type of a field of type t ("int64_t", "aero_list_str", "app_address" ...). Arena string. */
const char *ag_c_type(const ag_schema *s, const ag_type *t);
/** A pointer expression to t's aero_schema_tdesc ("&list_list_int_tdesc", "&aero_schema_tdesc_int"). */
const char *ag_tdesc_ref(const ag_schema *s, const ag_type *t);
/** AERO_SCHEMA_INT ... of a kind. */
const char *ag_schema_type(ag_kind k);
/** The struct members of n bins or document fields (has_ flags, types, comments naming `what`: "bin"/"key"). */
void ag_put_fields_h(ag_buf *h, const ag_schema *s, ag_bin *const *order, int n, const char *what);
/** The <U>_INIT macro (designated for C and C++20, positional before C++20). */
void ag_put_init_h(ag_buf *h, const ag_schema *s, const char *U, ag_bin *const *order, int n);
/** One aero_schema_bin row of a record's bins or a document's fields (cn: the struct's C name). */
void ag_put_bin_row(ag_buf *c, const ag_schema *s, const char *cn, const ag_bin *b);
/** The header's types: scalar descriptors, collection types and documents, inner ones first. */
void ag_emit_types_h(ag_buf *h, const ag_schema *s);
/** The source's document descriptors (fields, by_name, init, aero_schema_doc, aero_schema_tdesc). */
void ag_emit_types_c(ag_buf *c, const ag_schema *s);

/** Text broken after ", " where a line would pass 120 columns, starting at column col; continuation lines
 *  indented by cont. */
void ag_put_wrapped_at(ag_buf *b, const char *text, size_t col, size_t cont);
/** `aero_value args[N];` filled from the query's parameters, in placeholder order (nothing without parameters). */
void ag_put_query_args(ag_buf *c, const ag_query *q);

/* ---- index declarations (emit_index.c) ---- */

/** The header's index section: count, wait time, the table's declaration, <stem>_create_indexes(). */
void ag_emit_indexes_h(ag_buf *h, const ag_schema *s, const ag_emit_opts *o);
/** The source's table of aero_index_def. */
void ag_emit_indexes_c(ag_buf *c, const ag_schema *s);

/* ---- typed streams (emit_stream.c) ---- */

/** The header's stream functions of record r: <record>_stream_next(), _scan() and each query's _with(). */
void ag_emit_stream_h(ag_buf *h, const ag_schema *s, const ag_record *r);
/** The source's <record>_<query>_with() of each query of r (after the queries' own tables). */
void ag_emit_stream_c(ag_buf *c, const ag_schema *s, const ag_record *r);

/* ---- typed operations and writes with options (emit_ops.c) ---- */

/** The header part of one record: <record>_<verb>_with(), <record>_operate(), the per-bin ops, the where helpers. */
void ag_emit_ops_h(ag_buf *h, const ag_schema *s, const ag_record *r);
/** The source part of one record: <record>_ops_where_<query>() (after the queries' filters). */
void ag_emit_ops_c(ag_buf *c, const ag_schema *s, const ag_record *r);
/** A name for sema's collision table; false when it clashed (reported). */
typedef bool (*ag_name_fn)(void *ctx, const char *name, const char *what, ag_loc loc);
/** Every C name ag_emit_ops_h/_c generate for record r (after its bins' types and its queries are resolved). */
bool ag_ops_names(const ag_schema *s, const ag_record *r, ag_name_fn add, void *ctx);

#endif
