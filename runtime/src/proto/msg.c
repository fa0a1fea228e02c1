/*
 * proto/msg.c - AS_MSG writer and reader, particle values (protocol.md 1, 3).
 *
 * The writer appends straight into an aero_buf and back-patches sizes, so a
 * request costs no allocation beyond buffer growth. The reader validates the
 * whole message once (every field and op fits inside the bytes given), after
 * which the iterators can walk it without further checks; they still stop
 * cleanly at the end of the region rather than trust the counts blindly.
 */
#include "proto/msg.h"

#include <aero/record.h>
#include <string.h>

#include "proto/msgpack.h"

#define OP_HEADER_SIZE AERO_OP_HEADER_SIZE

/* ------------------------------------------------------------ proto header */

void aero_proto__write_header(uint8_t out[8], uint8_t type, uint64_t size) {
    aero_set_u64be(out, ((uint64_t)AERO_PROTO_VERSION << 56) | ((uint64_t)type << 48) | (size & 0xFFFFFFFFFFFFull));
}

aero_status aero_proto__read_header(const uint8_t in[8], uint8_t *type, uint64_t *size) {
    uint64_t v = aero_get_u64be(in);
    if (in[0] != AERO_PROTO_VERSION)
        return AERO_ERR_PROTOCOL;
    uint64_t sz = v & 0xFFFFFFFFFFFFull;
    if (sz > AERO_PROTO_SIZE_MAX)
        return AERO_ERR_PROTOCOL;
    *type = in[1];
    *size = sz;
    return AERO_OK;
}

/* ----------------------------------------------------------------- writing */

size_t aero_msg__begin(aero_buf *b) {
    size_t start = b->len;
    (void)aero_buf__append(b, AERO_PROTO_HEADER_SIZE + AERO_MSG_HEADER_SIZE); /* aero_msg__end writes all of it */
    return start;
}

void aero_msg__field_header(aero_buf *b, aero_msg_header *h, uint8_t type, size_t len) {
    if (len >= AERO_PROTO_SIZE_MAX || h->n_fields == UINT16_MAX) {
        b->failed = true;
        return;
    }
    uint8_t *d = aero_buf__append(b, 5);
    if (!d)
        return;
    aero_set_u32be(d, (uint32_t)len + 1);
    d[4] = type;
    h->n_fields++;
}

void aero_msg__field(aero_buf *b, aero_msg_header *h, uint8_t type, const void *data, size_t len) {
    if (len >= AERO_PROTO_SIZE_MAX || h->n_fields == UINT16_MAX) {
        b->failed = true;
        return;
    }
    uint8_t *d = aero_buf__append(b, 5 + len);
    if (!d)
        return;
    aero_msg__put_field(d, type, data, len);
    h->n_fields++;
}

void aero_msg__field_u32(aero_buf *b, aero_msg_header *h, uint8_t type, uint32_t v) {
    aero_msg__field_header(b, h, type, 4);
    aero_buf__put_u32be(b, v);
}

void aero_msg__field_u64(aero_buf *b, aero_msg_header *h, uint8_t type, uint64_t v) {
    aero_msg__field_header(b, h, type, 8);
    aero_buf__put_u64be(b, v);
}

/*
 * Append a whole op (header, name, room for value_len value bytes) in one
 * reservation and count it; returns where the value goes, or NULL (buffer
 * failed: name over 255 bytes, too many ops, value over the size limit, no memory).
 */
static inline uint8_t *op_begin(aero_buf *b, aero_msg_header *h, uint8_t op, uint8_t ptype, const char *name,
                                size_t name_len, size_t value_len) {
    if (name_len > 255 || value_len >= AERO_PROTO_SIZE_MAX || h->n_ops == UINT16_MAX) {
        b->failed = true;
        return NULL;
    }
    uint8_t *d = aero_buf__append(b, OP_HEADER_SIZE + name_len + value_len);
    if (!d)
        return NULL;
    aero_set_u32be(d, (uint32_t)(4 + name_len + value_len));
    d[4] = op;
    d[5] = ptype;
    d[6] = 0;
    d[7] = (uint8_t)name_len;
    aero_copy_short(d + OP_HEADER_SIZE, name, name_len);
    h->n_ops++;
    return d + OP_HEADER_SIZE + name_len;
}

void aero_msg__op(aero_buf *b, aero_msg_header *h, uint8_t op, uint8_t ptype, const char *name, size_t name_len,
                  const void *value, size_t value_len) {
    uint8_t *d = op_begin(b, h, op, ptype, name, name_len, value_len);
    if (d && value_len)
        memcpy(d, value, value_len);
}

