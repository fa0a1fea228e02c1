/*
 * command.c - the single-record command loop: route, borrow a connection,
 * send, receive, classify the outcome, retry when the policy allows and it is
 * safe. Every wait has a deadline: min(socket timeout, what is left of the
 * total timeout).
 */
#include "command.h"

#include <string.h>
#include <time.h>

#include "internal.h"
#include "proto/compress.h"
#include "proto/digest.h"
#include "proto/wire.h"

/* First read of an answer into a buffer that has no room yet: enough for a typical record. */
#define RESP_FIRST_READ 1024

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

static bool retryable_server_code(int rc) {
    return rc == AERO_ERR_PARTITION_UNAVAILABLE || rc == AERO_ERR_DEVICE_OVERLOAD || rc == AERO_ERR_TIMEOUT ||
           rc == AERO_ERR_KEY_BUSY;
}

static void sleep_ms(uint32_t ms, uint64_t deadline) {
    if (!ms)
        return;
    uint64_t now = aero_now_ns();
    uint64_t until = min_u64(now + (uint64_t)ms * 1000000u, deadline);
    if (until <= now)
        return;
    struct timespec ts = { (time_t)((until - now) / 1000000000u), (long)((until - now) % 1000000000u) };
    nanosleep(&ts, NULL);
}

aero_status aero_cmd__send(aero_conn *conn, uint8_t *req, size_t len, const aero_policy *p, int level,
                           uint64_t deadline_ns, aero_error *err) {
    if (!p->use_compression || len < 8 + AERO_MSG_HEADER_SIZE)
        return aero_conn__write(conn, req, len, deadline_ns, err);
    req[8 + 1] |= AERO_INFO1_COMPRESS_RESPONSE;
    if (len <= p->compression_threshold)
        return aero_conn__write(conn, req, len, deadline_ns, err);
    aero_buf z;
    aero_buf__init(&z, NULL, 0);
    aero_status st = aero_compress__wrap(req, len, level, &z);
    if (st == AERO_OK)
        st = aero_conn__write(conn, z.data, z.len, deadline_ns, err);
    else
        aero_err__set(err, st, "%s",
                      st == AERO_ERR_UNSUPPORTED_FEATURE ? "compression needs a libaero built with zlib"
                                                         : "out of memory compressing a request");
    aero_buf__free(&z);
    return st;
}

aero_status aero_cmd__inflate(aero_buf *r, const char *peer, aero_error *err) {
    aero_buf z;
    aero_buf__init(&z, NULL, 0);
    aero_status st = aero_compress__unwrap(r->data + 8, r->len - 8, (size_t)AERO_PROTO_SIZE_MAX + 8, &z);
    if (st == AERO_OK) {
        aero_buf__reset(r);
        aero_buf__put(r, z.data, z.len);
        if (r->failed)
            st = AERO_ERR_NO_MEMORY;
    }
    aero_buf__free(&z);
    if (st != AERO_OK)
        return aero_err__set(err, st, "%s compressed answer from %s",
                             st == AERO_ERR_NO_MEMORY ? "out of memory for a" : "malformed", peer);
    return AERO_OK;
}

/*
 * One exchange on one connection, started at `now`. *sent tells whether
 * request bytes left. The socket timeout bounds the whole exchange (borrow,
 * send, wait for the answer), the total deadline bounds the command.
 */
