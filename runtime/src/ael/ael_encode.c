/*
 * ael/ael_encode.c - checked AEL tree -> server expression bytes
 * (protocol.md 8, ael.md 2.10).
 *
 * Calls are msgpack arrays [op, args...]; values are msgpack with particle
 * strings; list literals are wrapped in [QUOTE, list]; CDT reads are
 * [CALL, result_type, CDT, payload, bin] with the context wrapped as
 * [CONTEXT_EVAL, [ctx...], [op, return_type, args...]]. Every number comes
 * from the tables in proto/ (exp_ops.h, cdt_ops.h, hll_ops.h). Placeholders either pack
 * their value inline (aero_ael_compile) or leave a slot (templates).
 */
#include <stdlib.h>
#include <string.h>

#include "ael/ael_ast.h"
#include "proto/cdt_ops.h"
#include "proto/exp_ops.h"
#include "proto/hll_ops.h"
#include "proto/msgpack.h"
#include "proto/wire.h"

static bool enc(ael_ctx *c, ael_out *o, const ael_node *n);

static void arr(ael_out *o, uint32_t n) { aero_mp__pack_array_header(o->buf, n); }
static void num(ael_out *o, int64_t v) { aero_mp__pack_int(o->buf, v); }

static bool add_slot(ael_ctx *c, ael_out *o, const ael_node *n, uint8_t type) {
    if (o->buf->len > UINT32_MAX)
        return ael__oom(c);
    for (size_t i = 0; i < o->n_slots; i++)
        if (o->slots[i].param == n->v.ph.index && o->slots[i].type != type)
            return ael__error(c, n->line, n->col, "placeholder ?%u is used both as %s and as %s; declare its type",
                              n->v.ph.index, aero_ael__type_name((aero_ael_type)o->slots[i].type),
                              aero_ael__type_name((aero_ael_type)type));
    if (o->n_slots == o->cap_slots) {
        size_t cap = o->cap_slots ? o->cap_slots * 2 : 4;
        aero_ael_slot *s = realloc(o->slots, cap * sizeof *s);
        if (!s)
            return ael__oom(c);
        o->slots = s;
        o->cap_slots = cap;
    }
    aero_ael_slot *s = &o->slots[o->n_slots++];
    s->offset = (uint32_t)o->buf->len;
    s->param = n->v.ph.index;
    s->type = type;
    return true;
}

static bool enc_ph(ael_ctx *c, ael_out *o, const ael_node *n) {
    uint8_t t = n->v.ph.enc;
    if (t == AERO_AEL_ANY || t == AEL_T_DEFERRED)
        t = (n->type == AEL_T_DEFERRED || n->type == AEL_T_ANY) ? AERO_AEL_INT : n->type;
    if (t == AERO_AEL_LIST) {
        arr(o, 2);
        num(o, AERO_EXP_OP_QUOTE);
    }
    if (o->values) {
        aero_error err;
        if (n->v.ph.index >= o->n_values)
            return ael__error(c, n->line, n->col, "Missing value for placeholder ?%u", n->v.ph.index);
        if (ael__pack_slot(o->buf, t, &o->values[n->v.ph.index], n->v.ph.index, &err) != AERO_OK)
            return ael__error(c, n->line, n->col, "%s", err.message);
        return true;
    }
    return add_slot(c, o, n, t);
}

/* A constant as a plain msgpack value (inside lists, maps, CDT payloads). */
static bool enc_value(ael_ctx *c, ael_out *o, const ael_node *n) {
    switch (n->kind) {
    case N_INT:
        if (n->big)
            aero_mp__pack_uint(o->buf, n->v.u);
        else
            num(o, n->v.i);
        return true;
    case N_FLOAT: aero_mp__pack_double(o->buf, n->v.d); return true;
    case N_BOOL: aero_mp__pack_bool(o->buf, n->v.b); return true;
    case N_STR: aero_mp__pack_particle_str(o->buf, AERO_PT_STRING, n->v.s.p, n->v.s.len); return true;
    case N_BLOB: aero_mp__pack_particle_str(o->buf, AERO_PT_BLOB, n->v.s.p, n->v.s.len); return true;
    case N_GEO: aero_mp__pack_particle_str(o->buf, AERO_PT_GEOJSON, n->v.s.p, n->v.s.len); return true;
    case N_LIST:
        arr(o, n->n);
        for (uint32_t i = 0; i < n->n; i++)
            if (!enc_value(c, o, n->kids[i]))
                return false;
        return true;
    case N_MAP:
        aero_mp__pack_map_header(o->buf, n->n / 2);
        for (uint32_t i = 0; i < n->n; i++)
            if (!enc_value(c, o, n->kids[i]))
                return false;
        return true;
    default: return ael__error(c, n->line, n->col, "internal: not a constant");
    }
}

