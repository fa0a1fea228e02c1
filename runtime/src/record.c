/*
 * record.c - records: their lifetime, the typed getters and copies. Decoding
 * an answer into a record is record_decode.c.
 */
#include <aero/record.h>

#include <stdlib.h>
#include <string.h>

#include "record_decode.h"
#include "internal.h"
#include "proto/arena.h"
#include "proto/msg.h"
#include "proto/wire.h"

AERO_API void aero_record_init(aero_record *rec) { memset(rec, 0, sizeof *rec); }

AERO_API void aero_record_dispose(aero_record *rec) {
    if (!rec)
        return;
    free(rec->store_.buf);
    aero_arena__free(rec->store_.arena);
    free(rec->store_.bins_cap_ptr);
    memset(rec, 0, sizeof *rec);
}

/* The last result for a bin: an operate answers every op in order, and the read
   that follows a write of the same bin is the value the caller wants. */
AERO_API const aero_value *aero_record_get(const aero_record *rec, const char *name) {
    if (!rec || !name)
        return NULL;
    for (uint32_t i = rec->n_bins; i-- > 0;)
        if (strcmp(rec->bins[i].name, name) == 0)
            return &rec->bins[i].value;
    return NULL;
}

AERO_API uint32_t aero_record_count(const aero_record *rec, const char *name) {
    uint32_t n = 0;
    for (uint32_t i = 0; rec && name && i < rec->n_bins; i++)
        n += strcmp(rec->bins[i].name, name) == 0;
    return n;
}

AERO_API const aero_value *aero_record_get_nth(const aero_record *rec, const char *name, uint32_t nth) {
    for (uint32_t i = 0; rec && name && i < rec->n_bins; i++)
        if (strcmp(rec->bins[i].name, name) == 0 && nth-- == 0)
            return &rec->bins[i].value;
    return NULL;
}

/* Whether bins[i] repeats the name of an earlier bin. */
static bool repeated_name(const aero_record *rec, uint32_t i) {
    for (uint32_t j = 0; j < i; j++)
        if (strcmp(rec->bins[j].name, rec->bins[i].name) == 0)
            return true;
    return false;
}

static const aero_value *typed(const aero_record *rec, const char *name, aero_type t) {
    const aero_value *v = aero_record_get(rec, name);
    return v && v->type == t ? v : NULL;
}

AERO_API int64_t aero_record_int(const aero_record *rec, const char *name, int64_t dflt) {
    const aero_value *v = typed(rec, name, AERO_INT);
    return v ? v->v.i : dflt;
}

AERO_API double aero_record_double(const aero_record *rec, const char *name, double dflt) {
    const aero_value *v = typed(rec, name, AERO_DOUBLE);
    return v ? v->v.d : dflt;
}

AERO_API bool aero_record_bool(const aero_record *rec, const char *name, bool dflt) {
    const aero_value *v = typed(rec, name, AERO_BOOL);
    return v ? v->v.b : dflt;
}

AERO_API const char *aero_record_str(const aero_record *rec, const char *name) {
    const aero_value *v = typed(rec, name, AERO_STR);
    return v ? v->v.str.ptr : NULL;
}

AERO_API const uint8_t *aero_record_blob(const aero_record *rec, const char *name, size_t *len) {
    const aero_value *v = typed(rec, name, AERO_BLOB);
    if (len)
        *len = v ? v->v.bytes.len : 0;
    return v ? v->v.bytes.ptr : NULL;
}

AERO_API const char *aero_record_geojson(const aero_record *rec, const char *name) {
    const aero_value *v = typed(rec, name, AERO_GEOJSON);
    return v ? v->v.str.ptr : NULL;
}

AERO_API const aero_value *aero_record_list(const aero_record *rec, const char *name) {
    return typed(rec, name, AERO_LIST);
}

AERO_API const aero_value *aero_record_map(const aero_record *rec, const char *name) {
    return typed(rec, name, AERO_MAP);
}

static aero_status get_typed(const aero_record *rec, const char *name, aero_type t, const aero_value **out,
                             aero_error *err) {
    aero_err__reset(err);
    if (!out)
        return aero_err__set(err, AERO_ERR_PARAM, "typed getter needs an output");
    const aero_value *v = aero_record_get(rec, name);
    if (!v)
        return aero_err__set(err, AERO_ERR_BIN_NOT_FOUND, "bin '%s' not found", name ? name : "(null)");
    if (v->type != t)
        return aero_err__set(err, AERO_ERR_BIN_INCOMPATIBLE_TYPE, "bin '%s' is %s, not %s", name,
                             aero_type_str(v->type), aero_type_str(t));
    *out = v;
    return AERO_OK;
}

AERO_API aero_status aero_record_get_int(const aero_record *rec, const char *name, int64_t *out, aero_error *err) {
    const aero_value *v = NULL;
    aero_status st = get_typed(rec, name, AERO_INT, out ? &v : NULL, err);
    if (st == AERO_OK)
        *out = v->v.i;
    return st;
}

AERO_API aero_status aero_record_get_double(const aero_record *rec, const char *name, double *out, aero_error *err) {
    const aero_value *v = NULL;
    aero_status st = get_typed(rec, name, AERO_DOUBLE, out ? &v : NULL, err);
    if (st == AERO_OK)
        *out = v->v.d;
    return st;
}

AERO_API aero_status aero_record_get_bool(const aero_record *rec, const char *name, bool *out, aero_error *err) {
    const aero_value *v = NULL;
    aero_status st = get_typed(rec, name, AERO_BOOL, out ? &v : NULL, err);
    if (st == AERO_OK)
        *out = v->v.b;
    return st;
}

