/*
 * typed_query.c - named queries with the index part aerogen chose at
 * generate time (aero/schema.h aero_schema_query_indexed / _explain).
 *
 * The choice itself was made by aerogen over the indexes the schema
 * declares; at run time the index is used only when the client's discovered
 * index list (cluster/indexes.c, the list the automatic choice of
 * index_query.c reads) has it with the declared definition, readable on
 * every node. The query is then built exactly as the automatic choice
 * builds one (index condition, rest as the expression, the full filter kept
 * for scan.c's fallback when a node answers index-not-found before any row),
 * so the rows are the same either way.
 */
#include "client.h"
#include "cluster/indexes.h"
#include "index_internal.h"
#include "internal.h"
#include "proto/wire.h"
#include "query_internal.h"
#include "typed_internal.h"

#include <aero/schema.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHY(...) snprintf(why, cap, __VA_ARGS__)

static aero_status check_use(const aero_schema_index_use *u, size_t n_args, aero_error *err) {
    if (u->version != AERO_SCHEMA_INDEX_USE_VERSION)
        return aero_err__set(err, AERO_ERR_PARAM,
                             "aero_schema_index_use version %u is not supported (this library knows 1): regenerate "
                             "the code with the aerogen of this runtime",
                             u->version);
    if (!u->index || !u->index[0] || strlen(u->index) >= sizeof((aero_index_info *)0)->name || !u->bin || !u->bin[0] ||
        strlen(u->bin) > AERO_BIN_NAME_MAX)
        return aero_err__set(err, AERO_ERR_PARAM, "index use: bad index or bin name");
    if (u->type != AERO_AEL_INT && u->type != AERO_AEL_STRING && u->type != AERO_AEL_BLOB)
        return aero_err__set(err, AERO_ERR_PARAM, "index use: type %d is not int, string or blob", (int)u->type);
    if (u->param >= 0 && ((size_t)u->param >= n_args || u->cmp < AERO_SCHEMA_CMP_EQ || u->cmp > AERO_SCHEMA_CMP_LE ||
                          (u->type != AERO_AEL_INT && u->cmp != AERO_SCHEMA_CMP_EQ)))
        return aero_err__set(err, AERO_ERR_PARAM, "index use: parameter ?%d (of %zu) or comparison %d is invalid",
                             u->param, n_args, (int)u->cmp);
    if ((u->param < 0 && u->type != AERO_AEL_INT && u->value_len && !u->value) || (u->ctx_len && !u->ctx) ||
        (u->rest_len && !u->rest) || (u->n_rest_slots && !u->rest_slots))
        return aero_err__set(err, AERO_ERR_PARAM, "index use: NULL bytes with a length");
    return AERO_OK;
}

static aero_index_type index_type_of(aero_ael_type t) {
    return t == AERO_AEL_INT ? AERO_INDEX_NUMERIC : t == AERO_AEL_STRING ? AERO_INDEX_STRING : AERO_INDEX_BLOB;
}

