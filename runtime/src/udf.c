/*
 * udf.c - UDF modules (info udf-put / udf-get / udf-remove / udf-list) and
 * the record UDF call (protocol.md 5.3 "UDF apply", fields 30-32).
 *
 * udf-put is answered by the node that got it once the module is stored in
 * the cluster's metadata, but each node compiles it when that metadata
 * reaches it: a call routed to another node right after the put can still
 * miss the module. Register therefore asks every node for the module
 * (udf-get) until each has it or the caller's wait runs out.
 */
#include <aero/udf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "clock.h"
#include "cmd_key.h"
#include "command.h"
#include "internal.h"
#include "proto/base64.h"
#include "proto/msgpack.h"
#include "proto/wire.h"
#include "record_buf.h"
#include "record_decode.h"
#include "udf_internal.h"

#define INFO_TIMEOUT_MS 10000
#define POLL_MS         50
#define NODES_MAX       128

/* ---- shared with batch and jobs ---- */

static bool name_ok(const char *s, size_t max, char *msg, size_t cap, const char *what) {
    size_t n = s ? strnlen(s, max + 1) : 0;
    if (n == 0 || n > max) {
        snprintf(msg, cap, "UDF %s %s", what, !s ? "is NULL" : n == 0 ? "is empty" : "is too long");
        return false;
    }
    return true;
}

aero_status aero_udf__fields(aero_buf *b, aero_msg_header *h, const char *module, const char *function,
                             const aero_value *args, size_t n_args, uint8_t udf_op, char *msg, size_t cap) {
    if (!name_ok(module, AERO_UDF_NAME_MAX, msg, cap, "module name") ||
        !name_ok(function, AERO_UDF_NAME_MAX, msg, cap, "function name"))
        return AERO_ERR_PARAM;
    if (n_args > AERO_UDF_ARGS_MAX || (n_args && !args)) {
        snprintf(msg, cap, "UDF arguments: %s", n_args && !args ? "args is NULL" : "more than 255");
        return AERO_ERR_PARAM;
    }
    if (udf_op)
        aero_msg__field(b, h, AERO_FIELD_UDF_OP, &udf_op, 1);
    aero_msg__field(b, h, AERO_FIELD_UDF_PACKAGE, module, strlen(module));
    aero_msg__field(b, h, AERO_FIELD_UDF_FUNCTION, function, strlen(function));
    size_t at = b->len;
    aero_msg__field_header(b, h, AERO_FIELD_UDF_ARGLIST, 0);
    size_t data_at = b->len;
    aero_mp__pack_array_header(b, (uint32_t)n_args);
    for (size_t i = 0; i < n_args; i++) {
        if (aero_mp__pack_value(b, &args[i]) != AERO_OK) {
            snprintf(msg, cap, "UDF argument %zu cannot be sent (nested too deep or malformed)", i);
            return AERO_ERR_PARAM;
        }
    }
    if (!b->failed)
        aero_set_u32be(b->data + at, (uint32_t)(b->len - data_at + 1));
    return AERO_OK;
}

aero_status aero_udf__node_info(aero_node *n, const char *cmd, uint64_t deadline_ns, char **body, aero_strview *value,
                                aero_error *err) {
    size_t len = 0;
    aero_status st = aero_node__info(n, &cmd, 1, deadline_ns, body, &len, err);
    if (st != AERO_OK)
        return st;
    /* one command was sent: its answer is the first line (whatever echo of a long line the server sent) */
    const char *cur = *body, *end = *body + len;
    aero_strview name;
    if (!aero_info__next(&cur, end, &name, value)) {
        free(*body);
        *body = NULL;
        return aero_err__set(err, AERO_ERR_PROTOCOL, "node %s gave no answer to info '%.40s'", aero_node__address(n),
                             cmd);
    }
    return AERO_OK;
}

/* ---- modules ---- */

/* "name" -> "name.lua" unless it has an extension; refuses what would break the info line. */
static aero_status file_name(const char *name, char *out, size_t cap, aero_error *err) {
    size_t n = name ? strlen(name) : 0;
    if (n == 0)
        return aero_err__set(err, AERO_ERR_PARAM, "UDF module name is %s", name ? "empty" : "NULL");
    if (strpbrk(name, ";:/\t\n\r=,"))
        return aero_err__set(err, AERO_ERR_PARAM, "UDF module name '%.40s' has a character the server cannot take",
                             name);
    bool ext = strchr(name, '.') != NULL;
    if (name[0] == '.' || name[n - 1] == '.')
        return aero_err__set(err, AERO_ERR_PARAM, "UDF module name '%.40s' needs a name before and after its '.'",
                             name);
    if (n + (ext ? 0 : 4) > AERO_UDF_NAME_MAX || n + 5 > cap)
        return aero_err__set(err, AERO_ERR_PARAM, "UDF module name '%.40s...' is longer than %d bytes", name,
                             AERO_UDF_NAME_MAX);
    snprintf(out, cap, "%s%s", name, ext ? "" : ".lua");
    return AERO_OK;
}

