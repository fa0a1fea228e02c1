/*
 * op_cdt.c - the list and map operation constructors (aero/op.h).
 *
 * Each constructor puts the server's op code and its arguments in wire
 * order (as server 8.1 and the official client lay them out) into an
 * aero_op; nothing is encoded until the op is attached. Bad input is kept in
 * op.misuse (a static message) for execute to report.
 */
#include <aero/op.h>

#include <string.h>

#include "op_internal.h"
#include "proto/cdt_ops.h"
#include "proto/wire.h"

static aero_op op_new(const aero_path *at, bool modify, int code) {
    return aero_op__new(at, modify ? AERO_MSG_OP_CDT_MODIFY : AERO_MSG_OP_CDT_READ, code);
}

static void check_count(aero_op *o, uint64_t count) {
    if (count > INT64_MAX)
        aero_op__bad(o, "count is larger than INT64_MAX");
}

static void check_type(aero_op *o, aero_value v, aero_type t, const char *msg) {
    if (v.type != t)
        aero_op__bad(o, msg);
}

static void check_number(aero_op *o, aero_value v) {
    if (v.type != AERO_INT && v.type != AERO_DOUBLE)
        aero_op__bad(o, "the increment must be an int or a double");
}

/* A return type a list (map = false) or map selector can take. */
static void check_rtype(aero_op *o, int rtype, bool map) {
    if (rtype & ~(AERO_CDT_RT_TYPE_MASK | AERO_CDT_RETURN_INVERTED)) {
        aero_op__bad(o, "unknown return type bits");
        return;
    }
    switch (rtype & AERO_CDT_RT_TYPE_MASK) {
    case AERO_CDT_RETURN_NONE:
    case AERO_CDT_RETURN_INDEX:
    case AERO_CDT_RETURN_REVERSE_INDEX:
    case AERO_CDT_RETURN_RANK:
    case AERO_CDT_RETURN_REVERSE_RANK:
    case AERO_CDT_RETURN_COUNT:
    case AERO_CDT_RETURN_VALUE:
    case AERO_CDT_RETURN_EXISTS: return;
    case AERO_CDT_RETURN_KEY:
    case AERO_CDT_RETURN_KEY_VALUE:
    case AERO_CDT_RETURN_UNORDERED_MAP:
    case AERO_CDT_RETURN_ORDERED_MAP:
        if (!map)
            aero_op__bad(o, "return types KEY, KEY_VALUE, UNORDERED_MAP and ORDERED_MAP are for maps");
        return;
    default: aero_op__bad(o, "unknown return type");
    }
}

/* Selectors of one item: the server answers OP_NOT_APPLICABLE to INVERTED on them. */
static bool selects_one(bool map, int code) {
    if (map)
        return code == AERO_MAP_OP_GET_BY_KEY || code == AERO_MAP_OP_GET_BY_INDEX || code == AERO_MAP_OP_GET_BY_RANK ||
               code == AERO_MAP_OP_GET_BY_VALUE || code == AERO_MAP_OP_REMOVE_BY_KEY ||
               code == AERO_MAP_OP_REMOVE_BY_INDEX || code == AERO_MAP_OP_REMOVE_BY_RANK ||
               code == AERO_MAP_OP_REMOVE_BY_VALUE;
    return code == AERO_LIST_OP_GET_BY_INDEX || code == AERO_LIST_OP_GET_BY_RANK || code == AERO_LIST_OP_GET_BY_VALUE ||
           code == AERO_LIST_OP_REMOVE_BY_INDEX || code == AERO_LIST_OP_REMOVE_BY_RANK ||
           code == AERO_LIST_OP_REMOVE_BY_VALUE;
}

/* The server answers OP_NOT_APPLICABLE to rank return types on some selectors. */
static void check_not_rank(aero_op *o, int rtype, const char *msg) {
    int base = rtype & AERO_CDT_RT_TYPE_MASK;
    if (base == AERO_CDT_RETURN_RANK || base == AERO_CDT_RETURN_REVERSE_RANK)
        aero_op__bad(o, msg);
}

static aero_op select_op(const aero_path *at, bool map, bool modify, int code, int rtype, const aero_value *a, int n) {
    aero_op o = op_new(at, modify, code);
    check_rtype(&o, rtype, map);
    if ((rtype & AERO_CDT_RETURN_INVERTED) && selects_one(map, code))
        aero_op__bad(
            &o,
            "INVERTED applies to selectors of several items (ranges, values, lists), not to one index, rank or key");
    aero_op__put(&o, aero_int(rtype));
    for (int i = 0; i < n; i++)
        aero_op__put(&o, a[i]);
    return o;
}

