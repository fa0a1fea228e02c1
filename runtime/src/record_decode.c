/*
 * record_decode.c - decoding an answer into a record. A record keeps its
 * receive buffer, its bin array and its arena between reads, so reading into
 * the same record again does not allocate once it has grown to the working
 * size.
 */
#include "record_decode.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "internal.h"
#include "op_decode.h"
#include "proto/wire.h"

void aero_record__clear(aero_record *rec) {
    if (rec->store_.arena)
        aero_arena__reset(rec->store_.arena);
    rec->result = AERO_OK;
    rec->in_doubt = false;
    rec->index = 0;
    rec->generation = 0;
    rec->ttl = 0;
    rec->n_bins = 0;
    rec->bins = rec->store_.bins_cap_ptr;
}

static aero_status ensure_bins(aero_record *rec, uint32_t n) {
    if (n <= rec->store_.bins_cap) {
        rec->bins = rec->store_.bins_cap_ptr;
        return AERO_OK;
    }
    uint32_t cap = rec->store_.bins_cap ? rec->store_.bins_cap : 8;
    while (cap < n)
        cap *= 2;
    aero_bin *nb = realloc(rec->store_.bins_cap_ptr, (size_t)cap * sizeof *nb);
    if (!nb)
        return AERO_ERR_NO_MEMORY;
    rec->store_.bins_cap_ptr = nb;
    rec->store_.bins_cap = cap;
    rec->bins = nb;
    return AERO_OK;
}

aero_status aero_record__reserve_bins(aero_record *rec, uint32_t n) { return ensure_bins(rec, n); }

void aero_record__decode_header(aero_record *rec, const aero_msg_view *m) {
    aero_record__clear(rec);
    rec->result = m->h.result_code;
    rec->generation = m->h.generation;
    /* no clock read for a record that never expires (void time 0): most batch rows of a namespace without a TTL */
    rec->ttl = m->h.record_ttl ? aero_msg__ttl_from_void_time(m->h.record_ttl, aero_clock__now_2010()) : AERO_TTL_NEVER;
}

aero_arena *aero_record__arena(aero_record *rec) {
    if (!rec->store_.arena)
        rec->store_.arena = aero_arena__new();
    return rec->store_.arena;
}

aero_status aero_record__decode(aero_record *rec, const aero_msg_view *m, aero_error *err) {
    aero_record__decode_header(rec, m);
    if (m->h.n_ops) {
        if (!rec->store_.arena && !(rec->store_.arena = aero_arena__new()))
            return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory decoding a record");
        if (ensure_bins(rec, m->h.n_ops) != AERO_OK)
            return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory decoding %u bins", m->h.n_ops);
    }
    /* one pass: each op is bounds-checked as it is read (the answer's ops were not walked before) */
    aero_msg_iter it;
    aero_op_view op;
    aero_msg__ops(m, &it);
    aero_bin *b = rec->bins;
    while (aero_msg__next_op(&it, &op)) {
        size_t nl = op.name_len > AERO_BIN_NAME_MAX ? AERO_BIN_NAME_MAX : op.name_len;
        aero_copy_short(b->name, op.name, nl);
        b->name[nl] = '\0';
        if (aero_op__decode(&op, rec->store_.arena, &b->value) != AERO_OK)
            return aero_err__set(err, AERO_ERR_PROTOCOL, "malformed value in bin '%s'", b->name);
        b++;
    }
    if (!aero_msg__iter_complete(&it))
        return aero_err__set(err, AERO_ERR_PROTOCOL, "malformed bin %u of %u in an answer",
                             (unsigned)(m->h.n_ops - it.left + 1), (unsigned)m->h.n_ops);
    rec->n_bins = (uint32_t)(b - rec->bins);
    return AERO_OK;
}
