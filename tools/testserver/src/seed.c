/*
 * seed.c - the in-process store API: put, get, count, remove and clear
 * records without the wire.
 *
 * Values cross as the client's aero_value trees. Encoding follows what a
 * client sends (particles; msgpack for lists and maps, strings and blobs
 * with their particle byte, an ordered list or map led by the zero-length
 * order ext), so a seeded record is indistinguishable from one written over
 * the wire. Decoding allocates from a chain of blocks the record owns.
 */
#include "ts.h"

#include <stdlib.h>
#include <string.h>

#include "mp.h"

#define MAX_DEPTH 64

/* ---------------- aero_value -> particle ---------------- */

static aero_status pack(aero_buf *b, const aero_value *v, int depth);

static aero_status pack_list(aero_buf *b, const aero_value *v, int depth) {
    uint32_t n = v->v.list.count;
    if (v->v.list.ordered) {
        mp_put_array(b, n + 1);
        aero_buf__put(b, "\xc7\x00\x01", 3); /* order ext: flags 1 = ordered */
    } else {
        mp_put_array(b, n);
    }
    for (uint32_t i = 0; i < n; i++) {
        aero_status st = pack(b, &v->v.list.items[i], depth + 1);
        if (st != AERO_OK)
            return st;
    }
    return AERO_OK;
}

static aero_status pack_map(aero_buf *b, const aero_value *v, int depth) {
    uint32_t n = v->v.map.count;
    if (v->v.map.order != AERO_MAP_UNORDERED) {
        uint8_t ext[3] = { 0xc7, 0x00, (uint8_t)v->v.map.order };
        mp_put_map(b, n + 1);
        aero_buf__put(b, ext, 3);
        mp_put_nil(b);
    } else {
        mp_put_map(b, n);
    }
    for (uint32_t i = 0; i < n; i++) {
        aero_status st = pack(b, &v->v.map.entries[i].key, depth + 1);
        if (st == AERO_OK)
            st = pack(b, &v->v.map.entries[i].value, depth + 1);
        if (st != AERO_OK)
            return st;
    }
    return AERO_OK;
}

static aero_status pack(aero_buf *b, const aero_value *v, int depth) {
    if (depth > MAX_DEPTH)
        return AERO_ERR_PARAM;
    switch (v->type) {
    case AERO_NIL: mp_put_nil(b); return AERO_OK;
    case AERO_BOOL: mp_put_bool(b, v->v.b); return AERO_OK;
    case AERO_INT: mp_put_int(b, v->v.i); return AERO_OK;
    case AERO_DOUBLE: mp_put_double(b, v->v.d); return AERO_OK;
    case AERO_STR: mp_put_pstr(b, AERO_PT_STRING, v->v.str.ptr, v->v.str.len); return AERO_OK;
    case AERO_GEOJSON: mp_put_pstr(b, AERO_PT_GEOJSON, v->v.str.ptr, v->v.str.len); return AERO_OK;
    case AERO_BLOB: mp_put_pstr(b, AERO_PT_BLOB, v->v.bytes.ptr, v->v.bytes.len); return AERO_OK;
    case AERO_HLL: mp_put_pstr(b, AERO_PT_HLL, v->v.bytes.ptr, v->v.bytes.len); return AERO_OK;
    case AERO_LIST: return pack_list(b, v, depth);
    case AERO_MAP: return pack_map(b, v, depth);
    default: return AERO_ERR_PARAM; /* wildcard / infinity are query specials, not data */
    }
}