/* The condition's value from the parameter: 1, 0 (with why) when the index cannot answer it, -1 out of memory. */
static int value_of_param(const aero_schema_index_use *u, const aero_value *a, aero_index_cond *c, char *why,
                          size_t cap) {
    if (u->type == AERO_AEL_INT) {
        if (a->type != AERO_INT) {
            WHY("parameter ?%d is not an int: the numeric index '%s' cannot answer it; the full filter is sent",
                u->param, u->index);
            return 0;
        }
        int64_t v = a->v.i;
        bool empty =
            (u->cmp == AERO_SCHEMA_CMP_GT && v == INT64_MAX) || (u->cmp == AERO_SCHEMA_CMP_LT && v == INT64_MIN);
        if (empty) {
            WHY("parameter ?%d leaves an empty range for index '%s': the full filter is sent", u->param, u->index);
            return 0;
        }
        c->begin = u->cmp == AERO_SCHEMA_CMP_GT                                   ? v + 1
                   : u->cmp == AERO_SCHEMA_CMP_LT || u->cmp == AERO_SCHEMA_CMP_LE ? INT64_MIN
                                                                                  : v;
        c->end = u->cmp == AERO_SCHEMA_CMP_LT                                   ? v - 1
                 : u->cmp == AERO_SCHEMA_CMP_GT || u->cmp == AERO_SCHEMA_CMP_GE ? INT64_MAX
                                                                                : v;
        return 1;
    }
    aero_type want = u->type == AERO_AEL_STRING ? AERO_STR : AERO_BLOB;
    if (a->type != want) {
        WHY("parameter ?%d is not a %s: index '%s' cannot answer it; the full filter is sent", u->param,
            u->type == AERO_AEL_STRING ? "string" : "blob", u->index);
        return 0;
    }
    const void *p = want == AERO_STR ? (const void *)a->v.str.ptr : (const void *)a->v.bytes.ptr;
    size_t n = want == AERO_STR ? a->v.str.len : a->v.bytes.len;
    if (n && !p) {
        WHY("parameter ?%d is NULL: the full filter is sent", u->param);
        return 0;
    }
    if (!(c->value = malloc(n ? n : 1)))
        return -1;
    if (n)
        memcpy(c->value, p, n);
    c->value_len = n;
    return 1;
}

/*
 * Should the query use the index? On *use true, *c is the index condition
 * (owns its copies). why says what and why (or why not). Errors: bad
 * arguments, out of memory.
 */
static aero_status decide(aero_session *s, const aero_schema_record *r, const aero_schema_index_use *u,
                          const aero_value *args, size_t n_args, aero_index_cond *c, bool *use, char *why, size_t cap,
                          aero_error *err) {
    memset(c, 0, sizeof *c);
    *use = false;
    if (!u) {
        WHY("aerogen found no comparison of this query's filter that a declared index answers exactly: no index used");
        return AERO_OK;
    }
    aero_status rc = check_use(u, n_args, err);
    if (rc != AERO_OK)
        return rc;
    aero_index_set *set = aero_cluster__indexes(s->client->cluster);
    if (!set) {
        WHY("the index list could not be read from the cluster: the full filter is sent");
        return AERO_OK;
    }
    bool readable;
    const aero_index_info *x = aero_index_set__find(set, r->ns, u->index, &readable);
    if (!x)
        WHY("index '%s' of %s is not in the client's index list (not created, or dropped): the full filter is sent",
            u->index, r->ns);
    else if ((x->set[0] && strcmp(x->set, r->set) != 0) || strcmp(x->bin, u->bin) != 0 ||
             x->type != index_type_of(u->type) || x->collection != AERO_INDEX_COLLECTION_NONE || x->exp ||
             x->ctx_len != u->ctx_len || (u->ctx_len && memcmp(x->ctx, u->ctx, u->ctx_len) != 0))
        WHY("index '%s' on the server is not the one the schema declares (set, bin, type, collection or context "
            "differ): the full filter is sent",
            u->index);
    else if (!readable)
        WHY("index '%s' is not readable on every node yet: the full filter is sent", u->index);
    else {
        c->set = true;
        snprintf(c->bin, sizeof c->bin, "%s", u->bin);
        c->ptype = u->type == AERO_AEL_INT      ? AERO_PT_INTEGER
                   : u->type == AERO_AEL_STRING ? AERO_PT_STRING
                                                : AERO_PT_BLOB;
        int ok = 1;
        if (u->param >= 0)
            ok = value_of_param(u, &args[u->param], c, why, cap);
        else if (u->type == AERO_AEL_INT) {
            c->begin = u->begin;
            c->end = u->end;
        } else if ((c->value = malloc(u->value_len ? u->value_len : 1)) != NULL) {
            if (u->value_len)
                memcpy(c->value, u->value, u->value_len);
            c->value_len = u->value_len;
        } else
            ok = -1;
        if (ok == 1 && u->ctx_len) {
            if ((c->ctx = malloc(u->ctx_len)) != NULL) {
                memcpy(c->ctx, u->ctx, u->ctx_len);
                c->ctx_len = u->ctx_len;
            } else
                ok = -1;
        }
        if (ok == 1) {
            *use = true;
            WHY("declared index '%s' on bin %s answers one comparison of the filter exactly (chosen by aerogen; "
                "readable on every node); %s",
                u->index, u->bin,
                u->rest_len ? "the rest of the filter filters what the index returns"
                            : "nothing of the filter remains");
        } else {
            aero_index__cond_free(c);
            memset(c, 0, sizeof *c);
            if (ok < 0)
                rc = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory building an index filter");
        }
    }
    aero_index_set__release(set);
    return rc;
}

