/*
 * emit.c - the generated .h/.c pair.
 *
 * Generated code is data plus one-line wrappers. The header has the struct,
 * the INIT macro, bin-name macros and the wrappers themselves, as `static
 * inline` functions that call only the public entry points of aero/schema.h
 * (so a typed get costs the caller no extra call). The .c has what must
 * exist once: the const bin table built with offsetof, the descriptor, the
 * precompiled filter bytes of the named queries and their functions. All the
 * logic lives in the runtime, so a runtime fix never needs a regeneration.
 *
 * Every generated C name starts with the schema's prefix (--prefix, "" by
 * default); macros and constants with its upper-case form.
 *
 * Output depends only on the schema text, the prefix and the file names
 * passed in, so it is byte-for-byte reproducible (golden tests diff it).
 */
#include "emit.h"
#include "sema.h"

#include <aero/ael.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- types ---- */

const char *ag_c_type(const ag_schema *s, const ag_type *t) {
    switch (t->kind) {
    case AG_T_INT: return "int64_t";
    case AG_T_DOUBLE: return "double";
    case AG_T_BOOL: return "bool";
    case AG_T_STRING:
    case AG_T_GEOJSON: return "const char *";
    case AG_T_BLOB:
    case AG_T_HLL: return "aero_bytes";
    case AG_T_DOC: return ag_arena_printf(s->arena, "%s%s", s->prefix, t->doc->name);
    case AG_T_LIST:
    case AG_T_MAP:
        if (ag_type_is_runtime(t))
            return ag_arena_printf(s->arena, "aero_%s", ag_type_ename(s->arena, t));
        return ag_arena_printf(s->arena, "%s%s", s->prefix, ag_type_ename(s->arena, t));
    default: return "aero_value";
    }
}

const char *ag_tdesc_ref(const ag_schema *s, const ag_type *t) {
    bool shaped = t->kind == AG_T_LIST || t->kind == AG_T_MAP || t->kind == AG_T_DOC;
    if (shaped && !ag_type_is_runtime(t))
        return ag_arena_printf(s->arena, "&%s%s_tdesc", s->prefix, ag_type_ename(s->arena, t));
    /* scalars and the runtime's collections of scalars: the runtime's descriptors */
    return ag_arena_printf(s->arena, "&aero_schema_tdesc_%s", ag_type_ename(s->arena, t));
}

const char *ag_schema_type(ag_kind k) {
    switch (k) {
    case AG_T_INT: return "AERO_SCHEMA_INT";
    case AG_T_DOUBLE: return "AERO_SCHEMA_DOUBLE";
    case AG_T_BOOL: return "AERO_SCHEMA_BOOL";
    case AG_T_STRING: return "AERO_SCHEMA_STR";
    case AG_T_BLOB: return "AERO_SCHEMA_BLOB";
    case AG_T_GEOJSON: return "AERO_SCHEMA_GEOJSON";
    case AG_T_LIST: return "AERO_SCHEMA_LIST";
    case AG_T_DOC: return "AERO_SCHEMA_DOC";
    case AG_T_HLL: return "AERO_SCHEMA_HLL";
    default: return "AERO_SCHEMA_MAP";
    }
}

static void put_double(ag_buf *b, double d) {
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.17g", d);
    ag_put(b, tmp);
    if (!strpbrk(tmp, ".eEn"))
        ag_put(b, ".0");
}

static void put_int(ag_buf *b, int64_t i) {
    if (i == INT64_MIN)
        ag_put(b, "(-INT64_C(9223372036854775807) - 1)");
    else
        ag_putf(b, "INT64_C(%lld)", (long long)i);
}

/* The initial value of one field, for the INIT macro. */
static void put_init(ag_buf *b, const ag_schema *s, const ag_bin *f) {
    const ag_lit *l = f->dflt;
    switch (f->type->kind) {
    case AG_T_INT: l ? put_int(b, l->i) : ag_put(b, "0"); break;
    case AG_T_DOUBLE:
        if (!l)
            ag_put(b, "0.0");
        else
            put_double(b, l->kind == AG_L_INT ? (double)l->i : l->d);
        break;
    case AG_T_BOOL: ag_put(b, l && l->b ? "true" : "false"); break;
    case AG_T_STRING:
    case AG_T_GEOJSON:
        if (l)
            ag_put_cstr(b, l->s, l->s_len);
        else
            ag_put(b, "NULL");
        break;
    case AG_T_BLOB:
    case AG_T_HLL:
    case AG_T_LIST:
    case AG_T_MAP: ag_put(b, "{ NULL, 0 }"); break;
    case AG_T_DOC: ag_putf(b, "%s_INIT", ag_upper(s->arena, ag_c_type(s, f->type))); break;
    default: ag_put(b, "{ AERO_NIL, { false } }"); break;
    }
}

/* ---- names ---- */

/* The C names of one record, and how its key is spelled in signatures. */
typedef struct names {
    const char *c;           /* the C name: prefix + record name, e.g. "app_user" */
    const char *U;           /* its macro stem, e.g. "APP_USER" */
    const char *key_params;  /* "const char *key" */
    const char *key_args;    /* "key" */
    const char *key_fn;      /* "aero_schema_key_str" */
    const char *many_params; /* keys of a batch */
    const char *many_args;
} names;

