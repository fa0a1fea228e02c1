/*
 * write.c - the single-key write builder (SDK WriteSegmentBuilder).
 *
 * Bin operations are encoded into the builder's op buffer as they are added,
 * so values need not outlive the call. The first misuse is remembered and
 * reported by execute, before anything is sent. Builders are recycled through
 * a per-client free list, so steady traffic does not allocate.
 */
#include <aero/write.h>

#include <stdlib.h>
#include <string.h>

#include "cmd_key.h"
#include "command.h"
#include "filter.h"
#include "internal.h"
#include "op_internal.h"
#include "proto/exp_ops.h"
#include "proto/msgpack.h"
#include "proto/wire.h"
#include "record_buf.h"
#include "record_decode.h"
#include "write_internal.h"
#include "write_row.h"

enum verb { V_UPSERT, V_INSERT, V_UPDATE, V_REPLACE, V_REPLACE_IF_EXISTS, V_DELETE, V_TOUCH };

#define OPS_INLINE      512
#define REQ_INLINE      1024
#define FILTER_INLINE   128
#define MAX_FREE_WRITES 64

struct aero_write {
    aero_session *s;
    aero_key key;
    enum verb verb;
    aero_misuse bad; /* first misuse, reported at execute */
    aero_buf ops;
    aero_msg_header oph; /* counts ops */
    bool has_read, has_write, respond_all, write_once, record_op;
    bool ttl_set, gen_set, fail_on_filtered;
    bool in_batch;  /* a row of a batch builder: the batch runs it */
    int8_t durable; /* -1: behavior decides */
    int8_t send_key; /* -1: the behavior's */
    uint32_t ttl, gen;
    aero_filter filter; /* where() */
    aero_buf req;
    struct aero_write *next_free;
    uint8_t ops_store[OPS_INLINE];
    uint8_t filter_store[FILTER_INLINE];
    uint8_t req_store[REQ_INLINE];
};

#define misuse(w, ...) aero_misuse__set(&(w)->bad, __VA_ARGS__)

static aero_write *acquire(aero_session *s) {
    aero_client *c = s->client;
    aero_write *w = NULL;
    aero_lock__acquire(&c->free_lock);
    if (c->free_writes) {
        w = c->free_writes;
        c->free_writes = w->next_free;
        c->n_free_writes--;
    }
    aero_lock__release(&c->free_lock);
    if (!w) {
        w = malloc(sizeof *w);
        if (!w)
            return NULL;
        aero_buf__init(&w->ops, w->ops_store, sizeof w->ops_store);
        aero_filter__init(&w->filter, w->filter_store, sizeof w->filter_store);
        aero_buf__init(&w->req, w->req_store, sizeof w->req_store);
    }
    aero_buf__reset(&w->ops);
    aero_filter__clear(&w->filter);
    aero_buf__reset(&w->req);
    w->s = s;
    w->bad.code = AERO_OK;
    w->bad.msg[0] = '\0';
    memset(&w->oph, 0, sizeof w->oph);
    w->has_read = w->has_write = w->respond_all = w->write_once = w->record_op = false;
    w->ttl_set = w->gen_set = w->fail_on_filtered = w->in_batch = false;
    w->durable = w->send_key = -1;
    w->ttl = w->gen = 0;
    w->next_free = NULL;
    return w;
}

static void release(aero_write *w) {
    aero_client *c = w->s->client;
    /* Buffers that grew onto the heap keep their size: that is the point of recycling. */
    aero_lock__acquire(&c->free_lock);
    if (c->n_free_writes < MAX_FREE_WRITES) {
        w->next_free = c->free_writes;
        c->free_writes = w;
        c->n_free_writes++;
        w = NULL;
    }
    aero_lock__release(&c->free_lock);
    if (w) {
        aero_buf__free(&w->ops);
        aero_filter__free(&w->filter);
        aero_buf__free(&w->req);
        free(w);
    }
}

void aero_write__free_list(aero_client *c) {
    aero_write *w = c->free_writes;
    while (w) {
        aero_write *next = w->next_free;
        aero_buf__free(&w->ops);
        aero_filter__free(&w->filter);
        aero_buf__free(&w->req);
        free(w);
        w = next;
    }
    c->free_writes = NULL;
    c->n_free_writes = 0;
}

