/* filter.c - see filter.h. */
#include "filter.h"

#include <stdio.h>

#include "proto/msgpack.h"
#include "proto/wire.h"

void aero_filter__init(aero_filter *f, void *storage, size_t cap) {
    aero_buf__init(&f->copy, storage, cap);
    f->ptr = NULL;
    f->len = 0;
}

void aero_filter__clear(aero_filter *f) {
    aero_buf__reset(&f->copy);
    f->ptr = NULL;
    f->len = 0;
}

void aero_filter__free(aero_filter *f) {
    aero_buf__free(&f->copy);
    f->ptr = NULL;
    f->len = 0;
}

static aero_status copy_in(aero_filter *f, const uint8_t *b, size_t len, char *msg, size_t cap) {
    aero_buf__reset(&f->copy);
    aero_buf__put(&f->copy, b, len);
    if (f->copy.failed) {
        snprintf(msg, cap, "where: out of memory copying a %zu-byte filter", len);
        f->ptr = NULL;
        return AERO_ERR_NO_MEMORY;
    }
    f->ptr = f->copy.data;
    f->len = f->copy.len;
    return AERO_OK;
}

aero_status aero_filter__set_ael(aero_filter *f, const char *ael, char *msg, size_t cap) {
    if (!ael) {
        snprintf(msg, cap, "where: AEL text is NULL");
        return AERO_ERR_PARAM;
    }
    aero_error e;
    aero_expr *x = aero_ael_compile(ael, NULL, 0, &e);
    if (!x) {
        snprintf(msg, cap, "where: %s", e.message);
        return e.code ? e.code : AERO_ERR_AEL;
    }
    size_t len;
    const uint8_t *b = aero_expr_bytes(x, &len);
    aero_status st = copy_in(f, b, len, msg, cap);
    aero_expr_free(x);
    return st;
}

aero_status aero_filter__set_expr(aero_filter *f, const aero_expr *e, char *msg, size_t cap) {
    if (!e) {
        snprintf(msg, cap, "where: expression is NULL");
        return AERO_ERR_PARAM;
    }
    size_t len;
    const uint8_t *b = aero_expr_bytes(e, &len);
    return copy_in(f, b, len, msg, cap);
}

aero_status aero_filter__set_bytes(aero_filter *f, const uint8_t *bytes, size_t len, char *msg, size_t cap) {
    if (!bytes || !len) {
        snprintf(msg, cap, "where: expression bytes are empty");
        return AERO_ERR_PARAM;
    }
    f->ptr = bytes;
    f->len = len;
    return AERO_OK;
}

aero_status aero_expop__append(aero_buf *ops, aero_msg_header *h, uint8_t op, const char *bin, size_t bin_len,
                               const char *ael, const aero_expr *expr, unsigned flags, char *msg, size_t cap) {
    if (!ael && !expr) {
        snprintf(msg, cap, "expression for bin '%s' is NULL", bin);
        return AERO_ERR_PARAM;
    }
    aero_error e;
    aero_expr *x = NULL;
    if (!expr && !(expr = x = aero_ael_compile(ael, NULL, 0, &e))) {
        snprintf(msg, cap, "expression for bin '%s': %s", bin, e.message);
        return e.code ? e.code : AERO_ERR_AEL;
    }
    size_t len;
    const uint8_t *bytes = aero_expr_bytes(expr, &len);
    uint8_t tmp[64];
    aero_buf v;
    aero_buf__init(&v, tmp, sizeof tmp);
    aero_mp__pack_array_header(&v, 2);
    aero_buf__put(&v, bytes, len);
    aero_mp__pack_uint(&v, flags);
    aero_status st = AERO_OK;
    if (v.failed) {
        snprintf(msg, cap, "out of memory encoding an expression");
        st = AERO_ERR_NO_MEMORY;
    } else
        aero_msg__op(ops, h, op, AERO_PT_BLOB, bin, bin_len, v.data, v.len);
    aero_buf__free(&v);
    aero_expr_free(x);
    return st;
}
