/*
 * typed_codec.c - typed lists, maps and documents (schema ABI 2, aero/schema.h
 * TYPED COLLECTIONS AND DOCUMENTS) to and from their C structs.
 *
 * Four directions, one shape walk each, all driven by the generated
 * aero_schema_tdesc / aero_schema_doc tables:
 *   pack      C -> msgpack, straight into a write's op buffer;
 *   unpack    msgpack -> C, straight from an answer: arrays from the holder's
 *             arena, strings NUL-terminated in place (the answer buffer is the
 *             holder's and each value is decoded once);
 *   to_c      aero_value tree -> C (rows of streams and batches, op results);
 *   from_c    C -> aero_value tree (op arguments).
 * A value is described by its schema type plus, for lists, maps and
 * documents, its tdesc; scalars need no tdesc. Errors name the path inside
 * the bin ("user.home.zip", "user.tags[2]", "user.prefs{theme}").
 */
#include "internal.h"
#include "proto/buf.h"
#include "proto/msgpack.h"
#include "proto/wire.h"
#include "typed_internal.h"
#include "write_row.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FIELD(obj, off, T)  ((T *)(void *)((char *)(obj) + (off)))
#define CFIELD(obj, off, T) ((const T *)(const void *)((const char *)(obj) + (off)))

typedef struct aero_schema__coll gen_coll;

typedef const char *cstr;

/* Where in the bin a value is, for messages. */
typedef struct tpath {
    char s[192];
    size_t len;
} tpath;

static size_t path_push(tpath *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t path_push(tpath *p, const char *fmt, ...) {
    size_t at = p->len;
    if (p->len < sizeof p->s - 1) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(p->s + p->len, sizeof p->s - p->len, fmt, ap);
        va_end(ap);
        if (n > 0)
            p->len = p->len + (size_t)n < sizeof p->s ? p->len + (size_t)n : sizeof p->s - 1;
    }
    return at;
}

static void path_pop(tpath *p, size_t at) {
    p->len = at;
    p->s[at] = '\0';
}

static void path_init(tpath *p, const char *record, const char *field) {
    p->len = 0;
    p->s[0] = '\0';
    path_push(p, "%s.%s", record ? record : "?", field ? field : "?");
}

/* Label a map entry's value by its key once the key is known: ['theme'], [42], or {#i} for a blob key. */
static void path_key(tpath *p, size_t at, uint8_t key_type, const void *key, size_t i) {
    path_pop(p, at);
    if (key_type == AERO_SCHEMA_STR)
        path_push(p, "['%s']", *(const cstr *)key);
    else if (key_type == AERO_SCHEMA_INT)
        path_push(p, "[%lld]", (long long)*(const int64_t *)key);
    else
        path_push(p, "{#%zu}", i);
}

static const char *type_name(uint8_t t) {
    switch ((aero_schema_type)t) {
    case AERO_SCHEMA_INT: return "int";
    case AERO_SCHEMA_DOUBLE: return "double";
    case AERO_SCHEMA_BOOL: return "bool";
    case AERO_SCHEMA_STR: return "string";
    case AERO_SCHEMA_BLOB: return "blob";
    case AERO_SCHEMA_GEOJSON: return "geojson";
    case AERO_SCHEMA_LIST: return "list";
    case AERO_SCHEMA_MAP: return "map";
    case AERO_SCHEMA_DOC: return "document";
    case AERO_SCHEMA_HLL: return "hll";
    }
    return "?";
}

static bool is_coll(uint8_t t) { return t == AERO_SCHEMA_LIST || t == AERO_SCHEMA_MAP || t == AERO_SCHEMA_DOC; }

/* A shape that cannot be walked: generated tables are never like this, hand-made ones may be. */
static aero_status bad_shape(aero_error *err, const tpath *p, uint8_t type) {
    return aero_err__set(err, AERO_ERR_PARAM, "%s: the descriptor of this %s is incomplete", p->s, type_name(type));
}

static bool shape_ok(uint8_t type, const aero_schema_tdesc *t) {
    if (!is_coll(type))
        return true;
    if (!t || t->type != type)
        return false;
    switch (type) {
    case AERO_SCHEMA_LIST: return t->item && t->item->size; /* elements are t->item->size bytes apart */
    case AERO_SCHEMA_MAP: return t->item && t->key && t->entry_size && t->value_offset < t->entry_size;
    default: return t->doc && (t->doc->n_fields == 0 || (t->doc->fields && t->doc->by_name)) && t->doc->init;
    }
}

/* ---- descriptors of the scalars and of the runtime's collections of scalars ---- */

#define SCALAR(NAME, TYPE, CT) \
    const aero_schema_tdesc aero_schema_tdesc_##NAME = { TYPE, sizeof(CT), NULL, NULL, 0, 0, NULL }