static void check_list_policy(aero_op *o, const aero_list_policy *pol) {
    if (!pol)
        return;
    if (pol->order != AERO_LIST_UNORDERED && pol->order != AERO_LIST_ORDERED)
        aero_op__bad(o, "list order must be AERO_LIST_UNORDERED or AERO_LIST_ORDERED");
    if (pol->flags & ~(AERO_LIST_WRITE_ADD_UNIQUE | AERO_LIST_WRITE_INSERT_BOUNDED | AERO_LIST_WRITE_NO_FAIL |
                       AERO_LIST_WRITE_PARTIAL))
        aero_op__bad(o, "unknown list write flags");
    if ((pol->flags & AERO_LIST_WRITE_PARTIAL) && !(pol->flags & AERO_LIST_WRITE_NO_FAIL))
        aero_op__bad(o, "AERO_LIST_WRITE_PARTIAL needs AERO_LIST_WRITE_NO_FAIL");
}

/* Appends and increments send order and flags; index writes send flags only. */
static void list_policy_args(aero_op *o, const aero_list_policy *pol, bool with_order) {
    check_list_policy(o, pol);
    if (!pol)
        return;
    if (with_order)
        aero_op__put(o, aero_int(pol->order));
    else if (pol->order == AERO_LIST_ORDERED)
        aero_op__bad(o, "a write at an index needs an unordered list (the policy says ordered)");
    aero_op__put(o, aero_int(pol->flags));
}

/* ---- list: order, writes ---- */

AERO_API aero_op aero_list_set_order(const aero_path *at, int order, bool persist_index) {
    aero_op o = op_new(at, true, AERO_LIST_OP_SET_TYPE);
    if (order != AERO_LIST_UNORDERED && order != AERO_LIST_ORDERED)
        aero_op__bad(&o, "list order must be AERO_LIST_UNORDERED or AERO_LIST_ORDERED");
    if (persist_index && at && at->n)
        aero_op__bad(&o, "persist_index applies to a top-level list only");
    aero_op__put(&o, aero_int(order | (persist_index ? AERO_CDT_ORDER_PERSIST_INDEX : 0)));
    return o;
}

AERO_API aero_op aero_list_create(const aero_path *at, int order, bool pad, bool persist_index) {
    if (!at || at->n == 0) {
        aero_op o = aero_list_set_order(at, order, persist_index);
        if (pad)
            aero_op__bad(&o, "pad needs a context step (the list is created inside another collection)");
        return o;
    }
    aero_op o = aero_list_set_order(at, order, persist_index);
    if (pad && order == AERO_LIST_ORDERED)
        aero_op__bad(&o, "pad applies to unordered lists only");
    o.ctx_flag = order == AERO_LIST_ORDERED ? AERO_CDT_CTX_CREATE_LIST_ORDERED
                 : pad                      ? AERO_CDT_CTX_CREATE_LIST_UNORDERED_UNBOUND
                                            : AERO_CDT_CTX_CREATE_LIST_UNORDERED;
    return o;
}

AERO_API aero_op aero_list_append(const aero_path *at, aero_value v, const aero_list_policy *pol) {
    aero_op o = op_new(at, true, AERO_LIST_OP_APPEND);
    aero_op__put(&o, v);
    list_policy_args(&o, pol, true);
    return o;
}

AERO_API aero_op aero_list_append_items(const aero_path *at, aero_value items, const aero_list_policy *pol) {
    aero_op o = op_new(at, true, AERO_LIST_OP_APPEND_ITEMS);
    check_type(&o, items, AERO_LIST, "items must be a list value");
    aero_op__put(&o, items);
    list_policy_args(&o, pol, true);
    return o;
}

static aero_op index_write(const aero_path *at, int code, int64_t index, aero_value v, const aero_list_policy *pol) {
    aero_op o = op_new(at, true, code);
    aero_op__put(&o, aero_int(index));
    aero_op__put(&o, v);
    list_policy_args(&o, pol, false);
    return o;
}

AERO_API aero_op aero_list_insert(const aero_path *at, int64_t index, aero_value v, const aero_list_policy *pol) {
    return index_write(at, AERO_LIST_OP_INSERT, index, v, pol);
}

AERO_API aero_op aero_list_insert_items(const aero_path *at, int64_t index, aero_value items,
                                        const aero_list_policy *pol) {
    aero_op o = index_write(at, AERO_LIST_OP_INSERT_ITEMS, index, items, pol);
    check_type(&o, items, AERO_LIST, "items must be a list value");
    return o;
}

AERO_API aero_op aero_list_set(const aero_path *at, int64_t index, aero_value v, const aero_list_policy *pol) {
    return index_write(at, AERO_LIST_OP_SET, index, v, pol);
}

AERO_API aero_op aero_list_increment(const aero_path *at, int64_t index, aero_value by, const aero_list_policy *pol) {
    aero_op o = op_new(at, true, AERO_LIST_OP_INCREMENT);
    check_number(&o, by);
    aero_op__put(&o, aero_int(index));
    aero_op__put(&o, by);
    list_policy_args(&o, pol, true);
    return o;
}

