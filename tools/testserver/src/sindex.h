/*
 * sindex.h - secondary index definitions and index-range matching.
 */
#ifndef AERO_TS_SINDEX_H
#define AERO_TS_SINDEX_H

#include "ts.h"

/** Answer sindex-create / sindex-delete / sindex-list / sindex-stat / sindex-exists (caller holds ts->mu). */
void ts_sindex_info(aero_testserver *ts, const char *cmd, const char *params, aero_buf *o);

/** Most index entries one record yields for one query (distinct matching values). */
#define TS_SINDEX_MAX_HITS 64

/** A query's index condition, with a copy of the index definition it found. */
typedef struct ts_sindex_query {
    char ns[32];
    ts_sindex def;       /* the index answering the query */
    uint8_t ptype;       /* range particle type */
    bool all;            /* match every value of the key type (sindex-stat counts) */
    int64_t lo, hi;      /* numeric range, inclusive */
    uint8_t value[2048]; /* string / blob / GeoJSON value of the range */
    uint32_t value_len;
    uint8_t ctx[768]; /* decoded def.ctx_b64 */
    size_t ctx_len;
    uint8_t exp[1536]; /* decoded def.exp_b64 */
    size_t exp_len;
} ts_sindex_query;

/**
 * Parse INDEX_RANGE (+ INDEX_TYPE / INDEX_NAME / INDEX_CONTEXT /
 * INDEX_EXPRESSION) and find the index as server 8.1 does (by name, or by
 * definition in the query's set, then in no set): 0, 4 (malformed) or 201.
 */
int ts_sindex_parse(aero_testserver *ts, const ts_msg *m, const char *ns, const char *set, size_t set_len,
                    ts_sindex_query *q);

/**
 * The index entries of record r that the query's range selects: one per
 * distinct matching value (a collection index yields a record once per
 * distinct matching element, as the server's index tree does), ascending.
 * Fills bvals (at most TS_SINDEX_MAX_HITS) and returns how many.
 */
int ts_sindex_match(const ts_sindex_query *q, const ts_record *r, int64_t *bvals);

#endif
