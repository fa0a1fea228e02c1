/*
 * index_internal.h - INTERNAL: the index condition of a dataset query (what
 * goes in fields 26, 22, 23, 21 and 24, protocol.md 7.1 / 7.3), built from an
 * aero_index_filter or chosen automatically from an AEL where(). Shared by
 * index.c, index_query.c, query.c and scan.c.
 */
#ifndef AERO_INDEX_INTERNAL_H
#define AERO_INDEX_INTERNAL_H

#include <aero/index.h>
#include <aero/query.h>

#include "proto/buf.h"
#include "proto/msg.h"

typedef struct aero_index_cond {
    bool set;                        /* false: no index condition (a scan) */
    char bin[AERO_BIN_NAME_MAX + 1]; /* "" with name or exp */
    char name[64];                   /* INDEX_NAME, "" when none */
    uint8_t itype;                   /* INDEX_TYPE: 0 default, 1 list, 2 map keys, 3 map values */
    uint8_t ptype;                   /* AERO_PT_INTEGER / STRING / BLOB / GEOJSON */
    int64_t begin, end;              /* integer range */
    uint8_t *value;                  /* string / blob / GeoJSON bytes (malloc'd) */
    size_t value_len;
    uint8_t *ctx; /* packed CDT context (malloc'd), NULL if none */
    size_t ctx_len;
    uint8_t *exp; /* expression of an expression index (malloc'd), NULL if none */
    size_t exp_len;
} aero_index_cond;

/** Deadline for the admin info requests of a session. */
uint64_t aero_index__info_deadline(const aero_session *s);
/** AEL path -> bin (must equal `bin` when bin is not NULL) and packed context; AERO_ERR_PARAM. */
aero_status aero_index__resolve_ctx(const char *path, const char *bin, char out_bin[AERO_BIN_NAME_MAX + 1],
                                    uint8_t **ctx, size_t *ctx_len, aero_error *err);

/** Build *c from a caller's filter (copies everything); AERO_ERR_PARAM with msg on bad input. */
aero_status aero_index__cond_from_filter(const aero_index_filter *f, aero_index_cond *c, char *msg, size_t cap);
/** Deep copy (for the scan); false on allocation failure. */
bool aero_index__cond_copy(aero_index_cond *dst, const aero_index_cond *src);
void aero_index__cond_free(aero_index_cond *c);
/** Append fields 26 (if not default), 22, 23, 21 / 24 in the C client's order. */
void aero_index__cond_encode(aero_buf *b, aero_msg_header *h, const aero_index_cond *c);
/** Human text of the condition, e.g. "age in [22, 30]". */
void aero_index__cond_describe(const aero_index_cond *c, char *out, size_t cap);

struct aero_query;
/**
 * The automatic choice for a dataset query with an AEL where(): fills
 * q->icond and replaces q->filter by the rest of the expression when an
 * index is chosen; `plan` (may be NULL) receives what and why. With
 * `apply` false nothing in q changes (explain).
 */
aero_status aero_index__choose(struct aero_query *q, bool apply, aero_query_plan *plan, aero_error *err);

#endif