/* [code, index] or [code, index, count]. */
static aero_op index_op(const aero_path *at, bool modify, int code, int64_t index, const uint64_t *count) {
    aero_op o = op_new(at, modify, code);
    aero_op__put(&o, aero_int(index));
    if (count) {
        check_count(&o, *count);
        aero_op__put(&o, aero_int((int64_t)*count));
    }
    return o;
}

AERO_API aero_op aero_list_pop(const aero_path *at, int64_t index) {
    return index_op(at, true, AERO_LIST_OP_POP, index, NULL);
}
AERO_API aero_op aero_list_pop_range(const aero_path *at, int64_t index, uint64_t count) {
    return index_op(at, true, AERO_LIST_OP_POP_RANGE, index, &count);
}
AERO_API aero_op aero_list_pop_range_from(const aero_path *at, int64_t index) {
    return index_op(at, true, AERO_LIST_OP_POP_RANGE, index, NULL);
}
AERO_API aero_op aero_list_remove(const aero_path *at, int64_t index) {
    return index_op(at, true, AERO_LIST_OP_REMOVE, index, NULL);
}
AERO_API aero_op aero_list_remove_range(const aero_path *at, int64_t index, uint64_t count) {
    return index_op(at, true, AERO_LIST_OP_REMOVE_RANGE, index, &count);
}
AERO_API aero_op aero_list_remove_range_from(const aero_path *at, int64_t index) {
    return index_op(at, true, AERO_LIST_OP_REMOVE_RANGE, index, NULL);
}
AERO_API aero_op aero_list_trim(const aero_path *at, int64_t index, uint64_t count) {
    return index_op(at, true, AERO_LIST_OP_TRIM, index, &count);
}
AERO_API aero_op aero_list_get(const aero_path *at, int64_t index) {
    return index_op(at, false, AERO_LIST_OP_GET, index, NULL);
}
AERO_API aero_op aero_list_get_range(const aero_path *at, int64_t index, uint64_t count) {
    return index_op(at, false, AERO_LIST_OP_GET_RANGE, index, &count);
}
AERO_API aero_op aero_list_get_range_from(const aero_path *at, int64_t index) {
    return index_op(at, false, AERO_LIST_OP_GET_RANGE, index, NULL);
}
AERO_API aero_op aero_list_clear(const aero_path *at) { return op_new(at, true, AERO_LIST_OP_CLEAR); }
AERO_API aero_op aero_list_size(const aero_path *at) { return op_new(at, false, AERO_LIST_OP_SIZE); }
AERO_API aero_op aero_list_sort(const aero_path *at, unsigned flags) {
    aero_op o = op_new(at, true, AERO_LIST_OP_SORT);
    if (flags & ~(unsigned)(AERO_LIST_SORT_DESCENDING | AERO_LIST_SORT_DROP_DUPLICATES))
        aero_op__bad(&o, "unknown sort flags");
    aero_op__put(&o, aero_int(flags));
    return o;
}

/* ---- map: policy, writes ---- */

static bool order_ok(aero_map_order order) {
    return order == AERO_MAP_UNORDERED || order == AERO_MAP_KEY_ORDERED || order == AERO_MAP_KEY_VALUE_ORDERED;
}

AERO_API aero_op aero_map_set_policy(const aero_path *at, aero_map_order order, bool persist_index) {
    aero_op o = op_new(at, true, AERO_MAP_OP_SET_TYPE);
    if (!order_ok(order))
        aero_op__bad(&o, "map order must be an aero_map_order");
    if (persist_index && at && at->n)
        aero_op__bad(&o, "persist_index applies to a top-level map only");
    aero_op__put(&o, aero_int((int64_t)order | (persist_index ? AERO_CDT_ORDER_PERSIST_INDEX : 0)));
    return o;
}

AERO_API aero_op aero_map_create(const aero_path *at, aero_map_order order) {
    aero_op o = aero_map_set_policy(at, order, false);
    if (at && at->n)
        o.ctx_flag = aero_op__map_create_flag(order);
    return o;
}

/* The attributes argument (order and persist_index) and, when set, the flags. */
static void map_policy_args(aero_op *o, const aero_map_policy *pol, bool with_flags) {
    if (!pol) {
        aero_op__put(o, aero_int(0));
        return;
    }
    if (!order_ok(pol->order))
        aero_op__bad(o, "map order must be an aero_map_order");
    if (pol->persist_index && o->at && o->at->n)
        aero_op__bad(o, "persist_index applies to a top-level map only");
    if (pol->flags &
        ~(AERO_MAP_WRITE_CREATE_ONLY | AERO_MAP_WRITE_UPDATE_ONLY | AERO_MAP_WRITE_NO_FAIL | AERO_MAP_WRITE_PARTIAL))
        aero_op__bad(o, "unknown map write flags");
    if ((pol->flags & AERO_MAP_WRITE_CREATE_ONLY) && (pol->flags & AERO_MAP_WRITE_UPDATE_ONLY))
        aero_op__bad(o, "AERO_MAP_WRITE_CREATE_ONLY and AERO_MAP_WRITE_UPDATE_ONLY contradict each other");
    if ((pol->flags & AERO_MAP_WRITE_PARTIAL) && !(pol->flags & AERO_MAP_WRITE_NO_FAIL))
        aero_op__bad(o, "AERO_MAP_WRITE_PARTIAL needs AERO_MAP_WRITE_NO_FAIL");
    aero_op__put(o, aero_int((int64_t)pol->order | (pol->persist_index ? AERO_CDT_ORDER_PERSIST_INDEX : 0)));
    if (with_flags && pol->flags)
        aero_op__put(o, aero_int(pol->flags));
    else if (pol->flags)
        aero_op__bad(o, "write flags do not apply to increment and decrement");
}