aero_status aero_msg__op_value(aero_buf *b, aero_msg_header *h, uint8_t op, const char *name, size_t name_len,
                               const aero_value *v) {
    uint8_t *d;
    switch (v->type) {
    case AERO_NIL: op_begin(b, h, op, AERO_PT_NULL, name, name_len, 0); break;
    case AERO_BOOL:
        if ((d = op_begin(b, h, op, AERO_PT_BOOL, name, name_len, 1)))
            d[0] = v->v.b ? 1 : 0;
        break;
    case AERO_INT:
        if ((d = op_begin(b, h, op, AERO_PT_INTEGER, name, name_len, 8)))
            aero_set_u64be(d, (uint64_t)v->v.i);
        break;
    case AERO_DOUBLE: {
        uint64_t bits;
        memcpy(&bits, &v->v.d, sizeof bits);
        if ((d = op_begin(b, h, op, AERO_PT_FLOAT, name, name_len, 8)))
            aero_set_u64be(d, bits);
        break;
    }
    case AERO_STR:
        if ((d = op_begin(b, h, op, AERO_PT_STRING, name, name_len, v->v.str.len)) && v->v.str.len)
            memcpy(d, v->v.str.ptr, v->v.str.len);
        break;
    case AERO_BLOB:
    case AERO_HLL:
        if ((d = op_begin(b, h, op, v->type == AERO_BLOB ? AERO_PT_BLOB : AERO_PT_HLL, name, name_len,
                          v->v.bytes.len)) &&
            v->v.bytes.len)
            memcpy(d, v->v.bytes.ptr, v->v.bytes.len);
        break;
    case AERO_GEOJSON: /* flags and ncells (u16 BE) before the text */
        if (v->v.str.len >= AERO_PROTO_SIZE_MAX) {
            b->failed = true;
            break;
        }
        if ((d = op_begin(b, h, op, AERO_PT_GEOJSON, name, name_len, 3 + v->v.str.len))) {
            d[0] = d[1] = d[2] = 0;
            if (v->v.str.len)
                memcpy(d + 3, v->v.str.ptr, v->v.str.len);
        }
        break;
    case AERO_LIST:
    case AERO_MAP: {
        /* the packed size is known only afterwards: write the op empty, then patch its size word */
        size_t at = b->len;
        if (!op_begin(b, h, op, v->type == AERO_LIST ? AERO_PT_LIST : AERO_PT_MAP, name, name_len, 0))
            break;
        aero_status st = aero_mp__pack_value(b, v);
        if (st == AERO_ERR_PARAM) {
            b->len = at; /* drop the half-written op */
            h->n_ops--;
            return st;
        }
        if (b->failed)
            break;
        aero_set_u32be(b->data + at, (uint32_t)(b->len - at - 4));
        break;
    }
    case AERO_WILDCARD:
    case AERO_INFINITY:
    default: return AERO_ERR_PARAM;
    }
    return b->failed ? AERO_ERR_NO_MEMORY : AERO_OK;
}

aero_status aero_msg__end(aero_buf *b, size_t start, const aero_msg_header *h) {
    if (b->failed)
        return AERO_ERR_NO_MEMORY;
    if (start > b->len || b->len - start < AERO_PROTO_HEADER_SIZE + AERO_MSG_HEADER_SIZE)
        return AERO_ERR_PARAM;
    size_t body = b->len - start - AERO_PROTO_HEADER_SIZE;
    if (body > AERO_PROTO_SIZE_MAX)
        return AERO_ERR_PARAM;
    uint8_t *d = b->data + start;
    aero_proto__write_header(d, AERO_PROTO_MSG, body);
    d += AERO_PROTO_HEADER_SIZE;
    d[0] = AERO_MSG_HEADER_SIZE;
    d[1] = h->info1;
    d[2] = h->info2;
    d[3] = h->info3;
    d[4] = h->info4;
    d[5] = h->result_code;
    aero_set_u32be(d + 6, h->generation);
    aero_set_u32be(d + 10, h->record_ttl);
    aero_set_u32be(d + 14, h->transaction_ttl);
    aero_set_u16be(d + 18, h->n_fields);
    aero_set_u16be(d + 20, h->n_ops);
    return AERO_OK;
}

/* ----------------------------------------------------------------- reading */

/* Header of an AS_MSG at p (len >= 22 checked by the caller). */
static bool read_msg_header(const uint8_t *p, aero_msg_header *h) {
    if (p[0] != AERO_MSG_HEADER_SIZE)
        return false;
    h->info1 = p[1];
    h->info2 = p[2];
    h->info3 = p[3];
    h->info4 = p[4];
    h->result_code = p[5];
    h->generation = aero_get_u32be(p + 6);
    h->record_ttl = aero_get_u32be(p + 10);
    h->transaction_ttl = aero_get_u32be(p + 14);
    h->n_fields = aero_get_u16be(p + 18);
    h->n_ops = aero_get_u16be(p + 20);
    return true;
}

/* Walk n fields from offset *off; false if one does not fit in len. */
static bool skip_fields(const uint8_t *p, size_t len, uint32_t n, size_t *off) {
    size_t o = *off;
    for (uint32_t i = 0; i < n; i++) {
        if (len - o < 4)
            return false;
        uint32_t sz = aero_get_u32be(p + o);
        if (sz < 1 || sz > len - o - 4)
            return false;
        o += 4 + (size_t)sz;
    }
    *off = o;
    return true;
}

