/* op_internal.h - the op encoder and path markers shared by op_*.c, write.c and query.c. Not installed. */
#ifndef AERO_OP_INTERNAL_H
#define AERO_OP_INTERNAL_H

#include <aero/op.h>

#include <string.h>

#include "proto/buf.h"
#include "proto/msg.h"

/* aero_path.n values past AERO_PATH_MAX that mark a bad path, and why. */
#define AERO_OP__PATH_TOO_DEEP (AERO_PATH_MAX + 1)
#define AERO_OP__PATH_BAD_BIN  (AERO_PATH_MAX + 2)

/* Building an op (op_cdt.c, op_bit.c, op_hll.c). */

/** A new op of AS_MSG type `type` and family code `code` at `at`, no arguments. */
static inline aero_op aero_op__new(const aero_path *at, int type, int code) {
    aero_op o;
    memset(&o, 0, sizeof o);
    o.type = (uint8_t)type;
    o.code = (uint8_t)code;
    o.at = at;
    return o;
}

/** Record the first misuse of an op (a static message); execute reports it. */
static inline void aero_op__bad(aero_op *o, const char *msg) {
    if (!o->misuse)
        o->misuse = msg;
}

/** Append one wire argument (past AERO_OP_MAX_ARGS: a bug of the constructor, refused). */
static inline void aero_op__put(aero_op *o, aero_value v) {
    if (o->n_args < AERO_OP_MAX_ARGS)
        o->arg[o->n_args++] = v;
    else
        aero_op__bad(o, "too many arguments for one operation");
}

/** The context create flag for a map of this order. */
uint16_t aero_op__map_create_flag(aero_map_order order);

/** "list append", "map get_by_key", "hll add"...: the op's family and name, for messages. */
void aero_op__describe(const aero_op *op, char *buf, size_t size);

/**
 * Append `op` to an op region: one AS_MSG op (type, particle blob, bin name)
 * whose value is the msgpack payload [code, args...], wrapped as
 * [0xff, [ctx type, ctx value, ...], payload] when the path has steps.
 * Counts it in h. Checks the op first (its misuse, the path, the values) and
 * appends nothing when it is refused: AERO_ERR_PARAM with a message in msg.
 * AERO_ERR_NO_MEMORY when the buffer failed.
 */
aero_status aero_op__encode(aero_buf *b, aero_msg_header *h, const aero_op *op, char *msg, size_t cap);

#endif
