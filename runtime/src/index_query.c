/*
 * index_query.c - the index condition of a dataset query: from an explicit
 * aero_index_filter, or chosen from the AEL where() over the indexes the
 * cluster discovered (ael/ael_index.c applies the SDK's rules); its wire
 * encoding (protocol.md 7.1, 7.3) and its description for explain().
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ael/ael_index.h"
#include "client.h"
#include "cluster/indexes.h"
#include "index_internal.h"
#include "internal.h"
#include "proto/wire.h"
#include "query_internal.h"

static uint8_t *dup_bytes(const void *p, size_t n) {
    uint8_t *d = malloc(n ? n : 1);
    if (d && n)
        memcpy(d, p, n);
    return d;
}

void aero_index__cond_free(aero_index_cond *c) {
    free(c->value);
    free(c->ctx);
    free(c->exp);
    memset(c, 0, sizeof *c);
}

bool aero_index__cond_copy(aero_index_cond *dst, const aero_index_cond *src) {
    *dst = *src;
    dst->value = src->value ? dup_bytes(src->value, src->value_len) : NULL;
    dst->ctx = src->ctx ? dup_bytes(src->ctx, src->ctx_len) : NULL;
    dst->exp = src->exp ? dup_bytes(src->exp, src->exp_len) : NULL;
    if ((src->value && !dst->value) || (src->ctx && !dst->ctx) || (src->exp && !dst->exp)) {
        aero_index__cond_free(dst);
        return false;
    }
    return true;
}

aero_status aero_index__cond_from_filter(const aero_index_filter *f, aero_index_cond *c, char *msg, size_t cap) {
    memset(c, 0, sizeof *c);
    if (!f) {
        snprintf(msg, cap, "filter: NULL");
        return AERO_ERR_PARAM;
    }
    if (f->version != AERO_INDEX_FILTER_VERSION) {
        snprintf(msg, cap,
                 "aero_index_filter version %u is not supported (this library knows 1 to 1); build it with "
                 "aero_index_equal_int() and friends or AERO_INDEX_FILTER_INIT",
                 f->version);
        return AERO_ERR_PARAM;
    }
    int targets = (f->index_name != NULL) + (f->expr != NULL);
    if (targets > 1 || (targets && f->ctx)) {
        snprintf(msg, cap, "filter: index_name, expr and ctx exclude each other");
        return AERO_ERR_PARAM;
    }
    if (f->collection > AERO_INDEX_COLLECTION_MAPVALUES) {
        snprintf(msg, cap, "filter: collection %d is not an aero_index_collection", (int)f->collection);
        return AERO_ERR_PARAM;
    }
    c->itype = (uint8_t)f->collection;
    if (f->index_name) {
        size_t n = strlen(f->index_name);
        if (n == 0 || n >= sizeof c->name) {
            snprintf(msg, cap, "filter: index name is %s", n ? "longer than 63 bytes" : "empty");
            return AERO_ERR_PARAM;
        }
        memcpy(c->name, f->index_name, n + 1);
    } else if (f->expr) {
        size_t n;
        const uint8_t *b = aero_expr_bytes(f->expr, &n);
        if (!b || !n || !(c->exp = dup_bytes(b, n))) {
            snprintf(msg, cap, "filter: empty expression");
            return AERO_ERR_PARAM;
        }
        c->exp_len = n;
    } else if (f->ctx) {
        aero_error e;
        aero_error_reset(&e);
        if (aero_index__resolve_ctx(f->ctx, f->bin, c->bin, &c->ctx, &c->ctx_len, &e) != AERO_OK) {
            snprintf(msg, cap, "filter: %s", e.message);
            aero_index__cond_free(c);
            return AERO_ERR_PARAM;
        }
    } else {
        size_t n = f->bin ? strlen(f->bin) : 0;
        if (n == 0 || n > AERO_BIN_NAME_MAX) {
            snprintf(msg, cap, "filter: bin name is %s", !f->bin ? "NULL" : n ? "longer than 15 bytes" : "empty");
            return AERO_ERR_PARAM;
        }
        memcpy(c->bin, f->bin, n + 1);
    }
    switch (f->type) {
    case AERO_INDEX_NUMERIC:
        if (f->begin > f->end) {
            snprintf(msg, cap, "filter: range begin %" PRId64 " > end %" PRId64, f->begin, f->end);
            aero_index__cond_free(c);
            return AERO_ERR_PARAM;
        }
        c->ptype = AERO_PT_INTEGER;
        c->begin = f->begin;
        c->end = f->end;
        break;
    case AERO_INDEX_STRING:
    case AERO_INDEX_BLOB:
        if (!f->bytes && f->len) {
            snprintf(msg, cap, "filter: NULL value");
            aero_index__cond_free(c);
            return AERO_ERR_PARAM;
        }
        c->ptype = f->type == AERO_INDEX_STRING ? AERO_PT_STRING : AERO_PT_BLOB;
        c->value = dup_bytes(f->bytes, f->len);
        c->value_len = f->len;
        break;
    case AERO_INDEX_GEO2DSPHERE: {
        char buf[160];
        const void *p = f->bytes;
        size_t n = f->len;
        if (f->geo_kind == 1 || f->geo_kind == 2) {
            if (f->geo_kind == 1)
                n = (size_t)snprintf(buf, sizeof buf, "{\"type\":\"AeroCircle\",\"coordinates\":[[%.17g,%.17g],%.17g]}",
                                     f->lng, f->lat, f->radius_m);
            else
                n = (size_t)snprintf(buf, sizeof buf, "{\"type\":\"Point\",\"coordinates\":[%.17g,%.17g]}", f->lng,
                                     f->lat);
            p = buf;
        } else if (f->geo_kind != 0 || !p || !n) {
            snprintf(msg, cap, "filter: a geo filter needs GeoJSON text (or a circle / point)");
            aero_index__cond_free(c);
            return AERO_ERR_PARAM;
        }
        c->ptype = AERO_PT_GEOJSON;
        c->value = dup_bytes(p, n);
        c->value_len = n;
        break;
    }
    default:
        snprintf(msg, cap, "filter: type %d is not an aero_index_type", (int)f->type);
        aero_index__cond_free(c);
        return AERO_ERR_PARAM;
    }
    if (c->ptype != AERO_PT_INTEGER && !c->value) {
        aero_index__cond_free(c);
        snprintf(msg, cap, "filter: out of memory");
        return AERO_ERR_NO_MEMORY;
    }
    c->set = true;
    return AERO_OK;
}

void aero_index__cond_encode(aero_buf *b, aero_msg_header *h, const aero_index_cond *c) {
    if (c->itype)
        aero_msg__field(b, h, AERO_FIELD_INDEX_TYPE, &c->itype, 1);
    bool by_bin = !c->name[0] && !c->exp;
    size_t bl = by_bin ? strlen(c->bin) : 0;
    size_t vl = c->ptype == AERO_PT_INTEGER ? 8 : c->value_len;
    aero_msg__field_header(b, h, AERO_FIELD_INDEX_RANGE, 1 + 1 + bl + 1 + 4 + vl + 4 + vl);
    aero_buf__put_u8(b, 1);
    aero_buf__put_u8(b, (uint8_t)bl);
    aero_buf__put(b, c->bin, bl);
    aero_buf__put_u8(b, c->ptype);
    if (c->ptype == AERO_PT_INTEGER) {
        aero_buf__put_u32be(b, 8);
        aero_buf__put_u64be(b, (uint64_t)c->begin);
        aero_buf__put_u32be(b, 8);
        aero_buf__put_u64be(b, (uint64_t)c->end);
    } else {
        aero_buf__put_u32be(b, (uint32_t)vl);
        aero_buf__put(b, c->value, vl);
        aero_buf__put_u32be(b, (uint32_t)vl);
        aero_buf__put(b, c->value, vl);
    }
    if (c->ctx)
        aero_msg__field(b, h, AERO_FIELD_INDEX_CONTEXT, c->ctx, c->ctx_len);
    if (c->name[0])
        aero_msg__field(b, h, AERO_FIELD_INDEX_NAME, c->name, strlen(c->name));
    else if (c->exp)
        aero_msg__field(b, h, AERO_FIELD_INDEX_EXPRESSION, c->exp, c->exp_len);
}

void aero_index__cond_describe(const aero_index_cond *c, char *out, size_t cap) {
    static const char *const coll[] = { "", " (list)", " (map keys)", " (map values)" };
    const char *target = c->name[0] ? c->name : c->exp ? "<expression>" : c->bin;
    const char *how = c->name[0] ? "index " : "";
    const char *cl = coll[c->itype & 3];
    if (c->ptype == AERO_PT_INTEGER) {
        if (c->begin == c->end)
            snprintf(out, cap, "%s%s%s == %" PRId64 "%s", how, target, c->ctx ? " [ctx]" : "", c->begin, cl);
        else
            snprintf(out, cap, "%s%s%s in [%" PRId64 ", %" PRId64 "]%s", how, target, c->ctx ? " [ctx]" : "", c->begin,
                     c->end, cl);
    } else if (c->ptype == AERO_PT_GEOJSON)
        snprintf(out, cap, "%s%s geo %.*s%s", how, target, (int)(c->value_len > 100 ? 100 : c->value_len),
                 (const char *)c->value, cl);
    else if (c->ptype == AERO_PT_STRING)
        snprintf(out, cap, "%s%s%s == '%.*s'%s", how, target, c->ctx ? " [ctx]" : "",
                 (int)(c->value_len > 100 ? 100 : c->value_len), (const char *)c->value, cl);
    else
        snprintf(out, cap, "%s%s%s == <%zu bytes>%s", how, target, c->ctx ? " [ctx]" : "", c->value_len, cl);
}

static aero_ael_type ael_type(aero_index_type t) {
    return t == AERO_INDEX_NUMERIC  ? AERO_AEL_INT
           : t == AERO_INDEX_STRING ? AERO_AEL_STRING
           : t == AERO_INDEX_BLOB   ? AERO_AEL_BLOB
                                    : AERO_AEL_NIL;
}

#define REASON(...) (plan ? (void)snprintf(plan->reason, sizeof plan->reason, __VA_ARGS__) : (void)0)

aero_status aero_index__choose(struct aero_query *q, bool apply, aero_query_plan *plan, aero_error *err) {
    if (q->explicit_index) {
        if (plan) {
            plan->uses_index = true;
            plan->has_expression = q->filter.ptr != NULL;
            snprintf(plan->index_name, sizeof plan->index_name, "%s", q->icond.name);
            snprintf(plan->bin, sizeof plan->bin, "%s", q->icond.bin);
            aero_index__cond_describe(&q->icond, plan->filter, sizeof plan->filter);
            REASON("index filter given with aero_query_filter()");
        }
        return AERO_OK;
    }
    if (plan)
        plan->has_expression = q->filter.ptr != NULL;
    if (q->kind != AERO_Q_DATASET) {
        REASON("a point or batch read does not use secondary indexes");
        return AERO_OK;
    }
    if (q->no_index) {
        REASON("no_index(): secondary indexes are not used");
        return AERO_OK;
    }
    if (!q->where_ael) {
        REASON(q->filter.ptr ? "the where() is not AEL text (an expression or bytes): no automatic index choice"
                             : "no where(): a scan of the dataset");
        return AERO_OK;
    }
    aero_index_set *set = aero_cluster__indexes(q->s->client->cluster);
    if (!set) {
        REASON("the index list could not be read from the cluster: no index used");
        return AERO_OK;
    }
    aero_ael_index *cand = calloc(set->n ? set->n : 1, sizeof *cand);
    if (!cand) {
        aero_index_set__release(set);
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory choosing an index");
    }
    size_t nc = 0, same_set = 0;
    bool hint_known = false;
    char names[160] = "";
    for (size_t i = 0; i < set->n; i++) {
        const aero_index_info *x = &set->infos[i];
        if (strcmp(x->ns, q->ds.ns) || (x->set[0] && strcmp(x->set, q->ds.set)))
            continue;
        same_set++;
        if (q->hint[0] && !strcmp(q->hint, x->name))
            hint_known = true;
        if (x->collection != AERO_INDEX_COLLECTION_NONE || x->exp || ael_type(x->type) == AERO_AEL_NIL ||
            x->state != AERO_INDEX_STATE_RW || x->nodes < set->n_nodes)
            continue;
        cand[nc].name = x->name;
        cand[nc].bin = x->bin;
        cand[nc].type = ael_type(x->type);
        cand[nc].ctx = x->ctx;
        cand[nc].ctx_len = x->ctx_len;
        cand[nc].ratio = set->ratio[i];
        size_t l = strlen(names);
        if (l + strlen(x->name) + 3 < sizeof names)
            snprintf(names + l, sizeof names - l, "%s%s", l ? ", " : "", x->name);
        nc++;
    }
    aero_status st = AERO_OK;
    if (q->hint[0] && !hint_known)
        REASON("hint index '%s' is not an index of %s%s%s known to the client: no index used", q->hint, q->ds.ns,
               q->ds.set[0] ? "." : "", q->ds.set);
    else if (nc == 0)
        REASON("%s", same_set ? "no readable numeric, string or blob bin index of the dataset: no index used"
                              : "the dataset has no secondary index: no index used");
    else {
        aero_ael_filter f;
        aero_expr *rest = NULL;
        memset(&f, 0, sizeof f);
        st = aero_ael__compile_with_index(q->where_ael, NULL, 0, cand, nc, q->hint[0] ? q->hint : NULL, NULL, &f, &rest,
                                          err);
        if (st == AERO_OK && !f.set)
            REASON("no part of the where() is a comparison an index answers exactly (through and only; "
                   "indexes considered: %s): no index used",
                   names);
        else if (st == AERO_OK) {
            aero_index_cond c;
            memset(&c, 0, sizeof c);
            c.set = true;
            if (f.by_index_name)
                snprintf(c.name, sizeof c.name, "%s", f.index_name);
            else
                snprintf(c.bin, sizeof c.bin, "%s", f.bin);
            c.ptype = f.type == AERO_AEL_INT      ? AERO_PT_INTEGER
                      : f.type == AERO_AEL_STRING ? AERO_PT_STRING
                                                  : AERO_PT_BLOB;
            c.begin = f.begin;
            c.end = f.end;
            c.value = f.value;
            c.value_len = f.value_len;
            c.ctx = f.ctx;
            c.ctx_len = f.ctx_len;
            f.value = NULL;
            f.ctx = NULL;
            if (plan) {
                plan->uses_index = true;
                plan->automatic = true;
                plan->has_expression = rest != NULL;
                snprintf(plan->index_name, sizeof plan->index_name, "%s", f.index_name ? f.index_name : "");
                snprintf(plan->bin, sizeof plan->bin, "%s", f.bin);
                aero_index__cond_describe(&c, plan->filter, sizeof plan->filter);
                int64_t r = -1;
                for (size_t i = 0; i < nc; i++)
                    if (f.index_name && !strcmp(cand[i].name, f.index_name))
                        r = cand[i].ratio;
                REASON("%s '%s' on bin %s answers one comparison of the where() exactly (entries per value %" PRId64
                       "; indexes considered: %s); %s",
                       q->hint[0] ? "hint index" : "index", f.index_name ? f.index_name : "", f.bin, r, names,
                       rest ? "the rest of the where() filters what the index returns"
                            : "nothing of the where() remains");
            }
            if (apply) {
                char msg[160];
                aero_index__cond_free(&q->icond);
                q->icond = c;
                aero_buf__reset(&q->full_filter);
                aero_buf__put(&q->full_filter, q->filter.ptr, q->filter.len);
                if (q->full_filter.failed)
                    st = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory choosing an index");
                if (st == AERO_OK && rest) {
                    st = aero_filter__set_expr(&q->filter, rest, msg, sizeof msg);
                    if (st != AERO_OK)
                        aero_err__set(err, st, "query: %s", msg);
                } else if (st == AERO_OK)
                    aero_filter__clear(&q->filter);
            } else
                aero_index__cond_free(&c);
        }
        aero_ael__filter_free(&f);
        aero_expr_free(rest);
    }
    free(cand);
    aero_index_set__release(set);
    return st;
}
