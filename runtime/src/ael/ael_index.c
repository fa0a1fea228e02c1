/*
 * ael/ael_index.c - secondary-index filter selection for an AEL where
 * (ael.md 2.12). Works on the checked tree: the filter tree is the and/or
 * skeleton whose leaves must all be simple comparisons; candidates are the
 * leaves reachable through AND only; the remaining AND parts are flattened
 * into the filter expression.
 *
 * Range solving is exact over the integers: GT/GE/LT/LE of `bin + c`,
 * `bin - c`, `c - bin` and `bin * c` become inclusive ranges; anything that
 * cannot be solved exactly (division, inexact EQ, overflow, empty range)
 * gives no filter for that leaf, which is always correct because the leaf
 * then stays in the expression.
 */
#include <stdlib.h>
#include <string.h>

#include "ael/ael_ast.h"
#include "ael/ael_index.h"
#include "ael/ael_typed.h"
#include "internal.h"
#include "proto/cdt_ops.h"
#include "proto/exp_ops.h"
#include "proto/wire.h"
#include "proto/msgpack.h"

typedef struct leaf {
    ael_node *cmp;
    ael_node *bin; /* N_BIN or N_PATH */
    ael_node *cst; /* the compared constant */
    int op;        /* AERO_EXP_OP_EQ..LE with the bin on the left */
    int arith;     /* 0, or 20 add / 21 sub / 22 mul / 23 div */
    bool c_first;  /* arith: c (op) bin */
    int64_t c;     /* arith constant */
    bool ph;       /* a placeholder of the template mode takes part (cst or an arith operand) */
} leaf;

typedef struct cval {
    uint8_t t; /* AERO_AEL_INT / FLOAT / STRING / BLOB / BOOL, 0: not a constant */
    int64_t i;
    double d;
    const void *p;
    size_t n;
} cval;

typedef struct sel {
    ael_ctx *c;
    const aero_value *args;
    size_t n_args;
    bool tmpl; /* template mode: a placeholder is a constant of its slot type, value unknown */
} sel;

static cval const_of(const sel *s, const ael_node *n) {
    cval v;
    memset(&v, 0, sizeof v);
    switch (n->kind) {
    case N_INT:
        if (!n->big) {
            v.t = AERO_AEL_INT;
            v.i = n->v.i;
        }
        return v;
    case N_FLOAT:
        v.t = AERO_AEL_FLOAT;
        v.d = n->v.d;
        return v;
    case N_BOOL: v.t = AERO_AEL_BOOL; return v;
    case N_STR:
        v.t = AERO_AEL_STRING;
        v.p = n->v.s.p;
        v.n = n->v.s.len;
        return v;
    case N_BLOB:
        v.t = AERO_AEL_BLOB;
        v.p = n->v.s.p;
        v.n = n->v.s.len;
        return v;
    case N_PH: {
        if (s->tmpl) {
            uint8_t t = n->v.ph.enc;
            if (t == AERO_AEL_ANY || t == AEL_T_DEFERRED)
                t = (n->type == AEL_T_DEFERRED || n->type == AEL_T_ANY) ? AERO_AEL_INT : n->type;
            if (t == AERO_AEL_INT || t == AERO_AEL_FLOAT || t == AERO_AEL_STRING || t == AERO_AEL_BLOB ||
                t == AERO_AEL_BOOL)
                v.t = t;
            v.p = "";
            return v;
        }
        if (!s->args || n->v.ph.index >= s->n_args)
            return v;
        const aero_value *a = &s->args[n->v.ph.index];
        switch (a->type) {
        case AERO_INT:
            v.t = AERO_AEL_INT;
            v.i = a->v.i;
            break;
        case AERO_DOUBLE:
            v.t = AERO_AEL_FLOAT;
            v.d = a->v.d;
            break;
        case AERO_BOOL: v.t = AERO_AEL_BOOL; break;
        case AERO_STR:
            v.t = AERO_AEL_STRING;
            v.p = a->v.str.ptr;
            v.n = a->v.str.len;
            break;
        case AERO_BLOB:
            v.t = AERO_AEL_BLOB;
            v.p = a->v.bytes.ptr;
            v.n = a->v.bytes.len;
            break;
        default: break;
        }
        return v;
    }
    default: return v;
    }
}

