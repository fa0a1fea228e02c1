/*
 * control.c - the text control commands, shared by aero_testserver_control()
 * and the testserver-control:<cmd> info command.
 */
#include "ts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool param(const char *cmd, const char *key, char *val, size_t cap) {
    return ts_info_param(cmd, key, val, cap) != 0;
}

static aero_status fault_cmd(aero_testserver *ts, const char *cmd, unsigned node, aero_error *e) {
    static const char *const names[] = { "none", "stall", "drop", "close-mid", "garbage", "delay", "result" };
    char v[32];
    int f = -1;
    if (param(cmd, "type", v, sizeof v))
        for (int i = 0; i < 7; i++)
            if (strcmp(v, names[i]) == 0)
                f = i;
    uint32_t arg = param(cmd, "arg", v, sizeof v) ? (uint32_t)strtoul(v, NULL, 10) : 0;
    uint32_t count = param(cmd, "count", v, sizeof v) ? (uint32_t)strtoul(v, NULL, 10) : 0;
    if (f < 0)
        return ts_err(e, AERO_ERR_PARAM, "unknown fault type");
    return aero_testserver_inject(ts, node, (aero_testserver_fault)f, arg, count, e);
}

static aero_status advance_cmd(aero_testserver *ts, const char *cmd, aero_error *e) {
    char v[32], *end;
    if (!param(cmd, "seconds", v, sizeof v))
        return ts_err(e, AERO_ERR_PARAM, "advance needs seconds=N");
    unsigned long s = strtoul(v, &end, 10);
    if (!v[0] || *end || s > UINT32_MAX)
        return ts_err(e, AERO_ERR_PARAM, "bad seconds");
    aero_testserver_clock_advance(ts, (uint32_t)s);
    return AERO_OK;
}

/*
 * access;node=N[;clear=<list>][;tls=<list>]: what the node answers to
 * service-clear-std / service-tls-std from now on, as a server configured
 * with access-address / tls-access-address answers them ("host:port"
 * joined by ','; empty: no address). "default" goes back to the node's own
 * 127.0.0.1 port.
 */
static aero_status access_cmd(aero_testserver *ts, const char *cmd, unsigned node, aero_error *e) {
    if (node >= ts->n_nodes)
        return ts_err(e, AERO_ERR_PARAM, "testserver: no node %u", node);
    char clear[256], tls[256];
    int rc = ts_info_param(cmd, "clear", clear, sizeof clear);
    int rt = ts_info_param(cmd, "tls", tls, sizeof tls);
    if (rc < 0 || rt < 0)
        return ts_err(e, AERO_ERR_PARAM, "access: address list longer than 255 bytes");
    if (rc == 0 && rt == 0)
        return ts_err(e, AERO_ERR_PARAM, "access needs clear=<list> or tls=<list>");
    ts_node *n = &ts->nodes[node];
    pthread_mutex_lock(&ts->mu);
    if (rc > 0) {
        n->access_clear_set = strcmp(clear, "default") != 0;
        snprintf(n->access_clear, sizeof n->access_clear, "%s", n->access_clear_set ? clear : "");
    }
    if (rt > 0) {
        n->access_tls_set = strcmp(tls, "default") != 0;
        snprintf(n->access_tls, sizeof n->access_tls, "%s", n->access_tls_set ? tls : "");
    }
    pthread_mutex_unlock(&ts->mu);
    return AERO_OK;
}

static bool is(const char *cmd, const char *name) {
    size_t n = strlen(name);
    return strncmp(cmd, name, n) == 0 && (cmd[n] == 0 || cmd[n] == ';');
}

aero_status aero_testserver_control(aero_testserver *ts, const char *cmd, char *out, size_t cap, aero_error *err) {
    aero_error e;
    aero_status st = AERO_OK;
    char v[32];
    unsigned node = param(cmd, "node", v, sizeof v) ? (unsigned)strtoul(v, NULL, 10) : 0;
    if (is(cmd, "stop"))
        st = aero_testserver_node_stop(ts, node, &e);
    else if (is(cmd, "start"))
        st = aero_testserver_node_start(ts, node, &e);
    else if (is(cmd, "truncate"))
        st = aero_testserver_clear(ts, NULL, NULL, &e);
    else if (is(cmd, "fault"))
        st = fault_cmd(ts, cmd, node, &e);
    else if (is(cmd, "advance"))
        st = advance_cmd(ts, cmd, &e);
    else if (is(cmd, "access"))
        st = access_cmd(ts, cmd, node, &e);
    else if (ts_security_control(ts->security, cmd, out, cap, &st, &e)) {
        if (st != AERO_OK && out && cap)
            snprintf(out, cap, "ERROR:4:%s", e.message);
        if (st != AERO_OK && err)
            *err = e;
        return st;
    } else
        st = ts_err(&e, AERO_ERR_PARAM, "unknown control command");
    if (out && cap) {
        if (st == AERO_OK)
            snprintf(out, cap, "ok");
        else
            snprintf(out, cap, "ERROR:4:%s", e.message);
    }
    if (st != AERO_OK && err)
        *err = e;
    return st;
}
