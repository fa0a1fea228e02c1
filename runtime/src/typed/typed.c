/*
 * typed.c - the generic entry points of aerogen-generated code (aero/schema.h).
 *
 * Writes go through the write builder. A typed get decodes each bin of the
 * answer straight into the struct (read.h's sink path): scalars copied,
 * strings, blobs, lists and maps pointed at the holder record's buffer and
 * arena, never allocated per bin. Batch gets and stream rows are decoded from
 * a record's bins.
 */
#include "client.h"
#include "internal.h"
#include "op_decode.h"
#include "proto/buf.h"
#include "proto/wire.h"
#include "read.h"
#include "record_decode.h"
#include "typed_internal.h"

#include <aero/query.h>
#include <aero/schema.h>
#include <aero/write.h>

#include <stdlib.h>
#include <string.h>

#define FIELD(obj, off, T)  ((T *)(void *)((char *)(obj) + (off)))
#define CFIELD(obj, off, T) ((const T *)(const void *)((const char *)(obj) + (off)))

typedef const char *cstr; /* so CFIELD(obj, off, cstr) is a const char *const * */

aero_status aero_schema__check_abi(const aero_schema_record *r, aero_error *err) {
    if (!r)
        return aero_err__set(err, AERO_ERR_PARAM, "NULL schema descriptor");
    if (AERO_UNLIKELY(r->abi != AERO_SCHEMA_ABI))
        return aero_err__set(err, AERO_ERR_SCHEMA_MISMATCH,
                             "record '%s' was generated for schema ABI %u, this runtime (%s) has ABI %d: regenerate it",
                             r->name ? r->name : "?", (unsigned)r->abi, aero_version_string(), AERO_SCHEMA_ABI);
    if (AERO_UNLIKELY(r->version / 10000 != (uint32_t)aero_version_number() / 10000))
        return aero_err__set(err, AERO_ERR_SCHEMA_MISMATCH,
                             "record '%s' was compiled with aero headers %u, the library is %s",
                             r->name ? r->name : "?", (unsigned)r->version, aero_version_string());
    return AERO_OK;
}

/* ---- keys ---- */

aero_key aero_schema_key_str(const aero_schema_record *r, const char *key) {
    aero_dataset ds = aero_dataset_of(r->ns, r->set);
    return aero_dataset_id_str(&ds, key);
}

aero_key aero_schema_key_int(const aero_schema_record *r, int64_t key) {
    aero_dataset ds = aero_dataset_of(r->ns, r->set);
    return aero_dataset_id_int(&ds, key);
}

aero_key aero_schema_key_blob(const aero_schema_record *r, const void *key, size_t len) {
    aero_dataset ds = aero_dataset_of(r->ns, r->set);
    return aero_dataset_id_blob(&ds, key, len);
}

/* ---- writes ---- */

aero_write *aero_schema__start_write(aero_session *s, aero_schema_op op, const aero_key *key) {
    switch (op) {
    case AERO_SCHEMA_UPSERT: return aero_session_upsert(s, key);
    case AERO_SCHEMA_INSERT: return aero_session_insert(s, key);
    case AERO_SCHEMA_UPDATE: return aero_session_update(s, key);
    case AERO_SCHEMA_REPLACE: return aero_session_replace(s, key);
    case AERO_SCHEMA_REPLACE_IF_EXISTS: return aero_session_replace_if_exists(s, key);
    }
    return NULL;
}