AERO_API SCALAR(int, AERO_SCHEMA_INT, int64_t);
AERO_API SCALAR(double, AERO_SCHEMA_DOUBLE, double);
AERO_API SCALAR(bool, AERO_SCHEMA_BOOL, bool);
AERO_API SCALAR(str, AERO_SCHEMA_STR, const char *);
AERO_API SCALAR(geo, AERO_SCHEMA_GEOJSON, const char *);
AERO_API SCALAR(blob, AERO_SCHEMA_BLOB, aero_bytes);
AERO_API SCALAR(hll, AERO_SCHEMA_HLL, aero_bytes);

#define LIST(E)                                                                           \
    AERO_API const aero_schema_tdesc aero_schema_tdesc_list_##E = {                       \
        AERO_SCHEMA_LIST, sizeof(aero_list_##E), &aero_schema_tdesc_##E, NULL, 0, 0, NULL \
    }
LIST(int);
LIST(double);
LIST(bool);
LIST(str);
LIST(geo);
LIST(blob);

#define MAP(K, V)                                                                                                     \
    AERO_API const aero_schema_tdesc aero_schema_tdesc_map_##K##_##V = { AERO_SCHEMA_MAP,                             \
                                                                         sizeof(aero_map_##K##_##V),                  \
                                                                         &aero_schema_tdesc_##V,                      \
                                                                         &aero_schema_tdesc_##K,                      \
                                                                         sizeof(aero_map_##K##_##V##_entry),          \
                                                                         offsetof(aero_map_##K##_##V##_entry, value), \
                                                                         NULL }
#define MAPS(K)     \
    MAP(K, int);    \
    MAP(K, double); \
    MAP(K, bool);   \
    MAP(K, str);    \
    MAP(K, geo);    \
    MAP(K, blob)
MAPS(int);
MAPS(str);
MAPS(blob);

/* ---------------------------------------------------------------- pack */

static aero_status pack_any(aero_buf *b, uint8_t type, const aero_schema_tdesc *t, const void *c, tpath *p, int depth,
                            aero_error *err);

/* Is document field f of the struct at c written? Required fields always; optional ones when their has_ flag
   is set and, for strings and collections, when there is a value (NULL: absent). */
static bool field_present(const aero_schema_bin *f, const void *c) {
    if (f->has_offset == AERO_SCHEMA_NO_FLAG)
        return true;
    if (!*CFIELD(c, f->has_offset, bool))
        return false;
    if (f->type == AERO_SCHEMA_STR || f->type == AERO_SCHEMA_GEOJSON)
        return *CFIELD(c, f->offset, cstr) != NULL;
    if (f->type == AERO_SCHEMA_LIST || f->type == AERO_SCHEMA_MAP)
        return CFIELD(c, f->offset, gen_coll)->items != NULL;
    return true;
}

static aero_status pack_doc_fields(aero_buf *b, const aero_schema_doc *d, const void *c, tpath *p, int depth,
                                   aero_error *err) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < d->n_fields; i++)
        n += field_present(&d->fields[i], c);
    aero_mp__pack_map_header(b, n);
    for (uint32_t i = 0; i < d->n_fields; i++) {
        const aero_schema_bin *f = &d->fields[i];
        if (!field_present(f, c))
            continue;
        aero_mp__pack_particle_str(b, AERO_PT_STRING, f->name, strlen(f->name));
        size_t at = path_push(p, ".%s", f->field ? f->field : f->name);
        aero_status rc = pack_any(b, f->type, f->tdesc, (const char *)c + f->offset, p, depth + 1, err);
        if (rc != AERO_OK)
            return rc;
        path_pop(p, at);
    }
    return AERO_OK;
}

