/*
 * proto/cdt_ops.h - the list and map (CDT) protocol vocabulary: list and
 * map operation codes, context types, return types, SELECT modes,
 * collection order flags and write flags, each written once as an X-macro
 * list of (NAME, number). Numbers as Aerospike server 8.1 defines them.
 *
 * The constants the public API exposes (AERO_CTX_*, AERO_CDT_RETURN_* in
 * aero/expr.h; the list and map write and sort flags in aero/op.h) are the
 * source of truth for their numbers: the lists below name them instead of
 * repeating the numbers, and add the protocol's other values. The public
 * header defines the flag enumerators themselves (AERO_LIST_WRITE_*,
 * AERO_LIST_SORT_*, AERO_MAP_WRITE_*), so no enum is generated for those. Name tables for diagnostics live in proto/ops.c.
 */
#ifndef AERO_PROTO_CDT_OPS_H
#define AERO_PROTO_CDT_OPS_H

#include <aero/op.h>

/* List operation codes (op 3 CDT read / op 4 CDT modify payload [op, args...]). */
#define AERO_LIST_OPS(X)               \
    X(SET_TYPE, 0)                     \
    X(APPEND, 1)                       \
    X(APPEND_ITEMS, 2)                 \
    X(INSERT, 3)                       \
    X(INSERT_ITEMS, 4)                 \
    X(POP, 5)                          \
    X(POP_RANGE, 6)                    \
    X(REMOVE, 7)                       \
    X(REMOVE_RANGE, 8)                 \
    X(SET, 9)                          \
    X(TRIM, 10)                        \
    X(CLEAR, 11)                       \
    X(INCREMENT, 12)                   \
    X(SORT, 13)                        \
    X(SIZE, 16)                        \
    X(GET, 17)                         \
    X(GET_RANGE, 18)                   \
    X(GET_BY_INDEX, 19)                \
    X(GET_BY_VALUE, 20)                \
    X(GET_BY_RANK, 21)                 \
    X(GET_ALL_BY_VALUE, 22)            \
    X(GET_ALL_BY_VALUE_LIST, 23)       \
    X(GET_BY_INDEX_RANGE, 24)          \
    X(GET_BY_VALUE_INTERVAL, 25)       \
    X(GET_BY_RANK_RANGE, 26)           \
    X(GET_BY_VALUE_REL_RANK_RANGE, 27) \
    X(REMOVE_BY_INDEX, 32)             \
    X(REMOVE_BY_VALUE, 33)             \
    X(REMOVE_BY_RANK, 34)              \
    X(REMOVE_ALL_BY_VALUE, 35)         \
    X(REMOVE_ALL_BY_VALUE_LIST, 36)    \
    X(REMOVE_BY_INDEX_RANGE, 37)       \
    X(REMOVE_BY_VALUE_INTERVAL, 38)    \
    X(REMOVE_BY_RANK_RANGE, 39)        \
    X(REMOVE_BY_VALUE_REL_RANK_RANGE, 40)

/* Map operation codes. */
#define AERO_MAP_OPS(X)                   \
    X(SET_TYPE, 64)                       \
    X(ADD, 65)                            \
    X(ADD_ITEMS, 66)                      \
    X(PUT, 67)                            \
    X(PUT_ITEMS, 68)                      \
    X(REPLACE, 69)                        \
    X(REPLACE_ITEMS, 70)                  \
    X(INCREMENT, 73)                      \
    X(DECREMENT, 74)                      \
    X(CLEAR, 75)                          \
    X(REMOVE_BY_KEY, 76)                  \
    X(REMOVE_BY_INDEX, 77)                \
    X(REMOVE_BY_VALUE, 78)                \
    X(REMOVE_BY_RANK, 79)                 \
    X(REMOVE_BY_KEY_LIST, 81)             \
    X(REMOVE_ALL_BY_VALUE, 82)            \
    X(REMOVE_BY_VALUE_LIST, 83)           \
    X(REMOVE_BY_KEY_INTERVAL, 84)         \
    X(REMOVE_BY_INDEX_RANGE, 85)          \
    X(REMOVE_BY_VALUE_INTERVAL, 86)       \
    X(REMOVE_BY_RANK_RANGE, 87)           \
    X(REMOVE_BY_KEY_REL_INDEX_RANGE, 88)  \
    X(REMOVE_BY_VALUE_REL_RANK_RANGE, 89) \
    X(SIZE, 96)                           \
    X(GET_BY_KEY, 97)                     \
    X(GET_BY_INDEX, 98)                   \
    X(GET_BY_VALUE, 99)                   \
    X(GET_BY_RANK, 100)                   \
    X(GET_ALL_BY_VALUE, 102)              \
    X(GET_BY_KEY_INTERVAL, 103)           \
    X(GET_BY_INDEX_RANGE, 104)            \
    X(GET_BY_VALUE_INTERVAL, 105)         \
    X(GET_BY_RANK_RANGE, 106)             \
    X(GET_BY_KEY_LIST, 107)               \
    X(GET_BY_VALUE_LIST, 108)             \
    X(GET_BY_KEY_REL_INDEX_RANGE, 109)    \
    X(GET_BY_VALUE_REL_RANK_RANGE, 110)

