/*
 * emit.c - the generated .h/.c pair.
 *
 * Generated code is data plus one-line wrappers: a struct, an INIT macro,
 * bin-name macros, a const bin table built with offsetof, and functions
 * that call the generic entry points of aero/schema.h. All the logic lives
 * in the runtime, so a runtime fix never needs a regeneration.
 *
 * Output depends only on the schema text and the file names passed in, so
 * it is byte-for-byte reproducible (golden tests diff it).
 */
#include "emit.h"
#include "sema.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- buffer ---- */

static void reserve(ag_buf *b, size_t more) {
    if (b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fputs("aerogen: out of memory\n", stderr);
        exit(70);
    }
    b->p = p;
    b->cap = cap;
}

static void put(ag_buf *b, const char *s) {
    size_t n = strlen(s);
    reserve(b, n);
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static void putf(ag_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(ag_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        reserve(b, (size_t)n);
        vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void ag_buf_free(ag_buf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* A C string literal of n bytes: printable ASCII as is, the rest as 3-digit octal. */
static void put_cstr(ag_buf *b, const char *s, size_t n) {
    put(b, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            putf(b, "\\%c", c);
        else if (c == '?' && i > 0 && s[i - 1] == '?')
            put(b, "\\?"); /* never a trigraph */
        else if (c >= 0x20 && c < 0x7f)
            putf(b, "%c", c);
        else
            putf(b, "\\%03o", c);
    }
    put(b, "\"");
}

/* Comment text: the bytes, with "*" "/" broken up and control bytes dropped. */
static void put_comment(ag_buf *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '*' && i + 1 < n && s[i + 1] == '/')
            put(b, "* ");
        else if (c == '?' && i > 0 && s[i - 1] == '?')
            put(b, " ?"); /* never a trigraph */
        else if (c == '\n' || c == '\t')
            put(b, " ");
        else if (c >= 0x20 && c != 0x7f)
            putf(b, "%c", c);
    }
}

/* Documentation block from `///` lines, with the given indent. */
static void put_doc(ag_buf *b, const char *doc, const char *indent) {
    if (!doc)
        return;
    putf(b, "%s/**\n", indent);
    const char *p = doc;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        putf(b, "%s *%s", indent, n ? " " : "");
        put_comment(b, p, n);
        put(b, "\n");
        p += n;
        if (*p == '\n')
            p++;
    }
    putf(b, "%s */\n", indent);
}

/* ---- types ---- */

static const char *c_type(ag_kind k) {
    switch (k) {
    case AG_T_INT: return "int64_t";
    case AG_T_DOUBLE: return "double";
    case AG_T_BOOL: return "bool";
    case AG_T_STRING:
    case AG_T_GEOJSON: return "const char *";
    case AG_T_BLOB: return "aero_bytes";
    default: return "aero_value";
    }
}

static const char *schema_type(ag_kind k) {
    switch (k) {
    case AG_T_INT: return "AERO_SCHEMA_INT";
    case AG_T_DOUBLE: return "AERO_SCHEMA_DOUBLE";
    case AG_T_BOOL: return "AERO_SCHEMA_BOOL";
    case AG_T_STRING: return "AERO_SCHEMA_STR";
    case AG_T_BLOB: return "AERO_SCHEMA_BLOB";
    case AG_T_GEOJSON: return "AERO_SCHEMA_GEOJSON";
    case AG_T_LIST: return "AERO_SCHEMA_LIST";
    default: return "AERO_SCHEMA_MAP";
    }
}

static void put_double(ag_buf *b, double d) {
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.17g", d);
    put(b, tmp);
    if (!strpbrk(tmp, ".eEn"))
        put(b, ".0");
}

static void put_int(ag_buf *b, int64_t i) {
    if (i == INT64_MIN)
        put(b, "(-INT64_C(9223372036854775807) - 1)");
    else
        putf(b, "INT64_C(%lld)", (long long)i);
}

/* The initial value of one field, for the INIT macro. */
static void put_init(ag_buf *b, const ag_bin *f) {
    const ag_lit *l = f->dflt;
    switch (f->type->kind) {
    case AG_T_INT: l ? put_int(b, l->i) : put(b, "0"); break;
    case AG_T_DOUBLE:
        if (!l)
            put(b, "0.0");
        else
            put_double(b, l->kind == AG_L_INT ? (double)l->i : l->d);
        break;
    case AG_T_BOOL: put(b, l && l->b ? "true" : "false"); break;
    case AG_T_STRING:
    case AG_T_GEOJSON:
        if (l)
            put_cstr(b, l->s, l->s_len);
        else
            put(b, "NULL");
        break;
    case AG_T_BLOB: put(b, "{ NULL, 0 }"); break;
    default: put(b, "{ AERO_NIL, { false } }"); break;
    }
}

/* ---- names ---- */

typedef struct names {
    char key_params[64];     /* "const char *key" */
    char key_args[32];       /* "key" */
    const char *key_fn;      /* "aero_schema_key_str" */
    const char *many_params; /* keys of a batch */
    const char *many_args;
} names;

static void key_names(const ag_record *r, names *n) {
    switch (r->key->kind) {
    case AG_T_INT:
        snprintf(n->key_params, sizeof n->key_params, "int64_t key");
        snprintf(n->key_args, sizeof n->key_args, "key");
        n->key_fn = "aero_schema_key_int";
        n->many_params = "const int64_t *keys";
        n->many_args = "keys, NULL";
        break;
    case AG_T_BLOB:
        snprintf(n->key_params, sizeof n->key_params, "const void *key, size_t key_len");
        snprintf(n->key_args, sizeof n->key_args, "key, key_len");
        n->key_fn = "aero_schema_key_blob";
        n->many_params = "const void *const *keys, const size_t *key_lens";
        n->many_args = "keys, key_lens";
        break;
    default:
        snprintf(n->key_params, sizeof n->key_params, "const char *key");
        snprintf(n->key_args, sizeof n->key_args, "key");
        n->key_fn = "aero_schema_key_str";
        n->many_params = "const char *const *keys";
        n->many_args = "keys, NULL";
        break;
    }
}

static char *upper(const char *s) {
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (!p) {
        fputs("aerogen: out of memory\n", stderr);
        exit(70);
    }
    for (size_t i = 0; i <= n; i++)
        p[i] = (char)toupper((unsigned char)s[i]);
    return p;
}

static void type_text(const ag_type *t, char *buf, size_t n) { ag_type_format(t, buf, n); }

/* ---- header ---- */

static void emit_record_h(ag_buf *h, const ag_schema *s, const ag_record *r) {
    char *U = upper(r->name);
    names nm;
    key_names(r, &nm);
    char kt[32];
    type_text(r->key, kt, sizeof kt);

    put(h, "/* ------------------------------------------------------------------------- */\n");
    putf(h, "/* record %s: namespace \"", r->name);
    put_comment(h, s->ns, strlen(s->ns));
    if (r->set) {
        put(h, "\", set \"");
        put_comment(h, r->set, strlen(r->set));
        put(h, "\"");
    } else {
        put(h, "\", no set");
    }
    putf(h, ", key %s */\n\n", kt);

    putf(h, "#define %s_NAMESPACE ", U);
    put_cstr(h, s->ns, strlen(s->ns));
    putf(h, "\n#define %s_SET ", U);
    put_cstr(h, r->set ? r->set : "", r->set ? strlen(r->set) : 0);
    put(h, "\n\n/* Bin names. */\n");
    for (int i = 0; i < r->n_bins; i++) {
        const ag_bin *b = r->order[i];
        char *F = upper(b->field);
        putf(h, "#define %s_BIN_%s ", U, F);
        put_cstr(h, b->bin, strlen(b->bin));
        put(h, "\n");
        free(F);
    }
    putf(h, "\n/** Field numbers, for %s_get_bins(). */\nenum %s_field {\n", r->name, r->name);
    for (int i = 0; i < r->n_bins; i++) {
        char *F = upper(r->order[i]->field);
        putf(h, "    %s_F_%s = %d,\n", U, F, i);
        free(F);
    }
    putf(h, "};\n#define %s_FIELD_COUNT %d\n\n", U, r->n_bins);

    if (r->doc)
        put_doc(h, r->doc, "");
    else
        putf(h, "/** One record of set %s. Strings, blobs, lists and maps read by %s_get() point into its holder. */\n",
             r->set ? r->set : "(none)", r->name);
    putf(h, "typedef struct %s {\n", r->name);
    for (int i = 0; i < r->n_bins; i++) {
        const ag_bin *b = r->order[i];
        char tn[256];
        type_text(b->type, tn, sizeof tn);
        if (b->doc)
            put_doc(h, b->doc, "    ");
        if (!b->required)
            putf(h, "    bool has_%s; /**< %s is set (to write) / was read */\n", b->field, b->field);
        const char *ct = c_type(b->type->kind);
        putf(h, "    %s%s%s; /**< bin \"", ct, ct[strlen(ct) - 1] == '*' ? "" : " ", b->field);
        put_comment(h, b->bin, strlen(b->bin));
        putf(h, "\": %s%s", tn, b->required ? ", required" : "");
        if (b->dflt) {
            put(h, ", default ");
            if (b->dflt->kind == AG_L_STRING) {
                put(h, "'");
                put_comment(h, b->dflt->s, b->dflt->s_len);
                put(h, "'");
            } else if (b->dflt->kind == AG_L_BOOL) {
                put(h, b->dflt->b ? "true" : "false");
            } else if (b->dflt->kind == AG_L_INT) {
                putf(h, "%lld", (long long)b->dflt->i);
            } else {
                put_double(h, b->dflt->d);
            }
        }
        put(h, " */\n");
    }
    putf(h, "} %s;\n\n", r->name);

    putf(h, "/** A %s with every field at its default and no optional bin present. */\n", r->name);
    putf(h, "#define %s_INIT { ", U);
    for (int i = 0; i < r->n_bins; i++) {
        const ag_bin *b = r->order[i];
        if (i)
            put(h, ", ");
        if (!b->required)
            put(h, "false, ");
        put_init(h, b);
    }
    put(h, " }\n\n");

    putf(h, "/** Descriptor of %s for the generic entry points of aero/schema.h. */\n", r->name);
    putf(h, "extern const aero_schema_record %s_schema;\n\n", r->name);
    putf(h, "/** The key of one %s (a string or blob key is not copied). */\n", r->name);
    putf(h, "aero_key %s_key(%s);\n\n", r->name, nm.key_params);
    put(h, "/*\n"
           " * Writes: required bins are always written, optional ones when has_<field> is\n"
           " * set. See aero/schema.h for what each verb requires of the record.\n"
           " */\n");
    static const char *const verbs[] = { "upsert", "insert", "update", "replace", "replace_if_exists" };
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        putf(h, "aero_status %s_%s(aero_session *session, %s, const %s *obj, aero_error *err);\n", r->name, verbs[i],
             nm.key_params, r->name);
    put(h, "\n/*\n"
           " * Reads. Strings, blobs, lists and maps in *out point into `holder` (an\n"
           " * aero_record initialised by the caller) and stay valid until the holder is\n"
           " * reused or disposed. A missing record is AERO_ERR_KEY_NOT_FOUND.\n"
           " */\n");
    putf(h, "aero_status %s_get(aero_session *session, %s, %s *out, aero_record *holder, aero_error *err);\n", r->name,
         nm.key_params, r->name);
    putf(h,
         "aero_status %s_get_bins(aero_session *session, %s, const unsigned *fields, size_t n_fields, %s *out,\n"
         "    aero_record *holder, aero_error *err);\n",
         r->name, nm.key_params, r->name);
    putf(h, "/**\n"
            " * Batch read: out[i], results[i] and holders[i] (n initialised records owning\n"
            " * what out[i] points to) for each key; results[i] is AERO_OK or AERO_ERR_KEY_NOT_FOUND\n"
            " * or that key's error. Returns AERO_OK when the batch itself ran.\n"
            " */\n");
    putf(h,
         "aero_status %s_get_many(aero_session *session, %s, size_t n, %s *out, aero_status *results,\n"
         "    aero_record *holders, aero_error *err);\n",
         r->name, nm.many_params, r->name);
    putf(h, "/** Decode a record already read (a stream row) into *out; pointers go into `rec`. */\n");
    putf(h, "aero_status %s_from_record(const aero_record *rec, %s *out, aero_error *err);\n\n", r->name, r->name);
    put(h, "/* Delete, touch (reset TTL) and exists; *existed / *exists may be NULL. */\n");
    putf(h, "aero_status %s_delete(aero_session *session, %s, bool *existed, aero_error *err);\n", r->name,
         nm.key_params);
    putf(h, "aero_status %s_touch(aero_session *session, %s, bool *existed, aero_error *err);\n", r->name,
         nm.key_params);
    putf(h, "aero_status %s_exists(aero_session *session, %s, bool *exists, aero_error *err);\n\n", r->name,
         nm.key_params);
    free(U);
}

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

static void put_params(ag_buf *b, const ag_query *q, bool session) {
    if (session)
        put(b, "aero_session *session");
    for (const ag_param *p = q->params; p; p = p->next) {
        putf(b, "%s%s%s", session || p != q->params ? ", " : "", param_c(p->type->kind), p->name);
        if (p->type->kind == AG_T_BLOB)
            putf(b, ", size_t %s_len", p->name);
    }
    put(b, session || q->params ? ", aero_error *err" : "aero_error *err");
}

static void emit_query_h(ag_buf *h, const ag_query *q) {
    if (q->doc)
        put_doc(h, q->doc, "");
    put(h, "/**\n * Named query: the ");
    putf(h, "%s records where \"", q->record->name);
    put_comment(h, q->where, q->where_len);
    put(h, "\".\n");
    int i = 0;
    for (const ag_param *p = q->params; p; p = p->next, i++)
        putf(h, " * ?%d is %s.\n", i, p->name);
    putf(h, " * Rows decode with %s_from_record(). NULL with err filled on failure.\n */\n", q->record->name);
    putf(h, "aero_stream *%s_%s(", q->record->name, q->name);
    put_params(h, q, true);
    put(h, ");\n");
    putf(h, "/** The same filter as an expression, for your own query or a write's where (aero_expr_free it). */\n");
    putf(h, "aero_expr *%s_%s_filter(", q->record->name, q->name);
    put_params(h, q, false);
    put(h, ");\n\n");
}

/* ---- source ---- */

static void emit_record_c(ag_buf *c, const ag_schema *s, const ag_record *r) {
    names nm;
    key_names(r, &nm);
    const char *n = r->name;

    putf(c, "/* ---- record %s ---- */\n\n", n);
    char *U = upper(n);
    putf(c, "static const %s %s_init_ = %s_INIT;\n\n", n, n, U);
    free(U);
    putf(c, "static const aero_schema_bin %s_bins_[] = {\n", n);
    for (int i = 0; i < r->n_bins; i++) {
        const ag_bin *b = r->order[i];
        put(c, "    { ");
        put_cstr(c, b->bin, strlen(b->bin));
        put(c, ", ");
        put_cstr(c, b->field, strlen(b->field));
        putf(c, ", offsetof(%s, %s), ", n, b->field);
        if (b->required)
            put(c, "AERO_SCHEMA_NO_FLAG, ");
        else
            putf(c, "offsetof(%s, has_%s), ", n, b->field);
        putf(c, "%s, ", schema_type(b->type->kind));
        if (b->required && b->dflt)
            put(c, "AERO_SCHEMA_REQUIRED | AERO_SCHEMA_HAS_DEFAULT, ");
        else if (b->required)
            put(c, "AERO_SCHEMA_REQUIRED, ");
        else if (b->dflt)
            put(c, "AERO_SCHEMA_HAS_DEFAULT, ");
        else
            put(c, "0, ");
        if (b->type->kind == AG_T_LIST || b->type->kind == AG_T_MAP) {
            char sig[256] = "";
            ag_type_sig(b->type, sig, sizeof sig);
            put_cstr(c, sig, strlen(sig));
        } else {
            put(c, "NULL");
        }
        put(c, " },\n");
    }
    put(c, "};\n\n");
    putf(c, "static const uint32_t %s_by_name_[] = {", n);
    for (int i = 0; i < r->n_bins; i++)
        putf(c, "%s%s%d", i ? "," : "", i % 16 == 0 ? "\n    " : " ", r->by_name[i]);
    put(c, "\n};\n\n");

    putf(c, "const aero_schema_record %s_schema = {\n", n);
    put(c, "    AERO_SCHEMA_ABI,\n    AERO_VERSION_NUMBER,\n    ");
    put_cstr(c, n, strlen(n));
    put(c, ",\n    ");
    put_cstr(c, s->ns, strlen(s->ns));
    put(c, ",\n    ");
    put_cstr(c, r->set ? r->set : "", r->set ? strlen(r->set) : 0);
    putf(c, ",\n    %s,\n",
         r->key->kind == AG_T_INT    ? "AERO_KEY_INT"
         : r->key->kind == AG_T_BLOB ? "AERO_KEY_BLOB"
                                     : "AERO_KEY_STR");
    putf(c, "    sizeof(%s),\n    &%s_init_,\n    %s_bins_,\n    %d,\n    %s_by_name_,\n};\n\n", n, n, n, r->n_bins, n);

    putf(c, "aero_key %s_key(%s)\n{\n    return %s(&%s_schema, %s);\n}\n\n", n, nm.key_params, nm.key_fn, n,
         nm.key_args);
    static const struct {
        const char *verb, *op;
    } verbs[] = { { "upsert", "AERO_SCHEMA_UPSERT" },
                  { "insert", "AERO_SCHEMA_INSERT" },
                  { "update", "AERO_SCHEMA_UPDATE" },
                  { "replace", "AERO_SCHEMA_REPLACE" },
                  { "replace_if_exists", "AERO_SCHEMA_REPLACE_IF_EXISTS" } };
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        putf(c, "aero_status %s_%s(aero_session *session, %s, const %s *obj, aero_error *err)\n{\n", n, verbs[i].verb,
             nm.key_params, n);
        putf(c, "    aero_key k = %s_key(%s);\n", n, nm.key_args);
        putf(c, "    return aero_schema_write(session, &%s_schema, %s, &k, obj, err);\n}\n\n", n, verbs[i].op);
    }
    putf(c, "aero_status %s_get(aero_session *session, %s, %s *out, aero_record *holder, aero_error *err)\n{\n", n,
         nm.key_params, n);
    putf(c, "    aero_key k = %s_key(%s);\n", n, nm.key_args);
    putf(c, "    return aero_schema_get(session, &%s_schema, &k, NULL, 0, out, holder, err);\n}\n\n", n);
    putf(c,
         "aero_status %s_get_bins(aero_session *session, %s, const unsigned *fields, size_t n_fields, %s *out,\n"
         "    aero_record *holder, aero_error *err)\n{\n",
         n, nm.key_params, n);
    putf(c, "    aero_key k = %s_key(%s);\n", n, nm.key_args);
    putf(c, "    return aero_schema_get(session, &%s_schema, &k, fields, n_fields, out, holder, err);\n}\n\n", n);
    putf(c,
         "aero_status %s_get_many(aero_session *session, %s, size_t n, %s *out, aero_status *results,\n"
         "    aero_record *holders, aero_error *err)\n{\n",
         n, nm.many_params, n);
    putf(c, "    return aero_schema_get_many(session, &%s_schema, %s, n, out, results, holders, err);\n}\n\n", n,
         nm.many_args);
    putf(c, "aero_status %s_from_record(const aero_record *rec, %s *out, aero_error *err)\n{\n", n, n);
    putf(c, "    return aero_schema_decode(&%s_schema, rec, out, err);\n}\n\n", n);
    static const char *const meta[] = { "delete", "touch", "exists" };
    for (size_t i = 0; i < 3; i++) {
        const char *flag = i == 2 ? "exists" : "existed";
        putf(c, "aero_status %s_%s(aero_session *session, %s, bool *%s, aero_error *err)\n{\n", n, meta[i],
             nm.key_params, flag);
        putf(c, "    aero_key k = %s_key(%s);\n", n, nm.key_args);
        putf(c, "    return aero_schema_%s(session, &%s_schema, &k, %s, err);\n}\n\n", meta[i], n, flag);
    }
}