aero_status aero_msg__parse(const uint8_t *p, size_t len, aero_msg_view *out, size_t *used) {
    aero_msg_header h;
    if (!p || len < AERO_MSG_HEADER_SIZE || !read_msg_header(p, &h))
        return AERO_ERR_PROTOCOL;
    size_t off = AERO_MSG_HEADER_SIZE;
    if (!skip_fields(p, len, h.n_fields, &off))
        return AERO_ERR_PROTOCOL;
    size_t ops = off;
    for (uint32_t i = 0; i < h.n_ops; i++) {
        if (len - off < OP_HEADER_SIZE)
            return AERO_ERR_PROTOCOL;
        uint32_t sz = aero_get_u32be(p + off);
        if (sz < 4 || sz > len - off - 4 || sz < 4u + p[off + 7])
            return AERO_ERR_PROTOCOL;
        off += 4 + (size_t)sz;
    }
    if (out) {
        out->h = h;
        out->fields = p + AERO_MSG_HEADER_SIZE;
        out->ops = p + ops;
        out->end = p + off;
    }
    if (used)
        *used = off;
    return AERO_OK;
}

aero_status aero_msg__parse_single(const uint8_t *p, size_t len, aero_msg_view *out) {
    if (!p || len < AERO_MSG_HEADER_SIZE || !read_msg_header(p, &out->h))
        return AERO_ERR_PROTOCOL;
    size_t off = AERO_MSG_HEADER_SIZE;
    if (!skip_fields(p, len, out->h.n_fields, &off))
        return AERO_ERR_PROTOCOL;
    /* every op takes at least its 8-byte header */
    if (out->h.n_ops == 0 ? off != len : (len - off) / OP_HEADER_SIZE < out->h.n_ops)
        return AERO_ERR_PROTOCOL;
    out->fields = p + AERO_MSG_HEADER_SIZE;
    out->ops = p + off;
    out->end = p + len;
    return AERO_OK;
}

/* ---------------------------------------------------------------- particles */

aero_status aero_particle__decode(uint8_t ptype, const uint8_t *p, size_t len, aero_arena *arena, aero_value *out) {
    switch (ptype) {
    case AERO_PT_NULL: *out = aero_nil(); return AERO_OK;
    case AERO_PT_INTEGER: {
        if (len > 8)
            return AERO_ERR_PROTOCOL;
        uint64_t v = 0;
        for (size_t i = 0; i < len; i++)
            v = (v << 8) | p[i];
        if (len > 0 && len < 8 && (p[0] & 0x80)) /* sign-extend */
            v |= ~(uint64_t)0 << (8 * len);
        *out = aero_int((int64_t)v);
        return AERO_OK;
    }
    case AERO_PT_FLOAT: {
        if (len != 8)
            return AERO_ERR_PROTOCOL;
        uint64_t bits = aero_get_u64be(p);
        double d;
        memcpy(&d, &bits, sizeof d);
        *out = aero_double(d);
        return AERO_OK;
    }
    case AERO_PT_BOOL:
        if (len != 1)
            return AERO_ERR_PROTOCOL;
        *out = aero_bool(p[0] != 0);
        return AERO_OK;
    case AERO_PT_STRING:
    case AERO_PT_GEOJSON: {
        if (ptype == AERO_PT_GEOJSON) {
            if (len < 3)
                return AERO_ERR_PROTOCOL;
            size_t skip = 3 + (size_t)aero_get_u16be(p + 1) * 8;
            if (skip > len)
                return AERO_ERR_PROTOCOL;
            p += skip;
            len -= skip;
        }
        char *s = aero_arena__strndup(arena, p, len);
        if (!s)
            return AERO_ERR_NO_MEMORY;
        *out = aero_strn(s, len);
        if (ptype == AERO_PT_GEOJSON)
            out->type = AERO_GEOJSON;
        return AERO_OK;
    }
    case AERO_PT_LIST:
    case AERO_PT_MAP: {
        aero_mp_reader r = { p, p + len };
        aero_status st = aero_mp__unpack_value(&r, arena, out);
        if (st != AERO_OK)
            return st;
        if (out->type != (ptype == AERO_PT_LIST ? AERO_LIST : AERO_MAP) || r.p != r.end) {
            *out = aero_nil();
            return AERO_ERR_PROTOCOL;
        }
        return AERO_OK;
    }
    case AERO_PT_HLL:
        *out = aero_blob(len ? p : (const uint8_t *)"", len);
        out->type = AERO_HLL;
        return AERO_OK;
    default: /* blob, its language subtypes, and anything unknown */
        *out = aero_blob(len ? p : (const uint8_t *)"", len);
        return AERO_OK;
    }
}

uint32_t aero_msg__ttl_from_void_time(uint32_t void_time, uint32_t now_since_epoch2010) {
    if (void_time == 0)
        return AERO_TTL_NEVER;
    if (void_time <= now_since_epoch2010)
        return 1;
    return void_time - now_since_epoch2010;
}