static void record_names(const ag_schema *s, const ag_record *r, names *n) {
    n->c = ag_arena_printf(s->arena, "%s%s", s->prefix, r->name);
    n->U = ag_upper(s->arena, n->c);
    n->key_args = "key";
    n->many_args = "keys, NULL";
    switch (r->key->kind) {
    case AG_T_INT:
        n->key_params = "int64_t key";
        n->key_fn = "aero_schema_key_int";
        n->many_params = "const int64_t *keys";
        break;
    case AG_T_BLOB:
        n->key_params = "const void *key, size_t key_len";
        n->key_args = "key, key_len";
        n->key_fn = "aero_schema_key_blob";
        n->many_params = "const void *const *keys, const size_t *key_lens";
        n->many_args = "keys, key_lens";
        break;
    default:
        n->key_params = "const char *key";
        n->key_fn = "aero_schema_key_str";
        n->many_params = "const char *const *keys";
        break;
    }
}

/* ---- header: one record ---- */

static void emit_banner_h(ag_buf *h, const ag_schema *s, const ag_record *r) {
    char kt[32];
    ag_type_format(r->key, kt, sizeof kt);
    ag_put(h, "/* ------------------------------------------------------------------------- */\n");
    ag_putf(h, "/* record %s: namespace \"", r->name);
    ag_put_comment(h, s->ns, strlen(s->ns));
    if (r->set) {
        ag_put(h, "\", set \"");
        ag_put_comment(h, r->set, strlen(r->set));
        ag_put(h, "\"");
    } else {
        ag_put(h, "\", no set");
    }
    ag_putf(h, ", key %s */\n\n", kt);
}

/* Namespace, set and bin-name macros, and the field numbers. */
static void emit_constants_h(ag_buf *h, const ag_schema *s, const ag_record *r, const names *nm) {
    ag_putf(h, "#define %s_NAMESPACE ", nm->U);
    ag_put_cstr(h, s->ns, strlen(s->ns));
    ag_putf(h, "\n#define %s_SET ", nm->U);
    ag_put_cstr(h, r->set ? r->set : "", r->set ? strlen(r->set) : 0);
    ag_put(h, "\n\n/* Bin names. */\n");
    for (int i = 0; i < r->n_bins; i++) {
        const ag_bin *b = r->order[i];
        ag_putf(h, "#define %s_BIN_%s ", nm->U, ag_upper(s->arena, b->field));
        ag_put_cstr(h, b->bin, strlen(b->bin));
        ag_put(h, "\n");
    }
    ag_putf(h, "\n/** Field numbers, for %s_get_bins(). */\nenum %s_field {\n", nm->c, nm->c);
    for (int i = 0; i < r->n_bins; i++)
        ag_putf(h, "    %s_F_%s = %d,\n", nm->U, ag_upper(s->arena, r->order[i]->field), i);
    ag_putf(h, "};\n#define %s_FIELD_COUNT %d\n\n", nm->U, r->n_bins);
}

/* The schema type of a field, its flags and its default, in the field's comment. */
static void put_field_comment(ag_buf *h, const ag_bin *b, const char *what) {
    char tn[256];
    ag_type_format(b->type, tn, sizeof tn);
    ag_putf(h, " /**< %s \"", what);
    ag_put_comment(h, b->bin, strlen(b->bin));
    ag_putf(h, "\": %s%s", tn, b->required ? ", required" : "");
    if (b->dflt) {
        ag_put(h, ", default ");
        if (b->dflt->kind == AG_L_STRING) {
            ag_put(h, "'");
            ag_put_comment(h, b->dflt->s, b->dflt->s_len);
            ag_put(h, "'");
        } else if (b->dflt->kind == AG_L_BOOL) {
            ag_put(h, b->dflt->b ? "true" : "false");
        } else if (b->dflt->kind == AG_L_INT) {
            ag_putf(h, "%lld", (long long)b->dflt->i);
        } else {
            put_double(h, b->dflt->d);
        }
    }
    ag_put(h, " */\n");
}

/* The fields in schema order, then the presence flags of the optional ones together (no padding after each). */
void ag_put_fields_h(ag_buf *h, const ag_schema *s, ag_bin *const *order, int n, const char *what) {
    for (int i = 0; i < n; i++) {
        const ag_bin *b = order[i];
        if (b->doc)
            ag_put_doc(h, b->doc, "    ");
        const char *ct = ag_c_type(s, b->type);
        ag_putf(h, "    %s%s%s;", ct, ct[strlen(ct) - 1] == '*' ? "" : " ", b->field);
        put_field_comment(h, b, what);
    }
    for (int i = 0; i < n; i++)
        if (!order[i]->required)
            ag_putf(h, "    bool has_%s; /**< %s is set (to write) / was read */\n", order[i]->field, order[i]->field);
}

static void emit_struct_h(ag_buf *h, const ag_schema *s, const ag_record *r, const names *nm) {
    if (r->doc)
        ag_put_doc(h, r->doc, "");
    else
        ag_putf(h,
                "/** One record of set %s. Strings, blobs, lists and maps read by %s_get() point into its holder. */\n",
                r->set ? r->set : "(none)", nm->c);
    ag_putf(h, "typedef struct %s {\n", nm->c);
    ag_put_fields_h(h, s, r->order, r->n_bins, "bin");
    ag_putf(h, "} %s;\n\n", nm->c);
}

