/*
 * emit_index.c - the generated code of index declarations: a const table of
 * aero_index_def in the .c (data only: a program that never calls
 * <stem>_create_indexes() needs nothing of aero/index.h at link time) and the
 * static inline <stem>_create_indexes() in the header.
 */
#include "emit.h"
#include "sema.h"

#include <string.h>

/* ---- indexes ---- */

static const char *const index_type_c[] = { "0", "AERO_INDEX_NUMERIC", "AERO_INDEX_STRING", "AERO_INDEX_BLOB",
                                            "AERO_INDEX_GEO2DSPHERE" };
static const char *const index_coll_c[] = { "AERO_INDEX_COLLECTION_NONE", "AERO_INDEX_COLLECTION_LIST",
                                            "AERO_INDEX_COLLECTION_MAPKEYS", "AERO_INDEX_COLLECTION_MAPVALUES" };
static const char *const index_type_word[] = { "?", "numeric", "string", "blob", "geo2dsphere" };

/* One index as a line of the header's comment: "name": numeric list on user.tags (bin "tags") context "...". */
static void put_index_comment(ag_buf *h, const ag_index *x) {
    ag_put(h, " *   \"");
    ag_put_comment(h, x->name, strlen(x->name));
    ag_putf(h, "\": %s%s%s on %s.%s", index_type_word[x->type], x->coll_word ? " " : "",
            x->coll_word ? x->coll_word : "", x->record->name, x->bin->field);
    if (strcmp(x->bin->field, x->bin->bin) != 0) {
        ag_put(h, " (bin \"");
        ag_put_comment(h, x->bin->bin, strlen(x->bin->bin));
        ag_put(h, "\")");
    }
    if (x->ctx) {
        ag_put(h, ", context ");
        ag_put_comment(h, x->ctx, x->ctx_len);
    }
    if (x->doc) {
        ag_put(h, " - ");
        ag_put_comment(h, x->doc, strlen(x->doc)); /* lines joined by spaces */
    }
    ag_put(h, "\n");
}

/* The table of the declared indexes (in the .c) and <stem>_create_indexes() over aero/index.h. */
void ag_emit_indexes_h(ag_buf *h, const ag_schema *s, const ag_emit_opts *o) {
    const char *st = s->stem, *U = ag_upper(s->arena, s->stem);
    ag_put(h, "/* ------------------------------------------------------------------------- */\n");
    ag_put(h, "/* secondary indexes */\n\n");
    ag_putf(h, "#define %s_INDEX_COUNT %d\n", U, s->n_indexes);
    ag_putf(h,
            "/** How long %s_create_indexes() waits for each index (define it before including this header to change "
            "it). */\n",
            st);
    ag_putf(h, "#ifndef %s_INDEX_WAIT_MS\n#define %s_INDEX_WAIT_MS 60000u\n#endif\n\n", U, U);
    ag_put(h, "/**\n * The indexes declared in ");
    ag_put_comment(h, o->source_name, strlen(o->source_name));
    ag_put(h, ", as aero_index_create() takes them:\n");
    for (const ag_index *x = s->indexes; x; x = x->next)
        put_index_comment(h, x);
    ag_putf(h, " */\nextern const aero_index_def %s_indexes[%s_INDEX_COUNT];\n\n", st, U);
    ag_put(h, "/**\n"
              " * Create every declared index (an index already there with the same\n"
              " * definition is fine), then wait until each is ready on every node, at\n");
    ag_putf(h,
            " * most %s_INDEX_WAIT_MS each. Returns AERO_OK, or the first error of\n"
            " * aero_index_create() / aero_index_wait() (AERO_ERR_INDEX_FOUND: another\n"
            " * index has that name or those values; AERO_ERR_TIMEOUT).\n */\n",
            U);
    ag_putf(h, "static inline aero_status %s_create_indexes(aero_session *session, aero_error *err)\n{\n", st);
    ag_putf(h,
            "    size_t i;\n"
            "    for (i = 0; i < %s_INDEX_COUNT; i++) {\n"
            "        aero_status rc = aero_index_create(session, &%s_indexes[i], err);\n"
            "        if (rc != AERO_OK)\n"
            "            return rc;\n"
            "    }\n"
            "    for (i = 0; i < %s_INDEX_COUNT; i++) {\n"
            "        aero_status rc = aero_index_wait(session, %s_indexes[i].ns, %s_indexes[i].name, %s_INDEX_WAIT_MS, "
            "err);\n"
            "        if (rc != AERO_OK)\n"
            "            return rc;\n"
            "    }\n"
            "    return AERO_OK;\n}\n\n",
            U, st, U, st, st, U);
}

void ag_emit_indexes_c(ag_buf *c, const ag_schema *s) {
    ag_put(c, "/* ---- indexes ---- */\n\n");
    ag_putf(c, "const aero_index_def %s_indexes[%s_INDEX_COUNT] = {\n", s->stem, ag_upper(s->arena, s->stem));
    for (const ag_index *x = s->indexes; x; x = x->next) {
        ag_put(c, "    { AERO_INDEX_DEF_VERSION, ");
        ag_put_cstr(c, s->ns, strlen(s->ns));
        ag_put(c, ", ");
        if (x->record->set)
            ag_put_cstr(c, x->record->set, strlen(x->record->set));
        else
            ag_put(c, "NULL");
        ag_put(c, ", ");
        ag_put_cstr(c, x->name, strlen(x->name));
        ag_put(c, ", ");
        ag_put_cstr(c, x->bin->bin, strlen(x->bin->bin));
        ag_putf(c, ",\n      %s, %s, ", index_type_c[x->type], index_coll_c[x->coll]);
        if (x->ctx)
            ag_put_cstr(c, x->ctx, x->ctx_len);
        else
            ag_put(c, "NULL");
        ag_put(c, ", NULL },\n");
    }
    ag_put(c, "};\n\n");
}
