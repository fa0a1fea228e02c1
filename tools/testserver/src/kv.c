/*
 * kv.c - single-record commands: read, exists, write (all record-exists
 * policies), delete, touch and operate, with Aerospike 8.1 CE semantics.
 *
 * A write works on a copy of the record and commits it only when every op
 * succeeded, so a failing op leaves the stored record untouched, as the real
 * server does. Rules checked against shared/wire-transcripts/kv-basics.jsonl:
 * generation starts at 1 and increments on every write/touch; removing the
 * last bin deletes the record (answer generation 0); append/increment create
 * a missing bin; KEY_EXISTS and GENERATION answers carry the stored
 * generation.
 */
#include "ts.h"
#include "udf.h"

#include <stdlib.h>
#include <string.h>

#include "blobop.h"
#include "cdt.h"
#include "hll.h"
#include "mp.h"

/* The parts of a write, defined after ts_kv_row(). */
static int kv_delete(ts_store *s, ts_namespace *ns, const ts_msg *m, const ts_record *rec, uint32_t txn_ttl,
                     aero_buf *out);
static int write_checks(const ts_msg *m, const ts_record *rec, bool must_exist, const char *ns, uint32_t *ttl);
static ts_record *new_version(const ts_msg *m, const ts_record *rec);
static int apply_ops(const ts_msg *m, ts_record *w, const char *ns, aero_buf *out, uint16_t *n_ops);

static bool valid_key(const ts_field *k) {
    if (!k)
        return true;
    if (k->len < 1)
        return false;
    uint8_t t = k->data[0];
    if (t == AERO_PT_INTEGER || t == AERO_PT_FLOAT)
        return k->len == 9;
    return t == AERO_PT_STRING || t == AERO_PT_BLOB || (t >= 7 && t <= 12);
}

static bool key_matches(const ts_record *r, const ts_field *k) {
    if (!k || !r->has_key)
        return true;
    return r->key_type == k->data[0] && r->key_len == k->len - 1 && memcmp(r->key, k->data + 1, r->key_len) == 0;
}

/* A list / map particle must be exactly one well-formed msgpack array / map. */
static bool valid_collection(uint8_t ptype, const uint8_t *p, uint32_t len) {
    mp_reader r = { p, p + len };
    mp_obj o;
    mp_reader peek = r;
    if (!mp_read(&peek, &o) || o.type != (ptype == AERO_PT_LIST ? MP_ARRAY : MP_MAP))
        return false;
    return mp_skip(&r) && r.p == r.end;
}

/*
 * Ordered lists must be sorted and key-ordered maps strictly sorted by key, at
 * every level: the server refuses anything else ("list/map not ordered as
 * expected") with result 1 rather than sorting it. Consumes one value. The
 * walk keeps its own stack of open collections (any nesting depth is stored,
 * as the server does), so it uses no recursion; each level costs one frame.
 */
typedef struct sc_frame {
    uint32_t left; /* elements (items or entries) still to read */
    bool is_map, ordered, at_value;
    const uint8_t *prev, *cur; /* previous and current item / key */
    size_t prev_n;
} sc_frame;

/* Open a collection whose header was just read: consume an order ext. */
static bool sc_open(mp_reader *r, const mp_obj *o, sc_frame *f) {
    mp_obj e;
    mp_reader peek = *r;
    *f = (sc_frame){ .left = o->len, .is_map = o->type == MP_MAP };
    if (f->left && mp_read(&peek, &e) && e.type == MP_EXT && e.ext_type != -1) {
        f->ordered = (e.ext_type & 1) != 0;
        *r = peek;
        if (f->is_map && !mp_skip(r))
            return false;
        f->left--;
    }
    return true;
}

/* One value of the top frame is complete (ending at r->p): check its order. */
static bool sc_done(sc_frame *f, const uint8_t *end) {
    if (f->is_map && f->at_value) {
        f->at_value = false;
        f->left--;
        return true;
    }
    if (f->ordered && f->prev) {
        bool ok;
        int c = mp_cmp(f->prev, f->prev_n, f->cur, (size_t)(end - f->cur), &ok);
        if (!ok || c > 0 || (f->is_map && c == 0))
            return false;
    }
    f->prev = f->cur;
    f->prev_n = (size_t)(end - f->cur);
    if (f->is_map)
        f->at_value = true;
    else
        f->left--;
    return true;
}

