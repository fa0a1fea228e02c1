/*
 * typed_ops.c - typed operations and typed write options (aero/schema_ops.h).
 *
 * The typed operate is a write builder (write.c) plus a list of sinks: for
 * each op that has an output, its position among the ops and where its result
 * goes. The builder asks the server for one result per op (respond-all-ops),
 * so after the answer result i of the holder is op i's, whatever mix of
 * writes and reads came before it; each sink then decodes its result into
 * the caller's C value. Elements going out are C values converted to
 * aero_value on the stack (scalars) or through the typed codec (lists, maps,
 * documents) and encoded by the write builder at once, so nothing the caller
 * passed must outlive the call.
 */
#include "client.h"
#include "internal.h"
#include "proto/arena.h"
#include "record_decode.h"
#include "typed_internal.h"
#include "write_row.h"

#include <aero/schema.h>
#include <aero/schema_ops.h>
#include <aero/write.h>

#include <stdlib.h>
#include <string.h>

/* ---- C values <-> aero_value ---- */

/* The C value at c as an aero_value (the typed codec; an arena, made on first need, holds collection items). */
static aero_status from_c(const aero_schema_tdesc *t, const void *c, aero_arena **arena, aero_value *out, char *msg,
                          size_t msg_size) {
    if (!t || !c) {
        snprintf(msg, msg_size, "NULL %s", t ? "value" : "type descriptor");
        return AERO_ERR_PARAM;
    }
    bool coll = t->type == AERO_SCHEMA_LIST || t->type == AERO_SCHEMA_MAP || t->type == AERO_SCHEMA_DOC;
    if (coll && !*arena && !(*arena = aero_arena__new())) {
        snprintf(msg, msg_size, "out of memory");
        return AERO_ERR_NO_MEMORY;
    }
    aero_error e;
    aero_status rc = aero_schema__value_from_c(t, c, *arena, out, &e);
    if (rc != AERO_OK)
        snprintf(msg, msg_size, "%.100s", e.message);
    return rc;
}

/* Zero value of type t at out (nil results). */
static void zero(const aero_schema_tdesc *t, void *out) {
    if (t)
        memset(out, 0, t->size);
    else
        *(aero_value *)out = aero_nil();
}

/* Result v into the C value at out (the typed codec; collection items from the holder's arena). */
static aero_status to_c(const aero_schema_tdesc *t, const aero_value *v, aero_record *holder, void *out, aero_error *e) {
    if (!t) {
        *(aero_value *)out = *v;
        return AERO_OK;
    }
    aero_arena *a = aero_record__arena(holder);
    if (!a)
        return aero_err__set(e, AERO_ERR_NO_MEMORY, "out of memory");
    return aero_schema__value_to_c(t, v, a, out, e);
}

/* ---- the builder ---- */

#define SINKS_INLINE 16

typedef struct sink {
    uint32_t pos; /* op position: index of its result */
    const aero_schema_tdesc *t;
    void *out;
    bool *found;
    char bin[AERO_BIN_NAME_MAX + 1];
} sink;

struct aero_schema_ops {
    aero_client *client; /* whose free list takes it back */
    struct aero_schema_ops *next_free;
    aero_write *w;
    const aero_schema_record *r;
    uint32_t n_ops;
    bool where_set;
    aero_misuse bad;     /* found here (conversions); the write keeps its own */
    aero_arena *scratch; /* values of nested elements being encoded; reset after each op */
    sink *sinks;
    uint32_t n_sinks, cap_sinks;
    sink inline_sinks[SINKS_INLINE];
};

#define misuse(o, ...) aero_misuse__set(&(o)->bad, __VA_ARGS__)

#define MAX_FREE_OPS 64 /* builders a client keeps for reuse */

static void release(aero_schema_ops *o);

