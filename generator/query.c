/*
 * query.c - named queries: placeholders and the AEL where clause.
 *
 * Each where clause is compiled by the runtime's typed AEL front end against
 * the record's bin types, errors are mapped back to the schema file, and the
 * template bytes are kept for the emitter: every query of a schema that
 * passes is precompiled, nothing is compiled at run time.
 */
#include "sema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ael/ael_index.h"
#include "ael/ael_typed.h"
#include "proto/exp_ops.h"

/* Placeholder uses ?N outside quoted strings: the highest index + 1, and a bitmap of uses. */
static int scan_placeholders(const ag_query *q, ag_diags *d, unsigned char *used, int cap) {
    int max = 0;
    char quote = 0;
    for (size_t i = 0; i < q->where_len; i++) {
        char c = q->where[i];
        if (quote) {
            if (c == '\\')
                i++;
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            continue;
        }
        if (c != '?' || i + 1 >= q->where_len || q->where[i + 1] < '0' || q->where[i + 1] > '9')
            continue;
        long n = 0;
        size_t j = i + 1;
        while (j < q->where_len && q->where[j] >= '0' && q->where[j] <= '9' && n < 100000)
            n = n * 10 + (q->where[j++] - '0');
        if (n >= q->n_params) {
            ag_loc loc = q->where_map[i];
            loc.len = (int)(j - i);
            if (q->n_params == 0)
                ag_error(d, loc,
                         "placeholder ?%ld used, but query '%s' declares no parameters; add `(name type)` after the "
                         "query name",
                         n, q->name);
            else
                ag_error(d, loc, "placeholder ?%ld used, but query '%s' declares %d parameter%s (?0..?%d)", n, q->name,
                         q->n_params, q->n_params == 1 ? "" : "s", q->n_params - 1);
        } else if (n < cap) {
            used[n] = 1;
        }
        if (n + 1 > max)
            max = (int)(n + 1 > 100000 ? 100000 : n + 1);
        i = j - 1;
    }
    return max;
}

