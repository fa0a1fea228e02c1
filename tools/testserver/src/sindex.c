/*
 * sindex.c - secondary indexes: the sindex-create / sindex-delete /
 * sindex-list / sindex-stat / sindex-exists info commands, answered as
 * server 8.1 answers them (sindex_manager.c), and the matching of records
 * for a query's INDEX_RANGE (field 22). Indexes are definitions only; a
 * query tests every record of the requested partitions and yields, like the
 * server's index tree, one entry per distinct matching value of a record.
 */
#include "sindex.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdt.h"
#include "geo.h"
#include "mp.h"

/* key=... found and fits in val */
static bool param(const char *params, const char *key, char *val, size_t cap) {
    return params && ts_info_param(params, key, val, cap) == 1;
}

/* namespace= (or ns=) */
static bool ns_param(const char *params, char *val, size_t cap) {
    return param(params, "namespace", val, cap) || param(params, "ns", val, cap);
}

static void put_str(aero_buf *o, const char *s) { aero_buf__put(o, s, strlen(s)); }

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

/* Standard base64 decode; -1 when malformed or too long. */
static long b64_decode(const char *s, uint8_t *out, size_t cap) {
    size_t n = strlen(s);
    if (n == 0 || n % 4 || n / 4 * 3 > cap)
        return -1;
    int r = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
    if (r < 0)
        return -1;
    if (s[n - 1] == '=')
        r--;
    if (s[n - 2] == '=')
        r--;
    return r;
}

/* A CDT context: a msgpack array of an even number (>= 2) of elements, nothing after it. */
static bool valid_ctx(const uint8_t *p, size_t n) {
    mp_reader r = { p, p + n };
    mp_obj o;
    if (!mp_read(&r, &o) || o.type != MP_ARRAY || o.len < 2 || o.len % 2)
        return false;
    for (uint32_t i = 0; i < o.len; i++) {
        mp_obj t;
        if (i % 2 == 0) {
            if (!mp_read(&r, &t) || t.type != MP_INT)
                return false;
        } else if (!mp_skip(&r))
            return false;
    }
    return r.p == r.end;
}

/* Same definition (the server's SMD key: ns, set, bin, context or expression, index type, key type). */
static bool same_def(const ts_sindex *a, const ts_sindex *b) {
    return !strcmp(a->ns, b->ns) && !strcmp(a->set, b->set) && !strcmp(a->bin, b->bin) && a->ptype == b->ptype &&
           a->itype == b->itype && !strcmp(a->ctx_b64, b->ctx_b64) && !strcmp(a->exp_b64, b->exp_b64);
}

