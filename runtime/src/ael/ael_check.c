/*
 * ael/ael_check.c - type inference and checks (ael.md 2.9), path lowering
 * (2.4 - 2.5) and the bin environment of the typed compile.
 *
 * Bins without an explicit type stay DEFERRED until their context decides:
 * a comparison gives them the other side's type (both deferred: INT),
 * logic operators make them BOOL, float-only math FLOAT, integer math INT,
 * let values and when branches INT, the top level INT. chk() computes a
 * node's type bottom-up (possibly DEFERRED); resolve() pushes a type down.
 */
#include <stdio.h>
#include <string.h>

#include "ael/ael_ast.h"
#include "proto/cdt_ops.h"
#include "proto/exp_ops.h"
#include "proto/hll_ops.h"

#define MAX_DEPTH 200

static ael_node *chk(ael_ctx *c, ael_node *n);

static bool is_num(uint8_t t) { return t == AERO_AEL_INT || t == AERO_AEL_FLOAT; }
static bool is_known(uint8_t t) { return t != AEL_T_DEFERRED && t != AEL_T_ANY; }

/* Push type t into deferred parts of n. */
static void resolve(ael_ctx *c, ael_node *n, uint8_t t) {
    if (n->type != AEL_T_DEFERRED)
        return;
    if (t == AEL_T_DEFERRED || t == AEL_T_ANY)
        t = AERO_AEL_INT;
    switch (n->kind) {
    case N_ARITH:
    case N_ABS:
    case N_MINMAX: {
        uint8_t nt = t == AERO_AEL_FLOAT ? AERO_AEL_FLOAT : AERO_AEL_INT;
        for (uint32_t i = 0; i < n->n; i++)
            resolve(c, n->kids[i], nt);
        n->type = nt;
        return;
    }
    case N_LET:
        resolve(c, n->kids[n->n - 1], t);
        n->type = n->kids[n->n - 1]->type;
        return;
    case N_PATH:
        n->v.path->vtype = t;
        n->type = t;
        return;
    case N_PH:
        n->type = t;
        if (n->v.ph.enc == AERO_AEL_ANY)
            n->v.ph.enc = t;
        return;
    default: n->type = t; return;
    }
}

static const char *lower(uint8_t t) { return aero_ael__type_name((aero_ael_type)t); }

/* The bin a node reads when its type came from the environment, else NULL. */
static const char *env_bin(const ael_node *n, size_t *len) {
    if (n->from_env && n->kind == N_BIN) {
        *len = n->v.s.len;
        return n->v.s.p;
    }
    return NULL;
}

static bool compat(ael_ctx *c, ael_node *cmp, ael_node *l, ael_node *r) {
    uint8_t a = l->type, b = r->type;
    if (a == b || a == AEL_T_ANY || b == AEL_T_ANY || (is_num(a) && is_num(b)))
        return true;
    if (l->kind == N_VAR || r->kind == N_VAR)
        return true;
    /* Multi-value CDT reads carry no value type in the SDK: no check. */
    if ((l->kind == N_PATH && !l->v.path->singular) || (r->kind == N_PATH && !r->v.path->singular))
        return true;
    /* BLOB vs a string literal: the literal is base64 (ael.md 2.9). */
    ael_node *s = NULL;
    if (a == AERO_AEL_BLOB && b == AERO_AEL_STRING)
        s = r;
    else if (b == AERO_AEL_BLOB && a == AERO_AEL_STRING)
        s = l;
    if (s) {
        if (s->kind == N_STR) {
            const char *d;
            size_t dl;
            if (!ael__b64_decode(c, s->v.s.p, s->v.s.len, &d, &dl))
                return c->failed ? false
                                 : ael__error(c, s->line, s->col, "string compared with a BLOB is not valid base64");
            s->kind = N_BLOB;
            s->type = AERO_AEL_BLOB;
            s->v.s.p = d;
            s->v.s.len = dl;
        }
        return true;
    }
    size_t bl;
    const char *bn = env_bin(l, &bl);
    ael_node *other = r;
    if (!bn) {
        bn = env_bin(r, &bl);
        other = l;
    }
    if (bn)
        return ael__error(c, cmp->line, cmp->col, "bin '%.*s' is %s, compared with %s", (int)bl, bn,
                          lower(other == r ? a : b), lower(other->type));
    return ael__error(c, cmp->line, cmp->col, "Cannot compare %s to %s", ael__type_upper(a), ael__type_upper(b));
}