/* A bin reference usable by an index: a bare bin, or a path of list parts only. */
static bool is_bin(const ael_node *n) {
    if (n->kind == N_BIN)
        return true;
    if (n->kind != N_PATH)
        return false;
    const ael_path *p = n->v.path;
    if (p->fn != PF_NONE && !(p->fn == PF_GET && p->get_return < 0))
        return false;
    for (uint32_t i = 0; i < p->n_parts; i++) {
        uint8_t k = p->parts[i].kind;
        if (k != P_LIST_INDEX && k != P_LIST_RANK && k != P_LIST_VALUE && k != P_LIST_DESIG)
            return false;
    }
    return true;
}

static int flip(int op) {
    switch (op) {
    case AERO_EXP_OP_GT: return AERO_EXP_OP_LT;
    case AERO_EXP_OP_GE: return AERO_EXP_OP_LE;
    case AERO_EXP_OP_LT: return AERO_EXP_OP_GT;
    case AERO_EXP_OP_LE: return AERO_EXP_OP_GE;
    default: return op;
    }
}

static bool leaf_of(const sel *s, ael_node *n, leaf *out) {
    memset(out, 0, sizeof *out);
    if (n->kind != N_CMP)
        return false;
    ael_node *l = n->kids[0], *r = n->kids[1];
    out->cmp = n;
    out->op = n->op;
    out->ph = s->tmpl && (l->kind == N_PH || r->kind == N_PH ||
                          (l->kind == N_ARITH && l->n == 2 && (l->kids[0]->kind == N_PH || l->kids[1]->kind == N_PH)));
    if (is_bin(l) && const_of(s, r).t) {
        out->bin = l;
        out->cst = r;
        return true;
    }
    if (const_of(s, l).t && is_bin(r)) {
        out->bin = r;
        out->cst = l;
        out->op = flip(n->op);
        return true;
    }
    if (l->kind == N_ARITH && l->n == 2 && const_of(s, r).t == AERO_AEL_INT) {
        ael_node *a = l->kids[0], *b = l->kids[1];
        cval ca = const_of(s, a), cb = const_of(s, b);
        out->arith = l->op;
        out->cst = r;
        if (is_bin(a) && cb.t == AERO_AEL_INT) {
            out->bin = a;
            out->c = cb.i;
            return true;
        }
        if (ca.t == AERO_AEL_INT && is_bin(b)) {
            out->bin = b;
            out->c = ca.i;
            out->c_first = true;
            return true;
        }
    }
    return false;
}

/* Step 1: every comparison must be a leaf form, under and/or only. */
static bool tree_ok(const sel *s, ael_node *n) {
    if (n->kind == N_AND || n->kind == N_OR) {
        for (uint32_t i = 0; i < n->n; i++)
            if (!tree_ok(s, n->kids[i]))
                return false;
        return true;
    }
    leaf lf;
    return leaf_of(s, n, &lf);
}

/* Packed CDT context of a leaf's path (list parts), into b. */
static void leaf_ctx(const ael_node *bin, aero_buf *b) {
    if (bin->kind != N_PATH)
        return;
    const ael_path *p = bin->v.path;
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->n_parts; i++)
        n += p->parts[i].kind != P_LIST_DESIG;
    if (!n)
        return;
    aero_mp__pack_array_header(b, n * 2);
    for (uint32_t i = 0; i < p->n_parts; i++) {
        const ael_part *pt = &p->parts[i];
        if (pt->kind == P_LIST_DESIG)
            continue;
        aero_mp__pack_int(b, pt->kind == P_LIST_INDEX  ? AERO_CDT_CTX_LIST_INDEX
                             : pt->kind == P_LIST_RANK ? AERO_CDT_CTX_LIST_RANK
                                                       : AERO_CDT_CTX_LIST_VALUE);
        if (pt->a->kind == N_INT)
            aero_mp__pack_int(b, pt->a->v.i);
        else
            aero_mp__pack_particle_str(b, AERO_PT_STRING, pt->a->v.s.p, pt->a->v.s.len);
    }
}