static aero_status pack_any(aero_buf *b, uint8_t type, const aero_schema_tdesc *t, const void *c, tpath *p, int depth,
                            aero_error *err) {
    if (depth > AERO_MP_MAX_DEPTH)
        return aero_err__set(err, AERO_ERR_PARAM, "%s: nested deeper than %d levels", p->s, AERO_MP_MAX_DEPTH);
    if (!shape_ok(type, t))
        return bad_shape(err, p, type);
    aero_value v;
    switch ((aero_schema_type)type) {
    case AERO_SCHEMA_INT: aero_mp__pack_int(b, *(const int64_t *)c); return AERO_OK;
    case AERO_SCHEMA_DOUBLE: aero_mp__pack_double(b, *(const double *)c); return AERO_OK;
    case AERO_SCHEMA_BOOL: aero_mp__pack_bool(b, *(const bool *)c); return AERO_OK;
    case AERO_SCHEMA_STR:
    case AERO_SCHEMA_GEOJSON: {
        const char *s = *(const cstr *)c;
        if (!s)
            return aero_err__set(err, AERO_ERR_PARAM, "%s is NULL (a %s is required here)", p->s, type_name(type));
        aero_mp__pack_particle_str(b, type == AERO_SCHEMA_STR ? AERO_PT_STRING : AERO_PT_GEOJSON, s, strlen(s));
        return AERO_OK;
    }
    case AERO_SCHEMA_BLOB: {
        const aero_bytes *x = c;
        if (!x->ptr && x->len)
            return aero_err__set(err, AERO_ERR_PARAM, "%s has a NULL pointer and length %zu", p->s, x->len);
        aero_mp__pack_particle_str(b, AERO_PT_BLOB, x->ptr ? (const void *)x->ptr : "", x->len);
        return AERO_OK;
    }
    case AERO_SCHEMA_LIST: {
        const gen_coll *l = c;
        if (!l->items && l->count)
            return aero_err__set(err, AERO_ERR_PARAM, "%s has NULL items and count %zu", p->s, l->count);
        if (l->count > UINT32_MAX)
            return aero_err__set(err, AERO_ERR_PARAM, "%s has %zu items, more than a list holds", p->s, l->count);
        aero_mp__pack_array_header(b, (uint32_t)l->count);
        size_t sz = t->item->size;
        for (size_t i = 0; i < l->count; i++) {
            size_t at = path_push(p, "[%zu]", i);
            aero_status rc = pack_any(b, t->item->type, t->item, (const char *)l->items + i * sz, p, depth + 1,
                                      err);
            if (rc != AERO_OK)
                return rc;
            path_pop(p, at);
        }
        return AERO_OK;
    }
    case AERO_SCHEMA_MAP: {
        const gen_coll *m = c;
        if (!m->items && m->count)
            return aero_err__set(err, AERO_ERR_PARAM, "%s has NULL entries and count %zu", p->s, m->count);
        if (m->count > UINT32_MAX)
            return aero_err__set(err, AERO_ERR_PARAM, "%s has %zu entries, more than a map holds", p->s, m->count);
        aero_mp__pack_map_header(b, (uint32_t)m->count);
        for (size_t i = 0; i < m->count; i++) {
            const char *e = (const char *)m->items + i * t->entry_size;
            size_t at = path_push(p, "{#%zu}", i);
            aero_status rc = pack_any(b, t->key->type, t->key, e, p, depth + 1, err);
            if (rc == AERO_OK) {
                path_key(p, at, t->key->type, e, i);
                rc = pack_any(b, t->item->type, t->item, e + t->value_offset, p, depth + 1, err);
            }
            if (rc != AERO_OK)
                return rc;
            path_pop(p, at);
        }
        return AERO_OK;
    }
    case AERO_SCHEMA_DOC: return pack_doc_fields(b, t->doc, c, p, depth, err);
    case AERO_SCHEMA_HLL: {
        const aero_bytes *x = c;
        v = aero_blob(x->ptr ? (const void *)x->ptr : "", x->len);
        v.type = AERO_HLL;
        return aero_mp__pack_value(b, &v) == AERO_OK
                   ? AERO_OK
                   : aero_err__set(err, AERO_ERR_PARAM, "%s: an hll cannot be packed", p->s);
    }
    }
    return aero_err__set(err, AERO_ERR_PARAM, "%s has an unknown type %u", p->s, (unsigned)type);
}

aero_status aero_schema__put_coll(aero_write *w, const char *record, const aero_schema_bin *b, const void *c,
                                  aero_error *err) {
    tpath p;
    path_init(&p, record, b->field);
    uint8_t ptype = b->type == AERO_SCHEMA_LIST ? AERO_PT_LIST : AERO_PT_MAP; /* a document is a map */
    size_t at = 0;
    aero_buf *buf = aero_write__bin_open(w, b->name, ptype, &at);
    if (!buf)
        return AERO_OK; /* refused by the builder: recorded there, execute reports it */
    aero_status rc = pack_any(buf, b->type, b->tdesc, c, &p, 0, err);
    aero_write__bin_close(w, at, rc == AERO_OK);
    return rc;
}

aero_status aero_schema__pack_c(aero_buf *b, uint8_t type, const aero_schema_tdesc *t, const void *c,
                                const char *where, aero_error *err) {
    tpath p;
    p.len = 0;
    p.s[0] = '\0';
    path_push(&p, "%s", where ? where : "value");
    return pack_any(b, type, t, c, &p, 0, err);
}

/* ---------------------------------------------------------------- unpack (wire -> C) */

typedef struct unpack_ctx {
    aero_arena *arena;
    tpath *p;
    aero_error *err;
} unpack_ctx;

static const char *mp_kind_name(const aero_mp_item *it) {
    switch (it->kind) {
    case AERO_MP_NIL: return "nil";
    case AERO_MP_BOOL: return "bool";
    case AERO_MP_INT: return "int";
    case AERO_MP_FLOAT: return "double";
    case AERO_MP_BYTES:
        if (it->n == 0)
            return "blob";
        switch (it->p[0]) {
        case AERO_PT_STRING: return "string";
        case AERO_PT_GEOJSON: return "geojson";
        case AERO_PT_HLL: return "hll";
        default: return "blob";
        }
    case AERO_MP_ARRAY: return "list";
    case AERO_MP_MAP: return "map";
    case AERO_MP_EXT: return "ext";
    }
    return "?";
}

