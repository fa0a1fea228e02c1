/*
 * emit_stream.c - typed streams in the generated pair (aero/schema.h TYPED STREAMS).
 *
 * Per record, in the header: <record>_stream_next() (the next row of any
 * stream decoded into the struct) and <record>_scan() (every record of the
 * set, with options). Per named query Q of the record: <record>_<Q>_with(),
 * the query with typed options (aero_schema_query_opts), declared in the
 * header and defined in the source next to the query's own function, over
 * the same precompiled filter bytes, slots and index part (emit.c names them
 * <fn>_expr_, <fn>_slots_, <fn>_index_).
 */
#include "emit.h"
#include "sema.h"

#include <stdio.h>
#include <string.h>

static const char *stream_param_c(ag_kind k) {
    switch (k) {
    case AG_T_INT: return "int64_t ";
    case AG_T_DOUBLE: return "double ";
    case AG_T_BOOL: return "bool ";
    case AG_T_STRING: return "const char *";
    case AG_T_BLOB: return "const void *";
    default: return "const aero_value *";
    }
}

/* "aero_session *session, <params>, const aero_schema_query_opts *opts, aero_error *err" */
static void put_with_params(ag_buf *b, const ag_query *q) {
    ag_put(b, "aero_session *session");
    for (const ag_param *p = q->params; p; p = p->next) {
        ag_putf(b, ", %s%s", stream_param_c(p->type->kind), p->name);
        if (p->type->kind == AG_T_BLOB)
            ag_putf(b, ", size_t %s_len", p->name);
    }
    ag_put(b, ",\n    const aero_schema_query_opts *opts, aero_error *err)");
}

static const char *with_name(const ag_schema *s, const ag_query *q) {
    return ag_arena_printf(s->arena, "%s%s_%s_with", s->prefix, q->record->name, q->name);
}

void ag_emit_stream_h(ag_buf *h, const ag_schema *s, const ag_record *r) {
    const char *c = ag_arena_printf(s->arena, "%s%s", s->prefix, r->name);
    ag_put(h, "/*\n"
              " * Typed streams (aero/schema.h TYPED STREAMS): rows of a query or scan decode\n"
              " * straight into the struct as they arrive, nothing allocated per row.\n");
    ag_putf(h,
            " * %s_stream_next(): true with the next row in *out (pointers into the stream's\n"
            " * row, valid until the next call or the close); false at the end (of the stream\n"
            " * or of a chunk: err AERO_OK, see aero_stream_has_more_chunks()) or on an error\n"
            " * in err. A row that does not decode (AERO_ERR_BIN_INCOMPATIBLE_TYPE,\n"
            " * AERO_ERR_BIN_NOT_FOUND) leaves the stream usable: call again to skip it.\n"
            " */\n",
            c);
    ag_putf(h, "static inline bool %s_stream_next(aero_stream *st, %s *out, aero_error *err)\n{\n", c, c);
    ag_putf(h, "    return aero_schema_stream_next(st, &%s_schema, out, err);\n}\n\n", c);
    ag_putf(h, "/** Every %s of the set, with options (NULL: none; fields are %s_F_*). NULL with err filled. */\n", c,
            ag_upper(s->arena, c));
    ag_putf(h,
            "static inline aero_stream *%s_scan(aero_session *session, const aero_schema_query_opts *opts, "
            "aero_error *err)\n{\n",
            c);
    ag_putf(h, "    return aero_schema_scan(session, &%s_schema, opts, err);\n}\n\n", c);
    for (const ag_query *q = s->queries; q; q = q->next) {
        if (q->record != r)
            continue;
        ag_putf(h, "/**\n * Named query %s with typed options (NULL: none); rows for %s_stream_next().\n", q->name, c);
        if (q->use)
            ag_put(h, " * The declared index is used as without options, unless opts->no_index.\n");
        ag_put(h, " */\n");
        ag_putf(h, "aero_stream *%s(", with_name(s, q));
        put_with_params(h, q);
        ag_put(h, ";\n\n");
    }
}

void ag_emit_stream_c(ag_buf *c, const ag_schema *s, const ag_record *r) {
    for (const ag_query *q = s->queries; q; q = q->next) {
        if (q->record != r)
            continue;
        const char *fn = ag_arena_printf(s->arena, "%s%s_%s", s->prefix, q->record->name, q->name);
        ag_putf(c, "aero_stream *%s(", with_name(s, q));
        put_with_params(c, q);
        ag_put(c, "\n{\n");
        ag_put_query_args(c, q);
        ag_putf(c, "    return aero_schema_query_with(session, &%s%s_schema, %s_expr_, sizeof %s_expr_,\n", s->prefix,
                q->record->name, fn, fn);
        if (q->n_slots)
            ag_putf(c, "        %s_slots_, %zu, ", fn, q->n_slots);
        else
            ag_put(c, "        NULL, 0, ");
        if (q->use)
            ag_putf(c, "&%s_index_, ", fn);
        else
            ag_put(c, "NULL, ");
        ag_putf(c, "%s, %d, opts, err);\n}\n\n", q->n_params ? "args" : "NULL", q->n_params);
    }
}