AERO_API aero_schema_ops *aero_schema_ops_start(aero_session *s, const aero_schema_record *r, aero_schema_op verb,
                                                const aero_key *key) {
    if (!s || !r)
        return NULL;
    aero_client *c = s->client;
    aero_schema_ops *o = NULL;
    aero_lock__acquire(&c->free_lock);
    if (c->free_ops) {
        o = c->free_ops;
        c->free_ops = o->next_free;
        c->n_free_ops--;
    }
    aero_lock__release(&c->free_lock);
    if (!o) {
        if (!(o = malloc(sizeof *o)))
            return NULL;
        o->scratch = NULL;
        o->sinks = o->inline_sinks;
        o->cap_sinks = SINKS_INLINE;
    }
    o->client = c;
    o->w = aero_schema__start_write(s, verb, key);
    if (!o->w) {
        release(o);
        return NULL;
    }
    aero_write__respond_all_ops(o->w);
    o->r = r;
    o->n_ops = 0;
    o->where_set = false;
    o->bad.code = AERO_OK;
    o->bad.msg[0] = '\0';
    o->n_sinks = 0;
    return o;
}

static void destroy(aero_schema_ops *o) {
    if (o->sinks != o->inline_sinks)
        free(o->sinks);
    aero_arena__free(o->scratch);
    free(o);
}

/* Back to the client's free list (sinks array and scratch arena kept, so a loop of operates allocates nothing), or
   freed when the list is full. */
static void release(aero_schema_ops *o) {
    aero_client *c = o->client;
    if (o->scratch)
        aero_arena__reset(o->scratch);
    aero_lock__acquire(&c->free_lock);
    if (c->n_free_ops < MAX_FREE_OPS) {
        o->next_free = c->free_ops;
        c->free_ops = o;
        c->n_free_ops++;
        o = NULL;
    }
    aero_lock__release(&c->free_lock);
    if (o)
        destroy(o);
}

void aero_schema__ops_free_list(aero_client *c) {
    while (c->free_ops) {
        aero_schema_ops *o = c->free_ops;
        c->free_ops = o->next_free;
        destroy(o);
    }
    c->n_free_ops = 0;
}

AERO_API void aero_schema_ops_abandon(aero_schema_ops *o) {
    if (!o)
        return;
    aero_write_abandon(o->w);
    release(o);
}

/* Register the output of the op just added (position o->n_ops - 1). */
static void add_sink(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *t, void *out, bool *found) {
    if (!out) {
        if (found)
            misuse(o, AERO_ERR_PARAM, "op %u on bin '%s': `found` given without `out`", (unsigned)o->n_ops - 1,
                   bin ? bin : "");
        return;
    }
    if (o->n_sinks == o->cap_sinks) {
        uint32_t cap = o->cap_sinks * 2;
        sink *n = malloc(cap * sizeof *n);
        if (!n) {
            misuse(o, AERO_ERR_NO_MEMORY, "out of memory");
            return;
        }
        memcpy(n, o->sinks, o->n_sinks * sizeof *n);
        if (o->sinks != o->inline_sinks)
            free(o->sinks);
        o->sinks = n;
        o->cap_sinks = cap;
    }
    sink *k = &o->sinks[o->n_sinks++];
    k->pos = o->n_ops - 1;
    k->t = t;
    k->out = out;
    k->found = found;
    snprintf(k->bin, sizeof k->bin, "%s", bin ? bin : "");
}

/* After an op was attached: count it, forget the scratch values. */
static aero_schema_ops *added(aero_schema_ops *o) {
    o->n_ops++;
    if (o->scratch)
        aero_arena__reset(o->scratch);
    return o;
}

/* One C value as an aero_value, or a misuse naming the op and bin. */
static bool value_of(aero_schema_ops *o, const char *what, const char *bin, const aero_schema_tdesc *t, const void *c,
                     aero_value *v) {
    char msg[128];
    aero_status rc = from_c(t, c, &o->scratch, v, msg, sizeof msg);
    if (rc == AERO_OK)
        return true;
    misuse(o, rc, "%s on bin '%s': %s", what, bin ? bin : "(null)", msg);
    return false;
}