/*
 * The INIT macro, one field a line: designated initialisers for C and C++20,
 * positional ones for older C++ (which has none; same values, same order).
 */
void ag_put_init_h(ag_buf *h, const ag_schema *s, const char *U, ag_bin *const *order, int n) {
    ag_put(h, "#if !defined(__cplusplus) || __cplusplus >= 202002L\n");
    ag_putf(h, "#define %s_INIT { \\\n", U);
    for (int i = 0; i < n; i++) {
        ag_putf(h, "    .%s = ", order[i]->field);
        put_init(h, s, order[i]);
        ag_put(h, ", \\\n");
    }
    for (int i = 0; i < n; i++)
        if (!order[i]->required)
            ag_putf(h, "    .has_%s = false, \\\n", order[i]->field);
    ag_put(h, "}\n#else /* C++ before C++20: no designated initialisers */\n");
    ag_putf(h, "#define %s_INIT { \\\n", U);
    for (int i = 0; i < n; i++) {
        ag_put(h, "    ");
        put_init(h, s, order[i]);
        ag_putf(h, ", /* %s */ \\\n", order[i]->field);
    }
    for (int i = 0; i < n; i++)
        if (!order[i]->required)
            ag_putf(h, "    false, /* has_%s */ \\\n", order[i]->field);
    ag_put(h, "}\n#endif\n\n");
}

static void emit_init_h(ag_buf *h, const ag_schema *s, const ag_record *r, const names *nm) {
    ag_putf(h, "/** A %s with every field at its default and no optional bin present. */\n", nm->c);
    ag_put_init_h(h, s, nm->U, r->order, r->n_bins);
}

#define LINE_MAX_COLS 120

/*
 * Text of one line that starts at column `col`, broken after ", " where it would pass LINE_MAX_COLS; continuation
 * lines indented by `cont` spaces.
 */
void ag_put_wrapped_at(ag_buf *b, const char *text, size_t col, size_t cont) {
    const char *p = text;
    while (*p) {
        const char *comma = strstr(p, ", ");
        size_t n = comma ? (size_t)(comma - p) + 1 : strlen(p); /* up to and including the comma */
        if (col > cont && col + 1 + n > LINE_MAX_COLS) {
            ag_putf(b, "\n%*s", (int)cont, "");
            col = cont;
        } else if (p != text) {
            ag_put(b, " ");
            col++;
        }
        ag_putf(b, "%.*s", (int)n, p);
        col += n;
        p += n;
        if (*p == ' ')
            p++;
    }
}

static void put_wrapped(ag_buf *b, const char *text) { ag_put_wrapped_at(b, text, 0, 4); }

/*
 * One `static inline` wrapper: signature (wrapped), then an optional key line, then `return CALL;`. Generated
 * functions keep the brace on a line of its own (as they always had), so a diff of regenerated code stays small.
 */
static void put_inline(ag_buf *h, const ag_schema *s, const names *nm, const char *ret, const char *signature, bool key,
                       const char *call) {
    put_wrapped(
        h, ag_arena_printf(s->arena, "static inline %s%s%s)", ret, ret[strlen(ret) - 1] == '*' ? "" : " ", signature));
    ag_put(h, "\n{\n");
    if (key)
        ag_putf(h, "    aero_key k = %s_key(%s);\n", nm->c, nm->key_args);
    ag_put(h, "    ");
    ag_put_wrapped_at(h, ag_arena_printf(s->arena, "return %s;", call), 4, 8);
    ag_put(h, "\n}\n\n");
}

/* The write verbs and their aero_schema_op. */
static const struct {
    const char *verb, *op;
} write_verbs[] = { { "upsert", "AERO_SCHEMA_UPSERT" },
                    { "insert", "AERO_SCHEMA_INSERT" },
                    { "update", "AERO_SCHEMA_UPDATE" },
                    { "replace", "AERO_SCHEMA_REPLACE" },
                    { "replace_if_exists", "AERO_SCHEMA_REPLACE_IF_EXISTS" } };

/* Writes: one wrapper per verb. */
static void emit_writes_h(ag_buf *h, const ag_schema *s, const names *nm) {
    ag_arena *a = s->arena;
    ag_put(h, "/*\n"
              " * Writes: required bins are always written, optional ones when has_<field> is\n"
              " * set. See aero/schema.h for what each verb requires of the record.\n"
              " */\n");
    for (size_t i = 0; i < sizeof write_verbs / sizeof write_verbs[0]; i++)
        put_inline(
            h, s, nm, "aero_status",
            ag_arena_printf(a, "%s_%s(aero_session *session, %s, const %s *obj, aero_error *err", nm->c,
                            write_verbs[i].verb, nm->key_params, nm->c),
            true,
            ag_arena_printf(a, "aero_schema_write(session, &%s_schema, %s, &k, obj, err)", nm->c, write_verbs[i].op));
}

