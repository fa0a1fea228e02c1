/*
 * index.c - index declarations: `index NAME on RECORD(FIELD) TYPE [COLLECTION] [context "PATH"];`
 *
 * Each index is checked like the server would check it, and more: the
 * record and bin exist, the words are an index type and a collection kind,
 * the context is an AEL path (parsed by the runtime's aero_ael_parse_ctx(),
 * the same code that turns it into the wire context at run time) rooted at
 * the indexed bin, every step of the context goes into a list or map of the
 * declared type, and the values the index would hold (the bin, or what the
 * context reaches, or its elements, keys or values for a collection kind)
 * are of the index type - an index that can never hold a value is an error,
 * not an empty index in production. Names are unique and no two indexes
 * index the same values (the server refuses the second).
 */
#include "sema.h"

#include <aero/ael.h>
#include <aero/expr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/msgpack.h"

#define INDEX_NAME_MAX 63 /* the server's limit (64 with its NUL) */

static const struct {
    const char *word;
    ag_index_type type;
    ag_kind fits; /* the schema type of the values it holds */
} index_types[] = {
    { "numeric", AG_IX_NUMERIC, AG_T_INT },
    { "string", AG_IX_STRING, AG_T_STRING },
    { "blob", AG_IX_BLOB, AG_T_BLOB },
    { "geo2dsphere", AG_IX_GEO2DSPHERE, AG_T_GEOJSON },
};

static const struct {
    const char *word;
    ag_index_coll coll;
} colls[] = {
    { "list", AG_IC_LIST },
    { "mapkeys", AG_IC_MAPKEYS },
    { "mapvalues", AG_IC_MAPVALUES },
};

static ag_kind fits_kind(ag_index_type t) {
    for (size_t i = 0; i < sizeof index_types / sizeof index_types[0]; i++)
        if (index_types[i].type == t)
            return index_types[i].fits;
    return AG_T_INVALID;
}

static const char *type_word(ag_index_type t) {
    for (size_t i = 0; i < sizeof index_types / sizeof index_types[0]; i++)
        if (index_types[i].type == t)
            return index_types[i].word;
    return "?";
}

static const char *kind_name(ag_kind k) {
    switch (k) {
    case AG_T_INT: return "int";
    case AG_T_DOUBLE: return "double";
    case AG_T_BOOL: return "bool";
    case AG_T_STRING: return "string";
    case AG_T_BLOB: return "blob";
    case AG_T_GEOJSON: return "geojson";
    case AG_T_LIST: return "list";
    case AG_T_MAP: return "map";
    default: return "?";
    }
}

/* "did you mean" among n words. */
static void hint_word(ag_diags *d, ag_loc loc, const char *word, const char *const *words, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (ag_distance(word, words[i]) <= 2) {
            ag_note(d, loc, "did you mean '%s'?", words[i]);
            return;
        }
    }
}

static void resolve_words(ag_index *x, ag_diags *d) {
    const char *tw[4], *cw[3];
    x->type = AG_IX_INVALID;
    for (size_t i = 0; i < 4; i++) {
        tw[i] = index_types[i].word;
        if (strcmp(x->type_word, tw[i]) == 0)
            x->type = index_types[i].type;
    }
    if (x->type == AG_IX_INVALID) {
        ag_error(d, x->type_loc, "unknown index type '%s'; expected numeric, string, blob or geo2dsphere",
                 x->type_word);
        hint_word(d, x->type_loc, x->type_word, tw, 4);
    }
    x->coll = AG_IC_NONE;
    if (!x->coll_word)
        return;
    x->coll = AG_IC_INVALID;
    if (strcmp(x->coll_word, "context") == 0) {
        ag_error(d, x->coll_loc, "`context` takes the AEL path of the context as a string, e.g. `context \"$.%s.key\"`",
                 x->field);
        return;
    }
    for (size_t i = 0; i < 3; i++) {
        cw[i] = colls[i].word;
        if (strcmp(x->coll_word, cw[i]) == 0)
            x->coll = colls[i].coll;
    }
    if (x->coll == AG_IC_INVALID) {
        ag_error(d, x->coll_loc, "unknown collection kind '%s'; expected list, mapkeys or mapvalues", x->coll_word);
        hint_word(d, x->coll_loc, x->coll_word, cw, 3);
    }
}

