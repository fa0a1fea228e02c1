/*
 * emit_ops.c - the generated typed operations of a record (aero/schema_ops.h).
 *
 * Per record: an opaque builder type <record>_ops (its own type, so the ops of
 * another record do not compile on it), <record>_operate(), _operate_as(),
 * _ops_execute(), _ops_abandon(); per bin exactly the operations its type
 * supports, <record>_ops_<field>_<op>() (an op the type has not is a name
 * that does not exist: a compile error); per named query of the record
 * <record>_ops_where_<query>() (in the .c, next to the query's precompiled
 * filter); and the writes with typed options, <record>_<verb>_with(),
 * _delete_with(), _touch_with(). All are one-line wrappers over the runtime.
 *
 * ag_ops_names() lists the same names for sema's C-name collision table;
 * both walk the one table of ops per type below, so they cannot disagree.
 */
#include "emit.h"
#include "sema.h"

#include <stdio.h>
#include <string.h>

/* ---- element types: names, C types and descriptors as emit_types.c makes them ---- */

static bool is_scalar(const ag_type *t) { return ag_type_is_scalar(t->kind); }

/* An element passed in: "int64_t v" / "const char *v" / "const X *v"; and how to pass its address. */
static const char *in_param(const ag_schema *s, const ag_type *t, const char *name) {
    const char *ct = ag_c_type(s, t);
    if (is_scalar(t))
        return ag_arena_printf(s->arena, "%s%s%s", ct, ct[strlen(ct) - 1] == '*' ? "" : " ", name);
    return ag_arena_printf(s->arena, "const %s *%s", ct, name);
}

static const char *in_arg(const ag_schema *s, const ag_type *t, const char *name) {
    return is_scalar(t) ? ag_arena_printf(s->arena, "&%s", name) : name;
}

/* An element read out: "int64_t *out" / "const char **out" / "X *out". */
static const char *out_param(const ag_schema *s, const ag_type *t, const char *name) {
    const char *ct = ag_c_type(s, t);
    return ag_arena_printf(s->arena, "%s%s*%s", ct, ct[strlen(ct) - 1] == '*' ? "" : " ", name);
}

/* ---- the ops of each type ---- */

enum op_id {
    OP_SET,
    OP_INCREMENT,
    OP_APPEND,
    OP_PREPEND,
    OP_GET,
    OP_L_APPEND,
    OP_L_APPEND_ITEMS,
    OP_L_INSERT,
    OP_L_REMOVE_BY_VALUE,
    OP_L_POP,
    OP_L_TRIM,
    OP_L_SIZE,
    OP_L_GET,
    OP_L_CLEAR,
    OP_M_PUT,
    OP_M_GET,
    OP_M_REMOVE,
    OP_M_SIZE,
    OP_M_INCREMENT,
    OP_H_ADD,
    OP_H_COUNT,
};

static const char *const op_names[] = {
    [OP_SET] = "set",
    [OP_INCREMENT] = "increment",
    [OP_APPEND] = "append",
    [OP_PREPEND] = "prepend",
    [OP_GET] = "get",
    [OP_L_APPEND] = "append",
    [OP_L_APPEND_ITEMS] = "append_items",
    [OP_L_INSERT] = "insert",
    [OP_L_REMOVE_BY_VALUE] = "remove_by_value",
    [OP_L_POP] = "pop",
    [OP_L_TRIM] = "trim",
    [OP_L_SIZE] = "size",
    [OP_L_GET] = "get",
    [OP_L_CLEAR] = "clear",
    [OP_M_PUT] = "put",
    [OP_M_GET] = "get",
    [OP_M_REMOVE] = "remove",
    [OP_M_SIZE] = "size",
    [OP_M_INCREMENT] = "increment",
    [OP_H_ADD] = "add",
    [OP_H_COUNT] = "count",
};

#define OPS_MAX 12