/* Payload codes shared by lists and maps. */
#define AERO_CDT_OPS(X) \
    X(SELECT, 0xfe)     \
    X(CONTEXT_EVAL, 0xff)

/* Context item types ([0xff, [type, value, ...], op]): a collection bit OR'ed
 * with a subcontext, plus create flags on the last item. */
#define AERO_CDT_CTX_TYPES(X)              \
    X(INDEX, 0x00)                         \
    X(RANK, 0x01)                          \
    X(KEY, 0x02)                           \
    X(VALUE, 0x03)                         \
    X(EXP, 0x04)                           \
    X(INDEX_LIST, 0x08)                    \
    X(RANK_LIST, 0x09)                     \
    X(KEY_LIST, 0x0a)                      \
    X(VALUE_LIST, 0x0b)                    \
    X(LIST, 0x10)                          \
    X(MAP, 0x20)                           \
    X(LIST_INDEX, AERO_CTX_LIST_INDEX)     \
    X(LIST_RANK, AERO_CTX_LIST_RANK)       \
    X(LIST_VALUE, AERO_CTX_LIST_VALUE)     \
    X(MAP_INDEX, AERO_CTX_MAP_INDEX)       \
    X(MAP_RANK, AERO_CTX_MAP_RANK)         \
    X(MAP_KEY, AERO_CTX_MAP_KEY)           \
    X(MAP_VALUE, AERO_CTX_MAP_VALUE)       \
    X(BASE_MASK, 0x0f)                     \
    X(COLLECTION_MASK, 0x30)               \
    X(TYPE_MASK, 0x3f)                     \
    X(CREATE_MASK, 0x1c0)                  \
    X(CREATE_LIST_UNORDERED, 0x40)         \
    X(CREATE_LIST_UNORDERED_UNBOUND, 0x80) \
    X(CREATE_LIST_ORDERED, 0xc0)           \
    X(CREATE_MAP_UNORDERED, 0x40)          \
    X(CREATE_MAP_K_ORDERED, 0x80)          \
    X(CREATE_MAP_KV_ORDERED, 0xc0)         \
    X(CREATE_PERSIST_INDEX, 0x100)         \
    X(AND, 0x200)

/* SELECT (payload op 0xfe) modes, and its flag. */
#define AERO_CDT_SELECT_FLAGS(X) \
    X(TREE, 0x00)                \
    X(LEAF_LIST, 0x01)           \
    X(LEAF_MAP_KEY, 0x02)        \
    X(LEAF_MAP_KEY_VALUE, 0x03)  \
    X(APPLY, 0x04)               \
    X(NO_FAIL, 0x10)

/* Return types (the first argument of selecting ops); INVERTED is OR'ed in. */
#define AERO_CDT_RETURN_TYPES(X)                    \
    X(NONE, AERO_CDT_RETURN_NONE)                   \
    X(INDEX, AERO_CDT_RETURN_INDEX)                 \
    X(REVERSE_INDEX, AERO_CDT_RETURN_REVERSE_INDEX) \
    X(RANK, AERO_CDT_RETURN_RANK)                   \
    X(REVERSE_RANK, AERO_CDT_RETURN_REVERSE_RANK)   \
    X(COUNT, AERO_CDT_RETURN_COUNT)                 \
    X(KEY, AERO_CDT_RETURN_KEY)                     \
    X(VALUE, AERO_CDT_RETURN_VALUE)                 \
    X(KEY_VALUE, AERO_CDT_RETURN_KEY_VALUE)         \
    X(INDEX_RANGE, 9)                               \
    X(REVERSE_INDEX_RANGE, 10)                      \
    X(RANK_RANGE, 11)                               \
    X(REVERSE_RANK_RANGE, 12)                       \
    X(EXISTS, AERO_CDT_RETURN_EXISTS)               \
    X(UNORDERED_MAP, AERO_CDT_RETURN_UNORDERED_MAP) \
    X(ORDERED_MAP, AERO_CDT_RETURN_ORDERED_MAP)     \
    X(TYPE_MASK, 0xffff)                            \
    X(INVERTED, AERO_CDT_RETURN_INVERTED)

