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
/* How the server computes a selection, which decides the order of its answer. */
enum {
    CDT_FAM_INDEX, /* an index range [start, start + count) (by index, index range, key relative index range) */
    CDT_FAM_RANK,  /* a rank range (by rank, rank range, value relative rank range) */
    CDT_FAM_VALUE, /* elements equal to a value or in a value interval; start: how many values are smaller */
    CDT_FAM_KEY1,  /* one map key: at index start when count is 1 */
    CDT_FAM_KEY,   /* a map key interval; start: how many keys are smaller */
    CDT_FAM_VLIST, /* a value list */
    CDT_FAM_KLIST, /* a map key list */
};

/** A read op's selection, before its answer is written (cdt_select, cdt_emit_sel, cdt_sel_free). */
typedef struct cdt_sel {
    int64_t rt;  /* return type, with the INVERTED flag */
    bool single; /* the op answers one element */
    int fam;     /* CDT_FAM_* */
    uint32_t start, count;
    bool *sel;                                  /* [n] VALUE, KEY, lists: elements matched (not inverted) */
    uint32_t n_items;                           /* VLIST, KLIST: items given */
    uint32_t *item_at, *item_cnt, *item_sorted; /* per item: smaller elements, equal ones; items in value order */
    bool *item_last;                            /* per item: the last given of equal items */
    bool *rm; /* after cdt_emit_sel: the elements answered (a remove_by removes them) */
} cdt_sel;

/**
 * Select elements for a read op code (list GET..GET_BY_VALUE_REL_RANK_RANGE,
 * map GET_BY_KEY..GET_BY_VALUE_REL_RANK_RANGE) with its arguments
 * a[0..na) (return type first) into *s (cdt_sel_free it whatever the
 * result). 26 for an out-of-range single index or rank, and for an
 * inverted single-result op.
 */
int cdt_select(const coll *c, int64_t opc, const span *a, int na, cdt_sel *s);
/**
 * Write the answer to s as server 8.1 does (its order of indexes, ranks and
 * elements, its COUNT / EXISTS of inverted ranges, the [start, count] range
 * return types) and set s->rm. 26 for a return type the collection or the
 * op has not.
 */
int cdt_emit_sel(const coll *c, cdt_sel *s, aero_buf *out);
void cdt_sel_free(cdt_sel *s);
/**
 * Element selected by one context item (type AERO_CDT_CTX_LIST_INDEX /
 * _RANK / _VALUE or AERO_CDT_CTX_MAP_INDEX / _RANK / _KEY / _VALUE; create
 * flags ignored): its index in c, or minus a result code.
 */
int cdt_find(const coll *c, int type, const span *v);
#endif
