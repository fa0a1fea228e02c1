/*
 * read.c - single-record reads (all bins, named bins, header only, with or
 * without a filter) and the SDK fast paths session.get / put / exists.
 * The request is built on the stack and the answer is read straight into the
 * record's own buffer, so a loop of reads into one record does not allocate.
 */
#include "read.h"

#include <string.h>

#include "cmd_key.h"
#include "command.h"
#include "internal.h"
#include "proto/wire.h"
#include "record_buf.h"
#include "record_decode.h"

static inline __attribute__((always_inline)) aero_status
build_read(aero_buf *req, const aero_key *key, const aero_policy *p, const aero_read_spec *spec, aero_error *err) {
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    h.info1 = AERO_INFO1_READ | aero_cmd__read_info1(p);
    h.info3 = aero_cmd__read_info3(p);
    if (spec->header_only)
        h.info1 |= AERO_INFO1_NOBINDATA;
    else if (spec->n_ops)
        h.info2 |= AERO_INFO2_RESPOND_ALL_OPS;
    else if (!spec->n_bins)
        h.info1 |= AERO_INFO1_GET_ALL;
    h.record_ttl = (uint32_t)p->read_touch_ttl_percent;
    h.transaction_ttl = aero_cmd__server_timeout(p);
    size_t start = aero_msg__begin(req);
    aero_cmd__key_fields(req, &h, key, false);
    if (spec->filter)
        aero_msg__field(req, &h, AERO_FIELD_FILTER, spec->filter, spec->filter_len);
    if (!spec->header_only) {
        for (size_t i = 0; i < spec->n_bins; i++) {
            const char *b;
            size_t n;
            if (spec->schema) {
                const aero_schema_record *r = spec->schema;
                unsigned f = spec->fields[i];
                if (AERO_UNLIKELY(f >= r->n_bins))
                    return aero_err__set(err, AERO_ERR_PARAM,
                                         "field number %u out of range for record '%s' (%u fields)", f, r->name,
                                         (unsigned)r->n_bins);
                b = r->bins[f].name;
                n = r->bins[f].name_len;
            } else {
                b = spec->bins[i];
                n = b ? strnlen(b, AERO_BIN_NAME_MAX + 1) : 0;
            }
            if (AERO_UNLIKELY(n == 0 || n > AERO_BIN_NAME_MAX))
                return aero_err__set(err, AERO_ERR_PARAM, "bin name %s%.20s%s is %s", b ? "'" : "", b ? b : "NULL",
                                     b ? "'" : "",
                                     !b       ? "NULL"
                                     : n == 0 ? "empty"
                                              : "longer than 15 bytes");
            aero_msg__op(req, &h, AERO_MSG_OP_READ, AERO_PT_NULL, b, n, NULL, 0);
        }
    }
    if (spec->n_ops && !spec->header_only) {
        aero_buf__put(req, spec->ops, spec->ops_len);
        h.n_ops = (uint16_t)(h.n_ops + spec->n_ops);
    }
    aero_status st = aero_msg__end(req, start, &h);
    if (st != AERO_OK)
        return aero_err__set(err, st, "read request could not be built");
    return AERO_OK;
}

/* The body of both reads: decode the answer into the record, or (answer != NULL) hand it over undecoded. */
static inline __attribute__((always_inline)) aero_status read_one(aero_session *s, const aero_policy *p,
                                                                  const aero_key *key, const aero_read_spec *spec,
                                                                  aero_record *rec, aero_msg_view *answer,
                                                                  aero_error *err) {
    aero_status st = aero_cmd__check_key(key, err);
    if (st != AERO_OK)
        return st;
    uint8_t store[512];
    aero_buf req;
    aero_buf__init(&req, store, sizeof store);
    st = build_read(&req, key, p, spec, err);
    if (st != AERO_OK) {
        aero_buf__free(&req);
        return st;
    }
    aero_buf resp = aero_record__take_buf(rec);
    aero_cmd cmd = {
        .session = s, .policy = p, .key = key, .kind = AERO_CMD_READ, .req = req.data, .req_len = req.len, .resp = &resp
    };
    st = aero_cmd__execute(&cmd, err);
    if (st == AERO_OK && !answer) {
        st = aero_record__decode(rec, &cmd.msg, err);
        if (st == AERO_OK)
            rec->key = *key;
    } else if (st == AERO_OK) {
        aero_record__decode_header(rec, &cmd.msg);
        *answer = cmd.msg;
    } else {
        aero_record__clear(rec);
        rec->result = st;
    }
    aero_record__give_buf(rec, &resp);
    aero_buf__free(&req);
    return st;
}