static aero_write *start(aero_session *s, const aero_key *key, enum verb v) {
    if (!s)
        return NULL;
    aero_write *w = acquire(s);
    if (!w)
        return NULL;
    w->verb = v;
    if (key)
        w->key = *key;
    else {
        memset(&w->key, 0, sizeof w->key);
        w->key.invalid = "key is NULL";
    }
    return w;
}

AERO_API aero_write *aero_session_upsert(aero_session *s, const aero_key *k) { return start(s, k, V_UPSERT); }
AERO_API aero_write *aero_session_insert(aero_session *s, const aero_key *k) { return start(s, k, V_INSERT); }
AERO_API aero_write *aero_session_update(aero_session *s, const aero_key *k) { return start(s, k, V_UPDATE); }
AERO_API aero_write *aero_session_replace(aero_session *s, const aero_key *k) { return start(s, k, V_REPLACE); }
AERO_API aero_write *aero_session_replace_if_exists(aero_session *s, const aero_key *k) {
    return start(s, k, V_REPLACE_IF_EXISTS);
}
AERO_API aero_write *aero_session_delete(aero_session *s, const aero_key *k) { return start(s, k, V_DELETE); }
AERO_API aero_write *aero_session_touch(aero_session *s, const aero_key *k) { return start(s, k, V_TOUCH); }

/* Validate a bin name; false (and misuse recorded) if unusable. */
static bool bin_ok(aero_write *w, const char *bin, size_t *len) {
    if (!bin) {
        misuse(w, AERO_ERR_PARAM, "bin name is NULL");
        return false;
    }
    size_t n = strnlen(bin, AERO_BIN_NAME_MAX + 1);
    if (n == 0) {
        misuse(w, AERO_ERR_PARAM, "bin name is empty");
        return false;
    }
    if (n > AERO_BIN_NAME_MAX) {
        misuse(w, AERO_ERR_PARAM, "bin name '%.20s...' is longer than 15 bytes", bin);
        return false;
    }
    *len = n;
    return true;
}

static aero_write *value_op(aero_write *w, uint8_t op, const char *bin, const aero_value *v, const char *what) {
    size_t n;
    if (!w || !bin_ok(w, bin, &n))
        return w;
    if (!v) {
        misuse(w, AERO_ERR_PARAM, "%s of bin '%s': value is NULL", what, bin);
        return w;
    }
    size_t flat = v->type == AERO_STR || v->type == AERO_GEOJSON ? v->v.str.len
                  : v->type == AERO_BLOB || v->type == AERO_HLL  ? v->v.bytes.len
                                                                 : 0;
    if (flat > AERO_PROTO_SIZE_MAX - 1024) {
        misuse(w, AERO_ERR_PARAM, "%s of bin '%s': value of %zu bytes is over the 128 MiB protocol limit", what, bin,
               flat);
        return w;
    }
    if (aero_msg__op_value(&w->ops, &w->oph, op, bin, n, v) != AERO_OK)
        misuse(w, AERO_ERR_PARAM, "%s of bin '%s': a %s value cannot be stored", what, bin, aero_type_str(v->type));
    else if (w->ops.failed)
        misuse(w, AERO_ERR_PARAM, "%s of bin '%s': the operations exceed the 128 MiB protocol limit", what, bin);
    w->has_write = true;
    return w;
}

aero_buf *aero_write__bin_open(aero_write *w, const char *bin, uint8_t ptype, size_t *at) {
    size_t n;
    if (!w || !bin_ok(w, bin, &n))
        return NULL;
    *at = w->ops.len;
    aero_msg__op(&w->ops, &w->oph, AERO_MSG_OP_WRITE, ptype, bin, n, NULL, 0);
    if (w->ops.failed) {
        misuse(w, AERO_ERR_PARAM, "set of bin '%s': the operations exceed the 128 MiB protocol limit", bin);
        return NULL;
    }
    return &w->ops;
}

void aero_write__bin_close(aero_write *w, size_t at, bool ok) {
    if (!ok) {
        w->ops.len = at;
        w->ops.failed = false;
        w->oph.n_ops--;
        return;
    }
    if (w->ops.failed || w->ops.len - at - 4 > AERO_PROTO_SIZE_MAX) {
        misuse(w, AERO_ERR_PARAM, "a bin value exceeds the 128 MiB protocol limit");
        return;
    }
    aero_set_u32be(w->ops.data + at, (uint32_t)(w->ops.len - at - 4));
    w->has_write = true;
}