static const char *bin_name(const ael_node *bin, size_t *len) {
    if (bin->kind == N_BIN) {
        *len = bin->v.s.len;
        return bin->v.s.p;
    }
    *len = bin->v.path->bin_len;
    return bin->v.path->bin;
}

/* floor / ceil division for d > 0. */
static int64_t fdiv(int64_t a, int64_t d) { return a / d - ((a % d != 0) && (a < 0)); }
static int64_t cdiv(int64_t a, int64_t d) { return a / d + ((a % d != 0) && (a > 0)); }

/* bin op t as an inclusive range; false when empty. */
static bool simple_range(int op, int64_t t, int64_t *lo, int64_t *hi) {
    switch (op) {
    case AERO_EXP_OP_EQ: *lo = *hi = t; return true;
    case AERO_EXP_OP_GT:
        if (t == INT64_MAX)
            return false;
        *lo = t + 1;
        *hi = INT64_MAX;
        return true;
    case AERO_EXP_OP_GE:
        *lo = t;
        *hi = INT64_MAX;
        return true;
    case AERO_EXP_OP_LT:
        if (t == INT64_MIN)
            return false;
        *lo = INT64_MIN;
        *hi = t - 1;
        return true;
    case AERO_EXP_OP_LE:
        *lo = INT64_MIN;
        *hi = t;
        return true;
    default: return false;
    }
}

/* Solve a leaf into [lo, hi] over the integers. */
static bool solve(const leaf *lf, int64_t k, int64_t *lo, int64_t *hi) {
    int op = lf->op;
    int64_t c = lf->c, t;
    switch (lf->arith) {
    case 0: return simple_range(op, k, lo, hi);
    case AERO_EXP_OP_ADD: /* bin + c op k  ->  bin op k - c */
        if (__builtin_sub_overflow(k, c, &t))
            return false;
        return simple_range(op, t, lo, hi);
    case AERO_EXP_OP_SUB:
        if (lf->c_first) { /* c - bin op k  ->  bin flip(op) c - k */
            if (__builtin_sub_overflow(c, k, &t))
                return false;
            return simple_range(flip(op), t, lo, hi);
        }
        if (__builtin_add_overflow(k, c, &t)) /* bin - c op k  ->  bin op k + c */
            return false;
        return simple_range(op, t, lo, hi);
    case AERO_EXP_OP_MUL: /* bin * c op k */
        if (c == 0 || c == INT64_MIN || k == INT64_MIN)
            return false;
        if (c < 0) {
            c = -c;
            k = -k;
            op = flip(op);
        }
        switch (op) {
        case AERO_EXP_OP_EQ:
            if (k % c)
                return false;
            return simple_range(op, k / c, lo, hi);
        case AERO_EXP_OP_GT: return simple_range(op, fdiv(k, c), lo, hi); /* bin > k/c */
        case AERO_EXP_OP_GE: return simple_range(op, cdiv(k, c), lo, hi); /* bin >= k/c */
        case AERO_EXP_OP_LT: return simple_range(op, cdiv(k, c), lo, hi); /* bin < k/c */
        case AERO_EXP_OP_LE: return simple_range(op, fdiv(k, c), lo, hi); /* bin <= k/c */
        default: return false;
        }
    default: /* division truncates on the server: not solved */ return false;
    }
}

typedef struct cand {
    const leaf *lf;
    const aero_ael_index *idx;
    int64_t lo, hi;
} cand;