/* Check the options before anything is built; names the bad member. */
static aero_status check_opts(const aero_schema_record *r, const aero_schema_query_opts *o, aero_error *err) {
    if (!o)
        return AERO_OK;
    if (o->version != AERO_SCHEMA_QUERY_OPTS_VERSION)
        return aero_err__set(err, AERO_ERR_PARAM,
                             "aero_schema_query_opts version %u is not supported (this library knows 1 to 1); "
                             "initialise it with AERO_SCHEMA_QUERY_OPTS_INIT or aero_schema_query_opts_init()",
                             o->version);
    if (o->n_fields && !o->fields)
        return aero_err__set(err, AERO_ERR_PARAM, "query options: NULL fields with n_fields %zu", o->n_fields);
    for (size_t i = 0; i < o->n_fields; i++)
        if (o->fields[i] >= r->n_bins)
            return aero_err__set(err, AERO_ERR_PARAM,
                                 "query options: field number %u out of range for record '%s' (%u fields)",
                                 o->fields[i], r->name, (unsigned)r->n_bins);
    if (o->partition_begin >= AERO_PARTITIONS || o->partition_count > AERO_PARTITIONS - o->partition_begin ||
        (o->partition_begin && !o->partition_count))
        return aero_err__set(err, AERO_ERR_PARAM,
                             "query options: partitions %u + %u are not a range of 0 .. %d (count 0 means all and "
                             "needs begin 0)",
                             o->partition_begin, o->partition_count, AERO_PARTITIONS);
    return AERO_OK;
}

#define OPT_NAMES_STACK 64

/* Apply the options to the builder (misuse recorded in it, reported at execute); false when out of memory. */
static bool apply_opts(aero_query *q, const aero_schema_record *r, const aero_schema_query_opts *o) {
    if (!o)
        return true;
    if (o->n_fields) {
        const char *stack[OPT_NAMES_STACK] = { NULL }; /* (initialised: gcc -fsanitize sees it as maybe unset) */
        const char **names = o->n_fields <= OPT_NAMES_STACK ? stack : malloc(o->n_fields * sizeof *names);
        if (!names)
            return false;
        for (size_t i = 0; i < o->n_fields; i++)
            names[i] = r->bins[o->fields[i]].name;
        aero_query_bins(q, names, o->n_fields);
        if (names != stack)
            free(names);
    }
    if (o->max_records)
        aero_query_max_records(q, o->max_records);
    if (o->records_per_second)
        aero_query_records_per_second(q, o->records_per_second);
    if (o->chunk_size)
        aero_query_chunk_size(q, o->chunk_size);
    if (o->partition_count)
        aero_query_on_partition_range(q, o->partition_begin, o->partition_begin + o->partition_count);
    if (o->no_index)
        aero_query_no_index(q);
    return true;
}

/* The builder of a named query without an index part (or a scan: bytes NULL), options not applied yet. */
static aero_query *plain_query(aero_session *s, const aero_schema_record *r, const uint8_t *bytes, size_t len,
                               const aero_ael_slot *slots, size_t n_slots, const aero_value *args, size_t n_args,
                               aero_error *err) {
    aero_dataset ds = aero_dataset_of(r->ns, r->set);
    aero_query *q = aero_session_query(s, &ds);
    if (!q) {
        aero_err__set(err, AERO_ERR_NO_MEMORY, "cannot start a query");
        return NULL;
    }
    if (!len)
        return q;
    if (n_slots == 0) {
        aero_query_where_bytes(q, bytes, len);
    } else {
        aero_expr *e = aero_ael_template_fill(bytes, len, slots, n_slots, args, n_args, err);
        if (!e) {
            aero_query_abandon(q);
            return NULL;
        }
        aero_query_where_expr(q, e);
        aero_expr_free(e);
    }
    return q;
}