static bool path_of(aero_schema_ops *o, const char *bin, aero_path *p) {
    *p = aero_path_of(bin);
    if (p->n <= AERO_PATH_MAX)
        return true;
    misuse(o, AERO_ERR_PARAM, "bad bin name '%.20s'", bin ? bin : "(null)");
    return false;
}

AERO_API aero_schema_ops *aero_schema_ops_op(aero_schema_ops *o, aero_op op, const aero_schema_tdesc *t, void *out,
                                             bool *found) {
    if (!o)
        return o;
    aero_write_op(o->w, op);
    added(o);
    add_sink(o, op.at ? op.at->bin : "", t, out, found);
    return o;
}

AERO_API aero_schema_ops *aero_schema_ops_set(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *t,
                                              const void *v) {
    aero_value x;
    if (!o || !value_of(o, "set", bin, t, v, &x))
        return o;
    aero_write_bin_set(o->w, bin, &x);
    return added(o);
}

AERO_API aero_schema_ops *aero_schema_ops_increment(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *t,
                                                    const void *by) {
    if (!o)
        return o;
    if (!t || !by || (t->type != AERO_SCHEMA_INT && t->type != AERO_SCHEMA_DOUBLE)) {
        misuse(o, AERO_ERR_PARAM, "increment on bin '%s': needs an int or double amount", bin ? bin : "(null)");
        return o;
    }
    if (t->type == AERO_SCHEMA_INT)
        aero_write_bin_increment_int(o->w, bin, *(const int64_t *)by);
    else
        aero_write_bin_increment_double(o->w, bin, *(const double *)by);
    return added(o);
}

AERO_API aero_schema_ops *aero_schema_ops_append(aero_schema_ops *o, const char *bin, const char *s) {
    if (!o)
        return o;
    aero_write_bin_append_str(o->w, bin, s);
    return added(o);
}

AERO_API aero_schema_ops *aero_schema_ops_prepend(aero_schema_ops *o, const char *bin, const char *s) {
    if (!o)
        return o;
    aero_write_bin_prepend_str(o->w, bin, s);
    return added(o);
}

AERO_API aero_schema_ops *aero_schema_ops_get(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *t,
                                              void *out, bool *found) {
    if (!o)
        return o;
    aero_write_bin_get(o->w, bin);
    added(o);
    add_sink(o, bin, t, out, found);
    return o;
}

/* ---- lists ---- */

AERO_API aero_schema_ops *aero_schema_ops_list_append(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *t,
                                                      const void *item) {
    aero_value v;
    aero_path p;
    if (!o || !path_of(o, bin, &p) || !value_of(o, "list append", bin, t, item, &v))
        return o;
    return aero_schema_ops_op(o, aero_list_append(&p, v, NULL), NULL, NULL, NULL);
}

#define ITEMS_STACK 32

AERO_API aero_schema_ops *aero_schema_ops_list_append_items(aero_schema_ops *o, const char *bin,
                                                            const aero_schema_tdesc *t, const void *items,
                                                            size_t count) {
    aero_path p;
    if (!o || !path_of(o, bin, &p))
        return o;
    if (!t || (!items && count)) {
        misuse(o, AERO_ERR_PARAM, "list append_items on bin '%s': NULL %s", bin, t ? "items" : "type descriptor");
        return o;
    }
    if (count > UINT32_MAX) {
        misuse(o, AERO_ERR_PARAM, "list append_items on bin '%s': %zu items is too many", bin, count);
        return o;
    }
    aero_value stack[ITEMS_STACK];
    aero_value *vs = stack;
    if (count > ITEMS_STACK) {
        if (!o->scratch && !(o->scratch = aero_arena__new())) {
            misuse(o, AERO_ERR_NO_MEMORY, "out of memory");
            return o;
        }
        vs = aero_arena__alloc(o->scratch, count * sizeof *vs);
        if (!vs) {
            misuse(o, AERO_ERR_NO_MEMORY, "out of memory");
            return o;
        }
    }
    for (size_t i = 0; i < count; i++)
        if (!value_of(o, "list append_items", bin, t, (const char *)items + i * t->size, &vs[i]))
            return o;
    return aero_schema_ops_op(o, aero_list_append_items(&p, aero_list(vs, (uint32_t)count), NULL), NULL, NULL, NULL);
}