/* Reads: get, get_bins, get_many, from_record. */
static void emit_reads_h(ag_buf *h, const ag_schema *s, const names *nm) {
    ag_arena *a = s->arena;
    const char *c = nm->c;
    ag_put(h, "/*\n"
              " * Reads. Strings, blobs, lists and maps in *out point into `holder` (an\n"
              " * aero_record initialised by the caller) and stay valid until the holder is\n"
              " * reused or disposed. A missing record is AERO_ERR_KEY_NOT_FOUND.\n"
              " */\n");
    put_inline(h, s, nm, "aero_status",
               ag_arena_printf(a, "%s_get(aero_session *session, %s, %s *out, aero_record *holder, aero_error *err", c,
                               nm->key_params, c),
               true, ag_arena_printf(a, "aero_schema_get(session, &%s_schema, &k, NULL, 0, out, holder, err)", c));
    put_inline(
        h, s, nm, "aero_status",
        ag_arena_printf(a,
                        "%s_get_bins(aero_session *session, %s, const unsigned *fields, size_t n_fields, %s *out, "
                        "aero_record *holder, aero_error *err",
                        c, nm->key_params, c),
        true, ag_arena_printf(a, "aero_schema_get(session, &%s_schema, &k, fields, n_fields, out, holder, err)", c));
    ag_put(h, "/**\n"
              " * Batch read: out[i], results[i] and holders[i] (n initialised records owning\n"
              " * what out[i] points to) for each key; results[i] is AERO_OK or AERO_ERR_KEY_NOT_FOUND\n"
              " * or that key's error. Returns AERO_OK when the batch itself ran.\n"
              " */\n");
    put_inline(h, s, nm, "aero_status",
               ag_arena_printf(a,
                               "%s_get_many(aero_session *session, %s, size_t n, %s *out, aero_status *results, "
                               "aero_record *holders, aero_error *err",
                               c, nm->many_params, c),
               false,
               ag_arena_printf(a, "aero_schema_get_many(session, &%s_schema, %s, n, out, results, holders, err)", c,
                               nm->many_args));
    ag_put(h, "/** Decode a record already read (a stream row) into *out; pointers go into `rec`. */\n");
    put_inline(h, s, nm, "aero_status",
               ag_arena_printf(a, "%s_from_record(const aero_record *rec, %s *out, aero_error *err", c, c), false,
               ag_arena_printf(a, "aero_schema_decode(&%s_schema, rec, out, err)", c));
}

/* Delete, touch, exists. */
static void emit_meta_h(ag_buf *h, const ag_schema *s, const names *nm) {
    static const char *const meta[] = { "delete", "touch", "exists" };
    ag_put(h, "/* Delete, touch (reset TTL) and exists; *existed / *exists may be NULL. */\n");
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        const char *flag = i == 2 ? "exists" : "existed";
        put_inline(h, s, nm, "aero_status",
                   ag_arena_printf(s->arena, "%s_%s(aero_session *session, %s, bool *%s, aero_error *err", nm->c,
                                   meta[i], nm->key_params, flag),
                   true,
                   ag_arena_printf(s->arena, "aero_schema_%s(session, &%s_schema, &k, %s, err)", meta[i], nm->c, flag));
    }
}

/* Many keys in one batch: every write verb, delete, touch, exists; outcomes per row. */
static void emit_many_h(ag_buf *h, const ag_schema *s, const names *nm) {
    ag_arena *a = s->arena;
    const char *c = nm->c;
    ag_put(h, "/*\n"
              " * Many keys, one batch (one request per node): row i is keys[i]. results[i]\n"
              " * is AERO_OK or that row's error (AERO_ERR_NO_RESPONSE: not answered),\n"
              " * in_doubt[i] (may be NULL) whether a failed write may have been applied.\n"
              " * Returns AERO_OK when the batch ran (look at results), else what stopped\n"
              " * it (a struct refused as by the single-key write: nothing is sent).\n"
              " */\n");
    for (size_t i = 0; i < sizeof write_verbs / sizeof write_verbs[0]; i++)
        put_inline(
            h, s, nm, "aero_status",
            ag_arena_printf(a,
                            "%s_%s_many(aero_session *session, %s, size_t n, const %s *objs, "
                            "aero_status *results, bool *in_doubt, aero_error *err",
                            c, write_verbs[i].verb, nm->many_params, c),
            false,
            ag_arena_printf(a, "aero_schema_write_many(session, &%s_schema, %s, %s, n, objs, results, in_doubt, err)",
                            c, write_verbs[i].op, nm->many_args));
    ag_put(h, "/* existed[i] (may be NULL): the record was there; a missing one is AERO_OK. */\n");
    static const char *const meta[] = { "delete", "touch" };
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++)
        put_inline(h, s, nm, "aero_status",
                   ag_arena_printf(a,
                                   "%s_%s_many(aero_session *session, %s, size_t n, bool *existed, "
                                   "aero_status *results, bool *in_doubt, aero_error *err",
                                   c, meta[i], nm->many_params),
                   false,
                   ag_arena_printf(a,
                                   "aero_schema_%s_many(session, &%s_schema, %s, n, existed, results, in_doubt, err)",
                                   meta[i], c, nm->many_args));
    ag_put(h, "/* exists[i] (not NULL) for each key; results[i] is AERO_OK when that answer is known. */\n");
    put_inline(h, s, nm, "aero_status",
               ag_arena_printf(a,
                               "%s_exists_many(aero_session *session, %s, size_t n, bool *exists, "
                               "aero_status *results, aero_error *err",
                               c, nm->many_params),
               false,
               ag_arena_printf(a, "aero_schema_exists_many(session, &%s_schema, %s, n, exists, results, err)", c,
                               nm->many_args));
}