/* The builder of a named query with the index part aerogen chose (when the cluster has it), options not applied. */
static aero_query *indexed_query(aero_session *s, const aero_schema_record *r, const uint8_t *bytes, size_t len,
                                 const aero_ael_slot *slots, size_t n_slots, const aero_schema_index_use *use,
                                 const aero_value *args, size_t n_args, aero_error *err) {
    aero_index_cond c;
    bool on = false;
    char why[256] = "";
    if (decide(s, r, use, args, n_args, &c, &on, why, sizeof why, err) != AERO_OK)
        return NULL;
    if (!on)
        return plain_query(s, r, bytes, len, slots, n_slots, args, n_args, err);
    aero_dataset ds = aero_dataset_of(r->ns, r->set);
    aero_query *q = aero_session_query(s, &ds);
    aero_expr *full = NULL, *rest = NULL;
    if (!q) {
        aero_index__cond_free(&c);
        aero_err__set(err, AERO_ERR_NO_MEMORY, "cannot start a query");
        return NULL;
    }
    q->icond = c; /* the query owns it now */
    if (n_slots && !(full = aero_ael_template_fill(bytes, len, slots, n_slots, args, n_args, err)))
        goto fail;
    if (use->rest_len && use->n_rest_slots &&
        !(rest =
              aero_ael_template_fill(use->rest, use->rest_len, use->rest_slots, use->n_rest_slots, args, n_args, err)))
        goto fail;
    if (full)
        aero_query_where_expr(q, full);
    else
        aero_query_where_bytes(q, bytes, len);
    if (!q->bad.code) {
        /* as the automatic choice: the whole filter for scan.c's fallback, the rest as the expression */
        char msg[160];
        aero_status st = AERO_OK;
        aero_buf__put(&q->full_filter, q->filter.ptr, q->filter.len);
        if (q->full_filter.failed)
            st = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory keeping the full filter");
        else if (rest)
            st = aero_filter__set_expr(&q->filter, rest, msg, sizeof msg);
        else if (use->rest_len)
            st = aero_filter__set_bytes(&q->filter, use->rest, use->rest_len, msg, sizeof msg);
        else
            aero_filter__clear(&q->filter);
        if (st != AERO_OK && !q->full_filter.failed)
            aero_err__set(err, st, "query: %s", msg);
        if (st != AERO_OK)
            goto fail;
    }
    aero_expr_free(full);
    aero_expr_free(rest);
    return q;
fail:
    aero_expr_free(full);
    aero_expr_free(rest);
    aero_query_abandon(q);
    return NULL;
}

aero_stream *aero_schema_query_with(aero_session *s, const aero_schema_record *r, const uint8_t *bytes, size_t len,
                                    const aero_ael_slot *slots, size_t n_slots, const aero_schema_index_use *use,
                                    const aero_value *args, size_t n_args, const aero_schema_query_opts *opts,
                                    aero_error *err) {
    if (aero_schema__check_abi(r, err) != AERO_OK)
        return NULL;
    if (!s || (len && !bytes) || (!len && (n_slots || use))) {
        aero_err__set(err, AERO_ERR_PARAM, "NULL session or filter bytes");
        return NULL;
    }
    if (check_opts(r, opts, err) != AERO_OK)
        return NULL;
    aero_query *q = use && !(opts && opts->no_index)
                        ? indexed_query(s, r, bytes, len, slots, n_slots, use, args, n_args, err)
                        : plain_query(s, r, bytes, len, slots, n_slots, args, n_args, err);
    if (!q)
        return NULL;
    if (!apply_opts(q, r, opts)) {
        aero_query_abandon(q);
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory applying query options");
        return NULL;
    }
    return aero_query_execute(q, err);
}