/* ---- paths ---- */

static bool part_is_map(uint8_t k) { return k >= P_MAP_KEY && k <= P_MAP_DESIG; }
static bool part_is_desig(uint8_t k) { return k == P_LIST_DESIG || k == P_MAP_DESIG; }
static bool part_is_singular(uint8_t k) {
    return k == P_LIST_INDEX || k == P_LIST_RANK || k == P_MAP_KEY || k == P_MAP_INDEX || k == P_MAP_RANK;
}

/* Result type of a multi-value CDT read for return type rt (Java getValueType). */
static uint8_t multi_type(bool map, int32_t rt) {
    switch (rt & ~AERO_CDT_RT_INVERTED) {
    case AERO_CDT_RT_COUNT: return AERO_AEL_INT;
    case AERO_CDT_RT_EXISTS: return AERO_AEL_BOOL;
    case AERO_CDT_RT_KEY_VALUE:
    case AERO_CDT_RT_UNORDERED_MAP:
    case AERO_CDT_RT_ORDERED_MAP: return map ? AERO_AEL_MAP : AERO_AEL_LIST;
    default: return AERO_AEL_LIST;
    }
}

static const aero_ael_bin *env_lookup(const aero_ael_env *env, const char *name, size_t len) {
    for (size_t i = 0; i < env->n_bins; i++) {
        const char *b = env->bins[i].name;
        if (b && strlen(b) == len && memcmp(b, name, len) == 0)
            return &env->bins[i];
    }
    return NULL;
}

static ael_node *wrap(ael_ctx *c, ael_kind k, ael_node *kid, uint8_t type) {
    ael_node *w = ael__node(c, k, kid->line, kid->col);
    if (!w || !ael__add_kid(c, w, kid))
        return NULL;
    w->type = type;
    return w;
}

static ael_node *bin_node(ael_ctx *c, ael_node *at, uint8_t type, bool expl) {
    ael_path *p = at->v.path;
    ael_node *b = ael__node(c, N_BIN, at->line, at->col);
    if (!b)
        return NULL;
    b->v.s.p = p->bin;
    b->v.s.len = p->bin_len;
    b->type = type;
    b->explicit_type = expl;
    return b;
}

static ael_node *chk_hll(ael_ctx *c, ael_node *n, ael_path *p) {
    static const struct {
        uint8_t fn, op, type;
    } t[] = {
        { PF_HLL_COUNT, AERO_HLL_OP_COUNT, AERO_AEL_INT },
        { PF_HLL_DESCRIBE, AERO_HLL_OP_DESCRIBE, AERO_AEL_LIST },
        { PF_HLL_MAY_CONTAIN, AERO_HLL_OP_MAY_CONTAIN, AERO_AEL_INT },
        { PF_HLL_UNION, AERO_HLL_OP_UNION, AERO_AEL_HLL },
        { PF_HLL_UNION_COUNT, AERO_HLL_OP_UNION_COUNT, AERO_AEL_INT },
        { PF_HLL_INTERSECT_COUNT, AERO_HLL_OP_INTERSECT_COUNT, AERO_AEL_INT },
        { PF_HLL_SIMILARITY, AERO_HLL_OP_SIMILARITY, AERO_AEL_FLOAT },
    };
    if (p->n_parts) {
        ael__error(c, n->line, n->col, "HLL functions apply to a bin, not to a CDT path");
        return NULL;
    }
    ael_node *h = ael__node(c, N_HLL, n->line, n->col);
    if (!h)
        return NULL;
    h->v.s.p = p->bin;
    h->v.s.len = p->bin_len;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (t[i].fn == p->fn) {
            h->op = t[i].op;
            h->type = t[i].type;
        }
    }
    if (p->fn_arg) {
        ael_node *a = p->fn_arg;
        if (a->kind == N_PATH && a->v.path->n_parts == 0 && a->v.path->fn == PF_NONE) {
            a = bin_node(c, a, AERO_AEL_HLL, true);
            if (!a)
                return NULL;
        } else if (a->kind == N_LIST) {
            for (uint32_t i = 0; i < a->n; i++) {
                uint8_t k = a->kids[i]->kind;
                if (k != N_STR && k != N_INT && k != N_FLOAT && k != N_BOOL && k != N_LIST && k != N_MAP) {
                    ael__error(c, a->kids[i]->line, a->kids[i]->col,
                               "a list argument of an HLL function must hold constants");
                    return NULL;
                }
            }
            a->type = AERO_AEL_LIST;
        } else if (a->kind == N_PH) {
            resolve(c, a, AERO_AEL_LIST);
        } else {
            ael__error(c, a->line, a->col, "HLL function argument must be a bin, a list literal or a placeholder");
            return NULL;
        }
        if (!ael__add_kid(c, h, a))
            return NULL;
    }
    return h;
}