/* The particle of a bin value into b; *ptype its particle type. */
static aero_status particle(const aero_value *v, aero_buf *b, uint8_t *ptype) {
    switch (v->type) {
    case AERO_BOOL:
        *ptype = AERO_PT_BOOL;
        aero_buf__put_u8(b, v->v.b ? 1 : 0);
        return AERO_OK;
    case AERO_INT:
        *ptype = AERO_PT_INTEGER;
        aero_buf__put_u64be(b, (uint64_t)v->v.i);
        return AERO_OK;
    case AERO_DOUBLE: {
        uint64_t u;
        memcpy(&u, &v->v.d, 8);
        *ptype = AERO_PT_FLOAT;
        aero_buf__put_u64be(b, u);
        return AERO_OK;
    }
    case AERO_STR:
        *ptype = AERO_PT_STRING;
        aero_buf__put(b, v->v.str.ptr, v->v.str.len);
        return AERO_OK;
    case AERO_BLOB:
        *ptype = AERO_PT_BLOB;
        aero_buf__put(b, v->v.bytes.ptr, v->v.bytes.len);
        return AERO_OK;
    case AERO_HLL:
        *ptype = AERO_PT_HLL;
        aero_buf__put(b, v->v.bytes.ptr, v->v.bytes.len);
        return AERO_OK;
    case AERO_GEOJSON: /* flags, then no cells (u16 0), then the text */
        *ptype = AERO_PT_GEOJSON;
        aero_buf__put(b, "\0\0\0", 3);
        aero_buf__put(b, v->v.str.ptr, v->v.str.len);
        return AERO_OK;
    case AERO_LIST: *ptype = AERO_PT_LIST; return pack_list(b, v, 0);
    case AERO_MAP: *ptype = AERO_PT_MAP; return pack_map(b, v, 0);
    default: return AERO_ERR_PARAM;
    }
}

/* ---------------- particle -> aero_value ---------------- */

typedef struct block {
    struct block *next;
    max_align_t data[];
} block;

static void *take(aero_testserver_record *rec, size_t n) {
    block *b = malloc(sizeof(block) + (n ? n : 1));
    if (!b)
        return NULL;
    b->next = rec->mem_;
    rec->mem_ = b;
    return b->data;
}

static const char *copy_str(aero_testserver_record *rec, const void *p, size_t n) {
    char *s = take(rec, n + 1);
    if (s) {
        if (n)
            memcpy(s, p, n);
        s[n] = 0;
    }
    return s;
}

static bool unpack(aero_testserver_record *rec, mp_reader *r, aero_value *out, int depth);

/* The zero-length ext that leads an ordered list or map: consumed, its flags in *flags. */
static bool order_ext(mp_reader *r, uint8_t *flags) {
    mp_reader peek = *r;
    mp_obj o;
    if (!mp_read(&peek, &o) || o.type != MP_EXT || o.len != 0 || o.ext_type == -1)
        return false;
    *flags = (uint8_t)o.ext_type;
    *r = peek;
    return true;
}

static bool unpack_list(aero_testserver_record *rec, mp_reader *r, uint32_t n, aero_value *out, int depth) {
    uint8_t flags = 0;
    bool ordered = n > 0 && order_ext(r, &flags);
    if (ordered)
        n--;
    aero_value *items = take(rec, (size_t)n * sizeof *items);
    if (!items)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!unpack(rec, r, &items[i], depth + 1))
            return false;
    *out = aero_list(items, n);
    out->v.list.ordered = ordered && (flags & 1);
    return true;
}

static bool unpack_map(aero_testserver_record *rec, mp_reader *r, uint32_t n, aero_value *out, int depth) {
    uint8_t flags = 0;
    bool ordered = n > 0 && order_ext(r, &flags);
    if (ordered) {
        if (!mp_skip(r)) /* the ext's value (nil) */
            return false;
        n--;
    }
    aero_map_entry *e = take(rec, (size_t)n * sizeof *e);
    if (!e)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if (!unpack(rec, r, &e[i].key, depth + 1) || !unpack(rec, r, &e[i].value, depth + 1))
            return false;
    *out = aero_map(e, n);
    out->v.map.order = ordered ? (aero_map_order)flags : AERO_MAP_UNORDERED;
    return true;
}

/* A string-family msgpack item: its first byte is the particle type. */
static bool unpack_pstr(aero_testserver_record *rec, const mp_obj *o, aero_value *out) {
    uint8_t pt = o->len ? o->p[0] : AERO_PT_STRING;
    const uint8_t *p = o->len ? o->p + 1 : o->p;
    size_t n = o->len ? o->len - 1 : 0;
    const char *s = copy_str(rec, p, n);
    if (!s)
        return false;
    if (pt == AERO_PT_STRING || pt == AERO_PT_GEOJSON) {
        *out = aero_strn(s, n);
        if (pt == AERO_PT_GEOJSON)
            out->type = AERO_GEOJSON;
    } else {
        *out = aero_blob(s, n);
        if (pt == AERO_PT_HLL)
            out->type = AERO_HLL;
    }
    return true;
}