static bool enc_kids(ael_ctx *c, ael_out *o, const ael_node *n, uint8_t op) {
    arr(o, n->n + 1);
    num(o, op);
    for (uint32_t i = 0; i < n->n; i++)
        if (!enc(c, o, n->kids[i]))
            return false;
    return true;
}

static void bin_read(ael_out *o, uint8_t type, const char *name, size_t len) {
    arr(o, 3);
    num(o, AERO_EXP_OP_BIN);
    num(o, type);
    aero_mp__pack_raw_str(o->buf, name, len);
}

/* CDT op codes per part kind (protocol.md 9.3). */
static uint8_t part_op(uint8_t k) {
    switch (k) {
    case P_LIST_INDEX: return AERO_LIST_OP_GET_BY_INDEX;
    case P_LIST_RANK: return AERO_LIST_OP_GET_BY_RANK;
    case P_LIST_VALUE: return AERO_LIST_OP_GET_ALL_BY_VALUE;
    case P_LIST_VALUE_LIST: return AERO_LIST_OP_GET_ALL_BY_VALUE_LIST;
    case P_LIST_INDEX_RANGE: return AERO_LIST_OP_GET_BY_INDEX_RANGE;
    case P_LIST_VALUE_RANGE: return AERO_LIST_OP_GET_BY_VALUE_INTERVAL;
    case P_LIST_RANK_RANGE: return AERO_LIST_OP_GET_BY_RANK_RANGE;
    case P_LIST_RANK_REL: return AERO_LIST_OP_GET_BY_VALUE_REL_RANK_RANGE;
    case P_MAP_KEY: return AERO_MAP_OP_GET_BY_KEY;
    case P_MAP_INDEX: return AERO_MAP_OP_GET_BY_INDEX;
    case P_MAP_RANK: return AERO_MAP_OP_GET_BY_RANK;
    case P_MAP_VALUE: return AERO_MAP_OP_GET_ALL_BY_VALUE;
    case P_MAP_KEY_RANGE: return AERO_MAP_OP_GET_BY_KEY_INTERVAL;
    case P_MAP_INDEX_RANGE: return AERO_MAP_OP_GET_BY_INDEX_RANGE;
    case P_MAP_VALUE_RANGE: return AERO_MAP_OP_GET_BY_VALUE_INTERVAL;
    case P_MAP_RANK_RANGE: return AERO_MAP_OP_GET_BY_RANK_RANGE;
    case P_MAP_KEY_LIST: return AERO_MAP_OP_GET_BY_KEY_LIST;
    case P_MAP_VALUE_LIST: return AERO_MAP_OP_GET_BY_VALUE_LIST;
    case P_MAP_KEY_REL: return AERO_MAP_OP_GET_BY_KEY_REL_INDEX_RANGE;
    case P_MAP_RANK_REL: return AERO_MAP_OP_GET_BY_VALUE_REL_RANK_RANGE;
    default: return 0;
    }
}

static uint8_t ctx_type(uint8_t k) {
    switch (k) {
    case P_LIST_INDEX: return AERO_CDT_CTX_LIST_INDEX;
    case P_LIST_RANK: return AERO_CDT_CTX_LIST_RANK;
    case P_MAP_INDEX: return AERO_CDT_CTX_MAP_INDEX;
    case P_MAP_RANK: return AERO_CDT_CTX_MAP_RANK;
    default: return AERO_CDT_CTX_MAP_KEY;
    }
}

/* Quoted list argument ([QUOTE, list]). */
static bool enc_list_arg(ael_ctx *c, ael_out *o, const ael_node *l) {
    arr(o, 2);
    num(o, AERO_EXP_OP_QUOTE);
    return enc_value(c, o, l);
}