AERO_API aero_status aero_record_get_str(const aero_record *rec, const char *name, const char **out, size_t *len,
                                         aero_error *err) {
    const aero_value *v = NULL;
    aero_status st = get_typed(rec, name, AERO_STR, out ? &v : NULL, err);
    if (st == AERO_OK) {
        *out = v->v.str.ptr;
        if (len)
            *len = v->v.str.len;
    }
    return st;
}

AERO_API size_t aero_record_format_bins(const aero_record *rec, char *buf, size_t size) {
    size_t len = 0;
    char *p = buf;
    size_t room = size;
#define EMIT(str, n)                                   \
    do {                                               \
        size_t n_ = (n);                               \
        if (room > 1) {                                \
            size_t c_ = n_ < room - 1 ? n_ : room - 1; \
            memcpy(p, (str), c_);                      \
            p += c_;                                   \
            room -= c_;                                \
            *p = '\0';                                 \
        }                                              \
        len += n_;                                     \
    } while (0)
    if (size)
        buf[0] = '\0';
    EMIT("{", 1);
    bool first = true;
    for (uint32_t i = 0; i < rec->n_bins; i++) {
        if (repeated_name(rec, i))
            continue; /* a dict: each name once, where it first came, with its last value */
        if (!first)
            EMIT(", ", 2);
        first = false;
        EMIT("'", 1);
        EMIT(rec->bins[i].name, strlen(rec->bins[i].name));
        EMIT("': ", 3);
        size_t need = aero_value_format(aero_record_get(rec, rec->bins[i].name), p, room);
        size_t wrote = room ? (need < room - 1 ? need : room - 1) : 0;
        p += wrote;
        room -= wrote;
        len += need;
    }
    EMIT("}", 1);
#undef EMIT
    return len;
}

/* Deep copy of a value tree into an arena. */
static aero_status copy_value(aero_arena *a, aero_value *dst, const aero_value *src, int depth) {
    *dst = *src;
    if (depth > 64)
        return AERO_ERR_PARAM;
    switch (src->type) {
    case AERO_STR:
    case AERO_GEOJSON:
        if (!(dst->v.str.ptr = aero_arena__strndup(a, src->v.str.ptr, src->v.str.len)))
            return AERO_ERR_NO_MEMORY;
        break;
    case AERO_BLOB:
    case AERO_HLL:
        if (src->v.bytes.len) {
            uint8_t *p = aero_arena__alloc(a, src->v.bytes.len);
            if (!p)
                return AERO_ERR_NO_MEMORY;
            memcpy(p, src->v.bytes.ptr, src->v.bytes.len);
            dst->v.bytes.ptr = p;
        }
        break;
    case AERO_LIST: {
        if (!src->v.list.count)
            break;
        aero_value *items = aero_arena__alloc(a, src->v.list.count * sizeof *items);
        if (!items)
            return AERO_ERR_NO_MEMORY;
        for (uint32_t i = 0; i < src->v.list.count; i++) {
            aero_status st = copy_value(a, &items[i], &src->v.list.items[i], depth + 1);
            if (st)
                return st;
        }
        dst->v.list.items = items;
        break;
    }
    case AERO_MAP: {
        if (!src->v.map.count)
            break;
        aero_map_entry *e = aero_arena__alloc(a, src->v.map.count * sizeof *e);
        if (!e)
            return AERO_ERR_NO_MEMORY;
        for (uint32_t i = 0; i < src->v.map.count; i++) {
            aero_status st = copy_value(a, &e[i].key, &src->v.map.entries[i].key, depth + 1);
            if (!st)
                st = copy_value(a, &e[i].value, &src->v.map.entries[i].value, depth + 1);
            if (st)
                return st;
        }
        dst->v.map.entries = e;
        break;
    }
    default: break;
    }
    return AERO_OK;
}

static aero_status copy_record(aero_record *dst, const aero_record *src) {
    aero_record__clear(dst);
    if (!dst->store_.arena && !(dst->store_.arena = aero_arena__new()))
        return AERO_ERR_NO_MEMORY;
    if (src->n_bins && aero_record__reserve_bins(dst, src->n_bins) != AERO_OK)
        return AERO_ERR_NO_MEMORY;
    aero_arena *a = dst->store_.arena;
    dst->key = src->key;
    if ((src->key.type == AERO_KEY_STR || src->key.type == AERO_KEY_BLOB) && src->key.ptr) {
        char *k = aero_arena__strndup(a, src->key.ptr, src->key.len);
        if (!k)
            return AERO_ERR_NO_MEMORY;
        dst->key.ptr = k;
    }
    dst->result = src->result;
    dst->in_doubt = src->in_doubt;
    dst->index = src->index;
    dst->generation = src->generation;
    dst->ttl = src->ttl;
    for (uint32_t i = 0; i < src->n_bins; i++) {
        memcpy(dst->bins[i].name, src->bins[i].name, sizeof dst->bins[i].name);
        aero_status st = copy_value(a, &dst->bins[i].value, &src->bins[i].value, 0);
        if (st)
            return st;
    }
    dst->n_bins = src->n_bins;
    return AERO_OK;
}

AERO_API aero_status aero_record_copy(aero_record *dst, const aero_record *src, aero_error *err) {
    aero_err__reset(err);
    if (!dst || !src || dst == src)
        return aero_err__set(err, AERO_ERR_PARAM, "record copy needs two distinct records");
    aero_status st = copy_record(dst, src);
    if (st != AERO_OK)
        return aero_err__set(err, st,
                             st == AERO_ERR_NO_MEMORY ? "out of memory copying a record"
                                                      : "record values nest deeper than 64 levels");
    return AERO_OK;
}