static uint32_t info_timeout(const aero_client *c) {
    return c->config.connect_timeout_ms ? c->config.connect_timeout_ms * 5 : INFO_TIMEOUT_MS;
}

/* Turn an error answer into err; udf-put's compile error carries a base64 message. */
static aero_status answer_error(aero_strview v, const char *what, aero_error *err) {
    char msg[AERO_ERROR_MESSAGE_SIZE];
    aero_status st = aero_info__value_error(v, msg, sizeof msg);
    if (st == AERO_OK)
        return AERO_OK;
    if (strncmp(msg, "compile_error", 13) == 0) {
        char file[128] = "", line[16] = "", b64[AERO_ERROR_MESSAGE_SIZE] = "";
        for (char *tok = strtok(msg, ";"); tok; tok = strtok(NULL, ";")) {
            if (!strncmp(tok, "file=", 5))
                snprintf(file, sizeof file, "%s", tok + 5);
            else if (!strncmp(tok, "line=", 5))
                snprintf(line, sizeof line, "%s", tok + 5);
            else if (!strncmp(tok, "message=", 8))
                snprintf(b64, sizeof b64, "%s", tok + 8);
        }
        uint8_t text[AERO_ERROR_MESSAGE_SIZE];
        long tl = aero_base64__decode(b64, strlen(b64), text, sizeof text);
        if (tl < 0)
            tl = 0;
        return aero_err__set(err, st, "%s: compile error in %s:%s: %.*s", what, file, line, (int)tl,
                             (const char *)text);
    }
    return aero_err__set(err, st, "%s: %s", what, msg);
}

/* Ask every node udf-get until each has (present) or lacks (!present) the module, before deadline. */
static aero_status wait_modules(aero_client *c, const char *file, bool present, uint64_t deadline, aero_error *err) {
    char cmd[AERO_UDF_NAME_MAX + 32];
    snprintf(cmd, sizeof cmd, "udf-get:filename=%s", file);
    for (;;) {
        aero_node *nodes[NODES_MAX];
        size_t n = aero_cluster__nodes(c->cluster, nodes, NODES_MAX);
        const char *pending = NULL;
        char pending_name[64] = "";
        aero_status st = AERO_OK;
        for (size_t i = 0; i < n; i++) {
            if (st == AERO_OK && !pending) {
                char *body = NULL;
                aero_strview v;
                st = aero_udf__node_info(nodes[i], cmd, aero_deadline_after_ms(info_timeout(c)), &body, &v, err);
                if (st == AERO_OK) {
                    bool has = v.len >= 5 && memmem(v.p, v.len, "content=", 8) != NULL;
                    if (has != present) {
                        snprintf(pending_name, sizeof pending_name, "%s", aero_node__address(nodes[i]));
                        pending = pending_name;
                    }
                }
                free(body);
            }
            aero_node__release(nodes[i]);
        }
        if (st != AERO_OK)
            return st;
        if (!pending)
            return AERO_OK;
        if (aero_now_ns() + POLL_MS * 1000000ull >= deadline)
            return aero_err__set(err, AERO_ERR_TIMEOUT, "UDF module %s: node %s %s it when the wait ran out", file,
                                 pending, present ? "did not have" : "still had");
        struct timespec ts = { 0, POLL_MS * 1000000L };
        nanosleep(&ts, NULL);
    }
}

/*
 * Send udf-put / udf-remove `cmd` to some node and check its answer; then,
 * with wait_ms, wait until every node has (present) or lacks the module.
 */
static aero_status module_cmd(aero_client *client, const char *cmd, const char *verb, const char *file, bool present,
                              uint32_t wait_ms, uint64_t deadline, aero_error *err) {
    aero_node *node = aero_cluster__any_node(client->cluster);
    if (!node)
        return aero_err__set(err, AERO_ERR_INVALID_NODE, "no node is available to %s UDF module %s", verb, file);
    char *body = NULL;
    aero_strview v;
    aero_status st = aero_udf__node_info(node, cmd, aero_deadline_after_ms(info_timeout(client)), &body, &v, err);
    aero_node__release(node);
    if (st == AERO_OK) {
        char what[AERO_UDF_NAME_MAX + 32];
        snprintf(what, sizeof what, "%s UDF module %s", verb, file);
        st = answer_error(v, what, err);
    }
    free(body);
    if (st == AERO_OK && wait_ms)
        st = wait_modules(client, file, present, deadline, err);
    return st;
}