static void sindex_create(aero_testserver *ts, const char *params, aero_buf *o) {
    ts_sindex x;
    char v[64] = "";
    memset(&x, 0, sizeof x);
    if (!param(params, "indexname", x.name, sizeof x.name)) {
        put_str(o, "ERROR:4:missing 'indexname'");
        return;
    }
    if (!ns_param(params, x.ns, sizeof x.ns)) {
        put_str(o, "ERROR:4:missing 'namespace'");
        return;
    }
    param(params, "set", x.set, sizeof x.set);
    uint8_t ctx[768];
    if (param(params, "context", x.ctx_b64, sizeof x.ctx_b64)) {
        long n = b64_decode(x.ctx_b64, ctx, sizeof ctx);
        if (n < 0) {
            put_str(o, "ERROR:4:'context' invalid base64");
            return;
        }
        if (!valid_ctx(ctx, (size_t)n)) {
            put_str(o, "ERROR:4:'context' invalid cdt context");
            return;
        }
    }
    if (param(params, "indextype", v, sizeof v)) {
        if (!strcasecmp(v, "default"))
            x.itype = 0;
        else if (!strcasecmp(v, "list"))
            x.itype = 1;
        else if (!strcasecmp(v, "mapkeys"))
            x.itype = 2;
        else if (!strcasecmp(v, "mapvalues"))
            x.itype = 3;
        else {
            put_str(o, "ERROR:4:bad 'indextype' - must be one of 'default', 'list', 'mapkeys', 'mapvalues'");
            return;
        }
    }
    if (!param(params, "type", v, sizeof v)) {
        put_str(o, "ERROR:4:both 'indexdata' and 'type' are missing");
        return;
    }
    if (!strcasecmp(v, "numeric"))
        x.ptype = 1;
    else if (!strcasecmp(v, "string"))
        x.ptype = 3;
    else if (!strcasecmp(v, "blob"))
        x.ptype = 4;
    else if (!strcasecmp(v, "geo2dsphere"))
        x.ptype = 23;
    else {
        put_str(o, "ERROR:4:bad 'type' - must be one of 'numeric', 'string', 'blob', 'geo2dsphere'");
        return;
    }
    bool has_bin = param(params, "bin", x.bin, sizeof x.bin);
    bool has_exp = param(params, "exp", x.exp_b64, sizeof x.exp_b64);
    if (has_bin && has_exp) {
        put_str(o, "ERROR:4:both 'bin' and 'exp' are specified");
        return;
    }
    if (!has_bin && !has_exp) {
        put_str(o, "ERROR:4:both 'bin' and 'exp' are missing");
        return;
    }
    if (has_exp) {
        uint8_t exp[1536];
        if (x.ctx_b64[0]) {
            put_str(o, "ERROR:4:both 'context' and 'exp' are specified");
            return;
        }
        long n = b64_decode(x.exp_b64, exp, sizeof exp);
        mp_reader r = { exp, exp + (n > 0 ? n : 0) };
        if (n <= 0 || !mp_skip(&r) || r.p != r.end) {
            put_str(o, "ERROR:4:bad 'exp'");
            return;
        }
    }
    if (x.itype == 2 && x.ptype == 23) {
        put_str(o, "ERROR:4:bad 'indexdata' bin type for 'indextype' 'mapkeys' - must be one of 'numeric', "
                   "'string', 'blob'");
        return;
    }
    if (!ts_store_ns(&ts->store, x.ns, strlen(x.ns))) {
        /* 8.1 stores the definition in its metadata without checking the namespace; no node has that
           namespace, so no node builds or lists the index */
        put_str(o, "ok");
        return;
    }
    int same_name = -1, same_key = -1;
    for (unsigned i = 0; i < ts->n_sindex; i++) {
        const ts_sindex *y = &ts->sindex[i];
        if (strcmp(y->ns, x.ns))
            continue;
        if (!strcmp(y->name, x.name))
            same_name = (int)i;
        if (same_def(y, &x))
            same_key = (int)i;
    }
    if (same_name >= 0) {
        if (same_key != same_name)
            put_str(o, "ERROR:200:'indexname' already exists with different definition");
        else
            put_str(o, "ok");
        return;
    }
    if (same_key >= 0) { /* the server renames an index created again under another name */
        memcpy(ts->sindex[same_key].name, x.name, sizeof x.name);
        put_str(o, "ok");
        return;
    }
    if (count_in_ns(ts, x.ns) >= ts->limits.max_sindexes) {
        put_str(o, "ERROR:206:already at sindex definition limit");
        return;
    }
    if (!room(ts)) {
        put_str(o, "ERROR:1:out of memory");
        return;
    }
    ts->sindex[ts->n_sindex++] = x;
    put_str(o, "ok");
}

static int find(const aero_testserver *ts, const char *ns, const char *name) {
    for (unsigned i = 0; i < ts->n_sindex; i++)
        if (!strcmp(ts->sindex[i].ns, ns) && !strcmp(ts->sindex[i].name, name))
            return (int)i;
    return -1;
}