/* Typed rows of a mixed batch (aero/batch.h). */
static void emit_batch_h(ag_buf *h, const ag_schema *s, const names *nm) {
    ag_arena *a = s->arena;
    const char *c = nm->c;
    ag_put(h, "/*\n"
              " * Rows of a mixed batch (aero_session_batch(), aero/batch.h): any records and\n"
              " * untyped rows in one batch. A write row gives back its builder (TTL,\n"
              " * generation, where() for that row); a struct refused as by the single-key\n"
              " * write fails the batch at execute. Decode a read row with\n");
    ag_putf(h, " * %s_from_record(). A string or blob key must stay valid until execute.\n */\n", c);
    for (size_t i = 0; i < sizeof write_verbs / sizeof write_verbs[0]; i++)
        put_inline(h, s, nm, "aero_write *",
                   ag_arena_printf(a, "%s_batch_%s(aero_batch *batch, %s, const %s *obj", c, write_verbs[i].verb,
                                   nm->key_params, c),
                   true,
                   ag_arena_printf(a, "aero_schema_batch_write(batch, &%s_schema, %s, &k, obj)", c, write_verbs[i].op));
    static const struct {
        const char *verb, *ret, *call;
    } rows[] = { { "get", "aero_batch *", "aero_batch_read" },
                 { "delete", "aero_write *", "aero_batch_delete" },
                 { "touch", "aero_write *", "aero_batch_touch" },
                 { "exists", "aero_batch *", "aero_batch_exists" } };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        put_inline(h, s, nm, rows[i].ret,
                   ag_arena_printf(a, "%s_batch_%s(aero_batch *batch, %s", c, rows[i].verb, nm->key_params), true,
                   ag_arena_printf(a, "%s(batch, &k)", rows[i].call));
}

static void emit_record_h(ag_buf *h, const ag_schema *s, const ag_record *r) {
    names nm;
    record_names(s, r, &nm);
    emit_banner_h(h, s, r);
    emit_constants_h(h, s, r, &nm);
    emit_struct_h(h, s, r, &nm);
    emit_init_h(h, s, r, &nm);
    ag_putf(h, "/** Descriptor of %s for the generic entry points of aero/schema.h. */\n", nm.c);
    ag_putf(h, "extern const aero_schema_record %s_schema;\n\n", nm.c);
    ag_putf(h, "/** The key of one %s (a string or blob key is not copied). */\n", nm.c);
    put_inline(h, s, &nm, "aero_key", ag_arena_printf(s->arena, "%s_key(%s", nm.c, nm.key_params), false,
               ag_arena_printf(s->arena, "%s(&%s_schema, %s)", nm.key_fn, nm.c, nm.key_args));
    emit_writes_h(h, s, &nm);
    emit_reads_h(h, s, &nm);
    emit_meta_h(h, s, &nm);
    emit_many_h(h, s, &nm);
    emit_batch_h(h, s, &nm);
    ag_emit_stream_h(h, s, r);
}

/* ---- header: one query ---- */

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

static void put_params_plan(ag_buf *b, const ag_query *q, bool session, bool plan) {
    if (session)
        ag_put(b, "aero_session *session");
    for (const ag_param *p = q->params; p; p = p->next) {
        ag_putf(b, "%s%s%s", session || p != q->params ? ", " : "", param_c(p->type->kind), p->name);
        if (p->type->kind == AG_T_BLOB)
            ag_putf(b, ", size_t %s_len", p->name);
    }
    if (plan)
        ag_put(b, ", aero_query_plan *plan");
    ag_put(b, session || q->params ? ", aero_error *err" : "aero_error *err");
}

static void put_params(ag_buf *b, const ag_query *q, bool session) { put_params_plan(b, q, session, false); }

/* The C name of a query's function: prefix + record + "_" + query. */
static const char *query_name(const ag_schema *s, const ag_query *q) {
    return ag_arena_printf(s->arena, "%s%s_%s", s->prefix, q->record->name, q->name);
}

static void emit_query_h(ag_buf *h, const ag_schema *s, const ag_query *q) {
    const char *fn = query_name(s, q);
    if (q->doc)
        ag_put_doc(h, q->doc, "");
    ag_put(h, "/**\n * Named query: the ");
    ag_putf(h, "%s%s records where \"", s->prefix, q->record->name);
    ag_put_comment(h, q->where, q->where_len);
    ag_put(h, "\".\n");
    int i = 0;
    for (const ag_param *p = q->params; p; p = p->next, i++)
        ag_putf(h, " * ?%d is %s.\n", i, p->name);
    ag_putf(h, " * Rows decode with %s%s_from_record(). NULL with err filled on failure.\n */\n", s->prefix,
            q->record->name);
    ag_putf(h, "aero_stream *%s(", fn);
    put_params(h, q, true);
    ag_put(h, ");\n");
    ag_putf(h, "/** The same filter as an expression, for your own query or a write's where (aero_expr_free it). */\n");
    ag_putf(h, "aero_expr *%s_filter(", fn);
    put_params(h, q, false);
    ag_put(h, ");\n");
    if (q->use) {
        ag_put(h, "/**\n * Which index that query uses for these arguments, and why (nothing is sent):\n"
                  " * aerogen chose the declared index \"");
        ag_put_comment(h, q->use->index->name, strlen(q->use->index->name));
        ag_put(h, "\"; it is used when the client's index list has it readable on every node,\n"
                  " * else the full filter is sent. plan: AERO_QUERY_PLAN_INIT.\n */\n");
    } else {
        ag_put(h,
               "/** Which index that query uses, and why: none (no declared index answers a part of its filter). */\n");
    }
    ag_putf(h, "aero_status %s_explain(", fn);
    put_params_plan(h, q, true, true);
    ag_put(h, ");\n\n");
}

