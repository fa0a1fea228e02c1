/*
 * ael/ael_ast.c - what the parser, the checker, the lowering and the encoder
 * share: the compile context (setup, first-error reporting), tree nodes in
 * the compile arena, type names, and the base64 decoding of BLOB literals.
 *
 * One arena per compile holds the whole tree, so every failure path frees
 * everything with one call.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ael/ael_ast.h"
#include "ael/ael_typed.h"
#include "internal.h"

/* ---- the compile context ---- */

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

void ael__ctx_to_error(const ael_ctx *c, aero_error *err) {
    if (c->code == AERO_ERR_NO_MEMORY)
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory compiling AEL");
    else
        aero_err__set(err, AERO_ERR_AEL, "%d:%d: %s", c->err_line, c->err_col, c->msg);
}

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

/* ---- tree nodes ---- */

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

/* ---- type names ---- */

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

/* ---- BLOB literals ---- */

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