aero_status aero_read__one(aero_session *s, const aero_policy *p, const aero_key *key, const aero_read_spec *spec,
                           aero_record *rec, aero_error *err) {
    return read_one(s, p, key, spec, rec, NULL, err);
}

aero_status aero_read__one_raw(aero_session *s, const aero_policy *p, const aero_key *key, const aero_read_spec *spec,
                               aero_record *holder, aero_msg_view *answer, aero_error *err) {
    return read_one(s, p, key, spec, holder, answer, err);
}

AERO_API aero_status aero_session_get(aero_session *s, const aero_key *key, const char *const *bins, size_t n_bins,
                                      aero_record *out, aero_error *err) {
    aero_err__reset(err);
    if (!s || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "get needs a session and an output record");
    if (n_bins && !bins)
        return aero_err__set(err, AERO_ERR_PARAM, "get: bins array is NULL");
    aero_read_spec spec = { bins, n_bins, false, NULL, 0, NULL, 0, 0, NULL, NULL };
    aero_status st = aero_read__one(s, &s->read_point, key, &spec, out, err);
    if (st == AERO_OK && out->result != AERO_OK)
        return aero_err__set(err, out->result, "get: %s", aero_status_str(out->result));
    return st;
}

AERO_API aero_status aero_session_get_header(aero_session *s, const aero_key *key, aero_record *out, aero_error *err) {
    aero_err__reset(err);
    if (!s || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "get_header needs a session and an output record");
    aero_read_spec spec = { NULL, 0, true, NULL, 0, NULL, 0, 0, NULL, NULL };
    aero_status st = aero_read__one(s, &s->read_point, key, &spec, out, err);
    if (st == AERO_OK && out->result != AERO_OK)
        return aero_err__set(err, out->result, "get_header: %s", aero_status_str(out->result));
    return st;
}

AERO_API aero_status aero_session_exists(aero_session *s, const aero_key *key, bool *exists, aero_error *err) {
    aero_err__reset(err);
    if (!s || !exists)
        return aero_err__set(err, AERO_ERR_PARAM, "exists needs a session and an output flag");
    aero_record rec;
    aero_record_init(&rec);
    aero_read_spec spec = { NULL, 0, true, NULL, 0, NULL, 0, 0, NULL, NULL };
    aero_status st = aero_read__one(s, &s->read_point, key, &spec, &rec, err);
    if (st == AERO_OK) {
        *exists = rec.result == AERO_OK;
        if (rec.result != AERO_OK && rec.result != AERO_ERR_KEY_NOT_FOUND)
            st = aero_err__set(err, rec.result, "exists: %s", aero_status_str(rec.result));
    }
    aero_record_dispose(&rec);
    return st;
}

AERO_API aero_status aero_session_put(aero_session *s, const aero_key *key, const aero_bin_value *bins, size_t n,
                                      aero_error *err) {
    aero_write *w = aero_session_upsert(s, key);
    if (!w) {
        aero_err__reset(err);
        return aero_err__set(err, s ? AERO_ERR_NO_MEMORY : AERO_ERR_PARAM, "put: %s",
                             s ? "out of memory" : "session is NULL");
    }
    aero_write_put(w, bins, n);
    return aero_write_execute(w, NULL, err);
}