/* The ops a bin of type t has, in emission order. */
static int ops_of(const ag_type *t, enum op_id *v) {
    int n = 0;
    if (t->kind == AG_T_HLL) {
        v[n++] = OP_H_ADD;
        v[n++] = OP_H_COUNT;
        return n;
    }
    switch (t->kind) {
    case AG_T_INT:
    case AG_T_DOUBLE:
        v[n++] = OP_SET;
        v[n++] = OP_INCREMENT;
        v[n++] = OP_GET;
        break;
    case AG_T_STRING:
        v[n++] = OP_SET;
        v[n++] = OP_APPEND;
        v[n++] = OP_PREPEND;
        v[n++] = OP_GET;
        break;
    case AG_T_BOOL:
    case AG_T_BLOB:
    case AG_T_GEOJSON:
        v[n++] = OP_SET;
        v[n++] = OP_GET;
        break;
    case AG_T_LIST:
        for (int i = OP_L_APPEND; i <= OP_L_CLEAR; i++)
            v[n++] = (enum op_id)i;
        break;
    case AG_T_MAP:
        for (int i = OP_M_PUT; i <= OP_M_SIZE; i++)
            v[n++] = (enum op_id)i;
        if (t->args[1]->kind == AG_T_INT || t->args[1]->kind == AG_T_DOUBLE)
            v[n++] = OP_M_INCREMENT;
        break;
    case AG_T_DOC: /* a document bin as a whole; its fields are written and read with the record */
        v[n++] = OP_SET;
        v[n++] = OP_GET;
        break;
    default: break;
    }
    return n;
}

/* ---- names ---- */

static const char *const write_verbs[] = { "upsert", "insert", "update", "replace", "replace_if_exists" };
static const char *const verb_ops[] = { "AERO_SCHEMA_UPSERT", "AERO_SCHEMA_INSERT", "AERO_SCHEMA_UPDATE",
                                        "AERO_SCHEMA_REPLACE", "AERO_SCHEMA_REPLACE_IF_EXISTS" };
static const char *const record_suffixes[] = {
    "_ops",         "_operate",     "_operate_as",  "_ops_execute",  "_ops_abandon",
    "_upsert_with", "_insert_with", "_update_with", "_replace_with", "_replace_if_exists_with",
    "_delete_with", "_touch_with"
};

bool ag_ops_names(const ag_schema *s, const ag_record *r, ag_name_fn add, void *ctx) {
    ag_arena *a = s->arena;
    const char *c = ag_arena_printf(a, "%s%s", s->prefix, r->name);
    const char *rwhat = ag_arena_printf(a, "record '%s'", r->name);
    bool ok = true;
    for (size_t i = 0; i < sizeof record_suffixes / sizeof record_suffixes[0]; i++)
        if (!add(ctx, ag_arena_printf(a, "%s%s", c, record_suffixes[i]), rwhat, r->loc)) {
            ok = false;
            break; /* one report per record; its bins and queries are still checked */
        }
    for (const ag_bin *b = r->bins; b; b = b->next) {
        if (b->type->kind == AG_T_INVALID)
            continue;
        enum op_id ops[OPS_MAX];
        int n = ops_of(b->type, ops);
        const char *bwhat = ag_arena_printf(a, "bin '%s'", b->field);
        for (int i = 0; i < n; i++)
            if (!add(ctx, ag_arena_printf(a, "%s_ops_%s_%s", c, b->field, op_names[ops[i]]), bwhat, b->loc)) {
                ok = false;
                break; /* one report per bin */
            }
    }
    for (const ag_query *q = s->queries; q; q = q->next)
        if (q->record == r && !add(ctx, ag_arena_printf(a, "%s_ops_where_%s", c, q->name),
                                   ag_arena_printf(a, "query '%s'", q->name), q->loc))
            ok = false;
    return ok;
}

/* ---- header ---- */

/* static inline RET NAME(PARAMS) { [key line] BODY } where BODY is "return X;" or "X;\n    return ops;". */
static void inline_fn(ag_buf *h, const ag_schema *s, const char *ret, const char *sig, const char *key_line,
                      const char *call, bool chain) {
    ag_put_wrapped_at(h, ag_arena_printf(s->arena, "static inline %s%s%s)", ret, ret[strlen(ret) - 1] == '*' ? "" : " ", sig), 0,
            4);
    ag_put(h, "\n{\n");
    if (key_line)
        ag_putf(h, "    %s\n", key_line);
    ag_put(h, "    ");
    if (chain) {
        ag_put_wrapped_at(h, ag_arena_printf(s->arena, "%s;", call), 4, 8);
        ag_put(h, "\n    return ops;\n}\n\n");
    } else {
        ag_put_wrapped_at(h, ag_arena_printf(s->arena, "return %s;", call), 4, 8);
        ag_put(h, "\n}\n\n");
    }
}

typedef struct rec_names {
    const char *c, *U;
    const char *key_params, *key_args, *key_fn;
    const char *O; /* the runtime builder of `ops` */
} rec_names;

static void names_of(const ag_schema *s, const ag_record *r, rec_names *n) {
    n->c = ag_arena_printf(s->arena, "%s%s", s->prefix, r->name);
    n->U = ag_upper(s->arena, n->c);
    n->key_args = "key";
    switch (r->key->kind) {
    case AG_T_INT: n->key_params = "int64_t key"; break;
    case AG_T_BLOB:
        n->key_params = "const void *key, size_t key_len";
        n->key_args = "key, key_len";
        break;
    default: n->key_params = "const char *key"; break;
    }
    n->O = "AERO_CAST(aero_schema_ops *, AERO_CAST(void *, ops))";
}

