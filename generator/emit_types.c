/*
 * emit_types.c - the C types of typed collections and documents (schema ABI 2).
 *
 * HEADER. Inner types come before the types that hold them (a depth-first
 * walk of every document and every bin type, each type once):
 *   - per list/map type with element name N (list_list_int, map_str_address ...)
 *     that is not a collection of scalars (those are the runtime's aero_N with
 *     the descriptor aero_schema_tdesc_N, as the scalars' aero_schema_tdesc_int
 *     ...): the struct `<prefix>N`
 *     (`<prefix>N_entry` for a map) and its descriptor. Both are static const
 *     / typedefs inside `#ifndef AEROGEN_TYPE_<PREFIX>N`, so two schemas using
 *     the same collection can share a translation unit;
 *   - per document D: `typedef struct <prefix>D`, `<PREFIX>D_INIT`, and the
 *     declarations of its descriptors `<prefix>D_doc` and `<prefix>D_tdesc`.
 * SOURCE. Per document: its INIT value, the field table (aero_schema_bin rows
 * keyed by map key), the keys sorted, the aero_schema_doc and the
 * aero_schema_tdesc (defined once, in the schema's .c).
 */
#include "emit.h"
#include "sema.h"

#include <string.h>

/* Names already emitted (linear: a schema has few types). */
typedef struct seen {
    const char **v;
    size_t n, cap;
    ag_arena *a;
} seen;

static bool seen_add(seen *s, const char *name) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], name) == 0)
            return false;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        const char **v = ag_arena_alloc(s->a, cap * sizeof *v);
        if (s->n)
            memcpy(v, s->v, s->n * sizeof *v);
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = name;
    return true;
}

static void emit_doc_h(ag_buf *h, const ag_schema *s, const ag_doc *d);

static void visit(ag_buf *h, const ag_schema *s, seen *done, const ag_type *t);

static void visit_doc(ag_buf *h, const ag_schema *s, seen *done, const ag_doc *d) {
    if (!seen_add(done, ag_arena_printf(s->arena, "doc %s", d->name)))
        return;
    for (const ag_bin *f = d->fields; f; f = f->next)
        visit(h, s, done, f->type);
    emit_doc_h(h, s, d);
}

static void emit_collection_h(ag_buf *h, const ag_schema *s, const ag_type *t) {
    ag_arena *a = s->arena;
    const char *en = ag_type_ename(a, t);
    const char *cn = ag_arena_printf(a, "%s%s", s->prefix, en);
    const char *ct = ag_c_type(s, t);
    char tn[256];
    ag_type_format(t, tn, sizeof tn);
    ag_put(h, "/* ");
    ag_put_comment(h, tn, strlen(tn));
    ag_putf(h, " */\n#ifndef AEROGEN_TYPE_%s%s\n#define AEROGEN_TYPE_%s%s\n", ag_upper(a, s->prefix), en,
            ag_upper(a, s->prefix), en);
    bool runtime = ag_type_is_runtime(t);
    if (t->kind == AG_T_LIST) {
        if (!runtime) {
            const char *it = ag_c_type(s, t->args[0]);
            ag_putf(h, "typedef struct %s {\n    const %s *items;\n    size_t count;\n} %s;\n", cn, it, cn);
        }
        ag_putf(h, "static const aero_schema_tdesc %s_tdesc = {\n    AERO_SCHEMA_LIST, sizeof(%s), %s, NULL, 0, 0, NULL\n};\n",
                cn, ct, ag_tdesc_ref(s, t->args[0]));
    } else {
        const char *kt = ag_c_type(s, t->args[0]), *vt = ag_c_type(s, t->args[1]);
        if (!runtime) {
            ag_putf(h, "typedef struct %s_entry {\n    %s%skey;\n    %s%svalue;\n} %s_entry;\n", cn, kt,
                    kt[strlen(kt) - 1] == '*' ? "" : " ", vt, vt[strlen(vt) - 1] == '*' ? "" : " ", cn);
            ag_putf(h, "typedef struct %s {\n    const %s_entry *entries;\n    size_t count;\n} %s;\n", cn, cn, cn);
        }
        ag_putf(h,
                "static const aero_schema_tdesc %s_tdesc = {\n    AERO_SCHEMA_MAP, sizeof(%s), %s, %s,\n"
                "    sizeof(%s_entry), offsetof(%s_entry, value), NULL\n};\n",
                cn, ct, ag_tdesc_ref(s, t->args[1]), ag_tdesc_ref(s, t->args[0]), ct, ct);
    }
    ag_put(h, "#endif\n\n");
}