static bool unpack(aero_testserver_record *rec, mp_reader *r, aero_value *out, int depth) {
    mp_obj o;
    if (depth > MAX_DEPTH || !mp_read(r, &o))
        return false;
    switch (o.type) {
    case MP_NIL: *out = aero_nil(); return true;
    case MP_BOOL: *out = aero_bool(o.b); return true;
    case MP_INT: *out = aero_int(o.i); return true;
    case MP_FLOAT: *out = aero_double(o.f); return true;
    case MP_STR: return unpack_pstr(rec, &o, out);
    case MP_BIN: {
        const char *s = copy_str(rec, o.p, o.len);
        *out = aero_blob(s, o.len);
        return s != NULL;
    }
    case MP_ARRAY: return unpack_list(rec, r, o.len, out, depth);
    case MP_MAP: return unpack_map(rec, r, o.len, out, depth);
    default: *out = aero_nil(); return true; /* other ext: not a value a record holds */
    }
}

static bool decode_bin(aero_testserver_record *rec, const ts_bin *b, aero_value *out) {
    const uint8_t *d = b->data;
    uint64_t u = b->len >= 8 ? aero_get_u64be(d) : 0;
    switch (b->ptype) {
    case AERO_PT_INTEGER: *out = aero_int((int64_t)u); return true;
    case AERO_PT_FLOAT: {
        double x;
        memcpy(&x, &u, 8);
        *out = aero_double(x);
        return true;
    }
    case AERO_PT_BOOL: *out = aero_bool(b->len && d[0]); return true;
    case AERO_PT_STRING: {
        const char *s = copy_str(rec, d, b->len);
        *out = aero_strn(s, b->len);
        return s != NULL;
    }
    case AERO_PT_GEOJSON: { /* flags, ncells (u16), cells (8 bytes each), text */
        size_t skip = b->len >= 3 ? 3 + (size_t)aero_get_u16be(d + 1) * 8 : b->len;
        size_t n = skip < b->len ? b->len - skip : 0;
        const char *s = copy_str(rec, d + (b->len - n), n);
        *out = aero_geojson(s);
        return s != NULL;
    }
    case AERO_PT_LIST:
    case AERO_PT_MAP: {
        mp_reader r = { d, d + b->len };
        return unpack(rec, &r, out, 0);
    }
    default: { /* blobs, language blobs, HLL */
        const char *s = copy_str(rec, d, b->len);
        *out = aero_blob(s, b->len);
        if (b->ptype == AERO_PT_HLL)
            out->type = AERO_HLL;
        return s != NULL;
    }
    }
}

/* ---------------- the API ---------------- */

static aero_status key_ns(aero_testserver *ts, const aero_key *key, ts_namespace **ns, aero_error *err) {
    if (!ts || !key)
        return ts_err(err, AERO_ERR_PARAM, "testserver: NULL server or key");
    if (key->invalid)
        return ts_err(err, AERO_ERR_PARAM, "testserver: invalid key: %s", key->invalid);
    *ns = ts_store_ns(&ts->store, key->ns, strlen(key->ns));
    if (!*ns)
        return ts_err(err, AERO_ERR_NAMESPACE_NOT_FOUND, "testserver: no namespace \"%s\"", key->ns);
    return AERO_OK;
}

/* Digest, set and stored user key of a new record. */
static bool name_record(ts_record *w, const aero_key *key) {
    memcpy(w->digest, key->digest, 20);
    size_t sl = strlen(key->set);
    w->set_len = (uint8_t)(sl < sizeof w->set ? sl : sizeof w->set - 1);
    memcpy(w->set, key->set, w->set_len);
    if (key->type == AERO_KEY_DIGEST)
        return true;
    uint8_t i8[8];
    const void *p = key->ptr;
    size_t n = key->len;
    if (key->type == AERO_KEY_INT) {
        aero_set_u64be(i8, (uint64_t)key->i);
        p = i8;
        n = 8;
    }
    w->key = malloc(n ? n : 1);
    if (!w->key)
        return false;
    if (n)
        memcpy(w->key, p, n);
    w->key_len = (uint32_t)n;
    w->key_type = key->type == AERO_KEY_INT   ? AERO_PT_INTEGER
                  : key->type == AERO_KEY_STR ? AERO_PT_STRING
                                              : AERO_PT_BLOB;
    w->has_key = true;
    return true;
}

