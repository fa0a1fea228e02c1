/*
 * ael/ael_lower.c - path lowering (ael.md 2.4 - 2.5): the checker hands every
 * `$.bin...` path here, and gets back what it reads as: a typed bin read, a
 * bin_exists / size / conversion around it, an HLL read, or a CDT read with
 * its return type and value type decided. The bin environment of the typed
 * compile is applied here (unknown bins, declared types).
 */
#include <stdio.h>
#include <string.h>

#include "ael/ael_ast.h"
#include "ael/ael_typed.h"
#include "proto/cdt_ops.h"
#include "proto/hll_ops.h"

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

/* The declared bin of the typed compile's environment, or NULL. */
static const aero_ael_bin *env_lookup(const aero_ael_env *env, const char *name, size_t len) {
    for (size_t i = 0; i < env->n_bins; i++) {
        const char *b = env->bins[i].name;
        if (b && strlen(b) == len && memcmp(b, name, len) == 0)
            return &env->bins[i];
    }
    return NULL;
}

/* A unary node of kind k with type `type` around kid. */
static ael_node *wrap(ael_ctx *c, ael_kind k, ael_node *kid, uint8_t type) {
    ael_node *w = ael__node(c, k, kid->line, kid->col);
    if (!w || !ael__add_kid(c, w, kid))
        return NULL;
    w->type = type;
    return w;
}

/* A bin read of the path's bin (the path has no parts left to read). */
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

/* An HLL read function on a bare bin: hll_bin(bin) with its optional argument. */
static ael_node *lower_hll(ael_ctx *c, ael_node *n, ael_path *p) {
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
            ael__resolve(c, a, AERO_AEL_LIST);
        } else {
            ael__error(c, a->line, a->col, "HLL function argument must be a bin, a list literal or a placeholder");
            return NULL;
        }
        if (!ael__add_kid(c, h, a))
            return NULL;
    }
    return h;
}

/* asInt() / asFloat() of a bare bin: to_int(float bin) / to_float(int bin), or the bin itself. */
static ael_node *lower_bin_convert(ael_ctx *c, ael_node *n, ael_path *p, uint8_t etype) {
    bool to_int = p->fn == PF_ASINT;
    uint8_t rt = to_int ? AERO_AEL_FLOAT : AERO_AEL_INT;
    if (ael__is_known(etype)) {
        if (!ael__is_num(etype)) {
            ael__error(c, n->line, n->col, "bin '%.*s' is %s, cannot convert it to a number", (int)p->bin_len, p->bin,
                       ael__type_lower(etype));
            return NULL;
        }
        if (etype != rt) /* already the wanted type */
            return bin_node(c, n, etype, true);
    }
    ael_node *b = bin_node(c, n, rt, true);
    return b ? wrap(c, to_int ? N_TOINT : N_TOFLOAT, b, to_int ? AERO_AEL_INT : AERO_AEL_FLOAT) : NULL;
}