AERO_API aero_schema_ops *aero_schema_ops_list_insert(aero_schema_ops *o, const char *bin, int64_t index,
                                                      const aero_schema_tdesc *t, const void *item) {
    aero_value v;
    aero_path p;
    if (!o || !path_of(o, bin, &p) || !value_of(o, "list insert", bin, t, item, &v))
        return o;
    return aero_schema_ops_op(o, aero_list_insert(&p, index, v, NULL), NULL, NULL, NULL);
}

AERO_API aero_schema_ops *aero_schema_ops_list_remove_by_value(aero_schema_ops *o, const char *bin,
                                                               const aero_schema_tdesc *t, const void *item) {
    aero_value v;
    aero_path p;
    if (!o || !path_of(o, bin, &p) || !value_of(o, "list remove_by_value", bin, t, item, &v))
        return o;
    return aero_schema_ops_op(o, aero_list_remove_by_value(&p, v, AERO_CDT_RETURN_NONE), NULL, NULL, NULL);
}

AERO_API aero_schema_ops *aero_schema_ops_list_pop(aero_schema_ops *o, const char *bin, int64_t index,
                                                   const aero_schema_tdesc *t, void *out, bool *found) {
    aero_path p;
    if (!o || !path_of(o, bin, &p))
        return o;
    return aero_schema_ops_op(o, aero_list_pop(&p, index), t, out, found);
}

AERO_API aero_schema_ops *aero_schema_ops_list_trim(aero_schema_ops *o, const char *bin, int64_t index,
                                                    uint64_t count) {
    aero_path p;
    if (!o || !path_of(o, bin, &p))
        return o;
    return aero_schema_ops_op(o, aero_list_trim(&p, index, count), NULL, NULL, NULL);
}

AERO_API aero_schema_ops *aero_schema_ops_list_get(aero_schema_ops *o, const char *bin, int64_t index,
                                                   const aero_schema_tdesc *t, void *out, bool *found) {
    aero_path p;
    if (!o || !path_of(o, bin, &p))
        return o;
    return aero_schema_ops_op(o, aero_list_get_by_index(&p, index, AERO_CDT_RETURN_VALUE), t, out, found);
}

AERO_API aero_schema_ops *aero_schema_ops_list_clear(aero_schema_ops *o, const char *bin) {
    aero_path p;
    if (!o || !path_of(o, bin, &p))
        return o;
    return aero_schema_ops_op(o, aero_list_clear(&p), NULL, NULL, NULL);
}

AERO_API aero_schema_ops *aero_schema_ops_size(aero_schema_ops *o, const char *bin, bool is_map, int64_t *out) {
    aero_path p;
    if (!o || !path_of(o, bin, &p))
        return o;
    if (!out) {
        misuse(o, AERO_ERR_PARAM, "size of bin '%s': NULL output", bin);
        return o;
    }
    return aero_schema_ops_op(o, is_map ? aero_map_size(&p) : aero_list_size(&p), &aero_schema_tdesc_int, out, NULL);
}

/* ---- maps ---- */

AERO_API aero_schema_ops *aero_schema_ops_map_put(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *kt,
                                                  const void *key, const aero_schema_tdesc *vt, const void *value) {
    aero_value k, v;
    aero_path p;
    if (!o || !path_of(o, bin, &p) || !value_of(o, "map put (key)", bin, kt, key, &k) ||
        !value_of(o, "map put (value)", bin, vt, value, &v))
        return o;
    return aero_schema_ops_op(o, aero_map_put(&p, k, v, NULL), NULL, NULL, NULL);
}