static bool enc_op(ael_ctx *c, ael_out *o, const ael_path *p, const ael_part *lp) {
    uint32_t n = 2;
    switch (lp->kind) {
    case P_LIST_INDEX:
    case P_LIST_RANK:
    case P_LIST_VALUE:
    case P_LIST_VALUE_LIST:
    case P_MAP_KEY:
    case P_MAP_INDEX:
    case P_MAP_RANK:
    case P_MAP_VALUE:
    case P_MAP_KEY_LIST:
    case P_MAP_VALUE_LIST: n = 3; break;
    case P_LIST_INDEX_RANGE:
    case P_LIST_RANK_RANGE:
    case P_MAP_INDEX_RANGE:
    case P_MAP_RANK_RANGE:
    case P_LIST_VALUE_RANGE:
    case P_MAP_VALUE_RANGE:
    case P_MAP_KEY_RANGE: n = lp->has_count ? 4 : 3; break;
    case P_LIST_RANK_REL:
    case P_MAP_RANK_REL:
    case P_MAP_KEY_REL: n = lp->has_count ? 5 : 4; break;
    default: return ael__error(c, lp->line, lp->col, "internal: bad path part");
    }
    arr(o, n);
    num(o, part_op(lp->kind));
    num(o, p->rt);
    switch (lp->kind) {
    case P_LIST_VALUE_LIST:
    case P_MAP_KEY_LIST:
    case P_MAP_VALUE_LIST: return enc_list_arg(c, o, lp->list);
    case P_LIST_RANK_REL:
    case P_MAP_RANK_REL:
    case P_MAP_KEY_REL:
        if (!enc(c, o, lp->rel) || !enc(c, o, lp->a))
            return false;
        if (lp->has_count)
            num(o, lp->count);
        return true;
    case P_LIST_INDEX_RANGE:
    case P_LIST_RANK_RANGE:
    case P_MAP_INDEX_RANGE:
    case P_MAP_RANK_RANGE:
        if (!enc(c, o, lp->a))
            return false;
        if (lp->has_count)
            num(o, lp->count);
        return true;
    case P_LIST_VALUE_RANGE:
    case P_MAP_VALUE_RANGE:
    case P_MAP_KEY_RANGE:
        if (!enc(c, o, lp->a))
            return false;
        return lp->has_count ? enc(c, o, lp->b) : true;
    default: return enc(c, o, lp->a);
    }
}

static bool enc_path(ael_ctx *c, ael_out *o, const ael_node *n) {
    const ael_path *p = n->v.path;
    const ael_part *lp = &p->parts[p->last];
    uint8_t rtype = n->type;
    if (rtype == AEL_T_DEFERRED || rtype == AEL_T_ANY)
        rtype = AERO_AEL_INT;
    arr(o, 5);
    num(o, AERO_EXP_OP_CALL);
    num(o, rtype);
    num(o, AERO_EXP_CALL_CDT);
    uint32_t nctx = 0;
    for (uint32_t i = 0; i < p->last; i++)
        if (p->parts[i].kind != P_LIST_DESIG && p->parts[i].kind != P_MAP_DESIG)
            nctx++;
    if (nctx) {
        arr(o, 3);
        num(o, AERO_CDT_OP_CONTEXT_EVAL);
        arr(o, nctx * 2);
        for (uint32_t i = 0; i < p->last; i++) {
            const ael_part *pt = &p->parts[i];
            if (pt->kind == P_LIST_DESIG || pt->kind == P_MAP_DESIG)
                continue;
            num(o, ctx_type(pt->kind));
            if (!enc_value(c, o, pt->a))
                return false;
        }
    }
    if (!enc_op(c, o, p, lp))
        return false;
    bin_read(o, p->base, p->bin, p->bin_len);
    return true;
}

/* exclusive(a, b, c) is encoded left-nested: [EXCLUSIVE, [EXCLUSIVE, a, b], c]. */
static bool enc_excl(ael_ctx *c, ael_out *o, const ael_node *n, uint32_t upto) {
    arr(o, 3);
    num(o, AERO_EXP_OP_EXCLUSIVE);
    if (upto == 2) {
        if (!enc(c, o, n->kids[0]))
            return false;
    } else if (!enc_excl(c, o, n, upto - 1)) {
        return false;
    }
    return enc(c, o, n->kids[upto - 1]);
}

