/* tsclient.c - see tsclient.h */
#include "tsclient.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "proto/digest.h"

int tc_connect(uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = { .tv_sec = 5, .tv_usec = 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool tc_send(int fd, const void *p, size_t n) {
    const uint8_t *c = p;
    while (n) {
        ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
        if (k <= 0)
            return false;
        c += k;
        n -= (size_t)k;
    }
    return true;
}

static bool recv_all(int fd, uint8_t *p, size_t n) {
    while (n) {
        ssize_t k = recv(fd, p, n, 0);
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

bool tc_read_frame(int fd, uint8_t *type, uint8_t **body, size_t *len) {
    uint8_t h[8];
    *body = NULL;
    if (!recv_all(fd, h, 8))
        return false;
    uint64_t sz = aero_get_u64be(h) & 0xFFFFFFFFFFFFull;
    if (h[0] != 2 || sz > 128u * 1024 * 1024)
        return false;
    *type = h[1];
    *body = malloc(sz + 1);
    if (!*body || !recv_all(fd, *body, sz)) {
        free(*body);
        *body = NULL;
        return false;
    }
    (*body)[sz] = 0;
    *len = sz;
    return true;
}

void tc_begin(tc_msg *m, uint8_t info1, uint8_t info2, uint8_t info3, uint32_t gen, uint32_t ttl) {
    aero_buf__init(&m->b, NULL, 0);
    m->n_fields = m->n_ops = 0;
    uint8_t *p = aero_buf__append(&m->b, 30);
    memset(p, 0, 30);
    p[8] = 22;
    p[9] = info1;
    p[10] = info2;
    p[11] = info3;
    aero_set_u32be(p + 14, gen);
    aero_set_u32be(p + 18, ttl);
    aero_set_u32be(p + 22, 1000);
}

void tc_field(tc_msg *m, uint8_t type, const void *data, size_t len) {
    aero_buf__put_u32be(&m->b, (uint32_t)len + 1);
    aero_buf__put_u8(&m->b, type);
    aero_buf__put(&m->b, data, len);
    m->n_fields++;
}

void tc_op(tc_msg *m, uint8_t op, uint8_t ptype, const char *name, const void *v, size_t vlen) {
    size_t nl = strlen(name);
    aero_buf__put_u32be(&m->b, (uint32_t)(4 + nl + vlen));
    aero_buf__put_u8(&m->b, op);
    aero_buf__put_u8(&m->b, ptype);
    aero_buf__put_u8(&m->b, 0);
    aero_buf__put_u8(&m->b, (uint8_t)nl);
    aero_buf__put(&m->b, name, nl);
    if (vlen)
        aero_buf__put(&m->b, v, vlen);
    m->n_ops++;
}

void tc_op_int(tc_msg *m, uint8_t op, const char *name, int64_t v) {
    uint8_t b[8];
    aero_set_u64be(b, (uint64_t)v);
    tc_op(m, op, 1, name, b, 8);
}

void tc_op_str(tc_msg *m, uint8_t op, const char *name, const char *s) { tc_op(m, op, 3, name, s, strlen(s)); }

void tc_key_str(tc_msg *m, const char *ns, const char *set, const char *key, bool send_key) {
    uint8_t d[20];
    aero_digest__compute(set, strlen(set), 3, key, strlen(key), d);
    tc_field(m, 0, ns, strlen(ns));
    tc_field(m, 1, set, strlen(set));
    tc_field(m, 4, d, 20);
    if (send_key) {
        uint8_t k[256];
        size_t n = strlen(key);
        k[0] = 3;
        memcpy(k + 1, key, n);
        tc_field(m, 2, k, n + 1);
    }
}

void tc_end(tc_msg *m) {
    uint8_t *p = m->b.data;
    aero_set_u64be(p, (2ull << 56) | (3ull << 48) | (m->b.len - 8));
    aero_set_u16be(p + 26, m->n_fields);
    aero_set_u16be(p + 28, m->n_ops);
}

void tc_free(tc_msg *m) { aero_buf__free(&m->b); }

static void parse_answer(tc_answer *a, uint8_t *p, size_t len, size_t *used) {
    memset(a, 0, sizeof *a);
    if (len < 22) {
        a->closed = true;
        return;
    }
    a->info1 = p[1];
    a->info3 = p[3];
    a->result = p[5];
    a->gen = aero_get_u32be(p + 6);
    a->void_time = aero_get_u32be(p + 10);
    a->txn_ttl = aero_get_u32be(p + 14);
    a->n_fields = aero_get_u16be(p + 18);
    a->n_ops = aero_get_u16be(p + 20);
    size_t off = 22;
    for (unsigned i = 0; i < a->n_fields && off + 4 <= len; i++)
        off += 4 + aero_get_u32be(p + off);
    a->ops = p + off;
    for (unsigned i = 0; i < a->n_ops && off + 4 <= len; i++)
        off += 4 + aero_get_u32be(p + off);
    a->body = p;
    a->len = off <= len ? off : len;
    if (used)
        *used = a->len;
}

tc_answer tc_call(uint16_t port, tc_msg *m) {
    tc_answer a;
    memset(&a, 0, sizeof a);
    a.closed = true;
    int fd = tc_connect(port);
    if (fd < 0)
        return a;
    uint8_t type;
    uint8_t *body;
    size_t len;
    if (tc_send(fd, m->b.data, m->b.len) && tc_read_frame(fd, &type, &body, &len)) {
        parse_answer(&a, body, len, NULL);
        if (a.closed)
            free(body);
    }
    close(fd);
    return a;
}

const uint8_t *tc_bin(const tc_answer *a, const char *name, uint8_t *ptype, uint32_t *len) {
    const uint8_t *p = a->ops;
    size_t nl = strlen(name);
    for (unsigned i = 0; i < a->n_ops; i++) {
        uint32_t sz = aero_get_u32be(p);
        uint8_t bl = p[7];
        if (bl == nl && memcmp(p + 8, name, nl) == 0) {
            *ptype = p[5];
            *len = sz - 4 - bl;
            return p + 8 + bl;
        }
        p += 4 + sz;
    }
    return NULL;
}

int64_t tc_bin_int(const tc_answer *a, const char *name, bool *found) {
    uint8_t t;
    uint32_t l;
    const uint8_t *v = tc_bin(a, name, &t, &l);
    *found = v && t == 1 && l == 8;
    return *found ? (int64_t)aero_get_u64be(v) : 0;
}

void tc_answer_free(tc_answer *a) {
    if (!a->closed)
        free(a->body);
    a->body = NULL;
}

char *tc_info(uint16_t port, const char *request) {
    int fd = tc_connect(port);
    if (fd < 0)
        return NULL;
    size_t n = strlen(request);
    uint8_t h[8];
    aero_set_u64be(h, (2ull << 56) | (1ull << 48) | n);
    uint8_t type;
    uint8_t *body = NULL;
    size_t len;
    bool ok = tc_send(fd, h, 8) && tc_send(fd, request, n) && tc_read_frame(fd, &type, &body, &len) && type == 1;
    close(fd);
    if (!ok) {
        free(body);
        return NULL;
    }
    return (char *)body;
}

char *tc_info_value(const char *answer, const char *name) {
    size_t nl = strlen(name);
    const char *p = answer;
    while (p && *p) {
        const char *e = strchr(p, '\n');
        size_t ll = e ? (size_t)(e - p) : strlen(p);
        if (ll > nl && strncmp(p, name, nl) == 0 && p[nl] == '\t') {
            char *v = malloc(ll - nl);
            memcpy(v, p + nl + 1, ll - nl - 1);
            v[ll - nl - 1] = 0;
            return v;
        }
        p = e ? e + 1 : NULL;
    }
    return NULL;
}

tc_stream *tc_call_stream(uint16_t port, tc_msg *m) {
    tc_stream *s = calloc(1, sizeof *s);
    int fd = tc_connect(port);
    if (fd < 0 || !tc_send(fd, m->b.data, m->b.len)) {
        s->closed = true;
        if (fd >= 0)
            close(fd);
        return s;
    }
    bool scan = m->b.len > 9 && !(m->b.data[9] & 0x08); /* info1 without BATCH */
    for (;;) {
        uint8_t type;
        uint8_t *body;
        size_t len;
        if (!tc_read_frame(fd, &type, &body, &len)) {
            s->closed = true;
            break;
        }
        size_t off = 0;
        bool last = false, kept = false;
        while (off + 22 <= len && s->n < sizeof s->msgs / sizeof s->msgs[0]) {
            size_t used = 0;
            tc_answer *a = &s->msgs[s->n++];
            parse_answer(a, body + off, len - off, &used);
            a->closed = true; /* body not owned by the message */
            if (!kept) {
                a->closed = false; /* the first message of the frame owns the body */
                a->body = body;
                kept = true;
            }
            /* the end: LAST, or in a scan / query an error that is not
               about one partition (a refused request is one message
               without LAST); batch rows carry their own result codes */
            if ((a->info3 & 1) || (scan && a->result != 0 && !(a->info3 & 4)))
                last = true;
            off += used;
        }
        if (!kept)
            free(body);
        if (last)
            break;
    }
    close(fd);
    return s;
}

void tc_stream_free(tc_stream *s) {
    for (size_t i = 0; i < s->n; i++)
        if (!s->msgs[i].closed)
            free(s->msgs[i].body);
    free(s);
}