AERO_API aero_write *aero_write_bin_set(aero_write *w, const char *bin, const aero_value *v) {
    return value_op(w, AERO_MSG_OP_WRITE, bin, v, "set");
}
AERO_API aero_write *aero_write_bin_set_int(aero_write *w, const char *bin, int64_t v) {
    aero_value x = aero_int(v);
    return value_op(w, AERO_MSG_OP_WRITE, bin, &x, "set");
}
AERO_API aero_write *aero_write_bin_set_double(aero_write *w, const char *bin, double v) {
    aero_value x = aero_double(v);
    return value_op(w, AERO_MSG_OP_WRITE, bin, &x, "set");
}
AERO_API aero_write *aero_write_bin_set_str(aero_write *w, const char *bin, const char *v) {
    if (w && !v) {
        misuse(w, AERO_ERR_PARAM, "set of bin '%s': string is NULL (use aero_write_bin_remove to delete a bin)",
               bin ? bin : "(null)");
        return w;
    }
    aero_value x = aero_str(v);
    return value_op(w, AERO_MSG_OP_WRITE, bin, &x, "set");
}
AERO_API aero_write *aero_write_bin_set_strn(aero_write *w, const char *bin, const char *v, size_t len) {
    if (w && !v && len) {
        misuse(w, AERO_ERR_PARAM, "set of bin '%s': string is NULL", bin ? bin : "(null)");
        return w;
    }
    aero_value x = aero_strn(v ? v : "", len);
    return value_op(w, AERO_MSG_OP_WRITE, bin, &x, "set");
}
AERO_API aero_write *aero_write_bin_set_blob(aero_write *w, const char *bin, const void *v, size_t len) {
    if (w && !v && len) {
        misuse(w, AERO_ERR_PARAM, "set of bin '%s': blob is NULL", bin ? bin : "(null)");
        return w;
    }
    aero_value x = aero_blob(v, len);
    return value_op(w, AERO_MSG_OP_WRITE, bin, &x, "set");
}
AERO_API aero_write *aero_write_bin_set_bool(aero_write *w, const char *bin, bool v) {
    aero_value x = aero_bool(v);
    return value_op(w, AERO_MSG_OP_WRITE, bin, &x, "set");
}
AERO_API aero_write *aero_write_bin_set_geojson(aero_write *w, const char *bin, const char *json) {
    if (w && !json) {
        misuse(w, AERO_ERR_PARAM, "set of bin '%s': GeoJSON text is NULL", bin ? bin : "(null)");
        return w;
    }
    aero_value x = aero_geojson(json);
    return value_op(w, AERO_MSG_OP_WRITE, bin, &x, "set");
}
AERO_API aero_write *aero_write_bin_increment_int(aero_write *w, const char *bin, int64_t by) {
    aero_value x = aero_int(by);
    if (w)
        w->write_once = true;
    return value_op(w, AERO_MSG_OP_INCR, bin, &x, "increment");
}
AERO_API aero_write *aero_write_bin_increment_double(aero_write *w, const char *bin, double by) {
    aero_value x = aero_double(by);
    if (w)
        w->write_once = true;
    return value_op(w, AERO_MSG_OP_INCR, bin, &x, "increment");
}

