/*
 * ael_fallback.c - TEMPORARY weak definitions so the library links while the
 * AEL front end (runtime/src/ael) is being written. The real definitions are
 * strong and replace these. To be deleted once runtime/src/ael lands.
 */
#include <aero/ael.h>

#include "internal.h"

__attribute__((weak)) aero_expr *aero_ael_compile(const char *text, const aero_value *args, size_t n_args,
                                                  aero_error *err) {
    (void)text;
    (void)args;
    (void)n_args;
    aero_err__set(err, AERO_ERR_AEL, "AEL support is not built into this library yet");
    return NULL;
}

__attribute__((weak)) const uint8_t *aero_expr_bytes(const aero_expr *expr, size_t *len) {
    (void)expr;
    *len = 0;
    return NULL;
}

__attribute__((weak)) void aero_expr_free(aero_expr *expr) { (void)expr; }