AERO_API aero_op aero_map_put(const aero_path *at, aero_value key, aero_value v, const aero_map_policy *pol) {
    aero_op o = op_new(at, true, AERO_MAP_OP_PUT);
    aero_op__put(&o, key);
    aero_op__put(&o, v);
    map_policy_args(&o, pol, true);
    return o;
}

AERO_API aero_op aero_map_put_items(const aero_path *at, aero_value items, const aero_map_policy *pol) {
    aero_op o = op_new(at, true, AERO_MAP_OP_PUT_ITEMS);
    check_type(&o, items, AERO_MAP, "items must be a map value");
    aero_op__put(&o, items);
    map_policy_args(&o, pol, true);
    return o;
}

/* The older write codes: ADD (create only) and REPLACE (update only) send no flags; REPLACE no attributes. */
static aero_op map_write_code(const aero_path *at, int code, const aero_value *a, int n, const aero_map_policy *pol,
                              bool with_attr) {
    aero_op o = op_new(at, true, code);
    for (int i = 0; i < n; i++)
        aero_op__put(&o, a[i]);
    if (with_attr)
        map_policy_args(&o, pol, false);
    else if (pol)
        aero_op__bad(&o, "replace takes no policy (it never creates the map)");
    return o;
}

AERO_API aero_op aero_map_add(const aero_path *at, aero_value key, aero_value v, const aero_map_policy *pol) {
    aero_value a[] = { key, v };
    return map_write_code(at, AERO_MAP_OP_ADD, a, 2, pol, true);
}
AERO_API aero_op aero_map_add_items(const aero_path *at, aero_value items, const aero_map_policy *pol) {
    aero_op o = map_write_code(at, AERO_MAP_OP_ADD_ITEMS, &items, 1, pol, true);
    check_type(&o, items, AERO_MAP, "items must be a map value");
    return o;
}
AERO_API aero_op aero_map_replace(const aero_path *at, aero_value key, aero_value v) {
    aero_value a[] = { key, v };
    return map_write_code(at, AERO_MAP_OP_REPLACE, a, 2, NULL, false);
}
AERO_API aero_op aero_map_replace_items(const aero_path *at, aero_value items) {
    aero_op o = map_write_code(at, AERO_MAP_OP_REPLACE_ITEMS, &items, 1, NULL, false);
    check_type(&o, items, AERO_MAP, "items must be a map value");
    return o;
}

static aero_op map_add(const aero_path *at, int code, aero_value key, aero_value by, const aero_map_policy *pol) {
    aero_op o = op_new(at, true, code);
    check_number(&o, by);
    aero_op__put(&o, key);
    aero_op__put(&o, by);
    map_policy_args(&o, pol, false);
    return o;
}

AERO_API aero_op aero_map_increment(const aero_path *at, aero_value key, aero_value by, const aero_map_policy *pol) {
    return map_add(at, AERO_MAP_OP_INCREMENT, key, by, pol);
}
AERO_API aero_op aero_map_decrement(const aero_path *at, aero_value key, aero_value by, const aero_map_policy *pol) {
    return map_add(at, AERO_MAP_OP_DECREMENT, key, by, pol);
}
AERO_API aero_op aero_map_clear(const aero_path *at) { return op_new(at, true, AERO_MAP_OP_CLEAR); }
AERO_API aero_op aero_map_size(const aero_path *at) { return op_new(at, false, AERO_MAP_OP_SIZE); }

/* ---- selectors: [code, rtype, args...]; a range's end of nil is left off (no upper bound) ---- */
/* Each selector once, for the list and map get_by_* (read) and remove_by_* (modify) constructors. */

static aero_op map_by_key(const aero_path *at, bool rm, aero_value key, int rtype) {
    aero_value a[] = { key };
    aero_op o = select_op(at, true, rm, rm ? AERO_MAP_OP_REMOVE_BY_KEY : AERO_MAP_OP_GET_BY_KEY, rtype, a, 1);
    return o;
}
AERO_API aero_op aero_map_get_by_key(const aero_path *at, aero_value key, int rtype) {
    return map_by_key(at, false, key, rtype);
}
AERO_API aero_op aero_map_remove_by_key(const aero_path *at, aero_value key, int rtype) {
    return map_by_key(at, true, key, rtype);
}

