/*
 * op_path.c - context steps and paths (aero/op.h).
 *
 * A path is a value on the caller's stack; a bad one is marked rather than
 * refused, so the op built on it carries the misuse to execute.
 * aero_path_parse() reuses AEL's path parser (aero_ael_parse_ctx) and reads
 * its packed context back into steps.
 */
#include <aero/ael.h>
#include <aero/op.h>

#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "op_internal.h"
#include "proto/cdt_ops.h"
#include "proto/msgpack.h"

static aero_ctx step(uint16_t type, aero_value v) {
    aero_ctx c;
    c.type = type;
    c.value = v;
    return c;
}

AERO_API aero_ctx aero_at_list_index(int64_t index) { return step(AERO_CTX_LIST_INDEX, aero_int(index)); }
AERO_API aero_ctx aero_at_list_index_create(int64_t index, bool ordered, bool pad) {
    uint16_t flag = ordered ? AERO_CDT_CTX_CREATE_LIST_ORDERED
                    : pad   ? AERO_CDT_CTX_CREATE_LIST_UNORDERED_UNBOUND
                            : AERO_CDT_CTX_CREATE_LIST_UNORDERED;
    return step((uint16_t)(AERO_CTX_LIST_INDEX | flag), aero_int(index));
}
AERO_API aero_ctx aero_at_list_rank(int64_t rank) { return step(AERO_CTX_LIST_RANK, aero_int(rank)); }
AERO_API aero_ctx aero_at_list_value(aero_value v) { return step(AERO_CTX_LIST_VALUE, v); }
AERO_API aero_ctx aero_at_map_index(int64_t index) { return step(AERO_CTX_MAP_INDEX, aero_int(index)); }
AERO_API aero_ctx aero_at_map_rank(int64_t rank) { return step(AERO_CTX_MAP_RANK, aero_int(rank)); }
AERO_API aero_ctx aero_at_map_key(aero_value key) { return step(AERO_CTX_MAP_KEY, key); }
AERO_API aero_ctx aero_at_map_key_str(const char *key) { return step(AERO_CTX_MAP_KEY, aero_str(key)); }
AERO_API aero_ctx aero_at_map_key_int(int64_t key) { return step(AERO_CTX_MAP_KEY, aero_int(key)); }
AERO_API aero_ctx aero_at_map_key_create(aero_value key, aero_map_order order) {
    return step((uint16_t)(AERO_CTX_MAP_KEY | aero_op__map_create_flag(order)), key);
}
AERO_API aero_ctx aero_at_map_value(aero_value v) { return step(AERO_CTX_MAP_VALUE, v); }

uint16_t aero_op__map_create_flag(aero_map_order order) {
    switch (order) {
    case AERO_MAP_KEY_ORDERED: return AERO_CDT_CTX_CREATE_MAP_K_ORDERED;
    case AERO_MAP_KEY_VALUE_ORDERED: return AERO_CDT_CTX_CREATE_MAP_KV_ORDERED;
    default: return AERO_CDT_CTX_CREATE_MAP_UNORDERED;
    }
}

AERO_API aero_path *aero_path_fill(aero_path *p, const char *bin, const aero_ctx *steps, size_t n) {
    if (!p)
        return p;
    memset(p->bin, 0, sizeof p->bin);
    p->n = 0;
    size_t len = bin ? strnlen(bin, AERO_BIN_NAME_MAX + 1) : 0;
    if (len == 0 || len > AERO_BIN_NAME_MAX) {
        p->n = AERO_OP__PATH_BAD_BIN;
        return p;
    }
    memcpy(p->bin, bin, len);
    if (n && !steps) {
        p->n = AERO_OP__PATH_TOO_DEEP;
        return p;
    }
    for (size_t i = 0; i < n; i++)
        aero_path_push(p, steps[i]);
    return p;
}

AERO_API aero_path aero_path_of(const char *bin) {
    aero_path p;
    memset(&p, 0, sizeof p);
    aero_path_fill(&p, bin, NULL, 0);
    return p;
}

AERO_API aero_path *aero_path_push(aero_path *p, aero_ctx s) {
    if (!p || p->n > AERO_PATH_MAX)
        return p;
    if (p->n == AERO_PATH_MAX) {
        p->n = AERO_OP__PATH_TOO_DEEP;
        return p;
    }
    p->step[p->n++] = s;
    return p;
}

