/*
 * ael/ael_cdt_path.c - aero_ael_parse_ctx() (ael.md 2.11): an AEL path such
 * as "$.m.k[0]" parsed with the AEL parser and turned into a bin name and a
 * CDT context ([ctx type, value, ...]) for the CDT operation builders.
 */
#include <aero/ael.h>

#include <stdlib.h>
#include <string.h>

#include "ael/ael_ast.h"
#include "internal.h"
#include "proto/cdt_ops.h"
#include "proto/msgpack.h"
#include "proto/wire.h"

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