AERO_API aero_status aero_udf_register(aero_client *client, const char *name, const char *content, size_t len,
                                       uint32_t wait_ms, aero_error *err) {
    aero_err__reset(err);
    if (!client || !content || len == 0)
        return aero_err__set(err, AERO_ERR_PARAM, "UDF register needs a client and non-empty content");
    if (len > AERO_UDF_CONTENT_MAX)
        return aero_err__set(err, AERO_ERR_PARAM, "UDF module of %zu bytes is over the server's limit of %d", len,
                             AERO_UDF_CONTENT_MAX);
    char file[AERO_UDF_NAME_MAX + 8];
    aero_status st = file_name(name, file, sizeof file, err);
    if (st != AERO_OK)
        return st;
    uint64_t deadline = aero_deadline_after_ms(wait_ms);
    size_t b64_len = (len + 2) / 3 * 4;
    char head[AERO_UDF_NAME_MAX + 96];
    int hl = snprintf(head, sizeof head, "udf-put:filename=%s;content-len=%zu;udf-type=LUA;content=", file, b64_len);
    char *cmd = malloc((size_t)hl + b64_len + 2);
    if (!cmd)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory encoding a UDF module");
    memcpy(cmd, head, (size_t)hl);
    aero_base64__encode((const uint8_t *)content, len, cmd + hl, b64_len + 1);
    memcpy(cmd + hl + b64_len, ";", 2);
    st = module_cmd(client, cmd, "register", file, true, wait_ms, deadline, err);
    free(cmd);
    return st;
}

AERO_API aero_status aero_udf_register_file(aero_client *client, const char *path, const char *name, uint32_t wait_ms,
                                            aero_error *err) {
    aero_err__reset(err);
    if (!client || !path)
        return aero_err__set(err, AERO_ERR_PARAM, "UDF register_file needs a client and a path");
    FILE *f = fopen(path, "rb");
    if (!f)
        return aero_err__set(err, AERO_ERR_PARAM, "cannot open UDF file %s", path);
    char *buf = malloc(AERO_UDF_CONTENT_MAX + 1);
    size_t n = buf ? fread(buf, 1, AERO_UDF_CONTENT_MAX + 1, f) : 0;
    bool bad = buf && ferror(f);
    fclose(f);
    aero_status st;
    if (!buf)
        st = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory reading %s", path);
    else if (bad)
        st = aero_err__set(err, AERO_ERR_PARAM, "cannot read UDF file %s", path);
    else if (n > AERO_UDF_CONTENT_MAX)
        st = aero_err__set(err, AERO_ERR_PARAM, "UDF file %s is over the server's limit of %d bytes", path,
                           AERO_UDF_CONTENT_MAX);
    else if (n == 0)
        st = aero_err__set(err, AERO_ERR_PARAM, "UDF file %s is empty", path);
    else {
        if (!name) {
            const char *slash = strrchr(path, '/');
            name = slash ? slash + 1 : path;
        }
        st = aero_udf_register(client, name, buf, n, wait_ms, err);
    }
    free(buf);
    return st;
}

AERO_API aero_status aero_udf_remove(aero_client *client, const char *name, uint32_t wait_ms, aero_error *err) {
    aero_err__reset(err);
    if (!client)
        return aero_err__set(err, AERO_ERR_PARAM, "UDF remove needs a client");
    char file[AERO_UDF_NAME_MAX + 8];
    aero_status st = file_name(name, file, sizeof file, err);
    if (st != AERO_OK)
        return st;
    uint64_t deadline = aero_deadline_after_ms(wait_ms);
    char cmd[AERO_UDF_NAME_MAX + 32];
    snprintf(cmd, sizeof cmd, "udf-remove:filename=%s;", file);
    return module_cmd(client, cmd, "remove", file, false, wait_ms, deadline, err);
}

/* One "filename=..,hash=..,type=.." entry into m; false if it names no file. */
static bool parse_module(const char *p, size_t n, aero_udf_module *m) {
    memset(m, 0, sizeof *m);
    const char *end = p + n;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        const char *eq = memchr(p, '=', (size_t)(e - p));
        if (eq) {
            size_t kl = (size_t)(eq - p), vl = (size_t)(e - eq - 1);
            char *dst = NULL;
            size_t cap = 0;
            if (kl == 8 && !memcmp(p, "filename", 8))
                dst = m->name, cap = sizeof m->name;
            else if (kl == 4 && !memcmp(p, "hash", 4))
                dst = m->hash, cap = sizeof m->hash;
            else if (kl == 4 && !memcmp(p, "type", 4))
                dst = m->type, cap = sizeof m->type;
            if (dst) {
                if (vl >= cap)
                    vl = cap - 1;
                memcpy(dst, eq + 1, vl);
                dst[vl] = 0;
            }
        }
        p = e + 1;
    }
    return m->name[0] != 0;
}