static aero_op map_by_key_list(const aero_path *at, bool rm, aero_value keys, int rtype) {
    aero_value a[] = { keys };
    aero_op o = select_op(at, true, rm, rm ? AERO_MAP_OP_REMOVE_BY_KEY_LIST : AERO_MAP_OP_GET_BY_KEY_LIST, rtype, a, 1);
    check_type(&o, keys, AERO_LIST, "keys must be a list value");
    check_not_rank(&o, rtype, "RANK and REVERSE_RANK are not available for a key list");
    return o;
}
AERO_API aero_op aero_map_get_by_key_list(const aero_path *at, aero_value keys, int rtype) {
    return map_by_key_list(at, false, keys, rtype);
}
AERO_API aero_op aero_map_remove_by_key_list(const aero_path *at, aero_value keys, int rtype) {
    return map_by_key_list(at, true, keys, rtype);
}

static aero_op map_by_key_range(const aero_path *at, bool rm, aero_value begin, aero_value end, int rtype) {
    aero_value a[] = { begin, end };
    aero_op o = select_op(at, true, rm, rm ? AERO_MAP_OP_REMOVE_BY_KEY_INTERVAL : AERO_MAP_OP_GET_BY_KEY_INTERVAL,
                          rtype, a, end.type == AERO_NIL ? 1 : 2);
    return o;
}
AERO_API aero_op aero_map_get_by_key_range(const aero_path *at, aero_value begin, aero_value end, int rtype) {
    return map_by_key_range(at, false, begin, end, rtype);
}
AERO_API aero_op aero_map_remove_by_key_range(const aero_path *at, aero_value begin, aero_value end, int rtype) {
    return map_by_key_range(at, true, begin, end, rtype);
}

static aero_op map_by_key_rel_index_range(const aero_path *at, bool rm, aero_value key, int64_t index, uint64_t count,
                                          int rtype) {
    aero_value a[] = { key, aero_int(index), aero_int((int64_t)count) };
    aero_op o =
        select_op(at, true, rm, rm ? AERO_MAP_OP_REMOVE_BY_KEY_REL_INDEX_RANGE : AERO_MAP_OP_GET_BY_KEY_REL_INDEX_RANGE,
                  rtype, a, 3);
    check_count(&o, count);
    return o;
}
AERO_API aero_op aero_map_get_by_key_rel_index_range(const aero_path *at, aero_value key, int64_t index, uint64_t count,
                                                     int rtype) {
    return map_by_key_rel_index_range(at, false, key, index, count, rtype);
}
AERO_API aero_op aero_map_remove_by_key_rel_index_range(const aero_path *at, aero_value key, int64_t index,
                                                        uint64_t count, int rtype) {
    return map_by_key_rel_index_range(at, true, key, index, count, rtype);
}

static aero_op map_by_key_rel_index_range_from(const aero_path *at, bool rm, aero_value key, int64_t index, int rtype) {
    aero_value a[] = { key, aero_int(index) };
    aero_op o =
        select_op(at, true, rm, rm ? AERO_MAP_OP_REMOVE_BY_KEY_REL_INDEX_RANGE : AERO_MAP_OP_GET_BY_KEY_REL_INDEX_RANGE,
                  rtype, a, 2);
    return o;
}
AERO_API aero_op aero_map_get_by_key_rel_index_range_from(const aero_path *at, aero_value key, int64_t index,
                                                          int rtype) {
    return map_by_key_rel_index_range_from(at, false, key, index, rtype);
}
AERO_API aero_op aero_map_remove_by_key_rel_index_range_from(const aero_path *at, aero_value key, int64_t index,
                                                             int rtype) {
    return map_by_key_rel_index_range_from(at, true, key, index, rtype);
}

static aero_op by_index(const aero_path *at, bool map, bool rm, int64_t index, int rtype) {
    static const uint8_t code[2][2] = { { AERO_LIST_OP_GET_BY_INDEX, AERO_LIST_OP_REMOVE_BY_INDEX },
                                        { AERO_MAP_OP_GET_BY_INDEX, AERO_MAP_OP_REMOVE_BY_INDEX } };
    aero_value a[] = { aero_int(index) };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, 1);
    return o;
}
AERO_API aero_op aero_list_get_by_index(const aero_path *at, int64_t index, int rtype) {
    return by_index(at, false, false, index, rtype);
}
AERO_API aero_op aero_list_remove_by_index(const aero_path *at, int64_t index, int rtype) {
    return by_index(at, false, true, index, rtype);
}
AERO_API aero_op aero_map_get_by_index(const aero_path *at, int64_t index, int rtype) {
    return by_index(at, true, false, index, rtype);
}
AERO_API aero_op aero_map_remove_by_index(const aero_path *at, int64_t index, int rtype) {
    return by_index(at, true, true, index, rtype);
}