static ael_node *chk_path(ael_ctx *c, ael_node *n) {
    ael_path *p = n->v.path;
    const aero_ael_bin *eb = NULL;
    uint8_t etype = AEL_T_ANY;
    if (c->env) {
        eb = env_lookup(c->env, p->bin, p->bin_len);
        if (!eb) {
            ael__error(c, n->line, n->col, "unknown bin '%.*s'", (int)p->bin_len, p->bin);
            return NULL;
        }
        etype = (uint8_t)eb->type;
    }
    /* Real parts (designators dropped), the last designator types the result. */
    uint32_t real = 0, last = 0;
    int desig = -1;
    bool first_map = p->n_parts && part_is_map(p->parts[0].kind);
    for (uint32_t i = 0; i < p->n_parts; i++) {
        if (part_is_desig(p->parts[i].kind)) {
            desig = p->parts[i].kind;
        } else {
            real++;
            last = i;
            desig = -1;
        }
    }
    if (p->fn >= PF_HLL_COUNT && p->fn <= PF_HLL_SIMILARITY) {
        if (is_known(etype) && etype != AERO_AEL_HLL) {
            ael__error(c, n->line, n->col, "bin '%.*s' is %s, used as hll", (int)p->bin_len, p->bin, lower(etype));
            return NULL;
        }
        return chk_hll(c, n, p);
    }

    if (real == 0) {
        /* A bare bin, possibly with a designator and a function. */
        uint8_t t = AEL_T_DEFERRED;
        bool expl = false;
        if (p->n_parts) {
            t = first_map ? AERO_AEL_MAP : AERO_AEL_LIST;
            expl = true;
        }
        if (p->fn == PF_GET && p->get_type != AEL_T_DEFERRED) {
            t = p->get_type;
            expl = true;
        }
        if (is_known(etype)) {
            if (expl && t != etype) {
                ael__error(c, n->line, n->col, "bin '%.*s' is %s, read as %s", (int)p->bin_len, p->bin, lower(etype),
                           lower(t));
                return NULL;
            }
        }
        switch (p->fn) {
        case PF_EXISTS: {
            ael_node *e = ael__node(c, N_BINEXISTS, n->line, n->col);
            if (!e)
                return NULL;
            e->v.s.p = p->bin;
            e->v.s.len = p->bin_len;
            e->type = AERO_AEL_BOOL;
            return e;
        }
        case PF_COUNT: {
            bool map = (p->n_parts && first_map) || etype == AERO_AEL_MAP;
            ael_node *b = bin_node(c, n, map ? AERO_AEL_MAP : AERO_AEL_LIST, true);
            ael_node *s = b ? wrap(c, N_SIZE, b, AERO_AEL_INT) : NULL;
            if (s)
                s->v.i = map ? AERO_MAP_OP_SIZE : AERO_LIST_OP_SIZE;
            return s;
        }
        case PF_ASINT:
        case PF_ASFLOAT: {
            bool to_int = p->fn == PF_ASINT;
            uint8_t rt = to_int ? AERO_AEL_FLOAT : AERO_AEL_INT;
            if (is_known(etype)) {
                if (!is_num(etype)) {
                    ael__error(c, n->line, n->col, "bin '%.*s' is %s, cannot convert it to a number", (int)p->bin_len,
                               p->bin, lower(etype));
                    return NULL;
                }
                if (etype != rt) /* already the wanted type */
                    return bin_node(c, n, etype, true);
            }
            ael_node *b = bin_node(c, n, rt, true);
            return b ? wrap(c, to_int ? N_TOINT : N_TOFLOAT, b, to_int ? AERO_AEL_INT : AERO_AEL_FLOAT) : NULL;
        }
        default: {
            ael_node *b = bin_node(c, n, t, expl);
            if (b && is_known(etype) && !expl) {
                b->type = etype;
                b->explicit_type = true;
                b->from_env = true;
            }
            return b;
        }
        }
    }

    /* A CDT read. */
    p->base = first_map ? AERO_AEL_MAP : AERO_AEL_LIST;
    if (is_known(etype) && etype != p->base) {
        ael__error(c, n->line, n->col, "bin '%.*s' is %s, used as %s", (int)p->bin_len, p->bin, lower(etype),
                   lower(p->base));
        return NULL;
    }
    for (uint32_t i = 0; i < last; i++) {
        const ael_part *pt = &p->parts[i];
        if (!part_is_desig(pt->kind) && !part_is_singular(pt->kind)) {
            ael__error(c, pt->line, pt->col,
                       "Failed to parse AEL expression: only index, rank and key parts can be used inside a path");
            return NULL;
        }
    }
    p->last = last;
    ael_part *lp = &p->parts[last];
    p->singular = part_is_singular(lp->kind);
    bool map = part_is_map(lp->kind);
    int32_t rt = AERO_CDT_RT_VALUE;
    uint8_t vt = AEL_T_DEFERRED;
    if (desig == P_LIST_DESIG)
        vt = AERO_AEL_LIST;
    else if (desig == P_MAP_DESIG)
        vt = AERO_AEL_MAP;
    if (p->fn == PF_GET) {
        if (p->get_return >= 0) {
            rt = p->get_return;
            if (rt == AERO_CDT_RT_RANK && !map)
                rt = AERO_CDT_RT_VALUE; /* RANK: maps only */
        }
        if (p->get_type != AEL_T_DEFERRED)
            vt = p->get_type;
        else if (rt == AERO_CDT_RT_EXISTS)
            vt = AERO_AEL_BOOL;
        else if (rt == AERO_CDT_RT_INDEX || rt == AERO_CDT_RT_RANK)
            vt = AERO_AEL_INT;
        else if (rt == AERO_CDT_RT_UNORDERED_MAP || rt == AERO_CDT_RT_ORDERED_MAP)
            vt = AERO_AEL_STRING;
    }
    ael_node *wrapper = NULL;
    ael_kind wk = N_UNKNOWN;
    switch (p->fn) {
    case PF_EXISTS:
        rt = AERO_CDT_RT_EXISTS;
        vt = AERO_AEL_BOOL;
        break;
    case PF_COUNT:
        if (p->singular) {
            bool msz = desig == P_MAP_DESIG;
            vt = msz ? AERO_AEL_MAP : AERO_AEL_LIST;
            wk = N_SIZE;
            /* Quirk (ael.md 2.13): an int map key is encoded as a string here. */
            if (lp->kind == P_MAP_KEY && lp->a->kind == N_INT) {
                char *s = ael__alloc(c, 24);
                if (!s)
                    return NULL;
                int len = snprintf(s, 24, "%lld", (long long)lp->a->v.i);
                lp->a->kind = N_STR;
                lp->a->type = AERO_AEL_STRING;
                lp->a->v.s.p = s;
                lp->a->v.s.len = (size_t)len;
            }
        } else {
            rt = AERO_CDT_RT_COUNT;
        }
        break;
    case PF_ASINT:
        vt = AERO_AEL_FLOAT;
        wk = N_TOINT;
        break;
    case PF_ASFLOAT:
        vt = AERO_AEL_INT;
        wk = N_TOFLOAT;
        break;
    default: break;
    }
    if (lp->inverted)
        rt |= AERO_CDT_RT_INVERTED;
    p->rt = rt;
    if (p->singular) {
        p->vtype = vt;
        n->type = vt;
        if (vt != AEL_T_DEFERRED)
            n->explicit_type = true;
    } else {
        p->vtype = multi_type(map, rt);
        n->type = p->vtype;
        n->explicit_type = true;
    }
    if (wk == N_SIZE) {
        wrapper = wrap(c, N_SIZE, n, AERO_AEL_INT);
        if (wrapper)
            wrapper->v.i = vt == AERO_AEL_MAP ? AERO_MAP_OP_SIZE : AERO_LIST_OP_SIZE;
        return wrapper;
    }
    if (wk == N_TOINT || wk == N_TOFLOAT)
        return wrap(c, wk, n, wk == N_TOINT ? AERO_AEL_INT : AERO_AEL_FLOAT);
    return n;
}

