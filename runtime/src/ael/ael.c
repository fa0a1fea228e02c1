/*
 * ael/ael.c - the compile driver: parse -> check -> encode, the public
 * aero_ael_compile(), the typed/template compile for aerogen and
 * aero_ael_template_fill().
 *
 * One arena per compile holds the whole tree, so every failure path frees
 * everything with one call. The output is encoded into a stack buffer and
 * copied once into the result.
 */
#include <aero/ael.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ael/ael_ast.h"
#include "ael/ael_typed.h"
#include "internal.h"
#include "proto/cdt_ops.h"
#include "proto/msgpack.h"
#include "proto/wire.h"

/* ---- context helpers (used by the parser, checker and encoder) ---- */

bool ael__error(ael_ctx *c, int line, int col, const char *fmt, ...) {
    if (c->failed)
        return false;
    c->failed = true;
    c->code = AERO_ERR_AEL;
    c->err_line = line;
    c->err_col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    return false;
}

bool ael__oom(ael_ctx *c) {
    if (!c->failed) {
        c->failed = true;
        c->code = AERO_ERR_NO_MEMORY;
        c->err_line = c->err_col = 0;
        snprintf(c->msg, sizeof c->msg, "out of memory");
    }
    return false;
}

void *ael__alloc(ael_ctx *c, size_t n) {
    void *p = aero_arena__alloc(c->arena, n);
    if (!p)
        ael__oom(c);
    return p;
}

ael_node *ael__node(ael_ctx *c, ael_kind kind, int line, int col) {
    ael_node *n = ael__alloc(c, sizeof *n);
    if (!n)
        return NULL;
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->type = AEL_T_DEFERRED;
    n->line = line;
    n->col = col;
    return n;
}

/* Children arrays grow by doubling inside the arena (capacity = next power of two). */
bool ael__add_kid(ael_ctx *c, ael_node *parent, ael_node *kid) {
    uint32_t n = parent->n;
    if (n == UINT32_MAX)
        return ael__oom(c);
    if ((n & (n - 1)) == 0 && (n == 0 || n >= 4)) {
        uint32_t cap = n == 0 ? 4 : n * 2;
        ael_node **k = ael__alloc(c, cap * sizeof *k);
        if (!k)
            return false;
        if (n)
            memcpy(k, parent->kids, n * sizeof *k);
        parent->kids = k;
    }
    parent->kids[parent->n++] = kid;
    return true;
}

const char *ael__type_upper(uint8_t t) {
    switch (t) {
    case AERO_AEL_NIL: return "NIL";
    case AERO_AEL_BOOL: return "BOOL";
    case AERO_AEL_INT: return "INT";
    case AERO_AEL_STRING: return "STRING";
    case AERO_AEL_LIST: return "LIST";
    case AERO_AEL_MAP: return "MAP";
    case AERO_AEL_BLOB: return "BLOB";
    case AERO_AEL_FLOAT: return "FLOAT";
    case AERO_AEL_GEO: return "GEO";
    case AERO_AEL_HLL: return "HLL";
    default: return "UNKNOWN";
    }
}

const char *aero_ael__type_name(aero_ael_type t) {
    switch (t) {
    case AERO_AEL_NIL: return "nil";
    case AERO_AEL_BOOL: return "bool";
    case AERO_AEL_INT: return "int";
    case AERO_AEL_STRING: return "string";
    case AERO_AEL_LIST: return "list";
    case AERO_AEL_MAP: return "map";
    case AERO_AEL_BLOB: return "blob";
    case AERO_AEL_FLOAT: return "float";
    case AERO_AEL_GEO: return "geo";
    case AERO_AEL_HLL: return "hll";
    default: return "any";
    }
}

