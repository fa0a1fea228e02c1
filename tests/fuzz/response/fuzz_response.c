/*
 * libFuzzer target for everything that reads bytes from a server: AS_MSG
 * streams (aero_msg__parse, field and op iteration, particle decoding of every
 * op), the proto header, msgpack values, and info answers. Any crash, leak,
 * out-of-bounds read or undefined behaviour is a bug in the codec.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto/arena.h"
#include "proto/info.h"
#include "proto/msg.h"
#include "proto/msgpack.h"

static void walk_messages(const uint8_t *data, size_t size, aero_arena *arena) {
    size_t off = 0;
    for (int guard = 0; off < size && guard < 4096; guard++) {
        aero_msg_view m;
        size_t used = 0;
        if (aero_msg__parse(data + off, size - off, &m, &used) != AERO_OK)
            return;
        if (used < AERO_MSG_HEADER_SIZE || used > size - off)
            __builtin_trap(); /* parse must report what it consumed */
        aero_msg_iter it;
        aero_field_view f;
        uint32_t n = 0;
        aero_msg__fields(&m, &it);
        while (aero_msg__next_field(&it, &f)) {
            volatile uint8_t sink = f.len ? f.data[f.len - 1] : 0;
            (void)sink;
            n++;
        }
        if (n != m.h.n_fields)
            __builtin_trap(); /* validated fields must all iterate */
        aero_op_view op;
        n = 0;
        aero_msg__ops(&m, &it);
        while (aero_msg__next_op(&it, &op)) {
            aero_value v;
            aero_particle__decode(op.ptype, op.value, op.value_len, arena, &v);
            aero_mp_reader r = { op.value, op.value + op.value_len };
            aero_mp__skip(&r);
            n++;
        }
        if (n != m.h.n_ops)
            __builtin_trap();
        (void)aero_msg__ttl_from_void_time(m.h.record_ttl, 500000000u);
        aero_arena__reset(arena);
        off += used;
    }
}

static void walk_info(const uint8_t *data, size_t size) {
    const char *cur = (const char *)data, *end = cur + size;
    aero_strview name, value;
    char msg[64];
    for (int guard = 0; guard < 100000 && aero_info__next(&cur, end, &name, &value); guard++)
        (void)aero_info__value_error(value, msg, sizeof msg);
    aero_info__find((const char *)data, size, "node", &value);
}

/* Structural equality of decoded trees, order flags included. */
static bool same(const aero_value *a, const aero_value *b) {
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case AERO_BOOL: return a->v.b == b->v.b;
    case AERO_INT: return a->v.i == b->v.i;
    case AERO_DOUBLE: return memcmp(&a->v.d, &b->v.d, sizeof(double)) == 0;
    case AERO_STR:
    case AERO_GEOJSON:
        return a->v.str.len == b->v.str.len && memcmp(a->v.str.ptr, b->v.str.ptr, a->v.str.len) == 0 &&
               a->v.str.ptr[a->v.str.len] == '\0' && b->v.str.ptr[b->v.str.len] == '\0';
    case AERO_BLOB:
    case AERO_HLL:
        return a->v.bytes.len == b->v.bytes.len &&
               (a->v.bytes.len == 0 || memcmp(a->v.bytes.ptr, b->v.bytes.ptr, a->v.bytes.len) == 0);
    case AERO_LIST:
        if (a->v.list.count != b->v.list.count || a->v.list.ordered != b->v.list.ordered)
            return false;
        for (uint32_t i = 0; i < a->v.list.count; i++)
            if (!same(&a->v.list.items[i], &b->v.list.items[i]))
                return false;
        return true;
    case AERO_MAP:
        if (a->v.map.count != b->v.map.count || a->v.map.order != b->v.map.order)
            return false;
        for (uint32_t i = 0; i < a->v.map.count; i++)
            if (!same(&a->v.map.entries[i].key, &b->v.map.entries[i].key) ||
                !same(&a->v.map.entries[i].value, &b->v.map.entries[i].value))
                return false;
        return true;
    default: return true;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    aero_arena *arena = aero_arena__new();
    if (!arena)
        return 0;

    /* as a stream of AS_MSG bodies */
    walk_messages(data, size, arena);

    /* as a framed message: proto header then the body */
    if (size >= AERO_PROTO_HEADER_SIZE) {
        uint8_t type;
        uint64_t body;
        if (aero_proto__read_header(data, &type, &body) == AERO_OK && body <= size - AERO_PROTO_HEADER_SIZE) {
            if (type == AERO_PROTO_INFO)
                walk_info(data + AERO_PROTO_HEADER_SIZE, (size_t)body);
            else
                walk_messages(data + AERO_PROTO_HEADER_SIZE, (size_t)body, arena);
        }
    }

    /* as info text */
    walk_info(data, size);

    /* as one msgpack value; skip and unpack must agree on well-formedness
     * except where unpack's depth limit applies */
    aero_mp_reader r = { data, data + size };
    aero_value v;
    aero_status st = aero_mp__unpack_value(&r, arena, &v);
    aero_mp_reader s = { data, data + size };
    aero_status st2 = aero_mp__skip(&s);
    if (st == AERO_OK && (st2 != AERO_OK || s.p != r.p))
        __builtin_trap();
    /* re-pack what was decoded (must not fail) and decode it again. The
     * packer writes ordered lists and key-ordered maps in the server's value
     * order, so the second tree equals the first when the input was in that
     * order, and is its sorted form otherwise; either way packing the second
     * tree gives the same bytes again (the packed form is canonical). */
    if (st == AERO_OK) {
        uint8_t stack[256], stack2[256];
        aero_buf b, b2;
        aero_buf__init(&b, stack, sizeof stack);
        aero_buf__init(&b2, stack2, sizeof stack2);
        if (aero_mp__pack_value(&b, &v) != AERO_OK)
            __builtin_trap();
        aero_mp_reader r2 = { b.data, b.data + b.len };
        aero_value v2;
        aero_status st3 = aero_mp__unpack_value(&r2, arena, &v2);
        if (st3 != AERO_ERR_NO_MEMORY) {
            if (st3 != AERO_OK || r2.p != r2.end)
                __builtin_trap();
            if (aero_mp__pack_value(&b2, &v2) != AERO_OK || b2.len != b.len || memcmp(b2.data, b.data, b.len) != 0)
                __builtin_trap();
            /* input already in canonical form: the trees must be the same */
            size_t in_len = (size_t)(r.p - data);
            if (v.type != v2.type || (in_len == b.len && memcmp(data, b.data, b.len) == 0 && !same(&v, &v2)))
                __builtin_trap();
        }
        aero_buf__free(&b);
        aero_buf__free(&b2);
    }

    aero_arena__free(arena);
    return 0;
}
