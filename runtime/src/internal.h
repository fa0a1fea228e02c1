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

#define AERO_LIKELY(x) __builtin_expect(!!(x), 1)
#define AERO_UNLIKELY(x) __builtin_expect(!!(x), 0)

#endif