/* ---- constants ---- */

static bool chk_const(ael_ctx *c, ael_node *n, int depth) {
    if (depth > 32)
        return ael__error(c, n->line, n->col, "literal nested too deeply");
    switch (n->kind) {
    case N_INT:
    case N_FLOAT:
    case N_STR:
    case N_BOOL: return true;
    case N_LIST:
        for (uint32_t i = 0; i < n->n; i++)
            if (!chk_const(c, n->kids[i], depth + 1))
                return false;
        n->type = AERO_AEL_LIST;
        return true;
    case N_MAP:
        for (uint32_t i = 0; i < n->n; i += 2) {
            uint8_t k = n->kids[i]->kind;
            if (k != N_INT && k != N_STR)
                return ael__error(c, n->kids[i]->line, n->kids[i]->col,
                                  "Map literal keys must be int or string constants");
            if (!chk_const(c, n->kids[i + 1], depth + 1))
                return false;
        }
        n->type = AERO_AEL_MAP;
        return true;
    default: return ael__error(c, n->line, n->col, "List and map literals may hold only constants");
    }
}

/* ---- operators ---- */

static bool chk_kids(ael_ctx *c, ael_node *n) {
    for (uint32_t i = 0; i < n->n; i++) {
        ael_node *k = chk(c, n->kids[i]);
        if (!k)
            return false;
        n->kids[i] = k;
    }
    return true;
}