/* Add one bin to the write, or return an error status (the caller abandons). */
static aero_status put_bin(aero_write *w, const aero_schema_record *r, const aero_schema_bin *b, const void *obj,
                           aero_error *err) {
    bool required = (b->flags & AERO_SCHEMA_REQUIRED) != 0;
    switch ((aero_schema_type)b->type) {
    case AERO_SCHEMA_INT: aero_write_bin_set_int(w, b->name, *CFIELD(obj, b->offset, int64_t)); return AERO_OK;
    case AERO_SCHEMA_DOUBLE: aero_write_bin_set_double(w, b->name, *CFIELD(obj, b->offset, double)); return AERO_OK;
    case AERO_SCHEMA_BOOL: aero_write_bin_set_bool(w, b->name, *CFIELD(obj, b->offset, bool)); return AERO_OK;
    case AERO_SCHEMA_STR:
    case AERO_SCHEMA_GEOJSON: {
        const char *v = *CFIELD(obj, b->offset, cstr);
        if (!v) {
            if (required)
                return aero_err__set(err, AERO_ERR_PARAM, "%s.%s is required but NULL", r->name, b->field);
            aero_write_bin_remove(w, b->name);
        } else if (b->type == AERO_SCHEMA_STR) {
            aero_write_bin_set_str(w, b->name, v);
        } else {
            aero_write_bin_set_geojson(w, b->name, v);
        }
        return AERO_OK;
    }
    case AERO_SCHEMA_BLOB: {
        const aero_bytes *v = CFIELD(obj, b->offset, aero_bytes);
        if (!v->ptr && v->len)
            return aero_err__set(err, AERO_ERR_PARAM, "%s.%s has a NULL pointer and length %zu", r->name, b->field,
                                 v->len);
        if (!v->ptr && required)
            return aero_err__set(err, AERO_ERR_PARAM, "%s.%s is required but NULL", r->name, b->field);
        if (!v->ptr)
            aero_write_bin_remove(w, b->name);
        else
            aero_write_bin_set_blob(w, b->name, v->ptr, v->len);
        return AERO_OK;
    }
    case AERO_SCHEMA_LIST:
    case AERO_SCHEMA_MAP: {
        if (!b->tdesc)
            break;
        const struct aero_schema__coll *c = CFIELD(obj, b->offset, struct aero_schema__coll);
        if (!c->items && c->count)
            return aero_err__set(err, AERO_ERR_PARAM, "%s.%s has NULL items and count %zu", r->name, b->field,
                                 c->count);
        if (!c->items) {
            if (required)
                return aero_err__set(err, AERO_ERR_PARAM, "%s.%s is required but has no items array", r->name,
                                     b->field);
            aero_write_bin_remove(w, b->name);
            return AERO_OK;
        }
        return aero_schema__put_coll(w, r->name, b, c, err);
    }
    case AERO_SCHEMA_HLL: { /* the raw HLL particle, as an hll op or a read left it */
        const aero_bytes *v = CFIELD(obj, b->offset, aero_bytes);
        if (!v->ptr && (v->len || required))
            return aero_err__set(err, AERO_ERR_PARAM, "%s.%s is %s", r->name, b->field,
                                 v->len ? "a NULL pointer with a length" : "required but NULL");
        if (!v->ptr) {
            aero_write_bin_remove(w, b->name);
            return AERO_OK;
        }
        aero_value h = aero_blob(v->ptr, v->len);
        h.type = AERO_HLL;
        aero_write_bin_set(w, b->name, &h);
        return AERO_OK;
    }
    case AERO_SCHEMA_DOC:
        if (!b->tdesc)
            break;
        return aero_schema__put_coll(w, r->name, b, CFIELD(obj, b->offset, char), err);
    }
    return aero_err__set(err, AERO_ERR_PARAM, "%s.%s has an unknown type %u or no shape descriptor", r->name, b->field,
                         (unsigned)b->type);
}

aero_status aero_schema__put_bins(aero_write *w, const aero_schema_record *r, const void *obj, aero_error *err) {
    for (uint32_t i = 0; i < r->n_bins; i++) {
        const aero_schema_bin *b = &r->bins[i];
        if (b->has_offset != AERO_SCHEMA_NO_FLAG && !*CFIELD(obj, b->has_offset, bool))
            continue;
        aero_status rc = put_bin(w, r, b, obj, err);
        if (rc != AERO_OK)
            return rc;
    }
    return AERO_OK;
}

/* ---- reads ---- */