static aero_status wrong(unpack_ctx *u, const char *got, uint8_t type) {
    return aero_err__set(u->err, AERO_ERR_BIN_INCOMPATIBLE_TYPE, "%s is %s, declared %s", u->p->s, got,
                         type_name(type));
}

static aero_status malformed(unpack_ctx *u) {
    return aero_err__set(u->err, AERO_ERR_PROTOCOL, "%s: malformed value in the answer", u->p->s);
}

/* A str-family payload [ptype][bytes]: its bytes NUL-terminated in place (slid over the type byte). */
static const char *str_in_place(const aero_mp_item *it) {
    char *s = (char *)(uintptr_t)it->p;
    memmove(s, s + 1, (size_t)it->n - 1);
    s[it->n - 1] = '\0';
    return s;
}

static const uint8_t empty_items[16];

static aero_status unpack_any(aero_mp_reader *r, uint8_t type, const aero_schema_tdesc *t, void *c, unpack_ctx *u,
                              int depth);

/* Find a document field by its key bytes (not NUL-terminated). */
static const aero_schema_bin *doc_field(const aero_schema_doc *d, const uint8_t *key, size_t len, uint32_t *idx) {
    size_t lo = 0, hi = d->n_fields;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t k = d->by_name[mid];
        const char *name = d->fields[k].name;
        int cmp = strncmp((const char *)key, name, len);
        if (cmp == 0 && name[len] != '\0')
            cmp = -1; /* key is a prefix of name: sorts before it */
        if (cmp == 0) {
            *idx = k;
            return &d->fields[k];
        }
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* After a document's fields were read: every required field without a default must be there. */
static aero_status doc_required(const aero_schema_doc *d, const uint8_t *seen, tpath *p, aero_error *err) {
    for (uint32_t i = 0; i < d->n_fields; i++) {
        const aero_schema_bin *f = &d->fields[i];
        if ((f->flags & (AERO_SCHEMA_REQUIRED | AERO_SCHEMA_HAS_DEFAULT)) != AERO_SCHEMA_REQUIRED)
            continue;
        if (!(seen[i / 8] & (1u << (i % 8))))
            return aero_err__set(err, AERO_ERR_BIN_INCOMPATIBLE_TYPE,
                                 "%s: document %s lacks its required field '%s'", p->s, d->name ? d->name : "?",
                                 f->name);
    }
    return AERO_OK;
}

static aero_status unpack_doc(aero_mp_reader *r, const aero_schema_doc *d, uint64_t n, void *c, unpack_ctx *u,
                              int depth) {
    memcpy(c, d->init, d->size);
    uint8_t stack_bits[32];
    uint8_t *seen = stack_bits;
    size_t bytes = ((size_t)d->n_fields + 7) / 8;
    if (bytes > sizeof stack_bits && !(seen = aero_arena__alloc(u->arena, bytes)))
        return aero_err__set(u->err, AERO_ERR_NO_MEMORY, "out of memory");
    memset(seen, 0, bytes);
    if (n > 0 && aero_mp__take_order_ext(r)) {
        if (aero_mp__skip(r) != AERO_OK)
            return malformed(u);
        n--;
    }
    for (uint64_t i = 0; i < n; i++) {
        aero_mp_item key;
        if (aero_mp__read_item(r, &key) != AERO_OK)
            return malformed(u);
        uint32_t idx = 0;
        const aero_schema_bin *f = NULL;
        if (key.kind == AERO_MP_BYTES && key.n >= 1 && key.p[0] == AERO_PT_STRING)
            f = doc_field(d, key.p + 1, (size_t)key.n - 1, &idx);
        if (!f || (r->p < r->end && r->p[0] == 0xc0)) { /* a key this document does not have, or a nil value */
            if (aero_mp__skip(r) != AERO_OK)
                return malformed(u);
            continue;
        }
        size_t at = path_push(u->p, ".%s", f->field ? f->field : f->name);
        aero_status rc = unpack_any(r, f->type, f->tdesc, (char *)c + f->offset, u, depth + 1);
        if (rc != AERO_OK)
            return rc;
        path_pop(u->p, at);
        if (f->has_offset != AERO_SCHEMA_NO_FLAG)
            *FIELD(c, f->has_offset, bool) = true;
        seen[idx / 8] |= (uint8_t)(1u << (idx % 8));
    }
    return doc_required(d, seen, u->p, u->err);
}

static aero_status unpack_any(aero_mp_reader *r, uint8_t type, const aero_schema_tdesc *t, void *c, unpack_ctx *u,
                              int depth) {
    if (depth > AERO_MP_MAX_DEPTH)
        return aero_err__set(u->err, AERO_ERR_PROTOCOL, "%s: nested deeper than %d levels", u->p->s,
                             AERO_MP_MAX_DEPTH);
    if (!shape_ok(type, t))
        return bad_shape(u->err, u->p, type);
    aero_mp_item it;
    if (aero_mp__read_item(r, &it) != AERO_OK)
        return malformed(u);
    uint8_t pt = it.kind == AERO_MP_BYTES && it.n ? it.p[0] : 0;
    switch ((aero_schema_type)type) {
    case AERO_SCHEMA_INT:
        if (it.kind != AERO_MP_INT)
            return wrong(u, mp_kind_name(&it), type);
        *(int64_t *)c = it.i;
        return AERO_OK;
    case AERO_SCHEMA_DOUBLE:
        if (it.kind == AERO_MP_FLOAT)
            *(double *)c = it.d;
        else if (it.kind == AERO_MP_INT)
            *(double *)c = (double)it.i;
        else
            return wrong(u, mp_kind_name(&it), type);
        return AERO_OK;
    case AERO_SCHEMA_BOOL:
        if (it.kind == AERO_MP_BOOL)
            *(bool *)c = it.b;
        else if (it.kind == AERO_MP_INT && (it.i == 0 || it.i == 1))
            *(bool *)c = it.i == 1;
        else
            return wrong(u, mp_kind_name(&it), type);
        return AERO_OK;
    case AERO_SCHEMA_STR:
        if (pt != AERO_PT_STRING)
            return wrong(u, mp_kind_name(&it), type);
        *(cstr *)c = str_in_place(&it);
        return AERO_OK;
    case AERO_SCHEMA_GEOJSON:
        if (pt != AERO_PT_GEOJSON && pt != AERO_PT_STRING)
            return wrong(u, mp_kind_name(&it), type);
        *(cstr *)c = str_in_place(&it);
        return AERO_OK;
    case AERO_SCHEMA_BLOB:
        if (it.kind != AERO_MP_BYTES || pt == AERO_PT_STRING || pt == AERO_PT_GEOJSON || pt == AERO_PT_HLL)
            return wrong(u, mp_kind_name(&it), type);
        ((aero_bytes *)c)->ptr = it.n ? it.p + 1 : empty_items;
        ((aero_bytes *)c)->len = it.n ? (size_t)it.n - 1 : 0;
        return AERO_OK;
    case AERO_SCHEMA_LIST: {
        if (it.kind != AERO_MP_ARRAY)
            return wrong(u, mp_kind_name(&it), type);
        uint64_t n = it.n;
        if (n > 0 && aero_mp__take_order_ext(r))
            n--;
        const aero_schema_tdesc *item = t->item;
        size_t sz = item->size;
        char *items = (char *)(uintptr_t)empty_items;
        if (n) {
            if (sz && n > SIZE_MAX / sz)
                return malformed(u);
            if (!(items = aero_arena__alloc(u->arena, (size_t)n * sz)))
                return aero_err__set(u->err, AERO_ERR_NO_MEMORY, "out of memory");
        }
        for (uint64_t i = 0; i < n; i++) {
            size_t at = path_push(u->p, "[%llu]", (unsigned long long)i);
            aero_status rc = unpack_any(r, item->type, item, items + i * sz, u, depth + 1);
            if (rc != AERO_OK)
                return rc;
            path_pop(u->p, at);
        }
        ((gen_coll *)c)->items = items;
        ((gen_coll *)c)->count = (size_t)n;
        return AERO_OK;
    }
    case AERO_SCHEMA_MAP: {
        if (it.kind != AERO_MP_MAP)
            return wrong(u, mp_kind_name(&it), type);
        uint64_t n = it.n;
        if (n > 0 && aero_mp__take_order_ext(r)) {
            if (aero_mp__skip(r) != AERO_OK)
                return malformed(u);
            n--;
        }
        char *entries = (char *)(uintptr_t)empty_items;
        if (n) {
            if (n > SIZE_MAX / t->entry_size)
                return malformed(u);
            if (!(entries = aero_arena__alloc(u->arena, (size_t)n * t->entry_size)))
                return aero_err__set(u->err, AERO_ERR_NO_MEMORY, "out of memory");
        }
        for (uint64_t i = 0; i < n; i++) {
            char *e = entries + i * t->entry_size;
            size_t at = path_push(u->p, "{#%llu}", (unsigned long long)i);
            aero_status rc = unpack_any(r, t->key->type, t->key, e, u, depth + 1);
            if (rc == AERO_OK) {
                path_key(u->p, at, t->key->type, e, (size_t)i);
                rc = unpack_any(r, t->item->type, t->item, e + t->value_offset, u, depth + 1);
            }
            if (rc != AERO_OK)
                return rc;
            path_pop(u->p, at);
        }
        ((gen_coll *)c)->items = entries;
        ((gen_coll *)c)->count = (size_t)n;
        return AERO_OK;
    }
    case AERO_SCHEMA_DOC:
        if (it.kind != AERO_MP_MAP)
            return wrong(u, mp_kind_name(&it), type);
        return unpack_doc(r, t->doc, it.n, c, u, depth);
    case AERO_SCHEMA_HLL:
        if (pt != AERO_PT_HLL)
            return wrong(u, mp_kind_name(&it), type);
        ((aero_bytes *)c)->ptr = it.p + 1;
        ((aero_bytes *)c)->len = (size_t)it.n - 1;
        return AERO_OK;
    }
    return aero_err__set(u->err, AERO_ERR_PARAM, "%s has an unknown type %u", u->p->s, (unsigned)type);
}

aero_status aero_schema__unpack_bin(const char *record, const aero_schema_bin *b, uint8_t *bytes, size_t len,
                                    aero_arena *arena, void *c, aero_error *err) {
    tpath p;
    path_init(&p, record, b->field);
    unpack_ctx u = { arena, &p, err };
    aero_mp_reader r = { bytes, bytes + len };
    aero_status rc = unpack_any(&r, b->type, b->tdesc, c, &u, 0);
    if (rc == AERO_OK && r.p != r.end)
        rc = malformed(&u);
    return rc;
}

/* ---------------------------------------------------------------- aero_value -> C */

static aero_status to_c(const aero_value *v, uint8_t type, const aero_schema_tdesc *t, void *c, unpack_ctx *u,
                        int depth);

static aero_status to_c_doc(const aero_value *v, const aero_schema_doc *d, void *c, unpack_ctx *u, int depth) {
    memcpy(c, d->init, d->size);
    uint8_t stack_bits[32];
    uint8_t *seen = stack_bits;
    size_t bytes = ((size_t)d->n_fields + 7) / 8;
    if (bytes > sizeof stack_bits && !(seen = aero_arena__alloc(u->arena, bytes)))
        return aero_err__set(u->err, AERO_ERR_NO_MEMORY, "out of memory");
    memset(seen, 0, bytes);
    for (uint32_t i = 0; i < v->v.map.count; i++) {
        const aero_map_entry *e = &v->v.map.entries[i];
        if (e->key.type != AERO_STR || e->value.type == AERO_NIL)
            continue;
        uint32_t idx = 0;
        const aero_schema_bin *f = doc_field(d, (const uint8_t *)e->key.v.str.ptr, e->key.v.str.len, &idx);
        if (!f)
            continue;
        size_t at = path_push(u->p, ".%s", f->field ? f->field : f->name);
        aero_status rc = to_c(&e->value, f->type, f->tdesc, (char *)c + f->offset, u, depth + 1);
        if (rc != AERO_OK)
            return rc;
        path_pop(u->p, at);
        if (f->has_offset != AERO_SCHEMA_NO_FLAG)
            *FIELD(c, f->has_offset, bool) = true;
        seen[idx / 8] |= (uint8_t)(1u << (idx % 8));
    }
    return doc_required(d, seen, u->p, u->err);
}

static aero_status to_c(const aero_value *v, uint8_t type, const aero_schema_tdesc *t, void *c, unpack_ctx *u,
                        int depth) {
    if (depth > AERO_MP_MAX_DEPTH)
        return aero_err__set(u->err, AERO_ERR_PARAM, "%s: nested deeper than %d levels", u->p->s, AERO_MP_MAX_DEPTH);
    if (!shape_ok(type, t))
        return bad_shape(u->err, u->p, type);
    switch ((aero_schema_type)type) {
    case AERO_SCHEMA_INT:
        if (v->type != AERO_INT)
            break;
        *(int64_t *)c = v->v.i;
        return AERO_OK;
    case AERO_SCHEMA_DOUBLE:
        if (v->type == AERO_DOUBLE)
            *(double *)c = v->v.d;
        else if (v->type == AERO_INT)
            *(double *)c = (double)v->v.i;
        else
            break;
        return AERO_OK;
    case AERO_SCHEMA_BOOL:
        if (v->type == AERO_BOOL)
            *(bool *)c = v->v.b;
        else if (v->type == AERO_INT && (v->v.i == 0 || v->v.i == 1))
            *(bool *)c = v->v.i == 1;
        else
            break;
        return AERO_OK;
    case AERO_SCHEMA_STR:
        if (v->type != AERO_STR)
            break;
        *(cstr *)c = v->v.str.ptr; /* NUL-terminated: values read from the server are */
        return AERO_OK;
    case AERO_SCHEMA_GEOJSON:
        if (v->type != AERO_GEOJSON && v->type != AERO_STR)
            break;
        *(cstr *)c = v->v.str.ptr;
        return AERO_OK;
    case AERO_SCHEMA_BLOB:
        if (v->type != AERO_BLOB)
            break;
        ((aero_bytes *)c)->ptr = v->v.bytes.ptr;
        ((aero_bytes *)c)->len = v->v.bytes.len;
        return AERO_OK;
    case AERO_SCHEMA_LIST: {
        if (v->type != AERO_LIST)
            break;
        const aero_schema_tdesc *item = t->item;
        size_t sz = item->size;
        uint32_t n = v->v.list.count;
        char *items = (char *)(uintptr_t)empty_items;
        if (n && !(items = aero_arena__alloc(u->arena, (size_t)n * sz)))
            return aero_err__set(u->err, AERO_ERR_NO_MEMORY, "out of memory");
        for (uint32_t i = 0; i < n; i++) {
            size_t at = path_push(u->p, "[%u]", (unsigned)i);
            aero_status rc = to_c(&v->v.list.items[i], item->type, item, items + (size_t)i * sz, u, depth + 1);
            if (rc != AERO_OK)
                return rc;
            path_pop(u->p, at);
        }
        ((gen_coll *)c)->items = items;
        ((gen_coll *)c)->count = n;
        return AERO_OK;
    }
    case AERO_SCHEMA_MAP: {
        if (v->type != AERO_MAP)
            break;
        uint32_t n = v->v.map.count;
        char *entries = (char *)(uintptr_t)empty_items;
        if (n && !(entries = aero_arena__alloc(u->arena, (size_t)n * t->entry_size)))
            return aero_err__set(u->err, AERO_ERR_NO_MEMORY, "out of memory");
        for (uint32_t i = 0; i < n; i++) {
            char *e = entries + (size_t)i * t->entry_size;
            size_t at = path_push(u->p, "{#%u}", (unsigned)i);
            aero_status rc = to_c(&v->v.map.entries[i].key, t->key->type, t->key, e, u, depth + 1);
            if (rc == AERO_OK)
                path_key(u->p, at, t->key->type, e, i);
            if (rc == AERO_OK)
                rc = to_c(&v->v.map.entries[i].value, t->item->type, t->item, e + t->value_offset, u,
                          depth + 1);
            if (rc != AERO_OK)
                return rc;
            path_pop(u->p, at);
        }
        ((gen_coll *)c)->items = entries;
        ((gen_coll *)c)->count = n;
        return AERO_OK;
    }
    case AERO_SCHEMA_DOC:
        if (v->type != AERO_MAP)
            break;
        return to_c_doc(v, t->doc, c, u, depth);
    case AERO_SCHEMA_HLL:
        if (v->type != AERO_HLL)
            break;
        ((aero_bytes *)c)->ptr = v->v.bytes.ptr;
        ((aero_bytes *)c)->len = v->v.bytes.len;
        return AERO_OK;
    }
    if (type > AERO_SCHEMA_HLL || type < AERO_SCHEMA_INT)
        return aero_err__set(u->err, AERO_ERR_PARAM, "%s has an unknown type %u", u->p->s, (unsigned)type);
    return aero_err__set(u->err, AERO_ERR_BIN_INCOMPATIBLE_TYPE, "%s is %s, declared %s", u->p->s,
                         aero_type_str(v->type), type_name(type));
}

aero_status aero_schema__store_value(const char *record, const aero_schema_bin *b, const aero_value *v,
                                     aero_arena *arena, void *c, aero_error *err) {
    tpath p;
    path_init(&p, record, b->field);
    unpack_ctx u = { arena, &p, err };
    return to_c(v, b->type, b->tdesc, c, &u, 0);
}

aero_status aero_schema__value_to_c(const aero_schema_tdesc *t, const aero_value *v, aero_arena *arena, void *c,
                                    aero_error *err) {
    if (!t || !v || !c)
        return aero_err__set(err, AERO_ERR_PARAM, "NULL descriptor, value or destination");
    tpath p;
    p.len = 0;
    p.s[0] = '\0';
    path_push(&p, "value");
    unpack_ctx u = { arena, &p, err };
    return to_c(v, t->type, t, c, &u, 0);
}

/* ---------------------------------------------------------------- C -> aero_value */

static aero_status from_c(uint8_t type, const aero_schema_tdesc *t, const void *c, aero_arena *arena, aero_value *out,
                          tpath *p, int depth, aero_error *err) {
    if (depth > AERO_MP_MAX_DEPTH)
        return aero_err__set(err, AERO_ERR_PARAM, "%s: nested deeper than %d levels", p->s, AERO_MP_MAX_DEPTH);
    if (!shape_ok(type, t))
        return bad_shape(err, p, type);
    switch ((aero_schema_type)type) {
    case AERO_SCHEMA_INT: *out = aero_int(*(const int64_t *)c); return AERO_OK;
    case AERO_SCHEMA_DOUBLE: *out = aero_double(*(const double *)c); return AERO_OK;
    case AERO_SCHEMA_BOOL: *out = aero_bool(*(const bool *)c); return AERO_OK;
    case AERO_SCHEMA_STR:
    case AERO_SCHEMA_GEOJSON: {
        const char *s = *(const cstr *)c;
        if (!s)
            return aero_err__set(err, AERO_ERR_PARAM, "%s is NULL (a %s is required here)", p->s, type_name(type));
        *out = type == AERO_SCHEMA_STR ? aero_str(s) : aero_geojson(s);
        return AERO_OK;
    }
    case AERO_SCHEMA_BLOB: {
        const aero_bytes *x = c;
        if (!x->ptr && x->len)
            return aero_err__set(err, AERO_ERR_PARAM, "%s has a NULL pointer and length %zu", p->s, x->len);
        *out = aero_blob(x->ptr ? (const void *)x->ptr : "", x->len);
        return AERO_OK;
    }
    case AERO_SCHEMA_LIST: {
        const gen_coll *l = c;
        if ((!l->items && l->count) || l->count > UINT32_MAX)
            return aero_err__set(err, AERO_ERR_PARAM, "%s has NULL items or too many (%zu)", p->s, l->count);
        size_t sz = t->item->size;
        aero_value *items = NULL;
        if (l->count && !(items = aero_arena__alloc(arena, l->count * sizeof *items)))
            return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory");
        for (size_t i = 0; i < l->count; i++) {
            size_t at = path_push(p, "[%zu]", i);
            aero_status rc = from_c(t->item->type, t->item, (const char *)l->items + i * sz, arena, &items[i], p,
                                    depth + 1, err);
            if (rc != AERO_OK)
                return rc;
            path_pop(p, at);
        }
        *out = aero_list(items, (uint32_t)l->count);
        return AERO_OK;
    }
    case AERO_SCHEMA_MAP: {
        const gen_coll *m = c;
        if ((!m->items && m->count) || m->count > UINT32_MAX)
            return aero_err__set(err, AERO_ERR_PARAM, "%s has NULL entries or too many (%zu)", p->s, m->count);
        aero_map_entry *es = NULL;
        if (m->count && !(es = aero_arena__alloc(arena, m->count * sizeof *es)))
            return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory");
        for (size_t i = 0; i < m->count; i++) {
            const char *e = (const char *)m->items + i * t->entry_size;
            size_t at = path_push(p, "{#%zu}", i);
            aero_status rc = from_c(t->key->type, t->key, e, arena, &es[i].key, p, depth + 1, err);
            if (rc == AERO_OK)
                path_key(p, at, t->key->type, e, i);
            if (rc == AERO_OK)
                rc = from_c(t->item->type, t->item, e + t->value_offset, arena, &es[i].value, p, depth + 1, err);
            if (rc != AERO_OK)
                return rc;
            path_pop(p, at);
        }
        *out = aero_map(es, (uint32_t)m->count);
        return AERO_OK;
    }
    case AERO_SCHEMA_DOC: {
        const aero_schema_doc *d = t->doc;
        aero_map_entry *es = NULL;
        if (d->n_fields && !(es = aero_arena__alloc(arena, d->n_fields * sizeof *es)))
            return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory");
        uint32_t n = 0;
        for (uint32_t i = 0; i < d->n_fields; i++) {
            const aero_schema_bin *f = &d->fields[i];
            if (!field_present(f, c))
                continue;
            size_t at = path_push(p, ".%s", f->field ? f->field : f->name);
            aero_status rc = from_c(f->type, f->tdesc, (const char *)c + f->offset, arena, &es[n].value, p,
                                    depth + 1, err);
            if (rc != AERO_OK)
                return rc;
            path_pop(p, at);
            es[n].key = aero_str(f->name);
            n++;
        }
        *out = aero_map(es, n);
        return AERO_OK;
    }
    case AERO_SCHEMA_HLL: {
        const aero_bytes *x = c;
        *out = aero_blob(x->ptr ? (const void *)x->ptr : "", x->len);
        out->type = AERO_HLL;
        return AERO_OK;
    }
    }
    return aero_err__set(err, AERO_ERR_PARAM, "%s has an unknown type %u", p->s, (unsigned)type);
}

aero_status aero_schema__value_from_c(const aero_schema_tdesc *t, const void *c, aero_arena *arena, aero_value *out,
                                      aero_error *err) {
    if (!t || !c || !out || (!arena && (t->type == AERO_SCHEMA_LIST || t->type == AERO_SCHEMA_MAP ||
                                        t->type == AERO_SCHEMA_DOC)))
        return aero_err__set(err, AERO_ERR_PARAM, "NULL descriptor, value, arena or destination");
    tpath p;
    p.len = 0;
    p.s[0] = '\0';
    path_push(&p, "value");
    return from_c(t->type, t, c, arena, out, &p, 0, err);
}