/* ---- source: the tables of one record ---- */

/* One row of the bin table: name, field, offsets, type, flags, signature. */
void ag_put_bin_row(ag_buf *c, const ag_schema *s, const char *cn, const ag_bin *b) {
    ag_put(c, "    { ");
    ag_put_cstr(c, b->bin, strlen(b->bin));
    ag_put(c, ", ");
    ag_put_cstr(c, b->field, strlen(b->field));
    ag_putf(c, ", offsetof(%s, %s), ", cn, b->field);
    if (b->required)
        ag_put(c, "AERO_SCHEMA_NO_FLAG, ");
    else
        ag_putf(c, "offsetof(%s, has_%s), ", cn, b->field);
    ag_putf(c, "%s, ", ag_schema_type(b->type->kind));
    if (b->required && b->dflt)
        ag_put(c, "AERO_SCHEMA_REQUIRED | AERO_SCHEMA_HAS_DEFAULT, ");
    else if (b->required)
        ag_put(c, "AERO_SCHEMA_REQUIRED, ");
    else if (b->dflt)
        ag_put(c, "AERO_SCHEMA_HAS_DEFAULT, ");
    else
        ag_put(c, "0, ");
    size_t name_len = strlen(b->bin);
    ag_putf(c, "%zu, ", name_len <= 255 ? name_len : 0);
    if (name_len <= 15)
        ag_put_cstr(c, b->bin, name_len);
    else
        ag_put(c, "\"\"");
    ag_put(c, ", ");
    ag_kind k = b->type->kind;
    if (k == AG_T_LIST || k == AG_T_MAP || k == AG_T_DOC || k == AG_T_HLL) {
        char sig[256] = "";
        ag_type_sig(b->type, sig, sizeof sig);
        ag_put_cstr(c, sig, strlen(sig));
    } else {
        ag_put(c, "NULL");
    }
    ag_putf(c, ", %s },\n", k == AG_T_LIST || k == AG_T_MAP || k == AG_T_DOC ? ag_tdesc_ref(s, b->type) : "NULL");
}

static void emit_record_c(ag_buf *c, const ag_schema *s, const ag_record *r) {
    names nm;
    record_names(s, r, &nm);
    const char *n = nm.c;

    ag_putf(c, "/* ---- record %s ---- */\n\n", r->name);
    ag_putf(c, "static const %s %s_init_ = %s_INIT;\n\n", n, n, nm.U);
    ag_putf(c, "static const aero_schema_bin %s_bins_[] = {\n", n);
    for (int i = 0; i < r->n_bins; i++)
        ag_put_bin_row(c, s, n, r->order[i]);
    ag_put(c, "};\n\n");
    ag_putf(c, "static const uint32_t %s_by_name_[] = {", n);
    for (int i = 0; i < r->n_bins; i++)
        ag_putf(c, "%s%s%d", i ? "," : "", i % 16 == 0 ? "\n    " : " ", r->by_name[i]);
    ag_put(c, "\n};\n\n");

    ag_putf(c, "const aero_schema_record %s_schema = {\n", n);
    ag_put(c, "    AERO_SCHEMA_ABI,\n    AERO_VERSION_NUMBER,\n    ");
    ag_put_cstr(c, r->name, strlen(r->name));
    ag_put(c, ",\n    ");
    ag_put_cstr(c, s->ns, strlen(s->ns));
    ag_put(c, ",\n    ");
    ag_put_cstr(c, r->set ? r->set : "", r->set ? strlen(r->set) : 0);
    ag_putf(c, ",\n    %s,\n",
            r->key->kind == AG_T_INT    ? "AERO_KEY_INT"
            : r->key->kind == AG_T_BLOB ? "AERO_KEY_BLOB"
                                        : "AERO_KEY_STR");
    uint64_t required = 0; /* bins required without a default, for a get's presence check */
    for (int i = 0; i < r->n_bins && i < 64; i++)
        if (r->order[i]->required && !r->order[i]->dflt)
            required |= UINT64_C(1) << i;
    ag_putf(c,
            "    sizeof(%s),\n    &%s_init_,\n    %s_bins_,\n    %d,\n    %s_by_name_,\n    UINT64_C(0x%" PRIx64
            "),\n};\n\n",
            n, n, n, r->n_bins, n, required);
}

/* ---- source: one query ---- */

static void put_bytes(ag_buf *c, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        ag_putf(c, "%s0x%02x%s", i % 12 == 0 ? "\n    " : " ", p[i], i + 1 < n ? "," : "");
}

