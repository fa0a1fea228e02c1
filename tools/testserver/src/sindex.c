/*
 * sindex.c - secondary indexes: the sindex-create / sindex-delete /
 * sindex-list / sindex-stat info commands and the matching of records for a
 * query's INDEX_RANGE (field 22). Indexes are definitions only; a query
 * tests every record of the requested partitions, which gives the same
 * answers at test-server scale.
 */
#include "sindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp.h"

/* key=... found and fits in val */
static bool param(const char *params, const char *key, char *val, size_t cap) {
    return ts_info_param(params, key, val, cap) == 1;
}

static const char *type_name(uint8_t t) {
    return t == 1 ? "numeric" : t == 3 ? "string" : t == 4 ? "blob" : "geo2dsphere";
}

static const char *itype_name(uint8_t t) {
    static const char *const n[] = { "default", "list", "mapkeys", "mapvalues" };
    return n[t & 3];
}

static unsigned count_in_ns(const aero_testserver *ts, const char *ns) {
    unsigned n = 0;
    for (unsigned i = 0; i < ts->n_sindex; i++)
        n += !strcmp(ts->sindex[i].ns, ns);
    return n;
}

/* Room for one more definition in ts->sindex. */
static bool room(aero_testserver *ts) {
    if (ts->n_sindex < ts->cap_sindex)
        return true;
    unsigned cap = ts->cap_sindex ? ts->cap_sindex * 2 : 8;
    ts_sindex *n = realloc(ts->sindex, cap * sizeof *n);
    if (!n)
        return false;
    ts->sindex = n;
    ts->cap_sindex = cap;
    return true;
}

