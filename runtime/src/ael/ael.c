/*
 * ael/ael.c - the compile driver: parse -> check -> encode, the public
 * aero_ael_compile() and the typed/template compile for aerogen, with the
 * placeholder types each of them sets up (from values, or declared).
 *
 * The output is encoded into a stack buffer and copied once into the result.
 */
#include <aero/ael.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ael/ael_ast.h"
#include "ael/ael_typed.h"
#include "internal.h"

/* Parse, check and encode into `o`. The caller owns c->arena. */
static bool ael__compile_core(ael_ctx *c, ael_out *o) {
    if (!c->text)
        return ael__error(c, 1, 1, "AEL text is NULL");
    if (!ael__parse(c))
        return false;
    if (!ael__check(c))
        return false;
    return ael__encode(c, o);
}

/* Map a run-time value to its placeholder inference (ael.md 2.8). */
static uint8_t value_elem_type(const aero_value *v) {
    switch (v->type) {
    case AERO_BOOL: return AERO_AEL_BOOL;
    case AERO_INT: return AERO_AEL_INT;
    case AERO_DOUBLE: return AERO_AEL_FLOAT;
    case AERO_STR: return AERO_AEL_STRING;
    case AERO_BLOB: return AERO_AEL_BLOB;
    case AERO_LIST: return AERO_AEL_LIST;
    case AERO_MAP: return AERO_AEL_MAP;
    case AERO_GEOJSON: return AERO_AEL_GEO;
    default: return AEL_T_ANY;
    }
}

static bool param_from_value(const aero_value *v, ael_param *p) {
    p->elem = AEL_T_DEFERRED;
    switch (v->type) {
    case AERO_BOOL: p->infer = p->enc = AERO_AEL_BOOL; return true;
    case AERO_INT: p->infer = p->enc = AERO_AEL_INT; return true;
    case AERO_DOUBLE: p->infer = p->enc = AERO_AEL_FLOAT; return true;
    case AERO_STR: p->infer = p->enc = AERO_AEL_STRING; return true;
    case AERO_GEOJSON: p->infer = p->enc = AERO_AEL_GEO; return true;
    case AERO_BLOB:
        p->infer = AEL_T_ANY;
        p->enc = AERO_AEL_BLOB;
        return true;
    case AERO_HLL:
        p->infer = AEL_T_ANY;
        p->enc = AERO_AEL_HLL;
        return true;
    case AERO_MAP:
        p->infer = AEL_T_ANY;
        p->enc = AERO_AEL_MAP;
        return true;
    case AERO_NIL:
        p->infer = AEL_T_ANY;
        p->enc = AERO_AEL_NIL;
        return true;
    case AERO_LIST:
        p->infer = p->enc = AERO_AEL_LIST;
        if (v->v.list.count > 0) {
            uint8_t t = value_elem_type(&v->v.list.items[0]);
            for (uint32_t i = 1; i < v->v.list.count; i++)
                if (value_elem_type(&v->v.list.items[i]) != t)
                    return true;
            p->elem = t;
        }
        return true;
    default: return false;
    }
}

/* Placeholder values of aero_ael_compile(): types from the values (ael.md 2.8). */
bool ael__setup_values(ael_ctx *c, const aero_value *args, size_t n_args) {
    c->values_mode = true;
    c->n_values = (args || n_args == 0) ? n_args : 0;
    if (n_args > 0 && args) {
        size_t np = n_args > 65536 ? 65536 : n_args;
        ael_param *ps = ael__alloc(c, np * sizeof *ps);
        if (!ps)
            return false;
        for (size_t i = 0; i < np; i++)
            if (!param_from_value(&args[i], &ps[i]))
                return ael__error(c, 1, 1, "placeholder ?%zu: unsupported value type %s", i,
                                  aero_type_str(args[i].type));
        c->params = ps;
        c->n_params = np;
    }
    return true;
}

