/*
 * op_hll.c - the HLL operation constructors (aero/hll.h).
 *
 * Arguments go in wire order as server 8.1 and the official client lay them
 * out: init [index_bits, minhash_bits, flags], add [list, index_bits,
 * minhash_bits, flags], set_union [list, flags], fold [index_bits], reads
 * [] or [list]. The bit counts are checked here with the server's rules so
 * a bad shape fails at execute, before anything is sent.
 */
#include <aero/hll.h>

#include <string.h>

#include "op_internal.h"
#include "proto/hll_ops.h"
#include "proto/wire.h"

static aero_op hll_op(const aero_path *at, bool modify, int code) {
    aero_op o = aero_op__new(at, modify ? AERO_MSG_OP_HLL_MODIFY : AERO_MSG_OP_HLL_READ, code);
    if (at && at->n)
        aero_op__bad(&o, "HLL operations apply to a whole bin: server 8.1 takes no context steps for them");
    return o;
}

static void check_bits(aero_op *o, int index_bits, int minhash_bits) {
    if (index_bits != AERO_HLL_KEEP && (index_bits < 4 || index_bits > 16))
        aero_op__bad(o, "hll index_bits must be 4..16 (or AERO_HLL_KEEP)");
    if (minhash_bits != AERO_HLL_KEEP && minhash_bits != 0 && (minhash_bits < 4 || minhash_bits > 51))
        aero_op__bad(o, "hll minhash_bits must be 0 or 4..51 (or AERO_HLL_KEEP)");
    if (index_bits != AERO_HLL_KEEP && minhash_bits != AERO_HLL_KEEP && index_bits + minhash_bits > 64)
        aero_op__bad(o, "hll index_bits + minhash_bits must be at most 64");
}

static void put_flags(aero_op *o, const aero_hll_policy *pol, unsigned allowed) {
    unsigned f = pol ? pol->flags : 0;
    if (f & ~allowed)
        aero_op__bad(o, "hll policy flag the operation does not take");
    if ((f & AERO_HLL_FLAG_CREATE_ONLY) && (f & AERO_HLL_FLAG_UPDATE_ONLY))
        aero_op__bad(o, "hll create-only and update-only exclude each other");
    aero_op__put(o, aero_int((int64_t)f));
}

/* A non-empty list of scalars (add, may_contain) or of HLL values (union ops). */
static void put_list(aero_op *o, aero_value list, bool hlls) {
    if (list.type != AERO_LIST || list.v.list.count == 0) {
        aero_op__bad(o, hlls ? "hll values must be a non-empty list of HLLs" : "hll elements must be a non-empty list");
    } else if (!list.v.list.items) {
        aero_op__bad(o, "a list value's items are NULL");
    } else {
        for (uint32_t i = 0; i < list.v.list.count; i++) {
            aero_type t = list.v.list.items[i].type;
            if (hlls ? t != AERO_HLL : (t == AERO_LIST || t == AERO_MAP)) {
                aero_op__bad(o, hlls ? "hll values must be AERO_HLL values" : "hll elements cannot be lists or maps");
                break;
            }
        }
    }
    aero_op__put(o, list);
}

aero_op aero_hll_init(const aero_path *at, int index_bits, int minhash_bits, const aero_hll_policy *pol) {
    aero_op o = hll_op(at, true, AERO_HLL_OP_INIT);
    check_bits(&o, index_bits, minhash_bits);
    aero_op__put(&o, aero_int(index_bits));
    aero_op__put(&o, aero_int(minhash_bits));
    put_flags(&o, pol, AERO_HLL_FLAG_CREATE_ONLY | AERO_HLL_FLAG_UPDATE_ONLY | AERO_HLL_FLAG_NO_FAIL);
    return o;
}

aero_op aero_hll_add(const aero_path *at, aero_value list, int index_bits, int minhash_bits,
                     const aero_hll_policy *pol) {
    aero_op o = hll_op(at, true, AERO_HLL_OP_ADD);
    put_list(&o, list, false);
    check_bits(&o, index_bits, minhash_bits);
    aero_op__put(&o, aero_int(index_bits));
    aero_op__put(&o, aero_int(minhash_bits));
    put_flags(&o, pol, AERO_HLL_FLAG_CREATE_ONLY | AERO_HLL_FLAG_NO_FAIL);
    return o;
}

aero_op aero_hll_set_union(const aero_path *at, aero_value hlls, const aero_hll_policy *pol) {
    aero_op o = hll_op(at, true, AERO_HLL_OP_SET_UNION);
    put_list(&o, hlls, true);
    put_flags(&o, pol,
              AERO_HLL_FLAG_CREATE_ONLY | AERO_HLL_FLAG_UPDATE_ONLY | AERO_HLL_FLAG_NO_FAIL | AERO_HLL_FLAG_ALLOW_FOLD);
    return o;
}

aero_op aero_hll_refresh_count(const aero_path *at) { return hll_op(at, true, AERO_HLL_OP_REFRESH_COUNT); }

aero_op aero_hll_fold(const aero_path *at, int index_bits) {
    aero_op o = hll_op(at, true, AERO_HLL_OP_FOLD);
    if (index_bits < 4 || index_bits > 16)
        aero_op__bad(&o, "hll index_bits must be 4..16");
    aero_op__put(&o, aero_int(index_bits));
    return o;
}

aero_op aero_hll_get_count(const aero_path *at) { return hll_op(at, false, AERO_HLL_OP_COUNT); }

static aero_op read_list(const aero_path *at, int code, aero_value list, bool hlls) {
    aero_op o = hll_op(at, false, code);
    put_list(&o, list, hlls);
    return o;
}

aero_op aero_hll_get_union(const aero_path *at, aero_value hlls) {
    return read_list(at, AERO_HLL_OP_UNION, hlls, true);
}

aero_op aero_hll_get_union_count(const aero_path *at, aero_value hlls) {
    return read_list(at, AERO_HLL_OP_UNION_COUNT, hlls, true);
}

aero_op aero_hll_get_intersect_count(const aero_path *at, aero_value hlls) {
    return read_list(at, AERO_HLL_OP_INTERSECT_COUNT, hlls, true);
}

aero_op aero_hll_get_similarity(const aero_path *at, aero_value hlls) {
    return read_list(at, AERO_HLL_OP_SIMILARITY, hlls, true);
}

aero_op aero_hll_describe(const aero_path *at) { return hll_op(at, false, AERO_HLL_OP_DESCRIBE); }

aero_op aero_hll_may_contain(const aero_path *at, aero_value list) {
    return read_list(at, AERO_HLL_OP_MAY_CONTAIN, list, false);
}