static aero_write *concat(aero_write *w, uint8_t op, const char *bin, aero_value x, bool null, const char *what) {
    if (w && null) {
        misuse(w, AERO_ERR_PARAM, "%s to bin '%s': value is NULL", what, bin ? bin : "(null)");
        return w;
    }
    if (w)
        w->write_once = true;
    return value_op(w, op, bin, &x, what);
}
AERO_API aero_write *aero_write_bin_append_str(aero_write *w, const char *bin, const char *v) {
    return concat(w, AERO_MSG_OP_APPEND, bin, aero_str(v), !v, "append");
}
AERO_API aero_write *aero_write_bin_prepend_str(aero_write *w, const char *bin, const char *v) {
    return concat(w, AERO_MSG_OP_PREPEND, bin, aero_str(v), !v, "prepend");
}
AERO_API aero_write *aero_write_bin_append_blob(aero_write *w, const char *bin, const void *v, size_t len) {
    return concat(w, AERO_MSG_OP_APPEND, bin, aero_blob(v, len), !v && len, "append");
}
AERO_API aero_write *aero_write_bin_prepend_blob(aero_write *w, const char *bin, const void *v, size_t len) {
    return concat(w, AERO_MSG_OP_PREPEND, bin, aero_blob(v, len), !v && len, "prepend");
}
AERO_API aero_write *aero_write_bin_remove(aero_write *w, const char *bin) {
    aero_value x = aero_nil();
    return value_op(w, AERO_MSG_OP_WRITE, bin, &x, "remove");
}
AERO_API aero_write *aero_write_bin_get(aero_write *w, const char *bin) {
    size_t n;
    if (!w || !bin_ok(w, bin, &n))
        return w;
    aero_msg__op(&w->ops, &w->oph, AERO_MSG_OP_READ, AERO_PT_NULL, bin, n, NULL, 0);
    w->has_read = true;
    return w;
}
AERO_API aero_write *aero_write_put(aero_write *w, const aero_bin_value *bins, size_t n) {
    if (w && !bins && n) {
        misuse(w, AERO_ERR_PARAM, "put: bins array is NULL");
        return w;
    }
    for (size_t i = 0; w && i < n; i++)
        value_op(w, AERO_MSG_OP_WRITE, bins[i].name, &bins[i].value, "put");
    return w;
}
AERO_API aero_write *aero_write_delete_record(aero_write *w) {
    if (!w)
        return w;
    aero_msg__op(&w->ops, &w->oph, AERO_MSG_OP_DELETE, AERO_PT_NULL, "", 0, NULL, 0);
    w->has_write = w->record_op = true;
    return w;
}
AERO_API aero_write *aero_write_touch_record(aero_write *w) {
    if (!w)
        return w;
    aero_msg__op(&w->ops, &w->oph, AERO_MSG_OP_TOUCH, AERO_PT_NULL, "", 0, NULL, 0);
    w->has_write = w->record_op = true;
    return w;
}

AERO_API aero_write *aero_write_op(aero_write *w, aero_op op) {
    if (!w)
        return w;
    char msg[160];
    aero_status st = aero_op__encode(&w->ops, &w->oph, &op, msg, sizeof msg);
    if (st != AERO_OK) {
        misuse(w, st, "%s", msg);
        return w;
    }
    /* one result per op, so several ops on one bin each answer in order */
    w->respond_all = true;
    if (aero_op_is_write(op))
        w->has_write = w->write_once = true;
    else
        w->has_read = true;
    return w;
}

/* Expression ops: value is [<expr bytes>, flags] (protocol.md 8.6). */
static aero_write *exp_op(aero_write *w, uint8_t op, const char *bin, const char *ael, const aero_expr *e,
                          unsigned flags) {
    size_t n;
    if (!w || !bin_ok(w, bin, &n))
        return w;
    char msg[160];
    aero_status st = aero_expop__append(&w->ops, &w->oph, op, bin, n, ael, e, flags, msg, sizeof msg);
    if (st != AERO_OK)
        misuse(w, st, "%s", msg);
    w->respond_all = true;
    if (op == AERO_MSG_OP_EXP_READ)
        w->has_read = true;
    else
        w->has_write = w->write_once = true;
    return w;
}
AERO_API aero_write *aero_write_select_from(aero_write *w, const char *bin, const char *ael, unsigned flags) {
    return exp_op(w, AERO_MSG_OP_EXP_READ, bin, ael, NULL, flags & AERO_EXP_IGNORE_EVAL_FAILURE);
}
AERO_API aero_write *aero_write_insert_from(aero_write *w, const char *bin, const char *ael, unsigned flags) {
    return exp_op(w, AERO_MSG_OP_EXP_MODIFY, bin, ael, NULL, AERO_EXP_WRITE_CREATE_ONLY | flags);
}
AERO_API aero_write *aero_write_update_from(aero_write *w, const char *bin, const char *ael, unsigned flags) {
    return exp_op(w, AERO_MSG_OP_EXP_MODIFY, bin, ael, NULL, AERO_EXP_WRITE_UPDATE_ONLY | flags);
}
AERO_API aero_write *aero_write_upsert_from(aero_write *w, const char *bin, const char *ael, unsigned flags) {
    return exp_op(w, AERO_MSG_OP_EXP_MODIFY, bin, ael, NULL, flags);
}
AERO_API aero_write *aero_write_select_from_expr(aero_write *w, const char *bin, const aero_expr *e, unsigned flags) {
    return exp_op(w, AERO_MSG_OP_EXP_READ, bin, NULL, e, flags & AERO_EXP_IGNORE_EVAL_FAILURE);
}
AERO_API aero_write *aero_write_insert_from_expr(aero_write *w, const char *bin, const aero_expr *e, unsigned flags) {
    return exp_op(w, AERO_MSG_OP_EXP_MODIFY, bin, NULL, e, AERO_EXP_WRITE_CREATE_ONLY | flags);
}
AERO_API aero_write *aero_write_update_from_expr(aero_write *w, const char *bin, const aero_expr *e, unsigned flags) {
    return exp_op(w, AERO_MSG_OP_EXP_MODIFY, bin, NULL, e, AERO_EXP_WRITE_UPDATE_ONLY | flags);
}
AERO_API aero_write *aero_write_upsert_from_expr(aero_write *w, const char *bin, const aero_expr *e, unsigned flags) {
    return exp_op(w, AERO_MSG_OP_EXP_MODIFY, bin, NULL, e, flags);
}

