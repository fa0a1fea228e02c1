/*
 * ael/ael_index.h - INTERNAL: choose a secondary-index filter for an AEL
 * `where` (ael.md 2.12, the SDK's parse_ael_with_index / filter_gen).
 *
 * Given the indexes of the namespace/set being queried, the compiler picks at
 * most one comparison that an index can answer (EQ/GT/GE/LT/LE of a bin with
 * a constant, or of `bin (+|-|*|/) int` with an int, reachable through AND
 * only), turns it into an index filter, and returns the rest of the
 * expression (the remaining AND parts flattened) as the filter expression.
 * The candidate with the highest bin_values_ratio wins; ties go to the
 * alphabetically first bin. If anything in the expression is not such a
 * comparison (functions, `in`, map parts, path functions, bin-vs-bin, ...)
 * no index is used and the whole expression is returned.
 *
 *     aero_ael_index idx[] = {{"age_idx", "age", AERO_AEL_INT, NULL, 0, 1}};
 *     aero_ael_filter f;
 *     aero_expr *rest;
 *     if (aero_ael__compile_with_index("$.age > 21 and $.x == 1", NULL, 0, idx, 1, NULL, NULL,
 *                                      &f, &rest, &err) == AERO_OK) {
 *         // f.set: range(age, 22, INT64_MAX); rest: $.x == 1 (or NULL)
 *         aero_ael__filter_free(&f);
 *         aero_expr_free(rest);
 *     }
 *
 * Deviations from the SDK, all on the side of correctness (the chosen leaf
 * leaves the expression, so its filter must be exact):
 *   - a float constant never uses a numeric index (the SDK truncates it);
 *   - `bin / c` and `c / bin` are not solved (the server's division
 *     truncates); `bin * c == k` needs an exact quotient;
 *   - map parts and path functions never qualify (the SDK ignores them);
 *   - a value selector inside a path (`$.l.[=5].[#10]`) is rejected by the
 *     expression compiler, so it cannot produce an index filter either.
 */
#ifndef AERO_AEL_INDEX_H
#define AERO_AEL_INDEX_H

#include <aero/ael.h>

/** A secondary index of the queried namespace (already filtered by set). */
typedef struct aero_ael_index {
    const char *name;   /**< index name */
    const char *bin;    /**< indexed bin */
    aero_ael_type type; /**< AERO_AEL_INT (NUMERIC), AERO_AEL_STRING or AERO_AEL_BLOB */
    const uint8_t *ctx; /**< packed CDT context (as aero_ael_parse_ctx makes), NULL if none */
    size_t ctx_len;
    int64_t ratio; /**< bin_values_ratio (entries_per_bval), -1 when unknown */
} aero_ael_index;

/** The chosen index filter. Owns value and ctx. */
typedef struct aero_ael_filter {
    bool set; /**< false: no index is used */
    char bin[AERO_BIN_NAME_MAX + 1];
    const char *index_name; /**< the hint when one was given (borrowed), else the index's name (borrowed) */
    bool by_index_name;     /**< a hint index name was given: use it instead of the bin */
    aero_ael_type type;     /**< AERO_AEL_INT: [begin, end]; STRING/BLOB: equal to value */
    bool equal;             /**< EQ (for INT begin == end) */
    int64_t begin, end;
    uint8_t *value; /**< STRING / BLOB bytes (malloc'd, not NUL-terminated) */
    size_t value_len;
    uint8_t *ctx; /**< packed CDT context of the filter, NULL if none */
    size_t ctx_len;
    /* typed compile only (aero_ael__compile_typed_with_index): */
    bool from_param; /**< the compared constant is placeholder ?param: the value comes at run time */
    uint16_t param;
    uint8_t op; /**< AERO_EXP_OP_EQ/GT/GE/LT/LE, the bin on the left (from_param only) */
} aero_ael_filter;

/**
 * Compile `text` (placeholders from args as aero_ael_compile) and choose an
 * index filter among `indexes`. `hint_index` restricts the choice to that
 * index name and marks the filter by_index_name; `hint_bin` substitutes the
 * filter's bin name. On AERO_OK, *filter is filled (filter->set may be false)
 * and *rest is the remaining expression or NULL when nothing remains.
 * Errors as aero_ael_compile.
 */
aero_status aero_ael__compile_with_index(const char *text, const aero_value *args, size_t n_args,
                                         const aero_ael_index *indexes, size_t n_indexes, const char *hint_index,
                                         const char *hint_bin, aero_ael_filter *filter, aero_expr **rest,
                                         aero_error *err);

struct aero_ael_env;
struct aero_ael_template;
struct aero_ael_diag;

/**
 * The same choice at generate time (aerogen's named queries): `text` is
 * compiled as aero_ael__compile_typed() does (bin environment, declared
 * placeholder types) and the rest comes back as a template (*rest, len 0
 * when nothing remains; free with aero_ael__template_free). A placeholder
 * may be the chosen comparison's constant when it is compared with the bare
 * bin (no arithmetic): filter->from_param, param and op say which and how,
 * and begin/end/value are placeholders' zero values to ignore. Errors as
 * aero_ael__compile_typed() (diag may be NULL).
 */
aero_status aero_ael__compile_typed_with_index(const char *text, const struct aero_ael_env *env,
                                               const aero_ael_type *param_types, size_t n_params,
                                               const aero_ael_index *indexes, size_t n_indexes,
                                               aero_ael_filter *filter, struct aero_ael_template *rest,
                                               struct aero_ael_diag *diag);

/** Free what a filter owns and zero it. */
void aero_ael__filter_free(aero_ael_filter *f);

#endif