/* "$.name" with nothing after the name: the bin alone (parse_ctx wants a context). */
static bool bare_bin(const char *ael, aero_path *out) {
    const char *s = ael;
    while (*s == ' ' || *s == '\t')
        s++;
    if (s[0] != '$' || s[1] != '.')
        return false;
    s += 2;
    const char *b = s;
    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')
        s++;
    size_t len = (size_t)(s - b);
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    if (*s || len == 0 || len > AERO_BIN_NAME_MAX)
        return false;
    memset(out, 0, sizeof *out);
    memcpy(out->bin, b, len);
    return true;
}

/* One packed step value back into an aero_value; strings point into the AEL text. */
static aero_status read_step_value(aero_mp_reader *r, const char **cursor, aero_value *v) {
    if (r->p < r->end && (*r->p & 0xe0) != 0xa0 && *r->p != 0xd9 && *r->p != 0xda && *r->p != 0xdb) {
        int64_t i;
        if (aero_mp__read_int(r, &i) != AERO_OK)
            return AERO_ERR_AEL;
        *v = aero_int(i);
        return AERO_OK;
    }
    const uint8_t *p;
    uint32_t n;
    if (aero_mp__read_str(r, &p, &n) != AERO_OK || n < 1)
        return AERO_ERR_AEL;
    /* the key as written in the text: search from after the previous one */
    const char *hit = NULL;
    size_t left = strlen(*cursor);
    for (const char *s = *cursor; !hit && left >= n - 1; s++, left--)
        if (memcmp(s, p + 1, n - 1) == 0)
            hit = s;
    if (!hit)
        return AERO_ERR_AEL; /* escaped in the text: not a substring of it */
    *v = aero_strn(hit, n - 1);
    *cursor = hit + (n - 1);
    return AERO_OK;
}

static aero_status unpack_steps(aero_path *out, const uint8_t *ctx, size_t len, const char *ael, aero_error *err) {
    aero_mp_reader r = { ctx, ctx + len };
    uint32_t n;
    if (aero_mp__read_array_header(&r, &n) != AERO_OK || n % 2)
        return aero_err__set(err, AERO_ERR_AEL, "1:1: path could not be read back");
    if (n / 2 > AERO_PATH_MAX)
        return aero_err__set(err, AERO_ERR_AEL, "1:1: path has %u steps, more than %d", n / 2, AERO_PATH_MAX);
    const char *cursor = ael;
    for (uint32_t i = 0; i < n / 2; i++) {
        int64_t type;
        aero_value v;
        if (aero_mp__read_int(&r, &type) != AERO_OK || read_step_value(&r, &cursor, &v) != AERO_OK)
            return aero_err__set(err, AERO_ERR_AEL, "1:1: path step %u: a key with escapes cannot be a path step",
                                 i + 1);
        out->step[out->n++] = step((uint16_t)type, v);
    }
    return AERO_OK;
}

AERO_API aero_status aero_path_parse(aero_path *out, const char *ael, aero_error *err) {
    if (!out || !ael)
        return aero_err__set(err, AERO_ERR_PARAM, "aero_path_parse: %s is NULL", !out ? "out" : "ael");
    memset(out, 0, sizeof *out);
    if (bare_bin(ael, out)) {
        aero_err__reset(err);
        return AERO_OK;
    }
    char bin[64];
    uint8_t *ctx = NULL;
    size_t len = 0;
    aero_status st = aero_ael_parse_ctx(ael, bin, sizeof bin, &ctx, &len, err);
    if (st != AERO_OK)
        return st;
    size_t blen = strlen(bin);
    if (blen == 0 || blen > AERO_BIN_NAME_MAX)
        st = aero_err__set(err, AERO_ERR_AEL, "1:3: bin name '%s' is longer than 15 bytes", bin);
    else {
        memcpy(out->bin, bin, blen);
        st = unpack_steps(out, ctx, len, ael, err);
    }
    free(ctx);
    if (st != AERO_OK)
        memset(out, 0, sizeof *out);
    else
        aero_err__reset(err);
    return st;
}