/* Record a where() failure as the builder's misuse. */
static aero_write *filtered(aero_write *w, aero_status st, const char *msg) {
    if (st != AERO_OK)
        misuse(w, st, "%s", msg);
    return w;
}

AERO_API aero_write *aero_write_where(aero_write *w, const char *ael) {
    char msg[160];
    return w ? filtered(w, aero_filter__set_ael(&w->filter, ael, msg, sizeof msg), msg) : w;
}
AERO_API aero_write *aero_write_where_expr(aero_write *w, const aero_expr *e) {
    char msg[160];
    return w ? filtered(w, aero_filter__set_expr(&w->filter, e, msg, sizeof msg), msg) : w;
}
AERO_API aero_write *aero_write_where_bytes(aero_write *w, const uint8_t *bytes, size_t len) {
    char msg[160];
    return w ? filtered(w, aero_filter__set_bytes(&w->filter, bytes, len, msg, sizeof msg), msg) : w;
}
AERO_API aero_write *aero_write_fail_on_filtered_out(aero_write *w) {
    if (w)
        w->fail_on_filtered = true;
    return w;
}
static aero_write *set_ttl(aero_write *w, uint32_t ttl) {
    if (w) {
        w->ttl = ttl;
        w->ttl_set = true;
    }
    return w;
}
AERO_API aero_write *aero_write_expire_after_seconds(aero_write *w, uint32_t seconds) {
    if (w && (seconds == 0 || seconds > AERO_TTL_MAX)) {
        misuse(w, AERO_ERR_PARAM, "expire_after_seconds: %u is outside 1..%u", seconds, AERO_TTL_MAX);
        return w;
    }
    return set_ttl(w, seconds);
}
AERO_API aero_write *aero_write_never_expire(aero_write *w) { return set_ttl(w, AERO_TTL_NEVER_EXPIRE); }
AERO_API aero_write *aero_write_with_no_change_in_expiration(aero_write *w) { return set_ttl(w, AERO_TTL_DONT_UPDATE); }
AERO_API aero_write *aero_write_expiry_from_server_default(aero_write *w) {
    return set_ttl(w, AERO_TTL_SERVER_DEFAULT);
}
AERO_API aero_write *aero_write_ensure_generation_is(aero_write *w, uint32_t gen) {
    if (w && gen == 0) {
        misuse(w, AERO_ERR_PARAM, "ensure_generation_is: generation must be > 0");
        return w;
    }
    if (w) {
        w->gen = gen;
        w->gen_set = true;
    }
    return w;
}
AERO_API aero_write *aero_write_durable_delete(aero_write *w, bool on) {
    if (w)
        w->durable = on ? 1 : 0;
    return w;
}