/* The context as 8.1 displays it without b64: "[map_key(<string#5>), list_index(-1)]". */
static void put_ctx_text(aero_buf *o, const char *b64) {
    uint8_t ctx[768];
    long n = b64_decode(b64, ctx, sizeof ctx);
    mp_reader r = { ctx, ctx + (n > 0 ? n : 0) };
    mp_obj a;
    put_str(o, "[");
    if (n > 0 && mp_read(&r, &a) && a.type == MP_ARRAY) {
        static const char *const names[] = { "index", "rank", "key", "value" };
        for (uint32_t i = 0; i < a.len / 2; i++) {
            mp_obj t, v;
            if (!mp_read(&r, &t) || !mp_read(&r, &v))
                break;
            char buf[160];
            int k =
                snprintf(buf, sizeof buf, "%s%s%s(", i ? ", " : "", (t.i & 0x10) ? "list_" : "map_", names[t.i & 3]);
            aero_buf__put(o, buf, (size_t)k);
            if (v.type == MP_INT)
                k = snprintf(buf, sizeof buf, "%lld", (long long)v.i);
            else if (v.type == MP_STR && v.len > 0 && v.p[0] == AERO_PT_STRING)
                k = snprintf(buf, sizeof buf, "<string#%u>", v.len - 1);
            else
                k = snprintf(buf, sizeof buf, "?");
            aero_buf__put(o, buf, (size_t)k);
            put_str(o, ")");
        }
    }
    put_str(o, "]");
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* sindex-stat of an index: its entries counted over the store (the server's figures, computed now). */
static void put_stat(aero_testserver *ts, const ts_sindex *x, aero_buf *o) {
    static _Thread_local ts_sindex_query q;
    memset(&q, 0, sizeof q);
    snprintf(q.ns, sizeof q.ns, "%s", x->ns);
    q.def = *x;
    q.ptype = x->ptype;
    q.all = true;
    if (x->ctx_b64[0]) {
        long n = b64_decode(x->ctx_b64, q.ctx, sizeof q.ctx);
        q.ctx_len = n > 0 ? (size_t)n : 0;
    }
    if (x->exp_b64[0]) {
        long n = b64_decode(x->exp_b64, q.exp, sizeof q.exp);
        q.exp_len = n > 0 ? (size_t)n : 0;
    }
    uint64_t entries = 0, recs = 0;
    size_t nb = 0, cap = 0;
    int64_t *bv = NULL;
    pthread_mutex_lock(&ts->store.mu);
    ts_namespace *ns = ts_store_ns(&ts->store, x->ns, strlen(x->ns));
    size_t sl = strlen(x->set);
    for (unsigned p = 0; ns && p < TS_PARTITIONS; p++) {
        const ts_partition *part = &ns->parts[p];
        for (uint32_t i = 0; i < part->n; i++) {
            const ts_record *r = part->recs[i];
            if (sl && (r->set_len != sl || memcmp(r->set, x->set, sl)))
                continue;
            int64_t hits[TS_SINDEX_MAX_HITS];
            int h = ts_sindex_match(&q, r, hits);
            if (h == 0)
                continue;
            recs++;
            entries += (uint64_t)h;
            for (int k = 0; k < h; k++) {
                if (nb == cap) {
                    cap = cap ? cap * 2 : 256;
                    int64_t *g = realloc(bv, cap * sizeof *bv);
                    if (!g)
                        break;
                    bv = g;
                }
                bv[nb++] = hits[k];
            }
        }
    }
    pthread_mutex_unlock(&ts->store.mu);
    size_t distinct = 0;
    if (nb) {
        qsort(bv, nb, sizeof *bv, cmp_i64);
        distinct = 1;
        for (size_t i = 1; i < nb; i++)
            distinct += bv[i] != bv[i - 1];
    }
    free(bv);
    char buf[320];
    int n = snprintf(buf, sizeof buf,
                     "entries=%llu;used_bytes=%llu;entries_per_bval=%llu;entries_per_rec=%llu;load_pct=100;"
                     "load_time=0;stat_gc_recs=0",
                     (unsigned long long)entries, (unsigned long long)entries * 32,
                     (unsigned long long)(distinct ? entries / distinct : 0),
                     (unsigned long long)(recs ? entries / recs : 0));
    aero_buf__put(o, buf, (size_t)n);
}

void ts_sindex_info(aero_testserver *ts, const char *cmd, const char *params, aero_buf *o) {
    char ns[64] = "", name[64] = "", v[16] = "";
    if (!strcmp(cmd, "sindex-create")) {
        sindex_create(ts, params, o);
    } else if (!strcmp(cmd, "sindex-delete")) {
        if (!param(params, "indexname", name, sizeof name)) {
            put_str(o, "ERROR:4:missing 'indexname'");
            return;
        }
        if (!ns_param(params, ns, sizeof ns)) {
            put_str(o, "ERROR:4:missing 'namespace'");
            return;
        }
        int i = find(ts, ns, name);
        if (i >= 0)
            ts->sindex[i] = ts->sindex[--ts->n_sindex];
        put_str(o, "ok"); /* 8.1 answers ok for an index that is not there */
    } else if (!strcmp(cmd, "sindex-stat") || !strcmp(cmd, "sindex-exists")) {
        if (!param(params, "indexname", name, sizeof name)) {
            put_str(o, "ERROR:4:missing 'indexname'");
            return;
        }
        if (!ns_param(params, ns, sizeof ns) || !ts_store_ns(&ts->store, ns, strlen(ns))) {
            put_str(o, "ERROR:20:namespace not found");
            return;
        }
        int i = find(ts, ns, name);
        if (!strcmp(cmd, "sindex-exists"))
            put_str(o, i >= 0 ? "true" : "false");
        else if (i < 0)
            put_str(o, "ERROR:201:no index");
        else
            put_stat(ts, &ts->sindex[i], o);
    } else { /* sindex-list */
        bool only = ns_param(params, ns, sizeof ns);
        bool b64 = false;
        if (param(params, "b64", v, sizeof v)) {
            if (!strcmp(v, "true"))
                b64 = true;
            else if (strcmp(v, "false")) {
                put_str(o, "ERROR:4:bad b64");
                return;
            }
        }
        bool first = true;
        for (unsigned i = 0; i < ts->n_sindex; i++) {
            const ts_sindex *x = &ts->sindex[i];
            if (only && strcmp(x->ns, ns))
                continue;
            char line[320];
            int n = snprintf(line, sizeof line,
                             "%sns=%s:indexname=%s:set=%s:bin=%s:type=%s:indextype=%s:context=", first ? "" : ";",
                             x->ns, x->name, x->set[0] ? x->set : "null", x->bin[0] ? x->bin : "null",
                             type_name(x->ptype), itype_name(x->itype));
            aero_buf__put(o, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
            if (!x->ctx_b64[0])
                put_str(o, "null");
            else if (b64)
                put_str(o, x->ctx_b64);
            else
                put_ctx_text(o, x->ctx_b64);
            put_str(o, ":exp=");
            put_str(o, x->exp_b64[0] ? x->exp_b64 : "null"); /* the server displays the expression; b64 here */
            put_str(o, ":state=RW");
            first = false;
        }
    }
}

int ts_sindex_parse(aero_testserver *ts, const ts_msg *m, const char *ns, const char *set, size_t set_len,
                    ts_sindex_query *q) {
    memset(q, 0, sizeof *q);
    snprintf(q->ns, sizeof q->ns, "%s", ns);
    const ts_field *rf = m->fields_by_type[AERO_FIELD_INDEX_RANGE];
    const ts_field *nf = m->fields_by_type[AERO_FIELD_INDEX_NAME];
    const ts_field *tf = m->fields_by_type[AERO_FIELD_INDEX_TYPE];
    const ts_field *cf = m->fields_by_type[AERO_FIELD_INDEX_CONTEXT];
    const ts_field *ef = m->fields_by_type[AERO_FIELD_INDEX_EXPRESSION];
    if (!rf || (nf && ef) || (nf && (nf->len == 0 || nf->len >= 64)) || (ef && ef->len == 0))
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
    const uint8_t *begin = p;
    p += l1;
    uint32_t l2 = aero_get_u32be(p);
    p += 4;
    if ((size_t)(end - p) != l2)
        return AERO_ERR_PARAMETER;
    if (q->ptype == 1) {
        if (l1 != 8 || l2 != 8)
            return AERO_ERR_PARAMETER;
        q->lo = (int64_t)aero_get_u64be(begin);
        q->hi = (int64_t)aero_get_u64be(p);
    } else if (q->ptype == 3 || q->ptype == 4 || q->ptype == 23) {
        if (l1 >= sizeof q->value || (q->ptype == 23 && l1 == 0))
            return AERO_ERR_PARAMETER;
        memcpy(q->value, begin, l1);
        q->value_len = l1;
    } else
        return AERO_ERR_PARAMETER;
    uint8_t itype = tf && tf->len == 1 ? tf->data[0] : 0;
    char name[64] = "";
    if (nf)
        memcpy(name, nf->data, nf->len);
    int rc = AERO_ERR_INDEX_NOT_FOUND;
    pthread_mutex_lock(&ts->mu);
    int found = -1;
    if (name[0])
        found = find(ts, ns, name);
    else {
        /* by definition: in the query's set first, then an index on no set */
        for (int pass = 0; pass < 2 && found < 0; pass++) {
            for (unsigned i = 0; i < ts->n_sindex && found < 0; i++) {
                const ts_sindex *x = &ts->sindex[i];
                bool set_ok = pass == 0 ? (set_len && strlen(x->set) == set_len && !memcmp(x->set, set, set_len))
                                        : x->set[0] == '\0';
                if (strcmp(x->ns, ns) || !set_ok || x->itype != itype || x->ptype != q->ptype)
                    continue;
                uint8_t buf[1536];
                if (ef) {
                    long n = x->exp_b64[0] ? b64_decode(x->exp_b64, buf, sizeof buf) : -1;
                    if (n != (long)ef->len || memcmp(buf, ef->data, ef->len))
                        continue;
                } else {
                    if (x->exp_b64[0] || strcmp(x->bin, bin))
                        continue;
                    long n = x->ctx_b64[0] ? b64_decode(x->ctx_b64, buf, sizeof buf) : 0;
                    if ((cf ? (long)cf->len : 0) != n || (cf && memcmp(buf, cf->data, cf->len)))
                        continue;
                }
                found = (int)i;
            }
        }
    }
    if (found >= 0) {
        q->def = ts->sindex[found];
        rc = q->def.ptype == q->ptype ? 0 : AERO_ERR_PARAMETER;
        if (q->def.ctx_b64[0]) {
            long n = b64_decode(q->def.ctx_b64, q->ctx, sizeof q->ctx);
            q->ctx_len = n > 0 ? (size_t)n : 0;
        }
        if (q->def.exp_b64[0]) {
            long n = b64_decode(q->def.exp_b64, q->exp, sizeof q->exp);
            q->exp_len = n > 0 ? (size_t)n : 0;
        }
    }
    pthread_mutex_unlock(&ts->mu);
    return rc;
}

/* A bin particle (or expression result) as one msgpack value (Aerospike's string / blob / geo prefixes). */
static bool particle_mp(uint8_t ptype, const uint8_t *d, uint32_t n, aero_buf *out) {
    switch (ptype) {
    case AERO_PT_INTEGER:
        if (n != 8)
            return false;
        mp_put_int(out, (int64_t)aero_get_u64be(d));
        return true;
    case AERO_PT_STRING:
    case AERO_PT_BLOB: mp_put_pstr(out, ptype, d, n); return true;
    case AERO_PT_GEOJSON: {
        if (n < 3)
            return false;
        uint32_t cells = (uint32_t)(d[1] << 8 | d[2]);
        if ((uint64_t)3 + 8ull * cells > n)
            return false;
        mp_put_pstr(out, AERO_PT_GEOJSON, d + 3 + 8 * cells, n - 3 - 8 * cells);
        return true;
    }
    case AERO_PT_LIST:
    case AERO_PT_MAP: aero_buf__put(out, d, n); return true;
    default: return false;
    }
}

/* The element the context selects (msgpack), appended to out; false when it is not there. */
static bool apply_ctx(const uint8_t *ctx, size_t ctx_len, const uint8_t *v, size_t vn, aero_buf *out) {
    mp_reader r = { ctx, ctx + ctx_len };
    mp_obj a;
    if (!mp_read(&r, &a) || a.type != MP_ARRAY || a.len < 2)
        return false;
    const uint8_t *parts = r.p;
    for (uint32_t i = 0; i + 2 < a.len; i++)
        if (!mp_skip(&r))
            return false;
    const uint8_t *last = r.p;
    mp_obj t;
    const uint8_t *vp;
    size_t vl;
    if (!mp_read(&r, &t) || t.type != MP_INT || !mp_span(&r, &vp, &vl))
        return false;
    /* the last part as a get-by op returning the value (7) */
    int op;
    bool many = false;
    switch (t.i & 0x33) {
    case 0x10: op = 19; break;               /* list get_by_index */
    case 0x11: op = 21; break;               /* list get_by_rank */
    case 0x13: op = 22, many = true; break;  /* list get_all_by_value */
    case 0x20: op = 98; break;               /* map get_by_index */
    case 0x21: op = 100; break;              /* map get_by_rank */
    case 0x22: op = 97; break;               /* map get_by_key */
    case 0x23: op = 102, many = true; break; /* map get_all_by_value */
    default: return false;
    }
    aero_buf pl;
    aero_buf__init(&pl, NULL, 0);
    if (a.len > 2) {
        mp_put_array(&pl, 3);
        mp_put_int(&pl, 0xff);
        mp_put_array(&pl, a.len - 2);
        aero_buf__put(&pl, parts, (size_t)(last - parts));
    }
    mp_put_array(&pl, 3);
    mp_put_int(&pl, op);
    mp_put_int(&pl, 7);
    aero_buf__put(&pl, vp, vl);
    aero_buf res;
    aero_buf__init(&res, NULL, 0);
    bool ok = !pl.failed && ts_cdt_eval(v, vn, pl.data, pl.len, &res) == 0 && !res.failed;
    if (ok && many) { /* the first match */
        mp_reader rr = { res.data, res.data + res.len };
        mp_obj l;
        const uint8_t *ep;
        size_t en;
        ok = mp_read(&rr, &l) && l.type == MP_ARRAY && l.len > 0 && mp_span(&rr, &ep, &en);
        if (ok)
            aero_buf__put(out, ep, en);
    } else if (ok)
        aero_buf__put(out, res.data, res.len);
    aero_buf__free(&res);
    aero_buf__free(&pl);
    return ok;
}

/* Is msgpack value p of the index's key type, and does it match? *bval its index value. */
static bool match_one(const ts_sindex_query *q, const uint8_t *p, size_t n, int64_t *bval) {
    mp_reader r = { p, p + n };
    mp_obj o;
    if (!mp_read(&r, &o))
        return false;
    *bval = 0;
    if (q->def.ptype == 1)
        return o.type == MP_INT && ((o.i >= q->lo && o.i <= q->hi) || q->all) && ((*bval = o.i), true);
    if ((o.type != MP_STR && o.type != MP_BIN) || o.len == 0 || o.p[0] != q->def.ptype)
        return false;
    if (q->all) { /* the value's hash as its index value (FNV-1a) */
        uint64_t h = 14695981039346656037ull;
        for (uint32_t i = 1; i < o.len; i++)
            h = (h ^ o.p[i]) * 1099511628211ull;
        *bval = (int64_t)h;
        return true;
    }
    if (q->def.ptype == 23)
        return ts_geo_compare((const char *)o.p + 1, o.len - 1, (const char *)q->value, q->value_len) == 1;
    return o.len - 1 == q->value_len && memcmp(o.p + 1, q->value, q->value_len) == 0;
}

static void add_hit(int64_t *bvals, int *n, int64_t v) {
    for (int i = 0; i < *n; i++)
        if (bvals[i] == v)
            return;
    if (*n >= TS_SINDEX_MAX_HITS)
        return;
    int i = *n;
    while (i > 0 && bvals[i - 1] > v) {
        bvals[i] = bvals[i - 1];
        i--;
    }
    bvals[i] = v;
    (*n)++;
}

int ts_sindex_match(const ts_sindex_query *q, const ts_record *r, int64_t *bvals) {
    aero_buf root;
    aero_buf__init(&root, NULL, 0);
    int hits = 0;
    if (q->exp_len) {
        aero_buf w;
        aero_buf__init(&w, NULL, 0);
        mp_put_array(&w, 2);
        aero_buf__put(&w, q->exp, q->exp_len);
        mp_put_int(&w, 0);
        int64_t flags;
        uint8_t pt;
        uint8_t *d = NULL;
        uint32_t dl = 0;
        bool unknown;
        bool ok = !w.failed && ts_exp_op_value(w.data, w.len, r, q->ns, &flags, &pt, &d, &dl, &unknown) == 0 &&
                  !unknown && particle_mp(pt, d, dl, &root);
        free(d);
        aero_buf__free(&w);
        if (!ok)
            goto done;
    } else {
        const ts_bin *b = ts_record_bin((ts_record *)r, q->def.bin, strlen(q->def.bin));
        if (!b || !particle_mp(b->ptype, b->data, b->len, &root))
            goto done;
    }
    if (q->ctx_len) {
        aero_buf sub;
        aero_buf__init(&sub, NULL, 0);
        bool ok = apply_ctx(q->ctx, q->ctx_len, root.data, root.len, &sub);
        aero_buf__free(&root);
        root = sub;
        if (!ok)
            goto done;
    }
    int64_t bv;
    if (q->def.itype == 0) {
        if (match_one(q, root.data, root.len, &bv))
            add_hit(bvals, &hits, bv);
        goto done;
    }
    mp_reader rd = { root.data, root.data + root.len };
    mp_obj o;
    if (!mp_read(&rd, &o) || (o.type != (q->def.itype == 1 ? MP_ARRAY : MP_MAP)))
        goto done;
    for (uint32_t i = 0; i < o.len; i++) {
        const uint8_t *kp = NULL, *vp;
        size_t kn = 0, vn;
        if (o.type == MP_MAP && !mp_span(&rd, &kp, &kn))
            break;
        if (!mp_span(&rd, &vp, &vn))
            break;
        const uint8_t *first = o.type == MP_MAP ? kp : vp;
        if (i == 0 && first[0] >= 0xc7 && first[0] <= 0xc9)
            continue; /* the order flags of an ordered list or map */
        const uint8_t *tp = q->def.itype == 2 ? kp : vp;
        size_t tn = q->def.itype == 2 ? kn : vn;
        if (tp && match_one(q, tp, tn, &bv))
            add_hit(bvals, &hits, bv);
    }
done:
    aero_buf__free(&root);
    return hits;
}