static aero_op by_index_range(const aero_path *at, bool map, bool rm, int64_t index, uint64_t count, int rtype) {
    static const uint8_t code[2][2] = { { AERO_LIST_OP_GET_BY_INDEX_RANGE, AERO_LIST_OP_REMOVE_BY_INDEX_RANGE },
                                        { AERO_MAP_OP_GET_BY_INDEX_RANGE, AERO_MAP_OP_REMOVE_BY_INDEX_RANGE } };
    aero_value a[] = { aero_int(index), aero_int((int64_t)count) };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, 2);
    check_count(&o, count);
    return o;
}
AERO_API aero_op aero_list_get_by_index_range(const aero_path *at, int64_t index, uint64_t count, int rtype) {
    return by_index_range(at, false, false, index, count, rtype);
}
AERO_API aero_op aero_list_remove_by_index_range(const aero_path *at, int64_t index, uint64_t count, int rtype) {
    return by_index_range(at, false, true, index, count, rtype);
}
AERO_API aero_op aero_map_get_by_index_range(const aero_path *at, int64_t index, uint64_t count, int rtype) {
    return by_index_range(at, true, false, index, count, rtype);
}
AERO_API aero_op aero_map_remove_by_index_range(const aero_path *at, int64_t index, uint64_t count, int rtype) {
    return by_index_range(at, true, true, index, count, rtype);
}

static aero_op by_index_range_from(const aero_path *at, bool map, bool rm, int64_t index, int rtype) {
    static const uint8_t code[2][2] = { { AERO_LIST_OP_GET_BY_INDEX_RANGE, AERO_LIST_OP_REMOVE_BY_INDEX_RANGE },
                                        { AERO_MAP_OP_GET_BY_INDEX_RANGE, AERO_MAP_OP_REMOVE_BY_INDEX_RANGE } };
    aero_value a[] = { aero_int(index) };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, 1);
    return o;
}
AERO_API aero_op aero_list_get_by_index_range_from(const aero_path *at, int64_t index, int rtype) {
    return by_index_range_from(at, false, false, index, rtype);
}
AERO_API aero_op aero_list_remove_by_index_range_from(const aero_path *at, int64_t index, int rtype) {
    return by_index_range_from(at, false, true, index, rtype);
}
AERO_API aero_op aero_map_get_by_index_range_from(const aero_path *at, int64_t index, int rtype) {
    return by_index_range_from(at, true, false, index, rtype);
}
AERO_API aero_op aero_map_remove_by_index_range_from(const aero_path *at, int64_t index, int rtype) {
    return by_index_range_from(at, true, true, index, rtype);
}

static aero_op by_value(const aero_path *at, bool map, bool rm, aero_value v, int rtype) {
    static const uint8_t code[2][2] = { { AERO_LIST_OP_GET_ALL_BY_VALUE, AERO_LIST_OP_REMOVE_ALL_BY_VALUE },
                                        { AERO_MAP_OP_GET_ALL_BY_VALUE, AERO_MAP_OP_REMOVE_ALL_BY_VALUE } };
    aero_value a[] = { v };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, 1);
    return o;
}
AERO_API aero_op aero_list_get_by_value(const aero_path *at, aero_value v, int rtype) {
    return by_value(at, false, false, v, rtype);
}
AERO_API aero_op aero_list_remove_by_value(const aero_path *at, aero_value v, int rtype) {
    return by_value(at, false, true, v, rtype);
}
AERO_API aero_op aero_map_get_by_value(const aero_path *at, aero_value v, int rtype) {
    return by_value(at, true, false, v, rtype);
}
AERO_API aero_op aero_map_remove_by_value(const aero_path *at, aero_value v, int rtype) {
    return by_value(at, true, true, v, rtype);
}

static aero_op by_value_list(const aero_path *at, bool map, bool rm, aero_value values, int rtype) {
    static const uint8_t code[2][2] = { { AERO_LIST_OP_GET_ALL_BY_VALUE_LIST, AERO_LIST_OP_REMOVE_ALL_BY_VALUE_LIST },
                                        { AERO_MAP_OP_GET_BY_VALUE_LIST, AERO_MAP_OP_REMOVE_BY_VALUE_LIST } };
    aero_value a[] = { values };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, 1);
    check_type(&o, values, AERO_LIST, "values must be a list value");
    return o;
}
AERO_API aero_op aero_list_get_by_value_list(const aero_path *at, aero_value values, int rtype) {
    return by_value_list(at, false, false, values, rtype);
}
AERO_API aero_op aero_list_remove_by_value_list(const aero_path *at, aero_value values, int rtype) {
    return by_value_list(at, false, true, values, rtype);
}
AERO_API aero_op aero_map_get_by_value_list(const aero_path *at, aero_value values, int rtype) {
    return by_value_list(at, true, false, values, rtype);
}
AERO_API aero_op aero_map_remove_by_value_list(const aero_path *at, aero_value values, int rtype) {
    return by_value_list(at, true, true, values, rtype);
}