static aero_status add_bins(ts_record *w, const aero_bin_value *bins, size_t n, aero_error *err) {
    aero_buf b;
    aero_buf__init(&b, NULL, 0);
    aero_status st = AERO_OK;
    for (size_t i = 0; i < n && st == AERO_OK; i++) {
        size_t nl = bins[i].name ? strlen(bins[i].name) : 0;
        uint8_t pt = 0;
        aero_buf__reset(&b);
        if (nl == 0 || nl > 15)
            st = ts_err(err, AERO_ERR_BIN_NAME, "testserver: bin name \"%s\" must be 1..15 bytes",
                        bins[i].name ? bins[i].name : "");
        else if (bins[i].value.type == AERO_NIL)
            continue;
        else if (particle(&bins[i].value, &b, &pt) != AERO_OK)
            st = ts_err(err, AERO_ERR_PARAM, "testserver: bin \"%s\": a value of type %s cannot be stored",
                        bins[i].name, aero_type_str(bins[i].value.type));
        else if (b.failed || !ts_record_set_bin(w, bins[i].name, nl, pt, b.data, (uint32_t)b.len))
            st = ts_err(err, AERO_ERR_NO_MEMORY, "testserver: out of memory");
    }
    aero_buf__free(&b);
    return st;
}

static aero_status put_locked(aero_testserver *ts, ts_namespace *ns, ts_record *w, uint32_t ttl, aero_error *err) {
    ts_store *s = &ts->store;
    uint32_t now = ts_now2010();
    ts_record *old = ts_store_get(s, ns, w->digest, now);
    w->generation = old ? ts_record_next_generation(old->generation) : 1;
    w->void_time = ts_store_void_time(s, ttl, old, now);
    w->last_update_ns = ts_now_ns();
    int rc = ts_store_put(s, ns, w);
    if (rc == AERO_ERR_RECORD_TOO_BIG)
        return ts_err(err, rc, "testserver: record of %llu bytes is over max_record_size %u",
                      (unsigned long long)ts_record_size(w), s->limits->max_record_size);
    if (rc != 0)
        return ts_err(err, AERO_ERR_NO_MEMORY, "testserver: out of memory");
    return AERO_OK;
}

aero_status aero_testserver_put(aero_testserver *ts, const aero_key *key, const aero_bin_value *bins, size_t n_bins,
                                uint32_t ttl, aero_error *err) {
    ts_namespace *ns;
    aero_status st = key_ns(ts, key, &ns, err);
    if (st != AERO_OK)
        return st;
    if (n_bins && !bins)
        return ts_err(err, AERO_ERR_PARAM, "testserver: NULL bins");
    if (ttl != AERO_TTL_NEVER_EXPIRE && ttl != AERO_TTL_DONT_UPDATE && ttl > AERO_TTL_MAX)
        return ts_err(err, AERO_ERR_PARAM, "testserver: ttl %u is over 10 years", ttl);
    ts_record *w = ts_record_new();
    if (!w || !name_record(w, key)) {
        ts_record_free(w);
        return ts_err(err, AERO_ERR_NO_MEMORY, "testserver: out of memory");
    }
    if ((st = add_bins(w, bins, n_bins, err)) != AERO_OK) {
        ts_record_free(w);
        return st;
    }
    if (w->n_bins == 0) { /* a record without bins does not exist */
        ts_record_free(w);
        st = aero_testserver_remove(ts, key, err);
        return st == AERO_ERR_KEY_NOT_FOUND ? ts_ok(err) : st;
    }
    const ts_clock *prev = ts_clock_bind(&ts->clock);
    pthread_mutex_lock(&ts->store.mu);
    st = put_locked(ts, ns, w, ttl, err);
    pthread_mutex_unlock(&ts->store.mu);
    ts_clock_bind(prev);
    if (st != AERO_OK)
        ts_record_free(w);
    return st == AERO_OK ? ts_ok(err) : st;
}

void aero_testserver_record_init(aero_testserver_record *rec) { memset(rec, 0, sizeof *rec); }

void aero_testserver_record_dispose(aero_testserver_record *rec) {
    if (!rec)
        return;
    for (block *b = rec->mem_; b;) {
        block *next = b->next;
        free(b);
        b = next;
    }
    memset(rec, 0, sizeof *rec);
}