void ts_sindex_info(aero_testserver *ts, const char *cmd, const char *params, aero_buf *o) {
    char ns[64] = "", name[64] = "", v[64] = "";
    if (!strcmp(cmd, "sindex-create")) {
        ts_sindex x;
        memset(&x, 0, sizeof x);
        if (!param(params, "namespace", x.ns, sizeof x.ns) || !param(params, "indexname", x.name, sizeof x.name) ||
            !param(params, "bin", x.bin, sizeof x.bin) || !param(params, "type", v, sizeof v)) {
            aero_buf__put(o, "ERROR:4:bad parameters", 22);
            return;
        }
        if (!ts_store_ns(&ts->store, x.ns, strlen(x.ns))) {
            aero_buf__put(o, "ERROR:20:namespace not found", 28);
            return;
        }
        param(params, "set", x.set, sizeof x.set);
        if (!strcasecmp(v, "numeric"))
            x.ptype = 1;
        else if (!strcasecmp(v, "string"))
            x.ptype = 3;
        else if (!strcasecmp(v, "blob"))
            x.ptype = 4;
        else if (!strcasecmp(v, "geo2dsphere"))
            x.ptype = 23;
        else {
            aero_buf__put(o, "ERROR:4:bad type", 16);
            return;
        }
        if (param(params, "indextype", v, sizeof v)) {
            if (!strcasecmp(v, "list"))
                x.itype = 1;
            else if (!strcasecmp(v, "mapkeys"))
                x.itype = 2;
            else if (!strcasecmp(v, "mapvalues"))
                x.itype = 3;
            else if (strcasecmp(v, "default")) {
                aero_buf__put(o, "ERROR:4:bad indextype", 21);
                return;
            }
        }
        if (param(params, "context", v, sizeof v)) {
            aero_buf__put(o, "ERROR:4:contexts are not supported by the test server", 53);
            return;
        }
        for (unsigned i = 0; i < ts->n_sindex; i++) {
            const ts_sindex *y = &ts->sindex[i];
            if (!strcmp(y->ns, x.ns) && !strcmp(y->name, x.name)) {
                aero_buf__put(o, "ERROR:200:index already exists", 30);
                return;
            }
        }
        if (count_in_ns(ts, x.ns) >= ts->limits.max_sindexes) {
            aero_buf__put(o, "ERROR:206:too many indexes", 26);
            return;
        }
        if (!room(ts)) {
            aero_buf__put(o, "ERROR:1:out of memory", 21);
            return;
        }
        ts->sindex[ts->n_sindex++] = x;
        aero_buf__put(o, "OK", 2);
    } else if (!strcmp(cmd, "sindex-delete")) {
        param(params, "namespace", ns, sizeof ns);
        param(params, "indexname", name, sizeof name);
        for (unsigned i = 0; i < ts->n_sindex; i++) {
            if (!strcmp(ts->sindex[i].ns, ns) && !strcmp(ts->sindex[i].name, name)) {
                ts->sindex[i] = ts->sindex[--ts->n_sindex];
                aero_buf__put(o, "OK", 2);
                return;
            }
        }
        aero_buf__put(o, "ERROR:201:index not found", 25);
    } else if (!strcmp(cmd, "sindex-stat")) {
        param(params, "namespace", ns, sizeof ns);
        param(params, "indexname", name, sizeof name);
        for (unsigned i = 0; i < ts->n_sindex; i++) {
            if (!strcmp(ts->sindex[i].ns, ns) && !strcmp(ts->sindex[i].name, name)) {
                const char *s = "load_pct=100;load_time=0;entries=0;used_bytes=0;entries_per_bval=1;"
                                "entries_per_rec=1;query_basic_complete=0;query_basic_error=0";
                aero_buf__put(o, s, strlen(s));
                return;
            }
        }
        aero_buf__put(o, "ERROR:201:index not found", 25);
    } else { /* sindex-list */
        bool only = params && param(params, "namespace", ns, sizeof ns);
        for (unsigned i = 0; i < ts->n_sindex; i++) {
            const ts_sindex *x = &ts->sindex[i];
            if (only && strcmp(x->ns, ns))
                continue;
            char line[320];
            int n =
                snprintf(line, sizeof line,
                         "ns=%s:indexname=%s:set=%s:bin=%s:type=%s:indextype=%s:context=null:exp=null:state=RW;", x->ns,
                         x->name, x->set[0] ? x->set : "null", x->bin, type_name(x->ptype), itype_name(x->itype));
            if (n > 0)
                aero_buf__put(o, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        }
    }
}

int ts_sindex_parse(aero_testserver *ts, const ts_msg *m, const char *ns, ts_sindex_query *q) {
    memset(q, 0, sizeof *q);
    const ts_field *rf = m->fields_by_type[AERO_FIELD_INDEX_RANGE];
    const ts_field *nf = m->fields_by_type[AERO_FIELD_INDEX_NAME];
    const ts_field *tf = m->fields_by_type[AERO_FIELD_INDEX_TYPE];
    if (m->fields_by_type[AERO_FIELD_INDEX_EXPRESSION] || m->fields_by_type[AERO_FIELD_INDEX_CONTEXT])
        return AERO_ERR_INDEX_NOT_FOUND;
    if (!rf)
        return AERO_ERR_PARAMETER;
    const uint8_t *p = rf->data, *end = rf->data + rf->len;
    if (end - p < 2 || p[0] != 1)
        return AERO_ERR_PARAMETER;
    size_t bl = p[1];
    p += 2;
    if ((size_t)(end - p) < bl + 1 + 4 || bl > 15)
        return AERO_ERR_PARAMETER;
    char bin[16] = "";
    memcpy(bin, p, bl);
    p += bl;
    q->ptype = *p++;
    uint32_t l1 = aero_get_u32be(p);
    p += 4;
    if ((size_t)(end - p) < (size_t)l1 + 4)
        return AERO_ERR_PARAMETER;
    q->begin = p;
    q->begin_len = l1;
    p += l1;
    uint32_t l2 = aero_get_u32be(p);
    p += 4;
    if ((size_t)(end - p) != l2)
        return AERO_ERR_PARAMETER;
    q->end = p;
    q->end_len = l2;
    if (q->ptype == 1) {
        if (l1 != 8 || l2 != 8)
            return AERO_ERR_PARAMETER;
        q->lo = (int64_t)aero_get_u64be(q->begin);
        q->hi = (int64_t)aero_get_u64be(q->end);
    }
    uint8_t itype = tf && tf->len == 1 ? tf->data[0] : 0;
    char name[64] = "";
    if (nf && nf->len < sizeof name)
        memcpy(name, nf->data, nf->len);
    int rc = AERO_ERR_INDEX_NOT_FOUND;
    pthread_mutex_lock(&ts->mu);
    for (unsigned i = 0; i < ts->n_sindex; i++) {
        const ts_sindex *x = &ts->sindex[i];
        if (strcmp(x->ns, ns))
            continue;
        if (name[0] ? strcmp(x->name, name) == 0
                    : (strcmp(x->bin, bin) == 0 && x->itype == itype && x->ptype == q->ptype)) {
            memcpy(q->bin, x->bin, sizeof q->bin);
            q->itype = x->itype;
            if (x->ptype != q->ptype)
                rc = AERO_ERR_PARAMETER;
            else
                rc = 0;
            break;
        }
    }
    pthread_mutex_unlock(&ts->mu);
    return rc;
}

/* Does one msgpack element match? *bval receives its index value. */
static bool match_mp(const ts_sindex_query *q, const uint8_t *p, size_t n, int64_t *bval) {
    mp_reader r = { p, p + n };
    mp_obj o;
    if (!mp_read(&r, &o))
        return false;
    if (q->ptype == 1)
        return o.type == MP_INT && o.i >= q->lo && o.i <= q->hi && ((*bval = o.i), true);
    if (o.type != MP_STR || o.len == 0 || o.p[0] != q->ptype)
        return false;
    *bval = 0;
    return o.len - 1 == q->begin_len && memcmp(o.p + 1, q->begin, q->begin_len) == 0;
}

bool ts_sindex_match(const ts_sindex_query *q, const ts_record *r, int64_t *bval) {
    const ts_bin *b = ts_record_bin((ts_record *)r, q->bin, strlen(q->bin));
    if (!b)
        return false;
    if (q->itype == 0) {
        if (q->ptype == 1) {
            if (b->ptype != AERO_PT_INTEGER || b->len != 8)
                return false;
            int64_t v = (int64_t)aero_get_u64be(b->data);
            *bval = v;
            return v >= q->lo && v <= q->hi;
        }
        *bval = 0;
        return b->ptype == q->ptype && b->len == q->begin_len && memcmp(b->data, q->begin, q->begin_len) == 0;
    }
    if (b->ptype != (q->itype == 1 ? AERO_PT_LIST : AERO_PT_MAP))
        return false;
    mp_reader rd = { b->data, b->data + b->len };
    mp_obj o;
    if (!mp_read(&rd, &o) || (o.type != MP_ARRAY && o.type != MP_MAP))
        return false;
    for (uint32_t i = 0; i < o.len; i++) {
        const uint8_t *kp = NULL, *vp;
        size_t kn = 0, vn;
        if (o.type == MP_MAP && !mp_span(&rd, &kp, &kn))
            return false;
        if (!mp_span(&rd, &vp, &vn))
            return false;
        const uint8_t *tp = q->itype == 2 ? kp : vp;
        size_t tn = q->itype == 2 ? kn : vn;
        if (tp && match_mp(q, tp, tn, bval))
            return true;
    }
    return false;
}
