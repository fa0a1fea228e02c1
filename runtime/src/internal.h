/*
 * internal.h - helpers shared by every runtime source file. Not installed.
 */
#ifndef AERO_INTERNAL_H
#define AERO_INTERNAL_H

#include <aero/error.h>

#include <stdarg.h>
#include <stdio.h>

/**
 * Fill `err` (if not NULL) with code and a printf-style message; in_doubt and
 * node are cleared. Returns `code` so callers can `return aero_err__set(...)`.
 */
aero_status aero_err__set(aero_error *err, aero_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * The library side of the versioned-struct rule (aero/common.h): AERO_OK
 * when 1 <= version <= known, else AERO_ERR_PARAM with the message the rule
 * gives, naming struct `what` (e.g. "aero_client_config") and both versions.
 */
aero_status aero_err__check_version(aero_error *err, const char *what, uint32_t version, uint32_t known);

/** aero_error_reset, inline for the entry points of the hot calls. */
static inline void aero_err__reset(aero_error *err) {
    if (!err)
        return;
    err->code = AERO_OK;
    err->in_doubt = false;
    err->node[0] = '\0';
    err->message[0] = '\0';
}

/**
 * The first misuse a builder saw: builders never fail on the spot, they keep
 * the first problem and report it at execute (as the SDK raises at execute).
 */
typedef struct aero_misuse {
    aero_status code; /* AERO_OK while nothing went wrong */
    char msg[160];
} aero_misuse;

/** Record a misuse unless one is already recorded (printf format). */
void aero_misuse__set(aero_misuse *m, aero_status code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define AERO_LIKELY(x)   __builtin_expect(!!(x), 1)
#define AERO_UNLIKELY(x) __builtin_expect(!!(x), 0)

#endif