AERO_API aero_status aero_udf_list(aero_client *client, aero_udf_module **out, size_t *n, aero_error *err) {
    aero_err__reset(err);
    if (!client || !out || !n)
        return aero_err__set(err, AERO_ERR_PARAM, "UDF list needs a client and output pointers");
    *out = NULL;
    *n = 0;
    aero_node *node = aero_cluster__any_node(client->cluster);
    if (!node)
        return aero_err__set(err, AERO_ERR_INVALID_NODE, "no node is available to list UDF modules");
    char *body = NULL;
    aero_strview v;
    aero_status st =
        aero_udf__node_info(node, "udf-list", aero_deadline_after_ms(info_timeout(client)), &body, &v, err);
    aero_node__release(node);
    if (st == AERO_OK)
        st = answer_error(v, "list UDF modules", err);
    size_t cap = 0;
    for (size_t i = 0; st == AERO_OK && i < v.len; i++)
        cap += v.p[i] == ';';
    aero_udf_module *mods = st == AERO_OK ? calloc(cap + 1, sizeof *mods) : NULL;
    if (st == AERO_OK && !mods)
        st = aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory listing UDF modules");
    size_t count = 0;
    for (const char *p = v.p, *end = v.p + v.len; st == AERO_OK && p < end;) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *e = semi ? semi : end;
        if (e > p) {
            if (count > cap || !parse_module(p, (size_t)(e - p), &mods[count]))
                st = aero_err__set(err, AERO_ERR_PROTOCOL, "udf-list answer entry '%.*s' names no file",
                                   (int)(e - p > 60 ? 60 : e - p), p);
            else
                count++;
        }
        p = e + 1;
    }
    free(body);
    if (st != AERO_OK || count == 0) {
        free(mods);
        return st;
    }
    *out = mods;
    *n = count;
    return AERO_OK;
}

AERO_API void aero_udf_modules_free(aero_udf_module *modules) { free(modules); }

/* ---- apply ---- */

AERO_API const aero_value *aero_udf_result(const aero_record *rec) {
    return rec ? aero_record_get(rec, AERO_UDF_SUCCESS_BIN) : NULL;
}

AERO_API const char *aero_udf_error(const aero_record *rec) {
    const aero_value *v = rec ? aero_record_get(rec, AERO_UDF_FAILURE_BIN) : NULL;
    return v && v->type == AERO_STR ? v->v.str.ptr : NULL;
}

AERO_API aero_status aero_session_apply(aero_session *s, const aero_key *key, const char *module, const char *function,
                                        const aero_value *args, size_t n_args, aero_record *out, aero_error *err) {
    aero_err__reset(err);
    if (!s || !out)
        return aero_err__set(err, AERO_ERR_PARAM, "apply needs a session and an output record");
    aero_status st = aero_cmd__check_key(key, err);
    if (st != AERO_OK)
        return st;
    const aero_policy *p = &s->write_point;
    uint8_t store[1024];
    aero_buf req;
    aero_buf__init(&req, store, sizeof store);
    aero_msg_header h;
    memset(&h, 0, sizeof h);
    h.info2 = AERO_INFO2_WRITE | (p->durable_delete ? AERO_INFO2_DURABLE_DELETE : 0);
    h.transaction_ttl = aero_cmd__server_timeout(p);
    size_t start = aero_msg__begin(&req);
    aero_cmd__key_fields(&req, &h, key, p->send_key);
    char msg[160];
    st = aero_udf__fields(&req, &h, module, function, args, n_args, 0, msg, sizeof msg);
    if (st == AERO_OK)
        st = aero_msg__end(&req, start, &h);
    else
        aero_err__set(err, st, "apply: %s", msg);
    if (st != AERO_OK) {
        if (err->code == AERO_OK)
            aero_err__set(err, st, "apply: the request could not be built");
        aero_buf__free(&req);
        return st;
    }
    aero_buf resp = aero_record__take_buf(out);
    aero_cmd cmd = { .session = s,
                     .policy = p,
                     .key = key,
                     .kind = AERO_CMD_WRITE_ONCE,
                     .req = req.data,
                     .req_len = req.len,
                     .resp = &resp };
    st = aero_cmd__execute(&cmd, err);
    if (st == AERO_OK)
        st = aero_record__decode(out, &cmd.msg, err);
    else {
        aero_record__clear(out);
        out->result = st;
    }
    aero_record__give_buf(out, &resp);
    aero_buf__free(&req);
    if (st != AERO_OK)
        return st;
    out->key = *key;
    if (out->result == AERO_ERR_UDF) {
        const char *m = aero_udf_error(out);
        return aero_err__set(err, AERO_ERR_UDF, "%s.%s: %s", module, function, m ? m : aero_status_str(AERO_ERR_UDF));
    }
    if (out->result != AERO_OK)
        return aero_err__set(err, out->result, "apply %s.%s: %s", module, function, aero_status_str(out->result));
    return AERO_OK;
}