static void visit(ag_buf *h, const ag_schema *s, seen *done, const ag_type *t) {
    if (t->kind == AG_T_DOC) {
        visit_doc(h, s, done, t->doc);
        return;
    }
    if (t->kind != AG_T_LIST && t->kind != AG_T_MAP)
        return;
    for (int i = 0; i < t->n_args && i < 2; i++)
        visit(h, s, done, t->args[i]);
    if (!ag_type_is_runtime(t) && seen_add(done, ag_type_ename(s->arena, t)))
        emit_collection_h(h, s, t); /* the runtime's collections of scalars have their types and descriptors */
}

static void emit_doc_h(ag_buf *h, const ag_schema *s, const ag_doc *d) {
    ag_arena *a = s->arena;
    const char *cn = ag_arena_printf(a, "%s%s", s->prefix, d->name);
    ag_put(h, "/* ------------------------------------------------------------------------- */\n");
    ag_put(h, "/* document ");
    ag_put_comment(h, d->name, strlen(d->name));
    ag_put(h, ": stored as a map keyed by field name */\n\n");
    if (d->doc)
        ag_put_doc(h, d->doc, "");
    else
        ag_putf(h, "/** Document %s. Strings, blobs, lists and maps read into it point into the holder. */\n", cn);
    ag_putf(h, "typedef struct %s {\n", cn);
    ag_put_fields_h(h, s, d->order, d->n_fields, "key");
    ag_putf(h, "} %s;\n\n", cn);
    ag_putf(h, "/** A %s with every field at its default and no optional field present. */\n", cn);
    ag_put_init_h(h, s, ag_upper(a, cn), d->order, d->n_fields);
    ag_putf(h, "/** Descriptors of %s: its fields, and its shape as a value. */\n", cn);
    ag_putf(h, "extern const aero_schema_doc %s_doc;\nextern const aero_schema_tdesc %s_tdesc;\n\n", cn, cn);
}

void ag_emit_types_h(ag_buf *h, const ag_schema *s) {
    seen done = { NULL, 0, 0, s->arena };
    for (const ag_doc *d = s->docs; d; d = d->next)
        visit_doc(h, s, &done, d);
    for (const ag_record *r = s->records; r; r = r->next)
        for (int i = 0; i < r->n_bins; i++)
            visit(h, s, &done, r->order[i]->type);
}

void ag_emit_types_c(ag_buf *c, const ag_schema *s) {
    ag_arena *a = s->arena;
    for (const ag_doc *d = s->docs; d; d = d->next) {
        const char *cn = ag_arena_printf(a, "%s%s", s->prefix, d->name);
        ag_putf(c, "/* ---- document %s ---- */\n\n", d->name);
        ag_putf(c, "static const %s %s_doc_init_ = %s_INIT;\n\n", cn, cn, ag_upper(a, cn));
        ag_putf(c, "static const aero_schema_bin %s_doc_fields_[] = {\n", cn);
        for (int i = 0; i < d->n_fields; i++)
            ag_put_bin_row(c, s, cn, d->order[i]);
        ag_put(c, "};\n\n");
        ag_putf(c, "static const uint32_t %s_doc_by_name_[] = {", cn);
        for (int i = 0; i < d->n_fields; i++)
            ag_putf(c, "%s%s%d", i ? "," : "", i % 16 == 0 ? "\n    " : " ", d->by_name[i]);
        ag_put(c, "\n};\n\n");
        ag_putf(c, "const aero_schema_doc %s_doc = {\n    ", cn);
        ag_put_cstr(c, d->name, strlen(d->name));
        ag_putf(c, ",\n    sizeof(%s),\n    &%s_doc_init_,\n    %s_doc_fields_,\n    %d,\n    %s_doc_by_name_,\n};\n\n",
                cn, cn, cn, d->n_fields, cn);
        ag_putf(c, "const aero_schema_tdesc %s_tdesc = { AERO_SCHEMA_DOC, sizeof(%s), NULL, NULL, 0, 0, &%s_doc };\n\n",
                cn, cn, cn);
    }
}