static bool sorted_collections(mp_reader *r) {
    sc_frame local[16], *st = local;
    size_t cap = 16, top = 0;
    bool ok = true;
    for (;;) {
        if (top && !st[top - 1].at_value)
            st[top - 1].cur = r->p;
        mp_obj o;
        if (!mp_read(r, &o)) {
            ok = false;
            break;
        }
        if (o.type == MP_ARRAY || o.type == MP_MAP) {
            if (top == cap) {
                sc_frame *bigger = malloc(2 * cap * sizeof *bigger);
                if (!bigger) {
                    ok = false;
                    break;
                }
                memcpy(bigger, st, top * sizeof *st);
                if (st != local)
                    free(st);
                st = bigger;
                cap *= 2;
            }
            if (!sc_open(r, &o, &st[top])) {
                ok = false;
                break;
            }
            if (st[top++].left)
                continue; /* read its first element */
            top--;        /* empty: complete at once */
        }
        /* a value is complete: close every collection it completes */
        while (top && ok) {
            sc_frame *f = &st[top - 1];
            ok = sc_done(f, r->p);
            if (f->left || f->at_value)
                break;
            top--;
        }
        if (!ok || !top)
            break;
    }
    if (st != local)
        free(st);
    return ok;
}

/* Validate a particle value written into a bin; returns 0 or a result code. */
static int check_particle(uint8_t ptype, uint32_t len) {
    switch (ptype) {
    case AERO_PT_INTEGER: /* 1, 2, 4 or 8 bytes, zero-extended (integer_from_wire) */
        return len == 1 || len == 2 || len == 4 || len == 8 ? 0 : AERO_ERR_PARAMETER;
    case AERO_PT_FLOAT: return len == 8 ? 0 : AERO_ERR_PARAMETER;
    case AERO_PT_BOOL: return len == 1 ? 0 : AERO_ERR_PARAMETER;
    case AERO_PT_STRING:
    case AERO_PT_BLOB:
    case 7:
    case 8:
    case 9:
    case 10:
    case 11:
    case 12:
    case AERO_PT_HLL: return 0;
    case AERO_PT_MAP:
    case AERO_PT_LIST: return 0; /* the msgpack itself is checked by valid_collection() */
    case AERO_PT_GEOJSON: return len >= 3 ? 0 : AERO_ERR_PARAMETER;
    default: return AERO_ERR_PARAMETER;
    }
}

/* Stored integers are 8 bytes; narrower wire integers are zero-extended as the server does. */
static int64_t int_from(const uint8_t *p, uint32_t len) {
    uint64_t v = 0;
    for (uint32_t i = 0; i < len; i++)
        v = (v << 8) | p[i];
    return (int64_t)v;
}

