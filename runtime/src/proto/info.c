/*
 * proto/info.c - info protocol text (protocol.md 2.1).
 *
 * Requests are command names each ending in "\n" behind a type-1 proto
 * header. Answers are "name\tvalue\n" lines; the parsing here only slices the
 * body, it never copies or allocates.
 */
#include "proto/info.h"

#include <string.h>

#include "proto/msg.h"
#include "proto/wire.h"

void aero_info__request(aero_buf *b, const char *const *commands, size_t n) {
    size_t start = b->len;
    uint8_t *hdr = aero_buf__append(b, AERO_PROTO_HEADER_SIZE);
    if (!hdr)
        return;
    for (size_t i = 0; i < n; i++) {
        aero_buf__put(b, commands[i], strlen(commands[i]));
        aero_buf__put_u8(b, '\n');
    }
    if (b->failed)
        return;
    size_t body = b->len - start - AERO_PROTO_HEADER_SIZE;
    if (body > AERO_PROTO_SIZE_MAX) {
        b->failed = true;
        return;
    }
    aero_proto__write_header(b->data + start, AERO_PROTO_INFO, body);
}

bool aero_info__next(const char **cursor, const char *end, aero_strview *name, aero_strview *value) {
    const char *p = *cursor;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        if (eol == p) { /* blank line */
            p = next;
            continue;
        }
        const char *tab = memchr(p, '\t', (size_t)(eol - p));
        name->p = p;
        if (tab) {
            name->len = (size_t)(tab - p);
            value->p = tab + 1;
            value->len = (size_t)(eol - tab - 1);
        } else {
            name->len = (size_t)(eol - p);
            value->p = eol;
            value->len = 0;
        }
        *cursor = next;
        return true;
    }
    *cursor = end;
    return false;
}

bool aero_info__find(const char *body, size_t len, const char *name, aero_strview *value) {
    const char *cur = body, *end = body + len;
    size_t nlen = strlen(name);
    aero_strview n, v;
    while (aero_info__next(&cur, end, &n, &v)) {
        if (n.len == nlen && memcmp(n.p, name, nlen) == 0) {
            *value = v;
            return true;
        }
    }
    return false;
}

static bool has_prefix(aero_strview v, const char *pre, size_t n) { return v.len >= n && memcmp(v.p, pre, n) == 0; }

static void copy_msg(char *msg, size_t cap, const char *p, size_t n) {
    if (!msg || cap == 0)
        return;
    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(msg, p, n);
    msg[n] = '\0';
}

aero_status aero_info__value_error(aero_strview value, char *msg, size_t cap) {
    size_t skip;
    if (has_prefix(value, "ERROR:", 6))
        skip = 6;
    else if (has_prefix(value, "FAIL:", 5))
        skip = 5;
    else if (has_prefix(value, "error=", 6)) {
        copy_msg(msg, cap, value.p + 6, value.len - 6);
        return AERO_ERR_UDF;
    } else {
        copy_msg(msg, cap, "", 0);
        return AERO_OK;
    }
    /* "<code>:<message>"; the code may be empty (ERROR::msg) or absent. */
    const char *p = value.p + skip, *end = value.p + value.len;
    const char *q = p;
    long code = 0;
    while (q < end && *q >= '0' && *q <= '9' && q - p < 6)
        code = code * 10 + (*q++ - '0');
    const char *text = p;
    if (q < end && *q == ':')
        text = q + 1;
    else
        code = 0; /* no "<digits>:" head: the whole rest is the message */
    copy_msg(msg, cap, text, (size_t)(end - text));
    if (code <= 0 || code > 255)
        return AERO_ERR_SERVER;
    return (aero_status)code;
}
