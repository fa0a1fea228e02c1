/*
 * error.c - filling a caller's aero_error from the test server.
 *
 * The test server links against an installed libaero, whose internal
 * helpers are hidden; it fills the public fields of aero_error itself.
 */
#include "ts.h"

#include <stdarg.h>
#include <stdio.h>

aero_status ts_err(aero_error *err, aero_status code, const char *fmt, ...) {
    if (!err)
        return code;
    err->code = code;
    err->in_doubt = false;
    err->node[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n <= 0)
        snprintf(err->message, sizeof err->message, "%s", aero_status_str(code));
    return code;
}

aero_status ts_ok(aero_error *err) {
    if (err)
        aero_error_reset(err);
    return AERO_OK;
}