/* Collection order flags (set_type argument, list/map write policy `order`,
 * the flags byte of an ordered collection's ext header). */
#define AERO_CDT_ORDER_FLAGS(X) \
    X(UNORDERED, 0x00)          \
    X(ORDERED, 0x01)            \
    X(MAP_KV_ORDERED, 0x03)     \
    X(MAP_VALUE_BIT, 0x02)      \
    X(MAP_PRESERVE, 0x08)       \
    X(PERSIST_INDEX, 0x10)

/* List write flags (list write policy). */
#define AERO_LIST_WRITE_FLAGS(X)                      \
    X(DEFAULT, AERO_LIST_WRITE_DEFAULT)               \
    X(ADD_UNIQUE, AERO_LIST_WRITE_ADD_UNIQUE)         \
    X(INSERT_BOUNDED, AERO_LIST_WRITE_INSERT_BOUNDED) \
    X(NO_FAIL, AERO_LIST_WRITE_NO_FAIL)               \
    X(PARTIAL, AERO_LIST_WRITE_PARTIAL)

/* List sort flags (list sort argument). */
#define AERO_LIST_SORT_FLAGS(X)              \
    X(ASCENDING, AERO_LIST_SORT_ASCENDING)   \
    X(DESCENDING, AERO_LIST_SORT_DESCENDING) \
    X(DROP_DUPLICATES, AERO_LIST_SORT_DROP_DUPLICATES)

/* Map write flags (map write policy). */
#define AERO_MAP_WRITE_FLAGS(X)                \
    X(DEFAULT, AERO_MAP_WRITE_DEFAULT)         \
    X(CREATE_ONLY, AERO_MAP_WRITE_CREATE_ONLY) \
    X(UPDATE_ONLY, AERO_MAP_WRITE_UPDATE_ONLY) \
    X(NO_FAIL, AERO_MAP_WRITE_NO_FAIL)         \
    X(PARTIAL, AERO_MAP_WRITE_PARTIAL)

#define AERO_X_LIST_OP(n, v)    AERO_LIST_OP_##n = (v),
#define AERO_X_MAP_OP(n, v)     AERO_MAP_OP_##n = (v),
#define AERO_X_CDT_OP(n, v)     AERO_CDT_OP_##n = (v),
#define AERO_X_CDT_CTX(n, v)    AERO_CDT_CTX_##n = (v),
#define AERO_X_CDT_SELECT(n, v) AERO_CDT_SELECT_##n = (v),
#define AERO_X_CDT_RT(n, v)     AERO_CDT_RT_##n = (v),
#define AERO_X_CDT_ORDER(n, v)  AERO_CDT_ORDER_##n = (v),

enum aero_list_op { AERO_LIST_OPS(AERO_X_LIST_OP) };
enum aero_map_op { AERO_MAP_OPS(AERO_X_MAP_OP) };
enum aero_cdt_op { AERO_CDT_OPS(AERO_X_CDT_OP) };
enum aero_cdt_ctx_type { AERO_CDT_CTX_TYPES(AERO_X_CDT_CTX) };
enum aero_cdt_select_flag { AERO_CDT_SELECT_FLAGS(AERO_X_CDT_SELECT) };
enum aero_cdt_return_type { AERO_CDT_RETURN_TYPES(AERO_X_CDT_RT) };
enum aero_cdt_order { AERO_CDT_ORDER_FLAGS(AERO_X_CDT_ORDER) };

/** Name of a list op code ("APPEND"), NULL when the number is not one. */
const char *aero_proto__list_op_name(int op);
/** Name of a map op code ("PUT"), NULL when the number is not one. */
const char *aero_proto__map_op_name(int op);
#endif