static void put_bytes(ag_buf *c, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        putf(c, "%s0x%02x%s", i % 12 == 0 ? "\n    " : " ", p[i], i + 1 < n ? "," : "");
}

static void emit_query_c(ag_buf *c, const ag_query *q) {
    const char *r = q->record->name;
    char fn[512];
    snprintf(fn, sizeof fn, "%s_%s", r, q->name);
    if (q->compiled) {
        putf(c, "static const uint8_t %s_expr_[] = {", fn);
        put_bytes(c, q->expr, q->expr_len);
        put(c, "\n};\n");
        if (q->n_slots) {
            putf(c, "static const aero_ael_slot %s_slots_[] = {\n", fn);
            for (size_t i = 0; i < q->n_slots; i++)
                putf(c, "    { %uu, %uu, %uu },\n", (unsigned)q->slots[i].offset, (unsigned)q->slots[i].param,
                     (unsigned)q->slots[i].type);
            put(c, "};\n");
        }
    } else {
        putf(c, "static const char %s_ael_[] = ", fn);
        put_cstr(c, q->where, q->where_len);
        put(c, ";\n");
    }
    for (int variant = 0; variant < 2; variant++) {
        bool stream = variant == 0;
        putf(c, "\n%s%s%s(", stream ? "aero_stream *" : "aero_expr *", fn, stream ? "" : "_filter");
        put_params(c, q, stream);
        put(c, ")\n{\n");
        if (q->n_params) {
            putf(c, "    aero_value args[%d];\n", q->n_params);
            int i = 0;
            for (const ag_param *p = q->params; p; p = p->next, i++) {
                switch (p->type->kind) {
                case AG_T_INT: putf(c, "    args[%d] = aero_int(%s);\n", i, p->name); break;
                case AG_T_DOUBLE: putf(c, "    args[%d] = aero_double(%s);\n", i, p->name); break;
                case AG_T_BOOL: putf(c, "    args[%d] = aero_bool(%s);\n", i, p->name); break;
                case AG_T_STRING: putf(c, "    args[%d] = aero_str(%s);\n", i, p->name); break;
                case AG_T_BLOB: putf(c, "    args[%d] = aero_blob(%s, %s_len);\n", i, p->name, p->name); break;
                default: putf(c, "    args[%d] = %s ? *%s : aero_nil();\n", i, p->name, p->name); break;
                }
            }
        }
        const char *args = q->n_params ? "args" : "NULL";
        if (q->compiled) {
            if (stream)
                putf(c, "    return aero_schema_query(session, &%s_schema, %s_expr_, sizeof %s_expr_,\n", r, fn, fn);
            else
                putf(c, "    return aero_schema_filter(%s_expr_, sizeof %s_expr_,\n", fn, fn);
            if (q->n_slots)
                putf(c, "        %s_slots_, %zu, %s, %d, err);\n}\n", fn, q->n_slots, args, q->n_params);
            else
                putf(c, "        NULL, 0, %s, %d, err);\n}\n", args, q->n_params);
        } else if (stream) {
            putf(c, "    return aero_schema_query_ael(session, &%s_schema, %s_ael_, %s, %d, err);\n}\n", r, fn, args,
                 q->n_params);
        } else {
            putf(c, "    return aero_ael_compile(%s_ael_, %s, %d, err);\n}\n", fn, args, q->n_params);
        }
    }
    put(c, "\n");
}