AERO_API aero_expr *aero_ael_compile(const char *text, const aero_value *args, size_t n_args, aero_error *err) {
    ael_ctx c;
    ael__ctx_init(&c, text);
    c.arena = aero_arena__new();
    if (!c.arena) {
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory compiling AEL");
        return NULL;
    }
    aero_expr *result = NULL;
    uint8_t stack[512];
    aero_buf buf;
    aero_buf__init(&buf, stack, sizeof stack);
    ael_out o = { .buf = &buf, .values = args, .n_values = n_args };

    if (!ael__setup_values(&c, args, n_args))
        goto done;
    if (ael__compile_core(&c, &o)) {
        if (buf.failed || o.oom)
            ael__oom(&c);
        else if (!(result = aero_expr_from_bytes(buf.data, buf.len, NULL)))
            ael__oom(&c);
    }
done:
    if (!result)
        ael__ctx_to_error(&c, err);
    else if (err)
        aero_err__reset(err);
    aero_buf__free(&buf);
    free(o.slots);
    aero_arena__free(c.arena);
    return result;
}

bool ael__template_of(ael_ctx *c, ael_out *o, aero_ael_template *out) {
    if (o->buf->failed || o->oom || !(out->bytes = malloc(o->buf->len ? o->buf->len : 1)))
        return ael__oom(c);
    if (o->buf->len)
        memcpy(out->bytes, o->buf->data, o->buf->len);
    out->len = o->buf->len;
    out->slots = o->slots;
    out->n_slots = o->n_slots;
    o->slots = NULL;
    out->n_params = (uint16_t)(c->max_param + 1);
    out->result = (aero_ael_type)c->root->type;
    return true;
}

bool ael__setup_param_types(ael_ctx *c, const aero_ael_type *param_types, size_t n_params) {
    if (!param_types || !n_params)
        return true;
    size_t np = n_params > 65536 ? 65536 : n_params;
    ael_param *ps = ael__alloc(c, np * sizeof *ps);
    if (!ps)
        return false;
    for (size_t i = 0; i < np; i++) {
        aero_ael_type t = param_types[i];
        ps[i].elem = AEL_T_DEFERRED;
        if (t == AERO_AEL_ANY) {
            ps[i].infer = AEL_T_DEFERRED;
            ps[i].enc = AERO_AEL_ANY;
        } else if ((unsigned)t <= AERO_AEL_HLL) {
            ps[i].infer = ps[i].enc = (uint8_t)t;
        } else {
            return ael__error(c, 1, 1, "placeholder ?%zu: invalid declared type %d", i, (int)t);
        }
    }
    c->params = ps;
    c->n_params = np;
    return true;
}

void ael__ctx_to_diag(const ael_ctx *c, aero_ael_diag *diag) {
    if (!diag)
        return;
    if (c->failed) {
        diag->line = c->err_line;
        diag->col = c->err_col;
        snprintf(diag->message, sizeof diag->message, "%s", c->msg);
    } else {
        diag->line = diag->col = 0;
        diag->message[0] = '\0';
    }
}

aero_status aero_ael__compile_typed(const char *text, const aero_ael_env *env, const aero_ael_type *param_types,
                                    size_t n_params, aero_ael_template *out, aero_ael_diag *diag) {
    ael_ctx c;
    ael__ctx_init(&c, text);
    memset(out, 0, sizeof *out);
    c.env = env;
    c.arena = aero_arena__new();
    aero_buf buf;
    aero_buf__init(&buf, NULL, 0);
    ael_out o = { .buf = &buf };
    if (!c.arena) {
        ael__oom(&c);
        goto done;
    }
    if (!ael__setup_param_types(&c, param_types, n_params))
        goto done;
    if (!ael__compile_core(&c, &o))
        goto done;
    ael__template_of(&c, &o, out);
done:
    aero_buf__free(&buf);
    free(o.slots);
    aero_arena__free(c.arena);
    if (c.failed) {
        free(out->bytes);
        memset(out, 0, sizeof *out);
        ael__ctx_to_diag(&c, diag);
        return c.code;
    }
    ael__ctx_to_diag(&c, diag);
    return AERO_OK;
}
