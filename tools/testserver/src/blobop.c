/*
 * blobop.c - bit and HLL ops of an operate command applied to a record.
 */
#include "blobop.h"

#include <stdlib.h>

#include "bits.h"
#include "hll.h"
#include "proto/wire.h"

#include <aero/error.h>

int ts_blob_read_op(const ts_op *o, const ts_record *r, ts_particle *res) {
    *res = (ts_particle){ 0 };
    const ts_bin *b = ts_record_bin((ts_record *)r, o->name, o->name_len);
    if (!b)
        return 0;
    ts_particle p = { b->ptype, b->data, b->len };
    if (o->op == AERO_MSG_OP_BIT_READ)
        return ts_bits_read(o->value, o->value_len, &p, res);
    return ts_hll_read(o->value, o->value_len, &p, res);
}

int ts_blob_modify_op(const ts_op *o, ts_record *w, ts_particle *res) {
    *res = (ts_particle){ 0 };
    if (o->name_len == 0)
        return AERO_ERR_BIN_NAME;
    const ts_bin *b = ts_record_bin(w, o->name, o->name_len);
    ts_particle p = { b ? b->ptype : 0, b ? b->data : NULL, b ? b->len : 0 }, out;
    int rc = o->op == AERO_MSG_OP_BIT_MODIFY
                 ? ts_bits_modify(o->value, o->value_len, b ? &p : NULL, TS_BLOB_MAX_BIN, &out)
                 : ts_hll_modify(o->value, o->value_len, b ? &p : NULL, &out, res);
    if (rc)
        return rc;
    if (out.ptype != 0 && !ts_record_set_bin(w, o->name, o->name_len, out.ptype, out.data, out.len))
        rc = AERO_ERR_SERVER;
    free(out.data);
    return rc;
}