AERO_API aero_write *aero_write_send_key(aero_write *w, bool on) {
    if (w)
        w->send_key = on ? 1 : 0;
    return w;
}

void aero_write__respond_all_ops(aero_write *w) {
    if (w)
        w->respond_all = true;
}

AERO_API void aero_write_abandon(aero_write *w) {
    if (w)
        release(w);
}

/* Compose the AS_MSG header: flags, generation, TTL (shared by single-key writes and batch rows). */
/* Inlined into execute (the put path) and write__row (batch rows). */
static inline __attribute__((always_inline)) aero_status header(aero_write *w, const aero_policy *p,
                                                                aero_msg_header *hp, aero_error *err) {
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    bool durable = w->durable < 0 ? p->durable_delete : w->durable > 0;
    switch (w->verb) {
    case V_DELETE:
        if (w->oph.n_ops)
            return aero_err__set(err, AERO_ERR_PARAM, "delete takes no bin operations");
        h.info2 = AERO_INFO2_WRITE | AERO_INFO2_DELETE | (durable ? AERO_INFO2_DURABLE_DELETE : 0);
        break;
    case V_TOUCH:
        if (w->oph.n_ops)
            return aero_err__set(err, AERO_ERR_PARAM, "touch takes no bin operations (use touch_record() in a write)");
        aero_msg__op(&w->ops, &w->oph, AERO_MSG_OP_TOUCH, AERO_PT_NULL, "", 0, NULL, 0);
        h.info2 = AERO_INFO2_WRITE;
        break;
    default:
        if (!w->oph.n_ops)
            return aero_err__set(err, AERO_ERR_PARAM, "write has no bin operations");
        if (w->has_write)
            h.info2 = AERO_INFO2_WRITE;
        if (w->verb == V_INSERT)
            h.info2 |= AERO_INFO2_CREATE_ONLY;
        if (w->verb == V_UPDATE)
            h.info3 |= AERO_INFO3_UPDATE_ONLY;
        if (w->verb == V_REPLACE)
            h.info3 |= AERO_INFO3_CREATE_OR_REPLACE;
        if (w->verb == V_REPLACE_IF_EXISTS)
            h.info3 |= AERO_INFO3_REPLACE_ONLY;
        if (durable && w->record_op)
            h.info2 |= AERO_INFO2_DURABLE_DELETE;
        break;
    }
    if (w->has_read)
        h.info1 |= AERO_INFO1_READ;
    if (w->has_write || w->verb == V_DELETE || w->verb == V_TOUCH) {
        h.info3 |= aero_cmd__write_info3(p);
    } else { /* a read-only operate reads as a read does */
        h.info1 |= aero_cmd__read_info1(p);
        h.info3 |= aero_cmd__read_info3(p);
    }
    if (w->respond_all)
        h.info2 |= AERO_INFO2_RESPOND_ALL_OPS;
    if (w->gen_set) {
        h.info2 |= AERO_INFO2_GENERATION;
        h.generation = w->gen;
    }
    h.record_ttl = w->ttl_set ? w->ttl : 0;
    if (!w->has_write && w->verb != V_DELETE && w->verb != V_TOUCH)
        h.record_ttl = (uint32_t)p->read_touch_ttl_percent; /* read-only operate */
    h.transaction_ttl = aero_cmd__server_timeout(p);
    *hp = h;
    return AERO_OK;
}

/* Assemble the request. */
static aero_status build(aero_write *w, const aero_policy *p, aero_error *err) {
    aero_msg_header h;
    aero_status hs = header(w, p, &h, err);
    if (hs != AERO_OK)
        return hs;
    aero_buf__reset(&w->req);
    size_t start = aero_msg__begin(&w->req);
    bool send_key = (w->send_key < 0 ? p->send_key : w->send_key > 0) && w->verb != V_DELETE;
    aero_cmd__key_fields(&w->req, &h, &w->key, send_key);
    if (w->filter.ptr)
        aero_msg__field(&w->req, &h, AERO_FIELD_FILTER, w->filter.ptr, w->filter.len);
    aero_buf__put(&w->req, w->ops.data, w->ops.len);
    h.n_ops = w->oph.n_ops;
    aero_status st = aero_msg__end(&w->req, start, &h);
    if (st != AERO_OK || w->ops.failed)
        return aero_err__set(err, st ? st : AERO_ERR_NO_MEMORY,
                             "request could not be built (too large or out of memory)");
    return AERO_OK;
}