static bool qualify(const sel *s, const leaf *lf, const aero_ael_index *idx, size_t n_idx, const char *hint,
                    const uint8_t *ctx, size_t ctx_len, cand *out) {
    if (lf->op == AERO_EXP_OP_NE || (lf->ph && lf->arith)) /* a placeholder in arithmetic: not solved at run time */
        return false;
    size_t bl;
    const char *bn = bin_name(lf->bin, &bl);
    cval v = const_of(s, lf->cst);
    for (size_t i = 0; i < n_idx; i++) {
        const aero_ael_index *x = &idx[i];
        if (!x->bin || strlen(x->bin) != bl || memcmp(x->bin, bn, bl) != 0)
            continue;
        if (hint && (!x->name || strcmp(hint, x->name) != 0))
            continue;
        if (x->ctx_len != ctx_len || (ctx_len && memcmp(x->ctx, ctx, ctx_len) != 0))
            continue;
        if (v.t == AERO_AEL_INT) {
            /* A float constant makes the bin a float bin, which a numeric
               index does not hold: no filter (the SDK truncates to int). */
            if (x->type != AERO_AEL_INT || !solve(lf, v.i, &out->lo, &out->hi))
                continue;
        } else if (v.t == AERO_AEL_STRING || v.t == AERO_AEL_BLOB) {
            if (lf->arith || lf->op != AERO_EXP_OP_EQ || x->type != v.t)
                continue;
            out->lo = out->hi = 0;
        } else {
            continue;
        }
        out->lf = lf;
        out->idx = x;
        return true;
    }
    return false;
}

/* Collect leaves reachable through AND (Steps 4-5) and the AND parts (Step 8). */
typedef struct walk {
    ael_node **parts;
    uint32_t n_parts, cap;
    leaf *leaves;
    uint32_t n_leaves;
} walk;

static bool walk_and(ael_ctx *c, const sel *s, ael_node *n, walk *w) {
    if (n->kind == N_AND) {
        for (uint32_t i = 0; i < n->n; i++)
            if (!walk_and(c, s, n->kids[i], w))
                return false;
        return true;
    }
    if (w->n_parts == w->cap) {
        uint32_t cap = w->cap ? w->cap * 2 : 8;
        ael_node **np = ael__alloc(c, cap * sizeof *np);
        leaf *nl = ael__alloc(c, cap * sizeof *nl);
        if (!np || !nl)
            return false;
        if (w->n_parts) {
            memcpy(np, w->parts, w->n_parts * sizeof *np);
            memcpy(nl, w->leaves, w->n_leaves * sizeof *nl);
        }
        w->parts = np;
        w->leaves = nl;
        w->cap = cap;
    }
    w->parts[w->n_parts++] = n;
    if (leaf_of(s, n, &w->leaves[w->n_leaves]))
        w->n_leaves++;
    return true;
}

void aero_ael__filter_free(aero_ael_filter *f) {
    if (!f)
        return;
    free(f->value);
    free(f->ctx);
    memset(f, 0, sizeof *f);
}

/* The index an AND leaf can use best: highest ratio, then the smallest bin name. false when out of memory. */
static bool pick_index(const sel *s, const walk *w, const aero_ael_index *indexes, size_t n_indexes,
                       const char *hint_index, aero_buf *cb, cand *best, bool *have) {
    for (uint32_t i = 0; i < w->n_leaves; i++) {
        aero_buf__reset(cb);
        leaf_ctx(w->leaves[i].bin, cb);
        if (cb->failed)
            return ael__oom(s->c);
        cand k;
        if (!qualify(s, &w->leaves[i], indexes, n_indexes, hint_index, cb->data, cb->len, &k))
            continue;
        size_t la, lb;
        const char *na = bin_name(k.lf->bin, &la);
        int64_t ra = k.idx->ratio, rb = *have ? best->idx->ratio : 0;
        bool better = !*have || ra > rb;
        if (*have && ra == rb) {
            const char *nb = bin_name(best->lf->bin, &lb);
            int cmpv = memcmp(na, nb, la < lb ? la : lb);
            better = cmpv < 0 || (cmpv == 0 && la < lb);
        }
        if (better) {
            *best = k;
            *have = true;
        }
    }
    return true;
}