/* Index of the bin named `name`, or -1 (binary search over by_name). */
static int64_t find_bin(const aero_schema_record *r, const char *name) {
    size_t lo = 0, hi = r->n_bins;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t idx = r->by_name[mid];
        int c = strcmp(name, r->bins[idx].name);
        if (c == 0)
            return idx;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

static aero_status mismatch(aero_error *err, const aero_schema_record *r, const aero_schema_bin *b, const aero_value *v,
                            const char *want) {
    return aero_err__set(err, AERO_ERR_BIN_INCOMPATIBLE_TYPE, "%s.%s: bin '%s' is %s, declared %s", r->name, b->field,
                         b->name, aero_type_str(v->type), want);
}

/* Store one value into its field (typed lists, maps and documents: arrays from rec's arena, else nothing allocated). */
static aero_status store(const aero_schema_record *r, const aero_schema_bin *b, const aero_value *v, aero_record *rec,
                         void *obj, aero_error *err) {
    if (b->type == AERO_SCHEMA_HLL) {
        if (v->type != AERO_HLL)
            return mismatch(err, r, b, v, "hll");
        FIELD(obj, b->offset, aero_bytes)->ptr = v->v.bytes.ptr;
        FIELD(obj, b->offset, aero_bytes)->len = v->v.bytes.len;
        if (b->has_offset != AERO_SCHEMA_NO_FLAG)
            *FIELD(obj, b->has_offset, bool) = true;
        return AERO_OK;
    }
    if (b->tdesc) { /* schema ABI 2: a C list, map or document, its arrays in rec's arena */
        aero_arena *arena = aero_record__arena(rec);
        if (!arena)
            return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory decoding a record");
        aero_status rc = aero_schema__store_value(r->name, b, v, arena, FIELD(obj, b->offset, char), err);
        if (rc != AERO_OK)
            return rc;
        if (b->has_offset != AERO_SCHEMA_NO_FLAG)
            *FIELD(obj, b->has_offset, bool) = true;
        return AERO_OK;
    }
    switch ((aero_schema_type)b->type) {
    case AERO_SCHEMA_INT:
        if (v->type != AERO_INT)
            return mismatch(err, r, b, v, "int");
        *FIELD(obj, b->offset, int64_t) = v->v.i;
        break;
    case AERO_SCHEMA_DOUBLE:
        if (v->type == AERO_DOUBLE)
            *FIELD(obj, b->offset, double) = v->v.d;
        else if (v->type == AERO_INT)
            *FIELD(obj, b->offset, double) = (double)v->v.i;
        else
            return mismatch(err, r, b, v, "double");
        break;
    case AERO_SCHEMA_BOOL:
        if (v->type == AERO_BOOL)
            *FIELD(obj, b->offset, bool) = v->v.b;
        else if (v->type == AERO_INT && (v->v.i == 0 || v->v.i == 1))
            *FIELD(obj, b->offset, bool) = v->v.i == 1; /* servers without bool particles store 0/1 */
        else
            return mismatch(err, r, b, v, "bool");
        break;
    case AERO_SCHEMA_STR:
        if (v->type != AERO_STR)
            return mismatch(err, r, b, v, "string");
        *FIELD(obj, b->offset, const char *) = v->v.str.ptr;
        break;
    case AERO_SCHEMA_GEOJSON:
        if (v->type != AERO_GEOJSON && v->type != AERO_STR)
            return mismatch(err, r, b, v, "geojson");
        *FIELD(obj, b->offset, const char *) = v->v.str.ptr;
        break;
    case AERO_SCHEMA_BLOB:
        if (v->type != AERO_BLOB)
            return mismatch(err, r, b, v, "blob");
        FIELD(obj, b->offset, aero_bytes)->ptr = v->v.bytes.ptr;
        FIELD(obj, b->offset, aero_bytes)->len = v->v.bytes.len;
        break;
    default: /* a list, map or document without its shape descriptor, or an unknown type */
        return aero_err__set(err, AERO_ERR_PARAM, "%s.%s has an unknown type %u or no shape descriptor", r->name,
                             b->field, (unsigned)b->type);
    }
    if (b->has_offset != AERO_SCHEMA_NO_FLAG)
        *FIELD(obj, b->has_offset, bool) = true;
    return AERO_OK;
}

#define SEEN_STACK_BITS 4096

/*
 * Which bins were stored (bits) and which were looked at (decided, for
 * decode's last-result rule): bitmaps of 64-bit words on the stack (one word
 * each up to 64 bins, so a get clears two words), or on the heap for huge
 * records.
 */
typedef struct seen_set {
    uint64_t stack[2 * SEEN_STACK_BITS / 64];
    uint64_t *bits;
    uint64_t *decided;
} seen_set;

#define SEEN_HAS(w, i) (((w)[(i) >> 6] >> ((i)&63)) & 1u)
#define SEEN_SET(w, i) ((w)[(i) >> 6] |= UINT64_C(1) << ((i)&63))

static inline aero_status seen_init(seen_set *s, const aero_schema_record *r, aero_error *err) {
    if (AERO_LIKELY(r->n_bins <= 64)) { /* one word each */
        s->stack[0] = s->stack[1] = 0;
        s->bits = s->stack;
        s->decided = s->stack + 1;
        return AERO_OK;
    }
    size_t words = ((size_t)r->n_bins + 63) / 64;
    s->bits = r->n_bins <= SEEN_STACK_BITS ? s->stack : malloc(2 * words * sizeof *s->bits);
    if (!s->bits)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory");
    memset(s->bits, 0, 2 * words * sizeof *s->bits);
    s->decided = s->bits + words;
    return AERO_OK;
}

static inline void seen_free(seen_set *s) {
    if (AERO_UNLIKELY(s->bits != s->stack))
        free(s->bits);
}

/* Which bins a read asked for, for the required-bin check: NULL (every bin), field numbers or a predicate. */
typedef struct asked_set {
    const unsigned *fields; /* NULL with fn NULL: every bin */
    size_t n_fields;
    aero_schema__asked_fn fn;
    const void *ctx;
} asked_set;

static bool was_asked(const asked_set *a, uint32_t i, const aero_schema_bin *b) {
    if (!a)
        return true;
    if (a->fn)
        return a->fn(a->ctx, b);
    if (!a->fields)
        return true;
    for (size_t k = 0; k < a->n_fields; k++)
        if (a->fields[k] == i)
            return true;
    return false;
}

/* A required bin without default that was not stored: was it asked for? (the rare path of check_required) */
__attribute__((noinline)) static aero_status missing_required(const aero_schema_record *r, const uint64_t *seen,
                                                              const asked_set *asked, aero_error *err) {
    for (uint32_t i = 0; i < r->n_bins; i++) {
        const aero_schema_bin *b = &r->bins[i];
        if ((b->flags & (AERO_SCHEMA_REQUIRED | AERO_SCHEMA_HAS_DEFAULT)) != AERO_SCHEMA_REQUIRED || SEEN_HAS(seen, i))
            continue;
        if (was_asked(asked, i, b))
            return aero_err__set(err, AERO_ERR_BIN_NOT_FOUND, "%s.%s: required bin '%s' is missing from the record",
                                 r->name, b->field, b->name);
    }
    return AERO_OK;
}

/*
 * After the bins were stored (`seen`: a bitmap that has at least every stored
 * required bin): every required bin that was asked for must be there. Up to
 * 64 bins that is one test of the descriptor's required mask; the scan runs
 * only when a required bin is missing. Leaves err alone on success.
 */
static inline bool required_stored(const aero_schema_record *r, const uint64_t *seen) {
    return AERO_LIKELY(r->n_bins <= 64) && (r->required & ~seen[0]) == 0;
}

static inline aero_status check_required(const aero_schema_record *r, const uint64_t *seen, const asked_set *asked,
                                         aero_error *err) {
    return required_stored(r, seen) ? AERO_OK : missing_required(r, seen, asked, err);
}

/* Decode rec into obj; `asked` (NULL: every bin) limits which required bins must be present. */
static aero_status decode(const aero_schema_record *r, const aero_record *rec, const asked_set *asked, void *obj,
                          aero_error *err) {
    memcpy(obj, r->init, r->size);
    /* C lists and maps take their arrays from the record's arena, like its own values */
    aero_record *owner = (aero_record *)(uintptr_t)rec;
    seen_set seen;
    aero_status rc = seen_init(&seen, r, err);
    /* Backwards: of several results for one bin (an operate with a write and a
       read of it) the last one counts, as in aero_record_get(). */
    for (uint32_t j = rec->n_bins; j-- > 0 && rc == AERO_OK;) {
        const aero_bin *bin = &rec->bins[j];
        int64_t idx = find_bin(r, bin->name);
        if (idx < 0 || SEEN_HAS(seen.decided, (uint64_t)idx))
            continue; /* a bin this schema does not know, or an earlier result of one decided */
        SEEN_SET(seen.decided, (uint64_t)idx);
        if (bin->value.type == AERO_NIL)
            continue;
        rc = store(r, &r->bins[idx], &bin->value, owner, obj, err);
        SEEN_SET(seen.bits, (uint64_t)idx);
    }
    if (rc == AERO_OK)
        rc = check_required(r, seen.bits, asked, err);
    if (rc == AERO_OK)
        aero_err__reset(err);
    seen_free(&seen);
    return rc;
}

aero_status aero_schema__decode_asked(const aero_schema_record *r, const aero_record *rec, aero_schema__asked_fn fn,
                                      const void *ctx, void *obj, aero_error *err) {
    asked_set a = { NULL, 0, fn, ctx };
    return decode(r, rec, fn ? &a : NULL, obj, err);
}

/*
 * The fast path of a typed get: bins go from the answer straight into the
 * struct (no value tree, no bin array), in one walk over the answer's ops.
 * Bins usually come back in schema order, so the next index is tried first;
 * names are compared by the descriptor's name_len, then word-wise.
 */
static inline uint64_t load64(const void *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/*
 * Is bin b's name the wire name (name, len)? `name` is an op's name in an
 * answer, so the op's 8-byte header is readable just before it: a name of up
 * to 8 bytes is the top bytes of the word that ends with it, compared with
 * the descriptor's zero-padded copy in one load each; 9 to 15 bytes are two
 * overlapping words. A longer name is never a bin's.
 */
static inline bool same_name(const aero_schema_bin *b, const char *name, size_t len) {
    if (b->name_len != len)
        return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (len - 1 < 8)
        return load64(name + len - 8) >> (64 - 8 * len) == load64(b->name16);
    if (len - 9 < 7)
        return ((load64(name) ^ load64(b->name16)) | (load64(name + len - 8) ^ load64(b->name16 + len - 8))) == 0;
#else
    if (len - 1 < 15)
        return memcmp(name, b->name16, len) == 0;
#endif
    return len != 0 && memcmp(name, b->name, len) == 0;
}

/* The bin of a wire name that is not the next one, or NULL: a scan by name length up to 64 bins, else the binary
   search. */
static const aero_schema_bin *find_bin_n(const aero_schema_record *r, const char *name, size_t len) {
    if (r->n_bins <= 64) {
        for (uint32_t i = 0; i < r->n_bins; i++)
            if (same_name(&r->bins[i], name, len))
                return &r->bins[i];
        return NULL;
    }
    char z[AERO_BIN_NAME_MAX + 1];
    if (len > AERO_BIN_NAME_MAX || memchr(name, '\0', len))
        return NULL;
    memcpy(z, name, len);
    z[len] = '\0';
    int64_t idx = find_bin(r, z);
    return idx < 0 ? NULL : &r->bins[idx];
}

/* The uncommon types and encodings of one bin: typed lists, maps and documents straight from the wire, the rest
   through an aero_value (arrays from the holder's arena). */
__attribute__((noinline, cold)) static aero_status sink_bin_slow(const aero_schema_record *r, const aero_schema_bin *b,
                                                                 const aero_op_view *op, aero_record *holder, void *obj,
                                                                 aero_error *err) {
    aero_arena *arena = aero_record__arena(holder);
    if (!arena)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory decoding a record");
    if (b->tdesc && (op->ptype == AERO_PT_LIST || op->ptype == AERO_PT_MAP)) {
        /* schema ABI 2: straight from the answer's msgpack into the C list, map or document */
        aero_status rc = aero_schema__unpack_bin(r->name, b, (uint8_t *)(uintptr_t)op->value, op->value_len, arena,
                                                 FIELD(obj, b->offset, char), err);
        if (rc == AERO_OK && b->has_offset != AERO_SCHEMA_NO_FLAG)
            *FIELD(obj, b->has_offset, bool) = true;
        return rc;
    }
    aero_value v;
    if (aero_op__decode(op, arena, &v) != AERO_OK)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "%s: malformed value in bin '%s'", r->name, b->name);
    return store(r, b, &v, holder, obj, err);
}

/*
 * The walk of a typed get's answer. The bin expected next: with `order` (the asked
 * field numbers: the server answers named bins in the order they were asked)
 * the next one of those, else the one after the last (schema order).
 * always_inline with a constant `order` in each call: no test of it per op.
 */
static inline __attribute__((always_inline)) aero_status walk(const aero_schema_record *r, char *obj, uint64_t *seen,
                                                              const unsigned *order, size_t n_order,
                                                              const aero_msg_view *m, aero_record *holder,
                                                              aero_error *err) {
    const aero_schema_bin *const bins = r->bins;
    const aero_schema_bin *const end = bins + r->n_bins;
    const aero_schema_bin *expect = bins;
    uint64_t seen0 = 0; /* bins 0..63, kept in a register; the rest straight into seen */
    size_t next = 0;
    aero_status rc = AERO_OK;
    aero_msg_iter it;
    aero_msg__ops(m, &it);
    const uint8_t *at;
    uint32_t size;
    while ((at = aero_msg__next_op_at(&it, &size)) != NULL) {
        const char *name = aero_msg__op_name(at);
        const uint8_t name_len = aero_msg__op_name_len(at);
        if (order) {
            expect = next < n_order ? bins + order[next] : end;
            next++;
        }
        const aero_schema_bin *b = expect;
        if (AERO_UNLIKELY(b == end || !same_name(b, name, name_len))) {
            b = find_bin_n(r, name, name_len);
            if (!b)
                continue; /* unknown to the schema: ignored */
        }
        const aero_op_view op = aero_msg__op_view(at, size); /* the rest of the op only once its name matched */
        /* The common cases go straight from the wire into the field. */
        if (op.ptype == AERO_PT_INTEGER && b->type == AERO_SCHEMA_INT && op.value_len == 8) {
            *FIELD(obj, b->offset, int64_t) = (int64_t)aero_get_u64be(op.value);
        } else if (op.ptype == AERO_PT_STRING && b->type == AERO_SCHEMA_STR) {
            /* (the name matched a bin's, so it is not empty, as the slide into it needs) */
            *FIELD(obj, b->offset, const char *) = aero_op__string_in_place(&op);
        } else if (op.ptype == AERO_PT_NULL) {
            continue; /* nil: ignored */
        } else {
            aero_op_view o = op;
            rc = sink_bin_slow(r, b, &o, holder, obj, err);
            if (rc != AERO_OK)
                goto out;
        }
        if (!order)
            expect = b + 1;
        if (b->has_offset != AERO_SCHEMA_NO_FLAG) {
            *FIELD(obj, b->has_offset, bool) = true; /* (store() set it already on the slow path) */
        } else {
            size_t idx = (size_t)(b - bins); /* only required bins (no has_ flag) are checked for presence */
            if (AERO_LIKELY(idx < 64))
                seen0 |= UINT64_C(1) << idx;
            else
                SEEN_SET(seen, idx);
        }
    }
    if (!aero_msg__iter_complete(&it))
        rc = aero_err__set(err, AERO_ERR_PROTOCOL, "malformed bin in an answer");
out:
    seen[0] |= seen0;
    return rc;
}

aero_status aero_schema_decode(const aero_schema_record *r, const aero_record *rec, void *obj, aero_error *err) {
    aero_status rc = aero_schema__check_abi(r, err);
    if (rc != AERO_OK)
        return rc;
    if (!rec || !obj)
        return aero_err__set(err, AERO_ERR_PARAM, "NULL record or struct");
    return decode(r, rec, NULL, obj, err);
}

/* The descriptor check of every entry point, inline for the get (the message is built out of line). */
static inline aero_status check_abi_fast(const aero_schema_record *r, aero_error *err) {
    const uint32_t major = AERO_VERSION_NUMBER / 10000 * 10000; /* r->version / 10000 == AERO_VERSION_NUMBER / 10000 */
    if (AERO_LIKELY(r && r->abi == AERO_SCHEMA_ABI && r->version - major < 10000))
        return AERO_OK;
    return aero_schema__check_abi(r, err);
}

typedef struct block16 {
    uint64_t a, b;
} block16;

/* One 16-byte block of the INIT copy (the compiler makes it one load and one store). */
static inline void copy16(char *d, const char *s) {
    block16 x;
    memcpy(&x, s, sizeof x);
    memcpy(d, &x, sizeof x);
}

/* The INIT copy: 16 to 128 bytes (most generated structs) in overlapping 16-byte blocks, inline; the rest through
   memcpy. */
static inline void copy_init(void *obj, const aero_schema_record *r) {
    char *d = obj;
    const char *s = r->init;
    size_t n = r->size;
    if (n - 16 > 112) {
        memcpy(d, s, n);
        return;
    }
    copy16(d, s);
    copy16(d + n - 16, s + n - 16);
    if (n > 32) {
        copy16(d + 16, s + 16);
        copy16(d + n - 32, s + n - 32);
    }
    if (n > 64) {
        copy16(d + 32, s + 32);
        copy16(d + 48, s + 48);
        copy16(d + n - 64, s + n - 64);
        copy16(d + n - 48, s + n - 48);
    }
}

/*
 * A typed get once its arguments are checked: INIT, the read, the walk of the
 * answer, the presence check; INIT again on failure. `fields` (NULL: every
 * bin) are the asked field numbers, `seen` the zeroed presence bitmap (a word
 * per 64 bins).
 */
static inline __attribute__((always_inline)) aero_status
get_into(aero_session *s, const aero_schema_record *r, const aero_key *key, const aero_read_spec *spec,
         const unsigned *fields, size_t n_fields, void *obj, aero_record *holder, uint64_t *seen, aero_error *err) {
    copy_init(obj, r);
    aero_err__reset(err);
    aero_msg_view m;
    aero_status rc = aero_read__one_raw(s, &s->read_point, key, spec, holder, &m, err);
    if (rc == AERO_OK && AERO_UNLIKELY(holder->result != AERO_OK))
        rc = aero_err__set(err, holder->result, "get: %s", aero_status_str(holder->result));
    if (rc == AERO_OK)
        rc = fields ? walk(r, obj, seen, fields, n_fields, &m, holder, err)
                    : walk(r, obj, seen, NULL, 0, &m, holder, err);
    if (rc == AERO_OK && !required_stored(r, seen)) {
        asked_set asked = { fields, n_fields, NULL, NULL };
        rc = missing_required(r, seen, &asked, err);
    }
    if (rc != AERO_OK)
        copy_init(obj, r);
    return rc;
}

/* get_into for a record of more than 64 bins: its presence bitmap is more than a word. */
__attribute__((noinline)) static aero_status get_huge(aero_session *s, const aero_schema_record *r, const aero_key *key,
                                                      const aero_read_spec *spec, const unsigned *fields,
                                                      size_t n_fields, void *obj, aero_record *holder,
                                                      aero_error *err) {
    seen_set big;
    aero_status rc = seen_init(&big, r, err);
    if (rc != AERO_OK) {
        copy_init(obj, r);
        return rc;
    }
    rc = get_into(s, r, key, spec, fields, n_fields, obj, holder, big.bits, err);
    seen_free(&big);
    return rc;
}

/* get_into with a presence word, or through get_huge for a record of more than 64 bins. */
static inline __attribute__((always_inline)) aero_status get_spec(aero_session *s, const aero_schema_record *r,
                                                                  const aero_key *key, const aero_read_spec *spec,
                                                                  const unsigned *fields, size_t n_fields, void *obj,
                                                                  aero_record *holder, aero_error *err) {
    uint64_t seen_word = 0;
    return AERO_LIKELY(r->n_bins <= 64) ? get_into(s, r, key, spec, fields, n_fields, obj, holder, &seen_word, err)
                                        : get_huge(s, r, key, spec, fields, n_fields, obj, holder, err);
}

aero_status aero_schema_get(aero_session *s, const aero_schema_record *r, const aero_key *key, const unsigned *fields,
                            size_t n_fields, void *obj, aero_record *holder, aero_error *err) {
    aero_status rc = check_abi_fast(r, err);
    if (rc != AERO_OK)
        return rc;
    if (!s || !key || !obj || !holder || (n_fields && !fields))
        return aero_err__set(err, AERO_ERR_PARAM, "NULL session, key, struct, holder or field list");
    if (n_fields) {
        /* the names go into the request from the descriptor (read.c checks the field numbers) */
        aero_read_spec named = { NULL, n_fields, false, NULL, 0, NULL, 0, 0, r, fields };
        return get_spec(s, r, key, &named, fields, n_fields, obj, holder, err);
    }
    static const aero_read_spec every_bin = { NULL, 0, false, NULL, 0, NULL, 0, 0, NULL, NULL };
    return get_spec(s, r, key, &every_bin, NULL, 0, obj, holder, err);
}

/* ---- batch ---- */

aero_key aero_schema__nth_key(const aero_schema_record *r, const aero_dataset *ds, const void *keys, const size_t *lens,
                              size_t i) {
    switch (r->key_type) {
    case AERO_KEY_INT: return aero_dataset_id_int(ds, ((const int64_t *)keys)[i]);
    case AERO_KEY_BLOB: return aero_dataset_id_blob(ds, ((const void *const *)keys)[i], lens ? lens[i] : 0);
    default: return aero_dataset_id_str(ds, ((const char *const *)keys)[i]);
    }
}

aero_status aero_schema_get_many(aero_session *s, const aero_schema_record *r, const void *keys, const size_t *key_lens,
                                 size_t n, void *objs, aero_status *results, aero_record *holders, aero_error *err) {
    aero_status rc = aero_schema__check_abi(r, err);
    if (rc != AERO_OK)
        return rc;
    if (n == 0) {
        aero_err__reset(err);
        return AERO_OK;
    }
    if (!s || !keys || !objs || !results || !holders || (r->key_type == AERO_KEY_BLOB && !key_lens))
        return aero_err__set(err, AERO_ERR_PARAM, "NULL session, keys, structs, results or holders");
    aero_key *ks = malloc(n * sizeof *ks);
    if (!ks)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory");
    aero_dataset ds = aero_dataset_of(r->ns, r->set);
    for (size_t i = 0; i < n; i++) {
        ks[i] = aero_schema__nth_key(r, &ds, keys, key_lens, i);
        results[i] = AERO_ERR_KEY_NOT_FOUND;
        memcpy((char *)objs + i * r->size, r->init, r->size);
    }
    aero_query *q = aero_session_query_keys(s, ks, n);
    free(ks);
    if (!q)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "cannot start a batch");
    aero_query_respond_all_keys(q);
    aero_error local;
    aero_error *e = err ? err : &local; /* err may be NULL; the status must not be lost */
    aero_stream *st = aero_query_execute(q, e);
    if (!st)
        return e->code;
    aero_error row_err;
    for (const aero_record *row; (row = aero_stream_next(st, e));) {
        if (row->index < 0 || (size_t)row->index >= n)
            continue;
        size_t i = (size_t)row->index;
        results[i] = row->result;
        if (row->result != AERO_OK)
            continue;
        results[i] = aero_record_copy(&holders[i], row, NULL);
        if (results[i] == AERO_OK)
            results[i] = decode(r, &holders[i], NULL, (char *)objs + i * r->size, &row_err);
    }
    rc = e->code;
    aero_stream_close(st);
    return rc;
}