aero_status aero_write__row(aero_write *w, const aero_policy *p, aero_write_row *out, aero_error *err) {
    aero_status st = aero_cmd__check_key(&w->key, err);
    if (st == AERO_OK && w->bad.code)
        st = aero_err__set(err, w->bad.code, "%s", w->bad.msg);
    if (st == AERO_OK)
        st = header(w, p, &out->h, err);
    if (st != AERO_OK)
        return st;
    out->h.n_ops = w->oph.n_ops;
    out->key = &w->key;
    out->ops = w->ops.data;
    out->ops_len = w->ops.len;
    out->filter = w->filter.ptr;
    out->filter_len = w->filter.ptr ? w->filter.len : 0;
    out->send_key = (w->send_key < 0 ? p->send_key : w->send_key > 0) && w->verb != V_DELETE;
    out->is_write = w->has_write || w->verb == V_DELETE || w->verb == V_TOUCH;
    out->write_once = w->write_once;
    out->fail_on_filtered = w->fail_on_filtered;
    out->quiet_not_found = w->verb == V_DELETE || w->verb == V_TOUCH;
    return w->ops.failed ? aero_err__set(err, AERO_ERR_NO_MEMORY, "operations could not be encoded") : AERO_OK;
}

void aero_write__mark_batch_row(aero_write *w) { w->in_batch = true; }

void aero_write__fail(aero_write *w, aero_status code, const char *msg) {
    if (w)
        misuse(w, code, "%s", msg);
}

static const char *verb_name(enum verb v) {
    static const char *names[] = { "upsert", "insert", "update", "replace", "replace_if_exists", "delete", "touch" };
    return names[v];
}

AERO_API aero_status aero_write_execute(aero_write *w, aero_record *out, aero_error *err) {
    aero_err__reset(err);
    if (!w)
        return aero_err__set(err, AERO_ERR_PARAM, "write builder is NULL (session NULL or out of memory)");
    if (w->in_batch)
        return aero_err__set(err, AERO_ERR_PARAM, "this write is a row of a batch: run it with aero_batch_execute()");
    aero_status st = aero_cmd__check_key(&w->key, err);
    if (st == AERO_OK && w->bad.code)
        st = aero_err__set(err, w->bad.code, "%s: %s", verb_name(w->verb), w->bad.msg);
    const aero_policy *p = &w->s->write_point;
    if (st == AERO_OK)
        st = build(w, p, err);
    if (st != AERO_OK) {
        release(w);
        return st;
    }

    uint8_t small[256];
    aero_buf resp;
    if (out)
        resp = aero_record__take_buf(out);
    else
        aero_buf__init(&resp, small, sizeof small);
    aero_cmd cmd = { .session = w->s,
                     .policy = p,
                     .key = &w->key,
                     .kind = w->write_once ? AERO_CMD_WRITE_ONCE : AERO_CMD_WRITE_IDEMPOTENT,
                     .req = w->req.data,
                     .req_len = w->req.len,
                     .resp = &resp };
    if (!w->has_write && w->verb != V_DELETE && w->verb != V_TOUCH)
        cmd.kind = AERO_CMD_READ;
    st = aero_cmd__execute(&cmd, err);
    if (st == AERO_OK) {
        int rc = cmd.msg.h.result_code;
        if (out) {
            st = aero_record__decode(out, &cmd.msg, err);
            out->key = w->key;
        }
        if (st == AERO_OK && rc != AERO_OK) {
            bool quiet = (rc == AERO_ERR_KEY_NOT_FOUND && (w->verb == V_DELETE || w->verb == V_TOUCH)) ||
                         (rc == AERO_ERR_FILTERED_OUT && !w->fail_on_filtered);
            if (!quiet) {
                st = aero_err__set(err, rc, "%s failed: %s", verb_name(w->verb), aero_status_str(rc));
            }
        }
    } else if (out) {
        aero_record__clear(out);
        out->result = st;
        out->in_doubt = err ? err->in_doubt : false;
    }
    if (out)
        aero_record__give_buf(out, &resp);
    else
        aero_buf__free(&resp);
    release(w);
    return st;
}