/* `aero_value args[N];` filled from the parameters, in placeholder order. */
void ag_put_query_args(ag_buf *c, const ag_query *q) {
    if (!q->n_params)
        return;
    ag_putf(c, "    aero_value args[%d];\n", q->n_params);
    int i = 0;
    for (const ag_param *p = q->params; p; p = p->next, i++) {
        switch (p->type->kind) {
        case AG_T_INT: ag_putf(c, "    args[%d] = aero_int(%s);\n", i, p->name); break;
        case AG_T_DOUBLE: ag_putf(c, "    args[%d] = aero_double(%s);\n", i, p->name); break;
        case AG_T_BOOL: ag_putf(c, "    args[%d] = aero_bool(%s);\n", i, p->name); break;
        case AG_T_STRING: ag_putf(c, "    args[%d] = aero_str(%s);\n", i, p->name); break;
        case AG_T_BLOB: ag_putf(c, "    args[%d] = aero_blob(%s, %s_len);\n", i, p->name, p->name); break;
        default: ag_putf(c, "    args[%d] = %s ? *%s : aero_nil();\n", i, p->name, p->name); break;
        }
    }
}

static void put_int64(ag_buf *c, int64_t v) {
    if (v == INT64_MIN)
        ag_put(c, "INT64_MIN");
    else if (v == INT64_MAX)
        ag_put(c, "INT64_MAX");
    else
        ag_putf(c, "INT64_C(%" PRId64 ")", v);
}

/* A named array of bytes, or nothing when n == 0; returns the C expression for a pointer to them. */
static const char *put_byte_array(ag_buf *c, const ag_schema *s, const char *fn, const char *what, const uint8_t *p,
                                  size_t n) {
    if (!n)
        return "NULL";
    ag_putf(c, "static const uint8_t %s_%s_[] = {", fn, what);
    put_bytes(c, p, n);
    ag_put(c, "\n};\n");
    return ag_arena_printf(s->arena, "%s_%s_", fn, what);
}

/* The index part aerogen chose (query.c): index filter, context and the rest of the filter. */
static void emit_index_use_c(ag_buf *c, const ag_schema *s, const ag_query *q, const char *fn) {
    static const char *const cmp_c[] = { "AERO_SCHEMA_CMP_NONE", "AERO_SCHEMA_CMP_EQ", "AERO_SCHEMA_CMP_GT",
                                         "AERO_SCHEMA_CMP_GE",   "AERO_SCHEMA_CMP_LT", "AERO_SCHEMA_CMP_LE" };
    const struct ag_index_use *u = q->use;
    const char *rest = put_byte_array(c, s, fn, "rest", u->rest, u->rest_len);
    if (u->n_rest_slots) {
        ag_putf(c, "static const aero_ael_slot %s_rest_slots_[] = {\n", fn);
        for (size_t i = 0; i < u->n_rest_slots; i++)
            ag_putf(c, "    { %uu, %uu, %uu },\n", (unsigned)u->rest_slots[i].offset, (unsigned)u->rest_slots[i].param,
                    (unsigned)u->rest_slots[i].type);
        ag_put(c, "};\n");
    }
    const char *value = put_byte_array(c, s, fn, "value", u->value, u->value_len);
    const char *ctx = put_byte_array(c, s, fn, "ctx", u->ctx, u->ctx_len);
    ag_putf(c, "/* index part chosen by aerogen: the declared index \"");
    ag_put_comment(c, u->index->name, strlen(u->index->name));
    ag_putf(c, "\" */\nstatic const aero_schema_index_use %s_index_ = {\n    AERO_SCHEMA_INDEX_USE_VERSION,\n    ", fn);
    ag_put_cstr(c, u->index->name, strlen(u->index->name));
    ag_put(c, ",\n    ");
    ag_put_cstr(c, u->index->bin->bin, strlen(u->index->bin->bin));
    ag_putf(c, ",\n    %s,\n    ",
            u->type == AERO_AEL_INT      ? "AERO_AEL_INT"
            : u->type == AERO_AEL_STRING ? "AERO_AEL_STRING"
                                         : "AERO_AEL_BLOB");
    put_int64(c, u->param < 0 ? u->begin : 0);
    ag_put(c, ", ");
    put_int64(c, u->param < 0 ? u->end : 0);
    ag_putf(c, ",\n    %s, %zuu,\n    %d, %s,\n    %s, %zuu,\n    %s, %zuu,\n    %s, %zuu\n};\n", value, u->value_len,
            u->param, cmp_c[u->cmp], ctx, u->ctx_len, rest, u->rest_len,
            u->n_rest_slots ? ag_arena_printf(s->arena, "%s_rest_slots_", fn) : "NULL", u->n_rest_slots);
}