/* The bin by field name, else by bin name. */
static ag_bin *find_bin(const ag_record *r, const char *name) {
    for (ag_bin *b = r->bins; b; b = b->next)
        if (strcmp(b->field, name) == 0)
            return b;
    for (ag_bin *b = r->bins; b; b = b->next)
        if (strcmp(b->bin, name) == 0)
            return b;
    return NULL;
}

static void resolve_bin(const ag_schema *s, ag_index *x, ag_diags *d) {
    for (ag_record *r = s->records; r; r = r->next)
        if (strcmp(r->name, x->record_name) == 0)
            x->record = r;
    if (!x->record) {
        ag_error(d, x->record_loc, "index '%s' is on unknown record '%s'", x->name, x->record_name);
        return;
    }
    x->bin = find_bin(x->record, x->field);
    if (x->bin)
        return;
    ag_error(d, x->field_loc, "unknown bin '%s': record '%s' does not declare it", x->field, x->record->name);
    for (ag_bin *b = x->record->bins; b; b = b->next) {
        if (ag_distance(x->field, b->field) <= 2) {
            ag_note(d, x->field_loc, "did you mean '%s'?", b->field);
            break;
        }
    }
}

/* Position in the schema of line/col (1-based) of the context text. */
static ag_loc ctx_pos(const ag_index *x, int line, int col) {
    int l = 1, c = 1;
    size_t i = 0;
    for (; i < x->ctx_len; i++) {
        if (l == line && c == col)
            break;
        if (x->ctx[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    ag_loc loc = x->ctx_map[i];
    loc.len = 1;
    return loc;
}

/* One context step read from the wire context: its code and a description for messages. */
typedef struct step {
    int code;
    bool int_key;  /* the step's value is an int (else a string) */
    char what[96]; /* e.g. "map key 'theme'", "list index 0" */
    char key[64];  /* a string value, NUL-terminated (truncated) */
} step;

static bool read_step(aero_mp_reader *r, step *st) {
    int64_t code;
    if (aero_mp__read_int(r, &code) != AERO_OK)
        return false;
    st->code = (int)code;
    const char *kind;
    switch (st->code) {
    case AERO_CTX_LIST_INDEX: kind = "list index"; break;
    case AERO_CTX_LIST_RANK: kind = "list rank"; break;
    case AERO_CTX_LIST_VALUE: kind = "list value"; break;
    case AERO_CTX_MAP_INDEX: kind = "map index"; break;
    case AERO_CTX_MAP_RANK: kind = "map rank"; break;
    case AERO_CTX_MAP_KEY: kind = "map key"; break;
    default: kind = "map value"; break;
    }
    uint8_t b = r->p < r->end ? *r->p : 0;
    bool is_int = b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3);
    st->int_key = is_int;
    if (is_int) {
        int64_t v;
        if (aero_mp__read_int(r, &v) != AERO_OK)
            return false;
        snprintf(st->what, sizeof st->what, "%s %lld", kind, (long long)v);
        return true;
    }
    const uint8_t *p;
    uint32_t n;
    if (aero_mp__read_str(r, &p, &n) != AERO_OK || n == 0)
        return false;
    snprintf(st->what, sizeof st->what, "%s '%.*s'", kind, (int)(n - 1 > 40 ? 40 : n - 1), (const char *)p + 1);
    snprintf(st->key, sizeof st->key, "%.*s", (int)(n - 1 > 63 ? 63 : n - 1), (const char *)p + 1);
    return true;
}

/*
 * Walk the context's steps through the bin's declared type. Returns the type the context reaches, or NULL
 * after reporting a step that does not fit.
 */
static const ag_type *walk_ctx(const ag_index *x, const uint8_t *ctx, size_t len, ag_diags *d) {
    aero_mp_reader r = { ctx, ctx + len };
    uint32_t n;
    if (aero_mp__read_array_header(&r, &n) != AERO_OK)
        return NULL;
    const ag_type *t = x->bin->type;
    for (uint32_t i = 0; i + 1 < n; i += 2) {
        step st;
        if (!read_step(&r, &st)) {
            ag_error(d, x->ctx_loc, "the context of index '%s' cannot be read", x->name);
            return NULL;
        }
        bool list_step = (st.code & 0x30) == 0x10;
        char tn[256];
        ag_type_format(t, tn, sizeof tn);
        if (t->kind == AG_T_DOC && !list_step) { /* a document: a map keyed by field name */
            const ag_bin *f = NULL;
            if (st.code == AERO_CTX_MAP_KEY && !st.int_key)
                for (f = t->doc->fields; f && strcmp(f->bin, st.key) != 0; f = f->next)
                    ;
            if (!f) {
                ag_error(d, x->ctx_loc, "the context's step %u (%s) goes into document '%s', which has no such field",
                         i / 2 + 1, st.what, t->doc->name);
                return NULL;
            }
            t = f->type;
            continue;
        }
        if ((list_step && t->kind != AG_T_LIST) || (!list_step && t->kind != AG_T_MAP)) {
            if (i == 0)
                ag_error(d, x->ctx_loc, "the context's step 1 (%s) goes into a %s, but bin '%s' is %s", st.what,
                         list_step ? "list" : "map", x->bin->field, tn);
            else
                ag_error(d, x->ctx_loc, "the context's step %u (%s) goes into a %s, but step %u reaches %s", i / 2 + 1,
                         st.what, list_step ? "list" : "map", i / 2, tn);
            return NULL;
        }
        if (st.code == AERO_CTX_MAP_KEY) {
            ag_kind want = t->args[0]->kind;
            if ((st.int_key && want != AG_T_INT) || (!st.int_key && want != AG_T_STRING)) {
                ag_error(d, x->ctx_loc, "the context's step %u (%s) has %s key, but the map's keys are %s", i / 2 + 1,
                         st.what, st.int_key ? "an int" : "a string", kind_name(want));
                return NULL;
            }
        }
        t = list_step ? t->args[0] : t->args[1];
    }
    return t;
}

/* The context: parsed by the runtime, rooted at the bin, steps through the declared type. NULL if it fails. */
static const ag_type *check_ctx(const ag_index *x, ag_diags *d) {
    if (strlen(x->ctx) != x->ctx_len) {
        ag_error(d, x->ctx_loc, "the context contains a NUL byte");
        return NULL;
    }
    if (x->bin->type->kind != AG_T_LIST && x->bin->type->kind != AG_T_MAP && x->bin->type->kind != AG_T_DOC) {
        char tn[256];
        ag_type_format(x->bin->type, tn, sizeof tn);
        ag_error(d, x->ctx_loc, "context on bin '%s', which is %s: a context goes into a list, map or document bin",
                 x->bin->field, tn);
        return NULL;
    }
    char root[64];
    uint8_t *ctx = NULL;
    size_t len = 0;
    aero_error err;
    if (aero_ael_parse_ctx(x->ctx, root, sizeof root, &ctx, &len, &err) != AERO_OK) {
        int line = 1, col = 1, used = 0;
        const char *msg = err.message;
        if (sscanf(msg, "%d:%d: %n", &line, &col, &used) == 2 && used > 0)
            msg += used;
        ag_error(d, ctx_pos(x, line, col), "in the context of index '%s': %s", x->name, msg);
        return NULL;
    }
    const ag_type *t = NULL;
    if (strcmp(root, x->bin->bin) != 0) {
        ag_error(d, x->ctx_loc, "the context path starts at bin '%s', but index '%s' is on bin '%s'", root, x->name,
                 x->bin->bin);
        ag_note(d, x->ctx_loc, "write it as \"$.%s...\"", x->bin->bin);
    } else {
        t = walk_ctx(x, ctx, len, d);
    }
    free(ctx);
    return t;
}

/* The values the index holds are of its type. `t` is the bin's type or what the context reaches. */
static void check_fit(const ag_index *x, const ag_type *t, ag_diags *d) {
    if (x->type == AG_IX_INVALID || x->coll == AG_IC_INVALID || t->kind == AG_T_INVALID)
        return;
    ag_kind want = fits_kind(x->type);
    char tn[256];
    ag_type_format(t, tn, sizeof tn);
    if (x->coll == AG_IC_NONE) {
        if (t->kind == want)
            return;
        if (x->ctx)
            ag_error(d, x->type_loc, "a %s index holds %s values, but the context reaches %s", type_word(x->type),
                     kind_name(want), tn);
        else
            ag_error(d, x->type_loc, "a %s index holds %s values, but bin '%s' is %s", type_word(x->type),
                     kind_name(want), x->bin->field, tn);
        if (t->kind == AG_T_LIST)
            ag_note(d, x->type_loc, "to index each element, add the collection kind: `%s list`", type_word(x->type));
        else if (t->kind == AG_T_MAP)
            ag_note(d, x->type_loc, "to index the map's keys or values, add `%s mapkeys` or `%s mapvalues`",
                    type_word(x->type), type_word(x->type));
        return;
    }
    ag_kind need = x->coll == AG_IC_LIST ? AG_T_LIST : AG_T_MAP;
    if (t->kind != need) {
        if (x->ctx)
            ag_error(d, x->coll_loc, "collection kind %s needs a %s, but the context reaches %s", x->coll_word,
                     kind_name(need), tn);
        else
            ag_error(d, x->coll_loc, "collection kind %s needs a %s, but bin '%s' is %s", x->coll_word, kind_name(need),
                     x->bin->field, tn);
        return;
    }
    const ag_type *e = x->coll == AG_IC_MAPKEYS ? t->args[0] : x->coll == AG_IC_LIST ? t->args[0] : t->args[1];
    if (e->kind == want)
        return;
    char en[256];
    ag_type_format(e, en, sizeof en);
    const char *part = x->coll == AG_IC_LIST ? "elements" : x->coll == AG_IC_MAPKEYS ? "keys" : "values";
    if (x->ctx)
        ag_error(d, x->type_loc, "a %s index holds %s values, but the %s of what the context reaches are %s",
                 type_word(x->type), kind_name(want), part, en);
    else
        ag_error(d, x->type_loc, "a %s index holds %s values, but the %s of bin '%s' are %s", type_word(x->type),
                 kind_name(want), part, x->bin->field, en);
}

/* Two indexes of one namespace holding the same values (the server allows one). */
static bool same_values(const ag_index *a, const ag_index *b) {
    const char *sa = a->record->set ? a->record->set : "", *sb = b->record->set ? b->record->set : "";
    return strcmp(sa, sb) == 0 && strcmp(a->bin->bin, b->bin->bin) == 0 && a->type == b->type && a->coll == b->coll &&
           strcmp(a->ctx ? a->ctx : "", b->ctx ? b->ctx : "") == 0;
}

static void check_name(const ag_schema *s, ag_index *x, ag_diags *d) {
    size_t n = strlen(x->name);
    if (n == 0)
        ag_error(d, x->loc, "index name is empty");
    else if (n > INDEX_NAME_MAX)
        ag_error(d, x->loc, "index name '%s' is %zu bytes, the limit is %d", x->name, n, INDEX_NAME_MAX);
    for (const char *p = x->name; *p; p++) {
        if (*p == ':' || *p == ';' || (unsigned char)*p < 0x20) {
            ag_error(d, x->loc, "index name '%s' contains '%c', which the server's info commands cannot carry", x->name,
                     *p < 0x20 ? '?' : *p);
            break;
        }
    }
    for (const ag_index *o = s->indexes; o != x; o = o->next) {
        if (strcmp(o->name, x->name) == 0) {
            ag_error(d, x->loc, "index '%s' declared twice", x->name);
            ag_note(d, o->loc, "first declared here");
            return;
        }
    }
}

void ag_check_indexes(ag_schema *s, ag_diags *d) {
    for (ag_index *x = s->indexes; x; x = x->next) {
        check_name(s, x, d);
        resolve_words(x, d);
        resolve_bin(s, x, d);
        if (!x->bin || x->bin->type->kind == AG_T_INVALID || x->had_error)
            continue;
        const ag_type *t = x->bin->type;
        if (x->ctx && !(t = check_ctx(x, d)))
            continue;
        check_fit(x, t, d);
        if (!x->record->set)
            ag_warning(d, x->record_loc, "record '%s' has no set: index '%s' covers every record of namespace '%s'",
                       x->record->name, x->name, s->ns ? s->ns : "?");
        for (const ag_index *o = s->indexes; o != x; o = o->next) {
            if (o->bin && !o->had_error && strcmp(o->name, x->name) != 0 && same_values(o, x) && x->type != AG_IX_INVALID &&
                x->coll != AG_IC_INVALID) {
                ag_error(d, x->loc,
                         "index '%s' holds the same values as index '%s' (set, bin, type, collection and context); "
                         "the server keeps only one",
                         x->name, o->name);
                ag_note(d, o->loc, "'%s' is declared here", o->name);
                break;
            }
        }
    }
}
