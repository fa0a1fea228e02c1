/*
 * ael/ael_infer.c - pushing a type down a tree (ael.md 2.9). Nodes whose type
 * the context has not decided yet stay DEFERRED while the checker and the
 * lowering compute types bottom-up; once the context decides (a comparison's
 * other side, a logic operator, float-only math, the top level), the type is
 * pushed into every deferred part below it.
 */
#include "ael/ael_ast.h"

void ael__resolve(ael_ctx *c, ael_node *n, uint8_t t) {
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
            ael__resolve(c, n->kids[i], nt);
        n->type = nt;
        return;
    }
    case N_LET:
        ael__resolve(c, n->kids[n->n - 1], t);
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