AERO_API aero_schema_ops *aero_schema_ops_map_get(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *kt,
                                                  const void *key, const aero_schema_tdesc *vt, void *out,
                                                  bool *found) {
    aero_value k;
    aero_path p;
    if (!o || !path_of(o, bin, &p) || !value_of(o, "map get", bin, kt, key, &k))
        return o;
    return aero_schema_ops_op(o, aero_map_get_by_key(&p, k, AERO_CDT_RETURN_VALUE), vt, out, found);
}

AERO_API aero_schema_ops *aero_schema_ops_map_remove(aero_schema_ops *o, const char *bin, const aero_schema_tdesc *kt,
                                                     const void *key) {
    aero_value k;
    aero_path p;
    if (!o || !path_of(o, bin, &p) || !value_of(o, "map remove", bin, kt, key, &k))
        return o;
    return aero_schema_ops_op(o, aero_map_remove_by_key(&p, k, AERO_CDT_RETURN_NONE), NULL, NULL, NULL);
}

AERO_API aero_schema_ops *aero_schema_ops_map_increment(aero_schema_ops *o, const char *bin,
                                                        const aero_schema_tdesc *kt, const void *key,
                                                        const aero_schema_tdesc *vt, const void *by) {
    aero_value k, v;
    aero_path p;
    if (!o || !path_of(o, bin, &p) || !value_of(o, "map increment", bin, kt, key, &k))
        return o;
    if (!vt || (vt->type != AERO_SCHEMA_INT && vt->type != AERO_SCHEMA_DOUBLE)) {
        misuse(o, AERO_ERR_PARAM, "map increment on bin '%s': needs an int or double amount", bin);
        return o;
    }
    if (!value_of(o, "map increment", bin, vt, by, &v))
        return o;
    return aero_schema_ops_op(o, aero_map_increment(&p, k, v, NULL), NULL, NULL, NULL);
}

/* ---- HLL ---- */

AERO_API aero_schema_ops *aero_schema_ops_hll_add(aero_schema_ops *o, const char *bin, const char *const *items,
                                                  size_t count, int index_bits) {
    aero_path p;
    if (!o || !path_of(o, bin, &p))
        return o;
    if (!items || !count) {
        misuse(o, AERO_ERR_PARAM, "hll add on bin '%s': no items", bin);
        return o;
    }
    aero_value stack[ITEMS_STACK];
    aero_value *vs = stack;
    if (count > ITEMS_STACK) {
        if (count > UINT32_MAX || (!o->scratch && !(o->scratch = aero_arena__new())) ||
            !(vs = aero_arena__alloc(o->scratch, count * sizeof *vs))) {
            misuse(o, AERO_ERR_NO_MEMORY, "hll add on bin '%s': out of memory", bin);
            return o;
        }
    }
    for (size_t i = 0; i < count; i++)
        if (!value_of(o, "hll add", bin, &aero_schema_tdesc_str, &items[i], &vs[i]))
            return o;
    return aero_schema_ops_op(o, aero_hll_add(&p, aero_list(vs, (uint32_t)count), index_bits, 0, NULL), NULL, NULL,
                              NULL);
}

AERO_API aero_schema_ops *aero_schema_ops_hll_count(aero_schema_ops *o, const char *bin, int64_t *out) {
    aero_path p;
    if (!o || !path_of(o, bin, &p))
        return o;
    if (!out) {
        misuse(o, AERO_ERR_PARAM, "hll count of bin '%s': NULL output", bin);
        return o;
    }
    return aero_schema_ops_op(o, aero_hll_get_count(&p), &aero_schema_tdesc_int, out, NULL);
}

/* ---- condition ---- */

AERO_API aero_schema_ops *aero_schema_ops_where(aero_schema_ops *o, const aero_expr *e) {
    if (!o)
        return o;
    if (!e) {
        misuse(o, AERO_ERR_PARAM, "where: NULL expression");
        return o;
    }
    aero_write_where_expr(o->w, e);
    o->where_set = true;
    return o;
}