static aero_op by_value_range(const aero_path *at, bool map, bool rm, aero_value begin, aero_value end, int rtype) {
    static const uint8_t code[2][2] = { { AERO_LIST_OP_GET_BY_VALUE_INTERVAL, AERO_LIST_OP_REMOVE_BY_VALUE_INTERVAL },
                                        { AERO_MAP_OP_GET_BY_VALUE_INTERVAL, AERO_MAP_OP_REMOVE_BY_VALUE_INTERVAL } };
    aero_value a[] = { begin, end };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, end.type == AERO_NIL ? 1 : 2);
    return o;
}
AERO_API aero_op aero_list_get_by_value_range(const aero_path *at, aero_value begin, aero_value end, int rtype) {
    return by_value_range(at, false, false, begin, end, rtype);
}
AERO_API aero_op aero_list_remove_by_value_range(const aero_path *at, aero_value begin, aero_value end, int rtype) {
    return by_value_range(at, false, true, begin, end, rtype);
}
AERO_API aero_op aero_map_get_by_value_range(const aero_path *at, aero_value begin, aero_value end, int rtype) {
    return by_value_range(at, true, false, begin, end, rtype);
}
AERO_API aero_op aero_map_remove_by_value_range(const aero_path *at, aero_value begin, aero_value end, int rtype) {
    return by_value_range(at, true, true, begin, end, rtype);
}

static aero_op by_value_rel_rank_range(const aero_path *at, bool map, bool rm, aero_value v, int64_t rank,
                                       uint64_t count, int rtype) {
    static const uint8_t code[2][2] = {
        { AERO_LIST_OP_GET_BY_VALUE_REL_RANK_RANGE, AERO_LIST_OP_REMOVE_BY_VALUE_REL_RANK_RANGE },
        { AERO_MAP_OP_GET_BY_VALUE_REL_RANK_RANGE, AERO_MAP_OP_REMOVE_BY_VALUE_REL_RANK_RANGE }
    };
    aero_value a[] = { v, aero_int(rank), aero_int((int64_t)count) };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, 3);
    check_count(&o, count);
    return o;
}
AERO_API aero_op aero_list_get_by_value_rel_rank_range(const aero_path *at, aero_value v, int64_t rank, uint64_t count,
                                                       int rtype) {
    return by_value_rel_rank_range(at, false, false, v, rank, count, rtype);
}
AERO_API aero_op aero_list_remove_by_value_rel_rank_range(const aero_path *at, aero_value v, int64_t rank,
                                                          uint64_t count, int rtype) {
    return by_value_rel_rank_range(at, false, true, v, rank, count, rtype);
}
AERO_API aero_op aero_map_get_by_value_rel_rank_range(const aero_path *at, aero_value v, int64_t rank, uint64_t count,
                                                      int rtype) {
    return by_value_rel_rank_range(at, true, false, v, rank, count, rtype);
}
AERO_API aero_op aero_map_remove_by_value_rel_rank_range(const aero_path *at, aero_value v, int64_t rank,
                                                         uint64_t count, int rtype) {
    return by_value_rel_rank_range(at, true, true, v, rank, count, rtype);
}

static aero_op by_value_rel_rank_range_from(const aero_path *at, bool map, bool rm, aero_value v, int64_t rank,
                                            int rtype) {
    static const uint8_t code[2][2] = {
        { AERO_LIST_OP_GET_BY_VALUE_REL_RANK_RANGE, AERO_LIST_OP_REMOVE_BY_VALUE_REL_RANK_RANGE },
        { AERO_MAP_OP_GET_BY_VALUE_REL_RANK_RANGE, AERO_MAP_OP_REMOVE_BY_VALUE_REL_RANK_RANGE }
    };
    aero_value a[] = { v, aero_int(rank) };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, 2);
    return o;
}
AERO_API aero_op aero_list_get_by_value_rel_rank_range_from(const aero_path *at, aero_value v, int64_t rank,
                                                            int rtype) {
    return by_value_rel_rank_range_from(at, false, false, v, rank, rtype);
}
AERO_API aero_op aero_list_remove_by_value_rel_rank_range_from(const aero_path *at, aero_value v, int64_t rank,
                                                               int rtype) {
    return by_value_rel_rank_range_from(at, false, true, v, rank, rtype);
}
AERO_API aero_op aero_map_get_by_value_rel_rank_range_from(const aero_path *at, aero_value v, int64_t rank, int rtype) {
    return by_value_rel_rank_range_from(at, true, false, v, rank, rtype);
}
AERO_API aero_op aero_map_remove_by_value_rel_rank_range_from(const aero_path *at, aero_value v, int64_t rank,
                                                              int rtype) {
    return by_value_rel_rank_range_from(at, true, true, v, rank, rtype);
}