static double dbl_from(const uint8_t *p) {
    uint64_t u = aero_get_u64be(p);
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static void put_bins(aero_buf *out, const ts_record *r, uint16_t *n_ops) {
    for (uint32_t i = 0; i < r->n_bins; i++) {
        const ts_bin *b = &r->bins[i];
        ts_resp_op(out, AERO_MSG_OP_READ, b->ptype, b->name, b->name_len, b->data, b->len);
        (*n_ops)++;
    }
}

static bool is_read_op(uint8_t op) {
    return op == AERO_MSG_OP_READ || op == AERO_MSG_OP_CDT_READ || op == AERO_MSG_OP_EXP_READ ||
           op == AERO_MSG_OP_BIT_READ || op == AERO_MSG_OP_HLL_READ;
}

/* A read op evaluated against record r (which exists). Appends result ops. */
static int read_op(const ts_op *o, const ts_record *r, const char *ns, bool respond_all, aero_buf *out,
                   uint16_t *n_ops) {
    if (o->op == AERO_MSG_OP_READ) {
        if (o->name_len == 0) {
            put_bins(out, r, n_ops);
            return 0;
        }
        const ts_bin *b = ts_record_bin((ts_record *)r, o->name, o->name_len);
        if (b) {
            ts_resp_op(out, o->op, b->ptype, b->name, b->name_len, b->data, b->len);
            (*n_ops)++;
        } else if (respond_all) {
            ts_resp_op(out, o->op, AERO_PT_NULL, o->name, o->name_len, NULL, 0);
            (*n_ops)++;
        }
        return 0;
    }
    uint8_t pt = 0;
    uint8_t *d = NULL;
    uint32_t dl = 0;
    int rc;
    if (o->op == AERO_MSG_OP_CDT_READ) {
        const ts_bin *b = ts_record_bin((ts_record *)r, o->name, o->name_len);
        rc = ts_cdt_read_op(b, o->value, o->value_len, &pt, &d, &dl);
        if (rc == TS_CDT_NO_BIN) {
            ts_resp_op(out, o->op, 0, o->name, o->name_len, NULL, 0);
            (*n_ops)++;
            return 0;
        }
    } else if (o->op == AERO_MSG_OP_EXP_READ) {
        rc = ts_exp_op(o->value, o->value_len, r, ns, false, &pt, &d, &dl);
    } else {
        ts_particle res;
        rc = ts_blob_read_op(o, r, &res); /* bit / HLL read */
        if (rc == 0 && res.ptype == AERO_PT_NULL && !respond_all)
            return 0; /* a missing bin: no answer op */
        pt = res.ptype;
        d = res.data;
        dl = res.len;
    }
    if (rc != 0)
        return rc;
    /* answers to an op list echo each op's code and name (as_msg_make_response_msg) */
    ts_resp_op(out, o->op, pt, o->name, o->name_len, d, dl);
    (*n_ops)++;
    free(d);
    return 0;
}

/* Bin = a list or map value, normalized as the server stores it (ts_cdt_normalize). */
static int write_collection(ts_record *w, const ts_op *o) {
    aero_buf v;
    aero_buf__init(&v, NULL, 0);
    int rc = ts_cdt_normalize(o->value, o->value_len, &v);
    if (rc == 0 && (v.failed || !ts_record_set_bin(w, o->name, o->name_len, o->ptype, v.data, (uint32_t)v.len)))
        rc = AERO_ERR_SERVER;
    aero_buf__free(&v);
    return rc;
}

/* A write op applied to w; *deleted set by DELETE. CDT modifies append their result op to out. */
static int write_op(const ts_op *o, ts_record *w, const char *ns, bool *deleted, bool respond_all, aero_buf *out,
                    uint16_t *n_ops) {
    switch (o->op) {
    case AERO_MSG_OP_WRITE: {
        if (o->name_len == 0)
            return AERO_ERR_BIN_NAME;
        if (o->ptype == AERO_PT_NULL) {
            ts_record_remove_bin(w, o->name, o->name_len);
            return 0;
        }
        int rc = check_particle(o->ptype, o->value_len);
        if (rc)
            return rc;
        if (o->ptype == AERO_PT_HLL && !ts_hll_valid(o->value, o->value_len))
            return AERO_ERR_PARAMETER; /* hll_from_wire: flags, bit counts and size */
        if ((o->ptype == AERO_PT_LIST || o->ptype == AERO_PT_MAP) &&
            !valid_collection(o->ptype, o->value, o->value_len))
            return AERO_ERR_PARAMETER;
        if (o->ptype == AERO_PT_LIST || o->ptype == AERO_PT_MAP) {
            mp_reader r = { o->value, o->value + o->value_len };
            if (!sorted_collections(&r))
                return AERO_ERR_SERVER;
        }
        if (o->ptype == AERO_PT_INTEGER && o->value_len != 8) {
            uint8_t v8[8];
            aero_set_u64be(v8, (uint64_t)int_from(o->value, o->value_len));
            return ts_record_set_bin(w, o->name, o->name_len, o->ptype, v8, 8) ? 0 : AERO_ERR_SERVER;
        }
        if (o->ptype == AERO_PT_LIST || o->ptype == AERO_PT_MAP) /* stored as the server stores it */
            return write_collection(w, o);
        return ts_record_set_bin(w, o->name, o->name_len, o->ptype, o->value, o->value_len) ? 0 : AERO_ERR_SERVER;
    }
    case AERO_MSG_OP_INCR: {
        if (o->name_len == 0)
            return AERO_ERR_BIN_NAME;
        if (o->ptype != AERO_PT_INTEGER && o->ptype != AERO_PT_FLOAT)
            return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
        if (check_particle(o->ptype, o->value_len))
            return AERO_ERR_PARAMETER;
        ts_bin *b = ts_record_bin(w, o->name, o->name_len);
        uint8_t v[8];
        if (o->ptype == AERO_PT_INTEGER) {
            uint64_t add = (uint64_t)int_from(o->value, o->value_len);
            if (b && b->ptype != AERO_PT_INTEGER)
                return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
            uint64_t cur = b ? (uint64_t)int_from(b->data, b->len) : 0;
            aero_set_u64be(v, cur + add);
        } else {
            if (b && b->ptype != AERO_PT_FLOAT)
                return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
            double cur = b ? dbl_from(b->data) : 0.0;
            double s = cur + dbl_from(o->value);
            uint64_t u;
            memcpy(&u, &s, 8);
            aero_set_u64be(v, u);
        }
        return ts_record_set_bin(w, o->name, o->name_len, o->ptype, v, 8) ? 0 : AERO_ERR_SERVER;
    }
    case AERO_MSG_OP_APPEND:
    case AERO_MSG_OP_PREPEND: {
        if (o->name_len == 0)
            return AERO_ERR_BIN_NAME;
        if (o->ptype != AERO_PT_STRING && o->ptype != AERO_PT_BLOB && !(o->ptype >= 7 && o->ptype <= 12))
            return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
        ts_bin *b = ts_record_bin(w, o->name, o->name_len);
        if (!b)
            return ts_record_set_bin(w, o->name, o->name_len, o->ptype, o->value, o->value_len) ? 0 : AERO_ERR_SERVER;
        if (b->ptype != o->ptype)
            return AERO_ERR_BIN_INCOMPATIBLE_TYPE;
        uint32_t n = b->len + o->value_len;
        uint8_t *d = malloc(n ? n : 1);
        if (!d)
            return AERO_ERR_SERVER;
        if (o->op == AERO_MSG_OP_APPEND) {
            if (b->len)
                memcpy(d, b->data, b->len);
            memcpy(d + b->len, o->value, o->value_len);
        } else {
            memcpy(d, o->value, o->value_len);
            if (b->len)
                memcpy(d + o->value_len, b->data, b->len);
        }
        free(b->data);
        b->data = d;
        b->len = n;
        return 0;
    }
    case AERO_MSG_OP_TOUCH: return 0;
    case AERO_MSG_OP_DELETE:
        ts_record_clear_bins(w);
        *deleted = true;
        return 0;
    case AERO_MSG_OP_CDT_MODIFY: {
        if (o->name_len == 0)
            return AERO_ERR_BIN_NAME;
        uint8_t pt;
        uint8_t *d;
        uint32_t dl;
        int rc = ts_cdt_modify_op(w, o->name, o->name_len, o->value, o->value_len, &pt, &d, &dl);
        if (rc == 0 && (respond_all || pt != AERO_PT_NULL)) {
            ts_resp_op(out, o->op, pt, o->name, o->name_len, d, dl);
            (*n_ops)++;
        }
        free(d);
        return rc;
    }
    case AERO_MSG_OP_BIT_MODIFY:
    case AERO_MSG_OP_HLL_MODIFY: {
        ts_particle res;
        int rc = ts_blob_modify_op(o, w, &res);
        /* bit modifies answer nothing (nil with respond-all, added by the caller) */
        if (rc == 0 && o->op == AERO_MSG_OP_HLL_MODIFY && (respond_all || res.ptype != AERO_PT_NULL)) {
            ts_resp_op(out, o->op, res.ptype, o->name, o->name_len, res.data, res.len);
            (*n_ops)++;
        }
        free(res.data);
        return rc;
    }
    case AERO_MSG_OP_EXP_MODIFY: {
        if (o->name_len == 0)
            return AERO_ERR_BIN_NAME;
        return ts_exp_write_op(w, o->name, o->name_len, o->value, o->value_len, ns);
    }
    default: return AERO_ERR_PARAMETER;
    }
}

static int filter_check(const ts_msg *m, const ts_record *r, const char *ns) {
    const ts_field *f = m->fields_by_type[AERO_FIELD_FILTER];
    if (!f || !r)
        return 0;
    int e = ts_exp_filter(f->data, f->len, r, ns);
    if (e == TS_EXP_ERROR)
        return AERO_ERR_PARAMETER;
    return e == TS_EXP_TRUE ? 0 : AERO_ERR_FILTERED_OUT;
}

/* Header-only answer inside the current frame. */
static int answer(aero_buf *out, int rc, uint32_t gen, uint32_t vt, uint32_t txn_ttl) {
    size_t h = ts_resp_begin(out);
    ts_resp_end(out, h, 0, 0, (uint8_t)rc, gen, vt, txn_ttl, 0, 0);
    return rc;
}

static bool is_modify_op(uint8_t op) {
    return op == AERO_MSG_OP_INCR || op == AERO_MSG_OP_APPEND || op == AERO_MSG_OP_PREPEND ||
           op == AERO_MSG_OP_CDT_MODIFY || op == AERO_MSG_OP_BIT_MODIFY || op == AERO_MSG_OP_HLL_MODIFY ||
           op == AERO_MSG_OP_DELETE;
}

/*
 * The server's checks of a write's op list (write_master_policies): returns
 * 0 or a result code, and whether the record must already exist.
 */
static int write_policies(const ts_msg *m, bool *must_exist) {
    bool respond_all = (m->info2 & AERO_INFO2_RESPOND_ALL_OPS) != 0;
    bool replace = (m->info3 & (AERO_INFO3_CREATE_OR_REPLACE | AERO_INFO3_REPLACE_ONLY)) != 0;
    bool has_read = false, has_read_all = false, response_bin = false;
    *must_exist = (m->info3 & (AERO_INFO3_UPDATE_ONLY | AERO_INFO3_REPLACE_ONLY)) != 0;
    if (m->n_ops == 0)
        return AERO_ERR_PARAMETER;
    for (uint16_t i = 0; i < m->n_ops; i++) {
        const ts_op *o = &m->ops[i];
        if (o->op == AERO_MSG_OP_TOUCH) {
            if (replace)
                return AERO_ERR_PARAMETER;
            *must_exist = true;
            continue;
        }
        if (o->name_len > 15)
            return AERO_ERR_BIN_NAME;
        if (o->op == AERO_MSG_OP_WRITE) {
            if (o->ptype == AERO_PT_NULL && replace)
                return AERO_ERR_PARAMETER;
        } else if (is_modify_op(o->op)) {
            if (replace)
                return AERO_ERR_PARAMETER;
            if (o->op == AERO_MSG_OP_CDT_MODIFY || o->op == AERO_MSG_OP_HLL_MODIFY)
                response_bin = true;
        } else if (o->op == AERO_MSG_OP_READ && (o->name_len == 0 || (m->info1 & AERO_INFO1_GET_ALL))) {
            if (respond_all || has_read_all)
                return AERO_ERR_PARAMETER;
            has_read = has_read_all = true;
        } else if (is_read_op(o->op)) {
            has_read = response_bin = true;
        }
        /* an unknown op fails only when it is applied (4, with the
           record's generation and void time) */
    }
    if (has_read && !(m->info1 & AERO_INFO1_READ))
        return AERO_ERR_PARAMETER;
    if (has_read_all && response_bin)
        return AERO_ERR_PARAMETER;
    if ((m->info1 & AERO_INFO1_GET_ALL) && !has_read_all)
        return AERO_ERR_PARAMETER;
    return 0;
}

/* Set name of the request against a stored record (set_name_check / _on_update). */
static bool set_ok(const ts_record *r, const ts_field *fset, bool update) {
    size_t n = fset ? fset->len : 0;
    if (n == 0)
        return !update || r->set_len == 0;
    return r->set_len == n && memcmp(r->set, fset->data, n) == 0;
}

static bool gen_ok(const ts_msg *m, uint32_t gen) {
    if (m->info2 & AERO_INFO2_GENERATION)
        return m->generation == gen;
    if (m->info2 & AERO_INFO2_GENERATION_GT)
        return m->generation > gen;
    return true;
}

/*
 * Read-touch (the server's as_read_touch_check): a read's record_ttl carries
 * the percent (0 = the namespace's default-read-touch-ttl-pct, -1 = never,
 * above 100 = PARAMETER). A record with a TTL is touched once the time left
 * is at most that share of the TTL it was last written with; the touch
 * rewrites it with that TTL from now and a new last-update time, keeping the
 * generation, and runs after the read, whose answer still carries the old
 * void time. Returns -1 for a bad percent, else the new void time or 0.
 */
static int64_t read_touch_void_time(const ts_store *s, const ts_msg *m, const ts_record *rec, uint32_t now) {
    uint32_t pct = m->record_ttl;
    if (rec->void_time == 0 || pct == UINT32_MAX)
        return 0;
    if (pct == 0 && (pct = s->default_read_touch_pct) == 0)
        return 0;
    if (pct > 100)
        return -1;
    uint64_t lut = rec->last_update_ns / 1000000000u - AERO_CITRUSLEAF_EPOCH;
    uint32_t write_ttl = rec->void_time - (uint32_t)lut;
    uint32_t threshold = (uint32_t)((uint64_t)write_ttl * pct / 100);
    if (now < rec->void_time - threshold || now + write_ttl <= rec->void_time)
        return 0;
    return (int64_t)now + write_ttl;
}

int ts_kv_row(aero_testserver *ts, const ts_msg *m, uint32_t txn_ttl, aero_buf *out) {
    const ts_field *fns = m->fields_by_type[AERO_FIELD_NAMESPACE];
    const ts_field *fset = m->fields_by_type[AERO_FIELD_SETNAME];
    const ts_field *fdig = m->fields_by_type[AERO_FIELD_DIGEST];
    const ts_field *fkey = m->fields_by_type[AERO_FIELD_KEY];
    bool is_write = m->info2 & AERO_INFO2_WRITE;
    bool is_delete = is_write && (m->info2 & AERO_INFO2_DELETE);

    if (!fns)
        return answer(out, AERO_ERR_NAMESPACE_NOT_FOUND, 0, 0, txn_ttl);
    ts_namespace *ns = ts_store_ns(&ts->store, (const char *)fns->data, fns->len);
    if (!ns)
        return answer(out, AERO_ERR_NAMESPACE_NOT_FOUND, 0, 0, txn_ttl);
    int sec_rc = ts_security_check(ts->security, m, is_write);
    if (sec_rc)
        return answer(out, sec_rc, 0, 0, txn_ttl);
    /* a set name over 63 bytes is refused only once the record is looked up */
    if (!fdig || fdig->len != 20 || !valid_key(fkey))
        return answer(out, AERO_ERR_PARAMETER, 0, 0, txn_ttl);
    if (m->fields_by_type[AERO_FIELD_UDF_PACKAGE] || m->fields_by_type[AERO_FIELD_UDF_FUNCTION])
        return ts_udf_row(ts, m, ns, txn_ttl, out); /* udf.c */
    /* read.c as_read_start -> replica_ping_ce.c: Community Edition refuses a linearized read (info3 TYPE
       without RELAX) in any namespace. READ_MODE_AP_ALL needs nothing here: every node reads the one store,
       so replicas never hold duplicates to resolve. */
    if (!is_write && (m->info3 & (AERO_INFO3_SC_READ_RELAX | AERO_INFO3_SC_READ_TYPE)) == AERO_INFO3_SC_READ_TYPE)
        return answer(out, AERO_ERR_ENTERPRISE_ONLY, 0, 0, txn_ttl);
    bool must_exist = false;
    if (is_delete) {
        if (m->info2 & AERO_INFO2_DURABLE_DELETE)
            return answer(out, AERO_ERR_ENTERPRISE_ONLY, 0, 0, txn_ttl);
    } else if (is_write) {
        int prc = write_policies(m, &must_exist);
        if (prc)
            return answer(out, prc, 0, 0, txn_ttl);
    }

    ts_store *s = &ts->store;
    uint32_t now = ts_now2010();
    pthread_mutex_lock(&s->mu);
    ts_record *rec = ts_store_get(s, ns, fdig->data, now);
    uint32_t rgen = rec ? rec->generation : 0, rvt = rec ? rec->void_time : 0;
    int rc = 0;
    int64_t touch_vt = 0; /* a read-touch, applied once the read is answered */

    if (!is_write) {
        if (!rec) {
            rc = answer(out, AERO_ERR_KEY_NOT_FOUND, 0, 0, txn_ttl);
            goto done;
        }
        /* the op list of a read is checked on the record found */
        for (uint16_t i = 0; i < m->n_ops; i++) {
            rc = m->ops[i].name_len > 15 ? AERO_ERR_BIN_NAME : !is_read_op(m->ops[i].op) ? AERO_ERR_PARAMETER : 0;
            if (rc) {
                answer(out, rc, rgen, rvt, txn_ttl);
                goto done;
            }
        }
        if (!set_ok(rec, fset, false)) {
            rc = answer(out, AERO_ERR_PARAMETER, rgen, rvt, txn_ttl);
            goto done;
        }
        if ((touch_vt = read_touch_void_time(s, m, rec, now)) < 0) {
            touch_vt = 0;
            rc = answer(out, AERO_ERR_PARAMETER, rgen, rvt, txn_ttl);
            goto done;
        }
        if ((rc = filter_check(m, rec, ns->name)) != 0) {
            answer(out, rc, rgen, rvt, txn_ttl);
            goto done;
        }
        if (!key_matches(rec, fkey)) {
            rc = answer(out, AERO_ERR_KEY_MISMATCH, rgen, rvt, txn_ttl);
            goto done;
        }
        size_t h = ts_resp_begin(out);
        uint16_t n_ops = 0;
        if (!(m->info1 & AERO_INFO1_NOBINDATA)) {
            if (m->info1 & AERO_INFO1_GET_ALL) {
                put_bins(out, rec, &n_ops);
            } else if (m->n_ops == 0) {
                out->len = h;
                rc = answer(out, AERO_ERR_PARAMETER, rgen, rvt, txn_ttl); /* bin op(s) expected */
                goto done;
            } else {
                bool all = (m->info2 & AERO_INFO2_RESPOND_ALL_OPS) != 0;
                for (uint16_t i = 0; i < m->n_ops && rc == 0; i++)
                    rc = read_op(&m->ops[i], rec, ns->name, all, out, &n_ops);
                if (rc) {
                    out->len = h;
                    answer(out, rc, rgen, rvt, txn_ttl);
                    goto done;
                }
            }
        }
        ts_resp_end(out, h, 0, 0, 0, rgen, rvt, txn_ttl, 0, n_ops);
        goto done;
    }

    if (is_delete) {
        rc = kv_delete(s, ns, m, rec, txn_ttl, out);
        goto done;
    }

    /* write / operate, in the order of the server's write_master */
    uint32_t ttl;
    if ((rc = write_checks(m, rec, must_exist, ns->name, &ttl)) != 0) {
        answer(out, rc, rgen, rvt, txn_ttl); /* 2 only when there is no record: 0, 0 */
        goto done;
    }
    ts_record *w = new_version(m, rec);
    if (!w) {
        rc = answer(out, AERO_ERR_SERVER, rgen, rvt, txn_ttl);
        goto done;
    }
    size_t h = ts_resp_begin(out);
    uint16_t n_ops = 0;
    rc = apply_ops(m, w, ns->name, out, &n_ops);
    if (rc == 0 && w->n_bins == 0) {
        /* the write leaves no bins: it deletes the record */
        if (!rec)
            rc = AERO_ERR_KEY_NOT_FOUND;
        else if (m->info2 & AERO_INFO2_DURABLE_DELETE)
            rc = AERO_ERR_ENTERPRISE_ONLY;
    }
    if (rc != 0) {
        out->len = h;
        ts_record_free(w);
        answer(out, rc, rgen, rvt, txn_ttl);
        goto done;
    }
    if (w->n_bins == 0) {
        ts_record_free(w);
        ts_store_remove(s, ns, fdig->data);
        ts_resp_end(out, h, 0, 0, 0, 0, 0, txn_ttl, 0, n_ops);
        goto done;
    }
    w->generation = rec ? ts_record_next_generation(rec->generation) : 1;
    w->void_time = ts_store_void_time(s, ttl, rec, now);
    w->last_update_ns = ts_now_ns();
    uint32_t gen = w->generation, vt = w->void_time;
    int prc = ts_store_put(s, ns, w);
    if (prc != 0) {
        ts_record_free(w);
        out->len = h;
        rc = answer(out, prc, rgen, rvt, txn_ttl);
        goto done;
    }
    ts_resp_end(out, h, 0, 0, 0, gen, vt, txn_ttl, 0, n_ops);
done:
    if (touch_vt) {
        rec->void_time = (uint32_t)touch_vt;
        rec->last_update_ns = ts_now_ns();
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* A delete: answers never carry generation or void time. Returns the result code. */
static int kv_delete(ts_store *s, ts_namespace *ns, const ts_msg *m, const ts_record *rec, uint32_t txn_ttl,
                     aero_buf *out) {
    const ts_field *fset = m->fields_by_type[AERO_FIELD_SETNAME];
    const ts_field *fkey = m->fields_by_type[AERO_FIELD_KEY];
    int rc;
    if (!rec)
        return answer(out, AERO_ERR_KEY_NOT_FOUND, 0, 0, txn_ttl);
    if (!set_ok(rec, fset, false))
        return answer(out, AERO_ERR_PARAMETER, 0, 0, txn_ttl);
    if (!gen_ok(m, rec->generation))
        return answer(out, AERO_ERR_GENERATION, 0, 0, txn_ttl);
    if ((rc = filter_check(m, rec, ns->name)) != 0)
        return answer(out, rc, 0, 0, txn_ttl);
    if (!key_matches(rec, fkey))
        return answer(out, AERO_ERR_KEY_MISMATCH, 0, 0, txn_ttl);
    ts_store_remove(s, ns, rec->digest);
    return answer(out, 0, 0, 0, txn_ttl);
}

/*
 * A write's checks against the stored record (NULL if none), in the order of
 * the server's write_master: 0 with the TTL to apply in *ttl, or the result
 * code to answer (with the record's generation and void time, except 2).
 */
static int write_checks(const ts_msg *m, const ts_record *rec, bool must_exist, const char *ns, uint32_t *ttl) {
    const ts_field *fset = m->fields_by_type[AERO_FIELD_SETNAME];
    const ts_field *fkey = m->fields_by_type[AERO_FIELD_KEY];
    if (!rec && must_exist)
        return AERO_ERR_KEY_NOT_FOUND;
    if (rec && (m->info2 & AERO_INFO2_CREATE_ONLY))
        return AERO_ERR_KEY_EXISTS;
    if (!gen_ok(m, rec ? rec->generation : 0))
        return AERO_ERR_GENERATION;
    if ((rec && !set_ok(rec, fset, true)) || (fset && fset->len > 63))
        return AERO_ERR_PARAMETER;
    int rc = filter_check(m, rec, ns);
    if (rc != 0)
        return rc;
    if (rec && !key_matches(rec, fkey))
        return AERO_ERR_KEY_MISMATCH;
    *ttl = m->record_ttl;
    if (*ttl == AERO_TTL_DONT_UPDATE && !rec)
        *ttl = AERO_TTL_SERVER_DEFAULT;
    if (*ttl != AERO_TTL_NEVER_EXPIRE && *ttl != AERO_TTL_DONT_UPDATE && *ttl > AERO_TTL_MAX)
        return AERO_ERR_PARAMETER;
    return 0;
}

/* The record a write works on: a copy of rec, or a new one named by the request. NULL when out of memory. */
static ts_record *new_version(const ts_msg *m, const ts_record *rec) {
    const ts_field *fset = m->fields_by_type[AERO_FIELD_SETNAME];
    const ts_field *fdig = m->fields_by_type[AERO_FIELD_DIGEST];
    const ts_field *fkey = m->fields_by_type[AERO_FIELD_KEY];
    ts_record *w = rec ? ts_record_clone(rec) : ts_record_new();
    if (!w)
        return NULL;
    if (!rec) {
        memcpy(w->digest, fdig->data, 20);
        if (fset) {
            memcpy(w->set, fset->data, fset->len);
            w->set_len = (uint8_t)fset->len;
        }
    }
    if (fkey && !w->has_key) {
        w->key = malloc(fkey->len);
        if (w->key) {
            memcpy(w->key, fkey->data + 1, fkey->len - 1);
            w->key_len = fkey->len - 1;
            w->key_type = fkey->data[0];
            w->has_key = true;
        }
    }
    if (rec && (m->info3 & (AERO_INFO3_CREATE_OR_REPLACE | AERO_INFO3_REPLACE_ONLY)))
        ts_record_clear_bins(w);
    return w;
}

/* Apply a write's op list to w in request order, appending result ops to out: 0 or a result code. */
static int apply_ops(const ts_msg *m, ts_record *w, const char *ns, aero_buf *out, uint16_t *n_ops) {
    bool respond_all = (m->info2 & AERO_INFO2_RESPOND_ALL_OPS) != 0;
    bool deleted = false;
    int rc = 0;
    for (uint16_t i = 0; i < m->n_ops && rc == 0; i++) {
        const ts_op *o = &m->ops[i];
        if (is_read_op(o->op)) {
            rc = read_op(o, w, ns, respond_all, out, n_ops);
        } else {
            rc = write_op(o, w, ns, &deleted, respond_all, out, n_ops);
            if (rc == 0 && respond_all && o->op != AERO_MSG_OP_CDT_MODIFY && o->op != AERO_MSG_OP_HLL_MODIFY &&
                o->op != AERO_MSG_OP_TOUCH) {
                ts_resp_op(out, o->op, 0, o->name, o->name_len, NULL, 0);
                (*n_ops)++;
            }
        }
    }
    return rc;
}

void ts_kv_execute(aero_testserver *ts, const ts_msg *m, aero_buf *out) {
    size_t f = ts_frame_begin(out);
    ts_kv_row(ts, m, 0, out);
    ts_frame_end(out, f);
}
