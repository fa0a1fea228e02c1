/*
 * cluster/log.c - the client's log callback, used by the cluster's lifecycle,
 * the tend pass and the command counters. Messages are formatted only when
 * their level is enabled.
 */
#include "cluster/state.h"

#include <stdarg.h>
#include <stdio.h>

void aero_cluster__log(aero_cluster *c, aero_log_level level, const char *fmt, ...) {
    if (!c || !c->cfg.log || level > c->cfg.log_level)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->cfg.log(level, msg, c->cfg.log_udata);
}