static bool numeric_kids(ael_ctx *c, ael_node *n) {
    for (uint32_t i = 0; i < n->n; i++) {
        if ((n->op == AERO_EXP_OP_INT_LSCAN || n->op == AERO_EXP_OP_INT_RSCAN) && i == 1)
            continue; /* findBit*: the second argument is the bit value (bool) */
        uint8_t t = n->kids[i]->type;
        if (is_known(t) && !is_num(t))
            return ael__error(c, n->line, n->col, "Arithmetic requires numeric operands, got %s", ael__type_upper(t));
    }
    return true;
}

static ael_node *chk_arith(ael_ctx *c, ael_node *n) {
    if (!chk_kids(c, n) || !numeric_kids(c, n))
        return NULL;
    bool any_float = false, any_def = false;
    for (uint32_t i = 0; i < n->n; i++) {
        any_float |= n->kids[i]->type == AERO_AEL_FLOAT;
        any_def |= n->kids[i]->type == AEL_T_DEFERRED;
    }
    if (any_float) {
        for (uint32_t i = 0; i < n->n; i++)
            resolve(c, n->kids[i], AERO_AEL_FLOAT);
        n->type = AERO_AEL_FLOAT;
    } else {
        n->type = any_def ? AEL_T_DEFERRED : AERO_AEL_INT;
    }
    return n;
}