static int b64_val(unsigned char ch) {
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

bool ael__b64_decode(ael_ctx *c, const char *s, size_t n, const char **out, size_t *out_len) {
    while (n && s[n - 1] == '=')
        n--;
    if (n % 4 == 1)
        return false;
    char *d = ael__alloc(c, n / 4 * 3 + 3);
    if (!d)
        return false;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_val((unsigned char)s[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            d[o++] = (char)((acc >> bits) & 0xff);
        }
    }
    *out = d;
    *out_len = o;
    return true;
}

/* ---- the expression object ---- */

struct aero_expr {
    size_t len;
    uint8_t bytes[];
};

AERO_API aero_expr *aero_expr_from_bytes(const uint8_t *bytes, size_t len) {
    if (!bytes && len)
        return NULL;
    aero_expr *e = malloc(sizeof *e + (len ? len : 1));
    if (!e)
        return NULL;
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

/* ---- compile core ---- */

void ael__ctx_init(ael_ctx *c, const char *text) {
    c->text = text;
    c->failed = false;
    c->code = AERO_OK;
    c->msg[0] = '\0';
    c->root = NULL;
    c->params = NULL;
    c->n_params = 0;
    c->values_mode = false;
    c->n_values = 0;
    c->max_param = -1;
    c->env = NULL;
    c->n_scope = 0;
    c->depth = 0;
    c->lline = c->lcol = 1;
    c->loff = 0;
}

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

void ael__ctx_to_error(const ael_ctx *c, aero_error *err) {
    if (c->code == AERO_ERR_NO_MEMORY)
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory compiling AEL");
    else
        aero_err__set(err, AERO_ERR_AEL, "%d:%d: %s", c->err_line, c->err_col, c->msg);
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
        else if (!(result = aero_expr_from_bytes(buf.data, buf.len)))
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
    if (param_types && n_params) {
        size_t np = n_params > 65536 ? 65536 : n_params;
        ael_param *ps = ael__alloc(&c, np * sizeof *ps);
        if (!ps)
            goto done;
        for (size_t i = 0; i < np; i++) {
            aero_ael_type t = param_types[i];
            ps[i].elem = AEL_T_DEFERRED;
            if (t == AERO_AEL_ANY) {
                ps[i].infer = AEL_T_DEFERRED;
                ps[i].enc = AERO_AEL_ANY;
            } else if ((unsigned)t <= AERO_AEL_HLL) {
                ps[i].infer = ps[i].enc = (uint8_t)t;
            } else {
                ael__error(&c, 1, 1, "placeholder ?%zu: invalid declared type %d", i, (int)t);
                goto done;
            }
        }
        c.params = ps;
        c.n_params = np;
    }
    if (!ael__compile_core(&c, &o))
        goto done;
    if (buf.failed || o.oom) {
        ael__oom(&c);
        goto done;
    }
    out->bytes = malloc(buf.len ? buf.len : 1);
    if (!out->bytes) {
        ael__oom(&c);
        goto done;
    }
    if (buf.len)
        memcpy(out->bytes, buf.data, buf.len);
    out->len = buf.len;
    out->slots = o.slots;
    out->n_slots = o.n_slots;
    o.slots = NULL;
    out->n_params = (uint16_t)(c.max_param + 1);
    out->result = (aero_ael_type)c.root->type;
done:
    aero_buf__free(&buf);
    free(o.slots);
    aero_arena__free(c.arena);
    if (c.failed) {
        free(out->bytes);
        memset(out, 0, sizeof *out);
        if (diag) {
            diag->line = c.err_line;
            diag->col = c.err_col;
            snprintf(diag->message, sizeof diag->message, "%s", c.msg);
        }
        return c.code;
    }
    if (diag) {
        diag->line = diag->col = 0;
        diag->message[0] = '\0';
    }
    return AERO_OK;
}

void aero_ael__template_free(aero_ael_template *t) {
    if (!t)
        return;
    free(t->bytes);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

/* ---- template fill (public: used by generated code) ---- */

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
    if (b.failed || !(e = aero_expr_from_bytes(b.data, b.len))) {
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory filling an expression template");
        goto out;
    }
    if (err)
        aero_err__reset(err);
out:
    aero_buf__free(&b);
    return e;
}

/* ---- parse_ctx (ael.md 2.11) ---- */

static uint8_t ctx_code(uint8_t kind) {
    switch (kind) {
    case P_LIST_INDEX: return AERO_CDT_CTX_LIST_INDEX;
    case P_LIST_RANK: return AERO_CDT_CTX_LIST_RANK;
    case P_LIST_VALUE: return AERO_CDT_CTX_LIST_VALUE;
    case P_MAP_INDEX: return AERO_CDT_CTX_MAP_INDEX;
    case P_MAP_RANK: return AERO_CDT_CTX_MAP_RANK;
    case P_MAP_KEY: return AERO_CDT_CTX_MAP_KEY;
    case P_MAP_VALUE: return AERO_CDT_CTX_MAP_VALUE;
    default: return 0;
    }
}

static void pack_part_value(aero_buf *b, const ael_node *n) {
    if (n->kind == N_INT)
        aero_mp__pack_int(b, n->v.i);
    else
        aero_mp__pack_particle_str(b, AERO_PT_STRING, n->v.s.p, n->v.s.len);
}

AERO_API aero_status aero_ael_parse_ctx(const char *path, char *bin, size_t bin_size, uint8_t **ctx, size_t *ctx_len,
                                        aero_error *err) {
    if (ctx)
        *ctx = NULL;
    if (ctx_len)
        *ctx_len = 0;
    if (!ctx || !ctx_len)
        return aero_err__set(err, AERO_ERR_PARAM, "ctx and ctx_len are required");
    if (!path || !*path)
        return aero_err__set(err, AERO_ERR_AEL, "1:1: Path must not be null or empty");
    ael_ctx c;
    ael__ctx_init(&c, path);
    c.arena = aero_arena__new();
    if (!c.arena)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory parsing a CDT path");
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    if (!ael__parse(&c))
        goto fail;
    const ael_node *r = c.root;
    if (r->kind != N_PATH) {
        ael__error(&c, r->line, r->col, "Unsupported input expression type 'EXPRESSION_CONTAINER', expected a path");
        goto fail;
    }
    const ael_path *p = r->v.path;
    if (p->fn != PF_NONE) {
        ael__error(&c, r->line, r->col, "Path function is unsupported, please provide only path to convert to CTX");
        goto fail;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->n_parts; i++) {
        uint8_t k = p->parts[i].kind;
        if (k == P_LIST_DESIG || k == P_MAP_DESIG)
            continue;
        if (!ctx_code(k) || p->parts[i].inverted) {
            ael__error(&c, p->parts[i].line, p->parts[i].col, "Unsupported CDT part type");
            goto fail;
        }
        n++;
    }
    if (n == 0) {
        ael__error(&c, r->line, r->col, "CDT context is not provided");
        goto fail;
    }
    aero_mp__pack_array_header(&b, n * 2);
    for (uint32_t i = 0; i < p->n_parts; i++) {
        const ael_part *pt = &p->parts[i];
        if (pt->kind == P_LIST_DESIG || pt->kind == P_MAP_DESIG)
            continue;
        aero_mp__pack_int(&b, ctx_code(pt->kind));
        pack_part_value(&b, pt->a);
    }
    if (b.failed || !(*ctx = malloc(b.len))) {
        ael__oom(&c);
        goto fail;
    }
    memcpy(*ctx, b.data, b.len);
    *ctx_len = b.len;
    if (bin && bin_size) {
        size_t l = p->bin_len < bin_size - 1 ? p->bin_len : bin_size - 1;
        memcpy(bin, p->bin, l);
        bin[l] = '\0';
    }
    aero_buf__free(&b);
    aero_arena__free(c.arena);
    if (err)
        aero_err__reset(err);
    return AERO_OK;
fail:
    ael__ctx_to_error(&c, err);
    aero_buf__free(&b);
    aero_arena__free(c.arena);
    return c.code;
}