static bool enc(ael_ctx *c, ael_out *o, const ael_node *n) {
    switch (n->kind) {
    case N_INT:
    case N_FLOAT:
    case N_BOOL:
    case N_STR:
    case N_BLOB:
    case N_GEO:
    case N_MAP: return enc_value(c, o, n);
    case N_LIST: return enc_list_arg(c, o, n);
    case N_PH: return enc_ph(c, o, n);
    case N_BIN: {
        uint8_t t = n->type;
        if (t == AEL_T_DEFERRED || t == AEL_T_ANY)
            t = AERO_AEL_INT;
        bin_read(o, t, n->v.s.p, n->v.s.len);
        return true;
    }
    case N_BINEXISTS:
        arr(o, 3);
        num(o, AERO_EXP_OP_NE);
        arr(o, 2);
        num(o, AERO_EXP_OP_BIN_TYPE);
        aero_mp__pack_raw_str(o->buf, n->v.s.p, n->v.s.len);
        num(o, AERO_PT_NULL);
        return true;
    case N_PATH: return enc_path(c, o, n);
    case N_META: return enc_kids(c, o, n, n->op);
    case N_CMP:
    case N_ARITH:
    case N_INTOP:
    case N_FLOATOP:
    case N_MINMAX:
    case N_GEOCMP:
    case N_NOT: return enc_kids(c, o, n, n->op);
    case N_AND: return enc_kids(c, o, n, AERO_EXP_OP_AND);
    case N_OR: return enc_kids(c, o, n, AERO_EXP_OP_OR);
    case N_EXCL: return enc_excl(c, o, n, n->n);
    case N_ABS: return enc_kids(c, o, n, AERO_EXP_OP_ABS);
    case N_TOINT: return enc_kids(c, o, n, AERO_EXP_OP_TO_INT);
    case N_TOFLOAT: return enc_kids(c, o, n, AERO_EXP_OP_TO_FLOAT);
    case N_IN:
        /* [CALL, BOOL, CDT, [GET_ALL_BY_VALUE, EXISTS, left], right] */
        arr(o, 5);
        num(o, AERO_EXP_OP_CALL);
        num(o, AERO_AEL_BOOL);
        num(o, AERO_EXP_CALL_CDT);
        arr(o, 3);
        num(o, AERO_LIST_OP_GET_ALL_BY_VALUE);
        num(o, AERO_CDT_RT_EXISTS);
        return enc(c, o, n->kids[0]) && enc(c, o, n->kids[1]);
    case N_SIZE:
        arr(o, 5);
        num(o, AERO_EXP_OP_CALL);
        num(o, AERO_AEL_INT);
        num(o, AERO_EXP_CALL_CDT);
        arr(o, 1);
        num(o, n->v.i);
        return enc(c, o, n->kids[0]);
    case N_HLL:
        arr(o, 5);
        num(o, AERO_EXP_OP_CALL);
        num(o, n->type);
        num(o, AERO_EXP_CALL_HLL);
        arr(o, n->n + 1);
        num(o, n->op);
        if (n->n && !enc(c, o, n->kids[0]))
            return false;
        bin_read(o, AERO_AEL_HLL, n->v.s.p, n->v.s.len);
        return true;
    case N_LET:
        arr(o, 2 * (n->n - 1) + 2);
        num(o, AERO_EXP_OP_LET);
        for (uint32_t i = 0; i + 1 < n->n; i++) {
            aero_mp__pack_raw_str(o->buf, n->v.names[i], n->name_lens[i]);
            if (!enc(c, o, n->kids[i]))
                return false;
        }
        return enc(c, o, n->kids[n->n - 1]);
    case N_VAR:
        arr(o, 2);
        num(o, AERO_EXP_OP_VAR);
        aero_mp__pack_raw_str(o->buf, n->v.s.p, n->v.s.len);
        return true;
    case N_WHEN: return enc_kids(c, o, n, AERO_EXP_OP_COND);
    case N_UNKNOWN:
        arr(o, 1);
        num(o, AERO_EXP_OP_UNKNOWN);
        return true;
    default: return ael__error(c, n->line, n->col, "internal: cannot encode node kind %d", n->kind);
    }
}

bool ael__encode(ael_ctx *c, ael_out *o) {
    if (!enc(c, o, c->root))
        return false;
    if (o->buf->failed)
        return ael__oom(c);
    return true;
}