/* The index filter of the chosen candidate (bin, index, range or value, context). false on error (c failed). */
static bool fill_filter(const sel *s, const cand *best, const char *hint_index, const char *hint_bin, aero_buf *cb,
                        aero_ael_filter *filter) {
    ael_ctx *c = s->c;
    const leaf *lf = best->lf;
    size_t bl;
    const char *bn = hint_bin ? hint_bin : bin_name(lf->bin, &bl);
    if (hint_bin)
        bl = strlen(hint_bin);
    if (bl > AERO_BIN_NAME_MAX)
        return ael__error(c, lf->cmp->line, lf->cmp->col, "bin name '%.*s' is too long for an index filter", (int)bl,
                          bn);
    memcpy(filter->bin, bn, bl);
    filter->bin[bl] = '\0';
    filter->index_name = hint_index ? hint_index : best->idx->name;
    filter->by_index_name = hint_index != NULL;
    cval v = const_of(s, lf->cst);
    filter->type = (aero_ael_type)v.t;
    filter->equal = best->lo == best->hi && lf->op == AERO_EXP_OP_EQ;
    filter->begin = best->lo;
    filter->end = best->hi;
    if (v.t == AERO_AEL_STRING || v.t == AERO_AEL_BLOB) {
        filter->equal = true;
        filter->value = malloc(v.n ? v.n : 1);
        if (!filter->value)
            return ael__oom(c);
        if (v.n)
            memcpy(filter->value, v.p, v.n);
        filter->value_len = v.n;
    }
    aero_buf__reset(cb);
    leaf_ctx(lf->bin, cb);
    if (cb->len) {
        if (cb->failed || !(filter->ctx = malloc(cb->len)))
            return ael__oom(c);
        memcpy(filter->ctx, cb->data, cb->len);
        filter->ctx_len = cb->len;
    }
    if (lf->cst->kind == N_PH && s->tmpl) {
        filter->from_param = true;
        filter->param = (uint16_t)lf->cst->v.ph.index;
        filter->op = (uint8_t)lf->op;
    }
    filter->set = true;
    return true;
}

/* Step 8: the AND parts other than `taken`, flattened, into *keep (NULL: none left). false when out of memory. */
static bool rest_of_and(ael_ctx *c, const walk *w, const ael_node *taken, ael_node **keep) {
    *keep = NULL;
    uint32_t nk = 0;
    for (uint32_t i = 0; i < w->n_parts; i++)
        if (w->parts[i] != taken)
            nk++;
    if (nk == 1) {
        for (uint32_t i = 0; i < w->n_parts; i++)
            if (w->parts[i] != taken)
                *keep = w->parts[i];
    } else if (nk > 1) {
        ael_node *conj = ael__node(c, N_AND, c->root->line, c->root->col);
        if (!conj)
            return false;
        conj->type = AERO_AEL_BOOL;
        for (uint32_t i = 0; i < w->n_parts; i++)
            if (w->parts[i] != taken && !ael__add_kid(c, conj, w->parts[i]))
                return false;
        *keep = conj;
    }
    return true;
}

/* Parse and check c's text, then steps 1-8 on the checked tree: choose the index part into *filter and cut it out of c->root (NULL: nothing
   remains). false on error (c failed). */