static aero_status exchange(aero_cmd *cmd, aero_node *node, uint64_t now, uint64_t total_deadline, bool *sent,
                            aero_error *err) {
    const aero_policy *p = cmd->policy;
    uint64_t sock = p->socket_timeout_ms ? (uint64_t)p->socket_timeout_ms * 1000000u : 0;
    uint64_t deadline = sock ? min_u64(now + sock, total_deadline) : total_deadline;
    aero_conn *conn = NULL;
    aero_status st = aero_node__conn_get(node, deadline, &conn, err);
    if (st != AERO_OK)
        return st;
    *sent = true;
    st = p->use_compression ? aero_cmd__send(conn, (uint8_t *)cmd->req, cmd->req_len, p,
                                             cmd->session->client->config.compression_level, deadline, err)
                            : aero_conn__write(conn, cmd->req, cmd->req_len, deadline, err);
    /* One recv brings a typical answer whole: header and body land in resp together. */
    aero_buf *r = cmd->resp;
    aero_buf__reset(r);
    size_t got = 0;
    uint64_t size = 0;
    if (st == AERO_OK && r->cap < 64 && !aero_buf__reserve(r, RESP_FIRST_READ))
        st = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a response");
    if (st == AERO_OK)
        st = aero_conn__read_some(conn, r->data, 8, r->cap, &got, deadline, err);
    uint8_t type = 0;
    if (st == AERO_OK) {
        if (aero_proto__read_header(r->data, &type, &size) != AERO_OK ||
            (type != AERO_PROTO_MSG && type != AERO_PROTO_COMPRESSED) || got > 8 + size)
            st = aero_err__set(err, AERO_ERR_PROTOCOL, "bad response header from %s", aero_node__address(node));
    }
    if (st == AERO_OK) {
        r->len = got;
        if (got < 8 + size) {
            uint8_t *rest = aero_buf__append(r, (size_t)(8 + size - got));
            if (!rest)
                st = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a %llu-byte response",
                                   (unsigned long long)size);
            else
                st = aero_conn__read(conn, rest, (size_t)(8 + size - got), deadline, err);
        }
    }
    if (st == AERO_OK && type == AERO_PROTO_COMPRESSED) /* an Enterprise server may answer either way */
        st = aero_cmd__inflate(r, aero_node__address(node), err);
    if (st == AERO_OK) {
        if (aero_msg__parse_single(r->data + 8, r->len - 8, &cmd->msg) != AERO_OK)
            st = aero_err__set(err, AERO_ERR_PROTOCOL, "malformed response from %s", aero_node__address(node));
    }
    if (st == AERO_OK && cmd->msg.h.result_code == AERO_ERR_NOT_AUTHENTICATED) {
        aero_node__auth_lost(node); /* the server no longer knows this login: the next connection logs in anew */
        aero_node__conn_close(node, conn);
        return AERO_OK; /* the answer stands: the caller reports NOT_AUTHENTICATED */
    }
    if (st == AERO_OK)
        aero_node__conn_put(node, conn);
    else
        aero_node__conn_close(node, conn);
    return st;
}

aero_status aero_cmd__execute(aero_cmd *cmd, aero_error *err) {
    const aero_policy *p = cmd->policy;
    aero_cluster *cluster = cmd->session->client->cluster;
    bool is_write = cmd->kind != AERO_CMD_READ;
    /* the clock is read once per attempt */
    uint64_t now = (p->total_timeout_ms || p->socket_timeout_ms) ? aero_now_ns() : 0;
    uint64_t total_deadline = p->total_timeout_ms ? now + (uint64_t)p->total_timeout_ms * 1000000u : UINT64_MAX;
    uint16_t pid = aero_partition__id(cmd->key->digest);
    aero_status st = AERO_ERR_CLIENT;
    bool in_doubt = false;
    char node_name[40] = "";

    for (unsigned attempt = 0;; attempt++) {
        aero_node *node = aero_cluster__node_for_policy(cluster, cmd->key->ns, pid, is_write, p, attempt);
        if (!node) {
            aero_err__set(err, AERO_ERR_INVALID_NODE, "no node serves partition %u of namespace '%s'", pid,
                          cmd->key->ns);
            return AERO_ERR_INVALID_NODE;
        }
        bool sent = false;
        if (attempt && p->socket_timeout_ms)
            now = aero_now_ns();
        st = exchange(cmd, node, now, total_deadline, &sent, err);
        if (st != AERO_OK) /* only failures name the node: no formatting on the hot path */
            snprintf(node_name, sizeof node_name, "%s", aero_node__name(node));
        aero_node__release(node);
        if (st == AERO_OK) {
            int rc = cmd->msg.h.result_code;
            if (!retryable_server_code(rc) || attempt >= p->max_retries || aero_now_ns() >= total_deadline ||
                cmd->kind == AERO_CMD_WRITE_ONCE)
                return AERO_OK; /* the caller interprets the result code */
            aero_cluster__count_retry(cluster);
            if (rc == AERO_ERR_PARTITION_UNAVAILABLE) /* the partition is moving: retry on the new map */
                aero_cluster__wait_for_tend(cluster, min_u64(total_deadline, aero_deadline_after_ms(2000)));
            sleep_ms(p->retry_delay_ms, total_deadline);
            continue;
        }
        if (sent && is_write)
            in_doubt = true;
        aero_cluster__count_error(cluster, st);
        bool client_retryable = st == AERO_ERR_TIMEOUT || st == AERO_ERR_CONNECTION ||
                                st == AERO_ERR_NO_MORE_CONNECTIONS || st == AERO_ERR_MAX_ERROR_RATE;
        bool safe = !sent || cmd->kind != AERO_CMD_WRITE_ONCE;
        if (!client_retryable || !safe || attempt >= p->max_retries || aero_now_ns() >= total_deadline)
            break;
        aero_cluster__count_retry(cluster);
        if (st == AERO_ERR_CONNECTION) /* the node may be gone: retry on a fresh partition map */
            aero_cluster__wait_for_tend(cluster, min_u64(total_deadline, aero_deadline_after_ms(2000)));
        sleep_ms(p->retry_delay_ms, total_deadline);
    }
    if (err) {
        err->in_doubt = in_doubt;
        snprintf(err->node, sizeof err->node, "%s", node_name);
    }
    return st;
}