AERO_API aero_schema_ops *aero_schema_ops_where_template(aero_schema_ops *o, const uint8_t *bytes, size_t len,
                                                         const aero_ael_slot *slots, size_t n_slots,
                                                         const aero_value *args, size_t n_args) {
    if (!o)
        return o;
    if (!bytes || !len) {
        misuse(o, AERO_ERR_PARAM, "where: empty filter");
        return o;
    }
    if (n_slots == 0) {
        aero_write_where_bytes(o->w, bytes, len);
    } else {
        aero_error e;
        aero_expr *x = aero_ael_template_fill(bytes, len, slots, n_slots, args, n_args, &e);
        if (!x) {
            misuse(o, e.code, "where: %s", e.message);
            return o;
        }
        aero_write_where_expr(o->w, x);
        aero_expr_free(x);
    }
    o->where_set = true;
    return o;
}

/* ---- options ---- */

/* Apply opts to a write builder; AERO_ERR_PARAM for bad options. */
static aero_status apply_opts(aero_write *w, const aero_schema_write_opts *opts, bool where_set, aero_error *err) {
    if (!opts)
        return AERO_OK;
    aero_status rc =
        aero_err__check_version(err, "aero_schema_write_opts", opts->version, AERO_SCHEMA_WRITE_OPTS_VERSION);
    if (rc != AERO_OK)
        return rc;
    if (opts->ttl == AERO_SCHEMA_TTL_NEVER)
        aero_write_never_expire(w);
    else if (opts->ttl == AERO_SCHEMA_TTL_NO_CHANGE)
        aero_write_with_no_change_in_expiration(w);
    else if (opts->ttl > 315360000u)
        return aero_err__set(err, AERO_ERR_PARAM, "aero_schema_write_opts.ttl %u is outside 1..315360000",
                             (unsigned)opts->ttl);
    else if (opts->ttl)
        aero_write_expire_after_seconds(w, opts->ttl);
    if (opts->generation)
        aero_write_ensure_generation_is(w, opts->generation);
    if (opts->where) {
        if (where_set)
            return aero_err__set(err, AERO_ERR_PARAM,
                                 "two where conditions: one on the operate and aero_schema_write_opts.where");
        aero_write_where_expr(w, opts->where);
    }
    if (opts->durable_delete > AERO_SCHEMA_OFF || opts->send_key > AERO_SCHEMA_OFF)
        return aero_err__set(err, AERO_ERR_PARAM,
                             "aero_schema_write_opts: durable_delete / send_key is not an "
                             "aero_schema_choice");
    if (opts->durable_delete != AERO_SCHEMA_BEHAVIOR)
        aero_write_durable_delete(w, opts->durable_delete == AERO_SCHEMA_ON);
    if (opts->send_key != AERO_SCHEMA_BEHAVIOR)
        aero_write_send_key(w, opts->send_key == AERO_SCHEMA_ON);
    if (opts->fail_on_filtered_out)
        aero_write_fail_on_filtered_out(w);
    return AERO_OK;
}

/* ---- execute ---- */

static aero_status deliver(aero_schema_ops *o, aero_record *holder, aero_error *err) {
    bool answered = holder->result == AERO_OK;
    if (answered && holder->n_bins != o->n_ops)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "%s: operate of %u ops answered %u results", o->r->name,
                             (unsigned)o->n_ops, (unsigned)holder->n_bins);
    for (uint32_t i = 0; i < o->n_sinks; i++) {
        const sink *k = &o->sinks[i];
        const aero_value *v = answered ? &holder->bins[k->pos].value : NULL;
        if (!v || v->type == AERO_NIL) {
            zero(k->t, k->out);
            if (k->found)
                *k->found = false;
            continue;
        }
        aero_error e;
        aero_status rc = to_c(k->t, v, holder, k->out, &e);
        if (rc != AERO_OK) {
            zero(k->t, k->out);
            if (k->found)
                *k->found = false;
            return aero_err__set(err, rc, "%s: op %u on bin '%s': %s", o->r->name, (unsigned)k->pos, k->bin,
                                 e.message);
        }
        if (k->found)
            *k->found = true;
    }
    return AERO_OK;
}