static bool choose(const sel *s, const aero_ael_index *indexes, size_t n_indexes, const char *hint_index,
                   const char *hint_bin, aero_buf *cb, aero_ael_filter *filter) {
    ael_ctx *c = s->c;
    cand best = { NULL, NULL, 0, 0 };
    bool have = false;
    if (!c->text)
        return ael__error(c, 1, 1, "AEL text is NULL");
    if (!ael__parse(c) || !ael__check(c))
        return false;
    if (!n_indexes || !tree_ok(s, c->root))
        return true;
    walk w = { 0 };
    if (!walk_and(c, s, c->root, &w) || !pick_index(s, &w, indexes, n_indexes, hint_index, cb, &best, &have))
        return false;
    if (!have)
        return true;
    ael_node *keep;
    if (!fill_filter(s, &best, hint_index, hint_bin, cb, filter) || !rest_of_and(c, &w, best.lf->cmp, &keep))
        return false;
    c->root = keep;
    return true;
}

aero_status aero_ael__compile_with_index(const char *text, const aero_value *args, size_t n_args,
                                         const aero_ael_index *indexes, size_t n_indexes, const char *hint_index,
                                         const char *hint_bin, aero_ael_filter *filter, aero_expr **rest,
                                         aero_error *err) {
    memset(filter, 0, sizeof *filter);
    *rest = NULL;
    ael_ctx c;
    ael__ctx_init(&c, text);
    c.arena = aero_arena__new();
    if (!c.arena)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory compiling AEL");
    uint8_t stack[512];
    aero_buf buf, cb;
    aero_buf__init(&buf, stack, sizeof stack);
    aero_buf__init(&cb, NULL, 0);
    ael_out o = { .buf = &buf, .values = args, .n_values = n_args };
    sel s = { &c, args, n_args, false };

    if (!ael__setup_values(&c, args, n_args))
        goto done;
    if (!choose(&s, indexes, n_indexes, hint_index, hint_bin, &cb, filter))
        goto done;
    if (c.root) {
        if (!ael__encode(&c, &o))
            goto done;
        if (buf.failed || !(*rest = aero_expr_from_bytes(buf.data, buf.len, NULL)))
            ael__oom(&c);
    }
done:
    aero_buf__free(&buf);
    aero_buf__free(&cb);
    free(o.slots);
    aero_arena__free(c.arena);
    if (c.failed) {
        aero_ael__filter_free(filter);
        aero_expr_free(*rest);
        *rest = NULL;
        ael__ctx_to_error(&c, err);
        return c.code;
    }
    if (err)
        aero_err__reset(err);
    return AERO_OK;
}

aero_status aero_ael__compile_typed_with_index(const char *text, const aero_ael_env *env,
                                               const aero_ael_type *param_types, size_t n_params,
                                               const aero_ael_index *indexes, size_t n_indexes, aero_ael_filter *filter,
                                               aero_ael_template *rest, aero_ael_diag *diag) {
    memset(filter, 0, sizeof *filter);
    memset(rest, 0, sizeof *rest);
    ael_ctx c;
    ael__ctx_init(&c, text);
    c.env = env;
    c.arena = aero_arena__new();
    aero_buf buf, cb;
    aero_buf__init(&buf, NULL, 0);
    aero_buf__init(&cb, NULL, 0);
    ael_out o = { .buf = &buf };
    sel s = { &c, NULL, 0, true };
    if (!c.arena) {
        ael__oom(&c);
        goto done;
    }
    if (!ael__setup_param_types(&c, param_types, n_params))
        goto done;
    if (!choose(&s, indexes, n_indexes, NULL, NULL, &cb, filter))
        goto done;
    if (filter->set && c.root) {
        if (!ael__encode(&c, &o))
            goto done;
        ael__template_of(&c, &o, rest);
    }
done:
    aero_buf__free(&buf);
    aero_buf__free(&cb);
    free(o.slots);
    aero_arena__free(c.arena);
    ael__ctx_to_diag(&c, diag);
    if (c.failed) {
        aero_ael__filter_free(filter);
        aero_ael__template_free(rest);
        return c.code;
    }
    return AERO_OK;
}
