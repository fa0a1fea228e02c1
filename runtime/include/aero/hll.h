/*
 * aero/hll.h - HyperLogLog operations as values (see aero/op.h).
 *
 * An HLL bin estimates how many distinct elements were added to it. Its
 * shape is 2^index_bits registers (index_bits 4..16: more bits, better
 * estimates, more bytes) with optionally minhash_bits (0 or 4..51, and
 * index_bits + minhash_bits <= 64) that make intersection and similarity
 * estimates usable. Attach the ops with aero_write_op (modify and read ops)
 * or aero_query_op (read ops only). The ops take no context path: `at` names
 * the bin (AERO_BIN("visitors")); a path with context steps is refused
 * (AERO_ERR_PARAM at execute), as the server applies HLL ops to a whole bin.
 *
 *   aero_value who[] = { aero_str("ann"), aero_str("bob") };
 *   aero_write_op(w, aero_hll_add(AERO_BIN("visitors"), aero_list(who, 2), 12, 0, NULL));
 *   aero_write_op(w, aero_hll_get_count(AERO_BIN("visitors")));
 *
 * Results (record bin values, in op order): add -> int (registers changed),
 * refresh_count / get_count / get_union_count / get_intersect_count -> int,
 * get_similarity -> double, get_union -> HLL, describe -> list
 * [index_bits, minhash_bits], may_contain -> int (1 when every element may
 * have been added), init / set_union / fold -> nothing.
 *
 * Errors: a constructor given bad input (bit counts out of range, a value
 * that is not a list, NULL values) returns an op that makes execute fail with
 * AERO_ERR_PARAM before anything is sent. The server answers
 * AERO_ERR_BIN_EXISTS (create-only), AERO_ERR_BIN_NOT_FOUND (update-only,
 * refresh / fold of a missing bin), AERO_ERR_BIN_INCOMPATIBLE_TYPE (not an
 * HLL bin) and AERO_ERR_OP_NOT_APPLICABLE (a shape the op cannot produce,
 * e.g. creating without index bits or a union that would lose index bits
 * without AERO_HLL_FLAG_ALLOW_FOLD).
 *
 * Ownership: values are borrowed; what they point to must live until the op
 * is attached.
 */
#ifndef AERO_HLL_H
#define AERO_HLL_H

#include <aero/op.h>

#ifdef __cplusplus
extern "C" {
#endif

/** aero_hll_policy.flags, OR'ed (create-only and update-only exclude each other). */
enum aero_hll_flags {
    AERO_HLL_FLAG_DEFAULT = 0,
    AERO_HLL_FLAG_CREATE_ONLY = 1, /**< fail with AERO_ERR_BIN_EXISTS when the bin exists */
    AERO_HLL_FLAG_UPDATE_ONLY = 2, /**< fail with AERO_ERR_BIN_NOT_FOUND when it does not */
    AERO_HLL_FLAG_NO_FAIL = 4,     /**< a refused op succeeds and changes nothing */
    AERO_HLL_FLAG_ALLOW_FOLD = 8,  /**< set_union may reduce the bin's bits to the union's */
};

/** Write policy of the HLL modify ops; NULL = flags 0. */
typedef struct aero_hll_policy {
    uint8_t flags; /**< aero_hll_flags */
} aero_hll_policy;

/** An HLL value (bytes as a get_union or a read of an HLL bin returned them), borrowed. */
static inline aero_value aero_hll_value(const void *p, size_t len) {
    aero_value x = aero_blob(p, len);
    x.type = AERO_HLL;
    return x;
}

/** Use the bin's current bit count (index_bits / minhash_bits arguments). */
#define AERO_HLL_KEEP (-1)

/** Create or reset the bin as an empty HLL. AERO_HLL_KEEP keeps the existing bin's count. */
AERO_API aero_op aero_hll_init(const aero_path *at, int index_bits, int minhash_bits, const aero_hll_policy *pol);
/** Add the elements of `list` (a non-empty list of scalars); creates the bin with the given bits
 *  (index_bits required then); an existing bin keeps its own. */
AERO_API aero_op aero_hll_add(const aero_path *at, aero_value list, int index_bits, int minhash_bits,
                              const aero_hll_policy *pol);
/** Merge the HLL values of `hlls` (a non-empty list of AERO_HLL values) into the bin. */
AERO_API aero_op aero_hll_set_union(const aero_path *at, aero_value hlls, const aero_hll_policy *pol);
/** Compute and cache the count; returns it. */
AERO_API aero_op aero_hll_refresh_count(const aero_path *at);
/** Reduce the index bits of a bin without minhash bits to `index_bits`. */
AERO_API aero_op aero_hll_fold(const aero_path *at, int index_bits);

/** The estimated count. */
AERO_API aero_op aero_hll_get_count(const aero_path *at);
/** The union of the bin and `hlls` (list of AERO_HLL values), as an HLL. */
AERO_API aero_op aero_hll_get_union(const aero_path *at, aero_value hlls);
/** The estimated count of that union. */
AERO_API aero_op aero_hll_get_union_count(const aero_path *at, aero_value hlls);
/** The estimated count of the intersection of the bin and `hlls`. */
AERO_API aero_op aero_hll_get_intersect_count(const aero_path *at, aero_value hlls);
/** The estimated Jaccard similarity of the bin and `hlls`. */
AERO_API aero_op aero_hll_get_similarity(const aero_path *at, aero_value hlls);
/** [index_bits, minhash_bits]. */
AERO_API aero_op aero_hll_describe(const aero_path *at);
/** 1 when every element of `list` may have been added, else 0. */
AERO_API aero_op aero_hll_may_contain(const aero_path *at, aero_value list);

#ifdef __cplusplus
}
#endif
#endif