AERO_API aero_status aero_schema_ops_execute(aero_schema_ops *o, const aero_schema_write_opts *opts,
                                             aero_record *holder, aero_error *err) {
    aero_err__reset(err);
    if (!o)
        return aero_err__set(err, AERO_ERR_PARAM, "typed operate is NULL (session or record NULL, or out of memory)");
    aero_status rc = aero_schema__check_abi(o->r, err);
    if (rc == AERO_OK && o->bad.code)
        rc = aero_err__set(err, o->bad.code, "%s operate: %s", o->r->name, o->bad.msg);
    if (rc == AERO_OK && o->n_sinks && !holder)
        rc = aero_err__set(err, AERO_ERR_PARAM, "%s operate: ops with outputs need a holder record", o->r->name);
    if (rc == AERO_OK)
        rc = apply_opts(o->w, opts, o->where_set, err);
    if (rc != AERO_OK) {
        aero_schema_ops_abandon(o);
        return rc;
    }
    aero_error local;
    aero_error *e = err ? err : &local;
    rc = aero_write_execute(o->w, holder, e);
    if (rc == AERO_OK && holder)
        rc = deliver(o, holder, e);
    release(o);
    return rc;
}

/* ---- writes with options ---- */

/* aero_schema_write() is the write with default options. */
aero_status aero_schema_write(aero_session *s, const aero_schema_record *r, aero_schema_op op, const aero_key *key,
                              const void *obj, aero_error *err) {
    return aero_schema_write_with(s, r, op, key, obj, NULL, err);
}

AERO_API aero_status aero_schema_write_with(aero_session *s, const aero_schema_record *r, aero_schema_op op,
                                            const aero_key *key, const void *obj, const aero_schema_write_opts *opts,
                                            aero_error *err) {
    aero_status rc = aero_schema__check_abi(r, err);
    if (rc != AERO_OK)
        return rc;
    if (!s || !key || !obj)
        return aero_err__set(err, AERO_ERR_PARAM, "NULL session, key or record");
    aero_write *w = aero_schema__start_write(s, op, key);
    if (!w)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "cannot start a write");
    rc = aero_schema__put_bins(w, r, obj, err);
    if (rc == AERO_OK)
        rc = apply_opts(w, opts, false, err);
    if (rc != AERO_OK) {
        aero_write_abandon(w);
        return rc;
    }
    return aero_write_execute(w, NULL, err);
}

static aero_status meta_with(aero_write *w, const aero_schema_write_opts *opts, bool *existed, aero_error *err) {
    if (!w)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "cannot start a write");
    aero_status rc = apply_opts(w, opts, false, err);
    if (rc != AERO_OK) {
        aero_write_abandon(w);
        return rc;
    }
    aero_record out;
    aero_record_init(&out);
    rc = aero_write_execute(w, &out, err);
    if (existed)
        *existed = rc == AERO_OK && out.result == AERO_OK;
    aero_record_dispose(&out);
    return rc;
}

AERO_API aero_status aero_schema_delete_with(aero_session *s, const aero_schema_record *r, const aero_key *key,
                                             const aero_schema_write_opts *opts, bool *existed, aero_error *err) {
    aero_status rc = aero_schema__check_abi(r, err);
    if (rc != AERO_OK)
        return rc;
    if (!s || !key)
        return aero_err__set(err, AERO_ERR_PARAM, "NULL session or key");
    return meta_with(aero_session_delete(s, key), opts, existed, err);
}

AERO_API aero_status aero_schema_touch_with(aero_session *s, const aero_schema_record *r, const aero_key *key,
                                            const aero_schema_write_opts *opts, bool *existed, aero_error *err) {
    aero_status rc = aero_schema__check_abi(r, err);
    if (rc != AERO_OK)
        return rc;
    if (!s || !key)
        return aero_err__set(err, AERO_ERR_PARAM, "NULL session or key");
    return meta_with(aero_session_touch(s, key), opts, existed, err);
}
