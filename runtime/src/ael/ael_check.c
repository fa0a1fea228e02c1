/*
 * ael/ael_check.c - type inference and checks (ael.md 2.9). Paths are lowered
 * by ael_lower.c, types pushed down by ael_infer.c.
 *
 * Bins without an explicit type stay DEFERRED until their context decides:
 * a comparison gives them the other side's type (both deferred: INT),
 * logic operators make them BOOL, float-only math FLOAT, integer math INT,
 * let values and when branches INT, the top level INT. chk() computes a
 * node's type bottom-up (possibly DEFERRED); ael__resolve() pushes a type down.
 */
#include <string.h>

#include "ael/ael_ast.h"
#include "proto/exp_ops.h"

#define MAX_DEPTH 200

static ael_node *chk(ael_ctx *c, ael_node *n);

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
    if (a == b || a == AEL_T_ANY || b == AEL_T_ANY || (ael__is_num(a) && ael__is_num(b)))
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
    const ael_node *tp = l->kind == N_PATH && l->from_env ? l : r->kind == N_PATH && r->from_env ? r : NULL;
    if (tp)
        return ael__error(c, cmp->line, cmp->col, "'%s' is %s, compared with %s", tp->v.path->desc,
                          ael__type_lower(tp->type), ael__type_lower(tp == l ? b : a));
    size_t bl;
    const char *bn = env_bin(l, &bl);
    ael_node *other = r;
    if (!bn) {
        bn = env_bin(r, &bl);
        other = l;
    }
    if (bn)
        return ael__error(c, cmp->line, cmp->col, "bin '%.*s' is %s, compared with %s", (int)bl, bn,
                          ael__type_lower(other == r ? a : b), ael__type_lower(other->type));
    return ael__error(c, cmp->line, cmp->col, "Cannot compare %s to %s", ael__type_upper(a), ael__type_upper(b));
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
        if (ael__is_known(t) && !ael__is_num(t))
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
            ael__resolve(c, n->kids[i], AERO_AEL_FLOAT);
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
        ael__resolve(c, n->kids[i],
                     (n->op == AERO_EXP_OP_INT_LSCAN || n->op == AERO_EXP_OP_INT_RSCAN) && i == 1 ? AERO_AEL_BOOL
                                                                                                  : operand);
    n->type = result;
    return n;
}

static ael_node *chk_cmp(ael_ctx *c, ael_node *n) {
    if (!chk_kids(c, n))
        return NULL;
    ael_node *l = n->kids[0], *r = n->kids[1];
    if (l->type == AEL_T_DEFERRED && r->type == AEL_T_DEFERRED) {
        ael__resolve(c, l, AERO_AEL_INT);
        ael__resolve(c, r, AERO_AEL_INT);
    } else if (l->type == AEL_T_DEFERRED) {
        ael__resolve(c, l, r->type);
    } else if (r->type == AEL_T_DEFERRED) {
        ael__resolve(c, r, l->type);
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
        ael__resolve(c, r, AERO_AEL_STRING); /* quirk: ael.md 2.9 */
    } else if (r->type == AEL_T_DEFERRED) {
        ael__resolve(c, r, AERO_AEL_LIST);
    } else if (r->type != AERO_AEL_LIST && r->type != AEL_T_ANY && !(r->kind == N_PATH)) {
        return ael__error(c, r->line, r->col, "IN operation requires a List as the right operand, got %s",
                          ael__type_upper(r->type)),
               NULL;
    }
    /* Left side: explicit type, or the element type of the list. */
    if (l->type == AEL_T_DEFERRED) {
        if (elem == AEL_T_DEFERRED || elem == AEL_T_ANY)
            return ael__error(c, l->line, l->col, "cannot infer the type of the left operand for IN operation"), NULL;
        ael__resolve(c, l, elem);
    } else if (ael__is_known(elem) && ael__is_known(l->type) && l->type != elem &&
               !(ael__is_num(l->type) && ael__is_num(elem))) {
        size_t bl;
        const char *bn = env_bin(l, &bl);
        if (bn)
            return ael__error(c, n->line, n->col, "bin '%.*s' is %s, compared with %s", (int)bl, bn,
                              ael__type_lower(l->type), ael__type_lower(elem)),
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
    case N_PATH: return ael__lower_path(c, n);
    case N_CMP: return chk_cmp(c, n);
    case N_IN: return chk_in(c, n);
    case N_AND:
    case N_OR:
    case N_NOT:
    case N_EXCL:
        if (!chk_kids(c, n))
            return NULL;
        for (uint32_t i = 0; i < n->n; i++)
            ael__resolve(c, n->kids[i], AERO_AEL_BOOL);
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
            ael__resolve(c, n->kids[i], AERO_AEL_GEO);
            if (ael__is_known(n->kids[i]->type) && n->kids[i]->type != AERO_AEL_GEO)
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
            ael__resolve(c, d, AERO_AEL_INT);
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
            ael__resolve(c, n->kids[i], cond ? AERO_AEL_BOOL : AERO_AEL_INT);
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
    ael__resolve(c, r, AERO_AEL_INT);
    c->root = r;
    return !c->failed;
}