/* One op of one bin. */
static void emit_op(ag_buf *h, const ag_schema *s, const rec_names *nm, const ag_bin *b, enum op_id id) {
    ag_arena *a = s->arena;
    const ag_type *t = b->type;
    const char *fn = ag_arena_printf(a, "%s_ops_%s_%s(%s_ops *ops", nm->c, b->field, op_names[id], nm->c);
    const char *B = ag_arena_printf(a, "%s_BIN_%s", nm->U, ag_upper(a, b->field));
    const char *O = nm->O;
    const char *sig = NULL, *call = NULL;
    const ag_type *e = t->kind == AG_T_LIST ? t->args[0] : t->kind == AG_T_MAP ? t->args[1] : t;
    const ag_type *k = t->kind == AG_T_MAP ? t->args[0] : NULL;
    const char *ed = ag_tdesc_ref(s, e), *kd = k ? ag_tdesc_ref(s, k) : NULL;
    switch (id) {
    case OP_SET:
        sig = ag_arena_printf(a, "%s, %s", fn, in_param(s, t, "v"));
        call = ag_arena_printf(a, "aero_schema_ops_set(%s, %s, %s, %s)", O, B, ed, in_arg(s, t, "v"));
        break;
    case OP_INCREMENT:
        sig = ag_arena_printf(a, "%s, %s", fn, in_param(s, t, "by"));
        call = ag_arena_printf(a, "aero_schema_ops_increment(%s, %s, %s, &by)", O, B, ed);
        break;
    case OP_APPEND:
    case OP_PREPEND:
        sig = ag_arena_printf(a, "%s, const char *v", fn);
        call = ag_arena_printf(a, "aero_schema_ops_%s(%s, %s, v)", op_names[id], O, B);
        break;
    case OP_GET:
        sig = ag_arena_printf(a, "%s, %s", fn, out_param(s, t, "out"));
        call = ag_arena_printf(a, "aero_schema_ops_get(%s, %s, %s, out, NULL)", O, B, ed);
        break;
    case OP_L_APPEND:
        sig = ag_arena_printf(a, "%s, %s", fn, in_param(s, e, "v"));
        call = ag_arena_printf(a, "aero_schema_ops_list_append(%s, %s, %s, %s)", O, B, ed, in_arg(s, e, "v"));
        break;
    case OP_L_APPEND_ITEMS:
        sig = ag_arena_printf(a, "%s, const %s *items", fn, ag_c_type(s, t));
        call = ag_arena_printf(a,
                               "aero_schema_ops_list_append_items(%s, %s, %s, items ? items->items : NULL, items ? "
                               "items->count : 1)",
                               O, B, ed);
        break;
    case OP_L_INSERT:
        sig = ag_arena_printf(a, "%s, int64_t index, %s", fn, in_param(s, e, "v"));
        call = ag_arena_printf(a, "aero_schema_ops_list_insert(%s, %s, index, %s, %s)", O, B, ed, in_arg(s, e, "v"));
        break;
    case OP_L_REMOVE_BY_VALUE:
        sig = ag_arena_printf(a, "%s, %s", fn, in_param(s, e, "v"));
        call = ag_arena_printf(a, "aero_schema_ops_list_remove_by_value(%s, %s, %s, %s)", O, B, ed, in_arg(s, e, "v"));
        break;
    case OP_L_POP:
    case OP_L_GET:
        sig = ag_arena_printf(a, "%s, int64_t index, %s, bool *found", fn, out_param(s, e, "out"));
        call = ag_arena_printf(a, "aero_schema_ops_list_%s(%s, %s, index, %s, out, found)", op_names[id], O, B, ed);
        break;
    case OP_L_TRIM:
        sig = ag_arena_printf(a, "%s, int64_t index, uint64_t count", fn);
        call = ag_arena_printf(a, "aero_schema_ops_list_trim(%s, %s, index, count)", O, B);
        break;
    case OP_L_SIZE:
    case OP_M_SIZE:
        sig = ag_arena_printf(a, "%s, int64_t *out", fn);
        call = ag_arena_printf(a, "aero_schema_ops_size(%s, %s, %s, out)", O, B, id == OP_M_SIZE ? "true" : "false");
        break;
    case OP_L_CLEAR:
        sig = fn;
        call = ag_arena_printf(a, "aero_schema_ops_list_clear(%s, %s)", O, B);
        break;
    case OP_M_PUT:
        sig = ag_arena_printf(a, "%s, %s, %s", fn, in_param(s, k, "key"), in_param(s, e, "value"));
        call = ag_arena_printf(a, "aero_schema_ops_map_put(%s, %s, %s, &key, %s, %s)", O, B, kd, ed,
                               in_arg(s, e, "value"));
        break;
    case OP_M_GET:
        sig = ag_arena_printf(a, "%s, %s, %s, bool *found", fn, in_param(s, k, "key"), out_param(s, e, "out"));
        call = ag_arena_printf(a, "aero_schema_ops_map_get(%s, %s, %s, &key, %s, out, found)", O, B, kd, ed);
        break;
    case OP_M_REMOVE:
        sig = ag_arena_printf(a, "%s, %s", fn, in_param(s, k, "key"));
        call = ag_arena_printf(a, "aero_schema_ops_map_remove(%s, %s, %s, &key)", O, B, kd);
        break;
    case OP_M_INCREMENT:
        sig = ag_arena_printf(a, "%s, %s, %s", fn, in_param(s, k, "key"), in_param(s, e, "by"));
        call = ag_arena_printf(a, "aero_schema_ops_map_increment(%s, %s, %s, &key, %s, &by)", O, B, kd, ed);
        break;
    case OP_H_ADD:
        sig = ag_arena_printf(a, "%s, const aero_list_str *items, int index_bits", fn);
        call = ag_arena_printf(
            a, "aero_schema_ops_hll_add(%s, %s, items ? items->items : NULL, items ? items->count : 0, index_bits)", O,
            B);
        break;
    case OP_H_COUNT:
        sig = ag_arena_printf(a, "%s, int64_t *out", fn);
        call = ag_arena_printf(a, "aero_schema_ops_hll_count(%s, %s, out)", O, B);
        break;
    }
    inline_fn(h, s, ag_arena_printf(a, "%s_ops *", nm->c), sig, NULL, call, true);
}

