/*
 * cdt_int.h - internals shared by cdt.c (reads) and cdt_modify.c (writes):
 * a collection split into element spans, element selection by index, rank,
 * key or value, and result formatting by return type.
 */
#ifndef AERO_TS_CDT_INT_H
#define AERO_TS_CDT_INT_H

#include "cdt.h"
#include "mp.h"
#include "proto/cdt_ops.h"

typedef struct span {
    const uint8_t *p;
    size_t n;
} span;

typedef struct coll {
    bool is_map;
    bool has_ext;  /* ordered collection header present */
    uint8_t flags; /* its AERO_CDT_ORDER_* flags */
    uint32_t n;
    span *k;           /* keys (maps), in key order */
    span *v;           /* values (maps: in key order; lists: in list order) */
    uint32_t *by_rank; /* element indices sorted by value */
    uint32_t *rank;    /* rank of each element (inverse of by_rank) */
    uint32_t *pos;     /* original position of each element */
} coll;

/** Parse a msgpack list or map. 0, 4 (malformed) or 12 (not a collection). */
int cdt_coll_parse(const uint8_t *p, size_t n, coll *c);
void cdt_coll_free(coll *c);
int cdt_cmpv(const span *a, const uint8_t *b, size_t bn);
bool cdt_as_int(const span *s, int64_t *v);
/**
 * Resolve an index range as the server does (the count unsigned, so a
 * negative one reaches the end; a negative index counts from the end) into
 * [*start, *end) over n elements. Without has_count the range reaches the end.
 */
void cdt_range(int64_t index, bool has_count, int64_t count, uint32_t n, uint32_t *start, uint32_t *end);
/** Read n op arguments as spans (at most max kept); -1 if malformed. */
int cdt_args(mp_reader *r, uint32_t n, span *a, int max);
/**
 * Select elements for a read op code (list GET..GET_BY_VALUE_REL_RANK_RANGE,
 * map GET_BY_KEY..GET_BY_VALUE_REL_RANK_RANGE) with its
 * arguments a[0..na) (return type first). Fills sel, the return type and
 * whether the op yields a single value, and (when the result is written in
 * rank order) the first rank selected, else -1. 26 for an out-of-range single index or rank, and for an
 * inverted single-result op.
 */
int cdt_select(const coll *c, int64_t opc, const span *a, int na, bool *sel, int64_t *rt, bool *single,
               int64_t *rank_start);
/**
 * Element selected by one context item (type AERO_CDT_CTX_LIST_INDEX /
 * _RANK / _VALUE or AERO_CDT_CTX_MAP_INDEX / _RANK / _KEY / _VALUE; create
 * flags ignored): its index in c, or minus a result code.
 */
int cdt_find(const coll *c, int type, const span *v);
/** Write the result of a selection for return type rt, in index order. 26 for a return type the collection has not. */
int cdt_emit(const coll *c, const bool *sel, int64_t rt, bool single, aero_buf *out);
/** cdt_emit, in rank order from rank_start when it is not -1 (see cdt_select). */
int cdt_emit_sel(const coll *c, const bool *sel, int64_t rt, bool single, int64_t rank_start, aero_buf *out);

#endif