static ael_node *chk_fixed(ael_ctx *c, ael_node *n, uint8_t operand, uint8_t result) {
    if (!chk_kids(c, n) || !numeric_kids(c, n))
        return NULL;
    for (uint32_t i = 0; i < n->n; i++)
        resolve(c, n->kids[i],
                (n->op == AERO_EXP_OP_INT_LSCAN || n->op == AERO_EXP_OP_INT_RSCAN) && i == 1 ? AERO_AEL_BOOL : operand);
    n->type = result;
    return n;
}

static ael_node *chk_cmp(ael_ctx *c, ael_node *n) {
    if (!chk_kids(c, n))
        return NULL;
    ael_node *l = n->kids[0], *r = n->kids[1];
    if (l->type == AEL_T_DEFERRED && r->type == AEL_T_DEFERRED) {
        resolve(c, l, AERO_AEL_INT);
        resolve(c, r, AERO_AEL_INT);
    } else if (l->type == AEL_T_DEFERRED) {
        resolve(c, l, r->type);
    } else if (r->type == AEL_T_DEFERRED) {
        resolve(c, r, l->type);
    }
    if (!compat(c, n, l, r))
        return NULL;
    n->type = AERO_AEL_BOOL;
    return n;
}

static uint8_t var_type(ael_ctx *c, const ael_node *n) {
    for (int i = c->n_scope - 1; i >= 0; i--)
        if (c->scope[i].len == n->v.s.len && memcmp(c->scope[i].name, n->v.s.p, n->v.s.len) == 0)
            return c->scope[i].type;
    return 255;
}

static ael_node *chk_in(ael_ctx *c, ael_node *n) {
    if (!chk_kids(c, n))
        return NULL;
    ael_node *l = n->kids[0], *r = n->kids[1];
    uint8_t elem = AEL_T_DEFERRED;
    /* Right side: a LIST. */
    if (r->kind == N_LIST) {
        for (uint32_t i = 0; i < r->n; i++) {
            uint8_t t = r->kids[i]->type;
            if (i == 0)
                elem = t;
            else if (t != elem)
                return ael__error(c, r->kids[i]->line, r->kids[i]->col,
                                  "IN list elements must all have the same type (%s and %s)", ael__type_upper(elem),
                                  ael__type_upper(t)),
                       NULL;
        }
    } else if (r->kind == N_PH && r->type == AERO_AEL_LIST) {
        if (r->v.ph.index < c->n_params && c->params)
            elem = c->params[r->v.ph.index].elem;
    } else if (r->kind == N_PATH && r->type == AEL_T_DEFERRED) {
        resolve(c, r, AERO_AEL_STRING); /* quirk: ael.md 2.9 */
    } else if (r->type == AEL_T_DEFERRED) {
        resolve(c, r, AERO_AEL_LIST);
    } else if (r->type != AERO_AEL_LIST && r->type != AEL_T_ANY && !(r->kind == N_PATH)) {
        return ael__error(c, r->line, r->col, "IN operation requires a List as the right operand, got %s",
                          ael__type_upper(r->type)),
               NULL;
    }
    /* Left side: explicit type, or the element type of the list. */
    if (l->type == AEL_T_DEFERRED) {
        if (elem == AEL_T_DEFERRED || elem == AEL_T_ANY)
            return ael__error(c, l->line, l->col, "cannot infer the type of the left operand for IN operation"), NULL;
        resolve(c, l, elem);
    } else if (is_known(elem) && is_known(l->type) && l->type != elem && !(is_num(l->type) && is_num(elem))) {
        size_t bl;
        const char *bn = env_bin(l, &bl);
        if (bn)
            return ael__error(c, n->line, n->col, "bin '%.*s' is %s, compared with %s", (int)bl, bn, lower(l->type),
                              lower(elem)),
                   NULL;
        return ael__error(c, n->line, n->col, "Cannot compare %s to %s", ael__type_upper(l->type),
                          ael__type_upper(elem)),
               NULL;
    }
    n->type = AERO_AEL_BOOL;
    return n;
}