/* The query's filter was compiled by the AEL front end at generate time (query.c): bytes and slots. */
static void emit_query_c(ag_buf *c, const ag_schema *s, const ag_query *q) {
    const char *fn = query_name(s, q);
    ag_putf(c, "static const uint8_t %s_expr_[] = {", fn);
    put_bytes(c, q->expr, q->expr_len);
    ag_put(c, "\n};\n");
    if (q->n_slots) {
        ag_putf(c, "static const aero_ael_slot %s_slots_[] = {\n", fn);
        for (size_t i = 0; i < q->n_slots; i++)
            ag_putf(c, "    { %uu, %uu, %uu },\n", (unsigned)q->slots[i].offset, (unsigned)q->slots[i].param,
                    (unsigned)q->slots[i].type);
        ag_put(c, "};\n");
    }
    if (q->use)
        emit_index_use_c(c, s, q, fn);
    const char *slots = q->n_slots ? ag_arena_printf(s->arena, "%s_slots_, %zu", fn, q->n_slots) : "NULL, 0";
    const char *args = q->n_params ? "args" : "NULL";
    const char *use = q->use ? ag_arena_printf(s->arena, "&%s_index_", fn) : "NULL";
    for (int variant = 0; variant < 3; variant++) {
        bool stream = variant == 0, explain = variant == 2;
        ag_putf(c, "\n%s%s%s(",
                stream    ? "aero_stream *"
                : explain ? "aero_status "
                          : "aero_expr *",
                fn,
                stream    ? ""
                : explain ? "_explain"
                          : "_filter");
        put_params_plan(c, q, stream || explain, explain);
        ag_put(c, ")\n{\n");
        ag_put_query_args(c, q);
        if (explain) {
            ag_putf(c, "    return aero_schema_query_explain(session, &%s%s_schema, %s, %s, %d, plan, err);\n}\n",
                    s->prefix, q->record->name, use, args, q->n_params);
            continue;
        }
        if (stream && q->use)
            ag_putf(c, "    return aero_schema_query_indexed(session, &%s%s_schema, %s_expr_, sizeof %s_expr_,\n",
                    s->prefix, q->record->name, fn, fn);
        else if (stream)
            ag_putf(c, "    return aero_schema_query(session, &%s%s_schema, %s_expr_, sizeof %s_expr_,\n", s->prefix,
                    q->record->name, fn, fn);
        else
            ag_putf(c, "    return aero_schema_filter(%s_expr_, sizeof %s_expr_,\n", fn, fn);
        if (stream && q->use)
            ag_putf(c, "        %s, %s, %s, %d, err);\n}\n", slots, use, args, q->n_params);
        else
            ag_putf(c, "        %s, %s, %d, err);\n}\n", slots, args, q->n_params);
    }
    ag_put(c, "\n");
}

/* ---- files ---- */

static void stamp(ag_buf *b, const char *file, const ag_emit_opts *o) {
    ag_put(b, "/*\n * ");
    ag_put_comment(b, file, strlen(file));
    ag_putf(b, " - generated by aerogen %s from ", o->version);
    ag_put_comment(b, o->source_name, strlen(o->source_name));
    ag_put(b, " \xe2\x80\x94 do not edit.\n */\n");
}

static void abi_check(ag_buf *b, const char *file) {
    ag_put(b, "#if AERO_SCHEMA_ABI != 2\n#error \"");
    ag_put_comment(b, file, strlen(file));
    ag_put(b, " was generated for aero schema ABI 2: regenerate it with the aerogen of this runtime\"\n#endif\n");
}

void ag_emit(const ag_schema *s, const ag_emit_opts *o, ag_buf *h, ag_buf *c) {
    /* Header guard from the header name. */
    char guard[256] = "AEROGEN_";
    size_t g = strlen(guard);
    for (const char *p = o->header_name; *p && g + 2 < sizeof guard; p++)
        guard[g++] = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
    guard[g++] = '_';
    guard[g] = '\0';

    stamp(h, o->header_name, o);
    ag_putf(h, "#ifndef %s\n#define %s\n\n", guard, guard);
    ag_put(h, "#include <aero/aero.h>\n");
    if (s->indexes)
        ag_put(h, "#include <aero/index.h>\n");
    ag_put(h, "#include <aero/schema.h>\n\n");
    abi_check(h, o->header_name);
    ag_put(h, "\nAERO_BEGIN_DECLS\n\n");
    ag_emit_types_h(h, s);
    for (const ag_record *r = s->records; r; r = r->next) {
        emit_record_h(h, s, r);
        for (const ag_query *q = s->queries; q; q = q->next)
            if (q->record == r)
                emit_query_h(h, s, q);
        ag_emit_ops_h(h, s, r);
    }
    if (s->indexes)
        ag_emit_indexes_h(h, s, o);
    ag_putf(h, "AERO_END_DECLS\n\n#endif /* %s */\n", guard);

    char cname[512];
    snprintf(cname, sizeof cname, "%s", o->header_name);
    size_t cl = strlen(cname);
    if (cl > 2 && strcmp(cname + cl - 2, ".h") == 0)
        cname[cl - 1] = 'c';
    stamp(c, cname, o);
    ag_put(c, "#include ");
    ag_put_cstr(c, o->header_name, strlen(o->header_name));
    ag_put(c, "\n\n#include <stddef.h>\n\n");
    abi_check(c, cname);
    ag_put(c, "\n");
    ag_emit_types_c(c, s);
    for (const ag_record *r = s->records; r; r = r->next) {
        emit_record_c(c, s, r);
        for (const ag_query *q = s->queries; q; q = q->next)
            if (q->record == r)
                emit_query_c(c, s, q);
        ag_emit_stream_c(c, s, r);
        ag_emit_ops_c(c, s, r);
    }
    if (s->indexes)
        ag_emit_indexes_c(c, s);
    while (c->len > 1 && c->p[c->len - 1] == '\n' && c->p[c->len - 2] == '\n')
        c->p[--c->len] = '\0'; /* one newline at the end, not a blank line */
}