/* ---- files ---- */

static void stamp(ag_buf *b, const char *file, const ag_emit_opts *o) {
    put(b, "/*\n * ");
    put_comment(b, file, strlen(file));
    putf(b, " - generated by aerogen %s from ", o->version);
    put_comment(b, o->source_name, strlen(o->source_name));
    put(b, " \xe2\x80\x94 do not edit.\n */\n");
}

static void abi_check(ag_buf *b, const char *file) {
    put(b, "#if AERO_SCHEMA_ABI != 1\n#error \"");
    put_comment(b, file, strlen(file));
    put(b, " was generated for aero schema ABI 1: regenerate it with the aerogen of this runtime\"\n#endif\n");
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
    putf(h, "#ifndef %s\n#define %s\n\n", guard, guard);
    put(h, "#include <aero/aero.h>\n#include <aero/schema.h>\n\n");
    abi_check(h, o->header_name);
    put(h, "\nAERO_BEGIN_DECLS\n\n");
    for (const ag_record *r = s->records; r; r = r->next) {
        emit_record_h(h, s, r);
        for (const ag_query *q = s->queries; q; q = q->next)
            if (q->record == r)
                emit_query_h(h, q);
    }
    putf(h, "AERO_END_DECLS\n\n#endif /* %s */\n", guard);

    char cname[512];
    snprintf(cname, sizeof cname, "%s", o->header_name);
    size_t cl = strlen(cname);
    if (cl > 2 && strcmp(cname + cl - 2, ".h") == 0)
        cname[cl - 1] = 'c';
    stamp(c, cname, o);
    put(c, "#include ");
    put_cstr(c, o->header_name, strlen(o->header_name));
    put(c, "\n\n#include <stddef.h>\n\n");
    abi_check(c, cname);
    put(c, "\n");
    for (const ag_record *r = s->records; r; r = r->next) {
        emit_record_c(c, s, r);
        for (const ag_query *q = s->queries; q; q = q->next)
            if (q->record == r)
                emit_query_c(c, q);
    }
}