/* A query's parameters as the generated query functions spell them (emit.c). */
static const char *param_c(ag_kind k) {
    switch (k) {
    case AG_T_INT: return "int64_t ";
    case AG_T_DOUBLE: return "double ";
    case AG_T_BOOL: return "bool ";
    case AG_T_STRING: return "const char *";
    case AG_T_BLOB: return "const void *";
    default: return "const aero_value *";
    }
}

static const char *where_sig(const ag_schema *s, const rec_names *nm, const ag_query *q) {
    ag_buf b = { 0 };
    ag_putf(&b, "%s_ops *%s_ops_where_%s(%s_ops *ops", nm->c, nm->c, q->name, nm->c);
    for (const ag_param *p = q->params; p; p = p->next) {
        ag_putf(&b, ", %s%s", param_c(p->type->kind), p->name);
        if (p->type->kind == AG_T_BLOB)
            ag_putf(&b, ", size_t %s_len", p->name);
    }
    ag_put(&b, ")");
    const char *out = ag_arena_strndup(s->arena, b.p, b.len);
    ag_buf_free(&b);
    return out;
}

void ag_emit_ops_h(ag_buf *h, const ag_schema *s, const ag_record *r) {
    ag_arena *a = s->arena;
    rec_names nm;
    names_of(s, r, &nm);
    const char *c = nm.c;
    const char *key_line = ag_arena_printf(a, "aero_key k = %s_key(%s);", c, nm.key_args);

    ag_put(h, "/*\n"
              " * Writes with typed options (aero/schema_ops.h: TTL, expected generation, a\n"
              " * where condition such as a named query's _filter(), durable delete, fail on\n"
              " * filtered-out, send key); opts NULL is the plain write.\n"
              " */\n");
    for (size_t i = 0; i < sizeof write_verbs / sizeof write_verbs[0]; i++)
        inline_fn(
            h, s, "aero_status",
            ag_arena_printf(a,
                            "%s_%s_with(aero_session *session, %s, const %s *obj, const aero_schema_write_opts "
                            "*opts, aero_error *err",
                            c, write_verbs[i], nm.key_params, c),
            key_line,
            ag_arena_printf(a, "aero_schema_write_with(session, &%s_schema, %s, &k, obj, opts, err)", c, verb_ops[i]),
            false);
    static const char *const meta[] = { "delete", "touch" };
    for (size_t i = 0; i < 2; i++)
        inline_fn(h, s, "aero_status",
                  ag_arena_printf(a,
                                  "%s_%s_with(aero_session *session, %s, const aero_schema_write_opts *opts, bool "
                                  "*existed, aero_error *err",
                                  c, meta[i], nm.key_params),
                  key_line,
                  ag_arena_printf(a, "aero_schema_%s_with(session, &%s_schema, &k, opts, existed, err)", meta[i], c),
                  false);

    ag_put(h, "/*\n"
              " * Typed operate (aero/schema_ops.h): several ops on one key in one round trip.\n");
    ag_putf(h,
            " * %s_operate() (upsert) or %s_operate_as() starts it, the ops below chain,\n"
            " * %s_ops_execute() runs it (results land in the outputs, pointing into\n"
            " * `holder`) and %s_ops_abandon() drops it; both give the builder back.\n"
            " * Each bin has exactly the ops its type supports.\n */\n",
            c, c, c, c);
    ag_putf(h, "typedef struct %s_ops %s_ops;\n\n", c, c);
    const char *start = ag_arena_printf(
        a, "AERO_CAST(%s_ops *, AERO_CAST(void *, aero_schema_ops_start(session, &%s_schema, %%s, &k)))", c, c);
    inline_fn(h, s, ag_arena_printf(a, "%s_ops *", c),
              ag_arena_printf(a, "%s_operate(aero_session *session, %s", c, nm.key_params), key_line,
              ag_arena_printf(a, start, "AERO_SCHEMA_UPSERT"), false);
    inline_fn(h, s, ag_arena_printf(a, "%s_ops *", c),
              ag_arena_printf(a, "%s_operate_as(aero_session *session, %s, aero_schema_op verb", c, nm.key_params),
              key_line, ag_arena_printf(a, start, "verb"), false);
    inline_fn(h, s, "aero_status",
              ag_arena_printf(a,
                              "%s_ops_execute(%s_ops *ops, const aero_schema_write_opts *opts, aero_record *holder, "
                              "aero_error *err",
                              c, c),
              NULL, ag_arena_printf(a, "aero_schema_ops_execute(%s, opts, holder, err)", nm.O), false);
    ag_putf(h, "static inline void %s_ops_abandon(%s_ops *ops)\n{\n    aero_schema_ops_abandon(%s);\n}\n\n", c, c,
            nm.O);
    for (const ag_bin *b = r->bins; b; b = b->next) {
        enum op_id ops[OPS_MAX];
        int n = ops_of(b->type, ops);
        if (!n)
            continue;
        ag_putf(h, "/* %s */\n", b->field);
        /* A collection aerogen generates a C type for (nested, or holding documents): its ops exist where the
           type does (the type's guard macro), so a header without those types still compiles. */
        const ag_type *t = b->type;
        const char *guard = (t->kind == AG_T_LIST || t->kind == AG_T_MAP) && !ag_type_is_runtime(t)
                                ? ag_arena_printf(a, "AEROGEN_TYPE_%s%s", ag_upper(a, s->prefix), ag_type_ename(a, t))
                                : NULL;
        if (guard)
            ag_putf(h, "#ifdef %s\n", guard);
        for (int i = 0; i < n; i++)
            emit_op(h, s, &nm, b, ops[i]);
        if (guard)
            ag_putf(h, "#endif /* %s */\n\n", guard);
    }
    for (const ag_query *q = s->queries; q; q = q->next) {
        if (q->record != r)
            continue;
        ag_putf(h,
                "/** Only if the record matches query %s (its precompiled filter); see aero_schema_ops_where(). */\n",
                q->name);
        ag_put_wrapped_at(h, where_sig(s, &nm, q), 0, 4);
        ag_put(h, ";\n");
    }
    ag_put(h, "\n");
}

/* ---- source: the where helpers ---- */

void ag_emit_ops_c(ag_buf *c, const ag_schema *s, const ag_record *r) {
    rec_names nm;
    names_of(s, r, &nm);
    for (const ag_query *q = s->queries; q; q = q->next) {
        if (q->record != r)
            continue;
        const char *fn = ag_arena_printf(s->arena, "%s%s_%s", s->prefix, r->name, q->name);
        ag_put(c, where_sig(s, &nm, q));
        ag_put(c, "\n{\n");
        ag_put_query_args(c, q);
        ag_putf(c, "    aero_schema_ops_where_template((aero_schema_ops *)(void *)ops, %s_expr_, sizeof %s_expr_,\n",
                fn, fn);
        if (q->n_slots)
            ag_putf(c, "        %s_slots_, %zu, %s, %d);\n", fn, q->n_slots, q->n_params ? "args" : "NULL",
                    q->n_params);
        else
            ag_putf(c, "        NULL, 0, %s, %d);\n", q->n_params ? "args" : "NULL", q->n_params);
        ag_put(c, "    return ops;\n}\n\n");
    }
}