aero_stream *aero_schema_scan(aero_session *s, const aero_schema_record *r, const aero_schema_query_opts *opts,
                              aero_error *err) {
    return aero_schema_query_with(s, r, NULL, 0, NULL, 0, NULL, NULL, 0, opts, err);
}

/* A named query without options: its filter must not be empty (a scan is aero_schema_scan()). */
aero_stream *aero_schema_query_indexed(aero_session *s, const aero_schema_record *r, const uint8_t *bytes, size_t len,
                                       const aero_ael_slot *slots, size_t n_slots, const aero_schema_index_use *use,
                                       const aero_value *args, size_t n_args, aero_error *err) {
    if (aero_schema__check_abi(r, err) != AERO_OK)
        return NULL;
    if (!s || !bytes || !len) {
        aero_err__set(err, AERO_ERR_PARAM, "NULL session or empty filter");
        return NULL;
    }
    return aero_schema_query_with(s, r, bytes, len, slots, n_slots, use, args, n_args, NULL, err);
}

aero_stream *aero_schema_query(aero_session *s, const aero_schema_record *r, const uint8_t *bytes, size_t len,
                               const aero_ael_slot *slots, size_t n_slots, const aero_value *args, size_t n_args,
                               aero_error *err) {
    return aero_schema_query_indexed(s, r, bytes, len, slots, n_slots, NULL, args, n_args, err);
}

/* ---- typed streams ---- */

static bool scan_asked(const void *ctx, const aero_schema_bin *b) {
    return aero_scan__reads_bin((const struct aero_scan *)ctx, b->name);
}

bool aero_schema_stream_next(aero_stream *st, const aero_schema_record *r, void *obj, aero_error *err) {
    if (aero_schema__check_abi(r, err) != AERO_OK)
        return false;
    if (!st || !obj) {
        aero_err__set(err, AERO_ERR_PARAM, "NULL stream or struct");
        return false;
    }
    const aero_record *row = aero_stream_next(st, err);
    if (!row)
        return false;
    if (row->result != AERO_OK) {
        memcpy(obj, r->init, r->size);
        aero_err__set(err, row->result, "%s: row failed: %s", r->name, aero_status_str(row->result));
        return false;
    }
    /* a scan row holds the bins the query asked for: only those of the required ones must be there */
    bool scan = st->kind == AERO_STREAM_SCAN;
    aero_status rc =
        aero_schema__decode_asked(r, row, scan ? scan_asked : NULL, scan ? (const void *)st->scan : NULL, obj, err);
    if (rc != AERO_OK) {
        memcpy(obj, r->init, r->size);
        return false;
    }
    return true;
}

aero_status aero_schema_query_explain(aero_session *s, const aero_schema_record *r, const aero_schema_index_use *use,
                                      const aero_value *args, size_t n_args, aero_query_plan *plan, aero_error *err) {
    aero_status rc = aero_schema__check_abi(r, err);
    if (rc != AERO_OK)
        return rc;
    if (!s || !plan)
        return aero_err__set(err, AERO_ERR_PARAM, "explain needs a session and a plan");
    if (plan->version != AERO_QUERY_PLAN_VERSION)
        return aero_err__set(err, AERO_ERR_PARAM,
                             "aero_query_plan version %u is not supported (this library knows 1 to 1); initialise it "
                             "with AERO_QUERY_PLAN_INIT or aero_query_plan_init()",
                             plan->version);
    aero_query_plan_init(plan);
    aero_index_cond c;
    bool on = false;
    rc = decide(s, r, use, args, n_args, &c, &on, plan->reason, sizeof plan->reason, err);
    if (rc != AERO_OK)
        return rc;
    plan->has_expression = !on || use->rest_len != 0;
    if (on) {
        plan->uses_index = true;
        plan->automatic = true;
        snprintf(plan->index_name, sizeof plan->index_name, "%s", use->index);
        snprintf(plan->bin, sizeof plan->bin, "%s", use->bin);
        aero_index__cond_describe(&c, plan->filter, sizeof plan->filter);
        aero_index__cond_free(&c);
    }
    aero_err__reset(err);
    return AERO_OK;
}
