/*
 * sindex.h - secondary index definitions and index-range matching.
 */
#ifndef AERO_TS_SINDEX_H
#define AERO_TS_SINDEX_H

#include "ts.h"

/** Answer sindex-create / sindex-delete / sindex-list / sindex-stat (caller holds ts->mu). */
void ts_sindex_info(aero_testserver *ts, const char *cmd, const char *params, aero_buf *o);

/** A query's index condition. */
typedef struct ts_sindex_query {
    char bin[16];
    uint8_t ptype, itype;
    int64_t lo, hi;             /* numeric range, inclusive */
    const uint8_t *begin, *end; /* string / blob equality */
    uint32_t begin_len, end_len;
} ts_sindex_query;

/** Parse INDEX_RANGE (+ INDEX_TYPE / INDEX_NAME) and find the index: 0, 4 or 201. */
int ts_sindex_parse(aero_testserver *ts, const ts_msg *m, const char *ns, ts_sindex_query *q);

/** Does record r match? *bval receives the matched value (0 for strings and blobs). */
bool ts_sindex_match(const ts_sindex_query *q, const ts_record *r, int64_t *bval);

#endif