static bool copy_out(aero_testserver_record *rec, const ts_record *r, uint32_t now) {
    rec->generation = r->generation;
    rec->ttl = r->void_time == 0 ? AERO_TTL_NEVER : r->void_time - now;
    rec->last_update = r->last_update_ns;
    rec->bins = take(rec, (size_t)r->n_bins * sizeof *rec->bins);
    if (!rec->bins)
        return false;
    for (uint32_t i = 0; i < r->n_bins; i++) {
        aero_bin *b = &rec->bins[i];
        memset(b->name, 0, sizeof b->name);
        memcpy(b->name, r->bins[i].name, r->bins[i].name_len);
        if (!decode_bin(rec, &r->bins[i], &b->value))
            return false;
        rec->n_bins++;
    }
    return true;
}

aero_status aero_testserver_get(aero_testserver *ts, const aero_key *key, aero_testserver_record *rec,
                                aero_error *err) {
    ts_namespace *ns;
    aero_status st = key_ns(ts, key, &ns, err);
    if (st != AERO_OK)
        return st;
    if (!rec)
        return ts_err(err, AERO_ERR_PARAM, "testserver: NULL record");
    aero_testserver_record_dispose(rec);
    const ts_clock *prev = ts_clock_bind(&ts->clock);
    pthread_mutex_lock(&ts->store.mu);
    uint32_t now = ts_now2010();
    const ts_record *r = ts_store_get(&ts->store, ns, key->digest, now);
    if (!r)
        st = ts_err(err, AERO_ERR_KEY_NOT_FOUND, "testserver: no record");
    else if (!copy_out(rec, r, now))
        st = ts_err(err, AERO_ERR_NO_MEMORY, "testserver: out of memory");
    pthread_mutex_unlock(&ts->store.mu);
    ts_clock_bind(prev);
    if (st != AERO_OK)
        aero_testserver_record_dispose(rec);
    return st == AERO_OK ? ts_ok(err) : st;
}

static aero_status find_ns(aero_testserver *ts, const char *name, ts_namespace **ns, aero_error *err) {
    if (!ts || !name)
        return ts_err(err, AERO_ERR_PARAM, "testserver: NULL server or namespace");
    *ns = ts_store_ns(&ts->store, name, strlen(name));
    if (!*ns)
        return ts_err(err, AERO_ERR_NAMESPACE_NOT_FOUND, "testserver: no namespace \"%s\"", name);
    return AERO_OK;
}

aero_status aero_testserver_count(aero_testserver *ts, const char *ns_name, const char *set, uint64_t *count,
                                  aero_error *err) {
    ts_namespace *ns;
    aero_status st = find_ns(ts, ns_name, &ns, err);
    if (st != AERO_OK)
        return st;
    if (!count)
        return ts_err(err, AERO_ERR_PARAM, "testserver: NULL count");
    const ts_clock *prev = ts_clock_bind(&ts->clock);
    pthread_mutex_lock(&ts->store.mu);
    *count = ts_store_count(&ts->store, ns, set, set ? strlen(set) : 0, ts_now2010());
    pthread_mutex_unlock(&ts->store.mu);
    ts_clock_bind(prev);
    return ts_ok(err);
}

aero_status aero_testserver_remove(aero_testserver *ts, const aero_key *key, aero_error *err) {
    ts_namespace *ns;
    aero_status st = key_ns(ts, key, &ns, err);
    if (st != AERO_OK)
        return st;
    const ts_clock *prev = ts_clock_bind(&ts->clock);
    pthread_mutex_lock(&ts->store.mu);
    bool found = ts_store_get(&ts->store, ns, key->digest, ts_now2010()) != NULL;
    if (found)
        ts_store_remove(&ts->store, ns, key->digest);
    pthread_mutex_unlock(&ts->store.mu);
    ts_clock_bind(prev);
    return found ? ts_ok(err) : ts_err(err, AERO_ERR_KEY_NOT_FOUND, "testserver: no record");
}

aero_status aero_testserver_clear(aero_testserver *ts, const char *ns_name, const char *set, aero_error *err) {
    ts_namespace *ns = NULL;
    if (!ts)
        return ts_err(err, AERO_ERR_PARAM, "testserver: NULL server");
    if (ns_name) {
        aero_status st = find_ns(ts, ns_name, &ns, err);
        if (st != AERO_OK)
            return st;
    }
    pthread_mutex_lock(&ts->store.mu);
    for (unsigned i = 0; i < ts->store.n_ns; i++)
        if (!ns || ts->store.ns[i] == ns)
            ts_store_truncate(&ts->store, ts->store.ns[i], set, set ? strlen(set) : 0);
    pthread_mutex_unlock(&ts->store.mu);
    return ts_ok(err);
}
