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

#include "ael/ael_typed.h"

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
    case AG_T_MAP: return AERO_AEL_MAP;
    default: return AERO_AEL_ANY;
    }
}

static void compile(ag_schema *s, ag_query *q, ag_diags *d) {
    ag_record *r = q->record;
    aero_ael_bin *bins = calloc((size_t)r->n_bins + 1, sizeof *bins);
    aero_ael_type *pt = calloc((size_t)q->n_params + 1, sizeof *pt);
    if (!bins || !pt) {
        free(bins);
        free(pt);
        ag_error(d, q->loc, "out of memory");
        return;
    }
    for (int i = 0; i < r->n_bins; i++) {
        bins[i].name = r->order[i]->bin;
        bins[i].type = ael_type(r->order[i]->type->kind);
    }
    int i = 0;
    for (ag_param *p = q->params; p; p = p->next)
        pt[i++] = ael_type(p->type->kind);
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
        q->slots = ag_arena_alloc(s->arena, (t.n_slots + 1) * sizeof *q->slots);
        for (size_t k = 0; k < t.n_slots; k++) {
            q->slots[k].offset = t.slots[k].offset;
            q->slots[k].param = t.slots[k].param;
            q->slots[k].type = t.slots[k].type;
        }
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
                if (q->record->order[k]->type->kind == AG_T_INVALID)
                    types_ok = false;
        }
        if (types_ok)
            compile(s, q, d);
    }
}
