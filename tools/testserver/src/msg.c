/*
 * msg.c - the server's parser of an AS_MSG request (header, fields, ops).
 *
 * Every length is checked against the body; anything inconsistent is the
 * PARAMETER (4) answer a real server gives, never an out-of-bounds read.
 * The parser only splits the message: what a message means is the
 * dispatcher's and the command handlers' business.
 */
#include "ts.h"

#include <stdlib.h>
#include <string.h>

int ts_msg_parse(const uint8_t *p, size_t len, ts_msg *m, ts_field *fields, size_t cap, size_t *used) {
    memset(m, 0, sizeof *m);
    if (len < AERO_MSG_HEADER_SIZE || p[0] != AERO_MSG_HEADER_SIZE)
        return AERO_ERR_PARAMETER;
    m->info1 = p[1];
    m->info2 = p[2];
    m->info3 = p[3];
    m->info4 = p[4];
    m->generation = aero_get_u32be(p + 6);
    m->record_ttl = aero_get_u32be(p + 10);
    m->transaction_ttl = aero_get_u32be(p + 14);
    m->n_fields = aero_get_u16be(p + 18);
    m->n_ops = aero_get_u16be(p + 20);
    return ts_msg_parse_body(p, len, AERO_MSG_HEADER_SIZE, m, fields, cap, used);
}

int ts_msg_parse_body(const uint8_t *p, size_t len, size_t off, ts_msg *m, ts_field *fields, size_t cap, size_t *used) {
    if (m->n_fields > cap)
        return AERO_ERR_PARAMETER;
    for (uint16_t i = 0; i < m->n_fields; i++) {
        if (len - off < 5)
            return AERO_ERR_PARAMETER;
        uint32_t sz = aero_get_u32be(p + off);
        if (sz < 1 || sz > len - off - 4)
            return AERO_ERR_PARAMETER;
        fields[i].type = p[off + 4];
        fields[i].data = p + off + 5;
        fields[i].len = sz - 1;
        m->fields_by_type[fields[i].type] = &fields[i];
        off += 4 + (size_t)sz;
    }
    if (m->n_ops) {
        m->ops = calloc(m->n_ops, sizeof *m->ops);
        if (!m->ops)
            return AERO_ERR_SERVER;
    }
    for (uint16_t i = 0; i < m->n_ops; i++) {
        if (len - off < 8)
            goto bad;
        uint32_t sz = aero_get_u32be(p + off);
        if (sz < 4 || sz > len - off - 4)
            goto bad;
        ts_op *o = &m->ops[i];
        o->op = p[off + 4];
        o->ptype = p[off + 5];
        o->name_len = p[off + 7];
        if (o->name_len > sz - 4)
            goto bad;
        o->name = (const char *)p + off + 8;
        o->value = p + off + 8 + o->name_len;
        o->value_len = sz - 4 - o->name_len;
        off += 4 + (size_t)sz;
    }
    if (used)
        *used = off;
    return 0;
bad:
    free(m->ops);
    m->ops = NULL;
    return AERO_ERR_PARAMETER;
}
