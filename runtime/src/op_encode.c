/*
 * op_encode.c - the one encoder of aero_op values (aero/op.h) into an op
 * region, shared by the write builder and the query builder.
 *
 * The op's arguments are already in wire order, so encoding is: check, write
 * the op header, pack [code, args...] (inside the context wrapper when the
 * path has steps) straight into the caller's buffer, patch the op's size. No
 * temporary buffer: a warm builder allocates nothing per op.
 */
#include <stdio.h>
#include <string.h>

#include "op_internal.h"
#include "proto/bit_ops.h"
#include "proto/cdt_ops.h"
#include "proto/hll_ops.h"
#include "proto/msgpack.h"
#include "proto/wire.h"

AERO_API bool aero_op_is_write(aero_op op) {
    return op.type == AERO_MSG_OP_CDT_MODIFY || op.type == AERO_MSG_OP_BIT_MODIFY ||
           op.type == AERO_MSG_OP_HLL_MODIFY || op.type == AERO_MSG_OP_EXP_MODIFY;
}

void aero_op__describe(const aero_op *op, char *buf, size_t size) {
    const char *family = "op", *name = NULL;
    switch (op->type) {
    case AERO_MSG_OP_CDT_READ:
    case AERO_MSG_OP_CDT_MODIFY:
        if ((name = aero_proto__list_op_name(op->code)) && op->code < AERO_MAP_OP_SET_TYPE)
            family = "list";
        else if ((name = aero_proto__map_op_name(op->code)))
            family = "map";
        break;
    case AERO_MSG_OP_BIT_READ:
    case AERO_MSG_OP_BIT_MODIFY:
        family = "bit";
        name = aero_proto__bit_op_name(op->code);
        break;
    case AERO_MSG_OP_HLL_READ:
    case AERO_MSG_OP_HLL_MODIFY:
        family = "hll";
        name = aero_proto__hll_op_name(op->code);
        break;
    default: break;
    }
    if (name)
        snprintf(buf, size, "%s %s", family, name);
    else
        snprintf(buf, size, "%s %u", family, op->code);
}

/* Values the packer can take: no NULL storage behind a non-empty string, blob, list or map. */
static const char *value_problem(const aero_value *v, int depth) {
    if (depth > AERO_MP_MAX_DEPTH)
        return "a value is nested too deep";
    switch (v->type) {
    case AERO_STR:
    case AERO_GEOJSON: return !v->v.str.ptr && v->v.str.len ? "a string value is NULL" : NULL;
    case AERO_BLOB:
    case AERO_HLL: return !v->v.bytes.ptr && v->v.bytes.len ? "a blob value is NULL" : NULL;
    case AERO_LIST:
        if (!v->v.list.items && v->v.list.count)
            return "a list value's items are NULL";
        for (uint32_t i = 0; i < v->v.list.count; i++) {
            const char *p = value_problem(&v->v.list.items[i], depth + 1);
            if (p)
                return p;
        }
        return NULL;
    case AERO_MAP:
        if (!v->v.map.entries && v->v.map.count)
            return "a map value's entries are NULL";
        for (uint32_t i = 0; i < v->v.map.count; i++) {
            const char *p = value_problem(&v->v.map.entries[i].key, depth + 1);
            if (!p)
                p = value_problem(&v->v.map.entries[i].value, depth + 1);
            if (p)
                return p;
        }
        return NULL;
    default: return NULL;
    }
}

/* Why an op cannot be sent, or NULL. */
static const char *op_problem(const aero_op *op) {
    if (op->misuse)
        return op->misuse;
    const aero_path *at = op->at;
    if (!at)
        return "path is NULL";
    if (at->n == AERO_OP__PATH_BAD_BIN || !at->bin[0] || memchr(at->bin, 0, sizeof at->bin) == NULL)
        return "bin name is NULL, empty or longer than 15 bytes";
    if (at->n > AERO_PATH_MAX)
        return "path has more than 8 context steps";
    if (op->n_args > AERO_OP_MAX_ARGS)
        return "too many arguments";
    if (op->ctx_flag && at->n == 0)
        return "a create flag needs a context step";
    for (uint32_t i = 0; i < at->n; i++) {
        const char *p = value_problem(&at->step[i].value, 1);
        if (p)
            return p;
    }
    for (uint32_t i = 0; i < op->n_args; i++) {
        const char *p = value_problem(&op->arg[i], 1);
        if (p)
            return p;
    }
    return NULL;
}

static aero_status pack_payload(aero_buf *b, const aero_op *op) {
    const aero_path *at = op->at;
    aero_status st = AERO_OK;
    if (at->n) {
        aero_mp__pack_array_header(b, 3);
        aero_mp__pack_int(b, AERO_CDT_OP_CONTEXT_EVAL);
        aero_mp__pack_array_header(b, at->n * 2);
        for (uint32_t i = 0; i < at->n && st == AERO_OK; i++) {
            uint16_t type = at->step[i].type;
            if (i + 1 == at->n)
                type |= op->ctx_flag;
            aero_mp__pack_int(b, type);
            st = aero_mp__pack_value(b, &at->step[i].value);
        }
    }
    aero_mp__pack_array_header(b, 1u + op->n_args);
    aero_mp__pack_int(b, op->code);
    for (uint32_t i = 0; i < op->n_args && st == AERO_OK; i++)
        st = aero_mp__pack_value(b, &op->arg[i]);
    return st;
}

aero_status aero_op__encode(aero_buf *b, aero_msg_header *h, const aero_op *op, char *msg, size_t cap) {
    char what[48];
    aero_op__describe(op, what, sizeof what);
    const char *problem = op_problem(op);
    if (problem) {
        snprintf(msg, cap, "%s of bin '%s': %s", what, op->at ? op->at->bin : "(null)", problem);
        return AERO_ERR_PARAM;
    }
    if (h->n_ops == UINT16_MAX) {
        snprintf(msg, cap, "%s: more than 65535 operations", what);
        return AERO_ERR_PARAM;
    }
    size_t name_len = strlen(op->at->bin);
    size_t start = b->len;
    uint8_t *d = aero_buf__append(b, AERO_OP_HEADER_SIZE + name_len);
    if (!d) {
        snprintf(msg, cap, "%s: out of memory", what);
        return AERO_ERR_NO_MEMORY;
    }
    d[4] = op->type;
    d[5] = AERO_PT_BLOB;
    d[6] = 0;
    d[7] = (uint8_t)name_len;
    memcpy(d + AERO_OP_HEADER_SIZE, op->at->bin, name_len);
    aero_status st = pack_payload(b, op);
    size_t size = b->len - start - 4;
    if (st == AERO_OK && !b->failed && size >= AERO_PROTO_SIZE_MAX) {
        st = AERO_ERR_PARAM;
        snprintf(msg, cap, "%s of bin '%s': over the 128 MiB protocol limit", what, op->at->bin);
    } else if (st != AERO_OK)
        snprintf(msg, cap, "%s of bin '%s': a value cannot be encoded", what, op->at->bin);
    else if (b->failed) {
        snprintf(msg, cap, "%s of bin '%s': out of memory", what, op->at->bin);
        return AERO_ERR_NO_MEMORY;
    }
    if (st != AERO_OK) {
        b->len = start; /* nothing of a refused op stays */
        return st;
    }
    aero_set_u32be(b->data + start, (uint32_t)size);
    h->n_ops++;
    return AERO_OK;
}