static ael_node *chk_inner(ael_ctx *c, ael_node *n) {
    switch (n->kind) {
    case N_INT:
    case N_FLOAT:
    case N_STR:
    case N_BOOL:
    case N_BLOB:
    case N_GEO:
    case N_UNKNOWN:
    case N_PH: return n;
    case N_LIST:
    case N_MAP: return chk_const(c, n, 0) ? n : NULL;
    case N_META: return n;
    case N_PATH: return chk_path(c, n);
    case N_CMP: return chk_cmp(c, n);
    case N_IN: return chk_in(c, n);
    case N_AND:
    case N_OR:
    case N_NOT:
    case N_EXCL:
        if (!chk_kids(c, n))
            return NULL;
        for (uint32_t i = 0; i < n->n; i++)
            resolve(c, n->kids[i], AERO_AEL_BOOL);
        n->type = AERO_AEL_BOOL;
        return n;
    case N_ARITH:
    case N_ABS:
    case N_MINMAX: return chk_arith(c, n);
    case N_FLOATOP: return chk_fixed(c, n, AERO_AEL_FLOAT, AERO_AEL_FLOAT);
    case N_INTOP: return chk_fixed(c, n, AERO_AEL_INT, AERO_AEL_INT);
    case N_GEOCMP:
        if (!chk_kids(c, n))
            return NULL;
        for (uint32_t i = 0; i < 2; i++) {
            resolve(c, n->kids[i], AERO_AEL_GEO);
            if (is_known(n->kids[i]->type) && n->kids[i]->type != AERO_AEL_GEO)
                return ael__error(c, n->kids[i]->line, n->kids[i]->col, "geoCompare needs GEO operands, got %s",
                                  ael__type_upper(n->kids[i]->type)),
                       NULL;
        }
        n->type = AERO_AEL_BOOL;
        return n;
    case N_LET: {
        int base = c->n_scope;
        for (uint32_t i = 0; i + 1 < n->n; i++) {
            ael_node *d = chk(c, n->kids[i]);
            if (!d)
                return NULL;
            n->kids[i] = d;
            resolve(c, d, AERO_AEL_INT);
            if (c->n_scope >= AEL_MAX_SCOPE)
                return ael__error(c, n->line, n->col, "too many nested let variables"), NULL;
            c->scope[c->n_scope].name = n->v.names[i];
            c->scope[c->n_scope].len = n->name_lens[i];
            c->scope[c->n_scope].type = d->type;
            c->n_scope++;
        }
        ael_node *body = chk(c, n->kids[n->n - 1]);
        c->n_scope = base;
        if (!body)
            return NULL;
        n->kids[n->n - 1] = body;
        n->type = body->type;
        return n;
    }
    case N_VAR: {
        uint8_t t = var_type(c, n);
        if (t == 255)
            return ael__error(c, n->line, n->col, "Unknown variable ${%.*s}", (int)n->v.s.len, n->v.s.p), NULL;
        n->type = t;
        return n;
    }
    case N_WHEN: {
        if (!chk_kids(c, n))
            return NULL;
        uint8_t t = AEL_T_ANY;
        for (uint32_t i = 0; i < n->n; i++) {
            bool cond = (i % 2 == 0) && i + 1 < n->n;
            resolve(c, n->kids[i], cond ? AERO_AEL_BOOL : AERO_AEL_INT);
            if (!cond && t == AEL_T_ANY)
                t = n->kids[i]->type;
        }
        n->type = t;
        return n;
    }
    default: return n;
    }
}

static ael_node *chk(ael_ctx *c, ael_node *n) {
    if (c->failed)
        return NULL;
    if (++c->depth > MAX_DEPTH) {
        ael__error(c, n->line, n->col, "expression nested too deeply");
        return NULL;
    }
    ael_node *r = chk_inner(c, n);
    c->depth--;
    if (!r && !c->failed)
        ael__oom(c);
    return r;
}

bool ael__check(ael_ctx *c) {
    ael_node *r = chk(c, c->root);
    if (!r)
        return false;
    resolve(c, r, AERO_AEL_INT);
    c->root = r;
    return !c->failed;
}