/* ---- delete, touch, exists ---- */

static aero_status meta_write(aero_write *w, bool *existed, aero_error *err) {
    if (!w)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "cannot start a write");
    aero_record out;
    aero_record_init(&out);
    aero_status rc = aero_write_execute(w, &out, err);
    if (existed)
        *existed = rc == AERO_OK && out.result == AERO_OK;
    aero_record_dispose(&out);
    return rc;
}

aero_status aero_schema_delete(aero_session *s, const aero_schema_record *r, const aero_key *key, bool *existed,
                               aero_error *err) {
    aero_status rc = aero_schema__check_abi(r, err);
    if (rc != AERO_OK)
        return rc;
    if (!s || !key)
        return aero_err__set(err, AERO_ERR_PARAM, "NULL session or key");
    return meta_write(aero_session_delete(s, key), existed, err);
}

aero_status aero_schema_touch(aero_session *s, const aero_schema_record *r, const aero_key *key, bool *existed,
                              aero_error *err) {
    aero_status rc = aero_schema__check_abi(r, err);
    if (rc != AERO_OK)
        return rc;
    if (!s || !key)
        return aero_err__set(err, AERO_ERR_PARAM, "NULL session or key");
    return meta_write(aero_session_touch(s, key), existed, err);
}

aero_status aero_schema_exists(aero_session *s, const aero_schema_record *r, const aero_key *key, bool *exists,
                               aero_error *err) {
    aero_status rc = aero_schema__check_abi(r, err);
    if (rc != AERO_OK)
        return rc;
    if (!s || !key || !exists)
        return aero_err__set(err, AERO_ERR_PARAM, "NULL session, key or result");
    return aero_session_exists(s, key, exists, err);
}