/* Position in the schema of AEL line/col (1-based) of the where text. */
static ag_loc map_pos(const ag_query *q, int line, int col) {
    int l = 1, c = 1;
    size_t i = 0;
    for (; i < q->where_len; i++) {
        if (l == line && c == col)
            break;
        if (q->where[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    ag_loc loc = q->where_map[i];
    loc.len = 1;
    return loc;
}

static aero_ael_type ael_type(ag_kind k) {
    switch (k) {
    case AG_T_INT: return AERO_AEL_INT;
    case AG_T_DOUBLE: return AERO_AEL_FLOAT;
    case AG_T_BOOL: return AERO_AEL_BOOL;
    case AG_T_STRING: return AERO_AEL_STRING;
    case AG_T_BLOB: return AERO_AEL_BLOB;
    case AG_T_GEOJSON: return AERO_AEL_GEO;
    case AG_T_LIST: return AERO_AEL_LIST;
    case AG_T_MAP:
    case AG_T_DOC: return AERO_AEL_MAP;
    case AG_T_HLL: return AERO_AEL_HLL;
    default: return AERO_AEL_ANY;
    }
}

/* Resolved without errors, documents included (a recursive document is not). */
static bool resolved(const ag_type *t) {
    if (t->kind == AG_T_INVALID || (t->kind == AG_T_DOC && t->doc->bad))
        return false;
    for (int i = 0; i < t->n_args && i < 2; i++)
        if (!resolved(t->args[i]))
            return false;
    return true;
}

/* The AEL type tree of a list, map or document type (arena; documents built once). NULL for scalars. */
static const aero_ael_tnode *ael_tree(ag_schema *s, const ag_type *t) {
    if (t->kind == AG_T_DOC && t->doc->ael_tree)
        return t->doc->ael_tree;
    aero_ael_tnode *n = ag_arena_alloc(s->arena, sizeof *n);
    n->type = ael_type(t->kind);
    if (t->kind == AG_T_LIST) {
        n->item = ael_tree(s, t->args[0]);
    } else if (t->kind == AG_T_MAP) {
        n->key = ael_tree(s, t->args[0]);
        n->item = ael_tree(s, t->args[1]);
    } else if (t->kind == AG_T_DOC) {
        static const aero_ael_tnode str_key = { AERO_AEL_STRING, NULL, NULL, NULL, NULL, 0 };
        const ag_doc *d = t->doc;
        aero_ael_tfield *f = ag_arena_alloc(s->arena, (size_t)(d->n_fields + 1) * sizeof *f);
        for (int i = 0; i < d->n_fields; i++) {
            f[i].name = d->order[i]->bin;
            f[i].type = ael_tree(s, d->order[i]->type);
            if (strcmp(d->order[i]->bin, d->order[i]->field) != 0)
                f[i].field = d->order[i]->field;
        }
        n->key = &str_key;
        n->doc = d->name;
        n->fields = f;
        n->n_fields = (size_t)d->n_fields;
        t->doc->ael_tree = n;
    }
    return n;
}

/* The record's bins and the query's parameter types, as the typed compile takes them (calloc'd; false: OOM). */
static bool make_env(ag_schema *s, const ag_query *q, aero_ael_bin **bins_out, aero_ael_type **pt_out) {
    const ag_record *r = q->record;
    aero_ael_bin *bins = calloc((size_t)r->n_bins + 1, sizeof *bins);
    aero_ael_type *pt = calloc((size_t)q->n_params + 1, sizeof *pt);
    *bins_out = bins;
    *pt_out = pt;
    if (!bins || !pt)
        return false;
    for (int i = 0; i < r->n_bins; i++) {
        bins[i].name = r->order[i]->bin;
        bins[i].type = ael_type(r->order[i]->type->kind);
        ag_kind k = r->order[i]->type->kind;
        if (k == AG_T_LIST || k == AG_T_MAP || k == AG_T_DOC)
            bins[i].tree = ael_tree(s, r->order[i]->type);
    }
    int i = 0;
    for (const ag_param *p = q->params; p; p = p->next)
        pt[i++] = ael_type(p->type->kind);
    return true;
}

/* The slots of a template, into the arena. */
static struct ag_slot *copy_slots(ag_schema *s, const aero_ael_template *t) {
    struct ag_slot *out = ag_arena_alloc(s->arena, (t->n_slots + 1) * sizeof *out);
    for (size_t k = 0; k < t->n_slots; k++) {
        out[k].offset = t->slots[k].offset;
        out[k].param = t->slots[k].param;
        out[k].type = t->slots[k].type;
    }
    return out;
}

static void compile(ag_schema *s, ag_query *q, ag_diags *d) {
    ag_record *r = q->record;
    aero_ael_bin *bins;
    aero_ael_type *pt;
    if (!make_env(s, q, &bins, &pt)) {
        free(bins);
        free(pt);
        ag_error(d, q->loc, "out of memory");
        return;
    }
    aero_ael_env env = { bins, (size_t)r->n_bins };
    aero_ael_template t;
    aero_ael_diag diag;
    memset(&diag, 0, sizeof diag);
    aero_status rc = aero_ael__compile_typed(q->where, &env, pt, (size_t)q->n_params, &t, &diag);
    if (rc != AERO_OK) {
        ag_error(d, map_pos(q, diag.line, diag.col), "in where clause of query '%s': %s", q->name, diag.message);
    } else {
        if (t.result != AERO_AEL_BOOL && t.result != AERO_AEL_ANY)
            ag_error(d, q->where_loc, "the where clause of query '%s' is %s, not a boolean condition", q->name,
                     aero_ael__type_name(t.result));
        q->expr = ag_arena_alloc(s->arena, t.len + 1);
        if (t.len)
            memcpy(q->expr, t.bytes, t.len);
        q->expr_len = t.len;
        q->n_slots = t.n_slots;
        q->slots = copy_slots(s, &t);
        aero_ael__template_free(&t);
    }
    free(bins);
    free(pt);
}

void ag_check_queries(ag_schema *s, ag_diags *d) {
    for (ag_query *q = s->queries; q; q = q->next) {
        if (q->where_len == 0)
            continue;
        if (strlen(q->where) != q->where_len) {
            ag_error(d, q->where_loc, "the where clause contains a NUL byte");
            continue;
        }
        unsigned char used[256] = { 0 };
        scan_placeholders(q, d, used, (int)sizeof used);
        int i = 0;
        for (ag_param *p = q->params; p; p = p->next, i++)
            if (i < (int)sizeof used && !used[i])
                ag_warning(d, p->loc, "parameter '%s' (?%d) is not used in the where clause", p->name, i);
        bool types_ok = q->record != NULL;
        for (ag_param *p = q->params; p; p = p->next)
            if (p->type->kind == AG_T_INVALID)
                types_ok = false;
        if (types_ok && q->record) {
            for (int k = 0; k < q->record->n_bins; k++)
                if (!resolved(q->record->order[k]->type))
                    types_ok = false;
        }
        if (types_ok)
            compile(s, q, d);
    }
}

/* ---- the index part of each named query ---- */

static uint8_t *arena_copy(ag_schema *s, const void *p, size_t n) {
    uint8_t *c = ag_arena_alloc(s->arena, n + 1);
    if (n)
        memcpy(c, p, n);
    return c;
}

static int schema_cmp(uint8_t op) {
    switch (op) {
    case AERO_EXP_OP_EQ: return 1;
    case AERO_EXP_OP_GT: return 2;
    case AERO_EXP_OP_GE: return 3;
    case AERO_EXP_OP_LT: return 4;
    case AERO_EXP_OP_LE: return 5;
    default: return 0;
    }
}

/*
 * The runtime's index choice (ael_index.c, the rules of the automatic choice)
 * over the numeric, string and blob bin indexes the schema declares for the
 * query's record; every declared index counts the same (no ratio is known at
 * generate time), so ties go to the alphabetically first bin.
 */
static void choose(ag_schema *s, ag_query *q, ag_diags *d) {
    size_t n = 0;
    for (const ag_index *x = s->indexes; x; x = x->next)
        n++;
    aero_ael_index *idx = calloc(n + 1, sizeof *idx);
    uint8_t **ctxs = calloc(n + 1, sizeof *ctxs);
    aero_ael_bin *bins = NULL;
    aero_ael_type *pt = NULL;
    size_t k = 0;
    if (!idx || !ctxs || !make_env(s, q, &bins, &pt)) {
        ag_error(d, q->loc, "out of memory");
        goto done;
    }
    for (const ag_index *x = s->indexes; x; x = x->next) {
        if (x->had_error || x->record != q->record || !x->bin || x->coll != AG_IC_NONE ||
            (x->type != AG_IX_NUMERIC && x->type != AG_IX_STRING && x->type != AG_IX_BLOB))
            continue;
        idx[k].name = x->name;
        idx[k].bin = x->bin->bin;
        idx[k].type = x->type == AG_IX_NUMERIC  ? AERO_AEL_INT
                      : x->type == AG_IX_STRING ? AERO_AEL_STRING
                                                : AERO_AEL_BLOB;
        idx[k].ratio = 1;
        if (x->ctx) {
            char root[AERO_BIN_NAME_MAX + 1];
            aero_error err;
            if (aero_ael_parse_ctx(x->ctx, root, sizeof root, &ctxs[k], &idx[k].ctx_len, &err) != AERO_OK)
                continue; /* ag_check_indexes reported it */
            idx[k].ctx = ctxs[k];
        }
        k++;
    }
    if (!k)
        goto done;
    aero_ael_env env = { bins, (size_t)q->record->n_bins };
    aero_ael_filter f;
    aero_ael_template rest;
    aero_ael_diag diag;
    if (aero_ael__compile_typed_with_index(q->where, &env, pt, (size_t)q->n_params, idx, k, &f, &rest, &diag) !=
        AERO_OK) {
        ag_error(d, map_pos(q, diag.line, diag.col), "choosing an index for query '%s': %s", q->name, diag.message);
        goto done;
    }
    if (f.set) {
        struct ag_index_use *u = ag_arena_alloc(s->arena, sizeof *u);
        memset(u, 0, sizeof *u);
        for (size_t i = 0; i < k; i++)
            if (!strcmp(idx[i].name, f.index_name))
                for (const ag_index *x = s->indexes; x; x = x->next)
                    if (x->name == idx[i].name)
                        u->index = x;
        u->type = (uint8_t)f.type;
        u->begin = f.begin;
        u->end = f.end;
        u->param = f.from_param ? (int)f.param : -1;
        u->cmp = f.from_param ? schema_cmp(f.op) : 0;
        if (!f.from_param && f.type != AERO_AEL_INT) {
            u->value = arena_copy(s, f.value, f.value_len);
            u->value_len = f.value_len;
        }
        if (f.ctx_len) {
            u->ctx = arena_copy(s, f.ctx, f.ctx_len);
            u->ctx_len = f.ctx_len;
        }
        if (rest.len) {
            u->rest = arena_copy(s, rest.bytes, rest.len);
            u->rest_len = rest.len;
            u->rest_slots = copy_slots(s, &rest);
            u->n_rest_slots = rest.n_slots;
        }
        if (u->index && (!f.from_param || u->cmp))
            q->use = u;
    }
    aero_ael__filter_free(&f);
    aero_ael__template_free(&rest);
done:
    for (size_t i = 0; ctxs && i < n; i++)
        free(ctxs[i]);
    free(ctxs);
    free(idx);
    free(bins);
    free(pt);
}

void ag_choose_query_indexes(ag_schema *s, ag_diags *d) {
    if (!s->indexes)
        return;
    for (ag_query *q = s->queries; q; q = q->next)
        if (q->record && q->expr && q->where_len)
            choose(s, q, d);
}
