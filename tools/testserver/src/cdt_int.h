/*
 * cdt_int.h - internals shared by cdt.c (reads) and cdt_modify.c (writes):
 * a collection split into element spans, element selection by index, rank,
 * key or value, and result formatting by return type.
 */
#ifndef AERO_TS_CDT_INT_H
#define AERO_TS_CDT_INT_H

#include "cdt.h"
#include "mp.h"

enum {
    RT_NONE = 0,
    RT_INDEX = 1,
    RT_REV_INDEX = 2,
    RT_RANK = 3,
    RT_REV_RANK = 4,
    RT_COUNT = 5,
    RT_KEY = 6,
    RT_VALUE = 7,
    RT_KEY_VALUE = 8,
    RT_EXISTS = 13,
    RT_UMAP = 16,
    RT_OMAP = 17
};
#define RT_INVERTED 0x10000

typedef struct span {
    const uint8_t *p;
    size_t n;
} span;

typedef struct coll {
    bool is_map;
    bool has_ext;  /* ordered collection header present */
    uint8_t flags; /* its flags (1 = ordered list / key-ordered map, 3 = kv-ordered) */
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
/** Read n op arguments as spans (at most max kept); -1 if malformed. */
int cdt_args(mp_reader *r, uint32_t n, span *a, int max);
/**
 * Select elements for a read op code (list 17-27, map 97-110) with its
 * arguments a[0..na) (return type first). Fills sel, the return type and
 * whether the op yields a single value.
 */
int cdt_select(const coll *c, int64_t opc, const span *a, int na, bool *sel, int64_t *rt, bool *single);
/**
 * Element selected by one context item (type 0x10/0x11/0x13 list index /
 * rank / value, 0x20-0x23 map index / rank / key / value; create flags
 * ignored): its index in c, or minus a result code.
 */
int cdt_find(const coll *c, int type, const span *v);
/** Write the result of a selection for return type rt. */
int cdt_emit(const coll *c, const bool *sel, int64_t rt, bool single, aero_buf *out);

#endif
