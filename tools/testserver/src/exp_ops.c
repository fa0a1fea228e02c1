/*
 * exp_ops.c - expression operations: op 7 (EXP_READ) reads a
 * computed value under a result name, op 8 writes it into a bin with the
 * create-only / update-only / allow-delete / no-fail flags.
 */
#include <stdlib.h>

#include "ts.h"

#include "proto/exp_ops.h"

int ts_exp_op(const uint8_t *v, size_t len, const ts_record *r, const char *ns, bool modify, uint8_t *ptype,
              uint8_t **data, uint32_t *dlen) {
    (void)modify;
    int64_t flags;
    bool unknown;
    int rc = ts_exp_op_value(v, len, r, ns, &flags, ptype, data, dlen, &unknown);
    if (rc == 0 && unknown && !(flags & AERO_EXP_WRITE_EVAL_NO_FAIL))
        rc = AERO_ERR_OP_NOT_APPLICABLE;
    return rc;
}

int ts_exp_write_op(ts_record *w, const char *name, size_t name_len, const uint8_t *v, size_t len, const char *ns) {
    int64_t flags;
    bool unknown;
    uint8_t pt;
    uint8_t *d;
    uint32_t dl;
    int rc = ts_exp_op_value(v, len, w, ns, &flags, &pt, &d, &dl, &unknown);
    if (rc)
        return rc;
    if (unknown) {
        return (flags & AERO_EXP_WRITE_EVAL_NO_FAIL) ? 0 : AERO_ERR_OP_NOT_APPLICABLE;
    }
    bool exists = ts_record_bin(w, name, name_len) != NULL;
    if (((flags & AERO_EXP_WRITE_CREATE_ONLY) && exists) || ((flags & AERO_EXP_WRITE_UPDATE_ONLY) && !exists)) {
        free(d);
        if (flags & AERO_EXP_WRITE_POLICY_NO_FAIL)
            return 0;
        return (flags & AERO_EXP_WRITE_CREATE_ONLY) ? AERO_ERR_BIN_EXISTS : AERO_ERR_BIN_NOT_FOUND;
    }
    if (pt == AERO_PT_NULL) {
        free(d);
        if (!(flags & AERO_EXP_WRITE_ALLOW_DELETE))
            return (flags & AERO_EXP_WRITE_POLICY_NO_FAIL) ? 0 : AERO_ERR_OP_NOT_APPLICABLE;
        ts_record_remove_bin(w, name, name_len);
        return 0;
    }
    bool ok = ts_record_set_bin(w, name, name_len, pt, d, dl);
    free(d);
    return ok ? 0 : AERO_ERR_SERVER;
}