static aero_op by_rank(const aero_path *at, bool map, bool rm, int64_t rank, int rtype) {
    static const uint8_t code[2][2] = { { AERO_LIST_OP_GET_BY_RANK, AERO_LIST_OP_REMOVE_BY_RANK },
                                        { AERO_MAP_OP_GET_BY_RANK, AERO_MAP_OP_REMOVE_BY_RANK } };
    aero_value a[] = { aero_int(rank) };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, 1);
    return o;
}
AERO_API aero_op aero_list_get_by_rank(const aero_path *at, int64_t rank, int rtype) {
    return by_rank(at, false, false, rank, rtype);
}
AERO_API aero_op aero_list_remove_by_rank(const aero_path *at, int64_t rank, int rtype) {
    return by_rank(at, false, true, rank, rtype);
}
AERO_API aero_op aero_map_get_by_rank(const aero_path *at, int64_t rank, int rtype) {
    return by_rank(at, true, false, rank, rtype);
}
AERO_API aero_op aero_map_remove_by_rank(const aero_path *at, int64_t rank, int rtype) {
    return by_rank(at, true, true, rank, rtype);
}

static aero_op by_rank_range(const aero_path *at, bool map, bool rm, int64_t rank, uint64_t count, int rtype) {
    static const uint8_t code[2][2] = { { AERO_LIST_OP_GET_BY_RANK_RANGE, AERO_LIST_OP_REMOVE_BY_RANK_RANGE },
                                        { AERO_MAP_OP_GET_BY_RANK_RANGE, AERO_MAP_OP_REMOVE_BY_RANK_RANGE } };
    aero_value a[] = { aero_int(rank), aero_int((int64_t)count) };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, 2);
    check_count(&o, count);
    return o;
}
AERO_API aero_op aero_list_get_by_rank_range(const aero_path *at, int64_t rank, uint64_t count, int rtype) {
    return by_rank_range(at, false, false, rank, count, rtype);
}
AERO_API aero_op aero_list_remove_by_rank_range(const aero_path *at, int64_t rank, uint64_t count, int rtype) {
    return by_rank_range(at, false, true, rank, count, rtype);
}
AERO_API aero_op aero_map_get_by_rank_range(const aero_path *at, int64_t rank, uint64_t count, int rtype) {
    return by_rank_range(at, true, false, rank, count, rtype);
}
AERO_API aero_op aero_map_remove_by_rank_range(const aero_path *at, int64_t rank, uint64_t count, int rtype) {
    return by_rank_range(at, true, true, rank, count, rtype);
}

static aero_op by_rank_range_from(const aero_path *at, bool map, bool rm, int64_t rank, int rtype) {
    static const uint8_t code[2][2] = { { AERO_LIST_OP_GET_BY_RANK_RANGE, AERO_LIST_OP_REMOVE_BY_RANK_RANGE },
                                        { AERO_MAP_OP_GET_BY_RANK_RANGE, AERO_MAP_OP_REMOVE_BY_RANK_RANGE } };
    aero_value a[] = { aero_int(rank) };
    aero_op o = select_op(at, map, rm, code[map][rm], rtype, a, 1);
    return o;
}
AERO_API aero_op aero_list_get_by_rank_range_from(const aero_path *at, int64_t rank, int rtype) {
    return by_rank_range_from(at, false, false, rank, rtype);
}
AERO_API aero_op aero_list_remove_by_rank_range_from(const aero_path *at, int64_t rank, int rtype) {
    return by_rank_range_from(at, false, true, rank, rtype);
}
AERO_API aero_op aero_map_get_by_rank_range_from(const aero_path *at, int64_t rank, int rtype) {
    return by_rank_range_from(at, true, false, rank, rtype);
}
AERO_API aero_op aero_map_remove_by_rank_range_from(const aero_path *at, int64_t rank, int rtype) {
    return by_rank_range_from(at, true, true, rank, rtype);
}

/* The first item equal to v (the server's single-value selectors; INVERTED does not apply). */
static aero_op by_first_value(const aero_path *at, bool map, bool rm, aero_value v, int rtype) {
    static const uint8_t code[2][2] = { { AERO_LIST_OP_GET_BY_VALUE, AERO_LIST_OP_REMOVE_BY_VALUE },
                                        { AERO_MAP_OP_GET_BY_VALUE, AERO_MAP_OP_REMOVE_BY_VALUE } };
    return select_op(at, map, rm, code[map][rm], rtype, &v, 1);
}
AERO_API aero_op aero_list_get_first_by_value(const aero_path *at, aero_value v, int rtype) {
    return by_first_value(at, false, false, v, rtype);
}
AERO_API aero_op aero_list_remove_first_by_value(const aero_path *at, aero_value v, int rtype) {
    return by_first_value(at, false, true, v, rtype);
}
AERO_API aero_op aero_map_get_first_by_value(const aero_path *at, aero_value v, int rtype) {
    return by_first_value(at, true, false, v, rtype);
}
AERO_API aero_op aero_map_remove_first_by_value(const aero_path *at, aero_value v, int rtype) {
    return by_first_value(at, true, true, v, rtype);
}