/* A bare bin (no CDT part, maybe a designator), read as it is or through its path function. */
static ael_node *lower_bin(ael_ctx *c, ael_node *n, ael_path *p, uint8_t etype, bool first_map) {
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
    if (ael__is_known(etype)) {
        if (expl && t != etype) {
            ael__error(c, n->line, n->col, "bin '%.*s' is %s, read as %s", (int)p->bin_len, p->bin,
                       ael__type_lower(etype), ael__type_lower(t));
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
    case PF_ASFLOAT: return lower_bin_convert(c, n, p, etype);
    default: {
        ael_node *b = bin_node(c, n, t, expl);
        if (b && ael__is_known(etype) && !expl) {
            b->type = etype;
            b->explicit_type = true;
            b->from_env = true;
        }
        return b;
    }
    }
}

/* Inside a path only singular parts (index, rank, key) and designators may come before the last part. */
static bool check_inner_parts(ael_ctx *c, const ael_path *p, uint32_t last) {
    for (uint32_t i = 0; i < last; i++) {
        const ael_part *pt = &p->parts[i];
        if (!part_is_desig(pt->kind) && !part_is_singular(pt->kind))
            return ael__error(
                c, pt->line, pt->col,
                "Failed to parse AEL expression: only index, rank and key parts can be used inside a path");
    }
    return true;
}

/* .get(type:, return:) of a CDT read: the return type and the value type it implies. */
static void get_result(const ael_path *p, bool map, int32_t *rt, uint8_t *vt) {
    if (p->get_return >= 0) {
        *rt = p->get_return;
        if (*rt == AERO_CDT_RT_RANK && !map)
            *rt = AERO_CDT_RT_VALUE; /* RANK: maps only */
    }
    if (p->get_type != AEL_T_DEFERRED)
        *vt = p->get_type;
    else if (*rt == AERO_CDT_RT_EXISTS)
        *vt = AERO_AEL_BOOL;
    else if (*rt == AERO_CDT_RT_INDEX || *rt == AERO_CDT_RT_RANK)
        *vt = AERO_AEL_INT;
    else if (*rt == AERO_CDT_RT_UNORDERED_MAP || *rt == AERO_CDT_RT_ORDERED_MAP)
        *vt = AERO_AEL_STRING;
}

/* Quirk (ael.md 2.13): in count() of a singular map read, an int map key is encoded as a string. */
static bool int_key_as_string(ael_ctx *c, ael_part *lp) {
    if (lp->kind != P_MAP_KEY || lp->a->kind != N_INT)
        return true;
    char *s = ael__alloc(c, 24);
    if (!s)
        return false;
    int len = snprintf(s, 24, "%lld", (long long)lp->a->v.i);
    lp->a->kind = N_STR;
    lp->a->type = AERO_AEL_STRING;
    lp->a->v.s.p = s;
    lp->a->v.s.len = (size_t)len;
    return true;
}

/*
 * The path function of a CDT read: it may change the return type *rt and the
 * value type *vt, and ask for a wrapper node *wk (N_SIZE, N_TOINT, N_TOFLOAT).
 * false when out of memory.
 */
static bool apply_fn(ael_ctx *c, ael_path *p, ael_part *lp, int desig, int32_t *rt, uint8_t *vt, ael_kind *wk) {
    switch (p->fn) {
    case PF_EXISTS:
        *rt = AERO_CDT_RT_EXISTS;
        *vt = AERO_AEL_BOOL;
        return true;
    case PF_COUNT:
        if (!p->singular) {
            *rt = AERO_CDT_RT_COUNT;
            return true;
        }
        *vt = desig == P_MAP_DESIG ? AERO_AEL_MAP : AERO_AEL_LIST;
        *wk = N_SIZE;
        return int_key_as_string(c, lp);
    case PF_ASINT:
        *vt = AERO_AEL_FLOAT;
        *wk = N_TOINT;
        return true;
    case PF_ASFLOAT:
        *vt = AERO_AEL_INT;
        *wk = N_TOFLOAT;
        return true;
    default: return true;
    }
}

/* Append to the path's description ("home" -> "home.zip"). false when out of memory. */
static bool desc_add(ael_ctx *c, ael_path *p, const char *fmt, const char *s, size_t len, long long i) {
    size_t old = strlen(p->desc);
    size_t cap = old + len + 32;
    char *d = ael__alloc(c, cap);
    if (!d)
        return false;
    memcpy(d, p->desc, old);
    if (s)
        snprintf(d + old, cap - old, fmt, (int)len, s);
    else
        snprintf(d + old, cap - old, fmt, i);
    p->desc = d;
    return true;
}

static const char *tnode_name(const aero_ael_tnode *t) {
    return t->doc ? t->doc : aero_ael__type_name(t->type);
}

/*
 * The declared type of a singular CDT read from the bin's type tree: walks
 * the parts up to `last` (index, rank and key parts descend into the element,
 * value or field; designators only check). *vt is the value type, or stays
 * DEFERRED when the tree does not know it. false on error (c failed).
 */
static bool walk_tree(ael_ctx *c, ael_path *p, const aero_ael_tnode *t, uint32_t last, uint8_t *vt) {
    p->desc = ael__alloc(c, p->bin_len + 1);
    if (!p->desc)
        return false;
    memcpy((char *)p->desc, p->bin, p->bin_len);
    ((char *)p->desc)[p->bin_len] = '\0';
    for (uint32_t i = 0; i <= last && t; i++) {
        const ael_part *pt = &p->parts[i];
        bool map = part_is_map(pt->kind);
        uint8_t want = map ? AERO_AEL_MAP : AERO_AEL_LIST;
        if (t->type != AERO_AEL_ANY && t->type != want)
            return ael__error(c, pt->line, pt->col, "'%s' is %s, used as %s", p->desc, tnode_name(t),
                              ael__type_lower(want));
        if (part_is_desig(pt->kind))
            continue;
        if (!part_is_singular(pt->kind))
            return true; /* a multi-value read: typed by its return type */
        const aero_ael_tnode *next = t->item;
        if (pt->kind == P_MAP_KEY && t->doc) {
            if (pt->a->kind != N_STR)
                return ael__error(c, pt->line, pt->col, "document '%s' (%s) is keyed by field name, not by %s",
                                  t->doc, p->desc, ael__type_lower(pt->a->type));
            next = NULL;
            bool found = false;
            for (size_t f = 0; f < t->n_fields && !found; f++) {
                const char *fn = t->fields[f].name;
                if (strlen(fn) == pt->a->v.s.len && memcmp(fn, pt->a->v.s.p, pt->a->v.s.len) == 0) {
                    next = t->fields[f].type;
                    found = true;
                }
            }
            if (!found) {
                for (size_t f = 0; f < t->n_fields; f++) {
                    const char *fn = t->fields[f].field;
                    if (fn && strlen(fn) == pt->a->v.s.len && memcmp(fn, pt->a->v.s.p, pt->a->v.s.len) == 0)
                        return ael__error(c, pt->line, pt->col,
                                          "document '%s' (%s) has no key '%s'; field '%s' is stored under key '%s'",
                                          t->doc, p->desc, fn, fn, t->fields[f].name);
                }
                return ael__error(c, pt->line, pt->col, "document '%s' (%s) has no field '%.*s'", t->doc, p->desc,
                                  (int)pt->a->v.s.len, pt->a->v.s.p);
            }
        } else if (pt->kind == P_MAP_KEY && t->key) {
            uint8_t kt = pt->a->kind == N_INT ? AERO_AEL_INT : pt->a->kind == N_STR ? AERO_AEL_STRING : AEL_T_ANY;
            uint8_t dk = (uint8_t)t->key->type;
            if (kt != AEL_T_ANY && dk != AERO_AEL_ANY && kt != dk && !(dk == AERO_AEL_BLOB && kt == AERO_AEL_STRING))
                return ael__error(c, pt->line, pt->col, "map keys of '%s' are %s, not %s", p->desc,
                                  ael__type_lower(dk), ael__type_lower(kt));
        }
        bool ok;
        if (pt->kind == P_MAP_KEY && pt->a->kind == N_STR)
            ok = desc_add(c, p, ".%.*s", pt->a->v.s.p, pt->a->v.s.len, 0);
        else if (pt->kind == P_MAP_KEY && pt->a->kind == N_INT)
            ok = desc_add(c, p, ".%lld", NULL, 0, (long long)pt->a->v.i);
        else if (pt->kind == P_LIST_INDEX && pt->a && pt->a->kind == N_INT)
            ok = desc_add(c, p, "[%lld]", NULL, 0, (long long)pt->a->v.i);
        else
            ok = desc_add(c, p, map ? ".{...}" : "[...]", NULL, 0, 0);
        if (!ok)
            return false;
        t = next;
        if (i == last && t && t->type != AERO_AEL_ANY)
            *vt = (uint8_t)t->type;
    }
    return true;
}

/* A CDT read: the part at `last` makes the operation, the parts before it the context. */
static ael_node *lower_cdt_read(ael_ctx *c, ael_node *n, ael_path *p, uint8_t etype, bool first_map, uint32_t last,
                                int desig, const aero_ael_tnode *tree) {
    p->base = first_map ? AERO_AEL_MAP : AERO_AEL_LIST;
    if (ael__is_known(etype) && etype != p->base) {
        ael__error(c, n->line, n->col, "bin '%.*s' is %s, used as %s", (int)p->bin_len, p->bin, ael__type_lower(etype),
                   ael__type_lower(p->base));
        return NULL;
    }
    if (!check_inner_parts(c, p, last))
        return NULL;
    uint8_t tt = AEL_T_DEFERRED; /* the type tree's type of the value read */
    if (tree && !walk_tree(c, p, tree, last, &tt))
        return NULL;
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
    if (p->fn == PF_GET)
        get_result(p, map, &rt, &vt);
    bool from_tree = false;
    if (part_is_singular(lp->kind) && tt != AEL_T_DEFERRED && rt == AERO_CDT_RT_VALUE) {
        if (vt == AEL_T_DEFERRED) {
            vt = tt;
            from_tree = p->fn == PF_NONE || p->fn == PF_GET;
        } else if (vt != tt && !(p->fn == PF_COUNT || p->fn == PF_ASINT || p->fn == PF_ASFLOAT || p->fn == PF_EXISTS)) {
            ael__error(c, n->line, n->col, "'%s' is %s, read as %s", p->desc, ael__type_lower(tt),
                       ael__type_lower(vt));
            return NULL;
        }
    }
    ael_kind wk = N_UNKNOWN;
    if (!apply_fn(c, p, lp, desig, &rt, &vt, &wk))
        return NULL;
    if (lp->inverted)
        rt |= AERO_CDT_RT_INVERTED;
    p->rt = rt;
    if (p->singular) {
        p->vtype = vt;
        n->type = vt;
        if (vt != AEL_T_DEFERRED)
            n->explicit_type = true;
        n->from_env = from_tree && wk == N_UNKNOWN;
    } else {
        p->vtype = multi_type(map, rt);
        n->type = p->vtype;
        n->explicit_type = true;
    }
    if (wk == N_SIZE) {
        ael_node *wrapper = wrap(c, N_SIZE, n, AERO_AEL_INT);
        if (wrapper)
            wrapper->v.i = vt == AERO_AEL_MAP ? AERO_MAP_OP_SIZE : AERO_LIST_OP_SIZE;
        return wrapper;
    }
    if (wk == N_TOINT || wk == N_TOFLOAT)
        return wrap(c, wk, n, wk == N_TOINT ? AERO_AEL_INT : AERO_AEL_FLOAT);
    return n;
}

ael_node *ael__lower_path(ael_ctx *c, ael_node *n) {
    ael_path *p = n->v.path;
    uint8_t etype = AEL_T_ANY;
    const aero_ael_tnode *tree = NULL;
    if (c->env) {
        const aero_ael_bin *eb = env_lookup(c->env, p->bin, p->bin_len);
        if (!eb) {
            ael__error(c, n->line, n->col, "unknown bin '%.*s'", (int)p->bin_len, p->bin);
            return NULL;
        }
        etype = (uint8_t)eb->type;
        tree = eb->tree;
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
        if (ael__is_known(etype) && etype != AERO_AEL_HLL) {
            ael__error(c, n->line, n->col, "bin '%.*s' is %s, used as hll", (int)p->bin_len, p->bin,
                       ael__type_lower(etype));
            return NULL;
        }
        return lower_hll(c, n, p);
    }
    if (real == 0)
        return lower_bin(c, n, p, etype, first_map);
    return lower_cdt_read(c, n, p, etype, first_map, last, desig, tree);
}
