/*
 * ael/ael_template.c - what compiled AEL is at run time: the aero_expr object
 * (the server's expression bytes), the compiled template of the typed compile,
 * and aero_ael_template_fill(), which generated code calls to splice
 * placeholder values into a template's constant bytes. Packing one
 * placeholder value is shared with the encoder's values mode.
 */
#include <aero/ael.h>

#include <stdlib.h>
#include <string.h>

#include "ael/ael_ast.h"
#include "ael/ael_typed.h"
#include "internal.h"
#include "proto/msgpack.h"
#include "proto/wire.h"

/* ---- the expression object ---- */

struct aero_expr {
    size_t len;
    uint8_t bytes[];
};

AERO_API aero_expr *aero_expr_from_bytes(const uint8_t *bytes, size_t len, aero_error *err) {
    if (!bytes && len) {
        aero_err__set(err, AERO_ERR_PARAM, "expression bytes are NULL (length %zu)", len);
        return NULL;
    }
    aero_expr *e = malloc(sizeof *e + (len ? len : 1));
    if (!e) {
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for an expression of %zu bytes", len);
        return NULL;
    }
    e->len = len;
    if (len)
        memcpy(e->bytes, bytes, len);
    return e;
}

AERO_API const uint8_t *aero_expr_bytes(const aero_expr *expr, size_t *len) {
    if (!expr) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = expr->len;
    return expr->bytes;
}

AERO_API void aero_expr_free(aero_expr *expr) { free(expr); }

/* ---- templates ---- */

void aero_ael__template_free(aero_ael_template *t) {
    if (!t)
        return;
    free(t->bytes);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

/* Pack one placeholder value for a slot of type `type`. */
aero_status ael__pack_slot(aero_buf *b, uint8_t type, const aero_value *v, uint16_t idx, aero_error *err) {
    bool ok;
    switch (type) {
    case AERO_AEL_INT: ok = v->type == AERO_INT; break;
    case AERO_AEL_FLOAT: ok = v->type == AERO_DOUBLE || v->type == AERO_INT; break;
    case AERO_AEL_STRING: ok = v->type == AERO_STR; break;
    case AERO_AEL_BOOL: ok = v->type == AERO_BOOL; break;
    case AERO_AEL_BLOB: ok = v->type == AERO_BLOB; break;
    case AERO_AEL_GEO: ok = v->type == AERO_GEOJSON || v->type == AERO_STR; break;
    case AERO_AEL_LIST: ok = v->type == AERO_LIST; break;
    case AERO_AEL_MAP: ok = v->type == AERO_MAP; break;
    case AERO_AEL_HLL: ok = v->type == AERO_HLL; break;
    case AERO_AEL_NIL: ok = v->type == AERO_NIL; break;
    default: return aero_err__set(err, AERO_ERR_PARAM, "placeholder ?%u: invalid slot type %u", idx, type);
    }
    if (!ok)
        return aero_err__set(err, AERO_ERR_PARAM, "placeholder ?%u expects %s, got %s", idx,
                             aero_ael__type_name((aero_ael_type)type), aero_type_str(v->type));
    if (type == AERO_AEL_FLOAT && v->type == AERO_INT) {
        aero_mp__pack_double(b, (double)v->v.i);
        return AERO_OK;
    }
    if (type == AERO_AEL_GEO) {
        aero_mp__pack_particle_str(b, AERO_PT_GEOJSON, v->v.str.ptr, v->v.str.len);
        return AERO_OK;
    }
    aero_status st = aero_mp__pack_value(b, v);
    if (st != AERO_OK)
        return aero_err__set(err, st, "placeholder ?%u: value cannot be encoded", idx);
    return AERO_OK;
}

AERO_API aero_expr *aero_ael_template_fill(const uint8_t *bytes, size_t len, const aero_ael_slot *slots, size_t n_slots,
                                           const aero_value *args, size_t n_args, aero_error *err) {
    uint8_t stack[512];
    aero_buf b;
    aero_buf__init(&b, stack, sizeof stack);
    size_t at = 0;
    aero_expr *e = NULL;
    if (!bytes && len) {
        aero_err__set(err, AERO_ERR_PARAM, "template bytes are NULL");
        goto out;
    }
    for (size_t i = 0; i < n_slots; i++) {
        const aero_ael_slot *s = &slots[i];
        if (s->offset < at || s->offset > len) {
            aero_err__set(err, AERO_ERR_PARAM, "template slot %zu has a bad offset", i);
            goto out;
        }
        if (s->param >= n_args || !args) {
            aero_err__set(err, AERO_ERR_PARAM, "Missing value for placeholder ?%u", s->param);
            goto out;
        }
        if (s->offset > at)
            aero_buf__put(&b, bytes + at, s->offset - at);
        at = s->offset;
        if (ael__pack_slot(&b, s->type, &args[s->param], s->param, err) != AERO_OK)
            goto out;
    }
    if (len > at)
        aero_buf__put(&b, bytes + at, len - at);
    if (b.failed || !(e = aero_expr_from_bytes(b.data, b.len, NULL))) {
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory filling an expression template");
        goto out;
    }
    if (err)
        aero_err__reset(err);
out:
    aero_buf__free(&b);
    return e;
}