/* ---- named queries ---- */

aero_expr *aero_schema_filter(const uint8_t *bytes, size_t len, const aero_ael_slot *slots, size_t n_slots,
                              const aero_value *args, size_t n_args, aero_error *err) {
    if (!bytes || !len) {
        aero_err__set(err, AERO_ERR_PARAM, "empty filter");
        return NULL;
    }
    if (n_slots)
        return aero_ael_template_fill(bytes, len, slots, n_slots, args, n_args, err);
    return aero_expr_from_bytes(bytes, len, err);
}

aero_stream *aero_schema_query_ael(aero_session *s, const aero_schema_record *r, const char *ael,
                                   const aero_value *args, size_t n_args, aero_error *err) {
    if (aero_schema__check_abi(r, err) != AERO_OK)
        return NULL;
    if (!s || !ael) {
        aero_err__set(err, AERO_ERR_PARAM, "NULL session or filter");
        return NULL;
    }
    aero_expr *e = aero_ael_compile(ael, args, n_args, err);
    if (!e)
        return NULL;
    aero_dataset ds = aero_dataset_of(r->ns, r->set);
    aero_query *q = aero_session_query(s, &ds);
    if (!q) {
        aero_expr_free(e);
        aero_err__set(err, AERO_ERR_NO_MEMORY, "cannot start a query");
        return NULL;
    }
    aero_query_where_expr(q, e);
    aero_expr_free(e);
    return aero_query_execute(q, err);
}
